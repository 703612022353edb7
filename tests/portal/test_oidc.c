/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checks of an OpenID Connect ID token (src/portal/oidc.c over
 * src/pki/jws.c), with tokens made here with OpenSSL: RS256 and ES256
 * verify with the key the header names; a changed signature, another
 * audience, an expired token, a token issued in the future, another
 * issuer, another nonce, alg "none", HS256 keyed with the RSA modulus (the
 * algorithm confusion of RFC 8725 2.1), an unknown kid, a second azp and
 * two keys without a kid are each refused with their reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "pki/jws.h"
#include "portal/oidc.h"

#define ISS   "https://sso.cirebonkota.go.id"
#define CID   "sertel-portal"
#define NONCE "6e6f6e6365"

static EVP_PKEY *rsa, *ec;
static json_t *jwks;
static int64_t now;

static char *
b64u(const void *p, size_t n)
{
	char *s = NULL;

	assert_int_equal(b64_encode(&s, p, n, 1), 0);
	return s;
}

static char *
bn_b64u(EVP_PKEY *k, const char *name)
{
	BIGNUM *bn = NULL;
	unsigned char buf[1024];
	int n;
	char *s;

	assert_int_equal(EVP_PKEY_get_bn_param(k, name, &bn), 1);
	n = BN_bn2bin(bn, buf);
	BN_free(bn);
	s = b64u(buf, (size_t)n);
	return s;
}

static json_t *
jwk_rsa(const char *kid)
{
	char *n = bn_b64u(rsa, OSSL_PKEY_PARAM_RSA_N),
	     *e = bn_b64u(rsa, OSSL_PKEY_PARAM_RSA_E);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "kid", kid,
	                      "use", "sig", "n", n, "e", e);

	free(n);
	free(e);
	return j;
}

static json_t *
jwk_ec(const char *kid)
{
	unsigned char pub[65];
	size_t len = 0;
	char *x, *y;
	json_t *j;

	assert_int_equal(EVP_PKEY_get_octet_string_param(ec, OSSL_PKEY_PARAM_PUB_KEY, pub,
	                                                 sizeof(pub), &len),
	                 1);
	assert_int_equal(len, 65);
	x = b64u(pub + 1, 32);
	y = b64u(pub + 33, 32);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "kid", kid, "crv",
	              "P-256", "x", x, "y", y);
	free(x);
	free(y);
	return j;
}

/* header.payload.signature with key (RS256 or ES256), or with HS256 keyed
 * by hmac_key, or with sig_override as the signature part. */
static char *
token(const char *alg, const char *kid, json_t *claims, EVP_PKEY *key,
      const unsigned char *hmac_key, size_t hmac_len)
{
	json_t *h =
	    kid ? json_pack("{s:s, s:s, s:s}", "alg", alg, "typ", "JWT", "kid", kid)
	        : json_pack("{s:s, s:s}", "alg", alg, "typ", "JWT");
	char *hs = json_dumps(h, JSON_COMPACT), *cs = json_dumps(claims, JSON_COMPACT);
	char *h64 = b64u(hs, strlen(hs)), *c64 = b64u(cs, strlen(cs)), *s64, *out;
	unsigned char sig[512], rs[64];
	size_t slen = sizeof(sig), olen;
	unsigned int hl = 0;
	char input[8192];

	snprintf(input, sizeof(input), "%s.%s", h64, c64);
	if (hmac_key != NULL) {
		HMAC(EVP_sha256(), hmac_key, (int)hmac_len, (unsigned char *)input,
		     strlen(input), sig, &hl);
		slen = hl;
	} else if (key != NULL) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key),
		                 1);
		assert_int_equal(
		    EVP_DigestSign(md, sig, &slen, (unsigned char *)input, strlen(input)),
		    1);
		EVP_MD_CTX_free(md);
		if (EVP_PKEY_is_a(key, "EC")) {
			const unsigned char *p = sig;
			ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)slen);

			assert_non_null(es);
			assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(es), rs, 32), 32);
			assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(es), rs + 32, 32),
			                 32);
			ECDSA_SIG_free(es);
			memcpy(sig, rs, 64);
			slen = 64;
		}
	} else {
		memcpy(sig, "x", 1);
		slen = 1;
	}
	s64 = b64u(sig, slen);
	olen = strlen(input) + strlen(s64) + 2;
	out = malloc(olen);
	snprintf(out, olen, "%s.%s", input, s64);
	free(hs);
	free(cs);
	free(h64);
	free(c64);
	free(s64);
	json_decref(h);
	return out;
}

static json_t *
claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "iss", ISS, "sub", "u-17",
	                 "aud", CID, "exp", (json_int_t)(now + 300), "iat",
	                 (json_int_t)now, "nonce", NONCE, "nik", "3274010101820001");
}

/* Checks tok; want NULL: accepted; otherwise refused with want in the
 * message. */
