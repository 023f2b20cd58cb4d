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

echo "deploy.sh cluster, dry run (DRY_RUN=1: the az and ssh commands printed, none run):"
dry="$(mktemp -d)"
trap 'rm -rf "$dry" "${tmp:-}"' EXIT
touch "$dry/chat-gateway-dry-run.jar"
run() { # label, then the deploy.sh arguments; output in $dry/<label>
  local label="$1"
  shift
  DRY_RUN=1 JAR="$dry/chat-gateway-dry-run.jar" OPERATOR_IP=198.51.100.7 "$here/deploy.sh" "$@" \
    < /dev/null > "$dry/$label" 2>&1 || { cat "$dry/$label"; echo "  $label: deploy.sh failed" >&2; exit 1; }
}
expect() { # label, then fixed strings that must each be on a line of its output
  local label="$1" s
  shift
  for s in "$@"; do
    grep -qF -- "$s" "$dry/$label" || { cat "$dry/$label"; echo "  $label: missing: $s" >&2; exit 1; }
  done
}
line_of() { grep -nF -- "$2" "$dry/$1" | head -n 1 | cut -d: -f1; }

run create cluster create
expect create "az postgres flexible-server create" "--sku-name Standard_B1ms" "--vnet chat-vnet" \
  "--name azure.extensions --value pg_trgm" \
  "az redisenterprise create" "--public-network-access Disabled" "--clustering-policy NoCluster" \
  "--group-id redisEnterprise" \
  "az network lb probe create" "--protocol Http --port 8080 --path /actuator/health/readiness" \
  "-n chat-tcp --protocol Tcp --frontend-port 12345" "-n chat-tls --protocol Tcp --frontend-port 12346" \
  "--idle-timeout 30 --enable-tcp-reset true" \
  "-n chat-udp --protocol Udp --frontend-port 12345" "--load-distribution SourceIP" \
  "--lb-name chat-lb --lb-address-pools chat-nodes" \
  "az vm create -g chat-cluster-rg -n chat-node-1" "az vm create -g chat-cluster-rg -n chat-node-2" \
  "--custom-data $here/cloud-init.yaml" \
  "--source-address-prefixes 198.51.100.7" \
  "< CHAT_CLUSTER_ENABLED=true" "< CHAT_CLUSTER_NODE_ID=chat-node-2" "< CHAT_STORE_STARTUP_WAIT=10m" \
  "< SPRING_DATASOURCE_URL=jdbc:postgresql://" "< SPRING_DATASOURCE_PASSWORD=(hidden)" \
  "< SPRING_DATA_REDIS_URL=rediss://(hidden)@" "CREATE DATABASE chat" "sudo systemctl restart chat-gateway"
[ "$(grep -c '^az vm create' "$dry/create")" -eq 2 ] || { echo "  create: not 2 VMs" >&2; exit 1; }
# The stand-in Redis key and the PostgreSQL password never reach a command line.
if grep -qE 'DRY.RUN.REDIS|DRY%2BRUN|admin-password [^@]' "$dry/create"; then
  echo "  create: a secret is on a command line" >&2; exit 1
fi
# The database exists before any node starts.
[ "$(line_of create 'CREATE DATABASE')" -lt "$(line_of create 'systemctl restart')" ] \
  || { echo "  create: a node starts before its database exists" >&2; exit 1; }
echo "  create: ok"

DRY_RUN_NODES="chat-node-1 chat-node-2 chat-node-3" run down cluster scale 2
expect down "systemctl stop chat-gateway" "az vm delete -g chat-cluster-rg -n chat-node-3"
if grep -qE 'az vm delete .*chat-node-[12] ' "$dry/down"; then echo "  scale 2: deletes a node it keeps" >&2; exit 1; fi
[ "$(line_of down 'systemctl stop')" -lt "$(line_of down 'az vm delete')" ] \
  || { echo "  scale 2: deletes the VM before stopping the service (no BYE)" >&2; exit 1; }
echo "  scale down: ok"

DRY_RUN_NODES="chat-node-1 chat-node-2" run up cluster scale 4
expect up "az vm create -g chat-cluster-rg -n chat-node-3" "az vm create -g chat-cluster-rg -n chat-node-4" \
  "< CHAT_CLUSTER_NODE_ID=chat-node-4"
[ "$(grep -c '^az vm create' "$dry/up")" -eq 2 ] || { echo "  scale 4: not 2 new VMs" >&2; exit 1; }
echo "  scale up: ok"

DRY_RUN_NODES="chat-node-1 chat-node-2" run update cluster update
[ "$(grep -c "^ssh .*'sudo systemctl restart chat-gateway'" "$dry/update")" -eq 2 ] \
  || { cat "$dry/update"; echo "  update: not one restart per node" >&2; exit 1; }
echo "  update: ok"

run destroy cluster destroy
expect destroy "az group delete -n chat-cluster-rg --yes"
echo "  destroy: ok"
