/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal's rules (src/portal), on SQLite and PostgreSQL: sessions
 * (only hashes stored, idle and absolute ends, logout, a revoked login
 * certificate ends its sessions), CSRF tokens, one-time login links
 * (mailed, single use even when raced, expiry, no account enumeration)
 * and client-certificate logins (only the exact certificate issued here,
 * valid, unrevoked, for ssl-client, bound to a person).
 */
#include "fixture.h"

#include <pthread.h>

#include "audit/audit.h"
#include "pki/pki.h"
#include "pki/pkitest.h"
#include "portal/portal.h"
#include "ra/ra.h"

#define NIK_A "3274010101800001"
#define NIK_B "3274014101920002"

static struct portal_conf pc;

static void
people(struct store *st)
{
	struct ra_actor admin;
	struct ra_agency ag;
	struct ra_person p;

	ra_actor_local(&admin, "cli:test");
	assert_int_equal(portal_conf_load(&pc, NULL, "https://sertel.example.go.id/"), 0);
	assert_string_equal(pc.base_url, "https://sertel.example.go.id");
	if (ra_agency_add(&ag, st, &admin, "Dinas Kominfo", "kominfo.example.go.id") < 0)
		fail_msg("%s", sertel_errmsg());
	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), NIK_A);
	str_copy(p.name, sizeof(p.name), "Budi Santoso");
	str_copy(p.email, sizeof(p.email), "budi@kominfo.example.go.id");
	str_copy(p.agency_id, sizeof(p.agency_id), ag.id);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(st, &admin, &p) < 0)
		fail_msg("%s", sertel_errmsg());
	str_copy(p.nik, sizeof(p.nik), NIK_B);
	str_copy(p.name, sizeof(p.name), "Siti Aminah");
	str_copy(p.email, sizeof(p.email), "siti@kominfo.example.go.id");
	if (ra_person_add(st, &admin, &p) < 0)
		fail_msg("%s", sertel_errmsg());
}

static void
sessions_store_hashes_and_end(void **state)
{
	struct store *st = *state;
	struct portal_session s, g;
	char id[PORTAL_ID_HEX + 1], sql[256], bad[PORTAL_ID_HEX + 1];

	people(st);
	if (portal_session_start(id, &s, st, &pc, NIK_A, PORTAL_BY_LINK, NULL,
	                         "127.0.0.1") < 0)
		fail_msg("%s", sertel_errmsg());
	assert_int_equal(strlen(id), PORTAL_ID_HEX);
	assert_int_equal(strlen(s.csrf), PORTAL_ID_HEX);
	assert_string_not_equal(id, s.csrf);
	/* The id itself is nowhere in the store. */
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM portal_sessions WHERE id_hash = '%s'", id);
	assert_int_equal(fixture_count(sql), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM portal_sessions"), 1);
	assert_int_equal(portal_session_get(&g, st, &pc, id), 0);
	assert_string_equal(g.nik, NIK_A);
	assert_string_equal(g.csrf, s.csrf);
	assert_string_equal(g.method, "link");
	/* One changed digit, a short id, upper case, NULL: unknown. */
	memcpy(bad, id, sizeof(bad));
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	assert_int_equal(portal_session_get(&g, st, &pc, bad), SERTEL_EAUTH);
	assert_int_equal(portal_session_get(&g, st, &pc, "abc"), SERTEL_EAUTH);
	assert_int_equal(portal_session_get(&g, st, &pc, NULL), SERTEL_EAUTH);
	bad[10] = 'A';
	assert_int_equal(portal_session_get(&g, st, &pc, bad), SERTEL_EAUTH);
	/* Logout ends it for good. */
	assert_int_equal(portal_session_end(st, id, "127.0.0.1"), 0);
	assert_int_equal(portal_session_get(&g, st, &pc, id), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "keluar"));
	assert_int_equal(portal_session_end(st, id, "127.0.0.1"), SERTEL_EAUTH);
	/* Unknown people get no session. */
	assert_int_equal(portal_session_start(id, &s, st, &pc, "3274010101800099",
	                                      PORTAL_BY_LINK, NULL, "127.0.0.1"),
	                 SERTEL_EAUTH);
	assert_int_equal(
	    portal_session_start(id, &s, st, &pc, NIK_A, "password", NULL, "127.0.0.1"),
	    SERTEL_EINVAL);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'portal.login'"),
	                 1);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'portal.logout'"),
	                 1);
}

