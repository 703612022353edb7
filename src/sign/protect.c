/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Document protection: a file encrypted to one or more certificates as a
 * CMS AuthEnvelopedData (RFC 5083, AES-256-GCM, RFC 5084) or EnvelopedData
 * (RFC 5652 6, AES-256-CBC).  RSA recipients get key transport (ktri,
 * PKCS#1 v1.5, what every CMS implementation reads), EC recipients
 * ephemeral-static ECDH (kari, RFC 5753) with the X9.63 KDF over SHA-256.
 * S/MIME encryption (smime.c) uses the same code.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "sign/sign.h"

static int recipient_check(X509 *x, int i);
static int try_recipients(CMS_ContentInfo *cms, EVP_PKEY *key, X509 *cert);

/* RFC 5280 4.2.1.3: a recipient's certificate must allow the key to be
 * used for key transport (RSA) or key agreement (EC). */
static int
recipient_check(X509 *x, int i)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	uint32_t ku = X509_get_key_usage(x);
	int id;

	if (pk == NULL)
		return sertel_err(SERTEL_EINVAL, "recipient %d: no public key", i + 1);
	if (X509_check_ca(x) != 0)
		return sertel_err(
		    SERTEL_EINVAL,
		    "recipient %d: a CA certificate, not a person's or a system's",
		    i + 1);
	id = EVP_PKEY_get_base_id(pk);
	if (id == EVP_PKEY_RSA) {
		if (!(ku & X509v3_KU_KEY_ENCIPHERMENT))
			return sertel_err(
			    SERTEL_EINVAL,
			    "recipient %d: RFC 5280 4.2.1.3: keyUsage lacks "
			    "keyEncipherment",
			    i + 1);
	} else if (id == EVP_PKEY_EC) {
		if (!(ku & X509v3_KU_KEY_AGREEMENT))
			return sertel_err(
			    SERTEL_EINVAL,
			    "recipient %d: RFC 5280 4.2.1.3: keyUsage lacks "
			    "keyAgreement",
			    i + 1);
	} else {
		return sertel_err(SERTEL_EINVAL, "recipient %d: only RSA and EC keys",
		                  i + 1);
	}
	return 0;
}

