#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# End to end, for each certificate type (individu, jabatan, sistem), the
# whole lifecycle of the regulations through the CLI: apply, return with
# reasons, complete and resubmit, approve, issue in person (once with the
# owner's CSR, once with a server-generated key sealed under the owner's
# passphrase), receipt, renewal, loss report, re-application.  Judges:
# openssl verify for every certificate, openssl crl -text for the revoked
# one's reason, a real SMTP server on loopback (aiosmtpd) for the notices,
# and `sertel audit verify`.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup ra_e2e
S=$SERTEL_BIN
PY=/usr/bin/python3
$PY -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is not installed"
command -v pdftotext >/dev/null || die "pdftotext is not installed"
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export"
PORT=$(free_port)
MD=$T/maildir
smtp_conf "$I/sertel.conf" "$PORT" "Sertel Kota Cirebon <noreply@cirebonkota.go.id>"
trap 'smtp_stop; on_exit' EXIT
smtp_start "$PORT" "$MD" || die "aiosmtpd did not start"
for _ in $(seq 50); do
	$PY -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
	sleep 0.1
done

# subjects ADDRESS: the subjects delivered to one address, decoded, one a line.
subjects() {
	$PY - "$MD" "$1" <<'PY'
import mailbox, sys, email.header
for m in mailbox.Maildir(sys.argv[1], factory=None, create=False):
    if sys.argv[2] in (m['To'] or ''):
        print(str(email.header.make_header(email.header.decode_header(m['Subject']))))
PY
}
state_of() { "$S" ra show --dir "$I" "$1" --json | jq -r .state; }
serial_of() { "$S" ra show --dir "$I" "$1" --json | jq -r .cert_serial; }
verify() {
	if openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$2" >"$T/v.out" 2>&1; then
		pass "$1: openssl verify"
	else
		fail "$1: openssl verify: $(cat "$T/v.out")"
	fi
}

KOMINFO="Dinas Komunikasi dan Informatika"
DISDIK="Dinas Pendidikan"
KADIS=3274010101800001
OP1=3274010101900001
SITI=3274014101920002
KADIK=3274015505750004
SYSOWNER=3274010606880005
ok "agency Kominfo" "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id
ok "agency Disdik" "$S" agency add --dir "$I" --name "$DISDIK" --domain disdik.cirebonkota.go.id
ok "kepala-dinas" "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas Kominfo" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan,kepala-perangkat-daerah --position "Kepala Dinas"
ok "kepala-dinas appointed" "$S" person appoint --dir "$I" $KADIS --role kepala-dinas
ok "operator" "$S" person add --dir "$I" --as $KADIS --nik $OP1 --name "Operator Satu" --email op1@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
ok "operator appointed" "$S" person appoint --dir "$I" --as $KADIS $OP1 --role operator-op
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/op.key" -subj /CN=x -out "$T/op.csr" 2>/dev/null
ok "the operator's own certificate" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Satu" --nik $OP1 --out "$T/op.pem"
ok "head of Disdik (superior)" "$S" person add --dir "$I" --nik $KADIK --name "Kepala Dinas Pendidikan" --email kadisdik@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon,atasan,kepala-perangkat-daerah --position "Kepala Dinas Pendidikan" --nip 197505152000032001
ok "Siti (individu)" "$S" person add --dir "$I" --nik $SITI --name "Siti Aminah" --email siti@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon --superior $KADIK
ok "the system owner (sistem)" "$S" person add --dir "$I" --nik $SYSOWNER --name "Pengelola SRIKANDI" --email srikandi@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --superior $KADIS

V1=$("$S" ra agreement --dir "$I" --json | jq -r '"\(.version)|\(.sha256)"')
check_eq "before any issuance, the agreement in force is the built-in version 1" 1 "${V1%%|*}"

D=$T/docs
mkdir -p "$D"
for k in pengantar rekomendasi sk penunjukan pernyataan laporan; do
	printf '%%PDF-1.4\n%% %s\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$k" >"$D/$k.pdf"
done
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01 blurred \xff\xd9' >"$D/ktp-blur.jpg"
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01 sharp \xff\xd9' >"$D/ktp.jpg"

