#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `sertel sign pdf` (PAdES, ETSI EN 319 142-1) judged by tools nobody here
# wrote: pdfsig (poppler + NSS, trusting only the instance's root), qpdf
# --check, mutool show/info, pdftotext, and openssl (cms -verify over the
# /ByteRange bytes, ts -verify for signature and document timestamps, ocsp
# and crl for what the DSS holds).
#
# Input PDFs come from mutool create (classic cross-reference table), qpdf
# --object-streams=generate (cross-reference stream + object streams), qpdf
# --linearize, podofosign (already signed by another tool) and sertel's
# cairo receipts.
# A throwaway instance runs `sertel serve` on the port its certificates
# name, so the TSA, OCSP responder and CRLs in the certificates answer.
#
#  1. B-B invisible (EC P-256), classic and xref-stream inputs; JSON output
#  2. footer on every page (pdftotext), custom, from [sign] footer, disabled
#  3. visible: page/rect, PNG with alpha (SMask) and JPEG (DCTDecode), QR
#  4. marker placement; marker not found is refused
#  5. two and three signers (EC, RSA 2048, EC): all valid, footer not
#     added twice; after a podofosign signature; the same signer twice
#  6. B-T: the signature timestamp verifies with openssl ts
#  7. B-LT: DSS with certificates, OCSP responses, CRLs, VRI
#  8. B-LTA: a document timestamp after the DSS, verified with openssl ts
#  9. DocMDP certification: /Perms, first signer only, P=1 refuses more
# 10. batch mode (--out-dir, --batch), bad input exits 2 and writes nothing
# 11. a key sealed in the instance (--dir --nik --passphrase-file) after the
#     RA workflow; its cairo receipt signed; `sertel sign cms` dispatch
. "$(cd "$(dirname "$0")" && pwd)/../interop/lib.sh"
lib_setup pades

export LC_ALL=C
S=$SERTEL_BIN
TOOL="python3 $(cd "$(dirname "$0")" && pwd)/pades_tool.py"
for t in pdfsig certutil qpdf mutool pdftotext pdftocairo podofosign zbarimg; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed (scripts/deps.sh test)"
done

# ---- instance, signers, trust -------------------------------------------
PORT=$(free_port)
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Palembang" --base-url "http://127.0.0.1:$PORT" ||
	die "init: $(cat "$I.init.err")"
CA=$T/ca
"$S" ca export --dir "$I" --out "$CA" >/dev/null 2>&1 || die "ca export failed"
server_start_port "$I" "$PORT" || die "sertel serve did not start"

# issue NAME KEYSPEC CN: key from openssl genpkey, certificate from sertel.
issue() {
	local name=$1 spec=$2 cn=$3
	case $spec in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/$name.key" ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/$name.key" ;;
	esac 2>/dev/null || return 1
	openssl req -new -key "$T/$name.key" -subj "/CN=x" -out "$T/$name.csr" 2>/dev/null || return 1
	# With an address: NSS (pdfsig) and Adobe accept a document signer
	# only with emailProtection, which needs an rfc822Name (issue 18).
	"$S" cert issue --dir "$I" --csr "$T/$name.csr" --type individu --usage signing \
		--cn "$cn" --email "$name@palembang.go.id" --json 2>"$T/$name.err" | jq -r .certificate >"$T/$name.pem"
	[ -s "$T/$name.pem" ] && openssl x509 -in "$T/$name.pem" -noout 2>/dev/null
}
issue ec ec "Budi Santoso" || die "issuing the EC certificate failed: $(cat "$T/ec.err")"
issue rsa rsa "Siti Aminah" || die "issuing the RSA certificate failed: $(cat "$T/rsa.err")"
EC="--key $T/ec.key --cert $T/ec.pem --chain $CA/issuing.pem"
RSA="--key $T/rsa.key --cert $T/rsa.pem --chain $CA/issuing.pem"
issue ec3 ec "Ahmad Fauzi" || die "issuing the third certificate failed: $(cat "$T/ec3.err")"
EC3="--key $T/ec3.key --cert $T/ec3.pem --chain $CA/issuing.pem"

