#!/usr/bin/env bash
# Measures the member agent as it runs on a VM: the time from JVM start to "InstanceActivatedEvent published" (the
# agent logs it, measured from the process start in /proc) and the resident memory (VmRSS) once it is idle.
#
# It starts a throw-away ActiveMQ broker on a free port (the agent module's test-scope class
# org.stratos.update.agent.TestBroker, run with plain `java -cp` on its test classpath: the broker is not part of the
# agent jar), then starts the agent jar (agent/target/stratos-update-agent-<version>-standalone.jar) RUNS times with
# the JVM flags below, without and with an AppCDS archive made by one training run.
#
#   bin/measure-agent.sh                  # build if needed, 5 runs per mode
#   RUNS=10 IDLE_SECONDS=10 bin/measure-agent.sh
#   JVM_FLAGS="-Xmx32m -XX:+UseSerialGC" bin/measure-agent.sh
#   AGENT_JAR=/work/perf-baseline/stratos-update-manager-0.1.0-SNAPSHOT-agent.jar bin/measure-agent.sh
#   COST_RUNS=500 bin/measure-agent.sh    # also: the agent's own CPU and round trip per update (update command
#                                         # /bin/true, the systemd unit's flags; org.stratos.update.agent.UpdateCost)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
COST_RUNS=${COST_RUNS:-0}
IDLE_SECONDS=${IDLE_SECONDS:-5}
JVM_FLAGS=${JVM_FLAGS:-"-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k"}
CLASSPATH_FILE=agent/target/agent-broker.classpath

# the agent module alone (its parent, the top-level pom, comes along)
if ! ls agent/target/stratos-update-agent-*-standalone.jar >/dev/null 2>&1 || [ ! -d agent/target/test-classes ]; then
  ./mvnw -q -pl agent package -DskipTests
fi
[ -f agent/target/test-classes/org/stratos/update/agent/TestBroker.class ] || ./mvnw -q -pl agent test-compile
[ -f "$CLASSPATH_FILE" ] || ./mvnw -q -pl agent dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$CLASSPATH_FILE"
# AGENT_JAR=path measures another build's jar (e.g. a baseline) with this script
JAR=${AGENT_JAR:-$(ls agent/target/stratos-update-agent-*-standalone.jar | head -1)}

WORK=$(mktemp -d)
BROKER_PID=""
AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
  [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

java -Xmx128m -Dlogback.configurationFile=agent-logback.xml \
  -cp "agent/target/test-classes:agent/target/classes:$(cat "$CLASSPATH_FILE")" \
  org.stratos.update.agent.TestBroker >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
for _ in $(seq 300); do grep -q '^port=' "$WORK/broker.log" && break; sleep 0.1; done
PORT=$(sed -n 's/^port=//p' "$WORK/broker.log")
[ -n "$PORT" ] || { echo "broker did not start:"; cat "$WORK/broker.log"; exit 1; }

printf '#!/bin/sh\necho "Notice: applied $FACTER_stratos_version"\nexit 2\n' >"$WORK/puppet"
chmod +x "$WORK/puppet"

# one agent start: prints "<ms to activation> <VmRSS kB>"; extra JVM flags as arguments
run_agent() {
  local log="$WORK/agent.log"
  # shellcheck disable=SC2086
  # the throw-away broker authenticates nobody; the agent still needs a member id and a password, as on a VM
  STRATOS_AGENT_BROKER_PASSWORD=measure java $JVM_FLAGS "$@" -jar "$JAR" --broker.url="tcp://127.0.0.1:$PORT" \
    --application.id=measure --service.name=php --alias=php --member.id=measure.php.php.domain-1 --version=1.0 \
    --state.dir="$WORK/state" --update.command="$WORK/puppet" \
    >"$log" 2>&1 &
  AGENT_PID=$!
  local ms=""
  for _ in $(seq 300); do
    ms=$(sed -n 's/.*InstanceActivatedEvent published, \([0-9]*\) ms after JVM start.*/\1/p' "$log")
    [ -n "$ms" ] && break
    kill -0 "$AGENT_PID" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$ms" ]; then
    echo "agent did not activate:" >&2
    cat "$log" >&2
    kill "$AGENT_PID" 2>/dev/null || true
    exit 1
  fi
  sleep "$IDLE_SECONDS"
  local rss
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$AGENT_PID/status")
  kill -TERM "$AGENT_PID"
  wait "$AGENT_PID" || true
  AGENT_PID=""
  echo "$ms $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

measure() {
  local label=$1; shift
  run_agent "$@" >/dev/null # warm-up: page cache, not counted
  : >"$WORK/results"
  for i in $(seq "$RUNS"); do
    run_agent "$@" | tee -a "$WORK/results" | awk -v i="$i" -v l="$label" '{printf "  %s run %d: %4d ms, RSS %5.1f MB\n", l, i, $1, $2 / 1024}'
  done
  printf '%-8s median: %s ms to InstanceActivatedEvent, RSS %s MB idle\n' "$label" \
    "$(cut -d' ' -f1 "$WORK/results" | median)" \
    "$(cut -d' ' -f2 "$WORK/results" | median | awk '{printf "%.1f", $1 / 1024}')"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:    $(java -version 2>&1 | head -1)"
echo "flags:   $JVM_FLAGS"
echo "jar:     $JAR ($(du -k "$JAR" | cut -f1) kB), broker on port $PORT, idle $IDLE_SECONDS s before reading VmRSS"
measure plain
# AppCDS: one training run writes the archive when the JVM exits (SIGTERM included), later runs map it
run_agent -XX:ArchiveClassesAtExit="$WORK/agent.jsa" >/dev/null 2>&1
[ -f "$WORK/agent.jsa" ] || { echo "no AppCDS archive written"; exit 1; }
echo "AppCDS archive: $(du -k "$WORK/agent.jsa" | cut -f1) kB"
measure appcds -XX:SharedArchiveFile="$WORK/agent.jsa"

if [ "$COST_RUNS" -gt 0 ]; then
  echo "cost of one update to the agent's process (load $(cut -d' ' -f1-3 /proc/loadavg)):"
  java -Xmx128m -Dlogback.configurationFile=agent-logback.xml -Dstratos.agent.log.level=WARN \
    -cp "agent/target/test-classes:agent/target/classes:$(cat "$CLASSPATH_FILE")" \
    org.stratos.update.agent.UpdateCost "$JAR" "$WORK/cost" "$COST_RUNS" 50
fi
