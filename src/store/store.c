/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The records sertel keeps, written once over the engine-neutral db_*
 * layer.  Functions that change more than one row expect the caller to
 * hold a transaction (store_begin) so a failure leaves nothing behind.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db_int.h"

struct store {
	struct db *db;
	unsigned char master[SECRET_LEN];
	unsigned char blob_key[32];
	int has_key;
	struct store_batch *batch;
	/* Derived keys, by label: HKDF once per connection, not per use. */
	struct {
		char label[48];
		unsigned char key[32];
	} keys[4];
	int nkeys;
};

int
store_open(struct store **out, const char *url, const unsigned char *master)
{
	struct store *st;
	int rc, version;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "store: out of memory");
	if ((rc = db_open(&st->db, url)) < 0)
		goto fail;
	if ((rc = db_migrate(st->db, &version)) < 0)
		goto fail;
	if (master != NULL) {
		if ((rc = secret_derive(st->blob_key, sizeof(st->blob_key), master,
		                        "sertel blob encryption v1")) < 0)
			goto fail;
		memcpy(st->master, master, SECRET_LEN);
		st->has_key = 1;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	db_close(st->db);
	secure_wipe(st->blob_key, sizeof(st->blob_key));
	secure_wipe(st->master, sizeof(st->master));
	secure_wipe(st->keys, sizeof(st->keys));
	free(st);
}

struct db *
store_db(struct store *st)
{
	return st->db;
}

int
store_begin(struct store *st)
{
	return db_begin(st->db);
}

int
store_commit(struct store *st)
{
	return db_commit(st->db);
}

int
store_rollback(struct store *st)
{
	return db_rollback(st->db);
}

int
store_derive_key(struct store *st, const char *label, unsigned char *out, size_t len)
{
	int i, rc;

	if (!st->has_key)
		return sertel_err(SERTEL_ECRYPTO, "store opened without master secret");
	if (len == 32) {
		for (i = 0; i < st->nkeys; i++) {
			if (strcmp(st->keys[i].label, label) == 0) {
				memcpy(out, st->keys[i].key, 32);
				return 0;
			}
		}
	}
	if ((rc = secret_derive(out, len, st->master, label)) < 0)
		return rc;
	if (len == 32 && st->nkeys < 4 && strlen(label) < sizeof(st->keys[0].label)) {
		str_copy(st->keys[st->nkeys].label, sizeof(st->keys[0].label), label);
		memcpy(st->keys[st->nkeys].key, out, 32);
		st->nkeys++;
	}
	return 0;
}

void
store_set_batch(struct store *st, struct store_batch *b)
{
	st->batch = b;
}

int
store_atomic(struct store *st, store_fn fn, void *arg)
{
	int rc;

	if (st->batch != NULL)
		return store_batch_submit(st->batch, fn, arg);
	if ((rc = db_begin(st->db)) < 0)
		return rc;
	if ((rc = fn(st, arg)) < 0) {
		db_rollback(st->db);
		return rc;
	}
	return db_commit(st->db);
}

/* Blob layer needs the derived key; it lives in blob.c. */
const unsigned char *store_blob_key(struct store *st);
const unsigned char *
store_blob_key(struct store *st)
{
	return st->has_key ? st->blob_key : NULL;
}

static void
copy_col(char *dst, size_t dstsz, struct db_stmt *s, int col)
{
	const char *v = db_col_text(s, col);

	/* Stored values were bounded on the way in; truncation cannot occur
	 * unless the database was edited by hand. */
	str_copy(dst, dstsz, v ? v : "");
}

static int
dup_blob(unsigned char **out, size_t *outlen, struct db_stmt *s, int col)
{
	const unsigned char *p;
	size_t n;

	p = db_col_blob(s, col, &n);
	*out = malloc(n ? n : 1);
	if (*out == NULL)
		return sertel_err(SERTEL_ENOMEM, "store: out of memory");
	if (n)
		memcpy(*out, p, n);
	*outlen = n;
	return 0;
}

