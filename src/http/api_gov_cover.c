/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Coverage of ASN and the register of electronic systems over HTTP
 * (issue 13, src/gov/staff.c, coverage.c, systems.c):
 *
 *   GET  /api/v1/gov/coverage[?agency=A&days=N&at=T]
 *   GET  /api/v1/gov/coverage/missing?agency=A[&limit=N]
 *   POST /api/v1/gov/staff/import      {"csv", "reason"}
 *   POST /api/v1/gov/headcounts        {"agency", "count", "reason"}
 *   GET  POST /api/v1/gov/systems      [?agency=A] | {"name", "agency", "url",
 *                                       "purpose", "cert_serial", "reason"}
 *   GET  POST /api/v1/gov/systems/{id} (the system and its probes) | a change
 *        POST /api/v1/gov/systems/{id}/retire | activate  {"reason"}
 *        POST /api/v1/gov/systems/{id}/probe
 *
 * Who acts is the token's RA actor; every rule (who may read or change
 * which agency's data) is in src/gov, the same call as the CLI's.
 */
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/http_int.h"

#define GOV_PREFIX     "/api/v1/gov/"
#define SYSTEMS_PREFIX "/api/v1/gov/systems/"

/* The token's RA actor; a change needs a person's token or the admin's.
 * On failure resp is filled. */
static int
cover_actor(struct http_req *r, struct http_resp *resp, int change)
{
	if (http_auth(r, resp) < 0)
		return SERTEL_EAUTH;
	if (r->ra.roles == 0 ||
	    (change && r->ra.nik[0] == '\0' && !(r->ra.roles & ROLE_ADMIN))) {
		http_error(resp, 403, "forbidden",
		           "%s: this token does not %s coverage data (a person's token: "
		           "sertel token create --nik)",
		           r->actor, change ? "change" : "read");
		return SERTEL_EPERM;
	}
	return 0;
}

/* The body's string fields by name (absent or null: NULL, borrowed from
 * *j); any other field, or a value of another type, is refused. */
static int
body_strings(json_t **j, struct http_req *r, struct http_resp *resp,
             const char *const *names, const char **out, size_t n)
{
	const char *key;
	json_t *v;
	size_t k;

	*j = r->body_len == 0 ? json_object() : http_json_body(r, resp);
	if (*j == NULL)
		return SERTEL_EINVAL;
	for (k = 0; k < n; k++)
		out[k] = NULL;
	json_object_foreach(*j, key, v)
	{
		for (k = 0; k < n; k++)
			if (strcmp(key, names[k]) == 0)
				break;
		if (k == n || (!json_is_string(v) && !json_is_null(v) &&
		               !(json_is_integer(v) && strcmp(key, "count") == 0))) {
			http_error(
			    resp, 400, "invalid_input",
			    k == n ? "unknown field '%s'" : "%s: expected a string", key);
			return SERTEL_EINVAL;
		}
		out[k] = json_string_value(v);
	}
	return 0;
}

/* A query parameter as a number in [min, max]; absent: def. */
static int
query_int(long long *out, struct http_req *r, struct http_resp *resp, const char *name,
          long long def, long long min, long long max)
{
	const char *v = http_query(r, name);

	*out = def;
	if (v != NULL && parse_ll(out, v, min, max) < 0) {
		http_error(resp, 400, "invalid_input", "%s: a number from %lld to %lld",
		           name, min, max);
		return SERTEL_EINVAL;
	}
	return 0;
}

/* ?agency= as an agency id (by id or exact name); absent: "". */
static int
query_agency(char out[17], struct http_req *r, struct http_resp *resp)
{
	const char *v = http_query(r, "agency");
	struct ra_agency ag;
	int rc;

	out[0] = '\0';
	if (v == NULL || v[0] == '\0')
		return 0;
	if ((rc = ra_agency_get(&ag, r->st, v)) < 0) {
		http_error_rc(resp, rc);
		return rc;
	}
	str_copy(out, 17, ag.id);
	return 0;
}

static int
missing_one(const struct gov_missing *m, void *arg)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", json_string(m->name));
	json_object_set_new(j, "nip", json_string(m->nip));
	json_object_set_new(j, "position", json_string(m->position));
	json_array_append_new(arg, j);
	return 0;
}

