/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Applications for certificates and the OP's decisions on them
 * (Cirebon 10-11, Bekasi 11, Denpasar 11, Samarinda 11, Palembang 5).
 *
 *   draft -> submitted -> approved -> issued
 *               |  ^
 *               v  |  (the applicant completes and resubmits)
 *            returned
 *   submitted -> rejected (final)
 *
 * Every transition is one store transaction with its audit entry; a
 * transition from the wrong state is refused with SERTEL_ESTATE and
 * changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "pki/pki.h"
#include "ra/ra.h"
#include "ra/ra_int.h"

static int file_store(struct store *st, const struct ra_actor *who, const char *app_id,
                      const struct ra_file *f, const char *mime);
static int files_check(const struct ra_file *files, int n, const char **mimes);
static int file_check(const struct ra_file *f, const char **mime, int any_kind);

static const char *state_names[] = {"draft",    "submitted", "returned",
                                    "rejected", "approved",  "issued"};

const char *
ra_state_name(enum ra_state s)
{
	return (s >= APP_DRAFT && s <= APP_ISSUED) ? state_names[s] : "unknown";
}

int
ra_state_parse(enum ra_state *out, const char *name)
{
	int i;

	for (i = APP_DRAFT; i <= APP_ISSUED; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum ra_state)i;
			return 0;
		}
	}
	return sertel_err(SERTEL_EINVAL,
	                  "state '%s': expected draft, submitted, returned, rejected, "
	                  "approved or issued",
	                  name);
}

/* Attachment kinds: pengantar (cover letter of the head of agency),
 * rekomendasi (the superior's recommendation), ktp (e-KTP scan), sk
 * (appointment decree) and penunjukan (letter of authority) for jabatan,
 * formulir (Palembang's registration form), lainnya (other support). */
static const char *attach_kinds[] = {"pengantar",  "rekomendasi", "ktp",    "sk",
                                     "penunjukan", "formulir",    "lainnya"};

int
ra_attach_kind_valid(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(attach_kinds) / sizeof(attach_kinds[0]); i++)
		if (strcmp(kind, attach_kinds[i]) == 0)
			return 1;
	return 0;
}

/* What each type requires before it can be submitted. */
const char *const *
ra_required_attachments(const char *type, int *n)
{
	static const char *base[] = {"pengantar", "rekomendasi", "ktp"};
	static const char *jabatan[] = {"pengantar", "rekomendasi", "ktp", "sk",
	                                "penunjukan"};

	if (strcmp(type, "jabatan") == 0) {
		*n = 5;
		return jabatan;
	}
	*n = 3;
	return base;
}

/* The usage sets the registration form offers (Palembang Lampiran I.B):
 * people and offices combine signing, e-mail and document protection with
 * TLS client authentication; systems are TLS servers (and clients). */
const char *const *
ra_usage_choices(const char *type, int *n)
{
	static const char *person[] = {"signing",
	                               "email",
	                               "signing,email",
	                               "document",
	                               "signing,ssl-client",
	                               "email,ssl-client",
	                               "document,ssl-client",
	                               "ssl-client"};
	static const char *system[] = {"ssl-server", "ssl-server,ssl-client",
	                               "ssl-client"};

	if (strcmp(type, "sistem") == 0) {
		*n = (int)(sizeof(system) / sizeof(system[0]));
		return system;
	}
	*n = (int)(sizeof(person) / sizeof(person[0]));
	return person;
}

int
ra_approvals_needed(const struct config *cfg, const char *type)
{
	long long n = config_get_int(cfg, "approval", type, 1);

	return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

static int
type_known(const char *type)
{
	return type != NULL &&
	       (strcmp(type, "individu") == 0 || strcmp(type, "jabatan") == 0 ||
	        strcmp(type, "sistem") == 0);
}

int
ra_approval_rule(int *out, int *from_store, struct store *st, const struct config *cfg,
                 const char *type)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = ra_approvals_needed(cfg, type);
	if (from_store != NULL)
		*from_store = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT needed FROM approval_rules WHERE type = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, type)) == 0 && (rc = db_step(s)) == 1) {
		int64_t n = db_col_int(s, 0);

		*out = n < 1 ? 1 : n > 16 ? 16 : (int)n;
		if (from_store != NULL)
			*from_store = 1;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

struct rule_write {
	const struct ra_actor *who;
	const char *type;
	int n;
	const char *reason;
};

static int
rule_fn(struct store *st, void *arg)
{
	struct rule_write *w = arg;
	char obj[40], detail[600];
	int64_t n;

	n = db_run(
	    store_db(st),
	    "INSERT INTO approval_rules (type, needed, set_by, reason, updated_at) "
	    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (type) DO UPDATE SET needed = "
	    "excluded.needed, set_by = excluded.set_by, reason = excluded.reason, "
	    "updated_at = excluded.updated_at",
	    "sissi", w->type, (int64_t)w->n, w->who->label, w->reason, time_now());
	if (n < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "approval:%s", w->type);
	snprintf(detail, sizeof(detail), "%d of M: %.500s", w->n, w->reason);
	return audit_append(st, w->who->label, "approval.set", obj, detail);
}

int
ra_approval_rule_set(struct store *st, const struct ra_actor *who, const char *type,
                     int n, const char *reason)
{
	struct rule_write w = {who, type, n, reason};
	int rc;

	/* The Kepala Dinas runs the OP (Cirebon 20(1)); the admin holds the
	 * instance's config, which stays the default. */
	if (!(who->roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: approval rules are set by the kepala-dinas",
		                  who->label);
	if (!type_known(type))
		return sertel_err(
		    SERTEL_EINVAL,
		    "approval rule: type must be individu, jabatan or sistem");
	if (n < 1 || n > 16)
		return sertel_err(
		    SERTEL_EINVAL,
		    "approval rule: 1..16 operators approve an application");
	if (reason == NULL || *reason == '\0')
		return sertel_err(SERTEL_EINVAL, "approval rule: a reason is required");
	if ((rc = name_check_text("reason", reason, 500)) < 0)
		return rc;
	return store_atomic(st, rule_fn, &w);
}

int
ra_sees_all(const struct ra_actor *who)
{
	return (who->roles &
	        (ROLE_AUDITOR | ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_ADMIN)) != 0;
}

int
ra_may_read(const struct ra_actor *who, const struct ra_application *a)
{
	return ra_sees_all(who) ||
	       (who->nik[0] != '\0' && strcmp(who->nik, a->applicant_nik) == 0);
}

int
ra_attachment_iter(struct store *st, const char *app_id, ra_attachment_fn cb, void *arg)
{
	struct ra_attachment_info i;
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT kind, filename, mime, size, sha256, uploaded_by, "
	                     "created_at FROM attachments WHERE application_id = ? "
	                     "ORDER BY kind")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		i.kind = db_col_text(s, 0);
		i.filename = db_col_text(s, 1);
		i.mime = db_col_text(s, 2);
		i.size = db_col_int(s, 3);
		i.sha256 = db_col_text(s, 4);
		i.uploaded_by = db_col_text(s, 5);
		i.created_at = db_col_int(s, 6);
		if ((rc = cb(&i, arg)) != 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */
#define APP_COLS                                                                         \
	"id, kind, type, usages, applicant_nik, state, cn, email, title, dns, ip, "      \
	"system_name, system_details, self_issued_letters, renews_serial, "              \
	"cert_serial, approvals_needed, reasons, created_at, updated_at, "               \
	"(SELECT COUNT(*) FROM approvals WHERE application_id = applications.id)"
#define APP_NCOLS 21 /* the columns app_row reads */

static void
col(char *dst, size_t n, struct db_stmt *s, int c)
{
	const char *v = db_col_text(s, c);

	str_copy(dst, n, v ? v : "");
}

static void
app_row(struct ra_application *a, struct db_stmt *s)
{
	char state[16];

	memset(a, 0, sizeof(*a));
	col(a->id, sizeof(a->id), s, 0);
	col(a->kind, sizeof(a->kind), s, 1);
	col(a->type, sizeof(a->type), s, 2);
	col(a->usages, sizeof(a->usages), s, 3);
	col(a->applicant_nik, sizeof(a->applicant_nik), s, 4);
	col(state, sizeof(state), s, 5);
	ra_state_parse(&a->state, state);
	col(a->cn, sizeof(a->cn), s, 6);
	col(a->email, sizeof(a->email), s, 7);
	col(a->title, sizeof(a->title), s, 8);
	col(a->dns, sizeof(a->dns), s, 9);
	col(a->ip, sizeof(a->ip), s, 10);
	col(a->system_name, sizeof(a->system_name), s, 11);
	col(a->system_details, sizeof(a->system_details), s, 12);
	a->self_issued_letters = (int)db_col_int(s, 13);
	col(a->renews_serial, sizeof(a->renews_serial), s, 14);
	col(a->cert_serial, sizeof(a->cert_serial), s, 15);
	a->approvals_needed = (int)db_col_int(s, 16);
	col(a->reasons, sizeof(a->reasons), s, 17);
	a->created_at = db_col_int(s, 18);
	a->updated_at = db_col_int(s, 19);
	a->approvals = (int)db_col_int(s, 20);
}

int
ra_get(struct ra_application *out, struct store *st, const char *app_id_in)
{
	struct db_stmt *s = NULL;
	char app_id[RA_ID_LEN + 1];
	int rc;

	/* app_id_in may point into *out. */
	if (str_copy(app_id, sizeof(app_id), app_id_in) < 0)
		return sertel_err(SERTEL_ENOTFOUND, "application %.40s: not found",
		                  app_id_in);
	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " APP_COLS " FROM applications WHERE id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) == 0)
		rc = db_step(s);
	if (rc == 1) {
		app_row(out, s);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "application %s: not found", app_id);
	}
	db_finalize(s);
	return rc;
}

