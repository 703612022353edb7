#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One sertel OCSP measurement:
#   sertel.sh SERTEL WORK LABEL INSTANCE REQ
#
# Starts `sertel serve` on the prepared INSTANCE (its issuing CA issued
# WORK/sertel-ee.pem; its CA certificates are in WORK/sertel-ca/), checks
# a sample answer (verifies against root.pem, says good, nonce echoed if
# REQ has one), warms up, then wrk posts REQ to /ocsp for DURATION
# seconds.  REQ without a nonce is answered from the pre-signed cache
# (the first request of the warm-up signs and stores it); REQ with a
# nonce is signed on demand every time.  Writes WORK/LABEL.env.
set -eu
SERTEL=$1 WORK=$2 LABEL=$3 INST=$4 REQ=$5
. "$BENCH_ROOT/lib.sh"
. "$BENCH_ROOT/ocsp/common.sh"

target_init

threads=$(sed -n 's/^threads *= *//p' "$INST/sertel.conf" | head -n 1)
port=$(free_port)
url=http://127.0.0.1:$port
"$SERTEL" serve --dir "$INST" --listen "127.0.0.1:$port" >"$dir.serve.log" 2>&1 &
srv=$!
track_pid "$srv"
wait_http "$url/healthz" 10 || fail "server did not come up (see $dir.serve.log)"

verdict=$(ocsp_check "$url" /ocsp "$REQ" "$WORK/sertel-ca/issuing.pem" \
	"$WORK/sertel-ee.pem" "$WORK/sertel-ca/root.pem" "$dir") || fail "$verdict"
ocsp_wrk "$dir.warmup" "$url" /ocsp "$REQ" "$WARMUP" || fail "warm-up failed"
[ "$(kv "$dir.warmup" other)" = 0 ] ||
	fail "warm-up got unsuccessful answers: $(kv "$dir.warmup" codes)"
sleep 0.5
res=$(ocsp_measure "$dir.run" "$url" /ocsp "$REQ" "$srv") || fail "measured run failed"
stop_pid "$srv"
srv=""
{
	echo "status=done"
	echo "threads=$threads"
	echo "$res"
	if [ "$(kv "$dir.run" other)" != 0 ]; then
		echo "verify=FAIL: unsuccessful answers $(kv "$dir.run" codes)"
	else
		echo "verify=$verdict"
	fi
} >>"$out"
case $(kv "$out" verify) in FAIL*) exit 1 ;; *) exit 0 ;; esac
