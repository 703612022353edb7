/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel validation authority: the OCSP responder core (RFC 6960, with the
 * RFC 5019 lightweight profile) and the time-stamping authority (RFC 3161).
 *
 * Both engines are pure functions over DER: bytes in, bytes out, no I/O.
 * The HTTP layer moves the bytes and sets headers; the store answers the
 * status questions through a callback.
 *
 * Threads: a responder or TSA is configured once (ocsp_responder_new,
 * ocsp_responder_add_issuer, tsa_new) and read-only afterwards, so any
 * number of threads may call ocsp_respond, ocsp_presign,
 * ocsp_request_cache_key, ocsp_request_parse and tsa_respond on it at
 * once.  The callbacks it
 * was given must be thread-safe too.
 *
 * Serial numbers are exchanged as serial_to_hex() text (pki.h): lowercase
 * hex of the INTEGER's magnitude, minimal octets, even length, "00" for
 * zero, at most 20 octets (RFC 5280 4.1.2.2) -- the same form the CA
 * stores, and `openssl x509 -noout -serial` lowercased.
 */
#ifndef SERTEL_VA_H
#define SERTEL_VA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pki/pki.h"

/* ---- OCSP responder (ocsp.c) ------------------------------------------- */

/* Requests larger than this are answered malformedRequest unread. */
#define OCSP_REQUEST_MAX (16 * 1024)
/* At most this many CertIDs in one request (each costs a status lookup). */
#define OCSP_REQUEST_MAX_ENTRIES 32
/* RFC 9654 2.1 (obsoletes RFC 8954): a nonce is 1..128 octets; any other
 * length is answered malformedRequest. */
#define OCSP_NONCE_MAX 128
/* Longest GET path ocsp_get_decode accepts: base64 of OCSP_REQUEST_MAX,
 * every character percent-encoded. */
#define OCSP_GET_MAX (3 * 4 * ((OCSP_REQUEST_MAX + 2) / 3))

/* OCSPResponseStatus, RFC 6960 4.2.1. */
enum ocsp_resp_status {
	OCSP_RESP_SUCCESSFUL = 0,
	OCSP_RESP_MALFORMED = 1,
	OCSP_RESP_INTERNAL_ERROR = 2,
	OCSP_RESP_TRY_LATER = 3,
	OCSP_RESP_SIG_REQUIRED = 5,
	OCSP_RESP_UNAUTHORIZED = 6
};

/* What the store says about one certificate (RFC 6960 2.2). */
enum ocsp_cert_status {
	OCSP_CERT_GOOD,
	OCSP_CERT_REVOKED,
	OCSP_CERT_UNKNOWN,
	/* Never issued by a CA we serve: encoded per RFC 6960 2.2 as revoked,
	 * certificateHold, revocationTime 1970-01-01, with the
	 * extended-revoke extension (4.4.8) in the response. */
	OCSP_CERT_NONISSUED
};

struct ocsp_status {
	enum ocsp_cert_status status;
	int64_t revoked_at; /* REVOKED: seconds since the epoch */
	/* REVOKED: RFC 5280 5.3.1 CRLReason (0..10 except 7, and 8 which
	 * only delta CRLs use) or -1 for none.  0 (unspecified) is encoded
	 * as an absent reason, as RFC 5280 5.3.1 asks. */
	int reason;
};

/*
 * Status lookup supplied by the caller.  issuer_id names the CA the
 * request matched (the id given to ocsp_responder_add_issuer) and serial
 * is serial_to_hex() text.  Returns 0 with *out filled, or a negative
 * SERTEL_E* code: SERTEL_ESTORE makes the response tryLater (the store is
 * down, RFC 6960 2.3), anything else internalError.
 */
typedef int (*ocsp_lookup_fn)(struct ocsp_status *out, const char *issuer_id,
                              const char *serial, void *arg);

struct ocsp_responder; /* opaque */

/* One CA the responder answers for, and who signs for it. */
struct ocsp_issuer_conf {
	/* Passed to the lookup; NULL: issuer_id_of(issuer), the store's id. */
	const char *id;
	X509 *issuer;
	/* RFC 6960 4.2.2.2: either the issuer itself (CA-signed responses)
	 * or a delegated responder certificate issued directly by it with
	 * id-kp-OCSPSigning.  Checked by ocsp_responder_add_issuer. */
	X509 *signer;
	EVP_PKEY *key;          /* signer's private key (RSA or EC) */
	STACK_OF(X509) * chain; /* extra certs for the response; may be NULL */
	const EVP_MD *md;       /* signature digest; NULL: key_digest(key) */
};

/*
 * A responder whose responses are valid for validity seconds
 * (nextUpdate = thisUpdate + validity, RFC 5019 2.2.4).  *out owned by the
 * caller (ocsp_responder_free).
 */
