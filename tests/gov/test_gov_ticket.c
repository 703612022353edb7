/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Complaints, technical assistance and published guidance (src/gov/
 * ticket.c, guide.c), on SQLite and PostgreSQL: a ticket's states by the
 * transition table (refused moves are SERTEL_ESTATE and change nothing),
 * replies in order, attachments checked by content and size and stored
 * encrypted, notices through the mail queue; a complaint about an OP
 * operator reaches the operator's superior and the Kepala Dinas and never
 * the operator concerned nor the other operators (read, list, search,
 * attachment, mail); requests for the issuer's help and their answers;
 * guidance versions never edited in place.  Every operation x role:
 * denied ones return SERTEL_EPERM (or ENOTFOUND for what may not be seen)
 * and leave row and audit counts as they were.
 */
#include "fixture.h"

#include <stdlib.h>

#include "gov/gov.h"
#include "ra/ra.h"

#define NIK_KADIS  "3274010101750001"
#define NIK_OP1    "3274010101820001"
#define NIK_OP2    "3274010101830001"
#define NIK_ATASAN "3274010101700001" /* op1's superior */
#define NIK_SITI   "3274014101920002"
#define NIK_ANDI   "3274010101850001"
#define NIK_BUDI   "3274010101880001" /* auditor */
#define DOMAIN     "kominfo.cirebonkota.go.id"
#define HELPDESK   "helpdesk@" DOMAIN
#define ISSUER     "bantuan@bsre.example"

struct env {
	struct store *st;
	struct config *cfg;
	char dir[64];
	struct ra_actor admin, kadis, op1, op2, atasan, siti, andi, budi;
};

static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

static void
person(struct env *e, const char *nik, const char *name, const char *local,
       const char *agency, const char *superior)
{
	struct ra_person p;
	char mail[128];

	memset(&p, 0, sizeof(p));
	snprintf(mail, sizeof(mail), "%s@" DOMAIN, local);
	str_copy(p.nik, sizeof(p.nik), nik);
	str_copy(p.name, sizeof(p.name), name);
	str_copy(p.email, sizeof(p.email), mail);
	str_copy(p.agency_id, sizeof(p.agency_id), agency);
	if (superior)
		str_copy(p.superior_nik, sizeof(p.superior_nik), superior);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(e->st, e->kadis.nik[0] ? &e->kadis : &e->admin, &p) < 0)
		fail_msg("person %s: %s", nik, sertel_errmsg());
}

static struct config *
conf(struct env *e, const char *text)
{
	char path[128];
	struct config *cfg = NULL;

	snprintf(path, sizeof(path), "%s/sertel-%zu.conf", e->dir, strlen(text));
	assert_int_equal(file_write(path, text, strlen(text), 0600), 0);
	if (config_load(&cfg, path) < 0)
		fail_msg("config_load: %s", sertel_errmsg());
	return cfg;
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct ra_agency ag;

	if (e == NULL || fixture_store_setup((void **)&e->st) < 0)
		return -1;
	snprintf(e->dir, sizeof(e->dir), "/tmp/sertel-gticket-XXXXXX");
	if (mkdtemp(e->dir) == NULL)
		return -1;
	e->cfg = conf(e, "[governance]\nhelpdesk_to = " HELPDESK
	                 "\nissuer_help_to = " ISSUER "\n");
	ra_actor_local(&e->admin, "cli:test");
	if (ra_agency_add(&ag, e->st, &e->admin, "Dinas Kominfo", DOMAIN) < 0)
		return -1;
	person(e, NIK_KADIS, "Kepala Dinas", "kadis", ag.id, NULL);
	assert_int_equal(
	    ra_person_appoint(e->st, &e->admin, NIK_KADIS, ROLE_KEPALA_DINAS), 0);
	assert_int_equal(ra_actor_person(&e->kadis, e->st, NIK_KADIS), 0);
	person(e, NIK_ATASAN, "Kepala Bidang Persandian", "kabid", ag.id, NULL);
	person(e, NIK_OP1, "Operator Satu", "op1", ag.id, NIK_ATASAN);
	person(e, NIK_OP2, "Operator Dua", "op2", ag.id, NIK_ATASAN);
	person(e, NIK_SITI, "Siti Aminah", "siti", ag.id, NULL);
	person(e, NIK_ANDI, "Andi Wijaya", "andi", ag.id, NULL);
	person(e, NIK_BUDI, "Budi Santoso", "budi", ag.id, NULL);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP1, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP2, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_BUDI, ROLE_AUDITOR), 0);
	assert_int_equal(ra_actor_person(&e->op1, e->st, NIK_OP1), 0);
	assert_int_equal(ra_actor_person(&e->op2, e->st, NIK_OP2), 0);
	assert_int_equal(ra_actor_person(&e->atasan, e->st, NIK_ATASAN), 0);
	assert_int_equal(ra_actor_person(&e->siti, e->st, NIK_SITI), 0);
	assert_int_equal(ra_actor_person(&e->andi, e->st, NIK_ANDI), 0);
	assert_int_equal(ra_actor_person(&e->budi, e->st, NIK_BUDI), 0);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	config_free(e->cfg);
	fixture_store_teardown((void **)&e->st);
	free(e);
	return 0;
}

