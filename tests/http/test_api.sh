#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The HTTP API, end to end: `sertel serve` on a free loopback port, real
# requests with curl, results judged by openssl and by the store (every
# "nothing stored" compares the certificate and audit counts before and
# after), then a graceful stop on SIGTERM.
. "$(cd "$(dirname "$0")/../interop" && pwd)/lib.sh"
lib_setup api

S=$SERTEL_BIN
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Palembang" --base-url https://pki.palembang.go.id ||
	die "init: $(cat "$I.init.err")"
pass "init"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null 2>&1 || die "ca export failed"

token() {
	"$S" token create --dir "$I" --name "$1" --role "$2" --json 2>/dev/null | jq -r .token
}
ADMIN=$(token "admin bkpsdm" admin)
OPERATOR=$(token "operator loket" operator)
AUDITOR=$(token "auditor inspektorat" auditor)
for t in "$ADMIN" "$OPERATOR" "$AUDITOR"; do
	case $t in stk_?*) ;; *) die "token create did not print a token" ;; esac
done
pass "tokens created for admin, operator, auditor"
check "the three tokens differ" test "$ADMIN" != "$OPERATOR" -a "$OPERATOR" != "$AUDITOR" -a "$ADMIN" != "$AUDITOR"

# This script sends many wrong tokens from one address on purpose; the
# throttle on failed authentications has its own test (tests/security).
sed -i 's/^\[server\]$/[server]\nauth_max_failures = 1000/' "$I/sertel.conf"
server_start "$I" || die "sertel serve did not become healthy: $(tail -n 5 "$T/serve.log" 2>/dev/null)"
pass "server listening on $SERVER_URL"

# ---- helpers ---------------------------------------------------------------------
N=0
# http OUT METHOD PATH [curl args...]: prints the status code, body to OUT.
http() {
	local out=$1 method=$2 path=$3
	shift 3
	curl -sS --max-time 30 -o "$out" -w '%{http_code}' -X "$method" "$@" "$SERVER_URL$path" 2>"$out.curlerr"
}
auth() { printf 'Authorization: Bearer %s' "$1"; }
JSON='Content-Type: application/json'
# A request body: body FILE CSRFILE [jq assignments...]
body() {
	local out=$1 csr=$2
	shift 2
	jq -n --rawfile csr "$csr" '{csr: $csr, type: "individu", usages: ["signing", "email"],
		cn: "Budi Santoso", email: "budi@palembang.go.id", ou: "BKPSDM"} | '"${1:-.}" >"$out"
}
is_json_error() { jq -e '(.error | type) == "string" and (.error | length) > 0 and (.code | type) == "string" and (.code | length) > 0' "$1" >/dev/null 2>&1; }
# snapshot without the audit entries of failed authentications (auth.*,
# written rate-limited since issue 19): "nothing stored" means nothing
# else changed.
snapshot_sans_auth() {
	local s a
	s=$(snapshot "$1") || return 1
	a=$(inst_sql "$1" "SELECT COUNT(*) FROM audit WHERE action LIKE 'auth.%'") || return 1
	awk -v a="$a" '{ split($2, x, "="); split($3, d, "[=,]"); printf "%s audit=%d db=%d,%d,%d,%d\n", $1, x[2] - a, d[2], d[3] - a, d[4], d[5] - a }' <<<"$s"
}
# expect_refused DESC WANT_STATUS WANT_CODE METHOD PATH [curl args...]:
# the status, a JSON {"error","code"} body, and nothing stored.
expect_refused() {
	local desc=$1 want=$2 wcode=$3 method=$4 path=$5 before after code
	shift 5
	N=$((N + 1))
	before=$(snapshot_sans_auth "$I") || { fail "$desc: cannot read the counts"; return; }
	code=$(http "$T/r.$N" "$method" "$path" "$@")
	after=$(snapshot_sans_auth "$I") || { fail "$desc: cannot read the counts"; return; }
	check_eq "$desc: HTTP $want" "$want" "$code"
	if is_json_error "$T/r.$N"; then
		pass "$desc: JSON error body ($(head -c 120 "$T/r.$N"))"
	else
		fail "$desc: not a JSON {error, code} body: $(head -c 200 "$T/r.$N")"
	fi
	[ -n "$wcode" ] && check_eq "$desc: error code" "$wcode" "$(jq -r .code "$T/r.$N" 2>/dev/null)"
	check_eq "$desc: nothing stored" "$before" "$after"
}