static void
sessions_end_when_idle_or_old(void **state)
{
	struct store *st = *state;
	struct portal_session s, g;
	char id[PORTAL_ID_HEX + 1];

	people(st);
	assert_int_equal(portal_session_start(id, &s, st, &pc, NIK_A, PORTAL_BY_LINK,
	                                      NULL, "127.0.0.1"),
	                 0);
	/* Last seen 31 minutes ago (idle limit 30). */
	fixture_sql("UPDATE portal_sessions SET last_seen = last_seen - 1860");
	assert_int_equal(portal_session_get(&g, st, &pc, id), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "berakhir"));
	/* Seen 29 minutes ago: alive, and the visit moves last_seen on. */
	fixture_sql("UPDATE portal_sessions SET last_seen = last_seen + 120");
	assert_int_equal(portal_session_get(&g, st, &pc, id), 0);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM portal_sessions WHERE last_seen > "
	                  "created_at - 60"),
	    1);
	/* Past the absolute end, however active. */
	fixture_sql("UPDATE portal_sessions SET expires_at = created_at - 1");
	assert_int_equal(portal_session_get(&g, st, &pc, id), SERTEL_EAUTH);
	/* A person removed from the register loses the session. */
	assert_int_equal(portal_session_start(id, &s, st, &pc, NIK_B, PORTAL_BY_LINK,
	                                      NULL, "127.0.0.1"),
	                 0);
	assert_int_equal(portal_session_get(&g, st, &pc, id), 0);
	fixture_sql("UPDATE persons SET nik = '3274014101920003' WHERE nik = '" NIK_B
	            "'");
	assert_int_equal(portal_session_get(&g, st, &pc, id), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "terdaftar"));
}

static void
csrf_tokens_must_match(void **state)
{
	struct store *st = *state;
	struct portal_session s;
	char id[PORTAL_ID_HEX + 1], other[PORTAL_ID_HEX + 1];

	people(st);
	assert_int_equal(portal_session_start(id, &s, st, &pc, NIK_A, PORTAL_BY_LINK,
	                                      NULL, "127.0.0.1"),
	                 0);
	assert_int_equal(portal_csrf_check(&s, s.csrf), 0);
	memcpy(other, s.csrf, sizeof(other));
	other[0] = other[0] == '0' ? '1' : '0';
	assert_int_equal(portal_csrf_check(&s, other), SERTEL_EPERM);
	assert_int_equal(portal_csrf_check(&s, NULL), SERTEL_EPERM);
	assert_int_equal(portal_csrf_check(&s, ""), SERTEL_EPERM);
	other[PORTAL_ID_HEX - 1] = '\0';
	assert_int_equal(portal_csrf_check(&s, other), SERTEL_EPERM);
}

/* The token in the newest queued mail to addr. */
static void
mailed_token(char out[PORTAL_ID_HEX + 1], const char *addr)
{
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	const char *body, *t;

	out[0] = '\0';
	assert_int_equal(db_open(&db, test_url), 0);
	assert_int_equal(db_prepare(&s, db,
	                            "SELECT body FROM mail_queue WHERE to_addr = ? AND "
	                            "kind = 'portal-link' ORDER BY created_at DESC, id"),
	                 0);
	assert_int_equal(db_bind_text(s, 1, addr), 0);
	assert_int_equal(db_step(s), 1);
	body = db_col_text(s, 0);
	assert_non_null(t = strstr(body, "https://sertel.example.go.id/masuk/tautan?t="));
	t += strlen("https://sertel.example.go.id/masuk/tautan?t=");
	assert_true(strspn(t, "0123456789abcdef") == PORTAL_ID_HEX);
	memcpy(out, t, PORTAL_ID_HEX);
	out[PORTAL_ID_HEX] = '\0';
	db_finalize(s);
	db_close(db);
}

