#!/usr/bin/env bash
# Start-up, warm-up and memory of the Raft services (docs/benchmarks.md, "Service edge"), one node alone, started
# as ./flotilla up starts it (java @scripts/jvm.options, MALLOC_ARENA_MAX=2, the extracted jar), in three modes
# taken in turn within each round so that all see the same load:
#   none     no AOT cache
#   refresh  a cache from Spring Boot's documented training run (-Dspring.context.exit=onRefresh)
#   writes   the cache scripts/aot-cache.sh makes: a training run that serves writes (the default)
# and, as the baseline, one etcd 3.4 member alone (Debian's etcd-server) under the same load.
# Per run, once the machine is idle again (settle): launch to the first 200 of /actuator/health/readiness (etcd:
# /health), polled every 20 ms; writes/s with wrk (2 threads, 64 connections) in the 10 s right after readiness;
# writes/s in 10 s after 20 s more of the same load (steady); the resident memory (VmRSS) of the server at the
# end, under load. Beside each wall-clock figure, the server's own CPU time (from /proc/<pid>/stat), which other
# jobs on a shared machine disturb less: CPU time to readiness, and CPU time per write in each window (their
# ratio, steady / first, is the first 10 s' throughput relative to steady state had the server had the cores to
# itself), and the writes per CPU-second over the first FLOTILLA_BENCH_FIRST_CPU_MS of the server's CPU time
# after readiness (default 15,000; see top_up_to_cpu_budget) set against steady state's.
#   registry-service: PUT /v1/kv/bench/<k>, 100-byte values over 64 keys (etcd: POST /v3/kv/put, the same)
#   tx-coordinator: begin (POST /v1/transactions) + commit (POST /v1/transactions/<xid>/commit) of an empty
#                   global transaction; counted in transactions/s (etcd is not comparable: registry rows only)
# Not part of CI. Usage: bench/startup.sh [runs] [modules] [modes]
#   (defaults: 2, registry-service,tx-coordinator, none,refresh,writes; FLOTILLA_BENCH_BUILD=false skips the build)
#   PORTS=<lo>-<hi> pick the free ports (the servers' and the caches' training runs') in that range (default
#   20000-31999, below Linux's ephemeral ports), so that runs beside each other never meet
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-2}
modules=${2:-registry-service,tx-coordinator}
modes=${3:-none,refresh,writes}
JAVA_HOME="$(scripts/select-jdk.sh)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MALLOC_ARENA_MAX=2
export PORTS=${PORTS:-20000-31999}
port_lo=${PORTS%-*}
port_hi=${PORTS#*-}
root=$PWD

for tool in wrk etcd; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "installing wrk and etcd-server (Debian packages)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk etcd-server >/dev/null
    fi
done

if [[ "${FLOTILLA_BENCH_BUILD:-true}" != false ]]; then
    ./mvnw -B -q -pl "$modules" -am package -Dmaven.test.skip=true
fi

work=$(mktemp -d /tmp/flotilla-startup.XXXXXX)
pid=""
cleanup() {
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The caches, made before any run (both from the same extracted jar), or kept from an earlier run of this
# script when they are newer than the jar.
for module in ${modules//,/ }; do
    for mode in ${modes//,/ }; do
        [[ "$mode" == none ]] && continue
        cache="$root/$module/target/$module-$mode.aot"
        [[ -s "$cache" && "$cache" -nt "$root/$module/target/$module-exec.jar" && "$cache" -nt scripts/jvm.options ]] \
            && continue
        echo "making the $mode cache of $module"
        FLOTILLA_AOT_TRAINING=$mode FLOTILLA_AOT_CACHE_FILE="$root/$module/target/$module-$mode.aot" \
            scripts/aot-cache.sh "$module" >"$work/aot-$module-$mode.log" 2>&1 \
            || { cat "$work/aot-$module-$mode.log" >&2; exit 1; }
    done
done

cat >"$work/registry.lua" <<'LUA'
local value = string.rep("x", 100)
local n = 0
request = function()
    n = n + 1
    return wrk.format("PUT", "/v1/kv/bench/k" .. (n % 64), nil, value)
end
LUA
cat >"$work/etcd.lua" <<'LUA'
-- base64 of "bench/k<n>" is precomputed for the 64 keys; the value is 100 bytes of x (base64: 136 chars)
local keys = {}
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function enc(data)
    return ((data:gsub('.', function(x)
        local r, b = '', x:byte()
        for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
        return r
    end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
        if #x < 6 then return '' end
        local c = 0
        for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
        return b64:sub(c + 1, c + 1)
    end) .. ({ '', '==', '=' })[#data % 3 + 1])
end
local value = enc(string.rep("x", 100))
for i = 0, 63 do keys[i] = enc("bench/k" .. i) end
local n = 0
wrk.headers["Content-Type"] = "application/json"
request = function()
    n = n + 1
    return wrk.format("POST", "/v3/kv/put", nil, '{"key":"' .. keys[n % 64] .. '","value":"' .. value .. '"}')
end
LUA
# A begin, then the commit of the xid it answered: one transaction is two requests on one connection's thread.
cat >"$work/coordinator.lua" <<'LUA'
local xids = {}
local committed = 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
request = function()
    local xid = table.remove(xids)
    if xid then
        return wrk.format("POST", "/v1/transactions/" .. xid .. "/commit", nil, nil)
    end
    return wrk.format("POST", "/v1/transactions", { ["Content-Type"] = "application/json" }, '{"mode":"TCC"}')
end
response = function(status, headers, body)
    if status == 201 then
        local xid = body:match('"xid":"([^"]+)"')
        if xid then table.insert(xids, xid) end
    elseif status == 200 then
        committed = committed + 1
        committed_total = committed
    end
end
done = function(summary, latency, requests)
    local total = 0
    for _, t in ipairs(threads) do total = total + (t:get("committed_total") or 0) end
    io.write(string.format("transactions/s %.1f\n", total / (summary.duration / 1e6)))
end
LUA

# Prints the rate of one wrk run: KV writes/s, or committed transactions/s for the coordinator.
load() {  # url script seconds
    local out
    out=$(wrk -t2 -c64 -d"$3s" -s "$2" "$1" 2>&1)
    if [[ "$2" == *coordinator.lua ]]; then
        echo "$out" | sed -n 's/^transactions\/s \([0-9.]*\).*/\1/p'
    else
        echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'
    fi
    echo "$out" | grep -E 'Non-2xx|Socket errors' >&2 || true
}

# On a shared machine the first 10 s of wall time may give the server only a few CPU-seconds, most of them the
# JIT's: the same compile work then looks like a worse start the more loaded the machine is. So the load goes
# on, in 1 s runs, until the server has used FLOTILLA_BENCH_FIRST_CPU_MS of CPU time since readiness (default
# 15,000: what a registry node uses in 10 s on the two cores of a quiet machine, 16,600 writes/s at about 100 µs
# each) and prints the writes it served in that CPU budget: writes per CPU-second from readiness, the figure a
# quiet machine would turn into the first 10 s' throughput.
top_up_to_cpu_budget() {  # pid url script writes-so-far cpu-at-ready
    local pid=$1 url=$2 script=$3 writes=$4 cpu_ready=$5 budget=${FLOTILLA_BENCH_FIRST_CPU_MS:-15000} rate runs=0
    while (( $(cpu_ms "$pid") - cpu_ready < budget && runs < 120 )); do
        rate=$(load "$url" "$script" 1 2>/dev/null)
        writes=$(echo "$writes + ${rate:-0}" | bc -l)
        runs=$(( runs + 1 ))
    done
    echo "$writes"
}

now_ms() { date +%s%3N; }
# Waits (at most 15 s) until the machine is idle: under 10 % of all cores busy over one second, from /proc/stat.
# Each launch follows the previous server's saturating load and kill; a start measured while the kernel still
# writes back its log and the load generator's and the killed JVM's work drains says more about them than about
# the start (etcd's starts wait the same way).
settle() {
    local deadline=$(( $(now_ms) + 15000 )) before
    while (( $(now_ms) < deadline )); do
        before=$(busy_and_all_ticks)
        sleep 1
        # shellcheck disable=SC2086
        set -- $before $(busy_and_all_ticks)
        (( ($3 - $1) * 10 < ($4 - $2) )) && return
    done
}
# The machine's busy and total CPU ticks so far: user, nice, system, irq, softirq; and those with idle and iowait.
busy_and_all_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
# CPU time (user + system) a process has used, in ms: a figure a loaded machine disturbs less than wall time.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
free_port() {
    local port
    while true; do
        port=$(( port_lo + RANDOM % (port_hi - port_lo + 1) ))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

measure() {  # module mode run
    local module=$1 mode=$2 run=$3 port raft_port data start ready first steady rss url script health
    port=$(free_port)
    raft_port=$(free_port)
    data="$work/data-$module-$mode-$run"
    settle
    start=$(now_ms)
    case "$module" in
        etcd)
            etcd --name e1 --data-dir "$data" --listen-client-urls "http://127.0.0.1:$port" \
                --advertise-client-urls "http://127.0.0.1:$port" --listen-peer-urls "http://127.0.0.1:$raft_port" \
                --initial-advertise-peer-urls "http://127.0.0.1:$raft_port" --initial-cluster "e1=http://127.0.0.1:$raft_port" \
                --logger zap --log-level error >"$work/etcd.log" 2>&1 &
            health=/health; url="http://127.0.0.1:$port"; script="$work/etcd.lua" ;;
        *)
            local cache_option=() args
            [[ "$mode" != none ]] && cache_option=(-XX:AOTCache="$root/$module/target/$module-$mode.aot")
            if [[ "$module" == registry-service ]]; then
                args="--flotilla.registry.server.raft-port=$raft_port --flotilla.registry.server.data-dir=$data"
                script="$work/registry.lua"
            else
                args="--flotilla.coordinator.raft-port=$raft_port --flotilla.coordinator.data-dir=$data"
                script="$work/coordinator.lua"
            fi
            # shellcheck disable=SC2086
            java @scripts/jvm.options "${cache_option[@]}" -jar "$root/$module/target/aot/$module-exec.jar" \
                --server.port="$port" $args --logging.level.root=WARN >"$work/$module.log" 2>&1 &
            health=/actuator/health/readiness; url="http://127.0.0.1:$port" ;;
    esac
    pid=$!
    while ! curl -sf -o /dev/null "$url$health" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "$module exited during start-up" >&2; tail -n 30 "$work/$module.log" >&2; exit 1; }
        sleep 0.02
    done
    ready=$(( $(now_ms) - start ))
    local cpu_ready cpu_first cpu_steady c0
    cpu_ready=$(cpu_ms "$pid")
    first=$(load "$url" "$script" 10)
    cpu_first=$(( $(cpu_ms "$pid") - cpu_ready ))
    local budget_writes cpu_budget
    # etcd compiles nothing at start: its first 10 s are its budget.
    budget_writes=$(FLOTILLA_BENCH_FIRST_CPU_MS=$([[ $module == etcd ]] && echo 0 || echo "${FLOTILLA_BENCH_FIRST_CPU_MS:-15000}") \
        top_up_to_cpu_budget "$pid" "$url" "$script" "$(echo "$first * 10" | bc -l)" "$cpu_ready")
    cpu_budget=$(( $(cpu_ms "$pid") - cpu_ready ))
    load "$url" "$script" 20 >/dev/null
    c0=$(cpu_ms "$pid")
    steady=$(load "$url" "$script" 10)
    cpu_steady=$(( $(cpu_ms "$pid") - c0 ))
    rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    kill -TERM "$pid"
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
    # CPU per write: the server's CPU time in the window over the writes it served (10 s at the rate wrk saw).
    local per_first per_steady
    per_first=$(echo "$cpu_first * 1000 / ($first * 10)" | bc -l)
    per_steady=$(echo "$cpu_steady * 1000 / ($steady * 10)" | bc -l)
    # The CPU budget's writes per CPU-second against steady state's (1 / CPU per write).
    local budget_ratio
    budget_ratio=$(echo "($budget_writes * 1000 / $cpu_budget) / (1000000 / $per_steady)" | bc -l)
    printf '| %s | %s | %s | %s ms | %s ms | %.0f | %.0f | %.2f | %.0f / %.0f µs | %.2f | %.2f (%.1f s) | %s MB | %s |\n' \
        "$module" "$mode" "$run" "$ready" "$cpu_ready" "$first" "$steady" "$(echo "$first / $steady" | bc -l)" \
        "$per_first" "$per_steady" "$(echo "$per_steady / $per_first" | bc -l)" "$budget_ratio" \
        "$(echo "$cpu_budget / 1000" | bc -l)" "$rss" "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "$(date -u '+%F %T') UTC, $(nproc) cores, $(java -version 2>&1 | head -n1), $(etcd --version | head -n1)"
echo "| server | AOT cache | run | launch to ready | its CPU to ready | writes/s, first 10 s | writes/s, steady | first / steady | CPU per write, first / steady | steady / first CPU per write | first CPU budget: writes per CPU-s / steady's (CPU used) | RSS | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for run in $(seq 1 "$runs"); do
    for module in ${modules//,/ }; do
        for mode in ${modes//,/ }; do
            measure "$module" "$mode" "$run"
        done
        if [[ "$module" == registry-service ]]; then measure etcd - "$run"; fi
    done
done
