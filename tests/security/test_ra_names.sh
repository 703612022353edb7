#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, the RA area, on the engine of this run, through the CLI and the
# HTTP API (a real `sertel serve` on loopback, a real aiosmtpd for the
# mailed codes, openssl as the judge of certificates):
#   1. names bound to the person record: the forged application (cn "Wali
#      Kota Cirebon", walikota@gmail.com, a DNS name outside the agency's
#      domain) is refused; a normal certificate carries the registered
#      name, NIP, position and agency; a second address is certified only
#      after its mailed code is confirmed (wrong, expired, reused and
#      exhausted codes refused); a sistem's IP addresses are flagged
#      needs_review and the approval must cover them;
#   2. a non-owner gets 403, never the owner's 409, in every state;
#   3. only a kepala-dinas appoints auditors;
#   4./5. CSRs with e = 3, or followed by a second PEM block or garbage,
#      are refused by the CLI, the CA API and the RA API.
# Every refusal leaves the store as it was (counts compared).
. "$(cd "$(dirname "$0")/../interop" && pwd)/lib.sh"
lib_setup ra_names
S=$SERTEL_BIN
PY=/usr/bin/python3
$PY -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd)"
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null 2>&1 || die "ca export failed"
PORT=$(free_port)
MD=$T/maildir
smtp_conf "$I/sertel.conf" "$PORT" "Sertel Kota Cirebon <noreply@cirebonkota.go.id>"

trap 'smtp_stop; on_exit' EXIT
smtp_start "$PORT" "$MD" || die "aiosmtpd did not start"

# code_for ADDRESS: delivers the queue, then prints the one code mailed to
# ADDRESS since the last call (8 digits after "Elektronik Anda: ").
code_for() {
	"$S" mail flush --dir "$I" >/dev/null 2>&1
	$PY - "$MD" "$1" <<'PY'
import mailbox, re, sys
# Each code is read once: the messages read are removed, so the next call
# sees only what was mailed after.
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
codes = []
for key, m in list(box.items()):
    if sys.argv[2] not in (m['To'] or ''):
        continue
    body = m.get_payload(decode=True).decode('utf-8', 'replace')
    hit = re.search(r'Elektronik Anda: (\d{8})', body)
    if hit:
        codes.append(hit.group(1))
    box.remove(key)
print(codes[0] if len(codes) == 1 else '')
PY
}

KOMINFO="Dinas Komunikasi dan Informatika"
DOM=kominfo.cirebonkota.go.id
KADIS=3274010101800001  # kepala-dinas
OP1=3274010101900001    # operator-op with a certificate
OP2=3274010202910002    # another operator-op with a certificate
WALI=3274010707870006   # the Wali Kota, registered with his real record
BUDI=3274010505850006   # a pemohon (individu), with a NIP
KABID=3274011010700007  # a pemohon with a position (jabatan)
SYS=3274010606880005    # owner of a system (sistem)
AUD1=3274011212720009   # auditor candidates
AUD2=3274010211730010
AUD3=3274010312740011
BUDI_NIP=198505052010011003

counts() {
	inst_sql "$I" "SELECT (SELECT COUNT(*) FROM persons)||'/'||(SELECT COUNT(*) FROM applications)||'/'||(SELECT COUNT(*) FROM attachments)||'/'||(SELECT COUNT(*) FROM approvals)||'/'||(SELECT COUNT(*) FROM audit)||'/'||(SELECT COUNT(*) FROM certs)||'/'||(SELECT COUNT(*) FROM email_verifications)||'/'||(SELECT COUNT(*) FROM mail_queue)"
}
sql1() { inst_sql "$I" "$1"; }
# cli_refused DESC WANT_EXIT PATTERN CMD...: the exit status, the one-line
# message matching PATTERN (grep -E), and nothing changed.
cli_refused() {
	local desc=$1 want=$2 pat=$3 before after rc
	shift 3
	before=$(counts)
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	after=$(counts)
	if [ "$rc" != "$want" ]; then
		fail "$desc: exit $rc, expected $want: $(head -c 300 "$T/err")"
	elif ! grep -Eq -- "$pat" "$T/err"; then
		fail "$desc: message does not say /$pat/: $(head -c 300 "$T/err")"
	elif [ "$before" != "$after" ]; then
		fail "$desc: store changed ($before -> $after)"
	else
		pass "$desc: exit $rc ($(head -c 110 "$T/err"))"
	fi
}