static void
login_links_are_single_use(void **state)
{
	struct store *st = *state;
	char tok[PORTAL_ID_HEX + 1], nik[17], sql[256];
	int sent = -1;

	people(st);
	/* An address nobody has: the same answer, nothing queued or stored. */
	assert_int_equal(
	    portal_link_request(&sent, st, &pc, "nobody@example.go.id", "127.0.0.1"), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM mail_queue"), 0);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM portal_links"), 0);
	assert_int_equal(portal_link_request(&sent, st, &pc, "not an address", "x"),
	                 SERTEL_EINVAL);
	/* The registered address (any letter case). */
	assert_int_equal(portal_link_request(&sent, st, &pc, "Budi@Kominfo.Example.go.id",
	                                     "127.0.0.1"),
	                 0);
	assert_int_equal(sent, 1);
	mailed_token(tok, "budi@kominfo.example.go.id");
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM portal_links WHERE token_hash = '%s'", tok);
	assert_int_equal(fixture_count(sql), 0);
	assert_int_equal(portal_link_use(nik, st, tok, "127.0.0.1"), 0);
	assert_string_equal(nik, NIK_A);
	/* Once only. */
	assert_int_equal(portal_link_use(nik, st, tok, "127.0.0.1"), SERTEL_EAUTH);
	assert_string_equal(nik, "");
	assert_non_null(strstr(sertel_errmsg(), "sudah dipakai"));
	/* Expired. */
	assert_int_equal(portal_link_request(&sent, st, &pc, "budi@kominfo.example.go.id",
	                                     "127.0.0.1"),
	                 0);
	mailed_token(tok, "budi@kominfo.example.go.id");
	fixture_sql(
	    "UPDATE portal_links SET expires_at = created_at - 1 WHERE used_at IS "
	    "NULL");
	assert_int_equal(portal_link_use(nik, st, tok, "127.0.0.1"), SERTEL_EAUTH);
	/* Malformed tokens. */
	assert_int_equal(portal_link_use(nik, st, "abc", "x"), SERTEL_EAUTH);
	assert_int_equal(portal_link_use(nik, st, NULL, "x"), SERTEL_EAUTH);
	/* At most max_open_links unused links at once. */
	for (int i = 0; i < pc.max_open_links; i++)
		assert_int_equal(portal_link_request(&sent, st, &pc,
		                                     "siti@kominfo.example.go.id",
		                                     "127.0.0.1"),
		                 0);
	assert_int_equal(portal_link_request(&sent, st, &pc, "siti@kominfo.example.go.id",
	                                     "127.0.0.1"),
	                 SERTEL_EPERM);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM mail_queue WHERE to_addr = "
	                               "'siti@kominfo.example.go.id'"),
	                 pc.max_open_links);
	assert_int_equal(fixture_count("SELECT COUNT(*) FROM audit WHERE action = "
	                               "'portal.link.used'"),
	                 1);
}

struct race {
	char token[PORTAL_ID_HEX + 1];
	int ok;
};

static void *
race_use(void *arg)
{
	struct race *r = arg;
	struct store *st = NULL;
	char nik[17];

	if (store_open(&st, test_url, test_master) == 0) {
		r->ok = portal_link_use(nik, st, r->token, "127.0.0.1") == 0;
		store_close(st);
	}
	return NULL;
}

static void
a_raced_link_opens_one_session(void **state)
{
	struct store *st = *state;
	struct race r[8];
	pthread_t th[8];
	char tok[PORTAL_ID_HEX + 1];
	int sent, i, ok = 0;

	people(st);
	assert_int_equal(portal_link_request(&sent, st, &pc, "budi@kominfo.example.go.id",
	                                     "127.0.0.1"),
	                 0);
	mailed_token(tok, "budi@kominfo.example.go.id");
	for (i = 0; i < 8; i++) {
		memcpy(r[i].token, tok, sizeof(tok));
		r[i].ok = 0;
		assert_int_equal(pthread_create(&th[i], NULL, race_use, &r[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		ok += r[i].ok;
	}
	assert_int_equal(ok, 1);
}

/* A certificate record as the issuer would store it. */
static void
put_cert(struct store *st, X509 *x, const char *serial, const char *usages,
         const char *nik)
{
	struct cert_rec r;
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);

	assert_true(len > 0);
	memset(&r, 0, sizeof(r));
	str_copy(r.serial, sizeof(r.serial), serial);
	str_copy(r.issuer_id, sizeof(r.issuer_id), "0011223344556677");
	str_copy(r.type, sizeof(r.type), "individu");
	str_copy(r.usages, sizeof(r.usages), usages);
	str_copy(r.subject, sizeof(r.subject), "CN=test");
	str_copy(r.nik, sizeof(r.nik), nik);
	r.not_before = time_now() - 60;
	r.not_after = time_now() + 86400;
	r.reason = -1;
	r.created_at = time_now();
	r.der = der;
	r.der_len = (size_t)len;
	if (store_cert_put(st, &r) < 0)
		fail_msg("%s", sertel_errmsg());
	OPENSSL_free(der);
}

static void
put_issuer(void)
{
	fixture_sql("INSERT INTO issuers (id, role, name, cert_der, key_pem, created_at) "
	            "VALUES ('0011223344556677', 'issuing', 'Test CA', 'x', 'x', 0)");
}

static int
login(struct store *st, X509 *x, char serial[SERIAL_HEX_MAX + 1], char nik[17])
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der), rc;

	rc = portal_cert_login(serial, nik, st, der, (size_t)len);
	OPENSSL_free(der);
	return rc;
}

