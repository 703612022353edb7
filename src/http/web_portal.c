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
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/http_int.h"
#include "portal/portal.h"
#include "web/web.h"

#define PORTAL_PREFIX  "/portal"
#define COOKIE_SESSION "sertel_sesi"
#define COOKIE_PRE     "sertel_pra"
#define COOKIE_LANG    "sertel_lang"

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

/* ---- one request ------------------------------------------------------- */
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

/* The value of cookie name in the request, into out; "" when absent. */
static void
cookie_get(char *out, size_t outsz, struct http_req *r, const char *name)
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

static void
header_add(struct page *pg, const char *fmt, const char *v)
{
	buf_appendf(&pg->headers, fmt, v);
}

/* Sets cookie name=value on the portal's path; max_age < 0: a session
 * cookie; 0: deletes it. */
static void
cookie_set(struct page *pg, const char *name, const char *value, long max_age)
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
	const char *label = web_i18n_get(P.cat, pg->lang, key);

	return json_pack("{s:s, s:s, s:b}", "href", href, "label", label ? label : key,
	                 "current", strcmp(pg->sub, href) == 0);
}

/* Fields every page template reads. */
static void
ctx_common(struct page *pg, const char *title_key)
{
	const char *title = web_i18n_get(P.cat, pg->lang, title_key);
	json_t *nav;

	json_object_set_new(pg->ctx, "lang", json_string(web_lang_code(pg->lang)));
	json_object_set_new(pg->ctx, "other_lang", json_string(other_lang(pg->lang)));
	json_object_set_new(pg->ctx, "base", json_string(PORTAL_PREFIX));
	json_object_set_new(pg->ctx, "title", json_string(title ? title : title_key));
	if (!pg->logged_in)
		return;
	json_object_set_new(pg->ctx, "csrf", json_string(pg->sess.csrf));
	json_object_set_new(pg->ctx, "user", json_pack("{s:s}", "name", pg->who.name));
	nav = json_array();
	json_array_append_new(nav, nav_item(pg, "/sertifikat", "nav.certs"));
	if (pg->who.roles &
	    (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN))
		json_array_append_new(nav, nav_item(pg, "/antrian", "nav.queue"));
	if (pg->who.roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN))
		json_array_append_new(nav, nav_item(pg, "/dinas", "nav.dinas"));
	if (pg->who.roles & (ROLE_AUDITOR | ROLE_KEPALA_DINAS | ROLE_ADMIN))
		json_array_append_new(nav, nav_item(pg, "/audit", "nav.audit"));
	json_array_append_new(nav, nav_item(pg, "/sop", "nav.sop"));
	json_object_set_new(pg->ctx, "nav", nav);
}

/* Renders template name with status; on a render failure, a plain 500. */
static int
render(struct page *pg, int status, const char *name, const char *title_key)
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
static int
error_page(struct page *pg, int status, const char *msg)
{
	json_object_set_new(pg->ctx, "message", json_string(msg));
	json_object_set_new(pg->ctx, "status", json_integer(status));
	return render(pg, status, "error",
	              status == 403   ? "error.forbidden"
	              : status == 404 ? "error.notfound"
	              : status == 401 ? "error.login"
	                              : "error.title");
}

/* Post/Redirect/Get. */
static int
redirect(struct page *pg, const char *sub)
{
	char loc[512];

	snprintf(loc, sizeof(loc), "%s%s", PORTAL_PREFIX, sub);
	header_add(pg, "Location: %s\n", loc);
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
static int
read_form(struct page *pg)
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
	cookie_get(out, PORTAL_ID_HEX + 1, pg->r, COOKIE_PRE);
	if (strlen(out) == PORTAL_ID_HEX &&
	    strspn(out, "0123456789abcdef") == PORTAL_ID_HEX)
		return;
	if (rand_hex(out, PORTAL_ID_HEX / 2) < 0)
		out[0] = '\0';
	cookie_set(pg, COOKIE_PRE, out, -1);
}

static int
pre_token_check(struct page *pg)
{
	char c[PORTAL_ID_HEX + 1];
	const char *f = web_form_get(&pg->form, "pra");

	cookie_get(c, sizeof(c), pg->r, COOKIE_PRE);
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
	header_add(pg, "Retry-After: %s\n", "60");
	error_page(pg, 429, web_i18n_get(P.cat, pg->lang, "error.throttled"));
	return 1;
}

/* ---- pages ---------------------------------------------------------------- */
static int
page_login(struct page *pg)
{
	char pre[PORTAL_ID_HEX + 1];

	if (pg->logged_in)
		return redirect(pg, "/");
	pre_token(pre, pg);
	json_object_set_new(pg->ctx, "pra", json_string(pre));
	return render(pg, 200, "login", "login.title");
}

