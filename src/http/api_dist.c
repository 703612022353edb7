/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Distribution points named in every certificate sertel issues
 * (RFC 5280 4.2.1.13 and 4.2.2.1):
 *   GET /crl/<issuer-id>.crl   the current full CRL, DER (application/pkix-crl)
 *   GET /ca/<issuer-id>.crt    the CA certificate, DER (application/pkix-cert)
 * Public, no authentication: relying parties fetch these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

/* "/crl/" + 16 hex + ".crl" -> id; anything else is not found. */
static int
path_issuer_id(char out[ISSUER_ID_LEN + 1], const char *path, const char *prefix,
               const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), n = strlen(path);

	if (n != pl + ISSUER_ID_LEN + sl || strncmp(path, prefix, pl) != 0 ||
	    strcmp(path + n - sl, suffix) != 0)
		return SERTEL_ENOTFOUND;
	memcpy(out, path + pl, ISSUER_ID_LEN);
	out[ISSUER_ID_LEN] = '\0';
	if (!hex_lower_run(out, ISSUER_ID_LEN))
		return SERTEL_ENOTFOUND;
	return 0;
}

static void
set_body(struct http_resp *resp, const char *ctype, unsigned char *der, size_t len)
{
	free(resp->body);
	resp->status = 200;
	resp->ctype = ctype;
	resp->body = der;
	resp->len = len;
}

int
api_crl_get(struct http_req *r, struct http_resp *resp)
{
	char id[ISSUER_ID_LEN + 1], date[64];
	unsigned char *der = NULL;
	size_t len = 0;
	int64_t next = 0, now = time_now();
	struct tm tm;
	time_t tt;
	int rc;

	if (path_issuer_id(id, r->path, "/crl/", ".crl") < 0) {
		http_error(resp, 404, "not_found", "no such CRL: %s", r->path);
		return 0;
	}
	/* A CRL past its nextUpdate is never served: refresh it first. */
	if ((rc = http_crl_refresh(r->ctx, r->st, id, 0)) < 0 && rc != SERTEL_ENOTFOUND) {
		http_error_rc(resp, rc);
		return 0;
	}
	if ((rc = store_crl_latest(r->st, id, &der, &len, &next)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	set_body(resp, "application/pkix-crl", der, len);
	tt = (time_t)next;
	gmtime_r(&tt, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Cache-Control: public, max-age=%lld, no-transform\nExpires: %s\n",
	         (long long)(next > now ? next - now : 0), date);
	return 0;
}

int
api_ca_get(struct http_req *r, struct http_resp *resp)
{
	char id[ISSUER_ID_LEN + 1];
	struct issuer_rec rec;
	int rc;

	if (path_issuer_id(id, r->path, "/ca/", ".crt") < 0) {
		http_error(resp, 404, "not_found", "no such CA certificate: %s", r->path);
		return 0;
	}
	if ((rc = store_issuer_get(r->st, id, &rec)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	/* Only CA certificates are published here. */
	if (strcmp(rec.role, "root") != 0 && strcmp(rec.role, "issuing") != 0) {
		issuer_rec_free(&rec);
		http_error(resp, 404, "not_found", "no such CA certificate: %s", r->path);
		return 0;
	}
	set_body(resp, "application/pkix-cert", rec.cert_der, rec.cert_len);
	rec.cert_der = NULL;
	issuer_rec_free(&rec);
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Cache-Control: public, max-age=86400\n");
	return 0;
}
