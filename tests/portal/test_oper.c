/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rules behind the operator's and the Kepala Dinas's portal pages, on
 * SQLite and PostgreSQL: serials in any form people type them, the
 * certificate search (each criterion, paging, who may), dismissal of
 * roles, approval rules in the store, written warnings and revocation
 * proposals, the locked owners and their unlock, notices by recipient.
 * Every refused call is checked to change nothing (rows and audit).
 */
#include "fixture.h"

#include "audit/audit.h"
#include "esign/esign.h"
#include "mail/mail.h"
#include "pki/pki.h"
#include "ra/ra.h"

#define NIK_A  "3274010101800001" /* Budi Santoso, Dinas Kominfo */
#define NIK_B  "3274014101920002" /* Siti Aminah, Dinas Kesehatan */
#define NIK_KD "3274010101750001" /* the Kepala Dinas */
#define NIK_OP "3274010101820001" /* an OP operator */
#define ISSUER "0011223344556677"
#define DAY    86400

static struct ra_agency ag1, ag2;

static void
person(struct store *st, const struct ra_actor *by, const char *nik, const char *name,
       const char *email, const struct ra_agency *ag)
{
	struct ra_person p;

	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), nik);
	str_copy(p.name, sizeof(p.name), name);
	str_copy(p.email, sizeof(p.email), email);
	str_copy(p.agency_id, sizeof(p.agency_id), ag->id);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(st, by, &p) < 0)
		fail_msg("%s", sertel_errmsg());
}

/* A certificate row as the issuer stores it (the DER is not read here). */
static void
put_cert(struct store *st, const char *serial, const char *nik, int64_t from, int64_t to,
         int revoked)
{
	static const unsigned char der[] = {0x30, 0x00};
	struct cert_rec r;

	memset(&r, 0, sizeof(r));
	str_copy(r.serial, sizeof(r.serial), serial);
	str_copy(r.issuer_id, sizeof(r.issuer_id), ISSUER);
	str_copy(r.type, sizeof(r.type), "individu");
	str_copy(r.usages, sizeof(r.usages), "signing");
	str_copy(r.subject, sizeof(r.subject), "CN=test");
	str_copy(r.nik, sizeof(r.nik), nik);
	r.not_before = time_now() + from;
	r.not_after = time_now() + to;
	r.reason = -1;
	r.created_at = time_now();
	r.der = (unsigned char *)der;
	r.der_len = sizeof(der);
	if (store_cert_put(st, &r) < 0)
		fail_msg("%s", sertel_errmsg());
	if (revoked && store_cert_revoke(st, serial, time_now(), 1) < 0)
		fail_msg("%s", sertel_errmsg());
}

/* Two agencies, two applicants, a Kepala Dinas and an operator holding a
 * valid certificate (Cirebon 20(1)); the actors for each. */
static void
world(struct store *st, struct ra_actor *a, struct ra_actor *kd, struct ra_actor *op)
{
	struct ra_actor admin;

	ra_actor_local(&admin, "cli:test");
	if (ra_agency_add(&ag1, st, &admin, "Dinas Kominfo", "kominfo.example.go.id") <
	        0 ||
	    ra_agency_add(&ag2, st, &admin, "Dinas Kesehatan", "dinkes.example.go.id") <
	        0)
		fail_msg("%s", sertel_errmsg());
	person(st, &admin, NIK_A, "Budi Santoso", "budi@kominfo.example.go.id", &ag1);
	person(st, &admin, NIK_B, "Siti Aminah", "siti@dinkes.example.go.id", &ag2);
	person(st, &admin, NIK_KD, "Kepala Dinas", "kadis@kominfo.example.go.id", &ag1);
	person(st, &admin, NIK_OP, "Operator Satu", "op1@kominfo.example.go.id", &ag1);
	assert_int_equal(ra_person_appoint(st, &admin, NIK_KD, ROLE_KEPALA_DINAS), 0);
	assert_int_equal(ra_actor_person(kd, st, NIK_KD), 0);
	assert_int_equal(ra_person_appoint(st, kd, NIK_OP, ROLE_OPERATOR), 0);
	fixture_sql("INSERT INTO issuers (id, role, name, cert_der, key_pem, created_at) "
	            "VALUES ('" ISSUER "', 'issuing', 'Test CA', 'x', 'x', 0)");
	put_cert(st, "0f01", NIK_OP, -60, 365 * DAY, 0);
	assert_int_equal(ra_actor_person(op, st, NIK_OP), 0);
	assert_int_equal(ra_actor_person(a, st, NIK_A), 0);
}

