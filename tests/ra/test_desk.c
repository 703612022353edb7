/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issuance at the OP desk (src/ra/desk.c), on SQLite and PostgreSQL: only
 * the code's hash is stored, the session expires, is used once, is spent
 * after RA_DESK_TRIES wrong codes; a non-operator, an operator without a
 * valid certificate of their own, the applicant's own operator role (self-
 * issuance) and an unapproved application are refused; another operator
 * cannot use a session; and no failure issues anything or consumes the
 * session beyond its attempt counter.  The receipt of a desk issuance is
 * signed by its witness only (ra_receipt_sign_check), and the signing is
 * recorded (ra_receipt_signed_audit).
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
#define NIK_OP1   "3274010101820001"
#define NIK_OP2   "3274010101830001"
#define NIK_OP3   "3274010101840001" /* appointed, no certificate */
#define NIK_SITI  "3274014101920002"
#define NIK_ANDI  "3274010101850001"
#define STRONG    "Kopi-Tubruk-2026!"

static struct pki_conf pc;

struct env {
	struct store *st;
	struct ca *ca;
	struct issuer *is;
	struct instance in;
	struct ra_actor admin, kadis, op1, op2, op3, siti, andi;
};

static void
person(struct env *e, const struct ra_actor *who, const char *nik, const char *name,
       const char *mail, const char *agency)
{
	fixture_person(e->st, who, nik, name, mail, agency, ROLE_PEMOHON);
}

/* An operator's own certificate (Cirebon 20(1)). */
static void
own_cert(struct env *e, const char *nik, const char *cn)
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
	cert_rec_free(&rec);
	free(csr);
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
	memcpy(e->in.master, test_master, SECRET_LEN);
	if (issuer_open(&e->is, &e->in, e->ca) < 0)
		return -1;
	ra_actor_local(&e->admin, "cli:test");
	if (ra_agency_add(&ag, e->st, &e->admin, "Dinas Kominfo",
	                  "kominfo.cirebonkota.go.id") < 0)
		return -1;
	person(e, &e->admin, NIK_KADIS, "Kepala Dinas", "kadis@kominfo.cirebonkota.go.id",
	       ag.id);
	assert_int_equal(
	    ra_person_appoint(e->st, &e->admin, NIK_KADIS, ROLE_KEPALA_DINAS), 0);
	assert_int_equal(ra_actor_person(&e->kadis, e->st, NIK_KADIS), 0);
	person(e, &e->kadis, NIK_OP1, "Operator Satu", "op1@kominfo.cirebonkota.go.id",
	       ag.id);
	person(e, &e->kadis, NIK_OP2, "Operator Dua", "op2@kominfo.cirebonkota.go.id",
	       ag.id);
	person(e, &e->kadis, NIK_OP3, "Operator Tiga", "op3@kominfo.cirebonkota.go.id",
	       ag.id);
	person(e, &e->kadis, NIK_SITI, "Siti Aminah", "siti@kominfo.cirebonkota.go.id",
	       ag.id);
	person(e, &e->kadis, NIK_ANDI, "Andi Wijaya", "andi@kominfo.cirebonkota.go.id",
	       ag.id);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP1, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP2, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP3, ROLE_OPERATOR), 0);
	own_cert(e, NIK_OP1, "Operator Satu");
	own_cert(e, NIK_OP2, "Operator Dua");
	assert_int_equal(ra_actor_person(&e->op1, e->st, NIK_OP1), 0);
	assert_int_equal(ra_actor_person(&e->op2, e->st, NIK_OP2), 0);
	assert_int_equal(ra_actor_person(&e->op3, e->st, NIK_OP3), 0);
	assert_int_equal(ra_actor_person(&e->siti, e->st, NIK_SITI), 0);
	assert_int_equal(ra_actor_person(&e->andi, e->st, NIK_ANDI), 0);
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

/* An application of who's, submitted; approved by approver unless NULL. */
static void
application(char id[RA_ID_LEN + 1], struct env *e, const struct ra_actor *who,
            const struct ra_actor *approver)
{
	static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
	struct ra_file files[3] = {
	    {"pengantar", pdf, sizeof(pdf) - 1, "pengantar.pdf"},
	    {"rekomendasi", pdf, sizeof(pdf) - 1, "rekomendasi.pdf"},
	    {"ktp", pdf, sizeof(pdf) - 1, "ktp.pdf"},
	};
	struct ra_apply_req rq;
	struct ra_application a;
	int approved = 0;

	memset(&rq, 0, sizeof(rq));
	rq.type = "individu";
	rq.usages = "signing";
	rq.files = files;
	rq.nfiles = 3;
	if (ra_apply(&a, e->st, who, &rq, 1) < 0 || ra_submit(e->st, who, a.id) < 0)
		fail_msg("apply: %s", sertel_errmsg());
	if (approver != NULL &&
	    ra_approve(e->st, approver, a.id, NULL, NULL, &approved) < 0)
		fail_msg("approve: %s", sertel_errmsg());
	str_copy(id, RA_ID_LEN + 1, a.id);
}

