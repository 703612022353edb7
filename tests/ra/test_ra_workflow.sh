#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The Registration Authority workflow through the CLI, on the engine of
# this run: who may do what (allowed and denied), bad input that must
# leave the store unchanged, and the application flow of each type.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup ra_workflow
S=$SERTEL_BIN
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"

KOMINFO="Dinas Komunikasi dan Informatika"
DISDIK="Dinas Pendidikan"
KADIS=3274010101800001
OP1=3274010101900001
OP2=3274010202910002
OP3=3274010303920003
SITI=3274014101920002
KADIK=3274015505750004
SYSOWNER=3274010606880005
WALI=3274010707700006

# counts ROW: persons agencies applications attachments approvals audit
counts() {
	inst_sql "$I" "SELECT (SELECT COUNT(*) FROM persons)||'/'||(SELECT COUNT(*) FROM agencies)||'/'||(SELECT COUNT(*) FROM applications)||'/'||(SELECT COUNT(*) FROM attachments)||'/'||(SELECT COUNT(*) FROM approvals)||'/'||(SELECT COUNT(*) FROM audit)"
}

# refused DESC CMD...: exit 2, one stderr line, nothing changed: the RA
# tables above and lib.sh's snapshot (certificates, audit entries, serials,
# audit head), read through the CLI and the database.
refused() {
	local desc=$1 before after err rc
	shift
	before="$(counts) $(snapshot "$I")" || before=
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	after="$(counts) $(snapshot "$I")" || after=unreadable
	err=$(cat "$T/err")
	if [ $rc -ne 2 ]; then
		fail "$desc: exit $rc, expected 2 ($err)"
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then
		fail "$desc: stderr is not one line: $err"
	elif [ "$before" != "$after" ]; then
		fail "$desc: store changed ($before -> $after)"
	else
		pass "$desc: refused ($err)"
	fi
}

# ok DESC CMD...: exit 0.

state_of() { "$S" ra show --dir "$I" "$1" --json | jq -r .state; }

# ---- documents ------------------------------------------------------------
D=$T/docs
mkdir -p "$D"
for k in pengantar rekomendasi sk penunjukan; do
	printf '%%PDF-1.4\n%% %s for a test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$k" >"$D/$k.pdf"
done
python3 - "$D" <<'PY'
import sys, zlib, struct
d = sys.argv[1]
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)) \
    + chunk(b'tEXt', b'Comment\x00KTP-SECRET-MARKER') + chunk(b'IDAT', zlib.compress(b'\x00\x00')) + chunk(b'IEND', b'')
open(d + '/ktp.png', 'wb').write(png)
open(d + '/ktp-named.pdf', 'wb').write(png)
open(d + '/ktp.jpg', 'wb').write(b'\xff\xd8\xff\xe0' + b'\x00' * 64 + b'\xff\xd9')
open(d + '/notes.txt', 'wb').write(b'just text\n')
big = bytearray(b'%PDF-1.4\n') + bytearray(11 * 1024 * 1024) + b'\n%%EOF\n'
open(d + '/big.pdf', 'wb').write(big)
PY
ATT_BASE=(--attach "pengantar=$D/pengantar.pdf" --attach "rekomendasi=$D/rekomendasi.pdf" --attach "ktp=$D/ktp.png")
ATT_JAB=("${ATT_BASE[@]}" --attach "sk=$D/sk.pdf" --attach "penunjukan=$D/penunjukan.pdf")

# ---- agencies and people ---------------------------------------------------
ok "admin registers agency $KOMINFO" "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id
ok "admin registers agency $DISDIK" "$S" agency add --dir "$I" --name "$DISDIK" --domain disdik.cirebonkota.go.id
ok "admin registers the head of Kominfo" "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas Kominfo" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan --position "Kepala Dinas"
ok "admin appoints the kepala-dinas" "$S" person appoint --dir "$I" $KADIS --role kepala-dinas
for p in "$OP1 Operator Satu op1" "$OP2 Operator Dua op2" "$OP3 Operator Tiga op3"; do
	set -- $p
	ok "kepala-dinas registers $2 $3" "$S" person add --dir "$I" --as $KADIS --nik $1 --name "$2 $3" --email "$4@kominfo.cirebonkota.go.id" --agency "$KOMINFO" --roles pemohon
