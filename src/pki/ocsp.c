/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OCSP responder core (RFC 6960, profiled by RFC 5019): parses a
 * request, matches its CertIDs to the CAs we serve, asks the caller's
 * lookup for each certificate's status and signs the answer with that
 * CA's responder key.  No I/O: DER in, DER out.
 *
 * Everything that does not change per request (issuer hashes for every
 * CertID algorithm, the signer's validity, certificates and key) is
 * computed once in ocsp_responder_add_issuer; afterwards the responder is
 * only read, so threads share it without locks.
 *
 * Requests are parsed once, by OpenSSL (d2i, then re-encoded to check they
 * are DER).  Successful answers are not built from OpenSSL's OCSP objects:
 * the BasicOCSPResponse is written as DER from parts precomputed per
 * issuer (responderID, the signature AlgorithmIdentifier, the certs field,
 * the CertID prefix for each hash) around the request's own CertID and
 * nonce bytes, and signed with one EVP_DigestSign over tbsResponseData,
 * as crl.c does for CRLs.  The encoding is the one OpenSSL's
 * OCSP_basic_sign_ctx produces; tests/pki/test_ocsp.c compares the two.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "pki/va.h"

/* CertID hash algorithms we recognise (RFC 6960 4.1.1; RFC 5019 2.1.1
 * asks for SHA-1, newer clients send SHA-256). */
static const struct {
	int nid;
	const char *name; /* as in struct ocsp_cache_key */
} certid_mds[] = {
    {NID_sha1, "sha1"},
    {NID_sha256, "sha256"},
    {NID_sha384, "sha384"},
    {NID_sha512, "sha512"},
};
#define CERTID_MDS (sizeof(certid_mds) / sizeof(certid_mds[0]))

/* More extensions than this in one list is not a real client. */
#define MAX_EXTS 16

/* Largest signature we write (RSA 8192); bigger keys are refused. */
#define SIG_MAX 1024
/* Room left before tbsResponseData for the five headers around it and
 * the responseStatus and responseType (at most 39 bytes). */
#define HDR_ROOM 40

/* RFC 6960 4.4.8 Extension { id-pkix-ocsp-extended-revoke, NULL }. */
static const unsigned char ext_revoke_der[] = {0x30, 0x0f, 0x06, 0x09, 0x2b, 0x06,
                                               0x01, 0x05, 0x05, 0x07, 0x30, 0x01,
                                               0x09, 0x04, 0x02, 0x05, 0x00};
/* responseType id-pkix-ocsp-basic (RFC 6960 4.2.1). */
static const unsigned char basic_oid_der[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05,
                                              0x05, 0x07, 0x30, 0x01, 0x01};

struct ocsp_issuer {
	char id[SERTEL_MAX_NAME];
	X509 *issuer;
	X509 *signer;
	EVP_PKEY *key;
	STACK_OF(X509) * chain;
	const EVP_MD *md;
	/* Initialised for signing once, never used itself: each response
	 * signs with a copy, which only reads it (so threads may share it)
	 * and costs half of a fresh EVP_DigestSignInit. */
	EVP_MD_CTX *sign_tmpl;
	int delegated; /* signer is not the issuer itself */
	int64_t signer_not_before;
	int64_t signer_not_after;
	/* issuerNameHash and issuerKeyHash for each of certid_mds. */
	unsigned char name_hash[CERTID_MDS][EVP_MAX_MD_SIZE];
	unsigned char key_hash[CERTID_MDS][EVP_MAX_MD_SIZE];
	int hash_len[CERTID_MDS];
	/* The DER parts of every answer (RFC 6960 4.2.1): responderID
	 * byKey ([2] OCTET STRING of the SHA-1 of the signer's key), the
	 * signatureAlgorithm, the [0] certs field (empty when the CA signs
	 * itself), and for each of certid_mds the CertID content up to the
	 * serial (hashAlgorithm with NULL parameters, both hashes). */
	unsigned char rid[24];
	unsigned char *sigalg;
	size_t sigalg_len;
	unsigned char *certs;
	size_t certs_len;
	unsigned char *certid_prefix[CERTID_MDS];
	size_t certid_prefix_len[CERTID_MDS];
	size_t sig_max; /* EVP_PKEY_get_size of the key */
};

/* A request parsed once (ocsp_request_parse): what the cache key and the
 * answer both need. */
struct ocsp_request {
	const struct ocsp_responder *r;
	enum ocsp_resp_status status; /* anything else: the refusal */
	OCSP_REQUEST *req;
	const struct ocsp_issuer *is;
	size_t md;  /* certid_mds index of the first CertID */
	int nonce;  /* carries a valid nonce */
	size_t len; /* the request's DER length */
};

struct ocsp_responder {
	struct ocsp_issuer **issuers;
	size_t nissuers;
	int64_t validity;
	ocsp_lookup_fn lookup;
	void *arg;
};

static void issuer_free(struct ocsp_issuer *is);
static int issuer_check(const struct ocsp_issuer_conf *c, int *delegated);
static int issuer_hashes(struct ocsp_issuer *is);
static int issuer_parts(struct ocsp_issuer *is);
static int asn1_time_epoch(int64_t *out, const ASN1_TIME *t);
static const struct ocsp_issuer *issuer_match(const struct ocsp_responder *r,
                                              OCSP_CERTID *id, size_t *md);
static int exts_check(X509_EXTENSION *(*get)(void *, int), int (*count)(void *),
                      void *obj, const int *known, const char *what, int *nonce);
static X509_EXTENSION *req_ext(void *req, int i);
static int req_ext_count(void *req);
static X509_EXTENSION *onereq_ext(void *one, int i);
static int onereq_ext_count(void *one);
static int nonce_check(X509_EXTENSION *ext);
static enum ocsp_resp_status request_parse(OCSP_REQUEST **out,
                                           const struct ocsp_issuer **issuer, size_t *md,
                                           int *nonce, const struct ocsp_responder *r,
                                           const unsigned char *der, size_t len);
static int result_refuse(struct ocsp_result *out, enum ocsp_resp_status st);

/* ---- setup --------------------------------------------------------------- */

int
ocsp_responder_new(struct ocsp_responder **out, int64_t validity, ocsp_lookup_fn lookup,
                   void *arg)
{
	struct ocsp_responder *r = NULL;

	*out = NULL;
	/* Ten years bounds the arithmetic; real values are hours or days. */
	if (validity <= 0 || validity > 10LL * 366 * 24 * 3600 || lookup == NULL)
		return sertel_err(
		    SERTEL_EINVAL,
		    "OCSP responder: validity %lld s out of range or no lookup",
		    (long long)validity);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "OCSP responder: out of memory");
	r->validity = validity;
	r->lookup = lookup;
	r->arg = arg;
	*out = r;
	return 0;
}