/* The code in the newest desk mail to addr. */
static void
mailed_code(char out[RA_DESK_CODE_DIGITS + 1], const char *addr)
{
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	const char *body, *t;

	assert_int_equal(db_open(&db, test_url), 0);
	assert_int_equal(db_prepare(&s, db,
	                            "SELECT body FROM mail_queue WHERE to_addr = ? AND "
	                            "kind = 'desk-code'"),
	                 0);
	assert_int_equal(db_bind_text(s, 1, addr), 0);
	assert_int_equal(db_step(s), 1);
	body = db_col_text(s, 0);
	assert_non_null(t = strstr(body, "Kode penerbitan: "));
	t += strlen("Kode penerbitan: ");
	assert_true(strspn(t, "0123456789") == RA_DESK_CODE_DIGITS);
	memcpy(out, t, RA_DESK_CODE_DIGITS);
	out[RA_DESK_CODE_DIGITS] = '\0';
	db_finalize(s);
	db_close(db);
	/* Read once: the next call finds only a newer mail. */
	fixture_sql("DELETE FROM mail_queue WHERE kind = 'desk-code'");
}

static void
generated(struct ra_issue_req *rq, const char *pass)
{
	memset(rq, 0, sizeof(*rq));
	rq->accept_agreement = 1;
	rq->passphrase = pass;
	rq->passlen = strlen(pass);
	rq->pass_min_len = 10;
}

/* A code not equal to code (the next one up, wrapping). */
static void
other_code(char out[RA_DESK_CODE_DIGITS + 1], const char *code)
{
	memcpy(out, code, RA_DESK_CODE_DIGITS + 1);
	out[0] = out[0] == '9' ? '0' : (char)(out[0] + 1);
}

