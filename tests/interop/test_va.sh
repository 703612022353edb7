#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The validation authority over HTTP, judged by tools nobody here wrote:
# `sertel serve` on a loopback port named in the instance's --base-url, so
# the URLs inside the certificates (CRL DP, AIA OCSP and caIssuers) are the
# ones fetched.
#
#  1. OCSP (RFC 6960 / RFC 5019): `openssl ocsp` over POST with and without
#     a nonce and over GET (percent-encoded base64): good, then revoked
#     (reason, time) right after a `sertel cert revoke` in another process,
#     so a pre-signed "good" in the cache must not be served; RFC 5019
#     headers on GET, no-store on nonce'd answers, nonce echo; unknown
#     (same CA, serial not in the store), unauthorized (another CA),
#     malformedRequest for bad bodies, and the server keeps answering.
#  2. TSA (RFC 3161): `openssl ts -query/-verify/-reply` for SHA-256/384/
#     512; policy, nonce, accuracy, distinct serials; SHA-1 and MD5 are
#     rejected with badAlg, garbage with badDataFormat.
#  3. CRLs and CA certificates from the URLs in the certificates, checked
#     with `openssl crl`, `openssl x509` and `openssl verify -crl_check_all`.
#  4. 200 mixed OCSP requests from 20 parallel clients.
#  5. Revocation racing the first no-nonce queries for a certificate: no
#     stale pre-signed "good" once `sertel cert revoke` has returned.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
lib_setup va

export LC_ALL=C
S=$SERTEL_BIN
ORG="Pemerintah Kota Palembang"

# ---- helpers --------------------------------------------------------------
# issue DIR NAME CN: issues an individu certificate for a fresh P-256 key;
# writes $T/NAME.pem and prints the serial.
issue() {
	local dir=$1 name=$2 cn=$3
	make_csr "$T/$name.csr" ec-p256 "$cn" || return 1
	"$S" cert issue --dir "$dir" --csr "$T/$name.csr" --type individu --usage signing,email \
		--cn "$cn" --email "$name@palembang.go.id" --json >"$T/$name.json" 2>"$T/$name.err" || return 1
	jq -r .certificate "$T/$name.json" >"$T/$name.pem" || return 1
	jq -r .serial "$T/$name.json"
}

# http OUT HEADERS METHOD URL [curl args...]: prints the status code.
http() {
	local out=$1 hdr=$2 method=$3 url=$4
	shift 4
	curl -sS --max-time 20 -o "$out" -D "$hdr" -w '%{http_code}' -X "$method" "$@" "$url" 2>"$out.curlerr"
}
# header FILE NAME: the value of one response header (last one wins).
header() {
	tr -d '\r' <"$1" | awk -v n="$2" 'BEGIN { n = tolower(n) }
		{ i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^ +/, "", v); r = v } }
		END { print r }'
}
has_header() { [ -n "$(header "$1" "$2")" ]; }
# Epoch seconds from an HTTP date, an openssl date or an ISO 8601 time.
# Empty input gives nothing (date -d '' would be today's midnight).
epoch() { [ -n "$1" ] && date -u -d "$1" +%s 2>/dev/null; }

# ocsp OUT CERT [ISSUER_DIR] [openssl args...]: `openssl ocsp` against the
# server (POST), output (stdout and stderr) to OUT.
ocsp() {
	local out=$1 cert=$2
	shift 2
	timeout 30 openssl ocsp -issuer "$CA/issuing.pem" -cert "$cert" -url "$SERVER_URL/ocsp" \
		-CAfile "$CA/root.pem" -timeout 20 "$@" >"$out" 2>&1
}
# ocsp_expect DESC OUT CERT STATUS: openssl verified the response, and
# printed "CERT: STATUS".
ocsp_expect() {
	local desc=$1 out=$2 cert=$3 want=$4 got
	got=$(sed -n "s|^$cert: ||p" "$out")
	if grep -qx 'Response verify OK' "$out" && [ "$got" = "$want" ]; then
		pass "$desc: Response verify OK, $want"
	else
		fail "$desc: expected 'Response verify OK' and '$want', got: $(tr '\n' ' ' <"$out" | cut -c1-400)"
	fi
}
no_nonce_warning() {
	if grep -q 'WARNING: no nonce in response' "$1"; then
		fail "$2: openssl warns 'no nonce in response'"
	else
		pass "$2: the nonce is echoed (no 'no nonce in response' warning)"
	fi
}
# The percent-encoded base64 of a DER file (RFC 6960 A.1).
get_path() { base64 -w0 "$1" | sed 's/%/%25/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g'; }
# "revoked|reason|time" from an openssl ocsp output.
revoked_info() {
	local out=$1
	printf '%s|%s|%s\n' "$(sed -n 's/^[[:space:]]*Reason: //p' "$out")" \
		"$(sed -n 's/^[[:space:]]*Revocation Time: //p' "$out")" "$(grep -c 'Revocation Time:' "$out")"
}
# malformed DESC RESPFILE: the body is an OCSPResponse with responseStatus
# malformedRequest (1) and nothing else, as openssl and asn1parse see it.
is_malformed() {
	local desc=$1 f=$2
	if timeout 10 openssl ocsp -respin "$f" -resp_text -noverify 2>&1 | grep -q 'Responder Error: malformedrequest (1)'; then
		pass "$desc: openssl says 'Responder Error: malformedrequest (1)'"
	else
		fail "$desc: not malformedRequest to openssl: $(od -An -tx1 "$f" | head -c 120)"
	fi
	check_eq "$desc: asn1parse: SEQUENCE { ENUMERATED 1 }" "SEQUENCE|ENUMERATED:01" \
		"$(openssl asn1parse -inform DER -in "$f" 2>/dev/null | sed 's/.*\(cons\|prim\): *//; s/ *:/:/; s/ *$//' | paste -sd'|')"
}
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$SERVER_URL/healthz")" = 200 ]; }
# is_json_404 DESC URL: 404 with a JSON {error, code: not_found} body.
is_json_404() {
	local desc=$1 url=$2 code
	N=$((N + 1))
	code=$(http "$T/nf.$N" "$T/nf.$N.h" GET "$url")
	check_eq "$desc: HTTP 404" 404 "$code"
	if jq -e '(.error | type) == "string" and .code == "not_found"' "$T/nf.$N" >/dev/null 2>&1 &&
		header "$T/nf.$N.h" Content-Type | grep -q '^application/json'; then
		pass "$desc: JSON {error, code: not_found}"
	else
		fail "$desc: not a JSON not_found body: $(head -c 200 "$T/nf.$N")"
	fi
}
N=0

