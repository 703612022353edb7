/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The annual evaluation report's figures (Cirebon 23, Denpasar 24): what
 * the Dinas did in a calendar year, computed from the store only, once,
 * into rows of (section, dimension, key, value) that the PDF, the JSON and
 * the CSV all print.  Coverage comes from gov_coverage_at/_iter (the one
 * coverage query); everything else is read here with one query per
 * figure group, grouped by the database where it can be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "gov/gov.h"

#define DAY             86400
#define EXPIRY_SOON     (30 * DAY)  /* open items: a system's certificate ending */
#define REVIEW_EVERY    (365 * DAY) /* Cirebon 9: the road map reviewed yearly */
#define REPORT_ROWS_MAX 100000      /* far above 200 agencies' worth of rows */
/* The year's bounds as b.f and b.t, bound as the statement's first two
 * parameters: typed, so PostgreSQL compares them as integers, and named,
 * so a query uses them as often as it needs (db_pg numbers '?' in order). */
#define BOUNDS "(SELECT CAST(? AS BIGINT) AS f, CAST(? AS BIGINT) AS t) b"
/* What is open now: the report's open items and the hub's figures. */
#define SQL_INCIDENTS_OPEN                                                               \
	"SELECT COUNT(*) FROM gov_incidents, " BOUNDS " WHERE state <> 'closed'"
#define SQL_TICKETS_OPEN                                                                 \
	"SELECT COUNT(*) FROM gov_tickets, " BOUNDS " WHERE state NOT IN ('resolved', "  \
	"'closed')"

/* Every dimension, in the order the documents print them. */
enum {
	D_CERT_TOTAL,
	D_ISSUED_TYPE,
	D_RENEWED_TYPE,
	D_REVOKED_TYPE,
	D_ISSUED_USAGE,
	D_RENEWED_USAGE,
	D_REVOKED_USAGE,
	D_ISSUED_AGENCY,
	D_RENEWED_AGENCY,
	D_REVOKED_AGENCY,
	D_REVOKE_CAUSE,
	D_APP_TOTAL,
	D_TURN_DECISION,
	D_TURN_ISSUANCE,
	D_RETURN_REASON,
	D_REJECT_REASON,
	D_COV_REGION,
	D_COV_MONTHLY,
	D_COV_AGENCY_BP,
	D_COV_AGENCY_HOLDERS,
	D_COV_AGENCY_HEADCOUNT,
	D_TARGET,
	D_SYS_STATE,
	D_SYS_LIST,
	D_INC_TOTAL,
	D_INC_KIND,
	D_INC_SEVERITY,
	D_INC_STATE,
	D_TICKET_TOTAL,
	D_TICKET_CATEGORY,
	D_TICKET_STATE,
	D_AUDIT,
	D_OPEN,
	D_COUNT
};

static const struct gov_report_dim dims[D_COUNT] = {
    [D_CERT_TOTAL] = {"certificates", "total", "Sertifikat: jumlah", 1},
    [D_ISSUED_TYPE] = {"certificates", "issued_by_type", "Diterbitkan per jenis", 0},
    [D_RENEWED_TYPE] = {"certificates", "renewed_by_type", "Diperpanjang per jenis", 0},
    [D_REVOKED_TYPE] = {"certificates", "revoked_by_type", "Dicabut per jenis", 0},
    [D_ISSUED_USAGE] = {"certificates", "issued_by_usage", "Diterbitkan per penggunaan",
                        0},
    [D_RENEWED_USAGE] = {"certificates", "renewed_by_usage",
                         "Diperpanjang per penggunaan", 0},
    [D_REVOKED_USAGE] = {"certificates", "revoked_by_usage", "Dicabut per penggunaan", 0},
    [D_ISSUED_AGENCY] = {"certificates", "issued_by_agency",
                         "Diterbitkan per perangkat daerah", 0},
    [D_RENEWED_AGENCY] = {"certificates", "renewed_by_agency",
                          "Diperpanjang per perangkat daerah", 0},
    [D_REVOKED_AGENCY] = {"certificates", "revoked_by_agency",
                          "Dicabut per perangkat daerah", 0},
    [D_REVOKE_CAUSE] = {"revocations", "by_cause", "Pencabutan menurut sebab", 0},
    [D_APP_TOTAL] = {"applications", "total", "Permohonan: jumlah", 1},
    [D_TURN_DECISION] = {"turnaround", "to_decision",
                         "Waktu pengajuan sampai keputusan (hari)", 1},
    [D_TURN_ISSUANCE] = {"turnaround", "to_issuance",
                         "Waktu pengajuan sampai penerbitan (hari)", 1},
    [D_RETURN_REASON] = {"returns", "returned_by_reason", "Dikembalikan menurut alasan",
                         0},
    [D_REJECT_REASON] = {"returns", "rejected_by_reason", "Ditolak menurut alasan", 0},
    [D_COV_REGION] = {"coverage", "region", "Cakupan ASN daerah (akhir tahun)", 1},
    [D_COV_MONTHLY] = {"coverage", "monthly_share_bp",
                       "Cakupan daerah per akhir bulan (basis poin)", 1},
    [D_COV_AGENCY_BP] = {"coverage", "agency_share_bp",
                         "Cakupan per perangkat daerah (basis poin)", 0},
    [D_COV_AGENCY_HOLDERS] = {"coverage", "agency_holders",
                              "Pemegang sertifikat per perangkat daerah", 0},
    [D_COV_AGENCY_HEADCOUNT] = {"coverage", "agency_headcount",
                                "Jumlah ASN per perangkat daerah", 0},
    [D_TARGET] = {"targets", "road_map", "Target peta jalan dan capaian", 1},
    [D_SYS_STATE] = {"systems", "by_state", "Sistem elektronik menurut keadaan", 0},
    [D_SYS_LIST] = {"systems", "system", "Sistem elektronik dan sertifikatnya", 0},
    [D_INC_TOTAL] = {"incidents", "total", "Insiden keamanan: jumlah dan waktu", 1},
    [D_INC_KIND] = {"incidents", "by_kind", "Insiden menurut jenis", 0},
    [D_INC_SEVERITY] = {"incidents", "by_severity", "Insiden menurut tingkat", 0},
    [D_INC_STATE] = {"incidents", "by_state", "Insiden menurut status", 0},
    [D_TICKET_TOTAL] = {"complaints", "total", "Pengaduan: jumlah dan waktu", 1},
    [D_TICKET_CATEGORY] = {"complaints", "by_category", "Pengaduan menurut kategori", 0},
    [D_TICKET_STATE] = {"complaints", "by_state", "Pengaduan menurut status", 0},
    [D_AUDIT] = {"audit", "chain", "Verifikasi rantai jejak audit", 1},
    [D_OPEN] = {"open", "items", "Hal yang masih terbuka", 1},
};

