#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The portal under load (issue 10): pages per second and latency of the
# operator's queue (GET /portal/antrian, also filtered by type and agency)
# and of the application page (GET /portal/permohonan/{id}, a random id
# each request) with APPS (10,000) applications in the store and SESSIONS
# (50) logged-in operators, WRK_CONNS (50) connections, on SQLite and on a
# throwaway PostgreSQL (tests/pg/pg-ctl.sh).  Baselines, under the same
# load: the queue page's own HTML as a file, served by sertel's /static/
# (the same server without store and templates: the upper bound) and by
# lighttpd when it is installed (a plain Debian web server).
#
#   bench/portal/run.sh BUILD_DIR    (or: run.sh SERTEL WORK, as bench/run.sh)
#
# Writes BUILD_DIR/bench/portal/results.md (the table bench/run.sh puts
# into docs/BENCHMARKS.md) and one .env per engine.  Fails when a check
# fails (a session refused, a page not what a user sees) or any measured
# answer is not 200; never because something is slow.
#
# Tunables: APPS (10000) SESSIONS (50) WRK_THREADS (2) WRK_CONNS (50)
# DURATION (10) WARMUP (2) BENCH_SQLITE (1; 0 skips SQLite) BENCH_PG (1; 0
# skips PostgreSQL) BENCH_BASELINE
# (1; 0 skips both baselines) SERTEL_THREADS API_WORKERS; SERTEL and
# PORTAL_SEED (the tools, default BUILD_DIR/sertel and
# BUILD_DIR/tests/portal-bench-seed).  The smoke test (ctest -L bench-smoke)
# runs APPS=200 SESSIONS=5 DURATION=3 on SQLite alone.
set -eu
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH_ROOT/.." && pwd)
if [ -f "${1:?usage: bench/portal/run.sh BUILD_DIR | SERTEL WORK}" ] && [ -x "$1" ]; then
	# As bench/run.sh calls every benchmark: SERTEL WORK.
	S=$1
	BUILD=$(cd "$(dirname "$1")" && pwd)
	WORK=${2:?usage: bench/portal/run.sh SERTEL WORK}
else
	mkdir -p "$1"
	BUILD=$(cd "$1" && pwd)
	S=${SERTEL:-$BUILD/sertel}
	WORK=$BUILD/bench/portal
fi
SEED=${PORTAL_SEED:-$BUILD/tests/portal-bench-seed}
for t in "$S" "$SEED"; do
	[ -x "$t" ] || { echo "bench/portal: $t not found: build first" >&2; exit 2; }
done
for t in wrk curl openssl python3; do
	command -v $t >/dev/null 2>&1 || { echo "bench/portal: $t missing" >&2; exit 2; }
done
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-50}
export APPS=${APPS:-10000} SESSIONS=${SESSIONS:-50} WRK_THREADS WRK_CONNS
export BENCH_ROOT BENCH_BASELINE=${BENCH_BASELINE:-1}
. "$BENCH_ROOT/lib.sh"
export DURATION WARMUP
rm -rf "$WORK"
bench_init portal
PGDIR=$WORK/pgcluster
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
rc=0

if [ "${BENCH_SQLITE:-1}" != 0 ]; then
	log "sqlite: $APPS applications, $SESSIONS sessions"
	sh "$BENCH_ROOT/portal/engine.sh" "$S" "$SEED" "$WORK" sqlite || rc=1
fi
if [ "${BENCH_PG:-1}" != 0 ]; then
	log "postgresql: starting a throwaway cluster"
	if sh "$ROOT/tests/pg/pg-ctl.sh" start "$PGDIR" >"$WORK/pg-start.log" 2>&1; then
		pg_started=1
		BENCH_PG_PIDFILE=$PGDIR/data/postmaster.pid
		export BENCH_PG_PIDFILE
		# pg-ctl.sh run: a fresh database, its URL in SERTEL_TEST_DB.
		sh "$ROOT/tests/pg/pg-ctl.sh" run "$PGDIR" sh -c \
			'exec sh "$0/portal/engine.sh" "$1" "$2" "$3" pg "$SERTEL_TEST_DB"' \
			"$BENCH_ROOT" "$S" "$SEED" "$WORK" || rc=1
		sh "$ROOT/tests/pg/pg-ctl.sh" stop "$PGDIR" >/dev/null 2>&1 || true
		pg_started=0
	else
		log "postgresql: did not start (see $WORK/pg-start.log)"
		rc=1
	fi
fi

# lighttpd serving the same queue page's bytes (the SQLite run's), under
# the same load: what a plain web server does with a file of that size.
LT=""
if [ "$BENCH_BASELINE" != 0 ] && command -v lighttpd >/dev/null 2>&1 &&
	[ -s "$WORK/${BENCH_LT_PAGE:-sqlite}/queue.html" ]; then
	LT=$WORK/lighttpd
	mkdir -p "$LT/www"
	cp "$WORK/${BENCH_LT_PAGE:-sqlite}/queue.html" "$LT/www/antrian.html"
	LPORT=$(free_port)
	cat >"$LT/lighttpd.conf" <<EOF