done
ok "registers Siti (woman, +40 day) with superior" "$S" person add --dir "$I" --as $KADIS --nik $SITI --name "Siti Aminah" --email siti@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon --superior $KADIS
refused "an operator (not yet appointed) registering people" "$S" person add --dir "$I" --as $SITI --nik $KADIK --name "X" --email x@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon
ok "registers the head of Disdik" "$S" person add --dir "$I" --nik $KADIK --name "Kepala Dinas Pendidikan" --email kadisdik@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon,kepala-perangkat-daerah --position "Kepala Dinas Pendidikan" --nip 197505152000032001
ok "registers the system owner" "$S" person add --dir "$I" --nik $SYSOWNER --name "Pengelola SRIKANDI" --email srikandi@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
ok "registers the Wali Kota (kepala daerah)" "$S" person add --dir "$I" --nik $WALI --name "Wali Kota Cirebon" --email walikota@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --kepala-daerah --position "Wali Kota"

# Appointment: only the kepala-dinas appoints operators (Cirebon 20(1)).
refused "the admin appointing an operator" "$S" person appoint --dir "$I" $OP1 --role operator-op
refused "an applicant appointing an operator" "$S" person appoint --dir "$I" --as $SITI $OP1 --role operator-op
ok "kepala-dinas appoints operator 1" "$S" person appoint --dir "$I" --as $KADIS $OP1 --role operator-op
ok "kepala-dinas appoints operator 2" "$S" person appoint --dir "$I" --as $KADIS $OP2 --role operator-op
ok "kepala-dinas appoints operator 3" "$S" person appoint --dir "$I" --as $KADIS $OP3 --role operator-op
refused "an operator appointing another operator" "$S" person appoint --dir "$I" --as $OP1 $SITI --role operator-op
refused "appointing someone twice" "$S" person appoint --dir "$I" --as $KADIS $OP1 --role operator-op
refused "operator-op given at registration" "$S" person add --dir "$I" --nik 3274010808890007 --name "Q" --email q@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,operator-op
refused "an operator granting admin" "$S" person add --dir "$I" --as $OP1 --nik 3274010808890007 --name "Q" --email q@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles admin
refused "an applicant registering an agency" "$S" agency add --dir "$I" --as $SITI --name "Dinas X" --domain x.cirebonkota.go.id

# Operators 1 and 2 get their own certificates (the admin path, bound by NIK).
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/op.key" -subj /CN=x -out "$T/op.csr" 2>/dev/null
ok "operator 1 certificate bound to NIK" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Satu" --nik $OP1
ok "operator 2 certificate bound to NIK" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Dua" --nik $OP2
refused "binding a certificate to an unregistered NIK" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Nobody" --nik 3274010909900009