/* Everything a refused operation must leave as it was. */
struct counts {
	int64_t tickets, replies, files, help, audit, mail, pubs;
};

static void
counts(struct counts *c)
{
	c->tickets = fixture_count("SELECT COUNT(*) FROM gov_tickets");
	c->replies = fixture_count("SELECT COUNT(*) FROM gov_ticket_replies");
	c->files = fixture_count("SELECT COUNT(*) FROM gov_ticket_files");
	c->help = fixture_count("SELECT COUNT(*) FROM gov_help_requests");
	c->audit = fixture_count("SELECT COUNT(*) FROM audit");
	c->mail = fixture_count("SELECT COUNT(*) FROM mail_queue");
	c->pubs = fixture_count("SELECT COUNT(*) FROM gov_publications");
}

static void
unchanged(const struct counts *before)
{
	struct counts now;

	counts(&now);
	assert_int_equal(now.tickets, before->tickets);
	assert_int_equal(now.replies, before->replies);
	assert_int_equal(now.files, before->files);
	assert_int_equal(now.help, before->help);
	assert_int_equal(now.audit, before->audit);
	assert_int_equal(now.mail, before->mail);
	assert_int_equal(now.pubs, before->pubs);
}

static int64_t
mails_to(const char *local)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM mail_queue WHERE to_addr = '%s%s'", local,
	         strchr(local, '@') ? "" : "@" DOMAIN);
	return fixture_count(sql);
}

static void
open_ticket(struct gov_ticket *t, struct env *e, const struct ra_actor *who,
            const char *category, const char *about)
{
	struct ra_file f = {"lampiran", pdf, sizeof(pdf) - 1, "bukti.pdf"};
	struct gov_ticket_new in = {category,
	                            "Tidak bisa masuk portal",
	                            "Tautan masuk kedaluwarsa sebelum dibuka.",
	                            about,
	                            &f,
	                            1};

	if (gov_ticket_open(t, e->st, e->cfg, who, &in) < 0)
		fail_msg("open: %s", sertel_errmsg());
}

struct seen {
	const char *id;
	int found;
	int n;
};

static int
seen_cb(const struct gov_ticket *t, void *arg)
{
	struct seen *s = arg;

	s->n++;
	if (strcmp(t->id, s->id) == 0)
		s->found = 1;
	return 0;
}

static int
listed(struct env *e, const struct ra_actor *who, const char *id, const char *q)
{
	struct gov_ticket_filter f = {NULL, q, 0};
	struct seen s = {id, 0, 0};

	assert_int_equal(gov_ticket_iter(e->st, who, &f, seen_cb, &s), 0);
	return s.found;
}

