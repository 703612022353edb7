/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NIST PKITS through the path validator: every case of
 * testdata/pkits/pkits.json (246).  The trust anchor is always
 * TrustAnchorRootCertificate.crt with TrustAnchorRootCRL.crl; other_certs
 * form an unordered pool; revocation is required unless the case says
 * "revocation": false (then the CRLs given are still used); params set
 * the RFC 5280 6.1.1 inputs.  A case expects a valid path exactly when it
 * has no "error"; the error class must also agree with ours (path rule,
 * revoked, revocation status unknown/stale), and a valid path must have
 * the expected length.
 *
 * Prints each disagreement and a final "N passed, M failed" line; exits
 * non-zero on any disagreement.  SERTEL_PKITS_VERBOSE=1 prints every case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "testdata.h"
#include "pki/validate.h"

/* Any time inside the PKITS validity (2010-2030); pyHanko uses 2022. */
#define PKITS_TIME "2022-01-01T00:00:00Z"

static char dir[1024];

static int
add_file(struct validate_input *in, const char *sub, const char *name, int anchor)
{
	char path[1400];
	unsigned char *data = NULL;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	if ((rc = file_read(&data, &len, path, 4 * 1024 * 1024)) < 0) {
		fprintf(stderr, "%s: %s\n", path, sertel_errmsg());
		return rc;
	}
	if (strcmp(sub, "crls") == 0)
		rc = validate_input_add_crls(in, data, len, name);
	else if (anchor)
		rc = validate_input_add_anchors(in, data, len, name);
	else
		rc = validate_input_add_untrusted(in, data, len, name);
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", path, sertel_errmsg());
	free(data);
	return rc;
}

/* Our error kinds that agree with pyHanko's error class. */
static int
class_agrees(const char *cls, enum validate_error e)
{
	if (strcmp(cls, "PathValidationError") == 0)
		return e == VALIDATE_ERR_PATH || e == VALIDATE_ERR_USAGE;
	if (strcmp(cls, "RevokedError") == 0)
		return e == VALIDATE_ERR_REVOKED;
	if (strcmp(cls, "InsufficientRevinfoError") == 0)
		return e == VALIDATE_ERR_REVINFO || e == VALIDATE_ERR_STALE;
	if (strcmp(cls, "StaleRevinfoError") == 0)
		return e == VALIDATE_ERR_STALE;
	return 0;
}

static int
run_case(json_t *tc, int verbose)
{
	struct validate_input *in = NULL;
	struct validate_params p;
	struct validate_result r;
	json_t *v, *params, *err;
	const char *id, *name, *cls = NULL;
	unsigned char *data = NULL;
	size_t len, i;
	char path[1400];
	int rc, ok = 0, want_valid;
	int64_t at;

	memset(&r, 0, sizeof(r));
	id = json_string_value(json_object_get(tc, "id"));
	name = json_string_value(json_object_get(tc, "name"));
	err = json_object_get(tc, "error");
	want_valid = err == NULL;
	if (err != NULL)
		cls = json_string_value(json_object_get(err, "class"));

	if (validate_input_new(&in) < 0 ||
	    add_file(in, "certs", "TrustAnchorRootCertificate.crt", 1) < 0 ||
	    add_file(in, "crls", "TrustAnchorRootCRL.crl", 0) < 0)
		goto out;
	json_array_foreach(json_object_get(tc, "other_certs"), i,
	                   v) if (add_file(in, "certs", json_string_value(v), 0) <
	                          0) goto out;
	json_array_foreach(json_object_get(tc, "crls"), i,
	                   v) if (add_file(in, "crls", json_string_value(v), 0) <
	                          0) goto out;

	validate_params_init(&p);
	p.input = in;
	/* PKITS (2011) is signed with SHA-1 throughout: historic material,
	 * so SHA-1 is accepted here (issue 18 refuses it by default). */
	p.allow_sha1 = 1;
	if (time_parse(&at, PKITS_TIME) < 0)
		goto out;
	p.at = at;
	v = json_object_get(tc, "revocation");
	p.require_revocation = v == NULL || json_is_true(v);
	params = json_object_get(tc, "params");
	json_array_foreach(json_object_get(params, "user_initial_policy_set"), i, v)
	{
		if (p.npolicies < VALIDATE_MAX_POLICIES)
			p.policies[p.npolicies++] = json_string_value(v);
	}
	p.initial_explicit_policy =
	    json_is_true(json_object_get(params, "initial_explicit_policy"));
	p.initial_policy_mapping_inhibit =
	    json_is_true(json_object_get(params, "initial_policy_mapping_inhibit"));
	p.initial_any_policy_inhibit =
	    json_is_true(json_object_get(params, "initial_any_policy_inhibit"));

	snprintf(path, sizeof(path), "%s/certs/%s", dir,
	         json_string_value(json_object_get(tc, "cert")));
	if (file_read(&data, &len, path, 1024 * 1024) < 0) {
		fprintf(stderr, "%s: %s\n", path, sertel_errmsg());
		goto out;
	}
	rc = validate_cert(&r, data, len, &p);
	if (rc != 0 && rc != SERTEL_EINVALID) {
		printf("FAIL %s %s: error %s: %s\n", id, name, sertel_errname(rc),
		       r.reason);
		goto out;
	}
	if (want_valid && !r.valid) {
		printf("FAIL %s %s: expected valid, got %s: %s\n", id, name,
		       validate_error_name(r.error), r.reason);
	} else if (!want_valid && r.valid) {
		printf("FAIL %s %s: expected %s, got valid\n", id, name, cls);
	} else if (!want_valid && !class_agrees(cls, r.error)) {
		printf("FAIL %s %s: expected %s, got %s: %s\n", id, name, cls,
		       validate_error_name(r.error), r.reason);
	} else if (want_valid &&
	           (json_int_t)r.path_len !=
	               json_integer_value(json_object_get(tc, "path_len"))) {
		printf("FAIL %s %s: path of %zu certificates, expected "
		       "%lld\n",
		       id, name, r.path_len,
		       (long long)json_integer_value(json_object_get(tc, "path_len")));
	} else {
		ok = 1;
		if (verbose)
			printf("ok   %s %s: %s\n", id, name,
			       r.valid ? "valid" : r.reason);
	}
out:
	validate_result_free(&r);
	validate_input_free(in);
	free(data);
	return ok;
}

int
main(void)
{
	char jpath[1200];
	json_error_t jerr;
	json_t *cases, *tc;
	size_t i, passed = 0, failed = 0;
	int verbose = getenv("SERTEL_PKITS_VERBOSE") != NULL;

	if (test_data_dir(dir, sizeof(dir), "pkits") < 0)
		return TEST_SKIP;
	snprintf(jpath, sizeof(jpath), "%s/pkits.json", dir);
	if ((cases = json_load_file(jpath, 0, &jerr)) == NULL || !json_is_array(cases)) {
		fprintf(stderr, "%s: %s\n", jpath, jerr.text);
		return 2;
	}
	json_array_foreach(cases, i, tc)
	{
		if (run_case(tc, verbose))
			passed++;
		else
			failed++;
	}
	json_decref(cases);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
