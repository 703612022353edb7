#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Security incidents "at once" (Cirebon 24, Denpasar 25; issue 13's Done-
# when) on a real server (sertel serve) with a real SMTP server on loopback
# (aiosmtpd) and real headless Chromium (gov_incident_flow.py):
#  1. SMTP down: an incident reported through the portal stays "reported"
#     with no notified_at; SMTP up: the notices thread delivers both
#     recipients' notices, the incident is notified, the delay (>= the down
#     time) recorded and shown; the mails carry the facts and no NIK; the
#     Kepala Dinas handles and closes it; every route x every role (raw
#     HTTP: anonymous, the reporter, another applicant, an operator, a head
#     of agency, the Kepala Dinas, an auditor), denied ones changing nothing.
#  2. Restarted with [governance] incident_notify_within = 2 and SMTP down:
#     a second incident (API) is flagged once the time passes (API and page)
#     and the Kepala Dinas's flag mail arrives once SMTP is up, once.
#  3. A loss report through `sertel ra report-loss` and through the API
#     opens its incident.
#  4. No recipient configured: the page says so and the flag shows.
# Screenshots (1280 and 390 wide) under $SERTEL_BUILD/screenshots/portal-gov-incident.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_gov_incident
NIK_SITI=3274014101920002
NIK_HEAD=3274010101720001
portal_setup_more() {
	cat >>"$I/sertel.conf" <<CONF

[governance]
incident_notify = Kantor Gubernur Jawa Barat <gubernur@jabarprov.go.id>, BSSN <insiden@bssn.go.id>
CONF
	"$S" person add --dir "$I" --nik $NIK_HEAD --name "Kepala Kominfo" \
		--email kepala@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
		--roles pemohon,kepala-perangkat-daerah >/dev/null || return 1
	make_csr "$T/siti.csr" ec-p256 siti || return 1
	"$S" cert issue --dir "$I" --csr "$T/siti.csr" --type individu --usage signing \
		--cn "Siti Aminah" --nik $NIK_SITI --out "$T/siti.pem" >/dev/null || return 1
}
. "$(dirname "$0")/setup.sh"
trap 'kill $SMTP_PID $(cat "$T/smtp.pid" 2>/dev/null) 2>/dev/null; server_stop 2>/dev/null; on_exit' EXIT
echo "$SMTP_PID" >"$T/smtp.pid"
mkdir -p "$SHOTS"
SERIAL_SITI=$(openssl x509 -in "$T/siti.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
SERIAL_OP1=$(openssl x509 -in "$T/op1.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
# API tokens bound to people (the API acts as the person).
for who in siti:$NIK_SITI andi:3274010101850001 budi:3274010101800001 kadis:3274010101750001; do
	"$S" token create --dir "$I" --name "${who%%:*}" --nik "${who#*:}" --json |
		jq -r --arg n "${who%%:*}" '{($n): .token}'
done | jq -s add >"$T/tokens.json" || die "tokens"
SMTP_CMD="$PY -m aiosmtpd -n -l 127.0.0.1:$SMTP_PORT -c aiosmtpd.handlers.Mailbox $MD"

portal_run_flow gov_incident_flow.py phase1 "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE" \
	"$T/smtp.pid" "$SMTP_CMD" "$T/tokens.json" "$SERIAL_SITI" "$SERIAL_OP1" "$T/state.json"

# Phase 2: the configured time made small; the server restarted with it.
server_stop
printf '\n[governance]\nincident_notify_within = 2\n' >>"$I/sertel.conf"
server_start_port "$I" "$PORT" || die "server did not restart: $(tail -5 "$SERVER_LOG")"
portal_run_flow gov_incident_flow.py phase2 "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE" \
	"$T/smtp.pid" "$SMTP_CMD" "$T/tokens.json" "$SERIAL_SITI" "$SERIAL_OP1" "$T/state.json"

# Phase 3: the RA's loss report (CLI) opens its incident, linked.
out=$("$S" ra report-loss "$SERIAL_SITI" --dir "$I" --as $NIK_SITI --acknowledged-by $NIK_HEAD \
	--attach pernyataan="$F/pengantar.pdf" --attach laporan-polisi="$F/rekomendasi.pdf" --json)
jqok() { jq -e "$@" >/dev/null; }
check "ra report-loss revokes and names its incident" jqok '.status == "revoked" and (.incident_id | length == 16)' <<<"$out"
inc=$(jq -r .incident_id <<<"$out")
show=$("$S" gov incident show "$inc" --dir "$I" --json)
check "the loss report's incident is kunci-hilang, the certificate, the request linked" \
	jqok --arg s "$SERIAL_SITI" '.kind == "kunci-hilang" and .certificates == [$s] and (.revocation_request_id | length == 16) and .reporter_nik == "'$NIK_SITI'"' <<<"$show"
# ... and so does one through the API (api_ra.c).
make_csr "$T/siti2.csr" ec-p256 siti2 || die "csr"
"$S" cert issue --dir "$I" --csr "$T/siti2.csr" --type individu --usage signing \
	--cn "Siti Aminah" --nik $NIK_SITI --out "$T/siti2.pem" >/dev/null || die "cert siti2"
SERIAL2=$(openssl x509 -in "$T/siti2.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
jq -n --arg ack $NIK_HEAD --arg p "$(base64 -w0 "$F/pengantar.pdf")" --arg l "$(base64 -w0 "$F/rekomendasi.pdf")" \
	'{acknowledged_by: $ack, note: "tas hilang", attachments: [{kind: "pernyataan", filename: "p.pdf", data: $p}, {kind: "laporan-polisi", filename: "l.pdf", data: $l}]}' >"$T/loss.json"
code=$(curl -s -o "$T/loss.out" -w '%{http_code}' -H "Authorization: Bearer $(jq -r .siti "$T/tokens.json")" \
	-H "Content-Type: application/json" --data-binary @"$T/loss.json" "$SERVER_URL/api/v1/ra/certificates/$SERIAL2/report-loss")
check_eq "API report-loss revokes (200)" 200 "$code"
list=$("$S" gov incident list --dir "$I" --json)
check "the API's loss report opened its incident, linked" jqok --arg s "$SERIAL2" \
	'[.incidents[] | select(.kind == "kunci-hilang" and .revocation_request_id != null and (.title | contains($s)))] | length == 1' <<<"$list"
check "sertel gov incident tick runs once for the administrator" "$S" gov incident tick --dir "$I"
check "and is refused to a person (exit 2)" test "$("$S" gov incident tick --dir "$I" --as $NIK_SITI >/dev/null 2>&1; echo $?)" = 2
check "sertel gov incident recipients lists the configured two" test "$("$S" gov incident recipients --dir "$I" --json | jq '.recipients | length')" = 2
check "sertel gov incident list refuses a bad state (exit 2)" test "$("$S" gov incident list --dir "$I" --state terbuka >/dev/null 2>&1; echo $?)" = 2
check "the audit trail records reports, notices, handling and the flag" \
	bash -c "'$S' audit list --dir '$I' --json | jq -e '[.[] | select(.action | startswith(\"gov.incident.\")) | .action] | (index(\"gov.incident.report\") != null) and (index(\"gov.incident.notified\") != null) and (index(\"gov.incident.act\") != null) and (index(\"gov.incident.flag\") != null)' >/dev/null"
# Phase 4: no recipient configured; the page says so, the flag shows.
server_stop
printf '\n[governance]\nincident_notify =\n' >>"$I/sertel.conf"
server_start_port "$I" "$PORT" || die "server did not restart: $(tail -5 "$SERVER_LOG")"
portal_run_flow gov_incident_flow.py phase3 "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE" \
	"$T/smtp.pid" "$SMTP_CMD" "$T/tokens.json" "$SERIAL_SITI" "$SERIAL_OP1" "$T/state.json"
for f in incident-list incident-form-error incident-reported incident-notified incident-handled incident-closed incident-late incident-auditor; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
