/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel gov needs | plan | decree: an agency's needs per year, the master
 * plan and road map, the decree and the agencies in its scope (src/gov
 * needs.c, plan.c).  Every subcommand acts as --as NIK or, without it, as
 * the local administrator; the rules (who may, in which state) are
 * src/gov's.
 *
 *   gov needs create --agency A --year Y [--justification T]
 *   gov needs add-item ID --type T --usage U --count N [--system S]
 *                         [--justification T]
 *   gov needs remove-item ID --item N
 *   gov needs submit ID | plan ID [--reason R] | reject ID --reason R |
 *             reopen ID --reason R
 *   gov needs analyse ID --item N --priority P --planned-year Y --quarter Q
 *                        --budget RP --source S
 *   gov needs list [--year Y] [--agency A] | show ID | totals --year Y
 *   gov plan create --title T --start-year Y [--refs T] --reason R
 *   gov plan update ID [--title T] [--refs T] --reason R
 *   gov plan target ID --year Y --asn-percent P --systems N --services N
 *                      [--activities T] --reason R
 *   gov plan attach ID --file PDF --reason R
 *   gov plan review ID --date YYYY-MM-DD --outcome T
 *   gov plan list | show [ID] | status [ID]
 *   gov decree add --number N --date YYYY-MM-DD [--title T] [--file PDF]
 *   gov decree list | scope [--agency A]
 *   gov decree scope-add --agency A --decree N [--reason R]
 *   gov decree scope-remove --agency A --reason R
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "gov/gov.h"

struct gopt {
	const char *dir, *json, *as, *reason, *agency, *year, *justification, *type,
	    *usage, *count, *system, *item, *priority, *planned_year, *quarter, *budget,
	    *source, *title, *start_year, *refs, *asn, *systems, *services, *activities,
	    *file, *date, *outcome, *number, *decree;
};

static const struct option gov_opts[] = {
    {"dir", required_argument, NULL, 0},
    {"json", no_argument, NULL, 0},
    {"as", required_argument, NULL, 0},
    {"reason", required_argument, NULL, 0},
    {"agency", required_argument, NULL, 0},
    {"year", required_argument, NULL, 0},
    {"justification", required_argument, NULL, 0},
    {"type", required_argument, NULL, 0},
    {"usage", required_argument, NULL, 0},
    {"count", required_argument, NULL, 0},
    {"system", required_argument, NULL, 0},
    {"item", required_argument, NULL, 0},
    {"priority", required_argument, NULL, 0},
    {"planned-year", required_argument, NULL, 0},
    {"quarter", required_argument, NULL, 0},
    {"budget", required_argument, NULL, 0},
    {"source", required_argument, NULL, 0},
    {"title", required_argument, NULL, 0},
    {"start-year", required_argument, NULL, 0},
    {"refs", required_argument, NULL, 0},
    {"asn-percent", required_argument, NULL, 0},
    {"systems", required_argument, NULL, 0},
    {"services", required_argument, NULL, 0},
    {"activities", required_argument, NULL, 0},
    {"file", required_argument, NULL, 0},
    {"date", required_argument, NULL, 0},
    {"outcome", required_argument, NULL, 0},
    {"number", required_argument, NULL, 0},
    {"decree", required_argument, NULL, 0},
    {NULL, 0, NULL, 0},
};

/* A session of one subcommand: the options, the instance, who acts. */
struct gsess {
	struct gopt o;
	const char *sub, *id;
	struct instance *in;
	struct ra_actor who;
	int json;
};

/* Parses argv (argv[0] the area, argv[1] the subcommand), opens the
 * instance and the actor.  Returns 0 or the exit code. */