# ---- health ---------------------------------------------------------------------------
check_eq "GET /healthz: 200" 200 "$(http "$T/h" GET /healthz)"
check_eq "GET /healthz: status ok" ok "$(jq -r .status "$T/h" 2>/dev/null)"
check_eq "HEAD /healthz: 200" 200 "$(curl -sS -o /dev/null -w '%{http_code}' --head "$SERVER_URL/healthz")"

# ---- issuing ------------------------------------------------------------------------------
make_csr "$T/a.csr" ec-p256 a || die "cannot make a CSR"
body "$T/a.json" "$T/a.csr"
B0=$(snapshot "$I")
code=$(http "$T/a.out" POST /api/v1/certificates -H "$(auth "$ADMIN")" -H "$JSON" --data-binary @"$T/a.json")
check_eq "POST /api/v1/certificates (admin): 201" 201 "$code"
SERIAL=$(jq -r .serial "$T/a.out" 2>/dev/null)
jq -r .certificate "$T/a.out" >"$T/a.pem" 2>/dev/null
check "201 response has a serial" test -n "$SERIAL" -a "$SERIAL" != null
check_eq "the response serial is the certificate's" "$SERIAL" \
	"$(openssl x509 -in "$T/a.pem" -noout -serial 2>/dev/null | cut -d= -f2 | tr 'A-F' 'a-f')"
if openssl verify -purpose smimesign -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/a.pem" >"$T/a.v" 2>&1; then
	pass "the PEM verifies with openssl against the exported chain (-purpose smimesign)"
else
	fail "openssl verify: $(tr '\n' ' ' <"$T/a.v")"
fi
check "the certificate holds the CSR's key" cmp -s <(openssl x509 -in "$T/a.pem" -noout -pubkey) <(openssl req -in "$T/a.csr" -noout -pubkey)
check_eq "the subject is built from the request" "subject=CN=Budi Santoso,OU=BKPSDM,O=Pemerintah Kota Palembang,C=ID" \
	"$(openssl x509 -in "$T/a.pem" -noout -subject -nameopt RFC2253)"
check_eq "the response chain is [issuing, root] as exported" "$(cat "$T/ca/issuing.pem" "$T/ca/root.pem")" \
	"$(jq -r '.chain | join("")' "$T/a.out" | sed '/^$/d')"
"$S" cert show --dir "$I" "$SERIAL" --json >"$T/a.show" 2>/dev/null
check_eq "the PEM matches cert show" "$(cat "$T/a.pem")" "$(jq -r .certificate "$T/a.show")"
check_eq "cert show: type individu, usages signing,email, valid" "individu|signing,email|valid" \
	"$(jq -r '"\(.type)|\(.usages)|\(.status)"' "$T/a.show")"
B1=$(snapshot "$I")
check_eq "one certificate and one audit entry more" \
	"$(echo "$B0" | awk '{split($1,c,"="); split($2,a,"="); print "certs=" c[2]+1 " audit=" a[2]+1}')" \
	"$(echo "$B1" | awk '{print $1, $2}')"
check_eq "the audit entry names the token" "token:admin bkpsdm|cert:$SERIAL" \
	"$("$S" audit list --dir "$I" --json | jq -r '[.[] | select(.action == "cert.issue")] | last | "\(.actor)|\(.object)"')"

make_csr "$T/b.csr" ec-p256 b
body "$T/b.json" "$T/b.csr" '.type = "sistem" | .usages = "ssl-server,ssl-client" | .cn = "app.palembang.go.id" | del(.email) | .dns = ["app.palembang.go.id"] | .ip = ["10.1.2.3"]'
code=$(http "$T/b.out" POST /api/v1/certificates -H "$(auth "$OPERATOR")" -H "$JSON" --data-binary @"$T/b.json")
check_eq "operator may issue (sistem, ssl-server): 201" 201 "$code"
jq -r .certificate "$T/b.out" >"$T/b.pem" 2>/dev/null
check "operator's certificate verifies (-purpose sslserver)" \
	quiet openssl verify -purpose sslserver -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/b.pem"
