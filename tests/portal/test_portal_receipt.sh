#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The desk receipt signed by the operator who witnessed the issuance
# (issue 10), in a real headless Chromium (tests/portal/receipt_flow.py):
# op1 holds a key sealed on the server under their own passphrase; they
# issue Siti's certificate at the desk and find "Tanda tangani tanda
# terima" on the done page and on the application page; a wrong passphrase
# is refused on the page and counted as the e-sign API counts it; the right
# one returns the signed PDF (an attachment).  op2, whose key was made from
# a CSR, witnesses Andi's issuance and reads why they cannot sign.  Raw
# HTTP tries both routes as every role and without the CSRF token (403, the
# store unchanged); TOTP, once enrolled, is asked for; five wrong
# passphrases lock the key for the e-sign API too.  The signed file is
# judged by tools nobody here wrote: pdfsig (poppler + NSS trusting the
# instance root) names op1's certificate and says "Signature is Valid",
# qpdf --check passes, the receipt served unsigned is a byte prefix of it
# (an incremental update); sertel verify accepts it.  Screenshots in
# $SERTEL_BUILD/screenshots/portal-receipt.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_receipt
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-receipt}
. "$(dirname "$0")/setup.sh"
for t in qpdf pdfsig certutil jq; do
	command -v $t >/dev/null || die "$t is not installed"
done
mkdir -p "$SHOTS"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export"

KADIS=3274010101750001
OP1=3274010101820001
OP2=3274010101830001
OP3=3274010101840001 # a third operator: op1's own application needs two approvals
SITI=3274014101920002
ANDI=3274010101850001
PW='Teh-Poci-Tegal-2026'
printf '%s' "$PW" >"$T/pass.txt"

quiet "$S" person add --dir "$I" --as $KADIS --nik $OP3 --name "Operator Tiga" \
	--email op3@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon ||
	die "person add (op3) failed"
quiet "$S" person appoint --dir "$I" --as $KADIS $OP3 --role operator-op || die "appoint op3 failed"
make_csr "$T/op3.csr" ec-p256 op3 || die "csr op3"
quiet "$S" cert issue --dir "$I" --csr "$T/op3.csr" --type individu --usage signing \
	--cn "Operator Tiga" --nik $OP3 --out "$T/op3.pem" || die "cert for op3 failed"

att=(--attach "pengantar=$F/pengantar.pdf" --attach "rekomendasi=$F/rekomendasi.pdf" --attach "ktp=$F/ktp.png")
# apply NIK: an individu application for signing, submitted; prints its id.
apply() {
	local id
	id=$("$S" ra apply --dir "$I" --as "$1" --type individu --usage signing "${att[@]}" --json | jq -r .id) || return 1
	quiet "$S" ra submit --dir "$I" --as "$1" "$id" || return 1
	echo "$id"
}
# op1's signing certificate with a key generated and sealed on the server
# under op1's passphrase (as every e-sign owner's).
APP_OP1=$(apply $OP1) || die "apply op1"
quiet "$S" ra approve --dir "$I" --as $OP2 "$APP_OP1" --note lengkap || die "approve op1 (op2)"
quiet "$S" ra approve --dir "$I" --as $OP3 "$APP_OP1" --note lengkap || die "approve op1 (op3)"
quiet "$S" ra issue --dir "$I" "$APP_OP1" --as $OP1 --accept-agreement --generate-key \
	--passphrase-file "$T/pass.txt" --out "$T/op1-sealed.pem" || die "issue op1's sealed key"
SER_OP1=$(openssl x509 -in "$T/op1-sealed.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
check "op1 holds a sealed signing key" test "$(inst_sql "$I" "SELECT COUNT(*) FROM sealed_keys WHERE nik = '$OP1'")" = 1
# Siti's application (witnessed by op1) and Andi's (witnessed by op2, who
# has no sealed key).
APP_SITI=$(apply $SITI) || die "apply siti"
APP_ANDI=$(apply $ANDI) || die "apply andi"
quiet "$S" ra approve --dir "$I" --as $OP2 "$APP_SITI" --note lengkap || die "approve siti 1"
quiet "$S" ra approve --dir "$I" --as $OP3 "$APP_SITI" --note lengkap || die "approve siti 2"
quiet "$S" ra approve --dir "$I" --as $OP1 "$APP_ANDI" --note lengkap || die "approve andi 1"
quiet "$S" ra approve --dir "$I" --as $OP3 "$APP_ANDI" --note lengkap || die "approve andi 2"

jq -n --arg base "$SERVER_URL" --arg md "$MD" --arg shots "$SHOTS" --arg db "$DBFILE" --arg tmp "$T" \
	--arg pw "$PW" --arg bin "$S" --arg dir "$I" --arg app_siti "$APP_SITI" --arg app_andi "$APP_ANDI" \
	--arg op1 $OP1 --arg op2 $OP2 '{
	base: $base, maildir: $md, shots: $shots, db: $db, tmp: $tmp, pw: $pw, bin: $bin, dir: $dir,
	app_siti: $app_siti, app_andi: $app_andi, nik: {op1: $op1, op2: $op2}}' >"$T/receipt.json"
