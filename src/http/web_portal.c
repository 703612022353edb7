/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal's pages: server-rendered HTML from the templates in web/portal/ with the
 * messages of web/i18n/ (Bahasa Indonesia first, English by ?lang=en, kept
 * in a cookie).  Every page works without JavaScript.  The rules behind
 * them are src/portal (sessions, login) and src/ra (the RA workflow): this
 * file only reads forms and cookies, calls those, and renders.
 *
 *   GET  /portal/                       what waits for me (login required)
 *   GET  /portal/masuk                  log in: a link by e-mail
 *   POST /portal/masuk/tautan           mail a one-time login link
 *   GET  /portal/masuk/tautan?t=TOKEN   confirm: a page with a button, so a
 *                                       mail scanner that fetches links
 *                                       does not spend the link
 *   POST /portal/masuk/tautan/pakai     spend it: session cookie, 303 to /portal/
 *   POST /portal/keluar                 log out
 *   GET  /portal/sop                    the SOP, the owner's rights and duties
 *
 * Forms before login carry a token equal to a cookie of their own (double
 * submit, SameSite=Strict); forms after login carry the session's CSRF
 * token.  Pages are never cached and never framed; the Content-Security-
 * Policy allows no inline script.
 *
 * This file is the page layer (web_portal.h) and the router; each area of
 * the portal is a web_portal_AREA.c exporting its route table.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "http/web_portal.h"

static struct {
	pthread_once_t once;
	int rc;
	char err[512];
	struct web_i18n *cat;
	struct web_tmpl_set *tmpl;
	struct portal_conf conf;
} P = {PTHREAD_ONCE_INIT, 0, "", NULL, NULL, {0}};

static struct http_ctx *init_ctx;

static void
portal_init(void)
{
	const char *root =
	    config_get(init_ctx->in->cfg, "server", "web_root", SERTEL_WEB_DIR);
	char dir[1200];

	snprintf(dir, sizeof(dir), "%s/i18n", root);
	if ((P.rc = web_i18n_load(&P.cat, dir)) == 0) {
		snprintf(dir, sizeof(dir), "%s/portal", root);
		P.rc = web_tmpl_load(&P.tmpl, dir, P.cat);
	}
	if (P.rc == 0) {
		/* Without [portal] base_url: this listener's base URL and prefix. */
		snprintf(dir, sizeof(dir), "%s" PORTAL_PREFIX, init_ctx->in->pc.base_url);
		P.rc = portal_conf_load(&P.conf, init_ctx->in->cfg, dir);
	}
	if (P.rc < 0) {
		str_copy(P.err, sizeof(P.err), sertel_errmsg());
		log_msg(LOG_ERROR, "portal: %s", P.err);
	}
}

const char *
wp_text(struct page *pg, const char *key)
{
	return web_i18n_get(P.cat, pg->lang, key);
}

const struct portal_conf *
wp_conf(void)
{
	return &P.conf;
}

void
wp_time(char out[WP_TIME_MAX], struct page *pg, int64_t t, int with_time)
{
	const char *months[12];
	char keys[12][12];
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(keys[i], sizeof(keys[i]), "month.%d", i + 1);
		months[i] = wp_text(pg, keys[i]);
		if (months[i] == NULL)
			months[i] = keys[i];
	}
	time_local_fmt(out, WP_TIME_MAX, t, &P.conf.tz, months, with_time,
	               pg->lang == WEB_LANG_ID ? '.' : ':');
}

/* ---- one request ------------------------------------------------------- */
/* The value of cookie name in the request, into out; "" when absent. */
void
wp_cookie_get(char *out, size_t outsz, struct http_req *r, const char *name)
{
	const char *h = http_header(r, "Cookie"), *p, *end;
	size_t nl = strlen(name), vl;

	out[0] = '\0';
	for (p = h; p != NULL && *p != '\0'; p = end) {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			vl = (size_t)(end - p) - nl - 1;
			if (vl < outsz) {
				memcpy(out, p + nl + 1, vl);
				out[vl] = '\0';
			}
			return;
		}
	}
}

void
wp_header_add(struct page *pg, const char *fmt, const char *v)
{
	buf_appendf(&pg->headers, fmt, v);
}

/* Sets cookie name=value on the portal's path; max_age < 0: a session
 * cookie; 0: deletes it. */
