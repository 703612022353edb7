#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Registration Authority over the HTTP API, on the engine of this run.
# The people, appointments and operator certificates are set up with the
# CLI (fast); then every API operation is driven with every role: the
# allowed ones succeed, the others get 401/403 and change nothing (the
# counts of persons, agencies, applications, attachments, approvals,
# audit entries, certificates, acceptances and sealed keys are compared
# before and after).  Bad input gets a 4xx JSON error and changes nothing.
# A full flow over HTTP ends with certificates openssl verifies.
. "$(cd "$(dirname "$0")/../interop" && pwd)/lib.sh"
lib_setup ra_api
S=$SERTEL_BIN
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
"$S" ca export --dir "$I" --out "$T/ca" >/dev/null 2>&1 || die "ca export failed"

KOMINFO="Dinas Komunikasi dan Informatika"
DISDIK="Dinas Pendidikan"
KADIS=3274010101800001  # kepala-dinas (and pemohon, atasan)
OP1=3274010101900001    # operator-op with a certificate
OP2=3274010202910002    # operator-op with a certificate
OP3=3274010303920003    # operator-op without a certificate
SITI=3274014101920002   # pemohon (a woman: day + 40)
BUDI=3274010505850006   # another pemohon
ATASAN=3274011010700007 # atasan only
KPD=3274011111710008    # kepala-perangkat-daerah only
AUD=3274011212720009    # auditor only
NOBODY=3274010909900009 # a valid NIK nobody registered

# ---- helpers ------------------------------------------------------------------
# counts: persons/agencies/applications/attachments/approvals/audit/certs/
# acceptances/sealed keys.
counts() {
	inst_sql "$I" "SELECT (SELECT COUNT(*) FROM persons)||'/'||(SELECT COUNT(*) FROM agencies)||'/'||(SELECT COUNT(*) FROM applications)||'/'||(SELECT COUNT(*) FROM attachments)||'/'||(SELECT COUNT(*) FROM approvals)||'/'||(SELECT COUNT(*) FROM audit WHERE action NOT LIKE 'auth.%')||'/'||(SELECT COUNT(*) FROM certs)||'/'||(SELECT COUNT(*) FROM acceptances)||'/'||(SELECT COUNT(*) FROM sealed_keys)||'/'||(SELECT COUNT(*) FROM agreements)"
}
sql1() { inst_sql "$I" "$1"; }


JSON='Content-Type: application/json'
# refused DESC WANT TOKEN METHOD PATH [curl args...]: the status, a JSON
# {"error","code"} body, and nothing changed.
refused() {
	local desc=$1 want=$2 before after code
	shift 2
	before=$(counts) || { fail "$desc: cannot read the counts"; return; }
	code=$(call "$@")
	after=$(counts) || { fail "$desc: cannot read the counts"; return; }
	if [ "$code" != "$want" ]; then
		fail "$desc: HTTP $code, expected $want: $(head -c 300 "$T/body")"
	elif ! is_json_error; then
		fail "$desc: not a JSON {error, code} body: $(head -c 200 "$T/body")"
	elif [ "$before" != "$after" ]; then
		fail "$desc: store changed ($before -> $after)"
	else
		pass "$desc: $code ($(jq -r .error "$T/body" | head -c 110))"
	fi
}

APPS=/api/v1/applications

# ---- documents -------------------------------------------------------------------
D=$T/docs
mkdir -p "$D"
for k in pengantar rekomendasi sk penunjukan formulir lainnya; do
	printf '%%PDF-1.4\n%% %s for a test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$k" >"$D/$k.pdf"
done
python3 - "$D" <<'PY'
import sys, zlib, struct
d = sys.argv[1]
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)) \
    + chunk(b'IDAT', zlib.compress(b'\x00\x00')) + chunk(b'IEND', b'')
open(d + '/ktp.png', 'wb').write(png)
open(d + '/ktp-named.pdf', 'wb').write(png)
open(d + '/ktp.jpg', 'wb').write(b'\xff\xd8\xff\xe0' + b'\x00' * 64 + b'\xff\xd9')
open(d + '/notes.txt', 'wb').write(b'just text\n')
open(d + '/big.pdf', 'wb').write(b'%PDF-1.4\n' + bytes(11 * 1024 * 1024) + b'\n%%EOF\n')
open(d + '/huge.pdf', 'wb').write(b'%PDF-1.4\n' + bytes(13 * 1024 * 1024) + b'\n%%EOF\n')
PY

# attjson KIND=FILE...: a JSON array of {"kind", "filename", "data"}.
attjson() {
	local spec out='[]'
	for spec in "$@"; do
		out=$(jq -c --arg k "${spec%%=*}" --arg f "$(basename "${spec#*=}")" \
			--rawfile d <(base64 -w0 "${spec#*=}") '. + [{kind: $k, filename: $f, data: $d}]' <<<"$out")
	done
	printf '%s' "$out"
}
# appbody OUT JQFILTER [KIND=FILE...]: an application request in OUT.
appbody() {
	local out=$1 filter=$2
	shift 2
	attjson "$@" >"$out.att"
	jq -n --slurpfile a "$out.att" "{type: \"individu\", usages: [\"signing\"], attachments: \$a[0]} | $filter" >"$out"
}
# attbody OUT KIND=FILE...: an attachments request in OUT.
attbody() {
	local out=$1
	shift
	attjson "$@" | jq -c '{attachments: .}' >"$out"
}
BASE=("pengantar=$D/pengantar.pdf" "rekomendasi=$D/rekomendasi.pdf" "ktp=$D/ktp.png")
JAB=("${BASE[@]}" "sk=$D/sk.pdf" "penunjukan=$D/penunjukan.pdf")

# ---- setup through the CLI ---------------------------------------------------------
ok "agency $KOMINFO" "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id
ok "agency $DISDIK" "$S" agency add --dir "$I" --name "$DISDIK" --domain disdik.cirebonkota.go.id
ok "the head of Kominfo" "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas Kominfo" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan --position "Kepala Dinas"
ok "kepala-dinas appointment" "$S" person appoint --dir "$I" $KADIS --role kepala-dinas
for p in "$OP1 op1" "$OP2 op2" "$OP3 op3"; do
	set -- $p
	ok "operator $2" "$S" person add --dir "$I" --as $KADIS --nik $1 --name "Operator $2" --email "$2@kominfo.cirebonkota.go.id" --agency "$KOMINFO" --roles pemohon
	ok "operator $2 appointed" "$S" person appoint --dir "$I" --as $KADIS $1 --role operator-op
done
ok "Siti (pemohon)" "$S" person add --dir "$I" --nik $SITI --name "Siti Aminah" --email siti@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon --superior $KADIS
ok "Budi (pemohon)" "$S" person add --dir "$I" --nik $BUDI --name "Budi Santoso" --email budi@disdik.cirebonkota.go.id --agency "$DISDIK" --roles pemohon
ok "an atasan" "$S" person add --dir "$I" --nik $ATASAN --name "Atasan Saja" --email atasan@disdik.cirebonkota.go.id --agency "$DISDIK" --roles atasan
ok "a kepala-perangkat-daerah" "$S" person add --dir "$I" --nik $KPD --name "Kepala Disdik" --email kpd@disdik.cirebonkota.go.id --agency "$DISDIK" --roles kepala-perangkat-daerah
ok "an auditor (registered by the kepala-dinas)" "$S" person add --dir "$I" --as $KADIS --nik $AUD --name "Auditor Inspektorat" --email aud@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles auditor
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/op.key" -subj /CN=x -out "$T/op.csr" 2>/dev/null
ok "operator 1 certificate" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator op1" --nik $OP1
ok "operator 2 certificate" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator op2" --nik $OP2

# Tokens: one per person, application tokens for admin, auditor, operator.
declare -A TOK
ptoken() { "$S" token create --dir "$I" --name "$1" --nik "$2" --json 2>"$T/err" | jq -r .token; }
TOK[pemohon]=$(ptoken siti $SITI)
TOK[budi]=$(ptoken budi $BUDI)
TOK[atasan]=$(ptoken atasan $ATASAN)
TOK[kepala-pd]=$(ptoken kpd $KPD)
TOK[op-cert]=$(ptoken op1 $OP1)
TOK[op2]=$(ptoken op2 $OP2)
TOK[op-nocert]=$(ptoken op3 $OP3)
TOK[kepala-dinas]=$(ptoken kadis $KADIS)
TOK[auditor]=$(ptoken auditor $AUD)
TOK[admin]=$("$S" token create --dir "$I" --name "admin bkpsdm" --role admin --json | jq -r .token)
TOK[app-auditor]=$("$S" token create --dir "$I" --name "auditor app" --role auditor --json | jq -r .token)
TOK[app-operator]=$("$S" token create --dir "$I" --name "operator app" --role operator --json | jq -r .token)
TOK[none]=-
TOK[bad]="stk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
for k in "${!TOK[@]}"; do
	case $k:${TOK[$k]} in none:- | bad:stk_* | *:stk_?*) ;; *) die "token for $k not created" ;; esac