# ---- instances ---------------------------------------------------------
PORT=$(free_port) || die "no free port"
I=$T/inst
make_instance "$I" --org "$ORG" --base-url "http://127.0.0.1:$PORT" || die "init: $(cat "$I.init.err")"
CA=$T/ca
"$S" ca export --dir "$I" --out "$CA" >/dev/null 2>&1 || die "ca export failed"
"$S" ca export --dir "$I" --json >"$T/ca.json" 2>/dev/null || die "ca export --json failed"
ISSUING_ID=$(jq -r .issuing.id "$T/ca.json")
ROOT_ID=$(jq -r .root.id "$T/ca.json")
OCSP_ID=$(jq -r .ocsp.id "$T/ca.json")
for f in root issuing ocsp tsa chain; do [ -s "$CA/$f.pem" ] || die "ca export wrote no $f.pem"; done
case "$ISSUING_ID$ROOT_ID" in *[!0-9a-f]* | '') die "ca export --json: bad ids" ;; esac

REV_SERIAL=$(issue "$I" rev "Budi Santoso") || die "cert issue: $(cat "$T/rev.err")"
GOOD_SERIAL=$(issue "$I" good "Siti Aminah") || die "cert issue: $(cat "$T/good.err")"
note "port $PORT, issuing $ISSUING_ID, root $ROOT_ID; rev $REV_SERIAL, good $GOOD_SERIAL"

# Another instance (another issuing CA): its certificates are nobody's here.
O=$T/other
make_instance "$O" --org "Pemerintah Kota Lain" --base-url "http://127.0.0.1:$(free_port)" ||
	die "init (second instance): $(cat "$O.init.err")"
"$S" ca export --dir "$O" --out "$T/oca" >/dev/null 2>&1 || die "ca export (second instance) failed"
issue "$O" foreign "Orang Lain" >/dev/null || die "cert issue (second instance): $(cat "$T/foreign.err")"

# A copy of this instance (same CA and keys, its own database): what it
# issues is signed by our issuing CA but its serial is not in our store.
# lib.sh copies a PostgreSQL database with CREATE DATABASE ... TEMPLATE,
# which needs no open connection to the source: done before the server
# starts, so this runs on both engines.
instance_copy "$I" "$T/copy" || die "instance_copy failed"
UNK_SERIAL=$(issue "$T/copy" unk "Tidak Dikenal") || die "cert issue (copy): $(cat "$T/unk.err")"
check "precondition: the copy's certificate verifies against our chain" \
	quiet openssl verify -CAfile "$CA/root.pem" -untrusted "$CA/issuing.pem" "$T/unk.pem"
check "precondition: the copy's serial is not in our store" \
	test "$("$S" cert show --dir "$I" "$UNK_SERIAL" >/dev/null 2>&1; echo $?)" != 0

server_start_port "$I" "$PORT" || die "sertel serve on port $PORT did not become healthy: $(tail -n 5 "$T/serve.log" 2>/dev/null)"
pass "server listening on $SERVER_URL"
check_eq "the certificate's AIA OCSP URL is this server's /ocsp" "$SERVER_URL/ocsp" \
	"$(openssl x509 -in "$T/rev.pem" -noout -ocsp_uri)"

