/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST /api/v1/certificates: the same issuance as `sertel cert issue`,
 * JSON in and out, for an API token whose role allows cert.issue.
 *
 * Request:  {"csr": PEM, "type": T, "usages": "a,b" | ["a","b"], "cn": N,
 *            "email"?, "ou"?, "title"?, "dns"?: [..], "ip"?: [..], "nik"?,
 *            "reason"?}
 * Response: 201 {"serial", "status", "type", "usages", "subject", ...,
 *                "certificate": PEM, "chain": [issuing PEM, root PEM]}
 */
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static const char *
opt_string(json_t *j, const char *key, int *bad)
{
	json_t *v = json_object_get(j, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

int
api_certificates_post(struct http_req *r, struct http_resp *resp)
{
	static const char *allowed[] = {"csr",   "type", "usages", "cn",  "email", "ou",
	                                "title", "dns",  "ip",     "nik", "reason"};
	struct issue_req rq;
	struct cert_rec rec;
	json_t *j = NULL, *usages, *out, *chain, *v;
	char ulist[128];
	const char *csr;
	size_t i, len = 0;
	int rc, bad = 0;

	memset(&rq, 0, sizeof(rq));
	memset(&rec, 0, sizeof(rec));
	if (http_auth(r, resp) < 0 || http_allow(r, resp, "cert.issue") < 0)
		return 0;
	if ((j = http_json_body(r, resp)) == NULL)
		return 0;
	if (http_fields_check(j, allowed, sizeof(allowed) / sizeof(allowed[0]), resp) < 0)
		goto out;
	csr = opt_string(j, "csr", &bad);
	rq.type = opt_string(j, "type", &bad);
	rq.cn = opt_string(j, "cn", &bad);
	rq.email = opt_string(j, "email", &bad);
	rq.ou = opt_string(j, "ou", &bad);
	rq.title = opt_string(j, "title", &bad);
	rq.nik = opt_string(j, "nik", &bad);
	rq.reason = opt_string(j, "reason", &bad);
	if (bad) {
		http_error(resp, 400, "invalid_input", "string fields must be strings");
		goto out;
	}
	usages = json_object_get(j, "usages");
	if (json_is_string(usages)) {
		rq.usages = json_string_value(usages);
	} else if (json_is_array(usages) && json_array_size(usages) > 0) {
		ulist[0] = '\0';
		json_array_foreach(usages, i, v)
		{
			if (!json_is_string(v) ||
			    len + strlen(json_string_value(v)) + 2 > sizeof(ulist)) {
				http_error(resp, 400, "invalid_input",
				           "usages: expected strings");
				goto out;
			}
			len += (size_t)snprintf(ulist + len, sizeof(ulist) - len, "%s%s",
			                        i ? "," : "", json_string_value(v));
		}
		rq.usages = ulist;
	}
	if (csr == NULL || rq.type == NULL || rq.usages == NULL || rq.cn == NULL) {
		http_error(resp, 400, "invalid_input",
		           "csr, type, usages and cn are required");
		goto out;
	}
	if (http_json_names(rq.dns, &rq.ndns, ISSUE_MAX_NAMES, j, "dns", resp) < 0 ||
	    http_json_names(rq.ip, &rq.nip, ISSUE_MAX_NAMES, j, "ip", resp) < 0)
		goto out;
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = strlen(csr);
	rq.actor = r->actor;
	if ((rc = ca_issue(&rec, r->ctx->issuing, r->st, &r->ctx->in->pc, &rq)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	if ((out = http_cert_json(&rec, 1)) == NULL) {
		http_error(resp, 500, "internal", "out of memory");
		goto out;
	}
	/* The chain a client installs next to its certificate: issuing, root. */
	chain = json_pack("[s, s]", r->ctx->chain_pem[0], r->ctx->chain_pem[1]);
	json_object_set_new(out, "chain", chain);
	http_json(resp, 201, out);
out:
	json_decref(j);
	cert_rec_free(&rec);
	return 0;
}

/* POST /api/v1/certificates/{serial}/revoke {"reason", "note"?}: as
 * `sertel cert revoke`, for an API token whose role allows cert.revoke
 * (an RA-only instance forwards its revocations here).  The reason is an
 * RFC 5280 name or number, final reasons only.  200 with the revoked
 * record; 409 when it was revoked already; 404 for an unknown serial. */
int
api_certificate_action(struct http_req *r, struct http_resp *resp)
{
	static const char *allowed[] = {"reason", "note"};
	const char *p = r->path + strlen("/api/v1/certificates/"), *slash, *reason_s,
	           *note;
	char serial[SERIAL_HEX_MAX + 1];
	struct cert_rec rec;
	json_t *j = NULL, *rv;
	size_t n;
	int reason, rc, bad = 0;

	memset(&rec, 0, sizeof(rec));
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : 0;
	if (slash == NULL || strcmp(slash, "/revoke") != 0 || n > SERIAL_HEX_MAX ||
	    !hex_lower_run(p, n)) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	memcpy(serial, p, n);
	serial[n] = '\0';
	if (http_auth(r, resp) < 0 || http_allow(r, resp, "cert.revoke") < 0)
		return 0;
	if ((j = http_json_body(r, resp)) == NULL)
		return 0;
	if (http_fields_check(j, allowed, sizeof(allowed) / sizeof(allowed[0]), resp) < 0)
		goto out;
	rv = json_object_get(j, "reason");
	note = opt_string(j, "note", &bad);
	if (bad || (note != NULL && strlen(note) > 600)) {
		http_error(resp, 400, "invalid_input",
		           "note: a string of at most 600 bytes");
		goto out;
	}
	if (json_is_integer(rv) && json_integer_value(rv) >= 0 &&
	    json_integer_value(rv) <= 10) {
		char num[4];
		snprintf(num, sizeof(num), "%d", (int)json_integer_value(rv));
		rc = revoke_reason_parse(&reason, num);
	} else if ((reason_s = json_string_value(rv)) != NULL) {
		rc = revoke_reason_parse(&reason, reason_s);
	} else {
		rc = sertel_err(SERTEL_EINVAL, "reason is required (RFC 5280 5.3.1 name "
		                               "or number)");
	}
	if (rc < 0 ||
	    (rc = ca_revoke(r->ctx->issuing, r->st, &r->ctx->in->pc, serial, reason,
	                    r->actor, note ? note : "")) < 0 ||
	    (rc = store_cert_get(r->st, serial, &rec)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200, http_cert_json(&rec, 0));
out:
	cert_rec_free(&rec);
	json_decref(j);
	return 0;
}

int
api_healthz(struct http_req *r, struct http_resp *resp)
{
	int version = 0, rc;

	if ((rc = db_schema_version(store_db(r->st), &version)) < 0) {
		http_error(resp, 503, "unavailable", "database: %s", sertel_errmsg());
		return 0;
	}
	http_json(resp, 200, json_pack("{s:s, s:i}", "status", "ok", "schema", version));
	return 0;
}
