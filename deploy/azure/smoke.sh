#!/usr/bin/env bash
# Starts the packaged jar the way chat-gateway.service does — its ExecStart,
# an environment file of the same shape, the data dir as working directory —
# connects a client, sends a message, then stops it with SIGTERM and checks
# it exits cleanly (0 or 143, the unit's SuccessExitStatus).
# Usage: deploy/azure/smoke.sh [path/to/chat-gateway.jar]   (run by .ci/run after the build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
jar="${1:-$(find "$top/target" -maxdepth 1 -name 'chat-gateway-*.jar' ! -name '*.original' | head -n 1)}"
[ -f "$jar" ] || { echo "smoke: no jar (run ./mvnw package first)" >&2; exit 1; }

work="$(mktemp -d)"
data="$work/var-lib-chat-gateway"
mkdir -p "$data"
log="$work/journal.log"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The env file as cloud-init writes it, with the ports left to the system.
sed -e "s|^CHAT_DATA_DIR=.*|CHAT_DATA_DIR=$data|" \
    -e 's|^CHAT_PORT=.*|CHAT_PORT=0|' \
    -e 's|^SERVER_PORT=.*|SERVER_PORT=0|' \
    -e 's|^CHAT_ADMIN_PASSWORD=.*|CHAT_ADMIN_PASSWORD=smoke-test-password|' \
    "$here/chat-gateway.env.example" > "$work/chat-gateway.env"

# The jar installed as deploy.sh installs it (extracted, CDS archive trained) into a
# stand-in for /opt/chat-gateway.
opt="$work/opt-chat-gateway"
mkdir -p "$opt"
"$here/install-jar.sh" "$jar" "$opt"
[ -s "$opt/app/app.jsa" ] || { echo "smoke: install-jar.sh trained no CDS archive" >&2; exit 1; }

# ExecStart from the unit, with /opt/chat-gateway on this machine and java from PATH.
exec_start="$(sed -n 's/^ExecStart=//p' "$here/chat-gateway.service")"
exec_start="${exec_start//\/opt\/chat-gateway/$opt}"
exec_start="${exec_start//\/usr\/bin\/java/java -Xlog:cds=warning}"
echo "smoke: ExecStart=$exec_start (working directory $data)"

(
  set -a
  # shellcheck source=/dev/null
  . "$work/chat-gateway.env"
  set +a
  cd "$data"
  # Word splitting of $JAVA_OPTS is what systemd does too.
  eval "exec $exec_start"
) > "$log" 2>&1 &
pid=$!

port=""
for _ in $(seq 1 120); do
  port="$(sed -n 's/.*CHAT-MSG\/1 listening on tcp [^:]*:\([0-9]*\).*/\1/p' "$log" | head -n 1)"
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "smoke: the gateway exited during start-up" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { cat "$log"; echo "smoke: not listening after 60 s" >&2; exit 1; }
echo "smoke: listening on $port"

# A client over bash's /dev/tcp: log in, send a message, quit.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'LOGIN smoke\r\nMSG smoke hello from the smoke test\r\nQUIT\r\n' >&3
reply="$(timeout 10 cat <&3 || true)"
exec 3<&-
printf '%s\n' "$reply" | sed 's/^/smoke:   /'
printf '%s' "$reply" | grep -q '^200 LOGIN smoke' || { tail -n 40 "$log"; echo "smoke: no 200 LOGIN" >&2; exit 1; }
printf '%s' "$reply" | grep -q '^200 MSG [0-9]' || { tail -n 40 "$log"; echo "smoke: message not acknowledged" >&2; exit 1; }

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
  cat "$log"
  echo "smoke: exit status $status after SIGTERM (expected 0 or 143)" >&2
  exit 1
fi
grep -q 'CHAT-MSG gateway stopped' "$log" || { cat "$log"; echo "smoke: no clean gateway stop in the log" >&2; exit 1; }
if grep -q '\[warning\]\[cds' "$log"; then
  grep '\[cds' "$log" >&2
  echo "smoke: the JVM did not use the CDS archive" >&2
  exit 1
fi
echo "smoke: stopped cleanly with status $status"
