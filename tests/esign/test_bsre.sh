#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 12: an app written for BSrE's Esign Client Service ("Petunjuk
# Teknis API Esign Client Service" v2.0, January 2024) works against
# sertel by changing its base URL and credentials only.  Every endpoint and
# the guide's examples, v1 as multipart with curl and v2 as JSON, asserting
# BSrE's status codes, field names, formats and headers:
#   - v1 `image` as PHP/Node clients send booleans (1/0, empty, on)
#   - tag_koordinat honours width/height
#   - v2 originX/originY from the page's top-left (BSrE), a client set to
#     the lower-left origin keeps sertel's old one
#   - password/pdfPassword ignored for an unencrypted PDF, an encrypted one
#     refused with 2061
#   - a document downloads once (BSrE's 4044 the second time), with the
#     id_dokumen header
#   - verify answers in BSrE's formats (v1 ".00" times, DOCUMENT VALID !!!,
#     the null answer for an unsigned PDF; v2 signatureFormat from the
#     SubFilter, ".000+00:00" dates, decimal serials, the chain with its
#     CA, a foreign adbe.pkcs7.detached file's own certificates)
#   - a missing TOTP is 400 (2052), not the 401 of bad client credentials
#   - a v2 nik as a JSON number; unknown routes in {"error","status_code"}
. "$(dirname "$0")/../interop/lib.sh"
lib_setup esign_bsre
. "$(dirname "$0")/bsre_setup.sh"
bsre_instance podofosign
TOTPU=3274010606890007
check "owner (TOTP) issued" owner $TOTPU "Tono Sutrisno" tono
quiet "$S" esign totp enrol --dir "$I" --nik $TOTPU --passphrase-file "$T/pass.txt" || die "totp enrol"
make_csr "$T/seal.csr" ec-p256 seal
quiet "$S" cert issue --dir "$I" --csr "$T/seal.csr" --type jabatan --usage signing --cn "Pemerintah Kota Cirebon" --title "Sekretaris Daerah" --email setda@cirebonkota.go.id --out "$T/seal.pem" || die "seal certificate"
quiet "$S" esign seal add --dir "$I" --id pemkot-cirebon --key "$T/seal.csr.key" --cert "$T/seal.pem" || die "seal add"

OLD=$("$S" client add --dir "$I" --name aplikasi-lama --perms sign) || die "client add"
SEAL=$("$S" client add --dir "$I" --name webinar --perms seal --seal pemkot-cirebon) || die "client add seal"

# ---- the per-client v2 origin (sertel client origin) ----------------------------
check_eq "new client: v2 origin top-left (BSrE's)" top-left "$("$S" client list --dir "$I" --json | jq -r '.[] | select(.name == "srikandi") | .v2_origin')"
check_rc "client origin: unknown origin refused" 2 "$S" client origin --dir "$I" aplikasi-lama --v2-origin center --reason x
check_rc "client origin: no reason refused" 2 "$S" client origin --dir "$I" aplikasi-lama --v2-origin bottom-left
check_rc "client origin: unknown client refused" 2 "$S" client origin --dir "$I" tidak-ada --v2-origin bottom-left --reason x
check "client origin: set to bottom-left" quiet "$S" client origin --dir "$I" aplikasi-lama --v2-origin bottom-left --reason "aplikasi ditulis untuk sertel lama"
check_eq "client origin: listed" bottom-left "$("$S" client list --dir "$I" --json | jq -r '.[] | select(.name == "aplikasi-lama") | .v2_origin')"
check_eq "client origin: audited with the reason" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.client.origin' AND object = 'esign-client:aplikasi-lama' AND reason LIKE '%sertel lama%'")"

bsre_start

