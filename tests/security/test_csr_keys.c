/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issue 19: the subject public key of a CSR by CA/B Forum BR 6.1.6 (RSA
 * exponent odd and 65537..2^256-1, modulus a multiple of 8 bits without a
 * factor below 752; EC a valid point, not the point at infinity) and the
 * PEM wrapping of a CSR (exactly one block, nothing but blank space
 * around it).
 */
#include "testutil.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pki/pki.h"

static EVP_PKEY *rsa, *ec;
static char *csr_pem; /* a good CSR of the EC key */

static char *
make_csr_pem(EVP_PKEY *key)
{
	X509_REQ *req = X509_REQ_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out = NULL;
	long n;

	if (req != NULL && b != NULL && X509_REQ_set_pubkey(req, key) == 1 &&
	    X509_REQ_sign(req, key, EVP_sha256()) > 0 &&
	    PEM_write_bio_X509_REQ(b, req) == 1) {
		n = BIO_get_mem_data(b, &p);
		out = strndup(p, (size_t)n);
	}
	BIO_free(b);
	X509_REQ_free(req);
	return out;
}

static int
setup(void **state)
{
	(void)state;
	if (key_generate(&rsa, "rsa-2048") < 0 || key_generate(&ec, "ec-p256") < 0)
		return -1;
	return (csr_pem = make_csr_pem(ec)) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
	free(csr_pem);
	return 0;
}

/* An RSA public key from n and e (the checks see it as a CSR would). */
static EVP_PKEY *
rsa_pub(const BIGNUM *n, const BIGNUM *e)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;

	if (bld != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) != NULL &&
	    EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return k;
}

static BIGNUM *
modulus(void)
{
	BIGNUM *n = NULL;

	assert_int_equal(EVP_PKEY_get_bn_param(rsa, OSSL_PKEY_PARAM_RSA_N, &n), 1);
	return n;
}

/* key_check_public's verdict on (n, e); 0 or the error, message kept. */
static int
check_ne(const BIGNUM *n, const BIGNUM *e)
{
	EVP_PKEY *k = rsa_pub(n, e);
	int rc;

	assert_non_null(k);
	rc = key_check_public(k, "CSR");
	EVP_PKEY_free(k);
	return rc;
}

static void
rsa_exponent_three_is_refused(void **state)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *three = BN_new();
	EVP_PKEY *k = NULL;

	(void)state;
	assert_non_null(ctx);
	assert_true(BN_set_word(three, 3));
	assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048), 1);
	assert_int_equal(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, three), 1);
	assert_int_equal(EVP_PKEY_keygen(ctx, &k), 1);
	assert_int_equal(key_check_public(k, "CSR"), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "exponent 3 refused"));
	/* The usual 65537 key passes. */
	assert_int_equal(key_check_public(rsa, "CSR"), 0);
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(ctx);
	BN_free(three);
}

static void
rsa_exponent_range(void **state)
{
	BIGNUM *n = modulus(), *e = BN_new();

	(void)state;
	assert_true(BN_set_word(e, 65535));
	assert_int_equal(check_ne(n, e), SERTEL_EINVAL);
	assert_true(BN_set_word(e, 65538)); /* even */
	assert_int_equal(check_ne(n, e), SERTEL_EINVAL);
	assert_true(BN_set_word(e, 65539));
	assert_int_equal(check_ne(n, e), 0);
	/* 2^256 - 1 is the largest allowed, 2^256 + 1 too large. */
	assert_true(BN_set_word(e, 0) && BN_set_bit(e, 256) && BN_sub_word(e, 1));
	assert_int_equal(check_ne(n, e), 0);
	assert_true(BN_add_word(e, 2));
	assert_int_equal(check_ne(n, e), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "at most 2^256-1"));
	BN_free(n);
	BN_free(e);
}

