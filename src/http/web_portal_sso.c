/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: single sign-on with OpenID Connect ([oidc], src/portal/oidc.c).
 *
 *   GET /portal/masuk/sso           start: the browser goes to the provider
 *   GET /portal/masuk/sso/kembali   the provider's answer (code, state)
 *
 * The login in flight is bound to the browser by a cookie of its own,
 * sertel_sso (SameSite=Lax: the provider's redirect back is a cross-site
 * navigation, on which a Strict cookie is not sent), scoped to the SSO
 * paths and living as long as the state.  The callback starts the session
 * and answers with a page that moves on to the portal by a Refresh: the
 * move is then a same-site navigation, which carries the (Strict) session
 * cookie.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/web_portal.h"
#include "portal/oidc.h"

#define COOKIE_SSO "sertel_sso"

static struct {
	pthread_once_t once;
	int rc;
	char err[512];
	struct oidc_conf conf;
} O = {PTHREAD_ONCE_INIT, 0, "", {0}};

static struct http_ctx *init_ctx;

static void
sso_init(void)
{
	O.rc = oidc_conf_load(&O.conf, init_ctx->in->cfg, init_ctx->in->dir,
	                      wp_conf()->base_url);
	if (O.rc < 0) {
		str_copy(O.err, sizeof(O.err), sertel_errmsg());
		log_msg(LOG_ERROR, "portal: [oidc]: %s", O.err);
	}
}

/* The configuration, or NULL (with the error page set when broken). */
static const struct oidc_conf *
sso_conf(struct page *pg, int quiet)
{
	init_ctx = pg->r->ctx;
	pthread_once(&O.once, sso_init);
	if (O.rc == 0 && O.conf.enabled)
		return &O.conf;
	if (!quiet)
		wp_error(pg, 404, wp_text(pg, O.rc < 0 ? "sso.broken" : "sso.off"));
	return NULL;
}

void
wp_sso_login_option(struct page *pg)
{
	if (sso_conf(pg, 1) != NULL)
		json_object_set_new(pg->ctx, "sso", json_true());
}

static int
page_sso_start(struct page *pg)
{
	const struct oidc_conf *c = sso_conf(pg, 0);
	char b[PORTAL_ID_HEX + 1], line[256];
	char *url = NULL;
	int rc;

	if (c == NULL || wp_throttled(pg))
		return 0;
	if ((rc = rand_hex(b, PORTAL_ID_HEX / 2)) == 0 &&
	    (rc = oidc_begin(&url, pg->r->st, c, b, pg->peer)) == SERTEL_EPERM) {
		wp_header_add(pg, "Retry-After: %s\n", "60");
		return wp_error(pg, 503, sertel_errmsg());
	}
	if (rc < 0) {
		log_msg(LOG_ERROR, "portal: sso: %s", sertel_errmsg());
		return wp_error(pg, rc == SERTEL_EIO ? 502 : 500,
		                wp_text(pg, "sso.unreachable"));
	}
	snprintf(line, sizeof(line),
	         "Set-Cookie: " COOKIE_SSO "=%s; Path=" PORTAL_PREFIX
	         "/masuk/sso; HttpOnly; Secure; SameSite=Lax; Max-Age=%lld\n",
	         b, (long long)c->state_seconds);
	wp_header_add(pg, "%s", line);
	wp_header_add(pg, "Location: %s\n", url);
	wp_header_add(pg, "%s",
	              "Cache-Control: no-store\nReferrer-Policy: no-referrer\n");
	free(url);
	free(pg->resp->body);
	pg->resp->body = NULL;
	pg->resp->len = 0;
	pg->resp->status = 303;
	pg->resp->ctype = "text/html; charset=utf-8";
	return 0;
}

static int
page_sso_back(struct page *pg)
{
	const struct oidc_conf *c = sso_conf(pg, 0);
	const char *err = http_query(pg->r, "error");
	char b[PORTAL_ID_HEX + 1], nik[17], claimed[160], msg[512];
	int rc;

	if (c == NULL || wp_throttled(pg))
		return 0;
	wp_cookie_get(b, sizeof(b), pg->r, COOKIE_SSO);
	/* Spent or not, the binding cookie has done its work. */
	wp_header_add(pg,
	              "Set-Cookie: " COOKIE_SSO "=%s; Path=" PORTAL_PREFIX
	              "/masuk/sso; HttpOnly; Secure; SameSite=Lax; Max-Age=0\n",
	              "");
	if (err != NULL) {
		/* RFC 6749 4.1.2.1: the provider refused (the user cancelled,
		 * or it does not know them); its code only, bounded. */
		snprintf(msg, sizeof(msg), "%s (%.40s)", wp_text(pg, "sso.denied"), err);
		/* Counted like any failed login: nobody fills the trail. */
		http_auth_fail(pg->r, NULL, "portal single sign-on");
		if (portal_login_refused(pg->r->st, PORTAL_BY_OIDC, "", msg, pg->peer) <
		    0)
			log_msg(LOG_ERROR, "portal: audit of a refused login: %s",
			        sertel_errmsg());
		return wp_error(pg, 401, msg);
	}
	rc = oidc_finish(nik, claimed, pg->r->st, c, http_query(pg->r, "state"),
	                 http_query(pg->r, "code"), b, pg->peer);
	if (rc == SERTEL_EAUTH) {
		str_copy(msg, sizeof(msg), sertel_errmsg());
		http_auth_fail(pg->r, NULL, "portal single sign-on");
		if (portal_login_refused(pg->r->st, PORTAL_BY_OIDC, claimed, msg,
		                         pg->peer) < 0)
			log_msg(LOG_ERROR, "portal: audit of a refused login: %s",
			        sertel_errmsg());
		return wp_error(pg, 401, msg);
	}
	if (rc < 0) {
		log_msg(LOG_ERROR, "portal: sso: %s", sertel_errmsg());
		return wp_error(pg, rc == SERTEL_EIO ? 502 : 500,
		                wp_text(pg, "sso.unreachable"));
	}
	if (wp_session_open(pg, nik, PORTAL_BY_OIDC, NULL) < 0)
		return 0;
	/* Not a 303 home: see the header comment (a Strict cookie and a
	 * navigation that began on the provider's site). */
	wp_header_add(pg, "Refresh: 0; url=%s\n", PORTAL_PREFIX "/");
	return wp_render(pg, 200, "sso-done", "sso.done.title");
}

WP_ROUTES(wp_routes_sso, {"GET", "/masuk/sso", 0, 0, page_sso_start, NULL},
          {"GET", "/masuk/sso/kembali", 0, 0, page_sso_back, NULL}, );
