#!/usr/bin/env bash
# Prints the home of a JDK >= 21: $JAVA_HOME if it qualifies, else the `java` on PATH, else the newest
# one under /usr/lib/jvm or /Library/Java/JavaVirtualMachines. Exits 1 with a message when there is none.
# Usage: export JAVA_HOME="$(scripts/select-jdk.sh)"
set -euo pipefail

required=21

feature_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

qualifies() {
    local home=$1 version
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
    version=$(feature_version "$home")
    [[ "$version" =~ ^[0-9]+$ ]] && (( version >= required ))
}

candidates=()
[[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi
for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -d "$dir" ]] && candidates+=("$dir")
done

best=""
best_version=0
for home in "${candidates[@]}"; do
    if qualifies "$home"; then
        version=$(feature_version "$home")
        if (( version > best_version )); then
            best=$home
            best_version=$version
        fi
    fi
done

if [[ -z "$best" ]]; then
    echo "No JDK ${required}+ found (looked at JAVA_HOME, PATH, /usr/lib/jvm). Install one, e.g. Temurin 21 or 25." >&2
    exit 1
fi
echo "$best"
