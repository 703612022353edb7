/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel verify-cert [--dir DIR] --trust FILE [--untrusted FILE]...
 *     [--crl FILE]... [--ocsp-response FILE]... [--require-revocation]
 *     [--policy OID]... [--explicit-policy] [--inhibit-policy-mapping]
 *     [--inhibit-any-policy] [--at TIME]
 *     [--purpose signing|email|ssl-server|ssl-client] [--allow-sha1]
 *     [--hostname NAME] [--json] CERT
 *
 * Validates CERT (RFC 5280 section 6) against the trust anchors in the
 * --trust files, building the path from the --untrusted pool (and any
 * certificates after the first in the CERT file).  Files are
 * PEM (several objects each) or DER; OCSP responses are DER or base64.
 * Exit 0 valid, 1 not valid (the reason and the failing certificate are
 * printed), 2 usage or input error (one line on stderr).  With
 * --hostname, a valid path must also be for NAME (validate_hostname(),
 * RFC 9525: DNS and IP subjectAltNames; not valid otherwise).
 *
 * This file depends only on src/pki/validate.h and src/core, so a test
 * binary can link it without the rest of the command line.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "pki/validate.h"

#define VC_OK        0
#define VC_INVALID   1
#define VC_ERROR     2
#define VC_MAX_FILES 64

enum { F_TRUST, F_UNTRUSTED, F_CRL, F_OCSP, F_KINDS };

static const char *const kind_opt[F_KINDS] = {"trust", "untrusted", "crl",
                                              "ocsp-response"};

static const char *const vc_usage =
    "verify-cert [--dir DIR] --trust FILE [--untrusted FILE]... "
    "[--crl FILE]... [--ocsp-response FILE]... [--require-revocation] "
    "[--policy OID]... [--explicit-policy] [--inhibit-policy-mapping] "
    "[--inhibit-any-policy] [--at TIME] "
    "[--purpose signing|email|ssl-server|ssl-client] [--allow-sha1] [--hostname NAME] "
    "[--json] CERT";

static int vc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int vc_load(struct validate_input *in, int kind, const char *path);
/* What --hostname found: the name, and how it matched (empty: not). */
struct vc_host {
	const char *name;
	char how[128];
};

static void vc_print_text(const struct validate_result *r, const struct vc_host *h);
static int vc_print_json(const struct validate_result *r, const struct vc_host *h);

/* One line on stderr; the exit code for usage and input errors. */
static int
vc_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sertel: verify-cert: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return VC_ERROR;
}

static int
vc_load(struct validate_input *in, int kind, const char *path)
{
	unsigned char *data = NULL;
	size_t len;
	int rc;

	if ((rc = file_read(&data, &len, path, VALIDATE_MAX_INPUT)) < 0)
		return vc_error("%s", sertel_errmsg()); /* names the file */
	switch (kind) {
	case F_TRUST: rc = validate_input_add_anchors(in, data, len, path); break;
	case F_UNTRUSTED: rc = validate_input_add_untrusted(in, data, len, path); break;
	case F_CRL: rc = validate_input_add_crls(in, data, len, path); break;
	default: rc = validate_input_add_ocsp(in, data, len, path); break;
	}
	free(data);
	if (rc < 0)
		return vc_error("%s", sertel_errmsg());
	return 0;
}

static void
vc_print_text(const struct validate_result *r, const struct vc_host *h)
{
	size_t i;

	if (r->valid)
		printf("valid: %s\n", r->path_len ? r->path[0].subject : "");
	else
		printf("invalid (%s): %s\n", validate_error_name(r->error), r->reason);
	if (!r->valid && r->failing_index >= 0 && (size_t)r->failing_index < r->path_len)
		printf("failing certificate: [%d] %s\n", r->failing_index,
		       r->path[r->failing_index].subject);
	printf("path%s:\n", r->valid ? "" : " (closest attempt)");
	for (i = 0; i < r->path_len; i++)
		printf("  [%zu] %s%s\n      serial %s, sha256 %s\n", i,
		       r->path[i].subject, r->path[i].anchor ? " (trust anchor)" : "",
		       r->path[i].serial, r->path[i].sha256);
	for (i = 0; r->valid && i < r->npolicies; i++)
		printf("policy: %s\n", r->policies[i]);
	if (h->name != NULL && h->how[0] != '\0')
		printf("hostname: %s (%s)\n", h->name, h->how);
}

