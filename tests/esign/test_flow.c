/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing flows (src/esign/flow.c) on SQLite and PostgreSQL: the uploader
 * names signers in order; only the one whose turn it is signs or
 * declines; a signature replaces the files and notifies the next signer
 * (the last one: the uploader); a refusal stops the flow and tells the
 * uploader; nobody outside the flow reads it; each refused transition
 * changes nothing (rows, audit entries, mail queue); expiry deletes the
 * files with the flow.
 */
#include "fixture.h"

#include "audit/audit.h"
#include "esign/flow.h"
#include "ra/ra.h"

#define UP    "3274010101900001" /* the uploader (staff) */
#define S1    "3274010101900002" /* initials first */
#define S2    "3274010101900003" /* the head signs last */
#define OTHER "3274010101900004"

static const struct esign_flow_env env = {"https://portal.test/portal/tandatangan/", 3600,
                                          1 << 20};

static void
person(struct store *st, const char *agency, const char *nik, const char *name,
       const char *mail)
{
	struct ra_actor admin;
	struct ra_person p;

	ra_actor_local(&admin, "cli:test");
	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), nik);
	str_copy(p.name, sizeof(p.name), name);
	str_copy(p.email, sizeof(p.email), mail);
	str_copy(p.agency_id, sizeof(p.agency_id), agency);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(st, &admin, &p) < 0)
		fail_msg("person %s: %s", nik, sertel_errmsg());
}

static void
actor(struct ra_actor *a, struct store *st, const char *nik)
{
	assert_int_equal(ra_actor_person(a, st, nik), 0);
}

static int
setup(void **state)
{
	struct ra_actor admin;
	struct ra_agency ag;
	struct store *st;

	if (fixture_store_setup(state) < 0)
		return -1;
	st = *state;
	ra_actor_local(&admin, "cli:test");
	if (ra_agency_add(&ag, st, &admin, "Dinas Uji", "uji.go.id") < 0)
		return -1;
	person(st, ag.id, UP, "Staf Pengunggah", "up@uji.go.id");
	person(st, ag.id, S1, "Paraf Pertama", "s1@uji.go.id");
	person(st, ag.id, S2, "Kepala Dinas", "s2@uji.go.id");
	person(st, ag.id, OTHER, "Orang Lain", "other@uji.go.id");
	return 0;
}

/* What any change writes: flows, signers, files, blobs, audit, mail. */
static void
snapshot(int64_t out[6])
{
	static const char *const q[6] = {
	    "SELECT COUNT(*) + COALESCE(SUM(step), 0) + COALESCE(SUM(version), 0) FROM "
	    "esign_flows",
	    "SELECT COUNT(*) FROM esign_flow_signers WHERE state <> 'menunggu'",
	    "SELECT COUNT(*) FROM esign_flow_docs",
	    "SELECT COUNT(*) FROM blobs",
	    "SELECT COUNT(*) FROM audit",
	    "SELECT COUNT(*) FROM mail_queue"};
	int i;

	for (i = 0; i < 6; i++)
		out[i] = fixture_count(q[i]);
}

static void
unchanged(const int64_t before[6])
{
	int64_t now[6];
	int i;

	snapshot(now);
	for (i = 0; i < 6; i++)
		if (now[i] != before[i])
			fail_msg("count %d changed: %lld -> %lld", i,
			         (long long)before[i], (long long)now[i]);
}

static int64_t
mails_to(const char *to)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM mail_queue WHERE to_addr = '%s'",
	         to);
	return fixture_count(sql);
}

static const char pdf1[] = "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n";

static void
new_flow(char *id, struct store *st, const struct ra_actor *up)
{
	const char *signers[] = {S1, S2};
	struct esign_doc_in d[2] = {
	    {(const unsigned char *)pdf1, sizeof(pdf1) - 1, "surat.pdf", NULL},
	    {(const unsigned char *)pdf1, sizeof(pdf1) - 1, "lampiran.pdf", NULL}};

	if (esign_flow_create(id, st, up, signers, 2, d, 2, &env) < 0)
		fail_msg("create: %s", sertel_errmsg());
}