int ocsp_responder_new(struct ocsp_responder **out, int64_t validity,
                       ocsp_lookup_fn lookup, void *arg);
/* Adds a CA; takes its own references to the certificates and key. */
int ocsp_responder_add_issuer(struct ocsp_responder *r,
                              const struct ocsp_issuer_conf *conf);
void ocsp_responder_free(struct ocsp_responder *r);
/* The instance's case: issuer answered for by its delegated signer
 * (both loaded CAs), under the issuer's store id. */
int ocsp_responder_add_ca(struct ocsp_responder *r, const struct ca *issuer,
                          const struct ca *signer);

/* A DER OCSPResponse and what the HTTP layer needs to serve it. */
struct ocsp_result {
	unsigned char *der; /* owned: release with ocsp_result_free */
	size_t len;
	enum ocsp_resp_status status;
	/* RFC 5019 2.2 / 6.2: a successful answer to one CertID without a
	 * nonce; it may be cached and served again until next_update
	 * (Last-Modified = this_update, Expires = next_update, max-age =
	 * next_update - now, ETag = a hash of der). */
	int cacheable;
	int64_t this_update; /* successful only, else 0 */
	int64_t next_update;
};
void ocsp_result_free(struct ocsp_result *res);

/*
 * Answers a DER OCSPRequest.  Returns 0 with *out set for every request,
 * good or bad: out->status says which answer it is, and for anything but
 * successful sertel_errmsg() says why (log it when the status is
 * internalError or tryLater, which are our faults).  Negative only when
 * no response could be built at all (out of memory).
 *
 *  - larger than OCSP_REQUEST_MAX, not DER, trailing bytes, no CertID,
 *    more than OCSP_REQUEST_MAX_ENTRIES, a nonce that is not an OCTET
 *    STRING of 1..OCSP_NONCE_MAX octets, a duplicate or unknown critical
 *    extension: malformedRequest;
 *  - a CertID (SHA-1, SHA-256, SHA-384 or SHA-512) naming no CA we serve,
 *    or CertIDs of different CAs in one request: unauthorized (RFC 5019
 *    2.2.3; one signature cannot be authoritative for two CAs, RFC 6960
 *    4.2.2.2);
 *  - otherwise a basicOCSPResponse signed by that CA's signer: responderID
 *    byKey, the signer certificate in certs (delegated signers only), one
 *    SingleResponse per CertID echoing it, and the nonce echoed.
 * Request signatures are not required and not checked.
 */
int ocsp_respond(struct ocsp_result *out, const struct ocsp_responder *r,
                 const unsigned char *der, size_t len);

/*
 * Builds, without a nonce, the response a request for one certificate
 * would get (for the pre-signed cache).  certid_md is the CertID hash the
 * cached answer will match: "sha1" (NULL, RFC 5019 2.1.1), "sha256",
 * "sha384" or "sha512".  Returns 0 with *out (owned by the caller) or a
 * negative code.
 */
int ocsp_presign(struct ocsp_result *out, const struct ocsp_responder *r,
                 const char *issuer_id, const char *serial, const char *certid_md,
                 const struct ocsp_status *st);

/* The key under which a cacheable request's answer is found. */
struct ocsp_cache_key {
	const char *issuer_id; /* borrowed from the responder */
	char serial[SERIAL_HEX_MAX + 1];
	const char *certid_md; /* static: "sha1", "sha256", ... */
};

/*
 * For the cache in front of ocsp_respond: returns 0 and fills *out when the
 * request is valid and cacheable (one CertID of a CA we serve, no nonce),
 * so an ocsp_presign() answer for the same key may be served instead.
 * Otherwise a negative code (SERTEL_ENOTFOUND: not cacheable or not ours;
 * SERTEL_EINVAL: malformed) and the caller asks ocsp_respond, which
 * gives the right answer.
 */
int ocsp_request_cache_key(struct ocsp_cache_key *out, const struct ocsp_responder *r,
                           const unsigned char *der, size_t len);

/*
 * The same two steps on one parse, for a caller that first looks for a
 * cached answer and otherwise answers the request (src/http/api_va.c):
 * ocsp_request_parse parses and checks der once and returns 0 with *out
 * for every request, good or bad (negative only when out of memory; der
 * need not outlive *out); ocsp_request_key is ocsp_request_cache_key on
 * it, ocsp_request_answer is ocsp_respond on it (sertel_errmsg() of a
 * refusal is the parse's message, so call it before anything else that
 * may record one).  *out owned by the caller (ocsp_request_free).
 */
struct ocsp_request; /* opaque */
int ocsp_request_parse(struct ocsp_request **out, const struct ocsp_responder *r,
                       const unsigned char *der, size_t len);
int ocsp_request_key(struct ocsp_cache_key *out, const struct ocsp_request *req);
int ocsp_request_answer(struct ocsp_result *out, const struct ocsp_request *req);
void ocsp_request_free(struct ocsp_request *req);

