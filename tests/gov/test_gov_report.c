/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The annual evaluation report (src/gov/report.c, report_pdf.c) on SQLite
 * and PostgreSQL: a store with KNOWN events over 2025 and every figure of
 * the JSON checked against values written here by hand (not computed by
 * the code under test); the PDF's text (pdftotext) shows the same numbers;
 * the percentile method; who may read and who may sign (denied ones change
 * nothing); bad input.
 *
 * Applications go through the real src/ra functions (apply, submit,
 * return, reject, approve, issue, renew, revoke).  The clock is not
 * injectable, so after each record is made the test moves its timestamps
 * to the scenario's dates by SQL (applications.submitted_at/decided_at/
 * issued_at, certs.created_at/not_before/not_after/revoked_at); the audit
 * trail is left as written, so its chain stays intact.  Governance rows of
 * areas not on main yet (plans, systems, probes, incidents, tickets, needs,
 * staff, headcounts) are inserted by SQL.
 *
 * `test_gov_report write DIR` builds the same store and writes draft.pdf,
 * signed.pdf (B-B, the Kepala Dinas's sealed key), root.pem, report.json
 * and report.csv into DIR for test_gov_report.sh (qpdf, pdfsig, sertel
 * verify, pdftoppm).
 */
#include "fixture.h"
#include "fixture_ra.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "esign/esign.h"
#include "gov/gov.h"
#include "instance/instance.h"
#include "pki/pki.h"
#include "ra/ra.h"

#define NIK_KADIS "3274010101750001"
#define NIK_OP1   "3274010101820001"
#define NIK_OP2   "3274010101830001"
#define NIK_AUD   "3274010101860001"
#define NIK_HEAD  "3274010101870001"
#define NIK_SITI  "3274014101920002"
#define NIK_EKA   "3274014101930003"
#define NIK_ANDI  "3274010101850001"
#define NIK_BUDI  "3274010101880001"
#define NIK_DEWI  "3274014101940004"
#define STRONG    "Kopi-Tubruk-2026!"

static struct pki_conf pc;
static const char *write_dir;

struct env {
	struct store *st;
	struct ca *ca;
	struct issuer *is;
	struct instance in;
	struct ra_actor admin, kadis, op1, op2, aud, head, siti, eka, andi, budi, dewi;
	char kominfo[17], dinkes[17], bappeda[17];
	char c1[SERIAL_HEX_MAX + 1], c2[SERIAL_HEX_MAX + 1], c4[SERIAL_HEX_MAX + 1],
	    c5[SERIAL_HEX_MAX + 1], op1cert[SERIAL_HEX_MAX + 1],
	    op2cert[SERIAL_HEX_MAX + 1];
};

/* A WIB wall-clock time of the scenario as Unix seconds. */
static int64_t
wib(const char *local)
{
	int64_t t = 0;

	if (time_parse(&t, local) < 0)
		fail_msg("time %s: %s", local, sertel_errmsg());
	return t - 7 * 3600;
}

static void sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
sqlf(const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	fixture_sql(sql);
}

static void
person(struct env *e, const struct ra_actor *who, const char *nik, const char *name,
       const char *mail, const char *agency, struct ra_actor *out)
{
	/* The head of agency holds that role from registration. */
	fixture_person(e->st, who, nik, name, mail, agency,
	               strcmp(nik, NIK_HEAD) == 0 ? ROLE_PEMOHON | ROLE_KEPALA_PD
	                                          : ROLE_PEMOHON);
	if (out != NULL)
		assert_int_equal(ra_actor_person(out, e->st, nik), 0);
}

/* An operator's own certificate (Cirebon 20(1)), issued now. */
static void
own_cert(struct env *e, const char *nik, const char *cn, char serial[SERIAL_HEX_MAX + 1])
{
	struct issue_req rq;
	struct cert_rec rec;
	char *csr = fixture_csr_pem();

	memset(&rq, 0, sizeof(rq));
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = strlen(csr);
	rq.type = "individu";
	rq.usages = "signing";
	rq.cn = cn;
	rq.nik = nik;
	rq.actor = "test";
	rq.reason = "test";
	if (ca_issue(&rec, e->ca, e->st, &pc, &rq) < 0)
		fail_msg("cert %s: %s", nik, sertel_errmsg());
	str_copy(serial, SERIAL_HEX_MAX + 1, rec.serial);
	cert_rec_free(&rec);
	free(csr);
}

static const unsigned char pdf_att[] = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";

static void
apply(char id[RA_ID_LEN + 1], struct env *e, const struct ra_actor *who,
      const char *usages)
{
	struct ra_file files[3] = {
	    {"pengantar", pdf_att, sizeof(pdf_att) - 1, "pengantar.pdf"},
	    {"rekomendasi", pdf_att, sizeof(pdf_att) - 1, "rekomendasi.pdf"},
	    {"ktp", pdf_att, sizeof(pdf_att) - 1, "ktp.pdf"},
	};
	struct ra_apply_req rq;
	struct ra_application a;

	memset(&rq, 0, sizeof(rq));
	rq.type = "individu";
	rq.usages = usages;
	rq.files = files;
	rq.nfiles = 3;
	if (ra_apply(&a, e->st, who, &rq, 1) < 0 || ra_submit(e->st, who, a.id) < 0)
		fail_msg("apply: %s", sertel_errmsg());
	str_copy(id, RA_ID_LEN + 1, a.id);
}

static void
approve(struct env *e, const char *id)
{
	int approved = 0;

	if (ra_approve(e->st, &e->op1, id, NULL, NULL, &approved) < 0 || !approved)
		fail_msg("approve %s: %s", id, sertel_errmsg());
}

/* Issued to who from a CSR (or a generated key under pass). */
static void
issue(struct env *e, const struct ra_actor *who, const char *id, const char *pass,
      char serial[SERIAL_HEX_MAX + 1])
{
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	char *csr = NULL;

	memset(&rq, 0, sizeof(rq));
	rq.app_id = id;
	rq.accept_agreement = 1;
	if (pass != NULL) {
		rq.passphrase = pass;
		rq.passlen = strlen(pass);
		rq.pass_min_len = 10;
	} else {
		csr = fixture_csr_pem();
		rq.csr = (const unsigned char *)csr;
		rq.csr_len = strlen(csr);
	}
	if (ra_issue(&rec, &info, e->st, who, e->is, &rq) < 0)
		fail_msg("issue %s: %s", id, sertel_errmsg());
	str_copy(serial, SERIAL_HEX_MAX + 1, rec.serial);
	cert_rec_free(&rec);
	free(csr);
}

/* The scenario's dates of an application and of its certificate. */
static void
dates(const char *app, const char *submitted, int64_t decided_after, int64_t issued_after,
      const char *serial)
{
	int64_t s = wib(submitted);

	sqlf("UPDATE applications SET submitted_at = %lld, decided_at = %lld, "
	     "issued_at = %s WHERE id = '%s'",
	     (long long)s, (long long)(s + decided_after),
	     issued_after ? "submitted_at + 0" : "NULL", app);
	if (issued_after)
		sqlf("UPDATE applications SET issued_at = %lld WHERE id = '%s'",
		     (long long)(s + issued_after), app);
	if (serial != NULL)
		sqlf("UPDATE certs SET created_at = %lld, not_before = %lld, not_after = "
		     "%lld WHERE serial = '%s'",
		     (long long)(s + issued_after), (long long)(s + issued_after),
		     (long long)(s + issued_after + 730LL * 86400), serial);
}

#define DAY  86400LL
#define HOUR 3600LL

static void
scenario(struct env *e)
{
	char a1[RA_ID_LEN + 1], a2[RA_ID_LEN + 1], a3[RA_ID_LEN + 1], a4[RA_ID_LEN + 1],
	    a5[RA_ID_LEN + 1], a6[RA_ID_LEN + 1], ak[RA_ID_LEN + 1],
	    kserial[SERIAL_HEX_MAX + 1];
	struct ra_application ren;

	/* The Kepala Dinas's own signing certificate, key sealed here, made
	 * now (2026 or later): outside the year reported. */
	apply(ak, e, &e->kadis, "signing");
	approve(e, ak);
	issue(e, &e->kadis, ak, STRONG, kserial);

	/* 1. Siti: submitted 1 Feb, approved after 2 days, issued after 3. */
	apply(a1, e, &e->siti, "signing");
	approve(e, a1);
	issue(e, &e->siti, a1, NULL, e->c1);
	dates(a1, "2025-02-01 00:00:00", 2 * DAY, 3 * DAY, e->c1);
	/* 2. Andi: returned once, approved after 4 days, issued after 6. */
	apply(a2, e, &e->andi, "signing,email");
	assert_int_equal(ra_return(e->st, &e->op1, a2, "KTP tidak terbaca"), 0);
	assert_int_equal(ra_submit(e->st, &e->andi, a2), 0);
	approve(e, a2);
	issue(e, &e->andi, a2, NULL, e->c2);
	dates(a2, "2025-03-01 00:00:00", 4 * DAY, 6 * DAY, e->c2);
	/* 3. Budi: rejected after 1 day. */
	apply(a3, e, &e->budi, "signing");
	assert_int_equal(ra_reject(e->st, &e->op1, a3, "bukan ASN"), 0);
	dates(a3, "2025-04-01 00:00:00", 1 * DAY, 0, NULL);
	/* 4. Dewi: returned twice, approved after 10 days, issued after 12. */
	apply(a4, e, &e->dewi, "signing");
	assert_int_equal(ra_return(e->st, &e->op1, a4, "KTP tidak terbaca"), 0);
	assert_int_equal(ra_submit(e->st, &e->dewi, a4), 0);
	assert_int_equal(
	    ra_return(e->st, &e->op1, a4, "surat rekomendasi, belum ditandatangani"), 0);
	assert_int_equal(ra_submit(e->st, &e->dewi, a4), 0);
	approve(e, a4);
	issue(e, &e->dewi, a4, NULL, e->c4);
	dates(a4, "2025-05-01 00:00:00", 10 * DAY, 12 * DAY, e->c4);
	/* 5. Siti renews: approved after 2 days, issued after 2.5. */
	if (ra_renew(&ren, e->st, &e->siti, e->c1, 1) < 0)
		fail_msg("renew: %s", sertel_errmsg());
	str_copy(a5, sizeof(a5), ren.id);
	assert_int_equal(ra_submit(e->st, &e->siti, a5), 0);
	approve(e, a5);
	issue(e, &e->siti, a5, NULL, e->c5);
	dates(a5, "2025-09-01 00:00:00", 2 * DAY, 60 * HOUR, e->c5);
	/* 6. Eka: submitted 1 Nov, still waiting. */
	apply(a6, e, &e->eka, "signing");
	sqlf("UPDATE applications SET submitted_at = %lld WHERE id = '%s'",
	     (long long)wib("2025-11-01 00:00:00"), a6);

	/* Andi reports his key leaked; revoked 15 Oct. */
	if (ra_revoke(e->st, &e->andi, e->is, e->c2, "kunci-bocor", "laptop hilang") < 0)
		fail_msg("revoke: %s", sertel_errmsg());
	sqlf("UPDATE certs SET revoked_at = %lld WHERE serial = '%s'",
	     (long long)wib("2025-10-15 00:00:00"), e->c2);
	/* Operator Dua's certificate: issued at the first second of 2025 in
	 * WIB (still 2024 in UTC), revoked outside the RA (superseded, no
	 * request) on 1 Dec. */
	sqlf("UPDATE certs SET created_at = %lld, not_before = %lld, not_after = %lld, "
	     "revoked = 1, reason = 4, revoked_at = %lld WHERE serial = '%s'",
	     (long long)wib("2025-01-01 00:00:00"), (long long)wib("2025-01-01 00:00:00"),
	     (long long)wib("2027-01-01 00:00:00"), (long long)wib("2025-12-01 00:00:00"),
	     e->op2cert);
	/* Operator Satu's certificate ends in ten days (a system uses it). */
	sqlf("UPDATE certs SET not_after = %lld WHERE serial = '%s'",
	     (long long)(time_now() + 10 * DAY), e->op1cert);

	/* Coverage: Kominfo's staff list (5 ASN), Dinkes's headcount (4),
	 * Bappeda's headcount (2). */
	sqlf("INSERT INTO gov_staff (nik, nip, name, agency_id, position, imported_at) "
	     "VALUES ('%s', NULL, 'Siti', '%s', '', 1), ('%s', NULL, 'Eka', '%s', '', "
	     "1), ('%s', NULL, 'Kadis', '%s', '', 1), ('%s', NULL, 'Op1', '%s', '', 1), "
	     "('3274010101990009', NULL, 'Belum terdaftar', '%s', '', 1)",
	     NIK_SITI, e->kominfo, NIK_EKA, e->kominfo, NIK_KADIS, e->kominfo, NIK_OP1,
	     e->kominfo, e->kominfo);
	sqlf("INSERT INTO gov_headcounts (agency_id, n, updated_by, updated_at) VALUES "
	     "('%s', 4, 'test', 1), ('%s', 2, 'test', 1)",
	     e->dinkes, e->bappeda);
	/* The plan (2025-2029), its 2025 targets, one review in Jan 2025. */
	sqlf("INSERT INTO gov_plans (id, title, start_year, end_year, refs, created_by, "
	     "created_at, updated_at) VALUES ('p1', 'Rencana Induk', 2025, 2029, '', "
	     "'test', %lld, %lld)",
	     (long long)wib("2025-01-05 00:00:00"),
	     (long long)wib("2025-01-05 00:00:00"));
	sqlf("INSERT INTO gov_plan_targets (plan_id, year, asn_bp, systems, services) "
	     "VALUES ('p1', 2025, 2500, 2, 10), ('p1', 2026, 5000, 4, 20)");
	sqlf("INSERT INTO gov_plan_reviews (plan_id, reviewed_at, outcome, by_actor) "
	     "VALUES ('p1', %lld, 'sesuai', 'test')",
	     (long long)wib("2025-01-10 00:00:00"));
	/* Systems: certificates and their last probes. */
	sqlf("INSERT INTO gov_systems (id, name, agency_id, url, purpose, cert_serial, "
	     "created_by, created_at, updated_at) VALUES "
	     "('s1', 'SIMPEG', '%s', 'https://simpeg.test', '', '%s', 't', 1, 1), "
	     "('s2', 'E-Office', '%s', 'https://eoffice.test', '', '%s', 't', 1, 1), "
	     "('s3', 'Portal', '%s', 'https://portal.test', '', NULL, 't', 1, 1), "
	     "('s4', 'SIPD', '%s', 'https://sipd.test', '', '%s', 't', 1, 1), "
	     "('s5', 'Helpdesk', '%s', 'https://helpdesk.test', '', '%s', 't', 1, 1)",
	     e->kominfo, e->c1, e->dinkes, e->c2, e->bappeda, e->kominfo, e->c4,
	     e->bappeda, e->op1cert);
	sqlf(
	    "INSERT INTO gov_probes (system_id, at, ok, matches) VALUES "
	    "('s1', 100, 1, 1), ('s4', 100, 1, 1), ('s4', 200, 0, 0), ('s5', 100, 1, 1)");
	/* Incidents of 2025 and one of 2024. */
	sqlf("INSERT INTO gov_incidents (id, kind, severity, state, title, description, "
	     "reporter, reported_at, notified_at, handled_at, closed_at, updated_at) "
	     "VALUES ('i1', 'kunci-hilang', 'tinggi', 'closed', 't', 'd', 'x', %lld, "
	     "%lld, "
	     "NULL, %lld, 1), "
	     "('i2', 'autentikasi', 'sedang', 'notified', 't', 'd', 'x', %lld, %lld, "
	     "NULL, "
	     "NULL, 1), "
	     "('i3', 'kunci-hilang', 'rendah', 'reported', 't', 'd', 'x', %lld, NULL, "
	     "NULL, NULL, 1), "
	     "('i4', 'lainnya', 'rendah', 'handled', 't', 'd', 'x', %lld, %lld, NULL, "
	     "NULL, 1)",
	     (long long)wib("2025-06-01 00:00:00"),
	     (long long)(wib("2025-06-01 00:00:00") + HOUR / 2),
	     (long long)(wib("2025-06-01 00:00:00") + 48 * HOUR),
	     (long long)wib("2025-07-01 00:00:00"),
	     (long long)(wib("2025-07-01 00:00:00") + 2 * HOUR),
	     (long long)wib("2025-08-01 00:00:00"), (long long)wib("2024-12-31 23:59:59"),
	     (long long)wib("2025-01-01 00:10:00"));
	/* Complaints of 2025 and one of now. */
	sqlf("INSERT INTO gov_tickets (id, category, state, subject, description, "
	     "person_nik, created_at, resolved_at, closed_at, updated_at) VALUES "
	     "('t1', 'autentikasi', 'resolved', 's', 'd', '%s', %lld, %lld, NULL, 1), "
	     "('t2', 'penyangkalan', 'closed', 's', 'd', '%s', %lld, %lld, %lld, 1), "
	     "('t3', 'autentikasi', 'open', 's', 'd', '%s', %lld, NULL, NULL, 1), "
	     "('t4', 'operator', 'open', 's', 'd', '%s', %lld, NULL, NULL, 1)",
	     NIK_SITI, (long long)wib("2025-03-10 00:00:00"),
	     (long long)(wib("2025-03-10 00:00:00") + 5 * HOUR), NIK_ANDI,
	     (long long)wib("2025-04-10 00:00:00"),
	     (long long)(wib("2025-04-10 00:00:00") + 24 * HOUR),
	     (long long)(wib("2025-04-10 00:00:00") + 48 * HOUR), NIK_DEWI,
	     (long long)wib("2025-11-10 00:00:00"), NIK_EKA, (long long)time_now());
	/* Needs: one waiting for the Dinas's analysis, one planned. */
	sqlf("INSERT INTO gov_needs (id, agency_id, year, state, created_by, created_at, "
	     "updated_at) VALUES ('n1', '%s', 2026, 'submitted', 't', 1, 1), "
	     "('n2', '%s', 2026, 'planned', 't', 1, 1)",
	     e->dinkes, e->bappeda);
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct ra_agency ag;

	if (e == NULL || fixture_store_setup((void **)&e->st) < 0)
		return -1;
	if (fixture_ca(&e->ca, &pc, e->st, test_master) < 0)
		return -1;
	e->in.pc = pc;
	e->in.st = e->st;
	e->in.tz.offset = 7 * 3600;
	str_copy(e->in.tz.name, sizeof(e->in.tz.name), "WIB");
	memcpy(e->in.master, test_master, SECRET_LEN);
	if (issuer_open(&e->is, &e->in, e->ca) < 0)
		return -1;
	ra_actor_local(&e->admin, "cli:test");
	assert_int_equal(ra_agency_add(&ag, e->st, &e->admin, "Dinas Kominfo",
	                               "kominfo.cirebonkota.go.id"),
	                 0);
	str_copy(e->kominfo, sizeof(e->kominfo), ag.id);
	assert_int_equal(ra_agency_add(&ag, e->st, &e->admin, "Dinas Kesehatan",
	                               "dinkes.cirebonkota.go.id"),
	                 0);
	str_copy(e->dinkes, sizeof(e->dinkes), ag.id);
	assert_int_equal(
	    ra_agency_add(&ag, e->st, &e->admin, "Bappeda", "bappeda.cirebonkota.go.id"),
	    0);
	str_copy(e->bappeda, sizeof(e->bappeda), ag.id);

	person(e, &e->admin, NIK_KADIS, "Dr. Kepala Dinas",
	       "kadis@kominfo.cirebonkota.go.id", e->kominfo, NULL);
	assert_int_equal(
	    ra_person_appoint(e->st, &e->admin, NIK_KADIS, ROLE_KEPALA_DINAS), 0);
	assert_int_equal(ra_actor_person(&e->kadis, e->st, NIK_KADIS), 0);
	person(e, &e->kadis, NIK_OP1, "Operator Satu", "op1@kominfo.cirebonkota.go.id",
	       e->kominfo, NULL);
	person(e, &e->kadis, NIK_OP2, "Operator Dua", "op2@kominfo.cirebonkota.go.id",
	       e->kominfo, NULL);
	person(e, &e->kadis, NIK_AUD, "Budi Auditor", "audit@kominfo.cirebonkota.go.id",
	       e->kominfo, NULL);
	person(e, &e->kadis, NIK_HEAD, "Kepala Dinkes", "kepala@dinkes.cirebonkota.go.id",
	       e->dinkes, NULL);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP1, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP2, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_AUD, ROLE_AUDITOR), 0);
	own_cert(e, NIK_OP1, "Operator Satu", e->op1cert);
	own_cert(e, NIK_OP2, "Operator Dua", e->op2cert);
	assert_int_equal(ra_actor_person(&e->op1, e->st, NIK_OP1), 0);
	assert_int_equal(ra_actor_person(&e->op2, e->st, NIK_OP2), 0);
	assert_int_equal(ra_actor_person(&e->aud, e->st, NIK_AUD), 0);
	assert_int_equal(ra_actor_person(&e->head, e->st, NIK_HEAD), 0);
	person(e, &e->kadis, NIK_SITI, "Siti Aminah", "siti@kominfo.cirebonkota.go.id",
	       e->kominfo, &e->siti);
	person(e, &e->kadis, NIK_EKA, "Eka Putri", "eka@kominfo.cirebonkota.go.id",
	       e->kominfo, &e->eka);
	person(e, &e->kadis, NIK_ANDI, "Andi Wijaya", "andi@dinkes.cirebonkota.go.id",
	       e->dinkes, &e->andi);
	person(e, &e->kadis, NIK_BUDI, "Budi Santoso", "budi@dinkes.cirebonkota.go.id",
	       e->dinkes, &e->budi);
	person(e, &e->kadis, NIK_DEWI, "Dewi Lestari", "dewi@bappeda.cirebonkota.go.id",
	       e->bappeda, &e->dewi);
	scenario(e);
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