static void
sign_as(struct store *st, const struct ra_actor *who, const char *id, int version,
        const char *tag, int expect)
{
	char a[128], b[128];
	const unsigned char *files[2] = {(const unsigned char *)a,
	                                 (const unsigned char *)b};
	size_t lens[2];
	int rc;

	lens[0] = (size_t)snprintf(a, sizeof(a), "%s%s a\n", pdf1, tag);
	lens[1] = (size_t)snprintf(b, sizeof(b), "%s%s b\n", pdf1, tag);
	rc = esign_flow_signed(st, who, id, version, files, lens, 2,
	                       "0123456789abcdef0123456789abcdef", &env);
	if (rc != expect)
		fail_msg("sign by %s: %d, not %d (%s)", who->nik, rc, expect,
		         sertel_errmsg());
}

static void
signers_in_order(void **state)
{
	struct store *st = *state;
	struct ra_actor up, s1, s2, other;
	struct esign_flow f;
	char id[FLOW_ID_LEN + 1];
	int64_t before[6];
	unsigned char *data;
	size_t len;

	actor(&up, st, UP);
	actor(&s1, st, S1);
	actor(&s2, st, S2);
	actor(&other, st, OTHER);
	new_flow(id, st, &up);
	assert_int_equal(mails_to("s1@uji.go.id"), 1); /* the first signer's turn */
	assert_int_equal(mails_to("s2@uji.go.id"), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'esign.flow.create'"),
	                 1);
	assert_int_equal(esign_flow_get(&f, st, &up, id), 0);
	assert_int_equal(f.nsigners, 2);
	assert_int_equal(f.ndocs, 2);
	assert_string_equal(f.names[1], "lampiran.pdf");
	assert_string_equal(f.signers[1].name, "Kepala Dinas");
	assert_int_equal(f.state, FLOW_ACTIVE);

	/* Nobody outside the flow reads it, or its files. */
	assert_int_equal(esign_flow_get(&f, st, &other, id), SERTEL_EPERM);
	assert_int_equal(esign_flow_file(&data, &len, st, &other, id, 0), SERTEL_EPERM);
	assert_null(data);

	/* Out of order, the uploader, a stranger: refused, nothing changed. */
	snapshot(before);
	sign_as(st, &s2, id, 0, "s2", SERTEL_ESTATE);
	sign_as(st, &up, id, 0, "up", SERTEL_EPERM);
	sign_as(st, &other, id, 0, "x", SERTEL_EPERM);
	assert_int_equal(esign_flow_decline(st, &s2, id, "belum giliran", &env),
	                 SERTEL_ESTATE);
	assert_int_equal(esign_flow_decline(st, &other, id, "bukan saya", &env),
	                 SERTEL_EPERM);
	unchanged(before);

	/* The first signer; then the second is told. */
	sign_as(st, &s1, id, 0, "s1", 0);
	assert_int_equal(mails_to("s2@uji.go.id"), 1);
	assert_int_equal(esign_flow_get(&f, st, &s2, id), 0);
	assert_int_equal(f.step, 1);
	assert_int_equal(f.version, 1);
	assert_int_equal(f.signers[0].state, FLOW_SIGNED);
	assert_string_equal(f.signers[0].doc_id, "0123456789abcdef0123456789abcdef");
	assert_int_equal(esign_flow_file(&data, &len, st, &s2, id, 1), 0);
	assert_true(len > sizeof(pdf1) &&
	            memcmp(data + sizeof(pdf1) - 1, "s1 b", 4) == 0);
	free(data);
	/* The old files' blobs went with their rows. */
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM blobs"), 2);

	/* Twice by the same signer, or on a stale version: refused. */
	snapshot(before);
	sign_as(st, &s1, id, 1, "s1", SERTEL_ESTATE);
	sign_as(st, &s2, id, 0, "s2", SERTEL_ESTATE);
	unchanged(before);

	/* The last signature completes it; the uploader is told. */
	sign_as(st, &s2, id, 1, "s2", 0);
	assert_int_equal(esign_flow_get(&f, st, &up, id), 0);
	assert_int_equal(f.state, FLOW_DONE);
	assert_int_equal(mails_to("up@uji.go.id"), 1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'esign.flow.complete'"),
	                 1);
	/* The uploader and each signer may download the result. */
	assert_int_equal(esign_flow_file(&data, &len, st, &s1, id, 0), 0);
	assert_true(memcmp(data + len - 5, "s2 a\n", 5) == 0);
	free(data);

	/* After the completion: nothing more. */
	snapshot(before);
	sign_as(st, &s2, id, 2, "s2", SERTEL_ESTATE);
	assert_int_equal(esign_flow_decline(st, &s1, id, "terlambat", &env),
	                 SERTEL_ESTATE);
	unchanged(before);
	{
		int64_t bad = 0, n = 0;

		assert_int_equal(audit_verify(st, &bad, &n), 0);
	}
}

