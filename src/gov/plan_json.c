/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Needs, plans, decrees and scope as JSON: one shape for the REST API
 * (src/http/api_gov_plan.c) and `sertel gov ... --json`.
 */
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"

static json_t *
time_json(int64_t t)
{
	char b[32];

	if (t <= 0)
		return json_null();
	time_fmt(b, t);
	return json_string(b);
}

json_t *
gov_need_json(const struct gov_need *n)
{
	return json_pack(
	    "{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I}", "id",
	    n->id, "agency_id", n->agency_id, "year", n->year, "state", n->state,
	    "justification", n->justification, "reason", n->reason, "created_by",
	    n->created_by, "created_at", time_json(n->created_at), "submitted_at",
	    time_json(n->submitted_at), "decided_at", time_json(n->decided_at),
	    "updated_at", time_json(n->updated_at), "items", (json_int_t)n->items,
	    "total", (json_int_t)n->total);
}

json_t *
gov_need_item_json(const struct gov_need_item *it)
{
	json_t *j =
	    json_pack("{s:i, s:s, s:s, s:I, s:s, s:s}", "idx", it->idx, "type", it->type,
	              "usage", it->usage, "count", (json_int_t)it->count, "system_name",
	              it->system_name, "justification", it->justification);

	if (j != NULL && it->priority > 0)
		json_object_set_new(j, "analysis",
		                    json_pack("{s:i, s:i, s:i, s:I, s:s}", "priority",
		                              it->priority, "planned_year",
		                              it->planned_year, "planned_quarter",
		                              it->planned_quarter, "budget_amount",
		                              (json_int_t)it->budget_amount,
		                              "budget_source", it->budget_source));
	else if (j != NULL)
		json_object_set_new(j, "analysis", json_null());
	return j;
}

static int
item_add(const struct gov_need_item *it, void *arg)
{
	return json_array_append_new(arg, gov_need_item_json(it)) < 0
	           ? sertel_err(SERTEL_ENOMEM, "out of memory")
	           : 0;
}

int
gov_need_full_json(json_t **out, struct store *st, const char *need_id)
{
	struct gov_need *n = NULL;
	struct ra_agency ag;
	json_t *j = NULL, *items = json_array();
	int rc;

	*out = NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = gov_need_get(n, st, need_id)) < 0 ||
	    (rc = ra_agency_get(&ag, st, n->agency_id)) < 0 ||
	    (rc = gov_need_items(st, n->id, item_add, items)) < 0)
		goto out;
	if ((j = gov_need_json(n)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	json_object_set_new(j, "agency", json_string(ag.name));
	json_object_set_new(j, "item_list", items);
	items = NULL;
	*out = j;
out:
	json_decref(items);
	free(n);
	return rc;
}

static int
total_add(const struct gov_need_total *t, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:I}", "type",
	                                            t->type, "usage", t->usage, "count",
	                                            (json_int_t)t->count, "budget",
	                                            (json_int_t)t->budget)) < 0
	           ? sertel_err(SERTEL_ENOMEM, "out of memory")
	           : 0;
}

int
gov_need_totals_json(json_t **out, struct store *st, const struct ra_actor *who, int year)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = gov_need_totals(st, who, year, total_add, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

json_t *
gov_plan_json(const struct gov_plan *p)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:o, s:o}", "id", p->id, "title",
	                 p->title, "start_year", p->start_year, "end_year", p->end_year,
	                 "refs", p->refs, "created_by", p->created_by, "created_at",
	                 time_json(p->created_at), "updated_at",
	                 time_json(p->updated_at));
}

static int
target_add(const struct gov_plan_target *t, void *arg)
{
	return json_array_append_new(arg,
	                             json_pack("{s:i, s:I, s:I, s:I, s:s}", "year",
	                                       t->year, "asn_bp", (json_int_t)t->asn_bp,
	                                       "systems", (json_int_t)t->systems,
	                                       "services", (json_int_t)t->services,
	                                       "activities", t->activities)) < 0
	           ? sertel_err(SERTEL_ENOMEM, "out of memory")
	           : 0;
}

static int
review_add(const struct gov_plan_review *r, void *arg)
{
	char d[32];

	time_fmt(d, r->reviewed_at);
	d[10] = '\0';
	return json_array_append_new(arg,
	                             json_pack("{s:s, s:s, s:s}", "date", d, "outcome",
	                                       r->outcome, "by", r->by_actor)) < 0
	           ? sertel_err(SERTEL_ENOMEM, "out of memory")
	           : 0;
}

static int
doc_add(const struct gov_plan_doc *d, void *arg)
{
	return json_array_append_new(
	           arg, json_pack("{s:i, s:s, s:s, s:I, s:s, s:o}", "idx", d->idx,
	                          "filename", d->filename, "sha256", d->sha256, "size",
	                          (json_int_t)d->size, "added_by", d->added_by,
	                          "added_at", time_json(d->added_at))) < 0
	           ? sertel_err(SERTEL_ENOMEM, "out of memory")
	           : 0;
}

int
gov_plan_full_json(json_t **out, struct store *st, const char *plan_id, int warn_days,
                   int64_t now)
{
	struct gov_plan *p = NULL;
	enum gov_review_status rs;
	json_t *j = NULL, *t = json_array(), *r = json_array(), *d = json_array();
	int64_t since = 0;
	int rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = gov_plan_get(p, st, plan_id)) < 0 ||
	    (rc = gov_plan_targets(st, p->id, target_add, t)) < 0 ||
	    (rc = gov_plan_reviews(st, p->id, review_add, r)) < 0 ||
	    (rc = gov_plan_docs(st, p->id, doc_add, d)) < 0 ||
	    (rc = gov_plan_review_status(&rs, &since, st, p->id, warn_days, now)) < 0)
		goto out;
	if ((j = gov_plan_json(p)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	json_object_set_new(j, "targets", t);
	json_object_set_new(j, "reviews", r);
	json_object_set_new(j, "documents", d);
	t = r = d = NULL;
	json_object_set_new(j, "review_status", json_string(gov_review_status_name(rs)));
	json_object_set_new(j, "review_since", time_json(since));
	json_object_set_new(j, "review_by", time_json(since + 365 * 86400LL));
	*out = j;
out:
	json_decref(t);
	json_decref(r);
	json_decref(d);
	free(p);
	return rc;
}

json_t *
gov_decree_json(const struct gov_decree *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:o}", "id", d->id, "number",
	                 d->number, "date", d->date, "title", d->title, "has_pdf",
	                 d->has_pdf, "created_by", d->created_by, "created_at",
	                 time_json(d->created_at));
}

json_t *
gov_scope_json(const struct gov_scope *s)
{
	if (s->decree_id[0] == '\0')
		return json_pack("{s:s, s:s, s:b}", "agency_id", s->agency_id, "agency",
		                 s->agency_name, "in_scope", 0);
	return json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:o}", "agency_id", s->agency_id,
	                 "agency", s->agency_name, "in_scope", 1, "decree_id",
	                 s->decree_id, "number", s->number, "date", s->date, "since",
	                 time_json(s->since));
}