# ---- bad input ------------------------------------------------------------
refused "unknown NIK acting" "$S" ra apply --dir "$I" --as 3274010909900009 --type individu --usage signing
refused "NIK with an impossible date" "$S" person add --dir "$I" --nik 3274013302900008 --name "Bad Date" --email bad@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
refused "NIK of 15 digits" "$S" person add --dir "$I" --nik 327401010190000 --name "Short" --email s@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
refused "NIK and NIP disagreeing on gender" "$S" person add --dir "$I" --nik 3274014101930008 --nip 199301012015031001 --name "G" --email g@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
refused "e-mail outside the agency's domain" "$S" person add --dir "$I" --nik 3274010101930008 --name "Wrong Domain" --email wd@gmail.com --agency "$KOMINFO" --roles pemohon
refused "unknown agency" "$S" person add --dir "$I" --nik 3274010101930008 --name "N" --email n@kominfo.cirebonkota.go.id --agency "Dinas Fiktif" --roles pemohon
refused "unknown role" "$S" person add --dir "$I" --nik 3274010101930008 --name "N" --email n@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles superuser
refused "a PNG named .pdf" "$S" ra apply --dir "$I" --as $SITI --type individu --usage signing --attach "ktp=$D/ktp-named.pdf"
refused "an application for an unknown NIK" "$S" ra apply --dir "$I" --applicant 3274010909900009 --type individu --usage signing
refused "a superior with an unknown NIK" "$S" person add --dir "$I" --nik 3274010101930008 --name "N" --email n@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --superior 3274010909900009
refused "a NIK born on 31 April" "$S" person add --dir "$I" --nik 3274013104900008 --name "April" --email april@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
refused "a text file as attachment" "$S" ra apply --dir "$I" --as $SITI --type individu --usage signing --attach "ktp=$D/notes.txt"
refused "an oversized attachment (11 MiB)" "$S" ra apply --dir "$I" --as $SITI --type individu --usage signing --attach "pengantar=$D/big.pdf"
refused "an unknown attachment kind" "$S" ra apply --dir "$I" --as $SITI --type individu --usage signing --attach "selfie=$D/ktp.png"
refused "an unknown type" "$S" ra apply --dir "$I" --as $SITI --type pegawai --usage signing
refused "ssl-server for individu" "$S" ra apply --dir "$I" --as $SITI --type individu --usage ssl-server
refused "sistem without its address and details" "$S" ra apply --dir "$I" --as $SYSOWNER --type sistem --usage ssl-server
refused "applying for someone else" "$S" ra apply --dir "$I" --as $SITI --applicant $KADIK --type individu --usage signing
refused "own letters without being kepala daerah (Denpasar 11(4))" "$S" ra apply --dir "$I" --as $SITI --type individu --usage signing --self-issued-letters

# ---- individu: apply, submit, return, resubmit, approve ---------------------
APP1=$("$S" ra apply --dir "$I" --as $SITI --type individu --usage signing,email --attach "pengantar=$D/pengantar.pdf" --attach "ktp=$D/ktp.png" --json | jq -r .id)
check_eq "individu application is a draft" draft "$(state_of "$APP1")"
refused "submitting without the recommendation letter" "$S" ra submit --dir "$I" --as $SITI "$APP1"
check_eq "still a draft after the refused submit" draft "$(state_of "$APP1")"
refused "approving a draft (illegal transition)" "$S" ra approve --dir "$I" --as $OP1 "$APP1"
refused "attaching a PNG named .pdf to a draft" "$S" ra attach --dir "$I" --as $SITI "$APP1" --attach "rekomendasi=$D/ktp-named.pdf"
refused "attaching an oversized file to a draft" "$S" ra attach --dir "$I" --as $SITI "$APP1" --attach "rekomendasi=$D/big.pdf"
ok "attaching the recommendation" "$S" ra attach --dir "$I" --as $SITI "$APP1" --attach "rekomendasi=$D/rekomendasi.pdf"
ok "submitting" "$S" ra submit --dir "$I" --as $SITI "$APP1"
check_eq "submitted" submitted "$(state_of "$APP1")"
refused "changing attachments after submission" "$S" ra attach --dir "$I" --as $SITI "$APP1" --attach "ktp=$D/ktp.jpg"
refused "the applicant approving" "$S" ra approve --dir "$I" --as $SITI "$APP1"
refused "an operator without a certificate deciding (Cirebon 20(1))" "$S" ra approve --dir "$I" --as $OP3 "$APP1"
refused "an auditor-less kepala-dinas deciding" "$S" ra approve --dir "$I" --as $KADIS "$APP1"
refused "returning without reasons" "$S" ra return --dir "$I" --as $OP1 "$APP1"
ok "operator returns with reasons" "$S" ra return --dir "$I" --as $OP1 "$APP1" --reason "Scan KTP kurang jelas"
check_eq "returned" returned "$(state_of "$APP1")"
check_eq "the reasons are kept" "Scan KTP kurang jelas" "$("$S" ra show --dir "$I" "$APP1" --json | jq -r .reasons)"
ok "the applicant replaces the KTP scan (JPEG)" "$S" ra attach --dir "$I" --as $SITI "$APP1" --attach "ktp=$D/ktp.jpg"
ok "resubmitting" "$S" ra submit --dir "$I" --as $SITI "$APP1"
ok "operator approves" "$S" ra approve --dir "$I" --as $OP1 "$APP1"
check_eq "approved (1 of 1)" approved "$(state_of "$APP1")"
refused "returning an approved application" "$S" ra return --dir "$I" --as $OP1 "$APP1" --reason "late"
refused "resubmitting an approved application" "$S" ra submit --dir "$I" --as $SITI "$APP1"

