/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The time-stamping authority (RFC 3161, with ESSCertIDv2 from RFC 5816)
 * on OpenSSL's TS_RESP_CTX: DER TimeStampReq in, DER TimeStampResp out.
 *
 * A TS_RESP_CTX holds the request being answered, so it cannot be shared
 * between threads; struct tsa keeps what is fixed (certificate, key,
 * policy, accuracy) and each call builds a short-lived context around it
 * (reference counts only, nothing is parsed again).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "pki/va.h"

struct tsa {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) * chain;
	ASN1_OBJECT *policy;
	const EVP_MD *md;
	int acc_sec, acc_ms, acc_us;
	unsigned precision;
	tsa_serial_fn serial;
	void *serial_arg;
};

/* What the TS_RESP_CTX callbacks see of one call. */
struct tsa_call {
	const struct tsa *t;
	int failed; /* a callback recorded its own message */
};

static ASN1_INTEGER *tsa_serial_cb(TS_RESP_CTX *ctx, void *arg);
static int tsa_time_cb(TS_RESP_CTX *ctx, void *arg, long *sec, long *usec);
static int tsa_ctx_new(TS_RESP_CTX **out, const struct tsa *t, struct tsa_call *call);
static int result_fill(struct tsa_result *out, TS_RESP *resp, int recorded);

int
tsa_new(struct tsa **out, const struct tsa_conf *c)
{
	struct tsa *t = NULL;
	int rc;

	*out = NULL;
	if (c->cert == NULL || c->key == NULL || c->policy == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "TSA: certificate, key and policy are required");
	if (c->precision < 0 || c->precision > TS_MAX_CLOCK_PRECISION_DIGITS ||
	    c->accuracy_us < 0 || c->accuracy_us / 1000000 > 1000000)
		return sertel_err(SERTEL_EINVAL,
		                  "TSA: precision %d or accuracy %lld us out of range",
		                  c->precision, (long long)c->accuracy_us);
	/* RFC 3161 2.3: the only extendedKeyUsage is id-kp-timeStamping,
	 * and it is critical; OpenSSL's timestamp-sign purpose checks
	 * exactly that. */
	if (X509_check_purpose(c->cert, X509_PURPOSE_TIMESTAMP_SIGN, 0) != 1)
		return sertel_err_ossl(SERTEL_EINVAL,
		                       "TSA certificate: RFC 3161 2.3: extendedKeyUsage "
		                       "must be critical id-kp-timeStamping only");
	if (X509_check_private_key(c->cert, c->key) != 1)
		return sertel_err_ossl(SERTEL_EINVAL,
		                       "TSA: private key does not match the certificate");
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "TSA: out of memory");
	if ((t->policy = OBJ_txt2obj(c->policy, 1)) == NULL) {
		rc = sertel_err_ossl(
		    SERTEL_EINVAL, "TSA: policy '%.64s' is not a dotted OID", c->policy);
		goto out;
	}
	X509_up_ref(c->cert);
	t->cert = c->cert;
	EVP_PKEY_up_ref(c->key);
	t->key = c->key;
	if (c->chain != NULL && (t->chain = X509_chain_up_ref(c->chain)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "TSA: out of memory");
		goto out;
	}
	t->md = c->md != NULL ? c->md : key_digest(c->key);
	/* RFC 3161 2.4.2 Accuracy: seconds, millis 1..999, micros 1..999. */
	t->acc_sec = (int)(c->accuracy_us / 1000000);
	t->acc_ms = (int)(c->accuracy_us / 1000 % 1000);
	t->acc_us = (int)(c->accuracy_us % 1000);
	t->precision = (unsigned)c->precision;
	t->serial = c->serial;
	t->serial_arg = c->serial_arg;
	*out = t;
	t = NULL;
	rc = 0;
out:
	tsa_free(t);
	return rc;
}

int
tsa_new_ca(struct tsa **out, const struct ca *signer, const struct ca *issuing,
           const struct ca *root, const char *policy, int64_t accuracy_us, int precision)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	struct tsa_conf tc;
	int rc;

	*out = NULL;
	/* tsa_new takes its own references: the stack is ours to free. */
	if (chain == NULL || !sk_X509_push(chain, issuing->cert) ||
	    !sk_X509_push(chain, root->cert)) {
		sk_X509_free(chain);
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	}
	memset(&tc, 0, sizeof(tc));
	tc.cert = signer->cert;
	tc.key = signer->key;
	tc.chain = chain;
	tc.policy = policy;
	tc.accuracy_us = accuracy_us;
	tc.precision = precision;
	rc = tsa_new(out, &tc);
	sk_X509_free(chain);
	return rc;
}

