/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Security incidents over HTTP (Cirebon 24, Denpasar 25; src/gov/incident.c):
 *
 *   GET  /api/v1/gov/incidents[?state=S][&severity=S][&limit=N][&offset=N]
 *   POST /api/v1/gov/incidents                 {kind, severity, title,
 *                                               description, certificates}
 *   GET  /api/v1/gov/incidents/{id}            facts, notices, timeline
 *   POST /api/v1/gov/incidents/{id}/handle | close | note   {note}
 *
 * Who acts is the token's RA actor (a person's token: that person; an
 * admin token: the local administrator; an auditor token reads).  Every
 * rule (who reports, reads, handles; the transitions) is gov_incident_*'s;
 * this file maps JSON to those calls and errors to statuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/http_int.h"

#define INCIDENTS_PREFIX "/api/v1/gov/incidents/"

static void
time_or_null(json_t *j, const char *key, int64_t t)
{
	char s[32];

	if (t > 0) {
		time_fmt(s, t);
		json_object_set_new(j, key, json_string(s));
	} else {
		json_object_set_new(j, key, json_null());
	}
}

json_t *
http_gov_incident_json(const struct gov_incident *inc, int full)
{
	json_t *j, *a, *n;
	int i;

	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i}", "id", inc->id,
	              "kind", inc->kind, "severity", inc->severity, "state", inc->state,
	              "title", inc->title, "description", inc->description, "reporter",
	              inc->reporter, "flagged", inc->flagged, "recipients",
	              inc->recipients, "delivered", inc->delivered);
	if (j == NULL)
		return NULL;
	json_object_set_new(j, "reporter_nik",
	                    inc->reporter_nik[0] ? json_string(inc->reporter_nik)
	                                         : json_null());
	json_object_set_new(j, "revocation_request_id",
	                    inc->revocation_request_id[0]
	                        ? json_string(inc->revocation_request_id)
	                        : json_null());
	time_or_null(j, "reported_at", inc->reported_at);
	time_or_null(j, "notified_at", inc->notified_at);
	time_or_null(j, "handled_at", inc->handled_at);
	time_or_null(j, "closed_at", inc->closed_at);
	time_or_null(j, "flag_mailed_at", inc->flag_mailed_at);
	json_object_set_new(j, "delay_seconds",
	                    inc->delay >= 0 ? json_integer(inc->delay) : json_null());
	if (!full)
		return j;
	a = json_array();
	for (i = 0; i < inc->ncerts; i++)
		json_array_append_new(a, json_string(inc->certs[i]));
	json_object_set_new(j, "certificates", a);
	a = json_array();
	for (i = 0; i < inc->nnotices; i++) {
		n = json_pack("{s:s, s:s, s:s}", "label", inc->notices[i].label,
		              "address", inc->notices[i].address, "mail_id",
		              inc->notices[i].mail_id);
		time_or_null(n, "queued_at", inc->notices[i].queued_at);
		time_or_null(n, "delivered_at", inc->notices[i].delivered_at);
		json_array_append_new(a, n);
	}
	json_object_set_new(j, "notices", a);
	return j;
}

struct events_out {
	json_t *arr;
	struct store *st;
	int sees_all; /* the Dinas and the auditor read the trail's labels */
};

/* Who acted: the person's name for everyone; the trail's label (with a
 * NIK in it) only for those who read every record (ra_sees_all). */
static int
event_one(const struct gov_incident_event *ev, void *arg)
{
	struct events_out *o = arg;
	struct ra_person p;
	const char *name = NULL;
	json_t *e;

	if (strncmp(ev->actor, "nik:", 4) == 0 &&
	    ra_person_get(&p, o->st, ev->actor + 4) == 0)
		name = p.name;
	sertel_err_clear();
	e = json_pack("{s:I, s:s?, s:s?, s:s, s:s}", "seq", (json_int_t)ev->seq, "actor",
	              o->sees_all || strncmp(ev->actor, "nik:", 4) != 0 ? ev->actor
	                                                                : NULL,
	              "actor_name", name, "action", ev->action, "note", ev->note);
	time_or_null(e, "at", ev->at);
	return json_array_append_new(o->arr, e) == 0 ? 0 : SERTEL_ENOMEM;
}

int
http_gov_incident_full(json_t **out, struct store *st, const struct config *cfg,
                       const struct ra_actor *who, const char *id)
{
	struct gov_incident *inc = malloc(sizeof(*inc));
	json_t *tl = json_array();
	struct events_out eo = {tl, st, ra_sees_all(who)};
	int rc;

	*out = NULL;
	if (inc == NULL || tl == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = gov_incident_get(inc, st, cfg, who, id)) < 0 ||
	    (rc = gov_incident_events(st, cfg, who, id, event_one, &eo)) < 0)
		goto out;
	*out = http_gov_incident_json(inc, 1);
	json_object_set_new(*out, "timeline", tl);
	tl = NULL;
out:
	json_decref(tl);
	free(inc);
	return rc;
}

/* A person or the administrator; an application token is nobody here. */
static int
incident_actor(struct http_req *r, struct http_resp *resp)
{
	if (http_auth(r, resp) < 0)
		return SERTEL_EAUTH;
	if (r->ra.roles == 0) {
		http_error(
		    resp, 403, "forbidden",
		    "%s: a token with role %s is nobody in the governance records; use "
		    "a person's token (sertel token create --nik)",
		    r->actor, r->role);
		return SERTEL_EPERM;
	}
	return 0;
}

static int
list_one(const struct gov_incident *inc, void *arg)
{
	return json_array_append_new(arg, http_gov_incident_json(inc, 0)) == 0
	           ? 0
	           : SERTEL_ENOMEM;
}

