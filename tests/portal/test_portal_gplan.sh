#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Governance, needs / master plan / decree (issue 13): the portal's pages in
# a real headless Chromium and every action with every role as raw HTTP
# (tests/portal/gplan_flow.py), the REST API with person-bound tokens, and
# the CLI's one-line refusals.  Screenshots land in
# $SERTEL_BUILD/screenshots/portal-gplan.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_gplan
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-gplan}

# Two agencies, each with its head (kepala perangkat daerah).
portal_setup_more() {
	quiet "$S" person add --dir "$I" --nik 3274010707700001 --name "Hendra Kusuma" \
		--email hendra@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
		--roles pemohon,kepala-perangkat-daerah &&
		quiet "$S" agency add --dir "$I" --name "Dinas Kesehatan" \
			--domain dinkes.cirebonkota.go.id &&
		quiet "$S" person add --dir "$I" --nik 3274014808790002 --name "Rina Marlina" \
			--email rina@dinkes.cirebonkota.go.id --agency "Dinas Kesehatan" \
			--roles pemohon,kepala-perangkat-daerah
}
. "$(dirname "$0")/setup.sh"

# Person-bound API tokens for the API part of the flow.
tok() { "$S" token create --dir "$I" --name "$1" --nik "$2" 2>/dev/null | grep -o 'stk_[A-Za-z0-9_-]*' | head -1; }
TOKENS=$T/tokens.json
printf '{"kadis":"%s","heada":"%s","headb":"%s","op":"%s","siti":"%s","auditor":"%s"}\n' \
	"$(tok t-kadis 3274010101750001)" "$(tok t-heada 3274010707700001)" \
	"$(tok t-headb 3274014808790002)" "$(tok t-op 3274010101820001)" \
	"$(tok t-siti 3274014101920002)" "$(tok t-audit 3274010101800001)" >"$TOKENS"
check "API tokens created" quiet jq -e '[.[] | select(startswith("stk_"))] | length == 6' "$TOKENS"

portal_run_flow gplan_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$DBFILE" "$F" "$TOKENS" \
	hendra@kominfo.cirebonkota.go.id rina@dinkes.cirebonkota.go.id \
	op1@kominfo.cirebonkota.go.id kadis@kominfo.cirebonkota.go.id \
	budi@kominfo.cirebonkota.go.id siti@kominfo.cirebonkota.go.id

# The CLI: the same rules, one-line refusals, exit 2, --json.
cli_refused() {
	local desc=$1 rc
	shift
	"$@" >"$T/cli.out" 2>"$T/cli.err"
	rc=$?
	check "CLI $desc: exit 2 with one line ($(head -c 120 "$T/cli.err"))" \
		test "$rc" = 2 -a "$(wc -l <"$T/cli.err")" = 1
}
HEADA="--as 3274010707700001"
KADIS="--as 3274010101750001"
cli_refused "unknown agency" "$S" gov needs create --dir "$I" $HEADA --agency "Dinas Nihil" --year 2040
cli_refused "bad year" "$S" gov needs create --dir "$I" $HEADA --agency "Dinas Kominfo" --year 20x0
cli_refused "head of another agency" "$S" gov needs create --dir "$I" --as 3274014808790002 --agency "Dinas Kominfo" --year 2040
ID=$("$S" gov needs create --dir "$I" $HEADA --agency "Dinas Kominfo" --year 2040 --json | jq -r .id)
check "CLI needs create --json" test -n "$ID" -a "$ID" != null
cli_refused "negative count" "$S" gov needs add-item "$ID" --dir "$I" $HEADA --type individu --usage signing --count -1
cli_refused "usage the type does not allow" "$S" gov needs add-item "$ID" --dir "$I" $HEADA --type individu --usage ssl-server --count 1
check "CLI add-item" quiet "$S" gov needs add-item "$ID" --dir "$I" $HEADA --type individu --usage signing --count 3 --json
cli_refused "the Kepala Dinas plans a draft" "$S" gov needs plan "$ID" --dir "$I" $KADIS
check "CLI totals --json" quiet "$S" gov needs totals --dir "$I" $KADIS --year 2040 --json
cli_refused "a decree date that is no date" "$S" gov decree add --dir "$I" $KADIS --number X/1 --date 2026-02-30
cli_refused "scope removal without a reason" "$S" gov decree scope-remove --dir "$I" $KADIS --agency "Dinas Kominfo"
check "CLI plan status --json names the status" quiet sh -c "'$S' gov plan status --dir '$I' --json | jq -e '.review_status | test(\"ok|due|late\")'"

# Every change is in the audit trail.
trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
for a in gov.needs.create gov.needs.item.add gov.needs.submit gov.needs.analyse gov.needs.plan \
	gov.needs.reject gov.needs.reopen gov.plan.create gov.plan.target gov.plan.document \
	gov.plan.review gov.plan.review_notice gov.decree.add gov.scope.add gov.scope.remove; do
	check "audit has $a" quiet jq -e --arg a "$a" '[.[] | select(.action == $a)] | length >= 1' <<<"$trail"
done
for f in needs-head needs-draft needs-error needs-submitted needs-analyse needs-planned needs-list-dinas \
	plan-empty plan plan-late decree needs-auditor plan-auditor decree-auditor; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
