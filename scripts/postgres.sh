# Sourced by scripts/test: a throwaway PostgreSQL server for the tests that need a real one.
#
#   start_test_postgres   installs PostgreSQL's server with apt if it is missing and we are root
#                         (CI), initdb's a cluster in a new temp dir, starts it on 127.0.0.1 on a
#                         free port (trust auth, nothing else listens), creates the database and
#                         exports REPAIR_COACH_TEST_DATABASE_URL. It sets an EXIT trap (and turns
#                         INT, TERM and HUP into an exit) that stops the server and removes the
#                         dir, so no run leaves a server or a cluster behind, pass, fail or Ctrl-C.
#   stop_test_postgres    that clean-up; safe to call twice.
#
# It never fails the test command (a run killed with SIGKILL is the one case it cannot clean up). When it cannot give a server (not root and not installed, or
# a start that failed) it says why in one line on stderr and exports the reason in
# REPAIR_COACH_TEST_DATABASE_MISSING instead: the PostgreSQL tests then skip with that reason,
# or fail with it where a server must be there (as root or with CI=true, see
# tests/test_ci_postgres.py).
#
# A URL already in REPAIR_COACH_TEST_DATABASE_URL is used as it is: no server is started.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user the
# Debian package creates (or `nobody`) and its commands run through runuser. The server is tuned
# for a throwaway: no fsync, no synchronous commit, no full-page writes.

PG_TEST_DB="repair_coach_test"
PG_TEST_USER="postgres"
_pg_dir=""
_pg_bin=""
_pg_owner=""

# The newest installed server's bin dir (Debian puts each major version under its own dir).
_pg_find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

# Run a server command as the cluster's owner (ourselves when not root).
_pg_as_owner() {
  if [ -n "$_pg_owner" ]; then
    (cd "$_pg_dir" && runuser -u "$_pg_owner" -- "$@")
  else
    "$@"
  fi
}

_pg_missing() {
  local then="the PostgreSQL tests will be skipped"
  if [ "$(id -u)" -eq 0 ] || [[ "${CI:-}" =~ ^(1|true|yes)$ ]]; then
    then="the PostgreSQL tests will fail (as root or with CI=true they must run)"
  fi
  echo "repair-coach: $1; $then" >&2
  export REPAIR_COACH_TEST_DATABASE_MISSING="$1"
}

_pg_install() {
  local log
  log="$(mktemp)"
  echo "repair-coach: installing PostgreSQL's server with apt (once)..." >&2
  if ! {
    apt-get update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
  } > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  # The package may create and start a `main` cluster where services may start: stop it, so
  # that installing leaves no server running either.
  if command -v pg_lsclusters > /dev/null; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _ status _; do
      if [ "$status" = "online" ]; then
        pg_ctlcluster "$version" "$cluster" stop || true
      fi
    done
  fi
}

_pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_test_postgres() {
  local started port attempt ms
  if [ -n "${REPAIR_COACH_TEST_DATABASE_URL:-}" ]; then
    echo "repair-coach: PostgreSQL tests use REPAIR_COACH_TEST_DATABASE_URL as set" >&2
    return 0
  fi
  started="${EPOCHREALTIME/./}"
  _pg_bin="$(_pg_find_bin)"
  if [ -z "$_pg_bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      _pg_missing "PostgreSQL's server (initdb, pg_ctl under /usr/lib/postgresql/*/bin) is not installed and installing it needs root (apt-get install postgresql)"
      return 0
    fi
    if ! _pg_install || [ -z "$(_pg_find_bin)" ]; then
      _pg_missing "installing PostgreSQL's server with apt failed (output above)"
      return 0
    fi
    _pg_bin="$(_pg_find_bin)"
  fi

  trap stop_test_postgres EXIT
  # A run killed with its log reader (`scripts/test | tail`, a CI job cancelled) must still stop
  # the server: bash's "Terminated" note to a closed pipe would otherwise kill it by SIGPIPE
  # before the EXIT trap runs. Ignored here, SIGPIPE is reset to default for pytest's own
  # subprocesses (Python's subprocess does that), and Python ignores it anyway.
  trap '' PIPE
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  if [ "$(id -u)" -eq 0 ]; then
    _pg_owner="postgres"
    id -u postgres > /dev/null 2>&1 || _pg_owner="nobody"
    # The owner must reach the cluster's dir: as root it goes under /tmp, whatever TMPDIR says.
    _pg_dir="$(mktemp -d /tmp/repair-coach-pg.XXXXXX)"
    chown "$_pg_owner" "$_pg_dir"
  else
    _pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/repair-coach-pg.XXXXXX")"
  fi

  if ! _pg_as_owner "$_pg_bin/initdb" -D "$_pg_dir/data" -U "$PG_TEST_USER" --auth=trust \
    -E UTF8 --locale=C --no-sync > "$_pg_dir/initdb.log" 2>&1; then
    cat "$_pg_dir/initdb.log" >&2
    _pg_missing "initdb failed (output above)"
    stop_test_postgres
    return 0
  fi
  _pg_as_owner tee -a "$_pg_dir/data/postgresql.conf" > /dev/null <<EOF
# repair-coach test server: loopback only, socket in its own dir, durability off.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$_pg_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  # A free port can be taken between choosing it and binding it: try a few.
  for attempt in 1 2 3; do
    port="$(_pg_free_port)" || port=""
    [ -n "$port" ] || continue
    if _pg_as_owner "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -l "$_pg_dir/server.log" \
      -o "-p $port" -w -t 60 start > /dev/null 2>&1; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then
    cat "$_pg_dir/server.log" >&2 || true
    _pg_missing "the test PostgreSQL server did not start (its log is above)"
    stop_test_postgres
    return 0
  fi
  if ! "$_pg_bin/createdb" -h 127.0.0.1 -p "$port" -U "$PG_TEST_USER" "$PG_TEST_DB" >&2; then
    _pg_missing "creating the test database failed"
    stop_test_postgres
    return 0
  fi

  export REPAIR_COACH_TEST_DATABASE_URL="postgresql+asyncpg://$PG_TEST_USER:$PG_TEST_USER@127.0.0.1:$port/$PG_TEST_DB"
  unset REPAIR_COACH_TEST_DATABASE_MISSING
  ms=$(((${EPOCHREALTIME/./} - started) / 1000))
  echo "repair-coach: test PostgreSQL $(basename "$(dirname "$_pg_bin")") on 127.0.0.1:$port," \
    "ready in $((ms / 1000)).$(printf %03d $((ms % 1000))) s (stopped and removed when the" \
    "tests end)" >&2
}

_pg_is_ours() {
  [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "postgres" ]
}

stop_test_postgres() {
  local pid=""
  [ -n "$_pg_dir" ] || return 0
  if [ -f "$_pg_dir/data/postmaster.pid" ]; then
    pid="$(head -n 1 "$_pg_dir/data/postmaster.pid")"
    _pg_as_owner "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -m immediate -w -t 30 stop \
      > /dev/null 2>&1 || true
    # If pg_ctl could not stop it, end our own postmaster (and so its children) by its pid.
    if _pg_is_ours "$pid" && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
    # pg_ctl started it detached, so it is init's child: wait (at most 5 s) for init to reap it,
    # so that nothing of it is left, not even an exited process, when the tests end.
    for _ in $(seq 50); do
      _pg_is_ours "$pid" || break
      sleep 0.1
    done
  fi
  rm -rf "$_pg_dir"
  _pg_dir=""
}
