#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every sertel benchmark, bounded in time; `make bench` runs
#   sh bench/run.sh build
#
#   bench/run.sh BUILD_DIR [BENCHMARK...]
#
# BENCHMARK: issue, ocsp, crl, sign, portal (default: all of them, in that
# order).
#
# BUILD_DIR holds the built `sertel` (override with SERTEL=/path/to/sertel);
# scratch data and raw results go to BUILD_DIR/bench/.  The results table
# is printed and written into docs/BENCHMARKS.md between its
# "bench/issue results" markers (BENCH_DOCS=0 leaves the file alone).
#
# Benchmarks report numbers; none fails because something is slow.  The
# exit status is non-zero only when a benchmark could not run or a
# correctness check (certificates stored = certificates answered) failed.
# Every server a benchmark starts is stopped, also on Ctrl-C.
#
# Tunables (environment): WRK_THREADS WRK_CONNS WARMUP DURATION
# OPENSSL_CA_SECONDS OPENSSL_CA_MAX SERTEL_THREADS BENCH_PG BENCH_CFSSL_DB
# BENCH_WAIT_IDLE BENCH_TIMEOUT; see bench/issue/run.sh.  bench/ocsp and
# bench/crl: SPEED_SECONDS CRL_ENTRIES BENCH_OCSP_TIMEOUT BENCH_CRL_TIMEOUT;
# see bench/ocsp/run.sh and bench/crl/run.sh.  Their tables go between
# their own "bench/ocsp results" and "bench/crl results" markers.
set -eu
BUILD=${1:?usage: bench/run.sh BUILD_DIR [issue] [ocsp] [crl] [sign] [portal] [report]}
shift
BENCHES=${*:-issue ocsp crl sign portal report}
for b in $BENCHES; do
	case $b in
	issue | ocsp | crl | sign | portal | report) ;;
	*)
		echo "bench: unknown benchmark '$b' (issue, ocsp, crl, sign, portal, report)" >&2
		exit 2
		;;
	esac
