/*
 * sertel gov: the Dinas's governance duties beyond issuing certificates
 * (issue 13, REQUIREMENTS.md section 6): needs and planning, the decree,
 * coverage of ASN and electronic systems, security incidents, complaints
 * and technical assistance, published guidance, and the annual evaluation
 * report.  Rules only: the CLI, the REST API and the portal call these
 * functions; every change is audited and role-checked here.
 *
 * The tables are in migration 24 (src/store/migrate.c) and the columns
 * documented there; each area below owns its file in src/gov/.
 */
#ifndef SERTEL_GOV_H
#define SERTEL_GOV_H

#include <jansson.h>
#include <stdint.h>

#include "ra/ra.h"

/* ---- coverage (coverage.c): Denpasar 8(3), Samarinda 8(3) ------------- */
/* An agency's ASN and how many of them hold a valid certificate.  The ASN
 * are the agency's imported staff list (gov_staff) or, where no list is
 * imported, the headcount entered (gov_headcounts) with the agency's
 * registered persons as the ones who may hold one.  A holder has an
 * individu or jabatan certificate valid at the moment asked: begun, not
 * expired, not revoked by then (so a past month is computed, not kept). */
struct gov_coverage {
	char agency_id[17]; /* "" for the region */
	int64_t headcount;
	int64_t holders;
};
/* One agency (agency_id) or the region (agency_id NULL: every agency's
 * figures summed). */
int gov_coverage_at(struct gov_coverage *out, struct store *st, const char *agency_id,
                    int64_t at);
/* Every agency at once, in the agencies' name order (one query). */
typedef int (*gov_coverage_fn)(const struct gov_coverage *c, void *arg);
int gov_coverage_iter(struct store *st, int64_t at, gov_coverage_fn cb, void *arg);

/* ---- the background work of every area (tick.c) ------------------------ */
/* Called by the server's notices thread after each delivery of the mail
 * queue (every [smtp] poll_seconds): each area does what is due (its own
 * interval) and returns.  Errors are logged there, never fatal. */
struct config;
int gov_tick(struct store *st, const struct config *cfg, int64_t now);

/* ---- needs, master plan, road map, decree (needs.c, plan.c) ------------ */
/* Cirebon 3(1)b,e, 4; Denpasar 5; Samarinda 10: an agency's needs for a
 * year.  States and who moves them (the table is needs.c's need_moves):
 *   draft -> submitted         the head of that agency (kepala-perangkat-daerah)
 *   submitted -> analysed      the Dinas (an OP operator or the Kepala Dinas):
 *                              when every item has its analysis
 *   analysed -> planned        the Kepala Dinas
 *   submitted|analysed -> rejected   the Kepala Dinas, with a reason
 *   rejected -> draft          the head of that agency (reopened)
 * Items are added and removed while draft.  The auditor reads everything,
 * a head of agency their own agency's, the Dinas everything.  Every change
 * is audited (gov.needs.*) in its transaction; a refused one changes
 * nothing. */
#define GOV_YEAR_MIN   2000
#define GOV_YEAR_MAX   2100
#define GOV_TEXT_MAX   2000               /* justifications, activities, outcomes, refs */
#define GOV_ITEMS_MAX  64                 /* items of one needs record */
#define GOV_BUDGET_MAX 1000000000000000LL /* rupiah */
struct gov_need {
	char id[17];
	char agency_id[17];
	int year;
	char state[12]; /* draft, submitted, analysed, planned, rejected */
	char justification[GOV_TEXT_MAX + 1];
	char reason[GOV_TEXT_MAX + 1]; /* why rejected (or reopened) */
	char created_by[96];
	int64_t created_at, submitted_at, decided_at, updated_at;
	int64_t items, total; /* number of items, sum of their counts */
};
struct gov_need_item {
	int idx;
	char type[12];         /* individu, jabatan, sistem */
	char usage[128];       /* one of ra_usage_choices(type) */
	int64_t count;         /* >= 0 */
	char system_name[129]; /* required for sistem */
	char justification[GOV_TEXT_MAX + 1];
	/* The Dinas's analysis (0 / "" until analysed). */
	int priority;           /* 1 (highest) .. 5 */
	int planned_year;       /* >= the needs' year */
	int planned_quarter;    /* 1..4 */
	int64_t budget_amount;  /* rupiah, >= 0 */
	char budget_source[65]; /* APBD, APBN, DAK, hibah, lainnya */
};
/* Creates the draft of agency_id for year (one per agency and year). */
int gov_need_create(struct gov_need *out, struct store *st, const struct ra_actor *who,
                    const char *agency_id, int year, const char *justification);
/* Appends an item (its idx into it->idx) to a draft. */
int gov_need_item_add(struct store *st, const struct ra_actor *who, const char *need_id,
                      struct gov_need_item *it);
int gov_need_item_remove(struct store *st, const struct ra_actor *who,
                         const char *need_id, int idx);
