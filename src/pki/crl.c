/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Full CRLs (RFC 5280 5): version 2, CRL number, authority key id,
 * reason codes, nextUpdate from config.  Published inside the caller's
 * transaction, so a revocation and the CRL that lists it commit together.
 *
 * The revoked list is encoded straight from the store cursor into one DER
 * buffer (about 40 bytes an entry) instead of building an X509_REVOKED
 * object per entry: a million-entry CRL then costs one pass, one buffer
 * and one signature.  OpenSSL still builds and encodes everything around
 * the list (names, times, extensions, the signature algorithm), and signs
 * the finished TBSCertList with EVP_DigestSign.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/x509v3.h>

#include "audit/audit.h"
#include "pki/pki_int.h"

/* Old CRLs kept for reference; their publication stays in the audit trail. */
#define CRL_KEEP 16
/* Hard bound on the revoked list: 20 million entries. */
#define CRL_LIST_MAX ((size_t)1 << 30)

/* DER length octets (X.690 8.1.3). */
static int
der_len(struct buf *b, size_t n)
{
	unsigned char l[9];
	int i = 0, k;

	if (n < 0x80)
		return buf_putc(b, (unsigned char)n);
	while (n > 0) {
		l[i++] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
	if (buf_putc(b, (unsigned char)(0x80 | i)) < 0)
		return SERTEL_ETOOBIG;
	for (k = i - 1; k >= 0; k--)
		if (buf_putc(b, l[k]) < 0)
			return SERTEL_ETOOBIG;
	return 0;
}

static int
der_tlv(struct buf *b, unsigned char tag, const void *v, size_t n)
{
	int rc;

	if ((rc = buf_putc(b, tag)) < 0 || (rc = der_len(b, n)) < 0 ||
	    (rc = buf_append(b, v, n)) < 0)
		return rc;
	return 0;
}

/* RFC 5280 5.1.2.6 / 4.1.2.5: UTCTime through 2049, then GeneralizedTime. */
static int
der_time(unsigned char *out, size_t *outlen, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[20];

	gmtime_r(&tt, &tm);
	if (tm.tm_year + 1900 < 2050) {
		strftime(s, sizeof(s), "%y%m%d%H%M%SZ", &tm);
		out[0] = V_ASN1_UTCTIME;
	} else {
		strftime(s, sizeof(s), "%Y%m%d%H%M%SZ", &tm);
		out[0] = V_ASN1_GENERALIZEDTIME;
	}
	out[1] = (unsigned char)strlen(s);
	memcpy(out + 2, s, strlen(s));
	*outlen = 2 + strlen(s);
	return 0;
}

struct crl_fill {
	struct buf list; /* concatenated revokedCertificates entries */
	int rc;
};

static int
crl_add_entry(const char *serial, int64_t when, int reason, void *arg)
{
	struct crl_fill *f = arg;
	unsigned char ser[22], entry[96], tm[24], *p = entry + 2;
	size_t slen, tlen, hl = strlen(serial);
	int n;

	/* serial: stored as lowercase hex of the magnitude, even length. */
	if (hl == 0 || hl > 40 || hl % 2 != 0 ||
	    (n = hex_decode(ser + 1, sizeof(ser) - 1, serial)) < 0) {
		f->rc = sertel_err(SERTEL_ESTORE, "CRL: stored serial '%s' is malformed",
		                   serial);
		return -1;
	}
	/* A positive INTEGER needs a leading 0x00 when the top bit is set. */
	if (ser[1] & 0x80) {
		ser[0] = 0;
		slen = (size_t)n + 1;
	} else {
		memmove(ser, ser + 1, (size_t)n);
		slen = (size_t)n;
	}
	*p++ = V_ASN1_INTEGER;
	*p++ = (unsigned char)slen;
	memcpy(p, ser, slen);
	p += slen;
	der_time(tm, &tlen, when);
	memcpy(p, tm, tlen);
	p += tlen;
	/* RFC 5280 5.3.1: reasonCode SHOULD be absent rather than unspecified. */
	if (reason > 0) {
		static const unsigned char ext_head[] = {
		    0x30, 0x0c,                   /* crlEntryExtensions */
		    0x30, 0x0a,                   /* Extension */
		    0x06, 0x03, 0x55, 0x1d, 0x15, /* id-ce-cRLReasons */
		    0x04, 0x03, 0x0a, 0x01,       /* OCTET STRING { ENUMERATED */
		};
		memcpy(p, ext_head, sizeof(ext_head));
		p += sizeof(ext_head);
		*p++ = (unsigned char)reason;
	}
	entry[0] = 0x30;
	entry[1] = (unsigned char)(p - entry - 2);
	if ((f->rc = buf_append(&f->list, entry, (size_t)(p - entry))) < 0) {
		f->rc = sertel_err(SERTEL_ETOOBIG, "CRL: revoked list exceeds %zu bytes",
		                   CRL_LIST_MAX);
		return -1;
	}
	return 0;
}

/* Splits DER TLV at *p: tag, header length and content length. */
static int
der_peek(const unsigned char *p, size_t avail, size_t *hdr, size_t *content)
{
	size_t n, i, l;

	if (avail < 2)
		return SERTEL_ECRYPTO;
	if (p[1] < 0x80) {
		*hdr = 2;
		*content = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n == 0 || n > 4 || avail < 2 + n)
			return SERTEL_ECRYPTO;
		for (l = 0, i = 0; i < n; i++)
			l = (l << 8) | p[2 + i];
		*hdr = 2 + n;
		*content = l;
	}
	if (*hdr + *content > avail)
		return SERTEL_ECRYPTO;
	return 0;
}

