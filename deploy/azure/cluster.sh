# shellcheck shell=bash
# The cluster shape of deploy.sh, which sources this file for "deploy.sh cluster ...":
# NODES gateway VMs in cluster mode behind a Standard Load Balancer, on Azure Database for
# PostgreSQL (Flexible Server) and Azure Managed Redis, both reached from the VNet only.
# Uses deploy.sh's helpers (die, say, need, rule, ssh_vm, vm_ip, operator_ip, find_jar,
# install_jar) and settings (RESOURCE_GROUP defaults to chat-cluster-rg here).
#
#   deploy.sh cluster create     resource group, VNet, PostgreSQL, Redis, load balancer, NODES VMs
#   deploy.sh cluster scale N    add VMs up to N; or stop the highest-numbered ones (their
#                                clients get BYE and reconnect through the balancer), then delete them
#   deploy.sh cluster update     the jar to each node in turn (rolling: while one restarts, its
#                                clients get BYE and reconnect to the others)
#   deploy.sh cluster status     the VMs, each node's readiness, the balancer's pool and probe
#   deploy.sh cluster destroy    delete the resource group and everything in it
#
# Settings besides deploy.sh's:
#   NODES [2]  NODE_PREFIX [chat-node]: VMs chat-node-1, chat-node-2, ...; each VM's name is
#              its node id
#   PG_SKU [Standard_B1ms]  PG_TIER [Burstable]  PG_VERSION [15]  PG_STORAGE_GB [32]
#   REDIS_SKU [Balanced_B0]  REDIS_HA [Enabled]  (Disabled: half the price, no replica, no SLA)
#   TLS_CERT, TLS_KEY  PEM files copied to every node, turning TLS on (12346): all nodes
#                      must show clients the same certificate. Without them 12346 is refused.

# CHAT_PORT, TLS_PORT, WEB_PORT and VM_* are deploy.sh's.
# shellcheck disable=SC2153

NODES="${NODES:-2}"
NODE_PREFIX="${NODE_PREFIX:-chat-node}"
PG_SKU="${PG_SKU:-Standard_B1ms}"
PG_TIER="${PG_TIER:-Burstable}"
PG_VERSION="${PG_VERSION:-15}"
PG_STORAGE_GB="${PG_STORAGE_GB:-32}"
REDIS_SKU="${REDIS_SKU:-Balanced_B0}"
REDIS_HA="${REDIS_HA:-Enabled}"
VNET=chat-vnet
NODE_SUBNET=nodes
DB_SUBNET=db
LB=chat-lb
LB_IP=chat-lb-ip
LB_FRONT=chat-front
LB_POOL=chat-nodes
LB_PROBE=readiness
# Minutes a TCP flow may be silent before the balancer drops it (and, with TCP reset, tells
# both ends). The gateway pings a client silent for 60 s (chat.limits.idle-timeout) and
# closes it 30 s later without an answer, so a live connection is never silent for 30 min.
LB_IDLE_MINUTES=30
DB_NAME=chat
DB_USER=chatgw
REDIS_PORT=10000
REDIS_DNS_ZONE=privatelink.redis.azure.net
ENV_FILE=/etc/chat-gateway/chat-gateway.env
cluster_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Run on a node with KEY=VALUE lines on stdin: each replaces the env file's line of that key,
# or is appended. Secrets travel this way, never on a command line or in custom data.
# The remote shell expands $f and awk its own $1 (hence the single quotes).
# shellcheck disable=SC2016
MERGE_ENV='umask 077 && f='"$ENV_FILE"' && cat > /tmp/env.add &&
  sudo awk -F= '"'"'NR == FNR { add[$1] = $0; next } $1 in add { print add[$1]; delete add[$1]; next } { print } END { for (k in add) print add[k] }'"'"' /tmp/env.add "$f" > /tmp/env.new &&
  sudo install -o root -g chatgw -m 0640 /tmp/env.new "$f" && rm -f /tmp/env.add /tmp/env.new'

cluster() {
  # rule() names the NSG "$VM_NAME-nsg": one NSG for every node.
  # shellcheck disable=SC2034
  VM_NAME="$NODE_PREFIX"
  case "${1:-}" in
    create) cluster_create ;;
    scale)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "cluster scale needs a node count of at least 1"
      cluster_scale "$2" ;;
    update) cluster_update ;;
    status) cluster_status ;;
    destroy) destroy ;;
    *) sed -n '/^#   deploy.sh cluster create/,/^#   deploy.sh cluster destroy/p' "$cluster_here/cluster.sh" \
         | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

