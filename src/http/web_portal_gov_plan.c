/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: an agency's needs per year (/kebutuhan), the master plan and
 * road map (/rencana) and the decree (/keputusan), issue 13.  The rules
 * (who may, in which state) are src/gov's: these pages ask gov_need_may()
 * which controls to offer and pass the actor to the same functions the
 * CLI and the API call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gov/gov.h"
#include "http/web_portal.h"

#define GOV_READERS                                                                      \
	(ROLE_KEPALA_PD | ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN)

static int
this_year(void)
{
	struct tm tm;
	time_t t = (time_t)time_now();

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* Rupiah as people write them: 60.000.000 (out: 32 bytes). */
static void
rupiah(char out[32], int64_t v)
{
	char digits[24];
	int n, i, o = 0;

	n = snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? 0 : v));
	for (i = 0; i < n && o < 30; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* A field of the form, "" when absent. */
static const char *
field(struct page *pg, const char *name)
{
	const char *v = web_form_get(&pg->form, name);

	return v ? v : "";
}

static int
num_field(long long *out, const char *v, long long min, long long max)
{
	return parse_ll(out, v ? v : "", min, max);
}

static void
flash(struct page *pg, const char *prefix)
{
	const char *ok = http_query(pg->r, "ok");
	char key[64];

	if (ok == NULL || strlen(ok) > 24 ||
	    strspn(ok, "abcdefghijklmnopqrstuvwxyz-") != strlen(ok))
		return;
	snprintf(key, sizeof(key), "%s%s", prefix, ok);
	if (wp_text(pg, key) != NULL)
		json_object_set_new(
		    pg->ctx, "flash",
		    json_pack("{s:s, s:s}", "kind", "ok", "text", wp_text(pg, key)));
}

/* The review banner on the Kepala Dinas's governance pages (Cirebon 9(4)):
 * the plan in force, due or late. */
void
wp_gov_review_banner(struct page *pg)
{
	enum gov_review_status rs;
	struct gov_plan p;
	int64_t since;
	char by[WP_TIME_MAX];

	if (!(pg->who.roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN)) ||
	    gov_plan_for_year(&p, pg->r->st, this_year()) < 0 ||
	    gov_plan_review_status(&rs, &since, pg->r->st, p.id,
	                           gov_plan_warn_days(pg->r->ctx->in->cfg),
	                           time_now()) < 0 ||
	    rs == GOV_REVIEW_OK) {
		sertel_err_clear();
		return;
	}
	wp_time(by, pg, since + 365 * 86400LL, 0);
	json_object_set_new(pg->ctx, "review_banner",
	                    json_pack("{s:b, s:s, s:s}", "late", rs == GOV_REVIEW_LATE,
	                              "by", by, "plan", p.id));
}

/* A PDF as the answer (data owned by the page from here on). */
static int
pdf_answer(struct page *pg, unsigned char *data, size_t len, const char *name)
{
	char disp[128];

	free(pg->resp->body);
	pg->resp->body = data;
	pg->resp->len = len;
	pg->resp->status = 200;
	pg->resp->ctype = "application/pdf";
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	wp_header_add(
	    pg, "%s",
	    "Content-Security-Policy: default-src 'none'\nCache-Control: no-store\n");
	return 0;
}

/* ---- needs ------------------------------------------------------------------ */
struct need_rows {
	struct page *pg;
	json_t *arr;
	int mine; /* a record of the year exists for the head's own agency */
	const char *own;
};

static int
need_row(const struct gov_need *n, void *arg)
{
	struct need_rows *l = arg;
	struct ra_agency ag;
	struct gov_scope sc;
	char when[WP_TIME_MAX];

	memset(&ag, 0, sizeof(ag));
	memset(&sc, 0, sizeof(sc));
	ra_agency_get(&ag, l->pg->r->st, n->agency_id);
	gov_scope_get(&sc, l->pg->r->st, n->agency_id);
	sertel_err_clear();
	wp_time(when, l->pg, n->updated_at, 1);
	if (l->own != NULL && strcmp(l->own, n->agency_id) == 0)
		l->mine = 1;
	json_array_append_new(
	    l->arr,
	    json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:I, s:s, s:s}", "id", n->id,
	              "agency", ag.name, "year", n->year, "state", n->state,
	              "state_label", wp_msg(l->pg, "gneeds.state.", n->state), "items",
	              (json_int_t)n->items, "total", (json_int_t)n->total, "updated",
	              when, "scope", sc.number));
	return 0;
}

