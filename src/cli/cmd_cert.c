/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel cert issue | list | show | revoke
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ra/ra.h"

static int
cert_issue(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"csr", required_argument, NULL, 'c'},
	    {"type", required_argument, NULL, 't'},
	    {"usage", required_argument, NULL, 'u'},
	    {"cn", required_argument, NULL, 'n'},
	    {"email", required_argument, NULL, 'e'},
	    {"ou", required_argument, NULL, 'o'},
	    {"title", required_argument, NULL, 'T'},
	    {"dns", required_argument, NULL, 'D'},
	    {"ip", required_argument, NULL, 'I'},
	    {"nik", required_argument, NULL, 'k'},
	    {"reason", required_argument, NULL, 'r'},
	    {"out", required_argument, NULL, 'O'},
	    {NULL, 0, NULL, 0},
	};
	struct issue_req rq = {0};
	struct instance *in = NULL;
	struct issuer *is = NULL;
	struct cert_rec rec = {0};
	struct ra_person person;
	const char *dir = cli_default_dir(), *csr = NULL, *out = NULL;
	unsigned char *csrdata = NULL;
	size_t csrlen = 0;
	char actor[128], *pem = NULL;
	int c, json = 0, rc, ex = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'c': csr = optarg; break;
		case 't': rq.type = optarg; break;
		case 'u': rq.usages = optarg; break;
		case 'n': rq.cn = optarg; break;
		case 'e': rq.email = optarg; break;
		case 'o': rq.ou = optarg; break;
		case 'T': rq.title = optarg; break;
		case 'D':
			if (rq.ndns >= ISSUE_MAX_NAMES)
				return cli_usage("cert issue: at most %d --dns",
				                 ISSUE_MAX_NAMES);
			rq.dns[rq.ndns++] = optarg;
			break;
		case 'I':
			if (rq.nip >= ISSUE_MAX_NAMES)
				return cli_usage("cert issue: at most %d --ip",
				                 ISSUE_MAX_NAMES);
			rq.ip[rq.nip++] = optarg;
			break;
		case 'k': rq.nik = optarg; break;
		case 'r': rq.reason = optarg; break;
		case 'O': out = optarg; break;
		default:
			return cli_badopt(argv,
			                  "cert issue: see 'sertel cert issue --csr FILE "
			                  "--type T --usage U[,U...] --cn NAME ...'");
		}
	}
	if (optind != argc)
		return cli_usage("cert issue: unexpected argument '%s'", argv[optind]);
	if (csr == NULL)
		return cli_usage("cert issue: --csr FILE is required");
	if (rq.type == NULL)
		return cli_usage(
		    "cert issue: --type individu|jabatan|sistem is required");
	if (rq.usages == NULL)
		return cli_usage("cert issue: --usage is required");
	if (rq.cn == NULL)
		return cli_usage("cert issue: --cn NAME is required");
	if ((rc = file_read(&csrdata, &csrlen, csr, SERTEL_MAX_CSR)) < 0)
		return cli_fail(rc);
	rq.csr = csrdata;
	rq.csr_len = csrlen;
	instance_cli_actor(actor, sizeof(actor));
	rq.actor = actor;
	if ((rc = instance_open(&in, dir)) < 0 ||
	    (rq.nik != NULL && (rc = ra_person_get(&person, in->st, rq.nik)) < 0) ||
	    (rc = issuer_open(&is, in, NULL)) < 0 ||
	    (rc = issuer_issue(&rec, is, in->st, &rq)) < 0 ||
	    (rc = pem_from_der(&pem, rec.der, rec.der_len, "CERTIFICATE")) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (out != NULL && (rc = file_write(out, pem, strlen(pem), 0644)) < 0) {
		/* The certificate is issued and stored; say so, then fail. */
		fprintf(stderr, "sertel: certificate %s issued but not written: %s\n",
		        rec.serial, sertel_errmsg());
		ex = EXIT_ERROR;
		goto out;
	}
	if (json)
		cli_json_print(http_cert_json(&rec, 1));
	else if (out != NULL)
		printf("Sertifikat diterbitkan / certificate issued: serial %s -> %s\n",
		       rec.serial, out);
	else
		fputs(pem, stdout);
out:
	free(pem);
	cert_rec_free(&rec);
	issuer_free(is);
	instance_close(in);
	free(csrdata);
	return ex;
}

struct list_ctx {
	json_t *arr;
};

static int
list_one(const struct cert_rec *r, void *arg)
{
	struct list_ctx *lc = arg;
	char na[32];

	if (lc->arr != NULL) {
		json_array_append_new(lc->arr, http_cert_json(r, 0));
		return 0;
	}
	time_fmt(na, r->not_after);
	printf("%s  %-8s %-9s %s  %s\n", r->serial,
	       cert_status_name(cert_rec_status(r, time_now())), r->type, na, r->subject);
	return 0;
}

