/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The validation authority over HTTP:
 *   POST /ocsp, GET /ocsp/<base64>   RFC 6960 (A.1), RFC 5019 caching
 *   POST /tsa                        RFC 3161 over HTTP (RFC 3161 3.4)
 *
 * Requests without a nonce for one certificate are answered from the
 * pre-signed cache in the store (table ocsp_cache), signing and storing a
 * response on a miss.  Revocation drops a certificate's cached responses
 * in its own transaction (ca_revoke) and the hook below stores a freshly
 * signed "revoked" answer in that same transaction, so no node can serve
 * a stale "good" after the revocation commits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"
#include "pki/va.h"

/* A cached answer is re-signed when less than this share of its validity
 * is left, so clients caching it until nextUpdate still see fresh data. */
#define OCSP_REFRESH_DIVISOR 4

/* The status of one certificate as the store says it now. */
static int
status_from_store(struct ocsp_status *out, struct store *st, const char *issuer_id,
                  const char *serial)
{
	char cert_issuer[ISSUER_ID_LEN + 1];
	int rc, revoked = 0, reason = -1;
	int64_t at = 0;

	rc = store_cert_status(st, serial, cert_issuer, &revoked, &at, &reason);
	if (rc == SERTEL_ENOTFOUND || (rc == 0 && strcmp(cert_issuer, issuer_id) != 0)) {
		out->status = OCSP_CERT_UNKNOWN;
		return 0;
	}
	if (rc < 0)
		return rc;
	out->status = revoked ? OCSP_CERT_REVOKED : OCSP_CERT_GOOD;
	out->revoked_at = at;
	out->reason = reason;
	return 0;
}

static int
ocsp_lookup(struct ocsp_status *out, const char *issuer_id, const char *serial, void *arg)
{
	struct store *st = NULL;
	int rc;

	if ((rc = http_thread_store(&st, arg)) < 0)
		return rc;
	return status_from_store(out, st, issuer_id, serial);
}

/* Signs and stores the current answer for one key (inside the caller's
 * transaction when there is one). */
static int
ocsp_presign_store(struct ocsp_result *out, struct http_ctx *ctx, struct store *st,
                   const char *issuer_id, const char *serial, const char *certid_md,
                   const struct ocsp_status *status)
{
	int rc;

	if ((rc = ocsp_presign(out, ctx->ocsp, issuer_id, serial, certid_md, status)) < 0)
		return rc;
	return store_ocsp_put(st, issuer_id, serial, certid_md, out->this_update,
	                      out->next_update, out->der, out->len);
}

static int
ocsp_revoke_hook(struct store *st, const struct cert_rec *rec, void *arg)
{
	struct http_ctx *ctx = arg;
	struct ocsp_result res;
	struct ocsp_status status;
	int rc;

	memset(&res, 0, sizeof(res));
	status.status = OCSP_CERT_REVOKED;
	status.revoked_at = rec->revoked_at;
	status.reason = rec->reason;
	/* SHA-1 CertIDs are what RFC 5019 clients (and openssl) send. */
	rc = ocsp_presign_store(&res, ctx, st, rec->issuer_id, rec->serial, "sha1",
	                        &status);
	ocsp_result_free(&res);
	return rc;
}

static void
http_date(char out[64], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void
ocsp_send(struct http_resp *resp, unsigned char *der, size_t len, int cacheable,
          int64_t this_update, int64_t next_update)
{
	char lm[64], ex[64], etag[65];
	int64_t now = time_now();

	free(resp->body);
	resp->status = 200;
	resp->ctype = "application/ocsp-response";
	resp->body = der;
	resp->len = len;
	if (!cacheable) {
		snprintf(resp->extra_headers, sizeof(resp->extra_headers),
		         "Cache-Control: no-store\n");
		return;
	}
	/* RFC 5019 6.2: caching headers that match the response's own times. */
	http_date(lm, this_update);
	http_date(ex, next_update);
	sha256_hex(etag, der, len);
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Last-Modified: %s\nExpires: %s\nETag: \"%.32s\"\n"
	         "Cache-Control: max-age=%lld, public, no-transform, must-revalidate\n",
	         lm, ex, etag, (long long)(next_update > now ? next_update - now : 0));
}

/* A cache miss: read the status, sign, and store the answer as one atomic
 * step that first takes the certificate's row lock, so a revocation that
 * commits meanwhile is either seen here or drops this entry after us;
 * never is a "good" read before it written after it. */
struct ocsp_miss {
	struct http_ctx *ctx;
	const struct ocsp_cache_key *key;
	struct ocsp_result res;
};

static int
ocsp_miss_fill(struct store *st, void *arg)
{
	struct ocsp_miss *m = arg;
	struct ocsp_status status;
	int rc;

	ocsp_result_free(&m->res);
	memset(&m->res, 0, sizeof(m->res));
	if ((rc = store_cert_lock(st, m->key->serial)) < 0 ||
	    (rc = status_from_store(&status, st, m->key->issuer_id, m->key->serial)) < 0)
		return rc;
	return ocsp_presign_store(&m->res, m->ctx, st, m->key->issuer_id, m->key->serial,
	                          m->key->certid_md, &status);
}

/* Parses the request once: a cacheable one (one CertID, no nonce) is
 * answered from the pre-signed cache, anything else (nonce'd, several
 * CertIDs, malformed, not ours) signed or refused from the same parse. */
