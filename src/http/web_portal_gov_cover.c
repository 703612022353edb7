/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: coverage of ASN and the register of electronic systems
 * (issue 13, Denpasar 8(3)-(4), Samarinda 8(3)).
 *
 *   GET  /cakupan                  coverage per agency and of the region, the
 *                                  region's line over 12 months, certificates
 *                                  per type and usage, expiring and expired
 *   GET  /cakupan/belum/{agency}   who of an agency holds no certificate yet
 *   POST /cakupan/jumlah           the headcount entered
 *   POST /cakupan/impor            the staff CSV (multipart)
 *   GET  /sistem                   the register; POST /sistem/baru a new one
 *   GET  /sistem/{id}              a system, its last probe and history
 *   POST /sistem/{id}/ubah | pensiun | aktifkan | periksa
 *
 * Every rule is src/gov's (the same call as the CLI and the API); this file
 * only shows what the actor may do and maps errors to pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/web_portal.h"

#define COVER_ROLES                                                                      \
	(ROLE_KEPALA_DINAS | ROLE_OPERATOR | ROLE_AUDITOR | ROLE_ADMIN | ROLE_KEPALA_PD)
#define DINAS_ROLES (ROLE_KEPALA_DINAS | ROLE_OPERATOR | ROLE_ADMIN)
/* The chart: a 600 x 200 box, the plot 62..545 wide (room for the last
 * label), 20..160 high. */
#define CHART_X0 62
#define CHART_X1 545
#define CHART_Y0 20
#define CHART_Y1 160

/* "12,34%" (Indonesian) or "12.34%" from basis points. */
static void
share_text(char *out, size_t outsz, struct page *pg, long long bp)
{
	snprintf(out, outsz, "%lld%c%02lld%%", bp / 100,
	         pg->lang == WEB_LANG_ID ? ',' : '.', bp % 100);
}

/* What the actor may change, for the template (an auditor sees no form). */
static void
cover_flags(struct page *pg, char own[17])
{
	own[0] = '\0';
	gov_cover_own_agency(own, pg->r->st, &pg->who);
	json_object_set_new(pg->ctx, "may_import",
	                    json_boolean(pg->who.roles & DINAS_ROLES));
	json_object_set_new(
	    pg->ctx, "may_edit",
	    json_boolean((pg->who.roles & DINAS_ROLES) || own[0] != '\0'));
}

/* The agencies a form offers: every one for the Dinas, the own for a head. */
static json_t *
agency_choices(struct page *pg, const char *own, const char *chosen)
{
	json_t *arr = json_array(), *v;
	size_t i;

	wp_agency_options(pg, arr, chosen);
	if (pg->who.roles & DINAS_ROLES)
		return arr;
	for (i = json_array_size(arr); i-- > 0;) {
		v = json_array_get(arr, i);
		if (strcmp(json_string_value(json_object_get(v, "id")), own) != 0)
			json_array_remove(arr, i);
	}
	return arr;
}

/* The region's line: points of an SVG polyline, and a label per month. */
static void
chart_json(struct page *pg, json_t *months)
{
	char pts[12 * 24] = "", t[WP_TIME_MAX], share[24];
	size_t i, n = json_array_size(months), len = 0;
	json_t *m;

	json_array_foreach(months, i, m)
	{
		long long bp = json_integer_value(json_object_get(m, "share_bp"));
		long long x = CHART_X0 + (n > 1 ? (long long)i * (CHART_X1 - CHART_X0) /
		                                      (long long)(n - 1)
		                                : 0);
		long long y = CHART_Y1 - bp * (CHART_Y1 - CHART_Y0) / 10000;

		len += (size_t)snprintf(pts + len, sizeof(pts) - len, "%s%lld,%lld",
		                        i ? " " : "", x, y);
		wp_time(t, pg, json_integer_value(json_object_get(m, "at")), 0);
		/* "31 Januari 2026" -> "Januari 2026" */
		json_object_set_new(m, "label",
		                    json_string(strchr(t, ' ') ? strchr(t, ' ') + 1 : t));
		share_text(share, sizeof(share), pg, bp);
		json_object_set_new(m, "share", json_string(share));
		json_object_set_new(m, "x", json_integer(x));
		json_object_set_new(m, "y", json_integer(y));
		json_object_set_new(m, "tick", json_boolean(i % 3 == 2 || i + 1 == n));
	}
	json_object_set_new(pg->ctx, "chart_points", json_string(pts));
}

