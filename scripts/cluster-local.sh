#!/usr/bin/env bash
# Runs a ChatMsg Gateway cluster on this machine: N nodes of the built jar on
# loopback, one PostgreSQL database and one Redis shared by all, and HAProxy in
# front of them as the single chat address. For trying cluster mode and its
# fail-over; docs/cluster-local.md walks through it.
#
# Usage: scripts/cluster-local.sh [COMMAND] [OPTIONS]
#
# Commands:
#   start      (the default) start the nodes that are not running and HAProxy, wait until
#              every node is ready, print how to connect. Again with another -n: scale to N
#              (nodes above N are taken out of HAProxy, then stopped gracefully).
#   stop       stop the nodes (SIGTERM: clients get "BYE server shutting down"), then HAProxy
#   status     each node: pid alive, readiness; HAProxy: up, and its view of each node
#   kill N     kill -9 node N, to watch fail-over (start brings it back)
#   clean      stop, delete the work dir, drop the default database and the Redis keys
#              under the key prefix
#
# Options (start remembers them in the work dir: later commands reuse them):
#   -n N             nodes [2]
#   --url URL        the nodes' database [jdbc:postgresql://127.0.0.1:5432/chatmsg_cluster_local,
#                    created as user postgres if absent]; its password, if any, from the
#                    environment variable SPRING_DATASOURCE_PASSWORD
#   --user USER      the database user [postgres]
#   --redis URL      Redis [redis://127.0.0.1:6379]
#   --prefix P       Redis key prefix [chatmsg-local:]
#   --dir DIR        work dir: node<i>/{data,log,pid}, haproxy.cfg [./cluster-local]
#   --jar JAR        [target/chat-gateway-*.jar]
#   --listen ADDR    HAProxy's address [127.0.0.1]; 0.0.0.0 lets other machines in
#   --no-cluster     run the nodes with chat.cluster.enabled=false: independent gateways on
#                    one database, no Redis; checks only the balancer plumbing (clients on
#                    different nodes do not see each other live)
#   -h, --help
#
# Node i: chat port 12400+i (TCP and UDP), dashboard http://127.0.0.1:18080+i/, node id node<i>.
# HAProxy: chat on 12345 (TCP), its statistics on http://127.0.0.1:18000/.
# UDP: HAProxy has no UDP; a UDP client talks to one node directly (nc -u 127.0.0.1 12401).
# Environment: JAVA_OPTS [-Xms64m -Xmx256m] for every node.
set -euo pipefail

CHAT_BASE=12400
WEB_BASE=18080
LB_PORT=12345
STATS_PORT=18000
DEFAULT_DB=chatmsg_cluster_local
PG_HOST=127.0.0.1
PG_PORT=5432

top="$(cd "$(dirname "$0")/.." && pwd)"

# The properties every node starts with: the one place to change them. Node $1; the
# settings below (db_url, redis_url, ...) are read after the options.
node_props() {
  local i="$1"
  props=(
    "--chat.cluster.enabled=$cluster"
    "--chat.cluster.node-id=node$i"
    "--chat.cluster.key-prefix=$prefix"
    "--spring.data.redis.url=$redis_url"
    "--spring.datasource.url=$db_url"
    "--spring.datasource.username=$db_user"
    "--chat.bind-address=127.0.0.1"
    "--chat.port=$((CHAT_BASE + i))"
    "--server.address=127.0.0.1"
    "--server.port=$((WEB_BASE + i))"
    "--chat.data-dir=$work/node$i/data"
    "--chat.files.dir=$work/files"
    "--chat.store.startup-wait=30s"
  )
}

die() { echo "cluster-local: $*" >&2; exit 1; }
say() { echo "cluster-local: $*"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is needed: $2"
}

