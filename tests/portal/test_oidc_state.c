/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenID Connect logins in flight (src/portal/oidc.c, table portal_oidc),
 * on SQLite and PostgreSQL: only hashes of the state and of the browser
 * cookie are stored; a state is spent once, by the browser that started
 * it, before its expiry, and of 8 threads racing with one state exactly
 * one wins; what waits is bounded.  And the claims of a verified ID token
 * name a registered person only: by NIK, or by a verified e-mail address.
 */
#include "fixture.h"

#include <pthread.h>

#include "portal/oidc.h"
#include "portal/portal.h"
#include "ra/ra.h"

#define STATE   "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
#define BROWSER "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
#define OTHER   "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1"
#define NONCE   "4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e"
#define VERIF   "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

static void
a_state_is_spent_once_by_its_browser(void **state)
{
	struct store *st = *state;
	char nonce[65], verifier[64];

	assert_int_equal(oidc_state_new(st, STATE, BROWSER, NONCE, VERIF,
	                                time_now() + 600, "127.0.0.1"),
	                 0);
	/* Neither the state nor the cookie is stored as it is. */
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM portal_oidc WHERE state_hash = '" STATE
	                  "' OR browser_hash = '" BROWSER "'"),
	    0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM portal_oidc"), 1);
	/* Another browser: refused, and the state stays usable. */
	assert_int_equal(oidc_state_spend(nonce, verifier, st, STATE, OTHER),
	                 SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "browser lain"));
	assert_string_equal(nonce, "");
	assert_int_equal(oidc_state_spend(nonce, verifier, st, STATE, BROWSER), 0);
	assert_string_equal(nonce, NONCE);
	assert_string_equal(verifier, VERIF);
	/* Replayed: refused. */
	assert_int_equal(oidc_state_spend(nonce, verifier, st, STATE, BROWSER),
	                 SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "sudah dipakai"));
	/* Malformed states and cookies never reach the store. */
	assert_int_equal(oidc_state_spend(nonce, verifier, st, "zz", BROWSER),
	                 SERTEL_EAUTH);
	assert_int_equal(oidc_state_spend(nonce, verifier, st, NULL, BROWSER),
	                 SERTEL_EAUTH);
	assert_int_equal(oidc_state_spend(nonce, verifier, st, STATE, ""), SERTEL_EAUTH);
}

static void
an_expired_state_is_refused(void **state)
{
	struct store *st = *state;
	char nonce[65], verifier[64];

	assert_int_equal(
	    oidc_state_new(st, STATE, BROWSER, NONCE, VERIF, time_now() - 1, ""), 0);
	assert_int_equal(oidc_state_spend(nonce, verifier, st, STATE, BROWSER),
	                 SERTEL_EAUTH);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM portal_oidc WHERE used_at IS NOT NULL"),
	    0);
	/* Rows long past their expiry go when the next login starts. */
	fixture_sql("UPDATE portal_oidc SET expires_at = expires_at - 7200");
	assert_int_equal(
	    oidc_state_new(st, OTHER, BROWSER, NONCE, VERIF, time_now() + 600, ""), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM portal_oidc"), 1);
}

static void
what_waits_is_bounded(void **state)
{
	struct store *st = *state;
	char sql[256];
	int64_t before;

	/* Fill the table up to the bound through a second connection. */
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO portal_oidc (state_hash, browser_hash, nonce, verifier, "
	    "created_at, expires_at) SELECT 'h' || g, 'b', 'n', 'v', 0, %lld FROM "
	    "(WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c WHERE g "
	    "< %d) SELECT g FROM c) AS t",
	    (long long)(time_now() + 600), OIDC_MAX_IN_FLIGHT);
	fixture_sql(sql);
	before = fixture_count("SELECT COUNT(*) FROM portal_oidc");
	assert_int_equal(before, OIDC_MAX_IN_FLIGHT);
	assert_int_equal(
	    oidc_state_new(st, STATE, BROWSER, NONCE, VERIF, time_now() + 600, ""),
	    SERTEL_EPERM);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM portal_oidc"), before);
}