int
ocsp_responder_add_ca(struct ocsp_responder *r, const struct ca *issuer,
                      const struct ca *signer)
{
	struct ocsp_issuer_conf oc;

	memset(&oc, 0, sizeof(oc));
	oc.id = issuer->rec.id;
	oc.issuer = issuer->cert;
	oc.signer = signer->cert;
	oc.key = signer->key;
	return ocsp_responder_add_issuer(r, &oc);
}

void
ocsp_responder_free(struct ocsp_responder *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nissuers; i++)
		issuer_free(r->issuers[i]);
	free(r->issuers);
	free(r);
}

static void
issuer_free(struct ocsp_issuer *is)
{
	size_t k;

	if (is == NULL)
		return;
	for (k = 0; k < CERTID_MDS; k++)
		OPENSSL_free(is->certid_prefix[k]);
	OPENSSL_free(is->sigalg);
	free(is->certs);
	X509_free(is->issuer);
	X509_free(is->signer);
	EVP_PKEY_free(is->key);
	sk_X509_pop_free(is->chain, X509_free);
	EVP_MD_CTX_free(is->sign_tmpl);
	free(is);
}

int
ocsp_responder_add_issuer(struct ocsp_responder *r, const struct ocsp_issuer_conf *c)
{
	struct ocsp_issuer *is = NULL, **grown;
	size_t i;
	int rc;

	if (c->issuer == NULL || c->signer == NULL || c->key == NULL)
		return sertel_err(
		    SERTEL_EINVAL,
		    "OCSP issuer: certificate, signer and key are required");
	if ((is = calloc(1, sizeof(*is))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "OCSP issuer: out of memory");
	if (c->id != NULL)
		rc = str_copy(is->id, sizeof(is->id), c->id);
	else
		rc = issuer_id_of(is->id, c->issuer);
	if (rc < 0)
		goto out;
	for (i = 0; i < r->nissuers; i++) {
		if (strcmp(r->issuers[i]->id, is->id) == 0) {
			rc = sertel_err(SERTEL_EEXISTS, "OCSP issuer %s: added twice",
			                is->id);
			goto out;
		}
	}
	if ((rc = issuer_check(c, &is->delegated)) < 0)
		goto out;
	if ((rc = asn1_time_epoch(&is->signer_not_before,
	                          X509_get0_notBefore(c->signer))) < 0 ||
	    (rc = asn1_time_epoch(&is->signer_not_after, X509_get0_notAfter(c->signer))) <
	        0)
		goto out;
	X509_up_ref(c->issuer);
	is->issuer = c->issuer;
	X509_up_ref(c->signer);
	is->signer = c->signer;
	EVP_PKEY_up_ref(c->key);
	is->key = c->key;
	if (c->chain != NULL && (is->chain = X509_chain_up_ref(c->chain)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "OCSP issuer %s: out of memory",
		                     is->id);
		goto out;
	}
	is->md = c->md != NULL ? c->md : key_digest(c->key);
	if ((is->sign_tmpl = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(is->sign_tmpl, NULL, is->md, NULL, is->key) != 1) {
		rc = sertel_err_ossl(
		    SERTEL_EINVAL,
		    "OCSP signer for %s: cannot sign with this key and digest", is->id);
		goto out;
	}
	if ((rc = issuer_hashes(is)) < 0 || (rc = issuer_parts(is)) < 0)
		goto out;
	if ((grown = realloc(r->issuers, (r->nissuers + 1) * sizeof(*grown))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "OCSP issuer: out of memory");
		goto out;
	}
	r->issuers = grown;
	r->issuers[r->nissuers++] = is;
	is = NULL;
	rc = 0;
out:
	issuer_free(is);
	return rc;
}

/* Who may sign for this CA: RFC 6960 4.2.2.2. */
static int
issuer_check(const struct ocsp_issuer_conf *c, int *delegated)
{
	EVP_PKEY *capub;

	*delegated = 0;
	if (X509_check_ca(c->issuer) < 1)
		return sertel_err(SERTEL_EINVAL,
		                  "OCSP issuer: RFC 5280 4.2.1.9: not a CA certificate");
	if (X509_check_private_key(c->signer, c->key) != 1)
		return sertel_err_ossl(
		    SERTEL_EINVAL,
		    "OCSP signer: private key does not match its certificate");
	if (X509_cmp(c->signer, c->issuer) == 0)
		return 0; /* the CA signs its own responses */
	/* A delegated responder is issued directly by the CA it answers for
	 * and carries id-kp-OCSPSigning. */
	if ((capub = X509_get0_pubkey(c->issuer)) == NULL ||
	    X509_check_issued(c->issuer, c->signer) != X509_V_OK ||
	    X509_verify(c->signer, capub) != 1)
		return sertel_err_ossl(SERTEL_EINVAL,
		                       "OCSP signer: RFC 6960 4.2.2.2: not issued by the "
		                       "CA it would answer for");
	if ((X509_get_extension_flags(c->signer) & EXFLAG_XKUSAGE) == 0 ||
	    (X509_get_extended_key_usage(c->signer) & XKU_OCSP_SIGN) == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "OCSP signer: RFC 6960 4.2.2.2: no id-kp-OCSPSigning");
	/* RFC 6960 4.2.2.2.1: without nocheck, clients must find out the
	 * signer's own status some other way; allowed, but worth a word. */
	if (X509_get_ext_by_NID(c->signer, NID_id_pkix_OCSP_noCheck, -1) < 0)
		log_msg(LOG_WARN,
		        "OCSP signer has no id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1)");
	*delegated = 1;
	return 0;
}

/* RFC 6960 4.1.1: issuerNameHash is over the DER of the issuer's subject,
 * issuerKeyHash over the subjectPublicKey BIT STRING's value. */
static int
issuer_hashes(struct ocsp_issuer *is)
{
	const EVP_MD *md;
	unsigned int nlen, klen;
	size_t i;

	for (i = 0; i < CERTID_MDS; i++) {
		if ((md = EVP_get_digestbynid(certid_mds[i].nid)) == NULL ||
		    X509_NAME_digest(X509_get_subject_name(is->issuer), md,
		                     is->name_hash[i], &nlen) != 1 ||
		    X509_pubkey_digest(is->issuer, md, is->key_hash[i], &klen) != 1 ||
		    nlen != klen)
			return sertel_err_ossl(SERTEL_ECRYPTO,
			                       "OCSP issuer %s: cannot hash for CertIDs",
			                       is->id);
		is->hash_len[i] = (int)nlen;
	}
	return 0;
}

/* ---- DER writing ----------------------------------------------------------- */

/* Octets of a DER length (X.690 8.1.3); answers stay far below 2^24. */
static size_t
der_len_size(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

/* Octets of a whole TLV with n content octets. */
static size_t
der_tlv_size(size_t n)
{
	return 1 + der_len_size(n) + n;
}

/* A buffer written front to back; a write past cap is recorded, not done. */
struct der_out {
	unsigned char *p;
	size_t n, cap;
	int overflow;
};

static void
der_put(struct der_out *o, const void *v, size_t n)
{
	if (n == 0)
		return; /* memcpy(p, NULL, 0) is undefined */
	if (o->overflow || n > o->cap - o->n) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p + o->n, v, n);
	o->n += n;
}

static void
der_hdr(struct der_out *o, unsigned char tag, size_t n)
{
	unsigned char h[5];
	size_t k = der_len_size(n), i;

	h[0] = tag;
	if (k == 1) {
		h[1] = (unsigned char)n;
	} else {
		h[1] = (unsigned char)(0x80 | (k - 1));
		for (i = 0; i < k - 1; i++)
			h[2 + i] = (unsigned char)(n >> (8 * (k - 2 - i)));
	}
	der_put(o, h, 1 + k);
}

/* GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 4.1.2.5.2, as OpenSSL's
 * ASN1_GENERALIZEDTIME_set writes it). */
static int
der_gentime(struct der_out *o, int64_t t)
{
	unsigned char s[17];
	unsigned v[7];
	struct tm tm;
	time_t tt = (time_t)t;
	int i, k = 2;

	if (t < 0 || gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return sertel_err(SERTEL_EINVAL, "OCSP: time %lld cannot be encoded",
		                  (long long)t);
	s[0] = V_ASN1_GENERALIZEDTIME;
	s[1] = 15;
	v[0] = (unsigned)(tm.tm_year + 1900) / 100;
	v[1] = (unsigned)(tm.tm_year + 1900) % 100;
	v[2] = (unsigned)tm.tm_mon + 1;
	v[3] = (unsigned)tm.tm_mday;
	v[4] = (unsigned)tm.tm_hour;
	v[5] = (unsigned)tm.tm_min;
	v[6] = (unsigned)tm.tm_sec;
	for (i = 0; i < 7; i++) {
		s[k++] = (unsigned char)('0' + v[i] / 10);
		s[k++] = (unsigned char)('0' + v[i] % 10);
	}
	s[k] = 'Z';
	der_put(o, s, sizeof(s));
	return 0;
}

/* Header octets of the DER TLV at p (len bytes in all), or 0. */
static size_t
der_hdr_size(const unsigned char *p, size_t len)
{
	size_t h;

	if (len < 2)
		return 0;
	h = p[1] < 0x80 ? 2 : 2 + (size_t)(p[1] & 0x7f);
	return h <= len ? h : 0;
}

/*
 * The DER parts every answer of this issuer shares.  The signature
 * AlgorithmIdentifier is taken from one response OpenSSL signs here
 * (OCSP_basic_sign_ctx), so it is what OpenSSL would write for this key
 * and digest (e.g. ecdsa-with-SHA256 without parameters, RSA with NULL).
 */
static int
issuer_parts(struct ocsp_issuer *is)
{
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_INTEGER *one = NULL;
	ASN1_GENERALIZEDTIME *t = NULL;
	EVP_MD_CTX *mctx = NULL;
	unsigned char *der = NULL, *p;
	unsigned int klen = 0;
	struct der_out o = {NULL, 0, 0, 0};
	size_t k, h, content;
	int n, i, nc;
	int rc = SERTEL_ECRYPTO;

	/* responderID byKey: [2] EXPLICIT KeyHash (RFC 6960 4.2.1). */
	memcpy(is->rid, "\xa2\x16\x04\x14", 4);
	if (X509_pubkey_digest(is->signer, EVP_sha1(), is->rid + 4, &klen) != 1 ||
	    klen != 20) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO,
		                     "OCSP signer for %s: cannot hash its key", is->id);
		goto out;
	}
	n = EVP_PKEY_get_size(is->key);
	if (n <= 0 || n > SIG_MAX) {
		rc =
		    sertel_err(SERTEL_EINVAL,
		               "OCSP signer for %s: signatures of %d bytes not supported",
		               is->id, n);
		goto out;
	}
	is->sig_max = (size_t)n;
	/* CertID prefixes: OpenSSL's own CertID for serial 1, less the
	 * trailing INTEGER 02 01 01. */
	if ((one = ASN1_INTEGER_new()) == NULL || ASN1_INTEGER_set(one, 1) != 1)
		goto fail;
	for (k = 0; k < CERTID_MDS; k++) {
		OCSP_CERTID_free(id);
		OPENSSL_free(der);
		der = NULL;
		if ((id = OCSP_cert_id_new(EVP_get_digestbynid(certid_mds[k].nid),
		                           X509_get_subject_name(is->issuer),
		                           X509_get0_pubkey_bitstr(is->issuer), one)) ==
		        NULL ||
		    (n = i2d_OCSP_CERTID(id, &der)) <= 0)
			goto fail;
		h = der_hdr_size(der, (size_t)n);
		if (h == 0 || (size_t)n < h + 3 ||
		    memcmp(der + n - 3, "\x02\x01\x01", 3) != 0)
			goto fail;
		content = (size_t)n - h - 3;
		if ((is->certid_prefix[k] = OPENSSL_memdup(der + h, content)) == NULL)
			goto fail;
		is->certid_prefix_len[k] = content;
	}
	/* The signature algorithm, from a response signed by OpenSSL. */
	if ((bs = OCSP_BASICRESP_new()) == NULL ||
	    (t = ASN1_GENERALIZEDTIME_set(NULL, 0)) == NULL ||
	    OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, t, NULL) ==
	        NULL ||
	    (mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_MD_CTX_copy_ex(mctx, is->sign_tmpl) != 1 ||
	    OCSP_basic_sign_ctx(bs, is->signer, mctx, NULL,
	                        OCSP_RESPID_KEY | OCSP_NOCERTS) != 1)
		goto fail;
	is->sigalg = NULL;
	if ((n = i2d_X509_ALGOR(OCSP_resp_get0_tbs_sigalg(bs), &is->sigalg)) <= 0)
		goto fail;
	is->sigalg_len = (size_t)n;
	/* certs [0] EXPLICIT SEQUENCE OF Certificate: a delegated signer's
	 * certificate, then the chain (what OCSP_basic_sign_ctx adds). */
	if (is->delegated) {
		nc = is->chain != NULL ? sk_X509_num(is->chain) : 0;
		content = 0;
		for (i = -1; i < nc; i++) {
			if ((n = i2d_X509(i < 0 ? is->signer
			                        : sk_X509_value(is->chain, i),
			                  NULL)) <= 0)
				goto fail;
			content += (size_t)n;
		}
		is->certs_len = der_tlv_size(der_tlv_size(content));
		if ((is->certs = malloc(is->certs_len)) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "OCSP issuer: out of memory");
			goto out;
		}
		o = (struct der_out){is->certs, 0, is->certs_len, 0};
		der_hdr(&o, 0xa0, der_tlv_size(content));
		der_hdr(&o, 0x30, content);
		for (i = -1; i < nc; i++) {
			p = is->certs + o.n;
			n = i2d_X509(i < 0 ? is->signer : sk_X509_value(is->chain, i),
			             &p);
			o.n += (size_t)n;
		}
		if (o.n != is->certs_len)
			goto fail;
	}
	rc = 0;
	goto out;
fail:
	rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP issuer %s: cannot prepare answers",
	                     is->id);
