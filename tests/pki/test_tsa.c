/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The time-stamping authority (src/pki/tsa.c) against OpenSSL's RFC 3161
 * verifier, and (group "interop") against `openssl ts`.
 *
 *   test_tsa            unit tests
 *   test_tsa interop    `openssl ts` writes queries and judges our replies;
 *                       exits 77 (skipped) without the CLI
 */
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
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "pki/va.h"
#include "pki/pkitest.h"

#define POLICY       "1.3.6.1.4.1.99999.1.3"
#define OTHER_POLICY "1.3.6.1.4.1.99999.1.4"
#define DAY          (24L * 3600)

static struct {
	EVP_PKEY *root_key, *ca_key, *tsa_key;
	X509 *root, *ca, *tsa_cert, *tsa_expired;
	X509 *eku_noncritical, *eku_extra, *eku_none;
	STACK_OF(X509) * chain; /* the issuing CA */
	X509_STORE *store;      /* trusts root */
	struct tsa *t;          /* accuracy 1 s, whole seconds */
	char dir[64];
} fx;

/* ---- fixtures (as in test_ocsp.c) ---------------------------------------- */

static const struct ext ca_exts[] = {
    {NID_basic_constraints, "critical,CA:TRUE"},
    {NID_key_usage, "critical,keyCertSign,cRLSign"},
    {NID_subject_key_identifier, "hash"},
    {0, NULL},
};
/* RFC 3161 2.3. */
static const struct ext tsa_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "critical,timeStamping"},
    {NID_subject_key_identifier, "hash"},
    {NID_authority_key_identifier, "keyid:always"},
    {0, NULL},
};
static const struct ext noncritical_exts[] = {
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "timeStamping"},
    {0, NULL},
};
static const struct ext extra_exts[] = {
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "critical,timeStamping,codeSigning"},
    {0, NULL},
};
static const struct ext none_exts[] = {
    {NID_key_usage, "critical,digitalSignature"},
    {0, NULL},
};

static struct tsa *
mktsa(X509 *cert, int64_t accuracy_us, int precision, tsa_serial_fn serial, void *arg)
{
	struct tsa_conf c = {0};
	struct tsa *t = NULL;

	c.cert = cert;
	c.key = fx.tsa_key;
	c.chain = fx.chain;
	c.policy = POLICY;
	c.accuracy_us = accuracy_us;
	c.precision = precision;
	c.serial = serial;
	c.serial_arg = arg;
	assert_int_equal(tsa_new(&t, &c), 0);
	return t;
}

static int
fx_setup(void **state)
{
	fx.root_key = mkkey();
	fx.ca_key = mkkey();
	fx.tsa_key = mkkey();
	fx.root = mkcert(fx.root_key, "VA Test Root", NULL, NULL, "01", -DAY, 3650 * DAY,
	                 ca_exts);
	fx.ca = mkcert(fx.ca_key, "VA Test Issuing CA", fx.root, fx.root_key, "02", -DAY,
	               3650 * DAY, ca_exts);
	fx.tsa_cert = mkcert(fx.tsa_key, "VA Test TSA", fx.ca, fx.ca_key, "03", -DAY,
	                     365 * DAY, tsa_exts);
	fx.tsa_expired = mkcert(fx.tsa_key, "VA Expired TSA", fx.ca, fx.ca_key, "04",
	                        -10 * DAY, -DAY, tsa_exts);
	fx.eku_noncritical = mkcert(fx.tsa_key, "Non-critical", fx.ca, fx.ca_key, "05",
	                            -DAY, DAY, noncritical_exts);
	fx.eku_extra =
	    mkcert(fx.tsa_key, "Extra", fx.ca, fx.ca_key, "06", -DAY, DAY, extra_exts);
	fx.eku_none =
	    mkcert(fx.tsa_key, "None", fx.ca, fx.ca_key, "07", -DAY, DAY, none_exts);
	assert_non_null(fx.chain = sk_X509_new_null());
	assert_true(sk_X509_push(fx.chain, fx.ca) > 0);
	assert_non_null(fx.store = X509_STORE_new());
	assert_int_equal(X509_STORE_add_cert(fx.store, fx.root), 1);
	fx.t = mktsa(fx.tsa_cert, 1000000, 0, NULL, NULL);
	*state = NULL;
	return 0;
}

static int
fx_teardown(void **state)
{
	tsa_free(fx.t);
	X509_STORE_free(fx.store);
	sk_X509_free(fx.chain);
	X509_free(fx.root);
	X509_free(fx.ca);
	X509_free(fx.tsa_cert);
	X509_free(fx.tsa_expired);
	X509_free(fx.eku_noncritical);
	X509_free(fx.eku_extra);
	X509_free(fx.eku_none);
	EVP_PKEY_free(fx.root_key);
	EVP_PKEY_free(fx.ca_key);
	EVP_PKEY_free(fx.tsa_key);
	return 0;
}

