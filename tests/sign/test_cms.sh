#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CAdES, S/MIME and document protection judged by tools nobody here wrote:
#  1. sertel sign cms (CAdES-B, B-T): `openssl cms -verify -binary -content`
#     with the instance root; the attributes EN 319 122-1 asks for; the
#     signature timestamp with `openssl ts -verify`; keys from files (EC,
#     RSA, encrypted PKCS#8) and a key sealed in the instance (--nik).
#  2. sertel smime sign/verify/encrypt/decrypt: `openssl cms` both ways,
#     `gpgsm --verify` (root imported and trusted in a throwaway GNUPGHOME;
#     CRL checks disabled with --disable-crl-checks, see docs/SIGNING.md).
#  3. sertel protect encrypt/decrypt: `openssl cms -decrypt` of what sertel
#     encrypts and the reverse, GCM (AuthEnvelopedData) and CBC, RSA and EC.
#  Negative: wrong key, wrong passphrase, tampered data, From mismatch,
#  untrusted root, recipients whose keyUsage forbids encryption.
. "$(cd "$(dirname "$0")/../interop" && pwd)/lib.sh"
lib_setup cms

export LC_ALL=C
S=$SERTEL_BIN
I=$T/inst
W=$T/w
mkdir -p "$W"
command -v gpgsm >/dev/null 2>&1 || die "gpgsm is not installed"
make_instance "$I" --org "Pemerintah Kota Palembang" || die "init failed: $(cat "$I.init.err")"
"$S" ca export --dir "$I" --out "$W/ca" >/dev/null || die "ca export failed"
ROOT=$W/ca/root.pem
ISSUING=$W/ca/issuing.pem
server_start "$I" || die "server did not start"
TSA=$SERVER_URL/tsa

# ---- keys and certificates ------------------------------------------------
# issue NAME KEYFILE USAGES: certificate for the key, e-mail NAME@palembang.go.id.
issue() {
	local name=$1 key=$2 usages=$3
	openssl req -new -key "$key" -subj "/CN=$name" -out "$W/$name.csr" 2>/dev/null || return 1
	"$S" cert issue --dir "$I" --csr "$W/$name.csr" --type individu --usage "$usages" \
		--cn "$name" --email "$name@palembang.go.id" --json >"$W/$name.json" 2>"$W/$name.err" || return 1
	jq -r .certificate "$W/$name.json" >"$W/$name.pem"
}
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/ec.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$W/rsa.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/other.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/signonly.key" 2>/dev/null
issue budi "$W/ec.key" signing,email,document || die "EC certificate: $(cat "$W/budi.err")"
issue ani "$W/rsa.key" signing,email,document || die "RSA certificate: $(cat "$W/ani.err")"
issue other "$W/other.key" signing,email,document || die "other certificate: $(cat "$W/other.err")"
issue signonly "$W/signonly.key" signing || die "signing certificate: $(cat "$W/signonly.err")"
printf 'Kunci-Rahasia-2026\n' >"$W/pass.txt"
printf 'salah-sandi\n' >"$W/wrong.txt"
openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$W/ec.key" -passout file:"$W/pass.txt" -out "$W/ec-enc.key" 2>/dev/null
openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$W/ec.key" -passout file:"$W/pass.txt" -outform DER -out "$W/ec-enc.der" 2>/dev/null

# ---- 1. CAdES ---------------------------------------------------------------
printf 'Surat Keputusan Wali Kota Palembang Nomor 1 Tahun 2026\n' >"$W/doc.txt"
head -c 300000 /dev/urandom >"$W/doc.bin"

cms_ok() { # SIG CONTENT: openssl verifies it against the instance root
	openssl cms -verify -binary -content "$2" -inform DER -in "$1" -CAfile "$ROOT" \
		-purpose any -out /dev/null >/dev/null 2>&1
}
check_rc "sign cms (EC, CAdES-B)" 0 "$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --chain "$ISSUING" --out "$W/doc.p7s"
check "openssl cms -verify accepts the EC signature" cms_ok "$W/doc.p7s" "$W/doc.txt"
openssl cms -cmsout -print -inform DER -in "$W/doc.p7s" >"$W/doc.print" 2>/dev/null
for a in contentType messageDigest signingTime id-smime-aa-signingCertificateV2; do
	check "CAdES-B has signed attribute $a" grep -q "object: $a " "$W/doc.print"
done
check "the signing-certificate-v2 names the issuer and serial (issuerSerial)" \
	bash -c "openssl cms -cmsout -print -inform DER -in '$W/doc.p7s' | grep -A12 signingCertificateV2 | grep -q 'cont \[ 4 \]'"
