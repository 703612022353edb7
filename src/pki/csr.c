/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PKCS#10 certification requests (RFC 2986), parsed without OpenSSL 3.0's
 * decoder framework.
 *
 * d2i_X509_REQ decodes the subject public key through OSSL_DECODER, which
 * builds a decoder chain on every call (about 150 us per CSR on the
 * benchmark machine, more than the signature check), and X509_set_pubkey
 * re-encodes it (280 us).  Here the request is parsed with OpenSSL's ASN.1
 * templates but the SubjectPublicKeyInfo is kept as algorithm + bit
 * string; the EVP_PKEY is imported from its parameters with
 * EVP_PKEY_fromdata, the self-signature is checked with EVP_DigestVerify
 * over the request info exactly as received, and the certificate gets the
 * SPKI copied field by field.  Strictness is OpenSSL's DER parser plus the
 * checks below: no trailing bytes, version 0, known algorithms only.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pki/pki_int.h"

/* SubjectPublicKeyInfo without the automatic key decode of X509_PUBKEY. */
typedef struct {
	X509_ALGOR *algor;
	ASN1_BIT_STRING *key;
} SPKI_RAW;

/* CertificationRequestInfo; _enc keeps the received encoding, which is
 * what the signature covers. */
typedef struct {
	ASN1_ENCODING enc;
	ASN1_INTEGER *version;
	X509_NAME *subject;
	SPKI_RAW *spki;
	STACK_OF(X509_ATTRIBUTE) * attributes;
} CRI_RAW;

typedef struct {
	CRI_RAW *info;
	X509_ALGOR *sig_alg;
	ASN1_BIT_STRING *signature;
} CSR_RAW;

typedef struct {
	ASN1_INTEGER *n;
	ASN1_INTEGER *e;
} RSA_PUB_RAW;

ASN1_SEQUENCE(SPKI_RAW) = {ASN1_SIMPLE(SPKI_RAW, algor, X509_ALGOR),
                           ASN1_SIMPLE(SPKI_RAW, key,
                                       ASN1_BIT_STRING)} ASN1_SEQUENCE_END(SPKI_RAW)

    ASN1_SEQUENCE_enc(CRI_RAW, enc,
                      0) = {ASN1_SIMPLE(CRI_RAW, version, ASN1_INTEGER),
                            ASN1_SIMPLE(CRI_RAW, subject, X509_NAME),
                            ASN1_SIMPLE(CRI_RAW, spki, SPKI_RAW),
                            ASN1_IMP_SET_OF(CRI_RAW, attributes, X509_ATTRIBUTE,
                                            0)} ASN1_SEQUENCE_END_enc(CRI_RAW, CRI_RAW)

        ASN1_SEQUENCE(CSR_RAW) = {ASN1_SIMPLE(CSR_RAW, info, CRI_RAW),
                                  ASN1_SIMPLE(CSR_RAW, sig_alg, X509_ALGOR),
                                  ASN1_SIMPLE(CSR_RAW, signature,
                                              ASN1_BIT_STRING)} ASN1_SEQUENCE_END(CSR_RAW)

            ASN1_SEQUENCE(RSA_PUB_RAW) =
                {ASN1_SIMPLE(RSA_PUB_RAW, n, ASN1_INTEGER),
                 ASN1_SIMPLE(RSA_PUB_RAW, e, ASN1_INTEGER)} ASN1_SEQUENCE_END(RSA_PUB_RAW)

                    DECLARE_ASN1_FUNCTIONS(CSR_RAW) IMPLEMENT_ASN1_FUNCTIONS(CSR_RAW)
                        DECLARE_ASN1_FUNCTIONS(RSA_PUB_RAW)
                            IMPLEMENT_ASN1_FUNCTIONS(RSA_PUB_RAW)

                                struct csr {
	CSR_RAW *raw;
	EVP_PKEY *pkey;
};

void
csr_free(struct csr *c)
{
	if (c == NULL)
		return;
	CSR_RAW_free(c->raw);
	EVP_PKEY_free(c->pkey);
	OPENSSL_free(c);
}

EVP_PKEY *
csr_pubkey(const struct csr *c)
{
	return c->pkey;
}

/* Only blank space around the one PEM block. */
static int
csr_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* PEM "CERTIFICATE REQUEST" (or "NEW CERTIFICATE REQUEST") to DER.
 * Exactly one block with a matching END line and nothing but blank space
 * before or after it (issue 19: a second PEM block or garbage after the
 * request was silently ignored, so what was checked was not all that was
 * sent). */
