#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 11's last points on the signing page, in real headless Chromium
# (tests/portal/finish_flow.py) with a real SMTP server on loopback.
#
# Previews in a limited child (sertel render-page): a PDF whose one page
# takes poppler seconds of CPU (mkslowpdf.py) is cut at [render]
# wall_seconds with "Pratinjau halaman 1 tidak dapat dibuat: ..." on the
# page while the server keeps answering; the child's limits are read from
# /proc while it runs; no child or zombie is left; the file can still be
# signed with typed coordinates; a normal PDF still previews.  The child
# itself stops at its RLIMIT_CPU (SIGXCPU) when run alone.
#
# Next signers chosen by name: the picker searches people by name,
# position or agency, the chosen ones travel as opaque references, the
# flow gets them in order, and no one else's NIK is in any HTML or URL of
# the page; forged, edited or another session's references are refused
# with nothing stored; every role allowed, anonymous sent to log in, no
# CSRF refused.  Screenshots in $SERTEL_BUILD/screenshots/portal-finish.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_finish
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-finish}
portal_setup_more() {
	# A wall clock under the CPU limit: the parent's kill is what stops
	# the hostile page here (the child's own RLIMIT_CPU is checked below).
	cat >>"$I/sertel.conf" <<CONF

[render]
cpu_seconds = 30
wall_seconds = 3
memory_mb = 512
CONF
	quiet "$S" agency add --dir "$I" --name "Dinas Kesehatan" --domain dinkes.cirebonkota.go.id ||
		return 1
	quiet "$S" person add --dir "$I" --nik 3274015505880003 --name "Rina Kartika" \
		--email rina@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon \
		--position "Kepala Bidang Aptika" || return 1
	quiet "$S" person add --dir "$I" --nik 3274016606900004 --name "Dewi Lestari" \
		--email dewi@dinkes.cirebonkota.go.id --agency "Dinas Kesehatan" --roles pemohon \
		--position "Sekretaris Dinas" || return 1
}
. "$(dirname "$0")/setup.sh"
for t in jq pdfsig qpdf; do
	command -v $t >/dev/null || die "$t is not installed"
done
mkdir -p "$SHOTS"

KADIS=3274010101750001
SITI=3274014101920002
PW='Teh-Poci-Tegal-2026'
printf '%s' "$PW" >"$T/pass.txt"
portal_sealed $SITI "$T/pass.txt" || die "Siti's sealed key"

$PY "$HERE/mkslowpdf.py" "$F/lambat.pdf" || die "mkslowpdf"
$PY "$HERE/../esign/mkpdf.py" "$F/biasa.pdf" "Surat Edaran Nomor 800/9" || die "mkpdf"
$PY "$HERE/../esign/mkpdf.py" "$F/alur.pdf" "Nota Dinas Nomor 800/10" || die "mkpdf"

# The child's own CPU limit, run alone (no parent's wall clock): SIGXCPU
# at 1 s of CPU, well before the page is drawn.
t0=$(date +%s%N)
"$S" render-page --cpu 1 --memory 512 --page 0 <"$F/lambat.pdf" >"$T/cpu.png" 2>"$T/cpu.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
note "render-page --cpu 1 on the slow page: exit $rc after $ms ms"
check_eq "render-page alone: stopped by its RLIMIT_CPU (SIGXCPU, 128+24)" 152 "$rc"
check "render-page alone: within 4 s, no image written" test "$ms" -lt 4000 -a ! -s "$T/cpu.png"
"$S" render-page --cpu 5 --memory 512 --page 0 <"$F/biasa.pdf" | head -c 8 | od -An -c >"$T/ok.head"
check "render-page alone: a normal page is a PNG on stdout" grep -q 'P   N   G' "$T/ok.head"
check "render-page is not listed in --help" bash -c "! '$S' --help | grep -q render"
check "render-page refuses a call without its limits (exit 2)" \
	bash -c "'$S' render-page --page 0 </dev/null 2>/dev/null; test \$? = 2"

people=$(inst_sql "$I" "SELECT nik FROM persons" | tr '\n' ' ')
jq -n --arg base "$SERVER_URL" --arg md "$MD" --arg shots "$SHOTS" --arg db "$DBFILE" --arg tmp "$T" \
	--arg pw "$PW" --arg files "$F" --arg pid "$SERVER_PID" --arg people "$people" '{
	base: $base, maildir: $md, shots: $shots, db: $db, tmp: $tmp, pw: $pw, files: $files,
	server_pid: ($pid | tonumber), people: ($people | split(" ") | map(select(. != "")))}' >"$T/finish.json"
portal_run_flow finish_flow.py "$T/finish.json"

if [ -s "$T/lambat-signed.pdf" ]; then
	check "the slow letter, signed without its preview: qpdf --check" quiet qpdf --check "$T/lambat-signed.pdf"
	check "the slow letter, signed without its preview: sertel verify" quiet "$S" verify --dir "$I" "$T/lambat-signed.pdf"
else
	fail "the slow letter was not downloaded signed"
fi
check "the server log names the stopped preview" grep -q 'killed after 3 s (wall clock)' "$SERVER_LOG"
check "no passphrase in the server log" bash -c "! grep -q 'Teh-Poci' '$SERVER_LOG'"
for f in preview-failed preview-ok picker-search picker-chosen picker-flow; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
finish
