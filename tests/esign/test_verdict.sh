#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 11 (verdict): signatures that outlive the certificate, one verdict
# everywhere, public pages for citizens.  Signs through the e-sign service
# (B-T with the instance TSA by default now), revokes the signer's
# certificate, and asks every surface: `sertel verify` (text and --json),
# /v/{id} (page and ?format=json), POST /api/verifikasi, the v1 and v2
# verify API, and the /verifikasi page in Chromium.  Each must give the
# same verdict with the same reason: valid with "revoked_after_timestamp"
# for the B-T signature, indeterminate with "revoked_no_timestamp" for a
# B-B one (asked for with [esign] level = B-B), and one coherent "changed"
# verdict for a file with one flipped byte.  The public JSON carries no
# NIK (the whole body grepped for the 16 digits) and a masked NIP.
# Screenshots at 1280x900 and 390x844 under build/screenshots/verdict/.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup verdict
S=$SERTEL_BIN
I=$T/inst
HERE=$(cd "$(dirname "$0")" && pwd)
MKPDF="python3 $HERE/mkpdf.py"
SHOTS=${SERTEL_BUILD:-$HERE/../../build}/screenshots/verdict
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || die "chromium is not installed ($CHROMIUM)"

PORT=$(free_port)
make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init failed: $(cat "$I.init.err")"
KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
RINA=3274010404870005
NIP=198704042010011001
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"
. "$HERE/owners.sh"
esign_people || die "the agency, its kepala-dinas and the OP operator"
# Rina, with a NIP (the pages must mask it) and a server-sealed key.
quiet "$S" person add --dir "$I" --nik $RINA --name "Rina Wati" --email rina@kominfo.cirebonkota.go.id \
	--agency "$KOMINFO" --roles pemohon --superior $KADIS --nip $NIP || die "person add Rina (NIP)"
APPL=$("$S" ra apply --dir "$I" --as $RINA --type individu --usage signing "${ATT[@]}" --json 2>/dev/null | jq -r .id)
quiet "$S" ra submit --dir "$I" --as $RINA "$APPL" || die "ra submit"
quiet "$S" ra approve --dir "$I" --as $OP1 "$APPL" || die "ra approve"
quiet "$S" ra issue --dir "$I" "$APPL" --as $RINA --accept-agreement --generate-key \
	--passphrase-file "$T/pass.txt" --out "$T/rina.pem" || die "ra issue"
APP=$("$S" client add --dir "$I" --name srikandi --perms sign,verify) || die "client add"
cp "$D/ktp.png" "$T/logo.png"
cp "$I/sertel.conf" "$T/base.conf"
# conf LEVEL KEEP: [esign] of the next server run (no level: the default).
conf() {
	cp "$T/base.conf" "$I/sertel.conf"
	{
		printf '\n[esign]\nkeep_content = %s\npublic_logo = %s\n' "$2" "$T/logo.png"
		[ -n "$1" ] && printf 'level = %s\n' "$1"
	} >>"$I/sertel.conf"
}
# sign OUT NAME: one document through the v1 API; prints its id.
sign() {
	local code
	code=$(curl -s -o "$T/$1" -D "$T/$1.h" -w '%{http_code}' -u "srikandi:$APP" \
		-F "file=@$T/a.pdf;filename=$2" -F nik=$RINA -F "passphrase=$PW" -F tampilan=invisible \
		-F reason="Persetujuan surat" -F location="Cirebon" "$U/api/sign/pdf")
	[ "$code" = 200 ] || { note "sign $1: HTTP $code $(head -c 300 "$T/$1")"; return 1; }
	sed -n 's/^id_dokumen: *\([0-9a-f]*\).*/\1/p' "$T/$1.h" | tr -d '\r'
}
$MKPDF "$T/a.pdf" "Surat Keputusan Kepala Dinas Nomor 800/2026" || die "mkpdf"

# ---- three documents: B-T kept, B-T not kept, B-B not kept ----------------
conf "" 1
server_start_port "$I" "$PORT" || die "server did not start"
U=$SERVER_URL
A=$(sign bt.pdf surat-bt.pdf) || die "sign B-T (default level)"
check_eq "default level B-T: the signature carries a timestamp" true \
	"$("$S" verify --dir "$I" --json "$T/bt.pdf" | jq '.signatures[-1].checks.timestamp')"
