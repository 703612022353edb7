#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# PDF signing: `sertel sign pdf` (PAdES B-B, ECDSA P-256) next to
# podofosign and `pdfsig -add-signature`, on this machine, now.
#   bench/sign/run.sh SERTEL WORK
#
# Parts (SIGN_PARTS, default "sign big"; another part, e.g. verification,
# is added as one more part_NAME function and name in the list):
#   sign  signatures per second on a one-page PDF:
#           sertel    `sertel sign pdf --batch LIST --out-dir D` (one
#                     process, SIGN_N files), with the footer, ECDSA P-256
#                     and RSA 2048
#           podofosign one process per file (it has no batch mode), OTHER_N files
#           pdfsig    `pdfsig -add-signature` with the key in an NSS
#                     database (imported as PKCS#12), OTHER_N files
#         Every output is counted; a sample of each is checked with pdfsig
#         (signature valid).  Target: 1,000 signatures/s for sertel.
#   big   a BIG_MB MB PDF: `sertel sign pdf` against `sha256sum` of the
#         same file (page cache warm, best of REPEAT runs each).  Target:
#         within 1.5 x sha256sum.
#   marker a MARKER_PAGES-page letter written by LibreOffice (soffice
#         --convert-to pdf from an HTML letter made here), the marker
#         "${ttd}" on its last page: `sertel sign pdf --marker` (which
#         reads the text of every page before it) against `pdftotext` of
#         the same file, best of REPEAT runs each.  Target: within 2 x.
#
# Prepared, not measured: a sertel instance (ECDSA P-256), a signer key
# (openssl genpkey) with a certificate from `sertel cert issue`, the
# input PDFs (mutool create; bench/sign/mkpdf.py for the big one).
#
# Writes WORK/results.env (key=value) and WORK/results.md and prints the
# table.  It reports; it never fails on slowness.  Exit status 1 only when
# a target could not be measured or a check failed.
#
# Environment: SIGN_PARTS ("sign big marker") SIGN_N (2000) OTHER_N (200)
#   BIG_MB (100) MARKER_PAGES (50) REPEAT (3) BENCH_WAIT_IDLE (0; see
#   bench/issue/run.sh)
set -eu
SERTEL=$1 WORK=$2
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
PARTS=${SIGN_PARTS:-sign big marker}
SIGN_N=${SIGN_N:-2000}
OTHER_N=${OTHER_N:-200}
BIG_MB=${BIG_MB:-100}
REPEAT=${REPEAT:-3}
MARKER_PAGES=${MARKER_PAGES:-50}

bench_init sign
for t in mutool pdfsig podofosign certutil pk12util openssl jq python3 sha256sum; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed (scripts/deps.sh test)"
done

RES=$WORK/results.env
sh "$BENCH_ROOT/ocsp/facts.sh" "$SERTEL" "$WORK" >"$RES"
{
	echo "poppler=$(pdfsig -v 2>&1 | head -n 1 | cut -d' ' -f3)"
	echo "podofo=$(dpkg-query -W -f '${Version}' libpodofo-utils 2>/dev/null || echo unknown)"
	echo "sign_n=$SIGN_N"
	echo "other_n=$OTHER_N"
	echo "big_mb=$BIG_MB"
	echo "marker_pages=$MARKER_PAGES"
	echo "repeat=$REPEAT"
	echo "parts=$PARTS"
} >>"$RES"
rc=0

# ---- signer and inputs -------------------------------------------------------
inst=$WORK/inst
rm -rf "$inst" "$inst.ca"
"$SERTEL" init --dir "$inst" --algo ec-p256 >"$WORK/init.log" 2>&1 || die "sertel init (see $WORK/init.log)"
"$SERTEL" ca export --dir "$inst" --out "$inst.ca" >>"$WORK/init.log" 2>&1 || die "sertel ca export"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/signer.key" 2>/dev/null ||
	die "openssl genpkey"
openssl req -new -key "$WORK/signer.key" -subj /CN=x -out "$WORK/signer.csr" 2>/dev/null || die "openssl req"
"$SERTEL" cert issue --dir "$inst" --csr "$WORK/signer.csr" --type individu --usage signing \
	--cn "Bench Signer" --json 2>>"$WORK/init.log" | jq -r .certificate >"$WORK/signer.pem"
openssl x509 -in "$WORK/signer.pem" -noout 2>/dev/null || die "sertel cert issue (see $WORK/init.log)"
SIGNER="--key $WORK/signer.key --cert $WORK/signer.pem --chain $inst.ca/issuing.pem"

