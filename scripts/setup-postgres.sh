#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for lindra's tests and print its URL.
#
#   scripts/setup-postgres.sh      # last line: postgresql://postgres@127.0.0.1:54329/lindra_test
#   scripts/stop-postgres.sh       # stops it (--remove also deletes the cluster)
#
# Idempotent and safe to run from several shells at once (it takes a lock):
#   1. installs Debian's `postgresql` package with apt-get when initdb/pg_ctl are missing;
#   2. creates a cluster in var/pg/data (gitignored) on first use;
#   3. starts it with pg_ctl on 127.0.0.1:54329 unless it is already running
#      (the next free port when another program holds 54329);
#   4. creates the database lindra_test (Swedish ICU collation when available, so
#      tests notice any ORDER BY that depends on the database's collation).
# Progress goes to stderr; stdout carries only the URL.
#
# The cluster trusts every connection from this machine: it is for tests only.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` OS
# user (created when missing). When that user cannot write under the repository
# (e.g. a checkout in /root), the cluster lives in /tmp/lindra-pg-<hash>/ instead.
#
# Environment: LINDRA_PG_PORT (54329), LINDRA_PG_DB (lindra_test), LINDRA_PG_DIR (var/pg).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${LINDRA_PG_DIR:-$repo/var/pg}
port=${LINDRA_PG_PORT:-54329}
db=${LINDRA_PG_DB:-lindra_test}

say() { echo "setup-postgres: $*" >&2; }
die() {
    say "$*"
    exit 1
}

find_bindir() {
    local dir
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    # Debian keeps the server programs off PATH, one folder per major version.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 ||
        die "initdb/pg_ctl not found and no apt-get here: install the PostgreSQL server and put its bin folder on PATH"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "initdb/pg_ctl not found; run 'apt-get install postgresql' as root, then run this again"
        sudo=(sudo -n)
    fi
    say "installing PostgreSQL with apt-get (first run only)"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 ||
        say "apt-get update failed; trying the install with the package lists we have"
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        postgresql >&2 || die "apt-get install postgresql failed (see above)"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$state"
exec 9>"$state/lock"
flock -w 900 9 || die "another setup-postgres.sh has held $state/lock for 15 minutes"

bindir=$(find_bindir) || {
    install_postgres
    bindir=$(find_bindir) || die "apt-get installed postgresql but initdb/pg_ctl are still missing"
}
psql_bin=$bindir/psql
[ -x "$psql_bin" ] || psql_bin=$(command -v psql) || die "psql not found next to $bindir/pg_ctl"

if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

# Where the cluster lives: remembered in $state/cluster so stop-postgres.sh finds it.
if [ -s "$state/cluster" ]; then
    cluster=$(cat "$state/cluster")
else
    cluster=$state
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$state"
        if ! as_owner test -w "$state/."; then
            cluster=/tmp/lindra-pg-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)
            say "the postgres user cannot write $state; using $cluster"
        fi
    fi
    echo "$cluster" >"$state/cluster"
fi
data=$cluster/data
mkdir -p "$cluster/run"
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$cluster" "$cluster/run"
fi

if [ ! -s "$data/PG_VERSION" ]; then
    rm -rf "$data" # left over from an interrupted initdb
    say "creating a cluster in $data"
    locale=C.UTF-8
    locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || locale=C
    as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale="$locale" \
        --no-sync >"$cluster/initdb.log" 2>&1 ||
        die "initdb failed: $(tail -5 "$cluster/initdb.log")"
    # Commit without waiting for the disk, like SQLite's WAL mode with synchronous=NORMAL:
    # a crash may lose the last transactions, never corrupt the cluster.
    cat >>"$data/postgresql.conf" <<EOF

# lindra test cluster (scripts/setup-postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster/run'
synchronous_commit = off
max_connections = 200
EOF
fi

if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$data/postmaster.pid")
    say "already running on port $port"
else
    first=$port
    while port_busy "$port"; do
        port=$((port + 1))
        [ "$port" -lt $((first + 20)) ] || die "ports $first-$port are all in use; set LINDRA_PG_PORT"
    done
    [ "$port" = "$first" ] || say "port $first is in use; starting on $port"
    say "starting the server on 127.0.0.1:$port"
    # 9>&-: the server must not inherit the lock, or the next run would wait forever.
    as_owner "$bindir/pg_ctl" -D "$data" -l "$cluster/server.log" -w -t 60 -o "-p $port" 9>&- \
        start >/dev/null 2>&1 ||
        die "the server did not start: $(tail -5 "$cluster/server.log" 2>/dev/null)"
fi

psql=("$psql_bin" -X -q -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    say "creating database $db"
    "${psql[@]}" -c "CREATE DATABASE \"$db\" TEMPLATE template0 ENCODING 'UTF8'
                     LOCALE_PROVIDER icu ICU_LOCALE 'sv-SE'" 2>/dev/null ||
        "${psql[@]}" -c "CREATE DATABASE \"$db\" TEMPLATE template0 ENCODING 'UTF8'"
fi

echo "postgresql://postgres@127.0.0.1:$port/$db"
