#!/usr/bin/env bash
# Checks of deploy/azure that need no Azure: shellcheck on every script,
# cloud-init's schema, systemd's own verification of the unit, and that
# cloud-init.yaml installs exactly the unit and env file kept beside it.
# Run by .ci/run (which installs shellcheck, cloud-init and systemd).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"

echo "shellcheck:"
cd "$top"
if git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t scripts < <(git ls-files '*.sh' .ci/run)
else
  mapfile -t scripts < <(find . -name '*.sh' -not -path './target/*'; echo .ci/run)
fi
shellcheck --shell=bash "${scripts[@]}"
printf '  %s\n' "${scripts[@]}"

echo "cloud-init schema:"
cloud-init schema --config-file "$here/cloud-init.yaml"

echo "systemd-analyze verify:"
# The unit names /usr/bin/java, as on the VM; verify needs that binary to exist,
# so where the JDK lives elsewhere, a copy of the unit names this machine's java.
unit="$here/chat-gateway.service"
if [ ! -x /usr/bin/java ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  sed "s|/usr/bin/java|$(command -v java)|" "$unit" > "$tmp/chat-gateway.service"
  unit="$tmp/chat-gateway.service"
fi
systemd-analyze verify "$unit"
echo "  chat-gateway.service: ok"

echo "cloud-init.yaml installs the unit and env file kept beside it:"
python3 - "$here" <<'PY'
import sys, yaml, pathlib
here = pathlib.Path(sys.argv[1])
files = {f["path"]: f["content"] for f in yaml.safe_load((here / "cloud-init.yaml").read_text())["write_files"]}
pairs = {"/etc/systemd/system/chat-gateway.service": "chat-gateway.service",
         "/etc/chat-gateway/chat-gateway.env": "chat-gateway.env.example"}
bad = [p for p, local in pairs.items() if files.get(p) != (here / local).read_text()]
if bad:
    sys.exit("cloud-init.yaml differs from the files beside it for: " + ", ".join(bad))
print("  identical")
PY
