/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OCSP responder core (src/pki/ocsp.c) against OpenSSL's own OCSP
 * client code, and (group "interop") against the openssl command line.
 *
 *   test_ocsp            unit tests
 *   test_ocsp interop    `openssl ocsp` writes requests and judges our
 *                        answers; exits 77 (skipped) without the CLI
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "pki/va.h"
#include "pki/pkitest.h"

/* Asserts a sertel call returned 0, showing its message if not. */
#define assert_ok(expr)                                                                  \
	do {                                                                             \
		int rc_ = (expr);                                                        \
		if (rc_ != 0)                                                            \
			fail_msg("%s: %d: %s", #expr, rc_, sertel_errmsg());             \
	} while (0)

#define VALIDITY   3600
#define DAY        (24L * 3600)
#define REVOKED_AT 1700000000LL

static struct {
	EVP_PKEY *root_key, *ca_key, *signer_key, *other_key, *rsa_key;
	X509 *root, *ca, *signer, *other_ca, *other_signer;
	X509 *signer_noeku, *signer_expired, *signer_short, *signer_rsa;
	X509 *ee; /* real end-entity certificate, serial ee_serial */
	char ee_serial[SERIAL_HEX_MAX + 1];
	X509_STORE *store;          /* trusts root */
	STACK_OF(X509) * untrusted; /* the issuing CA */
	struct ocsp_responder *r;   /* ca, delegated signer */
	char ca_id[ISSUER_ID_LEN + 1];
	char dir[64]; /* interop: temporary directory */
} fx;

static atomic_int lookups;
static _Thread_local char last_serial[SERIAL_HEX_MAX + 1];
static _Thread_local char last_issuer[SERTEL_MAX_NAME];

/* ---- fixtures ------------------------------------------------------------ */

static const struct ext ca_exts[] = {
    {NID_basic_constraints, "critical,CA:TRUE"},
    {NID_key_usage, "critical,keyCertSign,cRLSign"},
    {NID_subject_key_identifier, "hash"},
    {0, NULL},
};
static const struct ext signer_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "OCSPSigning"},
    {NID_id_pkix_OCSP_noCheck, "ignored"},
    {NID_subject_key_identifier, "hash"},
    {NID_authority_key_identifier, "keyid:always"},
    {0, NULL},
};
static const struct ext noeku_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "clientAuth"},
    {0, NULL},
};
static const struct ext ee_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_subject_key_identifier, "hash"},
    {NID_authority_key_identifier, "keyid:always"},
    {0, NULL},
};

/*
 * The store's answers: 1001 good, 1002 revoked (keyCompromise), 1003
 * unknown, 1004 never issued, 1005 revoked without reason, 0bad store
 * down, 0bae lookup bug, 0baf bad reason; the interop EE is revoked;
 * anything else good.
 */
static int
lookup(struct ocsp_status *out, const char *issuer_id, const char *serial, void *arg)
{
	atomic_fetch_add(&lookups, 1);
	snprintf(last_serial, sizeof(last_serial), "%s", serial);
	snprintf(last_issuer, sizeof(last_issuer), "%s", issuer_id);
	*out = (struct ocsp_status){OCSP_CERT_GOOD, 0, -1};
	if (strcmp(serial, "1002") == 0 || strcmp(serial, fx.ee_serial) == 0)
		*out = (struct ocsp_status){OCSP_CERT_REVOKED, REVOKED_AT, 1};
	else if (strcmp(serial, "1003") == 0)
		out->status = OCSP_CERT_UNKNOWN;
	else if (strcmp(serial, "1004") == 0)
		out->status = OCSP_CERT_NONISSUED;
	else if (strcmp(serial, "1005") == 0)
		*out = (struct ocsp_status){OCSP_CERT_REVOKED, REVOKED_AT, 0};
	else if (strcmp(serial, "0bad") == 0)
		return sertel_err(SERTEL_ESTORE, "test store: down");
	else if (strcmp(serial, "0bae") == 0)
		return sertel_err(SERTEL_EINVAL, "test store: bug");
	else if (strcmp(serial, "0baf") == 0)
		*out = (struct ocsp_status){OCSP_CERT_REVOKED, REVOKED_AT, 7};
	return 0;
}

static int
fx_setup(void **state)
{
	char hex[SERIAL_HEX_MAX + 1];
	ASN1_INTEGER *sn = NULL;
	EVP_PKEY *ee_key;
	struct ocsp_issuer_conf ic = {0};

	fx.root_key = mkkey();
	fx.ca_key = mkkey();
	fx.signer_key = mkkey();
	fx.other_key = mkkey();
	assert_non_null(fx.rsa_key = EVP_RSA_gen(2048));
	fx.root = mkcert(fx.root_key, "VA Test Root", NULL, NULL, "01", -DAY, 3650 * DAY,
	                 ca_exts);
	fx.ca = mkcert(fx.ca_key, "VA Test Issuing CA", fx.root, fx.root_key, "02", -DAY,
	               3650 * DAY, ca_exts);
	fx.signer = mkcert(fx.signer_key, "VA Test OCSP", fx.ca, fx.ca_key, "03", -DAY,
	                   365 * DAY, signer_exts);
	fx.other_ca =
	    mkcert(fx.other_key, "Other CA", NULL, NULL, "04", -DAY, 3650 * DAY, ca_exts);
	fx.other_signer = mkcert(fx.signer_key, "Other OCSP", fx.other_ca, fx.other_key,
	                         "05", -DAY, 365 * DAY, signer_exts);
	fx.signer_noeku = mkcert(fx.signer_key, "No EKU", fx.ca, fx.ca_key, "06", -DAY,
	                         365 * DAY, noeku_exts);
	fx.signer_expired = mkcert(fx.signer_key, "Expired OCSP", fx.ca, fx.ca_key, "07",
	                           -10 * DAY, -DAY, signer_exts);
	fx.signer_short = mkcert(fx.signer_key, "Short OCSP", fx.ca, fx.ca_key, "08",
	                         -DAY, 600, signer_exts);
	fx.signer_rsa = mkcert(fx.rsa_key, "RSA OCSP", fx.ca, fx.ca_key, "09", -DAY,
	                       365 * DAY, signer_exts);
	/* A serial as the CA makes them: 0x01 then 128 random bits. */
	assert_int_equal(serial_generate(&sn, hex), 0);
	ASN1_INTEGER_free(sn);
	snprintf(fx.ee_serial, sizeof(fx.ee_serial), "%s", hex);
	ee_key = mkkey();
	fx.ee = mkcert(ee_key, "Pegawai Uji", fx.ca, fx.ca_key, fx.ee_serial, -DAY,
	               365 * DAY, ee_exts);
	EVP_PKEY_free(ee_key);

	assert_non_null(fx.store = X509_STORE_new());
	assert_int_equal(X509_STORE_add_cert(fx.store, fx.root), 1);
	assert_non_null(fx.untrusted = sk_X509_new_null());
	assert_true(sk_X509_push(fx.untrusted, fx.ca) > 0);

	assert_int_equal(ocsp_responder_new(&fx.r, VALIDITY, lookup, NULL), 0);
	ic.issuer = fx.ca;
	ic.signer = fx.signer;
	ic.key = fx.signer_key;
	assert_ok(ocsp_responder_add_issuer(fx.r, &ic));
	assert_int_equal(issuer_id_of(fx.ca_id, fx.ca), 0);
	*state = NULL;
	return 0;
}

static int
fx_teardown(void **state)
{
	ocsp_responder_free(fx.r);
	sk_X509_free(fx.untrusted);
	X509_STORE_free(fx.store);
	X509_free(fx.root);
	X509_free(fx.ca);
	X509_free(fx.signer);
	X509_free(fx.other_ca);
	X509_free(fx.other_signer);
	X509_free(fx.signer_noeku);
	X509_free(fx.signer_expired);
	X509_free(fx.signer_short);
	X509_free(fx.signer_rsa);
	X509_free(fx.ee);
	EVP_PKEY_free(fx.root_key);
	EVP_PKEY_free(fx.ca_key);
	EVP_PKEY_free(fx.signer_key);
	EVP_PKEY_free(fx.other_key);
	EVP_PKEY_free(fx.rsa_key);
	return 0;
}

/* ---- requests and responses as a client sees them ------------------------ */

static OCSP_CERTID *
certid(const EVP_MD *md, X509 *issuer, const char *serial)
{
	BIGNUM *bn = NULL;
	ASN1_INTEGER *sn;
	OCSP_CERTID *id;

	assert_true(BN_hex2bn(&bn, serial) > 0);
	assert_non_null(sn = BN_to_ASN1_INTEGER(bn, NULL));
	assert_non_null(id = OCSP_cert_id_new(md, X509_get_subject_name(issuer),
	                                      X509_get0_pubkey_bitstr(issuer), sn));
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	return id;
}

