#!/usr/bin/env bash
# Stop the test cluster that scripts/setup-postgres.sh started.
#
#   scripts/stop-postgres.sh            # stop the server, keep the cluster
#   scripts/stop-postgres.sh --remove   # stop it and delete the cluster and var/pg
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${LINDRA_PG_DIR:-$repo/var/pg}
remove=false
case "${1:-}" in
"") ;;
--remove) remove=true ;;
*)
    echo "usage: $0 [--remove]" >&2
    exit 2
    ;;
esac

if [ ! -s "$state/cluster" ]; then
    echo "stop-postgres: no test cluster under $state" >&2
    exit 0
fi
cluster=$(cat "$state/cluster")
data=$cluster/data

pg_ctl=$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null |
    sort -V -r | head -1)
if [ "$(id -u)" = 0 ]; then
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

if [ -n "$pg_ctl" ] && [ -s "$data/PG_VERSION" ] &&
    as_owner "$pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "stop-postgres: stopped the server in $data" >&2
else
    echo "stop-postgres: no server running in $data" >&2
fi

if $remove; then
    # Take the setup lock so a concurrent setup-postgres.sh does not see a half-deleted cluster.
    exec 9>"$state/lock"
    flock -w 60 9 || true
    rm -rf "$data" "$cluster/run" "$cluster"/*.log "$state/cluster"
    [ "$cluster" = "$state" ] || rmdir "$cluster" 2>/dev/null || true
    echo "stop-postgres: removed the cluster" >&2
fi
