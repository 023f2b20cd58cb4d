#!/usr/bin/env bash
# Deploys ChatMsg Gateway to an Azure VM with the Azure CLI, and keeps it updated.
#
#   deploy/azure/deploy.sh create    resource group, Ubuntu LTS VM with cloud-init, network rules, then update
#   deploy/azure/deploy.sh update    copy the jar, restart the service, wait until healthy, print how to connect
#   deploy/azure/deploy.sh status    the VM, the service and its health
#   deploy/azure/deploy.sh backup    take an online backup and copy it here
#   deploy/azure/deploy.sh destroy   delete the resource group and everything in it
#   deploy/azure/deploy.sh cluster create|scale N|update|status|destroy
#                                     N nodes behind a load balancer on PostgreSQL and Redis
#                                     (cluster.sh; the README's "Cluster")
#
# Settings (environment variables; defaults in brackets):
#   RESOURCE_GROUP [chat-gateway-rg]  LOCATION [westeurope]  VM_NAME [chat-gateway]
#   VM_SIZE [Standard_B1s]  VM_IMAGE [Ubuntu2404]  VM_USER [azureuser]
#   OPERATOR_IP [your public address, asked from the Azure CLI's view]  the only address allowed SSH
#   DASHBOARD [tunnel]  tunnel: the dashboard listens on 127.0.0.1 only, reach it with ssh -L;
#                       open: port 8080 is opened to OPERATOR_IP only
#   JAR [target/chat-gateway-*.jar]
#   CHAT_ADMIN_PASSWORD  if set, written into the VM's env file (never into this repository);
#                        if not, the gateway generates one at first start (see the README)
#   DRY_RUN=1  print the az, ssh and scp commands instead of running them (needs no Azure)
set -euo pipefail
if [ "${1:-}" = cluster ]; then RESOURCE_GROUP="${RESOURCE_GROUP:-chat-cluster-rg}"; fi

RESOURCE_GROUP="${RESOURCE_GROUP:-chat-gateway-rg}"
LOCATION="${LOCATION:-westeurope}"
VM_NAME="${VM_NAME:-chat-gateway}"
VM_SIZE="${VM_SIZE:-Standard_B1s}"
VM_IMAGE="${VM_IMAGE:-Ubuntu2404}"
VM_USER="${VM_USER:-azureuser}"
DASHBOARD="${DASHBOARD:-tunnel}"
CHAT_PORT=12345
TLS_PORT=12346
WEB_PORT=8080

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"

die() { echo "deploy: $*" >&2; exit 1; }
say() { echo "deploy: $*"; }

if [ -n "${DRY_RUN:-}" ]; then
  # Each az, ssh and scp command is printed (on fd 3, so a command substitution does not
  # swallow it) instead of run; a query answers with a stand-in so the sequence goes on.
  # What ssh would send on its standard input is shown as "<" lines: env file lines with
  # passwords and the Redis key masked, anything else (a bare password, a PEM) as "(hidden)".
  exec 3>&1
  OPERATOR_IP="${OPERATOR_IP:-203.0.113.1}"
  dry() { # the command as one would type it: words with spaces or quotes in single quotes
    local a line=""
    for a in "$@"; do
      if [[ "$a" =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then line+="$a "; else line+="'${a//\'/\'\\\'\'}' "; fi
    done
    echo "${line% }" >&3
  }
  az() {
    dry az "$@"
    case "$*" in
      # The nodes a dry run pretends exist, for scale and status: DRY_RUN_NODES="chat-node-1 ...".
      *"vm list"*) printf '%s\n' "${DRY_RUN_NODES:-}" | tr ' ' '\n' | sed '/^$/d' ;;
      *publicIps*|*ipAddress*) echo 203.0.113.10 ;;
      *fullyQualifiedDomainName*) echo chat-pg.postgres.database.azure.com ;;
      *hostName*) echo chat-redis.westeurope.redis.azure.net ;;
      *primaryKey*) echo 'DRY+RUN/REDIS=KEY' ;;
      *"account show"*) echo 00000000-0000-0000-0000-000000000000 ;;
      *" --query "*) echo dry-run ;;
    esac
  }
  ssh() {
    dry ssh "$@"
    case "$*" in *"grep -E '^(CHAT_CLUSTER_ENABLED"*) echo CHAT_CLUSTER_ENABLED=true ;; esac
    [ -t 0 ] || sed -E -e 's/^([A-Z_]*PASSWORD)=.+/\1=(hidden)/' -e 's|^([A-Z_]+=rediss?://)[^@]*@|\1(hidden)@|' \
      -e '/^[A-Z_]+=/!s/.*/(hidden)/' -e 's/^/    < /' >&3
  }
  scp() { dry scp "$@"; }
  sleep() { :; }