pdfsig_trust "$CA/root.pem"
qpdf_ok() { qpdf --check "$1" >"$T/qpdf.out" 2>&1 || { sed 's/^/#      /' "$T/qpdf.out"; return 1; }; }
mutool_ok() { mutool info "$1" >/dev/null 2>&1 && mutool show "$1" trailer >/dev/null 2>&1; }
# openssl_ok FILE N: openssl verifies signature N's CMS over its ranges.
openssl_ok() {
	$TOOL cms "$1" "$2" "$T/o.cms" && $TOOL signed "$1" "$2" "$T/o.bin" &&
		[ "$($TOOL gap "$1" "$2")" = ok ] &&
		openssl cms -verify -binary -inform DER -in "$T/o.cms" -content "$T/o.bin" \
			-CAfile "$CA/root.pem" -purpose any -out /dev/null 2>"$T/ossl.err" ||
		{ sed 's/^/#      /' "$T/ossl.err"; return 1; }
}
# objref FILE PATH: "N G R" of the object at PATH (mutool show resolves it).
objref() {
	local r
	r=$(mutool show "$1" "$2" 2>/dev/null | head -n 1 | grep -o '^[0-9]* [0-9]* obj' | sed 's/obj/R/')
	echo "${r:-missing $2}"
}
# mshow FILE PATH: one value from mutool show, on one line.
mshow() { mutool show "$1" "$2" 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g; s/ $//'; }
# pages_with TEXT FILE: how many pages contain TEXT (pdftotext, one page at a time).
pages_with() {
	local n=0 p np
	np=$(mutool info "$2" 2>/dev/null | sed -n 's/^Pages: //p')
	for p in $(seq 1 "$np"); do
		pdftotext -f "$p" -l "$p" "$2" - 2>/dev/null | tr '\n' ' ' | grep -q "$1" && n=$((n + 1))
	done
	echo "$n"
}
# count_on TEXT FILE PAGE: occurrences of TEXT on one page.
count_on() { pdftotext -f "$3" -l "$3" "$2" - 2>/dev/null | tr '\n' ' ' | grep -o "$1" | wc -l; }

# ---- input documents -----------------------------------------------------
cat >"$T/p1.txt" <<'EOF'
%%MediaBox 0 0 595 842
%%Font F1 Helvetica
BT /F1 12 Tf 72 760 Td (Surat Keputusan Nomor 1/2026) Tj ET
q 1 0 0 1 0 -20 cm
BT /F1 11 Tf 1 0 0 1 72 700 Tm 14 TL (Paragraf pertama.) Tj T* (Kepala Dinas,) Tj
T* [(Tanda tangan: ) -250 (#TTD#)] TJ ET
Q
EOF
cat >"$T/p2.txt" <<'EOF'
%%MediaBox 0 0 595 842
%%Font F1 Helvetica
BT /F1 12 Tf 72 760 Td (Halaman dua) Tj ET
EOF
cat >"$T/p3.txt" <<'EOF'
%%MediaBox 0 0 612 792
%%Font F1 Helvetica
BT /F1 12 Tf 72 700 Td (Halaman tiga) Tj ET
EOF
mutool create -o "$T/classic.pdf" "$T/p1.txt" "$T/p2.txt" "$T/p3.txt" || die "mutool create failed"
qpdf --object-streams=generate "$T/classic.pdf" "$T/xstream.pdf" || die "qpdf failed"
qpdf --linearize "$T/classic.pdf" "$T/linear.pdf" || die "qpdf --linearize failed"
grep -aq '/Type */XRef' "$T/xstream.pdf" || die "qpdf wrote no cross-reference stream"
grep -aq '^xref' "$T/classic.pdf" || die "mutool wrote no cross-reference table"
pdftocairo -png -singlefile -scale-to 48 -transp "$T/classic.pdf" "$T/logo" &&
	pdftocairo -jpeg -singlefile -scale-to 48 "$T/classic.pdf" "$T/logo" || die "pdftocairo failed"
# PNG IHDR colour type (byte 25) 6: RGB with alpha.
[ "$(od -An -tu1 -j25 -N1 "$T/logo.png" | tr -d ' ')" = 6 ] || die "logo.png has no alpha channel"
FOOT="ditandatangani secara elektronik"

# ---- 1. B-B invisible ----------------------------------------------------
for kind in classic xstream linear; do
	out=$T/$kind-bb.pdf
	if "$S" sign pdf "$T/$kind.pdf" --out "$out" $EC --json >"$T/bb.json" 2>"$T/bb.err"; then
		pass "$kind: sign pdf B-B exits 0"
	else
		fail "$kind: sign pdf B-B: $(cat "$T/bb.err")"
		continue
	fi
	check "$kind: pdfsig: valid, trusted" pdfsig_ok "$out" 1
	check "$kind: openssl cms -verify over the ByteRange" openssl_ok "$out" 0
	check "$kind: qpdf --check" qpdf_ok "$out"
	check "$kind: mutool info/show" mutool_ok "$out"
	check_eq "$kind: original bytes untouched" "$(sha256sum <"$T/$kind.pdf" | cut -c1-64)" \
		"$(head -c "$(stat -c %s "$T/$kind.pdf")" "$out" | sha256sum | cut -c1-64)"
	check_eq "$kind: json sha256" "$(sha256sum <"$out" | cut -c1-64)" "$(jq -r .sha256 "$T/bb.json")"
	check_eq "$kind: json field" Signature1 "$(jq -r .field "$T/bb.json")"
	check_eq "$kind: json file" "$out" "$(jq -r .file "$T/bb.json")"
	check_eq "$kind: SubFilter" "/ETSI.CAdES.detached" "$(mshow "$out" trailer/Root/AcroForm/Fields/1/V/SubFilter)"
	check_eq "$kind: SigFlags 3" 3 "$(mshow "$out" trailer/Root/AcroForm/SigFlags)"
	check_eq "$kind: invisible widget" "[ 0 0 0 0 ]" "$(mshow "$out" trailer/Root/AcroForm/Fields/1/Rect)"
	mshow "$out" trailer/Root/AcroForm/Fields/1/V/M | grep -q "^(D:20" &&
		pass "$kind: claimed time in /M" || fail "$kind: no /M"
	# PAdES: no signing-time attribute (ETSI EN 319 142-1 5.4.3).
	$TOOL cms "$out" 0 "$T/bb.cms"
	if openssl cms -cmsout -print -inform DER -in "$T/bb.cms" 2>/dev/null | grep -q signingTime; then
		fail "$kind: CMS carries signing-time"
	else
		pass "$kind: CMS has no signing-time"
	fi
	openssl cms -cmsout -print -inform DER -in "$T/bb.cms" 2>/dev/null |
		grep -q 'id-smime-aa-signingCertificateV2' && pass "$kind: signing-certificate-v2" ||
		fail "$kind: no signing-certificate-v2"
	check_eq "$kind: footer on all 3 pages" 3 "$(pages_with "$FOOT" "$out")"
done
# The xref-stream input keeps a cross-reference stream in the update.
tail -c 2000 "$T/xstream-bb.pdf" | grep -aq '/Type */XRef' &&
	pass "xstream: the update is a cross-reference stream" || fail "xstream: update has no xref stream"

# ---- 2. footers ----------------------------------------------------------
"$S" sign pdf "$T/classic.pdf" --out "$T/f1.pdf" $EC --footer "Catatan kaki khusus Pemkot" 2>/dev/null &&
	check_eq "custom footer on every page" 3 "$(pages_with "Catatan kaki khusus Pemkot" "$T/f1.pdf")" ||
	fail "--footer TEXT"
# Palembang 12(4): the footer is an invariant; it cannot be turned off.
"$S" sign pdf "$T/classic.pdf" --out "$T/f2.pdf" $EC --footer "" 2>"$T/f2.err"
check_eq "--footer \"\": refused (exit 2)" 2 $?
check "--footer \"\": one line naming the rule" sh -c "[ \$(wc -l <'$T/f2.err') -eq 1 ] && grep -q '12(4)' '$T/f2.err'"
check "--footer \"\": nothing written" test ! -e "$T/f2.pdf"
printf '\n[sign]\nfooter =\n' >>"$I/sertel.conf"
"$S" sign pdf "$T/classic.pdf" --out "$T/f2.pdf" $EC --dir "$I" 2>"$T/f2.err"
check_eq "[sign] footer empty in the config: refused (exit 2)" 2 $?
check "[sign] footer empty: the message names the setting" grep -q 'sign\] footer' "$T/f2.err"
sed -i '/^\[sign\]/,$d' "$I/sertel.conf"
printf '\n[sign]\nfooter = Footer dari konfigurasi instansi\n' >>"$I/sertel.conf"
"$S" sign pdf "$T/classic.pdf" --out "$T/f3.pdf" $EC --dir "$I" 2>"$T/f3.err" &&
	check_eq "[sign] footer from the instance config" 3 \
		"$(pages_with "Footer dari konfigurasi instansi" "$T/f3.pdf")" || fail "config footer: $(cat "$T/f3.err")"
"$S" sign pdf "$T/classic.pdf" --out "$T/f4.pdf" $EC --dir "$I" --footer "Menimpa konfigurasi" 2>/dev/null &&
	check_eq "--footer overrides the config" 3 "$(pages_with "Menimpa konfigurasi" "$T/f4.pdf")" ||
	fail "--footer with --dir"
sed -i '/^\[sign\]/,$d' "$I/sertel.conf"

# ---- 3. visible ----------------------------------------------------------
V=$T/vis.pdf
if "$S" sign pdf "$T/classic.pdf" --out "$V" $EC --visible --page 2 --rect 300,100,220,80 \
	--image "$T/logo.png" --qr "https://sertel.example/v/abc" --reason "Menyetujui" \
	--location "Palembang" --json >/dev/null 2>"$T/vis.err"; then
	pass "visible signature with PNG and QR"
	check "visible: pdfsig" pdfsig_ok "$V" 1
	check "visible: qpdf --check" qpdf_ok "$V"
	check "visible: openssl" openssl_ok "$V" 0
	check_eq "visible: rect" "[ 300 100 520 180 ]" "$(mshow "$V" trailer/Root/AcroForm/Fields/1/Rect)"
	check_eq "visible: on page 2" "$(objref "$V" trailer/Root/Pages/Kids/2)" \
		"$(objref "$V" trailer/Root/AcroForm/Fields/1/P)"
	mshow "$V" trailer/Root/AcroForm/Fields/1/AP/N/Resources/XObject/SertelIm1 | grep -q '/SMask' &&
		pass "visible: PNG alpha as /SMask" || fail "visible: no /SMask"
	check_eq "visible: reason" "(Menyetujui)" "$(mshow "$V" trailer/Root/AcroForm/Fields/1/V/Reason)"
	pdftotext -f 2 -l 2 "$V" - | grep -q "Budi Santoso" && pass "visible: signer's name drawn" ||
		fail "visible: no name on page 2"
	# The QR code is drawn: render the box and decode it.
	pdftocairo -png -r 200 -f 2 -l 2 -x 800 -y 1700 -W 800 -H 500 -singlefile "$V" "$T/qr"
	check_eq "visible: QR decodes" "QR-Code:https://sertel.example/v/abc" \
		"$(zbarimg -q "$T/qr.png" 2>/dev/null | head -n 1)"
else
	fail "visible signature: $(cat "$T/vis.err")"
fi
"$S" sign pdf "$T/xstream.pdf" --out "$T/visj.pdf" $EC --visible --page last --image "$T/logo.jpg" 2>"$T/visj.err" &&
	pass "visible with JPEG" || fail "visible with JPEG: $(cat "$T/visj.err")"
check "visible JPEG: pdfsig" pdfsig_ok "$T/visj.pdf" 1
mshow "$T/visj.pdf" trailer/Root/AcroForm/Fields/1/AP/N/Resources/XObject/SertelIm1 | grep -q '/DCTDecode' &&
	pass "visible: JPEG as DCTDecode" || fail "visible: JPEG not DCTDecode"
check_eq "visible last page = 3" "$(objref "$T/visj.pdf" trailer/Root/Pages/Kids/3)" \
	"$(objref "$T/visj.pdf" trailer/Root/AcroForm/Fields/1/P)"
check_rc "not an image refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --visible --image "$T/p1.txt"
check_rc "--page beyond the end refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --visible --page 9
check_rc "--rect malformed refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --visible --rect 1,2,3
[ ! -e "$T/x.pdf" ] && pass "refused signing writes no output" || fail "refused signing left $T/x.pdf"

# ---- 4. marker -------------------------------------------------------------
# "#TTD#" is shown by TJ after a kerning gap, in a Tm/T* text block under a
# cm that moves everything down 20 points: baseline 700 - 2*14 - 20 = 652.
M=$T/marker.pdf
if "$S" sign pdf "$T/classic.pdf" --out "$M" $EC --marker '#TTD#' 2>"$T/m.err"; then
	pass "marker signature"
	check "marker: pdfsig" pdfsig_ok "$M" 1
	rect=$(mshow "$M" trailer/Root/AcroForm/Fields/1/Rect)
	x=$(echo "$rect" | awk '{ print $2 }')
	top=$(echo "$rect" | awk '{ print $5 }')
	# x: 72 + width of "Tanda tangan: " in Helvetica 11 + 250/1000*11 = 72 + 75.5 + 2.75
	awk -v x="$x" 'BEGIN { exit !(x > 145 && x < 155) }' && pass "marker: x at the marker ($x)" ||
		fail "marker: x = $x, expected about 150 ($rect)"
	awk -v t="$top" 'BEGIN { exit !(t > 655 && t < 670) }' && pass "marker: box top at its line ($top)" ||
		fail "marker: top = $top, expected about 663 ($rect)"
	check_eq "marker: on page 1" "$(objref "$M" trailer/Root/Pages/Kids/1)" \
		"$(objref "$M" trailer/Root/AcroForm/Fields/1/P)"
else
	fail "marker: $(cat "$T/m.err")"
fi
"$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --marker 'TIDAK-ADA' 2>"$T/m2.err"
rc=$?
check_eq "marker not found exits 2" 2 "$rc"
grep -q "not found" "$T/m2.err" && pass "marker not found: clear message" || fail "marker message: $(cat "$T/m2.err")"
"$S" sign pdf "$T/classic.pdf" --out "$T/m3.pdf" $EC --marker 'Halaman tiga' 2>/dev/null &&
	check_eq "marker on page 3" "$(objref "$T/m3.pdf" trailer/Root/Pages/Kids/3)" \
		"$(objref "$T/m3.pdf" trailer/Root/AcroForm/Fields/1/P)" ||
	fail "marker on page 3"
check_rc "--marker with --visible refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --marker X --visible

# ---- 5. two signers -------------------------------------------------------
for kind in classic xstream linear; do
	if "$S" sign pdf "$T/$kind-bb.pdf" --out "$T/$kind-2.pdf" $RSA --visible --json >"$T/two.json" 2>"$T/two.err"; then
		check_eq "$kind: second signer's field" Signature2 "$(jq -r .field "$T/two.json")"
		check "$kind: pdfsig: both signatures valid" pdfsig_ok "$T/$kind-2.pdf" 2
		check "$kind: openssl: first signature still verifies" openssl_ok "$T/$kind-2.pdf" 0
		check "$kind: openssl: second signature verifies" openssl_ok "$T/$kind-2.pdf" 1
		check "$kind: qpdf --check (two signers)" qpdf_ok "$T/$kind-2.pdf"
		check_eq "$kind: footer once on page 1" 1 "$(count_on "$FOOT" "$T/$kind-2.pdf" 1)"
		check_eq "$kind: footer once on page 3" 1 "$(count_on "$FOOT" "$T/$kind-2.pdf" 3)"
		check_eq "$kind: two fields" "(Signature1) (Signature2)" \
			"$(mshow "$T/$kind-2.pdf" trailer/Root/AcroForm/Fields/1/T) $(mshow "$T/$kind-2.pdf" trailer/Root/AcroForm/Fields/2/T)"
	else
		fail "$kind: second signer: $(cat "$T/two.err")"
	fi
done
"$S" sign pdf "$T/classic-2.pdf" --out "$T/three.pdf" $EC3 --marker '#TTD#' 2>/dev/null &&
	check "three signers: all valid" pdfsig_ok "$T/three.pdf" 3 || fail "third signer"
# After another tool's signature (podofosign, adbe.pkcs7.detached, its own
# AcroForm): both signatures valid, our field appended to its /Fields.
if podofosign -in "$T/classic.pdf" -out "$T/podofo.pdf" -cert "$T/rsa.pem" -pkey "$T/rsa.key" \
	-digest SHA256 -sigsize 8000 >"$T/podofo.log" 2>&1 &&
	"$S" sign pdf "$T/podofo.pdf" --out "$T/podofo-2.pdf" $EC --visible --json >"$T/pd.json" 2>"$T/pd.err"; then
	pdfsig -nssdir "sql:$NSS" "$T/podofo-2.pdf" >"$T/pd.out" 2>/dev/null
	check_eq "after podofosign: pdfsig sees both signatures valid" 2 \
		"$(grep -c 'Signature Validation: Signature is Valid.' "$T/pd.out")"
	check_eq "after podofosign: field Signature2" Signature2 "$(jq -r .field "$T/pd.json")"
	check "after podofosign: qpdf --check" qpdf_ok "$T/podofo-2.pdf"
else
	fail "signing after podofosign: $(cat "$T/podofo.log" "$T/pd.err" 2>/dev/null | tail -n 3)"
fi
# The same signer twice: poppler 22.12 + NSS report "Unknown issue with
# Certificate" for the second use of one certificate in a document (also
# for two podofosign signatures), so the judges here are pdfsig's
# signature check and openssl for both.
if "$S" sign pdf "$T/classic-bb.pdf" --out "$T/same.pdf" $EC 2>/dev/null; then
	pdfsig -nssdir "sql:$NSS" "$T/same.pdf" 2>/dev/null >"$T/same.out"
	check_eq "same signer twice: pdfsig signatures valid" 2 \
		"$(grep -c 'Signature Validation: Signature is Valid.' "$T/same.out")"
	check "same signer twice: openssl first" openssl_ok "$T/same.pdf" 0
	check "same signer twice: openssl second" openssl_ok "$T/same.pdf" 1
else
	fail "same signer twice"
fi

# ---- 6. B-T ---------------------------------------------------------------
BT=$T/bt.pdf
if "$S" sign pdf "$T/classic.pdf" --out "$BT" $EC --level B-T --tsa "http://127.0.0.1:$PORT/tsa" \
	--json >"$T/bt.json" 2>"$T/bt.err"; then
	pass "B-T exits 0"
	check_eq "B-T: json level" B-T "$(jq -r .level "$T/bt.json")"
	check "B-T: pdfsig" pdfsig_ok "$BT" 1
	check "B-T: openssl cms" openssl_ok "$BT" 0
	$TOOL cms "$BT" 0 "$T/bt.cms" && $TOOL tst "$T/bt.cms" "$T/bt.tst" "$T/bt.sigval" &&
		pass "B-T: signature timestamp token present" || fail "B-T: no timestamp token"
	cat "$CA/issuing.pem" "$CA/tsa.pem" >"$T/untrusted.pem"
	openssl ts -verify -in "$T/bt.tst" -token_in -data "$T/bt.sigval" -CAfile "$CA/root.pem" \
		-untrusted "$T/untrusted.pem" >"$T/ts.out" 2>&1 &&
		pass "B-T: openssl ts -verify (imprint = signature value)" ||
		fail "B-T: openssl ts -verify: $(tr '\n' ' ' <"$T/ts.out")"
else
	fail "B-T: $(cat "$T/bt.err")"
fi
"$S" sign pdf "$T/classic.pdf" --out "$T/bt2.pdf" $EC --level B-T --dir "$I" 2>/dev/null &&
	$TOOL cms "$T/bt2.pdf" 0 "$T/bt2.cms" && $TOOL tst "$T/bt2.cms" "$T/bt2.tst" "$T/bt2.sv" &&
	pass "B-T: TSA from the instance's base URL with --dir" || fail "B-T with --dir"
check_rc "B-T without a TSA refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --level B-T
check_rc "unknown level refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --level B-X

# ---- 7. B-LT --------------------------------------------------------------
LT=$T/lt.pdf
if "$S" sign pdf "$T/xstream.pdf" --out "$LT" $EC --level B-LT --dir "$I" 2>"$T/lt.err"; then
	pass "B-LT exits 0"
	check "B-LT: pdfsig" pdfsig_ok "$LT" 1
	check "B-LT: qpdf --check" qpdf_ok "$LT"
	check "B-LT: openssl cms" openssl_ok "$LT" 0
	mshow "$LT" trailer/Root/DSS/Certs/1 >/dev/null
	mutool show -b "$LT" trailer/Root/DSS/Certs/1 2>/dev/null | openssl x509 -inform DER -noout -subject 2>/dev/null |
		grep -q "Budi Santoso" && pass "B-LT: DSS /Certs holds the signer" || fail "B-LT: DSS /Certs"
	mutool show -b "$LT" trailer/Root/DSS/Certs/2 2>/dev/null | openssl x509 -inform DER -noout -subject 2>/dev/null |
		grep -q "Issuing CA" && pass "B-LT: DSS /Certs holds the issuing CA" || fail "B-LT: DSS /Certs CA"
	# The signature timestamp is validated too: its TSA's certificate.
	found=0
	for i in 1 2 3 4 5 6; do
		mutool show -b "$LT" "trailer/Root/DSS/Certs/$i" 2>/dev/null |
			openssl x509 -inform DER -noout -subject 2>/dev/null | grep -q "Time-Stamping" && found=1
	done
	check_eq "B-LT: DSS /Certs holds the TSA's certificate" 1 "$found"
	mutool show -b "$LT" trailer/Root/DSS/OCSPs/1 >"$T/lt.ocsp" 2>/dev/null
	openssl ocsp -respin "$T/lt.ocsp" -resp_text -noverify 2>/dev/null | grep -q "Cert Status: good" &&
		pass "B-LT: DSS /OCSPs: a good OCSP response" || fail "B-LT: DSS /OCSPs"
	mutool show -b "$LT" trailer/Root/DSS/CRLs/1 2>/dev/null | openssl crl -inform DER -noout 2>/dev/null &&
		pass "B-LT: DSS /CRLs: a CRL" || fail "B-LT: DSS /CRLs"
	$TOOL cms "$LT" 0 "$T/lt.cms"
	python3 - "$T/lt.cms" "$LT" <<'EOF' >"$T/vri.key"
import hashlib, re, sys
data = open(sys.argv[2], "rb").read()
m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)", data)
a, b, c = (int(x) for x in m.groups())
print(hashlib.sha1(bytes.fromhex(data[a + b + 1:c - 1].decode())).hexdigest().upper())
EOF
	mutool show "$LT" trailer/Root/DSS/VRI 2>/dev/null | grep -q "/$(cat "$T/vri.key")" &&
		pass "B-LT: VRI keyed by SHA-1 of /Contents" || fail "B-LT: VRI key"
	check_eq "B-LT: signature and DSS are two updates (3 %%EOF)" 3 "$(grep -ac '%%EOF' "$LT")"
else
	fail "B-LT: $(cat "$T/lt.err")"
fi

# ---- 8. B-LTA -------------------------------------------------------------
LTA=$T/lta.pdf
if "$S" sign pdf "$T/classic.pdf" --out "$LTA" $EC --level B-LTA --dir "$I" --json >"$T/lta.json" 2>"$T/lta.err"; then
	pass "B-LTA exits 0"
	check "B-LTA: qpdf --check" qpdf_ok "$LTA"
	check "B-LTA: openssl: the signature still verifies" openssl_ok "$LTA" 0
	check_eq "B-LTA: two signatures" 2 "$($TOOL count "$LTA")"
	check_eq "B-LTA: /DocTimeStamp" "/DocTimeStamp" "$(mshow "$LTA" trailer/Root/AcroForm/Fields/2/V/Type)"
	check_eq "B-LTA: ETSI.RFC3161" "/ETSI.RFC3161" "$(mshow "$LTA" trailer/Root/AcroForm/Fields/2/V/SubFilter)"
	mshow "$LTA" trailer/Root/DSS/Certs >/dev/null && [ -n "$(mshow "$LTA" trailer/Root/DSS/OCSPs)" ] &&
		pass "B-LTA: DSS present" || fail "B-LTA: no DSS"
	[ "$($TOOL gap "$LTA" 1)" = ok ] && pass "B-LTA: document timestamp covers the whole file" ||
		fail "B-LTA: document timestamp range"
	$TOOL cms "$LTA" 1 "$T/lta.tst" && $TOOL signed "$LTA" 1 "$T/lta.bin"
	cat "$CA/issuing.pem" "$CA/tsa.pem" >"$T/untrusted.pem"
	openssl ts -verify -in "$T/lta.tst" -token_in -data "$T/lta.bin" -CAfile "$CA/root.pem" \
		-untrusted "$T/untrusted.pem" >"$T/ts2.out" 2>&1 &&
		pass "B-LTA: openssl ts -verify of the document timestamp" ||
		fail "B-LTA: openssl ts -verify: $(tr '\n' ' ' <"$T/ts2.out")"
	# The DSS revision lies between the signature and the timestamp.
	sig_end=$(python3 -c "import re,sys;d=open(sys.argv[1],'rb').read();r=[tuple(map(int,m.groups())) for m in re.finditer(rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)',d)];print(r[0][2]+r[0][3])" "$LTA")
	head -c "$sig_end" "$LTA" | grep -aq '/DSS' && fail "B-LTA: DSS inside the signed revision" ||
		pass "B-LTA: DSS added after the signature"
else
	fail "B-LTA: $(cat "$T/lta.err")"
fi

# ---- 9. DocMDP ------------------------------------------------------------
if "$S" sign pdf "$T/classic.pdf" --out "$T/cert2.pdf" $EC --certify 2 2>"$T/c.err"; then
	pass "certify P=2"
	check "certified: pdfsig" pdfsig_ok "$T/cert2.pdf" 1
	check_eq "certified: /Perms /DocMDP is the signature" \
		"$(mshow "$T/cert2.pdf" trailer/Root/AcroForm/Fields/1/V | head -c 60)" \
		"$(mshow "$T/cert2.pdf" trailer/Root/Perms/DocMDP | head -c 60)"
	mshow "$T/cert2.pdf" trailer/Root/Perms/DocMDP/Reference | grep -q "/TransformMethod /DocMDP" &&
		pass "certified: /Reference /TransformMethod /DocMDP" || fail "certified: /Reference"
	check_eq "certified: P" 2 "$(mshow "$T/cert2.pdf" trailer/Root/Perms/DocMDP/Reference/1/TransformParams/P)"
	check_rc "second certification refused" 2 "$S" sign pdf "$T/cert2.pdf" --out "$T/x.pdf" $RSA --certify 1
	"$S" sign pdf "$T/cert2.pdf" --out "$T/cert2b.pdf" $RSA 2>/dev/null &&
		check "approval after a P=2 certification: both valid" pdfsig_ok "$T/cert2b.pdf" 2 ||
		fail "approval signature after certification"
else
	fail "certify: $(cat "$T/c.err")"
fi
"$S" sign pdf "$T/classic.pdf" --out "$T/cert1.pdf" $EC --certify 1 2>/dev/null || fail "certify P=1"
"$S" sign pdf "$T/cert1.pdf" --out "$T/x.pdf" $RSA 2>"$T/c1.err"
check_eq "signing a P=1 certified document refused" 2 "$?"
grep -q "P=1" "$T/c1.err" && pass "P=1: clear message" || fail "P=1 message: $(cat "$T/c1.err")"
# A DSS and a document timestamp are allowed even at P=1 (ISO 32000-2 12.8.2.2.2).
"$S" sign pdf "$T/classic.pdf" --out "$T/cert1lta.pdf" $EC --certify 1 --level B-LTA --dir "$I" 2>"$T/c1l.err" &&
	check_eq "P=1 certification at B-LTA: signature + document timestamp" 2 "$($TOOL count "$T/cert1lta.pdf")" ||
	fail "P=1 with B-LTA: $(cat "$T/c1l.err")"
check "P=1 at B-LTA: the certification still verifies" openssl_ok "$T/cert1lta.pdf" 0
check_rc "--certify 4 refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --certify 4

# ---- 10. batch and bad input ------------------------------------------------
mkdir -p "$T/in" "$T/out" "$T/out2"
for i in 1 2 3; do cp "$T/classic.pdf" "$T/in/doc$i.pdf"; done
if "$S" sign pdf "$T/in/doc1.pdf" "$T/in/doc2.pdf" "$T/in/doc3.pdf" --out-dir "$T/out" $EC --json >"$T/batch.json" 2>"$T/batch.err"; then
	check_eq "--out-dir: three results" 3 "$(jq length "$T/batch.json")"
	ok=0
	for i in 1 2 3; do pdfsig_ok "$T/out/doc$i.pdf" 1 && ok=$((ok + 1)); done
	check_eq "--out-dir: three valid files" 3 "$ok"
else
	fail "--out-dir: $(cat "$T/batch.err")"
fi
printf '%s\n' "$T/in/doc1.pdf" "# a comment" "" "$T/in/doc3.pdf" >"$T/list.txt"
if "$S" sign pdf --batch "$T/list.txt" --out-dir "$T/out2" $RSA --json >"$T/batch2.json" 2>"$T/batch2.err"; then
	check_eq "--batch: two results" 2 "$(jq length "$T/batch2.json")"
	check "--batch: valid" pdfsig_ok "$T/out2/doc3.pdf" 1
else
	fail "--batch: $(cat "$T/batch2.err")"
fi
head -c 300 "$T/classic.pdf" >"$T/trunc.pdf"
check_rc "truncated PDF refused" 2 "$S" sign pdf "$T/trunc.pdf" --out "$T/x.pdf" $EC
check_rc "missing --out refused" 2 "$S" sign pdf "$T/classic.pdf" $EC
check_rc "no signer refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf"
check_rc "wrong key for the certificate refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" \
	--key "$T/rsa.key" --cert "$T/ec.pem"
check_rc "unknown option refused" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" $EC --bogus
check_rc "unknown subcommand refused" 2 "$S" sign docx "$T/classic.pdf"
[ ! -e "$T/x.pdf" ] && pass "no output left by refused runs" || fail "a refused run wrote $T/x.pdf"
ls "$T"/x.pdf.tmp.* >/dev/null 2>&1 && fail "temporary files left behind" || pass "no temporary files left"

# ---- 11. a key sealed in the instance (--dir --nik --passphrase-file) ------
OWNER=1671014101920003
printf 'kata sandi pemilik kunci 2026\n' >"$T/pass.txt"
printf 'kata sandi yang salah sekali\n' >"$T/wrong.txt"
. "$(cd "$(dirname "$0")" && pwd)/lib_sign.sh"
sign_ra_owner "$I" "$T" $OWNER "Dewi Lestari" dewi@kominfo.palembang.go.id signing "$T/pass.txt" "$T/dewi.pem" \
	--receipt "$T/receipt.pdf"
ra_rc=$?
if [ $ra_rc = 1 ]; then
	fail "RA setup: $(tail -n 3 "$T/ra.log")"
elif [ $ra_rc = 2 ]; then
	fail "RA issuance with a generated key: $(tail -n 3 "$T/ra.log")"
else
	# The receipt is a PDF from sertel's report module (cairo: TrueType
	# subsets, its own structure): sign it as another producer's file.
	if [ -s "$T/receipt.pdf" ] && "$S" sign pdf "$T/receipt.pdf" --out "$T/receipt-signed.pdf" $EC \
		--visible --page last 2>"$T/rcpt.err"; then
		check "cairo receipt: pdfsig" pdfsig_ok "$T/receipt-signed.pdf" 1
		check "cairo receipt: qpdf --check" qpdf_ok "$T/receipt-signed.pdf"
		np=$(mutool info "$T/receipt-signed.pdf" 2>/dev/null | sed -n 's/^Pages: //p')
		check_eq "cairo receipt: footer on all $np pages" "$np" "$(pages_with "$FOOT" "$T/receipt-signed.pdf")"
	else
		fail "signing the cairo receipt: $(cat "$T/rcpt.err" 2>/dev/null)"
	fi
	if "$S" sign pdf "$T/xstream.pdf" --out "$T/sealed.pdf" --dir "$I" --nik $OWNER \
		--passphrase-file "$T/pass.txt" --visible --json >"$T/sealed.json" 2>"$T/sealed.err"; then
		pass "sign pdf with a sealed key (--dir --nik)"
		check "sealed key: pdfsig valid, trusted (chain from the store)" pdfsig_ok "$T/sealed.pdf" 1
		pdftotext "$T/sealed.pdf" - | grep -q "Dewi Lestari" && pass "sealed key: owner's name drawn" ||
			fail "sealed key: owner's name not on the page"
	else
		fail "sign pdf --dir --nik: $(cat "$T/sealed.err")"
	fi
	check_rc "sealed key, wrong passphrase: exit 2" 2 "$S" sign pdf "$T/classic.pdf" --out "$T/x.pdf" \
		--dir "$I" --nik $OWNER --passphrase-file "$T/wrong.txt"
	[ ! -e "$T/x.pdf" ] && pass "wrong passphrase writes nothing" || fail "wrong passphrase wrote $T/x.pdf"
fi
# `sertel sign cms` reaches the CAdES command.
"$S" sign cms "$T/classic.pdf" --out "$T/doc.p7s" $EC >/dev/null 2>"$T/cms.err" &&
	openssl cms -verify -binary -inform DER -in "$T/doc.p7s" -content "$T/classic.pdf" -CAfile "$CA/root.pem" \
		-purpose any -out /dev/null 2>/dev/null && pass "sign cms: detached CAdES verifies" ||
	fail "sign cms: $(cat "$T/cms.err")"

finish