done
pass "tokens: 9 persons, admin, auditor and operator applications"
check_eq "a person's token records the NIK" "person|$SITI" "$(sql1 "SELECT role || '|' || person_nik FROM tokens WHERE name = 'siti'")"
check_rc "token create --nik of an unregistered person: exit 2" 2 "$S" token create --dir "$I" --name ghost --nik $NOBODY
check_rc "token create with both --nik and --role: exit 2" 2 "$S" token create --dir "$I" --name both --nik $SITI --role admin
check_rc "token create --role person is not an application role: exit 2" 2 "$S" token create --dir "$I" --name p --role person

# Jabatan needs two approvals (read when the server starts).
printf '\n[approval]\njabatan = 2\n' >>"$I/sertel.conf"
# Many wrong tokens from one address on purpose (the throttle on failed
# authentications has its own test, tests/security); audit entries of
# failed authentications (auth.*) are left out of the counts above.
sed -i 's/^\[server\]$/[server]\nauth_max_failures = 1000/' "$I/sertel.conf"
server_start "$I" || die "sertel serve did not become healthy: $(tail -n 5 "$T/serve.log" 2>/dev/null)"
pass "server listening on $SERVER_URL"

READ_ALL=(op-cert op-nocert kepala-dinas auditor admin app-auditor)
NO_RA=(app-operator)
UNAUTH=(none bad)

# ---- agencies ----------------------------------------------------------------------
AG='{"name": "Dinas Kesehatan", "domain": "dinkes.cirebonkota.go.id"}'
for who in pemohon atasan kepala-pd op-cert op-nocert auditor app-auditor app-operator; do
	refused "POST /agencies as $who" 403 "${TOK[$who]}" POST /api/v1/agencies -H "$JSON" --data-binary "$AG"
done
for who in "${UNAUTH[@]}"; do
	refused "POST /agencies with $who token" 401 "${TOK[$who]}" POST /api/v1/agencies -H "$JSON" --data-binary "$AG"
done
allowed "POST /agencies as kepala-dinas" 201 "${TOK[kepala-dinas]}" POST /api/v1/agencies -H "$JSON" --data-binary "$AG"
check_eq "the new agency as JSON" "Dinas Kesehatan|dinkes.cirebonkota.go.id|16" "$(jq -r '"\(.name)|\(.domain)|\(.id | length)"' "$T/ok.json")"
allowed "POST /agencies as admin" 201 "${TOK[admin]}" POST /api/v1/agencies -H "$JSON" --data-binary '{"name": "Dinas Perhubungan", "domain": "DISHUB.cirebonkota.go.id"}'
check_eq "the domain is kept in lower case" dishub.cirebonkota.go.id "$(jq -r .domain "$T/ok.json")"
refused "the same agency twice" 409 "${TOK[admin]}" POST /api/v1/agencies -H "$JSON" --data-binary "$AG"
refused "an agency with a wildcard domain" 400 "${TOK[admin]}" POST /api/v1/agencies -H "$JSON" --data-binary '{"name": "Dinas W", "domain": "*.cirebonkota.go.id"}'
refused "an agency without a domain" 400 "${TOK[admin]}" POST /api/v1/agencies -H "$JSON" --data-binary '{"name": "Dinas W"}'
NAG=$(sql1 "SELECT COUNT(*) FROM agencies")
for who in pemohon atasan kepala-pd "${READ_ALL[@]}"; do
	allowed "GET /agencies as $who" 200 "${TOK[$who]}" GET /api/v1/agencies
	check_eq "GET /agencies as $who lists all $NAG" "$NAG" "$(jq length "$T/ok.json")"
done
refused "GET /agencies with an operator application token" 403 "${TOK[app-operator]}" GET /api/v1/agencies
for who in "${UNAUTH[@]}"; do
	refused "GET /agencies with $who token" 401 "${TOK[$who]}" GET /api/v1/agencies
done

# ---- persons -----------------------------------------------------------------------
# pbody NIK LOCAL [jq filter]: a person in Kominfo.
pbody() {
	jq -nc --arg nik "$1" --arg mail "$2@kominfo.cirebonkota.go.id" \
		'{nik: $nik, name: "Pegawai Baru", email: $mail, agency: "Dinas Komunikasi dan Informatika", roles: ["pemohon"], position: "Analis"} | '"${3:-.}"
}
for who in pemohon atasan kepala-pd auditor app-auditor app-operator; do
	refused "POST /persons as $who" 403 "${TOK[$who]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930015 p5)"
done
for who in "${UNAUTH[@]}"; do
	refused "POST /persons with $who token" 401 "${TOK[$who]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930015 p5)"
done
i=0
for who in kepala-dinas op-cert op-nocert admin; do
	i=$((i + 1))
	allowed "POST /persons as $who" 201 "${TOK[$who]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 327401010193001$i p$i)"
done
check_eq "the registered person as JSON" "3274010101930014|Pegawai Baru|pemohon|Analis" "$(jq -r '"\(.nik)|\(.name)|\(.roles)|\(.position)"' "$T/ok.json")"
check_eq "the agency given by name is stored by id" "$(sql1 "SELECT id FROM agencies WHERE name = '$KOMINFO'")" "$(jq -r .agency_id "$T/ok.json")"
refused "operator-op given at registration" 403 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930016 p6 '.roles = "pemohon,operator-op"')"
refused "an operator granting admin" 403 "${TOK[op-cert]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930016 p6 '.roles = ["admin"]')"
refused "the same NIK twice" 409 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930011 p9)"

NP=$(sql1 "SELECT COUNT(*) FROM persons")
for who in "${READ_ALL[@]}"; do
	allowed "GET /persons as $who" 200 "${TOK[$who]}" GET /api/v1/persons
	check_eq "GET /persons as $who lists all $NP" "$NP" "$(jq length "$T/ok.json")"
done
for who in pemohon atasan kepala-pd app-operator; do
	refused "GET /persons as $who" 403 "${TOK[$who]}" GET /api/v1/persons
done
for who in "${UNAUTH[@]}"; do
	refused "GET /persons with $who token" 401 "${TOK[$who]}" GET /api/v1/persons