# PostgreSQL and Redis names are global in Azure: a suffix from the subscription and group.
unique_suffix() {
  printf '%s/%s' "$(az account show --query id -o tsv)" "$RESOURCE_GROUP" | sha256sum | cut -c1-8
}

cluster_nodes() { # the node VMs, in number order
  az vm list -g "$RESOURCE_GROUP" --query "[?starts_with(name, '$NODE_PREFIX-')].name" -o tsv | sort -V
}

cluster_create() {
  need az "the Azure CLI: https://learn.microsoft.com/cli/azure/install-azure-cli"
  need ssh
  case "$DASHBOARD" in tunnel|open) ;; *) die "DASHBOARD must be tunnel or open" ;; esac
  [[ "$NODES" =~ ^[1-9][0-9]*$ ]] || die "NODES must be a number of at least 1"
  if [ -n "${TLS_CERT:-}${TLS_KEY:-}" ]; then
    if [ ! -f "${TLS_CERT:-}" ] || [ ! -f "${TLS_KEY:-}" ]; then die "TLS_CERT and TLS_KEY must both name PEM files"; fi
  fi
  local me jar suffix pg redis
  jar="$(find_jar)"
  me="$(operator_ip)"
  suffix="$(unique_suffix)"
  pg="chat-pg-$suffix"
  redis="chat-redis-$suffix"

  say "resource group $RESOURCE_GROUP in $LOCATION"
  az group create -n "$RESOURCE_GROUP" -l "$LOCATION" --output none
  say "virtual network $VNET: subnet $NODE_SUBNET for the nodes, $DB_SUBNET for PostgreSQL"
  az network vnet create -g "$RESOURCE_GROUP" -n "$VNET" --address-prefixes 10.42.0.0/16 \
    --subnet-name "$NODE_SUBNET" --subnet-prefixes 10.42.1.0/24 --output none
  az network vnet subnet create -g "$RESOURCE_GROUP" --vnet-name "$VNET" -n "$DB_SUBNET" \
    --address-prefixes 10.42.2.0/24 --delegations Microsoft.DBforPostgreSQL/flexibleServers --output none

  say "Azure Managed Redis $redis ($REDIS_SKU), created in the background"
  az redisenterprise create -g "$RESOURCE_GROUP" -n "$redis" -l "$LOCATION" --sku "$REDIS_SKU" \
    --high-availability "$REDIS_HA" --public-network-access Disabled --access-keys-authentication Enabled \
    --client-protocol Encrypted --minimum-tls-version 1.2 --clustering-policy NoCluster \
    --eviction-policy NoEviction --port "$REDIS_PORT" --no-wait --output none

  local pg_password
  pg_password="$(create_postgresql "$pg")"

  say "network security group: chat open to all, SSH only from $me"
  az network nsg create -g "$RESOURCE_GROUP" -n "$NODE_PREFIX-nsg" --output none
  rule ssh-operator 100 Tcp 22 "$me"
  rule chat-tcp 110 Tcp "$CHAT_PORT" Internet
  rule chat-udp 120 Udp "$CHAT_PORT" Internet
  rule chat-tls 130 Tcp "$TLS_PORT" Internet
  if [ "$DASHBOARD" = open ]; then
    rule dashboard-operator 140 Tcp "$WEB_PORT" "$me"
  fi

  create_load_balancer
  local redis_url
  redis_url="$(private_redis "$redis")"

  local i pg_host shared
  pg_host="$(az postgres flexible-server show -g "$RESOURCE_GROUP" -n "$pg" --query fullyQualifiedDomainName -o tsv)"
  # SERVER_ADDRESS: the balancer's probe asks the web port; the NSG keeps the internet out.
  shared="$(printf '%s\n' \
    "CHAT_CLUSTER_ENABLED=true" \
    "SERVER_ADDRESS=0.0.0.0" \
    "SPRING_DATASOURCE_URL=jdbc:postgresql://$pg_host:5432/$DB_NAME?sslmode=require" \
    "SPRING_DATASOURCE_USERNAME=$DB_USER" \
    "SPRING_DATASOURCE_PASSWORD=$pg_password" \
    "SPRING_DATA_REDIS_URL=$redis_url" \
    "CHAT_STORE_STARTUP_WAIT=10m" \
    "CHAT_BACKUP_INTERVAL=0")"
  for i in $(seq 1 "$NODES"); do
    create_node "$NODE_PREFIX-$i"
  done
  for i in $(seq 1 "$NODES"); do
    configure_node "$NODE_PREFIX-$i" "$shared"
  done
  create_database "$NODE_PREFIX-1" "$pg_host" "$pg_password"
  for i in $(seq 1 "$NODES"); do
    VM_NAME="$NODE_PREFIX-$i" install_jar "$jar"
  done
  cluster_connect_help "$jar"
}