void
tsa_free(struct tsa *t)
{
	if (t == NULL)
		return;
	X509_free(t->cert);
	EVP_PKEY_free(t->key);
	sk_X509_pop_free(t->chain, X509_free);
	ASN1_OBJECT_free(t->policy);
	free(t);
}

void
tsa_result_free(struct tsa_result *res)
{
	if (res == NULL)
		return;
	OPENSSL_free(res->der);
	memset(res, 0, sizeof(*res));
	res->fail_info = TSA_FAIL_NONE;
}

/* RFC 3161 2.4.2 serialNumber: unique per TSA, at most 160 bits. */
static ASN1_INTEGER *
tsa_serial_cb(TS_RESP_CTX *ctx, void *arg)
{
	struct tsa_call *call = arg;
	ASN1_INTEGER *serial = NULL;
	char hex[SERIAL_HEX_MAX + 1];
	int rc;

	if (call->t->serial != NULL)
		rc = call->t->serial(&serial, call->t->serial_arg);
	else
		rc = serial_generate(&serial, hex);
	/* serial_to_hex refuses what is negative or over 20 octets. */
	if (rc == 0 && (serial == NULL || serial_to_hex(hex, serial) < 0))
		rc = SERTEL_EINVAL;
	if (rc < 0) {
		ASN1_INTEGER_free(serial);
		serial = NULL;
		call->failed = 1;
		TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION,
		                            "Error during serial number generation.");
		TS_RESP_CTX_add_failure_info(ctx, TS_INFO_SYSTEM_FAILURE);
	}
	return serial;
}

/* genTime; a token must not claim a time its certificate does not cover. */
static int
tsa_time_cb(TS_RESP_CTX *ctx, void *arg, long *sec, long *usec)
{
	struct tsa_call *call = arg;
	int64_t us = time_now_us();
	time_t now = (time_t)(us / 1000000);

	if (X509_cmp_time(X509_get0_notBefore(call->t->cert), &now) != -1 ||
	    X509_cmp_time(X509_get0_notAfter(call->t->cert), &now) != 1) {
		call->failed = 1;
		sertel_err(SERTEL_ESTATE, "TSA: certificate is not valid now");
		TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION,
		                            "Time-stamping unit is not available.");
		TS_RESP_CTX_add_failure_info(ctx, TS_INFO_SYSTEM_FAILURE);
		return 0;
	}
	*sec = (long)(us / 1000000);
	*usec = (long)(us % 1000000);
	return 1;
}

static int
tsa_ctx_new(TS_RESP_CTX **out, const struct tsa *t, struct tsa_call *call)
{
	TS_RESP_CTX *ctx;

	*out = NULL;
	if ((ctx = TS_RESP_CTX_new()) == NULL ||
	    TS_RESP_CTX_set_signer_cert(ctx, t->cert) != 1 ||
	    TS_RESP_CTX_set_signer_key(ctx, t->key) != 1 ||
	    TS_RESP_CTX_set_signer_digest(ctx, t->md) != 1 ||
	    /* RFC 5816: signingCertificateV2 with a SHA-256 ESSCertIDv2. */
	    TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) != 1 ||
	    (t->chain != NULL && TS_RESP_CTX_set_certs(ctx, t->chain) != 1) ||
	    TS_RESP_CTX_set_def_policy(ctx, t->policy) != 1 ||
	    TS_RESP_CTX_add_md(ctx, EVP_sha256()) != 1 ||
	    TS_RESP_CTX_add_md(ctx, EVP_sha384()) != 1 ||
	    TS_RESP_CTX_add_md(ctx, EVP_sha512()) != 1 ||
	    TS_RESP_CTX_set_accuracy(ctx, t->acc_sec, t->acc_ms, t->acc_us) != 1 ||
	    TS_RESP_CTX_set_clock_precision_digits(ctx, t->precision) != 1) {
		TS_RESP_CTX_free(ctx);
		return sertel_err_ossl(SERTEL_ECRYPTO, "TSA: cannot set up");
	}
	/* RFC 3161 2.4.2: tsa names the signer, a hint for verifiers. */
	TS_RESP_CTX_add_flags(ctx, TS_TSA_NAME);
	TS_RESP_CTX_set_serial_cb(ctx, tsa_serial_cb, call);
	TS_RESP_CTX_set_time_cb(ctx, tsa_time_cb, call);
	*out = ctx;
	return 0;
}

