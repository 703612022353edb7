# SPDX-License-Identifier: Apache-2.0
# Shared by the e-sign shell tests (sourced after tests/interop/lib.sh):
# attachments, an agency with its kepala-dinas and an OP operator holding a
# certificate, and owner() for people with a server-sealed key.
# The caller sets S, I, T, MKPDF, KOMINFO, KADIS, OP1 and writes the
# passphrase to $T/pass.txt.

# esign_people: documents in $D, ATT (attachment options), the agency, its
# kepala-dinas and the OP operator; fails on the first step that fails.
esign_people() {
	D=$T/docs
	mkdir -p "$D"
	for k in pengantar rekomendasi; do $MKPDF "$D/$k.pdf" "$k"; done
	python3 - "$D" <<'PY'
import sys, zlib, struct
d = sys.argv[1]
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
rows = b''.join(b'\x00' + b'\x20\x40\xc0' * 16 for _ in range(16))  # 16x16 RGB
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 16, 16, 8, 2, 0, 0, 0)) \
    + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
open(d + '/ktp.png', 'wb').write(png)
open(d + '/ttd.png', 'wb').write(png)
PY
	ATT=(--attach "pengantar=$D/pengantar.pdf" --attach "rekomendasi=$D/rekomendasi.pdf" --attach "ktp=$D/ktp.png")
	quiet "$S" agency add --dir "$I" --name "$KOMINFO" --domain kominfo.cirebonkota.go.id || return 1
	quiet "$S" person add --dir "$I" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon,atasan || return 1
	quiet "$S" person appoint --dir "$I" $KADIS --role kepala-dinas || return 1
	quiet "$S" person add --dir "$I" --as $KADIS --nik $OP1 --name "Operator Satu" --email op1@kominfo.cirebonkota.go.id --agency "$KOMINFO" --roles pemohon || return 1
	quiet "$S" person appoint --dir "$I" --as $KADIS $OP1 --role operator-op || return 1
	make_csr "$T/op.csr" ec-p256 op
	quiet "$S" cert issue --dir "$I" --csr "$T/op.csr" --type individu --usage signing --cn "Operator Satu" --nik $OP1 || return 1
}

# owner NIK NAME LOCAL: registered, applied, approved, issued with a
# generated key sealed under $PW.
owner() {
	local nik=$1 name=$2 mail=$3 app
	"$S" person add --dir "$I" --nik "$nik" --name "$name" --email "$mail@kominfo.cirebonkota.go.id" --agency "$KOMINFO" --roles pemohon --superior $KADIS >/dev/null 2>&1 || return 1
	[ "${4:-}" = none ] && return 0
	app=$("$S" ra apply --dir "$I" --as "$nik" --type individu --usage signing "${ATT[@]}" --json 2>/dev/null | jq -r .id) || return 1
	[ "${4:-}" = draft ] && return 0
	"$S" ra submit --dir "$I" --as "$nik" "$app" >/dev/null 2>&1 || return 1
	[ "${4:-}" = submitted ] && return 0
	"$S" ra approve --dir "$I" --as $OP1 "$app" >/dev/null 2>&1 || return 1
	"$S" ra issue --dir "$I" "$app" --as "$nik" --accept-agreement --generate-key --passphrase-file "$T/pass.txt" --out "$T/$nik.pem" >/dev/null 2>"$T/issue.err" || return 1
}
