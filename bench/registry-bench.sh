#!/usr/bin/env bash
# The registry's benchmark (docs/benchmarks.md, "Registry"): a 3-node registry and a 3-member etcd 3.4 on
# loopback, fsync on, driven by RegistryBenchmark: KV puts/s vs etcd (same closed-loop driver), registrations/s,
# heartbeat capacity (leader CPU), death-to-disappearance time. Installs Debian's etcd-server when missing.
# Not part of CI. Usage: bench/registry-bench.sh [seconds-per-point] [heartbeat-instances]  (default 10, 1000,5000,10000)
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

./mvnw -B -q -pl registry-service,bench -am package -Dmaven.test.skip=true

work=$(mktemp -d /tmp/flotilla-registry-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

cluster="e1=http://127.0.0.1:23801,e2=http://127.0.0.1:23802,e3=http://127.0.0.1:23803"
for i in 1 2 3; do
    etcd --name "e$i" --data-dir "$work/etcd-$i" \
        --listen-client-urls "http://127.0.0.1:2379$i" --advertise-client-urls "http://127.0.0.1:2379$i" \
        --listen-peer-urls "http://127.0.0.1:2380$i" --initial-advertise-peer-urls "http://127.0.0.1:2380$i" \
        --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token flotilla-bench \
        --logger zap --log-level error >"$work/etcd-$i.log" 2>&1 &
    pids+=($!)
done

peers="n1@127.0.0.1:19501,n2@127.0.0.1:19502,n3@127.0.0.1:19503"
registry_pids=""
for i in 1 2 3; do
    # The JVM options and malloc arenas of ./flotilla up and the Docker image (scripts/jvm.options).
    MALLOC_ARENA_MAX=2 "$JAVA_HOME/bin/java" @scripts/jvm.options -jar registry-service/target/registry-service-exec.jar \
        --server.port=1850$i --flotilla.registry.server.node-id=n$i --flotilla.registry.server.raft-port=1950$i \
        --flotilla.registry.server.peers="$peers" --flotilla.registry.server.data-dir="$work/registry-n$i" \
        --logging.level.root=WARN >"$work/registry-n$i.log" 2>&1 &
    pids+=($!)
    registry_pids="${registry_pids:+$registry_pids,}n$i:$!"
done

endpoints="http://127.0.0.1:23791,http://127.0.0.1:23792,http://127.0.0.1:23793"
ready=false
for _ in $(seq 1 360); do
    if curl -fs http://127.0.0.1:23791/health | grep -q true \
        && curl -fs http://127.0.0.1:18501/v1/cluster | grep -q '"leaderId":"n' \
        && curl -fs http://127.0.0.1:18502/actuator/health >/dev/null && curl -fs http://127.0.0.1:18503/actuator/health >/dev/null; then
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
echo "etcd $(etcd --version | head -n1 | awk '{print $3}'), registry $(curl -fs http://127.0.0.1:18501/v1/cluster)"

"$JAVA_HOME/bin/java" -cp bench/target/flotilla-bench.jar io.flotilla.bench.registry.RegistryBenchmark \
    --nodes=http://127.0.0.1:18501,http://127.0.0.1:18502,http://127.0.0.1:18503 --pids="$registry_pids" \
    --etcd="$endpoints" --clients=64 --seconds="$seconds" --heartbeat-instances="$instances"
