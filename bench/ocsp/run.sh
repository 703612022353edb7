#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# OCSP responses per second: sertel vs `openssl ocsp -port` vs
# `cfssl ocspserve`, on this machine, now.
#   bench/ocsp/run.sh SERTEL WORK
#
# Prepares (not measured):
#   - a sertel instance (ECDSA P-256 CAs, delegated ECDSA P-256 OCSP
#     responder) and one end-entity certificate it issued;
#   - a peer CA made with openssl for the other responders: ECDSA P-256
#     CA, a delegated ECDSA P-256 responder certificate (id-kp-OCSPSigning,
#     ocsp-nocheck), an end-entity certificate with a serial of the same
#     size as sertel's, index.txt listing it as valid, and one pre-signed
#     "good" answer from `cfssl ocspsign` for cfssl's responses file;
#   - for each CA two requests from `openssl ocsp -reqout`: one with
#     -no_nonce, one with a (16-octet) nonce.
# Then runs, one after the other (never two loads at once):
#   1. speed           `openssl speed -seconds 3 ecdsap256`: sign/s of one core
#   2. sertel          POST /ocsp without nonce: the pre-signed cache
#   3. sertel-nonce    POST /ocsp with a nonce: signed on demand
#   4. openssl         `openssl ocsp -port`, no nonce (it signs every answer)
#   5. openssl-nonce   the same with a nonce
#   6. cfssl           `cfssl ocspserve`, pre-signed answer from a file
# The HTTP targets get identical wrk settings (WRK_THREADS, WRK_CONNS,
# WARMUP, DURATION); before each, one sample answer is fetched and
# checked with `openssl ocsp -respin ... -CAfile` (verifies, "good", nonce
# echoed).  wrk counts an answer only when it is HTTP 200 with OCSP
# responseStatus successful.
#
# Writes WORK/results.env and WORK/results.md and prints the table.  It
# reports; it never fails on slowness.  Exit status 1 only when a target
# could not be measured or a check failed.
#
# Environment: WRK_THREADS (2) WRK_CONNS (16) WARMUP (2) DURATION (10)
#   SERTEL_THREADS (the instance's [server] threads; default: sertel's)
#   SPEED_SECONDS (3) BENCH_WAIT_IDLE (0; see bench/issue/run.sh)
set -eu
SERTEL=$1 WORK=$2
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
export WRK_THREADS WRK_CONNS DURATION WARMUP

bench_init ocsp

facts=$WORK/facts.env
{
	sh "$BENCH_ROOT/ocsp/facts.sh" "$SERTEL" "$WORK"
	echo "wrk_threads=$WRK_THREADS"
	echo "wrk_conns=$WRK_CONNS"
	echo "warmup=$WARMUP"
	echo "duration=$DURATION"
	echo "speed_seconds=${SPEED_SECONDS:-3}"
} >"$facts"

# ---- sertel: instance, end-entity certificate, requests -----------------
inst=$WORK/sertel-inst
rm -rf "$inst" "$WORK/sertel-ca" "$WORK/peer"
"$SERTEL" init --dir "$inst" --algo ec-p256 --base-url "http://127.0.0.1:$(free_port)" \
	>"$WORK/init.log" 2>&1 || die "sertel init (see $WORK/init.log)"
if [ -n "${SERTEL_THREADS:-}" ]; then
	sed -i "s/^threads *=.*/threads = $SERTEL_THREADS/" "$inst/sertel.conf"
fi
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$WORK/sertel-ee.key" -subj "/CN=ocsp bench" -out "$WORK/sertel-ee.csr" \
	2>/dev/null || die "openssl req"
"$SERTEL" cert issue --dir "$inst" --csr "$WORK/sertel-ee.csr" --type individu \
	--usage signing --cn "OCSP Bench" --out "$WORK/sertel-ee.pem" >>"$WORK/init.log" 2>&1 ||
	die "sertel cert issue (see $WORK/init.log)"
"$SERTEL" ca export --dir "$inst" --out "$WORK/sertel-ca" >>"$WORK/init.log" 2>&1 ||
	die "sertel ca export (see $WORK/init.log)"
openssl ocsp -issuer "$WORK/sertel-ca/issuing.pem" -cert "$WORK/sertel-ee.pem" -no_nonce \
	-reqout "$WORK/sertel-req.der" >/dev/null 2>&1 || die "openssl ocsp -reqout"