out:
	OPENSSL_free(der);
	OCSP_CERTID_free(id);
	ASN1_INTEGER_free(one);
	ASN1_GENERALIZEDTIME_free(t);
	EVP_MD_CTX_free(mctx);
	OCSP_BASICRESP_free(bs);
	return rc;
}

static int
asn1_time_epoch(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return sertel_err_ossl(SERTEL_EINVAL, "OCSP signer: bad validity time");
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* ---- requests ------------------------------------------------------------ */

/* The CA a CertID names, or NULL; *md is its certid_mds index. */
static const struct ocsp_issuer *
issuer_match(const struct ocsp_responder *r, OCSP_CERTID *id, size_t *md)
{
	ASN1_OCTET_STRING *nh = NULL, *kh = NULL;
	ASN1_OBJECT *alg = NULL;
	const struct ocsp_issuer *is;
	size_t i, k;
	int nid;

	if (OCSP_id_get0_info(&nh, &alg, &kh, NULL, id) != 1)
		return NULL;
	nid = OBJ_obj2nid(alg);
	for (k = 0; k < CERTID_MDS && certid_mds[k].nid != nid; k++)
		;
	if (k == CERTID_MDS)
		return NULL;
	for (i = 0; i < r->nissuers; i++) {
		is = r->issuers[i];
		if (ASN1_STRING_length(nh) == is->hash_len[k] &&
		    ASN1_STRING_length(kh) == is->hash_len[k] &&
		    memcmp(ASN1_STRING_get0_data(nh), is->name_hash[k],
		           (size_t)is->hash_len[k]) == 0 &&
		    memcmp(ASN1_STRING_get0_data(kh), is->key_hash[k],
		           (size_t)is->hash_len[k]) == 0) {
			*md = k;
			return is;
		}
	}
	return NULL;
}

static X509_EXTENSION *
req_ext(void *req, int i)
{
	return OCSP_REQUEST_get_ext(req, i);
}

static int
req_ext_count(void *req)
{
	return OCSP_REQUEST_get_ext_count(req);
}

static X509_EXTENSION *
onereq_ext(void *one, int i)
{
	return OCSP_ONEREQ_get_ext(one, i);
}

static int
onereq_ext_count(void *one)
{
	return OCSP_ONEREQ_get_ext_count(one);
}

/*
 * Checks one extension list: no OID twice (RFC 5280 4.2), no critical
 * extension we do not know (known: NID list ending in NID_undef), and a
 * valid nonce, counted in *nonce when nonce is not NULL.
 */
static int
exts_check(X509_EXTENSION *(*get)(void *, int), int (*count)(void *), void *obj,
           const int *known, const char *what, int *nonce)
{
	X509_EXTENSION *ext;
	const ASN1_OBJECT *oid;
	int i, j, k, n = count(obj), nid, rc;

	if (n > MAX_EXTS)
		return sertel_err(SERTEL_EINVAL,
		                  "OCSP request: %d %s extensions, more than %d", n, what,
		                  MAX_EXTS);
	for (i = 0; i < n; i++) {
		ext = get(obj, i);
		oid = X509_EXTENSION_get_object(ext);
		for (j = 0; j < i; j++)
			if (OBJ_cmp(oid, X509_EXTENSION_get_object(get(obj, j))) == 0)
				return sertel_err(
				    SERTEL_EINVAL,
				    "OCSP request: RFC 5280 4.2: %s extension repeated",
				    what);
		nid = OBJ_obj2nid(oid);
		for (k = 0; known[k] != NID_undef && known[k] != nid; k++)
			;
		if (known[k] == NID_undef && X509_EXTENSION_get_critical(ext))
			return sertel_err(SERTEL_EINVAL,
			                  "OCSP request: unknown critical %s extension",
			                  what);
		if (nonce != NULL && nid == NID_id_pkix_OCSP_Nonce) {
			if ((rc = nonce_check(ext)) < 0)
				return rc;
			*nonce = 1;
		}
	}
	return 0;
}

/* RFC 9654 2.1: the extnValue is the DER of Nonce ::= OCTET STRING
 * (SIZE(1..128)); other lengths are malformed. */
static int
nonce_check(X509_EXTENSION *ext)
{
	const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);
	const unsigned char *p = ASN1_STRING_get0_data(v);
	const unsigned char *end = p + ASN1_STRING_length(v);
	ASN1_OCTET_STRING *nonce;
	int n;

	if ((nonce = d2i_ASN1_OCTET_STRING(NULL, &p, end - p)) == NULL)
		return sertel_err_ossl(
		    SERTEL_EINVAL,
		    "OCSP request: RFC 9654 2.1: nonce is not an OCTET STRING");
	n = ASN1_STRING_length(nonce);
	ASN1_OCTET_STRING_free(nonce);
	if (p != end)
		return sertel_err(SERTEL_EINVAL, "OCSP request: nonce: trailing bytes");
	if (n < 1 || n > OCSP_NONCE_MAX)
		return sertel_err(
		    SERTEL_EINVAL,
		    "OCSP request: RFC 9654 2.1: nonce of %d octets, not 1..%d", n,
		    OCSP_NONCE_MAX);
	return 0;
}