static int
ocsp_answer(struct http_req *r, struct http_resp *resp, const unsigned char *der,
            size_t len)
{
	struct http_ctx *ctx = r->ctx;
	struct ocsp_request *req = NULL;
	struct ocsp_cache_key key;
	struct ocsp_result res;
	unsigned char *cached = NULL;
	size_t clen;
	int64_t tu, nu, now = time_now();
	int rc;

	memset(&res, 0, sizeof(res));
	if ((rc = ocsp_request_parse(&req, ctx->ocsp, der, len)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (ocsp_request_key(&key, req) == 0) {
		rc = store_ocsp_get(r->st, key.issuer_id, key.serial, key.certid_md, now,
		                    ctx->ocsp_validity / OCSP_REFRESH_DIVISOR, &cached,
		                    &clen, &tu, &nu);
		if (rc == 0) {
			ocsp_send(resp, cached, clen, 1, tu, nu);
			goto out;
		}
		if (rc != SERTEL_ENOTFOUND) {
			http_error_rc(resp, rc);
			goto out;
		}
		struct ocsp_miss miss = {ctx, &key, {0}};
		if (store_atomic(r->st, ocsp_miss_fill, &miss) == 0) {
			ocsp_send(resp, miss.res.der, miss.res.len, 1,
			          miss.res.this_update, miss.res.next_update);
			goto out;
		}
		/* Could not cache (store down?): answer directly below. */
		ocsp_result_free(&miss.res);
	}
	if ((rc = ocsp_request_answer(&res, req)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	if (res.status == OCSP_RESP_INTERNAL_ERROR || res.status == OCSP_RESP_TRY_LATER)
		log_msg(LOG_ERROR, "ocsp: %s", sertel_errmsg());
	ocsp_send(resp, res.der, res.len, res.cacheable, res.this_update,
	          res.next_update);
	res.der = NULL;
out:
	ocsp_request_free(req);
	return 0;
}

int
api_ocsp_post(struct http_req *r, struct http_resp *resp)
{
	return ocsp_answer(r, resp, r->body, r->body_len);
}

int
api_ocsp_get(struct http_req *r, struct http_resp *resp)
{
	const char *p = r->path + strlen("/ocsp/");
	unsigned char *der = NULL;
	size_t len = 0;
	int rc;

	if ((rc = ocsp_get_decode(&der, &len, p, strlen(p))) < 0) {
		/* A GET that is not a request still gets an OCSP answer:
		 * malformedRequest (RFC 6960 2.3). */
		rc = ocsp_answer(r, resp, (const unsigned char *)"", 0);
		return rc;
	}
	rc = ocsp_answer(r, resp, der, len);
	free(der);
	return rc;
}

int
api_tsa_post(struct http_req *r, struct http_resp *resp)
{
	struct tsa_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	if ((rc = tsa_respond(&res, r->ctx->tsa, r->body, r->body_len)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (res.status != TSA_GRANTED && res.fail_info == TSA_FAIL_SYSTEM_FAILURE)
		log_msg(LOG_ERROR, "tsa: %s", sertel_errmsg());
	free(resp->body);
	resp->status = 200;
	resp->ctype = "application/timestamp-reply";
	resp->body = res.der;
	resp->len = res.len;
	res.der = NULL;
	tsa_result_free(&res);
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Cache-Control: no-store\n");
	return 0;
}

int
http_va_setup(struct http_ctx *ctx)
{
	const char *policy;
	int rc;

	ctx->ocsp_validity =
	    config_get_int(ctx->in->cfg, "ocsp", "validity_hours", 24) * 3600;
	if (ctx->ocsp_validity < 60 || ctx->ocsp_validity > 7 * 24 * 3600)
		return sertel_err(SERTEL_EINVAL,
		                  "sertel.conf [ocsp] validity_hours: 1..168");
	if ((rc = ca_load(&ctx->ocsp_signer, ctx->in->st, "ocsp", ctx->in->master)) < 0 ||
	    (rc = ca_load(&ctx->tsa_signer, ctx->in->st, "tsa", ctx->in->master)) < 0)
		return rc;
	if ((rc = ocsp_responder_new(&ctx->ocsp, ctx->ocsp_validity, ocsp_lookup, ctx)) <
	    0)
		return rc;
	if ((rc = ocsp_responder_add_ca(ctx->ocsp, ctx->issuing, ctx->ocsp_signer)) < 0)
		return rc;
	policy = config_get(ctx->in->cfg, "tsa", "policy",
	                    "2.25.265016592438374105406425356356063524147.2.1");
	if ((rc = tsa_new_ca(
	         &ctx->tsa, ctx->tsa_signer, ctx->issuing, ctx->root, policy,
	         config_get_int(ctx->in->cfg, "tsa", "accuracy_ms", 1000) * 1000, 3)) < 0)
		return rc;
	ca_set_revoke_hook(ocsp_revoke_hook, ctx);
	return 0;
}

void
http_va_teardown(struct http_ctx *ctx)
{
	ca_set_revoke_hook(NULL, NULL);
	ocsp_responder_free(ctx->ocsp);
	tsa_free(ctx->tsa);
	ca_free(ctx->ocsp_signer);
	ca_free(ctx->tsa_signer);
	ctx->ocsp = NULL;
	ctx->tsa = NULL;
	ctx->ocsp_signer = ctx->tsa_signer = NULL;
}