static const struct time_zone WIB_TZ = {"WIB", 7 * 3600};

static struct gov_report *
build(struct env *e, const struct ra_actor *who)
{
	struct gov_report *r = NULL;

	if (gov_report_build(&r, e->st, who, 2025, &WIB_TZ, 3600) < 0)
		fail_msg("build: %s", sertel_errmsg());
	return r;
}

/* One figure of the JSON: figures.SECTION.DIM.KEY. */
static json_t *
figure(json_t *j, const char *sec, const char *dim, const char *key)
{
	json_t *v = json_object_get(
	    json_object_get(json_object_get(json_object_get(j, "figures"), sec), dim),
	    key);

	if (v == NULL)
		fail_msg("figure %s.%s.%s: missing", sec, dim, key);
	return v;
}

#define INT(sec, dim, key, want)                                                         \
	do {                                                                             \
		json_t *v_ = figure(j, sec, dim, key);                                   \
		if (!json_is_integer(v_) || json_integer_value(v_) != (want))            \
			fail_msg("%s.%s.%s: %lld, expected %lld", sec, dim, key,         \
			         (long long)json_integer_value(v_), (long long)(want));  \
	} while (0)
#define REAL(sec, dim, key, want)                                                        \
	do {                                                                             \
		json_t *v_ = figure(j, sec, dim, key);                                   \
		if (!json_is_real(v_) || json_real_value(v_) != (want))                  \
			fail_msg("%s.%s.%s: %g, expected %g", sec, dim, key,             \
			         json_real_value(v_), (double)(want));                   \
	} while (0)
