#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# sertel verify: PDFs signed by other tools (podofosign, pdfsig) and by
# sertel itself, attack files built from them (tests/sign/attacks), and
# detached CAdES signatures.  Verdicts are compared with pdfsig where it
# has one.  Needs podofosign (libpodofo-utils), pdfsig/certutil/pk12util
# (poppler-utils, libnss3-tools), mutool (mupdf-tools), openssl.
#
# The instance's base URL is the server this test runs, so the verifier's
# live path (AIA caIssuers, OCSP) is exercised; --offline cases use the
# instance's own CRLs (--dir) or what the file carries (DSS).
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verify
HERE=$(cd "$(dirname "$0")" && pwd)
MK="python3 $HERE/attacks/mkattack.py"
S=$SERTEL_BIN

for tool in podofosign pdfsig certutil pk12util mutool; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed (scripts/deps.sh test)"
done

cd "$T" || die "cd $T"
PORT=$(free_port) || die "no free port"
BASE=http://127.0.0.1:$PORT
# The live path fetches only from hosts named with --fetch-host (issue 19);
# the server is on loopback, so its address is listed itself.
LIVE=127.0.0.1:$PORT
make_instance "$T/inst" --org "Pemkot Uji" --base-url "$BASE" || die "init: $(cat "$T/inst.init.err")"
"$S" ca export --dir "$T/inst" --out ca/ >/dev/null || die "ca export"
"$S" serve --dir "$T/inst" --listen "127.0.0.1:$PORT" >serve.log 2>&1 &
SERVER_PID=$!
SERVER_LOG=$T/serve.log
for i in $(seq 1 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && break
	sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] || die "server did not start"

# A registered person, so the verifier can name NIK and NIP (sertel keeps
# them in its store, bound to the certificate).
NIK=3274010101800001
NIP=198001012005011001
"$S" agency add --dir inst --name "Dinas Kominfo" --domain kominfo.example.go.id >/dev/null ||
	die "agency add"
"$S" person add --dir inst --nik $NIK --nip $NIP --name "Budi Santoso" \
	--email budi@kominfo.example.go.id --agency "Dinas Kominfo" --roles pemohon >/dev/null ||
	die "person add"

# issue NAME KEYTYPE [extra cert issue args]: NAME.key NAME.pem NAME.serial
issue() {
	local n=$1 kt=$2
	shift 2
	case $kt in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $n.key 2>/dev/null ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $n.key 2>/dev/null ;;
	esac
	openssl req -new -key $n.key -subj /CN=x -out $n.csr 2>/dev/null || return 1
	"$S" cert issue --dir inst --csr $n.csr --type individu --usage signing \
		--email $n@kominfo.example.go.id --cn "Pegawai $n" --out $n.pem "$@" >$n.issue || return 1
	sed -n 's/.*serial \([0-9a-f]*\).*/\1/p' $n.issue >$n.serial
}
issue budi ec --nik $NIK || die "issue budi"
issue siti rsa || die "issue siti"

# A base document (mutool) with text on one page.
cat >page.txt <<'EOF'
%%MediaBox 0 0 595 842
%%Font F1 Helvetica
BT /F1 24 Tf 72 720 Td (Surat Keputusan Nomor 1) Tj ET
BT /F1 14 Tf 72 690 Td (Membayar Rp 1.000.000 kepada Budi) Tj ET
EOF
mutool create -o base.pdf page.txt || die "mutool create"

# verdict FILE [verify args...]: the document verdict from --json.
verdict() {
	local f=$1
	shift
	"$S" verify "$f" --json "$@" 2>/dev/null | jq -r .verdict
}
# sigfield FILE N JQ [verify args...]: a field of signature N.
sigfield() {
	local f=$1 n=$2 q=$3
	shift 3
	"$S" verify "$f" --json "$@" 2>/dev/null | jq -r ".signatures[$n]$q"
}
# pdfsig's judgement of signature N (1-based): "valid" when the signature
# is valid and pdfsig says the whole document is signed, else what it said.
PDFSIG="pdfsig -nssdir sql:$T/nss"
pdfsig_says() {
	$PDFSIG "$1" 2>/dev/null | awk -v n="Signature #$2:" '
		$0 ~ n {on=1; next} /^Signature #/ {on=0}
		on && /Signature Validation:/ {sub(/.*Validation: /, ""); v=$0}
		on && /Total document signed/ {t=1}
		on && /Not total document signed/ {t=0}
		END { if (v == "Signature is Valid." && t) print "valid"; else if (v == "Signature is Valid.") print "partial"; else print v }'
}

