#!/usr/bin/env bash
# Builds the shop and runs it as local processes (the list is scripts/shop.stack) with prefixed logs, waits until
# each is healthy, prints where they are, and stops every process it started on Ctrl-C (or when one of them dies).
# Called by `./flotilla up`, which has already put a JDK 21+ on the PATH. Written for bash 3.2 too (macOS).
# Options:
#   --no-build   use the jars already built
#   --smoke      place a TCC and an XA order and check out a cart through the gateway, check stock and idempotency,
#                then stop (exit 0/1)
#   --fresh      delete the data directory (.flotilla/data) first: stock and orders start from the seed data
#   --no-aot     start without the AOT caches (and do not make them)
# Every service runs as `java @scripts/jvm.options -XX:AOTCache=<module>/target/<module>.aot -jar
# <module>/target/aot/<module>-exec.jar` (absolute paths), with MALLOC_ARENA_MAX=2. scripts/aot-cache.sh --if-stale
# makes a module's cache (and the extracted jar beside it) whenever the jar's content, the JDK, jvm.options or the
# checkout's place changed since the last one (`./mvnw -Paot -DskipTests package` makes them the same way); on a
# JDK without AOT caches (before 25) the services run from the Spring Boot jar as before.
set -euo pipefail
cd "$(dirname "$0")/.."

build=true
smoke=false
fresh=false
aot=true
for arg in "$@"; do
    case "$arg" in
        --no-build) build=false ;;
        --smoke) smoke=true ;;
        --fresh) fresh=true ;;
        --no-aot) aot=false ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

stack=scripts/shop.stack
state_dir=.flotilla
data_dir="$PWD/$state_dir/data"
$fresh && rm -rf "$data_dir"
mkdir -p "$data_dir"

# Values, ports and {data} from the stack file, as one sed script; values come first since they name ports.
value_substitutions=""
port_substitutions="s|{data}|$data_dir|g;"
while read -r kind name text; do
    case "$kind" in
        value)  # a value may use earlier values: resolve them now
            [[ -n "$value_substitutions" ]] && text=$(echo "$text" | sed "$value_substitutions")
            value_substitutions="${value_substitutions}s|{$name}|$text|g;" ;;
        port) port_substitutions="${port_substitutions}s|{$name}|$text|g;" ;;
    esac
done < "$stack"
substitutions="$value_substitutions$port_substitutions"

# Each `secret` line: one random value per data directory, written (readable by this user only) under each of
# its property names, unless a previous run made it already.
secrets_dir="$data_dir/secrets"
mkdir -p "$secrets_dir"
chmod 700 "$secrets_dir"
while read -r kind name properties; do
    [[ "$kind" == secret ]] || continue
    secret=""
    for property in $properties; do
        [[ -s "$secrets_dir/$property" ]] && secret=$(cat "$secrets_dir/$property")
    done
    [[ -n "$secret" ]] || secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    for property in $properties; do
        ( umask 077; printf '%s' "$secret" > "$secrets_dir/$property" )
    done
done < "$stack"
port_of() { echo "{$1}" | sed "$substitutions"; }

processes=()
while read -r line; do
    processes+=("$(echo "$line" | sed "$substitutions")")
done < <(grep '^process ' "$stack" | sed 's/^process[[:space:]]*//')

modules=$(printf '%s\n' "${processes[@]}" | awk '{print $2}' | awk '!seen[$0]++' | paste -sd, -)
if $build; then
    echo "building $modules ..."
    ./mvnw -B -q -pl "$modules" -am package -DskipTests
fi

# glibc keeps up to 8 malloc arenas per core; two keep each JVM's native memory close to what it uses.
export MALLOC_ARENA_MAX=2
options="$PWD/scripts/jvm.options"
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
[[ "$java_version" =~ ^[0-9]+$ && $java_version -ge 25 ]] || aot=false

