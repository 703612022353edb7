#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The operator's tools and the Kepala Dinas's rules in a real headless
# Chromium (tests/portal/oper_flow.py) and with raw HTTP for every role:
# the certificate search by each criterion (the serial typed three ways),
# a bulk revocation of two through the confirmation page (the CRL, read by
# openssl, lists both), a partial failure reported per row, written
# warnings up to the threshold and the proposal they open, the unlock of
# a signer locked by wrong passphrases on the e-sign API, an e-sign client
# added (its secret shown once and working on the API) and revoked, the
# notices page, the Kepala Dinas dismissing op2 (whose next decision is
# refused) and setting individu to 3 approvals (a new application needs
# 3, an older one keeps 2).  Screenshots in $SERTEL_BUILD/screenshots/portal-oper.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_oper
. "$(dirname "$0")/setup.sh"

SITI=3274014101920002
ANDI=3274010101850001
KADIS=3274010101750001
OP1=3274010101820001
OP2=3274010101830001
HEAD=3274010101700001
RINA=3274015202910003
LUKMAN=3274010101880001
ATT=(--attach "pengantar=$F/pengantar.pdf" --attach "rekomendasi=$F/rekomendasi.pdf" --attach "ktp=$F/ktp.png")

# More people: a head of agency, an applicant of a second agency, and an
# owner with a server-sealed key to lock.
quiet "$S" agency add --dir "$I" --name "Dinas Kesehatan" --domain dinkes.cirebonkota.go.id ||
	die "agency add failed"
quiet "$S" person add --dir "$I" --nik $HEAD --name "Kepala Kominfo" \
	--email kepala@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
	--roles pemohon,kepala-perangkat-daerah || die "person add (head) failed"
quiet "$S" person add --dir "$I" --nik $RINA --name "Rina Kusuma" \
	--email rina@dinkes.cirebonkota.go.id --agency "Dinas Kesehatan" --roles pemohon ||
	die "person add (rina) failed"
quiet "$S" person add --dir "$I" --nik $LUKMAN --name "Lukman Hakim" \
	--email lukman@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon ||
	die "person add (lukman) failed"

# Certificates to find: Siti two, Andi one, Rina one (made to end in 5 days).
issue() {
	make_csr "$T/$2.csr" ec-p256 "$2" || die "csr $2"
	quiet "$S" cert issue --dir "$I" --csr "$T/$2.csr" --type individu --usage signing \
		--cn "$3" --nik "$1" --out "$T/$2.pem" || die "cert for $2 failed"
	openssl x509 -in "$T/$2.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f'
}
SITI1=$(issue $SITI siti1 "Siti Aminah")
SITI2=$(issue $SITI siti2 "Siti Aminah")
ANDI1=$(issue $ANDI andi1 "Andi Wijaya")
RINA1=$(issue $RINA rina1 "Rina Kusuma")
inst_sql "$I" "UPDATE certs SET not_after = $(($(date +%s) + 5 * 86400)) WHERE serial = '$RINA1'" >/dev/null

# Lukman: applied, approved by both operators, issued with a generated key
# sealed under a passphrase; then five wrong passphrases on the e-sign API.
printf 'passphrase-lukman-2026' >"$T/pass.txt"
app=$("$S" ra apply --dir "$I" --as $LUKMAN --type individu --usage signing "${ATT[@]}" --json 2>/dev/null | jq -r .id)
quiet "$S" ra submit --dir "$I" --as $LUKMAN "$app" || die "lukman submit"
quiet "$S" ra approve --dir "$I" --as $OP1 "$app" || die "lukman approve 1"
quiet "$S" ra approve --dir "$I" --as $OP2 "$app" || die "lukman approve 2"
quiet "$S" ra issue --dir "$I" "$app" --as $LUKMAN --accept-agreement --generate-key \
	--passphrase-file "$T/pass.txt" --out "$T/lukman.pem" || die "lukman issue"
SETUP_SECRET=$("$S" client add --dir "$I" --name penyiapan --perms sign,verify 2>/dev/null)
[ -n "$SETUP_SECRET" ] || die "client add failed"
$PY "$HERE/../esign/mkpdf.py" "$T/a.pdf" "Surat" || die "mkpdf failed"
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -u "penyiapan:$SETUP_SECRET" -F "file=@$T/a.pdf" -F nik=$LUKMAN \
		-F "passphrase=salah-$i" -F tampilan=invisible "$SERVER_URL/api/sign/pdf"
done
check_eq "set-up: Lukman is locked by wrong passphrases" 1 \
	"$(inst_sql "$I" "SELECT locked FROM esign_owners WHERE nik = '$LUKMAN'")"

# Applications waiting in two agencies' queues (Siti submits in the
# browser flow's time; these are older).
RAPP=$("$S" ra apply --dir "$I" --as $RINA --type individu --usage signing "${ATT[@]}" --json 2>/dev/null | jq -r .id)
quiet "$S" ra submit --dir "$I" --as $RINA "$RAPP" || die "rina submit"
check_eq "set-up: an application made before the rule change needs 2" 2 \
	"$("$S" ra show --dir "$I" "$RAPP" --json 2>/dev/null | jq -r .approvals_needed)"

export SITI ANDI KADIS OP1 OP2 HEAD RINA LUKMAN SITI1 SITI2 ANDI1 RINA1 RAPP
export SERTEL_BIN SETUP_SECRET INST_DIR=$I ATT_DIR=$F
portal_run_flow oper_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE"

# The CRL, read by openssl, lists both bulk-revoked serials with the OP's
# reason (evaluasi-op: privilegeWithdrawn).
"$S" crl --dir "$I" --out "$T/crl.der" >/dev/null 2>&1
openssl crl -inform DER -in "$T/crl.der" -noout -text >"$T/crl.txt" 2>&1
for s in $SITI1 $SITI2; do
	check "the CRL lists $s as privilegeWithdrawn" sh -c "grep -i -A5 'Serial Number: $s' '$T/crl.txt' | grep -q 'Privilege Withdrawn'"
done
check "the CRL is readable and lists Rina's" grep -qi "Serial Number: $RINA1" "$T/crl.txt"
check "the CRL does not list Andi's certificate" sh -c "! grep -qi 'Serial Number: $ANDI1' '$T/crl.txt'"

trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
for a in cert.revoke sanction.warn revocation.propose esign.unlock esign.client.add \
	esign.client.revoke esign.client.rotate person.dismiss approval.set; do
	check "audit has $a" jq -e --arg a "$a" '[.[] | select(.action == $a)] | length >= 1' <<<"$trail" >/dev/null
done
check_eq "one audit entry per bulk revocation (the two and Rina's)" 3 \
	"$(jq --arg a "$SITI1" --arg b "$SITI2" --arg c "$RINA1" '[.[] | select(.action == "cert.revoke" and (.object == ("cert:" + $a) or .object == ("cert:" + $b) or .object == ("cert:" + $c)))] | length' <<<"$trail")"
check "the chain verifies" quiet "$S" audit verify --dir "$I"
for f in search search-serial confirm result result-partial search-all warn warn-proposal \
	locked locked-none clients clients-secret clients-revoked notices notices-owner \
	dinas-rules dinas-dismissed queue-kadis search-auditor; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