void
wp_cookie_set(struct page *pg, const char *name, const char *value, long max_age)
{
	char age[48] = "";

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	buf_appendf(&pg->headers,
	            "Set-Cookie: %s=%s; Path=" PORTAL_PREFIX
	            "; HttpOnly; Secure; SameSite=Strict%s\n",
	            name, value, age);
}

static const char *
other_lang(int lang)
{
	return web_lang_code(lang == WEB_LANG_ID ? WEB_LANG_EN : WEB_LANG_ID);
}

/* Every page's headers: never cached, never framed, no inline script,
 * no Referer (a login link's token must not leak to anyone). */
static void
page_headers(struct page *pg)
{
	buf_appendf(&pg->headers,
	            "Content-Security-Policy: default-src 'none'; script-src 'self'; "
	            "style-src 'self'; img-src 'self' data:; frame-src 'self'; "
	            "form-action 'self'; "
	            "frame-ancestors 'none'; base-uri 'none'\n"
	            "X-Frame-Options: DENY\n"
	            "Cache-Control: no-store\n"
	            "Referrer-Policy: no-referrer\n"
	            "Content-Language: %s\n",
	            web_lang_code(pg->lang));
}

static void
finish_headers(struct page *pg)
{
	size_t n = pg->headers.len;

	if (n >= sizeof(pg->resp->extra_headers))
		n = 0; /* never half a header set */
	memcpy(pg->resp->extra_headers, pg->headers.data ? (char *)pg->headers.data : "",
	       n);
	pg->resp->extra_headers[n] = '\0';
}

static json_t *
nav_item(struct page *pg, const char *href, const char *key)
{
	const char *label = wp_text(pg, key);

	return json_pack("{s:s, s:s, s:b}", "href", href, "label", label ? label : key,
	                 "current", strcmp(pg->sub, href) == 0);
}

static json_t *nav_build(struct page *pg);

/* Fields every page template reads. */
static void
ctx_common(struct page *pg, const char *title_key)
{
	const char *title = wp_text(pg, title_key);
	json_t *nav;

	json_object_set_new(pg->ctx, "lang", json_string(web_lang_code(pg->lang)));
	json_object_set_new(pg->ctx, "other_lang", json_string(other_lang(pg->lang)));
	json_object_set_new(pg->ctx, "base", json_string(PORTAL_PREFIX));
	json_object_set_new(pg->ctx, "title", json_string(title ? title : title_key));
	if (!pg->logged_in)
		return;
	json_object_set_new(pg->ctx, "csrf", json_string(pg->sess.csrf));
	json_object_set_new(pg->ctx, "user", json_pack("{s:s}", "name", pg->who.name));
	nav = nav_build(pg);
	json_object_set_new(pg->ctx, "nav", nav);
}

/* Renders template name with status; on a render failure, a plain 500. */
int
wp_render(struct page *pg, int status, const char *name, const char *title_key)
{
	struct buf b;
	int rc;

	ctx_common(pg, title_key);
	buf_init(&b, WEB_TMPL_MAX_OUT);
	if ((rc = web_render(&b, P.tmpl, name, pg->ctx, pg->lang)) < 0) {
		log_msg(LOG_ERROR, "portal: page %s: %s", name, sertel_errmsg());
		buf_free(&b);
		http_error(pg->resp, 500, "internal", "internal error");
		return 0;
	}
	free(pg->resp->body);
	pg->resp->status = status;
	pg->resp->ctype = "text/html; charset=utf-8";
	pg->resp->body = buf_detach(&b, &pg->resp->len);
	page_headers(pg);
	return 0;
}

/* A page that says what went wrong (msg is shown escaped, as it is). */
int
wp_error(struct page *pg, int status, const char *msg)
{
	json_object_set_new(pg->ctx, "message", json_string(msg));
	json_object_set_new(pg->ctx, "status", json_integer(status));
	return wp_render(pg, status, "error",
	                 status == 403   ? "error.forbidden"
	                 : status == 404 ? "error.notfound"
	                 : status == 401 ? "error.login"
	                                 : "error.title");
}

/* Post/Redirect/Get. */
int
wp_redirect(struct page *pg, const char *sub)
{
	char loc[512];

	snprintf(loc, sizeof(loc), "%s%s", PORTAL_PREFIX, sub);
	wp_header_add(pg, "Location: %s\n", loc);
	free(pg->resp->body);
	pg->resp->body = NULL;
	pg->resp->len = 0;
	pg->resp->status = 303;
	pg->resp->ctype = "text/html; charset=utf-8";
	page_headers(pg);
	return 0;
}