static void
coverage_get(struct http_req *r, struct http_resp *resp, int missing)
{
	const struct config *cfg = r->ctx->in->cfg;
	char agency[17];
	long long days, at, limit;
	json_t *j = NULL;
	int rc;

	if (cover_actor(r, resp, 0) < 0 || query_agency(agency, r, resp) < 0 ||
	    query_int(
	        &days, r, resp, "days",
	        config_get_int(cfg, "governance", "expiring_days", GOV_EXPIRING_DAYS), 1,
	        3650) < 0 ||
	    query_int(&at, r, resp, "at", time_now(), 1, 253402300799LL) < 0 ||
	    query_int(&limit, r, resp, "limit", 1000, 1, 100000) < 0)
		return;
	if (missing) {
		if (agency[0] == '\0') {
			http_error(resp, 400, "invalid_input", "agency: required");
			return;
		}
		j = json_array();
		rc = gov_missing_iter(r->st, &r->ra, agency, at, (int)limit, missing_one,
		                      j);
	} else {
		rc = gov_cover_report(&j, r->st, &r->ra, at, &r->ctx->in->tz, (int)days,
		                      agency[0] ? agency : NULL);
	}
	if (rc < 0) {
		json_decref(j);
		http_error_rc(resp, rc);
		return;
	}
	http_json(resp, 200, j);
}

static void
staff_import(struct http_req *r, struct http_resp *resp)
{
	static const char *const names[] = {"csv", "reason"};
	const char *v[2];
	struct gov_staff_result *res = NULL;
	size_t max;
	json_t *j = NULL;
	int rc;

	if (cover_actor(r, resp, 1) < 0 || body_strings(&j, r, resp, names, v, 2) < 0)
		goto out;
	if (v[0] == NULL) {
		http_error(resp, 400, "invalid_input", "csv: required (the file's text)");
		goto out;
	}
	max = (size_t)config_get_int(r->ctx->in->cfg, "governance", "staff_csv_max",
	                             GOV_STAFF_CSV_MAX);
	if ((res = calloc(1, sizeof(*res))) == NULL) {
		http_error_rc(resp, sertel_err(SERTEL_ENOMEM, "out of memory"));
		goto out;
	}
	rc = gov_staff_import(res, r->st, &r->ra, v[0], strlen(v[0]), max, v[1]);
	if (rc == SERTEL_EINVAL && res->nerrors > 0) {
		/* Every bad row with its line, under the one-line error. */
		json_t *e = gov_staff_result_json(res);

		json_object_set_new(e, "error", json_string(sertel_errmsg()));
		json_object_set_new(e, "code", json_string("invalid_input"));
		http_json(resp, 400, e);
	} else if (rc < 0) {
		http_error_rc(resp, rc);
	} else {
		http_json(resp, 200, gov_staff_result_json(res));
	}
out:
	free(res);
	json_decref(j);
}

static void
headcount_post(struct http_req *r, struct http_resp *resp)
{
	static const char *const names[] = {"agency", "count", "reason"};
	const char *v[3];
	json_t *j = NULL, *n;
	int rc;

	if (cover_actor(r, resp, 1) < 0 || body_strings(&j, r, resp, names, v, 3) < 0)
		goto out;
	n = json_object_get(j, "count");
	if (v[0] == NULL || !json_is_integer(n)) {
		http_error(resp, 400, "invalid_input",
		           "agency and count (a number) required");
		goto out;
	}
	if ((rc = gov_headcount_set(r->st, &r->ra, v[0], json_integer_value(n), v[2])) <
	    0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200,
	          json_pack("{s:s, s:I}", "agency", v[0], "headcount",
	                    (json_int_t)json_integer_value(n)));
out:
	json_decref(j);
}

static int
system_one(const struct gov_system *s, void *arg)
{
	json_array_append_new(arg, gov_system_json(s));
	return 0;
}

static int
probe_one(const struct gov_probe *p, void *arg)
{
	json_array_append_new(arg, gov_probe_json(p));
	return 0;
}