done
allowed "GET /persons?agency= (by name)" 200 "${TOK[auditor]}" GET "/api/v1/persons?agency=Dinas%20Pendidikan"
check_eq "only Disdik's people" "$(sql1 "SELECT COUNT(*) FROM persons p JOIN agencies a ON a.id = p.agency_id WHERE a.name = '$DISDIK'")" "$(jq length "$T/ok.json")"
refused "GET /persons?agency= unknown" 400 "${TOK[auditor]}" GET "/api/v1/persons?agency=Dinas%20Fiktif"

allowed "GET /persons/{own NIK} as pemohon" 200 "${TOK[pemohon]}" GET /api/v1/persons/$SITI
check_eq "own record" "$SITI|Siti Aminah|$KADIS" "$(jq -r '"\(.nik)|\(.name)|\(.superior_nik)"' "$T/ok.json")"
for who in "${READ_ALL[@]}"; do
	allowed "GET /persons/{nik} as $who" 200 "${TOK[$who]}" GET /api/v1/persons/$SITI
done
for who in budi atasan kepala-pd app-operator; do
	refused "GET /persons/{someone else} as $who" 403 "${TOK[$who]}" GET /api/v1/persons/$SITI
done
for who in "${UNAUTH[@]}"; do
	refused "GET /persons/{nik} with $who token" 401 "${TOK[$who]}" GET /api/v1/persons/$SITI
done
refused "GET /persons/{unknown NIK}" 404 "${TOK[admin]}" GET /api/v1/persons/$NOBODY
refused "GET /persons/{not a NIK}" 404 "${TOK[admin]}" GET /api/v1/persons/12345

# Appointments: only the kepala-dinas appoints operators (Cirebon 20(1)),
# only the admin a kepala-dinas.
OPR='{"role": "operator-op"}'
for who in pemohon atasan kepala-pd op-cert op-nocert auditor admin app-auditor app-operator; do
	refused "appoint operator-op as $who" 403 "${TOK[$who]}" POST /api/v1/persons/3274010101930011/appoint -H "$JSON" --data-binary "$OPR"
done
for who in "${UNAUTH[@]}"; do
	refused "appoint with $who token" 401 "${TOK[$who]}" POST /api/v1/persons/3274010101930011/appoint -H "$JSON" --data-binary "$OPR"
done
allowed "appoint operator-op as kepala-dinas" 200 "${TOK[kepala-dinas]}" POST /api/v1/persons/3274010101930011/appoint -H "$JSON" --data-binary "$OPR"
check_eq "the person now holds operator-op" "pemohon,operator-op" "$(jq -r .roles "$T/ok.json")"
refused "appointing someone twice" 409 "${TOK[kepala-dinas]}" POST /api/v1/persons/3274010101930011/appoint -H "$JSON" --data-binary "$OPR"
refused "appoint kepala-dinas as kepala-dinas" 403 "${TOK[kepala-dinas]}" POST /api/v1/persons/3274010101930012/appoint -H "$JSON" --data-binary '{"role": "kepala-dinas"}'
allowed "appoint kepala-dinas as admin" 200 "${TOK[admin]}" POST /api/v1/persons/3274010101930012/appoint -H "$JSON" --data-binary '{"role": "kepala-dinas"}'
refused "appoint auditor as admin (only a kepala-dinas appoints auditors)" 403 "${TOK[admin]}" POST /api/v1/persons/3274010101930013/appoint -H "$JSON" --data-binary '{"role": "auditor"}'
refused "appoint an unknown role" 400 "${TOK[admin]}" POST /api/v1/persons/3274010101930013/appoint -H "$JSON" --data-binary '{"role": "superuser"}'
refused "appoint without a role" 400 "${TOK[kepala-dinas]}" POST /api/v1/persons/3274010101930013/appoint -H "$JSON" --data-binary '{}'
refused "appoint an unknown NIK" 404 "${TOK[kepala-dinas]}" POST /api/v1/persons/$NOBODY/appoint -H "$JSON" --data-binary "$OPR"
refused "GET on appoint" 405 "${TOK[kepala-dinas]}" GET /api/v1/persons/$SITI/appoint
refused "an unknown person action" 404 "${TOK[kepala-dinas]}" POST /api/v1/persons/$SITI/promote -H "$JSON" --data-binary '{}'
# A token follows the person's roles as they are now.
NEWOP=$(ptoken newop 3274010101930011)
allowed "the appointed operator's token lists persons at once" 200 "$NEWOP" GET /api/v1/persons

# ---- applications: create ------------------------------------------------------------
appbody "$T/siti.json" . "pengantar=$D/pengantar.pdf" "ktp=$D/ktp.png"
for who in atasan kepala-pd auditor app-auditor app-operator; do
	refused "POST /applications (own) as $who" 403 "${TOK[$who]}" POST $APPS -H "$JSON" --data-binary @"$T/siti.json"
done
appbody "$T/forsiti.json" ".applicant_nik = \"$SITI\"" "pengantar=$D/pengantar.pdf"
for who in budi kepala-dinas atasan; do
	refused "POST /applications for someone else as $who" 403 "${TOK[$who]}" POST $APPS -H "$JSON" --data-binary @"$T/forsiti.json"
done
for who in "${UNAUTH[@]}"; do
	refused "POST /applications with $who token" 401 "${TOK[$who]}" POST $APPS -H "$JSON" --data-binary @"$T/siti.json"
done
allowed "POST /applications as pemohon (two attachments)" 201 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/siti.json"
APP1=$(jq -r .id "$T/ok.json")
check_eq "a draft for Siti with her name and e-mail" "draft|$SITI|Siti Aminah|siti@disdik.cirebonkota.go.id|2" \
	"$(jq -r '"\(.state)|\(.applicant_nik)|\(.cn)|\(.email)|\(.attachments | length)"' "$T/ok.json")"
check_eq "the attachments stored in the same request" "ktp:image/png,pengantar:application/pdf" \
	"$(sql1 "SELECT kind || ':' || mime FROM attachments WHERE application_id = '$APP1' ORDER BY kind" | paste -sd,)"