static int
replies_cb(const struct gov_ticket_reply_info *r, void *arg)
{
	int *n = arg;

	assert_int_equal(r->seq, *n + 1);
	(*n)++;
	return 0;
}

/* A problem report: the Dinas's helpdesk is told; the states follow the
 * table; the person closes or reopens a resolved ticket only. */
static void
test_ticket_states(void **state)
{
	struct env *e = *state;
	struct gov_ticket t, got;
	struct counts c;
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[32], name[256];
	int n = 0;

	open_ticket(&t, e, &e->siti, "autentikasi", NULL);
	assert_string_equal(t.state, "open");
	assert_int_equal(mails_to(HELPDESK), 1);
	assert_int_equal(mails_to("op1"), 0); /* the helpdesk instead */
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'gov.ticket.open'"),
	                 1);
	/* The attachment: encrypted, its hash kept, read back for the Dinas. */
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM blobs b JOIN "
	                               "gov_ticket_files f ON f.blob_id = b.id"),
	                 1);
	assert_int_equal(
	    gov_ticket_file_get(&data, &len, mime, name, e->st, &e->op2, t.id, 1), 0);
	assert_int_equal(len, sizeof(pdf) - 1);
	assert_memory_equal(data, pdf, len);
	assert_string_equal(mime, "application/pdf");
	free(data);

	/* The person does not move it on; the auditor changes nothing;
	 * another person does not even see it. */
	counts(&c);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->siti, t.id, "in-progress", NULL),
	    SERTEL_ESTATE);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->budi, t.id, "in-progress", NULL),
	    SERTEL_EPERM);
	assert_int_equal(gov_ticket_reply(e->st, e->cfg, &e->budi, t.id, "x", NULL, 0),
	                 SERTEL_EPERM);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->andi, t.id, "in-progress", NULL),
	    SERTEL_ENOTFOUND);
	assert_int_equal(gov_ticket_reply(e->st, e->cfg, &e->andi, t.id, "x", NULL, 0),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->andi, t.id), SERTEL_ENOTFOUND);
	assert_int_equal(
	    gov_ticket_file_get(&data, &len, mime, name, e->st, &e->andi, t.id, 1),
	    SERTEL_ENOTFOUND);
	assert_false(listed(e, &e->andi, t.id, NULL));
	/* Refused moves: straight to closed, escalated without asking. */
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "closed", NULL),
	    SERTEL_ESTATE);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "escalated", NULL),
	    SERTEL_ESTATE);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "bogus", NULL),
	    SERTEL_EINVAL);
	unchanged(&c);

	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "in-progress", "dicek"),
	    0);
	assert_int_equal(gov_ticket_reply(e->st, e->cfg, &e->op1, t.id,
	                                  "Silakan minta tautan baru.", NULL, 0),
	                 0);
	assert_int_equal(gov_ticket_reply(e->st, e->cfg, &e->siti, t.id,
	                                  "Sudah, tetap gagal.", NULL, 0),
	                 0);
	assert_int_equal(mails_to(HELPDESK), 2); /* the person's reply */
	assert_int_equal(mails_to("siti"), 2);   /* a state, a reply */
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op2, t.id, "resolved", "diperbaiki"),
	    0);
	/* Resolved: the Dinas does not reopen it, the person does. */
	assert_int_equal(gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "open", NULL),
	                 SERTEL_ESTATE);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->siti, t.id, "open", "masih gagal"),
	    0);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->siti, t.id), 0);
	assert_string_equal(got.state, "open");
	assert_int_equal(got.resolved_at, 0);
	/* An optional reason left blank is none (the portal's form). */
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "resolved", ""), 0);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->siti, t.id, "closed", NULL), 0);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->kadis, t.id), 0);
	assert_string_equal(got.state, "closed");
	assert_true(got.closed_at > 0);
	/* Closed is final; no reply either. */
	counts(&c);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->siti, t.id, "open", NULL),
	    SERTEL_ESTATE);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->kadis, t.id, "resolved", NULL),
	    SERTEL_ESTATE);
	assert_int_equal(gov_ticket_reply(e->st, e->cfg, &e->siti, t.id, "lagi", NULL, 0),
	                 SERTEL_ESTATE);
	unchanged(&c);
	/* The timeline in order: 5 changes of state and 2 replies. */
	assert_int_equal(gov_ticket_replies(e->st, &got, replies_cb, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'gov.ticket.state'"),
	                 5);
	assert_true(listed(e, &e->siti, t.id, NULL));
	assert_true(listed(e, &e->op2, t.id, "MASUK portal")); /* search */
	assert_false(listed(e, &e->op2, t.id, "tidak ada kata ini"));
	assert_true(listed(e, &e->budi, t.id, NULL));
}

