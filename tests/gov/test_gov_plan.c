/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Needs, the master plan and its road map, the decree (src/gov/needs.c,
 * plan.c), on SQLite and PostgreSQL: the whole path of a needs record and
 * every refused transition (SERTEL_ESTATE); each operation by each role,
 * the refused ones (SERTEL_EPERM) changing nothing (rows and audit
 * entries counted through a second connection); bad input with one-line
 * errors; the plan's five years, targets, PDF documents, reviews and the
 * review status (due and late by dates moved into the past through SQL)
 * with its notice queued once per change; the decree and its scope.
 */
#include "fixture.h"
#include "fixture_ra.h"

#include "audit/audit.h"
#include "gov/gov.h"
#include "ra/ra.h"

#define NIK_KADIS "3274010101750001"
#define NIK_OP    "3274010101820001"
#define NIK_HEADA "3274010101760001"
#define NIK_HEADB "3274010101770001"
#define NIK_AUDIT "3274010101780001"
#define NIK_SITI  "3274014101920002"

struct env {
	struct store *st;
	struct ra_agency a, b;
	struct ra_actor admin, kadis, op, heada, headb, auditor, siti;
};

static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

static void
person(struct env *e, const char *nik, const char *name, const char *mail,
       const char *agency, unsigned roles)
{
	fixture_person(e->st, &e->admin, nik, name, mail, agency, roles);
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (e == NULL || fixture_store_setup((void **)&e->st) < 0)
		return -1;
	ra_actor_local(&e->admin, "cli:test");
	if (ra_agency_add(&e->a, e->st, &e->admin, "Dinas Kominfo",
	                  "kominfo.cirebonkota.go.id") < 0 ||
	    ra_agency_add(&e->b, e->st, &e->admin, "Dinas Kesehatan",
	                  "dinkes.cirebonkota.go.id") < 0)
		return -1;
	person(e, NIK_KADIS, "Kepala Dinas", "kadis@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	assert_int_equal(
	    ra_person_appoint(e->st, &e->admin, NIK_KADIS, ROLE_KEPALA_DINAS), 0);
	assert_int_equal(ra_actor_person(&e->kadis, e->st, NIK_KADIS), 0);
	person(e, NIK_OP, "Operator", "op@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	person(e, NIK_AUDIT, "Auditor", "audit@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_AUDIT, ROLE_AUDITOR), 0);
	person(e, NIK_HEADA, "Kepala Kominfo", "kepala@kominfo.cirebonkota.go.id",
	       e->a.id, ROLE_PEMOHON | ROLE_KEPALA_PD);
	person(e, NIK_HEADB, "Kepala Dinkes", "kepala@dinkes.cirebonkota.go.id", e->b.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD);
	person(e, NIK_SITI, "Siti Aminah", "siti@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	assert_int_equal(ra_actor_person(&e->op, e->st, NIK_OP), 0);
	assert_int_equal(ra_actor_person(&e->auditor, e->st, NIK_AUDIT), 0);
	assert_int_equal(ra_actor_person(&e->heada, e->st, NIK_HEADA), 0);
	assert_int_equal(ra_actor_person(&e->headb, e->st, NIK_HEADB), 0);
	assert_int_equal(ra_actor_person(&e->siti, e->st, NIK_SITI), 0);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	fixture_store_teardown((void **)&e->st);
	free(e);
	return 0;
}

/* Everything a refused operation must leave as it was. */
#define SNAP_SQL                                                                         \
	"SELECT (SELECT COUNT(*) FROM audit) * 1000000 + "                               \
	"(SELECT COUNT(*) FROM gov_needs) * 100000 + "                                   \
	"(SELECT COUNT(*) FROM gov_need_items) * 10000 + "                               \
	"(SELECT COUNT(*) FROM gov_plans) * 1000 + (SELECT COUNT(*) FROM "               \
	"gov_plan_docs) "                                                                \
	"* 100 + (SELECT COUNT(*) FROM gov_decrees) * 10 + "                             \
	"(SELECT COUNT(*) FROM gov_scope)"

static int64_t
snap(void)
{
	/* The state columns too: a refused move must not change one. */
	return fixture_count(SNAP_SQL) * 7 +
	       fixture_count("SELECT COUNT(*) FROM gov_needs WHERE state = 'draft'") +
	       3 * fixture_count("SELECT COUNT(*) FROM gov_need_items WHERE priority IS "
	                         "NOT NULL") +
	       5 * fixture_count("SELECT COUNT(*) FROM gov_plan_reviews");
}

