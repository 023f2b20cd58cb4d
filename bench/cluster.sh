#!/usr/bin/env bash
# Measures cluster mode (docs/performance.md, "Cluster mode"): two nodes of the built
# jar on loopback, on a PostgreSQL database made for the run and a Redis key prefix of
# their own, then, after a warm-up:
#   (a) direct messages at a fixed rate, the clients spread over both nodes (bench
#       --hosts: recipients are random peers, so about half the messages cross nodes);
#   (b) the same with every client on node 1 (all local: the baseline of (a));
#   (c) broadcasts (MSG ALL) from one client to clients on both nodes.
# Around each run it reads the gateways' CPU time (/proc/<pid>/stat), Redis' (INFO cpu)
# and PostgreSQL's (/proc of its processes: this database's backends, and all of them),
# Redis' XADD calls (INFO commandstats, server-wide) and the entries added to the streams
# under the prefix (XINFO STREAM entries-added: this cluster's only). An idle interval
# and a run that only logs the clients in and out come first: what every run costs
# besides its messages. Table: bench/results/cluster-<time>.md, raw JSON
# lines beside it (.jsonl); bench/cluster_table.py writes the table from the lines.
#
#   bench/cluster.sh              the full run (about 4 minutes, 7 with --repeat 2)
#   bench/cluster.sh --quick      a smoke run: 3 s each
#   bench/cluster.sh --repeat N   every case N times, to see the noise
#   bench/cluster.sh --rate R     direct messages at R per second instead of 5,000
#
# PostgreSQL at PGHOST:PGPORT as PGUSER (127.0.0.1:5432, postgres, trust authentication);
# Redis at REDIS_URL (redis://127.0.0.1:6379). Nodes: chat 127.0.0.1:24401-24402, HTTP
# 24481-24482. Everything it starts is stopped, the database dropped and the keys under
# the prefix deleted when it ends, whatever the outcome; the nodes' logs are kept in
# /tmp/chatmsg-cluster-bench-<time>-node<i>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
REPEAT=1
RATE=5000            # direct messages per second, all senders together
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --repeat) REPEAT=${2:?--repeat needs a number}; shift ;;
    --rate) RATE=${2:?--rate needs messages per second}; shift ;;
    *) echo "usage: bench/cluster.sh [--quick] [--repeat N] [--rate R]" >&2; exit 2 ;;
  esac
  shift
