#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The web front-end in a real headless Chromium, driven over the DevTools
# protocol by tests/web/cdp.py: what a citizen sees at /v/{id} (the QR
# code's target) and at /verifikasi (upload a PDF), and the portal at /.
# The judge is the rendered DOM (document.body.innerText after the page's
# scripts ran), console errors and uncaught exceptions, and the HTTP status
# Chromium saw; the expected values come from outside the page: sha256sum
# of the signed file, the clock around the signing call, openssl on the
# exported CA certificates.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup web_browser
S=$SERTEL_BIN
I=$T/inst
HERE=$(cd "$(dirname "$0")" && pwd)
MKPDF="python3 $HERE/../esign/mkpdf.py"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
# cdp.py needs only the standard library (the DevTools protocol runs over
# --remote-debugging-pipe); Debian's own python3 runs it.
PY=/usr/bin/python3
[ -x "$CHROMIUM" ] || die "chromium is not installed ($CHROMIUM)"
[ -x "$PY" ] || die "$PY is not installed"
command -v pdftotext >/dev/null 2>&1 || die "pdftotext is not installed"

# browse OUT URL [cdp.py options...]: the rendered page as JSON in OUT.
browse() {
	local out=$1
	shift
	"$PY" "$HERE/cdp.py" "$@" >"$out" 2>"$out.err" && return 0
	sed 's/^/#      /' "$out.err"
	return 1
}
# page FILE: a rendered page was written to FILE (jq -e on an empty file
# succeeds, so every judge checks this first).
page() { [ -s "$1" ] && jq -e '.text | type == "string"' "$1" >/dev/null; }
# has FILE TEXT: the rendered text contains TEXT.
has() { page "$1" && jq -e --arg s "$2" '.text | contains($s)' "$1" >/dev/null; }
hasnt() { page "$1" && jq -e --arg s "$2" '.text | contains($s) | not' "$1" >/dev/null; }
# row FILE LABEL: the cell next to LABEL in a rendered table ("th\ttd").
row() { jq -r --arg k "$2" '.text | split("\n")[] | select(startswith($k + "\t")) | ltrimstr($k + "\t")' "$1" 2>/dev/null | head -n 1; }
# no_errors FILE: no console error, exception or error log entry.
no_errors() {
	page "$1" || return 1
	jq -e '.errors | length == 0' "$1" >/dev/null && return 0
	jq -r '.errors[]' "$1" | sed 's/^/#      /'
	return 1
}

# only_http_errors FILE CODE: every error is Chromium's note of an HTTP
# CODE answer (the expected refusal), none from a script, and there is one.
only_http_errors() {
	page "$1" || return 1
	jq -e --arg c "status of $2 " '(.errors | length > 0) and
		all(.errors[]; startswith("log(network): Failed to load resource") and contains($c))' "$1" >/dev/null && return 0
	jq -r '.errors[]' "$1" | sed 's/^/#      /'
	return 1
}

