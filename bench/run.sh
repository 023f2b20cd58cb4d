#!/usr/bin/env bash
# Runs the benchmark scenarios (a)–(e) of docs/performance.md against the
# gateway, ngIRCd and InspIRCd in turn, all on 127.0.0.1, and writes the
# table to bench/results/<time>.md (raw JSON lines beside it).
#
#   bench/run.sh            the full run (about 12 minutes)
#   bench/run.sh --quick    a smoke run: small numbers, a few seconds each
#   bench/run.sh --only d   only the cases named (any of a b c d e, and s for start-up; e.g. --only ab)
#
# GATEWAY_ARGS adds properties to every gateway started (e.g. GATEWAY_ARGS=--chat.io-threads=4);
# the table's file name then ends with them, so runs of other settings are not mistaken for defaults.
# SERVERS="gateway inspircd" runs only the servers named (gateway, gateway-postgresql, ngircd, inspircd).
#
# (a) and (e) run on the gateway's two stores in the same run: the embedded H2 file
# and PostgreSQL at 127.0.0.1:5432 (user postgres, trust authentication; PGHOST,
# PGPORT and PGUSER override), in a database made for the run and dropped after it.
# Without a reachable PostgreSQL those rows are left out, with a line saying so.
#
# Installs ngircd and inspircd (Debian packages) when missing, without letting
# their packages start them; builds the jar when missing. The peers run only
# with the configs in bench/peers/, which bind 127.0.0.1 and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
ONLY=abcdes
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY=${2:?--only needs cases, e.g. --only d}; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--only CASES]" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ "$ONLY" == *"$1"* ]]; }

if [ "$QUICK" -eq 1 ]; then
  CLIENTS=100; IDLE=1000; DUR=3s; WARM=1s; RATE=2000; HOLD=3s
else
  CLIENTS=1000; IDLE=10000; DUR=20s; WARM=5s; RATE=20000; HOLD=10s
fi
# Connections opened at once while logging in. ngIRCd listens with a backlog of 10:
# a storm of SYNs makes it drop them and the generator retry for seconds, so it gets
# 10; InspIRCd takes about a second to register each client, so it needs many at once.
CONNECTING=500
GW_PORT=23500
GW_HTTP=23580
NGIRCD_PORT=16667
INSPIRCD_PORT=16668

jar() { for j in target/chat-gateway-*.jar; do [ -f "$j" ] && echo "$j" && return; done; }
JAR=$(jar)
if [ -z "$JAR" ]; then
  ./mvnw -q -B package -DskipTests
  JAR=$(jar)
fi

GW_LAUNCH=(-jar "$JAR")

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
missing=()
command -v ngircd >/dev/null || missing+=(ngircd)
command -v inspircd >/dev/null || missing+=(inspircd)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} (their services are not started)"
  # policy-rc.d 101: the packages must not start daemons on their default, public, configs.
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${as_root[@]}" chmod +x /usr/sbin/policy-rc.d
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
  "${as_root[@]}" rm -f /usr/sbin/policy-rc.d
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# Per process: the server holds IDLE sockets, the generator as many.
if [ "$(ulimit -n)" -lt $((IDLE + 1000)) ]; then
  echo "open files limit $(ulimit -n) is too low for $IDLE idle clients" >&2
  exit 1
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
if [ -n "${GATEWAY_ARGS:-}" ]; then STAMP="$STAMP-$(echo "$GATEWAY_ARGS" | tr -c 'A-Za-z0-9=.\n-' '_' | tr -s '_' | sed 's/^-*//')"; fi
OUT=bench/results
mkdir -p "$OUT"
RAW="$OUT/$STAMP.jsonl"
TABLE="$OUT/$STAMP.md"
WORK=$(mktemp -d /tmp/chatmsg-bench.XXXXXX)
SERVER_PID=""

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
PGDB=""
if command -v psql >/dev/null && psql -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
  HAVE_PG=1
else
  HAVE_PG=0
  echo "PostgreSQL not reachable at $PGHOST:$PGPORT as $PGUSER: the PostgreSQL rows of (a) and (e) are left out" >&2
fi

# pg_fresh: a new empty database for one run, in PGDB and its JDBC URL in PGURL
pg_fresh() {
  pg_drop
  PGDB="chatmsg_bench_$$_$RANDOM"
  psql -d postgres -Atqc "CREATE DATABASE $PGDB" >/dev/null
  PGURL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDB?user=$PGUSER"
}

