/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A person's scanned signature image (issue 11): Palembang 12(3) lets the
 * Wali Kota's template show it in the visible signature, so it is kept per
 * person, set by the person or an OP operator, audited, and read by the
 * signers (CLI and the e-sign service) when they draw the box.  It is no
 * secret (it is printed on every letter), so it is a plain column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "ra/ra.h"

int
ra_image_check(const unsigned char *img, size_t len, const char *what)
{
	if (len > RA_SIGIMG_MAX)
		return sertel_err(SERTEL_ETOOBIG, "%s: %zu bytes, at most %d", what, len,
		                  RA_SIGIMG_MAX);
	if (len >= 8 && memcmp(img, "\x89PNG\r\n\x1a\n", 8) == 0)
		return 0;
	if (len >= 3 && img[0] == 0xff && img[1] == 0xd8 && img[2] == 0xff)
		return 0;
	return sertel_err(SERTEL_EINVAL, "%s: not a PNG or JPEG image", what);
}

struct sigimg_work {
	const struct ra_actor *who;
	const char *nik;
	const unsigned char *img;
	size_t len;
};

static int
sigimg_fn(struct store *st, void *arg)
{
	const struct sigimg_work *w = arg;
	char obj[64], detail[96];
	int64_t rc;

	if (w->img != NULL)
		rc =
		    db_run(store_db(st),
		           "INSERT INTO person_signature_images (nik, image, updated_at) "
		           "VALUES (?, ?, ?) ON CONFLICT (nik) DO UPDATE SET image = "
		           "excluded.image, updated_at = excluded.updated_at",
		           "sbi", w->nik, w->img, w->len, time_now());
	else
		rc = db_run(store_db(st),
		            "DELETE FROM person_signature_images WHERE nik = ?", "s",
		            w->nik);
	if (rc < 0)
		return (int)rc;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	if (w->img != NULL)
		snprintf(detail, sizeof(detail), "signature image set, %zu bytes",
		         w->len);
	else
		snprintf(detail, sizeof(detail), "signature image removed");
	return audit_append(st, w->who->label, "person.signature_image", obj, detail);
}

int
ra_sigimg_set(struct store *st, const struct ra_actor *who, const char *nik,
              const unsigned char *img, size_t len)
{
	struct sigimg_work w = {who, nik, img, len};
	struct ra_person p;
	int rc;

	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc;
	/* Palembang 13(2)a: the signer's own; an OP operator helps at the desk. */
	if (strcmp(who->nik, p.nik) != 0 && !(who->roles & (ROLE_OPERATOR | ROLE_ADMIN)))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only %s, an OP operator or the administrator sets "
		                  "this signature image",
		                  who->label, p.nik);
	if (img != NULL && (rc = ra_image_check(img, len, "signature image")) < 0)
		return rc;
	return store_atomic(st, sigimg_fn, &w);
}

int
ra_sigimg_get(unsigned char **out, size_t *len, struct store *st, const char *nik)
{
	struct db_stmt *s = NULL;
	const unsigned char *b;
	size_t n = 0;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT image FROM person_signature_images WHERE nik = ?")) <
	    0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_step(s)) == 1) {
		b = db_col_blob(s, 0, &n);
		if (n == 0 || (*out = malloc(n)) == NULL) {
			rc = n == 0 ? sertel_err(SERTEL_ENOTFOUND, "NIK %s: empty image",
			                         nik)
			            : sertel_err(SERTEL_ENOMEM, "out of memory");
		} else {
			memcpy(*out, b, n);
			*len = n;
			rc = 0;
		}
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "NIK %s: no signature image", nik);
	}
	db_finalize(s);
	return rc;
}

int
ra_sigimg_has(struct store *st, const char *nik)
{
	char one[4];

	return db_get_text(store_db(st), one, sizeof(one),
	                   "SELECT 1 FROM person_signature_images WHERE nik = ?", nik);
}
