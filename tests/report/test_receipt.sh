#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The issuance receipt judged by the tools people open it with: qpdf checks
# the file's structure, poppler's pdfinfo, pdffonts and pdftotext read it
# as a viewer does, pdftoppm renders it, and zbarimg (when installed) reads
# the QR code back.
#
#   test_receipt.sh path/to/test_receipt
#
# `test_receipt write DIR` makes the samples: DIR/NAME.pdf with
# DIR/NAME.expect (one string a line that pdftotext must find, compared
# without whitespace since long values wrap; "!string" must be absent) and
# for some DIR/NAME.qr (the QR code's exact content).
#
# The last line is "N passed, M failed"; the exit status is non-zero on any
# failure, 77 (skipped) when qpdf or poppler-utils is missing.  KEEP=1
# keeps the samples and the PNG renderings.

set -u

BIN=${1:?usage: test_receipt.sh path/to/test_receipt}
PASS=0
FAIL=0
T=

pass() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
fail() { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }
note() { printf '#    %s\n' "$*"; }

check() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$desc"; else fail "$desc"; fi
}

check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

finish() {
	if [ -n "$T" ]; then
		if [ "${KEEP:-0}" = 1 ]; then note "kept $T"; else rm -rf "$T"; fi
	fi
	[ $((PASS + FAIL)) -eq 0 ] && FAIL=1
	printf '%d passed, %d failed\n' "$PASS" "$FAIL"
	[ "$FAIL" -eq 0 ]
	exit $?
}

for tool in qpdf pdfinfo pdffonts pdftotext pdftoppm; do
	if ! command -v "$tool" >/dev/null; then
		echo "test_receipt.sh: $tool missing (qpdf, poppler-utils): skipped"
		exit 77
	fi
done

T=$(mktemp -d /tmp/sertel-receipt-XXXXXX) || exit 1
if ! "$BIN" write "$T"; then
	fail "test_receipt write: samples not written"
	finish
fi

# pdfinfo FILE FIELD: the value of one "Field: value" line.
info() { pdfinfo "$1" 2>/dev/null | sed -n "s/^$2: *//p"; }

# Every word inside the page with at least 10 mm to spare, and enough
# words to mean something: pdftotext -bbox gives each word's box.
words_inside() {
	pdftotext -bbox "$1" - 2>/dev/null | awk '
		/<word / {
			n++
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^xMin=/) { gsub(/[^0-9.]/, "", $i); x0 = $i + 0 }
				if ($i ~ /^yMin=/) { gsub(/[^0-9.]/, "", $i); y0 = $i + 0 }
				if ($i ~ /^xMax=/) { gsub(/[^0-9.]/, "", $i); x1 = $i + 0 }
				if ($i ~ /^yMax=/) { gsub(/[^0-9.]/, "", $i); y1 = $i + 0 }
			}
			if (x0 < 28.3 || y0 < 28.3 || x1 > 595.28 - 28.3 || y1 > 841.89 - 28.3) {
				printf "word outside the margins: %s\n", $0
				bad++
			}
		}
		END { exit !(n > 100 && bad == 0) }'
}