server_stop
conf "" 0
server_start_port "$I" "$PORT" || die "server did not start (keep_content = 0)"
A2=$(sign bt2.pdf surat-bt2.pdf) || die "sign B-T without kept content"
server_stop
conf B-B 0
server_start_port "$I" "$PORT" || die "server did not start (level = B-B)"
B=$(sign bb.pdf surat-bb.pdf) || die "sign B-B"
check_eq "[esign] level = B-B: no timestamp" null \
	"$("$S" verify --dir "$I" --json "$T/bb.pdf" | jq '.signatures[-1].checks.timestamp')"
server_stop
# One flipped byte inside the signed range (the page's text).
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); i = b.find(b'Surat Keputusan')
assert i > 0; b[i] ^= 0x20
open(sys.argv[2], 'wb').write(b)" "$T/bt.pdf" "$T/flip.pdf" || die "flip"

# ---- the signer's certificate revoked after signing ------------------------
sleep 2
SER=$("$S" cert list --dir "$I" --json | jq -r ".[] | select(.nik == \"$RINA\") | .serial")
ok "Rina's certificate revoked after signing" "$S" ra revoke --dir "$I" "$SER" --cause permintaan-pemilik --as $RINA
conf "" 1
server_start_port "$I" "$PORT" || die "server did not start (after revocation)"

# ---- every surface ---------------------------------------------------------
# codes FILE JQPATH: the reason codes at JQPATH, comma-separated.
codes() { jq -r "$2 | [.reasons[].code] | join(\",\")" "$1" 2>/dev/null; }
verdict_of() { jq -r "$2.verdict" "$1" 2>/dev/null; }
# surfaces PDF TAG [ID]: the answers of every surface for PDF into $T/TAG.*
surfaces() {
	local f=$1 t=$2 id=${3:-}
	"$S" verify --dir "$I" --json "$f" >"$T/$t.cli.json" 2>/dev/null
	"$S" verify --dir "$I" "$f" >"$T/$t.cli.txt" 2>/dev/null
	"$S" verify --dir "$I" --lang en "$f" >"$T/$t.cli.en.txt" 2>/dev/null
	curl -s -F "file=@$f" "$U/api/verifikasi" >"$T/$t.pub.json"
	curl -s -u "srikandi:$APP" -F "signed_file=@$f" "$U/api/sign/verify" >"$T/$t.v1.json"
	python3 -c "import base64,json,sys; print(json.dumps({'file':[base64.b64encode(open(sys.argv[1],'rb').read()).decode()]}))" "$f" >"$T/$t.v2.req"
	curl -s -u "srikandi:$APP" -H 'Content-Type: application/json' --data-binary "@$T/$t.v2.req" \
		"$U/api/v2/verify/pdf" >"$T/$t.v2.json"
	if [ -n "$id" ]; then
		curl -s "$U/v/$id?format=json" >"$T/$t.v.json"
		curl -s "$U/v/$id" >"$T/$t.v.html"
		curl -s "$U/v/$id?lang=en" >"$T/$t.v.en.html"
	fi
}
# same TAG VERDICT CODE [ID]: the verdict and the reason on every surface.
same() {
	local t=$1 v=$2 code=$3 id=${4:-} k
	check_eq "$t: sertel verify --json verdict" "$v" "$(verdict_of "$T/$t.cli.json" '.signatures[-1].result')"
	check "$t: sertel verify --json reason $code" grep -q "$code" <<<"$(codes "$T/$t.cli.json" '.signatures[-1].result')"
	check_eq "$t: /api/verifikasi verdict" "$v" "$(verdict_of "$T/$t.pub.json" '.signatureInformations[-1].result')"
	check "$t: /api/verifikasi reason $code" grep -q "$code" <<<"$(codes "$T/$t.pub.json" '.signatureInformations[-1].result')"
	check_eq "$t: v1 verify verdict" "$v" "$(verdict_of "$T/$t.v1.json" '.details[-1].result')"
	check "$t: v1 verify reason $code" grep -q "$code" <<<"$(codes "$T/$t.v1.json" '.details[-1].result')"
	check_eq "$t: v2 verify verdict" "$v" "$(verdict_of "$T/$t.v2.json" '.signatureInformations[-1].result')"
	check "$t: v2 verify reason $code" grep -q "$code" <<<"$(codes "$T/$t.v2.json" '.signatureInformations[-1].result')"
	# The sentence itself, in both languages, is the one the CLI prints.
	local id_s en_s
	id_s=$(jq -r --arg c "$code" '.signatures[-1].result.reasons[] | select(.code == $c) | .id' "$T/$t.cli.json")
	en_s=$(jq -r --arg c "$code" '.signatures[-1].result.reasons[] | select(.code == $c) | .en' "$T/$t.cli.json")
	check "$t: sertel verify text gives the reason in Bahasa Indonesia" grep -qF "${id_s:-none}" "$T/$t.cli.txt"
	check "$t: sertel verify --lang en gives it in English" grep -qF "${en_s:-none}" "$T/$t.cli.en.txt"
	for k in pub v1 v2; do
		check_eq "$t: $k: the same Indonesian sentence" "$id_s" \
			"$(jq -r --arg c "$code" '[.. | objects | select(.code? == $c) | .id][0]' "$T/$t.$k.json")"
	done
	if [ -n "$id" ]; then
		check_eq "$t: /v/{id}?format=json verdict (recomputed)" "$v" "$(verdict_of "$T/$t.v.json" '.result')"
		check "$t: /v/{id}?format=json reason $code" grep -q "$code" <<<"$(codes "$T/$t.v.json" '.result')"
		check "$t: /v/{id} page gives the reason in Bahasa Indonesia" in_page "${id_s:-none}" "$T/$t.v.html"
		check "$t: /v/{id}?lang=en gives it in English" in_page "${en_s:-none}" "$T/$t.v.en.html"
	fi
}
# in_page TEXT FILE: TEXT in the page as a reader sees it (entities decoded).
in_page() { python3 -c 'import html, sys; sys.exit(sys.argv[1] not in html.unescape(open(sys.argv[2]).read()))' "$1" "$2"; }