/* The form of a POST: urlencoded only (file uploads use multipart on
 * their own pages). */
int
wp_read_form(struct page *pg)
{
	const char *ct = http_header(pg->r, "Content-Type");

	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "Formulir tidak dikenal / expected an HTML form");
	return web_form_parse(&pg->form, (const char *)pg->r->body, pg->r->body_len);
}

/* The token that guards forms before login: a cookie and the same value
 * in the form. */
static void
pre_token(char out[PORTAL_ID_HEX + 1], struct page *pg)
{
	wp_cookie_get(out, PORTAL_ID_HEX + 1, pg->r, COOKIE_PRE);
	if (hex_id_valid(out, PORTAL_ID_HEX))
		return;
	if (rand_hex(out, PORTAL_ID_HEX / 2) < 0)
		out[0] = '\0';
	wp_cookie_set(pg, COOKIE_PRE, out, -1);
}

static int
pre_token_check(struct page *pg)
{
	char c[PORTAL_ID_HEX + 1];
	const char *f = web_form_get(&pg->form, "pra");

	wp_cookie_get(c, sizeof(c), pg->r, COOKIE_PRE);
	if (f == NULL || strlen(c) != PORTAL_ID_HEX || strlen(f) != PORTAL_ID_HEX ||
	    !ct_equal(c, f, PORTAL_ID_HEX))
		return sertel_err(
		    SERTEL_EPERM,
		    "Formulir kedaluwarsa atau bukan dari halaman ini; muat "
		    "ulang halaman / form token missing or wrong");
	return 0;
}

/* Before a login step: an address (or credential) that failed too often
 * gets a page saying so (429), not a JSON error.  0 when it may go on. */
static int
throttled(struct page *pg)
{
	struct http_resp tmp;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	rc = http_auth_throttle(pg->r, &tmp, NULL);
	free(tmp.body);
	if (rc == 0)
		return 0;
	wp_header_add(pg, "Retry-After: %s\n", "60");
	wp_error(pg, 429, wp_text(pg, "error.throttled"));
	return 1;
}

/* ---- shared by the pages ---------------------------------------------------- */
const char *const wp_app_types[WP_APP_TYPES] = {"individu", "jabatan", "sistem"};

const char *
wp_msg(struct page *pg, const char *prefix, const char *name)
{
	char key[96];
	const char *m;

	snprintf(key, sizeof(key), "%s%s", prefix, name);
	m = wp_text(pg, key);
	return m ? m : name;
}

int
wp_type_valid(const char *t)
{
	size_t i;

	for (i = 0; t != NULL && i < WP_APP_TYPES; i++)
		if (strcmp(t, wp_app_types[i]) == 0)
			return 1;
	return 0;
}

struct agency_opts {
	json_t *arr;
	const char *chosen;
};

static int
agency_opt(const struct ra_agency *a, void *arg)
{
	struct agency_opts *o = arg;

	json_array_append_new(
	    o->arr, json_pack("{s:s, s:s, s:b}", "id", a->id, "name", a->name, "selected",
	                      o->chosen && strcmp(o->chosen, a->id) == 0));
	return 0;
}

int
wp_agency_options(struct page *pg, json_t *arr, const char *chosen)
{
	struct agency_opts o = {arr, chosen};

	return ra_agency_iter(pg->r->st, agency_opt, &o);
}

int
wp_rule_status(int rc)
{
	switch (rc) {
	case SERTEL_EPERM: return 403;
	case SERTEL_ENOTFOUND: return 404;
	case SERTEL_ESTATE:
	case SERTEL_EEXISTS: return 409;
	case SERTEL_ETOOBIG: return 413;
	case SERTEL_EINVAL:
	case SERTEL_EINVALID:
	case SERTEL_EAUTH: return 400;
	default: return 500; /* the store, the crypto, memory: not the user's */
	}
}

int
wp_rule_error(struct page *pg, int rc, const char *key)
{
	char msg[700];

	snprintf(msg, sizeof(msg), "%s: %s", wp_msg(pg, "", key), sertel_errmsg());
	return wp_error(pg, wp_rule_status(rc), msg);
}

