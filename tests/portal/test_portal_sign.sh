#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The signing page (issue 11) in a real headless Chromium
# (tests/portal/sign_flow.py).  Siti and the Kepala Dinas hold keys
# sealed on the server under their passphrases (issued with
# --generate-key, as every e-sign owner's).  Siti uploads two letters,
# drags the signature box onto the first one's preview (real mouse events
# through CDP) and places the second at its "#" marker, signs with her
# passphrase and downloads both (a zip).  Andi uploads a letter for two
# signers in order, Siti then the Kepala Dinas: Siti is told by mail,
# the Kepala Dinas cannot sign before her, is told by mail after her and
# signs; both signatures are in the file.  A third flow is declined with
# a reason and Andi is told.  Raw HTTP as every role: anonymous -> login,
# people outside a flow -> 403 and the store unchanged, no CSRF -> 403.
# Every downloaded file passes pdfsig (valid, trusted), qpdf --check and
# sertel verify, and the box lands where it was dropped (the widget's
# /Rect against the drop point in PDF space).  Screenshots in
# $SERTEL_BUILD/screenshots/portal-sign.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_sign
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-sign}
. "$(dirname "$0")/setup.sh"
for t in qpdf pdfsig certutil jq unzip; do
	command -v $t >/dev/null || die "$t is not installed"
done
mkdir -p "$SHOTS"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export"

KADIS=3274010101750001
SITI=3274014101920002
ANDI=3274010101850001
PW='Teh-Poci-Tegal-2026'
printf '%s' "$PW" >"$T/pass.txt"

portal_sealed $SITI "$T/pass.txt" || die "Siti's sealed key"
portal_sealed $KADIS "$T/pass.txt" || die "the Kepala Dinas's sealed key"
check "Siti and the Kepala Dinas hold sealed signing keys" \
	test "$(inst_sql "$I" "SELECT COUNT(*) FROM sealed_keys WHERE nik IN ('$SITI', '$KADIS')")" = 2
$PY "$HERE/../esign/mkpdf.py" "$F/surat-a.pdf" "Surat Edaran Nomor 800/1" || die "mkpdf a"
$PY "$HERE/../esign/mkpdf.py" "$F/surat-b.pdf" "Nota Dinas Nomor 800/2" || die "mkpdf b"
$PY "$HERE/../esign/mkpdf.py" "$F/surat-c.pdf" "Surat Keputusan Nomor 800/3" || die "mkpdf c"
$PY "$HERE/../esign/mkpdf.py" "$F/surat-d.pdf" "Surat Undangan Nomor 800/4" || die "mkpdf d"

jq -n --arg base "$SERVER_URL" --arg md "$MD" --arg shots "$SHOTS" --arg db "$DBFILE" --arg tmp "$T" \
	--arg pw "$PW" --arg files "$F" --arg siti $SITI --arg kadis $KADIS --arg andi $ANDI '{
	base: $base, maildir: $md, shots: $shots, db: $db, tmp: $tmp, pw: $pw, files: $files,
	nik: {siti: $siti, kadis: $kadis, andi: $andi}}' >"$T/sign.json"
portal_run_flow sign_flow.py "$T/sign.json"

# ---- the downloaded files, judged by others' tools --------------------------
NSS=$T/nss
mkdir -p "$NSS"
certutil -N --empty-password -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -N"
certutil -A -t CT,C,C -n root -i "$T/ca/root.pem" -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -A"
mkdir -p "$T/zip"
check "the two-document download is a zip of two PDFs" \
	bash -c "cd '$T/zip' && unzip -q '$T/solo.zip' && test \$(ls *.pdf | wc -l) = 2"
cp "$T/zip/surat-a-ditandatangani.pdf" "$T/drag.pdf" 2>/dev/null
cp "$T/zip/surat-b-ditandatangani.pdf" "$T/marker.pdf" 2>/dev/null
judge() { # FILE SIGNATURES SIGNER...
	local f=$1 n=$2 out
	shift 2
	out=$T/$(basename "$f" .pdf).pdfsig
	pdfsig -nssdir "sql:$NSS" "$f" >"$out" 2>&1
	check "$(basename "$f"): pdfsig finds $n signature(s)" test "$(grep -c '^Signature #' "$out")" = "$n"
	check "$(basename "$f"): pdfsig: every signature is valid" \
		test "$(grep -c 'Signature Validation: Signature is Valid.' "$out")" = "$n"
	check "$(basename "$f"): pdfsig: every certificate is trusted (the instance root)" \
		test "$(grep -c 'Certificate Validation: Certificate is Trusted.' "$out")" = "$n"
	for who in "$@"; do
		check "$(basename "$f"): signed by $who" grep -q "Signer Certificate Common Name: $who" "$out"
	done
	check "$(basename "$f"): qpdf --check passes" quiet qpdf --check "$f"
	check "$(basename "$f"): sertel verify accepts it" quiet "$S" verify --dir "$I" "$f"
}
judge "$T/drag.pdf" 1 "Siti Aminah"
judge "$T/marker.pdf" 1 "Siti Aminah"
judge "$T/flow.pdf" 2 "Siti Aminah" "Kepala Dinas"
check "the flow's file: Siti's signed revision is a prefix of it (incremental)" \
	cmp -s -n "$(stat -c %s "$T/flow-first.pdf")" "$T/flow-first.pdf" "$T/flow.pdf"
