#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 11: the visible signature as the instance sets it, and every
# signed document resolving.
#   - box template ([sign] box_layout, box_fields, box_line) and zone
#     ([portal] time_zone = Asia/Makassar -> WITA): pdftotext of a file
#     signed with an instance carries name, NIP, jabatan, agency and the
#     local time with its zone, for an individu and a jabatan certificate;
#   - footer (Lampiran II): names the issuing PSrE (issuer O) and UU ITE as
#     amended by UU 19/2016 and UU 1/2024, and the /v link;
#   - `sertel sign pdf --dir` registers the file: zbarimg of the page
#     decodes to <base>/v/<id>, and that page (curl, server on loopback)
#     answers 200 naming the document; --no-register does not register;
#   - the API (v1 sign) and the receipts (sertel ra receipt, signed or not)
#     carry /v/<id> in their QR code too, and it answers;
#   - pdfsig valid and trusted, qpdf --check; screenshots of box and footer.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup sign_look
S=$SERTEL_BIN
I=$T/inst
MKPDF="python3 $(dirname "$0")/../esign/mkpdf.py"
for tool in pdfsig certutil qpdf pdftotext pdftoppm zbarimg; do
	command -v $tool >/dev/null 2>&1 || die "$tool is not installed"
done
PORT=$(free_port)
U="http://127.0.0.1:$PORT"
make_instance "$I" --org "Pemerintah Kota Palembang" --base-url "$U" ||
	die "init failed: $(cat "$I.init.err")"
cat >>"$I/sertel.conf" <<CONF

[portal]
time_zone = Asia/Makassar

[sign]
box_layout = qr-teks
box_fields = judul,nama,nip,jabatan,instansi,waktu,qr
CONF

KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=1671010101800001
OP1=1671010101900002
BUDI=1671010202850003
SITI=1671014303860004
NIP_BUDI="198502022010011003"
NIP_SITI="198603032011012004"
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"
. "$(dirname "$0")/../esign/owners.sh"
esign_people || die "the agency, its kepala-dinas and the OP operator"

# person_cert NIK NAME MAIL NIP POSITION TYPE [--title T]: registered with a
# NIP, applied, approved, issued with a key sealed under $PW.
person_cert() {
	local nik=$1 name=$2 mail=$3 nip=$4 pos=$5 type=$6 app
	shift 6
	"$S" person add --dir "$I" --as $KADIS --nik "$nik" --name "$name" --email "$mail@kominfo.cirebonkota.go.id" \
		--agency "$KOMINFO" --roles pemohon --superior $KADIS --nip "$nip" --position "$pos" >>"$T/ra.log" 2>&1 || return 1
	app=$("$S" ra apply --dir "$I" --as "$nik" --type "$type" --usage signing "${ATT[@]}" "$@" --json 2>>"$T/ra.log" | jq -r .id) || return 1
	printf '%s\n' "$app" >"$T/$nik.app"
	"$S" ra submit --dir "$I" --as "$nik" "$app" >>"$T/ra.log" 2>&1 &&
		"$S" ra approve --dir "$I" --as $OP1 "$app" >>"$T/ra.log" 2>&1 &&
		"$S" ra issue --dir "$I" "$app" --as "$nik" --accept-agreement --generate-key --passphrase-file "$T/pass.txt" --out "$T/$nik.pem" >>"$T/ra.log" 2>&1
}
check "individu certificate with NIP issued" person_cert $BUDI "Budi Santoso" budi "$NIP_BUDI" "Analis Sistem Informasi" individu
check "jabatan certificate with NIP issued" person_cert $SITI "Siti Aminah" siti "$NIP_SITI" "Kepala Bidang Persandian" jabatan \
	--attach "sk=$D/pengantar.pdf" --attach "penunjukan=$D/rekomendasi.pdf"
check "the certificate carries the NIP in serialNumber" bash -c "openssl x509 -in '$T/$BUDI.pem' -noout -subject | grep -q 'serialNumber = $NIP_BUDI'"