# bsre_err FILE HTTP WANT_HTTP WANT_CODE DESC: BSrE's {"error","status_code"}.
bsre_err() {
	local f=$1 got=$2 want=$3 wcode=$4 desc=$5 sc
	sc=$(jq -r '.status_code' "$f" 2>/dev/null)
	if [ "$got" = "$want" ] && [ "$sc" = "$wcode" ] && jq -e '(.error | type) == "string" and (.error | length) > 0' "$f" >/dev/null 2>&1; then
		pass "$desc: $got $sc ($(jq -r .error "$f"))"
	else
		fail "$desc: got $got $sc, expected $want $wcode: $(head -c 300 "$f")"
	fi
}
v1() { # v1 OUT HEADERS curl-form-args... -> http code of POST /api/sign/pdf
	local out=$1 hdr=$2
	shift 2
	curl -s -o "$out" -D "$hdr" -w '%{http_code}' -u "srikandi:$APP" "$@" "$U/api/sign/pdf"
}
v2() { # v2 CREDS PATH JSONFILE OUT -> http code
	curl -s -o "$4" -w '%{http_code}' -u "$1" -H 'Content-Type: application/json' --data-binary "@$3" "$U$2"
}
hdr() { sed -n "s/^$1: *//Ip" "$2" | tr -d '\r' | head -n 1; }

$MKPDF "$T/a.pdf"
B64=$(base64 -w0 "$T/a.pdf")
IMG=$(base64 -w0 "$D/ttd.png")

