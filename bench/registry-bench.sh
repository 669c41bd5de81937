#!/usr/bin/env bash
# The registry's benchmark (docs/benchmarks.md, "Registry"): a 3-node registry and a 3-member etcd 3.4 on
# loopback, fsync on, driven by RegistryBenchmark: KV puts/s vs etcd (same closed-loop driver), registrations/s,
# heartbeat capacity (leader CPU), death-to-disappearance time. Installs Debian's etcd-server when missing.
# Not part of CI. Usage: bench/registry-bench.sh [seconds-per-point] [heartbeat-instances]  (default 10, 1000,5000,10000)
# Environment (all optional):
#   PORT_OFFSET=N         added to every port (two benchmarks on one machine)
#   KV_ROUNDS=N BENCH_JARS="before.jar after.jar"   only KV puts (etcd, then the registry's RegistryClient), N rounds,
#                         each round running each benchmark jar in turn against the same clusters (A, B, A, B)
#   CLIENT_JAVA_OPTS, REGISTRY_JAVA_OPTS   extra JVM options of the benchmark and of the registry nodes (e.g. JFR)
#   REGISTRY_JAR          the registry's exec jar (default: the one built here)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
instances=${2:-1000,5000,10000}
JAVA_HOME="$(scripts/select-jdk.sh)"
export JAVA_HOME

if ! command -v etcd >/dev/null 2>&1; then
    echo "installing etcd-server (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi

off=${PORT_OFFSET:-0}
registry_jar=${REGISTRY_JAR:-registry-service/target/registry-service-exec.jar}
if [[ -z ${BENCH_JARS:-} || -z ${REGISTRY_JAR:-} ]]; then
    ./mvnw -B -q -pl registry-service,bench -am package -Dmaven.test.skip=true
fi

work=$(mktemp -d /tmp/flotilla-registry-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

ecp=$((23790 + off)) epp=$((23800 + off))
cluster="e1=http://127.0.0.1:$((epp + 1)),e2=http://127.0.0.1:$((epp + 2)),e3=http://127.0.0.1:$((epp + 3))"
for i in 1 2 3; do
    etcd --name "e$i" --data-dir "$work/etcd-$i" \
        --listen-client-urls "http://127.0.0.1:$((ecp + i))" --advertise-client-urls "http://127.0.0.1:$((ecp + i))" \
        --listen-peer-urls "http://127.0.0.1:$((epp + i))" --initial-advertise-peer-urls "http://127.0.0.1:$((epp + i))" \
        --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token flotilla-bench \
        --logger zap --log-level error >"$work/etcd-$i.log" 2>&1 &
    pids+=($!)
done

rhp=$((18500 + off)) rrp=$((19500 + off))
peers="n1@127.0.0.1:$((rrp + 1)),n2@127.0.0.1:$((rrp + 2)),n3@127.0.0.1:$((rrp + 3))"
registry_pids=""
for i in 1 2 3; do
    # The JVM options and malloc arenas of ./flotilla up and the Docker image (scripts/jvm.options).
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=2 "$JAVA_HOME/bin/java" @scripts/jvm.options ${REGISTRY_JAVA_OPTS:-} -jar "$registry_jar" \
        --server.port=$((rhp + i)) --flotilla.registry.server.node-id=n$i --flotilla.registry.server.raft-port=$((rrp + i)) \
        --flotilla.registry.server.peers="$peers" --flotilla.registry.server.data-dir="$work/registry-n$i" \
        --logging.level.root=WARN >"$work/registry-n$i.log" 2>&1 &
    pids+=($!)
    registry_pids="${registry_pids:+$registry_pids,}n$i:$!"
done

endpoints="http://127.0.0.1:$((ecp + 1)),http://127.0.0.1:$((ecp + 2)),http://127.0.0.1:$((ecp + 3))"
nodes="http://127.0.0.1:$((rhp + 1)),http://127.0.0.1:$((rhp + 2)),http://127.0.0.1:$((rhp + 3))"
ready=false
for _ in $(seq 1 360); do
    if curl -fs "http://127.0.0.1:$((ecp + 1))/health" | grep -q true \
        && curl -fs "http://127.0.0.1:$((rhp + 1))/v1/cluster" | grep -q '"leaderId":"n' \
        && curl -fs "http://127.0.0.1:$((rhp + 2))/actuator/health" >/dev/null \
        && curl -fs "http://127.0.0.1:$((rhp + 3))/actuator/health" >/dev/null; then
        ready=true
        break
    fi
    sleep 0.5
done
if [[ $ready != true ]]; then
    echo "etcd or the registry did not come up within 3 minutes; logs:" >&2
    tail -n 20 "$work"/*.log >&2
    exit 1
fi
echo "etcd $(etcd --version | head -n1 | awk '{print $3}'), registry $(curl -fs "http://127.0.0.1:$((rhp + 1))/v1/cluster")"

if [[ -n ${KV_ROUNDS:-} ]]; then
    for round in $(seq 1 "$KV_ROUNDS"); do
        for jar in ${BENCH_JARS:-bench/target/flotilla-bench.jar}; do
            echo "round $round, $jar"
            # shellcheck disable=SC2086
            "$JAVA_HOME/bin/java" ${CLIENT_JAVA_OPTS:-} -cp "$jar" io.flotilla.bench.registry.RegistryBenchmark \
                --nodes="$nodes" --pids="$registry_pids" --etcd="$endpoints" --clients=64 --seconds="$seconds" \
                --kv-only | grep -E '^(etcd|registry-kv) |^KV puts|^leader'
        done
    done
    exit 0
fi

# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${CLIENT_JAVA_OPTS:-} -cp bench/target/flotilla-bench.jar io.flotilla.bench.registry.RegistryBenchmark \
    --nodes="$nodes" --pids="$registry_pids" \
    --etcd="$endpoints" --clients=64 --seconds="$seconds" --heartbeat-instances="$instances"
