/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal's governance pages of the report helper (issue 13):
 *   /tata-kelola   the hub: today's figures (gov_hub_get) and a link to
 *                  each governance area for the roles that may open it
 *   /laporan       the annual evaluation report (Cirebon 23, Denpasar
 *                  24): a year, its figures, JSON / CSV / draft downloads,
 *                  the Kepala Dinas's signing form, the signed reports
 * The rules (who reads, who signs) are src/gov's; this file only reads the
 * form and renders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esign/esign.h"
#include "gov/gov.h"
#include "http/web_portal.h"
#include "http/web_portal_owner.h"
#include "instance/instance.h"

/* Who opens the hub, and who reads the report (gov_report_may_read). */
#define HUB_ROLES                                                                        \
	(ROLE_KEPALA_DINAS | ROLE_OPERATOR | ROLE_KEPALA_PD | ROLE_AUDITOR | ROLE_ADMIN)
#define REPORT_ROLES (ROLE_KEPALA_DINAS | ROLE_OPERATOR | ROLE_AUDITOR | ROLE_ADMIN)

/* The governance areas, each shown to the roles that may open it (the
 * pages are the other governance areas', reached by these URLs). */
static const struct {
	const char *href; /* below /portal */
	const char *label, *help;
	unsigned roles;
} areas[] = {
    {"/kebutuhan", "gov.hub.needs", "gov.hub.needs.help", HUB_ROLES},
    {"/rencana", "gov.hub.plan", "gov.hub.plan.help", HUB_ROLES},
    {"/keputusan", "gov.hub.decree", "gov.hub.decree.help", HUB_ROLES},
    {"/cakupan", "gov.hub.coverage", "gov.hub.coverage.help", HUB_ROLES},
    {"/sistem", "gov.hub.systems", "gov.hub.systems.help", HUB_ROLES},
    {"/insiden", "gov.hub.incidents", "gov.hub.incidents.help", HUB_ROLES},
    {"/pengaduan", "gov.hub.tickets", "gov.hub.tickets.help", HUB_ROLES},
    {"/panduan", "gov.hub.guidance", "gov.hub.guidance.help",
     ROLE_KEPALA_DINAS | ROLE_ADMIN},
    {"/laporan", "gov.hub.report", "gov.hub.report.help", REPORT_ROLES},
};

/* "18,2%" of holders among headcount ("-" without ASN). */
static void
share_text(char *out, size_t outsz, int64_t holders, int64_t headcount)
{
	int64_t tenths = headcount > 0 ? holders * 1000 / headcount : 0;

	if (headcount <= 0)
		snprintf(out, outsz, "-");
	else
		snprintf(out, outsz, "%lld,%lld%%", (long long)(tenths / 10),
		         (long long)(tenths % 10));
}

static int
page_hub(struct page *pg)
{
	struct gov_hub h;
	struct ra_agency ag;
	json_t *arr = json_array();
	char share[48];
	size_t i;
	int rc;

	if ((rc = gov_hub_get(&h, pg->r->st, &pg->who)) < 0) {
		json_decref(arr);
		return wp_rule_error(pg, rc, "gov.hub.err");
	}
	share_text(share, sizeof(share), h.coverage.holders, h.coverage.headcount);
	if (!h.region && ra_agency_get(&ag, pg->r->st, h.agency_id) < 0) {
		str_copy(ag.name, sizeof(ag.name), h.agency_id);
		sertel_err_clear();
	}
	json_object_set_new(
	    pg->ctx, "hub",
	    json_pack(
	        "{s:b, s:s, s:I, s:I, s:s, s:I, s:I, s:I}", "region", h.region, "agency",
	        h.region ? "" : ag.name, "headcount", (json_int_t)h.coverage.headcount,
	        "holders", (json_int_t)h.coverage.holders, "share", share, "incidents",
	        (json_int_t)h.incidents_open, "complaints", (json_int_t)h.complaints_open,
	        "systems", (json_int_t)h.systems_failed));
	for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		if (!(pg->who.roles & areas[i].roles))
			continue;
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:s}", "href", areas[i].href,
		                                "label", wp_text(pg, areas[i].label),
		                                "help", wp_text(pg, areas[i].help)));
	}
	json_object_set_new(pg->ctx, "areas", arr);
	return wp_render(pg, 200, "gov-hub", "gov.hub.title");
}

/* ---- the annual report --------------------------------------------------- */

/* The current year in the instance's zone. */
static int
year_now(void)
{
	char now[32];
	long long y = 0;

	time_fmt(now, time_now() + wp_conf()->tz.offset);
	now[4] = '\0';
	return parse_ll(&y, now, 0, 9999) == 0 ? (int)y : GOV_REPORT_YEAR_MIN;
}

/* ?tahun=Y, else last year (the report is made after a year ends); -1
 * when given and not a number (gov_report_build judges the range). */
