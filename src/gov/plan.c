/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The master plan (rencana induk) of five years and its road map (peta
 * jalan) per year (Cirebon 9, Samarinda 10), its yearly review, and the
 * decree (keputusan) naming the agencies that use certificates (Palembang
 * 7(2)).  The Kepala Dinas decides them; the administrator may act too.
 * Everyone with a governance role reads them (the auditor included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "gov/gov_int.h"

#define DECIDES     (ROLE_KEPALA_DINAS | ROLE_ADMIN)
#define PLAN_YEARS  5
#define REVIEW_DAYS 365
#define DAY         86400

static int
decides_check(const struct ra_actor *who, const char *what, const char *rule)
{
	if (who->roles & DECIDES)
		return 0;
	return sertel_err(SERTEL_EPERM, "%s: only the Kepala Dinas %s (%s)", who->label,
	                  what, rule);
}

static int
gov_audit(struct store *st, const struct ra_actor *who, const char *action,
          const char *kind, const char *id, const char *detail)
{
	char obj[64];

	snprintf(obj, sizeof(obj), "%s:%s", kind, id);
	return audit_append(st, who->label, action, obj, detail ? detail : "");
}

/* "YYYY-MM-DD", a real date (2026-02-30 is refused), into its 00:00 UTC. */
static int
date_parse(int64_t *out, const char *s, const char *what)
{
	struct tm tm;
	time_t t;
	char back[16];
	int i;

	if (s == NULL || strlen(s) != 10)
		goto bad;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			goto bad;
	if (time_parse(out, s) < 0)
		goto bad;
	t = (time_t)*out;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(back, sizeof(back), "%Y-%m-%d", &tm) != 10 || strcmp(back, s) != 0)
		goto bad;
	return 0;
bad:
	return sertel_err(SERTEL_EINVAL, "%s '%s': expected a date YYYY-MM-DD", what,
	                  s ? s : "");
}

/* A checked PDF (by its content and ra's size limit), stored encrypted:
 * its blob id and SHA-256 into blob[33] and hash[65]. */
static int
pdf_store(char blob[33], char hash[65], struct store *st, const struct ra_file *f,
          const char *kind)
{
	const char *mime;
	int rc;

	if ((rc = ra_file_check(f)) < 0)
		return rc;
	mime = ra_file_mime(f->data, f->len);
	if (mime == NULL || strcmp(mime, "application/pdf") != 0)
		return sertel_err(SERTEL_EINVAL, "%s (%s): not a PDF by its content",
		                  kind, f->filename ? f->filename : "");
	sha256_hex(hash, f->data, f->len);
	return store_blob_put(st, kind, f->data, f->len, blob);
}

/* ---- the plan ------------------------------------------------------------- */
int
gov_plan_may_read(const struct ra_actor *who)
{
	if (who->roles & (DECIDES | ROLE_OPERATOR | ROLE_AUDITOR | ROLE_KEPALA_PD))
		return 0;
	return sertel_err(SERTEL_EPERM, "%s: may not read the plan and the decree",
	                  who->label);
}

#define PLAN_COLS                                                                        \
	"id, title, start_year, end_year, refs, created_by, created_at, updated_at"

static void
plan_row(void *out, struct db_stmt *s)
{
	struct gov_plan *p = out;

	memset(p, 0, sizeof(*p));
	str_copy(p->id, sizeof(p->id), db_col_text(s, 0));
	str_copy(p->title, sizeof(p->title), db_col_text(s, 1));
	p->start_year = (int)db_col_int(s, 2);
	p->end_year = (int)db_col_int(s, 3);
	str_copy(p->refs, sizeof(p->refs), db_col_text(s, 4));
	str_copy(p->created_by, sizeof(p->created_by), db_col_text(s, 5));
	p->created_at = db_col_int(s, 6);
	p->updated_at = db_col_int(s, 7);
}

int
gov_plan_get(struct gov_plan *out, struct store *st, const char *plan_id)
{
	return gov_row_get(out, sizeof(*out), st,
	                   "SELECT " PLAN_COLS " FROM gov_plans WHERE id = ?", plan_id, 1,
	                   plan_row, "plan", "no such plan");
}

int
gov_plan_for_year(struct gov_plan *out, struct store *st, int year)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " PLAN_COLS
	                     " FROM gov_plans WHERE start_year <= ? AND "
	                     "end_year >= ?")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, year)) == 0 && (rc = db_bind_int(s, 2, year)) == 0 &&
	    (rc = db_step(s)) == 1) {
		plan_row(out, s);
		rc = 0;
	} else if (rc == 0)
		rc = sertel_err(SERTEL_ENOTFOUND, "no master plan covers %d", year);
	db_finalize(s);
	return rc;
}