static int
page_arg(int *out, const char *v, int def, int min, int max, const char *name,
         struct http_resp *resp)
{
	long long n;

	*out = def;
	if (v == NULL)
		return 0;
	if (parse_ll(&n, v, min, max) < 0) {
		http_error(resp, 400, "invalid_input", "%s: a number from %d to %d", name,
		           min, max);
		return SERTEL_EINVAL;
	}
	*out = (int)n;
	return 0;
}

static void
incidents_list(struct http_req *r, struct http_resp *resp)
{
	struct gov_incident_filter f;
	json_t *arr = json_array();
	int64_t total = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.state = http_query(r, "state");
	f.severity = http_query(r, "severity");
	if (page_arg(&f.limit, http_query(r, "limit"), 50, 1, 200, "limit", resp) < 0 ||
	    page_arg(&f.offset, http_query(r, "offset"), 0, 0, 1000000, "offset", resp) <
	        0)
		goto out;
	if ((rc = gov_incident_list(r->st, r->ctx->in->cfg, &r->ra, &f, &total, list_one,
	                            arr)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200,
	          json_pack("{s:I, s:O, s:I}", "total", (json_int_t)total, "incidents",
	                    arr, "notify_within_seconds",
	                    (json_int_t)gov_incident_within(r->ctx->in->cfg)));
out:
	json_decref(arr);
}

/* Unknown fields are refused: a typo must not silently drop a value. */
static int
fields_only(json_t *j, const char *const *allowed, size_t n, struct http_resp *resp)
{
	const char *key;
	json_t *v;
	size_t k;

	json_object_foreach(j, key, v)
	{
		for (k = 0; k < n && strcmp(key, allowed[k]) != 0; k++)
			;
		if (k == n) {
			http_error(resp, 400, "invalid_input", "unknown field '%s'", key);
			return SERTEL_EINVAL;
		}
		if (strcmp(key, "certificates") != 0 && !json_is_string(v) &&
		    !json_is_null(v)) {
			http_error(resp, 400, "invalid_input", "%s: a string", key);
			return SERTEL_EINVAL;
		}
	}
	return 0;
}

static void
incident_report(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"kind", "severity", "title", "description",
	                                      "certificates"};
	const char *serials[GOV_INCIDENT_CERTS_MAX];
	struct gov_incident *inc = malloc(sizeof(*inc));
	struct gov_incident_new in;
	char loc[128];
	json_t *j = NULL, *out = NULL;
	int rc;

	memset(&in, 0, sizeof(in));
	if (inc == NULL) {
		http_error(resp, 500, "internal", "internal error");
		return;
	}
	if ((j = http_json_body(r, resp)) == NULL ||
	    fields_only(j, allowed, sizeof(allowed) / sizeof(allowed[0]), resp) < 0 ||
	    http_json_names(serials, &in.nserials, GOV_INCIDENT_CERTS_MAX, j,
	                    "certificates", resp) < 0)
		goto out;
	in.kind = json_string_value(json_object_get(j, "kind"));
	in.severity = json_string_value(json_object_get(j, "severity"));
	in.title = json_string_value(json_object_get(j, "title"));
	in.description = json_string_value(json_object_get(j, "description"));
	in.serials = serials;
	if ((rc = gov_incident_report(inc, r->st, r->ctx->in->cfg, &r->ra, &in)) < 0 ||
	    (rc = http_gov_incident_full(&out, r->st, r->ctx->in->cfg, &r->ra, inc->id)) <
	        0) {
		http_error_rc(resp, rc);
		goto out;
	}
	snprintf(loc, sizeof(loc), "Location: " INCIDENTS_PREFIX "%s\n", inc->id);
	str_copy(resp->extra_headers, sizeof(resp->extra_headers), loc);
	http_json(resp, 201, out);
out:
	json_decref(j);
	free(inc);
}

int
api_gov_incidents(struct http_req *r, struct http_resp *resp)
{
	if (incident_actor(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "GET") == 0)
		incidents_list(r, resp);
	else
		incident_report(r, resp);
	return 0;
}

int
api_gov_incident(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"note"};
	const char *rest = r->path + strlen(INCIDENTS_PREFIX), *slash;
	char id[17], action[16];
	json_t *j = NULL, *out = NULL;
	size_t n;
	int rc;

	if (incident_actor(r, resp) < 0)
		return 0;
	slash = strchr(rest, '/');
	n = slash ? (size_t)(slash - rest) : strlen(rest);
	if (n == 0 || n >= sizeof(id) || (slash && strlen(slash + 1) >= sizeof(action)) ||
	    (strcmp(r->method, "GET") == 0) != (slash == NULL)) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	memcpy(id, rest, n);
	id[n] = '\0';
	if (slash == NULL) {
		if ((rc = http_gov_incident_full(&out, r->st, r->ctx->in->cfg, &r->ra,
		                                 id)) < 0)
			http_error_rc(resp, rc);
		else
			http_json(resp, 200, out);
		return 0;
	}
	str_copy(action, sizeof(action), slash + 1);
	if (strcmp(action, "handle") != 0 && strcmp(action, "close") != 0 &&
	    strcmp(action, "note") != 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if ((j = http_json_body(r, resp)) == NULL || fields_only(j, allowed, 1, resp) < 0)
		goto out;
	if ((rc = gov_incident_act(NULL, r->st, r->ctx->in->cfg, &r->ra, id, action,
	                           json_string_value(json_object_get(j, "note")))) < 0 ||
	    (rc = http_gov_incident_full(&out, r->st, r->ctx->in->cfg, &r->ra, id)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200, out);
out:
	json_decref(j);
	return 0;
}
