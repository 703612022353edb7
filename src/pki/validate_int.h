/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the path validator's files only:
 *   validate.c         input, path building, RFC 5280 6.1 processing
 *   validate_name.c    name comparison (RFC 5280 7.1) and name constraints
 *   validate_policy.c  the policy graph (RFC 5280 6.1.2-6.1.5, RFC 9618)
 *   validate_crl.c     CRL processing (RFC 5280 6.3)
 *   ocsp_check.c       OCSP responses (RFC 6960)
 */
#ifndef SERTEL_VALIDATE_INT_H
#define SERTEL_VALIDATE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509v3.h>

#include "pki/validate.h"

#define VLABEL_MAX 160
#define VWHY_MAX   400
/* Nesting of revocation checks (a CRL issuer's path has its own CRLs). */
#define VALIDATE_REV_DEPTH     4
#define VALIDATE_DEFAULT_STEPS 4000
/* A response without nextUpdate is current for this long (RFC 6960
 * 4.2.2.1 leaves it to local policy). */
#define VALIDATE_OCSP_MAX_AGE (24 * 3600)

/* keyUsage bits (RFC 5280 4.2.1.3) */
#define VKU_DIGITAL_SIGNATURE (1u << 0)
#define VKU_NON_REPUDIATION   (1u << 1)
#define VKU_KEY_ENCIPHERMENT  (1u << 2)
#define VKU_DATA_ENCIPHERMENT (1u << 3)
#define VKU_KEY_AGREEMENT     (1u << 4)
#define VKU_KEY_CERT_SIGN     (1u << 5)
#define VKU_CRL_SIGN          (1u << 6)

/* A canonical form of a distinguished name: RFC 5280 7.1 comparison
 * (RFC 4518 insignificant space handling and case folding) becomes byte
 * equality, and a DN subtree is a byte prefix. */
struct vname {
	unsigned char *b; /* owned */
	size_t len;
	size_t nrdn;
};

/* A small set of general names in comparable form (distribution point
 * names, cRLIssuer). */
#define VGN_MAX 16
struct vgn {
	int type;
	unsigned char *b;
	size_t len;
};
struct vgnset {
	struct vgn v[VGN_MAX];
	size_t n;
};
/* A certificate as the validator sees it: parsed once. */
struct vcert {
	X509 *x; /* owned reference */
	size_t id;
	int anchor;
	unsigned char sha256[32];
	char label[VLABEL_MAX]; /* "CN=Foo" for messages */
	char bad[VWHY_MAX];     /* non-empty: the certificate is unusable */
	struct vname subj, iss;
	int version;
	int self_issued;
	int ca;       /* basicConstraints cA */
	long pathlen; /* -1: absent */
	int ku_present;
	unsigned ku;
	EXTENDED_KEY_USAGE *eku;
	CERTIFICATEPOLICIES *policies;
	POLICY_MAPPINGS *mappings;
	long require_explicit; /* -1: absent */
	long inhibit_mapping;  /* -1: absent */
	long inhibit_any;      /* -1: absent */
	NAME_CONSTRAINTS *nc;
	char nc_bad[VWHY_MAX]; /* name constraints we cannot process */
	GENERAL_NAMES *san;
	CRL_DIST_POINTS *crldp;
	int ocsp_nocheck;
	ASN1_OCTET_STRING *skid;
	AUTHORITY_KEYID *akid;
	char unknown_critical[80]; /* OID of a critical extension we ignore */
	EVP_PKEY *pkey;            /* borrowed from x; NULL if unusable */
	int key_inherits;          /* DSA without parameters: RFC 5280 6.1.4(e) */
};

struct vcrl {
	X509_CRL *crl; /* owned, private copy */
	char label[VLABEL_MAX];
	char bad[VWHY_MAX];
	struct vname iss;
	ISSUING_DIST_POINT *idp;
	struct vgnset idpnames; /* its distribution point names */
	unsigned char *idp_der; /* for "same scope" (RFC 5280 5.2.4) */
	int idp_len;
	ASN1_INTEGER *number;      /* cRLNumber, or NULL */
	int delta;                 /* has deltaCRLIndicator */
	ASN1_INTEGER *base_number; /* BaseCRLNumber of a delta */
	unsigned only_reasons;     /* ReasonFlags mask; all when absent */
	int indirect;
};

