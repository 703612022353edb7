/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Security incidents (src/gov/incident.c; Cirebon 24, Denpasar 25) on
 * SQLite and PostgreSQL, on a real instance with its CA: every operation
 * (report, read, list, handle, close, note) by every role, allowed ones
 * working and denied ones changing nothing (incidents, events, notices,
 * mail queue and audit trail counted before and after); bad input with
 * one-line errors; the transition table and its refusals; the notices
 * queued with the facts and no NIK, their delivery times copied from the
 * mail queue, notified when the last one is delivered, the delay; the
 * flag to the Kepala Dinas once; no recipients shown as flagged; a loss
 * report through gov_report_loss opening its incident, and gov_tick's
 * catch-up opening one for a loss report that has none, never two.
 */
#include "testutil.h"
#include "fixture_ra.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "instance/instance.h"
#include "ra/ra.h"

#define NIK_KADIS "3274010101750001"
#define NIK_OP    "3274010101820001"
#define NIK_AUD   "3274010101800001"
#define NIK_SITI  "3274014101920002" /* reporter, owner of a certificate */
#define NIK_ANDI  "3274010101850001" /* another applicant, same agency */
#define NIK_HEAD  "3274010101720001" /* head of Siti's agency */
#define NIK_HEADB "3274010101710001" /* head of another agency */
#define NIK_SUP   "3274010101700001" /* Siti's superior */

static char url[1024], idir[256], cdir[300];
static struct instance *in;
static struct issuer *is;
static struct config *cfg_none, *cfg_fast;
static struct ra_actor admin, kadis, op, aud, siti, andi, head, headb, nobody;
static char serial_siti[SERIAL_HEX_MAX + 1], serial_andi[SERIAL_HEX_MAX + 1];