/* rc must be want; a refusal must change nothing. */
#define EXPECT(want, call)                                                               \
	do {                                                                             \
		int64_t before_ = snap();                                                \
		int rc_ = (call);                                                        \
		if (rc_ != (want))                                                       \
			fail_msg("%s: %d, expected %d (%s)", #call, rc_, (want),         \
			         sertel_errmsg());                                       \
		if (rc_ < 0)                                                             \
			assert_int_equal(snap(), before_);                               \
	} while (0)

static void
item(struct gov_need_item *it, const char *type, const char *usage, int64_t count,
     const char *system)
{
	memset(it, 0, sizeof(*it));
	str_copy(it->type, sizeof(it->type), type);
	str_copy(it->usage, sizeof(it->usage), usage);
	it->count = count;
	if (system != NULL)
		str_copy(it->system_name, sizeof(it->system_name), system);
	str_copy(it->justification, sizeof(it->justification), "layanan perizinan");
}

static void
analysis(struct gov_need_item *a, int idx, int prio, int year, int q, int64_t amount)
{
	memset(a, 0, sizeof(*a));
	a->idx = idx;
	a->priority = prio;
	a->planned_year = year;
	a->planned_quarter = q;
	a->budget_amount = amount;
	str_copy(a->budget_source, sizeof(a->budget_source), "APBD");
}

struct totals {
	int64_t count[8];
	char key[8][64];
	int n;
};

static int
total_one(const struct gov_need_total *t, void *arg)
{
	struct totals *x = arg;

	if (x->n < 8) {
		snprintf(x->key[x->n], sizeof(x->key[0]), "%s/%s", t->type, t->usage);
		x->count[x->n++] = t->count;
	}
	return 0;
}

static int
count_one(const struct gov_need *n, void *arg)
{
	(void)n;
	(*(int *)arg)++;
	return 0;
}

