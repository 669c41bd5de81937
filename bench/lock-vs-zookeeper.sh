#!/usr/bin/env bash
# The registry lock backend against Curator's InterProcessMutex on a real ZooKeeper (docs/benchmarks.md, "Locks"):
# a 3-node registry (registry-service exec jar, Raft log with fsync) and a 3-server ZooKeeper ensemble (Debian's
# zookeeper package, 3.8; forceSync on, its default) on free loopback ports, each with its own data directories,
# then RegistryLockVsCuratorBenchmark in one JVM with the rounds interleaved. Both clients talk to their cluster's
# leader (the registry's is listed first; Curator gets only the ZooKeeper leader's address), so neither pays a
# forwarding hop. Everything started here is stopped on exit. Not part of CI.
#
# Usage: bench/lock-vs-zookeeper.sh [seconds-per-round=5] [rounds=3] [threads=16] [warm-up-seconds=60]
#   NODES=1             one registry node and a standalone ZooKeeper instead of three each
#   PROFILE=<dir>       JFR recordings of the benchmark JVM and of every registry node into <dir>
#   SKIP_BUILD=1        use the jars already in registry-service/target and bench/target
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-5}
rounds=${2:-3}
threads=${3:-16}
warmup=${4:-60}
nodes=${NODES:-3}
JAVA_HOME="$(scripts/select-jdk.sh)"
export JAVA_HOME

if [[ ! -f /usr/share/java/zookeeper.jar ]]; then
    echo "installing zookeeper (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zookeeper >/dev/null
fi
zk_version=$(dpkg-query -W -f='${Version}' zookeeper 2>/dev/null || echo unknown)

if [[ -z ${SKIP_BUILD:-} ]]; then
    ./mvnw -B -q -pl registry-service,bench -am package -Dmaven.test.skip=true
fi

work=$(mktemp -d /tmp/flotilla-lock-zk.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Free ports picked at random: other jobs on this machine run servers too.
taken=" "
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        if [[ $taken != *" $port "* ]] && ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
            taken="$taken$port "
            echo "$port"
            return
        fi
    done
}

# ---- ZooKeeper: QuorumPeerMain straight from Debian's jar (its manifest lists the other jars), Debian's java.
zk_java=/usr/bin/java
zk_connect=()
zk_client_ports=()
zk_servers=""
for i in $(seq 1 "$nodes"); do
    client=$(free_port); quorum=$(free_port); election=$(free_port)
    zk_client_ports+=("$client")
    zk_connect+=("127.0.0.1:$client")
    zk_servers+="server.$i=127.0.0.1:$quorum:$election"$'\n'
done
for i in $(seq 1 "$nodes"); do
    dir="$work/zk-$i"
    mkdir -p "$dir/data" "$dir/conf"
    echo "$i" >"$dir/data/myid"
    {
        echo "tickTime=2000"
        echo "initLimit=10"
        echo "syncLimit=5"
        echo "dataDir=$dir/data"
        echo "clientPort=${zk_client_ports[$((i - 1))]}"
        echo "clientPortAddress=127.0.0.1"
        echo "maxClientCnxns=0"
        echo "admin.enableServer=false"
        echo "4lw.commands.whitelist=srvr,ruok,mntr"
        if [[ $nodes -gt 1 ]]; then printf '%s' "$zk_servers"; fi
    } >"$dir/conf/zoo.cfg"
    echo "log4j.rootLogger=WARN, CONSOLE" >"$dir/conf/log4j.properties"
    "$zk_java" -Xmx512m -cp "$dir/conf:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar" \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dzookeeper.jmx.log4j.disable=true \
        org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/conf/zoo.cfg" >"$work/zk-$i.log" 2>&1 &
    pids+=($!)
done

# ---- the registry: registry-service's exec jar, same heap as ZooKeeper.
peers=""
http_ports=()
raft_ports=()
for i in $(seq 1 "$nodes"); do
    http_ports+=("$(free_port)")
    raft_ports+=("$(free_port)")
    peers="${peers:+$peers,}n$i@127.0.0.1:${raft_ports[$((i - 1))]}"
