#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# One `openssl ocsp -port` measurement:
#   openssl-ocsp.sh WORK LABEL REQ
#
# The OpenSSL 3.0 responder on the peer CA made by run.sh (WORK/peer:
# ECDSA P-256 CA, delegated ECDSA P-256 responder with id-kp-OCSPSigning
# and ocsp-nocheck, index.txt listing the end-entity certificate as V):
#   openssl ocsp -port P -index index.txt -CA ca.pem -rsigner ocsp.pem
#                -rkey ocsp.key -nmin 60
# One process, one connection at a time, every answer signed (with or
# without a nonce), the connection closed after each answer (HTTP/1.0).
#
# A fresh responder for the warm-up and another for the measured run:
# when wrk stops it may leave a connection that was opened but never
# written to, and OpenSSL 3.0's responder then spins on it for good
# (openssl/openssl#31129), so a second wrk run against the same process
# would measure nothing.  Writes WORK/LABEL.env.
set -eu
WORK=$1 LABEL=$2 REQ=$3
. "$BENCH_ROOT/lib.sh"
. "$BENCH_ROOT/ocsp/common.sh"

peer=$WORK/peer
target_init

# start_responder LOG: a fresh responder in $srv, its URL in $url.
start_responder() {
	port=$(free_port)
	url=http://127.0.0.1:$port
	(cd "$peer" && exec openssl ocsp -port "$port" -index index.txt -CA ca.pem \
		-rsigner ocsp.pem -rkey ocsp.key -nmin 60) >"$1" 2>&1 &
	srv=$!
	track_pid "$srv"
	# Wait for the listening socket without connecting to it (an empty
	# connection would wedge the responder, see above).
	_n=0
	while [ $_n -lt 100 ]; do
		grep -q 'waiting for OCSP client connections' "$1" 2>/dev/null && return 0
		kill -0 "$srv" 2>/dev/null || return 1
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}

start_responder "$dir.warmup.log" || fail "openssl ocsp did not come up (see $dir.warmup.log)"
verdict=$(ocsp_check "$url" / "$REQ" "$peer/ca.pem" "$peer/ee.pem" "$peer/ca.pem" "$dir") ||
	fail "$verdict"
ocsp_wrk "$dir.warmup" "$url" / "$REQ" "$WARMUP" || fail "warm-up failed"
[ "$(kv "$dir.warmup" other)" = 0 ] ||
	fail "warm-up got unsuccessful answers: $(kv "$dir.warmup" codes)"
stop_pid "$srv"
srv=""

start_responder "$dir.run.log" || fail "openssl ocsp did not come up (see $dir.run.log)"
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
