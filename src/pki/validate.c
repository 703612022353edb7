/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The path validator: the material a validation uses, path building with
 * backtracking over an unordered pool (RFC 4158 style), the basic path
 * processing of RFC 5280 6.1 and the revocation checks of each path.
 *
 * Path building works from the target towards a trust anchor: every
 * certificate whose subject matches the issuer name (RFC 5280 7.1) is a
 * candidate, tried in order of preference (anchors first, then a keyId
 * match, then validity at the time); a candidate whose key does not verify
 * the signature is dropped, a complete path is validated top-down as in
 * 6.1, and any failure makes the search back up and try the next
 * candidate.  Depth and the total number of steps are bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "pki/pki.h"
#include "pki/validate_int.h"

#define VMAX_POLICIES_PER_CERT 256
#define VMAX_MAPPINGS_PER_CERT 256

/* Why one attempt failed. */
struct vnote {
	enum validate_error err;
	int index;     /* chain index (0 = target) */
	int intrinsic; /* the target's own fault: no other path can help */
	char reason[VALIDATE_REASON_MAX];
};

/* A revocation verdict of a top-level check, reused by later paths that
 * share the certificate, its issuer and the anchor. */
#define VREVCACHE_MAX 256
struct vrevcache {
	const struct vcert *x, *iss, *anchor;
	struct vrev st;
};

/* A candidate path: c[0] the target ... c[len-1] the trust anchor, with
 * the working public key of each (RFC 5280 6.1.4(d)-(f)). */
struct vpath {
	struct vcert *c[VALIDATE_MAX_DEPTH + 2];
	size_t len;
	EVP_PKEY *key[VALIDATE_MAX_DEPTH + 2];
	int owned[VALIDATE_MAX_DEPTH + 2];
	size_t npol;
	char pol[VALIDATE_MAX_POLICIES][64];
};

/* The most informative failure so far. */
struct vbest {
	int set;
	int rank;
	struct vnote note;
	struct vcert *c[VALIDATE_MAX_DEPTH + 2];
	size_t len;
};

static int vcert_new(struct vcert **out, X509 *x, int anchor, size_t id);
static void vcert_free(struct vcert *vc);
static int vcert_exts(struct vcert *vc);
static int input_add_cert(struct validate_input *in, X509 *x, int anchor);
static int input_add_crl(struct validate_input *in, X509_CRL *crl);
static int input_parse(struct validate_input *in, const unsigned char *data, size_t len,
                       const char *what, int kind);
static int key_effective(EVP_PKEY **out, int *owned, const struct vcert *vc,
                         EVP_PKEY *working, char *why, size_t whylen);
static int same_cert(const struct vcert *a, const struct vcert *b);
static size_t candidates(struct vctx *c, const struct vcert *tip, unsigned short *out);
static int path_extend(struct vctx *c, struct vcert **chain, size_t len,
                       const struct vcert *anchor_req, const struct vopts *o,
                       struct vbest *best, struct vpath *found);
static int path_try(struct vctx *c, struct vcert **chain, size_t len,
                    const struct vopts *o, struct vbest *best, struct vpath *found);
static int path_process(struct vctx *c, struct vpath *p, const struct vopts *o,
                        struct vnote *note, int *progress);
static int path_revocation(struct vctx *c, struct vpath *p, struct vnote *note,
                           int *progress);
static int rev_status(struct vctx *c, const struct vcert *x, const struct vcert *iss,
                      EVP_PKEY *ikey, const struct vcert *anchor, struct vrev *st);
static int purpose_check(const struct vopts *o, struct vpath *p, struct vnote *note);
static int rev_cached(struct vctx *c, const struct vcert *x, const struct vcert *iss,
                      const struct vcert *anchor, struct vrev *st);
static void rev_store(struct vctx *c, const struct vcert *x, const struct vcert *iss,
                      const struct vcert *anchor, const struct vrev *st);
static void vpath_keys_free(struct vpath *p);
static void best_note(struct vbest *b, int rank, struct vcert *const *chain, size_t len,
                      const struct vnote *n);