static void
client_certificates_must_be_ours_and_valid(void **state)
{
	struct store *st = *state;
	EVP_PKEY *k = mkkey(), *k2 = mkkey();
	X509 *ok = mkcert(k, "Budi", NULL, NULL, "0a01", -60, 86400, NULL),
	     *forged = mkcert(k2, "Budi", NULL, NULL, "0a01", -60, 86400, NULL),
	     *signing = mkcert(k, "Budi", NULL, NULL, "0a02", -60, 86400, NULL),
	     *unbound = mkcert(k, "Budi", NULL, NULL, "0a03", -60, 86400, NULL),
	     *stranger = mkcert(k, "Budi", NULL, NULL, "0a04", -60, 86400, NULL);
	struct portal_session s, g;
	char serial[SERIAL_HEX_MAX + 1], nik[17], id[PORTAL_ID_HEX + 1];
	unsigned char junk[8] = {0x30, 0x03, 1, 2, 3, 4, 5, 6};

	people(st);
	put_issuer();
	put_cert(st, ok, "0a01", "signing,ssl-client", NIK_A);
	put_cert(st, signing, "0a02", "signing", NIK_A);
	put_cert(st, unbound, "0a03", "ssl-client", "");
	assert_int_equal(login(st, ok, serial, nik), 0);
	assert_string_equal(serial, "0a01");
	assert_string_equal(nik, NIK_A);
	/* Same serial, other bytes: not the certificate issued here. */
	assert_int_equal(login(st, forged, serial, nik), SERTEL_EAUTH);
	assert_string_equal(nik, "");
	assert_int_equal(login(st, signing, serial, nik), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "SSL client"));
	assert_int_equal(login(st, unbound, serial, nik), SERTEL_EAUTH);
	assert_int_equal(login(st, stranger, serial, nik), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "tidak diterbitkan"));
	assert_int_equal(portal_cert_login(serial, nik, st, junk, sizeof(junk)),
	                 SERTEL_EAUTH);
	/* A session opened with it ends when it is revoked. */
	assert_int_equal(portal_session_start(id, &s, st, &pc, NIK_A, PORTAL_BY_CERT,
	                                      "0a01", "127.0.0.1"),
	                 0);
	assert_int_equal(portal_session_get(&g, st, &pc, id), 0);
	assert_string_equal(g.cert_serial, "0a01");
	assert_int_equal(store_cert_revoke(st, "0a01", time_now(), 1), 0);
	assert_int_equal(portal_session_get(&g, st, &pc, id), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "dicabut"));
	assert_int_equal(login(st, ok, serial, nik), SERTEL_EAUTH);
	assert_non_null(strstr(sertel_errmsg(), "dicabut"));
	X509_free(ok);
	X509_free(forged);
	X509_free(signing);
	X509_free(unbound);
	X509_free(stranger);
	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
}

static void
the_trail_of_a_login_verifies(void **state)
{
	struct store *st = *state;
	struct portal_session s;
	char id[PORTAL_ID_HEX + 1];
	int64_t bad = 0, n = 0;

	people(st);
	assert_int_equal(portal_session_start(id, &s, st, &pc, NIK_A, PORTAL_BY_LINK,
	                                      NULL, "127.0.0.9"),
	                 0);
	assert_int_equal(portal_session_end(st, id, "127.0.0.9"), 0);
	assert_int_equal(
	    fixture_count("SELECT COUNT(*) FROM audit WHERE action IN "
	                  "('portal.login', 'portal.logout') AND reason LIKE "
	                  "'%peer=127.0.0.9%'"),
	    2);
	assert_int_equal(audit_verify(st, &bad, &n), 0);
}

static int
count_app(const struct ra_application *a, void *arg)
{
	int *n = arg;

	(*n)++;
	return 0;
}

/* The operator's queue query (ra_query) on this engine: state, type,
 * agency, age filters, the total and paging. */