static int
page_coverage(struct page *pg)
{
	const struct config *cfg = pg->r->ctx->in->cfg;
	char own[17], share[24], t[WP_TIME_MAX];
	json_t *cov = NULL, *v;
	const char *ok = http_query(pg->r, "ok");
	size_t i;
	int rc, days;

	days = (int)config_get_int(cfg, "governance", "expiring_days", GOV_EXPIRING_DAYS);
	if (days < 1 || days > 3650)
		days = GOV_EXPIRING_DAYS;
	if ((rc = gov_cover_report(&cov, pg->r->st, &pg->who, time_now(),
	                           &pg->r->ctx->in->tz, days, NULL)) < 0)
		return wp_rule_error(pg, rc, "cover.refused");
	json_array_foreach(json_object_get(cov, "agencies"), i, v)
	{
		long long bp = json_integer_value(json_object_get(v, "share_bp"));

		share_text(share, sizeof(share), pg, bp);
		json_object_set_new(v, "share", json_string(share));
		/* The bar: 0..100 of a 100-wide SVG. */
		json_object_set_new(v, "bar", json_integer(bp / 100));
	}
	v = json_object_get(cov, "region");
	share_text(share, sizeof(share), pg,
	           json_integer_value(json_object_get(v, "share_bp")));
	json_object_set_new(v, "share", json_string(share));
	json_array_foreach(json_object_get(cov, "certs"), i, v)
	{
		json_t *u = wp_usage_json(
		    pg, json_string_value(json_object_get(v, "usages")), "");

		json_object_set_new(
		    v, "type_label",
		    json_string(wp_msg(pg, "type.",
		                       json_string_value(json_object_get(v, "type")))));
		json_object_set(v, "usage_label", json_object_get(u, "label"));
		json_decref(u);
	}
	chart_json(pg, json_object_get(cov, "months"));
	json_object_set_new(
	    pg->ctx, "show_certs",
	    json_boolean(json_array_size(json_object_get(cov, "certs")) > 0));
	wp_time(t, pg, time_now(), 1);
	json_object_set_new(cov, "at_text", json_string(t));
	json_object_set_new(pg->ctx, "cov", cov);
	cover_flags(pg, own);
	json_object_set_new(pg->ctx, "agency_opts", agency_choices(pg, own, own));
	if (ok != NULL && strcmp(ok, "jumlah") == 0)
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              wp_msg(pg, "", "cover.ok.headcount")));
	if (ok != NULL && strcmp(ok, "impor") == 0) {
		static const char *const k[] = {"baris", "tambah", "hapus", "ubah"};
		json_t *imp = json_object();
		long long n;

		for (i = 0; i < 4; i++)
			json_object_set_new(
			    imp, k[i],
			    json_integer(http_query(pg->r, k[i]) != NULL &&
			                         parse_ll(&n, http_query(pg->r, k[i]), 0,
			                                  GOV_STAFF_ROWS_MAX) == 0
			                     ? n
			                     : 0));
		json_object_set_new(pg->ctx, "imported", imp);
	}
	return wp_render(pg, 200, "gov-coverage", "cover.title");
}

static int
missing_row(const struct gov_missing *m, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s}", "name", m->name, "nip",
	                                     m->nip, "position", m->position));
	return 0;
}

static int
page_missing(struct page *pg)
{
	const char *id = pg->sub + strlen("/cakupan/belum/");
	struct ra_agency ag;
	json_t *arr;
	int rc;

	if ((rc = ra_agency_get(&ag, pg->r->st, id)) < 0)
		return wp_rule_error(pg, rc, "cover.refused");
	arr = json_array();
	if ((rc = gov_missing_iter(pg->r->st, &pg->who, ag.id, time_now(), 5000,
	                           missing_row, arr)) < 0) {
		json_decref(arr);
		return wp_rule_error(pg, rc, "cover.refused");
	}
	json_object_set_new(pg->ctx, "agency",
	                    json_pack("{s:s, s:s}", "id", ag.id, "name", ag.name));
	json_object_set_new(pg->ctx, "missing", arr);
	return wp_render(pg, 200, "gov-coverage-missing", "cover.missing.title");
}