static void
desk_stores_only_hash_and_issues_once(void **state)
{
	struct env *e = *state;
	struct ra_desk d, g;
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	struct ra_application a;
	char app[RA_ID_LEN + 1], code[RA_DESK_CODE_DIGITS + 1], sql[512], wit[17];
	int64_t certs;

	application(app, e, &e->siti, &e->op2);
	if (ra_desk_start(&d, e->st, &e->op1, app) < 0)
		fail_msg("start: %s", sertel_errmsg());
	assert_int_equal(d.state, DESK_OPEN);
	assert_true(d.expires_at - d.created_at == RA_DESK_TTL);
	mailed_code(code, "siti@kominfo.cirebonkota.go.id");
	/* The code is nowhere in the store but the mail to the applicant. */
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM desk_sessions WHERE code_hash LIKE '%%%s%%' OR "
	         "id LIKE '%%%s%%'",
	         code, code);
	assert_int_equal(fixture_count(sql), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM desk_sessions WHERE "
	                               "length(code_hash) = 64"),
	                 1);
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM audit WHERE reason LIKE '%%%s%%'", code);
	assert_int_equal(fixture_count(sql), 0);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = 'desk.start' "
	                  "AND actor = 'nik:" NIK_OP1 "'"),
	    1);
	/* Only the witness opens it. */
	assert_int_equal(ra_desk_get(&g, e->st, &e->op1, d.id), 0);
	assert_string_equal(g.app_id, app);
	assert_int_equal(ra_desk_get(&g, e->st, &e->op2, d.id), SERTEL_EPERM);
	assert_int_equal(ra_desk_get(&g, e->st, &e->siti, d.id), SERTEL_EPERM);
	/* Another operator with the right code: refused, nothing counted. */
	generated(&rq, STRONG);
	certs = fixture_count("SELECT COUNT(*) FROM certs");
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op2, e->is, d.id, code, &rq),
	    SERTEL_EPERM);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM desk_sessions WHERE attempts = 0 AND "
	                  "state = 'open'"),
	    1);
	if (ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq) < 0)
		fail_msg("confirm: %s", sertel_errmsg());
	assert_int_equal(info.generated, 1);
	assert_int_equal(info.agreement.version, 1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs + 1);
	assert_string_equal(rec.nik, NIK_SITI);
	assert_int_equal(ra_get(&a, e->st, app), 0);
	assert_int_equal(a.state, APP_ISSUED);
	/* Every transition on the way (apply, submit, approve, issue) moved
	 * the queue's counts with it. */
	assert_int_equal(fixture_app_counts_wrong(), 0);
	/* ...and stamped the times the annual report's turnaround counts
	 * (Cirebon 23): submitted <= decided <= issued. */
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM applications WHERE id = '%s' AND submitted_at > 0 "
	         "AND decided_at >= submitted_at AND issued_at >= decided_at",
	         app);
	assert_int_equal(fixture_count(sql), 1);
	assert_string_equal(a.cert_serial, rec.serial);
	/* The applicant acted; the witness, agreement hash, key origin and
	 * session are in the trail. */
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'application.issue' AND actor = 'nik:" NIK_SITI
	                               "'"),
	                 1);
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM audit WHERE action = 'desk.issue' AND actor = "
	         "'nik:" NIK_OP1 "' AND reason LIKE '%%%s%%' AND reason LIKE "
	         "'%%sha256 %s%%' AND reason LIKE '%%generated%%'",
	         d.id, info.agreement.sha256);
	assert_int_equal(fixture_count(sql), 1);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM sealed_keys WHERE nik = '" NIK_SITI "'"),
	    1);
	assert_int_equal(ra_desk_witness(e->st, app, wit), 0);
	assert_string_equal(wit, NIK_OP1);
	/* Single use: the same code again issues nothing. */
	cert_rec_free(&rec);
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_ESTATE);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs + 1);
	assert_int_equal(ra_desk_get(&g, e->st, &e->op1, d.id), 0);
	assert_int_equal(g.state, DESK_ISSUED);
	assert_string_equal(g.cert_serial, a.cert_serial);
	/* Issued: no new session for it. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, app), SERTEL_ESTATE);
}

static void
desk_wrong_codes_spend_it(void **state)
{
	struct env *e = *state;
	struct ra_desk d;
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	char app[RA_ID_LEN + 1], code[RA_DESK_CODE_DIGITS + 1],
	    bad[RA_DESK_CODE_DIGITS + 1];
	int64_t certs = fixture_count("SELECT COUNT(*) FROM certs"), audits;
	int i;

	application(app, e, &e->siti, &e->op2);
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, app), 0);
	mailed_code(code, "siti@kominfo.cirebonkota.go.id");
	other_code(bad, code);
	generated(&rq, STRONG);
	/* An empty code tests nothing: refused, not counted. */
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, "", &rq),
	    SERTEL_EINVAL);
	audits = fixture_count("SELECT COUNT(*) FROM audit");
	for (i = 1; i < RA_DESK_TRIES; i++) {
		assert_int_equal(
		    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, bad, &rq),
		    SERTEL_EAUTH);
		assert_non_null(strstr(sertel_errmsg(), "wrong code"));
	}
	/* Each wrong code is counted and audited although the call failed. */
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM desk_sessions WHERE attempts = 4 AND "
	                  "state = 'open'"),
	    1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"),
	                 audits + RA_DESK_TRIES - 1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'desk.code-fail'"),
	                 RA_DESK_TRIES - 1);
	/* The fifth wrong code spends it: the right one then opens nothing. */
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, bad, &rq),
	    SERTEL_EAUTH);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM desk_sessions WHERE state = 'spent'"), 1);
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "spent"));
	/* Long input is just a wrong code. */
	assert_int_equal(ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id,
	                                 "123456789012345678901234567890123456", &rq),
	                 SERTEL_EPERM);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs);
	/* A new session (with a new code) works. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, app), 0);
	mailed_code(code, "siti@kominfo.cirebonkota.go.id");
	if (ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq) < 0)
		fail_msg("confirm: %s", sertel_errmsg());
	cert_rec_free(&rec);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs + 1);
}

static void
desk_expires_and_newer_spends_older(void **state)
{
	struct env *e = *state;
	struct ra_desk d1, d2;
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	char app[RA_ID_LEN + 1], c1[RA_DESK_CODE_DIGITS + 1], c2[RA_DESK_CODE_DIGITS + 1];
	int64_t certs = fixture_count("SELECT COUNT(*) FROM certs");

	application(app, e, &e->andi, &e->op2);
	generated(&rq, STRONG);
	assert_int_equal(ra_desk_start(&d1, e->st, &e->op1, app), 0);
	mailed_code(c1, "andi@kominfo.cirebonkota.go.id");
	assert_int_equal(ra_desk_start(&d2, e->st, &e->op1, app), 0);
	mailed_code(c2, "andi@kominfo.cirebonkota.go.id");
	assert_string_not_equal(d1.id, d2.id);
	/* The older one is spent; its code opens neither. */
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d1.id, c1, &rq),
	    SERTEL_EPERM);
	if (strcmp(c1, c2) != 0)
		assert_int_equal(
		    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d2.id, c1, &rq),
		    SERTEL_EAUTH);
	/* Past its 15 minutes. */
	fixture_sql("UPDATE desk_sessions SET expires_at = created_at - 1");
	assert_int_equal(ra_desk_get(&d2, e->st, &e->op1, d2.id), 0);
	assert_int_equal(d2.expired, 1);
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d2.id, c2, &rq),
	    SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "expired"));
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM applications WHERE state = "
	                               "'approved'"),
	                 1);
}