openssl ocsp -issuer "$WORK/sertel-ca/issuing.pem" -cert "$WORK/sertel-ee.pem" \
	-reqout "$WORK/sertel-req-nonce.der" >/dev/null 2>&1 || die "openssl ocsp -reqout"

# ---- the peer CA for openssl ocsp and cfssl ------------------------------
peer=$WORK/peer
mkdir -p "$peer"
cat >"$peer/ca.cnf" <<'CNF'
[ req ]
distinguished_name = dn
[ dn ]
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_ocsp ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_ee ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
(
	set -e
	cd "$peer"
	for k in ca ocsp ee; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $k.key
	done
	openssl req -new -x509 -config ca.cnf -key ca.key -days 3650 \
		-subj "/C=ID/O=Bench/CN=Bench OCSP peer CA" -extensions v3_ca -out ca.pem
	openssl req -new -config ca.cnf -key ocsp.key \
		-subj "/C=ID/O=Bench/CN=Bench OCSP responder" -out ocsp.csr
	openssl x509 -req -in ocsp.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 365 \
		-extfile ca.cnf -extensions v3_ocsp -out ocsp.pem
	openssl req -new -config ca.cnf -key ee.key -subj "/C=ID/O=Bench/CN=Bench EE" -out ee.csr
	# 0x01 + 16 random octets, as sertel's serials.
	serial=01$(openssl rand -hex 16 | tr a-f A-F)
	openssl x509 -req -in ee.csr -CA ca.pem -CAkey ca.key -set_serial "0x$serial" \
		-days 730 -extfile ca.cnf -extensions v3_ee -out ee.pem
	exp=$(date -u -d "$(openssl x509 -in ee.pem -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)
	printf 'V\t%s\t\t%s\tunknown\t%s\n' "$exp" "$serial" "/C=ID/O=Bench/CN=Bench EE" >index.txt
	echo "unique_subject = no" >index.txt.attr
	openssl ocsp -issuer ca.pem -cert ee.pem -no_nonce -reqout req.der
	openssl ocsp -issuer ca.pem -cert ee.pem -reqout req-nonce.der
	cfssl ocspsign -ca ca.pem -responder ocsp.pem -responder-key ocsp.key -cert ee.pem \
		-status good -interval 24h 2>cfssl-ocspsign.log | jq -r .ocspResponse >cfssl-responses.txt
	[ -s cfssl-responses.txt ] && [ "$(cat cfssl-responses.txt)" != null ]
) >"$WORK/peer.log" 2>&1 || die "peer CA material (see $WORK/peer.log)"
log "setup done"

# ---- the measurements ----------------------------------------------------
failed=0
run() {
	label=$1
	shift
	if [ "${BENCH_WAIT_IDLE:-0}" -gt 0 ]; then
		wait_idle "$BENCH_WAIT_IDLE"
	fi
	log "$label"
	if ! "$@"; then
		failed=1
		log "$label: FAILED ($(kv "$WORK/$label.env" status) $(kv "$WORK/$label.env" verify))"
	fi
	stop_tracked
}

run speed sh "$BENCH_ROOT/ocsp/speed.sh" "$WORK" speed
run sertel sh "$BENCH_ROOT/ocsp/sertel.sh" "$SERTEL" "$WORK" sertel "$inst" "$WORK/sertel-req.der"
run sertel-nonce sh "$BENCH_ROOT/ocsp/sertel.sh" "$SERTEL" "$WORK" sertel-nonce "$inst" \
	"$WORK/sertel-req-nonce.der"
run openssl sh "$BENCH_ROOT/ocsp/openssl-ocsp.sh" "$WORK" openssl "$peer/req.der"
run openssl-nonce sh "$BENCH_ROOT/ocsp/openssl-ocsp.sh" "$WORK" openssl-nonce "$peer/req-nonce.der"
run cfssl sh "$BENCH_ROOT/ocsp/cfssl.sh" "$WORK" cfssl "$peer/req.der"
total=$(elapsed "$bench_start")
log "done in ${total}s"

# ---- results -------------------------------------------------------------
res=$WORK/results.env
{
	cat "$facts"
	echo "bench_seconds=$total"
	for t in speed sertel sertel-nonce openssl openssl-nonce cfssl; do
		[ -f "$WORK/$t.env" ] || continue
		sed "s/^/$t./" "$WORK/$t.env"
	done
} >"$res"
python3 "$BENCH_ROOT/ocsp/report.py" "$res" >"$WORK/results.md"
cat "$WORK/results.md"
exit $failed