int
ra_iter(struct store *st, int state, const char *applicant_nik, ra_app_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_application a;
	int rc, i = 1;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " APP_COLS " FROM applications WHERE "
	                     "(? = -1 OR state = ?) AND (? = '' OR applicant_nik = ?) "
	                     "ORDER BY created_at, id")) < 0)
		return rc;
	if ((rc = db_bind_int(s, i++, state)) < 0 ||
	    (rc = db_bind_text(s, i++, state >= 0 ? ra_state_name(state) : "")) < 0 ||
	    (rc = db_bind_text(s, i++, applicant_nik ? applicant_nik : "")) < 0 ||
	    (rc = db_bind_text(s, i++, applicant_nik ? applicant_nik : "")) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		app_row(&a, s);
		if ((rc = cb(&a, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc;
}

/* ---- the queue's counts -------------------------------------------------- */
/* The total above the operator's queue was a COUNT(*) over the waiting
 * applications on every page: a walk of 6,000 index entries, most of the
 * queue page's time on PostgreSQL (bench/portal).  application_counts
 * keeps one row per state, type and applicant's agency, changed in the
 * same transaction as the application itself, so the total is the sum of
 * a few rows and never stale.  A person's agency is set when the person is
 * registered and never changes (ra/people.c); whatever changes it later
 * must move that person's counts in the same transaction. */
static int
count_add(struct store *st, const char *state, const char *type, const char *agency,
          int64_t delta)
{
	int64_t n = db_run(store_db(st),
	                   "INSERT INTO application_counts (state, type, agency_id, n) "
	                   "VALUES (?, ?, ?, ?) ON CONFLICT (state, type, agency_id) DO "
	                   "UPDATE SET n = application_counts.n + excluded.n",
	                   "sssi", state, type, agency, delta);

	return n < 0 ? (int)n : 0;
}

/* The application's state, type and its applicant's agency ("" without). */
static int
count_key(struct store *st, const char *app_id, char state[32], char type[32],
          char agency[80])
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT a.state, a.type, COALESCE(p.agency_id, '') FROM "
	                     "applications a LEFT JOIN persons p ON p.nik = "
	                     "a.applicant_nik WHERE a.id = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(state, 32, db_col_text(s, 0));
		str_copy(type, 32, db_col_text(s, 1));
		str_copy(agency, 80, db_col_text(s, 2));
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "application %s: not found", app_id);
	}
	db_finalize(s);
	return rc;
}

int
ra_app_count_new(struct store *st, const char *app_id)
{
	char state[32], type[32], agency[80];
	int rc;

	if ((rc = count_key(st, app_id, state, type, agency)) < 0)
		return rc;
	return count_add(st, state, type, agency, 1);
}

int
ra_app_count_move(struct store *st, const char *app_id, const char *to)
{
	char from[32], type[32], agency[80];
	int rc;

	if ((rc = count_key(st, app_id, from, type, agency)) < 0)
		return rc;
	if (strcmp(from, to) == 0)
		return 0;
	/* Two rows locked in one order by every writer (PostgreSQL holds
	 * each row's lock to the commit): no two transactions wait on each
	 * other. */
	if (strcmp(from, to) < 0) {
		if ((rc = count_add(st, from, type, agency, -1)) < 0)
			return rc;
		return count_add(st, to, type, agency, 1);
	}
	if ((rc = count_add(st, to, type, agency, 1)) < 0)
		return rc;
	return count_add(st, from, type, agency, -1);
}

/* The values of a filter's clauses, from parameter *i on, in the order
 * the clauses are written (state, type, agency, updated_before). */
