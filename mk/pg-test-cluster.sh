#!/bin/sh
# Runs a command beside a throwaway PostgreSQL cluster (make test, mk/postgres.mk):
#   sh mk/pg-test-cluster.sh swift test --skip-build --parallel
# The cluster lives in a new temporary folder, is owned by an unprivileged OS user (the
# current one, or `pakn-pg`, made if missing, when run as root: PostgreSQL refuses to run
# as root), listens on a Unix socket in that folder only (no TCP), and is stopped and
# removed when the command ends, whether it passed or failed. The command gets
#   PAKN_TEST_PG=postgres://<superuser>@/postgres?host=<socket folder>
# (the cluster's bootstrap superuser; tests make their own databases and roles in it).
set -eu

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "pg-test-cluster: no PostgreSQL server found under /usr/lib/postgresql (make deps installs it)" >&2
  exit 2
fi

if [ "$(id -u)" = 0 ]; then
  PG_USER=pakn-pg
  if ! id "$PG_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER"
  fi
  as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
  PG_USER=$(id -un)
  as_pg() { "$@"; }
fi

DIR=$(mktemp -d /tmp/pakn-pg.XXXXXX)
chmod 755 "$DIR"
mkdir "$DIR/data" "$DIR/sock" "$DIR/log"
[ "$(id -u)" = 0 ] && chown "$PG_USER" "$DIR/data" "$DIR/sock" "$DIR/log"
chmod 700 "$DIR/data"

stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT INT TERM

# Trust on the socket: the folder is this run's own, and the tests connect as the roles
# they make (officials) without passwords. One role, pakn_pw, must give a password
# (scram-sha-256), to test password logins and wrong credentials.
as_pg "$PG_BIN/initdb" -D "$DIR/data" -U "$PG_USER" -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=reject >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 2; }
{
  echo "local all pakn_pw scram-sha-256"
  echo "local all all trust"
} > "$DIR/hba"
as_pg sh -c "cat '$DIR/hba' > '$DIR/data/pg_hba.conf'"
as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -w -t 60 -l "$DIR/log/server.log" \
  -o "-c listen_addresses='' -k $DIR/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$DIR/log/server.log" >&2; exit 2; }

export PAKN_TEST_PG="postgres://$PG_USER@/postgres?host=$DIR/sock"
echo "pg-test-cluster: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $DIR/sock (owner $PG_USER)"
set +e
"$@"
rc=$?
set -e
exit $rc