/* A usage set "a,b" as the form shows it: "Tanda tangan + SSL client". */
json_t *
wp_usage_json(struct page *pg, const char *set, const char *chosen)
{
	char label[256] = "", item[32];
	const char *p = set, *comma;
	size_t n;

	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (label[0] != '\0')
			strncat(label, " + ", sizeof(label) - strlen(label) - 1);
		strncat(label, wp_msg(pg, "usage.", item),
		        sizeof(label) - strlen(label) - 1);
		p += n + (comma != NULL);
	}
	return json_pack("{s:s, s:s, s:b}", "value", set, "label", label, "checked",
	                 chosen != NULL && strcmp(chosen, set) == 0);
}

/* 01:ad:4a:... as certificate viewers show a serial. */
void
wp_serial_shown(char *out, size_t outsz, const char *serial)
{
	size_t i, o = 0;

	for (i = 0; serial[i] != '\0' && serial[i + 1] != '\0' && o + 4 < outsz; i += 2) {
		if (i > 0)
			out[o++] = ':';
		out[o++] = serial[i];
		out[o++] = serial[i + 1];
	}
	out[o] = '\0';
}

/* A browser sends a filename for every file input, empty when nothing was
 * chosen. */
int
wp_is_file(const char *name, const char *filename)
{
	(void)name;
	return filename != NULL;
}

int
wp_read_multipart(struct page *pg, struct http_multipart *m)
{
	int rc =
	    http_multipart_parse(m, pg->r, RA_ATTACH_MAX, WEB_FORM_MAX_VALUE, wp_is_file);

	if (rc < 0)
		return wp_error(pg, rc == SERTEL_ETOOBIG ? 413 : 400, sertel_errmsg()),
		       rc;
	if ((rc = portal_csrf_check(&pg->sess, http_multipart_text(m, "csrf"))) < 0) {
		http_multipart_free(m);
		return wp_error(pg, 403, sertel_errmsg()), rc;
	}
	return 0;
}

/* ---- pages ---------------------------------------------------------------- */
static int
page_login(struct page *pg)
{
	char pre[PORTAL_ID_HEX + 1];

	if (pg->logged_in)
		return wp_redirect(pg, "/");
	pre_token(pre, pg);
	json_object_set_new(pg->ctx, "pra", json_string(pre));
	wp_login_options(pg);
	return wp_render(pg, 200, "login", "login.title");
}