static void
the_queue_query_filters_and_pages(void **state)
{
	struct store *st = *state;
	struct ra_application app;
	struct ra_apply_req rq;
	struct ra_actor a;
	struct ra_filter f;
	int64_t total = 0;
	int i, n;

	people(st);
	assert_int_equal(ra_actor_person(&a, st, NIK_A), 0);
	for (i = 0; i < 5; i++) {
		memset(&rq, 0, sizeof(rq));
		rq.type = "individu";
		rq.usages = i % 2 ? "signing" : "email";
		if (ra_apply(&app, st, &a, &rq, 1) < 0)
			fail_msg("%s", sertel_errmsg());
	}
	memset(&f, 0, sizeof(f));
	f.state = APP_DRAFT;
	n = 0;
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 5);
	assert_int_equal(n, 5);
	assert_int_equal(fixture_app_counts_wrong(), 0);
	f.limit = 2;
	f.offset = 4;
	n = 0;
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 5);
	assert_int_equal(n, 1);
	f.limit = 0;
	f.offset = 0;
	f.type = "sistem";
	n = 0;
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 0);
	f.type = "individu";
	f.agency_id = "no-such-agency";
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 0);
	f.agency_id = NULL;
	f.updated_before = time_now() - 86400;
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 0);
	fixture_sql("UPDATE applications SET updated_at = updated_at - 8 * 86400");
	n = 0;
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 5);
	f.state = APP_SUBMITTED;
	assert_int_equal(ra_query(st, &f, &total, count_app, &n), 0);
	assert_int_equal(total, 0);
}

/* ra_queue: the rows ra_query selects, in its order, each with the
 * applicant's registered name and agency read in the same query. */
struct queue_seen {
	char ids[8][RA_ID_LEN + 1];
	char names[8][SERTEL_MAX_NAME];
	char agencies[8][SERTEL_MAX_NAME];
	int n;
	int stop_after;
};

static int
seen_app(const struct ra_application *a, void *arg)
{
	struct queue_seen *q = arg;

	if (q->n < 8)
		str_copy(q->ids[q->n], sizeof(q->ids[0]), a->id);
	q->n++;
	return 0;
}

static int
seen_row(const struct ra_queue_row *r, void *arg)
{
	struct queue_seen *q = arg;

	if (q->n < 8) {
		str_copy(q->ids[q->n], sizeof(q->ids[0]), r->app->id);
		str_copy(q->names[q->n], sizeof(q->names[0]), r->name);
		str_copy(q->agencies[q->n], sizeof(q->agencies[0]), r->agency);
	}
	q->n++;
	return q->stop_after && q->n >= q->stop_after ? 1 : 0;
}

static void
the_queue_names_its_applicants_in_one_query(void **state)
{
	struct store *st = *state;
	struct ra_application app;
	struct ra_apply_req rq;
	struct ra_actor a, b;
	struct ra_agency ag;
	struct ra_filter f;
	struct queue_seen q1, q2;
	int64_t t1 = 0, t2 = 0;
	int i;

	people(st);
	assert_int_equal(ra_actor_person(&a, st, NIK_A), 0);
	assert_int_equal(ra_actor_person(&b, st, NIK_B), 0);
	assert_int_equal(ra_agency_get(&ag, st, "Dinas Kominfo"), 0);
	for (i = 0; i < 5; i++) {
		memset(&rq, 0, sizeof(rq));
		rq.type = "individu";
		rq.usages = "signing";
		if (ra_apply(&app, st, i % 2 ? &b : &a, &rq, 1) < 0)
			fail_msg("%s", sertel_errmsg());
	}
	/* Different waiting times, so the order is the queue's, not chance. */
	fixture_sql("UPDATE applications SET updated_at = updated_at - "
	            "(SELECT COUNT(*) FROM applications o WHERE o.id < "
	            "applications.id) * 3600");
	memset(&f, 0, sizeof(f));
	f.state = APP_DRAFT;
	memset(&q1, 0, sizeof(q1));
	memset(&q2, 0, sizeof(q2));
	assert_int_equal(ra_query(st, &f, &t1, seen_app, &q1), 0);
	assert_int_equal(ra_queue(st, &f, &t2, seen_row, &q2), 0);
	assert_int_equal(t1, 5);
	assert_int_equal(t2, 5);
	assert_int_equal(q2.n, 5);
	for (i = 0; i < 5; i++) {
		struct ra_application g;

		assert_string_equal(q1.ids[i], q2.ids[i]);
		assert_int_equal(ra_get(&g, st, q2.ids[i]), 0);
		assert_string_equal(q2.names[i], strcmp(g.applicant_nik, NIK_A) == 0
		                                     ? "Budi Santoso"
		                                     : "Siti Aminah");
		assert_string_equal(q2.agencies[i], "Dinas Kominfo");
	}
	/* Paging and filters are ra_query's. */
	f.limit = 2;
	f.offset = 3;
	memset(&q2, 0, sizeof(q2));
	assert_int_equal(ra_queue(st, &f, &t2, seen_row, &q2), 0);
	assert_int_equal(t2, 5);
	assert_int_equal(q2.n, 2);
	assert_string_equal(q2.ids[0], q1.ids[3]);
	assert_string_equal(q2.ids[1], q1.ids[4]);
	f.limit = 0;
	f.offset = 0;
	f.agency_id = ag.id;
	memset(&q2, 0, sizeof(q2));
	assert_int_equal(ra_queue(st, &f, &t2, seen_row, &q2), 0);
	assert_int_equal(q2.n, 5);
	f.agency_id = "no-such-agency";
	memset(&q2, 0, sizeof(q2));
	assert_int_equal(ra_queue(st, &f, &t2, seen_row, &q2), 0);
	assert_int_equal(t2, 0);
	assert_int_equal(q2.n, 0);
	/* A non-zero return stops it. */
	f.agency_id = NULL;
	memset(&q2, 0, sizeof(q2));
	q2.stop_after = 2;
	assert_int_equal(ra_queue(st, &f, &t2, seen_row, &q2), 1);
	assert_int_equal(q2.n, 2);
}

