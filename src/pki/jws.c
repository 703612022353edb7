/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compact JWS verification (RFC 7515) with keys from a JWK set (RFC 7517):
 * RS256 (RSASSA-PKCS1-v1_5 with SHA-256) and ES256 (ECDSA P-256 with
 * SHA-256, the signature as r || s, RFC 7518 3.4).  The keys are imported
 * with EVP_PKEY_fromdata and held to sertel's key policy
 * (key_check_public); the signature is checked over the first two parts
 * exactly as received.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "pki/jws.h"
#include "pki/pki.h"
#include "pki/pki_int.h"

static const char B64URL[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* One base64url part (no padding, RFC 7515 2) decoded into *out. */
static int
part_decode(unsigned char **out, size_t *len, const char *s, size_t n, const char *what)
{
	if (n == 0 || strspn(s, B64URL) < n)
		return sertel_err(SERTEL_EAUTH,
		                  "ID token: RFC 7515 7.1: %s is not base64url", what);
	if (b64_decode(out, len, s, n, 1) < 0)
		return sertel_err(SERTEL_EAUTH,
		                  "ID token: RFC 7515 7.1: %s is not base64url", what);
	return 0;
}

/* A JSON object from a decoded part (duplicate names refused). */
static int
part_json(json_t **out, const unsigned char *p, size_t n, const char *what)
{
	json_error_t e;

	*out = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &e);
	if (*out == NULL || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return sertel_err(SERTEL_EAUTH, "ID token: %s is not a JSON object",
		                  what);
	}
	return 0;
}

/* A base64url member of a JWK as bytes (at most max). */
static int
jwk_bytes(unsigned char **out, size_t *len, const json_t *k, const char *name, size_t max)
{
	const char *v = json_string_value(json_object_get(k, name));

	*out = NULL;
	if (v == NULL || strlen(v) > 4 * max / 3 + 4)
		return sertel_err(SERTEL_EAUTH,
		                  "JWK: RFC 7518 6: member %s missing or too long", name);
	return part_decode(out, len, v, strlen(v), name);
}

static int
jwk_rsa(EVP_PKEY **out, const json_t *k)
{
	unsigned char *nb = NULL, *eb = NULL;
	size_t nl = 0, el = 0;
	BIGNUM *n = NULL, *e = NULL;
	int rc;

	if ((rc = jwk_bytes(&nb, &nl, k, "n", 1024)) < 0 ||
	    (rc = jwk_bytes(&eb, &el, k, "e", 32)) < 0)
		goto out;
	if ((n = BN_bin2bn(nb, (int)nl, NULL)) == NULL ||
	    (e = BN_bin2bn(eb, (int)el, NULL)) == NULL)
		rc = sertel_err_ossl(SERTEL_ENOMEM, "JWK: out of memory");
	else if ((rc = key_public_rsa(out, n, e, "JWK")) < 0)
		rc = sertel_err(SERTEL_EAUTH, "%s", sertel_errmsg());
out:
	BN_free(n);
	BN_free(e);
	free(nb);
	free(eb);
	return rc;
}

static int
jwk_ec(EVP_PKEY **out, const json_t *k)
{
	unsigned char *x = NULL, *y = NULL, pub[65];
	size_t xl = 0, yl = 0;
	int rc;

	if (!json_is_string(json_object_get(k, "crv")) ||
	    strcmp(json_string_value(json_object_get(k, "crv")), "P-256") != 0)
		return sertel_err(SERTEL_EAUTH,
		                  "JWK: RFC 7518 3.4: ES256 needs crv P-256");
	if ((rc = jwk_bytes(&x, &xl, k, "x", 32)) < 0 ||
	    (rc = jwk_bytes(&y, &yl, k, "y", 32)) < 0)
		goto out;
	if (xl != 32 || yl != 32) {
		rc = sertel_err(SERTEL_EAUTH,
		                "JWK: RFC 7518 6.2.1.2: x and y are 32 bytes for P-256");
		goto out;
	}
	pub[0] = 0x04; /* SEC 1 2.3.3: uncompressed point */
	memcpy(pub + 1, x, 32);
	memcpy(pub + 33, y, 32);
	if ((rc = key_public_ec(out, "prime256v1", pub, sizeof(pub), "JWK")) < 0)
		rc = sertel_err(SERTEL_EAUTH, "%s", sertel_errmsg());
out:
	free(x);
	free(y);
	return rc;
}

