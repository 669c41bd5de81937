#!/usr/bin/env bash
# Makes <module>/target/<module>.aot, the JDK's AOT cache (JEP 483/514/515, JDK 25+) of one service, from the jar
# the build made (<module>/target/<module>-exec.jar). Run from the repository root (or any directory holding
# scripts/ and <module>/target/, as the Docker image does) with the JDK the service will run on:
#   scripts/aot-cache.sh [--if-stale] registry-service [application arguments for the training run...]
# The Maven build runs it for every service with `./mvnw -Paot -DskipTests package` (the parent pom's aot
# profile), ./flotilla up (scripts/up.sh) before it starts the services, the Docker image in its build.
# PORTS=<lo>-<hi>: the training run's free ports from that range (default 20000-31999).
# --if-stale: keep the cache when it was made from the same jar, jvm.options, JDK and checkout place (the stamp
# <module>/target/<module>.aot.stamp, written after each training run), whatever the training arguments were.
# Then start the service with it (paths must be the same absolute paths: the cache records its class path):
#   java @scripts/jvm.options -XX:AOTCache=$PWD/registry-service/target/registry-service.aot \
#        -jar $PWD/registry-service/target/aot/registry-service-exec.jar
#
# 1. The jar is extracted (`java -Djarmode=tools -jar ... extract`) into <module>/target/aot/: the application jar
#    <module>-exec.jar beside lib/, every class on the JVM's own class path. The cache can only hold classes the
#    JVM's built-in loaders load; the classes inside a Spring Boot jar's nested jars are loaded by Spring Boot's
#    own class loader, so a cache trained on the fat jar holds the JDK's classes and little else.
# 2. A training run with the options of scripts/jvm.options and -XX:AOTCacheOutput. The two Raft services are
#    trained on their hot path: each starts alone on free ports with a scratch data directory, serves writes
#    (registry-service: KV puts; tx-coordinator: begin + commit of empty global transactions) from one `curl`
#    with parallel keep-alive transfers for FLOTILLA_AOT_TRAINING_ROUNDS rounds (default 6), and is then stopped
#    with SIGTERM; the JVM writes the cache as it exits, with the loaded and linked classes and the method
#    profiles of the write path (JEP 515), so the JIT compiles that path soon after the next start. The other
#    services run Spring Boot's documented training run (-Dspring.context.exit=onRefresh: the context is
#    refreshed, nothing is started), with the application arguments given here.
# The cache fits only the JVM build that made it and the jar it was trained on: make it again after either changes
# (scripts/up.sh does so by itself). Exits non-zero, leaving no .aot file, when the training run fails.
set -euo pipefail

if_stale=false
[[ "${1:-}" == --if-stale ]] && { if_stale=true; shift; }
module=${1:?usage: scripts/aot-cache.sh [--if-stale] <module> [application arguments...]}
shift
root=$PWD
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
options="$root/scripts/jvm.options"
[[ -f "$options" ]] || options="$(cd "$(dirname "$0")" && pwd)/jvm.options"
target="$root/$module/target"
fat_jar="$target/$module-exec.jar"
extracted="$target/aot"
app_jar="$extracted/$module-exec.jar"
cache=${FLOTILLA_AOT_CACHE_FILE:-$target/$module.aot}
rounds=${FLOTILLA_AOT_TRAINING_ROUNDS:-6}
# writes (the default for the Raft services) or refresh (Spring Boot's onRefresh run; bench/startup.sh compares them)
training=${FLOTILLA_AOT_TRAINING:-writes}
[[ -f "$fat_jar" ]] || { echo "aot-cache: $fat_jar is missing: build it first" >&2; exit 1; }
java_version=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
[[ "$java_version" =~ ^[0-9]+$ && $java_version -ge 25 ]] \
    || { echo "aot-cache: $java_bin is Java ${java_version:-?}; an AOT cache needs JDK 25 or newer" >&2; exit 1; }
stamp="$cache.stamp"
wanted="$(cksum <"$fat_jar") $(cksum <"$options") $("$java_bin" -version 2>&1 | tr '\n' ' ') $root"
if $if_stale && [[ -s "$cache" && "$(cat "$stamp" 2>/dev/null)" == "$wanted" ]]; then
    echo "aot-cache: $cache is up to date"
    exit 0
fi
rm -f "$stamp"

# A cache is only valid with the very jar files it was trained on (their size and time are checked): extract
# again only when the jar's content changed (a build rewrites the jar each time; the extracted files take the
# times recorded inside it, so file times cannot tell).
rm -f "$cache"
fingerprint=$(cksum <"$fat_jar")
if [[ ! -f "$app_jar" || "$(cat "$extracted/.fingerprint" 2>/dev/null)" != "$fingerprint" ]]; then
    rm -rf "$extracted"
    "$java_bin" -Djarmode=tools -jar "$fat_jar" extract --destination "$extracted" >/dev/null
    echo "$fingerprint" >"$extracted/.fingerprint"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-aot-$module.XXXXXX")
