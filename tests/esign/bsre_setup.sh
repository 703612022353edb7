# SPDX-License-Identifier: Apache-2.0
# Shared by the issue 12 tests (sourced after tests/interop/lib.sh and
# lib_setup): an instance with keep_content, the agency, its kepala-dinas,
# the OP operator, owner Budi with a server-sealed key, client srikandi
# (sign,verify) in $APP, an NSS database trusting the root for pdfsig.
# bsre_start then starts the server ($U).
S=$SERTEL_BIN
I=$T/inst
MKPDF="python3 $(dirname "$0")/mkpdf.py"
KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
BUDI=3274010202850003
PW='Rahasia-Kuat-2026!'

bsre_instance() {
	local tool
	for tool in pdfsig certutil qpdf openssl "$@"; do
		command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
	done
	PORT=$(free_port)
	make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
		die "init failed: $(cat "$I.init.err")"
	cat >>"$I/sertel.conf" <<EOF

[esign]
max_failures = 5
keep_content = 1
max_file_bytes = 400000
EOF
	printf '%s\n' "$PW" >"$T/pass.txt"
	. "$(dirname "$0")/owners.sh"
	esign_people || die "the agency, its kepala-dinas and the OP operator"
	check "owner Budi issued with a server-sealed key" owner $BUDI "Budi Santoso" budi
	APP=$("$S" client add --dir "$I" --name srikandi --perms sign,verify) || die "client add"
	quiet "$S" ca export --dir "$I" --out "$T/ca" || die "ca export"
	pdfsig_trust "$T/ca/root.pem"
}

bsre_start() {
	server_start_port "$I" "$PORT" || die "server did not start"
	U=$SERVER_URL
}

sertel_ok() { "$S" verify --dir "$I" "$1" >/dev/null 2>&1; }

# last_rect PDF: "x y w h" of the newest annotation /Rect (the signature's).
last_rect() {
	python3 - "$1" <<'PY'
import re, sys
m = re.findall(rb"/Rect \[([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)\]", open(sys.argv[1], "rb").read())
x1, y1, x2, y2 = (float(v) for v in m[-1])
print("%d %d %d %d" % (round(x1), round(y1), round(x2 - x1), round(y2 - y1)))
PY
}
