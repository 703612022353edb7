/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: security incidents (Cirebon 24, Denpasar 25).
 *
 *   GET  /insiden                 the incidents one may read, filters, and
 *                                 the report form (everyone who reports)
 *   POST /insiden                 gov_incident_report
 *   GET  /insiden/ID              facts, certificates, notices with their
 *                                 delivery times, the timeline, actions
 *   POST /insiden/ID/tangani | tutup | catatan     gov_incident_act
 *
 * Every rule (who reports, reads, handles; the transitions) is
 * src/gov/incident.c's; these pages only pass the actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/web_portal.h"

#define INCIDENT_PAGE 50

static const struct {
	const char *path; /* below /insiden/ID/ */
	const char *action;
} acts[] = {
    {"tangani", "handle"},
    {"tutup", "close"},
    {"catatan", "note"},
};

/* {value, label, selected} for each of list, labels from prefix. */
static json_t *
options(struct page *pg, const char *const *list, int n, const char *prefix,
        const char *chosen)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:b}", "value", list[i], "label",
		                   wp_msg(pg, prefix, list[i]), "selected",
		                   chosen != NULL && strcmp(chosen, list[i]) == 0));
	return arr;
}

static void
delay_text(char *out, size_t outsz, struct page *pg, int64_t d)
{
	if (d < 0)
		snprintf(out, outsz, "%s", wp_msg(pg, "", "incident.delay.none"));
	else if (d < 120)
		snprintf(out, outsz, "%lld %s", (long long)d,
		         wp_msg(pg, "", "incident.sec"));
	else if (d < 7200)
		snprintf(out, outsz, "%lld %s", (long long)(d / 60),
		         wp_msg(pg, "", "incident.min"));
	else
		snprintf(out, outsz, "%lld %s", (long long)(d / 3600),
		         wp_msg(pg, "", "incident.hour"));
}

static json_t *
incident_json(struct page *pg, const struct gov_incident *inc)
{
	char reported[WP_TIME_MAX], notified[WP_TIME_MAX], delay[64];

	wp_time(reported, pg, inc->reported_at, 1);
	wp_time(notified, pg, inc->notified_at, 1);
	delay_text(delay, sizeof(delay), pg, inc->delay);
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, "
	    "s:i, s:i}",
	    "id", inc->id, "title", inc->title, "kind",
	    wp_msg(pg, "incident.kind.", inc->kind), "severity", inc->severity,
	    "severity_label", wp_msg(pg, "incident.sev.", inc->severity), "state",
	    inc->state, "state_label", wp_msg(pg, "incident.state.", inc->state),
	    "reported", reported, "notified", notified, "delay", delay, "flagged",
	    inc->flagged, "no_recipients", inc->recipients == 0, "is_notified",
	    inc->notified_at > 0, "recipients", inc->recipients, "delivered",
	    inc->delivered);
}

static int
row(const struct gov_incident *inc, void *arg)
{
	struct page *pg = ((void **)arg)[0];

	return json_array_append_new(((void **)arg)[1], incident_json(pg, inc)) == 0
	           ? 0
	           : SERTEL_ENOMEM;
}

/* The list, its filters and the report form (values kept after a refusal,
 * form_error then says why). */