# lifecycle TYPE NIK SUPERIOR FIRST_KEY MAIL APPLY_ARGS...: FIRST_KEY is csr or
# generated (the renewal takes the other; the re-application a CSR).
lifecycle() {
	local type=$1 nik=$2 sup=$3 first=$4 mail=$5
	shift 5
	local att=(--attach "pengantar=$D/pengantar.pdf" --attach "rekomendasi=$D/rekomendasi.pdf" --attach "ktp=$D/ktp-blur.jpg")
	[ "$type" = jabatan ] && att+=(--attach "sk=$D/sk.pdf" --attach "penunjukan=$D/penunjukan.pdf")
	local app ren re ser ser2 ser3 k
	printf 'Rahasia-%s-Kuat-2026!\n' "$type" >"$T/$type.pass"

	# issue_as APP KEY OUT [receipt]: the owner, in person.
	issue_as() {
		local a=$1 key=$2 out=$3 rc
		if [ "$key" = csr ]; then
			openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out.key" -subj /CN=x -out "$out.csr" 2>/dev/null
			"$S" ra issue --dir "$I" "$a" --as "$nik" --accept-agreement --csr "$out.csr" --out "$out" --receipt "$out.receipt.pdf" >"$T/out" 2>"$T/err"
		else
			"$S" ra issue --dir "$I" "$a" --as "$nik" --accept-agreement --generate-key --passphrase-file "$T/$type.pass" --out "$out" --receipt "$out.receipt.pdf" >"$T/out" 2>"$T/err"
		fi
		rc=$?
		if [ $rc = 0 ]; then pass "$type: issued in person ($key)"; else fail "$type: issue ($key): $(cat "$T/err")"; fi
	}
	# decide APP: submit, approve.
	decide() {
		ok "$type: submitted ($1)" "$S" ra submit --dir "$I" --as "$nik" "$1"
		# What the application flags for review (a sistem's IP
		# addresses) the operator confirms explicitly.
		local rev
		rev=$("$S" ra show --dir "$I" "$1" --json | jq -r '.needs_review | join(",")')
		ok "$type: approved ($1)" "$S" ra approve --dir "$I" --as $OP1 "$1" --note "lengkap" ${rev:+--reviewed "$rev"}
		check_eq "$type: approved" approved "$(state_of "$1")"
	}

	app=$("$S" ra apply --dir "$I" --as "$nik" --type "$type" "$@" "${att[@]}" --json | jq -r .id)
	check_eq "$type: applied (draft)" draft "$(state_of "$app")"
	ok "$type: submitted" "$S" ra submit --dir "$I" --as "$nik" "$app"
	ok "$type: returned with reasons" "$S" ra return --dir "$I" --as $OP1 "$app" --reason "Scan KTP buram, mohon diunggah ulang"
	check_eq "$type: returned, reasons kept" "returned|Scan KTP buram, mohon diunggah ulang" "$("$S" ra show --dir "$I" "$app" --json | jq -r '.state + "|" + .reasons')"
	ok "$type: the applicant replaces the scan" "$S" ra attach --dir "$I" --as "$nik" "$app" --attach "ktp=$D/ktp.jpg"
	decide "$app"
	issue_as "$app" "$first" "$T/$type-1.pem"
	check_eq "$type: issued" issued "$(state_of "$app")"
	ser=$(serial_of "$app")
	verify "$type: first certificate" "$T/$type-1.pem"
	check_eq "$type: the certificate is of its type, bound to the owner" "$type|$nik" "$("$S" cert show --dir "$I" "$ser" --json | jq -r '.type + "|" + .nik')"
	check "$type: receipt at issuance (qpdf, NIK, serial)" bash -c "qpdf --check '$T/$type-1.pem.receipt.pdf' >/dev/null && pdftotext '$T/$type-1.pem.receipt.pdf' - | grep -q $nik && pdftotext '$T/$type-1.pem.receipt.pdf' - | tr -d ' \n' | grep -qi $ser"
	ok "$type: the receipt again later (ra receipt)" "$S" ra receipt --dir "$I" "$app" --as "$nik" --out "$T/$type-1.again.pdf"
	check "$type: the same receipt" cmp -s "$T/$type-1.pem.receipt.pdf" "$T/$type-1.again.pdf"
	# The receipt signed with the operator's certificate (PAdES), judged by
	# sertel verify against the instance roots and by qpdf.
	ok "$type: the operator signs the receipt" "$S" ra receipt --dir "$I" "$app" --as $OP1 --out "$T/$type-1.signed.pdf" --sign --sign-key "$T/op.key" --sign-cert "$T/op.pem"
	check_eq "$type: signed receipt valid, signed by the operator" "valid|Operator Satu" "$("$S" verify --dir "$I" --offline --json "$T/$type-1.signed.pdf" | jq -r '.verdict + "|" + .signatures[0].common_name')"
	check "$type: signed receipt passes qpdf --check" bash -c "qpdf --check '$T/$type-1.signed.pdf' >/dev/null"
	# Palembang 12(4): the signature brought the footer, as on every signed document.
	check "$type: the signed receipt carries the footer (12(4))" bash -c "pdftotext '$T/$type-1.signed.pdf' - | tr -s ' \n' ' ' | grep -q 'ditandatangani secara elektronik menggunakan sertifikat elektronik'"
	check "$type: the unsigned receipt is a prefix of the signed one" cmp -s -n "$(stat -c %s "$T/$type-1.again.pdf")" "$T/$type-1.again.pdf" "$T/$type-1.signed.pdf"
	if "$S" ra receipt --dir "$I" "$app" --as "$nik" --out "$T/x.pdf" --sign --sign-key "$T/op.key" --sign-cert "$T/op.pem" >"$T/out" 2>"$T/err"; then
		fail "$type: an applicant cannot sign receipts"
	else
		check "$type: an applicant cannot sign receipts (one line, names the rule)" grep -q "not an OP operator" "$T/err"
	fi

	# Renewal before expiry: a new application with what is still valid
	# carried over, decided like a new one (Palembang 10(3)).
	ren=$("$S" ra renew --dir "$I" "$ser" --as "$nik" --json | jq -r .id)
	check_eq "$type: renewal application" "renewal|draft|$ser" "$("$S" ra show --dir "$I" "$ren" --json | jq -r '.kind + "|" + .state + "|" + .renews_serial')"
	decide "$ren"
	[ "$first" = csr ] && k=generated || k=csr
	issue_as "$ren" "$k" "$T/$type-2.pem"
	ser2=$(serial_of "$ren")
	verify "$type: renewed certificate" "$T/$type-2.pem"
	if [ "$k" = generated ]; then
		check_eq "$type: the generated key is sealed (Argon2id)" argon2id "$(inst_sql "$I" "SELECT kdf FROM sealed_keys WHERE serial = '$ser2'" | cut -d'$' -f1)"
	else
		check "$type: the renewed certificate holds the owner's CSR key" cmp -s <(openssl x509 -in "$T/$type-2.pem" -noout -pubkey) <(openssl req -in "$T/$type-2.pem.csr" -noout -pubkey)
	fi

	# Loss report: statement acknowledged by the superior, police report;
	# revoked at once as keyCompromise.
	ok "$type: loss report" "$S" ra report-loss --dir "$I" "$ser2" --as "$nik" --acknowledged-by "$sup" --attach "pernyataan=$D/pernyataan.pdf" --attach "laporan-polisi=$D/laporan.pdf" --note "Perangkat hilang"
	check_eq "$type: revoked as keyCompromise" "revoked|keyCompromise" "$("$S" cert show --dir "$I" "$ser2" --json | jq -r '.status + "|" + .reason')"
	"$S" crl --dir "$I" --out "$T/crl.der" >/dev/null
	if openssl crl -inform DER -in "$T/crl.der" -noout -text | grep -A5 -i "Serial Number: $ser2" | grep -q "Key Compromise"; then
		pass "$type: the CRL lists it with reason Key Compromise"
	else
		fail "$type: the CRL does not list $ser2 as Key Compromise"
	fi

	# Re-application after the loss.
	re=$("$S" ra renew --dir "$I" "$ser2" --as "$nik" --json | jq -r .id)
	check_eq "$type: re-application" "reapply|draft" "$("$S" ra show --dir "$I" "$re" --json | jq -r '.kind + "|" + .state')"
	decide "$re"
	issue_as "$re" csr "$T/$type-3.pem"
	ser3=$(serial_of "$re")
	verify "$type: certificate after re-application" "$T/$type-3.pem"
	check_eq "$type: three certificates, the lost one revoked" "$ser|valid $ser2|revoked $ser3|valid" "$(for x in $ser $ser2 $ser3; do printf '%s|%s ' "$x" "$("$S" cert show --dir "$I" "$x" --json | jq -r .status)"; done | sed 's/ $//')"
	RESULT_APP=$app
}

