/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An agency's needs for a year (Cirebon 3(1)b,e and 4; Denpasar 5;
 * Samarinda 10): the head of the agency states how many certificates of
 * each type and usage, for which electronic systems, and why; the Dinas
 * analyses each item (priority, planned quarter, budget line) and the
 * Kepala Dinas plans or rejects the whole.  The states and who moves them
 * are the table need_moves below; everything else asks it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "gov/gov_int.h"
#include "pki/pki.h"

#define DINAS (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN)
#define HEAD  (ROLE_KEPALA_PD | ROLE_ADMIN)

/* The transition table: from a state, an operation leads to a state, for
 * the roles named.  "edit" (items added or removed) and "analyse" keep or
 * complete the state; the head of agency acts for their own agency only
 * (checked with the row, need_may_act). */
static const struct need_move {
	const char *from;
	const char *op;
	const char *to;
	unsigned roles;
	const char *rule;
} need_moves[] = {
    {"draft", "edit", "draft", HEAD, "Cirebon 4(1)"},
    {"draft", "submit", "submitted", HEAD, "Cirebon 4(2)"},
    {"submitted", "analyse", "analysed", DINAS, "Cirebon 3(1)e"},
    {"analysed", "analyse", "analysed", DINAS, "Cirebon 3(1)e"},
    {"analysed", "plan", "planned", ROLE_KEPALA_DINAS | ROLE_ADMIN, "Cirebon 3(1)b"},
    {"submitted", "reject", "rejected", ROLE_KEPALA_DINAS | ROLE_ADMIN, "Cirebon 3(1)b"},
    {"analysed", "reject", "rejected", ROLE_KEPALA_DINAS | ROLE_ADMIN, "Cirebon 3(1)b"},
    {"rejected", "reopen", "draft", HEAD, "Cirebon 4(1)"},
};
#define NMOVES (sizeof(need_moves) / sizeof(need_moves[0]))

#define NEED_COLS                                                                        \
	"n.id, n.agency_id, n.year, n.state, n.justification, COALESCE(n.reason, ''), "  \
	"n.created_by, n.created_at, COALESCE(n.submitted_at, 0), "                      \
	"COALESCE(n.decided_at, 0), n.updated_at, "                                      \
	"(SELECT COUNT(*) FROM gov_need_items i WHERE i.need_id = n.id), "               \
	"(SELECT COALESCE(SUM(i.count), 0) FROM gov_need_items i WHERE i.need_id = "     \
	"n.id)"

static void
need_row(void *out, struct db_stmt *s)
{
	struct gov_need *n = out;

	memset(n, 0, sizeof(*n));
	str_copy(n->id, sizeof(n->id), db_col_text(s, 0));
	str_copy(n->agency_id, sizeof(n->agency_id), db_col_text(s, 1));
	n->year = (int)db_col_int(s, 2);
	str_copy(n->state, sizeof(n->state), db_col_text(s, 3));
	str_copy(n->justification, sizeof(n->justification), db_col_text(s, 4));
	str_copy(n->reason, sizeof(n->reason), db_col_text(s, 5));
	str_copy(n->created_by, sizeof(n->created_by), db_col_text(s, 6));
	n->created_at = db_col_int(s, 7);
	n->submitted_at = db_col_int(s, 8);
	n->decided_at = db_col_int(s, 9);
	n->updated_at = db_col_int(s, 10);
	n->items = db_col_int(s, 11);
	n->total = db_col_int(s, 12);
}

int
gov_actor_agency(char out[17], struct store *st, const struct ra_actor *who)
{
	struct ra_person p;
	int rc;

	out[0] = '\0';
	if (who->nik[0] == '\0')
		return 0;
	if ((rc = ra_person_get(&p, st, who->nik)) < 0)
		return rc;
	str_copy(out, 17, p.agency_id);
	return 0;
}