/* Migrations 15 and 17: the filtered queue is read from indexes alone.
 * The count filtered by agency seeks the agency's applicants in
 * applications_applicant (applicant_nik, state, type); the type filter
 * reads its own type's entries of applications_queue_type.  EXPLAIN
 * QUERY PLAN on SQLite; on PostgreSQL, whose planner chooses by table
 * statistics a test's few rows do not have, the indexes' columns
 * (bench/portal reports the plans on 10,000 applications). */
static int
plan_has(struct db *db, const char *sql, const char *want)
{
	struct db_stmt *s = NULL;
	int found = 0;

	assert_int_equal(db_prepare(&s, db, sql), 0);
	while (db_step(s) == 1) {
		const char *line = db_col_text(s, db_engine_of(db) == DB_SQLITE ? 3 : 0);

		if (line != NULL && strstr(line, want) != NULL)
			found = 1;
	}
	db_finalize(s);
	return found;
}

static void
the_filtered_queue_is_read_from_its_indexes(void **state)
{
	struct db *db = NULL;

	(void)state;
	assert_int_equal(db_open(&db, test_url), 0);
	if (db_engine_of(db) == DB_SQLITE) {
		assert_true(plan_has(
		    db,
		    "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM applications WHERE 1 = "
		    "1 AND state = 'submitted' AND type = 'sistem' AND "
		    "applicant_nik IN (SELECT nik FROM persons WHERE agency_id = "
		    "'x')",
		    "COVERING INDEX applications_applicant (applicant_nik=? AND "
		    "state=? AND type=?)"));
		assert_true(
		    plan_has(db,
		             "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM applications "
		             "WHERE 1 = 1 AND state = 'submitted' AND type = "
		             "'sistem'",
		             "COVERING INDEX applications_queue_type (state=? AND "
		             "type=?)"));
		assert_true(
		    plan_has(db,
		             "EXPLAIN QUERY PLAN SELECT id FROM applications WHERE "
		             "1 = 1 AND state = 'submitted' AND type = 'sistem' "
		             "ORDER BY updated_at, id LIMIT 50",
		             "COVERING INDEX applications_queue_type"));
		/* Read in the queue's order: no sort of the waiting rows. */
		assert_false(plan_has(db,
		                      "EXPLAIN QUERY PLAN SELECT id FROM applications "
		                      "WHERE 1 = 1 AND state = 'submitted' AND type = "
		                      "'sistem' ORDER BY updated_at, id LIMIT 50",
		                      "TEMP B-TREE"));
	} else {
		assert_true(plan_has(db,
		                     "SELECT indexdef FROM pg_indexes WHERE indexname = "
		                     "'applications_applicant'",
		                     "(applicant_nik, state, type)"));
		assert_true(plan_has(db,
		                     "SELECT indexdef FROM pg_indexes WHERE indexname = "
		                     "'applications_queue_type'",
		                     "(state, type, updated_at, id, applicant_nik)"));
	}
	db_close(db);
}

/* The answers the filtered queue gives, whatever index reads them: type,
 * agency, both, and paging, over two agencies, three types and three
 * states. */
#define NIK_C "3274010101850003"

