#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The whole lifecycle through the portal, for each type (issue 10, "Done
# when"): tests/portal/lifecycle_flow.py drives real headless Chromium; the
# shell then checks what it produced with tools nobody here wrote (openssl)
# and with the CLI.  Screenshots land in $SERTEL_BUILD/screenshots/portal-lifecycle.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_lifecycle
PORTAL_SHOTS=portal-lifecycle

# Applicants for jabatan and sistem, the head of their agency; every type
# needs two approvals.
portal_setup_more() {
	cat >>"$I/sertel.conf" <<CONF
jabatan = 2
sistem = 2
CONF
	quiet "$S" person add --dir "$I" --nik 3274011505780001 --name "Rahmat Hidayat" \
		--nip 197805152005011001 --position "Kepala Bidang Aplikasi Informatika" \
		--email rahmat@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon &&
		quiet "$S" person add --dir "$I" --nik 3274012003880001 --name "Agus Setiawan" \
			--nip 198803202010011002 --email agus@kominfo.cirebonkota.go.id \
			--agency "Dinas Kominfo" --roles pemohon &&
		quiet "$S" person add --dir "$I" --nik 3274010707700001 --name "Hendra Kusuma" \
			--nip 197007071995031001 --position "Kepala Dinas Komunikasi dan Informatika" \
			--email hendra@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
			--roles kepala-perangkat-daerah || return 1
	# Operator 2's certificate ends in 10 days (its home page says so).
	local db
	db=$(inst_db_url "$I" | sed 's/^sqlite://')
	case $db in /*) ;; *) db=$I/$db ;; esac
	sqlite3 "$db" "UPDATE certs SET not_after = CAST(strftime('%s', 'now') AS INTEGER) + 10 * 86400 + 3600 WHERE nik = '3274010101830001'"
}
. "$(dirname "$0")/setup.sh"

# The officials log in with their client certificate on the portal's HTTPS
# listener (setup.sh: portal_setup_mtls): op1, op2, the head of agency and
# the auditor each hold an ssl-client certificate of this instance, all
# four in the browser's NSS database; each official's browser picks their
# own by its subject CN.
portal_setup_mtls
OFFICIALS=
for o in "op1 3274010101820001 op1@kominfo.cirebonkota.go.id Operator Satu" \
	"op2 3274010101830001 op2@kominfo.cirebonkota.go.id Operator Dua" \
	"head 3274010707700001 hendra@kominfo.cirebonkota.go.id Hendra Kusuma" \
	"auditor 3274010101800001 budi@kominfo.cirebonkota.go.id Budi Auditor"; do
	set -- $o
	portal_client_cert "$1-tls" "$2" ssl-client
	portal_nss_add "$1-tls"
	OFFICIALS=$OFFICIALS${OFFICIALS:+,}$1=$3:$1-tls:$4\ $5
done

# No screenshot of an earlier run may stand in for one of this run.
rm -f "$SHOTS"/lifecycle-*.png
portal_run_flow lifecycle_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$F" \
	individu=siti@kominfo.cirebonkota.go.id,jabatan=rahmat@kominfo.cirebonkota.go.id,sistem=agus@kominfo.cirebonkota.go.id \
	"$T/ca" "$T" "$PORTAL_URL" "$BHOME" "$DBFILE" "$OFFICIALS"

# hexnorm SERIAL: upper-case hex without leading zeros, as compared here.
hexnorm() { tr a-f A-F | sed 's/^0*//'; }
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
# jq -e over the trail, its output (not check's line) discarded.
jqc() { jq -e "$@" <<<"$trail" >/dev/null; }
# links_to WHO: how many mails in the mailbox to WHO@kominfo... hold a login link.
links_to() {
	grep -rlE "^To:.*\b$1@kominfo" "$MD/new" 2>/dev/null | xargs -r grep -l 'masuk/tautan?t=' | wc -l
}
check "the mailbox holds the applicants' login links (what is counted below can be counted)" \
	test "$(links_to siti)" -ge 3
# Each official logged in only by certificate: the trail's portal.login
# names the method (mtls) and the certificate; no login link was ever
# requested for them nor mailed to them.
# op1 logs in three times (return, approve, desk), the others once.
for o in "op1 3274010101820001 op1 3" "op2 3274010101830001 op2 1" \
	"head 3274010707700001 hendra 1" "auditor 3274010101800001 budi 1"; do
	set -- $o
	tls=$(openssl x509 -in "$T/$1-tls.pem" -noout -serial | cut -d= -f2 | hexnorm)
	check "$1: the trail has $4 portal.login, each naming the method mtls and the certificate" \
		jqc --arg o "person:$2" --arg s "$tls" --argjson n "$4" '[.[] | select(.action == "portal.login" and .object == $o)] |
			length == $n and all(.reason | test("^method=mtls cert=0*" + $s + " "; "i"))'
	check "$1: no login link requested for them (no portal.link entry)" \
		jqc --arg o "person:$2" '[.[] | select(.action == "portal.link" and .object == $o)] | length == 0'
	check "$1: no login link in their mailbox" \
		test "$(links_to "$3")" = 0
done

# Each application is issued in the store, as the CLI reads it, and its
# certificate is the one the owner downloaded.  Then, as a relying party
# sees it: the CRL at the certificate's distribution point lists it with
# reason Cessation Of Operation (the head's pensiun), and the OCSP
# responder named in it answers revoked (cessationOfOperation).
for kind in individu jabatan sistem; do
	app=$(jq -r --arg k "$kind" '.applications[$k] // empty' "$SHOTS/lifecycle.json")
	serial=$(jq -r --arg k "$kind" '.serials[$k] // empty' "$SHOTS/lifecycle.json")
	check "$kind: the application is issued with its serial (CLI)" \
		sh -c "\"$S\" ra show --dir \"$I\" \"$app\" --json | jq -e --arg s \"$serial\" '.state == \"issued\" and .cert_serial == \$s' >/dev/null"
	leaf=$T/owner-$kind.pem.leaf
	got=$(openssl x509 -in "$leaf" -noout -serial 2>/dev/null | cut -d= -f2 | hexnorm)
	want=$(echo "$serial" | hexnorm)
	check "$kind: the downloaded certificate has that serial (openssl)" test -n "$want" -a "$got" = "$want"

	cdp=$(openssl x509 -in "$leaf" -noout -ext crlDistributionPoints 2>/dev/null | sed -n 's/^ *URI://p')
	check "$kind: the CRL DP is this server's, on loopback ($cdp)" \
		test "${cdp#"$SERVER_URL"/crl/}" != "$cdp"
	crl=$T/crl-$kind.der
	code=$(curl -s -o "$crl" -w '%{http_code}' "$cdp")
	check_eq "$kind: GET the CRL DP: HTTP 200" 200 "$code"
	check "$kind: the CRL verifies against the issuing CA (openssl crl)" \
		sh -c "openssl crl -inform DER -in '$crl' -CAfile '$T/ca/issuing.pem' -noout 2>&1 | grep -qx 'verify OK'"
	openssl crl -inform DER -in "$crl" -noout -text >"$crl.txt" 2>&1
	check_eq "$kind: the CRL lists the serial with reason Cessation Of Operation" "Cessation Of Operation" "$(
		awk -v s="$want" '/Serial Number:/ { x = $3; sub(/^0+/, "", x); on = (x == s) }
			on && /CRL Reason Code/ { getline; gsub(/^ +/, ""); print; exit }' "$crl.txt")"

	ocsp_url=$(openssl x509 -in "$leaf" -noout -ocsp_uri 2>/dev/null)
	check "$kind: the OCSP URL is this server's ($ocsp_url)" test "${ocsp_url#"$SERVER_URL"/}" != "$ocsp_url"
	timeout 30 openssl ocsp -issuer "$T/ca/issuing.pem" -cert "$leaf" -url "$ocsp_url" \
		-CAfile "$T/ca/root.pem" -timeout 20 >"$T/ocsp-$kind.txt" 2>&1
	check "$kind: openssl ocsp verifies the response" grep -qx 'Response verify OK' "$T/ocsp-$kind.txt"
	check_eq "$kind: openssl ocsp: revoked" revoked "$(sed -n "s|^$leaf: ||p" "$T/ocsp-$kind.txt")"
	check_eq "$kind: openssl ocsp: reason cessationOfOperation" cessationOfOperation \
		"$(sed -n 's/^[[:space:]]*Reason: //p' "$T/ocsp-$kind.txt")"
done
for f in lifecycle-head-staff lifecycle-head-revoke lifecycle-head-confirm lifecycle-head-revoked \
	lifecycle-audit-revoke; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