struct total_rows {
	struct page *pg;
	json_t *arr;
};

static int
total_row(const struct gov_need_total *t, void *arg)
{
	struct total_rows *l = arg;
	char rp[32];

	rupiah(rp, t->budget);
	json_array_append_new(l->arr,
	                      json_pack("{s:s, s:o, s:I, s:s}", "type",
	                                wp_msg(l->pg, "type.", t->type), "usage",
	                                wp_usage_json(l->pg, t->usage, NULL), "count",
	                                (json_int_t)t->count, "budget", rp));
	return 0;
}

static int
page_needs(struct page *pg)
{
	struct need_rows l = {pg, json_array(), 0, NULL};
	struct total_rows t = {pg, json_array()};
	const char *y = http_query(pg->r, "tahun");
	char own[17] = "";
	long long year = this_year();
	int rc;

	if (y != NULL && num_field(&year, y, GOV_YEAR_MIN, GOV_YEAR_MAX) < 0) {
		json_decref(l.arr);
		json_decref(t.arr);
		return wp_error(pg, 400, wp_msg(pg, "", "gneeds.bad.year"));
	}
	if ((rc = gov_actor_agency(own, pg->r->st, &pg->who)) < 0)
		goto fail;
	if (pg->who.roles & ROLE_KEPALA_PD)
		l.own = own;
	if ((rc = gov_need_iter(pg->r->st, &pg->who, (int)year, NULL, need_row, &l)) < 0)
		goto fail;
	json_object_set_new(pg->ctx, "has_needs",
	                    json_boolean(json_array_size(l.arr) > 0));
	if (gov_need_totals(pg->r->st, &pg->who, (int)year, total_row, &t) == 0) {
		json_object_set_new(pg->ctx, "has_totals",
		                    json_boolean(json_array_size(t.arr) > 0));
		json_object_set_new(pg->ctx, "totals", t.arr);
	} else
		json_decref(t.arr);
	t.arr = NULL;
	sertel_err_clear();
	json_object_set_new(pg->ctx, "needs", l.arr);
	json_object_set_new(pg->ctx, "year", json_integer(year));
	json_object_set_new(pg->ctx, "prev", json_integer(year - 1));
	json_object_set_new(pg->ctx, "next", json_integer(year + 1));
	/* The head of an agency creates its record for the year. */
	if ((pg->who.roles & ROLE_KEPALA_PD) && own[0] != '\0' && !l.mine) {
		struct ra_agency ag;

		if (ra_agency_get(&ag, pg->r->st, own) == 0)
			json_object_set_new(pg->ctx, "create",
			                    json_pack("{s:s, s:s}", "agency_id", ag.id,
			                              "agency", ag.name));
	}
	wp_gov_review_banner(pg);
	flash(pg, "gneeds.ok.");
	return wp_render(pg, 200, "gov-needs", "gneeds.title");
fail:
	json_decref(l.arr);
	json_decref(t.arr);
	return wp_rule_error(pg, rc, "gneeds.refused");
}

struct item_rows {
	struct page *pg;
	json_t *arr;
	int may_edit, may_analyse;
	int year;
};