/* ---- queries and replies as a client sees them --------------------------- */

static const unsigned char data[] = "Surat Keputusan Wali Kota Cirebon";

struct query {
	const EVP_MD *md; /* imprint algorithm; NULL: SHA-256 */
	int nonce;        /* add a 64-bit random nonce */
	int cert_req;
	const char *policy;
	long version;  /* 0: 1 */
	int bad_len;   /* imprint one byte short */
	int ext;       /* add an extension */
	int alg_param; /* put an INTEGER in the algorithm parameters */
};

/* The DER of a TimeStampReq; *out (if not NULL) keeps the request. */
static unsigned char *
tsq(size_t *len, const struct query *q, TS_REQ **out)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	const EVP_MD *md = q->md != NULL ? q->md : EVP_sha256();
	unsigned char digest[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int dlen;
	ASN1_OBJECT *pol;
	ASN1_INTEGER *nonce, *param;
	BIGNUM *bn;
	X509_EXTENSION *e;
	int n;

	assert_non_null(req);
	assert_int_equal(TS_REQ_set_version(req, q->version ? q->version : 1), 1);
	if (q->alg_param) {
		assert_non_null(param = ASN1_INTEGER_new());
		assert_int_equal(ASN1_INTEGER_set(param, 5), 1);
		assert_int_equal(X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)),
		                                 V_ASN1_INTEGER, param),
		                 1);
	} else {
		assert_int_equal(X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)),
		                                 V_ASN1_NULL, NULL),
		                 1);
	}
	assert_int_equal(TS_MSG_IMPRINT_set_algo(mi, alg), 1);
	assert_int_equal(EVP_Digest(data, sizeof(data), digest, &dlen, md, NULL), 1);
	assert_int_equal(TS_MSG_IMPRINT_set_msg(mi, digest, (int)dlen - q->bad_len), 1);
	assert_int_equal(TS_REQ_set_msg_imprint(req, mi), 1);
	if (q->policy != NULL) {
		assert_non_null(pol = OBJ_txt2obj(q->policy, 1));
		assert_int_equal(TS_REQ_set_policy_id(req, pol), 1);
		ASN1_OBJECT_free(pol);
	}
	if (q->nonce) {
		assert_non_null(bn = BN_new());
		assert_int_equal(BN_rand(bn, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), 1);
		assert_non_null(nonce = BN_to_ASN1_INTEGER(bn, NULL));
		assert_int_equal(TS_REQ_set_nonce(req, nonce), 1);
		ASN1_INTEGER_free(nonce);
		BN_free(bn);
	}
	assert_int_equal(TS_REQ_set_cert_req(req, q->cert_req), 1);
	if (q->ext) {
		assert_non_null(e = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
		                                        "CA:FALSE"));
		assert_int_equal(TS_REQ_add_ext(req, e, -1), 1);
		X509_EXTENSION_free(e);
	}
	assert_true((n = i2d_TS_REQ(req, &der)) > 0);
	*len = (size_t)n;
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	if (out != NULL)
		*out = req;
	else
		TS_REQ_free(req);
	return der;
}

static TS_RESP *
decode(const struct tsa_result *res)
{
	const unsigned char *p = res->der;
	TS_RESP *resp;

	assert_non_null(res->der);
	assert_non_null(resp = d2i_TS_RESP(NULL, &p, (long)res->len));
	assert_ptr_equal(p, res->der + res->len);
	return resp;
}

/* The PKIStatus and first failInfo bit as the client decodes them. */
static void
expect_rejection(const struct tsa_result *res, int bit)
{
	TS_RESP *resp = decode(res);
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);

	assert_int_equal(res->status, TSA_REJECTION);
	assert_int_equal(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si)),
	                 TS_STATUS_REJECTION);
	assert_non_null(TS_STATUS_INFO_get0_failure_info(si));
	assert_int_equal(
	    ASN1_BIT_STRING_get_bit(TS_STATUS_INFO_get0_failure_info(si), bit), 1);
	assert_int_equal((int)res->fail_info, bit);
	assert_null(TS_RESP_get_token(resp));
	assert_string_equal(res->serial, "");
	TS_RESP_free(resp);
}

/* Answers; no OpenSSL error is left behind. */
static void
answer(struct tsa_result *res, const struct tsa *t, const unsigned char *der, size_t len)
{
	ERR_clear_error();
	assert_int_equal(tsa_respond(res, t, der, len), 0);
	assert_int_equal(ERR_peek_error(), 0);
}

/*
 * Verifies a granted reply as a relying party does: signature and chain
 * to the root, imprint, nonce, policy, version; TSA certificate from the
 * token or, with certReq off, from the untrusted list.
 */
