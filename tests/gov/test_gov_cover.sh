#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Coverage and the register of electronic systems through the CLI and the
# REST API, on the engine of this run (issue 13, g-cover): the staff CSV
# import (bad rows with line numbers, nothing imported), the headcount,
# `gov coverage show`, systems and their states, and the TLS probe against
# servers this script starts on 127.0.0.1 only: openssl s_server with the
# registered sertel-issued sistem certificate (match, chain valid), with
# another certificate (mismatch), a closed port (error, bounded time), a
# server redirecting to another host (recorded, not followed) and a
# non-TLS listener.  Refusals exit 2 with one line and change nothing.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup gov_cover
S=$SERTEL_BIN
I=$T/inst
HERE=$(cd "$(dirname "$0")" && pwd)
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
cat >>"$I/sertel.conf" <<'EOF'

[governance]
probe_private = yes
probe_timeout = 3
probe_min_gap = 0
EOF

KOMINFO="Dinas Komunikasi dan Informatika"
DINKES="Dinas Kesehatan"
KADIS=3274010101800001
OP1=3274010101900001
HEADA=3274010202910002
HEADB=3274010303920003
AUD=3274010404930004
SITI=3274014101920002
PIDS=

cleanup_servers() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=
}
trap 'cleanup_servers; on_exit' EXIT

counts() {
	inst_sql "$I" "SELECT (SELECT COUNT(*) FROM gov_staff)||'/'||(SELECT COUNT(*) FROM gov_headcounts)||'/'||(SELECT COUNT(*) FROM gov_systems)||'/'||(SELECT COUNT(*) FROM gov_probes)||'/'||(SELECT COUNT(*) FROM audit)"
}

# refused DESC CMD...: exit 2, one stderr line, nothing changed.
refused() {
	local desc=$1 before after rc
	shift
	before=$(counts)
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	after=$(counts)
	if [ $rc -ne 2 ]; then
		fail "$desc: exit $rc, expected 2 ($(cat "$T/err"))"
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then
		fail "$desc: stderr is not one line: $(cat "$T/err")"
	elif [ "$before" != "$after" ]; then
		fail "$desc: store changed ($before -> $after)"
	else
		pass "$desc: refused ($(cat "$T/err"))"
	fi
}

ok "agency $KOMINFO" "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id
ok "agency $DINKES" "$S" agency add --dir "$I" --name "$DINKES" --domain dinkes.cirebonkota.go.id
ok "kepala dinas" "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
ok "appointed" "$S" person appoint --dir "$I" $KADIS --role kepala-dinas
ok "operator" "$S" person add --dir "$I" --nik $OP1 --name "Operator Satu" --email op1@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
ok "appointed" "$S" person appoint --dir "$I" $OP1 --role operator-op --as $KADIS
ok "auditor" "$S" person add --dir "$I" --nik $AUD --name "Auditor" --email aud@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon
ok "appointed" "$S" person appoint --dir "$I" $AUD --role auditor --as $KADIS
ok "head of Kominfo" "$S" person add --dir "$I" --nik $HEADA --name "Kepala Kominfo" --email heada@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,kepala-perangkat-daerah
ok "head of Dinkes" "$S" person add --dir "$I" --nik $HEADB --name "Kepala Dinkes" --email headb@dinkes.cirebonkota.go.id --agency "$DINKES" --roles pemohon,kepala-perangkat-daerah
ok "applicant" "$S" person add --dir "$I" --nik $SITI --name "Siti Aminah" --email siti@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon

# ---- the staff CSV -----------------------------------------------------------
printf 'NIK;NIP;Nama;Perangkat Daerah;Jabatan\n%s;;Siti Aminah;%s;Pranata Komputer\n3274010101860001;;"Budi; Santoso";%s;Staf\n3274010101870001;;Dewi;%s;Bidan\n' \
	$SITI "$KOMINFO" "$KOMINFO" "$DINKES" >"$T/staff.csv"
