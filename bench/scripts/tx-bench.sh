#!/usr/bin/env bash
# Transactions benchmark (docs/benchmarks.md, "## Transactions"): starts a one-node coordinator and two ledger
# participants (the tx starter's test application; A on PostgreSQL, B on MariaDB, each on a fresh database),
# runs io.flotilla.bench.tx.TxOverheadDriver against them, and stops everything it started.
# Usage: bench/scripts/tx-bench.sh [seconds=15] [concurrency=8] [accounts=64]
# Needs: JAVA_HOME (21+), a build (./mvnw -B -q -pl platform/tx-starter,bench -am install -DskipTests), local
# PostgreSQL (max_prepared_transactions > 0) and MariaDB as in scripts/prepare-test-servers.sh.
# Optional environment:
#   FLOTILLA_BENCH_COORDINATOR_JAR=<tx-coordinator-exec.jar>  run that coordinator build (e.g. main's, as a baseline)
#                                                            instead of the one on the tx starter's test class path
#   FLOTILLA_BENCH_CP_FILE=<file>   the participants' class path, already resolved (no ./mvnw call; see benchmarks.md)
#   FLOTILLA_BENCH_PORT_BASE=<n>    ports n+90 (coordinator), n+1090 (its Raft port), n+181, n+182 (default 18000)
#   FLOTILLA_BENCH_PARTICIPANT_ARGS="<args>"  more arguments for both participants, e.g.
#                                   --flotilla.tx.participant.hot-path=false (phase two through Spring MVC, as before)
#   FLOTILLA_BENCH_DB=<name>        the databases' name (default flotilla_txbench), so that two runs can share the servers
#   FLOTILLA_BENCH_JFR=<dir>        record the coordinator and both participants with JFR (profile settings) into <dir>
#   FLOTILLA_BENCH_REQUESTS=true    also print the HTTP requests per transaction each process served in each phase
#                                   (exposes the participants' Prometheus endpoint for it)
#   FLOTILLA_BENCH_PROFILE=<dir>    profile the coordinator and both participants in each measured phase with
#                                   async-profiler (from Maven Central: tools.profiler:async-profiler, linux-x64,
#                                   version ASYNC_PROFILER_VERSION, default 4.2), write <phase>-<process>.collapsed
#                                   into <dir> and print each one's CPU by owner (io.flotilla.bench.profile.CpuOwners)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
SECONDS_PER_PHASE=${1:-15}
CONCURRENCY=${2:-8}
ACCOUNTS=${3:-64}
WORK=$(mktemp -d /tmp/flotilla-tx-bench.XXXXXX)
DB=${FLOTILLA_BENCH_DB:-flotilla_txbench}
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT

psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"

if [ -n "${FLOTILLA_BENCH_CP_FILE:-}" ]; then
    cp "$FLOTILLA_BENCH_CP_FILE" "$WORK/cp.txt"
else
    ./mvnw -B -q -o -pl platform/tx-starter dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
fi
CP="platform/tx-starter/target/test-classes:platform/tx-starter/target/classes:$(cat "$WORK/cp.txt")"
PORT_BASE=${FLOTILLA_BENCH_PORT_BASE:-18000}
COORDINATOR_PORT=$((PORT_BASE + 90))
# Phase-two calls are signed in every stack, so in the measured one too: a random key per run.
SIGNING_KEY=$(openssl rand -hex 32)
EXCLUDE=io.flotilla.tx.config.TxAutoConfiguration,io.flotilla.tx.config.TxWebAutoConfiguration,io.flotilla.tx.config.TccAutoConfiguration,io.flotilla.tx.config.XaAutoConfiguration

if [ -n "${FLOTILLA_BENCH_COORDINATOR_JAR:-}" ]; then
    COORDINATOR=(-jar "$FLOTILLA_BENCH_COORDINATOR_JAR")
else
    COORDINATOR=(-cp "$CP" io.flotilla.txcoordinator.TxCoordinatorApplication)