static void
the_filtered_queue_counts_and_pages_right(void **state)
{
	static const char *const types[3] = {"individu", "jabatan", "sistem"};
	struct store *st = *state;
	struct ra_application app;
	struct ra_apply_req rq;
	struct ra_actor admin, a, c;
	struct ra_agency kominfo, dinkes;
	struct ra_person p;
	struct ra_filter f;
	struct queue_seen q;
	char sql[256], ids[18][RA_ID_LEN + 1];
	int64_t total = 0;
	int i;

	people(st);
	ra_actor_local(&admin, "cli:test");
	assert_int_equal(ra_agency_get(&kominfo, st, "Dinas Kominfo"), 0);
	if (ra_agency_add(&dinkes, st, &admin, "Dinas Kesehatan",
	                  "dinkes.example.go.id") < 0)
		fail_msg("%s", sertel_errmsg());
	memset(&p, 0, sizeof(p));
	str_copy(p.nik, sizeof(p.nik), NIK_C);
	str_copy(p.name, sizeof(p.name), "Rina Wati");
	str_copy(p.email, sizeof(p.email), "rina@dinkes.example.go.id");
	str_copy(p.agency_id, sizeof(p.agency_id), dinkes.id);
	p.roles = ROLE_PEMOHON;
	if (ra_person_add(st, &admin, &p) < 0)
		fail_msg("%s", sertel_errmsg());
	assert_int_equal(ra_actor_person(&a, st, NIK_A), 0);
	assert_int_equal(ra_actor_person(&c, st, NIK_C), 0);
	/* 18 applications: even ones Kominfo's, odd ones Dinkes's; types in
	 * turn; two of every three submitted, the third a draft; each one
	 * second older than the next. */
	for (i = 0; i < 18; i++) {
		memset(&rq, 0, sizeof(rq));
		rq.type = "individu";
		rq.usages = "signing";
		if (ra_apply(&app, st, i % 2 ? &c : &a, &rq, 1) < 0)
			fail_msg("%s", sertel_errmsg());
		str_copy(ids[i], sizeof(ids[i]), app.id);
		snprintf(sql, sizeof(sql),
		         "UPDATE applications SET type = '%s', state = '%s', updated_at "
		         "= %d WHERE id = '%s'",
		         types[i % 3], i % 3 == 2 && i % 2 == 0 ? "draft" : "submitted",
		         1000000 + i, app.id);
		fixture_sql(sql);
	}
	/* The rows were moved by SQL, around src/ra: the counts are now
	 * wrong, and are rebuilt the way migration 23 builds them. */
	assert_true(fixture_app_counts_wrong() > 0);
	fixture_sql("DELETE FROM application_counts");
	fixture_sql("INSERT INTO application_counts (state, type, agency_id, "
	            "n) " FIXTURE_APP_TRUTH);
	assert_int_equal(fixture_app_counts_wrong(), 0);
	memset(&f, 0, sizeof(f));
	f.state = APP_SUBMITTED;
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 15);
	assert_string_equal(q.ids[0], ids[0]);
	assert_string_equal(q.ids[1], ids[1]);
	assert_string_equal(q.ids[2], ids[3]);
	/* By type: sistem is i = 2, 5, 8, 11, 14, 17; 2, 8, 14 are drafts. */
	f.type = "sistem";
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 3);
	assert_int_equal(q.n, 3);
	assert_string_equal(q.ids[0], ids[5]);
	assert_string_equal(q.ids[1], ids[11]);
	assert_string_equal(q.ids[2], ids[17]);
	assert_string_equal(q.agencies[0], "Dinas Kesehatan");
	/* By agency: Kominfo's are the even ones, 2, 8, 14 drafts. */
	f.type = NULL;
	f.agency_id = kominfo.id;
	f.limit = 4;
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 6);
	assert_int_equal(q.n, 4);
	assert_string_equal(q.ids[0], ids[0]);
	assert_string_equal(q.ids[1], ids[4]);
	assert_string_equal(q.ids[2], ids[6]);
	assert_string_equal(q.ids[3], ids[10]);
	assert_string_equal(q.names[0], "Budi Santoso");
	f.offset = 4;
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 6);
	assert_int_equal(q.n, 2);
	assert_string_equal(q.ids[0], ids[12]);
	assert_string_equal(q.ids[1], ids[16]);
	/* Both: Kominfo's jabatan (i = 4, 10, 16), Dinkes's sistem (5, 11, 17). */
	f.limit = 0;
	f.offset = 0;
	f.type = "jabatan";
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 3);
	assert_string_equal(q.ids[0], ids[4]);
	assert_string_equal(q.ids[2], ids[16]);
	f.type = "sistem";
	f.agency_id = dinkes.id;
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 3);
	assert_string_equal(q.ids[0], ids[5]);
	assert_string_equal(q.ids[2], ids[17]);
	assert_string_equal(q.names[1], "Rina Wati");
	/* Drafts are no one's queue but are counted by the same indexes. */
	f.state = APP_DRAFT;
	f.agency_id = kominfo.id;
	memset(&q, 0, sizeof(q));
	assert_int_equal(ra_queue(st, &f, &total, seen_row, &q), 0);
	assert_int_equal(total, 3);
	assert_string_equal(q.ids[0], ids[2]);
}