static int
item_row(const struct gov_need_item *it, void *arg)
{
	struct item_rows *l = arg;
	json_t *j = json_pack("{s:i, s:s, s:o, s:I, s:s, s:s, s:b, s:b, s:i, s:i}", "idx",
	                      it->idx, "type", wp_msg(l->pg, "type.", it->type), "usage",
	                      wp_usage_json(l->pg, it->usage, NULL), "count",
	                      (json_int_t)it->count, "system", it->system_name,
	                      "justification", it->justification, "may_edit", l->may_edit,
	                      "may_analyse", l->may_analyse, "year",
	                      it->planned_year ? it->planned_year : l->year, "quarter",
	                      it->planned_quarter ? it->planned_quarter : 1);

	char rp[32];

	rupiah(rp, it->budget_amount);
	if (it->priority > 0)
		json_object_set_new(j, "analysis",
		                    json_pack("{s:i, s:i, s:i, s:s, s:s}", "priority",
		                              it->priority, "planned_year",
		                              it->planned_year, "quarter",
		                              it->planned_quarter, "budget", rp, "source",
		                              it->budget_source));
	json_array_append_new(l->arr, j);
	return 0;
}

static json_t *
usage_options(struct page *pg)
{
	json_t *arr = json_array();
	int i, j, n;

	for (i = 0; i < WP_APP_TYPES; i++) {
		const char *const *c = ra_usage_choices(wp_app_types[i], &n);

		for (j = 0; j < n; j++) {
			json_t *u = wp_usage_json(pg, c[j], NULL);

			json_object_set_new(u, "type", json_string(wp_app_types[i]));
			json_array_append_new(arr, u);
		}
	}
	return arr;
}

static int
need_page(struct page *pg, const char *id, int status, const char *form_error)
{
	struct gov_need n;
	struct ra_agency ag;
	struct item_rows l = {pg, NULL, 0, 0, 0};
	json_t *types = json_array();
	char when[WP_TIME_MAX], err[600] = "";
	int rc, i;

	/* The message lives in the error buffer the checks below clear. */
	if (form_error != NULL)
		snprintf(err, sizeof(err), "%s", form_error);
	if ((rc = gov_need_get(&n, pg->r->st, id)) < 0 ||
	    (rc = gov_need_may_read(pg->r->st, &pg->who, &n)) < 0 ||
	    (rc = ra_agency_get(&ag, pg->r->st, n.agency_id)) < 0) {
		json_decref(types);
		return wp_rule_error(pg, rc, "gneeds.refused");
	}
	l.may_edit = gov_need_may(pg->r->st, &pg->who, &n, "edit") == 0;
	l.may_analyse = gov_need_may(pg->r->st, &pg->who, &n, "analyse") == 0;
	l.year = n.year;
	l.arr = json_array();
	if ((rc = gov_need_items(pg->r->st, n.id, item_row, &l)) < 0) {
		json_decref(types);
		json_decref(l.arr);
		return wp_rule_error(pg, rc, "gneeds.refused");
	}
	for (i = 0; i < WP_APP_TYPES; i++)
		json_array_append_new(
		    types, json_pack("{s:s, s:s}", "value", wp_app_types[i], "label",
		                     wp_msg(pg, "type.", wp_app_types[i])));
	wp_time(when, pg, n.submitted_at, 1);
	json_object_set_new(
	    pg->ctx, "need",
	    json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "id", n.id,
	              "agency", ag.name, "year", n.year, "state", n.state, "state_label",
	              wp_msg(pg, "gneeds.state.", n.state), "justification",
	              n.justification, "reason", n.reason, "items", (json_int_t)n.items,
	              "total", (json_int_t)n.total, "submitted", when));
	json_object_set_new(pg->ctx, "has_items",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "items", l.arr);
	json_object_set_new(pg->ctx, "types", types);
	json_object_set_new(pg->ctx, "usages", usage_options(pg));
	json_object_set_new(pg->ctx, "may_edit", json_boolean(l.may_edit));
	json_object_set_new(
	    pg->ctx, "may_submit",
	    json_boolean(l.may_edit && n.items > 0 &&
	                 gov_need_may(pg->r->st, &pg->who, &n, "submit") == 0));
	json_object_set_new(
	    pg->ctx, "may_plan",
	    json_boolean(gov_need_may(pg->r->st, &pg->who, &n, "plan") == 0));
	json_object_set_new(
	    pg->ctx, "may_reject",
	    json_boolean(gov_need_may(pg->r->st, &pg->who, &n, "reject") == 0));
	json_object_set_new(
	    pg->ctx, "may_reopen",
	    json_boolean(gov_need_may(pg->r->st, &pg->who, &n, "reopen") == 0));
	if (form_error != NULL) {
		char msg[700];

		snprintf(msg, sizeof(msg), "%s: %s", wp_msg(pg, "", "gneeds.refused"),
		         err);
		json_object_set_new(pg->ctx, "form_error", json_string(msg));
	}
	wp_gov_review_banner(pg);
	flash(pg, "gneeds.ok.");
	return wp_render(pg, status, "gov-needs-one", "gneeds.one.title");
}