/*
 * Parses and checks a request.  Returns OCSP_RESP_SUCCESSFUL with *out
 * (owned by the caller), *issuer (borrowed), *md (the certid_mds index of
 * the first CertID) and *nonce set; otherwise the status to answer with,
 * and a message recorded.
 */
static enum ocsp_resp_status
request_parse(OCSP_REQUEST **out, const struct ocsp_issuer **issuer, size_t *md,
              int *nonce, const struct ocsp_responder *r, const unsigned char *der,
              size_t len)
{
	/* RFC 6960 4.4.3 acceptable responses; 4.4.7 preferred signature
	 * algorithms (OpenSSL calls id-pkix-ocsp 8 "extendedStatus"); 4.4.6
	 * service locator. */
	static const int known_req[] = {NID_id_pkix_OCSP_Nonce,
	                                NID_id_pkix_OCSP_acceptableResponses,
	                                NID_id_pkix_OCSP_extendedStatus, NID_undef};
	static const int known_one[] = {NID_id_pkix_OCSP_serviceLocator, NID_undef};
	OCSP_REQUEST *req = NULL;
	OCSP_ONEREQ *one;
	unsigned char *reenc = NULL;
	const struct ocsp_issuer *is, *first = NULL;
	const unsigned char *p = der;
	enum ocsp_resp_status st = OCSP_RESP_MALFORMED;
	size_t k = 0, k0 = 0;
	int i, n;

	*out = NULL;
	*issuer = NULL;
	*nonce = 0;
	if (len > OCSP_REQUEST_MAX) {
		sertel_err(SERTEL_ETOOBIG,
		           "OCSP request: %zu bytes, over the limit of %d", len,
		           OCSP_REQUEST_MAX);
		goto out;
	}
	if (len == 0 || (req = d2i_OCSP_REQUEST(NULL, &p, (long)len)) == NULL) {
		sertel_err_ossl(SERTEL_EINVAL,
		                "OCSP request: RFC 6960 4.1.1: not a DER OCSPRequest");
		goto out;
	}
	if (p != der + len) {
		sertel_err(SERTEL_EINVAL, "OCSP request: %zu trailing bytes",
		           (size_t)(der + len - p));
		goto out;
	}
	/* RFC 6960 A.1: the request is DER.  OpenSSL also reads some BER
	 * (and oddities such as a constructed EOC as a parameter) that it
	 * then cannot copy into the response: what does not re-encode to the
	 * same bytes is refused here, as malformed. */
	if ((n = i2d_OCSP_REQUEST(req, &reenc)) != (int)len ||
	    memcmp(reenc, der, len) != 0) {
		ERR_clear_error();
		sertel_err(SERTEL_EINVAL, "OCSP request: not DER (X.690 10)");
		goto out;
	}
	n = OCSP_request_onereq_count(req);
	if (n < 1 || n > OCSP_REQUEST_MAX_ENTRIES) {
		sertel_err(SERTEL_EINVAL, "OCSP request: %d CertIDs, not 1..%d", n,
		           OCSP_REQUEST_MAX_ENTRIES);
		goto out;
	}
	if (exts_check(req_ext, req_ext_count, req, known_req, "request", nonce) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		one = OCSP_request_onereq_get0(req, i);
		if (exts_check(onereq_ext, onereq_ext_count, one, known_one,
		               "singleRequest", NULL) < 0)
			goto out;
	}
	st = OCSP_RESP_UNAUTHORIZED;
	for (i = 0; i < n; i++) {
		one = OCSP_request_onereq_get0(req, i);
		if ((is = issuer_match(r, OCSP_onereq_get0_id(one), &k)) == NULL) {
			sertel_err(SERTEL_EPERM,
			           "OCSP request: RFC 6960 2.3: CertID %d names no CA "
			           "this responder serves",
			           i + 1);
			goto out;
		}
		if (first == NULL) {
			first = is;
			k0 = k;
		} else if (is != first) {
			/* RFC 6960 4.2.2.2: one signer is authorised for one
			 * CA only, so one response cannot cover two. */
			sertel_err(
			    SERTEL_EPERM,
			    "OCSP request: CertIDs of CAs %s and %s in one request",
			    first->id, is->id);
			goto out;
		}
	}
	*out = req;
	req = NULL;
	*issuer = first;
	*md = k0;
	st = OCSP_RESP_SUCCESSFUL;
out:
	OPENSSL_free(reenc);
	OCSP_REQUEST_free(req);
	return st;
}

