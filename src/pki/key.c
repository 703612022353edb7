/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key generation, sealing at rest and public-key policy.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "pki/pki.h"
#include "pki/pki_int.h"

#define KEY_SEAL_LABEL "sertel issuer key seal v1"

int
key_algo_valid(const char *algo)
{
	static const char *ok[] = {"ec-p256", "ec-p384", "rsa-2048", "rsa-3072",
	                           "rsa-4096"};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(algo, ok[i]) == 0)
			return 1;
	return 0;
}

int
key_generate(EVP_PKEY **out, const char *algo)
{
	EVP_PKEY *k = NULL;

	*out = NULL;
	if (!key_algo_valid(algo))
		return sertel_err(SERTEL_EINVAL,
		                  "key algorithm '%s': expected ec-p256, ec-p384, "
		                  "rsa-2048, rsa-3072 or rsa-4096",
		                  algo);
	if (strcmp(algo, "ec-p256") == 0)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else if (strcmp(algo, "ec-p384") == 0)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	else
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
		                      (size_t)strtoul(algo + 4, NULL, 10));
	if (k == NULL)
		return sertel_err_ossl(SERTEL_ECRYPTO, "key generation (%s) failed",
		                       algo);
	*out = k;
	return 0;
}

/* The PKCS#8 passphrase is a 256-bit key, hex-encoded: PBKDF2 stretching
 * adds nothing to a full-entropy key, so the default iteration count is
 * kept and loading stays fast. */
static int
seal_pass(char pass[65], const unsigned char master[SECRET_LEN])
{
	unsigned char k[32];
	int rc;

	if ((rc = secret_derive(k, sizeof(k), master, KEY_SEAL_LABEL)) < 0)
		return rc;
	hex_encode(pass, k, sizeof(k));
	secure_wipe(k, sizeof(k));
	return 0;
}

int
key_seal(char **out, EVP_PKEY *key, const unsigned char master[SECRET_LEN])
{
	char pass[65];
	BIO *b = NULL;
	char *p;
	long n;
	int rc;

	*out = NULL;
	if ((rc = seal_pass(pass, master)) < 0)
		return rc;
	if ((b = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio_PKCS8PrivateKey(b, key, EVP_aes_256_cbc(), pass,
	                                  (int)strlen(pass), NULL, NULL) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "key: PKCS#8 encryption failed");
		goto out;
	}
	n = BIO_get_mem_data(b, &p);
	if ((*out = malloc((size_t)n + 1)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "key: out of memory");
		goto out;
	}
	memcpy(*out, p, (size_t)n);
	(*out)[n] = '\0';
	rc = 0;
out:
	secure_wipe(pass, sizeof(pass));
	BIO_free(b);
	return rc;
}

int
key_unseal(EVP_PKEY **out, const char *pem, const unsigned char master[SECRET_LEN])
{
	char pass[65];
	BIO *b = NULL;
	int rc;

	*out = NULL;
	if (strncmp(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) != 0)
		return sertel_err(SERTEL_ECRYPTO,
		                  "key: not an encrypted PKCS#8 key (refusing a "
		                  "plaintext key at rest)");
	if ((rc = seal_pass(pass, master)) < 0)
		return rc;
	b = BIO_new_mem_buf(pem, -1);
	if (b == NULL || (*out = PEM_read_bio_PrivateKey(b, NULL, NULL, pass)) == NULL)
		rc = sertel_err_ossl(SERTEL_ECRYPTO,
		                     "key: cannot decrypt (wrong master secret?)");
	secure_wipe(pass, sizeof(pass));
	BIO_free(b);
	return rc;
}

/* The odd primes below 752 (CA/B Forum BR 6.1.6: "no factors smaller
 * than 752"; NIST SP 800-89 5.3.3). */
static int
rsa_small_factor(const BIGNUM *n, BN_ULONG *factor)
{
	BN_ULONG p, d;
	int prime;

	for (p = 3; p < 752; p += 2) {
		prime = 1;
		for (d = 3; d * d <= p; d += 2)
			if (p % d == 0) {
				prime = 0;
				break;
			}
		if (prime && BN_mod_word(n, p) == 0) {
			*factor = p;
			return 1;
		}
	}
	return 0;
}

/* CA/B Forum BR 6.1.6: the public exponent odd, 65537 <= e <= 2^256-1;
 * the modulus a multiple of 8 bits with no factor below 752 (so odd).
 * Issue 19: e = 3 was accepted. */