# ---- v1 POST /api/sign/pdf: the guide's examples ---------------------------------------
code=$(v1 "$T/inv.pdf" "$T/inv.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible)
check_eq "v1 invisible: 200" 200 "$code"
check_eq "v1: Content-Type application/pdf" application/pdf "$(hdr Content-Type "$T/inv.h")"
ID_INV=$(hdr id_dokumen "$T/inv.h")
check_eq "v1: id_dokumen header (32 hex)" 32 "${#ID_INV}"
check "v1 invisible: pdfsig valid and trusted" pdfsig_ok "$T/inv.pdf"
# image as PHP (cURL/Guzzle: true -> "1", false -> ""), Node and HTML
# forms send booleans.
for v in true 1 on TRUE; do
	code=$(v1 "$T/img-$v.pdf" "$T/img.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible \
		-F "image=$v" -F "imageTTD=@$D/ttd.png" -F page=1 -F xAxis=350 -F yAxis=80 -F width=150 -F height=75)
	check_eq "v1 image=$v with imageTTD: 200" 200 "$code"
done
check "v1 image=1: pdfsig valid and trusted" pdfsig_ok "$T/img-1.pdf"
check_eq "v1 image=1: box at xAxis/yAxis (lower-left origin), width x height" "350 80 150 75" "$(last_rect "$T/img-1.pdf")"
for v in false 0 "" off; do
	code=$(v1 "$T/qr.pdf" "$T/qr.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible \
		-F "image=$v" -F halaman=pertama -F xAxis=300 -F yAxis=80 -F width=120 -F height=120)
	check_eq "v1 image='$v' (QR code): 200" 200 "$code"
done
code=$(v1 "$T/e.out" "$T/e.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible \
	-F image=mungkin -F page=1 -F xAxis=1 -F yAxis=1 -F width=9 -F height=9)
bsre_err "$T/e.out" "$code" 400 2062 "v1 image=mungkin refused"
code=$(v1 "$T/e.out" "$T/e.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible -F image=1 \
	-F page=1 -F xAxis=1 -F yAxis=1 -F width=9 -F height=9)
bsre_err "$T/e.out" "$code" 400 2062 "v1 image=1 without imageTTD refused"
# tag_koordinat with a size, as every tag example of the guide sends it.
code=$(v1 "$T/tag.pdf" "$T/tag.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible \
	-F image=false -F 'tag_koordinat=#' -F width=100 -F height=40)
check_eq "v1 tag_koordinat '#' with width/height: 200" 200 "$code"
check "v1 tag_koordinat: pdfsig valid and trusted" pdfsig_ok "$T/tag.pdf"
check_eq "v1 tag_koordinat: the box is width x height" "100 40" "$(last_rect "$T/tag.pdf" | cut -d' ' -f3,4)"
code=$(v1 "$T/tag2.pdf" "$T/tag2.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible \
	-F image=true -F "imageTTD=@$D/ttd.png" -F 'tag_koordinat=#' -F width=60 -F height=60)
check_eq "v1 tag_koordinat with imageTTD 60x60: 200" 200 "$code"
check_eq "v1 tag_koordinat with image: 60 x 60" "60 60" "$(last_rect "$T/tag2.pdf" | cut -d' ' -f3,4)"
code=$(v1 "$T/e.out" "$T/e.h" -F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=visible \
	-F image=false -F 'tag_koordinat=%%TIDAK-ADA%%')
bsre_err "$T/e.out" "$code" 400 2061 "v1 tag_koordinat not in the document"

# ---- v1 GET /api/sign/download/{id}: once --------------------------------------------------
code=$(curl -s -o "$T/dl.pdf" -D "$T/dl.h" -w '%{http_code}' -u "srikandi:$APP" "$U/api/sign/download/$ID_INV")
check_eq "v1 download: 200" 200 "$code"
check "v1 download: the bytes signed" cmp -s "$T/dl.pdf" "$T/inv.pdf"
check_eq "v1 download: id_dokumen header" "$ID_INV" "$(hdr id_dokumen "$T/dl.h")"
check_eq "v1 download: Content-Type application/pdf" application/pdf "$(hdr Content-Type "$T/dl.h")"
code=$(curl -s -o "$T/dl2.out" -w '%{http_code}' -u "srikandi:$APP" "$U/api/sign/download/$ID_INV")
bsre_err "$T/dl2.out" "$code" 404 4044 "v1 second download: BSrE's answer"
check "v1 second download: BSrE's message" grep -q "pastikan bahwa dokumen belum di download" "$T/dl2.out"
check_eq "v1 download: content gone from the store" "" "$(inst_sql "$I" "SELECT blob_id FROM esign_docs WHERE id = '$ID_INV'")"
check_eq "v1 download: audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.download' AND object = 'esign-doc:$ID_INV'")"
check_eq "v1 download: the registry entry stays (/v/{id})" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$U/v/$ID_INV")"

# ---- v1 POST /api/sign/verify ----------------------------------------------------------------
curl -s -o "$T/ver.json" -u "srikandi:$APP" -F "signed_file=@$T/tag.pdf" "$U/api/sign/verify"
check_eq "v1 verify: summary DOCUMENT VALID !!!" "DOCUMENT VALID !!!" "$(jq -r .summary "$T/ver.json")"
check "v1 verify: signed_in in BSrE's format (.00)" bash -c "jq -r '.details[0].signature_document.signed_in' '$T/ver.json' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.00$'"
check "v1 verify: signer_cert_validity in BSrE's format" bash -c "jq -r '.details[0].info_signer.signer_cert_validity' '$T/ver.json' | grep -Eq '^[0-9-]{10} [0-9:]{8}\.00 to [0-9-]{10} [0-9:]{8}\.00$'"
for k in nama_dokumen jumlah_signature notes summary details; do
	check_eq "v1 verify: field $k" true "$(jq "has(\"$k\")" "$T/ver.json")"
done
python3 -c "
b = bytearray(open('$T/tag.pdf','rb').read()); i = b.find(b'Kepala Dinas'); b[i] ^= 0x20
open('$T/tampered.pdf','wb').write(b)"
curl -s -o "$T/ver2.json" -u "srikandi:$APP" -F "signed_file=@$T/tampered.pdf" "$U/api/sign/verify"
check_eq "v1 verify tampered: DOCUMENT NOT VALID !!!" "DOCUMENT NOT VALID !!!" "$(jq -r .summary "$T/ver2.json")"
code=$(curl -s -o "$T/ver3.json" -w '%{http_code}' -u "srikandi:$APP" -F "signed_file=@$T/a.pdf" "$U/api/sign/verify")
check_eq "v1 verify unsigned: 200" 200 "$code"
check_eq "v1 verify unsigned: BSrE's null answer" '[0,null,null,[]]' "$(jq -c '[.jumlah_signature, .summary, .notes, .details]' "$T/ver3.json")"

# ---- v1 GET /api/user/status/{nik} -------------------------------------------------------------
curl -s -o "$T/st.json" -u "srikandi:$APP" "$U/api/user/status/$BUDI"
check_eq "v1 status: 1111 ISSUE" "1111 ISSUE" "$(jq -r '"\(.status_code) \(.status)"' "$T/st.json")"

# ---- v2 POST /api/v2/sign/pdf -------------------------------------------------------------------
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$B64" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE", reason:"Disetujui", location:"Cirebon"}], file:[$f]}' >"$T/v2.json"
check_eq "v2 sign: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2.json" "$T/v2.out")"
check_eq "v2 sign: fields time, file, id_dokumen" "number array array" "$(jq -r '[(.time|type), (.file|type), (.id_dokumen|type)] | join(" ")' "$T/v2.out")"
jq -r '.file[0]' "$T/v2.out" | base64 -d >"$T/v2.pdf"
check "v2 signed PDF: pdfsig valid and trusted" pdfsig_ok "$T/v2.pdf"
# The guide's figure: originX/originY from the page's top-left corner.
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$B64" --arg img "$IMG" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"VISIBLE", imageBase64:$img, page:1, originX:50, originY:10, width:100, height:50}], file:[$f]}' >"$T/v2o.json"
check_eq "v2 visible originY 10: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2o.json" "$T/v2o.out")"
jq -r '.file[0]' "$T/v2o.out" | base64 -d >"$T/v2o.pdf"
check_eq "v2 origin top-left: box at the top of the page (842 - 10 - 50)" "50 782 100 50" "$(last_rect "$T/v2o.pdf")"
check "v2 top-left: pdfsig valid and trusted" pdfsig_ok "$T/v2o.pdf"
check_eq "v2 client set to bottom-left: 200" 200 "$(v2 "aplikasi-lama:$OLD" /api/v2/sign/pdf "$T/v2o.json" "$T/v2b.out")"
jq -r '.file[0]' "$T/v2b.out" | base64 -d >"$T/v2b.pdf"
check_eq "v2 origin bottom-left for that client: box at y 10" "50 10 100 50" "$(last_rect "$T/v2b.pdf")"
# tag_koordinat in v2 with a size.
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$B64" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"VISIBLE", tag_koordinat:"#", width:"80", height:"30"}], file:[$f]}' >"$T/v2t.json"
check_eq "v2 tag_koordinat with width/height (strings): 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2t.json" "$T/v2t.out")"
jq -r '.file[0]' "$T/v2t.out" | base64 -d >"$T/v2t.pdf"
check_eq "v2 tag_koordinat: the box is 80 x 30" "80 30" "$(last_rect "$T/v2t.pdf" | cut -d' ' -f3,4)"
# nik as a JSON number (PHP json_encode of an int).
jq -n --argjson nik $BUDI --arg p "$PW" --arg f "$B64" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/v2n.json"
check_eq "v2 nik as a JSON number: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2n.json" "$T/v2n.out")"
# pdfPassword: ignored for an unencrypted PDF (BSrE); an encrypted one refused.
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$B64" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE", pdfPassword:"rahasia"}], file:[$f]}' >"$T/v2p.json"
check_eq "v2 pdfPassword on an unencrypted PDF: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2p.json" "$T/v2p.out")"
qpdf --encrypt rahasia rahasia 256 -- "$T/a.pdf" "$T/enc.pdf" || die "qpdf --encrypt"
jq -n --arg nik $BUDI --arg p "$PW" --arg f "$(base64 -w0 "$T/enc.pdf")" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE", pdfPassword:"rahasia"}], file:[$f]}' >"$T/v2x.json"
code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2x.json" "$T/v2x.out")
bsre_err "$T/v2x.out" "$code" 400 2061 "v2 encrypted PDF refused"
check "v2 encrypted PDF: the message says why" grep -qi "encrypt" "$T/v2x.out"
# TOTP missing: 400 with 2052, not the 401 of the client's own credentials.
jq -n --arg nik $TOTPU --arg p "$PW" --arg f "$B64" \
	'{nik:$nik, passphrase:$p, signatureProperties:[{tampilan:"INVISIBLE"}], file:[$f]}' >"$T/v2tt.json"
