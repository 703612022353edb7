/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCSP response checking (RFC 6960) for the path validator and for
 * callers holding one response: the response status, the CertID, who
 * signed it (the CA itself or a delegated responder the CA certified for
 * id-kp-OCSPSigning, RFC 6960 4.2.2.2), and the thisUpdate/nextUpdate
 * window.  Nonces do not apply: responses are checked offline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "pki/validate_int.h"

static int certid_match(OCSP_SINGLERESP *single, X509 *cert, X509 *issuer, int *mismatch);
static int responder_matches(const OCSP_BASICRESP *bs, X509 *cand);
static int delegate_ok(X509 *r, X509 *issuer, EVP_PKEY *ikey, int64_t at, char *why,
                       size_t whylen);
static int signature_ok(OCSP_BASICRESP *bs, EVP_PKEY *key);

/* Hash of data with the CertID's algorithm equals h. */
static int
hash_eq(const EVP_MD *md, const unsigned char *data, size_t len,
        const ASN1_OCTET_STRING *h)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int olen;

	if (!EVP_Digest(data, len, out, &olen, md, NULL)) {
		ERR_clear_error();
		return 0;
	}
	return (int)olen == ASN1_STRING_length(h) &&
	       memcmp(out, ASN1_STRING_get0_data(h), olen) == 0;
}

/* RFC 6960 4.1.1: 1 if the SingleResponse is about cert from issuer;
 * *mismatch set (1 name hash, 2 key hash, 3 hash algorithm) when the
 * serial number matches but only part of the issuer does. */
static int
certid_match(OCSP_SINGLERESP *single, X509 *cert, X509 *issuer, int *mismatch)
{
	ASN1_OCTET_STRING *nh = NULL, *kh = NULL;
	ASN1_OBJECT *mdobj = NULL;
	ASN1_INTEGER *serial = NULL;
	const OCSP_CERTID *cid;
	const ASN1_BIT_STRING *key;
	const EVP_MD *md;
	unsigned char *der = NULL;
	int dlen, name_ok, key_ok;

	cid = OCSP_SINGLERESP_get0_id(single);
	if (!OCSP_id_get0_info(&nh, &mdobj, &kh, &serial, (OCSP_CERTID *)cid) ||
	    ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(cert)) != 0)
		return 0;
	if ((md = EVP_get_digestbyobj(mdobj)) == NULL) {
		*mismatch = 3;
		return 0;
	}
	if ((dlen = i2d_X509_NAME(X509_get_subject_name(issuer), &der)) <= 0) {
		ERR_clear_error();
		return 0;
	}
	name_ok = hash_eq(md, der, (size_t)dlen, nh);
	OPENSSL_free(der);
	key = X509_get0_pubkey_bitstr(issuer);
	key_ok = key != NULL && hash_eq(md, ASN1_STRING_get0_data(key),
	                                (size_t)ASN1_STRING_length(key), kh);
	if (name_ok && key_ok)
		return 1;
	/* Both different: a response about another issuer's certificate
	 * that happens to have the same serial number. */
	if (name_ok)
		*mismatch = 2;
	else if (key_ok)
		*mismatch = 1;
	return 0;
}

/* RFC 6960 4.2.2.3: the ResponderID names cand, by name or by the SHA-1
 * hash of its public key. */
static int
responder_matches(const OCSP_BASICRESP *bs, X509 *cand)
{
	const ASN1_OCTET_STRING *kid = NULL, *ski;
	const X509_NAME *name = NULL;
	const ASN1_BIT_STRING *key;
	struct vname a, b;
	unsigned char md[SHA_DIGEST_LENGTH];
	unsigned int mdlen;
	int r = 0;

	if (!OCSP_resp_get0_id(bs, &kid, &name))
		return 0;
	if (name != NULL) {
		if (validate_vname_init(&a, name) < 0)
			return 0;
		if (validate_vname_init(&b, X509_get_subject_name(cand)) == 0) {
			r = validate_vname_eq(&a, &b);
			validate_vname_free(&b);
		}
		validate_vname_free(&a);
		return r;
	}
	/* Locating by the subjectKeyIdentifier as well is harmless: the
	 * signature must still verify with the certificate's own key. */
	ski = X509_get0_subject_key_id(cand);
	if (kid != NULL && ski != NULL && ASN1_OCTET_STRING_cmp(kid, ski) == 0)
		return 1;
	key = X509_get0_pubkey_bitstr(cand);
	if (kid == NULL || key == NULL ||
	    !EVP_Digest(ASN1_STRING_get0_data(key), (size_t)ASN1_STRING_length(key), md,
	                &mdlen, EVP_sha1(), NULL)) {
		ERR_clear_error();
		return 0;
	}
	return ASN1_STRING_length(kid) == (int)mdlen &&
	       memcmp(ASN1_STRING_get0_data(kid), md, mdlen) == 0;
}