static void
req_add(OCSP_REQUEST *req, const EVP_MD *md, X509 *issuer, const char *serial)
{
	assert_non_null(OCSP_request_add0_id(req, certid(md, issuer, serial)));
}

/* Adds an extension with a raw extnValue. */
static void
req_add_raw_ext(OCSP_REQUEST *req, const char *oid, int critical,
                const unsigned char *value, int len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	assert_non_null(obj);
	assert_int_equal(ASN1_OCTET_STRING_set(v, value, len), 1);
	assert_non_null(e = X509_EXTENSION_create_by_OBJ(NULL, obj, critical, v));
	assert_int_equal(OCSP_REQUEST_add_ext(req, e, -1), 1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(v);
	ASN1_OBJECT_free(obj);
}

static unsigned char *
req_der(OCSP_REQUEST *req, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_OCSP_REQUEST(req, &der);

	assert_true(n > 0);
	*len = (size_t)n;
	return der;
}

/* A one-CertID request, SHA-1 unless md says otherwise; *len set. */
static unsigned char *
simple_req(size_t *len, const EVP_MD *md, X509 *issuer, const char *serial, int nonce_len)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	unsigned char *der;

	assert_non_null(req);
	req_add(req, md != NULL ? md : EVP_sha1(), issuer, serial);
	if (nonce_len > 0)
		assert_int_equal(OCSP_request_add1_nonce(req, NULL, nonce_len), 1);
	der = req_der(req, len);
	OCSP_REQUEST_free(req);
	return der;
}

static int
resp_status(const struct ocsp_result *res)
{
	const unsigned char *p = res->der;
	OCSP_RESPONSE *resp;
	int st;

	assert_non_null(res->der);
	assert_non_null(resp = d2i_OCSP_RESPONSE(NULL, &p, (long)res->len));
	assert_ptr_equal(p, res->der + res->len);
	st = OCSP_response_status(resp);
	assert_int_equal(st, (int)res->status);
	OCSP_RESPONSE_free(resp);
	return st;
}

/* The verified basic response of a successful answer (caller frees). */
static OCSP_BASICRESP *
resp_basic(const struct ocsp_result *res)
{
	const unsigned char *p = res->der;
	OCSP_RESPONSE *resp;
	OCSP_BASICRESP *bs;

	assert_int_equal(resp_status(res), OCSP_RESPONSE_STATUS_SUCCESSFUL);
	assert_non_null(resp = d2i_OCSP_RESPONSE(NULL, &p, (long)res->len));
	assert_non_null(bs = OCSP_response_get1_basic(resp));
	OCSP_RESPONSE_free(resp);
	/* Signature, signer chain to the root and RFC 6960 4.2.2.2
	 * authorisation of the signer for the CertIDs' issuer. */
	if (OCSP_basic_verify(bs, fx.untrusted, fx.store, 0) != 1) {
		ERR_print_errors_fp(stderr);
		fail_msg("OCSP_basic_verify failed");
	}
	return bs;
}

static int64_t
epoch(const ASN1_GENERALIZEDTIME *t)
{
	struct tm tm;

	assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
	return (int64_t)timegm(&tm);
}

/* Finds the answer for (md, issuer, serial) and checks it. */
static void
expect_single(OCSP_BASICRESP *bs, const EVP_MD *md, X509 *issuer, const char *serial,
              int status, int reason, int64_t revoked_at)
{
	OCSP_CERTID *id = certid(md, issuer, serial);
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	int st = -1, rs = -2;

	assert_int_equal(
	    OCSP_resp_find_status(bs, id, &st, &rs, &rev, &thisupd, &nextupd), 1);
	assert_int_equal(st, status);
	assert_int_equal(OCSP_check_validity(thisupd, nextupd, 300, -1), 1);
	if (status == V_OCSP_CERTSTATUS_REVOKED) {
		assert_int_equal(rs, reason);
		assert_int_equal(epoch(rev), revoked_at);
	}
	OCSP_CERTID_free(id);
}

/* Answers with the fixture responder; no OpenSSL error is left behind. */
static void
respond(struct ocsp_result *res, const unsigned char *der, size_t len)
{
	ERR_clear_error();
	assert_ok(ocsp_respond(res, fx.r, der, len));
	assert_int_equal(ERR_peek_error(), 0);
}

/* ---- statuses ------------------------------------------------------------ */

static void
test_ocsp_good(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, "1001", V_OCSP_CERTSTATUS_GOOD, 0, 0);
	assert_string_equal(last_serial, "1001");
	assert_string_equal(last_issuer, fx.ca_id);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

static void
test_ocsp_revoked(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "1002", 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, "1002", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_KEYCOMPROMISE, REVOKED_AT);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

/* RFC 5280 5.3.1: unspecified (0) is sent as an absent reason. */
static void
test_ocsp_revoked_unspecified_reason_absent(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "1005", 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, "1005", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_NOSTATUS, REVOKED_AT);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

static void
test_ocsp_unknown(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "1003", 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, "1003", V_OCSP_CERTSTATUS_UNKNOWN, 0, 0);
	assert_int_equal(OCSP_BASICRESP_get_ext_count(bs), 0);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