static int64_t
count(const char *sql)
{
	struct db_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(db_prepare(&s, store_db(in->st), sql), 0);
	if (db_step(s) == 1)
		n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

/* Everything a refused operation must leave as it was. */
static int64_t
footprint(void)
{
	return count("SELECT (SELECT COUNT(*) FROM gov_incidents) * 1000000 + "
	             "(SELECT COUNT(*) FROM gov_incident_events) * 10000 + "
	             "(SELECT COUNT(*) FROM mail_queue) * 100 + "
	             "(SELECT COUNT(*) FROM gov_incident_notices)") *
	           1000 +
	       count("SELECT COUNT(*) FROM audit");
}

static void
sql(const char *q)
{
	if (db_exec(store_db(in->st), q) < 0)
		fail_msg("%s: %s", q, sertel_errmsg());
}

static void
person(const char *nik, const char *name, const char *mail, const char *agency,
       unsigned roles, const char *superior)
{
	fixture_person_under(in->st, &admin, nik, name, mail, agency, roles, superior);
}

static void
issue(char *serial, const char *nik, const char *cn)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509_REQ *r = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	struct issue_req rq;
	struct cert_rec rec;
	char *p;
	long n;

	assert_non_null(k);
	assert_int_equal(X509_REQ_set_pubkey(r, k), 1);
	assert_true(X509_REQ_sign(r, k, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509_REQ(b, r), 1);
	n = BIO_get_mem_data(b, &p);
	memset(&rq, 0, sizeof(rq));
	rq.csr = (const unsigned char *)p;
	rq.csr_len = (size_t)n;
	rq.type = "individu";
	rq.usages = "signing";
	rq.cn = cn;
	rq.nik = nik;
	rq.actor = "cli:test";
	rq.reason = "test";
	if (issuer_issue(&rec, is, in->st, &rq) < 0)
		fail_msg("issue: %s", sertel_errmsg());
	str_copy(serial, SERIAL_HEX_MAX + 1, rec.serial);
	cert_rec_free(&rec);
	BIO_free(b);
	X509_REQ_free(r);
	EVP_PKEY_free(k);
}

static struct config *
conf(const char *name, const char *text)
{
	char path[400];
	struct config *c = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", cdir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	if (config_load(&c, path) < 0)
		fail_msg("config %s: %s", name, sertel_errmsg());
	return c;
}

static int
setup(void **state)
{
	struct instance_params ip;
	struct ra_agency ag, agb;
	struct db *db = NULL;
	char dir[] = "/tmp/sertel-gincident-XXXXXX", path[400];
	FILE *f;

	(void)state;
	test_db_url(url, sizeof(url), "gincident");
	if (test_is_pg()) {
		if (db_open(&db, url) < 0 ||
		    db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;") <
		        0) {
			fprintf(stderr, "setup: %s\n", sertel_errmsg());
			db_close(db);
			return -1;
		}
		db_close(db);
	}
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cdir, sizeof(cdir), "%s", dir);
	snprintf(idir, sizeof(idir), "%s/inst", dir);
	memset(&ip, 0, sizeof(ip));
	ip.dir = idir;
	ip.db = url;
	ip.org = "Pemerintah Kota Cirebon";
	ip.base_url = "https://sertel.example.go.id";
	ip.actor = "cli:test";
	if (instance_create(&ip) < 0)
		return -1;
	/* The instance's own configuration: two recipients. */
	snprintf(path, sizeof(path), "%s/sertel.conf", idir);
	if ((f = fopen(path, "a")) == NULL)
		return -1;
	fputs("\n[governance]\nincident_notify = Kantor Gubernur Jawa Barat "
	      "<gubernur@jabarprov.go.id>, BSSN <insiden@bssn.go.id>\n",
	      f);
	fclose(f);
	if (instance_open(&in, idir) < 0 || issuer_open(&is, in, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", sertel_errmsg());
		return -1;
	}
	cfg_none = conf("none", "[governance]\n");
	cfg_fast =
	    conf("fast", "[governance]\nincident_notify = BSrE <csirt@bsre.go.id>\n"
	                 "incident_notify_within = 2\n");
	ra_actor_local(&admin, "cli:test");
	if (ra_agency_add(&ag, in->st, &admin, "Dinas Kominfo", "kominfo.example.go.id") <
	        0 ||
	    ra_agency_add(&agb, in->st, &admin, "Dinas Kesehatan",
	                  "dinkes.example.go.id") < 0)
		return -1;
	person(NIK_KADIS, "Kepala Dinas", "kadis@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON, NULL);
	if (ra_person_appoint(in->st, &admin, NIK_KADIS, ROLE_KEPALA_DINAS) < 0)
		return -1;
	person(NIK_OP, "Operator Satu", "op1@kominfo.example.go.id", ag.id, ROLE_PEMOHON,
	       NULL);
	assert_int_equal(ra_actor_person(&kadis, in->st, NIK_KADIS), 0);
	if (ra_person_appoint(in->st, &kadis, NIK_OP, ROLE_OPERATOR) < 0)
		return -1;
	person(NIK_AUD, "Budi Auditor", "budi@kominfo.example.go.id", ag.id, ROLE_PEMOHON,
	       NULL);
	if (ra_person_appoint(in->st, &kadis, NIK_AUD, ROLE_AUDITOR) < 0)
		return -1;
	person(NIK_SUP, "Atasan Langsung", "atasan@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON | ROLE_ATASAN, NULL);
	person(NIK_HEAD, "Kepala Kominfo", "kepala@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD, NULL);
	person(NIK_SITI, "Siti Aminah", "siti@kominfo.example.go.id", ag.id, ROLE_PEMOHON,
	       NIK_SUP);
	person(NIK_ANDI, "Andi Wijaya", "andi@kominfo.example.go.id", ag.id, ROLE_PEMOHON,
	       NULL);
	person(NIK_HEADB, "Kepala Dinkes", "kepala@dinkes.example.go.id", agb.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD, NULL);
	assert_int_equal(ra_actor_person(&op, in->st, NIK_OP), 0);
	assert_int_equal(ra_actor_person(&aud, in->st, NIK_AUD), 0);
	assert_int_equal(ra_actor_person(&siti, in->st, NIK_SITI), 0);
	assert_int_equal(ra_actor_person(&andi, in->st, NIK_ANDI), 0);
	assert_int_equal(ra_actor_person(&head, in->st, NIK_HEAD), 0);
	assert_int_equal(ra_actor_person(&headb, in->st, NIK_HEADB), 0);
	/* An application token bound to nobody: no NIK, not the admin. */
	memset(&nobody, 0, sizeof(nobody));
	nobody.roles = ROLE_AUDITOR;
	str_copy(nobody.label, sizeof(nobody.label), "token:reader");
	issue(serial_siti, NIK_SITI, "Siti Aminah");
	issue(serial_andi, NIK_ANDI, "Andi Wijaya");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[400];

	(void)state;
	config_free(cfg_none);
	config_free(cfg_fast);
	issuer_free(is);
	instance_close(in);
	snprintf(cmd, sizeof(cmd), "rm -rf '%.300s'", cdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
report(struct gov_incident *out, const struct config *c, const struct ra_actor *who,
       const char *kind, const char *severity, const char *serial)
{
	const char *serials[1] = {serial};
	struct gov_incident_new nw;

	memset(&nw, 0, sizeof(nw));
	nw.kind = kind;
	nw.severity = severity;
	nw.title = "Token kriptografi tidak dapat dibuka";
	nw.description = "Token USB berisi kunci privat tidak terbaca sejak pagi.\n"
	                 "Sudah dicoba di dua komputer.";
	nw.serials = serial ? serials : NULL;
	nw.nserials = serial ? 1 : 0;
	return gov_incident_report(out, in->st, c, who, &nw);
}

static void
clean(void)
{
	sql("DELETE FROM gov_incident_events; DELETE FROM gov_incident_certs;"
	    "DELETE FROM gov_incident_notices; DELETE FROM gov_incidents;"
	    "DELETE FROM mail_queue;");
}

/* ---- report: who may, what they may name, bad input ---------------------- */
static void
report_by_every_role(void **state)
{
	struct gov_incident inc;
	int64_t before;

	(void)state;
	clean();
	/* Allowed: anyone with an account, their own certificate. */
	assert_int_equal(report(&inc, in->cfg, &siti, "kunci-tidak-dapat-diakses",
	                        "tinggi", serial_siti),
	                 0);
	assert_string_equal(inc.state, "reported");
	assert_string_equal(inc.reporter_nik, NIK_SITI);
	assert_int_equal(inc.ncerts, 1);
	assert_string_equal(inc.certs[0], serial_siti);
	assert_int_equal(inc.recipients, 2);
	assert_int_equal(inc.nnotices, 2);
	assert_string_equal(inc.notices[0].label, "Kantor Gubernur Jawa Barat");
	assert_int_equal(inc.notified_at, 0);
	assert_int_equal(inc.delay, -1);
	assert_false(inc.flagged);
	assert_int_equal(report(NULL, in->cfg, &andi, "autentikasi", "rendah", NULL), 0);
	assert_int_equal(report(NULL, in->cfg, &head, "keaslian-data", "sedang", NULL),
	                 0);
	assert_int_equal(report(NULL, in->cfg, &kadis, "nirsangkal", "kritis", NULL), 0);
	assert_int_equal(report(NULL, in->cfg, &admin, "lainnya", "rendah", NULL), 0);
	/* The Dinas names anyone's certificate. */
	assert_int_equal(
	    report(NULL, in->cfg, &op, "sertifikat-hilang", "sedang", serial_andi), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incidents"), 6);
	assert_int_equal(count("SELECT COUNT(*) FROM audit WHERE action = "
	                       "'gov.incident.report'"),
	                 6);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incident_events WHERE action = "
	                       "'reported'"),
	                 6);
	assert_int_equal(count("SELECT COUNT(*) FROM mail_queue WHERE kind = 'incident'"),
	                 12);

	/* Denied: nothing changes. */
	before = footprint();
	assert_int_equal(report(NULL, in->cfg, &aud, "lainnya", "rendah", NULL),
	                 SERTEL_EPERM);
	assert_int_equal(report(NULL, in->cfg, &nobody, "lainnya", "rendah", NULL),
	                 SERTEL_EPERM);
	/* Siti names Andi's certificate: only the Dinas names others'. */
	assert_int_equal(
	    report(NULL, in->cfg, &siti, "kunci-rusak", "tinggi", serial_andi),
	    SERTEL_EPERM);
	assert_int_equal(
	    report(NULL, in->cfg, &head, "kunci-rusak", "tinggi", serial_siti),
	    SERTEL_EPERM);
	assert_int_equal(footprint(), before);
}

static void
report_bad_input(void **state)
{
	const char *two[2];
	struct gov_incident_new nw;
	char big[GOV_INCIDENT_DESC_MAX + 10];
	int64_t before;
	int i;

	(void)state;
	clean();
	before = footprint();
	assert_int_equal(report(NULL, in->cfg, &siti, "dicuri", "tinggi", NULL),
	                 SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "kind is one of"));
	assert_int_equal(report(NULL, in->cfg, &siti, "kunci-rusak", "parah", NULL),
	                 SERTEL_EINVAL);
	assert_int_equal(report(NULL, in->cfg, &siti, "kunci-rusak", "tinggi", "00ff00"),
	                 SERTEL_ENOTFOUND);
	memset(&nw, 0, sizeof(nw));
	nw.kind = "kunci-rusak";
	nw.severity = "tinggi";
	nw.description = "x";
	assert_int_equal(gov_incident_report(NULL, in->st, in->cfg, &siti, &nw),
	                 SERTEL_EINVAL);
	nw.title = "dua\nbaris";
	assert_int_equal(gov_incident_report(NULL, in->st, in->cfg, &siti, &nw),
	                 SERTEL_EINVAL);
	nw.title = "judul";
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nw.description = big;
	assert_int_equal(gov_incident_report(NULL, in->st, in->cfg, &siti, &nw),
	                 SERTEL_ETOOBIG);
	nw.description = "x";
	two[0] = two[1] = serial_siti;
	nw.serials = two;
	nw.nserials = 2;
	assert_int_equal(gov_incident_report(NULL, in->st, in->cfg, &siti, &nw),
	                 SERTEL_EINVAL);
	nw.nserials = GOV_INCIDENT_CERTS_MAX + 1;
	assert_int_equal(gov_incident_report(NULL, in->st, in->cfg, &siti, &nw),
	                 SERTEL_ETOOBIG);
	assert_int_equal(footprint(), before);
	/* A malformed recipients key refuses, naming it. */
	for (i = 0; i < 3; i++) {
		static const char *const bad[] = {
		    "[governance]\nincident_notify = gubernur@jabarprov.go.id\n",
		    "[governance]\nincident_notify = <gubernur@jabarprov.go.id>\n",
		    "[governance]\nincident_notify = BSSN <bukan alamat>\n",
		};
		struct config *c = conf("bad", bad[i]);
		assert_int_equal(report(NULL, c, &siti, "kunci-rusak", "tinggi", NULL),
		                 SERTEL_EINVAL);
		assert_non_null(strstr(sertel_errmsg(), "incident_notify"));
		config_free(c);
	}
	assert_int_equal(footprint(), before);
}

/* ---- reading: the reporter, their head of agency, the Dinas, the auditor -- */
static int
list_count(const struct gov_incident *inc, void *arg)
{
	(void)inc;
	(*(int *)arg)++;
	return 0;
}

static int64_t
listed(const struct ra_actor *who, const char *state, const char *severity)
{
	struct gov_incident_filter f = {state, severity, 200, 0};
	int64_t total = -1;
	int n = 0;

	assert_int_equal(
	    gov_incident_list(in->st, in->cfg, who, &f, &total, list_count, &n), 0);
	assert_int_equal(n, total);
	return total;
}

static void
read_by_every_role(void **state)
{
	struct gov_incident inc, got;
	struct gov_incident_filter f = {"terbuka", NULL, 10, 0};
	int64_t total;

	(void)state;
	clean();
	assert_int_equal(
	    report(&inc, in->cfg, &siti, "kunci-rusak", "tinggi", serial_siti), 0);
	assert_int_equal(report(NULL, in->cfg, &andi, "autentikasi", "rendah", NULL), 0);
	assert_int_equal(report(NULL, in->cfg, &headb, "lainnya", "sedang", NULL), 0);
	/* Allowed. */
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &siti, inc.id), 0);
	assert_string_equal(got.title, inc.title);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &head, inc.id), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &op, inc.id), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &kadis, inc.id), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &aud, inc.id), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &admin, inc.id), 0);
	/* Denied. */
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &andi, inc.id),
	                 SERTEL_EPERM);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &headb, inc.id),
	                 SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_get(&got, in->st, in->cfg, &siti, "ffffffffffffffff"),
	    SERTEL_ENOTFOUND);
	/* Lists: each their own; the head their agency's people; all for
	 * the Dinas and the auditor; filters. */
	assert_int_equal(listed(&siti, NULL, NULL), 1);
	assert_int_equal(listed(&andi, NULL, NULL), 1);
	assert_int_equal(listed(&head, NULL, NULL), 2);
	assert_int_equal(listed(&headb, NULL, NULL), 1);
	assert_int_equal(listed(&aud, NULL, NULL), 3);
	assert_int_equal(listed(&op, NULL, NULL), 3);
	assert_int_equal(listed(&kadis, "reported", NULL), 3);
	assert_int_equal(listed(&kadis, "closed", NULL), 0);
	assert_int_equal(listed(&kadis, NULL, "tinggi"), 1);
	assert_int_equal(listed(&head, NULL, "sedang"), 0);
	assert_int_equal(
	    gov_incident_list(in->st, in->cfg, &kadis, &f, &total, list_count, &(int){0}),
	    SERTEL_EINVAL);
}

