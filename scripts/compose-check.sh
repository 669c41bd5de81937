#!/usr/bin/env bash
# Runs the unchanged docker-compose.yml on a real Docker engine and checks the shop it starts. Called by
# `./flotilla compose-check` (which has put a JDK 21+ in JAVA_HOME); CI runs it too.
#   1. Docker: uses the engine that answers (DOCKER_HOST or the default socket). When none does, it installs
#      Debian's docker.io and docker-compose if they are missing (root, apt-get) and starts a private engine on
#      its own socket and data root (/var/lib/flotilla-compose-check: images and build cache survive for the
#      next run), which it stops at the end.
#   2. Base images: each image the Dockerfile and the compose file name is used if present, else pulled; where
#      nothing can be pulled, a local stand-in is built under the same name (scripts/compose/stand-ins: the
#      machine's own JDK, Debian's redis-server and PostgreSQL on a debootstrapped Debian).
#   3. Builds the images and starts the stack (`up --build -d` in two timed steps), waits until every service
#      is healthy and prints how long each step took.
#   4. Through the gateway on 8080: scripts/smoke.sh (TCC and XA orders, stock, idempotency, a cart in a session
#      kept in Redis); then kills the registry leader's container and one inventory container, places 20
#      orders, restarts both, and checks that every order ended CONFIRMED or CANCELLED and that the stock
#      balances.
#   5. `down -v` at the end, also on failure or Ctrl-C. Exits 0 when every check held, 1 otherwise.
# With --prepare it does steps 1 and 2 (packages, engine, base images) and, when it started its own engine, the image
# build of step 3, then stops the engine again, all of it at the lowest CPU and I/O priority (nice 19, idle I/O
# class; the engine and its build steps inherit it). CI runs that beside the test suite: it takes only what the
# tests leave idle (on a new machine the stand-ins' debootstrap and builds are minutes of unpacking and compiling),
# and the check proper finds the images built (BuildKit's cache: the same sources give the same images at once).
# Every wait is bounded. Containers talk only on the compose project's own network; this script addresses only
# 127.0.0.1 (the published ports) and, to install packages or build stand-ins, Debian's mirror.
set -euo pipefail
cd "$(dirname "$0")/.."

prepare_only=false
case "${1:-}" in
    --prepare) prepare_only=true ;;
    "") ;;
    *) echo "usage: $0 [--prepare]" >&2; exit 2 ;;
esac

project=flotilla-check
gateway=http://127.0.0.1:8080
registry=http://127.0.0.1:8500
state_dir=/var/lib/flotilla-compose-check
run_dir=/run/flotilla-compose-check
base_image=flotilla/debian:bookworm-minbase
healthy_timeout=900
sku=FLT-TEE

started=$(date +%s)
timings=()
compose=()
engine_pid=""
stack_up=false

