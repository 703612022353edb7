/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Owners' private keys sealed under their passphrase (Palembang 12(2)a-b:
 * signature creation data under the signer's sole control).
 *
 * key = Argon2id(passphrase, salt, ops, mem)  (libsodium; OpenSSL 3.0 has
 *                                              no Argon2)
 * sealed = AES-256-GCM(key, nonce, PKCS#8 DER, aad = "sertel-seal-v1")
 *
 * The passphrase is never stored; a wrong one fails the GCM tag.  The cost
 * parameters are stored with each sealed key so they can be raised later
 * without breaking old keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "pki/pki.h"

#define SEAL_AAD "sertel-seal-v1"
#define SEAL_TAG 16

static int
seal_init(void)
{
	if (sodium_init() < 0)
		return sertel_err(SERTEL_ECRYPTO, "libsodium: initialisation failed");
	return 0;
}

int
seal_params_default(struct seal_params *out)
{
	/* libsodium's INTERACTIVE level: 2 passes over 64 MiB. */
	out->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	out->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	return 0;
}

static int
seal_derive(unsigned char key[32], const char *pass, size_t passlen,
            const unsigned char salt[SEAL_SALT], const struct seal_params *p)
{
	int rc;

	if ((rc = seal_init()) < 0)
		return rc;
	if (p->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
	    p->memlimit < crypto_pwhash_MEMLIMIT_MIN)
		return sertel_err(SERTEL_EINVAL,
		                  "seal: Argon2id parameters below minimum");
	if (crypto_pwhash(key, 32, pass, passlen, salt, p->opslimit, p->memlimit,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return sertel_err(SERTEL_ENOMEM, "seal: Argon2id ran out of memory");
	return 0;
}

static int
gcm(int enc, unsigned char *out, const unsigned char *in, size_t len,
    const unsigned char key[32], const unsigned char nonce[SEAL_NONCE],
    unsigned char tag[SEAL_TAG])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0, ok;

	ok = c != NULL &&
	     EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, nonce, enc) == 1 &&
	     EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)SEAL_AAD,
	                      (int)strlen(SEAL_AAD)) == 1 &&
	     EVP_CipherUpdate(c, out, &n, in, (int)len) == 1 &&
	     (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG, tag) == 1) &&
	     EVP_CipherFinal_ex(c, out + n, &fin) == 1 &&
	     (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SEAL_TAG, tag) == 1);
	EVP_CIPHER_CTX_free(c);
	ERR_clear_error();
	return ok ? 0 : -1;
}