JSON='Content-Type: application/json'
APPS=/api/v1/applications
# refused DESC WANT PATTERN TOKEN METHOD PATH [curl args...]
refused() {
	local desc=$1 want=$2 pat=$3 before after code
	shift 3
	before=$(counts)
	code=$(call "$@")
	after=$(counts)
	if [ "$code" != "$want" ]; then
		fail "$desc: HTTP $code, expected $want: $(head -c 300 "$T/body")"
	elif ! is_json_error; then
		fail "$desc: not a JSON {error, code} body: $(head -c 200 "$T/body")"
	elif ! jq -r .error "$T/body" | grep -Eq -- "$pat"; then
		fail "$desc: message does not say /$pat/: $(jq -r .error "$T/body")"
	elif [ "$before" != "$after" ]; then
		fail "$desc: store changed ($before -> $after)"
	else
		pass "$desc: $code ($(jq -r .error "$T/body" | head -c 110))"
	fi
}

# ---- people -----------------------------------------------------------------
ok "agency" "$S" agency add --dir "$I" --name "$KOMINFO" --domain $DOM
ok "the head of Kominfo" "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas Kominfo" --email kadis@$DOM --agency "$KOMINFO" --roles pemohon,atasan --position "Kepala Dinas"
ok "kepala-dinas appointed" "$S" person appoint --dir "$I" $KADIS --role kepala-dinas
for p in "$OP1 op1" "$OP2 op2"; do
	set -- $p
	ok "operator $2" "$S" person add --dir "$I" --as $KADIS --nik $1 --name "Operator $2" --email "$2@$DOM" --agency "$KOMINFO" --roles pemohon
	ok "operator $2 appointed" "$S" person appoint --dir "$I" --as $KADIS $1 --role operator-op
done
make_csr "$T/op.csr" ec-p256
ok "operator 1 certificate" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator op1" --nik $OP1
ok "operator 2 certificate" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator op2" --nik $OP2
ok "the Wali Kota's real record" "$S" person add --dir "$I" --as $OP1 --nik $WALI --name "Andi Pratama" --email andi.pratama@$DOM --agency "$KOMINFO" --roles pemohon
ok "Budi, with NIP" "$S" person add --dir "$I" --as $OP1 --nik $BUDI --nip $BUDI_NIP --name "Budi Santoso" --email budi@$DOM --agency "$KOMINFO" --roles pemohon
ok "a kepala bidang with a position" "$S" person add --dir "$I" --as $OP1 --nik $KABID --name "Rina Kartika" --email rina@$DOM --agency "$KOMINFO" --roles pemohon --position "Kepala Bidang Persandian"
ok "a system owner" "$S" person add --dir "$I" --as $OP1 --nik $SYS --name "Pengelola SRIKANDI" --email srikandi@$DOM --agency "$KOMINFO" --roles pemohon

D=$T/docs
mkdir -p "$D"
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$D/l.pdf"
ATT=(--attach "pengantar=$D/l.pdf" --attach "rekomendasi=$D/l.pdf" --attach "ktp=$D/l.pdf")
ATTJ=("${ATT[@]}" --attach "sk=$D/l.pdf" --attach "penunjukan=$D/l.pdf")
B64=$(base64 -w0 "$D/l.pdf")
ATT_JSON='[{"kind":"pengantar","filename":"p.pdf","data":"'$B64'"},{"kind":"rekomendasi","filename":"r.pdf","data":"'$B64'"},{"kind":"ktp","filename":"k.pdf","data":"'$B64'"}]'