# ---- jabatan: two approvals needed ----------------------------------------
printf '\n[approval]\njabatan = 2\n' >>"$I/sertel.conf"
APP2X=$("$S" ra apply --dir "$I" --as $KADIK --type jabatan --usage signing "${ATT_BASE[@]}" --json | jq -r .id)
refused "submitting jabatan without SK and letter of authority" "$S" ra submit --dir "$I" --as $KADIK "$APP2X"
APP2=$("$S" ra apply --dir "$I" --as $KADIK --type jabatan --usage signing "${ATT_JAB[@]}" --json | jq -r .id)
check_eq "jabatan title taken from the position" "Kepala Dinas Pendidikan" "$("$S" ra show --dir "$I" "$APP2" --json | jq -r .title)"
ok "jabatan submitted" "$S" ra submit --dir "$I" --as $KADIK "$APP2"
ok "first approval" "$S" ra approve --dir "$I" --as $OP1 "$APP2"
check_eq "still submitted after 1 of 2" submitted "$(state_of "$APP2")"
refused "the same operator approving twice" "$S" ra approve --dir "$I" --as $OP1 "$APP2"
ok "second approval" "$S" ra approve --dir "$I" --as $OP2 "$APP2"
check_eq "approved after 2 of 2" approved "$(state_of "$APP2")"

# ---- sistem ---------------------------------------------------------------
APP3=$("$S" ra apply --dir "$I" --as $SYSOWNER --type sistem --usage ssl-server,ssl-client --dns srikandi.kominfo.cirebonkota.go.id --ip 10.20.0.5 --system-name SRIKANDI --system-details "Aplikasi persuratan dinas, server di ruang server Diskominfo" "${ATT_BASE[@]}" --json | jq -r .id)
check_eq "sistem keeps its names" "srikandi.kominfo.cirebonkota.go.id" "$("$S" ra show --dir "$I" "$APP3" --json | jq -r .dns)"
ok "sistem submitted" "$S" ra submit --dir "$I" --as $SYSOWNER "$APP3"
ok "operator rejects with reasons" "$S" ra reject --dir "$I" --as $OP2 "$APP3" --reason "Sistem belum terdaftar di inventaris aplikasi"
check_eq "rejected" rejected "$(state_of "$APP3")"
refused "resubmitting a rejected application" "$S" ra submit --dir "$I" --as $SYSOWNER "$APP3"

# ---- operator's own application; the Wali Kota's own letters ---------------
APP4=$("$S" ra apply --dir "$I" --as $OP2 --type individu --usage signing "${ATT_BASE[@]}" --json | jq -r .id)
ok "operator 2 submits their own application" "$S" ra submit --dir "$I" --as $OP2 "$APP4"
refused "an operator deciding their own application" "$S" ra approve --dir "$I" --as $OP2 "$APP4"
ok "another operator approves it" "$S" ra approve --dir "$I" --as $OP1 "$APP4"
ok "the Wali Kota applies with own letters" "$S" ra apply --dir "$I" --as $WALI --type individu --usage signing --self-issued-letters "${ATT_BASE[@]}"

