/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Coverage of ASN and the register of electronic systems (src/gov/
 * coverage.c, staff.c, systems.c), on SQLite and PostgreSQL: the staff CSV
 * import (every bad row with its line, nothing half-imported, the lists of
 * the agencies in the file replaced, counts audited without NIKs), the
 * headcount, coverage capped at the headcount, who lacks a certificate,
 * certificate counts, the systems' register (address syntax, the sistem
 * certificate, states) and each operation for every role: allowed works,
 * denied is SERTEL_EPERM and changes nothing.  The probe of a closed
 * loopback port is recorded with its error in bounded time.
 */
#include "fixture.h"
#include "fixture_ra.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "instance/instance.h"
#include "pki/pki.h"
#include "ra/ra.h"

#define NIK_KADIS "3274010101750001"
#define NIK_OP1   "3274010101820001"
#define NIK_AUD   "3274010101830001"
#define NIK_HEADA "3274010101840001"
#define NIK_HEADB "3274010101850001"
#define NIK_SITI  "3274014101920002"

static struct pki_conf pc;

struct env {
	struct store *st;
	struct ca *ca;
	struct ra_agency a, b;
	struct ra_actor admin, kadis, op1, aud, heada, headb, siti;
	char sys_serial[SERIAL_HEX_MAX + 1]; /* sistem, of agency A's person */
	char ind_serial[SERIAL_HEX_MAX + 1]; /* individu of Siti */
};

static void
person(struct env *e, const char *nik, const char *name, const char *mail,
       const char *agency, unsigned roles)
{
	fixture_person(e->st, &e->admin, nik, name, mail, agency, roles);
}

/* A certificate of nik, valid from nb to na (0: the profile's). */
static void
cert(struct env *e, char serial[SERIAL_HEX_MAX + 1], const char *nik, const char *type,
     int64_t nb, int64_t na)
{
	struct issue_req rq;
	struct cert_rec rec;
	char *csr = fixture_csr_pem();

	memset(&rq, 0, sizeof(rq));
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = strlen(csr);
	rq.type = type;
	rq.usages = strcmp(type, "sistem") == 0 ? "ssl-server" : "signing";
	rq.cn = strcmp(type, "sistem") == 0 ? "sim.kominfo.cirebonkota.go.id" : "Orang";
	if (strcmp(type, "sistem") == 0) {
		rq.dns[0] = "sim.kominfo.cirebonkota.go.id";
		rq.ndns = 1;
	}
	rq.nik = nik;
	rq.actor = "test";
	rq.reason = "test";
	if (ca_issue(&rec, e->ca, e->st, &pc, &rq) < 0)
		fail_msg("cert %s: %s", nik, sertel_errmsg());
	if (serial != NULL)
		str_copy(serial, SERIAL_HEX_MAX + 1, rec.serial);
	if (nb != 0 || na != 0)
		assert_true(db_run(store_db(e->st),
		                   "UPDATE certs SET not_before = ?, not_after = ? WHERE "
		                   "serial = ?",
		                   "iis", nb, na, rec.serial) == 1);
	cert_rec_free(&rec);
	free(csr);
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (e == NULL || fixture_store_setup((void **)&e->st) < 0)
		return -1;
	if (fixture_ca(&e->ca, &pc, e->st, test_master) < 0)
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
	person(e, NIK_OP1, "Operator Satu", "op1@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	person(e, NIK_AUD, "Auditor", "aud@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	person(e, NIK_HEADA, "Kepala Kominfo", "heada@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD);
	person(e, NIK_HEADB, "Kepala Dinkes", "headb@dinkes.cirebonkota.go.id", e->b.id,
	       ROLE_PEMOHON | ROLE_KEPALA_PD);
	person(e, NIK_SITI, "Siti Aminah", "siti@kominfo.cirebonkota.go.id", e->a.id,
	       ROLE_PEMOHON);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_OP1, ROLE_OPERATOR), 0);
	assert_int_equal(ra_person_appoint(e->st, &e->kadis, NIK_AUD, ROLE_AUDITOR), 0);
	assert_int_equal(ra_actor_person(&e->op1, e->st, NIK_OP1), 0);
	assert_int_equal(ra_actor_person(&e->aud, e->st, NIK_AUD), 0);
	assert_int_equal(ra_actor_person(&e->heada, e->st, NIK_HEADA), 0);
	assert_int_equal(ra_actor_person(&e->headb, e->st, NIK_HEADB), 0);
	assert_int_equal(ra_actor_person(&e->siti, e->st, NIK_SITI), 0);
	cert(e, e->sys_serial, NIK_HEADA, "sistem", 0, 0);
	cert(e, e->ind_serial, NIK_SITI, "individu", 0, 0);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	ca_free(e->ca);
	fixture_store_teardown((void **)&e->st);
	free(e);
	return 0;
}

static int64_t
count(struct env *e, const char *table)
{
	char sql[128], out[32] = "";

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE 1 = 1 OR ? = ''",
	         table);
	assert_true(db_get_text(store_db(e->st), out, sizeof(out), sql, "") == 1);
	return strtoll(out, NULL, 10);
}