static int
incident_list(struct page *pg, int status, const char *form_error)
{
	struct gov_incident_filter f;
	const char *state = http_query(pg->r, "status"),
	           *sev = http_query(pg->r, "tingkat");
	const char *const *kinds, *const *sevs;
	static const char *const states[] = {"reported", "notified", "handled", "closed"};
	json_t *arr = json_array(), *v;
	void *args[2] = {pg, arr};
	int64_t total = 0;
	int nk, ns, rc;

	memset(&f, 0, sizeof(f));
	f.state = state && *state ? state : NULL;
	f.severity = sev && *sev ? sev : NULL;
	f.limit = INCIDENT_PAGE;
	if ((rc = gov_incident_list(pg->r->st, pg->r->ctx->in->cfg, &pg->who, &f, &total,
	                            row, args)) < 0) {
		json_decref(arr);
		if (rc != SERTEL_EINVAL)
			return wp_rule_error(pg, rc, "incident.refused");
		/* An unknown filter value: the page without it, said so. */
		memset(&f, 0, sizeof(f));
		f.limit = INCIDENT_PAGE;
		arr = json_array();
		args[1] = arr;
		json_object_set_new(pg->ctx, "filter_error", json_true());
		if ((rc = gov_incident_list(pg->r->st, pg->r->ctx->in->cfg, &pg->who, &f,
		                            &total, row, args)) < 0) {
			json_decref(arr);
			return wp_rule_error(pg, rc, "incident.refused");
		}
		status = 400;
	}
	kinds = gov_incident_kinds(&nk);
	sevs = gov_incident_severities(&ns);
	json_object_set_new(pg->ctx, "incidents", arr);
	json_object_set_new(pg->ctx, "has_incidents", json_boolean(total > 0));
	json_object_set_new(pg->ctx, "total", json_integer(total));
	json_object_set_new(pg->ctx, "states",
	                    options(pg, states, 4, "incident.state.", f.state));
	json_object_set_new(pg->ctx, "severities",
	                    options(pg, sevs, ns, "incident.sev.", f.severity));
	/* The form for whoever reports (an auditor reads only: no form). */
	if (!(pg->who.roles & ROLE_AUDITOR)) {
		v = json_pack(
		    "{s:s, s:s, s:s}", "judul",
		    web_form_get(&pg->form, "judul") ? web_form_get(&pg->form, "judul")
		                                     : "",
		    "uraian",
		    web_form_get(&pg->form, "uraian") ? web_form_get(&pg->form, "uraian")
		                                      : "",
		    "sertifikat",
		    web_form_get(&pg->form, "sertifikat")
		        ? web_form_get(&pg->form, "sertifikat")
		        : "");
		json_object_set_new(pg->ctx, "report",
		                    json_pack("{s:o, s:o, s:o}", "kinds",
		                              options(pg, kinds, nk, "incident.kind.",
		                                      web_form_get(&pg->form, "jenis")),
		                              "sevs",
		                              options(pg, sevs, ns, "incident.sev.",
		                                      web_form_get(&pg->form, "tingkat")),
		                              "v", v));
	}
	if (form_error != NULL)
		json_object_set_new(pg->ctx, "form_error", json_string(form_error));
	return wp_render(pg, status, "gov-incident", "incident.title");
}

static int
page_list(struct page *pg)
{
	return incident_list(pg, 200, NULL);
}

/* "S1, S2" or one a line: at most GOV_INCIDENT_CERTS_MAX serials. */
static int
serials_split(char *buf, const char **out, int *n)
{
	char *p = buf, *e;

	*n = 0;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\r' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (*n == GOV_INCIDENT_CERTS_MAX)
			return SERTEL_ETOOBIG;
		out[(*n)++] = p;
		for (e = p; *e && *e != ' ' && *e != ',' && *e != '\n' && *e != '\r' &&
		            *e != '\t';
		     e++)
			;
		p = e;
	}
	return 0;
}