printf 'NIK,NIP,Nama,Perangkat Daerah,Jabatan\n3274010101860001,,Budi,%s,Staf\n12345,,Pendek,%s,Staf\n3274010101880001,,Tak Ada,Dinas Pariwisata,Staf\n3274010101860001,,Ganda,%s,Staf\n' \
	"$KOMINFO" "$KOMINFO" "$KOMINFO" >"$T/bad.csv"
refused "a CSV with bad rows" "$S" gov staff import --dir "$I" --file "$T/bad.csv" --reason "ekspor" --as $OP1
check_eq "every bad row on stdout with its line" "baris 3|baris 4|baris 5" "$(cut -d: -f1 "$T/out" | paste -sd'|')"
"$S" gov staff import --dir "$I" --file "$T/bad.csv" --reason "ekspor" --as $OP1 --json >"$T/bad.json" 2>/dev/null
check_eq "--json: the bad rows' lines" "3,4,5" "$(jq -r '[.errors[].line] | join(",")' "$T/bad.json")"
refused "the auditor does not import" "$S" gov staff import --dir "$I" --file "$T/staff.csv" --reason x --as $AUD
refused "a head of agency does not import" "$S" gov staff import --dir "$I" --file "$T/staff.csv" --reason x --as $HEADA
refused "no reason" "$S" gov staff import --dir "$I" --file "$T/staff.csv" --as $OP1
printf '[governance]\nstaff_csv_max = 50\n' >"$T/small.conf"
cp "$I/sertel.conf" "$T/conf.bak"
cat "$T/small.conf" >>"$I/sertel.conf"
refused "a file over staff_csv_max" "$S" gov staff import --dir "$I" --file "$T/staff.csv" --reason x --as $OP1
cp "$T/conf.bak" "$I/sertel.conf"
ok "the operator imports" "$S" gov staff import --dir "$I" --file "$T/staff.csv" --reason "ekspor SIMPEG" --as $OP1 --json
check_eq "counts" "3/2/3/0" "$(jq -r '"\(.rows)/\(.agencies)/\(.added)/\(.removed)"' "$T/out")"
check_eq "no NIK in the audit trail" "0" "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'gov.cover.import' AND reason LIKE '%3274%'")"
refused "a negative headcount" "$S" gov staff headcount --dir "$I" --agency "$KOMINFO" --count -1 --reason x --as $KADIS
refused "another agency's head" "$S" gov staff headcount --dir "$I" --agency "$KOMINFO" --count 5 --reason x --as $HEADB
refused "an unknown agency" "$S" gov staff headcount --dir "$I" --agency "Dinas Pariwisata" --count 5 --reason x --as $KADIS
ok "the own head enters a headcount" "$S" gov staff headcount --dir "$I" --agency "$DINKES" --count 40 --reason "data 2026" --as $HEADB
ok "coverage (Kepala Dinas)" "$S" gov coverage show --dir "$I" --as $KADIS --json
check_eq "Kominfo: 2 listed, 0 holders" "2/0" "$(jq -r '.agencies[] | select(.name == "'"$KOMINFO"'") | "\(.headcount)/\(.holders)"' "$T/out")"
check_eq "12 months" "12" "$(jq '.months | length' "$T/out")"
ok "coverage (head of Dinkes): own agency" "$S" gov coverage show --dir "$I" --as $HEADB --json
check_eq "one agency" "$DINKES" "$(jq -r '[.agencies[].name] | join(",")' "$T/out")"
refused "coverage for an applicant" "$S" gov coverage show --dir "$I" --as $SITI
ok "who lacks a certificate" "$S" gov staff missing --dir "$I" --agency "$KOMINFO" --as $HEADA --json
check_eq "names, no NIK" "Budi; Santoso,Siti Aminah|0" "$(jq -r '[.[].name] | join(",")' "$T/out")|$(grep -c 3274 "$T/out")"

