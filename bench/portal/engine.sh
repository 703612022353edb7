#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One engine of bench/portal:
#   engine.sh SERTEL SEED WORK LABEL [DB_URL]
#
# A fresh instance in WORK/LABEL (SQLite there, or DB_URL), a Kepala Dinas
# and an operator with a certificate of their own (the CLI, as an office
# starts), then APPS applications and SESSIONS logged-in operators made by
# the seed tool (portal-bench-seed: src/ra and src/portal functions, no
# SQL).  Starts `sertel serve`, checks the pages are what a user sees
# (a full queue page of 50, an application page naming its id, every
# session accepted), then measures with wrk, one page after the other:
#   queue      GET /portal/antrian
#   filter     GET /portal/antrian?jenis=sistem&instansi=AGENCY
#   app        GET /portal/permohonan/{id}, a random id of the APPS each time
#   static     the queue page's HTML saved to a file and served by sertel's
#              own /static/ (no store, no template): the upper bound
# Writes WORK/LABEL.env (key=value: PAGE_ok_per_s, PAGE_p50, PAGE_p99,
# PAGE_other, PAGE_cpu, seed_s, ...).  Fails when a check fails or any
# measured answer is not 200.
#
# Environment: BENCH_ROOT, BENCH_PIDS (../lib.sh); APPS SESSIONS
# WRK_THREADS WRK_CONNS DURATION WARMUP SERTEL_THREADS API_WORKERS;
# BENCH_PG_PIDFILE (the cluster's postmaster.pid: its CPU is counted).
set -eu
SERTEL=$1 SEED=$2 WORK=$3 LABEL=$4 DB_URL=${5:-}
. "$BENCH_ROOT/lib.sh"
ROOT=$(cd "$BENCH_ROOT/.." && pwd)
APPS=${APPS:-10000}
SESSIONS=${SESSIONS:-50}
D=$WORK/$LABEL
ENV=$WORK/$LABEL.env
fail() {
	echo "bench/portal: $LABEL: $*" >&2
	echo "status=failed: $*" >>"$ENV"
	exit 1
}
rm -rf "$D"
mkdir -p "$D"
: >"$ENV"
I=$D/inst
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
set -- init --dir "$I" --org "Pemerintah Kota Bench" --base-url "$URL" --algo ec-p256
[ -n "$DB_URL" ] && set -- "$@" --db "$DB_URL"
"$SERTEL" "$@" >/dev/null || fail "sertel init failed"
# The templates and messages are the source tree's (a copy, so the
# static baseline's file can sit beside them without touching web/).
cp -r "$ROOT/web" "$D/web"
if [ -n "${SERTEL_THREADS:-}" ]; then
	sed -i "s/^threads *=.*/threads = $SERTEL_THREADS/" "$I/sertel.conf"
fi
cat >>"$I/sertel.conf" <<EOF

[server]
web_root = $D/web
EOF
if [ -n "${API_WORKERS:-}" ]; then
	echo "api_workers = $API_WORKERS" >>"$I/sertel.conf"
fi

KADIS=3274010101800001
OP=3274010101900001
A="Dinas Komunikasi dan Informatika Pusat"
q() { "$@" >/dev/null 2>"$D/cli.err" || fail "$(head -c 300 "$D/cli.err")"; }
q "$SERTEL" agency add --dir "$I" --name "$A" --domain kominfo.bench.go.id
q "$SERTEL" person add --dir "$I" --nik $KADIS --name "Kepala Dinas" \
	--email kadis@kominfo.bench.go.id --agency "$A" --roles pemohon
q "$SERTEL" person appoint --dir "$I" $KADIS --role kepala-dinas
q "$SERTEL" person add --dir "$I" --as $KADIS --nik $OP --name "Operator Utama" \
	--email op@kominfo.bench.go.id --agency "$A" --roles pemohon
q "$SERTEL" person appoint --dir "$I" --as $KADIS $OP --role operator-op
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$D/op.key" \
	-subj /CN=op -out "$D/op.csr" 2>/dev/null || fail "openssl req failed"
q "$SERTEL" cert issue --dir "$I" --csr "$D/op.csr" --type individu --usage signing \
	--cn "Operator Utama" --nik $OP
python3 "$ROOT/tests/esign/mkpdf.py" "$D/surat.pdf" "Surat pengantar" || fail "mkpdf failed"
python3 - "$D/ktp.png" <<'PY' || fail "png failed"
import struct, sys, zlib
w, h = 40, 25
rows = b"".join(b"\0" + b"".join(bytes([(x * 6) % 256, (y * 10) % 256, 160]) for x in range(w))
                for y in range(h))
def chunk(t, d):
    c = struct.pack(">I", len(d)) + t + d
    return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" +
    chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY

t0=$(now)
"$SEED" --dir "$I" --kadis $KADIS --operator $OP --pdf "$D/surat.pdf" --png "$D/ktp.png" \
	--out "$D" --apps "$APPS" --sessions "$SESSIONS" 2>"$D/seed.log" ||
	fail "seed failed: $(tail -n 3 "$D/seed.log")"
echo "seed_s=$(elapsed "$t0")" >>"$ENV"
[ "$(wc -l <"$D/ids")" = "$APPS" ] || fail "seed wrote $(wc -l <"$D/ids") ids, not $APPS"
[ "$(wc -l <"$D/cookies")" = "$SESSIONS" ] || fail "seed wrote too few sessions"
AGENCY=$(head -n 1 "$D/agency")