static int
gsess_open(struct gsess *g, int argc, char **argv, const char *area, const char *usage)
{
	const char **const to[] = {
	    &g->o.dir,           &g->o.json,         &g->o.as,
	    &g->o.reason,        &g->o.agency,       &g->o.year,
	    &g->o.justification, &g->o.type,         &g->o.usage,
	    &g->o.count,         &g->o.system,       &g->o.item,
	    &g->o.priority,      &g->o.planned_year, &g->o.quarter,
	    &g->o.budget,        &g->o.source,       &g->o.title,
	    &g->o.start_year,    &g->o.refs,         &g->o.asn,
	    &g->o.systems,       &g->o.services,     &g->o.activities,
	    &g->o.file,          &g->o.date,         &g->o.outcome,
	    &g->o.number,        &g->o.decree,
	};
	int ex, rc;

	memset(g, 0, sizeof(*g));
	g->o.dir = cli_default_dir();
	if (argc < 2)
		return cli_usage("gov %s: expected %s", area, usage);
	g->sub = argv[1];
	argc--;
	argv++;
	cli_take_arg(&g->id, &argc, argv, gov_opts);
	if ((ex = cli_options(argc, argv, gov_opts, to, area, usage)) != 0)
		return ex;
	g->json = g->o.json != NULL;
	if ((rc = instance_open(&g->in, g->o.dir)) < 0 ||
	    (rc = cli_actor(&g->who, g->in, g->o.as)) < 0)
		return cli_fail(rc);
	return 0;
}

static void
gsess_close(struct gsess *g)
{
	instance_close(g->in);
}

/* A whole number option in [min, max], required when req. */
static int
num_opt(long long *out, const char *v, const char *name, long long min, long long max,
        int req)
{
	*out = 0;
	if (v == NULL) {
		if (req)
			return sertel_err(SERTEL_EINVAL, "--%s is required", name);
		return 0;
	}
	if (parse_ll(out, v, min, max) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "--%s '%s': expected a number %lld..%lld", name, v, min,
		                  max);
	return 0;
}

static int
need_id(const struct gsess *g)
{
	if (g->id == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "gov needs %s: the record's ID is required", g->sub);
	return 0;
}

static int
print_full_need(struct gsess *g, const char *id)
{
	json_t *j = NULL;
	int rc;

	if ((rc = gov_need_full_json(&j, g->in->st, id)) < 0)
		return rc;
	if (g->json) {
		cli_json_print(j);
		return 0;
	}
	printf("%s  %s %d  %s  %lld items, %lld certificates\n",
	       json_string_value(json_object_get(j, "id")),
	       json_string_value(json_object_get(j, "agency")),
	       (int)json_integer_value(json_object_get(j, "year")),
	       json_string_value(json_object_get(j, "state")),
	       (long long)json_integer_value(json_object_get(j, "items")),
	       (long long)json_integer_value(json_object_get(j, "total")));
	{
		json_t *it;
		size_t i;

		json_array_foreach(json_object_get(j, "item_list"), i, it)
		{
			json_t *a = json_object_get(it, "analysis");

			printf(
			    "  %d. %-8s %-20s %6lld %s",
			    (int)json_integer_value(json_object_get(it, "idx")),
			    json_string_value(json_object_get(it, "type")),
			    json_string_value(json_object_get(it, "usage")),
			    (long long)json_integer_value(json_object_get(it, "count")),
			    json_string_value(json_object_get(it, "system_name")));
			if (json_is_object(a))
				printf("  P%d %d Q%d Rp %lld %s",
				       (int)json_integer_value(
				           json_object_get(a, "priority")),
				       (int)json_integer_value(
				           json_object_get(a, "planned_year")),
				       (int)json_integer_value(
				           json_object_get(a, "planned_quarter")),
				       (long long)json_integer_value(
				           json_object_get(a, "budget_amount")),
				       json_string_value(
				           json_object_get(a, "budget_source")));
			printf("\n");
		}
	}
	json_decref(j);
	return 0;
}

struct list_ctx {
	struct gsess *g;
	json_t *arr;
};

static int
need_line(const struct gov_need *n, void *arg)
{
	struct list_ctx *l = arg;

	if (l->arr != NULL)
		return json_array_append_new(l->arr, gov_need_json(n));
	printf("%s  %d  %-16s %-10s %lld items, %lld certificates\n", n->id, n->year,
	       n->agency_id, n->state, (long long)n->items, (long long)n->total);
	return 0;
}