# ---- 3. auditors: the kepala-dinas only ----------------------------------------
cli_refused "an OP operator registering an auditor" 2 "only a kepala-dinas appoints auditors" "$S" person add --dir "$I" --as $OP1 --nik $AUD1 --name "Auditor Satu" --email aud1@$DOM --agency "$KOMINFO" --roles auditor
cli_refused "the administrator registering an auditor" 2 "only a kepala-dinas appoints auditors" "$S" person add --dir "$I" --nik $AUD1 --name "Auditor Satu" --email aud1@$DOM --agency "$KOMINFO" --roles pemohon,auditor
ok "the kepala-dinas registers an auditor" "$S" person add --dir "$I" --as $KADIS --nik $AUD1 --name "Auditor Satu" --email aud1@$DOM --agency "$KOMINFO" --roles auditor
ok "a person to be appointed auditor" "$S" person add --dir "$I" --as $OP1 --nik $AUD2 --name "Auditor Dua" --email aud2@$DOM --agency "$KOMINFO" --roles pemohon
cli_refused "an OP operator appointing an auditor" 2 "only a kepala-dinas appoints auditors" "$S" person appoint --dir "$I" --as $OP1 $AUD2 --role auditor
cli_refused "the administrator appointing an auditor" 2 "only a kepala-dinas appoints auditors" "$S" person appoint --dir "$I" $AUD2 --role auditor
ok "the kepala-dinas appoints an auditor" "$S" person appoint --dir "$I" --as $KADIS $AUD2 --role auditor
check_eq "the appointment is audited with the role" "nik:$KADIS|auditor" "$(sql1 "SELECT actor || '|' || reason FROM audit WHERE action = 'person.appoint' AND object = 'person:$AUD2'")"

# ---- tokens, server ---------------------------------------------------------------
ptoken() { "$S" token create --dir "$I" --name "$1" --nik "$2" --json 2>"$T/err" | jq -r .token; }
declare -A TOK
TOK[op1]=$(ptoken op1 $OP1)
TOK[op2]=$(ptoken op2 $OP2)
TOK[kadis]=$(ptoken kadis $KADIS)
TOK[wali]=$(ptoken wali $WALI)
TOK[budi]=$(ptoken budi $BUDI)
TOK[kabid]=$(ptoken kabid $KABID)
TOK[sys]=$(ptoken sys $SYS)
TOK[admin]=$("$S" token create --dir "$I" --name admin --role admin --json | jq -r .token)
TOK[operator]=$("$S" token create --dir "$I" --name "ca operator" --role operator --json | jq -r .token)
for k in "${!TOK[@]}"; do case ${TOK[$k]} in stk_?*) ;; *) die "token for $k not created" ;; esac; done
server_start "$I" || die "sertel serve did not become healthy: $(tail -n 5 "$T/serve.log" 2>/dev/null)"

refused "API: an OP operator registering an auditor" 403 "only a kepala-dinas appoints auditors" "${TOK[op1]}" POST /api/v1/persons -H "$JSON" --data-binary '{"nik":"'$AUD3'","name":"Auditor Tiga","email":"aud3@'$DOM'","agency":"'"$KOMINFO"'","roles":"auditor"}'
refused "API: an admin token appointing an auditor" 403 "only a kepala-dinas appoints auditors" "${TOK[admin]}" POST /api/v1/persons/$BUDI/appoint -H "$JSON" --data-binary '{"role":"auditor"}'
allowed "API: the kepala-dinas registers an auditor" 201 "${TOK[kadis]}" POST /api/v1/persons -H "$JSON" --data-binary '{"nik":"'$AUD3'","name":"Auditor Tiga","email":"aud3@'$DOM'","agency":"'"$KOMINFO"'","roles":"auditor"}'