static void
serials_are_read_in_every_common_form(void **state)
{
	char hex[SERIAL_HEX_MAX + 1], dec[SERIAL_HEX_MAX + 1];
	static const char *const same[] = {"01:A3:FF", "01 a3 ff",    "0x1a3ff",
	                                   "1A3FF",    "00:01:a3:ff", "01-a3-ff"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_int_equal(serial_normalise(hex, dec, same[i]), 0);
		assert_string_equal(hex, "01a3ff");
	}
	/* Digits only: read both ways; 107519 is 0x01a3ff. */
	assert_int_equal(serial_normalise(hex, dec, "107519"), 0);
	assert_string_equal(hex, "107519");
	assert_string_equal(dec, "01a3ff");
	/* Hex letters: no decimal reading. */
	assert_int_equal(serial_normalise(hex, dec, "1a3ff"), 0);
	assert_string_equal(dec, "");
	assert_int_equal(serial_normalise(hex, NULL, "0"), 0);
	assert_string_equal(hex, "00");
	assert_int_equal(serial_normalise(hex, dec, "01:zz"), SERTEL_EINVAL);
	assert_int_equal(serial_normalise(hex, dec, ""), SERTEL_EINVAL);
	assert_int_equal(serial_normalise(hex, dec, " : "), SERTEL_EINVAL);
	/* RFC 5280 4.1.2.2: at most 20 octets. */
	assert_int_equal(
	    serial_normalise(hex, dec, "0102030405060708090a0b0c0d0e0f101112131415"),
	    SERTEL_EINVAL);
	assert_int_equal(
	    serial_normalise(hex, dec, "0102030405060708090a0b0c0d0e0f1011121314"), 0);
}

struct got {
	int n;
	char serials[8][SERIAL_HEX_MAX + 1];
	char names[8][64];
	char agency[8][64];
	char status[8][16];
};

static int
got_cert(const struct ra_cert_row *c, void *arg)
{
	struct got *g = arg;

	if (g->n < 8) {
		str_copy(g->serials[g->n], sizeof(g->serials[0]), c->serial);
		str_copy(g->names[g->n], sizeof(g->names[0]), c->owner_name);
		str_copy(g->agency[g->n], sizeof(g->agency[0]), c->agency_name);
		str_copy(g->status[g->n], sizeof(g->status[0]), c->status);
	}
	g->n++;
	return 0;
}

static int64_t
query(struct store *st, const struct ra_actor *who, const struct ra_cert_filter *f,
      struct got *g)
{
	int64_t total = -1;

	memset(g, 0, sizeof(*g));
	if (ra_cert_query(st, who, f, &total, got_cert, g) < 0)
		fail_msg("%s", sertel_errmsg());
	return total;
}