surfaces "$T/bt.pdf" bt "$A"
same bt valid revoked_after_timestamp "$A"
check "bt: sertel verify says SAH" grep -q "^Dokumen: SAH$" "$T/bt.cli.txt"
check "bt: /v/{id} page says SAH" grep -q '<p class="ok verdict"><strong>SAH</strong>' "$T/bt.v.html"
check_eq "bt: /v/{id} certificate status now: dicabut" dicabut "$(jq -r .sertifikat_saat_ini "$T/bt.v.json")"

surfaces "$T/bt2.pdf" bt2 "$A2"
check_eq "bt2: registry without content: no download offered" false "$(jq -r .unduh "$T/bt2.v.json")"
same bt2 valid revoked_after_timestamp "$A2"

surfaces "$T/bb.pdf" bb "$B"
same bb indeterminate revoked_no_timestamp "$B"
check "bb: sertel verify says BELUM DAPAT DIPASTIKAN" grep -q "^Dokumen: BELUM DAPAT DIPASTIKAN$" "$T/bb.cli.txt"
check "bb: /v/{id} page says BELUM DAPAT DIPASTIKAN" grep -q '<strong>BELUM DAPAT DIPASTIKAN</strong>' "$T/bb.v.html"
check "bb: /v/{id} page never says SAH" bash -c "! grep -q '<strong>SAH</strong>' '$T/bb.v.html'"

surfaces "$T/flip.pdf" flip
same flip invalid document_changed
check_eq "flip: sertel verify --json changed" true "$(jq -r '.signatures[-1].result.changed' "$T/flip.cli.json")"
check "flip: no \"stays valid\" reason next to the changed verdict" bash -c "! grep -q revoked_after_timestamp '$T/flip.cli.json'"
check "flip: sertel verify text: Diubah sesudah ditandatangani: ya" grep -Eq "Diubah sesudah ditandatangani: +ya" "$T/flip.cli.txt"
check_eq "flip: v1 document_integrity false" false "$(jq -r '.details[-1].signature_document.document_integrity' "$T/flip.v1.json")"
check_eq "flip: v2 integrityValid false and modified true (one fact)" "false true" \
	"$(jq -r '.signatureInformations[-1] | "\(.integrityValid) \(.modified)"' "$T/flip.v2.json")"