# Prints the admin password it gave the server; the CLI reads it from a file (mode 600)
# so that it is in no command line.
create_postgresql() { # server
  local pw pwfile
  pw="Cm7$(head -c 32 /dev/urandom | base64 | tr -d '+/=\n' | cut -c1-29)"
  pwfile="$(mktemp)"
  chmod 600 "$pwfile"
  printf '%s' "$pw" > "$pwfile"
  say "PostgreSQL Flexible Server $1 ($PG_TIER $PG_SKU, version $PG_VERSION) on subnet $DB_SUBNET, about 5-10 minutes" >&2
  if ! az postgres flexible-server create -g "$RESOURCE_GROUP" -n "$1" -l "$LOCATION" --tier "$PG_TIER" \
      --sku-name "$PG_SKU" --version "$PG_VERSION" --storage-size "$PG_STORAGE_GB" \
      --admin-user "$DB_USER" --admin-password "@$pwfile" --vnet "$VNET" --subnet "$DB_SUBNET" \
      --yes --output none; then
    rm -f "$pwfile"
    die "PostgreSQL server not created"
  fi
  rm -f "$pwfile"
  # Message search needs pg_trgm, which Azure allows only once listed here.
  az postgres flexible-server parameter set -g "$RESOURCE_GROUP" --server-name "$1" \
    --name azure.extensions --value pg_trgm --output none
  echo "$pw"
}

create_load_balancer() {
  say "Standard Load Balancer $LB: TCP $CHAT_PORT and $TLS_PORT, UDP $CHAT_PORT by source address"
  az network public-ip create -g "$RESOURCE_GROUP" -n "$LB_IP" --sku Standard --allocation-method Static --output none
  az network lb create -g "$RESOURCE_GROUP" -n "$LB" --sku Standard --public-ip-address "$LB_IP" \
    --frontend-ip-name "$LB_FRONT" --backend-pool-name "$LB_POOL" --output none
  # A node is in rotation while its readiness answers 200: it leaves within 10 s of starting
  # to stop (readiness turns OUT_OF_SERVICE at once) or losing its database.
  az network lb probe create -g "$RESOURCE_GROUP" --lb-name "$LB" -n "$LB_PROBE" --protocol Http \
    --port "$WEB_PORT" --path /actuator/health/readiness --interval 5 --probe-threshold 2 --output none
  lb_rule chat-tcp Tcp "$CHAT_PORT" --idle-timeout "$LB_IDLE_MINUTES" --enable-tcp-reset true
  lb_rule chat-tls Tcp "$TLS_PORT" --idle-timeout "$LB_IDLE_MINUTES" --enable-tcp-reset true
  # A UDP client's datagrams must reach the node that holds its session: hash on the source
  # address only, so a new source port (NAT rebinding, a restarted client) lands there too.
  lb_rule chat-udp Udp "$CHAT_PORT" --load-distribution SourceIP
}

lb_rule() { # name protocol port [more options]
  # Outbound traffic leaves through each VM's own public IP, not the balancer's.
  az network lb rule create -g "$RESOURCE_GROUP" --lb-name "$LB" -n "$1" --protocol "$2" \
    --frontend-port "$3" --backend-port "$3" --frontend-ip-name "$LB_FRONT" \
    --backend-pool-name "$LB_POOL" --probe-name "$LB_PROBE" --disable-outbound-snat true \
    "${@:4}" --output none
}

# Waits for the Redis created in the background, gives it a private endpoint in the nodes'
# subnet, and prints its URL: TLS, the access key percent-encoded as the password.
private_redis() { # name
  local id host key
  say "waiting for Redis $1, then its private endpoint" >&2
  az redisenterprise wait -g "$RESOURCE_GROUP" -n "$1" --created --output none
  id="$(az redisenterprise show -g "$RESOURCE_GROUP" -n "$1" --query id -o tsv)"
  az network private-endpoint create -g "$RESOURCE_GROUP" -n "$1-pe" --vnet-name "$VNET" \
    --subnet "$NODE_SUBNET" --private-connection-resource-id "$id" --group-id redisEnterprise \
    --connection-name "$1" --output none
  az network private-dns zone create -g "$RESOURCE_GROUP" -n "$REDIS_DNS_ZONE" --output none
  az network private-dns link vnet create -g "$RESOURCE_GROUP" --zone-name "$REDIS_DNS_ZONE" \
    -n "$VNET-redis" --virtual-network "$VNET" --registration-enabled false --output none
  az network private-endpoint dns-zone-group create -g "$RESOURCE_GROUP" --endpoint-name "$1-pe" \
    -n default --private-dns-zone "$REDIS_DNS_ZONE" --zone-name redis --output none
  host="$(az redisenterprise show -g "$RESOURCE_GROUP" -n "$1" --query hostName -o tsv)"
  key="$(az redisenterprise database list-keys -g "$RESOURCE_GROUP" --cluster-name "$1" --query primaryKey -o tsv)"
  echo "rediss://:$(percent_encode "$key")@$host:$REDIS_PORT"
}

