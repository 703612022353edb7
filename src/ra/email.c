/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A second e-mail address for a person's certificates, proved by a mailed
 * code (issue 19: an applicant had walikota@gmail.com certified).
 *
 *   request: an address at the person's agency domain -> a random code of
 *            RA_EMAIL_CODE_DIGITS digits mailed to it through the queue,
 *            only its SHA-256 stored, valid RA_EMAIL_CODE_TTL seconds
 *   confirm: the person types the code; RA_EMAIL_CODE_TRIES wrong codes
 *            spend it; a right one marks the address verified and removes
 *            the code (single use)
 *
 * Each step is one transaction with its audit entry (a wrong code too:
 * its counted attempt commits although the confirmation fails).  The code
 * itself is never stored, logged or audited.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "mail/mail.h"
#include "pki/pki.h"
#include "ra/ra.h"

/* Lower-cased copy of the address (the key of its row). */
static int
email_norm(char out[MAIL_ADDR_MAX + 1], const char *email)
{
	size_t i;
	int rc;

	if (email == NULL || str_copy(out, MAIL_ADDR_MAX + 1, email) < 0)
		return sertel_err(SERTEL_EINVAL, "e-mail: an address of at most %d bytes",
		                  MAIL_ADDR_MAX);
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	if ((rc = name_check_email(out)) < 0 || (rc = mail_addr_check(out)) < 0)
		return rc;
	return 0;
}

/* The person (nik NULL or "": the actor), the actor's right to act for
 * them, and the address (lower-cased into email) at their agency's
 * domain.  Who first, then what (issue 19). */
static int
subject_check(struct ra_person *p, char email[MAIL_ADDR_MAX + 1], struct store *st,
              const struct ra_actor *who, const char *nik, const char *email_in,
              int confirming)
{
	struct ra_agency ag;
	int rc;

	if (nik == NULL || *nik == '\0')
		nik = who->nik;
	if ((rc = email_norm(email, email_in)) < 0)
		return rc;
	/* Only the person confirms (the code went to their mailbox); the
	 * Dinas may also ask for a code on their behalf. */
	if (strcmp(nik, who->nik) != 0 &&
	    (confirming || !(who->roles & (ROLE_OPERATOR | ROLE_ADMIN))))
		return sertel_err(SERTEL_EPERM,
		                  "%s: only NIK %s %s their own e-mail address",
		                  who->label, nik, confirming ? "confirms" : "verifies");
	if ((rc = ra_person_get(p, st, nik)) < 0 ||
	    (rc = ra_agency_get(&ag, st, p->agency_id)) < 0)
		return rc;
	if (strcasecmp(email, p->email) == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "e-mail %s: the registered address needs no "
		                  "verification",
		                  email);
	if (!ra_domain_within(strrchr(email, '@') + 1, ag.domain))
		return sertel_err(
		    SERTEL_EPERM,
		    "e-mail %s: only an address at @%s (%s) can be verified "
		    "for a certificate",
		    email, ag.domain, ag.name);
	return 0;
}

struct verify_req {
	const struct ra_actor *who;
	const char *nik;
	const char *email;
	const char *name;
	char code[RA_EMAIL_CODE_DIGITS + 1];
	int64_t expires_at;
};

static int
request_fn(struct store *st, void *arg)
{
	struct verify_req *w = arg;
	char hash[65], obj[64], subject[200], body[1024];
	int64_t now = time_now(), n;
	int rc;

	ra_code_hash(hash, w->nik, w->email, w->code);
	w->expires_at = now + RA_EMAIL_CODE_TTL;
	/* A new code replaces an older one (and its attempts); an address
	 * verified already is asked again from scratch. */
	if ((n = db_run(store_db(st),
	                "DELETE FROM email_verifications WHERE nik = ? AND email = ?",
	                "ss", w->nik, w->email)) < 0)
		return (int)n;
	if ((n = db_run(store_db(st),
	                "INSERT INTO email_verifications (nik, email, code_hash, "
	                "expires_at, attempts, requested_by, created_at) VALUES "
	                "(?, ?, ?, ?, 0, ?, ?)",
	                "sssisi", w->nik, w->email, hash, w->expires_at, w->who->label,
	                now)) < 0)
		return (int)n;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	if ((rc = audit_append(st, w->who->label, "email.verify-request", obj,
	                       w->email)) < 0)
		return rc;
	snprintf(subject, sizeof(subject), "Kode verifikasi alamat e-mail");
	snprintf(body, sizeof(body),
	         "Yth. %s,\n\nKode verifikasi untuk mencantumkan alamat %s pada "
	         "Sertifikat Elektronik Anda: %s\n\nKode berlaku %d menit dan hanya "
	         "dapat digunakan satu kali. Jangan berikan kode ini kepada siapa "
	         "pun, termasuk petugas. Abaikan pesan ini bila Anda tidak "
	         "memintanya.\n\n--\nPesan ini dikirim otomatis oleh layanan "
	         "Sertifikat Elektronik (sertel) Otoritas Pendaftaran.\n",
	         w->name, w->email, w->code, RA_EMAIL_CODE_TTL / 60);
	rc = mail_enqueue(st, w->email, subject, body, "email-verify");
	secure_wipe(body, sizeof(body));
	return rc;
}

void
ra_code_hash(char out[65], const char *a, const char *b, const char *code)
{
	char in[MAIL_ADDR_MAX + RA_ID_LEN + 40];

	snprintf(in, sizeof(in), "%s|%s|%s", a, b, code);
	sha256_hex(out, in, strlen(in));
	secure_wipe(in, sizeof(in));
}