static int
page_link_request(struct page *pg)
{
	const char *email;
	char pre[PORTAL_ID_HEX + 1];
	int sent = 0, rc;

	if ((rc = read_form(pg)) < 0 || (rc = pre_token_check(pg)) < 0)
		return error_page(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
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
		return render(pg, 400, "login", "login.title");
	}
	if (rc == SERTEL_EPERM)
		return error_page(pg, 429, sertel_errmsg());
	if (rc < 0) {
		log_msg(LOG_ERROR, "portal: login link: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	/* The same page whether or not the address is registered. */
	json_object_set_new(pg->ctx, "minutes",
	                    json_integer((json_int_t)(P.conf.link_seconds / 60)));
	return render(pg, 200, "link-sent", "link.sent.title");
}

static int
page_link_confirm(struct page *pg)
{
	const char *t = http_query(pg->r, "t");
	char pre[PORTAL_ID_HEX + 1];

	if (t == NULL || strlen(t) != PORTAL_ID_HEX ||
	    strspn(t, "0123456789abcdef") != PORTAL_ID_HEX)
		return error_page(pg, 400, web_i18n_get(P.cat, pg->lang, "link.bad"));
	pre_token(pre, pg);
	json_object_set_new(pg->ctx, "pra", json_string(pre));
	json_object_set_new(pg->ctx, "t", json_string(t));
	return render(pg, 200, "link-confirm", "link.confirm.title");
}

static int
page_link_use(struct page *pg)
{
	struct portal_session s;
	char nik[17], id[PORTAL_ID_HEX + 1];
	int rc;

	if ((rc = read_form(pg)) < 0 || (rc = pre_token_check(pg)) < 0)
		return error_page(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if ((rc = throttled(pg)) != 0)
		return rc;
	if ((rc = portal_link_use(nik, pg->r->st, web_form_get(&pg->form, "t"),
	                          pg->peer)) < 0) {
		if (rc != SERTEL_EAUTH)
			return error_page(pg, 500, "internal error");
		/* Counted against the address like any wrong credential, and
		 * audited rate-limited (auth.fail / auth.throttle). */
		http_auth_fail(pg->r, NULL, "portal login link");
		return error_page(pg, 401, web_i18n_get(P.cat, pg->lang, "link.bad"));
	}
	if ((rc = portal_session_start(id, &s, pg->r->st, &P.conf, nik, PORTAL_BY_LINK,
	                               NULL, pg->peer)) < 0)
		return error_page(pg, rc == SERTEL_EAUTH ? 401 : 500, sertel_errmsg());
	cookie_set(pg, COOKIE_SESSION, id, -1);
	cookie_set(pg, COOKIE_PRE, "", 0);
	secure_wipe(id, sizeof(id));
	return redirect(pg, "/");
}

static int
page_logout(struct page *pg)
{
	int rc;

	if (!pg->logged_in)
		return redirect(pg, "/masuk");
	if ((rc = read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return error_page(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	{
		char sid[PORTAL_ID_HEX + 1];

		cookie_get(sid, sizeof(sid), pg->r, COOKIE_SESSION);
		portal_session_end(pg->r->st, sid, pg->peer);
	}
	cookie_set(pg, COOKIE_SESSION, "", 0);
	pg->logged_in = 0;
	return redirect(pg, "/masuk?keluar=1");
}

struct app_list {
	json_t *arr;
	int lang;
	int n;
	int returned; /* returned to me, to be completed */
};

static int
app_row(const struct ra_application *a, void *arg)
{
	struct app_list *l = arg;
	char key[48], when[32];
	const char *state;

	if (l->n++ >= 200)
		return 1;
	if (a->state == APP_RETURNED)
		l->returned++;
	snprintf(key, sizeof(key), "state.%s", ra_state_name(a->state));
	state = web_i18n_get(P.cat, l->lang, key);
	time_fmt(when, a->updated_at);
	json_array_append_new(
	    l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", a->id, "type", a->type,
	                      "state", state ? state : key, "state_code",
	                      ra_state_name(a->state), "updated", when));
	return 0;
}

static int
dash_none(const struct ra_application *a, void *arg)
{
	(void)a;
	(void)arg;
	return 1; /* only the count is wanted */
}

static int
page_dashboard(struct page *pg)
{
	struct app_list mine = {json_array(), pg->lang, 0, 0};
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
		label = web_i18n_get(P.cat, pg->lang, key);
		json_array_append_new(rl, json_string(label ? label : key));
	}
	json_object_set_new(pg->ctx, "roles", rl);
	rc = ra_iter(pg->r->st, -1, pg->who.nik, app_row, &mine);
	if (rc < 0) {
		json_decref(mine.arr);
		log_msg(LOG_ERROR, "portal: applications: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "has_applications", json_boolean(mine.n > 0));
	json_object_set_new(pg->ctx, "returned", json_integer(mine.returned));
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
	return render(pg, 200, "dashboard", "dashboard.title");
}

static int
page_sop(struct page *pg)
{
	return render(pg, 200, "sop", "sop.title");
}

/* ---- applications (the applicant) ------------------------------------------ */
struct ra_application;
static int app_decide(struct page *pg, struct ra_application *a);
static const char *const app_types[] = {"individu", "jabatan", "sistem"};
/* Letters anyone may add besides the required ones. */
static const char *const optional_kinds[] = {"formulir", "lainnya"};

static const char *
msg(struct page *pg, const char *prefix, const char *name)
{
	char key[96];
	const char *m;

	snprintf(key, sizeof(key), "%s%s", prefix, name);
	m = web_i18n_get(P.cat, pg->lang, key);
	return m ? m : name;
}

static int
type_valid(const char *t)
{
	size_t i;

	for (i = 0; t != NULL && i < sizeof(app_types) / sizeof(app_types[0]); i++)
		if (strcmp(t, app_types[i]) == 0)
			return 1;
	return 0;
}

/* [{kind, label, field}] for the letters a type needs. */
static json_t *
kinds_json(struct page *pg, const char *const *k, int n)
{
	json_t *arr = json_array();
	char field[48];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "lampiran_%s", k[i]);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "kind", k[i],
		                                     "label", msg(pg, "attach.", k[i]),
		                                     "field", field));
	}
	return arr;
}

/* A usage set "a,b" as the form shows it: "Tanda tangan + SSL client". */
static json_t *
usage_json(struct page *pg, const char *set, const char *chosen)
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
		strncat(label, msg(pg, "usage.", item),
		        sizeof(label) - strlen(label) - 1);
		p += n + (comma != NULL);
	}
	return json_pack("{s:s, s:s, s:b}", "value", set, "label", label, "checked",
	                 chosen != NULL && strcmp(chosen, set) == 0);
}

/* The form for a type, with what the person record says (the names in
 * the certificate come from it, not from the form). */
static int
app_form(struct page *pg, int status, const char *type, struct http_multipart *in,
         const char *error)
{
	const char *const *k;
	const char *chosen = in ? http_multipart_text(in, "penggunaan") : NULL;
	struct ra_person p;
	struct ra_agency ag;
	json_t *usages = json_array(), *person;
	int n, i;

	k = ra_usage_choices(type, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(usages, usage_json(pg, k[i], chosen));
	json_object_set_new(pg->ctx, "usages", usages);
	k = ra_required_attachments(type, &n);
	json_object_set_new(pg->ctx, "required", kinds_json(pg, k, n));
	json_object_set_new(
	    pg->ctx, "optional",
	    kinds_json(pg, optional_kinds,
	               (int)(sizeof(optional_kinds) / sizeof(optional_kinds[0]))));
	json_object_set_new(pg->ctx, "type", json_string(type));
	json_object_set_new(pg->ctx, "type_label", json_string(msg(pg, "type.", type)));
	json_object_set_new(pg->ctx, "is_sistem",
	                    json_boolean(strcmp(type, "sistem") == 0));
	json_object_set_new(pg->ctx, "is_jabatan",
	                    json_boolean(strcmp(type, "jabatan") == 0));
	if (ra_person_get(&p, pg->r->st, pg->who.nik) == 0) {
		person = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", p.name, "email",
		                   p.email, "nip", p.nip, "position", p.position,
		                   "kepala_daerah", p.kepala_daerah != 0);
		if (ra_agency_get(&ag, pg->r->st, p.agency_id) == 0)
			json_object_set_new(person, "agency", json_string(ag.name));
		json_object_set_new(pg->ctx, "person", person);
	}
	if (in != NULL) {
		static const char *const keep[] = {"nama_sistem", "rincian", "dns", "ip"};
		json_t *v = json_object();

		for (i = 0; i < (int)(sizeof(keep) / sizeof(keep[0])); i++) {
			const char *t = http_multipart_text(in, keep[i]);
			json_object_set_new(v, keep[i], json_string(t ? t : ""));
		}
		json_object_set_new(pg->ctx, "v", v);
		json_object_set_new(
		    pg->ctx, "declared",
		    json_boolean(http_multipart_text(in, "pernyataan") != NULL));
	}
	if (error != NULL)
		json_object_set_new(pg->ctx, "form_error", json_string(error));
	return render(pg, status, "app-new", "app.new.title");
}