percent_encode() { # text
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  echo "$out"
}

# A node: its own public IP (SSH from the operator, and its way out to the internet), a NIC
# in the balancer's pool with the nodes' NSG, and the VM from the single-VM cloud-init.
create_node() { # vm
  say "node $1 ($VM_SIZE, $VM_IMAGE)"
  az network public-ip create -g "$RESOURCE_GROUP" -n "$1-ip" --sku Standard --allocation-method Static --output none
  az network nic create -g "$RESOURCE_GROUP" -n "$1-nic" --vnet-name "$VNET" --subnet "$NODE_SUBNET" \
    --network-security-group "$NODE_PREFIX-nsg" --public-ip-address "$1-ip" \
    --lb-name "$LB" --lb-address-pools "$LB_POOL" --output none
  az vm create -g "$RESOURCE_GROUP" -n "$1" --image "$VM_IMAGE" --size "$VM_SIZE" \
    --admin-username "$VM_USER" --generate-ssh-keys --nics "$1-nic" --os-disk-name "$1-osdisk" \
    --os-disk-delete-option Delete --custom-data "$cluster_here/cloud-init.yaml" --output none
}

# Waits for cloud-init, then writes the cluster's lines (and the node's id) into its env file
# and, with TLS_CERT and TLS_KEY, the certificate every node shares.
configure_node() { # vm shared-lines
  say "waiting for cloud-init on $1, then its env file"
  VM_NAME="$1" ssh_vm 'cloud-init status --wait' >/dev/null
  { printf '%s\n' "$2"; echo "CHAT_CLUSTER_NODE_ID=$1"; } | VM_NAME="$1" ssh_vm "$MERGE_ENV"
  if [ -n "${TLS_CERT:-}" ]; then
    VM_NAME="$1" ssh_vm "sudo install -d -o root -g chatgw -m 0750 /etc/chat-gateway/tls &&
      sudo sh -c 'umask 027 && cat > /etc/chat-gateway/tls/certificate.pem' &&
      sudo chgrp chatgw /etc/chat-gateway/tls/certificate.pem" < "$TLS_CERT"
    VM_NAME="$1" ssh_vm "sudo sh -c 'umask 027 && cat > /etc/chat-gateway/tls/private-key.pem' &&
      sudo chgrp chatgw /etc/chat-gateway/tls/private-key.pem" < "$TLS_KEY"
    printf '%s\n' CHAT_TLS_ENABLED=true CHAT_TLS_CERTIFICATE=/etc/chat-gateway/tls/certificate.pem \
      CHAT_TLS_PRIVATE_KEY=/etc/chat-gateway/tls/private-key.pem | VM_NAME="$1" ssh_vm "$MERGE_ENV"
  fi
}