static int
mail_not_to(const char *local)
{
	return mails_to(local) == 0;
}

/* Cirebon 20(3): a complaint about op1 reaches op1's superior and the
 * Kepala Dinas; op1 and op2 never see it on any path, nor get its mail. */
static void
test_operator_complaint(void **state)
{
	struct env *e = *state;
	struct gov_ticket t, got;
	struct gov_help h;
	struct counts c;
	struct gov_ticket_new in;
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[32], name[256];
	int64_t helpdesk = mails_to(HELPDESK);

	open_ticket(&t, e, &e->andi, "operator", NIK_OP1);
	assert_string_equal(t.about_nik, NIK_OP1);
	assert_string_equal(t.superior_nik, NIK_ATASAN);
	assert_int_equal(mails_to("kabid"), 1);
	assert_int_equal(mails_to("kadis"), 1);
	assert_int_equal(mails_to(HELPDESK), helpdesk);
	assert_true(mail_not_to("op1") && mail_not_to("op2"));

	/* op1 and op2: not read, not listed, not found by search, no file. */
	counts(&c);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->op1, t.id), SERTEL_ENOTFOUND);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->op2, t.id), SERTEL_ENOTFOUND);
	assert_false(listed(e, &e->op1, t.id, NULL));
	assert_false(listed(e, &e->op2, t.id, NULL));
	assert_false(listed(e, &e->op1, t.id, "portal"));
	assert_int_equal(
	    gov_ticket_file_get(&data, &len, mime, name, e->st, &e->op1, t.id, 1),
	    SERTEL_ENOTFOUND);
	assert_int_equal(gov_ticket_reply(e->st, e->cfg, &e->op2, t.id, "x", NULL, 0),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "in-progress", NULL),
	    SERTEL_ENOTFOUND);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->op2, t.id, "tolong"),
	                 SERTEL_ENOTFOUND);
	/* The auditor reads, never handles. */
	assert_int_equal(gov_ticket_get(&got, e->st, &e->budi, t.id), 0);
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->budi, t.id, "in-progress", NULL),
	    SERTEL_EPERM);
	unchanged(&c);

	/* The superior and the Kepala Dinas handle it. */
	assert_true(listed(e, &e->atasan, t.id, NULL));
	assert_true(listed(e, &e->kadis, t.id, "portal"));
	assert_int_equal(
	    gov_ticket_file_get(&data, &len, mime, name, e->st, &e->atasan, t.id, 1), 0);
	free(data);
	assert_int_equal(gov_ticket_set_state(e->st, e->cfg, &e->atasan, t.id,
	                                      "in-progress", "diperiksa"),
	                 0);
	assert_int_equal(
	    gov_ticket_reply(e->st, e->cfg, &e->atasan, t.id, "Sudah ditegur.", NULL, 0),
	    0);
	assert_int_equal(
	    gov_ticket_reply(e->st, e->cfg, &e->andi, t.id, "Terima kasih.", NULL, 0), 0);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->kadis, t.id,
	                                  "Laporan atas pengelola OP (Pasal 20(3))."),
	                 0);
	assert_int_equal(mails_to(ISSUER), 1);
	assert_int_equal(mails_to(HELPDESK), helpdesk);
	assert_true(mail_not_to("op1") && mail_not_to("op2"));
	assert_int_equal(mails_to("kabid"), 2); /* the new one, andi's reply */

	/* Bad complaints: about a non-operator, by the operator themselves,
	 * without naming one, naming one in another category. */
	counts(&c);
	memset(&in, 0, sizeof(in));
	in.category = "operator";
	in.subject = "s";
	in.description = "d";
	in.about_nik = NIK_SITI;
	assert_int_equal(gov_ticket_open(&got, e->st, e->cfg, &e->andi, &in),
	                 SERTEL_EINVAL);
	in.about_nik = NIK_OP1;
	assert_int_equal(gov_ticket_open(&got, e->st, e->cfg, &e->op1, &in),
	                 SERTEL_EINVAL);
	in.about_nik = NULL;
	assert_int_equal(gov_ticket_open(&got, e->st, e->cfg, &e->andi, &in),
	                 SERTEL_EINVAL);
	in.category = "autentikasi";
	in.about_nik = NIK_OP1;
	assert_int_equal(gov_ticket_open(&got, e->st, e->cfg, &e->andi, &in),
	                 SERTEL_EINVAL);
	unchanged(&c);
}