int
gov_text_check(const char *what, const char *s, size_t max, int required)
{
	if (s == NULL || *s == '\0')
		return required ? sertel_err(SERTEL_EINVAL, "%s: required", what) : 0;
	if (strlen(s) > max)
		return sertel_err(SERTEL_ETOOBIG, "%s: more than %zu bytes", what, max);
	return mail_text_check(s, 1, what);
}

int
gov_row_get(void *out, size_t outsz, struct store *st, const char *sql, const char *key,
            int nbind, gov_row_fn row, const char *what, const char *missing)
{
	struct db_stmt *s = NULL;
	char k[SERTEL_MAX_NAME];
	int i, rc;

	snprintf(k, sizeof(k), "%s", key ? key : "");
	memset(out, 0, outsz);
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		return rc;
	for (i = 1; rc == 0 && i <= nbind; i++)
		rc = db_bind_text(s, i, k);
	if (rc == 0 && (rc = db_step(s)) == 1) {
		row(out, s);
		rc = 0;
	} else if (rc == 0)
		rc = sertel_err(SERTEL_ENOTFOUND, "%s %s: %s", what, k, missing);
	db_finalize(s);
	return rc;
}

int
gov_need_get(struct gov_need *out, struct store *st, const char *need_id)
{
	return gov_row_get(out, sizeof(*out), st,
	                   "SELECT " NEED_COLS " FROM gov_needs n WHERE n.id = ?",
	                   need_id, 1, need_row, "needs", "no such record");
}

/* The Dinas and the auditor read every agency's; a head of agency their
 * own agency's. */
int
gov_need_may_read(struct store *st, const struct ra_actor *who, const struct gov_need *n)
{
	char agency[17];
	int rc;

	if (who->roles & (DINAS | ROLE_AUDITOR))
		return 0;
	if (who->roles & ROLE_KEPALA_PD) {
		if ((rc = gov_actor_agency(agency, st, who)) < 0)
			return rc;
		if (strcmp(agency, n->agency_id) == 0)
			return 0;
	}
	return sertel_err(SERTEL_EPERM, "%s: may not read the needs of agency %s",
	                  who->label, n->agency_id);
}

/* The move of op from n's state by who, or the refusal: SERTEL_EPERM when
 * who holds none of the roles op needs (or heads another agency),
 * SERTEL_ESTATE when op does not lead from that state. */
static int
need_may_act(const struct need_move **out, struct store *st, const struct ra_actor *who,
             const struct gov_need *n, const char *op)
{
	const char *rule = "Cirebon 4";
	char agency[17];
	unsigned roles = 0;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < NMOVES; i++)
		if (strcmp(need_moves[i].op, op) == 0) {
			roles |= need_moves[i].roles;
			rule = need_moves[i].rule;
		}
	if (!(who->roles & roles))
		return sertel_err(SERTEL_EPERM, "%s: may not %s needs (%s)", who->label,
		                  op, rule);
	/* A head of agency acts for their own agency only. */
	if (!(who->roles & ROLE_ADMIN) && (roles & ROLE_KEPALA_PD) &&
	    !(who->roles & roles & ~ROLE_KEPALA_PD)) {
		if ((rc = gov_actor_agency(agency, st, who)) < 0)
			return rc;
		if (strcmp(agency, n->agency_id) != 0)
			return sertel_err(
			    SERTEL_EPERM,
			    "%s: heads another agency than %s (Cirebon 4(1))", who->label,
			    n->agency_id);
	}
	for (i = 0; i < NMOVES; i++)
		if (strcmp(need_moves[i].op, op) == 0 &&
		    strcmp(need_moves[i].from, n->state) == 0) {
			*out = &need_moves[i];
			return 0;
		}
	return sertel_err(SERTEL_ESTATE, "needs %s: cannot %s when %s (%s)", n->id, op,
	                  n->state, rule);
}