static int
needs_do(struct gsess *g)
{
	const struct gopt *o = &g->o;
	struct gov_need n;
	struct gov_need_item it;
	long long v;
	int rc;

	memset(&it, 0, sizeof(it));
	if (strcmp(g->sub, "create") == 0) {
		if ((rc = num_opt(&v, o->year, "year", GOV_YEAR_MIN, GOV_YEAR_MAX, 1)) <
		        0 ||
		    (rc = gov_need_create(&n, g->in->st, &g->who, o->agency, (int)v,
		                          o->justification)) < 0)
			return rc;
		return print_full_need(g, n.id);
	}
	if (strcmp(g->sub, "add-item") == 0) {
		if ((rc = need_id(g)) < 0 ||
		    (rc = num_opt(&v, o->count, "count", -1000000000, 1000000000, 1)) < 0)
			return rc;
		if (o->type == NULL || o->usage == NULL)
			return sertel_err(SERTEL_EINVAL,
			                  "--type and --usage are required");
		if (str_copy(it.type, sizeof(it.type), o->type) < 0 ||
		    str_copy(it.usage, sizeof(it.usage), o->usage) < 0 ||
		    str_copy(it.system_name, sizeof(it.system_name),
		             o->system ? o->system : "") < 0 ||
		    str_copy(it.justification, sizeof(it.justification),
		             o->justification ? o->justification : "") < 0)
			return sertel_err(SERTEL_ETOOBIG,
			                  "add-item: a value is too long");
		it.count = v;
		if ((rc = gov_need_item_add(g->in->st, &g->who, g->id, &it)) < 0)
			return rc;
		return print_full_need(g, g->id);
	}
	if (strcmp(g->sub, "remove-item") == 0) {
		if ((rc = need_id(g)) < 0 ||
		    (rc = num_opt(&v, o->item, "item", 1, 1000, 1)) < 0 ||
		    (rc = gov_need_item_remove(g->in->st, &g->who, g->id, (int)v)) < 0)
			return rc;
		return print_full_need(g, g->id);
	}
	if (strcmp(g->sub, "analyse") == 0) {
		long long prio, year, q, budget;

		if ((rc = need_id(g)) < 0 ||
		    (rc = num_opt(&v, o->item, "item", 1, 1000, 1)) < 0 ||
		    (rc = num_opt(&prio, o->priority, "priority", 0, 100, 1)) < 0 ||
		    (rc = num_opt(&year, o->planned_year, "planned-year", 0, 9999, 1)) <
		        0 ||
		    (rc = num_opt(&q, o->quarter, "quarter", 0, 100, 1)) < 0 ||
		    (rc = num_opt(&budget, o->budget, "budget", -GOV_BUDGET_MAX,
		                  GOV_BUDGET_MAX * 10, 1)) < 0)
			return rc;
		it.idx = (int)v;
		it.priority = (int)prio;
		it.planned_year = (int)year;
		it.planned_quarter = (int)q;
		it.budget_amount = budget;
		if (str_copy(it.budget_source, sizeof(it.budget_source),
		             o->source ? o->source : "") < 0)
			return sertel_err(SERTEL_ETOOBIG, "--source: at most 64 bytes");
		if ((rc = gov_need_item_analyse(g->in->st, &g->who, g->id, &it)) < 0)
			return rc;
		return print_full_need(g, g->id);
	}
	if (strcmp(g->sub, "submit") == 0 || strcmp(g->sub, "plan") == 0 ||
	    strcmp(g->sub, "reject") == 0 || strcmp(g->sub, "reopen") == 0) {
		if ((rc = need_id(g)) < 0 ||
		    (rc = gov_need_move(g->in->st, &g->who, g->id, g->sub, o->reason)) <
		        0)
			return rc;
		return print_full_need(g, g->id);
	}
	if (strcmp(g->sub, "show") == 0) {
		if ((rc = need_id(g)) < 0 ||
		    (rc = gov_need_get(&n, g->in->st, g->id)) < 0 ||
		    (rc = gov_need_may_read(g->in->st, &g->who, &n)) < 0)
			return rc;
		return print_full_need(g, g->id);
	}
	if (strcmp(g->sub, "list") == 0) {
		struct list_ctx l = {g, g->json ? json_array() : NULL};

		if ((rc = num_opt(&v, o->year, "year", GOV_YEAR_MIN, GOV_YEAR_MAX, 0)) <
		        0 ||
		    (rc = gov_need_iter(g->in->st, &g->who, (int)v, o->agency, need_line,
		                        &l)) < 0) {
			json_decref(l.arr);
			return rc;
		}
		if (l.arr != NULL)
			cli_json_print(l.arr);
		return 0;
	}
	if (strcmp(g->sub, "totals") == 0) {
		json_t *arr = NULL, *t;
		size_t i;

		if ((rc = num_opt(&v, o->year, "year", GOV_YEAR_MIN, GOV_YEAR_MAX, 1)) <
		        0 ||
		    (rc = gov_need_totals_json(&arr, g->in->st, &g->who, (int)v)) < 0)
			return rc;
		if (g->json) {
			cli_json_print(arr);
			return 0;
		}
		json_array_foreach(arr, i, t)
		    printf("%-8s %-20s %8lld  Rp %lld\n",
		           json_string_value(json_object_get(t, "type")),
		           json_string_value(json_object_get(t, "usage")),
		           (long long)json_integer_value(json_object_get(t, "count")),
		           (long long)json_integer_value(json_object_get(t, "budget")));
		json_decref(arr);
		return 0;
	}
	return sertel_err(SERTEL_EINVAL, "gov needs: unknown subcommand '%s'", g->sub);
}

