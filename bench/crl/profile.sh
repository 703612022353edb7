#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Where does `sertel crl` spend its time with a million revoked entries?
# Not part of `make bench` (needs perf, strace and root or
# perf_event_paranoid <= 1).
#
#   sh bench/crl/profile.sh SERTEL WORK
#
# Uses WORK/sertel-inst when bench/crl/run.sh left one there (e.g. WORK =
# BUILD/bench/crl), else makes one with CRL_ENTRIES (1000000) revoked
# certificates like run.sh.  Then:
#   1. `perf record --call-graph dwarf` of one `sertel crl`: on-CPU time
#      per phase (perf-phases.py crl);
#   2. `perf stat` of another: its I/O system calls; `strace -c -w` of a
#      third: wall time in its writes and syncs;
#   3. the revoked-list query alone with the sqlite3 shell on a copy of the
#      database: as sertel runs it (partial index on (issuer_id, serial),
#      one certs row fetched per entry), and with a covering partial index
#      (issuer_id, serial, revoked_at, reason) that needs no row fetches.
set -eu
SERTEL=$1 WORK=$2
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${CRL_ENTRIES:-1000000}
FREQ=${PERF_FREQ:-999}
for t in perf strace sqlite3 jq; do
	command -v "$t" >/dev/null || { echo "profile: $t not installed" >&2; exit 2; }
done
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
inst=$WORK/sertel-inst
prof=$WORK/profile
rm -rf "$prof"
mkdir -p "$prof"
if [ ! -s "$inst/sertel.db" ]; then
	"$SERTEL" init --dir "$inst" --algo ec-p256 >/dev/null
	issuer=$("$SERTEL" ca export --dir "$inst" --json | jq -r .issuing.id)
	python3 "$BENCH_ROOT/crl/gen.py" "$N" "$inst/sertel.db" "$issuer" "$prof/index.txt" \
		"$prof/serials.txt" >/dev/null
fi
issuer=$("$SERTEL" ca export --dir "$inst" --json | jq -r .issuing.id)
n=$(sqlite3 "$inst/sertel.db" "SELECT count(*) FROM certs WHERE issuer_id = '$issuer' AND revoked = 1")

echo "== on-CPU time of one \`sertel crl\` by phase ($n entries; perf record, ${FREQ} Hz)"
/usr/bin/time -f '%e s wall, %U s user, %S s sys, %M KB max RSS' -o "$prof/time.txt" \
	perf record -q -F "$FREQ" --call-graph dwarf,16384 -o "$prof/perf.data" -- \
	"$SERTEL" crl --dir "$inst" --out "$prof/crl.der" >/dev/null 2>&1
perf script -i "$prof/perf.data" -F comm,tid,ip,sym 2>/dev/null |
	python3 "$BENCH_ROOT/ocsp/perf-phases.py" crl | sed -n '1,/^$/p'
echo "(under perf: $(cat "$prof/time.txt"))"
echo

echo "== system calls of one \`sertel crl\` (perf stat counts; strace -c -w: wall time in the writes and syncs)"
perf stat -x, -o "$prof/stat.csv" -e syscalls:sys_enter_pread64,syscalls:sys_enter_pwrite64 \
	-e syscalls:sys_enter_write,syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync \
	-- "$SERTEL" crl --dir "$inst" --out "$prof/crl.der" >/dev/null 2>&1
awk -F, '$3 != "" { printf "%-36s %10s\n", $3, $1 }' "$prof/stat.csv"
strace -f -c -w --seccomp-bpf -o "$prof/strace.txt" \
	-e trace=pwrite64,write,fdatasync,fsync,ftruncate \
	"$SERTEL" crl --dir "$inst" --out "$prof/crl.der" >/dev/null 2>&1
sed -n '1,10p' "$prof/strace.txt"
echo

echo "== the revoked-list query alone (sqlite3 shell, copy of the database)"
cp "$inst/sertel.db" "$prof/copy.db"
q="SELECT count(*), sum(length(serial)), sum(revoked_at), sum(reason) FROM
   (SELECT serial, revoked_at, reason FROM certs INDEXED BY %s
    WHERE issuer_id = '$issuer' AND revoked = 1 ORDER BY serial)"
for idx in certs_issuer_revoked certs_revoked_cover; do
	if [ "$idx" = certs_revoked_cover ]; then
		sqlite3 "$prof/copy.db" "CREATE INDEX certs_revoked_cover ON certs
			(issuer_id, serial, revoked_at, reason) WHERE revoked = 1"
	fi
	# shellcheck disable=SC2059 # the index name goes into the query
	sql=$(printf "$q" "$idx")
	sqlite3 "$prof/copy.db" "$sql" >/dev/null # once to warm the page cache
	/usr/bin/time -f '%e s wall, %U s user, %S s sys' -o "$prof/q.txt" \
		sqlite3 "$prof/copy.db" "$sql" >/dev/null
	echo "$idx: $(cat "$prof/q.txt")"
done
echo "index sizes (MB): $(sqlite3 "$prof/copy.db" "SELECT group_concat(name || ' ' || mb, ', ')
	FROM (SELECT name, count(*) * 4096 / 1048576 AS mb FROM dbstat
	WHERE name IN ('certs_issuer_revoked', 'certs_revoked_cover') GROUP BY name)" \
	2>/dev/null || echo "n/a (no dbstat)")"
rm -f "$prof/copy.db"
