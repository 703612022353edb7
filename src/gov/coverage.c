/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Coverage of the region's ASN (Denpasar 8(3), Samarinda 8(3)): every ASN
 * must hold a certificate.  Computed from the store at any moment, so the
 * annual report's line over the months and the portal's figures of today
 * are the same query.  Also the certificate counts the coverage page shows
 * (per type and usage; expiring and expired per agency).
 */
#include <string.h>
#include <time.h>

#include "gov/gov.h"

/* An agency's members: the staff list when one is imported, else the
 * agency's registered persons.  The two halves never share an agency, and
 * a NIK is a key of both tables, so UNION ALL has no duplicates. */
#define MEMBERS_CTE                                                                      \
	"WITH listed AS (SELECT DISTINCT agency_id FROM gov_staff), "                    \
	"members AS (SELECT s.agency_id, s.nik, s.name, COALESCE(s.nip, '') AS nip, "    \
	" s.position FROM gov_staff s UNION ALL "                                        \
	" SELECT p.agency_id, p.nik, p.name, COALESCE(p.nip, ''), p.position "           \
	" FROM persons p WHERE p.agency_id IS NOT NULL AND "                             \
	" p.agency_id NOT IN (SELECT agency_id FROM listed)) "
/* A member holds a certificate at ? (bound three times) when an individu
 * or jabatan certificate of theirs has begun, has not expired and was not
 * revoked by then. */
#define HOLDS                                                                            \
	"EXISTS (SELECT 1 FROM certs c WHERE c.nik = m.nik AND c.type IN ('individu', "  \
	"'jabatan') AND c.not_before <= ? AND c.not_after > ? AND (c.revoked = 0 "       \
	"OR c.revoked_at > ?))"

/* Holders are capped at the headcount: where only a number was entered,
 * more registered holders than that number (persons who left, a number
 * not yet updated) must not make a share above 100%. */
#define COVERAGE_SQL                                                                     \
	MEMBERS_CTE ", held AS (SELECT m.agency_id, COUNT(*) AS n FROM members m "       \
	            "WHERE " HOLDS " GROUP BY m.agency_id), "                            \
	            "staffn AS (SELECT agency_id, COUNT(*) AS n FROM gov_staff GROUP "   \
	            "BY agency_id), "                                                    \
	            "counted AS (SELECT a.id, a.name, COALESCE(s.n, h.n, 0) AS hc, "     \
	            "COALESCE(held.n, 0) AS hn FROM agencies a "                         \
	            "LEFT JOIN staffn s ON s.agency_id = a.id "                          \
	            "LEFT JOIN gov_headcounts h ON h.agency_id = a.id "                  \
	            "LEFT JOIN held ON held.agency_id = a.id) "                          \
	            "SELECT id, hc, CASE WHEN hn > hc THEN hc ELSE hn END FROM "         \
	            "counted "