done
[[ "$REPEAT" =~ ^[1-9]$ ]] || { echo "--repeat must be 1 to 9" >&2; exit 2; }
[[ "$RATE" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "--rate must be 1 to 999999" >&2; exit 2; }

CLIENTS=200
FAN_RATE=25          # broadcasts per second: 25 x 199 recipients = about the same deliveries
if [ "$QUICK" -eq 1 ]; then
  DUR=3s; WARM=1s; WARMUP_RUN=2s; IDLE=3
else
  DUR=20s; WARM=5s; WARMUP_RUN=15s; IDLE=10
fi
CHAT_BASE=24400
WEB_BASE=24480
NODES=2

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

for tool in java psql redis-cli jq python3 curl; do
  command -v "$tool" >/dev/null || { echo "bench/cluster.sh needs $tool" >&2; exit 1; }
done
JAR=""
for j in target/chat-gateway-*.jar; do [ -f "$j" ] && JAR=$j && break; done
if [ -z "$JAR" ]; then
  ./mvnw -q -B package -DskipTests
  for j in target/chat-gateway-*.jar; do [ -f "$j" ] && JAR=$j && break; done
fi
psql -d postgres -Atqc 'SELECT 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }
[ "$(redis-cli -u "$REDIS_URL" ping)" = PONG ] || { echo "no Redis at $REDIS_URL" >&2; exit 1; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results
mkdir -p "$OUT"
RAW="$OUT/cluster-$STAMP.jsonl"
TABLE="$OUT/cluster-$STAMP.md"
WORK=$(mktemp -d /tmp/chatmsg-cluster-bench.XXXXXX)
TAG="cb$$x$RANDOM"
DB="chatmsg_$TAG"
PREFIX="chatmsg-$TAG:"
PIDS=()
TICK=$(getconf CLK_TCK)

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  psql -d postgres -Atqc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX*" | while read -r key; do
    redis-cli -u "$REDIS_URL" unlink "$key" >/dev/null
  done
  # The nodes' logs outlive the run, for whatever the table's last lines point at.
  for i in $(seq 1 "$NODES"); do
    if [ -f "$WORK/node$i/log" ]; then cp "$WORK/node$i/log" "/tmp/chatmsg-cluster-bench-$STAMP-node$i.log"; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

psql -d postgres -Atqc "CREATE DATABASE $DB" >/dev/null

start_node() { # i
  local i=$1
  mkdir -p "$WORK/node$i"
  # As deployed (-Xms128m -Xmx512m, durable logging on); only the per-connection command
  # rate is raised, as in bench/run.sh: one benchmark connection sends far more than a person.
  java -Xms128m -Xmx512m -jar "$JAR" \
    --chat.cluster.enabled=true --chat.cluster.node-id="node$i" --chat.cluster.key-prefix="$PREFIX" \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" --spring.datasource.username="$PGUSER" \
    --spring.data.redis.url="$REDIS_URL" \
    --chat.bind-address=127.0.0.1 --chat.port=$((CHAT_BASE + i)) \
    --server.address=127.0.0.1 --server.port=$((WEB_BASE + i)) \
    --chat.data-dir="$WORK/node$i/data" --chat.admin.password=bench-only-password \
    --chat.store.startup-wait=30s \
    --chat.limits.command-burst=1000000 --chat.limits.command-rate=1000000 \
    > "$WORK/node$i/log" 2>&1 &
  PIDS+=($!)
}

wait_ready() { # i
  local i=$1
  for _ in $(seq 1 180); do
    if curl -s -m 2 "http://127.0.0.1:$((WEB_BASE + i))/actuator/health/readiness" | grep -q '"status":"UP"'; then
      return 0
    fi
    kill -0 "${PIDS[$((i - 1))]}" 2>/dev/null || { tail -n 30 "$WORK/node$i/log" >&2; echo "node$i exited" >&2; exit 1; }
    sleep 1
  done
  echo "node$i not ready after 3 minutes" >&2
  exit 1
}

# ticks PID...: {"pid": utime+stime in clock ticks, ...} (field 2, the name, may hold spaces)
ticks() {
  local pid stat
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086 # split into fields on purpose
    set -- $stat
    printf '"%s":%s\n' "$pid" "$(( ${12} + ${13} ))"
  done | paste -sd, | sed 's/^/{/; s/$/}/'
}

entries_added() { # the streams under the prefix: stream entries ever added (trimming does not lower it)
  local key total=0 n
  for key in "${PREFIX}inbox:node1" "${PREFIX}inbox:node2" "${PREFIX}all" "${PREFIX}control"; do
    n=$(redis-cli -u "$REDIS_URL" XINFO STREAM "$key" 2>/dev/null | awk 'prev == "entries-added" {print; exit} {prev = $0}')
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# snapshot: one JSON object of every counter read around a run
snapshot() {
  local stats cpu db_pids queued
  stats=$(redis-cli -u "$REDIS_URL" INFO commandstats | tr -d '\r')
  cpu=$(redis-cli -u "$REDIS_URL" INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.6f", s}')
  mapfile -t db_pids < <(psql -d postgres -Atqc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'")
  # Messages committed for a recipient and not (yet) handed to it; the schema is the nodes'.
  queued=$(psql -d "$DB" -Atqc 'SELECT count(*) FROM queued_messages' 2>/dev/null || echo 0)
  jq -cn \
    --argjson t "$(date +%s%N)" \
    --argjson gw "$(ticks "${PIDS[@]}")" \
    --argjson pg_db "$(ticks "${db_pids[@]}")" \
    --argjson pg_all "$(ticks $(pgrep -x postgres))" \
    --argjson redis_cpu "$cpu" \
    --argjson xadd "$(awk -F'[=,]' '/^cmdstat_xadd:/ {print $2}' <<<"$stats" | grep . || echo 0)" \
    --argjson redis_calls "$(awk -F'[=,]' '/^cmdstat_/ {s += $2} END {print s + 0}' <<<"$stats")" \
    --argjson entries "$(entries_added)" \
    --argjson queued "$queued" \
    '{t: $t, gw: $gw, pg_db: $pg_db, pg_all: $pg_all, redis_cpu: $redis_cpu, xadd: $xadd,
      redis_calls: $redis_calls, entries: $entries, queued: $queued}'
}

settle() {
  local now last="" same=0
  for _ in $(seq 1 60); do
    sleep 1
    now="$(entries_added) $(psql -d "$DB" -Atqc 'SELECT count(*) FROM queued_messages' 2>/dev/null)"
    if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
    [ "$same" -ge 2 ] && return 0
    last=$now
  done
}

# measure CASE REPEAT COMMAND...: runs COMMAND (a bench run, or sleep) between two snapshots
# and appends one line to $RAW: the case, the bench line (or null), the differences.
measure() {
  local name=$1 rep=$2 before after line
  shift 2
  before=$(snapshot)
  line=$("$@" || true)
  # Logouts and the last hand-overs land in the run they belong to: an overloaded run
  # leaves a backlog in the nodes' database writers, whose hand-overs and deletions go
  # on after the generator has gone. Settled: nothing changed for 2 s (at most 60 s).
  settle
  after=$(snapshot)
  [ -n "$line" ] || line=null
  jq -cn --arg case "$name" --argjson rep "$rep" --argjson bench "$line" \
    --argjson b "$before" --argjson a "$after" --argjson tick "$TICK" '
    def cpu(f): [($a | f | to_entries[]) as $e | ($e.value - (($b | f)[$e.key] // 0))] | add // 0 | . / $tick;
    {case: $case, repeat: $rep, wall_s: (($a.t - $b.t) / 1e9),
     gateway_cpu_s: cpu(.gw), postgres_db_cpu_s: cpu(.pg_db), postgres_all_cpu_s: cpu(.pg_all),
     redis_cpu_s: ($a.redis_cpu - $b.redis_cpu), xadd: ($a.xadd - $b.xadd),
     redis_calls: ($a.redis_calls - $b.redis_calls), entries_added: ($a.entries - $b.entries),
     left_queued: ($a.queued - $b.queued), bench: $bench}' >> "$RAW"
  jq -c 'if .bench then {case, repeat, sent: .bench.sent, lost: .bench.lost, duplicates: .bench.duplicates,
    cross_node: .bench.cross_node, p99: .bench.latency_ms.p99, xadd, entries_added, left_queued, gateway_cpu_s}
    else {case, gateway_cpu_s, xadd} end' <<<"$(tail -n 1 "$RAW")"
}

gen() { java -Xmx512m -jar "$JAR" bench "$@"; }
NODE1=127.0.0.1:$((CHAT_BASE + 1))
NODE2=127.0.0.1:$((CHAT_BASE + 2))
DM=(--scenario dm --clients "$CLIENTS" --rate "$RATE" --window 64 --duration "$DUR" --warmup "$WARM")
FAN=(--scenario fanout --clients "$CLIENTS" --rate "$FAN_RATE" --window 8 --duration "$DUR" --warmup "$WARM")

echo "cluster bench: database $DB, Redis prefix $PREFIX, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$NODES"); do start_node "$i"; done
for i in $(seq 1 "$NODES"); do wait_ready "$i"; done
echo "nodes ready: $NODE1 (pid ${PIDS[0]}), $NODE2 (pid ${PIDS[1]})"

{
  printf '{"meta":true,"stamp":"%s","commit":"%s","load_before":"%s","cpus":%s,"quick":%s,' \
    "$STAMP" "$(git rev-parse --short HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" "$QUICK"
  printf '"clients":%s,"rate":%s,"fan_rate":%s,"duration":"%s","warmup":"%s"}\n' \
    "$CLIENTS" "$RATE" "$FAN_RATE" "$DUR" "$WARM"
} > "$RAW"

echo "warm-up: $WARMUP_RUN of (a), not counted"
gen --hosts "$NODE1,$NODE2" --scenario dm --clients "$CLIENTS" --rate "$RATE" --window 64 \
  --duration "$WARMUP_RUN" --warmup 0s > "$WORK/warmup.json" || true
sleep 2
measure idle 0 sleep "$IDLE"
# The fixed cost of a run: logging the clients in and out, with no traffic.
measure login 0 gen --hosts "$NODE1,$NODE2" --scenario connect --clients "$CLIENTS" --duration 1s
for rep in $(seq 1 "$REPEAT"); do
  measure a "$rep" gen --hosts "$NODE1,$NODE2" "${DM[@]}"
  measure b "$rep" gen 127.0.0.1 $((CHAT_BASE + 1)) "${DM[@]}"
  measure c "$rep" gen --hosts "$NODE1,$NODE2" "${FAN[@]}"
done

warnings=$( (grep -hE ' (WARN|ERROR) ' "$WORK"/node*/log || true) | head -n 50 | jq -Rsc 'split("\n") | map(select(. != ""))')
jq -cn --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson w "$warnings" \
  '{meta: true, load_after: $load, node_log_warnings: $w}' >> "$RAW"
python3 bench/cluster_table.py "$RAW" > "$TABLE"
echo "table: $TABLE (raw lines: $RAW; node logs: /tmp/chatmsg-cluster-bench-$STAMP-node<i>.log)"
cat "$TABLE"