static int
report_year(const char *v)
{
	long long y = 0;
	int last = year_now() - 1;

	if (v == NULL || *v == '\0')
		return last < GOV_REPORT_YEAR_MIN ? GOV_REPORT_YEAR_MIN : last;
	if (parse_ll(&y, v, 0, 99999) < 0)
		return -1;
	return (int)y;
}

static int
build(struct gov_report **out, struct gov_report_conf *gc, struct page *pg, int year)
{
	int rc;

	*out = NULL;
	if ((rc = gov_report_conf_load(gc, pg->r->ctx->in->cfg)) < 0)
		return rc;
	return gov_report_build(out, pg->r->st, &pg->who, year, &wp_conf()->tz,
	                        gc->notify_within);
}

struct signed_rows {
	struct page *pg;
	json_t *arr;
};

static int
signed_row(const struct gov_report_signed *s, void *arg)
{
	struct signed_rows *w = arg;
	char when[WP_TIME_MAX];

	wp_time(when, w->pg, s->signed_at, 1);
	json_array_append_new(w->arr,
	                      json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "name",
	                                s->name, "signer", s->signer_name, "when", when));
	return 0;
}

/* The figures as the page's sections: one table per dimension. */
static json_t *
report_sections(const struct gov_report *r)
{
	const struct gov_report_dim *dd;
	json_t *secs = json_array(), *rows = NULL;
	char v[96];
	size_t n, i;
	int dim = -1;

	dd = gov_report_dims(&n);
	for (i = 0; i < r->nrows; i++) {
		const struct gov_report_row *row = &r->rows[i];

		if (row->dim != dim) {
			dim = row->dim;
			rows = json_array();
			json_array_append_new(
			    secs, json_pack("{s:s, s:s, s:o}", "title", dd[dim].title,
			                    "id", dd[dim].name, "rows", rows));
		}
		gov_report_value_fmt(v, sizeof(v), row);
		json_array_append_new(rows, json_pack("{s:s, s:s}", "key",
		                                      gov_report_key_label(row->key),
		                                      "value", v));
	}
	return secs;
}

static int
report_page(struct page *pg, int status, int year, const char *msg)
{
	struct signed_rows sr = {pg, json_array()};
	struct gov_report_conf gc;
	struct gov_report *r = NULL;
	json_t *years = json_array();
	int y, cur = year_now(), rc;

	for (y = cur; y >= GOV_REPORT_YEAR_MIN && y > cur - 10; y--)
		json_array_append_new(
		    years, json_pack("{s:i, s:b}", "year", y, "selected", y == year));
	json_object_set_new(pg->ctx, "years", years);
	json_object_set_new(pg->ctx, "year", json_integer(year));
	json_object_set_new(pg->ctx, "may_sign",
	                    json_boolean(gov_report_may_sign(&pg->who) == 0));
	sertel_err_clear();
	if (msg != NULL)
		json_object_set_new(pg->ctx, "error", json_string(msg));
	if ((rc = build(&r, &gc, pg, year)) < 0) {
		json_decref(sr.arr);
		if (rc == SERTEL_EINVAL) {
			json_object_set_new(
			    pg->ctx, "error",
			    json_string(wp_msg(pg, "", "gov.report.err.year")));
			return wp_render(pg, 400, "gov-report", "gov.report.title");
		}
		return wp_rule_error(pg, rc, "gov.report.err");
	}
	json_object_set_new(pg->ctx, "sections", report_sections(r));
	gov_report_free(r);
	if (gov_report_signed_iter(pg->r->st, &pg->who, signed_row, &sr) < 0) {
		log_msg(LOG_ERROR, "portal: signed reports: %s", sertel_errmsg());
		json_array_clear(sr.arr);
	}
	json_object_set_new(pg->ctx, "has_signed", json_boolean(json_array_size(sr.arr)));
	json_object_set_new(pg->ctx, "signed", sr.arr);
	return wp_render(pg, status, "gov-report", "gov.report.title");
}

static int
page_report(struct page *pg)
{
	int year = report_year(http_query(pg->r, "tahun"));

	if (year < 0)
		return report_page(pg, 400, report_year(NULL),
		                   wp_msg(pg, "", "gov.report.err.year"));
	return report_page(pg, 200, year, NULL);
}

/* A file as the answer (data owned by the page from here on). */
static void
file_answer(struct page *pg, unsigned char *data, size_t len, const char *ctype,
            const char *disp)
{
	free(pg->resp->body);
	pg->resp->body = data;
	pg->resp->len = len;
	pg->resp->status = 200;
	pg->resp->ctype = ctype;
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Cache-Control: no-store\n");
}