portal_run_flow receipt_flow.py "$T/receipt.json"

# ---- the signed receipt, judged by others' tools --------------------------
NSS=$T/nss
mkdir -p "$NSS"
certutil -N --empty-password -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -N"
certutil -A -t CT,C,C -n root -i "$T/ca/root.pem" -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -A"
for f in signed signed-totp; do
	pdfsig -nssdir "sql:$NSS" "$T/$f.pdf" >"$T/$f.pdfsig" 2>&1
	check "$f: pdfsig finds one signature" test "$(grep -c '^Signature #' "$T/$f.pdfsig")" = 1
	check "$f: pdfsig: Signature is Valid" grep -q 'Signature Validation: Signature is Valid.' "$T/$f.pdfsig"
	check "$f: pdfsig: Certificate is Trusted (the instance root)" \
		grep -q 'Certificate Validation: Certificate is Trusted.' "$T/$f.pdfsig"
	check "$f: pdfsig: the signer is op1's certificate (Operator Satu)" \
		grep -q 'Signer Certificate Common Name: Operator Satu' "$T/$f.pdfsig"
	check "$f: qpdf --check passes" quiet qpdf --check "$T/$f.pdf"
	check "$f: the receipt served unsigned is a prefix of it (incremental update)" \
		cmp -s -n "$(stat -c %s "$T/unsigned.pdf")" "$T/unsigned.pdf" "$T/$f.pdf"
	check "$f: longer than the receipt" test "$(stat -c %s "$T/$f.pdf")" -gt "$(stat -c %s "$T/unsigned.pdf")"
	check "$f: sertel verify accepts it" quiet "$S" verify --dir "$I" "$T/$f.pdf"
done
# The signer's full name as pdfsig reads it, against the certificate's.
subj=$(openssl x509 -in "$T/op1-sealed.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
dn=$(sed -n 's/^ *- Signer full Distinguished Name: //p' "$T/signed.pdfsig" | head -n1)
note "certificate subject: $subj; pdfsig: $dn"
check "pdfsig's signer DN is op1's certificate subject" \
	python3 -c 'import sys; n=lambda s: sorted(p.strip() for p in s.split(",")); sys.exit(n(sys.argv[1]) != n(sys.argv[2]))' "$subj" "$dn"
# poppler 22 does not print /Reason: read it in the signature dictionary.
check "the signature's /Reason names the receipt" grep -aq '/Reason (Tanda terima Sertifikat Elektronik' "$T/signed.pdf"
check "the unsigned receipt itself has no signature" bash -c "! pdfsig '$T/unsigned.pdf' 2>&1 | grep -q '^Signature #'"

# ---- the trail --------------------------------------------------------------
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
check "audit: receipt.sign by op1 for Siti's application, op1's serial, the reason" \
	jq -e --arg o "application:$APP_SITI" --arg s "$SER_OP1" '[.[] | select(.action == "receipt.sign" and .object == $o
		and .actor == "nik:3274010101820001" and (.reason | startswith("tanda terima ditandatangani; cert " + $s)))] | length == 2' <<<"$trail" >/dev/null
check "audit: every receipt.sign next to its esign.sign by the portal's signer" \
	jq -e '([.[] | select(.action == "esign.sign" and .actor == "client:portal:loket")] | length) == 2' <<<"$trail" >/dev/null
check "audit: no receipt.sign for Andi's application" \
	jq -e --arg o "application:$APP_ANDI" '[.[] | select(.action == "receipt.sign" and .object == $o)] | length == 0' <<<"$trail" >/dev/null
check "registry: the two signed receipts, signed by op1 with the sealed certificate" \
	test "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs WHERE client = 'portal:loket' AND signer_nik = '$OP1' AND lower(cert_serial) = '$SER_OP1' AND name = 'tanda-terima-$APP_SITI.pdf'")" = 2
check "no passphrase in the server log" bash -c "! grep -q 'Teh-Poci' '$SERVER_LOG'"
check "no passphrase in the store" bash -c "! grep -aq 'Teh-Poci' '$DBFILE'"
check "audit verify" quiet "$S" audit verify --dir "$I"
for f in receipt-done receipt-wrong receipt-app receipt-page receipt-nokey receipt-totp receipt-locked; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
