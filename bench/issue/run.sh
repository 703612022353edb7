#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issuance throughput: sertel vs cfssl vs openssl ca, on this machine, now.
#   bench/issue/run.sh SERTEL WORK
#
# Runs, one after the other (never two loads at once):
#   1. openssl ca   a shell loop of `openssl ca -batch` (index.txt)
#   2. cfssl        `cfssl serve`, POST /api/v1/cfssl/sign, nothing stored
#   3. cfssl+db     the same with cfssl's certdb on SQLite (durable)
#   4. sertel       `sertel serve` on SQLite (WAL, synchronous=FULL),
#                   POST /api/v1/certificates
#   5. sertel-pg    the same on a throwaway PostgreSQL cluster (fsync=on)
# All with ECDSA P-256 CA keys and one fixed P-256 CSR; the HTTP targets
# with identical wrk settings (WRK_THREADS, WRK_CONNS, WARMUP, DURATION).
# For sertel and cfssl+db the certificates in the database are counted
# after the server stopped and compared with the successes wrk counted.
#
# Writes WORK/results.env and WORK/results.md and prints the table.  It
# reports; it never fails on slowness.  Exit status 1 only when a target
# could not be measured or a stored-count check failed.
#
# Environment: WRK_THREADS (2) WRK_CONNS (16) WARMUP (2) DURATION (10)
#   SERTEL_THREADS (the instances' [server] threads; default: sertel's)
#   OPENSSL_CA_SECONDS (10) OPENSSL_CA_MAX (5000) BENCH_PG (1; 0 skips
#   PostgreSQL) BENCH_CFSSL_DB (1; 0 skips cfssl+db) BENCH_WAIT_IDLE (0:
#   before each target, wait up to this many seconds for the machine to
#   be idle; for shared machines, and mind the overall time bound)
set -eu
SERTEL=$1 WORK=$2
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH_ROOT/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
export WRK_THREADS WRK_CONNS DURATION WARMUP

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
BENCH_PIDS=$WORK/pids
export BENCH_PIDS
: >"$BENCH_PIDS"
PGDIR=$WORK/pg
pg_started=0

cleanup() {
	stop_tracked
	if [ "$pg_started" = 1 ]; then
		sh "$ROOT/tests/pg/pg-ctl.sh" stop "$PGDIR" >/dev/null 2>&1 || true
		pg_started=0
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

bench_start=$(now)
log() { echo "bench: [$(elapsed "$bench_start")s] $*" >&2; }

# ---- machine facts ------------------------------------------------------
facts=$WORK/facts.env
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "nproc=$(nproc)"
	echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel=$(uname -sr)"
	echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
	echo "openssl=$(openssl version | cut -d' ' -f1-2)"
	echo "cfssl=$(cfssl version 2>/dev/null | sed -n 's/^Version: //p') ($(cfssl version 2>/dev/null | sed -n 's/^Runtime: //p'))"
	echo "wrk=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
	echo "sqlite=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
	# shellcheck disable=SC2012 # the same lookup as tests/pg/pg-ctl.sh
	pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	echo "postgresql=$([ -n "$pgbin" ] && "$pgbin/postgres" --version | cut -d' ' -f3)"
	echo "sertel=$("$SERTEL" --version 2>/dev/null | cut -d' ' -f2)"
	echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "fs=$(df -PT "$WORK" | awk 'NR == 2 { print $2 " on " $1 }')"
	# What one durable commit costs here: 4 KiB write + fdatasync.
	echo "fsync_us=$(python3 - "$WORK" <<'EOF'
import os, sys, time
p = os.path.join(sys.argv[1], "fsync.probe")
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
t = time.perf_counter()
for _ in range(200):
    os.write(fd, b"x" * 4096)
    os.fdatasync(fd)
print(int((time.perf_counter() - t) / 200 * 1e6))
os.close(fd)
os.unlink(p)
EOF
)"
	echo "wrk_threads=$WRK_THREADS"
	echo "wrk_conns=$WRK_CONNS"
	echo "warmup=$WARMUP"
	echo "duration=$DURATION"
} >"$facts"

# ---- the request -------------------------------------------------------
CSR=$WORK/req.csr
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$WORK/req.key" -subj "/CN=bench" -out "$CSR" 2>/dev/null

failed=0
run() {
	label=$1
	shift
	if [ "${BENCH_WAIT_IDLE:-0}" -gt 0 ]; then
		wait_idle "$BENCH_WAIT_IDLE"
	fi
	log "$label"
	if ! "$@"; then
		failed=1
		log "$label: FAILED ($(kv "$WORK/$label.env" status) $(kv "$WORK/$label.env" verify))"
	fi
	stop_tracked
}

run openssl-ca sh "$BENCH_ROOT/issue/openssl-ca.sh" "$WORK" openssl-ca "$CSR"
run cfssl sh "$BENCH_ROOT/issue/cfssl.sh" "$WORK" cfssl "$CSR"
if [ "${BENCH_CFSSL_DB:-1}" != 0 ]; then
	run cfssl-db sh "$BENCH_ROOT/issue/cfssl.sh" "$WORK" cfssl-db "$CSR" db
fi
run sertel sh "$BENCH_ROOT/issue/sertel.sh" "$SERTEL" "$WORK" sertel "$CSR"

if [ "${BENCH_PG:-1}" != 0 ]; then
	log "sertel-pg: starting a throwaway PostgreSQL cluster"
	if sh "$ROOT/tests/pg/pg-ctl.sh" start "$PGDIR" >"$WORK/pg-start.log" 2>&1; then
		pg_started=1
		# pg-ctl.sh run: a fresh database, its URL in SERTEL_TEST_DB.
		BENCH_PG_PIDFILE=$PGDIR/data/postmaster.pid
		export BENCH_PG_PIDFILE
		# shellcheck disable=SC2016 # $SERTEL_TEST_DB: for the inner sh
		run sertel-pg sh "$ROOT/tests/pg/pg-ctl.sh" run "$PGDIR" \
			sh -c 'exec sh "$1" "$2" "$3" "$4" "$5" "$SERTEL_TEST_DB"' sh \
			"$BENCH_ROOT/issue/sertel.sh" "$SERTEL" "$WORK" sertel-pg "$CSR"
		sh "$ROOT/tests/pg/pg-ctl.sh" stop "$PGDIR" >/dev/null 2>&1 || true
		pg_started=0
	else
		log "sertel-pg: skipped, PostgreSQL did not start (see $WORK/pg-start.log)"
		echo "status=skipped: PostgreSQL did not start" >"$WORK/sertel-pg.env"
	fi
fi
total=$(elapsed "$bench_start")
log "done in ${total}s"

# ---- results -----------------------------------------------------------
res=$WORK/results.env
{
	cat "$facts"
	echo "bench_seconds=$total"
	for t in openssl-ca cfssl cfssl-db sertel sertel-pg; do
		[ -f "$WORK/$t.env" ] || continue
		sed "s/^/$t./" "$WORK/$t.env"
	done
} >"$res"
python3 "$BENCH_ROOT/issue/report.py" "$res" >"$WORK/results.md"
cat "$WORK/results.md"
exit $failed