/* ---- responses ----------------------------------------------------------- */

void
ocsp_result_free(struct ocsp_result *res)
{
	if (res == NULL)
		return;
	OPENSSL_free(res->der);
	memset(res, 0, sizeof(*res));
}

/* An unsuccessful response: only the status (RFC 6960 4.2.1),
 * OCSPResponse { ENUMERATED st }. */
static int
result_refuse(struct ocsp_result *out, enum ocsp_resp_status st)
{
	unsigned char *der;

	memset(out, 0, sizeof(*out));
	if ((der = OPENSSL_malloc(5)) == NULL)
		return sertel_err(SERTEL_ENOMEM,
		                  "OCSP: cannot encode a status %d response", (int)st);
	der[0] = 0x30;
	der[1] = 0x03;
	der[2] = 0x0a;
	der[3] = 0x01;
	der[4] = (unsigned char)st;
	out->der = der;
	out->len = 5;
	out->status = st;
	return 0;
}

/*
 * certStatus of one SingleResponse (RFC 6960 4.2.1) as a tag and what
 * RevokedInfo holds: *reason -1 leaves revocationReason out.  *size is its
 * DER size; *nonissued is set for a "non-issued" answer.
 */
static int
status_form(unsigned char *tag, int64_t *when, int *reason, size_t *size,
            const struct ocsp_status *st, int *nonissued)
{
	*when = 0;
	*reason = -1;
	*size = 2;
	switch (st->status) {
	case OCSP_CERT_GOOD: *tag = 0x80; return 0;
	case OCSP_CERT_UNKNOWN: *tag = 0x82; return 0;
	case OCSP_CERT_REVOKED:
		/* RFC 5280 5.3.1: 7 is unused; removeFromCRL (8) only
		 * exists in delta CRLs; unspecified (0) is left out. */
		if (st->reason < -1 || st->reason > 10 || st->reason == 7 ||
		    st->reason == 8 || st->revoked_at < 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "OCSP status: revoked at %lld with reason %d is not valid",
			    (long long)st->revoked_at, st->reason);
		if (st->reason > 0)
			*reason = st->reason;
		*when = st->revoked_at;
		break;
	case OCSP_CERT_NONISSUED:
		/* RFC 6960 2.2: revoked, certificateHold, January 1, 1970. */
		*reason = OCSP_REVOKED_STATUS_CERTIFICATEHOLD;
		*nonissued = 1;
		break;
	default:
		return sertel_err(SERTEL_EINVAL, "OCSP status: unknown value %d",
		                  (int)st->status);
	}
	/* [1] IMPLICIT RevokedInfo { GeneralizedTime, [0] EXPLICIT CRLReason } */
	*tag = 0xa1;
	*size = der_tlv_size(17 + (*reason >= 0 ? 5 : 0));
	return 0;
}