# ---- 1. the forged application -----------------------------------------------------
cli_refused "CLI: cn 'Wali Kota Cirebon' chosen by the applicant" 2 "registered name" "$S" ra apply --dir "$I" --as $WALI --type individu --usage signing,email --cn "Wali Kota Cirebon" "${ATT[@]}"
cli_refused "CLI: walikota@gmail.com" 2 "only the registered address" "$S" ra apply --dir "$I" --as $WALI --type individu --usage signing,email --email walikota@gmail.com "${ATT[@]}"
cli_refused "CLI: an unverified second address at the agency's domain" 2 "not verified" "$S" ra apply --dir "$I" --as $WALI --type individu --usage signing,email --email walikota@$DOM "${ATT[@]}"
cli_refused "CLI: a DNS name outside the agency's domain" 2 "outside the domain" "$S" ra apply --dir "$I" --as $SYS --type sistem --usage ssl-server --dns walikota-cirebon.example.com --system-name X --system-details "Y" "${ATT[@]}"
cli_refused "CLI: a DNS name merely ending like the domain" 2 "outside the domain" "$S" ra apply --dir "$I" --as $SYS --type sistem --usage ssl-server --dns evil$DOM --system-name X --system-details "Y" "${ATT[@]}"
cli_refused "CLI: a title chosen by the applicant (jabatan)" 2 "registered position" "$S" ra apply --dir "$I" --as $KABID --type jabatan --usage signing --title "Wali Kota Cirebon" "${ATTJ[@]}"
cli_refused "CLI: jabatan without a registered position" 2 "no registered position" "$S" ra apply --dir "$I" --as $BUDI --type jabatan --usage signing "${ATTJ[@]}"
refused "API: cn 'Wali Kota Cirebon'" 400 "registered name" "${TOK[wali]}" POST /api/v1/applications -H "$JSON" --data-binary '{"type":"individu","usages":"signing,email","cn":"Wali Kota Cirebon","attachments":'"$ATT_JSON"'}'
refused "API: walikota@gmail.com" 403 "only the registered address" "${TOK[wali]}" POST /api/v1/applications -H "$JSON" --data-binary '{"type":"individu","usages":"signing,email","email":"walikota@gmail.com","attachments":'"$ATT_JSON"'}'
refused "API: the whole forged application (cn, gmail, foreign DNS)" 400 "registered name" "${TOK[sys]}" POST /api/v1/applications -H "$JSON" --data-binary '{"type":"sistem","usages":"ssl-server","cn":"Wali Kota Cirebon","email":"walikota@gmail.com","dns":["walikota-cirebon.example.com"],"system_name":"X","system_details":"Y","attachments":'"$ATT_JSON"'}'
refused "API: a DNS name outside the agency's domain" 403 "outside the domain" "${TOK[sys]}" POST /api/v1/applications -H "$JSON" --data-binary '{"type":"sistem","usages":"ssl-server","dns":["walikota-cirebon.example.com"],"system_name":"X","system_details":"Y","attachments":'"$ATT_JSON"'}'
refused "API: a title chosen by the applicant" 400 "registered position" "${TOK[kabid]}" POST /api/v1/applications -H "$JSON" --data-binary '{"type":"jabatan","usages":"signing","title":"Wali Kota Cirebon","attachments":'"$ATT_JSON"'}'

# ---- 1. a normal application: the certificate names the person record ----------
# issue_app APP NIK OUT: submit, approve (op1), issue with a fresh CSR.
issue_app() {
	local app=$1 nik=$2 out=$3
	shift 3
	"$S" ra submit --dir "$I" --as "$nik" "$app" >/dev/null 2>"$T/err" &&
		"$S" ra approve --dir "$I" --as $OP1 "$app" "$@" >/dev/null 2>>"$T/err" &&
		make_csr "$out.csr" ec-p256 "anything the applicant likes" &&
		"$S" ra issue --dir "$I" "$app" --as "$nik" --accept-agreement --csr "$out.csr" --out "$out" >/dev/null 2>>"$T/err"
}
subject_of() { openssl x509 -in "$1" -noout -subject -nameopt RFC2253,sep_comma_plus 2>/dev/null | sed 's/^subject=//'; }
APPB=$("$S" ra apply --dir "$I" --as $BUDI --type individu --usage signing,email "${ATT[@]}" --json | jq -r .id)
if issue_app "$APPB" $BUDI "$T/budi.pem"; then pass "Budi's individu application issued"; else fail "Budi's application: $(cat "$T/err")"; fi
check_eq "individu: CN, NIP, agency from the person record (not the CSR's subject)" "serialNumber=$BUDI_NIP,CN=Budi Santoso,OU=$KOMINFO,O=Pemerintah Kota Cirebon,C=ID" "$(subject_of "$T/budi.pem")"
check "individu: the registered e-mail is the rfc822Name" bash -c "openssl x509 -in '$T/budi.pem' -noout -ext subjectAltName | grep -q 'email:budi@$DOM'"
check "individu: the certificate verifies" quiet openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/budi.pem"
APPK=$("$S" ra apply --dir "$I" --as $KABID --type jabatan --usage signing "${ATTJ[@]}" --json | jq -r .id)
if issue_app "$APPK" $KABID "$T/kabid.pem"; then pass "a jabatan application issued"; else fail "jabatan application: $(cat "$T/err")"; fi
check_eq "jabatan: the registered position is the title" "CN=Rina Kartika,title=Kepala Bidang Persandian,OU=$KOMINFO,O=Pemerintah Kota Cirebon,C=ID" "$(subject_of "$T/kabid.pem")"