/* Rows of gov_staff, gov_headcounts, gov_systems, gov_probes and audit:
 * what a refused operation must leave alone. */
static int64_t
footprint(struct env *e)
{
	return count(e, "gov_staff") * 1000000 + count(e, "gov_headcounts") * 10000 +
	       count(e, "gov_systems") * 100 + count(e, "gov_probes") * 10 +
	       count(e, "audit");
}

/* ---- coverage ------------------------------------------------------------ */

/* Where only a number is entered, registered holders beyond it do not make
 * a share above 100% (the original query gave holders 2 of headcount 1). */
static void
test_coverage_capped(void **state)
{
	struct env *e = *state;
	struct gov_coverage c;

	cert(e, NULL, NIK_OP1, "individu", 0, 0);
	assert_int_equal(gov_headcount_set(e->st, &e->kadis, e->a.id, 1, "sensus"), 0);
	assert_int_equal(gov_coverage_at(&c, e->st, e->a.id, time_now()), 0);
	assert_int_equal(c.headcount, 1);
	assert_int_equal(c.holders, 1);
	assert_int_equal(gov_coverage_at(&c, e->st, NULL, time_now()), 0);
	assert_true(c.holders <= c.headcount);
	assert_int_equal(gov_coverage_at(&c, e->st, "nope", time_now()),
	                 SERTEL_ENOTFOUND);
}

/* Validity at a moment: begun, not expired, not revoked by then. */
static void
test_coverage_over_time(void **state)
{
	struct env *e = *state;
	struct gov_coverage c, m[12];
	struct time_zone tz;
	int64_t now = time_now(), at[12];
	char s[SERIAL_HEX_MAX + 1];
	int i;

	assert_int_equal(gov_headcount_set(e->st, &e->op1, e->a.id, 10, "data BKPSDM"),
	                 0);
	/* Siti's is valid now; Op1's from 100 days ago to 10 days ago. */
	cert(e, s, NIK_OP1, "individu", now - 100 * 86400, now - 10 * 86400);
	assert_int_equal(gov_coverage_at(&c, e->st, e->a.id, now), 0);
	assert_int_equal(c.holders, 1);
	assert_int_equal(gov_coverage_at(&c, e->st, e->a.id, now - 50 * 86400), 0);
	assert_int_equal(c.holders, 1); /* Siti's began today */
	assert_int_equal(store_cert_revoke(e->st, s, now - 60 * 86400, 1), 0);
	assert_int_equal(gov_coverage_at(&c, e->st, e->a.id, now - 50 * 86400), 0);
	assert_int_equal(c.holders, 0);
	/* Twelve month ends, oldest first, the last one now. */
	assert_int_equal(time_zone_parse(&tz, "WITA"), 0);
	assert_int_equal(gov_coverage_months(m, at, 12, e->st, now, &tz), 0);
	assert_int_equal(at[11], now);
	for (i = 0; i < 11; i++) {
		time_t t = (time_t)(at[i] + tz.offset + 1);
		struct tm tm;

		assert_true(at[i] < at[i + 1]);
		gmtime_r(&t, &tm); /* one second later it is the 1st, 00:00 local */
		assert_int_equal(tm.tm_mday, 1);
		assert_int_equal(tm.tm_hour, 0);
	}
	assert_int_equal(m[11].headcount, 10);
	assert_int_equal(gov_coverage_months(m, at, 0, e->st, now, &tz), SERTEL_EINVAL);
}

/* ---- the staff CSV ------------------------------------------------------- */
static const char *good_csv =
    "\xef\xbb\xbfNIK,NIP,Nama,Perangkat Daerah,Jabatan\r\n"
    "3274014101920002,,Siti Aminah,Dinas Kominfo,Pranata Komputer\r\n"
    "3274010101750001,197501012000011001,\"Kepala, Dinas\",Dinas Kominfo,Kepala\r\n"
    "3274010101860001,,\"Budi \"\"B\"\" Santoso\",Dinas Kominfo,\r\n";