quiet "$S" ca export --dir "$I" --out "$T/ca" || die "ca export"
ISSUER_O=$(openssl x509 -in "$T/$BUDI.pem" -noout -issuer -nameopt multiline | sed -n 's/^ *organizationName *= *//p')
note "issuer O: $ISSUER_O"
pdfsig_trust "$T/ca/root.pem"
# text FILE: the PDF's text on one line, spaces squeezed.
text() { pdftotext "$1" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }
# qr FILE: what zbarimg reads on the last page rendered at 150 dpi.
qr() {
	local n
	n=$(pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p')
	pdftoppm -r 150 -png -f "${n:-1}" -l "${n:-1}" -singlefile "$1" "$1.page" 2>/dev/null
	zbarimg -q --raw "$1.page.png" 2>/dev/null | head -n 1
}
has() { grep -qF -- "$2" <<<"$1"; }

$MKPDF "$T/surat.pdf" "Surat Edaran Nomor 800/123/Kominfo/2026"

# ---- CLI, individu certificate, zone Asia/Makassar -------------------------------
ok "sign pdf --dir (individu, visible)" "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" \
	--visible --rect 300,60,260,90 --time 2026-12-07T06:05:00Z "$T/surat.pdf" --out "$T/cli.pdf" --json
CLI_ID=$(jq -r .id "$T/out")
CLI_URL=$(jq -r .url "$T/out")
check_eq "sign pdf --dir: the JSON names the /v link" "$U/v/$CLI_ID" "$CLI_URL"
TX=$(text "$T/cli.pdf")
check "box: the signer's name" has "$TX" "Budi Santoso"
check "box: NIP from the certificate" has "$TX" "NIP. $NIP_BUDI"
check "box: the agency (OU)" has "$TX" "$KOMINFO"
check "box: local time in WITA (06:05 UTC = 14.05 WITA)" has "$TX" "7 Desember 2026 14.05 WITA"
check "box: no UTC time" bash -c "! grep -q 'UTC' <<<'$TX'"
check "footer: names the issuing PSrE (issuer O)" has "$TX" "diterbitkan oleh $ISSUER_O"
check "footer: UU ITE as amended by UU 19/2016 and UU 1/2024" has "$TX" "UU No. 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik sebagaimana telah diubah dengan UU No. 19 Tahun 2016 dan UU No. 1 Tahun 2024"
check "footer: the /v link" has "$(pdftotext "$T/cli.pdf" - | tr -d '\n')" "$U/v/$CLI_ID"
check_eq "CLI-signed: QR decodes to <base>/v/<id>" "$U/v/$CLI_ID" "$(qr "$T/cli.pdf")"
check "CLI-signed: qpdf --check" quiet qpdf --check "$T/cli.pdf"
check_eq "CLI-signed: registered once in esign_docs" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs WHERE id = '$CLI_ID' AND sha256 = '$(sha256sum "$T/cli.pdf" | cut -c1-64)'")"

# ---- CLI, jabatan certificate ------------------------------------------------------
ok "sign pdf --dir (jabatan, at the marker)" "$S" sign pdf --dir "$I" --nik $SITI --passphrase-file "$T/pass.txt" \
	--marker '#' "$T/surat.pdf" --out "$T/jab.pdf" --json
JAB_ID=$(jq -r .id "$T/out")
TX=$(text "$T/jab.pdf")
check "jabatan box: name" has "$TX" "Siti Aminah"
check "jabatan box: NIP" has "$TX" "NIP. $NIP_SITI"
check "jabatan box: jabatan (title)" has "$TX" "Kepala Bidang Persandian"
check "jabatan box: agency" has "$TX" "$KOMINFO"
check "jabatan box: zone WITA" has "$TX" "WITA"
check "jabatan footer: issuer" has "$TX" "diterbitkan oleh $ISSUER_O"
check_eq "jabatan: QR decodes to <base>/v/<id>" "$U/v/$JAB_ID" "$(qr "$T/jab.pdf")"

# ---- --no-register ---------------------------------------------------------------
before=$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")
ok "sign pdf --dir --no-register" "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" \
	--no-register "$T/surat.pdf" --out "$T/noreg.pdf"
check_eq "--no-register: nothing registered" "$before" "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")"
check "--no-register: no /v link in the footer" bash -c "! pdftotext '$T/noreg.pdf' - | grep -q '/v/'"

# ---- the zone: WIB when the instance says Asia/Jakarta ---------------------------------
sed -i 's#^time_zone = Asia/Makassar#time_zone = Asia/Jakarta#' "$I/sertel.conf"
ok "sign pdf --dir with Asia/Jakarta" "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" \
	--visible --rect 300,60,260,90 --time 2026-12-07T06:05:00Z "$T/surat.pdf" --out "$T/wib.pdf"
