#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 12: BSrE's endpoints sertel lacked, driven as BSrE's client
# libraries call them (JSON, HTTP Basic), with a real SMTP server on
# loopback (aiosmtpd) receiving the codes:
#   /api/v2/sign/get/totp mails a code to the owner's registered address;
#   the code replaces the passphrase in /api/v2/sign/pdf once, not twice,
#   not after [esign] otp_seconds; wrong codes lock like wrong passphrases;
#   an authenticator's RFC 6238 code replaces it too;
#   /api/v2/seal/get/activation, /seal/get/totp, /seal/revoke/activation
#   and the seal's code in /api/v2/seal/pdf;
#   /api/v2/user/registration (and /register) files a request the OP sees
#   in its queue and issues nothing; bad input writes nothing.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup esign_otp
S=$SERTEL_BIN
PY=/usr/bin/python3
$PY -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is not installed"
for tool in jq curl; do command -v $tool >/dev/null 2>&1 || die "$tool is not installed"; done
I=$T/inst
MKPDF="python3 $(dirname "$0")/mkpdf.py"
PORT=$(free_port)
make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init failed: $(cat "$I.init.err")"
SMTP_PORT=$(free_port)
MD=$T/maildir
smtp_conf "$I/sertel.conf" "$SMTP_PORT" "Sertel Kota Cirebon <noreply@cirebonkota.go.id>"
# otp_seconds is short so that expiry is tested without a long sleep.
cat >>"$I/sertel.conf" <<EOF

[esign]
max_failures = 3
otp_seconds = 4
otp_resend_seconds = 0
EOF
smtp_start "$SMTP_PORT" "$MD" || die "aiosmtpd did not start"
trap 'smtp_stop; on_exit' EXIT

KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
BUDI=3274010202850003
LOCK=3274010505880006
MIX=3274010303860004
TOTPU=3274010606890007
NEW1=3274011111940012
NEW2=3274011212950013
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"
printf 'salah-sekali-2026\n' >"$T/wrong.txt"

. "$(dirname "$0")/owners.sh"
esign_people || die "the agency, its kepala-dinas and the OP operator"
check "owner Budi issued with a server-sealed key" owner $BUDI "Budi Santoso" budi
check "owner (to lock by codes) issued" owner $LOCK "Lukman Hakim" lukman
check "owner (passphrases and codes share the lock) issued" owner $MIX "Mira Sari" mira
check "owner (authenticator app) issued" owner $TOTPU "Tono Sutrisno" tono

make_csr "$T/seal.csr" ec-p256 seal
ok "jabatan certificate for the seal" "$S" cert issue --dir "$I" --csr "$T/seal.csr" --type jabatan --usage signing --cn "Pemerintah Kota Cirebon" --title "Sekretaris Daerah" --email setda@cirebonkota.go.id --out "$T/seal.pem"
ok "seal registered" "$S" esign seal add --dir "$I" --id pemkot-cirebon --key "$T/seal.csr.key" --cert "$T/seal.pem"
check_rc "seal email: a bad address refused (exit 2)" 2 "$S" esign seal email --dir "$I" --id pemkot-cirebon --email 'not an address'
check_rc "seal email: unknown seal refused" 2 "$S" esign seal email --dir "$I" --id nope --email setda@kominfo.cirebonkota.go.id
ok "seal email set" "$S" esign seal email --dir "$I" --id pemkot-cirebon --email setda@kominfo.cirebonkota.go.id

APP=$("$S" client add --dir "$I" --name srikandi --perms sign,verify) || die "client add"
VER=$("$S" client add --dir "$I" --name portal-verifikasi --perms verify) || die "client add verify"
SEAL=$("$S" client add --dir "$I" --name sertifikat-webinar --perms seal --seal pemkot-cirebon) || die "client add seal"
REG=$("$S" client add --dir "$I" --name aplikasi-daftar --perms register) || die "client add register"

server_start_port "$I" "$PORT" || die "server did not start"
U=$SERVER_URL
$MKPDF "$T/a.pdf"
B64=$(base64 -w0 "$T/a.pdf")