/* RFC 6960 4.2.2.2: a delegated responder certificate is issued directly
 * by the CA and carries id-kp-OCSPSigning.  It must be valid at the time;
 * its own revocation is not checked (4.2.2.2.1 leaves that to policy). */
static int
delegate_ok(X509 *r, X509 *issuer, EVP_PKEY *ikey, int64_t at, char *why, size_t whylen)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	ASN1_BIT_STRING *ku = NULL;
	struct vname a, b;
	unsigned kubits = 0;
	int i, ok = 0, crit, present = 0, same;

	if (validate_vname_init(&a, X509_get_issuer_name(r)) < 0)
		return 0;
	same = validate_vname_init(&b, X509_get_subject_name(issuer)) == 0 &&
	       validate_vname_eq(&a, &b);
	validate_vname_free(&a);
	validate_vname_free(&b);
	if (!same) {
		validate_fmt(why, whylen,
		             "RFC 6960 4.2.2.2: the responder certificate was "
		             "not issued by the CA");
		goto out;
	}
	if (X509_verify(r, ikey) != 1) {
		validate_fmt(why, whylen,
		             "RFC 6960 4.2.2.2: the responder certificate's "
		             "signature does not verify with the CA key");
		goto out;
	}
	eku = X509_get_ext_d2i(r, NID_ext_key_usage, &crit, NULL);
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == NID_OCSP_sign)
			ok = 1;
	if (!ok) {
		validate_fmt(why, whylen,
		             "RFC 6960 4.2.2.2: the responder certificate lacks "
		             "id-kp-OCSPSigning");
		goto out;
	}
	ok = 0;
	ku = X509_get_ext_d2i(r, NID_key_usage, &crit, NULL);
	if (ku != NULL)
		validate_ku_parse(&present, &kubits, ku);
	if (present && !(kubits & (VKU_DIGITAL_SIGNATURE | VKU_NON_REPUDIATION))) {
		validate_fmt(why, whylen,
		             "RFC 5280 4.2.1.3: the responder certificate's "
		             "keyUsage does not allow signatures");
		goto out;
	}
	if (ASN1_TIME_cmp_time_t(X509_get0_notBefore(r), (time_t)at) > 0 ||
	    ASN1_TIME_cmp_time_t(X509_get0_notAfter(r), (time_t)at) < 0) {
		validate_fmt(why, whylen,
		             "the responder certificate is not valid at the "
		             "time");
		goto out;
	}
	ok = 1;
out:
	EXTENDED_KEY_USAGE_free(eku);
	ASN1_BIT_STRING_free(ku);
	ERR_clear_error();
	return ok;
}

static int
signature_ok(OCSP_BASICRESP *bs, EVP_PKEY *key)
{
	int r;

	r = ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA), OCSP_resp_get0_tbs_sigalg(bs),
	                     OCSP_resp_get0_signature(bs), OCSP_resp_get0_respdata(bs),
	                     key);
	ERR_clear_error();
	return r == 1;
}

