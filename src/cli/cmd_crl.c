/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel crl [--out FILE]      publish a fresh full CRL of the issuing CA
 * sertel ca export [--out DIR] root and issuing certificates in PEM
 */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int
cmd_crl(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"out", required_argument, NULL, 'o'},
	    {"issuer", required_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	struct ca *ca = NULL;
	const char *dir = cli_default_dir(), *json = NULL, *out = NULL, *role = "issuing";
	const char **const to[] = {&dir, &json, &out, &role};
	unsigned char *der = NULL;
	size_t len = 0;
	char actor[128];
	int rc, ex = 0;

	if ((rc = cli_options(argc, argv, opts, to, "crl",
	                      "crl: [--out FILE] [--issuer issuing|root]")) != 0)
		return rc;
	if (strcmp(role, "issuing") != 0 && strcmp(role, "root") != 0)
		return cli_usage("crl: --issuer '%s': expected issuing or root", role);
	if (out == NULL && !json && isatty(STDOUT_FILENO))
		return cli_usage(
		    "crl: the CRL is binary DER: use --out FILE or redirect");
	instance_cli_actor(actor, sizeof(actor));
	if ((rc = instance_open(&in, dir)) < 0 ||
	    (rc = ca_load(&ca, in->st, role, in->master)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if ((rc = store_begin(in->st)) < 0 ||
	    (rc = crl_publish(&der, &len, ca, in->st, &in->pc, actor)) < 0) {
		store_rollback(in->st);
		ex = cli_fail(rc);
		goto out;
	}
	if ((rc = store_commit(in->st)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (out != NULL) {
		if ((rc = file_write(out, der, len, 0644)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if (json)
			cli_json_print(json_pack("{s:s, s:s, s:I}", "issuer_id",
			                         ca->rec.id, "out", out, "bytes",
			                         (json_int_t)len));
		else
			printf("CRL diterbitkan / CRL published: %s -> %s\n", ca->rec.id,
			       out);
	} else if (json) {
		char *b64 = NULL;
		if (b64_encode(&b64, der, len, 0) == 0)
			cli_json_print(json_pack("{s:s, s:s}", "issuer_id", ca->rec.id,
			                         "crl_der_base64", b64));
		free(b64);
	} else {
		fwrite(der, 1, len, stdout);
	}
out:
	free(der);
	ca_free(ca);
	instance_close(in);
	return ex;
}

static int
export_one(struct store *st, const char *role, const char *outdir, json_t *j,
           struct buf *all)
{
	struct issuer_rec r;
	char path[1200], *pem = NULL;
	int rc;

	if ((rc = store_issuer_by_role(st, role, &r)) < 0)
		return rc;
	if ((rc = pem_from_der(&pem, r.cert_der, r.cert_len, "CERTIFICATE")) < 0)
		goto out;
	if (outdir != NULL) {
		snprintf(path, sizeof(path), "%s/%s.pem", outdir, role);
		if ((rc = file_write(path, pem, strlen(pem), 0644)) < 0)
			goto out;
	}
	if (j != NULL)
		json_object_set_new(
		    j, role,
		    json_pack("{s:s, s:s, s:s}", "id", r.id, "name", r.name, "pem", pem));
	if (all != NULL)
		rc = buf_append(all, pem, strlen(pem));
out:
	free(pem);
	issuer_rec_free(&r);
	return rc;
}

int
cmd_ca(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"out", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	static const char *roles[] = {"root", "issuing", "ocsp", "tsa"};
	struct instance *in = NULL;
	const char *dir = cli_default_dir(), *json = NULL, *out = NULL;
	const char **const to[] = {&dir, &json, &out};
	json_t *j = NULL;
	struct buf all;
	char path[1200];
	int rc = 0, i, n;

	if (argc < 2 || strcmp(argv[1], "export") != 0)
		return cli_usage("ca: expected 'ca export [--out DIR]'");
	if ((rc = cli_options(argc - 1, argv + 1, opts, to, "ca export",
	                      "ca export: [--out DIR] [--json]")) != 0)
		return rc;
	if (out != NULL && mkdir(out, 0755) < 0 && errno != EEXIST)
		return cli_usage("ca export: %s: %s", out, strerror(errno));
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	buf_init(&all, 1 << 20);
	if (json)
		j = json_object();
	/* Without --out, print the chain (root, issuing) only; with --out,
	 * write every certificate and a chain.pem (issuing then root). */
	n = out ? 4 : 2;
	for (i = 0; i < n && rc == 0; i++)
		rc = export_one(in->st, roles[i], out, j, (i < 2) ? &all : NULL);
	if (rc == 0 && out != NULL) {
		/* chain.pem: issuing CA first, as servers send it. */
		struct buf chain;
		buf_init(&chain, 1 << 20);
		rc = export_one(in->st, "issuing", NULL, NULL, &chain);
		if (rc == 0)
			rc = export_one(in->st, "root", NULL, NULL, &chain);
		snprintf(path, sizeof(path), "%s/chain.pem", out);
		if (rc == 0)
			rc = file_write(path, chain.data, chain.len, 0644);
		buf_free(&chain);
	}
	instance_close(in);
	if (rc < 0) {
		json_decref(j);
		buf_free(&all);
		return cli_fail(rc);
	}
	if (json)
		cli_json_print(j);
	else if (out != NULL)
		printf(
		    "Sertifikat CA diekspor / CA certificates exported: %s/{root,issuing,"
		    "ocsp,tsa,chain}.pem\n",
		    out);
	else
		fwrite(all.data, 1, all.len, stdout);
	buf_free(&all);
	return 0;
}