static void
rsa_modulus_with_a_small_factor_is_refused(void **state)
{
	static const BN_ULONG primes[] = {3, 5, 7, 11, 13, 743, 751};
	BIGNUM *n = modulus(), *m = BN_new(), *e = BN_new();
	size_t i;

	(void)state;
	assert_true(BN_set_word(e, 65537));
	for (i = 0; i < sizeof(primes) / sizeof(primes[0]); i++) {
		/* m = n - (n mod p), made odd by adding p: p divides it, same
		 * bit length. */
		assert_non_null(BN_copy(m, n));
		assert_true(BN_sub_word(m, BN_mod_word(n, primes[i])));
		if (!BN_is_odd(m))
			assert_true(BN_add_word(m, primes[i]));
		assert_int_equal(BN_num_bits(m), 2048);
		assert_int_equal(check_ne(m, e), SERTEL_EINVAL);
		assert_non_null(strstr(sertel_errmsg(), "small factor"));
	}
	BN_free(n);
	BN_free(m);
	BN_free(e);
}

static void
rsa_modulus_not_a_multiple_of_8_bits_is_refused(void **state)
{
	BIGNUM *n = modulus(), *e = BN_new();

	(void)state;
	/* 2049 bits, odd. */
	assert_true(BN_lshift1(n, n) && BN_add_word(n, 1));
	assert_true(BN_set_word(e, 65537));
	assert_int_equal(check_ne(n, e), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "multiple of 8"));
	BN_free(n);
	BN_free(e);
}

/* A CSR whose P-256 key is the point at infinity (the single octet 00),
 * with an empty signature: refused for the key before any signature. */
static void
ec_point_at_infinity_is_refused(void **state)
{
	static const unsigned char der[] = {
	    0x30, 0x33,       /* CertificationRequest */
	    0x30, 0x22,       /* info */
	    0x02, 0x01, 0x00, /* version 0 */
	    0x30, 0x00,       /* subject: empty */
	    0x30, 0x19,       /* SPKI */
	    0x30, 0x13,       /* algorithm */
	    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,       /* ecPublicKey */
	    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, /* P-256 */
	    0x03, 0x02, 0x00, 0x00, /* the point: 00 */
	    0xa0, 0x00,             /* attributes */
	    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04,
	    0x03, 0x02,       /* ecdsa-with-SHA256 */
	    0x03, 0x01, 0x00, /* signature */
	};

	(void)state;
	assert_int_equal(csr_check(der, sizeof(der)), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "EC public key"));
	/* A valid key passes the same check. */
	assert_int_equal(key_check_public(ec, "CSR"), 0);
}

static int
csr_text(const char *before, const char *middle, const char *after)
{
	char buf[8192];
	int n = snprintf(buf, sizeof(buf), "%s%s%s", before, middle, after);

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	return csr_check((const unsigned char *)buf, (size_t)n);
}

static void
exactly_one_pem_block(void **state)
{
	char two[8192];

	(void)state;
	assert_int_equal(csr_text("", csr_pem, ""), 0);
	assert_int_equal(csr_text("\n \t\r\n", csr_pem, "\r\n\n  "), 0);
	snprintf(two, sizeof(two), "%s%s", csr_pem, csr_pem);
	assert_int_equal(csr_text("", two, ""), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "data after the END line"));
	assert_int_equal(csr_text("", csr_pem, "-----BEGIN CERTIFICATE-----\nAAAA\n"),
	                 SERTEL_EINVAL);
	assert_int_equal(csr_text("", csr_pem, "garbage"), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "data after the END line"));
	assert_int_equal(csr_text("Certificate Request:\n", csr_pem, ""), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "text before the PEM block"));
}

static void
end_line_must_match(void **state)
{
	char buf[8192], *end;

	(void)state;
	snprintf(buf, sizeof(buf), "%s", csr_pem);
	end = strstr(buf, "-----END CERTIFICATE REQUEST-----");
	assert_non_null(end);
	snprintf(end, sizeof(buf) - (size_t)(end - buf), "-----END X509 CRL-----\n");
	assert_int_equal(csr_check((unsigned char *)buf, strlen(buf)), SERTEL_EINVAL);
	assert_non_null(strstr(sertel_errmsg(), "END line"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rsa_exponent_three_is_refused),
	    cmocka_unit_test(rsa_exponent_range),
	    cmocka_unit_test(rsa_modulus_with_a_small_factor_is_refused),
	    cmocka_unit_test(rsa_modulus_not_a_multiple_of_8_bits_is_refused),
	    cmocka_unit_test(ec_point_at_infinity_is_refused),
	    cmocka_unit_test(exactly_one_pem_block),
	    cmocka_unit_test(end_line_must_match),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