/* ---- handling: the transition table, who may ------------------------------ */
static void
handle_close_note(void **state)
{
	struct gov_incident inc, got;
	int64_t before;

	(void)state;
	clean();
	assert_int_equal(
	    report(&inc, in->cfg, &siti, "kunci-rusak", "tinggi", serial_siti), 0);
	/* Refused transition: closing what is not handled. */
	before = footprint();
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &kadis, inc.id, "close", "selesai"),
	    SERTEL_ESTATE);
	assert_non_null(strstr(sertel_errmsg(), "only a handled incident is closed"));
	/* Denied handlers: the reporter, another applicant, heads, the auditor. */
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &siti, inc.id, "handle", "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &andi, inc.id, "handle", "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &head, inc.id, "handle", "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &aud, inc.id, "handle", "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &aud, inc.id, "note", "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &andi, inc.id, "note", "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &headb, inc.id, "note", "x"),
	    SERTEL_EPERM);
	/* A note is required; the action must be known. */
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &op, inc.id, "handle", ""),
	    SERTEL_EINVAL);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &op, inc.id, "reopen", "x"),
	    SERTEL_EINVAL);
	assert_int_equal(footprint(), before);

	/* Allowed: the reporter adds a note, the operator handles, the
	 * Kepala Dinas closes; each in the timeline and the audit trail. */
	assert_int_equal(gov_incident_act(NULL, in->st, in->cfg, &siti, inc.id, "note",
	                                  "nomor seri token 123"),
	                 0);
	assert_int_equal(gov_incident_act(&got, in->st, in->cfg, &op, inc.id, "handle",
	                                  "token diganti, sertifikat baru diajukan"),
	                 0);
	assert_string_equal(got.state, "handled");
	assert_true(got.handled_at > 0);
	before = footprint();
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &kadis, inc.id, "handle", "x"),
	    SERTEL_ESTATE);
	assert_int_equal(footprint(), before);
	assert_int_equal(
	    gov_incident_act(&got, in->st, in->cfg, &kadis, inc.id, "close", "tuntas"),
	    0);
	assert_string_equal(got.state, "closed");
	assert_true(got.closed_at > 0);
	before = footprint();
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &kadis, inc.id, "note", "x"),
	    SERTEL_ESTATE);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &op, inc.id, "handle", "x"),
	    SERTEL_ESTATE);
	assert_int_equal(
	    gov_incident_act(NULL, in->st, in->cfg, &admin, inc.id, "close", "x"),
	    SERTEL_ESTATE);
	assert_int_equal(footprint(), before);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incident_events"), 4);
	assert_int_equal(count("SELECT COUNT(*) FROM audit WHERE action = "
	                       "'gov.incident.act'"),
	                 3);
	/* The administrator handles too (the CLI without --as). */
	assert_int_equal(report(&inc, in->cfg, &andi, "autentikasi", "rendah", NULL), 0);
	assert_int_equal(gov_incident_act(NULL, in->st, in->cfg, &admin, inc.id, "handle",
	                                  "diperiksa"),
	                 0);
}