# ---- systems -----------------------------------------------------------------
make_csr "$T/sys.csr" ec-p256 sys || die "csr"
"$S" cert issue --dir "$I" --csr "$T/sys.csr" --type sistem --usage ssl-server --cn "127.0.0.1" --ip 127.0.0.1 --nik $HEADA --out "$T/sys.pem" --json >"$T/sys.json" 2>"$T/err" || die "sistem cert: $(cat "$T/err")"
SERIAL=$(jq -r .serial "$T/sys.json")
make_csr "$T/ind.csr" ec-p256 ind || die "csr"
"$S" cert issue --dir "$I" --csr "$T/ind.csr" --type individu --usage signing --cn "Siti Aminah" --nik $SITI --json >"$T/ind.json" 2>/dev/null || die "individu cert"
IND=$(jq -r .serial "$T/ind.json")
"$S" ca show --dir "$I" >/dev/null 2>&1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/other.key" -out "$T/other.pem" -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 2>/dev/null || die "self-signed"

P_MATCH=$(free_port)
openssl s_server -accept 127.0.0.1:$P_MATCH -cert "$T/sys.pem" -key "$T/sys.csr.key" -www -quiet >"$T/s1.log" 2>&1 &
PIDS="$PIDS $!"
P_OTHER=$(free_port)
openssl s_server -accept 127.0.0.1:$P_OTHER -cert "$T/other.pem" -key "$T/other.key" -www -quiet >"$T/s2.log" 2>&1 &
PIDS="$PIDS $!"
python3 "$HERE/probe_server.py" redirect "$T/p_redir" "$T/sys.pem" "$T/sys.csr.key" &
PIDS="$PIDS $!"
python3 "$HERE/probe_server.py" plain "$T/p_plain" &
PIDS="$PIDS $!"
P_CLOSED=$(free_port)
for _ in $(seq 50); do [ -s "$T/p_redir" ] && [ -s "$T/p_plain" ] && break; sleep 0.1; done
P_REDIR=$(cat "$T/p_redir")
P_PLAIN=$(cat "$T/p_plain")
for p in $P_MATCH $P_OTHER; do
	for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $p), 1)" 2>/dev/null && break; sleep 0.1; done
done

refused "an address that is not a host" "$S" gov system add --dir "$I" --name X --agency "$KOMINFO" --url "https://bad_host!/" --reason x --as $OP1
refused "http, not https" "$S" gov system add --dir "$I" --name X --agency "$KOMINFO" --url "http://127.0.0.1/" --reason x --as $OP1
refused "an individu certificate" "$S" gov system add --dir "$I" --name X --agency "$KOMINFO" --url "https://127.0.0.1:$P_MATCH/" --cert "$IND" --reason x --as $OP1
refused "an unknown serial" "$S" gov system add --dir "$I" --name X --agency "$KOMINFO" --url "https://127.0.0.1:$P_MATCH/" --cert 0a0b0c --reason x --as $OP1
refused "the auditor registers nothing" "$S" gov system add --dir "$I" --name X --agency "$KOMINFO" --url "https://127.0.0.1:$P_MATCH/" --reason x --as $AUD
refused "another agency's head" "$S" gov system add --dir "$I" --name X --agency "$KOMINFO" --url "https://127.0.0.1:$P_MATCH/" --reason x --as $HEADB
add() { "$S" gov system add --dir "$I" --name "$1" --agency "$KOMINFO" --url "$2" ${3:+--cert "$3"} --reason "daftar" --as $HEADA --json 2>"$T/err" | jq -r .id; }
S_MATCH=$(add "SIMPEG" "https://127.0.0.1:$P_MATCH/" "$SERIAL")
S_OTHER=$(add "SIKD" "https://127.0.0.1:$P_OTHER/" "$SERIAL")
S_REDIR=$(add "Portal" "https://127.0.0.1:$P_REDIR/masuk" "$SERIAL")
S_PLAIN=$(add "Lama" "https://127.0.0.1:$P_PLAIN/")
S_CLOSED=$(add "Mati" "https://127.0.0.1:$P_CLOSED/")
check "five systems registered by the head of Kominfo" test "$(inst_sql "$I" "SELECT COUNT(*) FROM gov_systems")" = 5

