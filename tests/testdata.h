/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the shared test data is, for C tests with or without cmocka.
 */
#ifndef SERTEL_TESTDATA_H
#define SERTEL_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ctest's skip: a test whose data is missing says so and is counted as
 * skipped (SKIP_RETURN_CODE), never as passed. */
#define TEST_SKIP 77

/* The directory of the shared test data (NIST PKITS, OpenSSL's OCSP
 * vectors): $SERTEL_TESTDATA, else $SERTEL_SHARED/testdata (ctest sets it
 * to ../shared beside the source tree).  sub is a directory below it.
 * Returns 0 with the path in out, or prints why to stdout and returns -1
 * (the caller exits TEST_SKIP): a standalone clone has no ../shared, and
 * scripts/fetch-testdata.sh fetches PKITS from NIST. */
static inline int
test_data_dir(char *out, size_t outsz, const char *sub)
{
	const char *td = getenv("SERTEL_TESTDATA"), *shared = getenv("SERTEL_SHARED");

	if (td != NULL && *td != '\0')
		snprintf(out, outsz, "%s/%s", td, sub);
	else if (shared != NULL && *shared != '\0')
		snprintf(out, outsz, "%s/testdata/%s", shared, sub);
	else
		out[0] = '\0';
	if (out[0] == '\0' || access(out, R_OK | X_OK) != 0) {
		printf("SKIP: test data %s not found (set SERTEL_TESTDATA, or put the "
		       "shared testdata beside the clone; scripts/fetch-testdata.sh "
		       "fetches NIST PKITS)\n",
		       out[0] ? out : sub);
		return -1;
	}
	return 0;
}

#endif
