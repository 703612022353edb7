#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18: CMS classes where the verifier disagreed with the reference
# validators.  Detached signatures by `openssl cms -sign`, rewritten by
# tests/sign/attacks/mkcms.py; a chain with a SHA-1 intermediate made with
# openssl (x509 -req, ca -gencrl).
#   - signatureAlgorithm RSA-SHA3-256 over a SHA-256 DigestInfo, and a
#     digestAlgorithm holding sha256WithRSAEncryption: invalid.
#   - signed attributes not in DER order (signed as sent): verified over
#     the DER re-encoding, so invalid, and the mismatch named.
#   - signing-certificate-v2 with a second ESSCertIDv2: valid (the first
#     names the signer); the signer's listed second: invalid.
#   - SHA-1 on a certificate of the path: refused by default (verify-cert
#     and verify), accepted with --allow-sha1 / [verify] allow_sha1 = yes,
#     the verdict saying so.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verify18cms
HERE=$(cd "$(dirname "$0")" && pwd)
MC="python3 $HERE/attacks/mkcms.py"
S=$SERTEL_BIN
for tool in openssl jq; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed"
done
cd "$T" || die "cd $T"
make_instance "$T/inst" --org "Pemkot Uji" || die "init: $(cat "$T/inst.init.err")"
"$S" ca export --dir inst --out ca/ >/dev/null || die "ca export"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out siti.key 2>/dev/null
openssl req -new -key siti.key -subj /CN=x -out siti.csr 2>/dev/null
"$S" cert issue --dir inst --csr siti.csr --type individu --usage signing \
	--email siti@kominfo.example.go.id --cn "Pegawai siti" --out siti.pem >/dev/null ||
	die "cert issue"
echo "isi dokumen" >doc.txt
openssl cms -sign -binary -cades -md sha256 -in doc.txt -signer siti.pem -inkey siti.key \
	-certfile ca/chain.pem -outform DER -out doc.p7s 2>/dev/null || die "openssl cms -sign"

# v SIG [ARGS]: "verdict | message" of signature 0 (English).
v() {
	local f=$1
	shift
	"$S" verify doc.txt --sig "$f" --json --lang en "$@" 2>/dev/null |
		jq -r '"\(.verdict) | \(.signatures[0].message)"'
}
vd() { v "$1" --dir inst --offline | cut -d' ' -f1; }

check_eq "openssl CAdES as made: valid" valid "$(vd doc.p7s)"

# ---- declared algorithms ----------------------------------------------------
$MC sigalg 2.16.840.1.101.3.4.3.14 doc.p7s sha3.p7s || die "mkcms sigalg"
check_eq "signatureAlgorithm RSA-SHA3-256, SHA-256 DigestInfo inside: invalid" invalid "$(vd sha3.p7s)"
check "... the mismatch is named" sh -c "'$S' verify doc.txt --sig sha3.p7s --dir inst --offline --lang en | grep -q 'RSA-SHA3-256 does not use the digestAlgorithm SHA-256'"
$MC sigalg 2.16.840.1.101.3.4.3.13 doc.p7s sha3-224.p7s || die "mkcms sigalg"
check_eq "signatureAlgorithm RSA-SHA3-224: invalid" invalid "$(vd sha3-224.p7s)"
$MC sigalg 1.2.840.10045.4.3.2 doc.p7s ecdsa.p7s || die "mkcms sigalg"
check_eq "signatureAlgorithm ecdsa-with-SHA256 on an RSA key: invalid" invalid "$(vd ecdsa.p7s)"
$MC sigalg 1.2.840.113549.1.1.11 doc.p7s sha256rsa.p7s || die "mkcms sigalg"
check_eq "signatureAlgorithm sha256WithRSAEncryption (consistent): valid" valid "$(vd sha256rsa.p7s)"
$MC digalg 1.2.840.113549.1.1.11 doc.p7s digsig.p7s || die "mkcms digalg"
check_eq "digestAlgorithm sha256WithRSAEncryption (not a digest): invalid" invalid "$(vd digsig.p7s)"
check "... named" sh -c "'$S' verify doc.txt --sig digsig.p7s --dir inst --offline --lang en | grep -q 'digestAlgorithm is not a digest algorithm'"

# ---- signed attributes not in DER order ------------------------------------
$MC resign siti.key doc.p7s resign.p7s || die "mkcms resign"
check "re-signing in DER order reproduces openssl's bytes (the helper is sound)" cmp -s doc.p7s resign.p7s
$MC unsorted siti.key doc.p7s unsorted.p7s || die "mkcms unsorted"
check_eq "signed attributes signed as sent, not DER-sorted: invalid" invalid "$(vd unsorted.p7s)"