pg_drop() {
  if [ -n "$PGDB" ]; then psql -d postgres -Atqc "DROP DATABASE IF EXISTS $PGDB" >/dev/null || true; fi
  PGDB=""
}

cleanup() {
  stop_server
  pg_drop
  rm -rf "$WORK"
}
trap cleanup EXIT

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  pg_drop
}

wait_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# A JVM's resident set follows its garbage collector more than its data: before
# reading it, the gateway collects (G1 then gives unused heap back), so baseline
# and loaded readings compare like with like. The peers are C/C++: nothing to do.
settle() {
  if [ "$1" = gateway ]; then jcmd "$SERVER_PID" GC.run >/dev/null 2>&1 || true; sleep 1; fi
}

heap_used_kb() {
  jcmd "$SERVER_PID" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub(/K,?/,"",v); print v; exit}}'
}

# start_server NAME [extra gateway properties...]
start_server() {
  local name=$1; shift
  case "$name" in
    gateway-postgresql)
      # The same gateway on a fresh PostgreSQL database (dropped by stop_server).
      pg_fresh
      start_server gateway --spring.datasource.url="$PGURL" "$@"
      return ;;
    gateway)
      rm -rf "$WORK/data"
      local t0; t0=$(date +%s%N)
      # Defaults as deployed (deploy/azure: -Xms128m -Xmx512m), durable logging on. Only the
      # per-connection command rate is raised: one benchmark connection sends far more than a
      # person; the limit would measure itself (docs/performance.md).
      # shellcheck disable=SC2086 # GATEWAY_ARGS: words, by design
      java -Xms128m -Xmx512m "${GW_LAUNCH[@]}" ${GATEWAY_ARGS:-} --chat.port=$GW_PORT --server.port=$GW_HTTP \
        --chat.bind-address=127.0.0.1 --server.address=127.0.0.1 \
        --chat.data-dir="$WORK/data" --chat.admin.password=bench-only-password \
        --chat.limits.command-burst=1000000 --chat.limits.command-rate=1000000 \
        --logging.level.root=warn "$@" > "$WORK/gateway.log" 2>&1 &
      SERVER_PID=$!
      wait_port $GW_PORT
      STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
      PORT=$GW_PORT; PROTO=chatmsg; CONNECTING=500 ;;
    ngircd)
      ngircd -n -f bench/peers/ngircd.conf > "$WORK/ngircd.log" 2>&1 &
      SERVER_PID=$!
      wait_port $NGIRCD_PORT
      PORT=$NGIRCD_PORT; PROTO=irc; CONNECTING=10 ;;
    inspircd)
      inspircd --nofork --runasroot --config="$PWD/bench/peers/inspircd.conf" > "$WORK/inspircd.log" 2>&1 &
      SERVER_PID=$!
      wait_port $INSPIRCD_PORT
      PORT=$INSPIRCD_PORT; PROTO=irc; CONNECTING=500 ;;
  esac
  sleep 1
}

# bench NAME SCENARIO-LETTER args...: one JSON line, tagged, into $RAW
bench() {
  local name=$1 letter=$2; shift 2
  local line
  # A failed run still prints its JSON line (with "fatal"): record it and go on.
  line=$(java -jar "$JAR" bench 127.0.0.1 "$PORT" --proto "$PROTO" --connecting $CONNECTING "$@" || true)
  [ -n "$line" ] || line='{"fatal":"no output"}'
  echo "{\"server\":\"$name\",\"case\":\"$letter\",${line#\{}" | tee -a "$RAW"
}