int
protect_encrypt(struct buf *out, STACK_OF(X509) * recips, const unsigned char *data,
                size_t len, enum protect_cipher cipher, unsigned flags)
{
	CMS_ContentInfo *cms = NULL;
	CMS_RecipientInfo *ri;
	EVP_PKEY_CTX *pctx;
	BIO *in = NULL;
	unsigned char *der = NULL;
	X509 *x;
	int i, dlen, rc;

	if (recips == NULL || sk_X509_num(recips) == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "protect: at least one recipient is needed");
	if (len > PROTECT_MAX)
		return sertel_err(SERTEL_ETOOBIG, "protect: input over %d bytes",
		                  PROTECT_MAX);
	for (i = 0; i < sk_X509_num(recips); i++)
		if ((rc = recipient_check(sk_X509_value(recips, i), i)) < 0)
			return rc;
	/* An AEAD cipher makes OpenSSL build AuthEnvelopedData. */
	if ((cms = CMS_encrypt(NULL, NULL,
	                       cipher == PROTECT_AES256_CBC ? EVP_aes_256_cbc()
	                                                    : EVP_aes_256_gcm(),
	                       CMS_BINARY | CMS_PARTIAL)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "protect: cannot set up CMS");
		goto out;
	}
	for (i = 0; i < sk_X509_num(recips); i++) {
		x = sk_X509_value(recips, i);
		if ((ri = CMS_add1_recipient_cert(cms, x, CMS_KEY_PARAM)) == NULL) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO,
			                     "protect: recipient %d refused", i + 1);
			goto out;
		}
		/* RFC 5753 / RFC 8551 2.7: SHA-256 KDF rather than OpenSSL's
		 * SHA-1 default. */
		if (CMS_RecipientInfo_type(ri) == CMS_RECIPINFO_AGREE &&
		    (pctx = CMS_RecipientInfo_get0_pkey_ctx(ri)) != NULL &&
		    EVP_PKEY_CTX_set_ecdh_kdf_md(pctx, EVP_sha256()) <= 0) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO,
			                     "protect: cannot set the ECDH KDF");
			goto out;
		}
		/* RFC 8551 2.3 / RFC 4055 4: RSAES-OAEP when asked for. */
		if ((flags & PROTECT_RSA_OAEP) &&
		    CMS_RecipientInfo_type(ri) == CMS_RECIPINFO_TRANS &&
		    ((pctx = CMS_RecipientInfo_get0_pkey_ctx(ri)) == NULL ||
		     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
		     EVP_PKEY_CTX_set_rsa_oaep_md(pctx, EVP_sha256()) <= 0 ||
		     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0)) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO,
			                     "protect: cannot set RSA-OAEP");
			goto out;
		}
	}
	if ((in = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if (!CMS_final(cms, in, NULL, CMS_BINARY) ||
	    (dlen = i2d_CMS_ContentInfo(cms, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "protect: encryption failed");
		goto out;
	}
	rc = sign_buf_put(out, der, (size_t)dlen);
out:
	OPENSSL_free(der);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return rc;
}

/* Unwraps the content-encryption key with the first RecipientInfo key
 * opens (limited to those naming cert, when given).  1: done, 0: none. */
static int
try_recipients(CMS_ContentInfo *cms, EVP_PKEY *key, X509 *cert)
{
	STACK_OF(CMS_RecipientInfo) * ris;
	STACK_OF(CMS_RecipientEncryptedKey) * reks;
	CMS_RecipientInfo *ri;
	CMS_RecipientEncryptedKey *rek;
	int i, j, type;

	if ((ris = CMS_get0_RecipientInfos(cms)) == NULL)
		return 0;
	for (i = 0; i < sk_CMS_RecipientInfo_num(ris); i++) {
		ri = sk_CMS_RecipientInfo_value(ris, i);
		type = CMS_RecipientInfo_type(ri);
		if (type == CMS_RECIPINFO_TRANS) {
			if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA ||
			    (cert != NULL &&
			     CMS_RecipientInfo_ktri_cert_cmp(ri, cert) != 0))
				continue;
			/* set0: the RecipientInfo owns a reference until reset. */
			if (!EVP_PKEY_up_ref(key))
				continue;
			if (CMS_RecipientInfo_set0_pkey(ri, key) != 1) {
				EVP_PKEY_free(key);
				continue;
			}
			j = CMS_RecipientInfo_decrypt(cms, ri);
			CMS_RecipientInfo_set0_pkey(ri, NULL);
			ERR_clear_error();
			if (j == 1)
				return 1;
		} else if (type == CMS_RECIPINFO_AGREE &&
		           EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
			if ((reks = CMS_RecipientInfo_kari_get0_reks(ri)) == NULL)
				continue;
			for (j = 0; j < sk_CMS_RecipientEncryptedKey_num(reks); j++) {
				rek = sk_CMS_RecipientEncryptedKey_value(reks, j);
				if (cert != NULL &&
				    CMS_RecipientEncryptedKey_cert_cmp(rek, cert) != 0)
					continue;
				if (CMS_RecipientInfo_kari_set0_pkey_and_peer(
				        ri, key, NULL) != 1) {
					ERR_clear_error();
					continue;
				}
				if (CMS_RecipientInfo_kari_decrypt(cms, ri, rek) == 1) {
					CMS_RecipientInfo_kari_set0_pkey(ri, NULL);
					return 1;
				}
				CMS_RecipientInfo_kari_set0_pkey(ri, NULL);
				ERR_clear_error();
			}
		}
	}
	return 0;
}

int
protect_decrypt(struct buf *out, EVP_PKEY *key, X509 *cert, const unsigned char *der,
                size_t len)
{
	CMS_ContentInfo *cms = NULL;
	BIO *bout = NULL;
	const unsigned char *p = der;
	BUF_MEM *mem;
	int nid, rc;

	if (len > PROTECT_MAX + 1024 * 1024)
		return sertel_err(SERTEL_ETOOBIG, "protect: input too large");
	if ((cms = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL || p != der + len) {
		rc = sertel_err_ossl(SERTEL_EINVAL,
		                     "protect: input is not one CMS structure "
		                     "(DER)");
		goto out;
	}
	nid = OBJ_obj2nid(CMS_get0_type(cms));
	if (nid != NID_pkcs7_enveloped && nid != NID_id_smime_ct_authEnvelopedData) {
		rc = sertel_err(SERTEL_EINVAL,
		                "protect: CMS content is %s, not (Auth)EnvelopedData",
		                OBJ_nid2sn(nid));
		goto out;
	}
	if (cert != NULL && X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		rc = sertel_err(SERTEL_EINVAL,
		                "protect: the key does not belong to --cert");
		goto out;
	}
	if (!try_recipients(cms, key, cert)) {
		rc = sertel_err(SERTEL_EAUTH,
		                "protect: this key is not one of the recipients");
		goto out;
	}
	if ((bout = BIO_new(BIO_s_mem())) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	/* The key is set: CMS_decrypt only decrypts (and, for GCM, checks the
	 * tag).  A failure now means the ciphertext was changed. */
	if (!CMS_decrypt(cms, NULL, NULL, NULL, bout, CMS_BINARY)) {
		rc =
		    sertel_err_ossl(SERTEL_EINVALID,
		                    "protect: decryption failed: the data was damaged or "
		                    "tampered with");
		goto out;
	}
	BIO_get_mem_ptr(bout, &mem);
	rc = sign_buf_put(out, (const unsigned char *)mem->data, mem->length);
out:
	BIO_free(bout);
	CMS_ContentInfo_free(cms);
	return rc;
}
