#!/usr/bin/env bash
# Makes sure the local servers the test suite uses are running and configured:
#   Redis 127.0.0.1:6379, PostgreSQL 127.0.0.1:5432 with max_prepared_transactions > 0 (XA needs
#   PREPARE TRANSACTION), MariaDB 127.0.0.1:3306, RabbitMQ 127.0.0.1:5672; and `iptables`, with which the
#   partition tests cut traffic between processes bound to their own loopback addresses (they need root, as CI
#   runs); and Debian's headless `chromium` and `chromium-driver`, in which e2e's console test drives the
#   registry's web console.
# Written for the Debian machines CI runs on (servers installed, started by their usual commands). On
# other machines, point the tests at your own servers instead: FLOTILLA_TEST_REDIS_URL,
# FLOTILLA_TEST_POSTGRES_URL, FLOTILLA_TEST_MARIADB_URL (see platform/test-support/README.md), or run
# Docker so Testcontainers starts them.
set -euo pipefail

listening() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_for_port() {
    local port=$1 name=$2
    for _ in $(seq 1 60); do
        listening "$port" && return 0
        sleep 0.5
    done
    echo "$name did not come up on 127.0.0.1:$port" >&2
    return 1
}

if ! listening 6379; then
    echo "starting Redis on 6379"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for_port 6379 Redis
fi

if ! listening 3306; then
    echo "starting MariaDB on 3306"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for_port 3306 MariaDB
fi

pg_cluster_version() {
    ls /etc/postgresql | sort -V | tail -n1
}

if ! listening 5432; then
    echo "starting PostgreSQL on 5432"
    pg_ctlcluster --skip-systemctl-redirect "$(pg_cluster_version)" main start
    wait_for_port 5432 PostgreSQL
fi

# RabbitMQ (guest/guest): the tx starter's outbox relay is tested against it.
if ! listening 5672; then
    echo "starting RabbitMQ on 5672"
    rabbitmq-server -detached 2>/dev/null || start-stop-daemon --start --oknodo --background --exec /usr/sbin/rabbitmq-server
    wait_for_port 5672 RabbitMQ
fi

if ! command -v iptables >/dev/null 2>&1 && [[ ! -x /usr/sbin/iptables ]]; then
    echo "installing iptables (partition tests)"
    if ! { apt-get install -y -q iptables >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q iptables >/dev/null; }; }; then
        echo "could not install iptables; the partition tests will fail saying so" >&2
    fi
fi

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    echo "installing chromium and chromium-driver (the console's browser test)"
    if ! { apt-get install -y -q chromium chromium-driver >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }; }; then
        echo "could not install chromium; the console's browser test will fail saying so" >&2
    fi
fi

psql_admin() {
    psql -h 127.0.0.1 -U postgres -d postgres -tAq -c "$1"
}

prepared=$(psql_admin "SHOW max_prepared_transactions")
if [[ "$prepared" == "0" ]]; then
    echo "raising PostgreSQL max_prepared_transactions to 64 (needed for XA) and restarting it"
    psql_admin "ALTER SYSTEM SET max_prepared_transactions = 64"
    pg_ctlcluster --skip-systemctl-redirect "$(pg_cluster_version)" main restart
    wait_for_port 5432 PostgreSQL
    for _ in $(seq 1 60); do
        psql_admin "SELECT 1" >/dev/null 2>&1 && break
        sleep 0.5
    done
fi
echo "test servers ready: Redis 6379, PostgreSQL 5432 (max_prepared_transactions=$(psql_admin "SHOW max_prepared_transactions")), MariaDB 3306, $(/usr/bin/chromium --version 2>/dev/null || echo "no chromium"), $( (iptables -V || /usr/sbin/iptables -V) 2>/dev/null || echo "no iptables")"
