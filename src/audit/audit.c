/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit hash chain.  See audit.h for the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "audit/audit.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Length-prefixed fields, so "ab"+"c" and "a"+"bc" hash differently. */
static int
audit_hash(char out[65], const struct audit_entry *e)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char md[32];
	const char *f[5] = {e->actor, e->action, e->object, e->reason, e->prev_hash};
	char num[48];
	unsigned int n = 0;
	int i, ok;

	/* The chain is only as good as this hash: any EVP failure is an error
	 * the caller sees, never an entry with a hash of garbage. */
	snprintf(num, sizeof(num), "%lld:%lld:", (long long)e->seq, (long long)e->ts_us);
	ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(c, num, strlen(num)) == 1;
	for (i = 0; ok && i < 5; i++) {
		snprintf(num, sizeof(num), "%zu:", strlen(f[i]));
		ok = EVP_DigestUpdate(c, num, strlen(num)) == 1 &&
		     EVP_DigestUpdate(c, f[i], strlen(f[i])) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(c, md, &n) == 1 && n == sizeof(md);
	EVP_MD_CTX_free(c);
	if (!ok) {
		out[0] = '\0';
		return sertel_err_ossl(SERTEL_ECRYPTO,
		                       "audit: SHA-256 of entry %lld failed",
		                       (long long)e->seq);
	}
	hex_encode(out, md, 32);
	return 0;
}

static int
head_mac(char out[65], struct store *st, int64_t seq, const char *hash)
{
	unsigned char key[32], md[32];
	char msg[128];
	unsigned int n = 0;
	int rc;

	if ((rc = store_derive_key(st, "sertel audit head v1", key, sizeof(key))) < 0)
		return rc;
	snprintf(msg, sizeof(msg), "%lld:%s", (long long)seq, hash);
	if (HMAC(EVP_sha256(), key, sizeof(key), (unsigned char *)msg, strlen(msg), md,
	         &n) == NULL) {
		secure_wipe(key, sizeof(key));
		return sertel_err_ossl(SERTEL_ECRYPTO, "audit: HMAC failed");
	}
	secure_wipe(key, sizeof(key));
	hex_encode(out, md, 32);
	return 0;
}

