/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What each OpenSSL step of one issuance costs on this machine, in
 * microseconds per call (single thread).  Not built by CMake: the numbers
 * behind docs/BENCHMARKS.md's profile section.
 *
 *   cc -O2 -o ossl-steps bench/issue/ossl-steps.c -lcrypto
 *   ./ossl-steps req.csr        (a PEM CSR, e.g. BUILD/bench/issue/req.csr)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#define N 3000

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define STEP(name, ...)                                                                  \
	do {                                                                             \
		double t0_ = now();                                                      \
		for (int i_ = 0; i_ < N; i_++) {                                         \
			__VA_ARGS__;                                                     \
		}                                                                        \
		printf("%-62s %8.1f us\n", name, (now() - t0_) / N * 1e6);               \
	} while (0)

/* The certificate's SubjectPublicKeyInfo copied from the CSR's, without
 * turning it into an EVP_PKEY and back. */
static int
spki_copy(X509 *x, X509_PUBKEY *src)
{
	ASN1_OBJECT *alg;
	const unsigned char *pk;
	const ASN1_OBJECT *po;
	const void *pv;
	void *param = NULL;
	unsigned char *copy;
	X509_ALGOR *pa;
	int pklen, ptype;

	if (!X509_PUBKEY_get0_param(&alg, &pk, &pklen, &pa, src))
		return 0;
	X509_ALGOR_get0(&po, &ptype, &pv, pa);
	if (ptype == V_ASN1_OBJECT)
		param = OBJ_dup(pv);
	else if (ptype == V_ASN1_SEQUENCE)
		param = ASN1_STRING_dup(pv);
	else if (ptype != V_ASN1_NULL)
		ptype = V_ASN1_UNDEF;
	if ((copy = OPENSSL_memdup(pk, (size_t)pklen)) == NULL)
		return 0;
	return X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), OBJ_dup(alg), ptype, param,
	                              copy, pklen);
}

int
main(int argc, char **argv)
{
	char pem[8192];
	size_t n;
	FILE *f;
	BIO *b;
	X509_REQ *req;
	EVP_PKEY *pub, *cakey, *dk = NULL;
	X509 *x;
	X509_NAME *nm;
	unsigned char *der = NULL, *spki = NULL;
	const unsigned char *pt;
	int dlen, slen, ptl;
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY_CTX *fctx;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: ossl-steps CSR.pem\n");
		return 2;
	}
	n = fread(pem, 1, sizeof(pem), f);
	fclose(f);
	b = BIO_new_mem_buf(pem, (int)n);
	req = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
	BIO_free(b);
	if (req == NULL) {
		fprintf(stderr, "ossl-steps: %s: not a PEM CSR\n", argv[1]);
		return 2;
	}
	pub = X509_REQ_get0_pubkey(req);
	dlen = i2d_X509_REQ(req, &der);
	slen = i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(req), &spki);
	X509_PUBKEY_get0_param(NULL, &pt, &ptl, NULL, X509_REQ_get_X509_PUBKEY(req));
	cakey = EVP_EC_gen("P-256");

	printf("%s, %d iterations each\n", OpenSSL_version(OPENSSL_VERSION), N);
	printf("-- the CSR\n");
	STEP("PEM_read_bio_X509_REQ (base64 + d2i, SPKI via OSSL_DECODER)",
	     b = BIO_new_mem_buf(pem, (int)n);
	     X509_REQ_free(PEM_read_bio_X509_REQ(b, NULL, NULL, NULL)); BIO_free(b));
	STEP("d2i_X509_REQ (DER; SPKI via OSSL_DECODER)", const unsigned char *p = der;
	     X509_REQ_free(d2i_X509_REQ(NULL, &p, dlen)));
	STEP("X509_REQ_verify (ECDSA P-256 verify)", X509_REQ_verify(req, pub));
	printf("-- alternatives for the SPKI decode\n");
	dctx = OSSL_DECODER_CTX_new_for_pkey(&dk, "DER", "SubjectPublicKeyInfo", NULL,
	                                     EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	STEP("SPKI: OSSL_DECODER_CTX reused per thread, from_data",
	     const unsigned char *p = spki;
	     size_t l = (size_t)slen; OSSL_DECODER_from_data(dctx, &p, &l);
	     EVP_PKEY_free(dk); dk = NULL);
	OSSL_DECODER_CTX_free(dctx);
	fctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	STEP("SPKI: EVP_PKEY_fromdata(EC, P-256 point), ctx reused", OSSL_PARAM ps[3];
	     EVP_PKEY *k = NULL; ps[0] = OSSL_PARAM_construct_utf8_string(
	                             OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0);
	     ps[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	                                               (void *)pt, (size_t)ptl);
	     ps[2] = OSSL_PARAM_construct_end(); EVP_PKEY_fromdata_init(fctx);
	     EVP_PKEY_fromdata(fctx, &k, EVP_PKEY_PUBLIC_KEY, ps); EVP_PKEY_free(k));
	EVP_PKEY_CTX_free(fctx);
	printf("-- the certificate\n");
	STEP("X509_set_pubkey(x, CSR's EVP_PKEY) (OSSL_ENCODER + d2i)", x = X509_new();
	     X509_set_pubkey(x, pub); X509_free(x));
	STEP("SPKI copied with X509_PUBKEY_get0_param/set0_param", x = X509_new();
	     spki_copy(x, X509_REQ_get_X509_PUBKEY(req)); X509_free(x));
	x = X509_new();
	nm = X509_NAME_new();
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8, (const unsigned char *)"x",
	                           -1, -1, 0);
	X509_set_version(x, 2);
	X509_set_subject_name(x, nm);
	X509_set_issuer_name(x, nm);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	spki_copy(x, X509_REQ_get_X509_PUBKEY(req));
	STEP("X509V3_EXT_conf_nid subjectKeyIdentifier=hash", X509V3_CTX c;
	     X509V3_set_ctx(&c, x, x, NULL, NULL, 0); X509_EXTENSION_free(
	         X509V3_EXT_conf_nid(NULL, &c, NID_subject_key_identifier, "hash")));
	STEP("X509_sign (ECDSA P-256, SHA-256)", X509_sign(x, cakey, EVP_sha256()));
	STEP("i2d_X509", unsigned char *d = NULL; i2d_X509(x, &d); OPENSSL_free(d));
	STEP("PEM_write_bio_X509", b = BIO_new(BIO_s_mem()); PEM_write_bio_X509(b, x);
	     BIO_free(b));
	X509_NAME_free(nm);
	X509_free(x);
	EVP_PKEY_free(cakey);
	X509_REQ_free(req);
	OPENSSL_free(der);
	OPENSSL_free(spki);
	return 0;
}