# The AOT cache of each module (scripts/aot-cache.sh --if-stale, as `./mvnw -Paot package` runs it): made again only
# when the jar, jvm.options, the JDK or the checkout's place changed since the last one (a training run takes
# 10-60 s); a cache the -Paot build made is kept.
if $aot; then
    for module in ${modules//,/ }; do
        [[ -f "$module/target/$module-exec.jar" ]] || continue
        # The training run of a service that is not a Raft node refreshes its context with the stack's own
        # arguments, pointed at a scratch copy of the data directory's secrets instead of the data.
        scratch=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-aot-data.XXXXXX")
        cp -R "$secrets_dir" "$scratch/secrets"
        line=$(awk -v module="$module" '$1 == "process" && $3 == module' "$stack" | head -n1 | sed 's/^process[[:space:]]*//')
        # shellcheck disable=SC2046
        set -- $(echo "$line" | sed "${value_substitutions}s|{data}|$scratch|g;$port_substitutions")
        shift 3
        scripts/aot-cache.sh --if-stale "$module" "$@" \
            || echo "the AOT cache of $module could not be made; it starts without one" >&2
        rm -rf "$scratch"
    done
fi

pids=()
names=()

stop_all() {
    trap - INT TERM EXIT
    if [[ ${#pids[@]} -gt 0 ]]; then
        echo "stopping ${#pids[@]} process(es) ..."
        kill "${pids[@]}" 2>/dev/null || true
        for _ in $(seq 1 100); do
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
    local name=$1 module=$2 port_name=$3
    shift 3
    local port jar cache_option=()
    port=$(port_of "$port_name")
    jar="$module/target/$module-exec.jar"
    [[ -f "$jar" ]] || { echo "$jar is missing: run without --no-build" >&2; exit 1; }
    if $aot && [[ -s "$module/target/$module.aot" && -f "$module/target/$module.aot.stamp" ]]; then
        jar="$PWD/$module/target/aot/$module-exec.jar"
        cache_option=(-XX:AOTCache="$PWD/$module/target/$module.aot")
    fi
    # exec so that $! is the JVM itself; awk prefixes each line and flushes it at once (sed -u is GNU only).
    ( exec java "@$options" ${cache_option[@]+"${cache_option[@]}"} -jar "$jar" --server.port="$port" "$@" ) \
        > >(awk -v prefix="[$name] " '{ print prefix $0; fflush() }') 2>&1 &
    pids+=($!)
    names+=("$name")
    echo "$!" > "$state_dir/$name.pid"
}

wait_healthy() {
    local name=$1 port=$2 k   # k, not i: the caller's loop counts with i
    for _ in $(seq 1 180); do
        if curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1; then
            return 0
        fi
        for k in "${!pids[@]}"; do
            kill -0 "${pids[$k]}" 2>/dev/null || { echo "${names[$k]} exited during start-up" >&2; return 1; }
        done
        sleep 1
    done
    echo "$name did not become healthy on port $port within 180 s" >&2
    return 1
}

# The registry and the coordinator first: everything else registers with the one and calls the other.
# A module's second replica starts once its first is healthy: replicas share one database file, and two Flyway runs
# creating the same tables at the same moment fail ("table already exists").
first=2
for i in "${!processes[@]}"; do
    read -r _ module _ <<<"${processes[$i]}"
    for ((j = 0; j < i; j++)); do
        read -r earlier earlier_module earlier_port _ <<<"${processes[$j]}"
        if [[ "$earlier_module" == "$module" ]]; then
            wait_healthy "$earlier" "$(port_of "$earlier_port")"
        fi
    done
    # shellcheck disable=SC2086
    start ${processes[$i]}
    if [[ $i -eq $((first - 1)) ]]; then
        for j in $(seq 0 $((first - 1))); do
            read -r name _ port_name _ <<<"${processes[$j]}"
            wait_healthy "$name" "$(port_of "$port_name")"
        done
    fi
done
for line in "${processes[@]}"; do
    read -r name _ port_name _ <<<"$line"
    wait_healthy "$name" "$(port_of "$port_name")"
done

gateway="http://127.0.0.1:$(port_of gateway)"
cat <<INFO

Flotilla is up (data in $state_dir/data; ./flotilla up --fresh starts from the seed data again):
  console            http://127.0.0.1:$(port_of registry)/ui/   services, both Raft groups, KV and locks, transactions
                     (to drain an instance, sign in with the token in $state_dir/data/secrets/flotilla.registry.server.token)
  gateway            $gateway          the shop's front door: /api/products, /api/orders, /api/cart
  order-service      http://127.0.0.1:$(port_of order-service) and http://127.0.0.1:$(port_of order-service-2) (one session store: the H2 file)
  inventory-service  http://127.0.0.1:$(port_of inventory-1) and http://127.0.0.1:$(port_of inventory-2)
  registry           http://127.0.0.1:$(port_of registry)/v1/services
  tx-coordinator     http://127.0.0.1:$(port_of tx-coordinator)/v1/transactions
  id-service         http://127.0.0.1:$(port_of id-service)/v1/ids/next
  lock-service       http://127.0.0.1:$(port_of lock-service)/v1/locks/{name}
  Each service has /actuator/health, /actuator/prometheus and an OpenAPI page at /swagger-ui/index.html.

Try:
  curl -s $gateway/api/products
  curl -s -X POST $gateway/api/orders -H 'Content-Type: application/json' -H "Idempotency-Key: \$(uuidgen)" \\
       -d '{"userId":"alice","sku":"FLT-MUG","quantity":2,"mode":"TCC"}'
  curl -s -X POST $gateway/api/orders -H 'Content-Type: application/json' -H "Idempotency-Key: \$(uuidgen)" \\
       -d '{"userId":"alice","sku":"FLT-MUG","quantity":1,"mode":"XA"}'
  curl -s '$gateway/api/orders?userId=alice'
  curl -s -c cart.cookies -b cart.cookies -X PUT $gateway/api/cart/items/FLT-TEE -H 'Content-Type: application/json' -d '{"quantity":2}'
  curl -s -c cart.cookies -b cart.cookies -X POST $gateway/api/cart/checkout -H 'Content-Type: application/json' -d '{"userId":"alice"}'
  curl -s http://127.0.0.1:$(port_of registry)/v1/services/inventory-service/instances
  curl -s -X POST http://127.0.0.1:$(port_of id-service)/v1/segments -H 'Content-Type: application/json' \\
       -d '{"tag":"invoice","step":1000}'
  curl -s 'http://127.0.0.1:$(port_of id-service)/v1/segments/invoice?count=5'

INFO

if $smoke; then
    scripts/smoke.sh "$gateway"
    exit $?
fi

echo "Ctrl-C stops everything."
# Return as soon as any process dies, so a crash is not mistaken for a running shop (no `wait -n` in bash 3.2).
while true; do
    for i in "${!pids[@]}"; do
        if ! kill -0 "${pids[$i]}" 2>/dev/null; then
            echo "${names[$i]} exited; stopping the rest" >&2
            exit 1
        fi
    done
    sleep 1
done