PG_PID=""
if [ -n "$DB_URL" ] && [ -n "${BENCH_PG_PIDFILE:-}" ]; then
	PG_PID=$(head -n 1 "$BENCH_PG_PIDFILE" 2>/dev/null || true)
fi
"$SERTEL" serve --dir "$I" --listen "127.0.0.1:$PORT" >"$D/serve.log" 2>&1 &
SRV=$!
track_pid "$SRV"
wait_http "$URL/healthz" 20 || fail "server did not start (see $D/serve.log)"

# Correctness first: what the benchmark measures is the real page.
get() { # get OUT PATH COOKIE -> status code
	curl -s -o "$1" -w '%{http_code}' -H "Cookie: sertel_sesi=$3" "$URL$2"
}
while read -r c; do
	[ "$(get "$D/check.html" /portal/antrian "$c")" = 200 ] ||
		fail "a seeded session was not accepted on /portal/antrian"
done <"$D/cookies"
C1=$(head -n 1 "$D/cookies")
get "$D/queue.html" /portal/antrian "$C1" >/dev/null
rows=$(grep -o 'href="/portal/permohonan/[0-9a-f]\{16\}"' "$D/queue.html" | wc -l)
want=$((APPS * 6 / 10))
[ "$want" -gt 50 ] && want=50
[ "$rows" -ge "$want" ] || fail "the queue page shows $rows applications, expected $want"
get "$D/filter.html" "/portal/antrian?jenis=sistem&instansi=$AGENCY" "$C1" >/dev/null
grep -q 'href="/portal/permohonan/[0-9a-f]\{16\}"' "$D/filter.html" ||
	fail "the filtered queue page shows no application"
ID=$(sed -n '7p' "$D/ids")
[ "$(get "$D/app.html" "/portal/permohonan/$ID" "$C1")" = 200 ] && grep -q "$ID" "$D/app.html" ||
	fail "the application page of $ID is not right"
[ "$(get /dev/null /portal/antrian "")" = 303 ] || fail "the queue without a session is not refused"
# The static baseline: the queue page's very bytes, as a file.
cp "$D/queue.html" "$D/web/bench-antrian.html"
echo "queue_bytes=$(wc -c <"$D/queue.html")" >>"$ENV"
echo "app_bytes=$(wc -c <"$D/app.html")" >>"$ENV"
echo "rows=$rows" >>"$ENV"

# measure NAME PATH: warm-up, then DURATION s; PAGE_* lines into ENV.
measure() {
	_out=$D/$1
	BENCH_PATH=$2 BENCH_IDS=$D/ids BENCH_COOKIES=$D/cookies BENCH_THREADS=$WRK_THREADS \
		BENCH_OUT=$_out.warm timeout --foreground -k 5 $((WARMUP + 30)) \
		wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" --timeout 10s \
		-s "$BENCH_ROOT/portal/get.lua" "$URL" >"$_out.warm.wrk" 2>&1 || true
	_t0=$(cpu_ticks "$SRV")
	_m0=$(machine_ticks)
	_d0=0
	[ -n "$PG_PID" ] && _d0=$(tree_ticks "$PG_PID")
	(
		BENCH_PATH=$2 BENCH_IDS=$D/ids BENCH_COOKIES=$D/cookies BENCH_THREADS=$WRK_THREADS \
			BENCH_OUT=$_out timeout --foreground -k 5 $((DURATION + 30)) \
			wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${DURATION}s" --timeout 10s \
			-s "$BENCH_ROOT/portal/get.lua" "$URL" >"$_out.wrk" 2>&1 || true
		times >"$_out.times"
	)
	[ -s "$_out" ] || fail "$1: wrk produced no summary (see $_out.wrk)"
	echo "wrk_ticks=$(times_ticks "$_out.times")" >>"$_out"
	_t1=$(cpu_ticks "$SRV")
	_m1=$(machine_ticks)
	_d1=0
	[ -n "$PG_PID" ] && _d1=$(tree_ticks "$PG_PID")
	load_report "$_out" "$(kv "$_out" duration_s)" $((_t1 - _t0)) $((_m1 - _m0)) \
		$((_d1 - _d0)) >>"$_out"
	for k in ok_per_s lat_p50_ms lat_p99_ms other errors_socket errors_timeout codes \
		cpu_util db_cpu other_load ok; do
		echo "$1_$k=$(kv "$_out" "$k")" >>"$ENV"
	done
	[ "$(kv "$_out" other)" = 0 ] && [ "$(kv "$_out" errors_timeout)" = 0 ] ||
		fail "$1: answers other than 200: $(kv "$_out" codes) (timeouts $(kv "$_out" errors_timeout))"
	[ "$(kv "$_out" ok)" -gt 0 ] || fail "$1: no page answered"
}
measure queue /portal/antrian
measure filter "/portal/antrian?jenis=sistem&instansi=$AGENCY"
measure app "/portal/permohonan/{id}"
if [ "${BENCH_BASELINE:-1}" != 0 ]; then
	measure static /static/bench-antrian.html
fi
# The sessions were still good at the end (none expired or was ended).
[ "$(get /dev/null /portal/antrian "$C1")" = 200 ] || fail "a session ended during the run"
stop_pid "$SRV"
echo "status=ok" >>"$ENV"
