/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of src/esign that need no instance: TOTP against the RFC 6238
 * appendix B vectors (SHA-1 key), base32 (RFC 4648 section 10 vectors),
 * permission lists, status names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esign/esign.h"

/* RFC 6238 Appendix B: the SHA-1 seed is "12345678901234567890". */
static void
totp_rfc6238_vectors(void **state)
{
	static const struct {
		int64_t t;
		uint32_t code;
	} v[] = {
	    {59, 94287082},         {1111111109, 7081804},  {1111111111, 14050471},
	    {1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130},
	};
	const unsigned char *seed = (const unsigned char *)"12345678901234567890";
	uint32_t c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(&c, seed, 20, v[i].t, 8), 0);
		assert_int_equal(c, v[i].code);
	}
	/* Six digits are the last six of the same value. */
	assert_int_equal(totp_code(&c, seed, 20, 59, 6), 0);
	assert_int_equal(c, 287082);
	/* Refused: digits out of range, negative time. */
	assert_true(totp_code(&c, seed, 20, 59, 5) < 0);
	assert_true(totp_code(&c, seed, 20, -1, 6) < 0);
}

static void
base32_rfc4648_vectors(void **state)
{
	static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const out[] = {"",        "MY",       "MZXQ",      "MZXW6",
	                                  "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
	char *s = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_int_equal(
		    base32_encode(&s, (const unsigned char *)in[i], strlen(in[i])), 0);
		assert_string_equal(s, out[i]); /* unpadded */
		free(s);
	}
}

static void
perms_parse_and_format(void **state)
{
	unsigned p;
	char buf[64];

	(void)state;
	assert_int_equal(esign_perms_parse(&p, "verify,sign"), 0);
	assert_int_equal(p, ESIGN_PERM_SIGN | ESIGN_PERM_VERIFY);
	esign_perms_format(buf, sizeof(buf), p);
	assert_string_equal(buf, "sign,verify");
	assert_int_equal(esign_perms_parse(&p, "seal"), 0);
	assert_int_equal(p, ESIGN_PERM_SEAL);
	assert_true(esign_perms_parse(&p, "sign,sign") < 0);
	assert_true(esign_perms_parse(&p, "admin") < 0);
	assert_true(esign_perms_parse(&p, "") < 0);
	assert_true(esign_perms_parse(&p, NULL) < 0);
}

static void
status_names_match_bsre(void **state)
{
	(void)state;
	assert_string_equal(esign_status_name(ESIGN_ST_ISSUE), "ISSUE");
	assert_string_equal(esign_status_name(ESIGN_ST_EXPIRED), "EXPIRED");
	assert_string_equal(esign_status_name(ESIGN_ST_RENEW), "RENEW");
	assert_string_equal(esign_status_name(ESIGN_ST_WAITING_FOR_VERIFICATION),
	                    "WAITING_FOR_VERIFICATION");
	assert_string_equal(esign_status_name(ESIGN_ST_NEW), "NEW");
	assert_string_equal(esign_status_name(ESIGN_ST_NO_CERTIFICATE), "NO_CERTIFICATE");
	assert_string_equal(esign_status_name(ESIGN_ST_NOT_REGISTERED), "NOT_REGISTERED");
	assert_string_equal(esign_status_name(ESIGN_ST_SUSPEND), "SUSPEND");
	assert_string_equal(esign_status_name(ESIGN_ST_REVOKE), "REVOKE");
	assert_string_equal(esign_status_name((enum esign_status)99), "UNKNOWN");
	assert_int_equal(ESIGN_NOT_REGISTERED, 2011);
	assert_int_equal(ESIGN_NO_CERTIFICATE, 2021);
	assert_int_equal(ESIGN_WRONG_PASSPHRASE, 2031);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(totp_rfc6238_vectors),
	    cmocka_unit_test(base32_rfc4648_vectors),
	    cmocka_unit_test(perms_parse_and_format),
	    cmocka_unit_test(status_names_match_bsre),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