check "Asia/Jakarta: 13.05 WIB" has "$(text "$T/wib.pdf")" "7 Desember 2026 13.05 WIB"
sed -i 's#^time_zone = Asia/Jakarta#time_zone = Asia/Makassar#' "$I/sertel.conf"
sed -i 's#^time_zone = Asia/Makassar#time_zone = Asia/Tokyo#' "$I/sertel.conf"
check_rc "an unknown zone is refused (exit 2)" 2 "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" "$T/surat.pdf" --out "$T/bad.pdf"
check "an unknown zone: no file written" test ! -e "$T/bad.pdf"
sed -i 's#^time_zone = Asia/Tokyo#time_zone = Asia/Makassar#' "$I/sertel.conf"

# ---- the server: /v/{id} answers, the API signs with the template ------------------
APP=$("$S" client add --dir "$I" --name srikandi --perms sign,verify) || die "client add"
server_start_port "$I" "$PORT" || die "server did not start"
check "pdfsig: CLI-signed file valid and trusted" pdfsig_ok "$T/cli.pdf"
check "pdfsig: jabatan file valid and trusted" pdfsig_ok "$T/jab.pdf"
code=$(curl -s -o "$T/v.html" -w '%{http_code}' "$CLI_URL")
check_eq "GET /v/<id> of the CLI-signed file: 200" 200 "$code"
check "GET /v/<id> names the document" grep -q "cli.pdf" "$T/v.html"
check "GET /v/<id> names the signer" grep -q "Budi Santoso" "$T/v.html"

code=$(curl -s -o "$T/api.pdf" -D "$T/api.h" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/surat.pdf;filename=surat-api.pdf" \
	-F nik=$SITI -F "passphrase=$PW" -F tampilan=visible -F image=false -F page=1 \
	-F xAxis=300 -F yAxis=60 -F width=260 -F height=90 "$U/api/sign/pdf")
check_eq "v1 sign (visible): 200" 200 "$code"
API_ID=$(sed -n 's/^id_dokumen: *\([0-9a-f]*\).*/\1/p' "$T/api.h" | tr -d '\r')
check_eq "API-signed: QR decodes to <base>/v/<id>" "$U/v/$API_ID" "$(qr "$T/api.pdf")"
TX=$(text "$T/api.pdf")
check "API-signed box: NIP, jabatan, WITA" bash -c "grep -qF 'NIP. $NIP_SITI' <<<'$TX' && grep -qF 'Kepala Bidang Persandian' <<<'$TX' && grep -qF 'WITA' <<<'$TX'"
check "API-signed footer: issuer and the /v link" bash -c "grep -qF 'diterbitkan oleh $ISSUER_O' <<<'$TX' && pdftotext '$T/api.pdf' - | tr -d '\n' | grep -qF '/v/$API_ID'"
check "pdfsig: API-signed file valid and trusted" pdfsig_ok "$T/api.pdf"
check "API-signed: qpdf --check" quiet qpdf --check "$T/api.pdf"
code=$(curl -s -o "$T/vapi.html" -w '%{http_code}' "$U/v/$API_ID")
check_eq "GET /v/<id> of the API-signed file: 200" 200 "$code"
check "GET /v/<id> names the API document" grep -q "surat-api.pdf" "$T/vapi.html"

# ---- receipts: the QR code is the receipt's /v link, and it answers -------------
BAPP=$(cat "$T/$BUDI.app")
ok "ra receipt (unsigned)" "$S" ra receipt --dir "$I" --as $OP1 "$BAPP" --out "$T/rcpt.pdf"
RURL=$(qr "$T/rcpt.pdf")
check "receipt: QR is a /v link, not serial=...;sha256=..." bash -c "[[ '$RURL' =~ ^$U/v/[0-9a-f]{32}\$ ]]"
RID=${RURL##*/}
check_eq "receipt: registered under that id" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs WHERE id = '$RID' AND name = 'tanda-terima-$BAPP.pdf'")"
check "receipt: its dates in the instance's zone (WITA), none in WIB" bash -c \
	"pdftotext -layout '$T/rcpt.pdf' - | grep -q ' WITA' && ! pdftotext -layout '$T/rcpt.pdf' - | grep -q ' WIB'"
ok "ra receipt again" "$S" ra receipt --dir "$I" --as $OP1 "$BAPP" --out "$T/rcpt2.pdf"
check "receipt: the same bytes each time" cmp -s "$T/rcpt.pdf" "$T/rcpt2.pdf"
code=$(curl -s -o "$T/vr.html" -w '%{http_code}' "$RURL")
check_eq "GET /v/<id> of the receipt: 200" 200 "$code"
check "GET /v/<id> names the receipt" grep -q "tanda-terima-$BAPP.pdf" "$T/vr.html"
# With its e-mail address: NSS (pdfsig) wants emailProtection for a signer.
make_csr "$T/op2.csr" ec-p256 op2
ok "OP's certificate as a file" "$S" cert issue --dir "$I" --csr "$T/op2.csr" --type individu --usage signing \
	--cn "Operator Satu" --nik $OP1 --email op1@kominfo.cirebonkota.go.id --out "$T/op.pem"
ok "ra receipt --sign (the OP operator)" "$S" ra receipt --dir "$I" --as $OP1 "$BAPP" --out "$T/rcpts.pdf" \
	--sign --sign-key "$T/op2.csr.key" --sign-cert "$T/op.pem" --sign-chain "$T/ca/issuing.pem"
check_eq "signed receipt: QR is the same /v link" "$RURL" "$(qr "$T/rcpts.pdf")"
check_eq "signed receipt: registered by its own hash too" 1 \
	"$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs WHERE sha256 = '$(sha256sum "$T/rcpts.pdf" | cut -c1-64)' AND name = 'tanda-terima-$BAPP.pdf'")"
check_eq "signed receipt: the QR's entry stays one" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs WHERE id = '$RID'")"
check "signed receipt: pdfsig valid and trusted" pdfsig_ok "$T/rcpts.pdf"
check "signed receipt: qpdf --check" quiet qpdf --check "$T/rcpts.pdf"
before=$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")
ok "ra receipt (unsigned) after the signed one" "$S" ra receipt --dir "$I" --as $OP1 "$BAPP" --out "$T/rcpt3.pdf"
check_eq "asking for the receipt again writes nothing" "$before" "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$(qr "$T/rcpts.pdf")")
check_eq "signed receipt: its QR link answers 200" 200 "$code"

