#!/usr/bin/env bash
# Builds the services and runs them as local processes with prefixed logs, waits until each is healthy,
# prints where they are, and stops every process it started on Ctrl-C (or when one of them dies).
# Called by `./flotilla up`, which has already put a JDK 21+ on the PATH.
# Options: --no-build (use the jars already built), --smoke (check each service answers, then stop).
set -euo pipefail
cd "$(dirname "$0")/.."

build=true
smoke=false
for arg in "$@"; do
    case "$arg" in
        --no-build) build=false ;;
        --smoke) smoke=true ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

# name, module directory, port. Services are added here as their modules land.
services=(
    "id-service id-service 8083"
)

modules=$(printf '%s\n' "${services[@]}" | awk '{print $2}' | paste -sd, -)
if $build; then
    echo "building $modules ..."
    ./mvnw -B -q -pl "$modules" -am package -DskipTests
fi

state_dir=.flotilla
mkdir -p "$state_dir"
pids=()

stop_all() {
    trap - INT TERM EXIT
    if [[ ${#pids[@]} -gt 0 ]]; then
        echo "stopping ${#pids[@]} process(es) ..."
        kill "${pids[@]}" 2>/dev/null || true
        for _ in $(seq 1 50); do
            alive=false
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
            $alive || break
            sleep 0.2
        done
        kill -9 "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop_all INT TERM EXIT

start() {
    local name=$1 module=$2 port=$3
    local jar="$module/target/$name-exec.jar"
    [[ -f "$jar" ]] || { echo "$jar is missing: run without --no-build" >&2; exit 1; }
    # exec so that $! is the JVM itself; its output goes through a prefixing filter.
    ( exec java -jar "$jar" --server.port="$port" ) > >(sed -u "s/^/[$name] /") 2>&1 &
    pids+=($!)
    echo "$!" > "$state_dir/$name.pid"
}

wait_healthy() {
    local name=$1 port=$2
    for _ in $(seq 1 120); do
        if curl -sf "http://localhost:$port/actuator/health" >/dev/null 2>&1; then
            return 0
        fi
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || { echo "$name exited during start-up" >&2; return 1; }
        done
        sleep 1
    done
    echo "$name did not become healthy on port $port within 120 s" >&2
    return 1
}

for service in "${services[@]}"; do
    # shellcheck disable=SC2086
    start $service
done
for service in "${services[@]}"; do
    read -r name _ port <<<"$service"
    wait_healthy "$name" "$port"
done

cat <<'INFO'

Flotilla is up:
  id-service   http://localhost:8083   (OpenAPI UI: http://localhost:8083/swagger-ui/index.html)

Try:
  curl -s localhost:8083/v1/ids/next
  curl -s 'localhost:8083/v1/ids?count=5'
  curl -s localhost:8083/v1/ids/$(curl -s localhost:8083/v1/ids/next | tr -dc 0-9)

INFO

if $smoke; then
    id=$(curl -sf localhost:8083/v1/ids/next | tr -dc 0-9)
    parsed=$(curl -sf "localhost:8083/v1/ids/$id")
    [[ "$parsed" == *"\"id\":\"$id\""* ]] || { echo "smoke: parsing $id gave $parsed" >&2; exit 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' 'localhost:8083/v1/ids?count=0')
    [[ "$status" == 400 ]] || { echo "smoke: count=0 answered $status, expected 400" >&2; exit 1; }
    echo "smoke: OK"
    exit 0
fi

echo "Ctrl-C stops everything."
# Return as soon as any service dies, so a crash is not mistaken for a running platform.
wait -n "${pids[@]}"
echo "a service exited; stopping the rest" >&2
exit 1