/* The session check gives the session's person as an actor from its own
 * look-up (web_portal: two queries a page, not three): the same actor
 * ra_actor_person gives, nothing when the session is refused. */
static void
the_session_check_gives_its_actor(void **state)
{
	struct store *st = *state;
	struct portal_session s, g;
	struct ra_actor who, ref;
	char id[PORTAL_ID_HEX + 1];

	people(st);
	fixture_sql("UPDATE persons SET roles = 'pemohon,operator-op' WHERE nik = '" NIK_A
	            "'");
	assert_int_equal(portal_session_start(id, &s, st, &pc, NIK_A, PORTAL_BY_LINK,
	                                      NULL, "127.0.0.1"),
	                 0);
	assert_int_equal(ra_actor_person(&ref, st, NIK_A), 0);
	memset(&who, 0x5a, sizeof(who));
	assert_int_equal(portal_session_actor(&g, &who, st, &pc, id), 0);
	assert_string_equal(g.nik, NIK_A);
	assert_string_equal(g.csrf, s.csrf);
	assert_string_equal(who.nik, ref.nik);
	assert_string_equal(who.name, "Budi Santoso");
	assert_string_equal(who.label, "nik:" NIK_A);
	assert_int_equal(who.roles, ROLE_PEMOHON | ROLE_OPERATOR);
	assert_int_equal(who.roles, ref.roles);
	/* Without an actor it is portal_session_get. */
	assert_int_equal(portal_session_actor(&g, NULL, st, &pc, id), 0);
	/* A role taken away shows on the next page. */
	fixture_sql("UPDATE persons SET roles = 'pemohon' WHERE nik = '" NIK_A "'");
	assert_int_equal(portal_session_actor(&g, &who, st, &pc, id), 0);
	assert_int_equal(who.roles, ROLE_PEMOHON);
	/* Refused: no actor at all. */
	memset(&who, 0x5a, sizeof(who));
	assert_int_equal(portal_session_actor(&g, &who, st, &pc, "abc"), SERTEL_EAUTH);
	assert_string_equal(who.nik, "");
	assert_int_equal(who.roles, 0);
	fixture_sql("UPDATE portal_sessions SET last_seen = last_seen - 1860");
	memset(&who, 0x5a, sizeof(who));
	assert_int_equal(portal_session_actor(&g, &who, st, &pc, id), SERTEL_EAUTH);
	assert_string_equal(who.nik, "");
	assert_int_equal(who.roles, 0);
	assert_string_equal(g.nik, "");
}

static int
approver_seen(const char *nik, const char *name, int64_t at, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%s%s=%s@%lld", n ? ";" : "", nik, name,
	         (long long)at);
	return 0;
}

/* Who approved an application, oldest first, with the registered name
 * (an approval by someone not registered keeps the NIK alone). */
static void
approvals_list_who_and_when(void **state)
{
	struct store *st = *state;
	struct ra_application app;
	struct ra_apply_req rq;
	struct ra_actor a;
	char seen[256] = "", sql[256];

	people(st);
	assert_int_equal(ra_actor_person(&a, st, NIK_A), 0);
	memset(&rq, 0, sizeof(rq));
	rq.type = "individu";
	rq.usages = "signing";
	if (ra_apply(&app, st, &a, &rq, 2) < 0)
		fail_msg("%s", sertel_errmsg());
	assert_int_equal(ra_approval_iter(st, app.id, approver_seen, seen), 0);
	assert_string_equal(seen, "");
	snprintf(sql, sizeof(sql),
	         "INSERT INTO approvals (application_id, operator_nik, at) VALUES "
	         "('%s', '%s', 200), ('%s', '3274010101990009', 100)",
	         app.id, NIK_B, app.id);
	fixture_sql(sql);
	assert_int_equal(ra_approval_iter(st, app.id, approver_seen, seen), 0);
	assert_string_equal(seen, "3274010101990009=@100;" NIK_B "=Siti Aminah@200");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(sessions_store_hashes_and_end,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(sessions_end_when_idle_or_old,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(csrf_tokens_must_match, fixture_store_setup,
	                                    fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(login_links_are_single_use,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(a_raced_link_opens_one_session,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(client_certificates_must_be_ours_and_valid,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(approvals_list_who_and_when,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(the_queue_names_its_applicants_in_one_query,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(the_filtered_queue_is_read_from_its_indexes,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(the_filtered_queue_counts_and_pages_right,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(the_session_check_gives_its_actor,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(the_queue_query_filters_and_pages,
	                                    fixture_store_setup, fixture_store_teardown),
	    cmocka_unit_test_setup_teardown(the_trail_of_a_login_verifies,
	                                    fixture_store_setup, fixture_store_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
