/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The people search behind the signing page's choice of the next signers
 * (ra_person_search, issue 11), on SQLite and PostgreSQL: by name,
 * position (jabatan) and agency, any case; LIKE's wildcards taken
 * literally; at most RA_PERSON_SEARCH_MAX results, by name; too short or
 * too long a query refused; the local administrator refused; nothing
 * written.
 */
#include "fixture.h"

#include "ra/ra.h"

#define NIK_A "3274010101800001"
#define NIK_B "3274014101920002"
#define NIK_C "3274010101750001"

static struct ra_agency ag1, ag2;

static void
person(struct store *st, const struct ra_actor *by, const char *nik, const char *name,
       const char *position, const struct ra_agency *ag, const char *email)
{
	struct ra_person p;

	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), nik);
	str_copy(p.name, sizeof(p.name), name);
	str_copy(p.position, sizeof(p.position), position);
	str_copy(p.email, sizeof(p.email), email);
	str_copy(p.agency_id, sizeof(p.agency_id), ag->id);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(st, by, &p) < 0)
		fail_msg("%s", sertel_errmsg());
}

struct hits {
	int n;
	char names[32][64];
	char niks[32][17];
	char meta[32][160];
};

static int
hit(const struct ra_person_hit *h, void *arg)
{
	struct hits *s = arg;

	if (s->n < 32) {
		str_copy(s->names[s->n], sizeof(s->names[0]), h->name);
		str_copy(s->niks[s->n], sizeof(s->niks[0]), h->nik);
		snprintf(s->meta[s->n], sizeof(s->meta[0]), "%s|%s", h->position,
		         h->agency_name);
	}
	s->n++;
	return 0;
}

static int
search(struct hits *h, struct store *st, const struct ra_actor *who, const char *q)
{
	memset(h, 0, sizeof(*h));
	return ra_person_search(st, who, q, 0, hit, h);
}

static void
people_are_found_by_name_position_and_agency(void **state)
{
	struct store *st = *state;
	struct ra_actor admin, a;
	struct hits h;
	char nik[17], name[64], email[96], q[128];
	long long audit;
	int i;

	ra_actor_local(&admin, "cli:test");
	assert_int_equal(
	    ra_agency_add(&ag1, st, &admin, "Dinas Kominfo", "kominfo.example.go.id"), 0);
	assert_int_equal(
	    ra_agency_add(&ag2, st, &admin, "Dinas Kesehatan", "dinkes.example.go.id"),
	    0);
	person(st, &admin, NIK_A, "Budi Santoso", "Kepala Bidang Aptika", &ag1,
	       "budi@kominfo.example.go.id");
	person(st, &admin, NIK_B, "Siti Aminah", "Sekretaris Dinas", &ag2,
	       "siti@dinkes.example.go.id");
	person(st, &admin, NIK_C, "Rina 100% Kartika", "", &ag1,
	       "rina@kominfo.example.go.id");
	for (i = 0; i < 25; i++) {
		snprintf(nik, sizeof(nik), "327401010190%04d", i + 10);
		snprintf(name, sizeof(name), "Staf %02d", 24 - i);
		snprintf(email, sizeof(email), "staf%d@kominfo.example.go.id", i);
		person(st, &admin, nik, name, "Pelaksana", &ag1, email);
	}
	assert_int_equal(ra_actor_person(&a, st, NIK_A), 0);
	audit = fixture_count("SELECT COUNT(*) FROM audit");

	/* Position, any case. */
	assert_int_equal(search(&h, st, &a, "aptika"), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Budi Santoso");
	assert_string_equal(h.niks[0], NIK_A);
	assert_string_equal(h.meta[0], "Kepala Bidang Aptika|Dinas Kominfo");
	/* Agency name. */
	assert_int_equal(search(&h, st, &a, "KESEHATAN"), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Siti Aminah");
	assert_string_equal(h.meta[0], "Sekretaris Dinas|Dinas Kesehatan");
	/* Name. */
	assert_int_equal(search(&h, st, &a, "sIti"), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.niks[0], NIK_B);
	/* Wildcards are literal: "%" matches only the name holding one, "_"
	 * nothing. */
	assert_int_equal(search(&h, st, &a, "0%"), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.niks[0], NIK_C);
	assert_int_equal(search(&h, st, &a, "__"), 0);
	assert_int_equal(h.n, 0);
	/* Bounded, by name. */
	assert_int_equal(search(&h, st, &a, "staf"), 0);
	assert_int_equal(h.n, RA_PERSON_SEARCH_MAX);
	assert_string_equal(h.names[0], "Staf 00");
	assert_string_equal(h.names[RA_PERSON_SEARCH_MAX - 1], "Staf 19");
	memset(&h, 0, sizeof(h));
	assert_int_equal(ra_person_search(st, &a, "staf", 3, hit, &h), 0);
	assert_int_equal(h.n, 3);
	/* Refused: too short, too long, the local administrator. */
	assert_int_equal(search(&h, st, &a, "a"), SERTEL_EINVAL);
	assert_int_equal(search(&h, st, &a, ""), SERTEL_EINVAL);
	memset(q, 'a', 101);
	q[101] = '\0';
	assert_int_equal(search(&h, st, &a, q), SERTEL_EINVAL);
	assert_int_equal(search(&h, st, &admin, "siti"), SERTEL_EPERM);
	assert_int_equal(h.n, 0);
	/* A search writes nothing. */
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(people_are_found_by_name_position_and_agency,
	                                    fixture_store_setup, fixture_store_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