lifecycle individu $SITI $KADIK csr siti@disdik.cirebonkota.go.id --usage signing,email
lifecycle jabatan $KADIK $KADIK generated kadisdik@disdik.cirebonkota.go.id --usage signing
lifecycle sistem $SYSOWNER $KADIS csr srikandi@kominfo.cirebonkota.go.id --usage ssl-server,ssl-client --dns srikandi.kominfo.cirebonkota.go.id --ip 10.20.0.5 --system-name SRIKANDI --system-details "Aplikasi persuratan dinas"
check_eq "jabatan certificate carries the title" "Kepala Dinas Pendidikan" "$(openssl x509 -in "$T/jabatan-1.pem" -noout -subject -nameopt multiline | sed -n 's/^ *title *= //p')"
check "sistem certificate names the system" bash -c "openssl x509 -in '$T/sistem-1.pem' -noout -ext subjectAltName | grep -q 'DNS:srikandi.kominfo.cirebonkota.go.id' && openssl x509 -in '$T/sistem-1.pem' -noout -ext subjectAltName | grep -q 'IP Address:10.20.0.5'"
# CA/B BR 7.1.4.3 (issue 18): with ssl-server, the CN is the system's first
# DNS name, not its owner's name; the browser checks the SAN, the CN must agree.
check_eq "sistem ssl-server certificate: CN is its first DNS name" "srikandi.kominfo.cirebonkota.go.id" \
	"$(openssl x509 -in "$T/sistem-1.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p')"
