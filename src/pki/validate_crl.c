/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRL processing for the path validator (RFC 5280 6.3): issuer and scope
 * of each CRL against each distribution point of the certificate
 * (issuingDistributionPoint, onlySomeReasons, indirect CRLs with
 * certificateIssuer entries), the CRL issuer's own path to the same trust
 * anchor, delta CRLs, removeFromCRL, and the CRL's validity times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "pki/validate_int.h"

/* ReasonFlags (RFC 5280 4.2.1.13) keyCompromise .. aACompromise */
#define ALL_REASONS 0x1feu

static unsigned reasons_mask(const ASN1_BIT_STRING *bs);
static int known_crl_ext(int nid);
static int known_entry_ext(int nid);
static int entries_check(struct vcrl *l);
static int crl_signer(struct vctx *c, size_t li, const struct vcrl *l,
                      const struct vcert *iss, EVP_PKEY *ikey, const struct vcert *anchor,
                      EVP_PKEY **key, char *why, size_t whylen);
static const struct vcrl *find_delta(struct vctx *c, const struct vcrl *base,
                                     EVP_PKEY *key);
static int lookup(struct vctx *c, const struct vcrl *l, const struct vcert *x,
                  int *reason, const ASN1_TIME **when, int *after);

static unsigned
reasons_mask(const ASN1_BIT_STRING *bs)
{
	unsigned m = 0;
	int i;

	for (i = 1; i <= 8; i++)
		if (ASN1_BIT_STRING_get_bit(bs, i))
			m |= 1u << i;
	return m;
}

static int
known_crl_ext(int nid)
{
	switch (nid) {
	case NID_authority_key_identifier:
	case NID_issuer_alt_name:
	case NID_crl_number:
	case NID_delta_crl:
	case NID_issuing_distribution_point:
	case NID_freshest_crl:
	case NID_info_access: return 1;
	default: return 0;
	}
}

static int
known_entry_ext(int nid)
{
	switch (nid) {
	case NID_crl_reason:
	case NID_invalidity_date:
	case NID_certificate_issuer:
	case NID_hold_instruction_code: return 1;
	default: return 0;
	}
}

#define BAD(l, ...) validate_fmt((l)->bad, sizeof((l)->bad), __VA_ARGS__)

/* RFC 5280 5.3: a CRL with a critical entry extension we cannot process
 * must not be used at all. */
static int
entries_check(struct vcrl *l)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(l->crl);
	const STACK_OF(X509_EXTENSION) * exts;
	X509_EXTENSION *e;
	ASN1_ENUMERATED *reason;
	X509_REVOKED *r;
	char oid[80];
	long v;
	int i, j, crit;

	for (i = 0; i < sk_X509_REVOKED_num(revs); i++) {
		r = sk_X509_REVOKED_value(revs, i);
		exts = X509_REVOKED_get0_extensions(r);
		for (j = 0; j < sk_X509_EXTENSION_num(exts); j++) {
			e = sk_X509_EXTENSION_value(exts, j);
			if (X509_EXTENSION_get_critical(e) &&
			    !known_entry_ext(OBJ_obj2nid(X509_EXTENSION_get_object(e)))) {
				OBJ_obj2txt(oid, sizeof(oid),
				            X509_EXTENSION_get_object(e), 1);
				BAD(l,
				    "RFC 5280 5.3: unsupported critical "
				    "entry extension %s",
				    oid);
				return 0;
			}
		}
		reason = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, &crit, NULL);
		if (reason == NULL && crit >= 0) {
			BAD(l, "RFC 5280 5.3.1: malformed reasonCode");
			return 0;
		}
		if (reason != NULL) {
			v = ASN1_ENUMERATED_get(reason);
			ASN1_ENUMERATED_free(reason);
			if (v < 0 || v > 10 || v == 7) {
				BAD(l, "RFC 5280 5.3.1: reasonCode %ld", v);
				return 0;
			}
		}
		if (X509_REVOKED_get_ext_by_NID(r, NID_certificate_issuer, -1) >= 0 &&
		    !l->indirect) {
			BAD(l, "RFC 5280 5.3.3: certificateIssuer in a CRL "
			       "that is not indirect");
			return 0;
		}
	}
	return 0;
}