# ==== 1. OCSP =============================================================
cd "$T" || die "cd $T"
ocsp o1 rev.pem
ocsp_expect "POST with nonce, before revocation" o1 rev.pem good
no_nonce_warning o1 "POST with nonce"
ocsp o2 rev.pem -no_nonce -respout pre_post.der
ocsp_expect "POST without nonce, before revocation" o2 rev.pem good

# The same over GET.
openssl ocsp -issuer "$CA/issuing.pem" -cert rev.pem -no_nonce -reqout rev_req.der 2>/dev/null ||
	die "openssl ocsp -reqout failed"
openssl ocsp -issuer "$CA/issuing.pem" -cert good.pem -no_nonce -reqout good_req.der 2>/dev/null ||
	die "openssl ocsp -reqout failed"
REV_GET=$(get_path rev_req.der)
GOOD_GET=$(get_path good_req.der)
case $REV_GET in *%*) note "GET path has percent escapes: $REV_GET" ;; *) note "GET path (no character needed escaping): $REV_GET" ;; esac
code=$(http g1.der g1.h GET "$SERVER_URL/ocsp/$REV_GET")
check_eq "GET /ocsp/<base64>: HTTP 200" 200 "$code"
timeout 10 openssl ocsp -respin g1.der -issuer "$CA/issuing.pem" -cert rev.pem -CAfile "$CA/root.pem" -no_nonce >g1.out 2>&1
ocsp_expect "GET, before revocation (openssl -respin)" g1.out rev.pem good
check_eq "GET: Content-Type" application/ocsp-response "$(header g1.h Content-Type)"
for h in Last-Modified Expires ETag; do
	check "GET: $h header ($(header g1.h "$h"))" has_header g1.h "$h"
done
CC=$(header g1.h Cache-Control)
MAXAGE=$(printf '%s\n' "$CC" | sed -n 's/.*max-age=\([0-9][0-9]*\).*/\1/p')
check "GET: Cache-Control with a positive max-age ($CC)" test "${MAXAGE:-0}" -gt 0
timeout 10 openssl ocsp -respin g1.der -resp_text -noverify >g1.txt 2>&1
TU=$(sed -n 's/^[[:space:]]*This Update: //p' g1.txt | head -n 1)
NU=$(sed -n 's/^[[:space:]]*Next Update: //p' g1.txt | head -n 1)
check_eq "GET: Last-Modified is the response's thisUpdate" "$(epoch "$TU")" "$(epoch "$(header g1.h Last-Modified)")"
check_eq "GET: Expires is the response's nextUpdate" "$(epoch "$NU")" "$(epoch "$(header g1.h Expires)")"
NOW=$(date -u +%s)
check "GET: max-age reaches no further than nextUpdate" test $((NOW + ${MAXAGE:-0})) -le $(($(epoch "$NU") + 5))
code=$(http g2.der g2.h GET "$SERVER_URL/ocsp/$REV_GET")
check "GET again: the same bytes and ETag (served from the pre-signed cache)" \
	test "$code" = 200 -a "$(header g1.h ETag)" = "$(header g2.h ETag)" -a -s g2.der
check "the no-nonce POST and the GET got the same pre-signed answer" cmp -s pre_post.der g1.der
check_eq "precondition: the store holds a pre-signed answer for the certificate" 1 \
	"$(inst_sql "$I" "SELECT count(*) FROM ocsp_cache WHERE serial = '$REV_SERIAL'")"

# Revocation by the CLI, a process of its own; the server is asked at once.
"$S" cert revoke --dir "$I" "$REV_SERIAL" --reason keyCompromise --note "laptop hilang" >/dev/null 2>rev.err ||
	fail "cert revoke: $(cat rev.err)"
ocsp o3 rev.pem -no_nonce
ocsp o4 rev.pem
code=$(http g3.der g3.h GET "$SERVER_URL/ocsp/$REV_GET")
ocsp_expect "POST without nonce (pre-signed path), right after revocation" o3 rev.pem revoked
ocsp_expect "POST with nonce, right after revocation" o4 rev.pem revoked
no_nonce_warning o4 "POST with nonce after revocation"
REVOKED_AT=$(epoch "$("$S" cert show --dir "$I" "$REV_SERIAL" --json 2>/dev/null | jq -r .revoked_at)")
for o in o3 o4; do
	IFS='|' read -r reason rtime nrt <<<"$(revoked_info $o)"
	check_eq "$o: Reason: keyCompromise" keyCompromise "$reason"
	check_eq "$o: one Revocation Time, the store's revoked_at ($rtime)" "1|$REVOKED_AT" "$nrt|$(epoch "$rtime")"