static int
csr_unpem(unsigned char **out, size_t *outlen, const unsigned char *data, size_t len)
{
	static const char *const labels[] = {"CERTIFICATE REQUEST",
	                                     "NEW CERTIFICATE REQUEST"};
	const char *text = (const char *)data, *p, *b64, *end, *tail;
	char begin_line[64], end_line[64];
	size_t i, lead;

	p = memmem(data, len, "-----BEGIN ", 11);
	if (p == NULL)
		return sertel_err(SERTEL_EINVAL, "CSR: not a PEM CERTIFICATE REQUEST");
	lead = (size_t)(p - text);
	if (!csr_blank(text, lead))
		return sertel_err(
		    SERTEL_EINVAL,
		    "CSR: text before the PEM block (exactly one CERTIFICATE "
		    "REQUEST block is accepted)");
	for (i = 0; i < 2; i++) {
		snprintf(begin_line, sizeof(begin_line), "-----BEGIN %s-----", labels[i]);
		if (len - lead >= strlen(begin_line) &&
		    memcmp(p, begin_line, strlen(begin_line)) == 0)
			break;
	}
	if (i == 2)
		return sertel_err(SERTEL_EINVAL, "CSR: not a PEM CERTIFICATE REQUEST");
	snprintf(end_line, sizeof(end_line), "-----END %s-----", labels[i]);
	b64 = p + strlen(begin_line);
	end = memmem(b64, len - (size_t)(b64 - text), "-----", 5);
	if (end == NULL || (size_t)(text + len - end) < strlen(end_line) ||
	    memcmp(end, end_line, strlen(end_line)) != 0)
		return sertel_err(SERTEL_EINVAL, "CSR: PEM without its END line (%s)",
		                  end_line);
	tail = end + strlen(end_line);
	if (!csr_blank(tail, len - (size_t)(tail - text)))
		return sertel_err(SERTEL_EINVAL,
		                  "CSR: data after the END line (a second PEM block or "
		                  "garbage); exactly one CERTIFICATE REQUEST block is "
		                  "accepted");
	if (b64_decode(out, outlen, b64, (size_t)(end - b64), 0) < 0)
		return sertel_err(SERTEL_EINVAL, "CSR: bad base64 in PEM");
	return 0;
}

/* Signature algorithm -> digest name; only PKCS#1 v1.5 RSA and ECDSA with
 * SHA-2 (SHA-1 signatures prove nothing any more). */
static const char *
csr_sig_md(const X509_ALGOR *alg, int *pknid)
{
	int nid = OBJ_obj2nid(alg->algorithm), mdnid;

	if (!OBJ_find_sigid_algs(nid, &mdnid, pknid))
		return NULL;
	switch (mdnid) {
	case NID_sha256: return "SHA256";
	case NID_sha384: return "SHA384";
	case NID_sha512: return "SHA512";
	default: return NULL;
	}
}

static int
csr_key_ec(EVP_PKEY **out, const SPKI_RAW *spki)
{
	const ASN1_OBJECT *curve;
	int ptype, nid;
	const void *pval;

	X509_ALGOR_get0(NULL, &ptype, &pval, spki->algor);
	if (ptype != V_ASN1_OBJECT)
		return sertel_err(SERTEL_EINVAL,
		                  "CSR: EC key with explicit or missing curve "
		                  "parameters (named curves only)");
	curve = pval;
	nid = OBJ_obj2nid(curve);
	if (nid != NID_X9_62_prime256v1 && nid != NID_secp384r1 && nid != NID_secp521r1) {
		char name[80];
		OBJ_obj2txt(name, sizeof(name), curve, 0);
		return sertel_err(SERTEL_EINVAL,
		                  "CSR: EC curve %s is not supported (P-256, P-384 or "
		                  "P-521)",
		                  name);
	}
	return key_public_ec(out, OBJ_nid2sn(nid), spki->key->data,
	                     (size_t)spki->key->length, "CSR");
}

static int
csr_key_rsa(EVP_PKEY **out, const SPKI_RAW *spki)
{
	const unsigned char *p = spki->key->data;
	RSA_PUB_RAW *rp = NULL;
	BIGNUM *n = NULL, *e = NULL;
	int ptype, rc = 0;

	/* RFC 3279 2.3.1: parameters NULL. */
	X509_ALGOR_get0(NULL, &ptype, NULL, spki->algor);
	if (ptype != V_ASN1_NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "CSR: rsaEncryption parameters must be NULL");
	rp = d2i_RSA_PUB_RAW(NULL, &p, spki->key->length);
	if (rp == NULL || p != spki->key->data + spki->key->length) {
		RSA_PUB_RAW_free(rp);
		ERR_clear_error();
		return sertel_err(SERTEL_EINVAL, "CSR: malformed RSA public key");
	}
	if ((n = ASN1_INTEGER_to_BN(rp->n, NULL)) == NULL ||
	    (e = ASN1_INTEGER_to_BN(rp->e, NULL)) == NULL || BN_is_negative(n) ||
	    BN_is_negative(e) || !BN_is_odd(e) || BN_is_one(e)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "CSR: RSA modulus or exponent out of range");
		goto out;
	}
	rc = key_public_rsa(out, n, e, "CSR");
out:
	BN_free(n);
	BN_free(e);
	RSA_PUB_RAW_free(rp);
	return rc;
}

