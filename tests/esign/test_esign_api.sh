#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The BSrE-compatible e-sign API end to end, driven the way the public BSrE
# client libraries drive it (curl multipart for v1, JSON with base64 files
# for v2, HTTP Basic per client application), judged by pdfsig (NSS, the
# instance root trusted), qpdf, `sertel verify` and the store.  Every error
# path of issue 6: unknown NIK, wrong passphrase and the lock after N tries
# (and the OP's unlock), expired, revoked and missing certificates, missing
# fields, a non-PDF file, a 0-byte file, an oversized file, bad Basic auth;
# client permissions allowed and denied; 100 files in one v2 call.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup esign_api
S=$SERTEL_BIN
I=$T/inst
MKPDF="python3 $(dirname "$0")/mkpdf.py"
for tool in pdfsig certutil qpdf pdftotext pdftoppm zbarimg; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed"
done
# The certificates point their OCSP and CA links at the port the server
# will listen on, so pdfsig can check revocation with our own responder.
PORT=$(free_port)
make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init failed: $(cat "$I.init.err")"
cat >>"$I/sertel.conf" <<EOF

[esign]
max_failures = 3
keep_content = 1
max_file_bytes = 200000
max_files = 120
EOF

KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
BUDI=3274010202850003
EXPD=3274010303860004
REVK=3274010404870005
LOCK=3274010505880006
TOTPU=3274010606890007
NOCERT=3274010707900008
DRAFT=3274010808910009
WAIT=3274010909920010
UNKNOWN=3274011010930011
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"

ok() {
	local desc=$1
	shift
	if "$@" >"$T/out" 2>"$T/err"; then pass "$desc"; else fail "$desc: $(cat "$T/err")"; fi
}

# ---- people, operator, owners with server-sealed keys ---------------------
. "$(dirname "$0")/owners.sh"
esign_people || die "the agency, its kepala-dinas and the OP operator"
check "owner Budi issued with a server-sealed key" owner $BUDI "Budi Santoso" budi
check "owner (to expire) issued" owner $EXPD "Eka Pratama" eka
check "owner (to revoke) issued" owner $REVK "Rina Wati" rina
check "owner (to lock) issued" owner $LOCK "Lukman Hakim" lukman
check "owner (TOTP) issued" owner $TOTPU "Tono Sutrisno" tono
check "person without application" owner $NOCERT "Nur Aini" nur none
check "person with a draft application" owner $DRAFT "Dedi Kurnia" dedi draft
check "person with a submitted application" owner $WAIT "Wulan Sari" wulan submitted

# Expiry: the record's notAfter moved into the past (time travel for one
# certificate; sertel judges status by its record and the DER alike).
inst_sql "$I" "UPDATE certs SET not_after = 1000000 WHERE nik = '$EXPD'"
# Revocation through the RA (owner's own request).
SER_REV=$("$S" cert list --dir "$I" --json | jq -r ".[] | select(.nik == \"$REVK\") | .serial")
ok "owner's certificate revoked (permintaan-pemilik)" "$S" ra revoke --dir "$I" "$SER_REV" --cause permintaan-pemilik --as $REVK

# ---- organisation seal (jabatan certificate, key held by the instance) -----
make_csr "$T/seal.csr" ec-p256 seal
ok "jabatan certificate for the seal" "$S" cert issue --dir "$I" --csr "$T/seal.csr" --type jabatan --usage signing --cn "Pemerintah Kota Cirebon" --title "Sekretaris Daerah" --email setda@cirebonkota.go.id --out "$T/seal.pem"
ok "seal registered" "$S" esign seal add --dir "$I" --id pemkot-cirebon --key "$T/seal.csr.key" --cert "$T/seal.pem"

# ---- client applications --------------------------------------------------
APP=$("$S" client add --dir "$I" --name srikandi --perms sign,verify) || die "client add"
VER=$("$S" client add --dir "$I" --name portal-verifikasi --perms verify) || die "client add verify"
SGN=$("$S" client add --dir "$I" --name aplikasi-desa --perms sign) || die "client add sign"
SEAL=$("$S" client add --dir "$I" --name sertifikat-webinar --perms seal --seal pemkot-cirebon) || die "client add seal"
check_rc "client add: unknown permission refused" 2 "$S" client add --dir "$I" --name x --perms admin
check_rc "client add: seal without --seal refused" 2 "$S" client add --dir "$I" --name x --perms seal
check_rc "client add: name taken refused" 2 "$S" client add --dir "$I" --name srikandi --perms sign
check_eq "secrets stored hashed, never in clear" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_clients WHERE secret_hash = '$APP'")"
check_eq "client list shows four" 4 "$("$S" client list --dir "$I" --json | jq length)"

