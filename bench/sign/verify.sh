#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# PDF verification: `sertel verify` next to `pdfsig`, on this machine, now.
#   bench/sign/verify.sh SERTEL WORK
#
#   small  VERIFY_N one-page PDFs signed by `sertel sign pdf` (B-B), each
#          verified by its own process (a verifier is run per document):
#            sertel  `sertel verify F --dir INST --offline` (full check:
#                    ByteRange, CMS, path and revocation from the
#                    instance's CRLs, changes)
#            pdfsig  `pdfsig -nssdir DB -no-ocsp F` (signature and path,
#                    no revocation)
#          Every verdict is counted: a file that is not "valid" (sertel)
#          or "Signature is Valid." (pdfsig) is a failure.
#   big    one BIG_MB MB signed PDF (bench/sign/mkpdf.py, then
#          `sertel sign pdf`): `sertel verify` against `sha256sum` of the
#          same file (page cache warm, best of REPEAT runs each): the
#          verifier digests the signed ranges once, so it should stay
#          close to one pass of SHA-256 over the file.
#
# Writes WORK/verify.env (key=value) and prints a table.  It reports; it
# never fails on slowness.  Exit status 1 only when a check failed.
#
# Environment: VERIFY_N (200) BIG_MB (100) REPEAT (3)
set -eu
SERTEL=$1 WORK=$2
BENCH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_ROOT
. "$BENCH_ROOT/lib.sh"
VERIFY_N=${VERIFY_N:-200}
BIG_MB=${BIG_MB:-100}
REPEAT=${REPEAT:-3}

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# log and die (bench/lib.sh) name it; no server here, so no bench_init.
BENCH_NAME=verify
bench_start=$(now)
for t in mutool pdfsig certutil openssl jq python3 sha256sum; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed (scripts/deps.sh test)"
done
RES=$WORK/verify.env
{
	echo "poppler=$(pdfsig -v 2>&1 | head -n 1 | cut -d' ' -f3)"
	echo "verify_n=$VERIFY_N"
	echo "big_mb=$BIG_MB"
	echo "repeat=$REPEAT"
} >"$RES"
rc=0

# ---- instance, signer, inputs ---------------------------------------------
inst=$WORK/vinst
rm -rf "$inst" "$inst.ca"
"$SERTEL" init --dir "$inst" --algo ec-p256 >"$WORK/vinit.log" 2>&1 || die "sertel init"
"$SERTEL" ca export --dir "$inst" --out "$inst.ca" >>"$WORK/vinit.log" 2>&1 || die "ca export"
"$SERTEL" crl --dir "$inst" --out "$WORK/issuing.crl" >>"$WORK/vinit.log" 2>&1 || die "sertel crl"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/v.key" 2>/dev/null ||
	die "openssl genpkey"
openssl req -new -key "$WORK/v.key" -subj /CN=x -out "$WORK/v.csr" 2>/dev/null || die "openssl req"
"$SERTEL" cert issue --dir "$inst" --csr "$WORK/v.csr" --type individu --usage signing \
	--cn "Bench Verify" --out "$WORK/v.pem" >>"$WORK/vinit.log" 2>&1 || die "cert issue"
NSS=$WORK/vnss
rm -rf "$NSS"
mkdir -p "$NSS"
certutil -N --empty-password -d "sql:$NSS" >/dev/null 2>&1 || die "certutil -N"
certutil -A -t "CT,C,C" -n root -i "$inst.ca/root.pem" -d "sql:$NSS" || die "certutil -A root"
certutil -A -t ",," -n issuing -i "$inst.ca/issuing.pem" -d "sql:$NSS" || die "certutil -A issuing"

printf '%s\n' '%%MediaBox 0 0 595 842' '%%Font F1 Helvetica' \
	'BT /F1 12 Tf 72 760 Td (Surat untuk diperiksa) Tj ET' >"$WORK/vpage.txt"
mutool create -o "$WORK/vone.pdf" "$WORK/vpage.txt" || die "mutool create"
rm -rf "$WORK/vin" "$WORK/vsigned"
mkdir -p "$WORK/vsigned"
copy_files "$VERIFY_N" "$WORK/vone.pdf" "$WORK/vin"
"$SERTEL" sign pdf --batch "$WORK/vin.list" --out-dir "$WORK/vsigned" --key "$WORK/v.key" \
	--cert "$WORK/v.pem" --chain "$inst.ca/issuing.pem" >"$WORK/vsign.log" 2>&1 ||
	die "sertel sign pdf --batch (see $WORK/vsign.log)"