server.document-root = "$LT/www"
server.bind = "127.0.0.1"
server.port = $LPORT
server.errorlog = "$LT/error.log"
mimetype.assign = (".html" => "text/html; charset=utf-8")
EOF
	lighttpd -D -f "$LT/lighttpd.conf" >"$LT/stdout.log" 2>&1 &
	LPID=$!
	track_pid "$LPID"
	wait_http "http://127.0.0.1:$LPORT/antrian.html" 10 || { log "lighttpd did not start"; LT=""; }
	if [ -n "$LT" ]; then
		BENCH_PATH=/antrian.html BENCH_OUT=$LT/warm BENCH_THREADS=$WRK_THREADS \
			wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" --timeout 10s \
			-s "$BENCH_ROOT/portal/get.lua" "http://127.0.0.1:$LPORT" >/dev/null 2>&1 || true
		t0=$(cpu_ticks "$LPID")
		m0=$(machine_ticks)
		(
			BENCH_PATH=/antrian.html BENCH_OUT=$LT/out BENCH_THREADS=$WRK_THREADS \
				wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${DURATION}s" --timeout 10s \
				-s "$BENCH_ROOT/portal/get.lua" "http://127.0.0.1:$LPORT" >"$LT/out.wrk" 2>&1 || true
			times >"$LT/out.times"
		)
		echo "wrk_ticks=$(times_ticks "$LT/out.times")" >>"$LT/out"
		load_report "$LT/out" "$(kv "$LT/out" duration_s)" $(($(cpu_ticks "$LPID") - t0)) \
			$(($(machine_ticks) - m0)) >>"$LT/out"
		stop_pid "$LPID"
	fi
fi

# ---- the report -------------------------------------------------------------
py_ver=$(python3 -c 'import platform; print(platform.freedesktop_os_release().get("PRETTY_NAME", "?"))' 2>/dev/null || echo "?")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 + 0.5 }' /proc/meminfo)
lt_ver=$(lighttpd -v 2>/dev/null | head -n 1 | cut -d' ' -f1 || true)
python3 - "$WORK" "$APPS" "$SESSIONS" "$WRK_THREADS" "$WRK_CONNS" "$DURATION" "$WARMUP" \
	"$(nproc) x $cpu ($mem), $py_ver, Linux $(uname -r)" "$("$S" --version 2>/dev/null | head -n 1)" \
	"$LT" "$lt_ver" >"$WORK/results.md" <<'EOF'
import os, sys, time
w, apps, sess, th, conns, dur, warm, machine, ver, lt, ltver = sys.argv[1:12]
def env(path):
    d = {}
    try:
        for line in open(path):
            k, _, v = line.rstrip("\n").partition("=")
            d[k] = v
    except FileNotFoundError:
        pass
    return d
engines = [(e, env(f"{w}/{e}.env")) for e in ("sqlite", "pg") if os.path.exists(f"{w}/{e}.env")]
pages = [("queue", "GET /portal/antrian"),
         ("filter", "GET /portal/antrian?jenis=sistem&instansi=…"),
         ("app", "GET /portal/permohonan/{id} (random id)"),
         ("static", "the queue page's HTML as a file, sertel /static/")]
names = {"sqlite": "SQLite (WAL)", "pg": "PostgreSQL"}
print(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine}; {ver}.")
print()
print(f"Data: {apps} applications (individu, jabatan, sistem in turn; 60% submitted, 10% each "
      f"draft, returned, rejected, approved; each with its letters), {int(apps) // 10} applicants in 5 agencies, "
      f"{sess} operator sessions. Load: wrk -t{th} -c{conns}, {warm} s warm-up then {dur} s measured per page, "
      f"each request with one of the {sess} session cookies in turn.")
print()
print("| page | store | pages/s | p50 ms | p99 ms | non-200 | server CPU (cores) | other load (cores) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for key, label in pages:
    for e, d in engines:
        if f"{key}_ok_per_s" not in d:
            continue
        cpu = d.get(f"{key}_cpu_util", "")
        if e == "pg" and d.get(f"{key}_db_cpu"):
            cpu += " + " + d[f"{key}_db_cpu"] + " db"
        print(f"| {label} | {names[e]} | **{float(d[key + '_ok_per_s']):.0f}** | {d[key + '_lat_p50_ms']} | "
              f"{d[key + '_lat_p99_ms']} | {d[key + '_other']} | {cpu} | {d.get(key + '_other_load', '')} |")
ltd = env(f"{lt}/out") if lt else {}
if ltd.get("ok_per_s"):
    print(f"| the queue page's HTML as a file, {ltver} | - | **{float(ltd['ok_per_s']):.0f}** | "
          f"{ltd['lat_p50_ms']} | {ltd['lat_p99_ms']} | {ltd['other']} | {ltd.get('cpu_util', '')} | "
          f"{ltd.get('other_load', '')} |")
print()
print("| ratio | value |")
print("| --- | ---: |")
for e, d in engines:
    for key in ("queue", "app"):
        q = float(d.get(key + "_ok_per_s") or 0)
        st = float(d.get("static_ok_per_s") or 0)
        if q and st:
            print(f"| {key} page, {names[e]} / the same bytes from sertel /static/ | {q / st:.2f}x |")
        if q and ltd.get("ok_per_s"):
            print(f"| {key} page, {names[e]} / the same bytes from {ltver} | {q / float(ltd['ok_per_s']):.2f}x |")
print()
for e, d in engines:
    if d.get("status") != "ok":
        print(f"- {names[e]}: the run failed ({d.get('status', 'no status')}); no result.")
        continue
    p99 = max(float(d.get(k + "_lat_p99_ms") or 0) for k in ("queue", "filter", "app"))
    print(f"- {names[e]}: worst p99 of the three pages {p99:.1f} ms (target: under 50 ms): "
          f"{'met' if p99 < 50 else 'NOT met'}; data made in {d.get('seed_s', '?')} s; "
          f"queue page {d.get('queue_bytes', '?')} bytes, {d.get('rows', '?')} rows.")
EOF
cat "$WORK/results.md"
for e in sqlite pg; do
	[ -f "$WORK/$e.env" ] || continue
	grep -q '^status=ok$' "$WORK/$e.env" || { echo "bench/portal: $e: $(grep '^status=' "$WORK/$e.env")" >&2; rc=1; }
done
exit "$rc"