static void
test_import_ok(void **state)
{
	struct env *e = *state;
	struct gov_staff_result r;
	struct gov_coverage c;
	char semi[600], buf[128];
	int64_t audits = count(e, "audit");

	assert_int_equal(gov_staff_import(&r, e->st, &e->op1, good_csv, strlen(good_csv),
	                                  0, "ekspor SIMPEG Desember"),
	                 0);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.added, 3);
	assert_int_equal(r.removed, 0);
	assert_int_equal(r.agencies, 1);
	assert_int_equal(count(e, "gov_staff"), 3);
	assert_int_equal(count(e, "audit"), audits + 1);
	assert_true(db_get_text(store_db(e->st), buf, sizeof(buf),
	                        "SELECT name FROM gov_staff WHERE nik = ?",
	                        "3274010101860001") == 1);
	assert_string_equal(buf, "Budi \"B\" Santoso");
	/* The coverage of an imported agency counts its list: Siti holds. */
	assert_int_equal(gov_coverage_at(&c, e->st, e->a.id, time_now()), 0);
	assert_int_equal(c.headcount, 3);
	assert_int_equal(c.holders, 1);
	/* Semicolons, the list replaced: Budi gone, Kadis changed, Andi new. */
	snprintf(semi, sizeof(semi),
	         "nik;nip;nama;perangkat daerah;jabatan\n"
	         "3274014101920002;;Siti Aminah;%s;Pranata Komputer\n"
	         "3274010101750001;197501012000011001;Kepala Dinas;Dinas Kominfo;Kadis\n"
	         "3274010101870001;;Andi;Dinas Kominfo;Staf\n"
	         "3274010101880001;;Dewi;Dinas Kesehatan;Bidan\n",
	         e->a.id);
	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->kadis, semi, strlen(semi), 0, "pembaruan"),
	    0);
	assert_int_equal(r.rows, 4);
	assert_int_equal(r.added, 2);
	assert_int_equal(r.removed, 1);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.agencies, 2);
	assert_int_equal(count(e, "gov_staff"), 4);
	/* The trail has the counts and no NIK. */
	assert_true(db_get_text(store_db(e->st), buf, sizeof(buf),
	                        "SELECT reason FROM audit WHERE action = ? ORDER BY "
	                        "seq DESC LIMIT 1",
	                        "gov.cover.import") == 1);
	assert_non_null(strstr(buf, "added=2 removed=1 changed=1"));
	assert_null(strstr(buf, "3274"));
}

static int
error_has(const struct gov_staff_result *r, long line, const char *what)
{
	int i;

	for (i = 0; i < r->nerrors && i < GOV_STAFF_ERRORS; i++)
		if (r->errors[i].line == line &&
		    strstr(r->errors[i].reason, what) != NULL)
			return 1;
	fprintf(stderr, "no error '%s' on line %ld\n", what, line);
	for (i = 0; i < r->nerrors && i < GOV_STAFF_ERRORS; i++)
		fprintf(stderr, "  line %ld: %s\n", r->errors[i].line,
		        r->errors[i].reason);
	return 0;
}

/* Every bad row reported with its line and reason; nothing imported. */
static void
test_import_bad_rows(void **state)
{
	struct env *e = *state;
	struct gov_staff_result r;
	char csv[2000], longname[400];
	int64_t before;

	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->op1, good_csv, strlen(good_csv), 0, "awal"),
	    0);
	before = footprint(e);
	memset(longname, 'a', 300);
	longname[300] = '\0';
	snprintf(csv, sizeof(csv),
	         "NIK,NIP,Nama,Perangkat Daerah,Jabatan\n"
	         "3274010101890001,,Baik,Dinas Kominfo,Staf\n"               /* 2 ok */
	         "12345,,Pendek,Dinas Kominfo,Staf\n"                        /* 3 NIK */
	         "3274010101750002,198001012000011001,Beda,Dinas Kominfo,\n" /* 4 NIP */
	         "3274010101900001,,Tak Ada,Dinas Pariwisata,Staf\n" /* 5 agency */
	         "3274010101890001,,Ganda,Dinas Kominfo,Staf\n"      /* 6 duplicate */
	         "3274010101910001,,,Dinas Kominfo,Staf\n"           /* 7 missing */
	         "3274010101920001,,%s,Dinas Kominfo,Staf\n"         /* 8 too long */
	         "\"3274010101930001,,Terbuka,Dinas Kominfo\n",      /* 9 open quote */
	         longname);
	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->op1, csv, strlen(csv), 0, "salah"),
	    SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "nothing imported"));
	assert_int_equal(r.nerrors, 7);
	assert_true(error_has(&r, 3, "16 digits"));
	assert_true(error_has(&r, 4, "NIP"));
	assert_true(error_has(&r, 5, "unknown agency"));
	assert_true(error_has(&r, 6, "duplicate NIK in the file (first on line 2)"));
	assert_true(error_has(&r, 7, "Nama missing"));
	assert_true(error_has(&r, 8, "characters"));
	assert_true(error_has(&r, 9, "not closed"));
	assert_int_equal(footprint(e), before);
	/* No header, an empty file, a missing column. */
	assert_int_equal(gov_staff_import(&r, e->st, &e->op1, "", 0, 0, "x"),
	                 SERTEL_EINVAL);
	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->op1, "NIK,Nama\n1,2\n", 13, 0, "x"),
	    SERTEL_EINVAL);
	assert_true(error_has(&r, 1, "column nip missing"));
	/* The size bound, before anything is read. */
	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->op1, good_csv, strlen(good_csv), 20, "x"),
	    SERTEL_ETOOBIG);
	/* At most GOV_STAFF_ROWS_MAX rows, whatever they hold. */
	{
		size_t n = 48 + (size_t)(GOV_STAFF_ROWS_MAX + 1) * 10, len = 0, i;
		char *big = malloc(n);

		assert_non_null(big);
		len = (size_t)snprintf(big, n, "NIK,NIP,Nama,Perangkat Daerah,Jabatan\n");
		for (i = 0; i <= GOV_STAFF_ROWS_MAX; i++)
			len += (size_t)snprintf(big + len, n - len, "1,,a,b,c\n");
		assert_int_equal(gov_staff_import(&r, e->st, &e->op1, big, len, 0, "x"),
		                 SERTEL_ETOOBIG);
		free(big);
	}
	/* A reason is required. */
	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->op1, good_csv, strlen(good_csv), 0, ""),
	    SERTEL_EINVAL);
	assert_int_equal(footprint(e), before);
}