/* RFC 6960 2.2 and 4.4.8. */
static void
test_ocsp_nonissued_is_revoked_hold_1970(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.5.5.7.48.1.9", 1);
	X509_EXTENSION *e;
	unsigned char *der;
	size_t len;
	int i;

	der = simple_req(&len, NULL, fx.ca, "1004", 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, "1004", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_CERTIFICATEHOLD, 0);
	assert_true((i = OCSP_BASICRESP_get_ext_by_OBJ(bs, oid, -1)) >= 0);
	e = OCSP_BASICRESP_get_ext(bs, i);
	assert_int_equal(X509_EXTENSION_get_critical(e), 0);
	assert_int_equal(ASN1_STRING_length(X509_EXTENSION_get_data(e)), 2);
	assert_memory_equal(ASN1_STRING_get0_data(X509_EXTENSION_get_data(e)), "\x05\x00",
	                    2);
	ASN1_OBJECT_free(oid);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

/* The serial the store sees is serial_to_hex text. */
static void
test_ocsp_lookup_serial_format(void **state)
{
	static const char *const serials[] = {"01",
	                                      "7f",
	                                      "80",
	                                      "ff",
	                                      "0100",
	                                      "00",
	                                      "0102030405060708090a0b0c0d0e0f1011121314"};
	struct ocsp_result res;
	unsigned char *der;
	size_t len, i;

	for (i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		last_serial[0] = '\0';
		der = simple_req(&len, NULL, fx.ca, serials[i], 0);
		respond(&res, der, len);
		assert_int_equal(res.status, OCSP_RESP_SUCCESSFUL);
		assert_string_equal(last_serial, serials[i]);
		ocsp_result_free(&res);
		OPENSSL_free(der);
	}
}

/* A 21-octet serial is none a conforming CA issues: unknown, no lookup. */
static void
test_ocsp_oversized_serial_unknown(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	const char *big = "0102030405060708090a0b0c0d0e0f101112131415";
	unsigned char *der;
	size_t len;
	int before = atomic_load(&lookups);

	der = simple_req(&len, NULL, fx.ca, big, 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, big, V_OCSP_CERTSTATUS_UNKNOWN, 0, 0);
	assert_int_equal(atomic_load(&lookups), before);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

static void
test_ocsp_sha256_384_512_certids(void **state)
{
	const EVP_MD *mds[] = {EVP_sha256(), EVP_sha384(), EVP_sha512()};
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	OCSP_SINGLERESP *single;
	const OCSP_CERTID *got;
	ASN1_OBJECT *alg = NULL;
	unsigned char *der;
	size_t len, i;

	for (i = 0; i < 3; i++) {
		der = simple_req(&len, mds[i], fx.ca, "1002", 0);
		respond(&res, der, len);
		bs = resp_basic(&res);
		expect_single(bs, mds[i], fx.ca, "1002", V_OCSP_CERTSTATUS_REVOKED,
		              OCSP_REVOKED_STATUS_KEYCOMPROMISE, REVOKED_AT);
		/* The CertID comes back with the request's algorithm. */
		assert_non_null(single = OCSP_resp_get0(bs, 0));
		assert_non_null(got = OCSP_SINGLERESP_get0_id(single));
		OCSP_id_get0_info(NULL, &alg, NULL, NULL, (OCSP_CERTID *)got);
		assert_int_equal(OBJ_obj2nid(alg), EVP_MD_get_type(mds[i]));
		OCSP_BASICRESP_free(bs);
		ocsp_result_free(&res);
		OPENSSL_free(der);
	}
}

static void
test_ocsp_multiple_certids(void **state)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	req_add(req, EVP_sha1(), fx.ca, "1001");
	req_add(req, EVP_sha256(), fx.ca, "1002");
	req_add(req, EVP_sha1(), fx.ca, "1003");
	der = req_der(req, &len);
	respond(&res, der, len);
	bs = resp_basic(&res);
	assert_int_equal(OCSP_resp_count(bs), 3);
	expect_single(bs, EVP_sha1(), fx.ca, "1001", V_OCSP_CERTSTATUS_GOOD, 0, 0);
	expect_single(bs, EVP_sha256(), fx.ca, "1002", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_KEYCOMPROMISE, REVOKED_AT);
	expect_single(bs, EVP_sha1(), fx.ca, "1003", V_OCSP_CERTSTATUS_UNKNOWN, 0, 0);
	assert_false(res.cacheable);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
}

/* RFC 5019 2.2.2, RFC 6960 4.2.2.3: byKey, signer in certs. */
static void
test_ocsp_responder_id_by_key_and_signer_cert(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	const ASN1_OCTET_STRING *keyhash = NULL;
	const X509_NAME *name = NULL;
	const STACK_OF(X509) * certs;
	unsigned char want[SHA_DIGEST_LENGTH];
	unsigned int wlen;
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	respond(&res, der, len);
	bs = resp_basic(&res);
	assert_int_equal(OCSP_resp_get0_id(bs, &keyhash, &name), 1);
	assert_null(name);
	assert_non_null(keyhash);
	assert_int_equal(X509_pubkey_digest(fx.signer, EVP_sha1(), want, &wlen), 1);
	assert_int_equal(ASN1_STRING_length(keyhash), (int)wlen);
	assert_memory_equal(ASN1_STRING_get0_data(keyhash), want, wlen);
	certs = OCSP_resp_get0_certs(bs);
	assert_int_equal(sk_X509_num(certs), 1);
	assert_int_equal(X509_cmp(sk_X509_value(certs, 0), fx.signer), 0);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

/* ---- nonces and caching -------------------------------------------------- */

static void
test_ocsp_nonce_echoed(void **state)
{
	static const int lens[] = {1, 16, 32, 33, 64, OCSP_NONCE_MAX};
	OCSP_REQUEST *req;
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len, i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		assert_non_null(req = OCSP_REQUEST_new());
		req_add(req, EVP_sha1(), fx.ca, "1001");
		assert_int_equal(OCSP_request_add1_nonce(req, NULL, lens[i]), 1);
		der = req_der(req, &len);
		respond(&res, der, len);
		bs = resp_basic(&res);
		/* 1: both carry the same nonce. */
		assert_int_equal(OCSP_check_nonce(req, bs), 1);
		assert_false(res.cacheable);
		OCSP_BASICRESP_free(bs);
		ocsp_result_free(&res);
		OPENSSL_free(der);
		OCSP_REQUEST_free(req);
	}
}

/* RFC 9654 2.1: 0 octets, over 128 octets or not an OCTET STRING. */
static void
test_ocsp_nonce_bounds_malformed(void **state)
{
	unsigned char value[3 + OCSP_NONCE_MAX + 1];
	OCSP_REQUEST *req;
	struct ocsp_result res;
	unsigned char *der;
	size_t len;
	int i;

	for (i = 0; i < 3; i++) {
		assert_non_null(req = OCSP_REQUEST_new());
		req_add(req, EVP_sha1(), fx.ca, "1001");
		if (i == 0) {
			req_add_raw_ext(req, "1.3.6.1.5.5.7.48.1.2", 0,
			                (const unsigned char *)"\x04\x00", 2);
		} else if (i == 1) {
			value[0] = 0x04;
			value[1] = 0x81;
			value[2] = OCSP_NONCE_MAX + 1;
			memset(value + 3, 0xa5, OCSP_NONCE_MAX + 1);
			req_add_raw_ext(req, "1.3.6.1.5.5.7.48.1.2", 0, value,
			                (int)sizeof(value));
		} else {
			/* Pre-RFC 8954 style raw bytes, not DER. */
			req_add_raw_ext(req, "1.3.6.1.5.5.7.48.1.2", 0,
			                (const unsigned char *)"\x01\x02\x03\x04", 4);
		}
		der = req_der(req, &len);
		respond(&res, der, len);
		assert_int_equal(resp_status(&res),
		                 OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
		ocsp_result_free(&res);
		OPENSSL_free(der);
		OCSP_REQUEST_free(req);
	}
}

/* RFC 5019 2.2 / 6.2: what the HTTP layer needs for its headers. */
static void
test_ocsp_cacheable_and_update_times(void **state)
{
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	OCSP_SINGLERESP *single;
	ASN1_GENERALIZEDTIME *thisupd = NULL, *nextupd = NULL, *rev = NULL;
	unsigned char *der;
	size_t len;
	int64_t before = time_now(), reason;
	int st, rs;

	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	respond(&res, der, len);
	assert_true(res.cacheable);
	assert_in_range(res.this_update, before, time_now());
	assert_int_equal(res.next_update - res.this_update, VALIDITY);
	bs = resp_basic(&res);
	single = OCSP_resp_get0(bs, 0);
	st = OCSP_single_get0_status(single, &rs, &rev, &thisupd, &nextupd);
	assert_int_equal(st, V_OCSP_CERTSTATUS_GOOD);
	assert_int_equal(epoch(thisupd), res.this_update);
	assert_int_equal(epoch(nextupd), res.next_update);
	reason = epoch(OCSP_resp_get0_produced_at(bs));
	assert_in_range(reason, res.this_update, res.this_update + 2);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);

	der = simple_req(&len, NULL, fx.ca, "1001", 16);
	respond(&res, der, len);
	assert_int_equal(res.status, OCSP_RESP_SUCCESSFUL);
	assert_false(res.cacheable);
	ocsp_result_free(&res);
	OPENSSL_free(der);
}

static void
test_ocsp_cache_key(void **state)
{
	struct ocsp_cache_key key;
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "1002", 0);
	assert_int_equal(ocsp_request_cache_key(&key, fx.r, der, len), 0);
	assert_string_equal(key.issuer_id, fx.ca_id);
	assert_string_equal(key.serial, "1002");
	assert_string_equal(key.certid_md, "sha1");
	OPENSSL_free(der);

	der = simple_req(&len, EVP_sha256(), fx.ca, "80", 0);
	assert_int_equal(ocsp_request_cache_key(&key, fx.r, der, len), 0);
	assert_string_equal(key.serial, "80");
	assert_string_equal(key.certid_md, "sha256");
	OPENSSL_free(der);

	der = simple_req(&len, NULL, fx.ca, "1002", 32);
	assert_int_equal(ocsp_request_cache_key(&key, fx.r, der, len), SERTEL_ENOTFOUND);
	OPENSSL_free(der);

	der = simple_req(&len, NULL, fx.other_ca, "1002", 0);
	assert_int_equal(ocsp_request_cache_key(&key, fx.r, der, len), SERTEL_ENOTFOUND);
	OPENSSL_free(der);

	assert_int_equal(
	    ocsp_request_cache_key(&key, fx.r, (const unsigned char *)"\x30\x00", 2),
	    SERTEL_EINVAL);
}

/* A pre-signed answer is what a request for it gets, and verifies. */
static void
test_ocsp_presign(void **state)
{
	struct ocsp_status good = {OCSP_CERT_GOOD, 0, -1};
	struct ocsp_status revoked = {OCSP_CERT_REVOKED, REVOKED_AT, 4};
	struct ocsp_result res, live;
	struct ocsp_cache_key key;
	OCSP_BASICRESP *bs, *live_bs;
	unsigned char *der, *id1 = NULL, *id2 = NULL;
	size_t len;
	int n1, n2;

	assert_ok(ocsp_presign(&res, fx.r, fx.ca_id, "1001", NULL, &good));
	assert_true(res.cacheable);
	assert_int_equal(res.next_update - res.this_update, VALIDITY);
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha1(), fx.ca, "1001", V_OCSP_CERTSTATUS_GOOD, 0, 0);
	assert_int_equal(OCSP_resp_count(bs), 1);
	assert_int_equal(OCSP_BASICRESP_get_ext_count(bs), 0); /* no nonce */

	/* The live answer to the request with that cache key has the same
	 * CertID, certificates and extensions. */
	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	assert_int_equal(ocsp_request_cache_key(&key, fx.r, der, len), 0);
	respond(&live, der, len);
	assert_true(live.cacheable);
	live_bs = resp_basic(&live);
	assert_int_equal(OCSP_resp_count(live_bs), 1);
	assert_int_equal(OCSP_BASICRESP_get_ext_count(live_bs), 0);
	assert_int_equal(sk_X509_num(OCSP_resp_get0_certs(live_bs)),
	                 sk_X509_num(OCSP_resp_get0_certs(bs)));
	n1 = i2d_OCSP_CERTID(
	    (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(bs, 0)), &id1);
	n2 = i2d_OCSP_CERTID(
	    (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(live_bs, 0)), &id2);
	assert_true(n1 > 0);
	assert_int_equal(n1, n2);
	assert_memory_equal(id1, id2, (size_t)n1);
	OPENSSL_free(id1);
	OPENSSL_free(id2);
	OCSP_BASICRESP_free(live_bs);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&live);
	ocsp_result_free(&res);
	OPENSSL_free(der);

	assert_ok(ocsp_presign(&res, fx.r, key.issuer_id, "1002", "sha256", &revoked));
	bs = resp_basic(&res);
	expect_single(bs, EVP_sha256(), fx.ca, "1002", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_SUPERSEDED, REVOKED_AT);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);

	/* Only canonical serials, served issuers, known hashes. */
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "1A", NULL, &good),
	                 SERTEL_EINVAL);
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "0001", NULL, &good),
	                 SERTEL_EINVAL);
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "abc", NULL, &good),
	                 SERTEL_EINVAL);
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "-01", NULL, &good),
	                 SERTEL_EINVAL);
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "", NULL, &good),
	                 SERTEL_EINVAL);
	assert_int_equal(ocsp_presign(&res, fx.r, "nobody", "01", NULL, &good),
	                 SERTEL_ENOTFOUND);
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "01", "md5", &good),
	                 SERTEL_EINVAL);
	assert_null(res.der);
	revoked.reason = 7;
	assert_int_equal(ocsp_presign(&res, fx.r, fx.ca_id, "01", NULL, &revoked),
	                 SERTEL_EINVAL);
}