int
ra_code_new(char out[RA_EMAIL_CODE_DIGITS + 1])
{
	unsigned char r[8];
	uint64_t v = 0;
	size_t i;
	int rc;

	/* Uniform over 10^8 up to a bias of 2^-37: negligible. */
	if ((rc = rand_bytes(r, sizeof(r))) < 0)
		return rc;
	for (i = 0; i < sizeof(r); i++)
		v = v << 8 | r[i];
	snprintf(out, RA_EMAIL_CODE_DIGITS + 1, "%0*llu", RA_EMAIL_CODE_DIGITS,
	         (unsigned long long)(v % 100000000ULL));
	secure_wipe(r, sizeof(r));
	secure_wipe(&v, sizeof(v));
	return 0;
}

int
ra_email_verify_request(int64_t *expires_at, struct store *st, const struct ra_actor *who,
                        const char *nik, const char *email_in)
{
	struct verify_req w;
	struct ra_person p;
	char email[MAIL_ADDR_MAX + 1];
	int rc;

	*expires_at = 0;
	memset(&w, 0, sizeof(w));
	if ((rc = subject_check(&p, email, st, who, nik, email_in, 0)) < 0)
		return rc;
	if ((rc = ra_code_new(w.code)) < 0)
		return rc;
	w.who = who;
	w.nik = p.nik;
	w.email = email;
	w.name = p.name;
	rc = store_atomic(st, request_fn, &w);
	secure_wipe(w.code, sizeof(w.code));
	if (rc == 0)
		*expires_at = w.expires_at;
	return rc;
}

struct confirm_req {
	const struct ra_actor *who;
	const char *nik;
	const char *email;
	const char *code;
	int refused; /* the reason the confirmation failed, after the commit */
};

enum { OK = 0, NO_CODE, EXPIRED, SPENT, WRONG };

static int
confirm_fn(struct store *st, void *arg)
{
	struct confirm_req *w = arg;
	struct db_stmt *s = NULL;
	char want[65], got[65], obj[64];
	const char *stored;
	int64_t expires = 0, attempts = 0, n;
	int rc, have = 0;

	w->refused = OK;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT code_hash, expires_at, attempts FROM "
	                     "email_verifications WHERE nik = ? AND email = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->nik)) == 0 &&
	    (rc = db_bind_text(s, 2, w->email)) == 0 && (rc = db_step(s)) == 1) {
		stored = db_col_text(s, 0);
		if (stored != NULL && str_copy(want, sizeof(want), stored) == 0)
			have = 1;
		expires = db_col_int(s, 1);
		attempts = db_col_int(s, 2);
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	if (!have) {
		w->refused = NO_CODE;
		return 0;
	}
	if (time_now() >= expires) {
		w->refused = EXPIRED;
	} else if (attempts >= RA_EMAIL_CODE_TRIES) {
		w->refused = SPENT;
	} else {
		ra_code_hash(got, w->nik, w->email, w->code);
		if (!ct_equal(got, want, 64))
			w->refused = WRONG;
	}
	if (w->refused != OK) {
		/* Counted and audited; this commits although the caller fails. */
		if ((n = db_run(store_db(st),
		                "UPDATE email_verifications SET attempts = attempts + 1 "
		                "WHERE nik = ? AND email = ?",
		                "ss", w->nik, w->email)) < 0)
			return (int)n;
		return audit_append(st, w->who->label, "email.verify-fail", obj,
		                    w->email);
	}
	if ((n = db_run(
	         store_db(st),
	         "UPDATE email_verifications SET code_hash = NULL, verified_at = ? "
	         "WHERE nik = ? AND email = ?",
	         "iss", time_now(), w->nik, w->email)) < 0)
		return (int)n;
	return audit_append(st, w->who->label, "email.verify-confirm", obj, w->email);
}

int
ra_email_verify_confirm(struct store *st, const struct ra_actor *who, const char *nik,
                        const char *email_in, const char *code)
{
	struct confirm_req w;
	struct ra_person p;
	char email[MAIL_ADDR_MAX + 1];
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = subject_check(&p, email, st, who, nik, email_in, 1)) < 0)
		return rc;
	if (code == NULL || strlen(code) != RA_EMAIL_CODE_DIGITS ||
	    strspn(code, "0123456789") != RA_EMAIL_CODE_DIGITS)
		return sertel_err(SERTEL_EINVAL, "code: the %d digits mailed to %s",
		                  RA_EMAIL_CODE_DIGITS, email);
	w.who = who;
	w.nik = p.nik;
	w.email = email;
	w.code = code;
	if ((rc = store_atomic(st, confirm_fn, &w)) < 0)
		return rc;
	switch (w.refused) {
	case NO_CODE:
		return sertel_err(SERTEL_ESTATE,
		                  "e-mail %s: no code pending (request one; a code is "
		                  "used once)",
		                  email);
	case EXPIRED:
		return sertel_err(SERTEL_EPERM,
		                  "e-mail %s: the code has expired (valid %d minutes); "
		                  "request a new one",
		                  email, RA_EMAIL_CODE_TTL / 60);
	case SPENT:
		return sertel_err(
		    SERTEL_EPERM,
		    "e-mail %s: too many wrong codes (%d); request a new one", email,
		    RA_EMAIL_CODE_TRIES);
	case WRONG: return sertel_err(SERTEL_EPERM, "e-mail %s: wrong code", email);
	}
	return 0;
}

int
ra_email_verified(struct store *st, const char *nik, const char *email_in)
{
	struct db_stmt *s = NULL;
	char email[MAIL_ADDR_MAX + 1];
	int rc;

	if ((rc = email_norm(email, email_in)) < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT 1 FROM email_verifications WHERE nik = ? AND "
	                     "email = ? AND verified_at IS NOT NULL")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) == 0 && (rc = db_bind_text(s, 2, email)) == 0)
		rc = db_step(s);
	db_finalize(s);
	return rc;
}
