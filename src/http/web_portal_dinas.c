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
		return wp_error(pg, 500, "internal error");
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
			                              wp_msg(pg, "dinas.ok.", ok)));
	}
	return wp_render(pg, 200, "dinas", "dinas.title");
}

static int
page_dinas_post(struct page *pg)
{
	struct ra_agreement ag;
	const char *what = pg->sub + strlen("/dinas/");
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
	else if (strcmp(what, "perjanjian") == 0)
		rc = ra_agreement_set(&ag, pg->r->st, &pg->who,
		                      web_form_get(&pg->form, "teks")
		                          ? web_form_get(&pg->form, "teks")
		                          : "");
	else
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	if (rc < 0)
		return wp_error(pg,
		                rc == SERTEL_EPERM       ? 403
		                : rc == SERTEL_ENOTFOUND ? 404
		                                         : 400,
		                sertel_errmsg());
	return wp_redirect(pg, strcmp(what, "angkat") == 0 ? "/dinas?ok=angkat"
	                                                   : "/dinas?ok=perjanjian");
}

WP_ROUTES(wp_routes_dinas,
          {"GET", "/dinas", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_dinas, "nav.dinas"},
          {"POST", "/dinas/", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_dinas_post,
           NULL}, );