static int
page_link_request(struct page *pg)
{
	const char *email;
	char pre[PORTAL_ID_HEX + 1];
	int sent = 0, rc;

	if ((rc = wp_read_form(pg)) < 0 || (rc = pre_token_check(pg)) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	email = web_form_get(&pg->form, "email");
	if ((rc = throttled(pg)) != 0)
		return rc;
	rc = portal_link_request(&sent, pg->r->st, &P.conf, email ? email : "", pg->peer);
	if (rc == SERTEL_EINVAL) {
		/* The field's own message, next to it, with what was typed. */
		pre_token(pre, pg);
		json_object_set_new(pg->ctx, "pra", json_string(pre));
		json_object_set_new(pg->ctx, "email", json_string(email ? email : ""));
		json_object_set_new(pg->ctx, "email_error", json_true());
		return wp_render(pg, 400, "login", "login.title");
	}
	if (rc == SERTEL_EPERM)
		return wp_error(pg, 429, sertel_errmsg());
	if (rc < 0) {
		log_msg(LOG_ERROR, "portal: login link: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	/* The same page whether or not the address is registered. */
	json_object_set_new(pg->ctx, "minutes",
	                    json_integer((json_int_t)(P.conf.link_seconds / 60)));
	return wp_render(pg, 200, "link-sent", "link.sent.title");
}

static int
page_link_confirm(struct page *pg)
{
	const char *t = http_query(pg->r, "t");
	char pre[PORTAL_ID_HEX + 1];

	if (!hex_id_valid(t, PORTAL_ID_HEX))
		return wp_error(pg, 400, wp_text(pg, "link.bad"));
	pre_token(pre, pg);
	json_object_set_new(pg->ctx, "pra", json_string(pre));
	json_object_set_new(pg->ctx, "t", json_string(t));
	return wp_render(pg, 200, "link-confirm", "link.confirm.title");
}

static int
page_link_use(struct page *pg)
{
	char nik[17];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 || (rc = pre_token_check(pg)) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if ((rc = throttled(pg)) != 0)
		return rc;
	if ((rc = portal_link_use(nik, pg->r->st, web_form_get(&pg->form, "t"),
	                          pg->peer)) < 0) {
		if (rc != SERTEL_EAUTH)
			return wp_error(pg, 500, "internal error");
		/* Counted against the address like any wrong credential, and
		 * audited rate-limited (auth.fail / auth.throttle). */
		http_auth_fail(pg->r, NULL, "portal login link");
		return wp_error(pg, 401, wp_text(pg, "link.bad"));
	}
	return wp_session_begin(pg, nik, PORTAL_BY_LINK, NULL);
}

int
wp_session_open(struct page *pg, const char *nik, const char *method,
                const char *cert_serial)
{
	struct portal_session s;
	char id[PORTAL_ID_HEX + 1];
	int rc;

	if ((rc = portal_session_start(id, &s, pg->r->st, &P.conf, nik, method,
	                               cert_serial, pg->peer)) < 0) {
		wp_error(pg, rc == SERTEL_EAUTH ? 401 : 500, sertel_errmsg());
		return rc;
	}
	wp_cookie_set(pg, COOKIE_SESSION, id, -1);
	wp_cookie_set(pg, COOKIE_PRE, "", 0);
	secure_wipe(id, sizeof(id));
	return 0;
}

int
wp_session_begin(struct page *pg, const char *nik, const char *method,
                 const char *cert_serial)
{
	if (wp_session_open(pg, nik, method, cert_serial) < 0)
		return 0;
	return wp_redirect(pg, "/");
}

void
wp_pre_token(char out[PORTAL_ID_HEX + 1], struct page *pg)
{
	pre_token(out, pg);
}

int
wp_pre_token_check(struct page *pg)
{
	return pre_token_check(pg);
}

int
wp_throttled(struct page *pg)
{
	return throttled(pg);
}

static int
page_logout(struct page *pg)
{
	int rc;

	if (!pg->logged_in)
		return wp_redirect(pg, "/masuk");
	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	{
		char sid[PORTAL_ID_HEX + 1];

		wp_cookie_get(sid, sizeof(sid), pg->r, COOKIE_SESSION);
		portal_session_end(pg->r->st, sid, pg->peer);
	}
	wp_cookie_set(pg, COOKIE_SESSION, "", 0);
	pg->logged_in = 0;
	return wp_redirect(pg, "/masuk?keluar=1");
}

struct app_list {
	json_t *arr;
	struct page *pg;
	int n;
	int returned; /* returned to me, to be completed */
	int approved; /* approved: come to the desk for issuance */
};

static int
app_row(const struct ra_application *a, void *arg)
{
	struct app_list *l = arg;
	char key[48], when[WP_TIME_MAX], iso[32];
	const char *state;

	if (l->n++ >= 200)
		return 1;
	if (a->state == APP_RETURNED)
		l->returned++;
	if (a->state == APP_APPROVED)
		l->approved++;
	snprintf(key, sizeof(key), "state.%s", ra_state_name(a->state));
	state = wp_text(l->pg, key);
	wp_time(when, l->pg, a->updated_at, 1);
	time_fmt(iso, a->updated_at);
	json_array_append_new(
	    l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", a->id, "type",
	                      wp_msg(l->pg, "type.", a->type), "state",
	                      state ? state : key, "state_code", ra_state_name(a->state),
	                      "updated", when, "updated_iso", iso));
	return 0;
}

static int
dash_none(const struct ra_application *a, void *arg)
{
	(void)a;
	(void)arg;
	return 1; /* only the count is wanted */
}

#define EXPIRY_NOTICE_DAYS 30

struct expiring {
	struct page *pg;
	json_t *arr;
	int64_t now;
};

static int
expiring_row(const struct cert_rec *c, void *arg)
{
	struct expiring *e = arg;
	char until[WP_TIME_MAX];

	if (cert_rec_status(c, e->now) != CERT_VALID ||
	    c->not_after > e->now + EXPIRY_NOTICE_DAYS * 86400)
		return 0;
	wp_time(until, e->pg, c->not_after, 0);
	json_array_append_new(
	    e->arr, json_pack("{s:s, s:s, s:I}", "serial", c->serial, "until", until,
	                      "days", (json_int_t)((c->not_after - e->now) / 86400)));
	return 0;
}

static int
page_dashboard(struct page *pg)
{
	struct app_list mine = {json_array(), pg, 0, 0, 0};
	struct expiring soon = {pg, json_array(), time_now()};
	char roles[256], key[64];
	const char *p, *comma, *label;
	json_t *rl = json_array();
	int rc;

	ra_roles_format(roles, sizeof(roles), pg->who.roles);
	for (p = roles; *p != '\0'; p = comma + (*comma != '\0')) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		snprintf(key, sizeof(key), "role.%.*s", (int)(comma - p), p);
		label = wp_text(pg, key);
		json_array_append_new(rl, json_string(label ? label : key));
	}
	json_object_set_new(pg->ctx, "roles", rl);
	rc = ra_iter(pg->r->st, -1, pg->who.nik, app_row, &mine);
	if (rc < 0) {
		json_decref(mine.arr);
		log_msg(LOG_ERROR, "portal: applications: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "has_applications", json_boolean(mine.n > 0));
	json_object_set_new(pg->ctx, "returned", json_integer(mine.returned));
	json_object_set_new(pg->ctx, "approved", json_integer(mine.approved));
	/* My valid certificates that end within 30 days: renew before
	 * (Cirebon 14). */
	if (store_cert_iter_nik(pg->r->st, pg->who.nik, expiring_row, &soon) == 0 &&
	    json_array_size(soon.arr) > 0)
		json_object_set_new(pg->ctx, "expiring", soon.arr);
	else
		json_decref(soon.arr);
	json_object_set_new(pg->ctx, "applications", mine.arr);
	/* What waits for me: an operator's queue (the oldest first), and my
	 * applications an operator returned. */
	if (pg->who.roles & (ROLE_OPERATOR | ROLE_KEPALA_DINAS)) {
		struct ra_filter f;
		int64_t waiting = 0, old = 0;

		memset(&f, 0, sizeof(f));
		f.state = APP_SUBMITTED;
		f.limit = 1;
		if (ra_query(pg->r->st, &f, &waiting, dash_none, NULL) >= 0) {
			f.updated_before = time_now() - 7 * 86400;
			if (ra_query(pg->r->st, &f, &old, dash_none, NULL) >= 0)
				json_object_set_new(
				    pg->ctx, "queue",
				    json_pack("{s:I, s:I, s:b}", "waiting",
				              (json_int_t)waiting, "old", (json_int_t)old,
				              "any_old", old > 0));
		}
	}
	return wp_render(pg, 200, "dashboard", "dashboard.title");
}

/* The published SOP, rights and duties and complaint procedure (Cirebon
 * 3(1)h-i, 19), or the built-in text while nothing is published. */
static int
page_sop(struct page *pg)
{
	return wp_guide_sop(pg);
}

/* ---- the route ------------------------------------------------------------ */
WP_ROUTES(wp_routes_core, {"GET", "/", 1, 0, page_dashboard, NULL},
          {"GET", "/masuk", 0, 0, page_login, NULL},
          {"POST", "/masuk/tautan", 0, 0, page_link_request, NULL},
          {"GET", "/masuk/tautan", 0, 0, page_link_confirm, NULL},
          {"POST", "/masuk/tautan/pakai", 0, 0, page_link_use, NULL},
          {"POST", "/keluar", 0, 0, page_logout, NULL}, );

/* The public pages, last in the navigation bar. */
WP_ROUTES(wp_routes_public, {"GET", "/sop", 0, 0, page_sop, "nav.sop"}, );

/* Every area's routes; the navigation bar follows this order. */
/* One line per area, so areas merge without conflicts. */
/* clang-format off */
static const struct wp_routes *const route_tables[] = {
    &wp_routes_core,
    &wp_routes_cert,
    &wp_routes_app,
    &wp_routes_queue,
    &wp_routes_dinas,
    &wp_routes_audit,
    &wp_routes_desk,
    &wp_routes_owner,
    &wp_routes_agency,
    &wp_routes_oper,
    &wp_routes_login,
    &wp_routes_sso,
    &wp_routes_public,
    &wp_routes_sign,
    &wp_routes_gov,
    &wp_routes_gov_plan,
    &wp_routes_gov_ticket,
    &wp_routes_gov_cover,
    &wp_routes_gov_incident,
};
/* clang-format on */

static int
route_match(const struct wp_route *rt, const char *sub)
{
	size_t rl = strlen(rt->sub);

	/* A route ending in '/' takes everything below it. */
	if (rt->sub[rl - 1] == '/' && rl > 1)
		return strncmp(rt->sub, sub, rl) == 0 && sub[rl] != '\0';
	return strcmp(rt->sub, sub) == 0;
}

static int
route_allowed(const struct wp_route *rt, const struct page *pg)
{
	if (!rt->login)
		return 1;
	return pg->logged_in && (rt->roles == 0 || (pg->who.roles & rt->roles) != 0);
}

int
web_portal_routes(web_portal_route_fn cb, void *arg)
{
	size_t t, i;
	int rc;

	for (t = 0; t < sizeof(route_tables) / sizeof(route_tables[0]); t++)
		for (i = 0; i < route_tables[t]->n; i++) {
			const struct wp_route *rt = &route_tables[t]->r[i];

			if ((rc = cb(rt->method, rt->sub, rt->login, rt->roles, arg)) !=
			    0)
				return rc;
		}
	return 0;
}

/* The navigation bar: every route with an entry the user may open. */
static json_t *
nav_build(struct page *pg)
{
	json_t *nav;
	size_t t, i;

	nav = json_array();
	for (t = 0; t < sizeof(route_tables) / sizeof(route_tables[0]); t++)
		for (i = 0; i < route_tables[t]->n; i++) {
			const struct wp_route *rt = &route_tables[t]->r[i];

			if (rt->nav != NULL && route_allowed(rt, pg))
				json_array_append_new(nav,
				                      nav_item(pg, rt->sub, rt->nav));
		}
	return nav;
}

int
web_portal(struct http_req *r, struct http_resp *resp)
{
	const struct wp_route *rt = NULL;
	char sid[PORTAL_ID_HEX + 1], lc[8];
	const char *q, *method;
	struct page pg;
	size_t i, t;
	int known = 0, l;

	if (strncmp(r->path, PORTAL_PREFIX, strlen(PORTAL_PREFIX)) != 0 ||
	    (r->path[strlen(PORTAL_PREFIX)] != '/' &&
	     r->path[strlen(PORTAL_PREFIX)] != '\0')) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	init_ctx = r->ctx;
	pthread_once(&P.once, portal_init);
	if (P.rc < 0) {
		http_error(resp, 503, "portal_unavailable", "portal: %s", P.err);
		return 0;
	}
	memset(&pg, 0, sizeof(pg));
	pg.r = r;
	pg.resp = resp;
	pg.sub = r->path[strlen(PORTAL_PREFIX)] == '\0' ? "/"
	                                                : r->path + strlen(PORTAL_PREFIX);
	pg.ctx = json_object();
	buf_init(&pg.headers, sizeof(resp->extra_headers) - 1);
	http_peer_addr(pg.peer, r);
	/* Language: ?lang= switches and is remembered; Bahasa Indonesia
	 * otherwise. */
	pg.lang = WEB_LANG_ID;
	if ((q = http_query(r, "lang")) != NULL && (l = web_lang_parse(q)) >= 0) {
		pg.lang = l;
		wp_cookie_set(&pg, COOKIE_LANG, web_lang_code(l), 365L * 86400);
	} else {
		wp_cookie_get(lc, sizeof(lc), r, COOKIE_LANG);
		if ((l = web_lang_parse(lc)) >= 0)
			pg.lang = l;
	}
	wp_cookie_get(sid, sizeof(sid), r, COOKIE_SESSION);
	if (sid[0] != '\0') {
		if (portal_session_actor(&pg.sess, &pg.who, r->st, &P.conf, sid) == 0)
			pg.logged_in = 1;
		else
			wp_cookie_set(&pg, COOKIE_SESSION, "", 0);
	}
	method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	for (t = 0; rt == NULL && t < sizeof(route_tables) / sizeof(route_tables[0]);
	     t++) {
		const struct wp_route *tab = route_tables[t]->r;

		for (i = 0; i < route_tables[t]->n; i++) {
			if (!route_match(&tab[i], pg.sub))
				continue;
			known = 1;
			if (strcmp(tab[i].method, method) == 0) {
				rt = &tab[i];
				break;
			}
		}
	}
	if (rt == NULL)
		wp_error(&pg, known ? 405 : 404,
		         web_i18n_get(P.cat, pg.lang,
		                      known ? "error.method" : "error.notfound"));
	else if (rt->login && !pg.logged_in)
		wp_redirect(&pg, "/masuk");
	else if (!route_allowed(rt, &pg))
		wp_error(&pg, 403, wp_text(&pg, "error.role"));
	else
		rt->fn(&pg);
	finish_headers(&pg);
	buf_free(&pg.headers);
	web_form_free(&pg.form);
	json_decref(pg.ctx);
	return 0;
}
