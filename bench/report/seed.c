/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/report's data: a region's year of certificates for the annual
 * report (Cirebon 23): AGENCIES agencies, ASN persons on the agencies'
 * staff lists, CERTS certificates issued over YEAR (a share renewed, a
 * share revoked with the RA's causes), one application per certificate
 * plus rejected and waiting ones with their decisions' reasons in the
 * audit trail, electronic systems with probes, incidents, complaints,
 * needs and the road map.  Written by SQL through sertel's store in one
 * transaction (the report reads rows; how they were made does not change
 * what it reads), the audit entries through audit_append so the chain
 * stays intact.  Deterministic: the same arguments make the same rows.
 *
 *   report-bench-seed --dir INSTANCE --year Y [--asn N] [--agencies N]
 *                     [--certs N]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "instance/instance.h"
#include "ra/ra.h"

#define DAY 86400LL

static uint64_t rng = 88172645463325252ULL;

/* xorshift64: cheap, deterministic, good enough to spread dates. */
static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int64_t
pick(int64_t n)
{
	return n > 0 ? (int64_t)(next() % (uint64_t)n) : 0;
}

struct seed {
	struct store *st;
	int year, asn, agencies, certs;
	int64_t from, to;
	char issuer[64];
};

static int
fail(const char *what, int64_t rc)
{
	fprintf(stderr, "report-bench-seed: %s: %s\n", what, sertel_errmsg());
	return rc < 0 ? (int)rc : SERTEL_EINVAL;
}

static void
nik_of(char out[17], int k)
{
	snprintf(out, 17, "3274%012d", k + 1);
}

static const char *const causes[] = {"kunci-bocor", "mutasi",    "pensiun",
                                     "data-salah",  "meninggal", "permintaan-pemilik"};
static const int cause_codes[] = {1, 3, 5, 3, 5, 0};
static const char *const reasons_ret[] = {
    "KTP tidak terbaca", "surat rekomendasi belum ada", "nama tidak sesuai SK"};
static const char *const reasons_rej[] = {"bukan ASN", "jabatan tidak sesuai"};

static int
seed_people(struct seed *s)
{
	char id[17], name[64], domain[96], nik[17], mail[128];
	int64_t rc;
	int i;

	for (i = 0; i < s->agencies; i++) {
		snprintf(id, sizeof(id), "a%015d", i);
		snprintf(name, sizeof(name), "Perangkat Daerah %03d", i + 1);
		snprintf(domain, sizeof(domain), "pd%03d.bench.go.id", i + 1);
		if ((rc = db_run(
		         store_db(s->st),
		         "INSERT INTO agencies (id, name, domain, created_at) VALUES "
		         "(?, ?, ?, ?)",
		         "sssi", id, name, domain, s->from)) < 0)
			return fail("agency", rc);
	}
	for (i = 0; i < s->asn; i++) {
		/* Agencies of uneven size: a few large ones, many small. */
		int ag = (int)(pick(4) == 0 ? pick(10) : pick(s->agencies));

		nik_of(nik, i);
		snprintf(id, sizeof(id), "a%015d", ag);
		snprintf(name, sizeof(name), "ASN %05d", i + 1);
		snprintf(mail, sizeof(mail), "asn%05d@pd%03d.bench.go.id", i + 1, ag + 1);
		if ((rc = db_run(
		         store_db(s->st),
		         "INSERT INTO persons (nik, name, email, agency_id, roles, "
		         "created_at, updated_at) VALUES (?, ?, ?, ?, 'pemohon', ?, ?)",
		         "ssssii", nik, name, mail, id, s->from, s->from)) < 0 ||
		    (rc = db_run(store_db(s->st),
		                 "INSERT INTO gov_staff (nik, name, agency_id, position, "
		                 "imported_at) VALUES (?, ?, ?, '', ?)",
		                 "sssi", nik, name, id, s->from)) < 0)
			return fail("person", rc);
	}
	return 0;
}

/* An integer, or SQL NULL when 0. */
static int
bind_opt(struct db_stmt *st, int idx, int64_t v)
{
	return v ? db_bind_int(st, idx, v) : db_bind_null(st, idx);
}

static int
seed_app(struct seed *s, int k, const char *kind, const char *state, const char *type,
         const char *usages, const char *nik, int64_t submitted, int64_t decided,
         int64_t issued, const char *serial)
{
	struct db_stmt *q = NULL;
	char id[17];
	int rc;

	snprintf(id, sizeof(id), "b%015d", k);
	if ((rc = db_prepare(
	         &q, store_db(s->st),
	         "INSERT INTO applications (id, kind, type, usages, "
	         "applicant_nik, state, cn, cert_serial, created_by, created_at, "
	         "updated_at, submitted_at, decided_at, issued_at) VALUES (?, ?, "
	         "?, ?, ?, ?, 'ASN', ?, 'bench', ?, ?, ?, ?, ?)")) < 0)
		return fail("application", rc);
	if ((rc = db_bind_text(q, 1, id)) == 0 && (rc = db_bind_text(q, 2, kind)) == 0 &&
	    (rc = db_bind_text(q, 3, type)) == 0 &&
	    (rc = db_bind_text(q, 4, usages)) == 0 &&
	    (rc = db_bind_text(q, 5, nik)) == 0 &&
	    (rc = db_bind_text(q, 6, state)) == 0 &&
	    (rc = db_bind_text(q, 7, serial)) == 0 &&
	    (rc = db_bind_int(q, 8, submitted - DAY)) == 0 &&
	    (rc = db_bind_int(q, 9, decided ? decided : submitted)) == 0 &&
	    (rc = db_bind_int(q, 10, submitted)) == 0 &&
	    (rc = bind_opt(q, 11, decided)) == 0 && (rc = bind_opt(q, 12, issued)) == 0)
		rc = db_step(q);
	db_finalize(q);
	return rc < 0 ? fail("application", rc) : 0;
}

static int
seed_certs(struct seed *s)
{
	static const unsigned char der[16] = {0x30, 0x0e};
	char serial[40], nik[17], obj[48], rid[17];
	int64_t rc, created, submitted, decided, revoked_at;
	int i, k = 0, type, revoked;
	const char *t, *u;

	for (i = 0; i < s->certs; i++) {
		nik_of(nik, (int)pick(s->asn));
		type = (int)pick(100);
		t = type < 80 ? "individu" : type < 95 ? "jabatan" : "sistem";
		u = type < 50   ? "signing"
		    : type < 80 ? "signing,email"
		    : type < 95 ? "signing"
		                : "ssl-server";
		created = s->from + pick(s->to - s->from - 30 * DAY);
		submitted = created - DAY - pick(20 * DAY);
		decided = submitted + pick(created - submitted);
		revoked = pick(100) < 4;
		revoked_at = revoked ? created + pick(s->to - created) : 0;
		snprintf(serial, sizeof(serial), "7e%016llx", (unsigned long long)i + 1);
		rc = db_run(
		    store_db(s->st),
		    "INSERT INTO certs (serial, issuer_id, type, usages, subject, nik, "
		    "not_before, not_after, revoked, revoked_at, reason, created_at, "
		    "der) VALUES (?, ?, ?, ?, 'CN=ASN', ?, ?, ?, ?, ?, ?, ?, ?)",
		    "sssssiiiiiib", serial, s->issuer, t, u, nik, created,
		    created + 730 * DAY, (int64_t)revoked, revoked_at,
		    (int64_t)(revoked ? cause_codes[i % 6] : 0), created, der,
		    sizeof(der));
		if (rc < 0)
			return fail("certificate", rc);
		if (!revoked &&
		    (rc = db_run(store_db(s->st),
		                 "UPDATE certs SET revoked_at = NULL, reason = NULL "
		                 "WHERE serial = ?",
		                 "s", serial)) < 0)
			return fail("certificate", rc);
		if (revoked) {
			snprintf(rid, sizeof(rid), "r%015d", i);
			if ((rc = db_run(
			         store_db(s->st),
			         "INSERT INTO revocation_requests (id, serial, cause, "
			         "reason_code, requested_by, state, created_at, "
			         "decided_at) VALUES (?, ?, ?, ?, 'bench', 'done', ?, ?)",
			         "sssiii", rid, serial, causes[i % 6],
			         (int64_t)cause_codes[i % 6], revoked_at, revoked_at)) <
			    0)
				return fail("revocation request", rc);
		}
		if ((rc = seed_app(s, k++, pick(5) == 0 ? "renewal" : "new", "issued", t,
		                   u, nik, submitted, decided, created, serial)) < 0)
			return (int)rc;
		/* Some applications were returned first (the reasons in the
		 * trail, as src/ra writes them). */
		if (pick(10) == 0) {
			snprintf(obj, sizeof(obj), "application:b%015d", k - 1);
			if ((rc = audit_append(s->st, "bench", "application.return", obj,
			                       reasons_ret[i % 3])) < 0)
				return fail("audit", rc);
		}
		/* A rejected or a waiting application now and then. */
		if (pick(12) == 0) {
			snprintf(obj, sizeof(obj), "application:b%015d", k);
			if ((rc =
			         seed_app(s, k++, "new", "rejected", t, u, nik, submitted,
			                  submitted + pick(10 * DAY), 0, NULL)) < 0 ||
			    (rc = audit_append(s->st, "bench", "application.reject", obj,
			                       reasons_rej[i % 2])) < 0)
				return fail("rejected application", rc);
		} else if (pick(40) == 0 &&
		           (rc = seed_app(s, k++, "new", "submitted", t, u, nik,
		                          submitted, 0, 0, NULL)) < 0) {
			return (int)rc;
		}
	}
	return 0;
}

static int
seed_gov(struct seed *s)
{
	static const char *const kinds[] = {"kunci-hilang", "autentikasi",
	                                    "keaslian-data", "lainnya"};
	static const char *const sev[] = {"rendah", "sedang", "tinggi"};
	static const char *const cats[] = {"autentikasi", "keaslian-data", "penyangkalan",
	                                   "penandatanganan", "operator"};
	static const char *const ist[] = {"reported", "notified", "handled", "closed"};
	static const char *const tst[] = {"open", "in-progress", "escalated", "resolved",
	                                  "closed"};
	char id[32], ag[17], url[96], serial[40], nik[17];
	int64_t rc, at;
	int i, n;

	if ((rc = db_run(store_db(s->st),
	                 "INSERT INTO gov_plans (id, title, start_year, end_year, "
	                 "created_by, created_at, updated_at) VALUES ('plan', 'Rencana "
	                 "Induk', ?, ?, 'bench', ?, ?)",
	                 "iiii", (int64_t)s->year, (int64_t)s->year + 4, s->from,
	                 s->from)) < 0 ||
	    (rc = db_run(store_db(s->st),
	                 "INSERT INTO gov_plan_targets (plan_id, year, asn_bp, systems, "
	                 "services) VALUES ('plan', ?, 7500, 200, 50)",
	                 "i", (int64_t)s->year)) < 0)
		return fail("plan", rc);
	n = s->agencies * 3 / 2;
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "s%d", i);
		snprintf(ag, sizeof(ag), "a%015d", i % s->agencies);
		snprintf(url, sizeof(url), "https://sistem%d.bench.go.id", i);
		snprintf(serial, sizeof(serial), "7e%016llx",
		         (unsigned long long)pick(s->certs) + 1);
		if ((rc = db_run(
		         store_db(s->st),
		         "INSERT INTO gov_systems (id, name, agency_id, url, "
		         "cert_serial, created_by, created_at, updated_at) VALUES (?, ?, "
		         "?, ?, ?, 'bench', ?, ?)",
		         "sssssii", id, id, ag, url, serial, s->from, s->from)) < 0 ||
		    (rc = db_run(
		         store_db(s->st),
		         "INSERT INTO gov_probes (system_id, at, ok, matches) VALUES "
		         "(?, ?, 1, 1), (?, ?, ?, ?)",
		         "sisiii", id, s->to - 10 * DAY, id, s->to - DAY,
		         (int64_t)(pick(10) != 0), (int64_t)(pick(10) != 0))) < 0)
			return fail("system", rc);
	}
	for (i = 0; i < s->certs / 300; i++) {
		at = s->from + pick(s->to - s->from);
		snprintf(id, sizeof(id), "i%d", i);
		if ((rc = db_run(
		         store_db(s->st),
		         "INSERT INTO gov_incidents (id, kind, severity, state, title, "
		         "description, reporter, reported_at, notified_at, closed_at, "
		         "updated_at) VALUES (?, ?, ?, ?, 'insiden', 'uraian', 'bench', "
		         "?, ?, ?, ?)",
		         "ssssiiii", id, kinds[i % 4], sev[i % 3], ist[i % 4], at,
		         at + pick(7200), at + pick(30 * DAY), at)) < 0)
			return fail("incident", rc);
	}
	for (i = 0; i < s->certs / 100; i++) {
		at = s->from + pick(s->to - s->from);
		snprintf(id, sizeof(id), "t%d", i);
		nik_of(nik, (int)pick(s->asn));
		if ((rc = db_run(
		         store_db(s->st),
		         "INSERT INTO gov_tickets (id, category, state, subject, "
		         "description, person_nik, created_at, resolved_at, updated_at) "
		         "VALUES (?, ?, ?, 'aduan', 'uraian', ?, ?, ?, ?)",
		         "ssssiii", id, cats[i % 5], tst[i % 5], nik, at,
		         at + pick(5 * DAY), at)) < 0)
			return fail("ticket", rc);
	}
	for (i = 0; i < s->agencies; i++) {
		snprintf(id, sizeof(id), "n%d", i);
		snprintf(ag, sizeof(ag), "a%015d", i);
		if ((rc = db_run(
		         store_db(s->st),
		         "INSERT INTO gov_needs (id, agency_id, year, state, created_by, "
		         "created_at, updated_at) VALUES (?, ?, ?, ?, 'bench', ?, ?)",
		         "ssisii", id, ag, (int64_t)s->year + 1,
		         i % 3 == 0 ? "submitted" : "planned", s->from, s->from)) < 0)
			return fail("need", rc);
	}
	return 0;
}

