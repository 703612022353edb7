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

/* RFC 6960 4.4.8 id-pkix-ocsp-extended-revoke; its value is NULL. */
#define OID_EXTENDED_REVOKE "1.3.6.1.5.5.7.48.1.9"

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
};

struct ocsp_responder {
	struct ocsp_issuer **issuers;
	size_t nissuers;
	int64_t validity;
	ocsp_lookup_fn lookup;
	void *arg;
	X509_EXTENSION *ext_revoke;
};

static void issuer_free(struct ocsp_issuer *is);
static int issuer_check(const struct ocsp_issuer_conf *c, int *delegated);
static int issuer_hashes(struct ocsp_issuer *is);
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
static int status_add(OCSP_BASICRESP *bs, OCSP_CERTID *id, const struct ocsp_status *st,
                      ASN1_TIME *thisupd, ASN1_TIME *nextupd, int *nonissued);
static int response_build(struct ocsp_result *out, const struct ocsp_responder *r,
                          const struct ocsp_issuer *is, OCSP_CERTID *const *ids,
                          const struct ocsp_status *sts, int n, OCSP_REQUEST *nonce_req);
static int result_refuse(struct ocsp_result *out, enum ocsp_resp_status st);

/* ---- setup --------------------------------------------------------------- */

int
ocsp_responder_new(struct ocsp_responder **out, int64_t validity, ocsp_lookup_fn lookup,
                   void *arg)
{
	static const unsigned char der_null[] = {0x05, 0x00};
	struct ocsp_responder *r = NULL;
	ASN1_OBJECT *oid = NULL;
	ASN1_OCTET_STRING *val = NULL;
	int rc = SERTEL_ECRYPTO;

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
	if ((oid = OBJ_txt2obj(OID_EXTENDED_REVOKE, 1)) == NULL ||
	    (val = ASN1_OCTET_STRING_new()) == NULL ||
	    ASN1_OCTET_STRING_set(val, der_null, sizeof(der_null)) != 1 ||
	    (r->ext_revoke = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, val)) == NULL) {
		rc = sertel_err_ossl(
		    SERTEL_ECRYPTO,
		    "OCSP responder: cannot build the extended-revoke extension");
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	ASN1_OBJECT_free(oid);
	ASN1_OCTET_STRING_free(val);
	ocsp_responder_free(r);
	return rc;
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
	X509_EXTENSION_free(r->ext_revoke);
	free(r);
}

