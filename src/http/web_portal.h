/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal's page layer, shared by the files web_portal*.c: one struct
 * page per request, the helpers every page uses (render a template, an
 * error page, Post/Redirect/Get, read a form), and the route tables each
 * area of the portal exports.  Only the web layer includes this: the rules
 * are in src/ra, src/portal and src/audit.
 */
#ifndef SERTEL_HTTP_WEB_PORTAL_H
#define SERTEL_HTTP_WEB_PORTAL_H

#include <stddef.h>

#include "http/http_int.h"
#include "portal/portal.h"
#include "web/web.h"

#define PORTAL_PREFIX  "/portal"
#define COOKIE_SESSION "sertel_sesi"
#define COOKIE_PRE     "sertel_pra"
#define COOKIE_LANG    "sertel_lang"

/* One request. */
struct page {
	struct http_req *r;
	struct http_resp *resp;
	const char *sub; /* the path below /portal ("/" at least) */
	int lang;
	json_t *ctx;
	int logged_in;
	struct portal_session sess;
	struct ra_actor who;
	struct web_form form;
	struct buf headers; /* extra response headers */
	char peer[64];      /* the client's address, for the audit trail */
};

/*
 * A route: method and the path below /portal; a path ending in '/' takes
 * everything below it.  login: only with a session, and then only for one
 * of roles (0: anyone logged in).  nav: the message key of its entry in
 * the navigation bar, shown to whoever may open it (NULL: none).
 */
struct wp_route {
	const char *method;
	const char *sub;
	int login;
	unsigned roles;
	int (*fn)(struct page *);
	const char *nav;
};

struct wp_routes {
	const struct wp_route *r;
	size_t n;
};

#define WP_ROUTES(name, ...)                                                             \
	static const struct wp_route name##_r[] = {__VA_ARGS__};                         \
	const struct wp_routes name = {name##_r, sizeof(name##_r) / sizeof(name##_r[0])}

/* Each area's routes (web_portal_AREA.c). */
extern const struct wp_routes wp_routes_app, wp_routes_cert, wp_routes_queue,
    wp_routes_dinas, wp_routes_audit;
extern const struct wp_routes wp_routes_desk;
/* GET /permohonan/ID/tanda-terima.pdf (web_portal_desk.c), for whoever
 * may read application a. */
int wp_desk_receipt(struct page *pg, const struct ra_application *a);
/* The offer to sign that receipt ("receipt_sign" in the page: the form, or
 * why not), for the desk's witness only; nothing for anyone else. */
int wp_desk_receipt_offer(struct page *pg, const char *app_id);
extern const struct wp_routes wp_routes_owner, wp_routes_agency;
extern const struct wp_routes wp_routes_login, wp_routes_sso;
extern const struct wp_routes wp_routes_oper;
extern const struct wp_routes wp_routes_sign;
extern const struct wp_routes wp_routes_gov_plan;
/* The master plan's review banner ("review_banner", {{> gov-plan-banner}}) for the Kepala
 * Dinas's governance pages (web_portal_gov_plan.c). */
void wp_gov_review_banner(struct page *pg);
extern const struct wp_routes wp_routes_gov_ticket;
/* GET /sop: the published guidance, else the built-in text (web_portal_gov_ticket.c). */
int wp_guide_sop(struct page *pg);
extern const struct wp_routes wp_routes_gov_cover;    /* web_portal_gov_cover.c */
extern const struct wp_routes wp_routes_gov_incident; /* /insiden (gov) */
extern const struct wp_routes wp_routes_gov;

/* The three certificate types, in the order forms show them. */
#define WP_APP_TYPES 3
extern const char *const wp_app_types[WP_APP_TYPES];
int wp_type_valid(const char *t);

/* Message key in the request's language (NULL when the catalogue lacks it). */
const char *wp_text(struct page *pg, const char *key);
/* The message prefix+name, or name itself when there is none. */
const char *wp_msg(struct page *pg, const char *prefix, const char *name);
const struct portal_conf *wp_conf(void);
/* A usage set "a,b" as forms show it ("Tanda tangan + SSL client"):
 * {value, label, checked: set is chosen}. */
json_t *wp_usage_json(struct page *pg, const char *set, const char *chosen);
/* The HTTP status of a refused rule: 403 not allowed, 404 not found, 409
 * not in this state or already there, 413 too big, 400 bad input, 500 for
 * what is not the user's doing (the store, the crypto). */
int wp_rule_status(int rc);
/* The error page "<key's message>: <the rule's own words>", Bahasa
 * Indonesia first, with wp_rule_status(rc). */
int wp_rule_error(struct page *pg, int rc, const char *key);
/* Every agency appended to arr as {id, name, selected: id is chosen}, for
 * a filter's <select>; ra_agency_iter's result. */
int wp_agency_options(struct page *pg, json_t *arr, const char *chosen);

/* A time as people here read it, in the region's zone: "7 Des 2026 08.39
 * WIB" (with_time 0: "7 Des 2026").  out: WP_TIME_MAX bytes. */
#define WP_TIME_MAX 48
void wp_time(char out[WP_TIME_MAX], struct page *pg, int64_t t, int with_time);

/* A serial as certificate viewers show it: "01:ad:4a:..." (cut to outsz). */
void wp_serial_shown(char *out, size_t outsz, const char *serial);

void wp_cookie_get(char *out, size_t outsz, struct http_req *r, const char *name);
void wp_cookie_set(struct page *pg, const char *name, const char *value, long max_age);
void wp_header_add(struct page *pg, const char *fmt, const char *v);

/* Each returns 0: the response is set. */
int wp_render(struct page *pg, int status, const char *name, const char *title_key);
int wp_error(struct page *pg, int status, const char *msg);
int wp_redirect(struct page *pg, const char *sub);

/* The POSTed form: urlencoded into pg->form; multipart (file uploads, limit
 * RA_ATTACH_MAX a file) into m, with the session's CSRF token checked and on
 * failure the error page already set. */
int wp_read_form(struct page *pg);

/* Forms before login (web_portal.c): the pre-login token (a cookie and
 * the same value in the form, set when missing), its check (SERTEL_EPERM
 * with a message), and the login throttle (1: the 429 page is set). */
void wp_pre_token(char out[PORTAL_ID_HEX + 1], struct page *pg);
int wp_pre_token_check(struct page *pg);
int wp_throttled(struct page *pg);
/* Starts the session of a person who proved who they are (method
 * PORTAL_BY_*; cert_serial for a certificate login) and answers with the
 * cookie and a redirect home; a refusal sets its error page. */
int wp_session_begin(struct page *pg, const char *nik, const char *method,
                     const char *cert_serial);
/* The same without the redirect: 0 with the cookie set, or the error page
 * set and a negative code. */
int wp_session_open(struct page *pg, const char *nik, const char *method,
                    const char *cert_serial);
/* What the login page offers besides the link (web_portal_login.c): the
 * certificate button when the connection presented one, single sign-on
 * when [oidc] is configured. */
void wp_login_options(struct page *pg);
/* The single sign-on entry of the login page (web_portal_sso.c). */
void wp_sso_login_option(struct page *pg);
int wp_is_file(const char *name, const char *filename);
int wp_read_multipart(struct page *pg, struct http_multipart *m);

#endif
