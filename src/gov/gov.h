/* SPDX-License-Identifier: Apache-2.0 */
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

#include <jansson.h>

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
/* ---- complaints, technical assistance, guidance (ticket.c, guide.c) ------
 * Cirebon 20(3), 22; 3(1)h-i, 19.  A ticket is a person's report of a
 * problem (authentication, data authenticity, repudiation, signing) or a
 * complaint about an OP operator who failed their duty.  The Dinas (OP
 * operators, the Kepala Dinas) handles the first kind; a complaint about an
 * operator goes to that operator's superior and the Kepala Dinas only
 * (gov_ticket_may_read has the rule, applied on every path). */
#define GOV_TICKET_SUBJECT_MAX 200  /* characters */
#define GOV_TICKET_BODY_MAX    8000 /* bytes of a description or a reply */
#define GOV_TICKET_FILES       4    /* attachments at once */
#define GOV_TICKET_FILES_MAX   12   /* attachments of one ticket in all */
#define GOV_TICKET_FILE_MAX    (5 * 1024 * 1024)
#define GOV_TICKET_LIST_MAX    500 /* rows one list returns */

/* Categories: autentikasi, keaslian-data, penyangkalan, penandatanganan,
 * operator (names the operator: about_nik), lainnya. */
int gov_ticket_category_valid(const char *c);
/* States: open, in-progress, escalated, resolved, closed. */
int gov_ticket_state_valid(const char *s);

struct gov_ticket {
	char id[17];
	char category[24];
	char state[16];
	char subject[GOV_TICKET_SUBJECT_MAX * 4 + 1];
	char description[GOV_TICKET_BODY_MAX + 1];
	char person_nik[17];
	char about_nik[17];    /* the operator complained about, or "" */
	char superior_nik[17]; /* their superior when filed, or "" */
	char reason[512];      /* of the last change of state */
	int64_t created_at;
	int64_t escalated_at;
	int64_t resolved_at;
	int64_t closed_at;
	int64_t updated_at;
};

struct gov_ticket_new {
	const char *category;
	const char *subject;
	const char *description;
	const char *about_nik; /* category operator: the operator's NIK */
	const struct ra_file *files;
	int nfiles;
};
/* Filed by a registered person (not the auditor, who changes nothing; not
 * about themselves).  Notices: the Dinas's helpdesk ([governance]
 * helpdesk_to, else every OP operator); for a complaint about an operator
 * the operator's superior and the Kepala Dinas instead.  Audited
 * gov.ticket.open. */
int gov_ticket_open(struct gov_ticket *out, struct store *st, const struct config *cfg,
                    const struct ra_actor *who, const struct gov_ticket_new *t);
/* 1 when who may read t, 0 when not: the person who filed it, the
 * auditor, the Kepala Dinas, the admin; OP operators for every category
 * but operator; for operator, the operator's superior; never the operator
 * complained about. */
int gov_ticket_may_read(const struct ra_actor *who, const struct gov_ticket *t);
/* 1 when who handles t for the Dinas (replies as the Dinas, changes its
 * state, asks the issuer): as may_read, without the person and the auditor. */
int gov_ticket_may_handle(const struct ra_actor *who, const struct gov_ticket *t);
/* SERTEL_ENOTFOUND also when who may not read it (no existence leak). */
int gov_ticket_get(struct gov_ticket *out, struct store *st, const struct ra_actor *who,
                   const char *id);
struct gov_ticket_filter {
	const char *state; /* NULL: any */
	const char *q;     /* words in subject or description, NULL: none */
	int mine;          /* 1: filed by who; -1: not filed by who; 0: both */
};
/* The tickets who may read, newest first, at most GOV_TICKET_LIST_MAX. */
typedef int (*gov_ticket_fn)(const struct gov_ticket *t, void *arg);
int gov_ticket_iter(struct store *st, const struct ra_actor *who,
                    const struct gov_ticket_filter *f, gov_ticket_fn cb, void *arg);
/* A reply (the person on their own ticket, or a handler), with files;
 * not on a closed ticket.  The other side is told by mail. */
int gov_ticket_reply(struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id, const char *body,
                     const struct ra_file *files, int nfiles);