check_eq "attachment SHA-256 as uploaded" "$(sha256sum "$D/ktp.png" | cut -d' ' -f1)" "$(jq -r '.attachments[] | select(.kind == "ktp") | .sha256' "$T/ok.json")"
check_eq "the audit names the person, not the token" "nik:$SITI" "$("$S" audit list --dir "$I" --json | jq -r "[.[] | select(.object == \"application:$APP1\")][0].actor")"
appbody "$T/budi.json" '.usages = "signing,email"' "pengantar=$D/pengantar.pdf"
allowed "POST /applications as another pemohon" 201 "${TOK[budi]}" POST $APPS -H "$JSON" --data-binary @"$T/budi.json"
APPB=$(jq -r .id "$T/ok.json")
allowed "POST /applications on behalf as operator (with certificate)" 201 "${TOK[op-cert]}" POST $APPS -H "$JSON" --data-binary @"$T/forsiti.json"
check_eq "on behalf: the applicant is Siti" "$SITI" "$(jq -r .applicant_nik "$T/ok.json")"
allowed "POST /applications on behalf as operator (without certificate)" 201 "${TOK[op-nocert]}" POST $APPS -H "$JSON" --data-binary @"$T/forsiti.json"
appbody "$T/adm.json" ".applicant_nik = \"$SITI\"" "${BASE[@]}"
allowed "POST /applications on behalf as admin" 201 "${TOK[admin]}" POST $APPS -H "$JSON" --data-binary @"$T/adm.json"
APPA=$(jq -r .id "$T/ok.json")
check_eq "the admin token's audit label" "token:admin bkpsdm" "$("$S" audit list --dir "$I" --json | jq -r "[.[] | select(.object == \"application:$APPA\")][0].actor")"
refused "POST /applications as admin without an applicant" 400 "${TOK[admin]}" POST $APPS -H "$JSON" --data-binary @"$T/siti.json"

# ---- applications: read ----------------------------------------------------------------
NA=$(sql1 "SELECT COUNT(*) FROM applications")
NSITI=$(sql1 "SELECT COUNT(*) FROM applications WHERE applicant_nik = '$SITI'")
allowed "GET /applications as pemohon" 200 "${TOK[pemohon]}" GET $APPS
check_eq "the pemohon sees only her own ($NSITI)" "$NSITI|$SITI" "$(jq -r '"\(length)|\([.[].applicant_nik] | unique | join(","))"' "$T/ok.json")"
allowed "GET /applications?applicant=own as pemohon" 200 "${TOK[pemohon]}" GET "$APPS?applicant=$SITI"
refused "GET /applications?applicant=someone else as pemohon" 403 "${TOK[pemohon]}" GET "$APPS?applicant=$BUDI"
for who in "${READ_ALL[@]}"; do
	allowed "GET /applications as $who" 200 "${TOK[$who]}" GET $APPS
	check_eq "GET /applications as $who sees all $NA" "$NA" "$(jq length "$T/ok.json")"
done
for who in atasan kepala-pd app-operator; do
	refused "GET /applications as $who" 403 "${TOK[$who]}" GET $APPS
done
for who in "${UNAUTH[@]}"; do
	refused "GET /applications with $who token" 401 "${TOK[$who]}" GET $APPS
done
allowed "GET /applications?state=draft&applicant=" 200 "${TOK[auditor]}" GET "$APPS?state=draft&applicant=$BUDI"
check_eq "filtered by state and applicant" "$APPB" "$(jq -r '[.[].id] | join(",")' "$T/ok.json")"
refused "GET /applications?state=bogus" 400 "${TOK[auditor]}" GET "$APPS?state=bogus"

allowed "GET /applications/{own} as pemohon" 200 "${TOK[pemohon]}" GET $APPS/$APP1
check_eq "the application with its attachments" "$APP1|2" "$(jq -r '"\(.id)|\(.attachments | length)"' "$T/ok.json")"
for who in "${READ_ALL[@]}"; do
	allowed "GET /applications/{id} as $who" 200 "${TOK[$who]}" GET $APPS/$APP1
done
for who in budi atasan kepala-pd app-operator; do
	refused "GET /applications/{someone else's} as $who" 403 "${TOK[$who]}" GET $APPS/$APP1
done
for who in "${UNAUTH[@]}"; do
	refused "GET /applications/{id} with $who token" 401 "${TOK[$who]}" GET $APPS/$APP1
done
refused "GET /applications/{unknown id}" 404 "${TOK[admin]}" GET $APPS/0123456789abcdef
refused "GET /applications/{malformed id}" 404 "${TOK[admin]}" GET $APPS/xyz

# ---- attachments -------------------------------------------------------------------------
attbody "$T/lain.json" "lainnya=$D/lainnya.pdf"
for who in budi atasan kepala-pd kepala-dinas auditor app-auditor app-operator; do
	refused "POST attachments to someone else's draft as $who" 403 "${TOK[$who]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/lain.json"
done
for who in "${UNAUTH[@]}"; do
	refused "POST attachments with $who token" 401 "${TOK[$who]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/lain.json"
done
allowed "POST attachments as operator (for the applicant)" 200 "${TOK[op-cert]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/lain.json"
check_eq "now three attachments" 3 "$(jq '.attachments | length' "$T/ok.json")"
attbody "$T/form.json" "formulir=$D/formulir.pdf"
allowed "POST attachments as admin" 200 "${TOK[admin]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/form.json"
refused "POST attachments with none" 400 "${TOK[pemohon]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary '{"attachments": []}'

# ---- submit, return, resubmit, approve -----------------------------------------------------
refused "submit without the recommendation letter" 400 "${TOK[pemohon]}" POST $APPS/$APP1/submit
check_eq "still a draft" draft "$(sql1 "SELECT state FROM applications WHERE id = '$APP1'")"
refused "approving a draft (illegal transition)" 409 "${TOK[op-cert]}" POST $APPS/$APP1/approve
attbody "$T/rek.json" "rekomendasi=$D/rekomendasi.pdf"
allowed "the pemohon attaches the recommendation" 200 "${TOK[pemohon]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/rek.json"
for who in budi atasan kepala-pd kepala-dinas auditor app-auditor app-operator; do
	refused "submit someone else's application as $who" 403 "${TOK[$who]}" POST $APPS/$APP1/submit
done
for who in "${UNAUTH[@]}"; do
	refused "submit with $who token" 401 "${TOK[$who]}" POST $APPS/$APP1/submit
done
allowed "submit as pemohon (no body)" 200 "${TOK[pemohon]}" POST $APPS/$APP1/submit
check_eq "submitted" submitted "$(jq -r .state "$T/ok.json")"
refused "changing attachments after submission" 409 "${TOK[pemohon]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/rek.json"
RET='{"reason": "Scan KTP kurang jelas"}'
for who in pemohon budi atasan kepala-pd kepala-dinas auditor admin op-nocert app-auditor app-operator; do
	refused "return as $who" 403 "${TOK[$who]}" POST $APPS/$APP1/return -H "$JSON" --data-binary "$RET"
done
for who in "${UNAUTH[@]}"; do
	refused "return with $who token" 401 "${TOK[$who]}" POST $APPS/$APP1/return -H "$JSON" --data-binary "$RET"
done
refused "return without reasons (Cirebon 11(2))" 400 "${TOK[op-cert]}" POST $APPS/$APP1/return -H "$JSON" --data-binary '{}'
allowed "return as operator with a certificate" 200 "${TOK[op-cert]}" POST $APPS/$APP1/return -H "$JSON" --data-binary "$RET"
check_eq "returned with the reasons" "returned|Scan KTP kurang jelas" "$(jq -r '"\(.state)|\(.reasons)"' "$T/ok.json")"
attbody "$T/jpg.json" "ktp=$D/ktp.jpg"
allowed "the pemohon replaces the KTP scan (JPEG)" 200 "${TOK[pemohon]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/jpg.json"
check_eq "the KTP is now a JPEG" image/jpeg "$(jq -r '.attachments[] | select(.kind == "ktp") | .mime' "$T/ok.json")"
allowed "resubmit as pemohon (empty JSON body)" 200 "${TOK[pemohon]}" POST $APPS/$APP1/submit -H "$JSON" --data-binary '{}'
for who in pemohon budi atasan kepala-pd kepala-dinas auditor admin op-nocert app-auditor app-operator; do
	refused "approve as $who" 403 "${TOK[$who]}" POST $APPS/$APP1/approve -H "$JSON" --data-binary '{"note": "ok"}'
done
for who in "${UNAUTH[@]}"; do
	refused "approve with $who token" 401 "${TOK[$who]}" POST $APPS/$APP1/approve -H "$JSON" --data-binary '{"note": "ok"}'
done
allowed "approve as operator with a certificate" 200 "${TOK[op-cert]}" POST $APPS/$APP1/approve -H "$JSON" --data-binary '{"note": "Berkas lengkap"}'
check_eq "approved (1 of 1)" "approved|1|1" "$(jq -r '"\(.state)|\(.approvals)|\(.approvals_needed)"' "$T/ok.json")"
refused "returning an approved application" 409 "${TOK[op-cert]}" POST $APPS/$APP1/return -H "$JSON" --data-binary "$RET"
refused "resubmitting an approved application" 409 "${TOK[pemohon]}" POST $APPS/$APP1/submit

# ---- reject --------------------------------------------------------------------------------
allowed "submit as admin (on behalf)" 200 "${TOK[admin]}" POST $APPS/$APPA/submit
REJ='{"reason": "Sudah memiliki sertifikat aktif"}'
for who in pemohon budi atasan kepala-pd kepala-dinas auditor admin op-nocert app-auditor app-operator; do
	refused "reject as $who" 403 "${TOK[$who]}" POST $APPS/$APPA/reject -H "$JSON" --data-binary "$REJ"
done
for who in "${UNAUTH[@]}"; do
	refused "reject with $who token" 401 "${TOK[$who]}" POST $APPS/$APPA/reject -H "$JSON" --data-binary "$REJ"
done
refused "reject without reasons" 400 "${TOK[op2]}" POST $APPS/$APPA/reject
allowed "reject as operator 2" 200 "${TOK[op2]}" POST $APPS/$APPA/reject -H "$JSON" --data-binary "$REJ"
check_eq "rejected" rejected "$(jq -r .state "$T/ok.json")"
refused "resubmitting a rejected application" 409 "${TOK[pemohon]}" POST $APPS/$APPA/submit

# ---- issuance in person --------------------------------------------------------------------
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/siti.key" -subj /CN=ignored -out "$T/siti.csr" 2>/dev/null
jq -n --rawfile csr "$T/siti.csr" '{accept_agreement: true, csr: $csr}' >"$T/issue.json"
for who in budi atasan kepala-pd op-cert op-nocert kepala-dinas auditor admin app-auditor app-operator; do
	refused "issue Siti's certificate as $who (not in person)" 403 "${TOK[$who]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary @"$T/issue.json"
done
for who in "${UNAUTH[@]}"; do
	refused "issue with $who token" 401 "${TOK[$who]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary @"$T/issue.json"
done
refused "issue without accepting the agreement" 400 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary "$(jq -c '.accept_agreement = false' "$T/issue.json")"
refused "issue with accept_agreement as a string" 400 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary "$(jq -c '.accept_agreement = "yes"' "$T/issue.json")"
refused "issue with both a CSR and generate_key" 400 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary "$(jq -c '.generate_key = true | .passphrase = "Rahasia-Kuat-2026!"' "$T/issue.json")"
refused "issue with neither" 400 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary '{"accept_agreement": true}'
refused "generate_key without a passphrase" 400 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary '{"accept_agreement": true, "generate_key": true}'
refused "issuing a rejected application" 409 "${TOK[pemohon]}" POST $APPS/$APPA/issue -H "$JSON" --data-binary @"$T/issue.json"
refused "issuing a draft" 409 "${TOK[budi]}" POST $APPS/$APPB/issue -H "$JSON" --data-binary @"$T/issue.json"
allowed "the pemohon takes her certificate in person with her CSR" 201 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary @"$T/issue.json"
jq -r .certificate "$T/ok.json" >"$T/siti.pem"
if openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/siti.pem" >"$T/v.out" 2>&1; then
	pass "openssl verify accepts her certificate"
else
	fail "openssl verify: $(tr '\n' ' ' <"$T/v.out")"
fi
check "the certificate holds her CSR's key" cmp -s <(openssl x509 -in "$T/siti.pem" -noout -pubkey) <(openssl req -in "$T/siti.csr" -noout -pubkey)
check_eq "the response: application, agreement v1, own key, chain of 2" "$APP1|1|false|2" "$(jq -r '"\(.application_id)|\(.agreement_version)|\(.key_generated)|\(.chain | length)"' "$T/ok.json")"
check_eq "bound to her NIK" "$SITI" "$(jq -r .nik "$T/ok.json")"
SERIAL1=$(jq -r .serial "$T/ok.json")
allowed "GET the issued application" 200 "${TOK[pemohon]}" GET $APPS/$APP1
check_eq "issued, with the serial" "issued|$SERIAL1" "$(jq -r '"\(.state)|\(.cert_serial)"' "$T/ok.json")"
refused "issuing the same application twice" 409 "${TOK[pemohon]}" POST $APPS/$APP1/issue -H "$JSON" --data-binary @"$T/issue.json"

# Budi: a generated key sealed under his passphrase.
attbody "$T/brest.json" "rekomendasi=$D/rekomendasi.pdf" "ktp=$D/ktp.jpg"
allowed "Budi completes his application" 200 "${TOK[budi]}" POST $APPS/$APPB/attachments -H "$JSON" --data-binary @"$T/brest.json"
allowed "Budi submits" 200 "${TOK[budi]}" POST $APPS/$APPB/submit
allowed "operator 2 approves" 200 "${TOK[op2]}" POST $APPS/$APPB/approve
PASS_B='Budi-Rahasia-Kuat-7319!'
# (After the first issuance: the first attempt that reaches the CA records
# agreement v1 even when the CSR then fails.)
refused "a bad CSR" 400 "${TOK[budi]}" POST $APPS/$APPB/issue -H "$JSON" --data-binary '{"accept_agreement": true, "csr": "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n"}'
refused "a certificate instead of a CSR" 400 "${TOK[budi]}" POST $APPS/$APPB/issue -H "$JSON" --data-binary "$(jq -n --rawfile c "$T/ca/root.pem" '{accept_agreement: true, csr: $c}')"
refused "a weak passphrase" 400 "${TOK[budi]}" POST $APPS/$APPB/issue -H "$JSON" --data-binary '{"accept_agreement": true, "generate_key": true, "passphrase": "pendek1"}'
refused "a passphrase containing the NIK" 400 "${TOK[budi]}" POST $APPS/$APPB/issue -H "$JSON" --data-binary "{\"accept_agreement\": true, \"generate_key\": true, \"passphrase\": \"x-$BUDI-x\"}"
allowed "Budi takes a generated, sealed key" 201 "${TOK[budi]}" POST $APPS/$APPB/issue -H "$JSON" --data-binary "{\"accept_agreement\": true, \"generate_key\": true, \"passphrase\": \"$PASS_B\"}"
jq -r .certificate "$T/ok.json" >"$T/budi.pem"
check_eq "key_generated" true "$(jq -r .key_generated "$T/ok.json")"
check "openssl verify accepts Budi's certificate" quiet openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/budi.pem"
check_eq "a sealed key is stored for it" 1 "$(sql1 "SELECT COUNT(*) FROM sealed_keys WHERE nik = '$BUDI'")"
check_eq "the passphrase is not in the server log" 0 "$(grep -c -- "$PASS_B" "$SERVER_LOG")"
check_eq "the passphrase is not in the audit trail" 0 "$(sql1 "SELECT COUNT(*) FROM audit WHERE reason LIKE '%Budi-Rahasia%' OR object LIKE '%Budi-Rahasia%'")"

# ---- a full flow over HTTP: agency, person, jabatan with 2 of 2 approvals -------------
allowed "kepala-dinas registers an agency" 201 "${TOK[kepala-dinas]}" POST /api/v1/agencies -H "$JSON" --data-binary '{"name": "Badan Kepegawaian", "domain": "bkpsdm.cirebonkota.go.id"}'
allowed "operator registers its head" 201 "${TOK[op-cert]}" POST /api/v1/persons -H "$JSON" --data-binary \
	'{"nik": "3274012503780021", "nip": "197803252005011002", "name": "Kepala BKPSDM", "email": "kepala@bkpsdm.cirebonkota.go.id", "agency": "Badan Kepegawaian", "roles": "pemohon,kepala-perangkat-daerah", "position": "Kepala Badan Kepegawaian", "superior_nik": "'$KADIS'"}'
KB=$(ptoken kepala-bkpsdm 3274012503780021)
appbody "$T/jab.json" '.type = "jabatan"' "${JAB[@]}"
allowed "the head applies for a jabatan certificate" 201 "$KB" POST $APPS -H "$JSON" --data-binary @"$T/jab.json"
APPJ=$(jq -r .id "$T/ok.json")
check_eq "jabatan: title from the position, 2 approvals needed, 5 attachments" "Kepala Badan Kepegawaian|2|5" "$(jq -r '"\(.title)|\(.approvals_needed)|\(.attachments | length)"' "$T/ok.json")"
allowed "submits" 200 "$KB" POST $APPS/$APPJ/submit
allowed "first approval" 200 "${TOK[op-cert]}" POST $APPS/$APPJ/approve -H "$JSON" --data-binary '{"note": "1/2"}'
check_eq "still submitted after 1 of 2" "submitted|1" "$(jq -r '"\(.state)|\(.approvals)"' "$T/ok.json")"
refused "the same operator approving twice" 409 "${TOK[op-cert]}" POST $APPS/$APPJ/approve
allowed "second approval" 200 "${TOK[op2]}" POST $APPS/$APPJ/approve
check_eq "approved after 2 of 2" "approved|2" "$(jq -r '"\(.state)|\(.approvals)"' "$T/ok.json")"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$T/kb.key" -subj /CN=x -out "$T/kb.csr" 2>/dev/null
jq -n --rawfile csr "$T/kb.csr" '{accept_agreement: true, csr: $csr}' >"$T/kbissue.json"
allowed "the head takes the certificate in person" 201 "$KB" POST $APPS/$APPJ/issue -H "$JSON" --data-binary @"$T/kbissue.json"
jq -r .certificate "$T/ok.json" >"$T/kb.pem"
if openssl verify -CAfile "$T/ca/root.pem" -untrusted "$T/ca/issuing.pem" "$T/kb.pem" >"$T/v.out" 2>&1; then
	pass "full HTTP flow: openssl verify accepts the jabatan certificate"
else
	fail "full HTTP flow: openssl verify: $(tr '\n' ' ' <"$T/v.out")"
fi
check_eq "the jabatan certificate carries the title" "Kepala Badan Kepegawaian" "$(openssl x509 -in "$T/kb.pem" -noout -subject -nameopt multiline | sed -n 's/^ *title *= //p')"
acts=$("$S" audit list --dir "$I" --json | jq -r "[.[] | select(.object == \"application:$APPJ\") | .action] | join(\",\")")
check_eq "audit of the HTTP flow" "application.create,application.attach,application.attach,application.attach,application.attach,application.attach,application.submit,application.approve,application.approve,application.issue" "$acts"

# ---- bad input: 4xx with a JSON error, nothing changed -------------------------------------
refused "NIK with an impossible date" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274013302900008 bad)"
refused "NIK of 15 digits" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 327401010190000 bad)"
refused "NIK and NIP disagreeing on gender" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274014101930008 bad '.nip = "199301012015031001"')"
refused "e-mail outside the agency's domain" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930018 bad '.email = "wd@gmail.com"')"
refused "unknown agency" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930018 bad '.agency = "Dinas Fiktif"')"
refused "unknown superior NIK" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930018 bad ".superior_nik = \"$NOBODY\"")"
refused "unknown role" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930018 bad '.roles = "superuser"')"
refused "person without an e-mail" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930018 bad 'del(.email)')"
refused "kepala_daerah as a string" 400 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary "$(pbody 3274010101930018 bad '.kepala_daerah = "ya"')"
appbody "$T/x.json" ".applicant_nik = \"$NOBODY\""
refused "applying for an unknown NIK" 400 "${TOK[admin]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" . "pengantar=$D/pengantar.pdf" "ktp=$D/ktp-named.pdf"
refused "a PNG named .pdf (the whole application refused)" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
attbody "$T/x.json" "ktp=$D/ktp-named.pdf"
refused "a PNG named .pdf as an attachment" 400 "${TOK[budi]}" POST $APPS/$APPB/attachments -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" . "ktp=$D/notes.txt"
refused "a text file as attachment" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" . "selfie=$D/ktp.png"
refused "an unknown attachment kind" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.attachments[0].data = "!!!not base64!!!"' "pengantar=$D/pengantar.pdf"
refused "bad base64" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.attachments[0].data = "QUJD"' "pengantar=$D/pengantar.pdf"
refused "base64 of something that is not a document" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.attachments[0].data = ""' "pengantar=$D/pengantar.pdf"
refused "an empty attachment" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" 'del(.attachments[0].filename)' "pengantar=$D/pengantar.pdf"
refused "an attachment without a file name" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.attachments = {"kind": "ktp"}'
refused "attachments not an array" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.attachments[0].size = 3' "pengantar=$D/pengantar.pdf"
refused "an unknown field in an attachment" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.type = "pegawai"'
refused "an unknown type" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.usages = ["ssl-server"]'
refused "ssl-server for individu" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.usages = 7'
refused "usages is a number" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" 'del(.type)'
refused "no type" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.type = "sistem" | .usages = "ssl-server"'
refused "sistem without its address and details" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.self_issued_letters = true'
refused "own letters without being kepala daerah (Denpasar 11(4))" 403 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
appbody "$T/x.json" '.nama = "Siti"'
refused "an unknown field" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
printf '{"type": "individu", "usages": ' >"$T/x.json"
refused "malformed JSON" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/x.json"
refused "a JSON array instead of an object" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary '["individu"]'
refused "an empty body where one is required" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary ''
refused "duplicate keys" 400 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary '{"type": "individu", "type": "jabatan", "usages": "signing"}'
refused "wrong Content-Type" 415 "${TOK[pemohon]}" POST $APPS -H "Content-Type: text/plain" --data-binary '{"type": "individu", "usages": "signing"}'
refused "wrong Content-Type on an action with a body" 415 "${TOK[op-cert]}" POST $APPS/$APPB/approve -H "Content-Type: application/x-www-form-urlencoded" --data-binary 'note=x'
refused "an unknown field on submit" 400 "${TOK[budi]}" POST $APPS/$APPB/submit -H "$JSON" --data-binary '{"force": true}'