# ---- an instance, an owner with a server-sealed key, a signed document ------
PORT=$(free_port)
make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init failed: $(cat "$I.init.err")"
KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
BUDI=3274010202850003
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"
D=$T/docs
mkdir -p "$D"
for k in pengantar rekomendasi; do $MKPDF "$D/$k.pdf" "$k" || die "mkpdf"; done
# A 16x16 PNG for the identity card attachment.
python3 -c "
import sys, zlib, struct
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
rows = b''.join(b'\\x00' + b'\\x20\\x40\\xc0' * 16 for _ in range(16))
open(sys.argv[1], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 16, 16, 8, 2, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))" "$D/ktp.png" || die "png"
quiet "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id || die "agency add"
quiet "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan || die "kadis"
quiet "$S" person appoint --dir "$I" $KADIS --role kepala-dinas || die "appoint kadis"
quiet "$S" person add --dir "$I" --as $KADIS --nik $OP1 --name "Operator Satu" --email op1@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon || die "op1"
quiet "$S" person appoint --dir "$I" --as $KADIS $OP1 --role operator-op || die "appoint op1"
make_csr "$T/op.csr" ec-p256 op
quiet "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Satu" --nik $OP1 || die "op1 cert"
quiet "$S" person add --dir "$I" --nik $BUDI --name "Budi Santoso" --email budi@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon --superior $KADIS || die "budi"
APPL=$("$S" ra apply --dir "$I" --as $BUDI --type individu --usage signing --attach "pengantar=$D/pengantar.pdf" --attach "rekomendasi=$D/rekomendasi.pdf" --attach "ktp=$D/ktp.png" --json 2>/dev/null | jq -r .id)
[ -n "$APPL" ] || die "ra apply"
quiet "$S" ra submit --dir "$I" --as $BUDI "$APPL" || die "ra submit"
quiet "$S" ra approve --dir "$I" --as $OP1 "$APPL" || die "ra approve"
quiet "$S" ra issue --dir "$I" "$APPL" --as $BUDI --accept-agreement --generate-key --passphrase-file "$T/pass.txt" --out "$T/budi.pem" || die "ra issue"
APP=$("$S" client add --dir "$I" --name srikandi --perms sign,verify) || die "client add"
quiet "$S" ca export --dir "$I" --out "$T/ca" || die "ca export"

server_start_port "$I" "$PORT" || die "server did not start"
U=$SERVER_URL

$MKPDF "$T/a.pdf" || die "mkpdf"
T0=$(date -u +%s)
code=$(curl -s -o "$T/signed.pdf" -D "$T/signed.h" -w '%{http_code}' -u "srikandi:$APP" \
	-F "file=@$T/a.pdf" -F nik=$BUDI -F "passphrase=$PW" -F tampilan=invisible \
	-F reason="Persetujuan surat" -F location="Cirebon" "$U/api/sign/pdf")
