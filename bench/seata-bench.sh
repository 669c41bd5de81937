#!/usr/bin/env bash
# Seata beside Flotilla in one run (docs/benchmarks.md, "Seata, side by side"; issues #19 part 1 and #15 item 6).
#
# Starts, on free loopback ports:
#   - Seata's TC io.seata:seata-server:2.0.0 from Maven Central (its class path copied by bench/seata/server/pom.xml,
#     main class io.seata.server.ServerApplication), file store with synchronous flush, file registry, no Nacos;
#   - Flotilla's tx-coordinator, one node (tx-coordinator/target/tx-coordinator-exec.jar, Raft log with fsync);
#   - two Seata TCC banks (bench/seata/client, Seata's own starter on Spring Boot 2.7, fence on): A on PostgreSQL,
#     B on MariaDB;
#   - two Flotilla TCC banks (the tx starter's test ledger, as bench/scripts/tx-bench.sh): A on PostgreSQL, B on MariaDB;
# then runs io.flotilla.bench.tx.SeataSideBySideDriver (one closed loop, both sides, interleaved rounds) and stops
# everything it started.
#
# Usage: bench/seata-bench.sh [seconds=10] [clients=1,8,32] [rounds=2] [phases=empty,tcc]
#        bench/seata-bench.sh --check
#   --check        no benchmark: builds examples/seata-style (flotilla-seata-compat's sample, written only against
#                  io.seata.*) unchanged against Seata's real starter (bench/seata/compat-check) and runs its transfer
#                  on the real Seata TC: one that commits, one that rolls back (repeated id, after both tries), one
#                  refused by the wallet; then checks the wallets. SEATA_STYLE_DIR=<dir> builds another copy.
#   SKIP_BUILD=1   use the jars already built
#   JFR=1          record the Flotilla coordinator and Flotilla's bank A with JFR (files printed at the end)
#   FSYNC=1        instead of the benchmark: count fsync/fdatasync of both coordinators with strace -f -c during
#                  one empty-transaction and one TCC phase per side (strace slows both; only the per-transaction
#                  counts are meant to be read)
# Needs: JAVA_HOME (21+) for Flotilla and the driver; Seata 2.0 runs on the JDK 17 at SEATA_JAVA
# (default /usr/lib/jvm/java-17-openjdk-amd64, the line Seata 2.0 and Spring Boot 2.7 support); local PostgreSQL and
# MariaDB as in scripts/prepare-test-servers.sh; psql, mariadb, ss, curl, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
SEATA_JAVA="${SEATA_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
CHECK=0
if [[ "${1:-}" == --check ]]; then CHECK=1; shift; fi
SECONDS_PER_PHASE=${1:-10}
CLIENTS=${2:-1,8,32}
ROUNDS=${3:-2}
PHASES=${4:-empty,tcc}
HEAP=-Xmx512m
WORK=$(mktemp -d /tmp/flotilla-seata-bench.XXXXXX)
DB=seatabench_$$
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for side in f s; do
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB}_$side WITH (FORCE)" || true
        mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS ${DB}_$side" || true
    done
    echo "logs in $WORK"
}
trap cleanup EXIT

free_port() { # a random port in 20000-60000 that nothing listens on
    while :; do
        local port=$((20000 + RANDOM % 40000))
        ss -ltn "sport = :$port" | grep -q LISTEN || { echo "$port"; return; }
    done
}
wait_http() { # url
    for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return; sleep 0.5; done
    echo "not up: $1 (logs in $WORK)" >&2; exit 1
}
wait_port() { # port
    for _ in $(seq 1 600); do ss -ltn "sport = :$1" | grep -q LISTEN && return; sleep 0.5; done
    echo "nothing listens on $1 (logs in $WORK)" >&2; exit 1
}

# The ledger's class path (the tx starter's tests) is written in the same reactor build, so that the platform's
# snapshots resolve from the reactor and are never installed into ~/.m2.
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f platform/tx-starter/target/seata-bench-cp.txt ]]; then
    ./mvnw -B -q -pl tx-coordinator,platform/tx-starter,bench -am package -DskipTests \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/seata-bench-cp.txt
    ./mvnw -B -q -f bench/seata/client/pom.xml package -DskipTests