# ---- NSS database for pdfsig ---------------------------------------------
mkdir nss && certutil -N --empty-password -d sql:nss || die "certutil -N"
certutil -A -d sql:nss -n root -t "CT,C,C" -i ca/root.pem || die "certutil -A"
certutil -A -d sql:nss -n issuing -t ",," -i ca/issuing.pem || die "certutil -A"
openssl pkcs12 -export -inkey siti.key -in siti.pem -name siti -passout pass:x -out siti.p12 &&
	pk12util -i siti.p12 -d sql:nss -W x >/dev/null || die "pk12util"

# ---- podofosign ------------------------------------------------------------
podofosign -in base.pdf -out podofo.pdf -cert budi.pem -pkey budi.key -digest SHA256 \
	-reason "Setuju" -sigsize 8192 >/dev/null 2>&1 || die "podofosign"
check_eq "podofosign: valid (online: AIA issuer + OCSP)" valid "$(verdict podofo.pdf --trust ca/root.pem --fetch-host "$LIVE")"
check_eq "podofosign: pdfsig agrees" valid "$(pdfsig_says podofo.pdf 1)"
check_eq "podofosign: without --fetch-host nothing is fetched: indeterminate" indeterminate \
	"$(verdict podofo.pdf --trust ca/root.pem)"
check_rc "podofosign: exit 0" 0 "$S" verify podofo.pdf --trust ca/root.pem --fetch-host "$LIVE"
check_eq "podofosign: valid with --dir --offline (instance CRLs)" valid \
	"$(verdict podofo.pdf --dir inst --offline)"
check_eq "podofosign: byterange covers the whole file" "true true" \
	"$(sigfield podofo.pdf 0 '| "\(.checks.byterange) \(.whole_file)"' --dir inst --offline)"
check_eq "podofosign: signer CN" "Pegawai budi" "$(sigfield podofo.pdf 0 .common_name --dir inst --offline)"
check_eq "podofosign: NIK and NIP from the instance" "$NIK $NIP" \
	"$(sigfield podofo.pdf 0 '| "\(.nik) \(.nip)"' --dir inst --offline)"
check_eq "podofosign: path of 3 to the root" 3 "$(sigfield podofo.pdf 0 '.path | length' --dir inst --offline)"
check_eq "offline without issuer or revocation data: indeterminate" indeterminate \
	"$(verdict podofo.pdf --trust ca/root.pem --fetch-host "$LIVE" --offline)"
check_rc "indeterminate exits 1" 1 "$S" verify podofo.pdf --trust ca/root.pem --fetch-host "$LIVE" --offline
check_eq "no trust anchor at all: indeterminate" indeterminate "$(verdict podofo.pdf --offline)"
make_instance "$T/other" --org "Lain" >/dev/null 2>&1 || die "init other"
"$S" ca export --dir other --out other-ca/ >/dev/null || die "ca export other"
check_eq "another instance's root: indeterminate (no path)" "indeterminate false" \
	"$(sigfield podofo.pdf 0 '| "\(.verdict) \(.checks.chain)"' --trust other-ca/root.pem)"

# Text output: Bahasa Indonesia by default, English with --lang en.
"$S" verify podofo.pdf --dir inst --offline >text.id 2>&1
check "text (id): 'Dokumen: SAH'" grep -q '^Dokumen: SAH' text.id
check "text (id): names the NIK" grep -q "NIK: *$NIK" text.id
"$S" verify podofo.pdf --dir inst --offline --lang en >text.en 2>&1
check "text (en): 'Document: VALID'" grep -q '^Document: VALID' text.en