static void
test_needs_flow(void **state)
{
	struct env *e = *state;
	struct gov_need n, m;
	struct gov_need_item it, a;
	struct totals t;
	int k;

	/* Bad input: one-line errors, nothing written. */
	EXPECT(SERTEL_ENOTFOUND, gov_need_create(&n, e->st, &e->heada, "nope", 2027, ""));
	assert_non_null(strstr(sertel_errmsg(), "no such agency"));
	EXPECT(SERTEL_EINVAL, gov_need_create(&n, e->st, &e->heada, e->a.id, 1999, ""));
	assert_null(strchr(sertel_errmsg(), '\n'));
	/* Only the head of that agency creates it. */
	EXPECT(SERTEL_EPERM, gov_need_create(&n, e->st, &e->headb, e->a.id, 2027, ""));
	EXPECT(SERTEL_EPERM, gov_need_create(&n, e->st, &e->siti, e->a.id, 2027, ""));
	EXPECT(SERTEL_EPERM, gov_need_create(&n, e->st, &e->op, e->a.id, 2027, ""));
	EXPECT(SERTEL_EPERM, gov_need_create(&n, e->st, &e->kadis, e->a.id, 2027, ""));
	EXPECT(SERTEL_EPERM, gov_need_create(&n, e->st, &e->auditor, e->a.id, 2027, ""));
	EXPECT(0, gov_need_create(&n, e->st, &e->heada, e->a.id, 2027, "Rencana 2027"));
	assert_string_equal(n.state, "draft");
	EXPECT(SERTEL_EEXISTS, gov_need_create(&m, e->st, &e->heada, e->a.id, 2027, ""));

	item(&it, "individu", "signing", -1, NULL);
	EXPECT(SERTEL_EINVAL, gov_need_item_add(e->st, &e->heada, n.id, &it));
	assert_non_null(strstr(sertel_errmsg(), "must be 0 or more"));
	item(&it, "individu", "ssl-server", 3, NULL);
	EXPECT(SERTEL_EINVAL, gov_need_item_add(e->st, &e->heada, n.id, &it));
	item(&it, "sistem", "ssl-server", 2, NULL);
	EXPECT(SERTEL_EINVAL, gov_need_item_add(e->st, &e->heada, n.id, &it));
	assert_non_null(strstr(sertel_errmsg(), "system's name"));
	item(&it, "nope", "signing", 2, NULL);
	EXPECT(SERTEL_EINVAL, gov_need_item_add(e->st, &e->heada, n.id, &it));
	/* Submitting nothing is refused. */
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->heada, n.id, "submit", NULL));

	item(&it, "individu", "signing", 40, NULL);
	EXPECT(SERTEL_EPERM, gov_need_item_add(e->st, &e->headb, n.id, &it));
	EXPECT(SERTEL_EPERM, gov_need_item_add(e->st, &e->op, n.id, &it));
	EXPECT(0, gov_need_item_add(e->st, &e->heada, n.id, &it));
	assert_int_equal(it.idx, 1);
	item(&it, "sistem", "ssl-server", 2, "SIMPEG");
	EXPECT(0, gov_need_item_add(e->st, &e->heada, n.id, &it));
	item(&it, "jabatan", "signing,email", 0, NULL);
	EXPECT(0, gov_need_item_add(e->st, &e->heada, n.id, &it));
	EXPECT(0, gov_need_item_remove(e->st, &e->heada, n.id, 3));
	EXPECT(SERTEL_ENOTFOUND, gov_need_item_remove(e->st, &e->heada, n.id, 3));

	/* The Dinas cannot analyse a draft; the head cannot plan it. */
	analysis(&a, 1, 1, 2027, 2, 50000000);
	EXPECT(SERTEL_ESTATE, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->heada, n.id, "plan", NULL));
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->kadis, n.id, "plan", NULL));
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->headb, n.id, "submit", NULL));
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->kadis, n.id, "submit", NULL));
	EXPECT(0, gov_need_move(e->st, &e->heada, n.id, "submit", NULL));
	assert_int_equal(gov_need_get(&m, e->st, n.id), 0);
	assert_string_equal(m.state, "submitted");
	assert_true(m.submitted_at > 0);
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->heada, n.id, "submit", NULL));
	item(&it, "individu", "email", 1, NULL);
	EXPECT(SERTEL_ESTATE, gov_need_item_add(e->st, &e->heada, n.id, &it));
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->heada, n.id, "reopen", "x"));

	/* Analysis: bounds, then per item; analysed when all are. */
	analysis(&a, 1, 6, 2027, 2, 1);
	EXPECT(SERTEL_EINVAL, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	analysis(&a, 1, 1, 2026, 2, 1);
	EXPECT(SERTEL_EINVAL, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	assert_non_null(strstr(sertel_errmsg(), "not before"));
	analysis(&a, 1, 1, 2027, 5, 1);
	EXPECT(SERTEL_EINVAL, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	analysis(&a, 1, 1, 2027, 2, -5);
	EXPECT(SERTEL_EINVAL, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	analysis(&a, 1, 1, 2027, 2, 50000000);
	EXPECT(SERTEL_EPERM, gov_need_item_analyse(e->st, &e->heada, n.id, &a));
	EXPECT(SERTEL_EPERM, gov_need_item_analyse(e->st, &e->auditor, n.id, &a));
	EXPECT(SERTEL_EPERM, gov_need_item_analyse(e->st, &e->siti, n.id, &a));
	EXPECT(0, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	assert_int_equal(gov_need_get(&m, e->st, n.id), 0);
	assert_string_equal(m.state, "submitted");
	analysis(&a, 2, 2, 2028, 1, 12000000);
	EXPECT(0, gov_need_item_analyse(e->st, &e->kadis, n.id, &a));
	assert_int_equal(gov_need_get(&m, e->st, n.id), 0);
	assert_string_equal(m.state, "analysed");
	assert_int_equal(m.items, 2);
	assert_int_equal(m.total, 42);

	/* Planning is the Kepala Dinas's. */
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->op, n.id, "plan", NULL));
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->auditor, n.id, "plan", NULL));
	EXPECT(SERTEL_EINVAL, gov_need_move(e->st, &e->kadis, n.id, "reject", NULL));
	EXPECT(0, gov_need_move(e->st, &e->kadis, n.id, "plan", "sesuai anggaran"));
	assert_int_equal(gov_need_get(&m, e->st, n.id), 0);
	assert_string_equal(m.state, "planned");
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->kadis, n.id, "reject", "x"));
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->kadis, n.id, "plan", NULL));
	EXPECT(SERTEL_ESTATE, gov_need_move(e->st, &e->heada, n.id, "reopen", "x"));
	EXPECT(SERTEL_EINVAL, gov_need_move(e->st, &e->kadis, n.id, "approve", NULL));

	/* Agency B: rejected from submitted, reopened, resubmitted. */
	EXPECT(0, gov_need_create(&m, e->st, &e->headb, e->b.id, 2027, ""));
	item(&it, "individu", "signing", 15, NULL);
	EXPECT(0, gov_need_item_add(e->st, &e->headb, m.id, &it));
	EXPECT(0, gov_need_move(e->st, &e->headb, m.id, "submit", NULL));
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->op, m.id, "reject", "x"));
	EXPECT(0, gov_need_move(e->st, &e->kadis, m.id, "reject", "anggaran belum ada"));
	assert_int_equal(gov_need_get(&m, e->st, m.id), 0);
	assert_string_equal(m.state, "rejected");
	assert_string_equal(m.reason, "anggaran belum ada");
	EXPECT(SERTEL_EPERM, gov_need_move(e->st, &e->heada, m.id, "reopen", "x"));
	EXPECT(SERTEL_EINVAL, gov_need_move(e->st, &e->headb, m.id, "reopen", NULL));
	EXPECT(0, gov_need_move(e->st, &e->headb, m.id, "reopen", "jumlah dikurangi"));
	assert_int_equal(gov_need_get(&m, e->st, m.id), 0);
	assert_string_equal(m.state, "draft");
	EXPECT(0, gov_need_move(e->st, &e->headb, m.id, "submit", NULL));

	/* Reading: the Dinas and the auditor everything, a head their own. */
	assert_int_equal(gov_need_may_read(e->st, &e->auditor, &m), 0);
	assert_int_equal(gov_need_may_read(e->st, &e->op, &m), 0);
	assert_int_equal(gov_need_may_read(e->st, &e->headb, &m), 0);
	assert_int_equal(gov_need_may_read(e->st, &e->heada, &m), SERTEL_EPERM);
	assert_int_equal(gov_need_may_read(e->st, &e->siti, &m), SERTEL_EPERM);
	k = 0;
	assert_int_equal(gov_need_iter(e->st, &e->auditor, 2027, NULL, count_one, &k), 0);
	assert_int_equal(k, 2);
	k = 0;
	assert_int_equal(gov_need_iter(e->st, &e->heada, 2027, NULL, count_one, &k), 0);
	assert_int_equal(k, 1);
	assert_int_equal(gov_need_iter(e->st, &e->heada, 2027, e->b.id, count_one, &k),
	                 SERTEL_EPERM);
	assert_int_equal(gov_need_iter(e->st, &e->siti, 2027, NULL, count_one, &k),
	                 SERTEL_EPERM);

	/* What the Dinas plans for: submitted, analysed and planned count. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(gov_need_totals(e->st, &e->op, 2027, total_one, &t), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.key[0], "individu/signing");
	assert_int_equal(t.count[0], 55);
	assert_string_equal(t.key[1], "sistem/ssl-server");
	assert_int_equal(t.count[1], 2);
	assert_int_equal(gov_need_totals(e->st, &e->heada, 2027, total_one, &t),
	                 SERTEL_EPERM);
	/* Every change audited. */
	assert_true(fixture_count("SELECT COUNT(*) FROM audit WHERE action LIKE "
	                          "'gov.needs.%'") >= 14);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'gov.needs.reject' AND reason = "
	                               "'anggaran belum ada'"),
	                 1);
}