static int
help_cb(const struct gov_help *h, void *arg)
{
	struct gov_help *out = arg;

	*out = *h;
	return 0;
}

/* Cirebon 22(2): the Dinas asks the issuer; the ticket is escalated while
 * it waits and in progress once answered. */
static void
test_help(void **state)
{
	struct env *e = *state;
	struct gov_ticket t, got;
	struct gov_help h, seen;
	struct counts c;

	open_ticket(&t, e, &e->siti, "penyangkalan", NULL);
	counts(&c);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->siti, t.id, "tolong"),
	                 SERTEL_EPERM);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->budi, t.id, "tolong"),
	                 SERTEL_EPERM);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->budi, NULL, "tolong"),
	                 SERTEL_EPERM);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->andi, NULL, "tolong"),
	                 SERTEL_EPERM);
	/* Without the issuer's address configured: a one-line refusal. */
	assert_int_equal(gov_help_request(&h, e->st, NULL, &e->op1, t.id, "tolong"),
	                 SERTEL_EINVAL);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->op1, t.id, ""),
	                 SERTEL_EINVAL);
	unchanged(&c);

	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->op1, t.id,
	                                  "Tanda tangan disangkal; mohon verifikasi."),
	                 0);
	assert_string_equal(h.sent_to, ISSUER);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM mail_queue WHERE to_addr = '" ISSUER
	                  "' AND kind = 'help'"),
	    1);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->siti, t.id), 0);
	assert_string_equal(got.state, "escalated");
	assert_true(got.escalated_at > 0);
	/* The person sees what was sent. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(gov_help_iter(e->st, &e->siti, t.id, help_cb, &seen), 0);
	assert_string_equal(seen.id, h.id);
	assert_int_equal(seen.answered_at, 0);

	counts(&c);
	assert_int_equal(gov_help_answer(e->st, &e->siti, h.id, "jawaban"), SERTEL_EPERM);
	assert_int_equal(gov_help_answer(e->st, &e->budi, h.id, "jawaban"), SERTEL_EPERM);
	assert_int_equal(gov_help_answer(e->st, &e->andi, h.id, "jawaban"),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(gov_help_answer(e->st, &e->op1, "0000000000000000", "jawaban"),
	                 SERTEL_ENOTFOUND);
	unchanged(&c);
	assert_int_equal(
	    gov_help_answer(e->st, &e->op2, h.id, "Tanda tangan sah; sertifikat valid."),
	    0);
	assert_int_equal(gov_help_answer(e->st, &e->op2, h.id, "lagi"), SERTEL_ESTATE);
	assert_int_equal(gov_ticket_get(&got, e->st, &e->siti, t.id), 0);
	assert_string_equal(got.state, "in-progress");
	assert_int_equal(gov_help_iter(e->st, &e->siti, t.id, help_cb, &seen), 0);
	assert_string_equal(seen.answer, "Tanda tangan sah; sertifikat valid.");
	assert_true(seen.answered_at > 0);

	/* Standalone: the Kepala Dinas asks; read by the Dinas and the
	 * auditor, not by a person. */
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->kadis, NULL,
	                                  "Mohon pendampingan teknis."),
	                 0);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(gov_help_iter(e->st, &e->budi, NULL, help_cb, &seen), 0);
	assert_string_equal(seen.id, h.id);
	assert_int_equal(gov_help_iter(e->st, &e->siti, NULL, help_cb, &seen),
	                 SERTEL_EPERM);
	assert_int_equal(gov_help_answer(e->st, &e->kadis, h.id, "Dijadwalkan."), 0);
	/* A resolved ticket is not escalated. */
	assert_int_equal(
	    gov_ticket_set_state(e->st, e->cfg, &e->op1, t.id, "resolved", NULL), 0);
	assert_int_equal(gov_help_request(&h, e->st, e->cfg, &e->op1, t.id, "tolong"),
	                 SERTEL_ESTATE);
}