static void note_set(struct vnote *n, enum validate_error err, int index,
                     const struct vcert *x, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void result_fill(struct validate_result *out, struct vcert *const *chain,
                        size_t len);

/* ---- names of things ---------------------------------------------------- */

void
validate_fmt(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;

	if (outsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
}

int
validate_purpose_parse(enum validate_purpose *out, const char *name)
{
	static const struct {
		const char *name;
		enum validate_purpose p;
	} tab[] = {
	    {"any", VALIDATE_PURPOSE_ANY},
	    {"signing", VALIDATE_PURPOSE_SIGNING},
	    {"email", VALIDATE_PURPOSE_EMAIL},
	    {"ssl-server", VALIDATE_PURPOSE_SSL_SERVER},
	    {"ssl-client", VALIDATE_PURPOSE_SSL_CLIENT},
	};
	size_t i;

	for (i = 0; name != NULL && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(name, tab[i].name) == 0) {
			*out = tab[i].p;
			return 0;
		}
	return sertel_err(SERTEL_EINVAL,
	                  "purpose '%s': expected signing, email, ssl-server "
	                  "or ssl-client",
	                  name ? name : "");
}

const char *
validate_purpose_name(enum validate_purpose p)
{
	switch (p) {
	case VALIDATE_PURPOSE_SIGNING: return "signing";
	case VALIDATE_PURPOSE_EMAIL: return "email";
	case VALIDATE_PURPOSE_SSL_SERVER: return "ssl-server";
	case VALIDATE_PURPOSE_SSL_CLIENT: return "ssl-client";
	default: return "any";
	}
}

const char *
validate_error_name(enum validate_error e)
{
	switch (e) {
	case VALIDATE_OK: return "ok";
	case VALIDATE_ERR_PATH: return "path";
	case VALIDATE_ERR_USAGE: return "usage";
	case VALIDATE_ERR_REVOKED: return "revoked";
	case VALIDATE_ERR_REVINFO: return "revocation-unknown";
	case VALIDATE_ERR_STALE: return "revocation-stale";
	case VALIDATE_ERR_LIMIT: return "limit";
	case VALIDATE_ERR_HOSTNAME: return "hostname";
	}
	return "unknown";
}

void
validate_name_text(char *out, size_t outsz, const X509_NAME *name)
{
	BIO *b;
	char *p;
	long n;
	size_t i, j = 0;

	out[0] = '\0';
	if (outsz == 0 || (b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >=
	        0 &&
	    (n = BIO_get_mem_data(b, &p)) > 0) {
		for (i = 0; i < (size_t)n && j + 1 < outsz; i++)
			out[j++] = (unsigned char)p[i] < 0x20 ? '?' : p[i];
		out[j] = '\0';
	}
	BIO_free(b);
	ERR_clear_error();
}

void
validate_name_label(char *out, size_t outsz, const X509_NAME *name)
{
	const X509_NAME_ENTRY *e;
	unsigned char *u = NULL;
	int loc, n, i;
	size_t j = 0;

	loc = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (loc < 0 || outsz < 8 || (e = X509_NAME_get_entry(name, loc)) == NULL ||
	    (n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e))) < 0) {
		validate_name_text(out, outsz, name);
		if (out[0] == '\0' && outsz > 8)
			validate_fmt(out, outsz, "(empty name)");
		ERR_clear_error();
		return;
	}
	memcpy(out, "CN=", 3);
	j = 3;
	for (i = 0; i < n && j + 1 < outsz; i++)
		out[j++] = u[i] < 0x20 ? '?' : (char)u[i];
	out[j] = '\0';
	OPENSSL_free(u);
}

/* ---- time --------------------------------------------------------------- */

int
validate_time_cmp(const ASN1_TIME *t, time_t at)
{
	if (t == NULL)
		return -2;
	return ASN1_TIME_cmp_time_t(t, at);
}

int
validate_time_to_epoch(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
		ERR_clear_error();
		return -1;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

void
validate_time_str(char out[40], const ASN1_TIME *t)
{
	int64_t e;
	char s[32];

	if (validate_time_to_epoch(&e, t) < 0) {
		validate_fmt(out, 40, "(bad time)");
		return;
	}
	time_fmt(s, e);
	validate_fmt(out, 40, "%s", s);
}

/* ---- certificates -------------------------------------------------------- */

int
validate_ku_parse(int *present, unsigned *ku, const ASN1_BIT_STRING *bs)
{
	int i;

	*present = 1;
	*ku = 0;
	for (i = 0; i < 9; i++)
		if (ASN1_BIT_STRING_get_bit(bs, i))
			*ku |= 1u << i;
	return 0;
}

static int
known_ext(int nid)
{
	switch (nid) {
	case NID_basic_constraints:
	case NID_key_usage:
	case NID_ext_key_usage:
	case NID_certificate_policies:
	case NID_policy_mappings:
	case NID_policy_constraints:
	case NID_inhibit_any_policy:
	case NID_name_constraints:
	case NID_subject_alt_name:
	case NID_issuer_alt_name:
	case NID_authority_key_identifier:
	case NID_subject_key_identifier:
	case NID_crl_distribution_points:
	case NID_freshest_crl:
	case NID_info_access:
	case NID_sinfo_access:
	case NID_id_pkix_OCSP_noCheck: return 1;
	default: return 0;
	}
}

/* An ASN1_INTEGER as a small non-negative count; -1 if negative. */
static long
small_count(const ASN1_INTEGER *a)
{
	int64_t v;

	if (!ASN1_INTEGER_get_int64(&v, a)) {
		ERR_clear_error();
		/* too big for 64 bits: only the sign matters */
		return ASN1_STRING_type(a) == V_ASN1_NEG_INTEGER ? -1 : 1000;
	}
	if (v < 0)
		return -1;
	return v > 1000 ? 1000 : (long)v;
}

#define BAD(vc, ...) validate_fmt((vc)->bad, sizeof((vc)->bad), __VA_ARGS__)

/* Decodes the extensions the validator processes (RFC 5280 4.2). */
static int
vcert_exts(struct vcert *vc)
{
	X509 *x = vc->x;
	const X509_EXTENSION *e;
	const ASN1_OBJECT *obj;
	BASIC_CONSTRAINTS *bc = NULL;
	ASN1_BIT_STRING *ku = NULL;
	POLICY_CONSTRAINTS *pc = NULL;
	ASN1_INTEGER *iap = NULL;
	char oid[80];
	int i, j, n, crit;

	n = X509_get_ext_count(x);
	if (n > 0 && vc->version != 3)
		BAD(vc,
		    "RFC 5280 4.1.2.9: extensions in a version %d "
		    "certificate",
		    vc->version);
	for (i = 0; i < n; i++) {
		e = X509_get_ext(x, i);
		obj = X509_EXTENSION_get_object((X509_EXTENSION *)e);
		for (j = 0; j < i; j++)
			if (OBJ_cmp(obj, X509_EXTENSION_get_object(X509_get_ext(x, j))) ==
			    0) {
				OBJ_obj2txt(oid, sizeof(oid), obj, 1);
				BAD(vc,
				    "RFC 5280 4.2: extension %s appears "
				    "twice",
				    oid);
			}
		if (X509_EXTENSION_get_critical(e) && !known_ext(OBJ_obj2nid(obj)) &&
		    vc->unknown_critical[0] == '\0')
			OBJ_obj2txt(vc->unknown_critical, sizeof(vc->unknown_critical),
			            obj, 1);
	}

	/* 4.2.1.9 */
	vc->pathlen = -1;
	bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	if (bc == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.9: malformed basicConstraints");
	if (bc != NULL) {
		vc->ca = bc->ca != 0;
		if (bc->pathlen != NULL) {
			vc->pathlen = small_count(bc->pathlen);
			if (vc->pathlen < 0)
				BAD(vc, "RFC 5280 4.2.1.9: negative "
				        "pathLenConstraint");
		}
	}
	/* 4.2.1.3 */
	ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
	if (ku == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.3: malformed keyUsage");
	if (ku != NULL)
		validate_ku_parse(&vc->ku_present, &vc->ku, ku);
	/* 4.2.1.12 */
	vc->eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
	if (vc->eku == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.12: malformed extKeyUsage");
	/* 4.2.1.4 */
	vc->policies = X509_get_ext_d2i(x, NID_certificate_policies, &crit, NULL);
	if (vc->policies == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.4: malformed certificatePolicies");
	if (vc->policies != NULL) {
		n = sk_POLICYINFO_num(vc->policies);
		if (n == 0 || n > VMAX_POLICIES_PER_CERT)
			BAD(vc, "RFC 5280 4.2.1.4: %d policies", n);
		for (i = 0; i < n && i < VMAX_POLICIES_PER_CERT; i++)
			for (j = 0; j < i; j++)
				if (OBJ_cmp(
				        sk_POLICYINFO_value(vc->policies, i)->policyid,
				        sk_POLICYINFO_value(vc->policies, j)->policyid) ==
				    0)
					BAD(vc, "RFC 5280 4.2.1.4: a policy "
					        "appears more than once");
	}
	/* 4.2.1.5 */
	vc->mappings = X509_get_ext_d2i(x, NID_policy_mappings, &crit, NULL);
	if (vc->mappings == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.5: malformed policyMappings");
	if (vc->mappings != NULL &&
	    (sk_POLICY_MAPPING_num(vc->mappings) == 0 ||
	     sk_POLICY_MAPPING_num(vc->mappings) > VMAX_MAPPINGS_PER_CERT))
		BAD(vc, "RFC 5280 4.2.1.5: %d policy mappings",
		    sk_POLICY_MAPPING_num(vc->mappings));
	/* 4.2.1.11 */
	vc->require_explicit = vc->inhibit_mapping = -1;
	pc = X509_get_ext_d2i(x, NID_policy_constraints, &crit, NULL);
	if (pc == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.11: malformed policyConstraints");
	if (pc != NULL) {
		if (pc->requireExplicitPolicy == NULL && pc->inhibitPolicyMapping == NULL)
			BAD(vc, "RFC 5280 4.2.1.11: empty policyConstraints");
		if (pc->requireExplicitPolicy != NULL)
			vc->require_explicit = small_count(pc->requireExplicitPolicy);
		if (pc->inhibitPolicyMapping != NULL)
			vc->inhibit_mapping = small_count(pc->inhibitPolicyMapping);
		if ((pc->requireExplicitPolicy != NULL && vc->require_explicit < 0) ||
		    (pc->inhibitPolicyMapping != NULL && vc->inhibit_mapping < 0))
			BAD(vc, "RFC 5280 4.2.1.11: negative SkipCerts");
	}
	/* 4.2.1.14 */
	vc->inhibit_any = -1;
	iap = X509_get_ext_d2i(x, NID_inhibit_any_policy, &crit, NULL);
	if (iap == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.14: malformed inhibitAnyPolicy");
	if (iap != NULL && (vc->inhibit_any = small_count(iap)) < 0)
		BAD(vc, "RFC 5280 4.2.1.14: negative SkipCerts");
	/* 4.2.1.10 */
	vc->nc = X509_get_ext_d2i(x, NID_name_constraints, &crit, NULL);
	if (vc->nc == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.10: malformed nameConstraints");
	if (vc->nc != NULL)
		validate_nc_supported(vc->nc, vc->nc_bad, sizeof(vc->nc_bad));
	/* 4.2.1.6 */
	vc->san = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	if (vc->san == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.6: malformed subjectAltName");
	if (vc->san != NULL && sk_GENERAL_NAME_num(vc->san) == 0)
		BAD(vc, "RFC 5280 4.2.1.6: empty subjectAltName");
	/* 4.2.1.13 */
	vc->crldp = X509_get_ext_d2i(x, NID_crl_distribution_points, &crit, NULL);
	if (vc->crldp == NULL && crit >= 0)
		BAD(vc, "RFC 5280 4.2.1.13: malformed cRLDistributionPoints");
	vc->ocsp_nocheck = X509_get_ext_by_NID(x, NID_id_pkix_OCSP_noCheck, -1) >= 0;
	vc->skid = X509_get_ext_d2i(x, NID_subject_key_identifier, &crit, NULL);
	vc->akid = X509_get_ext_d2i(x, NID_authority_key_identifier, &crit, NULL);

	BASIC_CONSTRAINTS_free(bc);
	ASN1_BIT_STRING_free(ku);
	POLICY_CONSTRAINTS_free(pc);
	ASN1_INTEGER_free(iap);
	ERR_clear_error();
	return 0;
}

static int
vcert_new(struct vcert **out, X509 *x, int anchor, size_t id)
{
	struct vcert *vc = NULL;
	ASN1_OBJECT *alg = NULL;
	X509_ALGOR *pa = NULL;
	const ASN1_OBJECT *po;
	const void *pv;
	unsigned int mdlen;
	int ptype, rc;

	*out = NULL;
	if ((vc = calloc(1, sizeof(*vc))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "validate: out of memory");
	if (!X509_up_ref(x)) {
		free(vc);
		return sertel_err_ossl(SERTEL_ECRYPTO, "validate: up_ref");
	}
	vc->x = x;
	vc->anchor = anchor;
	vc->id = id;
	if (!X509_digest(x, EVP_sha256(), vc->sha256, &mdlen)) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "validate: digest");
		goto fail;
	}
	validate_name_label(vc->label, sizeof(vc->label), X509_get_subject_name(x));
	if ((rc = validate_vname_init(&vc->subj, X509_get_subject_name(x))) < 0 ||
	    (rc = validate_vname_init(&vc->iss, X509_get_issuer_name(x))) < 0)
		goto fail;
	vc->self_issued = validate_vname_eq(&vc->subj, &vc->iss);
	vc->version = (int)X509_get_version(x) + 1;
	if (vc->version < 1 || vc->version > 3)
		BAD(vc, "RFC 5280 4.1.2.1: version %d", vc->version);
	if ((rc = vcert_exts(vc)) < 0)
		goto fail;

	/* The public key; a DSA key without domain parameters inherits them
	 * from its issuer (RFC 5280 6.1.4(e)-(f)), which OpenSSL cannot
	 * decode on its own. */
	if (X509_PUBKEY_get0_param(&alg, NULL, NULL, &pa, X509_get_X509_PUBKEY(x)) &&
	    (OBJ_obj2nid(alg) == NID_dsa || OBJ_obj2nid(alg) == NID_dsa_2)) {
		ptype = V_ASN1_UNDEF;
		if (pa != NULL)
			X509_ALGOR_get0(&po, &ptype, &pv, pa);
		if (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL)
			vc->key_inherits = 1;
	}
	if (!vc->key_inherits)
		vc->pkey = X509_get0_pubkey(x); /* NULL: unsupported */
	ERR_clear_error();
	*out = vc;
	return 0;
fail:
	vcert_free(vc);
	return rc;
}

static void
vcert_free(struct vcert *vc)
{
	if (vc == NULL)
		return;
	validate_vname_free(&vc->subj);
	validate_vname_free(&vc->iss);
	EXTENDED_KEY_USAGE_free(vc->eku);
	CERTIFICATEPOLICIES_free(vc->policies);
	sk_POLICY_MAPPING_pop_free(vc->mappings, POLICY_MAPPING_free);
	NAME_CONSTRAINTS_free(vc->nc);
	GENERAL_NAMES_free(vc->san);
	CRL_DIST_POINTS_free(vc->crldp);
	ASN1_OCTET_STRING_free(vc->skid);
	AUTHORITY_KEYID_free(vc->akid);
	X509_free(vc->x);
	free(vc);
}

/* Two certificates that assert the same thing: same subject, issuer and
 * key (RFC 4158 loop detection); byte-identical ones included. */
static int
same_cert(const struct vcert *a, const struct vcert *b)
{
	if (a == b || memcmp(a->sha256, b->sha256, 32) == 0)
		return 1;
	return validate_vname_eq(&a->subj, &b->subj) &&
	       validate_vname_eq(&a->iss, &b->iss) &&
	       X509_PUBKEY_eq(X509_get_X509_PUBKEY(a->x), X509_get_X509_PUBKEY(b->x)) ==
	           1;
}

/* ---- the input ----------------------------------------------------------- */

int
validate_input_new(struct validate_input **out)
{
	struct validate_input *in;

	*out = NULL;
	if ((in = calloc(1, sizeof(*in))) == NULL ||
	    (in->certs = calloc(VALIDATE_MAX_CERTS, sizeof(*in->certs))) == NULL ||
	    (in->crls = calloc(VALIDATE_MAX_CRLS, sizeof(*in->crls))) == NULL ||
	    (in->ocsp = calloc(VALIDATE_MAX_OCSP, sizeof(*in->ocsp))) == NULL ||
	    (in->untrusted = sk_X509_new_null()) == NULL) {
		validate_input_free(in);
		return sertel_err(SERTEL_ENOMEM, "validate: out of memory");
	}
	*out = in;
	return 0;
}

void
validate_input_free(struct validate_input *in)
{
	size_t i;

	if (in == NULL)
		return;
	for (i = 0; i < in->ncerts; i++)
		vcert_free(in->certs[i]);
	for (i = 0; i < in->ncrls; i++)
		validate_crl_free(in->crls[i]);
	for (i = 0; i < in->nocsp; i++)
		OCSP_RESPONSE_free(in->ocsp[i]);
	free(in->certs);
	free(in->crls);
	free(in->ocsp);
	sk_X509_pop_free(in->untrusted, X509_free);
	free(in);
}

static int
input_add_cert(struct validate_input *in, X509 *x, int anchor)
{
	unsigned char md[32];
	unsigned int mdlen;
	struct vcert *vc = NULL;
	size_t i;
	int rc;

	if (!X509_digest(x, EVP_sha256(), md, &mdlen))
		return sertel_err_ossl(SERTEL_ECRYPTO, "validate: digest");
	for (i = 0; i < in->ncerts; i++)
		if (memcmp(in->certs[i]->sha256, md, 32) == 0) {
			if (anchor)
				in->certs[i]->anchor = 1;
			return 0;
		}
	if (in->ncerts >= VALIDATE_MAX_CERTS)
		return sertel_err(SERTEL_ETOOBIG, "validate: more than %d certificates",
		                  VALIDATE_MAX_CERTS);
	if ((rc = vcert_new(&vc, x, anchor, in->ncerts)) < 0)
		return rc;
	if (!anchor) {
		if (!X509_up_ref(x) || !sk_X509_push(in->untrusted, x)) {
			X509_free(x);
			vcert_free(vc);
			return sertel_err(SERTEL_ENOMEM, "validate: out of memory");
		}
	}
	in->certs[in->ncerts++] = vc;
	return 0;
}

/* Keeps the CRLs newest first (by thisUpdate), so the first usable one
 * of a scope is the most recent. */
static int
input_add_crl(struct validate_input *in, X509_CRL *crl)
{
	struct vcrl *l = NULL;
	size_t i, at;
	int rc;

	if (in->ncrls >= VALIDATE_MAX_CRLS)
		return sertel_err(SERTEL_ETOOBIG, "validate: more than %d CRLs",
		                  VALIDATE_MAX_CRLS);
	if ((rc = validate_crl_parse(&l, crl)) < 0)
		return rc;
	at = in->ncrls;
	for (i = 0; i < in->ncrls; i++)
		if (ASN1_TIME_compare(X509_CRL_get0_lastUpdate(l->crl),
		                      X509_CRL_get0_lastUpdate(in->crls[i]->crl)) > 0) {
			at = i;
			break;
		}
	memmove(&in->crls[at + 1], &in->crls[at], (in->ncrls - at) * sizeof(in->crls[0]));
	in->crls[at] = l;
	in->ncrls++;
	return 0;
}

enum { K_ANCHOR, K_UNTRUSTED, K_CRL };

static int
looks_pem(const unsigned char *data, size_t len)
{
	static const char tag[] = "-----BEGIN ";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (memcmp(data + i, tag, sizeof(tag) - 1) == 0)
			return 1;
	return 0;
}

static int
input_parse(struct validate_input *in, const unsigned char *data, size_t len,
            const char *what, int kind)
{
	BIO *b = NULL;
	X509 *x = NULL;
	X509_CRL *crl = NULL;
	const unsigned char *p;
	unsigned long e;
	int rc = 0, count = 0;
	const char *noun = kind == K_CRL ? "CRL" : "certificate";

	if (what == NULL)
		what = "input";
	if (in == NULL || data == NULL)
		return sertel_err(SERTEL_EINVAL, "%s: no data", what);
	if (len > VALIDATE_MAX_INPUT)
		return sertel_err(SERTEL_ETOOBIG, "%s: over %d bytes", what,
		                  VALIDATE_MAX_INPUT);
	ERR_clear_error();
	if (!looks_pem(data, len)) {
		p = data;
		if (kind == K_CRL)
			crl = d2i_X509_CRL(NULL, &p, (long)len);
		else
			x = d2i_X509(NULL, &p, (long)len);
		if ((x == NULL && crl == NULL) || p != data + len) {
			rc = sertel_err_ossl(SERTEL_EINVAL, "%s: not a DER %s%s", what,
			                     noun, (x || crl) ? " (trailing bytes)" : "");
			goto out;
		}
		rc = kind == K_CRL ? input_add_crl(in, crl)
		                   : input_add_cert(in, x, kind == K_ANCHOR);
		goto out;
	}
	if ((b = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rc = sertel_err_ossl(SERTEL_ENOMEM, "%s: out of memory", what);
		goto out;
	}
	for (;;) {
		if (kind == K_CRL)
			crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
		else
			x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		if (x == NULL && crl == NULL) {
			e = ERR_peek_last_error();
			if (count > 0 && ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
				ERR_clear_error();
				break;
			}
			rc = sertel_err_ossl(SERTEL_EINVAL, "%s: %s %d is not valid PEM",
			                     what, noun, count + 1);
			goto out;
		}
		rc = kind == K_CRL ? input_add_crl(in, crl)
		                   : input_add_cert(in, x, kind == K_ANCHOR);
		X509_free(x);
		X509_CRL_free(crl);
		x = NULL;
		crl = NULL;
		if (rc < 0)
			goto out;
		count++;
	}
out:
	X509_free(x);
	X509_CRL_free(crl);
	BIO_free(b);
	return rc;
}

int
validate_input_add_anchors(struct validate_input *in, const unsigned char *data,
                           size_t len, const char *what)
{
	return input_parse(in, data, len, what, K_ANCHOR);
}

int
validate_input_add_untrusted(struct validate_input *in, const unsigned char *data,
                             size_t len, const char *what)
{
	return input_parse(in, data, len, what, K_UNTRUSTED);
}

int
validate_input_add_crls(struct validate_input *in, const unsigned char *data, size_t len,
                        const char *what)
{
	return input_parse(in, data, len, what, K_CRL);
}

int
validate_input_add_ocsp(struct validate_input *in, const unsigned char *data, size_t len,
                        const char *what)
{
	OCSP_RESPONSE *r = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	size_t dlen;
	int rc;

	if (what == NULL)
		what = "OCSP response";
	if (in == NULL || data == NULL || len == 0)
		return sertel_err(SERTEL_EINVAL, "%s: no data", what);
	if (len > VALIDATE_MAX_INPUT)
		return sertel_err(SERTEL_ETOOBIG, "%s: over %d bytes", what,
		                  VALIDATE_MAX_INPUT);
	if (data[0] != 0x30) { /* not DER: base64 of it */
		if (b64_decode(&der, &dlen, (const char *)data, len, 0) < 0)
			return sertel_err(SERTEL_EINVAL, "%s: neither DER nor base64",
			                  what);
		data = der;
		len = dlen;
	}
	p = data;
	r = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	if (r == NULL || p != data + len) {
		rc = sertel_err_ossl(SERTEL_EINVAL, "%s: not a DER OCSPResponse%s", what,
		                     r ? " (trailing bytes)" : "");
		goto out;
	}
	if (in->nocsp >= VALIDATE_MAX_OCSP) {
		rc = sertel_err(SERTEL_ETOOBIG, "validate: more than %d OCSP responses",
		                VALIDATE_MAX_OCSP);
		goto out;
	}
	in->ocsp[in->nocsp++] = r;
	r = NULL;
	rc = 0;
out:
	OCSP_RESPONSE_free(r);
	free(der);
	return rc;
}

int
validate_input_add_anchor_x509(struct validate_input *in, X509 *x)
{
	if (in == NULL || x == NULL)
		return sertel_err(SERTEL_EINVAL, "validate: no certificate");
	return input_add_cert(in, x, 1);
}

int
validate_input_add_untrusted_x509(struct validate_input *in, X509 *x)
{
	if (in == NULL || x == NULL)
		return sertel_err(SERTEL_EINVAL, "validate: no certificate");
	return input_add_cert(in, x, 0);
}

/* A private copy: the entry order of the DER matters for indirect CRLs
 * (RFC 5280 5.3.3) and OpenSSL sorts the entries of a CRL it looks up. */
int
validate_input_add_crl_x509(struct validate_input *in, X509_CRL *crl)
{
	unsigned char *der = NULL;
	int len, rc;

	if (in == NULL || crl == NULL)
		return sertel_err(SERTEL_EINVAL, "validate: no CRL");
	if ((len = i2d_X509_CRL(crl, &der)) <= 0)
		return sertel_err_ossl(SERTEL_EINVAL, "validate: CRL encoding");
	rc = input_parse(in, der, (size_t)len, "CRL", K_CRL);
	OPENSSL_free(der);
	return rc;
}

int
validate_input_add_ocsp_response(struct validate_input *in, OCSP_RESPONSE *resp)
{
	unsigned char *der = NULL;
	int len, rc;

	if (in == NULL || resp == NULL)
		return sertel_err(SERTEL_EINVAL, "validate: no OCSP response");
	if ((len = i2d_OCSP_RESPONSE(resp, &der)) <= 0)
		return sertel_err_ossl(SERTEL_EINVAL, "validate: OCSP response encoding");
	rc = validate_input_add_ocsp(in, der, (size_t)len, "OCSP response");
	OPENSSL_free(der);
	return rc;
}

void
validate_params_init(struct validate_params *p)
{
	memset(p, 0, sizeof(*p));
	p->at = time_now();
	p->purpose = VALIDATE_PURPOSE_ANY;
}

void
validate_result_free(struct validate_result *r)
{
	if (r == NULL)
		return;
	sk_X509_pop_free(r->chain, X509_free);
	r->chain = NULL;
}

/* ---- keys and signatures ------------------------------------------------- */

/* The working public key after certificate vc (RFC 5280 6.1.4(d)-(f)):
 * its own key, or for a DSA key without parameters, the key with the
 * parameters of the working key.  *owned says whether *out is the
 * caller's to free. */
static int
key_effective(EVP_PKEY **out, int *owned, const struct vcert *vc, EVP_PKEY *working,
              char *why, size_t whylen)
{
	const unsigned char *pk, *q;
	ASN1_INTEGER *ai = NULL;
	BIGNUM *y = NULL, *bp = NULL, *bq = NULL, *bg = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int pklen, rc = -1;

	*out = NULL;
	*owned = 0;
	if (!vc->key_inherits) {
		if (vc->pkey == NULL) {
			validate_fmt(why, whylen, "public key algorithm not supported");
			return -1;
		}
		*out = vc->pkey;
		return 0;
	}
	if (working == NULL || EVP_PKEY_get_base_id(working) != EVP_PKEY_DSA) {
		validate_fmt(why, whylen,
		             "RFC 5280 6.1.4(e): DSA key without parameters and "
		             "no DSA working key to inherit them from");
		return -1;
	}
	if (!X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL,
	                            X509_get_X509_PUBKEY(vc->x)) ||
	    (q = pk, ai = d2i_ASN1_INTEGER(NULL, &q, pklen)) == NULL || q != pk + pklen ||
	    (y = ASN1_INTEGER_to_BN(ai, NULL)) == NULL ||
	    !EVP_PKEY_get_bn_param(working, OSSL_PKEY_PARAM_FFC_P, &bp) ||
	    !EVP_PKEY_get_bn_param(working, OSSL_PKEY_PARAM_FFC_Q, &bq) ||
	    !EVP_PKEY_get_bn_param(working, OSSL_PKEY_PARAM_FFC_G, &bg) ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, bp) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_Q, bq) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, bg) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		validate_fmt(why, whylen,
		             "RFC 5280 6.1.4(e): cannot build the DSA key with "
		             "inherited parameters");
		goto out;
	}
	*out = pkey;
	*owned = 1;
	pkey = NULL;
	rc = 0;
out:
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	BN_free(bp);
	BN_free(bq);
	BN_free(bg);
	ASN1_INTEGER_free(ai);
	ERR_clear_error();
	return rc;
}

int
validate_sig_weak(const X509 *cert)
{
	int dnid = NID_undef, pknid = NID_undef;

	if (cert == NULL ||
	    !OBJ_find_sigid_algs(X509_get_signature_nid(cert), &dnid, &pknid))
		return 0;
	if (dnid == NID_sha1)
		return 1;
	if (dnid == NID_md5 || dnid == NID_md4 || dnid == NID_md2 || dnid == NID_md5_sha1)
		return 2;
	return 0;
}

int
validate_sig_ok(struct vctx *c, const struct vcert *child, const struct vcert *issuer,
                EVP_PKEY *key)
{
	size_t idx = child->id * c->sigdim + issuer->id;
	int cacheable, ok, shared;

	if (key == NULL)
		return 0;
	cacheable =
	    key == issuer->pkey && child->id < c->sigdim && issuer->id < c->sigdim;
	if (cacheable && c->sigcache[idx] != 0)
		return c->sigcache[idx] == 1;
	/* Across validations only for the issuer's own key: a DSA key whose
	 * parameters were inherited is not what its certificate says. */
	shared = key == issuer->pkey && EVP_PKEY_get_base_id(key) != EVP_PKEY_DSA;
	if (shared && sigcache_known('C', child->sha256, issuer->x)) {
		ok = 1;
	} else {
		ok = X509_verify(child->x, key) == 1;
		ERR_clear_error();
		if (ok && shared)
			sigcache_remember('C', child->sha256, issuer->x);
	}
	if (cacheable)
		c->sigcache[idx] = ok ? 1 : 2;
	return ok;
}

int
validate_crl_sig_ok(struct vctx *c, size_t li, const struct vcert *signer, EVP_PKEY *key)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t idx = 0;
	int cacheable, ok, shared;

	if (key == NULL)
		return 0;
	cacheable = signer != NULL && key == signer->pkey && signer->id < c->sigdim &&
	            li < c->in->ncrls && c->crlsig != NULL;
	if (cacheable) {
		idx = li * c->sigdim + signer->id;
		if (c->crlsig[idx] != 0)
			return c->crlsig[idx] == 1;
	}
	if (!validate_step(c))
		return 0;
	shared = signer != NULL && key == signer->pkey &&
	         EVP_PKEY_get_base_id(key) != EVP_PKEY_DSA &&
	         X509_CRL_digest(c->in->crls[li]->crl, EVP_sha256(), md, &mdlen) &&
	         mdlen == 32;
	if (shared && sigcache_known('L', md, signer->x)) {
		ok = 1;
	} else {
		ok = X509_CRL_verify(c->in->crls[li]->crl, key) == 1;
		if (ok && shared)
			sigcache_remember('L', md, signer->x);
	}
	ERR_clear_error();
	if (cacheable)
		c->crlsig[idx] = ok ? 1 : 2;
	return ok;
}

int
validate_step(struct vctx *c)
{
	if (c->steps_left == 0) {
		c->limit_hit = 1;
		return 0;
	}
	c->steps_left--;
	return 1;
}

/* ---- path building ------------------------------------------------------- */

static void
note_set(struct vnote *n, enum validate_error err, int index, const struct vcert *x,
         const char *fmt, ...)
{
	va_list ap;
	size_t len;

	n->err = err;
	n->index = index;
	n->intrinsic = 0;
	if (x != NULL)
		validate_fmt(n->reason, sizeof(n->reason), "cert %s: ", x->label);
	else
		n->reason[0] = '\0';
	len = strlen(n->reason);
	va_start(ap, fmt);
	vsnprintf(n->reason + len, sizeof(n->reason) - len, fmt, ap);
	va_end(ap);
}

static void
best_note(struct vbest *b, int rank, struct vcert *const *chain, size_t len,
          const struct vnote *n)
{
	if (b->set && rank <= b->rank)
		return;
	b->set = 1;
	b->rank = rank;
	b->note = *n;
	memcpy(b->c, chain, len * sizeof(chain[0]));
	b->len = len;
}

static void
vpath_keys_free(struct vpath *p)
{
	size_t i;

	for (i = 0; i < VALIDATE_MAX_DEPTH + 2; i++) {
		if (p->owned[i])
			EVP_PKEY_free(p->key[i]);
		p->key[i] = NULL;
		p->owned[i] = 0;
	}
}

static int
akid_match(const struct vcert *child, const struct vcert *parent)
{
	if (child->akid == NULL || child->akid->keyid == NULL || parent->skid == NULL)
		return 0;
	return ASN1_OCTET_STRING_cmp(child->akid->keyid, parent->skid) == 0;
}

/* Certificates whose subject is tip's issuer, best first. */
static size_t
candidates(struct vctx *c, const struct vcert *tip, unsigned short *out)
{
	int score[VALIDATE_MAX_CERTS];
	const struct vcert *x;
	size_t i, j, n = 0;
	int s;
	unsigned short t;

	for (i = 0; i < c->in->ncerts; i++) {
		x = c->in->certs[i];
		if (!validate_vname_eq(&x->subj, &tip->iss))
			continue;
		s = 0;
		if (x->anchor)
			s += 8;
		if (akid_match(tip, x))
			s += 4;
		if (validate_time_cmp(X509_get0_notBefore(x->x), c->at) <= 0 &&
		    validate_time_cmp(X509_get0_notAfter(x->x), c->at) >= 0)
			s += 2;
		/* insertion sort, stable: equal scores keep pool order */
		for (j = n; j > 0 && score[j - 1] < s; j--) {
			out[j] = out[j - 1];
			score[j] = score[j - 1];
		}
		t = (unsigned short)i;
		out[j] = t;
		score[j] = s;
		n++;
	}
	return n;
}

/*
 * Depth-first search from chain[len-1] towards a trust anchor (anchor_req
 * if set).  Returns 1 with *found when a path validated, 0 when none did
 * (best says why), <0 on errors.
 */
static int
path_extend(struct vctx *c, struct vcert **chain, size_t len,
            const struct vcert *anchor_req, const struct vopts *o, struct vbest *best,
            struct vpath *found)
{
	unsigned short cand[VALIDATE_MAX_CERTS];
	struct vcert *tip = chain[len - 1], *x;
	struct vnote note;
	char iname[VALIDATE_SUBJECT_MAX];
	size_t n, i, j, tried = 0;
	int rc, dup;

	n = candidates(c, tip, cand);
	for (i = 0; i < n; i++) {
		x = c->in->certs[cand[i]];
		if (!validate_step(c))
			return 0;
		for (dup = 0, j = 0; j < len && !dup; j++)
			dup = same_cert(chain[j], x);
		if (dup)
			continue;
		tried++;
		if (x->anchor && anchor_req != NULL && x != anchor_req) {
			note_set(&note, VALIDATE_ERR_PATH, (int)len - 1, tip,
			         "RFC 5280 6.3.3(f): the CRL issuer's path "
			         "must end at the trust anchor of the "
			         "certificate, not at %s",
			         x->label);
			best_note(best, 10 * (int)len, chain, len, &note);
			continue;
		}
		if (!x->anchor && len + 1 > c->max_depth) {
			note_set(&note, VALIDATE_ERR_PATH, (int)len - 1, tip,
			         "no path to a trust anchor within %u "
			         "certificates",
			         c->max_depth);
			best_note(best, 10 * (int)len + 1, chain, len, &note);
			continue;
		}
		/* RFC 5280 6.1.3(a)(1), early: a key that does not verify
		 * the signature cannot be the issuer.  Keys that inherit
		 * DSA parameters are checked once the path is known. */
		if (x->pkey != NULL && !validate_sig_ok(c, tip, x, x->pkey)) {
			note_set(&note, VALIDATE_ERR_PATH, (int)len - 1, tip,
			         "RFC 5280 6.1.3(a)(1): signature does not "
			         "verify with the key of %s%s",
			         x->anchor ? "trust anchor " : "", x->label);
			best_note(best, 10 * (int)len + 5, chain, len, &note);
			continue;
		}
		chain[len] = x;
		if (x->anchor)
			rc = path_try(c, chain, len + 1, o, best, found);
		else
			rc = path_extend(c, chain, len + 1, anchor_req, o, best, found);
		if (rc != 0)
			return rc;
		if (c->limit_hit || c->stop)
			return 0;
	}
	if (tried == 0) {
		if (tip->self_issued) {
			note_set(&note, VALIDATE_ERR_PATH, (int)len - 1, tip,
			         "RFC 5280 6.1: self-issued and not a trust "
			         "anchor");
		} else {
			validate_name_text(iname, sizeof(iname),
			                   X509_get_issuer_name(tip->x));
			note_set(&note, VALIDATE_ERR_PATH, (int)len - 1, tip,
			         "RFC 5280 6.1: no trust anchor or issuer "
			         "certificate for issuer %s",
			         iname);
		}
		best_note(best, 10 * (int)len, chain, len, &note);
	}
	return 0;
}

/* Validates one complete path. */
static int
path_try(struct vctx *c, struct vcert **chain, size_t len, const struct vopts *o,
         struct vbest *best, struct vpath *found)
{
	struct vpath *p = NULL;
	struct vnote note;
	int rc, progress = 0;

	if (!validate_step(c))
		return 0;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "validate: out of memory");
	memcpy(p->c, chain, len * sizeof(chain[0]));
	p->len = len;
	memset(&note, 0, sizeof(note));
	rc = path_process(c, p, o, &note, &progress);
	if (rc == 0)
		rc = path_revocation(c, p, &note, &progress);
	if (rc < 0)
		goto out;
	if (rc > 0) {
		best_note(best, 1000 + 10 * progress, chain, len, &note);
		if (note.intrinsic)
			c->stop = 1;
		rc = 0;
		goto out;
	}
	*found = *p;
	memset(p, 0, sizeof(*p)); /* the keys moved to *found */
	rc = 1;
out:
	if (p != NULL)
		vpath_keys_free(p);
	free(p);
	return rc;
}

static int
eku_has(const EXTENDED_KEY_USAGE *eku, const char *oid)
{
	char txt[80];
	int i;

	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(txt, sizeof(txt), sk_ASN1_OBJECT_value(eku, i), 1) > 0 &&
		    strcmp(txt, oid) == 0)
			return 1;
	}
	return 0;
}

/* extKeyUsage values acceptable for a purpose (RFC 5280 4.2.1.12). */
static int
eku_allows(const EXTENDED_KEY_USAGE *eku, enum validate_purpose p)
{
	if (eku == NULL || eku_has(eku, "2.5.29.37.0")) /* anyEKU */
		return 1;
	switch (p) {
	case VALIDATE_PURPOSE_SIGNING:
		return eku_has(eku, "1.3.6.1.5.5.7.3.36") ||    /* documentSign */
		       eku_has(eku, "1.3.6.1.5.5.7.3.4") ||     /* emailProtect */
		       eku_has(eku, "1.2.840.113583.1.1.5") ||  /* Adobe */
		       eku_has(eku, "1.3.6.1.4.1.311.10.3.12"); /* MS doc */
	case VALIDATE_PURPOSE_EMAIL: return eku_has(eku, "1.3.6.1.5.5.7.3.4");
	case VALIDATE_PURPOSE_SSL_SERVER: return eku_has(eku, "1.3.6.1.5.5.7.3.1");
	case VALIDATE_PURPOSE_SSL_CLIENT: return eku_has(eku, "1.3.6.1.5.5.7.3.2");
	default: return 1;
	}
}

static int
purpose_check(const struct vopts *o, struct vpath *p, struct vnote *note)
{
	const struct vcert *ee = p->c[0], *ca;
	unsigned need = 0;
	size_t k;

	switch (o->purpose) {
	case VALIDATE_PURPOSE_ANY: return 0;
	case VALIDATE_PURPOSE_SIGNING:
		need = VKU_DIGITAL_SIGNATURE | VKU_NON_REPUDIATION;
		break;
	case VALIDATE_PURPOSE_EMAIL:
		need = VKU_DIGITAL_SIGNATURE | VKU_NON_REPUDIATION |
		       VKU_KEY_ENCIPHERMENT | VKU_KEY_AGREEMENT;
		break;
	case VALIDATE_PURPOSE_SSL_SERVER:
		need = VKU_DIGITAL_SIGNATURE | VKU_KEY_ENCIPHERMENT | VKU_KEY_AGREEMENT;
		break;
	case VALIDATE_PURPOSE_SSL_CLIENT:
		need = VKU_DIGITAL_SIGNATURE | VKU_KEY_AGREEMENT;
		break;
	}
	if (ee->ku_present && (ee->ku & need) == 0) {
		note_set(note, VALIDATE_ERR_USAGE, 0, ee,
		         "RFC 5280 4.2.1.3: keyUsage does not allow %s",
		         validate_purpose_name(o->purpose));
		note->intrinsic = 1;
		return 1;
	}
	/* CA/B BR 7.1.2.7.10: a TLS server certificate asserts serverAuth;
	 * one without extKeyUsage (a document-encryption certificate, say)
	 * is not one (issue 18). */
	if (o->purpose == VALIDATE_PURPOSE_SSL_SERVER && ee->eku == NULL) {
		note_set(note, VALIDATE_ERR_USAGE, 0, ee,
		         "CA/B BR 7.1.2.7.10: no extKeyUsage, so not a TLS server "
		         "certificate (serverAuth required for ssl-server)");
		note->intrinsic = 1;
		return 1;
	}
	if (!eku_allows(ee->eku, o->purpose)) {
		note_set(note, VALIDATE_ERR_USAGE, 0, ee,
		         "RFC 5280 4.2.1.12: extKeyUsage does not allow %s",
		         validate_purpose_name(o->purpose));
		note->intrinsic = 1;
		return 1;
	}
	/* A CA certificate restricted by extKeyUsage constrains what it
	 * certifies (common practice, not RFC 5280). */
	for (k = 1; k + 1 < p->len; k++) {
		ca = p->c[k];
		if (!eku_allows(ca->eku, o->purpose)) {
			note_set(note, VALIDATE_ERR_USAGE, (int)k, ca,
			         "extKeyUsage of the CA does not allow %s",
			         validate_purpose_name(o->purpose));
			return 1;
		}
	}
	return 0;
}

#define FAIL(k, ...)                                                                     \
	do {                                                                             \
		int intr_ = note->intrinsic;                                             \
		note_set(note, VALIDATE_ERR_PATH, (int)(k), p->c[k], __VA_ARGS__);       \
		note->intrinsic = intr_;                                                 \
		rc = 1;                                                                  \
		goto out;                                                                \
	} while (0)

/*
 * RFC 5280 6.1: basic path processing of p (certificate i of the RFC is
 * p->c[n - i], the trust anchor p->c[n]).  0 valid, 1 invalid (note
 * filled; *progress is how far it got), <0 on errors.
 */
static int
path_process(struct vctx *c, struct vpath *p, const struct vopts *o, struct vnote *note,
             int *progress)
{
	struct vpolicy *g = NULL;
	const NAME_CONSTRAINTS *ncs[VALIDATE_MAX_DEPTH + 1];
	const struct vcert *ncfrom[VALIDATE_MAX_DEPTH + 1];
	const struct vcert *anchor, *x, *iss;
	EVP_PKEY *working;
	char why[VWHY_MAX], t[40];
	size_t n = p->len - 1, i, k, nnc = 0, j;
	long explicit_policy, inhibit_any, policy_mapping, max_path_length;
	int rc = 0, nonempty, r;

	anchor = p->c[n];
	*progress = 0;
	/* 6.1.2 initialisation */
	if (anchor->pkey == NULL)
		FAIL(n, "trust anchor public key cannot be used");
	p->key[n] = anchor->pkey;
	working = anchor->pkey;
	explicit_policy = o->explicit_policy ? 0 : (long)n + 1;
	inhibit_any = o->inhibit_any ? 0 : (long)n + 1;
	policy_mapping = o->inhibit_mapping ? 0 : (long)n + 1;
	max_path_length = (long)n;
	if (n == 0) {
		/* The target is itself a trust anchor. */
		x = p->c[0];
		if (validate_time_cmp(X509_get0_notBefore(x->x), c->at) > 0 ||
		    validate_time_cmp(X509_get0_notAfter(x->x), c->at) < 0)
			FAIL(0, "trust anchor used as the target is not valid "
			        "at the validation time");
		rc = purpose_check(o, p, note);
		goto out;
	}
	if ((rc = validate_policy_new(&g, n)) < 0)
		goto out;

	for (i = 1; i <= n; i++) {
		k = n - i;
		x = p->c[k];
		iss = p->c[k + 1];
		*progress = (int)i - 1;
		if (x->bad[0] != '\0') {
			note->intrinsic = k == 0;
			FAIL(k, "%s", x->bad);
		}
		/* 6.1.3(a)(1) */
		if (!validate_sig_ok(c, x, iss, working))
			FAIL(k,
			     "RFC 5280 6.1.3(a)(1): signature does not verify "
			     "with the key of %s",
			     iss->label);
		/* Issue 18: a weak digest makes the signature no proof
		 * (SHAttered 2017, chosen-prefix SHA-1 collisions 2020). */
		if ((r = validate_sig_weak(x->x)) == 2 || (r == 1 && !c->p->allow_sha1))
			FAIL(k,
			     "signed with %s: refused (a collision-prone digest; "
			     "[verify] allow_sha1 accepts SHA-1 for historic documents)",
			     r == 1 ? "SHA-1" : "MD5/MD4/MD2");
		/* 6.1.3(a)(2) */
		r = validate_time_cmp(X509_get0_notBefore(x->x), c->at);
		if (r > 0 || r == -2) {
			validate_time_str(t, X509_get0_notBefore(x->x));
			note->intrinsic = k == 0;
			FAIL(k, "RFC 5280 6.1.3(a)(2): not valid before %s", t);
		}
		r = validate_time_cmp(X509_get0_notAfter(x->x), c->at);
		if (r < 0) {
			validate_time_str(t, X509_get0_notAfter(x->x));
			note->intrinsic = k == 0;
			FAIL(k, "RFC 5280 6.1.3(a)(2): expired at %s", t);
		}
		/* 6.1.3(a)(4) */
		if (!validate_vname_eq(&x->iss, &iss->subj))
			FAIL(k,
			     "RFC 5280 6.1.3(a)(4): issuer name does not "
			     "match the subject of %s",
			     iss->label);
		/* 6.1.3(b)(c): self-issued intermediates are exempt */
		if (!x->self_issued || i == n) {
			for (j = 0; j < nnc; j++)
				if (validate_nc_check(ncs[j], x, why, sizeof(why)) < 0)
					FAIL(k,
					     "RFC 5280 6.1.3(b)(c): %s (name "
					     "constraints of %s)",
					     why, ncfrom[j]->label);
		}
		/* 6.1.3(d)(e) */
		rc = validate_policy_cert(g, i, x->policies,
		                          inhibit_any > 0 || (i < n && x->self_issued));
		if (rc < 0) {
			rc = 0;
			FAIL(k, "%s", sertel_errmsg());
		}
		/* 6.1.3(f) */
		if (explicit_policy == 0 && validate_policy_is_null(g))
			FAIL(k, "RFC 5280 6.1.3(f): no valid certificate "
			        "policy and an explicit policy is required");
		/* 6.1.4(o), 6.1.5(f) */
		if (x->unknown_critical[0] != '\0') {
			note->intrinsic = k == 0;
			FAIL(k,
			     "RFC 5280 4.2: unsupported critical extension "
			     "%s",
			     x->unknown_critical);
		}
		/* 6.1.4(d)-(f), 6.1.5(c)-(e): the key for what follows */
		if (key_effective(&p->key[k], &p->owned[k], x, working, why,
		                  sizeof(why)) < 0 &&
		    i < n)
			FAIL(k, "%s", why);

		if (i == n)
			break;
		/* 6.1.4 preparation for certificate i+1 */
		for (r = 0; r < sk_POLICY_MAPPING_num(x->mappings); r++) {
			const POLICY_MAPPING *m = sk_POLICY_MAPPING_value(x->mappings, r);

			if (OBJ_obj2nid(m->issuerDomainPolicy) == NID_any_policy ||
			    OBJ_obj2nid(m->subjectDomainPolicy) == NID_any_policy)
				FAIL(k, "RFC 5280 6.1.4(a): policy mapping to "
				        "or from anyPolicy");
		}
		if ((rc = validate_policy_map(g, i, x->mappings, policy_mapping > 0)) <
		    0) {
			rc = 0;
			FAIL(k, "%s", sertel_errmsg());
		}
		working = p->key[k]; /* (c)-(f) */
		/* (g) */
		if (x->nc != NULL) {
			if (x->nc_bad[0] != '\0')
				FAIL(k, "%s", x->nc_bad);
			ncs[nnc] = x->nc;
			ncfrom[nnc++] = x;
		}
		/* (h) */
		if (!x->self_issued) {
			if (explicit_policy > 0)
				explicit_policy--;
			if (policy_mapping > 0)
				policy_mapping--;
			if (inhibit_any > 0)
				inhibit_any--;
		}
		/* (i) */
		if (x->require_explicit >= 0 && x->require_explicit < explicit_policy)
			explicit_policy = x->require_explicit;
		if (x->inhibit_mapping >= 0 && x->inhibit_mapping < policy_mapping)
			policy_mapping = x->inhibit_mapping;
		/* (j) */
		if (x->inhibit_any >= 0 && x->inhibit_any < inhibit_any)
			inhibit_any = x->inhibit_any;
		/* (k) */
		if (x->version != 3 || !x->ca)
			FAIL(k, "RFC 5280 6.1.4(k): not a CA certificate "
			        "(basicConstraints cA is not set)");
		/* (l) */
		if (!x->self_issued) {
			if (max_path_length <= 0)
				FAIL(k, "RFC 5280 4.2.1.9: pathLenConstraint "
				        "exceeded");
			max_path_length--;
		}
		/* (m) */
		if (x->pathlen >= 0 && x->pathlen < max_path_length)
			max_path_length = x->pathlen;
		/* (n) */
		if (x->ku_present && !(x->ku & VKU_KEY_CERT_SIGN))
			FAIL(k, "RFC 5280 6.1.4(n): keyUsage does not allow "
			        "keyCertSign");
	}

	/* 6.1.5 wrap-up for the target, p->c[0] */
	x = p->c[0];
	*progress = (int)n;
	if (explicit_policy > 0) /* (a) */
		explicit_policy--;
	if (x->require_explicit == 0) /* (b) */
		explicit_policy = 0;
	/* (g) */
	nonempty = validate_policy_final(g, o->user, o->nuser, p->pol,
	                                 VALIDATE_MAX_POLICIES, &p->npol);
	if (explicit_policy == 0 && !nonempty)
		FAIL(0, "RFC 5280 6.1.5(g): no certificate policy acceptable "
		        "to the user and an explicit policy is required");
	if (!nonempty)
		p->npol = 0;
	rc = purpose_check(o, p, note);
out:
	validate_policy_free(g);
	return rc;
}

#undef FAIL

/* ---- revocation ---------------------------------------------------------- */

static int
in_revstack(const struct vctx *c, const struct vcert *x)
{
	size_t i;

	for (i = 0; i < c->nrev; i++)
		if (same_cert(c->revstack[i], x))
			return 1;
	return 0;
}

/* The status of x from the OCSP responses and the CRLs given; a revoked
 * verdict from either wins. */
static int
rev_status(struct vctx *c, const struct vcert *x, const struct vcert *iss, EVP_PKEY *ikey,
           const struct vcert *anchor, struct vrev *st)
{
	struct validate_ocsp_result r;
	struct vrev crl;
	size_t i;
	int rc, stale, good = 0;
	char t[32];

	for (i = 0; i < c->in->nocsp; i++) {
		if (OCSP_response_status(c->in->ocsp[i]) !=
		    OCSP_RESPONSE_STATUS_SUCCESSFUL)
			continue; /* about no certificate at all */
		if (c->steps_left == 0) {
			c->limit_hit = 1;
			validate_rev_problem(st, 0, "search limit reached");
			break;
		}
		stale = 0;
		rc = validate_ocsp_check(&r, c->in->ocsp[i], x->x, iss->x, ikey,
		                         c->in->untrusted, c->at, &stale);
		if (rc == SERTEL_ENOTFOUND)
			continue;
		validate_step(c); /* a signature was checked */
		if (rc == SERTEL_EINVALID) {
			validate_rev_problem(st, stale, "OCSP response %zu: %s", i + 1,
			                     sertel_errmsg());
			continue;
		}
		if (rc < 0)
			return rc;
		if (r.status == VALIDATE_OCSP_REVOKED && r.revoked_at > (int64_t)c->at) {
			good = 1; /* revoked only after the time */
			continue;
		}
		if (r.status == VALIDATE_OCSP_REVOKED) {
			st->status = VREV_REVOKED;
			st->reason = r.reason;
			time_fmt(t, r.revoked_at);
			validate_fmt(st->when, sizeof(st->when), "%s", t);
			validate_fmt(st->source, sizeof(st->source),
			             "OCSP response %zu%s", i + 1,
			             r.delegated ? " (delegated responder)" : "");
			return 0;
		}
		if (r.status == VALIDATE_OCSP_GOOD)
			good = 1;
		else
			validate_rev_problem(st, 0,
			                     "OCSP response %zu: the responder does "
			                     "not know the certificate (RFC 6960 "
			                     "2.2 unknown)",
			                     i + 1);
	}

	memset(&crl, 0, sizeof(crl));
	if ((rc = validate_crl_status(c, x, iss, ikey, anchor, &crl)) < 0)
		return rc;
	if (crl.status == VREV_REVOKED) {
		*st = crl;
		return 0;
	}
	if (good || crl.status == VREV_GOOD) {
		st->status = VREV_GOOD;
		return 0;
	}
	st->status = VREV_UNKNOWN;
	st->problem += crl.problem;
	st->stale += crl.stale;
	if (st->why[0] == '\0')
		validate_fmt(st->why, sizeof(st->why), "%s", crl.why);
	return 0;
}

static int
rev_cached(struct vctx *c, const struct vcert *x, const struct vcert *iss,
           const struct vcert *anchor, struct vrev *st)
{
	size_t i;

	if (c->nrev != 0)
		return 0;
	for (i = 0; i < c->nrevc; i++)
		if (c->rev[i].x == x && c->rev[i].iss == iss &&
		    c->rev[i].anchor == anchor) {
			*st = c->rev[i].st;
			return 1;
		}
	return 0;
}

static void
rev_store(struct vctx *c, const struct vcert *x, const struct vcert *iss,
          const struct vcert *anchor, const struct vrev *st)
{
	struct vrevcache *nr;
	size_t cap;

	if (c->nrevc == c->caprevc) {
		if (c->caprevc >= VREVCACHE_MAX)
			return;
		cap = c->caprevc ? c->caprevc * 2 : 16;
		if ((nr = realloc(c->rev, cap * sizeof(*nr))) == NULL)
			return; /* only a cache */
		c->rev = nr;
		c->caprevc = cap;
	}
	c->rev[c->nrevc].x = x;
	c->rev[c->nrevc].iss = iss;
	c->rev[c->nrevc].anchor = anchor;
	c->rev[c->nrevc].st = *st;
	c->nrevc++;
}

/* RFC 5280 6.1.3(a)(3) for every certificate below the anchor, top down.
 * Certificates whose status an enclosing check is determining (a CRL
 * issuer checked with its own CRL, RFC 5280 6.3.3(f)) are skipped. */
static int
path_revocation(struct vctx *c, struct vpath *p, struct vnote *note, int *progress)
{
	size_t n = p->len - 1, i, k;
	const struct vcert *x;
	struct vrev st;
	int rc, top;

	for (i = 1; i <= n; i++) {
		k = n - i;
		x = p->c[k];
		*progress = (int)(n + i);
		if (in_revstack(c, x))
			continue;
		memset(&st, 0, sizeof(st));
		if ((rc = rev_cached(c, x, p->c[k + 1], p->c[n], &st)) > 0) {
			/* the same question was answered for another path */
		} else if (c->nrev >= VALIDATE_REV_DEPTH) {
			validate_rev_problem(&st, 0,
			                     "CRL issuer paths nested more than %d "
			                     "deep",
			                     VALIDATE_REV_DEPTH);
		} else {
			top = c->nrev == 0;
			c->revstack[c->nrev++] = x;
			rc = rev_status(c, x, p->c[k + 1], p->key[k + 1], p->c[n], &st);
			c->nrev--;
			if (rc < 0)
				return rc;
			/* Only top-level verdicts are context-free: nested
			 * ones may have skipped certificates on the stack.
			 * A key that inherits DSA parameters depends on the
			 * path above; an exhausted budget is no verdict. */
			if (top && !p->c[k + 1]->key_inherits && !c->limit_hit)
				rev_store(c, x, p->c[k + 1], p->c[n], &st);
		}
		if (st.status == VREV_REVOKED) {
			note_set(note, VALIDATE_ERR_REVOKED, (int)k, x,
			         "RFC 5280 6.1.3(a)(3): revoked at %s, "
			         "reason %s, according to %s",
			         st.when, revoke_reason_name(st.reason), st.source);
			return 1;
		}
		if (st.status == VREV_GOOD)
			continue;
		if (c->p->require_revocation || st.problem > 0) {
			note_set(note,
			         st.problem > 0 && st.stale == st.problem
			             ? VALIDATE_ERR_STALE
			             : VALIDATE_ERR_REVINFO,
			         (int)k, x,
			         "RFC 5280 6.3.3: revocation status not "
			         "determined: %s",
			         st.why[0] ? st.why : "no CRL or OCSP response for it");
			return 1;
		}
	}
	return 0;
}

int
validate_signer_path(struct vctx *c, const struct vcert *signer,
                     const struct vcert *anchor, EVP_PKEY **key, char *why, size_t whylen)
{
	struct vcert *chain[VALIDATE_MAX_DEPTH + 2];
	struct vbest *best = NULL;
	struct vpath *found = NULL;
	struct vopts o;
	int rc, stop;

	*key = NULL;
	if (signer == anchor || same_cert(signer, anchor)) {
		if (anchor->pkey == NULL || !EVP_PKEY_up_ref(anchor->pkey)) {
			validate_fmt(why, whylen, "trust anchor key unusable");
			return SERTEL_EINVALID;
		}
		*key = anchor->pkey;
		return 0;
	}
	memset(&o, 0, sizeof(o));
	if ((best = calloc(1, sizeof(*best))) == NULL ||
	    (found = calloc(1, sizeof(*found))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "validate: out of memory");
		goto out;
	}
	chain[0] = (struct vcert *)signer;
	stop = c->stop; /* the signer's own faults stop only its search */
	c->stop = 0;
	rc = path_extend(c, chain, 1, anchor, &o, best, found);
	c->stop = stop;
	if (rc < 0)
		goto out;
	if (rc == 0) {
		validate_fmt(why, whylen, "%s",
		             c->limit_hit ? "search limit reached"
		             : best->set  ? best->note.reason
		                          : "no path to the trust anchor");
		rc = SERTEL_EINVALID;
		goto out;
	}
	if (found->owned[0]) {
		*key = found->key[0];
		found->owned[0] = 0;
		found->key[0] = NULL;
	} else if (found->key[0] != NULL && EVP_PKEY_up_ref(found->key[0])) {
		*key = found->key[0];
	} else {
		validate_fmt(why, whylen, "CRL issuer key unusable");
		rc = SERTEL_EINVALID;
		goto out;
	}
	rc = 0;
out:
	if (found != NULL)
		vpath_keys_free(found);
	free(found);
	free(best);
	return rc;
}

/* ---- the entry points ---------------------------------------------------- */

static void
cert_info(struct validate_cert_info *ci, const struct vcert *vc)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(vc->x);
	BIGNUM *bn = NULL;
	char *hex = NULL;
	size_t i, j = 0;

	validate_name_text(ci->subject, sizeof(ci->subject),
	                   X509_get_subject_name(vc->x));
	validate_name_text(ci->issuer, sizeof(ci->issuer), X509_get_issuer_name(vc->x));
	ci->serial[0] = '\0';
	if ((bn = ASN1_INTEGER_to_BN(serial, NULL)) != NULL &&
	    (hex = BN_bn2hex(bn)) != NULL) {
		for (i = 0; hex[i] != '\0' && j + 1 < sizeof(ci->serial); i++)
			ci->serial[j++] = (hex[i] >= 'A' && hex[i] <= 'F')
			                      ? (char)(hex[i] + 32)
			                      : hex[i];
		ci->serial[j] = '\0';
	}
	OPENSSL_free(hex);
	BN_free(bn);
	hex_encode(ci->sha256, vc->sha256, 32);
	ci->anchor = vc->anchor;
	ERR_clear_error();
}

static void
result_fill(struct validate_result *out, struct vcert *const *chain, size_t len)
{
	size_t i;

	out->path_len = 0;
	if ((out->chain = sk_X509_new_null()) == NULL)
		return;
	for (i = 0; i < len && i < VALIDATE_MAX_DEPTH + 1; i++) {
		cert_info(&out->path[i], chain[i]);
		out->path_len++;
		if (X509_up_ref(chain[i]->x) && !sk_X509_push(out->chain, chain[i]->x))
			X509_free(chain[i]->x);
	}
}

int
validate_cert(struct validate_result *out, const unsigned char *cert, size_t len,
              const struct validate_params *p)
{
	X509 *x = NULL;
	BIO *b = NULL;
	const unsigned char *q = cert;
	int rc;

	memset(out, 0, sizeof(*out));
	out->failing_index = -1;
	if (cert == NULL || len == 0) {
		rc = sertel_err(SERTEL_EINVAL, "certificate: no data");
		goto fail;
	}
	if (len > VALIDATE_MAX_INPUT) {
		rc = sertel_err(SERTEL_ETOOBIG, "certificate: over %d bytes",
		                VALIDATE_MAX_INPUT);
		goto fail;
	}
	if (looks_pem(cert, len)) {
		if ((b = BIO_new_mem_buf(cert, (int)len)) != NULL)
			x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	} else {
		x = d2i_X509(NULL, &q, (long)len);
		if (x != NULL && q != cert + len) {
			X509_free(x);
			x = NULL;
		}
	}
	BIO_free(b);
	if (x == NULL) {
		rc = sertel_err_ossl(SERTEL_EINVAL, "certificate: not a PEM or DER "
		                                    "certificate");
		goto fail;
	}
	rc = validate_cert_x509(out, x, p);
	X509_free(x);
	return rc;
fail:
	validate_fmt(out->reason, sizeof(out->reason), "%s", sertel_errmsg());
	return rc;
}

int
validate_cert_x509(struct validate_result *out, X509 *cert,
                   const struct validate_params *p)
{
	struct vctx c;
	struct vopts o;
	struct vcert *target = NULL, *chain[VALIDATE_MAX_DEPTH + 2];
	struct vbest *best = NULL;
	struct vpath *found = NULL;
	ASN1_OBJECT *user[VALIDATE_MAX_POLICIES];
	size_t i, nuser = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->failing_index = -1;
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	if (p == NULL || p->input == NULL || cert == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "validate: no input");
		goto fail;
	}
	if (p->npolicies > VALIDATE_MAX_POLICIES) {
		rc = sertel_err(SERTEL_EINVAL, "validate: over %d policies",
		                VALIDATE_MAX_POLICIES);
		goto fail;
	}
	for (nuser = 0; nuser < p->npolicies; nuser++) {
		if (p->policies[nuser] == NULL ||
		    (user[nuser] = OBJ_txt2obj(p->policies[nuser], 1)) == NULL) {
			rc = sertel_err(SERTEL_EINVAL,
			                "validate: policy '%s' is not a "
			                "dotted OID",
			                p->policies[nuser] ? p->policies[nuser] : "");
			ERR_clear_error();
			goto fail;
		}
		if (OBJ_obj2nid(user[nuser]) == NID_any_policy) {
			/* anyPolicy in the set: the set is anyPolicy */
			ASN1_OBJECT_free(user[nuser]);
			while (nuser > 0)
				ASN1_OBJECT_free(user[--nuser]);
			break;
		}
	}
	c.in = p->input;
	c.p = p;
	c.at = (time_t)p->at;
	c.max_depth = p->max_depth ? p->max_depth : VALIDATE_MAX_DEPTH;
	if (c.max_depth > VALIDATE_MAX_DEPTH)
		c.max_depth = VALIDATE_MAX_DEPTH;
	c.steps_left = p->max_steps ? p->max_steps : VALIDATE_DEFAULT_STEPS;
	c.sigdim = c.in->ncerts + 1;
	if ((c.sigcache = calloc(c.sigdim * c.sigdim, 1)) == NULL ||
	    (c.crlsig = calloc(c.in->ncrls * c.sigdim + 1, 1)) == NULL ||
	    (best = calloc(1, sizeof(*best))) == NULL ||
	    (found = calloc(1, sizeof(*found))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "validate: out of memory");
		goto fail;
	}
	if ((rc = vcert_new(&target, cert, 0, c.in->ncerts)) < 0)
		goto fail;
	o.purpose = p->purpose;
	o.user = nuser ? user : NULL;
	o.nuser = nuser;
	o.explicit_policy = p->initial_explicit_policy;
	o.inhibit_mapping = p->initial_policy_mapping_inhibit;
	o.inhibit_any = p->initial_any_policy_inhibit;

	/* A target that is a trust anchor is its own path. */
	rc = 0;
	for (i = 0; i < c.in->ncerts; i++)
		if (c.in->certs[i]->anchor &&
		    memcmp(c.in->certs[i]->sha256, target->sha256, 32) == 0) {
			chain[0] = c.in->certs[i];
			rc = path_try(&c, chain, 1, &o, best, found);
			break;
		}
	if (i == c.in->ncerts) {
		chain[0] = target;
		rc = path_extend(&c, chain, 1, NULL, &o, best, found);
	}
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		out->valid = 1;
		out->error = VALIDATE_OK;
		result_fill(out, found->c, found->len);
		for (i = 0; i < found->npol; i++)
			memcpy(out->policies[i], found->pol[i], 64);
		out->npolicies = found->npol;
		rc = 0;
		goto out;
	}
	out->valid = 0;
	if (c.limit_hit) {
		out->error = VALIDATE_ERR_LIMIT;
		validate_fmt(out->reason, sizeof(out->reason),
		             "cert %s: search limit of %u steps reached before a "
		             "valid path was found%s%s",
		             target->label,
		             p->max_steps ? p->max_steps : VALIDATE_DEFAULT_STEPS,
		             best->set ? "; last problem: " : "",
		             best->set ? best->note.reason : "");
		result_fill(out, best->set ? best->c : chain, best->set ? best->len : 1);
	} else if (best->set) {
		out->error = best->note.err;
		validate_fmt(out->reason, sizeof(out->reason), "%s", best->note.reason);
		result_fill(out, best->c, best->len);
		out->failing_index = best->note.index;
	} else {
		out->error = VALIDATE_ERR_PATH;
		validate_fmt(out->reason, sizeof(out->reason),
		             "cert %s: RFC 5280 6.1: no path to a trust anchor",
		             target->label);
		result_fill(out, chain, 1);
		out->failing_index = 0;
	}
	rc = sertel_err(SERTEL_EINVALID, "%s", out->reason);
	goto out;
fail:
	validate_fmt(out->reason, sizeof(out->reason), "%s", sertel_errmsg());
out:
	if (found != NULL)
		vpath_keys_free(found);
	free(found);
	free(best);
	free(c.sigcache);
	free(c.crlsig);
	free(c.rev);
	vcert_free(target);
	for (i = 0; i < nuser; i++)
		ASN1_OBJECT_free(user[i]);
	return rc;
}