int
cmd_gov_needs(int argc, char **argv)
{
	static const char usage[] =
	    "create, add-item, remove-item, submit, analyse, plan, reject, reopen, "
	    "list, show or totals";
	struct gsess g;
	int ex, rc;

	if ((ex = gsess_open(&g, argc, argv, "needs", usage)) != 0) {
		gsess_close(&g);
		return ex;
	}
	rc = needs_do(&g);
	gsess_close(&g);
	return rc < 0 ? cli_fail(rc) : 0;
}

/* ---- the plan ---------------------------------------------------------------- */
static int
print_full_plan(struct gsess *g, const char *id)
{
	json_t *j = NULL, *t;
	size_t i;
	int rc;

	if ((rc = gov_plan_full_json(&j, g->in->st, id, gov_plan_warn_days(g->in->cfg),
	                             time_now())) < 0)
		return rc;
	if (g->json) {
		cli_json_print(j);
		return 0;
	}
	printf("%s  %d-%d  %s  review: %s\n", json_string_value(json_object_get(j, "id")),
	       (int)json_integer_value(json_object_get(j, "start_year")),
	       (int)json_integer_value(json_object_get(j, "end_year")),
	       json_string_value(json_object_get(j, "title")),
	       json_string_value(json_object_get(j, "review_status")));
	json_array_foreach(json_object_get(j, "targets"), i, t)
	{
		long long bp =
		    (long long)json_integer_value(json_object_get(t, "asn_bp"));

		printf("  %d  ASN %lld.%02lld%%  systems %lld  services %lld\n",
		       (int)json_integer_value(json_object_get(t, "year")), bp / 100,
		       bp % 100,
		       (long long)json_integer_value(json_object_get(t, "systems")),
		       (long long)json_integer_value(json_object_get(t, "services")));
	}
	json_decref(j);
	return 0;
}

static int
plan_line(const struct gov_plan *p, void *arg)
{
	struct list_ctx *l = arg;

	if (l->arr != NULL)
		return json_array_append_new(l->arr, gov_plan_json(p));
	printf("%s  %d-%d  %s\n", p->id, p->start_year, p->end_year, p->title);
	return 0;
}

/* The plan named, or the one in force this year. */
static int
plan_pick(char out[17], struct gsess *g)
{
	struct gov_plan p;
	struct tm tm;
	time_t t = (time_t)time_now();
	int rc;

	if (g->id != NULL)
		return str_copy(out, 17, g->id) < 0
		           ? sertel_err(SERTEL_EINVAL, "plan %s: no such plan", g->id)
		           : 0;
	gmtime_r(&t, &tm);
	if ((rc = gov_plan_for_year(&p, g->in->st, tm.tm_year + 1900)) < 0)
		return rc;
	return str_copy(out, 17, p.id);
}

