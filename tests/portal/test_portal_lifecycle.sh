#!/bin/bash
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

"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export"
portal_run_flow lifecycle_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$F" \
	op1@kominfo.cirebonkota.go.id op2@kominfo.cirebonkota.go.id budi@kominfo.cirebonkota.go.id \
	individu=siti@kominfo.cirebonkota.go.id,jabatan=rahmat@kominfo.cirebonkota.go.id,sistem=agus@kominfo.cirebonkota.go.id \
	"$T/ca" "$T"

# Each application is issued in the store, as the CLI reads it, and its
# certificate is the one the owner downloaded.
for kind in individu jabatan sistem; do
	app=$(jq -r --arg k "$kind" '.applications[$k] // empty' "$SHOTS/lifecycle.json")
	serial=$(jq -r --arg k "$kind" '.serials[$k] // empty' "$SHOTS/lifecycle.json")
	check "$kind: the application is issued with its serial (CLI)" \
		sh -c "\"$S\" ra show --dir \"$I\" \"$app\" --json | jq -e --arg s \"$serial\" '.state == \"issued\" and .cert_serial == \$s' >/dev/null"
	got=$(openssl x509 -in "$T/owner-$kind.pem.leaf" -noout -serial 2>/dev/null | cut -d= -f2 |
		tr A-Z a-z | sed 's/^0*//')
	want=$(echo "$serial" | tr A-Z a-z | sed 's/^0*//')
	check "$kind: the downloaded certificate has that serial (openssl)" test -n "$want" -a "$got" = "$want"
done
server_stop
finish