server_start_port "$I" "$PORT" || die "server did not start"
U=$SERVER_URL

# ---- NSS database trusting the instance root, for pdfsig ---------------------
quiet "$S" ca export --dir "$I" --out "$T/ca" || die "ca export"
pdfsig_trust "$T/ca/root.pem"
sertel_ok() { "$S" verify --dir "$I" "$1" >/dev/null 2>&1; }

$MKPDF "$T/a.pdf"
printf 'just some text, not a PDF\n' >"$T/notpdf.pdf"
: >"$T/empty.pdf"
python3 -c "
import sys
b = open('$T/a.pdf','rb').read()
pad = b'%' + b'x' * 250000 + b'\n'
open('$T/big.pdf','wb').write(b.replace(b'%%EOF', pad + b'%%EOF'))
"

# ---- v1: sign (multipart), invisible ------------------------------------------
code=$(curl -s -o "$T/v1.pdf" -D "$T/v1.h" -w '%{http_code}' -u "srikandi:$APP" \
	-F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible \
	-F reason="Persetujuan surat" -F location="Cirebon" "$U/api/sign/pdf")
check_eq "v1 sign invisible: 200" 200 "$code"
ID1=$(sed -n 's/^id_dokumen: *\([0-9a-f]*\).*/\1/p' "$T/v1.h" | tr -d '\r')
check_eq "v1 sign: id_dokumen header (32 hex)" 32 "${#ID1}"
check "v1 signed PDF: pdfsig valid and trusted" pdfsig_ok "$T/v1.pdf"
check "v1 signed PDF: qpdf --check" quiet qpdf --check "$T/v1.pdf"
check "v1 signed PDF: sertel verify valid" sertel_ok "$T/v1.pdf"
check "v1 signed PDF: original bytes unchanged (incremental)" cmp -s -n "$(stat -c %s "$T/a.pdf")" "$T/a.pdf" "$T/v1.pdf"