#define TEXT(sec, dim, key, want)                                                        \
	do {                                                                             \
		json_t *v_ = figure(j, sec, dim, key);                                   \
		if (!json_is_string(v_) || strcmp(json_string_value(v_), want) != 0)     \
			fail_msg("%s.%s.%s: %s, expected %s", sec, dim, key,             \
			         json_string_value(v_), want);                           \
	} while (0)
/* The dimension has exactly n keys. */
#define NKEYS(sec, dim, n)                                                               \
	assert_int_equal(json_object_size(json_object_get(                               \
	                     json_object_get(json_object_get(j, "figures"), sec), dim)), \
	                 n)

static void
report_figures_match_the_scenario(void **state)
{
	struct env *e = *state;
	struct gov_report *r = build(e, &e->kadis);
	json_t *j = NULL;

	assert_int_equal(gov_report_json(&j, r), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "year")), 2025);
	assert_string_equal(json_string_value(json_object_get(j, "zone")), "WIB");
	/* 1 Jan 2025 00:00 WIB is 31 Dec 2024 17:00 UTC. */
	assert_string_equal(json_string_value(json_object_get(j, "from")),
	                    "2024-12-31T17:00:00Z");

	/* Certificates: C1, C2, C4, C5 and Operator Dua's (first second of
	 * the year in WIB); C5 a renewal; C2 and Operator Dua's revoked. */
	INT("certificates", "total", "issued", 5);
	INT("certificates", "total", "renewed", 1);
	INT("certificates", "total", "revoked", 2);
	INT("certificates", "issued_by_type", "individu", 5);
	NKEYS("certificates", "issued_by_type", 1);
	INT("certificates", "renewed_by_type", "individu", 1);
	INT("certificates", "revoked_by_type", "individu", 2);
	INT("certificates", "issued_by_usage", "signing", 5);
	INT("certificates", "issued_by_usage", "email", 1);
	NKEYS("certificates", "issued_by_usage", 2);
	INT("certificates", "renewed_by_usage", "signing", 1);
	NKEYS("certificates", "renewed_by_usage", 1);
	INT("certificates", "revoked_by_usage", "signing", 2);
	INT("certificates", "revoked_by_usage", "email", 1);
	INT("certificates", "issued_by_agency", "Dinas Kominfo", 3);
	INT("certificates", "issued_by_agency", "Dinas Kesehatan", 1);
	INT("certificates", "issued_by_agency", "Bappeda", 1);
	NKEYS("certificates", "issued_by_agency", 3);
	INT("certificates", "renewed_by_agency", "Dinas Kominfo", 1);
	NKEYS("certificates", "renewed_by_agency", 1);
	INT("certificates", "revoked_by_agency", "Dinas Kominfo", 1);
	INT("certificates", "revoked_by_agency", "Dinas Kesehatan", 1);
	NKEYS("certificates", "revoked_by_agency", 2);
	INT("revocations", "by_cause", "kunci-bocor", 1);
	INT("revocations", "by_cause", "crl:superseded", 1);
	NKEYS("revocations", "by_cause", 2);

	/* Applications of 2025 (the Kepala Dinas's own is of now). */
	INT("applications", "total", "submitted", 6);
	INT("applications", "total", "approved", 4);
	INT("applications", "total", "rejected", 1);
	INT("applications", "total", "issued", 4);
	INT("applications", "total", "renewal_issued", 1);
	/* Decision: 1, 2, 2, 4, 10 days: median rank 3 = 2, p90 rank 5 = 10. */
	INT("turnaround", "to_decision", "count", 5);
	REAL("turnaround", "to_decision", "median", 2.0);
	REAL("turnaround", "to_decision", "p90", 10.0);
	/* Issuance: 2.5, 3, 6, 12 days: median rank 2 = 3, p90 rank 4 = 12. */
	INT("turnaround", "to_issuance", "count", 4);
	REAL("turnaround", "to_issuance", "median", 3.0);
	REAL("turnaround", "to_issuance", "p90", 12.0);
	INT("returns", "returned_by_reason", "KTP tidak terbaca", 2);
	INT("returns", "returned_by_reason", "surat rekomendasi, belum ditandatangani",
	    1);
	NKEYS("returns", "returned_by_reason", 2);
	INT("returns", "rejected_by_reason", "bukan ASN", 1);
	NKEYS("returns", "rejected_by_reason", 1);

	/* Coverage at the year's end: Kominfo 1 of 5 (Siti), Dinkes 0 of 4
	 * (Andi's revoked), Bappeda 1 of 2 (Dewi): 2 of 11. */
	INT("coverage", "region", "headcount", 11);
	INT("coverage", "region", "holders", 2);
	INT("coverage", "region", "share_bp", 1818);
	INT("coverage", "agency_share_bp", "Dinas Kominfo", 2000);
	INT("coverage", "agency_share_bp", "Dinas Kesehatan", 0);
	INT("coverage", "agency_share_bp", "Bappeda", 5000);
	INT("coverage", "agency_holders", "Bappeda", 1);
	INT("coverage", "agency_headcount", "Dinas Kesehatan", 4);
	INT("coverage", "agency_headcount", "Dinas Kominfo", 5);
	/* Holders at each month's end: 0, Siti, +Andi, =, +Dewi (May) ...,
	 * Andi revoked 15 Oct. */
	NKEYS("coverage", "monthly_share_bp", 12);
	INT("coverage", "monthly_share_bp", "2025-01", 0);
	INT("coverage", "monthly_share_bp", "2025-02", 909);
	INT("coverage", "monthly_share_bp", "2025-03", 1818);
	INT("coverage", "monthly_share_bp", "2025-04", 1818);
	INT("coverage", "monthly_share_bp", "2025-05", 2727);
	INT("coverage", "monthly_share_bp", "2025-09", 2727);
	INT("coverage", "monthly_share_bp", "2025-10", 1818);
	INT("coverage", "monthly_share_bp", "2025-12", 1818);
	INT("targets", "road_map", "asn_share_bp_target", 2500);
	INT("targets", "road_map", "asn_share_bp_reached", 1818);
	INT("targets", "road_map", "systems_target", 2);
	INT("targets", "road_map", "services_target", 10);
	/* SIMPEG (C1) and SIPD (C4) valid at the year's end. */
	INT("targets", "road_map", "systems_reached", 2);

	TEXT("systems", "system", "SIMPEG (Dinas Kominfo)", "baik");
	TEXT("systems", "system", "E-Office (Dinas Kesehatan)", "dicabut");
	TEXT("systems", "system", "Portal (Bappeda)", "tanpa-sertifikat");
	TEXT("systems", "system", "SIPD (Dinas Kominfo)", "probe-gagal");
	TEXT("systems", "system", "Helpdesk (Bappeda)", "segera-kedaluwarsa");
	NKEYS("systems", "by_state", 5);
	INT("systems", "by_state", "baik", 1);

	INT("incidents", "total", "reported", 3);
	INT("incidents", "total", "notice_hours_count", 2);
	REAL("incidents", "total", "notice_hours_median", 0.5);
	REAL("incidents", "total", "notice_hours_p90", 2.0);
	INT("incidents", "total", "close_hours_count", 1);
	REAL("incidents", "total", "close_hours_median", 48.0);
	INT("incidents", "total", "notified_late", 2);
	INT("incidents", "total", "notify_within_seconds", 3600);
	INT("incidents", "by_kind", "kunci-hilang", 2);
	INT("incidents", "by_kind", "autentikasi", 1);
	NKEYS("incidents", "by_kind", 2);
	INT("incidents", "by_severity", "tinggi", 1);
	INT("incidents", "by_severity", "rendah", 1);
	NKEYS("incidents", "by_severity", 3);
	INT("incidents", "by_state", "closed", 1);
	NKEYS("incidents", "by_state", 3);

	INT("complaints", "total", "received", 3);
	INT("complaints", "total", "resolve_hours_count", 2);
	REAL("complaints", "total", "resolve_hours_median", 5.0);
	REAL("complaints", "total", "resolve_hours_p90", 24.0);
	INT("complaints", "by_category", "autentikasi", 2);
	INT("complaints", "by_category", "penyangkalan", 1);
	NKEYS("complaints", "by_category", 2);
	INT("complaints", "by_state", "open", 1);
	NKEYS("complaints", "by_state", 3);

	TEXT("audit", "chain", "result", "utuh");
	INT("audit", "chain", "entries", fixture_count("SELECT COUNT(*) FROM audit"));
	INT("open", "items", "needs_undecided", 1);
	INT("open", "items", "incidents_open", 3);
	INT("open", "items", "complaints_open", 2);
	INT("open", "items", "plan_review_late", 1);
	INT("open", "items", "systems_probe_failed", 1);
	INT("open", "items", "systems_cert_expiring_30d", 1);
	json_decref(j);
	gov_report_free(r);
}