static void
the_certificate_search_filters_joins_and_pages(void **state)
{
	struct store *st = *state;
	struct ra_actor a, kd, op;
	struct ra_cert_filter f;
	struct got g;
	int64_t total = 0;
	char dec[64];

	world(st, &a, &kd, &op);
	put_cert(st, "01a3ff", NIK_A, -60, 200 * DAY, 0); /* valid */
	put_cert(st, "0a02", NIK_A, -60, 200 * DAY, 1);   /* revoked */
	put_cert(st, "0a03", NIK_B, -90 * DAY, -DAY, 0);  /* expired */
	put_cert(st, "0a04", NIK_B, -60, 5 * DAY, 0);     /* ends in 5 days */
	memset(&f, 0, sizeof(f));
	/* Everything, by owner name: Budi (2), Operator (1), Siti (2). */
	assert_int_equal(query(st, &op, &f, &g), 5);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.names[0], "Budi Santoso");
	assert_string_equal(g.agency[0], "Dinas Kominfo");
	assert_string_equal(g.names[4], "Siti Aminah");
	assert_string_equal(g.agency[4], "Dinas Kesehatan");
	f.nik = NIK_B;
	assert_int_equal(query(st, &op, &f, &g), 2);
	f.nik = NULL;
	f.name = "sANTOSO";
	assert_int_equal(query(st, &op, &f, &g), 2);
	assert_string_equal(g.names[0], "Budi Santoso");
	/* A wildcard typed is a character, not "anything". */
	f.name = "%";
	assert_int_equal(query(st, &op, &f, &g), 0);
	f.name = NULL;
	f.serial = "01:A3:FF";
	assert_int_equal(query(st, &op, &f, &g), 1);
	assert_string_equal(g.serials[0], "01a3ff");
	f.serial = "01 a3 ff";
	assert_int_equal(query(st, &op, &f, &g), 1);
	snprintf(dec, sizeof(dec), "%d", 0x01a3ff);
	f.serial = dec;
	assert_int_equal(query(st, &op, &f, &g), 1);
	assert_string_equal(g.serials[0], "01a3ff");
	f.serial = "01:zz";
	assert_int_equal(ra_cert_query(st, &op, &f, &total, got_cert, &g), SERTEL_EINVAL);
	f.serial = NULL;
	f.agency_id = ag2.id;
	assert_int_equal(query(st, &op, &f, &g), 2);
	f.agency_id = NULL;
	f.status = "valid";
	assert_int_equal(query(st, &op, &f, &g), 3);
	f.status = "revoked";
	assert_int_equal(query(st, &op, &f, &g), 1);
	assert_string_equal(g.serials[0], "0a02");
	assert_string_equal(g.status[0], "revoked");
	f.status = "expired";
	assert_int_equal(query(st, &op, &f, &g), 1);
	assert_string_equal(g.serials[0], "0a03");
	f.status = "bogus";
	assert_int_equal(ra_cert_query(st, &op, &f, &total, got_cert, &g), SERTEL_EINVAL);
	f.status = NULL;
	f.expiring_days = 10;
	assert_int_equal(query(st, &op, &f, &g), 1);
	assert_string_equal(g.serials[0], "0a04");
	f.expiring_days = 0;
	/* Paged: the total stays, the page holds limit rows from offset. */
	f.limit = 2;
	f.offset = 4;
	assert_int_equal(query(st, &op, &f, &g), 5);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.names[0], "Siti Aminah");
	/* The Kepala Dinas reads; an applicant does not (NIKs are shown). */
	assert_int_equal(query(st, &kd, &f, &g), 5);
	memset(&g, 0, sizeof(g));
	assert_int_equal(ra_cert_query(st, &a, &f, &total, got_cert, &g), SERTEL_EPERM);
	assert_int_equal(g.n, 0);
}