check_eq "the certificates are the signer and the issuing CA (not the root)" 2 \
	"$(openssl pkcs7 -inform DER -in "$W/doc.p7s" -print_certs 2>/dev/null | grep -c '^subject')"
check "eContent is absent (detached)" bash -c "grep -A3 'encapContentInfo' '$W/doc.print' | grep -q 'eContent: <ABSENT>'"
cp "$W/doc.txt" "$W/doc-tampered.txt"
printf 'x' >>"$W/doc-tampered.txt"
check "openssl rejects the signature over a changed file" bash -c "! openssl cms -verify -binary -content '$W/doc-tampered.txt' -inform DER -in '$W/doc.p7s' -CAfile '$ROOT' -purpose any -out /dev/null 2>/dev/null"
check "openssl rejects it against a foreign root" bash -c "! openssl cms -verify -binary -content '$W/doc.txt' -inform DER -in '$W/doc.p7s' -CAfile '$W/other.pem' -purpose any -out /dev/null 2>/dev/null"

cat "$W/budi.pem" "$ISSUING" "$ISSUING" >"$W/fullchain.pem"
check_rc "sign cms with a fullchain file (signer and a repeated CA in --chain)" 0 "$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --chain "$W/fullchain.pem" --out "$W/full.p7s"
check "... verifies" cms_ok "$W/full.p7s" "$W/doc.txt"
check_eq "... each certificate once" 2 "$(openssl pkcs7 -inform DER -in "$W/full.p7s" -print_certs 2>/dev/null | grep -c '^subject')"
check_rc "sign cms (RSA, 300 kB binary file)" 0 "$S" sign cms "$W/doc.bin" --key "$W/rsa.key" --cert "$W/ani.pem" --chain "$ISSUING" --out "$W/bin.p7s" --json
check "openssl cms -verify accepts the RSA signature" cms_ok "$W/bin.p7s" "$W/doc.bin"
check_rc "sign cms with an encrypted PKCS#8 key (PEM) and --pass-file" 0 "$S" sign cms "$W/doc.txt" --key "$W/ec-enc.key" --pass-file "$W/pass.txt" --cert "$W/budi.pem" --chain "$ISSUING" --out "$W/enc.p7s"
check "... verifies" cms_ok "$W/enc.p7s" "$W/doc.txt"
check_rc "sign cms with an encrypted PKCS#8 key (DER)" 0 "$S" sign cms "$W/doc.txt" --key "$W/ec-enc.der" --pass-file "$W/pass.txt" --cert "$W/budi.pem" --chain "$ISSUING" --out "$W/encder.p7s"
check "... verifies" cms_ok "$W/encder.p7s" "$W/doc.txt"
check_rc "wrong passphrase for the key file: exit 2" 2 "$S" sign cms "$W/doc.txt" --key "$W/ec-enc.key" --pass-file "$W/wrong.txt" --cert "$W/budi.pem" --out "$W/x.p7s"
check_rc "encrypted key without --pass-file: exit 2" 2 "$S" sign cms "$W/doc.txt" --key "$W/ec-enc.key" --cert "$W/budi.pem" --out "$W/x.p7s"
check_rc "a key that does not belong to the certificate: exit 2" 2 "$S" sign cms "$W/doc.txt" --key "$W/rsa.key" --cert "$W/budi.pem" --out "$W/x.p7s"
check "nothing written by the refused runs" test ! -e "$W/x.p7s"
check_rc "no signer: exit 2" 2 "$S" sign cms "$W/doc.txt" --out "$W/x.p7s"
check_rc "missing input file: exit 2" 2 "$S" sign cms "$W/nope.txt" --key "$W/ec.key" --cert "$W/budi.pem" --out "$W/x.p7s"

