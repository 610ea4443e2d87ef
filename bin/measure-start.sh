#!/usr/bin/env bash
# Measures the manager's start: the time from launching `java` to the first `200 UP` of /actuator/health, with the
# embedded default (H2 and the embedded broker's KahaDB in a fresh directory, the demo application and its simulated
# members), on free ports. Prints one line per run: label, milliseconds to healthy, the seconds the log gives from
# launch to "Started" (the rest is the ready phase: the demo application and its members), the CPU seconds the JVM
# used until healthy, the 1-minute load average at the end.
#
#   bin/measure-start.sh LABEL [JAVA ARGUMENTS...]       # the arguments after the label replace `-jar <jar>`
#   bin/measure-start.sh jar -jar target/stratos-update-manager-0.1.0-SNAPSHOT.jar
#   bin/measure-start.sh cds -XX:SharedArchiveFile=target/manager/manager.jsa -jar target/manager/stratos-update-manager-0.1.0-SNAPSHOT.jar
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bin/measure-start.sh aot \
#     -XX:AOTCache=target/manager/manager.aot -jar target/manager/stratos-update-manager-0.1.0-SNAPSHOT.jar
#
# The java run is $JAVA_HOME/bin/java when JAVA_HOME is set, else the one on PATH (as bin/prepare-manager.sh).
# Environment: RUNS (default 1), JVM_FLAGS (default -Xmx512m, as the benchmark harness), KEEP=1 keeps the work
# directory (its manager.log) and prints where it is; MANAGER_ARGS adds manager arguments (--name=value ...).
set -euo pipefail

LABEL=$1
shift
# each run starts java in a fresh directory of its own: relative paths (the jar, the archive or cache) are made
# absolute here (a relative -XX:AOTCache= that names no file in the run's directory would run without the cache)
ARGS=()
for a in "$@"; do
  case "$a" in
    -XX:SharedArchiveFile=* | -XX:AOTCache=*) [ -e "${a#*=}" ] && a="${a%%=*}=$(realpath "${a#*=}")" ;;
    -*) ;;
    *) [ -e "$a" ] && a=$(realpath "$a") ;;
  esac
  ARGS+=("$a")
done
JAVA=java
[ -n "${JAVA_HOME:-}" ] && JAVA=$JAVA_HOME/bin/java
RUNS=${RUNS:-1}
JVM_FLAGS=${JVM_FLAGS:-"-Xmx512m"}
MANAGER_ARGS=${MANAGER_ARGS:-}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for run in $(seq "$RUNS"); do
  WORK=$(mktemp -d /tmp/stratos-start.XXXXXX)
  HTTP=$(free_port)
  BROKER=$(free_port)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  (cd "$WORK" && exec "$JAVA" $JVM_FLAGS "${ARGS[@]}" --server.port="$HTTP" \
    --stratos.broker.connector="tcp://127.0.0.1:$BROKER" $MANAGER_ARGS >manager.log 2>&1) &
  PID=$!
  ms=""
  cpu=""
  for _ in $(seq 1800); do
    if curl -fs -o /dev/null "http://127.0.0.1:$HTTP/actuator/health" 2>/dev/null; then
      ms=$((($(date +%s%N) - t0) / 1000000))
      # CPU seconds the JVM used until then (user + system, all its threads): far less sensitive to the machine's
      # load than the wall time, which on a shared machine mostly measures the others
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$PID/stat")
      break
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  load=$(cut -d' ' -f1 /proc/loadavg)
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  # the JVM's own view: "Started ... in S seconds (process running for P)": P is launch to the context's refresh
  started=$(sed -n 's/.*process running for \([0-9.]*\)).*/\1/p' "$WORK/manager.log" | head -1)
  echo "$LABEL run=$run startMillis=${ms:-FAILED} startedSeconds=${started:-?} cpuSeconds=${cpu:-?} load=$load${KEEP:+ work=$WORK}"
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
done