static void
a_dismissed_operator_can_no_longer_decide(void **state)
{
	struct store *st = *state;
	struct ra_actor a, kd, op, admin;
	struct ra_person p;
	int64_t audit0;

	world(st, &a, &kd, &op);
	assert_int_equal(ra_operator_check(st, NIK_OP, time_now()), 0);
	audit0 = fixture_count("SELECT COUNT(*) FROM audit");
	/* Refused: no reason, not the Kepala Dinas, a role not held, oneself. */
	assert_int_equal(ra_person_dismiss(st, &kd, NIK_OP, ROLE_OPERATOR, ""),
	                 SERTEL_EINVAL);
	assert_int_equal(ra_person_dismiss(st, &a, NIK_OP, ROLE_OPERATOR, "x"),
	                 SERTEL_EPERM);
	assert_int_equal(ra_person_dismiss(st, &op, NIK_OP, ROLE_OPERATOR, "x"),
	                 SERTEL_EPERM);
	assert_int_equal(ra_person_dismiss(st, &kd, NIK_A, ROLE_OPERATOR, "x"),
	                 SERTEL_ESTATE);
	assert_int_equal(ra_person_dismiss(st, &kd, NIK_KD, ROLE_KEPALA_DINAS, "x"),
	                 SERTEL_EPERM);
	assert_int_equal(ra_person_dismiss(st, &kd, NIK_OP, ROLE_PEMOHON, "x"),
	                 SERTEL_EINVAL);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audit0);
	assert_int_equal(ra_person_get(&p, st, NIK_OP), 0);
	assert_true(p.roles & ROLE_OPERATOR);
	/* Allowed: the Kepala Dinas, with a reason; audited. */
	assert_int_equal(
	    ra_person_dismiss(st, &kd, NIK_OP, ROLE_OPERATOR, "masa tugas berakhir"), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audit0 + 1);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                  "'person.dismiss' AND reason LIKE '%masa tugas berakhir%'"),
	    1);
	assert_int_equal(ra_person_get(&p, st, NIK_OP), 0);
	assert_false(p.roles & ROLE_OPERATOR);
	assert_true(p.roles & ROLE_PEMOHON);
	assert_int_equal(ra_operator_check(st, NIK_OP, time_now()), SERTEL_EPERM);
	/* Roles are read afresh: the old actor's next warning is refused. */
	assert_int_equal(ra_actor_person(&op, st, NIK_OP), 0);
	assert_int_equal(ra_warn(st, &op, NIK_A, NULL, "x", 3, NULL, NULL), SERTEL_EPERM);
	/* A head of agency (a role given at registration) is dismissed too. */
	{
		struct ra_person h;

		memset(&h, 0, sizeof(h));
		str_copy(h.nik, sizeof(h.nik), "3274010101700001");
		str_copy(h.name, sizeof(h.name), "Kepala Kominfo");
		str_copy(h.email, sizeof(h.email), "kepala@kominfo.example.go.id");
		str_copy(h.agency_id, sizeof(h.agency_id), ag1.id);
		h.roles = ROLE_PEMOHON | ROLE_KEPALA_PD;
		ra_actor_local(&admin, "cli:test");
		assert_int_equal(ra_person_add(st, &admin, &h), 0);
		assert_int_equal(
		    ra_person_dismiss(st, &kd, h.nik, ROLE_KEPALA_PD, "pensiun"), 0);
		assert_int_equal(ra_person_get(&h, st, "3274010101700001"), 0);
		assert_false(h.roles & ROLE_KEPALA_PD);
	}
	/* The admin dismisses a Kepala Dinas. */
	ra_actor_local(&admin, "cli:test");
	assert_int_equal(
	    ra_person_dismiss(st, &admin, NIK_KD, ROLE_KEPALA_DINAS, "mutasi"), 0);
}

static void
approval_rules_live_in_the_store(void **state)
{
	struct store *st = *state;
	struct ra_actor a, kd, op;
	int n = 0, from = -1;
	int64_t audit0;

	world(st, &a, &kd, &op);
	/* No row: the config's default (none here: 1). */
	assert_int_equal(ra_approval_rule(&n, &from, st, NULL, "individu"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(from, 0);
	audit0 = fixture_count("SELECT COUNT(*) FROM audit");
	assert_int_equal(ra_approval_rule_set(st, &a, "individu", 3, "x"), SERTEL_EPERM);
	assert_int_equal(ra_approval_rule_set(st, &op, "individu", 3, "x"), SERTEL_EPERM);
	assert_int_equal(ra_approval_rule_set(st, &kd, "individu", 0, "x"),
	                 SERTEL_EINVAL);
	assert_int_equal(ra_approval_rule_set(st, &kd, "individu", 17, "x"),
	                 SERTEL_EINVAL);
	assert_int_equal(ra_approval_rule_set(st, &kd, "bogus", 2, "x"), SERTEL_EINVAL);
	assert_int_equal(ra_approval_rule_set(st, &kd, "individu", 2, ""), SERTEL_EINVAL);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM approval_rules"), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit"), audit0);
	assert_int_equal(ra_approval_rule_set(st, &kd, "individu", 3, "dua tahap"), 0);
	assert_int_equal(ra_approval_rule(&n, &from, st, NULL, "individu"), 0);
	assert_int_equal(n, 3);
	assert_int_equal(from, 1);
	/* Set again: one row, the new number, two audit entries. */
	assert_int_equal(ra_approval_rule_set(st, &kd, "individu", 2, "kembali"), 0);
	assert_int_equal(ra_approval_rule(&n, &from, st, NULL, "individu"), 0);
	assert_int_equal(n, 2);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM approval_rules"), 1);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action = 'approval.set'"), 2);
	/* Other types keep the default. */
	assert_int_equal(ra_approval_rule(&n, &from, st, NULL, "jabatan"), 0);
	assert_int_equal(n, 1);
	assert_int_equal(from, 0);
}

