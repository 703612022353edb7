#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The annual evaluation report judged by the tools people open it with, on
# the engine under test: `test_gov_report write DIR` builds the known 2025
# store and writes the Kepala Dinas's signed report (B-B), a draft, the
# JSON, the CSV and the root certificate; then qpdf --check, pdfsig (the
# root trusted), `sertel verify --trust`, pdftotext and pdftoppm (every
# page as a PNG under build/screenshots/report).  And the command line:
# `sertel report annual` on a fresh instance, its formats and its one-line
# refusals (exit 2).
#
#   test_gov_report.sh path/to/test_gov_report

. "$(dirname "$0")/../interop/lib.sh"
BIN=${1:?usage: test_gov_report.sh path/to/test_gov_report}
lib_setup gov-report
for tool in qpdf pdfsig pdftotext pdftoppm certutil; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done

D=$T/files
mkdir -p "$D"
# The unit store in a database of its own: the instances below take the
# engine's main one.
UNIT_DB=$SERTEL_TEST_DB
if [ "$ENGINE" = pg ]; then
	pg_new_db unit || die "createdb"
	UNIT_DB=$PG_NEW_URL
fi
if SERTEL_TEST_DB=$UNIT_DB "$BIN" write "$D" >"$T/write.log" 2>&1; then
	pass "test_gov_report write: the signed report and the draft"
else
	sed 's/^/#      /' "$T/write.log"
	die "test_gov_report write failed"
fi

check "qpdf --check: the signed report" qpdf --check "$D/signed.pdf"
check "qpdf --check: the draft" qpdf --check "$D/draft.pdf"
# The unit store's certificates name revocation services at http://ca.test,
# which no test may reach: here the signature's integrity; its trust and
# revocation are judged below on a real instance's report.
if pdfsig -nocert "$D/signed.pdf" 2>&1 | grep -q 'Signature Validation: Signature is Valid.'; then
	pass "pdfsig: the unit store's signed report is intact"
else
	fail "pdfsig: the unit store's signed report"
fi
pdftotext -layout "$D/signed.pdf" "$T/signed.txt"
check "signed: addressed to the four recipients" grep -q "4. Kepala BSrE" "$T/signed.txt"
check "signed: names its signer" grep -q "oleh Kepala Dinas, Dr. Kepala Dinas" "$T/signed.txt"
check "signed: names its /v link" grep -q "Verifikasi: http://ca.test/v/" "$T/signed.txt"
if grep -q "DRAF" "$T/signed.txt"; then fail "signed: no DRAF mark"; else pass "signed: no DRAF mark"; fi
pdftotext -layout "$D/draft.pdf" "$T/draft.txt"
pages=$(pdfinfo "$D/draft.pdf" | awk '/^Pages:/ {print $2}')
check_eq "draft: DRAF on every page" "$pages" "$(grep -c 'DRAF — belum ditandatangani' "$T/draft.txt")"
check "draft: the figures (issued 5)" grep -Eq "Diterbitkan +5$" "$T/draft.txt"
check "JSON: issued 5" jq -e '.figures.certificates.total.issued == 5' "$D/report.json"
check "CSV: the same row" grep -q '^certificates,total,issued,5' "$D/report.csv"

SHOTS=${SERTEL_BUILD:-$T}/screenshots/report
mkdir -p "$SHOTS"
if pdftoppm -r 60 -png "$D/signed.pdf" "$SHOTS/signed-$ENGINE" &&
	pdftoppm -r 60 -png "$D/draft.pdf" "$SHOTS/draft-$ENGINE"; then
	check_eq "pdftoppm: every page rendered" "$pages" \
		"$(find "$SHOTS" -name "draft-$ENGINE-*.png" | wc -l)"
else
	fail "pdftoppm: rendering"
fi

# ---- the command line on a fresh instance ---------------------------------
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init: $(cat "$I.init.err")"
Y=$(date -u +%Y)
if "$SERTEL_BIN" report annual --dir "$I" --year "$Y" --format json >"$T/cli.json" 2>"$T/cli.err"; then
	pass "report annual --format json"
else
	fail "report annual --format json: $(cat "$T/cli.err")"
fi
check "json: this year's figures" jq -e ".year == $Y and (.figures.audit.chain.result == \"utuh\")" "$T/cli.json"
"$SERTEL_BIN" report annual --dir "$I" --year "$Y" --format csv >"$T/cli.csv" 2>/dev/null
check "csv: the header line" grep -q '^section,dimension,key,value' "$T/cli.csv"
check "draft PDF" "$SERTEL_BIN" report annual --dir "$I" --year "$Y" --draft --out "$T/d.pdf"
check "draft PDF: qpdf --check" qpdf --check "$T/d.pdf"

# ---- signed from the command line, on a served instance ---------------------
# The Kepala Dinas's key sealed at issuance; the server answers the TSA,
# OCSP and CRL URLs its certificates name (loopback), at the instance's
# default level (B-T).
PORT=$(free_port)
J=$T/served
make_instance "$J" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init: $(cat "$J.init.err")"
S=$SERTEL_BIN
KADIS=3274010101800001
OP1=3274010101900001
ok "agency" "$S" agency add --dir "$J" --name "Dinas Kominfo" --domain kominfo.cirebonkota.go.id
ok "the Kepala Dinas" "$S" person add --dir "$J" --nik $KADIS --name "Kepala Dinas Kominfo" \
	--email kadis@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon
ok "appointed" "$S" person appoint --dir "$J" $KADIS --role kepala-dinas
ok "an operator" "$S" person add --dir "$J" --as $KADIS --nik $OP1 --name "Operator Satu" \
	--email op1@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon
ok "appointed" "$S" person appoint --dir "$J" --as $KADIS $OP1 --role operator-op
SITI=3274014101920002
ok "an applicant" "$S" person add --dir "$J" --as $KADIS --nik $SITI --name "Siti Aminah" \
	--email siti@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/op.key" \
	-subj /CN=x -out "$T/op.csr" 2>/dev/null
ok "the operator's certificate" "$S" cert issue --dir "$J" --csr "$T/op.csr" --type individu \
	--usage signing --cn "Operator Satu" --nik $OP1 --out "$T/op.pem"
for k in pengantar rekomendasi ktp; do
	printf '%%PDF-1.4\n%% %s\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$k" >"$T/$k.pdf"
done
APP=$("$S" ra apply --dir "$J" --as $KADIS --type individu --usage signing \
	--attach "pengantar=$T/pengantar.pdf" --attach "rekomendasi=$T/rekomendasi.pdf" \
	--attach "ktp=$T/ktp.pdf" --json | jq -r .id)
ok "submitted" "$S" ra submit --dir "$J" --as $KADIS "$APP"
ok "approved" "$S" ra approve --dir "$J" --as $OP1 "$APP" --note lengkap
printf 'Rahasia-Kadis-Kuat-2026!\n' >"$T/kadis.pass"
ok "issued, key sealed" "$S" ra issue --dir "$J" "$APP" --as $KADIS --accept-agreement \
	--generate-key --passphrase-file "$T/kadis.pass" --out "$T/kadis.pem"
server_start_port "$J" "$PORT" || die "server did not start: $(cat "$SERVER_LOG")"
if "$S" report annual --dir "$J" --year "$Y" --nik $KADIS --passphrase-file "$T/kadis.pass" \
	--out "$T/signed-cli.pdf" --json >"$T/sign.json" 2>"$T/sign.err"; then
	pass "report annual: signed by the Kepala Dinas"
else
	fail "report annual: signed: $(cat "$T/sign.err")"
fi
check "signed: registered under its /v id" jq -e '.signed and (.id | length == 32)' "$T/sign.json"
ID=$(jq -r .id "$T/sign.json")
check_eq "signed: /v/{id} answers" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v/$ID")"
check "signed: qpdf --check" qpdf --check "$T/signed-cli.pdf"
"$S" ca export --dir "$J" --out "$T/ca" >/dev/null || die "ca export"
pdfsig_trust "$T/ca/root.pem"
if pdfsig_ok "$T/signed-cli.pdf" 1; then
	pass "pdfsig: one signature, valid, certificate trusted"
else
	fail "pdfsig: the signed report"
fi
if "$S" verify "$T/signed-cli.pdf" --dir "$J" --json >"$T/verify.json" 2>"$T/verify.err"; then
	pass "sertel verify: valid"
else
	fail "sertel verify: $(jq -c '.signatures[0].message' "$T/verify.json" 2>/dev/null) $(cat "$T/verify.err")"
fi
check_eq "sertel verify: the Kepala Dinas signed" "Kepala Dinas Kominfo" \
	"$(jq -r '.signatures[0].common_name' "$T/verify.json")"
pdftoppm -r 60 -png -f 1 -l 1 "$T/signed-cli.pdf" "$SHOTS/cli-signed-$ENGINE" ||
	fail "pdftoppm: the CLI's report"
check_eq "audited: gov.report.sign" 1 \
	"$("$S" audit list --dir "$J" --json 2>/dev/null | jq '[.[] | select(.action == "gov.report.sign")] | length')"

refused() { # DESC WANT-IN-MESSAGE ARGS...: exit 2, one line naming WANT
	local desc=$1 want=$2 rc
	shift 2
	"$SERTEL_BIN" report annual --dir "$J" "$@" >"$T/r.out" 2>"$T/r.err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$T/r.err")" = 1 ] && grep -q -- "$want" "$T/r.err"; then
		pass "refused: $desc"
	else
		fail "refused: $desc (exit $rc: $(cat "$T/r.err"))"
	fi
}
refused "a year out of range" "year 1999" --year 1999 --format json
refused "a year not numeric" "expected a year" --year abc --format json
refused "an unknown format" "expected pdf, json or csv" --year "$Y" --format xml
refused "an unsigned PDF not asked for" "signed by the Kepala Dinas" --year "$Y" --out "$T/x.pdf"
refused "a signer not registered" "no such registered person" \
	--year "$Y" --out "$T/x.pdf" --nik 3274010101990001 --passphrase-file "$T/kadis.pass"