fi
JFR_DIR=${FLOTILLA_BENCH_JFR:-}
"$JAVA" -Xmx512m ${JFR_DIR:+"-XX:StartFlightRecording=filename=$JFR_DIR/coordinator.jfr,settings=profile"} "${COORDINATOR[@]}" --server.port=$COORDINATOR_PORT \
    --flotilla.coordinator.raft-port=$((PORT_BASE + 1090)) --flotilla.coordinator.data-dir="$WORK/coordinator" --flotilla.coordinator.phase-two.signing-keys="$SIGNING_KEY" \
    --spring.autoconfigure.exclude=$EXCLUDE --logging.level.root=WARN > "$WORK/coordinator.log" 2>&1 &
PIDS+=($!)
EXPOSE_METRICS=""
[ "${FLOTILLA_BENCH_REQUESTS:-}" = true ] && EXPOSE_METRICS=yes
participant() { # name port jdbc-url user
    # shellcheck disable=SC2086 # FLOTILLA_BENCH_PARTICIPANT_ARGS is a list of arguments
    "$JAVA" -Xmx512m ${JFR_DIR:+"-XX:StartFlightRecording=filename=$JFR_DIR/$1.jfr,settings=profile"} -cp "$CP" io.flotilla.tx.it.ledger.LedgerApplication --server.port="$2" \
        --spring.application.name="$1" --spring.datasource.url="$3" --spring.datasource.username="$4" \
        --spring.datasource.password= --spring.datasource.hikari.maximum-pool-size=16 \
        --flotilla.tx.coordinator.addresses=http://127.0.0.1:$COORDINATOR_PORT \
        --flotilla.tx.participant.base-url=http://127.0.0.1:"$2" --spring.threads.virtual.enabled=true \
        --flotilla.tx.participant.signing-keys="$SIGNING_KEY" ${FLOTILLA_BENCH_PARTICIPANT_ARGS:-} \
        ${EXPOSE_METRICS:+--management.endpoints.web.exposure.include=health,prometheus} \
        --logging.level.root=WARN > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
}
participant bench-bank-a $((PORT_BASE + 181)) jdbc:postgresql://127.0.0.1:5432/$DB postgres
participant bench-bank-b $((PORT_BASE + 182)) jdbc:mariadb://127.0.0.1:3306/$DB root
for url in http://127.0.0.1:$COORDINATOR_PORT/actuator/health http://127.0.0.1:$((PORT_BASE + 181))/ledger/accounts http://127.0.0.1:$((PORT_BASE + 182))/ledger/accounts; do
    for _ in $(seq 1 240); do curl -fs -o /dev/null "$url" && break; sleep 0.5; done
    curl -fs -o /dev/null "$url" || { echo "not up: $url (logs in $WORK)" >&2; exit 1; }
done
PROFILE_ARGS=()
if [ -n "${FLOTILLA_BENCH_PROFILE:-}" ]; then
    ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:${ASYNC_PROFILER_VERSION:-4.2}:jar:linux-x64 \
        -DoutputDirectory="$WORK/async-profiler" >"$WORK/async-profiler.log" 2>&1 \
        || { cat "$WORK/async-profiler.log" >&2; echo "could not fetch async-profiler" >&2; exit 1; }
    (cd "$WORK/async-profiler" && unzip -q -o ./*.jar)
    PROFILE_ARGS=(-Dtx.profiler="$(find "$WORK/async-profiler" -name libasyncProfiler.so | head -n1)" \
        -Dtx.profileDir="$FLOTILLA_BENCH_PROFILE")
fi
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# The three JVMs' and the whole machine's CPU per transaction are printed beside tx/s (steadier than tx/s on a shared
# machine).
"$JAVA" -Dtx.processes=coordinator=${PIDS[0]},bank-a=${PIDS[1]},bank-b=${PIDS[2]} -Dtx.requests=${FLOTILLA_BENCH_REQUESTS:-false} \
    ${PROFILE_ARGS[@]+"${PROFILE_ARGS[@]}"} \
    -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.TxOverheadDriver \
    http://127.0.0.1:$COORDINATOR_PORT http://127.0.0.1:$((PORT_BASE + 181)) http://127.0.0.1:$((PORT_BASE + 182)) "$SECONDS_PER_PHASE" "$CONCURRENCY" "$ACCOUNTS"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
