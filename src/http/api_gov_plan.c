/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Needs, the master plan and the decree over HTTP (src/gov needs.c,
 * plan.c):
 *
 *   GET  POST /api/v1/gov/needs[?year=Y&agency=A]
 *   GET       /api/v1/gov/needs/{id}
 *   POST      /api/v1/gov/needs/{id}/items | items/{n}/remove |
 *             items/{n}/analysis | submit | plan | reject | reopen
 *   GET  POST /api/v1/gov/plans            GET POST /api/v1/gov/plans/{id}
 *   POST      /api/v1/gov/plans/{id}/targets/{year} | documents | reviews
 *   GET       /api/v1/gov/plans/{id}/documents/{n}   (the PDF)
 *   GET  POST /api/v1/gov/decrees          GET /api/v1/gov/decrees/{id}[/pdf]
 *   GET  POST /api/v1/gov/scope            GET /api/v1/gov/scope/{agency}
 *   POST      /api/v1/gov/scope/{agency}/remove
 *
 * Who acts is the token's RA actor (http_auth); the rules, who may read
 * and who may change, are src/gov's.  Bodies are JSON objects whose
 * unknown fields are refused (json_unpack_ex, JSON_STRICT).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/http_int.h"

#define NEEDS_PREFIX   "/api/v1/gov/needs/"
#define PLANS_PREFIX   "/api/v1/gov/plans/"
#define DECREES_PREFIX "/api/v1/gov/decrees/"
#define SCOPE_PREFIX   "/api/v1/gov/scope/"

/* Authenticated, and someone in the RA (an application token other than
 * admin or auditor acts for nobody).  On failure resp is filled. */
static int
actor(struct http_req *r, struct http_resp *resp)
{
	if (http_auth(r, resp) < 0)
		return SERTEL_EAUTH;
	if (r->ra.roles == 0) {
		http_error(resp, 403, "forbidden",
		           "%s: a token with role %s does not act in governance; use a "
		           "person's token",
		           r->actor, r->role);
		return SERTEL_EPERM;
	}
	return 0;
}

/* actor(), and one who reads the plan, the decree and the scope. */
static int
reader(struct http_req *r, struct http_resp *resp)
{
	int rc;

	if (actor(r, resp) < 0)
		return SERTEL_EAUTH;
	if ((rc = gov_plan_may_read(&r->ra)) < 0) {
		http_error_rc(resp, rc);
		return rc;
	}
	return 0;
}

/* The body as a JSON object (an empty body is {}); *out owned. */
static int
body(json_t **out, struct http_req *r, struct http_resp *resp)
{
	*out = r->body_len == 0 ? json_object() : http_json_body(r, resp);
	if (*out == NULL)
		return SERTEL_EINVAL;
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		http_error(resp, 400, "invalid_input", "expected a JSON object");
		return SERTEL_EINVAL;
	}
	return 0;
}

/* json_unpack_ex in strict mode: unknown, missing or mistyped fields are
 * a 400 naming them. */
static int
unpack(struct http_resp *resp, json_t *j, const char *fmt, ...)
{
	json_error_t err;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = json_vunpack_ex(j, &err, JSON_STRICT, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		http_error(resp, 400, "invalid_input", "%s", err.text);
		return SERTEL_EINVAL;
	}
	return 0;
}

static void
send(struct http_resp *resp, int status, int rc, json_t *j)
{
	if (rc < 0) {
		json_decref(j);
		http_error_rc(resp, rc);
		return;
	}
	http_json(resp, status, j);
}

static void
send_pdf(struct http_resp *resp, unsigned char *pdf, size_t len, const char *name)
{
	resp->status = 200;
	resp->ctype = "application/pdf";
	resp->body = pdf;
	resp->len = len;
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Content-Disposition: attachment; filename=\"%s\"\n", name);
}

/* The query's year (absent: 0), or a 400. */
static int
year_arg(int *out, struct http_req *r, struct http_resp *resp)
{
	const char *y = http_query(r, "year");
	long long v = 0;

	*out = 0;
	if (y != NULL && parse_ll(&v, y, GOV_YEAR_MIN, GOV_YEAR_MAX) < 0) {
		http_error(resp, 400, "invalid_input", "year '%s': expected %d..%d", y,
		           GOV_YEAR_MIN, GOV_YEAR_MAX);
		return SERTEL_EINVAL;
	}
	*out = (int)v;
	return 0;
}