# B-T: the signature timestamp from the instance's TSA.
check_rc "sign cms --tsa (CAdES-B-T)" 0 "$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --chain "$ISSUING" --tsa "$TSA" --out "$W/doc-t.p7s"
check "openssl cms -verify accepts the B-T signature" cms_ok "$W/doc-t.p7s" "$W/doc.txt"
# Cut the token and the signature value out of the DER with asn1parse.
extract_t() {
	local p7s=$1 line off hl len sig
	openssl asn1parse -inform DER -in "$p7s" >"$W/t.asn" 2>/dev/null || return 1
	# The SEQUENCE inside the SET after the id-smime-aa-timeStampToken OID.
	line=$(awk '/:id-smime-aa-timeStampToken/ { getline; getline; print; exit }' "$W/t.asn")
	off=$(echo "$line" | sed 's/^ *\([0-9]*\):.*/\1/')
	hl=$(echo "$line" | sed 's/.*hl= *\([0-9]*\).*/\1/')
	len=$(echo "$line" | sed 's/.*l= *\([0-9]*\) cons.*/\1/')
	[ -n "$off" ] && [ -n "$hl" ] && [ -n "$len" ] || return 1
	dd if="$p7s" of="$W/token.der" bs=1 skip="$off" count=$((hl + len)) 2>/dev/null
	# The signature value: the last OCTET STRING before the unsigned attributes.
	sig=$(awk '/:id-smime-aa-timeStampToken/ { print last; exit } /prim: OCTET STRING/ { last = $0 }' "$W/t.asn")
	off=$(echo "$sig" | sed 's/^ *\([0-9]*\):.*/\1/')
	hl=$(echo "$sig" | sed 's/.*hl= *\([0-9]*\).*/\1/')
	len=$(echo "$sig" | sed 's/.*l= *\([0-9]*\) prim.*/\1/')
	dd if="$p7s" of="$W/sigvalue.bin" bs=1 skip=$((off + hl)) count="$len" 2>/dev/null
}
check "the B-T signature carries id-aa-signatureTimeStampToken" extract_t "$W/doc-t.p7s"
cat "$ISSUING" "$W/ca/tsa.pem" >"$W/tsa-chain.pem"
check "openssl ts -verify: the token covers the signature value" \
	quiet openssl ts -verify -data "$W/sigvalue.bin" -in "$W/token.der" -token_in -CAfile "$ROOT" -untrusted "$W/tsa-chain.pem"
printf 'not the signature' >"$W/notsig.bin"
check "openssl ts -verify refuses other data" bash -c "! openssl ts -verify -data '$W/notsig.bin' -in '$W/token.der' -token_in -CAfile '$ROOT' -untrusted '$W/tsa-chain.pem' >/dev/null 2>&1"
# A replaying TSA: a genuine reply from the instance's TSA, but to another
# request (other imprint, other nonce), served for every POST.
openssl ts -query -data "$W/doc.bin" -sha256 -cert -out "$W/other.tsq" 2>/dev/null
curl -s --max-time 10 -H 'Content-Type: application/timestamp-query' --data-binary @"$W/other.tsq" -o "$W/other.tsr" "$TSA"
REPLAY_PORT=$(free_port)
python3 - "$W/other.tsr" "$REPLAY_PORT" >"$W/replay.log" 2>&1 <<'PY' &
import sys, http.server
reply = open(sys.argv[1], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        ctype = 'text/plain' if self.path == '/text' else 'application/timestamp-reply'
        self.send_response(200)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[2])), H).serve_forever()
PY
REPLAY_PID=$!
for i in $(seq 1 50); do curl -s -o /dev/null -X POST "http://127.0.0.1:$REPLAY_PORT/" && break; sleep 0.1; done
"$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --tsa "http://127.0.0.1:$REPLAY_PORT/" --out "$W/x.p7s" >/dev/null 2>"$W/err"
rc=$?
check_eq "a TSA replaying a reply to another request: exit 2" 2 $rc
check "... because it does not answer the request" grep -q "does not answer the request" "$W/err"
check_rc "a TSA reply that is not application/timestamp-reply: exit 2" 2 "$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --tsa "http://127.0.0.1:$REPLAY_PORT/text" --out "$W/x.p7s"
kill "$REPLAY_PID" 2>/dev/null
wait "$REPLAY_PID" 2>/dev/null
check_rc "an unreachable TSA: exit 2" 2 "$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --tsa "http://127.0.0.1:1/tsa" --out "$W/x.p7s"
check_rc "a TSA URL that is not a TSA (404): exit 2" 2 "$S" sign cms "$W/doc.txt" --key "$W/ec.key" --cert "$W/budi.pem" --tsa "$SERVER_URL/nope" --out "$W/x.p7s"

# A key sealed in the instance, unsealed with its owner's passphrase.
USER=1671014101920003
. "$(cd "$(dirname "$0")" && pwd)/lib_sign.sh"
sign_ra_owner "$I" "$W" $USER "Siti Aminah" siti@kominfo.palembang.go.id signing,email "$W/pass.txt" "$W/siti.pem"
case $? in
1) die "RA setup failed: $(tail -n 3 "$W/ra.log")" ;;
2) die "RA issuance failed: $(tail -n 3 "$W/ra.log")" ;;
esac
check_rc "sign cms with the sealed key (--dir --nik --passphrase-file)" 0 "$S" sign cms "$W/doc.txt" --dir "$I" --nik $USER --passphrase-file "$W/pass.txt" --out "$W/sealed.p7s"
check "openssl cms -verify accepts it (chain from the store)" cms_ok "$W/sealed.p7s" "$W/doc.txt"
openssl cms -verify -binary -content "$W/doc.txt" -inform DER -in "$W/sealed.p7s" -CAfile "$ROOT" \
	-purpose any -signer "$W/sealed-signer.pem" -out /dev/null >/dev/null 2>&1