T1=$(date -u +%s)
[ "$code" = 200 ] || die "signing through the e-sign API: HTTP $code"
ID=$(sed -n 's/^id_dokumen: *\([0-9a-f]*\).*/\1/p' "$T/signed.h" | tr -d '\r')
[ ${#ID} = 32 ] || die "no id_dokumen from the e-sign API"
SHA=$(sha256sum "$T/signed.pdf" | cut -d' ' -f1)
note "signed document $ID, sha256 $SHA"
# One flipped byte inside the signed range (the page's text).
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); i = b.find(b'Surat Keputusan')
assert i > 0; b[i] ^= 0x20
open(sys.argv[2], 'wb').write(b)" "$T/signed.pdf" "$T/tampered.pdf" || die "tamper"
printf 'Ini bukan PDF, hanya teks biasa.\n' >"$T/catatan.pdf"

# ---- (1) /v/{id}: the public page behind the QR code ------------------------
# The link printed on the signed page (as the QR code carries it) is what
# the citizen opens.
LINK=$(pdftotext "$T/signed.pdf" - 2>/dev/null | tr -d '\n\f' | grep -o "$U/v/[0-9a-f]\{32\}" | head -n 1)
check_eq "signed PDF prints its /v/{id} link" "$U/v/$ID" "$LINK"
V=$T/v.json
check "/v/{id}: Chromium renders the page" browse "$V" "${LINK:-$U/v/$ID}" \
	--eval 'getComputedStyle(document.querySelector("p.ok")).color'
check_eq "/v/{id}: HTTP 200 in the browser" 200 "$(jq -r .status "$V")"
check_eq "/v/{id}: lang=id" id "$(jq -r .lang "$V")"
check "/v/{id}: verdict valid (SAH) shown with its reason" has "$V" "Tanda tangan sah: dibuat dengan sertifikat yang terpercaya"
check "/v/{id}: no not-valid verdict shown" hasnt "$V" "TIDAK SAH"
# The stylesheet loaded (CSP allows it): the verdict is shown in green.
check_eq "/v/{id}: verdict styled green (sertel.css .ok)" "rgb(10, 122, 47)" "$(jq -r '.eval[0]' "$V")"
check_eq "/v/{id}: signer's name" "Budi Santoso" "$(row "$V" "Penanda tangan")"
check_eq "/v/{id}: document hash is the SHA-256 of the signed file" "$SHA" "$(row "$V" "SHA-256 dokumen bertanda tangan")"
check_eq "/v/{id}: document code" "$ID" "$(row "$V" "Kode dokumen")"
# The JSON keeps ISO 8601 UTC; the page shows it in the instance's zone
# (WIB by default), to the minute, with Indonesian month names.
ISO=$(curl -s "$U/v/$ID?format=json" | jq -r .waktu)
WS=$(date -u -d "$ISO" +%s 2>/dev/null || echo x)
check "/v/{id}: signing time ($ISO) within the signing call [$T0, $T1]" \
	test "$WS" != x -a "$WS" -ge "$T0" -a "$WS" -le "$T1"
BULAN=(Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember)
M=$(TZ=Asia/Jakarta date -d "@$WS" +%-m 2>/dev/null || echo 1)
WANT="$(TZ=Asia/Jakarta date -d "@$WS" +%-d) ${BULAN[$((M - 1))]} $(TZ=Asia/Jakarta date -d "@$WS" '+%Y %H.%M') WIB"
check_eq "/v/{id}: the page shows that time in WIB" "$WANT" "$(row "$V" "Waktu penandatanganan")"
check_eq "/v/{id}: certificate status now (berlaku)" berlaku "$(row "$V" "Status sertifikat saat ini")"
check "/v/{id}: no console errors" no_errors "$V"

N=$T/v404.json
check "/v/{unknown}: Chromium renders the page" browse "$N" "$U/v/0123456789abcdef0123456789abcdef"
check_eq "/v/{unknown}: HTTP 404 in the browser" 404 "$(jq -r .status "$N")"
check "/v/{unknown}: clear not-found message" has "$N" "Dokumen tidak terdaftar."
check "/v/{unknown}: no valid verdict" hasnt "$N" "Tanda tangan sah"
check "/v/{unknown}: no script error, only the page's own 404" only_http_errors "$N" 404

# ---- (2) /verifikasi: choose a file in the browser and submit ---------------
DONE='(function(){var t=document.getElementById("hasil").textContent;return t!==""&&t!=="Memeriksa..."})()'
upload() {
	browse "$1" "$U/verifikasi" --upload '#file' "$2" --click 'button[type=submit]' \
		--then-wait "$DONE" --eval 'var a=document.querySelector("#hasil a");a?a.getAttribute("href"):null' \
		--eval 'var e=document.querySelector("#hasil p.bad");e?e.textContent:""'
}
P=$T/p.json
check "/verifikasi: signed PDF uploaded and a report rendered" upload "$P" "$T/signed.pdf"
check_eq "/verifikasi: lang=id" id "$(jq -r .lang "$P")"
check "/verifikasi: signed PDF judged valid (SAH) with its reason" has "$P" "Tanda tangan sah: dibuat dengan sertifikat yang terpercaya"
check_eq "/verifikasi: signer shown" "Budi Santoso" "$(row "$P" "Penanda tangan")"
check_eq "/verifikasi: integrity intact" utuh "$(row "$P" "Keutuhan dokumen")"
check_eq "/verifikasi: SHA-256 of the uploaded file" "$SHA" "$(row "$P" "SHA-256 berkas")"
check_eq "/verifikasi: links to the registry page /v/{id}" "/v/$ID" "$(jq -r '.eval[0]' "$P")"
check "/verifikasi: no console errors" no_errors "$P"

P2=$T/p2.json
check "/verifikasi: tampered PDF uploaded and a report rendered" upload "$P2" "$T/tampered.pdf"
check "/verifikasi: tampered PDF judged not valid (TIDAK SAH)" has "$P2" "TIDAK SAH"
check "/verifikasi: tampered PDF not called valid" hasnt "$P2" "Tanda tangan sah"
check "/verifikasi: tampered: no console errors" no_errors "$P2"
check_eq "/verifikasi: tampered PDF integrity broken" "TIDAK UTUH" "$(row "$P2" "Keutuhan dokumen")"

P3=$T/p3.json
check "/verifikasi: non-PDF uploaded and an answer rendered" upload "$P3" "$T/catatan.pdf"
check "/verifikasi: non-PDF gives a clear error (bukan file PDF)" has "$P3" "Gagal memeriksa dokumen: Dokumen ke-1 bukan file PDF"
check "/verifikasi: non-PDF not called valid" hasnt "$P3" "SAH"
check "/verifikasi: non-PDF error styled as an error (p.bad)" \
	quiet jq -e '.eval[1] | contains("bukan file PDF")' "$P3"
check "/verifikasi: non-PDF: no script error, only the API's 400" only_http_errors "$P3" 400

# ---- (3) the portal at / --------------------------------------------------------
H=$T/home.json
check "portal: Chromium renders / and its script finishes" browse "$H" "$U/" \
	--wait 'document.getElementById("status").textContent!=="Memeriksa…"&&!document.querySelector("#cas li")?.textContent.startsWith("Memuat")' \
	--eval 'Array.from(document.querySelectorAll("#cas li")).map(function(li){return [li.querySelector("strong").textContent].concat(Array.from(li.querySelectorAll("a")).map(function(a){return a.href}))})' \
	--eval 'document.getElementById("status").className'
check_eq "portal: HTTP 200" 200 "$(jq -r .status "$H")"
check_eq "portal: lang=id" id "$(jq -r .lang "$H")"
check "portal: no console errors" no_errors "$H"
check "portal: Bahasa Indonesia heading" has "$H" "Layanan Sertifikat Elektronik Pemerintah Daerah"
check "portal: service status says normal" has "$H" "Layanan berjalan normal."
check_eq "portal: status styled ok" ok "$(jq -r '.eval[1]' "$H")"
check_eq "portal: two CAs listed" 2 "$(jq '.eval[0] | length' "$H")"
# The names and links the page shows, judged by openssl on the CA files.
ROOT_CN=$(openssl x509 -in "$T/ca/root.pem" -noout -subject -nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= *//p')
listed() { page "$H" && jq -e --arg n "$1" '[.eval[0][][0]] | index($n) != null' "$H" >/dev/null 2>&1; }
check "portal: root CA's name ($ROOT_CN) listed" listed "$ROOT_CN"
NCA=$(jq '.eval[0] // [] | length' "$H" 2>/dev/null)
case $NCA in '' | *[!0-9]*) NCA=0 ;; esac
i=0
while [ "$i" -lt "$NCA" ]; do
	name=$(jq -r ".eval[0][$i][0]" "$H")
	crt=$(jq -r ".eval[0][$i][1]" "$H")
	crl=$(jq -r ".eval[0][$i][2]" "$H")
	curl -s -o "$T/ca$i.crt" "$crt"
	curl -s -o "$T/ca$i.crl" "$crl"
	# DER or PEM, whichever the server sends: to PEM for -CAfile.
	openssl x509 -inform DER -in "$T/ca$i.crt" -out "$T/ca$i.pem" 2>/dev/null ||
		openssl x509 -in "$T/ca$i.crt" -out "$T/ca$i.pem" 2>/dev/null
	subj=$(openssl x509 -in "$T/ca$i.pem" -noout -subject -nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= *//p')
	check_eq "portal: '$name' certificate link is that CA's certificate" "$name" "$subj"
	check "portal: '$name' CRL link is a CRL signed by that CA" bash -c \
		"{ openssl crl -inform DER -in '$T/ca$i.crl' -CAfile '$T/ca$i.pem' -noout 2>&1 ||
		   openssl crl -in '$T/ca$i.crl' -CAfile '$T/ca$i.pem' -noout 2>&1; } | grep -qx 'verify OK'"
	i=$((i + 1))
done

server_stop
finish
