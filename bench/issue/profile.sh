#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Where does `sertel serve` spend its time while issuing?  Not part of
# `make bench` (needs perf and root or perf_event_paranoid <= 1).
#
#   sh bench/issue/profile.sh SERTEL WORK [DB_URL]
#
# Starts a fresh instance like bench/issue/sertel.sh, warms up, then runs
# wrk for DURATION seconds while
#   1. `perf record --call-graph dwarf` samples the server's on-CPU stacks
#      (first half of the run), and
#   2. `perf stat` counts its syscalls (second half): SQLite's
#      busy-handler sleeps (clock_nanosleep), fdatasync, pwrite64/pread64.
# Prints the on-CPU time per request phase (perf-buckets.py) and the
# syscall counts per issued certificate.  perf.data stays in WORK.
# Environment: DURATION (16), WARMUP (2), WRK_THREADS, WRK_CONNS,
# PERF_FREQ (499 Hz), SERTEL_THREADS (as in sertel.sh).
set -eu
SERTEL=$1 WORK=$2 DB_URL=${3:-}
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
DURATION=${DURATION:-16}
FREQ=${PERF_FREQ:-499}
command -v perf >/dev/null || { echo "profile: perf not installed (apt-get install linux-perf)" >&2; exit 2; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
BENCH_PIDS=$WORK/pids
: >"$BENCH_PIDS"
dir=$WORK/inst
rm -rf "$dir"
srv=""
wrkpid=""
cleanup() {
	[ -n "$wrkpid" ] && kill "$wrkpid" 2>/dev/null
	[ -n "$srv" ] && stop_pid "$srv"
	srv=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

if [ -n "$DB_URL" ]; then
	"$SERTEL" init --dir "$dir" --algo ec-p256 --db "$DB_URL" >/dev/null
else
	"$SERTEL" init --dir "$dir" --algo ec-p256 >/dev/null
fi
if [ -n "${SERTEL_THREADS:-}" ]; then
	sed -i "s/^threads *=.*/threads = $SERTEL_THREADS/" "$dir/sertel.conf"
fi
token=$("$SERTEL" token create --dir "$dir" --name bench --role admin)
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$WORK/req.key" -subj "/CN=bench" -out "$WORK/req.csr" 2>/dev/null
jq -n --rawfile csr "$WORK/req.csr" \
	'{csr: $csr, type: "individu", usages: "signing", cn: "Bench User"}' >"$WORK/body.json"
port=$(free_port)
url=http://127.0.0.1:$port
"$SERTEL" serve --dir "$dir" --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
srv=$!
track_pid "$srv"
wait_http "$url/healthz" 10
run_wrk "$WORK/warmup" "$url" /api/v1/certificates "$WORK/body.json" "Bearer $token" "$WARMUP"

run_wrk "$WORK/run" "$url" /api/v1/certificates "$WORK/body.json" "Bearer $token" "$DURATION" &
wrkpid=$!
sleep 1
half=$(((DURATION - 2) / 2))
perf record -q -F "$FREQ" --call-graph dwarf,16384 -p "$srv" -o "$WORK/perf.data" \
	-- sleep "$half" >/dev/null 2>&1
before=$("$SERTEL" cert list --dir "$dir" --json | jq length)
perf stat -x, -o "$WORK/stat.csv" -p "$srv" \
	-e syscalls:sys_enter_clock_nanosleep,syscalls:sys_enter_fdatasync \
	-e syscalls:sys_enter_fsync,syscalls:sys_enter_pwrite64 \
	-e syscalls:sys_enter_pread64,syscalls:sys_enter_futex,task-clock \
	-- sleep "$half" >/dev/null 2>&1
after=$("$SERTEL" cert list --dir "$dir" --json | jq length)
wait "$wrkpid" || true
wrkpid=""

echo "== on-CPU time of the server by phase (perf record, ${half} s, ${FREQ} Hz)"
perf script -i "$WORK/perf.data" -F comm,tid,ip,sym 2>/dev/null |
	python3 "$BENCH_ROOT/issue/perf-buckets.py"
echo
# Certificates stored during the perf stat window (give or take the
# ones committed while `cert list` ran).
n=$((after - before))
echo "== syscalls of the server during ${half} s, about $n certificates stored"
awk -F, -v n="$n" '$3 != "" {
	per = n ? $1 / n : 0
	printf "%-40s %10s  %6.2f per certificate\n", $3, $1, per }' "$WORK/stat.csv"
echo
echo "wrk: $(kv "$WORK/run" ok_per_s) certs/s, p50 $(kv "$WORK/run" lat_p50_ms) ms, p99 $(kv "$WORK/run" lat_p99_ms) ms (perf slows the server)"