int
validate_ocsp_check(struct validate_ocsp_result *out, OCSP_RESPONSE *resp, X509 *cert,
                    X509 *issuer, EVP_PKEY *issuer_key, STACK_OF(X509) * extra,
                    int64_t at, int *stale)
{
	OCSP_BASICRESP *bs = NULL;
	OCSP_SINGLERESP *single = NULL;
	const STACK_OF(X509) * certs;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	X509 *cand;
	EVP_PKEY *ikey;
	char why[VWHY_MAX], t[40];
	int i, n, status, reason = -1, mismatch = 0, rc;
	int64_t tu = 0, nu = 0;

	memset(out, 0, sizeof(*out));
	out->reason = -1;
	*stale = 0;
	if (resp == NULL || cert == NULL || issuer == NULL)
		return sertel_err(SERTEL_EINVAL, "OCSP: missing argument");
	ikey = issuer_key != NULL ? issuer_key : X509_get0_pubkey(issuer);
	if (ikey == NULL) {
		ERR_clear_error();
		return sertel_err(SERTEL_EINVALID, "OCSP: the issuer key cannot be used");
	}
	if ((status = OCSP_response_status(resp)) != OCSP_RESPONSE_STATUS_SUCCESSFUL)
		return sertel_err(SERTEL_EINVALID, "RFC 6960 4.2.1: response status %s",
		                  OCSP_response_status_str(status));
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		ERR_clear_error();
		return sertel_err(SERTEL_EINVALID,
		                  "RFC 6960 4.2.1: not a basic OCSP response");
	}

	/* The SingleResponse about cert (RFC 6960 4.1.1 CertID). */
	n = OCSP_resp_count(bs);
	for (i = 0; i < n && single == NULL; i++)
		if (certid_match(OCSP_resp_get0(bs, i), cert, issuer, &mismatch))
			single = OCSP_resp_get0(bs, i);
	if (single == NULL) {
		if (mismatch == 1)
			rc = sertel_err(SERTEL_EINVALID,
			                "RFC 6960 4.1.1: issuerNameHash does "
			                "not match the issuer");
		else if (mismatch == 2)
			rc = sertel_err(SERTEL_EINVALID,
			                "RFC 6960 4.1.1: issuerKeyHash does "
			                "not match the issuer");
		else if (mismatch == 3)
			rc = sertel_err(SERTEL_EINVALID, "RFC 6960 4.1.1: CertID hash "
			                                 "algorithm not supported");
		else
			rc = sertel_err(SERTEL_ENOTFOUND,
			                "OCSP: nothing about this certificate");
		goto out;
	}

	/* Who signed it: the CA, or a responder the CA authorised. */
	validate_fmt(why, sizeof(why),
	             "RFC 6960 4.2.2.2: the responder certificate could not be "
	             "located (the ResponderID names neither the CA nor a "
	             "certificate given)");
	rc = SERTEL_EINVALID;
	if (responder_matches(bs, issuer)) {
		if (signature_ok(bs, ikey))
			rc = 0;
		else
			validate_fmt(why, sizeof(why),
			             "RFC 6960 3.2: the response signature does "
			             "not verify with the CA key");
	}
	certs = OCSP_resp_get0_certs(bs);
	n = sk_X509_num(certs) + (extra ? sk_X509_num(extra) : 0);
	for (i = 0; rc != 0 && i < n; i++) {
		cand = i < sk_X509_num(certs)
		           ? sk_X509_value(certs, i)
		           : sk_X509_value(extra, i - sk_X509_num(certs));
		if (X509_cmp(cand, issuer) == 0 || !responder_matches(bs, cand))
			continue;
		/* The key first: a certificate whose key does not verify
		 * the response did not sign it; then its authorisation. */
		if (X509_get0_pubkey(cand) == NULL ||
		    !signature_ok(bs, X509_get0_pubkey(cand))) {
			ERR_clear_error();
			validate_fmt(why, sizeof(why),
			             "RFC 6960 3.2: the response signature does "
			             "not verify with the key of the delegated "
			             "responder");
			continue;
		}
		if (!delegate_ok(cand, issuer, ikey, at, why, sizeof(why)))
			continue;
		out->delegated = 1;
		rc = 0;
	}
	if (rc != 0) {
		rc = sertel_err(SERTEL_EINVALID, "%s", why);
		goto out;
	}

	/* RFC 6960 2.2 status and 4.2.2.1 freshness. */
	status = OCSP_single_get0_status(single, &reason, &rev, &thisupd, &nextupd);
	if (status < 0 || validate_time_to_epoch(&tu, thisupd) < 0 ||
	    (nextupd != NULL && validate_time_to_epoch(&nu, nextupd) < 0)) {
		rc = sertel_err(SERTEL_EINVALID, "OCSP: malformed SingleResponse");
		goto out;
	}
	/* Current at the time: at <= nextUpdate (or within the maximum age
	 * of thisUpdate without one).  A response produced after the time
	 * is used: it is what exists when a signature is checked later. */
	if ((nextupd != NULL && at > nu) ||
	    (nextupd == NULL && at > tu + VALIDATE_OCSP_MAX_AGE)) {
		*stale = 1;
		validate_time_str(t, nextupd != NULL ? nextupd : thisupd);
		rc = sertel_err(SERTEL_EINVALID,
		                "RFC 6960 4.2.2.1: the response is out of "
		                "date (%s %s)",
		                nextupd != NULL ? "nextUpdate" : "thisUpdate", t);
		goto out;
	}
	out->this_update = tu;
	out->next_update = nextupd != NULL ? nu : 0;
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD: out->status = VALIDATE_OCSP_GOOD; break;
	case V_OCSP_CERTSTATUS_REVOKED:
		out->status = VALIDATE_OCSP_REVOKED;
		out->reason = reason;
		if (validate_time_to_epoch(&out->revoked_at, rev) < 0)
			out->revoked_at = 0;
		break;
	default: out->status = VALIDATE_OCSP_UNKNOWN; break;
	}
	rc = 0;
out:
	OCSP_BASICRESP_free(bs);
	ERR_clear_error();
	return rc;
}

int
validate_ocsp(struct validate_ocsp_result *out, OCSP_RESPONSE *resp, X509 *cert,
              X509 *issuer, EVP_PKEY *issuer_key, STACK_OF(X509) * extra, int64_t at)
{
	int stale;

	return validate_ocsp_check(out, resp, cert, issuer, issuer_key, extra, at,
	                           &stale);
}
