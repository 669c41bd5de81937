#!/usr/bin/env bash
# Writes through any node (docs/benchmarks.md, "Service edge", issue #15): a 3-node registry and a 3-member etcd 3.4
# on loopback, fsync on, the same wrk driver for both: 2 threads, keep-alive connections, 100-byte values over 64
# keys; registry `PUT /v1/kv/bench/<k>`, etcd `POST /v3/kv/put` on its JSON gateway. Each system's leader, then a
# follower: 20 s of warm-up at each target, then two interleaved rounds. Prints ops/s (p50, p99), the ratios, and
# each member's CPU time per write (utime + stime from /proc/<pid>/stat around each run).
#
# FLOTILLA_BENCH_BASELINE_JAR=<registry-service-exec.jar of another build> starts a second 3-node registry from it and
# measures it in the same rounds (for before/after in one run). FLOTILLA_BENCH_BUILD=false skips the Maven build.
# FLOTILLA_BENCH_REGISTRY_JVM sets the registry JVM options (default -Xmx512m, as bench/registry-bench.sh).
# Installs Debian's etcd-server and wrk when missing. Not part of CI.
# Usage: bench/edge-bench.sh [seconds-per-point] [connections] [warm-up-seconds]   (default 10 64 20)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
connections=${2:-64}
warmup=${3:-20}
jvm_options=${FLOTILLA_BENCH_REGISTRY_JVM:--Xmx512m}
baseline_jar=${FLOTILLA_BENCH_BASELINE_JAR:-}
JAVA_HOME="$(scripts/select-jdk.sh)"
export JAVA_HOME

for tool in etcd:etcd-server wrk:wrk; do
    if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
        echo "installing ${tool#*:} (Debian package)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" >/dev/null
    fi
done
if [[ ${FLOTILLA_BENCH_BUILD:-true} != false ]]; then
    ./mvnw -B -q -pl registry-service -am package -Dmaven.test.skip=true
fi
jar=registry-service/target/registry-service-exec.jar

# Ports from a random base whose 100 ports nobody listens on, so that other jobs on the machine are not disturbed.
for _ in $(seq 1 50); do
    base=$((20000 + (RANDOM % 300) * 100))
    ss -Htan | awk -v lo="$base" '{n = split($4, a, ":"); p = a[n] + 0; if (p >= lo && p < lo + 100) found = 1} END {exit found ? 0 : 1}' || break
done
work=$(mktemp -d /tmp/flotilla-edge-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

declare -A http_port pid_of
cluster=""
for i in 1 2 3; do cluster="${cluster:+$cluster,}e$i=http://127.0.0.1:$((base + 10 + i))"; done
for i in 1 2 3; do
    etcd --name "e$i" --data-dir "$work/etcd-$i" \
        --listen-client-urls "http://127.0.0.1:$((base + i))" --advertise-client-urls "http://127.0.0.1:$((base + i))" \
        --listen-peer-urls "http://127.0.0.1:$((base + 10 + i))" \
        --initial-advertise-peer-urls "http://127.0.0.1:$((base + 10 + i))" \
        --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token flotilla-edge-bench \
        --logger zap --log-level error >"$work/etcd-$i.log" 2>&1 &
    pids+=($!)
    http_port[etcd-e$i]=$((base + i))
    pid_of[etcd-e$i]=$!
done

systems=(registry)
[[ -n $baseline_jar ]] && systems+=(baseline)
start_registry() { # name jar port-offset
    local name=$1 jarfile=$2 offset=$3 peers="" i
    for i in 1 2 3; do peers="${peers:+$peers,}n$i@127.0.0.1:$((base + offset + 10 + i))"; done
    for i in 1 2 3; do
        # shellcheck disable=SC2086
        "$JAVA_HOME/bin/java" $jvm_options -jar "$jarfile" \
            --server.port=$((base + offset + i)) --flotilla.registry.server.node-id=n$i \
            --flotilla.registry.server.raft-port=$((base + offset + 10 + i)) \
            --flotilla.registry.server.peers="$peers" --flotilla.registry.server.data-dir="$work/$name-n$i" \
            --logging.level.root=WARN >"$work/$name-n$i.log" 2>&1 &
        pids+=($!)
        http_port[$name-n$i]=$((base + offset + i))
        pid_of[$name-n$i]=$!
    done
}
start_registry registry "$jar" 20
[[ -n $baseline_jar ]] && start_registry baseline "$baseline_jar" 40

ready() { # system
    local i
    if [[ $1 == etcd ]]; then
        for i in 1 2 3; do curl -fs "http://127.0.0.1:${http_port[etcd-e$i]}/health" | grep -q true || return 1; done
    else
        for i in 1 2 3; do
            curl -fs "http://127.0.0.1:${http_port[$1-n$i]}/actuator/health/readiness" | grep -q UP || return 1
        done
    fi
}
for system in etcd "${systems[@]}"; do
    for _ in $(seq 1 360); do ready "$system" && break; sleep 0.5; done
    if ! ready "$system"; then
        echo "$system did not come up within 3 minutes; logs:" >&2
        tail -n 20 "$work"/*.log >&2
        exit 1
    fi
done

# The member names of a system, leader first.
members() { # system
    local i leader="" others=()
    for i in 1 2 3; do
        if [[ $1 == etcd ]]; then
            local status
            status=$(curl -fs -X POST "http://127.0.0.1:${http_port[etcd-e$i]}/v3/maintenance/status" -d '{}')
            if [[ $(sed -E 's/.*"member_id":"([0-9]+)".*/\1/' <<<"$status") == $(sed -E 's/.*"leader":"([0-9]+)".*/\1/' <<<"$status") ]]; then
                leader=etcd-e$i
            else
                others+=(etcd-e$i)
            fi
        else
            if curl -fs "http://127.0.0.1:${http_port[$1-n$i]}/v1/cluster" | grep -q "\"leaderId\":\"n$i\""; then
                leader=$1-n$i
            else
                others+=("$1-n$i")
            fi
        fi
    done
    echo "$leader ${others[*]}"
}

