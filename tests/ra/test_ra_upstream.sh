#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The issuer connector with two instances on loopback: an upstream sertel
# instance acting as PSrE, serving HTTPS with a certificate it issued
# itself, and an RA-only instance (no CA keys of its own) that forwards
# approved requests and revocations to it with an API token and records
# what comes back.  A full application issued through the upstream, its
# certificate verified by openssl against the upstream's root, the loss
# report forwarded and visible in the upstream's CRL and OCSP answer; and
# the failures: upstream down, a bad token, an untrusted TLS certificate,
# each refused with a clear message and nothing written.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup ra_upstream
S=$SERTEL_BIN
U=$T/psre
R=$T/ra
UPORT=$(free_port) || die "no free port"
UURL="https://127.0.0.1:$UPORT"

KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
SITI=3274014101920002
BUDI=3274010505850006

# refused DESC PATTERN CMD...: exit 2, stderr matching PATTERN, the RA's
# store unchanged (snapshot: certificates, audit, serials, head; and the
# application rows).
rstate() {
	local snap apps
	snap=$(snapshot "$R") || return 1
	apps=$(inst_sql "$R" "SELECT id || ':' || state FROM applications ORDER BY id" | tr '\n' ',') || return 1
	echo "$snap|$apps|$(inst_sql "$R" "SELECT (SELECT COUNT(*) FROM acceptances) || '/' || (SELECT COUNT(*) FROM issuers) || '/' || (SELECT COUNT(*) FROM sealed_keys)")"
}
refused() {
	local desc=$1 pat=$2 before after rc
	shift 2
	before=$(rstate)
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	after=$(rstate)
	if [ $rc -ne 2 ]; then
		fail "$desc: exit $rc, expected 2 ($(cat "$T/err"))"
	elif ! grep -qiE "$pat" "$T/err"; then
		fail "$desc: message does not say '$pat': $(cat "$T/err")"
	elif [ -z "$before" ] || [ "$before" != "$after" ]; then
		fail "$desc: store changed ($before -> $after)"
	else
		pass "$desc: refused ($(head -c 160 "$T/err"))"
	fi
}
# Upstream server over TLS.
UPID=
up_start() {
	local i
	"$S" serve --dir "$U" --listen "127.0.0.1:$UPORT" >>"$T/psre.log" 2>&1 &
	UPID=$!
	SERVER_PID=$UPID
	for i in $(seq 1 100); do
		kill -0 "$UPID" 2>/dev/null || return 1
		[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/uca/root.pem" "$UURL/healthz")" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}
up_stop() {
	[ -n "$UPID" ] || return 0
	kill -TERM "$UPID" 2>/dev/null
	wait "$UPID" 2>/dev/null
	UPID=
	SERVER_PID=
}

# ---- the upstream PSrE, serving HTTPS with a certificate of its own -------
make_instance "$U" --org "PSrE Uji" --base-url "$UURL" || die "init psre: $(cat "$U.init.err")"
"$S" ca export --dir "$U" --out "$T/uca" >/dev/null || die "ca export"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$U/tls.key" -subj /CN=x -out "$T/tls.csr" 2>/dev/null
chmod 600 "$U/tls.key"
ok "the PSrE issues its own ssl-server certificate" "$S" cert issue --dir "$U" --csr "$T/tls.csr" --type sistem --usage ssl-server --cn 127.0.0.1 --ip 127.0.0.1 --out "$T/tls-leaf.pem"
cat "$T/tls-leaf.pem" "$T/uca/issuing.pem" >"$U/tls.pem"
printf '\n[server]\ntls_cert = tls.pem\ntls_key = tls.key\n' >>"$U/sertel.conf"
up_start || die "the PSrE did not start on TLS: $(tail -n 5 "$T/psre.log")"
pass "the PSrE serves HTTPS on $UURL"
check "plain HTTP to the TLS port gets no answer" bash -c "! curl -s --max-time 5 -o /dev/null http://127.0.0.1:$UPORT/healthz"
check "the TLS certificate verifies against the PSrE's root" bash -c "curl -sf --cacert '$T/uca/root.pem' '$UURL/healthz' >/dev/null"
chmod 644 "$U/tls.key"
check_rc "serve refuses a TLS key readable by others" 2 "$S" serve --dir "$U" --listen "127.0.0.1:$(free_port)"
chmod 600 "$U/tls.key"
UTOK=$("$S" token create --dir "$U" --name ra-cirebon --role operator --json | jq -r .token)
UAUD=$("$S" token create --dir "$U" --name auditor-psre --role auditor --json | jq -r .token)
[ -n "$UTOK" ] && [ "$UTOK" != null ] || die "upstream token"

# ---- the RA-only instance -------------------------------------------------------
make_instance "$R" --ra-only --org "Pemerintah Kota Cirebon" || die "init ra: $(cat "$R.init.err")"
check_eq "RA-only: no CA and no keys of its own" 0 "$(inst_sql "$R" "SELECT COUNT(*) FROM issuers")"
printf '%s\n' "$UTOK" >"$R/upstream.token"
chmod 600 "$R/upstream.token"
cp "$T/uca/root.pem" "$R/upstream-root.pem"
sed -i "s|^;url = .*|url = $UURL|; s|^;token_file = .*|token_file = upstream.token|; s|^;ca_file = .*|ca_file = upstream-root.pem|" "$R/sertel.conf"

D=$T/docs
mkdir -p "$D"
for k in pengantar rekomendasi pernyataan; do
	printf '%%PDF-1.4\n%% %s\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$k" >"$D/$k.pdf"
done
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\xff\xd9' >"$D/ktp.jpg"
ATT=(--attach "pengantar=$D/pengantar.pdf" --attach "rekomendasi=$D/rekomendasi.pdf" --attach "ktp=$D/ktp.jpg")

ok "agency" "$S" agency add --dir "$R" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id
ok "kepala-dinas" "$S" person add --dir "$R" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan
ok "kepala-dinas appointed" "$S" person appoint --dir "$R" $KADIS --role kepala-dinas
ok "operator" "$S" person add --dir "$R" --as $KADIS --nik $OP1 --name "Operator Satu" --email op1@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
ok "operator appointed" "$S" person appoint --dir "$R" --as $KADIS $OP1 --role operator-op
ok "Siti" "$S" person add --dir "$R" --nik $SITI --name "Siti Aminah" --email siti@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --superior $KADIS
ok "Budi" "$S" person add --dir "$R" --nik $BUDI --name "Budi Santoso" --email budi@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --superior $KADIS
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/op.key" -subj /CN=x -out "$T/op.csr" 2>/dev/null
ok "the operator's own certificate, through the upstream (admin path)" "$S" cert issue --dir "$R" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Satu" --nik $OP1 --out "$T/op.pem"
check "the operator's certificate verifies against the upstream root" quiet openssl verify -CAfile "$T/uca/root.pem" -untrusted "$T/uca/issuing.pem" "$T/op.pem"

# ---- a full application issued through the upstream ------------------------
APP=$("$S" ra apply --dir "$R" --as $SITI --type individu --usage signing,email "${ATT[@]}" --json | jq -r .id)
ok "submitted" "$S" ra submit --dir "$R" --as $SITI "$APP"
ok "approved by the operator" "$S" ra approve --dir "$R" --as $OP1 "$APP"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/siti.key" -subj /CN=ignored -out "$T/siti.csr" 2>/dev/null
U_CERTS=$(cert_count "$U")
ok "Siti takes her certificate in person; the RA forwards it upstream" "$S" ra issue --dir "$R" "$APP" --as $SITI --accept-agreement --csr "$T/siti.csr" --out "$T/siti.pem" --receipt "$T/siti-receipt.pdf"
SER=$("$S" ra show --dir "$R" "$APP" --json | jq -r .cert_serial)
if openssl verify -CAfile "$T/uca/root.pem" -untrusted "$T/uca/issuing.pem" "$T/siti.pem" >"$T/v.out" 2>&1; then
	pass "openssl verify: her certificate chains to the upstream's root"
else
	fail "openssl verify: $(cat "$T/v.out")"
fi
check "the certificate holds her CSR's key" cmp -s <(openssl x509 -in "$T/siti.pem" -noout -pubkey) <(openssl req -in "$T/siti.csr" -noout -pubkey)
check_eq "issued by the upstream: one more certificate there" $((U_CERTS + 1)) "$(cert_count "$U")"
check_eq "the upstream recorded it, bound to her NIK" "$SITI|valid" "$("$S" cert show --dir "$U" "$SER" --json | jq -r '.nik + "|" + .status')"
check_eq "the RA recorded the same certificate" "$(openssl x509 -in "$T/siti.pem" -outform DER | sha256sum)" "$("$S" cert show --dir "$R" "$SER" --json | jq -r .certificate | openssl x509 -outform DER | sha256sum)"
check_eq "the application is issued" issued "$("$S" ra show --dir "$R" "$APP" --json | jq -r .state)"
check_eq "the RA holds the upstream's chain, without keys" "upstream-ca||upstream-root||" "$(inst_sql "$R" "SELECT role || '|' || key_pem FROM issuers ORDER BY role" | tr '\n' '|')"
check "the RA's audit says where it came from" bash -c "'$S' audit list --dir '$R' --json | jq -e '[.[] | select(.action == \"cert.issue\" and .object == \"cert:$SER\" and (.reason | startswith(\"issued by upstream $UURL\")))] | length == 1' >/dev/null"
check "the upstream's audit names the RA's token" bash -c "'$S' audit list --dir '$U' --json | jq -e '[.[] | select(.action == \"cert.issue\" and .object == \"cert:$SER\" and .actor == \"token:ra-cirebon\")] | length == 1' >/dev/null"
check "the receipt names the certificate" bash -c "pdftotext '$T/siti-receipt.pdf' - | tr -d ' \n' | grep -qi '$SER'"

# ---- failures: nothing half-written ----------------------------------------------
APP2=$("$S" ra apply --dir "$R" --as $BUDI --type individu --usage signing "${ATT[@]}" --json | jq -r .id)
ok "Budi submits" "$S" ra submit --dir "$R" --as $BUDI "$APP2"
ok "approved" "$S" ra approve --dir "$R" --as $OP1 "$APP2"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/budi.key" -subj /CN=x -out "$T/budi.csr" 2>/dev/null
up_stop
refused "upstream down: issuance" "unreachable" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
refused "upstream down: revocation" "unreachable" "$S" ra revoke --dir "$R" "$SER" --as $SITI --cause permintaan-pemilik
up_start || die "the PSrE did not restart"
printf 'stk_bogus-token-0123456789\n' >"$R/upstream.token"
refused "a bad token" "refused the API token" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
printf '%s\n' "$UAUD" >"$R/upstream.token"
refused "a token whose role may not issue" "refused the API token" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
printf '%s\n' "$UTOK" >"$R/upstream.token"
chmod 644 "$R/upstream.token"
refused "a token file readable by others" "chmod 600" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
chmod 600 "$R/upstream.token"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/other.key" -subj "/CN=Other Root" -days 30 -out "$R/other-root.pem" 2>/dev/null
sed -i "s|^ca_file = .*|ca_file = other-root.pem|" "$R/sertel.conf"
refused "an upstream TLS certificate not trusted by ca_file" "not trusted" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
sed -i "s|^ca_file = .*|ca_file = upstream-root.pem|; s|^url = .*|url = http://127.0.0.1:$UPORT|" "$R/sertel.conf"
refused "plain http as the upstream URL" "must be https" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
sed -i "s|^url = .*|url = $UURL|" "$R/sertel.conf"
# A local failure after the upstream issued (here a trigger refusing the
# insert): nothing recorded here, and the orphan revoked upstream.
if [ "$ENGINE" = sqlite ]; then
	inst_sql "$R" "CREATE TRIGGER no_certs BEFORE INSERT ON certs BEGIN SELECT RAISE(ABORT, 'test: store refuses'); END;"
else
	inst_sql "$R" "CREATE FUNCTION no_certs() RETURNS trigger AS \$\$ BEGIN RAISE EXCEPTION 'test: store refuses'; END \$\$ LANGUAGE plpgsql; CREATE TRIGGER no_certs BEFORE INSERT ON certs FOR EACH ROW EXECUTE FUNCTION no_certs();"
fi
U_CERTS=$(cert_count "$U")
refused "a local failure after the upstream issued" "revoked there as superseded" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --csr "$T/budi.csr"
check_eq "the orphan exists upstream, revoked as superseded" "$((U_CERTS + 1))|1" "$(cert_count "$U")|$("$S" cert list --dir "$U" --json | jq '[.[] | select(.status == "revoked" and .reason == "superseded")] | length')"
if [ "$ENGINE" = sqlite ]; then
	inst_sql "$R" "DROP TRIGGER no_certs;"
else
	inst_sql "$R" "DROP TRIGGER no_certs ON certs; DROP FUNCTION no_certs();"
fi
check_eq "after all that, Budi's application is still approved" approved "$("$S" ra show --dir "$R" "$APP2" --json | jq -r .state)"
printf 'Budi-Rahasia-Kuat-2026!\n' >"$T/budi.pass"
ok "with the upstream back, Budi takes a generated, sealed key" "$S" ra issue --dir "$R" "$APP2" --as $BUDI --accept-agreement --generate-key --passphrase-file "$T/budi.pass" --out "$T/budi.pem"
check "Budi's certificate verifies against the upstream root" quiet openssl verify -CAfile "$T/uca/root.pem" -untrusted "$T/uca/issuing.pem" "$T/budi.pem"
check_eq "his sealed key stays in the RA, not upstream" "1|0" "$(inst_sql "$R" "SELECT COUNT(*) FROM sealed_keys")|$(inst_sql "$U" "SELECT COUNT(*) FROM sealed_keys")"

# ---- revocation forwarded: loss report -------------------------------------------
ok "Siti reports her key lost; the RA forwards the revocation" "$S" ra report-loss --dir "$R" "$SER" --as $SITI --acknowledged-by $KADIS --attach "pernyataan=$D/pernyataan.pdf" --attach "laporan-polisi=$D/ktp.jpg"
check_eq "revoked upstream as keyCompromise" "revoked keyCompromise" "$("$S" cert show --dir "$U" "$SER" --json | jq -r '.status + " " + .reason')"
check_eq "recorded in the RA the same" "revoked keyCompromise" "$("$S" cert show --dir "$R" "$SER" --json | jq -r '.status + " " + .reason')"
CRLURL=$(curl -sf --cacert "$T/uca/root.pem" "$UURL/api/v1/ca" | jq -r '.issuers[] | select(.role == "issuing") | .crl_url')
curl -sf --cacert "$T/uca/root.pem" -o "$T/u.crl" "$CRLURL"
if openssl crl -inform DER -in "$T/u.crl" -noout -text 2>/dev/null | grep -A5 -i "Serial Number: $SER" | grep -q "Key Compromise"; then
	pass "the upstream's CRL (over HTTPS) lists it as Key Compromise"
else
	fail "the upstream's CRL does not list $SER as Key Compromise"
fi
openssl ocsp -issuer "$T/uca/issuing.pem" -cert "$T/siti.pem" -no_nonce -reqout "$T/ocsp.req" >/dev/null 2>&1
curl -sf --cacert "$T/uca/root.pem" -H 'Content-Type: application/ocsp-request' --data-binary @"$T/ocsp.req" -o "$T/ocsp.resp" "$UURL/ocsp"
check "the upstream's OCSP answer says revoked (keyCompromise)" bash -c "openssl ocsp -respin '$T/ocsp.resp' -issuer '$T/uca/issuing.pem' -cert '$T/siti.pem' -CAfile '$T/uca/root.pem' -no_nonce 2>&1 | grep -A5 'revoked' | grep -qi 'keyCompromise'"
check "the RA's audit says the upstream revoked it" bash -c "'$S' audit list --dir '$R' --json | jq -e '[.[] | select(.action == \"cert.revoke\" and .object == \"cert:$SER\" and (.reason | contains(\"revoked by upstream\")))] | length == 1' >/dev/null"
refused "revoking it again" "already revoked" "$S" ra revoke --dir "$R" "$SER" --as $SITI --cause permintaan-pemilik
REAPP=$("$S" ra renew --dir "$R" "$SER" --as $SITI --json | jq -r .id)
check_eq "a re-application after the loss" reapply "$("$S" ra show --dir "$R" "$REAPP" --json | jq -r .kind)"

# ---- the RA-only instance's own server: the RA API, issuance forwarded ------------
RPORT=$(free_port)
RURL="http://127.0.0.1:$RPORT"
"$S" serve --dir "$R" --listen "127.0.0.1:$RPORT" >>"$T/ra.log" 2>&1 &
RPID=$!
trap 'kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; on_exit' EXIT
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$RURL/healthz")" = 200 ] && break
	sleep 0.1