check_eq "flip: /api/verifikasi integrityValid false and modified true" "false true" \
	"$(jq -r '.signatureInformations[-1] | "\(.integrityValid) \(.modified)"' "$T/flip.pub.json")"
check_eq "bt: v2 integrityValid true and modified false" "true false" \
	"$(jq -r '.signatureInformations[-1] | "\(.integrityValid) \(.modified)"' "$T/bt.v2.json")"

# ---- personal identifiers on the public pages -------------------------------
for f in bt.v.json bt.v.html bt.v.en.html bb.v.json bb.v.html bt.pub.json bb.pub.json flip.pub.json; do
	check "$f: no NIK anywhere in the body" bash -c "! grep -q '$RINA' '$T/$f'"
	check "$f: the NIP never in full" bash -c "! grep -q '$NIP' '$T/$f'"
done
check_eq "/v/{id}?format=json: NIP masked to its last 4 digits" "**************1001" "$(jq -r .nip "$T/bt.v.json")"
check_eq "/v/{id}?format=json: no nik field" null "$(jq -r .nik "$T/bt.v.json")"
check "/v/{id} page: masked NIP shown" grep -qF '**************1001' "$T/bt.v.html"
check_eq "/v/{id}?format=json: the Pemda's name" "Pemerintah Kota Cirebon" "$(jq -r .pemda "$T/bt.v.json")"
check "/v/{id} page: the Pemda's name" grep -q "Pemerintah Kota Cirebon" "$T/bt.v.html"
check "/v/{id} page: the Pemda's logo" grep -q '<img src="/verifikasi/logo"' "$T/bt.v.html"
check_eq "/verifikasi/logo: the configured PNG" "$(sha256sum <"$T/logo.png")" "$(curl -s "$U/verifikasi/logo" | sha256sum)"
check "/verifikasi page: the Pemda's name" bash -c "curl -s '$U/verifikasi' | grep -q 'Pemerintah Kota Cirebon'"
check "/v/{id} page: size in KB, not bytes" grep -Eq '<td>[0-9]+ KB</td>' "$T/bt.v.html"
# Download when the instance keeps content.
check "/v/{id} page: download link (keep_content = 1)" grep -q "href=\"/v/$A?format=pdf\"" "$T/bt.v.html"
curl -s -o "$T/dl.pdf" "$U/v/$A?format=pdf"
check "/v/{id}?format=pdf: the signed file itself" cmp -s "$T/dl.pdf" "$T/bt.pdf"
check_eq "/v/{id}?format=pdf without kept content: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$U/v/$A2?format=pdf")"
check "/v/{id} page without kept content: no download link" bash -c "! grep -q 'format=pdf' '$T/bt2.v.html'"
# ---- the pages in Chromium: screenshots, nothing overflowing on a phone ----
mkdir -p "$SHOTS"
# The driver's own lines, indented (its closing count is not this test's).
shots() {
	/usr/bin/python3 "$HERE/verdict_shots.py" "$U" "$A" "$B" "$T/bt.pdf" "$T/flip.pdf" "$SHOTS" >"$T/shots.out" 2>&1
	local rc=$?
	sed 's/^/#    /' "$T/shots.out"
	return $rc
}
check "Chromium: /v/{id} and /verifikasi rendered, nothing overflows at 390 px" \
	shots
for n in v-bt v-bb verifikasi-bt verifikasi-flip verifikasi-bt-en; do
	for k in desktop phone; do
		check "screenshot $n-$k.png written" test -s "$SHOTS/$n-$k.png"
	done
done
# With publish_nip = 1 the NIP is shown in full (the instance's choice).
server_stop
conf "" 1
printf 'publish_nip = 1\n' >>"$I/sertel.conf"
server_start_port "$I" "$PORT" || die "server did not start (publish_nip)"
check_eq "[esign] publish_nip = 1: NIP in full" "$NIP" "$(curl -s "$U/v/$A?format=json" | jq -r .nip)"
check "[esign] publish_nip = 1: still no NIK" bash -c "! curl -s '$U/v/$A?format=json' | grep -q '$RINA'"

server_stop
finish