static int
plan_do(struct gsess *g)
{
	const struct gopt *o = &g->o;
	struct gov_plan p;
	struct gov_plan_target t;
	char id[17];
	long long v;
	int rc;

	if (strcmp(g->sub, "create") == 0) {
		if ((rc = num_opt(&v, o->start_year, "start-year", GOV_YEAR_MIN,
		                  GOV_YEAR_MAX, 1)) < 0 ||
		    (rc = gov_plan_create(&p, g->in->st, &g->who, o->title, (int)v,
		                          o->refs, o->reason)) < 0)
			return rc;
		return print_full_plan(g, p.id);
	}
	if (strcmp(g->sub, "list") == 0) {
		struct list_ctx l = {g, g->json ? json_array() : NULL};

		if ((rc = gov_plan_iter(g->in->st, plan_line, &l)) < 0) {
			json_decref(l.arr);
			return rc;
		}
		if (l.arr != NULL)
			cli_json_print(l.arr);
		return 0;
	}
	if ((rc = plan_pick(id, g)) < 0)
		return rc;
	if (strcmp(g->sub, "show") == 0 || strcmp(g->sub, "status") == 0)
		return print_full_plan(g, id);
	if (strcmp(g->sub, "update") == 0) {
		if ((rc = gov_plan_update(g->in->st, &g->who, id, o->title, o->refs,
		                          o->reason)) < 0)
			return rc;
		return print_full_plan(g, id);
	}
	if (strcmp(g->sub, "target") == 0) {
		long long n;

		memset(&t, 0, sizeof(t));
		if ((rc = num_opt(&v, o->year, "year", GOV_YEAR_MIN, GOV_YEAR_MAX, 1)) <
		    0)
			return rc;
		t.year = (int)v;
		if (o->asn == NULL)
			return sertel_err(SERTEL_EINVAL, "--asn-percent is required");
		if ((rc = gov_percent_parse(&t.asn_bp, o->asn)) < 0 ||
		    (rc = num_opt(&n, o->systems, "systems", -1000000000, 1000000000,
		                  1)) < 0)
			return rc;
		t.systems = n;
		if ((rc = num_opt(&n, o->services, "services", -1000000000, 1000000000,
		                  1)) < 0)
			return rc;
		t.services = n;
		if (str_copy(t.activities, sizeof(t.activities),
		             o->activities ? o->activities : "") < 0)
			return sertel_err(SERTEL_ETOOBIG,
			                  "--activities: at most %d bytes", GOV_TEXT_MAX);
		if ((rc = gov_plan_target_set(g->in->st, &g->who, id, &t, o->reason)) < 0)
			return rc;
		return print_full_plan(g, id);
	}
	if (strcmp(g->sub, "attach") == 0) {
		struct ra_file f;
		unsigned char *data = NULL;
		size_t len = 0;
		const char *base;

		if (o->file == NULL)
			return sertel_err(SERTEL_EINVAL, "--file PDF is required");
		if ((rc = file_read(&data, &len, o->file, RA_ATTACH_MAX)) < 0)
			return rc;
		base = strrchr(o->file, '/');
		f.kind = "rencana";
		f.data = data;
		f.len = len;
		f.filename = base ? base + 1 : o->file;
		rc = gov_plan_doc_add(g->in->st, &g->who, id, &f, o->reason);
		free(data);
		return rc < 0 ? rc : print_full_plan(g, id);
	}
	if (strcmp(g->sub, "review") == 0) {
		if ((rc = gov_plan_review_add(g->in->st, &g->who, id, o->date,
		                              o->outcome)) < 0)
			return rc;
		return print_full_plan(g, id);
	}
	return sertel_err(SERTEL_EINVAL, "gov plan: unknown subcommand '%s'", g->sub);
}

int
cmd_gov_plan(int argc, char **argv)
{
	static const char usage[] =
	    "create, update, target, attach, review, list, show or status";
	struct gsess g;
	int ex, rc;

	if ((ex = gsess_open(&g, argc, argv, "plan", usage)) != 0) {
		gsess_close(&g);
		return ex;
	}
	rc = plan_do(&g);
	gsess_close(&g);
	return rc < 0 ? cli_fail(rc) : 0;
}