# ---- 1. a second address, verified by a mailed code --------------------------------
ALT=walikota@$DOM
cli_refused "CLI: a code for gmail.com is not even sent" 2 "only an address at @$DOM" "$S" ra email-verify --dir "$I" --as $WALI --email walikota@gmail.com
cli_refused "CLI: someone else asks a code for the Wali Kota" 2 "verifies their own" "$S" ra email-verify --dir "$I" --as $BUDI --applicant $WALI --email $ALT
ok "CLI: the Wali Kota asks a code for $ALT" "$S" ra email-verify --dir "$I" --as $WALI --email $ALT
check_eq "only the code's SHA-256 is stored" "64|0" "$(sql1 "SELECT length(code_hash) || '|' || attempts FROM email_verifications WHERE nik = '$WALI' AND email = '$ALT'")"
check_eq "the request is audited" "email.verify-request|$ALT" "$(sql1 "SELECT action || '|' || reason FROM audit WHERE object = 'person:$WALI' AND action LIKE 'email.%'")"
CODE=$(code_for $ALT)
check "a code of 8 digits reached the mailbox" bash -c "[[ '$CODE' =~ ^[0-9]{8}$ ]]"
check_eq "the code is not in the store's verification row" 0 "$(sql1 "SELECT COUNT(*) FROM email_verifications WHERE code_hash LIKE '%$CODE%'")"
WRONG=$(printf '%08d' $(((10#$CODE + 1) % 100000000)))
# A wrong code is the one refusal that changes the store: its attempt is
# counted and audited (checked next).
"$S" ra email-verify --dir "$I" --as $WALI --email $ALT --code $WRONG >/dev/null 2>"$T/err"
check_eq "CLI: a wrong code: exit 2, says so" "2|1" "$?|$(grep -c 'wrong code' "$T/err")"
check_eq "the wrong attempt is counted and audited (it commits)" "1|1" "$(sql1 "SELECT (SELECT attempts FROM email_verifications WHERE nik = '$WALI' AND email = '$ALT') || '|' || (SELECT COUNT(*) FROM audit WHERE action = 'email.verify-fail' AND object = 'person:$WALI')")"
cli_refused "CLI: someone else confirming with the right code" 2 "confirms their own" "$S" ra email-verify --dir "$I" --as $OP1 --applicant $WALI --email $ALT --code $CODE
cli_refused "CLI: applying with the address before confirmation" 2 "not verified" "$S" ra apply --dir "$I" --as $WALI --type individu --usage signing,email --email $ALT "${ATT[@]}"
ok "CLI: the right code confirms the address" "$S" ra email-verify --dir "$I" --as $WALI --email $ALT --code $CODE
cli_refused "CLI: the same code again (single use)" 2 "no code pending" "$S" ra email-verify --dir "$I" --as $WALI --email $ALT --code $CODE
APPW=$("$S" ra apply --dir "$I" --as $WALI --type individu --usage signing,email --email $ALT "${ATT[@]}" --json | jq -r .id)
check_eq "the verified address is accepted" "$ALT" "$("$S" ra show --dir "$I" "$APPW" --json | jq -r .email)"
if issue_app "$APPW" $WALI "$T/wali.pem"; then pass "the Wali Kota's application issued"; else fail "Wali Kota's application: $(cat "$T/err")"; fi
check "his certificate carries the verified address and his registered name" bash -c "openssl x509 -in '$T/wali.pem' -noout -ext subjectAltName | grep -q 'email:$ALT' && openssl x509 -in '$T/wali.pem' -noout -subject | grep -q 'CN *= *Andi Pratama'"
cli_refused "another person cannot use the Wali Kota's verified address" 2 "not verified" "$S" ra apply --dir "$I" --as $BUDI --type individu --usage signing,email --email $ALT "${ATT[@]}"

# API flow: request (202), wrong code, expired code, exhausted attempts.
ALT2=andi@$DOM
allowed "API: request a code" 202 "${TOK[wali]}" POST /api/v1/persons/$WALI/email-verify -H "$JSON" --data-binary '{"email":"'$ALT2'"}'
CODE2=$(code_for $ALT2)
refused "API: another person confirming" 403 "confirms their own" "${TOK[budi]}" POST /api/v1/persons/$WALI/email-confirm -H "$JSON" --data-binary '{"email":"'$ALT2'","code":"'$CODE2'"}'
refused "API: a code that is not 8 digits" 400 "8 digits" "${TOK[wali]}" POST /api/v1/persons/$WALI/email-confirm -H "$JSON" --data-binary '{"email":"'$ALT2'","code":"12ab"}'
sql1 "UPDATE email_verifications SET expires_at = 1 WHERE nik = '$WALI' AND email = '$ALT2'" >/dev/null
before=$(sql1 "SELECT attempts FROM email_verifications WHERE nik = '$WALI' AND email = '$ALT2'")
code=$(call "${TOK[wali]}" POST /api/v1/persons/$WALI/email-confirm -H "$JSON" --data-binary '{"email":"'$ALT2'","code":"'$CODE2'"}')
check_eq "API: the right code after it expired is refused" "403|expired" "$code|$(jq -r .error "$T/body" | grep -o expired | head -1)"
check_eq "API: ... and the address stays unverified" 0 "$(sql1 "SELECT COUNT(*) FROM email_verifications WHERE nik = '$WALI' AND email = '$ALT2' AND verified_at IS NOT NULL")"
allowed "API: a new code" 202 "${TOK[wali]}" POST /api/v1/persons/$WALI/email-verify -H "$JSON" --data-binary '{"email":"'$ALT2'"}'
CODE3=$(code_for $ALT2)
WRONG3=$(printf '%08d' $(((10#$CODE3 + 7) % 100000000)))
for n in 1 2 3 4 5; do
	code=$(call "${TOK[wali]}" POST /api/v1/persons/$WALI/email-confirm -H "$JSON" --data-binary '{"email":"'$ALT2'","code":"'$WRONG3'"}')
	[ "$code" = 403 ] || fail "API: wrong code $n: HTTP $code"
done
code=$(call "${TOK[wali]}" POST /api/v1/persons/$WALI/email-confirm -H "$JSON" --data-binary '{"email":"'$ALT2'","code":"'$CODE3'"}')
check_eq "API: after 5 wrong codes the right one is refused too" "403|too many wrong codes" "$code|$(jq -r .error "$T/body" | grep -o 'too many wrong codes')"
refused "API: applying with the never-verified address" 403 "not verified" "${TOK[wali]}" POST /api/v1/applications -H "$JSON" --data-binary '{"type":"individu","usages":"signing,email","email":"'$ALT2'","attachments":'"$ATT_JSON"'}'
allowed "API: the Dinas may ask a code on the person's behalf" 202 "${TOK[op1]}" POST /api/v1/persons/$WALI/email-verify -H "$JSON" --data-binary '{"email":"'$ALT2'"}'
refused "API: a pemohon may not ask codes for others" 403 "verifies their own" "${TOK[budi]}" POST /api/v1/persons/$WALI/email-verify -H "$JSON" --data-binary '{"email":"'$ALT2'"}'

# ---- 1. sistem: DNS under the agency, IPs flagged and explicitly approved -------
APPS_=$("$S" ra apply --dir "$I" --as $SYS --type sistem --usage ssl-server --dns srikandi.$DOM --ip 10.1.2.3 --system-name SRIKANDI --system-details "Aplikasi persuratan" "${ATT[@]}" --json | jq -r .id)
check_eq "sistem: the IP address is flagged for review (JSON)" '["ip:10.1.2.3"]' "$("$S" ra show --dir "$I" "$APPS_" --json | jq -c .needs_review)"
check "sistem: and in the CLI's text output" bash -c "'$S' ra show --dir '$I' '$APPS_' | grep -q 'PERLU DIPERIKSA / needs review: ip:10.1.2.3'"
allowed "API: the application shows needs_review" 200 "${TOK[op1]}" GET /api/v1/applications/$APPS_
check_eq "API: needs_review in the application JSON" '["ip:10.1.2.3"]' "$(jq -c .needs_review "$T/ok.json")"
ok "sistem submitted" "$S" ra submit --dir "$I" --as $SYS "$APPS_"
cli_refused "CLI: an approval that does not cover the IP address" 2 "needs review" "$S" ra approve --dir "$I" --as $OP1 "$APPS_"
cli_refused "CLI: an approval covering another address" 2 "needs review" "$S" ra approve --dir "$I" --as $OP1 "$APPS_" --reviewed ip:10.1.2.30
refused "API: an approval that does not cover the IP address" 400 "needs review" "${TOK[op1]}" POST /api/v1/applications/$APPS_/approve -H "$JSON" --data-binary '{"note":"ok"}'
allowed "API: the approval covering ip:10.1.2.3" 200 "${TOK[op1]}" POST /api/v1/applications/$APPS_/approve -H "$JSON" --data-binary '{"note":"dicek","reviewed":["ip:10.1.2.3"]}'
check_eq "the approval's audit entry records what was reviewed" 1 "$(sql1 "SELECT COUNT(*) FROM audit WHERE action = 'application.approve' AND object = 'application:$APPS_' AND reason LIKE '%reviewed ip:10.1.2.3%'")"
make_csr "$T/sys.csr" ec-p256
ok "sistem issued" "$S" ra issue --dir "$I" "$APPS_" --as $SYS --accept-agreement --csr "$T/sys.csr" --out "$T/sys.pem"
check "sistem: DNS and IP names in the certificate" bash -c "openssl x509 -in '$T/sys.pem' -noout -ext subjectAltName | grep -q 'DNS:srikandi.$DOM' && openssl x509 -in '$T/sys.pem' -noout -ext subjectAltName | grep -q 'IP Address:10.1.2.3'"

# ---- 2. permission before state ------------------------------------------------------
# One application in each state where its owner gets 409 for attachments,
# submit or issue: submitted, rejected, approved, issued.  Budi (not the
# owner, not an operator) must get 403 for each, and learn nothing.
mkapp() { "$S" ra apply --dir "$I" --as $KABID --type individu --usage signing "${ATT[@]}" --json | jq -r .id; }
A_SUB=$(mkapp)
"$S" ra submit --dir "$I" --as $KABID "$A_SUB" >/dev/null
A_REJ=$(mkapp)
"$S" ra submit --dir "$I" --as $KABID "$A_REJ" >/dev/null
"$S" ra reject --dir "$I" --as $OP1 "$A_REJ" --reason "Tidak memenuhi syarat" >/dev/null
A_APR=$(mkapp)
"$S" ra submit --dir "$I" --as $KABID "$A_APR" >/dev/null
"$S" ra approve --dir "$I" --as $OP1 "$A_APR" >/dev/null
A_ISS=$APPK
check_eq "one application in each state" "submitted rejected approved issued" "$(for a in $A_SUB $A_REJ $A_APR $A_ISS; do "$S" ra show --dir "$I" "$a" --json | jq -r .state; done | xargs)"
ATT1='{"attachments":[{"kind":"lainnya","filename":"x.pdf","data":"'$B64'"}]}'
CSRJ=$(jq -Rs '{accept_agreement: true, csr: .}' "$T/op.csr")
for st in SUB REJ APR ISS; do
	eval "a=\$A_$st"
	for act in attachments submit issue; do
		case $act in attachments) body=$ATT1 ;; submit) body='{}' ;; issue) body=$CSRJ ;; esac
		# The owner gets the state conflict (409); the approved one the
		# owner may still issue, so the owner is not asked there.
		if [ "$st:$act" != APR:issue ]; then
			before=$(counts)
			ocode=$(call "${TOK[kabid]}" POST $APPS/$a/$act -H "$JSON" --data-binary "$body")
			check_eq "the owner: $act on a ${st,,} application is a state conflict, store unchanged" "409 $before" "$ocode $(counts)"
		fi
		refused "a non-owner: $act on a ${st,,} application" 403 "not the applicant|only the applicant" "${TOK[budi]}" POST $APPS/$a/$act -H "$JSON" --data-binary "$body"
	done
done
cli_refused "CLI: a non-owner submitting an approved application" 2 "not the applicant" "$S" ra submit --dir "$I" --as $BUDI "$A_APR"
cli_refused "CLI: a non-owner attaching to an issued application" 2 "not the applicant" "$S" ra attach --dir "$I" --as $BUDI "$A_ISS" --attach "lainnya=$D/l.pdf"
cli_refused "CLI: the owner still gets the state conflict" 2 "is approved" "$S" ra submit --dir "$I" --as $KABID "$A_APR"
BUDISER=$(sql1 "SELECT cert_serial FROM applications WHERE id = '$APPB'")
SYSSER=$(sql1 "SELECT cert_serial FROM applications WHERE id = '$APPS_'")
refused "a non-owner renewing someone's certificate" 403 "only the owner" "${TOK[kabid]}" POST /api/v1/ra/certificates/$BUDISER/renew
OPSER=$(sql1 "SELECT serial FROM certs WHERE nik = '$OP2'")
refused "a pemohon renewing an operator's certificate" 403 "only the owner" "${TOK[budi]}" POST /api/v1/ra/certificates/$OPSER/renew
UNBOUND=$("$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Tanpa NIK" --json | jq -r .serial)
refused "a pemohon learns nothing about an unbound certificate" 403 "only the owner" "${TOK[budi]}" POST /api/v1/ra/certificates/$UNBOUND/renew

# ---- 4./5. CSRs: e = 3, a second PEM block, trailing garbage --------------------------
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3 -out "$T/e3.key" 2>/dev/null || die "openssl cannot make an e=3 key"
openssl req -new -key "$T/e3.key" -subj /CN=x -out "$T/e3.csr" 2>/dev/null || die "openssl req failed"
check_eq "openssl made an RSA key with e = 3" 1 "$(openssl req -in "$T/e3.csr" -noout -text | grep -c 'Exponent: 3 (0x3)')"
make_csr "$T/good.csr" rsa-2048
cat "$T/good.csr" "$T/op.csr" >"$T/two.csr"
{ cat "$T/good.csr"; echo "garbage after the request"; } >"$T/tail.csr"
{ echo "Certificate Request:"; cat "$T/good.csr"; } >"$T/lead.csr"
{ printf '\n  '; cat "$T/good.csr"; printf '\n\n'; } >"$T/blank.csr"
cli_refused "CLI cert issue: RSA e = 3" 2 "exponent 3 refused" "$S" cert issue --dir "$I" --csr "$T/e3.csr" --type individu --usage signing --cn X
cli_refused "CLI cert issue: a second PEM block" 2 "data after the END line" "$S" cert issue --dir "$I" --csr "$T/two.csr" --type individu --usage signing --cn X
cli_refused "CLI cert issue: garbage after the request" 2 "data after the END line" "$S" cert issue --dir "$I" --csr "$T/tail.csr" --type individu --usage signing --cn X
cli_refused "CLI cert issue: text before the request" 2 "text before the PEM block" "$S" cert issue --dir "$I" --csr "$T/lead.csr" --type individu --usage signing --cn X
ok "CLI cert issue: blank lines around one block are fine" "$S" cert issue --dir "$I" --csr "$T/blank.csr" --type individu --usage signing --cn X
cajson() { jq -Rs '{csr: ., type: "individu", usages: "signing", cn: "X"}' "$1"; }
refused "CA API: RSA e = 3" 400 "exponent 3 refused" "${TOK[operator]}" POST /api/v1/certificates -H "$JSON" --data-binary "$(cajson "$T/e3.csr")"
refused "CA API: a second PEM block" 400 "data after the END line" "${TOK[operator]}" POST /api/v1/certificates -H "$JSON" --data-binary "$(cajson "$T/two.csr")"
refused "CA API: garbage after the request" 400 "data after the END line" "${TOK[operator]}" POST /api/v1/certificates -H "$JSON" --data-binary "$(cajson "$T/tail.csr")"
for f in e3 two tail; do
	case $f in e3) pat="exponent 3 refused" ;; *) pat="data after the END line" ;; esac
	refused "RA API issue: $f CSR" 400 "$pat" "${TOK[kabid]}" POST $APPS/$A_APR/issue -H "$JSON" --data-binary "$(jq -Rs '{accept_agreement: true, csr: .}' "$T/$f.csr")"
	cli_refused "CLI ra issue: $f CSR" 2 "$pat" "$S" ra issue --dir "$I" "$A_APR" --as $KABID --accept-agreement --csr "$T/$f.csr"
done
check_eq "the approved application is still approved" approved "$("$S" ra show --dir "$I" "$A_APR" --json | jq -r .state)"
allowed "RA API issue: one good CSR" 201 "${TOK[kabid]}" POST $APPS/$A_APR/issue -H "$JSON" --data-binary "$(jq -Rs '{accept_agreement: true, csr: .}' "$T/blank.csr")"

check "audit trail intact" quiet "$S" audit verify --dir "$I"
server_stop 10
finish