fi
if [[ "$CHECK" == 1 ]]; then
    ./mvnw -B -q -f bench/seata/compat-check/pom.xml package -DskipTests ${SEATA_STYLE_DIR:+-Dseata.style.dir="$SEATA_STYLE_DIR"}
    ./mvnw -B -q -f bench/seata/compat-check/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/compat-cp.txt" >/dev/null
fi
./mvnw -B -q -f bench/seata/server/pom.xml dependency:copy-dependencies -DoutputDirectory="$WORK/seata-server-lib" >/dev/null
./mvnw -B -q -f bench/seata/client/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/seata-client-cp.txt" >/dev/null
FLOTILLA_CP="platform/tx-starter/target/test-classes:platform/tx-starter/target/classes:$(cat platform/tx-starter/target/seata-bench-cp.txt)"
SEATA_CP="bench/seata/client/target/classes:$(cat "$WORK/seata-client-cp.txt")"

for side in f s; do
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB}_$side WITH (FORCE)" -c "CREATE DATABASE ${DB}_$side"
    mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS ${DB}_$side; CREATE DATABASE ${DB}_$side"
done

# --- Seata TC 2.0.0: file store, synchronous flush. Its main class also parses its own command line (jcommander),
# so Spring properties go in as system properties.
SEATA_HTTP=$(free_port); SEATA_RPC=$(free_port)
# Logging at WARN, as every other process here: at its shipped INFO level the TC writes lines for every
# transaction to its console and files.
"$SEATA_JAVA" $HEAP -Dlog.home="$WORK/seata-logs" -Dlogging.level.root=WARN -Dlogging.level.io.seata=WARN -Dserver.port="$SEATA_HTTP" -Dseata.server.service-port="$SEATA_RPC" \
    -Dseata.config.type=file -Dseata.registry.type=file \
    -Dseata.store.mode=file -Dseata.store.file.dir="$WORK/seata-store" -Dseata.store.file.flush-disk-mode=sync \
    -cp "$WORK/seata-server-lib/*" io.seata.server.ServerApplication > "$WORK/seata-tc.log" 2>&1 &
SEATA_TC_PID=$!; PIDS+=("$SEATA_TC_PID")

if [[ "$CHECK" == 1 ]]; then
    wait_port "$SEATA_RPC"
    COMPAT_CP="bench/seata/compat-check/target/classes:$(cat "$WORK/compat-cp.txt")"
    SEATA_CLIENT=(--seata.tx-service-group=default_tx_group --seata.service.vgroup-mapping.default_tx_group=default
        --seata.service.grouplist.default=127.0.0.1:"$SEATA_RPC" --seata.registry.type=file --seata.config.type=file
        --seata.enable-auto-data-source-proxy=false --logging.level.root=WARN)
    WALLET=$(free_port); TRANSFER=$(free_port)
    "$SEATA_JAVA" $HEAP -cp "$COMPAT_CP" io.flotilla.examples.seatastyle.wallet.WalletApplication --server.port="$WALLET" \
        --seata.application-id=wallet --spring.flyway.locations=classpath:db/wallet,classpath:db/seata-fence \
        "${SEATA_CLIENT[@]}" > "$WORK/wallet.log" 2>&1 &
    PIDS+=($!)
    "$SEATA_JAVA" $HEAP -cp "$COMPAT_CP" io.flotilla.examples.seatastyle.transfer.TransferApplication --server.port="$TRANSFER" \
        --seata.application-id=transfer --seata-style.wallet-url=http://127.0.0.1:"$WALLET" \
        "${SEATA_CLIENT[@]}" > "$WORK/transfer.log" 2>&1 &
    PIDS+=($!)
    wait_http "http://127.0.0.1:$WALLET/api/wallets/alice"
    wait_port "$TRANSFER"
    transfer() { # id from to amount -> HTTP status
        curl -s -o "$WORK/last-transfer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
            -d "{\"id\":\"$1\",\"from\":\"$2\",\"to\":\"$3\",\"amount\":$4}" "http://127.0.0.1:$TRANSFER/api/transfers"
    }
    wallet() { curl -fs "http://127.0.0.1:$WALLET/api/wallets/$1"; }
    expect() { # what expected actual
        if [[ "$2" == "$3" ]]; then echo "ok   $1: $3"; else echo "FAIL $1: expected $2, got $3 ($(cat "$WORK/last-transfer.json"))"; FAILED=1; fi
    }
    FAILED=0
    expect "transfer t1 alice->bob 100 commits" 201 "$(transfer t1 alice bob 100)"
    expect "t1 repeated: both tries ran, the insert failed, rolled back" 409 "$(transfer t1 alice bob 100)"
    expect "t2 to a wallet that does not exist: refused, rolled back" 409 "$(transfer t2 alice nobody 50)"
    expect "t3 more than alice has: refused, rolled back" 409 "$(transfer t3 alice carol 5000)"
    sleep 2 # Seata's TC retries nothing here, but let any phase two land before reading
    expect "alice after" '"available":900,"frozen":0,"incoming":0' "$(wallet alice | grep -o '"available":[0-9]*,"frozen":[0-9]*,"incoming":[0-9]*')"
    expect "bob after" '"available":100,"frozen":0,"incoming":0' "$(wallet bob | grep -o '"available":[0-9]*,"frozen":[0-9]*,"incoming":[0-9]*')"
    expect "carol after" '"available":0,"frozen":0,"incoming":0' "$(wallet carol | grep -o '"available":[0-9]*,"frozen":[0-9]*,"incoming":[0-9]*')"
    [[ "$FAILED" == 0 ]] && echo "examples/seata-style on Seata 2.0.0 (seata-spring-boot-starter, real TC): all checks passed"
    exit "$FAILED"