# v2 CRED PATH JSON: the HTTP status; the answer in $T/body.
v2() {
	curl -s -o "$T/body" -w '%{http_code}' -u "$1" -H 'Content-Type: application/json' \
		--data-binary "$3" "$U$2"
}
# bsre WANT_HTTP WANT_CODE DESC CRED PATH JSON: BSrE's error shape and code.
bsre() {
	local want=$1 wcode=$2 desc=$3 code sc
	shift 3
	code=$(v2 "$@")
	sc=$(jq -r '.status_code // empty' "$T/body" 2>/dev/null)
	if [ "$code" = "$want" ] && [ "$sc" = "$wcode" ] &&
		jq -e '(.error | type) == "string"' "$T/body" >/dev/null 2>&1; then
		pass "$desc: $code/$sc"
	else
		fail "$desc: HTTP $code status_code [$sc], expected $want/$wcode: $(head -c 300 "$T/body")"
	fi
}
# good DESC CRED PATH JSON: 200 with success true.
good() {
	local desc=$1 code
	shift
	code=$(v2 "$@")
	if [ "$code" = 200 ] && jq -e '.success == true or (.file | type) == "array"' "$T/body" >/dev/null 2>&1; then
		pass "$desc: 200"
	else
		fail "$desc: HTTP $code: $(head -c 300 "$T/body")"
	fi
}
sign_json() { # NIK CODE: a v2 sign call with a code and no passphrase
	jq -nc --arg n "$1" --arg t "$2" --arg f "$B64" \
		'{nik:$n, totp:$t, signatureProperties:[{tampilan:"INVISIBLE", reason:"Disetujui"}], file:[$f]}'
}
seal_json() { # CODE
	jq -nc --arg t "$1" --arg f "$B64" \
		'{idSubscriber:"pemkot-cirebon", totp:$t, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}'
}
# code_for ADDRESS: delivers the queue, then the code of the newest
# message to ADDRESS (empty when none); messages read are removed.
code_for() {
	"$S" mail flush --dir "$I" >/dev/null 2>&1
	$PY - "$MD" "$1" <<'PY'
import email, glob, os, re, sys
best = None
for path in glob.glob(os.path.join(sys.argv[1], 'new', '*')) + glob.glob(os.path.join(sys.argv[1], 'cur', '*')):
    with open(path, 'rb') as f:
        m = email.message_from_binary_file(f)
    if sys.argv[2] not in (m['To'] or ''):
        continue
    hit = re.search(rb'Anda: (\d{6})', m.get_payload(decode=True) or b'')
    if hit and (best is None or os.stat(path).st_mtime_ns >= best[0]):
        best = (os.stat(path).st_mtime_ns, hit.group(1).decode())
    if hit:
        os.remove(path)  # read once: the next call sees only newer codes
print(best[1] if best else '')
PY
}
signed_ok() { jq -r '.file[0]' "$T/body" | base64 -d >"$T/signed.pdf" && "$S" verify --dir "$I" "$T/signed.pdf" >/dev/null 2>&1; }
codes() { inst_sql "$I" "SELECT COUNT(*) FROM esign_codes"; }
BUDIM=budi@kominfo.cirebonkota.go.id

# ---- /api/v2/sign/get/totp: who may, and before enrolment ---------------------
code=$(v2 "srikandi:wrong" /api/v2/sign/get/totp "{\"nik\":\"$BUDI\",\"data\":1}")
check_eq "get/totp: wrong client secret is 401" 401 "$code"
bsre 403 403 "get/totp: a verify-only client is refused" "portal-verifikasi:$VER" /api/v2/sign/get/totp "{\"nik\":\"$BUDI\"}"
bsre 400 2062 "get/totp: neither nik nor email" "srikandi:$APP" /api/v2/sign/get/totp '{"data":1}'
bsre 400 2011 "get/totp: unknown NIK is BSrE's 2011" "srikandi:$APP" /api/v2/sign/get/totp '{"nik":"3274019999990099"}'
bsre 400 2052 "get/totp: not enrolled for codes, nothing sent" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$BUDI\"}"
check_eq "get/totp before enrolment: no code stored" 0 "$(codes)"
bsre 400 2052 "sign with a code before enrolment refused" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $BUDI 123456)"