fi

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required (${2:-install it first})"
}

operator_ip() {
  if [ -n "${OPERATOR_IP:-}" ]; then
    echo "$OPERATOR_IP"
  else
    curl -fsS https://api.ipify.org || die "cannot find your public address; set OPERATOR_IP"
  fi
}

vm_ip() {
  az vm show -d -g "$RESOURCE_GROUP" -n "$VM_NAME" --query publicIps -o tsv
}

ssh_vm() {
  ssh -o StrictHostKeyChecking=accept-new "$VM_USER@$(vm_ip)" "$@"
}

find_jar() {
  local jar="${JAR:-}"
  if [ -z "$jar" ]; then
    jar="$(find "$top/target" -maxdepth 1 -name 'chat-gateway-*.jar' ! -name '*.original' 2>/dev/null | head -n 1)"
  fi
  if [ -z "$jar" ] || [ ! -f "$jar" ]; then
    die "no jar: run ./mvnw package first, or set JAR"
  fi
  echo "$jar"
}

rule() { # name priority protocol port source
  az network nsg rule create -g "$RESOURCE_GROUP" --nsg-name "$VM_NAME-nsg" -n "$1" --priority "$2" \
    --direction Inbound --access Allow --protocol "$3" --destination-port-ranges "$4" \
    --source-address-prefixes "$5" --output none
}

create() {
  need az "the Azure CLI: https://learn.microsoft.com/cli/azure/install-azure-cli"
  need ssh
  case "$DASHBOARD" in tunnel|open) ;; *) die "DASHBOARD must be tunnel or open" ;; esac
  local me
  me="$(operator_ip)"
  say "resource group $RESOURCE_GROUP in $LOCATION"
  az group create -n "$RESOURCE_GROUP" -l "$LOCATION" --output none
  say "network security group: chat open to all, SSH only from $me"
  az network nsg create -g "$RESOURCE_GROUP" -n "$VM_NAME-nsg" --output none
  rule ssh-operator 100 Tcp 22 "$me"
  rule chat-tcp 110 Tcp "$CHAT_PORT" Internet
  rule chat-udp 120 Udp "$CHAT_PORT" Internet
  rule chat-tls 130 Tcp "$TLS_PORT" Internet
  if [ "$DASHBOARD" = open ]; then
    say "dashboard port $WEB_PORT open to $me only"
    rule dashboard-operator 140 Tcp "$WEB_PORT" "$me"
  fi
  say "VM $VM_NAME ($VM_SIZE, $VM_IMAGE) with cloud-init"
  az vm create -g "$RESOURCE_GROUP" -n "$VM_NAME" --image "$VM_IMAGE" --size "$VM_SIZE" \
    --admin-username "$VM_USER" --generate-ssh-keys --nsg "$VM_NAME-nsg" --public-ip-sku Standard \
    --custom-data "$here/cloud-init.yaml" --output none
  say "waiting for cloud-init to finish on $(vm_ip)"
  ssh_vm 'cloud-init status --wait' >/dev/null
  update
}

update() {
  local jar ip
  jar="$(find_jar)"
  ip="$(vm_ip)"
  install_jar "$jar"
  cat <<TXT

ChatMsg Gateway is running on $ip.
  nc $ip $CHAT_PORT
  java -jar $(basename "$jar") client $ip $CHAT_PORT --id alice
Dashboard:
TXT
  if [ "$DASHBOARD" = open ]; then
    echo "  http://$ip:$WEB_PORT/ (from your address only)"
  else
    echo "  ssh -N -L $WEB_PORT:127.0.0.1:$WEB_PORT $VM_USER@$ip   then open http://localhost:$WEB_PORT/"
  fi
  echo "  first login: user admin; unless you set CHAT_ADMIN_PASSWORD, the generated password is in"
  echo "  ssh $VM_USER@$ip sudo journalctl -u chat-gateway | grep -A1 'Dashboard login'"
}

