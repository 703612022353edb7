#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Markers where a reader sees them (issue 11): letters made in this run by
# LibreOffice (from a .docx and from an .odt), Chromium's print-to-PDF (CID
# TrueType, Identity-H), cairo through pango, a subset font whose code
# 0x24 is the letter "A", and a header drawn as a form XObject.  Each is
# signed at a marker (`sertel sign pdf --marker`, and once through the
# e-sign API's tag_koordinat); the widget's /Rect must sit on the marker's
# position from `pdftotext -bbox` (poppler), the page rendered by pdftoppm
# must show the box there, and the signed file must pass pdfsig (valid,
# trusted), qpdf --check and `sertel verify`.  A marker that is not in the
# text is refused with the one-line error.
. "$(cd "$(dirname "$0")" && pwd)/../interop/lib.sh"
lib_setup marker
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C.UTF-8
S=$SERTEL_BIN
MK="python3 $HERE/mkmarker.py"
for t in soffice chromium pdftotext pdftoppm pdfsig qpdf mutool certutil curl jq; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed (scripts/deps.sh test)"
done
[ -x "${MKCAIRO:-}" ] || die "MKCAIRO (the cairo letter generator) is not built"

# ---- instance, signer, trust ----------------------------------------------
PORT=$(free_port)
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init: $(cat "$I.init.err")"
KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3209010101800001
OP1=3209010101900001
SITI=3209014202850003
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"
MKPDF="python3 $HERE/../esign/mkpdf.py"
. "$HERE/../esign/owners.sh"
esign_people || die "the agency, its kepala-dinas and the OP operator"
owner $SITI "Dr. Hj. Siti Nurhaliza, S.Kom., M.T." siti || die "owner Siti: $(cat "$T/issue.err")"
APP=$("$S" client add --dir "$I" --name srikandi --perms sign) || die "client add"
quiet "$S" ca export --dir "$I" --out "$T/ca" || die "ca export"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k.pem" 2>/dev/null || die genpkey
openssl req -new -key "$T/k.pem" -subj "/CN=x" -out "$T/k.csr" 2>/dev/null || die req
"$S" cert issue --dir "$I" --csr "$T/k.csr" --type individu --usage signing \
	--cn "Budi Santoso" --email budi@cirebonkota.go.id --json 2>"$T/k.err" | jq -r .certificate >"$T/c.pem"
[ -s "$T/c.pem" ] || die "cert issue: $(cat "$T/k.err")"
KEY="--key $T/k.pem --cert $T/c.pem --chain $T/ca/issuing.pem"
server_start_port "$I" "$PORT" || die "sertel serve did not start"
pdfsig_trust "$T/ca/root.pem"

# ---- the documents ----------------------------------------------------------
cat >"$T/letter.html" <<'HTML'
<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Surat Undangan</title>
<style>body{font-family:"DejaVu Serif",serif;font-size:12pt;margin:2cm} p{margin:0 0 8pt 0}</style></head>
<body>
<p><b>PEMERINTAH KOTA CIREBON</b></p>
<p>Nomor: 800/123/Kominfo/2026</p>
<p>Perihal: Undangan Rapat Koordinasi Transformasi Digital</p>
<p>Yth. Bapak/Ibu Kepala Perangkat Daerah di lingkungan Pemerintah Kota Cirebon.</p>
<p>Dengan hormat, bersama ini kami mengundang Saudara untuk hadir pada rapat
koordinasi yang akan dilaksanakan pada hari Senin, 7 Desember 2026, pukul 09.00 WIB.</p>
<p>Paraf: #</p>
<p>Kepala Dinas Komunikasi dan Informatika,</p>
<p>[ttd_kadis]</p>
<p>Dr. Hj. Siti Nurhaliza, S.Kom., M.T.</p>
<p>Wali Kota Cirebon,</p>
<p>${ttd}</p>
<p>H. Ahmad Fauzi, S.E.</p>
</body></html>
HTML
# A private LibreOffice profile: parallel runs do not share one.
LO="soffice -env:UserInstallation=file://$T/lo --headless"
mkdir -p "$T/src" "$T/docx" "$T/odt"
$LO --infilter="HTML (StarWriter)" --convert-to docx:"MS Word 2007 XML" --outdir "$T/src" "$T/letter.html" >"$T/lo.log" 2>&1 &&
	$LO --infilter="HTML (StarWriter)" --convert-to odt --outdir "$T/src" "$T/letter.html" >>"$T/lo.log" 2>&1 &&
	$LO --convert-to pdf --outdir "$T/docx" "$T/src/letter.docx" >>"$T/lo.log" 2>&1 &&
	$LO --convert-to pdf --outdir "$T/odt" "$T/src/letter.odt" >>"$T/lo.log" 2>&1 ||
	die "soffice: $(cat "$T/lo.log")"