ls "$WORK/vsigned"/*.pdf >"$WORK/vsigned.list"
[ "$(wc -l <"$WORK/vsigned.list")" -eq "$VERIFY_N" ] || die "not every file was signed"

# ---- small: one process per document ----------------------------------------
log "sertel verify x $VERIFY_N"
t0=$(now)
bad=0
while read -r f; do
	v=$("$SERTEL" verify "$f" --dir "$inst" --offline --json 2>/dev/null | jq -r .verdict)
	[ "$v" = valid ] || bad=$((bad + 1))
done <"$WORK/vsigned.list"
s_sertel=$(elapsed "$t0")
echo "verify_sertel_seconds=$s_sertel" >>"$RES"
echo "verify_sertel_not_valid=$bad" >>"$RES"
[ "$bad" -eq 0 ] || rc=1

log "pdfsig x $VERIFY_N"
t0=$(now)
pbad=0
while read -r f; do
	pdfsig -nssdir "sql:$NSS" -no-ocsp "$f" 2>/dev/null |
		grep -q 'Signature Validation: Signature is Valid.' || pbad=$((pbad + 1))
done <"$WORK/vsigned.list"
s_pdfsig=$(elapsed "$t0")
echo "verify_pdfsig_seconds=$s_pdfsig" >>"$RES"
echo "verify_pdfsig_not_valid=$pbad" >>"$RES"

# ---- big: digesting the signed ranges ------------------------------------
log "big: $BIG_MB MB"
python3 "$BENCH_ROOT/sign/mkpdf.py" "$WORK/vbig.pdf" $((BIG_MB * 1024 * 1024)) 4 || die "mkpdf.py"
"$SERTEL" sign pdf "$WORK/vbig.pdf" --out "$WORK/vbig-signed.pdf" --key "$WORK/v.key" \
	--cert "$WORK/v.pem" --chain "$inst.ca/issuing.pem" >>"$WORK/vsign.log" 2>&1 ||
	die "sertel sign pdf (big)"
best() { # best of REPEAT runs of "$@", seconds
	_b=
	_r=0
	while [ $_r -lt "$REPEAT" ]; do
		_t0=$(now)
		"$@" >/dev/null 2>&1 || true
		_t=$(elapsed "$_t0")
		if [ -z "$_b" ] || awk -v a="$_t" -v b="$_b" 'BEGIN { exit !(a < b) }'; then _b=$_t; fi
		_r=$((_r + 1))
	done
	echo "$_b"
}
cat "$WORK/vbig-signed.pdf" >/dev/null
v=$("$SERTEL" verify "$WORK/vbig-signed.pdf" --dir "$inst" --offline --json 2>/dev/null | jq -r .verdict)
echo "big_verdict=$v" >>"$RES"
[ "$v" = valid ] || rc=1
b_sertel=$(best "$SERTEL" verify "$WORK/vbig-signed.pdf" --dir "$inst" --offline)
b_sha=$(best sha256sum "$WORK/vbig-signed.pdf")
echo "big_sertel_seconds=$b_sertel" >>"$RES"
echo "big_sha256sum_seconds=$b_sha" >>"$RES"

per() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
printf '\n| verifier | files | seconds | files/s | not valid |\n|---|---:|---:|---:|---:|\n'
printf '| sertel verify (full, offline) | %s | %s | %s | %s |\n' "$VERIFY_N" "$s_sertel" \
	"$(per "$VERIFY_N" "$s_sertel")" "$bad"
printf '| pdfsig -no-ocsp | %s | %s | %s | %s |\n' "$VERIFY_N" "$s_pdfsig" \
	"$(per "$VERIFY_N" "$s_pdfsig")" "$pbad"
printf '\n| %s MB signed PDF | best of %s (s) |\n|---|---:|\n' "$BIG_MB" "$REPEAT"
printf '| sertel verify | %s |\n| sha256sum | %s |\n' "$b_sertel" "$b_sha"
rm -rf "$WORK/vin" "$WORK/vbig.pdf"
exit $rc