/* ---- meta -------------------------------------------------------------- */
int
store_meta_set(struct store *st, const char *key, const char *value)
{
	int64_t n;

	n = db_run(st->db, "UPDATE meta SET value = ? WHERE key = ?", "ss", value, key);
	if (n < 0)
		return (int)n;
	if (n == 0)
		n = db_run(st->db, "INSERT INTO meta (key, value) VALUES (?, ?)", "ss",
		           key, value);
	return n < 0 ? (int)n : 0;
}

int
store_meta_get(struct store *st, const char *key, char **out)
{
	struct db_stmt *s = NULL;
	int rc;

	*out = NULL;
	if ((rc = db_prepare(&s, st->db, "SELECT value FROM meta WHERE key = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, key)) == 0 && (rc = db_step(s)) == 1) {
		if ((*out = strdup(db_col_text(s, 0))) == NULL)
			rc = sertel_err(SERTEL_ENOMEM, "store: out of memory");
		else
			rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "meta '%s': not set", key);
	}
	db_finalize(s);
	return rc;
}

/* ---- issuers ----------------------------------------------------------- */
void
issuer_rec_free(struct issuer_rec *r)
{
	if (r == NULL)
		return;
	free(r->cert_der);
	if (r->key_pem != NULL) {
		secure_wipe(r->key_pem, strlen(r->key_pem));
		free(r->key_pem);
	}
	r->cert_der = NULL;
	r->key_pem = NULL;
}

int
store_issuer_put(struct store *st, const struct issuer_rec *r)
{
	int64_t n;

	n = db_run(st->db,
	           "INSERT INTO issuers (id, role, parent_id, name, cert_der, "
	           "key_pem, created_at, crl_number, active) VALUES "
	           "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
	           "ssssbsiii", r->id, r->role, r->parent_id[0] ? r->parent_id : NULL,
	           r->name, (const void *)r->cert_der, r->cert_len, r->key_pem,
	           r->created_at, r->crl_number, (int64_t)r->active);
	if (n == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "issuer %s: already stored", r->id);
	return n < 0 ? (int)n : 0;
}

#define ISSUER_COLS                                                                      \
	"id, role, parent_id, name, cert_der, key_pem, created_at, crl_number, active"

static int
issuer_fetch(struct store *st, const char *sql, const char *arg, struct issuer_rec *out)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, st->db, sql)) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, arg)) < 0)
		goto out;
	if ((rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "issuer %s: not found", arg);
		goto out;
	}
	copy_col(out->id, sizeof(out->id), s, 0);
	copy_col(out->role, sizeof(out->role), s, 1);
	copy_col(out->parent_id, sizeof(out->parent_id), s, 2);
	copy_col(out->name, sizeof(out->name), s, 3);
	if ((rc = dup_blob(&out->cert_der, &out->cert_len, s, 4)) < 0)
		goto out;
	if ((out->key_pem = strdup(db_col_text(s, 5))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "store: out of memory");
		goto out;
	}
	out->created_at = db_col_int(s, 6);
	out->crl_number = db_col_int(s, 7);
	out->active = (int)db_col_int(s, 8);
	rc = 0;
out:
	db_finalize(s);
	if (rc < 0)
		issuer_rec_free(out);
	return rc;
}

int
store_issuer_get(struct store *st, const char *id, struct issuer_rec *out)
{
	return issuer_fetch(st, "SELECT " ISSUER_COLS " FROM issuers WHERE id = ?", id,
	                    out);
}

int
store_issuer_by_role(struct store *st, const char *role, struct issuer_rec *out)
{
	return issuer_fetch(st,
	                    "SELECT " ISSUER_COLS " FROM issuers WHERE role = ? "
	                    "AND active = 1 ORDER BY created_at DESC, id LIMIT 1",
	                    role, out);
}