static int
page_report(struct page *pg)
{
	const char *serials[GOV_INCIDENT_CERTS_MAX], *certs;
	struct gov_incident *inc = NULL;
	struct gov_incident_new nw;
	char buf[GOV_INCIDENT_CERTS_MAX * (SERIAL_HEX_MAX + 4)], msg[700], loc[64];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	memset(&nw, 0, sizeof(nw));
	nw.kind = web_form_get(&pg->form, "jenis");
	nw.severity = web_form_get(&pg->form, "tingkat");
	nw.title = web_form_get(&pg->form, "judul");
	nw.description = web_form_get(&pg->form, "uraian");
	certs = web_form_get(&pg->form, "sertifikat");
	if (certs != NULL) {
		if (strlen(certs) >= sizeof(buf))
			return incident_list(pg, 413,
			                     wp_msg(pg, "", "incident.err.certs"));
		str_copy(buf, sizeof(buf), certs);
		if (serials_split(buf, serials, &nw.nserials) < 0)
			return incident_list(pg, 413,
			                     wp_msg(pg, "", "incident.err.certs"));
		nw.serials = serials;
	}
	if ((inc = malloc(sizeof(*inc))) == NULL)
		return wp_error(pg, 500, "internal error");
	if ((rc = gov_incident_report(inc, pg->r->st, pg->r->ctx->in->cfg, &pg->who,
	                              &nw)) < 0) {
		free(inc);
		snprintf(msg, sizeof(msg), "%s: %s", wp_msg(pg, "", "incident.refused"),
		         sertel_errmsg());
		return incident_list(pg, wp_rule_status(rc), msg);
	}
	snprintf(loc, sizeof(loc), "/insiden/%s?ok=lapor", inc->id);
	free(inc);
	return wp_redirect(pg, loc);
}

struct timeline {
	struct page *pg;
	json_t *arr;
};

/* Who acted, as a reader of the page may see it: a registered person by
 * name (the trail's "nik:..." label would show their NIK to the reporter
 * and to heads of agency), sertel's own steps as such. */
static void
actor_shown(char *out, size_t outsz, struct page *pg, const char *actor)
{
	struct ra_person p;

	if (strncmp(actor, "nik:", 4) == 0 &&
	    ra_person_get(&p, pg->r->st, actor + 4) == 0) {
		str_copy(out, outsz, p.name);
		return;
	}
	sertel_err_clear();
	if (strncmp(actor, "nik:", 4) == 0)
		str_copy(out, outsz, wp_text(pg, "incident.actor.person"));
	else if (strncmp(actor, "system:", 7) == 0)
		str_copy(out, outsz, wp_text(pg, "incident.actor.system"));
	else
		str_copy(out, outsz, wp_text(pg, "incident.actor.admin"));
}

static int
event_row(const struct gov_incident_event *ev, void *arg)
{
	struct timeline *t = arg;
	char at[WP_TIME_MAX], utc[32], who[SERTEL_MAX_NAME];

	wp_time(at, t->pg, ev->at, 1);
	time_fmt(utc, ev->at);
	actor_shown(who, sizeof(who), t->pg, ev->actor);
	return json_array_append_new(t->arr,
	                             json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", at,
	                                       "utc", utc, "actor", who, "action",
	                                       wp_msg(t->pg, "incident.ev.", ev->action),
	                                       "note", ev->note)) == 0
	           ? 0
	           : SERTEL_ENOMEM;
}