int
gov_need_may(struct store *st, const struct ra_actor *who, const struct gov_need *n,
             const char *op)
{
	const struct need_move *mv;
	int rc = need_may_act(&mv, st, who, n, op);

	sertel_err_clear();
	return rc;
}

static int
need_audit(struct store *st, const struct ra_actor *who, const char *verb,
           const char *need_id, const char *detail)
{
	char action[48], obj[48];

	snprintf(action, sizeof(action), "gov.needs.%s", verb);
	snprintf(obj, sizeof(obj), "need:%s", need_id);
	return audit_append(st, who->label, action, obj, detail ? detail : "");
}

/* ---- create --------------------------------------------------------------- */
struct create_w {
	struct gov_need *out;
	const struct ra_actor *who;
	const char *agency_id;
	int year;
	const char *justification;
};

static int
create_fn(struct store *st, void *arg)
{
	struct create_w *w = arg;
	char id[17], detail[64];
	int64_t now = time_now(), rc;

	if ((rc = rand_hex(id, 8)) < 0)
		return (int)rc;
	rc = db_run(
	    store_db(st),
	    "INSERT INTO gov_needs (id, agency_id, year, state, justification, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)",
	    "ssissii", id, w->agency_id, (int64_t)w->year,
	    w->justification ? w->justification : "", w->who->label, now, now);
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS,
		                  "needs of agency %s for %d: already recorded (one per "
		                  "agency and year)",
		                  w->agency_id, w->year);
	if (rc < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "agency %s year %d", w->agency_id, w->year);
	if ((rc = need_audit(st, w->who, "create", id, detail)) < 0)
		return (int)rc;
	return gov_need_get(w->out, st, id);
}

int
gov_need_create(struct gov_need *out, struct store *st, const struct ra_actor *who,
                const char *agency_id, int year, const char *justification)
{
	struct create_w w = {out, who, NULL, year, justification};
	struct ra_agency ag;
	struct gov_need probe;
	const struct need_move *mv;
	int rc;

	memset(out, 0, sizeof(*out));
	if (agency_id == NULL || *agency_id == '\0')
		return sertel_err(SERTEL_EINVAL, "needs: the agency is required");
	if ((rc = ra_agency_get(&ag, st, agency_id)) < 0)
		return rc == SERTEL_ENOTFOUND
		           ? sertel_err(SERTEL_ENOTFOUND, "agency %s: no such agency",
		                        agency_id)
		           : rc;
	if (year < GOV_YEAR_MIN || year > GOV_YEAR_MAX)
		return sertel_err(SERTEL_EINVAL, "needs: year %d outside %d..%d", year,
		                  GOV_YEAR_MIN, GOV_YEAR_MAX);
	if ((rc = gov_text_check("justification", justification, GOV_TEXT_MAX, 0)) < 0)
		return rc;
	/* Creating is editing a draft of one's own agency. */
	memset(&probe, 0, sizeof(probe));
	str_copy(probe.id, sizeof(probe.id), "(new)");
	str_copy(probe.agency_id, sizeof(probe.agency_id), ag.id);
	str_copy(probe.state, sizeof(probe.state), "draft");
	if ((rc = need_may_act(&mv, st, who, &probe, "edit")) < 0)
		return rc;
	w.agency_id = ag.id;
	return store_atomic(st, create_fn, &w);
}

