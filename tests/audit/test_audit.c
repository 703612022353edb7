/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit hash chain catches every kind of tampering done directly in
 * the database: change, delete, insert, reorder, truncate, and a rewrite
 * by someone without the master secret.
 */
#include "fixture.h"

#include "audit/audit.h"

static void
append_n(struct store *st, int n)
{
	char obj[32];
	int i;

	for (i = 1; i <= n; i++) {
		snprintf(obj, sizeof(obj), "cert:%02d", i);
		assert_int_equal(store_begin(st), 0);
		assert_int_equal(audit_append(st, "cli:op", "cert.issue", obj, "ok"), 0);
		assert_int_equal(store_commit(st), 0);
	}
}

static void
expect_bad(struct store *st, int64_t want_seq)
{
	int64_t bad = 0, count = 0;

	assert_int_equal(audit_verify(st, &bad, &count), SERTEL_EINVALID);
	assert_int_equal(bad, want_seq);
}

static void
intact_chain_verifies(void **state)
{
	struct store *st = *state;
	int64_t bad = -1, count = 0;

	/* Empty: wiped, since instance creation always writes entries. */
	assert_int_equal(audit_verify(st, &bad, &count), SERTEL_EINVALID);
	assert_int_equal(bad, 1);
	append_n(st, 5);
	assert_int_equal(audit_verify(st, &bad, &count), 0);
	assert_int_equal(count, 5);
	assert_int_equal(bad, 0);
}

static void
append_needs_a_transaction(void **state)
{
	assert_int_equal(audit_append(*state, "a", "b", "c", ""), SERTEL_ESTORE);
}

