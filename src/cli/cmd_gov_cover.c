/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel gov staff import | headcount | missing
 * sertel gov coverage show
 * sertel gov system add | update | retire | activate | list | show | probe
 *
 * Coverage of ASN and the register of electronic systems (issue 13,
 * src/gov/staff.c, coverage.c, systems.c).  Every subcommand takes --dir,
 * --json and --as NIK (without it: the local administrator); those that
 * change something take --reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gov/gov.h"

/* The options every subcommand of the three areas reads; to[] below. */
enum {
	O_DIR,
	O_JSON,
	O_AS,
	O_REASON,
	O_FILE,
	O_AGENCY,
	O_COUNT,
	O_LIMIT,
	O_DAYS,
	O_AT,
	O_NAME,
	O_URL,
	O_PURPOSE,
	O_CERT,
	O_N
};

static const struct option cover_opts[] = {
    {"dir", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, 'j'},
    {"as", required_argument, NULL, 'a'},
    {"reason", required_argument, NULL, 'r'},
    {"file", required_argument, NULL, 'f'},
    {"agency", required_argument, NULL, 'g'},
    {"count", required_argument, NULL, 'c'},
    {"limit", required_argument, NULL, 'l'},
    {"days", required_argument, NULL, 'D'},
    {"at", required_argument, NULL, 't'},
    {"name", required_argument, NULL, 'n'},
    {"url", required_argument, NULL, 'u'},
    {"purpose", required_argument, NULL, 'p'},
    {"cert", required_argument, NULL, 'C'},
    {NULL, 0, NULL, 0},
};

struct cover_cli {
	const char *v[O_N];
	struct instance *in;
	struct ra_actor who;
	const char *id; /* the positional argument (a system's id) */
};

/* Parses the options of `AREA SUB ...` (argv[0] = AREA), opens the
 * instance and the actor.  0, or the exit code after the error. */
static int
cover_open(struct cover_cli *c, int argc, char **argv, const char *usage)
{
	const char **const to[O_N] = {&c->v[O_DIR],     &c->v[O_JSON],  &c->v[O_AS],
	                              &c->v[O_REASON],  &c->v[O_FILE],  &c->v[O_AGENCY],
	                              &c->v[O_COUNT],   &c->v[O_LIMIT], &c->v[O_DAYS],
	                              &c->v[O_AT],      &c->v[O_NAME],  &c->v[O_URL],
	                              &c->v[O_PURPOSE], &c->v[O_CERT]};
	int rc;

	memset(c, 0, sizeof(*c));
	c->v[O_DIR] = cli_default_dir();
	argc--;
	argv++;
	cli_take_arg(&c->id, &argc, argv, cover_opts);
	if ((rc = cli_options(argc, argv, cover_opts, to, argv[0], usage)) != 0)
		return rc;
	if ((rc = instance_open(&c->in, c->v[O_DIR])) < 0)
		return cli_fail(rc);
	if ((rc = cli_actor(&c->who, c->in, c->v[O_AS])) < 0) {
		instance_close(c->in);
		c->in = NULL;
		return cli_fail(rc);
	}
	return 0;
}

static int
cover_done(struct cover_cli *c, int rc)
{
	int ex = rc < 0 ? cli_fail(rc) : 0;

	instance_close(c->in);
	return ex;
}

static int
cover_int(long long *out, const char *v, const char *what, long long min, long long max)
{
	if (parse_ll(out, v, min, max) < 0)
		return sertel_err(SERTEL_EINVAL, "%s '%s': a number from %lld to %lld",
		                  what, v, min, max);
	return 0;
}

/* ---- staff --------------------------------------------------------------- */
static int
missing_print(const struct gov_missing *m, void *arg)
{
	json_t *arr = arg;

	if (arr != NULL) {
		json_t *j = json_object();

		json_object_set_new(j, "name", json_string(m->name));
		json_object_set_new(j, "nip", json_string(m->nip));
		json_object_set_new(j, "position", json_string(m->position));
		json_array_append_new(arr, j);
	} else {
		printf("%-18s %-40s %s\n", m->nip[0] ? m->nip : "-", m->name,
		       m->position);
	}
	return 0;
}