check_eq "signed by her certificate" "$(openssl x509 -in "$W/siti.pem" -noout -serial)" \
	"$(openssl x509 -in "$W/sealed-signer.pem" -noout -serial 2>/dev/null)"
"$S" sign cms "$W/doc.txt" --dir "$I" --nik $USER --passphrase-file "$W/wrong.txt" --out "$W/x.p7s" >/dev/null 2>"$W/err"
rc=$?
check_eq "wrong passphrase for the sealed key: exit 2" 2 $rc
check "... says the passphrase is wrong" grep -qi "passphrase" "$W/err"
check_rc "a NIK without a signing certificate: exit 2" 2 "$S" sign cms "$W/doc.txt" --dir "$I" --nik $KADIS --passphrase-file "$W/pass.txt" --out "$W/x.p7s"
printf 'From: Siti Aminah <siti@kominfo.palembang.go.id>\nTo: op@kominfo.palembang.go.id\nSubject: Laporan\n\nLaporan bulanan terlampir.\n' >"$W/siti.eml"
check_rc "smime sign with the sealed key" 0 "$S" smime sign "$W/siti.eml" --dir "$I" --nik $USER --passphrase-file "$W/pass.txt" --out "$W/siti-signed.eml"
check_rc "... verifies against the instance root (--dir)" 0 "$S" smime verify "$W/siti-signed.eml" --dir "$I"
check_eq "sign cms --tsa --json reports B-T" "B-T" "$("$S" sign cms "$W/doc.txt" --dir "$I" --nik $USER --passphrase-file "$W/pass.txt" --tsa "$TSA" --out "$W/sealed-t.p7s" --json | jq -r .level)"
check "... and it verifies" cms_ok "$W/sealed-t.p7s" "$W/doc.txt"
inst_sql "$I" "UPDATE sealed_keys SET locked = 1 WHERE nik = '$USER'"
"$S" sign cms "$W/doc.txt" --dir "$I" --nik $USER --passphrase-file "$W/pass.txt" --out "$W/x.p7s" >/dev/null 2>"$W/err"
rc=$?
check_eq "a locked sealed key: exit 2" 2 $rc
check "... says it is locked" grep -qi "locked" "$W/err"
inst_sql "$I" "UPDATE sealed_keys SET locked = 0 WHERE nik = '$USER'"
"$S" cert revoke --dir "$I" "$(openssl x509 -in "$W/siti.pem" -noout -serial | cut -d= -f2 | tr A-F a-f)" --reason keyCompromise >/dev/null 2>&1 ||
	fail "revoking her certificate"
"$S" smime verify "$W/siti-signed.eml" --dir "$I" --json >"$W/rev.json" 2>/dev/null
rc=$?
check_eq "smime verify --dir after her revocation: not valid (exit 1)" 1 $rc
check "... because the instance CRL says revoked" grep -qi "revoked" "$W/rev.json"
check_eq "... revocation was checked" true "$(jq -r .revocation_checked "$W/rev.json")"
"$S" crl --dir "$I" --out "$W/issuing.crl" >/dev/null 2>&1
"$S" crl --dir "$I" --issuer root --out "$W/root.crl" >/dev/null 2>&1
{ openssl crl -inform DER -in "$W/issuing.crl"; openssl crl -inform DER -in "$W/root.crl"; } >"$W/crls.pem" 2>/dev/null
"$S" smime verify "$W/siti-signed.eml" --trust "$ROOT" --crl "$W/crls.pem" --json >"$W/rev2.json" 2>/dev/null
rc=$?
check_eq "smime verify --trust --crl (CRLs from sertel crl): not valid (exit 1)" 1 $rc
check "... revoked" grep -qi "revoked" "$W/rev2.json"
check_rc "smime verify --trust --crl with only the issuing CA's CRL: status of the CA unknown (exit 1)" 1 "$S" smime verify "$W/siti-signed.eml" --trust "$ROOT" --crl "$W/issuing.crl"
check_rc "smime verify --trust without CRLs cannot know: exit 0" 0 "$S" smime verify "$W/siti-signed.eml" --trust "$ROOT"
check_rc "a revoked certificate's sealed key is not used: exit 2" 2 "$S" sign cms "$W/doc.txt" --dir "$I" --nik $USER --passphrase-file "$W/pass.txt" --out "$W/x.p7s"
check "nothing written by the refused runs" test ! -e "$W/x.p7s"