# ---- issuance in person (Cirebon 13) ---------------------------------------
printf 'Rahasia-Kuat-2026!\n' >"$T/pass.txt"
printf 'pendek1\n' >"$T/weak.txt"
printf 'kadik-%s\n' $KADIK >"$T/nikpass.txt"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/siti.key" -subj /CN=ignored -out "$T/siti.csr" 2>/dev/null
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null
refused "issuance by proxy (an operator for the applicant)" "$S" ra issue --dir "$I" "$APP1" --as $OP1 --accept-agreement --csr "$T/siti.csr"
refused "issuance by the local administrator" "$S" ra issue --dir "$I" "$APP1" --accept-agreement --csr "$T/siti.csr"
refused "issuance without accepting the agreement" "$S" ra issue --dir "$I" "$APP1" --as $SITI --csr "$T/siti.csr"
refused "issuing a rejected application" "$S" ra issue --dir "$I" "$APP3" --as $SYSOWNER --accept-agreement --csr "$T/siti.csr"
refused "a weak passphrase" "$S" ra issue --dir "$I" "$APP2" --as $KADIK --accept-agreement --generate-key --passphrase-file "$T/weak.txt"
refused "a passphrase containing the NIK" "$S" ra issue --dir "$I" "$APP2" --as $KADIK --accept-agreement --generate-key --passphrase-file "$T/nikpass.txt"
ok "Siti takes her certificate in person with her own CSR" "$S" ra issue --dir "$I" "$APP1" --as $SITI --accept-agreement --csr "$T/siti.csr" --out "$T/siti.pem" --receipt "$T/siti-receipt.pdf"
check_eq "application issued" issued "$(state_of "$APP1")"
check "her certificate verifies against the instance chain" openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/siti.pem"
check_eq "the certificate holds her CSR's key" "$(openssl pkey -in "$T/siti.key" -pubout -outform DER | sha256sum)" "$(openssl x509 -in "$T/siti.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum)"
check_eq "bound to her NIK" $SITI "$("$S" cert show --dir "$I" "$("$S" ra show --dir "$I" "$APP1" --json | jq -r .cert_serial)" --json | jq -r .nik)"
check "receipt passes qpdf --check" qpdf --check "$T/siti-receipt.pdf"
check "receipt names her NIK and the agreement" bash -c "pdftotext '$T/siti-receipt.pdf' - | grep -q $SITI && pdftotext '$T/siti-receipt.pdf' - | grep -q 'Versi 1'"
refused "issuing the same application twice" "$S" ra issue --dir "$I" "$APP1" --as $SITI --accept-agreement --csr "$T/siti.csr"
ok "the head of Disdik takes a generated, sealed key" "$S" ra issue --dir "$I" "$APP2" --as $KADIK --accept-agreement --generate-key --passphrase-file "$T/pass.txt" --out "$T/kadik.pem"
check_eq "a sealed key is stored for that certificate" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM sealed_keys WHERE nik = '$KADIK'")"
check_eq "the sealed key records its Argon2id parameters" argon2id "$(inst_sql "$I" "SELECT kdf FROM sealed_keys WHERE nik = '$KADIK'" | cut -d'$' -f1)"
check_eq "jabatan certificate carries the title" "Kepala Dinas Pendidikan" "$(openssl x509 -in "$T/kadik.pem" -noout -subject -nameopt multiline | sed -n 's/^ *title *= //p')"
check_eq "two agreement acceptances recorded" 2 "$(inst_sql "$I" "SELECT COUNT(*) FROM acceptances WHERE agreement_version = 1")"

