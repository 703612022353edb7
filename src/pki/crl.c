/*
 * Full CRLs (RFC 5280 5): version 2, CRL number, authority key id,
 * reason codes, nextUpdate from config.  Published inside the caller's
 * transaction, so a revocation and the CRL that lists it commit together.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "audit/audit.h"
#include "pki/pki_int.h"

struct crl_fill {
	X509_CRL *crl;
	int rc;
};

static int
crl_add_entry(const char *serial, int64_t when, int reason, void *arg)
{
	struct crl_fill *f = arg;
	X509_REVOKED *r = NULL;
	ASN1_INTEGER *sn = NULL;
	ASN1_TIME *t = NULL;
	ASN1_ENUMERATED *re = NULL;
	BIGNUM *bn = NULL;

	if ((r = X509_REVOKED_new()) == NULL || BN_hex2bn(&bn, serial) == 0 ||
	    (sn = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    X509_REVOKED_set_serialNumber(r, sn) != 1 ||
	    (t = ASN1_TIME_set(NULL, (time_t)when)) == NULL ||
	    X509_REVOKED_set_revocationDate(r, t) != 1)
		goto fail;
	/* RFC 5280 5.3.1: reasonCode SHOULD be absent rather than unspecified. */
	if (reason > 0) {
		if ((re = ASN1_ENUMERATED_new()) == NULL ||
		    ASN1_ENUMERATED_set(re, reason) != 1 ||
		    X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, re, 0, 0) != 1)
			goto fail;
	}
	if (X509_CRL_add0_revoked(f->crl, r) != 1)
		goto fail;
	r = NULL;
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(t);
	ASN1_ENUMERATED_free(re);
	BN_free(bn);
	return 0;
fail:
	f->rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL entry %s: cannot encode", serial);
	X509_REVOKED_free(r);
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(t);
	ASN1_ENUMERATED_free(re);
	BN_free(bn);
	return -1;
}

int
crl_publish(unsigned char **der_out, size_t *len_out, struct ca *ca,
	    struct store *st, const struct pki_conf *pc, const char *actor)
{
	struct crl_fill f = {NULL, 0};
	ASN1_TIME *t = NULL;
	ASN1_INTEGER *num = NULL;
	unsigned char *der = NULL;
	int64_t number, now = time_now(), next;
	char obj[64], detail[64];
	X509V3_CTX ctx;
	X509_EXTENSION *aki = NULL;
	int len, rc;

	if (der_out) {
		*der_out = NULL;
		*len_out = 0;
	}
	if ((rc = store_issuer_next_crl_number(st, ca->rec.id, &number)) < 0)
		return rc;
	next = now + (int64_t)pc->crl_next_update_hours * 3600;
	if ((f.crl = X509_CRL_new()) == NULL ||
	    X509_CRL_set_version(f.crl, 1) != 1 ||
	    X509_CRL_set_issuer_name(f.crl, X509_get_subject_name(ca->cert)) != 1 ||
	    (t = ASN1_TIME_set(NULL, (time_t)now)) == NULL ||
	    X509_CRL_set1_lastUpdate(f.crl, t) != 1 ||
	    ASN1_TIME_set(t, (time_t)next) == NULL ||
	    X509_CRL_set1_nextUpdate(f.crl, t) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: cannot build");
		goto out;
	}
	if ((rc = store_revoked_iter(st, ca->rec.id, crl_add_entry, &f)) != 0) {
		rc = f.rc < 0 ? f.rc : rc;
		goto out;
	}
	/* RFC 5280 5.2.3 CRL number, 5.2.1 authority key identifier. */
	if ((num = ASN1_INTEGER_new()) == NULL || ASN1_INTEGER_set_int64(num, number) != 1 ||
	    X509_CRL_add1_ext_i2d(f.crl, NID_crl_number, num, 0, 0) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: number extension");
		goto out;
	}
	X509V3_set_ctx(&ctx, ca->cert, NULL, NULL, f.crl, 0);
	if ((aki = X509V3_EXT_nconf_nid(NULL, &ctx, NID_authority_key_identifier,
					"keyid:always")) == NULL ||
	    X509_CRL_add_ext(f.crl, aki, -1) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: AKI extension");
		goto out;
	}
	X509_CRL_sort(f.crl);
	if (X509_CRL_sign(f.crl, ca->key, key_digest(ca->key)) <= 0 ||
	    (len = i2d_X509_CRL(f.crl, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: signing failed");
		goto out;
	}
	if ((rc = store_crl_put(st, ca->rec.id, number, now, next, der, (size_t)len)) < 0)
		goto out;
	snprintf(obj, sizeof(obj), "crl:%s", ca->rec.id);
	snprintf(detail, sizeof(detail), "number %lld", (long long)number);
	if ((rc = audit_append(st, actor, "crl.publish", obj, detail)) < 0)
		goto out;
	if (der_out) {
		if ((*der_out = malloc((size_t)len)) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(*der_out, der, (size_t)len);
		*len_out = (size_t)len;
	}
	rc = 0;
out:
	X509_EXTENSION_free(aki);
	ASN1_INTEGER_free(num);
	ASN1_TIME_free(t);
	OPENSSL_free(der);
	X509_CRL_free(f.crl);
	return rc;
}