servers=(gateway ngircd inspircd)
[ "$HAVE_PG" -eq 1 ] && servers=(gateway gateway-postgresql ngircd inspircd)
# SERVERS=gateway (or any of the names above, space-separated) runs only those.
if [ -n "${SERVERS:-}" ]; then read -r -a servers <<< "$SERVERS"; fi
for server in "${servers[@]}"; do
  echo "== $server"
  if [ "$server" = gateway-postgresql ]; then
    # Only (a) on PostgreSQL: the store is what differs, and (a) is where a row is written per message.
    if want a; then
      start_server "$server"
      bench "$server" a --scenario dm --clients $CLIENTS --window 8 --duration $DUR --warmup $WARM
      stop_server
    fi
    continue
  fi
  if want a || want b || want c; then
    start_server "$server"
    if [ "$server" = gateway ] && ! want s; then
      echo "{\"server\":\"gateway\",\"case\":\"startup\",\"startup_ms\":$STARTUP_MS}" | tee -a "$RAW"
    fi
    want a && bench "$server" a --scenario dm --clients $CLIENTS --window 8 --duration $DUR --warmup $WARM
    want b && bench "$server" b --scenario dm --clients $CLIENTS --rate $RATE --window 64 --duration $DUR --warmup $WARM
    want c && bench "$server" c --scenario fanout --clients $CLIENTS --window 8 --duration $DUR --warmup $WARM
    stop_server
  fi
  want d || continue

  # (d) idle logged-in connections: resident memory above the idle baseline.
  if [ "$server" = gateway ]; then start_server gateway --chat.presence.enabled=false; else start_server "$server"; fi
  # The baseline is the idle server after a small first wave (1% of IDLE clients came and
  # went: code paths loaded and compiled, as on any server that has seen a client). A full
  # first wave would hide the growth being measured: allocators keep what they got, which
  # made ngIRCd read 2 bytes per connection.
  java -jar "$JAR" bench 127.0.0.1 "$PORT" --proto "$PROTO" --scenario connect --clients $((IDLE / 100)) \
    --duration 1s --connecting $CONNECTING > /dev/null || true
  sleep 2
  settle "$server"
  base=$(rss_kb "$SERVER_PID")
  heap_base=$( [ "$server" = gateway ] && heap_used_kb || echo 0 )
  java -jar "$JAR" bench 127.0.0.1 "$PORT" --proto "$PROTO" --scenario connect --clients $IDLE --duration $HOLD \
    --connecting $CONNECTING > "$WORK/connect.json" &
  gen=$!
  # Read the server while everyone is logged in: the generator holds them for $HOLD
  # after the last LOGIN; read it in the second half of that hold.
  while kill -0 $gen 2>/dev/null && ! grep -q . "$WORK/connect.json" 2>/dev/null; do
    if [ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge "$IDLE" ]; then break; fi
    sleep 0.2
  done
  sleep 2
  settle "$server"
  peak=$(rss_kb "$SERVER_PID")
  heap=$( [ "$server" = gateway ] && heap_used_kb || echo 0 )
  wait $gen || true
  line=$(cat "$WORK/connect.json")
  per=$(( (peak - base) * 1024 / IDLE ))
  heap_per=$(( (${heap:-0} - ${heap_base:-0}) * 1024 / IDLE ))
  echo "{\"server\":\"$server\",\"case\":\"d\",\"rss_base_kb\":$base,\"rss_kb\":$peak,\"rss_per_connection_bytes\":$per,\"heap_per_connection_bytes\":$heap_per,${line#\{}" | tee -a "$RAW"
  stop_server
done

if want s; then
  # Start-up to accepting connections, median of three: the plain jar, and as deploy/azure
  # installs it (extracted, with the class-data sharing archive install-jar.sh trains).
  echo "== gateway start-up"
  deploy/azure/install-jar.sh "$JAR" "$(mkdir -p "$WORK/opt" && echo "$WORK/opt")" > /dev/null
  for mode in plain cds; do
    if [ "$mode" = cds ]; then
      GW_LAUNCH=(-XX:SharedArchiveFile="$WORK/opt/app/app.jsa" -jar "$WORK/opt/app/chat-gateway.jar")
    else
      GW_LAUNCH=(-jar "$JAR")
    fi
    runs=()
    for _ in 1 2 3; do start_server gateway; runs+=("$STARTUP_MS"); stop_server; done
    median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
    name=startup; [ "$mode" = cds ] && name=startup_cds
    echo "{\"server\":\"gateway\",\"case\":\"$name\",\"startup_ms\":$median,\"runs_ms\":[$(IFS=,; echo "${runs[*]}")]}" | tee -a "$RAW"
  done
  GW_LAUNCH=(-jar "$JAR")
fi

if want e; then
  # The durable write path alone, on H2 (a fresh file) and on PostgreSQL (a fresh database).
  echo "== gateway write path"
  line=$(java -jar "$JAR" bench --scenario writepath --clients 8 --window 256 --duration $DUR --warmup $WARM)
  echo "{\"server\":\"gateway\",\"case\":\"e\",${line#\{}" | tee -a "$RAW"
  if [ "$HAVE_PG" -eq 1 ]; then
    pg_fresh
    line=$(java -jar "$JAR" bench --scenario writepath --url "$PGURL" --clients 8 --window 256 --duration $DUR \
      --warmup $WARM)
    pg_drop
    echo "{\"server\":\"gateway-postgresql\",\"case\":\"e\",${line#\{}" | tee -a "$RAW"
  fi
fi

python3 bench/table.py "$RAW" > "$TABLE"
cat "$TABLE"
echo "raw results: $RAW"