/* Bounded, checked input; nothing half-written. */
static void
test_bad_input(void **state)
{
	struct env *e = *state;
	struct gov_ticket t;
	struct counts c;
	struct ra_file txt = {"lampiran", (const unsigned char *)"hello", 5, "a.pdf"};
	struct ra_file disguised = {"lampiran", png, sizeof(png) - 1, "foto.pdf"};
	struct ra_file ok = {"lampiran", pdf, sizeof(pdf) - 1, "ok.pdf"};
	struct ra_file many[5] = {ok, ok, ok, ok, ok};
	struct ra_file big = ok;
	struct gov_ticket_new in = {"lainnya", "Subjek", "Uraian", NULL, NULL, 0};
	unsigned char *huge;
	char *longtext;

	assert_non_null(huge = calloc(1, GOV_TICKET_FILE_MAX + 1));
	memcpy(huge, pdf, sizeof(pdf) - 1);
	big.data = huge;
	big.len = GOV_TICKET_FILE_MAX + 1;
	assert_non_null(longtext = malloc(GOV_TICKET_BODY_MAX + 2));
	memset(longtext, 'a', GOV_TICKET_BODY_MAX + 1);
	longtext[GOV_TICKET_BODY_MAX + 1] = '\0';

	counts(&c);
	in.category = "keluhan";
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_EINVAL);
	in.category = "lainnya";
	in.subject = "";
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_EINVAL);
	in.subject = "baris\nbaru";
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_EINVAL);
	in.subject = "Subjek";
	in.description = longtext;
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_ETOOBIG);
	in.description = "Uraian";
	in.files = &txt;
	in.nfiles = 1;
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_EINVAL);
	in.files = &disguised;
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_EINVAL);
	in.files = &big;
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_ETOOBIG);
	in.files = many;
	in.nfiles = 5;
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->siti, &in),
	                 SERTEL_EINVAL);
	/* The local administrator is nobody to file one; the auditor files
	 * nothing. */
	in.nfiles = 0;
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->admin, &in),
	                 SERTEL_EPERM);
	assert_int_equal(gov_ticket_open(&t, e->st, e->cfg, &e->budi, &in), SERTEL_EPERM);
	unchanged(&c);
	/* Without [governance] helpdesk_to: every OP operator is told. */
	assert_int_equal(gov_ticket_open(&t, e->st, NULL, &e->siti, &in), 0);
	assert_int_equal(mails_to("op1"), 1);
	assert_int_equal(mails_to("op2"), 1);
	assert_int_equal(mails_to("siti"), 0);
	free(huge);
	free(longtext);
}

struct blocks {
	char out[512];
};