cp "$T/docx/letter.pdf" "$T/docx.pdf" && cp "$T/odt/letter.pdf" "$T/odt.pdf" || die "soffice wrote no PDF"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--user-data-dir="$T/chromium" --print-to-pdf="$T/chrome.pdf" "file://$T/letter.html" >"$T/chrome.log" 2>&1
[ -s "$T/chrome.pdf" ] || die "chromium: $(tail -n 3 "$T/chrome.log")"
# fontconfig keeps its caches to the end (a sanitizer build calls it a leak)
ASAN_OPTIONS=detect_leaks=0 "$MKCAIRO" "$T/cairo.pdf" || die "mkletter_cairo failed"
for k in subset title form; do $MK $k "$T/$k.pdf" || die "mkmarker.py $k"; done
pdffonts "$T/chrome.pdf" | grep -q 'CID TrueType *Identity-H' && pass "chromium: CID TrueType, Identity-H" ||
	fail "chromium fonts: $(pdffonts "$T/chrome.pdf")"
pdffonts "$T/odt.pdf" | grep -q 'TrueType' && pass "libreoffice: TrueType subset fonts" ||
	fail "libreoffice fonts: $(pdffonts "$T/odt.pdf")"

# word_box FILE WORD: "page xMin top fontheight" of the first word WORD in
# pdftotext -bbox (top: distance from the page's bottom, as PDF counts).
word_box() {
	pdftotext -bbox "$1" - 2>/dev/null | awk -v w="$2" '
		/<page / { p++; match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) }
		/<word / {
			s = $0; sub(/.*">/, "", s); sub(/<\/word>.*/, "", s)
			gsub(/&amp;/, "\\&", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s)
			if (s == w) {
				match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7)
				match($0, /yMin="[0-9.]+"/); y0 = substr($0, RSTART + 6, RLENGTH - 7)
				match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7)
				print p, x, h - y0, y1 - y0; exit
			}
		}'
}
rect_of() { mutool show "$1" trailer/Root/AcroForm/Fields/1/Rect 2>/dev/null | tr -d '[]\n' | awk '{ print $1, $2, $3, $4 }'; }

# box_drawn UNSIGNED SIGNED RECT: pdftoppm renders page 1 of both at 72
# dpi; inside RECT many pixels changed, above the footer band outside it
# almost none.
box_drawn() {
	pdftoppm -r 72 -gray -f 1 -l 1 -singlefile "$1" "$T/r0" 2>/dev/null &&
		pdftoppm -r 72 -gray -f 1 -l 1 -singlefile "$2" "$T/r1" 2>/dev/null || return 1
	python3 - "$T/r0.pgm" "$T/r1.pgm" $3 <<'PY'
import sys
def pgm(p):
    b = open(p, 'rb').read()
    parts = b.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4][-w * h:]
w, h, a = pgm(sys.argv[1])
_, _, b = pgm(sys.argv[2])
x0, y0, x1, y1 = (float(v) for v in sys.argv[3:7])
inside = outside = 0
for y in range(h - 80):
    for x in range(w):
        if abs(a[y * w + x] - b[y * w + x]) > 40:
            py = h - y
            if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= py <= y1 + 1:
                inside += 1
            else:
                outside += 1
print("changed inside %d, outside %d" % (inside, outside))
sys.exit(0 if inside > 300 and outside < 20 else 1)
PY
}

# at KIND MARKER WORD [ARGS]: sign KIND.pdf at MARKER; the box's top left
# corner is the left end and the top of WORD (within 2 and 4 points).
N=0
at() {
	local kind=$1 m=$2 word=$3 in=$T/$1.pdf out wb r
	N=$((N + 1))
	out=$T/signed-$N.pdf
	if ! "$S" sign pdf "$in" --out "$out" $KEY --marker "$m" >/dev/null 2>"$T/sign.err"; then
		fail "$kind: sign at '$m': $(cat "$T/sign.err")"
		return
	fi
	wb=$(word_box "$in" "$word")
	r=$(rect_of "$out")
	[ -n "$wb" ] || { fail "$kind: pdftotext has no word '$word'"; return; }
	awk -v w="$wb" -v r="$r" 'BEGIN { split(w, a, " "); split(r, b, " ");
		dx = b[1] - a[2]; dt = b[4] - a[3]
		exit !(a[1] == 1 && dx > -2 && dx < 2 && dt > -4 && dt < 4) }' &&
		pass "$kind: '$m' box at the marker (rect $r; pdftotext page, x, top, h: $wb)" ||
		fail "$kind: '$m' box at $r, marker '$word' at page, x, top, h: $wb"
	check "$kind: '$m' box drawn there (pdftoppm)" box_drawn "$in" "$out" "$r"
	check "$kind: '$m' pdfsig valid, trusted" pdfsig_ok "$out"
	check "$kind: '$m' qpdf --check" quiet qpdf --check "$out"
	check "$kind: '$m' sertel verify" quiet "$S" verify --dir "$I" "$out"
}