alive() { # pidfile
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

readiness() { # node
  local body
  body="$(curl -s -m 2 "http://127.0.0.1:$((WEB_BASE + $1))/actuator/health/readiness" 2>/dev/null || true)"
  # The first "status" is the group's own (components, if shown, come after it).
  body="$(grep -o '"status":"[A-Z_]*"' <<<"$body" | head -n 1 | cut -d'"' -f4)"
  echo "${body:-no answer}"
}

# --- options, then the settings remembered by an earlier start, then the defaults ---
command="start"
kill_node=""
opt_n="" opt_url="" opt_user="" opt_redis="" opt_prefix="" opt_jar="" opt_listen="" opt_cluster=""
work="./cluster-local"
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then command="$1"; shift; fi
if [ "$command" = kill ]; then
  kill_node="${1:-}"
  [[ "$kill_node" =~ ^[1-9][0-9]*$ ]] || die "kill needs a node number: kill N"
  shift
fi
while [ $# -gt 0 ]; do
  case "$1" in
    -n) opt_n="${2:?-n needs a number}"; shift 2 ;;
    --url) opt_url="${2:?--url needs a JDBC URL}"; shift 2 ;;
    --user) opt_user="${2:?--user needs a name}"; shift 2 ;;
    --redis) opt_redis="${2:?--redis needs a URL}"; shift 2 ;;
    --prefix) opt_prefix="${2:?--prefix needs a value}"; shift 2 ;;
    --dir) work="${2:?--dir needs a directory}"; shift 2 ;;
    --jar) opt_jar="${2:?--jar needs a file}"; shift 2 ;;
    --listen) opt_listen="${2:?--listen needs an address}"; shift 2 ;;
    --no-cluster) opt_cluster=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
case "$command" in start|stop|status|kill|clean) ;; *) usage >&2; exit 2 ;; esac
if [ "$command" = start ]; then mkdir -p "$work"; fi
[ -d "$work" ] || die "no work dir $work (give --dir, or start first)"
work="$(cd "$work" && pwd)"
settings="$work/settings"

declare -A saved=()
if [ -f "$settings" ]; then
  while IFS='=' read -r key value; do saved[$key]="$value"; done < "$settings"
fi
nodes="${opt_n:-${saved[nodes]:-2}}"
db_url="${opt_url:-${saved[url]:-jdbc:postgresql://$PG_HOST:$PG_PORT/$DEFAULT_DB}}"
db_user="${opt_user:-${saved[user]:-postgres}}"
redis_url="${opt_redis:-${saved[redis]:-redis://127.0.0.1:6379}}"
prefix="${opt_prefix:-${saved[prefix]:-chatmsg-local:}}"
jar="${opt_jar:-${saved[jar]:-}}"
listen="${opt_listen:-${saved[listen]:-127.0.0.1}}"
cluster="${opt_cluster:-${saved[cluster]:-true}}"
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || die "-n must be 1 to 99"

node_dirs() { # every node<i> the work dir holds, in order
  find "$work" -mindepth 1 -maxdepth 1 -type d -name 'node[0-9]*' -printf '%f\n' | sed 's/^node//' | sort -n
}

# --- start ---
find_jar() {
  if [ -z "$jar" ]; then
    jar="$(find "$top/target" -maxdepth 1 -name 'chat-gateway-*.jar' ! -name '*.original' 2>/dev/null | head -n 1)"
  fi
  [ -f "$jar" ] || die "no jar: build it first with ./mvnw -B -DskipTests package (or give --jar)"
  jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
}

ensure_database() {
  [ "$db_url" = "jdbc:postgresql://$PG_HOST:$PG_PORT/$DEFAULT_DB" ] || return 0
  need psql "apt-get install postgresql-client (and a PostgreSQL server on $PG_HOST:$PG_PORT)"
  local exists
  exists="$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$db_user" -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '$DEFAULT_DB'")" \
    || die "cannot reach PostgreSQL on $PG_HOST:$PG_PORT as $db_user"
  if [ -z "$exists" ]; then
    say "creating database $DEFAULT_DB"
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$db_user" -d postgres -qc "CREATE DATABASE $DEFAULT_DB" >/dev/null
  fi
}

check_redis() {
  [ "$cluster" = true ] || return 0
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -u "$redis_url" ping 2>/dev/null)" = PONG ] || die "no Redis at $redis_url (apt-get install redis-server)"
  fi
}

start_node() { # node
  local i="$1" dir="$work/node$1"
  mkdir -p "$dir/data"
  if alive "$dir/pid"; then
    say "node$i already running (pid $(cat "$dir/pid"))"
    return
  fi
  node_props "$i"
  # The admin password travels in the environment, not on the command line (ps shows that).
  # JAVA_OPTS is split into words on purpose, as a shell does.
  # shellcheck disable=SC2086
  (cd "$dir" && CHAT_ADMIN_PASSWORD="$(cat "$work/admin-password")" \
    exec nohup java ${JAVA_OPTS:--Xms64m -Xmx256m} -jar "$jar" "${props[@]}") >"$dir/log" 2>&1 &
  echo $! > "$dir/pid"
  say "node$i starting (pid $!, chat 127.0.0.1:$((CHAT_BASE + i)), log $dir/log)"
}

