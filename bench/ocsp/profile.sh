#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Where does `sertel serve` spend its time answering OCSP?  Not part of
# `make bench` (needs perf and root or perf_event_paranoid <= 1).
#
#   sh bench/ocsp/profile.sh SERTEL WORK [nonce|cached]
#
# A fresh instance and end-entity certificate like bench/ocsp/run.sh;
# after a warm-up, wrk posts the request (with a nonce: signed on demand,
# the default; without: the pre-signed cache) for DURATION seconds while
#   1. `perf record --call-graph dwarf` samples the server's on-CPU stacks
#      (first half of the run), and
#   2. `perf stat` counts its context switches and syscalls (second half).
# Prints the on-CPU time per phase (perf-phases.py ocsp) and the counts
# per answer.  perf.data stays in WORK.
# Environment: DURATION (16), WARMUP (2), WRK_THREADS, WRK_CONNS,
# PERF_FREQ (499 Hz), SERTEL_THREADS (the instance's [server] threads).
set -eu
SERTEL=$1 WORK=$2 MODE=${3:-nonce}
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
. "$BENCH_ROOT/ocsp/common.sh"
DURATION=${DURATION:-16}
FREQ=${PERF_FREQ:-499}
command -v perf >/dev/null || { echo "profile: perf not installed (apt-get install linux-perf)" >&2; exit 2; }
case $MODE in nonce | cached) ;; *) echo "profile: mode is nonce or cached" >&2; exit 2 ;; esac

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
BENCH_PIDS=$WORK/pids
: >"$BENCH_PIDS"
dir=$WORK/inst
rm -rf "$dir" "$WORK/ca"
srv=""
wrkpid=""
cleanup() {
	[ -n "$wrkpid" ] && kill "$wrkpid" 2>/dev/null
	[ -n "$srv" ] && stop_pid "$srv"
	srv=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

"$SERTEL" init --dir "$dir" --algo ec-p256 >/dev/null
if [ -n "${SERTEL_THREADS:-}" ]; then
	sed -i "s/^threads *=.*/threads = $SERTEL_THREADS/" "$dir/sertel.conf"
fi
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$WORK/ee.key" -subj "/CN=ocsp bench" -out "$WORK/ee.csr" 2>/dev/null
"$SERTEL" cert issue --dir "$dir" --csr "$WORK/ee.csr" --type individu --usage signing \
	--cn "OCSP Bench" --out "$WORK/ee.pem" >/dev/null
"$SERTEL" ca export --dir "$dir" --out "$WORK/ca" >/dev/null
nonce=""
[ "$MODE" = cached ] && nonce=-no_nonce
# shellcheck disable=SC2086 # $nonce: empty or one option
openssl ocsp -issuer "$WORK/ca/issuing.pem" -cert "$WORK/ee.pem" $nonce \
	-reqout "$WORK/req.der" >/dev/null 2>&1

port=$(free_port)
url=http://127.0.0.1:$port
"$SERTEL" serve --dir "$dir" --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
srv=$!
track_pid "$srv"
wait_http "$url/healthz" 10
ocsp_wrk "$WORK/warmup" "$url" /ocsp "$WORK/req.der" "$WARMUP"

ocsp_wrk "$WORK/run" "$url" /ocsp "$WORK/req.der" "$DURATION" &
wrkpid=$!
sleep 1
half=$(((DURATION - 2) / 2))
perf record -q -F "$FREQ" --call-graph dwarf,16384 -p "$srv" -o "$WORK/perf.data" \
	-- sleep "$half" >/dev/null 2>&1
perf stat -x, -o "$WORK/stat.csv" -p "$srv" \
	-e task-clock,context-switches,cpu-migrations \
	-e syscalls:sys_enter_sendmsg,syscalls:sys_enter_recvfrom \
	-e syscalls:sys_enter_epoll_wait,syscalls:sys_enter_fcntl \
	-e syscalls:sys_enter_pread64,syscalls:sys_enter_futex \
	-e syscalls:sys_enter_newfstatat \
	-- sleep "$half" >/dev/null 2>&1
wait "$wrkpid" || true
wrkpid=""
rate=$(kv "$WORK/run" ok_per_s)

echo "== on-CPU time of the server by phase (perf record, ${half} s, ${FREQ} Hz, $MODE)"
perf script -i "$WORK/perf.data" -F comm,tid,ip,sym 2>/dev/null |
	python3 "$BENCH_ROOT/ocsp/perf-phases.py" ocsp
echo
# Answers during the perf stat window, estimated from wrk's average rate.
n=$(awk -v r="$rate" -v h="$half" 'BEGIN { printf "%d", r * h }')
echo "== the server during ${half} s, about $n answers (wrk's average rate)"
awk -F, -v n="$n" '$3 != "" {
	per = n ? $1 / n : 0
	printf "%-40s %14s  %8.2f per answer\n", $3, $1, per }' "$WORK/stat.csv"
echo
echo "wrk: $rate answers/s, p50 $(kv "$WORK/run" lat_p50_ms) ms, p99 $(kv "$WORK/run" lat_p99_ms) ms (perf slows the server)"