/* A change of state by the transition table in ticket.c (the person only
 * closes or reopens a resolved ticket); SERTEL_ESTATE naming the rule for
 * a refused one.  The person is told by mail. */
int gov_ticket_set_state(struct store *st, const struct config *cfg,
                         const struct ra_actor *who, const char *id, const char *state,
                         const char *reason);
/* The states who may move t to now, by the same table (for the forms that
 * offer them): at most max names into out; returns how many. */
int gov_ticket_moves(const char **out, int max, const struct ra_actor *who,
                     const struct gov_ticket *t);
/* The timeline: replies and changes of state in order (kind "reply" or
 * "state"); author_nik "" for the admin. */
struct gov_ticket_reply_info {
	int seq;
	int64_t at;
	const char *kind;
	const char *actor;
	const char *author_nik;
	const char *author_name;
	int from_person; /* written by the person who filed the ticket */
	const char *body;
};
typedef int (*gov_reply_fn)(const struct gov_ticket_reply_info *r, void *arg);
int gov_ticket_replies(struct store *st, const struct gov_ticket *t, gov_reply_fn cb,
                       void *arg);
struct gov_ticket_file_info {
	int idx;
	int reply_seq; /* 0: with the ticket */
	const char *filename;
	const char *mime;
	const char *sha256;
	int64_t size;
	int64_t created_at;
};
typedef int (*gov_file_fn)(const struct gov_ticket_file_info *f, void *arg);
int gov_ticket_files(struct store *st, const struct gov_ticket *t, gov_file_fn cb,
                     void *arg);
/* One attachment decrypted, for whoever may read the ticket (SERTEL_ENOTFOUND
 * otherwise); each read audited gov.ticket.file.  *out owned by caller. */
int gov_ticket_file_get(unsigned char **out, size_t *len, char mime[32],
                        char filename[256], struct store *st, const struct ra_actor *who,
                        const char *id, int idx);

/* Requests for the issuer's help (Cirebon 22(2)): sent by mail to
 * [governance] issuer_help_to by an OP operator, the Kepala Dinas or the
 * admin (for a ticket: whoever handles it), recorded with what was sent;
 * the ticket is escalated while an answer is awaited. */
#define GOV_HELP_BODY_MAX 8000
struct gov_help {
	char id[17];
	char ticket_id[17]; /* "" when standalone */
	char sent_to[256];
	char body[GOV_HELP_BODY_MAX + 1];
	char sent_by[96];
	int64_t sent_at;
	char answer[GOV_HELP_BODY_MAX + 1];
	char answered_by[96];
	int64_t answered_at; /* 0 while waiting */
};
int gov_help_request(struct gov_help *out, struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *ticket_id, const char *body);
/* Records the issuer's answer once (SERTEL_ESTATE when answered already);
 * the ticket leaves escalated when nothing else is awaited. */
int gov_help_answer(struct store *st, const struct ra_actor *who, const char *help_id,
                    const char *answer);
/* Requests of one ticket (ticket_id) or standalone ones (ticket_id ""),
 * oldest first; standalone ones for the Dinas and the auditor only. */
typedef int (*gov_help_fn)(const struct gov_help *h, void *arg);
int gov_help_iter(struct store *st, const struct ra_actor *who, const char *ticket_id,
                  gov_help_fn cb, void *arg);

/* Published guidance (guide.c; Cirebon 3(1)h-i, 19): kinds sop,
 * hak-kewajiban (the owner's rights and duties), pengaduan (the complaint
 * procedure); each version kept, never edited in place. */
#define GOV_GUIDE_TITLE_MAX 200
#define GOV_GUIDE_BODY_MAX  (64 * 1024)
int gov_guide_kind_valid(const char *kind);
struct gov_guide {
	char kind[24];
	int version;
	char title[GOV_GUIDE_TITLE_MAX * 4 + 1];
	char *body; /* owned (gov_guide_free); NULL from gov_guide_versions */
	char sha256[65];
	char published_by[96];
	int64_t published_at;
};
void gov_guide_free(struct gov_guide *g);
/* The Kepala Dinas (or the admin) publishes the next version of kind.
 * Audited gov.guide.publish with the version and its sha256. */
int gov_guide_publish(struct gov_guide *out, struct store *st, const struct ra_actor *who,
                      const char *kind, const char *title, const char *body,
                      const char *reason);