done
want() { case " $BENCHES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
SERTEL=${SERTEL:-$BUILD/sertel}

if [ ! -x "$SERTEL" ]; then
	echo "bench: $SERTEL not found: build first (make build), or set SERTEL=" >&2
	exit 2
fi
missing=""
for t in wrk cfssl cfssljson openssl jq curl python3 sqlite3 timeout; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	echo "bench: missing tools:$missing (scripts/deps.sh test installs them)" >&2
	exit 2
fi

rc=0
if want issue; then
WORK=$BUILD/bench/issue
rm -rf "$WORK"
mkdir -p "$WORK"
# A hard bound on the whole issuance benchmark (it takes ~90 s); run.sh
# stops its servers on SIGTERM.
timeout -k 10 "${BENCH_TIMEOUT:-175}" sh "$ROOT/bench/issue/run.sh" "$SERTEL" "$WORK" || rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "bench: issuance benchmark exceeded ${BENCH_TIMEOUT:-175} s and was stopped" >&2
fi

if [ "${BENCH_DOCS:-1}" != 0 ] && [ -s "$WORK/results.md" ]; then
	python3 - "$ROOT/docs/BENCHMARKS.md" "$WORK/results.md" <<'EOF'
import sys
doc, res = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
begin = "<!-- bench/issue results: begin (written by bench/run.sh) -->"
end = "<!-- bench/issue results: end -->"
try:
    text = open(doc).read()
except FileNotFoundError:
    text = "# Benchmarks\n\n" + begin + "\n" + end + "\n"
if begin not in text or end not in text:
    text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w").write(head + begin + "\n" + res + "\n" + end + tail)
print("bench: results written to " + doc, file=sys.stderr)
EOF
fi
fi # want issue

# ---- bench/ocsp and bench/crl ---------------------------------------------
# write_results NAME RESULTS_MD: RESULTS_MD into docs/BENCHMARKS.md between
# the "bench/NAME results" markers (appended at the end when missing).
write_results() {
	[ "${BENCH_DOCS:-1}" != 0 ] && [ -s "$2" ] || return 0
	python3 - "$ROOT/docs/BENCHMARKS.md" "$2" "$1" <<'EOF'
import sys
doc, res, name = sys.argv[1], open(sys.argv[2]).read().rstrip("\n"), sys.argv[3]
begin = f"<!-- bench/{name} results: begin (written by bench/run.sh) -->"
end = f"<!-- bench/{name} results: end -->"
try:
    text = open(doc).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
if begin not in text or end not in text:
    text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w").write(head + begin + "\n" + res + "\n" + end + tail)
print(f"bench: {name} results written to {doc}", file=sys.stderr)
EOF
}

# run_bounded NAME SECONDS SCRIPT: one benchmark under a hard time bound,
# its raw results in BUILD/bench/NAME.  Ctrl-C or SIGTERM stops it (timeout
# passes the signal on to the benchmark's whole process group, whose
# scripts stop their servers) before this script exits.
bpid=""
trap 'if [ -n "$bpid" ]; then kill -TERM "$bpid" 2>/dev/null; wait "$bpid"; fi; exit 130' INT TERM
run_bounded() {
	_name=$1 _limit=$2 _script=$3
	_work=$BUILD/bench/$_name
	rm -rf "$_work"
	mkdir -p "$_work"
	_rc=0
	timeout -k 10 "$_limit" sh "$_script" "$SERTEL" "$_work" &
	bpid=$!
	wait "$bpid" || _rc=$?
	bpid=""
	if [ "$_rc" = 124 ] || [ "$_rc" = 137 ]; then
		echo "bench: $_name benchmark exceeded $_limit s and was stopped" >&2
	fi
	write_results "$_name" "$_work/results.md"
	[ "$_rc" = 0 ] || rc=1
}

# Each takes ~75 s; BENCH_WAIT_IDLE adds up to that many seconds per target.
idle=${BENCH_WAIT_IDLE:-0}
if want ocsp; then
	run_bounded ocsp "${BENCH_OCSP_TIMEOUT:-$((150 + 6 * idle))}" "$ROOT/bench/ocsp/run.sh"
fi
if want crl; then
	if [ ! -x /usr/bin/time ]; then
		echo "bench: crl needs /usr/bin/time (Debian: apt-get install time)" >&2
		rc=1
	else
		run_bounded crl "${BENCH_CRL_TIMEOUT:-$((150 + 2 * idle))}" "$ROOT/bench/crl/run.sh"
	fi
fi
# bench/sign: PDF signing (PAdES) next to podofosign and pdfsig, and a
# 100 MB PDF next to sha256sum; tunables SIGN_N OTHER_N BIG_MB REPEAT
# SIGN_PARTS (see bench/sign/run.sh), BENCH_SIGN_TIMEOUT.
if want sign; then
	run_bounded sign "${BENCH_SIGN_TIMEOUT:-$((300 + 2 * idle))}" "$ROOT/bench/sign/run.sh"
fi
# bench/portal: the portal's queue and application pages with 10,000
# applications and 50 sessions on SQLite and PostgreSQL, next to the same
# page's bytes as a file (sertel /static/, lighttpd); tunables APPS
# SESSIONS WRK_CONNS DURATION WARMUP BENCH_PG BENCH_BASELINE (see
# bench/portal/run.sh), BENCH_PORTAL_TIMEOUT.  The PostgreSQL data takes
# a few minutes to make (every application through ra_apply).
if want portal; then
	run_bounded portal "${BENCH_PORTAL_TIMEOUT:-$((900 + 4 * idle))}" "$ROOT/bench/portal/run.sh"
fi
# bench/report: `sertel report annual` for 20,000 ASN, 200 agencies and
# 60,000 certificates over a year, SQLite and PostgreSQL; tunables ASN
# AGENCIES CERTS BENCH_PG (see bench/report/run.sh), BENCH_REPORT_TIMEOUT.
if want report; then
	run_bounded report "${BENCH_REPORT_TIMEOUT:-900}" "$ROOT/bench/report/run.sh"
fi
exit "$rc"