# ---- 2. S/MIME -------------------------------------------------------------
cat >"$W/mail.eml" <<'EOF'
From: Budi Santoso <budi@palembang.go.id>
To: ani@palembang.go.id
Subject: Undangan rapat koordinasi
Date: Sun, 22 Nov 2026 09:00:00 +0700
Message-ID: <rapat-1@palembang.go.id>

Yth. Ibu Ani,

Mohon hadir pada rapat koordinasi hari Senin pukul 09.00 WIB.
From the desk of Budi (this line starts with From).

Salam,
Budi
EOF
check_rc "smime sign" 0 "$S" smime sign "$W/mail.eml" --key "$W/ec.key" --cert "$W/budi.pem" --chain "$ISSUING" --out "$W/signed.eml"
check "openssl cms -verify (S/MIME input) accepts the signed message" \
	bash -c "openssl cms -verify -in '$W/signed.eml' -CAfile '$ROOT' -out '$W/signed.inner' 2>/dev/null"
check "the signed inner entity carries the body" grep -q "rapat koordinasi hari Senin" "$W/signed.inner"
outer=$(awk 'BEGIN { RS = "\r\n\r\n" } NR == 1 { print; exit }' "$W/signed.eml")
for h in From To Subject Date Message-ID; do
	check "outer header $h kept" bash -c "printf '%s\n' \"\$1\" | grep -q '^$h: '" _ "$outer"
done
check "outer Content-Type is multipart/signed with protocol and micalg=sha-256" \
	bash -c "printf '%s' \"\$1\" | tr -d '\r\n' | grep -q 'multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256'" _ "$outer"
check "the message is CRLF canonical" bash -c "! grep -q \$'[^\r]\$' '$W/signed.eml'"
check_rc "sertel smime verify: valid (exit 0)" 0 "$S" smime verify "$W/signed.eml" --trust "$ROOT"
check_eq "verify --dir checks revocation with the instance's CRLs" "valid true" \
	"$("$S" smime verify "$W/signed.eml" --dir "$I" --json | jq -r '"\(.verdict) \(.revocation_checked)"')"
check_eq "verify --json says valid, From matches" "valid true" \
	"$("$S" smime verify "$W/signed.eml" --dir "$I" --json | jq -r '"\(.verdict) \(.from_ok)"')"
# gpgsm, detached: the first part and the signature, cut out of the MIME.
python3 - "$W/signed.eml" "$W/part1.bin" "$W/smime.p7s" <<'PY'
import sys, re, base64
m = open(sys.argv[1], 'rb').read()
b = re.search(rb'boundary="([^"]+)"', m).group(1)
d = b'\r\n--' + b
start = m.index(b'--' + b + b'\r\n') + len(b) + 4
end = m.index(d, start)
open(sys.argv[2], 'wb').write(m[start:end])
sig = m[end + len(d) + 2:m.index(d + b'--')]
body = sig.split(b'\r\n\r\n', 1)[1]
open(sys.argv[3], 'wb').write(base64.b64decode(b''.join(body.split())))
PY
export GNUPGHOME=$T/gnupg
mkdir -m 700 -p "$GNUPGHOME"
printf 'disable-crl-checks\n' >"$GNUPGHOME/gpgsm.conf"
gpgsm --batch --import "$ROOT" "$ISSUING" >/dev/null 2>&1
FPR=$(openssl x509 -in "$ROOT" -noout -fingerprint -sha1 | cut -d= -f2)
printf '%s S relax\n' "$FPR" >"$GNUPGHOME/trustlist.txt"
gpgsm --batch --disable-crl-checks --verify "$W/smime.p7s" "$W/part1.bin" >"$W/gpgsm.out" 2>&1
rc=$?
check_eq "gpgsm --verify accepts the S/MIME signature (exit)" 0 $rc
check "gpgsm reports a good signature" grep -q "Good signature" "$W/gpgsm.out"
printf 'x' >>"$W/part1.bin"
check "gpgsm --verify rejects a changed part" bash -c "! gpgsm --batch --disable-crl-checks --verify '$W/smime.p7s' '$W/part1.bin' >/dev/null 2>&1"
sed 's/hari Senin/hari Selasa/' "$W/signed.eml" >"$W/tampered.eml"
check_rc "sertel smime verify: tampered body is not valid (exit 1)" 1 "$S" smime verify "$W/tampered.eml" --trust "$ROOT"
check "openssl agrees it is tampered" bash -c "! openssl cms -verify -in '$W/tampered.eml' -CAfile '$ROOT' -out /dev/null 2>/dev/null"
sed 's/^From: Budi Santoso <budi@/From: Budi Santoso <ani@/' "$W/signed.eml" >"$W/forged.eml"
check_rc "sertel smime verify: From not the signer's address (exit 1)" 1 "$S" smime verify "$W/forged.eml" --trust "$ROOT"
check_eq "... signature itself still fine, From check failed" "true false" \
	"$("$S" smime verify "$W/forged.eml" --trust "$ROOT" --json | jq -r '"\(.signature_ok) \(.from_ok)"')"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/fake.key" -subj "/CN=Fake Root" -days 30 -out "$W/fakeroot.pem" 2>/dev/null
