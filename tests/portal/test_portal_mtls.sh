#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Logging in to the portal with a TLS client certificate (issue 10, "Login
# and session security"): the portal's own listener ([portal] listen)
# speaks HTTPS and asks for a client certificate without requiring one.
# Raw HTTPS from loopback (python ssl, tests/portal/mtls_flow.py): an
# operator's certificate with the ssl-client usage logs in and opens the
# queue; an applicant's certificate without that usage, a certificate bound
# to nobody and one from another CA are refused with a page message and an
# audit entry and open no session; without a certificate the link login
# still works; after `sertel cert revoke` the open session ends and the
# certificate is refused.  Then headless Chromium presents op1's
# certificate from an NSS database in a HOME of its own and logs in by the
# button.  Screenshots in $SERTEL_BUILD/screenshots/portal-mtls.
. "$(dirname "$0")/../interop/lib.sh"
lib_setup portal_mtls
PORTAL_SHOTS=${PORTAL_SHOTS:-portal-mtls}
. "$(dirname "$0")/setup.sh"

# The portal's listener (setup.sh): HTTPS with a server certificate of our
# own CA for 127.0.0.1; the trusted client CAs are the built-in ones
# (default); the browser's NSS database in a HOME of its own.
portal_setup_mtls

# Client certificates: op1 and op2 for signing and TLS client
# authentication (what an operator logs in with), Siti for signing only,
# one with ssl-client bound to nobody, and one from a CA of our own making.
portal_client_cert op1-tls 3274010101820001 signing,ssl-client
portal_client_cert op2-tls 3274010101830001 signing,ssl-client
portal_client_cert siti-sign 3274014101920002 signing
portal_client_cert budi-tls 3274010101800001 ssl-client
portal_client_cert kadis-tls 3274010101750001 signing,ssl-client
portal_client_cert nobody-tls "" ssl-client
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
	-keyout "$T/other-ca.key" -subj "/CN=Other CA" -out "$T/other-ca.pem" 2>/dev/null || die "other ca"
make_csr "$T/foreign.csr" ec-p256 "Operator Satu" || die "foreign csr"
openssl x509 -req -in "$T/foreign.csr" -CA "$T/other-ca.pem" -CAkey "$T/other-ca.key" \
	-CAcreateserial -days 30 -out "$T/foreign.pem" 2>/dev/null || die "foreign cert"
cp "$T/foreign.csr.key" "$T/foreign.key"

# The listener asks for a client certificate (a CertificateRequest naming
# our CAs) and completes the handshake without one.
sc=$(openssl s_client -connect "127.0.0.1:$PPORT" -CAfile "$T/ca/root.pem" </dev/null 2>&1)
check "the portal listener asks for a client certificate naming our CA" \
	grep -q "Acceptable client certificate CA names" <<<"$sc"
check "the handshake completes without a client certificate" grep -q "Verify return code: 0" <<<"$sc"
check "the main listener asks for none" test "$(openssl s_client -connect "127.0.0.1:$PORT" </dev/null 2>&1 | grep -c 'Acceptable client certificate CA names')" = 0
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/ca/root.pem" "$PORTAL_URL/api/v1/ca")
check_eq "the portal listener serves the portal only (API: 404)" 404 "$code"

# Only op1's key in the browser's NSS database (a HOME of the test's own:
# nothing global is written, and other tests' browsers do not see it).
portal_nss_add op1-tls

portal_run_flow mtls_flow.py "$PORTAL_URL" "$SERVER_URL" "$T" "$MD" "$SHOTS" "$DBFILE" "$S" "$I" "$BHOME" \
	siti@kominfo.cirebonkota.go.id

trail=$("$S" audit list --dir "$I" --json 2>/dev/null)
# jq -e over the trail, its output (not check's line) discarded.
jqc() { jq -e "$1" <<<"$trail" >/dev/null; }
check "audit has a certificate login (method mtls)" jqc '[.[] | select(.action == "portal.login" and (.reason | contains("mtls")))] | length >= 1'
check "audit has refused certificate logins" jqc '[.[] | select(.action == "portal.login.refused")] | length >= 4'
for f in login-cert dashboard-cert queue-cert; do
	check "screenshot $f (desktop and phone)" test -s "$SHOTS/$f-desktop.png" -a -s "$SHOTS/$f-phone.png"
done
server_stop
# Under the sanitizers a leak or an error makes this non-zero.
check "the server stopped cleanly (exit 0 on SIGTERM)" test "$SERVER_STOP_OK$SERVER_RC" = 10
finish