check_eq "sistem names from the JSON arrays" "DNS:app.palembang.go.id, IP Address:10.1.2.3" \
	"$(openssl x509 -in "$T/b.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1 | sed 's/^ *//')"

# ---- who may issue ------------------------------------------------------------------------------
make_csr "$T/c.csr" ec-p256 c
body "$T/c.json" "$T/c.csr"
P=(POST /api/v1/certificates -H "$JSON" --data-binary @"$T/c.json")
expect_refused "auditor may not issue" 403 forbidden "${P[@]}" -H "$(auth "$AUDITOR")"
expect_refused "missing token" 401 unauthorized "${P[@]}"
expect_refused "wrong token" 401 unauthorized "${P[@]}" -H "$(auth "stk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')")"
expect_refused "a token with one character changed" 401 unauthorized "${P[@]}" -H "$(auth "${ADMIN%?}$([ "${ADMIN: -1}" = A ] && echo B || echo A)")"
expect_refused "malformed Authorization (Basic)" 401 unauthorized "${P[@]}" -H "Authorization: Basic YWRtaW46YWRtaW4="
expect_refused "malformed Authorization (no scheme)" 401 unauthorized "${P[@]}" -H "Authorization: $ADMIN"
expect_refused "malformed Authorization (empty Bearer)" 401 unauthorized "${P[@]}" -H "Authorization: Bearer "
expect_refused "token in the wrong header" 401 unauthorized "${P[@]}" -H "X-Token: $ADMIN"

# ---- bad requests ---------------------------------------------------------------------------------
A=(POST /api/v1/certificates -H "$(auth "$ADMIN")")
printf '{"csr": "x", "type": ' >"$T/bad1.json"
expect_refused "malformed JSON" 400 "" "${A[@]}" -H "$JSON" --data-binary @"$T/bad1.json"
expect_refused "non-object JSON (array)" 400 "" "${A[@]}" -H "$JSON" --data-binary '["csr", "type"]'
expect_refused "non-object JSON (string)" 400 "" "${A[@]}" -H "$JSON" --data-binary '"hello"'
expect_refused "empty body" 400 "" "${A[@]}" -H "$JSON" --data-binary ''
expect_refused "wrong Content-Type (text/plain)" 415 "" "${A[@]}" -H "Content-Type: text/plain" --data-binary @"$T/c.json"
expect_refused "no Content-Type (form default)" 415 "" "${A[@]}" --data-binary @"$T/c.json"
expect_refused "wrong Content-Type (application/jsonx, a prefix of no media type)" 415 "" "${A[@]}" -H "Content-Type: application/jsonx" --data-binary @"$T/c.json"
make_csr "$T/cs.csr" ec-p256 cs
body "$T/cs.json" "$T/cs.csr"
code=$(http "$T/cs.out" POST /api/v1/certificates -H "$(auth "$ADMIN")" -H "Content-Type: application/json; charset=utf-8" --data-binary @"$T/cs.json")
check_eq "Content-Type with a charset parameter is accepted: 201" 201 "$code"
body "$T/u.json" "$T/c.csr" '.nama = "Budi"'
expect_refused "unknown field" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/u.json"
body "$T/m1.json" "$T/c.csr" 'del(.cn)'
expect_refused "missing field cn" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/m1.json"
body "$T/m2.json" "$T/c.csr" 'del(.csr)'
expect_refused "missing field csr" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/m2.json"
body "$T/m3.json" "$T/c.csr" 'del(.usages)'
expect_refused "missing field usages" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/m3.json"
body "$T/bc.json" "$T/c.csr" '.csr = "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n"'
expect_refused "bad CSR" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/bc.json"
body "$T/bc2.json" "$T/c.csr" ".csr = $(jq -Rs . <"$T/ca/root.pem")"
expect_refused "a certificate instead of a CSR" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/bc2.json"
body "$T/t1.json" "$T/c.csr" '.cn = 42'
expect_refused "wrong type: cn is a number" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/t1.json"
body "$T/t2.json" "$T/c.csr" '.usages = 7'
expect_refused "wrong type: usages is a number" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/t2.json"
body "$T/t3.json" "$T/c.csr" '.usages = ["signing", 3]'
expect_refused "wrong type: usages holds a number" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/t3.json"
body "$T/t4.json" "$T/c.csr" '.type = "sistem" | .usages = "ssl-server" | del(.email) | .dns = "app.palembang.go.id"'
expect_refused "wrong type: dns is a string" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/t4.json"
body "$T/t5.json" "$T/c.csr" '.csr = {"pem": "x"}'
expect_refused "wrong type: csr is an object" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/t5.json"
body "$T/t6.json" "$T/c.csr" '.email = null | .usages = ["signing"]'
code=$(http "$T/t6.out" POST /api/v1/certificates -H "$(auth "$ADMIN")" -H "$JSON" --data-binary @"$T/t6.json")
check_eq "null for an optional field means absent: 201" 201 "$code"
body "$T/p1.json" "$T/c.csr" '.usages = ["ssl-server"]'
expect_refused "profile rule: ssl-server for individu" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/p1.json"
body "$T/p2.json" "$T/c.csr" '.type = "jabatan"'
expect_refused "profile rule: jabatan without title" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/p2.json"
body "$T/p3.json" "$T/c.csr" '.email = "budi@"'
expect_refused "profile rule: bad e-mail" 400 invalid_input "${A[@]}" -H "$JSON" --data-binary @"$T/p3.json"
body "$T/d1.json" "$T/c.csr"
sed -i 's/^{/{"cn": "Duplicate", /' "$T/d1.json"
expect_refused "duplicate key" 400 "" "${A[@]}" -H "$JSON" --data-binary @"$T/d1.json"

