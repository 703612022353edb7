#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The RA's e-mail notices reach a real SMTP server on loopback (aiosmtpd):
# submitted (to the applicant and the OP operators), returned, approved,
# issued, revoked (owner and head of agency)
# and the expiry reminder; a mail outage loses nothing.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup ra_mail
S=$SERTEL_BIN
PY=/usr/bin/python3
$PY -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd is not installed"
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Denpasar" || die "init failed: $(cat "$I.init.err")"
PORT=$(free_port)
MD=$T/maildir
smtp_conf "$I/sertel.conf" "$PORT" "Sertel Kota Denpasar <noreply@denpasarkota.go.id>"
cat >>"$I/sertel.conf" <<CONF

[validity]
individu = 20
CONF

trap 'smtp_stop; on_exit' EXIT

# subjects ADDRESS: the subjects delivered to one address, decoded, sorted.
subjects() {
	$PY - "$MD" "$1" <<'PY'
import mailbox, sys, email.header
out = []
for m in mailbox.Maildir(sys.argv[1], factory=None, create=False):
    if sys.argv[2] in (m['To'] or ''):
        out.append(str(email.header.make_header(email.header.decode_header(m['Subject']))))
print('\n'.join(sorted(out)))
PY
}

K=3271010101800001   # head of agency
A=3271010202900002   # applicant
O=3271010303850003   # operator
KD=3271010404750004  # kepala dinas
DOM=diskominfos.denpasarkota.go.id
"$S" agency add --dir "$I" --name "Diskominfos" --domain $DOM >/dev/null
"$S" person add --dir "$I" --nik $KD --name "Kadis" --email kadis@$DOM --agency Diskominfos --roles pemohon >/dev/null
"$S" person appoint --dir "$I" $KD --role kepala-dinas >/dev/null
"$S" person add --dir "$I" --nik $K --name "Kepala PD" --email kepala@$DOM --agency Diskominfos --roles pemohon,kepala-perangkat-daerah,atasan >/dev/null
"$S" person add --dir "$I" --nik $A --name "Made Wirawan" --email made@$DOM --agency Diskominfos --roles pemohon --superior $K >/dev/null
"$S" person add --dir "$I" --nik $O --name "Operator OP" --email op@$DOM --agency Diskominfos --roles pemohon >/dev/null
"$S" person appoint --dir "$I" $O --role operator-op --as $KD >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/k" -subj /CN=x -out "$T/r.csr" 2>/dev/null
"$S" cert issue --dir "$I" --csr "$T/r.csr" --type individu --usage signing --cn "Operator OP" --nik $O >/dev/null
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/l.pdf"
ATT=(--attach "pengantar=$T/l.pdf" --attach "rekomendasi=$T/l.pdf" --attach "ktp=$T/l.pdf")

# The mail server is down while the workflow runs: the notices wait.
APP=$("$S" ra apply --dir "$I" --as $A --type individu --usage signing "${ATT[@]}" --json | jq -r .id)
check "submit with the mail server down" "$S" ra submit --dir "$I" --as $A "$APP"
check "return" "$S" ra return --dir "$I" --as $O "$APP" --reason "KTP buram"
check "resubmit" "$S" ra submit --dir "$I" --as $A "$APP"
check "approve" "$S" ra approve --dir "$I" --as $O "$APP"
check "issue in person" "$S" ra issue --dir "$I" "$APP" --as $A --accept-agreement --csr "$T/r.csr"
"$S" mail flush --dir "$I" >/dev/null 2>&1
# Five to the applicant, and each submission to the OP operator (issue 10).
check_eq "nothing delivered while the server is down, nothing lost" "7 0" "$("$S" mail list --dir "$I" --json | jq -r '[length, (map(select(.state == "sent")) | length)] | join(" ")')"
check_eq "the failed attempt is recorded" 1 "$("$S" mail list --dir "$I" --json | jq '[.[] | select(.attempts == 1)] | length | if . > 0 then 1 else 0 end')"
# Due again now (the backoff would wait 30 s).
inst_sql "$I" "UPDATE mail_queue SET next_attempt_at = 0" >/dev/null
smtp_start "$PORT" "$MD" || die "aiosmtpd did not start"
check "flush with the server up" "$S" mail flush --dir "$I"
check_eq "seven notices delivered" 7 "$("$S" mail list --dir "$I" --state sent --json | jq length)"
want=$(printf '%s\n' "Permohonan $APP belum dapat diterima" "Permohonan $APP disetujui" "Permohonan sertifikat $APP telah diajukan" "Permohonan sertifikat $APP telah diajukan" "Sertifikat Elektronik Anda telah terbit" | sort)
check_eq "the applicant got submitted, returned, submitted, approved, issued" "$want" "$(subjects made@$DOM)"
check_eq "the OP operator was told twice that the application waits" "$(printf '%s\n' "Permohonan $APP menunggu verifikasi OP" "Permohonan $APP menunggu verifikasi OP")" "$(subjects op@$DOM | grep -v berakhir)"

# Reminder: the certificate is valid for 20 days, so the 30-day notice is due.
check_eq "reminders queued for both 20-day certificates (owner and operator)" 2 "$("$S" ra remind --dir "$I" --json | jq .reminders)"
check_eq "the reminder is not repeated" 0 "$("$S" ra remind --dir "$I" --json | jq .reminders)"
SER=$("$S" ra show --dir "$I" "$APP" --json | jq -r .cert_serial)
check "the owner revokes (permintaan-pemilik)" "$S" ra revoke --dir "$I" "$SER" --cause permintaan-pemilik --as $A
check "flush" "$S" mail flush --dir "$I"
check "the owner got the expiry reminder" bash -c "$(declare -f subjects); PY=$PY MD=$MD; subjects made@$DOM | grep -q 'berakhir dalam'"
check_eq "the owner and the head of agency got the revocation notice" "1 1" "$(subjects made@$DOM | grep -c dicabut) $(subjects kepala@$DOM | grep -c dicabut)"
check_eq "every notice was sent exactly once" 0 "$("$S" mail list --dir "$I" --json | jq '[.[] | select(.state != "sent")] | length')"
n=$($PY -c "import mailbox,sys; print(len(mailbox.Maildir(sys.argv[1], create=False)))" "$MD")
check_eq "the mailbox holds exactly the notices sent" "$("$S" mail list --dir "$I" --json | jq length)" "$n"
# The server delivers by itself: a new notice while it runs.
SPORT=$(free_port)
"$S" serve --dir "$I" --listen 127.0.0.1:$SPORT >"$T/serve.log" 2>&1 &
SPID=$!
REN=$("$S" ra renew --dir "$I" "$SER" --as $A --json | jq -r .id)
check "a re-application is submitted while the server runs" "$S" ra submit --dir "$I" --as $A "$REN"
for _ in $(seq 150); do
	[ "$("$S" mail list --dir "$I" --state queued --json | jq length)" = 0 ] && break
	sleep 0.1
done
check_eq "the server's notice thread delivered it" 0 "$("$S" mail list --dir "$I" --state queued --json | jq length)"
kill -TERM $SPID; wait $SPID
check_eq "server stopped cleanly" 0 $?
check "audit trail intact" "$S" audit verify --dir "$I"
smtp_stop
finish
