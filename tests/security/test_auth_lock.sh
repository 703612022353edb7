#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, findings 1 and 4 (e-sign owners):
#  1. the wrong-passphrase lock holds under concurrency: 50 parallel v1
#     sign calls with wrong passphrases evaluate exactly [esign]
#     max_failures (3) passphrases, with parallel_unseal = 2 (the default)
#     and 8; the rest are refused as locked without an Argon2id run.
#     Counted twice: answers carrying 2031 (wrong passphrase) vs 2051
#     (locked), and audit entries "wrong passphrase N of 3".
#  4. a multipart text field carrying a NUL ("right\0anything") is
#     refused with 400, never truncated to "right".
. "$(dirname "$0")/../interop/lib.sh"
lib_setup auth_lock
S=$SERTEL_BIN
I=$T/inst
MKPDF="python3 $(dirname "$0")/../esign/mkpdf.py"
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
cat >>"$I/sertel.conf" <<CONF

[esign]
max_failures = 3
# This test is about the lock; B-T (the default, through the instance's
# TSA at its base_url) is tested by esign_verdict, and this instance's
# base_url is not the port its server gets.
level = B-B
CONF
KOMINFO="Dinas Komunikasi dan Informatika"
KADIS=3274010101800001
OP1=3274010101900001
OWN1=3274010202850003
OWN2=3274010303860004
PW='Rahasia-Kuat-2026!'
printf '%s\n' "$PW" >"$T/pass.txt"

$MKPDF "$T/a.pdf"
. "$(dirname "$0")/../esign/owners.sh"
esign_people || die "the agency, its kepala-dinas and the OP operator"
check "owner 1 issued with a server-sealed key" owner $OWN1 "Budi Santoso" budi
check "owner 2 issued with a server-sealed key" owner $OWN2 "Eka Pratama" eka
APP=$("$S" client add --dir "$I" --name srikandi --perms sign) || die "client add"

# start_server PARALLEL_UNSEAL: (re)starts the server with that setting and
# enough worker threads for 50 requests at once.
start_server() {
	[ -n "$SERVER_PID" ] && server_stop
	sed -i '/^parallel_unseal *=/d; /^threads *=/d' "$I/sertel.conf"
	sed -i "s/^\[esign\]$/[esign]\nparallel_unseal = $1/" "$I/sertel.conf"
	sed -i "s/^\[server\]$/[server]\nthreads = 64/" "$I/sertel.conf"
	server_start "$I"
}