static TS_RESP *
verify(const struct tsa_result *res, TS_REQ *req)
{
	TS_RESP *resp = decode(res);
	TS_VERIFY_CTX *ctx;
	STACK_OF(X509) * untrusted;

	assert_int_equal(res->status, TSA_GRANTED);
	assert_int_equal((int)res->fail_info, TSA_FAIL_NONE);
	assert_non_null(ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL));
	/* TS_VFY_SIGNER: the token's tsa name is the signer's subject. */
	TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE | TS_VFY_SIGNER);
	assert_int_equal(X509_STORE_up_ref(fx.store), 1);
	TS_VERIFY_CTX_set_store(ctx, fx.store);
	assert_non_null(untrusted = sk_X509_new_null());
	assert_true(sk_X509_push(untrusted, X509_dup(fx.tsa_cert)) > 0);
	assert_true(sk_X509_push(untrusted, X509_dup(fx.ca)) > 0);
	TS_VERIFY_CTX_set_certs(ctx, untrusted);
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		ERR_print_errors_fp(stderr);
		fail_msg("TS_RESP_verify_response failed");
	}
	TS_VERIFY_CTX_free(ctx);
	return resp;
}

/* Certificates in the token's SignedData (an absent set counts 0). */
static int
token_cert_count(TS_RESP *resp)
{
	int n = sk_X509_num(TS_RESP_get_token(resp)->d.sign->cert);

	return n < 0 ? 0 : n;
}

/* ---- granted ------------------------------------------------------------- */

static void
test_tsa_granted_sha256_384_512(void **state)
{
	const EVP_MD *mds[] = {EVP_sha256(), EVP_sha384(), EVP_sha512()};
	struct query q = {0};
	struct tsa_result res;
	TS_REQ *req;
	TS_RESP *resp;
	TS_TST_INFO *tst;
	char hex[SERIAL_HEX_MAX + 1];
	unsigned char *der;
	size_t len, i;
	int64_t before;

	for (i = 0; i < 3; i++) {
		q.md = mds[i];
		q.nonce = 1;
		q.cert_req = 1;
		der = tsq(&len, &q, &req);
		/* time() reads the coarse clock, which can lag the gettimeofday()
		 * clock OpenSSL stamps genTime with; measure with the latter. */
		before = time_now_us() / 1000000;
		answer(&res, fx.t, der, len);
		resp = verify(&res, req);
		tst = TS_RESP_get_tst_info(resp);
		assert_int_equal(
		    OBJ_obj2nid(TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(tst))
		                    ->algorithm),
		    EVP_MD_get_type(mds[i]));
		assert_int_equal(serial_to_hex(hex, TS_TST_INFO_get_serial(tst)), 0);
		assert_string_equal(hex, res.serial);
		assert_in_range(res.gen_time, before, time_now_us() / 1000000);
		TS_RESP_free(resp);
		TS_REQ_free(req);
		tsa_result_free(&res);
		OPENSSL_free(der);
	}
}

/* RFC 3161 2.4.2 / RFC 5816: only signingCertificateV2, ESSCertIDv2 over
 * the TSA certificate with SHA-256 (the default, so no algorithm). */
static void
test_tsa_ess_cert_id_v2(void **state)
{
	static const unsigned char sha256_oid[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
	                                           0x65, 0x03, 0x04, 0x02, 0x01};
	struct query q = {.cert_req = 1};
	struct tsa_result res;
	TS_RESP *resp;
	PKCS7_SIGNER_INFO *si;
	ASN1_TYPE *attr;
	unsigned char *der, hash[32], *cder = NULL;
	const unsigned char *v;
	size_t len;
	int n, vlen;

	der = tsq(&len, &q, NULL);
	answer(&res, fx.t, der, len);
	resp = decode(&res);
	si =
	    sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(TS_RESP_get_token(resp)), 0);
	assert_non_null(si);
	assert_null(PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificate));
	assert_non_null(
	    attr = PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificateV2));
	assert_int_equal(attr->type, V_ASN1_SEQUENCE);
	v = ASN1_STRING_get0_data(attr->value.sequence);
	vlen = ASN1_STRING_length(attr->value.sequence);
	assert_true((n = i2d_X509(fx.tsa_cert, &cder)) > 0);
	sha256(hash, cder, (size_t)n);
	assert_non_null(memmem(v, (size_t)vlen, hash, sizeof(hash)));
	assert_null(memmem(v, (size_t)vlen, sha256_oid, sizeof(sha256_oid)));
	OPENSSL_free(cder);
	TS_RESP_free(resp);
	tsa_result_free(&res);
	OPENSSL_free(der);
}

