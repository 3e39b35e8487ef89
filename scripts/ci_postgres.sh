#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 and a socket in a temp dir.
#
#   eval "$(bash scripts/ci_postgres.sh start)"   # exports SITREP_TEST_PG and SITREP_PG_DIR
#   bash scripts/ci_postgres.sh stop "$SITREP_PG_DIR"
#
# Installs Debian's postgresql package when no server binaries are present (CI runs as root).
# The cluster runs with fsync off: it holds nothing but test databases.
set -euo pipefail

log() { echo "ci_postgres: $*" >&2; }

pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; fi
}

as_pg() {
    # initdb and postgres refuse to run as root: run them as the 'postgres' account then.
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bindir dir port
    bindir=$(pg_bindir)
    if [[ -z "$bindir" ]]; then
        if [[ "$(id -u)" != "0" ]]; then
            log "no PostgreSQL server installed and not root: install the postgresql package"
            exit 1
        fi
        log "installing postgresql (Debian package)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        bindir=$(pg_bindir)
        [[ -n "$bindir" ]] || { log "postgresql installed but no server binaries found"; exit 1; }
    fi
    dir=$(mktemp -d /tmp/sitrep-pg.XXXXXX)
    chmod 755 "$dir"
    if [[ "$(id -u)" == "0" ]]; then chown postgres: "$dir"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bindir/initdb" -D "$dir/data" -U sitrep -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U sitrep -d postgres -qAt \
        -c "CREATE DATABASE sitrep_test" >&2
    log "$("$bindir/postgres" --version) on 127.0.0.1:$port ($dir)"
    echo "export SITREP_TEST_PG=postgresql+psycopg://sitrep@127.0.0.1:$port/sitrep_test"
    echo "export SITREP_PG_DIR=$dir"
}

stop() {
    local dir=${1:-${SITREP_PG_DIR:-}} bindir
    [[ -n "$dir" && -d "$dir/data" ]] || exit 0
    bindir=$(pg_bindir)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