# Size limits: an attachment over ra's 10 MiB, a body over the upload
# limit, and an upload by someone without a valid token.
jq -n --rawfile d <(base64 -w0 "$D/big.pdf") '{type: "individu", usages: "signing", attachments: [{kind: "pengantar", filename: "big.pdf", data: $d}]}' >"$T/big.json"
jq -n --rawfile d <(base64 -w0 "$D/huge.pdf") '{type: "individu", usages: "signing", attachments: [{kind: "pengantar", filename: "huge.pdf", data: $d}]}' >"$T/huge.json"
jq -c '{attachments}' "$T/big.json" >"$T/bigatt.json"
check "precondition: the 11 MiB attachment's body is under the 16 MiB upload limit" test "$(stat -c %s "$T/big.json")" -lt 16777216
check "precondition: the 13 MiB attachment's body is over it" test "$(stat -c %s "$T/huge.json")" -gt 16777216
refused "an oversized attachment (11 MiB)" 413 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/big.json"
refused "an oversized attachment (11 MiB) added later" 413 "${TOK[pemohon]}" POST $APPS/$APP1/attachments -H "$JSON" --data-binary @"$T/bigatt.json"
refused "a body over the upload limit (13 MiB attachment)" 413 "${TOK[pemohon]}" POST $APPS -H "$JSON" --data-binary @"$T/huge.json"
refused "an upload over 1 MiB without a token" 413 - POST $APPS -H "$JSON" --data-binary @"$T/big.json"
refused "an upload over 1 MiB with a bad token" 413 "${TOK[bad]}" POST $APPS -H "$JSON" --data-binary @"$T/big.json"
refused "over 1 MiB on a route without uploads" 413 "${TOK[admin]}" POST /api/v1/persons -H "$JSON" --data-binary @"$T/big.json"