/* ---- the encoder against OpenSSL's ----------------------------------------- */

/* What the fixture lookup answers for serial, as OCSP_single_get0_status
 * reports it: status, reason (-1: none) and revocation time. */
static void
oracle_expect(const char *serial, int *status, int *reason, int64_t *at)
{
	*status = V_OCSP_CERTSTATUS_GOOD;
	*reason = OCSP_REVOKED_STATUS_NOSTATUS;
	*at = 0;
	if (strcmp(serial, "1002") == 0) {
		*status = V_OCSP_CERTSTATUS_REVOKED;
		*reason = OCSP_REVOKED_STATUS_KEYCOMPROMISE;
		*at = REVOKED_AT;
	} else if (strcmp(serial, "1003") == 0) {
		*status = V_OCSP_CERTSTATUS_UNKNOWN;
	} else if (strcmp(serial, "1004") == 0) {
		*status = V_OCSP_CERTSTATUS_REVOKED;
		*reason = OCSP_REVOKED_STATUS_CERTIFICATEHOLD;
	} else if (strcmp(serial, "1005") == 0) {
		*status = V_OCSP_CERTSTATUS_REVOKED;
		*at = REVOKED_AT;
	}
}

/*
 * res answers req.  Checks it the way a client does (DER that OpenSSL
 * re-encodes to the same bytes, OCSP_basic_verify, OCSP_resp_find_status
 * for every CertID, OCSP_check_nonce), then builds the same answer with
 * OpenSSL's objects -- the statuses and times read back, the nonce copied
 * from req, extended-revoke for a non-issued serial, signed by
 * OCSP_basic_sign_ctx -- puts res's producedAt and signature into it and
 * requires the two encodings to be identical, byte for byte.
 */
static void
oracle_compare(const struct ocsp_result *res, OCSP_REQUEST *req, X509 *signer,
               EVP_PKEY *key, int delegated)
{
	const unsigned char *p = res->der;
	OCSP_RESPONSE *resp, *resp2 = NULL;
	OCSP_BASICRESP *ours, *bs2;
	OCSP_SINGLERESP *single;
	OCSP_CERTID *id;
	ASN1_INTEGER *sn = NULL;
	ASN1_GENERALIZEDTIME *rev, *thisupd, *nextupd;
	ASN1_OBJECT *xrev;
	ASN1_OCTET_STRING *val;
	X509_EXTENSION *ext;
	EVP_MD_CTX *mctx;
	const ASN1_BIT_STRING *sig;
	unsigned char *again = NULL, *der2 = NULL;
	char hex[SERIAL_HEX_MAX + 1];
	int i, n, st, reason, want_st, want_reason, nonissued = 0, nonce, len;
	int64_t want_at;

	/* DER as OpenSSL encodes it. */
	assert_non_null(resp = d2i_OCSP_RESPONSE(NULL, &p, (long)res->len));
	assert_ptr_equal(p, res->der + res->len);
	assert_int_equal(i2d_OCSP_RESPONSE(resp, &again), (int)res->len);
	assert_memory_equal(again, res->der, res->len);
	OPENSSL_free(again);
	OCSP_RESPONSE_free(resp);
	ours = resp_basic(res); /* status successful, signature, signer */

	n = OCSP_request_onereq_count(req);
	assert_int_equal(OCSP_resp_count(ours), n);
	assert_non_null(bs2 = OCSP_BASICRESP_new());
	for (i = 0; i < n; i++) {
		id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, i));
		OCSP_id_get0_info(NULL, NULL, NULL, &sn, id);
		assert_int_equal(serial_to_hex(hex, sn), 0);
		oracle_expect(hex, &want_st, &want_reason, &want_at);
		nonissued |= strcmp(hex, "1004") == 0;
		/* In the request's order, each found by its CertID. */
		assert_int_equal(OCSP_resp_find(ours, id, -1), i);
		rev = thisupd = nextupd = NULL;
		assert_int_equal(OCSP_resp_find_status(ours, id, &st, &reason, &rev,
		                                       &thisupd, &nextupd),
		                 1);
		assert_int_equal(st, want_st);
		assert_int_equal(OCSP_check_validity(thisupd, nextupd, 300, -1), 1);
		if (st == V_OCSP_CERTSTATUS_REVOKED) {
			assert_int_equal(reason, want_reason);
			assert_int_equal(epoch(rev), want_at);
		}
		assert_non_null(single = OCSP_resp_get0(ours, i));
		assert_int_equal(
		    OCSP_single_get0_status(single, &reason, &rev, &thisupd, &nextupd),
		    st);
		assert_non_null(
		    OCSP_basic_add1_status(bs2, id, st, reason, rev, thisupd, nextupd));
	}
	/* RFC 6960 4.4.8 extended-revoke exactly when a serial is non-issued. */
	assert_non_null(xrev = OBJ_txt2obj("1.3.6.1.5.5.7.48.1.9", 1));
	assert_int_equal(OCSP_BASICRESP_get_ext_by_OBJ(ours, xrev, -1) >= 0, nonissued);
	if (nonissued) {
		assert_non_null(val = ASN1_OCTET_STRING_new());
		assert_int_equal(
		    ASN1_OCTET_STRING_set(val, (const unsigned char *)"\x05\x00", 2), 1);
		assert_non_null(ext = X509_EXTENSION_create_by_OBJ(NULL, xrev, 0, val));
		assert_int_equal(OCSP_BASICRESP_add_ext(bs2, ext, -1), 1);
		X509_EXTENSION_free(ext);
		ASN1_OCTET_STRING_free(val);
	}
	ASN1_OBJECT_free(xrev);
	/* 1: the same nonce in both; 2: none in either. */
	nonce = OCSP_REQUEST_get_ext_by_NID(req, NID_id_pkix_OCSP_Nonce, -1) >= 0;
	assert_int_equal(OCSP_check_nonce(req, ours), nonce ? 1 : 2);
	if (nonce)
		assert_int_equal(OCSP_copy_nonce(bs2, req), 1);

	assert_non_null(mctx = EVP_MD_CTX_new());
	assert_int_equal(EVP_DigestSignInit(mctx, NULL, key_digest(key), NULL, key), 1);
	assert_int_equal(
	    OCSP_basic_sign_ctx(bs2, signer, mctx, NULL,
	                        OCSP_RESPID_KEY | (delegated ? 0 : OCSP_NOCERTS)),
	    1);
	EVP_MD_CTX_free(mctx);
	assert_int_equal(ASN1_STRING_copy((ASN1_STRING *)OCSP_resp_get0_produced_at(bs2),
	                                  OCSP_resp_get0_produced_at(ours)),
	                 1);
	sig = OCSP_resp_get0_signature(ours);
	assert_int_equal(
	    ASN1_BIT_STRING_set((ASN1_BIT_STRING *)OCSP_resp_get0_signature(bs2),
	                        (unsigned char *)ASN1_STRING_get0_data(sig),
	                        ASN1_STRING_length(sig)),
	    1);
	assert_non_null(resp2 =
	                    OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs2));
	assert_true((len = i2d_OCSP_RESPONSE(resp2, &der2)) > 0);
	assert_int_equal(len, (int)res->len);
	assert_memory_equal(der2, res->der, res->len);
	OPENSSL_free(der2);
	OCSP_RESPONSE_free(resp2);
	OCSP_BASICRESP_free(bs2);
	OCSP_BASICRESP_free(ours);
}