fi

# --- Flotilla coordinator, one node.
COORD_HTTP=$(free_port); COORD_RAFT=$(free_port)
SIGNING_KEY=$(openssl rand -hex 32)
JFR_OPTS=()
if [[ "${JFR:-0}" == 1 ]]; then
    JFR_OPTS=(-XX:StartFlightRecording=filename="$WORK/coordinator.jfr",settings=profile)
fi
"$JAVA" $HEAP "${JFR_OPTS[@]}" -jar tx-coordinator/target/tx-coordinator-exec.jar --server.port="$COORD_HTTP" \
    --flotilla.coordinator.raft-port="$COORD_RAFT" --flotilla.coordinator.data-dir="$WORK/coordinator" \
    --flotilla.coordinator.phase-two.signing-keys="$SIGNING_KEY" --logging.level.root=WARN > "$WORK/coordinator.log" 2>&1 &
COORD_PID=$!; PIDS+=("$COORD_PID")

wait_port "$SEATA_RPC"
wait_http "http://127.0.0.1:$COORD_HTTP/actuator/health"

# --- Banks. Same pool size and heap on both sides. TCC only: Flotilla's XA support is left out, so PostgreSQL
# needs no max_prepared_transactions here.

flotilla_bank() { # name port jdbc-url user
    local jfr=()
    if [[ "${JFR:-0}" == 1 && "$1" == flotilla-bank-a ]]; then jfr=(-XX:StartFlightRecording=filename="$WORK/$1.jfr",settings=profile); fi
    "$JAVA" $HEAP "${jfr[@]}" -cp "$FLOTILLA_CP" io.flotilla.tx.it.ledger.LedgerApplication --server.port="$2" \
        --spring.application.name="$1" --spring.datasource.url="$3" --spring.datasource.username="$4" \
        --spring.datasource.password= --spring.datasource.hikari.maximum-pool-size=16 \
        --flotilla.tx.coordinator.addresses=http://127.0.0.1:"$COORD_HTTP" \
        --flotilla.tx.participant.base-url=http://127.0.0.1:"$2" --spring.threads.virtual.enabled=true \
        --flotilla.tx.participant.signing-keys="$SIGNING_KEY" \
        --spring.autoconfigure.exclude=io.flotilla.tx.config.XaAutoConfiguration \
        --logging.level.root=WARN > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
}
seata_bank() { # name port jdbc-url user
    "$SEATA_JAVA" $HEAP -cp "$SEATA_CP" io.flotilla.bench.seata.SeataLedgerApplication --server.port="$2" \
        --spring.application.name="$1" --spring.datasource.url="$3" --spring.datasource.username="$4" \
        --spring.datasource.password= --spring.datasource.hikari.maximum-pool-size=16 \
        --seata.service.grouplist.default=127.0.0.1:"$SEATA_RPC" --logging.level.root=WARN > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
}
FA=$(free_port); FB=$(free_port); SA=$(free_port); SB=$(free_port)
flotilla_bank flotilla-bank-a "$FA" "jdbc:postgresql://127.0.0.1:5432/${DB}_f" postgres; FA_PID=${PIDS[-1]}
flotilla_bank flotilla-bank-b "$FB" "jdbc:mariadb://127.0.0.1:3306/${DB}_f" root; FB_PID=${PIDS[-1]}
seata_bank seata-bank-a "$SA" "jdbc:postgresql://127.0.0.1:5432/${DB}_s" postgres; SA_PID=${PIDS[-1]}
seata_bank seata-bank-b "$SB" "jdbc:mariadb://127.0.0.1:3306/${DB}_s" root; SB_PID=${PIDS[-1]}
for port in "$FA" "$FB" "$SA" "$SB"; do wait_http "http://127.0.0.1:$port/ledger/accounts"; done