static int
page_app_new(struct page *pg)
{
	const char *type = http_query(pg->r, "jenis");
	json_t *types;
	const char *const *k;
	size_t i;
	int n;

	if (type_valid(type))
		return app_form(pg, 200, type, NULL, NULL);
	types = json_array();
	for (i = 0; i < sizeof(app_types) / sizeof(app_types[0]); i++) {
		k = ra_required_attachments(app_types[i], &n);
		json_array_append_new(
		    types, json_pack("{s:s, s:s, s:s, s:o}", "type", app_types[i],
		                     "label", msg(pg, "type.", app_types[i]), "about",
		                     msg(pg, "type.about.", app_types[i]), "required",
		                     kinds_json(pg, k, n)));
	}
	json_object_set_new(pg->ctx, "types", types);
	return render(pg, 200, "app-type", "app.new.title");
}

/* A browser sends a filename for every file input, empty when nothing was
 * chosen. */
static int
portal_is_file(const char *name, const char *filename)
{
	(void)name;
	return filename != NULL;
}

/* Lines of a textarea into out[] (pointers into text, which is changed). */
static int
split_lines(const char **out, int max, char *text)
{
	char *p, *save = NULL;
	int n = 0;

	for (p = strtok_r(text, "\r\n, ", &save); p != NULL;
	     p = strtok_r(NULL, "\r\n, ", &save)) {
		if (n == max)
			return -1;
		out[n++] = p;
	}
	return n;
}

/* The files chosen in a form's lampiran_KIND inputs (empty ones skipped). */
static int
form_files(struct ra_file *files, int max, struct http_multipart *m)
{
	int i, n = 0;

	for (i = 0; i < m->n; i++) {
		struct http_part *f = &m->f[i];

		if (!f->is_file || f->val.len == 0 ||
		    strncmp(f->name, "lampiran_", 9) != 0)
			continue;
		if (n == max)
			return -1;
		files[n].kind = f->name + 9;
		files[n].data = f->val.data;
		files[n].len = f->val.len;
		files[n].filename = f->filename[0] ? f->filename : f->name + 9;
		n++;
	}
	return n;
}

static int
read_multipart(struct page *pg, struct http_multipart *m)
{
	int rc = http_multipart_parse(m, pg->r, RA_ATTACH_MAX, WEB_FORM_MAX_VALUE,
	                              portal_is_file);

	if (rc < 0)
		return error_page(pg, rc == SERTEL_ETOOBIG ? 413 : 400, sertel_errmsg()),
		       rc;
	if ((rc = portal_csrf_check(&pg->sess, http_multipart_text(m, "csrf"))) < 0) {
		http_multipart_free(m);
		return error_page(pg, 403, sertel_errmsg()), rc;
	}
	return 0;
}

static int
page_app_create(struct page *pg)
{
	struct http_multipart m;
	struct ra_apply_req rq;
	struct ra_application app;
	struct ra_file files[16];
	const char *type, *usage, *aksi;
	char *dns = NULL, *ip = NULL, loc[64];
	int nf, rc;

	if (read_multipart(pg, &m) < 0)
		return 0;
	type = http_multipart_text(&m, "jenis");
	usage = http_multipart_text(&m, "penggunaan");
	aksi = http_multipart_text(&m, "aksi");
	if (!type_valid(type)) {
		rc = error_page(pg, 400, msg(pg, "", "app.type.invalid"));
		goto out;
	}
	memset(&rq, 0, sizeof(rq));
	rq.type = type;
	rq.usages = usage;
	if (usage == NULL || *usage == '\0') {
		rc = app_form(pg, 400, type, &m, msg(pg, "", "app.usage.missing"));
		goto out;
	}
	/* Palembang Lampiran I: the applicant declares the data true. */
	if (http_multipart_text(&m, "pernyataan") == NULL) {
		rc = app_form(pg, 400, type, &m, msg(pg, "", "app.declare.missing"));
		goto out;
	}
	if (strcmp(type, "sistem") == 0) {
		rq.system_name = http_multipart_text(&m, "nama_sistem");
		rq.system_details = http_multipart_text(&m, "rincian");
		if ((dns = strdup(http_multipart_text(&m, "dns")
		                      ? http_multipart_text(&m, "dns")
		                      : "")) == NULL ||
		    (ip = strdup(http_multipart_text(&m, "ip")
		                     ? http_multipart_text(&m, "ip")
		                     : "")) == NULL) {
			rc = error_page(pg, 500, "internal error");
			goto out;
		}
		if ((rq.ndns = split_lines(rq.dns, 16, dns)) < 0 ||
		    (rq.nip = split_lines(rq.ip, 16, ip)) < 0) {
			rc =
			    app_form(pg, 400, type, &m, msg(pg, "", "app.names.toomany"));
			goto out;
		}
	}
	rq.self_issued_letters = http_multipart_text(&m, "surat_sendiri") != NULL;
	if ((nf = form_files(files, 16, &m)) < 0) {
		rc = app_form(pg, 400, type, &m, msg(pg, "", "app.files.toomany"));
		goto out;
	}
	rq.files = files;
	rq.nfiles = nf;
	if ((rc = ra_apply(&app, pg->r->st, &pg->who, &rq,
	                   ra_approvals_needed(pg->r->ctx->in->cfg, type))) < 0) {
		/* The rule's own message, next to the form, nothing stored. */
		rc = app_form(pg, rc == SERTEL_EPERM ? 403 : 400, type, &m,
		              sertel_errmsg());
		goto out;
	}
	snprintf(loc, sizeof(loc), "/permohonan/%s?ok=%s", app.id,
	         aksi && strcmp(aksi, "ajukan") == 0 ? "ajukan" : "konsep");
	if (aksi != NULL && strcmp(aksi, "ajukan") == 0 &&
	    ra_submit(pg->r->st, &pg->who, app.id) < 0)
		/* Saved as a draft; the page says what is still missing. */
		snprintf(loc, sizeof(loc), "/permohonan/%s?ok=konsep-belum", app.id);
	rc = redirect(pg, loc);
out:
	free(dns);
	free(ip);
	http_multipart_free(&m);
	return rc;
}

struct att_list {
	struct page *pg;
	json_t *arr;
	const char *app_id;
};