static int
rsa_public_check(EVP_PKEY *key, const char *what)
{
	BIGNUM *n = NULL, *e = NULL;
	BN_ULONG factor = 0;
	int rc = 0;

	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		rc = sertel_err_ossl(SERTEL_EINVAL,
		                     "%s: RSA key without modulus or "
		                     "exponent",
		                     what);
		goto out;
	}
	if (!BN_is_odd(e) || BN_cmp(e, BN_value_one()) <= 0 || BN_num_bits(e) > 256 ||
	    BN_get_word(e) < 65537) {
		char *dec = BN_bn2dec(e);
		rc = sertel_err(SERTEL_EINVAL,
		                "%s: RSA public exponent %.80s refused (CA/B Forum BR "
		                "6.1.6: odd, at least 65537, at most 2^256-1)",
		                what, dec ? dec : "?");
		OPENSSL_free(dec);
		goto out;
	}
	if (BN_num_bits(n) % 8 != 0) {
		rc =
		    sertel_err(SERTEL_EINVAL,
		               "%s: RSA modulus of %d bits refused (CA/B Forum BR 6.1.6: "
		               "a multiple of 8 bits)",
		               what, BN_num_bits(n));
		goto out;
	}
	if (!BN_is_odd(n) || rsa_small_factor(n, &factor)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "%s: RSA modulus has the small factor %lu (CA/B Forum BR "
		                "6.1.6: no factors smaller than 752)",
		                what, BN_is_odd(n) ? (unsigned long)factor : 2UL);
		goto out;
	}
out:
	BN_free(n);
	BN_free(e);
	return rc;
}

/* The point is on the named curve, not the point at infinity, and of the
 * group's order (SP 800-56A 5.6.2.3.3 full public-key validation). */
static int
ec_public_check(EVP_PKEY *key, const char *what)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	int ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;

	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return sertel_err(SERTEL_EINVAL,
		                  "%s: EC public key is not a valid point on its curve "
		                  "(SP 800-56A 5.6.2.3.3: the point at infinity or an "
		                  "off-curve point)",
		                  what);
	}
	return 0;
}

int
key_check_public(EVP_PKEY *key, const char *what)
{
	char group[64];
	size_t glen = 0;
	int bits;

	if (EVP_PKEY_is_a(key, "RSA")) {
		bits = EVP_PKEY_get_bits(key);
		if (bits < 2048)
			return sertel_err(
			    SERTEL_EINVAL,
			    "%s: RSA key of %d bits is too small (minimum 2048)", what,
			    bits);
		if (bits > 8192)
			return sertel_err(
			    SERTEL_EINVAL,
			    "%s: RSA key of %d bits is too large (maximum 8192)", what,
			    bits);
		return rsa_public_check(key, what);
	}
	if (EVP_PKEY_is_a(key, "EC")) {
		if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
		                                   sizeof(group), &glen) != 1) {
			ERR_clear_error();
			return sertel_err(SERTEL_EINVAL,
			                  "%s: EC key with explicit or unknown curve "
			                  "parameters (named curves only)",
			                  what);
		}
		if (strcmp(group, "prime256v1") == 0 || strcmp(group, "secp384r1") == 0 ||
		    strcmp(group, "secp521r1") == 0)
			return ec_public_check(key, what);
		return sertel_err(SERTEL_EINVAL,
		                  "%s: EC curve %s is not supported (P-256, P-384 or "
		                  "P-521)",
		                  what, group);
	}
	return sertel_err(SERTEL_EINVAL, "%s: key type %s is not supported (RSA or EC)",
	                  what, EVP_PKEY_get0_type_name(key));
}

const EVP_MD *
key_digest(EVP_PKEY *key)
{
	if (EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_bits(key) >= 384)
		return EVP_sha384();
	return EVP_sha256();
}

int
key_public_rsa(EVP_PKEY **out, const BIGNUM *n, const BIGNUM *e, const char *what)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int rc = 0;

	*out = NULL;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1)
		rc = sertel_err_ossl(SERTEL_EINVAL, "%s: RSA public key rejected", what);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

int
key_public_ec(EVP_PKEY **out, const char *group, const unsigned char *point, size_t len,
              const char *what)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = NULL;
	int rc = 0;

	*out = NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
	                                             (char *)group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	                                              (void *)point, len);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1)
		rc = sertel_err_ossl(
		    SERTEL_EINVAL, "%s: EC public key is not a point on its curve", what);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}