/* ---- the decree -------------------------------------------------------------- */
static int
decree_line(const struct gov_decree *d, void *arg)
{
	struct list_ctx *l = arg;

	if (l->arr != NULL)
		return json_array_append_new(l->arr, gov_decree_json(d));
	printf("%s  %-24s %s  %s%s\n", d->id, d->number, d->date, d->title,
	       d->has_pdf ? "  [PDF]" : "");
	return 0;
}

static int
scope_line(const struct gov_scope *s, void *arg)
{
	struct list_ctx *l = arg;

	if (l->arr != NULL)
		return json_array_append_new(l->arr, gov_scope_json(s));
	if (s->decree_id[0] == '\0')
		printf("%s  %s  not in scope\n", s->agency_id, s->agency_name);
	else
		printf("%s  %-40s %s of %s\n", s->agency_id, s->agency_name, s->number,
		       s->date);
	return 0;
}

static int
decree_do(struct gsess *g)
{
	const struct gopt *o = &g->o;
	struct list_ctx l = {g, g->json ? json_array() : NULL};
	struct gov_decree d;
	struct gov_scope s;
	int rc = 0;

	if (strcmp(g->sub, "add") == 0) {
		struct ra_file f;
		unsigned char *data = NULL;
		size_t len = 0;
		const char *base;

		if (o->file != NULL &&
		    (rc = file_read(&data, &len, o->file, RA_ATTACH_MAX)) < 0)
			goto out;
		base = o->file ? strrchr(o->file, '/') : NULL;
		f.kind = "keputusan";
		f.data = data;
		f.len = len;
		f.filename = base ? base + 1 : o->file;
		rc = gov_decree_add(&d, g->in->st, &g->who, o->number, o->date, o->title,
		                    o->file ? &f : NULL);
		free(data);
		if (rc == 0)
			rc = decree_line(&d, &l);
	} else if (strcmp(g->sub, "list") == 0) {
		rc = gov_decree_iter(g->in->st, decree_line, &l);
	} else if (strcmp(g->sub, "scope") == 0 && o->agency == NULL) {
		rc = gov_scope_iter(g->in->st, scope_line, &l);
	} else if (strcmp(g->sub, "scope") == 0 || strcmp(g->sub, "scope-add") == 0 ||
	           strcmp(g->sub, "scope-remove") == 0) {
		if (strcmp(g->sub, "scope-add") == 0)
			rc = gov_scope_add(g->in->st, &g->who, o->agency, o->decree,
			                   o->reason);
		else if (strcmp(g->sub, "scope-remove") == 0)
			rc = gov_scope_remove(g->in->st, &g->who, o->agency, o->reason);
		/* Then the agency as it now stands. */
		if (rc == 0 && (rc = gov_scope_get(&s, g->in->st, o->agency)) == 0)
			rc = scope_line(&s, &l);
	} else
		rc = sertel_err(SERTEL_EINVAL, "gov decree: unknown subcommand '%s'",
		                g->sub);
out:
	if (rc == 0 && l.arr != NULL) {
		/* One record for add and scope changes, a list otherwise. */
		if ((strcmp(g->sub, "list") == 0 ||
		     (strcmp(g->sub, "scope") == 0 && o->agency == NULL)))
			cli_json_print(l.arr);
		else {
			cli_json_print(json_incref(json_array_get(l.arr, 0)));
			json_decref(l.arr);
		}
		l.arr = NULL;
	}
	json_decref(l.arr);
	return rc;
}

int
cmd_gov_decree(int argc, char **argv)
{
	static const char usage[] = "add, list, scope, scope-add or scope-remove";
	struct gsess g;
	int ex, rc;

	if ((ex = gsess_open(&g, argc, argv, "decree", usage)) != 0) {
		gsess_close(&g);
		return ex;
	}
	rc = decree_do(&g);
	gsess_close(&g);
	return rc < 0 ? cli_fail(rc) : 0;
}