static json_t *
vc_cert_json(const struct validate_cert_info *ci, int index)
{
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:b}", "index", index, "subject",
	                 ci->subject, "issuer", ci->issuer, "serial", ci->serial,
	                 "sha256", ci->sha256, "trust_anchor", ci->anchor);
}

static int
vc_print_json(const struct validate_result *r, const struct vc_host *h)
{
	json_t *o = NULL, *path = NULL, *pol = NULL, *fail = NULL, *c;
	char *s = NULL;
	size_t i;
	int rc = -1;

	if ((o = json_object()) == NULL || (path = json_array()) == NULL ||
	    (pol = json_array()) == NULL)
		goto out;
	for (i = 0; i < r->path_len; i++)
		if ((c = vc_cert_json(&r->path[i], (int)i)) == NULL ||
		    json_array_append_new(path, c) < 0)
			goto out;
	for (i = 0; r->valid && i < r->npolicies; i++)
		if (json_array_append_new(pol, json_string(r->policies[i])) < 0)
			goto out;
	if (!r->valid && r->failing_index >= 0 && (size_t)r->failing_index < r->path_len)
		fail = vc_cert_json(&r->path[r->failing_index], r->failing_index);
	if (json_object_set_new(o, "valid", json_boolean(r->valid)) < 0 ||
	    json_object_set_new(o, "error", json_string(validate_error_name(r->error))) <
	        0 ||
	    json_object_set_new(o, "reason",
	                        r->valid ? json_null() : json_string(r->reason)) < 0 ||
	    json_object_set_new(o, "failing_cert", fail != NULL ? fail : json_null()) < 0)
		goto out;
	fail = NULL;
	if (json_object_set_new(o, "path", path) < 0) {
		path = NULL;
		goto out;
	}
	path = NULL;
	if (json_object_set_new(o, "policies", pol) < 0) {
		pol = NULL;
		goto out;
	}
	pol = NULL;
	/* {"name", "matched", "how"} with --hostname, else null */
	if (json_object_set_new(o, "hostname",
	                        h->name == NULL
	                            ? json_null()
	                            : json_pack("{s:s, s:b, s:s?}", "name", h->name,
	                                        "matched", h->how[0] != '\0', "how",
	                                        h->how[0] != '\0' ? h->how : NULL)) < 0)
		goto out;
	if ((s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)) == NULL)
		goto out;
	puts(s);
	rc = 0;
out:
	free(s);
	json_decref(fail);
	json_decref(pol);
	json_decref(path);
	json_decref(o);
	return rc;
}

