#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Issue 19, findings 2, 3 and 4 (headers):
#  2. API tokens expire (admin 90 days, others 365 by default, or
#     --expires-days), are listed (name, role, person, created, expires,
#     last use, status; --json) and revoked (--reason) with effect at the
#     next request; last use is written at most once a minute; e-sign
#     client secrets are rotated (old one refused at once) and revoked;
#     every change is in the audit trail with actor and reason.
#  3. failed Bearer and Basic authentications are throttled per source
#     address and per credential (429 + Retry-After + JSON error) while
#     other addresses still work, and reach the audit trail rate-limited.
#  4. an Authorization header carrying a NUL byte is refused (400).
# Source addresses 127.0.0.2... (curl --interface) stand for attackers.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup auth_tokens
S=$SERTEL_BIN
I=$T/inst
make_instance "$I" --org "Pemerintah Kota Cirebon" || die "init failed: $(cat "$I.init.err")"
now=$(date +%s)
tok() { "$S" token create --dir "$I" --name "$1" --role "$2" "${@:3}" --json 2>"$T/tok.err"; }
J=$(tok "admin bkpsdm" admin) || die "token create: $(cat "$T/tok.err")"
ADMIN=$(jq -r .token <<<"$J")
J2=$(tok "auditor inspektorat" auditor) || die "token create auditor"
AUDITOR=$(jq -r .token <<<"$J2")
J3=$(tok "operator loket" auditor --expires-days 7) || die "token create operator"
OPER=$(jq -r .token <<<"$J3")
J4=$(tok "operator lama" auditor) || die "token create operator 2"
OLD=$(jq -r .token <<<"$J4")
days_left() { echo $(( ($(inst_sql "$I" "SELECT expires_at FROM tokens WHERE name = '$1'") - now + 3600) / 86400 )); }
check_eq "admin token: 90 days by default" 90 "$(days_left "admin bkpsdm")"
check_eq "auditor token: 365 days by default" 365 "$(days_left "auditor inspektorat")"
check_eq "--expires-days 7" 7 "$(days_left "operator loket")"
check_rc "--expires-days 0 refused (exit 2)" 2 "$S" token create --dir "$I" --name x --role admin --expires-days 0
check_rc "--expires-days 9999 refused (exit 2)" 2 "$S" token create --dir "$I" --name x --role admin --expires-days 9999
check_rc "--expires-days abc refused (exit 2)" 2 "$S" token create --dir "$I" --name x --role admin --expires-days abc
check_eq "create --json tells the expiry" "$(jq -r .expires_at <<<"$J" | cut -c1-10)" "$(date -u -d "@$((now + 90 * 86400))" +%Y-%m-%d)"

server_start "$I" || die "server did not start"
U=$SERVER_URL
get() { curl -s -o "$T/out" -w '%{http_code}' "$@"; }
ca() { get -H "Authorization: Bearer $1" "${@:2}" "$U/api/v1/agencies"; }
check_eq "admin token works (allowed)" 200 "$(ca "$ADMIN")"
check_eq "operator token works (allowed)" 200 "$(ca "$OPER")"
check_eq "old operator token works before revocation" 200 "$(ca "$OLD")"

# ---- list ---------------------------------------------------------------------
L=$("$S" token list --dir "$I" --json) || fail "token list --json"
check_eq "token list --json: four tokens" 4 "$(jq length <<<"$L")"
check_eq "token list --json: fields" '["created_at","expires_at","id","last_used_at","name","nik","revoked_reason","role","status"]' \
	"$(jq -c '.[0] | keys' <<<"$L")"
check_eq "token list: last use recorded" true "$(jq '[.[] | select(.name == "admin bkpsdm")][0].last_used_at != null' <<<"$L")"
check_eq "token list: never-used token says so" null "$(jq '[.[] | select(.name == "auditor inspektorat")][0].last_used_at' <<<"$L")"
check_eq "token list: all active" "active,active,active,active" "$(jq -r 'map(.status) | join(",")' <<<"$L")"
check "token list (text) has a header and the names" bash -c "'$S' token list --dir '$I' | grep -q 'admin bkpsdm' && '$S' token list --dir '$I' | head -1 | grep -q 'LAST USE'"
check "token list never shows a token or its hash" bash -c "! '$S' token list --dir '$I' --json | grep -q -e '$ADMIN' -e \"\$(printf %s '$ADMIN' | sha256sum | cut -c1-64)\""

# ---- last use: at most one write a minute --------------------------------------------
LU=$(inst_sql "$I" "SELECT last_used_at FROM tokens WHERE name = 'admin bkpsdm'")
inst_sql "$I" "UPDATE tokens SET last_used_at = $((now - 30)) WHERE name = 'admin bkpsdm'"
ca "$ADMIN" >/dev/null
check_eq "last use 30 s old: not written again" $((now - 30)) "$(inst_sql "$I" "SELECT last_used_at FROM tokens WHERE name = 'admin bkpsdm'")"
inst_sql "$I" "UPDATE tokens SET last_used_at = $((now - 120)) WHERE name = 'admin bkpsdm'"
ca "$ADMIN" >/dev/null
check "last use 2 min old: written" test "$(inst_sql "$I" "SELECT last_used_at FROM tokens WHERE name = 'admin bkpsdm'")" -ge "$now"
for i in $(seq 1 20); do ca "$ADMIN" >/dev/null; done
check_eq "20 more requests: no audit entry and one value" 1 "$(inst_sql "$I" "SELECT COUNT(DISTINCT last_used_at) FROM tokens WHERE name = 'admin bkpsdm'")"
[ -n "$LU" ] || fail "first use recorded"