static int64_t
review_notices(void)
{
	return fixture_count("SELECT COUNT(*) FROM mail_queue WHERE kind = 'plan-review' "
	                     "AND to_addr = 'kadis@kominfo.cirebonkota.go.id'");
}

static void
test_plan(void **state)
{
	struct env *e = *state;
	struct gov_plan p, q;
	struct gov_plan_target t;
	struct gov_plan_doc meta;
	struct ra_file fpdf = {"rencana", pdf, sizeof(pdf) - 1, "rpjmd.pdf"};
	struct ra_file fpng = {"rencana", png, sizeof(png) - 1, "rpjmd.pdf"};
	struct ra_file fpng2 = {"rencana", png, sizeof(png) - 1, "peta.png"};
	enum gov_review_status rs;
	unsigned char *data = NULL;
	size_t len = 0;
	int64_t bp, now = time_now(), since;
	char sql[256], today[32];
	int y, sent;

	/* The plan in force this year (the clock is not injectable). */
	{
		struct tm tm;
		time_t tt = (time_t)now;

		gmtime_r(&tt, &tm);
		y = tm.tm_year + 1900;
	}
	EXPECT(SERTEL_EPERM,
	       gov_plan_create(&p, e->st, &e->op, "Rencana", y - 1, "", "r"));
	EXPECT(SERTEL_EPERM,
	       gov_plan_create(&p, e->st, &e->heada, "Rencana", y - 1, "", "r"));
	EXPECT(SERTEL_EPERM,
	       gov_plan_create(&p, e->st, &e->auditor, "Rencana", y - 1, "", "r"));
	EXPECT(SERTEL_EINVAL,
	       gov_plan_create(&p, e->st, &e->kadis, "Rencana", y - 1, "", NULL));
	EXPECT(0, gov_plan_create(&p, e->st, &e->kadis, "Rencana Induk SE", y - 1,
	                          "RPJMD 2025-2029; Rencana SPBE", "Perwali 9"));
	assert_int_equal(p.end_year, y + 3);
	EXPECT(SERTEL_EEXISTS,
	       gov_plan_create(&q, e->st, &e->kadis, "Lain", y + 3, "", "r"));
	EXPECT(SERTEL_EEXISTS,
	       gov_plan_create(&q, e->st, &e->kadis, "Lain", y - 5, "", "r"));
	EXPECT(0, gov_plan_create(&q, e->st, &e->kadis, "Berikutnya", y + 4, "", "r"));
	assert_int_equal(gov_plan_for_year(&q, e->st, y), 0);
	assert_string_equal(q.id, p.id);
	assert_int_equal(gov_plan_for_year(&q, e->st, y + 20), SERTEL_ENOTFOUND);

	/* Percent with up to 2 decimals into basis points. */
	assert_int_equal(gov_percent_parse(&bp, "12.34"), 0);
	assert_int_equal(bp, 1234);
	assert_int_equal(gov_percent_parse(&bp, "7,5"), 0);
	assert_int_equal(bp, 750);
	assert_int_equal(gov_percent_parse(&bp, "100"), 0);
	assert_int_equal(bp, 10000);
	assert_int_equal(gov_percent_parse(&bp, "100.01"), SERTEL_EINVAL);
	assert_int_equal(gov_percent_parse(&bp, "12.345"), SERTEL_EINVAL);
	assert_int_equal(gov_percent_parse(&bp, "-1"), SERTEL_EINVAL);
	assert_int_equal(gov_percent_parse(&bp, "abc"), SERTEL_EINVAL);

	memset(&t, 0, sizeof(t));
	t.year = y;
	t.asn_bp = 5050;
	t.systems = 12;
	t.services = 30;
	str_copy(t.activities, sizeof(t.activities), "Sosialisasi; penerbitan massal");
	EXPECT(SERTEL_EPERM, gov_plan_target_set(e->st, &e->op, p.id, &t, "r"));
	EXPECT(SERTEL_EINVAL, gov_plan_target_set(e->st, &e->kadis, p.id, &t, NULL));
	t.year = y + 4;
	EXPECT(SERTEL_EINVAL, gov_plan_target_set(e->st, &e->kadis, p.id, &t, "r"));
	t.year = y;
	t.asn_bp = 10001;
	EXPECT(SERTEL_EINVAL, gov_plan_target_set(e->st, &e->kadis, p.id, &t, "r"));
	t.asn_bp = 5050;
	t.systems = -1;
	EXPECT(SERTEL_EINVAL, gov_plan_target_set(e->st, &e->kadis, p.id, &t, "r"));
	t.systems = 12;
	EXPECT(0, gov_plan_target_set(e->st, &e->kadis, p.id, &t, "target 2026"));
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM gov_plan_targets"), 10);
	assert_int_equal(fixture_count("SELECT MAX(asn_bp) FROM gov_plan_targets"), 5050);
	EXPECT(SERTEL_EPERM, gov_plan_update(e->st, &e->heada, p.id, "X", NULL, "r"));
	EXPECT(0, gov_plan_update(e->st, &e->kadis, p.id, NULL, "RPJMD; SPBE 2025", "r"));

	/* Documents: PDF by content only. */
	EXPECT(SERTEL_EINVAL, gov_plan_doc_add(e->st, &e->kadis, p.id, &fpng, "r"));
	EXPECT(SERTEL_EINVAL, gov_plan_doc_add(e->st, &e->kadis, p.id, &fpng2, "r"));
	EXPECT(SERTEL_EPERM, gov_plan_doc_add(e->st, &e->op, p.id, &fpdf, "r"));
	EXPECT(0, gov_plan_doc_add(e->st, &e->kadis, p.id, &fpdf, "RPJMD"));
	assert_int_equal(gov_plan_doc_get(&data, &len, &meta, e->st, p.id, 1), 0);
	assert_int_equal(len, sizeof(pdf) - 1);
	assert_memory_equal(data, pdf, len);
	free(data);
	assert_int_equal(gov_plan_doc_get(&data, &len, &meta, e->st, p.id, 2),
	                 SERTEL_ENOTFOUND);

	/* The review status: ok when new, due, late, ok after a review. */
	assert_int_equal(gov_plan_review_status(&rs, &since, e->st, p.id, 30, now), 0);
	assert_int_equal(rs, GOV_REVIEW_OK);
	assert_int_equal(gov_plan_tick(e->st, NULL, now, &sent), 0);
	assert_int_equal(sent, 0);
	snprintf(sql, sizeof(sql),
	         "UPDATE gov_plans SET created_at = %lld WHERE id = '%s'",
	         (long long)(now - 350 * 86400LL), p.id);
	fixture_sql(sql);
	assert_int_equal(gov_plan_review_status(&rs, &since, e->st, p.id, 30, now), 0);
	assert_int_equal(rs, GOV_REVIEW_DUE);
	assert_int_equal(gov_plan_review_status(&rs, &since, e->st, p.id, 10, now), 0);
	assert_int_equal(rs, GOV_REVIEW_OK);
	/* Mailed once per change. */
	{
		assert_int_equal(gov_plan_tick(e->st, NULL, now, &sent), 0);
		assert_int_equal(sent, 1);
		assert_int_equal(review_notices(), 1);
		assert_int_equal(gov_plan_tick(e->st, NULL, now, &sent), 0);
		assert_int_equal(sent, 0);
		assert_int_equal(review_notices(), 1);
	}
	snprintf(sql, sizeof(sql),
	         "UPDATE gov_plans SET created_at = %lld WHERE id = '%s'",
	         (long long)(now - 400 * 86400LL), p.id);
	fixture_sql(sql);
	assert_int_equal(gov_plan_review_status(&rs, &since, e->st, p.id, 30, now), 0);
	assert_int_equal(rs, GOV_REVIEW_LATE);
	{
		assert_int_equal(gov_plan_tick(e->st, NULL, now, &sent), 0);
		assert_int_equal(sent, 1);
		assert_int_equal(review_notices(), 2);
	}
	/* A review 366 days ago is late too; one today makes it ok. */
	EXPECT(SERTEL_EINVAL,
	       gov_plan_review_add(e->st, &e->kadis, p.id, "2026-02-30", "x"));
	EXPECT(SERTEL_EINVAL,
	       gov_plan_review_add(e->st, &e->kadis, p.id, "2099-01-01", "x"));
	EXPECT(SERTEL_EINVAL,
	       gov_plan_review_add(e->st, &e->kadis, p.id, "2026-1-1", "x"));
	EXPECT(SERTEL_EINVAL,
	       gov_plan_review_add(e->st, &e->kadis, p.id, "2025-06-01", ""));
	EXPECT(SERTEL_EPERM, gov_plan_review_add(e->st, &e->op, p.id, "2025-06-01", "x"));
	EXPECT(SERTEL_EPERM,
	       gov_plan_review_add(e->st, &e->auditor, p.id, "2025-06-01", "x"));
	time_fmt(today, now - 366 * 86400LL);
	today[10] = '\0';
	EXPECT(0, gov_plan_review_add(e->st, &e->kadis, p.id, today, "Tertinggal"));
	EXPECT(SERTEL_EEXISTS,
	       gov_plan_review_add(e->st, &e->kadis, p.id, today, "lagi"));
	assert_int_equal(gov_plan_review_status(&rs, &since, e->st, p.id, 30, now), 0);
	assert_int_equal(rs, GOV_REVIEW_LATE);
	time_fmt(today, now);
	today[10] = '\0';
	EXPECT(0, gov_plan_review_add(e->st, &e->kadis, p.id, today, "Target tercapai"));
	assert_int_equal(gov_plan_review_status(&rs, &since, e->st, p.id, 30, now), 0);
	assert_int_equal(rs, GOV_REVIEW_OK);
	{
		assert_int_equal(gov_plan_tick(e->st, NULL, now, &sent), 0);
		assert_int_equal(sent, 0);
		assert_int_equal(
		    fixture_count("SELECT COUNT(*) FROM gov_plan_alerts WHERE "
		                  "status = 'ok'"),
		    1);
	}
	assert_true(fixture_count("SELECT COUNT(*) FROM audit WHERE action LIKE "
	                          "'gov.plan.%'") >= 7);
}

