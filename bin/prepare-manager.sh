#!/usr/bin/env bash
# Prepares the packaged manager for a fast start (class data sharing, docs/production.md, "Starting fast"): extracts the
# fat jar into DIR (Spring Boot's `-Djarmode=tools extract`: the application jar and lib/), then starts it once as a
# training run and writes the classes it loaded into the archive DIR/manager.jsa (`-XX:ArchiveClassesAtExit`). Every
# later start then maps those classes instead of finding, reading and verifying them again:
#
#   bin/prepare-manager.sh [JAR] [DIR]     # JAR: target/stratos-update-manager-<version>.jar, DIR: target/manager
#   java -XX:SharedArchiveFile=DIR/manager.jsa -jar DIR/stratos-update-manager-<version>.jar [settings as always]
#
# The training run is a throw-away embedded default: its own working directory (H2, the broker's KahaDB), free ports,
# the demo application, none of the caller's environment (no STRATOS_* or SPRING_* variable reaches it, so it never
# touches a real database or broker). It runs until the manager is healthy and its demo members have joined, then
# stops gracefully; the JVM writes the archive as it exits.
#
# The archive belongs to this build, this JDK and this location: run the script again after a new build, a JDK
# update, or moving DIR (the JVM checks the jars' paths, sizes and times; on a mismatch it starts without the
# archive, as slowly as before, and says so only with -Xlog:cds).
set -euo pipefail

JAR=${1:-$(ls target/stratos-update-manager-*.jar 2>/dev/null | grep -v -e '-agent.jar$' -e '-broker-plugin.jar$' | head -1)}
DIR=${2:-target/manager}
[ -f "$JAR" ] || { echo "no manager jar (build it: ./mvnw -DskipTests package), or name it: $0 JAR [DIR]" >&2; exit 1; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
APP=$DIR/$(basename "$JAR")
ARCHIVE=$DIR/manager.jsa

rm -rf "$DIR/lib" "$APP" "$ARCHIVE"
java -Djarmode=tools -jar "$JAR" extract --force --destination "$DIR" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d)
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
HTTP=$(free_port)
BROKER=$(free_port)

echo "Training run (a throw-away embedded default in $WORK) ..."
(cd "$WORK" && exec env -i PATH="$PATH" HOME="$WORK" java -Xmx512m -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$APP" \
  --server.port="$HTTP" --server.address=127.0.0.1 --stratos.broker.connector="tcp://127.0.0.1:$BROKER" \
  --stratos.broker.data-directory="$WORK/activemq" >manager.log 2>&1) &
PID=$!
healthy=""
for _ in $(seq 3000); do
  if curl -fs -o /dev/null "http://127.0.0.1:$HTTP/actuator/health" 2>/dev/null; then healthy=yes; break; fi
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$healthy" ]; then
  echo "the training run did not get healthy; its log:" >&2
  tail -50 "$WORK/manager.log" >&2
  exit 1
fi
# the demo members join through the broker after the manager is healthy: let their classes load too
for _ in $(seq 300); do
  active=$(curl -fs -u admin:demo "http://127.0.0.1:$HTTP/api/applications/shop" 2>/dev/null | grep -o '"state":"Active"' | wc -l)
  [ "$active" -ge 15 ] && break # 12 members and the 3 clusters
  sleep 0.1
done
kill "$PID"
wait "$PID" 2>/dev/null || true
PID=""
[ -s "$ARCHIVE" ] || { echo "no archive was written; the training run's log:" >&2; tail -50 "$WORK/manager.log" >&2; exit 1; }
echo "Archive: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)). Start the manager with:"
echo "  java -XX:SharedArchiveFile=$ARCHIVE -jar $APP [--name=value ...]"
