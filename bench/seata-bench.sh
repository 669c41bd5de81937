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
# then runs io.flotilla.bench.tx.SeataSideBySideDriver (one closed loop, both sides, interleaved rounds; after each
# phase it waits until that side's processes are idle, so work a server deferred past its answers, such as Seata's
# AsyncCommitting of empty transactions, neither runs in the other side's window nor escapes its own CPU figure) and
# stops everything it started.
#
# Usage: bench/seata-bench.sh [seconds=10] [clients=1,8,32] [rounds=2] [phases=empty,tcc]
#        bench/seata-bench.sh --check
#   phases         empty, tcc, xa and/or plain. plain: the transfer as two plain calls (autocommit updates, no
#                  global transaction) on each side's own banks; the summary then also gives each side's TCC and XA
#                  rate against its own plain rate (#15's "TCC >= 0.5x of the same two plain calls"). xa: the same transfer as plain updates in XA branches: Seata's banks
#                  started with its XA data-source proxy (seata.enable-auto-data-source-proxy=true,
#                  seata.data-source-proxy-mode=XA; MariaDB Connector/J 2.7, the line Seata 2.0's XA code is built
#                  against: 3.x has no MariaXaConnection), Flotilla's with the tx starter's XA support on
#                  (@XaBranch). Needs PostgreSQL max_prepared_transactions > 0 (scripts/prepare-test-servers.sh).
#                  After the run, no prepared branch may be left behind (pg_prepared_xacts, MariaDB XA RECOVER).
#   NODES=3        three coordinators on each side: Seata's TC with its Raft store (store.mode=raft,
#                  seata.server.raft.*, clients find the leader through registry.type=raft) beside Flotilla's
#                  three-node coordinator (one peers list); the default, 1, is the file store beside one node.
#   --check        no benchmark: builds examples/seata-style (flotilla-seata-compat's sample, written only against
#                  io.seata.*) unchanged against Seata's real starter (bench/seata/compat-check) and runs its transfer
#                  on the real Seata TC: one that commits, one that rolls back (repeated id, after both tries), one
#                  refused by the wallet; then checks the wallets. SEATA_STYLE_DIR=<dir> builds another copy.
#   SKIP_BUILD=1   use the jars already built
#   JFR=1          record the Flotilla coordinator (node 1), both Flotilla banks and the driver with JFR (files printed
#                  at the end)
#   COORDINATOR_JAR=<jar>, BENCH_JAR=<jar>  run another build's coordinator or driver (an A/B against a saved build)
#   PORTS=<lo>-<hi> pick the free ports in that range (default 20000-59999), so that runs beside each other never meet
#   FSYNC=1        (NODES=1) instead of the benchmark: count fsync/fdatasync of both coordinators with strace -f -c during
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
NODES=${NODES:-1}
[[ "$NODES" == 1 || "$NODES" == 3 ]] || { echo "NODES is 1 or 3, got $NODES" >&2; exit 2; }
XA=0
[[ ",$PHASES," == *,xa,* ]] && XA=1
if [[ "$CHECK" == 1 && "$NODES" != 1 ]]; then echo "--check runs on one TC (NODES=1)" >&2; exit 2; fi
if [[ "$XA" == 1 && "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW max_prepared_transactions')" == 0 ]]; then
    echo "PostgreSQL has max_prepared_transactions = 0: XA cannot prepare; run scripts/prepare-test-servers.sh" >&2
    exit 2
fi
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