code=$(v2 "srikandi:$APP" /api/v2/sign/pdf "$T/v2tt.json" "$T/v2tt.out")
bsre_err "$T/v2tt.out" "$code" 400 2052 "v2 TOTP owner without a code"
code=$(v2 "srikandi:salah" /api/v2/sign/pdf "$T/v2tt.json" "$T/v2c.out")
bsre_err "$T/v2c.out" "$code" 401 401 "v2 bad client credentials"
quiet "$S" esign unlock --dir "$I" --nik $TOTPU --as $OP1 --reason "uji" || true

# ---- v2 POST /api/v2/seal/pdf (originY from the top as well) ------------------------------------
jq -n --arg f "$B64" --arg img "$IMG" \
	'{idSubscriber:"pemkot-cirebon", signatureProperties:[{tampilan:"VISIBLE", imageBase64:$img, page:1, originX:493, originY:740, width:100, height:100}], file:[$f]}' >"$T/seal.json"
check_eq "v2 seal: 200" 200 "$(v2 "webinar:$SEAL" /api/v2/seal/pdf "$T/seal.json" "$T/seal.out")"
jq -r '.file[0]' "$T/seal.out" | base64 -d >"$T/seal.pdf"
check "v2 sealed PDF: pdfsig valid and trusted" pdfsig_ok "$T/seal.pdf"
check_eq "v2 seal at the foot of the page (842 - 740 - 100)" "493 2 100 100" "$(last_rect "$T/seal.pdf")"

