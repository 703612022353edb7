/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: the Kepala Dinas (operators, heads of agency, auditors; the
 * subscriber agreement).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/web_portal.h"

/* ---- the Kepala Dinas: operators and the subscriber agreement --------------- */
struct person_rows {
	struct page *pg;
	json_t *arr;
};

static json_t *dismissable(struct page *pg, unsigned roles);

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
		strncat(label, wp_msg(l->pg, "role.", key),
		        sizeof(label) - strlen(label) - 1);
	}
	json_array_append_new(
	    l->arr,
	    json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:b}", "nik", p->nik, "name",
	              p->name, "agency", ag.name, "roles", label, "operator",
	              (p->roles & ROLE_OPERATOR) != 0, "dismiss",
	              dismissable(l->pg, p->roles), "may_dismiss",
	              (p->roles & (ROLE_OPERATOR | ROLE_KEPALA_PD | ROLE_AUDITOR)) != 0));
	return 0;
}

/* The roles of a person the Kepala Dinas may take back (ra_person_dismiss
 * has the rule; this only offers what the person holds). */
static const struct {
	unsigned bit;
	const char *name;
} dismiss_roles[] = {
    {ROLE_OPERATOR, "operator-op"},
    {ROLE_KEPALA_PD, "kepala-perangkat-daerah"},
    {ROLE_AUDITOR, "auditor"},
};

static json_t *
dismissable(struct page *pg, unsigned roles)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < sizeof(dismiss_roles) / sizeof(dismiss_roles[0]); i++)
		if (roles & dismiss_roles[i].bit)
			json_array_append_new(
			    arr, json_pack("{s:s, s:s}", "role", dismiss_roles[i].name,
			                   "label",
			                   wp_msg(pg, "role.", dismiss_roles[i].name)));
	return arr;
}

/* The N-of-M rule in force per type, and where it comes from. */
static int
rules_json(json_t **out, struct page *pg)
{
	json_t *arr = json_array();
	int i, n, from_store, rc;

	for (i = 0; i < WP_APP_TYPES; i++) {
		if ((rc = ra_approval_rule(&n, &from_store, pg->r->st,
		                           pg->r->ctx->in->cfg, wp_app_types[i])) < 0) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(
		    arr,
		    json_pack(
		        "{s:s, s:s, s:i, s:s}", "type", wp_app_types[i], "label",
		        wp_msg(pg, "type.", wp_app_types[i]), "needed", n, "source",
		        wp_msg(pg, "",
		               from_store ? "dinas.rule.store" : "dinas.rule.config")));
	}
	*out = arr;
	return 0;
}

static int
page_dinas(struct page *pg)
{
	struct person_rows l = {pg, json_array()};
	struct ra_agreement ag;
	char *text = NULL;
	json_t *rules = NULL;

	if (ra_person_iter(pg->r->st, NULL, person_row, &l) < 0 ||
	    ra_agreement_text(&text, &ag, pg->r->st, 0) < 0 ||
	    rules_json(&rules, pg) < 0) {
		json_decref(l.arr);
		free(text);
		log_msg(LOG_ERROR, "portal: dinas: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "people", l.arr);
	json_object_set_new(pg->ctx, "rules", rules);
	json_object_set_new(pg->ctx, "agreement",
	                    json_pack("{s:i, s:s, s:s}", "version", ag.version, "sha256",
	                              ag.sha256, "text", text));
	free(text);
	{
		const char *ok = http_query(pg->r, "ok");

		if (ok != NULL &&
		    (strcmp(ok, "angkat") == 0 || strcmp(ok, "perjanjian") == 0 ||
		     strcmp(ok, "berhentikan") == 0 || strcmp(ok, "persetujuan") == 0))
			json_object_set_new(pg->ctx, "flash",
			                    json_pack("{s:s, s:s}", "kind", "ok", "text",
			                              wp_msg(pg, "dinas.ok.", ok)));
	}
	return wp_render(pg, 200, "dinas", "dinas.title");
}

/* Cirebon 20(1): who appoints also dismisses; the rule and the audit
 * entry (with the reason) are ra_person_dismiss's. */
static int
dismiss(struct page *pg)
{
	const char *role = web_form_get(&pg->form, "peran"),
	           *nik = web_form_get(&pg->form, "nik");
	unsigned bit = 0;

	if (nik == NULL)
		return sertel_err(SERTEL_EINVAL, "%s", wp_msg(pg, "", "oper.bad.person"));
	if (role == NULL || ra_roles_parse(&bit, role) < 0 || bit == 0)
		return sertel_err(SERTEL_EINVAL, "%s", wp_msg(pg, "", "dinas.bad.role"));
	return ra_person_dismiss(pg->r->st, &pg->who, nik, bit,
	                         web_form_get(&pg->form, "alasan"));
}

/* N-of-M per type, kept in the store; applications created afterwards
 * use it, those that exist keep the number they were created with. */
static int
rule_set(struct page *pg)
{
	const char *type = web_form_get(&pg->form, "jenis"),
	           *n = web_form_get(&pg->form, "jumlah");
	long long v = 0;

	if (n == NULL || parse_ll(&v, n, 1, 16) < 0)
		return sertel_err(SERTEL_EINVAL, "%s", wp_msg(pg, "", "dinas.bad.count"));
	return ra_approval_rule_set(pg->r->st, &pg->who, type ? type : "", (int)v,
	                            web_form_get(&pg->form, "alasan"));
}

static int
page_dinas_post(struct page *pg)
{
	struct ra_agreement ag;
	const char *what = pg->sub + strlen("/dinas/");
	char loc[64];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	/* Cirebon 20(1): the Kepala Dinas appoints OP operators; the rule
	 * (who may, whom) is ra_person_appoint's. */
	if (strcmp(what, "angkat") == 0 && web_form_get(&pg->form, "nik") == NULL)
		return wp_error(pg, 400, wp_msg(pg, "", "error.title"));
	if (strcmp(what, "angkat") == 0)
		rc = ra_person_appoint(pg->r->st, &pg->who,
		                       web_form_get(&pg->form, "nik"), ROLE_OPERATOR);
	else if (strcmp(what, "berhentikan") == 0)
		rc = dismiss(pg);
	else if (strcmp(what, "persetujuan") == 0)
		rc = rule_set(pg);
	else if (strcmp(what, "perjanjian") == 0)
		rc = ra_agreement_set(&ag, pg->r->st, &pg->who,
		                      web_form_get(&pg->form, "teks")
		                          ? web_form_get(&pg->form, "teks")
		                          : "");
	else
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if (rc < 0)
		return wp_rule_error(pg, rc, "dinas.refused");
	snprintf(loc, sizeof(loc), "/dinas?ok=%s", what);
	return wp_redirect(pg, loc);
}

WP_ROUTES(wp_routes_dinas,
          {"GET", "/dinas", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_dinas, "nav.dinas"},
          {"POST", "/dinas/", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_dinas_post,
           NULL}, );