static int
coverage_query(struct store *st, const char *agency_id, int64_t at, gov_coverage_fn cb,
               void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_coverage c;
	int i, rc;

	rc = db_prepare(&s, store_db(st),
	                agency_id != NULL ? COVERAGE_SQL "WHERE id = ?"
	                                  : COVERAGE_SQL "ORDER BY name, id");
	for (i = 1; rc == 0 && i <= 3; i++)
		rc = db_bind_int(s, i, at);
	if (rc == 0 && agency_id != NULL)
		rc = db_bind_text(s, 4, agency_id);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		memset(&c, 0, sizeof(c));
		snprintf(c.agency_id, sizeof(c.agency_id), "%s", db_col_text(s, 0));
		c.headcount = db_col_int(s, 1);
		c.holders = db_col_int(s, 2);
		rc = cb(&c, arg);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
gov_coverage_iter(struct store *st, int64_t at, gov_coverage_fn cb, void *arg)
{
	return coverage_query(st, NULL, at, cb, arg);
}

struct coverage_sum {
	struct gov_coverage *out;
	int found;
};

static int
coverage_add(const struct gov_coverage *c, void *arg)
{
	struct coverage_sum *sum = arg;

	sum->out->headcount += c->headcount;
	sum->out->holders += c->holders;
	sum->found = 1;
	return 0;
}

int
gov_coverage_at(struct gov_coverage *out, struct store *st, const char *agency_id,
                int64_t at)
{
	struct coverage_sum sum = {out, 0};
	int rc;

	memset(out, 0, sizeof(*out));
	if (agency_id != NULL)
		snprintf(out->agency_id, sizeof(out->agency_id), "%s", agency_id);
	if ((rc = coverage_query(st, agency_id, at, coverage_add, &sum)) < 0)
		return rc;
	if (agency_id != NULL && !sum.found)
		return sertel_err(SERTEL_ENOTFOUND, "agency %s: no such agency",
		                  agency_id);
	return 0;
}

int
gov_cover_own_agency(char out[17], struct store *st, const struct ra_actor *who)
{
	struct ra_person p;
	int rc;

	out[0] = '\0';
	if (!(who->roles & ROLE_KEPALA_PD) || who->nik[0] == '\0')
		return 0;
	if ((rc = ra_person_get(&p, st, who->nik)) < 0)
		return rc == SERTEL_ENOTFOUND ? 0 : rc;
	snprintf(out, 17, "%s", p.agency_id);
	return 0;
}

int
gov_cover_access(struct store *st, const struct ra_actor *who, const char *agency_id,
                 int edit)
{
	unsigned dinas = ROLE_KEPALA_DINAS | ROLE_OPERATOR | ROLE_ADMIN;
	char own[17];
	int rc;

	if ((who->roles & dinas) || (!edit && (who->roles & ROLE_AUDITOR)))
		return 0;
	if (agency_id != NULL && (who->roles & ROLE_KEPALA_PD)) {
		if ((rc = gov_cover_own_agency(own, st, who)) < 0)
			return rc;
		if (own[0] != '\0' && strcmp(own, agency_id) == 0)
			return 0;
		return sertel_err(SERTEL_EPERM,
		                  "%s: a head of agency %s only their own agency's "
		                  "coverage and systems (Denpasar 8(3))",
		                  who->label, edit ? "changes" : "reads");
	}
	return sertel_err(SERTEL_EPERM,
	                  "%s: coverage and the register of systems are %s by the "
	                  "Dinas (Kepala Dinas, OP operators)%s",
	                  who->label, edit ? "kept" : "read",
	                  edit ? "" : ", the auditor and the heads of agency");
}

/* The months' ends in zone tz: the last second of each month, local. */
int
gov_coverage_months(struct gov_coverage *out, int64_t *at, int months, struct store *st,
                    int64_t now, const struct time_zone *tz)
{
	struct tm tm;
	time_t local;
	int i, y, m, rc;

	if (months < 1 || months > 24)
		return sertel_err(SERTEL_EINVAL, "coverage: 1 to 24 months");
	local = (time_t)(now + tz->offset);
	if (gmtime_r(&local, &tm) == NULL)
		return sertel_err(SERTEL_EINVAL, "coverage: time out of range");
	for (i = 0; i < months; i++) {
		/* month index counted back from the current one */
		int back = months - 1 - i;

		y = tm.tm_year + 1900;
		m = tm.tm_mon - back;
		while (m < 0) {
			m += 12;
			y--;
		}
		if (back == 0) {
			at[i] = now;
		} else {
			/* the first second of the next month, local, minus one */
			struct tm next;

			memset(&next, 0, sizeof(next));
			next.tm_year = (m == 11 ? y + 1 : y) - 1900;
			next.tm_mon = m == 11 ? 0 : m + 1;
			next.tm_mday = 1;
			at[i] = (int64_t)timegm(&next) - tz->offset - 1;
		}
		if ((rc = gov_coverage_at(&out[i], st, NULL, at[i])) < 0)
			return rc;
	}
	return 0;
}

/* Certificates per type and usage set (one query). */
int
gov_cert_counts(struct store *st, const struct ra_actor *who, int64_t now,
                gov_cert_count_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_cert_count c;
	int rc;

	if ((rc = gov_cover_access(st, who, NULL, 0)) < 0)
		return rc;
	rc =
	    db_prepare(&s, store_db(st),
	               "SELECT type, usages, "
	               "SUM(CASE WHEN revoked = 0 AND not_before <= ? AND not_after > ? "
	               "THEN 1 ELSE 0 END), "
	               "SUM(CASE WHEN revoked = 0 AND not_after <= ? THEN 1 ELSE 0 END), "
	               "SUM(CASE WHEN revoked <> 0 THEN 1 ELSE 0 END) "
	               "FROM certs GROUP BY type, usages ORDER BY type, usages");
	if (rc == 0 &&
	    ((rc = db_bind_int(s, 1, now)) < 0 || (rc = db_bind_int(s, 2, now)) < 0 ||
	     (rc = db_bind_int(s, 3, now)) < 0))
		goto out;
	while (rc == 0 && (rc = db_step(s)) == 1) {
		c.type = db_col_text(s, 0);
		c.usages = db_col_text(s, 1);
		c.valid = db_col_int(s, 2);
		c.expired = db_col_int(s, 3);
		c.revoked = db_col_int(s, 4);
		rc = cb(&c, arg);
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* Expiring within days and expired (not revoked), per owner's agency. */
int
gov_cert_expiry(struct store *st, const struct ra_actor *who, int64_t now, int days,
                gov_expiry_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_expiry e;
	int rc;

	if ((rc = gov_cover_access(st, who, NULL, 0)) < 0)
		return rc;
	if (days < 1 || days > 3650)
		return sertel_err(SERTEL_EINVAL, "expiring days %d: 1 to 3650", days);
	rc =
	    db_prepare(&s, store_db(st),
	               "SELECT a.id, a.name, "
	               "COALESCE(SUM(CASE WHEN c.not_before <= ? AND c.not_after > ? AND "
	               "c.not_after <= ? THEN 1 ELSE 0 END), 0), "
	               "COALESCE(SUM(CASE WHEN c.not_after <= ? THEN 1 ELSE 0 END), 0) "
	               "FROM agencies a LEFT JOIN persons p ON p.agency_id = a.id "
	               "LEFT JOIN certs c ON c.nik = p.nik AND c.revoked = 0 "
	               "GROUP BY a.id, a.name ORDER BY a.name, a.id");
	if (rc == 0 &&
	    ((rc = db_bind_int(s, 1, now)) < 0 || (rc = db_bind_int(s, 2, now)) < 0 ||
	     (rc = db_bind_int(s, 3, now + (int64_t)days * 86400)) < 0 ||
	     (rc = db_bind_int(s, 4, now)) < 0))
		goto out;
	while (rc == 0 && (rc = db_step(s)) == 1) {
		e.agency_id = db_col_text(s, 0);
		e.agency_name = db_col_text(s, 1);
		e.expiring = db_col_int(s, 2);
		e.expired = db_col_int(s, 3);
		rc = cb(&e, arg);
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The members of an agency who hold no valid certificate, by name. */
int
gov_missing_iter(struct store *st, const struct ra_actor *who, const char *agency_id,
                 int64_t at, int limit, gov_missing_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_missing m;
	int i, rc;

	if (agency_id == NULL)
		return sertel_err(SERTEL_EINVAL, "missing holders: an agency is needed");
	if ((rc = gov_cover_access(st, who, agency_id, 0)) < 0)
		return rc;
	if (limit <= 0 || limit > 100000)
		limit = 100000;
	rc = db_prepare(&s, store_db(st),
	                MEMBERS_CTE "SELECT m.name, m.nip, m.position FROM members m "
	                            "WHERE m.agency_id = ? AND NOT " HOLDS
	                            " ORDER BY m.name, m.nip LIMIT ?");
	if (rc == 0)
		rc = db_bind_text(s, 1, agency_id);
	for (i = 2; rc == 0 && i <= 4; i++)
		rc = db_bind_int(s, i, at);
	if (rc == 0)
		rc = db_bind_int(s, 5, limit);
	while (rc == 0 && (rc = db_step(s)) == 1) {
		m.name = db_col_text(s, 0);
		m.nip = db_col_text(s, 1) != NULL ? db_col_text(s, 1) : "";
		m.position = db_col_text(s, 2) != NULL ? db_col_text(s, 2) : "";
		rc = cb(&m, arg);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