/* ---- items ---------------------------------------------------------------- */
static int
item_check(const struct gov_need_item *it)
{
	const char *const *choices;
	enum cert_type type;
	unsigned usages;
	int i, n, rc;

	if ((rc = profile_type_parse(&type, it->type)) < 0)
		return rc;
	if ((rc = profile_usages_parse(&usages, it->usage)) < 0 ||
	    (rc = profile_check(type, usages)) < 0)
		return rc;
	/* Only the usage sets the registration form offers for the type
	 * (Palembang Lampiran I.B), as ra_apply's form does. */
	choices = ra_usage_choices(it->type, &n);
	for (i = 0; i < n; i++) {
		unsigned c;

		if (profile_usages_parse(&c, choices[i]) == 0 && c == usages)
			break;
	}
	if (i == n)
		return sertel_err(SERTEL_EINVAL,
		                  "usage %s: not offered for type %s (Palembang "
		                  "Lampiran I.B)",
		                  it->usage, it->type);
	if (it->count < 0)
		return sertel_err(SERTEL_EINVAL, "count %lld: must be 0 or more",
		                  (long long)it->count);
	if (it->count > 1000000)
		return sertel_err(SERTEL_EINVAL, "count %lld: more than 1000000",
		                  (long long)it->count);
	if (type == TYPE_SISTEM && it->system_name[0] == '\0')
		return sertel_err(
		    SERTEL_EINVAL,
		    "type sistem: the electronic system's name is required");
	if ((rc = gov_text_check("system name", it->system_name, 128, 0)) < 0)
		return rc;
	return gov_text_check("justification", it->justification, GOV_TEXT_MAX, 0);
}

struct item_w {
	const struct ra_actor *who;
	const char *need_id;
	const char *op;
	struct gov_need_item *it;
	const struct gov_need_item *a;
	int idx;
	const char *reason;
};

/* Re-reads the record inside the transaction: the state decides. */
static int
item_begin(struct gov_need *n, const struct need_move **mv, struct store *st,
           const struct item_w *w)
{
	int rc;

	if ((rc = gov_need_get(n, st, w->need_id)) < 0)
		return rc;
	return need_may_act(mv, st, w->who, n, w->op);
}

static int
item_add_fn(struct store *st, void *arg)
{
	struct item_w *w = arg;
	const struct need_move *mv;
	struct gov_need n;
	char detail[512];
	int64_t rc;
	int idx;

	if ((rc = item_begin(&n, &mv, st, w)) < 0)
		return (int)rc;
	if (n.items >= GOV_ITEMS_MAX)
		return sertel_err(SERTEL_ETOOBIG, "needs %s: at most %d items", n.id,
		                  GOV_ITEMS_MAX);
	idx = 1;
	{
		struct db_stmt *s = NULL;

		if ((rc = db_prepare(&s, store_db(st),
		                     "SELECT COALESCE(MAX(idx), 0) FROM gov_need_items "
		                     "WHERE need_id = ?")) < 0)
			return (int)rc;
		if ((rc = db_bind_text(s, 1, n.id)) == 0 && (rc = db_step(s)) == 1)
			idx = (int)db_col_int(s, 0) + 1;
		db_finalize(s);
		if (rc < 0)
			return (int)rc;
	}
	if ((rc = db_run(store_db(st),
	                 "INSERT INTO gov_need_items (need_id, idx, type, usage, count, "
	                 "system_name, justification) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                 "sississ", n.id, (int64_t)idx, w->it->type, w->it->usage,
	                 w->it->count, w->it->system_name[0] ? w->it->system_name : NULL,
	                 w->it->justification)) < 0)
		return (int)rc;
	if ((rc = db_run(store_db(st), "UPDATE gov_needs SET updated_at = ? WHERE id = ?",
	                 "is", time_now(), n.id)) < 0)
		return (int)rc;
	w->it->idx = idx;
	snprintf(detail, sizeof(detail), "item %d: %s %s x%lld%s%.128s", idx, w->it->type,
	         w->it->usage, (long long)w->it->count, w->it->system_name[0] ? " " : "",
	         w->it->system_name);
	return need_audit(st, w->who, "item.add", n.id, detail);
}

int
gov_need_item_add(struct store *st, const struct ra_actor *who, const char *need_id,
                  struct gov_need_item *it)
{
	struct item_w w = {who, need_id, "edit", it, NULL, 0, NULL};
	int rc;

	if ((rc = item_check(it)) < 0)
		return rc;
	return store_atomic(st, item_add_fn, &w);
}