const struct gov_report_dim *
gov_report_dims(size_t *n)
{
	*n = D_COUNT;
	return dims;
}

int
gov_report_may_read(const struct ra_actor *who)
{
	if (who->roles & (ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_OPERATOR | ROLE_ADMIN))
		return 0;
	return sertel_err(SERTEL_EPERM,
	                  "%s: the annual report is read by the Kepala Dinas, auditors "
	                  "and OP operators (Cirebon 23)",
	                  who->label);
}

int
gov_report_may_sign(const struct ra_actor *who)
{
	if ((who->roles & ROLE_KEPALA_DINAS) && who->nik[0] != '\0')
		return 0;
	return sertel_err(SERTEL_EPERM,
	                  "%s: only the Kepala Dinas signs the annual report (Cirebon "
	                  "23)",
	                  who->label);
}

/* ---- rows ---------------------------------------------------------------- */

static struct gov_report_row *
row_new(struct gov_report *r, int dim, const char *key)
{
	struct gov_report_row *row;

	if (r->nrows == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		void *p;

		if (cap > REPORT_ROWS_MAX ||
		    (p = realloc(r->rows, cap * sizeof(*r->rows))) == NULL) {
			sertel_err(SERTEL_ENOMEM, "report: too many rows");
			return NULL;
		}
		r->rows = p;
		r->cap = cap;
	}
	row = &r->rows[r->nrows];
	memset(row, 0, sizeof(*row));
	row->dim = dim;
	row->seq = (int)r->nrows++;
	str_copy(row->key, sizeof(row->key), key != NULL ? key : "");
	return row;
}

static int
put_int(struct gov_report *r, int dim, const char *key, int64_t n)
{
	struct gov_report_row *row = row_new(r, dim, key);

	if (row == NULL)
		return SERTEL_ENOMEM;
	row->kind = GOV_VAL_INT;
	row->n = n;
	return 0;
}

static int
put_real(struct gov_report *r, int dim, const char *key, double d)
{
	struct gov_report_row *row = row_new(r, dim, key);

	if (row == NULL)
		return SERTEL_ENOMEM;
	row->kind = GOV_VAL_REAL;
	/* One decimal everywhere, so the JSON says what the PDF prints. */
	row->d = (double)(int64_t)(d * 10.0 + (d >= 0 ? 0.5 : -0.5)) / 10.0;
	return 0;
}

static int
put_text(struct gov_report *r, int dim, const char *key, const char *text)
{
	struct gov_report_row *row = row_new(r, dim, key);

	if (row == NULL)
		return SERTEL_ENOMEM;
	row->kind = GOV_VAL_TEXT;
	str_copy(row->text, sizeof(row->text), text);
	return 0;
}

/* Adds n to the integer row (dim, key), made at 0 when absent.  Rows of
 * one dimension are few (agencies, types, usages): a walk back suffices. */
static int
add_int(struct gov_report *r, int dim, const char *key, int64_t n)
{
	size_t i;

	for (i = r->nrows; i-- > 0;)
		if (r->rows[i].dim == dim && strcmp(r->rows[i].key, key) == 0) {
			r->rows[i].n += n;
			return 0;
		}
	return put_int(r, dim, key, n);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct gov_report_row *x = a, *y = b;
	int c;

	if (x->dim != y->dim)
		return x->dim < y->dim ? -1 : 1;
	if (!dims[x->dim].keep_order && (c = strcmp(x->key, y->key)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

const struct gov_report_row *
gov_report_find(const struct gov_report *r, const char *section, const char *dim,
                const char *key)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct gov_report_row *row = &r->rows[i];

		if (strcmp(dims[row->dim].section, section) == 0 &&
		    strcmp(dims[row->dim].name, dim) == 0 && strcmp(row->key, key) == 0)
			return row;
	}
	return NULL;
}

void
gov_report_value_fmt(char *out, size_t outsz, const struct gov_report_row *row)
{
	switch (row->kind) {
	case GOV_VAL_INT: snprintf(out, outsz, "%lld", (long long)row->n); break;
	case GOV_VAL_REAL: snprintf(out, outsz, "%.1f", row->d); break;
	default: snprintf(out, outsz, "%s", row->text); break;
	}
}

/* ---- percentiles ------------------------------------------------------- */

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t
gov_report_percentile(int64_t *v, size_t n, int p)
{
	size_t rank;

	if (n == 0)
		return 0;
	if (p < 1)
		p = 1;
	if (p > 100)
		p = 100;
	qsort(v, n, sizeof(*v), i64_cmp);
	/* Nearest rank: ceil(p * n / 100), from 1. */
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

/* Durations read by one query, for a median / 90th percentile. */
struct durations {
	int64_t *v;
	size_t n, cap;
};

static int
durations_read(struct durations *d, struct store *st, const char *sql, int64_t from,
               int64_t to)
{
	struct db_stmt *s = NULL;
	int rc;

	d->n = 0;
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, from)) == 0)
		rc = db_bind_int(s, 2, to);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		if (d->n == d->cap) {
			size_t cap = d->cap ? 2 * d->cap : 1024;
			void *p = realloc(d->v, cap * sizeof(*d->v));

			if (p == NULL) {
				rc = sertel_err(SERTEL_ENOMEM, "report: out of memory");
				break;
			}
			d->v = p;
			d->cap = cap;
		}
		d->v[d->n++] = db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* count, median and p90 of the durations, in units of unit seconds. */