int
audit_append(struct store *st, const char *actor, const char *action, const char *object,
             const char *reason)
{
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	struct audit_entry e;
	char prev[65], hash[65], mac[65];
	int64_t seq = 0;
	int rc, have_head = 0;

	if (!db_in_tx(db))
		return sertel_err(SERTEL_ESTORE, "audit: append outside a transaction");
	/* Touch the head first: on PostgreSQL the row lock serialises
	 * concurrent appenders from here to commit.  (SQLite writers are
	 * serialised by BEGIN IMMEDIATE already.) */
	if (db_engine_of(db) == DB_PG) {
		if ((rc = db_prepare(
		         &s, db, "UPDATE audit_head SET seq = seq WHERE id = 1")) < 0 ||
		    (rc = db_step(s)) < 0)
			goto out;
		db_finalize(s);
		s = NULL;
	}
	if ((rc = db_prepare(&s, db, "SELECT seq, hash FROM audit_head WHERE id = 1")) <
	    0)
		goto out;
	if ((rc = db_step(s)) < 0)
		goto out;
	if (rc == 1) {
		seq = db_col_int(s, 0);
		str_copy(prev, sizeof(prev), db_col_text(s, 1));
		have_head = 1;
	} else {
		str_copy(prev, sizeof(prev), GENESIS_HASH);
	}
	db_finalize(s);
	s = NULL;

	memset(&e, 0, sizeof(e));
	e.seq = seq + 1;
	e.ts_us = time_now_us();
	e.actor = actor;
	e.action = action;
	e.object = object ? object : "";
	e.reason = reason ? reason : "";
	e.prev_hash = prev;
	if ((rc = audit_hash(hash, &e)) < 0)
		goto out;
	if ((rc = db_prepare(&s, db,
	                     "INSERT INTO audit (seq, ts, actor, action, "
	                     "object, reason, prev_hash, hash) VALUES "
	                     "(?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (rc = db_bind_int(s, 1, e.seq)) < 0 ||
	    (rc = db_bind_int(s, 2, e.ts_us)) < 0 ||
	    (rc = db_bind_text(s, 3, e.actor)) < 0 ||
	    (rc = db_bind_text(s, 4, e.action)) < 0 ||
	    (rc = db_bind_text(s, 5, e.object)) < 0 ||
	    (rc = db_bind_text(s, 6, e.reason)) < 0 ||
	    (rc = db_bind_text(s, 7, e.prev_hash)) < 0 ||
	    (rc = db_bind_text(s, 8, hash)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	db_finalize(s);
	s = NULL;
	if ((rc = head_mac(mac, st, e.seq, hash)) < 0)
		goto out;
	if ((rc = db_prepare(
	         &s, db,
	         have_head
	             ? "UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1"
	             : "INSERT INTO audit_head (seq, hash, mac, id) VALUES (?, ?, ?, "
	               "1)")) < 0 ||
	    (rc = db_bind_int(s, 1, e.seq)) < 0 || (rc = db_bind_text(s, 2, hash)) < 0 ||
	    (rc = db_bind_text(s, 3, mac)) < 0 || (rc = db_step(s)) < 0)
		goto out;
	rc = 0;
out:
	db_finalize(s);
	return rc;
}

/* The entry in the current row of a SELECT seq, ts, actor, action, object,
 * reason, prev_hash, hash (borrowed from the statement). */
static void
entry_read(struct audit_entry *e, struct db_stmt *s)
{
	e->seq = db_col_int(s, 0);
	e->ts_us = db_col_int(s, 1);
	e->actor = db_col_text(s, 2);
	e->action = db_col_text(s, 3);
	e->object = db_col_text(s, 4);
	e->reason = db_col_text(s, 5);
	e->prev_hash = db_col_text(s, 6);
	e->hash = db_col_text(s, 7);
}

int
audit_verify(struct store *st, int64_t *bad_seq, int64_t *count)
{
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	struct audit_entry e;
	char prev[65], hash[65], mac[65], head_hash[65] = "", head_mac_s[65] = "";
	int64_t expect = 1, head_seq = 0;
	int rc, have_head = 0;

	*bad_seq = 0;
	*count = 0;
	if ((rc = db_prepare(&s, db,
	                     "SELECT seq, hash, mac FROM audit_head WHERE id = 1")) < 0)
		return rc;
	if ((rc = db_step(s)) == 1) {
		head_seq = db_col_int(s, 0);
		str_copy(head_hash, sizeof(head_hash), db_col_text(s, 1));
		str_copy(head_mac_s, sizeof(head_mac_s), db_col_text(s, 2));
		have_head = 1;
	}
	db_finalize(s);
	s = NULL;
	if (rc < 0)
		return rc;

	str_copy(prev, sizeof(prev), GENESIS_HASH);
	if ((rc = db_prepare(&s, db,
	                     "SELECT seq, ts, actor, action, object, reason, "
	                     "prev_hash, hash FROM audit ORDER BY seq")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		entry_read(&e, s);
		if (!e.actor || !e.action || !e.object || !e.reason || !e.prev_hash ||
		    !e.hash) {
			*bad_seq = e.seq;
			rc = sertel_err(SERTEL_EINVALID, "audit entry %lld: NULL field",
			                (long long)e.seq);
			goto out;
		}
		if (e.seq != expect) {
			*bad_seq = expect;
			rc = sertel_err(SERTEL_EINVALID,
			                "audit entry %lld: missing (found %lld next): an "
			                "entry was deleted or renumbered",
			                (long long)expect, (long long)e.seq);
			goto out;
		}
		if (strcmp(e.prev_hash, prev) != 0) {
			*bad_seq = e.seq;
			rc =
			    sertel_err(SERTEL_EINVALID,
			               "audit entry %lld: does not follow entry %lld: an "
			               "entry was inserted, deleted or reordered",
			               (long long)e.seq, (long long)e.seq - 1);
			goto out;
		}
		if ((rc = audit_hash(hash, &e)) < 0)
			goto out;
		if (strcmp(hash, e.hash) != 0) {
			*bad_seq = e.seq;
			rc = sertel_err(SERTEL_EINVALID,
			                "audit entry %lld: content does not match its "
			                "hash: the entry was changed",
			                (long long)e.seq);
			goto out;
		}
		str_copy(prev, sizeof(prev), e.hash);
		expect++;
		(*count)++;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	/* Creating an instance writes entries, so an empty trail means the
	 * trail was wiped, not that nothing happened. */
	if (*count == 0 && !have_head) {
		*bad_seq = 1;
		rc = sertel_err(SERTEL_EINVALID,
		                "audit trail is empty: every instance records its "
		                "creation, so the entries were deleted");
		goto out;
	}
	if (!have_head || head_seq != *count || strcmp(head_hash, prev) != 0) {
		*bad_seq = *count + 1 > head_seq ? *count : head_seq;
		rc = sertel_err(SERTEL_EINVALID,
		                "audit trail: head says %lld entries, found %lld: "
		                "entries were removed from the end or added",
		                (long long)head_seq, (long long)*count);
		goto out;
	}
	if ((rc = head_mac(mac, st, head_seq, head_hash)) < 0)
		goto out;
	if (!ct_equal(mac, head_mac_s, 64)) {
		*bad_seq = head_seq;
		rc = sertel_err(SERTEL_EINVALID,
		                "audit trail: head MAC invalid: the chain was rewritten "
		                "without the master secret");
		goto out;
	}
out:
	db_finalize(s);
	return rc;
}

int
audit_iter(struct store *st, int64_t since_us, audit_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct audit_entry e;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT seq, ts, actor, action, object, reason, prev_hash, "
	                     "hash FROM audit WHERE ts >= ? ORDER BY seq")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, since_us)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		entry_read(&e, s);
		if ((rc = cb(&e, arg)) != 0)
			goto out;
	}
out:
	db_finalize(s);
	return rc;
}

int
audit_query(struct store *st, const struct audit_filter *f, audit_iter_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct audit_entry e;
	struct buf sql;
	int limit = f->limit <= 0 ? 100 : f->limit > 1000 ? 1000 : f->limit, i = 1, rc;

	/* Only fixed clauses go into the SQL; every value is a parameter.
	 * Prefixes compare substr(), so '%' and '_' in them mean themselves. */
	buf_init(&sql, 1024);
	buf_appendf(&sql,
	            "SELECT seq, ts, actor, action, object, reason, prev_hash, hash "
	            "FROM audit WHERE ts >= ?");
	if (f->until_us > 0)
		buf_appendf(&sql, " AND ts < ?");
	if (f->before_seq > 0)
		buf_appendf(&sql, " AND seq < ?");
	if (f->actor != NULL && f->actor[0] != '\0')
		buf_appendf(&sql, " AND actor = ?");
	if (f->action != NULL && f->action[0] != '\0')
		buf_appendf(
		    &sql,
		    " AND substr(action, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT)");
	if (f->object != NULL && f->object[0] != '\0')
		buf_appendf(
		    &sql,
		    " AND substr(object, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT)");
	buf_appendf(&sql, " ORDER BY seq DESC LIMIT ?");
	if ((rc = buf_cstr(&sql)) < 0 ||
	    (rc = db_prepare(&s, store_db(st), (const char *)sql.data)) < 0)
		goto out;
	if ((rc = db_bind_int(s, i++, f->since_us)) < 0 ||
	    (f->until_us > 0 && (rc = db_bind_int(s, i++, f->until_us)) < 0) ||
	    (f->before_seq > 0 && (rc = db_bind_int(s, i++, f->before_seq)) < 0) ||
	    (f->actor != NULL && f->actor[0] != '\0' &&
	     (rc = db_bind_text(s, i++, f->actor)) < 0))
		goto out;
	if (f->action != NULL && f->action[0] != '\0' &&
	    ((rc = db_bind_text(s, i++, f->action)) < 0 ||
	     (rc = db_bind_text(s, i++, f->action)) < 0))
		goto out;
	if (f->object != NULL && f->object[0] != '\0' &&
	    ((rc = db_bind_text(s, i++, f->object)) < 0 ||
	     (rc = db_bind_text(s, i++, f->object)) < 0))
		goto out;
	if ((rc = db_bind_int(s, i++, limit)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		entry_read(&e, s);
		if ((rc = cb(&e, arg)) != 0)
			goto out;
	}
out:
	db_finalize(s);
	buf_free(&sql);
	return rc;
}