/* A version (0: the latest); SERTEL_ENOTFOUND when none. Public. */
int gov_guide_get(struct gov_guide *out, struct store *st, const char *kind, int version);
/* Every version of kind, newest first, without bodies. */
typedef int (*gov_guide_fn)(const struct gov_guide *g, void *arg);
int gov_guide_versions(struct store *st, const char *kind, gov_guide_fn cb, void *arg);
/* The body as blocks for a page: a paragraph (blank-line separated) or a
 * list item (a line starting "- "); text is borrowed for the call, its
 * line breaks kept.  Nothing is markup: the page escapes it. */
typedef int (*gov_guide_block_fn)(int item, const char *text, size_t len, void *arg);
int gov_guide_blocks(const char *body, gov_guide_block_fn cb, void *arg);
/* ---- coverage: staff, headcounts, certificates, systems (g-cover) ------- */
/* Denpasar 8(3)-(4), Samarinda 8(3).  staff.c: the staff list and the
 * headcount; coverage.c: who holds a certificate, certificate counts;
 * systems.c: the register of electronic systems and its TLS probe.
 *
 * Who: the Kepala Dinas, OP operators and the administrator do everything;
 * a head of agency (ROLE_KEPALA_PD) enters the headcount, reads coverage and
 * registers systems of their own agency only; the auditor reads all and
 * changes nothing; anyone else is refused (SERTEL_EPERM). */
#define GOV_STAFF_CSV_MAX  (20 * 1024 * 1024) /* [governance] staff_csv_max */
#define GOV_STAFF_ROWS_MAX 200000
#define GOV_STAFF_ERRORS   100 /* bad rows kept for the report (all counted) */
#define GOV_HEADCOUNT_MAX  10000000
#define GOV_EXPIRING_DAYS  30    /* [governance] expiring_days */
#define GOV_PROBE_INTERVAL 86400 /* [governance] probe_interval */
#define GOV_PROBE_TIMEOUT  10    /* [governance] probe_timeout */
#define GOV_PROBE_PER_TICK 2     /* [governance] probe_per_tick */
#define GOV_PROBE_MIN_GAP  10    /* [governance] probe_min_gap */
#define GOV_URL_MAX        512

/* 0 when who may read (edit 0) or change (edit 1) agency_id's coverage
 * data and systems; agency_id NULL: every agency's (the Dinas, and the
 * auditor for reading).  SERTEL_EPERM naming the rule otherwise. */
int gov_cover_access(struct store *st, const struct ra_actor *who, const char *agency_id,
                     int edit);
/* The agency a head of agency heads (their persons.agency_id) into out,
 * "" for anyone else. */
int gov_cover_own_agency(char out[17], struct store *st, const struct ra_actor *who);

/* The reason every change of this area needs: not empty, UTF-8 text of at
 * most 500 characters (the audit trail records it). */
int gov_reason_check(const char *reason);

/* The headcount of an agency without an imported staff list (n >= 0,
 * at most GOV_HEADCOUNT_MAX); audited (gov.cover.headcount). */
int gov_headcount_set(struct store *st, const struct ra_actor *who, const char *agency_id,
                      int64_t n, const char *reason);

/* One bad row of a staff CSV. */
struct gov_staff_error {
	long line; /* 1 = the header */
	char reason[200];
};
struct gov_staff_result {
	int64_t rows; /* data rows read */
	int64_t added, removed, changed, unchanged;
	int agencies; /* agencies whose list was replaced */
	int nerrors;  /* every bad row; the first GOV_STAFF_ERRORS kept */
	struct gov_staff_error errors[GOV_STAFF_ERRORS];
};
/* Imports a staffing-system export: a header row naming NIK, NIP, Nama,
 * Perangkat Daerah, Jabatan (any order, any case; comma or semicolon),
 * then one row per ASN (RFC 4180 quoting, UTF-8, an optional BOM).  The
 * agency is its id or exact name.  The file is the staffing system's whole
 * list of each agency in it: those agencies' lists are replaced (who is no
 * longer listed is removed); agencies not in the file keep theirs.  Any bad
 * row (out->errors, with line numbers) and nothing is imported
 * (SERTEL_EINVAL); max bytes (0: GOV_STAFF_CSV_MAX), GOV_STAFF_ROWS_MAX
 * rows.  Kepala Dinas, operators, admin.  One transaction, audited
 * (gov.cover.import) with counts, never NIKs.  out is caller's. */