PORTS=${PORTS:-20000-59999}; PORT_LO=${PORTS%-*}; PORT_HI=${PORTS#*-}
COORDINATOR_JAR=${COORDINATOR_JAR:-tx-coordinator/target/tx-coordinator-exec.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/flotilla-bench.jar}
free_port() { # a random port in PORT_LO..PORT_HI that nothing listens on
    while :; do
        local port=$((PORT_LO + RANDOM % (PORT_HI - PORT_LO + 1)))
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
if [[ "$XA" == 1 ]]; then
    ./mvnw -B -q -f bench/seata/client/pom.xml dependency:build-classpath -Dmariadb.version=2.7.12 \
        -Dmdep.outputFile="$WORK/seata-client-cp.txt" >/dev/null
fi
FLOTILLA_CP="platform/tx-starter/target/test-classes:platform/tx-starter/target/classes:$(cat platform/tx-starter/target/seata-bench-cp.txt)"
SEATA_CP="bench/seata/client/target/classes:$(cat "$WORK/seata-client-cp.txt")"

for side in f s; do
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB}_$side WITH (FORCE)" -c "CREATE DATABASE ${DB}_$side"
    mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS ${DB}_$side; CREATE DATABASE ${DB}_$side"
done

# --- Seata TC 2.0.0: file store, synchronous flush; or (NODES=3) three TCs on its Raft store, log synced (jraft's
# sync, on by default, set explicitly). Its main class also parses its own command line (jcommander), so Spring
# properties go in as system properties.
# Logging at WARN, as every other process here: at its shipped INFO level the TC writes lines for every
# transaction to its console and files.
seata_tc() { # name http-port rpc-port store-options...
    local name=$1 http=$2 rpc=$3; shift 3
    "$SEATA_JAVA" $HEAP -Dlog.home="$WORK/$name-logs" -Dlogging.level.root=WARN -Dlogging.level.io.seata=WARN \
        -Dserver.port="$http" -Dseata.server.service-port="$rpc" -Dseata.config.type=file -Dseata.registry.type=file "$@" \
        -cp "$WORK/seata-server-lib/*" io.seata.server.ServerApplication "${SEATA_TC_ARGS[@]}" > "$WORK/$name.log" 2>&1 &
    PIDS+=($!)
}
SEATA_TC_SPEC=""
SEATA_TC_ARGS=()
if [[ "$NODES" == 1 ]]; then
    SEATA_HTTP=$(free_port); SEATA_RPC=$(free_port)
    seata_tc seata-tc "$SEATA_HTTP" "$SEATA_RPC" -Dseata.store.mode=file -Dseata.store.file.dir="$WORK/seata-store" \
        -Dseata.store.file.flush-disk-mode=sync
    SEATA_TC_PID=${PIDS[-1]}; SEATA_TC_SPEC="seata-tc:$SEATA_TC_PID"
    SEATA_RPCS=("$SEATA_RPC")
else
    SEATA_HTTPS=(); SEATA_RPCS=(); SEATA_RAFTS=()
    # Each TC's ports are P (HTTP), P + 1000 (RPC) and P + 2000 (Raft): the cluster metadata the clients' raft
    # registry reads advertises raft port - 2000 and raft port - 1000, whatever server.port and
    # seata.server.service-port say.
    for i in 1 2 3; do
        while :; do
            http=$(free_port)
            ss -ltn "sport = :$((http + 1000))" | grep -q LISTEN || ss -ltn "sport = :$((http + 2000))" | grep -q LISTEN || break
        done
        SEATA_HTTPS+=("$http"); SEATA_RPCS+=("$((http + 1000))"); SEATA_RAFTS+=("$((http + 2000))")
    done
    # A TC names itself (in xids, and as its Raft peer id) by the machine's first non-loopback address: it refuses
    # -h 127.0.0.1, and a server-addr of 127.0.0.1 leaves every node outside its own configuration ("can't do
    # preVote as it is not in conf"), so no leader is ever elected. Its Raft peers are therefore listed under this
    # machine's own address, which stays on this machine as loopback does.
    SEATA_HOST=$(hostname -I | awk '{print $1}')
    SEATA_TC_ARGS=(-h "$SEATA_HOST")
    SEATA_RAFT_ADDR=$(printf "$SEATA_HOST:%s," "${SEATA_RAFTS[@]}"); SEATA_RAFT_ADDR=${SEATA_RAFT_ADDR%,}
    # The clients' raft registry asks the TCs' HTTP ports for the cluster's metadata (who leads, its RPC port).
    SEATA_METADATA_ADDR=$(printf '127.0.0.1:%s,' "${SEATA_HTTPS[@]}"); SEATA_METADATA_ADDR=${SEATA_METADATA_ADDR%,}
    for i in 0 1 2; do
        seata_tc "seata-tc-$((i + 1))" "${SEATA_HTTPS[$i]}" "${SEATA_RPCS[$i]}" -Dseata.store.mode=raft \
            -Dseata.store.file.dir="$WORK/seata-store-$((i + 1))" -Dserver.raftPort="${SEATA_RAFTS[$i]}" \
            -Dseata.server.raft.group=default -Dseata.server.raft.server-addr="$SEATA_RAFT_ADDR" -Dseata.server.raft.sync=true
        SEATA_TC_SPEC+="${SEATA_TC_SPEC:+,}seata-tc-$((i + 1)):${PIDS[-1]}"
    done
    SEATA_RPC=${SEATA_RPCS[0]}
fi

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

# --- Flotilla coordinator: one node, or (NODES=3) three with one peers list. JFR=1 records the first node (the
# one-node coordinator, or node 1 of three, which need not be the leader: the leader is printed before the run).
SIGNING_KEY=$(openssl rand -hex 32)
JFR_OPTS=()
if [[ "${JFR:-0}" == 1 ]]; then
    JFR_OPTS=(-XX:StartFlightRecording=filename="$WORK/coordinator.jfr",settings=profile)
fi
COORD_HTTPS=(); COORD_RAFTS=()
for i in $(seq 1 "$NODES"); do COORD_HTTPS+=("$(free_port)"); COORD_RAFTS+=("$(free_port)"); done
COORD_PEERS=()
if [[ "$NODES" == 3 ]]; then
    PEERS=$(for i in 0 1 2; do printf 'tx%s@127.0.0.1:%s,' $((i + 1)) "${COORD_RAFTS[$i]}"; done); PEERS=${PEERS%,}
    COORD_PEERS=(--flotilla.coordinator.peers="$PEERS")
fi
COORD_SPEC=""
for i in $(seq 0 $((NODES - 1))); do
    name=flotilla-coordinator; [[ "$NODES" == 3 ]] && name=flotilla-coordinator-$((i + 1))
    opts=(); [[ "$i" == 0 ]] && opts=("${JFR_OPTS[@]}")
    "$JAVA" $HEAP "${opts[@]}" -jar "$COORDINATOR_JAR" --server.port="${COORD_HTTPS[$i]}" \
        --flotilla.coordinator.node-id=tx$((i + 1)) --flotilla.coordinator.raft-port="${COORD_RAFTS[$i]}" "${COORD_PEERS[@]}" \
        --flotilla.coordinator.data-dir="$WORK/$name" \
        --flotilla.coordinator.phase-two.signing-keys="$SIGNING_KEY" --logging.level.root=WARN > "$WORK/$name.log" 2>&1 &
    PIDS+=($!); COORD_SPEC+="${COORD_SPEC:+,}$name:$!"
    [[ "$i" == 0 ]] && COORD_PID=$!
done
COORD_HTTP=${COORD_HTTPS[0]}
COORD_URLS=$(printf 'http://127.0.0.1:%s,' "${COORD_HTTPS[@]}"); COORD_URLS=${COORD_URLS%,}

for port in "${SEATA_RPCS[@]}"; do wait_port "$port"; done
for port in "${COORD_HTTPS[@]}"; do wait_http "http://127.0.0.1:$port/actuator/health"; done
if [[ "$NODES" == 3 ]]; then
    # The clients' raft registry needs a leader in the TCs' metadata before the banks start.
    for _ in $(seq 1 300); do
        SEATA_CLUSTER=$(curl -fs "http://127.0.0.1:${SEATA_HTTPS[0]}/metadata/v1/cluster?group=default" || true)
        [[ "$SEATA_CLUSTER" == *LEADER* ]] && break
        sleep 1
    done
    [[ "$SEATA_CLUSTER" == *LEADER* ]] || { echo "Seata's Raft store elected no leader: $SEATA_CLUSTER (logs in $WORK)" >&2; exit 1; }
    echo "Seata TC cluster: $SEATA_CLUSTER"
    echo "Flotilla coordinator cluster: $(curl -fs "http://127.0.0.1:$COORD_HTTP/v1/cluster" || true)"
fi

# --- Banks. Same pool size and heap on both sides (Seata's XA branches take their connections from the Hikari pool,
# Flotilla's from the tx starter's XA pool). Without the xa phase, Flotilla's XA support is left out (so
# PostgreSQL needs no max_prepared_transactions) and Seata's data-source proxy is off; with it, both are on.
FLOTILLA_XA=(--spring.autoconfigure.exclude=io.flotilla.tx.config.XaAutoConfiguration)
SEATA_XA=()
[[ "$XA" == 1 ]] && FLOTILLA_XA=() && SEATA_XA=(--seata.enable-auto-data-source-proxy=true --seata.data-source-proxy-mode=XA)
SEATA_DISCOVERY=(--seata.service.grouplist.default=127.0.0.1:"$SEATA_RPC")
[[ "$NODES" == 3 ]] && SEATA_DISCOVERY=(--seata.registry.type=raft --seata.registry.raft.server-addr="$SEATA_METADATA_ADDR")

flotilla_bank() { # name port jdbc-url user
    local jfr=()
    [[ "${JFR:-0}" == 1 ]] && jfr=(-XX:StartFlightRecording=filename="$WORK/$1.jfr",settings=profile)
    "$JAVA" $HEAP "${jfr[@]}" -cp "$FLOTILLA_CP" io.flotilla.tx.it.ledger.LedgerApplication --server.port="$2" \
        --spring.application.name="$1" --spring.datasource.url="$3" --spring.datasource.username="$4" \
        --spring.datasource.password= --spring.datasource.hikari.maximum-pool-size=16 \
        --flotilla.tx.xa.pool.max-size=16 --flotilla.tx.coordinator.addresses="$COORD_URLS" \
        --flotilla.tx.participant.base-url=http://127.0.0.1:"$2" --spring.threads.virtual.enabled=true \
        --flotilla.tx.participant.signing-keys="$SIGNING_KEY" \
        "${FLOTILLA_XA[@]}" --logging.level.root=WARN > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
}
seata_bank() { # name port jdbc-url user
    "$SEATA_JAVA" $HEAP -cp "$SEATA_CP" io.flotilla.bench.seata.SeataLedgerApplication --server.port="$2" \
        --spring.application.name="$1" --spring.datasource.url="$3" --spring.datasource.username="$4" \
        --spring.datasource.password= --spring.datasource.hikari.maximum-pool-size=16 \
        "${SEATA_DISCOVERY[@]}" "${SEATA_XA[@]}" --logging.level.root=WARN > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
}
FA=$(free_port); FB=$(free_port); SA=$(free_port); SB=$(free_port)
flotilla_bank flotilla-bank-a "$FA" "jdbc:postgresql://127.0.0.1:5432/${DB}_f" postgres; FA_PID=${PIDS[-1]}
flotilla_bank flotilla-bank-b "$FB" "jdbc:mariadb://127.0.0.1:3306/${DB}_f" root; FB_PID=${PIDS[-1]}
# Seata's banks start one at a time once Flotilla's are up: Seata 2.0.0's raft registry gives its first metadata
# request to the TCs one second (a fixed read timeout) and finds no TC ever after if it times out, which four JVMs
# starting at once on two cores made it do.
for port in "$FA" "$FB"; do wait_http "http://127.0.0.1:$port/ledger/accounts"; done
seata_bank seata-bank-a "$SA" "jdbc:postgresql://127.0.0.1:5432/${DB}_s" postgres; SA_PID=${PIDS[-1]}
wait_http "http://127.0.0.1:$SA/ledger/accounts"
seata_bank seata-bank-b "$SB" "jdbc:mariadb://127.0.0.1:3306/${DB}_s" root; SB_PID=${PIDS[-1]}
wait_http "http://127.0.0.1:$SB/ledger/accounts"

# --- Seata's TM client in the driver: configured by file, as a non-Spring Seata user does.
mkdir -p "$WORK/seata-client-conf"
if [[ "$NODES" == 3 ]]; then
    REGISTRY="type = \"raft\"
  raft {
    serverAddr = \"$SEATA_METADATA_ADDR\"
  }"
else
    REGISTRY="type = \"file\"
  file {
    name = \"file.conf\"
  }"
fi
cat > "$WORK/seata-client-conf/registry.conf" <<EOF
registry {
  $REGISTRY
}
config {
  type = "file"
  file {
    name = "file.conf"
  }
}
EOF
# Seata 2.0.0's raft registry reads its serverAddr from the configuration centre (file.conf here), not from
# registry.conf as its other registries do (fixed after 2.0.0: apache/incubator-seata#6256), so the driver's TM
# found no TC at all ("No available service"); file.conf carries it too.
RAFT_IN_CONFIG=""
[[ "$NODES" == 3 ]] && RAFT_IN_CONFIG="registry {
  raft {
    serverAddr = \"$SEATA_METADATA_ADDR\"
  }
}"
cat > "$WORK/seata-client-conf/file.conf" <<EOF
service {
  vgroupMapping.default_tx_group = "default"
  default.grouplist = "127.0.0.1:$SEATA_RPC"
}
$RAFT_IN_CONFIG
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