static int
item_remove_fn(struct store *st, void *arg)
{
	struct item_w *w = arg;
	const struct need_move *mv;
	struct gov_need n;
	char detail[32];
	int64_t rc;

	if ((rc = item_begin(&n, &mv, st, w)) < 0)
		return (int)rc;
	if ((rc = db_run(store_db(st),
	                 "DELETE FROM gov_need_items WHERE need_id = ? AND idx = ?", "si",
	                 n.id, (int64_t)w->idx)) < 0)
		return (int)rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "needs %s: no item %d", n.id, w->idx);
	if ((rc = db_run(store_db(st), "UPDATE gov_needs SET updated_at = ? WHERE id = ?",
	                 "is", time_now(), n.id)) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail), "item %d", w->idx);
	return need_audit(st, w->who, "item.remove", n.id, detail);
}

int
gov_need_item_remove(struct store *st, const struct ra_actor *who, const char *need_id,
                     int idx)
{
	struct item_w w = {who, need_id, "edit", NULL, NULL, idx, NULL};

	return store_atomic(st, item_remove_fn, &w);
}

static int
analysis_check(const struct gov_need_item *a, int year)
{
	if (a->priority < 1 || a->priority > 5)
		return sertel_err(SERTEL_EINVAL, "priority %d: expected 1..5",
		                  a->priority);
	if (a->planned_quarter < 1 || a->planned_quarter > 4)
		return sertel_err(SERTEL_EINVAL, "quarter %d: expected 1..4",
		                  a->planned_quarter);
	if (a->planned_year < year || a->planned_year > GOV_YEAR_MAX)
		return sertel_err(SERTEL_EINVAL,
		                  "planned year %d: not before the needs' year %d",
		                  a->planned_year, year);
	if (a->budget_amount < 0 || a->budget_amount > GOV_BUDGET_MAX)
		return sertel_err(SERTEL_EINVAL, "budget %lld: expected 0..%lld rupiah",
		                  (long long)a->budget_amount, GOV_BUDGET_MAX);
	if (a->budget_source[0] == '\0')
		return sertel_err(
		    SERTEL_EINVAL,
		    "budget source: required (APBD, APBN, DAK, hibah, ...)");
	return gov_text_check("budget source", a->budget_source, 64, 1);
}

static int
item_analyse_fn(struct store *st, void *arg)
{
	struct item_w *w = arg;
	const struct need_move *mv;
	struct gov_need n;
	struct db_stmt *s = NULL;
	char detail[256];
	int64_t rc, left = 0, now = time_now();

	if ((rc = item_begin(&n, &mv, st, w)) < 0)
		return (int)rc;
	if ((rc = analysis_check(w->a, n.year)) < 0)
		return (int)rc;
	if ((rc = db_run(store_db(st),
	                 "UPDATE gov_need_items SET priority = ?, planned_year = ?, "
	                 "planned_quarter = ?, budget_amount = ?, budget_source = ? "
	                 "WHERE need_id = ? AND idx = ?",
	                 "iiiissi", (int64_t)w->a->priority, (int64_t)w->a->planned_year,
	                 (int64_t)w->a->planned_quarter, w->a->budget_amount,
	                 w->a->budget_source, n.id, (int64_t)w->a->idx)) < 0)
		return (int)rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "needs %s: no item %d", n.id,
		                  w->a->idx);
	/* Analysed once every item has its analysis. */
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM gov_need_items WHERE need_id = ? AND "
	                     "priority IS NULL")) < 0)
		return (int)rc;
	if ((rc = db_bind_text(s, 1, n.id)) == 0 && (rc = db_step(s)) == 1)
		left = db_col_int(s, 0);
	db_finalize(s);
	if (rc < 0)
		return (int)rc;
	if ((rc = db_run(store_db(st),
	                 "UPDATE gov_needs SET state = ?, updated_at = ? WHERE id = ?",
	                 "sis", left == 0 ? mv->to : n.state, now, n.id)) < 0)
		return (int)rc;
	snprintf(detail, sizeof(detail),
	         "item %d: priority %d, %d Q%d, Rp %lld (%.64s)%s", w->a->idx,
	         w->a->priority, w->a->planned_year, w->a->planned_quarter,
	         (long long)w->a->budget_amount, w->a->budget_source,
	         left == 0 && strcmp(n.state, mv->to) != 0 ? "; analysed" : "");
	return need_audit(st, w->who, "analyse", n.id, detail);
}

