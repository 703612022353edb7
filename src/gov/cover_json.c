/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coverage area's JSON (issue 13): what `sertel gov ... --json`, the
 * REST API under /api/v1/gov/ and the portal's coverage pages show, built
 * once here so the three never disagree.
 */
#include <string.h>

#include <jansson.h>

#include "gov/gov.h"

static int64_t
share_bp(int64_t holders, int64_t headcount)
{
	return headcount > 0 ? holders * 10000 / headcount : 0;
}

static json_t *
coverage_json(const struct gov_coverage *c, const char *name)
{
	json_t *j = json_object();

	json_object_set_new(j, "headcount", json_integer(c->headcount));
	json_object_set_new(j, "holders", json_integer(c->holders));
	json_object_set_new(j, "share_bp",
	                    json_integer(share_bp(c->holders, c->headcount)));
	if (name != NULL) {
		json_object_set_new(j, "id", json_string(c->agency_id));
		json_object_set_new(j, "name", json_string(name));
	}
	return j;
}

json_t *
gov_system_json(const struct gov_system *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_string(s->id));
	json_object_set_new(j, "name", json_string(s->name));
	json_object_set_new(j, "agency_id", json_string(s->agency_id));
	json_object_set_new(j, "agency_name", json_string(s->agency_name));
	json_object_set_new(j, "url", json_string(s->url));
	json_object_set_new(j, "purpose", json_string(s->purpose));
	json_object_set_new(j, "state", json_string(gov_system_state_name(s->state)));
	json_object_set_new(j, "cert_serial",
	                    s->cert_serial[0] ? json_string(s->cert_serial)
	                                      : json_null());
	json_object_set_new(j, "cert_not_after",
	                    s->cert_serial[0] ? json_integer(s->cert_not_after)
	                                      : json_null());
	json_object_set_new(j, "cert_revoked", json_boolean(s->cert_revoked));
	json_object_set_new(j, "cert_other_agency",
	                    json_boolean(s->cert_serial[0] && s->cert_agency_id[0] &&
	                                 strcmp(s->cert_agency_id, s->agency_id) != 0));
	json_object_set_new(j, "created_by", json_string(s->created_by));
	json_object_set_new(j, "created_at", json_integer(s->created_at));
	json_object_set_new(j, "updated_at", json_integer(s->updated_at));
	return j;
}

json_t *
gov_probe_json(const struct gov_probe *p)
{
	json_t *j = json_object();

	json_object_set_new(j, "system_id", json_string(p->system_id));
	json_object_set_new(j, "at", json_integer(p->at));
	json_object_set_new(j, "ok", json_boolean(p->ok));
	json_object_set_new(j, "serial",
	                    p->serial[0] ? json_string(p->serial) : json_null());
	json_object_set_new(j, "sha256",
	                    p->sha256[0] ? json_string(p->sha256) : json_null());
	json_object_set_new(j, "not_after",
	                    p->not_after ? json_integer(p->not_after) : json_null());
	json_object_set_new(j, "matches", json_boolean(p->matches));
	json_object_set_new(j, "chain_ok", json_boolean(p->chain_ok));
	json_object_set_new(j, "name_ok", json_boolean(p->name_ok));
	json_object_set_new(j, "http_status",
	                    p->http_status ? json_integer(p->http_status) : json_null());
	json_object_set_new(j, "redirect_host",
	                    p->redirect_host[0] ? json_string(p->redirect_host)
	                                        : json_null());
	json_object_set_new(j, "elapsed_ms", json_integer(p->elapsed_ms));
	json_object_set_new(j, "via", json_string(p->via));
	json_object_set_new(j, "error",
	                    p->error[0] ? json_string(p->error) : json_null());
	return j;
}

json_t *
gov_staff_result_json(const struct gov_staff_result *r)
{
	json_t *j = json_object(), *errs = json_array();
	int i;

	json_object_set_new(j, "rows", json_integer(r->rows));
	json_object_set_new(j, "agencies", json_integer(r->agencies));
	json_object_set_new(j, "added", json_integer(r->added));
	json_object_set_new(j, "removed", json_integer(r->removed));
	json_object_set_new(j, "changed", json_integer(r->changed));
	json_object_set_new(j, "unchanged", json_integer(r->unchanged));
	json_object_set_new(j, "bad_rows", json_integer(r->nerrors));
	for (i = 0; i < r->nerrors && i < GOV_STAFF_ERRORS; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "line", json_integer(r->errors[i].line));
		json_object_set_new(e, "reason", json_string(r->errors[i].reason));
		json_array_append_new(errs, e);
	}
	json_object_set_new(j, "errors", errs);
	return j;
}

