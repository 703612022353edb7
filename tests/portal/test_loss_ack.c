/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The superior's acknowledgement of a loss report (Cirebon 15(3);
 * src/ra/revoke.c ra_loss_acknowledge, ra_loss_iter), on SQLite and
 * PostgreSQL, on a real instance: a certificate issued by its CA, the loss
 * reported with both letters (revoked at once), then acknowledged only by
 * the superior the statement letter names, once, recorded and audited; a
 * refusal changes nothing.  The report's letters are read by the superior
 * named and the owner only, each read audited.
 */
#include "testutil.h"
#include "fixture_ra.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "instance/instance.h"
#include "ra/ra.h"

#define NIK_OWNER "3274014101900003"
#define NIK_SUP   "3274010101700001" /* the owner's registered superior */
#define NIK_HEAD  "3274010101720001" /* head of the owner's agency */
#define NIK_OTHER "3274010101880002"
#define NIK_HEADB "3274010101710001" /* head of another agency */

static char url[1024], idir[256];
static struct instance *in;
static struct issuer *is;

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

static void
person(const char *nik, const char *name, const char *mail, const char *agency,
       unsigned roles, const char *superior)
{
	struct ra_actor admin;

	ra_actor_local(&admin, "cli:test");
	fixture_person_under(in->st, &admin, nik, name, mail, agency, roles, superior);
}

/* A CSR (PEM) for a fresh P-256 key. */
static char *
csr_pem(size_t *len)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509_REQ *r = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;

	assert_non_null(k);
	assert_int_equal(X509_REQ_set_pubkey(r, k), 1);
	assert_true(X509_REQ_sign(r, k, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509_REQ(b, r), 1);
	n = BIO_get_mem_data(b, &p);
	out = malloc((size_t)n + 1);
	assert_non_null(out);
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	*len = (size_t)n;
	BIO_free(b);
	X509_REQ_free(r);
	EVP_PKEY_free(k);
	return out;
}