check_rc "sertel smime verify: untrusted root (exit 1)" 1 "$S" smime verify "$W/signed.eml" --trust "$W/fakeroot.pem"
check_rc "sertel smime verify: not S/MIME (exit 2)" 2 "$S" smime verify "$W/mail.eml" --trust "$ROOT"
check_rc "smime sign with the RSA key" 0 "$S" smime sign "$W/mail.eml" --key "$W/rsa.key" --cert "$W/ani.pem" --chain "$ISSUING" --out "$W/signed-rsa.eml"
check_rc "... verified by sertel: From is Budi, certificate is Ani's (exit 1)" 1 "$S" smime verify "$W/signed-rsa.eml" --trust "$ROOT"
check "... but openssl accepts the signature" bash -c "openssl cms -verify -in '$W/signed-rsa.eml' -CAfile '$ROOT' -out /dev/null 2>/dev/null"
# openssl's own S/MIME signature, verified by sertel.
openssl cms -sign -in "$W/mail.eml" -signer "$W/budi.pem" -inkey "$W/ec.key" -certfile "$ISSUING" \
	-from "budi@palembang.go.id" -to "ani@palembang.go.id" -subject "dari openssl" -out "$W/ossl-signed.eml" 2>/dev/null
check_rc "sertel smime verify accepts a message signed by openssl cms -sign" 0 "$S" smime verify "$W/ossl-signed.eml" --trust "$ROOT"
openssl cms -sign -nodetach -in "$W/mail.eml" -signer "$W/budi.pem" -inkey "$W/ec.key" -certfile "$ISSUING" \
	-from "budi@palembang.go.id" -to "ani@palembang.go.id" -subject "opaque" -out "$W/ossl-opaque.eml" 2>/dev/null
check "openssl wrote opaque signed-data" grep -q "smime-type=signed-data" "$W/ossl-opaque.eml"
check_rc "sertel smime verify accepts opaque signed-data (RFC 8551 3.5.2)" 0 "$S" smime verify "$W/ossl-opaque.eml" --trust "$ROOT"
sed 's/^From: budi@/From: ani@/' "$W/ossl-opaque.eml" >"$W/ossl-opaque-forged.eml"
check_rc "... and refuses it under another From (exit 1)" 1 "$S" smime verify "$W/ossl-opaque-forged.eml" --trust "$ROOT"