NSS=$WORK/nss
rm -rf "$NSS"
mkdir -p "$NSS"
certutil -N --empty-password -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -N"
certutil -A -t "CT,C,C" -n root -i "$inst.ca/root.pem" -d "sql:$NSS" || die "certutil -A"
openssl pkcs12 -export -inkey "$WORK/signer.key" -in "$WORK/signer.pem" -certfile "$inst.ca/issuing.pem" \
	-name bench -passout pass: -out "$WORK/signer.p12" 2>/dev/null || die "openssl pkcs12"
pk12util -i "$WORK/signer.p12" -d "sql:$NSS" -W "" >/dev/null 2>&1 || die "pk12util"
cat "$WORK/signer.pem" "$inst.ca/issuing.pem" >"$WORK/signer-chain.pem"
# poppler 22.12's pdfsig cannot sign with an EC key ("unable update
# signature"): it signs with an RSA 2048 key, and sertel is measured with
# that key too, so the pdfsig row has an equal to compare with.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/rsa.key" 2>/dev/null ||
	die "openssl genpkey rsa"
openssl req -new -key "$WORK/rsa.key" -subj /CN=x -out "$WORK/rsa.csr" 2>/dev/null || die "openssl req"
"$SERTEL" cert issue --dir "$inst" --csr "$WORK/rsa.csr" --type individu --usage signing \
	--cn "Bench Signer RSA" --json 2>>"$WORK/init.log" | jq -r .certificate >"$WORK/rsa.pem"
openssl pkcs12 -export -inkey "$WORK/rsa.key" -in "$WORK/rsa.pem" -certfile "$inst.ca/issuing.pem" \
	-name bench-rsa -passout pass: -out "$WORK/rsa.p12" 2>/dev/null || die "openssl pkcs12 rsa"
pk12util -i "$WORK/rsa.p12" -d "sql:$NSS" -W "" >/dev/null 2>&1 || die "pk12util rsa"
SIGNER_RSA="--key $WORK/rsa.key --cert $WORK/rsa.pem --chain $inst.ca/issuing.pem"

printf '%s\n' '%%MediaBox 0 0 595 842' '%%Font F1 Helvetica' \
	'BT /F1 12 Tf 72 760 Td (Surat untuk ditandatangani) Tj ET' >"$WORK/page.txt"
mutool create -o "$WORK/one.pdf" "$WORK/page.txt" || die "mutool create"
echo "one_pdf_bytes=$(stat -c %s "$WORK/one.pdf")" >>"$RES"

# copies N DIR: N copies of one.pdf in DIR (listed in DIR.list).
copies() {
	rm -rf "$2" "$2.out"
	mkdir -p "$2.out"
	copy_files "$1" "$WORK/one.pdf" "$2"
}

# sample_ok DIR: pdfsig says "Signature is Valid." for the first, middle
# and last output in DIR.out; prints ok or what failed.
sample_ok() {
	ls "$1.out"/*.pdf >"$1.made" 2>/dev/null || true
	_n=$(wc -l <"$1.made")
	[ "$_n" -gt 0 ] || { echo "FAIL: nothing signed"; return; }
	for _f in $(sed -n "1p;$(((_n + 1) / 2))p;${_n}p" "$1.made"); do
		if ! pdfsig -nssdir "sql:$NSS" -nocert "$_f" 2>/dev/null |
			grep -q 'Signature Validation: Signature is Valid.'; then
			echo "FAIL: pdfsig on $(basename "$_f")"
			return
		fi
	done
	echo ok
}

# record LABEL N SECONDS CHECK: signatures/s (of the files actually
# signed) and the check into results.  A comparator that fails on some
# files is reported as such; only sertel failing fails the benchmark.
record() {
	_made=$(ls "$WORK/$1.out" 2>/dev/null | wc -l)
	echo "${1}_n=$2" >>"$RES"
	echo "${1}_made=$_made" >>"$RES"
	echo "${1}_seconds=$3" >>"$RES"
	echo "${1}_per_s=$(awk -v n="$_made" -v s="$3" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" >>"$RES"
	if [ "$_made" != "$2" ]; then
		_why=$(grep -v NSS_Shutdown "$WORK/$1.log" 2>/dev/null | sort | uniq -c | sort -rn | head -n 1 |
			sed 's/^ *//')
		case $1 in
		sertel*)
			echo "${1}_check=FAIL: $_made of $2 files signed ($_why)" >>"$RES"
			rc=1
			;;
		*) echo "${1}_check=$4; $(($2 - _made)) of $2 runs failed ($_why)" >>"$RES" ;;
		esac
	else
		echo "${1}_check=$4" >>"$RES"
		case $4 in ok) ;; *) rc=1 ;; esac
	fi
	log "$1: $_made signatures in $3 s"
}