/* The import's bad rows, on the page, with the one-line error. */
static int
import_errors(struct page *pg, const struct gov_staff_result *res, int rc)
{
	json_t *j = gov_staff_result_json(res);
	char msg[700];

	snprintf(msg, sizeof(msg), "%s: %s", wp_msg(pg, "", "cover.import.refused"),
	         sertel_errmsg());
	json_object_set_new(pg->ctx, "form_error", json_string(msg));
	json_object_set_new(pg->ctx, "result", j);
	return wp_render(pg, wp_rule_status(rc), "gov-coverage-import",
	                 "cover.import.title");
}

static int
post_import(struct page *pg)
{
	struct gov_staff_result *res = NULL;
	struct http_multipart m;
	struct http_part *f;
	const char *csrf, *reason;
	char loc[160];
	size_t max;
	int rc;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	csrf = http_multipart_text(&m, "csrf");
	if ((rc = portal_csrf_check(&pg->sess, csrf)) < 0) {
		http_multipart_free(&m);
		return wp_error(pg, 403, sertel_errmsg());
	}
	reason = http_multipart_text(&m, "alasan");
	max = (size_t)config_get_int(pg->r->ctx->in->cfg, "governance", "staff_csv_max",
	                             GOV_STAFF_CSV_MAX);
	if ((f = http_multipart_get(&m, "berkas")) == NULL || !f->is_file ||
	    f->val.len == 0) {
		http_multipart_free(&m);
		return wp_error(pg, 400, wp_msg(pg, "", "cover.import.nofile"));
	}
	if ((res = calloc(1, sizeof(*res))) == NULL) {
		http_multipart_free(&m);
		return wp_error(pg, 500, "internal error");
	}
	rc = gov_staff_import(res, pg->r->st, &pg->who, (const char *)f->val.data,
	                      f->val.len, max, reason);
	http_multipart_free(&m);
	if (rc < 0 && res->nerrors > 0)
		rc = import_errors(pg, res, rc);
	else if (rc < 0)
		rc = wp_rule_error(pg, rc, "cover.import.refused");
	else {
		snprintf(loc, sizeof(loc),
		         "/cakupan?ok=impor&baris=%lld&tambah=%lld&hapus=%lld&ubah=%lld",
		         (long long)res->rows, (long long)res->added,
		         (long long)res->removed, (long long)res->changed);
		rc = wp_redirect(pg, loc);
	}
	free(res);
	return rc;
}