/* Every role: the Kepala Dinas, operators and the admin import; nobody
 * else, and a refusal changes nothing. */
static void
test_import_roles(void **state)
{
	struct env *e = *state;
	const struct ra_actor *deny[] = {&e->aud, &e->heada, &e->headb, &e->siti};
	const struct ra_actor *allow[] = {&e->admin, &e->kadis, &e->op1};
	struct gov_staff_result r;
	int64_t before;
	size_t i;

	for (i = 0; i < sizeof(deny) / sizeof(deny[0]); i++) {
		before = footprint(e);
		assert_int_equal(gov_staff_import(&r, e->st, deny[i], good_csv,
		                                  strlen(good_csv), 0, "coba"),
		                 SERTEL_EPERM);
		assert_int_equal(footprint(e), before);
	}
	for (i = 0; i < sizeof(allow) / sizeof(allow[0]); i++)
		assert_int_equal(gov_staff_import(&r, e->st, allow[i], good_csv,
		                                  strlen(good_csv), 0, "impor"),
		                 0);
}

/* The headcount: the Dinas for any agency, a head for their own only. */
static void
test_headcount_roles(void **state)
{
	struct env *e = *state;
	int64_t before;

	before = footprint(e);
	assert_int_equal(gov_headcount_set(e->st, &e->headb, e->a.id, 5, "x"),
	                 SERTEL_EPERM);
	assert_int_equal(gov_headcount_set(e->st, &e->aud, e->a.id, 5, "x"),
	                 SERTEL_EPERM);
	assert_int_equal(gov_headcount_set(e->st, &e->siti, e->a.id, 5, "x"),
	                 SERTEL_EPERM);
	assert_int_equal(gov_headcount_set(e->st, &e->kadis, e->a.id, -1, "x"),
	                 SERTEL_EINVAL);
	assert_int_equal(gov_headcount_set(e->st, &e->kadis, "Dinas Pariwisata", 3, "x"),
	                 SERTEL_EINVAL);
	assert_int_equal(gov_headcount_set(e->st, &e->kadis, e->a.id, 3, ""),
	                 SERTEL_EINVAL);
	assert_int_equal(footprint(e), before);
	assert_int_equal(gov_headcount_set(e->st, &e->heada, e->a.id, 7, "data"), 0);
	assert_int_equal(
	    gov_headcount_set(e->st, &e->headb, "Dinas Kesehatan", 4, "data"), 0);
	assert_int_equal(gov_headcount_set(e->st, &e->op1, e->a.id, 8, "data"), 0);
	assert_int_equal(gov_headcount_set(e->st, &e->admin, e->a.id, 9, "data"), 0);
	assert_int_equal(gov_headcount_set(e->st, &e->kadis, e->a.id, 0, "data"), 0);
	assert_int_equal(count(e, "gov_headcounts"), 2);
}

struct names {
	char s[512];
};

static int
missing_one(const struct gov_missing *m, void *arg)
{
	struct names *n = arg;
	size_t l = strlen(n->s);

	snprintf(n->s + l, sizeof(n->s) - l, "%s|%s;", m->name, m->nip);
	return 0;
}

/* Who lacks a certificate: names and NIPs, for the Dinas and the head. */
static void
test_missing(void **state)
{
	struct env *e = *state;
	struct gov_staff_result r;
	struct names n = {""};

	assert_int_equal(
	    gov_staff_import(&r, e->st, &e->op1, good_csv, strlen(good_csv), 0, "impor"),
	    0);
	assert_int_equal(
	    gov_missing_iter(e->st, &e->heada, e->a.id, time_now(), 0, missing_one, &n),
	    0);
	assert_string_equal(n.s, "Budi \"B\" Santoso|;Kepala, Dinas|197501012000011001;");
	n.s[0] = '\0';
	assert_int_equal(
	    gov_missing_iter(e->st, &e->aud, e->a.id, time_now(), 1, missing_one, &n), 0);
	assert_string_equal(n.s, "Budi \"B\" Santoso|;");
	assert_int_equal(
	    gov_missing_iter(e->st, &e->headb, e->a.id, time_now(), 0, missing_one, &n),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_missing_iter(e->st, &e->siti, e->a.id, time_now(), 0, missing_one, &n),
	    SERTEL_EPERM);
}

