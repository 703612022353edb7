#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Governance, coverage (issue 13): /portal/cakupan and /portal/sistem in a
# real headless Chromium and as raw HTTP for every role (tests/portal/
# gov_cover_flow.py): the staff CSV import with bad rows shown by line, the
# headcount, who lacks a certificate (no NIK on the page), the register of
# systems and a probe of an openssl s_server on 127.0.0.1 presenting the
# registered certificate; refusals change nothing.  Screenshots at 1280 and
# 390 under build/screenshots/portal-gov-cover.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_gov_cover
PORTAL_SHOTS=portal-gov-cover

portal_setup_more() {
	cat >>"$I/sertel.conf" <<'CONF'

[governance]
probe_private = yes
probe_timeout = 3
probe_min_gap = 0
CONF
	quiet "$S" agency add --dir "$I" --name "Dinas Kesehatan" --domain dinkes.cirebonkota.go.id &&
		quiet "$S" person add --dir "$I" --nik 3274010707700001 --name "Hendra Kusuma" \
			--nip 197007071995031001 --position "Kepala Dinas Komunikasi dan Informatika" \
			--email hendra@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
			--roles kepala-perangkat-daerah &&
		quiet "$S" person add --dir "$I" --nik 3274010808710002 --name "Dewi Lestari" \
			--email dewi@dinkes.cirebonkota.go.id --agency "Dinas Kesehatan" \
			--roles kepala-perangkat-daerah || return 1
	# Siti holds a certificate: Kominfo's coverage is not zero.
	make_csr "$T/siti.csr" ec-p256 siti || return 1
	quiet "$S" cert issue --dir "$I" --csr "$T/siti.csr" --type individu --usage signing \
		--cn "Siti Aminah" --nik 3274014101920002 || return 1
	make_csr "$T/sys.csr" ec-p256 sys || return 1
	"$S" cert issue --dir "$I" --csr "$T/sys.csr" --type sistem --usage ssl-server \
		--cn 127.0.0.1 --ip 127.0.0.1 --nik 3274010707700001 --out "$T/sys.pem" --json \
		>"$T/sys.json" || return 1
	SYS_PORT=$(free_port)
	openssl s_server -accept 127.0.0.1:$SYS_PORT -cert "$T/sys.pem" -key "$T/sys.csr.key" \
		-www -quiet >"$T/s_server.log" 2>&1 &
	SSERVER_PID=$!
}
. "$(dirname "$0")/setup.sh"
trap 'kill $SMTP_PID $SSERVER_PID 2>/dev/null; server_stop 2>/dev/null; on_exit' EXIT

printf 'NIK,NIP,Nama,Perangkat Daerah,Jabatan\n3274014101920002,,Siti Aminah,Dinas Kominfo,Pranata Komputer\n3274010101860001,,"Budi, Santoso",Dinas Kominfo,Staf\n3274010101870001,,Rina <b>Tebal</b>,Dinas Kesehatan,Bidan\n' >"$F/staff.csv"
printf 'NIK,NIP,Nama,Perangkat Daerah,Jabatan\n3274010101860001,,Budi,Dinas Kominfo,Staf\n12345,,Pendek,Dinas Kominfo,Staf\n3274010101880001,,Tak Ada,Dinas Pariwisata,Staf\n' >"$F/bad.csv"
portal_run_flow gov_cover_flow.py "$SERVER_URL" "$MD" "$SHOTS" "$S" "$I" "$F" \
	"https://127.0.0.1:$SYS_PORT/" "$(jq -r .serial "$T/sys.json")"
server_stop
finish
