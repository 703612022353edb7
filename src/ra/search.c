/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OP operator's certificate search: by NIK, name, serial (in any form
 * people type it), agency, status and nearness of expiry, a page at a
 * time.  One query joins the owner and the agency, so a page of 50 costs
 * two statements (the count and the page), not one per row.
 */
#include <stdio.h>
#include <string.h>

#include "pki/pki.h"
#include "ra/ra.h"

#define CERT_PAGE_DEFAULT 50
#define CERT_PAGE_MAX     1000

/* A LIKE pattern matching s anywhere, lower case, with the wildcards in s
 * escaped (ESCAPE '!'). */
static int
like_pattern(char *out, size_t outsz, const char *s)
{
	size_t n = 0;

	if (outsz < 3)
		return sertel_err(SERTEL_EINVAL, "name: too long");
	out[n++] = '%';
	for (; *s; s++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;

		if (n + 4 >= outsz)
			return sertel_err(SERTEL_EINVAL,
			                  "name: too long (at most %zu bytes)",
			                  outsz / 2);
		if (c == '%' || c == '_' || c == '!')
			out[n++] = '!';
		out[n++] = c;
	}
	out[n++] = '%';
	out[n] = '\0';
	return 0;
}

static const char *
row_status(int revoked, int64_t nb, int64_t na, int64_t now)
{
	if (revoked)
		return "revoked";
	if (na <= now)
		return "expired";
	if (nb > now)
		return "not-yet-valid";
	return "valid";
}

int
ra_cert_query(struct store *st, const struct ra_actor *who,
              const struct ra_cert_filter *f, int64_t *total, ra_cert_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct buf where, sql;
	char hex[SERIAL_HEX_MAX + 1], dec[SERIAL_HEX_MAX + 1], like[260];
	int64_t now = time_now();
	int limit = f->limit <= 0              ? CERT_PAGE_DEFAULT
	            : f->limit > CERT_PAGE_MAX ? CERT_PAGE_MAX
	                                       : f->limit,
	    pass, i, rc = 0, st_valid = 0, st_revoked = 0, st_expired = 0;

	*total = 0;
	buf_init(&where, 1024);
	buf_init(&sql, 2048);
	/* Who may look: those who read every record (the NIK is shown). */
	if (!ra_sees_all(who)) {
		rc = sertel_err(SERTEL_EPERM,
		                "%s: the certificate search is for the OP, the Kepala "
		                "Dinas and auditors",
		                who->label);
		goto out;
	}
	hex[0] = dec[0] = like[0] = '\0';
	if (f->serial != NULL && *f->serial != '\0' &&
	    (rc = serial_normalise(hex, dec, f->serial)) < 0)
		goto out;
	if (f->name != NULL && *f->name != '\0' &&
	    (rc = like_pattern(like, sizeof(like), f->name)) < 0)
		goto out;
	if (f->status != NULL && *f->status != '\0') {
		st_valid = strcmp(f->status, "valid") == 0;
		st_revoked = strcmp(f->status, "revoked") == 0;
		st_expired = strcmp(f->status, "expired") == 0;
		if (!st_valid && !st_revoked && !st_expired) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "status '%.32s': expected valid, revoked or expired",
			    f->status);
			goto out;
		}
	}
	if (f->expiring_days < 0 || f->expiring_days > 3650) {
		rc = sertel_err(SERTEL_EINVAL, "expiring within: 1..3650 days");
		goto out;
	}
	/* Only fixed clauses go into the SQL; every value is a parameter. */
	buf_appendf(&where, " WHERE 1 = 1");
	if (f->nik != NULL && *f->nik != '\0')
		buf_appendf(&where, " AND c.nik = ?");
	if (like[0] != '\0')
		buf_appendf(&where, " AND LOWER(p.name) LIKE ? ESCAPE '!'");
	if (hex[0] != '\0')
		buf_appendf(&where, " AND c.serial IN (?, ?)");
	if (f->agency_id != NULL && *f->agency_id != '\0')
		buf_appendf(&where, " AND p.agency_id = ?");
	if (st_valid || f->expiring_days > 0)
		buf_appendf(
		    &where,
		    " AND c.revoked = 0 AND c.not_before <= ? AND c.not_after > ?");
	if (st_revoked)
		buf_appendf(&where, " AND c.revoked = 1");
	if (st_expired)
		buf_appendf(&where, " AND c.revoked = 0 AND c.not_after <= ?");
	if (f->expiring_days > 0)
		buf_appendf(&where, " AND c.not_after <= ?");
	if ((rc = buf_cstr(&where)) < 0)
		goto out;
	for (pass = 0; pass < 2; pass++) {
		buf_reset(&sql);
		if (pass == 0)
			buf_appendf(&sql,
			            "SELECT COUNT(*) FROM certs c LEFT JOIN persons p ON "
			            "p.nik = c.nik%s",
			            (char *)where.data);
		else
			buf_appendf(
			    &sql,
			    "SELECT c.serial, c.type, c.usages, c.subject, c.nik, "
			    "c.not_before, c.not_after, c.revoked, c.revoked_at, "
			    "c.reason, p.name, a.id, a.name FROM certs c LEFT JOIN "
			    "persons p ON p.nik = c.nik LEFT JOIN agencies a ON a.id "
			    "= p.agency_id%s ORDER BY COALESCE(p.name, c.subject), "
			    "c.serial LIMIT ? OFFSET ?",
			    (char *)where.data);
		if ((rc = buf_cstr(&sql)) < 0 ||
		    (rc = db_prepare(&s, store_db(st), (const char *)sql.data)) < 0)
			goto out;
		i = 1;
		if ((f->nik != NULL && *f->nik != '\0' &&
		     (rc = db_bind_text(s, i++, f->nik)) < 0) ||
		    (like[0] != '\0' && (rc = db_bind_text(s, i++, like)) < 0) ||
		    (hex[0] != '\0' &&
		     ((rc = db_bind_text(s, i++, hex)) < 0 ||
		      (rc = db_bind_text(s, i++, dec[0] ? dec : hex)) < 0)) ||
		    (f->agency_id != NULL && *f->agency_id != '\0' &&
		     (rc = db_bind_text(s, i++, f->agency_id)) < 0) ||
		    ((st_valid || f->expiring_days > 0) &&
		     ((rc = db_bind_int(s, i++, now)) < 0 ||
		      (rc = db_bind_int(s, i++, now)) < 0)) ||
		    (st_expired && (rc = db_bind_int(s, i++, now)) < 0) ||
		    (f->expiring_days > 0 &&
		     (rc = db_bind_int(s, i++, now + (int64_t)f->expiring_days * 86400)) <
		         0))
			goto out;
		if (pass == 0) {
			if ((rc = db_step(s)) == 1) {
				*total = db_col_int(s, 0);
				rc = 0;
			}
		} else if ((rc = db_bind_int(s, i++, limit)) == 0 &&
		           (rc = db_bind_int(s, i++, f->offset < 0 ? 0 : f->offset)) ==
		               0) {
			while ((rc = db_step(s)) == 1) {
				struct ra_cert_row r;
				const char *t;

				memset(&r, 0, sizeof(r));
				r.serial = db_col_text(s, 0);
				r.type = db_col_text(s, 1);
				r.usages = db_col_text(s, 2);
				r.subject = db_col_text(s, 3);
				r.nik = (t = db_col_text(s, 4)) != NULL ? t : "";
				r.not_before = db_col_int(s, 5);
				r.not_after = db_col_int(s, 6);
				r.revoked = (int)db_col_int(s, 7);
				r.revoked_at = db_col_null(s, 8) ? 0 : db_col_int(s, 8);
				r.reason = db_col_null(s, 9) ? -1 : (int)db_col_int(s, 9);
				r.owner_name = (t = db_col_text(s, 10)) != NULL ? t : "";
				r.agency_id = (t = db_col_text(s, 11)) != NULL ? t : "";
				r.agency_name = (t = db_col_text(s, 12)) != NULL ? t : "";
				r.status =
				    row_status(r.revoked, r.not_before, r.not_after, now);
				if ((rc = cb(&r, arg)) != 0)
					break;
			}
		}
		db_finalize(s);
		s = NULL;
		if (rc < 0)
			goto out;
	}
