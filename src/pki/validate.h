/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel path validation: an RFC 5280 section 6 certification path
 * validator with its own path builder, CRL processing (RFC 5280 6.3) and
 * OCSP response checking (RFC 6960).
 *
 * OpenSSL is used for parsing and for signature verification only; path
 * building, the basic path processing of 6.1, the policy graph (RFC 5280
 * 6.1.2-6.1.5 in the RFC 9618 formulation), name constraints and CRL/OCSP
 * processing are implemented here.  docs/VALIDATION.md says what is
 * implemented and where it deliberately differs.
 *
 * Typical use:
 *
 *	struct validate_input *in = NULL;
 *	struct validate_params p;
 *	struct validate_result r;
 *
 *	validate_input_new(&in);
 *	validate_input_add_anchors(in, pem, pemlen, "roots.pem");
 *	validate_input_add_untrusted(in, chain, chainlen, "chain.pem");
 *	validate_params_init(&p);
 *	p.input = in;
 *	rc = validate_cert(&r, der, derlen, &p);   (0: valid)
 *	... r.reason, r.path[] ...
 *	validate_result_free(&r);
 *	validate_input_free(in);
 */
#ifndef SERTEL_VALIDATE_H
#define SERTEL_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "core/core.h"

/* ---- what the end-entity certificate is to be used for ----------------- */
enum validate_purpose {
	VALIDATE_PURPOSE_ANY = 0, /* RFC 5280 only: no usage check */
	VALIDATE_PURPOSE_SIGNING, /* document/CMS signatures */
	VALIDATE_PURPOSE_EMAIL,   /* S/MIME */
	VALIDATE_PURPOSE_SSL_SERVER,
	VALIDATE_PURPOSE_SSL_CLIENT,
};
/* "signing", "email", "ssl-server", "ssl-client" (and "any"). */
int validate_purpose_parse(enum validate_purpose *out, const char *name);
/* Borrowed, never NULL. */
const char *validate_purpose_name(enum validate_purpose p);

/* ---- the material a validation may use --------------------------------
 * Trust anchors, an unordered pool of untrusted certificates (in any order,
 * with extras), CRLs and OCSP responses.  Objects are parsed once when added
 * and can serve any number of validate_cert() calls.  An input must not be
 * changed while a validation uses it.
 */
struct validate_input;

int validate_input_new(struct validate_input **out);
void validate_input_free(struct validate_input *in);

/* Each adder takes PEM (several objects may follow each other) or one DER
 * object; what names the source in messages.  OCSP responses are DER or
 * base64 of DER.  Inputs beyond the limits below fail with SERTEL_ETOOBIG. */
int validate_input_add_anchors(struct validate_input *in, const unsigned char *data,
                               size_t len, const char *what);
int validate_input_add_untrusted(struct validate_input *in, const unsigned char *data,
                                 size_t len, const char *what);
int validate_input_add_crls(struct validate_input *in, const unsigned char *data,
                            size_t len, const char *what);
int validate_input_add_ocsp(struct validate_input *in, const unsigned char *data,
                            size_t len, const char *what);

/* For src/pki callers that already hold parsed objects (e.g. the
 * certificates of a CMS SignedData).  Certificates are up-referenced; CRLs
 * and responses are copied. */
int validate_input_add_anchor_x509(struct validate_input *in, X509 *x);
int validate_input_add_untrusted_x509(struct validate_input *in, X509 *x);
int validate_input_add_crl_x509(struct validate_input *in, X509_CRL *crl);
int validate_input_add_ocsp_response(struct validate_input *in, OCSP_RESPONSE *resp);

#define VALIDATE_MAX_CERTS 512 /* anchors + untrusted */
#define VALIDATE_MAX_CRLS  256
#define VALIDATE_MAX_OCSP  256
#define VALIDATE_MAX_INPUT (32 * 1024 * 1024) /* bytes per adder call */

/* ---- the RFC 5280 6.1.1 inputs ------------------------------------------ */
#define VALIDATE_MAX_POLICIES 32
#define VALIDATE_MAX_DEPTH    16 /* certificates below the trust anchor */

struct validate_params {
	const struct validate_input *input; /* borrowed */
	int64_t at;                         /* (c) validation time, epoch s */
	enum validate_purpose purpose;
	/* Every certificate below the anchor must have its status determined
	 * from the given CRLs/OCSP responses.  Without it, what is given is
	 * still used, and given information that applies to a certificate
	 * but cannot be validated makes the path invalid (hard fail). */
	int require_revocation;
	/* (d) user-initial-policy-set as dotted OIDs; none means anyPolicy. */
	const char *policies[VALIDATE_MAX_POLICIES];
	size_t npolicies;
	int initial_explicit_policy;        /* (g) */
	int initial_policy_mapping_inhibit; /* (e) */
	int initial_any_policy_inhibit;     /* (h) */
	/* Bounds on the search, so hostile input cannot blow it up:
	 * certificates per path (at most VALIDATE_MAX_DEPTH) and the total
	 * number of candidate issuers tried, signatures checked and paths
	 * validated, including those for CRL issuers.  0 means default. */
	unsigned max_depth;
	unsigned max_steps;
	/* SHA-1 signatures on certificates below the anchor (issue 18):
	 * refused unless set, for historic documents only (chosen-prefix
	 * collisions make a SHA-1 signature no proof that the issuer signed
	 * that certificate).  MD2/MD4/MD5 are refused always. */
	int allow_sha1;
};
/* 1 when cert's own signature uses SHA-1, 2 for MD2/MD4/MD5, else 0. */
int validate_sig_weak(const X509 *cert);

/* Defaults: time now, any purpose, anyPolicy, no inhibits, revocation
 * used when given but not required, default bounds. */
