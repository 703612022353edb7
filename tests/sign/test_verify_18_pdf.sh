#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18: PDF classes where the verifier disagreed with the reference
# validators.  Every file is made here (mkattack.py, sertel sign pdf,
# python3, openssl, qpdf); each check names the verdict the class needs.
#   - /AP replaced without a /V change: not form filling, at every DocMDP
#     level and without one (approval signature), also on a file signed
#     by `sertel sign pdf` with an instance certificate (--dir).
#   - equal numbers respelled (612 -> 612.0) and catalog /Version or
#     /Extensions rewritten by an LTV-style update: values judged.
#   - startxref off by whitespace, a repeated /XRefStm in hybrid files.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verify18pdf
HERE=$(cd "$(dirname "$0")" && pwd)
MK="python3 $HERE/attacks/mkattack.py"
S=$SERTEL_BIN

for tool in mutool qpdf openssl jq; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed (scripts/deps.sh test)"
done
cd "$T" || die "cd $T"
make_instance "$T/inst" --org "Pemkot Uji" || die "init: $(cat "$T/inst.init.err")"
"$S" ca export --dir "$T/inst" --out ca/ >/dev/null || die "ca export"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out budi.key 2>/dev/null
openssl req -new -key budi.key -subj /CN=x -out budi.csr 2>/dev/null
"$S" cert issue --dir inst --csr budi.csr --type individu --usage signing \
	--email budi@kominfo.example.go.id --cn "Pegawai budi" --out budi.pem >/dev/null ||
	die "cert issue"

# verdict FILE: the document verdict; sigfield FILE N JQ: a field.
verdict() { "$S" verify "$1" --json --dir inst --offline 2>/dev/null | jq -r .verdict; }
sigfield() { "$S" verify "$1" --json --dir inst --offline 2>/dev/null | jq -r ".signatures[$2]$3"; }
signpdf() { "$S" sign pdf "$1" --out "$2" --key budi.key --cert budi.pem --chain ca/chain.pem "${@:3}" >/dev/null 2>&1; }

# ---- /AP replaced without a /V change ---------------------------------------
$MK mkform - form.pdf || die "mkform"
$MK sign form.pdf approval.pdf --cert budi.pem --key budi.key --chain ca/chain.pem ||
	die "mkattack sign"
signpdf form.pdf own.pdf || die "sertel sign pdf"
for l in 1 2 3; do signpdf form.pdf cert$l.pdf --certify $l || die "sign --certify $l"; done
for f in approval own cert1 cert2 cert3; do
	$MK ap-replace $f.pdf $f-ap.pdf || die "ap-replace $f"
	$MK fill-ap $f.pdf $f-fill.pdf || die "fill-ap $f"
	check_eq "$f: /AP replaced, /V unchanged: not allowed, invalid" "invalid false" \
		"$(sigfield $f-ap.pdf 0 '| "\(.verdict) \(.checks.changes)"')"
	check_rc "$f: /AP replaced: exit 1" 1 "$S" verify $f-ap.pdf --dir inst --offline
done
check "the change is named" sh -c \
	"'$S' verify approval-ap.pdf --dir inst --offline --lang en | grep -q 'appearance replaced without a value change'"
# Real form filling (value and appearance together) stays what it was.
for f in approval own cert2 cert3; do
	check_eq "$f: /V and /AP changed together: form filling, valid" "valid true" \
		"$(sigfield $f-fill.pdf 0 '| "\(.verdict) \(.checks.changes)"')"
done
check_eq "cert1: form filling under P=1: invalid" invalid "$(verdict cert1-fill.pdf)"

# ---- legitimate files that were refused ---------------------------------------
mutool create -o base.pdf /dev/stdin <<'EOP' || die "mutool create"
%%MediaBox 0 0 595 842
%%Font F1 Helvetica
BT /F1 24 Tf 72 720 Td (Surat Keputusan Nomor 1) Tj ET
EOP
$MK sign base.pdf signed.pdf --cert budi.pem --key budi.key --chain ca/chain.pem || die "sign base"
check_eq "signed base: valid" valid "$(verdict signed.pdf)"
$MK xref-ws base.pdf base-ws.pdf || die "xref-ws"
check_rc "startxref at the end-of-line before xref: read (not signed: exit 1, not 2)" 1 \
	"$S" verify base-ws.pdf --dir inst --offline
$MK sign base-ws.pdf ws.pdf --cert budi.pem --key budi.key --chain ca/chain.pem || die "sign ws"
check_eq "... signed on top (/Prev off by white space too): valid" valid "$(verdict ws.pdf)"
$MK ltv-rewrite signed.pdf ltv.pdf || die "ltv-rewrite"
check_eq "LTV update: /DSS, /Version, /Extensions, MediaBox 595 -> 595.0: allowed, valid" "valid true" \
	"$(sigfield ltv.pdf 0 '| "\(.verdict) \(.checks.changes)"')"
$MK ur3 signed.pdf ur3.pdf || die "ur3"
check_eq "/Perms /UR3: reported separately, not unreadable; valid" "valid 0 1" \
	"$("$S" verify ur3.pdf --json --dir inst --offline 2>/dev/null | jq -r '"\(.verdict) \(.unreadable_signatures) \(.usage_rights_signatures)"')"
$MK sign base.pdf sha1sf.pdf --cert budi.pem --key budi.key --chain ca/chain.pem \
	--subfilter adbe.pkcs7.sha1 || die "sign adbe.pkcs7.sha1"
check_eq "adbe.pkcs7.sha1: unsupported, indeterminate (not invalid)" "indeterminate true" \
	"$(sigfield sha1sf.pdf 0 '| "\(.verdict) \(.unsupported)"')"
check "... the reason is named" sh -c "'$S' verify sha1sf.pdf --dir inst --offline --lang en | grep -q 'unsupported SubFilter adbe.pkcs7.sha1'"

finish