check "... the DER-order mismatch is named" sh -c "'$S' verify doc.txt --sig unsorted.p7s --dir inst --offline --lang en | grep -q 'not in DER order'"

# ---- signing-certificate-v2 with more than one ESSCertIDv2 ------------------
$MC ess-extra ca/issuing.pem siti.key doc.p7s ess2.p7s || die "mkcms ess-extra"
check_eq "signing-certificate-v2 listing the signer then its CA: valid" valid "$(vd ess2.p7s)"
$MC ess-front ca/issuing.pem siti.key doc.p7s essf.p7s || die "mkcms ess-front"
check_eq "signing-certificate-v2 listing another certificate first: invalid" invalid "$(vd essf.p7s)"

# ---- SHA-1 in the chain ------------------------------------------------------
# root (SHA-256) -> intermediate signed with SHA-1 -> leaf (SHA-256)
mkdir pki && cd pki || die "mkdir"
cat >ext.cnf <<'EOC'
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ee]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOC
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -subj "/CN=Uji Root SHA-256" \
	-days 3650 -sha256 -addext "basicConstraints=critical,CA:true" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem 2>/dev/null || die "root"
for n in inter leaf; do
	openssl req -newkey rsa:2048 -nodes -keyout $n.key -subj "/CN=Uji $n" -out $n.csr 2>/dev/null || die "$n csr"
done
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 2 -days 3000 -sha1 \
	-extfile ext.cnf -extensions ca -out inter.pem 2>/dev/null || die "inter"
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -set_serial 3 -days 2000 -sha256 \
	-extfile ext.cnf -extensions ee -out leaf.pem 2>/dev/null || die "leaf"
# gencrl NAME: a current, empty CRL by NAME (SHA-256).
gencrl() {
	mkdir -p db.$1 && : >db.$1/index && echo 01 >db.$1/crlnumber &&
		printf '[ca]\ndefault_ca = c\n[c]\ndatabase = db.%s/index\ncrlnumber = db.%s/crlnumber\ndefault_md = sha256\ndefault_crl_days = 30\n' \
			$1 $1 >db.$1/ca.cnf &&
		openssl ca -gencrl -config db.$1/ca.cnf -keyfile $1.key -cert $1.pem -out $1.crl 2>/dev/null
}
gencrl root && gencrl inter || die "gencrl"
check_eq "the intermediate is signed with SHA-1 (the chain is what it claims)" sha1WithRSAEncryption \
	"$(openssl x509 -in inter.pem -noout -text | sed -n 's/^ *Signature Algorithm: //p' | head -n 1)"
VC="$S verify-cert --trust root.pem --untrusted inter.pem --crl root.crl --crl inter.crl --require-revocation"
check_rc "verify-cert: SHA-1 intermediate refused (exit 1)" 1 $VC leaf.pem
check "verify-cert: the reason names SHA-1" sh -c "$VC leaf.pem 2>&1 | grep -q 'signed with SHA-1: refused'"
check_rc "verify-cert --allow-sha1: valid (exit 0)" 0 $VC --allow-sha1 leaf.pem
openssl cms -sign -binary -cades -md sha256 -in ../doc.txt -signer leaf.pem -inkey leaf.key \
	-certfile inter.pem -outform DER -out ../sha1chain0.p7s 2>/dev/null || die "cms sign sha1 chain"
cd .. || die "cd"
$MC add-crls pki/root.crl pki/inter.crl sha1chain0.p7s sha1chain.p7s || die "mkcms add-crls"
check_eq "verify: SHA-1 in the path refused: indeterminate, reason named" "indeterminate true" \
	"$(v sha1chain.p7s --trust pki/root.pem --offline | awk -F' [|] ' '{ print $1, ($2 ~ /signed with SHA-1: refused/) ? "true" : "false" }')"
# An instance that allows SHA-1 for historic documents ([verify] allow_sha1).
make_instance "$T/hist" --org "Arsip" || die "init hist"
printf '\n[verify]\nallow_sha1 = yes\n' >>hist/sertel.conf
check_eq "[verify] allow_sha1 = yes: valid, the verdict says SHA-1 was accepted" "valid true" \
	"$(v sha1chain.p7s --trust pki/root.pem --dir hist --offline | awk -F' [|] ' '{ print $1, ($2 ~ /SHA-1 signature on the certificate .* accepted/) ? "true" : "false" }')"
check_eq "without the key the same file stays indeterminate" indeterminate \
	"$(v sha1chain.p7s --trust pki/root.pem --dir inst --offline | cut -d' ' -f1)"
printf '\n[verify]\nallow_sha1 = maybe\n' >>inst/sertel.conf
check_rc "a bad allow_sha1 value is a configuration error (exit 2)" 2 \
	"$S" verify doc.txt --sig doc.p7s --dir inst --offline

finish