# ---- the signer's scanned signature and the instance's logo -----------------------
TTD=$D/ttd.png
check_rc "signature-image: another person may not set it (exit 2)" 2 "$S" person signature-image --dir "$I" --as $BUDI $SITI --image "$TTD"
check_rc "signature-image: not an image refused (exit 2)" 2 "$S" person signature-image --dir "$I" --as $SITI $SITI --image "$T/surat.pdf"
check_eq "signature-image: refusals store nothing" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM person_signature_images")"
ok "signature-image: the person sets their own" "$S" person signature-image --dir "$I" --as $SITI $SITI --image "$TTD"
check_eq "signature-image: stored once, audited" "1 1" "$(inst_sql "$I" "SELECT COUNT(*) FROM person_signature_images WHERE nik = '$SITI'") $(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'person.signature_image'")"
ok "sign pdf --dir: the box shows the signer's image" "$S" sign pdf --dir "$I" --nik $SITI --passphrase-file "$T/pass.txt" \
	--visible --rect 300,60,260,90 "$T/surat.pdf" --out "$T/ttd.pdf"
check "the signer's image is in the box (/SertelIm1)" grep -qa "/SertelIm1" "$T/ttd.pdf"
check "with the image: pdfsig valid and trusted" pdfsig_ok "$T/ttd.pdf"
ok "signature-image --remove (an OP operator)" "$S" person signature-image --dir "$I" --as $OP1 $SITI --remove
# The same through the RA API (POST /api/v1/persons/NIK/signature-image).
TOK_SITI=$("$S" token create --dir "$I" --name siti --nik $SITI --json | jq -r .token)
TOK_BUDI=$("$S" token create --dir "$I" --name budi --nik $BUDI --json | jq -r .token)
jq -n --arg i "$(base64 -w0 "$TTD")" '{image: $i}' >"$T/img.json"
JH="Content-Type: application/json"
code=$(call "$TOK_BUDI" POST /api/v1/persons/$SITI/signature-image -H "$JH" --data-binary @"$T/img.json")
check_eq "API: another person's image refused (403)" 403 "$code"
check "API: the refusal is a JSON error" is_json_error
check_eq "API: the refusal stores nothing" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM person_signature_images")"
code=$(call "$TOK_SITI" POST /api/v1/persons/$SITI/signature-image -H "$JH" --data-binary '{"image": "bm90IGFuIGltYWdl"}')
check_eq "API: not an image (400)" 400 "$code"
code=$(call "$TOK_SITI" POST /api/v1/persons/$SITI/signature-image -H "$JH" --data-binary @"$T/img.json")
check_eq "API: the person sets their own (200)" 200 "$code"
check_eq "API: stored" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM person_signature_images WHERE nik = '$SITI'")"
code=$(call "$TOK_SITI" POST /api/v1/persons/$SITI/signature-image -H "$JH" --data-binary '{"image": null}')
check_eq "API: null removes it (200)" 200 "$code"
check_eq "API: removed" 0 "$(inst_sql "$I" "SELECT COUNT(*) FROM person_signature_images")"
cp "$TTD" "$I/logo.png"
cat >>"$I/sertel.conf" <<CONF
box_layout = gambar-teks
box_logo = logo.png
box_line = Sekretariat Daerah Kota Palembang
CONF
sed -i 's/^box_fields = .*/box_fields = judul,nama,nip,instansi,baris,waktu,qr/' "$I/sertel.conf"
ok "sign pdf --dir with a logo (gambar-teks)" "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" \
	--visible --rect 300,60,260,90 "$T/surat.pdf" --out "$T/logo.pdf" --json
