/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Revocation information from the URLs a certificate carries.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "net/net.h"
#include "sign/revinfo.h"

#define URL_MAX 1024

/* The URI of g as a C string in url[URL_MAX]; 0 if it is not an http(s)
 * URI that fits. */
static int
uri_of(char url[URL_MAX], const GENERAL_NAME *g)
{
	const unsigned char *u;
	int n;

	if (g->type != GEN_URI)
		return 0;
	u = ASN1_STRING_get0_data(g->d.uniformResourceIdentifier);
	n = ASN1_STRING_length(g->d.uniformResourceIdentifier);
	if (n <= 0 || n >= URL_MAX || memchr(u, '\0', (size_t)n) != NULL)
		return 0;
	memcpy(url, u, (size_t)n);
	url[n] = '\0';
	return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

/* One request as the caller's template says (policy, allow-list, budget,
 * size and time), to url. */
static int
get(struct buf *out, const struct net_req *how, const char *url, const void *body,
    size_t len, const char *ctype)
{
	struct net_req req = *how;

	req.url = url;
	req.body = body;
	req.body_len = len;
	req.content_type = ctype;
	return net_fetch(out, &req, NULL);
}

int
revinfo_fetch_ocsp(struct buf *out, X509 *cert, X509 *issuer, const struct net_req *how)
{
	STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(cert);
	OCSP_REQUEST *req = NULL;
	OCSP_CERTID *id = NULL;
	unsigned char *der = NULL;
	int i, n, rc = SERTEL_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	if (urls == NULL || sk_OPENSSL_STRING_num(urls) == 0)
		goto out;
	if ((req = OCSP_REQUEST_new()) == NULL ||
	    (id = OCSP_cert_to_id(EVP_sha1(), cert, issuer)) == NULL ||
	    OCSP_request_add0_id(req, id) == NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "ocsp: building the request");
		goto out;
	}
	id = NULL;
	if ((n = i2d_OCSP_REQUEST(req, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "ocsp: encoding the request");
		goto out;
	}
	for (i = 0; i < sk_OPENSSL_STRING_num(urls); i++) {
		const char *url = sk_OPENSSL_STRING_value(urls, i);

		if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
			continue;
		if ((rc = get(out, how, url, der, (size_t)n,
		              "application/ocsp-request")) == 0)
			break;
	}
out:
	ERR_clear_error();
	OPENSSL_free(der);
	OCSP_CERTID_free(id);
	OCSP_REQUEST_free(req);
	X509_email_free(urls);
	return rc;
}

int
revinfo_fetch_crl(struct buf *out, X509 *cert, const struct net_req *how)
{
	STACK_OF(DIST_POINT) *dps =
	    X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	char url[URL_MAX];
	int i, j, rc = SERTEL_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	for (i = 0; rc != 0 && dps != NULL && i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		GENERAL_NAMES *gns;

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		gns = dp->distpoint->name.fullname;
		for (j = 0; rc != 0 && j < sk_GENERAL_NAME_num(gns); j++)
			if (uri_of(url, sk_GENERAL_NAME_value(gns, j)))
				rc = get(out, how, url, NULL, 0, NULL);
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ERR_clear_error();
	return rc;
}

int
revinfo_fetch_issuer(struct buf *out, X509 *cert, const struct net_req *how)
{
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
	char url[URL_MAX];
	int i, rc = SERTEL_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	for (i = 0; rc != 0 && aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);

		if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers &&
		    uri_of(url, ad->location))
			rc = get(out, how, url, NULL, 0, NULL);
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	ERR_clear_error();
	return rc;
}