# ---- revocation ------------------------------------------------------------------------
check_rc "revoke without --reason refused (exit 2)" 2 "$S" token revoke --dir "$I" "operator lama"
check_rc "revoke of an unknown token refused (exit 2)" 2 "$S" token revoke --dir "$I" "tidak ada" --reason x
AUD=$(audit_count "$I")
check_rc "revoke NAME --reason" 0 "$S" token revoke --dir "$I" "operator lama" --reason "pegawai pindah tugas"
check_eq "revoked token: the next request is 401 (denied)" 401 "$(ca "$OLD")"
check "revoked token: the 401 says revoked" grep -q "revoked" "$T/out"
check_eq "revoked token: JSON error shape" unauthorized "$(jq -r .code "$T/out")"
check_eq "other tokens still work (allowed)" 200 "$(ca "$OPER")"
check_rc "revoking twice refused (exit 2)" 2 "$S" token revoke --dir "$I" "operator lama" --reason again
TOKID=$(jq -r .id <<<"$J4")
check_eq "revocation audited with actor, object and reason" "1|token:$TOKID|pegawai pindah tugas" \
	"$(inst_sql "$I" "SELECT COUNT(*), object, reason FROM audit WHERE action = 'token.revoke' GROUP BY object, reason")"
check "revocation actor is the CLI user" test -n "$(inst_sql "$I" "SELECT actor FROM audit WHERE action = 'token.revoke'")"
check_eq "token list: revoked status and reason" "revoked|pegawai pindah tugas" \
	"$("$S" token list --dir "$I" --json | jq -r '.[] | select(.name == "operator lama") | "\(.status)|\(.revoked_reason)"')"
check_eq "creation audited with name, role and expiry" 4 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'token.create' AND reason LIKE 'name %, expires %'")"

# ---- expiry ------------------------------------------------------------------------------
inst_sql "$I" "UPDATE tokens SET expires_at = $((now - 5)) WHERE name = 'operator loket'"
check_eq "expired token: 401 (denied)" 401 "$(ca "$OPER")"
check "expired token: the 401 says expired" grep -q "expired" "$T/out"
check_eq "token list: expired status" expired "$("$S" token list --dir "$I" --json | jq -r '.[] | select(.name == "operator loket") | .status')"
check_eq "unexpired auditor token still works" 200 "$(ca "$AUDITOR")"

# ---- e-sign client secrets: rotate and revoke ------------------------------------------------
APP=$("$S" client add --dir "$I" --name srikandi --perms verify) || die "client add"
DESA=$("$S" client add --dir "$I" --name aplikasi-desa --perms verify) || die "client add 2"
st() { get -u "$1" "${@:2}" "$U/api/user/status/3274010101800001"; }
check_eq "client secret works (allowed)" 200 "$(st "srikandi:$APP")"
check_rc "rotate without --reason refused" 2 "$S" client rotate --dir "$I" srikandi
NEW=$("$S" client rotate --dir "$I" srikandi --reason "rotasi berkala") || fail "client rotate"
check "rotate prints a new secret" test -n "$NEW" -a "$NEW" != "$APP"
check_eq "old secret after rotation: 401 at once (denied)" 401 "$(st "srikandi:$APP")"
check_eq "new secret after rotation: 200 (allowed)" 200 "$(st "srikandi:$NEW")"
check_eq "rotation audited with reason" "1|rotasi berkala" "$(inst_sql "$I" "SELECT COUNT(*), reason FROM audit WHERE action = 'esign.client.rotate' AND object = 'esign-client:srikandi' GROUP BY reason")"
check_eq "client list: last use and rotation shown" "true true" "$("$S" client list --dir "$I" --json | jq -r '.[] | select(.name == "srikandi") | "\(.last_used_at != null) \(.rotated_at != null)"')"
check_rc "revoke without --reason refused" 2 "$S" client revoke --dir "$I" aplikasi-desa
check_rc "client revoke NAME --reason" 0 "$S" client revoke --dir "$I" aplikasi-desa --reason "aplikasi dihentikan"
check_eq "revoked client: 401 at once (denied)" 401 "$(st "aplikasi-desa:$DESA")"
check_eq "revocation audited with reason" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE action = 'esign.client.revoke' AND object = 'esign-client:aplikasi-desa' AND reason = 'aplikasi dihentikan'")"
check_rc "rotating a revoked client refused" 2 "$S" client rotate --dir "$I" aplikasi-desa --reason x
check_eq "srikandi unaffected" 200 "$(st "srikandi:$NEW")"

