/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenSSL's OCSP test vectors through the path validator: every case of
 * testdata/ocsp-openssl/openssl-ocsp.json (29).  The case's root is the
 * trust anchor, other_certs the pool, ocsps the responses (base64 DER),
 * moment the validation time; revocation is not required, so a
 * certificate without a response is accepted but a response about it
 * that cannot be trusted makes the path invalid.  A case expects a valid
 * path exactly when it has no "error"; when it has one, our reason must
 * name the same fault (signature, responder not located, responder not
 * validated, name hash, key hash, out of date) for the same certificate
 * (end-entity or intermediate).
 *
 * Prints each disagreement and "N passed, M failed"; exits non-zero on any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/core.h"
#include "testdata.h"
#include "pki/validate.h"

static char dir[1024];

static int
add_file(struct validate_input *in, const char *name, int kind)
{
	char path[1400];
	unsigned char *data = NULL;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rc = file_read(&data, &len, path, 1024 * 1024)) < 0) {
		fprintf(stderr, "%s: %s\n", path, sertel_errmsg());
		return rc;
	}
	if (kind == 0)
		rc = validate_input_add_anchors(in, data, len, name);
	else if (kind == 1)
		rc = validate_input_add_untrusted(in, data, len, name);
	else
		rc = validate_input_add_ocsp(in, data, len, name);
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", path, sertel_errmsg());
	free(data);
	return rc;
}

/* The fault pyHanko's message names, as a fragment of our reason. */
static const char *
expected_fragment(const char *msg)
{
	static const struct {
		const char *theirs, *ours;
	} tab[] = {
	    {"Unable to verify OCSP response signature",
	     "response signature does not verify"},
	    {"response signing certificate could not be located", "could not be located"},
	    {"response signing certificate could not be validated",
	     "responder certificate's signature does not verify"},
	    {"issuer name hash does not match", "issuerNameHash"},
	    {"issuer key hash does not match", "issuerKeyHash"},
	    {"OCSP response is not recent enough", "out of date"},
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strstr(msg, tab[i].theirs) != NULL)
			return tab[i].ours;
	return NULL;
}

static int
run_case(json_t *tc)
{
	struct validate_input *in = NULL;
	struct validate_params p;
	struct validate_result r;
	json_t *v, *err;
	const char *name, *msg = NULL, *frag = NULL;
	unsigned char *data = NULL;
	char path[1400], moment[64];
	size_t len, i;
	int64_t at;
	int rc, ok = 0, want_index = -1;

	memset(&r, 0, sizeof(r));
	name = json_string_value(json_object_get(tc, "name"));
	err = json_object_get(tc, "error");
	if (err != NULL) {
		msg = json_string_value(json_object_get(err, "msg_regex"));
		frag = expected_fragment(msg);
		want_index = strstr(msg, "intermediate certificate 1") ? 1 : 0;
	}
	if (validate_input_new(&in) < 0 ||
	    add_file(in, json_string_value(json_object_get(tc, "root")), 0) < 0)
		goto out;
	json_array_foreach(json_object_get(tc, "other_certs"), i,
	                   v) if (add_file(in, json_string_value(v), 1) < 0) goto out;
	json_array_foreach(json_object_get(tc, "ocsps"), i,
	                   v) if (add_file(in, json_string_value(v), 2) < 0) goto out;

	/* "2012-10-12T00:00:00+00:00" -> "2012-10-12T00:00:00Z" */
	snprintf(moment, sizeof(moment), "%.19sZ",
	         json_string_value(json_object_get(tc, "moment")));
	validate_params_init(&p);
	p.input = in;
	/* The vectors are web chains of 2012, signed with SHA-1: historic
	 * material (issue 18 refuses SHA-1 by default). */
	p.allow_sha1 = 1;
	if (time_parse(&at, moment) < 0) {
		fprintf(stderr, "%s: %s\n", name, sertel_errmsg());
		goto out;
	}
	p.at = at;

	snprintf(path, sizeof(path), "%s/%s", dir,
	         json_string_value(json_object_get(tc, "cert")));
	if (file_read(&data, &len, path, 1024 * 1024) < 0) {
		fprintf(stderr, "%s: %s\n", path, sertel_errmsg());
		goto out;
	}
	rc = validate_cert(&r, data, len, &p);
	if (rc != 0 && rc != SERTEL_EINVALID) {
		printf("FAIL %s: error %s: %s\n", name, sertel_errname(rc), r.reason);
	} else if (err == NULL && !r.valid) {
		printf("FAIL %s: expected valid, got: %s\n", name, r.reason);
	} else if (err != NULL && r.valid) {
		printf("FAIL %s: expected '%s', got valid\n", name, msg);
	} else if (err != NULL && (frag == NULL || strstr(r.reason, frag) == NULL ||
	                           r.failing_index != want_index)) {
		printf("FAIL %s: expected '%s' for certificate %d, got %s "
		       "(certificate %d)\n",
		       name, msg, want_index, r.reason, r.failing_index);
	} else if (err == NULL &&
	           (json_int_t)r.path_len !=
	               json_integer_value(json_object_get(tc, "path_len"))) {
		printf("FAIL %s: path of %zu certificates\n", name, r.path_len);
	} else {
		ok = 1;
		if (getenv("SERTEL_OCSP_VERBOSE") != NULL)
			printf("ok   %s: %s\n", name, r.valid ? "valid" : r.reason);
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

	if (test_data_dir(dir, sizeof(dir), "ocsp-openssl") < 0)
		return TEST_SKIP;
	snprintf(jpath, sizeof(jpath), "%s/openssl-ocsp.json", dir);
	if ((cases = json_load_file(jpath, 0, &jerr)) == NULL || !json_is_array(cases)) {
		fprintf(stderr, "%s: %s\n", jpath, jerr.text);
		return 2;
	}
	json_array_foreach(cases, i, tc)
	{
		if (run_case(tc))
			passed++;
		else
			failed++;
	}
	json_decref(cases);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