struct counted {
	int64_t valid, expired, revoked, expiring_a, expired_a;
};

static int
count_cb(const struct gov_cert_count *c, void *arg)
{
	struct counted *k = arg;

	k->valid += c->valid;
	k->expired += c->expired;
	k->revoked += c->revoked;
	return 0;
}

static int
expiry_cb(const struct gov_expiry *x, void *arg)
{
	struct counted *k = arg;

	if (strcmp(x->agency_name, "Dinas Kominfo") == 0) {
		k->expiring_a = x->expiring;
		k->expired_a = x->expired;
	}
	return 0;
}

static void
test_cert_counts(void **state)
{
	struct env *e = *state;
	struct counted k = {0};
	char s[SERIAL_HEX_MAX + 1];
	int64_t now = time_now();
	json_t *j = NULL;

	cert(e, NULL, NIK_OP1, "individu", now - 400 * 86400,
	     now - 5 * 86400);                                             /* expired */
	cert(e, NULL, NIK_AUD, "individu", now - 86400, now + 10 * 86400); /* expiring */
	cert(e, s, NIK_HEADB, "individu", 0, 0);
	assert_int_equal(store_cert_revoke(e->st, s, now, 1), 0);
	assert_int_equal(gov_cert_counts(e->st, &e->aud, now, count_cb, &k), 0);
	assert_int_equal(k.valid, 3); /* sistem, Siti, Auditor */
	assert_int_equal(k.expired, 1);
	assert_int_equal(k.revoked, 1);
	assert_int_equal(gov_cert_expiry(e->st, &e->kadis, now, 30, expiry_cb, &k), 0);
	assert_int_equal(k.expiring_a, 1);
	assert_int_equal(k.expired_a, 1);
	assert_int_equal(gov_cert_counts(e->st, &e->heada, now, count_cb, &k),
	                 SERTEL_EPERM);
	assert_int_equal(gov_cert_counts(e->st, &e->siti, now, count_cb, &k),
	                 SERTEL_EPERM);
	/* The report: the whole region for the Dinas, one agency for a head. */
	{
		struct time_zone tz;

		time_zone_parse(&tz, "WIB");
		/* The decree's scope (filled by the decree's area) is marked. */
		assert_true(
		    db_run(
		        store_db(e->st),
		        "INSERT INTO gov_decrees (id, number, decree_date, title, "
		        "created_by, created_at) VALUES ('d1', '1/2026', '2026-01-05', "
		        "'', 'test', 1)",
		        "") == 1);
		assert_true(
		    db_run(store_db(e->st),
		           "INSERT INTO gov_scope (agency_id, decree_id, since) VALUES "
		           "(?, 'd1', 1)",
		           "s", e->b.id) == 1);
		assert_int_equal(
		    gov_cover_report(&j, e->st, &e->kadis, now, &tz, 30, NULL), 0);
		assert_int_equal(json_array_size(json_object_get(j, "agencies")), 2);
		{
			json_t *a0 = json_array_get(json_object_get(j, "agencies"), 0),
			       *a1 = json_array_get(json_object_get(j, "agencies"), 1);

			/* by name: Dinas Kesehatan (B, in scope), Dinas Kominfo */
			assert_string_equal(json_string_value(json_object_get(a0, "id")),
			                    e->b.id);
			assert_true(json_is_true(json_object_get(a0, "in_scope")));
			assert_true(json_is_false(json_object_get(a1, "in_scope")));
		}
		assert_int_equal(json_array_size(json_object_get(j, "months")), 12);
		assert_true(json_array_size(json_object_get(j, "certs")) >= 2);
		json_decref(j);
		assert_int_equal(
		    gov_cover_report(&j, e->st, &e->headb, now, &tz, 30, NULL), 0);
		assert_int_equal(json_array_size(json_object_get(j, "agencies")), 1);
		assert_int_equal(json_array_size(json_object_get(j, "certs")), 0);
		assert_int_equal(json_array_size(json_object_get(j, "expiry")), 1);
		json_decref(j);
		assert_int_equal(
		    gov_cover_report(&j, e->st, &e->headb, now, &tz, 30, e->a.id),
		    SERTEL_EPERM);
		assert_int_equal(
		    gov_cover_report(&j, e->st, &e->siti, now, &tz, 30, NULL),
		    SERTEL_EPERM);
		assert_null(j);
	}
}