static int
page_need(struct page *pg)
{
	const char *id = pg->sub + strlen("/kebutuhan/");

	if (strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	return need_page(pg, id, 200, NULL);
}

/* The item of the form (add-item), checked by gov_need_item_add. */
static int
need_item_add(struct page *pg, const char *id)
{
	struct gov_need_item *it = calloc(1, sizeof(*it));
	long long count;
	int rc;

	if (it == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	/* Bahasa Indonesia first for what a form field says wrong; the rule
	 * (count >= 0) is gov_need_item_add's too. */
	if (num_field(&count, web_form_get(&pg->form, "jumlah"), 0, 1000000) < 0)
		rc = sertel_err(SERTEL_EINVAL, "%s", wp_msg(pg, "", "gneeds.bad.count"));
	else if (str_copy(it->type, sizeof(it->type), field(pg, "jenis")) < 0 ||
	         str_copy(it->usage, sizeof(it->usage), field(pg, "penggunaan")) < 0 ||
	         str_copy(it->system_name, sizeof(it->system_name), field(pg, "sistem")) <
	             0 ||
	         str_copy(it->justification, sizeof(it->justification),
	                  field(pg, "alasan")) < 0)
		rc = sertel_err(SERTEL_ETOOBIG, "%s", wp_msg(pg, "", "gneeds.bad.long"));
	else {
		it->count = count;
		rc = gov_need_item_add(pg->r->st, &pg->who, id, it);
	}
	free(it);
	return rc;
}

static int
need_analyse(struct page *pg, const char *id)
{
	struct gov_need_item a;
	long long idx, prio, year, q, amount;

	memset(&a, 0, sizeof(a));
	if (num_field(&idx, web_form_get(&pg->form, "butir"), 1, 1000) < 0 ||
	    num_field(&prio, web_form_get(&pg->form, "prioritas"), -100, 100) < 0 ||
	    num_field(&year, web_form_get(&pg->form, "tahun"), 0, 9999) < 0 ||
	    num_field(&q, web_form_get(&pg->form, "triwulan"), -100, 100) < 0 ||
	    num_field(&amount, web_form_get(&pg->form, "anggaran"), -GOV_BUDGET_MAX,
	              GOV_BUDGET_MAX * 10) < 0)
		return sertel_err(SERTEL_EINVAL, "%s",
		                  wp_msg(pg, "", "gneeds.bad.analysis"));
	a.idx = (int)idx;
	a.priority = (int)prio;
	a.planned_year = (int)year;
	a.planned_quarter = (int)q;
	a.budget_amount = amount;
	if (str_copy(a.budget_source, sizeof(a.budget_source), field(pg, "sumber")) < 0)
		return sertel_err(SERTEL_ETOOBIG, "%s",
		                  wp_msg(pg, "", "gneeds.bad.long"));
	return gov_need_item_analyse(pg->r->st, &pg->who, id, &a);
}

static int
page_needs_post(struct page *pg)
{
	const char *rest = pg->sub + strlen("/kebutuhan/"), *slash;
	char id[17] = "", loc[96];
	const char *what;
	long long v;
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if (strcmp(rest, "baru") == 0) {
		struct gov_need n;

		if (num_field(&v, web_form_get(&pg->form, "tahun"), GOV_YEAR_MIN,
		              GOV_YEAR_MAX) < 0)
			return wp_error(pg, 400, wp_msg(pg, "", "gneeds.bad.year"));
		if ((rc = gov_need_create(&n, pg->r->st, &pg->who, field(pg, "instansi"),
		                          (int)v, field(pg, "alasan"))) < 0)
			return wp_rule_error(pg, rc, "gneeds.refused");
		snprintf(loc, sizeof(loc), "/kebutuhan/%s?ok=baru", n.id);
		return wp_redirect(pg, loc);
	}
	slash = strchr(rest, '/');
	if (slash == NULL || slash - rest != 16)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(id, rest, 16);
	what = slash + 1;
	if (strcmp(what, "butir") == 0)
		rc = need_item_add(pg, id);
	else if (strcmp(what, "hapus-butir") == 0)
		rc = num_field(&v, web_form_get(&pg->form, "butir"), 1, 1000) < 0
		         ? sertel_err(SERTEL_EINVAL, "%s", wp_msg(pg, "", "error.title"))
		         : gov_need_item_remove(pg->r->st, &pg->who, id, (int)v);
	else if (strcmp(what, "analisis") == 0)
		rc = need_analyse(pg, id);
	else if (strcmp(what, "ajukan") == 0)
		rc = gov_need_move(pg->r->st, &pg->who, id, "submit", NULL);
	else if (strcmp(what, "rencanakan") == 0)
		rc = gov_need_move(pg->r->st, &pg->who, id, "plan",
		                   *field(pg, "alasan") ? field(pg, "alasan") : NULL);
	else if (strcmp(what, "tolak") == 0)
		rc =
		    gov_need_move(pg->r->st, &pg->who, id, "reject", field(pg, "alasan"));
	else if (strcmp(what, "buka") == 0)
		rc =
		    gov_need_move(pg->r->st, &pg->who, id, "reopen", field(pg, "alasan"));
	else
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if (rc == SERTEL_EINVAL || rc == SERTEL_ETOOBIG)
		/* Bad input: the form again, with the rule's words. */
		return need_page(pg, id, 400, sertel_errmsg());
	if (rc < 0)
		return wp_rule_error(pg, rc, "gneeds.refused");
	snprintf(loc, sizeof(loc), "/kebutuhan/%s?ok=%s", id, what);
	return wp_redirect(pg, loc);
}

/* ---- the plan ---------------------------------------------------------------- */
static int
plan_row(const struct gov_plan *p, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:i, s:i}", "id", p->id, "title",
	                                     p->title, "start", p->start_year, "end",
	                                     p->end_year));
	return 0;
}

