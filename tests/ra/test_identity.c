/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NIK and NIP structure rules (REQUIREMENTS.md section 3).
 */
#include "testutil.h"

#include "ra/ra.h"

static void
nik_valid_man_and_woman(void **state)
{
	struct nik_info ni;

	assert_int_equal(nik_parse(&ni, "3274010101900001"), 0);
	assert_int_equal(ni.province, 32);
	assert_int_equal(ni.birth_year, 1990);
	assert_int_equal(ni.birth_month, 1);
	assert_int_equal(ni.birth_day, 1);
	assert_false(ni.female);
	/* Women: 40 added to the day. */
	assert_int_equal(nik_parse(&ni, "3274017112850003"), 0);
	assert_true(ni.female);
	assert_int_equal(ni.birth_day, 31);
	assert_int_equal(ni.birth_month, 12);
	assert_int_equal(ni.birth_year, 1985);
	/* A recent birth year is read in this century. */
	assert_int_equal(nik_parse(&ni, "5171010506100004"), 0);
	assert_int_equal(ni.birth_year, 2010);
}

static void
nik_structure_errors(void **state)
{
	struct nik_info ni;

	assert_int_equal(nik_parse(&ni, "327401010190001"),
	                 SERTEL_EINVAL); /* 15 digits */
	assert_int_equal(nik_parse(&ni, "32740101019000012"), SERTEL_EINVAL); /* 17 */
	assert_int_equal(nik_parse(&ni, "32740101019O0001"),
	                 SERTEL_EINVAL); /* letter O */
	assert_int_equal(nik_parse(&ni, "9974010101900001"),
	                 SERTEL_EINVAL); /* province 99 */
	assert_non_null(strstr(sertel_errmsg(), "province"));
	assert_int_equal(nik_parse(&ni, "3200010101900001"),
	                 SERTEL_EINVAL); /* regency 00 */
	assert_int_equal(nik_parse(&ni, "3274003201900001"),
	                 SERTEL_EINVAL); /* district 00 */
}

static void
nik_impossible_dates(void **state)
{
	struct nik_info ni;

	assert_int_equal(nik_parse(&ni, "3274013201900001"), SERTEL_EINVAL); /* day 32 */
	assert_non_null(strstr(sertel_errmsg(), "impossible"));
	assert_int_equal(nik_parse(&ni, "3274017201900001"),
	                 SERTEL_EINVAL); /* 72-40 = 32 */
	assert_int_equal(nik_parse(&ni, "3274013102900001"), SERTEL_EINVAL); /* 31 Feb */
	assert_int_equal(nik_parse(&ni, "3274010113900001"),
	                 SERTEL_EINVAL); /* month 13 */
	assert_int_equal(nik_parse(&ni, "3274010100900001"),
	                 SERTEL_EINVAL); /* month 00 */
	assert_int_equal(nik_parse(&ni, "3274010001900001"), SERTEL_EINVAL); /* day 00 */
	assert_int_equal(nik_parse(&ni, "3274014001900001"), SERTEL_EINVAL); /* day 40 */
	/* 29 Feb exists in 1992 and 2000 but not in 1990 or 1900/2001. */
	assert_int_equal(nik_parse(&ni, "3274012902920001"), 0);
	assert_int_equal(nik_parse(&ni, "3274012902000001"), 0);
	assert_int_equal(nik_parse(&ni, "3274012902900001"), SERTEL_EINVAL);
	assert_int_equal(nik_parse(&ni, "3274012902010001"), SERTEL_EINVAL);
	assert_int_equal(nik_parse(&ni, "3274010101900000"),
	                 SERTEL_EINVAL); /* seq 0000 */
}

static void
nip_rules(void **state)
{
	struct nip_info pi;

	assert_int_equal(nip_parse(&pi, "199001012015031001"), 0);
	assert_false(pi.female);
	assert_int_equal(nip_parse(&pi, "198512312010122003"), 0);
	assert_true(pi.female);
	assert_int_equal(nip_parse(&pi, "19900101201503100"), SERTEL_EINVAL); /* 17 */
	assert_int_equal(nip_parse(&pi, "199002302015031001"),
	                 SERTEL_EINVAL); /* 30 Feb */
	assert_int_equal(nip_parse(&pi, "199001012015131001"),
	                 SERTEL_EINVAL); /* month 13 */
	assert_int_equal(nip_parse(&pi, "199001012005031001"),
	                 SERTEL_EINVAL); /* age 15 */
	assert_non_null(strstr(sertel_errmsg(), "age"));
	assert_int_equal(nip_parse(&pi, "199001012015033001"),
	                 SERTEL_EINVAL); /* gender 3 */
	assert_int_equal(nip_parse(&pi, "199001012015031000"),
	                 SERTEL_EINVAL); /* seq 000 */
	assert_int_equal(nip_parse(&pi, "299901012015031001"),
	                 SERTEL_EINVAL); /* future */
}

static void
nik_and_nip_must_agree(void **state)
{
	assert_int_equal(identity_check("3274010101900001", "199001012015031001"), 0);
	assert_int_equal(identity_check("3274010101900001", NULL), 0);
	/* Different birth date. */
	assert_int_equal(identity_check("3274010201900001", "199001012015031001"),
	                 SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "birth"));
	/* Woman's NIK, man's NIP. */
	assert_int_equal(identity_check("3274014101900001", "199001012015031001"),
	                 SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "gender"));
	assert_int_equal(identity_check("3274014101900001", "199001012015032001"), 0);
}

static void
roles_round_trip(void **state)
{
	unsigned r;
	char s[160];

	assert_int_equal(ra_roles_parse(&r, "pemohon,operator-op,auditor"), 0);
	assert_int_equal(r, ROLE_PEMOHON | ROLE_OPERATOR | ROLE_AUDITOR);
	ra_roles_format(s, sizeof(s), r);
	assert_string_equal(s, "pemohon,operator-op,auditor");
	assert_int_equal(ra_roles_parse(&r, "pemohon,superuser"), SERTEL_EINVAL);
	assert_int_equal(ra_roles_parse(&r, ""), SERTEL_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nik_valid_man_and_woman),
	    cmocka_unit_test(nik_structure_errors),
	    cmocka_unit_test(nik_impossible_dates),
	    cmocka_unit_test(nip_rules),
	    cmocka_unit_test(nik_and_nip_must_agree),
	    cmocka_unit_test(roles_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
