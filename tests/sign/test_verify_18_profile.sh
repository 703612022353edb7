#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18, "Also": sertel's own certificate profile against the CA/B
# Baseline Requirements subject and extension rules, with openssl as the
# judge where it can judge (x509lint is used when installed).
#   - L and ST in every end-entity subject, from `init --state --locality`
#     ([instance] state / locality).
#   - an ssl-server certificate's CN is one of its --dns / --ip names.
#   - emailProtection only with an rfc822Name (signing without --email:
#     no emailProtection; usage email without one: refused).
#   - ssl-server certificates at most 398 days ([validity] tls).
#   - a document-only certificate has an EKU (Microsoft Document
#     Encryption), so neither openssl nor verify-cert takes it for TLS;
#     verify-cert --purpose ssl-server refuses a certificate without EKU.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verify18profile
S=$SERTEL_BIN
for tool in openssl jq; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed"
done
cd "$T" || die "cd $T"
make_instance "$T/inst" --org "Pemkot Cirebon" --state "Jawa Barat" --locality "Kota Cirebon" ||
	die "init: $(cat "$T/inst.init.err")"
check_eq "init writes [instance] state and locality" "Jawa Barat|Kota Cirebon" \
	"$(sed -n 's/^state = //p' inst/sertel.conf)|$(sed -n 's/^locality = //p' inst/sertel.conf)"
check_eq "init writes [validity] tls = 398" 398 "$(sed -n 's/^tls = //p' inst/sertel.conf)"
check_rc "init --state with a control character: exit 2" 2 \
	"$S" init --dir "$T/bad" --state "$(printf 'Jawa\tBarat')"
"$S" ca export --dir inst --out ca/ >/dev/null || die "ca export"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.key 2>/dev/null
openssl req -new -key k.key -subj /CN=x -out k.csr 2>/dev/null
# issue NAME ARGS...: a certificate from the instance into NAME.pem.
issue() {
	local n=$1
	shift
	"$S" cert issue --dir inst --csr k.csr --out $n.pem "$@" >/dev/null 2>$n.err
}
eku() { openssl x509 -in $1.pem -noout -ext extendedKeyUsage 2>/dev/null | sed -n '2p' | tr -d ' '; }
san() { openssl x509 -in $1.pem -noout -ext subjectAltName 2>/dev/null | sed -n '2p' | tr -d ' '; }
days() {
	local nb na
	nb=$(date -u -d "$(openssl x509 -in $1.pem -noout -startdate | cut -d= -f2)" +%s)
	na=$(date -u -d "$(openssl x509 -in $1.pem -noout -enddate | cut -d= -f2)" +%s)
	echo $(((na - nb + 43200) / 86400))
}
ossl() { openssl verify -CAfile ca/root.pem -untrusted ca/issuing.pem -purpose $2 $1.pem >/dev/null 2>&1; echo $?; }
VC="$S verify-cert --trust ca/root.pem --untrusted ca/issuing.pem"

# ---- subjects: C, ST, L, O ... CN ------------------------------------------
issue sign-mail --type individu --usage signing --cn "Budi Santoso" --email budi@cirebonkota.go.id ||
	die "issue sign-mail: $(cat sign-mail.err)"
check_eq "subject: C, ST, L, O, CN (RFC 2253 order reversed)" \
	"CN=Budi Santoso,O=Pemkot Cirebon,L=Kota Cirebon,ST=Jawa Barat,C=ID" \
	"$(openssl x509 -in sign-mail.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
if command -v x509lint >/dev/null 2>&1; then
	openssl x509 -in sign-mail.pem -outform PEM -out lint.pem
	check "x509lint: no error on the subject" sh -c "! x509lint lint.pem | grep -q '^E:.*\\(locality\\|state\\)'"
else
	note "x509lint not installed: subject rule checked by the model only"
fi

# ---- emailProtection needs an rfc822Name -------------------------------------
check_eq "signing with --email: documentSigning, emailProtection, the address as SAN" \
	"1.3.6.1.5.5.7.3.36,E-mailProtection email:budi@cirebonkota.go.id" \
	"$(eku sign-mail) $(san sign-mail)"
issue sign-nomail --type individu --usage signing --cn "Siti Aminah" || die "issue: $(cat sign-nomail.err)"
check_eq "signing without --email: documentSigning only, no SAN" "1.3.6.1.5.5.7.3.36 " \
	"$(eku sign-nomail) $(san sign-nomail)"
check_eq "... openssl: not an S/MIME certificate (smimesign refused)" 2 "$(ossl sign-nomail smimesign)"
check_rc "... verify-cert --purpose signing: valid" 0 $VC --purpose signing sign-nomail.pem
check_rc "sistem with usage email and only a DNS name: refused (exit 2)" 2 \
	"$S" cert issue --dir inst --csr k.csr --out x.pem --type sistem --usage email \
	--cn "Sistem Surat" --dns surat.cirebonkota.go.id
