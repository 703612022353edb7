#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The annual evaluation report (issue 13, Cirebon 23) for a region of ASN
# (20,000) civil servants in AGENCIES (200) agencies with CERTS (60,000)
# certificates issued over last year, plus their applications, returns and
# rejections, revocations, systems, incidents and complaints
# (report-bench-seed), on SQLite and on a throwaway PostgreSQL
# (tests/pg/pg-ctl.sh): wall time and peak memory of `sertel report annual`
# as JSON, CSV and the draft PDF, measured by /usr/bin/time -v (one run
# each after one warm-up run).  Target: under 5 s and under 300 MB.
#
#   bench/report/run.sh BUILD_DIR    (or: run.sh SERTEL WORK, as bench/run.sh)
#
# Writes BUILD_DIR/bench/report/results.md (the table bench/run.sh puts
# into docs/BENCHMARKS.md).  Fails when a check fails (the report's count
# of issued certificates is not CERTS, a PDF does not start %PDF-); never
# because something is slow.
#
# Tunables: ASN AGENCIES CERTS BENCH_SQLITE (1) BENCH_PG (1); SERTEL and
# REPORT_SEED (default BUILD_DIR/sertel, BUILD_DIR/tests/report-bench-seed).
# The smoke test (ctest -L bench-smoke) runs small numbers on SQLite.
set -eu
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH_ROOT/.." && pwd)
if [ -f "${1:?usage: bench/report/run.sh BUILD_DIR | SERTEL WORK}" ] && [ -x "$1" ]; then
	S=$1
	BUILD=$(cd "$(dirname "$1")" && pwd)
	WORK=${2:?usage: bench/report/run.sh SERTEL WORK}
else
	mkdir -p "$1"
	BUILD=$(cd "$1" && pwd)
	S=${SERTEL:-$BUILD/sertel}
	WORK=$BUILD/bench/report
fi
SEED=${REPORT_SEED:-$BUILD/tests/report-bench-seed}
for t in "$S" "$SEED" /usr/bin/time; do
	[ -x "$t" ] || { echo "bench/report: $t not found: build first" >&2; exit 2; }
done
command -v jq >/dev/null 2>&1 || { echo "bench/report: jq missing" >&2; exit 2; }
ASN=${ASN:-20000}
AGENCIES=${AGENCIES:-200}
CERTS=${CERTS:-60000}
YEAR=$(($(TZ=Asia/Jakarta date +%Y) - 1))
rm -rf "$WORK"
mkdir -p "$WORK"
PGDIR=$WORK/pgcluster
pg_started=0
cleanup() {
	if [ "$pg_started" = 1 ]; then
		sh "$ROOT/tests/pg/pg-ctl.sh" stop "$PGDIR" >/dev/null 2>&1 || true
		pg_started=0
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
log() { echo "bench: [report] $*" >&2; }
rc=0
: >"$WORK/rows"

# engine LABEL [DB_URL]: a fresh instance, the seed, the measurements.
engine() {
	label=$1
	db=${2:-}
	d=$WORK/$label
	mkdir -p "$d"
	set -- init --dir "$d/inst" --org "Pemerintah Kota Bench" --algo ec-p256
	[ -n "$db" ] && set -- "$@" --db "$db"
	"$S" "$@" >/dev/null || { log "$label: sertel init failed"; return 1; }
	t0=$(date +%s.%N)
	"$SEED" --dir "$d/inst" --year "$YEAR" --asn "$ASN" --agencies "$AGENCIES" \
		--certs "$CERTS" >"$d/seed.log" 2>&1 || { log "$label: seed failed: $(cat "$d/seed.log")"; return 1; }
	log "$label: seeded in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	for fmt in json csv pdf; do
		out=$d/report.$fmt
		set -- report annual --dir "$d/inst" --year "$YEAR" --out "$out"
		if [ "$fmt" = pdf ]; then set -- "$@" --draft; else set -- "$@" --format "$fmt"; fi
		"$S" "$@" >/dev/null 2>&1 || true # warm-up: caches, as a second run sees them
		if ! /usr/bin/time -v "$S" "$@" >/dev/null 2>"$d/time.$fmt"; then
			log "$label: report $fmt failed: $(tail -n 30 "$d/time.$fmt" | head -n 3)"
			return 1
		fi
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$d/time.$fmt" |
			awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$d/time.$fmt")
		cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$d/time.$fmt")
		load=$(cut -d' ' -f1 /proc/loadavg)
		echo "$label $fmt $wall $rss $(wc -c <"$out") $cpu $load" >>"$WORK/rows"
		log "$label: $fmt: $wall s, $((rss / 1024)) MB peak"
	done
	issued=$(jq '.figures.certificates.total.issued' "$d/report.json")
	[ "$issued" = "$CERTS" ] || { log "$label: the report counts $issued issued, seeded $CERTS"; return 1; }
	head -c 5 "$d/report.pdf" | grep -q '%PDF-' || { log "$label: the PDF is not a PDF"; return 1; }
	return 0
}

# The PostgreSQL run is a child of pg-ctl.sh: it sources the function.
{
	echo 'log() { echo "bench: [report] $*" >&2; }'
	sed -n '/^# engine LABEL/,/^}$/p' "$0"
} >"$WORK/engine.sh"

if [ "${BENCH_SQLITE:-1}" != 0 ]; then
	engine sqlite || rc=1
fi
if [ "${BENCH_PG:-1}" != 0 ]; then
	log "postgresql: starting a throwaway cluster"
	if sh "$ROOT/tests/pg/pg-ctl.sh" start "$PGDIR" >"$WORK/pg-start.log" 2>&1; then
		pg_started=1
		export S SEED WORK YEAR ASN AGENCIES CERTS
		sh "$ROOT/tests/pg/pg-ctl.sh" run "$PGDIR" sh -c \
			'. "$0"; engine pg "$SERTEL_TEST_DB"' "$WORK/engine.sh" || rc=1
		cleanup
	else
		log "postgresql: did not start (see $WORK/pg-start.log)"
		rc=1
	fi
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 + 0.5 }' /proc/meminfo)
{
	echo "Machine: $(nproc) x $cpu ($mem), Linux $(uname -r); $("$S" --version 2>/dev/null | head -n 1)."
	echo "Data: $ASN ASN in $AGENCIES agencies, $CERTS certificates issued over $YEAR (and their"
	echo "applications, returns, rejections, revocations, systems, incidents, complaints); measured"
	echo "$(date -u +%Y-%m-%d) by bench/report/run.sh, /usr/bin/time -v, the second of two runs."
	echo "sertel CPU: user + system time of the sertel process (on PostgreSQL the database"
	echo "server's own work is not in it); load average: of the machine at the end of the run."
	echo
	echo "| engine | output | wall time | sertel CPU | peak RSS | size | load average | target (< 5 s, < 300 MB) |"
	echo "|---|---|---:|---:|---:|---:|---:|---|"
	while read -r e f w r b c l; do
		ok=met
		awk -v w="$w" -v r="$r" 'BEGIN { exit !(w < 5 && r < 300 * 1024) }' || ok="**missed**"
		printf '| %s | %s | %s s | %s s | %d MB | %d KB | %s | %s |\n' "$e" "$f" "$w" "$c" \
			$((r / 1024)) $((b / 1024)) "$l" "$ok"
	done <"$WORK/rows"
} >"$WORK/results.md"
cat "$WORK/results.md"
exit $rc
