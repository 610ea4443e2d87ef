#!/usr/bin/env bash
# Prepares the packaged manager for a fast start (docs/production.md, "Starting fast"): extracts the fat jar into DIR
# (Spring Boot's `-Djarmode=tools extract`: the application jar and lib/), then starts it once as a training run and
# writes what that run loaded into a file the JVM maps at every later start, instead of finding, reading and verifying
# the classes again:
#
# - on Java 24 or newer, an AOT cache, DIR/manager.aot (`-XX:AOTCacheOutput`, JEP 483/514/515: the classes loaded and
#   linked, and the training run's method profiles):
#     java -XX:AOTCache=DIR/manager.aot -jar DIR/stratos-update-manager-<version>.jar [settings as always]
# - on Java 17 to 23, a class data sharing archive, DIR/manager.jsa (`-XX:ArchiveClassesAtExit`, dynamic AppCDS):
#     java -XX:SharedArchiveFile=DIR/manager.jsa -jar DIR/stratos-update-manager-<version>.jar [settings as always]
#
#   bin/prepare-manager.sh [JAR] [DIR]     # JAR: target/stratos-update-manager-<version>.jar, DIR: target/manager
#
# The java this script runs is $JAVA_HOME/bin/java when JAVA_HOME is set, else the one on PATH; the manager must then
# be started with that same java (the script prints the command). The training run is a throw-away embedded default:
# its own working directory (H2, the broker's KahaDB), free ports, the demo application, none of the caller's
# environment (no STRATOS_* or SPRING_* variable reaches it, so it never touches a real database or broker). It runs
# until the manager is healthy and its demo members have joined, then stops gracefully; the JVM writes the cache or
# archive as it exits.
#
# The file belongs to this build, this JDK and this location: run the script again after a new build, a JDK update,
# or moving DIR (the JVM checks the jars' paths, sizes and times; on a mismatch it starts without it, as slowly as
# before: the AOT cache with a warning on the console, the CDS archive silently, saying why only with -Xlog:cds).
set -euo pipefail

JAR=${1:-$(ls target/stratos-update-manager-*.jar 2>/dev/null | grep -v -e '-agent.jar$' -e '-broker-plugin.jar$' | head -1)}
DIR=${2:-target/manager}
[ -f "$JAR" ] || { echo "no manager jar (build it: ./mvnw -DskipTests package), or name it: $0 JAR [DIR]" >&2; exit 1; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
APP=$DIR/$(basename "$JAR")
JAVA=java
[ -n "${JAVA_HOME:-}" ] && JAVA=$JAVA_HOME/bin/java
FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[ -n "$FEATURE" ] || { echo "cannot tell the version of $JAVA" >&2; exit 1; }
if [ "$FEATURE" -ge 24 ]; then
  ARCHIVE=$DIR/manager.aot
  WRITE=-XX:AOTCacheOutput=$ARCHIVE
  USE=-XX:AOTCache=$ARCHIVE
  KIND="AOT cache"
else
  ARCHIVE=$DIR/manager.jsa
  WRITE=-XX:ArchiveClassesAtExit=$ARCHIVE
  USE=-XX:SharedArchiveFile=$ARCHIVE
  KIND="class data sharing archive"
fi

# both kinds go: a file of the other kind, left by a run with another java, would no longer fit this build
rm -rf "$DIR/lib" "$APP" "$DIR/manager.jsa" "$DIR/manager.aot"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --force --destination "$DIR" >/dev/null

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

echo "Training run with $JAVA (Java $FEATURE: $KIND), a throw-away embedded default in $WORK ..."
(cd "$WORK" && exec env -i PATH="$PATH" HOME="$WORK" "$JAVA" -Xmx512m "$WRITE" -jar "$APP" \
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
[ -s "$ARCHIVE" ] || { echo "no $KIND was written; the training run's log:" >&2; tail -50 "$WORK/manager.log" >&2; exit 1; }
echo "The $KIND: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)). Start the manager with:"
echo "  $JAVA $USE -jar $APP [--name=value ...]"