static int
count_warning(const struct ra_warning *w, void *arg)
{
	int *n = arg;

	if (*n == 0)
		assert_string_equal(w->reason, "kedua"); /* newest first */
	(*n)++;
	return 0;
}

static int
count_proposal(const struct ra_proposal *p, void *arg)
{
	int *n = arg;

	assert_string_equal(p->serial, "01a3ff");
	assert_string_equal(p->name, "Budi Santoso");
	assert_string_equal(p->cause, "sanksi");
	(*n)++;
	return 0;
}

static void
warnings_reach_the_threshold_and_propose(void **state)
{
	struct store *st = *state;
	struct ra_actor a, kd, op;
	int w = 0, p = 0, n = 0;

	world(st, &a, &kd, &op);
	put_cert(st, "01a3ff", NIK_A, -60, 200 * DAY, 0);
	assert_int_equal(ra_warn(st, &op, NIK_A, NULL, "pertama", 2, &w, &p), 0);
	assert_int_equal(w, 1);
	assert_int_equal(p, 0);
	assert_int_equal(ra_warn(st, &op, NIK_A, "01a3ff", "kedua", 2, &w, &p), 0);
	assert_int_equal(w, 2);
	assert_int_equal(p, 1);
	/* Both in the same second: make "newest first" observable. */
	fixture_sql("UPDATE sanctions SET created_at = created_at - 60 WHERE reason = "
	            "'pertama'");
	assert_int_equal(ra_warning_iter(st, &op, NIK_A, count_warning, &n), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(ra_warning_iter(st, &op, NIK_B, count_warning, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(ra_proposal_iter(st, &op, count_proposal, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(ra_proposal_iter(st, &kd, count_proposal, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ra_warning_iter(st, &a, NULL, count_warning, &n), SERTEL_EPERM);
	assert_int_equal(ra_proposal_iter(st, &a, count_proposal, &n), SERTEL_EPERM);
}

static int
count_locked(const struct esign_locked *l, void *arg)
{
	int *n = arg;

	assert_string_equal(l->nik, NIK_A);
	assert_string_equal(l->name, "Budi Santoso");
	assert_string_equal(l->agency, "Dinas Kominfo");
	assert_int_equal(l->failures, 5);
	(*n)++;
	return 0;
}

static void
locked_owners_are_listed_until_unlocked(void **state)
{
	struct store *st = *state;
	struct ra_actor a, kd, op;
	int n = 0;

	world(st, &a, &kd, &op);
	fixture_sql(
	    "INSERT INTO esign_owners (nik, failures, locked, locked_at, updated_at) "
	    "VALUES ('" NIK_A "', 5, 1, 1000, 1000), ('" NIK_B "', 2, 0, NULL, 1000)");
	assert_int_equal(esign_locked_iter(st, &op, count_locked, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(esign_locked_iter(st, &a, count_locked, &n), SERTEL_EPERM);
	assert_int_equal(esign_locked_iter(st, &kd, count_locked, &n), SERTEL_EPERM);
	assert_int_equal(esign_unlock(st, &a, NIK_A, "x"), SERTEL_EPERM);
	assert_int_equal(esign_unlock(st, &op, NIK_A, "lupa passphrase, identitas dicek"),
	                 0);
	n = 0;
	assert_int_equal(esign_locked_iter(st, &op, count_locked, &n), 0);
	assert_int_equal(n, 0);
}

static void
only_the_kepala_dinas_manages_client_applications(void **state)
{
	struct store *st = *state;
	struct ra_actor a, kd, op, admin, aud;

	world(st, &a, &kd, &op);
	ra_actor_local(&admin, "cli:test");
	memset(&aud, 0, sizeof(aud));
	aud.roles = ROLE_AUDITOR;
	str_copy(aud.label, sizeof(aud.label), "token:aud");
	assert_int_equal(esign_client_manage_check(&kd), 0);
	assert_int_equal(esign_client_manage_check(&admin), 0);
	assert_int_equal(esign_client_manage_check(&op), SERTEL_EPERM);
	assert_int_equal(esign_client_manage_check(&a), SERTEL_EPERM);
	assert_int_equal(esign_client_manage_check(&aud), SERTEL_EPERM);
}

struct subjects {
	int n;
	char first[MAIL_SUBJECT_MAX + 1];
};

static int
got_mail(const struct mail_rec *m, void *arg)
{
	struct subjects *s = arg;

	if (s->n++ == 0)
		str_copy(s->first, sizeof(s->first), m->subject);
	assert_string_equal(m->to, "budi@kominfo.example.go.id");
	return 0;
}

static void
notices_are_listed_by_recipient_newest_first(void **state)
{
	struct store *st = *state;
	struct subjects s;
	int64_t total = 0;

	assert_int_equal(mail_enqueue(st, "budi@kominfo.example.go.id", "satu", "b", "t"),
	                 0);
	assert_int_equal(mail_enqueue(st, "siti@dinkes.example.go.id", "lain", "b", "t"),
	                 0);
	assert_int_equal(mail_enqueue(st, "budi@kominfo.example.go.id", "dua", "b", "t"),
	                 0);
	assert_int_equal(mail_enqueue(st, "budi@kominfo.example.go.id", "tiga", "b", "t"),
	                 0);
	/* Same second: order by time, then id; make the times distinct. */
	fixture_sql("UPDATE mail_queue SET created_at = 100 WHERE subject = 'satu'");
	fixture_sql("UPDATE mail_queue SET created_at = 200 WHERE subject = 'dua'");
	fixture_sql("UPDATE mail_queue SET created_at = 300 WHERE subject = 'tiga'");
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    mail_list_to(st, "budi@kominfo.example.go.id", 50, 0, &total, got_mail, &s),
	    0);
	assert_int_equal(total, 3);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.first, "tiga");
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    mail_list_to(st, "budi@kominfo.example.go.id", 1, 1, &total, got_mail, &s),
	    0);
	assert_int_equal(total, 3);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.first, "dua");
	assert_int_equal(mail_list_to(st, "", 1, 0, &total, got_mail, &s), SERTEL_EINVAL);
	assert_int_equal(mail_list_to(st, "x@y.go.id", 0, 0, &total, got_mail, &s),
	                 SERTEL_EINVAL);
	assert_int_equal(mail_list_to(st, "x@y.go.id", 201, 0, &total, got_mail, &s),
	                 SERTEL_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(serials_are_read_in_every_common_form),
	    cmocka_unit_test_setup_teardown(
	        the_certificate_search_filters_joins_and_pages, fixture_store_setup,
	        fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(a_dismissed_operator_can_no_longer_decide,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(approval_rules_live_in_the_store,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(warnings_reach_the_threshold_and_propose,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(locked_owners_are_listed_until_unlocked,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(
	        only_the_kepala_dinas_manages_client_applications, fixture_store_setup,
	        fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(notices_are_listed_by_recipient_newest_first,
	                                    fixture_store_setup, fixture_store_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