# wrk scripts: 64 keys, a 100-byte value each (etcd's gateway takes base64 in JSON).
value=$(head -c 100 /dev/zero | tr '\0' 'v')
{
    echo 'wrk.method = "PUT"'
    echo 'wrk.body = "'"$value"'"'
    echo 'wrk.headers["Content-Type"] = "application/octet-stream"'
    echo 'request = function() return wrk.format(nil, "/v1/kv/bench/k" .. math.random(64)) end'
} >"$work/registry.lua"
{
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/json"'
    echo 'bodies = {}'
    for k in $(seq 1 64); do
        echo "bodies[$k] = '{\"key\":\"$(printf 'bench/k%s' "$k" | base64 -w0)\",\"value\":\"$(printf '%s' "$value" | base64 -w0)\"}'"
    done
    echo 'request = function() return wrk.format(nil, "/v3/kv/put", nil, bodies[math.random(64)]) end'
} >"$work/etcd.lua"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Runs wrk against one member; prints "ops/s p50 p99 errors cpu-per-member" and keeps the figures in $last.
run() { # system target-member seconds
    local system=$1 target=$2 secs=$3 lua=registry names before=() after=() out i
    [[ $system == etcd ]] && lua=etcd
    read -r -a names <<<"$(members "$system")"
    for i in "${!names[@]}"; do before[i]=$(cpu_ticks "${pid_of[${names[i]}]}"); done
    out=$(wrk -t2 -c"$connections" -d"${secs}s" --latency -s "$work/$lua.lua" "http://127.0.0.1:${http_port[$target]}" 2>&1)
    for i in "${!names[@]}"; do after[i]=$(cpu_ticks "${pid_of[${names[i]}]}"); done
    local requests ops p50 p99 errors cpu=""
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    ops=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    for i in "${!names[@]}"; do
        local role=follower
        [[ $i == 0 ]] && role=leader
        [[ ${names[i]} == "$target" ]] && role="$role*"
        cpu="$cpu ${names[i]#*-}($role)=$(( (after[i] - before[i]) * 1000000 / ticks / (requests > 0 ? requests : 1) ))us"
    done
    last="$ops"
    printf '%-8s %-9s %7s ops/s  p50 %-8s p99 %-8s errors %-5s cpu/write:%s\n' "$system" "$4" "$ops" "$p50" "$p99" \
        "${errors:-0}" "$cpu"
}

target_of() { # system leader|follower
    local names
    read -r -a names <<<"$(members "$1")"
    if [[ $2 == leader ]]; then echo "${names[0]}"; else echo "${names[1]}"; fi
}

echo "etcd $(etcd --version | head -n1 | awk '{print $3}'), registry $jar${baseline_jar:+, baseline $baseline_jar}," \
    "wrk -t2 -c$connections, ${seconds}s per point after ${warmup}s warm-up per target; $(uptime | sed 's/.*load/load/')"
echo "--- warm-up"
for system in "${systems[@]}" etcd; do
    for path in leader follower; do run "$system" "$(target_of "$system" "$path")" "$warmup" "$path" >/dev/null; done
done
declare -A result
for round in 1 2; do
    echo "--- round $round ($(uptime | sed 's/.*load/load/'))"
    for path in leader follower; do
        for system in "${systems[@]}" etcd; do
            run "$system" "$(target_of "$system" "$path")" "$seconds" "$path"
            result[$system-$path-$round]=$last
        done
    done
done
echo "--- ratios"
for round in 1 2; do
    line="round $round:"
    for system in "${systems[@]}" etcd; do
        line="$line $system follower/leader $(awk -v f="${result[$system-follower-$round]}" -v l="${result[$system-leader-$round]}" 'BEGIN {printf "%.2f", f / l}')"
    done
    for system in "${systems[@]}"; do
        for path in leader follower; do
            line="$line, $system/etcd $path $(awk -v r="${result[$system-$path-$round]}" -v e="${result[etcd-$path-$round]}" 'BEGIN {printf "%.2f", r / e}')"
        done
    done
    echo "$line"
done
echo "--- resident memory after the load (MB)"
for name in "${!pid_of[@]}"; do
    echo "$name $(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/${pid_of[$name]}/status")"
done | sort
echo "done at $(date -u +%H:%M:%S) UTC; $(uptime | sed 's/.*load/load/')"