/*
 * Writes and signs a successful response for the CertIDs cids[0..n-1]
 * (DER, copied as they are) with statuses sts, with the request's nonce
 * Extension (DER) when nonce is not NULL.  out->der is owned by the
 * caller.  tbsResponseData is written at HDR_ROOM and signed where it
 * lies; the headers around it follow from the signature's length and go
 * in front of it, and the whole answer is moved to the buffer's start.
 */
static int
response_write(struct ocsp_result *out, const struct ocsp_responder *r,
               const struct ocsp_issuer *is, const unsigned char *const *cids,
               const size_t *cid_lens, const struct ocsp_status *sts, int n,
               const unsigned char *nonce, size_t nonce_len)
{
	unsigned char tags[OCSP_REQUEST_MAX_ENTRIES], sig[SIG_MAX + 1], hb[HDR_ROOM];
	unsigned char *buf = NULL;
	size_t st_size[OCSP_REQUEST_MAX_ENTRIES], single[OCSP_REQUEST_MAX_ENTRIES];
	size_t responses = 0, exts, tbs_content, tbs, cap, siglen, basic, rb;
	int64_t when[OCSP_REQUEST_MAX_ENTRIES];
	int reason[OCSP_REQUEST_MAX_ENTRIES];
	struct der_out o, h = {hb, 0, sizeof(hb), 0};
	EVP_MD_CTX *mctx = NULL;
	int64_t now = time_now(), next;
	int i, nonissued = 0, rc;

	memset(out, 0, sizeof(*out));
	if (now < is->signer_not_before || now >= is->signer_not_after) {
		rc = sertel_err(SERTEL_ESTATE,
		                "OCSP signer for %s: certificate not valid now", is->id);
		goto out;
	}
	/* A response should not outlive the certificate that verifies it. */
	next = now + r->validity;
	if (next > is->signer_not_after)
		next = is->signer_not_after;
	/* SingleResponse { CertID, certStatus, thisUpdate, [0] nextUpdate } */
	for (i = 0; i < n; i++) {
		if ((rc = status_form(&tags[i], &when[i], &reason[i], &st_size[i],
		                      &sts[i], &nonissued)) < 0)
			goto out;
		single[i] = cid_lens[i] + st_size[i] + 17 + 19;
		responses += der_tlv_size(single[i]);
	}
	/* responseExtensions: extended-revoke (RFC 6960 4.4.8) for a
	 * "non-issued" answer, then the nonce as it came (4.4.1). */
	exts = (nonissued ? sizeof(ext_revoke_der) : 0) + nonce_len;
	/* ResponseData { responderID, producedAt, responses, [1] exts } */
	tbs_content = sizeof(is->rid) + 17 + der_tlv_size(responses) +
	              (exts > 0 ? der_tlv_size(der_tlv_size(exts)) : 0);
	tbs = der_tlv_size(tbs_content);
	cap = HDR_ROOM + tbs + is->sigalg_len + der_tlv_size(is->sig_max + 1) +
	      is->certs_len;
	if ((buf = OPENSSL_malloc(cap)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "OCSP: out of memory");
		goto out;
	}
	o = (struct der_out){buf + HDR_ROOM, 0, cap - HDR_ROOM, 0};
	der_hdr(&o, 0x30, tbs_content);
	der_put(&o, is->rid, sizeof(is->rid));
	if ((rc = der_gentime(&o, now)) < 0)
		goto out;
	der_hdr(&o, 0x30, responses);
	for (i = 0; i < n; i++) {
		der_hdr(&o, 0x30, single[i]);
		der_put(&o, cids[i], cid_lens[i]);
		der_hdr(&o, tags[i], st_size[i] - 2);
		if (tags[i] == 0xa1) {
			if ((rc = der_gentime(&o, when[i])) < 0)
				goto out;
			if (reason[i] >= 0) {
				der_put(&o, "\xa0\x03\x0a\x01", 4);
				der_put(&o, &(unsigned char){(unsigned char)reason[i]},
				        1);
			}
		}
		if ((rc = der_gentime(&o, now)) < 0)
			goto out;
		der_hdr(&o, 0xa0, 17);
		if ((rc = der_gentime(&o, next)) < 0)
			goto out;
	}
	if (exts > 0) {
		der_hdr(&o, 0xa1, der_tlv_size(exts));
		der_hdr(&o, 0x30, exts);
		if (nonissued)
			der_put(&o, ext_revoke_der, sizeof(ext_revoke_der));
		if (nonce != NULL)
			der_put(&o, nonce, nonce_len);
	}
	if (o.overflow || o.n != tbs) {
		rc = sertel_err(SERTEL_EINVAL,
		                "OCSP: response size miscounted (%zu, %zu)", o.n, tbs);
		goto out;
	}
	/* One signature over tbsResponseData with a copy of the template. */
	siglen = sizeof(sig) - 1;
	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_MD_CTX_copy_ex(mctx, is->sign_tmpl) != 1 ||
	    EVP_DigestSign(mctx, sig + 1, &siglen, o.p, tbs) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP signer for %s: signing failed",
		                     is->id);
		goto out;
	}
	sig[0] = 0; /* BIT STRING: no unused bits */
	siglen++;
	/* BasicOCSPResponse { tbs, signatureAlgorithm, signature, [0] certs } */
	der_put(&o, is->sigalg, is->sigalg_len);
	der_hdr(&o, V_ASN1_BIT_STRING, siglen);
	der_put(&o, sig, siglen);
	der_put(&o, is->certs, is->certs_len);
	basic = o.n;
	/* OCSPResponse { successful, [0] EXPLICIT ResponseBytes {
	 *   id-pkix-ocsp-basic, OCTET STRING { BasicOCSPResponse } } } */
	rb = sizeof(basic_oid_der) + der_tlv_size(der_tlv_size(basic));
	der_hdr(&h, 0x30, 3 + der_tlv_size(der_tlv_size(rb)));
	der_put(&h, "\x0a\x01\x00", 3);
	der_hdr(&h, 0xa0, der_tlv_size(rb));
	der_hdr(&h, 0x30, rb);
	der_put(&h, basic_oid_der, sizeof(basic_oid_der));
	der_hdr(&h, V_ASN1_OCTET_STRING, der_tlv_size(basic));
	der_hdr(&h, 0x30, basic);
	if (o.overflow || h.overflow) {
		rc = sertel_err(SERTEL_EINVAL, "OCSP: response size miscounted");
		goto out;
	}
	memcpy(buf + HDR_ROOM - h.n, hb, h.n);
	memmove(buf, buf + HDR_ROOM - h.n, h.n + o.n);
	out->der = buf;
	buf = NULL;
	out->len = h.n + o.n;
	out->status = OCSP_RESP_SUCCESSFUL;
	out->cacheable = n == 1 && nonce == NULL;
	out->this_update = now;
	out->next_update = next;
	rc = 0;
