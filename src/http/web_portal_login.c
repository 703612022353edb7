/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: logging in with a TLS client certificate (operators, heads
 * of agency, the Kepala Dinas, auditors).  The browser presents the
 * certificate on the portal's own listener ([portal] listen), which asks
 * for one without requiring it; the server core hands its DER and
 * GnuTLS's verdict on it to the page in struct http_req.  The rule is
 * portal_cert_login (src/portal/login.c): the exact certificate issued
 * here, valid, unrevoked, with the ssl-client usage, bound to a person.
 *
 *   POST /portal/masuk/sertifikat   log in with the presented certificate
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/web_portal.h"

void
wp_login_options(struct page *pg)
{
	char serial[SERIAL_HEX_MAX + 1];

	if (pg->r->peer_cert_der != NULL &&
	    cert_der_serial(serial, pg->r->peer_cert_der, pg->r->peer_cert_len) == 0)
		json_object_set_new(pg->ctx, "cert",
		                    json_pack("{s:s}", "serial", serial));
	sertel_err_clear();
	wp_sso_login_option(pg);
}

/* A refused certificate login: counted against the address like any wrong
 * credential, audited with the certificate's serial and the reason, and
 * the reason shown on the page (Bahasa Indonesia first). */
static int
cert_refused(struct page *pg, const char *serial, const char *msg)
{
	char why[512];

	str_copy(why, sizeof(why), msg);
	http_auth_fail(pg->r, NULL, "portal client certificate");
	if (portal_login_refused(pg->r->st, PORTAL_BY_CERT, serial, why, pg->peer) < 0)
		log_msg(LOG_ERROR, "portal: audit of a refused login: %s",
		        sertel_errmsg());
	return wp_error(pg, 401, why);
}

static int
page_cert_login(struct page *pg)
{
	char serial[SERIAL_HEX_MAX + 1], nik[17];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 || (rc = wp_pre_token_check(pg)) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if (wp_throttled(pg))
		return 0;
	if (pg->r->peer_cert_der == NULL)
		return wp_error(pg, 400, wp_text(pg, "login.cert.none"));
	if ((rc = portal_cert_login(serial, nik, pg->r->st, pg->r->peer_cert_der,
	                            pg->r->peer_cert_len)) < 0) {
		if (rc != SERTEL_EAUTH) {
			log_msg(LOG_ERROR, "portal: certificate login: %s",
			        sertel_errmsg());
			return wp_error(pg, 500, "internal error");
		}
		return cert_refused(pg, serial, sertel_errmsg());
	}
	/* Issued here, and also what [portal] client_ca trusts (the TLS
	 * layer's check of chain and validity). */
	if (!pg->r->peer_cert_trusted)
		return cert_refused(pg, serial, wp_text(pg, "login.cert.untrusted"));
	return wp_session_begin(pg, nik, PORTAL_BY_CERT, serial);
}

WP_ROUTES(wp_routes_login, {"POST", "/masuk/sertifikat", 0, 0, page_cert_login, NULL}, );