done
check_eq "GET right after revocation: HTTP 200" 200 "$code"
timeout 10 openssl ocsp -respin g3.der -issuer "$CA/issuing.pem" -cert rev.pem -CAfile "$CA/root.pem" -no_nonce >g3.out 2>&1
ocsp_expect "GET right after revocation (openssl -respin)" g3.out rev.pem revoked
IFS='|' read -r reason rtime nrt <<<"$(revoked_info g3.out)"
check_eq "GET: Reason keyCompromise and the store's revocation time" "keyCompromise|1|$REVOKED_AT" "$reason|$nrt|$(epoch "$rtime")"
check "GET after revocation: not the stale cached bytes" test -s g3.der -a "$(cmp -s g1.der g3.der; echo $?)" != 0
check "GET after revocation: a new ETag" test -n "$(header g3.h ETag)" -a "$(header g3.h ETag)" != "$(header g1.h ETag)"
ocsp o5 good.pem -no_nonce
ocsp_expect "the other certificate is still good" o5 good.pem good

# GET with percent escapes, whatever the serials above encoded to: issue
# certificates until a request's base64 holds '/', '+' or '=' (each try
# has a ~97% chance), then ask with upper- and lower-case escapes.
ESC=
for k in $(seq 1 12); do
	issue "$I" "esc$k" "Pegawai $k" >/dev/null || { fail "cert issue: $(cat "esc$k.err")"; break; }
	openssl ocsp -issuer "$CA/issuing.pem" -cert "esc$k.pem" -no_nonce -reqout "esc$k.req" 2>/dev/null
	case $(get_path "esc$k.req") in *%*) ESC=esc$k; break ;; esac
done
if [ -n "$ESC" ]; then
	EP=$(get_path "$ESC.req")
	note "escaped GET path: $EP"
	for v in upper lower; do
		[ $v = lower ] && EP=$(printf '%s' "$EP" | sed 's/%2B/%2b/g; s/%2F/%2f/g; s/%3D/%3d/g')
		code=$(http "ge_$v.der" "ge_$v.h" GET "$SERVER_URL/ocsp/$EP")
		timeout 10 openssl ocsp -respin "ge_$v.der" -issuer "$CA/issuing.pem" -cert "$ESC.pem" \
			-CAfile "$CA/root.pem" -no_nonce >"ge_$v.out" 2>&1
		check_eq "GET with $v-case percent escapes: HTTP 200" 200 "$code"
		ocsp_expect "GET with $v-case percent escapes" "ge_$v.out" "$ESC.pem" good
	done
else
	fail "no request needing percent escapes in 12 certificates"
fi

# A nonce'd POST with curl: no-store, and the nonce echoed byte for byte.
openssl ocsp -issuer "$CA/issuing.pem" -cert good.pem -reqout n_req.der 2>/dev/null || die "openssl ocsp -reqout failed"
code=$(http n.der n.h POST "$SERVER_URL/ocsp" -H 'Content-Type: application/ocsp-request' --data-binary @n_req.der)
check_eq "nonce'd POST: HTTP 200" 200 "$code"
check_eq "nonce'd POST: Cache-Control: no-store" no-store "$(header n.h Cache-Control)"
check "nonce'd POST: no ETag, Expires or Last-Modified" test -z "$(header n.h ETag)$(header n.h Expires)$(header n.h Last-Modified)"
REQ_NONCE=$(openssl ocsp -reqin n_req.der -req_text 2>/dev/null | grep -A1 'OCSP Nonce:' | tail -n 1 | tr -d ' ')
RESP_NONCE=$(openssl ocsp -respin n.der -resp_text -noverify 2>/dev/null | grep -A1 'OCSP Nonce:' | tail -n 1 | tr -d ' ')
check "nonce'd POST: the request has a nonce ($REQ_NONCE)" test -n "$REQ_NONCE"
check_eq "nonce'd POST: the response's nonce is the request's" "$REQ_NONCE" "$RESP_NONCE"
timeout 10 openssl ocsp -respin n.der -issuer "$CA/issuing.pem" -cert good.pem -CAfile "$CA/root.pem" -no_nonce >n.out 2>&1
ocsp_expect "nonce'd POST by curl (openssl -respin)" n.out good.pem good

# Unknown: our CA's certificate, a serial our store never issued.
ocsp u1 unk.pem
ocsp_expect "same CA, serial not in the store (nonce)" u1 unk.pem unknown
ocsp u2 unk.pem -no_nonce
ocsp_expect "same CA, serial not in the store (no nonce)" u2 unk.pem unknown

# Unauthorized: another CA's certificate.
timeout 30 openssl ocsp -issuer "$T/oca/issuing.pem" -cert foreign.pem -url "$SERVER_URL/ocsp" \
	-CAfile "$T/oca/root.pem" -timeout 20 >x1 2>&1
check "another CA's certificate: 'Responder Error: unauthorized (6)'" grep -q 'Responder Error: unauthorized (6)' x1
timeout 30 openssl ocsp -issuer "$T/oca/issuing.pem" -cert foreign.pem -url "$SERVER_URL/ocsp" \
	-CAfile "$T/oca/root.pem" -timeout 20 -no_nonce >x2 2>&1