wait_ready() { # node...
  local i waiting=("$@")
  for _ in $(seq 1 180); do
    local still=()
    for i in "${waiting[@]}"; do
      if ! alive "$work/node$i/pid"; then
        tail -n 20 "$work/node$i/log" >&2
        die "node$i exited during start-up (log above: $work/node$i/log)"
      fi
      [ "$(readiness "$i")" = UP ] || still+=("$i")
    done
    [ ${#still[@]} -eq 0 ] && return
    waiting=("${still[@]}")
    sleep 1
  done
  die "not ready after 3 minutes: node${waiting[*]} (see $work/node<i>/log)"
}

write_haproxy_cfg() { # file
  local i hard maxconn
  hard="$(ulimit -Hn)"
  [ "$hard" = unlimited ] && hard=1048576
  maxconn=$(( (hard - 100) / 2 ))
  [ "$maxconn" -gt 20000 ] && maxconn=20000
  {
    cat <<CFG
# Written by scripts/cluster-local.sh: regenerated at each start.
global
    maxconn $maxconn

defaults
    mode tcp
    timeout connect 5s
    # Chat connections live for hours. The gateway pings a client after 60 s of silence
    # (chat.limits.idle-timeout), so an idle hour only ever ends a dead connection.
    timeout client 1h
    timeout server 1h
    timeout client-fin 30s
    timeout server-fin 30s
    # A node refusing the connection: try another.
    retries 2
    option redispatch

listen chat
    bind $listen:$LB_PORT
    balance leastconn
    # Ready = the node's readiness is UP (200). A stopping node turns OUT_OF_SERVICE (503)
    # at once, so no new client reaches it. Sessions already open are left alone (no
    # on-marked-down shutdown-sessions): the node sends them BYE itself after their replies.
    option httpchk GET /actuator/health/readiness
    default-server inter 2s fastinter 1s fall 2 rise 2
CFG
    for i in $(seq 1 "$nodes"); do
      echo "    server node$i 127.0.0.1:$((CHAT_BASE + i)) check port $((WEB_BASE + i))"
    done
    cat <<CFG

listen stats
    mode http
    bind 127.0.0.1:$STATS_PORT
    timeout client 30s
    stats enable
    stats uri /
    stats refresh 5s
CFG
  } > "$1"
}

start_haproxy() {
  need haproxy "apt-get install haproxy"
  local cfg="$work/haproxy.cfg" pidfile="$work/haproxy.pid"
  write_haproxy_cfg "$cfg.new"
  haproxy -c -q -f "$cfg.new" || die "HAProxy rejects $cfg.new"
  if alive "$pidfile" && cmp -s "$cfg.new" "$cfg"; then
    rm "$cfg.new"
    say "HAProxy already running (pid $(cat "$pidfile"))"
    return
  fi
  mv "$cfg.new" "$cfg"
  if alive "$pidfile"; then
    # Reload: the new process takes the port; the old one finishes the connections it holds
    # and exits (remembered so stop can end it sooner).
    local old
    old="$(cat "$pidfile")"
    echo "$old" >> "$work/haproxy.old-pids"
    haproxy -D -f "$cfg" -p "$pidfile" -sf "$old"
    say "HAProxy reloaded with $nodes nodes (pid $(cat "$pidfile"))"
  else
    haproxy -D -f "$cfg" -p "$pidfile" || die "HAProxy did not start (is $listen:$LB_PORT or 127.0.0.1:$STATS_PORT taken?)"
    say "HAProxy on $listen:$LB_PORT (pid $(cat "$pidfile"))"
  fi
}

stop_nodes() { # node...
  local i pids=()
  for i in "$@"; do
    if alive "$work/node$i/pid"; then
      kill -TERM "$(cat "$work/node$i/pid")"
      pids+=("$i")
      say "node$i stopping"
    fi
  done
  for _ in $(seq 1 30); do
    local left=()
    for i in "${pids[@]}"; do alive "$work/node$i/pid" && left+=("$i"); done
    [ ${#left[@]} -eq 0 ] && break
    pids=("${left[@]}")
    sleep 1
  done
  for i in "$@"; do
    if alive "$work/node$i/pid"; then
      say "node$i still running after 30 s: kill -9"
      kill -9 "$(cat "$work/node$i/pid")"
    fi
    rm -f "$work/node$i/pid"
  done
}

start() {
  need java "a JDK or JRE 17+"
  need curl "apt-get install curl"
  find_jar
  ensure_database
  check_redis
  if [ ! -f "$work/admin-password" ]; then
    (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/admin-password")
  fi
  printf '%s\n' "nodes=$nodes" "url=$db_url" "user=$db_user" "redis=$redis_url" "prefix=$prefix" \
    "jar=$jar" "listen=$listen" "cluster=$cluster" > "$settings"
  local i started=()
  for i in $(seq 1 "$nodes"); do
    alive "$work/node$i/pid" || started+=("$i")
    start_node "$i"
  done
  [ ${#started[@]} -eq 0 ] || wait_ready "${started[@]}"
  start_haproxy
  local extra=()
  for i in $(node_dirs); do
    [ "$i" -gt "$nodes" ] && alive "$work/node$i/pid" && extra+=("$i")
  done
  [ ${#extra[@]} -eq 0 ] || stop_nodes "${extra[@]}"
  local host="$listen"
  [ "$host" = 0.0.0.0 ] && host=127.0.0.1
  cat <<TXT

$nodes nodes ready$([ "$cluster" = true ] || echo ', cluster mode OFF (--no-cluster)'). Chat through HAProxy (TCP):
  nc $host $LB_PORT
  java -jar $jar client $host $LB_PORT --id alice
UDP has no balancer here: talk to a node directly, e.g. nc -u 127.0.0.1 $((CHAT_BASE + 1))
Dashboards (user admin, password in $work/admin-password):
TXT
  for i in $(seq 1 "$nodes"); do
    echo "  node$i  http://127.0.0.1:$((WEB_BASE + i))/"
  done
  echo "HAProxy statistics: http://127.0.0.1:$STATS_PORT/"
  echo "Try fail-over: $0 kill 1 --dir $work; then $0 status --dir $work"
}

stop() {
  mapfile -t all < <(node_dirs)
  [ ${#all[@]} -eq 0 ] || stop_nodes "${all[@]}"
  local file pid
  for file in "$work/haproxy.pid" "$work/haproxy.old-pids"; do
    [ -f "$file" ] || continue
    while read -r pid; do
      if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" && say "HAProxy (pid $pid) stopped"; fi
    done < "$file"
  done
  rm -f "$work/haproxy.pid" "$work/haproxy.old-pids"
}

status() {
  local i pid state
  for i in $(node_dirs); do
    # A node left behind by a smaller -n keeps its data dir; shown only while it runs.
    if [ "$i" -gt "$nodes" ] && ! alive "$work/node$i/pid"; then continue; fi
    if alive "$work/node$i/pid"; then
      pid="pid $(cat "$work/node$i/pid") alive"
      state="$(readiness "$i")"
    else
      pid="not running"
      state="-"
    fi
    printf 'node%-3s %-22s readiness %-16s chat 127.0.0.1:%s  http://127.0.0.1:%s/\n' \
      "$i" "$pid" "$state" "$((CHAT_BASE + i))" "$((WEB_BASE + i))"
  done
  if alive "$work/haproxy.pid"; then
    echo "haproxy pid $(cat "$work/haproxy.pid") up on $listen:$LB_PORT; its view of the nodes:"
    # The statistics CSV: proxy name, server name, ..., field 18 is the status.
    curl -s -m 2 "http://127.0.0.1:$STATS_PORT/;csv" \
      | awk -F, '$1 == "chat" && $2 ~ /^node/ { printf "  %-8s %s\n", $2, $18 }'
  else
    echo "haproxy not running"
  fi
}

kill_one() {
  local pidfile="$work/node$kill_node/pid"
  alive "$pidfile" || die "node$kill_node is not running"
  kill -9 "$(cat "$pidfile")"
  rm -f "$pidfile"
  say "node$kill_node killed (kill -9); its clients lost their connection and may reconnect to $listen:$LB_PORT"
}

clean() {
  [ -f "$settings" ] || die "$work holds no cluster (no settings file): nothing deleted"
  stop
  if [ "$db_url" = "jdbc:postgresql://$PG_HOST:$PG_PORT/$DEFAULT_DB" ]; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$db_user" -d postgres -qc "DROP DATABASE IF EXISTS $DEFAULT_DB" \
      && say "database $DEFAULT_DB dropped"
  else
    say "database of $db_url left alone (not the default one)"
  fi
  if [ -n "$prefix" ] && command -v redis-cli >/dev/null; then
    local n
    n="$(redis-cli -u "$redis_url" --scan --pattern "$prefix*" | tee "$work/redis-keys" | wc -l)"
    [ "$n" -eq 0 ] || xargs -a "$work/redis-keys" redis-cli -u "$redis_url" unlink >/dev/null
    say "$n Redis keys under $prefix deleted"
  fi
  rm -rf "$work"
  say "$work deleted"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_one ;;
  clean) clean ;;
esac