/*
 * Decodes the GET form (RFC 6960 A.1.1): path is what follows the
 * responder URL's "/", the percent-encoded (%2F, %2B, %3D, ...) standard
 * base64 of the DER request; unencoded '/', '+' and '=' are accepted as
 * well.  Refuses other characters, bad escapes, bad base64 and paths over
 * OCSP_GET_MAX.  *out owned by the caller (free()).
 */
int ocsp_get_decode(unsigned char **out, size_t *outlen, const char *path, size_t len);

/* ---- time-stamping authority (tsa.c) ------------------------------------ */

/* Requests larger than this are rejected with badDataFormat unread. */
#define TSA_REQUEST_MAX (16 * 1024)

/* PKIStatus and PKIFailureInfo bits, RFC 3161 2.4.2. */
enum tsa_pki_status { TSA_GRANTED = 0, TSA_REJECTION = 2 };
enum tsa_fail_info {
	TSA_FAIL_NONE = -1,
	TSA_FAIL_BAD_ALG = 0,
	TSA_FAIL_BAD_REQUEST = 2,
	TSA_FAIL_BAD_DATA_FORMAT = 5,
	TSA_FAIL_TIME_NOT_AVAILABLE = 14,
	TSA_FAIL_UNACCEPTED_POLICY = 15,
	TSA_FAIL_UNACCEPTED_EXTENSION = 16,
	TSA_FAIL_ADD_INFO_NOT_AVAILABLE = 17,
	TSA_FAIL_SYSTEM_FAILURE = 25
};

/* Produces a new serial number for a token; must never repeat for this
 * TSA (RFC 3161 2.4.2) and be positive, at most 20 octets.  *out owned by
 * the caller.  Returns 0 or a negative code. */
typedef int (*tsa_serial_fn)(ASN1_INTEGER **out, void *arg);

struct tsa_conf {
	/* RFC 3161 2.3: extendedKeyUsage with id-kp-timeStamping only,
	 * critical.  Checked by tsa_new. */
	X509 *cert;
	EVP_PKEY *key;
	/* Certificates above cert (not cert itself), sent with it when the
	 * request sets certReq (RFC 3161 2.4.1); may be NULL. */
	STACK_OF(X509) * chain;
	const char *policy;  /* dotted OID: TSTInfo policy, the only one
	                      * accepted when a request names one */
	const EVP_MD *md;    /* signature digest; NULL: key_digest(key) */
	int64_t accuracy_us; /* TSTInfo accuracy; 0 omits it */
	int precision;       /* fractional-second digits of genTime, 0..6 */
	/* NULL: serial_generate() (pki.h), 128 CSPRNG bits, so a repeat is
	 * as likely as guessing a 128-bit key. */
	tsa_serial_fn serial;
	void *serial_arg;
};

struct tsa; /* opaque */

/* Checks and takes its own references to cert, key and chain.  *out owned
 * by the caller (tsa_free). */
int tsa_new(struct tsa **out, const struct tsa_conf *conf);
/* The instance's TSA: signer's key and certificate, with the CAs above
 * it (issuing, root) as the chain sent on certReq. */
int tsa_new_ca(struct tsa **out, const struct ca *signer, const struct ca *issuing,
               const struct ca *root, const char *policy, int64_t accuracy_us,
               int precision);
void tsa_free(struct tsa *t);

struct tsa_result {
	unsigned char *der; /* TimeStampResp; owned: tsa_result_free */
	size_t len;
	enum tsa_pki_status status;
	enum tsa_fail_info fail_info; /* first failInfo bit, or NONE */
	/* Granted only: the token's serial (serial_to_hex) and genTime in
	 * whole seconds, for the audit log. */
	char serial[SERIAL_HEX_MAX + 1];
	int64_t gen_time;
};
void tsa_result_free(struct tsa_result *res);

/*
 * Answers a DER TimeStampReq.  Returns 0 with *out set for every request:
 * granted with a token signed with signingCertificateV2 (ESSCertIDv2,
 * SHA-256; RFC 5816), the request nonce echoed and certificates only when
 * certReq is set; or a rejection:
 *  - not a TimeStampReq, trailing bytes, over TSA_REQUEST_MAX, or an
 *    imprint whose length does not fit its algorithm: badDataFormat;
 *  - a version other than 1: badRequest;
 *  - an imprint algorithm other than SHA-256/384/512: badAlg;
 *  - a reqPolicy other than conf->policy: unacceptedPolicy;
 *  - any request extension: unacceptedExtension;
 *  - our own failures (certificate not valid now, serial source):
 *    systemFailure, with sertel_errmsg() saying why; a failure inside
 *    OpenSSL's signing is a rejection without failInfo.
 * Negative only when no response could be built at all.
 */
int tsa_respond(struct tsa_result *out, const struct tsa *t, const unsigned char *der,
                size_t len);

#endif