# ---- enrolment: the passphrase once --------------------------------------------
check_rc "otp enrol: a wrong passphrase refused" 2 "$S" esign otp enrol --dir "$I" --nik $BUDI --passphrase-file "$T/wrong.txt"
inst_sql "$I" "UPDATE esign_owners SET failures = 0 WHERE nik = '$BUDI'" >/dev/null
check_eq "otp enrol refused: nothing wrapped" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_owners WHERE otp_key IS NOT NULL")"
ok "otp enrol with the passphrase" "$S" esign otp enrol --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt"
check_eq "enrolment audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.otp.enrol' AND object = 'person:$BUDI'")"
for n in $LOCK $MIX; do quiet "$S" esign otp enrol --dir "$I" --nik $n --passphrase-file "$T/pass.txt" || fail "otp enrol $n"; done

# ---- the e-mailed code: arrives, signs once ----------------------------------------
good "get/totp: code sent" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$BUDI\",\"data\":1}"
C1=$(code_for $BUDIM)
check_eq "the code arrived at the registered address (6 digits)" 6 "${#C1}"
check_eq "only its HMAC is stored (32 bytes)" 32 "$(inst_sql "$I" "SELECT LENGTH(code_mac) FROM esign_codes WHERE subject = 'nik:$BUDI'")"
check_eq "the code is in no audit entry" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE reason LIKE '%$C1%' OR object LIKE '%$C1%'")"
check_eq "the code is not in the server log" 0 "$(grep -c "$C1" "$SERVER_LOG")"
code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $BUDI "$C1")")
check_eq "sign with the e-mailed code instead of the passphrase: 200" 200 "$code"
check "the PDF signed with the code verifies" signed_ok
bsre 400 2052 "the same code a second time refused" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $BUDI "$C1")"
# By e-mail, as BSrE's v2 allows.
good "get/totp by e-mail" "srikandi:$APP" /api/v2/sign/get/totp "{\"email\":\"$BUDIM\"}"
C2=$(code_for $BUDIM)
sleep 5
bsre 400 2052 "a code used after otp_seconds refused" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $BUDI "$C2")"
inst_sql "$I" "UPDATE esign_owners SET failures = 0 WHERE nik = '$BUDI'" >/dev/null
code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$(jq -nc --arg n $BUDI --arg f "$B64" '{nik:$n, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}')")
check_eq "neither passphrase nor code: 400" 400 "$code"
code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$(jq -nc --arg n $BUDI --arg p "$PW" --arg f "$B64" '{nik:$n, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}')")
check_eq "the passphrase still signs: 200" 200 "$code"

# ---- wrong codes lock like wrong passphrases -------------------------------------------
LUKM=lukman@kominfo.cirebonkota.go.id
good "get/totp for the owner to lock" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$LOCK\"}"
CL=$(code_for $LUKM)
W=000000
[ "$CL" = "$W" ] && W=111111
bsre 400 2052 "wrong code 1 of 3" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $LOCK $W)"
bsre 400 2052 "wrong code 2 of 3" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $LOCK $W)"
bsre 400 2052 "wrong code 3 of 3 (locks)" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $LOCK $W)"
check "the locking answer says so" grep -q dikunci "$T/body"
bsre 403 2051 "the right code after the lock refused" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $LOCK "$CL")"
check_eq "owner SUSPEND after wrong codes" SUSPEND "$("$S" esign status --dir "$I" --nik $LOCK)"
check_eq "wrong codes audited as such" 3 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.totp.wrong' AND object = 'person:$LOCK'")"
bsre 403 2051 "get/totp for a locked owner sends nothing" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$LOCK\"}"
ok "OP unlocks" "$S" esign unlock --dir "$I" --nik $LOCK --as $OP1 --reason "identitas diperiksa"
# Passphrases and codes count against one lock.
MIRA=mira@kominfo.cirebonkota.go.id
for k in 1 2; do
	code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$(jq -nc --arg n $MIX --arg f "$B64" '{nik:$n, passphrase:"salah-sekali", signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}')")
	check_eq "wrong passphrase $k of 3" 400 "$code"
