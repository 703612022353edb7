#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issuance in person at the OP desk in a real headless Chromium
# (tests/portal/desk_flow.py): for each type the applications are made and
# approved here through the CLI, then op1 starts the desk session, the code
# is read from the real SMTP mailbox (aiosmtpd on loopback), the agreement
# in force is shown in full, the live passphrase check reacts, a wrong code
# and an unticked agreement are refused, the certificate is issued (a
# generated sealed key for individu and jabatan, the owner's CSR for
# sistem), the receipt PDF is judged by qpdf and pdftotext, the owner logs
# in by link and openssl verify accepts the PEM they download; raw HTTP
# tries every route as every role.  Screenshots in
# $SERTEL_BUILD/screenshots/portal-desk.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_desk
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-desk}
. "$(dirname "$0")/setup.sh"
command -v qpdf >/dev/null || die "qpdf is not installed"
command -v pdftotext >/dev/null || die "pdftotext is not installed"
mkdir -p "$SHOTS"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export"

KADIS=3274010101750001
OP1=3274010101820001
OP2=3274010101830001
SITI=3274014101920002
ANDI=3274010101850001
RINA=3274015505880003 # jabatan applicant (born 15 May 1988, +40: a woman)
HEAD=3274010101700001 # head of agency (kepala perangkat daerah)
quiet "$S" person add --dir "$I" --as $KADIS --nik $RINA --name "Rina Kartika" \
	--email rina@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon \
	--position "Kepala Bidang Aplikasi Informatika" || die "person add (rina) failed"
quiet "$S" person add --dir "$I" --as $KADIS --nik $HEAD --name "Kepala Kominfo" \
	--email kepala@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
	--roles pemohon,atasan,kepala-perangkat-daerah --position "Kepala Dinas Kominfo" ||
	die "person add (head of agency) failed"
# The agreement in force is a version of the Dinas's own, so the page can
# be compared with what the store holds.
cat >"$T/perjanjian.txt" <<'TXT'
PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK PEMERINTAH KOTA CIREBON

1. Data yang saya berikan dalam permohonan adalah benar.
2. Saya tidak menyerahkan Sertifikat Elektronik maupun penggunaannya kepada pihak lain.
3. Saya menjaga kerahasiaan kunci privat dan passphrase, termasuk terhadap petugas.
4. Saya segera melaporkan kehilangan atau kebocoran kunci kepada Otoritas Pendaftaran.
5. Sertifikat yang telah dicabut tidak dapat digunakan kembali.
TXT
quiet "$S" ra agreement --dir "$I" --as $KADIS --attach "text=$T/perjanjian.txt" ||
	die "agreement set failed"

att=(--attach "pengantar=$F/pengantar.pdf" --attach "rekomendasi=$F/rekomendasi.pdf" --attach "ktp=$F/ktp.png")
# apply NIK TYPE ARGS...: an application, submitted; prints its id.
apply() {
	local nik=$1 type=$2 id
	shift 2
	id=$("$S" ra apply --dir "$I" --as "$nik" --type "$type" "$@" --json | jq -r .id) || return 1
	quiet "$S" ra submit --dir "$I" --as "$nik" "$id" || return 1
	echo "$id"
}
APP_IND=$(apply $SITI individu --usage signing "${att[@]}") || die "apply individu"
APP_JAB=$(apply $RINA jabatan --usage signing "${att[@]}" --attach "sk=$F/pengantar.pdf" \
	--attach "penunjukan=$F/rekomendasi.pdf") || die "apply jabatan"
APP_SIS=$(apply $ANDI sistem --usage ssl-server,ssl-client "${att[@]}" \
	--dns layanan.kominfo.cirebonkota.go.id --system-name "Layanan Kominfo" \
	--system-details "Portal layanan publik") || die "apply sistem"
# op1's own application (no self-issuance) and one not yet approved.
APP_OWN=$(apply $OP1 sistem --usage ssl-server "${att[@]}" \
	--dns op1.kominfo.cirebonkota.go.id --system-name "Uji OP1" --system-details "uji") ||
	die "apply own"
APP_SUB=$(apply $SITI sistem --usage ssl-server "${att[@]}" \
	--dns siti.kominfo.cirebonkota.go.id --system-name "Uji Siti" --system-details "uji") ||
	die "apply submitted"
# individu needs two operators (N-of-M = 2), the others one.
quiet "$S" ra approve --dir "$I" --as $OP1 "$APP_IND" --note lengkap || die "approve 1"
quiet "$S" ra approve --dir "$I" --as $OP2 "$APP_IND" --note lengkap || die "approve 2"
for a in "$APP_JAB" "$APP_SIS" "$APP_OWN"; do
	quiet "$S" ra approve --dir "$I" --as $OP2 "$a" --note lengkap || die "approve $a"
done
for a in "$APP_IND" "$APP_JAB" "$APP_SIS" "$APP_OWN"; do
	check "application $a approved in the set-up" test "$("$S" ra show --dir "$I" "$a" --json | jq -r .state)" = approved
done
make_csr "$T/sistem.csr" ec-p256 "layanan" || die "csr sistem"

portal_run_flow desk_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE" "$T" "$T/perjanjian.txt" \
	"$APP_IND" "$APP_JAB" "$APP_SIS" "$APP_OWN" "$APP_SUB" "$T/sistem.csr" "$T/ca" "$F"

# The trail: the witness, the agreement version and hash, the key's
# origin and the session, for each of the three.
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
sha=$(sha256sum "$T/perjanjian.txt" | cut -d' ' -f1)
for a in "$APP_IND" "$APP_JAB" "$APP_SIS"; do
	check "audit: desk.issue by op1 for $a with agreement v2 and its hash" jq -e --arg o "application:$a" --arg h "$sha" \
		'[.[] | select(.action == "desk.issue" and .object == $o and .actor == "nik:3274010101820001" and (.reason | contains("agreement v2 sha256 " + $h)))] | length == 1' <<<"$trail" >/dev/null
	check "audit: the applicant performed application.issue for $a" jq -e --arg o "application:$a" \
		'[.[] | select(.action == "application.issue" and .object == $o and (.actor | startswith("nik:")) and .actor != "nik:3274010101820001")] | length == 1' <<<"$trail" >/dev/null
done
check "audit: desk.issue says generated (individu)" jq -e --arg o "application:$APP_IND" '[.[] | select(.action == "desk.issue" and .object == $o and (.reason | contains("generated")))] | length == 1' <<<"$trail" >/dev/null
check "audit: desk.issue says CSR (sistem)" jq -e --arg o "application:$APP_SIS" '[.[] | select(.action == "desk.issue" and .object == $o and (.reason | contains("CSR")))] | length == 1' <<<"$trail" >/dev/null
check "audit: wrong codes recorded" jq -e '[.[] | select(.action == "desk.code-fail")] | length >= 3' <<<"$trail" >/dev/null
check "no passphrase in the server log" bash -c "! grep -q 'Kopi-Tubruk' '$SERVER_LOG'"
check "no passphrase in the store" bash -c "! grep -aq 'Kopi-Tubruk' '$DBFILE'"
check "audit verify" quiet "$S" audit verify --dir "$I"
for f in app-desk-start desk desk-weak desk-strong desk-wrong-code desk-agree desk-weak-server desk-csr-bad desk-done desk-csr desk-spent; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