# ---- NUL in the Authorization header ---------------------------------------------------------
raw() {
	python3 - "$U" "$1" <<'PY'
import socket, sys
url, hdr = sys.argv[1], sys.argv[2].encode().replace(b"<NUL>", b"\x00")
host, port = url[len("http://"):].split(":")
s = socket.create_connection((host, int(port)), timeout=10)
s.sendall(b"GET /api/v1/agencies HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + hdr + b"\r\n\r\n")
d = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    d += c
print(d.split(b" ", 2)[1].decode() if d.startswith(b"HTTP/") else "none")
PY
}
# libmicrohttpd hands over a header value only up to a NUL, so what
# reaches http_auth_header is never longer than the bytes before it: a
# token cut by a NUL is a different (shorter) token and fails.
check_eq "token cut short by a NUL inside it: 401" 401 "$(raw "Bearer ${ADMIN%????}<NUL>${ADMIN: -4}")"
check_eq "the same token without the NUL: 200" 200 "$(raw "Bearer $ADMIN")"

# ---- throttle: Bearer, per address -------------------------------------------------------------
A2="--interface 127.0.0.2"
A3="--interface 127.0.0.3"
FAIL_BEFORE=$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE actor = 'peer:127.0.0.2'")
codes=""
for i in $(seq 1 10); do codes="$codes $(ca "stk_salah$i-xxxxxxxxxxxxxxxx" $A2)"; done
check_eq "10 wrong tokens from 127.0.0.2: 401 each" " 401 401 401 401 401 401 401 401 401 401" "$codes"
code=$(curl -s -o "$T/out" -D "$T/h" -w '%{http_code}' $A2 -H "Authorization: Bearer stk_salah11-xxxxxxxxxx" "$U/api/v1/agencies")
check_eq "11th from 127.0.0.2: 429" 429 "$code"
check "429 carries Retry-After" grep -qi '^Retry-After: [1-9]' "$T/h"
check_eq "429 JSON error {error, code}" too_many_requests "$(jq -r .code "$T/out")"
check "429 message in Bahasa Indonesia first" bash -c "jq -r .error '$T/out' | grep -q '^Terlalu banyak'"
check_eq "throttled address: even a valid token is 429 (denied)" 429 "$(ca "$ADMIN" $A2)"
check_eq "another address (127.0.0.3) still works with a valid token (allowed)" 200 "$(ca "$ADMIN" $A3)"
check_eq "another address: a wrong token is 401, not 429" 401 "$(ca "stk_salah-xxxxxxxxxxxxxxxx" $A3)"
for i in $(seq 1 20); do ca "stk_lagi$i-xxxxxxxxxxxxxxxx" $A2 >/dev/null; done
check_eq "failures of 127.0.0.2 in the trail: one auth.fail" 1 "$(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE actor = 'peer:127.0.0.2' AND action = 'auth.fail'")"
check_eq "and one auth.throttle summary with the count" "1|address blocked for 60 s after 10 failed authentications in 60 s (8 not listed before this)" \
	"$(inst_sql "$I" "SELECT COUNT(*), reason FROM audit WHERE actor = 'peer:127.0.0.2' AND action = 'auth.throttle' GROUP BY reason")"
check_eq "30 refused requests wrote 2 entries, not 30" 2 "$(( $(inst_sql "$I" "SELECT COUNT(*) FROM audit WHERE actor = 'peer:127.0.0.2'") - FAIL_BEFORE ))"
check "auth.fail names the address and the rule" test -n "$(inst_sql "$I" "SELECT reason FROM audit WHERE actor = 'peer:127.0.0.2' AND action = 'auth.fail' AND reason LIKE 'token: unknown%'")"

# ---- throttle: Basic, per address and per client ---------------------------------------------
A4="--interface 127.0.0.4"
for i in $(seq 1 10); do st "tamu$i:salah" $A4 >/dev/null; done
check_eq "Basic: after 10 wrong credentials from 127.0.0.4, even a right one is 429" 429 "$(st "srikandi:$NEW" $A4)"
check_eq "Basic 429 keeps BSrE's status_code too" 429 "$(jq -r .status_code "$T/out")"
check_eq "Basic from 127.0.0.5 meanwhile: 200 (allowed)" 200 "$(st "srikandi:$NEW" --interface 127.0.0.5)"
# Per credential: one client's secret guessed from ten addresses, one each.
DESA2=$("$S" client add --dir "$I" --name portal --perms verify) || die "client add portal"
for i in $(seq 10 19); do st "portal:salah$i" --interface 127.0.0.$i >/dev/null; done
check_eq "client guessed from 10 addresses: blocked from an 11th address (429)" 429 "$(st "portal:$DESA2" --interface 127.0.0.30)"
check_eq "while another client works from that address (allowed)" 200 "$(st "srikandi:$NEW" --interface 127.0.0.30)"
check_eq "127.0.0.1 untouched by all of this" 200 "$(ca "$ADMIN")"
server_stop
finish
