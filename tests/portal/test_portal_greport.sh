#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The governance hub (/portal/tata-kelola) and the annual report page
# (/portal/laporan) in a real headless Chromium (greport_flow.py): the
# hub's figures and the links each role may follow; the report's figures,
# its JSON/CSV/draft downloads, the Kepala Dinas's signing with the
# passphrase typed in the page (a wrong one refused on the page, Bahasa
# Indonesia); raw HTTP as every role (anonymous -> login, the roles that
# may not -> 403 and the store unchanged, no CSRF -> 403).  The signed
# PDF passes pdfsig (valid, trusted), qpdf --check and sertel verify.
# Screenshots in $SERTEL_BUILD/screenshots/portal-greport.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_greport
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-greport}
HEAD=3274010101700001
portal_setup_more() {
	quiet "$S" person add --dir "$I" --as 3274010101750001 --nik $HEAD --name "Kepala Kominfo" \
		--email kepala@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
		--roles pemohon,atasan,kepala-perangkat-daerah --position "Kepala Dinas Kominfo"
}
. "$(dirname "$0")/setup.sh"
for t in qpdf pdfsig certutil jq; do
	command -v $t >/dev/null || die "$t is not installed"
done
mkdir -p "$SHOTS"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export"
KADIS=3274010101750001
OP1=3274010101820001
OP2=3274010101830001
PW='Teh-Poci-Tegal-2026'
printf '%s' "$PW" >"$T/pass.txt"
att=(--attach "pengantar=$F/pengantar.pdf" --attach "rekomendasi=$F/rekomendasi.pdf" --attach "ktp=$F/ktp.png")
id=$("$S" ra apply --dir "$I" --as $KADIS --type individu --usage signing "${att[@]}" --json | jq -r .id)
quiet "$S" ra submit --dir "$I" --as $KADIS "$id" || die "submit"
quiet "$S" ra approve --dir "$I" --as $OP1 "$id" --note lengkap || die "approve 1"
quiet "$S" ra approve --dir "$I" --as $OP2 "$id" --note lengkap || die "approve 2"
quiet "$S" ra issue --dir "$I" "$id" --as $KADIS --accept-agreement --generate-key \
	--passphrase-file "$T/pass.txt" --out "$T/kadis.pem" || die "the Kepala Dinas's sealed key"
Y=$(TZ=Asia/Jakarta date +%Y)

jq -n --arg base "$SERVER_URL" --arg md "$MD" --arg shots "$SHOTS" --arg db "$DBFILE" \
	--arg tmp "$T" --arg pw "$PW" --arg year "$Y" \
	'{base: $base, maildir: $md, shots: $shots, db: $db, tmp: $tmp, pw: $pw, year: $year}' \
	>"$T/greport.json"
portal_run_flow greport_flow.py "$T/greport.json"

pdfsig_trust "$T/ca/root.pem"
if pdfsig_ok "$T/signed.pdf" 1; then pass "the portal's signed report: pdfsig valid, trusted"; else fail "pdfsig: the portal's signed report"; fi
check "the portal's signed report: qpdf --check" qpdf --check "$T/signed.pdf"
check "the portal's signed report: sertel verify" "$S" verify "$T/signed.pdf" --dir "$I"
finish