int
store_issuer_next_crl_number(struct store *st, const char *id, int64_t *out)
{
	struct db_stmt *s = NULL;
	int64_t n;
	int rc;

	if (!db_in_tx(st->db))
		return sertel_err(SERTEL_ESTORE, "CRL number: needs a transaction");
	n = db_run(st->db,
	           "UPDATE issuers SET crl_number = crl_number + 1 "
	           "WHERE id = ?",
	           "s", id);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND, "issuer %s: not found", id);
	if ((rc = db_prepare(&s, st->db, "SELECT crl_number FROM issuers WHERE id = ?")) <
	    0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 && (rc = db_step(s)) == 1) {
		*out = db_col_int(s, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "issuer %s: not found", id);
	}
	db_finalize(s);
	return rc;
}

/* ---- certificates ------------------------------------------------------ */
void
cert_rec_free(struct cert_rec *r)
{
	if (r == NULL)
		return;
	free(r->der);
	r->der = NULL;
}

enum cert_status
cert_rec_status(const struct cert_rec *r, int64_t now)
{
	if (r->revoked)
		return CERT_REVOKED;
	if (now > r->not_after)
		return CERT_EXPIRED;
	return CERT_VALID;
}

const char *
cert_status_name(enum cert_status s)
{
	switch (s) {
	case CERT_VALID: return "valid";
	case CERT_REVOKED: return "revoked";
	case CERT_EXPIRED: return "expired";
	}
	return "unknown";
}

int
store_cert_put(struct store *st, const struct cert_rec *r)
{
	int64_t n;

	/* serials_used first: its primary key is what makes a serial unique
	 * forever, across issuers and after any deletion. */
	n = db_run(st->db, "INSERT INTO serials_used (serial) VALUES (?)", "s",
	           r->serial);
	if (n == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "serial %s: already used", r->serial);
	if (n < 0)
		return (int)n;
	n = db_run(st->db,
	           "INSERT INTO certs (serial, issuer_id, type, usages, subject, "
	           "email, sans, nik, not_before, not_after, revoked, created_at, "
	           "der) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
	           "ssssssssiiib", r->serial, r->issuer_id, r->type, r->usages,
	           r->subject, r->email[0] ? r->email : NULL, r->sans[0] ? r->sans : NULL,
	           r->nik[0] ? r->nik : NULL, r->not_before, r->not_after, r->created_at,
	           (const void *)r->der, r->der_len);
	if (n == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "serial %s: already used", r->serial);
	return n < 0 ? (int)n : 0;
}

#define CERT_COLS                                                                        \
	"serial, issuer_id, type, usages, subject, email, sans, nik, "                   \
	"not_before, not_after, revoked, revoked_at, reason, created_at, der"

static int
cert_row(struct cert_rec *out, struct db_stmt *s, int with_der)
{
	memset(out, 0, sizeof(*out));
	copy_col(out->serial, sizeof(out->serial), s, 0);
	copy_col(out->issuer_id, sizeof(out->issuer_id), s, 1);
	copy_col(out->type, sizeof(out->type), s, 2);
	copy_col(out->usages, sizeof(out->usages), s, 3);
	copy_col(out->subject, sizeof(out->subject), s, 4);
	copy_col(out->email, sizeof(out->email), s, 5);
	copy_col(out->sans, sizeof(out->sans), s, 6);
	copy_col(out->nik, sizeof(out->nik), s, 7);
	out->not_before = db_col_int(s, 8);
	out->not_after = db_col_int(s, 9);
	out->revoked = (int)db_col_int(s, 10);
	out->revoked_at = db_col_null(s, 11) ? 0 : db_col_int(s, 11);
	out->reason = db_col_null(s, 12) ? -1 : (int)db_col_int(s, 12);
	out->created_at = db_col_int(s, 13);
	if (with_der)
		return dup_blob(&out->der, &out->der_len, s, 14);
	return 0;
}

int
store_cert_get(struct store *st, const char *serial, struct cert_rec *out)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, st->db,
	                     "SELECT " CERT_COLS " FROM certs WHERE serial = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, serial)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "certificate %s: not found", serial);
		goto out;
	}
	rc = cert_row(out, s, 1);