# Over the 1 MiB body limit: declared length, and chunked (no length).
python3 -c 'import sys; sys.stdout.write("{\"csr\": \"" + "A" * (1024 * 1024) + "\"}")' >"$T/big.json"
check "precondition: the big body is over 1 MiB" test "$(stat -c %s "$T/big.json")" -gt 1048576
expect_refused "body over 1 MiB" 413 too_large "${A[@]}" -H "$JSON" --data-binary @"$T/big.json"
expect_refused "body over 1 MiB (no Expect: 100-continue)" 413 too_large "${A[@]}" -H "$JSON" -H "Expect:" --data-binary @"$T/big.json"
expect_refused "body over 1 MiB, chunked" 413 too_large "${A[@]}" -H "$JSON" -H "Transfer-Encoding: chunked" --data-binary @"$T/big.json"
expect_refused "body over 1 MiB without a token" 413 "" POST /api/v1/certificates -H "$JSON" --data-binary @"$T/big.json"

# ---- routing ------------------------------------------------------------------------------------------
expect_refused "unknown path" 404 not_found GET /api/v1/nope
expect_refused "unknown path (POST, with token)" 404 not_found POST /api/v1/certificate -H "$(auth "$ADMIN")" -H "$JSON" --data-binary @"$T/c.json"
expect_refused "unknown top-level path" 404 not_found GET /no/such/thing
expect_refused "wrong method: GET /api/v1/certificates" 405 method_not_allowed GET /api/v1/certificates -H "$(auth "$ADMIN")"
expect_refused "wrong method: PUT /api/v1/certificates" 405 method_not_allowed PUT /api/v1/certificates -H "$(auth "$ADMIN")" -H "$JSON" --data-binary @"$T/c.json"
expect_refused "wrong method: DELETE /api/v1/certificates" 405 method_not_allowed DELETE /api/v1/certificates -H "$(auth "$ADMIN")"
expect_refused "wrong method: POST /healthz" 405 method_not_allowed POST /healthz -H "$JSON" --data-binary '{}'

# ---- 50 concurrent requests -------------------------------------------------------------------------
for i in $(seq 1 50); do
	make_csr "$T/p$i.csr" ec-p256 "p$i" || die "cannot make CSR $i"
	if [ $((i % 2)) = 0 ]; then tok=$ADMIN; else tok=$OPERATOR; fi
	body "$T/p$i.body" "$T/p$i.csr" ".cn = \"Pegawai $i\" | .email = \"pegawai$i@palembang.go.id\""
	printf '%s\n' "$tok" >"$T/p$i.tok"
done
C0=$(cert_count "$I")
A0=$(audit_count "$I")
export SERVER_URL T
seq 1 50 | xargs -P 50 -I{} sh -c \
	'curl -sS --max-time 60 -o "$T/p{}.out" -w "%{http_code}\n" -X POST -H "Authorization: Bearer $(cat "$T/p{}.tok")" \
		-H "Content-Type: application/json" --data-binary @"$T/p{}.body" "$SERVER_URL/api/v1/certificates" >"$T/p{}.code" 2>"$T/p{}.err"'