/* RFC 3161 2.4.1: certificates only when certReq is true. */
static void
test_tsa_cert_req_on_off(void **state)
{
	struct query q = {.nonce = 1};
	struct tsa_result res;
	TS_REQ *req;
	TS_RESP *resp;
	unsigned char *der;
	size_t len;

	der = tsq(&len, &q, &req);
	answer(&res, fx.t, der, len);
	resp = verify(&res, req);
	assert_int_equal(token_cert_count(resp), 0);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	tsa_result_free(&res);
	OPENSSL_free(der);

	q.cert_req = 1;
	der = tsq(&len, &q, &req);
	answer(&res, fx.t, der, len);
	resp = verify(&res, req);
	/* The TSA certificate, then the chain above it. */
	assert_int_equal(token_cert_count(resp), 2);
	assert_int_equal(X509_cmp(sk_X509_value(TS_RESP_get_token(resp)->d.sign->cert, 0),
	                          fx.tsa_cert),
	                 0);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	tsa_result_free(&res);
	OPENSSL_free(der);
}

static void
test_tsa_nonce_echoed(void **state)
{
	struct query q = {.nonce = 1};
	struct tsa_result res;
	TS_REQ *req;
	TS_RESP *resp;
	unsigned char *der;
	size_t len;

	der = tsq(&len, &q, &req);
	answer(&res, fx.t, der, len);
	resp = verify(&res, req);
	assert_non_null(TS_TST_INFO_get_nonce(TS_RESP_get_tst_info(resp)));
	assert_int_equal(
	    ASN1_INTEGER_cmp(TS_TST_INFO_get_nonce(TS_RESP_get_tst_info(resp)),
	                     TS_REQ_get_nonce(req)),
	    0);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	tsa_result_free(&res);
	OPENSSL_free(der);

	q.nonce = 0;
	der = tsq(&len, &q, &req);
	answer(&res, fx.t, der, len);
	resp = verify(&res, req);
	assert_null(TS_TST_INFO_get_nonce(TS_RESP_get_tst_info(resp)));
	TS_RESP_free(resp);
	TS_REQ_free(req);
	tsa_result_free(&res);
	OPENSSL_free(der);
}

static void
test_tsa_policy(void **state)
{
	struct query q = {0};
	struct tsa_result res;
	TS_REQ *req;
	TS_RESP *resp;
	char oid[64];
	unsigned char *der;
	size_t len;
	int i;

	/* None asked: ours; ours asked: ours. */
	for (i = 0; i < 2; i++) {
		q.policy = i == 0 ? NULL : POLICY;
		der = tsq(&len, &q, &req);
		answer(&res, fx.t, der, len);
		resp = verify(&res, req);
		OBJ_obj2txt(oid, sizeof(oid),
		            TS_TST_INFO_get_policy_id(TS_RESP_get_tst_info(resp)), 1);
		assert_string_equal(oid, POLICY);
		TS_RESP_free(resp);
		TS_REQ_free(req);
		tsa_result_free(&res);
		OPENSSL_free(der);
	}
	q.policy = OTHER_POLICY;
	der = tsq(&len, &q, NULL);
	answer(&res, fx.t, der, len);
	expect_rejection(&res, TS_INFO_UNACCEPTED_POLICY);
	tsa_result_free(&res);
	OPENSSL_free(der);
}

/* Accuracy split over seconds/millis/micros, genTime precision, and the
 * tsa name. */
