# SPDX-License-Identifier: Apache-2.0
# The portal's browser tests share this set-up (sourced after lib.sh's
# lib_setup): an instance of the Pemerintah Kota Cirebon with N-of-M = 2 for
# individu, a real SMTP server on loopback (aiosmtpd) writing to $MD, the
# people of the test (applicants Siti and Andi, a Kepala Dinas, an auditor,
# operators op1 and op2 with certificates of their own), the server on $PORT,
# and the files an applicant uploads in $F.  PORTAL_SHOTS names the
# screenshot folder under $SERTEL_BUILD/screenshots.
HERE=$(cd "$(dirname "$0")" && pwd)
S=$SERTEL_BIN
PY=/usr/bin/python3
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || die "chromium is not installed ($CHROMIUM)"
$PY -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is not installed"
I=$T/inst
PORT=$(free_port)
SMTP_PORT=$(free_port)
MD=$T/maildir
SHOTS=${SERTEL_BUILD:-$T}/screenshots/${PORTAL_SHOTS:-portal}
make_instance "$I" --org "Pemerintah Kota Cirebon" --base-url "http://127.0.0.1:$PORT" ||
	die "init failed: $(cat "$I.init.err")"
cat >>"$I/sertel.conf" <<CONF

[smtp]
host = 127.0.0.1
port = $SMTP_PORT
starttls = none
from = Sertel Kota Cirebon <noreply@cirebonkota.go.id>
timeout_seconds = 5
poll_seconds = 1

[approval]
individu = 2
CONF

$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MD" >"$T/smtp.log" 2>&1 &
SMTP_PID=$!
trap 'kill $SMTP_PID 2>/dev/null; server_stop 2>/dev/null; on_exit' EXIT
for _ in $(seq 50); do
	$PY -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null && break
	sleep 0.1
done

quiet "$S" agency add --dir "$I" --name "Dinas Kominfo" --domain kominfo.cirebonkota.go.id ||
	die "agency add failed"
quiet "$S" person add --dir "$I" --nik 3274014101920002 --name "Siti Aminah" \
	--email siti@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon ||
	die "person add failed"
quiet "$S" person add --dir "$I" --nik 3274010101850001 --name "Andi Wijaya" \
	--email andi@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon ||
	die "person add (other applicant) failed"
# Only a Kepala Dinas registers auditors.
quiet "$S" person add --dir "$I" --nik 3274010101750001 --name "Kepala Dinas" \
	--email kadis@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" --roles pemohon ||
	die "person add (kepala dinas) failed"
quiet "$S" person appoint --dir "$I" 3274010101750001 --role kepala-dinas || die "appoint failed"
quiet "$S" person add --dir "$I" --as 3274010101750001 --nik 3274010101800001 \
	--name "Budi Auditor" --email budi@kominfo.cirebonkota.go.id --agency "Dinas Kominfo" \
	--roles auditor || die "person add (auditor) failed"
# Two OP operators, appointed by the Kepala Dinas, each with a certificate
# of their own (Cirebon 20(1)).
for op in "3274010101820001 op1 Operator Satu" "3274010101830001 op2 Operator Dua"; do
	set -- $op
	quiet "$S" person add --dir "$I" --as 3274010101750001 --nik "$1" --name "$3 $4" \
		--email "$2@kominfo.cirebonkota.go.id" --agency "Dinas Kominfo" --roles pemohon ||
		die "person add ($2) failed"
	quiet "$S" person appoint --dir "$I" --as 3274010101750001 "$1" --role operator-op ||
		die "appoint $2 failed"
	make_csr "$T/$2.csr" ec-p256 "$2" || die "csr $2"
	quiet "$S" cert issue --dir "$I" --csr "$T/$2.csr" --type individu --usage signing \
		--cn "$3 $4" --nik "$1" --out "$T/$2.pem" || die "cert for $2 failed"
done
# A test's own people or configuration, before the server starts.
if declare -F portal_setup_more >/dev/null; then
	portal_setup_more || die "the test's own set-up failed"
fi
server_start_port "$I" "$PORT" || die "server did not start"
F=$T/files
mkdir -p "$F"
$PY "$HERE/../esign/mkpdf.py" "$F/pengantar.pdf" "Surat pengantar" || die "mkpdf failed"
$PY "$HERE/../esign/mkpdf.py" "$F/rekomendasi.pdf" "Surat rekomendasi" || die "mkpdf failed"
$PY - "$F/ktp.png" <<'PYPNG' || die "png failed"
import struct, sys, zlib
w, h = 40, 25
rows = b"".join(b"\0" + bytes([(x * 6) % 256, (y * 10) % 256, 160] * 1)[:3] * 1 + bytes(
    [(x * 6) % 256, (y * 10) % 256, 160] * (w - 1)) for y in range(h) for x in [0])
def chunk(t, d):
    c = struct.pack(">I", len(d)) + t + d
    return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
    chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PYPNG