void validate_params_init(struct validate_params *p);

/* ---- the outcome --------------------------------------------------------- */
enum validate_error {
	VALIDATE_OK = 0,
	VALIDATE_ERR_PATH,     /* no acceptable path: an RFC 5280 6.1 rule */
	VALIDATE_ERR_USAGE,    /* key usage / extended key usage vs purpose */
	VALIDATE_ERR_REVOKED,  /* a certificate of the path is revoked */
	VALIDATE_ERR_REVINFO,  /* revocation status not determined */
	VALIDATE_ERR_STALE,    /* only out-of-date revocation information */
	VALIDATE_ERR_LIMIT,    /* the search bounds were exhausted */
	VALIDATE_ERR_HOSTNAME, /* validate_hostname(): not for that name */
};
/* Short name, e.g. "revoked".  Borrowed. */
const char *validate_error_name(enum validate_error e);

#define VALIDATE_REASON_MAX  640
#define VALIDATE_SUBJECT_MAX 256

struct validate_cert_info {
	char subject[VALIDATE_SUBJECT_MAX]; /* RFC 2253 form */
	char issuer[VALIDATE_SUBJECT_MAX];
	char serial[84]; /* lowercase hex, "-" prefix if negative */
	char sha256[65]; /* of the DER */
	int anchor;      /* 1 for the trust anchor */
};

struct validate_result {
	int valid;
	enum validate_error error;
	/* "cert CN=Foo: RFC 5280 4.2.1.9: pathLenConstraint exceeded" */
	char reason[VALIDATE_REASON_MAX];
	/* The path found (valid) or the attempt that came closest (invalid):
	 * target first, trust anchor last (when one was reached). */
	size_t path_len;
	struct validate_cert_info path[VALIDATE_MAX_DEPTH + 1];
	int failing_index;      /* index into path[] of the failing cert, or -1 */
	STACK_OF(X509) * chain; /* the same path, owned by the result */
	/* The user-constrained policy set (RFC 5280 6.1.6 / X.509 12.5.1)
	 * when valid: dotted OIDs, "2.5.29.32.0" for anyPolicy. */
	size_t npolicies;
	char policies[VALIDATE_MAX_POLICIES][64];
};

/* Frees what the result owns (not r itself). */
void validate_result_free(struct validate_result *r);

/* Validates cert (PEM or DER) under p.  Returns 0 when a valid path was
 * found, SERTEL_EINVALID when none was (out->reason says why and is also
 * the recorded message), or another negative code on errors such as bad
 * parameters or memory exhaustion.  *out is always initialised and must be
 * released with validate_result_free(). */
int validate_cert(struct validate_result *out, const unsigned char *cert, size_t len,
                  const struct validate_params *p);
int validate_cert_x509(struct validate_result *out, X509 *cert,
                       const struct validate_params *p);

/* ---- server identity (RFC 9525 / RFC 6125) ------------------------------ */
/* Whether cert is for name: a DNS name (A-labels, any case, a trailing
 * dot ignored) matched against the dNSName subjectAltNames, with a
 * wildcard only as the whole left-most label of at least three and
 * matching one label; or an IPv4/IPv6 literal matched against iPAddress
 * names only.  The subject CN is used only when subjectAltName has no
 * dNSName, iPAddress or URI at all, and never for IP addresses.  Returns
 * 0 on a match (how, when not NULL, names the identifier that matched),
 * SERTEL_EINVALID when none matches, SERTEL_EINVAL when name is neither a
 * DNS name nor an IP address; the message says which.  The path is not
 * checked here: call validate_cert() too. */
int validate_hostname(char *how, size_t howsz, const X509 *cert, const char *name);
/* Whether name is a DNS name or an IP address validate_hostname() takes:
 * 0, or SERTEL_EINVAL with the reason (for checking user input early). */
int validate_hostname_check(const char *name);

/* ---- OCSP (RFC 6960) ---------------------------------------------------- */
enum validate_ocsp_status {
	VALIDATE_OCSP_GOOD,
	VALIDATE_OCSP_REVOKED,
	VALIDATE_OCSP_UNKNOWN,
};

struct validate_ocsp_result {
	enum validate_ocsp_status status;
	int reason;         /* CRLReason when revoked, -1 when absent */
	int64_t revoked_at; /* when revoked */
	int64_t this_update;
	int64_t next_update; /* 0 when absent */
	int delegated;       /* signed by a delegated responder */
};

/* Checks one OCSP response about cert, whose issuer is issuer, at time at:
 * status successful and basic, a SingleResponse whose CertID matches cert
 * and issuer, signed by the issuer itself or by a responder certificate
 * the issuer issued with id-kp-OCSPSigning (RFC 6960 4.2.2.2), and
 * at <= nextUpdate (a response produced after at is accepted: the status
 * it reports is as of its thisUpdate; revoked_at says whether a
 * revocation predates at).  issuer_key is the issuer's key when it
 * differs from the one in its certificate (DSA parameter inheritance), or
 * NULL.  Delegated responder certificates are looked for in the response
 * and in extra (may be NULL).
 * Returns 0 with *out filled, SERTEL_ENOTFOUND when the response says
 * nothing about cert, or SERTEL_EINVALID when it cannot be trusted (the
 * message says why). */
int validate_ocsp(struct validate_ocsp_result *out, OCSP_RESPONSE *resp, X509 *cert,
                  X509 *issuer, EVP_PKEY *issuer_key, STACK_OF(X509) * extra, int64_t at);

/* ---- CLI entry (src/cli/cmd_verify_cert.c) ------------------------------ */
int cmd_verify_cert(int argc, char **argv);

#endif