static int
setup(void **state)
{
	struct instance_params ip;
	struct db *db = NULL;
	char dir[] = "/tmp/sertel-lossack-XXXXXX";

	(void)state;
	test_db_url(url, sizeof(url), "lossack");
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
	snprintf(idir, sizeof(idir), "%s/inst", dir);
	memset(&ip, 0, sizeof(ip));
	ip.dir = idir;
	ip.db = url;
	ip.org = "Pemerintah Kota Uji";
	ip.base_url = "https://sertel.example.go.id";
	ip.actor = "cli:test";
	if (instance_create(&ip) < 0 || instance_open(&in, idir) < 0 ||
	    issuer_open(&is, in, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", sertel_errmsg());
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[400];

	(void)state;
	issuer_free(is);
	instance_close(in);
	snprintf(cmd, sizeof(cmd), "rm -rf '%.300s'", idir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

struct seen {
	int n;
	struct ra_loss last;
};
static struct seen seen;

static int
loss_seen(const struct ra_loss *l, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->last = *l;
	return 0;
}

static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static void
loss_is_acknowledged_by_the_superior_named_only(void **state)
{
	struct ra_actor admin, owner, sup, head, other, headb;
	struct ra_agency ag, agb;
	struct issue_req rq;
	struct cert_rec rec;
	struct ra_file st = {"pernyataan", (const unsigned char *)pdf, sizeof(pdf) - 1,
	                     "pernyataan.pdf"};
	struct ra_file po = {"laporan-polisi", (const unsigned char *)pdf,
	                     sizeof(pdf) - 1, "polisi.pdf"};
	char *csr, id[17] = "", sql[256];
	size_t csrlen;
	int64_t audits;
	unsigned char *data = NULL;
	const char *mime = NULL;
	size_t len = 0;
	struct db_stmt *s = NULL;

	(void)state;
	ra_actor_local(&admin, "cli:test");
	if (ra_agency_add(&ag, in->st, &admin, "Dinas Kominfo", "kominfo.example.go.id") <
	        0 ||
	    ra_agency_add(&agb, in->st, &admin, "Dinas Kesehatan",
	                  "dinkes.example.go.id") < 0)
		fail_msg("%s", sertel_errmsg());
	person(NIK_SUP, "Atasan Langsung", "atasan@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON | ROLE_ATASAN, NULL);
	person(NIK_HEAD, "Kepala Kominfo", "kepala@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD, NULL);
	person(NIK_OWNER, "Rina Lestari", "rina@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON, NIK_SUP);
	person(NIK_OTHER, "Dedi Kurnia", "dedi@kominfo.example.go.id", ag.id,
	       ROLE_PEMOHON, NULL);
	person(NIK_HEADB, "Kepala Dinkes", "kepala@dinkes.example.go.id", agb.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD, NULL);
	assert_int_equal(ra_actor_person(&owner, in->st, NIK_OWNER), 0);
	assert_int_equal(ra_actor_person(&sup, in->st, NIK_SUP), 0);
	assert_int_equal(ra_actor_person(&head, in->st, NIK_HEAD), 0);
	assert_int_equal(ra_actor_person(&other, in->st, NIK_OTHER), 0);
	assert_int_equal(ra_actor_person(&headb, in->st, NIK_HEADB), 0);

	csr = csr_pem(&csrlen);
	memset(&rq, 0, sizeof(rq));
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = csrlen;
	rq.type = "individu";
	rq.usages = "signing";
	rq.cn = "Rina Lestari";
	rq.email = "rina@kominfo.example.go.id";
	rq.nik = NIK_OWNER;
	rq.actor = "cli:test";
	rq.reason = "test";
	if (issuer_issue(&rec, is, in->st, &rq) < 0)
		fail_msg("issue: %s", sertel_errmsg());
	free(csr);

	/* Nothing named yet. */
	assert_int_equal(count("SELECT COUNT(*) FROM revocation_requests"), 0);
	/* The report names the superior; revoked at once, not yet acknowledged. */
	if (ra_report_loss(in->st, &owner, is, rec.serial, NIK_SUP, &st, &po,
	                   "laptop hilang") < 0)
		fail_msg("report: %s", sertel_errmsg());
	assert_int_equal(count("SELECT COUNT(*) FROM revocation_requests WHERE cause = "
	                       "'hilang' AND acknowledged_at IS NULL"),
	                 1);
	assert_int_equal(
	    db_prepare(&s, store_db(in->st),
	               "SELECT id FROM revocation_requests WHERE cause = 'hilang'"),
	    0);
	assert_int_equal(db_step(s), 1);
	str_copy(id, sizeof(id), db_col_text(s, 0));
	db_finalize(s);
	assert_int_equal(strlen(id), 16);

	/* Listed for the superior named, and for nobody else. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(ra_loss_iter(in->st, NIK_SUP, loss_seen, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.last.id, id);
	assert_string_equal(seen.last.serial, rec.serial);
	assert_string_equal(seen.last.owner_name, "Rina Lestari");
	assert_int_equal(seen.last.acknowledged_at, 0);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(ra_loss_iter(in->st, NIK_HEAD, loss_seen, &seen), 0);
	assert_int_equal(ra_loss_iter(in->st, NIK_OWNER, loss_seen, &seen), 0);
	assert_int_equal(seen.n, 0);

	/* Refused, and nothing changed, for: the owner, another member of
	 * staff, the head of the agency (not named), the head of another
	 * agency, the local administrator. */
	audits = count("SELECT COUNT(*) FROM audit");
	assert_int_equal(ra_loss_acknowledge(in->st, &owner, id, NULL), SERTEL_EPERM);
	assert_non_null(strstr(sertel_errmsg(), "Cirebon 15(3)"));
	assert_int_equal(ra_loss_acknowledge(in->st, &other, id, NULL), SERTEL_EPERM);
	assert_int_equal(ra_loss_acknowledge(in->st, &head, id, NULL), SERTEL_EPERM);
	assert_int_equal(ra_loss_acknowledge(in->st, &headb, id, NULL), SERTEL_EPERM);
	assert_int_equal(ra_loss_acknowledge(in->st, &admin, id, NULL), SERTEL_EPERM);
	assert_int_equal(ra_loss_acknowledge(in->st, &sup, "zz", NULL), SERTEL_EINVAL);
	assert_int_equal(ra_loss_acknowledge(in->st, &sup, "00112233445566ff", NULL),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(count("SELECT COUNT(*) FROM audit"), audits);
	assert_int_equal(count("SELECT COUNT(*) FROM revocation_requests WHERE "
	                       "acknowledged_at IS NOT NULL"),
	                 0);

	/* The superior named: recorded with its time, audited with the actor. */
	assert_int_equal(ra_loss_acknowledge(in->st, &sup, id, "surat benar"), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM revocation_requests WHERE "
	                       "acknowledged_at IS NOT NULL"),
	                 1);
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM audit WHERE action = 'revocation.acknowledge' AND "
	         "actor = 'nik:%s' AND object = 'cert:%s'",
	         NIK_SUP, rec.serial);
	assert_int_equal(count(sql), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit"), audits + 1);
	/* Once. */
	assert_int_equal(ra_loss_acknowledge(in->st, &sup, id, NULL), SERTEL_ESTATE);
	assert_non_null(strstr(sertel_errmsg(), "sudah diakui"));
	assert_int_equal(count("SELECT COUNT(*) FROM audit"), audits + 1);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(ra_loss_iter(in->st, NIK_SUP, loss_seen, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_true(seen.last.acknowledged_at > 0);

	/* The letters: for the superior named and the owner, each read
	 * audited; refused to the rest of the staff and the heads, unaudited. */
	audits = count("SELECT COUNT(*) FROM audit");
	assert_int_equal(
	    ra_loss_letter_get(&data, &len, &mime, in->st, &sup, id, "pernyataan"), 0);
	assert_int_equal(len, sizeof(pdf) - 1);
	assert_memory_equal(data, pdf, len);
	assert_string_equal(mime, "application/pdf");
	free(data);
	assert_int_equal(
	    ra_loss_letter_get(&data, &len, &mime, in->st, &owner, id, "laporan-polisi"),
	    0);
	free(data);
	assert_int_equal(count("SELECT COUNT(*) FROM audit WHERE action = "
	                       "'revocation.read-letter'"),
	                 2);
	assert_int_equal(count("SELECT COUNT(*) FROM audit"), audits + 2);
	assert_int_equal(
	    ra_loss_letter_get(&data, &len, &mime, in->st, &other, id, "pernyataan"),
	    SERTEL_EPERM);
	assert_null(data);
	assert_int_equal(
	    ra_loss_letter_get(&data, &len, &mime, in->st, &head, id, "pernyataan"),
	    SERTEL_EPERM);
	assert_int_equal(
	    ra_loss_letter_get(&data, &len, &mime, in->st, &headb, id, "laporan-polisi"),
	    SERTEL_EPERM);
	assert_int_equal(ra_loss_letter_get(&data, &len, &mime, in->st, &sup, id, "ktp"),
	                 SERTEL_EINVAL);
	assert_int_equal(ra_loss_letter_get(&data, &len, &mime, in->st, &sup,
	                                    "00112233445566ff", "pernyataan"),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(count("SELECT COUNT(*) FROM audit"), audits + 2);
	cert_rec_free(&rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loss_is_acknowledged_by_the_superior_named_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