int
gov_plan_iter(struct store *st, gov_plan_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_plan *p = NULL;
	int rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " PLAN_COLS
	                     " FROM gov_plans ORDER BY start_year DESC")) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		plan_row(p, s);
		if ((rc = cb(p, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	free(p);
	return rc < 0 ? rc : 0;
}

struct plan_w {
	const struct ra_actor *who;
	struct gov_plan *out;
	const char *plan_id;
	const char *title;
	const char *refs;
	const char *reason;
	int start_year;
	const struct gov_plan_target *t;
	const struct ra_file *f;
	int64_t at;
};

static int
plan_create_fn(struct store *st, void *arg)
{
	struct plan_w *w = arg;
	struct db_stmt *s = NULL;
	char id[17], detail[GOV_TEXT_MAX + 64];
	int64_t rc, now = time_now(), overlap = 0;
	int y;

	/* Cirebon 9: one plan in force for any year. */
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM gov_plans WHERE start_year <= ? AND "
	                     "end_year >= ?")) < 0)
		return (int)rc;
	if ((rc = db_bind_int(s, 1, w->start_year + PLAN_YEARS - 1)) == 0 &&
	    (rc = db_bind_int(s, 2, w->start_year)) == 0 && (rc = db_step(s)) == 1)
		overlap = db_col_int(s, 0);
	db_finalize(s);
	if (rc < 0)
		return (int)rc;
	if (overlap > 0)
		return sertel_err(SERTEL_EEXISTS,
		                  "plan %d-%d: overlaps a plan already recorded (Cirebon "
		                  "9(4): 5 years)",
		                  w->start_year, w->start_year + PLAN_YEARS - 1);
	if ((rc = rand_hex(id, 8)) < 0)
		return (int)rc;
	if ((rc = db_run(
	         store_db(st),
	         "INSERT INTO gov_plans (id, title, start_year, end_year, refs, "
	         "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	         "ssiissii", id, w->title, (int64_t)w->start_year,
	         (int64_t)(w->start_year + PLAN_YEARS - 1), w->refs ? w->refs : "",
	         w->who->label, now, now)) < 0)
		return (int)rc;
	/* The road map has a row per year from the start, targets 0 until set. */
	for (y = w->start_year; y < w->start_year + PLAN_YEARS; y++)
		if ((rc = db_run(
		         store_db(st),
		         "INSERT INTO gov_plan_targets (plan_id, year, asn_bp, systems, "
		         "services, activities) VALUES (?, ?, 0, 0, 0, '')",
		         "si", id, (int64_t)y)) < 0)
			return (int)rc;
	snprintf(detail, sizeof(detail), "%d-%d %.200s: %s", w->start_year,
	         w->start_year + PLAN_YEARS - 1, w->title, w->reason ? w->reason : "");
	if ((rc = gov_audit(st, w->who, "gov.plan.create", "plan", id, detail)) < 0)
		return (int)rc;
	return gov_plan_get(w->out, st, id);
}

int
gov_plan_create(struct gov_plan *out, struct store *st, const struct ra_actor *who,
                const char *title, int start_year, const char *refs, const char *reason)
{
	struct plan_w w = {who,    out,        NULL, title, refs,
	                   reason, start_year, NULL, NULL,  0};
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = decides_check(who, "makes the master plan", "Cirebon 9(3)")) < 0)
		return rc;
	if (start_year < GOV_YEAR_MIN || start_year + PLAN_YEARS - 1 > GOV_YEAR_MAX)
		return sertel_err(SERTEL_EINVAL, "plan: start year %d outside %d..%d",
		                  start_year, GOV_YEAR_MIN,
		                  GOV_YEAR_MAX - PLAN_YEARS + 1);
	if ((rc = gov_text_check("title", title, 200, 1)) < 0 ||
	    (rc = gov_text_check("references", refs, GOV_TEXT_MAX, 0)) < 0 ||
	    (rc = gov_text_check("reason", reason, GOV_TEXT_MAX, 1)) < 0)
		return rc;
	return store_atomic(st, plan_create_fn, &w);
}

static int
plan_update_fn(struct store *st, void *arg)
{
	struct plan_w *w = arg;
	struct gov_plan p;
	char detail[GOV_TEXT_MAX + 64];
	int64_t rc;

	if ((rc = gov_plan_get(&p, st, w->plan_id)) < 0)
		return (int)rc;
	if ((rc = db_run(store_db(st),
	                 "UPDATE gov_plans SET title = ?, refs = ?, updated_at = ? WHERE "
	                 "id = ?",
	                 "ssis", w->title ? w->title : p.title,
	                 w->refs ? w->refs : p.refs, time_now(), p.id)) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "%s%s: %s", w->title ? "title " : "",
	         w->refs ? "refs" : "", w->reason);
	return gov_audit(st, w->who, "gov.plan.update", "plan", p.id, detail);
}

