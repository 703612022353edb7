/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issue 19, finding 2, in the store on both engines: tokens expire and
 * are revoked one way; the last use is written at most once a minute,
 * decided by the UPDATE itself (a stale read cannot write twice).
 */
#include "fixture.h"

static void
expired_tokens_are_refused(void **state)
{
	struct store *st = *state;
	struct token_rec t;
	char *name = NULL, *role = NULL, *nik = NULL;
	int64_t now = time_now();

	assert_int_equal(
	    store_token_put_nik(st, "id1", "lama", "admin", NULL, "h1", now - 1), 0);
	assert_int_equal(
	    store_token_put_nik(st, "id2", "baru", "auditor", NULL, "h2", now + 3600), 0);
	assert_int_equal(store_token_find_nik(st, "h1", &name, &role, &nik),
	                 SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "expired"));
	assert_null(name);
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_string_equal(t.name, "lama");
	assert_int_equal(t.expires_at, now - 1);
	assert_int_equal(store_token_usable(&t, now - 2), 0);
	assert_int_equal(store_token_usable(&t, now), SERTEL_EAUTH);
	assert_int_equal(store_token_find_nik(st, "h2", &name, &role, &nik), 0);
	assert_string_equal(name, "baru");
	assert_null(nik);
	free(name);
	free(role);
	/* Made before migration 7: no expiry. */
	assert_int_equal(store_token_put(st, "id3", "tanpa", "admin", "h3"), 0);
	assert_int_equal(store_token_get(&t, st, "h3"), 0);
	assert_int_equal(t.expires_at, 0);
	assert_int_equal(store_token_usable(&t, now + 100 * 365 * 86400LL), 0);
	assert_int_equal(store_token_get(&t, st, "nope"), SERTEL_EAUTH);
}

static void
revocation_is_one_way(void **state)
{
	struct store *st = *state;
	struct token_rec t;
	char id[17];
	int64_t now = time_now();

	assert_int_equal(
	    store_token_put_nik(st, "id1", "loket", "operator", NULL, "h1", now + 3600),
	    0);
	assert_int_equal(store_token_revoke(id, st, "loket", "pindah tugas", now), 0);
	assert_string_equal(id, "id1");
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_true(t.revoked);
	assert_int_equal(t.revoked_at, now);
	assert_string_equal(t.revoked_reason, "pindah tugas");
	assert_int_equal(store_token_usable(&t, now), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "revoked"));
	assert_int_equal(store_token_revoke(id, st, "loket", "lagi", now), SERTEL_ESTATE);
	assert_int_equal(store_token_revoke(id, st, "tidak-ada", "x", now),
	                 SERTEL_ENOTFOUND);
	/* The first reason stays. */
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_string_equal(t.revoked_reason, "pindah tugas");
}

static void
last_use_written_once_a_minute(void **state)
{
	struct store *st = *state;
	struct token_rec t;
	int64_t now = time_now();

	assert_int_equal(
	    store_token_put_nik(st, "id1", "app", "admin", NULL, "h1", now + 3600), 0);
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_int_equal(t.last_used_at, 0);
	assert_int_equal(store_last_use(st, "tokens", t.id, t.last_used_at, now), 0);
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_int_equal(t.last_used_at, now);
	/* A stale read (0) 30 s later: the UPDATE's own condition refuses. */
	assert_int_equal(store_last_use(st, "tokens", t.id, 0, now + 30), 0);
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_int_equal(t.last_used_at, now);
	/* A minute later it is written. */
	assert_int_equal(store_last_use(st, "tokens", t.id, t.last_used_at, now + 61), 0);
	assert_int_equal(store_token_get(&t, st, "h1"), 0);
	assert_int_equal(t.last_used_at, now + 61);
	assert_int_equal(store_last_use(st, "certs", "x", 0, now), SERTEL_EINVAL);
}

#define T(f)                                                                             \
	cmocka_unit_test_setup_teardown(f, fixture_store_setup, fixture_store_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(expired_tokens_are_refused),
	    T(revocation_is_one_way),
	    T(last_use_written_once_a_minute),
	};
	return cmocka_run_group_tests_name(
	    getenv("SERTEL_TEST_DB") ? getenv("SERTEL_TEST_DB") : "auth_store", tests,
	    NULL, NULL);
}