/* The Dinas's analysis of one item (priority, planned year and quarter,
 * budget amount and source) of a submitted or analysed record. */
int gov_need_item_analyse(struct store *st, const struct ra_actor *who,
                          const char *need_id, const struct gov_need_item *a);
/* op: "submit", "plan", "reject", "reopen"; reason required for reject
 * and reopen, kept with the record and in the audit entry. */
int gov_need_move(struct store *st, const struct ra_actor *who, const char *need_id,
                  const char *op, const char *reason);
/* Whether who may do op ("edit", "submit", "analyse", "plan", "reject",
 * "reopen") on n now: 0, SERTEL_EPERM or SERTEL_ESTATE (what a page asks
 * before it offers a control; the operation asks again). */
int gov_need_may(struct store *st, const struct ra_actor *who, const struct gov_need *n,
                 const char *op);
/* Whether who may read need n (0) or not (SERTEL_EPERM). */
int gov_need_may_read(struct store *st, const struct ra_actor *who,
                      const struct gov_need *n);
int gov_need_get(struct gov_need *out, struct store *st, const char *need_id);
typedef int (*gov_need_item_fn)(const struct gov_need_item *it, void *arg);
int gov_need_items(struct store *st, const char *need_id, gov_need_item_fn cb, void *arg);
/* The records of a year (year 0: every year) that who may read, by
 * agency name; agency_id NULL: every agency who may read. */
typedef int (*gov_need_fn)(const struct gov_need *n, void *arg);
int gov_need_iter(struct store *st, const struct ra_actor *who, int year,
                  const char *agency_id, gov_need_fn cb, void *arg);
/* What the Dinas plans for: per type and usage, the sum of the counts of
 * the year's records submitted, analysed or planned (drafts and rejected
 * ones do not count), and the sum of their budget amounts. */
struct gov_need_total {
	const char *type;
	const char *usage;
	int64_t count;
	int64_t budget;
};
typedef int (*gov_need_total_fn)(const struct gov_need_total *t, void *arg);
int gov_need_totals(struct store *st, const struct ra_actor *who, int year,
                    gov_need_total_fn cb, void *arg);
/* The agency of who (a person's persons.agency_id) into out[17]; "" for
 * the administrator or a person without one. */
int gov_actor_agency(char out[17], struct store *st, const struct ra_actor *who);

/* Cirebon 9, Samarinda 10: the master plan (rencana induk) of exactly 5
 * years (end_year = start_year + 4, never overlapping another) and its
 * road map (peta jalan): targets per year.  The Kepala Dinas (or the
 * administrator) changes it, each change audited with its reason. */
struct gov_plan {
	char id[17];
	char title[201];
	int start_year, end_year;
	char refs[GOV_TEXT_MAX + 1]; /* RPJMD, SPBE / ICT plan: free text */
	char created_by[96];
	int64_t created_at, updated_at;
};
struct gov_plan_target {
	int year;
	int64_t asn_bp;   /* share of ASN with a valid certificate, 0..10000 */
	int64_t systems;  /* electronic systems using certificates */
	int64_t services; /* services signed electronically */
	char activities[GOV_TEXT_MAX + 1];
};
struct gov_plan_review {
	int64_t reviewed_at; /* the date of the review, 00:00 UTC */
	char outcome[GOV_TEXT_MAX + 1];
	char by_actor[96];
};
struct gov_plan_doc {
	int idx;
	char filename[201];
	char sha256[65];
	int64_t size;
	char added_by[96];
	int64_t added_at;
};
int gov_plan_create(struct gov_plan *out, struct store *st, const struct ra_actor *who,
                    const char *title, int start_year, const char *refs,
                    const char *reason);
/* title or refs NULL: unchanged. */
int gov_plan_update(struct store *st, const struct ra_actor *who, const char *plan_id,
                    const char *title, const char *refs, const char *reason);
int gov_plan_target_set(struct store *st, const struct ra_actor *who, const char *plan_id,
                        const struct gov_plan_target *t, const char *reason);
/* "12.5" or "12,50" (percent, up to 2 decimals, 0..100) -> basis points. */
int gov_percent_parse(int64_t *out_bp, const char *s);
/* A PDF (by its content, ra_file_check's size limit), kept encrypted. */
int gov_plan_doc_add(struct store *st, const struct ra_actor *who, const char *plan_id,
                     const struct ra_file *f, const char *reason);
/* *out owned by the caller. */
int gov_plan_doc_get(unsigned char **out, size_t *len, struct gov_plan_doc *meta,
                     struct store *st, const char *plan_id, int idx);
/* date "YYYY-MM-DD", not in the future. */
int gov_plan_review_add(struct store *st, const struct ra_actor *who, const char *plan_id,
                        const char *date, const char *outcome);
/* Who reads the plan, the decree and the scope: the Dinas, the auditor
 * and the heads of agency (0), not an applicant (SERTEL_EPERM). */