out:
	OPENSSL_free(buf);
	EVP_MD_CTX_free(mctx);
	return rc;
}

int
ocsp_request_parse(struct ocsp_request **out, const struct ocsp_responder *r,
                   const unsigned char *der, size_t len)
{
	struct ocsp_request *q;

	*out = NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "OCSP request: out of memory");
	q->r = r;
	q->len = len;
	q->status = request_parse(&q->req, &q->is, &q->md, &q->nonce, r, der, len);
	*out = q;
	return 0;
}

void
ocsp_request_free(struct ocsp_request *q)
{
	if (q == NULL)
		return;
	OCSP_REQUEST_free(q->req);
	free(q);
}

int
ocsp_request_key(struct ocsp_cache_key *out, const struct ocsp_request *q)
{
	ASN1_INTEGER *serial = NULL;

	memset(out, 0, sizeof(*out));
	if (q->status == OCSP_RESP_MALFORMED)
		return SERTEL_EINVAL;
	if (q->status != OCSP_RESP_SUCCESSFUL)
		return SERTEL_ENOTFOUND;
	/* RFC 5019 2.1.1 / 4: only a single-CertID request without a nonce
	 * has an answer that does not depend on the request bytes. */
	if (q->nonce || OCSP_request_onereq_count(q->req) != 1)
		return sertel_err(SERTEL_ENOTFOUND, "OCSP request: not cacheable");
	OCSP_id_get0_info(NULL, NULL, NULL, &serial,
	                  OCSP_onereq_get0_id(OCSP_request_onereq_get0(q->req, 0)));
	if (serial == NULL || serial_to_hex(out->serial, serial) < 0)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "OCSP request: serial is not one we issue");
	out->issuer_id = q->is->id;
	out->certid_md = certid_mds[q->md].name;
	return 0;
}

int
ocsp_request_answer(struct ocsp_result *out, const struct ocsp_request *q)
{
	const struct ocsp_responder *r = q->r;
	const unsigned char *cids[OCSP_REQUEST_MAX_ENTRIES];
	size_t cid_lens[OCSP_REQUEST_MAX_ENTRIES], used = 0;
	struct ocsp_status sts[OCSP_REQUEST_MAX_ENTRIES];
	unsigned char *cidbuf = NULL, *nonce = NULL, *p;
	OCSP_CERTID *id;
	ASN1_INTEGER *serial;
	char hex[SERIAL_HEX_MAX + 1];
	enum ocsp_resp_status st = q->status;
	int i, n, k, nonce_len = 0, rc;

	memset(out, 0, sizeof(*out));
	if (st != OCSP_RESP_SUCCESSFUL)
		goto refuse;
	st = OCSP_RESP_INTERNAL_ERROR;
	/* The CertIDs go back byte for byte (their DER re-encodes to the
	 * request's own bytes, request_parse checked), so they fit in a
	 * buffer as long as the request. */
	if ((cidbuf = malloc(q->len)) == NULL) {
		sertel_err(SERTEL_ENOMEM, "OCSP: out of memory");
		goto refuse;
	}
	n = OCSP_request_onereq_count(q->req);
	for (i = 0; i < n; i++) {
		id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(q->req, i));
		if ((k = i2d_OCSP_CERTID(id, NULL)) <= 0 || (size_t)k > q->len - used) {
			sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot copy CertID %d",
			                i + 1);
			goto refuse;
		}
		p = cidbuf + used;
		cids[i] = p;
		cid_lens[i] = (size_t)i2d_OCSP_CERTID(id, &p);
		used += cid_lens[i];
		serial = NULL;
		OCSP_id_get0_info(NULL, NULL, NULL, &serial, id);
		if (serial == NULL || serial_to_hex(hex, serial) < 0) {
			/* RFC 5280 4.1.2.2: not a serial a conforming CA
			 * issues, so not one of ours. */
			sts[i] = (struct ocsp_status){OCSP_CERT_UNKNOWN, 0, -1};
			continue;
		}
		if ((rc = r->lookup(&sts[i], q->is->id, hex, r->arg)) < 0) {
			/* RFC 6960 2.3: tryLater when the store is away. */
			st = rc == SERTEL_ESTORE ? OCSP_RESP_TRY_LATER
			                         : OCSP_RESP_INTERNAL_ERROR;
			goto refuse;
		}
	}
	/* RFC 6960 4.4.1: the nonce Extension goes back as it came. */
	if (q->nonce &&
	    (nonce_len = i2d_X509_EXTENSION(
	         OCSP_REQUEST_get_ext(q->req, OCSP_REQUEST_get_ext_by_NID(
	                                          q->req, NID_id_pkix_OCSP_Nonce, -1)),
	         &nonce)) <= 0) {
		sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot echo the nonce");
		goto refuse;
	}
	if ((rc = response_write(out, r, q->is, cids, cid_lens, sts, n, nonce,
	                         (size_t)nonce_len)) == 0)
		goto out;