int
validate_crl_parse(struct vcrl **out, X509_CRL *crl)
{
	struct vcrl *l = NULL;
	const STACK_OF(X509_EXTENSION) * exts;
	X509_EXTENSION *e;
	ASN1_OCTET_STRING *v;
	BIGNUM *bn = NULL;
	char *dec = NULL, oid[80], who[VLABEL_MAX];
	int i, j, n, crit, rc;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "CRL: out of memory");
	if (!X509_CRL_up_ref(crl)) {
		free(l);
		return sertel_err_ossl(SERTEL_ECRYPTO, "CRL: up_ref");
	}
	l->crl = crl;
	l->only_reasons = ALL_REASONS;
	if ((rc = validate_vname_init(&l->iss, X509_CRL_get_issuer(crl))) < 0)
		goto fail;
	validate_name_label(who, sizeof(who), X509_CRL_get_issuer(crl));

	exts = X509_CRL_get0_extensions(crl);
	n = sk_X509_EXTENSION_num(exts);
	if (n > 0 && X509_CRL_get_version(crl) != 1)
		BAD(l, "RFC 5280 5.1.2.1: extensions in a version 1 CRL");
	for (i = 0; i < n; i++) {
		e = sk_X509_EXTENSION_value(exts, i);
		for (j = 0; j < i; j++)
			if (OBJ_cmp(X509_EXTENSION_get_object(e),
			            X509_EXTENSION_get_object(
			                sk_X509_EXTENSION_value(exts, j))) == 0)
				BAD(l, "RFC 5280 5.2: an extension appears "
				       "twice");
		if (X509_EXTENSION_get_critical(e) &&
		    !known_crl_ext(OBJ_obj2nid(X509_EXTENSION_get_object(e)))) {
			OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(e), 1);
			BAD(l,
			    "RFC 5280 5.2: unsupported critical CRL "
			    "extension %s",
			    oid);
		}
		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) ==
		    NID_issuing_distribution_point) {
			v = X509_EXTENSION_get_data(e);
			if ((l->idp_der = malloc((size_t)ASN1_STRING_length(v) + 1)) ==
			    NULL) {
				rc = sertel_err(SERTEL_ENOMEM, "CRL: out of memory");
				goto fail;
			}
			l->idp_len = ASN1_STRING_length(v);
			memcpy(l->idp_der, ASN1_STRING_get0_data(v), (size_t)l->idp_len);
		}
	}
	if (X509_CRL_get0_nextUpdate(crl) == NULL)
		BAD(l, "RFC 5280 5.1.2.5: nextUpdate is missing");

	l->number = X509_CRL_get_ext_d2i(crl, NID_crl_number, &crit, NULL);
	if (l->number == NULL && crit >= 0)
		BAD(l, "RFC 5280 5.2.3: malformed cRLNumber");
	l->base_number = X509_CRL_get_ext_d2i(crl, NID_delta_crl, &crit, NULL);
	if (l->base_number == NULL && crit >= 0)
		BAD(l, "RFC 5280 5.2.4: malformed deltaCRLIndicator");
	l->delta = crit >= 0;
	if (l->delta && l->number == NULL)
		BAD(l, "RFC 5280 5.2.4: delta CRL without cRLNumber");
	l->idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit, NULL);
	if (l->idp == NULL && crit >= 0)
		BAD(l, "RFC 5280 5.2.5: malformed issuingDistributionPoint");
	if (l->idp != NULL) {
		if ((l->idp->onlyuser > 0) + (l->idp->onlyCA > 0) +
		        (l->idp->onlyattr > 0) >
		    1)
			BAD(l, "RFC 5280 5.2.5: more than one of "
			       "onlyContainsUserCerts, onlyContainsCACerts and "
			       "onlyContainsAttributeCerts");
		if (l->idp->onlysomereasons != NULL)
			l->only_reasons = reasons_mask(l->idp->onlysomereasons);
		l->indirect = l->idp->indirectCRL > 0;
		if (l->idp->distpoint != NULL) {
			if (l->idp->distpoint->type == 0)
				rc = validate_gnset_add(&l->idpnames,
				                        l->idp->distpoint->name.fullname);
			else
				rc = validate_gnset_add_relative(
				    &l->idpnames, X509_CRL_get_issuer(crl),
				    l->idp->distpoint->name.relativename);
			if (rc < 0)
				goto fail;
		}
	}
	entries_check(l);

	if (l->number != NULL && (bn = ASN1_INTEGER_to_BN(l->number, NULL)) != NULL)
		dec = BN_bn2dec(bn);
	validate_fmt(l->label, sizeof(l->label), "%sCRL of %s%s%s",
	             l->delta ? "delta " : "", who, dec ? " number " : "",
	             dec ? dec : "");
	OPENSSL_free(dec);
	BN_free(bn);
	ERR_clear_error();
	*out = l;
	return 0;
fail:
	validate_crl_free(l);
	return rc;
}