static int
att_row(const struct ra_attachment_info *i, void *arg)
{
	struct att_list *l = arg;
	char href[128], size[32];

	snprintf(href, sizeof(href), PORTAL_PREFIX "/permohonan/%s/lampiran/%s",
	         l->app_id, i->kind);
	if (i->size >= 1024 * 1024)
		snprintf(size, sizeof(size), "%.1f MB", (double)i->size / (1024 * 1024));
	else
		snprintf(size, sizeof(size), "%lld KB",
		         (long long)((i->size + 1023) / 1024));
	json_array_append_new(
	    l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "kind", i->kind,
	                      "label", msg(l->pg, "attach.", i->kind), "filename",
	                      i->filename, "size", size, "sha256", i->sha256, "href",
	                      href, "is_pdf", strcmp(i->mime, "application/pdf") == 0,
	                      "is_image", strncmp(i->mime, "image/", 6) == 0));
	return 0;
}

/* The application named by the path /permohonan/ID[/...]: id into out. */
static int
path_app(struct page *pg, struct ra_application *a, const char **rest)
{
	const char *id = pg->sub + strlen("/permohonan/");
	char buf[RA_ID_LEN + 1];
	size_t n = strcspn(id, "/");
	int rc;

	*rest = id + n;
	if (n != RA_ID_LEN || strspn(id, "0123456789abcdef") < n) {
		error_page(pg, 404, msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	memcpy(buf, id, n);
	buf[n] = '\0';
	if ((rc = ra_get(a, pg->r->st, buf)) < 0) {
		error_page(
		    pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		    msg(pg, "",
		        rc == SERTEL_ENOTFOUND ? "error.notfound" : "error.title"));
		return rc;
	}
	/* Who may read it, before anything about it is shown. */
	if (!ra_may_read(&pg->who, a)) {
		error_page(pg, 403, msg(pg, "", "error.role"));
		return SERTEL_EPERM;
	}
	return 0;
}

static int
app_page(struct page *pg, struct ra_application *a, int status, const char *error)
{
	struct att_list l = {pg, json_array(), a->id};
	const char *const *k;
	const char *ok = http_query(pg->r, "ok");
	json_t *missing = json_array(), *kinds, *usage = usage_json(pg, a->usages, NULL);
	size_t i;
	int n, j, have,
	    editable = (a->state == APP_DRAFT || a->state == APP_RETURNED) &&
	               strcmp(a->applicant_nik, pg->who.nik) == 0;

	if (ra_attachment_iter(pg->r->st, a->id, att_row, &l) < 0) {
		json_decref(l.arr);
		json_decref(missing);
		json_decref(usage);
		return error_page(pg, 500, "internal error");
	}
	k = ra_required_attachments(a->type, &n);
	for (j = 0; j < n; j++) {
		have = 0;
		for (i = 0; i < json_array_size(l.arr); i++)
			if (strcmp(json_string_value(
			               json_object_get(json_array_get(l.arr, i), "kind")),
			           k[j]) == 0)
				have = 1;
		if (!have)
			json_array_append_new(missing,
			                      json_string(msg(pg, "attach.", k[j])));
	}
	kinds = kinds_json(pg, k, n);
	for (i = 0; i < sizeof(optional_kinds) / sizeof(optional_kinds[0]); i++)
		json_array_append_new(
		    kinds, json_pack("{s:s, s:s}", "kind", optional_kinds[i], "label",
		                     msg(pg, "attach.", optional_kinds[i])));
	json_object_set_new(pg->ctx, "app",
	                    json_pack("{s:s, s:s, s:O, s:s, s:s, s:s, s:i, s:i, s:s}",
	                              "id", a->id, "type", msg(pg, "type.", a->type),
	                              "usages", json_object_get(usage, "label"), "state",
	                              msg(pg, "state.", ra_state_name(a->state)),
	                              "state_code", ra_state_name(a->state), "reasons",
	                              a->reasons, "approvals", a->approvals, "needed",
	                              a->approvals_needed, "cn", a->cn));
	json_decref(usage);
	json_object_set_new(pg->ctx, "attachments", l.arr);
	json_object_set_new(pg->ctx, "has_attachments",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "missing", missing);
	json_object_set_new(pg->ctx, "has_missing",
	                    json_boolean(json_array_size(missing) > 0));
	json_object_set_new(pg->ctx, "kinds", kinds);
	json_object_set_new(pg->ctx, "editable", json_boolean(editable));
	/* The decision is offered to operators on submitted applications; the
	 * rules (their own certificate, not their own application, N of M)
	 * are ra_approve's. */
	if (a->state == APP_SUBMITTED && (pg->who.roles & ROLE_OPERATOR)) {
		char review[1024], *item, *save = NULL;
		json_t *items = json_array();
		int ni = 0;

		if (ra_needs_review(review, sizeof(review), a) == 0)
			for (item = strtok_r(review, ",", &save); item != NULL && ni < 32;
			     item = strtok_r(NULL, ",", &save), ni++)
				json_array_append_new(
				    items,
				    json_pack("{s:s, s:s}", "value", item, "field", ""));
		for (i = 0; i < json_array_size(items); i++) {
			char field[32];
			snprintf(field, sizeof(field), "tinjau_%d", (int)i);
			json_object_set_new(json_array_get(items, i), "field",
			                    json_string(field));
		}
		json_object_set_new(pg->ctx, "decide",
		                    json_pack("{s:o}", "review", items));
	}
	json_object_set_new(
	    pg->ctx, "returned",
	    json_boolean(a->state == APP_RETURNED || a->state == APP_REJECTED));
	if (ok != NULL && strspn(ok, "abcdefghijklmnopqrstuvwxyz-") == strlen(ok) &&
	    strlen(ok) < 32)
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              msg(pg, "app.ok.", ok)));
	if (error != NULL)
		json_object_set_new(
		    pg->ctx, "flash",
		    json_pack("{s:s, s:s}", "kind", "bad", "text", error));
	return render(pg, status, "app", "app.title");
}

