/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/portal's data: agencies, applicants and applications in mixed
 * states with their letters, and logged-in operator sessions, made through
 * the same src/ra and src/portal functions the CLI, the API and the portal
 * call (ra_person_add, ra_person_appoint, ra_apply with the files in one
 * transaction, ra_submit, ra_return, ra_reject, ra_approve,
 * portal_session_start), so every row, blob and audit entry is what a real
 * office would have.  No SQL of its own.
 *
 *   portal-bench-seed --dir INSTANCE --kadis NIK --operator NIK --pdf FILE
 *                     --png FILE --out DIR [--apps N] [--sessions N]
 *                     [--agencies N]
 *
 * The operator (--operator) holds a certificate of their own (Cirebon
 * 20(1)) and makes every decision; the Kepala Dinas (--kadis) registers the
 * people and appoints the session operators.  Written to DIR: ids (every
 * application id), cookies (one session id per line, the value of the
 * portal's session cookie), agency (one agency id, for the filter).
 * The sessions are started with portal_session_start, the function the
 * one-time link's last step calls, not through mailed links: a bench, not
 * a test of the login (tests/portal does that through a real SMTP server).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance/instance.h"
#include "portal/portal.h"
#include "ra/ra.h"

#define SEED_MAX_APPS     90000 /* 9,000 applicants: 4 NIK sequence digits */
#define SEED_MAX_SESSIONS 1000
#define SEED_MAX_AGENCIES 9
/* Applications per applicant: an office's people apply again (renewals,
 * a second position, systems). */
#define SEED_PER_PERSON 10

struct seed {
	struct instance *in;
	struct ra_actor admin, kadis, op;
	unsigned char *pdf, *png;
	size_t pdf_len, png_len;
	char agency_ids[SEED_MAX_AGENCIES][17];
	char domains[SEED_MAX_AGENCIES][64];
	int agencies;
	FILE *ids;
};

/* The NIK of person k (0-based) of series yy: 327401 0101 YY NNNN. */
static void
seed_nik(char out[17], const char *yy, int k)
{
	snprintf(out, 17, "3274010101%.2s%04u", yy, (unsigned)(k + 1) % 10000u);
}

static int
seed_fail(const char *what, int rc)
{
	fprintf(stderr, "portal-bench-seed: %s: %s\n", what, sertel_errmsg());
	return rc < 0 ? rc : SERTEL_EINVAL;
}

static int
seed_agencies(struct seed *s)
{
	static const char *const names[SEED_MAX_AGENCIES] = {
	    "Dinas Komunikasi dan Informatika",
	    "Dinas Kesehatan",
	    "Dinas Pendidikan",
	    "Badan Kepegawaian Daerah",
	    "Dinas Perhubungan",
	    "Badan Pendapatan Daerah",
	    "Dinas Sosial",
	    "Inspektorat",
	    "Sekretariat Daerah"};
	struct ra_agency ag;
	int i, rc;

	for (i = 0; i < s->agencies; i++) {
		snprintf(s->domains[i], sizeof(s->domains[i]), "pd%d.bench.go.id", i + 1);
		if ((rc = ra_agency_add(&ag, s->in->st, &s->admin, names[i],
		                        s->domains[i])) < 0)
			return seed_fail("agency add", rc);
		str_copy(s->agency_ids[i], sizeof(s->agency_ids[i]), ag.id);
	}
	return 0;
}

/* Person k (0-based) of series yy (seed_nik). */
static int
seed_person(struct seed *s, const char *yy, int k, unsigned roles, const char *label)
{
	struct ra_person p;
	int ag = k % s->agencies, rc;

	memset(&p, 0, sizeof(p));
	seed_nik(p.nik, yy, k);
	snprintf(p.name, sizeof(p.name), "%s %d", label, k + 1);
	snprintf(p.email, sizeof(p.email), "%s%d@%s", label, k + 1, s->domains[ag]);
	for (char *c = p.email; *c != '\0'; c++)
		if (*c == ' ')
			*c = '.';
	str_copy(p.position, sizeof(p.position), "Kepala Seksi Pelayanan");
	str_copy(p.agency_id, sizeof(p.agency_id), s->agency_ids[ag]);
	p.roles = roles;
	if ((rc = ra_person_add(s->in->st, &s->kadis, &p)) < 0)
		return seed_fail("person add", rc);
	return 0;
}

/* Application i of applicant k: the type and the final state follow i,
 * so the mix is the same on every run: 10% draft, 10% returned, 10%
 * rejected, 10% approved, 60% waiting in the queue. */
static int
seed_app(struct seed *s, int i)
{
	static const char *const types[] = {"individu", "jabatan", "sistem"};
	const char *type = types[i % 3], *const * req, *const * uses;
	struct ra_apply_req rq;
	struct ra_application a;
	struct ra_actor who;
	struct ra_file files[8];
	char nik[17], dns[96], sysname[64], review[1024];
	int k = i / SEED_PER_PERSON, n, j, nu, approved = 0, rc;

	memset(&rq, 0, sizeof(rq));
	seed_nik(nik, "70", k);
	/* The applicant applies and submits; the operator decides. */
	if ((rc = ra_actor_person(&who, s->in->st, nik)) < 0)
		return seed_fail("applicant", rc);
	rq.type = type;
	uses = ra_usage_choices(type, &nu);
	rq.usages = uses[i % nu];
	if (i % 3 == 2) {
		snprintf(dns, sizeof(dns), "layanan%d.%s", i,
		         s->domains[k % s->agencies]);
		snprintf(sysname, sizeof(sysname), "Sistem Layanan %d", i);
		rq.dns[0] = dns;
		rq.ndns = 1;
		rq.system_name = sysname;
		rq.system_details = "Aplikasi layanan publik berbasis web";
	}
	req = ra_required_attachments(type, &n);
	for (j = 0; j < n && j < 8; j++) {
		int img = strcmp(req[j], "ktp") == 0;

		files[j].kind = req[j];
		files[j].data = img ? s->png : s->pdf;
		files[j].len = img ? s->png_len : s->pdf_len;
		files[j].filename = img ? "ktp.png" : "surat.pdf";
	}
	rq.files = files;
	rq.nfiles = j;
	if ((rc = ra_apply(&a, s->in->st, &who, &rq,
	                   ra_approvals_needed(s->in->cfg, type))) < 0)
		return seed_fail("apply", rc);
	fprintf(s->ids, "%s\n", a.id);
	if (i % 10 == 0)
		return 0;
	if ((rc = ra_submit(s->in->st, &who, a.id)) < 0)
		return seed_fail("submit", rc);
	switch (i % 10) {
	case 1:
		rc = ra_return(s->in->st, &s->op, a.id,
		               "Surat pengantar belum ditandatangani kepala");
		break;
	case 2:
		rc = ra_reject(s->in->st, &s->op, a.id,
		               "Pemohon bukan pegawai perangkat daerah ini");
		break;
	case 3:
		if ((rc = ra_needs_review(review, sizeof(review), &a)) < 0)
			break;
		rc = ra_approve(s->in->st, &s->op, a.id, NULL, review[0] ? review : NULL,
		                &approved);
		break;
	default: rc = 0;
	}
	if (rc < 0)
		return seed_fail("decision", rc);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {{"dir", required_argument, NULL, 'd'},
	                                     {"kadis", required_argument, NULL, 'k'},
	                                     {"operator", required_argument, NULL, 'o'},
	                                     {"pdf", required_argument, NULL, 'p'},
	                                     {"png", required_argument, NULL, 'g'},
	                                     {"out", required_argument, NULL, 'O'},
	                                     {"apps", required_argument, NULL, 'n'},
	                                     {"sessions", required_argument, NULL, 's'},
	                                     {"agencies", required_argument, NULL, 'a'},
	                                     {NULL, 0, NULL, 0}};
	const char *dir = NULL, *kadis = NULL, *op = NULL, *pdf = NULL, *png = NULL,
	           *out = NULL;
	long long apps = 10000, sessions = 50, agencies = 5, v;
	struct seed s;
	struct portal_conf pc;
	struct portal_session ps;
	char path[1200], sid[PORTAL_ID_HEX + 1];
	FILE *f = NULL;
	int c, i, rc = 1;

	memset(&s, 0, sizeof(s));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'k': kadis = optarg; break;
		case 'o': op = optarg; break;
		case 'p': pdf = optarg; break;
		case 'g': png = optarg; break;
		case 'O': out = optarg; break;
		case 'n':
		case 's':
		case 'a':
			if (parse_ll(&v, optarg, 1,
			             c == 'n'   ? SEED_MAX_APPS
			             : c == 's' ? SEED_MAX_SESSIONS
			                        : SEED_MAX_AGENCIES) < 0) {
				fprintf(stderr, "portal-bench-seed: --%s: %s\n",
				        c == 'n'   ? "apps"
				        : c == 's' ? "sessions"
				                   : "agencies",
				        sertel_errmsg());
				return 2;
			}
			*(c == 'n' ? &apps : c == 's' ? &sessions : &agencies) = v;
			break;
		default: return 2;
		}
	}
	if (!dir || !kadis || !op || !pdf || !png || !out || optind != argc) {
		fprintf(stderr, "usage: portal-bench-seed --dir D --kadis NIK --operator "
		                "NIK --pdf F --png F --out DIR [--apps N] [--sessions "
		                "N] [--agencies N]\n");
		return 2;
	}
	s.agencies = (int)agencies;
	if (instance_open(&s.in, dir) < 0 ||
	    file_read(&s.pdf, &s.pdf_len, pdf, RA_ATTACH_MAX) < 0 ||
	    file_read(&s.png, &s.png_len, png, RA_ATTACH_MAX) < 0 ||
	    ra_actor_person(&s.kadis, s.in->st, kadis) < 0 ||
	    ra_actor_person(&s.op, s.in->st, op) < 0 ||
	    portal_conf_load(&pc, s.in->cfg, "http://127.0.0.1/portal") < 0) {
		seed_fail("open", -1);
		goto out;
	}
	ra_actor_local(&s.admin, "cli:bench");
	snprintf(path, sizeof(path), "%s/ids", out);
	if ((s.ids = fopen(path, "w")) == NULL) {
		fprintf(stderr, "portal-bench-seed: %s: cannot write\n", path);
		goto out;
	}
	if (seed_agencies(&s) < 0)
		goto out;
	for (i = 0; i < (apps + SEED_PER_PERSON - 1) / SEED_PER_PERSON; i++)
		if (seed_person(&s, "70", i, ROLE_PEMOHON, "pemohon") < 0)
			goto out;
	/* The session holders: operators the Kepala Dinas appointed. */
	for (i = 0; i < sessions; i++)
		if (seed_person(&s, "60", i, ROLE_PEMOHON, "operator") < 0)
			goto out;
	for (i = 0; i < apps; i++) {
		if (seed_app(&s, i) < 0)
			goto out;
		if ((i + 1) % 1000 == 0)
			fprintf(stderr, "portal-bench-seed: %d applications\n", i + 1);
	}
	snprintf(path, sizeof(path), "%s/cookies", out);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "portal-bench-seed: %s: cannot write\n", path);
		goto out;
	}
	for (i = 0; i < sessions; i++) {
		char nik[17];

		seed_nik(nik, "60", i);
		if (ra_person_appoint(s.in->st, &s.kadis, nik, ROLE_OPERATOR) < 0 ||
		    portal_session_start(sid, &ps, s.in->st, &pc, nik, PORTAL_BY_LINK,
		                         NULL, "127.0.0.1") < 0) {
			seed_fail("session", -1);
			goto out;
		}
		fprintf(f, "%s\n", sid);
		secure_wipe(sid, sizeof(sid));
	}
	snprintf(path, sizeof(path), "%s/agency", out);
	fclose(f);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "portal-bench-seed: %s: cannot write\n", path);
		goto out;
	}
	fprintf(f, "%s\n", s.agency_ids[0]);
	rc = 0;
out:
	if (f != NULL && fclose(f) != 0)
		rc = 1;
	if (s.ids != NULL && fclose(s.ids) != 0)
		rc = 1;
	free(s.pdf);
	free(s.png);
	instance_close(s.in);
	return rc;
}
