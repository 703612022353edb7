#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The e-sign service through POST /api/v2/sign/pdf with concurrent clients
# (wrk, the same JSON body on every request: one-page PDFs, an ECDSA P-256
# owner key sealed under Argon2id at libsodium's INTERACTIVE level,
# opslimit 2 / memlimit 64 MiB):
#   1. calls/s with one file per call: bounded by the one Argon2id run per
#      call ([esign] parallel_unseal of them at a time, 64 MiB each);
#   2. signed files/s with FILES (50) files per call: one Argon2id run per
#      call, then a PAdES signature per file.
# Every response is counted by status; the run fails when any call is not
# 200 (correctness first), never because something is slow.
#
#   bench/esign/run.sh BUILD_DIR
#
# Tunables: DURATION (10 s) WARMUP (2 s) WRK_THREADS (2) CONNS (8)
# FILES (50) SERTEL_THREADS (8) PARALLEL_UNSEAL (2) VERIFY_AFTER_SIGN (0:
# the registry records no verdict, as the target measures signing).
# Short smoke run: DURATION=3 WARMUP=1 bench/esign/run.sh build
set -eu
BUILD=${1:?usage: bench/esign/run.sh BUILD_DIR}
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH_ROOT/.." && pwd)
S=${SERTEL:-$(cd "$BUILD" && pwd)/sertel}
[ -x "$S" ] || { echo "bench/esign: no sertel at $S" >&2; exit 2; }
for t in wrk curl jq python3; do
	command -v $t >/dev/null 2>&1 || { echo "bench/esign: $t missing" >&2; exit 2; }
done
. "$BENCH_ROOT/lib.sh"
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-8}
FILES=${FILES:-50}
W=$(cd "$BUILD" && pwd)/bench/esign
rm -rf "$W"
mkdir -p "$W"
BENCH_PIDS=$W/pids
: >"$BENCH_PIDS"
trap 'stop_tracked' EXIT INT TERM

I=$W/inst
PORT=$(free_port)
"$S" init --dir "$I" --org "Pemerintah Kota Bench" --base-url "http://127.0.0.1:$PORT" \
	--algo ec-p256 >/dev/null
cat >>"$I/sertel.conf" <<EOF

[server]
threads = ${SERTEL_THREADS:-8}
max_request_bytes = 1048576

[esign]
parallel_unseal = ${PARALLEL_UNSEAL:-2}
verify_after_sign = ${VERIFY_AFTER_SIGN:-0}
max_files = 100
EOF

# One owner with a server-sealed key, through the RA as in production.
A="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP=3274010101900001
OWNER=3274010202850003
PW='Bench-Passphrase-2026!'
printf '%s\n' "$PW" >"$W/pass.txt"
python3 "$ROOT/tests/esign/mkpdf.py" "$W/doc.pdf"
python3 "$ROOT/tests/esign/mkpdf.py" "$W/lamp.pdf" "lampiran"
"$S" agency add --dir "$I" --name "$A" --domain kominfo.bench.go.id >/dev/null
"$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.bench.go.id \
	--agency "$A" --roles pemohon,atasan >/dev/null
"$S" person appoint --dir "$I" $KADIS --role kepala-dinas >/dev/null
"$S" person add --dir "$I" --as $KADIS --nik $OP --name "Operator" --email op@kominfo.bench.go.id \
	--agency "$A" --roles pemohon >/dev/null
"$S" person appoint --dir "$I" --as $KADIS $OP --role operator-op >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/op.key" \
	-subj /CN=op -out "$W/op.csr" 2>/dev/null
"$S" cert issue --dir "$I" --csr "$W/op.csr" --type individu --usage signing --cn Operator \
	--nik $OP >/dev/null
"$S" person add --dir "$I" --nik $OWNER --name "Budi Santoso" --email budi@kominfo.bench.go.id \
	--agency "$A" --roles pemohon --superior $KADIS >/dev/null
# Attachments the RA requires: two letters and an identity scan (PNG).
python3 - "$W" <<'PY'
import struct, sys, zlib
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
rows = b''.join(b'\x00' + b'\x80' * 3 for _ in range(1))
open(sys.argv[1] + '/ktp.png', 'wb').write(b'\x89PNG\r\n\x1a\n' +
    chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) +
    chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