/* ---- the report --------------------------------------------------------- */
struct report {
	json_t *names;    /* agency id -> name */
	json_t *scope;    /* agency id -> true */
	json_t *arr;      /* what the callback appends to */
	const char *only; /* one agency, or NULL */
};

static int
name_one(const struct ra_agency *a, void *arg)
{
	struct report *r = arg;

	json_object_set_new(r->names, a->id, json_string(a->name));
	return 0;
}

static int
coverage_one(const struct gov_coverage *c, void *arg)
{
	struct report *r = arg;
	json_t *j;

	if (r->only != NULL && strcmp(r->only, c->agency_id) != 0)
		return 0;
	j = coverage_json(c, json_string_value(json_object_get(r->names, c->agency_id)));
	json_object_set_new(
	    j, "in_scope", json_boolean(json_object_get(r->scope, c->agency_id) != NULL));
	json_array_append_new(r->arr, j);
	return 0;
}

static int
count_one(const struct gov_cert_count *c, void *arg)
{
	struct report *r = arg;
	json_t *j = json_object();

	json_object_set_new(j, "type", json_string(c->type));
	json_object_set_new(j, "usages", json_string(c->usages));
	json_object_set_new(j, "valid", json_integer(c->valid));
	json_object_set_new(j, "expired", json_integer(c->expired));
	json_object_set_new(j, "revoked", json_integer(c->revoked));
	json_array_append_new(r->arr, j);
	return 0;
}

static int
expiry_one(const struct gov_expiry *e, void *arg)
{
	struct report *r = arg;
	json_t *j;

	if (r->only != NULL && strcmp(r->only, e->agency_id) != 0)
		return 0;
	j = json_object();
	json_object_set_new(j, "id", json_string(e->agency_id));
	json_object_set_new(j, "name", json_string(e->agency_name));
	json_object_set_new(j, "expiring", json_integer(e->expiring));
	json_object_set_new(j, "expired", json_integer(e->expired));
	json_array_append_new(r->arr, j);
	return 0;
}

/* The agencies in the decree's scope (gov_scope). */
static int
scope_load(json_t *scope, struct store *st)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st), "SELECT agency_id FROM gov_scope")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1)
		json_object_set_new(scope, db_col_text(s, 0), json_true());
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
gov_cover_report(json_t **out, struct store *st, const struct ra_actor *who, int64_t now,
                 const struct time_zone *tz, int expiring_days, const char *agency_id)
{
	struct report r = {json_object(), json_object(), NULL, agency_id};
	struct gov_coverage region, months[12];
	int64_t at[12];
	char own[17];
	json_t *j = json_object(), *arr;
	int rc, i, all;

	*out = NULL;
	all = ra_sees_all(who);
	if (!all && agency_id == NULL) {
		if ((rc = gov_cover_own_agency(own, st, who)) < 0)
			goto out;
		r.only = own[0] ? own : NULL;
	}
	if ((rc = gov_cover_access(st, who, r.only, 0)) < 0)
		goto out;
	if ((rc = ra_agency_iter(st, name_one, &r)) < 0 ||
	    (rc = scope_load(r.scope, st)) < 0)
		goto out;
	json_object_set_new(j, "at", json_integer(now));
	json_object_set_new(j, "expiring_days", json_integer(expiring_days));
	if ((rc = gov_coverage_at(&region, st, NULL, now)) < 0)
		goto out;
	json_object_set_new(j, "region", coverage_json(&region, NULL));
	json_object_set_new(j, "agencies", r.arr = json_array());
	if ((rc = gov_coverage_iter(st, now, coverage_one, &r)) < 0)
		goto out;
	if ((rc = gov_coverage_months(months, at, 12, st, now, tz)) < 0)
		goto out;
	arr = json_array();
	json_object_set_new(j, "months", arr);
	for (i = 0; i < 12; i++) {
		json_t *m = coverage_json(&months[i], NULL);

		json_object_set_new(m, "at", json_integer(at[i]));
		json_array_append_new(arr, m);
	}
	json_object_set_new(j, "certs", r.arr = json_array());
	if (all && (rc = gov_cert_counts(st, who, now, count_one, &r)) < 0)
		goto out;
	json_object_set_new(j, "expiry", r.arr = json_array());
	if (all) {
		if ((rc = gov_cert_expiry(st, who, now, expiring_days, expiry_one, &r)) <
		    0)
			goto out;
	} else {
		/* A head of agency: their own agency's line, read as the Dinas
		 * would (the access was checked above). */
		struct ra_actor dinas;

		ra_actor_local(&dinas, who->label);
		if ((rc = gov_cert_expiry(st, &dinas, now, expiring_days, expiry_one,
		                          &r)) < 0)
			goto out;
	}
	*out = j;
	j = NULL;
	rc = 0;
out:
	json_decref(j);
	json_decref(r.names);
	json_decref(r.scope);
	return rc;
}