check_eq "50 concurrent requests: all 201" "50 201" "$(cat "$T"/p*.code | sort | uniq -c | sed 's/^ *//')"
for i in $(seq 1 50); do jq -r .serial "$T/p$i.out" 2>/dev/null; done >"$T/serials"
check_eq "50 distinct serials" "50|50" "$(grep -c '^[0-9a-f]\{34\}$' "$T/serials")|$(sort -u "$T/serials" | grep -c '^[0-9a-f]\{34\}$')"
check_eq "exactly 50 certificates stored" $((C0 + 50)) "$(cert_count "$I")"
check_eq "exactly 50 audit entries added" $((A0 + 50)) "$(audit_count "$I")"
for i in $(seq 1 50); do jq -r .certificate "$T/p$i.out" >"$T/p$i.pem" 2>/dev/null; done
openssl verify -purpose smimesign -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T"/p[0-9]*.pem >"$T/pv.out" 2>&1
check_eq "all 50 certificates verify with openssl" 50 "$(grep -c ': OK$' "$T/pv.out")"
check_eq "each response's certificate has its own request's key" 50 "$(
	n=0
	for i in $(seq 1 50); do
		cmp -s <(openssl x509 -in "$T/p$i.pem" -noout -pubkey 2>/dev/null) <(openssl req -in "$T/p$i.csr" -noout -pubkey) && n=$((n + 1))
	done
	echo $n)"
check_eq "audit verify after the burst exits 0" 0 "$("$S" audit verify --dir "$I" >/dev/null 2>&1; echo $?)"

# ---- graceful stop ------------------------------------------------------------------------------------
server_stop 5
check_eq "SIGTERM: the server exits within 5 seconds" 1 "$SERVER_STOP_OK"
check_eq "SIGTERM: exit status 0" 0 "$SERVER_RC"
check "SIGTERM: the log says stopped" grep -q 'stopped' "$SERVER_LOG"
check_eq "the port is closed after the stop" 000 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$SERVER_URL/healthz")"

# SIGTERM while requests are in flight: every 201 answer is stored, every
# stored certificate was answered, and the trail is intact afterwards.
server_start "$I" || die "sertel serve did not restart"
C1=$(cert_count "$I")
QPIDS=
for i in $(seq 1 30); do
	curl -sS --max-time 30 -o "$T/q$i.out" -w '%{http_code}' -X POST -H "$(auth "$ADMIN")" -H "$JSON" \
		--data-binary @"$T/p$((i % 50 + 1)).body" "$SERVER_URL/api/v1/certificates" >"$T/q$i.code" 2>/dev/null &
	QPIDS="$QPIDS $!"
done
# Signal as soon as the first answer is in, so the rest are in flight.
for i in $(seq 1 500); do
	grep -qs 201 "$T"/q*.code && break
	sleep 0.01
done
server_stop 10
for p in $QPIDS; do wait "$p"; done
check_eq "SIGTERM under load: exits within 10 seconds" 1 "$SERVER_STOP_OK"
check_eq "SIGTERM under load: exit status 0" 0 "$SERVER_RC"
OK201=0
MISSING=0
for i in $(seq 1 30); do
	if [ "$(cat "$T/q$i.code")" = 201 ]; then
		OK201=$((OK201 + 1))
		s=$(jq -r .serial "$T/q$i.out")
		"$S" cert show --dir "$I" "$s" >/dev/null 2>&1 || MISSING=$((MISSING + 1))
	fi
done
note "in flight at SIGTERM: $OK201 of 30 answered 201"
check_eq "SIGTERM under load: every 201 answer is stored" 0 "$MISSING"
C2=$(cert_count "$I")
# Graceful: a request the server has worked on (certificate issued and
# audited) gets its answer; otherwise the client retries and a second
# certificate is issued for the same request.
check_eq "SIGTERM under load: every certificate issued was answered ($OK201 answered 201)" \
	"$OK201" "$((C2 - C1))"
check_eq "audit verify after the stop under load exits 0" 0 "$("$S" audit verify --dir "$I" >/dev/null 2>&1; echo $?)"

finish