log() { echo "compose-check: $*"; }
fail() { echo "compose-check: FAILED: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
since() { echo $(( $(date +%s) - $1 )); }
timing() { timings+=("$(printf '%-34s %5d s' "$1" "$2")"); log "$1: $2 s"; }

if $prepare_only; then
    # Everything it starts inherits this: package installs, debootstrap, the engine and its builds.
    renice -n 19 -p $$ >/dev/null
    if have ionice; then ionice -c 3 -p $$; fi
fi

print_timings() {
    echo "compose-check: timings"
    for line in "${timings[@]}"; do echo "  $line"; done
    printf '  %-34s %5d s\n' "total" "$(since "$started")"
}

finish() {
    local status=$?
    trap - EXIT INT TERM
    if $stack_up; then
        if [[ $status -ne 0 ]]; then
            log "state of the stack at the failure:"
            "${compose[@]}" ps || true
            "${compose[@]}" logs --no-color --tail=40 2>/dev/null | tail -n 400 || true
        fi
        log "docker compose down -v"
        timeout 300 "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || log "down -v did not finish cleanly"
    fi
    if [[ -n "$engine_pid" ]]; then
        log "stopping the Docker engine it started (pid $engine_pid)"
        kill "$engine_pid" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$engine_pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$engine_pid" 2>/dev/null || true
    fi
    [[ ${#timings[@]} -gt 0 ]] && print_timings
    if [[ $status -eq 0 ]]; then log "OK"; else log "FAILED"; fi
    exit $(( status == 0 ? 0 : 1 ))
}
trap finish EXIT
trap 'exit 1' INT TERM

# --- 1. Docker -----------------------------------------------------------------------------------------------

apt_install() {
    [[ $(id -u) -eq 0 ]] && have apt-get || fail "$* missing: install Docker (with compose) and run this again"
    log "installing $* from Debian"
    timeout 600 apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$@" >/dev/null
}

engine_answers() { timeout 20 docker info >/dev/null 2>&1; }

start_private_engine() {
    mkdir -p "$state_dir/docker" "$run_dir/exec"
    export DOCKER_HOST="unix://$run_dir/docker.sock"
    # With --prepare the engine inherits the script's lowest priority, and its build steps (containers of its own)
    # inherit the engine's.
    log "starting a private Docker engine on $DOCKER_HOST (data in $state_dir/docker)$($prepare_only && echo ', at the lowest priority')"
    dockerd -H "$DOCKER_HOST" --data-root "$state_dir/docker" --exec-root "$run_dir/exec" \
        --pidfile "$run_dir/dockerd.pid" >"$run_dir/dockerd.log" 2>&1 &
    engine_pid=$!
    for _ in $(seq 1 60); do
        engine_answers && return 0
        kill -0 "$engine_pid" 2>/dev/null || break
        sleep 1
    done
    tail -n 20 "$run_dir/dockerd.log" >&2
    fail "the Docker engine did not start (log: $run_dir/dockerd.log)"
}

phase=$(date +%s)
missing=()
have docker || missing+=(docker.io)
if ! have docker || ! engine_answers; then
    have dockerd || missing+=(docker.io)
fi
if ! { have docker && docker compose version >/dev/null 2>&1; } && ! have docker-compose; then
    missing+=(docker-compose)
fi
[[ ${#missing[@]} -gt 0 ]] && apt_install $(printf '%s\n' "${missing[@]}" | sort -u)
if engine_answers; then
    log "using the running Docker engine (${DOCKER_HOST:-default socket})"
else
    start_private_engine
fi

# docker-compose 1.x builds with BuildKit (needed for the Dockerfile's cache mount) only through the docker
# client, and a client of 23 or newer does BuildKit only with its buildx plugin: put Debian's older client,
# which has BuildKit built in, first on the PATH when the default one cannot.
client_does_buildkit() {
    local docker_cli=$1 major
    "$docker_cli" buildx version >/dev/null 2>&1 && return 0
    major=$("$docker_cli" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
    [[ "$major" =~ ^[0-9]+$ ]] && (( major < 23 ))
}
if docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
    compose=(docker compose -p "$project")
else
    have docker-compose || apt_install docker-compose
    if ! client_does_buildkit docker; then
        client_does_buildkit /usr/bin/docker || fail "no docker client here can build with BuildKit (install buildx)"
        shim_dir=$(mktemp -d)
        ln -s /usr/bin/docker "$shim_dir/docker"
        export PATH="$shim_dir:$PATH"
    fi
    export COMPOSE_DOCKER_CLI_BUILD=1
    compose=(docker-compose -p "$project")
fi
export DOCKER_BUILDKIT=1
timing "Docker ready" "$(since "$phase")"

# --- 2. Base images ------------------------------------------------------------------------------------------

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

debian_mirror() {
    local mirror
    mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^[:space:]]*debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
    [[ -z "$mirror" ]] && mirror=$(sed -n 's/^deb[[:space:]]\+\(http[^[:space:]]*debian\)\/\{0,1\}[[:space:]].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)
    echo "${mirror:-http://deb.debian.org/debian}"
}

ensure_base_image() {
    image_present "$base_image" && return 0
    have debootstrap || apt_install debootstrap
    local rootfs
    rootfs=$(mktemp -d)
    log "debootstrapping a minimal Debian bookworm for the stand-ins (from $(debian_mirror))"
    timeout 900 debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$rootfs.log" 2>&1 \
        || { tail -n 20 "$rootfs.log" >&2; rm -rf "$rootfs"; fail "debootstrap failed"; }
    tar -C "$rootfs" -c . | docker import - "$base_image" >/dev/null
    rm -rf "$rootfs" "$rootfs.log"
}

build_stand_in() {
    local image=$1 recipe=scripts/compose/stand-ins
    ensure_base_image
    log "building a local stand-in for $image"
    case "$image" in
        eclipse-temurin:*)
            # One stand-in serves as both JDK and JRE. The JDK home goes in as a tar with links followed: Debian
            # links its cacerts into /etc.
            if [[ -n "$stand_in_jdk" ]]; then
                docker tag "$stand_in_jdk" "$image"
                return 0
            fi
            tar -c -h -C "$JAVA_HOME" . -C "$PWD/$recipe/jdk" Dockerfile \
                | timeout 900 docker build -q --build-arg BASE="$base_image" -t "$image" - >/dev/null
            stand_in_jdk=$image ;;
        redis:*) timeout 900 docker build -q --build-arg BASE="$base_image" -t "$image" "$recipe/redis" >/dev/null ;;
        postgres:*) timeout 900 docker build -q --build-arg BASE="$base_image" -t "$image" "$recipe/postgres" >/dev/null ;;
        *) fail "$image cannot be pulled and there is no stand-in recipe for it" ;;
    esac
}

phase=$(date +%s)
base_images=$( { sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]\{1,\}\).*/\1/p' Dockerfile
                 sed -n 's/^[[:space:]]*image:[[:space:]]*\([^[:space:]]\{1,\}\).*/\1/p' docker-compose.yml; } | sort -u)
stand_in_jdk=""
for image in $base_images; do
    if image_present "$image"; then
        log "$image: present"
    elif timeout 300 docker pull -q "$image" >/dev/null 2>&1; then
        log "$image: pulled"
    else
        build_stand_in "$image"
    fi
done
timing "base images" "$(since "$phase")"

# --- 3. Build and start --------------------------------------------------------------------------------------

# The images share the Dockerfile's build stage (BuildKit runs it once for all); what differs per image is its AOT
# training run, one JVM each, which go side by side on two cores. Compose v2 builds in parallel by itself.
build_images() {  # timing label
    local options=() phase
    [[ ${compose[0]} == docker-compose ]] && options=(--parallel)
    phase=$(date +%s)
    log "building the service images"
    timeout 1800 "${compose[@]}" build "${options[@]}" >"${TMPDIR:-/tmp}/flotilla-compose-build.log" 2>&1 \
        || { tail -n 60 "${TMPDIR:-/tmp}/flotilla-compose-build.log" >&2; fail "image build"; }
    timing "$1" "$(since "$phase")"
}

if $prepare_only; then
    # Only on an engine whose priority this script set: an engine that was already running would compete with
    # whatever runs beside it at its own priority.
    [[ -n "$engine_pid" ]] && build_images "image build (lowest priority)"
    exit 0
fi

# A run that was killed before its own `down -v` leaves its stack behind: start from nothing.
timeout 300 "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true

build_images "image build"

phase=$(date +%s)
stack_up=true
log "starting the stack"
timeout "$healthy_timeout" "${compose[@]}" up -d || fail "docker compose up"

# Waits until every container of the project is running and healthy; fails on one that exited or is unhealthy.
wait_all_healthy() {
    local timeout_s=$1 deadline=$(( $(date +%s) + $1 )) ids states
    while (( $(date +%s) < deadline )); do
        ids=$("${compose[@]}" ps -q)
        states=$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' $ids)
        if echo "$states" | grep -E ' (exited|dead) | unhealthy$' >&2; then
            return 1
        fi
        echo "$states" | grep -qv ' running healthy$' || return 0
        sleep 2
    done
    echo "$states" | grep -v ' running healthy$' >&2
    echo "not healthy within $timeout_s s" >&2
    return 1
}
wait_all_healthy "$healthy_timeout" || fail "the stack did not become healthy"
timing "start to all healthy" "$(since "$phase")"

# --- 4. Smoke, then faults -----------------------------------------------------------------------------------

# A gateway that just turned ready may not have its discovery cache filled yet: wait until the shop answers.
phase=$(date +%s)
for _ in $(seq 1 90); do
    answer=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$gateway/api/products" || true)
    [[ "$answer" == 200 ]] && break
    sleep 2
done
[[ "$answer" == 200 ]] || fail "GET /api/products through the gateway still answers $answer"
timing "gateway serving the shop" "$(since "$phase")"

phase=$(date +%s)
scripts/smoke.sh "$gateway" || fail "smoke"
timing "smoke" "$(since "$phase")"

number_field() { sed -n "s/.*\"$1\":\([0-9-]*\).*/\1/p"; }
string_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n1; }

container_of() { "${compose[@]}" ps -q "$1"; }

# The container whose environment names this Raft node id.
container_with_node_id() {
    local id
    for id in $("${compose[@]}" ps -q); do
        if docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$id" \
                | grep -Eq "^FLOTILLA_REGISTRY_(SERVER_)?NODEID=$1\$"; then
            echo "$id"
            return 0
        fi
    done
    return 1
}

phase=$(date +%s)
user="compose-check-$(date +%s)"
available_before=$(curl -sf --max-time 10 "$gateway/api/products/$sku" | number_field available)
[[ -n "$available_before" ]] || fail "no stock figure for $sku"

leader=$(curl -sf --max-time 10 "$registry/v1/cluster" | string_field leaderId)
[[ -n "$leader" ]] || fail "the registry named no leader"
leader_container=$(container_with_node_id "$leader") || fail "no container runs registry node $leader"
inventory_container=$(container_of inventory-service-2)
log "killing the registry leader ($leader, $(docker inspect -f '{{.Name}}' "$leader_container")) and inventory-service-2"
docker kill "$leader_container" "$inventory_container" >/dev/null

order() {  # key mode -> "<http status> <body>"
    curl -s --max-time 60 -w '\n%{http_code}' -X POST "$gateway/api/orders" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $1" -d "{\"userId\":\"$user\",\"sku\":\"$sku\",\"quantity\":1,\"mode\":\"$2\"}" || true
}
keys=()
modes=()
answers=""
for i in $(seq 1 20); do
    mode=TCC; (( i % 2 == 0 )) && mode=XA
    keys+=("$user-$i"); modes+=("$mode")
    answers="$answers $(order "$user-$i" "$mode" | tail -n1)"
done
log "20 orders during the faults answered:$answers"

log "restarting both"
docker start "$leader_container" "$inventory_container" >/dev/null
wait_all_healthy 600 || fail "the restarted containers did not become healthy"

# Every key again (the same request, so the first outcome or a retry of it) until each has a final answer.
deadline=$(( $(date +%s) + 300 ))
for i in "${!keys[@]}"; do
    while true; do
        status=$(order "${keys[$i]}" "${modes[$i]}" | tail -n1)
        [[ "$status" == 201 || "$status" == 409 ]] && break
        (( $(date +%s) < deadline )) || fail "order ${keys[$i]} still answers $status"
        sleep 2
    done
done

# Every order of this run is CONFIRMED or CANCELLED, and the stock taken is exactly the confirmed quantity.
deadline=$(( $(date +%s) + 300 ))
while true; do
    orders=$(curl -sf --max-time 10 "$gateway/api/orders?userId=$user" || true)
    total=$(echo "$orders" | grep -o '"status":"[A-Z_]*"' | wc -l)
    confirmed=$(echo "$orders" | grep -o '"status":"CONFIRMED"' | wc -l)
    cancelled=$(echo "$orders" | grep -o '"status":"CANCELLED"' | wc -l)
    product=$(curl -sf --max-time 10 "$gateway/api/products/$sku" || true)
    available=$(echo "$product" | number_field available)
    frozen=$(echo "$product" | number_field frozen)
    if [[ $total -eq 20 && $((confirmed + cancelled)) -eq 20 && "$frozen" == 0 \
          && -n "$available" && $((available_before - available)) -eq $confirmed ]]; then
        break
    fi
    (( $(date +%s) < deadline )) || fail "after the faults: $total orders, $confirmed confirmed, $cancelled cancelled; \
stock of $sku went from $available_before to ${available:-?} with ${frozen:-?} frozen"
    sleep 3
done
log "after the faults: 20 orders, $confirmed CONFIRMED and $cancelled CANCELLED; stock of $sku went from \
$available_before to $available, nothing frozen"
timing "faults (kill, 20 orders, restart, settle)" "$(since "$phase")"
