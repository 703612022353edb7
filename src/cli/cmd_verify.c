/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel verify FILE [--trust ROOT]... [--at TIME] [--json] [--lang id|en]
 *     [--dir DIR] [--offline] [--fetch-host HOST[:PORT]]... [--sig SIG.p7s]
 *
 * Verifies every signature of a PDF (ByteRange, digest, signature, signer
 * path and revocation at the signing time, timestamps, changes made after
 * each signature), or with --sig a detached CMS/CAdES signature over any
 * file.  Trust anchors come from --trust files (PEM, several certificates,
 * or DER) and, with --dir (or $SERTEL_DIR), the instance's root CA.
 * Revocation data is fetched only from --fetch-host hosts or, with an
 * instance, those of its [verify] fetch = allowlist (issue 19).
 * Exit 0 valid, 1 not valid or indeterminate, 2 error (one line on stderr).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "instance/instance.h"
#include "sign/sign.h"

#define VERIFY_MAX_FILE  (512L * 1024 * 1024)
#define VERIFY_MAX_SIG   (4 * 1024 * 1024)
#define VERIFY_MAX_TRUST 64

static const char *const usage_verify =
    "verify FILE [--trust ROOT]... [--at TIME] [--json] [--lang id|en] [--dir DIR] "
    "[--offline] [--fetch-host HOST[:PORT]]... [--sig SIG.p7s]";

static int load_trust(STACK_OF(X509) * out, const char *path);

/* PEM (any number of certificates) or one DER certificate, appended to
 * out. */
static int
load_trust(STACK_OF(X509) * out, const char *path)
{
	unsigned char *data = NULL;
	STACK_OF(X509) *sk = NULL;
	size_t len;
	int rc;

	if ((rc = file_read(&data, &len, path, SERTEL_MAX_CERT * 64)) < 0 ||
	    (rc = sign_load_certs(&sk, data, len, path)) < 0)
		goto out;
	while (sk_X509_num(sk) > 0) {
		X509 *x = sk_X509_shift(sk);

		if (!sk_X509_push(out, x)) {
			X509_free(x);
			rc = sertel_err(SERTEL_ENOMEM, "--trust %s: out of memory", path);
			goto out;
		}
	}
	rc = 0;
out:
	sk_X509_pop_free(sk, X509_free);
	free(data);
	return rc;
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"trust", required_argument, NULL, 't'},
	    {"at", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"lang", required_argument, NULL, 'l'},
	    {"offline", no_argument, NULL, 'o'},
	    {"sig", required_argument, NULL, 's'},
	    {"fetch-host", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct verify_opts vo;
	struct verify_report *r = NULL;
	STACK_OF(X509) *trust = NULL;
	const char *trust_files[VERIFY_MAX_TRUST];
	size_t ntrust = 0, i, len = 0, siglen = 0;
	const char *sigpath = NULL;
	unsigned char *data = NULL, *sig = NULL;
	char *text = NULL;
	struct net_allow allow;
	struct verify_conf vc;
	struct instance *in = NULL;
	char hosts[4096] = "";
	size_t hl = 0;
	int c, json = 0, rc, ex = EXIT_ERROR;

	memset(&vo, 0, sizeof(vo));
	vo.lang = "id";
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': vo.dir = optarg; break;
		case 't':
			if (ntrust >= VERIFY_MAX_TRUST)
				return cli_usage("more than %d --trust files",
				                 VERIFY_MAX_TRUST);
			trust_files[ntrust++] = optarg;
			break;
		case 'a':
			if (time_parse(&vo.at, optarg) < 0)
				return cli_usage("--at: %s", sertel_errmsg());
			break;
		case 'j': json = 1; break;
		case 'l':
			if (strcmp(optarg, "id") != 0 && strcmp(optarg, "en") != 0)
				return cli_usage("--lang: 'id' or 'en', not '%s'",
				                 optarg);
			vo.lang = optarg;
			break;
		case 'o': vo.offline = 1; break;
		case 's': sigpath = optarg; break;
		case 'f':
			/* Collected, then parsed once below. */
			if (hl + strlen(optarg) + 2 > sizeof(hosts))
				return cli_usage("--fetch-host: too many hosts");
			hl += (size_t)snprintf(hosts + hl, sizeof(hosts) - hl, "%s ",
			                       optarg);
			break;
		case 'h': printf("usage: sertel %s\n", usage_verify); return 0;
		default: return cli_badopt(argv, usage_verify);
		}
	}
	if (optind != argc - 1)
		return cli_usage("expected exactly one FILE (usage: sertel %s)",
		                 usage_verify);
	/* Revocation data from URLs in the file's certificates: only from
	 * the hosts named here (issue 19: URLs chosen by whoever made the
	 * file), never from loopback or private addresses not listed. */
	if (hl > 0) {
		if (net_allow_parse(&allow, hosts) < 0)
			return cli_usage("--fetch-host: %s", sertel_errmsg());
		vo.fetch = VERIFY_FETCH_ALLOWLIST;
		vo.allow = &allow;
	}
	/* The instance: --dir, else $SERTEL_DIR when set (never "." by
	 * default: verifying needs no instance). */
	if (vo.dir == NULL && getenv("SERTEL_DIR") != NULL &&
	    *getenv("SERTEL_DIR") != '\0')
		vo.dir = getenv("SERTEL_DIR");
	/* With an instance, its [verify] fetch / fetch_hosts apply unless
	 * --fetch-host names the hosts for this run. */
	if (vo.dir != NULL) {
		if ((rc = instance_open(&in, vo.dir)) < 0 ||
		    (rc = verify_conf_load(&vc, in->cfg)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		vo.store = in->st;
		vo.max_fetches = vc.max_fetches;
		vo.fetch_ms = vc.fetch_ms;
		vo.allow_sha1 = vc.allow_sha1;
		if (hl == 0) {
			vo.fetch = vc.fetch;
			vo.allow = &vc.hosts;
		}
	}
	if ((trust = sk_X509_new_null()) == NULL) {
		ex = cli_fail(sertel_err(SERTEL_ENOMEM, "out of memory"));
		goto out;
	}
	for (i = 0; i < ntrust; i++)
		if ((rc = load_trust(trust, trust_files[i])) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
	vo.trust = sk_X509_num(trust) > 0 ? trust : NULL;
	if ((rc = file_read(&data, &len, argv[optind], VERIFY_MAX_FILE)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (sigpath != NULL) {
		if ((rc = file_read(&sig, &siglen, sigpath, VERIFY_MAX_SIG)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		rc = verify_detached(&r, data, len, sig, siglen, &vo);
	} else {
		if (len < 5 ||
		    memmem(data, len < 1024 ? len : 1024, "%PDF-", 5) == NULL) {
			ex = cli_usage(
			    "%s: not a PDF (for other files give the signature with "
			    "--sig)",
			    argv[optind]);
			goto out;
		}
		rc = verify_pdf(&r, data, len, &vo);
	}
	if (rc < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	rc = json ? verify_report_json(&text, r) : verify_report_text(&text, r, vo.lang);
	if (rc < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	fputs(text, stdout);
	if (json)
		fputc('\n', stdout);
	ex = verify_report_exit(r) == 0 ? 0 : EXIT_INVALID;
out:
	free(text);
	verify_report_free(r);
	free(sig);
	free(data);
	sk_X509_pop_free(trust, X509_free);
	if (in != NULL)
		instance_close(in);
	return ex;
}