struct validate_input {
	struct vcert **certs; /* anchors and untrusted, deduplicated */
	size_t ncerts;
	STACK_OF(X509) * untrusted; /* for OCSP responder certificates */
	struct vcrl **crls;         /* newest thisUpdate first */
	size_t ncrls;
	OCSP_RESPONSE **ocsp;
	size_t nocsp;
};

/* Options of one path validation (the top-level one or a CRL issuer's). */
struct vopts {
	enum validate_purpose purpose;
	ASN1_OBJECT **user; /* user-initial-policy-set; NULL = anyPolicy */
	size_t nuser;
	int explicit_policy, inhibit_mapping, inhibit_any;
};

struct vrevcache;

struct vctx {
	const struct validate_input *in;
	const struct validate_params *p;
	time_t at;
	unsigned max_depth;
	unsigned steps_left;
	int limit_hit;
	int stop;                /* a failure no other path can fix (the target's own) */
	unsigned char *sigcache; /* (ncerts+1)^2: 0 unknown, 1 good, 2 bad */
	size_t sigdim;
	unsigned char *crlsig; /* ncrls x sigdim, as sigcache */
	struct vrevcache *rev; /* verdicts of top-level revocation checks */
	size_t nrevc, caprevc;
	const struct vcert *revstack[VALIDATE_REV_DEPTH];
	size_t nrev;
};

/* One revocation verdict (RFC 5280 6.3.3 cert_status). */
enum vrev_status { VREV_UNKNOWN = 0, VREV_GOOD, VREV_REVOKED };
struct vrev {
	enum vrev_status status;
	int reason;            /* CRLReason when revoked */
	char when[40];         /* revocation date */
	char source[VWHY_MAX]; /* what said so */
	int problem;           /* applicable information was unusable */
	int stale;             /* ... only because it was out of date */
	char why[VWHY_MAX];    /* first problem, for UNKNOWN */
};