out:
	db_finalize(s);
	return rc;
}

int
store_serial_exists(struct store *st, const char *serial)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, st->db, "SELECT 1 FROM serials_used WHERE serial = ?")) <
	    0)
		return rc;
	if ((rc = db_bind_text(s, 1, serial)) == 0)
		rc = db_step(s);
	db_finalize(s);
	return rc;
}

int
store_cert_revoke(struct store *st, const char *serial, int64_t when, int reason)
{
	int64_t n;
	int rc;

	/* The WHERE clause makes revocation one-way: a revoked row never
	 * changes again. */
	n = db_run(st->db,
	           "UPDATE certs SET revoked = 1, revoked_at = ?, reason = ? "
	           "WHERE serial = ? AND revoked = 0",
	           "iis", when, (int64_t)reason, serial);
	if (n < 0)
		return (int)n;
	if (n == 1)
		return 0;
	rc = store_serial_exists(st, serial);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "certificate %s: not found", serial);
	return sertel_err(SERTEL_ESTATE, "certificate %s: already revoked", serial);
}

int64_t
store_cert_count(struct store *st)
{
	struct db_stmt *s = NULL;
	int64_t n;
	int rc;

	if ((rc = db_prepare(&s, st->db, "SELECT COUNT(*) FROM certs")) < 0)
		return rc;
	rc = db_step(s);
	n = rc == 1 ? db_col_int(s, 0) : (rc < 0 ? rc : 0);
	db_finalize(s);
	return n;
}