int gov_staff_import(struct gov_staff_result *out, struct store *st,
                     const struct ra_actor *who, const char *csv, size_t len, size_t max,
                     const char *reason);

/* Who of an agency does not hold a valid certificate at `at` (the members
 * gov_coverage_at counts), by name; NIK is not given (the portal shows NIP
 * and name only).  Borrowed strings; a non-zero cb return stops. */
struct gov_missing {
	const char *name;
	const char *nip; /* "" when unknown */
	const char *position;
};
typedef int (*gov_missing_fn)(const struct gov_missing *m, void *arg);
int gov_missing_iter(struct store *st, const struct ra_actor *who, const char *agency_id,
                     int64_t at, int limit, gov_missing_fn cb, void *arg);

/* The region's coverage at the end of each of the last `months` months
 * (the current month: at `now`), month ends in zone tz, oldest first:
 * out[i] with at[i] the moment computed.  months at most 24. */
int gov_coverage_months(struct gov_coverage *out, int64_t *at, int months,
                        struct store *st, int64_t now, const struct time_zone *tz);

/* Certificates per type and usage set, at `now`: valid, expired, revoked.
 * Borrowed strings. */
struct gov_cert_count {
	const char *type;
	const char *usages;
	int64_t valid, expired, revoked;
};
typedef int (*gov_cert_count_fn)(const struct gov_cert_count *c, void *arg);
int gov_cert_counts(struct store *st, const struct ra_actor *who, int64_t now,
                    gov_cert_count_fn cb, void *arg);
/* Per agency (the owner's), every agency in name order: valid certificates
 * ending within `days` days of now, and expired ones (not revoked). */
struct gov_expiry {
	const char *agency_id;
	const char *agency_name;
	int64_t expiring, expired;
};
typedef int (*gov_expiry_fn)(const struct gov_expiry *e, void *arg);
int gov_cert_expiry(struct store *st, const struct ra_actor *who, int64_t now, int days,
                    gov_expiry_fn cb, void *arg);

/* The register of electronic systems (Denpasar 8(4)). */
enum gov_system_state { GOV_SYSTEM_ACTIVE, GOV_SYSTEM_RETIRED };
const char *gov_system_state_name(enum gov_system_state s);
int gov_system_state_parse(enum gov_system_state *out, const char *name);
struct gov_system {
	char id[17];
	char name[SERTEL_MAX_NAME];
	char agency_id[17];
	char agency_name[SERTEL_MAX_NAME];
	char url[GOV_URL_MAX];
	char purpose[1024];
	char cert_serial[SERIAL_HEX_MAX + 1]; /* "" when none */
	int64_t cert_not_after;               /* 0 when none */
	int cert_revoked;
	char cert_agency_id[17]; /* the certificate owner's agency */
	enum gov_system_state state;
	char created_by[96];
	int64_t created_at, updated_at;
};
/* A registered address: https://HOST[:PORT][/path], HOST a DNS name or an
 * IP literal (IPv6 in brackets) by validate_hostname_check. */
struct gov_url {
	char host[256];
	int port;
	char path[GOV_URL_MAX];
};
int gov_url_parse(struct gov_url *out, const char *url);
/* What a register change gives; NULL fields of an update keep the value. */
struct gov_system_req {
	const char *name;
	const char *agency_id; /* id or exact name */
	const char *url;
	const char *purpose;
	const char *cert_serial; /* must exist and be of type sistem; "" none */
};
/* Adds (id NULL) or changes (id given) a system; audited (gov.system.add,
 * gov.system.update).  *warn (may be NULL) gets "" or a warning: the
 * certificate belongs to another agency's person, or is not valid now. */
int gov_system_save(struct gov_system *out, char *warn, size_t warnsz, struct store *st,
                    const struct ra_actor *who, const char *id,
                    const struct gov_system_req *rq, const char *reason);
/* active <-> retired, with a reason; audited (gov.system.retire /
 * gov.system.activate).  SERTEL_ESTATE for the same state. */