# ---- renewal, revocation by cause, loss report, sanctions -------------------
SITI_SER=$("$S" ra show --dir "$I" "$APP1" --json | jq -r .cert_serial)
KADIK_SER=$("$S" ra show --dir "$I" "$APP2" --json | jq -r .cert_serial)
REN=$("$S" ra renew --dir "$I" "$SITI_SER" --as $SITI --json | jq -r .id)
check_eq "renewal of a valid certificate is kind renewal" renewal "$("$S" ra show --dir "$I" "$REN" --json | jq -r .kind)"
check_eq "the renewal carries the attachments over" 3 "$(inst_sql "$I" "SELECT COUNT(*) FROM attachments WHERE application_id = '$REN'")"
ok "the carried-over renewal can be submitted at once" "$S" ra submit --dir "$I" --as $SITI "$REN"
refused "someone else renewing Siti's certificate" "$S" ra renew --dir "$I" "$SITI_SER" --as $KADIK
refused "an operator using the head-of-agency cause" "$S" ra revoke --dir "$I" "$SITI_SER" --cause mutasi --as $OP1
refused "another agency's head revoking (mutasi)" "$S" ra revoke --dir "$I" "$SITI_SER" --cause mutasi --as $KADIS
refused "the owner using an OP cause" "$S" ra revoke --dir "$I" "$SITI_SER" --cause evaluasi-op --as $SITI
refused "an unknown cause" "$S" ra revoke --dir "$I" "$SITI_SER" --cause bosan --as $SITI
refused "a loss report without letters" "$S" ra report-loss --dir "$I" "$SITI_SER" --as $SITI --acknowledged-by $KADIS
refused "a loss report acknowledged by someone not the superior" "$S" ra report-loss --dir "$I" "$SITI_SER" --as $SITI --acknowledged-by $OP1 --attach "pernyataan=$D/pengantar.pdf" --attach "laporan-polisi=$D/ktp.png"
refused "a loss report by someone else" "$S" ra report-loss --dir "$I" "$SITI_SER" --as $KADIS --acknowledged-by $KADIS --attach "pernyataan=$D/pengantar.pdf" --attach "laporan-polisi=$D/ktp.png"
ok "Siti reports her key lost (statement + police report)" "$S" ra report-loss --dir "$I" "$SITI_SER" --as $SITI --acknowledged-by $KADIS --attach "pernyataan=$D/pengantar.pdf" --attach "laporan-polisi=$D/ktp.png" --note "Laptop dicuri"
check_eq "revoked at once as keyCompromise" "revoked keyCompromise" "$("$S" cert show --dir "$I" "$SITI_SER" --json | jq -r '.status + " " + .reason')"
"$S" crl --dir "$I" --out "$T/crl.der" >/dev/null
check "the CRL lists her certificate with reason Key Compromise" bash -c "openssl crl -inform DER -in '$T/crl.der' -noout -text | grep -A4 -i '$SITI_SER' | grep -q 'Key Compromise'"
check_eq "the loss letters are kept encrypted" 2 "$(inst_sql "$I" "SELECT COUNT(*) FROM blobs WHERE kind IN ('loss-statement', 'police-report')")"
refused "revoking a revoked certificate" "$S" ra revoke --dir "$I" "$SITI_SER" --cause permintaan-pemilik --as $SITI
check_eq "re-application after the loss" reapply "$("$S" ra renew --dir "$I" "$SITI_SER" --as $SITI --json | jq -r .kind)"
refused "warnings from someone not of the OP" "$S" ra warn --dir "$I" $KADIK --reason "x" --as $KADIS
ok "warning 1" "$S" ra warn --dir "$I" $KADIK --reason "Meminjamkan sertifikat kepada staf" --as $OP1
ok "warning 2" "$S" ra warn --dir "$I" $KADIK --reason "Teguran kedua" --as $OP1
check_eq "the third warning proposes revocation of the valid certificate" 1 "$("$S" ra warn --dir "$I" $KADIK --reason "Teguran ketiga" --as $OP2 --json | jq -r .revocation_proposals)"
check_eq "the proposal is open" "sanksi|requested" "$(inst_sql "$I" "SELECT cause, state FROM revocation_requests WHERE serial = '$KADIK_SER'")"
ok "an operator carries out the sanction" "$S" ra revoke --dir "$I" "$KADIK_SER" --cause sanksi --as $OP1
check_eq "the proposal is closed" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM revocation_requests WHERE serial = '$KADIK_SER' AND state = 'requested'")"
check_eq "revoked as privilegeWithdrawn" privilegeWithdrawn "$("$S" cert show --dir "$I" "$KADIK_SER" --json | jq -r .reason)"

