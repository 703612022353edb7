#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The owner's and the head of agency's pages (tests/portal/owner_flow.py) in
# a real headless Chromium, with one-time login links from a real SMTP
# server on loopback: an owner renews, changes the signing passphrase (the
# new one signs through the e-sign API), enrols TOTP (a later signing needs
# the code), revokes with a confirmation; another reports a loss with two
# uploads; the head of agency lists the staff, acknowledges the report and
# revokes a third certificate for pensiun, which the CRL lists as Cessation
# Of Operation and OCSP answers revoked.  Raw HTTP tries every route as
# every role.  Screenshots land in $SERTEL_BUILD/screenshots/portal-owner.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_owner
. "$(dirname "$0")/setup.sh"

HEAD=3274010101700001  # Kepala Dinas Kominfo (kepala perangkat daerah)
HEAD2=3274010101710001 # the head of another agency
RINA=3274014101900003  # owner: renewal, passphrase, TOTP, own revocation
DEDI=3274010101880002  # owner: loss report
WATI=3274014101870004  # owner: revoked by the head for pensiun
PW='Rahasia-Pemilik-2026'
NEWPW='Kunci#Baru-Cirebon-77'
printf '%s' "$PW" >"$T/pass.txt"

quiet "$S" person add --dir "$I" --nik $HEAD --name "Kepala Kominfo" --position "Kepala Dinas Kominfo" \
	--email kepala@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon,kepala-perangkat-daerah ||
	die "person add (head) failed"
quiet "$S" agency add --dir "$I" --name "Dinas Kesehatan" --domain dinkes.cirebonkota.go.id || die "agency add failed"
quiet "$S" person add --dir "$I" --nik $HEAD2 --name "Kepala Dinkes" --email kepala@dinkes.cirebonkota.go.id \
	--agency "Dinas Kesehatan" --roles pemohon,kepala-perangkat-daerah || die "person add (head 2) failed"
# owner NIK NAME LOCAL: registered under HEAD, applied, approved by both
# operators, issued in person with a generated key sealed under $PW.
owner() {
	local app
	"$S" person add --dir "$I" --nik "$1" --name "$2" --email "$3@kominfo.cirebonkota.go.id" --agency "Dinas Kominfo" \
		--roles pemohon --superior $HEAD >/dev/null 2>"$T/owner.err" || return 1
	app=$("$S" ra apply --dir "$I" --as "$1" --type individu --usage signing --attach "pengantar=$F/pengantar.pdf" \
		--attach "rekomendasi=$F/rekomendasi.pdf" --attach "ktp=$F/ktp.png" --json 2>>"$T/owner.err" | jq -r .id) || return 1
	quiet "$S" ra submit --dir "$I" --as "$1" "$app" || return 1
	quiet "$S" ra approve --dir "$I" --as 3274010101820001 "$app" || return 1
	quiet "$S" ra approve --dir "$I" --as 3274010101830001 "$app" || return 1
	"$S" ra issue --dir "$I" "$app" --as "$1" --accept-agreement --generate-key --passphrase-file "$T/pass.txt" \
		--out "$T/$1.pem" >/dev/null 2>>"$T/owner.err" || return 1
	openssl x509 -in "$T/$1.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f'
}
SER_RINA=$(owner $RINA "Rina Lestari" rina) || die "owner rina: $(cat "$T/owner.err")"
SER_DEDI=$(owner $DEDI "Dedi Kurnia" dedi) || die "owner dedi: $(cat "$T/owner.err")"
SER_WATI=$(owner $WATI "Wati Sulastri" wati) || die "owner wati: $(cat "$T/owner.err")"
CLIENT=$("$S" client add --dir "$I" --name portal-uji --perms sign 2>/dev/null) || die "client add failed"
note "serials: rina $SER_RINA, dedi $SER_DEDI, wati $SER_WATI"

