/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fresh, migrated store for each test, on the engine of this run.
 */
#ifndef SERTEL_TEST_FIXTURE_H
#define SERTEL_TEST_FIXTURE_H

#include "testutil.h"

#include "store/store.h"

static const unsigned char test_master[SECRET_LEN] = {
    1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static char test_url[1024];

/* cmocka setup: *state becomes a struct store * on an empty database. */
static int
fixture_store_setup(void **state)
{
	struct store *st = NULL;
	struct db *db = NULL;

	test_db_url(test_url, sizeof(test_url), "t");
	if (test_is_pg()) {
		/* Same database for every test of the binary: start from nothing. */
		if (db_open(&db, test_url) < 0 ||
		    db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;") <
		        0) {
			fprintf(stderr, "fixture: %s\n", sertel_errmsg());
			db_close(db);
			return -1;
		}
		db_close(db);
	}
	if (store_open(&st, test_url, test_master) < 0) {
		fprintf(stderr, "fixture: %s\n", sertel_errmsg());
		return -1;
	}
	*state = st;
	return 0;
}

static int
fixture_store_teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* Runs SQL through a second connection, as an attacker with database
 * access would. */
static inline void
fixture_sql(const char *sql)
{
	struct db *db = NULL;

	assert_int_equal(db_open(&db, test_url), 0);
	if (db_exec(db, sql) < 0)
		fail_msg("fixture_sql: %s: %s", sql, sertel_errmsg());
	db_close(db);
}

/* The one integer sql returns (a COUNT), read through a second connection;
 * -1 when it returns no row. */
static inline int64_t
fixture_count(const char *sql)
{
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(db_open(&db, test_url), 0);
	assert_int_equal(db_prepare(&s, db, sql), 0);
	if (db_step(s) == 1)
		n = db_col_int(s, 0);
	db_finalize(s);
	db_close(db);
	return n;
}

/* The queue's counts (application_counts, migration 23) against the
 * applications themselves: the number of (state, type, agency) groups
 * where they differ, in either direction; 0 when they agree. */
#define FIXTURE_APP_TRUTH                                                                \
	"SELECT a.state, a.type, COALESCE(p.agency_id, ''), COUNT(*) FROM "              \
	"applications a LEFT JOIN persons p ON p.nik = a.applicant_nik GROUP BY "        \
	"a.state, a.type, COALESCE(p.agency_id, '')"
#define FIXTURE_APP_KEPT                                                                 \
	"SELECT state, type, agency_id, n FROM application_counts WHERE n <> 0"
static inline int64_t
fixture_app_counts_wrong(void)
{
	return fixture_count("SELECT COUNT(*) FROM (" FIXTURE_APP_TRUTH
	                     " EXCEPT " FIXTURE_APP_KEPT ") x") +
	       fixture_count("SELECT COUNT(*) FROM (" FIXTURE_APP_KEPT
	                     " EXCEPT " FIXTURE_APP_TRUTH ") y");
}

#endif
