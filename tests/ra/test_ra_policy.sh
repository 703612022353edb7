#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The RA's policy is read once (src/ra/policy.c) and every front-end
# applies it: with [passphrase] min_length = 14 the CLI's and the API's
# in-person issuance and the e-sign passphrase change all refuse 12
# characters and take 14; a bad setting stops the command with one line.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup ra_policy
S=$SERTEL_BIN
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
printf '\n[passphrase]\nmin_length = 14\n' >>"$I/sertel.conf"

KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
SITI=3274014101920002
ANDI=3274010505930003

D=$T/docs
mkdir -p "$D"
for k in pengantar rekomendasi ktp; do
	printf '%%PDF-1.4\n%% %s for a test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' "$k" >"$D/$k.pdf"
done
printf 'Kota-Cirebon-2026' >"$T/p17"   # 17 characters
printf 'Cirebon-2026x' >"$T/p13"       # 13 characters
printf 'Cirebon-2026xy' >"$T/p14"      # 14 characters

ok "agency" "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id
ok "kepala dinas" "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan
ok "appointed" "$S" person appoint --dir "$I" $KADIS --role kepala-dinas
ok "operator" "$S" person add --dir "$I" --nik $OP1 --name "Operator Satu" --email op1@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --superior $KADIS
ok "operator appointed" "$S" person appoint --dir "$I" --as $KADIS $OP1 --role operator-op
make_csr "$T/op.csr" ec-p256 "Operator Satu"
ok "operator's certificate" "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Satu" --nik $OP1
for p in "$SITI Siti Aminah siti" "$ANDI Andi Wijaya andi"; do
	set -- $p
	ok "applicant $2" "$S" person add --dir "$I" --nik "$1" --name "$2 $3" --email "$4@kominfo.cirebonkota.go.id" --agency "$KOMINFO" --roles pemohon --superior $KADIS
done
# refused_rc DESC CMD...: exit 2 with one line on stderr (kept in $T/rc.err).
refused_rc() {
	local desc=$1 rc
	shift
	"$@" >/dev/null 2>"$T/rc.err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$T/rc.err")" -eq 1 ]; then
		pass "$desc: $(cat "$T/rc.err")"
	else
		fail "$desc: exit $rc, expected 2 with one line: $(cat "$T/rc.err")"
	fi
}
approved() {
	local app
	app=$("$S" ra apply --dir "$I" --as "$1" --type individu --usage signing --attach "pengantar=$D/pengantar.pdf" --attach "rekomendasi=$D/rekomendasi.pdf" --attach "ktp=$D/ktp.pdf" --json | jq -r .id) || return 1
	"$S" ra submit --dir "$I" --as "$1" "$app" >/dev/null &&
		"$S" ra approve --dir "$I" --as $OP1 "$app" >/dev/null && echo "$app"
}
APP1=$(approved $SITI) || die "Siti's application not approved"
APP2=$(approved $ANDI) || die "Andi's application not approved"

# ---- the CLI --------------------------------------------------------------
refused_rc "CLI: 13 characters refused under min_length 14" "$S" ra issue --dir "$I" --as $SITI "$APP1" --accept-agreement --generate-key --passphrase-file "$T/p13"
check "CLI: the message names the 14" grep -q "14" "$T/rc.err"
check_eq "CLI: nothing issued" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM certs")"
ok "CLI: 14 characters taken" "$S" ra issue --dir "$I" --as $SITI "$APP1" --accept-agreement --generate-key --passphrase-file "$T/p14"

# ---- e-sign: the owner's passphrase change ------------------------------------
refused_rc "e-sign: a new passphrase of 13 refused" "$S" esign passphrase --dir "$I" --nik $SITI --old-file "$T/p14" --new-file "$T/p13"
check "e-sign: the message names the 14" grep -q "14" "$T/rc.err"
ok "e-sign: a new passphrase of 17 taken" "$S" esign passphrase --dir "$I" --nik $SITI --old-file "$T/p14" --new-file "$T/p17"

# ---- the API and the portal ---------------------------------------------------
TOK=$("$S" token create --dir "$I" --name andi --nik $ANDI --json | jq -r .token)
server_start "$I" || die "sertel serve did not become healthy"
JSON="Content-Type: application/json"
code=$(call "$TOK" POST "/api/v1/applications/$APP2/issue" -H "$JSON" --data-binary "$(jq -nc --rawfile p "$T/p13" '{accept_agreement: true, generate_key: true, passphrase: $p}')")
check_eq "API: 13 characters refused" 400 "$code"
check "API: the error names the 14" grep -q "14" "$T/body"
check_eq "API: nothing issued" 2 "$(inst_sql "$I" "SELECT COUNT(*) FROM certs")"
allowed "API: 14 characters taken" 201 "$TOK" POST "/api/v1/applications/$APP2/issue" -H "$JSON" --data-binary "$(jq -nc --rawfile p "$T/p14" '{accept_agreement: true, generate_key: true, passphrase: $p}')"
server_stop

# ---- a bad setting ------------------------------------------------------------
sed -i 's/^min_length = 14$/min_length = 4/' "$I/sertel.conf"
refused_rc "min_length 4: refused when loaded" "$S" ra issue --dir "$I" --as $SITI "$APP1" --accept-agreement --generate-key --passphrase-file "$T/p14"
check "the message names the setting" grep -q "min_length" "$T/rc.err"
finish