refuse:
	rc = result_refuse(out, st);
out:
	free(cidbuf);
	OPENSSL_free(nonce);
	return rc;
}

int
ocsp_respond(struct ocsp_result *out, const struct ocsp_responder *r,
             const unsigned char *der, size_t len)
{
	struct ocsp_request *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ocsp_request_parse(&q, r, der, len)) < 0)
		return rc;
	rc = ocsp_request_answer(out, q);
	ocsp_request_free(q);
	return rc;
}

int
ocsp_presign(struct ocsp_result *out, const struct ocsp_responder *r,
             const char *issuer_id, const char *serial, const char *certid_md,
             const struct ocsp_status *st)
{
	const struct ocsp_issuer *is = NULL;
	ASN1_INTEGER *sn = NULL;
	BIGNUM *bn = NULL;
	unsigned char cid[512], *p;
	const unsigned char *cidp = cid;
	char check[SERIAL_HEX_MAX + 1];
	struct der_out o = {cid, 0, sizeof(cid), 0};
	size_t i, k, cid_len;
	int n, rc;

	memset(out, 0, sizeof(*out));
	if (certid_md == NULL)
		certid_md = "sha1";
	for (k = 0; k < CERTID_MDS && strcmp(certid_mds[k].name, certid_md) != 0; k++)
		;
	if (k == CERTID_MDS)
		return sertel_err(SERTEL_EINVAL,
		                  "OCSP presign: CertID hash '%s' not supported",
		                  certid_md);
	for (i = 0; i < r->nissuers && is == NULL; i++)
		if (strcmp(r->issuers[i]->id, issuer_id) == 0)
			is = r->issuers[i];
	if (is == NULL)
		return sertel_err(SERTEL_ENOTFOUND, "OCSP presign: issuer %s not served",
		                  issuer_id);
	/* Only the canonical text is accepted, so the cache key of a
	 * request and of a pre-signed answer cannot differ. */
	if (serial[0] == '\0' || strlen(serial) > SERIAL_HEX_MAX ||
	    BN_hex2bn(&bn, serial) != (int)strlen(serial) || bn == NULL ||
	    (sn = BN_to_ASN1_INTEGER(bn, NULL)) == NULL || serial_to_hex(check, sn) < 0 ||
	    strcmp(check, serial) != 0) {
		ERR_clear_error();
		rc = sertel_err(
		    SERTEL_EINVAL,
		    "OCSP presign: serial '%.48s' is not canonical lowercase hex",
		    serial);
		goto out;
	}
	/* CertID { prefix for this hash, serialNumber }, as a client that
	 * builds it with OCSP_cert_id_new sends it. */
	if ((n = i2d_ASN1_INTEGER(sn, NULL)) <= 0 || (size_t)n > 64) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO,
		                     "OCSP presign: cannot encode the serial");
		goto out;
	}
	der_hdr(&o, 0x30, is->certid_prefix_len[k] + (size_t)n);
	der_put(&o, is->certid_prefix[k], is->certid_prefix_len[k]);
	if (o.overflow || (size_t)n > o.cap - o.n) {
		rc = sertel_err(SERTEL_EINVAL, "OCSP presign: CertID too long");
		goto out;
	}
	p = cid + o.n;
	cid_len = o.n + (size_t)i2d_ASN1_INTEGER(sn, &p);
	rc = response_write(out, r, is, &cidp, &cid_len, st, 1, NULL, 0);
out:
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	return rc;
}

int
ocsp_request_cache_key(struct ocsp_cache_key *out, const struct ocsp_responder *r,
                       const unsigned char *der, size_t len)
{
	struct ocsp_request *q = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ocsp_request_parse(&q, r, der, len)) < 0)
		return rc;
	rc = ocsp_request_key(out, q);
	ocsp_request_free(q);
	return rc;
}

/* ---- GET ----------------------------------------------------------------- */

int
ocsp_get_decode(unsigned char **out, size_t *outlen, const char *path, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *text = NULL, esc[3] = {0};
	unsigned char byte;
	size_t i, n = 0, pad = 0;
	int c, rc;

	*out = NULL;
	*outlen = 0;
	if (len == 0)
		return sertel_err(SERTEL_EINVAL, "OCSP GET: empty request");
	if (len > OCSP_GET_MAX)
		return sertel_err(SERTEL_ETOOBIG,
		                  "OCSP GET: %zu bytes, over the limit of %d", len,
		                  OCSP_GET_MAX);
	if ((text = malloc(len + 1)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "OCSP GET: out of memory");
	/* RFC 6960 A.1: url-encoding of base64 (RFC 3986 2.1 escapes). */
	for (i = 0; i < len; i++) {
		c = (unsigned char)path[i];
		if (c == '%') {
			esc[0] = i + 1 < len ? path[i + 1] : '\0';
			esc[1] = i + 2 < len ? path[i + 2] : '\0';
			if (hex_decode(&byte, 1, esc) != 1) {
				rc = sertel_err(
				    SERTEL_EINVAL,
				    "OCSP GET: RFC 3986 2.1: bad escape at %zu", i);
				goto out;
			}
			c = byte;
			i += 2;
		}
		/* Base64 (RFC 4648 4) with its padding only at the end. */
		if (c == '=') {
			pad++;
		} else if (pad > 0 || c == '\0' || strchr(b64, c) == NULL) {
			rc = sertel_err(SERTEL_EINVAL,
			                "OCSP GET: RFC 4648 4: not base64 at %zu", i);
			goto out;
		}
		text[n++] = (char)c;
	}
	text[n] = '\0';
	if (pad > 2 || n % 4 != 0) {
		rc = sertel_err(SERTEL_EINVAL,
		                "OCSP GET: RFC 4648 4: base64 of bad length");
		goto out;
	}
	rc = b64_decode(out, outlen, text, n, 0);
out:
	free(text);
	return rc;
}