int gov_system_set_state(struct store *st, const struct ra_actor *who, const char *id,
                         enum gov_system_state to, const char *reason);
int gov_system_get(struct gov_system *out, struct store *st, const struct ra_actor *who,
                   const char *id);
/* By agency name then system name; agency_id NULL: all who may read. */
typedef int (*gov_system_fn)(const struct gov_system *s, void *arg);
int gov_system_iter(struct store *st, const struct ra_actor *who, const char *agency_id,
                    gov_system_fn cb, void *arg);

/* One TLS probe of a system's address (a gov_probes row). */
struct gov_probe {
	char system_id[17];
	int64_t at;
	int ok; /* handshake done, leaf read, HTTP answer came */
	char serial[SERIAL_HEX_MAX + 1];
	char sha256[65];
	int64_t not_after;
	int matches;  /* the leaf is the registered certificate */
	int chain_ok; /* validates against this instance's CA (ssl-server) */
	int name_ok;  /* the leaf is for HOST (RFC 9525) */
	int http_status;
	char redirect_host[256]; /* a Location on another host, not followed */
	int64_t elapsed_ms;
	char via[16]; /* manual or schedule */
	char error[256];
};
struct config;
struct gov_probe_opts {
	int timeout;       /* seconds for the whole probe */
	int allow_private; /* [governance] probe_private: loopback, RFC 1918 */
	int min_gap;       /* seconds between two manual probes of one system */
};
void gov_probe_opts_load(struct gov_probe_opts *out, const struct config *cfg);
/* Probes system id now and records it (audited gov.system.probe): connect to
 * HOST:PORT (every address within the time bound; special addresses only
 * with allow_private), TLS with SNI = HOST, the leaf and chain read, one
 * GET of the path (only its head read), never a redirect followed.  A failed probe is
 * recorded too (ok 0, error) and returns 0; <0 only when nothing was recorded. */
int gov_system_probe(struct gov_probe *out, struct store *st, const struct ra_actor *who,
                     const char *id, const struct gov_probe_opts *o);
/* The probes of a system, newest first (limit 0: 50). */
typedef int (*gov_probe_fn)(const struct gov_probe *p, void *arg);
int gov_probe_iter(struct store *st, const struct ra_actor *who, const char *id,
                   int limit, gov_probe_fn cb, void *arg);
/* From gov_tick: probes at most per_tick active systems whose last probe is
 * older than interval (the oldest first, so they spread over the day). */
int gov_probe_due(struct store *st, const struct config *cfg, int64_t now);

/* JSON of the above (cover_json.c), one shape for the CLI's --json, the
 * REST API and the portal's templates; owned by the caller (json_decref).
 * Shares are in basis points (share_bp, 10000 = 100%). */
struct json_t;
struct json_t *gov_system_json(const struct gov_system *s);
struct json_t *gov_probe_json(const struct gov_probe *p);
struct json_t *gov_staff_result_json(const struct gov_staff_result *r);
/* The coverage report at now: {at, expiring_days, region, agencies[],
 * months[], certs[], expiry[]}; agencies[] each {id, name, headcount,
 * holders, share_bp, in_scope}.  For a head of agency only their agency
 * (agencies[], expiry[]) and the region's totals and months; certs[] for
 * the Dinas and the auditor.  agency_id not NULL: that agency only. */
int gov_cover_report(struct json_t **out, struct store *st, const struct ra_actor *who,
                     int64_t now, const struct time_zone *tz, int expiring_days,
                     const char *agency_id);
/* ---- incidents (incident.c): Cirebon 24, Denpasar 25 ------------------ */
/* A security incident: a key or certificate lost, damaged or
 * inaccessible, a problem of authentication, data authenticity or non-
 * repudiation.  Anyone with an account reports one (an auditor only
 * reads); a loss report through the RA opens one itself (gov_report_loss).
 * "At once": on reporting, a notice to each recipient of [governance]
 * incident_notify goes through the mail queue; gov_tick records when each
 * was delivered, and the incident becomes notified when the last one was.
 * One not notified within [governance] incident_notify_within seconds
 * (default 3600) is flagged, and the Kepala Dinas is mailed once.
 *
 * States: reported -> notified (gov_tick, when the notices are delivered)
 * -> handled -> closed; reported -> handled too, since the Dinas must act
 * while the mail is down (the notification is still recorded after).
 * OP operators, the Kepala Dinas and the local administrator handle and
 * close, with a note.  The reporter reads their own, a head of agency
 * those of their agency's people, the auditor and the Dinas all. */