static int
page_coverage_post(struct page *pg)
{
	const char *what = pg->sub + strlen("/cakupan/");
	long long n = -1;
	const char *count;
	int rc;

	if (strcmp(what, "impor") == 0)
		return post_import(pg);
	if (strcmp(what, "jumlah") != 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	count = web_form_get(&pg->form, "jumlah");
	if (count == NULL || parse_ll(&n, count, 0, GOV_HEADCOUNT_MAX) < 0)
		return wp_error(pg, 400, wp_msg(pg, "", "cover.bad.count"));
	if ((rc = gov_headcount_set(pg->r->st, &pg->who,
	                            web_form_get(&pg->form, "instansi"), n,
	                            web_form_get(&pg->form, "alasan"))) < 0)
		return wp_rule_error(pg, rc, "cover.refused");
	return wp_redirect(pg, "/cakupan?ok=jumlah");
}

/* ---- the register of systems ---------------------------------------------- */
static void
probe_shown(json_t *j, struct page *pg)
{
	char t[WP_TIME_MAX], serial[128];
	const char *s;

	wp_time(t, pg, json_integer_value(json_object_get(j, "at")), 1);
	json_object_set_new(j, "at_text", json_string(t));
	json_object_set_new(
	    j, "via_label",
	    json_string(
	        wp_msg(pg, "cover.via.", json_string_value(json_object_get(j, "via")))));
	if ((s = json_string_value(json_object_get(j, "serial"))) != NULL) {
		wp_serial_shown(serial, sizeof(serial), s);
		json_object_set_new(j, "serial_shown", json_string(serial));
	}
	if (json_integer_value(json_object_get(j, "not_after")) > 0) {
		wp_time(t, pg, json_integer_value(json_object_get(j, "not_after")), 0);
		json_object_set_new(j, "not_after_text", json_string(t));
	}
}

static int
probe_row(const struct gov_probe *p, void *arg)
{
	struct page *pg = ((void **)arg)[0];
	json_t *j = gov_probe_json(p);

	probe_shown(j, pg);
	json_array_append_new(((void **)arg)[1], j);
	return 0;
}

/* The system as the pages show it: dates and the serial readable, the last
 * probe (history: up to limit probes in "probes"). */
static json_t *
system_shown(struct page *pg, const struct gov_system *s, int limit)
{
	json_t *j = gov_system_json(s), *probes = json_array();
	void *arg[2] = {pg, probes};
	char t[WP_TIME_MAX], serial[128];

	json_object_set_new(j, "retired", json_boolean(s->state == GOV_SYSTEM_RETIRED));
	json_object_set_new(
	    j, "state_label",
	    json_string(wp_msg(pg, "cover.state.", gov_system_state_name(s->state))));
	if (s->cert_serial[0] != '\0') {
		wp_serial_shown(serial, sizeof(serial), s->cert_serial);
		json_object_set_new(j, "cert_shown", json_string(serial));
		wp_time(t, pg, s->cert_not_after, 0);
		json_object_set_new(j, "cert_until", json_string(t));
		json_object_set_new(
		    j, "cert_expired",
		    json_boolean(s->cert_not_after <= time_now() || s->cert_revoked));
	}
	gov_probe_iter(pg->r->st, &pg->who, s->id, limit, probe_row, arg);
	sertel_err_clear();
	json_object_set(j, "last", json_array_get(probes, 0));
	json_object_set_new(j, "history",
	                    json_boolean(limit > 1 && json_array_size(probes) > 1));
	if (limit > 1)
		json_object_set_new(j, "probes", probes);
	else
		json_decref(probes);
	return j;
}

static int
system_row(const struct gov_system *s, void *arg)
{
	struct page *pg = ((void **)arg)[0];

	json_array_append_new(((void **)arg)[1], system_shown(pg, s, 1));
	return 0;
}

static int
page_systems(struct page *pg)
{
	json_t *arr = json_array();
	void *arg[2] = {pg, arr};
	const char *ok = http_query(pg->r, "ok");
	char own[17];
	int rc;

	if ((rc = gov_system_iter(pg->r->st, &pg->who, NULL, system_row, arg)) < 0) {
		json_decref(arr);
		return wp_rule_error(pg, rc, "cover.refused");
	}
	json_object_set_new(pg->ctx, "systems", arr);
	cover_flags(pg, own);
	json_object_set_new(pg->ctx, "agency_opts", agency_choices(pg, own, own));
	if (ok != NULL && strcmp(ok, "pensiun") == 0)
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              wp_msg(pg, "", "cover.ok.pensiun")));
	return wp_render(pg, 200, "gov-systems", "cover.systems.title");
}

/* The id of /sistem/{id}[/action]: 16 hex digits. */
static int
system_id(char id[17], const char **action, const char *sub)
{
	const char *p = sub + strlen("/sistem/");

	if (strlen(p) < 16 || strspn(p, "0123456789abcdef") < 16 ||
	    (p[16] != '\0' && p[16] != '/'))
		return SERTEL_ENOTFOUND;
	memcpy(id, p, 16);
	id[16] = '\0';
	*action = p[16] == '/' ? p + 17 : "";
	return 0;
}

