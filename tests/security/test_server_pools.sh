#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, point 2: anonymous public verifications must not take the
# validation services or the authenticated API with them.  150 uploads
# to POST /api/verifikasi at once, each of a PDF whose signer's
# certificate sends the verifier to a revocation server that never
# answers.  The verifier fetches nothing an uploader chose unless told
# to, so this instance allow-lists that server ([verify] public_fetch):
# a slow responder the Pemda configured is the slowest public request
# there can be (4 fetches, 20 s in all at most), while OCSP, /healthz
# and an authenticated API call are measured: those are all answered,
# the public class takes what its pool and queue hold and answers the
# rest 503 with Retry-After, and a queued request whose deadline passed
# is answered 503 without running.
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/server_lib.sh"
lib_setup sec_pools
S=$SERTEL_BIN
I=$T/inst
PORT=$(free_port)
TARPIT=$(free_port)
MKPDF="python3 $(dirname "$0")/../esign/mkpdf.py"
ulimit -n 8192 2>/dev/null || true
# The public pool and queue at their defaults (2 workers, 16 waiting); a
# shorter deadline so the run stays short; 150 connections from one
# address are this test's own, not an attack on the per-address limit.
SEC_SERVER_CONF='request_deadline_seconds = 12
max_connections_per_ip = 512'
SEC_EXTRA_CONF="[verify]
public_fetch = allowlist
fetch_hosts = 127.0.0.1:$TARPIT
max_fetches = 4
fetch_ms = 20000"
sec_instance "$I" "$PORT" || die "instance: $(cat "$I.init.err" 2>/dev/null)"

# ---- a PDF signed under a CA nobody trusts, whose URLs lead nowhere -----
E=$T/evil
mkdir -p "$E"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$E/ca.key" \
	-subj "/CN=CA Palsu" -days 30 -out "$E/ca.pem" -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || die "evil CA"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$E/leaf.key" \
	-subj "/CN=Penanda Tangan Palsu" -out "$E/leaf.csr" 2>/dev/null || die "evil CSR"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nauthorityInfoAccess=caIssuers;URI:http://127.0.0.1:%s/ca.cer,OCSP;URI:http://127.0.0.1:%s/ocsp\ncrlDistributionPoints=URI:http://127.0.0.1:%s/x.crl\n' \
	"$TARPIT" "$TARPIT" "$TARPIT" >"$E/leaf.ext"
openssl x509 -req -in "$E/leaf.csr" -CA "$E/ca.pem" -CAkey "$E/ca.key" -CAcreateserial -days 30 \
	-extfile "$E/leaf.ext" -out "$E/leaf.pem" 2>/dev/null || die "evil leaf"
$MKPDF "$E/a.pdf"
quiet "$S" sign pdf "$E/a.pdf" --out "$E/slow.pdf" --key "$E/leaf.key" --cert "$E/leaf.pem" ||
	die "sign the slow PDF"

# ---- an OCSP request for a certificate of ours, an admin token -------------
make_csr "$T/c.csr" ec-p256 c
quiet "$S" cert issue --dir "$I" --csr "$T/c.csr" --type sistem --usage ssl-server --cn 127.0.0.1 \
	--ip 127.0.0.1 --out "$T/c.pem" || die "cert issue"
openssl ocsp -issuer "$T/ca/issuing.pem" -cert "$T/c.pem" -no_nonce -reqout "$T/ocsp.der" \
	>/dev/null 2>&1 || die "ocsp request"
TOKEN=$("$S" token create --dir "$I" --name uji --role admin --json | jq -r .token)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || die "token"
sec_start "$I" "$PORT" || die "the server did not start: $(tail -n 5 "$T/serve.log")"

# ---- the burst ----------------------------------------------------------------
timeout 90 python3 "$(dirname "$0")/pool_flood.py" "$PORT" "$TARPIT" "$E/slow.pdf" "$T/ocsp.der" \
	"$TOKEN" 150 >"$T/out" 2>"$T/err" || die "flood: $(cat "$T/err")"
sed 's/^/#    /' "$T/out"
val() { sed -n "s/^$1=//p" "$T/out"; }
lt() { python3 -c "import sys; sys.exit(0 if float('$1') < float('$2') else 1)"; }