#define GOV_INCIDENT_TITLE_MAX      200  /* bytes of UTF-8, one line */
#define GOV_INCIDENT_DESC_MAX       4000 /* bytes of UTF-8 */
#define GOV_INCIDENT_NOTE_MAX       1000
#define GOV_INCIDENT_CERTS_MAX      16
#define GOV_INCIDENT_RECIPIENTS_MAX 8
#define GOV_INCIDENT_LABEL_MAX      100
#define GOV_INCIDENT_WITHIN_DEFAULT 3600

struct gov_incident_recipient {
	char label[GOV_INCIDENT_LABEL_MAX + 1];
	char address[255];
};
/* [governance] incident_notify: "Label <address>" items separated by
 * commas, at most GOV_INCIDENT_RECIPIENTS_MAX; *n may be 0 (none
 * configured).  SERTEL_EINVAL naming the key and the item when bad. */
int
gov_incident_recipients(struct gov_incident_recipient out[GOV_INCIDENT_RECIPIENTS_MAX],
                        int *n, const struct config *cfg);
/* [governance] incident_notify_within in seconds: 1 .. 30 days, default
 * GOV_INCIDENT_WITHIN_DEFAULT (an unreadable value: the default). */
int64_t gov_incident_within(const struct config *cfg);

/* The kinds and severities, in order (borrowed). */
const char *const *gov_incident_kinds(int *n);
const char *const *gov_incident_severities(int *n);

struct gov_incident_notice {
	int idx;
	char label[GOV_INCIDENT_LABEL_MAX + 1];
	char address[255];
	char mail_id[33];
	int64_t queued_at;
	int64_t delivered_at; /* 0 until delivered */
};

struct gov_incident {
	char id[17];
	char kind[32];
	char severity[16];
	char state[16]; /* reported, notified, handled, closed */
	char title[GOV_INCIDENT_TITLE_MAX + 1];
	char description[GOV_INCIDENT_DESC_MAX + 1];
	char reporter[96];     /* the actor's label */
	char reporter_nik[17]; /* "" for the local administrator */
	char revocation_request_id[17];
	int64_t reported_at, notified_at, handled_at, closed_at, updated_at;
	int64_t flag_mailed_at; /* the Kepala Dinas was mailed (0: not) */
	/* Computed when read: */
	int recipients; /* notices queued at reporting */
	int delivered;  /* of which delivered */
	int64_t delay;  /* notified_at - reported_at; -1 until notified */
	int flagged;    /* no recipients, or not notified within the time */
	/* gov_incident_get only (empty in a list): */
	int ncerts;
	char certs[GOV_INCIDENT_CERTS_MAX][SERIAL_HEX_MAX + 1];
	int nnotices;
	struct gov_incident_notice notices[GOV_INCIDENT_RECIPIENTS_MAX];
};

struct gov_incident_new {
	const char *kind;
	const char *severity;
	const char *title;
	const char *description;
	const char *const *serials; /* certificates affected (may be none) */
	int nserials;
};
/* Reports an incident and queues its notices, in one transaction; *out
 * is the incident as stored (NULL allowed).  The reporter may name only
 * their own certificates unless they are Dinas staff. */
int gov_incident_report(struct gov_incident *out, struct store *st,
                        const struct config *cfg, const struct ra_actor *who,
                        const struct gov_incident_new *in);
/* One incident, with its certificates and notices, if who may read it
 * (SERTEL_EPERM otherwise, SERTEL_ENOTFOUND when there is none). */
int gov_incident_get(struct gov_incident *out, struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id);

struct gov_incident_filter {
	const char *state;    /* NULL: any */
	const char *severity; /* NULL: any */
	int limit;            /* 1..200 */
	int offset;
};
typedef int (*gov_incident_fn)(const struct gov_incident *inc, void *arg);
/* The incidents who may read, newest first, a page at a time; *total
 * counts all that match.  A non-zero cb return stops. */
int gov_incident_list(struct store *st, const struct config *cfg,
                      const struct ra_actor *who, const struct gov_incident_filter *f,
                      int64_t *total, gov_incident_fn cb, void *arg);

