#!/usr/bin/env bash
# The participant's phase two alone, A/B in one window (docs/benchmarks.md, "Participant phase two without Spring
# MVC"): two ledger participants (the tx starter's test application), each on its own fresh PostgreSQL database,
# A with flotilla.tx.participant.hot-path=true and B with false (phase two through Spring MVC, as before), sent
# signed TCC cancels by io.flotilla.bench.tx.PhaseTwoAbDriver in alternating rounds; prints calls/s and each
# participant's CPU per call. Stops everything it started.
# Usage: bench/scripts/phase-two-ab.sh [seconds=10] [clients=8] [rounds=3] [warm-up seconds per side=30]
# Needs: JAVA_HOME (21+); the bench jar and the tx starter's test class path, built without install:
#   ./mvnw -B -q -pl platform/tx-starter,bench -am package -DskipTests dependency:build-classpath \
#       -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt
# local PostgreSQL as in scripts/prepare-test-servers.sh.
# Optional environment: PHASE_TWO_AB_JFR=<dir> records both participants with JFR (profile settings) into <dir>;
#   PHASE_TWO_AB_ARGS_A / PHASE_TWO_AB_ARGS_B replace the hot-path argument of A / B.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
SECONDS_PER_ROUND=${1:-10}
CLIENTS=${2:-8}
ROUNDS=${3:-3}
WARMUP=${4:-30}
WORK=$(mktemp -d /tmp/flotilla-phase-two-ab.XXXXXX)
DB=phase_two_ab_$$
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for side in a b; do
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB}_$side WITH (FORCE)" || true
    done
    echo "logs in $WORK"
}
trap cleanup EXIT
free_port() {
    while :; do
        local port=$((20000 + RANDOM % 40000))
        ss -ltn "sport = :$port" | grep -q LISTEN || { echo "$port"; return; }
    done
}
CP="platform/tx-starter/target/test-classes:platform/tx-starter/target/classes:$(cat platform/tx-starter/target/bench-cp.txt)"
KEY=$(openssl rand -hex 32)
participant() { # side port args...
    local side=$1 port=$2; shift 2
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB}_$side WITH (FORCE)" \
        -c "CREATE DATABASE ${DB}_$side"
    # shellcheck disable=SC2086 # the arguments are a list
    "$JAVA" -Xmx512m ${PHASE_TWO_AB_JFR:+"-XX:StartFlightRecording=filename=$PHASE_TWO_AB_JFR/participant-$side.jfr,settings=profile"} \
        -cp "$CP" io.flotilla.tx.it.ledger.LedgerApplication --server.port="$port" \
        --spring.application.name="phase-two-$side" --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/${DB}_$side \
        --spring.datasource.username=postgres --spring.datasource.password= \
        --spring.datasource.hikari.maximum-pool-size=16 --spring.threads.virtual.enabled=true \
        --flotilla.tx.coordinator.addresses=http://127.0.0.1:1 --flotilla.tx.participant.signing-keys="$KEY" \
        --logging.level.root=WARN "$@" > "$WORK/participant-$side.log" 2>&1 &
    PIDS+=($!)
}
PORT_A=$(free_port); PORT_B=$(free_port)
participant a "$PORT_A" ${PHASE_TWO_AB_ARGS_A:---flotilla.tx.participant.hot-path=true}
participant b "$PORT_B" ${PHASE_TWO_AB_ARGS_B:---flotilla.tx.participant.hot-path=false}
for port in "$PORT_A" "$PORT_B"; do
    for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/ledger/accounts" && break; sleep 0.5; done
    curl -fs -o /dev/null "http://127.0.0.1:$port/ledger/accounts" || { echo "not up: $port (logs in $WORK)" >&2; exit 1; }
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -Dab.pidA="${PIDS[0]}" -Dab.pidB="${PIDS[1]}" -cp bench/target/flotilla-bench.jar \
    io.flotilla.bench.tx.PhaseTwoAbDriver "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B" "$KEY" \
    "$SECONDS_PER_ROUND" "$CLIENTS" "$ROUNDS" debit "$WARMUP"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
