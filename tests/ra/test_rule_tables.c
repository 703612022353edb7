/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every row of the RA's rule tables, on SQLite and PostgreSQL: each
 * revocation cause (src/ra/revoke.c) x each kind of actor (the owner, the
 * head of the owner's agency, the head of another agency, an OP operator
 * with and without a certificate of their own, the Kepala Dinas), allowed
 * or denied as the regulations say, with the CRL reason the revocation
 * carries; the attachment kinds each type needs; the approvals per type;
 * the written-warning threshold.  The expected values are written here
 * from the regulations, not read from the tables under test, so a changed
 * row fails.
 */
#include "fixture.h"
#include "fixture_ra.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "instance/instance.h"
#include "pki/pki.h"
#include "ra/ra.h"

#define NIK_KADIS "3274010101750001"
#define NIK_OP1   "3274010101820001" /* operator with a certificate */
#define NIK_OP3   "3274010101840001" /* operator without one */
#define NIK_SITI  "3274014101920002" /* the owner, agency A */
#define NIK_HEADA "3274010101860001" /* head of agency A */
#define NIK_HEADB "3274010101870001" /* head of agency B */

static struct pki_conf pc;

enum actor { OWNER, HEAD_OWN, HEAD_OTHER, OP_CERT, OP_NOCERT, KADIS, NACTORS };
static const char *const actor_names[NACTORS] = {"owner",
                                                 "head of the owner's agency",
                                                 "head of another agency",
                                                 "operator with a certificate",
                                                 "operator without a certificate",
                                                 "Kepala Dinas"};

struct env {
	struct store *st;
	struct ca *ca;
	struct issuer *is;
	struct instance in;
	struct ra_actor admin;
	struct ra_actor who[NACTORS];
};

static void
person(struct env *e, const char *nik, const char *name, const char *mail,
       const char *agency, unsigned roles)
{
	fixture_person(e->st, &e->admin, nik, name, mail, agency, roles);
}

/* A fresh certificate bound to nik; its serial into serial. */
static void
cert_for(struct env *e, const char *nik, char serial[SERIAL_HEX_MAX + 1])
{
	struct issue_req rq;
	struct cert_rec rec;
	char *csr = fixture_csr_pem();

	memset(&rq, 0, sizeof(rq));
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = strlen(csr);
	rq.type = "individu";
	rq.usages = "signing";
	rq.cn = "Uji";
	rq.nik = nik;
	rq.actor = "test";
	rq.reason = "test";
	if (ca_issue(&rec, e->ca, e->st, &pc, &rq) < 0)
		fail_msg("cert %s: %s", nik, sertel_errmsg());
	str_copy(serial, SERIAL_HEX_MAX + 1, rec.serial);
	cert_rec_free(&rec);
	free(csr);
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct ra_agency a, b;
	char serial[SERIAL_HEX_MAX + 1];

	if (e == NULL || fixture_store_setup((void **)&e->st) < 0)
		return -1;
	if (fixture_ca(&e->ca, &pc, e->st, test_master) < 0)
		return -1;
	e->in.pc = pc;
	e->in.st = e->st;
	memcpy(e->in.master, test_master, SECRET_LEN);
	if (issuer_open(&e->is, &e->in, e->ca) < 0)
		return -1;
	ra_actor_local(&e->admin, "cli:test");
	if (ra_agency_add(&a, e->st, &e->admin, "Dinas Pendidikan",
	                  "disdik.cirebonkota.go.id") < 0 ||
	    ra_agency_add(&b, e->st, &e->admin, "Dinas Kominfo",
	                  "kominfo.cirebonkota.go.id") < 0)
		return -1;
	person(e, NIK_KADIS, "Kepala Dinas", "kadis@kominfo.cirebonkota.go.id", b.id,
	       ROLE_PEMOHON);
	assert_int_equal(
	    ra_person_appoint(e->st, &e->admin, NIK_KADIS, ROLE_KEPALA_DINAS), 0);
	assert_int_equal(ra_actor_person(&e->who[KADIS], e->st, NIK_KADIS), 0);
	person(e, NIK_SITI, "Siti Aminah", "siti@disdik.cirebonkota.go.id", a.id,
	       ROLE_PEMOHON);
	person(e, NIK_HEADA, "Kepala Disdik", "kepala@disdik.cirebonkota.go.id", a.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD);
	person(e, NIK_HEADB, "Kepala Kominfo", "kepala@kominfo.cirebonkota.go.id", b.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD);
	person(e, NIK_OP1, "Operator Satu", "op1@kominfo.cirebonkota.go.id", b.id,
	       ROLE_PEMOHON);
	person(e, NIK_OP3, "Operator Tiga", "op3@kominfo.cirebonkota.go.id", b.id,
	       ROLE_PEMOHON);
	assert_int_equal(ra_person_appoint(e->st, &e->who[KADIS], NIK_OP1, ROLE_OPERATOR),
	                 0);
	assert_int_equal(ra_person_appoint(e->st, &e->who[KADIS], NIK_OP3, ROLE_OPERATOR),
	                 0);
	cert_for(e, NIK_OP1, serial); /* Cirebon 20(1): the operator's own */
	assert_int_equal(ra_actor_person(&e->who[OWNER], e->st, NIK_SITI), 0);
	assert_int_equal(ra_actor_person(&e->who[HEAD_OWN], e->st, NIK_HEADA), 0);
	assert_int_equal(ra_actor_person(&e->who[HEAD_OTHER], e->st, NIK_HEADB), 0);
	assert_int_equal(ra_actor_person(&e->who[OP_CERT], e->st, NIK_OP1), 0);
	assert_int_equal(ra_actor_person(&e->who[OP_NOCERT], e->st, NIK_OP3), 0);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	issuer_free(e->is);
	ca_free(e->ca);
	fixture_store_teardown((void **)&e->st);
	free(e);
	return 0;
}