static int
put_spread(struct gov_report *r, int dim, const char *prefix, struct durations *d,
           double unit)
{
	char k[64];
	int rc;

	snprintf(k, sizeof(k), "%scount", prefix);
	if ((rc = put_int(r, dim, k, (int64_t)d->n)) < 0)
		return rc;
	snprintf(k, sizeof(k), "%smedian", prefix);
	if ((rc = put_real(r, dim, k, gov_report_percentile(d->v, d->n, 50) / unit)) < 0)
		return rc;
	snprintf(k, sizeof(k), "%sp90", prefix);
	return put_real(r, dim, k, gov_report_percentile(d->v, d->n, 90) / unit);
}

/* ---- the year ------------------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil), so the year's bounds need no libc time zone. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t
local_midnight(int year, int month, const struct time_zone *tz)
{
	return days_from_civil(year, month, 1) * DAY - tz->offset;
}

static int
local_year(int64_t t, const struct time_zone *tz)
{
	int y = 1970;

	while (local_midnight(y + 1, 1, tz) <= t)
		y++;
	return y;
}

/* ---- certificates ------------------------------------------------------ */

/* Each usage of a comma-separated list. */
static int
add_usages(struct gov_report *r, int dim, const char *usages, int64_t n)
{
	char u[64];
	const char *p = usages, *comma;
	size_t len;
	int rc;

	while (p != NULL && *p != '\0') {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len > 0 && len < sizeof(u)) {
			memcpy(u, p, len);
			u[len] = '\0';
			if ((rc = add_int(r, dim, u, n)) < 0)
				return rc;
		}
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

#define NO_AGENCY "(tanpa perangkat daerah)"

/* One grouped walk: issued in the year (created_at), renewed (issued for
 * an application of kind renewal), revoked in the year (revoked_at); a
 * certificate's agency is its NIK's person's. */
static int
certs_read(struct gov_report *r, struct store *st)
{
	struct db_stmt *s = NULL;
	int64_t issued = 0, renewed = 0, revoked = 0, n;
	int rc;

	rc = db_prepare(
	    &s, store_db(st),
	    "SELECT c.type, c.usages, COALESCE(a.name, ''), "
	    "CASE WHEN c.created_at >= b.f AND c.created_at < b.t THEN 1 ELSE 0 END, "
	    "CASE WHEN rn.cert_serial IS NOT NULL THEN 1 ELSE 0 END, "
	    "CASE WHEN c.revoked = 1 AND c.revoked_at >= b.f AND c.revoked_at < b.t "
	    "THEN 1 ELSE 0 END, COUNT(*) FROM certs c CROSS JOIN " BOUNDS
	    " LEFT JOIN persons p ON p.nik = c.nik LEFT JOIN agencies a ON a.id = "
	    "p.agency_id LEFT JOIN (SELECT DISTINCT cert_serial FROM applications "
	    "WHERE kind = 'renewal' AND cert_serial IS NOT NULL) rn ON rn.cert_serial "
	    "= c.serial WHERE (c.created_at >= b.f AND c.created_at < b.t) OR "
	    "(c.revoked = 1 AND c.revoked_at >= b.f AND c.revoked_at < b.t) "
	    "GROUP BY c.type, c.usages, COALESCE(a.name, ''), 4, 5, 6");
	if (rc == 0 && (rc = db_bind_int(s, 1, r->from)) == 0)
		rc = db_bind_int(s, 2, r->to);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		const char *type = db_col_text(s, 0), *usages = db_col_text(s, 1),
		           *agency = db_col_text(s, 2);
		int is_issued = (int)db_col_int(s, 3), is_renewal = (int)db_col_int(s, 4),
		    is_revoked = (int)db_col_int(s, 5);

		n = db_col_int(s, 6);
		if (agency == NULL || *agency == '\0')
			agency = NO_AGENCY;
		rc = 0;
		if (is_issued) {
			issued += n;
			if ((rc = add_int(r, D_ISSUED_TYPE, type, n)) < 0 ||
			    (rc = add_usages(r, D_ISSUED_USAGE, usages, n)) < 0 ||
			    (rc = add_int(r, D_ISSUED_AGENCY, agency, n)) < 0)
				break;
			if (is_renewal) {
				renewed += n;
				if ((rc = add_int(r, D_RENEWED_TYPE, type, n)) < 0 ||
				    (rc = add_usages(r, D_RENEWED_USAGE, usages, n)) <
				        0 ||
				    (rc = add_int(r, D_RENEWED_AGENCY, agency, n)) < 0)
					break;
			}
		}
		if (is_revoked) {
			revoked += n;
			if ((rc = add_int(r, D_REVOKED_TYPE, type, n)) < 0 ||
			    (rc = add_usages(r, D_REVOKED_USAGE, usages, n)) < 0 ||
			    (rc = add_int(r, D_REVOKED_AGENCY, agency, n)) < 0)
				break;
		}
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if ((rc = put_int(r, D_CERT_TOTAL, "issued", issued)) < 0 ||
	    (rc = put_int(r, D_CERT_TOTAL, "renewed", renewed)) < 0)
		return rc;
	return put_int(r, D_CERT_TOTAL, "revoked", revoked);
}

/* RFC 5280 CRLReason names, for a revocation without an RA request. */
static const char *
reason_name(int64_t code)
{
	static const char *const names[] = {"unspecified",     "keyCompromise",
	                                    "cACompromise",    "affiliationChanged",
	                                    "superseded",      "cessationOfOperation",
	                                    "certificateHold", "",
	                                    "removeFromCRL",   "privilegeWithdrawn",
	                                    "aACompromise"};

	if (code >= 0 && code < (int64_t)(sizeof(names) / sizeof(names[0])) &&
	    names[code][0] != '\0')
		return names[code];
	return "unspecified";
}

/* The cause of each certificate revoked in the year: the RA's cause name
 * of the request that revoked it (of its done requests, the one whose
 * RFC 5280 code is the certificate's, the newest), else the certificate's
 * reason code.  One walk of the revoked certificates with their done
 * requests, the preferred request first, the first row of each serial
 * taken here: PostgreSQL planned the same choice as a window over a join
 * in 3.8 s for 2,400 revocations (bench/report), this walk in 20 ms. */
static int
causes_read(struct gov_report *r, struct store *st)
{
	struct db_stmt *s = NULL;
	char key[96], last[SERIAL_HEX_MAX + 1] = "";
	const char *serial, *cause;
	int rc;

	rc = db_prepare(
	    &s, store_db(st),
	    "SELECT c.serial, COALESCE(c.reason, 0), rq.cause FROM certs c "
	    "CROSS JOIN " BOUNDS " LEFT JOIN revocation_requests rq ON "
	    "rq.serial = c.serial AND rq.state = 'done' "
	    "WHERE c.revoked = 1 AND c.revoked_at >= b.f AND c.revoked_at < b.t "
	    "ORDER BY c.serial, CASE WHEN rq.reason_code = c.reason THEN 0 "
	    "ELSE 1 END, rq.created_at DESC, rq.id DESC");
	if (rc == 0 && (rc = db_bind_int(s, 1, r->from)) == 0)
		rc = db_bind_int(s, 2, r->to);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		rc = 0;
		serial = db_col_text(s, 0);
		if (strcmp(serial, last) == 0)
			continue; /* a request less preferred than the first */
		str_copy(last, sizeof(last), serial);
		if ((cause = db_col_text(s, 2)) != NULL)
			str_copy(key, sizeof(key), cause);
		else
			snprintf(key, sizeof(key), "crl:%s",
			         reason_name(db_col_int(s, 1)));
		rc = add_int(r, D_REVOKE_CAUSE, key, 1);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* ---- applications ------------------------------------------------------ */

/* One integer of sql with the year's bounds as b.f and b.t. */
static int
count_year(int64_t *out, struct store *st, const char *sql, int64_t from, int64_t to)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&s, store_db(st), sql)) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, from)) == 0 && (rc = db_bind_int(s, 2, to)) == 0 &&
	    (rc = db_step(s)) == 1) {
		*out = db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

static int
apps_read(struct gov_report *r, struct store *st, struct durations *d)
{
	static const struct {
		const char *key, *sql;
	} totals[] = {
	    {"submitted", "SELECT COUNT(*) FROM applications, " BOUNDS
	                  " WHERE submitted_at >= b.f AND "
	                  "submitted_at < b.t"},
	    {"approved",
	     "SELECT COUNT(*) FROM applications, " BOUNDS " WHERE decided_at >= b.f AND "
	     "decided_at < b.t AND state IN ('approved', 'issued')"},
	    {"rejected",
	     "SELECT COUNT(*) FROM applications, " BOUNDS " WHERE decided_at >= b.f AND "
	     "decided_at < b.t AND state = 'rejected'"},
	    {"issued",
	     "SELECT COUNT(*) FROM applications, " BOUNDS " WHERE issued_at >= b.f AND "
	     "issued_at < b.t"},
	    {"renewal_issued",
	     "SELECT COUNT(*) FROM applications, " BOUNDS " WHERE issued_at >= b.f "
	     "AND issued_at < b.t AND kind = 'renewal'"},
	};
	struct db_stmt *s = NULL;
	int64_t n;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
		if ((rc = count_year(&n, st, totals[i].sql, r->from, r->to)) < 0 ||
		    (rc = put_int(r, D_APP_TOTAL, totals[i].key, n)) < 0)
			return rc;
	/* Turnaround of the applications decided (issued) in the year. */
	if ((rc = durations_read(
	         d, st,
	         "SELECT decided_at - submitted_at FROM applications, " BOUNDS
	         " WHERE decided_at >= b.f AND decided_at < b.t AND "
	         "submitted_at IS NOT NULL",
	         r->from, r->to)) < 0 ||
	    (rc = put_spread(r, D_TURN_DECISION, "", d, DAY)) < 0 ||
	    (rc = durations_read(
	         d, st,
	         "SELECT issued_at - submitted_at FROM applications, " BOUNDS
	         " WHERE issued_at >= b.f AND issued_at < b.t AND "
	         "submitted_at IS NOT NULL",
	         r->from, r->to)) < 0 ||
	    (rc = put_spread(r, D_TURN_ISSUANCE, "", d, DAY)) < 0)
		return rc;
	/* Returns and rejections by reason, of the applications submitted in
	 * the year: src/ra writes each decision's reasons into its audit
	 * entry (applications.reasons keeps only the last one), so the trail
	 * is the record. */
	rc = db_prepare(
	    &s, store_db(st),
	    "SELECT au.action, au.reason, COUNT(*) FROM audit au JOIN "
	    "applications a ON au.object = 'application:' || a.id CROSS JOIN " BOUNDS
	    " WHERE au.action IN ('application.return', 'application.reject') "
	    "AND a.submitted_at >= b.f AND a.submitted_at < b.t "
	    "GROUP BY au.action, au.reason");
	if (rc == 0 && (rc = db_bind_int(s, 1, r->from)) == 0)
		rc = db_bind_int(s, 2, r->to);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		int ret = strcmp(db_col_text(s, 0), "application.return") == 0;

		rc = add_int(r, ret ? D_RETURN_REASON : D_REJECT_REASON,
		             db_col_text(s, 1), db_col_int(s, 2));
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* ---- coverage and the road map ----------------------------------------- */

struct agency_name {
	char id[17];
	char name[SERTEL_MAX_NAME];
};
struct agencies {
	struct agency_name *v;
	size_t n;
};

static int
agencies_add(const struct ra_agency *a, void *arg)
{
	struct agencies *ag = arg;
	void *p = realloc(ag->v, (ag->n + 1) * sizeof(*ag->v));

	if (p == NULL)
		return sertel_err(SERTEL_ENOMEM, "report: out of memory");
	ag->v = p;
	str_copy(ag->v[ag->n].id, sizeof(ag->v[ag->n].id), a->id);
	str_copy(ag->v[ag->n].name, sizeof(ag->v[ag->n].name), a->name);
	ag->n++;
	return 0;
}

static const char *
agency_name_of(const struct agencies *ag, const char *id)
{
	size_t i;

	for (i = 0; i < ag->n; i++)
		if (strcmp(ag->v[i].id, id) == 0)
			return ag->v[i].name;
	return id;
}

struct cov_walk {
	struct gov_report *r;
	const struct agencies *ag;
	struct gov_coverage region; /* the agencies summed */
};

static int64_t
share_bp(int64_t holders, int64_t headcount)
{
	/* Rounded down: 100% only when every ASN holds one. */
	return headcount > 0 ? holders * 10000 / headcount : 0;
}

static int
cov_agency(const struct gov_coverage *c, void *arg)
{
	struct cov_walk *w = arg;
	const char *name = agency_name_of(w->ag, c->agency_id);
	int rc;

	w->region.headcount += c->headcount;
	w->region.holders += c->holders;
	if ((rc = put_int(w->r, D_COV_AGENCY_BP, name,
	                  share_bp(c->holders, c->headcount))) < 0 ||
	    (rc = put_int(w->r, D_COV_AGENCY_HOLDERS, name, c->holders)) < 0)
		return rc;
	return put_int(w->r, D_COV_AGENCY_HEADCOUNT, name, c->headcount);
}

static int
coverage_read(struct gov_report *r, struct store *st, int64_t at_end)
{
	struct agencies ag = {NULL, 0};
	struct cov_walk w;
	struct gov_coverage c;
	struct db_stmt *s = NULL;
	char key[16];
	int m, rc;

	/* Every agency at the year's end (or now) in one walk, the region
	 * their sum: gov_coverage_at(NULL) is that same sum. */
	memset(&w, 0, sizeof(w));
	w.r = r;
	w.ag = &ag;
	if ((rc = ra_agency_iter(st, agencies_add, &ag)) == 0)
		rc = gov_coverage_iter(st, at_end, cov_agency, &w);
	free(ag.v);
	if (rc < 0)
		return rc;
	c = w.region;
	if ((rc = put_int(r, D_COV_REGION, "headcount", c.headcount)) < 0 ||
	    (rc = put_int(r, D_COV_REGION, "holders", c.holders)) < 0 ||
	    (rc = put_int(r, D_COV_REGION, "share_bp",
	                  share_bp(c.holders, c.headcount))) < 0)
		return rc;
	/* The line: each month's end up to now (the current month: now);
	 * the last one is the walk's moment. */
	r->months = 0;
	for (m = 1; m <= 12; m++) {
		int64_t start = local_midnight(r->year, m, &r->tz);
		int64_t end = m == 12 ? r->to : local_midnight(r->year, m + 1, &r->tz);

		if (start >= r->generated_at)
			break;
		if (end > r->generated_at)
			end = r->generated_at;
		if (end == at_end)
			c = w.region;
		else if ((rc = gov_coverage_at(&c, st, NULL, end)) < 0)
			return rc;
		r->month_bp[r->months++] = share_bp(c.holders, c.headcount);
		snprintf(key, sizeof(key), "%04d-%02d", r->year, m);
		if ((rc = put_int(r, D_COV_MONTHLY, key,
		                  share_bp(c.holders, c.headcount))) < 0)
			return rc;
	}
	c = w.region;

	/* The road map's targets for the year (the newest plan naming it)
	 * against what was reached. */
	r->target_bp = -1;
	rc = db_prepare(&s, store_db(st),
	                "SELECT t.asn_bp, t.systems, t.services FROM gov_plan_targets t "
	                "JOIN gov_plans p ON p.id = t.plan_id WHERE t.year = ? "
	                "ORDER BY p.created_at DESC, p.id DESC LIMIT 1");
	if (rc == 0 && (rc = db_bind_int(s, 1, r->year)) == 0 && (rc = db_step(s)) == 1) {
		r->target_bp = db_col_int(s, 0);
		if ((rc = put_int(r, D_TARGET, "asn_share_bp_target", r->target_bp)) ==
		        0 &&
		    (rc = put_int(r, D_TARGET, "systems_target", db_col_int(s, 1))) == 0)
			rc = put_int(r, D_TARGET, "services_target", db_col_int(s, 2));
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if ((rc = put_int(r, D_TARGET, "asn_share_bp_reached",
	                  share_bp(c.holders, c.headcount))) < 0)
		return rc;
	if ((rc = count_year(
	         &c.holders, st,
	         "SELECT COUNT(*) FROM gov_systems s JOIN certs c ON c.serial = "
	         "s.cert_serial CROSS JOIN " BOUNDS " WHERE c.not_before < b.f AND "
	         "c.not_after >= b.f AND (c.revoked = 0 OR c.revoked_at > b.f)",
	         at_end, 0)) < 0)
		return rc;
	return put_int(r, D_TARGET, "systems_reached", c.holders);
}

/* ---- electronic systems ---------------------------------------------- */

static int
systems_read(struct gov_report *r, struct store *st, int64_t *failed, int64_t *expiring)
{
	struct db_stmt *s = NULL;
	int64_t now = r->generated_at;
	char key[160];
	int rc;

	*failed = *expiring = 0;
	/* Each system with its certificate and its last probe. */
	rc = db_prepare(&s, store_db(st),
	                "SELECT s.name, a.name, s.cert_serial, c.not_after, c.revoked, "
	                "pr.ok, pr.matches, CASE WHEN pr.at IS NULL THEN 0 ELSE 1 END "
	                "FROM gov_systems s "
	                "JOIN agencies a ON a.id = s.agency_id "
	                "LEFT JOIN certs c ON c.serial = s.cert_serial "
	                "LEFT JOIN gov_probes pr ON pr.system_id = s.id AND pr.at = "
	                "(SELECT MAX(at) FROM gov_probes WHERE system_id = s.id) "
	                "ORDER BY s.name, s.id");
	while (rc == 0 && (rc = db_step(s)) == 1) {
		const char *state;
		int has_cert = !db_col_null(s, 3), probed = (int)db_col_int(s, 7);
		int64_t not_after = db_col_int(s, 3);

		if (!has_cert)
			state = "tanpa-sertifikat";
		else if (db_col_int(s, 4))
			state = "dicabut";
		else if (not_after <= now)
			state = "kedaluwarsa";
		else if (!probed)
			state = "belum-diperiksa";
		else if (!db_col_int(s, 5))
			state = "probe-gagal";
		else if (!db_col_int(s, 6))
			state = "sertifikat-lain";
		else if (not_after - now < EXPIRY_SOON)
			state = "segera-kedaluwarsa";
		else
			state = "baik";
		if (probed && !db_col_int(s, 5))
			(*failed)++;
		if (has_cert && !db_col_int(s, 4) && not_after > now &&
		    not_after - now < EXPIRY_SOON)
			(*expiring)++;
		snprintf(key, sizeof(key), "%s (%s)", db_col_text(s, 0),
		         db_col_text(s, 1));
		if ((rc = put_text(r, D_SYS_LIST, key, state)) < 0 ||
		    (rc = add_int(r, D_SYS_STATE, state, 1)) < 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* ---- incidents and complaints ----------------------------------------- */

static int
group_read(struct gov_report *r, struct store *st, int dim, const char *sql)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, store_db(st), sql)) == 0 &&
	    (rc = db_bind_int(s, 1, r->from)) == 0)
		rc = db_bind_int(s, 2, r->to);
	while (rc == 0 && (rc = db_step(s)) == 1)
		rc = add_int(r, dim, db_col_text(s, 0), db_col_int(s, 1));
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

static int
incidents_read(struct gov_report *r, struct store *st, struct durations *d,
               int64_t within)
{
	struct db_stmt *s = NULL;
	int64_t n;
	int rc;

	if ((rc = count_year(&n, st,
	                     "SELECT COUNT(*) FROM gov_incidents, " BOUNDS
	                     " WHERE reported_at >= b.f "
	                     "AND reported_at < b.t",
	                     r->from, r->to)) < 0 ||
	    (rc = put_int(r, D_INC_TOTAL, "reported", n)) < 0 ||
	    (rc = durations_read(
	         d, st,
	         "SELECT notified_at - reported_at FROM gov_incidents, " BOUNDS
	         " WHERE reported_at >= b.f AND reported_at < b.t AND "
	         "notified_at IS NOT NULL",
	         r->from, r->to)) < 0 ||
	    (rc = put_spread(r, D_INC_TOTAL, "notice_hours_", d, 3600)) < 0 ||
	    (rc = durations_read(
	         d, st,
	         "SELECT closed_at - reported_at FROM gov_incidents, " BOUNDS
	         " WHERE reported_at >= b.f AND reported_at < b.t AND "
	         "closed_at IS NOT NULL",
	         r->from, r->to)) < 0 ||
	    (rc = put_spread(r, D_INC_TOTAL, "close_hours_", d, 3600)) < 0)
		return rc;
	/* Late: notified after [governance] incident_notify_within, or not
	 * notified and that long has passed. */
	rc = db_prepare(
	    &s, store_db(st),
	    "SELECT COUNT(*) FROM gov_incidents, (SELECT CAST(? AS BIGINT) AS f, "
	    "CAST(? AS BIGINT) AS t, CAST(? AS BIGINT) AS w, CAST(? AS BIGINT) "
	    "AS n) b WHERE reported_at >= b.f AND reported_at < b.t AND "
	    "((notified_at IS NOT NULL AND notified_at - reported_at > b.w) OR "
	    "(notified_at IS NULL AND b.n - reported_at > b.w))");
	if (rc == 0 && (rc = db_bind_int(s, 1, r->from)) == 0 &&
	    (rc = db_bind_int(s, 2, r->to)) == 0 &&
	    (rc = db_bind_int(s, 3, within)) == 0 &&
	    (rc = db_bind_int(s, 4, r->generated_at)) == 0 && (rc = db_step(s)) == 1)
		rc = 0;
	n = rc == 0 ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc < 0 || (rc = put_int(r, D_INC_TOTAL, "notified_late", n)) < 0 ||
	    (rc = put_int(r, D_INC_TOTAL, "notify_within_seconds", within)) < 0)
		return rc;
	if ((rc = group_read(r, st, D_INC_KIND,
	                     "SELECT kind, COUNT(*) FROM gov_incidents, " BOUNDS
	                     " WHERE reported_at "
	                     ">= b.f AND reported_at < b.t GROUP BY kind")) < 0 ||
	    (rc = group_read(
	         r, st, D_INC_SEVERITY,
	         "SELECT severity, COUNT(*) FROM gov_incidents, " BOUNDS " WHERE "
	         "reported_at >= b.f AND reported_at < b.t GROUP BY severity")) < 0 ||
	    (rc = group_read(r, st, D_INC_STATE,
	                     "SELECT state, COUNT(*) FROM gov_incidents, " BOUNDS
	                     " WHERE reported_at "
	                     ">= b.f AND reported_at < b.t GROUP BY state")) < 0)
		return rc;

	/* Complaints and requests for help (Cirebon 20(3), 22). */
	if ((rc = count_year(&n, st,
	                     "SELECT COUNT(*) FROM gov_tickets, " BOUNDS
	                     " WHERE created_at >= b.f AND "
	                     "created_at < b.t",
	                     r->from, r->to)) < 0 ||
	    (rc = put_int(r, D_TICKET_TOTAL, "received", n)) < 0 ||
	    (rc = durations_read(
	         d, st,
	         "SELECT COALESCE(resolved_at, closed_at) - created_at FROM "
	         "gov_tickets, " BOUNDS " WHERE created_at >= b.f AND created_at < b.t "
	         "AND COALESCE(resolved_at, closed_at) IS NOT NULL",
	         r->from, r->to)) < 0 ||
	    (rc = put_spread(r, D_TICKET_TOTAL, "resolve_hours_", d, 3600)) < 0)
		return rc;
	if ((rc = group_read(r, st, D_TICKET_CATEGORY,
	                     "SELECT category, COUNT(*) FROM gov_tickets, " BOUNDS
	                     " WHERE created_at "
	                     ">= b.f AND created_at < b.t GROUP BY category")) < 0)
		return rc;
	return group_read(r, st, D_TICKET_STATE,
	                  "SELECT state, COUNT(*) FROM gov_tickets, " BOUNDS
	                  " WHERE created_at >= b.f "
	                  "AND created_at < b.t GROUP BY state");
}

/* ---- the audit chain and what is still open ---------------------------- */

static int
open_read(struct gov_report *r, struct store *st, int64_t failed, int64_t expiring)
{
	struct db_stmt *s = NULL;
	int64_t n, bad = 0, count = 0, base;
	int rc, intact;

	/* The chain as a whole, at the moment the report is made. */
	intact = audit_verify(st, &bad, &count);
	sertel_err_clear();
	if (intact < 0 && intact != SERTEL_EINVALID)
		return intact;
	if ((rc = put_text(r, D_AUDIT, "result", intact == 0 ? "utuh" : "rusak")) < 0 ||
	    (rc = put_int(r, D_AUDIT, "entries", count)) < 0 ||
	    (rc = put_int(r, D_AUDIT, "first_bad_seq", intact == 0 ? 0 : bad)) < 0)
		return rc;

	if ((rc = count_year(&n, st,
	                     "SELECT COUNT(*) FROM gov_needs, " BOUNDS
	                     " WHERE state IN ('submitted', "
	                     "'analysed')",
	                     0, 0)) < 0 ||
	    (rc = put_int(r, D_OPEN, "needs_undecided", n)) < 0 ||
	    (rc = count_year(&n, st, SQL_INCIDENTS_OPEN, 0, 0)) < 0 ||
	    (rc = put_int(r, D_OPEN, "incidents_open", n)) < 0 ||
	    (rc = count_year(&n, st, SQL_TICKETS_OPEN, 0, 0)) < 0 ||
	    (rc = put_int(r, D_OPEN, "complaints_open", n)) < 0)
		return rc;
	/* Cirebon 9: the plan in force reviewed at least once a year; late
	 * when its last review (or, never reviewed, its creation) is more
	 * than a year before now. */
	n = 0;
	rc = db_prepare(&s, store_db(st),
	                "SELECT p.created_at, (SELECT MAX(reviewed_at) FROM "
	                "gov_plan_reviews v WHERE v.plan_id = p.id) FROM gov_plans p "
	                "WHERE p.start_year <= ? AND p.end_year >= ? "
	                "ORDER BY p.created_at DESC, p.id DESC LIMIT 1");
	if (rc == 0 &&
	    (rc = db_bind_int(s, 1, local_year(r->generated_at, &r->tz))) == 0 &&
	    (rc = db_bind_int(s, 2, local_year(r->generated_at, &r->tz))) == 0 &&
	    (rc = db_step(s)) == 1) {
		base = db_col_null(s, 1) ? db_col_int(s, 0) : db_col_int(s, 1);
		n = r->generated_at - base > REVIEW_EVERY;
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0 || (rc = put_int(r, D_OPEN, "plan_review_late", n)) < 0 ||
	    (rc = put_int(r, D_OPEN, "systems_probe_failed", failed)) < 0)
		return rc;
	return put_int(r, D_OPEN, "systems_cert_expiring_30d", expiring);
}

int
gov_report_conf_load(struct gov_report_conf *out, const struct config *cfg)
{
	const char *rec;
	long long w;

	memset(out, 0, sizeof(*out));
	w = cfg ? config_get_int(cfg, "governance", "incident_notify_within", 3600)
	        : 3600;
	if (w < 60 || w > 7 * DAY)
		return sertel_err(SERTEL_EINVAL,
		                  "[governance] incident_notify_within: %lld seconds, "
		                  "expected 60 to 604800",
		                  w);
	out->notify_within = w;
	rec = cfg ? config_get(cfg, "governance", "report_recipients", NULL) : NULL;
	if (rec == NULL || *rec == '\0')
		rec = GOV_REPORT_RECIPIENTS;
	if (strlen(rec) >= 1000)
		return sertel_err(SERTEL_EINVAL,
		                  "[governance] report_recipients: at most 1000 bytes");
	str_copy(out->recipients, sizeof(out->recipients), rec);
	return 0;
}

static int
count_plain(int64_t *out, struct store *st, const char *sql)
{
	return count_year(out, st, sql, 0, 0);
}

int
gov_hub_get(struct gov_hub *out, struct store *st, const struct ra_actor *who)
{
	struct ra_person p;
	int64_t now = time_now();
	int rc;

	memset(out, 0, sizeof(*out));
	if (gov_report_may_read(who) == 0) {
		out->region = 1;
		rc = gov_coverage_at(&out->coverage, st, NULL, now);
	} else if ((who->roles & ROLE_KEPALA_PD) && who->nik[0] != '\0') {
		/* A head of agency: their own agency only. */
		if ((rc = ra_person_get(&p, st, who->nik)) < 0)
			return rc;
		if (p.agency_id[0] == '\0')
			return sertel_err(SERTEL_EPERM, "%s: no agency of their own",
			                  who->label);
		str_copy(out->agency_id, sizeof(out->agency_id), p.agency_id);
		rc = gov_coverage_at(&out->coverage, st, p.agency_id, now);
	} else {
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: the governance figures are for the Dinas, heads of "
		    "agency and auditors",
		    who->label);
	}
	if (rc < 0 ||
	    (rc = count_plain(&out->incidents_open, st, SQL_INCIDENTS_OPEN)) < 0 ||
	    (rc = count_plain(&out->complaints_open, st, SQL_TICKETS_OPEN)) < 0)
		return rc;
	return count_plain(
	    &out->systems_failed, st,
	    "SELECT COUNT(*) FROM gov_systems s, " BOUNDS
	    " WHERE (SELECT p.ok FROM gov_probes p WHERE p.system_id = s.id "
	    "ORDER BY p.at DESC LIMIT 1) = 0");
}

void
gov_report_free(struct gov_report *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	free(r);
}

/* bench/report: the coverage line walks the certificates' pages a dozen
 * times, and SQLite's default page cache (2 MB) sent each walk back to
 * the file (a third of the report's time copying pages in the kernel).
 * The connection gets a 64 MB cache while the report is built and its
 * own size back after (*old: the size before; 0 on PostgreSQL). */
#define REPORT_SQLITE_CACHE_KB 65536
static void
cache_grow(struct store *st, int64_t *old)
{
	struct db_stmt *s = NULL;
	char sql[64];

	*old = 0;
	if (db_engine_of(store_db(st)) != DB_SQLITE ||
	    db_prepare(&s, store_db(st), "PRAGMA cache_size") < 0)
		return;
	if (db_step(s) == 1)
		*old = db_col_int(s, 0);
	db_finalize(s);
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", REPORT_SQLITE_CACHE_KB);
	if (*old == 0 || db_exec(store_db(st), sql) < 0)
		*old = 0;
	sertel_err_clear();
}

static void
cache_restore(struct store *st, int64_t old)
{
	char sql[64];

	if (old == 0)
		return;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", (long long)old);
	(void)db_exec(store_db(st), sql);
	sertel_err_clear();
}

int
gov_report_build(struct gov_report **out, struct store *st, const struct ra_actor *who,
                 int year, const struct time_zone *tz, int64_t notify_within)
{
	static const struct time_zone wib = {"WIB", 7 * 3600};
	struct gov_report *r = NULL;
	struct durations d = {NULL, 0, 0};
	int64_t failed = 0, expiring = 0, at_end, cache = 0;
	int rc, now_year;

	*out = NULL;
	if ((rc = gov_report_may_read(who)) < 0)
		return rc;
	if (tz == NULL)
		tz = &wib;
	now_year = local_year(time_now(), tz);
	if (year < GOV_REPORT_YEAR_MIN || year > now_year)
		return sertel_err(SERTEL_EINVAL, "year %d: expected %d to %d", year,
		                  GOV_REPORT_YEAR_MIN, now_year);
	if (notify_within <= 0)
		notify_within = 3600;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "report: out of memory");
	r->year = year;
	r->tz = *tz;
	r->from = local_midnight(year, 1, tz);
	r->to = local_midnight(year + 1, 1, tz);
	r->generated_at = time_now();
	/* The year's end, or now for the year under way. */
	at_end = r->to < r->generated_at ? r->to : r->generated_at;
	cache_grow(st, &cache);

	if ((rc = certs_read(r, st)) < 0 || (rc = causes_read(r, st)) < 0 ||
	    (rc = apps_read(r, st, &d)) < 0 || (rc = coverage_read(r, st, at_end)) < 0 ||
	    (rc = systems_read(r, st, &failed, &expiring)) < 0 ||
	    (rc = incidents_read(r, st, &d, notify_within)) < 0 ||
	    (rc = open_read(r, st, failed, expiring)) < 0)
		goto out;
	qsort(r->rows, r->nrows, sizeof(*r->rows), row_cmp);
	*out = r;
	r = NULL;
	rc = 0;
out:
	cache_restore(st, cache);
	free(d.v);
	gov_report_free(r);
	return rc;
}