/* ---- validate.c -------------------------------------------------------- */
/* snprintf for messages: truncation is acceptable, never an error. */
void validate_fmt(char *out, size_t outsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Consumes one step of the search budget; 0 when exhausted. */
int validate_step(struct vctx *c);
/* 1 if at lies within [notBefore, notAfter] style bounds of t: returns
 * <0 if t < at, 0 if equal, >0 if t > at, and -2 on a bad time. */
int validate_time_cmp(const ASN1_TIME *t, time_t at);
int validate_time_to_epoch(int64_t *out, const ASN1_TIME *t);
void validate_time_str(char out[40], const ASN1_TIME *t);
/* Verifies the signature of CRL number li of the input with key, which is
 * signer's own key when signer is not NULL (then the result is cached);
 * uncached checks cost a step. */
int validate_crl_sig_ok(struct vctx *c, size_t li, const struct vcert *signer,
                        EVP_PKEY *key);
/* The process-wide memo of successful signature checks (sigcache.c):
 * kind 'C' for certificates, 'L' for CRLs; obj is the SHA-256 of the
 * whole signed object, signer the certificate whose key verified it. */
int sigcache_known(char kind, const unsigned char obj[32], X509 *signer);
void sigcache_remember(char kind, const unsigned char obj[32], X509 *signer);
/* Verifies child's signature with key (issuer's effective key). */
int validate_sig_ok(struct vctx *c, const struct vcert *child, const struct vcert *issuer,
                    EVP_PKEY *key);
/* Finds and validates a path from signer to anchor (RFC 5280 6.3.3(f)),
 * revocation included.  0 with *key set (owned by caller) or <0 with why
 * filled. */
int validate_signer_path(struct vctx *c, const struct vcert *signer,
                         const struct vcert *anchor, EVP_PKEY **key, char *why,
                         size_t whylen);
/* RFC 2253 text of a name, truncated to outsz. */
void validate_name_text(char *out, size_t outsz, const X509_NAME *name);
/* "CN=Foo", or the RFC 2253 DN without a CN. */
void validate_name_label(char *out, size_t outsz, const X509_NAME *name);
int validate_ku_parse(int *present, unsigned *ku, const ASN1_BIT_STRING *bs);

/* ---- validate_name.c --------------------------------------------------- */
int validate_vname_init(struct vname *out, const X509_NAME *name);
void validate_vname_free(struct vname *n);
int validate_vname_eq(const struct vname *a, const struct vname *b);
/* name lies within the DN subtree base (RFC 5280 4.2.1.10). */
int validate_vname_within(const struct vname *name, const struct vname *base);
/* Checks that every subtree of nc is one sertel can process (RFC 5280
 * 6.1.4(g)); 0 or -1 with why. */
int validate_nc_supported(const NAME_CONSTRAINTS *nc, char *why, size_t whylen);
/* RFC 5280 6.1.3(b)(c): the subject name, emailAddress attributes and
 * subjectAltName of x against nc.  0 if allowed, -1 with why. */
int validate_nc_check(const NAME_CONSTRAINTS *nc, const struct vcert *x, char *why,
                      size_t whylen);

void validate_gnset_free(struct vgnset *s);
/* Adds the names of gens (truncated at VGN_MAX). */
int validate_gnset_add(struct vgnset *s, const GENERAL_NAMES *gens);
/* Adds the DN base + rdn (nameRelativeToCRLIssuer, RFC 5280 4.2.1.13). */
int validate_gnset_add_relative(struct vgnset *s, const X509_NAME *base,
                                const STACK_OF(X509_NAME_ENTRY) * rdn);
int validate_gnset_intersects(const struct vgnset *a, const struct vgnset *b);
/* 1 if a directoryName of s equals dn. */
int validate_gnset_has_dn(const struct vgnset *s, const struct vname *dn);

/* ---- validate_policy.c ------------------------------------------------- */
struct vpolicy;
int validate_policy_new(struct vpolicy **out, size_t n);
void validate_policy_free(struct vpolicy *g);
int validate_policy_is_null(const struct vpolicy *g);
/* RFC 5280 6.1.3(d)(e) for certificate i. */
int validate_policy_cert(struct vpolicy *g, size_t i, const CERTIFICATEPOLICIES *cp,
                         int any_allowed);
/* RFC 5280 6.1.4(b) for certificate i. */
int validate_policy_map(struct vpolicy *g, size_t i, const POLICY_MAPPINGS *pm,
                        int mapping_allowed);
/* RFC 5280 6.1.5(g): 1 if the intersection with the user set is not
 * empty; the user-constrained policies go to out (dotted). */
int validate_policy_final(const struct vpolicy *g, ASN1_OBJECT *const *user, size_t nuser,
                          char out[][64], size_t outmax, size_t *nout);

/* ---- validate_crl.c ---------------------------------------------------- */
int validate_crl_parse(struct vcrl **out, X509_CRL *crl);
void validate_crl_free(struct vcrl *l);
/* RFC 5280 6.3.3 for x, issued by issuer whose effective key is ikey, on a
 * path from anchor.  Adds to st. */
int validate_crl_status(struct vctx *c, const struct vcert *x, const struct vcert *issuer,
                        EVP_PKEY *ikey, const struct vcert *anchor, struct vrev *st);

/* ---- ocsp_check.c ------------------------------------------------------ */
/* validate_ocsp() with *stale set when the only fault is the age. */
int validate_ocsp_check(struct validate_ocsp_result *out, OCSP_RESPONSE *resp, X509 *cert,
                        X509 *issuer, EVP_PKEY *issuer_key, STACK_OF(X509) * extra,
                        int64_t at, int *stale);

/* Records why revocation status could not be established (the first
 * reason wins); stale: the information was out of date. */
void validate_rev_problem(struct vrev *st, int stale, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