static int
filter_bind(struct db_stmt *s, const struct ra_filter *f, int *i)
{
	int rc = 0;

	if ((f->state >= 0 &&
	     (rc = db_bind_text(s, (*i)++, ra_state_name((enum ra_state)f->state))) <
	         0) ||
	    (f->type != NULL && f->type[0] != '\0' &&
	     (rc = db_bind_text(s, (*i)++, f->type)) < 0) ||
	    (f->agency_id != NULL && f->agency_id[0] != '\0' &&
	     (rc = db_bind_text(s, (*i)++, f->agency_id)) < 0) ||
	    (f->updated_before > 0 &&
	     (rc = db_bind_int(s, (*i)++, f->updated_before)) < 0))
		return rc;
	return 0;
}

/* The total of a selection: from the counts unless it is bounded by time
 * (the reminders' "waiting since before"), which only COUNT(*) answers. */
static int
query_total(struct store *st, const struct ra_filter *f, const char *where,
            int64_t *total)
{
	struct db_stmt *s = NULL;
	struct buf sql;
	int i = 1, rc;

	buf_init(&sql, 512);
	if (f->updated_before > 0) {
		buf_appendf(&sql, "SELECT COUNT(*) FROM applications%s", where);
	} else {
		buf_appendf(&sql, "SELECT COALESCE(SUM(n), 0) FROM application_counts "
		                  "WHERE 1 = 1");
		if (f->state >= 0)
			buf_appendf(&sql, " AND state = ?");
		if (f->type != NULL && f->type[0] != '\0')
			buf_appendf(&sql, " AND type = ?");
		if (f->agency_id != NULL && f->agency_id[0] != '\0')
			buf_appendf(&sql, " AND agency_id = ?");
	}
	if ((rc = buf_cstr(&sql)) < 0 ||
	    (rc = db_prepare(&s, store_db(st), (const char *)sql.data)) < 0)
		goto out;
	/* The same parameters in the same order for both forms. */
	if ((rc = filter_bind(s, f, &i)) < 0)
		goto out;
	if ((rc = db_step(s)) == 1) {
		*total = db_col_int(s, 0);
		rc = 0;
	}
out:
	db_finalize(s);
	buf_free(&sql);
	return rc;
}

/* ra_query and ra_queue: the same selection; with qcb each row also
 * carries its applicant's name and agency, joined in the same query (the
 * queue page showed 50 rows with 100 more look-ups before: bench/portal). */
static int
app_query(struct store *st, const struct ra_filter *f, int64_t *total, ra_app_fn cb,
          ra_queue_fn qcb, void *arg)
{
	struct db_stmt *s = NULL;
	struct ra_application a;
	struct ra_queue_row qr;
	struct buf where, sql;
	int limit = f->limit <= 0     ? 100
	            : f->limit > 1000 ? 1000
	                              : f->limit,
	    i = 1, rc = 0;

	*total = 0;
	/* Only fixed clauses go into the SQL; every value is a parameter. */
	buf_init(&where, 512);
	buf_init(&sql, 2048);
	buf_appendf(&where, " WHERE 1 = 1");
	if (f->state >= 0)
		buf_appendf(&where, " AND state = ?");
	if (f->type != NULL && f->type[0] != '\0')
		buf_appendf(&where, " AND type = ?");
	if (f->agency_id != NULL && f->agency_id[0] != '\0')
		buf_appendf(&where,
		            " AND applicant_nik IN (SELECT nik FROM persons WHERE "
		            "agency_id = ?)");
	if (f->updated_before > 0)
		buf_appendf(&where, " AND updated_at < ?");
	if ((rc = buf_cstr(&where)) < 0 ||
	    (rc = query_total(st, f, (const char *)where.data, total)) < 0)
		goto out;
	if (qcb == NULL)
		buf_appendf(&sql,
		            "SELECT " APP_COLS " FROM applications%s ORDER BY "
		            "updated_at, id LIMIT ? OFFSET ?",
		            (char *)where.data);
	else
		/* The page first, then the names of its rows only; the outer
		 * ORDER BY because a join keeps no order. */
		buf_appendf(&sql,
		            "SELECT q.*, p.name, g.name FROM (SELECT " APP_COLS
		            " FROM applications%s ORDER BY updated_at, id LIMIT ? "
		            "OFFSET ?) q LEFT JOIN persons p ON p.nik = "
		            "q.applicant_nik LEFT JOIN agencies g ON g.id = "
		            "p.agency_id ORDER BY q.updated_at, q.id",
		            (char *)where.data);
	if ((rc = buf_cstr(&sql)) < 0 ||
	    (rc = db_prepare(&s, store_db(st), (const char *)sql.data)) < 0)
		goto out;
	if ((rc = filter_bind(s, f, &i)) < 0 || (rc = db_bind_int(s, i++, limit)) < 0 ||
	    (rc = db_bind_int(s, i++, f->offset < 0 ? 0 : f->offset)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		app_row(&a, s);
		if (qcb != NULL) {
			qr.app = &a;
			qr.name =
			    db_col_null(s, APP_NCOLS) ? "" : db_col_text(s, APP_NCOLS);
			qr.agency = db_col_null(s, APP_NCOLS + 1)
			                ? ""
			                : db_col_text(s, APP_NCOLS + 1);
			rc = qcb(&qr, arg);
		} else {
			rc = cb(&a, arg);
		}
		if (rc != 0)
			break;
	}
out:
	db_finalize(s);
	buf_free(&where);
	buf_free(&sql);
	return rc;
}

int
ra_query(struct store *st, const struct ra_filter *f, int64_t *total, ra_app_fn cb,
         void *arg)
{
	return app_query(st, f, total, cb, NULL, arg);
}

int
ra_queue(struct store *st, const struct ra_filter *f, int64_t *total, ra_queue_fn cb,
         void *arg)
{
	return app_query(st, f, total, NULL, cb, arg);
}

/* ---- creating ----------------------------------------------------------- */
static int
join_names(char *out, size_t outsz, const char *const *v, int n)
{
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s%s",
		                        i ? "," : "", v[i]);
		if (len >= outsz)
			return sertel_err(SERTEL_EINVAL, "too many names");
	}
	return 0;
}

struct apply_write {
	struct ra_application *a;
	const struct ra_actor *who;
	const struct ra_apply_req *rq;
	const char **mimes;
	const char *copy_from; /* renewal: carry this application's attachments */
};