PY
APP=$("$S" ra apply --dir "$I" --as $OWNER --type individu --usage signing \
	--attach "pengantar=$W/lamp.pdf" --attach "rekomendasi=$W/lamp.pdf" \
	--attach "ktp=$W/ktp.png" --json | jq -r .id)
"$S" ra submit --dir "$I" --as $OWNER "$APP" >/dev/null
"$S" ra approve --dir "$I" --as $OP "$APP" >/dev/null
"$S" ra issue --dir "$I" "$APP" --as $OWNER --accept-agreement --generate-key \
	--passphrase-file "$W/pass.txt" >/dev/null
SECRET=$("$S" client add --dir "$I" --name bench --perms sign)
AUTH="Basic $(printf 'bench:%s' "$SECRET" | base64 -w0)"

python3 - "$W" "$OWNER" "$PW" "$FILES" <<'PY'
import base64, json, sys
w, nik, pw, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
f = base64.b64encode(open(w + "/doc.pdf", "rb").read()).decode()
props = [{"tampilan": "INVISIBLE", "reason": "bench"}]
for k, count in (("one", 1), ("bulk", n)):
    json.dump({"nik": nik, "passphrase": pw, "signatureProperties": props, "file": [f] * count},
              open("%s/%s.json" % (w, k), "w"))
PY

"$S" serve --dir "$I" --listen "127.0.0.1:$PORT" >"$W/serve.log" 2>&1 &
track_pid $!
wait_http "http://127.0.0.1:$PORT/healthz" 20 || { echo "bench/esign: server did not start" >&2; exit 2; }

# Correctness before speed: one bulk call, every file valid to sertel.
curl -s -o "$W/check.out" -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
	--data-binary "@$W/bulk.json" "http://127.0.0.1:$PORT/api/v2/sign/pdf"
[ "$(jq '.file | length' "$W/check.out")" = "$FILES" ] ||
	{ echo "bench/esign: bulk check failed: $(head -c 300 "$W/check.out")" >&2; exit 1; }
jq -r '.file[0]' "$W/check.out" | base64 -d >"$W/check.pdf"
"$S" verify --dir "$I" "$W/check.pdf" >/dev/null ||
	{ echo "bench/esign: signed file does not verify" >&2; exit 1; }

run() { # run NAME BODY -> prints ok_per_s, fails on any non-200
	BENCH_BODY=$2 BENCH_AUTH=$AUTH BENCH_PATH=/api/v2/sign/pdf BENCH_OUT=$W/$1.warm \
		wrk -t"${WRK_THREADS:-2}" -c"$CONNS" -d"${WARMUP}s" --timeout 30s \
		-s "$BENCH_ROOT/issue/post.lua" "http://127.0.0.1:$PORT" >/dev/null
	BENCH_BODY=$2 BENCH_AUTH=$AUTH BENCH_PATH=/api/v2/sign/pdf BENCH_OUT=$W/$1.out \
		wrk -t"${WRK_THREADS:-2}" -c"$CONNS" -d"${DURATION}s" --timeout 30s \
		-s "$BENCH_ROOT/issue/post.lua" "http://127.0.0.1:$PORT" >"$W/$1.wrk"
	if [ "$(sed -n 's/^other=//p' "$W/$1.out")" != 0 ]; then
		echo "bench/esign: $1: non-200 answers: $(sed -n 's/^codes=//p' "$W/$1.out")" >&2
		exit 1
	fi
	sed -n 's/^ok_per_s=//p' "$W/$1.out"
}
ONE=$(run one "$W/one.json")
BULK=$(run bulk "$W/bulk.json")
FPS=$(awk -v c="$BULK" -v f="$FILES" 'BEGIN { printf "%.1f", c * f }')
P50_1=$(sed -n 's/^lat_p50_ms=//p' "$W/one.out")
P50_B=$(sed -n 's/^lat_p50_ms=//p' "$W/bulk.out")
echo "| e-sign (POST /api/v2/sign/pdf, $CONNS clients, ${DURATION} s) | result | p50 latency |"
echo "|---|---:|---:|"
echo "| calls/s, 1 file per call (Argon2id 2 x 64 MiB each) | $ONE | $P50_1 ms |"
echo "| calls/s, $FILES files per call | $BULK | $P50_B ms |"
echo "| signed files/s, $FILES files per call | $FPS | |"