# ---- v2 POST /api/v2/sign/get/totp, /api/v2/user/check/status --------------------------------
jq -n --argjson nik $TOTPU '{nik:$nik, data:1}' >"$T/gt.json"
check_eq "v2 get/totp with nik as a number: 200" 200 "$(v2 "srikandi:$APP" /api/v2/sign/get/totp "$T/gt.json" /dev/null)"
jq -n --argjson nik $BUDI '{nik:$nik}' >"$T/cs.json"
check_eq "v2 check/status with nik as a number: 200" 200 "$(v2 "srikandi:$APP" /api/v2/user/check/status "$T/cs.json" "$T/cs.out")"
check_eq "v2 check/status: 1111 ISSUE" "1111 ISSUE" "$(jq -r '"\(.status_code) \(.status)"' "$T/cs.out")"

# ---- v2 POST /api/v2/verify/pdf ----------------------------------------------------------------
jq -n --arg f "$(base64 -w0 "$T/v2.pdf")" '{file:$f, password:"tidak-dipakai"}' >"$T/vf.json"
check_eq "v2 verify (password ignored, unencrypted): 200" 200 "$(v2 "srikandi:$APP" /api/v2/verify/pdf "$T/vf.json" "$T/vf.out")"
SI='.signatureInformations[0]'
check "v2 verify: signatureFormat PAdES-BASELINE-* for ETSI.CAdES.detached" bash -c "jq -r '$SI.signatureFormat' '$T/vf.out' | grep -Eq '^PAdES-BASELINE-(B|T|LT|LTA)$'"
check "v2 verify: signatureDate .000+00:00" bash -c "jq -r '$SI.signatureDate' '$T/vf.out' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000\+00:00$'"
check "v2 verify: notBeforeDate .000+00:00" bash -c "jq -r '$SI.certificateDetails[0].notBeforeDate' '$T/vf.out' | grep -Eq '\.000\+00:00$'"
SER_HEX=$("$S" cert list --dir "$I" --json | jq -r ".[] | select(.nik == \"$BUDI\") | .serial" | head -n 1)
check_eq "v2 verify: serialNumber in decimal" "$(python3 -c "print(int('$SER_HEX', 16))")" "$(jq -r "$SI.certificateDetails[0].serialNumber" "$T/vf.out")"
check "v2 verify: certificateDetails has the chain (the CA too)" test "$(jq "$SI.certificateDetails | length" "$T/vf.out")" -ge 2
CA_CN=$(openssl x509 -in "$T/ca/issuing.pem" -noout -subject -nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= *//p')
[ -n "$CA_CN" ] || CA_CN=$(jq -r "$SI.certificateDetails[0].issuerName" "$T/vf.out" | sed -n 's/^CN=\([^,]*\).*/\1/p')
check_eq "v2 verify: the CA's certificate follows the signer's" "$CA_CN" "$(jq -r "$SI.certificateDetails[1].commonName" "$T/vf.out")"
for k in id signatureFormat signerName signatureDate fieldName reason location certLevelCode signatureAlgorithm digestAlgorithm timestampInfomation certificateDetails integrityValid certificateTrusted lastSignature modified ltv; do
	check_eq "v2 verify: field $k" true "$(jq "$SI | has(\"$k\")" "$T/vf.out")"
done
# A foreign file: another tool (podofosign, adbe.pkcs7.detached) with a
# certificate of another CA, as BSrE's files are.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/fca.key" -out "$T/fca.pem" -days 30 -subj "/CN=CA Lain Uji/O=Bukan Instansi Ini/C=ID" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || die "foreign CA"
openssl req -newkey rsa:2048 -nodes -keyout "$T/fee.key" -out "$T/fee.csr" -subj "/CN=Penanda Tangan Lain/C=ID" 2>/dev/null || die "foreign csr"
printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' >"$T/fee.ext"
openssl x509 -req -in "$T/fee.csr" -CA "$T/fca.pem" -CAkey "$T/fca.key" -CAcreateserial -days 30 -extfile "$T/fee.ext" -out "$T/fee.pem" 2>/dev/null || die "foreign cert"
cat "$T/fee.pem" "$T/fca.pem" >"$T/fchain.pem"
podofosign -in "$T/a.pdf" -out "$T/foreign.pdf" -cert "$T/fchain.pem" -pkey "$T/fee.key" -digest SHA256 -sigsize 12000 >/dev/null 2>&1 ||
	podofosign -in "$T/a.pdf" -out "$T/foreign.pdf" -cert "$T/fee.pem" -pkey "$T/fee.key" -digest SHA256 -sigsize 12000 >/dev/null 2>&1 || die "podofosign"
jq -n --arg f "$(base64 -w0 "$T/foreign.pdf")" '{file:$f}' >"$T/vff.json"
check_eq "v2 verify a foreign file: 200" 200 "$(v2 "srikandi:$APP" /api/v2/verify/pdf "$T/vff.json" "$T/vff.out")"
check_eq "v2 foreign adbe.pkcs7.detached: not labelled PAdES" PKCS7-B "$(jq -r "$SI.signatureFormat" "$T/vff.out")"
FSER=$(openssl x509 -in "$T/fee.pem" -noout -serial | cut -d= -f2)
check_eq "v2 foreign file: the signer's certificate from the file, serial in decimal" "$(python3 -c "print(int('$FSER', 16))")" "$(jq -r "$SI.certificateDetails[0].serialNumber" "$T/vff.out")"
check_eq "v2 foreign file: the signer's commonName" "Penanda Tangan Lain" "$(jq -r "$SI.certificateDetails[0].commonName" "$T/vff.out")"
check_eq "v2 foreign file: not trusted here" false "$(jq -r "$SI.certificateTrusted" "$T/vff.out")"
curl -s -o "$T/vf1.json" -u "srikandi:$APP" -F "signed_file=@$T/foreign.pdf" "$U/api/sign/verify"
check_eq "v1 verify a foreign file: DOCUMENT NOT VALID !!! (untrusted)" "DOCUMENT NOT VALID !!!" "$(jq -r .summary "$T/vf1.json")"

# ---- unknown routes in BSrE's shape -----------------------------------------------------------------
code=$(curl -s -o "$T/nf.out" -w '%{http_code}' -u "srikandi:$APP" "$U/api/sign/tidak-ada")
bsre_err "$T/nf.out" "$code" 404 404 "unknown v1 route"
code=$(curl -s -o "$T/nf.out" -w '%{http_code}' -u "srikandi:$APP" -H 'Content-Type: application/json' -d '{}' "$U/api/v2/tidak/ada")
bsre_err "$T/nf.out" "$code" 404 404 "unknown v2 route"
code=$(curl -s -o "$T/nf.out" -w '%{http_code}' -u "srikandi:$APP" "$U/api/user/tidak-ada")
bsre_err "$T/nf.out" "$code" 404 404 "unknown /api/user route"
check_eq "other unknown routes keep sertel's shape" not_found "$(curl -s "$U/tidak-ada" | jq -r .code)"

server_stop
check "audit trail intact after all of it" quiet "$S" audit verify --dir "$I"
finish