static void
expect(char *tok, const char *want)
{
	json_t *c = NULL;
	int rc = oidc_id_token_check(&c, tok, jwks, ISS, CID, NONCE, now);

	if (want == NULL) {
		if (rc != 0)
			fail_msg("refused: %s", sertel_errmsg());
		assert_string_equal(json_string_value(json_object_get(c, "sub")), "u-17");
	} else {
		assert_int_equal(rc, SERTEL_EAUTH);
		assert_null(c);
		if (strstr(sertel_errmsg(), want) == NULL)
			fail_msg("expected \"%s\", got \"%s\"", want, sertel_errmsg());
	}
	json_decref(c);
	free(tok);
}

static int
setup(void **state)
{
	(void)state;
	now = time_now();
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(rsa);
	assert_non_null(ec);
	jwks = json_pack("{s:[o, o]}", "keys", jwk_rsa("r1"), jwk_ec("e1"));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
	json_decref(jwks);
	return 0;
}

static void
rs256_and_es256_verify(void **state)
{
	json_t *c = claims();

	(void)state;
	expect(token("RS256", "r1", c, rsa, NULL, 0), NULL);
	expect(token("ES256", "e1", c, ec, NULL, 0), NULL);
	json_decref(c);
}

static void
a_changed_signature_is_refused(void **state)
{
	json_t *c = claims();
	char *t;
	size_t n;

	(void)state;
	t = token("RS256", "r1", c, rsa, NULL, 0);
	n = strlen(t);
	t[n - 10] = t[n - 10] == 'A' ? 'B' : 'A';
	expect(t, "does not verify");
	t = token("ES256", "e1", c, ec, NULL, 0);
	n = strlen(t);
	t[n - 10] = t[n - 10] == 'A' ? 'B' : 'A';
	expect(t, "does not verify");
	/* Signed by the EC key but naming the RSA key's kid. */
	expect(token("ES256", "r1", c, ec, NULL, 0), "no ES256 key");
	json_decref(c);
}

static void
claims_are_checked(void **state)
{
	json_t *c;

	(void)state;
	c = claims();
	json_object_set_new(c, "aud", json_string("another-client"));
	expect(token("RS256", "r1", c, rsa, NULL, 0), "aud does not name this client");
	json_object_set_new(c, "aud", json_pack("[s, s]", "another-client", CID));
	expect(token("RS256", "r1", c, rsa, NULL, 0), "azp");
	json_object_set_new(c, "azp", json_string(CID));
	expect(token("RS256", "r1", c, rsa, NULL, 0), NULL);
	json_decref(c);

	c = claims();
	json_object_set_new(c, "exp", json_integer(now - 120));
	expect(token("RS256", "r1", c, rsa, NULL, 0), "expired");
	json_object_set_new(c, "exp", json_integer(now + 3600));
	json_object_set_new(c, "iat", json_integer(now + 600));
	expect(token("RS256", "r1", c, rsa, NULL, 0), "too far");
	json_object_set_new(c, "iat", json_integer(now - 3600));
	expect(token("RS256", "r1", c, rsa, NULL, 0), "too far");
	json_decref(c);

	c = claims();
	json_object_set_new(c, "nonce", json_string("another-nonce"));
	expect(token("ES256", "e1", c, ec, NULL, 0), "nonce");
	json_object_del(c, "nonce");
	expect(token("ES256", "e1", c, ec, NULL, 0), "nonce");
	json_decref(c);

	c = claims();
	json_object_set_new(c, "iss", json_string("https://evil.example"));
	expect(token("RS256", "r1", c, rsa, NULL, 0), "iss");
	json_object_set_new(c, "iss", json_string(ISS));
	json_object_del(c, "sub");
	expect(token("RS256", "r1", c, rsa, NULL, 0), "sub is required");
	json_decref(c);
}

static void
other_algorithms_and_keys_are_refused(void **state)
{
	json_t *c = claims(), *two;
	char *n = bn_b64u(rsa, OSSL_PKEY_PARAM_RSA_N), *t;
	json_t *saved;

	(void)state;
	expect(token("none", NULL, c, NULL, NULL, 0), "algorithm \"none\" refused");
	expect(token("none", "r1", c, NULL, NULL, 0), "algorithm \"none\" refused");
	/* RFC 8725 2.1: HS256 keyed with the public key's bytes. */
	expect(token("HS256", "r1", c, NULL, (unsigned char *)n, strlen(n)),
	       "algorithm \"HS256\" refused");
	expect(token("RS256", "unknown", c, rsa, NULL, 0),
	       "no RS256 key with kid \"unknown\"");
	/* No kid: the only RSA key is taken; with two, the provider must say. */
	expect(token("RS256", NULL, c, rsa, NULL, 0), NULL);
	two = json_pack("{s:[o, o]}", "keys", jwk_rsa("r1"), jwk_rsa("r2"));
	saved = jwks;
	jwks = two;
	expect(token("RS256", NULL, c, rsa, NULL, 0), "must name one with kid");
	jwks = saved;
	json_decref(two);
	/* Not a JWS at all. */
	t = strdup("not.a-token");
	expect(t, "three");
	t = strdup("a.b.c.d");
	expect(t, "three");
	free(n);
	json_decref(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rs256_and_es256_verify),
	    cmocka_unit_test(a_changed_signature_is_refused),
	    cmocka_unit_test(claims_are_checked),
	    cmocka_unit_test(other_algorithms_and_keys_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