void
validate_crl_free(struct vcrl *l)
{
	if (l == NULL)
		return;
	X509_CRL_free(l->crl);
	validate_vname_free(&l->iss);
	ISSUING_DIST_POINT_free(l->idp);
	validate_gnset_free(&l->idpnames);
	free(l->idp_der);
	ASN1_INTEGER_free(l->number);
	ASN1_INTEGER_free(l->base_number);
	free(l);
}

/*
 * RFC 5280 6.3.3(f)(g): the key that signed l, from a certificate whose
 * path ends at the same trust anchor and whose keyUsage (if any) has
 * cRLSign.  The certificate's own issuer is tried first.  *key is owned
 * by the caller.
 */
static int
crl_signer(struct vctx *c, size_t li, const struct vcrl *l, const struct vcert *iss,
           EVP_PKEY *ikey, const struct vcert *anchor, EVP_PKEY **key, char *why,
           size_t whylen)
{
	const struct vcert *cand;
	EVP_PKEY *k = NULL;
	char sub[VWHY_MAX];
	size_t i;
	int verified;

	*key = NULL;
	validate_fmt(why, whylen,
	             "RFC 5280 6.3.3(g): no certificate of the CRL issuer "
	             "verifies the signature of the %s",
	             l->label);
	if (ikey != NULL && validate_vname_eq(&l->iss, &iss->subj)) {
		if (validate_crl_sig_ok(c, li, iss, ikey)) {
			if (iss->ku_present && !(iss->ku & VKU_CRL_SIGN)) {
				validate_fmt(why, whylen,
				             "RFC 5280 6.3.3(f): keyUsage of %s "
				             "does not allow cRLSign",
				             iss->label);
			} else if (EVP_PKEY_up_ref(ikey)) {
				*key = ikey;
				return 0;
			}
		}
		ERR_clear_error();
	}
	for (i = 0; i < c->in->ncerts; i++) {
		cand = c->in->certs[i];
		if (!validate_vname_eq(&cand->subj, &l->iss) || cand == iss ||
		    memcmp(cand->sha256, iss->sha256, 32) == 0)
			continue;
		if (cand->anchor && cand != anchor)
			continue; /* 6.3.3(f): the same trust anchor */
		if (c->limit_hit)
			break;
		verified = 0;
		if (cand->pkey != NULL) {
			if (!validate_crl_sig_ok(c, li, cand, cand->pkey))
				continue;
			verified = 1;
		}
		if (cand->ku_present && !(cand->ku & VKU_CRL_SIGN)) {
			validate_fmt(why, whylen,
			             "RFC 5280 6.3.3(f): keyUsage of %s does not "
			             "allow cRLSign",
			             cand->label);
			continue;
		}
		if (validate_signer_path(c, cand, anchor, &k, sub, sizeof(sub)) < 0) {
			validate_fmt(why, whylen,
			             "RFC 5280 6.3.3(f): the path of CRL issuer %s "
			             "is not valid: %s",
			             cand->label, sub);
			continue;
		}
		if (!verified && !validate_crl_sig_ok(c, li, NULL, k)) {
			EVP_PKEY_free(k);
			k = NULL;
			continue;
		}
		*key = k;
		return 0;
	}
	return -1;
}

/* RFC 5280 5.2.4: a delta for base: same issuer and scope, built on a base
 * no newer than ours, newer than ours, current, and signed by the same
 * CRL issuer key.  The newest wins. */
static const struct vcrl *
find_delta(struct vctx *c, const struct vcrl *base, EVP_PKEY *key)
{
	const struct vcrl *d;
	size_t i;

	if (base->number == NULL)
		return NULL;
	for (i = 0; i < c->in->ncrls; i++) {
		d = c->in->crls[i];
		if (!d->delta || d->bad[0] != '\0' || d->number == NULL ||
		    d->base_number == NULL || !validate_vname_eq(&d->iss, &base->iss) ||
		    d->idp_len != base->idp_len ||
		    (d->idp_len > 0 &&
		     memcmp(d->idp_der, base->idp_der, (size_t)d->idp_len) != 0))
			continue;
		if (ASN1_INTEGER_cmp(base->number, d->base_number) < 0 ||
		    ASN1_INTEGER_cmp(d->number, base->number) <= 0)
			continue;
		if (validate_time_cmp(X509_CRL_get0_lastUpdate(d->crl), c->at) > 0 ||
		    validate_time_cmp(X509_CRL_get0_nextUpdate(d->crl), c->at) < 0)
			continue;
		if (!validate_crl_sig_ok(c, i, NULL, key))
			continue;
		return d;
	}
	return NULL;
}