int
seal_key(struct sealed_key *out, EVP_PKEY *key, const char *pass, size_t passlen,
         const struct seal_params *p)
{
	unsigned char k[32], *der = NULL;
	int dlen, rc;

	memset(out, 0, sizeof(*out));
	out->params = *p;
	if ((dlen = i2d_PrivateKey(key, &der)) <= 0)
		return sertel_err_ossl(SERTEL_ECRYPTO, "seal: cannot encode the key");
	if ((rc = rand_bytes(out->salt, SEAL_SALT)) < 0 ||
	    (rc = rand_bytes(out->nonce, SEAL_NONCE)) < 0 ||
	    (rc = seal_derive(k, pass, passlen, out->salt, p)) < 0)
		goto out;
	if ((out->sealed = malloc((size_t)dlen + SEAL_TAG)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if (gcm(1, out->sealed, der, (size_t)dlen, k, out->nonce, out->sealed + dlen) <
	    0) {
		rc = sertel_err(SERTEL_ECRYPTO, "seal: encryption failed");
		goto out;
	}
	out->sealed_len = (size_t)dlen + SEAL_TAG;
	rc = 0;
out:
	secure_wipe(k, sizeof(k));
	if (der != NULL) {
		secure_wipe(der, (size_t)dlen);
		OPENSSL_free(der);
	}
	if (rc < 0)
		sealed_key_free(out);
	return rc;
}

int
unseal_key(EVP_PKEY **out, const struct sealed_key *s, const char *pass, size_t passlen)
{
	unsigned char k[32], *der = NULL, tag[SEAL_TAG];
	const unsigned char *p;
	size_t dlen;
	int rc;

	*out = NULL;
	if (s->sealed_len <= SEAL_TAG)
		return sertel_err(SERTEL_ECRYPTO, "seal: truncated sealed key");
	dlen = s->sealed_len - SEAL_TAG;
	if ((rc = seal_derive(k, pass, passlen, s->salt, &s->params)) < 0)
		return rc;
	if ((der = malloc(dlen)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(tag, s->sealed + dlen, SEAL_TAG);
	if (gcm(0, der, s->sealed, dlen, k, s->nonce, tag) < 0) {
		/* The only way this fails with intact data is a wrong passphrase. */
		rc = sertel_err(SERTEL_EAUTH, "wrong passphrase");
		goto out;
	}
	p = der;
	if ((*out = d2i_AutoPrivateKey(NULL, &p, (long)dlen)) == NULL)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "seal: cannot decode the key");
	else
		rc = 0;
out:
	secure_wipe(k, sizeof(k));
	if (der != NULL) {
		secure_wipe(der, dlen);
		free(der);
	}
	return rc;
}

void
sealed_key_free(struct sealed_key *s)
{
	if (s == NULL)
		return;
	free(s->sealed);
	s->sealed = NULL;
	s->sealed_len = 0;
}

int
passphrase_check(const char *pass, size_t len, size_t min_len,
                 const char *const *forbidden, int nforbidden)
{
	int letters = 0, digits = 0, others = 0, i;
	size_t k;

	if (len < min_len)
		return sertel_err(SERTEL_EINVAL, "passphrase: at least %zu characters",
		                  min_len);
	if (len > 1024)
		return sertel_err(SERTEL_EINVAL, "passphrase: at most 1024 characters");
	for (k = 0; k < len; k++) {
		unsigned char c = (unsigned char)pass[k];
		if (c == '\n' || c == '\r' || c == '\0')
			return sertel_err(SERTEL_EINVAL,
			                  "passphrase: no line breaks or NUL");
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letters = 1;
		else if (c >= '0' && c <= '9')
			digits = 1;
		else
			others = 1;
	}
	if (letters + digits + others < 2)
		return sertel_err(SERTEL_EINVAL,
		                  "passphrase: mix at least two of letters, digits and "
		                  "other characters");
	/* Not the owner's own identifiers (NIK, NIP, e-mail, name). */
	for (i = 0; i < nforbidden; i++) {
		if (forbidden[i] && *forbidden[i] && strlen(forbidden[i]) >= 4 &&
		    strcasestr(pass, forbidden[i]) != NULL)
			return sertel_err(
			    SERTEL_EINVAL,
			    "passphrase: must not contain your NIK, NIP, name "
			    "or e-mail");
	}
	return 0;
}

/* A CSR from a key generated here. */
static int
csr_from_key(char **out, EVP_PKEY *key)
{
	X509_REQ *req = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;
	int rc = 0;

	*out = NULL;
	if (req == NULL || b == NULL || X509_REQ_set_pubkey(req, key) != 1 ||
	    X509_REQ_sign(req, key, key_digest(key)) <= 0 ||
	    PEM_write_bio_X509_REQ(b, req) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "generated key: cannot make a CSR");
		goto out;
	}
	n = BIO_get_mem_data(b, &p);
	if ((*out = strndup(p, (size_t)n)) == NULL)
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
out:
	BIO_free(b);
	X509_REQ_free(req);
	return rc;
}

int
key_generate_sealed(struct sealed_key *sealed, char **csr_pem, const char *algo,
                    const char *pass, size_t passlen, const struct seal_params *p)
{
	EVP_PKEY *key = NULL;
	int rc;

	*csr_pem = NULL;
	memset(sealed, 0, sizeof(*sealed));
	if ((rc = key_generate(&key, algo)) < 0 ||
	    (rc = seal_key(sealed, key, pass, passlen, p)) < 0 ||
	    (rc = csr_from_key(csr_pem, key)) < 0)
		sealed_key_free(sealed);
	EVP_PKEY_free(key);
	return rc;
}