static void
issuer_free(struct ocsp_issuer *is)
{
	if (is == NULL)
		return;
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
	if ((rc = issuer_hashes(is)) < 0)
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

/* An unsuccessful response: only the status (RFC 6960 4.2.1). */
static int
result_refuse(struct ocsp_result *out, enum ocsp_resp_status st)
{
	OCSP_RESPONSE *resp;
	unsigned char *der = NULL;
	int n = 0;

	memset(out, 0, sizeof(*out));
	if ((resp = OCSP_response_create((int)st, NULL)) != NULL)
		n = i2d_OCSP_RESPONSE(resp, &der);
	OCSP_RESPONSE_free(resp);
	if (n <= 0) {
		OPENSSL_free(der);
		return sertel_err_ossl(
		    SERTEL_ENOMEM, "OCSP: cannot encode a status %d response", (int)st);
	}
	out->der = der;
	out->len = (size_t)n;
	out->status = st;
	return 0;
}

/* Adds one SingleResponse (RFC 6960 4.2.1) echoing the request's CertID. */
static int
status_add(OCSP_BASICRESP *bs, OCSP_CERTID *id, const struct ocsp_status *st,
           ASN1_TIME *thisupd, ASN1_TIME *nextupd, int *nonissued)
{
	ASN1_GENERALIZEDTIME *revtime = NULL;
	int code, reason = OCSP_REVOKED_STATUS_NOSTATUS, rc = 0;
	int64_t when = 0;

	switch (st->status) {
	case OCSP_CERT_GOOD: code = V_OCSP_CERTSTATUS_GOOD; break;
	case OCSP_CERT_UNKNOWN: code = V_OCSP_CERTSTATUS_UNKNOWN; break;
	case OCSP_CERT_REVOKED:
		/* RFC 5280 5.3.1: 7 is unused; removeFromCRL (8) only
		 * exists in delta CRLs. */
		if (st->reason < -1 || st->reason > 10 || st->reason == 7 ||
		    st->reason == 8 || st->revoked_at < 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "OCSP status: revoked at %lld with reason %d is not valid",
			    (long long)st->revoked_at, st->reason);
		code = V_OCSP_CERTSTATUS_REVOKED;
		if (st->reason > 0)
			reason = st->reason;
		when = st->revoked_at;
		break;
	case OCSP_CERT_NONISSUED:
		/* RFC 6960 2.2: revoked, certificateHold, January 1, 1970. */
		code = V_OCSP_CERTSTATUS_REVOKED;
		reason = OCSP_REVOKED_STATUS_CERTIFICATEHOLD;
		*nonissued = 1;
		break;
	default:
		return sertel_err(SERTEL_EINVAL, "OCSP status: unknown value %d",
		                  (int)st->status);
	}
	if (code == V_OCSP_CERTSTATUS_REVOKED &&
	    (revtime = ASN1_GENERALIZEDTIME_set(NULL, (time_t)when)) == NULL)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot encode a time");
	else if (OCSP_basic_add1_status(bs, id, code, reason, revtime, thisupd,
	                                nextupd) == NULL)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot add a status");
	ASN1_GENERALIZEDTIME_free(revtime);
	return rc;
}

/*
 * Builds and signs a successful response for ids[0..n-1] with statuses
 * sts, echoing the nonce of nonce_req when it is not NULL.  out->der is
 * owned by the caller.
 */
static int
response_build(struct ocsp_result *out, const struct ocsp_responder *r,
               const struct ocsp_issuer *is, OCSP_CERTID *const *ids,
               const struct ocsp_status *sts, int n, OCSP_REQUEST *nonce_req)
{
	OCSP_BASICRESP *bs = NULL;
	OCSP_RESPONSE *resp = NULL;
	EVP_MD_CTX *mctx = NULL;
	ASN1_GENERALIZEDTIME *thisupd = NULL, *nextupd = NULL;
	unsigned char *der = NULL;
	unsigned long flags;
	int64_t now = time_now(), next;
	int i, derlen, nonissued = 0, rc;

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
	if ((bs = OCSP_BASICRESP_new()) == NULL ||
	    (thisupd = ASN1_GENERALIZEDTIME_set(NULL, (time_t)now)) == NULL ||
	    (nextupd = ASN1_GENERALIZEDTIME_set(NULL, (time_t)next)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "OCSP: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		if ((rc = status_add(bs, ids[i], &sts[i], thisupd, nextupd, &nonissued)) <
		    0)
			goto out;
	/* RFC 6960 4.4.8: a "non-issued" answer carries extended-revoke. */
	if (nonissued && OCSP_BASICRESP_add_ext(bs, r->ext_revoke, -1) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot add extension");
		goto out;
	}
	/* RFC 6960 4.4.1: the nonce goes back as it came. */
	if (nonce_req != NULL && OCSP_copy_nonce(bs, nonce_req) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot echo the nonce");
		goto out;
	}
	/* RFC 6960 4.2.2.3 / RFC 5019 2.2.2: responderID byKey.  A
	 * delegated signer's certificate goes in certs so clients can check
	 * its authorisation (4.2.2.2); a CA signing for itself needs none. */
	flags = OCSP_RESPID_KEY | (is->delegated ? 0 : OCSP_NOCERTS);
	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_MD_CTX_copy_ex(mctx, is->sign_tmpl) != 1 ||
	    OCSP_basic_sign_ctx(bs, is->signer, mctx, is->chain, flags) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP signer for %s: signing failed",
		                     is->id);
		goto out;
	}
	if ((resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs)) == NULL ||
	    (derlen = i2d_OCSP_RESPONSE(resp, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "OCSP: cannot encode response");
		goto out;
	}
	out->der = der;
	der = NULL;
	out->len = (size_t)derlen;
	out->status = OCSP_RESP_SUCCESSFUL;
	out->cacheable = n == 1 && nonce_req == NULL;
	out->this_update = now;
	out->next_update = next;
	rc = 0;
out:
	OPENSSL_free(der);
	OCSP_RESPONSE_free(resp);
	EVP_MD_CTX_free(mctx);
	ASN1_GENERALIZEDTIME_free(thisupd);
	ASN1_GENERALIZEDTIME_free(nextupd);
	OCSP_BASICRESP_free(bs);
	return rc;
}