# ---- pdfsig -add-signature (RSA: pdfsig 22.12 reserves too little room
# for ECDSA signatures), alone and as a second signature -----------------
$PDFSIG -add-signature -nick siti -reason "Disetujui" -new-signature-field-name TTD1 \
	base.pdf pdfsig.pdf >/dev/null 2>&1 || die "pdfsig -add-signature"
check_eq "pdfsig-signed: valid" valid "$(verdict pdfsig.pdf --trust ca/root.pem --fetch-host "$LIVE")"
check_eq "pdfsig-signed: field name" TTD1 "$(sigfield pdfsig.pdf 0 .field --trust ca/root.pem --fetch-host "$LIVE")"
$PDFSIG -add-signature -nick siti -new-signature-field-name TTD2 \
	podofo.pdf two.pdf >/dev/null 2>&1 || die "pdfsig second signature"
check_eq "podofosign + pdfsig: both valid" "valid valid valid" \
	"$("$S" verify two.pdf --trust ca/root.pem --fetch-host "$LIVE" --json | jq -r '"\(.verdict) \(.signatures[0].verdict) \(.signatures[1].verdict)"')"
check_eq "podofosign + pdfsig: first signature's later changes all allowed" "true false" \
	"$(sigfield two.pdf 0 '| "\(.checks.changes) \(.whole_file)"' --trust ca/root.pem --fetch-host "$LIVE")"
check_eq "podofosign + pdfsig: pdfsig agrees on both" "valid valid" \
	"$(pdfsig_says two.pdf 1 | sed 's/partial/valid/') $(pdfsig_says two.pdf 2)"

# ---- attacks ---------------------------------------------------------------
$MK sign base.pdf own.pdf --cert budi.pem --key budi.key --chain ca/chain.pem ||
	die "mkattack sign"
check_eq "mkattack-signed base: valid" valid "$(verdict own.pdf --dir inst --offline)"
check_eq "mkattack-signed base: pdfsig agrees" valid "$(pdfsig_says own.pdf 1)"

$MK flip own.pdf flip.pdf || die "mkattack flip"
check_eq "flipped byte in a signed range: invalid" "invalid false" \
	"$(sigfield flip.pdf 0 '| "\(.verdict) \(.checks.digest)"' --dir inst --offline)"
check_rc "flipped byte: exit 1" 1 "$S" verify flip.pdf --dir inst --offline
check_eq "flipped byte: pdfsig agrees" "Digest Mismatch." "$(pdfsig_says flip.pdf 1)"
$MK flip podofo.pdf flip2.pdf || die "mkattack flip podofo"
check_eq "flipped byte (podofosign file): invalid" invalid "$(verdict flip2.pdf --dir inst --offline)"

$MK sign base.pdf gap.pdf --cert budi.pem --key budi.key --chain ca/chain.pem --gap 24 ||
	die "mkattack sign --gap"
check_eq "uncovered bytes (digest and value hold): invalid" "invalid false true true" \
	"$(sigfield gap.pdf 0 '| "\(.verdict) \(.checks.byterange) \(.checks.digest) \(.checks.signature)"' --dir inst --offline)"
note "pdfsig on the uncovered-bytes file: $(pdfsig_says gap.pdf 1)"

$MK overlap own.pdf overlap.pdf || die "mkattack overlap"
check_eq "copied/overlapping ByteRange in a later revision: invalid" "invalid false" \
	"$(sigfield overlap.pdf 1 '| "\(.verdict) \(.checks.byterange)"' --dir inst --offline)"
check_eq "overlap: the first signature sees its page changed" "invalid false" \
	"$(sigfield overlap.pdf 0 '| "\(.verdict) \(.checks.changes)"' --dir inst --offline)"
check_eq "overlap: document invalid" invalid "$(verdict overlap.pdf --dir inst --offline)"
note "pdfsig on the overlap file: #1 $(pdfsig_says overlap.pdf 1), #2 $(pdfsig_says overlap.pdf 2)"

