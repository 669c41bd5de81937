#!/usr/bin/env bash
# Resident memory of a registry node against an etcd 3.4 member under the same write load (docs/benchmarks.md,
# "Service edge"): a 3-node registry started as ./flotilla up starts a service (java @scripts/jvm.options,
# MALLOC_ARENA_MAX=2, the AOT cache of scripts/aot-cache.sh) and a 3-member etcd (Debian's etcd-server), both on
# loopback with fsync on. Each is loaded in turn by the same wrk driver (2 threads, 64 keep-alive connections,
# 100-byte values over 64 keys): registry PUT /v1/kv/bench/<k> to its leader, etcd POST /v3/kv/put to its
# leader, for [seconds] (default 30); then the RSS of every member of the loaded system (VmRSS, and its anonymous
# and file-backed parts: the AOT cache and etcd's bbolt database are file mappings). Prints the largest node of
# each and their ratio. Runs [rounds] rounds (default 2), registry first then etcd in each.
# Not part of CI. Usage: bench/memory.sh [seconds] [rounds]   (FLOTILLA_BENCH_BUILD=false skips the build;
# FLOTILLA_BENCH_AOT=false starts the registry without its AOT cache)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
rounds=${2:-2}
JAVA_HOME="$(scripts/select-jdk.sh)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MALLOC_ARENA_MAX=2
root=$PWD
module=registry-service

for tool in wrk etcd; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "installing wrk and etcd-server (Debian packages)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk etcd-server >/dev/null
    fi
done
if [[ "${FLOTILLA_BENCH_BUILD:-true}" != false ]]; then
    ./mvnw -B -q -pl "$module" -am package -Dmaven.test.skip=true
fi
cache=()
jar="$root/$module/target/$module-exec.jar"
if [[ "${FLOTILLA_BENCH_AOT:-true}" != false ]]; then
    if [[ ! -s "$module/target/$module.aot" || "$jar" -nt "$module/target/$module.aot" ]]; then
        scripts/aot-cache.sh "$module"
    fi
    cache=(-XX:AOTCache="$root/$module/target/$module.aot")
    jar="$root/$module/target/aot/$module-exec.jar"
fi

