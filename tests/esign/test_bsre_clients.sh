#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 12: BSrE client code as Pemda apps write it, run unchanged against
# sertel (only the base URL and credentials changed), its signed files
# judged by pdfsig (the instance root trusted) and `sertel verify`.
# Both also sign with BSrE's TOTP by e-mail: the owner enrolled for codes
# (`sertel esign otp enrol`), the client asks /api/v2/sign/get/totp, reads
# the code from the loopback SMTP server's mailbox (aiosmtpd), signs with
# it instead of the passphrase, and sees the same code again and a wrong
# one refused with BSrE's {"error", "status_code": 2052}.
#   test_bsre_clients.sh php    PHP: php-cli, php-curl, Debian's Guzzle
#   test_bsre_clients.sh node   Node: axios + form-data from npm, installed
#                               into the test's temp dir (npm cache first);
#                               without them the test is SKIPPED (77).
LANG_=${1:?php or node}
. "$(dirname "$0")/../interop/lib.sh"
lib_setup "esign_client_$LANG_"
. "$(dirname "$0")/bsre_setup.sh"
CL=$(cd "$(dirname "$0")/clients" && pwd)

skip() {
	note "SKIPPED: $*"
	FINISHED=1
	lib_cleanup
	echo "0 passed, 0 failed (skipped: $*)"
	exit 77
}

case $LANG_ in
php)
	command -v php >/dev/null 2>&1 || die "php-cli is not installed"
	php -m | grep -qx curl || die "php-curl is not installed"
	[ -r /usr/share/php/GuzzleHttp/autoload.php ] || die "php-guzzlehttp-guzzle is not installed"
	RUN=(php "$CL/bsre_client.php")
	;;
node)
	command -v node >/dev/null 2>&1 || die "nodejs is not installed"
	command -v npm >/dev/null 2>&1 || skip "npm is not installed"
	mkdir -p "$T/node"
	if ! timeout 120 npm install --prefix "$T/node" --prefer-offline --no-audit --no-fund \
		--no-save axios form-data >"$T/npm.log" 2>&1; then
		skip "axios and form-data neither in the npm cache nor reachable: $(grep -m1 -i 'error' "$T/npm.log")"
	fi
	export NODE_PATH=$T/node/node_modules
	RUN=(node "$CL/bsre_client.js")
	;;
*) die "usage: $0 php|node" ;;
esac

PY=/usr/bin/python3
$PY -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is not installed"
bsre_instance
SMTP_PORT=$(free_port)
MD=$T/maildir
smtp_conf "$I/sertel.conf" "$SMTP_PORT" "Sertel Kota Cirebon <noreply@cirebonkota.go.id>"
printf 'poll_seconds = 1\n' >>"$I/sertel.conf"
smtp_start "$SMTP_PORT" "$MD" || die "aiosmtpd did not start"
trap 'smtp_stop; on_exit' EXIT
ok "owner Budi enrolled for e-mailed codes" "$S" esign otp enrol --dir "$I" --nik $BUDI --passphrase-file "$T/pass.txt"
$MKPDF "$T/a.pdf"
bsre_start
OUT=$T/out-$LANG_
mkdir -p "$OUT"
if ! "${RUN[@]}" "$U" srikandi "$APP" $BUDI "$PW" "$T/a.pdf" "$D/ttd.png" "$OUT" "$MD" budi@kominfo.cirebonkota.go.id >"$T/client.log" 2>&1; then
	die "the $LANG_ client failed: $(tail -n 5 "$T/client.log")"
fi
R=$OUT/result.json
r() { jq -r "$1" "$R"; }