for a in shadow-hide shadow-replace shadow-hide-replace shadow-font; do
	$MK $a own.pdf $a.pdf || die "mkattack $a"
	check_eq "$a: not-allowed change, invalid" "invalid false true true" \
		"$(sigfield $a.pdf 0 '| "\(.verdict) \(.checks.changes) \(.checks.digest) \(.checks.signature)"' --dir inst --offline)"
	check_rc "$a: exit 1" 1 "$S" verify $a.pdf --dir inst --offline
	# pdfsig checks the signed bytes only: it calls these "Signature is
	# Valid" (not the whole document) where sertel names the change.
	check_eq "$a: pdfsig sees a valid partial signature" partial "$(pdfsig_says $a.pdf 1)"
done
check "shadow-hide: the added annotation is named" \
	sh -c "'$S' verify shadow-hide.pdf --dir inst --offline --lang en | grep -q 'added annotation.*Square'"
check "shadow-replace: the page content is named" \
	sh -c "'$S' verify shadow-replace.pdf --dir inst --offline --lang en | grep -q '(page content)'"
$MK shadow-hide podofo.pdf shadow-hide2.pdf || die "mkattack shadow-hide podofo"
check_eq "shadow-hide on the podofosign file: invalid" invalid "$(verdict shadow-hide2.pdf --dir inst --offline)"
$MK unsign own.pdf unsign.pdf || die "mkattack unsign"
check_eq "signature removed from the form later: still reported, invalid" "invalid 1 false" \
	"$("$S" verify unsign.pdf --dir inst --offline --json | jq -r '"\(.verdict) \(.signatures | length) \(.signatures[0].checks.changes)"')"
# Form filling and DocMDP: allowed changes stay valid, and P decides.
$MK mkform - form.pdf || die "mkattack mkform"
$MK sign form.pdf form-signed.pdf --cert budi.pem --key budi.key --chain ca/chain.pem ||
	die "mkattack sign form"
$MK fill form-signed.pdf form-filled.pdf || die "mkattack fill"
check_eq "form filled after an approval signature: allowed, valid" "valid true 1" \
	"$(sigfield form-filled.pdf 0 '| "\(.verdict) \(.checks.changes) \(.changes | length)"' --dir inst --offline)"
if "$S" sign pdf form.pdf --out cert1.pdf --key budi.key --cert budi.pem --chain ca/chain.pem \
	--certify 1 >/dev/null 2>&1 &&
	"$S" sign pdf form.pdf --out cert2.pdf --key budi.key --cert budi.pem --chain ca/chain.pem \
		--certify 2 >/dev/null 2>&1 &&
	"$S" sign pdf form.pdf --out cert3.pdf --key budi.key --cert budi.pem --chain ca/chain.pem \
		--certify 3 >/dev/null 2>&1; then
	$MK fill cert1.pdf cert1-filled.pdf && $MK fill cert2.pdf cert2-filled.pdf &&
		$MK shadow-hide cert2.pdf cert2-annot.pdf && $MK shadow-hide cert3.pdf cert3-annot.pdf ||
		die "mkattack on certified files"
	check_eq "certified P=1, form filled: invalid" "invalid 1" \
		"$(sigfield cert1-filled.pdf 0 '| "\(.verdict) \(.docmdp)"' --dir inst --offline)"
	check_eq "certified P=2, form filled: valid" "valid 2" \
		"$(sigfield cert2-filled.pdf 0 '| "\(.verdict) \(.docmdp)"' --dir inst --offline)"
	check_eq "certified P=2, annotation added: invalid" invalid \
		"$(verdict cert2-annot.pdf --dir inst --offline)"
	check_eq "certified P=3, annotation added: valid" valid \
		"$(verdict cert3-annot.pdf --dir inst --offline)"
else
	fail "sertel sign pdf --certify"
