#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Complaints, the issuer's help and published guidance (issue 13) in a real
# headless Chromium (tests/portal/gov_ticket_flow.py), raw HTTP, the REST
# API and the CLI, for every role: a person files a ticket with an
# attachment (the helpdesk is mailed), the Dinas takes it on, asks the
# issuer (mailed to [governance] issuer_help_to; the ticket escalated),
# records the answer, resolves it; the person closes it.  A complaint about
# operator op3 reaches op3's superior (Kabid) and the Kepala Dinas, never
# op3 nor the other operators, on every path.  The Kepala Dinas publishes
# the SOP twice; /portal/sop shows the latest and the older on request.
# Screenshots in $SERTEL_BUILD/screenshots/portal-gov-ticket.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_gov_ticket

SITI=3274014101920002
ANDI=3274010101850001
KADIS=3274010101750001
OP1=3274010101820001
OP2=3274010101830001
KABID=3274010101700002
OP3=3274010101840003
BUDI=3274010101800001

# Before the server starts: op3 (an operator whose superior is Kabid) and
# the [governance] addresses.
portal_setup_more() {
	quiet "$S" person add --dir "$I" --nik $KABID --name "Kepala Bidang Persandian" \
		--email kabid@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon ||
		return 1
	quiet "$S" person add --dir "$I" --as $KADIS --nik $OP3 --name "Operator Tiga" \
		--email op3@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon \
		--superior $KABID || return 1
	quiet "$S" person appoint --dir "$I" --as $KADIS $OP3 --role operator-op || return 1
	cat >>"$I/sertel.conf" <<CONF

[governance]
helpdesk_to = helpdesk@kominfo.cirebonkota.go.id
issuer_help_to = bantuan@bsre.test
CONF
}
. "$(dirname "$0")/setup.sh"

tok() { "$S" token create --dir "$I" --name "$1" --nik "$2" --json 2>/dev/null | jq -r .token; }
export TOK_OP3=$(tok op3 $OP3) TOK_KABID=$(tok kabid $KABID) TOK_OP1=$(tok op1 $OP1)
export TOK_SITI=$(tok siti $SITI) TOK_BUDI=$(tok budi $BUDI)
export SITI ANDI KADIS OP1 OP2 KABID OP3 BUDI SERTEL_BIN INST_DIR=$I ATT_DIR=$F
portal_run_flow gov_ticket_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE"

trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
for a in gov.ticket.open gov.ticket.reply gov.ticket.state gov.ticket.file gov.help.request \
	gov.help.answer gov.guide.publish; do
	check "audit has $a" jq -e --arg a "$a" '[.[] | select(.action == $a)] | length >= 1' <<<"$trail" >/dev/null
done
check "the chain verifies" quiet "$S" audit verify --dir "$I"
for f in ticket-list ticket-new ticket-queue ticket-escalated ticket-closed complaint-superior \
	guide-admin sop-published sop-old; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