check "another CA's certificate, no nonce: 'Responder Error: unauthorized (6)'" grep -q 'Responder Error: unauthorized (6)' x2

# Malformed requests: 200 with malformedRequest, and the server lives on.
head -c 512 /dev/urandom >bad_random.bin
: >bad_empty.bin
head -c $(($(stat -c %s n_req.der) - 7)) n_req.der >bad_trunc.bin
{ cat n_req.der; head -c $((20 * 1024)) /dev/zero; } >bad_big.bin
for b in random empty trunc big; do
	code=$(http "m_$b.der" "m_$b.h" POST "$SERVER_URL/ocsp" -H 'Content-Type: application/ocsp-request' \
		--data-binary @"bad_$b.bin")
	check_eq "POST $b body ($(stat -c %s "bad_$b.bin") bytes): HTTP 200" 200 "$code"
	check_eq "POST $b body: Content-Type" application/ocsp-response "$(header "m_$b.h" Content-Type)"
	is_malformed "POST $b body" "m_$b.der"
done
code=$(http m_get.der m_get.h GET "$SERVER_URL/ocsp/not*base64!")
check_eq "GET with a path that is not base64: HTTP 200" 200 "$code"
is_malformed "GET with a path that is not base64" m_get.der
code=$(http m_get2.der m_get2.h GET "$SERVER_URL/ocsp/$(head -c 300 /dev/urandom | base64 -w0 | sed 's/+/%2B/g; s|/|%2F|g; s/=/%3D/g')")
check_eq "GET with base64 of random bytes: HTTP 200" 200 "$code"
is_malformed "GET with base64 of random bytes" m_get2.der
check "after the malformed requests the server is alive" kill -0 "$SERVER_PID"
check "after the malformed requests /healthz answers 200" healthy
ocsp o6 good.pem
ocsp_expect "after the malformed requests a good request still works" o6 good.pem good

# ==== 2. TSA ==============================================================
printf 'Surat Keputusan Walikota Palembang nomor 1/2026\n' >doc.txt
tsa() { # tsa NAME QUERYFILE: POSTs the query, prints the status code
	http "$1.tsr" "$1.h" POST "$SERVER_URL/tsa" -H 'Content-Type: application/timestamp-query' --data-binary @"$2"
}
POLICY=2.25.265016592438374105406425356356063524147.2.1
for md in sha256 sha384 sha512; do
	openssl ts -query -data doc.txt -"$md" -cert -out "q_$md.tsq" 2>/dev/null || die "openssl ts -query -$md failed"
	code=$(tsa "r_$md" "q_$md.tsq")
	check_eq "TSA $md: HTTP 200" 200 "$code"
	check_eq "TSA $md: Content-Type" application/timestamp-reply "$(header "r_$md.h" Content-Type)"
	openssl ts -verify -data doc.txt -in "r_$md.tsr" -CAfile "$CA/root.pem" -untrusted "$CA/chain.pem" >"v_$md" 2>&1
	check "TSA $md: openssl ts -verify: Verification: OK" grep -qx 'Verification: OK' "v_$md"
	openssl ts -reply -in "r_$md.tsr" -text >"t_$md" 2>/dev/null
	check_eq "TSA $md: Status: Granted." "Status: Granted." "$(grep '^Status:' "t_$md")"
	check_eq "TSA $md: hash algorithm" "$md" "$(sed -n 's/^Hash Algorithm: //p' "t_$md")"
	check_eq "TSA $md: Policy OID" "$POLICY" "$(sed -n 's/^Policy OID: //p' "t_$md")"
	QN=$(openssl ts -query -in "q_$md.tsq" -text 2>/dev/null | sed -n 's/^Nonce: //p')
	check "TSA $md: the query has a nonce ($QN)" test -n "$QN" -a "$QN" != unspecified
	check_eq "TSA $md: the reply's nonce is the query's" "$QN" "$(sed -n 's/^Nonce: //p' "t_$md")"
	check_eq "TSA $md: Accuracy" "0x01 seconds, unspecified millis, unspecified micros" \
		"$(sed -n 's/^Accuracy: //p' "t_$md")"
	check "TSA $md: a serial number" grep -q '^Serial number: 0x[0-9A-F]' "t_$md"