/* The plan's JSON (gov_plan_full_json) made readable: percent from basis
 * points, local dates. */
static void
plan_shown(struct page *pg, json_t *j)
{
	json_t *t, *d;
	size_t i;
	const char *st = json_string_value(json_object_get(j, "review_status"));
	char when[WP_TIME_MAX], pct[48];
	int64_t by;

	json_array_foreach(json_object_get(j, "targets"), i, t)
	{
		long long bp =
		    (long long)json_integer_value(json_object_get(t, "asn_bp"));

		snprintf(pct, sizeof(pct), "%lld%c%02lld", bp / 100,
		         pg->lang == WEB_LANG_ID ? ',' : '.', bp % 100);
		json_object_set_new(t, "asn_pct", json_string(pct));
	}
	json_array_foreach(json_object_get(j, "reviews"), i, d)
	{
		int64_t at = 0;

		time_parse(&at, json_string_value(json_object_get(d, "date")));
		wp_time(when, pg, at, 0);
		json_object_set_new(d, "shown", json_string(when));
	}
	time_parse(&by, json_string_value(json_object_get(j, "review_by")));
	wp_time(when, pg, by, 0);
	json_object_set_new(j, "review_by_shown", json_string(when));
	json_object_set_new(j, "review_label",
	                    json_string(wp_msg(pg, "gplan.review.", st)));
	json_object_set_new(j, "review_ok", json_boolean(strcmp(st, "ok") == 0));
}