# Encryption, both ways.
check_rc "smime encrypt to EC and RSA recipients (GCM)" 0 "$S" smime encrypt "$W/mail.eml" --to "$W/budi.pem" --to "$W/ani.pem" --out "$W/enc.eml"
check "smime-type=authEnveloped-data" grep -q "smime-type=authEnveloped-data" "$W/enc.eml"
check "outer Subject kept in clear" grep -q "^Subject: Undangan rapat koordinasi" "$W/enc.eml"
check "body not in clear" bash -c "! grep -q 'rapat koordinasi hari' '$W/enc.eml'"
check_rc "smime verify of an encrypted message: exit 2 (decrypt first)" 2 "$S" smime verify "$W/enc.eml" --trust "$ROOT"
check "openssl cms -decrypt with the EC key" bash -c "openssl cms -decrypt -in '$W/enc.eml' -recip '$W/budi.pem' -inkey '$W/ec.key' 2>/dev/null | grep -q 'hari Senin'"
check "openssl cms -decrypt with the RSA key" bash -c "openssl cms -decrypt -in '$W/enc.eml' -recip '$W/ani.pem' -inkey '$W/rsa.key' 2>/dev/null | grep -q 'hari Senin'"
check_rc "smime encrypt --cbc" 0 "$S" smime encrypt "$W/mail.eml" --to "$W/ani.pem" --cbc --out "$W/enc-cbc.eml"
check "smime-type=enveloped-data" grep -q "smime-type=enveloped-data" "$W/enc-cbc.eml"
check "openssl cms -decrypt the CBC message" bash -c "openssl cms -decrypt -in '$W/enc-cbc.eml' -recip '$W/ani.pem' -inkey '$W/rsa.key' 2>/dev/null | grep -q 'hari Senin'"
check_rc "sertel smime decrypt (EC key)" 0 "$S" smime decrypt "$W/enc.eml" --key "$W/ec.key" --cert "$W/budi.pem" --out "$W/dec.eml"
check "decrypted message has the outer Subject and the body" bash -c "grep -q '^Subject: Undangan' '$W/dec.eml' && grep -q 'hari Senin' '$W/dec.eml'"
check_rc "sertel smime decrypt (RSA key, no --cert)" 0 "$S" smime decrypt "$W/enc.eml" --key "$W/rsa.key" --out "$W/dec2.eml"
check_rc "sertel smime decrypt with a key that is not a recipient: exit 2" 2 "$S" smime decrypt "$W/enc.eml" --key "$W/other.key" --out "$W/x.eml"
openssl cms -encrypt -aes256 -in "$W/mail.eml" -out "$W/ossl-enc.eml" "$W/ani.pem" 2>/dev/null
check_rc "sertel smime decrypt of openssl cms -encrypt" 0 "$S" smime decrypt "$W/ossl-enc.eml" --key "$W/rsa.key" --out "$W/dec3.eml"
check "... recovers the text" grep -q "hari Senin" "$W/dec3.eml"
# Sign then encrypt, decrypt then verify.
check_rc "encrypting the signed message" 0 "$S" smime encrypt "$W/signed.eml" --to "$W/ani.pem" --out "$W/signenc.eml"
check_rc "... decrypting it" 0 "$S" smime decrypt "$W/signenc.eml" --key "$W/rsa.key" --out "$W/signdec.eml"
check_rc "... and the signature still verifies" 0 "$S" smime verify "$W/signdec.eml" --trust "$ROOT"

# ---- 3. document protection ---------------------------------------------------
check_rc "protect encrypt to EC and RSA (default GCM)" 0 "$S" protect encrypt "$W/doc.bin" --to "$W/budi.pem" --to "$W/ani.pem" --out "$W/doc.p7m"
openssl cms -cmsout -print -inform DER -in "$W/doc.p7m" >"$W/p7m.print" 2>/dev/null
check "AuthEnvelopedData (id-smime-ct-authEnvelopedData)" grep -q "id-smime-ct-authEnvelopedData" "$W/p7m.print"
check "AES-256-GCM" grep -qi "aes-256-gcm" "$W/p7m.print"
check "EC recipient uses ECDH with the SHA-256 KDF" grep -q "dhSinglePass-stdDH-sha256kdf-scheme" "$W/p7m.print"
check "openssl cms -decrypt with the EC key gives the file back" bash -c "openssl cms -decrypt -binary -inform DER -in '$W/doc.p7m' -recip '$W/budi.pem' -inkey '$W/ec.key' -out '$W/o1.bin' 2>/dev/null && cmp -s '$W/o1.bin' '$W/doc.bin'"
check "openssl cms -decrypt with the RSA key gives the file back" bash -c "openssl cms -decrypt -binary -inform DER -in '$W/doc.p7m' -recip '$W/ani.pem' -inkey '$W/rsa.key' -out '$W/o2.bin' 2>/dev/null && cmp -s '$W/o2.bin' '$W/doc.bin'"
check_rc "sertel protect decrypt (EC)" 0 "$S" protect decrypt "$W/doc.p7m" --key "$W/ec.key" --cert "$W/budi.pem" --out "$W/o3.bin"
check "... same bytes" cmp -s "$W/o3.bin" "$W/doc.bin"
check_rc "sertel protect decrypt (RSA, encrypted key file)" 0 bash -c "openssl pkcs8 -topk8 -v2 aes-256-cbc -in '$W/rsa.key' -passout file:'$W/pass.txt' -out '$W/rsa-enc.key' 2>/dev/null && '$S' protect decrypt '$W/doc.p7m' --key '$W/rsa-enc.key' --pass-file '$W/pass.txt' --out '$W/o4.bin'"
check "... same bytes" cmp -s "$W/o4.bin" "$W/doc.bin"
check_rc "protect encrypt --cbc" 0 "$S" protect encrypt "$W/doc.bin" --to "$W/budi.pem" --cbc --out "$W/doc-cbc.p7m"
check "EnvelopedData with AES-256-CBC" bash -c "openssl cms -cmsout -print -inform DER -in '$W/doc-cbc.p7m' | grep -q 'contentType: pkcs7-envelopedData' && openssl cms -cmsout -print -inform DER -in '$W/doc-cbc.p7m' | grep -qi 'aes-256-cbc'"
check "openssl cms -decrypt of the CBC file" bash -c "openssl cms -decrypt -binary -inform DER -in '$W/doc-cbc.p7m' -recip '$W/budi.pem' -inkey '$W/ec.key' -out '$W/o5.bin' 2>/dev/null && cmp -s '$W/o5.bin' '$W/doc.bin'"
for c in aes-256-gcm aes-256-cbc; do
	for who in "budi ec" "ani rsa"; do
		set -- $who
		openssl cms -encrypt -binary -$c -outform DER -in "$W/doc.bin" -out "$W/ossl-$c-$1.p7m" "$W/$1.pem" 2>/dev/null
		check_rc "sertel protect decrypt of openssl cms -encrypt -$c to $2" 0 "$S" protect decrypt "$W/ossl-$c-$1.p7m" --key "$W/$2.key" --out "$W/o-$c-$1.bin"
		check "... same bytes" cmp -s "$W/o-$c-$1.bin" "$W/doc.bin"
	done