/* ---- revocation causes x actors ------------------------------------------ */
/* Cirebon 15(4) and Palembang 11(2): the owner's own causes; Palembang 11(1):
 * the head of the owner's agency; Cirebon 15(1), Palembang 14(d), 16: the
 * OP, only while holding a valid certificate (Cirebon 20(1)).  RFC 5280
 * 5.3.1 reasons: 0 unspecified, 1 keyCompromise, 3 affiliationChanged,
 * 5 cessationOfOperation, 9 privilegeWithdrawn. */
static const struct {
	const char *cause;
	int reason;
	int allowed[NACTORS]; /* owner, head own, head other, op, op w/o, kadis */
} cause_rows[] = {
    {"permintaan-pemilik", 0, {1, 0, 0, 0, 0, 0}},
    {"penyalahgunaan", 1, {1, 0, 0, 0, 0, 0}},
    {"data-salah", 3, {1, 0, 0, 0, 0, 0}},
    {"kunci-bocor", 1, {1, 0, 0, 0, 0, 0}},
    {"mutasi", 3, {0, 1, 0, 0, 0, 0}},
    {"meninggal", 5, {0, 1, 0, 0, 0, 0}},
    {"mengundurkan-diri", 3, {0, 1, 0, 0, 0, 0}},
    {"pensiun", 5, {0, 1, 0, 0, 0, 0}},
    {"lainnya", 5, {0, 1, 0, 0, 0, 0}},
    {"evaluasi-op", 9, {0, 0, 0, 1, 0, 0}},
    {"sanksi", 9, {0, 0, 0, 1, 0, 0}},
};

static void
every_cause_for_every_actor(void **state)
{
	struct env *e = *state;
	char serial[SERIAL_HEX_MAX + 1], sql[256];
	struct cert_rec rec;
	size_t i;
	int a, rc, checked = 0;
	int64_t audit_before, requests_before;

	for (i = 0; i < sizeof(cause_rows) / sizeof(cause_rows[0]); i++) {
		/* Every cause the RA knows is in this table, and no other. */
		assert_int_equal(ra_cause_reason(cause_rows[i].cause),
		                 cause_rows[i].reason);
		for (a = 0; a < NACTORS; a++) {
			cert_for(e, NIK_SITI, serial);
			audit_before = fixture_count("SELECT COUNT(*) FROM audit");
			requests_before =
			    fixture_count("SELECT COUNT(*) FROM revocation_requests");
			rc = ra_revoke(e->st, &e->who[a], e->is, serial,
			               cause_rows[i].cause, "uji tabel");
			assert_int_equal(store_cert_get(e->st, serial, &rec), 0);
			if (cause_rows[i].allowed[a]) {
				if (rc != 0)
					fail_msg(
					    "%s by %s: refused (%s), expected allowed",
					    cause_rows[i].cause, actor_names[a],
					    sertel_errmsg());
				assert_int_equal(rec.revoked, 1);
				if (rec.reason != cause_rows[i].reason)
					fail_msg("%s: CRL reason %d, expected %d",
					         cause_rows[i].cause, rec.reason,
					         cause_rows[i].reason);
				snprintf(
				    sql, sizeof(sql),
				    "SELECT COUNT(*) FROM revocation_requests WHERE "
				    "serial = '%s' AND cause = '%s' AND state = 'done'",
				    serial, cause_rows[i].cause);
				assert_int_equal(fixture_count(sql), 1);
			} else {
				if (rc != SERTEL_EPERM)
					fail_msg("%s by %s: rc %d (%s), expected denied",
					         cause_rows[i].cause, actor_names[a], rc,
					         rc == 0 ? "revoked" : sertel_errmsg());
				/* Denied: nothing changed. */
				assert_int_equal(rec.revoked, 0);
				assert_int_equal(
				    fixture_count("SELECT COUNT(*) FROM audit"),
				    audit_before);
				assert_int_equal(
				    fixture_count(
				        "SELECT COUNT(*) FROM revocation_requests"),
				    requests_before);
			}
			cert_rec_free(&rec);
			checked++;
		}
	}
	assert_int_equal(checked, 11 * NACTORS);
	/* A cause outside the table. */
	cert_for(e, NIK_SITI, serial);
	assert_int_equal(ra_revoke(e->st, &e->who[OWNER], e->is, serial, "bosan", NULL),
	                 SERTEL_EINVAL);
}