/* The CSV carries the same rows, RFC 4180 quoted. */
static void
report_csv_rows(void **state)
{
	struct env *e = *state;
	struct gov_report *r = build(e, &e->aud);
	struct buf b;
	size_t lines = 0;
	const char *p;

	buf_init(&b, 1 << 20);
	assert_int_equal(gov_report_csv(&b, r), 0);
	assert_int_equal(buf_cstr(&b), 0);
	p = (const char *)b.data;
	assert_true(strncmp(p, "section,dimension,key,value\r\n", 29) == 0);
	assert_non_null(strstr(p, "\r\ncertificates,total,issued,5\r\n"));
	assert_non_null(strstr(p, "\r\nturnaround,to_issuance,median,3.0\r\n"));
	assert_non_null(strstr(p, "\r\nsystems,system,SIMPEG (Dinas Kominfo),baik\r\n"));
	assert_non_null(strstr(p, "\r\nreturns,returned_by_reason,\"surat rekomendasi, "
	                          "belum ditandatangani\",1\r\n"));
	for (; (p = strstr(p, "\r\n")) != NULL; p += 2)
		lines++;
	assert_int_equal(lines, r->nrows + 1);
	buf_free(&b);
	gov_report_free(r);
}

/* The PDF's text (pdftotext -layout) into out. */
static void
pdf_text(char *out, size_t outsz, const unsigned char *pdf, size_t len)
{
	char path[] = "/tmp/gov-report-XXXXXX", cmd[128];
	FILE *f;
	size_t n;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout %s -", path);
	assert_non_null(f = popen(cmd, "r"));
	n = fread(out, 1, outsz - 1, f);
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	unlink(path);
}