/* The template: a CRL with every field but the revoked list, signed so
 * OpenSSL fills in the signature algorithm. */
static int
crl_template(X509_CRL **out, struct ca *ca, int64_t number, int64_t now, int64_t next)
{
	X509_CRL *crl = NULL;
	ASN1_TIME *t = NULL;
	ASN1_INTEGER *num = NULL;
	X509_EXTENSION *aki = NULL;
	X509V3_CTX ctx;
	int rc = 0;

	if ((crl = X509_CRL_new()) == NULL || X509_CRL_set_version(crl, 1) != 1 ||
	    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->cert)) != 1 ||
	    (t = ASN1_TIME_set(NULL, (time_t)now)) == NULL ||
	    X509_CRL_set1_lastUpdate(crl, t) != 1 ||
	    ASN1_TIME_set(t, (time_t)next) == NULL ||
	    X509_CRL_set1_nextUpdate(crl, t) != 1 || (num = ASN1_INTEGER_new()) == NULL ||
	    ASN1_INTEGER_set_int64(num, number) != 1 ||
	    X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: cannot build");
		goto out;
	}
	/* RFC 5280 5.2.3 CRL number, 5.2.1 authority key identifier. */
	X509V3_set_ctx(&ctx, ca->cert, NULL, NULL, crl, 0);
	if ((aki = X509V3_EXT_nconf_nid(NULL, &ctx, NID_authority_key_identifier,
	                                "keyid:always")) == NULL ||
	    X509_CRL_add_ext(crl, aki, -1) != 1 ||
	    X509_CRL_sign(crl, ca->key, key_digest(ca->key)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: cannot sign template");
		goto out;
	}
	*out = crl;
	crl = NULL;
out:
	X509_EXTENSION_free(aki);
	ASN1_INTEGER_free(num);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	return rc;
}

/* TBSCertList with the revoked list spliced in before crlExtensions. */
static int
crl_tbs(struct buf *tbs, X509_CRL *tmpl, const struct buf *list)
{
	unsigned char *t = NULL;
	const unsigned char *c;
	size_t hdr, clen, h2, l2, pos, split;
	int tlen, rc;
	struct buf body;

	buf_init(&body, CRL_LIST_MAX + 4096);
	if ((tlen = i2d_re_X509_CRL_tbs(tmpl, &t)) <= 0)
		return sertel_err_ossl(SERTEL_ECRYPTO, "CRL: TBS encoding failed");
	rc = SERTEL_ECRYPTO;
	if (der_peek(t, (size_t)tlen, &hdr, &clen) < 0 || t[0] != 0x30)
		goto bad;
	/* Walk version, signature, issuer, thisUpdate, nextUpdate; stop at
	 * the [0] crlExtensions. */
	c = t + hdr;
	pos = 0;
	split = clen;
	while (pos < clen) {
		if (c[pos] == 0xa0) {
			split = pos;
			break;
		}
		if (der_peek(c + pos, clen - pos, &h2, &l2) < 0)
			goto bad;
		pos += h2 + l2;
	}
	if ((rc = buf_append(&body, c, split)) < 0)
		goto out;
	if (list->len > 0 && (rc = der_tlv(&body, 0x30, list->data, list->len)) < 0)
		goto out;
	if ((rc = buf_append(&body, c + split, clen - split)) < 0 ||
	    (rc = der_tlv(tbs, 0x30, body.data, body.len)) < 0)
		goto out;
	rc = 0;
	goto out;
bad:
	rc = sertel_err(SERTEL_ECRYPTO, "CRL: unexpected TBS encoding");
out:
	buf_free(&body);
	OPENSSL_free(t);
	return rc;
}