fi
$MK bytes-after own.pdf after.pdf || die "mkattack bytes-after"
check_eq "objects after the last %%EOF: invalid" "invalid false" \
	"$(sigfield after.pdf 0 '| "\(.verdict) \(.checks.changes)"' --dir inst --offline)"

# ---- revocation at the signing time ----------------------------------------
issue rev1 ec || die "issue rev1"
issue rev2 ec || die "issue rev2"
issue rev3 ec || die "issue rev3"
"$S" cert revoke --dir inst "$(cat rev1.serial)" --reason keyCompromise >/dev/null || die "revoke rev1"
sleep 1.2
$MK sign base.pdf revoked-before.pdf --cert rev1.pem --key rev1.key --chain ca/chain.pem ||
	die "sign rev1"
$MK sign base.pdf revoked-after-ts.pdf --cert rev2.pem --key rev2.key --chain ca/chain.pem \
	--signer sertel --sertel "$S" --tsa "$BASE/tsa" || die "sign rev2 (B-T)"
$MK sign base.pdf revoked-after.pdf --cert rev3.pem --key rev3.key --chain ca/chain.pem ||
	die "sign rev3"
sleep 1.2
"$S" cert revoke --dir inst "$(cat rev2.serial)" --reason keyCompromise >/dev/null || die "revoke rev2"
"$S" cert revoke --dir inst "$(cat rev3.serial)" --reason keyCompromise >/dev/null || die "revoke rev3"
check_eq "revoked before signing: invalid (instance CRL)" "invalid true" \
	"$(sigfield revoked-before.pdf 0 '| "\(.verdict) \(.revoked)"' --dir inst --offline)"
check_eq "revoked before signing: invalid (live OCSP)" invalid \
	"$(verdict revoked-before.pdf --trust ca/root.pem --fetch-host "$LIVE")"
check_eq "revoked after a trusted timestamp: valid" "valid true true" \
	"$(sigfield revoked-after-ts.pdf 0 '| "\(.verdict) \(.checks.timestamp) \(.time_trusted)"' --dir inst --offline)"
check_eq "revoked after a trusted timestamp: valid (live OCSP)" valid \
	"$(verdict revoked-after-ts.pdf --trust ca/root.pem --fetch-host "$LIVE")"
check_eq "revoked after the claimed time, no timestamp: indeterminate" "indeterminate true" \
	"$(sigfield revoked-after.pdf 0 '| "\(.verdict) \(.revoked)"' --dir inst --offline)"

# ---- sertel's own PAdES signer --------------------------------------------
if "$S" sign pdf base.pdf --out s1.pdf --key budi.key --cert budi.pem --chain ca/chain.pem \
	--level B-T --tsa "$BASE/tsa" --reason "Setuju" >/dev/null 2>&1; then
	"$S" sign pdf s1.pdf --out s2.pdf --key siti.key --cert siti.pem --chain ca/chain.pem \
		--level B-LT --tsa "$BASE/tsa" >/dev/null 2>&1 || die "sign pdf B-LT"
	check_eq "sertel sign pdf (B-T then B-LT): both valid" "valid valid valid" \
		"$("$S" verify s2.pdf --trust ca/root.pem --fetch-host "$LIVE" --json | jq -r '"\(.verdict) \(.signatures[0].verdict) \(.signatures[1].verdict)"')"
	check_eq "sertel B-LT: valid offline from the DSS alone" valid \
		"$(verdict s2.pdf --trust ca/root.pem --fetch-host "$LIVE" --offline)"
	# Three years on: the signers' certificates (2 years) have expired;
	# the timestamps and the DSS still carry the signatures.
	check_eq "sertel B-LT: valid offline --at after expiry" valid \
		"$(verdict s2.pdf --trust ca/root.pem --fetch-host "$LIVE" --offline --at 2029-12-01)"
	"$S" sign pdf base.pdf --out sb.pdf --key budi.key --cert budi.pem --chain ca/chain.pem \
		>/dev/null 2>&1 || die "sign pdf B-B"
	check_eq "sertel B-B: valid now" valid "$(verdict sb.pdf --dir inst --offline)"
	check_eq "sertel B-B after expiry (no timestamp): indeterminate" indeterminate \
		"$(verdict sb.pdf --dir inst --offline --at 2029-12-01)"
	check_eq "sertel B-T: pdfsig agrees" valid "$(pdfsig_says s1.pdf 1)"
	check_eq "sertel B-T: ETSI.CAdES.detached" ETSI.CAdES.detached \
		"$(sigfield s1.pdf 0 .subfilter --trust ca/root.pem --fetch-host "$LIVE" --offline)"
	"$S" sign pdf s2.pdf --out s3.pdf --key siti.key --cert siti.pem --chain ca/chain.pem \
		--level B-LTA --tsa "$BASE/tsa" >/dev/null 2>&1 || die "sign pdf B-LTA"
	check_eq "sertel B-LTA: document timestamp valid" "valid doc_timestamp" \
		"$("$S" verify s3.pdf --trust ca/root.pem --fetch-host "$LIVE" --offline --json | jq -r '"\(.verdict) \(.signatures[-1].kind)"')"
	$MK shadow-replace s2.pdf s2-replace.pdf || die "mkattack on sertel file"
	check_eq "shadow-replace after sertel B-LT: invalid" invalid "$(verdict s2-replace.pdf --trust ca/root.pem --fetch-host "$LIVE" --offline)"