static int
apply_fn(struct store *st, void *arg)
{
	struct apply_write *w = arg;
	struct ra_application *a = w->a;
	struct db_stmt *s = NULL;
	char obj[64], detail[96];
	int rc, i = 1;

	if ((rc = db_prepare(
	         &s, store_db(st),
	         "INSERT INTO applications (id, kind, type, usages, "
	         "applicant_nik, state, cn, email, title, dns, ip, system_name, "
	         "system_details, self_issued_letters, renews_serial, "
	         "approvals_needed, created_by, created_at, updated_at) VALUES "
	         "(?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
#define T(v) (rc = db_bind_text(s, i++, (v)[0] ? (v) : NULL)) < 0
	if ((rc = db_bind_text(s, i++, a->id)) < 0 ||
	    (rc = db_bind_text(s, i++, a->kind)) < 0 ||
	    (rc = db_bind_text(s, i++, a->type)) < 0 ||
	    (rc = db_bind_text(s, i++, a->usages)) < 0 ||
	    (rc = db_bind_text(s, i++, a->applicant_nik)) < 0 ||
	    (rc = db_bind_text(s, i++, a->cn)) < 0 || T(a->email) || T(a->title) ||
	    T(a->dns) || T(a->ip) || T(a->system_name) || T(a->system_details) ||
	    (rc = db_bind_int(s, i++, a->self_issued_letters)) < 0 ||
	    T(a->renews_serial) || (rc = db_bind_int(s, i++, a->approvals_needed)) < 0 ||
	    (rc = db_bind_text(s, i++, w->who->label)) < 0 ||
	    (rc = db_bind_int(s, i++, a->created_at)) < 0 ||
	    (rc = db_bind_int(s, i++, a->updated_at)) < 0)
		goto out;
#undef T
	if ((rc = db_step(s)) < 0 || (rc = ra_app_count_new(st, a->id)) < 0)
		goto out;
	snprintf(obj, sizeof(obj), "application:%s", a->id);
	snprintf(detail, sizeof(detail), "%s %s for %s", a->kind, a->type,
	         a->applicant_nik);
	if ((rc = audit_append(st, w->who->label, "application.create", obj, detail)) < 0)
		goto out;
	for (i = 0; w->rq && i < w->rq->nfiles; i++)
		if ((rc = file_store(st, w->who, a->id, &w->rq->files[i], w->mimes[i])) <
		    0)
			goto out;
	if (w->copy_from != NULL) {
		/* Palembang 10(3): what is still valid is carried over; the
		 * stored blobs are immutable, so the rows can share them. */
		db_finalize(s);
		if ((rc = db_prepare(
		         &s, store_db(st),
		         "INSERT INTO attachments (application_id, kind, blob_id, "
		         "sha256, mime, size, filename, uploaded_by, created_at) "
		         "SELECT ?, kind, blob_id, sha256, mime, size, filename, "
		         "uploaded_by, created_at FROM attachments WHERE "
		         "application_id = ?")) < 0)
			goto out;
		if ((rc = db_bind_text(s, 1, a->id)) < 0 ||
		    (rc = db_bind_text(s, 2, w->copy_from)) < 0 || (rc = db_step(s)) < 0)
			goto out;
	}
	rc = 0;
out:
	db_finalize(s);
	return rc;
}

/* Issue 19: an applicant chose cn "Wali Kota Cirebon" and a gmail.com
 * address and got them certified.  What the certificate says about the
 * person comes from the record the Dinas registered: the name (CN) for
 * every type, the position (title) for jabatan; the agency (OU) and the
 * NIP are added from the same record at issuance.  An application that
 * passes a name or a position is refused rather than silently
 * overridden, so a client never believes it chose them.  The e-mail is
 * the registered address or one at the agency's domain verified by a
 * mailed code (email.c). */
static int
names_bind(struct ra_application *out, struct store *st, const struct ra_person *p,
           enum cert_type type, const struct ra_apply_req *rq)
{
	struct ra_agency ag;
	int rc;

	if (rq->cn != NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "cn: the name in the certificate is the applicant's "
		                  "registered name (%s), not chosen in the application; "
		                  "the Dinas corrects the person record if it is wrong",
		                  p->name);
	if (rq->title != NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "title: the position in the certificate is the "
		                  "applicant's registered position, not chosen in the "
		                  "application (the Dinas registers it: --position)");
	str_copy(out->cn, sizeof(out->cn), p->name);
	if ((rc = name_check_text("cn", out->cn, 64)) < 0)
		return rc;
	if (type == TYPE_JABATAN) {
		if (p->position[0] == '\0')
			return sertel_err(
			    SERTEL_EINVAL,
			    "type jabatan: NIK %s has no registered position; "
			    "the Dinas registers it (person add --position)",
			    p->nik);
		str_copy(out->title, sizeof(out->title), p->position);
		if ((rc = name_check_text("title", out->title, 64)) < 0)
			return rc;
	}
	if ((rc = ra_agency_get(&ag, st, p->agency_id)) < 0)
		return rc;
	/* RFC 5280 ub-organizational-unit-name: the agency goes into OU. */
	if ((rc = name_check_text("agency name (OU)", ag.name, 64)) < 0)
		return rc;
	if (rq->email == NULL || strcasecmp(rq->email, p->email) == 0) {
		str_copy(out->email, sizeof(out->email), p->email);
		return name_check_email(out->email);
	}
	if ((rc = name_check_email(rq->email)) < 0)
		return rc;
	if (!ra_domain_within(strrchr(rq->email, '@') + 1, ag.domain))
		return sertel_err(
		    SERTEL_EPERM,
		    "e-mail %s: only the registered address (%s) or another "
		    "verified address at @%s may be certified",
		    rq->email, p->email, ag.domain);
	if ((rc = ra_email_verified(st, p->nik, rq->email)) < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_EPERM,
		                  "e-mail %s: not verified for NIK %s; confirm it first "
		                  "with the code mailed to it (sertel ra email-verify)",
		                  rq->email, p->nik);
	str_copy(out->email, sizeof(out->email), rq->email);
	return 0;
}

/* A system's DNS names are at or under its agency's domain (a wildcard
 * counts by the name it covers). */
static int
dns_in_agency(struct store *st, const struct ra_person *p, const char *const *dns,
              int ndns)
{
	struct ra_agency ag;
	const char *name;
	int i, rc;

	if (ndns == 0)
		return 0;
	if ((rc = ra_agency_get(&ag, st, p->agency_id)) < 0)
		return rc;
	for (i = 0; i < ndns; i++) {
		name = strncmp(dns[i], "*.", 2) == 0 ? dns[i] + 2 : dns[i];
		if (!ra_domain_within(name, ag.domain))
			return sertel_err(SERTEL_EPERM,
			                  "DNS name %s: outside the domain of %s (%s); a "
			                  "system is named only under its agency's "
			                  "registered domain",
			                  dns[i], ag.name, ag.domain);
	}
	return 0;
}

/* ra_apply, in the caller's transaction when in_tx (register.c). */
static int
apply_do(struct ra_application *out, struct store *st, const struct ra_actor *who,
         const struct ra_apply_req *rq, int approvals_needed, int in_tx)
{
	const char *mimes[16];
	struct apply_write w = {out, who, rq, mimes, NULL};
	struct ra_person p;
	enum cert_type type;
	unsigned usages;
	const char *nik = rq->applicant_nik ? rq->applicant_nik : who->nik;
	int rc;

	memset(out, 0, sizeof(*out));
	if (nik == NULL || *nik == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "apply: the applicant's NIK is required");
	/* The applicant applies, or the Dinas on their behalf. */
	if (strcmp(nik, who->nik) != 0 && !(who->roles & (ROLE_OPERATOR | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM, "%s: may apply only for themselves",
		                  who->label);
	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc;
	if ((rc = files_check(rq->files, rq->nfiles, mimes)) < 0)
		return rc;
	if (!(p.roles & ROLE_PEMOHON))
		return sertel_err(SERTEL_EPERM, "NIK %s: not registered as pemohon", nik);
	if ((rc = profile_type_parse(&type, rq->type ? rq->type : "")) < 0 ||
	    (rc = profile_usages_parse(&usages, rq->usages)) < 0 ||
	    (rc = profile_check(type, usages)) < 0)
		return rc;
	if (approvals_needed < 1 || approvals_needed > 9)
		return sertel_err(SERTEL_EINVAL, "approvals: 1..9");
	/* Denpasar 11(4): only the Wali Kota / Bupati issues their own letters. */
	if (rq->self_issued_letters && !p.kepala_daerah)
		return sertel_err(SERTEL_EPERM,
		                  "NIK %s: only the kepala daerah issues their own "
		                  "letters (Denpasar 11(4))",
		                  nik);
	str_copy(out->kind, sizeof(out->kind), "new");
	str_copy(out->type, sizeof(out->type), profile_type_name(type));
	profile_usages_format(out->usages, sizeof(out->usages), usages);
	str_copy(out->applicant_nik, sizeof(out->applicant_nik), nik);
	if ((rc = names_bind(out, st, &p, type, rq)) < 0)
		return rc;
	if (type == TYPE_SISTEM) {
		/* Bekasi 11(4)c: the system's address and details. */
		if (rq->ndns + rq->nip == 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "type sistem: the system's address (--dns or --ip) "
			    "is required");
		if (rq->system_name == NULL || rq->system_details == NULL)
			return sertel_err(
			    SERTEL_EINVAL,
			    "type sistem: --system-name and --system-details "
			    "are required (Bekasi 11(4)c)");
		if ((rc = name_check_text("system name", rq->system_name, 128)) < 0 ||
		    (rc = name_check_text("system details", rq->system_details, 1000)) <
		        0)
			return rc;
		str_copy(out->system_name, sizeof(out->system_name), rq->system_name);
		str_copy(out->system_details, sizeof(out->system_details),
		         rq->system_details);
	} else if (rq->ndns + rq->nip > 0 || rq->system_name || rq->system_details) {
		return sertel_err(SERTEL_EINVAL, "system names and details are only for "
		                                 "type sistem");
	}
	if ((rc = name_check_sans(rq->dns, rq->ndns, rq->ip, rq->nip)) < 0 ||
	    (rc = dns_in_agency(st, &p, rq->dns, rq->ndns)) < 0)
		return rc;
	if ((rc = join_names(out->dns, sizeof(out->dns), rq->dns, rq->ndns)) < 0 ||
	    (rc = join_names(out->ip, sizeof(out->ip), rq->ip, rq->nip)) < 0)
		return rc;
	out->self_issued_letters = rq->self_issued_letters != 0;
	out->approvals_needed = approvals_needed;
	out->state = APP_DRAFT;
	out->created_at = out->updated_at = time_now();
	if ((rc = rand_hex(out->id, RA_ID_LEN / 2)) < 0)
		return rc;
	return in_tx ? apply_fn(st, &w) : store_atomic(st, apply_fn, &w);
}

int
ra_apply(struct ra_application *out, struct store *st, const struct ra_actor *who,
         const struct ra_apply_req *rq, int approvals_needed)
{
	return apply_do(out, st, who, rq, approvals_needed, 0);
}

int
ra_apply_tx(struct ra_application *out, struct store *st, const struct ra_actor *who,
            const struct ra_apply_req *rq, int approvals_needed)
{
	return apply_do(out, st, who, rq, approvals_needed, 1);
}

/* ---- attachments ---------------------------------------------------------- */
/* By content, never by name (a PNG called .pdf is a PNG). */
static const char *
sniff_mime(const unsigned char *d, size_t n)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

	if (n >= 8 && memcmp(d, "%PDF-", 5) == 0 &&
	    memmem(d + (n > 1024 ? n - 1024 : 0), n > 1024 ? 1024 : n, "%%EOF", 5) !=
	        NULL)
		return "application/pdf";
	if (n >= 4 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff && d[n - 2] == 0xff &&
	    d[n - 1] == 0xd9)
		return "image/jpeg";
	if (n >= 33 && memcmp(d, png, 8) == 0 && memcmp(d + 12, "IHDR", 4) == 0 &&
	    memmem(d + n - 12, 12, "IEND", 4) != NULL)
		return "image/png";
	return NULL;
}

/* Who first, then the state: a refusal for the state would tell anyone
 * where someone else's application stands (issue 19). */
static int
may_edit(const struct ra_application *a, const struct ra_actor *who)
{
	if (strcmp(a->applicant_nik, who->nik) != 0 &&
	    !(who->roles & (ROLE_OPERATOR | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM, "%s: not the applicant of %s", who->label,
		                  a->id);
	if (a->state != APP_DRAFT && a->state != APP_RETURNED)
		return sertel_err(SERTEL_ESTATE,
		                  "application %s: is %s; only a draft or a returned "
		                  "application can be changed",
		                  a->id, ra_state_name(a->state));
	return 0;
}

const char *
ra_file_mime(const unsigned char *data, size_t len)
{
	return sniff_mime(data, len);
}

int
ra_file_check(const struct ra_file *f)
{
	const char *mime;

	return file_check(f, &mime, 1);
}

/* Checks one file: kind (unless any_kind), size, content type, name.
 * Sets *mime. */
static int
file_check(const struct ra_file *f, const char **mime, int any_kind)
{
	const char *dot, *claimed = NULL;
	int rc;

	if (f->kind == NULL || (!any_kind && !ra_attach_kind_valid(f->kind)))
		return sertel_err(
		    SERTEL_EINVAL,
		    "attachment kind '%s': expected pengantar, rekomendasi, "
		    "ktp, sk, penunjukan, formulir or lainnya",
		    f->kind ? f->kind : "");
	if (f->filename == NULL ||
	    (rc = name_check_text("file name", f->filename, 200)) < 0)
		return sertel_err(SERTEL_EINVAL, "attachment %s: a file name is required",
		                  f->kind);
	if (f->len == 0)
		return sertel_err(SERTEL_EINVAL, "attachment %s: empty file", f->kind);
	if (f->len > RA_ATTACH_MAX)
		return sertel_err(SERTEL_ETOOBIG, "attachment %s: %zu bytes exceeds %d",
		                  f->kind, f->len, RA_ATTACH_MAX);
	if ((*mime = sniff_mime(f->data, f->len)) == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "attachment %s (%s): not a PDF, JPEG or PNG by its "
		                  "content",
		                  f->kind, f->filename);
	/* A name that claims another type is a mistake or a disguise. */
	dot = strrchr(f->filename, '.');
	if (dot && strcasecmp(dot, ".pdf") == 0)
		claimed = "application/pdf";
	else if (dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0))
		claimed = "image/jpeg";
	else if (dot && strcasecmp(dot, ".png") == 0)
		claimed = "image/png";
	if (claimed && strcmp(claimed, *mime) != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "attachment %s (%s): the content is %s, not what the "
		                  "name says",
		                  f->kind, f->filename, *mime);
	return 0;
}

/* Stores one checked file for an application, replacing its kind. */
static int
file_store(struct store *st, const struct ra_actor *who, const char *app_id,
           const struct ra_file *f, const char *mime)
{
	struct db_stmt *s = NULL;
	char blob[33], hash[65], obj[64], detail[400];
	int64_t n;
	int rc;

	if ((n = db_run(store_db(st),
	                "DELETE FROM attachments WHERE application_id = ? AND kind = ?",
	                "ss", app_id, f->kind)) < 0)
		return (int)n;
	if ((rc = store_blob_put(st, "attachment", f->data, f->len, blob)) < 0)
		return rc;
	sha256_hex(hash, f->data, f->len);
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "INSERT INTO attachments (application_id, kind, blob_id, sha256, "
	         "mime, size, filename, uploaded_by, created_at) VALUES "
	         "(?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) == 0 &&
	    (rc = db_bind_text(s, 2, f->kind)) == 0 &&
	    (rc = db_bind_text(s, 3, blob)) == 0 &&
	    (rc = db_bind_text(s, 4, hash)) == 0 &&
	    (rc = db_bind_text(s, 5, mime)) == 0 &&
	    (rc = db_bind_int(s, 6, (int64_t)f->len)) == 0 &&
	    (rc = db_bind_text(s, 7, f->filename)) == 0 &&
	    (rc = db_bind_text(s, 8, who->label)) == 0 &&
	    (rc = db_bind_int(s, 9, time_now())) == 0)
		rc = db_step(s);
	db_finalize(s);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "application:%s", app_id);
	snprintf(detail, sizeof(detail), "%s %s sha256:%s", f->kind, mime, hash);
	return audit_append(st, who->label, "application.attach", obj, detail);
}

/* Checks every file before anything is stored. */
static int
files_check(const struct ra_file *files, int n, const char **mimes)
{
	int i, rc;

	if (n < 0 || n > 16)
		return sertel_err(SERTEL_EINVAL, "at most 16 attachments at once");
	for (i = 0; i < n; i++)
		if ((rc = file_check(&files[i], &mimes[i], 0)) < 0)
			return rc;
	return 0;
}

struct attach_write {
	const struct ra_actor *who;
	const char *app_id;
	const struct ra_file *files;
	int nfiles;
	const char **mimes;
};

static int
attach_fn(struct store *st, void *arg)
{
	struct attach_write *w = arg;
	struct ra_application a;
	int rc, i;

	/* Re-read inside the transaction: the state decides. */
	if ((rc = ra_get(&a, st, w->app_id)) < 0 || (rc = may_edit(&a, w->who)) < 0)
		return rc;
	for (i = 0; i < w->nfiles; i++)
		if ((rc = file_store(st, w->who, w->app_id, &w->files[i], w->mimes[i])) <
		    0)
			return rc;
	return 0;
}

int
ra_attach(struct store *st, const struct ra_actor *who, const char *app_id,
          const struct ra_file *files, int nfiles)
{
	const char *mimes[16];
	struct attach_write w = {who, app_id, files, nfiles, mimes};
	int rc;

	if (nfiles == 0)
		return sertel_err(SERTEL_EINVAL, "attach: no file given");
	if ((rc = files_check(files, nfiles, mimes)) < 0)
		return rc;
	return store_atomic(st, attach_fn, &w);
}

/* ---- transitions ---------------------------------------------------------- */
struct move {
	const struct ra_actor *who;
	const char *app_id;
	const char *reasons;
	const char *note;
	const char *reviewed;
	int approved;
};

static int
set_state(struct store *st, const char *app_id, enum ra_state to, const char *reasons)
{
	int64_t n, now = time_now();
	int rc;

	if ((rc = ra_app_count_move(st, app_id, ra_state_name(to))) < 0)
		return rc;
	/* The annual report's turnaround (Cirebon 23) counts from the first
	 * submission to the last decision. */
	n = db_run(store_db(st),
	           "UPDATE applications SET state = ?, reasons = ?, updated_at = ?, "
	           "submitted_at = CASE WHEN ? = 1 THEN COALESCE(submitted_at, ?) "
	           "ELSE submitted_at END, "
	           "decided_at = CASE WHEN ? = 1 THEN ? ELSE decided_at END "
	           "WHERE id = ?",
	           "ssiiiiis", ra_state_name(to), reasons, now,
	           (int64_t)(to == APP_SUBMITTED), now,
	           (int64_t)(to == APP_APPROVED || to == APP_REJECTED), now, app_id);
	return n < 0 ? (int)n : 0;
}

static int
count_attached(struct store *st, const char *app_id, const char *kind)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT 1 FROM attachments WHERE "
	                     "application_id = ? AND kind = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) == 0 &&
	    (rc = db_bind_text(s, 2, kind)) == 0)
		rc = db_step(s);
	db_finalize(s);
	return rc;
}

static int
submit_fn(struct store *st, void *arg)
{
	struct move *m = arg;
	struct ra_application a;
	const char *const *req;
	char obj[64];
	int rc, n, i;

	if ((rc = ra_get(&a, st, m->app_id)) < 0 || (rc = may_edit(&a, m->who)) < 0)
		return rc;
	/* Cirebon 10(2)-(3): the letters and scans each type requires. */
	req = ra_required_attachments(a.type, &n);
	for (i = 0; i < n; i++) {
		if ((rc = count_attached(st, a.id, req[i])) < 0)
			return rc;
		if (rc == 0)
			return sertel_err(SERTEL_EINVAL,
			                  "application %s: attachment '%s' is missing "
			                  "(required for type %s)",
			                  a.id, req[i], a.type);
	}
	/* A resubmission is decided afresh. */
	{
		int64_t gone =
		    db_run(store_db(st), "DELETE FROM approvals WHERE application_id = ?",
		           "s", a.id);
		if (gone < 0)
			return (int)gone;
	}
	if ((rc = set_state(st, a.id, APP_SUBMITTED, NULL)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "application:%s", a.id);
	if ((rc = audit_append(st, m->who->label, "application.submit", obj,
	                       a.state == APP_RETURNED ? "resubmitted" : "")) < 0)
		return rc;
	return ra_notify_application(st, a.id, "submitted");
}

int
ra_submit(struct store *st, const struct ra_actor *who, const char *app_id)
{
	struct move m = {who, app_id, NULL, NULL, NULL, 0};

	return store_atomic(st, submit_fn, &m);
}

int
ra_submit_tx(struct store *st, const struct ra_actor *who, const char *app_id)
{
	struct move m = {who, app_id, NULL, NULL, NULL, 0};

	return submit_fn(st, &m);
}

/* A deciding operator: appointed, holding a valid certificate, and not
 * deciding their own application. */
static int
decider_check(struct store *st, const struct ra_actor *who,
              const struct ra_application *a)
{
	int rc;

	if (!(who->roles & ROLE_OPERATOR) || who->nik[0] == '\0')
		return sertel_err(SERTEL_EPERM,
		                  "%s: only an OP operator decides "
		                  "applications",
		                  who->label);
	if ((rc = ra_operator_check(st, who->nik, time_now())) < 0)
		return rc;
	if (strcmp(a->applicant_nik, who->nik) == 0)
		return sertel_err(SERTEL_EPERM,
		                  "%s: an operator does not decide their "
		                  "own application",
		                  who->label);
	if (a->state != APP_SUBMITTED)
		return sertel_err(SERTEL_ESTATE, "application %s: is %s, not submitted",
		                  a->id, ra_state_name(a->state));
	return 0;
}

static int
decide_fn(struct store *st, void *arg, enum ra_state to, const char *action)
{
	struct move *m = arg;
	struct ra_application a;
	char obj[64];
	int rc;

	if ((rc = ra_get(&a, st, m->app_id)) < 0 ||
	    (rc = decider_check(st, m->who, &a)) < 0)
		return rc;
	if ((rc = set_state(st, a.id, to, m->reasons)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "application:%s", a.id);
	if ((rc = audit_append(st, m->who->label, action, obj, m->reasons)) < 0)
		return rc;
	return ra_notify_application(st, a.id,
	                             to == APP_RETURNED ? "returned" : "rejected");
}

static int
return_fn(struct store *st, void *arg)
{
	return decide_fn(st, arg, APP_RETURNED, "application.return");
}

static int
reject_fn(struct store *st, void *arg)
{
	return decide_fn(st, arg, APP_REJECTED, "application.reject");
}

static int
reasons_check(const char *reasons)
{
	/* Cirebon 11(2): a refusal or a "not yet acceptable" carries reasons. */
	if (reasons == NULL || *reasons == '\0')
		return sertel_err(SERTEL_EINVAL, "reasons are required (Cirebon 11(2))");
	return name_check_text("reasons", reasons, 1000);
}

int
ra_return(struct store *st, const struct ra_actor *who, const char *app_id,
          const char *reasons)
{
	struct move m = {who, app_id, reasons, NULL, NULL, 0};
	int rc;

	if ((rc = reasons_check(reasons)) < 0)
		return rc;
	return store_atomic(st, return_fn, &m);
}

int
ra_reject(struct store *st, const struct ra_actor *who, const char *app_id,
          const char *reasons)
{
	struct move m = {who, app_id, reasons, NULL, NULL, 0};
	int rc;

	if ((rc = reasons_check(reasons)) < 0)
		return rc;
	return store_atomic(st, reject_fn, &m);
}

int
ra_needs_review(char *out, size_t outsz, const struct ra_application *a)
{
	const char *p = a->ip, *comma;
	size_t len = 0, n;

	out[0] = '\0';
	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0,
		                        "%sip:%.*s", len ? "," : "", (int)n, p);
		if (len >= outsz)
			return sertel_err(SERTEL_EINVAL, "too many names to review");
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

/* 1 when item is one of the comma-separated list. */
static int
list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Issue 19: IP addresses are not bound to the agency's domain, so each is
 * approved only by an operator who says they checked it. */
static int
review_check(const struct ra_application *a, const char *reviewed)
{
	char need[sizeof(a->ip) + 16 * 4], *p, *comma;
	int rc;

	if ((rc = ra_needs_review(need, sizeof(need), a)) < 0)
		return rc;
	for (p = need; *p != '\0'; p = comma + 1) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		if (reviewed == NULL || !list_has(reviewed, p))
			return sertel_err(SERTEL_EINVAL,
			                  "application %s: %s needs review; the approval "
			                  "must cover it explicitly (--reviewed %s, API "
			                  "\"reviewed\")",
			                  a->id, p, p);
		if (comma == NULL)
			break;
	}
	return 0;
}

static int
approve_fn(struct store *st, void *arg)
{
	struct move *m = arg;
	struct ra_application a;
	char obj[64], detail[600];
	int64_t n;
	int rc;

	if ((rc = ra_get(&a, st, m->app_id)) < 0 ||
	    (rc = decider_check(st, m->who, &a)) < 0 ||
	    (rc = review_check(&a, m->reviewed)) < 0)
		return rc;
	n = db_run(
	    store_db(st),
	    "INSERT INTO approvals (application_id, operator_nik, at) VALUES (?, ?, ?)",
	    "ssi", a.id, m->who->nik, time_now());
	rc = n < 0 ? (int)n : 0;
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_ESTATE, "application %s: %s approved it already",
		                  a.id, m->who->label);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "application:%s", a.id);
	m->approved = a.approvals + 1 >= a.approvals_needed;
	snprintf(detail, sizeof(detail), "approval %d of %d%s%.300s%s%.100s",
	         a.approvals + 1, a.approvals_needed,
	         m->reviewed && *m->reviewed ? ", reviewed " : "",
	         m->reviewed ? m->reviewed : "", m->note && *m->note ? ": " : "",
	         m->note ? m->note : "");
	if ((rc = audit_append(st, m->who->label, "application.approve", obj, detail)) <
	    0)
		return rc;
	if (m->approved && ((rc = set_state(st, a.id, APP_APPROVED, NULL)) < 0 ||
	                    (rc = ra_notify_application(st, a.id, "approved")) < 0))
		return rc;
	return 0;
}