# --- Seata's TM client in the driver: configured by file, as a non-Spring Seata user does.
mkdir -p "$WORK/seata-client-conf"
cat > "$WORK/seata-client-conf/registry.conf" <<EOF
registry {
  type = "file"
  file {
    name = "file.conf"
  }
}
config {
  type = "file"
  file {
    name = "file.conf"
  }
}
EOF
cat > "$WORK/seata-client-conf/file.conf" <<EOF
service {
  vgroupMapping.default_tx_group = "default"
  default.grouplist = "127.0.0.1:$SEATA_RPC"
}
EOF
cat > "$WORK/seata-client-conf/logback.xml" <<EOF
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
EOF
# Without Spring: the starter's autoconfigure jars would make Seata read its configuration from a Spring environment.
DRIVER_SEATA_CP=$(echo "$SEATA_CP" | tr ':' '\n' | grep -v -E 'seata-spring-(autoconfigure|boot-starter)' | paste -sd:)
echo "$WORK/seata-client-conf:$DRIVER_SEATA_CP" > "$WORK/seata-driver-cp.txt"

PID_SPEC="seata-tc:$SEATA_TC_PID,seata-bank-a:$SA_PID,seata-bank-b:$SB_PID,flotilla-coordinator:$COORD_PID,flotilla-bank-a:$FA_PID,flotilla-bank-b:$FB_PID"
driver() {
    "$JAVA" -cp bench/target/flotilla-bench.jar io.flotilla.bench.tx.SeataSideBySideDriver \
        --flotilla=http://127.0.0.1:"$COORD_HTTP" --flotilla-banks=http://127.0.0.1:"$FA",http://127.0.0.1:"$FB" \
        --seata-classpath="$WORK/seata-driver-cp.txt" --seata-banks=http://127.0.0.1:"$SA",http://127.0.0.1:"$SB" \
        --pids="$PID_SPEC" "$@"
}

echo "versions: $("$JAVA" -version 2>&1 | head -1) (Flotilla, driver); $("$SEATA_JAVA" -version 2>&1 | head -1) (Seata); seata-server 2.0.0, seata-spring-boot-starter 2.0.0"
echo "Flotilla: $(git rev-parse --short HEAD) $(git log -1 --format=%cd --date=iso)"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S) UTC"
if [[ "${FSYNC:-0}" == 1 ]]; then
    STRACE_PIDS=()
    for target in "seata-tc:$SEATA_TC_PID" "flotilla-coordinator:$COORD_PID"; do
        strace -f -c -e trace=fsync,fdatasync -o "$WORK/strace-${target%%:*}.txt" -p "${target##*:}" &
        STRACE_PIDS+=($!)
    done
    sleep 2
    driver --clients="$CLIENTS" --seconds="$SECONDS_PER_PHASE" --rounds=1 --phases="$PHASES"
    for pid in "${STRACE_PIDS[@]}"; do kill -INT "$pid"; done
    wait "${STRACE_PIDS[@]}" 2>/dev/null || true
    for target in seata-tc flotilla-coordinator; do echo "== $target"; cat "$WORK/strace-$target.txt"; done
else
    driver --clients="$CLIENTS" --seconds="$SECONDS_PER_PHASE" --rounds="$ROUNDS" --phases="$PHASES"
fi
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S) UTC"
if [[ "${JFR:-0}" == 1 ]]; then
    jcmd "$COORD_PID" JFR.dump filename="$WORK/coordinator.jfr" >/dev/null && echo "JFR recording: $WORK/coordinator.jfr"
    jcmd "$FA_PID" JFR.dump filename="$WORK/flotilla-bank-a.jfr" >/dev/null && echo "JFR recording: $WORK/flotilla-bank-a.jfr"
fi