# ---- the archive and the agreement --------------------------------------------
ok "the applicant reads back her KTP scan" "$S" ra attachment --dir "$I" "$APP1" ktp --out "$T/ktp-back" --as $SITI
check_eq "the archived scan is byte-identical" "$(sha256sum <"$D/ktp.jpg")" "$(sha256sum <"$T/ktp-back")"
ok "an operator reads the archive" "$S" ra attachment --dir "$I" "$APP1" rekomendasi --out "$T/rek-back" --as $OP2
check_eq "reading is audited" 2 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'application.read-attachment' AND object = 'application:$APP1'")"
refused "another applicant reading Siti's archive" "$S" ra attachment --dir "$I" "$APP1" ktp --out "$T/nope" --as $SYSOWNER
printf 'PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK versi Dinas, revisi 2026.\n' >"$T/agreement.txt"
refused "an operator setting the agreement" "$S" ra agreement --dir "$I" --attach "text=$T/agreement.txt" --as $OP1
check_eq "the kepala-dinas sets version 2" 2 "$("$S" ra agreement --dir "$I" --attach "text=$T/agreement.txt" --as $KADIS --json | jq .version)"
check_eq "version 2 is in force" "$(sha256sum <"$T/agreement.txt" | cut -d' ' -f1)" "$("$S" ra agreement --dir "$I" --json | jq -r .sha256)"

# ---- what the store holds ---------------------------------------------------
want=$(sha256sum "$D/ktp.jpg" | cut -d' ' -f1)
check_eq "attachment SHA-256 recorded" "$want" "$(inst_sql "$I" "SELECT sha256 FROM attachments WHERE application_id = '$APP1' AND kind = 'ktp'")"
check_eq "replaced attachment's mime" "image/jpeg" "$(inst_sql "$I" "SELECT mime FROM attachments WHERE application_id = '$APP1' AND kind = 'ktp'")"
if [ "$ENGINE" = sqlite ]; then
	n=$(sqlite3 "$(inst_db_url "$I" | sed 's/^sqlite://')" "SELECT COUNT(*) FROM blobs WHERE instr(data, CAST('KTP-SECRET-MARKER' AS BLOB)) > 0")
else
	n=$(inst_sql "$I" "SELECT COUNT(*) FROM blobs WHERE position('\\x4b54502d5345435245542d4d41524b4552'::bytea in data) > 0")
fi
check_eq "attachments are encrypted at rest (no plaintext marker)" 0 "$n"
check_eq "applications list filters by state" "$(printf '%s\n' "$APP1" "$APP2" | sort | tr '\n' ' ')" "$("$S" ra list --dir "$I" --state issued --json | jq -r '.[].id' | sort | tr '\n' ' ')"
acts=$("$S" audit list --dir "$I" --json | jq -r "[.[] | select(.object == \"application:$APP1\") | .action] | join(\",\")")
check_eq "audit of the individu application" "application.create,application.attach,application.attach,application.attach,application.submit,application.return,application.attach,application.submit,application.approve,application.issue,application.read-attachment,application.read-attachment" "$acts"
who=$("$S" audit list --dir "$I" --json | jq -r "[.[] | select(.object == \"application:$APP1\" and .action == \"application.return\")][0] | .actor + \"|\" + .reason")
check_eq "the return names its actor and reason" "nik:$OP1|Scan KTP kurang jelas" "$who"
check "audit trail intact" "$S" audit verify --dir "$I"
finish