int
csr_parse(struct csr **out, const unsigned char *data, size_t len)
{
	struct csr *c = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	size_t dlen;
	const char *md;
	EVP_MD_CTX *mctx = NULL;
	int rc, keynid, pknid;

	*out = NULL;
	if (len == 0)
		return sertel_err(SERTEL_EINVAL, "CSR: empty");
	if (len > SERTEL_MAX_CSR)
		return sertel_err(SERTEL_ETOOBIG, "CSR: %zu bytes exceeds %d", len,
		                  SERTEL_MAX_CSR);
	if (memmem(data, len, "-----BEGIN", 10) != NULL) {
		if ((rc = csr_unpem(&der, &dlen, data, len)) < 0)
			return rc;
		p = der;
	} else {
		p = data;
		dlen = len;
	}
	if ((c = OPENSSL_zalloc(sizeof(*c))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto fail;
	}
	{
		const unsigned char *start = p;
		c->raw = d2i_CSR_RAW(NULL, &p, (long)dlen);
		if (c->raw == NULL) {
			rc = sertel_err_ossl(SERTEL_EINVAL, "CSR: not a PKCS#10 request");
			goto fail;
		}
		if (p != start + dlen) {
			rc = sertel_err(SERTEL_EINVAL, "CSR: trailing bytes after DER");
			goto fail;
		}
	}
	if (ASN1_INTEGER_get(c->raw->info->version) != 0) {
		rc = sertel_err(SERTEL_EINVAL, "CSR: RFC 2986 4.1: version must be 0");
		goto fail;
	}
	/* The public key. */
	keynid = OBJ_obj2nid(c->raw->info->spki->algor->algorithm);
	if (keynid == NID_X9_62_id_ecPublicKey)
		rc = csr_key_ec(&c->pkey, c->raw->info->spki);
	else if (keynid == NID_rsaEncryption)
		rc = csr_key_rsa(&c->pkey, c->raw->info->spki);
	else
		rc = sertel_err(SERTEL_EINVAL,
		                "CSR: key type %s is not supported (RSA or EC)",
		                OBJ_nid2sn(keynid));
	if (rc < 0)
		goto fail;
	if ((rc = key_check_public(c->pkey, "CSR")) < 0)
		goto fail;
	/* RFC 2986 4.2: the signature proves possession of the private key. */
	md = csr_sig_md(c->raw->sig_alg, &pknid);
	if (md == NULL ||
	    pknid != (keynid == NID_rsaEncryption ? NID_rsaEncryption
	                                          : NID_X9_62_id_ecPublicKey)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "CSR: signature algorithm %s not accepted (ECDSA or RSA "
		                "PKCS#1 v1.5 with SHA-256/384/512, matching the key)",
		                OBJ_nid2sn(OBJ_obj2nid(c->raw->sig_alg->algorithm)));
		goto fail;
	}
	if (c->raw->signature->flags & 0x07) {
		rc = sertel_err(SERTEL_EINVAL,
		                "CSR: signature BIT STRING has unused bits");
		goto fail;
	}
	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit_ex(mctx, NULL, md, NULL, NULL, c->pkey, NULL) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CSR: cannot set up verification");
		goto fail;
	}
	if (EVP_DigestVerify(mctx, c->raw->signature->data,
	                     (size_t)c->raw->signature->length, c->raw->info->enc.enc,
	                     (size_t)c->raw->info->enc.len) != 1) {
		ERR_clear_error();
		rc = sertel_err(SERTEL_EINVAL,
		                "CSR: self-signature does not verify (proof of "
		                "possession failed)");
		goto fail;
	}
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(der);
	*out = c;
	return 0;
fail:
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(der);
	csr_free(c);
	return rc;
}

int
csr_check(const unsigned char *data, size_t len)
{
	struct csr *c = NULL;
	int rc = csr_parse(&c, data, len);

	csr_free(c);
	return rc;
}

int
csr_copy_pubkey(X509 *x, const struct csr *c)
{
	const SPKI_RAW *spki = c->raw->info->spki;
	const ASN1_OBJECT *obj;
	int ptype;
	const void *pval;
	ASN1_OBJECT *alg = NULL, *param_obj = NULL;
	unsigned char *key = NULL;

	X509_ALGOR_get0(&obj, &ptype, &pval, spki->algor);
	if ((alg = OBJ_dup(obj)) == NULL)
		goto fail;
	if (ptype == V_ASN1_OBJECT && (param_obj = OBJ_dup(pval)) == NULL)
		goto fail;
	if ((key = OPENSSL_memdup(spki->key->data, (size_t)spki->key->length)) == NULL)
		goto fail;
	if (X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), alg, ptype,
	                           ptype == V_ASN1_OBJECT ? (void *)param_obj : NULL, key,
	                           spki->key->length) != 1)
		goto fail;
	return 0;
fail:
	ASN1_OBJECT_free(alg);
	ASN1_OBJECT_free(param_obj);
	OPENSSL_free(key);
	return sertel_err_ossl(SERTEL_ECRYPTO, "certificate: cannot set public key");
}