done
check_eq "the RA-only instance serves without CA keys" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$RURL/healthz")"
check_eq "it has no CRL or OCSP of its own (404)" "404 404" "$(curl -s -o /dev/null -w '%{http_code}' "$RURL/api/v1/ca") $(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$T/ocsp.req" "$RURL/ocsp")"
STOK=$("$S" token create --dir "$R" --name siti --nik $SITI --json | jq -r .token)
OTOK=$("$S" token create --dir "$R" --name op1 --nik $OP1 --json | jq -r .token)
api() { curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
check_eq "Siti submits her re-application over the API" 200 "$(api "$STOK" -X POST "$RURL/api/v1/applications/$REAPP/submit")"
check_eq "the operator approves it over the API" 200 "$(api "$OTOK" -X POST "$RURL/api/v1/applications/$REAPP/approve")"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/siti2.key" -subj /CN=x -out "$T/siti2.csr" 2>/dev/null
jq -n --rawfile csr "$T/siti2.csr" '{accept_agreement: true, csr: $csr}' >"$T/issue.json"
up_stop
before=$(rstate)
check_eq "API issue with the upstream down: 502 upstream" "502|upstream" "$(api "$STOK" -X POST --data-binary @"$T/issue.json" "$RURL/api/v1/applications/$REAPP/issue")|$(jq -r .code "$T/body")"
check "the 502 says the upstream is unreachable" grep -q unreachable "$T/body"
check_eq "... and nothing was written" "$before" "$(rstate)"
up_start || die "the PSrE did not restart"
check_eq "API issue with the upstream back: 201" 201 "$(api "$STOK" -X POST --data-binary @"$T/issue.json" "$RURL/api/v1/applications/$REAPP/issue")"
jq -r .certificate "$T/body" >"$T/siti2.pem"
jq -r '.chain[1]' "$T/body" >"$T/siti2-root.pem"
check "the chain returned is the upstream's" cmp -s <(openssl x509 -in "$T/siti2-root.pem" -outform DER) <(openssl x509 -in "$T/uca/root.pem" -outform DER)
check "the re-issued certificate verifies against the upstream root" quiet openssl verify -CAfile "$T/uca/root.pem" -untrusted "$T/uca/issuing.pem" "$T/siti2.pem"
check_eq "GET its receipt from the RA: a PDF" 200 "$(api "$STOK" "$RURL/api/v1/applications/$REAPP/receipt")"
check "the receipt passes qpdf --check" quiet qpdf --check "$T/body"
kill -TERM "$RPID"
wait "$RPID"
check_eq "the RA-only server stops cleanly" 0 $?

# ---- the upstream's revocation API, role by role -----------------------------------
BSER=$("$S" ra show --dir "$R" "$APP2" --json | jq -r .cert_serial)
rcall() { curl -s --cacert "$T/uca/root.pem" -o "$T/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' "$@"; }
before=$(snapshot "$U")
check_eq "revoke API without a token: 401" 401 "$(rcall --data-binary '{"reason": "superseded"}' "$UURL/api/v1/certificates/$BSER/revoke")"
check_eq "revoke API with an auditor token: 403" 403 "$(rcall -H "Authorization: Bearer $UAUD" --data-binary '{"reason": "superseded"}' "$UURL/api/v1/certificates/$BSER/revoke")"
check_eq "revoke API with a non-final reason: 400" 400 "$(rcall -H "Authorization: Bearer $UTOK" --data-binary '{"reason": "certificateHold"}' "$UURL/api/v1/certificates/$BSER/revoke")"
check_eq "revoke API for an unknown serial: 404" 404 "$(rcall -H "Authorization: Bearer $UTOK" --data-binary '{"reason": "superseded"}' "$UURL/api/v1/certificates/01ab/revoke")"
check_eq "revoke API for a revoked certificate: 409" 409 "$(rcall -H "Authorization: Bearer $UTOK" --data-binary '{"reason": "superseded"}' "$UURL/api/v1/certificates/$SER/revoke")"
check_eq "the refused revocations changed nothing upstream" "$before" "$(snapshot "$U")"
check_eq "revoke API with the operator token: 200" "200|revoked|superseded" "$(rcall -H "Authorization: Bearer $UTOK" --data-binary '{"reason": "superseded", "note": "uji"}' "$UURL/api/v1/certificates/$BSER/revoke")|$(jq -r '.status + "|" + .reason' "$T/body")"

check "the RA's audit trail verifies" quiet "$S" audit verify --dir "$R"
check "the upstream's audit trail verifies" quiet "$S" audit verify --dir "$U"
up_stop
finish