pid=""
cleanup() {
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ports=${PORTS:-20000-31999}
free_port() {  # a port nothing listens on, from $PORTS (default: 20000-31999, below Linux's ephemeral ports)
    local port lo=${ports%-*} hi=${ports#*-}
    while true; do
        port=$(( lo + RANDOM % (hi - lo + 1) ))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# A training run needs no other service: a service that leases its id generator's worker id from the registry
# (order-service) takes the configured one instead, and a phase-two participant a signing key that exists only
# in this run (the image build has none; the cache holds classes and profiles, not property values).
train_on_refresh() {
    # In the scratch directory: a service may make files under its working directory (every path here is absolute).
    (cd "$work" && exec "$java_bin" "@$options" -XX:AOTCacheOutput="$cache" -Dspring.context.exit=onRefresh \
        -jar "$app_jar" --spring.main.banner-mode=off --logging.level.root=WARN --flotilla.registry.id.enabled=false \
        --flotilla.tx.participant.signing-keys="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" "$@") >"$work/training.log" 2>&1 \
        || { show_log; echo "aot-cache: the training run of $module failed" >&2; exit 1; }
}

# The end of the training run's output, without the JVM's notes on classes it leaves out of the cache.
show_log() { grep -v '\[aot\]' "$work/training.log" | tail -n 40 >&2; }

# Counts the 2xx answers among curl's per-transfer output (-w 'status=%{http_code}'; bodies may run into it).
count_ok() { grep -o 'status=2' | wc -l; }

registry_round() {  # $1 port, $2 round: KV puts of 100 bytes
    head -c 100 /dev/zero | tr '\0' 'x' >"$work/value"
    curl -s -Z --parallel-max 16 -X PUT --data-binary "@$work/value" -w 'status=%{http_code}\n' \
        "http://127.0.0.1:$1/v1/kv/aot-training/$2-[1-2000]" 2>/dev/null | count_ok
}

coordinator_round() {  # $1 port: begin, then commit, 1,000 empty global transactions
    local base="http://127.0.0.1:$1/v1/transactions"
    curl -s -Z --parallel-max 16 -X POST -H 'Content-Type: application/json' -d '{"mode":"TCC"}' \
        -w '\n' "$base?n=[1-1000]" >"$work/begun" 2>/dev/null
    grep -o '"xid":"[^"]*"' "$work/begun" | sed "s|\"xid\":\"\(.*\)\"|url = \"$base/\1/commit\"|" >"$work/commits"
    [[ -s "$work/commits" ]] || { echo 0; return; }
    curl -s -Z --parallel-max 16 -X POST -w 'status=%{http_code}\n' -K "$work/commits" 2>/dev/null | count_ok
}

train_on_writes() {  # $1 round function, then the service's own arguments for ports and data
    local round=$1 port raft_port ok=0
    shift
    port=$(free_port)
    raft_port=$(free_port)
    local args
    args=$("$@" "$raft_port" "$work/data")
    # shellcheck disable=SC2086
    (cd "$work" && exec "$java_bin" "@$options" -XX:AOTCacheOutput="$cache" -jar "$app_jar" --server.port="$port" \
        $args --spring.main.banner-mode=off --logging.level.root=WARN) >"$work/training.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 \
        || { show_log; echo "aot-cache: $module did not become ready" >&2; exit 1; }
    for r in $(seq 1 "$rounds"); do
        ok=$(( ok + $("$round" "$port" "$r") ))
    done
    [[ $ok -gt 0 ]] || { show_log; echo "aot-cache: no write succeeded" >&2; exit 1; }
    # SIGTERM: Spring closes the context, the JVM exits and writes the cache (a child JVM assembles it).
    kill -TERM "$pid"
    for _ in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then echo "aot-cache: $module did not exit" >&2; exit 1; fi
    pid=""
    echo "aot-cache: $module trained on $ok writes"
}

registry_args() { echo "--flotilla.registry.server.raft-port=$1 --flotilla.registry.server.data-dir=$2"; }
coordinator_args() { echo "--flotilla.coordinator.raft-port=$1 --flotilla.coordinator.data-dir=$2"; }

case "$module:$training" in
    registry-service:writes) train_on_writes registry_round registry_args ;;
    tx-coordinator:writes) train_on_writes coordinator_round coordinator_args ;;
    # shellcheck disable=SC2046
    registry-service:*) train_on_refresh $(registry_args "$(free_port)" "$work/data") "$@" ;;
    # shellcheck disable=SC2046
    tx-coordinator:*) train_on_refresh $(coordinator_args "$(free_port)" "$work/data") "$@" ;;
    *) train_on_refresh "$@" ;;
esac
[[ -s "$cache" ]] || { show_log; echo "aot-cache: no cache was written" >&2; exit 1; }
echo "$wanted" >"$stamp"
echo "aot-cache: $cache ($(( $(wc -c <"$cache") / 1048576 )) MB)"
