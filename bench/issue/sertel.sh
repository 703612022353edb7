#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One sertel issuance measurement:
#   sertel.sh SERTEL WORK LABEL CSR [DB_URL]
#
# Creates a fresh instance (ECDSA P-256 CA) in WORK/LABEL, an admin API
# token, starts `sertel serve`, warms up, then runs wrk for DURATION
# seconds against POST /api/v1/certificates.  After stopping the server it
# counts the certificates in the database and checks that every 201 wrk
# counted is there.  Writes WORK/LABEL.env (key=value).
#
# Environment: BENCH_ROOT, BENCH_PIDS (see ../lib.sh), WRK_*, DURATION,
# WARMUP; SERTEL_THREADS (overrides [server] threads of the new
# instance, default: as `sertel init` writes it); BENCH_PG_PIDFILE (the cluster's postmaster.pid, to count the
# database server's CPU).  With DB_URL empty the instance uses SQLite in
# WORK/LABEL.
set -eu
SERTEL=$1 WORK=$2 LABEL=$3 CSR=$4 DB_URL=${5:-}
. "$BENCH_ROOT/lib.sh"

target_init
rm -rf "$dir"

count_certs() {
	"$SERTEL" cert list --dir "$dir" --json | jq length
}

if [ -n "$DB_URL" ]; then
	"$SERTEL" init --dir "$dir" --algo ec-p256 --db "$DB_URL" >/dev/null || fail "sertel init failed"
else
	"$SERTEL" init --dir "$dir" --algo ec-p256 >/dev/null || fail "sertel init failed"
fi
token=$("$SERTEL" token create --dir "$dir" --name bench --role admin) || fail "token create failed"
jq -n --rawfile csr "$CSR" \
	'{csr: $csr, type: "individu", usages: "signing", cn: "Bench User"}' >"$dir.body.json"
# PostgreSQL's postmaster, to count its backends' CPU too.
PG_PID=""
if [ -n "$DB_URL" ] && [ -n "${BENCH_PG_PIDFILE:-}" ]; then
	PG_PID=$(head -n 1 "$BENCH_PG_PIDFILE" 2>/dev/null || true)
fi
if [ -n "${SERTEL_THREADS:-}" ]; then
	sed -i "s/^threads *=.*/threads = $SERTEL_THREADS/" "$dir/sertel.conf"
fi
threads=$(sed -n 's/^threads *= *//p' "$dir/sertel.conf" | head -n 1)

port=$(free_port)
url=http://127.0.0.1:$port
"$SERTEL" serve --dir "$dir" --listen "127.0.0.1:$port" >"$dir.serve.log" 2>&1 &
srv=$!
track_pid "$srv"
wait_http "$url/healthz" 10 || fail "server did not come up (see $dir.serve.log)"

run_wrk "$dir.warmup" "$url" /api/v1/certificates "$dir.body.json" "Bearer $token" "$WARMUP" ||
	fail "warm-up failed"
[ "$(kv "$dir.warmup" other)" = 0 ] || fail "warm-up got non-201 answers: $(kv "$dir.warmup" codes)"
sleep 0.5
before=$(count_certs)
t0=$(cpu_ticks "$srv")
m0=$(machine_ticks)
d0=0
if [ -n "$PG_PID" ]; then d0=$(tree_ticks "$PG_PID"); fi
run_wrk "$dir.run" "$url" /api/v1/certificates "$dir.body.json" "Bearer $token" "$DURATION" ||
	fail "measured run failed"
t1=$(cpu_ticks "$srv")
m1=$(machine_ticks)
d1=0
if [ -n "$PG_PID" ]; then d1=$(tree_ticks "$PG_PID"); fi
# A graceful stop lets requests still in flight when wrk quit finish.
stop_pid "$srv"
srv=""
after=$(count_certs)

ok=$(kv "$dir.run" ok)
stored=$((after - before))
# wrk stops with up to WRK_CONNS requests in flight: the server still
# completes (and stores) them, but wrk never counts their answers.
if [ "$(kv "$dir.run" other)" != 0 ]; then
	verdict="FAIL: non-201 answers $(kv "$dir.run" codes)"
elif [ "$stored" -lt "$ok" ]; then
	verdict="FAIL: $ok answered 201 but only $stored stored"
elif [ $((stored - ok)) -gt "$WRK_CONNS" ]; then
	verdict="FAIL: $stored stored but only $ok answered 201"
else
	verdict="ok"
fi
dur=$(kv "$dir.run" duration_s)
{
	echo "status=done"
	echo "threads=$threads"
	echo "rate=$(kv "$dir.run" ok_per_s)"
	echo "ok=$ok"
	echo "stored=$stored"
	echo "db_total=$after"
	echo "verify=$verdict"
	echo "p50_ms=$(kv "$dir.run" lat_p50_ms)"
	echo "p99_ms=$(kv "$dir.run" lat_p99_ms)"
	echo "errors=$(( $(kv "$dir.run" errors_socket) + $(kv "$dir.run" errors_timeout) ))"
	load_report "$dir.run" "$dur" $((t1 - t0)) $((m1 - m0)) $((d1 - d0))
} >>"$out"
case $verdict in ok) exit 0 ;; *) exit 1 ;; esac
