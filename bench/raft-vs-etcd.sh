#!/usr/bin/env bash
# Flotilla's Raft library against etcd 3.4 on this machine, same load driver, same run:
# 3 members each on loopback, fsync on, closed-loop puts from 1, 16 and 256 clients.
# Installs Debian's etcd-server when it is missing. Not part of CI. Results: docs/benchmarks.md ("Raft").
# Usage: bench/raft-vs-etcd.sh [seconds-per-point]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
JAVA_HOME="$(scripts/select-jdk.sh)"
export JAVA_HOME

if ! command -v etcd >/dev/null 2>&1; then
    echo "installing etcd-server (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi

./mvnw -B -q -pl bench -am package -DskipTests

# Both systems keep their data under this one directory, so both fsync to the same device.
work=$(mktemp -d /tmp/flotilla-raft-bench.XXXXXX)
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
endpoints="http://127.0.0.1:23791,http://127.0.0.1:23792,http://127.0.0.1:23793"
healthy=false
for _ in $(seq 1 60); do
    if ETCDCTL_API=3 etcdctl --endpoints="$endpoints" endpoint health >/dev/null 2>&1; then
        healthy=true
        break
    fi
    sleep 0.5
done
if [[ $healthy != true ]]; then
    echo "etcd did not become healthy within 30 s; its logs:" >&2
    tail -n 20 "$work"/etcd-*.log >&2
    exit 1
fi
echo "etcd $(etcd --version | head -n1 | awk '{print $3}') healthy at $endpoints"

"$JAVA_HOME/bin/java" -cp bench/target/flotilla-bench.jar io.flotilla.bench.raft.RaftVsEtcdBenchmark \
    --etcd="$endpoints" --data-dir="$work/flotilla" --clients=1,16,256 --seconds="$seconds"