static int
seed_all(struct store *st, void *arg)
{
	struct seed *s = arg;
	int rc;

	(void)st;
	if ((rc = seed_people(s)) < 0 || (rc = seed_certs(s)) < 0 ||
	    (rc = seed_gov(s)) < 0)
		return rc;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"year", required_argument, NULL, 'y'},
	    {"asn", required_argument, NULL, 'a'},
	    {"agencies", required_argument, NULL, 'g'},
	    {"certs", required_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	struct seed s;
	const char *dir = NULL;
	long long v;
	int c, rc;

	memset(&s, 0, sizeof(s));
	s.asn = 20000;
	s.agencies = 200;
	s.certs = 60000;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			dir = optarg;
			continue;
		}
		if (c == '?' || parse_ll(&v, optarg, 1, c == 'y' ? 9999 : 1000000) < 0) {
			fprintf(stderr,
			        "usage: report-bench-seed --dir DIR --year Y [--asn N] "
			        "[--agencies N] [--certs N]\n");
			return 2;
		}
		if (c == 'y')
			s.year = (int)v;
		else if (c == 'a')
			s.asn = (int)v;
		else if (c == 'g')
			s.agencies = (int)v;
		else
			s.certs = (int)v;
	}
	if (dir == NULL || s.year == 0 || s.agencies > 999 || s.asn > 99999) {
		fprintf(stderr,
		        "report-bench-seed: --dir and --year are required (at most 999 "
		        "agencies, 99999 ASN)\n");
		return 2;
	}
	if ((rc = instance_open(&in, dir)) < 0) {
		fprintf(stderr, "report-bench-seed: %s\n", sertel_errmsg());
		return 2;
	}
	s.st = in->st;
	/* The year in the instance's zone, as the report reads it. */
	{
		int64_t t = 0;
		char d[24];

		snprintf(d, sizeof(d), "%04d-01-01", s.year);
		(void)time_parse(&t, d);
		s.from = t - in->tz.offset;
		snprintf(d, sizeof(d), "%04d-01-01", s.year + 1);
		(void)time_parse(&t, d);
		s.to = t - in->tz.offset;
	}
	if (db_get_text(store_db(s.st), s.issuer, sizeof(s.issuer),
	                "SELECT id FROM issuers WHERE role = ?", "issuing") != 1) {
		fprintf(stderr, "report-bench-seed: no issuing CA in the instance\n");
		instance_close(in);
		return 2;
	}
	rc = store_atomic(s.st, seed_all, &s);
	instance_close(in);
	if (rc < 0) {
		fprintf(stderr, "report-bench-seed: %s\n", sertel_errmsg());
		return 2;
	}
	printf("seeded: %d agencies, %d ASN, %d certificates over %d\n", s.agencies,
	       s.asn, s.certs, s.year);
	return 0;
}