/* Every status, without a nonce and with one of 16 or 32 octets, one and several CertIDs
 * of every hash, live and pre-signed, for a delegated ECDSA signer, the CA signing itself
 * and a delegated RSA signer. */
static void
test_ocsp_encoder_matches_openssl(void **state)
{
	static const char *serials[] = {"1001", "1002", "1003", "1004", "1005"};
	const EVP_MD *mds[] = {EVP_sha1(), EVP_sha256(), EVP_sha384(), EVP_sha512()};
	static const char *md_names[] = {"sha1", "sha256", "sha384", "sha512"};
	struct {
		X509 *signer;
		EVP_PKEY *key;
		int delegated;
	} signers[] = {
	    {fx.signer, fx.signer_key, 1},
	    {fx.ca, fx.ca_key, 0},
	    {fx.signer_rsa, fx.rsa_key, 1},
	};
	struct ocsp_issuer_conf c = {0};
	struct ocsp_responder *r;
	struct ocsp_status st;
	struct ocsp_result res;
	OCSP_REQUEST *req;
	unsigned char *der;
	size_t len, s, i, k;
	int nonce, compared = 0;

	for (s = 0; s < sizeof(signers) / sizeof(signers[0]); s++) {
		c.issuer = fx.ca;
		c.signer = signers[s].signer;
		c.key = signers[s].key;
		assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
		assert_ok(ocsp_responder_add_issuer(r, &c));
		for (nonce = 0; nonce <= 32; nonce += 16) {
			/* One CertID per request, every hash. */
			for (i = 0; i < 5; i++) {
				for (k = 0; k < 4; k++) {
					assert_non_null(req = OCSP_REQUEST_new());
					req_add(req, mds[k], fx.ca, serials[i]);
					if (nonce > 0)
						assert_int_equal(OCSP_request_add1_nonce(
						                     req, NULL, nonce),
						                 1);
					der = req_der(req, &len);
					assert_ok(ocsp_respond(&res, r, der, len));
					assert_int_equal(res.cacheable, nonce == 0);
					oracle_compare(&res, req, signers[s].signer,
					               signers[s].key,
					               signers[s].delegated);
					compared++;
					ocsp_result_free(&res);
					OPENSSL_free(der);
					OCSP_REQUEST_free(req);
				}
			}
			/* Every serial in one request, the hashes mixed. */
			assert_non_null(req = OCSP_REQUEST_new());
			for (i = 0; i < 5; i++)
				req_add(req, mds[i % 4], fx.ca, serials[i]);
			if (nonce > 0)
				assert_int_equal(
				    OCSP_request_add1_nonce(req, NULL, nonce), 1);
			der = req_der(req, &len);
			assert_ok(ocsp_respond(&res, r, der, len));
			assert_false(res.cacheable);
			oracle_compare(&res, req, signers[s].signer, signers[s].key,
			               signers[s].delegated);
			compared++;
			ocsp_result_free(&res);
			OPENSSL_free(der);
			OCSP_REQUEST_free(req);
		}
		/* Pre-signed: the CertID a client builds with OCSP_cert_id_new. */
		for (i = 0; i < 5; i++) {
			for (k = 0; k < 4; k++) {
				assert_int_equal(lookup(&st, fx.ca_id, serials[i], NULL),
				                 0);
				assert_ok(ocsp_presign(&res, r, fx.ca_id, serials[i],
				                       md_names[k], &st));
				assert_non_null(req = OCSP_REQUEST_new());
				req_add(req, mds[k], fx.ca, serials[i]);
				oracle_compare(&res, req, signers[s].signer,
				               signers[s].key, signers[s].delegated);
				compared++;
				ocsp_result_free(&res);
				OCSP_REQUEST_free(req);
			}
		}
		ocsp_responder_free(r);
	}
	/* 3 signers x (3 nonce lengths x (20 + 1) live + 20 pre-signed) */
	assert_int_equal(compared, 3 * (3 * (20 + 1) + 20));
}

/* ---- refusals ------------------------------------------------------------ */

static void
expect_status(const unsigned char *der, size_t len, int status)
{
	struct ocsp_result res;

	respond(&res, der, len);
	if (resp_status(&res) != status)
		fail_msg("status %d, not %d: %s", (int)res.status, status,
		         sertel_errmsg());
	if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		assert_false(res.cacheable);
		assert_int_equal(res.this_update, 0);
		assert_true(res.len <= 8); /* status only, no responseBytes */
	}
	ocsp_result_free(&res);
}