else
	note "sertel sign pdf not available: its cases are not run"
	fail "sertel sign pdf"
fi

# ---- detached CAdES (--sig) ------------------------------------------------
echo "isi dokumen" >doc.txt
"$S" sign cms doc.txt --out doc.p7s --key budi.key --cert budi.pem --chain ca/chain.pem \
	--tsa "$BASE/tsa" >/dev/null 2>&1 || die "sign cms"
check_eq "detached B-T by sertel: valid, timestamp checked" "valid true true" \
	"$("$S" verify doc.txt --sig doc.p7s --trust ca/root.pem --fetch-host "$LIVE" --json | jq -r '"\(.verdict) \(.signatures[0].checks.timestamp) \(.signatures[0].checks.signing_certificate)"')"
echo "isi dokumen lain" >doc2.txt
check_eq "detached over other content: invalid" "invalid false" \
	"$("$S" verify doc2.txt --sig doc.p7s --trust ca/root.pem --fetch-host "$LIVE" --json | jq -r '"\(.verdict) \(.signatures[0].checks.digest)"')"
openssl cms -sign -binary -cades -in doc.txt -signer siti.pem -inkey siti.key \
	-certfile ca/chain.pem -outform PEM -out doc-ossl.pem 2>/dev/null || die "openssl cms -sign"
check_eq "detached CAdES by openssl (PEM): valid" valid \
	"$("$S" verify doc.txt --sig doc-ossl.pem --trust ca/root.pem --fetch-host "$LIVE" --json | jq -r .verdict)"
check_rc "detached: exit 0 when valid" 0 "$S" verify doc.txt --sig doc-ossl.pem --trust ca/root.pem --fetch-host "$LIVE"
check_rc "detached: exit 1 when not" 1 "$S" verify doc2.txt --sig doc-ossl.pem --trust ca/root.pem --fetch-host "$LIVE"

# ---- errors ---------------------------------------------------------------
check_rc "not a PDF without --sig: exit 2" 2 "$S" verify doc.txt --trust ca/root.pem --fetch-host "$LIVE"
check_rc "missing file: exit 2" 2 "$S" verify nope.pdf
check_rc "bad --at: exit 2" 2 "$S" verify podofo.pdf --at yesterday
check_rc "bad --lang: exit 2" 2 "$S" verify podofo.pdf --lang fr
check_rc "garbage signature file: exit 2" 2 "$S" verify doc.txt --sig page.txt
head -c 400 podofo.pdf >trunc.pdf
check_rc "truncated PDF: exit 2" 2 "$S" verify trunc.pdf
"$S" verify doc.txt >err.out 2>err.txt
check_eq "an error is one line on stderr" 1 "$(line_count err.txt)"

finish