/* A line of the text where label is followed (after spaces) by value. */
static void
has_row(const char *text, const char *label, const char *value)
{
	const char *p = text, *q;

	while ((p = strstr(p, label)) != NULL) {
		q = p + strlen(label);
		while (*q == ' ')
			q++;
		if (strncmp(q, value, strlen(value)) == 0 &&
		    (q[strlen(value)] == '\n' || q[strlen(value)] == ' '))
			return;
		p++;
	}
	fail_msg("PDF text: no row '%s  %s'", label, value);
}

static void
report_pdf_text_shows_the_figures(void **state)
{
	struct env *e = *state;
	struct gov_report *r = build(e, &e->kadis);
	struct gov_report_doc doc;
	unsigned char *pdf = NULL;
	size_t len = 0;
	static char text[1 << 20];
	const char *p;
	int pages = 0;

	memset(&doc, 0, sizeof(doc));
	doc.org = "Pemerintah Kota Cirebon";
	doc.draft = 1;
	assert_int_equal(gov_report_pdf(&pdf, &len, r, &doc), 0);
	pdf_text(text, sizeof(text), pdf, len);
	assert_non_null(strstr(text, "Laporan Evaluasi Tahunan"));
	assert_non_null(strstr(text, "Penyelenggaraan Sertifikat Elektronik"));
	assert_non_null(strstr(text, "Tahun 2025"));
	/* The default recipients, numbered. */
	assert_non_null(strstr(text, "1. Wali Kota/Bupati"));
	assert_non_null(strstr(text, "2. Gubernur"));
	assert_non_null(strstr(text, "3. Kepala BSSN"));
	assert_non_null(strstr(text, "4. Kepala BSrE"));
	/* The same numbers as the JSON. */
	has_row(text, "Diterbitkan", "5");
	has_row(text, "Diperpanjang", "1");
	has_row(text, "Dicabut", "2");
	has_row(text, "Dinas Kominfo", "3");
	has_row(text, "kunci-bocor", "1");
	has_row(text, "crl:superseded", "1");
	has_row(text, "Diajukan", "6");
	has_row(text, "Persentil ke-90", "12.0");
	has_row(text, "KTP tidak terbaca", "2");
	has_row(text, "bukan ASN", "1");
	has_row(text, "Cakupan (basis poin)", "1818");
	has_row(text, "Target cakupan ASN (basis poin)", "2500");
	has_row(text, "2025-05", "2727");
	has_row(text, "SIPD (Dinas Kominfo)", "probe-gagal");
	has_row(text, "Terlambat diberitahukan", "2");
	has_row(text, "Median waktu penyelesaian (jam)", "5.0");
	has_row(text, "Hasil verifikasi", "utuh");
	has_row(text, "Reviu rencana terlambat (1 = ya)", "1");
	/* Every page a draft, numbered "Halaman i dari n" in the zone. */
	for (p = text; (p = strstr(p, "DRAF \xe2\x80\x94 belum ditandatangani")) != NULL;
	     p++)
		pages++;
	assert_true(pages >= 3);
	{
		char last[64];
		int footers = 0;

		for (p = text; (p = strstr(p, "Halaman ")) != NULL; p++)
			footers++;
		assert_int_equal(footers, pages);
		snprintf(last, sizeof(last), "Halaman %d dari %d \xc2\xb7 waktu WIB",
		         pages, pages);
		assert_non_null(strstr(text, last));
	}
	free(pdf);
	gov_report_free(r);
}