check_eq "all 150 public uploads were answered (200 or 503, no dropped connection)" 0 "$(val up_other)"
check "the public class ran at most its pool and queue (2 + 16 = 18), at least 2 ($(val up_200) ran)" \
	test "$(val up_200)" -ge 2 -a "$(val up_200)" -le 18
check "the rest was refused with 503 ($(val up_503) of 150)" test "$(val up_503)" -ge 132
check_eq "every 503 carries Retry-After" "$(val up_503)" "$(val up_503_retry_after)"
check_eq "every 503 is JSON with code busy" "$(val up_503)" "$(val up_503_json_busy)"
check_eq "every 503 speaks Bahasa Indonesia first" "$(val up_503)" "$(val up_503_bahasa_first)"
for k in healthz ocsp api; do
	check "$k: measured during the burst ($(val ${k}_n) requests)" test "$(val ${k}_n)" -ge 5
	check_eq "$k: every request answered 200" "$(val ${k}_n)" "$(val ${k}_ok)"
	check "$k: slowest answer under 5 s ($(val ${k}_max_s) s, median $(val ${k}_p50_s) s)" \
		lt "$(val ${k}_max_s)" 5
done
# Queued for longer than request_deadline_seconds = 12: answered 503, not
# run; so no upload waits for 2 x 10 s fetches after its deadline.
check "no upload took longer than its deadline plus one verification ($(val up_max_s) s)" \
	lt "$(val up_max_s)" 25
check "queued past request_deadline_seconds: answered 503 without running ($(val up_503_deadline))" \
	test "$(val up_503_deadline)" -ge 1
check "after the burst the public class answers again" bash -c \
	"[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -F 'file=@$E/a.pdf' '$SERVER_URL/api/verifikasi')\" != 503 ]"
server_stop
check_eq "the server stops cleanly" 0 "$SERVER_RC"

# ---- a stop while the public pool works and its queue holds more ---------------------
# The two running verifications finish (their fetch gives up after 10 s);
# the queued ones are answered 503 at once; nothing is left suspended.
printf 'shutdown_grace_seconds = 1\n' >>"$I/sertel.conf"
sec_start "$I" "$PORT" || die "the server did not restart: $(tail -n 5 "$T/serve.log")"
timeout 40 python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); s.settimeout(0.5)
held, t = [], time.monotonic()
while time.monotonic() - t < 30:
    try: held.append(s.accept()[0])
    except socket.timeout: pass
' "$TARPIT" &
TP_PID=$!
# The uploads must find the tarpit listening (a refused fetch fails at once
# and every upload would finish before the stop): wait for it, not a guess.
tp_up=0
for _ in $(seq 1 100); do
	if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$TARPIT" 2>/dev/null; then
		tp_up=1
		break
	fi
	sleep 0.1
done
[ "$tp_up" = 1 ] || die "the tarpit on port $TARPIT did not start"
for n in 1 2 3 4 5 6; do
	curl -s -o "$T/stop$n.json" -w '%{http_code}' --max-time 30 -F "file=@$E/slow.pdf" \
		"$SERVER_URL/api/verifikasi" >"$T/stop$n.code" &
	sleep 0.1
done
sleep 1
server_stop 25
check_eq "stopped in time, with uploads running and queued" 1 "$SERVER_STOP_OK"
check_eq "... and cleanly" 0 "$SERVER_RC"
wait_codes() {
	local n
	for n in 1 2 3 4 5 6; do printf '%s ' "$(cat "$T/stop$n.code")"; done
}
sleep 0.5
wait $(jobs -p | grep -v "^$TP_PID\$") 2>/dev/null
codes=$(wait_codes)
note "answers: $codes"
check "every upload had an answer (no dropped connection): $codes" bash -c "! grep -q 000 <<<'$codes'"
check "the queued ones: 503 shutting_down" bash -c "cat '$T'/stop*.json | grep -q shutting_down"
kill "$TP_PID" 2>/dev/null
wait "$TP_PID" 2>/dev/null

# ---- bad pool settings are refused at start ------------------------------------------
printf 'public_workers = 0\n' >>"$I/sertel.conf"
check_rc "public_workers = 0 refused at start (exit 2)" 2 timeout 10 "$S" serve --dir "$I" --listen "127.0.0.1:$(free_port)"
finish