for kind in odt docx chrome cairo; do
	at $kind '#' '#'
	at $kind '${ttd}' '${ttd}'
	at $kind '[ttd_kadis]' '[ttd_kadis]'
	at $kind 'Siti Nurhaliza' 'Siti'
done
# A picture of one, for a person to look at when this fails.
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$T/signed-3.pdf" "$T/look" 2>/dev/null &&
	note "rendered: $T/look.png (kept with KEEP=1)"
# The header drawn by a form XObject, the marker over three Tj.
at form '[ttd_kadis]' '[ttd_kadis]'
# A word gap inside TJ (-2000) is a space: "#TT D#" is there, "#TTD#" is not.
at form '#TT D#' '#TT'
check_rc "form: '#TTD#' across a wide TJ gap is not found (exit 2)" 2 "$S" sign pdf "$T/form.pdf" --out "$T/x.pdf" $KEY --marker '#TTD#'
# Small kerning inside TJ does not split a word.
at form 'Wali Kota Cirebon' 'Wali'
# The subset font's code 0x24 reads "A": "$" is the one in "${ttd}".
at subset '$' '${ttd}'
"$S" sign pdf "$T/title.pdf" --out "$T/x.pdf" $KEY --marker '$' 2>"$T/t.err"
check_eq "subset title only: '\$' not found (exit 2)" 2 "$?"
grep -q 'marker: text "\$" not found on any of 1 page(s)' "$T/t.err" && pass "not found: one-line error" ||
	fail "not found message: $(cat "$T/t.err")"
[ ! -e "$T/x.pdf" ] && pass "not found: nothing written" || fail "not found: $T/x.pdf written"
at title 'ABCD KUR' 'ABCD'
check_rc "chrome: a marker not in the text exits 2" 2 "$S" sign pdf "$T/chrome.pdf" --out "$T/x.pdf" $KEY --marker '[ttd_sekda]'

# ---- the e-sign API's tag_koordinat ------------------------------------------
code=$(curl -s -o "$T/api.pdf" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/chrome.pdf" \
	-F nik=$SITI -F "passphrase=$PW" -F tampilan=visible -F image=false -F 'tag_koordinat=[ttd_kadis]' \
	"$SERVER_URL/api/sign/pdf")
check_eq "api: tag_koordinat on the Chromium letter: 200" 200 "$code"
if [ "$code" = 200 ]; then
	wb=$(word_box "$T/chrome.pdf" '[ttd_kadis]')
	r=$(rect_of "$T/api.pdf")
	awk -v w="$wb" -v r="$r" 'BEGIN { split(w, a, " "); split(r, b, " ");
		dx = b[1] - a[2]; dt = b[4] - a[3]; exit !(dx > -2 && dx < 2 && dt > -4 && dt < 4) }' &&
		pass "api: box at the marker (rect $r; marker $wb)" || fail "api: box at $r, marker at $wb"
	check "api: box drawn there (pdftoppm)" box_drawn "$T/chrome.pdf" "$T/api.pdf" "$r"
	check "api: pdfsig valid, trusted" pdfsig_ok "$T/api.pdf"
	check "api: qpdf --check" quiet qpdf --check "$T/api.pdf"
	check "api: sertel verify" quiet "$S" verify --dir "$I" "$T/api.pdf"
fi
code=$(curl -s -o "$T/api.json" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/title.pdf" \
	-F nik=$SITI -F "passphrase=$PW" -F tampilan=visible -F image=false -F 'tag_koordinat=$' \
	"$SERVER_URL/api/sign/pdf")
case $code in 4??) pass "api: '\$' only as a subset glyph code: $code" ;; *) fail "api: '\$' in the title: $code" ;; esac
jq -e '.error | test("not found")' "$T/api.json" >/dev/null && pass "api: the not-found error" ||
	fail "api: body $(head -c 300 "$T/api.json")"
server_stop
finish