/* Nearest rank: ceil(p * n / 100). */
static void
report_percentile_method(void **state)
{
	int64_t a[] = {10, 1, 2, 2, 4}, b[] = {4, 3, 2, 1}, c[] = {7}, d[10];
	int i;

	(void)state;
	assert_int_equal(gov_report_percentile(a, 5, 50), 2);
	assert_int_equal(gov_report_percentile(a, 5, 90), 10);
	assert_int_equal(gov_report_percentile(b, 4, 50), 2); /* the lower middle */
	assert_int_equal(gov_report_percentile(b, 4, 90), 4);
	assert_int_equal(gov_report_percentile(b, 4, 25), 1);
	assert_int_equal(gov_report_percentile(c, 1, 90), 7);
	assert_int_equal(gov_report_percentile(c, 0, 50), 0);
	for (i = 0; i < 10; i++)
		d[i] = 10 - i; /* 10..1 */
	assert_int_equal(gov_report_percentile(d, 10, 90), 9);
	assert_int_equal(gov_report_percentile(d, 10, 91), 10);
}

/* Readers: the Kepala Dinas, auditors, OP operators, the administrator;
 * an applicant and a head of agency are refused. */
static void
report_who_reads(void **state)
{
	struct env *e = *state;
	const struct ra_actor *ok[] = {&e->kadis, &e->aud, &e->op1, &e->admin};
	const struct ra_actor *no[] = {&e->siti, &e->head};
	struct gov_report *r = NULL;
	size_t i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(gov_report_build(&r, e->st, ok[i], 2025, &WIB_TZ, 3600),
		                 0);
		gov_report_free(r);
		r = NULL;
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(gov_report_build(&r, e->st, no[i], 2025, &WIB_TZ, 3600),
		                 SERTEL_EPERM);
		assert_null(r);
		assert_int_equal(gov_report_signed_iter(e->st, no[i], NULL, NULL),
		                 SERTEL_EPERM);
	}
}