/* GET /laporan/unduh?tahun=Y&format=json (default)|csv|draf. */
static int
page_report_download(struct page *pg)
{
	const char *format = http_query(pg->r, "format");
	struct gov_report_conf gc;
	struct gov_report_doc doc;
	struct gov_report *r = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	struct buf b;
	json_t *j = NULL;
	char *text, disp[96];
	int year = report_year(http_query(pg->r, "tahun")), rc;

	if (format == NULL)
		format = "json";
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "draf") != 0)
		return report_page(pg, 400, year < 0 ? report_year(NULL) : year,
		                   wp_msg(pg, "", "gov.report.err.format"));
	if (year < 0)
		return report_page(pg, 400, report_year(NULL),
		                   wp_msg(pg, "", "gov.report.err.year"));
	if ((rc = build(&r, &gc, pg, year)) < 0) {
		if (rc == SERTEL_EINVAL)
			return report_page(pg, 400, report_year(NULL),
			                   wp_msg(pg, "", "gov.report.err.year"));
		return wp_rule_error(pg, rc, "gov.report.err");
	}
	if (strcmp(format, "json") == 0) {
		if ((rc = gov_report_json(&j, r)) == 0 &&
		    (text = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS)) != NULL) {
			data = (unsigned char *)text;
			len = strlen(text);
		}
		json_decref(j);
	} else if (strcmp(format, "csv") == 0) {
		buf_init(&b, 64 * 1024 * 1024);
		if ((rc = gov_report_csv(&b, r)) == 0)
			data = buf_detach(&b, &len);
		buf_free(&b);
	} else {
		memset(&doc, 0, sizeof(doc));
		doc.org = pg->r->ctx->in->pc.org;
		doc.recipients = gc.recipients;
		doc.draft = 1;
		rc = gov_report_pdf(&data, &len, r, &doc);
	}
	gov_report_free(r);
	if (data == NULL) {
		log_msg(LOG_ERROR, "portal: report %d: %s", year, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"laporan-tahunan-%d%s\"",
	         year,
	         strcmp(format, "json") == 0  ? ".json"
	         : strcmp(format, "csv") == 0 ? ".csv"
	                                      : "-draf.pdf");
	file_answer(pg, data, len,
	            strcmp(format, "json") == 0  ? "application/json"
	            : strcmp(format, "csv") == 0 ? "text/csv; charset=utf-8"
	                                         : "application/pdf",
	            disp);
	return 0;
}

/* POST /laporan/tandatangan: tahun, sandi (never kept, never echoed). */
static int
page_report_sign(struct page *pg)
{
	struct gov_report_conf gc;
	struct gov_report *r = NULL;
	struct esign_ctx *c;
	struct esign_error err;
	unsigned char *pdf = NULL;
	size_t len = 0;
	const char *pass;
	char id[33], disp[96], msg[400];
	int year, rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0) {
		wp_form_wipe(pg);
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	}
	year = report_year(web_form_get(&pg->form, "tahun"));
	pass = web_form_get(&pg->form, "sandi");
	if ((rc = gov_report_may_sign(&pg->who)) < 0) {
		wp_form_wipe(pg);
		return wp_rule_error(pg, rc, "gov.report.err");
	}
	if (year < 0) {
		wp_form_wipe(pg);
		return report_page(pg, 400, report_year(NULL),
		                   wp_msg(pg, "", "gov.report.err.year"));
	}
	if (pass == NULL || *pass == '\0') {
		wp_form_wipe(pg);
		return report_page(pg, 400, year, wp_msg(pg, "", "gov.report.err.pass"));
	}
	if ((c = api_esign_service(pg->r)) == NULL) {
		wp_form_wipe(pg);
		return wp_error(pg, 503, "e-sign: [esign] settings unreadable");
	}
	if ((rc = build(&r, &gc, pg, year)) < 0) {
		wp_form_wipe(pg);
		if (rc == SERTEL_EINVAL)
			return report_page(pg, 400, report_year(NULL),
			                   wp_msg(pg, "", "gov.report.err.year"));
		return wp_rule_error(pg, rc, "gov.report.err");
	}
	rc = gov_report_sign(&pdf, &len, id, &err, pg->r->st, c, &pg->who, pass,
	                     strlen(pass), r, pg->r->ctx->in->pc.org, gc.recipients);
	wp_form_wipe(pg);
	gov_report_free(r);
	if (rc < 0) {
		if (err.msg[0] == '\0')
			log_msg(LOG_ERROR, "portal: report %d: %s", year,
			        sertel_errmsg());
		snprintf(msg, sizeof(msg), "%s %s", wp_msg(pg, "", "gov.report.err.sign"),
		         err.msg[0] != '\0' ? err.msg : "");
		return report_page(pg, err.http ? err.http : wp_rule_status(rc), year,
		                   msg);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"laporan-tahunan-%d.pdf\"",
	         year);
	wp_header_add(pg, "X-Document-Id: %s\n", id);
	file_answer(pg, pdf, len, "application/pdf", disp);
	return 0;
}

WP_ROUTES(wp_routes_gov, {"GET", "/tata-kelola", 1, HUB_ROLES, page_hub, "nav.gov"},
          {"GET", "/laporan", 1, REPORT_ROLES, page_report, NULL},
          {"GET", "/laporan/unduh", 1, REPORT_ROLES, page_report_download, NULL},
          {"POST", "/laporan/tandatangan", 1, ROLE_KEPALA_DINAS, page_report_sign,
           NULL}, );