work=$(mktemp -d /tmp/flotilla-memory.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

base=$(( 20000 + RANDOM % 10000 ))
etcd_cluster=""
for i in 1 2 3; do etcd_cluster="${etcd_cluster:+$etcd_cluster,}e$i=http://127.0.0.1:$((base + 10 + i))"; done
etcd_pids=()
for i in 1 2 3; do
    etcd --name "e$i" --data-dir "$work/etcd-$i" \
        --listen-client-urls "http://127.0.0.1:$((base + i))" --advertise-client-urls "http://127.0.0.1:$((base + i))" \
        --listen-peer-urls "http://127.0.0.1:$((base + 10 + i))" --initial-advertise-peer-urls "http://127.0.0.1:$((base + 10 + i))" \
        --initial-cluster "$etcd_cluster" --initial-cluster-state new --initial-cluster-token flotilla-memory \
        --logger zap --log-level error >"$work/etcd-$i.log" 2>&1 &
    pids+=($!); etcd_pids+=($!)
done
peers=""
for i in 1 2 3; do peers="${peers:+$peers,}n$i@127.0.0.1:$((base + 30 + i))"; done
registry_pids=()
for i in 1 2 3; do
    java @scripts/jvm.options ${cache[@]+"${cache[@]}"} -jar "$jar" --server.port=$((base + 20 + i)) \
        --flotilla.registry.server.node-id=n$i --flotilla.registry.server.raft-port=$((base + 30 + i)) \
        --flotilla.registry.server.peers="$peers" --flotilla.registry.server.data-dir="$work/registry-n$i" \
        --logging.level.root=WARN >"$work/registry-n$i.log" 2>&1 &
    pids+=($!); registry_pids+=($!)
done

registry_leader=""
for _ in $(seq 1 600); do
    leader=$(curl -fs "http://127.0.0.1:$((base + 21))/v1/cluster" 2>/dev/null | sed -n 's/.*"leaderId":"n\([0-9]\)".*/\1/p' || true)
    if [[ -n "$leader" ]] && curl -fs "http://127.0.0.1:$((base + 20 + leader))/actuator/health/readiness" >/dev/null 2>&1 \
        && curl -fs "http://127.0.0.1:$((base + 1))/health" 2>/dev/null | grep -q true; then
        registry_leader=$leader
        break
    fi
    sleep 0.5
done
[[ -n "$registry_leader" ]] || { echo "the clusters did not become ready" >&2; tail -n 20 "$work"/registry-n1.log >&2; exit 1; }
etcd_leader=1
for i in 1 2 3; do
    # etcd's maintenance status names the leader's member id; the member answering with its own id is it.
    status=$(curl -fs -X POST "http://127.0.0.1:$((base + i))/v3/maintenance/status" -d '{}' 2>/dev/null || true)
    member=$(echo "$status" | sed -n 's/.*"member_id":"\([0-9]*\)".*/\1/p')
    leader_id=$(echo "$status" | sed -n 's/.*"leader":"\([0-9]*\)".*/\1/p')
    [[ -n "$member" && "$member" == "$leader_id" ]] && etcd_leader=$i
done

cat >"$work/registry.lua" <<'LUA'
local value = string.rep("x", 100)
local n = 0
request = function()
    n = n + 1
    return wrk.format("PUT", "/v1/kv/bench/k" .. (n % 64), nil, value)
end
LUA
# etcd's JSON gateway takes base64 keys and values: "bench/k<n>" and 100 x's, encoded here once.
{
    echo 'local keys = {}'
    for k in $(seq 0 63); do echo "keys[$k] = \"$(printf 'bench/k%s' "$k" | base64 -w0)\""; done
    echo "local value = \"$(head -c 100 /dev/zero | tr '\0' 'x' | base64 -w0)\""
    cat <<'LUA'
local n = 0
wrk.headers["Content-Type"] = "application/json"
request = function()
    n = n + 1
    return wrk.format("POST", "/v3/kv/put", nil, '{"key":"' .. keys[n % 64] .. '","value":"' .. value .. '"}')
end
LUA
} >"$work/etcd.lua"

rss() {  # pid -> "total anon file" in MB
    awk '/^VmRSS/ { t = $2 } /^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } END { printf "%.1f %.1f %.1f", t / 1024, a / 1024, f / 1024 }' "/proc/$1/status"
}

# Loads one system and prints its rate and the RSS of each member; the last line is "max <largest RSS>".
load() {  # name url script pids...
    local name=$1 url=$2 script=$3 out max=0 pid r
    shift 3
    out=$(wrk -t2 -c64 -d"${seconds}s" -s "$script" "$url" 2>&1)
    printf '%s: %s writes/s;' "$name" "$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')"
    for pid in "$@"; do
        r=$(rss "$pid")
        printf ' %s MB (anon %s, file %s)' $r
        max=$(echo "$r" | awk -v m="$max" '{ print ($1 > m) ? $1 : m }')
    done
    echo
    echo "max $max"
}

echo "$(date -u '+%F %T') UTC, $(nproc) cores, $(java -version 2>&1 | head -n1), $(etcd --version | head -n1)," \
    "registry leader n$registry_leader, etcd leader e$etcd_leader, AOT cache: ${FLOTILLA_BENCH_AOT:-true}"
for round in $(seq 1 "$rounds"); do
    registry=$(load registry "http://127.0.0.1:$((base + 20 + registry_leader))" "$work/registry.lua" "${registry_pids[@]}")
    echo "round $round $(echo "$registry" | head -n1)   load $(cut -d' ' -f1 /proc/loadavg)"
    etcd=$(load etcd "http://127.0.0.1:$((base + etcd_leader))" "$work/etcd.lua" "${etcd_pids[@]}")
    echo "round $round $(echo "$etcd" | head -n1)   load $(cut -d' ' -f1 /proc/loadavg)"
    r=$(echo "$registry" | sed -n 's/^max //p')
    e=$(echo "$etcd" | sed -n 's/^max //p')
    printf 'round %s: largest registry node %s MB / largest etcd member %s MB = %.2fx\n' "$round" "$r" "$e" \
        "$(echo "$r / $e" | bc -l)"
done