check "... and openssl verifies it for that host" openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" -purpose sslserver \
	-verify_hostname srikandi.kominfo.cirebonkota.go.id "$T/sistem-1.pem"

# ---- the notices, at a real SMTP server ---------------------------------------
ok "mail flush" "$S" mail flush --dir "$I"
check_eq "every notice delivered" 0 "$("$S" mail list --dir "$I" --json | jq '[.[] | select(.state != "sent")] | length')"
for who in siti@disdik.cirebonkota.go.id kadisdik@disdik.cirebonkota.go.id srikandi@kominfo.cirebonkota.go.id; do
	subj=$(subjects "$who")
	# Per owner: 4 submissions, 1 return, 3 approvals, 3 issuances, 1
	# revocation; the head of Disdik is also told of Siti's (Cirebon 15(5)).
	want=4/1/3/3/1
	[ "$who" = kadisdik@disdik.cirebonkota.go.id ] && want=4/1/3/3/2
	got="$(grep -c 'telah diajukan' <<<"$subj")/$(grep -c 'belum dapat diterima' <<<"$subj")/$(grep -c 'disetujui' <<<"$subj")/$(grep -c 'telah terbit' <<<"$subj")/$(grep -c 'dicabut' <<<"$subj")"
	check_eq "$who: submitted/returned/approved/issued/revoked notices" "$want" "$got"
done
n=$($PY -c "import mailbox,sys; print(len(mailbox.Maildir(sys.argv[1], create=False)))" "$MD")
check_eq "the mailbox holds exactly the notices sent" "$("$S" mail list --dir "$I" --json | jq length)" "$n"
check_eq "every issuance accepted that built-in version 1" "9|$V1" "$(inst_sql "$I" "SELECT COUNT(*) FROM acceptances WHERE agreement_version = 1")|$(inst_sql "$I" "SELECT version || '|' || sha256 FROM agreements")"
check "audit trail intact" "$S" audit verify --dir "$I"
finish