int
cmd_verify_cert(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"trust", required_argument, NULL, 't'},
	    {"untrusted", required_argument, NULL, 'u'},
	    {"crl", required_argument, NULL, 'c'},
	    {"ocsp-response", required_argument, NULL, 'o'},
	    {"require-revocation", no_argument, NULL, 'r'},
	    {"policy", required_argument, NULL, 'p'},
	    {"explicit-policy", no_argument, NULL, 'E'},
	    {"inhibit-policy-mapping", no_argument, NULL, 'M'},
	    {"inhibit-any-policy", no_argument, NULL, 'A'},
	    {"at", required_argument, NULL, 'a'},
	    {"purpose", required_argument, NULL, 'P'},
	    {"json", no_argument, NULL, 'j'},
	    {"allow-sha1", no_argument, NULL, 'S'},
	    {"hostname", required_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *files[F_KINDS][VC_MAX_FILES];
	size_t nfiles[F_KINDS] = {0, 0, 0, 0};
	struct validate_input *in = NULL;
	struct validate_params p;
	struct validate_result r;
	struct vc_host host = {NULL, ""};
	unsigned char *data = NULL;
	size_t len, i;
	int c, kind, json = 0, rc, ex;
	int64_t at;

	memset(&r, 0, sizeof(r));
	validate_params_init(&p);
	opterr = 0; /* one line of our own on errors */
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		kind = -1;
		switch (c) {
		case 'd':
			/* accepted; the instance's anchors come later */
			break;
		case 't': kind = F_TRUST; break;
		case 'u': kind = F_UNTRUSTED; break;
		case 'c': kind = F_CRL; break;
		case 'o': kind = F_OCSP; break;
		case 'r': p.require_revocation = 1; break;
		case 'p':
			if (p.npolicies >= VALIDATE_MAX_POLICIES)
				return vc_error("more than %d --policy",
				                VALIDATE_MAX_POLICIES);
			p.policies[p.npolicies++] = optarg;
			break;
		case 'E': p.initial_explicit_policy = 1; break;
		case 'M': p.initial_policy_mapping_inhibit = 1; break;
		case 'A': p.initial_any_policy_inhibit = 1; break;
		case 'a':
			if (time_parse(&at, optarg) < 0)
				return vc_error("--at: %s", sertel_errmsg());
			p.at = at;
			break;
		case 'P':
			if (validate_purpose_parse(&p.purpose, optarg) < 0)
				return vc_error("--purpose: %s", sertel_errmsg());
			break;
		case 'j': json = 1; break;
		case 'S': p.allow_sha1 = 1; break;
		case 'H':
			if (validate_hostname_check(optarg) < 0)
				return vc_error("--hostname: %s", sertel_errmsg());
			host.name = optarg;
			break;
		case 'h': printf("usage: sertel %s\n", vc_usage); return VC_OK;
		default:
			return vc_error("bad option '%s' (usage: sertel %s)",
			                argv[optind - 1], vc_usage);
		}
		if (kind >= 0) {
			if (nfiles[kind] >= VC_MAX_FILES)
				return vc_error("more than %d --%s files", VC_MAX_FILES,
				                kind_opt[kind]);
			files[kind][nfiles[kind]++] = optarg;
		}
	}
	if (nfiles[F_TRUST] == 0)
		return vc_error("--trust FILE is required (usage: sertel %s)", vc_usage);
	if (optind != argc - 1)
		return vc_error("expected exactly one CERT (usage: sertel %s)", vc_usage);

	if ((rc = validate_input_new(&in)) < 0) {
		ex = vc_error("%s", sertel_errmsg());
		goto out;
	}
	for (kind = 0; kind < F_KINDS; kind++)
		for (i = 0; i < nfiles[kind]; i++)
			if ((ex = vc_load(in, kind, files[kind][i])) != 0)
				goto out;
	/* CERT is the first certificate of the file; the rest (a chain
	 * saved with it) joins the pool. */
	if ((rc = file_read(&data, &len, argv[optind], VALIDATE_MAX_INPUT)) < 0 ||
	    (rc = validate_input_add_untrusted(in, data, len, argv[optind])) < 0) {
		ex = vc_error("%s", sertel_errmsg());
		goto out;
	}
	p.input = in;
	rc = validate_cert(&r, data, len, &p);
	if (rc != 0 && rc != SERTEL_EINVALID) {
		ex = vc_error("%s: %s", argv[optind], r.reason);
		goto out;
	}
	/* The server identity, once the path holds (RFC 9525 6). */
	if (rc == 0 && host.name != NULL) {
		int hr = validate_hostname(host.how, sizeof(host.how),
		                           sk_X509_value(r.chain, 0), host.name);

		if (hr != 0 && hr != SERTEL_EINVALID) {
			ex = vc_error("--hostname: %s", sertel_errmsg());
			goto out;
		}
		if (hr == SERTEL_EINVALID) {
			r.valid = 0;
			r.error = VALIDATE_ERR_HOSTNAME;
			r.failing_index = 0;
			snprintf(r.reason, sizeof(r.reason), "%s", sertel_errmsg());
			rc = SERTEL_EINVALID;
		}
	}
	ex = rc == 0 ? VC_OK : VC_INVALID;
	if (json) {
		if (vc_print_json(&r, &host) < 0)
			ex = vc_error("cannot build the JSON output");
	} else {
		vc_print_text(&r, &host);
	}
out:
	validate_result_free(&r);
	validate_input_free(in);
	free(data);
	return ex;
}