/* ---- "at once": notices, their delivery, notified, the delay, the flag --- */
static void
notices_delivery_and_flag(void **state)
{
	struct gov_incident inc, got;
	struct db_stmt *s = NULL;
	char q[300];
	int64_t now = time_now();

	(void)state;
	clean();
	assert_int_equal(
	    report(&inc, in->cfg, &siti, "kunci-rusak", "kritis", serial_siti), 0);
	/* The facts, and no NIK: not the reporter's, not anyone's. */
	assert_int_equal(db_prepare(&s, store_db(in->st),
	                            "SELECT to_addr, subject, body FROM mail_queue WHERE "
	                            "kind = 'incident' ORDER BY to_addr"),
	                 0);
	assert_int_equal(db_step(s), 1);
	assert_string_equal(db_col_text(s, 0), "gubernur@jabarprov.go.id");
	assert_non_null(strstr(db_col_text(s, 1), inc.id));
	assert_non_null(strstr(db_col_text(s, 2), "Kunci privat rusak"));
	assert_non_null(strstr(db_col_text(s, 2), "kritis"));
	assert_non_null(strstr(db_col_text(s, 2), serial_siti));
	assert_non_null(strstr(db_col_text(s, 2), "Sudah dicoba di dua komputer"));
	assert_non_null(strstr(db_col_text(s, 2), "Siti Aminah"));
	assert_non_null(strstr(db_col_text(s, 2), "WIB"));
	assert_null(strstr(db_col_text(s, 2), NIK_SITI));
	db_finalize(s);
	/* Nothing delivered: still reported after a tick. */
	assert_int_equal(gov_incident_tick(in->st, in->cfg, now), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &kadis, inc.id), 0);
	assert_string_equal(got.state, "reported");
	assert_int_equal(got.delivered, 0);
	/* One delivered (as mail_flush records it): still not notified. */
	snprintf(q, sizeof(q),
	         "UPDATE mail_queue SET state = 'sent', sent_at = %lld WHERE id = '%s'",
	         (long long)inc.reported_at + 40, inc.notices[0].mail_id);
	sql(q);
	assert_int_equal(gov_incident_tick(in->st, in->cfg, now), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &kadis, inc.id), 0);
	assert_string_equal(got.state, "reported");
	assert_int_equal(got.delivered, 1);
	assert_int_equal(got.notices[0].delivered_at, inc.reported_at + 40);
	assert_int_equal(got.notified_at, 0);
	/* The last one delivered: notified at its time, the delay recorded. */
	snprintf(q, sizeof(q),
	         "UPDATE mail_queue SET state = 'sent', sent_at = %lld WHERE id = '%s'",
	         (long long)inc.reported_at + 95, inc.notices[1].mail_id);
	sql(q);
	assert_int_equal(gov_incident_tick(in->st, in->cfg, now), 0);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &kadis, inc.id), 0);
	assert_string_equal(got.state, "notified");
	assert_int_equal(got.notified_at, inc.reported_at + 95);
	assert_int_equal(got.delay, 95);
	assert_false(got.flagged);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incident_events WHERE action = "
	                       "'notified'"),
	                 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit WHERE action = "
	                       "'gov.incident.notified'"),
	                 1);
	/* Idempotent. */
	assert_int_equal(gov_incident_tick(in->st, in->cfg, now + 10), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incident_events WHERE action = "
	                       "'notified'"),
	                 1);
	/* Then handled from notified. */
	assert_int_equal(
	    gov_incident_act(&got, in->st, in->cfg, &op, inc.id, "handle", "ok"), 0);

	/* Late: incident_notify_within = 2; not delivered; flagged in the
	 * record and the Kepala Dinas mailed once. */
	assert_int_equal(report(&inc, cfg_fast, &siti, "autentikasi", "tinggi", NULL), 0);
	assert_int_equal(gov_incident_within(cfg_fast), 2);
	assert_false(inc.flagged);
	assert_int_equal(gov_incident_tick(in->st, cfg_fast, inc.reported_at + 1), 0);
	assert_int_equal(
	    count("SELECT COUNT(*) FROM mail_queue WHERE kind = 'incident-flag'"), 0);
	assert_int_equal(gov_incident_tick(in->st, cfg_fast, inc.reported_at + 3), 0);
	assert_int_equal(
	    count("SELECT COUNT(*) FROM mail_queue WHERE kind = 'incident-flag' "
	          "AND to_addr = 'kadis@kominfo.example.go.id'"),
	    1);
	assert_int_equal(gov_incident_tick(in->st, cfg_fast, inc.reported_at + 9), 0);
	assert_int_equal(
	    count("SELECT COUNT(*) FROM mail_queue WHERE kind = 'incident-flag'"), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit WHERE action = "
	                       "'gov.incident.flag'"),
	                 1);
	sql("UPDATE gov_incidents SET reported_at = reported_at - 10 WHERE "
	    "flag_mailed_at IS "
	    "NOT NULL");
	assert_int_equal(gov_incident_get(&got, in->st, cfg_fast, &kadis, inc.id), 0);
	assert_true(got.flagged);
	assert_true(got.flag_mailed_at > 0);
	assert_string_equal(got.state, "reported");

	/* No recipients configured: never "notified", flagged at once. */
	assert_int_equal(report(&inc, cfg_none, &siti, "lainnya", "rendah", NULL), 0);
	assert_int_equal(inc.recipients, 0);
	assert_true(inc.flagged);
	assert_int_equal(gov_incident_tick(in->st, cfg_none, time_now()), 0);
	assert_int_equal(gov_incident_get(&got, in->st, cfg_none, &siti, inc.id), 0);
	assert_string_equal(got.state, "reported");
	assert_int_equal(got.notified_at, 0);
}