# Routing.
refused "GET on an action" 405 "${TOK[pemohon]}" GET $APPS/$APP1/submit
refused "POST on an application" 405 "${TOK[pemohon]}" POST $APPS/$APP1 -H "$JSON" --data-binary '{}'
refused "DELETE an application" 405 "${TOK[admin]}" DELETE $APPS/$APP1
refused "PUT /agencies" 405 "${TOK[admin]}" PUT /api/v1/agencies -H "$JSON" --data-binary '{}'
refused "an unknown action" 404 "${TOK[admin]}" POST $APPS/$APP1/frobnicate -H "$JSON" --data-binary '{}'
refused "a trailing slash" 404 "${TOK[admin]}" GET $APPS/$APP1/
refused "an action on an unknown application" 404 "${TOK[op-cert]}" POST $APPS/0123456789abcdef/approve

# ---- one agency by id --------------------------------------------------------------------
AGID=$(sql1 "SELECT id FROM agencies WHERE name = '$DISDIK'")
for who in pemohon atasan kepala-pd "${READ_ALL[@]}"; do
	allowed "GET /agencies/{id} as $who" 200 "${TOK[$who]}" GET /api/v1/agencies/$AGID
	check_eq "GET /agencies/{id} as $who: the agency" "$AGID|$DISDIK|disdik.cirebonkota.go.id" "$(jq -r '"\(.id)|\(.name)|\(.domain)"' "$T/ok.json")"
