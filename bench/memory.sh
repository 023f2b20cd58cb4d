#!/usr/bin/env bash
# bench/memory.sh JAR [CLIENTS]: what one idle logged-in connection costs the gateway.
#
# Starts the jar as bench/run.sh's case (d) does (-Xms128m -Xmx512m, presence off,
# a data dir of its own), lets a first wave of CLIENTS/100 come and go so code paths
# are loaded, collects, then logs CLIENTS clients in and keeps them idle, collects
# again, and prints the live heap and resident set per connection, followed by the
# growth of every class in the heap (jcmd GC.class_histogram, before and after),
# largest first. Needs jcmd (the JDK) and python3; about a minute.
set -euo pipefail
JAR=${1:?usage: bench/memory.sh JAR [CLIENTS]}
N=${2:-10000}
OUT=$(mktemp -d)
trap 'kill "$GEN" "$PID" 2>/dev/null || true; rm -rf "$OUT"' EXIT
PORT=$((20000 + RANDOM % 20000))
GEN=
java -Xms128m -Xmx512m -jar "$JAR" --chat.port="$PORT" --server.port=$((PORT + 1)) \
  --chat.bind-address=127.0.0.1 --server.address=127.0.0.1 --chat.data-dir="$OUT/data" \
  --chat.admin.password=bench-only-password --chat.limits.command-burst=1000000 \
  --chat.limits.command-rate=1000000 --chat.presence.enabled=false --logging.level.root=warn \
  > "$OUT/gateway.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.5; done
heap_kb() { jcmd "$PID" GC.heap_info | awk '/garbage-first heap/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub(/K,?/,"",v); print v; exit}}'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
settle() { jcmd "$PID" GC.run > /dev/null; sleep 1; jcmd "$PID" GC.run > /dev/null; sleep 1; }
java -jar "$JAR" bench 127.0.0.1 "$PORT" --proto chatmsg --scenario connect --clients $((N / 100)) \
  --duration 1s --connecting 500 > /dev/null
settle
heap0=$(heap_kb); rss0=$(rss_kb); jcmd "$PID" GC.class_histogram > "$OUT/before.txt"
java -jar "$JAR" bench 127.0.0.1 "$PORT" --proto chatmsg --scenario connect --clients "$N" \
  --duration 600s --connecting 500 > /dev/null &
GEN=$!
for _ in $(seq 1 300); do
  [ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge "$N" ] && break
  sleep 1
done
sleep 5
settle
heap1=$(heap_kb); rss1=$(rss_kb); jcmd "$PID" GC.class_histogram > "$OUT/after.txt"
echo "clients=$N live_heap_per_connection_bytes=$(( (heap1 - heap0) * 1024 / N ))" \
  "rss_per_connection_bytes=$(( (rss1 - rss0) * 1024 / N ))"
python3 - "$OUT/before.txt" "$OUT/after.txt" "$N" <<'PY'
import re, sys
def load(path):
    out = {}
    for line in open(path):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out
before, after, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = sorted(((b - before.get(k, (0, 0))[1], c - before.get(k, (0, 0))[0], k)
               for k, (c, b) in after.items()), reverse=True)
def share(prefix):
    return sum(r[0] for r in rows if r[2].startswith(prefix)) / n
print("by owner (bytes per connection): io.netty %.0f, io.chatmsg %.0f, org.h2 (the database's page cache) %.0f"
      % (share("io.netty"), share("io.chatmsg"), share("org.h2")))
for grown, count, name in rows[:40]:
    print("%8.1f B %6.2f objects  %s" % (grown / n, count / n, name))
PY