static int
page_plan(struct page *pg)
{
	const char *id = http_query(pg->r, "id");
	struct gov_plan p;
	json_t *plans = json_array(), *full = NULL;
	int rc, decides = (pg->who.roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN)) != 0;

	if ((rc = gov_plan_may_read(&pg->who)) < 0 ||
	    (rc = gov_plan_iter(pg->r->st, plan_row, plans)) < 0) {
		json_decref(plans);
		return wp_rule_error(pg, rc, "gplan.refused");
	}
	json_object_set_new(pg->ctx, "has_plans",
	                    json_boolean(json_array_size(plans) > 0));
	json_object_set_new(pg->ctx, "plans", plans);
	rc = id != NULL ? gov_plan_get(&p, pg->r->st, id)
	                : gov_plan_for_year(&p, pg->r->st, this_year());
	if (rc == 0 && (rc = gov_plan_full_json(&full, pg->r->st, p.id,
	                                        gov_plan_warn_days(pg->r->ctx->in->cfg),
	                                        time_now())) == 0) {
		plan_shown(pg, full);
		json_object_set_new(pg->ctx, "plan", full);
	} else if (rc != SERTEL_ENOTFOUND)
		return wp_rule_error(pg, rc, "gplan.refused");
	sertel_err_clear();
	json_object_set_new(pg->ctx, "decides", json_boolean(decides));
	json_object_set_new(pg->ctx, "start_default", json_integer(this_year()));
	wp_gov_review_banner(pg);
	flash(pg, "gplan.ok.");
	return wp_render(pg, 200, "gov-plan", "gplan.title");
}