done
refused "GET /agencies/{id} with an operator application token" 403 "${TOK[app-operator]}" GET /api/v1/agencies/$AGID
for who in "${UNAUTH[@]}"; do
	refused "GET /agencies/{id} with $who token" 401 "${TOK[$who]}" GET /api/v1/agencies/$AGID
done
refused "GET an unknown agency" 404 "${TOK[admin]}" GET /api/v1/agencies/0123456789abcdef
refused "GET /agencies/{not an id}" 404 "${TOK[admin]}" GET /api/v1/agencies/dinas
refused "POST /agencies/{id}" 405 "${TOK[admin]}" POST /api/v1/agencies/$AGID -H "$JSON" --data-binary '{}'

# ---- the subscriber agreement ---------------------------------------------------------------
for who in pemohon budi atasan kepala-pd "${READ_ALL[@]}"; do
	allowed "GET /agreement as $who" 200 "${TOK[$who]}" GET /api/v1/agreement
	check_eq "GET /agreement as $who: version 1, its text and SHA-256" "1|true" "$(jq -r '"\(.version)|\((.text | length) > 100)"' "$T/ok.json")"
done
check_eq "the SHA-256 is of the text served" "$(jq -j .text "$T/ok.json" | sha256sum | cut -d' ' -f1)" "$(jq -r .sha256 "$T/ok.json")"
check_eq "the version recorded at Siti's issuance is the one served" "$(jq -r .sha256 "$T/ok.json")" "$(sql1 "SELECT sha256 FROM agreements WHERE version = 1")"
refused "GET /agreement with an operator application token" 403 "${TOK[app-operator]}" GET /api/v1/agreement
for who in "${UNAUTH[@]}"; do
	refused "GET /agreement with $who token" 401 "${TOK[$who]}" GET /api/v1/agreement
done
AGR='{"text": "PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK, versi Dinas Kominfo 2026: pemilik menjaga kunci privatnya."}'
for who in pemohon atasan kepala-pd op-cert op-nocert auditor app-auditor app-operator; do
	refused "POST /agreement as $who" 403 "${TOK[$who]}" POST /api/v1/agreement -H "$JSON" --data-binary "$AGR"
done
for who in "${UNAUTH[@]}"; do
	refused "POST /agreement with $who token" 401 "${TOK[$who]}" POST /api/v1/agreement -H "$JSON" --data-binary "$AGR"
done
refused "POST /agreement with a text too short" 400 "${TOK[kepala-dinas]}" POST /api/v1/agreement -H "$JSON" --data-binary '{"text": "pendek"}'
refused "POST /agreement with an unknown field" 400 "${TOK[kepala-dinas]}" POST /api/v1/agreement -H "$JSON" --data-binary '{"text": "PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK", "versi": 9}'
refused "POST /agreement without a text" 400 "${TOK[admin]}" POST /api/v1/agreement -H "$JSON" --data-binary '{}'
allowed "POST /agreement as kepala-dinas: version 2" 201 "${TOK[kepala-dinas]}" POST /api/v1/agreement -H "$JSON" --data-binary "$AGR"
check_eq "version 2 with the SHA-256 of its text" "2|$(jq -j .text <<<"$AGR" | sha256sum | cut -d' ' -f1)" "$(jq -r '"\(.version)|\(.sha256)"' "$T/ok.json")"
allowed "POST /agreement as admin: version 3" 201 "${TOK[admin]}" POST /api/v1/agreement -H "$JSON" --data-binary "$(jq -c '.text += " Revisi."' <<<"$AGR")"
check_eq "version 3" 3 "$(jq -r .version "$T/ok.json")"
allowed "GET /agreement: the version in force" 200 "${TOK[pemohon]}" GET /api/v1/agreement
check_eq "version 3 is in force" "3|$(jq -r .text <<<"$AGR") Revisi." "$(jq -r '"\(.version)|\(.text)"' "$T/ok.json")"
allowed "GET /agreement?version=2" 200 "${TOK[pemohon]}" GET "/api/v1/agreement?version=2"
check_eq "an older version stays readable" "2|$(jq -r .text <<<"$AGR")" "$(jq -r '"\(.version)|\(.text)"' "$T/ok.json")"
refused "GET /agreement?version=99" 404 "${TOK[pemohon]}" GET "/api/v1/agreement?version=99"
refused "GET /agreement?version=x" 400 "${TOK[pemohon]}" GET "/api/v1/agreement?version=x"
check_eq "setting the agreement is audited" 2 "$(sql1 "SELECT COUNT(*) FROM audit WHERE action = 'agreement.create' AND actor IN ('nik:$KADIS', 'token:admin bkpsdm')")"

# ---- the receipt of an issued application ------------------------------------------------
for who in pemohon "${READ_ALL[@]}"; do
	code=$(call "${TOK[$who]}" GET $APPS/$APP1/receipt -D "$T/hdr")
	if [ "$code" = 200 ] && grep -qi '^Content-Type: application/pdf' "$T/hdr" && qpdf --check "$T/body" >/dev/null 2>&1; then
		pass "GET receipt as $who: 200, a PDF qpdf accepts"
	else
		fail "GET receipt as $who: HTTP $code $(head -c 200 "$T/body")"
	fi
done
cp "$T/body" "$T/receipt1.pdf"
call "${TOK[pemohon]}" GET $APPS/$APP1/receipt >/dev/null
check "the receipt is the same document each time" cmp -s "$T/body" "$T/receipt1.pdf"
check "the receipt names her NIK, the serial and the agreement version" bash -c "pdftotext '$T/receipt1.pdf' - | grep -q $SITI && pdftotext '$T/receipt1.pdf' - | tr -d ' \n' | grep -qi '$SERIAL1' && pdftotext '$T/receipt1.pdf' - | grep -q 'Versi 1'"
check "the receipt names the approving operator" bash -c "pdftotext '$T/receipt1.pdf' - | grep -q 'Operator op1'"
for who in budi atasan kepala-pd app-operator; do
	refused "GET Siti's receipt as $who" 403 "${TOK[$who]}" GET $APPS/$APP1/receipt
done
for who in "${UNAUTH[@]}"; do
	refused "GET receipt with $who token" 401 "${TOK[$who]}" GET $APPS/$APP1/receipt