static int
incident_show(struct page *pg, const char *id, int status, const char *form_error)
{
	struct gov_incident *inc = malloc(sizeof(*inc));
	struct timeline tl = {pg, NULL};
	char at[WP_TIME_MAX], shown[SERIAL_HEX_MAX * 2];
	const char *ok = http_query(pg->r, "ok");
	json_t *j, *arr;
	int i, rc, handler, closed;

	if (inc == NULL)
		return wp_error(pg, 500, "internal error");
	if ((rc = gov_incident_get(inc, pg->r->st, pg->r->ctx->in->cfg, &pg->who, id)) <
	    0) {
		free(inc);
		return wp_rule_error(pg, rc, "incident.refused");
	}
	j = incident_json(pg, inc);
	json_object_set_new(j, "description", json_string(inc->description));
	json_object_set_new(j, "within",
	                    json_integer(gov_incident_within(pg->r->ctx->in->cfg)));
	arr = json_array();
	for (i = 0; i < inc->ncerts; i++) {
		wp_serial_shown(shown, sizeof(shown), inc->certs[i]);
		json_array_append_new(arr, json_pack("{s:s, s:s}", "serial",
		                                     inc->certs[i], "shown", shown));
	}
	json_object_set_new(j, "certs", arr);
	json_object_set_new(j, "has_certs", json_boolean(inc->ncerts > 0));
	arr = json_array();
	for (i = 0; i < inc->nnotices; i++) {
		wp_time(at, pg, inc->notices[i].delivered_at, 1);
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:b}", "label", inc->notices[i].label,
		                   "address", inc->notices[i].address, "delivered", at,
		                   "is_delivered", inc->notices[i].delivered_at > 0));
	}
	json_object_set_new(j, "notices", arr);
	tl.arr = json_array();
	if ((rc = gov_incident_events(pg->r->st, pg->r->ctx->in->cfg, &pg->who, id,
	                              event_row, &tl)) < 0) {
		json_decref(tl.arr);
		json_decref(j);
		free(inc);
		return wp_rule_error(pg, rc, "incident.refused");
	}
	json_object_set_new(j, "timeline", tl.arr);
	/* The controls a reader may use; the rule is gov_incident_act's, this
	 * only spares the auditor and the others a button that is refused. */
	handler = (pg->who.roles & (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN)) != 0;
	closed = strcmp(inc->state, "closed") == 0;
	json_object_set_new(
	    j, "may_handle",
	    json_boolean(handler && (strcmp(inc->state, "reported") == 0 ||
	                             strcmp(inc->state, "notified") == 0)));
	json_object_set_new(j, "may_close",
	                    json_boolean(handler && strcmp(inc->state, "handled") == 0));
	json_object_set_new(
	    j, "may_note",
	    json_boolean(!closed && !(pg->who.roles & ROLE_AUDITOR) &&
	                 (handler || (pg->who.nik[0] &&
	                              strcmp(pg->who.nik, inc->reporter_nik) == 0))));
	json_object_set_new(pg->ctx, "inc", j);
	if (form_error != NULL)
		json_object_set_new(pg->ctx, "form_error", json_string(form_error));
	else if (ok != NULL && (strcmp(ok, "lapor") == 0 || strcmp(ok, "tangani") == 0 ||
	                        strcmp(ok, "tutup") == 0 || strcmp(ok, "catatan") == 0))
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              wp_msg(pg, "incident.ok.", ok)));
	free(inc);
	return wp_render(pg, status, "gov-incident-show", "incident.show.title");
}

static int
page_show(struct page *pg)
{
	const char *id = pg->sub + strlen("/insiden/");

	if (strchr(id, '/') != NULL || strlen(id) > 16)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	return incident_show(pg, id, 200, NULL);
}

static int
page_act(struct page *pg)
{
	const char *rest = pg->sub + strlen("/insiden/"), *slash = strchr(rest, '/');
	char id[17], loc[96], msg[1400];
	size_t i, n;
	int rc;

	n = slash ? (size_t)(slash - rest) : 0;
	for (i = 0; slash && i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcmp(slash + 1, acts[i].path) == 0)
			break;
	if (slash == NULL || n == 0 || n >= sizeof(id) ||
	    i == sizeof(acts) / sizeof(acts[0]))
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(id, rest, n);
	id[n] = '\0';
	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if ((rc = gov_incident_act(NULL, pg->r->st, pg->r->ctx->in->cfg, &pg->who, id,
	                           acts[i].action, web_form_get(&pg->form, "catatan"))) <
	    0) {
		snprintf(msg, sizeof(msg), "%s: %s", wp_msg(pg, "", "incident.refused"),
		         sertel_errmsg());
		/* Who may not read it gets the plain refusal, nothing of it. */
		if (rc == SERTEL_EPERM || rc == SERTEL_ENOTFOUND)
			return wp_error(pg, wp_rule_status(rc), msg);
		return incident_show(pg, id, wp_rule_status(rc), msg);
	}
	snprintf(loc, sizeof(loc), "/insiden/%s?ok=%s", id, acts[i].path);
	return wp_redirect(pg, loc);
}

WP_ROUTES(wp_routes_gov_incident,
          {"GET", "/insiden", 1, 0, page_list, "nav.gov.incident"},
          {"POST", "/insiden", 1, 0, page_report, NULL},
          {"GET", "/insiden/", 1, 0, page_show, NULL},
          {"POST", "/insiden/", 1, 0, page_act, NULL}, );