/* Whether x is listed on l.  In an indirect CRL each entry belongs to the
 * certificate issuer named by the last certificateIssuer extension, the
 * CRL issuer before the first one (RFC 5280 5.3.3); the entries are in
 * their DER order because the CRL is a private copy nobody sorted.
 * *after is set when both revocationDate and invalidityDate (5.3.2, if
 * present) are after the validation time. */
static int
lookup(struct vctx *c, const struct vcrl *l, const struct vcert *x, int *reason,
       const ASN1_TIME **when, int *after)
{
	ASN1_GENERALIZEDTIME *inval;
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(l->crl);
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x->x);
	GENERAL_NAMES *gens;
	ASN1_ENUMERATED *re;
	struct vgnset set;
	X509_REVOKED *r;
	int i, cur, crit;

	cur = validate_vname_eq(&l->iss, &x->iss);
	for (i = 0; i < sk_X509_REVOKED_num(revs); i++) {
		r = sk_X509_REVOKED_value(revs, i);
		if (l->indirect &&
		    (gens = X509_REVOKED_get_ext_d2i(r, NID_certificate_issuer, &crit,
		                                     NULL)) != NULL) {
			memset(&set, 0, sizeof(set));
			cur = validate_gnset_add(&set, gens) == 0 &&
			      validate_gnset_has_dn(&set, &x->iss);
			validate_gnset_free(&set);
			GENERAL_NAMES_free(gens);
		}
		if (!cur ||
		    ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(r), serial) != 0)
			continue;
		*reason = CRL_REASON_UNSPECIFIED;
		re = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, &crit, NULL);
		if (re != NULL) {
			*reason = (int)ASN1_ENUMERATED_get(re);
			ASN1_ENUMERATED_free(re);
		}
		*when = X509_REVOKED_get0_revocationDate(r);
		*after = validate_time_cmp(*when, c->at) > 0;
		inval = X509_REVOKED_get_ext_d2i(r, NID_invalidity_date, &crit, NULL);
		if (inval != NULL && validate_time_cmp(inval, c->at) <= 0)
			*after = 0;
		ASN1_GENERALIZEDTIME_free(inval);
		ERR_clear_error();
		return 1;
	}
	ERR_clear_error();
	return 0;
}