if [ "$LANG_" = php ]; then
	check_eq "php v1 image=true (Guzzle sends 1) on a tag: 200" 200 "$(r .v1_image_status)"
	check "php v1 image: pdfsig valid and trusted" pdfsig_ok "$OUT/php-v1-image.pdf"
	check "php v1 image: sertel verify valid" sertel_ok "$OUT/php-v1-image.pdf"
	check_eq "php v1 image: tag box 80 x 40" "80 40" "$(last_rect "$OUT/php-v1-image.pdf" | cut -d' ' -f3,4)"
	check_eq "php v1 image=false (php-curl sends an empty value), QR: 200" 200 "$(r .v1_qr_status)"
	check "php v1 QR: pdfsig valid and trusted" pdfsig_ok "$OUT/php-v1-qr.pdf"
	check "php v1 QR: sertel verify valid" sertel_ok "$OUT/php-v1-qr.pdf"
	check_eq "php download: 200 with the id_dokumen header" "200 $(r .v1_image_id)" "$(r .download_status) $(r .download_id)"
	check "php download: the bytes signed" cmp -s "$OUT/php-download.pdf" "$OUT/php-v1-image.pdf"
	check_eq "php second download: 404 4044" "404 4044" "$(r .download2_status) $(r .download2_code)"
	check_eq "php v2 (nik an int): 200" 200 "$(r .v2_status)"
	check "php v2: pdfsig valid and trusted" pdfsig_ok "$OUT/php-v2.pdf"
	check "php v2: sertel verify valid" sertel_ok "$OUT/php-v2.pdf"
	check_eq "php v2: box from the top-left (842 - 20 - 50)" "400 772 100 50" "$(last_rect "$OUT/php-v2.pdf")"
	check_eq "php v1 verify: summary" "DOCUMENT VALID !!!" "$(r .v1_verify_summary)"
	check "php v1 verify: signed_in with .00" bash -c "jq -r .v1_verify_signed_in '$R' | grep -Eq '\.00$'"
	check_eq "php v2 verify: conclusion VALID" VALID "$(r .v2_verify_conclusion)"
	check "php v2 verify: the chain with its CA" test "$(r .v2_verify_chain)" -ge 2
else
	check_eq "node v1 image 'true' on a tag: 200" 200 "$(r .v1_status)"
	check "node v1: pdfsig valid and trusted" pdfsig_ok "$OUT/node-v1.pdf"
	check "node v1: sertel verify valid" sertel_ok "$OUT/node-v1.pdf"
	check_eq "node v1: tag box 70 x 70" "70 70" "$(last_rect "$OUT/node-v1.pdf" | cut -d' ' -f3,4)"
	check_eq "node download: 200" 200 "$(r .download_status)"
	check "node download: the bytes signed" cmp -s "$OUT/node-download.pdf" "$OUT/node-v1.pdf"
	check_eq "node second download: 404 4044" "404 4044" "$(r .download2_status) $(r .download2_code)"
	check_eq "node v2: 200" 200 "$(r .v2_status)"
	check "node v2: pdfsig valid and trusted" pdfsig_ok "$OUT/node-v2.pdf"
	check "node v2: sertel verify valid" sertel_ok "$OUT/node-v2.pdf"
	check_eq "node v2: box from the top-left (842 - 30 - 45)" "45 767 90 45" "$(last_rect "$OUT/node-v2.pdf")"
	check_eq "node v1 verify: summary" "DOCUMENT VALID !!!" "$(r .v1_verify_summary)"
	check_eq "node v2 verify: conclusion VALID" VALID "$(r .v2_verify_conclusion)"
	check_eq "node unknown route: BSrE's status_code" 404 "$(r .unknown_status_code)"
fi
# TOTP by e-mail, both clients.
X=$LANG_
[ "$X" = node ] || X=php
check_eq "$X get/totp: 200, success" "200 true" "$(r .totp_get_status) $(r .totp_get_success)"
check_eq "$X: the code read from the owner's mailbox (6 digits)" 6 "$(r .totp_code_len)"
check_eq "$X v2 sign with the mailed code, no passphrase: 200" 200 "$(r .totp_sign_status)"
check "$X TOTP-signed: pdfsig valid and trusted" pdfsig_ok "$OUT/$X-totp.pdf"
check "$X TOTP-signed: sertel verify valid" sertel_ok "$OUT/$X-totp.pdf"
check_eq "$X: the same code again refused with BSrE's error shape" "400 2052 true" \
	"$(r .totp_reuse_status) $(r .totp_reuse_code) $(r .totp_reuse_error)"
check_eq "$X: a wrong code refused with BSrE's error shape" "400 2052 true" \
	"$(r .totp_wrong_status) $(r .totp_wrong_code) $(r .totp_wrong_error)"
C=$(r .totp_code)
check_eq "$X: the code (6 digits) is in no audit entry and not in the server log" "6 0 0" \
	"${#C} $(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE reason LIKE '%$C%' OR object LIKE '%$C%'") $(grep -c "$C" "$SERVER_LOG")"
check_eq "$X: the reused and the wrong code both counted toward the lock" 2 \
	"$(inst_sql "$I" "SELECT failures FROM esign_owners WHERE nik = '$BUDI'")"
server_stop
finish