check "... the rule is named" sh -c "'$S' cert issue --dir inst --csr k.csr --out x.pem --type sistem --usage email --cn 'Sistem Surat' --dns surat.cirebonkota.go.id 2>&1 | grep -q 'e-mail address is required'"
issue sys-sign --type sistem --usage signing --cn "Sistem Arsip" --dns arsip.cirebonkota.go.id ||
	die "issue sys-sign: $(cat sys-sign.err)"
check_eq "sistem signing with only a DNS name: no emailProtection" 1.3.6.1.5.5.7.3.36 "$(eku sys-sign)"

# ---- TLS server certificates -----------------------------------------------
issue tls --type sistem --usage ssl-server --cn app.cirebonkota.go.id \
	--dns app.cirebonkota.go.id --dns www.app.cirebonkota.go.id --ip 10.9.8.7 ||
	die "issue tls: $(cat tls.err)"
check_eq "ssl-server: 398 days, not the sistem type's 730" 398 "$(days tls)"
check_eq "... openssl -purpose sslserver accepts it" 0 "$(ossl tls sslserver)"
check_rc "... verify-cert --purpose ssl-server --hostname its CN: valid" 0 \
	$VC --purpose ssl-server --hostname app.cirebonkota.go.id tls.pem
check_rc "ssl-server with a CN not among its names: refused (exit 2)" 2 \
	"$S" cert issue --dir inst --csr k.csr --out x.pem --type sistem --usage ssl-server \
	--cn "Aplikasi Pelayanan" --dns app.cirebonkota.go.id
check "... the rule is named" sh -c "'$S' cert issue --dir inst --csr k.csr --out x.pem --type sistem --usage ssl-server --cn 'Aplikasi Pelayanan' --dns app.cirebonkota.go.id 2>&1 | grep -q 'must be one of the certificate.s --dns or --ip names'"
issue tls-ip --type sistem --usage ssl-server --cn 10.9.8.7 --ip 10.9.8.7 || die "tls-ip: $(cat tls-ip.err)"
check "ssl-server with an IP as CN and SAN: issued" test -s tls-ip.pem
issue sys-other --type sistem --usage signing --cn "Sistem Arsip" --dns arsip.cirebonkota.go.id
check_eq "sistem without ssl-server keeps the type's 730 days" 730 "$(days sys-other)"
printf '\n[validity]\ntls = 200\n' >>inst/sertel.conf
issue tls200 --type sistem --usage ssl-server --cn app.cirebonkota.go.id --dns app.cirebonkota.go.id ||
	die "tls200: $(cat tls200.err)"
check_eq "[validity] tls = 200: 200 days" 200 "$(days tls200)"
printf '\n[validity]\ntls = 0\n' >>inst/sertel.conf
check_rc "[validity] tls = 0: a configuration error (exit 2)" 2 \
	"$S" cert issue --dir inst --csr k.csr --out x.pem --type sistem --usage ssl-server \
	--cn app.cirebonkota.go.id --dns app.cirebonkota.go.id
sed -i '$d' inst/sertel.conf

# ---- document-only certificates are not TLS certificates ---------------------
issue doc --type individu --usage document --cn "Dewi Lestari" --email dewi@cirebonkota.go.id ||
	die "issue doc: $(cat doc.err)"
check_eq "document: EKU Microsoft Document Encryption" 1.3.6.1.4.1.311.80.1 "$(eku doc)"
check_eq "... openssl -purpose sslserver refuses it" 2 "$(ossl doc sslserver)"
check_rc "... verify-cert --purpose ssl-server refuses it (exit 1)" 1 $VC --purpose ssl-server doc.pem
check_rc "... sertel protect still encrypts to it" 0 sh -c \
	"echo rahasia >plain.txt && '$S' protect encrypt plain.txt --out plain.p7m --to doc.pem"
# A certificate without any EKU (made with openssl): openssl takes it for
# TLS, verify-cert --purpose ssl-server does not.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout r.key -subj /CN=Uji \
	-days 30 -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign" \
	-out r.pem 2>/dev/null || die "root"
printf 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,keyAgreement\nsubjectAltName=DNS:noeku.example.go.id\n' >e.ext
openssl req -new -key k.key -subj /CN=noeku.example.go.id -out n.csr 2>/dev/null &&
	openssl x509 -req -in n.csr -CA r.pem -CAkey r.key -set_serial 5 -days 20 -extfile e.ext \
		-out noeku.pem 2>/dev/null || die "noeku"
check_eq "no EKU: openssl -purpose sslserver accepts it (what the issue saw)" 0 \
	"$(openssl verify -CAfile r.pem -purpose sslserver noeku.pem >/dev/null 2>&1; echo $?)"
check_rc "no EKU: verify-cert --purpose ssl-server: not valid (exit 1)" 1 \
	"$S" verify-cert --trust r.pem --purpose ssl-server noeku.pem
check "... the reason names serverAuth" sh -c \
	"'$S' verify-cert --trust r.pem --purpose ssl-server noeku.pem | grep -q 'serverAuth required for ssl-server'"
check_rc "no EKU: --purpose any still valid" 0 "$S" verify-cert --trust r.pem noeku.pem
finish