probe() { "$S" gov system probe --dir "$I" "$1" --as ${2:-$OP1} --json >"$T/probe.json" 2>"$T/err"; }
ok "probe: the registered certificate" probe "$S_MATCH"
check_eq "match: ok, matches, chain valid, for the host, HTTP 200" "true/true/true/true/200" "$(jq -r '"\(.ok)/\(.matches)/\(.chain_ok)/\(.name_ok)/\(.http_status)"' "$T/probe.json")"
check_eq "the serial seen" "$SERIAL" "$(jq -r .serial "$T/probe.json")"
check_eq "its SHA-256" "$(openssl x509 -in "$T/sys.pem" -outform DER | sha256sum | cut -c1-64)" "$(jq -r .sha256 "$T/probe.json")"
ok "probe: another certificate" probe "$S_OTHER"
check_eq "mismatch: not the registered one, chain invalid" "true/false/false" "$(jq -r '"\(.ok)/\(.matches)/\(.chain_ok)"' "$T/probe.json")"
ok "probe: a redirect to another host" probe "$S_REDIR"
check_eq "recorded, not followed" "302/elsewhere.example/true" "$(jq -r '"\(.http_status)/\(.redirect_host)/\(.matches)"' "$T/probe.json")"
check "the error names it" grep -q "not followed" "$T/probe.json"
ok "probe: a non-TLS listener" probe "$S_PLAIN"
check_eq "handshake error recorded" "false" "$(jq -r .ok "$T/probe.json")"
check "the error names the handshake" grep -q "TLS handshake" "$T/probe.json"
t0=$(date +%s)
ok "probe: a closed port" probe "$S_CLOSED"
check "within probe_timeout" test $(($(date +%s) - t0)) -le 5
check "the error names the connection" grep -q "connect 127.0.0.1" "$T/probe.json"
refused "the auditor does not probe" probe "$S_MATCH" $AUD
refused "another agency's head does not probe" probe "$S_MATCH" $HEADB
ok "the history" "$S" gov system show --dir "$I" "$S_MATCH" --as $AUD --json
check_eq "one probe of SIMPEG" "1" "$(jq '.probes | length' "$T/out")"
ok "retire" "$S" gov system retire --dir "$I" "$S_CLOSED" --reason "dihentikan" --as $KADIS
refused "retire twice" "$S" gov system retire --dir "$I" "$S_CLOSED" --reason "lagi" --as $KADIS
refused "a retired system is not probed" probe "$S_CLOSED"
ok "activate" "$S" gov system activate --dir "$I" "$S_CLOSED" --reason "dipakai lagi" --as $OP1
ok "list for the head of Kominfo" "$S" gov system list --dir "$I" --as $HEADA --json
check_eq "five" "5" "$(jq length "$T/out")"
ok "list for the head of Dinkes" "$S" gov system list --dir "$I" --as $HEADB --json
check_eq "none of Kominfo's" "0" "$(jq length "$T/out")"