static int
page_app(struct page *pg)
{
	struct ra_application a;
	const char *rest;
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[64], kind[32], disp[160];
	int rc;

	if (path_app(pg, &a, &rest) < 0)
		return 0;
	if (*rest == '\0')
		return app_page(pg, &a, 200, NULL);
	if (strncmp(rest, "/lampiran/", 10) != 0 || strlen(rest + 10) >= sizeof(kind) ||
	    !ra_attach_kind_valid(rest + 10))
		return error_page(pg, 404, msg(pg, "", "error.notfound"));
	str_copy(kind, sizeof(kind), rest + 10);
	/* ra_attachment_get decides who may read it, and audits the read. */
	if ((rc = ra_attachment_get(&data, &len, mime, pg->r->st, &pg->who, a.id, kind)) <
	    0)
		return error_page(pg,
		                  rc == SERTEL_EPERM       ? 403
		                  : rc == SERTEL_ENOTFOUND ? 404
		                                           : 500,
		                  sertel_errmsg());
	free(pg->resp->body);
	pg->resp->body = data;
	pg->resp->len = len;
	pg->resp->status = 200;
	/* Only the types ra_attach let in; shown inline, never sniffed. */
	pg->resp->ctype = strcmp(mime, "application/pdf") == 0 ? "application/pdf"
	                  : strcmp(mime, "image/png") == 0     ? "image/png"
	                                                       : "image/jpeg";
	snprintf(disp, sizeof(disp), "inline; filename=\"%s-%s\"", a.id, kind);
	header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'; "
	                          "img-src 'self'; style-src 'unsafe-inline'; "
	                          "frame-ancestors 'self'\n"
	                          "X-Frame-Options: SAMEORIGIN\n"
	                          "Cache-Control: no-store\n");
	return 0;
}

static int
page_app_post(struct page *pg)
{
	struct ra_application a;
	struct http_multipart m;
	struct ra_file files[16];
	const char *rest;
	char loc[80];
	int rc, nf;

	if (path_app(pg, &a, &rest) < 0)
		return 0;
	if (strcmp(rest, "/lampiran") == 0) {
		if (read_multipart(pg, &m) < 0)
			return 0;
		if ((nf = form_files(files, 16, &m)) <= 0) {
			http_multipart_free(&m);
			return app_page(pg, &a, 400, msg(pg, "", "app.files.none"));
		}
		rc = ra_attach(pg->r->st, &pg->who, a.id, files, nf);
		http_multipart_free(&m);
		if (rc < 0)
			return app_page(pg, &a, rc == SERTEL_EPERM ? 403 : 400,
			                sertel_errmsg());
		snprintf(loc, sizeof(loc), "/permohonan/%s?ok=lampiran", a.id);
		return redirect(pg, loc);
	}
	if (strcmp(rest, "/putuskan") == 0)
		return app_decide(pg, &a);
	if (strcmp(rest, "/ajukan") == 0) {
		if ((rc = read_form(pg)) < 0 ||
		    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) <
		        0)
			return error_page(pg, rc == SERTEL_EPERM ? 403 : 400,
			                  sertel_errmsg());
		if ((rc = ra_submit(pg->r->st, &pg->who, a.id)) < 0)
			return app_page(pg, &a, rc == SERTEL_EPERM ? 403 : 409,
			                sertel_errmsg());
		snprintf(loc, sizeof(loc), "/permohonan/%s?ok=ajukan", a.id);
		return redirect(pg, loc);
	}
	return error_page(pg, 404, msg(pg, "", "error.notfound"));
}

/* ---- my certificates -------------------------------------------------------- */
struct cert_rows {
	struct page *pg;
	json_t *arr;
	int64_t now;
};

static int
cert_row_json(const struct cert_rec *c, void *arg)
{
	struct cert_rows *l = arg;
	char from[32], to[32], shown[3 * SERIAL_HEX_MAX], *p = shown;
	const char *status = cert_status_name(cert_rec_status(c, l->now));
	json_t *usage = usage_json(l->pg, c->usages, NULL);
	size_t i;

	/* 01:ad:4a:... as certificate viewers show it. */
	for (i = 0; c->serial[i] != '\0' && c->serial[i + 1] != '\0'; i += 2) {
		if (i > 0)
			*p++ = ':';
		*p++ = c->serial[i];
		*p++ = c->serial[i + 1];
	}
	*p = '\0';
	time_fmt(from, c->not_before);
	time_fmt(to, c->not_after);
	from[10] = to[10] = '\0';
	json_array_append_new(
	    l->arr,
	    json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:s}", "serial",
	              c->serial, "shown", shown, "type", msg(l->pg, "type.", c->type),
	              "usages", json_object_get(usage, "label"), "subject", c->subject,
	              "status", msg(l->pg, "cert.status.", status), "status_code", status,
	              "from", from, "to", to));
	json_decref(usage);
	return 0;
}