static void
test_ocsp_malformed_requests(void **state)
{
	static const unsigned char huge_len[] = {0x30, 0x84, 0x7f, 0xff,
	                                         0xff, 0xff, 0x30, 0x00};
	static const unsigned char indef_junk[] = {0x30, 0x80, 0x30, 0x80, 0x00};
	unsigned char buf[512], *der, *big;
	OCSP_REQUEST *req;
	size_t len, i;
	int k;

	expect_status((const unsigned char *)"", 0,
	              OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	expect_status(huge_len, sizeof(huge_len), OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	expect_status(indef_junk, sizeof(indef_junk),
	              OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	/* Random junk. */
	for (k = 0; k < 500; k++) {
		assert_int_equal(RAND_bytes(buf, sizeof(buf)), 1);
		len = 1 + buf[0] % (sizeof(buf) - 1);
		expect_status(buf, len, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	}
	/* Every truncation of a valid request, and trailing bytes. */
	der = simple_req(&len, NULL, fx.ca, "1001", 16);
	for (i = 0; i < len; i++)
		expect_status(der, i, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	assert_non_null(big = malloc(OCSP_REQUEST_MAX + 1));
	memcpy(big, der, len);
	big[len] = 0;
	expect_status(big, len + 1, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	/* Over the size limit, even if it were valid. */
	memset(big + len, 0, OCSP_REQUEST_MAX + 1 - len);
	expect_status(big, OCSP_REQUEST_MAX + 1, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	free(big);
	OPENSSL_free(der);

	/* BER that is not DER: a long-form length where the short form
	 * fits (X.690 10.1), and a constructed end-of-contents in place of
	 * the NULL parameters of the CertID hash. */
	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	assert_true(len < 128);
	assert_non_null(big = malloc(len + 1));
	big[0] = 0x30;
	big[1] = 0x81;
	memcpy(big + 2, der + 1, len - 1);
	expect_status(big, len + 1, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	assert_non_null(strstr(sertel_errmsg(), "not DER"));
	free(big);
	for (i = 0; i + 9 <= len; i++) {
		if (memcmp(der + i, "\x06\x05\x2b\x0e\x03\x02\x1a\x05\x00", 9) == 0)
			break;
	}
	assert_true(i + 9 <= len);
	der[i + 7] = 0x20;
	expect_status(der, len, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	OPENSSL_free(der);

	/* No CertID at all. */
	assert_non_null(req = OCSP_REQUEST_new());
	der = req_der(req, &len);
	expect_status(der, len, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	OPENSSL_free(der);
	/* More CertIDs than the limit. */
	for (k = 0; k <= OCSP_REQUEST_MAX_ENTRIES; k++)
		req_add(req, EVP_sha1(), fx.ca, "1001");
	der = req_der(req, &len);
	expect_status(der, len, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);

	/* An unknown critical extension, and a repeated one. */
	for (k = 0; k < 2; k++) {
		assert_non_null(req = OCSP_REQUEST_new());
		req_add(req, EVP_sha1(), fx.ca, "1001");
		if (k == 0) {
			req_add_raw_ext(req, "1.3.6.1.4.1.99999.1", 1,
			                (const unsigned char *)"\x05\x00", 2);
		} else {
			/* (OCSP_request_add1_nonce replaces, so by hand.) */
			req_add_raw_ext(req, "1.3.6.1.5.5.7.48.1.2", 0,
			                (const unsigned char *)"\x04\x01\x01", 3);
			req_add_raw_ext(req, "1.3.6.1.5.5.7.48.1.2", 0,
			                (const unsigned char *)"\x04\x01\x02", 3);
		}
		der = req_der(req, &len);
		expect_status(der, len, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
		OPENSSL_free(der);
		OCSP_REQUEST_free(req);
	}
	/* ... while an unknown non-critical one is ignored. */
	assert_non_null(req = OCSP_REQUEST_new());
	req_add(req, EVP_sha1(), fx.ca, "1001");
	req_add_raw_ext(req, "1.3.6.1.4.1.99999.1", 0, (const unsigned char *)"\x05\x00",
	                2);
	der = req_der(req, &len);
	expect_status(der, len, OCSP_RESPONSE_STATUS_SUCCESSFUL);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
}

static void
expect_sane(const unsigned char *der, size_t len, const char *what, size_t k)
{
	struct ocsp_result res;
	int st;

	respond(&res, der, len);
	st = resp_status(&res);
	/* Whatever the bytes, never our fault: no internalError. */
	if (st != OCSP_RESPONSE_STATUS_SUCCESSFUL &&
	    st != OCSP_RESPONSE_STATUS_MALFORMEDREQUEST &&
	    st != OCSP_RESPONSE_STATUS_UNAUTHORIZED)
		fail_msg("%s %zu: status %d: %s", what, k, st, sertel_errmsg());
	ocsp_result_free(&res);
}

/*
 * Every single-byte substitution of a valid request (SHA-256 CertID and
 * a nonce), then random multi-byte ones from a fixed seed: always a
 * well-formed answer that blames the request, never a crash (the ASan
 * run makes this sharper).
 */
static void
test_ocsp_mutated_requests(void **state)
{
	unsigned char *der, *mut;
	uint32_t seed = 20261122;
	size_t len, pos, k, n;
	int v;

	der = simple_req(&len, EVP_sha256(), fx.ca, "1001", 32);
	assert_non_null(mut = malloc(len));
	for (pos = 0; pos < len; pos++) {
		for (v = 0; v < 256; v++) {
			memcpy(mut, der, len);
			mut[pos] = (unsigned char)v;
			expect_sane(mut, len, "byte", pos * 256 + (size_t)v);
		}
	}
	for (k = 0; k < 5000; k++) {
		memcpy(mut, der, len);
		for (n = 0; n < 2 + k % 3; n++) {
			seed = seed * 1103515245u + 12345u; /* POSIX rand() LCG */
			mut[(seed >> 8) % len] = (unsigned char)(seed >> 24);
		}
		expect_sane(mut, len, "random mutation", k);
	}
	free(mut);
	OPENSSL_free(der);
}

static void
test_ocsp_unauthorized_issuer(void **state)
{
	OCSP_REQUEST *req;
	unsigned char *der;
	size_t len;

	/* A CA we do not serve, with SHA-1 and SHA-256 CertIDs. */
	der = simple_req(&len, NULL, fx.other_ca, "1001", 0);
	expect_status(der, len, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
	OPENSSL_free(der);
	der = simple_req(&len, EVP_sha256(), fx.other_ca, "1001", 16);
	expect_status(der, len, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
	OPENSSL_free(der);
	/* The root above our CA is not served either. */
	der = simple_req(&len, NULL, fx.root, "02", 0);
	expect_status(der, len, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
	OPENSSL_free(der);
	/* A CertID hash we do not recognise (SHA-224). */
	der = simple_req(&len, EVP_sha224(), fx.ca, "1001", 0);
	expect_status(der, len, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
	OPENSSL_free(der);
	/* One of ours and one not: no single signer can answer both. */
	assert_non_null(req = OCSP_REQUEST_new());
	req_add(req, EVP_sha1(), fx.ca, "1001");
	req_add(req, EVP_sha1(), fx.other_ca, "1001");
	der = req_der(req, &len);
	expect_status(der, len, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
}

/* A second CA in the same responder with its own signer; a request
 * mixing both CAs is refused. */
static void
test_ocsp_two_issuers(void **state)
{
	struct ocsp_responder *r = NULL;
	struct ocsp_issuer_conf a = {0}, b = {0};
	struct ocsp_result res;
	OCSP_REQUEST *req;
	const unsigned char *p;
	OCSP_RESPONSE *resp;
	OCSP_BASICRESP *bs;
	X509_STORE *store;
	STACK_OF(X509) * none;
	unsigned char *der;
	size_t len;

	assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
	a.id = "ca-a";
	a.issuer = fx.ca;
	a.signer = fx.signer;
	a.key = fx.signer_key;
	b.id = "ca-b";
	b.issuer = fx.other_ca;
	b.signer = fx.other_signer;
	b.key = fx.signer_key;
	assert_ok(ocsp_responder_add_issuer(r, &a));
	assert_ok(ocsp_responder_add_issuer(r, &b));
	assert_int_equal(ocsp_responder_add_issuer(r, &b), SERTEL_EEXISTS);

	der = simple_req(&len, EVP_sha256(), fx.other_ca, "1002", 0);
	assert_ok(ocsp_respond(&res, r, der, len));
	assert_int_equal(res.status, OCSP_RESP_SUCCESSFUL);
	assert_string_equal(last_issuer, "ca-b");
	p = res.der;
	assert_non_null(resp = d2i_OCSP_RESPONSE(NULL, &p, (long)res.len));
	assert_non_null(bs = OCSP_response_get1_basic(resp));
	assert_non_null(store = X509_STORE_new());
	assert_int_equal(X509_STORE_add_cert(store, fx.other_ca), 1);
	assert_non_null(none = sk_X509_new_null());
	assert_int_equal(OCSP_basic_verify(bs, none, store, 0), 1);
	expect_single(bs, EVP_sha256(), fx.other_ca, "1002", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_KEYCOMPROMISE, REVOKED_AT);
	sk_X509_free(none);
	X509_STORE_free(store);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	ocsp_result_free(&res);
	OPENSSL_free(der);

	assert_non_null(req = OCSP_REQUEST_new());
	req_add(req, EVP_sha1(), fx.ca, "1001");
	req_add(req, EVP_sha1(), fx.other_ca, "1001");
	der = req_der(req, &len);
	assert_ok(ocsp_respond(&res, r, der, len));
	assert_int_equal(res.status, OCSP_RESP_UNAUTHORIZED);
	ocsp_result_free(&res);
	OPENSSL_free(der);
	OCSP_REQUEST_free(req);
	ocsp_responder_free(r);
}

/* RFC 6960 2.3: the store being away is tryLater; our bugs are
 * internalError. */
static void
test_ocsp_lookup_failures(void **state)
{
	unsigned char *der;
	size_t len;

	der = simple_req(&len, NULL, fx.ca, "0bad", 0);
	expect_status(der, len, OCSP_RESPONSE_STATUS_TRYLATER);
	assert_non_null(strstr(sertel_errmsg(), "down"));
	OPENSSL_free(der);
	der = simple_req(&len, NULL, fx.ca, "0bae", 0);
	expect_status(der, len, OCSP_RESPONSE_STATUS_INTERNALERROR);
	OPENSSL_free(der);
	der = simple_req(&len, NULL, fx.ca, "0baf", 0);
	expect_status(der, len, OCSP_RESPONSE_STATUS_INTERNALERROR);
	assert_non_null(strstr(sertel_errmsg(), "reason 7"));
	OPENSSL_free(der);
}

/* ---- setup checks and signer variants ------------------------------------ */

static void
test_ocsp_issuer_checks(void **state)
{
	struct ocsp_responder *r = NULL;
	struct ocsp_issuer_conf c = {0};

	assert_int_equal(ocsp_responder_new(&r, 0, lookup, NULL), SERTEL_EINVAL);
	assert_null(r);
	assert_int_equal(ocsp_responder_new(&r, VALIDITY, NULL, NULL), SERTEL_EINVAL);
	assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
	c.issuer = fx.ca;
	c.key = fx.signer_key;
	/* RFC 6960 4.2.2.2: no id-kp-OCSPSigning. */
	c.signer = fx.signer_noeku;
	assert_int_equal(ocsp_responder_add_issuer(r, &c), SERTEL_EINVAL);
	/* Issued by another CA. */
	c.signer = fx.other_signer;
	assert_int_equal(ocsp_responder_add_issuer(r, &c), SERTEL_EINVAL);
	/* Key that does not belong to the signer. */
	c.signer = fx.signer;
	c.key = fx.ca_key;
	assert_int_equal(ocsp_responder_add_issuer(r, &c), SERTEL_EINVAL);
	/* "Issuer" that is not a CA. */
	c.issuer = fx.signer;
	c.key = fx.signer_key;
	assert_int_equal(ocsp_responder_add_issuer(r, &c), SERTEL_EINVAL);
	c.issuer = NULL;
	assert_int_equal(ocsp_responder_add_issuer(r, &c), SERTEL_EINVAL);
	ocsp_responder_free(r);
}

/* A CA answering for itself: no delegated certificate, no certs. */
static void
test_ocsp_ca_signed(void **state)
{
	struct ocsp_responder *r = NULL;
	struct ocsp_issuer_conf c = {0};
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	c.issuer = fx.ca;
	c.signer = fx.ca;
	c.key = fx.ca_key;
	assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
	assert_ok(ocsp_responder_add_issuer(r, &c));
	der = simple_req(&len, NULL, fx.ca, "1002", 16);
	assert_ok(ocsp_respond(&res, r, der, len));
	bs = resp_basic(&res);
	assert_true(sk_X509_num(OCSP_resp_get0_certs(bs)) <= 0); /* absent */
	expect_single(bs, EVP_sha1(), fx.ca, "1002", V_OCSP_CERTSTATUS_REVOKED,
	              OCSP_REVOKED_STATUS_KEYCOMPROMISE, REVOKED_AT);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
	ocsp_responder_free(r);
}

static void
test_ocsp_rsa_signer(void **state)
{
	struct ocsp_responder *r = NULL;
	struct ocsp_issuer_conf c = {0};
	struct ocsp_result res;
	OCSP_BASICRESP *bs;
	unsigned char *der;
	size_t len;

	c.issuer = fx.ca;
	c.signer = fx.signer_rsa;
	c.key = fx.rsa_key;
	assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
	assert_ok(ocsp_responder_add_issuer(r, &c));
	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	assert_ok(ocsp_respond(&res, r, der, len));
	bs = resp_basic(&res);
	assert_int_equal(OBJ_obj2nid(OCSP_resp_get0_tbs_sigalg(bs)->algorithm),
	                 NID_sha256WithRSAEncryption);
	expect_single(bs, EVP_sha1(), fx.ca, "1001", V_OCSP_CERTSTATUS_GOOD, 0, 0);
	OCSP_BASICRESP_free(bs);
	ocsp_result_free(&res);
	OPENSSL_free(der);
	ocsp_responder_free(r);
}

/* An expired signer answers internalError; a signer about to expire
 * bounds nextUpdate. */
static void
test_ocsp_signer_validity(void **state)
{
	struct ocsp_responder *r = NULL;
	struct ocsp_issuer_conf c = {0};
	struct ocsp_result res;
	unsigned char *der;
	size_t len;
	int64_t not_after;

	c.issuer = fx.ca;
	c.signer = fx.signer_expired;
	c.key = fx.signer_key;
	assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
	assert_ok(ocsp_responder_add_issuer(r, &c));
	der = simple_req(&len, NULL, fx.ca, "1001", 0);
	assert_ok(ocsp_respond(&res, r, der, len));
	assert_int_equal(resp_status(&res), OCSP_RESPONSE_STATUS_INTERNALERROR);
	assert_non_null(strstr(sertel_errmsg(), "not valid now"));
	ocsp_result_free(&res);
	ocsp_responder_free(r);

	c.signer = fx.signer_short; /* 600 s left, validity is 3600 s */
	c.id = "short";
	assert_int_equal(ocsp_responder_new(&r, VALIDITY, lookup, NULL), 0);
	assert_ok(ocsp_responder_add_issuer(r, &c));
	assert_ok(ocsp_respond(&res, r, der, len));
	assert_int_equal(res.status, OCSP_RESP_SUCCESSFUL);
	not_after = epoch(X509_get0_notAfter(fx.signer_short));
	assert_int_equal(res.next_update, not_after);
	ocsp_result_free(&res);
	ocsp_responder_free(r);
	OPENSSL_free(der);
}

/* ---- GET ------------------------------------------------------------------ */

/* Percent-encodes every character outside unreserved (RFC 3986 2.3). */
static char *
url_encode(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	assert_non_null(out);
	for (; *s != '\0'; s++) {
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9'))
			*o++ = *s;
		else
			o += snprintf(o, 4, "%%%02X", (unsigned char)*s);
	}
	*o = '\0';
	return out;
}

static void
test_ocsp_get_decode(void **state)
{
	static const char *const bad[] = {
	    "%zz",     "%4",       "MEIwQDA+MDwwOjAJBgUrDgMCGgUABBQ!",
	    "ME w",    "MEI=wQDA", "M===",
	    "MEIwQDA", "%00AAA",   "MA%3D%3D%3D",
	};
	unsigned char *der, *got = NULL, *long_path;
	char *b64 = NULL, *enc;
	size_t len, glen, i;
	struct ocsp_result res;

	/* A request whose base64 has '+', '/' and '=' in it (the random
	 * nonce varies the bytes, its length the padding). */
	for (i = 0;; i++) {
		der = simple_req(&len, NULL, fx.ca, "1001", 16 + (int)(i % 3));
		assert_int_equal(b64_encode(&b64, der, len, 0), 0);
		if (strchr(b64, '+') != NULL && strchr(b64, '/') != NULL &&
		    strchr(b64, '=') != NULL)
			break;
		free(b64);
		OPENSSL_free(der);
		assert_true(i < 2000);
	}
	/* Encoded as RFC 6960 A.1 says. */
	enc = url_encode(b64);
	assert_non_null(strstr(enc, "%2F"));
	assert_int_equal(ocsp_get_decode(&got, &glen, enc, strlen(enc)), 0);
	assert_int_equal(glen, len);
	assert_memory_equal(got, der, len);
	respond(&res, got, glen);
	assert_int_equal(res.status, OCSP_RESP_SUCCESSFUL);
	ocsp_result_free(&res);
	free(got);
	/* Lower-case escapes, and the raw form some clients send. */
	for (i = 0; enc[i] != '\0'; i++)
		if (enc[i] == '%')
			enc[i + 2] =
			    (char)(enc[i + 2] >= 'A' ? enc[i + 2] + 32 : enc[i + 2]);
	assert_int_equal(ocsp_get_decode(&got, &glen, enc, strlen(enc)), 0);
	assert_memory_equal(got, der, len);
	free(got);
	assert_int_equal(ocsp_get_decode(&got, &glen, b64, strlen(b64)), 0);
	assert_memory_equal(got, der, len);
	free(got);
	/* Only the given length is read. */
	assert_int_equal(ocsp_get_decode(&got, &glen, b64, 4), 0);
	free(got);
	free(enc);
	free(b64);
	OPENSSL_free(der);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		got = (unsigned char *)"x";
		assert_true(ocsp_get_decode(&got, &glen, bad[i], strlen(bad[i])) < 0);
		assert_null(got);
	}
	assert_int_equal(ocsp_get_decode(&got, &glen, "", 0), SERTEL_EINVAL);
	assert_non_null(long_path = malloc(OCSP_GET_MAX + 4));
	memset(long_path, 'A', OCSP_GET_MAX + 4);
	assert_int_equal(
	    ocsp_get_decode(&got, &glen, (const char *)long_path, OCSP_GET_MAX + 4),
	    SERTEL_ETOOBIG);
	free(long_path);
}

/* ---- threads -------------------------------------------------------------- */

#define THREADS    8
#define PER_THREAD 100

static atomic_int thread_failures;

static void *
worker(void *arg)
{
	unsigned char *der = NULL;
	OCSP_REQUEST *req = NULL;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id;
	struct ocsp_result res;
	const unsigned char *p;
	int i, n, st, rs;

	for (i = 0; i < PER_THREAD; i++) {
		req = OCSP_REQUEST_new();
		id = certid(EVP_sha1(), fx.ca, (i % 2) ? "1002" : "1001");
		OCSP_request_add0_id(req, OCSP_CERTID_dup(id));
		OCSP_request_add1_nonce(req, NULL, 32);
		n = i2d_OCSP_REQUEST(req, &der);
		p = NULL;
		if (n <= 0 || ocsp_respond(&res, fx.r, der, (size_t)n) != 0 ||
		    (p = res.der, resp = d2i_OCSP_RESPONSE(NULL, &p, (long)res.len)) ==
		        NULL ||
		    (bs = OCSP_response_get1_basic(resp)) == NULL ||
		    OCSP_basic_verify(bs, fx.untrusted, fx.store, 0) != 1 ||
		    OCSP_check_nonce(req, bs) != 1 ||
		    OCSP_resp_find_status(bs, id, &st, &rs, NULL, NULL, NULL) != 1 ||
		    st != ((i % 2) ? V_OCSP_CERTSTATUS_REVOKED : V_OCSP_CERTSTATUS_GOOD))
			atomic_fetch_add(&thread_failures, 1);
		if (p != NULL)
			ocsp_result_free(&res);
		OCSP_BASICRESP_free(bs);
		OCSP_RESPONSE_free(resp);
		OCSP_REQUEST_free(req);
		OCSP_CERTID_free(id);
		OPENSSL_free(der);
		bs = NULL;
		resp = NULL;
		der = NULL;
	}
	return arg;
}

/* The responder is shared read-only by many threads. */
static void
test_ocsp_threads_share_responder(void **state)
{
	atomic_store(&thread_failures, 0);
	run_threads(worker, THREADS);
	assert_int_equal(atomic_load(&thread_failures), 0);
}

/* ---- interop with the openssl command line ------------------------------- */

static int
interop_setup(void **state)
{
	fx_setup(state);
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/sertel-ocsp-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	write_pem(fx.dir, "root.pem", fx.root);
	write_pem(fx.dir, "ca.pem", fx.ca);
	write_pem(fx.dir, "ee.pem", fx.ee);
	return 0;
}

static int
interop_teardown(void **state)
{
	char out[256];

	if (fx.dir[0] != '\0')
		run(out, sizeof(out), -1, "rm -rf '%s'", fx.dir);
	return fx_teardown(state);
}

/* Reads dir/in, answers it, writes dir/out. */
static void
answer_file(const char *in, const char *out, enum ocsp_resp_status want)
{
	char path[128];
	unsigned char *req = NULL;
	size_t len;
	struct ocsp_result res;

	snprintf(path, sizeof(path), "%s/%s", fx.dir, in);
	assert_int_equal(file_read(&req, &len, path, OCSP_REQUEST_MAX), 0);
	respond(&res, req, len);
	assert_int_equal(res.status, want);
	snprintf(path, sizeof(path), "%s/%s", fx.dir, out);
	assert_int_equal(file_write(path, res.der, res.len, 0644), 0);
	ocsp_result_free(&res);
	free(req);
}

/* The serial format is `openssl x509 -serial`, lowercased. */
static void
test_interop_serial_matches_openssl_x509(void **state)
{
	char out[4096], *p;

	run(out, sizeof(out), 0, "openssl x509 -noout -serial -in '%s/ee.pem'", fx.dir);
	assert_non_null(p = strstr(out, "serial="));
	p += strlen("serial=");
	p[strcspn(p, "\r\n")] = '\0';
	for (char *q = p; *q != '\0'; q++)
		*q = (char)(*q >= 'A' && *q <= 'F' ? *q + 32 : *q);
	assert_string_equal(p, fx.ee_serial);
}

/* openssl ocsp builds a request with a nonce for a real certificate; our
 * revoked answer verifies and the nonce matches. */
static void
test_interop_openssl_ocsp_revoked_with_nonce(void **state)
{
	char out[65536];

	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -issuer ca.pem -cert ee.pem -reqout req.der",
	    fx.dir);
	answer_file("req.der", "resp.der", OCSP_RESP_SUCCESSFUL);
	/* With -reqin (and no -cert, which would build a new request) the
	 * CLI checks the nonce against the request it sent. */
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -reqin req.der -respin resp.der -issuer ca.pem "
	    "-CAfile root.pem -resp_text",
	    fx.dir);
	expect_in(out, "Response verify OK", 1);
	expect_in(out, "Nonce Verify error", 0);
	expect_in(out, "WARNING", 0);
	expect_in(out, "OCSP Nonce", 1);
	expect_in(out, "Cert Status: revoked", 1);
	expect_in(out, "Revocation Reason: keyCompromise (0x1)", 1);
	expect_in(out, "Revocation Time: Nov 14 22:13:20 2023 GMT", 1);
	/* byKey: the SHA-1 key hash in hex (40 digits and the line's end),
	 * not a name such as "C = ID, O = ...". A key hash may itself start
	 * with C, so the line is read whole. */
	{
		const char *id = strstr(out, "Responder Id: ");
		size_t i = 0;

		assert_non_null(id);
		id += strlen("Responder Id: ");
		while (i < 40 && isxdigit((unsigned char)id[i]))
			i++;
		if (i != 40 || id[i] != '\n') {
			print_message("%s\n", out);
			fail_msg("Responder Id is not a key hash");
		}
	}
	/* The status as the CLI reports it for the certificate file. */
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -respin resp.der -issuer ca.pem -cert ee.pem "
	    "-CAfile root.pem -no_nonce",
	    fx.dir);
	expect_in(out, "Response verify OK", 1);
	expect_in(out, "ee.pem: revoked", 1);
	expect_in(out, "Reason: keyCompromise", 1);
	expect_in(out, "Revocation Time: Nov 14 22:13:20 2023 GMT", 1);
}

/* SHA-256 CertID without a nonce, asked by serial: good. */
static void
test_interop_openssl_ocsp_sha256_no_nonce_good(void **state)
{
	char out[65536];

	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -sha256 -no_nonce -issuer ca.pem -serial 0x1001 "
	    "-reqout req256.der",
	    fx.dir);
	answer_file("req256.der", "resp256.der", OCSP_RESP_SUCCESSFUL);
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -sha256 -no_nonce -reqin req256.der -respin "
	    "resp256.der -issuer ca.pem -serial 0x1001 -CAfile root.pem -resp_text",
	    fx.dir);
	expect_in(out, "Response verify OK", 1);
	expect_in(out, "0x1001: good", 1);
	expect_in(out, "Hash Algorithm: sha256", 1);
	expect_in(out, "Nonce", 0);
	expect_in(out, "WARNING", 0);
}

/* A request for a CA we do not serve: openssl reports unauthorized. */
static void
test_interop_openssl_ocsp_unauthorized(void **state)
{
	char out[65536];

	write_pem(fx.dir, "other.pem", fx.other_ca);
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -issuer other.pem -serial 5 -reqout reqx.der",
	    fx.dir);
	answer_file("reqx.der", "respx.der", OCSP_RESP_UNAUTHORIZED);
	run(out, sizeof(out), -1,
	    "cd '%s' && openssl ocsp -respin respx.der -resp_text -noverify", fx.dir);
	expect_in(out, "unauthorized (6)", 1);
}

/* A pre-signed answer for the EE verifies like a live one. */
static void
test_interop_openssl_ocsp_presigned(void **state)
{
	struct ocsp_status st = {OCSP_CERT_GOOD, 0, -1};
	struct ocsp_result res;
	char out[65536], path[128];

	assert_ok(ocsp_presign(&res, fx.r, fx.ca_id, fx.ee_serial, NULL, &st));
	snprintf(path, sizeof(path), "%s/pre.der", fx.dir);
	assert_int_equal(file_write(path, res.der, res.len, 0644), 0);
	ocsp_result_free(&res);
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ocsp -respin pre.der -issuer ca.pem -cert ee.pem -CAfile "
	    "root.pem -no_nonce",
	    fx.dir);
	expect_in(out, "Response verify OK", 1);
	expect_in(out, "ee.pem: good", 1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest unit[] = {
	    cmocka_unit_test(test_ocsp_good),
	    cmocka_unit_test(test_ocsp_revoked),
	    cmocka_unit_test(test_ocsp_revoked_unspecified_reason_absent),
	    cmocka_unit_test(test_ocsp_unknown),
	    cmocka_unit_test(test_ocsp_nonissued_is_revoked_hold_1970),
	    cmocka_unit_test(test_ocsp_lookup_serial_format),
	    cmocka_unit_test(test_ocsp_oversized_serial_unknown),
	    cmocka_unit_test(test_ocsp_sha256_384_512_certids),
	    cmocka_unit_test(test_ocsp_multiple_certids),
	    cmocka_unit_test(test_ocsp_responder_id_by_key_and_signer_cert),
	    cmocka_unit_test(test_ocsp_nonce_echoed),
	    cmocka_unit_test(test_ocsp_nonce_bounds_malformed),
	    cmocka_unit_test(test_ocsp_cacheable_and_update_times),
	    cmocka_unit_test(test_ocsp_cache_key),
	    cmocka_unit_test(test_ocsp_presign),
	    cmocka_unit_test(test_ocsp_encoder_matches_openssl),
	    cmocka_unit_test(test_ocsp_malformed_requests),
	    cmocka_unit_test(test_ocsp_mutated_requests),
	    cmocka_unit_test(test_ocsp_unauthorized_issuer),
	    cmocka_unit_test(test_ocsp_two_issuers),
	    cmocka_unit_test(test_ocsp_lookup_failures),
	    cmocka_unit_test(test_ocsp_issuer_checks),
	    cmocka_unit_test(test_ocsp_ca_signed),
	    cmocka_unit_test(test_ocsp_rsa_signer),
	    cmocka_unit_test(test_ocsp_signer_validity),
	    cmocka_unit_test(test_ocsp_get_decode),
	    cmocka_unit_test(test_ocsp_threads_share_responder),
	};
	const struct CMUnitTest interop[] = {
	    cmocka_unit_test(test_interop_serial_matches_openssl_x509),
	    cmocka_unit_test(test_interop_openssl_ocsp_revoked_with_nonce),
	    cmocka_unit_test(test_interop_openssl_ocsp_sha256_no_nonce_good),
	    cmocka_unit_test(test_interop_openssl_ocsp_unauthorized),
	    cmocka_unit_test(test_interop_openssl_ocsp_presigned),
	};

	if (argc > 1 && strcmp(argv[1], "interop") == 0) {
		/* ctest counts 77 as skipped, never as passed. */
		if (system("openssl version >/dev/null 2>&1") != 0) {
			fprintf(stderr, "openssl command line not found: skipped\n");
			return 77;
		}
		return cmocka_run_group_tests_name("ocsp interop (openssl CLI)", interop,
		                                   interop_setup, interop_teardown);
	}
	return cmocka_run_group_tests_name("ocsp", unit, fx_setup, fx_teardown);
}