/* ---- JSON and CSV --------------------------------------------------------- */

static json_t *
row_json(const struct gov_report_row *row)
{
	switch (row->kind) {
	case GOV_VAL_INT: return json_integer((json_int_t)row->n);
	case GOV_VAL_REAL: return json_real(row->d);
	default: return json_string(row->text);
	}
}

int
gov_report_json(json_t **out, const struct gov_report *r)
{
	json_t *o = NULL, *figs, *sec, *dim;
	char from[32], to[32], gen[32];
	size_t i, j;

	*out = NULL;
	time_fmt(from, r->from);
	time_fmt(to, r->to);
	time_fmt(gen, r->generated_at);
	o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:{}}", "year", r->year, "zone",
	              r->tz.name, "from", from, "to", to, "generated_at", gen, "figures");
	if (o == NULL)
		return sertel_err(SERTEL_ENOMEM, "report: json");
	figs = json_object_get(o, "figures");
	/* Every dimension appears, empty ones too, so a reader need not
	 * guess whether a figure is zero or missing. */
	for (j = 0; j < D_COUNT; j++) {
		if ((sec = json_object_get(figs, dims[j].section)) == NULL) {
			sec = json_object();
			if (sec == NULL ||
			    json_object_set_new(figs, dims[j].section, sec) < 0)
				goto fail;
		}
		if (json_object_get(sec, dims[j].name) == NULL &&
		    json_object_set_new(sec, dims[j].name, json_object()) < 0)
			goto fail;
	}
	for (i = 0; i < r->nrows; i++) {
		const struct gov_report_row *row = &r->rows[i];

		sec = json_object_get(figs, dims[row->dim].section);
		dim = json_object_get(sec, dims[row->dim].name);
		if (json_object_set_new(dim, row->key, row_json(row)) < 0)
			goto fail;
	}
	*out = o;
	return 0;