check "the drag-placed file starts with the uploaded letter" \
	cmp -s -n "$(stat -c %s "$F/surat-a.pdf")" "$F/surat-a.pdf" "$T/drag.pdf"

# The box where it was dropped: the widget's /Rect against the drop point
# (sign_flow.py wrote it in PDF points), and the marker's box on the "#".
rect() { # FILE: the last signature widget's /Rect, "x1 y1 x2 y2"
	$PY - "$1" <<'PYR'
import re, sys
d = open(sys.argv[1], "rb").read()
rs = re.findall(rb"/Subtype\s*/Widget[^>]*?/Rect\s*\[\s*([-0-9. ]+)\]|/Rect\s*\[\s*([-0-9. ]+)\][^>]*?/Subtype\s*/Widget", d)
r = [a or b for a, b in rs]
print(r[-1].decode() if r else "")
PYR
}
drop=$(cat "$T/drop.txt" 2>/dev/null)
r=$(rect "$T/drag.pdf")
note "drop point (PDF points): $drop; widget /Rect: $r"
check "drag: the box's centre is where it was dropped (within 2 pt)" \
	$PY -c 'import sys
d = [float(v) for v in sys.argv[1].split()]; r = [float(v) for v in sys.argv[2].split()]
cx, cy = (r[0] + r[2]) / 2, (r[1] + r[3]) / 2
sys.exit(not (abs(cx - d[0]) <= 2 and abs(cy - d[1]) <= 2 and r[2] - r[0] > 100))' "$drop" "$r"
r=$(rect "$T/marker.pdf")
bbox=$(pdftotext -bbox "$F/surat-b.pdf" - | grep '>#<' | head -n1)
note "marker '#': $bbox; widget /Rect: $r"
check "marker: the box is on the '#' (its rectangle holds the marker's position)" \
	$PY -c 'import re, sys
r = [float(v) for v in sys.argv[2].split()]
m = dict(re.findall(r"(x|y)Min=\"([0-9.]+)\"", sys.argv[1]))
x, y = float(m["x"]), 842 - float(m["y"])
sys.exit(not (r[0] - 1 <= x <= r[2] + 1 and r[1] - 20 <= y <= r[3] + 20))' "$bbox" "$r"

# Every signed document resolves (issue 11): the box's QR code on each file
# the page signed is the instance's /v/{id}, and that page answers for it.
for f in drag marker flow; do
	pdftoppm -r 150 -png -f 1 -l 1 -singlefile "$T/$f.pdf" "$T/$f.page" 2>/dev/null
	url=$(zbarimg -q --raw "$T/$f.page.png" 2>/dev/null | grep '/v/' | head -n 1)
	check "$f.pdf: its QR code is a /v/{id} link of this instance ($url)" \
		bash -c "[[ '$url' =~ ^$SERVER_URL/v/[0-9a-f]{32}\$ ]]"
	check_eq "$f.pdf: GET of that link answers 200" 200 \
		"$(curl -s -o "$T/$f.v.html" -w '%{http_code}' "${url:-$SERVER_URL/v/none}")"
	# Palembang 12(4): the footer on every page, naming a /v link of this
	# instance (the first signer's: a later signer does not add it again).
	check "$f.pdf: the footer (12(4)) on every page names a /v link" bash -c \
		"n=\$(pdfinfo '$T/$f.pdf' | sed -n 's/^Pages: *//p'); for i in \$(seq 1 \$n); do pdftotext -f \$i -l \$i '$T/$f.pdf' - | tr -d '\n' | grep -q 'ditandatangani secara elektronik.*$SERVER_URL/v/[0-9a-f]\{32\}' || exit 1; done"
done

# ---- the trail --------------------------------------------------------------
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
check "audit: esign.sign by the portal's signing client, three times (solo, Siti, Kepala Dinas)" \
	jq -e '([.[] | select(.action == "esign.sign" and .actor == "client:portal:tandatangan")] | length) == 3' <<<"$trail" >/dev/null
check "audit: the flows' create, sign, complete, decline by their actors" \
	jq -e --arg s "nik:$SITI" --arg k "nik:$KADIS" --arg a "nik:$ANDI" '
	([.[] | select(.action == "esign.flow.create")] | length) == 3 and
	([.[] | select(.action == "esign.flow.sign" and .actor == $s)] | length) == 1 and
	([.[] | select(.action == "esign.flow.complete" and .actor == $k)] | length) == 1 and
	([.[] | select(.action == "esign.flow.complete" and .actor == $s)] | length) == 1 and
	([.[] | select(.action == "esign.flow.decline" and .actor == $s and (.reason | contains("Nomor surat salah")))] | length) == 1' <<<"$trail" >/dev/null
check "registry: the flow's signatures under portal:tandatangan, by Siti and the Kepala Dinas" \
	test "$(inst_sql "$I" "SELECT COUNT(DISTINCT signer_nik) FROM esign_docs WHERE client = 'portal:tandatangan'")" = 2
check "no passphrase in the server log" bash -c "! grep -q 'Teh-Poci' '$SERVER_LOG'"
check "no passphrase in the store" bash -c "! grep -aq 'Teh-Poci' '$DBFILE'"
check "audit verify" quiet "$S" audit verify --dir "$I"
for f in sign-list sign-flow sign-placed sign-done sign-turn sign-declined; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