jq -n --arg base "$SERVER_URL" --arg md "$MD" --arg shots "$SHOTS" --arg db "$DBFILE" --arg files "$F" \
	--arg pw "$PW" --arg newpw "$NEWPW" --arg client "portal-uji:$CLIENT" \
	--arg rina $RINA --arg dedi $DEDI --arg wati $WATI --arg head $HEAD --arg head2 $HEAD2 \
	--arg ser_rina "$SER_RINA" --arg ser_dedi "$SER_DEDI" --arg ser_wati "$SER_WATI" '{
	base: $base, maildir: $md, shots: $shots, db: $db, files: $files, pw: $pw, newpw: $newpw,
	client: $client, serial: {rina: $ser_rina, dedi: $ser_dedi, wati: $ser_wati},
	nik: {rina: $rina, dedi: $dedi, wati: $wati, head: $head, head2: $head2},
	mail: {rina: "rina@kominfo.cirebonkota.go.id", dedi: "dedi@kominfo.cirebonkota.go.id",
	       wati: "wati@kominfo.cirebonkota.go.id", head: "kepala@kominfo.cirebonkota.go.id",
	       head2: "kepala@dinkes.cirebonkota.go.id", other: "andi@kominfo.cirebonkota.go.id",
	       operator: "op1@kominfo.cirebonkota.go.id", kadis: "kadis@kominfo.cirebonkota.go.id",
	       auditor: "budi@kominfo.cirebonkota.go.id"}}' >"$T/owner.json"
portal_run_flow owner_flow.py "$T/owner.json"

# The head's revocation for pensiun, as relying parties see it: the CRL the
# instance publishes, parsed by openssl, and its OCSP responder.
CA=$T/ca
quiet "$S" ca export --dir "$I" --out "$CA" || die "ca export failed"
ISSUING_ID=$("$S" ca export --dir "$I" --json 2>/dev/null | jq -r .issuing.id)
curl -s -o "$T/crl.der" "$SERVER_URL/crl/$ISSUING_ID.crl"
openssl crl -inform DER -in "$T/crl.der" -noout -text >"$T/crl.txt" 2>&1
check "the CRL parses (openssl crl -inform DER)" grep -q "Certificate Revocation List" "$T/crl.txt"
check "the CRL lists the pensiun revocation as Cessation Of Operation" \
	bash -c "grep -A4 -i 'Serial Number: $SER_WATI' '$T/crl.txt' | grep -q 'Cessation Of Operation'"
check "the CRL lists the loss report as Key Compromise" \
	bash -c "grep -A4 -i 'Serial Number: $SER_DEDI' '$T/crl.txt' | grep -q 'Key Compromise'"
check "the CRL lists the owner's own request (reason unspecified)" grep -qi "Serial Number: $SER_RINA" "$T/crl.txt"
timeout 30 openssl ocsp -issuer "$CA/issuing.pem" -cert "$T/$WATI.pem" -url "$SERVER_URL/ocsp" \
	-CAfile "$CA/root.pem" -timeout 20 >"$T/ocsp.txt" 2>&1
check "OCSP (openssl ocsp) answers revoked for the pensiun certificate" grep -q "$T/$WATI.pem: revoked" "$T/ocsp.txt"
check "OCSP gives the reason cessationOfOperation" grep -qi "Reason: cessationOfOperation" "$T/ocsp.txt"

# Every state change is in the audit trail, with the actor.
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
for a in revocation.acknowledge esign.passphrase.change esign.totp.enrol esign.totp.disable; do
	check "audit has $a" jq -e --arg a "$a" '[.[] | select(.action == $a)] | length == 1' <<<"$trail" >/dev/null
done
check "the acknowledgement names the head as actor" \
	jq -e --arg h "nik:$HEAD" '[.[] | select(.action == "revocation.acknowledge" and .actor == $h)] | length == 1' <<<"$trail" >/dev/null
check "the pensiun revocation names the head as actor" \
	jq -e --arg h "nik:$HEAD" '[.[] | select(.actor == $h and (.reason | contains("pensiun")))] | length >= 1' <<<"$trail" >/dev/null
check "no passphrase in the audit trail" bash -c '! printf "%s" "$1" | grep -qF -e "$2" -e "$3"' _ "$trail" "$PW" "$NEWPW"
check "no passphrase in the server's log" bash -c '! grep -qF -e "$1" -e "$2" "$3"' _ "$PW" "$NEWPW" "$SERVER_LOG"
check "audit verify: the chain is intact" quiet "$S" audit verify --dir "$I"
for f in owner-certs owner-cert owner-renewed owner-security owner-pass-wrong owner-pass-weak owner-pass-ok owner-totp \
	owner-security-totp owner-revoke owner-revoke-confirm owner-revoked owner-loss-confirm owner-loss owner-loss-bad \
	owner-loss-done agency agency-acked agency-revoke agency-revoke-confirm agency-revoked error-403-owner; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