int
ra_approve(struct store *st, const struct ra_actor *who, const char *app_id,
           const char *note, const char *reviewed, int *approved)
{
	struct move m = {who, app_id, NULL, note, reviewed, 0};
	int rc;

	if (note != NULL && *note && (rc = name_check_text("note", note, 500)) < 0)
		return rc;
	if (reviewed != NULL && *reviewed &&
	    (rc = name_check_text("reviewed", reviewed, 600)) < 0)
		return rc;
	rc = store_atomic(st, approve_fn, &m);
	if (approved)
		*approved = m.approved;
	return rc;
}

int
ra_approval_iter(struct store *st, const char *app_id, ra_approval_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT a.operator_nik, COALESCE(p.name, ''), a.at "
	                     "FROM approvals a LEFT JOIN persons p ON p.nik = "
	                     "a.operator_nik WHERE a.application_id = ? "
	                     "ORDER BY a.at, a.operator_nik")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, app_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1)
		if ((rc = cb(db_col_text(s, 0), db_col_text(s, 1), db_col_int(s, 2),
		             arg)) != 0)
			break;
	if (rc > 0)
		rc = 0; /* stopped by the callback */
out:
	db_finalize(s);
	return rc;
}

/* ---- renewal and re-application -------------------------------------------- */
static int
app_of_cert(char out[RA_ID_LEN + 1], struct store *st, const char *serial)
{
	int rc = db_get_text(store_db(st), out, RA_ID_LEN + 1,
	                     "SELECT id FROM applications WHERE cert_serial = ?", serial);

	return rc < 0 ? rc : 0;
}