static void
test_tsa_accuracy_precision_name(void **state)
{
	struct query q = {0};
	struct tsa_result res;
	struct tsa *t;
	TS_REQ *req;
	TS_RESP *resp;
	TS_TST_INFO *tst;
	const TS_ACCURACY *acc;
	GENERAL_NAME *gn;
	const ASN1_GENERALIZEDTIME *gt;
	unsigned char *der;
	size_t len;

	der = tsq(&len, &q, &req);
	answer(&res, fx.t, der, len);
	resp = verify(&res, req);
	tst = TS_RESP_get_tst_info(resp);
	assert_non_null(acc = TS_TST_INFO_get_accuracy(tst));
	assert_int_equal(ASN1_INTEGER_get(TS_ACCURACY_get_seconds(acc)), 1);
	assert_null(TS_ACCURACY_get_millis(acc));
	assert_null(TS_ACCURACY_get_micros(acc));
	gt = TS_TST_INFO_get_time(tst);
	assert_int_equal(ASN1_STRING_length(gt), 15); /* YYYYMMDDhhmmssZ */
	assert_non_null(gn = TS_TST_INFO_get_tsa(tst));
	assert_int_equal(gn->type, GEN_DIRNAME);
	assert_int_equal(X509_NAME_cmp(gn->d.dirn, X509_get_subject_name(fx.tsa_cert)),
	                 0);
	TS_RESP_free(resp);
	tsa_result_free(&res);

	t = mktsa(fx.tsa_cert, 2001500, 6, NULL, NULL);
	answer(&res, t, der, len);
	resp = verify(&res, req);
	tst = TS_RESP_get_tst_info(resp);
	assert_non_null(acc = TS_TST_INFO_get_accuracy(tst));
	assert_int_equal(ASN1_INTEGER_get(TS_ACCURACY_get_seconds(acc)), 2);
	assert_int_equal(ASN1_INTEGER_get(TS_ACCURACY_get_millis(acc)), 1);
	assert_int_equal(ASN1_INTEGER_get(TS_ACCURACY_get_micros(acc)), 500);
	gt = TS_TST_INFO_get_time(tst);
	assert_true(ASN1_STRING_length(gt) >= 15); /* fraction unless .000000 */
	TS_RESP_free(resp);
	tsa_result_free(&res);
	tsa_free(t);

	/* No accuracy at all. */
	t = mktsa(fx.tsa_cert, 0, 0, NULL, NULL);
	answer(&res, t, der, len);
	resp = verify(&res, req);
	assert_null(TS_TST_INFO_get_accuracy(TS_RESP_get_tst_info(resp)));
	TS_RESP_free(resp);
	tsa_result_free(&res);
	tsa_free(t);
	TS_REQ_free(req);
	OPENSSL_free(der);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* RFC 3161 2.4.2: serialNumber unique for each token. */
static void
test_tsa_unique_serials(void **state)
{
	enum { N = 2000 };
	char **seen;
	struct query q = {0};
	struct tsa_result res;
	unsigned char *der;
	size_t len;
	int i;

	assert_non_null(seen = calloc(N, sizeof(*seen)));
	der = tsq(&len, &q, NULL);
	for (i = 0; i < N; i++) {
		answer(&res, fx.t, der, len);
		assert_int_equal(res.status, TSA_GRANTED);
		/* serial_generate(): 0x01 then 128 random bits. */
		assert_int_equal(strlen(res.serial), 34);
		assert_non_null(seen[i] = strdup(res.serial));
		tsa_result_free(&res);
	}
	qsort(seen, N, sizeof(*seen), cmp_str);
	for (i = 1; i < N; i++)
		assert_true(strcmp(seen[i - 1], seen[i]) != 0);
	for (i = 0; i < N; i++)
		free(seen[i]);
	free(seen);
	OPENSSL_free(der);
}

/* A caller-supplied serial source: a counter, which can also fail. */
static int
counter_serial(ASN1_INTEGER **out, void *arg)
{
	long *next = arg;

	if (*next < 0)
		return sertel_err(SERTEL_ESTORE, "test: serial store down");
	*out = ASN1_INTEGER_new();
	ASN1_INTEGER_set(*out, (*next)++);
	return 0;
}

static void
test_tsa_serial_callback(void **state)
{
	long next = 0x7f;
	struct query q = {0};
	struct tsa_result res;
	struct tsa *t = mktsa(fx.tsa_cert, 1000000, 0, counter_serial, &next);
	unsigned char *der;
	size_t len;

	der = tsq(&len, &q, NULL);
	answer(&res, t, der, len);
	assert_string_equal(res.serial, "7f");
	tsa_result_free(&res);
	answer(&res, t, der, len);
	assert_string_equal(res.serial, "80");
	tsa_result_free(&res);
	/* A failing source or a negative serial: systemFailure, no token. */
	next = -1;
	answer(&res, t, der, len);
	expect_rejection(&res, TS_INFO_SYSTEM_FAILURE);
	assert_non_null(strstr(sertel_errmsg(), "serial store down"));
	tsa_result_free(&res);
	tsa_free(t);
	OPENSSL_free(der);
}

/* ---- rejected ------------------------------------------------------------- */

static void
test_tsa_rejects_other_hashes(void **state)
{
	const EVP_MD *mds[] = {EVP_md5(), EVP_sha1(), EVP_sha224(), EVP_sha3_256()};
	struct query q = {0};
	struct tsa_result res;
	unsigned char *der;
	size_t len, i;

	for (i = 0; i < sizeof(mds) / sizeof(mds[0]); i++) {
		q.md = mds[i];
		der = tsq(&len, &q, NULL);
		answer(&res, fx.t, der, len);
		expect_rejection(&res, TS_INFO_BAD_ALG);
		tsa_result_free(&res);
		OPENSSL_free(der);
	}
	/* Parameters other than NULL on a good algorithm. */
	q.md = NULL;
	q.alg_param = 1;
	der = tsq(&len, &q, NULL);
	answer(&res, fx.t, der, len);
	expect_rejection(&res, TS_INFO_BAD_ALG);
	tsa_result_free(&res);
	OPENSSL_free(der);
}

static void
expect_bad(const unsigned char *der, size_t len, int bit)
{
	struct tsa_result res;

	answer(&res, fx.t, der, len);
	expect_rejection(&res, bit);
	tsa_result_free(&res);
}

static void
test_tsa_malformed(void **state)
{
	struct query q = {.nonce = 1, .cert_req = 1};
	unsigned char buf[300], *der, *big;
	size_t len, i;
	int k;

	expect_bad((const unsigned char *)"", 0, TS_INFO_BAD_DATA_FORMAT);
	expect_bad((const unsigned char *)"\x30\x84\x7f\xff\xff\xff", 6,
	           TS_INFO_BAD_DATA_FORMAT);
	for (k = 0; k < 300; k++) {
		assert_int_equal(RAND_bytes(buf, sizeof(buf)), 1);
		expect_bad(buf, 1 + buf[0] % (sizeof(buf) - 1), TS_INFO_BAD_DATA_FORMAT);
	}
	der = tsq(&len, &q, NULL);
	for (i = 0; i < len; i++)
		expect_bad(der, i, TS_INFO_BAD_DATA_FORMAT);
	assert_non_null(big = calloc(1, TSA_REQUEST_MAX + 1));
	memcpy(big, der, len);
	expect_bad(big, len + 1, TS_INFO_BAD_DATA_FORMAT); /* trailing byte */
	assert_non_null(strstr(sertel_errmsg(), "trailing"));
	expect_bad(big, TSA_REQUEST_MAX + 1, TS_INFO_BAD_DATA_FORMAT);
	assert_non_null(strstr(sertel_errmsg(), "limit"));
	free(big);
	OPENSSL_free(der);

	/* An imprint shorter than its algorithm's output. */
	q.bad_len = 1;
	der = tsq(&len, &q, NULL);
	expect_bad(der, len, TS_INFO_BAD_DATA_FORMAT);
	OPENSSL_free(der);
	q.bad_len = 0;
	/* Version 2 does not exist. */
	q.version = 2;
	der = tsq(&len, &q, NULL);
	expect_bad(der, len, TS_INFO_BAD_REQUEST);
	OPENSSL_free(der);
	q.version = 0;
	/* We support no extensions. */
	q.ext = 1;
	der = tsq(&len, &q, NULL);
	expect_bad(der, len, TS_INFO_UNACCEPTED_EXTENSION);
	OPENSSL_free(der);
}

/*
 * Every single-byte substitution of a valid request: granted, or
 * rejected for a reason that blames the request -- never systemFailure,
 * never a rejection without failInfo, never a crash.
 */
static void
test_tsa_mutated_requests(void **state)
{
	struct query q = {.nonce = 1, .cert_req = 1, .policy = POLICY};
	struct tsa_result res;
	unsigned char *der, *mut;
	size_t len, pos;
	int v;

	der = tsq(&len, &q, NULL);
	assert_non_null(mut = malloc(len));
	for (pos = 0; pos < len; pos++) {
		for (v = 0; v < 256; v++) {
			memcpy(mut, der, len);
			mut[pos] = (unsigned char)v;
			answer(&res, fx.t, mut, len);
			if (res.status != TSA_GRANTED &&
			    res.fail_info != TSA_FAIL_BAD_ALG &&
			    res.fail_info != TSA_FAIL_BAD_REQUEST &&
			    res.fail_info != TSA_FAIL_BAD_DATA_FORMAT &&
			    res.fail_info != TSA_FAIL_UNACCEPTED_POLICY &&
			    res.fail_info != TSA_FAIL_UNACCEPTED_EXTENSION)
				fail_msg("byte %zu = %02x: status %d failInfo %d: %s",
				         pos, v, (int)res.status, (int)res.fail_info,
				         sertel_errmsg());
			tsa_result_free(&res);
		}
	}
	free(mut);
	OPENSSL_free(der);
}

static void
test_tsa_expired_certificate(void **state)
{
	struct query q = {0};
	struct tsa_result res;
	struct tsa *t = mktsa(fx.tsa_expired, 1000000, 0, NULL, NULL);
	unsigned char *der;
	size_t len;

	der = tsq(&len, &q, NULL);
	answer(&res, t, der, len);
	expect_rejection(&res, TS_INFO_SYSTEM_FAILURE);
	assert_non_null(strstr(sertel_errmsg(), "not valid now"));
	tsa_result_free(&res);
	tsa_free(t);
	OPENSSL_free(der);
}

static void
test_tsa_setup_checks(void **state)
{
	X509 *bad[] = {fx.eku_noncritical, fx.eku_extra, fx.eku_none, fx.ca};
	struct tsa_conf c = {0};
	struct tsa *t = NULL;
	size_t i;

	c.key = fx.tsa_key;
	c.policy = POLICY;
	/* RFC 3161 2.3: exactly one critical id-kp-timeStamping. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.cert = bad[i];
		assert_int_equal(tsa_new(&t, &c), SERTEL_EINVAL);
		assert_null(t);
	}
	c.cert = fx.tsa_cert;
	c.key = fx.ca_key;
	assert_int_equal(tsa_new(&t, &c), SERTEL_EINVAL);
	c.key = fx.tsa_key;
	c.policy = "not-an-oid";
	assert_int_equal(tsa_new(&t, &c), SERTEL_EINVAL);
	c.policy = NULL;
	assert_int_equal(tsa_new(&t, &c), SERTEL_EINVAL);
	c.policy = POLICY;
	c.precision = 7;
	assert_int_equal(tsa_new(&t, &c), SERTEL_EINVAL);
	c.precision = 0;
	c.accuracy_us = -1;
	assert_int_equal(tsa_new(&t, &c), SERTEL_EINVAL);
	c.accuracy_us = 0;
	assert_int_equal(tsa_new(&t, &c), 0);
	tsa_free(t);
}

/* ---- threads -------------------------------------------------------------- */

#define THREADS    8
#define PER_THREAD 50

static atomic_int thread_failures;

static void *
worker(void *arg)
{
	struct tsa_result res;
	TS_REQ *req = NULL;
	TS_RESP *resp;
	const unsigned char *p;
	unsigned char *der;
	int i, n, ok;

	for (i = 0; i < PER_THREAD; i++) {
		/* cmocka asserts must stay on the main thread: build the
		 * request with the OpenSSL calls directly. */
		TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
		X509_ALGOR *alg = X509_ALGOR_new();
		unsigned char digest[32];

		SHA256(data, sizeof(data), digest);
		X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL);
		TS_MSG_IMPRINT_set_algo(mi, alg);
		TS_MSG_IMPRINT_set_msg(mi, digest, sizeof(digest));
		req = TS_REQ_new();
		TS_REQ_set_version(req, 1);
		TS_REQ_set_msg_imprint(req, mi);
		TS_REQ_set_cert_req(req, 1);
		der = NULL;
		n = i2d_TS_REQ(req, &der);
		ok = n > 0 && tsa_respond(&res, fx.t, der, (size_t)n) == 0 &&
		     res.status == TSA_GRANTED;
		if (ok) {
			p = res.der;
			resp = d2i_TS_RESP(NULL, &p, (long)res.len);
			ok = resp != NULL && TS_RESP_get_token(resp) != NULL;
			TS_RESP_free(resp);
			tsa_result_free(&res);
		}
		if (!ok)
			atomic_fetch_add(&thread_failures, 1);
		OPENSSL_free(der);
		TS_REQ_free(req);
		X509_ALGOR_free(alg);
		TS_MSG_IMPRINT_free(mi);
	}
	return arg;
}

static void
test_tsa_threads_share_tsa(void **state)
{
	atomic_store(&thread_failures, 0);
	run_threads(worker, THREADS);
	assert_int_equal(atomic_load(&thread_failures), 0);
}

/* ---- interop with `openssl ts` -------------------------------------------- */

static int
interop_setup(void **state)
{
	char path[128];

	fx_setup(state);
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/sertel-tsa-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	write_pem(fx.dir, "root.pem", fx.root);
	write_pem(fx.dir, "ca.pem", fx.ca);
	write_pem(fx.dir, "tsa.pem", fx.tsa_cert);
	snprintf(path, sizeof(path), "%s/doc.txt", fx.dir);
	assert_int_equal(file_write(path, data, sizeof(data), 0644), 0);
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
answer_file(const char *in, const char *out, enum tsa_pki_status want)
{
	char path[128];
	unsigned char *req = NULL;
	size_t len;
	struct tsa_result res;

	snprintf(path, sizeof(path), "%s/%s", fx.dir, in);
	assert_int_equal(file_read(&req, &len, path, TSA_REQUEST_MAX), 0);
	answer(&res, fx.t, req, len);
	assert_int_equal(res.status, want);
	snprintf(path, sizeof(path), "%s/%s", fx.dir, out);
	assert_int_equal(file_write(path, res.der, res.len, 0644), 0);
	tsa_result_free(&res);
	free(req);
}

/* SHA-256 with certReq and a nonce: verifies against the data and the
 * query, and the reply shows policy, nonce and accuracy. */
static void
test_interop_openssl_ts_sha256_cert(void **state)
{
	char out[65536], nonce[128], *p;

	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ts -query -data doc.txt -sha256 -cert -out q.tsq",
	    fx.dir);
	answer_file("q.tsq", "r.tsr", TSA_GRANTED);
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ts -verify -data doc.txt -in r.tsr -CAfile root.pem "
	    "-untrusted ca.pem",
	    fx.dir);
	expect_in(out, "Verification: OK", 1);
	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ts -verify -queryfile q.tsq -in r.tsr -CAfile root.pem "
	    "-untrusted ca.pem",
	    fx.dir);
	expect_in(out, "Verification: OK", 1);
	/* The query's nonce, to find it in the reply. */
	run(out, sizeof(out), 0, "cd '%s' && openssl ts -query -in q.tsq -text", fx.dir);
	assert_non_null(p = strstr(out, "Nonce: "));
	snprintf(nonce, sizeof(nonce), "%.*s", (int)strcspn(p, "\r\n"), p);
	run(out, sizeof(out), 0, "cd '%s' && openssl ts -reply -in r.tsr -text", fx.dir);
	expect_in(out, "Status: Granted.", 1);
	expect_in(out, "Policy OID: " POLICY, 1);
	expect_in(out, "Hash Algorithm: sha256", 1);
	expect_in(out, nonce, 1);
	expect_in(out, "Accuracy: 0x01 seconds, unspecified millis, unspecified micros",
	          1);
	expect_in(out, "TSA: DirName:", 1);
	expect_in(out, "VA Test TSA", 1);
}