static int
page_plan_doc(struct page *pg)
{
	const char *rest = pg->sub + strlen("/rencana/"), *slash = strchr(rest, '/');
	struct gov_plan_doc meta;
	unsigned char *data = NULL;
	size_t len = 0;
	char id[17] = "";
	long long idx;
	int rc;

	if ((rc = gov_plan_may_read(&pg->who)) < 0)
		return wp_rule_error(pg, rc, "gplan.refused");
	if (slash == NULL || slash - rest != 16 || strncmp(slash, "/dokumen/", 9) != 0 ||
	    num_field(&idx, slash + 9, 1, 1000) < 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(id, rest, 16);
	if ((rc = gov_plan_doc_get(&data, &len, &meta, pg->r->st, id, (int)idx)) < 0)
		return wp_rule_error(pg, rc, "gplan.refused");
	return pdf_answer(pg, data, len, "rencana.pdf");
}

static int
plan_target(struct page *pg, const char *id)
{
	struct gov_plan_target *t = calloc(1, sizeof(*t));
	long long y, sys, svc;
	int rc;

	if (t == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if (num_field(&y, web_form_get(&pg->form, "tahun"), GOV_YEAR_MIN, GOV_YEAR_MAX) <
	        0 ||
	    num_field(&sys, web_form_get(&pg->form, "sistem"), -1000000000, 1000000000) <
	        0 ||
	    num_field(&svc, web_form_get(&pg->form, "layanan"), -1000000000, 1000000000) <
	        0)
		rc = sertel_err(SERTEL_EINVAL, "%s", wp_msg(pg, "", "gplan.bad.number"));
	else if ((rc = gov_percent_parse(&t->asn_bp, field(pg, "asn"))) == 0) {
		t->year = (int)y;
		t->systems = sys;
		t->services = svc;
		if (str_copy(t->activities, sizeof(t->activities),
		             field(pg, "kegiatan")) < 0)
			rc = sertel_err(SERTEL_ETOOBIG, "%s",
			                wp_msg(pg, "", "gneeds.bad.long"));
		else
			rc = gov_plan_target_set(pg->r->st, &pg->who, id, t,
			                         field(pg, "alasan"));
	}
	free(t);
	return rc;
}

/* The one multipart form: a PDF document of the plan. */
static int
plan_doc_post(struct page *pg, const char *id)
{
	struct http_multipart m;
	struct http_part *f;
	struct ra_file rf;
	char loc[96];
	int rc;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	f = http_multipart_get(&m, "berkas");
	if (f == NULL || !f->is_file || f->val.len == 0) {
		http_multipart_free(&m);
		return wp_error(pg, 400, wp_msg(pg, "", "gplan.bad.file"));
	}
	rf.kind = "rencana";
	rf.data = f->val.data;
	rf.len = f->val.len;
	rf.filename = f->filename;
	rc = gov_plan_doc_add(pg->r->st, &pg->who, id, &rf,
	                      http_multipart_text(&m, "alasan"));
	http_multipart_free(&m);
	if (rc < 0)
		return wp_rule_error(pg, rc, "gplan.refused");
	snprintf(loc, sizeof(loc), "/rencana?id=%s&ok=dokumen", id);
	return wp_redirect(pg, loc);
}

static int
page_plan_post(struct page *pg)
{
	const char *rest = pg->sub + strlen("/rencana/"), *slash = strchr(rest, '/');
	char id[17] = "", loc[96];
	const char *what;
	long long v;
	int rc;

	if (slash != NULL && slash - rest == 16 && strcmp(slash, "/dokumen") == 0) {
		memcpy(id, rest, 16);
		return plan_doc_post(pg, id);
	}
	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if (strcmp(rest, "baru") == 0) {
		struct gov_plan p;

		if (num_field(&v, web_form_get(&pg->form, "mulai"), GOV_YEAR_MIN,
		              GOV_YEAR_MAX) < 0)
			return wp_error(pg, 400, wp_msg(pg, "", "gneeds.bad.year"));
		if ((rc = gov_plan_create(&p, pg->r->st, &pg->who, field(pg, "judul"),
		                          (int)v, field(pg, "acuan"),
		                          field(pg, "alasan"))) < 0)
			return wp_rule_error(pg, rc, "gplan.refused");
		snprintf(loc, sizeof(loc), "/rencana?id=%s&ok=baru", p.id);
		return wp_redirect(pg, loc);
	}
	if (slash == NULL || slash - rest != 16)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(id, rest, 16);
	what = slash + 1;
	if (strcmp(what, "ubah") == 0)
		rc = gov_plan_update(pg->r->st, &pg->who, id, NULL, field(pg, "acuan"),
		                     field(pg, "alasan"));
	else if (strcmp(what, "target") == 0)
		rc = plan_target(pg, id);
	else if (strcmp(what, "reviu") == 0)
		rc = gov_plan_review_add(pg->r->st, &pg->who, id, field(pg, "tanggal"),
		                         field(pg, "hasil"));
	else
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if (rc < 0)
		return wp_rule_error(pg, rc, "gplan.refused");
	snprintf(loc, sizeof(loc), "/rencana?id=%s&ok=%s", id, what);
	return wp_redirect(pg, loc);
}

/* ---- the decree ---------------------------------------------------------------- */
static int
decree_row(const struct gov_decree *d, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", d->id,
	                                     "number", d->number, "date", d->date,
	                                     "title", d->title, "has_pdf", d->has_pdf));
	return 0;
}

struct scope_rows {
	struct page *pg;
	json_t *arr;
};

static int
scope_row(const struct gov_scope *s, void *arg)
{
	struct scope_rows *l = arg;
	char when[WP_TIME_MAX];

	wp_time(when, l->pg, s->since, 0);
	json_array_append_new(l->arr,
	                      json_pack("{s:s, s:s, s:s, s:s, s:s}", "agency_id",
	                                s->agency_id, "agency", s->agency_name, "number",
	                                s->number, "date", s->date, "since", when));
	return 0;
}