void
validate_rev_problem(struct vrev *st, int stale, const char *fmt, ...)
{
	va_list ap;

	st->problem++;
	if (stale)
		st->stale++;
	if (st->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(st->why, sizeof(st->why), fmt, ap);
	va_end(ap);
}

int
validate_crl_status(struct vctx *c, const struct vcert *x, const struct vcert *iss,
                    EVP_PKEY *ikey, const struct vcert *anchor, struct vrev *st)
{
	const DIST_POINT *dp;
	const struct vcrl *l, *d, *src;
	const ASN1_TIME *when = NULL;
	const X509_NAME *base;
	const GENERAL_NAME *gn;
	struct vgnset dpnames, crlissuers;
	EVP_PKEY *key = NULL;
	char why[VWHY_MAX], t[40];
	unsigned mask = 0, dpmask, interim;
	size_t i;
	int ndp, di, j, rc = 0, found, reason = 0, revoked = 0, seen = 0;
	int after = 0;

	memset(&dpnames, 0, sizeof(dpnames));
	memset(&crlissuers, 0, sizeof(crlissuers));
	ndp = x->crldp != NULL ? sk_DIST_POINT_num(x->crldp) : 1;
	if (ndp == 0)
		ndp = 1;
	for (di = 0; di < ndp && mask != ALL_REASONS && !revoked; di++) {
		validate_gnset_free(&dpnames);
		validate_gnset_free(&crlissuers);
		dp = x->crldp != NULL && sk_DIST_POINT_num(x->crldp) > 0
		         ? sk_DIST_POINT_value(x->crldp, di)
		         : NULL;
		/* Without the extension: one distribution point whose CRL
		 * issuer is the certificate issuer, all reasons. */
		dpmask = dp != NULL && dp->reasons != NULL ? reasons_mask(dp->reasons)
		                                           : ALL_REASONS;
		if (dp != NULL && dp->CRLissuer != NULL &&
		    (rc = validate_gnset_add(&crlissuers, dp->CRLissuer)) < 0)
			goto out;
		if (dp != NULL && dp->distpoint != NULL) {
			if (dp->distpoint->type == 0) {
				rc = validate_gnset_add(&dpnames,
				                        dp->distpoint->name.fullname);
			} else {
				/* RFC 5280 4.2.1.13: relative to cRLIssuer
				 * if present, else the certificate issuer */
				base = X509_get_issuer_name(x->x);
				for (j = 0; dp->CRLissuer != NULL &&
				            j < sk_GENERAL_NAME_num(dp->CRLissuer);
				     j++) {
					gn = sk_GENERAL_NAME_value(dp->CRLissuer, j);
					if (gn->type == GEN_DIRNAME) {
						base = gn->d.dirn;
						break;
					}
				}
				rc = validate_gnset_add_relative(
				    &dpnames, base, dp->distpoint->name.relativename);
			}
			if (rc < 0)
				goto out;
		}

		for (i = 0; i < c->in->ncrls && mask != ALL_REASONS && !revoked; i++) {
			l = c->in->crls[i];
			if (l->delta)
				continue;
			/* 6.3.3(b)(1): the CRL issuer */
			if (dp != NULL && dp->CRLissuer != NULL) {
				if (!validate_gnset_has_dn(&crlissuers, &l->iss))
					continue;
				if (!l->indirect) {
					validate_rev_problem(
					    st, 0,
					    "RFC 5280 6.3.3(b)(1): %s is "
					    "not an indirect CRL",
					    l->label);
					continue;
				}
			} else if (!validate_vname_eq(&l->iss, &x->iss)) {
				continue;
			}
			/* 6.3.3(b)(2): the scope */
			if (l->idp != NULL) {
				if (l->idp->onlyattr > 0 ||
				    (l->idp->onlyuser > 0 && x->ca) ||
				    (l->idp->onlyCA > 0 && !x->ca))
					continue;
				if (l->idp->distpoint != NULL) {
					if (dp != NULL && dp->distpoint != NULL)
						found = validate_gnset_intersects(
						    &l->idpnames, &dpnames);
					else if (dp != NULL && dp->CRLissuer != NULL)
						found = validate_gnset_intersects(
						    &l->idpnames, &crlissuers);
					else
						found = 0;
					if (!found)
						continue;
				}
			}
			/* 6.3.3(d)(e): reasons not yet covered */
			interim = dpmask & l->only_reasons;
			if ((interim & ~mask) == 0)
				continue;
			seen++;
			if (l->bad[0] != '\0') {
				validate_rev_problem(st, 0, "%s: %s", l->label, l->bad);
				continue;
			}
			/* 6.3.3(a): current at the validation time.  A CRL
			 * issued after it is used too: it is all there is
			 * when a signature is validated later (see lookup
			 * for what "revoked at the time" then means). */
			if (validate_time_cmp(X509_CRL_get0_nextUpdate(l->crl), c->at) <
			    0) {
				validate_time_str(t, X509_CRL_get0_nextUpdate(l->crl));
				validate_rev_problem(
				    st, 1,
				    "RFC 5280 6.3.3(a): %s is out of date "
				    "(nextUpdate %s)",
				    l->label, t);
				continue;
			}
			/* 6.3.3(f)(g) */
			if (crl_signer(c, i, l, iss, ikey, anchor, &key, why,
			               sizeof(why)) < 0) {
				validate_rev_problem(st, 0, "%s: %s", l->label, why);
				continue;
			}
			/* 6.3.3(c)(h)(i) */
			found = 0;
			src = l;
			if ((d = find_delta(c, l, key)) != NULL &&
			    lookup(c, d, x, &reason, &when, &after)) {
				found = 1;
				src = d;
			}
			/* (j) */
			if (!found && lookup(c, l, x, &reason, &when, &after))
				found = 1;
			EVP_PKEY_free(key);
			key = NULL;
			/* (k), and a revocation after the validation time
			 * (by revocationDate and invalidityDate) is no
			 * revocation at that time */
			if (found && reason != CRL_REASON_REMOVE_FROM_CRL && !after) {
				revoked = 1;
				st->status = VREV_REVOKED;
				st->reason = reason;
				validate_time_str(st->when, when);
				validate_fmt(st->source, sizeof(st->source), "%s",
				             src->label);
			}
			/* (l) */
			mask |= interim;
		}
	}
	if (revoked)
		goto out;
	if (mask == ALL_REASONS) {
		st->status = VREV_GOOD;
		goto out;
	}
	st->status = VREV_UNKNOWN;
	if (st->why[0] == '\0') {
		if (mask != 0)
			validate_fmt(st->why, sizeof(st->why),
			             "RFC 5280 6.3.3: the CRLs given cover only "
			             "some revocation reasons");
		else
			validate_fmt(st->why, sizeof(st->why), "no CRL %sfor it",
			             seen ? "usable " : "");
	}
out:
	EVP_PKEY_free(key);
	validate_gnset_free(&dpnames);
	validate_gnset_free(&crlissuers);
	return rc;
}