done
good "get/totp after two wrong passphrases" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$MIX\"}"
CM=$(code_for $MIRA)
W=000000
[ "$CM" = "$W" ] && W=111111
bsre 400 2052 "a wrong code as the third attempt" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $MIX $W)"
check_eq "two wrong passphrases and one wrong code lock" SUSPEND "$("$S" esign status --dir "$I" --nik $MIX)"

# ---- an authenticator app (RFC 6238) replaces the passphrase too ----------------------------
SECRET=$("$S" esign totp enrol --dir "$I" --nik $TOTPU --passphrase-file "$T/pass.txt" | head -1)
check_eq "totp enrol gives a base32 secret" 32 "${#SECRET}"
# The authenticator alone is a second factor; replacing the passphrase is
# the owner's separate, explicit choice (otp enrol).
TC0=$($PY - "$SECRET" <<'PY'
import base64, hmac, struct, sys, time
k = base64.b32decode(sys.argv[1] + '=' * (-len(sys.argv[1]) % 8))
h = hmac.new(k, struct.pack('>Q', int(time.time()) // 30), 'sha1').digest()
o = h[-1] & 15
print('%06d' % ((struct.unpack('>I', h[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
)
good "get/totp for an authenticator's owner not enrolled for codes: 200, nothing sent" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$TOTPU\"}"
check "... the answer points to the authenticator" grep -q autentikator "$T/body"
check_eq "... and no code was stored" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_codes WHERE subject = 'nik:$TOTPU'")"
bsre 400 2052 "an authenticator's code alone before otp enrol refused" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $TOTPU "$TC0")"
ok "otp enrol for the authenticator's owner" "$S" esign otp enrol --dir "$I" --nik $TOTPU --passphrase-file "$T/pass.txt"
sleep 1
TC=$($PY - "$SECRET" <<'PY'
import base64, hmac, struct, sys, time
k = base64.b32decode(sys.argv[1] + '=' * (-len(sys.argv[1]) % 8))
h = hmac.new(k, struct.pack('>Q', int(time.time()) // 30), 'sha1').digest()
o = h[-1] & 15
print('%06d' % ((struct.unpack('>I', h[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
)
code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $TOTPU "$TC")")
check_eq "sign with the authenticator's code alone: 200" 200 "$code"
bsre 400 2052 "the authenticator's code replayed" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $TOTPU "$TC")"

# ---- seals ---------------------------------------------------------------------
SETDA=setda@kominfo.cirebonkota.go.id
bsre 403 403 "seal/get/activation: a client without the seal permission" "srikandi:$APP" /api/v2/seal/get/activation '{"idSubscriber":"pemkot-cirebon"}'
bsre 400 2062 "seal/get/activation: idSubscriber missing" "sertifikat-webinar:$SEAL" /api/v2/seal/get/activation '{}'
bsre 403 2062 "seal/get/activation: another seal" "sertifikat-webinar:$SEAL" /api/v2/seal/get/activation '{"idSubscriber":"lain"}'
bsre 400 2052 "seal/pdf before activation refused" "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$(seal_json 123456)"
bsre 400 2052 "seal/get/totp before any activation code" "sertifikat-webinar:$SEAL" /api/v2/seal/get/totp '{"idSubscriber":"pemkot-cirebon","totp":"123456","data":1}'
good "seal/get/activation: code sent" "sertifikat-webinar:$SEAL" /api/v2/seal/get/activation '{"idSubscriber":"pemkot-cirebon"}'
CA=$(code_for $SETDA)
check_eq "the activation code arrived at the seal's address" 6 "${#CA}"
W=000000
[ "$CA" = "$W" ] && W=111111
bsre 400 2052 "seal/get/totp: a wrong activation code" "sertifikat-webinar:$SEAL" /api/v2/seal/get/totp "{\"idSubscriber\":\"pemkot-cirebon\",\"totp\":\"$W\",\"data\":1}"
bsre 400 2052 "seal/get/totp: a wrong guess spent the activation code" "sertifikat-webinar:$SEAL" /api/v2/seal/get/totp "{\"idSubscriber\":\"pemkot-cirebon\",\"totp\":\"$CA\",\"data\":1}"
good "seal/get/activation again" "sertifikat-webinar:$SEAL" /api/v2/seal/get/activation '{"idSubscriber":"pemkot-cirebon"}'
CA=$(code_for $SETDA)
good "seal/get/totp with the activation code: activated, code sent" "sertifikat-webinar:$SEAL" /api/v2/seal/get/totp "{\"idSubscriber\":\"pemkot-cirebon\",\"totp\":\"$CA\",\"data\":1}"
check_eq "activation audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.seal.activate'")"
CS=$(code_for $SETDA)
code=$(v2 "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$(seal_json "$CS")")
check_eq "seal/pdf with the seal's code: 200" 200 "$code"
check "the sealed PDF verifies" signed_ok
bsre 400 2052 "seal/pdf: the code a second time" "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$(seal_json "$CS")"
bsre 400 2052 "seal/pdf: without a code" "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$(seal_json "")"
good "seal/get/totp while active needs no activation code" "sertifikat-webinar:$SEAL" /api/v2/seal/get/totp '{"idSubscriber":"pemkot-cirebon","data":1}'
CS=$(code_for $SETDA)
good "seal/revoke/activation" "sertifikat-webinar:$SEAL" /api/v2/seal/revoke/activation "{\"idSubscriber\":\"pemkot-cirebon\",\"totp\":\"$CS\"}"
check_eq "revocation audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.seal.deactivate'")"
bsre 400 2052 "seal/pdf: a code mailed before the revocation is dead" "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$(seal_json "$CS")"
bsre 400 2062 "seal/revoke/activation: not active" "sertifikat-webinar:$SEAL" /api/v2/seal/revoke/activation '{"idSubscriber":"pemkot-cirebon"}'

# ---- /api/v2/user/registration: a request in the OP's queue, nothing issued --------------
counts() { inst_sql "$I" "SELECT (SELECT COUNT(*) FROM certs) || ' ' || (SELECT COUNT(*) FROM persons) || ' ' || (SELECT COUNT(*) FROM applications) || ' ' || (SELECT COUNT(*) FROM attachments) || ' ' || (SELECT COUNT(*) FROM audit)"; }
KTP=$(base64 -w0 "$D/ktp.png")
REK=$(base64 -w0 "$D/rekomendasi.pdf")
PGT=$(base64 -w0 "$D/pengantar.pdf")
reg_json() { # NIK EMAIL [no-files]
	if [ "${3:-}" = no-files ]; then
		jq -nc --arg n "$1" --arg e "$2" '{nik:$n, nama:"Nia Ramadhani", email:$e}'
	else
		jq -nc --arg n "$1" --arg e "$2" --arg k "$KTP" --arg r "$REK" --arg p "$PGT" \
			'{nik:$n, nama:"Nia Ramadhani", email:$e, jabatan:"Analis", ktp:$k, surat_rekomendasi:$r, surat_pengantar:$p}'
	fi
}
BEFORE=$(counts)
bsre 403 403 "registration: a client without the register permission" "srikandi:$APP" /api/v2/user/registration "$(reg_json $NEW1 nia@kominfo.cirebonkota.go.id)"
bsre 400 2062 "registration: nama missing" "aplikasi-daftar:$REG" /api/v2/user/registration "{\"nik\":\"$NEW1\",\"email\":\"nia@kominfo.cirebonkota.go.id\"}"
bsre 400 2062 "registration: a malformed NIK" "aplikasi-daftar:$REG" /api/v2/user/registration "$(reg_json 12345 nia@kominfo.cirebonkota.go.id)"
bsre 400 2062 "registration: an address of no registered agency" "aplikasi-daftar:$REG" /api/v2/user/registration "$(reg_json $NEW1 nia@gmail.com)"
bsre 400 2062 "registration: the required attachments missing" "aplikasi-daftar:$REG" /api/v2/user/registration "$(reg_json $NEW1 nia@kominfo.cirebonkota.go.id no-files)"
bsre 400 2062 "registration: an attachment that is not base64" "aplikasi-daftar:$REG" /api/v2/user/registration "{\"nik\":\"$NEW1\",\"nama\":\"Nia\",\"email\":\"nia@kominfo.cirebonkota.go.id\",\"ktp\":\"%%%\"}"
bsre 400 2062 "registration: a NIK registered already" "aplikasi-daftar:$REG" /api/v2/user/registration "$(reg_json $BUDI nia@kominfo.cirebonkota.go.id)"
check_eq "refused registrations wrote nothing (certs persons applications attachments audit)" "$BEFORE" "$(counts)"
good "registration accepted" "aplikasi-daftar:$REG" /api/v2/user/registration "$(reg_json $NEW1 nia@kominfo.cirebonkota.go.id)"
RID=$(jq -r .id_permohonan "$T/body")
check_eq "registration answer: WAITING_FOR_VERIFICATION" WAITING_FOR_VERIFICATION "$(jq -r .status "$T/body")"
check_eq "the OP's queue holds it, submitted, for that NIK" "$NEW1" "$("$S" ra list --dir "$I" --state submitted --json | jq -r ".[] | select(.id == \"$RID\") | .applicant_nik")"
check_eq "nothing issued (certificate count unchanged)" "${BEFORE%% *}" "$(inst_sql "$I" "SELECT COUNT(*) FROM certs")"
check_eq "the person is registered as pemohon at the agency of the address" "pemohon|$KOMINFO" "$(inst_sql "$I" "SELECT p.roles || '|' || a.name FROM persons p JOIN agencies a ON a.id = p.agency_id WHERE p.nik = '$NEW1'")"
check_eq "status is WAITING_FOR_VERIFICATION" WAITING_FOR_VERIFICATION "$("$S" esign status --dir "$I" --nik $NEW1)"
check_eq "the trail names the client" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'application.submit' AND actor = 'client:aplikasi-daftar:nik:$NEW1'")"
good "registration through the /register spelling" "aplikasi-daftar:$REG" /api/v2/user/register "$(reg_json $NEW2 nina@kominfo.cirebonkota.go.id)"
check_eq "the second request is queued too" 2 "$("$S" ra list --dir "$I" --state submitted --json | jq "[.[] | select(.applicant_nik == \"$NEW1\" or .applicant_nik == \"$NEW2\")] | length")"

# ---- taking it back: otp disable (allowed and denied), otp_sign = 0 ----------------------
"$S" esign otp disable --dir "$I" --nik $BUDI --as $LOCK >/dev/null 2>"$T/err"
check_eq "otp disable by another owner refused (exit 2)" 2 "$?"
check "... because only the owner, an OP operator or the administrator may" grep -q "only the owner" "$T/err"
check_eq "the refused disable left the wrapped key" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_owners WHERE nik = '$BUDI' AND otp_key IS NOT NULL")"
good "get/totp while enrolled" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$BUDI\"}"
CB=$(code_for $BUDIM)
server_stop
sed -i 's/^otp_seconds = 4/otp_seconds = 300\notp_sign = 0/' "$I/sertel.conf"
server_start_port "$I" "$PORT" || die "server did not restart"
U=$SERVER_URL
bsre 400 2062 "otp_sign = 0: a code alone no longer signs" "srikandi:$APP" /api/v2/sign/pdf "$(sign_json $BUDI "$CB")"
bsre 400 2052 "otp_sign = 0: get/totp sends nothing" "srikandi:$APP" /api/v2/sign/get/totp "{\"nik\":\"$BUDI\"}"
ok "otp disable by the owner" "$S" esign otp disable --dir "$I" --nik $BUDI --as $BUDI
check_eq "disable audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.otp.disable' AND object = 'person:$BUDI'")"
check_rc "otp disable when not enrolled refused" 2 "$S" esign otp disable --dir "$I" --nik $BUDI
check "the audit chain verifies" quiet "$S" audit verify --dir "$I"

finish