# ---- v1: visible with image, with QR, with tag_koordinat -------------------------
code=$(curl -s -o "$T/v1img.pdf" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" \
	-F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=true -F "imageTTD=@$D/ttd.png" \
	-F page=1 -F xAxis=350 -F yAxis=80 -F width=150 -F height=75 "$U/api/sign/pdf")
check_eq "v1 sign visible with imageTTD: 200" 200 "$code"
check "v1 visible image: pdfsig valid" pdfsig_ok "$T/v1img.pdf"
code=$(curl -s -o "$T/v1qr.pdf" -D "$T/v1qr.h" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" \
	-F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=false -F halaman=terakhir \
	-F xAxis=300 -F yAxis=80 -F width=240 -F height=100 "$U/api/sign/pdf")
check_eq "v1 sign visible with QR (halaman terakhir): 200" 200 "$code"
check "v1 visible QR: pdfsig valid" pdfsig_ok "$T/v1qr.pdf"
# The QR code without linkQR, and the footer on the page, carry the
# document's own public link /v/{id}.
IDQR=$(sed -n 's/^id_dokumen: *\([0-9a-f]*\).*/\1/p' "$T/v1qr.h" | tr -d '\r')
pdftoppm -r 150 -png -singlefile "$T/v1qr.pdf" "$T/v1qr" 2>/dev/null
check_eq "v1 QR code decodes to the document's /v/{id}" "QR-Code:$U/v/$IDQR" "$(zbarimg -q "$T/v1qr.png" 2>/dev/null | head -n 1)"
check "v1 footer on the page names /v/{id}" bash -c "pdftotext '$T/v1.pdf' - | tr -d '\n' | grep -q '/v/$ID1'"
code=$(curl -s -o "$T/v1tag.pdf" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" \
	-F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=false -F 'tag_koordinat=#' \
	"$U/api/sign/pdf")
check_eq "v1 sign visible at tag_koordinat '#': 200" 200 "$code"
check "v1 tag_koordinat: pdfsig valid" pdfsig_ok "$T/v1tag.pdf"

# A second signature (another signer) on an already signed file keeps both
# valid.  Another signer: poppler 22.12 + NSS report "Unknown issue with
# Certificate" for the second use of one certificate in a document
# (tests/sign/test_pades.sh), whoever made the signatures.
code=$(curl -s -o "$T/v1twice.pdf" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/v1.pdf" \
	-F nik=$LOCK -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
check_eq "v1 second signature (another signer): 200" 200 "$code"
check "v1 signed twice: pdfsig shows two valid, trusted signatures" pdfsig_ok "$T/v1twice.pdf" 2
check "v1 signed twice: sertel verify valid" sertel_ok "$T/v1twice.pdf"

# ---- v1: download, verify, status ---------------------------------------------------
code=$(curl -s -o "$T/dl.pdf" -w '%{http_code}' -u "srikandi:$APP" "$U/api/sign/download/$ID1")
check_eq "v1 download: 200" 200 "$code"
check "v1 download: the same bytes as signed" cmp -s "$T/dl.pdf" "$T/v1.pdf"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "aplikasi-desa:$SGN" "$U/api/sign/download/$ID1")
check_eq "v1 download by another client: 403" 403 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "srikandi:$APP" "$U/api/sign/download/0123456789abcdef0123456789abcdef")
check_eq "v1 download unknown id: 404" 404 "$code"

curl -s -o "$T/ver1.json" -u "srikandi:$APP" -F "signed_file=@$T/v1.pdf" "$U/api/sign/verify"
check_eq "v1 verify: summary as BSrE's" "DOCUMENT VALID !!!" "$(jq -r .summary "$T/ver1.json")"
check_eq "v1 verify: jumlah_signature 1" 1 "$(jq -r .jumlah_signature "$T/ver1.json")"
check_eq "v1 verify: nama_dokumen" v1.pdf "$(jq -r .nama_dokumen "$T/ver1.json")"
check_eq "v1 verify: signer name" "Budi Santoso" "$(jq -r '.details[0].info_signer.signer_name' "$T/ver1.json")"
check_eq "v1 verify: document_integrity" true "$(jq -r '.details[0].signature_document.document_integrity' "$T/ver1.json")"
check_eq "v1 verify: registry id found by hash" "$ID1" "$(jq -r .id_dokumen "$T/ver1.json")"
# One flipped byte inside the signed range: not valid.
python3 -c "
b = bytearray(open('$T/v1.pdf','rb').read()); i = b.find(b'Surat Keputusan'); b[i] ^= 0x20
open('$T/tampered.pdf','wb').write(b)"
curl -s -o "$T/ver2.json" -u "srikandi:$APP" -F "signed_file=@$T/tampered.pdf" "$U/api/sign/verify"
check_eq "v1 verify tampered: summary not valid" "DOCUMENT NOT VALID !!!" "$(jq -r .summary "$T/ver2.json")"
curl -s -o "$T/ver3.json" -u "srikandi:$APP" -F "signed_file=@$T/v1twice.pdf" "$U/api/sign/verify"
check_eq "v1 verify signed twice: jumlah_signature 2" 2 "$(jq -r .jumlah_signature "$T/ver3.json")"

st() { curl -s -u "srikandi:$APP" "$U/api/user/status/$1" | jq -r .status; }
check_eq "v1 status: ISSUE" ISSUE "$(st $BUDI)"
check_eq "v1 status: EXPIRED" EXPIRED "$(st $EXPD)"
check_eq "v1 status: REVOKE" REVOKE "$(st $REVK)"
check_eq "v1 status: NO_CERTIFICATE" NO_CERTIFICATE "$(st $NOCERT)"
check_eq "v1 status: NEW (draft application)" NEW "$(st $DRAFT)"
check_eq "v1 status: WAITING_FOR_VERIFICATION" WAITING_FOR_VERIFICATION "$(st $WAIT)"
check_eq "v1 status: NOT_REGISTERED" NOT_REGISTERED "$(st $UNKNOWN)"
# A valid certificate without signing usage does not make a signer.
make_csr "$T/mail.csr" ec-p256 mail
ok "e-mail-only certificate for the person without a signing one" "$S" cert issue --dir "$I" --csr "$T/mail.csr" --type individu --usage email --cn "Nur Aini" --email nur@kominfo.cirebonkota.go.id --nik $NOCERT
check_eq "v1 status: e-mail-only certificate is still NO_CERTIFICATE" NO_CERTIFICATE "$(st $NOCERT)"
code=$(curl -s -o "$T/nosig.out" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$NOCERT -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
check_eq "signing with an e-mail-only certificate refused (2021)" "400 2021" "$code $(jq -r .status_code "$T/nosig.out")"
check_eq "v1 status: status_code 1111 when registered" 1111 "$(curl -s -u "srikandi:$APP" "$U/api/user/status/$BUDI" | jq -r .status_code)"

# ---- v2: JSON with base64 -----------------------------------------------------------
B64=$(base64 -w0 "$T/a.pdf")
v2() { # v2 CREDS PATH JSONFILE OUT -> http code
	curl -s -o "$4" -w '%{http_code}' -u "$1" -H 'Content-Type: application/json' --data-binary "@$3" "$U$2"
}
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$B64" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE", reason:"Disetujui", location:"Cirebon"}], file:[$f]}' >"$T/v2.json"
check_eq "v2 sign: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2.json" "$T/v2.out")"
jq -r '.file[0]' "$T/v2.out" | base64 -d >"$T/v2.pdf"
check "v2 signed PDF: pdfsig valid and trusted" pdfsig_ok "$T/v2.pdf"
check "v2 signed PDF: sertel verify valid" sertel_ok "$T/v2.pdf"
check "v2 response has time" test "$(jq -r '.time|type' "$T/v2.out")" = number
jq -n --arg e budi@kominfo.cirebonkota.go.id --arg p "$PW" --arg f "$B64" --arg img "$(base64 -w0 "$D/ttd.png")" \
	'{email:$e, passphrase:$p, signatureProperties:[{tampilan:"VISIBLE", imageBase64:$img, page:1, originX:300, originY:100, width:120, height:60}], file:[$f]}' >"$T/v2e.json"