int
ocsp_respond(struct ocsp_result *out, const struct ocsp_responder *r,
             const unsigned char *der, size_t len)
{
	OCSP_REQUEST *req = NULL;
	const struct ocsp_issuer *is = NULL;
	OCSP_CERTID *ids[OCSP_REQUEST_MAX_ENTRIES];
	struct ocsp_status sts[OCSP_REQUEST_MAX_ENTRIES];
	ASN1_INTEGER *serial;
	char hex[SERIAL_HEX_MAX + 1];
	enum ocsp_resp_status st;
	size_t md;
	int i, n, nonce, rc;

	memset(out, 0, sizeof(*out));
	if ((st = request_parse(&req, &is, &md, &nonce, r, der, len)) !=
	    OCSP_RESP_SUCCESSFUL)
		goto refuse;
	n = OCSP_request_onereq_count(req);
	for (i = 0; i < n; i++) {
		ids[i] = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, i));
		serial = NULL;
		OCSP_id_get0_info(NULL, NULL, NULL, &serial, ids[i]);
		if (serial == NULL || serial_to_hex(hex, serial) < 0) {
			/* RFC 5280 4.1.2.2: not a serial a conforming CA
			 * issues, so not one of ours. */
			sts[i] = (struct ocsp_status){OCSP_CERT_UNKNOWN, 0, -1};
			continue;
		}
		if ((rc = r->lookup(&sts[i], is->id, hex, r->arg)) < 0) {
			/* RFC 6960 2.3: tryLater when the store is away. */
			st = rc == SERTEL_ESTORE ? OCSP_RESP_TRY_LATER
			                         : OCSP_RESP_INTERNAL_ERROR;
			goto refuse;
		}
	}
	if ((rc = response_build(out, r, is, ids, sts, n, nonce ? req : NULL)) == 0)
		goto out;
	st = OCSP_RESP_INTERNAL_ERROR;
refuse:
	rc = result_refuse(out, st);
out:
	OCSP_REQUEST_free(req);
	return rc;
}

int
ocsp_presign(struct ocsp_result *out, const struct ocsp_responder *r,
             const char *issuer_id, const char *serial, const char *certid_md,
             const struct ocsp_status *st)
{
	const struct ocsp_issuer *is = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_INTEGER *sn = NULL;
	BIGNUM *bn = NULL;
	char check[SERIAL_HEX_MAX + 1];
	size_t i, k;
	int rc;

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
	if ((id = OCSP_cert_id_new(EVP_get_digestbynid(certid_mds[k].nid),
	                           X509_get_subject_name(is->issuer),
	                           X509_get0_pubkey_bitstr(is->issuer), sn)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO,
		                     "OCSP presign: cannot build the CertID");
		goto out;
	}
	rc = response_build(out, r, is, &id, st, 1, NULL);
out:
	OCSP_CERTID_free(id);
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	return rc;
}

int
ocsp_request_cache_key(struct ocsp_cache_key *out, const struct ocsp_responder *r,
                       const unsigned char *der, size_t len)
{
	OCSP_REQUEST *req = NULL;
	const struct ocsp_issuer *is = NULL;
	ASN1_INTEGER *serial = NULL;
	enum ocsp_resp_status st;
	size_t md = 0;
	int nonce = 0, rc;

	memset(out, 0, sizeof(*out));
	st = request_parse(&req, &is, &md, &nonce, r, der, len);
	if (st == OCSP_RESP_MALFORMED) {
		rc = SERTEL_EINVAL;
		goto out;
	}
	if (st != OCSP_RESP_SUCCESSFUL) {
		rc = SERTEL_ENOTFOUND;
		goto out;
	}
	/* RFC 5019 2.1.1 / 4: only a single-CertID request without a nonce
	 * has an answer that does not depend on the request bytes. */
	if (nonce || OCSP_request_onereq_count(req) != 1) {
		rc = sertel_err(SERTEL_ENOTFOUND, "OCSP request: not cacheable");
		goto out;
	}
	OCSP_id_get0_info(NULL, NULL, NULL, &serial,
	                  OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, 0)));
	if (serial == NULL || serial_to_hex(out->serial, serial) < 0) {
		rc = sertel_err(SERTEL_ENOTFOUND,
		                "OCSP request: serial is not one we issue");
		goto out;
	}
	out->issuer_id = is->id;
	out->certid_md = certid_mds[md].name;
	rc = 0;
out:
	OCSP_REQUEST_free(req);
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