static int
page_decree(struct page *pg)
{
	struct scope_rows l = {pg, json_array()};
	json_t *decrees = json_array(), *agencies = json_array();
	int rc;

	if ((rc = gov_plan_may_read(&pg->who)) < 0 ||
	    (rc = gov_decree_iter(pg->r->st, decree_row, decrees)) < 0 ||
	    (rc = gov_scope_iter(pg->r->st, scope_row, &l)) < 0 ||
	    (rc = wp_agency_options(pg, agencies, NULL)) < 0) {
		json_decref(l.arr);
		json_decref(decrees);
		json_decref(agencies);
		return wp_rule_error(pg, rc, "gdecree.refused");
	}
	json_object_set_new(pg->ctx, "has_decrees",
	                    json_boolean(json_array_size(decrees) > 0));
	json_object_set_new(pg->ctx, "has_scope",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "decrees", decrees);
	json_object_set_new(pg->ctx, "scope", l.arr);
	json_object_set_new(pg->ctx, "agencies", agencies);
	json_object_set_new(
	    pg->ctx, "decides",
	    json_boolean(pg->who.roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN)));
	wp_gov_review_banner(pg);
	flash(pg, "gdecree.ok.");
	return wp_render(pg, 200, "gov-decree", "gdecree.title");
}

static int
page_decree_pdf(struct page *pg)
{
	const char *rest = pg->sub + strlen("/keputusan/");
	unsigned char *data = NULL;
	size_t len = 0;
	char id[17] = "";
	int rc;

	if ((rc = gov_plan_may_read(&pg->who)) < 0)
		return wp_rule_error(pg, rc, "gdecree.refused");
	if (strlen(rest) != 20 || strcmp(rest + 16, "/pdf") != 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(id, rest, 16);
	if ((rc = gov_decree_pdf(&data, &len, pg->r->st, id)) < 0)
		return wp_rule_error(pg, rc, "gdecree.refused");
	return pdf_answer(pg, data, len, "keputusan.pdf");
}

static int
decree_add_post(struct page *pg)
{
	struct http_multipart m;
	struct http_part *f;
	struct ra_file rf;
	struct gov_decree d;
	int rc, with_pdf;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	f = http_multipart_get(&m, "berkas");
	with_pdf = f != NULL && f->is_file && f->val.len > 0;
	if (with_pdf) {
		rf.kind = "keputusan";
		rf.data = f->val.data;
		rf.len = f->val.len;
		rf.filename = f->filename;
	}
	rc = gov_decree_add(&d, pg->r->st, &pg->who, http_multipart_text(&m, "nomor"),
	                    http_multipart_text(&m, "tanggal"),
	                    http_multipart_text(&m, "judul"), with_pdf ? &rf : NULL);
	http_multipart_free(&m);
	if (rc < 0)
		return wp_rule_error(pg, rc, "gdecree.refused");
	return wp_redirect(pg, "/keputusan?ok=baru");
}

static int
page_decree_post(struct page *pg)
{
	const char *what = pg->sub + strlen("/keputusan/");
	char loc[64];
	int rc;

	if (strcmp(what, "baru") == 0)
		return decree_add_post(pg);
	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if (strcmp(what, "cakupan") == 0)
		rc = gov_scope_add(pg->r->st, &pg->who, field(pg, "instansi"),
		                   field(pg, "keputusan"), field(pg, "alasan"));
	else if (strcmp(what, "keluarkan") == 0)
		rc = gov_scope_remove(pg->r->st, &pg->who, field(pg, "instansi"),
		                      field(pg, "alasan"));
	else
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if (rc < 0)
		return wp_rule_error(pg, rc, "gdecree.refused");
	snprintf(loc, sizeof(loc), "/keputusan?ok=%s", what);
	return wp_redirect(pg, loc);
}

WP_ROUTES(wp_routes_gov_plan, {"GET", "/kebutuhan", 1, GOV_READERS, page_needs, NULL},
          {"GET", "/kebutuhan/", 1, GOV_READERS, page_need, NULL},
          {"POST", "/kebutuhan/", 1, GOV_READERS, page_needs_post, NULL},
          {"GET", "/rencana", 1, GOV_READERS, page_plan, NULL},
          {"GET", "/rencana/", 1, GOV_READERS, page_plan_doc, NULL},
          {"POST", "/rencana/", 1, GOV_READERS, page_plan_post, NULL},
          {"GET", "/keputusan", 1, GOV_READERS, page_decree, NULL},
          {"GET", "/keputusan/", 1, GOV_READERS, page_decree_pdf, NULL},
          {"POST", "/keputusan/", 1, GOV_READERS, page_decree_post, NULL}, );