static void
report_bad_year(void **state)
{
	struct env *e = *state;
	struct gov_report *r = NULL;
	struct gov_report_conf rc;
	struct config *cfg = NULL;
	char path[] = "/tmp/gov-report-conf-XXXXXX";
	int fd;

	assert_int_equal(gov_report_build(&r, e->st, &e->kadis, 1999, &WIB_TZ, 3600),
	                 SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "year 1999"));
	assert_int_equal(gov_report_build(&r, e->st, &e->kadis, 9999, &WIB_TZ, 3600),
	                 SERTEL_EINVAL);
	assert_null(r);
	/* The config: defaults, and a bad notify_within named. */
	assert_int_equal(gov_report_conf_load(&rc, NULL), 0);
	assert_int_equal(rc.notify_within, 3600);
	assert_string_equal(rc.recipients, GOV_REPORT_RECIPIENTS);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_true(write(fd, "[governance]\nincident_notify_within = 5\n", 40) == 40);
	close(fd);
	assert_int_equal(config_load(&cfg, path), 0);
	assert_int_equal(gov_report_conf_load(&rc, cfg), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "incident_notify_within"));
	config_free(cfg);
	unlink(path);
}

/* The root the signature chains to, for pdfsig and sertel verify. */
static void
write_root(struct env *e)
{
	struct db_stmt *s = NULL;
	const unsigned char *der;
	char path[1024];
	size_t len = 0;
	X509 *x;
	FILE *f;

	assert_int_equal(db_prepare(&s, store_db(e->st),
	                            "SELECT cert_der FROM issuers WHERE role = 'root'"),
	                 0);
	assert_int_equal(db_step(s), 1);
	der = db_col_blob(s, 0, &len);
	assert_non_null(x = d2i_X509(NULL, &der, (long)len));
	db_finalize(s);
	snprintf(path, sizeof(path), "%s/root.pem", write_dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	X509_free(x);
}

static struct esign_conf sign_conf;

static struct esign_ctx *
sign_ctx(struct env *e)
{
	struct esign_ctx *c = NULL;

	assert_int_equal(esign_conf_load(&sign_conf, NULL, "http://ca.test"), 0);
	/* No TSA in a unit test: B-B (the instance's level otherwise). */
	sign_conf.level = SIGN_LEVEL_B;
	assert_int_equal(esign_ctx_new(&c, &e->in, &sign_conf), 0);
	return c;
}

/* Only the Kepala Dinas signs; a wrong passphrase or another signer
 * registers nothing and writes no audit entry. */
static void
report_sign_rules(void **state)
{
	struct env *e = *state;
	struct gov_report *r = build(e, &e->kadis);
	struct esign_ctx *c = sign_ctx(e);
	struct esign_error err;
	const struct ra_actor *no[] = {&e->op1, &e->aud, &e->admin, &e->siti, &e->head};
	unsigned char *pdf = NULL;
	size_t len = 0, i;
	char id[33];
	int64_t docs = fixture_count("SELECT COUNT(*) FROM esign_docs"),
	        audits = fixture_count("SELECT COUNT(*) FROM audit");

	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_int_equal(gov_report_sign(&pdf, &len, id, &err, e->st, c, no[i],
		                                 STRONG, strlen(STRONG), r, pc.org, NULL),
		                 SERTEL_EPERM);
		assert_null(pdf);
	}
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audits);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM esign_docs"), docs);
	/* A wrong passphrase: refused with a message, nothing registered. */
	assert_true(gov_report_sign(&pdf, &len, id, &err, e->st, c, &e->kadis,
	                            "salah-sandi-123", 15, r, pc.org, NULL) < 0);
	assert_null(pdf);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM esign_docs"), docs);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'gov.report.sign'"),
	                 0);
	/* Signed by the Kepala Dinas: registered under the QR code's id and
	 * audited. */
	assert_int_equal(gov_report_sign(&pdf, &len, id, &err, e->st, c, &e->kadis,
	                                 STRONG, strlen(STRONG), r, pc.org, NULL),
	                 0);
	assert_non_null(pdf);
	assert_true(len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
	{
		char sql[160];

		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM esign_docs WHERE id = '%s' AND signer_nik "
		         "= '%s'",
		         id, NIK_KADIS);
		assert_int_equal(fixture_count(sql), 1);
	}
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                  "'gov.report.sign' AND object = 'gov-report:2025'"),
	    1);
	if (write_dir != NULL) {
		char path[1024];

		snprintf(path, sizeof(path), "%s/signed.pdf", write_dir);
		assert_int_equal(file_write(path, pdf, len, 0644), 0);
		write_root(e);
	}
	free(pdf);
	esign_ctx_free(c);
	gov_report_free(r);
}

