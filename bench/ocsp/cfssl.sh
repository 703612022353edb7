#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One `cfssl ocspserve` measurement:
#   cfssl.sh WORK LABEL REQ
#
# cfssl's responder serves pre-signed answers from a responses file:
# run.sh signed one "good" answer for the peer end-entity certificate
# with `cfssl ocspsign` (same peer CA and delegated P-256 responder as
# `openssl ocsp`) into WORK/peer/cfssl-responses.txt.
#   cfssl ocspserve -address 127.0.0.1 -port P -responses FILE -loglevel 2
# (-loglevel 2: no log line per request; sertel logs none either.)
# cfssl cannot answer a nonce (its request parser rejects or ignores the
# extension), so only the pre-signed case is measured.
# Writes WORK/LABEL.env.
set -eu
WORK=$1 LABEL=$2 REQ=$3
. "$BENCH_ROOT/lib.sh"
. "$BENCH_ROOT/ocsp/common.sh"

peer=$WORK/peer
target_init

port=$(free_port)
url=http://127.0.0.1:$port
cfssl ocspserve -address 127.0.0.1 -port "$port" -responses "$peer/cfssl-responses.txt" \
	-loglevel 2 >"$dir.serve.log" 2>&1 &
srv=$!
track_pid "$srv"
wait_http "$url/" 10 || fail "cfssl ocspserve did not come up (see $dir.serve.log)"

verdict=$(ocsp_check "$url" / "$REQ" "$peer/ca.pem" "$peer/ee.pem" "$peer/ca.pem" "$dir") ||
	fail "$verdict"
ocsp_wrk "$dir.warmup" "$url" / "$REQ" "$WARMUP" || fail "warm-up failed"
[ "$(kv "$dir.warmup" other)" = 0 ] ||
	fail "warm-up got unsuccessful answers: $(kv "$dir.warmup" codes)"
sleep 0.5
res=$(ocsp_measure "$dir.run" "$url" / "$REQ" "$srv") || fail "measured run failed"
stop_pid "$srv"
srv=""
{
	echo "status=done"
	echo "$res"
	if [ "$(kv "$dir.run" other)" != 0 ]; then
		echo "verify=FAIL: unsuccessful answers $(kv "$dir.run" codes)"
	else
		echo "verify=$verdict"
	fi
} >>"$out"
case $(kv "$out" verify) in FAIL*) exit 1 ;; *) exit 0 ;; esac