out:
	db_finalize(s);
	buf_free(&where);
	buf_free(&sql);
	return rc;
}

/* ---- people by name, position or agency (the signing page's picker) ---- */
int
ra_person_search(struct store *st, const struct ra_actor *who, const char *q, int limit,
                 ra_person_hit_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	char like[260];
	size_t qlen = q != NULL ? strlen(q) : 0;
	int rc;

	/* Colleagues to sign after oneself are a registered person's
	 * business: the local administrator has no letters to sign. */
	if (who->nik[0] == '\0')
		return sertel_err(SERTEL_EPERM,
		                  "%s: the people search is for registered people",
		                  who->label);
	if (qlen < 2 || qlen > 100)
		return sertel_err(SERTEL_EINVAL, "search: 2 to 100 characters");
	if (limit <= 0 || limit > RA_PERSON_SEARCH_MAX)
		limit = RA_PERSON_SEARCH_MAX;
	if ((rc = like_pattern(like, sizeof(like), q)) < 0)
		return rc;
	if ((rc =
	         db_prepare(&s, store_db(st),
	                    "SELECT p.nik, p.name, p.position, COALESCE(a.name, '') FROM "
	                    "persons p LEFT JOIN agencies a ON a.id = p.agency_id WHERE "
	                    "LOWER(p.name) LIKE ? ESCAPE '!' OR LOWER(p.position) LIKE ? "
	                    "ESCAPE '!' OR LOWER(a.name) LIKE ? ESCAPE '!' ORDER BY "
	                    "p.name, p.nik LIMIT ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, like)) < 0 || (rc = db_bind_text(s, 2, like)) < 0 ||
	    (rc = db_bind_text(s, 3, like)) < 0 || (rc = db_bind_int(s, 4, limit)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		struct ra_person_hit h;
		const char *t;

		h.nik = db_col_text(s, 0);
		h.name = (t = db_col_text(s, 1)) != NULL ? t : "";
		h.position = (t = db_col_text(s, 2)) != NULL ? t : "";
		h.agency_name = (t = db_col_text(s, 3)) != NULL ? t : "";
		if ((rc = cb(&h, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