echo "bukan PDF, hanya teks" >"$F/palsu.pdf"
DBFILE=$(inst_db_url "$I" | sed 's/^sqlite://')
case $DBFILE in /*) ;; *) DBFILE=$I/$DBFILE ;; esac


# portal_run_flow SCRIPT ARGS...: runs a browser flow of this folder; its
# "ok"/"FAIL" lines are counted here too, and it must exit 0.
portal_run_flow() {
	local script=$1 rc
	shift
	if $PY "$HERE/$script" "$@" >"$T/$script.out" 2>"$T/$script.err"; then
		rc=0
	else
		rc=$?
	fi
	while IFS= read -r line; do
		case $line in
		"ok   "*) pass "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		esac
	done <"$T/$script.out"
	[ -s "$T/$script.err" ] && sed 's/^/#      /' "$T/$script.err" | tail -n 20
	check "the browser flow $script exited 0" test "$rc" = 0
}

# portal_setup_mtls: the portal's own HTTPS listener ([portal] listen) with
# a server certificate of this instance for 127.0.0.1, asking for a client
# certificate (the built-in client CAs); the server is restarted with it on
# the same $PORT.  Sets PPORT, PORTAL_URL, $T/ca (the exported CA
# certificates) and BHOME: a HOME of the test's own whose NSS database
# (what Chromium reads client certificates from) trusts our root and holds
# no key yet (portal_nss_add).  Nothing outside $T is written.
portal_setup_mtls() {
	command -v pk12util >/dev/null 2>&1 && command -v certutil >/dev/null 2>&1 ||
		die "pk12util and certutil (libnss3-tools) are not installed"
	server_stop
	PPORT=$(free_port)
	"$S" ca export --dir "$I" --out "$T/ca" >/dev/null || die "ca export failed"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$I/tls.key" -subj /CN=portal -out "$T/tls.csr" 2>/dev/null || die "tls csr"
	chmod 600 "$I/tls.key"
	quiet "$S" cert issue --dir "$I" --csr "$T/tls.csr" --type sistem --usage ssl-server \
		--cn 127.0.0.1 --ip 127.0.0.1 --out "$T/tls-leaf.pem" || die "tls cert failed"
	cat "$T/tls-leaf.pem" "$T/ca/issuing.pem" >"$I/tls.pem"
	cat >>"$I/sertel.conf" <<CONF

[portal]
listen = 127.0.0.1:$PPORT
tls_cert = tls.pem
tls_key = tls.key
CONF
	server_start_port "$I" "$PORT" || die "server did not start: $(tail -5 "$SERVER_LOG")"
	for _ in $(seq 50); do
		curl -s -o /dev/null --cacert "$T/ca/root.pem" "https://127.0.0.1:$PPORT/healthz" && break
		sleep 0.1
	done
	PORTAL_URL=https://127.0.0.1:$PPORT
	BHOME=$T/browser-home
	mkdir -p "$BHOME/.pki/nssdb"
	certutil -N -d "sql:$BHOME/.pki/nssdb" --empty-password || die "certutil -N"
	certutil -A -d "sql:$BHOME/.pki/nssdb" -n "Sertel Root" -t "C,," -i "$T/ca/root.pem" ||
		die "certutil -A"
}

# portal_client_cert NAME NIK USAGE: a certificate of this instance with
# subject CN NAME for the person NIK (none when empty) with USAGE (e.g.
# signing,ssl-client), in $T/NAME.pem and its key in $T/NAME.key.
portal_client_cert() {
	make_csr "$T/$1.csr" ec-p256 "$1" || die "csr $1"
	quiet "$S" cert issue --dir "$I" --csr "$T/$1.csr" --type individu --usage "$3" \
		--cn "$1" ${2:+--nik "$2"} --out "$T/$1.pem" || die "cert for $1 failed"
	cp "$T/$1.csr.key" "$T/$1.key"
}

# portal_nss_add NAME: imports $T/NAME.pem and .key (with the issuing CA)
# into BHOME's NSS database, as an official imports their .p12.
portal_nss_add() {
	openssl pkcs12 -export -inkey "$T/$1.key" -in "$T/$1.pem" -certfile "$T/ca/issuing.pem" \
		-name "$1" -passout pass:uji -out "$T/$1.p12" 2>/dev/null || die "pkcs12 $1"
	pk12util -i "$T/$1.p12" -d "sql:$BHOME/.pki/nssdb" -W uji >/dev/null || die "pk12util $1"
}

# portal_sealed NIK PASSFILE: a signing certificate for NIK with a key
# generated and sealed on the server under the passphrase in PASSFILE
# (approved by op1 and op2, issued to the applicant), as every e-sign
# owner's; its certificate in $T/NIK.pem.  (f-finish, issue 11)
portal_sealed() {
	local id
	id=$("$S" ra apply --dir "$I" --as "$1" --type individu --usage signing \
		--attach "pengantar=$F/pengantar.pdf" --attach "rekomendasi=$F/rekomendasi.pdf" \
		--attach "ktp=$F/ktp.png" --json | jq -r .id) || return 1
	quiet "$S" ra submit --dir "$I" --as "$1" "$id" || return 1
	quiet "$S" ra approve --dir "$I" --as 3274010101820001 "$id" --note lengkap || return 1
	quiet "$S" ra approve --dir "$I" --as 3274010101830001 "$id" --note lengkap || return 1
	quiet "$S" ra issue --dir "$I" "$id" --as "$1" --accept-agreement --generate-key \
		--passphrase-file "$2" --out "$T/$1.pem"
}