static void
desk_who_may_start(void **state)
{
	struct env *e = *state;
	struct ra_desk d;
	char app[RA_ID_LEN + 1], own[RA_ID_LEN + 1], sub[RA_ID_LEN + 1];
	int64_t sessions, mails, audits;

	application(app, e, &e->siti, &e->op2);
	application(own, e, &e->op1, &e->op2);
	application(sub, e, &e->andi, NULL);
	sessions = fixture_count("SELECT COUNT(*) FROM desk_sessions");
	mails = fixture_count("SELECT COUNT(*) FROM mail_queue");
	audits = fixture_count("SELECT COUNT(*) FROM audit");
	/* Not an operator: the applicant, another applicant, the Kepala
	 * Dinas, the administrator. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->siti, app), SERTEL_EPERM);
	assert_int_equal(ra_desk_start(&d, e->st, &e->andi, app), SERTEL_EPERM);
	assert_int_equal(ra_desk_start(&d, e->st, &e->kadis, app), SERTEL_EPERM);
	assert_int_equal(ra_desk_start(&d, e->st, &e->admin, app), SERTEL_EPERM);
	/* An operator without a valid certificate of their own. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->op3, app), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "20(1)"));
	/* No self-issuance. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, own), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "own application"));
	/* Not approved yet; unknown. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, sub), SERTEL_ESTATE);
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, "0123456789abcdef"),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM desk_sessions"), sessions);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM mail_queue"), mails);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audits);
	/* Another operator may witness op1's own application. */
	assert_int_equal(ra_desk_start(&d, e->st, &e->op2, own), 0);
	assert_int_equal(ra_desk_get(&d, e->st, &e->op1, d.id), SERTEL_EPERM);
}

static void
desk_failures_leave_session_open(void **state)
{
	struct env *e = *state;
	struct ra_desk d;
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	struct ra_agreement ag;
	char app[RA_ID_LEN + 1], code[RA_DESK_CODE_DIGITS + 1], *csr = fixture_csr_pem();
	int64_t certs = fixture_count("SELECT COUNT(*) FROM certs"), accepted;
	static const char bad_csr[] = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
	                              "-----END CERTIFICATE REQUEST-----\n";

	application(app, e, &e->siti, &e->op2);
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, app), 0);
	mailed_code(code, "siti@kominfo.cirebonkota.go.id");
	accepted = fixture_count("SELECT COUNT(*) FROM acceptances");
	/* The agreement not accepted. */
	generated(&rq, STRONG);
	rq.accept_agreement = 0;
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_EINVAL);
	/* A weak passphrase: too short, one class, the applicant's name. */
	generated(&rq, "pendek1");
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_EINVAL);
	generated(&rq, "abcdefghijklmnop");
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_EINVAL);
	generated(&rq, "siti aminah 2026");
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_EINVAL);
	/* A CSR that is not one. */
	memset(&rq, 0, sizeof(rq));
	rq.accept_agreement = 1;
	rq.csr = (const unsigned char *)bad_csr;
	rq.csr_len = sizeof(bad_csr) - 1;
	assert_true(ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq) <
	            0);
	/* Another agreement came into force after the page was shown. */
	assert_int_equal(ra_agreement_set(&ag, e->st, &e->kadis,
	                                  "PERJANJIAN versi baru untuk pengujian loket."),
	                 0);
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = strlen(csr);
	rq.agreement_version = ag.version - 1;
	assert_int_equal(
	    ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq),
	    SERTEL_ESTATE);
	assert_non_null(strstr(sertel_errmsg(), "13(3)"));
	/* None of that issued anything or used the session up. */
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM acceptances"), accepted);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM desk_sessions WHERE state = 'open' "
	                  "AND attempts = 0"),
	    1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM applications WHERE state = "
	                               "'approved'"),
	                 1);
	/* From the owner's CSR, for the version shown. */
	rq.agreement_version = ag.version;
	if (ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq) < 0)
		fail_msg("confirm: %s", sertel_errmsg());
	assert_int_equal(info.generated, 0);
	assert_int_equal(info.agreement.version, ag.version);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = 'desk.issue' "
	                  "AND reason LIKE '%owner''s CSR%'"),
	    1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM certs"), certs + 1);
	cert_rec_free(&rec);
	free(csr);
}