check_eq "v2 sign by e-mail, visible image: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2e.json" "$T/v2e.out")"
jq -r '.file[0]' "$T/v2e.out" | base64 -d >"$T/v2e.pdf"
check "v2 visible by e-mail: pdfsig valid" pdfsig_ok "$T/v2e.pdf"

jq -n --arg nik $BUDI '{nik:$nik}' >"$T/st.json"
check_eq "v2 check/status: 200" 200 "$(v2 "srikandi:$APP" /api/v2/user/check/status "$T/st.json" "$T/st.out")"
check_eq "v2 check/status: ISSUE" ISSUE "$(jq -r .status "$T/st.out")"
jq -n --arg f "$(base64 -w0 "$T/v2.pdf")" '{file:$f}' >"$T/vf.json"
check_eq "v2 verify: 200" 200 "$(v2 "srikandi:$APP" /api/v2/verify/pdf "$T/vf.json" "$T/vf.out")"
check_eq "v2 verify: conclusion VALID" VALID "$(jq -r .conclusion "$T/vf.out")"
check_eq "v2 verify: signatureCount 1" 1 "$(jq -r .signatureCount "$T/vf.out")"
check_eq "v2 verify: BSrE spelling timestampInfomation present" true "$(jq '.signatureInformations[0] | has("timestampInfomation")' "$T/vf.out")"
check_eq "v2 verify: BSrE spelling signatureAlgoritm" true "$(jq '.signatureInformations[0].certificateDetails[0] | has("signatureAlgoritm")' "$T/vf.out")"
check_eq "v2 verify: integrityValid" true "$(jq -r '.signatureInformations[0].integrityValid' "$T/vf.out")"

# ---- bulk: 100 files in one v2 call --------------------------------------------------
$MKPDF "$T/bulk" "Surat edaran" --count 100
python3 - "$T" "$BUDI" "$PW" <<'PY'
import base64, json, sys
t, nik, p = sys.argv[1:4]
files = [base64.b64encode(open("%s/bulk-%03d.pdf" % (t, i), "rb").read()).decode() for i in range(100)]
json.dump({"nik": nik, "passphrase": p, "signatureProperties": [{"tampilan": "INVISIBLE"}], "file": files},
          open(t + "/bulk.json", "w"))
PY
check_eq "bulk: 100 files in one v2 call: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/bulk.json" "$T/bulk.out")"
check_eq "bulk: 100 signed files back" 100 "$(jq '.file | length' "$T/bulk.out")"
check_eq "bulk: 100 distinct document ids" 100 "$(jq -r '.id_dokumen[]' "$T/bulk.out" | sort -u | wc -l)"
mkdir -p "$T/bulkout"
python3 - "$T" <<'PY'
import base64, json, sys
t = sys.argv[1]
for i, f in enumerate(json.load(open(t + "/bulk.out"))["file"]):
    open("%s/bulkout/%03d.pdf" % (t, i), "wb").write(base64.b64decode(f))