int gov_plan_may_read(const struct ra_actor *who);
int gov_plan_get(struct gov_plan *out, struct store *st, const char *plan_id);
/* The plan whose years cover year (SERTEL_ENOTFOUND when none). */
int gov_plan_for_year(struct gov_plan *out, struct store *st, int year);
typedef int (*gov_plan_fn)(const struct gov_plan *p, void *arg);
int gov_plan_iter(struct store *st, gov_plan_fn cb, void *arg);
typedef int (*gov_plan_target_fn)(const struct gov_plan_target *t, void *arg);
int gov_plan_targets(struct store *st, const char *plan_id, gov_plan_target_fn cb,
                     void *arg);
typedef int (*gov_plan_review_fn)(const struct gov_plan_review *r, void *arg);
int gov_plan_reviews(struct store *st, const char *plan_id, gov_plan_review_fn cb,
                     void *arg);
typedef int (*gov_plan_doc_fn)(const struct gov_plan_doc *d, void *arg);
int gov_plan_docs(struct store *st, const char *plan_id, gov_plan_doc_fn cb, void *arg);
/* Reviewed at least once a year: ok; due when the 365 days since the last
 * review (or, never reviewed, since the plan was created) end within
 * warn_days ([governance] plan_review_warn_days, default 30); late when
 * they have passed.  *since: that last review or the creation. */
enum gov_review_status { GOV_REVIEW_OK, GOV_REVIEW_DUE, GOV_REVIEW_LATE };
const char *gov_review_status_name(enum gov_review_status s);
int gov_plan_review_status(enum gov_review_status *out, int64_t *since, struct store *st,
                           const char *plan_id, int warn_days, int64_t now);
/* [governance] plan_review_warn_days (0..180, default 30). */
int gov_plan_warn_days(const struct config *cfg);
/* From gov_tick: the plan in force's status, mailed to every Kepala Dinas
 * once per change to due or late (gov_plan_alerts); *sent: notices queued. */
int gov_plan_tick(struct store *st, const struct config *cfg, int64_t now, int *sent);

/* Palembang 7(2): the decree (keputusan) naming the agencies that use
 * certificates; the Kepala Dinas records it and marks agencies in scope
 * with it, and removes one from scope with a reason. */
struct gov_decree {
	char id[17];
	char number[129]; /* unique */
	char date[11];    /* YYYY-MM-DD */
	char title[501];
	int has_pdf;
	char created_by[96];
	int64_t created_at;
};
/* pdf may be NULL. */
int gov_decree_add(struct gov_decree *out, struct store *st, const struct ra_actor *who,
                   const char *number, const char *date, const char *title,
                   const struct ra_file *pdf);
/* By id or number. */
int gov_decree_get(struct gov_decree *out, struct store *st, const char *id_or_number);
typedef int (*gov_decree_fn)(const struct gov_decree *d, void *arg);
int gov_decree_iter(struct store *st, gov_decree_fn cb, void *arg);
/* *out owned by the caller; SERTEL_ENOTFOUND when it has none. */
int gov_decree_pdf(unsigned char **out, size_t *len, struct store *st, const char *id);
struct gov_scope {
	char agency_id[17];
	char agency_name[SERTEL_MAX_NAME];
	char decree_id[17]; /* "" when the agency is not in scope */
	char number[129];
	char date[11];
	int64_t since;
};
int gov_scope_add(struct store *st, const struct ra_actor *who, const char *agency_id,
                  const char *decree, const char *reason);
int gov_scope_remove(struct store *st, const struct ra_actor *who, const char *agency_id,
                     const char *reason);
/* Whether agency (id or name) is in scope: out->decree_id "" when not;
 * SERTEL_ENOTFOUND for an unknown agency. */
int gov_scope_get(struct gov_scope *out, struct store *st, const char *agency);
typedef int (*gov_scope_fn)(const struct gov_scope *s, void *arg);
/* The agencies in scope, by agency name. */
int gov_scope_iter(struct store *st, gov_scope_fn cb, void *arg);

/* The records above as JSON, one shape for the API and `--json` (new
 * references, owned by the caller; times RFC 3339 UTC, 0 as null). */

json_t *gov_need_json(const struct gov_need *n);
json_t *gov_need_item_json(const struct gov_need_item *it);
/* A record with its agency's name and its items. */
int gov_need_full_json(json_t **out, struct store *st, const char *need_id);
/* The year's totals (gov_need_totals) as an array. */
int gov_need_totals_json(json_t **out, struct store *st, const struct ra_actor *who,
                         int year);
/* A plan with its targets, documents, reviews and review status at now. */
int gov_plan_full_json(json_t **out, struct store *st, const char *plan_id, int warn_days,
                       int64_t now);
json_t *gov_plan_json(const struct gov_plan *p);
json_t *gov_decree_json(const struct gov_decree *d);
json_t *gov_scope_json(const struct gov_scope *s);

#endif