static void
decline_stops_the_flow(void **state)
{
	struct store *st = *state;
	struct ra_actor up, s1, s2;
	struct esign_flow f;
	char id[FLOW_ID_LEN + 1];
	int64_t before[6], up_mails;

	actor(&up, st, UP);
	actor(&s1, st, S1);
	actor(&s2, st, S2);
	new_flow(id, st, &up);
	sign_as(st, &s1, id, 0, "s1", 0);
	/* A refusal needs its reason, one line. */
	snapshot(before);
	assert_int_equal(esign_flow_decline(st, &s2, id, "", &env), SERTEL_EINVAL);
	assert_int_equal(esign_flow_decline(st, &s2, id, "dua\nbaris", &env),
	                 SERTEL_EINVAL);
	unchanged(before);
	up_mails = mails_to("up@uji.go.id");
	assert_int_equal(esign_flow_decline(st, &s2, id, "Nomor surat salah", &env), 0);
	assert_int_equal(mails_to("up@uji.go.id"), up_mails + 1);
	assert_int_equal(esign_flow_get(&f, st, &s1, id), 0);
	assert_int_equal(f.state, FLOW_DECLINED);
	assert_string_equal(f.reason, "Nomor surat salah");
	assert_int_equal(f.signers[1].state, FLOW_REFUSED);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                  "'esign.flow.decline' AND reason LIKE '%Nomor surat%'"),
	    1);
	/* After the refusal: no signature, no second refusal. */
	snapshot(before);
	sign_as(st, &s2, id, 1, "s2", SERTEL_ESTATE);
	assert_int_equal(esign_flow_decline(st, &s2, id, "lagi", &env), SERTEL_ESTATE);
	unchanged(before);
}

static void
bad_input_and_expiry(void **state)
{
	struct store *st = *state;
	struct ra_actor up;
	struct esign_flow f;
	char id[FLOW_ID_LEN + 1];
	const char *twice[] = {S1, S1}, *unknown[] = {"3274010101999999"};
	struct esign_doc_in d = {(const unsigned char *)pdf1, sizeof(pdf1) - 1, "a.pdf",
	                         NULL};
	struct esign_doc_in notpdf = {(const unsigned char *)"hello", 5, "a.pdf", NULL};
	int64_t before[6];
	int n = -1;

	actor(&up, st, UP);
	snapshot(before);
	assert_int_equal(esign_flow_create(id, st, &up, twice, 2, &d, 1, &env),
	                 SERTEL_EINVAL);
	assert_int_equal(esign_flow_create(id, st, &up, unknown, 1, &d, 1, &env),
	                 SERTEL_EINVAL);
	assert_int_equal(esign_flow_create(id, st, &up, twice, 1, &notpdf, 1, &env),
	                 SERTEL_EINVAL);
	assert_int_equal(esign_flow_create(id, st, &up, twice, 0, &d, 1, &env),
	                 SERTEL_EINVAL);
	unchanged(before);
	new_flow(id, st, &up);
	assert_int_equal(
	    esign_flow_preview_put(st, id, 0, 0, 0, (const unsigned char *)"png", 3), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM blobs"), 3);
	/* Not yet expired; then past its time, gone with its files. */
	assert_int_equal(esign_flow_expire(st, time_now(), &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(esign_flow_expire(st, time_now() + env.ttl + 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM blobs"), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM esign_flow_docs"), 0);
	assert_int_equal(esign_flow_get(&f, st, &up, id), SERTEL_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(signers_in_order, setup,
	                                    fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(decline_stops_the_flow, setup,
	                                    fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(bad_input_and_expiry, setup,
	                                    fixture_store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
