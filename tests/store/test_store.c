/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store interface, on whichever engine SERTEL_TEST_DB names (ctest
 * runs this binary once on SQLite and once on PostgreSQL).
 */
#include "fixture.h"

static struct cert_rec
sample_cert(const char *serial, const char *issuer)
{
	static unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x01};
	struct cert_rec r;

	memset(&r, 0, sizeof(r));
	snprintf(r.serial, sizeof(r.serial), "%s", serial);
	snprintf(r.issuer_id, sizeof(r.issuer_id), "%s", issuer);
	snprintf(r.type, sizeof(r.type), "individu");
	snprintf(r.usages, sizeof(r.usages), "signing");
	snprintf(r.subject, sizeof(r.subject), "CN=Test,C=ID");
	r.not_before = 1000;
	r.not_after = 4000000000LL;
	r.created_at = 1000;
	r.reason = -1;
	r.der = der;
	r.der_len = sizeof(der);
	return r;
}

static void
put_issuer(struct store *st, const char *id)
{
	struct issuer_rec r;
	unsigned char der[] = {1, 2, 3, 0, 255};

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.role, sizeof(r.role), "issuing");
	snprintf(r.name, sizeof(r.name), "Test CA");
	r.cert_der = der;
	r.cert_len = sizeof(der);
	r.key_pem = (char *)"-----BEGIN ENCRYPTED PRIVATE KEY-----x";
	r.created_at = 1;
	r.active = 1;
	assert_int_equal(store_issuer_put(st, &r), 0);
}

static void
migrations_are_versioned_and_idempotent(void **state)
{
	struct store *st = *state;
	int v1 = 0, v2 = 0;

	assert_int_equal(db_schema_version(store_db(st), &v1), 0);
	assert_true(v1 >= 2);
	/* Running again changes nothing. */
	assert_int_equal(db_migrate(store_db(st), &v2), 0);
	assert_int_equal(v1, v2);
}

/* Migrations run by their own number: one missing below the highest
 * recorded (a branch merged later) still runs.  Migration 5 is the one
 * re-applied here; it may run again (it replaces an index). */
static void
migrations_apply_by_number(void **state)
{
	struct store *st = *state;
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	int v = 0;

	assert_true(db_run(db, "DELETE FROM schema_version WHERE version = 5", "") == 1);
	assert_true(db_run(db,
	                   "INSERT INTO schema_version (version, applied_at) "
	                   "VALUES (99, 0)",
	                   "") == 1);
	assert_int_equal(db_migrate(db, &v), 0);
	assert_int_equal(v, 99);
	assert_int_equal(
	    db_prepare(&s, db, "SELECT COUNT(*) FROM schema_version WHERE version = 5"),
	    0);
	assert_int_equal(db_step(s), 1);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
}

/* The CRL's revoked list (store_revoked_iter) is read from the covering
 * partial index alone, never from the table rows (migration 5). */
static void
crl_list_is_index_only(void **state)
{
	static const char *query = "SELECT serial, revoked_at, reason FROM certs WHERE "
	                           "issuer_id = 'aa' AND revoked = 1 ORDER BY serial";
	struct store *st = *state;
	struct db *db = store_db(st);
	struct db_stmt *s = NULL;
	char sql[256];
	int pg = db_engine_of(db) == DB_PG, found = 0, rc;

	if (pg) {
		/* On an empty table the planner would rather scan it. */
		assert_int_equal(db_exec(db, "SET enable_seqscan = off;"
		                             "SET enable_bitmapscan = off"),
		                 0);
		snprintf(sql, sizeof(sql), "EXPLAIN %s", query);
	} else {
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", query);
	}
	assert_int_equal(db_prepare(&s, db, sql), 0);
	while ((rc = db_step(s)) == 1) {
		const char *line = db_col_text(s, pg ? 0 : 3);
		if (line != NULL &&
		    (strstr(line, "Index Only Scan using certs_issuer_revoked") != NULL ||
		     strstr(line, "COVERING INDEX certs_issuer_revoked") != NULL))
			found = 1;
		printf("# %s\n", line != NULL ? line : "(null)");
	}
	assert_int_equal(rc, 0);
	db_finalize(s);
	assert_true(found);
}