done
openssl ts -query -data doc.txt -sha256 -cert -out q_b.tsq 2>/dev/null
code=$(tsa r_b q_b.tsq)
openssl ts -reply -in r_b.tsr -text >t_b 2>/dev/null
SER_A=$(sed -n 's/^Serial number: //p' t_sha256)
SER_B=$(sed -n 's/^Serial number: //p' t_b)
check "two replies have different serials ($SER_A, $SER_B)" test -n "$SER_A" -a -n "$SER_B" -a "$SER_A" != "$SER_B"
printf 'another document\n' >other.txt
openssl ts -verify -data other.txt -in r_sha256.tsr -CAfile "$CA/root.pem" -untrusted "$CA/chain.pem" >v_other 2>&1
check "TSA: the token does not verify for other data (Verification: FAILED)" grep -qx 'Verification: FAILED' v_other
openssl ts -verify -data doc.txt -in r_sha256.tsr -CAfile "$T/oca/root.pem" -untrusted "$T/oca/chain.pem" >v_ca 2>&1
check "TSA: the token does not verify against another root" grep -qx 'Verification: FAILED' v_ca
for md in sha1 md5; do
	openssl ts -query -data doc.txt -"$md" -cert -out "q_$md.tsq" 2>/dev/null || die "openssl ts -query -$md failed"
	code=$(tsa "r_$md" "q_$md.tsq")
	check_eq "TSA $md: HTTP 200" 200 "$code"
	openssl ts -reply -in "r_$md.tsr" -text >"t_$md" 2>/dev/null
	check_eq "TSA $md: Status: Rejected." "Status: Rejected." "$(grep '^Status:' "t_$md")"
	# OpenSSL's text for failInfo badAlg (crypto/ts/ts_rsp_print.c).
	check_eq "TSA $md: failure info badAlg" "unrecognized or unsupported algorithm identifier" \
		"$(sed -n 's/^Failure info: //p' "t_$md")"
	check "TSA $md: no token" grep -qx 'Not included.' "t_$md"
done
head -c 200 /dev/urandom >garbage.bin
: >empty.bin
for g in garbage empty; do
	code=$(tsa "r_$g" "$g.bin")
	check_eq "TSA $g body: HTTP 200" 200 "$code"
	openssl ts -reply -in "r_$g.tsr" -text >"t_$g" 2>/dev/null
	check_eq "TSA $g body: Status: Rejected." "Status: Rejected." "$(grep '^Status:' "t_$g")"
	# OpenSSL's text for failInfo badDataFormat.
	check_eq "TSA $g body: failure info badDataFormat" "the data submitted has the wrong format" \
		"$(sed -n 's/^Failure info: //p' "t_$g")"
done

# ==== 3. CRLs and CA certificates ========================================
CDP=$(openssl x509 -in rev.pem -noout -ext crlDistributionPoints 2>/dev/null | sed -n 's/^ *URI://p')
check_eq "the certificate's CRL DP is this server's" "$SERVER_URL/crl/$ISSUING_ID.crl" "$CDP"
code=$(http issuing.crl issuing_crl.h GET "$CDP")
check_eq "GET the CRL DP: HTTP 200" 200 "$code"
check_eq "CRL: Content-Type" application/pkix-crl "$(header issuing_crl.h Content-Type)"
check "CRL: Cache-Control with max-age ($(header issuing_crl.h Cache-Control))" \
	grep -qi '^Cache-Control:.*max-age=[1-9]' issuing_crl.h
check "CRL: Expires ($(header issuing_crl.h Expires))" test -n "$(epoch "$(header issuing_crl.h Expires)")"
openssl crl -inform DER -in issuing.crl -CAfile "$CA/issuing.pem" -noout >crl1.v 2>&1
check "openssl crl -CAfile issuing.pem: verify OK" grep -qx 'verify OK' crl1.v
check_eq "CRL: Expires is its nextUpdate" \
	"$(epoch "$(openssl crl -inform DER -in issuing.crl -noout -nextupdate | cut -d= -f2)")" \
	"$(epoch "$(header issuing_crl.h Expires)")"
openssl crl -inform DER -in issuing.crl -noout -text >crl1.txt 2>&1
REV_HEX=$(echo "$REV_SERIAL" | tr a-f A-F)
GOOD_HEX=$(echo "$GOOD_SERIAL" | tr a-f A-F)
check_eq "CRL lists the revoked serial with reason Key Compromise" "Key Compromise" "$(
	awk -v s="$REV_HEX" '/Serial Number:/ { on = ($3 == s) } on && /CRL Reason Code/ { getline; gsub(/^ +/, ""); print; exit }' crl1.txt)"
check "CRL does not list the good serial" test "$(grep -c "Serial Number: $GOOD_HEX" crl1.txt)" = 0
openssl crl -inform DER -in issuing.crl -CAfile "$CA/root.pem" -noout >crl1n.v 2>&1
check "the issuing CA's CRL does not verify against the root alone" test "$(grep -cx 'verify OK' crl1n.v)" = 0

ROOT_CDP=$(openssl x509 -in "$CA/issuing.pem" -noout -ext crlDistributionPoints 2>/dev/null | sed -n 's/^ *URI://p')
check_eq "the issuing CA's CRL DP is this server's root CRL" "$SERVER_URL/crl/$ROOT_ID.crl" "$ROOT_CDP"
code=$(http root.crl root_crl.h GET "$ROOT_CDP")
check_eq "GET the root CRL: HTTP 200" 200 "$code"
openssl crl -inform DER -in root.crl -CAfile "$CA/root.pem" -noout >crl2.v 2>&1
check "openssl crl -CAfile root.pem (root CRL): verify OK" grep -qx 'verify OK' crl2.v
check "root CRL: Cache-Control and Expires" test -n "$(header root_crl.h Cache-Control)" -a -n "$(header root_crl.h Expires)"

