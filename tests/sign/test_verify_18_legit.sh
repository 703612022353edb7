#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18, "refused, but legitimate": files other software writes that
# the verifier called "not valid" or refused (exit 2).  Every file is made
# here (mkattack.py, mkcms.py, openssl cms/ts, mutool, qpdf); each check
# names the verdict the class needs.  (startxref off by white space, the
# LTV rewrite, /UR3 and adbe.pkcs7.sha1 are in test_verify_18_pdf.sh;
# signing-certificate-v2 with two ESSCertIDv2 in test_verify_18_cms.sh.)
#   - hybrid files whose two trailers carry the same /XRefStm: read.
#   - an RFC 3161 document timestamp in BER (indefinite lengths, so its
#     encoding ends in zero octets): read by its own length, valid.
#   - a document timestamp by a TSA that is not trusted: digest and
#     signature reported as holding, verdict indeterminate (not invalid).
#   - two signatures whose certificates share issuer and serial number:
#     each verified with the certificate in its own CMS.
#   - enveloping CMS, PLAIN-ECDSA (BSI TR-03111), Ed448 (SHAKE256):
#     indeterminate "unsupported" with the reason, never "does not verify".
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verify18legit
HERE=$(cd "$(dirname "$0")" && pwd)
MK="python3 $HERE/attacks/mkattack.py"
MC="python3 $HERE/attacks/mkcms.py"
S=$SERTEL_BIN
for tool in mutool qpdf openssl jq; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed (scripts/deps.sh test)"
done
cd "$T" || die "cd $T"
make_instance "$T/inst" --org "Pemkot Uji" || die "init: $(cat "$T/inst.init.err")"
"$S" ca export --dir inst --out ca/ >/dev/null || die "ca export"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out budi.key 2>/dev/null
openssl req -new -key budi.key -subj /CN=x -out budi.csr 2>/dev/null
"$S" cert issue --dir inst --csr budi.csr --type individu --usage signing \
	--email budi@kominfo.example.go.id --cn "Pegawai budi" --out budi.pem >/dev/null ||
	die "cert issue"
mutool create -o base.pdf /dev/stdin <<'EOP' || die "mutool create"
%%MediaBox 0 0 595 842
%%Font F1 Helvetica
BT /F1 24 Tf 72 720 Td (Surat Keputusan Nomor 2) Tj ET
EOP
# js FILE [VERIFY-ARGS] JQ: a jq expression over `verify --json`.
js() {
	local f=$1 q=$2
	shift 2
	"$S" verify "$f" --json --lang en --offline "$@" 2>/dev/null | jq -r "$q"
}
SIGN="$MK sign --cert budi.pem --key budi.key --chain ca/chain.pem"

# ---- hybrid file, the same /XRefStm in two trailers --------------------------
$MK hybrid base.pdf hybrid.pdf || die "mkattack hybrid"
check "qpdf reads the hybrid file" quiet qpdf --check hybrid.pdf
check_eq "both trailers carry the same /XRefStm (the file is what it claims)" 2 \
	"$(grep -a -o '/XRefStm [0-9]*' hybrid.pdf | sort -u | wc -l | awk '{ print $1 + 1 }')"
check_rc "hybrid, not signed: read (exit 1, indeterminate), not a /Prev loop (exit 2)" 1 \
	"$S" verify hybrid.pdf --dir inst --offline
$SIGN hybrid.pdf hybrid-signed.pdf || die "sign hybrid"
check_eq "hybrid, signed on top: valid" valid "$(js hybrid-signed.pdf .verdict --dir inst)"

# ---- document timestamps: BER, and a TSA that is not trusted -----------------
mkdir tsa && cd tsa || die "mkdir tsa"
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -subj "/CN=Uji TSA Root" -days 3650 \
	-addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-out root.pem 2>/dev/null || die "tsa root"
openssl req -newkey rsa:2048 -nodes -keyout tsa.key -subj "/CN=Uji TSA" -out tsa.csr 2>/dev/null ||
	die "tsa csr"
printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n' >tsa.ext
openssl x509 -req -in tsa.csr -CA root.pem -CAkey root.key -set_serial 9 -days 2000 -sha256 \
	-extfile tsa.ext -out tsa.pem 2>/dev/null || die "tsa cert"
echo 01 >serial
cat >ts.cnf <<EOC
[tsa]
default_tsa = t
[t]
serial = $T/tsa/serial
crypto_device = builtin
signer_cert = $T/tsa/tsa.pem
certs = $T/tsa/tsa.pem
signer_key = $T/tsa/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOC
cd .. || die "cd"
$SIGN base.pdf signed.pdf || die "sign base"
$MK sign signed.pdf dts.pdf --doc-ts --tsa-conf tsa/ts.cnf --field DocTimeStamp1 || die "doc-ts"
$MK sign signed.pdf dts-ber.pdf --doc-ts --ber --tsa-conf tsa/ts.cnf --field DocTimeStamp1 ||
	die "doc-ts ber"
check "the BER token ends in end-of-contents octets (the file is what it claims)" sh -c \
	"grep -a -o '/Contents <3080[0-9a-f]*' dts-ber.pdf | grep -q '0000000000000*\$'"
check_eq "DER document timestamp, TSA trusted: valid" "valid doc_timestamp" \
	"$(js dts.pdf '"\(.verdict) \(.signatures[1].kind)"' --dir inst --trust ca/root.pem --trust tsa/root.pem)"