# burst NIK: 50 parallel v1 sign calls with 50 different wrong
# passphrases; prints the status_code of each answer, one a line.
burst() {
	local nik=$1
	mkdir -p "$T/burst.$nik"
	seq 1 50 | xargs -P 50 -I{} sh -c 'curl -s --max-time 120 -o "$1/{}.json" -u "$2" -F "file=@$3" -F nik=$4 -F "passphrase=salah-{}" -F tampilan=invisible "$5/api/sign/pdf"' \
		_ "$T/burst.$nik" "srikandi:$APP" "$T/a.pdf" "$nik" "$SERVER_URL"
	cat "$T/burst.$nik"/*.json | jq -r .status_code
}

# lock_case NIK PARALLEL_UNSEAL
lock_case() {
	local nik=$1 pu=$2 codes wrong locked audited
	start_server "$pu" || die "server did not start"
	codes=$(burst "$nik")
	wrong=$(grep -c '^2031$' <<<"$codes")
	locked=$(grep -c '^2051$' <<<"$codes")
	audited=$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.passphrase.wrong' AND object = 'person:$nik'")
	note "parallel_unseal = $pu: $wrong answers 2031 (passphrase evaluated), $locked answers 2051 (locked), $audited wrong-passphrase audit entries"
	check_eq "parallel_unseal=$pu: 50 answers, each 2031 or 2051" 50 "$((wrong + locked))"
	check_eq "parallel_unseal=$pu: exactly max_failures (3) passphrases evaluated (answers)" 3 "$wrong"
	check_eq "parallel_unseal=$pu: exactly 3 'wrong passphrase' audit entries" 3 "$audited"
	check_eq "parallel_unseal=$pu: audit numbers them 1, 2, 3 of 3" "wrong passphrase 1 of 3,wrong passphrase 2 of 3,wrong passphrase 3 of 3" \
		"$(inst_sql "$I" "SELECT reason FROM audit WHERE action = 'esign.passphrase.wrong' AND object = 'person:$nik' ORDER BY reason" | paste -sd, -)"
	check_eq "parallel_unseal=$pu: owner locked" 1 "$(inst_sql "$I" "SELECT locked FROM esign_owners WHERE nik = '$nik'")"
	check_eq "parallel_unseal=$pu: sealed key locked too, failures in step" "1|3" "$(inst_sql "$I" "SELECT locked, failures FROM sealed_keys WHERE nik = '$nik'")"
	check_eq "parallel_unseal=$pu: one lock audited" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.lock' AND object = 'person:$nik'")"
	code=$(curl -s -o "$T/r.json" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$nik -F "passphrase=$PW" -F tampilan=invisible "$SERVER_URL/api/sign/pdf")
	check_eq "parallel_unseal=$pu: locked: even the right passphrase refused (2051)" "403 2051" "$code $(jq -r .status_code "$T/r.json" 2>/dev/null)"
}
lock_case $OWN1 2
lock_case $OWN2 8

# After the OP's unlock the right passphrase signs, and the count is reset.
quiet "$S" esign unlock --dir "$I" --nik $OWN1 --as $OP1 --reason "pemilik hadir" || fail "unlock"
code=$(curl -s -o "$T/ok.pdf" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$OWN1 -F "passphrase=$PW" -F tampilan=invisible "$SERVER_URL/api/sign/pdf")
check_eq "unlocked: right passphrase signs (200)" 200 "$code"
check_eq "unlocked: right passphrase leaves no failure counted" "0|0" "$(inst_sql "$I" "SELECT o.failures, k.failures FROM esign_owners o JOIN sealed_keys k ON k.nik = o.nik WHERE o.nik = '$OWN1'")"
code=$(curl -s -o "$T/w.json" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$OWN1 -F "passphrase=salah" -F tampilan=invisible "$SERVER_URL/api/sign/pdf")
check_eq "unlocked: one wrong passphrase: 2031, counted 1" "400 2031 1" "$code $(jq -r .status_code "$T/w.json") $(inst_sql "$I" "SELECT failures FROM esign_owners WHERE nik = '$OWN1'")"
code=$(curl -s -o "$T/ok.pdf" -w '%{http_code}' -u "srikandi:$APP" -F "file=@$T/a.pdf" -F nik=$OWN1 -F "passphrase=$PW" -F tampilan=invisible "$SERVER_URL/api/sign/pdf")
check_eq "then the right one signs and resets the count" "200 0" "$code $(inst_sql "$I" "SELECT failures FROM esign_owners WHERE nik = '$OWN1'")"

# ---- finding 4: NUL inside a multipart text field -----------------------------
# nul_sign FIELD: a v1 sign call whose FIELD value has a NUL after the
# right value ("$PW\0anything" for the passphrase).
nul_sign() {
	python3 - "$SERVER_URL" "srikandi:$APP" "$T/a.pdf" "$OWN1" "$PW" "$1" "$T/nul.out" <<'PY'
import base64, http.client, sys, json
url, cred, pdf, nik, pw, field, out = sys.argv[1:]
host, port = url[len("http://"):].split(":")
fields = {"nik": nik.encode(), "passphrase": pw.encode(), "tampilan": b"invisible"}
fields[field] = fields[field] + b"\x00anything"
b = b"----sertelNUL"
body = b""
for k, v in fields.items():
    body += b"--" + b + b"\r\nContent-Disposition: form-data; name=\"" + k.encode() + b"\"\r\n\r\n" + v + b"\r\n"
body += b"--" + b + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" + open(pdf, "rb").read() + b"\r\n"
body += b"--" + b + b"--\r\n"
c = http.client.HTTPConnection(host, int(port), timeout=60)
c.request("POST", "/api/sign/pdf", body, {"Content-Type": "multipart/form-data; boundary=" + b.decode(),
          "Authorization": "Basic " + base64.b64encode(cred.encode()).decode()})
r = c.getresponse()
data = r.read()
open(out, "wb").write(data)
print(r.status)
PY
}
DOCS=$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")
check_eq "passphrase 'right\\0anything': 400" 400 "$(nul_sign passphrase)"
check "passphrase with NUL: a clear message" grep -q 'NUL' "$T/nul.out"
check_eq "passphrase with NUL: BSrE error code 2062" 2062 "$(jq -r .status_code "$T/nul.out" 2>/dev/null)"
check_eq "nik 'NIK\\0anything': 400" 400 "$(nul_sign nik)"
check_eq "tampilan 'invisible\\0anything': 400" 400 "$(nul_sign tampilan)"
check_eq "refused NUL calls signed nothing" "$DOCS" "$(inst_sql "$I" "SELECT COUNT(*) FROM esign_docs")"
check_eq "refused NUL calls counted no wrong passphrase" 0 "$(inst_sql "$I" "SELECT failures FROM esign_owners WHERE nik = '$OWN1'")"
server_stop
finish