/* A file {"filename", "data": base64} into f (data owned by *data). */
static int
file_arg(struct ra_file *f, unsigned char **data, json_t *j, const char *kind,
         struct http_resp *resp)
{
	const char *name = NULL, *b64 = NULL;
	size_t len = 0;

	*data = NULL;
	if (unpack(resp, j, "{s:s, s:s}", "filename", &name, "data", &b64) < 0)
		return SERTEL_EINVAL;
	if (b64_decode(data, &len, b64, strlen(b64), 0) < 0) {
		http_error(resp, 400, "invalid_input", "%s: data is not valid base64",
		           kind);
		return SERTEL_EINVAL;
	}
	f->kind = kind;
	f->filename = name;
	f->data = *data;
	f->len = len;
	return 0;
}

/* ---- needs ------------------------------------------------------------------ */
struct need_list {
	json_t *arr;
	struct store *st;
};

static int
need_add(const struct gov_need *n, void *arg)
{
	struct need_list *l = arg;
	struct ra_agency ag;
	json_t *j = gov_need_json(n);

	if (j != NULL && ra_agency_get(&ag, l->st, n->agency_id) == 0)
		json_object_set_new(j, "agency", json_string(ag.name));
	return json_array_append_new(l->arr, j);
}

int
api_gov_needs(struct http_req *r, struct http_resp *resp)
{
	struct need_list l = {NULL, r->st};
	struct gov_need n;
	json_t *j = NULL, *out = NULL, *totals = NULL;
	const char *agency = NULL, *why = NULL;
	int year = 0, rc;

	if (actor(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "POST") == 0) {
		if (body(&j, r, resp) < 0 ||
		    unpack(resp, j, "{s:s, s:i, s?s}", "agency", &agency, "year", &year,
		           "justification", &why) < 0)
			goto out;
		if ((rc = gov_need_create(&n, r->st, &r->ra, agency, year, why)) == 0)
			rc = gov_need_full_json(&out, r->st, n.id);
		send(resp, 201, rc, out);
		goto out;
	}
	if (year_arg(&year, r, resp) < 0)
		goto out;
	l.arr = json_array();
	if ((rc = gov_need_iter(r->st, &r->ra, year, http_query(r, "agency"), need_add,
	                        &l)) < 0) {
		json_decref(l.arr);
		http_error_rc(resp, rc);
		goto out;
	}
	out = json_pack("{s:o}", "needs", l.arr);
	/* The region's totals for a year, for whoever reads them. */
	if (year > 0 && gov_need_totals_json(&totals, r->st, &r->ra, year) == 0)
		json_object_set_new(out, "totals", totals);
	sertel_err_clear();
	http_json(resp, 200, out);
out:
	json_decref(j);
	return 0;
}

