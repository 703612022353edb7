#!/bin/sh
# Every sertel benchmark, bounded in time; `make bench` runs
#   sh bench/run.sh build
#
#   bench/run.sh BUILD_DIR
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
# BENCH_WAIT_IDLE BENCH_TIMEOUT; see bench/issue/run.sh.
set -eu
BUILD=${1:?usage: bench/run.sh BUILD_DIR}
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

WORK=$BUILD/bench/issue
rm -rf "$WORK"
mkdir -p "$WORK"
# A hard bound on the whole issuance benchmark (it takes ~90 s); run.sh
# stops its servers on SIGTERM.
rc=0
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
exit "$rc"