/* The key of jwks for alg (kty RSA or EC) and kid (NULL: the only one). */
static int
jwk_find(EVP_PKEY **out, const json_t *jwks, const char *alg, const char *kty,
         const char *kid)
{
	const json_t *keys = json_object_get(jwks, "keys"), *k, *found = NULL;
	const char *v;
	size_t i, n = 0;
	int rc;

	*out = NULL;
	if (!json_is_array(keys))
		return sertel_err(SERTEL_EAUTH, "JWKS: RFC 7517 5: no \"keys\" array");
	json_array_foreach(keys, i, k)
	{
		if ((v = json_string_value(json_object_get(k, "kty"))) == NULL ||
		    strcmp(v, kty) != 0)
			continue;
		if ((v = json_string_value(json_object_get(k, "use"))) != NULL &&
		    strcmp(v, "sig") != 0)
			continue;
		if ((v = json_string_value(json_object_get(k, "alg"))) != NULL &&
		    strcmp(v, alg) != 0)
			continue;
		v = json_string_value(json_object_get(k, "kid"));
		if (kid != NULL && (v == NULL || strcmp(v, kid) != 0))
			continue;
		found = k;
		n++;
	}
	if (n == 0)
		return sertel_err(
		    SERTEL_EAUTH, "ID token: no %s key%s%s%s in the provider's JWKS", alg,
		    kid ? " with kid \"" : "", kid ? kid : "", kid ? "\"" : "");
	if (n > 1)
		return sertel_err(
		    SERTEL_EAUTH,
		    "ID token: RFC 7515 4.1.4: %zu %s keys match; the provider "
		    "must name one with kid",
		    n, alg);
	rc = strcmp(kty, "RSA") == 0 ? jwk_rsa(out, found) : jwk_ec(out, found);
	if (rc == 0 && (rc = key_check_public(*out, "ID token key")) < 0) {
		EVP_PKEY_free(*out);
		*out = NULL;
		rc = sertel_err(SERTEL_EAUTH, "%s", sertel_errmsg());
	}
	return rc;
}

/* ES256's r || s as the DER ECDSA-Sig-Value OpenSSL verifies. */
static int
es256_der(unsigned char **out, int *len, const unsigned char *sig, size_t n)
{
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int rc = 0;

	*out = NULL;
	if (n != 64)
		return sertel_err(
		    SERTEL_EAUTH,
		    "ID token: RFC 7518 3.4: an ES256 signature is 64 bytes, "
		    "not %zu",
		    n);
	if ((es = ECDSA_SIG_new()) == NULL || (r = BN_bin2bn(sig, 32, NULL)) == NULL ||
	    (s = BN_bin2bn(sig + 32, 32, NULL)) == NULL || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		rc = sertel_err_ossl(SERTEL_ENOMEM, "ID token: out of memory");
	} else if ((*len = i2d_ECDSA_SIG(es, out)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "ID token: out of memory");
	}
	ECDSA_SIG_free(es);
	return rc;
}

int
jws_verify(json_t **claims, const char *token, const json_t *jwks)
{
	const char *d1, *d2, *alg, *kid;
	unsigned char *hdr = NULL, *body = NULL, *sig = NULL, *der = NULL;
	size_t tl, hl = 0, bl = 0, sl = 0;
	json_t *h = NULL, *c = NULL;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *md = NULL;
	int rc, derlen = 0, es;

	*claims = NULL;
	if (token == NULL || (tl = strlen(token)) == 0 || tl > JWS_MAX_TOKEN)
		return sertel_err(SERTEL_EAUTH,
		                  "ID token: missing or longer than %d bytes",
		                  JWS_MAX_TOKEN);
	if ((d1 = strchr(token, '.')) == NULL || (d2 = strchr(d1 + 1, '.')) == NULL ||
	    strchr(d2 + 1, '.') != NULL)
		return sertel_err(
		    SERTEL_EAUTH,
		    "ID token: RFC 7515 7.1: not three dot-separated parts");
	if ((rc = part_decode(&hdr, &hl, token, (size_t)(d1 - token), "header")) < 0 ||
	    (rc = part_json(&h, hdr, hl, "header")) < 0)
		goto out;
	alg = json_string_value(json_object_get(h, "alg"));
	if (alg == NULL || (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0)) {
		/* RFC 8725 3.1: the algorithm is ours to choose, never "none". */
		rc =
		    sertel_err(SERTEL_EAUTH,
		               "ID token: algorithm \"%s\" refused (RS256 or ES256 only)",
		               alg ? alg : "(none given)");
		goto out;
	}
	if (json_object_get(h, "crit") != NULL) {
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "ID token: RFC 7515 4.1.11: critical header parameters are "
		    "not understood here");
		goto out;
	}
	kid = json_string_value(json_object_get(h, "kid"));
	es = strcmp(alg, "ES256") == 0;
	if ((rc = jwk_find(&key, jwks, alg, es ? "EC" : "RSA", kid)) < 0 ||
	    (rc = part_decode(&sig, &sl, d2 + 1, strlen(d2 + 1), "signature")) < 0)
		goto out;
	if (es && (rc = es256_der(&der, &derlen, sig, sl)) < 0)
		goto out;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) != 1) {
		rc =
		    sertel_err_ossl(SERTEL_ENOMEM, "ID token: cannot start verification");
		goto out;
	}
	if (EVP_DigestVerify(md, es ? der : sig, es ? (size_t)derlen : sl,
	                     (const unsigned char *)token, (size_t)(d2 - token)) != 1) {
		ERR_clear_error();
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "ID token: RFC 7515 5.2: the %s signature does not verify", alg);
		goto out;
	}
	if ((rc = part_decode(&body, &bl, d1 + 1, (size_t)(d2 - d1 - 1), "payload")) <
	        0 ||
	    (rc = part_json(&c, body, bl, "payload")) < 0)
		goto out;
	*claims = c;
	c = NULL;
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	json_decref(h);
	json_decref(c);
	free(hdr);
	free(body);
	free(sig);
	OPENSSL_free(der);
	return rc;
}
