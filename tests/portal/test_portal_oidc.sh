#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Single sign-on with OpenID Connect (issue 10): a provider written for the
# test (tests/portal/oidc_provider.py, loopback only, ID tokens signed with
# keys made by openssl) and the portal configured with [oidc].  In real
# headless Chromium op1 logs in by the SSO button and lands on the home
# page as the person the nik claim names; raw HTTP then tries what a
# browser does not: a replayed callback, a callback from another browser,
# an unregistered NIK, a provider that refuses, a wrong client secret and
# ID tokens with a wrong nonce, audience, signature, alg "none" or expiry;
# each is refused with a page message, opens no session and is audited.
# Screenshots in $SERTEL_BUILD/screenshots/portal-oidc.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_oidc
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-oidc}
. "$(dirname "$0")/setup.sh"

server_stop
OPORT=$(free_port)
printf 'rahasia-klien-uji\n' >"$I/oidc.secret"
chmod 600 "$I/oidc.secret"
cat >>"$I/sertel.conf" <<CONF

[oidc]
issuer = http://127.0.0.1:$OPORT
client_id = sertel-portal
client_secret_file = oidc.secret
claim = nik

[server]
# Room for the refusals the flow tries from 127.0.0.1 before it checks
# that the throttle comes (default 10).
auth_max_failures = 16
CONF
$PY "$HERE/oidc_provider.py" "$OPORT" "$T" sertel-portal rahasia-klien-uji \
	"$SERVER_URL/portal/masuk/sso/kembali" >"$T/provider.log" 2>&1 &
PROVIDER_PID=$!
trap 'kill $PROVIDER_PID 2>/dev/null; kill $SMTP_PID 2>/dev/null; server_stop 2>/dev/null; on_exit' EXIT
for _ in $(seq 100); do [ -e "$T/provider.ready" ] && break; sleep 0.1; done
[ -e "$T/provider.ready" ] || die "the OIDC provider did not start: $(cat "$T/provider.log")"
server_start_port "$I" "$PORT" || die "server did not start: $(tail -5 "$SERVER_LOG")"

portal_run_flow oidc_flow.py "$SERVER_URL" "http://127.0.0.1:$OPORT" "$SHOTS" "$DBFILE"

trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
# jq -e over the trail, its output (not check's line) discarded.
jqc() { jq -e "$1" <<<"$trail" >/dev/null; }
check "audit has a single sign-on login (method oidc)" jqc '[.[] | select(.action == "portal.login" and (.reason | contains("method=oidc")))] | length >= 2'
check "audit has the refused single sign-on logins" jqc '[.[] | select(.action == "portal.login.refused" and (.object | startswith("login:oidc")))] | length >= 9'
check "the refusal of the unregistered NIK names the claim" jqc '[.[] | select(.action == "portal.login.refused" and (.object | contains("nik:3274010101990009")))] | length >= 1'
check "the client secret is in no log" sh -c "! grep -q rahasia-klien-uji '$SERVER_LOG'"
check "the server logged its fetches of the configured provider" grep -q "oidc: GET http://127.0.0.1:$OPORT/.well-known/openid-configuration (configured provider)" "$SERVER_LOG"
for f in login-sso dashboard-sso sso-done sso-refused; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
# Under the sanitizers a leak or an error makes this non-zero.
check "the server stopped cleanly (exit 0 on SIGTERM)" test "$SERVER_STOP_OK$SERVER_RC" = 10
finish