static int
need_item(struct http_req *r, struct http_resp *resp, const char *id, json_t *j)
{
	struct gov_need_item *it = calloc(1, sizeof(*it));
	const char *type = NULL, *usage = NULL, *sys = "", *why = "";
	json_int_t count = 0;
	int rc;

	if (it == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if (unpack(resp, j, "{s:s, s:s, s:I, s?s, s?s}", "type", &type, "usage", &usage,
	           "count", &count, "system_name", &sys, "justification", &why) < 0) {
		free(it);
		return 1;
	}
	if (str_copy(it->type, sizeof(it->type), type) < 0 ||
	    str_copy(it->usage, sizeof(it->usage), usage) < 0 ||
	    str_copy(it->system_name, sizeof(it->system_name), sys) < 0 ||
	    str_copy(it->justification, sizeof(it->justification), why) < 0)
		rc = sertel_err(SERTEL_ETOOBIG, "item: a field is too long");
	else {
		it->count = count;
		rc = gov_need_item_add(r->st, &r->ra, id, it);
	}
	free(it);
	return rc;
}

static int
need_analysis(struct http_req *r, struct http_resp *resp, const char *id, int idx,
              json_t *j)
{
	struct gov_need_item a;
	const char *src = NULL;
	json_int_t amount = 0;

	memset(&a, 0, sizeof(a));
	if (unpack(resp, j, "{s:i, s:i, s:i, s:I, s:s}", "priority", &a.priority,
	           "planned_year", &a.planned_year, "planned_quarter", &a.planned_quarter,
	           "budget_amount", &amount, "budget_source", &src) < 0)
		return 1;
	a.idx = idx;
	a.budget_amount = amount;
	if (str_copy(a.budget_source, sizeof(a.budget_source), src) < 0)
		return sertel_err(SERTEL_ETOOBIG, "budget_source: at most 64 bytes");
	return gov_need_item_analyse(r->st, &r->ra, id, &a);
}

int
api_gov_need(struct http_req *r, struct http_resp *resp)
{
	const char *rest = r->path + strlen(NEEDS_PREFIX), *slash, *why = NULL;
	char id[17], action[64] = "";
	struct gov_need n;
	json_t *j = NULL, *out = NULL;
	long long idx = 0;
	int rc;

	if (actor(r, resp) < 0)
		return 0;
	slash = strchr(rest, '/');
	if ((size_t)(slash ? slash - rest : (ptrdiff_t)strlen(rest)) >= sizeof(id)) {
		http_error(resp, 404, "not_found", "no such needs record");
		return 0;
	}
	snprintf(id, sizeof(id), "%.*s",
	         (int)(slash ? slash - rest : (ptrdiff_t)strlen(rest)), rest);
	if (slash != NULL)
		snprintf(action, sizeof(action), "%s", slash + 1);
	if ((rc = gov_need_get(&n, r->st, id)) < 0 ||
	    (rc = gov_need_may_read(r->st, &r->ra, &n)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (strcmp(r->method, "GET") == 0) {
		if (action[0] != '\0') {
			http_error(resp, 404, "not_found", "no such resource");
			return 0;
		}
		rc = gov_need_full_json(&out, r->st, id);
		send(resp, 200, rc, out);
		return 0;
	}
	if (body(&j, r, resp) < 0)
		return 0;
	if (strcmp(action, "items") == 0)
		rc = need_item(r, resp, id, j);
	else if (strncmp(action, "items/", 6) == 0) {
		char num[16];
		const char *tail = strchr(action + 6, '/');

		snprintf(
		    num, sizeof(num), "%.*s",
		    (int)(tail ? tail - (action + 6) : (ptrdiff_t)strlen(action + 6)),
		    action + 6);
		if (tail == NULL || parse_ll(&idx, num, 1, 1000) < 0)
			rc = sertel_err(SERTEL_ENOTFOUND, "no such item '%s'", num);
		else if (strcmp(tail, "/remove") == 0)
			rc = unpack(resp, j, "{}") < 0
			         ? 1
			         : gov_need_item_remove(r->st, &r->ra, id, (int)idx);
		else if (strcmp(tail, "/analysis") == 0)
			rc = need_analysis(r, resp, id, (int)idx, j);
		else
			rc = sertel_err(SERTEL_ENOTFOUND, "no such resource");
	} else if (strcmp(action, "submit") == 0 || strcmp(action, "plan") == 0 ||
	           strcmp(action, "reject") == 0 || strcmp(action, "reopen") == 0)
		rc = unpack(resp, j, "{s?s}", "reason", &why) < 0
		         ? 1
		         : gov_need_move(r->st, &r->ra, id, action, why);
	else
		rc = sertel_err(SERTEL_ENOTFOUND, "no such resource '%s'", action);
	/* 1: the 400 is set already. */
	if (rc != 1) {
		if (rc == 0)
			rc = gov_need_full_json(&out, r->st, id);
		send(resp, 200, rc, out);
	}
	json_decref(j);
	return 0;
}

/* ---- plans ------------------------------------------------------------------ */
static int
plan_add(const struct gov_plan *p, void *arg)
{
	return json_array_append_new(arg, gov_plan_json(p));
}

int
api_gov_plans(struct http_req *r, struct http_resp *resp)
{
	struct gov_plan p;
	json_t *j = NULL, *out = NULL;
	const char *title = NULL, *refs = NULL, *why = NULL;
	int start = 0, rc;

	if (reader(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "GET") == 0) {
		out = json_array();
		rc = gov_plan_iter(r->st, plan_add, out);
		send(resp, 200, rc, out);
		return 0;
	}
	if (body(&j, r, resp) < 0 ||
	    unpack(resp, j, "{s:s, s:i, s?s, s:s}", "title", &title, "start_year", &start,
	           "refs", &refs, "reason", &why) < 0)
		goto out;
	if ((rc = gov_plan_create(&p, r->st, &r->ra, title, start, refs, why)) == 0)
		rc = gov_plan_full_json(&out, r->st, p.id,
		                        gov_plan_warn_days(r->ctx->in->cfg), time_now());
	send(resp, 201, rc, out);
out:
	json_decref(j);
	return 0;
}

static int
plan_target(struct http_req *r, struct http_resp *resp, const char *id, const char *yr,
            json_t *j)
{
	struct gov_plan_target *t = calloc(1, sizeof(*t));
	const char *pct = NULL, *act = "", *why = NULL;
	json_int_t sys = 0, svc = 0;
	long long y;
	int rc;

	if (t == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if (parse_ll(&y, yr, GOV_YEAR_MIN, GOV_YEAR_MAX) < 0) {
		free(t);
		return sertel_err(SERTEL_ENOTFOUND, "no such year '%s'", yr);
	}
	if (unpack(resp, j, "{s:s, s:I, s:I, s?s, s:s}", "asn_percent", &pct, "systems",
	           &sys, "services", &svc, "activities", &act, "reason", &why) < 0) {
		free(t);
		return 1;
	}
	t->year = (int)y;
	t->systems = sys;
	t->services = svc;
	if ((rc = gov_percent_parse(&t->asn_bp, pct)) == 0 &&
	    (rc = str_copy(t->activities, sizeof(t->activities), act)) < 0)
		rc = sertel_err(SERTEL_ETOOBIG, "activities: at most %d bytes",
		                GOV_TEXT_MAX);
	if (rc == 0)
		rc = gov_plan_target_set(r->st, &r->ra, id, t, why);
	free(t);
	return rc;
}

static int
plan_doc(struct http_req *r, struct http_resp *resp, const char *id, json_t *j)
{
	struct ra_file f;
	unsigned char *data = NULL;
	const char *why = NULL;
	json_t *file = NULL;
	int rc;

	if (unpack(resp, j, "{s:o, s:s}", "file", &file, "reason", &why) < 0 ||
	    file_arg(&f, &data, file, "rencana", resp) < 0)
		return 1;
	rc = gov_plan_doc_add(r->st, &r->ra, id, &f, why);
	free(data);
	return rc;
}

int
api_gov_plan(struct http_req *r, struct http_resp *resp)
{
	const char *rest = r->path + strlen(PLANS_PREFIX), *slash;
	const char *title = NULL, *refs = NULL, *why = NULL, *date = NULL,
	           *outcome = NULL;
	char id[17];
	json_t *j = NULL, *out = NULL;
	struct gov_plan p;
	int rc;

	if (reader(r, resp) < 0)
		return 0;
	slash = strchr(rest, '/');
	snprintf(id, sizeof(id), "%.*s",
	         (int)(slash ? slash - rest : (ptrdiff_t)strlen(rest)), rest);
	if ((rc = gov_plan_get(&p, r->st, id)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (strcmp(r->method, "GET") == 0) {
		long long idx;
		unsigned char *pdf = NULL;
		size_t len = 0;
		struct gov_plan_doc meta;

		if (slash == NULL) {
			rc = gov_plan_full_json(&out, r->st, id,
			                        gov_plan_warn_days(r->ctx->in->cfg),
			                        time_now());
			send(resp, 200, rc, out);
		} else if (strncmp(slash, "/documents/", 11) == 0 &&
		           parse_ll(&idx, slash + 11, 1, 1000) == 0 &&
		           (rc = gov_plan_doc_get(&pdf, &len, &meta, r->st, id,
		                                  (int)idx)) == 0)
			send_pdf(resp, pdf, len, "rencana.pdf");
		else
			http_error(resp, 404, "not_found", "no such document");
		return 0;
	}
	if (body(&j, r, resp) < 0)
		return 0;
	if (slash == NULL)
		rc = unpack(resp, j, "{s?s, s?s, s:s}", "title", &title, "refs", &refs,
		            "reason", &why) < 0
		         ? 1
		         : gov_plan_update(r->st, &r->ra, id, title, refs, why);
	else if (strncmp(slash, "/targets/", 9) == 0)
		rc = plan_target(r, resp, id, slash + 9, j);
	else if (strcmp(slash, "/documents") == 0)
		rc = plan_doc(r, resp, id, j);
	else if (strcmp(slash, "/reviews") == 0)
		rc = unpack(resp, j, "{s:s, s:s}", "date", &date, "outcome", &outcome) < 0
		         ? 1
		         : gov_plan_review_add(r->st, &r->ra, id, date, outcome);
	else
		rc = sertel_err(SERTEL_ENOTFOUND, "no such resource");
	if (rc != 1) {
		if (rc == 0)
			rc = gov_plan_full_json(&out, r->st, id,
			                        gov_plan_warn_days(r->ctx->in->cfg),
			                        time_now());
		send(resp, 200, rc, out);
	}
	json_decref(j);
	return 0;
}

/* ---- the decree and its scope ------------------------------------------------ */
static int
decree_add(const struct gov_decree *d, void *arg)
{
	return json_array_append_new(arg, gov_decree_json(d));
}

int
api_gov_decrees(struct http_req *r, struct http_resp *resp)
{
	struct gov_decree d;
	struct ra_file f;
	unsigned char *data = NULL;
	const char *number = NULL, *date = NULL, *title = NULL;
	json_t *j = NULL, *file = NULL, *out = NULL;
	int rc;

	if (reader(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "GET") == 0) {
		out = json_array();
		rc = gov_decree_iter(r->st, decree_add, out);
		send(resp, 200, rc, out);
		return 0;
	}
	if (body(&j, r, resp) < 0 ||
	    unpack(resp, j, "{s:s, s:s, s?s, s?o}", "number", &number, "date", &date,
	           "title", &title, "file", &file) < 0 ||
	    (file != NULL && !json_is_null(file) &&
	     file_arg(&f, &data, file, "keputusan", resp) < 0))
		goto out;
	rc = gov_decree_add(&d, r->st, &r->ra, number, date, title,
	                    data != NULL ? &f : NULL);
	send(resp, 201, rc, rc == 0 ? gov_decree_json(&d) : NULL);
out:
	free(data);
	json_decref(j);
	return 0;
}

int
api_gov_decree(struct http_req *r, struct http_resp *resp)
{
	const char *rest = r->path + strlen(DECREES_PREFIX), *slash;
	struct gov_decree d;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char id[17];
	int rc;

	if (reader(r, resp) < 0)
		return 0;
	slash = strchr(rest, '/');
	snprintf(id, sizeof(id), "%.*s",
	         (int)(slash ? slash - rest : (ptrdiff_t)strlen(rest)), rest);
	if ((rc = gov_decree_get(&d, r->st, id)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (slash == NULL)
		http_json(resp, 200, gov_decree_json(&d));
	else if (strcmp(slash, "/pdf") == 0 &&
	         (rc = gov_decree_pdf(&pdf, &len, r->st, d.id)) == 0)
		send_pdf(resp, pdf, len, "keputusan.pdf");
	else
		http_error(resp, 404, "not_found", "no such resource");
	return 0;
}

static int
scope_add(const struct gov_scope *s, void *arg)
{
	return json_array_append_new(arg, gov_scope_json(s));
}

int
api_gov_scope(struct http_req *r, struct http_resp *resp)
{
	const char *agency = NULL, *decree = NULL, *why = NULL;
	struct gov_scope s;
	json_t *j = NULL, *out = NULL;
	int rc;

	if (reader(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "GET") == 0 && strcmp(r->path, "/api/v1/gov/scope") == 0) {
		out = json_array();
		rc = gov_scope_iter(r->st, scope_add, out);
		send(resp, 200, rc, out);
		return 0;
	}
	if (strcmp(r->path, "/api/v1/gov/scope") == 0) {
		if (body(&j, r, resp) < 0 ||
		    unpack(resp, j, "{s:s, s:s, s?s}", "agency", &agency, "decree",
		           &decree, "reason", &why) < 0)
			goto out;
		if ((rc = gov_scope_add(r->st, &r->ra, agency, decree, why)) == 0)
			rc = gov_scope_get(&s, r->st, agency);
		send(resp, 201, rc, rc == 0 ? gov_scope_json(&s) : NULL);
		goto out;
	}
	/* /api/v1/gov/scope/{agency}[/remove] */
	{
		char ag[SERTEL_MAX_NAME];
		const char *rest = r->path + strlen(SCOPE_PREFIX),
		           *slash = strchr(rest, '/');

		snprintf(ag, sizeof(ag), "%.*s",
		         (int)(slash ? slash - rest : (ptrdiff_t)strlen(rest)), rest);
		if (strcmp(r->method, "GET") == 0 && slash == NULL)
			rc = gov_scope_get(&s, r->st, ag);
		else if (strcmp(r->method, "POST") == 0 && slash != NULL &&
		         strcmp(slash, "/remove") == 0) {
			if (body(&j, r, resp) < 0 ||
			    unpack(resp, j, "{s:s}", "reason", &why) < 0)
				goto out;
			if ((rc = gov_scope_remove(r->st, &r->ra, ag, why)) == 0)
				rc = gov_scope_get(&s, r->st, ag);
		} else
			rc = sertel_err(SERTEL_ENOTFOUND, "no such resource");
		send(resp, 200, rc, rc == 0 ? gov_scope_json(&s) : NULL);
	}
out:
	json_decref(j);
	return 0;
}