# Copies the jar to VM_NAME, installs it, restarts the service and waits until it is ready.
install_jar() { # jar
  need az
  need scp
  local jar="$1" ip
  ip="$(vm_ip)"
  say "copying $(basename "$jar") to $VM_NAME ($ip)"
  scp -o StrictHostKeyChecking=accept-new "$jar" "$here/install-jar.sh" "$VM_USER@$ip:/tmp/"
  # Stopped first: the training start of install-jar.sh and the running service would not
  # both fit in a B1s's 1 GB. The restart below starts it again.
  say "installing the jar and training its CDS archive (the service is down meanwhile)"
  ssh_vm "sudo systemctl stop chat-gateway; sudo bash /tmp/install-jar.sh /tmp/$(basename "$jar") && rm /tmp/$(basename "$jar") /tmp/install-jar.sh"
  if [ "$DASHBOARD" = open ]; then
    ssh_vm "sudo sed -i 's/^SERVER_ADDRESS=.*/SERVER_ADDRESS=0.0.0.0/' /etc/chat-gateway/chat-gateway.env"
  fi
  if [ -n "${CHAT_ADMIN_PASSWORD:-}" ]; then
    say "setting the admin password from CHAT_ADMIN_PASSWORD"
    # Sent on ssh's stdin, so it is in no local command line and never in this repository;
    # the remote side expands $p itself (hence the single quotes).
    # shellcheck disable=SC2016
    printf '%s\n' "$CHAT_ADMIN_PASSWORD" | ssh_vm 'read -r p && umask 077 && f=/etc/chat-gateway/chat-gateway.env &&
      sudo env P="$p" awk '"'"'BEGIN { p = ENVIRON["P"] } /^CHAT_ADMIN_PASSWORD=/ { print "CHAT_ADMIN_PASSWORD=" p; next } { print }'"'"' "$f" > /tmp/env.new &&
      sudo install -o root -g chatgw -m 0640 /tmp/env.new "$f" && rm /tmp/env.new'
  fi
  say "restarting the service"
  ssh_vm 'sudo systemctl restart chat-gateway'
  local ok=""
  for _ in $(seq 1 60); do
    if ssh_vm "curl -fsS http://127.0.0.1:$WEB_PORT/actuator/health/readiness" >/dev/null 2>&1; then ok=yes; break; fi
    sleep 2
  done
  [ -n "$ok" ] || die "not healthy after 2 minutes: ssh $VM_USER@$ip journalctl -u chat-gateway -n 50"
}

status() {
  need az
  az vm show -d -g "$RESOURCE_GROUP" -n "$VM_NAME" --query '{name:name, size:hardwareProfile.vmSize, state:powerState, ip:publicIps}' -o table
  ssh_vm "systemctl --no-pager status chat-gateway | head -n 5; curl -fsS http://127.0.0.1:$WEB_PORT/actuator/health; echo"
}

backup() {
  need az
  need scp
  local file
  file="$(ssh_vm "sudo -u chatgw sh -c 'ls -1t /var/lib/chat-gateway/backups/chatmsg-*.zip 2>/dev/null | head -n 1'")"
  [ -n "$file" ] || die "no backup on the VM yet: take one from the dashboard (Overview, Back up now) or wait for the daily one"
  scp -o StrictHostKeyChecking=accept-new "$VM_USER@$(vm_ip):$file" . 2>/dev/null \
    || { ssh_vm "sudo install -m 0644 $file /tmp/" && scp "$VM_USER@$(vm_ip):/tmp/$(basename "$file")" .; }
  say "copied $(basename "$file")"
}

destroy() {
  need az
  say "deleting resource group $RESOURCE_GROUP and everything in it"
  az group delete -n "$RESOURCE_GROUP" --yes
}

case "${1:-}" in
  cluster)
    # shellcheck source=/dev/null
    . "$here/cluster.sh"
    shift
    cluster "$@" ;;
  create) create ;;
  update) update ;;
  status) status ;;
  backup) backup ;;
  destroy) destroy ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; [ -z "${1:-}" ] || exit 2 ;;
esac