int
gov_plan_update(struct store *st, const struct ra_actor *who, const char *plan_id,
                const char *title, const char *refs, const char *reason)
{
	struct plan_w w = {who, NULL, plan_id, title, refs, reason, 0, NULL, NULL, 0};
	int rc;

	if ((rc = decides_check(who, "changes the master plan", "Cirebon 9(3)")) < 0)
		return rc;
	if ((title != NULL && (rc = gov_text_check("title", title, 200, 1)) < 0) ||
	    (rc = gov_text_check("references", refs, GOV_TEXT_MAX, 0)) < 0 ||
	    (rc = gov_text_check("reason", reason, GOV_TEXT_MAX, 1)) < 0)
		return rc;
	return store_atomic(st, plan_update_fn, &w);
}

int
gov_percent_parse(int64_t *out_bp, const char *s)
{
	long long whole = 0, frac = 0;
	const char *p = s;
	int digits = 0, fd = 0;

	*out_bp = 0;
	if (s == NULL || *s == '\0')
		goto bad;
	for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
		whole = whole * 10 + (*p - '0');
	if (digits == 0)
		goto bad;
	if (*p == '.' || *p == ',') {
		for (p++; *p >= '0' && *p <= '9' && fd < 2; p++, fd++)
			frac = frac * 10 + (*p - '0');
		if (fd == 0)
			goto bad;
		if (fd == 1)
			frac *= 10;
	}
	if (*p != '\0' || whole * 100 + frac > 10000)
		goto bad;
	*out_bp = whole * 100 + frac;
	return 0;
bad:
	return sertel_err(SERTEL_EINVAL,
	                  "share '%s': expected a percent 0..100 with at most 2 decimals",
	                  s ? s : "");
}

static int
target_set_fn(struct store *st, void *arg)
{
	struct plan_w *w = arg;
	struct gov_plan p;
	char detail[GOV_TEXT_MAX + 128];
	int64_t rc;

	if ((rc = gov_plan_get(&p, st, w->plan_id)) < 0)
		return (int)rc;
	if (w->t->year < p.start_year || w->t->year > p.end_year)
		return sertel_err(SERTEL_EINVAL, "plan %s: year %d outside %d-%d", p.id,
		                  w->t->year, p.start_year, p.end_year);
	if ((rc = db_run(
	         store_db(st),
	         "UPDATE gov_plan_targets SET asn_bp = ?, systems = ?, services = ?, "
	         "activities = ? WHERE plan_id = ? AND year = ?",
	         "iiissi", w->t->asn_bp, w->t->systems, w->t->services, w->t->activities,
	         p.id, (int64_t)w->t->year)) < 0 ||
	    (rc = db_run(store_db(st), "UPDATE gov_plans SET updated_at = ? WHERE id = ?",
	                 "is", time_now(), p.id)) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail),
	         "%d: asn %lld bp, %lld systems, %lld services: %s", w->t->year,
	         (long long)w->t->asn_bp, (long long)w->t->systems,
	         (long long)w->t->services, w->reason);
	return gov_audit(st, w->who, "gov.plan.target", "plan", p.id, detail);
}

int
gov_plan_target_set(struct store *st, const struct ra_actor *who, const char *plan_id,
                    const struct gov_plan_target *t, const char *reason)
{
	struct plan_w w = {who, NULL, plan_id, NULL, NULL, reason, 0, t, NULL, 0};
	int rc;

	if ((rc = decides_check(who, "sets the road map's targets", "Cirebon 9(3)")) < 0)
		return rc;
	if (t->asn_bp < 0 || t->asn_bp > 10000)
		return sertel_err(SERTEL_EINVAL, "share %lld bp: expected 0..10000",
		                  (long long)t->asn_bp);
	if (t->systems < 0 || t->services < 0 || t->systems > 1000000 ||
	    t->services > 1000000)
		return sertel_err(SERTEL_EINVAL,
		                  "targets: systems and services are counts 0..1000000");
	if ((rc = gov_text_check("activities", t->activities, GOV_TEXT_MAX, 0)) < 0 ||
	    (rc = gov_text_check("reason", reason, GOV_TEXT_MAX, 1)) < 0)
		return rc;
	return store_atomic(st, target_set_fn, &w);
}