int
ra_renew(struct ra_application *out, struct store *st, const struct ra_actor *who,
         const char *serial, int approvals_needed)
{
	struct apply_write w = {out, who, NULL, NULL, NULL};
	struct ra_application orig;
	struct cert_rec rec;
	char orig_id[RA_ID_LEN + 1];
	int64_t now = time_now();
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_cert_get(st, serial, &rec)) < 0)
		return rc;
	cert_rec_free(&rec);
	/* Who first (issue 19); an unbound certificate has no owner, so only
	 * the Dinas learns that it is unbound. */
	if ((rec.nik[0] == '\0' || strcmp(rec.nik, who->nik) != 0) &&
	    !(who->roles & (ROLE_OPERATOR | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only the owner (or the Dinas) applies "
		                  "for renewal",
		                  who->label);
	if (rec.nik[0] == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "certificate %s: not bound to a registered "
		                  "person",
		                  serial);
	if (approvals_needed < 1 || approvals_needed > 9)
		return sertel_err(SERTEL_EINVAL, "approvals: 1..9");
	if ((rc = app_of_cert(orig_id, st, serial)) < 0)
		return rc;
	if (orig_id[0] != '\0') {
		if ((rc = ra_get(&orig, st, orig_id)) < 0)
			return rc;
		*out = orig;
		w.copy_from = orig_id;
	} else {
		/* Issued on the admin path: start from the certificate. */
		str_copy(out->type, sizeof(out->type), rec.type);
		str_copy(out->usages, sizeof(out->usages), rec.usages);
		str_copy(out->applicant_nik, sizeof(out->applicant_nik), rec.nik);
		{
			struct ra_person p;
			if ((rc = ra_person_get(&p, st, rec.nik)) < 0)
				return rc;
			str_copy(out->cn, sizeof(out->cn), p.name);
			str_copy(out->email, sizeof(out->email),
			         rec.email[0] ? rec.email : p.email);
			/* The names are the person record's, as in ra_apply. */
			if (strcmp(rec.type, "jabatan") == 0)
				str_copy(out->title, sizeof(out->title), p.position);
		}
	}
	/* Cirebon 14: renewal before expiry; after revocation (loss) or
	 * expiry it is a new application that reuses what still holds. */
	str_copy(out->kind, sizeof(out->kind),
	         (!rec.revoked && rec.not_after > now) ? "renewal" : "reapply");
	str_copy(out->renews_serial, sizeof(out->renews_serial), serial);
	out->cert_serial[0] = '\0';
	out->reasons[0] = '\0';
	out->approvals = 0;
	out->approvals_needed = approvals_needed;
	out->state = APP_DRAFT;
	out->created_at = out->updated_at = now;
	if ((rc = rand_hex(out->id, RA_ID_LEN / 2)) < 0)
		return rc;
	return store_atomic(st, apply_fn, &w);
}

/* ---- the archive (Cirebon 11(4)) --------------------------------------------- */
struct fetch {
	const struct ra_actor *who;
	const char *app_id;
	const char *kind;
	unsigned char *data;
	size_t len;
	char mime[64];
	char filename[256];
};

static int
fetch_fn(struct store *st, void *arg)
{
	struct fetch *f = arg;
	struct db_stmt *s = NULL;
	char blob[33], obj[64];
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT blob_id, mime, filename FROM "
	                     "attachments WHERE application_id = ? AND kind = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, f->app_id)) == 0 &&
	    (rc = db_bind_text(s, 2, f->kind)) == 0)
		rc = db_step(s);
	if (rc == 1) {
		str_copy(blob, sizeof(blob), db_col_text(s, 0));
		str_copy(f->mime, sizeof(f->mime), db_col_text(s, 1));
		str_copy(f->filename, sizeof(f->filename), db_col_text(s, 2));
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "application %s: no attachment '%s'",
		                f->app_id, f->kind);
	}
	db_finalize(s);
	if (rc < 0 ||
	    (rc = store_blob_get(st, blob, "attachment", &f->data, &f->len)) < 0)
		return rc;
	/* Reading personal documents (a KTP scan) is itself recorded. */
	snprintf(obj, sizeof(obj), "application:%s", f->app_id);
	return audit_append(st, f->who->label, "application.read-attachment", obj,
	                    f->kind);
}

int
ra_attachment_get(unsigned char **out, size_t *len, char mime[64], struct store *st,
                  const struct ra_actor *who, const char *app_id, const char *kind)
{
	struct fetch f;
	struct ra_application a;
	int rc;

	*out = NULL;
	*len = 0;
	memset(&f, 0, sizeof(f));
	if ((rc = ra_get(&a, st, app_id)) < 0)
		return rc;
	/* The applicant, the OP and those who oversee it; nobody else. */
	if (strcmp(a.applicant_nik, who->nik) != 0 &&
	    !(who->roles &
	      (ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM, "%s: may not read the archive of %s",
		                  who->label, app_id);
	f.who = who;
	f.app_id = a.id;
	f.kind = kind;
	if ((rc = store_atomic(st, fetch_fn, &f)) < 0) {
		free(f.data);
		return rc;
	}
	*out = f.data;
	*len = f.len;
	str_copy(mime, 64, f.mime);
	return 0;
}