int
gov_need_item_analyse(struct store *st, const struct ra_actor *who, const char *need_id,
                      const struct gov_need_item *a)
{
	struct item_w w = {who, need_id, "analyse", NULL, a, a->idx, NULL};

	return store_atomic(st, item_analyse_fn, &w);
}

/* ---- state moves ---------------------------------------------------------- */
static int
move_fn(struct store *st, void *arg)
{
	struct item_w *w = arg;
	const struct need_move *mv;
	struct gov_need n;
	const char *reason = w->reason;
	int64_t rc, now = time_now();

	if ((rc = item_begin(&n, &mv, st, w)) < 0)
		return (int)rc;
	if (strcmp(w->op, "submit") == 0 && n.items == 0)
		return sertel_err(SERTEL_ESTATE, "needs %s: cannot submit without items",
		                  n.id);
	if (strcmp(w->op, "submit") == 0)
		rc = db_run(
		    store_db(st),
		    "UPDATE gov_needs SET state = ?, submitted_at = ?, reason = NULL, "
		    "updated_at = ? WHERE id = ?",
		    "siis", mv->to, now, now, n.id);
	else if (strcmp(w->op, "reopen") == 0) {
		/* The Dinas analyses the reopened record afresh. */
		rc = db_run(
		    store_db(st),
		    "UPDATE gov_needs SET state = ?, reason = ?, decided_at = NULL, "
		    "updated_at = ? WHERE id = ?",
		    "ssis", mv->to, reason, now, n.id);
		if (rc >= 0)
			rc = db_run(
			    store_db(st),
			    "UPDATE gov_need_items SET priority = NULL, planned_year = "
			    "NULL, planned_quarter = NULL, budget_amount = NULL, "
			    "budget_source = NULL WHERE need_id = ?",
			    "s", n.id);
	} else
		rc = db_run(store_db(st),
		            "UPDATE gov_needs SET state = ?, reason = ?, decided_at = ?, "
		            "updated_at = ? WHERE id = ?",
		            "ssiis", mv->to, reason, now, now, n.id);
	if (rc < 0)
		return (int)rc;
	return need_audit(st, w->who, w->op, n.id, reason);
}

int
gov_need_move(struct store *st, const struct ra_actor *who, const char *need_id,
              const char *op, const char *reason)
{
	struct item_w w = {who, need_id, op, NULL, NULL, 0, reason};
	int rc;

	if (op == NULL || (strcmp(op, "submit") != 0 && strcmp(op, "plan") != 0 &&
	                   strcmp(op, "reject") != 0 && strcmp(op, "reopen") != 0))
		return sertel_err(
		    SERTEL_EINVAL,
		    "needs: unknown step '%s' (submit, plan, reject, reopen)",
		    op ? op : "");
	if ((rc = gov_text_check("reason", reason, GOV_TEXT_MAX,
	                         strcmp(op, "reject") == 0 ||
	                             strcmp(op, "reopen") == 0)) < 0)
		return rc;
	return store_atomic(st, move_fn, &w);
}