AIA=$(openssl x509 -in rev.pem -noout -ext authorityInfoAccess 2>/dev/null | sed -n 's/^ *CA Issuers - URI://p')
check_eq "the certificate's caIssuers URL" "$SERVER_URL/ca/$ISSUING_ID.crt" "$AIA"
code=$(http issuing.crt issuing_crt.h GET "$AIA")
check_eq "GET caIssuers: HTTP 200" 200 "$code"
check_eq "caIssuers: Content-Type" application/pkix-cert "$(header issuing_crt.h Content-Type)"
fp() { openssl x509 -inform "$1" -in "$2" -noout -fingerprint -sha256 2>/dev/null; }
check "caIssuers is the issuing CA (SHA-256 fingerprint)" test -n "$(fp PEM "$CA/issuing.pem")" -a \
	"$(fp DER issuing.crt)" = "$(fp PEM "$CA/issuing.pem")"
AIA2=$(openssl x509 -in "$CA/issuing.pem" -noout -ext authorityInfoAccess 2>/dev/null | sed -n 's/^ *CA Issuers - URI://p')
code=$(http rootca.crt rootca.h GET "$AIA2")
check "the issuing CA's caIssuers URL serves the root ($AIA2)" test "$code" = 200 -a -n "$(fp PEM "$CA/root.pem")" -a \
	"$(fp DER rootca.crt)" = "$(fp PEM "$CA/root.pem")"

{ openssl crl -inform DER -in issuing.crl; openssl crl -inform DER -in root.crl; } >crls.pem 2>/dev/null
openssl verify -crl_check_all -CRLfile crls.pem -CAfile "$CA/root.pem" -untrusted "$CA/issuing.pem" good.pem >vg 2>&1
check "verify -crl_check_all accepts the good certificate" grep -qx 'good.pem: OK' vg
openssl verify -crl_check_all -CRLfile crls.pem -CAfile "$CA/root.pem" -untrusted "$CA/issuing.pem" rev.pem >vr 2>&1
rc=$?
check "verify -crl_check_all rejects the revoked certificate (certificate revoked)" \
	test "$rc" != 0 -a "$(grep -c 'certificate revoked' vr)" -gt 0
openssl verify -crl_check_all -CAfile "$CA/root.pem" -untrusted "$CA/issuing.pem" good.pem >vn 2>&1
check "verify -crl_check_all without the CRLs fails (the check needs them)" grep -q 'unable to get certificate CRL' vn

is_json_404 "unknown CRL id" "$SERVER_URL/crl/0000000000000000.crl"
is_json_404 "unknown CA id" "$SERVER_URL/ca/0000000000000000.crt"
is_json_404 "the OCSP signer is not published as a CA" "$SERVER_URL/ca/$OCSP_ID.crt"
is_json_404 "CRL path that is not an id" "$SERVER_URL/crl/nope.crl"
is_json_404 "CA id with the wrong suffix" "$SERVER_URL/ca/$ISSUING_ID.pem"

# ==== 4. 200 OCSP requests from 20 parallel clients ======================
C=$T/conc
mkdir -p "$C"
# Job i: kind (P nonce'd POST, N no-nonce POST, G GET), certificate, argument.
: >"$C/jobs"
for i in $(seq 1 200); do
	if [ $((i % 2)) = 0 ]; then cert=good; else cert=rev; fi
	case $((i % 3)) in
	0)
		openssl ocsp -issuer "$CA/issuing.pem" -cert "$cert.pem" -reqout "$C/q$i.der" 2>/dev/null ||
			die "openssl ocsp -reqout failed"
		echo "$i P $cert $C/q$i.der" ;;
	1) echo "$i N $cert $T/${cert}_req.der" ;;
	2) if [ $cert = good ]; then echo "$i G $cert $GOOD_GET"; else echo "$i G $cert $REV_GET"; fi ;;
	esac
done >"$C/jobs"
cat >"$C/worker.sh" <<'EOF'
i=$1 kind=$2 arg=$4
case $kind in
G) curl -sS --max-time 30 -o "$C/r$i.der" -D "$C/h$i" -w '%{http_code}\n' "$URL/ocsp/$arg" >"$C/c$i" 2>"$C/e$i" ;;
*) curl -sS --max-time 30 -o "$C/r$i.der" -D "$C/h$i" -w '%{http_code}\n' -H 'Content-Type: application/ocsp-request' \
	--data-binary @"$arg" "$URL/ocsp" >"$C/c$i" 2>"$C/e$i" ;;
