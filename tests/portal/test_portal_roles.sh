#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Every portal route with every role, as raw HTTP (tests/portal/roles_flow.py):
# the routes come from `sertel portal routes`, so each route added is tried
# too; refused ones change nothing in the store.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_roles
PORTAL_SHOTS=portal-roles

# A head of agency, besides the people of setup.sh.
portal_setup_more() {
	quiet "$S" person add --dir "$I" --nik 3274010707700001 --name "Hendra Kusuma" \
		--nip 197007071995031001 --position "Kepala Dinas Komunikasi dan Informatika" \
		--email hendra@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
		--roles kepala-perangkat-daerah
}
. "$(dirname "$0")/setup.sh"

portal_run_flow roles_flow.py "$SERVER_URL" "$MD" "$S" "$I" \
	pemohon=siti@kominfo.cirebonkota.go.id:pemohon \
	operator=op1@kominfo.cirebonkota.go.id:pemohon,operator-op \
	kepala-pd=hendra@kominfo.cirebonkota.go.id:kepala-perangkat-daerah \
	kepala-dinas=kadis@kominfo.cirebonkota.go.id:pemohon,kepala-dinas \
	auditor=budi@kominfo.cirebonkota.go.id:auditor
server_stop
finish