static int
cert_list(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"status", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	struct list_ctx lc = {NULL};
	const char *dir = cli_default_dir(), *status = NULL;
	int c, json = 0, rc, st = -1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 's': status = optarg; break;
		default:
			return cli_badopt(
			    argv, "cert list: [--status valid|revoked|expired] [--json]");
		}
	}
	if (optind != argc)
		return cli_usage("cert list: unexpected argument '%s'", argv[optind]);
	if (status != NULL) {
		if (strcmp(status, "valid") == 0)
			st = CERT_VALID;
		else if (strcmp(status, "revoked") == 0)
			st = CERT_REVOKED;
		else if (strcmp(status, "expired") == 0)
			st = CERT_EXPIRED;
		else
			return cli_usage("cert list: --status '%s': expected valid, "
			                 "revoked or expired",
			                 status);
	}
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if (json)
		lc.arr = json_array();
	rc = store_cert_iter(in->st, st, time_now(), list_one, &lc);
	instance_close(in);
	if (rc < 0) {
		json_decref(lc.arr);
		return cli_fail(rc);
	}
	if (json)
		cli_json_print(lc.arr);
	return 0;
}

static int
cert_show(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	struct cert_rec rec = {0};
	const char *dir = cli_default_dir();
	char serial[SERIAL_HEX_MAX + 1], nb[32], na[32], *pem = NULL;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		default: return cli_badopt(argv, "cert show: SERIAL [--json]");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("cert show: exactly one SERIAL");
	if ((rc = serial_normalise(serial, NULL, argv[optind])) < 0)
		return cli_fail(rc);
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	rc = store_cert_get(in->st, serial, &rec);
	instance_close(in);
	if (rc < 0)
		return cli_fail(rc);
	if (json) {
		cli_json_print(http_cert_json(&rec, 1));
	} else {
		time_fmt(nb, rec.not_before);
		time_fmt(na, rec.not_after);
		printf("Serial:     %s\nStatus:     %s\nJenis/type: %s\nPenggunaan: %s\n"
		       "Subjek:     %s\nBerlaku:    %s .. %s\n",
		       rec.serial, cert_status_name(cert_rec_status(&rec, time_now())),
		       rec.type, rec.usages, rec.subject, nb, na);
		if (rec.email[0])
			printf("E-mail:     %s\n", rec.email);
		if (rec.sans[0])
			printf("Nama:       %s\n", rec.sans);
		if (rec.revoked) {
			time_fmt(nb, rec.revoked_at);
			printf("Dicabut:    %s (%s)\n", nb,
			       revoke_reason_name(rec.reason));
		}
		if (pem_from_der(&pem, rec.der, rec.der_len, "CERTIFICATE") == 0)
			fputs(pem, stdout);
		free(pem);
	}
	cert_rec_free(&rec);
	return 0;
}

static int
cert_revoke(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"reason", required_argument, NULL, 'r'},
	    {"note", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	struct issuer *is = NULL;
	const char *dir = cli_default_dir(), *reason = NULL, *note = "";
	char serial[SERIAL_HEX_MAX + 1], actor[128];
	int c, json = 0, rc, code;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'r': reason = optarg; break;
		case 'n': note = optarg; break;
		default:
			return cli_badopt(argv,
			                  "cert revoke: SERIAL --reason R [--note TEXT]");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("cert revoke: exactly one SERIAL");
	if (reason == NULL)
		return cli_usage("cert revoke: --reason is required (RFC 5280 reason)");
	if ((rc = serial_normalise(serial, NULL, argv[optind])) < 0 ||
	    (rc = revoke_reason_parse(&code, reason)) < 0)
		return cli_fail(rc);
	instance_cli_actor(actor, sizeof(actor));
	if ((rc = instance_open(&in, dir)) < 0 || (rc = issuer_open(&is, in, NULL)) < 0 ||
	    (rc = issuer_revoke(is, in->st, serial, code, actor, note, NULL, NULL)) < 0) {
		issuer_free(is);
		instance_close(in);
		return cli_fail(rc);
	}
	issuer_free(is);
	instance_close(in);
	if (json)
		cli_json_print(json_pack("{s:s, s:s, s:s}", "serial", serial, "status",
		                         "revoked", "reason", revoke_reason_name(code)));
	else
		printf("Sertifikat dicabut / certificate revoked: %s (%s)\n", serial,
		       revoke_reason_name(code));
	return 0;
}

int
cmd_cert(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("cert: expected issue, list, show or revoke");
	if (strcmp(argv[1], "issue") == 0)
		return cert_issue(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cert_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return cert_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return cert_revoke(argc - 1, argv + 1);
	return cli_usage("cert: unknown subcommand '%s' (issue, list, show, revoke)",
	                 argv[1]);
}