/* ---- the register of systems ------------------------------------------- */
static void
test_url_parse(void **state)
{
	struct gov_url u;

	(void)state;
	assert_int_equal(gov_url_parse(&u, "https://sim.cirebonkota.go.id"), 0);
	assert_string_equal(u.host, "sim.cirebonkota.go.id");
	assert_int_equal(u.port, 443);
	assert_string_equal(u.path, "/");
	assert_int_equal(gov_url_parse(&u, "https://127.0.0.1:8443/a/b?x=1"), 0);
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 8443);
	assert_string_equal(u.path, "/a/b?x=1");
	assert_int_equal(gov_url_parse(&u, "https://[::1]:9/"), 0);
	assert_string_equal(u.host, "::1");
	assert_int_equal(gov_url_parse(&u, "http://sim.go.id/"), SERTEL_EINVAL);
	assert_int_equal(gov_url_parse(&u, "https://bad_host!/"), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "is not a host"));
	assert_int_equal(gov_url_parse(&u, "https://user@host.go.id/"), SERTEL_EINVAL);
	assert_int_equal(gov_url_parse(&u, "https://host.go.id:0/"), SERTEL_EINVAL);
	assert_int_equal(gov_url_parse(&u, "https://host.go.id:99999/"), SERTEL_EINVAL);
	assert_int_equal(gov_url_parse(&u, "https://host.go.id/a b"), SERTEL_EINVAL);
	assert_int_equal(gov_url_parse(&u, "https:///x"), SERTEL_EINVAL);
}

static void
test_system_register(void **state)
{
	struct env *e = *state;
	struct gov_system_req rq = {"SIMPEG", "Dinas Kominfo",
	                            "https://simpeg.cirebonkota.go.id/", "kepegawaian",
	                            NULL};
	struct gov_system y, z;
	char warn[256];
	int64_t before;

	rq.cert_serial = e->sys_serial;
	assert_int_equal(
	    gov_system_save(&y, warn, sizeof(warn), e->st, &e->op1, NULL, &rq, "daftar"),
	    0);
	assert_string_equal(warn, "");
	assert_int_equal(y.state, GOV_SYSTEM_ACTIVE);
	assert_string_equal(y.cert_serial, e->sys_serial);
	assert_true(y.cert_not_after > time_now());
	before = footprint(e);
	/* Bad input: not a host, an unknown serial, an individu certificate,
	 * an unknown agency, the same address twice. */
	rq.url = "https://bad_host!/";
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->op1, NULL, &rq, "x"),
	    SERTEL_EINVAL);
	rq.url = "https://sik.cirebonkota.go.id/";
	rq.cert_serial = "0a0b0c";
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->op1, NULL, &rq, "x"),
	    SERTEL_EINVAL);
	rq.cert_serial = e->ind_serial;
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->op1, NULL, &rq, "x"),
	    SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "sistem"));
	rq.cert_serial = NULL;
	rq.agency_id = "Dinas Pariwisata";
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->op1, NULL, &rq, "x"),
	    SERTEL_EINVAL);
	rq.agency_id = "Dinas Kominfo";
	rq.url = "https://simpeg.cirebonkota.go.id/";
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->op1, NULL, &rq, "x"),
	    SERTEL_EEXISTS);
	/* Roles: a head of another agency, the auditor, an applicant. */
	rq.url = "https://sik.cirebonkota.go.id/";
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->headb, NULL, &rq, "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->aud, NULL, &rq, "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->siti, NULL, &rq, "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->headb, y.id, &rq, "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_system_set_state(e->st, &e->headb, y.id, GOV_SYSTEM_RETIRED, "x"),
	    SERTEL_EPERM);
	assert_int_equal(
	    gov_system_set_state(e->st, &e->aud, y.id, GOV_SYSTEM_RETIRED, "x"),
	    SERTEL_EPERM);
	assert_int_equal(gov_system_get(&z, e->st, &e->headb, y.id), SERTEL_EPERM);
	assert_int_equal(gov_system_get(&z, e->st, &e->siti, y.id), SERTEL_EPERM);
	assert_int_equal(footprint(e), before);
	/* Allowed: the auditor and the own head read; the own head adds. */
	assert_int_equal(gov_system_get(&z, e->st, &e->aud, y.id), 0);
	assert_int_equal(gov_system_get(&z, e->st, &e->heada, y.id), 0);
	rq.cert_serial = "";
	assert_int_equal(gov_system_save(&z, warn, sizeof(warn), e->st, &e->heada, NULL,
	                                 &rq, "layanan baru"),
	                 0);
	/* A head of B registering B's system with A's certificate: a warning. */
	rq.agency_id = e->b.id;
	rq.url = "https://dinkes.cirebonkota.go.id/";
	rq.cert_serial = e->sys_serial;
	assert_int_equal(gov_system_save(&z, warn, sizeof(warn), e->st, &e->headb, NULL,
	                                 &rq, "layanan"),
	                 0);
	assert_non_null(strstr(warn, "another agency"));
	/* Transitions: active -> retired -> active; the same state refused;
	 * a retired system is not changed nor probed. */
	assert_int_equal(gov_system_set_state(e->st, &e->kadis, y.id, GOV_SYSTEM_RETIRED,
	                                      "dihentikan"),
	                 0);
	before = footprint(e);
	assert_int_equal(
	    gov_system_set_state(e->st, &e->kadis, y.id, GOV_SYSTEM_RETIRED, "lagi"),
	    SERTEL_ESTATE);
	rq.name = "SIMPEG 2";
	rq.agency_id = NULL;
	rq.url = NULL;
	rq.cert_serial = NULL;
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->kadis, y.id, &rq, "ubah"),
	    SERTEL_ESTATE);
	{
		struct gov_probe p;
		struct gov_probe_opts o = {2, 1, 0};

		assert_int_equal(gov_system_probe(&p, e->st, &e->kadis, y.id, &o),
		                 SERTEL_ESTATE);
	}
	assert_int_equal(footprint(e), before);
	assert_int_equal(
	    gov_system_set_state(e->st, &e->op1, y.id, GOV_SYSTEM_ACTIVE, "dipakai lagi"),
	    0);
	assert_int_equal(
	    gov_system_save(&z, warn, sizeof(warn), e->st, &e->kadis, y.id, &rq, "ubah"),
	    0);
	assert_string_equal(z.name, "SIMPEG 2");
	assert_string_equal(z.url, "https://simpeg.cirebonkota.go.id/");
}

