/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for sertel's C tests.
 */
#ifndef SERTEL_TESTUTIL_H
#define SERTEL_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdata.h"

/* The database URL for this run: SERTEL_TEST_DB is a PostgreSQL URL (a
 * fresh database per test binary) or "sqlite"/unset, in which case a new
 * SQLite file under a temp dir is used.  For PostgreSQL every call after
 * the first wipes the schema so each test starts empty. */
static inline void
test_db_url(char *out, size_t outsz, const char *tag)
{
	const char *env = getenv("SERTEL_TEST_DB");
	static int n;
	char dir[] = "/tmp/sertel-test-XXXXXX";

	if (env != NULL && strncmp(env, "postgres", 8) == 0) {
		snprintf(out, outsz, "%s", env);
		return;
	}
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(out, outsz, "sqlite:%s/%s-%d.db", dir, tag, n++);
}

static inline int
test_is_pg(void)
{
	const char *env = getenv("SERTEL_TEST_DB");

	return env != NULL && strncmp(env, "postgres", 8) == 0;
}

#endif