static void
test_decree(void **state)
{
	struct env *e = *state;
	struct gov_decree d, d2;
	struct gov_scope g;
	struct ra_file fpdf = {"sk", pdf, sizeof(pdf) - 1, "sk.pdf"};
	struct ra_file fpng = {"sk", png, sizeof(png) - 1, "sk.png"};
	unsigned char *data = NULL;
	size_t len = 0;

	EXPECT(SERTEL_EPERM, gov_decree_add(&d, e->st, &e->op, "188/2026", "2026-01-05",
	                                    "Penetapan", NULL));
	EXPECT(SERTEL_EPERM, gov_decree_add(&d, e->st, &e->heada, "188/2026",
	                                    "2026-01-05", "Penetapan", NULL));
	EXPECT(SERTEL_EINVAL, gov_decree_add(&d, e->st, &e->kadis, "188/2026",
	                                     "2026-02-30", "Penetapan", NULL));
	EXPECT(SERTEL_EINVAL, gov_decree_add(&d, e->st, &e->kadis, "188/2026",
	                                     "5 Jan 2026", "Penetapan", NULL));
	EXPECT(SERTEL_EINVAL,
	       gov_decree_add(&d, e->st, &e->kadis, "", "2026-01-05", "Penetapan", NULL));
	EXPECT(SERTEL_EINVAL, gov_decree_add(&d, e->st, &e->kadis, "188/2026",
	                                     "2026-01-05", "Penetapan", &fpng));
	EXPECT(0, gov_decree_add(&d, e->st, &e->kadis, "188/2026", "2026-01-05",
	                         "Penetapan perangkat daerah pengguna SE", &fpdf));
	assert_true(d.has_pdf);
	EXPECT(SERTEL_EEXISTS, gov_decree_add(&d2, e->st, &e->kadis, "188/2026",
	                                      "2026-02-01", "Lain", NULL));
	EXPECT(0,
	       gov_decree_add(&d2, e->st, &e->kadis, "189/2026", "2026-02-01", "", NULL));
	assert_int_equal(gov_decree_pdf(&data, &len, e->st, d.id), 0);
	assert_memory_equal(data, pdf, len);
	free(data);
	assert_int_equal(gov_decree_pdf(&data, &len, e->st, d2.id), SERTEL_ENOTFOUND);

	assert_int_equal(gov_scope_get(&g, e->st, e->a.id), 0);
	assert_string_equal(g.decree_id, "");
	assert_int_equal(gov_scope_get(&g, e->st, "nope"), SERTEL_ENOTFOUND);
	EXPECT(SERTEL_EPERM, gov_scope_add(e->st, &e->op, e->a.id, d.id, NULL));
	EXPECT(SERTEL_EPERM, gov_scope_add(e->st, &e->auditor, e->a.id, d.id, NULL));
	EXPECT(SERTEL_ENOTFOUND, gov_scope_add(e->st, &e->kadis, "nope", d.id, NULL));
	EXPECT(SERTEL_ENOTFOUND, gov_scope_add(e->st, &e->kadis, e->a.id, "999/x", NULL));
	EXPECT(0, gov_scope_add(e->st, &e->kadis, e->a.id, "188/2026", NULL));
	EXPECT(0, gov_scope_add(e->st, &e->kadis, "Dinas Kesehatan", d.id, "lampiran"));
	EXPECT(SERTEL_ESTATE, gov_scope_add(e->st, &e->kadis, e->a.id, d2.id, NULL));
	assert_int_equal(gov_scope_get(&g, e->st, e->a.id), 0);
	assert_string_equal(g.number, "188/2026");
	assert_string_equal(g.date, "2026-01-05");
	EXPECT(SERTEL_EINVAL, gov_scope_remove(e->st, &e->kadis, e->a.id, NULL));
	EXPECT(SERTEL_EPERM, gov_scope_remove(e->st, &e->heada, e->a.id, "x"));
	EXPECT(0, gov_scope_remove(e->st, &e->kadis, e->a.id, "digabung"));
	EXPECT(SERTEL_ESTATE, gov_scope_remove(e->st, &e->kadis, e->a.id, "lagi"));
	assert_int_equal(gov_scope_get(&g, e->st, e->a.id), 0);
	assert_string_equal(g.decree_id, "");
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM gov_scope"), 1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'gov.scope.remove' AND reason LIKE '%digabung'"),
	                 1);
}

