/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel report annual: the annual evaluation report (Cirebon 23, Denpasar
 * 24) of a calendar year, as a PDF signed by the Kepala Dinas (--nik and
 * --passphrase-file, as `sertel sign pdf`), an unsigned draft (--draft,
 * "DRAF" on every page), or the same figures as JSON or CSV.  The rules
 * (who reads, who signs, the year's range) are src/gov's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "esign/esign.h"
#include "gov/gov.h"

#define REPORT_USAGE                                                                     \
	"report annual --year Y [--format pdf|json|csv] [--out FILE] [--nik NIK "        \
	"--passphrase-file F | --draft] [--as NIK] [--dir DIR] [--json]"

static int
write_out(const char *out, const void *data, size_t len)
{
	if (out == NULL || strcmp(out, "-") == 0)
		return fwrite(data, 1, len, stdout) == len
		           ? 0
		           : sertel_err(SERTEL_EIO, "stdout");
	return file_write(out, data, len, 0644);
}

static int
report_annual(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"year", required_argument, NULL, 'y'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"nik", required_argument, NULL, 'n'},
	    {"passphrase-file", required_argument, NULL, 'P'},
	    {"draft", no_argument, NULL, 'D'},
	    {"as", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = cli_default_dir(), *year_s = NULL, *format = "pdf", *out = NULL,
	           *nik = NULL, *passfile = NULL, *as = NULL;
	struct instance *in = NULL;
	struct gov_report *r = NULL;
	struct gov_report_conf rc_conf;
	struct esign_conf ec;
	struct esign_ctx *ctx = NULL;
	struct esign_error err;
	struct ra_actor who, signer;
	unsigned char *pdf = NULL, *pass = NULL;
	size_t len = 0, plen = 0;
	struct buf csv;
	json_t *j = NULL;
	char id[33] = "", *text = NULL;
	long long year = 0;
	int c, json = 0, draft = 0, rc, ex = 0;

	buf_init(&csv, 64 * 1024 * 1024);
	memset(&ec, 0, sizeof(ec));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'y': year_s = optarg; break;
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'n': nik = optarg; break;
		case 'P': passfile = optarg; break;
		case 'D': draft = 1; break;
		case 'a': as = optarg; break;
		default: return cli_badopt(argv, REPORT_USAGE);
		}
	}
	if (optind != argc)
		return cli_usage("report annual: unexpected argument '%s'", argv[optind]);
	if (year_s == NULL)
		return cli_usage("report annual: --year Y is required (%s)",
		                 REPORT_USAGE);
	if (parse_ll(&year, year_s, 0, 99999) < 0)
		return cli_usage(
		    "report annual: --year '%s': expected a year such as 2026", year_s);
	if (strcmp(format, "pdf") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)
		return cli_usage(
		    "report annual: --format '%s': expected pdf, json or csv", format);
	if (strcmp(format, "pdf") == 0) {
		if (out == NULL || strcmp(out, "-") == 0)
			return cli_usage("report annual: a PDF needs --out FILE");
		if (draft && (nik != NULL || passfile != NULL))
			return cli_usage(
			    "report annual: --draft and --nik/--passphrase-file are "
			    "alternatives");
		if (!draft && (nik == NULL || passfile == NULL))
			return cli_usage(
			    "report annual: the PDF is signed by the Kepala Dinas: --nik "
			    "NIK --passphrase-file F (or --draft for an unsigned draft)");
	} else if (draft || nik != NULL || passfile != NULL) {
		return cli_usage(
		    "report annual: --draft, --nik and --passphrase-file are "
		    "for --format pdf");
	}

	if ((rc = instance_open(&in, dir)) < 0 ||
	    (rc = gov_report_conf_load(&rc_conf, in->cfg)) < 0 ||
	    (rc = cli_actor(&who, in, as)) < 0 ||
	    (rc = gov_report_build(&r, in->st, &who, (int)year, &in->tz,
	                           rc_conf.notify_within)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		if ((rc = gov_report_json(&j, r)) < 0 ||
		    (text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
			ex = cli_fail(rc < 0 ? rc : sertel_err(SERTEL_ENOMEM, "json"));
			goto out;
		}
		if ((rc = write_out(out, text, strlen(text))) < 0 ||
		    (out == NULL && (rc = write_out(NULL, "\n", 1)) < 0))
			ex = cli_fail(rc);
		goto out;
	}
	if (strcmp(format, "csv") == 0) {
		if ((rc = gov_report_csv(&csv, r)) < 0 ||
		    (rc = write_out(out, csv.data, csv.len)) < 0)
			ex = cli_fail(rc);
		goto out;
	}
	if (draft) {
		struct gov_report_doc doc;

		memset(&doc, 0, sizeof(doc));
		doc.org = in->pc.org;
		doc.recipients = rc_conf.recipients;
		doc.draft = 1;
		rc = gov_report_pdf(&pdf, &len, r, &doc);
	} else {
		if ((rc = ra_actor_person(&signer, in->st, nik)) == 0 &&
		    (rc = gov_report_may_sign(&signer)) == 0 &&
		    (rc = sign_read_pass(&pass, &plen, passfile)) == 0 &&
		    (rc = esign_conf_load(&ec, in->cfg, in->pc.base_url)) == 0 &&
		    (rc = esign_ctx_new(&ctx, in, &ec)) == 0) {
			rc = gov_report_sign(&pdf, &len, id, &err, in->st, ctx, &signer,
			                     (const char *)pass, plen, r, in->pc.org,
			                     rc_conf.recipients);
			if (rc < 0 && err.msg[0] != '\0')
				rc = sertel_err(rc, "%s", err.msg);
		}
	}
	if (rc < 0 || (rc = file_write(out, pdf, len, 0644)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (json) {
		j = json_pack("{s:s, s:i, s:b, s:I}", "file", out, "year", (int)year,
		              "signed", !draft, "bytes", (json_int_t)len);
		if (j != NULL && id[0] != '\0') {
			json_object_set_new(j, "id", json_string(id));
			json_object_set_new(j, "url",
			                    json_sprintf("%s/v/%s", ec.base_url, id));
		}
		cli_json_print(j);
		j = NULL;
	} else if (draft) {
		printf("Draf (belum ditandatangani) / unsigned draft: %s\n", out);
	} else {
		printf("Ditandatangani / signed: %s\nTerdaftar / registered: %s/v/%s\n",
		       out, ec.base_url, id);
	}
out:
	if (pass != NULL) {
		secure_wipe(pass, plen);
		free(pass);
	}
	esign_ctx_free(ctx);
	free(pdf);
	free(text);
	json_decref(j);
	buf_free(&csv);
	gov_report_free(r);
	instance_close(in);
	return ex;
}

int
cmd_report(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(argc < 2 ? stderr : stdout, "usage: sertel %s\n", REPORT_USAGE);
		return argc < 2 ? EXIT_ERROR : 0;
	}
	if (strcmp(argv[1], "annual") == 0)
		return report_annual(argc - 1, argv + 1);
	return cli_usage("report: unknown subcommand '%s' (%s)", argv[1], REPORT_USAGE);
}