struct gov_incident_event {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *action; /* reported, notified, flagged, handle, close, note */
	const char *note;
};
typedef int (*gov_incident_event_fn)(const struct gov_incident_event *ev, void *arg);
/* The timeline, oldest first, if who may read the incident. */
int gov_incident_events(struct store *st, const struct config *cfg,
                        const struct ra_actor *who, const char *id,
                        gov_incident_event_fn cb, void *arg);

/* action: "handle", "close" (both: the Dinas, with a note) or "note" (the
 * Dinas or the reporter, while not closed).  A refused transition is
 * SERTEL_ESTATE naming the rule.  *out (may be NULL) as it is after. */
int gov_incident_act(struct gov_incident *out, struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id, const char *action,
                     const char *note);

/* Every caller of ra_report_loss goes through this: the loss report, then
 * its incident (kunci-hilang, the certificate, the revocation request
 * linked).  When the incident cannot be opened the loss report stands
 * (it is revoked) and gov_tick's catch-up opens it; incident_id is then
 * "".  incident_id may be NULL. */
int gov_report_loss(struct store *st, const struct config *cfg,
                    const struct ra_actor *who, struct issuer *is, const char *serial,
                    const char *acknowledged_by, const struct ra_file *statement,
                    const struct ra_file *police, const char *note, char incident_id[17]);

/* gov_tick's part: opens the incidents of loss reports that have none,
 * records the notices delivered, marks incidents notified, flags the late
 * ones (mail to the Kepala Dinas, once). */
int gov_incident_tick(struct store *st, const struct config *cfg, int64_t now);
/* ---- the annual evaluation report (report.c, report_pdf.c): Cirebon 23,
 * Denpasar 24 ------------------------------------------------------------ */
/* The figures of one calendar year in the instance's zone, computed from
 * the store once into rows of (section, dimension, key, value): the PDF,
 * the JSON and the CSV all print these rows, never a computation of
 * their own.  A value is an integer, a real (days, hours: one decimal
 * shown) or a short text (a system's state, the audit verdict). */
#define GOV_REPORT_YEAR_MIN 2000
enum gov_val { GOV_VAL_INT, GOV_VAL_REAL, GOV_VAL_TEXT };
struct gov_report_row {
	int dim; /* index into gov_report_dims() */
	int seq; /* insertion order, kept where the dimension says so */
	char key[160];
	enum gov_val kind;
	int64_t n;
	double d;
	char text[64];
};
/* One dimension: its section and name (the JSON/CSV keys) and the title
 * the PDF gives its table. */
struct gov_report_dim {
	const char *section;
	const char *name;
	const char *title; /* Bahasa Indonesia */
	int keep_order;    /* keys in insertion order, not sorted */
};
const struct gov_report_dim *gov_report_dims(size_t *n);
struct gov_report {
	int year;
	int64_t from, to;     /* [from, to): the year's local midnights */
	int64_t generated_at; /* "now" of the open items */
	struct time_zone tz;  /* the instance's zone */
	struct gov_report_row *rows;
	size_t nrows, cap;
	/* The coverage line for the chart (months up to now): basis points. */
	int months;
	int64_t month_bp[12];
	int64_t target_bp; /* -1: no road-map target for the year */
};
/* Who reads the figures: the Kepala Dinas, auditors, OP operators and
 * the local administrator (SERTEL_EPERM otherwise).  year from
 * GOV_REPORT_YEAR_MIN to the current local year (SERTEL_EINVAL).
 * notify_within: [governance] incident_notify_within seconds. */
int gov_report_build(struct gov_report **out, struct store *st,
                     const struct ra_actor *who, int year, const struct time_zone *tz,
                     int64_t notify_within);
void gov_report_free(struct gov_report *r);
/* The row of (section, dimension, key); NULL when absent. */
const struct gov_report_row *gov_report_find(const struct gov_report *r,
                                             const char *section, const char *dim,
                                             const char *key);
/* The nearest-rank percentile (p in 1..100) of v[0..n) (sorted here): the
 * smallest value with at least p% of the values at or below it, i.e. the
 * value of rank ceil(p*n/100) in ascending order (the median is p = 50:
 * for an even n, the lower of the two middle values).  0 when n is 0. */