static int
page_system(struct page *pg)
{
	struct gov_system s;
	const char *action, *ok = http_query(pg->r, "ok"),
	                    *warn = http_query(pg->r, "peringatan");
	char id[17], own[17];
	int rc;

	if (system_id(id, &action, pg->sub) < 0 || action[0] != '\0')
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if ((rc = gov_system_get(&s, pg->r->st, &pg->who, id)) < 0)
		return wp_rule_error(pg, rc, "cover.refused");
	json_object_set_new(pg->ctx, "system", system_shown(pg, &s, 50));
	cover_flags(pg, own);
	json_object_set_new(pg->ctx, "agency_opts", agency_choices(pg, own, s.agency_id));
	if (ok != NULL && (strcmp(ok, "baru") == 0 || strcmp(ok, "ubah") == 0 ||
	                   strcmp(ok, "periksa") == 0 || strcmp(ok, "pensiun") == 0 ||
	                   strcmp(ok, "aktifkan") == 0))
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              wp_msg(pg, "cover.ok.", ok)));
	if (warn != NULL && strcmp(warn, "sertifikat") == 0)
		json_object_set_new(pg->ctx, "cert_warning", json_true());
	return wp_render(pg, 200, "gov-system", "cover.system.title");
}

static int
page_system_post(struct page *pg)
{
	struct gov_system_req rq;
	struct gov_system s;
	struct gov_probe p;
	struct gov_probe_opts o;
	const char *action, *reason;
	char id[17], loc[96], warn[300] = "";
	int rc, add = strcmp(pg->sub, "/sistem/baru") == 0;

	if (!add && system_id(id, &action, pg->sub) < 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	reason = web_form_get(&pg->form, "alasan");
	if (add || strcmp(action, "ubah") == 0) {
		memset(&rq, 0, sizeof(rq));
		rq.name = web_form_get(&pg->form, "nama");
		rq.agency_id = web_form_get(&pg->form, "instansi");
		rq.url = web_form_get(&pg->form, "alamat");
		rq.purpose = web_form_get(&pg->form, "tujuan");
		rq.cert_serial = web_form_get(&pg->form, "sertifikat");
		if (rq.cert_serial == NULL)
			rq.cert_serial = "";
		if (rq.purpose == NULL)
			rq.purpose = "";
		rc = gov_system_save(&s, warn, sizeof(warn), pg->r->st, &pg->who,
		                     add ? NULL : id, &rq, reason);
		if (rc < 0)
			return wp_rule_error(pg, rc, "cover.system.refused");
		snprintf(loc, sizeof(loc), "/sistem/%s?ok=%s%s", s.id,
		         add ? "baru" : "ubah", warn[0] ? "&peringatan=sertifikat" : "");
		return wp_redirect(pg, loc);
	}
	if (strcmp(action, "periksa") == 0) {
		gov_probe_opts_load(&o, pg->r->ctx->in->cfg);
		rc = gov_system_probe(&p, pg->r->st, &pg->who, id, &o);
	} else if (strcmp(action, "pensiun") == 0 || strcmp(action, "aktifkan") == 0) {
		rc = gov_system_set_state(
		    pg->r->st, &pg->who, id,
		    action[0] == 'p' ? GOV_SYSTEM_RETIRED : GOV_SYSTEM_ACTIVE, reason);
	} else {
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	}
	if (rc < 0)
		return wp_rule_error(pg, rc, "cover.system.refused");
	snprintf(loc, sizeof(loc), "/sistem/%s?ok=%s", id, action);
	return wp_redirect(pg, loc);
}

WP_ROUTES(wp_routes_gov_cover, {"GET", "/cakupan", 1, COVER_ROLES, page_coverage, NULL},
          {"GET", "/cakupan/belum/", 1, COVER_ROLES, page_missing, NULL},
          {"POST", "/cakupan/", 1, DINAS_ROLES | ROLE_KEPALA_PD, page_coverage_post,
           NULL},
          {"GET", "/sistem", 1, COVER_ROLES, page_systems, NULL},
          {"GET", "/sistem/", 1, COVER_ROLES, page_system, NULL},
          {"POST", "/sistem/", 1, DINAS_ROLES | ROLE_KEPALA_PD, page_system_post,
           NULL}, );
