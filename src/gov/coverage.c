/*
 * Coverage of the region's ASN (Denpasar 8(3), Samarinda 8(3)): every ASN
 * must hold a certificate.  Computed from the store at any moment, so the
 * annual report's line over the months and the portal's figures of today
 * are the same query.
 */
#include <string.h>

#include "gov/gov.h"

/* Per agency: the staff list when one is imported, else the headcount
 * entered and the agency's registered persons as its members.  A member
 * holds a certificate at ?1 (bound three times) when an individu or
 * jabatan certificate of theirs has begun, has not expired and was not
 * revoked by then. */
#define COVERAGE_SQL                                                                     \
	"WITH listed AS (SELECT DISTINCT agency_id FROM gov_staff), "                    \
	"members AS (SELECT agency_id, nik FROM gov_staff UNION "                        \
	" SELECT p.agency_id, p.nik FROM persons p WHERE p.agency_id IS NOT NULL AND "   \
	" p.agency_id NOT IN (SELECT agency_id FROM listed)), "                          \
	"held AS (SELECT m.agency_id, COUNT(*) AS n FROM members m WHERE EXISTS "        \
	" (SELECT 1 FROM certs c WHERE c.nik = m.nik AND c.type IN ('individu', "        \
	" 'jabatan') AND c.not_before <= ? AND c.not_after > ? AND (c.revoked = 0 "      \
	" OR c.revoked_at > ?)) GROUP BY m.agency_id), "                                 \
	"staffn AS (SELECT agency_id, COUNT(*) AS n FROM gov_staff GROUP BY agency_id) " \
	"SELECT a.id, COALESCE(s.n, h.n, 0), COALESCE(held.n, 0) FROM agencies a "       \
	"LEFT JOIN staffn s ON s.agency_id = a.id "                                      \
	"LEFT JOIN gov_headcounts h ON h.agency_id = a.id "                              \
	"LEFT JOIN held ON held.agency_id = a.id "

static int
coverage_query(struct store *st, const char *agency_id, int64_t at, gov_coverage_fn cb,
               void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_coverage c;
	int i, rc;

	rc = db_prepare(&s, store_db(st),
	                agency_id != NULL ? COVERAGE_SQL "WHERE a.id = ?"
	                                  : COVERAGE_SQL "ORDER BY a.name, a.id");
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