PY
bad=0
for f in "$T"/bulkout/*.pdf; do pdfsig_ok "$f" || bad=$((bad + 1)); done
check_eq "bulk: all 100 valid in pdfsig" 0 "$bad"
bad=0
for f in "$T"/bulkout/0[0-4]*.pdf; do sertel_ok "$f" || bad=$((bad + 1)); done
check_eq "bulk: sertel verify valid (50 sampled)" 0 "$bad"
check_eq "bulk: one audit entry for the call" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.sign' AND reason LIKE '100 document%'")"
# One properties entry per file, and a mismatched count refused.
python3 - "$T" "$BUDI" "$PW" <<'PY'
import base64, json, sys
t, nik, p = sys.argv[1:4]
f = [base64.b64encode(open("%s/bulk-%03d.pdf" % (t, i), "rb").read()).decode() for i in range(3)]
json.dump({"nik": nik, "passphrase": p, "file": f, "signatureProperties": [{"tampilan": "INVISIBLE"}, {"tampilan": "VISIBLE", "page": 1, "originX": 50, "originY": 50, "width": 100, "height": 100}, {"tampilan": "INVISIBLE", "reason": "ketiga"}]}, open(t + "/per.json", "w"))
json.dump({"nik": nik, "passphrase": p, "file": f, "signatureProperties": [{"tampilan": "INVISIBLE"}, {"tampilan": "INVISIBLE"}]}, open(t + "/mis.json", "w"))
PY
check_eq "v2 one signatureProperties per file: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/per.json" "$T/per.out")"
check_eq "v2 2 properties for 3 files: 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/mis.json" "$T/mis.out")"

# ---- electronic seal -------------------------------------------------------------------
jq -n --arg f "$B64" '{idSubscriber:"pemkot-cirebon", signatureProperties:[{tampilan:"INVISIBLE", reason:"Segel"}], file:[$f]}' >"$T/seal.json"
check_eq "seal by the authorised client: 200" 200 "$(v2 "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$T/seal.json" "$T/seal.out")"
jq -r '.file[0]' "$T/seal.out" | base64 -d >"$T/sealed.pdf"
check "sealed PDF: pdfsig valid and trusted" pdfsig_ok "$T/sealed.pdf"
check_eq "seal by a client without the seal permission: 403" 403 "$(v2 "srikandi:$APP" /api/v2/seal/pdf "$T/seal.json" /dev/null)"
jq -n --arg f "$B64" '{idSubscriber:"lain", signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/seal2.json"
check_eq "seal with another seal id: 403" 403 "$(v2 "sertifikat-webinar:$SEAL" /api/v2/seal/pdf "$T/seal2.json" /dev/null)"
check_eq "seal client signing for a person: 403" 403 "$(v2 "sertifikat-webinar:$SEAL" /api/v2/sign/pdf "$T/v2.json" /dev/null)"

# ---- permissions: allowed and denied ----------------------------------------------------
check_eq "verify-only client may verify (v2): 200" 200 "$(v2 "portal-verifikasi:$VER" /api/v2/verify/pdf "$T/vf.json" /dev/null)"
check_eq "verify-only client may not sign (v2): 403" 403 "$(v2 "portal-verifikasi:$VER" /api/v2/sign/pdf "$T/v2.json" /dev/null)"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "portal-verifikasi:$VER" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
check_eq "verify-only client may not sign (v1): 403" 403 "$code"
check_eq "sign-only client may sign (v2): 200" 200 "$(v2 "aplikasi-desa:$SGN" /api/v2/sign/pdf "$T/v2.json" /dev/null)"
check_eq "sign-only client may not verify (v2): 403" 403 "$(v2 "aplikasi-desa:$SGN" /api/v2/verify/pdf "$T/vf.json" /dev/null)"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "aplikasi-desa:$SGN" -F "signed_file=@$T/v1.pdf" "$U/api/sign/verify")
check_eq "sign-only client may not verify (v1): 403" 403 "$code"
check_eq "sign-only client may read a status: 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -u "aplikasi-desa:$SGN" "$U/api/user/status/$BUDI")"

# ---- bad Basic auth ------------------------------------------------------------------------
for cred in "srikandi:wrong" "nobody:$APP" "srikandi" "srikandi:" ":$APP"; do
	code=$(curl -s -o "$T/auth.out" -w '%{http_code}' -H "Authorization: Basic $(printf '%s' "$cred" | base64 -w0)" \
		-F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
	check_eq "bad Basic auth (${cred%%:*}:...): 401" 401 "$code"
done
check_eq "Basic with broken base64: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Basic %%%' "$U/api/user/status/$BUDI")"
check_eq "no Authorization header: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$U/api/user/status/$BUDI")"
check_eq "Bearer instead of Basic: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $APP" "$U/api/user/status/$BUDI")"
check_eq "401 body has BSrE's error shape" 401 "$(jq -r .status_code "$T/auth.out")"
"$S" client remove --dir "$I" --name aplikasi-desa >/dev/null 2>&1
check_eq "removed client: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -u "aplikasi-desa:$SGN" "$U/api/user/status/$BUDI")"

# ---- error paths of signing ------------------------------------------------------------------
# v1sign DESC WANT_HTTP WANT_CODE curl-args...
v1err() {
	local desc=$1 want=$2 wcode=$3 code sc
	shift 3
	code=$(curl -s -o "$T/e.out" -w '%{http_code}' -u "srikandi:$APP" "$@" "$U/api/sign/pdf")
	sc=$(jq -r .status_code "$T/e.out" 2>/dev/null)
	if [ "$code" = "$want" ] && [ "$sc" = "$wcode" ]; then
		pass "$desc: $code $sc ($(jq -r .error "$T/e.out"))"
	else
		fail "$desc: got $code $sc, expected $want $wcode: $(head -c 300 "$T/e.out")"
	fi
}
DOCS_BEFORE=$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")
v1err "unknown NIK" 400 2011 -F "file=@$T/a.pdf" -F nik=$UNKNOWN -F "passphrase=$PW" -F tampilan=invisible
v1err "malformed NIK" 400 2011 -F "file=@$T/a.pdf" -F nik=12345 -F "passphrase=$PW" -F tampilan=invisible
v1err "wrong passphrase" 400 2031 -F "file=@$T/a.pdf" -F nik=$BUDI -F passphrase=salah-sekali -F tampilan=invisible
v1err "expired certificate" 400 2053 -F "file=@$T/a.pdf" -F nik=$EXPD -F "passphrase=$PW" -F tampilan=invisible
v1err "revoked certificate" 400 2053 -F "file=@$T/a.pdf" -F nik=$REVK -F "passphrase=$PW" -F tampilan=invisible
v1err "registered, no certificate" 400 2021 -F "file=@$T/a.pdf" -F nik=$NOCERT -F "passphrase=$PW" -F tampilan=invisible
v1err "application still waiting" 400 2021 -F "file=@$T/a.pdf" -F nik=$WAIT -F "passphrase=$PW" -F tampilan=invisible
v1err "missing file" 400 2062 -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible
v1err "missing nik" 400 2062 -F "file=@$T/a.pdf" -F "passphrase=$PW" -F tampilan=invisible
v1err "missing passphrase" 400 2062 -F "file=@$T/a.pdf" -F nik=$BUDI -F tampilan=invisible
v1err "missing tampilan" 400 2062 -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW"
v1err "visible without position" 400 2062 -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=false
v1err "image=true without imageTTD" 400 2062 -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=true -F page=1 -F xAxis=1 -F yAxis=1 -F width=9 -F height=9
v1err "imageTTD not an image" 400 2062 -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=true -F "imageTTD=@$T/notpdf.pdf" -F page=1 -F xAxis=1 -F yAxis=1 -F width=9 -F height=9
v1err "non-PDF file" 400 2061 -F "file=@$T/notpdf.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible
v1err "0-byte file" 400 2061 -F "file=@$T/empty.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible
v1err "oversized file" 413 2061 -F "file=@$T/big.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible
code=$(curl -s -o /dev/null -w '%{http_code}' -u "srikandi:$APP" -H 'Content-Type: application/json' -d '{}' "$U/api/sign/pdf")
check_eq "v1 with a JSON body: 400" 400 "$code"
jq -n --arg p "$PW" --arg f "$B64" '{passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/e1.json"
check_eq "v2 without nik or email: 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/e1.json" /dev/null)"
jq -n --arg nik $BUDI --arg p "$PW" '{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:["%%%not base64%%%"]}' >"$T/e2.json"
check_eq "v2 file not base64: 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/e2.json" /dev/null)"
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$(base64 -w0 "$T/notpdf.pdf")" '{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/e3.json"
check_eq "v2 non-PDF: 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/e3.json" "$T/e3.out")"
check_eq "v2 non-PDF: status_code 2061" 2061 "$(jq -r .status_code "$T/e3.out")"
jq -n --arg nik $UNKNOWN --arg p "$PW" --arg f "$B64" '{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/e4.json"
v2 "srikandi:$APP" /api/v2/sign/pdf "$T/e4.json" "$T/e4.out" >/dev/null
check_eq "v2 unknown NIK: 2011" 2011 "$(jq -r .status_code "$T/e4.out")"
check_eq "refused calls registered no document" "$DOCS_BEFORE" "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")"
# Oversized request body for an unauthenticated caller: refused before it is read.
head -c 2000000 /dev/zero >"$T/zeros"
check_eq "unauthenticated 2 MB body: 413" 413 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$T/zeros" "$U/api/v2/sign/pdf")"

# ---- wrong passphrases: the lock after N (3) tries, notice, OP unlock ------------------------
lock_try() {
	curl -s -o "$T/l.out" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$LOCK \
		-F "passphrase=$1" -F tampilan=invisible "$U/api/sign/pdf" >/dev/null
	jq -r .status_code "$T/l.out" 2>/dev/null || echo pdf
}
check_eq "lock: wrong passphrase 1 -> 2031" 2031 "$(lock_try salah-1)"
check_eq "lock: wrong passphrase 2 -> 2031" 2031 "$(lock_try salah-2)"
check_eq "lock: wrong passphrase 3 -> 2031 (and locks)" 2031 "$(lock_try salah-3)"
check_eq "lock: now even the right passphrase -> 2051" 2051 "$(lock_try "$PW")"
check_eq "lock: status SUSPEND" SUSPEND "$(st $LOCK)"
check_eq "lock: the owner was notified by e-mail" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM mail_queue WHERE kind = 'esign-locked' AND to_addr = 'lukman@kominfo.cirebonkota.go.id'")"
check_eq "lock: audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.lock' AND object = 'person:$LOCK'")"
check_eq "lock: sealed key locked for every path" 1 "$(inst_sql "$I" "SELECT locked FROM sealed_keys WHERE nik = '$LOCK'")"
check_rc "unlock by the owner himself refused" 2 "$S" esign unlock --dir "$I" --nik $LOCK --as $LOCK --reason "saya sendiri"
check_rc "unlock by a non-operator refused" 2 "$S" esign unlock --dir "$I" --nik $LOCK --as $BUDI --reason "teman"
check_rc "unlock without a reason refused" 2 "$S" esign unlock --dir "$I" --nik $LOCK --as $OP1
check_eq "still locked after refused unlocks" 2051 "$(lock_try "$PW")"
ok "OP operator unlocks" "$S" esign unlock --dir "$I" --nik $LOCK --as $OP1 --reason "pemilik hadir, identitas diperiksa"
check_eq "unlocked: status ISSUE" ISSUE "$(st $LOCK)"
check_eq "unlocked: the right passphrase signs" pdf "$(lock_try "$PW")"
check_rc "unlock when not locked refused" 2 "$S" esign unlock --dir "$I" --nik $LOCK --as $OP1 --reason again

# ---- passphrase change needs the old passphrase ------------------------------------------------
NEWPASS='Passphrase-Baru-77#'
printf '%s\n' "$NEWPASS" >"$T/new.txt"
printf 'salah-lama\n' >"$T/wrongold.txt"
printf 'lemah\n' >"$T/weak.txt"
check_rc "passphrase change with a wrong old passphrase refused" 2 "$S" esign passphrase --dir "$I" --nik $TOTPU --old-file "$T/wrongold.txt" --new-file "$T/new.txt"
check_rc "passphrase change to a weak one refused" 2 "$S" esign passphrase --dir "$I" --nik $TOTPU --old-file "$T/pass.txt" --new-file "$T/weak.txt"
ok "passphrase change with the old one" "$S" esign passphrase --dir "$I" --nik $TOTPU --old-file "$T/pass.txt" --new-file "$T/new.txt"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$TOTPU -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
check_eq "old passphrase no longer signs" 400 "$code"

# ---- TOTP (RFC 6238) as second factor ------------------------------------------------------------
"$S" esign totp enrol --dir "$I" --nik $TOTPU --passphrase-file "$T/new.txt" --json >"$T/totp.json" 2>"$T/err"
check "TOTP enrolment (passphrase shown)" test -s "$T/totp.json"
check_rc "TOTP enrolment with a wrong passphrase refused" 2 "$S" esign totp enrol --dir "$I" --nik $TOTPU --passphrase-file "$T/pass.txt"
SECRET=$(jq -r .secret "$T/totp.json")
check_eq "TOTP secret not stored in clear" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_owners WHERE nik = '$TOTPU' AND instr(CAST(totp_secret AS TEXT), '$SECRET') > 0" 2>/dev/null || echo 0)"
totp_now() {
	python3 - "$SECRET" <<'PY'
import base64, hashlib, hmac, struct, sys, time
s = sys.argv[1]
k = base64.b32decode(s + "=" * (-len(s) % 8))
m = hmac.new(k, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = m[-1] & 15
print("%06d" % ((struct.unpack(">I", m[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
}
jq -n --arg nik $TOTPU '{nik:$nik, data:1}' >"$T/gt.json"
check_eq "v2 get/totp for an enrolled owner: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/get/totp "$T/gt.json" /dev/null)"
jq -n --arg nik $BUDI '{nik:$nik, data:1}' >"$T/gt2.json"
check_eq "v2 get/totp for an owner without TOTP: 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/get/totp "$T/gt2.json" /dev/null)"
mk_totp_json() {
	jq -n --arg nik $TOTPU --arg p "$NEWPASS" --arg t "$1" --arg f "$B64" \
		'{nik:$nik, passphrase:$p, totp:$t, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/tt.json"
}
mk_totp_json ""
check_eq "TOTP owner without a code: 400 (401 is the client's)" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/tt.json" "$T/tt.out")"
check_eq "TOTP missing: status_code 2052" 2052 "$(jq -r .status_code "$T/tt.out")"
mk_totp_json 000000
[ "$(totp_now)" = 000000 ] && mk_totp_json 111111
check_eq "TOTP owner with a wrong code: 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/tt.json" /dev/null)"
CODE=$(totp_now)
mk_totp_json "$CODE"
check_eq "TOTP owner with passphrase and the right code: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/tt.json" "$T/tt.out")"
check_eq "the same TOTP code again (replay): 400" 400 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/tt.json" /dev/null)"
# Wrong codes count like wrong passphrases: guessing six digits locks.
mk_totp_json "$(printf '%06d' $(((10#$CODE + 500000) % 1000000)))"
v2 "srikandi:$APP" /api/v2/sign/pdf "$T/tt.json" /dev/null >/dev/null
v2 "srikandi:$APP" /api/v2/sign/pdf "$T/tt.json" /dev/null >/dev/null
check_eq "TOTP guessing: locked after max_failures wrong codes" SUSPEND "$(st $TOTPU)"
check_eq "TOTP wrong codes audited (1 wrong, 1 replay, 2 guesses)" 4 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.totp.wrong' AND object = 'person:$TOTPU'")"
ok "OP operator unlocks the TOTP owner" "$S" esign unlock --dir "$I" --nik $TOTPU --as $OP1 --reason "pemilik hadir"

# ---- renewal under way: RENEW, and the valid certificate still signs ----------------------
SER_BUDI=$("$S" cert list --dir "$I" --json | jq -r ".[] | select(.nik == \"$BUDI\" and (.usages | test(\"signing\"))) | .serial" | head -n 1)
ok "Budi applies for renewal" "$S" ra renew --dir "$I" "$SER_BUDI" --as $BUDI
check_eq "status RENEW while the renewal is under way" RENEW "$(st $BUDI)"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
check_eq "RENEW: the valid certificate still signs" 200 "$code"

# ---- the registry and the public pages (no login) ------------------------------------------------
check_eq "/v/{id}: 200 without login" 200 "$(curl -s -o "$T/v.html" -w '%{http_code}' "$U/v/$ID1")"
check "/v/{id}: in Bahasa Indonesia with the signer" grep -q "Budi Santoso" "$T/v.html"
check "/v/{id}: shows the SHA-256 of the signed file" grep -q "$(sha256sum "$T/v1.pdf" | cut -d' ' -f1)" "$T/v.html"
check_eq "/v/{id}?format=json: hasil VALID" VALID "$(curl -s "$U/v/$ID1?format=json" | jq -r .hasil)"
check_eq "/v/{unknown}: 404 page" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$U/v/0123456789abcdef0123456789abcdef")"
check_eq "/v/<script>: 404, nothing reflected" 404 "$(curl -s -o "$T/x.html" -w '%{http_code}' "$U/v/%3Cscript%3E")"
check "/v/<script>: not reflected" bash -c "! grep -q '<script>' '$T/x.html'"
check_eq "/verifikasi page: 200 without login" 200 "$(curl -s -o "$T/ver.html" -w '%{http_code}' "$U/verifikasi")"
check_eq "/verifikasi script: 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$U/verifikasi/verifikasi.js")"
curl -s -o "$T/pv.json" -F "file=@$T/v1.pdf" "$U/api/verifikasi"
check_eq "public upload: VALID without login" VALID "$(jq -r .conclusion "$T/pv.json")"
check_eq "public upload: registry id of that file" "$ID1" "$(jq -r .id_dokumen "$T/pv.json")"
curl -s -o "$T/pv2.json" -F "file=@$T/tampered.pdf" "$U/api/verifikasi"
check_eq "public upload of a tampered file: INVALID" INVALID "$(jq -r .conclusion "$T/pv2.json")"
check "registry keeps the hash of every signed file" test "$(inst_sql "$I" "SELECT sha256 FROM esign_docs WHERE id = '$ID1'")" = "$(sha256sum "$T/v1.pdf" | cut -d' ' -f1)"

server_stop
# keep_content = 0: metadata only, no content.
sed -i 's/^keep_content = 1/keep_content = 0/' "$I/sertel.conf"
server_start_port "$I" "$PORT" || die "server did not restart"
U=$SERVER_URL
code=$(curl -s -o "$T/k.pdf" -D "$T/k.h" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible "$U/api/sign/pdf")
check_eq "keep_content = 0: signing works" 200 "$code"
ID2=$(sed -n 's/^id_dokumen: *\([0-9a-f]*\).*/\1/p' "$T/k.h" | tr -d '\r')
check_eq "keep_content = 0: no content stored" "" "$(inst_sql "$I" "SELECT blob_id FROM esign_docs WHERE id = '$ID2'")"
check_eq "keep_content = 0: download 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' -u "srikandi:$APP" "$U/api/sign/download/$ID2")"
check_eq "keep_content = 0: /v/{id} still answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$U/v/$ID2")"
server_stop
check "audit trail intact after all of it" quiet "$S" audit verify --dir "$I"
finish