int
gov_plan_targets(struct store *st, const char *plan_id, gov_plan_target_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_plan_target *t = NULL;
	int rc;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT year, asn_bp, systems, services, activities FROM "
	                     "gov_plan_targets WHERE plan_id = ? ORDER BY year")) < 0 ||
	    (rc = db_bind_text(s, 1, plan_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		memset(t, 0, sizeof(*t));
		t->year = (int)db_col_int(s, 0);
		t->asn_bp = db_col_int(s, 1);
		t->systems = db_col_int(s, 2);
		t->services = db_col_int(s, 3);
		str_copy(t->activities, sizeof(t->activities), db_col_text(s, 4));
		if ((rc = cb(t, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	free(t);
	return rc < 0 ? rc : 0;
}

/* ---- documents -------------------------------------------------------------- */
static int
doc_add_fn(struct store *st, void *arg)
{
	struct plan_w *w = arg;
	struct gov_plan p;
	struct db_stmt *s = NULL;
	char blob[33], hash[65], detail[GOV_TEXT_MAX + 300];
	int64_t rc, idx = 1;

	if ((rc = gov_plan_get(&p, st, w->plan_id)) < 0)
		return (int)rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*), COALESCE(MAX(idx), 0) FROM gov_plan_docs "
	                     "WHERE plan_id = ?")) < 0)
		return (int)rc;
	if ((rc = db_bind_text(s, 1, p.id)) == 0 && (rc = db_step(s)) == 1) {
		if (db_col_int(s, 0) >= 32)
			rc = sertel_err(SERTEL_ETOOBIG, "plan %s: at most 32 documents",
			                p.id);
		idx = db_col_int(s, 1) + 1;
	}
	db_finalize(s);
	if (rc < 0)
		return (int)rc;
	if ((rc = pdf_store(blob, hash, st, w->f, "gov-plan-doc")) < 0)
		return (int)rc;
	if ((rc = db_run(
	         store_db(st),
	         "INSERT INTO gov_plan_docs (plan_id, idx, filename, blob_id, sha256, "
	         "size, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	         "sisssisi", p.id, idx, w->f->filename, blob, hash, (int64_t)w->f->len,
	         w->who->label, time_now())) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "document %lld %.200s sha256:%s: %s",
	         (long long)idx, w->f->filename, hash, w->reason);
	return gov_audit(st, w->who, "gov.plan.document", "plan", p.id, detail);
}

int
gov_plan_doc_add(struct store *st, const struct ra_actor *who, const char *plan_id,
                 const struct ra_file *f, const char *reason)
{
	struct plan_w w = {who, NULL, plan_id, NULL, NULL, reason, 0, NULL, f, 0};
	int rc;

	if ((rc = decides_check(who, "attaches the plan's documents", "Cirebon 9(5)")) <
	        0 ||
	    (rc = gov_text_check("reason", reason, GOV_TEXT_MAX, 1)) < 0)
		return rc;
	return store_atomic(st, doc_add_fn, &w);
}

#define DOC_COLS "idx, filename, sha256, size, added_by, added_at, blob_id"

static void
doc_row(struct gov_plan_doc *d, struct db_stmt *s)
{
	memset(d, 0, sizeof(*d));
	d->idx = (int)db_col_int(s, 0);
	str_copy(d->filename, sizeof(d->filename), db_col_text(s, 1));
	str_copy(d->sha256, sizeof(d->sha256), db_col_text(s, 2));
	d->size = db_col_int(s, 3);
	str_copy(d->added_by, sizeof(d->added_by), db_col_text(s, 4));
	d->added_at = db_col_int(s, 5);
}