/* A new system (id NULL) or a change of one. */
static void
system_save(struct http_req *r, struct http_resp *resp, const char *id)
{
	static const char *const names[] = {"name",    "agency",      "url",
	                                    "purpose", "cert_serial", "reason"};
	const char *v[6];
	struct gov_system_req rq;
	struct gov_system sys;
	char warn[300];
	json_t *j = NULL, *out;
	int rc;

	if (cover_actor(r, resp, 1) < 0 || body_strings(&j, r, resp, names, v, 6) < 0)
		goto out;
	rq.name = v[0];
	rq.agency_id = v[1];
	rq.url = v[2];
	rq.purpose = v[3];
	rq.cert_serial = v[4];
	if ((rc = gov_system_save(&sys, warn, sizeof(warn), r->st, &r->ra, id, &rq,
	                          v[5])) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	out = gov_system_json(&sys);
	json_object_set_new(out, "warning", warn[0] ? json_string(warn) : json_null());
	http_json(resp, id == NULL ? 201 : 200, out);
out:
	json_decref(j);
}

static void
system_action(struct http_req *r, struct http_resp *resp, const char *id,
              const char *action)
{
	static const char *const names[] = {"reason"};
	const char *v[1];
	struct gov_probe_opts o;
	struct gov_probe p;
	struct gov_system sys;
	json_t *j = NULL;
	int rc;

	if (cover_actor(r, resp, 1) < 0 || body_strings(&j, r, resp, names, v, 1) < 0)
		goto out;
	if (strcmp(action, "probe") == 0) {
		gov_probe_opts_load(&o, r->ctx->in->cfg);
		if ((rc = gov_system_probe(&p, r->st, &r->ra, id, &o)) < 0)
			http_error_rc(resp, rc);
		else
			http_json(resp, 200, gov_probe_json(&p));
		goto out;
	}
	if (strcmp(action, "retire") != 0 && strcmp(action, "activate") != 0) {
		http_error(resp, 404, "not_found", "no such action: %s", action);
		goto out;
	}
	if ((rc = gov_system_set_state(
	         r->st, &r->ra, id,
	         action[0] == 'r' ? GOV_SYSTEM_RETIRED : GOV_SYSTEM_ACTIVE, v[0])) < 0 ||
	    (rc = gov_system_get(&sys, r->st, &r->ra, id)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200, gov_system_json(&sys));
out:
	json_decref(j);
}

static void
systems(struct http_req *r, struct http_resp *resp, const char *rest)
{
	char agency[17], id[17];
	const char *slash;
	struct gov_system sys;
	json_t *arr, *j;
	long long limit;
	int rc;

	if (rest[0] == '\0' && strcmp(r->method, "POST") == 0) {
		system_save(r, resp, NULL);
		return;
	}
	if (rest[0] == '\0') {
		if (cover_actor(r, resp, 0) < 0 || query_agency(agency, r, resp) < 0)
			return;
		arr = json_array();
		if ((rc = gov_system_iter(r->st, &r->ra, agency[0] ? agency : NULL,
		                          system_one, arr)) < 0) {
			json_decref(arr);
			http_error_rc(resp, rc);
			return;
		}
		http_json(resp, 200, arr);
		return;
	}
	/* "/{id}" or "/{id}/action" */
	slash = strchr(rest + 1, '/');
	if (rest[0] != '/' ||
	    (size_t)((slash ? slash : rest + strlen(rest)) - rest - 1) != 16) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return;
	}
	memcpy(id, rest + 1, 16);
	id[16] = '\0';
	if (strspn(id, "0123456789abcdef") != 16) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return;
	}
	if (slash != NULL) {
		if (strcmp(r->method, "POST") != 0) {
			http_error(resp, 405, "method_not_allowed", "POST only");
			return;
		}
		system_action(r, resp, id, slash + 1);
		return;
	}
	if (strcmp(r->method, "POST") == 0) {
		system_save(r, resp, id);
		return;
	}
	if (cover_actor(r, resp, 0) < 0 ||
	    query_int(&limit, r, resp, "limit", 50, 1, 1000) < 0)
		return;
	if ((rc = gov_system_get(&sys, r->st, &r->ra, id)) < 0) {
		http_error_rc(resp, rc);
		return;
	}
	j = gov_system_json(&sys);
	arr = json_array();
	json_object_set_new(j, "probes", arr);
	if ((rc = gov_probe_iter(r->st, &r->ra, id, (int)limit, probe_one, arr)) < 0) {
		json_decref(j);
		http_error_rc(resp, rc);
		return;
	}
	http_json(resp, 200, j);
}

int
api_gov_cover(struct http_req *r, struct http_resp *resp)
{
	const char *p = r->path + strlen(GOV_PREFIX);
	int get = strcmp(r->method, "GET") == 0;

	if (get && strcmp(p, "coverage") == 0)
		coverage_get(r, resp, 0);
	else if (get && strcmp(p, "coverage/missing") == 0)
		coverage_get(r, resp, 1);
	else if (!get && strcmp(p, "staff/import") == 0)
		staff_import(r, resp);
	else if (!get && strcmp(p, "headcounts") == 0)
		headcount_post(r, resp);
	else if (strncmp(p, "systems", 7) == 0 && (p[7] == '\0' || p[7] == '/'))
		systems(r, resp, p + 7);
	else
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
	return 0;
}