int64_t gov_report_percentile(int64_t *v, size_t n, int p);
/* {"year", "zone", "from", "to", "generated_at", "figures": {section:
 * {dimension: {key: value}}}}.  *out owned (json_decref). */
int gov_report_json(json_t **out, const struct gov_report *r);
/* "section,dimension,key,value" rows after that header line, RFC 4180
 * (CRLF, quotes doubled).  b: buf_init()ed by the caller. */
int gov_report_csv(struct buf *b, const struct gov_report *r);
/* A value as the PDF and the CSV print it ("3", "2.5", "baik"). */
void gov_report_value_fmt(char *out, size_t outsz, const struct gov_report_row *row);

/* A key as a reader reads it ("median" -> "Median"), Bahasa Indonesia;
 * names (agencies, causes, reasons) as they are.  Borrowed. */
const char *gov_report_key_label(const char *key);
/* The document (report_pdf.c), Bahasa Indonesia. */
struct gov_report_doc {
	const char *org;         /* [instance] org: "Pemerintah Kota Cirebon" */
	const char *recipients;  /* [governance] report_recipients (NULL: default) */
	const char *signer_name; /* the Kepala Dinas, NULL on a draft */
	const char *verify_url;  /* base_url/v/{id}: QR code; NULL on a draft */
	int draft;               /* "DRAF" on every page, no QR code */
};
#define GOV_REPORT_RECIPIENTS "Wali Kota/Bupati,Gubernur,Kepala BSSN,Kepala BSrE"
int gov_report_pdf(unsigned char **out, size_t *outlen, const struct gov_report *r,
                   const struct gov_report_doc *doc);
/* Signs the report as the Kepala Dinas who (only that role; SERTEL_EPERM
 * for anyone else): the PDF names base_url/v/{id} in its QR code, is
 * signed with who's sealed key unsealed by the passphrase through
 * esign_sign (the instance's [esign] level; wrong passphrases counted and
 * the key locked as for every signature) and registered under id, with
 * a gov.report.sign audit entry in the same transaction.  err says what
 * to show on failure.  *out owned (free()). */
struct esign_ctx;
struct esign_error;
int gov_report_sign(unsigned char **out, size_t *outlen, char id[33],
                    struct esign_error *err, struct store *st, struct esign_ctx *c,
                    const struct ra_actor *who, const char *passphrase, size_t passlen,
                    const struct gov_report *r, const char *org, const char *recipients);
/* The signed annual reports, newest first (esign_docs of the report's
 * channel); a non-zero cb return stops.  Same readers as the figures. */
struct gov_report_signed {
	char id[33];
	char name[128];
	char signer_name[128];
	int64_t signed_at;
};
typedef int (*gov_report_signed_fn)(const struct gov_report_signed *s, void *arg);
int gov_report_signed_iter(struct store *st, const struct ra_actor *who,
                           gov_report_signed_fn cb, void *arg);
/* [governance] incident_notify_within (seconds, default 3600, 60 to one
 * week) and report_recipients (default GOV_REPORT_RECIPIENTS, at most
 * 1000 bytes); SERTEL_EINVAL names the key. */
struct config;
struct gov_report_conf {
	int64_t notify_within;
	char recipients[1024];
};
int gov_report_conf_load(struct gov_report_conf *out, const struct config *cfg);
/* The governance hub's figures of today (/portal/tata-kelola): coverage
 * of the region for the Dinas (Kepala Dinas, OP operators, auditors, the
 * administrator) or of the head's own agency for a head of agency
 * (agency_id set, region figures 0), open incidents and complaints, and
 * systems whose last probe failed.  SERTEL_EPERM for anyone else. */
struct gov_hub {
	int region; /* 1: the region's coverage, 0: agency_id's */
	char agency_id[17];
	struct gov_coverage coverage;
	int64_t incidents_open;
	int64_t complaints_open;
	int64_t systems_failed;
};
int gov_hub_get(struct gov_hub *out, struct store *st, const struct ra_actor *who);
/* May who read the figures / sign them (0 or SERTEL_EPERM). */
int gov_report_may_read(const struct ra_actor *who);
int gov_report_may_sign(const struct ra_actor *who);

#endif
