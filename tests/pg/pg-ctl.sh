#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A throwaway PostgreSQL for the tests: initdb + pg_ctl in a temp dir,
# loopback only, trust auth, a fresh database per test.
#   pg-ctl.sh start DIR       start the cluster (once per ctest run)
#   pg-ctl.sh stop DIR        stop it and remove DIR
#   pg-ctl.sh run DIR CMD...  run CMD with SERTEL_TEST_DB set to a new database
set -eu
action=$1; DIR=$2; shift 2

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "pg-ctl: PostgreSQL server binaries not found" >&2; exit 1; }

# initdb refuses to run as root: run the server as the postgres user.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $action in
start)
	[ -f "$DIR/port" ] && as_pg "$bindir/pg_ctl" -D "$DIR/data" stop -m immediate >/dev/null 2>&1 || true
	rm -rf "$DIR"
	mkdir -p "$DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	as_pg "$bindir/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 ||
		{ cat "$DIR/initdb.log"; exit 1; }
	as_pg "$bindir/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
		-o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >/dev/null ||
		{ cat "$DIR/server.log"; exit 1; }
	echo "$port" > "$DIR/port"
	echo "pg-ctl: PostgreSQL on 127.0.0.1:$port"
	;;
stop)
	as_pg "$bindir/pg_ctl" -D "$DIR/data" stop -m fast >/dev/null 2>&1 || true
	rm -rf "$DIR"
	echo "pg-ctl: stopped"
	;;
run)
	port=$(cat "$DIR/port")
	db="t_$(date +%s%N)_$$"
	as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
	SERTEL_TEST_DB="postgresql://postgres@127.0.0.1:$port/$db"
	export SERTEL_TEST_DB
	set +e
	"$@"
	rc=$?
	set -e
	as_pg "$bindir/dropdb" -h 127.0.0.1 -p "$port" -U postgres --force "$db" >/dev/null 2>&1 || true
	exit $rc
	;;
*)
	echo "usage: pg-ctl.sh start|stop|run DIR [CMD...]" >&2
	exit 2
	;;
esac