static void
rolled_back_change_leaves_no_entry(void **state)
{
	struct store *st = *state;
	int64_t bad, count;

	append_n(st, 2);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(audit_append(st, "x", "cert.issue", "cert:zz", ""), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(audit_verify(st, &bad, &count), 0);
	assert_int_equal(count, 2);
}

static void
changed_field_is_caught(void **state)
{
	append_n(*state, 5);
	fixture_sql("UPDATE audit SET actor = 'cli:someone-else' WHERE seq = 3");
	expect_bad(*state, 3);
}

static void
changed_reason_is_caught(void **state)
{
	append_n(*state, 5);
	fixture_sql("UPDATE audit SET reason = 'nothing happened' WHERE seq = 5");
	expect_bad(*state, 5);
}

static void
deleted_row_is_caught(void **state)
{
	append_n(*state, 5);
	fixture_sql("DELETE FROM audit WHERE seq = 2");
	expect_bad(*state, 2);
}

static void
inserted_row_is_caught(void **state)
{
	append_n(*state, 5);
	/* Make room after entry 2 and slip a forged entry in. */
	fixture_sql(
	    "UPDATE audit SET seq = seq + 100 WHERE seq > 2;"
	    "UPDATE audit SET seq = seq - 99 WHERE seq > 100;"
	    "INSERT INTO audit (seq, ts, actor, action, object, reason, prev_hash, hash)"
	    " SELECT 3, ts, 'cli:mallory', 'cert.revoke', 'cert:01', '', hash, hash"
	    " FROM audit WHERE seq = 2");
	expect_bad(*state, 3);
}

static void
reordered_rows_are_caught(void **state)
{
	append_n(*state, 5);
	fixture_sql("UPDATE audit SET seq = 100 WHERE seq = 2;"
	            "UPDATE audit SET seq = 2 WHERE seq = 4;"
	            "UPDATE audit SET seq = 4 WHERE seq = 100");
	expect_bad(*state, 2);
}

static void
wiped_trail_is_caught(void **state)
{
	append_n(*state, 3);
	fixture_sql("DELETE FROM audit; DELETE FROM audit_head;");
	expect_bad(*state, 1);
}

static void
truncated_tail_is_caught(void **state)
{
	append_n(*state, 5);
	fixture_sql("DELETE FROM audit WHERE seq = 5");
	expect_bad(*state, 5);
}

static void
forged_rewrite_without_master_secret_is_caught(void **state)
{
	struct store *st = *state, *forger = NULL;
	static const unsigned char other[SECRET_LEN] = {9};
	int64_t bad, count;

	append_n(st, 3);
	/* A forger with database access rebuilds a whole consistent chain
	 * (same code, same hashes) but cannot know the master secret. */
	fixture_sql("DELETE FROM audit; DELETE FROM audit_head;");
	assert_int_equal(store_open(&forger, test_url, other), 0);
	append_n(forger, 3);
	store_close(forger);
	assert_int_equal(audit_verify(st, &bad, &count), SERTEL_EINVALID);
	assert_int_equal(bad, 3);
	assert_non_null(strstr(sertel_errmsg(), "MAC"));
}

struct seen {
	int n;
	char last_action[32];
};

static int
collect(const struct audit_entry *e, void *arg)
{
	struct seen *s = arg;

	s->n++;
	assert_non_null(e->actor);
	assert_true(e->ts_us > 0);
	snprintf(s->last_action, sizeof(s->last_action), "%s", e->action);
	return 0;
}

static void
iteration_respects_since(void **state)
{
	struct store *st = *state;
	struct seen s = {0};

	append_n(st, 4);
	assert_int_equal(audit_iter(st, 0, collect, &s), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.last_action, "cert.issue");
	s.n = 0;
	assert_int_equal(audit_iter(st, time_now_us() + 60000000, collect, &s), 0);
	assert_int_equal(s.n, 0);
}

struct picked {
	int n;
	int64_t seqs[16];
};

static int
pick(const struct audit_entry *e, void *arg)
{
	struct picked *p = arg;

	if (p->n < 16)
		p->seqs[p->n] = e->seq;
	p->n++;
	return 0;
}

static void
query_filters_newest_first(void **state)
{
	struct store *st = *state;
	struct audit_filter f;
	struct picked p;

	append_n(st, 5);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(
	    audit_append(st, "nik:3274010101800001", "ra.approve", "app:ab%_", "ok"), 0);
	assert_int_equal(
	    audit_append(st, "nik:3274010101800001", "ra.return", "app:cd", "needs KTP"),
	    0);
	assert_int_equal(store_commit(st), 0);
	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 7);
	assert_int_equal(p.seqs[0], 7);
	assert_int_equal(p.seqs[6], 1);
	/* Paging. */
	f.limit = 2;
	f.before_seq = 6;
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.seqs[0], 5);
	assert_int_equal(p.seqs[1], 4);
	/* Prefixes are literal: '%' and '_' are no wildcards. */
	memset(&f, 0, sizeof(f));
	f.action = "ra.";
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 2);
	f.object = "app:ab%";
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.seqs[0], 6);
	f.object = "app:a%";
	f.action = NULL;
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 0);
	memset(&f, 0, sizeof(f));
	f.actor = "cli:op";
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 5);
	f.until_us = 1;
	memset(&p, 0, sizeof(p));
	assert_int_equal(audit_query(st, &f, pick, &p), 0);
	assert_int_equal(p.n, 0);
}

#define T(f)                                                                             \
	cmocka_unit_test_setup_teardown(f, fixture_store_setup, fixture_store_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(intact_chain_verifies),
	    T(query_filters_newest_first),
	    T(append_needs_a_transaction),
	    T(rolled_back_change_leaves_no_entry),
	    T(changed_field_is_caught),
	    T(changed_reason_is_caught),
	    T(deleted_row_is_caught),
	    T(inserted_row_is_caught),
	    T(reordered_rows_are_caught),
	    T(truncated_tail_is_caught),
	    T(wiped_trail_is_caught),
	    T(forged_rewrite_without_master_secret_is_caught),
	    T(iteration_respects_since),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