struct signed_rec {
	const struct ra_actor *who;
	const char *app;
};

static int
signed_fn(struct store *st, void *arg)
{
	const struct signed_rec *w = arg;

	return ra_receipt_signed_audit(st, w->who, w->app, "0a1b2c", "d0c1d");
}

static void
desk_receipt_signed_by_witness(void **state)
{
	struct env *e = *state;
	struct ra_desk d;
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	struct signed_rec w;
	char app[RA_ID_LEN + 1], csr_app[RA_ID_LEN + 1], pending[RA_ID_LEN + 1],
	    code[RA_DESK_CODE_DIGITS + 1], *csr = fixture_csr_pem();
	int64_t audits;

	application(app, e, &e->siti, &e->op2);
	application(csr_app, e, &e->andi, &e->op2);
	application(pending, e, &e->andi, NULL);
	/* Before issuance nobody signs: there is no receipt yet. */
	assert_int_equal(ra_receipt_sign_check(e->st, &e->op1, app), SERTEL_ESTATE);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->op1, pending), SERTEL_ESTATE);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->op1, "0123456789abcdef"),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(ra_desk_start(&d, e->st, &e->op1, app), 0);
	mailed_code(code, "siti@kominfo.cirebonkota.go.id");
	generated(&rq, STRONG);
	if (ra_desk_confirm(&rec, &info, e->st, &e->op1, e->is, d.id, code, &rq) < 0)
		fail_msg("confirm: %s", sertel_errmsg());
	cert_rec_free(&rec);
	/* The witness, and nobody else: the approving operator, the owner,
	 * another applicant, the Kepala Dinas, the administrator. */
	assert_int_equal(ra_receipt_sign_check(e->st, &e->op1, app), 0);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->op2, app), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "Cirebon 13"));
	assert_int_equal(ra_receipt_sign_check(e->st, &e->siti, app), SERTEL_EPERM);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->andi, app), SERTEL_EPERM);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->kadis, app), SERTEL_EPERM);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->admin, app), SERTEL_EPERM);
	/* Issued by the applicant themself, not at the desk: no witness. */
	memset(&rq, 0, sizeof(rq));
	rq.accept_agreement = 1;
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = strlen(csr);
	rq.pass_min_len = 10;
	memset(&rec, 0, sizeof(rec));
	rq.app_id = csr_app;
	if (ra_issue(&rec, &info, e->st, &e->andi, e->is, &rq) < 0)
		fail_msg("issue: %s", sertel_errmsg());
	cert_rec_free(&rec);
	assert_int_equal(ra_receipt_sign_check(e->st, &e->op1, csr_app), SERTEL_ESTATE);
	assert_non_null(strstr(sertel_errmsg(), "not issued at the desk"));
	/* The record: who, the application, the serial, the document. */
	audits = fixture_count("SELECT COUNT(*) FROM audit");
	w.who = &e->op1;
	w.app = app;
	assert_int_equal(store_atomic(e->st, signed_fn, &w), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audits + 1);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = 'receipt.sign' AND "
	                  "actor = 'nik:" NIK_OP1 "' AND reason LIKE 'tanda terima "
	                  "ditandatangani; cert 0a1b2c; document d0c1d'"),
	    1);
	free(csr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(desk_stores_only_hash_and_issues_once, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(desk_wrong_codes_spend_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(desk_expires_and_newer_spends_older, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(desk_who_may_start, setup, teardown),
	    cmocka_unit_test_setup_teardown(desk_failures_leave_session_open, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(desk_receipt_signed_by_witness, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