struct race {
	int ok;
};

static void *
race_spend(void *arg)
{
	struct race *r = arg;
	struct store *st = NULL;
	char nonce[65], verifier[64];

	if (store_open(&st, test_url, test_master) == 0) {
		r->ok = oidc_state_spend(nonce, verifier, st, STATE, BROWSER) == 0;
		store_close(st);
	}
	return NULL;
}

static void
a_raced_state_is_spent_once(void **state)
{
	struct store *st = *state;
	struct race r[8];
	pthread_t th[8];
	int i, ok = 0;

	assert_int_equal(
	    oidc_state_new(st, STATE, BROWSER, NONCE, VERIF, time_now() + 600, ""), 0);
	for (i = 0; i < 8; i++) {
		r[i].ok = 0;
		assert_int_equal(pthread_create(&th[i], NULL, race_spend, &r[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		ok += r[i].ok;
	}
	assert_int_equal(ok, 1);
}

static void
claims_map_to_registered_people_only(void **state)
{
	struct store *st = *state;
	struct ra_actor admin;
	struct ra_agency ag;
	struct ra_person p;
	struct oidc_conf c;
	char nik[17], claimed[160];
	json_t *j;

	ra_actor_local(&admin, "cli:test");
	if (ra_agency_add(&ag, st, &admin, "Dinas Kominfo", "kominfo.example.go.id") < 0)
		fail_msg("%s", sertel_errmsg());
	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), "3274010101800001");
	str_copy(p.name, sizeof(p.name), "Budi Santoso");
	str_copy(p.email, sizeof(p.email), "budi@kominfo.example.go.id");
	str_copy(p.agency_id, sizeof(p.agency_id), ag.id);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(st, &admin, &p) < 0)
		fail_msg("%s", sertel_errmsg());
	memset(&c, 0, sizeof(c));
	str_copy(c.claim, sizeof(c.claim), "nik");

	j = json_pack("{s:s}", "nik", "3274010101800001");
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), 0);
	assert_string_equal(nik, "3274010101800001");
	json_decref(j);
	j = json_pack("{s:s}", "nik", "3274010101990009");
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "tidak terdaftar"));
	assert_string_equal(claimed, "nik:3274010101990009");
	json_decref(j);
	j = json_pack("{s:s}", "nik", "32740101018000011");
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), SERTEL_EAUTH);
	json_decref(j);
	j = json_pack("{s:s}", "email", "budi@kominfo.example.go.id");
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "tidak mengirim klaim nik"));
	json_decref(j);

	str_copy(c.claim, sizeof(c.claim), "email");
	j = json_pack("{s:s, s:b}", "email", "Budi@Kominfo.Example.go.id",
	              "email_verified", 1);
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), 0);
	assert_string_equal(nik, "3274010101800001");
	json_decref(j);
	/* Core 5.1: an address the provider did not verify proves nothing. */
	j = json_pack("{s:s, s:b}", "email", "budi@kominfo.example.go.id",
	              "email_verified", 0);
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "belum diverifikasi"));
	json_decref(j);
	j = json_pack("{s:s}", "email", "budi@kominfo.example.go.id");
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), SERTEL_EAUTH);
	json_decref(j);
	j = json_pack("{s:s, s:b}", "email", "orang@lain.example", "email_verified", 1);
	assert_int_equal(oidc_claims_person(nik, claimed, st, &c, j), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "tidak terdaftar"));
	assert_string_equal(nik, "");
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_state_is_spent_once_by_its_browser,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(an_expired_state_is_refused,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(what_waits_is_bounded, fixture_store_setup,
	                                    fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(a_raced_state_is_spent_once,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(claims_map_to_registered_people_only,
	                                    fixture_store_setup, fixture_store_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