check "the instance's logo is in the box (/SertelIm2)" grep -qa "/SertelIm2" "$T/logo.pdf"
check "box_line is in the box, in the template's order" has "$(text "$T/logo.pdf")" "Dinas Komunikasi dan Informatika Sekretariat Daerah Kota Palembang Waktu:"
check_eq "gambar-teks: the QR (right) decodes to <base>/v/<id>" "$U/v/$(jq -r .id "$T/out")" "$(qr "$T/logo.pdf")"
head -c 600000 /dev/zero >>"$I/logo.png"
check_rc "a logo over 512 KiB is refused (exit 2)" 2 "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" "$T/surat.pdf" --out "$T/big.pdf"
sed -i 's/^box_layout = gambar-teks/box_layout = bunder/' "$I/sertel.conf"
check_rc "an unknown box_layout is refused (exit 2)" 2 "$S" sign pdf --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt" "$T/surat.pdf" --out "$T/big.pdf"
check "refused: no file written" test ! -e "$T/big.pdf"

# ---- screenshots of the box and the footer ------------------------------------------
SHOTS=${SERTEL_BUILD:-$T}/screenshots/look
mkdir -p "$SHOTS"
pdftoppm -r 150 -png -singlefile "$T/cli.pdf" "$SHOTS/page" 2>/dev/null
# The box at 300,60 260x90 pt and the footer strip (bottom 60 pt) at 150 dpi.
python3 - "$SHOTS" <<'PY'
import sys, zlib, struct
d = sys.argv[1]
# Crop with the PNG in hand: decode only what pdftoppm writes (8-bit RGB).
def read(p):
    b = open(p, 'rb').read()
    off, idat, w, h = 8, b'', 0, 0
    while off < len(b):
        n = struct.unpack('>I', b[off:off+4])[0]; t = b[off+4:off+8]; c = b[off+8:off+8+n]
        if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', c[:10])
        if t == b'IDAT': idat += c
        off += 12 + n
    raw = zlib.decompress(idat); bpp = 3; stride = w * bpp; rows = []; prev = bytearray(stride)
    for y in range(h):
        f = raw[y*(stride+1)]; cur = bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
        for x in range(stride):
            a = cur[x-bpp] if x >= bpp else 0; bb = prev[x]; c = prev[x-bpp] if x >= bpp else 0
            if f == 1: cur[x] = (cur[x] + a) & 255
            elif f == 2: cur[x] = (cur[x] + bb) & 255
            elif f == 3: cur[x] = (cur[x] + ((a + bb) >> 1)) & 255
            elif f == 4:
                p = a + bb - c; pa, pb, pc = abs(p-a), abs(p-bb), abs(p-c)
                cur[x] = (cur[x] + (a if pa <= pb and pa <= pc else bb if pb <= pc else c)) & 255
        rows.append(bytes(cur)); prev = cur
    return w, h, rows
def write(p, rows, x0, x1):
    w = x1 - x0
    body = b''.join(b'\x00' + r[x0*3:x1*3] for r in rows)
    def ch(t, c): return struct.pack('>I', len(c)) + t + c + struct.pack('>I', zlib.crc32(t + c))
    open(p, 'wb').write(b'\x89PNG\r\n\x1a\n' + ch(b'IHDR', struct.pack('>IIBBBBB', w, len(rows), 8, 2, 0, 0, 0)) + ch(b'IDAT', zlib.compress(body)) + ch(b'IEND', b''))
w, h, rows = read(d + '/page.png')
s = 150 / 72
write(d + '/box.png', rows[int(h - (60 + 90 + 6) * s):int(h - (60 - 6) * s)], int((300 - 6) * s), min(w, int((560 + 6) * s)))
write(d + '/footer.png', rows[int(h - 60 * s):h], 0, w)
PY
check "screenshots of the box and the footer written" test -s "$SHOTS/box.png" -a -s "$SHOTS/footer.png"
note "screenshots: $SHOTS"
finish