static int
crl_sign(struct buf *out, const struct buf *tbs, X509_CRL *tmpl, struct ca *ca)
{
	const X509_ALGOR *alg = NULL;
	unsigned char *algder = NULL, *sig = NULL;
	size_t siglen = 0;
	EVP_MD_CTX *md = NULL;
	struct buf body;
	int alen, rc = SERTEL_ECRYPTO;

	buf_init(&body, tbs->len + 4096);
	X509_CRL_get0_signature(tmpl, NULL, &alg);
	if ((alen = i2d_X509_ALGOR(alg, &algder)) <= 0 ||
	    (md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, NULL, key_digest(ca->key), NULL, ca->key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, tbs->data, tbs->len) != 1 ||
	    (sig = OPENSSL_malloc(siglen + 1)) == NULL ||
	    EVP_DigestSign(md, sig + 1, &siglen, tbs->data, tbs->len) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "CRL: signing failed");
		goto out;
	}
	sig[0] = 0; /* BIT STRING: no unused bits */
	if ((rc = buf_append(&body, tbs->data, tbs->len)) < 0 ||
	    (rc = buf_append(&body, algder, (size_t)alen)) < 0 ||
	    (rc = der_tlv(&body, V_ASN1_BIT_STRING, sig, siglen + 1)) < 0 ||
	    (rc = der_tlv(out, 0x30, body.data, body.len)) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&body);
	OPENSSL_free(algder);
	OPENSSL_free(sig);
	EVP_MD_CTX_free(md);
	return rc;
}

int
crl_publish(unsigned char **der_out, size_t *len_out, struct ca *ca, struct store *st,
            const struct pki_conf *pc, const char *actor)
{
	struct crl_fill f;
	struct buf tbs, crl;
	X509_CRL *tmpl = NULL;
	int64_t number, now = time_now(), next;
	char obj[64], detail[64];
	int rc;

	if (der_out) {
		*der_out = NULL;
		*len_out = 0;
	}
	buf_init(&f.list, CRL_LIST_MAX);
	buf_init(&tbs, CRL_LIST_MAX + 8192);
	buf_init(&crl, CRL_LIST_MAX + 16384);
	f.rc = 0;
	if ((rc = store_issuer_next_crl_number(st, ca->rec.id, &number)) < 0)
		goto out;
	next = now + (int64_t)pc->crl_next_update_hours * 3600;
	if ((rc = store_revoked_iter(st, ca->rec.id, crl_add_entry, &f)) != 0) {
		rc = f.rc < 0 ? f.rc : rc;
		goto out;
	}
	if ((rc = crl_template(&tmpl, ca, number, now, next)) < 0 ||
	    (rc = crl_tbs(&tbs, tmpl, &f.list)) < 0)
		goto out;
	buf_free(&f.list); /* the TBS holds a copy: halve peak memory */
	if ((rc = crl_sign(&crl, &tbs, tmpl, ca)) < 0)
		goto out;
	buf_free(&tbs);
	if ((rc = store_crl_put(st, ca->rec.id, number, now, next, crl.data, crl.len)) <
	        0 ||
	    (rc = store_crl_prune(st, ca->rec.id, number - CRL_KEEP)) < 0)
		goto out;
	snprintf(obj, sizeof(obj), "crl:%s", ca->rec.id);
	snprintf(detail, sizeof(detail), "number %lld", (long long)number);
	if ((rc = audit_append(st, actor, "crl.publish", obj, detail)) < 0)
		goto out;
	if (der_out)
		*der_out = buf_detach(&crl, len_out);
	rc = 0;
out:
	X509_CRL_free(tmpl);
	buf_free(&f.list);
	buf_free(&tbs);
	buf_free(&crl);
	return rc;
}