/* Copies status, failInfo, serial and genTime out of resp, and encodes it.
 * recorded: a message about a rejection is already recorded. */
static int
result_fill(struct tsa_result *out, TS_RESP *resp, int recorded)
{
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
	const ASN1_BIT_STRING *fi = TS_STATUS_INFO_get0_failure_info(si);
	const STACK_OF(ASN1_UTF8STRING) *text = TS_STATUS_INFO_get0_text(si);
	TS_TST_INFO *tst;
	struct tm tm;
	unsigned char *der = NULL;
	int bit, n, rc;

	out->status =
	    ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si)) == TS_STATUS_GRANTED
	        ? TSA_GRANTED
	        : TSA_REJECTION;
	for (bit = 0; fi != NULL && bit <= TS_INFO_SYSTEM_FAILURE; bit++) {
		if (ASN1_BIT_STRING_get_bit(fi, bit)) {
			out->fail_info = (enum tsa_fail_info)bit;
			break;
		}
	}
	if (out->status == TSA_GRANTED) {
		tst = TS_RESP_get_tst_info(resp);
		if ((rc = serial_to_hex(out->serial, TS_TST_INFO_get_serial(tst))) < 0)
			return rc;
		if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst), &tm) != 1)
			return sertel_err_ossl(SERTEL_ECRYPTO, "TSA: bad genTime");
		out->gen_time = (int64_t)timegm(&tm);
	} else if (!recorded) {
		sertel_err_ossl(SERTEL_EINVAL, "TSA request: rejected (failInfo %d): %s",
		                (int)out->fail_info,
		                sk_ASN1_UTF8STRING_num(text) > 0
		                    ? (const char *)ASN1_STRING_get0_data(
		                          sk_ASN1_UTF8STRING_value(text, 0))
		                    : "no reason given");
	}
	if ((n = i2d_TS_RESP(resp, &der)) <= 0)
		return sertel_err_ossl(SERTEL_ENOMEM, "TSA: cannot encode the response");
	out->der = der;
	out->len = (size_t)n;
	return 0;
}

int
tsa_respond(struct tsa_result *out, const struct tsa *t, const unsigned char *der,
            size_t len)
{
	TS_REQ *req = NULL;
	TS_RESP_CTX *ctx = NULL;
	TS_RESP *resp = NULL;
	BIO *bio = NULL;
	const unsigned char *p = der;
	struct tsa_call call = {t, 0};
	int rc;

	memset(out, 0, sizeof(*out));
	out->fail_info = TSA_FAIL_NONE;
	/* OpenSSL reads one object from a BIO and ignores what follows, and
	 * would read any size: we check both first, and hand it nothing for
	 * a request we refuse, which it answers with badDataFormat as it
	 * answers junk (RFC 3161 2.4.2). */
	if (len > TSA_REQUEST_MAX) {
		sertel_err(SERTEL_ETOOBIG, "TSA request: %zu bytes, over the limit of %d",
		           len, TSA_REQUEST_MAX);
		call.failed = 1;
		len = 0;
	} else if (len == 0 || (req = d2i_TS_REQ(NULL, &p, (long)len)) == NULL) {
		sertel_err_ossl(SERTEL_EINVAL,
		                "TSA request: RFC 3161 2.4.1: not a DER TimeStampReq");
		call.failed = 1;
		len = 0;
	} else if (p != der + len) {
		sertel_err(SERTEL_EINVAL, "TSA request: %zu trailing bytes",
		           (size_t)(der + len - p));
		call.failed = 1;
		len = 0;
	}
	if ((rc = tsa_ctx_new(&ctx, t, &call)) < 0)
		goto out;
	if ((bio = BIO_new_mem_buf(len > 0 ? der : (const unsigned char *)"",
	                           (int)len)) == NULL ||
	    (resp = TS_RESP_create_response(ctx, bio)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "TSA: cannot build a response");
		goto out;
	}
	rc = result_fill(out, resp, call.failed);
out:
	if (rc < 0)
		tsa_result_free(out);
	ERR_clear_error(); /* what OpenSSL said is in the status text */
	BIO_free(bio);
	TS_RESP_free(resp);
	TS_RESP_CTX_free(ctx);
	TS_REQ_free(req);
	return rc;
}
