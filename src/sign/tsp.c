/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 3161 client: a TimeStampReq with a nonce and certReq, POSTed over
 * HTTP(S) (RFC 3161 3.4) through src/net, and a reply checked against the
 * request before its token is handed out.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "net/net.h"
#include "sign/sign.h"

#define TSP_MAX_REPLY (256 * 1024)
#define TSP_TIMEOUT_S 30L

/* POSTs body to url; the reply body (200, application/timestamp-reply) in
 * *out, which must be empty (it is replaced). */
static int
tsp_post(struct buf *out, const char *url, const unsigned char *body, size_t len)
{
	struct net_reply r;
	struct net_req req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.policy = NET_TRUSTED_CONFIG; /* the TSA URL is the operator's choice */
	req.url = url;
	req.body = body;
	req.body_len = len;
	req.content_type = "application/timestamp-query";
	req.timeout = TSP_TIMEOUT_S;
	req.max = TSP_MAX_REPLY;
	if ((rc = net_http(&r, &req)) < 0)
		goto out;
	if (r.status != 200) {
		rc = sertel_err(SERTEL_EIO, "tsa %s: HTTP status %ld", url, r.status);
		goto out;
	}
	if (strcmp(r.content_type, "application/timestamp-reply") != 0) {
		rc = sertel_err(SERTEL_EINVAL,
		                "tsa %s: RFC 3161 3.4: reply is %s, not "
		                "application/timestamp-reply",
		                url, r.content_type[0] ? r.content_type : "untyped");
		goto out;
	}
	buf_free(out);
	*out = r.body;
	memset(&r.body, 0, sizeof(r.body));
out:
	buf_free(&r.body);
	return rc;
}

/* The token's SignedData verifies under the certificate it carries, and
 * that certificate is for time-stamping (RFC 3161 2.3). */
static int
token_self_check(const unsigned char *der, size_t len, const char *url)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(X509) *signers = NULL;
	BIO *sink = NULL;
	const unsigned char *p = der;
	X509 *x;
	int rc;

	if ((cms = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL ||
	    (sink = BIO_new(BIO_s_null())) == NULL) {
		rc = sertel_err_ossl(SERTEL_EINVAL, "tsa %s: token is not CMS", url);
		goto out;
	}
	if (CMS_verify(cms, NULL, NULL, NULL, sink,
	               CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1 ||
	    (signers = CMS_get0_signers(cms)) == NULL || sk_X509_num(signers) != 1) {
		rc =
		    sertel_err_ossl(SERTEL_EINVAL,
		                    "tsa %s: the token's signature does not verify under "
		                    "the certificate it carries",
		                    url);
		goto out;
	}
	x = sk_X509_value(signers, 0);
	if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(x) & XKU_TIMESTAMP)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "tsa %s: RFC 3161 2.3: the TSA certificate lacks "
		                "id-kp-timeStamping",
		                url);
		goto out;
	}
	rc = 0;
out:
	sk_X509_free(signers);
	BIO_free(sink);
	CMS_ContentInfo_free(cms);
	return rc;
}

int
sign_tsp_request(struct buf *out, const char *tsa_url, const EVP_MD *md,
                 const unsigned char *digest, size_t dlen)
{
	TS_REQ *req = NULL;
	TS_MSG_IMPRINT *imp = NULL;
	X509_ALGOR *alg = NULL;
	ASN1_INTEGER *nonce = NULL;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vctx = NULL;
	PKCS7 *token;
	BIGNUM *bn = NULL;
	unsigned char *der = NULL, *tder = NULL, nb[8];
	const unsigned char *p;
	struct buf reply;
	int len, tlen = 0, rc;

	buf_init(&reply, TSP_MAX_REPLY);
	if (tsa_url == NULL || tsa_url[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "tsa: no URL given");
	if (md == NULL)
		md = EVP_sha256();
	if (dlen != (size_t)EVP_MD_get_size(md))
		return sertel_err(SERTEL_EINVAL, "tsa: digest length %zu does not fit %s",
		                  dlen, EVP_MD_get0_name(md));
	/* Request: version 1, imprint, nonce (64 random bits), certReq. */
	if ((req = TS_REQ_new()) == NULL || (imp = TS_MSG_IMPRINT_new()) == NULL ||
	    (alg = X509_ALGOR_new()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	X509_ALGOR_set_md(alg, md);
	if ((rc = rand_bytes(nb, sizeof(nb))) < 0)
		goto out;
	nb[0] &= 0x7f;
	nb[0] |= 0x01; /* positive, never zero */
	if ((bn = BN_bin2bn(nb, sizeof(nb), NULL)) == NULL ||
	    (nonce = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !TS_REQ_set_version(req, 1) || !TS_MSG_IMPRINT_set_algo(imp, alg) ||
	    !TS_MSG_IMPRINT_set_msg(imp, (unsigned char *)digest, (int)dlen) ||
	    !TS_REQ_set_msg_imprint(req, imp) || !TS_REQ_set_nonce(req, nonce) ||
	    !TS_REQ_set_cert_req(req, 1) || (len = i2d_TS_REQ(req, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "tsa: cannot build the request");
		goto out;
	}
	if ((rc = tsp_post(&reply, tsa_url, der, (size_t)len)) < 0)
		goto out;
	p = reply.data;
	if ((resp = d2i_TS_RESP(NULL, &p, (long)reply.len)) == NULL ||
	    p != reply.data + reply.len) {
		rc = sertel_err_ossl(SERTEL_EINVAL,
		                     "tsa %s: reply is not a TimeStampResp", tsa_url);
		goto out;
	}
	/* Status granted, then the token's version, imprint and nonce must be
	 * those of the request (RFC 3161 2.4.2).  The TSA's signature is a
	 * verifier's business (it needs the trust anchors). */
	if ((vctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "tsa: cannot set up the check");
		goto out;
	}
	TS_VERIFY_CTX_set_flags(vctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
	if (TS_RESP_verify_response(vctx, resp) != 1) {
		rc = sertel_err_ossl(
		    SERTEL_EINVAL,
		    "tsa %s: RFC 3161 2.4.2: reply does not answer the request", tsa_url);
		goto out;
	}
	if ((token = TS_RESP_get_token(resp)) == NULL ||
	    (tlen = i2d_PKCS7(token, &tder)) <= 0) {
		rc =
		    sertel_err_ossl(SERTEL_EINVAL, "tsa %s: reply has no token", tsa_url);
		goto out;
	}
	/* The token must carry the TSA's certificate (certReq) and its
	 * signature must hold under it; whether that TSA is trusted is the
	 * verifier's question. */
	if ((rc = token_self_check(tder, (size_t)tlen, tsa_url)) < 0)
		goto out;
	rc = sign_buf_put(out, tder, (size_t)tlen);
out:
	OPENSSL_free(der);
	OPENSSL_free(tder);
	buf_free(&reply);
	TS_VERIFY_CTX_free(vctx);
	TS_RESP_free(resp);
	ASN1_INTEGER_free(nonce);
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(imp);
	TS_REQ_free(req);
	return rc;
}
