/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the OCSP and TSA engine tests: throwaway keys and
 * certificates, and running the openssl command line as the judge.
 */
#ifndef SERTEL_TEST_PKITEST_H
#define SERTEL_TEST_PKITEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

struct ext {
	int nid;
	const char *value;
};

static inline EVP_PKEY *
mkkey(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

/* A certificate valid from `from` to `to` seconds relative to now. */
static inline X509 *
mkcert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *ikey, const char *serial,
       long from, long to, const struct ext *exts)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIGNUM *bn = NULL;
	ASN1_INTEGER *sn;
	X509V3_CTX v3;
	X509_EXTENSION *e;

	assert_non_null(x);
	assert_non_null(name);
	assert_true(BN_hex2bn(&bn, serial) > 0);
	assert_non_null(sn = BN_to_ASN1_INTEGER(bn, NULL));
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(X509_set_serialNumber(x, sn), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	                                            (const unsigned char *)cn, -1, -1, 0),
	                 1);
	assert_int_equal(X509_set_subject_name(x, name), 1);
	assert_int_equal(X509_set_issuer_name(
	                     x, issuer != NULL ? X509_get_subject_name(issuer) : name),
	                 1);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), 0, from, NULL));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), 0, to, NULL));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	for (; exts != NULL && exts->nid != 0; exts++) {
		assert_non_null(
		    e = X509V3_EXT_conf_nid(NULL, &v3, exts->nid, exts->value));
		assert_int_equal(X509_add_ext(x, e, -1), 1);
		X509_EXTENSION_free(e);
	}
	assert_true(X509_sign(x, ikey != NULL ? ikey : key, EVP_sha256()) > 0);
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	X509_NAME_free(name);
	return x;
}

static inline void
run(char *out, size_t outsz, int want, const char *fmt, ...)
{
	char body[2048], cmd[2100];
	va_list ap;
	FILE *f;
	size_t n = 0, got;
	int st, code;

	va_start(ap, fmt);
	assert_true(vsnprintf(body, sizeof(body), fmt, ap) < (int)sizeof(body));
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s 2>&1", body);
	assert_non_null(f = popen(cmd, "r"));
	while (n + 1 < outsz && (got = fread(out + n, 1, outsz - 1 - n, f)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(f);
	code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if ((want == 0 && code != 0) || (want == 1 && code == 0)) {
		print_message("$ %s\n%s\n", cmd, out);
		fail_msg("exit status %d", code);
	}
}

/* Asserts the command output contains (or lacks) needle, showing it if
 * not. */
static inline void
expect_in(const char *out, const char *needle, int want)
{
	if ((strstr(out, needle) != NULL) != want) {
		print_message("%s\n", out);
		fail_msg("output above %s \"%s\"", want ? "lacks" : "has", needle);
	}
}

static inline void
write_pem(const char *dir, const char *name, X509 *x)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(PEM_write_X509(f, x), 1);
	assert_int_equal(fclose(f), 0);
}

/* Runs fn on n threads at once and waits for them all. */
static inline void
run_threads(void *(*fn)(void *), int n)
{
	pthread_t t[64];
	int i;

	assert_true(n > 0 && n <= 64);
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fn, NULL), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
}

#endif