check_eq "BER document timestamp, TSA trusted: valid" "valid valid" \
	"$(js dts-ber.pdf '"\(.verdict) \(.signatures[1].verdict)"' --dir inst --trust ca/root.pem --trust tsa/root.pem)"
check_eq "TSA not trusted: digest and signature held, chain not, indeterminate" \
	"indeterminate true true false" \
	"$(js dts.pdf '.signatures[1] | "\(.verdict) \(.checks.digest) \(.checks.signature) \(.checks.chain)"' --dir inst)"
check_eq "... the document is indeterminate, not invalid" indeterminate "$(js dts.pdf .verdict --dir inst)"
python3 - dts.pdf dts-flip.pdf <<'EOP' || die "flip"
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.find(b"Surat Keputusan Nomor 2")
d[i] ^= 1
open(sys.argv[2], "wb").write(d)
EOP
check_eq "control: a byte changed under the timestamp: digest false, invalid" "invalid false" \
	"$(js dts-flip.pdf '.signatures[1] | "\(.verdict) \(.checks.digest)"' --dir inst --trust ca/root.pem --trust tsa/root.pem)"

# ---- two certificates with the same issuer and serial number ---------------
mkdir twin && cd twin || die "mkdir twin"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
	-subj "/CN=Uji Twin CA" -days 3650 -addext "basicConstraints=critical,CA:true" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem 2>/dev/null || die "twin ca"
printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >ee.ext
for n in Ani Budi; do
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -subj "/CN=$n" \
		-out $n.csr 2>/dev/null &&
		openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -set_serial 77 -days 1000 \
			-extfile ee.ext -out $n.pem 2>/dev/null || die "twin $n"
done
cd .. || die "cd"
check_eq "both certificates have the same issuer and serial (the files are what they claim)" 2 \
	"$(for n in Ani Budi; do openssl x509 -in twin/$n.pem -noout -serial -issuer; done | sort -u | wc -l)"
$MK sign base.pdf twin1.pdf --cert twin/Ani.pem --key twin/Ani.key --field Sig1 || die "sign Ani"
$MK sign twin1.pdf twin2.pdf --cert twin/Budi.pem --key twin/Budi.key --field Sig2 || die "sign Budi"
check_eq "signature 1 (Ani) and 2 (Budi): each verified with its own certificate" \
	"Ani true true|Budi true true" \
	"$(js twin2.pdf '[.signatures[] | "\(.common_name) \(.checks.digest) \(.checks.signature)"] | join("|")' --trust twin/ca.pem)"
check_eq "... neither is invalid (no revocation data: indeterminate)" "indeterminate indeterminate" \
	"$(js twin2.pdf '[.signatures[].verdict] | join(" ")' --trust twin/ca.pem)"

# ---- formats sertel does not verify: indeterminate with the reason ----------
echo "isi dokumen" >doc.txt
vd() { "$S" verify doc.txt --sig "$1" --json --lang en --dir inst --offline 2>/dev/null |
	jq -r '.signatures[0] | "\(.verdict) \(.unsupported) \(.message)"'; }
openssl cms -sign -binary -nodetach -md sha256 -in doc.txt -signer budi.pem -inkey budi.key \
	-certfile ca/chain.pem -outform DER -out env.p7s 2>/dev/null || die "cms -nodetach"
check_eq "enveloping CMS (detached use): indeterminate, unsupported" "indeterminate true" \
	"$(vd env.p7s | cut -d' ' -f1,2)"
check "... the reason is named" sh -c "'$S' verify doc.txt --sig env.p7s --dir inst --offline --lang en | grep -q 'unsupported: an enveloping CMS'"
$SIGN base.pdf env.pdf --nodetach || die "sign --nodetach"
check_eq "enveloping CMS in a PDF: indeterminate, unsupported (not invalid)" "indeterminate true" \
	"$(js env.pdf '.signatures[0] | "\(.verdict) \(.unsupported)"' --dir inst)"
openssl cms -sign -binary -md sha256 -in doc.txt -signer budi.pem -inkey budi.key \
	-certfile ca/chain.pem -outform DER -out ec.p7s 2>/dev/null || die "cms ec"
check_eq "control: the ECDSA CMS as made: valid" "valid false" "$(vd ec.p7s | cut -d' ' -f1,2)"
$MC sigalg 0.4.0.127.0.7.1.1.4.1.3 ec.p7s plain.p7s || die "mkcms sigalg plain"
check_eq "PLAIN-ECDSA (ecdsa-plain-SHA256): indeterminate, unsupported" "indeterminate true" \
	"$(vd plain.p7s | cut -d' ' -f1,2)"
check "... named as PLAIN-ECDSA" sh -c "'$S' verify doc.txt --sig plain.p7s --dir inst --offline --lang en | grep -q 'PLAIN-ECDSA, BSI TR-03111'"
# OpenSSL 3.0 cannot make an Ed448 CMS ("no default digest"): the
# algorithms are declared as RFC 8419 has them (id-shake256, id-Ed448).
$MC digalg 2.16.840.1.101.3.4.2.12 ec.p7s ed0.p7s && $MC sigalg 1.3.101.113 ed0.p7s ed.p7s ||
	die "mkcms ed448"
check_eq "Ed448 with SHAKE256: indeterminate, unsupported (not 'content was changed')" \
	"indeterminate true" "$(vd ed.p7s | cut -d' ' -f1,2)"
check "... the digest named as SHAKE" sh -c "'$S' verify doc.txt --sig ed.p7s --dir inst --offline --lang en | grep -q 'SHAKE'"

finish