fail:
	json_decref(o);
	return sertel_err(SERTEL_ENOMEM, "report: json");
}

/* One RFC 4180 field: quoted when it holds a comma, a quote or a line
 * break, quotes doubled. */
static int
csv_field(struct buf *b, const char *v)
{
	const char *p;
	int rc;

	if (strpbrk(v, ",\"\r\n") == NULL)
		return buf_append(b, v, strlen(v));
	if ((rc = buf_putc(b, '"')) < 0)
		return rc;
	for (p = v; *p != '\0'; p++)
		if ((*p == '"' && (rc = buf_putc(b, '"')) < 0) ||
		    (rc = buf_putc(b, (unsigned char)*p)) < 0)
			return rc;
	return buf_putc(b, '"');
}

int
gov_report_csv(struct buf *b, const struct gov_report *r)
{
	char v[96];
	size_t i;
	int rc;

	if ((rc = buf_appendf(b, "section,dimension,key,value\r\n")) < 0)
		return rc;
	for (i = 0; i < r->nrows; i++) {
		const struct gov_report_row *row = &r->rows[i];

		gov_report_value_fmt(v, sizeof(v), row);
		if ((rc = csv_field(b, dims[row->dim].section)) < 0 ||
		    (rc = buf_putc(b, ',')) < 0 ||
		    (rc = csv_field(b, dims[row->dim].name)) < 0 ||
		    (rc = buf_putc(b, ',')) < 0 || (rc = csv_field(b, row->key)) < 0 ||
		    (rc = buf_putc(b, ',')) < 0 || (rc = csv_field(b, v)) < 0 ||
		    (rc = buf_append(b, "\r\n", 2)) < 0)
			return rc;
	}
	return 0;
}