int
cmd_gov_staff(int argc, char **argv)
{
	static const char usage[] =
	    "gov staff import --file CSV --reason R | headcount --agency A --count N "
	    "--reason R | missing --agency A [--limit N] [--at TIME]";
	struct gov_staff_result *res = NULL;
	struct cover_cli c;
	unsigned char *csv = NULL;
	size_t len = 0, max;
	long long n = 0;
	int64_t at;
	json_t *arr = NULL;
	int rc, i;

	if (argc < 2)
		return cli_usage("%s", usage);
	if ((rc = cover_open(&c, argc, argv, usage)) != 0)
		return rc;
	max = (size_t)config_get_int(c.in->cfg, "governance", "staff_csv_max",
	                             GOV_STAFF_CSV_MAX);
	if (strcmp(argv[1], "import") == 0) {
		if (c.v[O_FILE] == NULL) {
			instance_close(c.in);
			return cli_usage("gov staff import: --file CSV is required");
		}
		/* One byte over the limit is read, so the rule decides. */
		if ((rc = file_read(&csv, &len, c.v[O_FILE], max + 1)) < 0)
			goto out;
		if ((res = calloc(1, sizeof(*res))) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		rc = gov_staff_import(res, c.in->st, &c.who, (const char *)csv, len, max,
		                      c.v[O_REASON]);
		if (c.v[O_JSON] != NULL && (rc == 0 || res->nerrors > 0))
			cli_json_print(gov_staff_result_json(res));
		else if (rc == 0)
			printf("Impor pegawai / staff imported: %lld baris, %d perangkat "
			       "daerah; "
			       "tambah %lld, hapus %lld, ubah %lld\n",
			       (long long)res->rows, res->agencies, (long long)res->added,
			       (long long)res->removed, (long long)res->changed);
		else
			for (i = 0; i < res->nerrors && i < GOV_STAFF_ERRORS; i++)
				printf("baris %ld: %s\n", res->errors[i].line,
				       res->errors[i].reason);
	} else if (strcmp(argv[1], "headcount") == 0) {
		if (c.v[O_AGENCY] == NULL || c.v[O_COUNT] == NULL) {
			instance_close(c.in);
			return cli_usage("gov staff headcount: --agency and --count are "
			                 "required");
		}
		if ((rc = cover_int(&n, c.v[O_COUNT], "--count", 0, GOV_HEADCOUNT_MAX)) <
		        0 ||
		    (rc = gov_headcount_set(c.in->st, &c.who, c.v[O_AGENCY], n,
		                            c.v[O_REASON])) < 0)
			goto out;
		if (c.v[O_JSON] != NULL) {
			json_t *j = json_object();

			json_object_set_new(j, "agency", json_string(c.v[O_AGENCY]));
			json_object_set_new(j, "headcount", json_integer(n));
			cli_json_print(j);
		} else {
			printf("Jumlah ASN dicatat / headcount recorded: %lld\n", n);
		}
	} else if (strcmp(argv[1], "missing") == 0) {
		struct ra_agency ag;

		if (c.v[O_AGENCY] == NULL) {
			instance_close(c.in);
			return cli_usage("gov staff missing: --agency is required");
		}
		at = time_now();
		n = 0;
		if ((c.v[O_AT] != NULL && (rc = time_parse(&at, c.v[O_AT])) < 0) ||
		    (c.v[O_LIMIT] != NULL &&
		     (rc = cover_int(&n, c.v[O_LIMIT], "--limit", 1, 100000)) < 0) ||
		    (rc = ra_agency_get(&ag, c.in->st, c.v[O_AGENCY])) < 0)
			goto out;
		if (c.v[O_JSON] != NULL)
			arr = json_array();
		if ((rc = gov_missing_iter(c.in->st, &c.who, ag.id, at, (int)n,
		                           missing_print, arr)) < 0)
			goto out;
		if (arr != NULL) {
			cli_json_print(arr);
			arr = NULL;
		}
	} else {
		instance_close(c.in);
		return cli_usage("gov staff: unknown subcommand '%s' (%s)", argv[1],
		                 usage);
	}
out:
	json_decref(arr);
	free(csv);
	free(res);
	return cover_done(&c, rc);
}

/* ---- coverage -------------------------------------------------------------- */
static void
share_print(const char *what, json_t *j)
{
	long long bp = json_integer_value(json_object_get(j, "share_bp"));

	printf("%-40s %8lld %8lld %4lld.%02lld%%\n", what,
	       json_integer_value(json_object_get(j, "headcount")),
	       json_integer_value(json_object_get(j, "holders")), bp / 100, bp % 100);
}

int
cmd_gov_coverage(int argc, char **argv)
{
	static const char usage[] =
	    "gov coverage show [--agency A] [--days N] [--at TIME]";
	struct cover_cli c;
	struct ra_agency ag;
	json_t *j = NULL, *v;
	long long days;
	int64_t at;
	size_t i;
	int rc;

	if (argc < 2)
		return cli_usage("%s", usage);
	if (strcmp(argv[1], "show") != 0)
		return cli_usage("gov coverage: unknown subcommand '%s' (%s)", argv[1],
		                 usage);
	if ((rc = cover_open(&c, argc, argv, usage)) != 0)
		return rc;
	days =
	    config_get_int(c.in->cfg, "governance", "expiring_days", GOV_EXPIRING_DAYS);
	at = time_now();
	if ((c.v[O_DAYS] != NULL &&
	     (rc = cover_int(&days, c.v[O_DAYS], "--days", 1, 3650)) < 0) ||
	    (c.v[O_AT] != NULL && (rc = time_parse(&at, c.v[O_AT])) < 0) ||
	    (c.v[O_AGENCY] != NULL &&
	     (rc = ra_agency_get(&ag, c.in->st, c.v[O_AGENCY])) < 0) ||
	    (rc = gov_cover_report(&j, c.in->st, &c.who, at, &c.in->tz, (int)days,
	                           c.v[O_AGENCY] != NULL ? ag.id : NULL)) < 0)
		return cover_done(&c, rc);
	if (c.v[O_JSON] != NULL) {
		cli_json_print(j);
		return cover_done(&c, 0);
	}
	printf("%-40s %8s %8s %8s\n", "Perangkat daerah / agency", "ASN", "pemegang",
	       "cakupan");
	json_array_foreach(json_object_get(j, "agencies"), i, v)
	{
		char name[80];

		snprintf(name, sizeof(name), "%s%.38s",
		         json_is_true(json_object_get(v, "in_scope")) ? "*" : " ",
		         json_string_value(json_object_get(v, "name")));
		share_print(name, v);
	}
	share_print(" Wilayah / region", json_object_get(j, "region"));
	printf("\n%-40s %8s %8s %8s\n", "Jenis, penggunaan / type, usage", "berlaku",
	       "kedaluw.", "dicabut");
	json_array_foreach(json_object_get(j, "certs"), i, v)
	{
		char what[80];

		snprintf(what, sizeof(what), "%s %.30s",
		         json_string_value(json_object_get(v, "type")),
		         json_string_value(json_object_get(v, "usages")));
		printf("%-40s %8lld %8lld %8lld\n", what,
		       json_integer_value(json_object_get(v, "valid")),
		       json_integer_value(json_object_get(v, "expired")),
		       json_integer_value(json_object_get(v, "revoked")));
	}
	printf("\n%-40s %8s %8s   (%lld hari / days)\n", "Perangkat daerah / agency",
	       "segera", "kedaluw.", days);
	json_array_foreach(json_object_get(j, "expiry"), i, v) printf(
	    "%-40.40s %8lld %8lld\n", json_string_value(json_object_get(v, "name")),
	    json_integer_value(json_object_get(v, "expiring")),
	    json_integer_value(json_object_get(v, "expired")));
	json_decref(j);
	return cover_done(&c, 0);
}

/* ---- systems ------------------------------------------------------------- */
static int
system_print(const struct gov_system *s, void *arg)
{
	json_t *arr = arg;

	if (arr != NULL)
		json_array_append_new(arr, gov_system_json(s));
	else
		printf("%s  %-8s %-30.30s %-30.30s %s\n", s->id,
		       gov_system_state_name(s->state), s->name, s->agency_name, s->url);
	return 0;
}

static int
probe_print(const struct gov_probe *p, void *arg)
{
	json_t *arr = arg;
	char t[32];

	if (arr != NULL) {
		json_array_append_new(arr, gov_probe_json(p));
		return 0;
	}
	time_fmt(t, p->at);
	printf("%s %-8s ok=%d cocok/matches=%d rantai/chain=%d nama/name=%d HTTP %d %s\n",
	       t, p->via, p->ok, p->matches, p->chain_ok, p->name_ok, p->http_status,
	       p->serial[0] ? p->serial : "-");
	if (p->error[0])
		printf("    %s\n", p->error);
	return 0;
}

int
cmd_gov_system(int argc, char **argv)
{
	static const char usage[] =
	    "gov system add --name N --agency A --url https://HOST[:PORT][/path] "
	    "[--purpose P] [--cert SERIAL] --reason R | update ID [same] --reason R | "
	    "retire ID --reason R | activate ID --reason R | list [--agency A] | "
	    "show ID [--limit N] | probe ID";
	struct gov_system_req rq;
	struct gov_system sys;
	struct gov_probe p;
	struct gov_probe_opts o;
	struct cover_cli c;
	struct ra_agency ag;
	const char *sub;
	char warn[300] = "";
	long long n = 0;
	json_t *arr = NULL;
	int rc = 0;

	if (argc < 2)
		return cli_usage("%s", usage);
	sub = argv[1];
	if ((rc = cover_open(&c, argc, argv, usage)) != 0)
		return rc;
	if (strcmp(sub, "list") != 0 && strcmp(sub, "add") != 0 && c.id == NULL) {
		instance_close(c.in);
		return cli_usage("gov system %s: the system's ID is required", sub);
	}
	memset(&rq, 0, sizeof(rq));
	rq.name = c.v[O_NAME];
	rq.agency_id = c.v[O_AGENCY];
	rq.url = c.v[O_URL];
	rq.purpose = c.v[O_PURPOSE];
	rq.cert_serial = c.v[O_CERT];
	if (strcmp(sub, "add") == 0 || strcmp(sub, "update") == 0) {
		if ((rc = gov_system_save(&sys, warn, sizeof(warn), c.in->st, &c.who,
		                          strcmp(sub, "add") == 0 ? NULL : c.id, &rq,
		                          c.v[O_REASON])) < 0)
			goto out;
		if (warn[0] != '\0')
			fprintf(stderr, "sertel: peringatan / warning: %s\n", warn);
		if (c.v[O_JSON] != NULL) {
			json_t *j = gov_system_json(&sys);

			json_object_set_new(j, "warning",
			                    warn[0] ? json_string(warn) : json_null());
			cli_json_print(j);
		} else {
			printf("Sistem elektronik %s / system saved: %s\n",
			       strcmp(sub, "add") == 0 ? "terdaftar" : "diubah", sys.id);
		}
	} else if (strcmp(sub, "retire") == 0 || strcmp(sub, "activate") == 0) {
		if ((rc = gov_system_set_state(c.in->st, &c.who, c.id,
		                               sub[0] == 'r' ? GOV_SYSTEM_RETIRED
		                                             : GOV_SYSTEM_ACTIVE,
		                               c.v[O_REASON])) < 0 ||
		    (rc = gov_system_get(&sys, c.in->st, &c.who, c.id)) < 0)
			goto out;
		if (c.v[O_JSON] != NULL)
			cli_json_print(gov_system_json(&sys));
		else
			printf("Sistem %s: %s\n", sys.id,
			       gov_system_state_name(sys.state));
	} else if (strcmp(sub, "list") == 0) {
		if (c.v[O_AGENCY] != NULL &&
		    (rc = ra_agency_get(&ag, c.in->st, c.v[O_AGENCY])) < 0)
			goto out;
		if (c.v[O_JSON] != NULL)
			arr = json_array();
		if ((rc = gov_system_iter(c.in->st, &c.who, c.v[O_AGENCY] ? ag.id : NULL,
		                          system_print, arr)) < 0)
			goto out;
		if (arr != NULL) {
			cli_json_print(arr);
			arr = NULL;
		}
	} else if (strcmp(sub, "show") == 0) {
		if ((c.v[O_LIMIT] != NULL &&
		     (rc = cover_int(&n, c.v[O_LIMIT], "--limit", 1, 1000)) < 0) ||
		    (rc = gov_system_get(&sys, c.in->st, &c.who, c.id)) < 0)
			goto out;
		if (c.v[O_JSON] != NULL)
			arr = json_array();
		else
			system_print(&sys, NULL);
		if ((rc = gov_probe_iter(c.in->st, &c.who, c.id, (int)n, probe_print,
		                         arr)) < 0)
			goto out;
		if (arr != NULL) {
			json_t *j = gov_system_json(&sys);

			json_object_set_new(j, "probes", arr);
			arr = NULL;
			cli_json_print(j);
		}
	} else if (strcmp(sub, "probe") == 0) {
		gov_probe_opts_load(&o, c.in->cfg);
		if ((rc = gov_system_probe(&p, c.in->st, &c.who, c.id, &o)) < 0)
			goto out;
		if (c.v[O_JSON] != NULL)
			cli_json_print(gov_probe_json(&p));
		else
			probe_print(&p, NULL);
	} else {
		instance_close(c.in);
		return cli_usage("gov system: unknown subcommand '%s' (%s)", sub, usage);
	}
out:
	json_decref(arr);
	return cover_done(&c, rc);
}
