#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite (used by .ci/run; usable by hand).
#
#   scripts/pg-test-cluster.sh start DIR [PORT|auto]   # prints the URL on stdout
#   scripts/pg-test-cluster.sh stop DIR                # stops the server, keeps DIR
#   scripts/pg-test-cluster.sh destroy DIR             # stops the server, removes DIR
#   scripts/pg-test-cluster.sh url DIR                 # prints the URL of a started cluster
#
# Example:
#   export SIPAS_TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start /tmp/sipas-pg)
#   cargo test
#   scripts/pg-test-cluster.sh destroy /tmp/sipas-pg
#
# Layout of DIR: data/ (PGDATA), sock/ (unix socket), postgres.log, port.
# The server listens on 127.0.0.1 only, trusts every local connection (superuser
# "postgres", no password) and runs with fsync off: never put real data in it.
# As root, initdb/pg_ctl run as the "postgres" user (created if missing) and DIR
# is chowned to it; as any other user they run as that user.
# PG_BINDIR may point at a directory holding initdb and pg_ctl.
set -euo pipefail

DEFAULT_PORT=54329
PG_USER=postgres

log() { printf 'pg-test-cluster: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

find_bindir() {
  local d
  if [[ -n "${PG_BINDIR:-}" ]]; then
    [[ -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" ]] || die "PG_BINDIR=$PG_BINDIR has no initdb/pg_ctl"
    printf '%s\n' "$PG_BINDIR"; return
  fi
  # Prefer PostgreSQL 15 (what production and docker-compose use).
  for d in /usr/lib/postgresql/15/bin /usr/local/bin; do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then printf '%s\n' "$d"; return; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return
  fi
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then printf '%s\n' "$d"; return; fi
  die "initdb/pg_ctl not found (apt-get install -y postgresql-15, or set PG_BINDIR)"
}

# Run a command as the cluster owner, from inside DIR (the caller's cwd may be
# unreadable for the postgres user).
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$DIR" && runuser -u "$PG_USER" -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

ensure_pg_user() {
  [[ $EUID -eq 0 ]] || return 0
  if ! id -u "$PG_USER" >/dev/null 2>&1; then
    log "creating system user $PG_USER"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /bin/bash "$PG_USER"
  fi
}

port_in_use() {
  # A successful connect means something listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1
}

pick_port() {
  local p
  for ((p = DEFAULT_PORT; p < DEFAULT_PORT + 200; p++)); do
    if ! port_in_use "$p"; then printf '%s\n' "$p"; return; fi
  done
  die "no free port in $DEFAULT_PORT..$((DEFAULT_PORT + 199))"
}

url_for() { printf 'postgres://%s@127.0.0.1:%s/postgres\n' "$PG_USER" "$1"; }

is_running() {
  [[ -f "$DIR/data/PG_VERSION" ]] || return 1
  as_owner "$BINDIR/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

cmd_start() {
  local port="${1:-auto}"
  if [[ "$port" == auto ]]; then
    port=$(pick_port)
  elif ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "bad port: $port"
  fi

  ensure_pg_user
  mkdir -p "$DIR"
  if [[ $EUID -eq 0 ]]; then
    chown "$PG_USER": "$DIR"
    chmod 700 "$DIR"
    runuser -u "$PG_USER" -- test -w "$DIR" ||
      die "$DIR is not reachable by user $PG_USER (a parent directory is closed?); use a dir under /tmp"
  fi

  if is_running; then
    log "already running in $DIR"
    url_for "$(cat "$DIR/port")"
    return 0
  fi

  if port_in_use "$port"; then
    die "port $port on 127.0.0.1 is already in use"
  fi

  if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    log "initdb in $DIR/data ($("$BINDIR/initdb" --version))"
    # Locale C: byte-wise (= code point) ordering of UTF-8 text, like SQLite.
    if ! as_owner "$BINDIR/initdb" -D "$DIR/data" -A trust --no-sync -U "$PG_USER" \
      -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1; then
      cat "$DIR/initdb.log" >&2
      die "initdb failed"
    fi
  fi
  as_owner mkdir -p "$DIR/sock"

  log "starting on 127.0.0.1:$port"
  if ! as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
    -o "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB -c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$DIR/sock'" \
    start >"$DIR/pg_ctl.log" 2>&1; then
    cat "$DIR/pg_ctl.log" >&2
    [[ -f "$DIR/postgres.log" ]] && tail -n 50 "$DIR/postgres.log" >&2
    die "pg_ctl start failed"
  fi
  as_owner sh -c "echo $port > '$DIR/port'"
  url_for "$port"
}

cmd_stop() {
  [[ -d "$DIR/data" ]] || { log "nothing to stop in $DIR"; return 0; }
  if ! is_running; then
    log "not running ($DIR)"
    return 0
  fi
  log "stopping $DIR"
  if ! as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
    log "fast shutdown failed, trying immediate"
    if ! as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
      local pid
      pid=$(head -n1 "$DIR/data/postmaster.pid" 2>/dev/null || true)
      if [[ -n "$pid" ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
      die "could not stop the server in $DIR"
    fi
  fi
}

cmd_destroy() {
  cmd_stop || true
  rm -rf -- "$DIR"
  log "removed $DIR"
}

cmd_url() {
  [[ -f "$DIR/port" ]] || die "no cluster started in $DIR"
  url_for "$(cat "$DIR/port")"
}

[[ $# -ge 2 ]] || usage
CMD=$1
DIR=$(realpath -m -- "$2")
shift 2
[[ "$DIR" != / ]] || die "refusing to use /"
BINDIR=$(find_bindir)

case "$CMD" in
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  destroy) cmd_destroy ;;
  url) cmd_url ;;
  *) usage ;;
esac