/* ---- loss reports through the RA: both paths, never two ------------------- */
static int
count_event(const struct gov_incident_event *ev, void *arg)
{
	(void)ev;
	(*(int *)arg)++;
	return 0;
}

static void
loss_report_opens_incident(void **state)
{
	static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
	struct ra_file st = {"pernyataan", (const unsigned char *)pdf, sizeof(pdf) - 1,
	                     "pernyataan.pdf"};
	struct ra_file po = {"laporan-polisi", (const unsigned char *)pdf,
	                     sizeof(pdf) - 1, "polisi.pdf"};
	struct gov_incident got;
	char id[17], req[17], other[SERIAL_HEX_MAX + 1];
	int64_t before;
	int n = 0;

	(void)state;
	clean();
	/* Refused by the RA (not the owner): no incident either. */
	before = count("SELECT COUNT(*) FROM gov_incidents");
	assert_int_equal(gov_report_loss(in->st, in->cfg, &andi, is, serial_siti, NIK_SUP,
	                                 &st, &po, "hilang", id),
	                 SERTEL_EPERM);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incidents"), before);
	/* Through gov_report_loss: revoked, and the incident opened. */
	assert_int_equal(gov_report_loss(in->st, in->cfg, &siti, is, serial_siti, NIK_SUP,
	                                 &st, &po, "laptop dicuri", id),
	                 0);
	assert_int_equal(strlen(id), 16);
	assert_int_equal(
	    db_get_text(store_db(in->st), req, sizeof(req),
	                "SELECT id FROM revocation_requests WHERE serial = ?",
	                serial_siti),
	    1);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &siti, id), 0);
	assert_string_equal(got.kind, "kunci-hilang");
	assert_string_equal(got.revocation_request_id, req);
	assert_int_equal(got.ncerts, 1);
	assert_string_equal(got.certs[0], serial_siti);
	assert_int_equal(got.recipients, 2);
	assert_int_equal(gov_incident_get(&got, in->st, in->cfg, &head, id), 0);
	assert_int_equal(gov_incident_events(in->st, in->cfg, &siti, id, count_event, &n),
	                 0);
	assert_int_equal(n, 1);
	/* The superior's NIK of the request's note is not in the notices. */
	assert_int_equal(
	    count("SELECT COUNT(*) FROM mail_queue WHERE kind = 'incident' AND "
	          "body LIKE '%" NIK_SUP "%'"),
	    0);
	/* The catch-up finds nothing to do: still one. */
	assert_int_equal(gov_incident_tick(in->st, in->cfg, time_now()), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incidents"), 1);

	/* A crash between the two: the RA's loss report alone. */
	issue(other, NIK_SITI, "Siti Aminah");
	assert_int_equal(
	    ra_report_loss(in->st, &siti, is, other, NIK_SUP, &st, &po, "tas hilang"), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incidents"), 1);
	assert_int_equal(gov_incident_tick(in->st, in->cfg, time_now()), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incidents"), 2);
	assert_int_equal(
	    count("SELECT COUNT(*) FROM gov_incidents i JOIN "
	          "revocation_requests r ON r.id = i.revocation_request_id "
	          "WHERE i.kind = 'kunci-hilang' AND i.reporter_nik = '" NIK_SITI
	          "' AND i.reported_at = r.created_at"),
	    2);
	assert_int_equal(gov_incident_tick(in->st, in->cfg, time_now()), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM gov_incidents"), 2);
	/* The unique link refuses a second incident for the same request. */
	assert_int_equal(db_run(store_db(in->st),
	                        "INSERT INTO gov_incidents (id, kind, severity, state, "
	                        "title, description, reporter, revocation_request_id, "
	                        "reported_at, updated_at) VALUES ('x', 'kunci-hilang', "
	                        "'tinggi', 'reported', 't', 'd', 'r', ?, 0, 0)",
	                        "s", req),
	                 SERTEL_EEXISTS);
	(void)before;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(report_by_every_role),
	    cmocka_unit_test(report_bad_input),
	    cmocka_unit_test(read_by_every_role),
	    cmocka_unit_test(handle_close_note),
	    cmocka_unit_test(notices_delivery_and_flag),
	    cmocka_unit_test(loss_report_opens_incident),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
