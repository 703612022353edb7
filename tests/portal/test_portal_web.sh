#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The portal in a real headless Chromium (tests/portal/portal_flow.py): an
# applicant logs in with a one-time link delivered by a real SMTP server on
# loopback (aiosmtpd), sees the home page, switches language, logs out;
# raw HTTP tries what a browser never sends (a replayed link, forms without
# their token).  Screenshots land in $SERTEL_BUILD/screenshots/portal.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_web
. "$(dirname "$0")/setup.sh"

portal_run_flow portal_flow.py "$SERVER_URL" "$MD" "$SHOTS" \
	siti@kominfo.cirebonkota.go.id "Siti Aminah" budi@kominfo.cirebonkota.go.id "$DBFILE" \
	andi@kominfo.cirebonkota.go.id "$F" op1@kominfo.cirebonkota.go.id op2@kominfo.cirebonkota.go.id \
	kadis@kominfo.cirebonkota.go.id

# Every step is in the audit trail: the link mailed, used, the login and
# the logout, with the person as object.
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
for a in portal.link portal.link.used portal.login portal.logout auth.fail auth.throttle person.appoint agreement.create; do
	check "audit has $a" jq -e --arg a "$a" '[.[] | select(.action == $a)] | length >= 1' <<<"$trail" >/dev/null
done
# The flow tampered with entry 3 on purpose; the CLI agrees with the page.
check "the trail records the browser's address" jq -e '[.[] | select(.action == "portal.login" and (.reason | contains("peer=127.0.0.1")))] | length >= 1' <<<"$trail" >/dev/null
check "audit verify (CLI) finds the same tampering" test "$("$S" audit verify --dir "$I" >/dev/null 2>&1; echo $?)" = 1
for f in login dashboard link-sent link-confirm sop error-404 audit audit-verified audit-broken app-type app-new app-submitted app-draft queue app-decide app-returned app-approved certs dashboard-operator dinas; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