static int
block_cb(int item, const char *text, size_t len, void *arg)
{
	struct blocks *b = arg;
	size_t n = strlen(b->out);

	snprintf(b->out + n, sizeof(b->out) - n, "%s[%.*s]", item ? "L" : "P", (int)len,
	         text);
	return 0;
}

static int
version_cb(const struct gov_guide *g, void *arg)
{
	int *n = arg;

	assert_null(g->body);
	(*n)++;
	return 0;
}

/* Cirebon 3(1)h-i, 19: versions published by the Kepala Dinas, never
 * edited in place. */
static void
test_guide(void **state)
{
	struct env *e = *state;
	struct gov_guide g, got;
	struct counts c;
	struct blocks b = {""};
	char hash[65];
	int n = 0;

	counts(&c);
	assert_int_equal(
	    gov_guide_publish(&g, e->st, &e->op1, "sop", "SOP", "teks", NULL),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_guide_publish(&g, e->st, &e->budi, "sop", "SOP", "teks", NULL),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_guide_publish(&g, e->st, &e->siti, "sop", "SOP", "teks", NULL),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_guide_publish(&g, e->st, &e->kadis, "brosur", "SOP", "teks", NULL),
	    SERTEL_EINVAL);
	assert_int_equal(gov_guide_publish(&g, e->st, &e->kadis, "sop", "", "teks", NULL),
	                 SERTEL_EINVAL);
	assert_int_equal(gov_guide_publish(&g, e->st, &e->kadis, "sop", "SOP", "", NULL),
	                 SERTEL_EINVAL);
	unchanged(&c);
	assert_int_equal(gov_guide_get(&got, e->st, "sop", 0), SERTEL_ENOTFOUND);

	assert_int_equal(gov_guide_publish(&g, e->st, &e->kadis, "sop", "SOP Pendaftaran",
	                                   "Langkah pertama.", "terbit"),
	                 0);
	assert_int_equal(g.version, 1);
	gov_guide_free(&g);
	assert_int_equal(
	    gov_guide_publish(&g, e->st, &e->kadis, "sop", "SOP Pendaftaran",
	                      "Paragraf satu\nbaris dua.\n\n- butir a\n- butir "
	                      "b\nParagraf <b>dua</b>.",
	                      NULL),
	    0);
	assert_int_equal(g.version, 2);
	gov_guide_free(&g);
	assert_int_equal(gov_guide_get(&got, e->st, "sop", 0), 0);
	assert_int_equal(got.version, 2);
	sha256_hex(hash, got.body, strlen(got.body));
	assert_string_equal(hash, got.sha256);
	assert_int_equal(gov_guide_blocks(got.body, block_cb, &b), 0);
	assert_string_equal(b.out,
	                    "P[Paragraf satu\nbaris dua.]L[butir a]L[butir b]P[Paragraf "
	                    "<b>dua</b>.]");
	gov_guide_free(&got);
	assert_int_equal(gov_guide_get(&got, e->st, "sop", 1), 0);
	assert_string_equal(got.body, "Langkah pertama.");
	gov_guide_free(&got);
	assert_int_equal(gov_guide_get(&got, e->st, "sop", 3), SERTEL_ENOTFOUND);
	assert_int_equal(gov_guide_get(&got, e->st, "hak-kewajiban", 0),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(gov_guide_versions(e->st, "sop", version_cb, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'gov.guide.publish'"),
	                 2);
}

/* Every operation x every role, on a problem report (filed by Siti) and
 * on a complaint about op1 (filed by Andi; op1's superior is Atasan): the
 * allowed ones work, the denied ones return the code in the table and
 * change nothing. */
enum { OP_READ, OP_FILE, OP_REPLY, OP_STATE, OP_HELP, OP_N };
#define NF SERTEL_ENOTFOUND
#define PE SERTEL_EPERM
#define ST SERTEL_ESTATE

static int
try_op(struct env *e, const struct ra_actor *who, int op, const char *id)
{
	struct gov_ticket got;
	struct gov_help h;
	unsigned char *data = NULL;
	size_t len;
	char mime[32], name[256];
	int rc = 0;

	switch (op) {
	case OP_READ: rc = gov_ticket_get(&got, e->st, who, id); break;
	case OP_FILE:
		rc = gov_ticket_file_get(&data, &len, mime, name, e->st, who, id, 1);
		free(data);
		break;
	case OP_REPLY:
		rc = gov_ticket_reply(e->st, e->cfg, who, id, "balasan", NULL, 0);
		break;
	case OP_STATE:
		rc = gov_ticket_set_state(e->st, e->cfg, who, id, "in-progress", NULL);
		break;
	case OP_HELP: rc = gov_help_request(&h, e->st, e->cfg, who, id, "tolong"); break;
	}
	return rc;
}

static void
test_role_matrix(void **state)
{
	struct env *e = *state;
	const struct ra_actor *who[8] = {&e->admin,  &e->kadis, &e->op1,  &e->op2,
	                                 &e->atasan, &e->siti,  &e->andi, &e->budi};
	static const char *const names[8] = {"admin",  "kadis", "op1",  "op2",
	                                     "atasan", "siti",  "andi", "budi"};
	/* [kind][actor][op]: kind 0 Siti's report, 1 Andi's complaint on op1. */
	static const int want[2][8][OP_N] = {
	    {{0, 0, 0, 0, 0},
	     {0, 0, 0, 0, 0},
	     {0, 0, 0, 0, 0},
	     {0, 0, 0, 0, 0},
	     {NF, NF, NF, NF, NF},
	     {0, 0, 0, ST, PE},
	     {NF, NF, NF, NF, NF},
	     {0, 0, PE, PE, PE}},
	    {{0, 0, 0, 0, 0},
	     {0, 0, 0, 0, 0},
	     {NF, NF, NF, NF, NF},
	     {NF, NF, NF, NF, NF},
	     {0, 0, 0, 0, 0},
	     {NF, NF, NF, NF, NF},
	     {0, 0, 0, ST, PE},
	     {0, 0, PE, PE, PE}},
	};
	static const int standalone[8] = {0, 0, 0, 0, PE, PE, PE, PE};
	static const int publish[8] = {0, 0, PE, PE, PE, PE, PE, PE};
	struct gov_ticket t;
	struct gov_guide g;
	struct gov_help h;
	struct counts c;
	int kind, a, op, rc;

	for (kind = 0; kind < 2; kind++)
		for (a = 0; a < 8; a++)
			for (op = 0; op < OP_N; op++) {
				/* A fresh ticket for each try: one change does not
				 * decide the next. */
				if (kind == 0)
					open_ticket(&t, e, &e->siti, "keaslian-data",
					            NULL);
				else
					open_ticket(&t, e, &e->andi, "operator", NIK_OP1);
				counts(&c);
				rc = try_op(e, who[a], op, t.id);
				if (rc != want[kind][a][op])
					fail_msg(
					    "%s ticket, %s, op %d: %d, expected %d (%s)",
					    kind ? "complaint" : "report", names[a], op,
					    rc, want[kind][a][op], sertel_errmsg());
				if (rc < 0)
					unchanged(&c);
			}
	for (a = 0; a < 8; a++) {
		counts(&c);
		rc = gov_help_request(&h, e->st, e->cfg, who[a], NULL, "Mohon bantuan.");
		if (rc != standalone[a])
			fail_msg("standalone help, %s: %d", names[a], rc);
		if (rc < 0)
			unchanged(&c);
		counts(&c);
		rc = gov_guide_publish(&g, e->st, who[a], "pengaduan", "Prosedur",
		                       "Teks.", NULL);
		gov_guide_free(&g);
		if (rc != publish[a])
			fail_msg("publish, %s: %d", names[a], rc);
		if (rc < 0)
			unchanged(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ticket_states, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_operator_complaint, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_help, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_guide, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_role_matrix, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