static int
page_certs(struct page *pg)
{
	struct cert_rows l = {pg, json_array(), time_now()};

	if (store_cert_iter_nik(pg->r->st, pg->who.nik, cert_row_json, &l) < 0) {
		json_decref(l.arr);
		log_msg(LOG_ERROR, "portal: certificates: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "has_certs",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "certs", l.arr);
	return render(pg, 200, "certs", "certs.title");
}

/* GET /sertifikat/SERIAL.pem|.der|.p7b: the owner's certificate (PEM with
 * its chain, DER alone, or the chain as a PKCS#7 bundle), for the owner
 * and those who read every record. */
static int
page_cert_file(struct page *pg)
{
	const char *name = pg->sub + strlen("/sertifikat/"), *dot = strrchr(name, '.');
	struct issuer_rec iss, root;
	struct cert_rec c;
	struct buf b;
	char serial[SERIAL_HEX_MAX + 1], disp[128], *pem = NULL;
	unsigned char *out = NULL;
	const unsigned char *ders[3];
	size_t outlen = 0, lens[3];
	int rc, have_iss = 0, have_root = 0, nchain = 1, i;

	memset(&c, 0, sizeof(c));
	memset(&iss, 0, sizeof(iss));
	memset(&root, 0, sizeof(root));
	if (dot == NULL || (size_t)(dot - name) > SERIAL_HEX_MAX ||
	    strspn(name, "0123456789abcdef") != (size_t)(dot - name) ||
	    (strcmp(dot, ".pem") && strcmp(dot, ".der") && strcmp(dot, ".p7b")))
		return error_page(pg, 404, msg(pg, "", "error.notfound"));
	memcpy(serial, name, (size_t)(dot - name));
	serial[dot - name] = '\0';
	if ((rc = store_cert_get(pg->r->st, serial, &c)) < 0)
		return error_page(pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		                  msg(pg, "", "error.notfound"));
	/* The same answer for someone else's certificate as for none. */
	if (strcmp(c.nik, pg->who.nik) != 0 && !ra_sees_all(&pg->who)) {
		cert_rec_free(&c);
		return error_page(pg, 404, msg(pg, "", "error.notfound"));
	}
	if (store_issuer_get(pg->r->st, c.issuer_id, &iss) == 0) {
		have_iss = 1;
		if (iss.parent_id[0] != '\0' &&
		    store_issuer_get(pg->r->st, iss.parent_id, &root) == 0)
			have_root = 1;
	}
	ders[0] = c.der;
	lens[0] = c.der_len;
	if (have_iss) {
		ders[nchain] = iss.cert_der;
		lens[nchain++] = iss.cert_len;
	}
	if (have_root) {
		ders[nchain] = root.cert_der;
		lens[nchain++] = root.cert_len;
	}
	if (strcmp(dot, ".der") == 0) {
		out = malloc(c.der_len);
		if (out != NULL) {
			memcpy(out, c.der, c.der_len);
			outlen = c.der_len;
		}
		rc = out ? 0 : SERTEL_ENOMEM;
		pg->resp->ctype = "application/pkix-cert";
	} else if (strcmp(dot, ".p7b") == 0) {
		rc = cert_bundle_p7b(&out, &outlen, ders, lens, nchain);
		pg->resp->ctype = "application/x-pkcs7-certificates";
	} else {
		/* The certificate, then its issuing CA and root, as one file. */
		buf_init(&b, 256 * 1024);
		for (i = 0, rc = 0; i < nchain && rc == 0; i++) {
			if ((rc = pem_from_der(&pem, ders[i], lens[i], "CERTIFICATE")) ==
			    0)
				rc = buf_append(&b, pem, strlen(pem));
			free(pem);
			pem = NULL;
		}
		out = buf_detach(&b, &outlen);
		buf_free(&b);
		pg->resp->ctype = "application/x-pem-file";
	}
	if (have_iss)
		issuer_rec_free(&iss);
	if (have_root)
		issuer_rec_free(&root);
	cert_rec_free(&c);
	if (rc < 0) {
		free(out);
		pg->resp->ctype = NULL;
		log_msg(LOG_ERROR, "portal: certificate file: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	free(pg->resp->body);
	pg->resp->body = out;
	pg->resp->len = outlen;
	pg->resp->status = 200;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s%s\"", serial, dot);
	header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Cache-Control: no-store\n");
	return 0;
}

/* ---- the operator's queue --------------------------------------------------- */
#define QUEUE_PAGE 50

struct queue_rows {
	struct page *pg;
	json_t *arr;
	int64_t now;
};

static int
queue_row(const struct ra_application *a, void *arg)
{
	struct queue_rows *q = arg;
	struct ra_person p;
	struct ra_agency ag;
	char when[32], age[32];
	int64_t days = (q->now - a->updated_at) / 86400;

	memset(&p, 0, sizeof(p));
	memset(&ag, 0, sizeof(ag));
	if (ra_person_get(&p, q->pg->r->st, a->applicant_nik) == 0)
		ra_agency_get(&ag, q->pg->r->st, p.agency_id);
	time_fmt(when, a->updated_at);
	when[10] = '\0';
	snprintf(age, sizeof(age), "%lld", (long long)days);
	json_array_append_new(q->arr,
	                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b}",
	                                "id", a->id, "type", msg(q->pg, "type.", a->type),
	                                "name", p.name, "agency", ag.name, "since", when,
	                                "days", age, "approvals", a->approvals, "needed",
	                                a->approvals_needed, "old", days >= 7));
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

static int
page_queue(struct page *pg)
{
	const char *type = http_query(pg->r, "jenis"),
	           *agency = http_query(pg->r, "instansi"),
	           *age = http_query(pg->r, "umur"), *page = http_query(pg->r, "hal");
	struct queue_rows q = {pg, json_array(), time_now()};
	struct agency_opts ao = {json_array(), agency};
	struct ra_filter f;
	long long days = 0, pn = 1;
	int64_t total = 0;
	json_t *types = json_array();
	char next[512];
	size_t i;
	int rc;

	memset(&f, 0, sizeof(f));
	f.state = APP_SUBMITTED;
	f.limit = QUEUE_PAGE;
	f.type = type_valid(type) ? type : NULL;
	f.agency_id = agency && *agency ? agency : NULL;
	if (age != NULL && *age != '\0' && parse_ll(&days, age, 0, 3650) == 0 && days > 0)
		f.updated_before = q.now - days * 86400;
	if (page != NULL && parse_ll(&pn, page, 1, 100000) < 0)
		pn = 1;
	f.offset = (int)((pn - 1) * QUEUE_PAGE);
	if ((rc = ra_query(pg->r->st, &f, &total, queue_row, &q)) < 0 ||
	    (rc = ra_agency_iter(pg->r->st, agency_opt, &ao)) < 0) {
		json_decref(q.arr);
		json_decref(ao.arr);
		json_decref(types);
		log_msg(LOG_ERROR, "portal: queue: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	for (i = 0; i < sizeof(app_types) / sizeof(app_types[0]); i++)
		json_array_append_new(
		    types, json_pack("{s:s, s:s, s:b}", "type", app_types[i], "label",
		                     msg(pg, "type.", app_types[i]), "selected",
		                     f.type && strcmp(f.type, app_types[i]) == 0));
	json_object_set_new(pg->ctx, "rows", q.arr);
	json_object_set_new(pg->ctx, "has_rows",
	                    json_boolean(json_array_size(q.arr) > 0));
	json_object_set_new(pg->ctx, "total", json_integer((json_int_t)total));
	json_object_set_new(pg->ctx, "agencies", ao.arr);
	json_object_set_new(pg->ctx, "types", types);
	json_object_set_new(pg->ctx, "umur", json_string(age ? age : ""));
	if ((int64_t)pn * QUEUE_PAGE < total) {
		snprintf(next, sizeof(next), "hal=%lld&jenis=%s&instansi=%s&umur=%lld",
		         pn + 1, f.type ? f.type : "", f.agency_id ? f.agency_id : "",
		         days);
		json_object_set_new(pg->ctx, "next", json_string(next));
	}
	return render(pg, 200, "queue", "queue.title");
}

/* POST /permohonan/{id}/putuskan: approve, return or reject, with the
 * reasons the regulation requires for the last two (ra_* check them). */
static int
app_decide(struct page *pg, struct ra_application *a)
{
	const char *what, *why;
	char reviewed[1024] = "", key[16], loc[80];
	int rc, approved = 0, i;

	if ((rc = read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return error_page(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	what = web_form_get(&pg->form, "keputusan");
	why = web_form_get(&pg->form, "alasan");
	if (what == NULL)
		return app_page(pg, a, 400, msg(pg, "", "decide.missing"));
	if (strcmp(what, "setujui") == 0) {
		/* The items the operator ticked as looked at (tinjau_0..). */
		for (i = 0; i < 32; i++) {
			const char *v;

			snprintf(key, sizeof(key), "tinjau_%d", i);
			if ((v = web_form_get(&pg->form, key)) == NULL)
				continue;
			if (strlen(reviewed) + strlen(v) + 2 >= sizeof(reviewed))
				break;
			if (reviewed[0] != '\0')
				strncat(reviewed, ",",
				        sizeof(reviewed) - strlen(reviewed) - 1);
			strncat(reviewed, v, sizeof(reviewed) - strlen(reviewed) - 1);
		}
		rc = ra_approve(pg->r->st, &pg->who, a->id, why && *why ? why : NULL,
		                reviewed[0] ? reviewed : NULL, &approved);
	} else if (strcmp(what, "kembalikan") == 0) {
		rc = ra_return(pg->r->st, &pg->who, a->id, why ? why : "");
	} else if (strcmp(what, "tolak") == 0) {
		rc = ra_reject(pg->r->st, &pg->who, a->id, why ? why : "");
	} else {
		return app_page(pg, a, 400, msg(pg, "", "decide.missing"));
	}
	if (rc < 0) {
		/* The rule's own words (reasons required, not an operator, no
		 * certificate of their own, decided already, ...). */
		ra_get(a, pg->r->st, a->id);
		return app_page(pg, a,
		                rc == SERTEL_EPERM    ? 403
		                : rc == SERTEL_ESTATE ? 409
		                                      : 400,
		                sertel_errmsg());
	}
	snprintf(loc, sizeof(loc), "/permohonan/%s?ok=%s", a->id,
	         strcmp(what, "setujui") == 0 ? (approved ? "disetujui" : "setuju-satu")
	         : strcmp(what, "tolak") == 0 ? "ditolak"
	                                      : "dikembalikan");
	return redirect(pg, loc);
}

/* ---- the Kepala Dinas: operators and the subscriber agreement --------------- */
struct person_rows {
	struct page *pg;
	json_t *arr;
};

static int
person_row(const struct ra_person *p, void *arg)
{
	struct person_rows *l = arg;
	struct ra_agency ag;
	char roles[256], label[512] = "", key[64];
	const char *r, *comma;

	memset(&ag, 0, sizeof(ag));
	ra_agency_get(&ag, l->pg->r->st, p->agency_id);
	ra_roles_format(roles, sizeof(roles), p->roles);
	for (r = roles; *r != '\0'; r = comma + (*comma != '\0')) {
		comma = strchr(r, ',');
		if (comma == NULL)
			comma = r + strlen(r);
		snprintf(key, sizeof(key), "%.*s", (int)(comma - r), r);
		if (label[0] != '\0')
			strncat(label, ", ", sizeof(label) - strlen(label) - 1);
		strncat(label, msg(l->pg, "role.", key),
		        sizeof(label) - strlen(label) - 1);
	}
	json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:s, s:b}", "nik",
	                                        p->nik, "name", p->name, "agency",
	                                        ag.name, "roles", label, "operator",
	                                        (p->roles & ROLE_OPERATOR) != 0));
	return 0;
}

static int
page_dinas(struct page *pg)
{
	struct person_rows l = {pg, json_array()};
	struct ra_agreement ag;
	char *text = NULL;

	if (ra_person_iter(pg->r->st, NULL, person_row, &l) < 0 ||
	    ra_agreement_text(&text, &ag, pg->r->st, 0) < 0) {
		json_decref(l.arr);
		log_msg(LOG_ERROR, "portal: dinas: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "people", l.arr);
	json_object_set_new(pg->ctx, "agreement",
	                    json_pack("{s:i, s:s, s:s}", "version", ag.version, "sha256",
	                              ag.sha256, "text", text));
	free(text);
	{
		const char *ok = http_query(pg->r, "ok");

		if (ok != NULL &&
		    (strcmp(ok, "angkat") == 0 || strcmp(ok, "perjanjian") == 0))
			json_object_set_new(pg->ctx, "flash",
			                    json_pack("{s:s, s:s}", "kind", "ok", "text",
			                              msg(pg, "dinas.ok.", ok)));
	}
	return render(pg, 200, "dinas", "dinas.title");
}

static int
page_dinas_post(struct page *pg)
{
	struct ra_agreement ag;
	const char *what = pg->sub + strlen("/dinas/");
	int rc;

	if ((rc = read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return error_page(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	/* Cirebon 20(1): the Kepala Dinas appoints OP operators; the rule
	 * (who may, whom) is ra_person_appoint's. */
	if (strcmp(what, "angkat") == 0 && web_form_get(&pg->form, "nik") == NULL)
		return error_page(pg, 400, msg(pg, "", "error.title"));
	if (strcmp(what, "angkat") == 0)
		rc = ra_person_appoint(pg->r->st, &pg->who,
		                       web_form_get(&pg->form, "nik"), ROLE_OPERATOR);
	else if (strcmp(what, "perjanjian") == 0)
		rc = ra_agreement_set(&ag, pg->r->st, &pg->who,
		                      web_form_get(&pg->form, "teks")
		                          ? web_form_get(&pg->form, "teks")
		                          : "");
	else
		return error_page(pg, 404, msg(pg, "", "error.notfound"));
	if (rc < 0)
		return error_page(pg,
		                  rc == SERTEL_EPERM       ? 403
		                  : rc == SERTEL_ENOTFOUND ? 404
		                                           : 400,
		                  sertel_errmsg());
	return redirect(pg, strcmp(what, "angkat") == 0 ? "/dinas?ok=angkat"
	                                                : "/dinas?ok=perjanjian");
}

/* ---- the audit trail (auditors, the Kepala Dinas) -------------------------- */
#define AUDIT_PAGE 100

struct audit_rows {
	json_t *arr;
	int n;
	int64_t last_seq;
};

static int
audit_row(const struct audit_entry *e, void *arg)
{
	struct audit_rows *a = arg;
	char when[32], shown[32];

	time_fmt(when, e->ts_us / 1000000);
	/* "2026-12-06 21:32:45": the column says UTC. */
	str_copy(shown, sizeof(shown), when);
	if (strlen(shown) >= 19) {
		shown[10] = ' ';
		shown[19] = '\0';
	}
	json_array_append_new(a->arr,
	                      json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
	                                (json_int_t)e->seq, "time", when, "shown", shown,
	                                "actor", e->actor, "action", e->action, "object",
	                                e->object, "reason", e->reason));
	a->n++;
	a->last_seq = e->seq;
	return 0;
}

/* A date filter "YYYY-MM-DD" into microseconds (0 when empty); end: the
 * day after. */
static int
audit_date(int64_t *out, const char *v, int end)
{
	int64_t t;

	*out = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (strlen(v) != 10 || time_parse(&t, v) < 0)
		return SERTEL_EINVAL;
	*out = (t + (end ? 86400 : 0)) * 1000000;
	return 0;
}

static int
page_audit(struct page *pg)
{
	static const char *const fields[] = {"dari", "sampai", "pelaku", "tindakan",
	                                     "objek"};
	struct audit_rows rows = {json_array(), 0, 0};
	struct audit_filter f;
	const char *v, *before = http_query(pg->r, "sebelum");
	long long bs = 0;
	json_t *filter = json_object();
	struct buf more;
	size_t i;
	int rc;

	memset(&f, 0, sizeof(f));
	f.limit = AUDIT_PAGE;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = http_query(pg->r, fields[i]);
		json_object_set_new(filter, fields[i], json_string(v ? v : ""));
	}
	json_object_set_new(pg->ctx, "filter", filter);
	if (audit_date(&f.since_us, http_query(pg->r, "dari"), 0) < 0 ||
	    audit_date(&f.until_us, http_query(pg->r, "sampai"), 1) < 0) {
		json_decref(rows.arr);
		json_object_set_new(pg->ctx, "date_error", json_true());
		json_object_set_new(pg->ctx, "entries", json_array());
		return render(pg, 400, "audit", "audit.title");
	}
	if (before != NULL && parse_ll(&bs, before, 1, INT64_MAX) == 0)
		f.before_seq = bs;
	f.actor = http_query(pg->r, "pelaku");
	f.action = http_query(pg->r, "tindakan");
	f.object = http_query(pg->r, "objek");
	if ((rc = audit_query(pg->r->st, &f, audit_row, &rows)) < 0) {
		json_decref(rows.arr);
		log_msg(LOG_ERROR, "portal: audit: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "entries", rows.arr);
	json_object_set_new(pg->ctx, "has_entries", json_boolean(rows.n > 0));
	if (rows.n == AUDIT_PAGE && rows.last_seq > 1) {
		/* The same filters, one page older. */
		buf_init(&more, 2048);
		buf_appendf(&more, "sebelum=%lld", (long long)rows.last_seq);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			v = http_query(pg->r, fields[i]);
			if (v == NULL || *v == '\0')
				continue;
			buf_appendf(&more, "&%s=", fields[i]);
			web_url_encode(&more, v);
		}
		if (buf_cstr(&more) == 0)
			json_object_set_new(pg->ctx, "older",
			                    json_string((char *)more.data));
		buf_free(&more);
	}
	return render(pg, 200, "audit", "audit.title");
}

static int
page_audit_verify(struct page *pg)
{
	int64_t bad = 0, count = 0;
	int rc;

	if ((rc = read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return error_page(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	rc = audit_verify(pg->r->st, &bad, &count);
	if (rc < 0 && rc != SERTEL_EINVALID) {
		log_msg(LOG_ERROR, "portal: audit verify: %s", sertel_errmsg());
		return error_page(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "verified",
	                    json_pack("{s:b, s:I, s:I, s:s}", "ok", rc == 0, "count",
	                              (json_int_t)count, "bad_seq", (json_int_t)bad,
	                              "detail", rc == 0 ? "" : sertel_errmsg()));
	return page_audit(pg);
}

/* ---- the route ------------------------------------------------------------ */
static const struct portal_route {
	const char *method;
	const char *sub;
	int login;      /* 1: only with a session */
	unsigned roles; /* with login: one of these roles (0: anyone logged in) */
	int (*fn)(struct page *);
} portal_routes[] = {
    {"GET", "/", 1, 0, page_dashboard},
    {"GET", "/masuk", 0, 0, page_login},
    {"POST", "/masuk/tautan", 0, 0, page_link_request},
    {"GET", "/masuk/tautan", 0, 0, page_link_confirm},
    {"POST", "/masuk/tautan/pakai", 0, 0, page_link_use},
    {"POST", "/keluar", 0, 0, page_logout},
    {"GET", "/sop", 0, 0, page_sop},
    {"GET", "/permohonan/baru", 1, 0, page_app_new},
    {"POST", "/permohonan/baru", 1, 0, page_app_create},
    {"GET", "/permohonan/", 1, 0, page_app},
    {"POST", "/permohonan/", 1, 0, page_app_post},
    {"GET", "/sertifikat", 1, 0, page_certs},
    {"GET", "/sertifikat/", 1, 0, page_cert_file},
    {"GET", "/antrian", 1, ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN,
     page_queue},
    {"GET", "/dinas", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_dinas},
    {"POST", "/dinas/", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_dinas_post},
    {"GET", "/audit", 1, ROLE_AUDITOR | ROLE_KEPALA_DINAS | ROLE_ADMIN, page_audit},
    {"POST", "/audit/verifikasi", 1, ROLE_AUDITOR | ROLE_KEPALA_DINAS | ROLE_ADMIN,
     page_audit_verify},
};

int
web_portal(struct http_req *r, struct http_resp *resp)
{
	const struct portal_route *rt = NULL;
	char sid[PORTAL_ID_HEX + 1], lc[8];
	const char *q, *method;
	struct page pg;
	size_t i;
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
		cookie_set(&pg, COOKIE_LANG, web_lang_code(l), 365L * 86400);
	} else {
		cookie_get(lc, sizeof(lc), r, COOKIE_LANG);
		if ((l = web_lang_parse(lc)) >= 0)
			pg.lang = l;
	}
	cookie_get(sid, sizeof(sid), r, COOKIE_SESSION);
	if (sid[0] != '\0') {
		if (portal_session_get(&pg.sess, r->st, &P.conf, sid) == 0 &&
		    ra_actor_person(&pg.who, r->st, pg.sess.nik) == 0)
			pg.logged_in = 1;
		else
			cookie_set(&pg, COOKIE_SESSION, "", 0);
	}
	method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	for (i = 0; i < sizeof(portal_routes) / sizeof(portal_routes[0]); i++) {
		const char *rs = portal_routes[i].sub;
		size_t rl = strlen(rs);

		/* A route ending in '/' takes everything below it. */
		if (rs[rl - 1] == '/' && rl > 1
		        ? strncmp(rs, pg.sub, rl) != 0 || pg.sub[rl] == '\0'
		        : strcmp(rs, pg.sub) != 0)
			continue;
		known = 1;
		if (strcmp(portal_routes[i].method, method) == 0) {
			rt = &portal_routes[i];
			break;
		}
	}
	if (rt == NULL)
		error_page(&pg, known ? 405 : 404,
		           web_i18n_get(P.cat, pg.lang,
		                        known ? "error.method" : "error.notfound"));
	else if (rt->login && !pg.logged_in)
		redirect(&pg, "/masuk");
	else if (rt->login && rt->roles != 0 && (pg.who.roles & rt->roles) == 0)
		error_page(&pg, 403, web_i18n_get(P.cat, pg.lang, "error.role"));
	else
		rt->fn(&pg);
	finish_headers(&pg);
	buf_free(&pg.headers);
	web_form_free(&pg.form);
	json_decref(pg.ctx);
	return 0;
}