refused "a signer who is no Kepala Dinas" "only the Kepala Dinas signs" \
	--year "$Y" --out "$T/x.pdf" --nik $OP1 --passphrase-file "$T/kadis.pass"
printf 'salah-sandi-2026\n' >"$T/wrong.pass"
refused "a wrong passphrase" "" --year "$Y" --out "$T/x.pdf" --nik $KADIS --passphrase-file "$T/wrong.pass"
refused "an applicant reading it" "annual report is read by" --year "$Y" --format json --as $SITI
check "nothing written on refusal" test ! -e "$T/x.pdf"
check_eq "one signed report registered" 1 \
	"$("$S" audit list --dir "$J" --json 2>/dev/null | jq '[.[] | select(.action == "gov.report.sign")] | length')"

# ---- the REST API, every role -------------------------------------------------
AUD=3274010101860001
HEAD=3274010101870001
ok "an auditor" "$S" person add --dir "$J" --as $KADIS --nik $AUD --name "Budi Auditor" \
	--email audit@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon
ok "appointed" "$S" person appoint --dir "$J" --as $KADIS $AUD --role auditor
ok "a head of agency" "$S" person add --dir "$J" --as $KADIS --nik $HEAD --name "Kepala Bidang" \
	--email kabid@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
	--roles pemohon,kepala-perangkat-daerah
tok() { "$S" token create --dir "$J" --name "$1" ${2:+--nik "$2"} ${3:+--role "$3"} --json | jq -r .token; }
TK=$(tok kadis $KADIS)
TO=$(tok op1 $OP1)
TA=$(tok aud $AUD)
TH=$(tok head $HEAD)
TS=$(tok siti $SITI)
TAPP=$(tok app "" operator)
P="/api/v1/gov/reports/annual"
allowed "GET json: the Kepala Dinas" 200 "$TK" GET "$P?year=$Y"
check "GET json: the figures" jq -e ".year == $Y and (.figures.open.items | type == \"object\")" "$T/ok.json"
allowed "GET json: an OP operator" 200 "$TO" GET "$P?year=$Y&format=json"
allowed "GET csv: the auditor" 200 "$TA" GET "$P?year=$Y&format=csv"
check "GET csv: the header line" grep -q '^section,dimension,key,value' "$T/ok.json"
allowed "GET: anonymous" 401 - GET "$P?year=$Y"
allowed "GET: a head of agency" 403 "$TH" GET "$P?year=$Y"
check "GET: a head of agency: JSON error" is_json_error
allowed "GET: an applicant" 403 "$TS" GET "$P?year=$Y"
allowed "GET: an application token" 403 "$TAPP" GET "$P?year=$Y"
allowed "GET: a year out of range" 400 "$TK" GET "$P?year=1999"
check "GET: year error names the year" jq -e '.error | test("year 1999")' "$T/body"
allowed "GET: no year" 400 "$TK" GET "$P"
allowed "GET: an unknown format" 400 "$TK" GET "$P?year=$Y&format=xml"
check "GET: JSON error" is_json_error
J_OK() { printf '{"year": %s, "passphrase": "%s"}' "$Y" "$1"; }
PASS_K=$(cat "$T/kadis.pass")
allowed "POST: an OP operator may not sign" 403 "$TO" POST "$P" -H 'Content-Type: application/json' --data "$(J_OK "$PASS_K")"
allowed "POST: the auditor may not sign" 403 "$TA" POST "$P" -H 'Content-Type: application/json' --data "$(J_OK "$PASS_K")"
allowed "POST: anonymous" 401 - POST "$P" -H 'Content-Type: application/json' --data "$(J_OK "$PASS_K")"
allowed "POST: no passphrase" 400 "$TK" POST "$P" -H 'Content-Type: application/json' --data "{\"year\": $Y}"
allowed "POST: an unknown field" 400 "$TK" POST "$P" -H 'Content-Type: application/json' --data "{\"year\": $Y, \"x\": 1}"
code=$(call "$TK" POST "$P" -H 'Content-Type: application/json' --data "$(J_OK salah-sandi-2026)")
if [ "${code:0:1}" = 4 ] && is_json_error; then pass "POST: a wrong passphrase: $code"; else fail "POST: a wrong passphrase: $code $(head -c 200 "$T/body")"; fi
check_eq "refused calls changed nothing (no gov.report.sign)" 1 \
	"$("$S" audit list --dir "$J" --json 2>/dev/null | jq '[.[] | select(.action == "gov.report.sign")] | length')"
code=$(curl -sS -o "$T/api.pdf" -D "$T/api.hdr" -w '%{http_code}' -X POST -H "Authorization: Bearer $TK" \
	-H 'Content-Type: application/json' --data "$(J_OK "$PASS_K")" "$SERVER_URL$P")
check_eq "POST: the Kepala Dinas signs" 200 "$code"
check "POST: a PDF with its document id" grep -qi '^X-Document-Id: [0-9a-f]\{32\}' "$T/api.hdr"
if pdfsig_ok "$T/api.pdf" 1; then pass "POST: pdfsig valid and trusted"; else fail "POST: pdfsig"; fi
server_stop
finish