/* A loopback port nobody listens on. */
static int
closed_port(void)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

struct probes {
	int n;
	struct gov_probe last;
};

static int
probe_cb(const struct gov_probe *p, void *arg)
{
	struct probes *k = arg;

	if (k->n++ == 0)
		k->last = *p;
	return 0;
}

/* A closed port: the error is recorded, within the time bound; loopback
 * only when [governance] probe_private allows; who may probe. */
static void
test_probe_closed(void **state)
{
	struct env *e = *state;
	struct gov_system_req rq = {"Lokal", "Dinas Kominfo", NULL, "", NULL};
	struct gov_probe_opts o = {3, 1, 0}, strict = {3, 0, 0};
	struct gov_system y;
	struct gov_probe p;
	struct probes k = {0};
	char url[64];
	int64_t t0, before;

	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", closed_port());
	rq.url = url;
	assert_int_equal(gov_system_save(&y, NULL, 0, e->st, &e->heada, NULL, &rq, "uji"),
	                 0);
	t0 = time_now();
	assert_int_equal(gov_system_probe(&p, e->st, &e->heada, y.id, &o), 0);
	assert_true(time_now() - t0 <= 4);
	assert_int_equal(p.ok, 0);
	assert_non_null(strstr(p.error, "connect 127.0.0.1"));
	assert_int_equal(gov_system_probe(&p, e->st, &e->op1, y.id, &strict), 0);
	assert_int_equal(p.ok, 0);
	assert_non_null(strstr(p.error, "probe_private is off"));
	assert_int_equal(gov_probe_iter(e->st, &e->aud, y.id, 0, probe_cb, &k), 0);
	assert_int_equal(k.n, 2);
	assert_non_null(strstr(k.last.error, "probe_private"));
	assert_string_equal(k.last.via, "manual");
	/* Refused: another agency's head, the auditor, an applicant; and a
	 * manual probe within probe_min_gap. */
	before = footprint(e);
	assert_int_equal(gov_system_probe(&p, e->st, &e->headb, y.id, &o), SERTEL_EPERM);
	assert_int_equal(gov_system_probe(&p, e->st, &e->aud, y.id, &o), SERTEL_EPERM);
	assert_int_equal(gov_system_probe(&p, e->st, &e->siti, y.id, &o), SERTEL_EPERM);
	o.min_gap = 60;
	assert_int_equal(gov_system_probe(&p, e->st, &e->kadis, y.id, &o), SERTEL_ESTATE);
	assert_int_equal(gov_probe_iter(e->st, &e->headb, y.id, 0, probe_cb, &k),
	                 SERTEL_EPERM);
	assert_int_equal(footprint(e), before);
}

/* The schedule: systems not probed within the interval, bounded per tick. */
static void
test_probe_due(void **state)
{
	struct env *e = *state;
	struct gov_system_req rq = {"A", "Dinas Kominfo", NULL, "", NULL};
	struct gov_system y;
	struct config *cfg = NULL;
	char url[64], path[] = "/tmp/gov-cover-conf-XXXXXX";
	int i, fd;
	FILE *f;

	for (i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "https://127.0.0.1:%d/s%d", closed_port(), i);
		rq.url = url;
		assert_int_equal(
		    gov_system_save(&y, NULL, 0, e->st, &e->op1, NULL, &rq, "uji"), 0);
	}
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "[governance]\nprobe_private = yes\nprobe_timeout = 2\n"
	           "probe_per_tick = 2\nprobe_interval = 3600\n");
	fclose(f);
	assert_int_equal(config_load(&cfg, path), 0);
	assert_int_equal(gov_probe_due(e->st, cfg, time_now()), 0);
	assert_int_equal(count(e, "gov_probes"), 2);
	assert_int_equal(gov_probe_due(e->st, cfg, time_now()), 0);
	assert_int_equal(count(e, "gov_probes"), 3);
	assert_int_equal(gov_probe_due(e->st, cfg, time_now()), 0);
	assert_int_equal(count(e, "gov_probes"), 3); /* all probed within the hour */
	assert_int_equal(gov_tick(e->st, cfg, time_now() + 7200), 0);
	assert_int_equal(count(e, "gov_probes"), 5);
	config_free(cfg);
	unlink(path);
}

