#!/usr/bin/env bash
# Installs a gateway jar for chat-gateway.service and trains its class-data
# sharing (CDS) archive, which halves start-up (docs/performance.md):
#   PREFIX/chat-gateway.jar          the jar as built
#   PREFIX/app/chat-gateway.jar      the jar extracted (CDS needs plain jars)
#   PREFIX/app/lib/                  its libraries
#   PREFIX/app/app.jsa               the archive, written by one training start
# The training starts the gateway once with a throw-away data dir and ports
# chosen by the system, and exits when the application context is up. The
# JVM that trains must be the one that runs the service (the archive records
# it); a missing or stale archive is ignored by the JVM (it just starts slower).
# Usage (as root on the VM, by deploy.sh update; or locally, by smoke.sh):
#   install-jar.sh JAR [PREFIX]      PREFIX defaults to /opt/chat-gateway
set -euo pipefail
jar="${1:?usage: install-jar.sh JAR [PREFIX]}"
prefix="${2:-/opt/chat-gateway}"
[ -f "$jar" ] || { echo "install-jar: no such jar: $jar" >&2; exit 1; }

install -m 0644 "$jar" "$prefix/chat-gateway.jar"
rm -rf "$prefix/app.new"
# Extracted as app.new/chat-gateway.jar (named after the installed jar) and app.new/lib/.
java -Djarmode=tools -jar "$prefix/chat-gateway.jar" extract --destination "$prefix/app.new" >/dev/null

rm -rf "$prefix/app.old"
[ -d "$prefix/app" ] && mv "$prefix/app" "$prefix/app.old"
mv "$prefix/app.new" "$prefix/app"
rm -rf "$prefix/app.old"

# Trained in place: the archive records the jars' paths, and is ignored if they differ.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
echo "install-jar: training the CDS archive (one start of the gateway, about 15 s)"
if ! java -Xmx256m -XX:ArchiveClassesAtExit="$prefix/app/app.jsa" -Dspring.context.exit=onRefresh \
    -jar "$prefix/app/chat-gateway.jar" --chat.port=0 --server.port=0 --chat.bind-address=127.0.0.1 \
    --server.address=127.0.0.1 --chat.data-dir="$scratch/data" --chat.admin.password="training-$RANDOM$RANDOM" \
    --chat.backup.interval=0 > "$scratch/training.log" 2>&1; then
  tail -n 20 "$scratch/training.log" >&2
  echo "install-jar: the training start failed; installed without the archive" >&2
  rm -f "$prefix/app/app.jsa"
fi
chmod -R a+rX "$prefix/app"
if [ -f "$prefix/app/app.jsa" ]; then
  echo "install-jar: $prefix/app ready, archive $(du -h "$prefix/app/app.jsa" | cut -f1)"
else
  echo "install-jar: $prefix/app ready, no archive"
fi