esac
EOF
export C URL=$SERVER_URL
START=$(date +%s%N)
timeout 120 xargs -P 20 -n 4 sh "$C/worker.sh" <"$C/jobs"
note "200 requests in $((($(date +%s%N) - START) / 1000000)) ms"
check_eq "200 concurrent OCSP requests: all HTTP 200" "200 200" "$(cat "$C"/c* 2>/dev/null | sort | uniq -c | sed 's/^ *//')"
# Every answer verified by openssl, with the status its certificate has.
BAD=0
while read -r i kind cert arg; do
	timeout 10 openssl ocsp -respin "$C/r$i.der" -issuer "$CA/issuing.pem" -cert "$cert.pem" \
		-CAfile "$CA/root.pem" -no_nonce >"$C/v$i" 2>&1
	if [ $cert = good ]; then want=good; else want=revoked; fi
	if ! grep -qx 'Response verify OK' "$C/v$i" || [ "$(sed -n "s|^$cert.pem: ||p" "$C/v$i")" != "$want" ]; then
		BAD=$((BAD + 1))
		[ $BAD -le 3 ] && note "job $i ($kind $cert): $(tr '\n' ' ' <"$C/v$i" | cut -c1-200)"
	fi
done <"$C/jobs"
check_eq "all 200 answers verify with openssl and say good/revoked as they should" 0 "$BAD"
NB=0
NNONCE=0
while read -r i kind cert arg; do
	case $kind in
	P)
		[ "$(header "$C/h$i" Cache-Control)" = no-store ] || NB=$((NB + 1))
		if [ $NNONCE -lt 10 ]; then
			NNONCE=$((NNONCE + 1))
			a=$(openssl ocsp -reqin "$arg" -req_text 2>/dev/null | grep -A1 'OCSP Nonce:' | tail -n 1 | tr -d ' ')
			b=$(openssl ocsp -respin "$C/r$i.der" -resp_text -noverify 2>/dev/null | grep -A1 'OCSP Nonce:' | tail -n 1 | tr -d ' ')
			if [ -z "$a" ] || [ "$a" != "$b" ]; then
				NB=$((NB + 1))
				note "job $i: nonce [$a] answered with [$b]"
			fi
		fi
		;;
	*) header "$C/h$i" Cache-Control | grep -q 'max-age=[1-9]' || NB=$((NB + 1)) ;;
	esac
done <"$C/jobs"
check_eq "under load: nonce'd answers no-store with their own nonce (10 checked), the others max-age" 0 "$NB"
check "after the burst /healthz answers 200" healthy
check "after the burst the server is alive" kill -0 "$SERVER_PID"

# ==== 5. revocation racing the first no-nonce queries =====================
# A certificate nobody has asked about yet is revoked by the CLI while 8
# clients send their first no-nonce queries, 0..20 ms after the CLI
# started.  Once `cert revoke` has returned, the revocation is committed:
# the pre-signed path must say revoked from then on (api_va.c promises
# that no stale "good" is served after the revocation commits).
RACE_N=33
STALE=0
STALE_LIST=
for k in $(seq 1 $RACE_N); do
	ser=$(issue "$I" "race$k" "Pegawai Balapan $k") || { fail "cert issue: $(cat "race$k.err")"; break; }
	openssl ocsp -issuer "$CA/issuing.pem" -cert "race$k.pem" -no_nonce -reqout "race$k.req" 2>/dev/null
	"$S" cert revoke --dir "$I" "$ser" --reason keyCompromise >/dev/null 2>"race$k.rerr" &
	rp=$!
	sleep "0.0$(printf '%02d' $(((k % 11) * 2)))"
	cps=
	for j in 1 2 3 4 5 6 7 8; do
		curl -s --max-time 20 -o /dev/null -H 'Content-Type: application/ocsp-request' \
			--data-binary @"race$k.req" "$SERVER_URL/ocsp" &
		cps="$cps $!"
	done
	wait "$rp" || fail "race $k: cert revoke failed: $(cat "race$k.rerr")"
	for p in $cps; do wait "$p"; done
	ocsp "race$k.out" "race$k.pem" -no_nonce
	st=$(sed -n "s|^race$k.pem: ||p" "race$k.out")
	if [ "$st" != revoked ]; then
		STALE=$((STALE + 1))
		STALE_LIST="$STALE_LIST $ser(${st:-no answer},$(((k % 11) * 2))ms)"
	fi
done
check_eq "revocation racing the first no-nonce queries: no stale answer once cert revoke returned ($RACE_N tries)" \
	0 "$STALE"
[ "$STALE" = 0 ] || note "stale no-nonce answers after revocation:$STALE_LIST"

# ---- log and stop -------------------------------------------------------
check_eq "the server log has only info lines (no errors or warnings)" "" \
	"$(grep -v '^[0-9T:-]*Z sertel\[info\]: ' "$SERVER_LOG" | head -n 5)"
server_stop 10
check_eq "SIGTERM: the server exits in time with status 0" "1|0" "$SERVER_STOP_OK|$SERVER_RC"

finish