part_sign() {
	wait_idle "${BENCH_WAIT_IDLE:-0}"
	# Palembang 12(4): every signature carries the footer (no variant
	# without it since the footer became an invariant of src/sign).
	for label in sertel sertel_rsa; do
		copies "$SIGN_N" "$WORK/$label"
		who=$SIGNER
		case $label in
		sertel) set -- ;;
		sertel_rsa) who=$SIGNER_RSA && set -- ;;
		esac
		t0=$(now)
		"$SERTEL" sign pdf --batch "$WORK/$label.list" --out-dir "$WORK/$label.out" $who "$@" \
			>"$WORK/$label.log" 2>&1 || log "$label: sertel failed (see $WORK/$label.log)"
		t=$(elapsed "$t0")
		record $label "$SIGN_N" "$t" "$(sample_ok "$WORK/$label")"
	done

	copies "$OTHER_N" "$WORK/podofo"
	t0=$(now)
	for f in "$WORK"/podofo/*.pdf; do
		podofosign -in "$f" -out "$WORK/podofo.out/$(basename "$f")" -cert "$WORK/signer-chain.pem" \
			-pkey "$WORK/signer.key" -digest SHA256 -sigsize 8000 >>"$WORK/podofo.log" 2>&1 || true
	done
	record podofo "$OTHER_N" "$(elapsed "$t0")" "$(sample_ok "$WORK/podofo")"

	copies "$OTHER_N" "$WORK/pdfsig"
	t0=$(now)
	for f in "$WORK"/pdfsig/*.pdf; do
		# It leaves a partial output behind when it fails: removed.
		pdfsig -nssdir "sql:$NSS" -add-signature -nick bench-rsa "$f" "$WORK/pdfsig.out/$(basename "$f")" \
			>>"$WORK/pdfsig.log" 2>&1 || rm -f "$WORK/pdfsig.out/$(basename "$f")"
	done
	record pdfsig "$OTHER_N" "$(elapsed "$t0")" "$(sample_ok "$WORK/pdfsig")"
}

# best CMD...: the shortest wall time of REPEAT runs, in seconds.
best() {
	_best=
	_i=0
	while [ $_i -lt "$REPEAT" ]; do
		_t0=$(now)
		"$@" >/dev/null 2>>"$WORK/big.log" || return 1
		_t=$(elapsed "$_t0")
		_best=$(awk -v a="$_best" -v b="$_t" 'BEGIN { print ((a == "" || b < a) ? b : a) }')
		_i=$((_i + 1))
	done
	echo "$_best"
}

part_big() {
	big=$WORK/big.pdf
	python3 "$BENCH_ROOT/sign/mkpdf.py" "$big" $((BIG_MB * 1000 * 1000)) 1 || die "mkpdf.py"
	echo "big_bytes=$(stat -c %s "$big")" >>"$RES"
	cat "$big" >/dev/null # page cache warm for both
	wait_idle "${BENCH_WAIT_IDLE:-0}"
	sha=$(best sha256sum "$big") || die "sha256sum"
	sig=$(best "$SERTEL" sign pdf "$big" --out "$WORK/big-signed.pdf" $SIGNER) || {
		echo "big_check=FAIL: sertel sign pdf (see $WORK/big.log)" >>"$RES"
		rc=1
		return 0
	}
	echo "big_sha256sum_seconds=$sha" >>"$RES"
	echo "big_sertel_seconds=$sig" >>"$RES"
	echo "big_ratio=$(awk -v a="$sig" -v b="$sha" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" >>"$RES"
	if pdfsig -nssdir "sql:$NSS" -nocert "$WORK/big-signed.pdf" 2>/dev/null |
		grep -q 'Signature Validation: Signature is Valid.'; then
		echo "big_check=ok" >>"$RES"
	else
		echo "big_check=FAIL: pdfsig" >>"$RES"
		rc=1
	fi
	log "big: sha256sum $sha s, sertel $sig s"
	rm -f "$big" "$WORK/big-signed.pdf"
}

part_marker() {
	command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 ||
		die "soffice and pdftotext are needed for the marker part (scripts/deps.sh test)"
	python3 - "$WORK/letter.html" "$MARKER_PAGES" <<'PY'
import sys
path, pages = sys.argv[1], int(sys.argv[2])
para = ("Dengan hormat, bersama ini kami sampaikan bahwa rapat koordinasi transformasi "
        "digital Pemerintah Kota Cirebon dilaksanakan sesuai jadwal; setiap perangkat daerah "
        "menyiapkan laporan kemajuan, data layanan dan rencana tindak lanjut. ")
out = ['<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Laporan</title>'
       '<style>body{font-family:"DejaVu Serif",serif;font-size:11pt}</style></head><body>']
for p in range(pages):
    style = ' style="page-break-before: always"' if p else ''
    out.append('<h2%s>Bagian %d</h2>' % (style, p + 1))
    out += ['<p>%s</p>' % (para * 2)] * 6
out.append('<p>Wali Kota Cirebon,</p><p>${ttd}</p><p>Dr. Hj. Siti Nurhaliza, S.Kom., M.T.</p>')
out.append('</body></html>')
open(path, 'w').write('\n'.join(out))
PY
	lo="soffice -env:UserInstallation=file://$WORK/lo --headless"
	rm -rf "$WORK/odt" "$WORK/lopdf"
	$lo --infilter="HTML (StarWriter)" --convert-to odt --outdir "$WORK/odt" "$WORK/letter.html" \
		>"$WORK/marker.log" 2>&1 &&
		$lo --convert-to pdf --outdir "$WORK/lopdf" "$WORK/odt/letter.odt" >>"$WORK/marker.log" 2>&1 ||
		die "soffice (see $WORK/marker.log)"
	doc=$WORK/lopdf/letter.pdf
	np=$(pdfinfo "$doc" 2>/dev/null | sed -n 's/^Pages: *//p')
	echo "marker_doc_pages=$np" >>"$RES"
	echo "marker_doc_bytes=$(stat -c %s "$doc")" >>"$RES"
	cat "$doc" >/dev/null
	wait_idle "${BENCH_WAIT_IDLE:-0}"
	ptt=$(best pdftotext "$doc" "$WORK/letter.txt") || die "pdftotext"
	fixed=$(best "$SERTEL" sign pdf "$doc" --out "$WORK/marker-fixed.pdf" $SIGNER --visible) || {
		echo "marker_check=FAIL: sertel sign pdf --visible (see $WORK/big.log)" >>"$RES"
		rc=1
		return 0
	}
	mk=$(best "$SERTEL" sign pdf "$doc" --out "$WORK/marker-signed.pdf" $SIGNER --marker '${ttd}') || {
		echo "marker_check=FAIL: sertel sign pdf --marker (see $WORK/big.log)" >>"$RES"
		rc=1
		return 0
	}
	echo "marker_pdftotext_seconds=$ptt" >>"$RES"
	echo "marker_fixed_seconds=$fixed" >>"$RES"
	echo "marker_sertel_seconds=$mk" >>"$RES"
	echo "marker_ratio=$(awk -v a="$mk" -v b="$ptt" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" >>"$RES"
	# the box is on the last page, where the marker is
	last=$(mutool show "$doc" "trailer/Root/Pages/Kids/$np" 2>/dev/null | head -n 1 | grep -o '^[0-9]* [0-9]*')
	on=$(mutool show "$WORK/marker-signed.pdf" trailer/Root/AcroForm/Fields/1/P 2>/dev/null | head -n 1 |
		grep -o '^[0-9]* [0-9]*')
	if [ -n "$last" ] && [ "$last" = "$on" ] && pdfsig -nssdir "sql:$NSS" -nocert "$WORK/marker-signed.pdf" 2>/dev/null |
		grep -q 'Signature Validation: Signature is Valid.'; then
		echo "marker_check=ok" >>"$RES"
	else
		echo "marker_check=FAIL: box on object '$on', last page '$last', or pdfsig" >>"$RES"
		rc=1
	fi
	log "marker: pdftotext $ptt s, sertel --marker $mk s, --visible $fixed s"
}

for p in $PARTS; do
	case $p in
	sign | big | marker) part_$p ;;
	*) die "unknown part '$p'" ;;
	esac
done
echo "bench_seconds=$(elapsed "$bench_start")" >>"$RES"
python3 "$BENCH_ROOT/sign/report.py" "$RES" >"$WORK/results.md"
cat "$WORK/results.md"
exit "$rc"