PID_SPEC="$SEATA_TC_SPEC,seata-bank-a:$SA_PID,seata-bank-b:$SB_PID,$COORD_SPEC,flotilla-bank-a:$FA_PID,flotilla-bank-b:$FB_PID"
DRIVER_JFR=()
[[ "${JFR:-0}" == 1 ]] && DRIVER_JFR=(-XX:StartFlightRecording=filename="$WORK/driver.jfr",settings=profile)
driver() {
    "$JAVA" "${DRIVER_JFR[@]}" -cp "$BENCH_JAR" io.flotilla.bench.tx.SeataSideBySideDriver \
        --flotilla="$COORD_URLS" --flotilla-banks=http://127.0.0.1:"$FA",http://127.0.0.1:"$FB" \
        --seata-classpath="$WORK/seata-driver-cp.txt" --seata-banks=http://127.0.0.1:"$SA",http://127.0.0.1:"$SB" \
        --pids="$PID_SPEC" "$@"
}

echo "versions: $("$JAVA" -version 2>&1 | head -1) (Flotilla, driver); $("$SEATA_JAVA" -version 2>&1 | head -1) (Seata); seata-server 2.0.0, seata-spring-boot-starter 2.0.0"
echo "Flotilla: $(git rev-parse --short HEAD) $(git log -1 --format=%cd --date=iso)"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S) UTC"
if [[ "${FSYNC:-0}" == 1 && "$NODES" == 1 ]]; then
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
    if [[ "$XA" == 1 ]]; then
        # Evidence that both sides' branches really are prepared in the database: the most prepared transactions
        # seen at once in each side's PostgreSQL database, sampled every second during the run.
        while :; do
            psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT database, count(*) FROM pg_prepared_xacts \
                WHERE database LIKE '${DB}_%' GROUP BY database" 2>/dev/null || true
            sleep 1
        done > "$WORK/prepared-samples.txt" &
        SAMPLER_PID=$!; PIDS+=("$SAMPLER_PID")
        pg_sessions() { psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT sessions FROM pg_stat_database WHERE datname = '$1'"; }
        SESSIONS_BEFORE_F=$(pg_sessions "${DB}_f"); SESSIONS_BEFORE_S=$(pg_sessions "${DB}_s")
    fi
    driver --clients="$CLIENTS" --seconds="$SECONDS_PER_PHASE" --rounds="$ROUNDS" --phases="$PHASES"
    if [[ "$XA" == 1 ]]; then
        kill "$SAMPLER_PID" 2>/dev/null || true
        for side in f s; do
            echo "most prepared transactions seen at once during the run in ${DB}_$side: $(awk -F'|' -v db="${DB}_$side" \
                '$1 == db && $2 > max { max = $2 } END { print max + 0 }' "$WORK/prepared-samples.txt")"
        done
        # Physical connections opened by bank A (PostgreSQL) on each side during the run, over all its transactions.
        echo "PostgreSQL sessions opened during the run: Flotilla $(( $(pg_sessions "${DB}_f") - SESSIONS_BEFORE_F ))," \
            "Seata $(( $(pg_sessions "${DB}_s") - SESSIONS_BEFORE_S ))"
    fi
fi
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S) UTC"
if [[ "$XA" == 1 ]]; then
    # Every XA branch of the run must be finished: none prepared in either side's PostgreSQL database, none in
    # MariaDB (whose XA RECOVER lists the whole server's, so rows are picked by format id: Seata's XA xids use
    # 9752; Flotilla's 0x464C5458, with the bank's recovery tag, its application name, in the branch qualifier).
    for side in f s; do
        echo "prepared transactions left in PostgreSQL ${DB}_$side: $(psql -h 127.0.0.1 -U postgres -d postgres -tAc \
            "SELECT count(*) FROM pg_prepared_xacts WHERE database = '${DB}_$side'")"
    done
    mariadb -h 127.0.0.1 -u root -N -e 'XA RECOVER' > "$WORK/xa-recover.txt"
    echo "prepared XA branches left in MariaDB: Seata $(awk '$1 == 9752' "$WORK/xa-recover.txt" | wc -l)," \
        "Flotilla $(awk '$1 == 1179407448 && $4 ~ /flotilla-bank-b/' "$WORK/xa-recover.txt" | wc -l)" \
        "(other rows on the server: $(awk '$1 != 9752 && !($1 == 1179407448 && $4 ~ /flotilla-bank-b/)' "$WORK/xa-recover.txt" | wc -l))"
fi
if [[ "${JFR:-0}" == 1 ]]; then
    jcmd "$COORD_PID" JFR.dump filename="$WORK/coordinator.jfr" >/dev/null && echo "JFR recording: $WORK/coordinator.jfr"
    jcmd "$FA_PID" JFR.dump filename="$WORK/flotilla-bank-a.jfr" >/dev/null && echo "JFR recording: $WORK/flotilla-bank-a.jfr"
    jcmd "$FB_PID" JFR.dump filename="$WORK/flotilla-bank-b.jfr" >/dev/null && echo "JFR recording: $WORK/flotilla-bank-b.jfr"
    echo "JFR recording: $WORK/driver.jfr"
fi
