# SPDX-License-Identifier: Apache-2.0
# Shared steps of the signing tests, sourced after tests/interop/lib.sh
# (uses $SERTEL_BIN).
#
# sign_ra_owner DIR WORK NIK NAME EMAIL USAGE PASSFILE OUT [ra issue options...]:
# an agency with its head of office ($KADIS, atasan) and an OP operator ($OP,
# with a certificate), then NIK registered under the head, applying for a
# certificate with USAGE, approved by the operator and issued with a key
# generated and sealed in the instance under PASSFILE; the certificate goes
# to OUT.  Sets KADIS, OP, AG; the sertel output is in WORK/ra.log.  Returns
# 1 when the RA setup failed, 2 when the issuance did.
sign_ra_owner() {
	local dir=$1 w=$2 nik=$3 name=$4 email=$5 usage=$6 pass=$7 out=$8 app
	shift 8
	KADIS=1671010101800001
	OP=1671010101900002
	AG="Dinas Komunikasi dan Informatika"
	printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$w/ra-letter.pdf"
	python3 -c '
import sys, zlib, struct
def chunk(t, b): return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))' >"$w/ra-ktp.png"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$w/op.key" -subj /CN=op -out "$w/op.csr" 2>/dev/null
	_ra() { "$SERTEL_BIN" "$@" >>"$w/ra.log" 2>&1; }
	_ra agency add --dir "$dir" --name "$AG" --domain kominfo.palembang.go.id &&
		_ra person add --dir "$dir" --nik $KADIS --name "Kepala Dinas" --email kadis@kominfo.palembang.go.id --agency "$AG" --roles pemohon,atasan &&
		_ra person appoint --dir "$dir" $KADIS --role kepala-dinas &&
		_ra person add --dir "$dir" --as $KADIS --nik $OP --name "Operator" --email op@kominfo.palembang.go.id --agency "$AG" --roles pemohon &&
		_ra person appoint --dir "$dir" --as $KADIS $OP --role operator-op &&
		_ra cert issue --dir "$dir" --csr "$w/op.csr" --type individu --usage signing --cn Operator --nik $OP &&
		_ra person add --dir "$dir" --as $KADIS --nik "$nik" --name "$name" --email "$email" --agency "$AG" --roles pemohon --superior $KADIS ||
		return 1
	app=$("$SERTEL_BIN" ra apply --dir "$dir" --as "$nik" --type individu --usage "$usage" --attach "pengantar=$w/ra-letter.pdf" \
		--attach "rekomendasi=$w/ra-letter.pdf" --attach "ktp=$w/ra-ktp.png" --json 2>>"$w/ra.log" | jq -r .id)
	_ra ra submit --dir "$dir" --as "$nik" "$app" && _ra ra approve --dir "$dir" --as $OP "$app" &&
		_ra ra issue --dir "$dir" "$app" --as "$nik" --accept-agreement --generate-key --passphrase-file "$pass" --out "$out" "$@" ||
		return 2
}