# ---- the REST API ---------------------------------------------------------------
server_start "$I" || die "server did not start"
TK=$("$S" token create --dir "$I" --name kadis --nik $KADIS --json | jq -r .token)
TB=$("$S" token create --dir "$I" --name headb --nik $HEADB --json | jq -r .token)
TS=$("$S" token create --dir "$I" --name siti --nik $SITI --json | jq -r .token)
TA=$("$S" token create --dir "$I" --name aud --role auditor --json | jq -r .token)
allowed "GET coverage (Kepala Dinas)" 200 "$TK" GET "/api/v1/gov/coverage"
check_eq "two agencies, certificate counts" "2/true" "$(jq -r '"\(.agencies | length)/\(.certs | length > 0)"' "$T/body")"
allowed "GET coverage (auditor token)" 200 "$TA" GET "/api/v1/gov/coverage?days=60"
allowed "GET coverage (applicant) refused" 403 "$TS" GET "/api/v1/gov/coverage"
check "a JSON error" is_json_error
allowed "GET coverage without a token" 401 - GET "/api/v1/gov/coverage"
allowed "GET missing (head of Dinkes, Kominfo) refused" 403 "$TB" GET "/api/v1/gov/coverage/missing?agency=$(jq -rn --arg a "$KOMINFO" '$a|@uri')"
before=$(counts)
allowed "POST headcount by another agency's head" 403 "$TB" POST "/api/v1/gov/headcounts" -H 'Content-Type: application/json' -d "{\"agency\":\"$KOMINFO\",\"count\":3,\"reason\":\"x\"}"
allowed "POST headcount negative" 400 "$TK" POST "/api/v1/gov/headcounts" -H 'Content-Type: application/json' -d "{\"agency\":\"$KOMINFO\",\"count\":-3,\"reason\":\"x\"}"
allowed "POST import with bad rows" 400 "$TK" POST "/api/v1/gov/staff/import" -H 'Content-Type: application/json' --data-binary "$(jq -n --rawfile c "$T/bad.csv" '{csv: $c, reason: "x"}')"
check_eq "the bad rows' lines" "3,4,5" "$(jq -r '[.errors[].line] | join(",")' "$T/body")"
allowed "POST system, not a host" 400 "$TK" POST "/api/v1/gov/systems" -H 'Content-Type: application/json' -d '{"name":"X","agency":"'"$KOMINFO"'","url":"https://bad_host!/","reason":"x"}'
allowed "POST system, unknown field" 400 "$TK" POST "/api/v1/gov/systems" -H 'Content-Type: application/json' -d '{"nama":"X"}'
allowed "POST probe by the auditor" 403 "$TA" POST "/api/v1/gov/systems/$S_MATCH/probe"
check_eq "refusals changed nothing" "$before" "$(counts)"
allowed "POST headcount (Kepala Dinas)" 200 "$TK" POST "/api/v1/gov/headcounts" -H 'Content-Type: application/json' -d "{\"agency\":\"$DINKES\",\"count\":41,\"reason\":\"koreksi\"}"
allowed "POST system (head of Dinkes)" 201 "$TB" POST "/api/v1/gov/systems" -H 'Content-Type: application/json' -d '{"name":"SIK","agency":"'"$DINKES"'","url":"https://127.0.0.1:'"$P_MATCH"'/sik","cert_serial":"'"$SERIAL"'","reason":"daftar"}'
warned() { jq -e '.warning | test("another agency")' "$T/body" >/dev/null; }
check "warned: another agency's certificate" warned
S_SIK=$(jq -r .id "$T/body")
# The server's notices thread probes a system never probed (gov_tick).
for _ in $(seq 100); do
	n=$(inst_sql "$I" "SELECT COUNT(*) FROM gov_probes WHERE system_id = '$S_SIK' AND via = 'schedule'")
	[ "$n" -ge 1 ] && break
	sleep 0.2
done
check_eq "the schedule probed the new system" "1" "$n"
check_eq "and recorded what it saw" "true" "$("$S" gov system show --dir "$I" "$S_SIK" --json | jq -r '.probes[0].matches')"
allowed "POST probe (Kepala Dinas)" 200 "$TK" POST "/api/v1/gov/systems/$S_MATCH/probe"
check_eq "matches over the API" "true" "$(jq -r .matches "$T/body")"
allowed "GET a system with its probes" 200 "$TA" GET "/api/v1/gov/systems/$S_MATCH"
check_eq "two probes now" "2" "$(jq '.probes | length' "$T/body")"
allowed "POST retire (Kepala Dinas)" 200 "$TK" POST "/api/v1/gov/systems/$S_PLAIN/retire" -H 'Content-Type: application/json' -d '{"reason":"diganti"}'
allowed "POST retire again" 409 "$TK" POST "/api/v1/gov/systems/$S_PLAIN/retire" -H 'Content-Type: application/json' -d '{"reason":"lagi"}'
server_stop
cleanup_servers
finish
