#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, point 4: decompression amplification on the public verifier.
#
# Small PDFs that inflate to hundreds of MiB (tests/security/mkbomb.py):
# object streams under double FlateDecode, Flate+ASCIIHex chains, many
# object streams, many small DSS streams that each stay under their own
# cap, a cross-reference stream bomb.  POST /api/verifikasi refuses each
# with 422 and the Indonesian/English message, and the server's peak
# memory (VmHWM) over 4 parallel bombs, 3 rounds, stays under 400 MiB (a
# resource bound, not a timing one).  An 8 MiB array that parses into
# some 40 times its size is refused by [verify] public_parse_max.  A pool
# too small for one request gives 503 at once; the authenticated route
# keeps the larger document limits ([verify] decode_max).
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/lib_verifier.sh"
lib_setup verifier-bomb
HERE=$(cd "$(dirname "$0")" && pwd)
S=$SERTEL_BIN
MK="python3 $HERE/mkbomb.py"
cd "$T" || die "cd $T"

$MK plain plain.pdf || die "mkbomb"
$MK double double.pdf 200 || die "mkbomb"
$MK flatehex flatehex.pdf 64 || die "mkbomb"
$MK hexflate hexflate.pdf 64 || die "mkbomb"
$MK manystm manystm.pdf 8 40 || die "mkbomb"
$MK dss dss.pdf 3 60 || die "mkbomb"
$MK xref xref.pdf 64 || die "mkbomb"
$MK array array.pdf 8 || die "mkbomb"
note "double.pdf: $(wc -c <double.pdf) bytes for 200 MiB decoded"

verifier_instance
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status"; }
# jqt FILE FILTER: the filter holds for the JSON in FILE.
jqt() { jq -e "$2" "$1" >/dev/null 2>&1; }

verify_conf "# defaults"
check_eq "plain file: 200" 200 "$(public plain.pdf plain.json)"
for k in double flatehex manystm dss xref; do
	code=$(public $k.pdf $k.json)
	check_eq "$k bomb: 422" 422 "$code"
	check "$k bomb: JSON error, Indonesian first" \
		jqt $k.json '.error | test("^Dokumen terlalu besar setelah didekompresi .*decompressed size exceeds")'
done
check_eq "double bomb: the limit is the 1 MiB floor of a small file" \
	"Dokumen terlalu besar setelah didekompresi (batas 1048576 byte) / decompressed size exceeds 1048576 bytes" \
	"$(jq -r .error double.json)"
check_eq "array of 8 MiB (parses into far more): 422" 422 "$(public array.pdf array.json)"
check "array: JSON error, Indonesian first" \
	jqt array.json '.error | test("^Dokumen terlalu rumit untuk diverifikasi .*parsed objects exceed")'
code=$(public hexflate.pdf hexflate.json)
check "hexflate (unsupported first filter): refused or not valid, quickly" \
	test "$code" = 400 -o "$(jq -r .conclusion hexflate.json 2>/dev/null)" != VALID

# 4 at once (2 decompression, 2 parse bombs), three rounds: the server's
# peak memory stays bounded.
base=$(hwm_kib)
for round in 1 2 3; do
	pids=
	for i in 1 2 3 4; do
		f=double.pdf
		[ $i -gt 2 ] && f=array.pdf
		curl -s -o par-$round-$i.json -w '%{http_code}\n' --max-time 120 -F "file=@$f" \
			"$U/api/verifikasi" >par-$round-$i.code &
		pids="$pids $!"
	done
	wait $pids
done
check_eq "12 parallel bombs (double Flate, 8 MiB array): all 422" 12 "$(cat par-*.code | grep -c '^422$')"
peak=$(hwm_kib)
note "server VmHWM: $((base / 1024)) MiB before, $((peak / 1024)) MiB after the bombs"
check "server peak memory under 400 MiB (VmHWM $((peak / 1024)) MiB)" test "$peak" -lt $((400 * 1024))
check_eq "the server still answers: plain file 200" 200 "$(public plain.pdf /dev/null)"

# A pool smaller than what one request may decode: refused at once (503),
# not queued; what fits still passes.
verify_conf "public_decode_pool = 524288"
check_eq "pool of 512 KiB: the bomb gets 503" 503 "$(public double.pdf pool.json)"
check "pool of 512 KiB: the message says try again" jqt pool.json '.error | test("coba lagi")'
check_eq "pool of 512 KiB: the plain file still 200" 200 "$(public plain.pdf /dev/null)"

# The authenticated route keeps the document limits; decode_max bounds it.
verify_conf "decode_max = 16777216"
SECRET=$("$S" client add --dir inst --name portal --perms verify) || die "client add"
v2() {
	base64 -w0 "$1" >v2.b64
	jq -n --rawfile f v2.b64 '{file:$f}' >v2.json
	curl -s -o "$2" -w '%{http_code}' --max-time 120 -u "portal:$SECRET" \
		-H 'Content-Type: application/json' --data-binary @v2.json "$U/api/v2/verify/pdf"
}
check_eq "v2, decode_max 16 MiB: the 320 MiB file is 422" 422 "$(v2 manystm.pdf v2a.json)"
verify_conf "# defaults"
check_eq "v2, default decode_max: the 8 x 3 MiB DSS file is verified (200)" 200 \
	"$(v2 dss.pdf v2b.json)"
server_stop
finish