int
store_cert_iter(struct store *st, int status, int64_t now, cert_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct cert_rec r;
	const char *sql;
	int rc;

	switch (status) {
	case CERT_VALID:
		sql = "SELECT " CERT_COLS " FROM certs WHERE revoked = 0 AND "
		      "not_after >= ? ORDER BY created_at, serial";
		break;
	case CERT_REVOKED:
		sql = "SELECT " CERT_COLS " FROM certs WHERE revoked = 1 AND "
		      "? = ? ORDER BY created_at, serial";
		break;
	case CERT_EXPIRED:
		sql = "SELECT " CERT_COLS " FROM certs WHERE revoked = 0 AND "
		      "not_after < ? ORDER BY created_at, serial";
		break;
	default:
		sql = "SELECT " CERT_COLS " FROM certs WHERE ? = ? "
		      "ORDER BY created_at, serial";
		break;
	}
	if ((rc = db_prepare(&s, st->db, sql)) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, now)) < 0)
		goto out;
	if ((status == CERT_REVOKED || status < 0) && (rc = db_bind_int(s, 2, now)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		if ((rc = cert_row(&r, s, 1)) < 0)
			goto out;
		rc = cb(&r, arg);
		cert_rec_free(&r);
		if (rc != 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc;
}

int
store_cert_iter_nik(struct store *st, const char *nik, cert_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct cert_rec r;
	int rc;

	if ((rc = db_prepare(&s, st->db,
	                     "SELECT " CERT_COLS " FROM certs WHERE nik = ? "
	                     "ORDER BY created_at DESC, serial")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		if ((rc = cert_row(&r, s, 1)) < 0)
			goto out;
		rc = cb(&r, arg);
		cert_rec_free(&r);
		if (rc != 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc;
}

int
store_revoked_iter(struct store *st, const char *issuer_id, revoked_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, st->db,
	                     "SELECT serial, revoked_at, reason FROM certs WHERE "
	                     "issuer_id = ? AND revoked = 1 ORDER BY serial")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, issuer_id)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		if ((rc = cb(db_col_text(s, 0), db_col_int(s, 1), (int)db_col_int(s, 2),
		             arg)) != 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc;
}

int
store_cert_lock(struct store *st, const char *serial)
{
	int64_t n = db_run(st->db, "UPDATE certs SET revoked = revoked WHERE serial = ?",
	                   "s", serial);

	return n < 0 ? (int)n : 0;
}

int
store_cert_status(struct store *st, const char *serial, char issuer_id[ISSUER_ID_LEN + 1],
                  int *revoked, int64_t *revoked_at, int *reason)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, st->db,
	                     "SELECT issuer_id, revoked, revoked_at, reason "
	                     "FROM certs WHERE serial = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, serial)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = SERTEL_ENOTFOUND;
		goto out;
	}
	copy_col(issuer_id, ISSUER_ID_LEN + 1, s, 0);
	*revoked = (int)db_col_int(s, 1);
	*revoked_at = db_col_null(s, 2) ? 0 : db_col_int(s, 2);
	*reason = db_col_null(s, 3) ? -1 : (int)db_col_int(s, 3);
	rc = 0;
out:
	db_finalize(s);
	return rc;
}

/* ---- OCSP cache -------------------------------------------------------- */
int
store_ocsp_get(struct store *st, const char *issuer_id, const char *serial,
               const char *certid_md, int64_t now, int64_t min_left, unsigned char **der,
               size_t *len, int64_t *this_update, int64_t *next_update)
{
	struct db_stmt *s = NULL;
	int rc;

	*der = NULL;
	*len = 0;
	if ((rc = db_prepare(&s, st->db,
	                     "SELECT der, this_update, next_update FROM ocsp_cache "
	                     "WHERE issuer_id = ? AND serial = ? AND certid_md = ? "
	                     "AND next_update > ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, issuer_id)) < 0 ||
	    (rc = db_bind_text(s, 2, serial)) < 0 ||
	    (rc = db_bind_text(s, 3, certid_md)) < 0 ||
	    (rc = db_bind_int(s, 4, now + min_left)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = SERTEL_ENOTFOUND;
		goto out;
	}
	*this_update = db_col_int(s, 1);
	*next_update = db_col_int(s, 2);
	rc = dup_blob(der, len, s, 0);
out:
	db_finalize(s);
	return rc;
}

int
store_ocsp_put(struct store *st, const char *issuer_id, const char *serial,
               const char *certid_md, int64_t this_update, int64_t next_update,
               const unsigned char *der, size_t len)
{
	int64_t n;

	/* Upsert in SQL both engines speak (SQLite 3.24+, PostgreSQL 9.5+). */
	n = db_run(st->db,
	           "INSERT INTO ocsp_cache (issuer_id, serial, certid_md, this_update, "
	           "next_update, der) VALUES (?, ?, ?, ?, ?, ?) "
	           "ON CONFLICT (issuer_id, serial, certid_md) DO UPDATE SET "
	           "this_update = excluded.this_update, "
	           "next_update = excluded.next_update, der = excluded.der",
	           "sssiib", issuer_id, serial, certid_md, this_update, next_update,
	           (const void *)der, len);
	return n < 0 ? (int)n : 0;
}

int
store_ocsp_drop(struct store *st, const char *issuer_id, const char *serial)
{
	int64_t n;

	n = db_run(st->db, "DELETE FROM ocsp_cache WHERE issuer_id = ? AND serial = ?",
	           "ss", issuer_id, serial);
	return n < 0 ? (int)n : 0;
}

/* ---- CRLs -------------------------------------------------------------- */
int
store_crl_put(struct store *st, const char *issuer_id, int64_t number,
              int64_t this_update, int64_t next_update, const unsigned char *der,
              size_t len)
{
	int64_t n;

	n = db_run(st->db,
	           "INSERT INTO crls (issuer_id, number, this_update, "
	           "next_update, der) VALUES (?, ?, ?, ?, ?)",
	           "siiib", issuer_id, number, this_update, next_update,
	           (const void *)der, len);
	return n < 0 ? (int)n : 0;
}

int
store_crl_prune(struct store *st, const char *issuer_id, int64_t keep_from)
{
	int64_t n;

	n = db_run(st->db, "DELETE FROM crls WHERE issuer_id = ? AND number < ?", "si",
	           issuer_id, keep_from);
	return n < 0 ? (int)n : 0;
}

int
store_crl_latest(struct store *st, const char *issuer_id, unsigned char **der,
                 size_t *len, int64_t *next_update)
{
	struct db_stmt *s = NULL;
	int rc;

	*der = NULL;
	*len = 0;
	if ((rc = db_prepare(&s, st->db,
	                     "SELECT der, next_update FROM crls WHERE issuer_id = ? "
	                     "ORDER BY number DESC LIMIT 1")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, issuer_id)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND, "issuer %s: no CRL yet", issuer_id);
		goto out;
	}
	if (next_update != NULL)
		*next_update = db_col_int(s, 1);
	rc = dup_blob(der, len, s, 0);
out:
	db_finalize(s);
	return rc;
}

/* ---- tokens ------------------------------------------------------------ */
int
store_token_put(struct store *st, const char *id, const char *name, const char *role,
                const char *hash_hex)
{
	return store_token_put_nik(st, id, name, role, NULL, hash_hex, 0);
}

int
store_token_put_nik(struct store *st, const char *id, const char *name, const char *role,
                    const char *person_nik, const char *hash_hex, int64_t expires_at)
{
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = db_prepare(&s, st->db,
	                     "INSERT INTO tokens (id, name, role, hash, created_at, "
	                     "person_nik, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, id)) == 0 && (rc = db_bind_text(s, 2, name)) == 0 &&
	    (rc = db_bind_text(s, 3, role)) == 0 &&
	    (rc = db_bind_text(s, 4, hash_hex)) == 0 &&
	    (rc = db_bind_int(s, 5, time_now())) == 0 &&
	    (rc = db_bind_text(s, 6, person_nik)) == 0) {
		rc = expires_at > 0 ? db_bind_int(s, 7, expires_at)
		                    : db_bind_text(s, 7, NULL);
		if (rc == 0)
			rc = db_step(s);
	}
	db_finalize(s);
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "token '%s': name already used", name);
	return rc < 0 ? rc : 0;
}

#define TOKEN_COLS                                                                       \
	"id, name, role, person_nik, created_at, expires_at, last_used_at, revoked, "    \
	"revoked_at, revoked_reason"

static void
token_from_row(struct token_rec *t, struct db_stmt *s)
{
	const char *v;

	memset(t, 0, sizeof(*t));
	str_copy(t->id, sizeof(t->id), db_col_text(s, 0));
	str_copy(t->name, sizeof(t->name), db_col_text(s, 1));
	str_copy(t->role, sizeof(t->role), db_col_text(s, 2));
	if ((v = db_col_text(s, 3)) != NULL)
		str_copy(t->nik, sizeof(t->nik), v);
	t->created_at = db_col_int(s, 4);
	t->expires_at = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
	t->last_used_at = db_col_null(s, 6) ? 0 : db_col_int(s, 6);
	t->revoked = db_col_int(s, 7) != 0;
	t->revoked_at = db_col_null(s, 8) ? 0 : db_col_int(s, 8);
	if ((v = db_col_text(s, 9)) != NULL)
		str_copy(t->revoked_reason, sizeof(t->revoked_reason), v);
}

int
store_token_get(struct token_rec *out, struct store *st, const char *hash_hex)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = db_prepare(&s, st->db,
	                     "SELECT " TOKEN_COLS " FROM tokens WHERE hash = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, hash_hex)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = sertel_err(SERTEL_EAUTH, "token: unknown");
		goto out;
	}
	token_from_row(out, s);
	rc = 0;
out:
	db_finalize(s);
	return rc;
}

int
store_token_usable(const struct token_rec *t, int64_t now)
{
	char when[32];

	if (t->revoked) {
		time_fmt(when, t->revoked_at);
		return sertel_err(SERTEL_EAUTH, "token %s: revoked%s%s", t->name,
		                  t->revoked_at ? " at " : "", t->revoked_at ? when : "");
	}
	if (t->expires_at > 0 && now >= t->expires_at) {
		time_fmt(when, t->expires_at);
		return sertel_err(SERTEL_EAUTH,
		                  "token %s: expired at %s; the administrator makes a "
		                  "new one (sertel token create)",
		                  t->name, when);
	}
	return 0;
}

int
store_token_find(struct store *st, const char *hash_hex, char **name, char **role)
{
	char *nik = NULL;
	int rc;

	rc = store_token_find_nik(st, hash_hex, name, role, &nik);
	free(nik);
	return rc;
}

int
store_token_find_nik(struct store *st, const char *hash_hex, char **name, char **role,
                     char **person_nik)
{
	struct token_rec t;
	int rc;

	*name = *role = *person_nik = NULL;
	if ((rc = store_token_get(&t, st, hash_hex)) < 0 ||
	    (rc = store_token_usable(&t, time_now())) < 0)
		return rc;
	*name = strdup(t.name);
	*role = strdup(t.role);
	if (t.nik[0] != '\0')
		*person_nik = strdup(t.nik);
	if (*name == NULL || *role == NULL || (t.nik[0] != '\0' && *person_nik == NULL)) {
		free(*name);
		free(*role);
		free(*person_nik);
		*name = *role = *person_nik = NULL;
		return sertel_err(SERTEL_ENOMEM, "store: out of memory");
	}
	return 0;
}

int
store_token_iter(struct store *st, store_token_fn fn, void *arg)
{
	struct db_stmt *s = NULL;
	struct token_rec t;
	int rc;

	if ((rc = db_prepare(&s, st->db,
	                     "SELECT " TOKEN_COLS " FROM tokens ORDER BY name")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		token_from_row(&t, s);
		if ((rc = fn(&t, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
store_token_revoke(char id_out[17], struct store *st, const char *name,
                   const char *reason, int64_t now)
{
	struct db_stmt *s = NULL;
	int64_t n;
	int rc, found = 0, revoked = 0;

	id_out[0] = '\0';
	if ((rc = db_prepare(&s, st->db,
	                     "SELECT id, revoked FROM tokens WHERE name = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, name)) == 0 && (rc = db_step(s)) == 1) {
		found = 1;
		str_copy(id_out, 17, db_col_text(s, 0));
		revoked = db_col_int(s, 1) != 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (!found)
		return sertel_err(SERTEL_ENOTFOUND, "token '%s': no such token", name);
	if (revoked)
		return sertel_err(SERTEL_ESTATE, "token '%s': already revoked", name);

	/* One-way, as certificates: WHERE revoked = 0. */
	n = db_run(st->db,
	           "UPDATE tokens SET revoked = 1, revoked_at = ?, revoked_reason = ? "
	           "WHERE name = ? AND revoked = 0",
	           "iss", now, reason, name);
	if (n < 0)
		return (int)n;
	return n == 1 ? 0
	              : sertel_err(SERTEL_ESTATE, "token '%s': already revoked", name);
}

struct last_use {
	const char *sql;
	const char *id;
	int64_t now;
};

static int
last_use_fn(struct store *st, void *arg)
{
	struct last_use *w = arg;
	int64_t n;

	/* Conditional: of many requests in the same minute, one writes. */
	n = db_run(st->db, w->sql, "isi", w->now, w->id, w->now - 60);
	return n < 0 ? (int)n : 0;
}

int
store_last_use(struct store *st, const char *table, const char *id, int64_t last_used_at,
               int64_t now)
{
	struct last_use w = {NULL, id, now};

	if (last_used_at > now - 60)
		return 0;
	if (strcmp(table, "tokens") == 0)
		w.sql = "UPDATE tokens SET last_used_at = ? WHERE id = ? AND "
		        "(last_used_at IS NULL OR last_used_at <= ?)";
	else if (strcmp(table, "esign_clients") == 0)
		w.sql = "UPDATE esign_clients SET last_used_at = ? WHERE id = ? AND "
		        "(last_used_at IS NULL OR last_used_at <= ?)";
	else
		return sertel_err(SERTEL_EINVAL, "store_last_use: unknown table %s",
		                  table);
	return store_atomic(st, last_use_fn, &w);
}