/* The hub's figures of today: the region for the Dinas, the head's own
 * agency for a head of agency, refused to an applicant. */
static void
hub_figures_of_today(void **state)
{
	struct env *e = *state;
	struct gov_hub h;

	assert_int_equal(gov_hub_get(&h, e->st, &e->kadis), 0);
	assert_true(h.region);
	/* Now: Siti (C1, C5), the Kepala Dinas's own and Operator Satu's
	 * (both on Kominfo's list), Dewi; Andi's is revoked. */
	assert_int_equal(h.coverage.headcount, 11);
	assert_int_equal(h.coverage.holders, 4);
	assert_int_equal(h.incidents_open, 3);
	assert_int_equal(h.complaints_open, 2);
	assert_int_equal(h.systems_failed, 1);
	assert_int_equal(gov_hub_get(&h, e->st, &e->aud), 0);
	assert_true(h.region);
	assert_int_equal(gov_hub_get(&h, e->st, &e->head), 0);
	assert_false(h.region);
	assert_string_equal(h.agency_id, e->dinkes);
	assert_int_equal(h.coverage.headcount, 4);
	assert_int_equal(h.coverage.holders, 0);
	assert_int_equal(gov_hub_get(&h, e->st, &e->siti), SERTEL_EPERM);
}

/* `test_gov_report write DIR`: the documents for test_gov_report.sh. */
static void
report_write_files(void **state)
{
	struct env *e = *state;
	struct gov_report *r = build(e, &e->kadis);
	struct gov_report_doc doc;
	struct buf b;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char path[1024], *text;
	json_t *j = NULL;

	if (write_dir == NULL)
		skip();
	memset(&doc, 0, sizeof(doc));
	doc.org = "Pemerintah Kota Cirebon";
	doc.draft = 1;
	assert_int_equal(gov_report_pdf(&pdf, &len, r, &doc), 0);
	snprintf(path, sizeof(path), "%s/draft.pdf", write_dir);
	assert_int_equal(file_write(path, pdf, len, 0644), 0);
	free(pdf);
	assert_int_equal(gov_report_json(&j, r), 0);
	assert_non_null(text = json_dumps(j, JSON_INDENT(1)));
	snprintf(path, sizeof(path), "%s/report.json", write_dir);
	assert_int_equal(file_write(path, text, strlen(text), 0644), 0);
	free(text);
	json_decref(j);
	buf_init(&b, 1 << 20);
	assert_int_equal(gov_report_csv(&b, r), 0);
	snprintf(path, sizeof(path), "%s/report.csv", write_dir);
	assert_int_equal(file_write(path, b.data, b.len, 0644), 0);
	buf_free(&b);
	gov_report_free(r);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(report_percentile_method),
	    cmocka_unit_test_setup_teardown(report_figures_match_the_scenario, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(report_csv_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(report_pdf_text_shows_the_figures, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(report_who_reads, setup, teardown),
	    cmocka_unit_test_setup_teardown(report_bad_year, setup, teardown),
	    cmocka_unit_test_setup_teardown(report_sign_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(hub_figures_of_today, setup, teardown),
	};
	const struct CMUnitTest write[] = {
	    cmocka_unit_test_setup_teardown(report_sign_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(report_write_files, setup, teardown),
	};

	if (argc == 3 && strcmp(argv[1], "write") == 0) {
		write_dir = argv[2];
		return cmocka_run_group_tests(write, NULL, NULL);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