/* ---- attachments per type (Cirebon 10(2)-(3)) -------------------------------- */
static int
has_kind(const char *const *k, int n, const char *kind)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(k[i], kind) == 0)
			return 1;
	return 0;
}

static void
attachments_per_type(void **state)
{
	static const struct {
		const char *type;
		int n;
		const char *kinds[5];
	} rows[] = {
	    /* Cirebon 10(2): the covering letter, the superior's recommendation
	     * and the identity card for everyone; 10(3): the decree (SK) and
	     * the letter of appointment for a position. */
	    {"individu", 3, {"pengantar", "rekomendasi", "ktp"}},
	    {"jabatan", 5, {"pengantar", "rekomendasi", "ktp", "sk", "penunjukan"}},
	    {"sistem", 3, {"pengantar", "rekomendasi", "ktp"}},
	};
	const char *const *k;
	size_t i;
	int n, j;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		k = ra_required_attachments(rows[i].type, &n);
		assert_non_null(k);
		if (n != rows[i].n)
			fail_msg("%s: %d kinds, expected %d", rows[i].type, n, rows[i].n);
		for (j = 0; j < rows[i].n; j++)
			if (!has_kind(k, n, rows[i].kinds[j]))
				fail_msg("%s: %s not required", rows[i].type,
				         rows[i].kinds[j]);
	}
	for (i = 0; i < 5; i++)
		assert_true(ra_attach_kind_valid(rows[1].kinds[i]));
	assert_false(ra_attach_kind_valid("selfie"));
}

/* ---- approvals per type ([approval] TYPE, 1..16) ------------------------------ */
static void
approvals_per_type(void **state)
{
	struct config *cfg = NULL;
	char path[] = "/tmp/sertel-rules-XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	/* Default: one approval for every type. */
	assert_int_equal(ra_approvals_needed(NULL, "individu"), 1);
	assert_int_equal(ra_approvals_needed(NULL, "jabatan"), 1);
	assert_int_equal(ra_approvals_needed(NULL, "sistem"), 1);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("[approval]\njabatan = 2\nsistem = 0\nindividu = 99\n", f);
	fclose(f);
	assert_int_equal(config_load(&cfg, path), 0);
	assert_int_equal(ra_approvals_needed(cfg, "jabatan"), 2);
	assert_int_equal(ra_approvals_needed(cfg, "sistem"), 1);    /* at least 1 */
	assert_int_equal(ra_approvals_needed(cfg, "individu"), 16); /* at most 16 */
	config_free(cfg);
	unlink(path);
}

/* ---- the written-warning threshold (Palembang 16) ------------------------------ */
static void
warnings_open_a_proposal_at_the_threshold(void **state)
{
	struct env *e = *state;
	char serial[SERIAL_HEX_MAX + 1];
	int warnings = 0, proposals = 0, i;

	cert_for(e, NIK_SITI, serial);
	for (i = 1; i <= 2; i++) {
		assert_int_equal(ra_warn(e->st, &e->who[OP_CERT], NIK_SITI, NULL,
		                         "terlambat memperbarui", 3, &warnings,
		                         &proposals),
		                 0);
		assert_int_equal(proposals, 0);
	}
	/* Only an OP operator with a certificate warns. */
	assert_int_equal(ra_warn(e->st, &e->who[OP_NOCERT], NIK_SITI, NULL, "x", 3,
	                         &warnings, &proposals),
	                 SERTEL_EPERM);
	assert_int_equal(ra_warn(e->st, &e->who[HEAD_OWN], NIK_SITI, NULL, "x", 3,
	                         &warnings, &proposals),
	                 SERTEL_EPERM);
	assert_int_equal(ra_warn(e->st, &e->who[OP_CERT], NIK_SITI, NULL,
	                         "terlambat lagi", 3, &warnings, &proposals),
	                 0);
	assert_int_equal(warnings, 3);
	assert_true(proposals >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_cause_for_every_actor),
	    cmocka_unit_test(attachments_per_type),
	    cmocka_unit_test(approvals_per_type),
	    cmocka_unit_test(warnings_open_a_proposal_at_the_threshold),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