# The database is made by its administrator from a node (the server has no public address),
# so that the administrator owns it and may create its tables (PostgreSQL 15 and later give
# CREATE on the public schema to the database's owner only).
create_database() { # vm host admin-password
  say "database $DB_NAME on $2, from $1"
  local c="host=$2 user=$DB_USER dbname=postgres sslmode=require"
  printf '%s\n' "$3" | VM_NAME="$1" ssh_vm "read -r p && export PGPASSWORD=\"\$p\" &&
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null &&
    { [ \"\$(psql '$c' -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'\")\" = 1 ] ||
      psql '$c' -qc 'CREATE DATABASE $DB_NAME'; }"
}

cluster_connect_help() { # jar
  local ip vm
  ip="$(az network public-ip show -g "$RESOURCE_GROUP" -n "$LB_IP" --query ipAddress -o tsv)"
  cat <<TXT

ChatMsg Gateway cluster behind $ip:
  nc $ip $CHAT_PORT
  java -jar $(basename "$1") client $ip $CHAT_PORT --id alice
  java -jar $(basename "$1") monitor $ip $CHAT_PORT      (UDP, kept on one node by source address)
Nodes (SSH from your address only; a node's dashboard through its tunnel):
TXT
  for vm in $(cluster_nodes); do
    echo "  $vm  ssh -N -L $WEB_PORT:127.0.0.1:$WEB_PORT $VM_USER@$(VM_NAME="$vm" vm_ip)"
  done
}

cluster_scale() { # wanted
  need az
  local want="$1" have vm jar shared n last
  mapfile -t have < <(cluster_nodes)
  [ ${#have[@]} -gt 0 ] || die "no nodes named $NODE_PREFIX-<n> in $RESOURCE_GROUP: run cluster create first"
  if [ "$want" -gt ${#have[@]} ]; then
    jar="$(find_jar)"
    # The cluster's lines, secrets included, from a running node: kept in this shell's memory
    # only, and sent on to the new node on ssh's standard input.
    shared="$(VM_NAME="${have[0]}" ssh_vm "sudo grep -E '^(CHAT_CLUSTER_ENABLED|SERVER_ADDRESS|SPRING_|CHAT_STORE_|CHAT_BACKUP_|CHAT_TLS_)' $ENV_FILE")"
    grep -q '^CHAT_CLUSTER_ENABLED=true' <<<"$shared" || die "${have[0]} is not configured as a cluster node"
    if grep -q '^CHAT_TLS_ENABLED=true' <<<"$shared" && [ -z "${TLS_CERT:-}" ]; then
      die "the cluster uses TLS: give TLS_CERT and TLS_KEY, the same files as at create"
    fi
    last="${have[${#have[@]} - 1]##*-}"
    for n in $(seq $((last + 1)) $((last + want - ${#have[@]}))); do
      create_node "$NODE_PREFIX-$n"
      configure_node "$NODE_PREFIX-$n" "$shared"
      VM_NAME="$NODE_PREFIX-$n" install_jar "$jar"
    done
  elif [ "$want" -lt ${#have[@]} ]; then
    for vm in "${have[@]:want}"; do
      say "stopping $vm: its clients get 'BYE server shutting down' and reconnect through the balancer"
      VM_NAME="$vm" ssh_vm 'sudo systemctl stop chat-gateway'
      say "deleting $vm, its NIC and its public IP"
      az network nic ip-config address-pool remove -g "$RESOURCE_GROUP" --nic-name "$vm-nic" \
        --ip-config-name ipconfig1 --lb-name "$LB" --address-pool "$LB_POOL" --output none
      az vm delete -g "$RESOURCE_GROUP" -n "$vm" --yes --output none
      az network nic delete -g "$RESOURCE_GROUP" -n "$vm-nic" --output none
      az network public-ip delete -g "$RESOURCE_GROUP" -n "$vm-ip" --output none
    done
  fi
  cluster_status
}

cluster_update() {
  local jar vm
  jar="$(find_jar)"
  for vm in $(cluster_nodes); do
    VM_NAME="$vm" install_jar "$jar"
  done
}

cluster_status() {
  need az
  local vm lb_id
  az vm list -d -g "$RESOURCE_GROUP" --query "[?starts_with(name, '$NODE_PREFIX-')].{name:name, size:hardwareProfile.vmSize, state:powerState, ip:publicIps}" -o table
  for vm in $(cluster_nodes); do
    printf '%s readiness: ' "$vm"
    VM_NAME="$vm" ssh_vm "curl -s -m 3 http://127.0.0.1:$WEB_PORT/actuator/health/readiness || echo 'no answer'"
    echo
  done
  echo "balancer $(az network public-ip show -g "$RESOURCE_GROUP" -n "$LB_IP" --query ipAddress -o tsv), pool $LB_POOL:"
  az network lb address-pool show -g "$RESOURCE_GROUP" --lb-name "$LB" -n "$LB_POOL" \
    --query "backendIPConfigurations[].id" -o tsv | sed 's|.*/networkInterfaces/\([^/]*\)/.*|  \1|'
  # The probe's verdict per node: Azure keeps it as a metric (100 = healthy), a minute behind.
  lb_id="$(az network lb show -g "$RESOURCE_GROUP" -n "$LB" --query id -o tsv)"
  az monitor metrics list --resource "$lb_id" --metric DipAvailability --interval PT1M \
    --filter "BackendIPAddress eq '*'" --aggregation Average \
    --query "value[0].timeseries[].{node:metadatavalues[0].value, probeHealthLast3Min:join(' ', data[-3:].to_string(average))}" \
    -o table || echo "  (no probe metric yet)"
}