done
refused "GET the receipt of a rejected application" 409 "${TOK[admin]}" GET $APPS/$APPA/receipt
refused "GET the receipt of an unknown application" 404 "${TOK[admin]}" GET $APPS/0123456789abcdef/receipt
refused "POST .../receipt" 405 "${TOK[pemohon]}" POST $APPS/$APP1/receipt -H "$JSON" --data-binary '{}'

# ---- written warnings (Palembang 16) ----------------------------------------------------
W='{"reason": "Meminjamkan sertifikat kepada staf"}'
for who in pemohon budi atasan kepala-pd op-nocert kepala-dinas auditor admin app-auditor app-operator; do
	refused "POST /persons/{nik}/warn as $who" 403 "${TOK[$who]}" POST /api/v1/persons/$BUDI/warn -H "$JSON" --data-binary "$W"
done
for who in "${UNAUTH[@]}"; do
	refused "POST /persons/{nik}/warn with $who token" 401 "${TOK[$who]}" POST /api/v1/persons/$BUDI/warn -H "$JSON" --data-binary "$W"
done
refused "a warning without a reason" 400 "${TOK[op-cert]}" POST /api/v1/persons/$BUDI/warn -H "$JSON" --data-binary '{}'
refused "a warning for an unknown person" 404 "${TOK[op-cert]}" POST /api/v1/persons/$NOBODY/warn -H "$JSON" --data-binary "$W"
allowed "POST /persons/{nik}/warn as an operator with a certificate" 200 "${TOK[op-cert]}" POST /api/v1/persons/$BUDI/warn -H "$JSON" --data-binary "$W"
check_eq "warning 1, no proposal yet" "1|0" "$(jq -r '"\(.warnings)|\(.revocation_proposals)"' "$T/ok.json")"

# ---- renewal, revocation by cause, loss report over the API ---------------------------------
RC=/api/v1/ra/certificates
SERIALB=$(sql1 "SELECT cert_serial FROM applications WHERE id = '$APPB'")
for who in budi atasan kepala-pd kepala-dinas auditor app-auditor app-operator; do
	refused "renew Siti's certificate as $who" 403 "${TOK[$who]}" POST $RC/$SERIAL1/renew
done
for who in "${UNAUTH[@]}"; do
	refused "renew with $who token" 401 "${TOK[$who]}" POST $RC/$SERIAL1/renew
done
refused "renew an unknown certificate" 404 "${TOK[pemohon]}" POST $RC/01ab/renew
for who in pemohon op-cert op-nocert admin; do
	allowed "renew Siti's certificate as $who" 201 "${TOK[$who]}" POST $RC/$SERIAL1/renew
	check_eq "renewal as $who: a draft renewal of her certificate" "renewal|draft|$SITI|$SERIAL1" "$(jq -r '"\(.kind)|\(.state)|\(.applicant_nik)|\(.renews_serial)"' "$T/ok.json")"
done
REV='{"cause": "permintaan-pemilik", "note": "tidak dipakai lagi"}'
for who in pemohon atasan kepala-pd op-cert kepala-dinas auditor admin app-auditor app-operator; do
	refused "revoke Budi's certificate (owner's cause) as $who" 403 "${TOK[$who]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary "$REV"
done
for who in "${UNAUTH[@]}"; do
	refused "revoke with $who token" 401 "${TOK[$who]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary "$REV"
done
refused "revoke (mutasi) by a kepala-dinas who heads no agency of Budi's" 403 "${TOK[kepala-dinas]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary '{"cause": "mutasi"}'
refused "revoke with an unknown cause" 400 "${TOK[budi]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary '{"cause": "bosan"}'
refused "revoke without a cause" 400 "${TOK[budi]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary '{}'
allowed "the head of Budi's agency revokes it (mutasi)" 200 "${TOK[kepala-pd]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary '{"cause": "mutasi", "note": "pindah ke Dinas Kesehatan"}'
check_eq "revoked as affiliationChanged" "revoked|affiliationChanged" "$(jq -r '"\(.status)|\(.reason)"' "$T/ok.json")"
refused "revoking it again" 409 "${TOK[budi]}" POST $RC/$SERIALB/revoke -H "$JSON" --data-binary "$REV"
attjson "pernyataan=$D/formulir.pdf" "laporan-polisi=$D/ktp.jpg" | jq -c --arg ack "$KADIS" '{acknowledged_by: $ack, attachments: ., note: "Laptop dicuri"}' >"$T/loss.json"
for who in budi atasan kepala-pd op-cert kepala-dinas auditor admin app-auditor app-operator; do
	refused "report Siti's key lost as $who" 403 "${TOK[$who]}" POST $RC/$SERIAL1/report-loss -H "$JSON" --data-binary @"$T/loss.json"
done
for who in "${UNAUTH[@]}"; do
	refused "report-loss with $who token" 401 "${TOK[$who]}" POST $RC/$SERIAL1/report-loss -H "$JSON" --data-binary @"$T/loss.json"
done
refused "a loss report without the police report" 400 "${TOK[pemohon]}" POST $RC/$SERIAL1/report-loss -H "$JSON" --data-binary "$(jq -c '.attachments |= map(select(.kind == "pernyataan"))' "$T/loss.json")"
refused "a loss report acknowledged by someone not her superior" 403 "${TOK[pemohon]}" POST $RC/$SERIAL1/report-loss -H "$JSON" --data-binary "$(jq -c --arg n "$OP1" '.acknowledged_by = $n' "$T/loss.json")"
refused "a loss report with a PNG named .pdf" 400 "${TOK[pemohon]}" POST $RC/$SERIAL1/report-loss -H "$JSON" --data-binary "$(jq -c --rawfile d <(base64 -w0 "$D/ktp-named.pdf") '.attachments[0].data = $d | .attachments[0].filename = "surat.pdf"' "$T/loss.json")"
allowed "Siti reports her key lost" 200 "${TOK[pemohon]}" POST $RC/$SERIAL1/report-loss -H "$JSON" --data-binary @"$T/loss.json"
check_eq "revoked at once as keyCompromise" "revoked|keyCompromise" "$(jq -r '"\(.status)|\(.reason)"' "$T/ok.json")"
check_eq "the statement and the police report are kept encrypted" 2 "$(sql1 "SELECT COUNT(*) FROM blobs WHERE kind IN ('loss-statement', 'police-report')")"
CRLID=$(curl -s "$SERVER_URL/api/v1/ca" | jq -r '.issuers[] | select(.role == "issuing") | .id')
curl -s -o "$T/api.crl" "$SERVER_URL/crl/$CRLID.crl"
check "the CRL names both with their reasons" bash -c "openssl crl -inform DER -in '$T/api.crl' -noout -text | grep -A5 -i 'Serial Number: $SERIAL1' | grep -q 'Key Compromise' && openssl crl -inform DER -in '$T/api.crl' -noout -text | grep -A5 -i 'Serial Number: $SERIALB' | grep -q 'Affiliation Changed'"
allowed "re-application after the loss" 201 "${TOK[pemohon]}" POST $RC/$SERIAL1/renew
check_eq "a re-application" reapply "$(jq -r .kind "$T/ok.json")"

# ---- the store afterwards ----------------------------------------------------------------
check_eq "the return names its actor and reason" "nik:$OP1|Scan KTP kurang jelas" \
	"$("$S" audit list --dir "$I" --json | jq -r "[.[] | select(.object == \"application:$APP1\" and .action == \"application.return\")][0] | .actor + \"|\" + .reason")"
check_eq "three certificates issued through the API, all bound to applications" 3 "$(sql1 "SELECT COUNT(*) FROM applications WHERE state = 'issued' AND cert_serial IS NOT NULL")"
check "audit trail intact" quiet "$S" audit verify --dir "$I"
server_stop 10
check_eq "the server stops on SIGTERM" 1 "$SERVER_STOP_OK"
finish
