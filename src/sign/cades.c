/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CAdES baseline signatures (ETSI EN 319 122-1): a detached CMS SignedData
 * over a digest the caller computed, so the same code signs a file (sertel
 * sign cms) and a PDF's ByteRange (pades.c).
 *
 * OpenSSL 3.0's CMS_SignerInfo_sign() always adds signing-time, which
 * PAdES forbids (EN 319 142-1 5.4.3), so the signed attributes are DER
 * encoded and signed here; OpenSSL builds everything else.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "sign/sign.h"
#include "sign/sign_int.h"

#define CADES_MAX_SIG (512 * 1024)

/* SignedAttributes ::= SET SIZE (1..MAX) OF Attribute, DER (sorted): what
 * RFC 5652 5.4 says the signature covers. */
typedef STACK_OF(X509_ATTRIBUTE) CADES_ATTRS;
ASN1_ITEM_TEMPLATE(CADES_ATTRS) = ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SET_ORDER, 0,
                                                        CADES_ATTRS, X509_ATTRIBUTE)
    ASN1_ITEM_TEMPLATE_END(CADES_ATTRS)

        static int cades_sign_attrs(CMS_SignerInfo * si, EVP_PKEY *key, const EVP_MD *md);

int
sign_buf_put(struct buf *out, const unsigned char *p, size_t n)
{
	if (out->max == 0)
		buf_init(out, n > CADES_MAX_SIG ? n : CADES_MAX_SIG);
	buf_reset(out);
	return buf_append(out, p, n);
}

/* Signs the DER of the signed attributes and stores the signature value. */
static int
cades_sign_attrs(CMS_SignerInfo *si, EVP_PKEY *key, const EVP_MD *md)
{
	STACK_OF(X509_ATTRIBUTE) *attrs = NULL;
	EVP_MD_CTX *mctx = NULL;
	unsigned char *der = NULL, *sig = NULL;
	size_t siglen = 0;
	int i, n, dlen, rc;

	if ((attrs = sk_X509_ATTRIBUTE_new_null()) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	n = CMS_signed_get_attr_count(si);
	for (i = 0; i < n; i++)
		if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i))) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
	if ((dlen = ASN1_item_i2d((ASN1_VALUE *)attrs, &der,
	                          ASN1_ITEM_rptr(CADES_ATTRS))) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO,
		                     "cades: cannot encode the attributes");
		goto out;
	}
	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(mctx, NULL, md, NULL, key) != 1 ||
	    EVP_DigestSign(mctx, NULL, &siglen, der, (size_t)dlen) != 1 ||
	    (sig = OPENSSL_malloc(siglen)) == NULL ||
	    EVP_DigestSign(mctx, sig, &siglen, der, (size_t)dlen) != 1 ||
	    !ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)siglen)) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "cades: signing failed");
		goto out;
	}
	rc = 0;
out:
	OPENSSL_free(der);
	OPENSSL_free(sig);
	EVP_MD_CTX_free(mctx);
	/* The attributes belong to si. */
	sk_X509_ATTRIBUTE_free(attrs);
	return rc;
}

int
sign_cades_digest(struct buf *out, const struct sign_signer *signer,
                  const unsigned char *digest, size_t dlen, const struct sign_opts *opts)
{
	static const struct sign_opts defaults = {SIGN_LEVEL_B, NULL, 0, 0};
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	const EVP_MD *md;
	ASN1_TIME *when = NULL;
	ASN1_OCTET_STRING *sv;
	ASN1_OBJECT *tst_oid = NULL;
	unsigned char *der = NULL, sdig[EVP_MAX_MD_SIZE];
	unsigned int sdlen = 0;
	struct buf token;
	time_t t;
	int len, rc;

	buf_init(&token, 256 * 1024);
	if (opts == NULL)
		opts = &defaults;
	if (signer == NULL || signer->key == NULL || signer->cert == NULL)
		return sertel_err(SERTEL_EINVAL, "cades: no signer");
	if ((md = key_digest(signer->key)) == NULL)
		return sertel_err(SERTEL_EINVAL, "cades: no digest for this key type");
	if (dlen != (size_t)EVP_MD_get_size(md))
		return sertel_err(
		    SERTEL_EINVAL,
		    "cades: digest is %zu bytes, %s needs %d (the key picks "
		    "the digest: key_digest())",
		    dlen, EVP_MD_get0_name(md), EVP_MD_get_size(md));
	if (opts->level >= SIGN_LEVEL_T && (opts->tsa_url == NULL || !opts->tsa_url[0]))
		return sertel_err(SERTEL_EINVAL, "cades: B-T and above need a TSA URL");

	/* An empty detached SignedData, then the signer with
	 * signing-certificate-v2 (CMS_CADES: ESSCertIDv2 with issuerSerial,
	 * RFC 5035) and without S/MIME capabilities; CMS_PARTIAL leaves the
	 * signature to us. */
	if ((cms = CMS_sign(NULL, NULL, NULL, NULL,
	                    CMS_PARTIAL | CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP)) ==
	        NULL ||
	    (si = CMS_add1_signer(cms, signer->cert, signer->key, md,
	                          CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP |
	                              CMS_CADES)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "cades: cannot set up the signer");
		goto out;
	}
	if ((rc = sign_cms_add_chain(cms, signer)) < 0)
		goto out;
	/* RFC 5652 11.1 / 11.2: content-type and message-digest. */
	if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
	                                 OBJ_nid2obj(NID_pkcs7_data), -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
	                                 digest, (int)dlen)) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "cades: cannot add the attributes");
		goto out;
	}
	if (!opts->pades) {
		/* RFC 5652 11.3: UTCTime through 2049. */
		t = (time_t)(opts->signing_time ? opts->signing_time : time_now());
		if ((when = X509_time_adj_ex(NULL, 0, 0, &t)) == NULL ||
		    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type,
		                                 when, -1)) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO,
			                     "cades: cannot add signing-time");
			goto out;
		}
	}
	if ((rc = cades_sign_attrs(si, signer->key, md)) < 0)
		goto out;

	if (opts->level >= SIGN_LEVEL_T) {
		/* EN 319 122-1 5.3: signature-time-stamp over the signature value
		 * (RFC 3161 Appendix A). */
		sv = CMS_SignerInfo_get0_signature(si);
		if (!EVP_Digest(ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv),
		                sdig, &sdlen, EVP_sha256(), NULL)) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO, "cades: digest failed");
			goto out;
		}
		if ((rc = sign_tsp_request(&token, opts->tsa_url, EVP_sha256(), sdig,
		                           sdlen)) < 0)
			goto out;
		if ((tst_oid = OBJ_txt2obj("1.2.840.113549.1.9.16.2.14", 1)) == NULL ||
		    !CMS_unsigned_add1_attr_by_OBJ(si, tst_oid, V_ASN1_SEQUENCE,
		                                   token.data, (int)token.len)) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO,
			                     "cades: cannot add the signature timestamp");
			goto out;
		}
	}
	if ((len = i2d_CMS_ContentInfo(cms, &der)) <= 0) {
		rc =
		    sertel_err_ossl(SERTEL_ECRYPTO, "cades: cannot encode the signature");
		goto out;
	}
	rc = sign_buf_put(out, der, (size_t)len);
out:
	OPENSSL_free(der);
	ASN1_OBJECT_free(tst_oid);
	ASN1_TIME_free(when);
	CMS_ContentInfo_free(cms);
	buf_free(&token);
	return rc;
}