for name in full special nulls long large; do
	pdf=$T/$name.pdf
	if [ ! -s "$pdf" ]; then
		fail "$name: no PDF"
		continue
	fi

	check "$name: qpdf --check finds no errors or warnings" qpdf --check "$pdf"
	check_eq "$name: one page" "1" "$(info "$pdf" Pages)"
	check_eq "$name: A4 portrait" "595.276 x 841.89 pts (A4)" "$(info "$pdf" 'Page size')"
	check_eq "$name: creator" "sertel" "$(info "$pdf" Creator)"
	if [ "$name" != large ]; then
		check_eq "$name: title" "BUKTI TANDA TERIMA SERTIFIKAT ELEKTRONIK" \
			"$(info "$pdf" Title)"
		check_eq "$name: created at the hand-over (UTC)" \
			"Sun Nov 22 01:15:00 2026 UTC" "$(info "$pdf" CreationDate)"
	fi

	# pdffonts: two header lines, then one font a line; the columns from
	# the right are object ID (2), uni, sub, emb.
	fonts=$(pdffonts "$pdf" 2>/dev/null | tail -n +3)
	nfonts=$(printf '%s\n' "$fonts" | grep -c .)
	notemb=$(printf '%s\n' "$fonts" | awk 'NF && $(NF-4) != "yes"' | wc -l)
	nouni=$(printf '%s\n' "$fonts" | awk 'NF && $(NF-2) != "yes"' | wc -l)
	if [ "$nfonts" -gt 0 ] && [ "$notemb" -eq 0 ] && [ "$nouni" -eq 0 ] &&
		printf '%s\n' "$fonts" | grep -q 'DejaVuSans '; then
		pass "$name: $nfonts fonts, all DejaVu subsets embedded with ToUnicode"
	else
		fail "$name: fonts not all embedded: $fonts"
	fi

	text=$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null)
	flat=$(printf '%s' "$text" | tr -d ' \t\n\f\r')
	missing=0
	found=0
	while IFS= read -r want; do
		[ -z "$want" ] && continue
		if [ "${want#!}" != "$want" ]; then
			w=$(printf '%s' "${want#!}" | tr -d ' \t')
			case $flat in *"$w"*)
				fail "$name: text has '${want#!}', which must not appear"
				missing=$((missing + 1)) ;;
			esac
			continue
		fi
		w=$(printf '%s' "$want" | tr -d ' \t')
		case $flat in
		*"$w"*) found=$((found + 1)) ;;
		*)
			fail "$name: pdftotext lacks '$want'"
			missing=$((missing + 1)) ;;
		esac
	done <"$T/$name.expect"
	if [ "$missing" -eq 0 ] && [ "$found" -gt 0 ]; then
		pass "$name: pdftotext finds all $found expected strings"
	fi

	check "$name: every word inside the margins" words_inside "$pdf"

	# The rendering the brief asks for: page 1 at 60 dpi.
	rm -f "$T/$name-1.png"
	if pdftoppm -png -r 60 -f 1 -l 1 "$pdf" "$T/$name" 2>/dev/null &&
		[ "$(head -c 8 "$T/$name-1.png" | od -An -tx1 | tr -d ' \n')" = \
			"89504e470d0a1a0a" ]; then
		pass "$name: pdftoppm renders page 1 as PNG"
	else
		fail "$name: pdftoppm could not render page 1"
	fi
done

# The names with markup characters and non-ASCII letters came back exactly,
# on one line of the text, not merely somewhere after stripping spaces.
stext=$(pdftotext -enc UTF-8 "$T/special.pdf" - 2>/dev/null)
check "special: the name survives '&', '<', quotes and Śrī verbatim" \
	grep -qF "Ni Luh Putu Ayu Śrī O'Neil & <Dewi> \"Sārī\"" <<<"$stext"

# A wrapped subject is many lines, and the long one is wrapped more than the
# ordinary one.
lines_of() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | grep -c 'OU='; }
fl=$(lines_of "$T/full.pdf")
ll=$(lines_of "$T/long.pdf")
if [ "$ll" -ge 8 ] && [ "$ll" -gt "$fl" ]; then
	pass "long: the subject wraps ($ll lines with OU=, $fl in the ordinary one)"
else
	fail "long: subject not wrapped ($ll lines with OU=, $fl in the ordinary one)"
fi

# The QR code says what it should.
if command -v zbarimg >/dev/null; then
	for name in full nulls large; do
		pdftoppm -png -r 200 -f 1 -l 1 "$T/$name.pdf" "$T/$name-qr" 2>/dev/null
		got=$(zbarimg --quiet --raw -Sdisable -Sqrcode.enable "$T/$name-qr-1.png" 2>/dev/null)
		check_eq "$name: zbarimg reads the QR code" "$(cat "$T/$name.qr")" "$got"
	done
else
	note "zbarimg missing (zbar-tools): the QR content is not read back"
fi

finish