int
gov_plan_docs(struct store *st, const char *plan_id, gov_plan_doc_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_plan_doc d;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " DOC_COLS " FROM gov_plan_docs WHERE plan_id = ? "
	                     "ORDER BY idx")) < 0 ||
	    (rc = db_bind_text(s, 1, plan_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		doc_row(&d, s);
		if ((rc = cb(&d, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
gov_plan_doc_get(unsigned char **out, size_t *len, struct gov_plan_doc *meta,
                 struct store *st, const char *plan_id, int idx)
{
	struct db_stmt *s = NULL;
	char blob[33] = "";
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " DOC_COLS
	                     " FROM gov_plan_docs WHERE plan_id = ? AND "
	                     "idx = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, plan_id)) == 0 &&
	    (rc = db_bind_int(s, 2, idx)) == 0 && (rc = db_step(s)) == 1) {
		doc_row(meta, s);
		str_copy(blob, sizeof(blob), db_col_text(s, 6));
		rc = 0;
	} else if (rc == 0)
		rc =
		    sertel_err(SERTEL_ENOTFOUND, "plan %s: no document %d", plan_id, idx);
	db_finalize(s);
	if (rc < 0)
		return rc;
	return store_blob_get(st, blob, "gov-plan-doc", out, len);
}

/* ---- reviews ---------------------------------------------------------------- */
static int
review_add_fn(struct store *st, void *arg)
{
	struct plan_w *w = arg;
	struct gov_plan p;
	char detail[GOV_TEXT_MAX + 64];
	int64_t rc;

	if ((rc = gov_plan_get(&p, st, w->plan_id)) < 0)
		return (int)rc;
	rc = db_run(
	    store_db(st),
	    "INSERT INTO gov_plan_reviews (plan_id, reviewed_at, outcome, by_actor) "
	    "VALUES (?, ?, ?, ?)",
	    "siss", p.id, w->at, w->reason, w->who->label);
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "plan %s: a review of that date exists",
		                  p.id);
	if (rc < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "review %s: %s", w->title, w->reason);
	return gov_audit(st, w->who, "gov.plan.review", "plan", p.id, detail);
}

int
gov_plan_review_add(struct store *st, const struct ra_actor *who, const char *plan_id,
                    const char *date, const char *outcome)
{
	struct plan_w w = {who, NULL, plan_id, date, NULL, outcome, 0, NULL, NULL, 0};
	int rc;

	if ((rc = decides_check(who, "records the plan's review", "Cirebon 9(4)")) < 0 ||
	    (rc = date_parse(&w.at, date, "review date")) < 0 ||
	    (rc = gov_text_check("outcome", outcome, GOV_TEXT_MAX, 1)) < 0)
		return rc;
	if (w.at > time_now())
		return sertel_err(SERTEL_EINVAL, "review date %s: in the future", date);
	return store_atomic(st, review_add_fn, &w);
}

int
gov_plan_reviews(struct store *st, const char *plan_id, gov_plan_review_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_plan_review *r = NULL;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT reviewed_at, outcome, by_actor FROM gov_plan_reviews "
	                    "WHERE plan_id = ? ORDER BY reviewed_at DESC")) < 0 ||
	    (rc = db_bind_text(s, 1, plan_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		memset(r, 0, sizeof(*r));
		r->reviewed_at = db_col_int(s, 0);
		str_copy(r->outcome, sizeof(r->outcome), db_col_text(s, 1));
		str_copy(r->by_actor, sizeof(r->by_actor), db_col_text(s, 2));
		if ((rc = cb(r, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	free(r);
	return rc < 0 ? rc : 0;
}

const char *
gov_review_status_name(enum gov_review_status s)
{
	return s == GOV_REVIEW_LATE ? "late" : s == GOV_REVIEW_DUE ? "due" : "ok";
}

int
gov_plan_warn_days(const struct config *cfg)
{
	long long d = config_get_int(cfg, "governance", "plan_review_warn_days", 30);

	return d < 0 ? 0 : d > 180 ? 180 : (int)d;
}

int
gov_plan_review_status(enum gov_review_status *out, int64_t *since, struct store *st,
                       const char *plan_id, int warn_days, int64_t now)
{
	struct db_stmt *s = NULL;
	int64_t last = 0, ends;
	int rc;

	*out = GOV_REVIEW_OK;
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT COALESCE((SELECT MAX(reviewed_at) FROM gov_plan_reviews "
	         "r WHERE r.plan_id = p.id), p.created_at) FROM gov_plans p "
	         "WHERE p.id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, plan_id)) == 0 && (rc = db_step(s)) == 1) {
		last = db_col_int(s, 0);
		rc = 0;
	} else if (rc == 0)
		rc = sertel_err(SERTEL_ENOTFOUND, "plan %s: no such plan", plan_id);
	db_finalize(s);
	if (rc < 0)
		return rc;
	/* Cirebon 9(4), Samarinda 10(5): reviewed at least once a year. */
	ends = last + (int64_t)REVIEW_DAYS * DAY;
	if (now > ends)
		*out = GOV_REVIEW_LATE;
	else if (now > ends - (int64_t)warn_days * DAY)
		*out = GOV_REVIEW_DUE;
	if (since != NULL)
		*since = last;
	return 0;
}

/* ---- the review notice from gov_tick ------------------------------------- */
struct kadis_list {
	char (*mail)[254];
	int n;
};

static int
kadis_one(const struct ra_person *p, void *arg)
{
	struct kadis_list *l = arg;

	if ((p->roles & ROLE_KEPALA_DINAS) && p->email[0] != '\0' && l->n < 16)
		str_copy(l->mail[l->n++], 254, p->email);
	return 0;
}

struct tick_w {
	const struct gov_plan *p;
	enum gov_review_status status;
	int64_t since, now;
	struct kadis_list *l;
	int *sent;
};

static int
tick_fn(struct store *st, void *arg)
{
	struct tick_w *w = arg;
	struct db_stmt *s = NULL;
	char last[16] = "", subject[256], body[1024], day[32];
	const char *name = gov_review_status_name(w->status);
	int64_t rc;
	int i;

	/* Re-read inside the transaction: two nodes never both mail. */
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT status FROM gov_plan_alerts WHERE plan_id = ?")) < 0)
		return (int)rc;
	if ((rc = db_bind_text(s, 1, w->p->id)) == 0 && (rc = db_step(s)) == 1)
		str_copy(last, sizeof(last), db_col_text(s, 0));
	db_finalize(s);
	if (rc < 0)
		return (int)rc;
	/* A plan never alerted counts as ok: nothing to say until due. */
	if (strcmp(last, name) == 0 || (last[0] == '\0' && w->status == GOV_REVIEW_OK))
		return 0;
	if ((rc = db_run(store_db(st), "DELETE FROM gov_plan_alerts WHERE plan_id = ?",
	                 "s", w->p->id)) < 0 ||
	    (rc = db_run(
	         store_db(st),
	         "INSERT INTO gov_plan_alerts (plan_id, status, at) VALUES (?, ?, ?)",
	         "ssi", w->p->id, name, w->now)) < 0)
		return (int)rc;
	if (w->status == GOV_REVIEW_OK)
		return 0;
	time_fmt(day, w->since + (int64_t)REVIEW_DAYS * DAY);
	day[10] = '\0';
	snprintf(subject, sizeof(subject), "Reviu rencana induk %d-%d: %s",
	         w->p->start_year, w->p->end_year,
	         w->status == GOV_REVIEW_LATE ? "terlambat" : "segera jatuh tempo");
	snprintf(body, sizeof(body),
	         "Rencana induk \"%.200s\" (%d-%d) harus direviu sekurang-kurangnya "
	         "sekali setahun (Perwali Cirebon Pasal 9 ayat 4).\n"
	         "Batas reviu berikutnya: %s (%s).\n\n"
	         "The master plan must be reviewed at least once a year; the next "
	         "review is %s by %s.\n",
	         w->p->title, w->p->start_year, w->p->end_year, day,
	         w->status == GOV_REVIEW_LATE ? "terlambat" : "segera",
	         w->status == GOV_REVIEW_LATE ? "late" : "due", day);
	for (i = 0; i < w->l->n; i++) {
		if ((rc = mail_enqueue(st, w->l->mail[i], subject, body, "plan-review")) <
		    0)
			return (int)rc;
		(*w->sent)++;
	}
	snprintf(subject, sizeof(subject), "plan:%s", w->p->id);
	snprintf(body, sizeof(body), "%s: %d notice(s)", name, w->l->n);
	return audit_append(st, "system:gov", "gov.plan.review_notice", subject, body);
}

int
gov_plan_tick(struct store *st, const struct config *cfg, int64_t now, int *sent)
{
	char mails[16][254], last[16] = "";
	struct kadis_list l = {mails, 0};
	struct gov_plan p;
	int none = 0;
	struct tick_w w = {&p, GOV_REVIEW_OK, 0, now, &l, sent ? sent : &none};
	struct tm tm;
	time_t t = (time_t)now;
	int rc;

	*w.sent = 0;
	if (gmtime_r(&t, &tm) == NULL)
		return sertel_err(SERTEL_EINVAL, "plan tick: bad time");
	/* The plan in force this year; none recorded is nothing to say. */
	if ((rc = gov_plan_for_year(&p, st, tm.tm_year + 1900)) < 0) {
		rc = rc == SERTEL_ENOTFOUND ? 0 : rc;
		goto out;
	}
	if ((rc = gov_plan_review_status(&w.status, &w.since, st, p.id,
	                                 gov_plan_warn_days(cfg), now)) < 0 ||
	    (rc = db_get_text(store_db(st), last, sizeof(last),
	                      "SELECT status FROM gov_plan_alerts WHERE plan_id = ?",
	                      p.id)) < 0)
		goto out;
	/* Every round: nothing more to read unless the status changed (the
	 * transaction reads it again before it mails). */
	if (strcmp(last, gov_review_status_name(w.status)) == 0 ||
	    (last[0] == '\0' && w.status == GOV_REVIEW_OK)) {
		rc = 0;
		goto out;
	}
	if ((rc = ra_person_iter(st, NULL, kadis_one, &l)) < 0)
		goto out;
	rc = store_atomic(st, tick_fn, &w);
out:
	if (rc < 0)
		log_msg(LOG_WARN, "gov: plan review notice: %s", sertel_errmsg());
	return rc;
}

/* ---- the decree and the agencies in scope ---------------------------------- */
#define DECREE_COLS                                                                      \
	"id, number, decree_date, title, CASE WHEN blob_id IS NULL THEN 0 ELSE 1 END, "  \
	"created_by, created_at"

static void
decree_row(void *out, struct db_stmt *s)
{
	struct gov_decree *d = out;

	memset(d, 0, sizeof(*d));
	str_copy(d->id, sizeof(d->id), db_col_text(s, 0));
	str_copy(d->number, sizeof(d->number), db_col_text(s, 1));
	str_copy(d->date, sizeof(d->date), db_col_text(s, 2));
	str_copy(d->title, sizeof(d->title), db_col_text(s, 3));
	d->has_pdf = db_col_int(s, 4) != 0;
	str_copy(d->created_by, sizeof(d->created_by), db_col_text(s, 5));
	d->created_at = db_col_int(s, 6);
}

int
gov_decree_get(struct gov_decree *out, struct store *st, const char *id_or_number)
{
	return gov_row_get(out, sizeof(*out), st,
	                   "SELECT " DECREE_COLS " FROM gov_decrees WHERE id = ? OR "
	                   "number = ? ORDER BY id = ? DESC",
	                   id_or_number, 3, decree_row, "decree", "no such decree");
}

int
gov_decree_iter(struct store *st, gov_decree_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_decree d;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " DECREE_COLS
	                     " FROM gov_decrees ORDER BY decree_date "
	                     "DESC, number")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		decree_row(&d, s);
		if ((rc = cb(&d, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

struct decree_w {
	const struct ra_actor *who;
	struct gov_decree *out;
	const char *number, *date, *title;
	const struct ra_file *pdf;
};

static int
decree_add_fn(struct store *st, void *arg)
{
	struct decree_w *w = arg;
	char id[17], blob[33] = "", hash[65] = "", detail[800];
	int64_t rc;

	if ((rc = rand_hex(id, 8)) < 0)
		return (int)rc;
	if (w->pdf != NULL && (rc = pdf_store(blob, hash, st, w->pdf, "gov-decree")) < 0)
		return (int)rc;
	rc =
	    db_run(store_db(st),
	           "INSERT INTO gov_decrees (id, number, decree_date, title, created_by, "
	           "created_at, blob_id, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	           "sssssiss", id, w->number, w->date, w->title ? w->title : "",
	           w->who->label, time_now(), w->pdf ? blob : NULL, w->pdf ? hash : NULL);
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "decree number %s: already recorded",
		                  w->number);
	if (rc < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "%.128s of %s: %.400s%s%s", w->number, w->date,
	         w->title ? w->title : "", w->pdf ? " pdf sha256:" : "", hash);
	if ((rc = gov_audit(st, w->who, "gov.decree.add", "decree", id, detail)) < 0)
		return (int)rc;
	return gov_decree_get(w->out, st, id);
}

int
gov_decree_add(struct gov_decree *out, struct store *st, const struct ra_actor *who,
               const char *number, const char *date, const char *title,
               const struct ra_file *pdf)
{
	struct decree_w w = {who, out, number, date, title, pdf};
	int64_t at;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = decides_check(who, "records the decree", "Palembang 7(2)")) < 0 ||
	    (rc = gov_text_check("decree number", number, 128, 1)) < 0 ||
	    (rc = date_parse(&at, date, "decree date")) < 0 ||
	    (rc = gov_text_check("decree title", title, 500, 0)) < 0)
		return rc;
	if (strchr(number, '\n') != NULL || strchr(number, '\r') != NULL)
		return sertel_err(SERTEL_EINVAL, "decree number: one line");
	return store_atomic(st, decree_add_fn, &w);
}

int
gov_decree_pdf(unsigned char **out, size_t *len, struct store *st, const char *id)
{
	char blob[40] = "";
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = db_get_text(
	         store_db(st), blob, sizeof(blob),
	         "SELECT COALESCE(blob_id, '') FROM gov_decrees WHERE id = ?", id)) < 0)
		return rc;
	if (rc == 0 || blob[0] == '\0')
		return sertel_err(SERTEL_ENOTFOUND, "decree %s: no PDF", id);
	return store_blob_get(st, blob, "gov-decree", out, len);
}

#define SCOPE_SQL                                                                        \
	"SELECT a.id, a.name, COALESCE(s.decree_id, ''), COALESCE(d.number, ''), "       \
	"COALESCE(d.decree_date, ''), COALESCE(s.since, 0) FROM agencies a "             \
	"LEFT JOIN gov_scope s ON s.agency_id = a.id "                                   \
	"LEFT JOIN gov_decrees d ON d.id = s.decree_id "

static void
scope_row(void *out, struct db_stmt *s)
{
	struct gov_scope *g = out;

	memset(g, 0, sizeof(*g));
	str_copy(g->agency_id, sizeof(g->agency_id), db_col_text(s, 0));
	str_copy(g->agency_name, sizeof(g->agency_name), db_col_text(s, 1));
	str_copy(g->decree_id, sizeof(g->decree_id), db_col_text(s, 2));
	str_copy(g->number, sizeof(g->number), db_col_text(s, 3));
	str_copy(g->date, sizeof(g->date), db_col_text(s, 4));
	g->since = db_col_int(s, 5);
}

int
gov_scope_get(struct gov_scope *out, struct store *st, const char *agency)
{
	return gov_row_get(out, sizeof(*out), st,
	                   SCOPE_SQL
	                   "WHERE a.id = ? OR a.name = ? ORDER BY a.id = ? DESC",
	                   agency, 3, scope_row, "agency", "no such agency");
}

int
gov_scope_iter(struct store *st, gov_scope_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_scope g;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     SCOPE_SQL "WHERE s.agency_id IS NOT NULL ORDER BY a.name")) <
	    0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		scope_row(&g, s);
		if ((rc = cb(&g, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

struct scope_w {
	const struct ra_actor *who;
	const char *agency;
	const char *decree;
	const char *reason;
};

static int
scope_add_fn(struct store *st, void *arg)
{
	struct scope_w *w = arg;
	struct gov_scope g;
	struct gov_decree d;
	char detail[GOV_TEXT_MAX + 200];
	int64_t rc;

	if ((rc = gov_scope_get(&g, st, w->agency)) < 0 ||
	    (rc = gov_decree_get(&d, st, w->decree)) < 0)
		return (int)rc;
	if (g.decree_id[0] != '\0')
		return sertel_err(
		    SERTEL_ESTATE,
		    "agency %s: already in scope under decree %s; remove it "
		    "first (Palembang 7(2))",
		    g.agency_id, g.number);
	if ((rc = db_run(
	         store_db(st),
	         "INSERT INTO gov_scope (agency_id, decree_id, since) VALUES (?, ?, ?)",
	         "ssi", g.agency_id, d.id, time_now())) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "decree %.128s of %s%s%s", d.number, d.date,
	         w->reason && *w->reason ? ": " : "", w->reason ? w->reason : "");
	return gov_audit(st, w->who, "gov.scope.add", "agency", g.agency_id, detail);
}

int
gov_scope_add(struct store *st, const struct ra_actor *who, const char *agency_id,
              const char *decree, const char *reason)
{
	struct scope_w w = {who, agency_id, decree, reason};
	int rc;

	if ((rc = decides_check(who, "sets the decree's scope", "Palembang 7(2)")) < 0 ||
	    (rc = gov_text_check("reason", reason, GOV_TEXT_MAX, 0)) < 0)
		return rc;
	return store_atomic(st, scope_add_fn, &w);
}

static int
scope_remove_fn(struct store *st, void *arg)
{
	struct scope_w *w = arg;
	struct gov_scope g;
	char detail[GOV_TEXT_MAX + 200];
	int64_t rc;

	if ((rc = gov_scope_get(&g, st, w->agency)) < 0)
		return (int)rc;
	if (g.decree_id[0] == '\0')
		return sertel_err(SERTEL_ESTATE, "agency %s: not in scope", g.agency_id);
	if ((rc = db_run(store_db(st), "DELETE FROM gov_scope WHERE agency_id = ?", "s",
	                 g.agency_id)) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "was under decree %.128s: %s", g.number,
	         w->reason);
	return gov_audit(st, w->who, "gov.scope.remove", "agency", g.agency_id, detail);
}

int
gov_scope_remove(struct store *st, const struct ra_actor *who, const char *agency_id,
                 const char *reason)
{
	struct scope_w w = {who, agency_id, NULL, reason};
	int rc;

	if ((rc = decides_check(who, "sets the decree's scope", "Palembang 7(2)")) < 0 ||
	    (rc = gov_text_check("reason", reason, GOV_TEXT_MAX, 1)) < 0)
		return rc;
	return store_atomic(st, scope_remove_fn, &w);
}