/* Every operation by every role: the ones the rule does not name get
 * SERTEL_EPERM and change nothing; the ones it names (and the local
 * administrator) succeed. */
#define NROLES 7
#define DENIED(e, ok1, ok2, call)                                                        \
	do {                                                                             \
		const struct ra_actor *all_[NROLES] = {                                  \
		    &(e)->siti,  &(e)->op,      &(e)->heada, &(e)->headb,                \
		    &(e)->kadis, &(e)->auditor, &(e)->admin};                            \
		for (int i_ = 0; i_ < NROLES; i_++) {                                    \
			const struct ra_actor *who = all_[i_];                           \
			if (who == (ok1) || who == (ok2) || who == &(e)->admin)          \
				continue;                                                \
			EXPECT(SERTEL_EPERM, call);                                      \
		}                                                                        \
	} while (0)

static void
test_roles_matrix(void **state)
{
	struct env *e = *state;
	struct gov_need n, n2;
	struct gov_need_item it, a;
	struct gov_plan p;
	struct gov_plan_target t;
	struct gov_decree d;
	struct ra_file fpdf = {"rencana", pdf, sizeof(pdf) - 1, "a.pdf"};
	char today[32];

	time_fmt(today, time_now());
	today[10] = '\0';
	DENIED(e, &e->heada, NULL, gov_need_create(&n, e->st, who, e->a.id, 2030, ""));
	EXPECT(0, gov_need_create(&n, e->st, &e->heada, e->a.id, 2030, ""));
	EXPECT(0, gov_need_create(&n2, e->st, &e->admin, e->a.id, 2031, ""));
	item(&it, "individu", "signing", 4, NULL);
	DENIED(e, &e->heada, NULL, gov_need_item_add(e->st, who, n.id, &it));
	EXPECT(0, gov_need_item_add(e->st, &e->heada, n.id, &it));
	EXPECT(0, gov_need_item_add(e->st, &e->admin, n.id, &it));
	DENIED(e, &e->heada, NULL, gov_need_item_remove(e->st, who, n.id, 2));
	EXPECT(0, gov_need_item_remove(e->st, &e->heada, n.id, 2));
	DENIED(e, &e->heada, NULL, gov_need_move(e->st, who, n.id, "submit", NULL));
	EXPECT(0, gov_need_move(e->st, &e->heada, n.id, "submit", NULL));
	analysis(&a, 1, 1, 2030, 1, 5);
	DENIED(e, &e->op, &e->kadis, gov_need_item_analyse(e->st, who, n.id, &a));
	EXPECT(0, gov_need_item_analyse(e->st, &e->op, n.id, &a));
	DENIED(e, &e->kadis, NULL, gov_need_move(e->st, who, n.id, "reject", "r"));
	DENIED(e, &e->kadis, NULL, gov_need_move(e->st, who, n.id, "plan", "r"));
	EXPECT(0, gov_need_move(e->st, &e->kadis, n.id, "reject", "r"));
	DENIED(e, &e->heada, NULL, gov_need_move(e->st, who, n.id, "reopen", "r"));
	EXPECT(0, gov_need_move(e->st, &e->admin, n.id, "reopen", "r"));

	DENIED(e, &e->kadis, NULL, gov_plan_create(&p, e->st, who, "R", 2040, "", "r"));
	EXPECT(0, gov_plan_create(&p, e->st, &e->kadis, "R", 2040, "", "r"));
	DENIED(e, &e->kadis, NULL, gov_plan_update(e->st, who, p.id, "R2", NULL, "r"));
	memset(&t, 0, sizeof(t));
	t.year = 2041;
	t.asn_bp = 100;
	DENIED(e, &e->kadis, NULL, gov_plan_target_set(e->st, who, p.id, &t, "r"));
	DENIED(e, &e->kadis, NULL, gov_plan_doc_add(e->st, who, p.id, &fpdf, "r"));
	DENIED(e, &e->kadis, NULL, gov_plan_review_add(e->st, who, p.id, today, "ok"));
	EXPECT(0, gov_plan_target_set(e->st, &e->admin, p.id, &t, "r"));
	DENIED(e, &e->kadis, NULL,
	       gov_decree_add(&d, e->st, who, "N/1", "2026-01-05", "", NULL));
	EXPECT(0, gov_decree_add(&d, e->st, &e->kadis, "N/1", "2026-01-05", "", NULL));
	DENIED(e, &e->kadis, NULL, gov_scope_add(e->st, who, e->b.id, d.id, NULL));
	EXPECT(0, gov_scope_add(e->st, &e->kadis, e->b.id, d.id, NULL));
	DENIED(e, &e->kadis, NULL, gov_scope_remove(e->st, who, e->b.id, "r"));
	EXPECT(0, gov_scope_remove(e->st, &e->admin, e->b.id, "r"));
	/* Reading: everyone but the applicant reads the plan and the decree. */
	assert_int_equal(gov_plan_may_read(&e->siti), SERTEL_EPERM);
	assert_int_equal(gov_plan_may_read(&e->auditor), 0);
	assert_int_equal(gov_plan_may_read(&e->headb), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_needs_flow, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_decree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles_matrix, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