done
for i in $(seq 1 "$nodes"); do
    jfr=()
    if [[ -n ${PROFILE:-} ]]; then
        mkdir -p "$PROFILE"
        jfr=("-XX:StartFlightRecording=filename=$PROFILE/registry-n$i.jfr,settings=profile,dumponexit=true")
    fi
    "$JAVA_HOME/bin/java" -Xmx512m "${jfr[@]}" -jar registry-service/target/registry-service-exec.jar \
        --server.port="${http_ports[$((i - 1))]}" --flotilla.registry.server.node-id="n$i" \
        --flotilla.registry.server.raft-host=127.0.0.1 --flotilla.registry.server.raft-port="${raft_ports[$((i - 1))]}" \
        --flotilla.registry.server.peers="$peers" --flotilla.registry.server.data-dir="$work/registry-n$i" \
        --flotilla.registry.enabled=false --logging.level.root=WARN >"$work/registry-n$i.log" 2>&1 &
    pids+=($!)
done

zk_mode() {
    { exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'srvr' >&3 && cat <&3; } 2>/dev/null | sed -n 's/^Mode: //p'
}
zk_leader=""
registry_leader=""
for _ in $(seq 1 360); do
    zk_leader=""
    for i in $(seq 1 "$nodes"); do
        mode=$(zk_mode "${zk_client_ports[$((i - 1))]}" || true)
        if [[ $mode == leader || $mode == standalone ]]; then zk_leader="127.0.0.1:${zk_client_ports[$((i - 1))]}"; fi
    done
    leader_id=$(curl -fs "http://127.0.0.1:${http_ports[0]}/v1/cluster" 2>/dev/null \
        | sed -n 's/.*"leaderId":"n\([0-9]*\)".*/\1/p' || true)
    all_up=true
    for port in "${http_ports[@]}"; do
        curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 || all_up=false
    done
    if [[ -n $zk_leader && -n $leader_id && $all_up == true ]]; then
        registry_leader="http://127.0.0.1:${http_ports[$((leader_id - 1))]}"
        break
    fi
    sleep 0.5
done
if [[ -z $zk_leader || -z $registry_leader ]]; then
    echo "ZooKeeper or the registry did not come up within 3 minutes; logs:" >&2
    tail -n 20 "$work"/*.log >&2
    exit 1
fi
registry_nodes="$registry_leader"
for port in "${http_ports[@]}"; do
    [[ "http://127.0.0.1:$port" == "$registry_leader" ]] || registry_nodes+=",http://127.0.0.1:$port"
done
echo "ZooKeeper $zk_version ($nodes server(s), leader $zk_leader, $("$zk_java" -version 2>&1 | head -n1)),"
echo "registry $nodes node(s), leader $registry_leader; $(uptime)"
# Raft entries per lock+unlock: the leader's log index before and after, against the pairs the benchmark counts.
echo "registry leader before: $(curl -fs "$registry_leader/v1/cluster")"

bench_jfr=()
if [[ -n ${PROFILE:-} ]]; then
    bench_jfr=("-XX:StartFlightRecording=filename=$PROFILE/bench.jfr,settings=profile,dumponexit=true")
fi
"$JAVA_HOME/bin/java" "${bench_jfr[@]}" -cp bench/target/flotilla-bench.jar \
    io.flotilla.bench.lock.RegistryLockVsCuratorBenchmark "$registry_nodes" "$zk_leader" "$seconds" "$rounds" "$threads" "$warmup"
echo "registry leader after: $(curl -fs "$registry_leader/v1/cluster")"
# Where a registry write's time goes: server-side time of the lock's requests (Spring's http.server.requests, from
# the request's arrival to its answer) and the Raft log's syncs, per node.
for port in "${http_ports[@]}"; do
    echo "node 127.0.0.1:$port:"
    curl -fs "http://127.0.0.1:$port/actuator/prometheus" | grep -E '^raft_log_fsync_seconds_(count|sum)|^http_server_requests_seconds_(count|sum)\{.*method="(POST|DELETE|PUT)".*uri="/v1/kv' | sed 's/^/    /' || true
done
# ZooKeeper's own view: request latency and its log's fsyncs, per server.
for port in "${zk_client_ports[@]}"; do
    echo "zookeeper 127.0.0.1:$port:"
    { exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'mntr' >&3 && cat <&3; } 2>/dev/null \
        | grep -E '^zk_(server_state|avg_latency|packets_received|fsynctime_(sum|count)|local_write_committed_time_ms_(sum|count)|proposal_latency_(sum|count))' \
        | sed 's/^/    /' || true
done
echo "done; $(uptime)"