static void
issuer_round_trip_keeps_binary_exactly(void **state)
{
	struct store *st = *state;
	struct issuer_rec r;

	put_issuer(st, "00112233aabbccdd");
	assert_int_equal(store_issuer_get(st, "00112233aabbccdd", &r), 0);
	assert_int_equal(r.cert_len, 5);
	assert_memory_equal(r.cert_der, "\x01\x02\x03\x00\xff", 5);
	assert_string_equal(r.role, "issuing");
	issuer_rec_free(&r);
	assert_int_equal(store_issuer_by_role(st, "issuing", &r), 0);
	issuer_rec_free(&r);
	assert_int_equal(store_issuer_by_role(st, "root", &r), SERTEL_ENOTFOUND);
	assert_int_equal(store_issuer_get(st, "ffff", &r), SERTEL_ENOTFOUND);
}

static void
serials_are_unique_forever(void **state)
{
	struct store *st = *state;
	struct cert_rec r = sample_cert("01aa", "00112233aabbccdd");

	put_issuer(st, "00112233aabbccdd");
	assert_int_equal(store_cert_put(st, &r), 0);
	assert_int_equal(store_cert_put(st, &r), SERTEL_EEXISTS);
	assert_int_equal(store_cert_count(st), 1);
	/* Even after the certificate row is gone, the serial stays used. */
	fixture_sql("DELETE FROM certs WHERE serial = '01aa'");
	assert_int_equal(store_serial_exists(st, "01aa"), 1);
	assert_int_equal(store_cert_put(st, &r), SERTEL_EEXISTS);
}

static void
revocation_is_one_way(void **state)
{
	struct store *st = *state;
	struct cert_rec r = sample_cert("02bb", "00112233aabbccdd"), got;

	put_issuer(st, "00112233aabbccdd");
	assert_int_equal(store_cert_put(st, &r), 0);
	assert_int_equal(store_cert_revoke(st, "02bb", 2000, 1), 0);
	assert_int_equal(store_cert_revoke(st, "02bb", 3000, 4), SERTEL_ESTATE);
	assert_int_equal(store_cert_revoke(st, "ffff", 3000, 4), SERTEL_ENOTFOUND);
	assert_int_equal(store_cert_get(st, "02bb", &got), 0);
	assert_int_equal(got.revoked, 1);
	assert_int_equal(got.revoked_at, 2000);
	assert_int_equal(got.reason, 1);
	assert_int_equal(cert_rec_status(&got, 2500), CERT_REVOKED);
	assert_int_equal(got.der_len, r.der_len);
	cert_rec_free(&got);
}