/* ---- reading -------------------------------------------------------------- */
int
gov_need_items(struct store *st, const char *need_id, gov_need_item_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_need_item *it = NULL;
	int rc;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT idx, type, usage, count, COALESCE(system_name, ''), "
	                     "justification, COALESCE(priority, 0), "
	                     "COALESCE(planned_year, 0), COALESCE(planned_quarter, 0), "
	                     "COALESCE(budget_amount, 0), COALESCE(budget_source, '') "
	                     "FROM gov_need_items WHERE need_id = ? ORDER BY idx")) < 0)
		goto out;
	if ((rc = db_bind_text(s, 1, need_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		memset(it, 0, sizeof(*it));
		it->idx = (int)db_col_int(s, 0);
		str_copy(it->type, sizeof(it->type), db_col_text(s, 1));
		str_copy(it->usage, sizeof(it->usage), db_col_text(s, 2));
		it->count = db_col_int(s, 3);
		str_copy(it->system_name, sizeof(it->system_name), db_col_text(s, 4));
		str_copy(it->justification, sizeof(it->justification), db_col_text(s, 5));
		it->priority = (int)db_col_int(s, 6);
		it->planned_year = (int)db_col_int(s, 7);
		it->planned_quarter = (int)db_col_int(s, 8);
		it->budget_amount = db_col_int(s, 9);
		str_copy(it->budget_source, sizeof(it->budget_source),
		         db_col_text(s, 10));
		if ((rc = cb(it, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	free(it);
	return rc < 0 ? rc : 0;
}

int
gov_need_iter(struct store *st, const struct ra_actor *who, int year,
              const char *agency_id, gov_need_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_need *n = NULL;
	char own[17] = "";
	const char *only = agency_id;
	int rc, i = 1;

	if (!(who->roles & (DINAS | ROLE_AUDITOR))) {
		if (!(who->roles & ROLE_KEPALA_PD))
			return sertel_err(SERTEL_EPERM,
			                  "%s: may not read agencies' needs", who->label);
		/* A head of agency reads their own agency's only. */
		if ((rc = gov_actor_agency(own, st, who)) < 0)
			return rc;
		if (own[0] == '\0')
			return sertel_err(SERTEL_EPERM, "%s: heads no agency",
			                  who->label);
		if (agency_id != NULL && strcmp(agency_id, own) != 0)
			return sertel_err(SERTEL_EPERM,
			                  "%s: may not read the needs of %s", who->label,
			                  agency_id);
		only = own;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT " NEED_COLS " FROM gov_needs n JOIN agencies a ON "
	         "a.id = n.agency_id WHERE (? = 0 OR n.year = ?) AND "
	         "(? = '' OR n.agency_id = ?) ORDER BY n.year DESC, a.name")) < 0)
		goto out;
	if ((rc = db_bind_int(s, i++, year)) < 0 ||
	    (rc = db_bind_int(s, i++, year)) < 0 ||
	    (rc = db_bind_text(s, i++, only ? only : "")) < 0 ||
	    (rc = db_bind_text(s, i++, only ? only : "")) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		need_row(n, s);
		if ((rc = cb(n, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	free(n);
	return rc < 0 ? rc : 0;
}

int
gov_need_totals(struct store *st, const struct ra_actor *who, int year,
                gov_need_total_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_need_total t;
	int rc;

	/* Region-wide figures are the Dinas's (and the auditor's). */
	if (!(who->roles & (DINAS | ROLE_AUDITOR)))
		return sertel_err(SERTEL_EPERM, "%s: may not read the region's totals",
		                  who->label);
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT i.type, i.usage, SUM(i.count), "
	                     "COALESCE(SUM(i.budget_amount), 0) FROM gov_need_items i "
	                     "JOIN gov_needs n ON n.id = i.need_id WHERE n.year = ? AND "
	                     "n.state IN ('submitted', 'analysed', 'planned') "
	                     "GROUP BY i.type, i.usage ORDER BY i.type, i.usage")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, year)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		t.type = db_col_text(s, 0);
		t.usage = db_col_text(s, 1);
		t.count = db_col_int(s, 2);
		t.budget = db_col_int(s, 3);
		if ((rc = cb(&t, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