/* SHA-512, no certReq, no nonce: verifies with the TSA certificate given
 * separately, and the token holds no certificate. */
static void
test_interop_openssl_ts_sha512_no_cert(void **state)
{
	char out[65536];

	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ts -query -data doc.txt -sha512 -no_nonce -out q512.tsq",
	    fx.dir);
	answer_file("q512.tsq", "r512.tsr", TSA_GRANTED);
	run(out, sizeof(out), 0,
	    "cd '%s' && cat tsa.pem ca.pem > untrusted.pem && openssl ts -verify -data "
	    "doc.txt -in r512.tsr -CAfile root.pem -untrusted untrusted.pem",
	    fx.dir);
	expect_in(out, "Verification: OK", 1);
	run(out, sizeof(out), 1,
	    "cd '%s' && openssl ts -verify -data doc.txt -in r512.tsr -CAfile root.pem "
	    "-untrusted ca.pem",
	    fx.dir);
	expect_in(out, "Verification: FAILED", 1);
	run(out, sizeof(out), 0, "cd '%s' && openssl ts -reply -in r512.tsr -text",
	    fx.dir);
	expect_in(out, "Nonce: unspecified", 1);
	expect_in(out, "Hash Algorithm: sha512", 1);
}

/* SHA-1 and a foreign policy are refused in terms openssl prints. */
static void
test_interop_openssl_ts_rejections(void **state)
{
	char out[65536];

	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ts -query -data doc.txt -sha1 -out q1.tsq", fx.dir);
	answer_file("q1.tsq", "r1.tsr", TSA_REJECTION);
	run(out, sizeof(out), 0, "cd '%s' && openssl ts -reply -in r1.tsr -text", fx.dir);
	expect_in(out, "Status: Rejected.", 1);
	expect_in(out, "unrecognized or unsupported algorithm identifier", 1);

	run(out, sizeof(out), 0,
	    "cd '%s' && openssl ts -query -data doc.txt -sha256 -tspolicy " OTHER_POLICY
	    " -out qp.tsq",
	    fx.dir);
	answer_file("qp.tsq", "rp.tsr", TSA_REJECTION);
	run(out, sizeof(out), 0, "cd '%s' && openssl ts -reply -in rp.tsr -text", fx.dir);
	expect_in(out, "Status: Rejected.", 1);
	expect_in(out, "policy", 1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest unit[] = {
	    cmocka_unit_test(test_tsa_granted_sha256_384_512),
	    cmocka_unit_test(test_tsa_ess_cert_id_v2),
	    cmocka_unit_test(test_tsa_cert_req_on_off),
	    cmocka_unit_test(test_tsa_nonce_echoed),
	    cmocka_unit_test(test_tsa_policy),
	    cmocka_unit_test(test_tsa_accuracy_precision_name),
	    cmocka_unit_test(test_tsa_unique_serials),
	    cmocka_unit_test(test_tsa_serial_callback),
	    cmocka_unit_test(test_tsa_rejects_other_hashes),
	    cmocka_unit_test(test_tsa_malformed),
	    cmocka_unit_test(test_tsa_mutated_requests),
	    cmocka_unit_test(test_tsa_expired_certificate),
	    cmocka_unit_test(test_tsa_setup_checks),
	    cmocka_unit_test(test_tsa_threads_share_tsa),
	};
	const struct CMUnitTest interop[] = {
	    cmocka_unit_test(test_interop_openssl_ts_sha256_cert),
	    cmocka_unit_test(test_interop_openssl_ts_sha512_no_cert),
	    cmocka_unit_test(test_interop_openssl_ts_rejections),
	};

	if (argc > 1 && strcmp(argv[1], "interop") == 0) {
		/* ctest counts 77 as skipped, never as passed. */
		if (system("openssl version >/dev/null 2>&1") != 0) {
			fprintf(stderr, "openssl command line not found: skipped\n");
			return 77;
		}
		return cmocka_run_group_tests_name("tsa interop (openssl ts)", interop,
		                                   interop_setup, interop_teardown);
	}
	return cmocka_run_group_tests_name("tsa", unit, fx_setup, fx_teardown);
}