static int
count_cb(const struct cert_rec *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
listing_by_status(void **state)
{
	struct store *st = *state;
	struct cert_rec a = sample_cert("03", "00112233aabbccdd"),
	                b = sample_cert("04", "00112233aabbccdd"),
	                c = sample_cert("05", "00112233aabbccdd");
	int n;

	put_issuer(st, "00112233aabbccdd");
	c.not_after = 1500; /* expired at now=2000 */
	assert_int_equal(store_cert_put(st, &a), 0);
	assert_int_equal(store_cert_put(st, &b), 0);
	assert_int_equal(store_cert_put(st, &c), 0);
	assert_int_equal(store_cert_revoke(st, "04", 1800, 0), 0);
	n = 0;
	assert_int_equal(store_cert_iter(st, CERT_VALID, 2000, count_cb, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_cert_iter(st, CERT_REVOKED, 2000, count_cb, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_cert_iter(st, CERT_EXPIRED, 2000, count_cb, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_cert_iter(st, -1, 2000, count_cb, &n), 0);
	assert_int_equal(n, 3);
}

static void
rollback_leaves_nothing(void **state)
{
	struct store *st = *state;
	struct cert_rec a = sample_cert("06", "00112233aabbccdd");

	put_issuer(st, "00112233aabbccdd");
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_cert_put(st, &a), 0);
	assert_int_equal(store_meta_set(st, "k", "v"), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_cert_count(st), 0);
	assert_int_equal(store_serial_exists(st, "06"), 0);
	char *v = NULL;
	assert_int_equal(store_meta_get(st, "k", &v), SERTEL_ENOTFOUND);
	/* Nested transactions are refused rather than silently flattened. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_begin(st), SERTEL_ESTORE);
	assert_int_equal(store_commit(st), 0);
}

static void
blobs_are_encrypted_and_authenticated(void **state)
{
	struct store *st = *state;
	static const char secret[] = "KTP scan: NIK 3274010101900001";
	unsigned char *out = NULL;
	size_t n;
	char id[33], sql[256];
	struct db_stmt *s = NULL;
	const unsigned char *raw;
	size_t rawlen;

	if (store_blob_put(st, "ktp", secret, sizeof(secret), id) != 0)
		fail_msg("blob put: %s", sertel_errmsg());
	assert_int_equal(store_blob_get(st, id, "ktp", &out, &n), 0);
	assert_int_equal(n, sizeof(secret));
	assert_memory_equal(out, secret, n);
	free(out);
	/* The stored bytes are not the plaintext. */
	assert_int_equal(
	    db_prepare(&s, store_db(st), "SELECT data FROM blobs WHERE id = ?"), 0);
	assert_int_equal(db_bind_text(s, 1, id), 0);
	assert_int_equal(db_step(s), 1);
	raw = db_col_blob(s, 0, &rawlen);
	assert_int_equal(rawlen, sizeof(secret) + 16);
	assert_null(memmem(raw, rawlen, "NIK", 3));
	db_finalize(s);
	/* Asking for another kind, or a tampered row, fails. */
	assert_int_equal(store_blob_get(st, id, "sk", &out, &n), SERTEL_ENOTFOUND);
	snprintf(sql, sizeof(sql), "UPDATE blobs SET kind = 'sk' WHERE id = '%s'", id);
	fixture_sql(sql);
	assert_int_equal(store_blob_get(st, id, "sk", &out, &n), SERTEL_ECRYPTO);
	assert_null(out);
	assert_int_equal(store_blob_get(st, "nope", "ktp", &out, &n), SERTEL_ENOTFOUND);
}

static void
tokens_found_by_hash_only(void **state)
{
	struct store *st = *state;
	char *name = NULL, *role = NULL;

	assert_int_equal(store_token_put(st, "id1", "app", "admin", "abc123"), 0);
	assert_int_equal(store_token_put(st, "id2", "app", "admin", "def456"),
	                 SERTEL_EEXISTS);
	assert_int_equal(store_token_find(st, "abc123", &name, &role), 0);
	assert_string_equal(name, "app");
	assert_string_equal(role, "admin");
	free(name);
	free(role);
	assert_int_equal(store_token_find(st, "zzz", &name, &role), SERTEL_EAUTH);
}

static void
crl_latest_and_numbers(void **state)
{
	struct store *st = *state;
	unsigned char *der = NULL;
	size_t n;
	int64_t num = 0, next = 0;

	put_issuer(st, "00112233aabbccdd");
	assert_int_equal(store_issuer_next_crl_number(st, "00112233aabbccdd", &num),
	                 SERTEL_ESTORE); /* outside a transaction */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_issuer_next_crl_number(st, "00112233aabbccdd", &num), 0);
	assert_int_equal(num, 1);
	assert_int_equal(store_crl_put(st, "00112233aabbccdd", 1, 10, 20,
	                               (const unsigned char *)"a", 1),
	                 0);
	assert_int_equal(store_issuer_next_crl_number(st, "00112233aabbccdd", &num), 0);
	assert_int_equal(num, 2);
	assert_int_equal(store_crl_put(st, "00112233aabbccdd", 2, 11, 21,
	                               (const unsigned char *)"bb", 2),
	                 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_crl_latest(st, "00112233aabbccdd", &der, &n, &next), 0);
	assert_int_equal(n, 2);
	assert_int_equal(next, 21);
	free(der);
}

static void
bad_urls_are_refused(void **state)
{
	struct store *st = NULL;

	assert_int_equal(store_open(&st, "mysql://x", NULL), SERTEL_EINVAL);
	assert_int_equal(store_open(&st, "sqlite:/nonexistent/dir/x.db", NULL),
	                 SERTEL_ESTORE);
}

/* A statement run again on one connection: the same answers for other
 * values (on PostgreSQL from the statement prepared the first time, which
 * the connection's pg_prepared_statements shows), and a statement
 * PostgreSQL refuses to prepare reports its own error, also in a
 * transaction. */
static void
statements_run_again_answer_alike(void **state)
{
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	int i;

	(void)state;
	assert_int_equal(db_open(&db, test_url), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(db_prepare(&s, db, "SELECT ? + 1, ?"), 0);
		assert_int_equal(db_bind_int(s, 1, i), 0);
		assert_int_equal(db_bind_text(s, 2, i % 2 ? "ganjil" : "genap"), 0);
		assert_int_equal(db_step(s), 1);
		assert_int_equal(db_col_int(s, 0), i + 1);
		assert_string_equal(db_col_text(s, 1), i % 2 ? "ganjil" : "genap");
		assert_int_equal(db_step(s), 0);
		db_finalize(s);
	}
	if (db_engine_of(db) == DB_PG) {
		assert_int_equal(db_prepare(&s, db,
		                            "SELECT COUNT(*) FROM pg_prepared_statements "
		                            "WHERE statement = 'SELECT $1 + 1, $2'"),
		                 0);
		assert_int_equal(db_step(s), 1);
		assert_int_equal(db_col_int(s, 0), 1);
		db_finalize(s);
	}
	assert_int_equal(db_begin(db), 0);
	/* SQLite refuses it at db_prepare, PostgreSQL at the first step. */
	if (db_prepare(&s, db, "SELECT no_such_column FROM certs") == 0) {
		assert_int_equal(db_step(s), SERTEL_ESTORE);
		db_finalize(s);
	}
	assert_non_null(strstr(sertel_errmsg(), "no_such_column"));
	assert_int_equal(db_rollback(db), 0);
	/* The connection goes on. */
	assert_int_equal(db_prepare(&s, db, "SELECT ? + 1, ?"), 0);
	assert_int_equal(db_bind_int(s, 1, 41), 0);
	assert_int_equal(db_bind_text(s, 2, "x"), 0);
	assert_int_equal(db_step(s), 1);
	assert_int_equal(db_col_int(s, 0), 42);
	db_finalize(s);
	db_close(db);
}

#define T(f)                                                                             \
	cmocka_unit_test_setup_teardown(f, fixture_store_setup, fixture_store_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(migrations_are_versioned_and_idempotent),
	    T(migrations_apply_by_number),
	    T(crl_list_is_index_only),
	    T(issuer_round_trip_keeps_binary_exactly),
	    T(serials_are_unique_forever),
	    T(revocation_is_one_way),
	    T(listing_by_status),
	    T(rollback_leaves_nothing),
	    T(blobs_are_encrypted_and_authenticated),
	    T(tokens_found_by_hash_only),
	    T(crl_latest_and_numbers),
	    T(statements_run_again_answer_alike),
	    cmocka_unit_test(bad_urls_are_refused),
	};
	return cmocka_run_group_tests_name(
	    getenv("SERTEL_TEST_DB") ? getenv("SERTEL_TEST_DB") : "store", tests, NULL,
	    NULL);
}