/* Every operation for every role: allowed ones work, refused ones are
 * SERTEL_EPERM and change nothing (rows and audit entries). */
enum { R_ADMIN, R_KADIS, R_OP, R_AUD, R_HEADA, R_HEADB, R_SITI, R_N };

static int
matrix_op(struct env *e, int op, const struct ra_actor *who, const char *sys_id)
{
	struct gov_staff_result r;
	struct gov_system_req rq = {"Sistem", "Dinas Kominfo", NULL, "", ""};
	struct gov_system y;
	struct gov_probe p;
	struct gov_probe_opts o = {2, 0, 0};
	struct counted k = {0};
	struct names n = {""};
	struct probes pr = {0};
	struct time_zone tz;
	char url[64];
	json_t *j = NULL;
	int rc;

	time_zone_parse(&tz, "WIB");
	switch (op) {
	case 0: return gov_headcount_set(e->st, who, e->a.id, 5, "matriks");
	case 1:
		return gov_staff_import(&r, e->st, who, good_csv, strlen(good_csv), 0,
		                        "matriks");
	case 2:
		snprintf(url, sizeof(url), "https://m%s.cirebonkota.go.id/",
		         who->nik[0] ? who->nik : "admin");
		rq.url = url;
		return gov_system_save(&y, NULL, 0, e->st, who, NULL, &rq, "matriks");
	case 3:
		rq.name = "Sistem Ubah";
		rq.agency_id = NULL;
		return gov_system_save(&y, NULL, 0, e->st, who, sys_id, &rq, "matriks");
	case 4:
		if ((rc = gov_system_set_state(e->st, who, sys_id, GOV_SYSTEM_RETIRED,
		                               "m")) < 0)
			return rc;
		return gov_system_set_state(e->st, who, sys_id, GOV_SYSTEM_ACTIVE, "m");
	case 5: return gov_system_probe(&p, e->st, who, sys_id, &o);
	case 6: return gov_system_get(&y, e->st, who, sys_id);
	case 7: return gov_probe_iter(e->st, who, sys_id, 0, probe_cb, &pr);
	case 8:
		return gov_missing_iter(e->st, who, e->a.id, time_now(), 0, missing_one,
		                        &n);
	case 9:
		rc = gov_cover_report(&j, e->st, who, time_now(), &tz, 30, e->a.id);
		json_decref(j);
		return rc;
	case 10: return gov_cert_counts(e->st, who, time_now(), count_cb, &k);
	default: return gov_cert_expiry(e->st, who, time_now(), 30, expiry_cb, &k);
	}
}

static void
test_role_matrix(void **state)
{
	struct env *e = *state;
	/* Per operation, the roles allowed: admin kadis op aud headA headB siti. */
	static const char *const allowed[] = {
	    "1110100", /* 0 headcount of A */
	    "1110000", /* 1 staff import */
	    "1110100", /* 2 register a system of A */
	    "1110100", /* 3 change A's system */
	    "1110100", /* 4 retire and activate it */
	    "1110100", /* 5 probe it */
	    "1111100", /* 6 read it */
	    "1111100", /* 7 its probes */
	    "1111100", /* 8 who of A lacks a certificate */
	    "1111100", /* 9 A's coverage report */
	    "1111000", /* 10 certificate counts of the region */
	    "1111000", /* 11 expiring per agency of the region */
	};
	const struct ra_actor *who[R_N] = {&e->admin, &e->kadis, &e->op1, &e->aud,
	                                   &e->heada, &e->headb, &e->siti};
	struct gov_system_req rq = {"Matriks", "Dinas Kominfo", NULL, "", ""};
	struct gov_system y;
	char url[64];
	size_t op;
	int r, rc;
	int64_t before;

	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", closed_port());
	rq.url = url;
	assert_int_equal(
	    gov_system_save(&y, NULL, 0, e->st, &e->kadis, NULL, &rq, "matriks"), 0);
	for (op = 0; op < sizeof(allowed) / sizeof(allowed[0]); op++)
		for (r = 0; r < R_N; r++) {
			before = footprint(e);
			rc = matrix_op(e, (int)op, who[r], y.id);
			if (allowed[op][r] == '1') {
				if (rc != 0)
					fail_msg("operation %zu, role %d: refused: %s",
					         op, r, sertel_errmsg());
			} else {
				if (rc != SERTEL_EPERM)
					fail_msg(
					    "operation %zu, role %d: %d, expected EPERM",
					    op, r, rc);
				assert_int_equal(footprint(e), before);
			}
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_coverage_capped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_coverage_over_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_ok, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_headcount_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cert_counts, setup, teardown),
	    cmocka_unit_test(test_url_parse),
	    cmocka_unit_test_setup_teardown(test_system_register, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_probe_closed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_probe_due, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_role_matrix, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