done
check_rc "protect encrypt --oaep" 0 "$S" protect encrypt "$W/doc.bin" --to "$W/ani.pem" --oaep --out "$W/doc-oaep.p7m"
check "RSAES-OAEP key transport" bash -c "openssl cms -cmsout -print -inform DER -in '$W/doc-oaep.p7m' | grep -q rsaesOaep"
check "openssl cms -decrypt of the OAEP file" bash -c "openssl cms -decrypt -binary -inform DER -in '$W/doc-oaep.p7m' -recip '$W/ani.pem' -inkey '$W/rsa.key' -out '$W/o6.bin' 2>/dev/null && cmp -s '$W/o6.bin' '$W/doc.bin'"
openssl cms -encrypt -binary -aes-256-gcm -outform DER -in "$W/doc.bin" -out "$W/ossl-oaep.p7m" -recip "$W/ani.pem" -keyopt rsa_padding_mode:oaep 2>/dev/null
check_rc "sertel protect decrypt of openssl cms -encrypt -keyopt rsa_padding_mode:oaep" 0 "$S" protect decrypt "$W/ossl-oaep.p7m" --key "$W/rsa.key" --out "$W/o7.bin"
check "... same bytes" cmp -s "$W/o7.bin" "$W/doc.bin"
check_rc "protect decrypt with a key that is not a recipient: exit 2" 2 "$S" protect decrypt "$W/doc.p7m" --key "$W/other.key" --out "$W/x.bin"
check_rc "protect decrypt with --cert of a non-recipient: exit 2" 2 "$S" protect decrypt "$W/doc.p7m" --key "$W/other.key" --cert "$W/other.pem" --out "$W/x.bin"
check_rc "protect decrypt with a key not matching --cert: exit 2" 2 "$S" protect decrypt "$W/doc.p7m" --key "$W/ec.key" --cert "$W/ani.pem" --out "$W/x.bin"
# Flip one byte of the GCM ciphertext (the tag is the last 18 bytes).
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read()); d[-100] ^= 1
open(sys.argv[2], "wb").write(d)' "$W/doc.p7m" "$W/doc-tampered.p7m"
check_rc "protect decrypt of a tampered GCM file: not valid (exit 1)" 1 "$S" protect decrypt "$W/doc-tampered.p7m" --key "$W/ec.key" --out "$W/x.bin"
check "openssl also refuses the tampered file" bash -c "! openssl cms -decrypt -binary -inform DER -in '$W/doc-tampered.p7m' -recip '$W/budi.pem' -inkey '$W/ec.key' -out /dev/null 2>/dev/null"
check "no plaintext written for refused runs" test ! -e "$W/x.bin"
check_rc "encrypting to a signing-only certificate (no keyAgreement): exit 2" 2 "$S" protect encrypt "$W/doc.bin" --to "$W/signonly.pem" --out "$W/x.p7m"
check_rc "encrypting to a CA certificate: exit 2" 2 "$S" protect encrypt "$W/doc.bin" --to "$ROOT" --out "$W/x.p7m"
check_rc "protect decrypt of garbage: exit 2" 2 "$S" protect decrypt "$W/doc.bin" --key "$W/ec.key" --out "$W/x.bin"
check_rc "protect encrypt without --to: exit 2" 2 "$S" protect encrypt "$W/doc.bin" --out "$W/x.p7m"
check_rc "protect with an unknown subcommand: exit 2" 2 "$S" protect frobnicate "$W/doc.bin" --out "$W/x.p7m"
check_eq "protect encrypt --json" "encrypt" "$("$S" protect encrypt "$W/doc.txt" --to "$W/budi.pem" --out "$W/j.p7m" --json | jq -r .op)"

server_stop
finish
