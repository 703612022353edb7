/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CMS layer of the verifier: one SignedData over detached content
 * (RFC 5652 5.4, 5.6; ETSI EN 319 122-1 for the CAdES attributes) and
 * RFC 3161 timestamp tokens.
 *
 * The content is digested range by range (a PDF's two ByteRange pieces)
 * and compared with the message-digest attribute; the signature over the
 * signed attributes is checked by OpenSSL (CMS_SignerInfo_verify).  Paths
 * are never built here: OpenSSL's chain verification is switched off and
 * the certificates go to the sertel validator (verify.c).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "sign/verify_int.h"

/* Adobe's revocation archive attribute (PDF 1.7 / ISO 32000-1 12.8.3.3.2). */
#define OID_ADBE_REVINFO "1.2.840.113583.1.1.8"

static int digest_ranges(unsigned char *md_out, unsigned int *md_len, const EVP_MD *md,
                         const unsigned char *data, const struct verify_range *r,
                         size_t n);
static const char *digest_name(int nid);
static const ASN1_STRING *attr_seq(const CMS_SignerInfo *si, int nid, int sig);
static int revinfo_archival(struct verify_ctx *c, const CMS_SignerInfo *si);
static int ess_check(int *present, const CMS_SignerInfo *si, X509 *signer);
static X509 *find_signer(CMS_SignerInfo *si, STACK_OF(X509) * certs,
                         STACK_OF(X509) * pool);
static int cms_take_material(struct verify_ctx *c, CMS_ContentInfo *cms);
static int attrs_der_order(int *sorted, CMS_SignerInfo *si);
static int algs_consistent(char **why, struct verify_ctx *c, int dnid,
                           const X509_ALGOR *salg, X509 *signer);

#define MAX_SIGNED_ATTRS 64

/* Digest of the concatenation of the ranges, streamed. */
static int
digest_ranges(unsigned char *md_out, unsigned int *md_len, const EVP_MD *md,
              const unsigned char *data, const struct verify_range *r, size_t n)
{
	EVP_MD_CTX *ctx = NULL;
	size_t i;
	int rc = SERTEL_ECRYPTO;

	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1)
		goto out;
	for (i = 0; i < n; i++)
		if (r[i].len > 0 && EVP_DigestUpdate(ctx, data + r[i].off, r[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, md_out, md_len) != 1)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "digest");
	EVP_MD_CTX_free(ctx);
	return rc;
}

static const char *
digest_name(int nid)
{
	switch (nid) {
	case NID_md5: return "MD5";
	case NID_sha1: return "SHA-1";
	case NID_sha224: return "SHA-224";
	case NID_sha256: return "SHA-256";
	case NID_sha384: return "SHA-384";
	case NID_sha512: return "SHA-512";
	case NID_sha3_256: return "SHA3-256";
	case NID_sha3_384: return "SHA3-384";
	case NID_sha3_512: return "SHA3-512";
	default: return OBJ_nid2sn(nid);
	}
}

int
verify_time_to_epoch(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return sertel_err(SERTEL_EINVAL, "bad ASN.1 time");
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* The DER of a SEQUENCE-valued attribute with exactly one value; NULL
 * when absent or of another shape.  sig: signed attributes, else
 * unsigned.  Borrowed. */
static const ASN1_STRING *
attr_seq(const CMS_SignerInfo *si, int nid, int sig)
{
	X509_ATTRIBUTE *at;
	ASN1_TYPE *t;
	int i;

	i = sig ? CMS_signed_get_attr_by_NID(si, nid, -1)
	        : CMS_unsigned_get_attr_by_NID(si, nid, -1);
	if (i < 0)
		return NULL;
	at = sig ? CMS_signed_get_attr(si, i) : CMS_unsigned_get_attr(si, i);
	if (at == NULL || X509_ATTRIBUTE_count(at) != 1 ||
	    (t = X509_ATTRIBUTE_get0_type(at, 0)) == NULL || t->type != V_ASN1_SEQUENCE)
		return NULL;
	return t->value.sequence;
}

/* adbe-revocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF
 * CRL OPTIONAL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL,
 * otherRevInfo [2] ... }: every CRL and response goes to the context.
 * A malformed archive is ignored (it only ever adds evidence). */
static int
revinfo_archival(struct verify_ctx *c, const CMS_SignerInfo *si)
{
	const ASN1_STRING *s;
	const unsigned char *p, *end, *q, *qend, *e;
	long len, ilen, elen;
	int tag, cls, itag, icls, etag, ecls, nid;
	ASN1_OBJECT *obj = NULL;

	if ((obj = OBJ_txt2obj(OID_ADBE_REVINFO, 1)) == NULL)
		return 0;
	nid = OBJ_obj2nid(obj);
	ASN1_OBJECT_free(obj);
	if (nid == NID_undef) {
		/* Not registered with OpenSSL: look for it by OID. */
		int i, n = CMS_signed_get_attr_count(si);
		ASN1_OBJECT *want = OBJ_txt2obj(OID_ADBE_REVINFO, 1);
		X509_ATTRIBUTE *at;
		ASN1_TYPE *t;

		s = NULL;
		for (i = 0; want != NULL && i < n; i++) {
			at = CMS_signed_get_attr(si, i);
			if (at != NULL &&
			    OBJ_cmp(X509_ATTRIBUTE_get0_object(at), want) == 0 &&
			    X509_ATTRIBUTE_count(at) == 1 &&
			    (t = X509_ATTRIBUTE_get0_type(at, 0)) != NULL &&
			    t->type == V_ASN1_SEQUENCE)
				s = t->value.sequence;
		}
		ASN1_OBJECT_free(want);
	} else {
		s = attr_seq(si, nid, 1);
	}
	if (s == NULL)
		return 0;
	p = s->data;
	if (ASN1_get_object(&p, &len, &tag, &cls, s->length) & 0x80 ||
	    tag != V_ASN1_SEQUENCE)
		return 0;
	end = p + len;
	while (p < end) {
		if (ASN1_get_object(&p, &ilen, &itag, &icls, end - p) & 0x80 ||
		    icls != V_ASN1_CONTEXT_SPECIFIC)
			return 0;
		q = p;
		p += ilen;
		if (itag != 0 && itag != 1)
			continue;
		if (ASN1_get_object(&q, &elen, &etag, &ecls, p - q) & 0x80 ||
		    etag != V_ASN1_SEQUENCE)
			return 0;
		qend = q + elen;
		while (q < qend) {
			e = q;
			if (itag == 0) {
				X509_CRL *crl = d2i_X509_CRL(NULL, &q, qend - q);

				if (crl == NULL)
					return 0;
				verify_ctx_add_crl(c, crl);
				X509_CRL_free(crl);
			} else {
				OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &q, qend - q);

				if (r == NULL)
					return 0;
				verify_ctx_add_ocsp(c, r);
				OCSP_RESPONSE_free(r);
			}
			if (q <= e)
				return 0;
		}
	}
	ERR_clear_error();
	return 0;
}

/* The DER of a SigningCertificate(V2) with its certs list cut to the
 * first entry.  RFC 5035 5.4 (and RFC 2634 5.4): the first ESSCertID
 * identifies the signer; others may name certificates of its path that
 * the signature need not carry, and OpenSSL's check insists on finding
 * every one.  *out is the caller's (OPENSSL_free); <=0 when malformed. */
static int
ess_first_only(unsigned char **out, const ASN1_STRING *s)
{
	const unsigned char *p = s->data;
	STACK_OF(ASN1_TYPE) *outer = NULL, *inner = NULL;
	ASN1_TYPE *t;
	unsigned char *der = NULL;
	int l, rc = 0;

	*out = NULL;
	if ((outer = d2i_ASN1_SEQUENCE_ANY(NULL, &p, s->length)) == NULL ||
	    p != s->data + s->length || sk_ASN1_TYPE_num(outer) < 1 ||
	    (t = sk_ASN1_TYPE_value(outer, 0))->type != V_ASN1_SEQUENCE)
		goto out;
	p = t->value.sequence->data;
	if ((inner = d2i_ASN1_SEQUENCE_ANY(NULL, &p, t->value.sequence->length)) ==
	        NULL ||
	    sk_ASN1_TYPE_num(inner) < 1)
		goto out;
	while (sk_ASN1_TYPE_num(inner) > 1)
		ASN1_TYPE_free(sk_ASN1_TYPE_pop(inner));
	if ((l = i2d_ASN1_SEQUENCE_ANY(inner, &der)) <= 0 ||
	    !ASN1_STRING_set(t->value.sequence, der, l))
		goto out;
	rc = i2d_ASN1_SEQUENCE_ANY(outer, out);
out:
	OPENSSL_free(der);
	sk_ASN1_TYPE_pop_free(inner, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(outer, ASN1_TYPE_free);
	return rc;
}

/* ESS signing-certificate-v2 (RFC 5035) or v1 (RFC 2634): when present,
 * its first ESSCertID must be the signer's certificate.  Returns 1 match
 * (or absent), 0 mismatch. */
static int
ess_check(int *present, const CMS_SignerInfo *si, X509 *signer)
{
	const ASN1_STRING *s1, *s2;
	const unsigned char *p;
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ss2 = NULL;
	STACK_OF(X509) *chain = NULL;
	unsigned char *der = NULL;
	int ok = 0, l;

	s1 = attr_seq(si, NID_id_smime_aa_signingCertificate, 1);
	s2 = attr_seq(si, NID_id_smime_aa_signingCertificateV2, 1);
	*present = s1 != NULL || s2 != NULL;
	if (!*present)
		return 1;
	if (s1 != NULL) {
		if ((l = ess_first_only(&der, s1)) <= 0)
			goto out;
		p = der;
		ss = d2i_ESS_SIGNING_CERT(NULL, &p, l);
		OPENSSL_free(der);
		der = NULL;
		if (ss == NULL)
			goto out;
	}
	if (s2 != NULL) {
		if ((l = ess_first_only(&der, s2)) <= 0)
			goto out;
		p = der;
		ss2 = d2i_ESS_SIGNING_CERT_V2(NULL, &p, l);
		OPENSSL_free(der);
		der = NULL;
		if (ss2 == NULL)
			goto out;
	}
	if ((chain = sk_X509_new_null()) == NULL || !sk_X509_push(chain, signer))
		goto out;
	ok = OSSL_ESS_check_signing_certs(ss, ss2, chain, 1) == 1;
out:
	ERR_clear_error();
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ss2);
	return ok;
}

/* The certificate the SignerIdentifier names, from the CMS or the pool.
 * Borrowed. */
static X509 *
find_signer(CMS_SignerInfo *si, STACK_OF(X509) * certs, STACK_OF(X509) * pool)
{
	int i;

	for (i = 0; certs != NULL && i < sk_X509_num(certs); i++)
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
			return sk_X509_value(certs, i);
	for (i = 0; pool != NULL && i < sk_X509_num(pool); i++)
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(pool, i)) == 0)
			return sk_X509_value(pool, i);
	return NULL;
}

static int
cms_take_material(struct verify_ctx *c, CMS_ContentInfo *cms)
{
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	STACK_OF(X509_CRL) *crls = CMS_get1_crls(cms);
	int i;

	if (certs != NULL)
		verify_ctx_add_certs(c, certs);
	for (i = 0; crls != NULL && i < sk_X509_CRL_num(crls); i++)
		verify_ctx_add_crl(c, sk_X509_CRL_value(crls, i));
	sk_X509_pop_free(certs, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ERR_clear_error();
	return 0;
}

int
verify_tst(int64_t *time, char **tsa, char **why, int *held, struct verify_ctx *c,
           const unsigned char *der, size_t len, const unsigned char *data,
           const struct verify_range *ranges, size_t nranges)
{
	CMS_ContentInfo *tok = NULL;
	TS_TST_INFO *tst = NULL;
	ASN1_OCTET_STRING **pos;
	STACK_OF(X509) *signers = NULL;
	STACK_OF(CMS_SignerInfo) * sis;
	X509 *tsx = NULL;
	const unsigned char *p = der;
	const EVP_MD *md;
	TS_MSG_IMPRINT *imp;
	const ASN1_OCTET_STRING *want;
	unsigned char dg[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	struct validate_result vr;
	int ess_present = 0, rc = 0, dummy = 0;

	memset(&vr, 0, sizeof(vr));
	*why = NULL;
	*tsa = NULL;
	*time = 0;
	if (held == NULL)
		held = &dummy;
	*held = 0;
	/* By the ContentInfo's own length (BER indefinite lengths end in
	 * zero octets that look like padding); then only zeros may follow. */
	if (len > VERIFY_MAX_CMS ||
	    (tok = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "timestamp token: not a ContentInfo");
		goto out;
	}
	for (; p < der + len; p++)
		if (*p != 0) {
			rc = sertel_err(SERTEL_EINVAL,
			                "timestamp token: bytes other than "
			                "zero padding after the ContentInfo");
			goto out;
		}
	if (CMS_get0_type(tok) == NULL ||
	    OBJ_obj2nid(CMS_get0_type(tok)) != NID_pkcs7_signed ||
	    OBJ_obj2nid(CMS_get0_eContentType(tok)) != NID_id_smime_ct_TSTInfo ||
	    (pos = CMS_get0_content(tok)) == NULL || *pos == NULL) {
		rc = sertel_err(
		    SERTEL_EINVAL,
		    "timestamp token: RFC 3161 2.4.2: not a SignedData of TSTInfo");
		goto out;
	}
	p = (*pos)->data;
	if ((tst = d2i_TS_TST_INFO(NULL, &p, (*pos)->length)) == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "timestamp token: bad TSTInfo");
		goto out;
	}
	cms_take_material(c, tok);
	if (verify_time_to_epoch(time, TS_TST_INFO_get_time(tst)) < 0) {
		*why = vstrdupf("%s",
		                vtr(c, "waktu cap waktu rusak", "bad timestamp genTime"));
		goto out;
	}
	/* The token's own signature and eContent digest; no chain here. */
	if (CMS_verify(tok, c->pool, NULL, NULL, NULL,
	               CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
		*why = vstrdupf("%s", vtr(c, "tanda tangan cap waktu tidak sah",
		                          "timestamp token signature does not verify"));
		goto out;
	}
	*held |= VERIFY_TST_SIGNATURE;
	/* The imprint next, so the report says what held even when the TSA
	 * is not trusted (issue 18). */
	imp = TS_TST_INFO_get_msg_imprint(tst);
	want = TS_MSG_IMPRINT_get_msg(imp);
	md = EVP_get_digestbyobj(TS_MSG_IMPRINT_get_algo(imp)->algorithm);
	if (md == NULL) {
		*why = vstrdupf("%s", vtr(c, "algoritma hash cap waktu tidak dikenal",
		                          "unknown timestamp imprint algorithm"));
		goto out;
	}
	if ((rc = digest_ranges(dg, &dlen, md, data, ranges, nranges)) < 0)
		goto out;
	if (want == NULL || (unsigned)want->length != dlen ||
	    memcmp(want->data, dg, dlen) != 0) {
		*why = vstrdupf("%s", vtr(c, "cap waktu bukan atas data ini",
		                          "timestamp imprint does not match the data"));
		goto out;
	}
	*held |= VERIFY_TST_IMPRINT;
	sis = CMS_get0_SignerInfos(tok);
	if ((signers = CMS_get0_signers(tok)) == NULL || sk_X509_num(signers) != 1 ||
	    sk_CMS_SignerInfo_num(sis) != 1) {
		*why = vstrdupf("%s", vtr(c, "cap waktu harus punya satu penanda tangan",
		                          "timestamp token must have one signer"));
		goto out;
	}
	tsx = sk_X509_value(signers, 0);
	*tsa = vname(X509_get_subject_name(tsx));
	/* RFC 3161 2.4.2 / RFC 5816: ESS signing-certificate(-v2) required. */
	if (!ess_check(&ess_present, sk_CMS_SignerInfo_value(sis, 0), tsx) ||
	    !ess_present) {
		/* The token does not bind its signer: not a held signature. */
		*held &= ~VERIFY_TST_SIGNATURE;
		*why = vstrdupf("%s",
		                vtr(c,
		                    "cap waktu: atribut signing-certificate tidak ada "
		                    "atau tidak cocok",
		                    "timestamp: signing-certificate attribute missing or "
		                    "does not match"));
		goto out;
	}
	/* RFC 3161 2.3: the TSA certificate has id-kp-timeStamping. */
	if (!(X509_get_extension_flags(tsx) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(tsx) & XKU_TIMESTAMP)) {
		*why = vstrdupf("%s", vtr(c, "sertifikat TSA tanpa id-kp-timeStamping",
		                          "TSA certificate lacks id-kp-timeStamping"));
		goto out;
	}
	/* The TSA's path at the time it asserts. */
	{
		struct validate_params vp;

		validate_params_init(&vp);
		vp.input = c->in;
		vp.at = *time;
		vp.purpose = VALIDATE_PURPOSE_ANY;
		vp.allow_sha1 = c->opts->allow_sha1;
		if (c->nanchors == 0) {
			*why = vstrdupf("%s", vtr(c, "tidak ada akar tepercaya untuk TSA",
			                          "no trust anchor for the TSA"));
			goto out;
		}
		if (validate_cert_x509(&vr, tsx, &vp) != 0) {
			*why =
			    vstrdupf("%s: %s", vtr(c, "jalur sertifikat TSA", "TSA path"),
			             vr.reason);
			goto out;
		}
	}
	rc = 1;
out:
	ERR_clear_error();
	validate_result_free(&vr);
	sk_X509_free(signers);
	TS_TST_INFO_free(tst);
	CMS_ContentInfo_free(tok);
	if (rc == 0 && *why == NULL)
		*why =
		    vstrdupf("%s", vtr(c, "cap waktu tidak sah", "timestamp not valid"));
	return rc;
}

/* DER of a SET OF orders its elements as octet strings (X.690 11.6). */
static int
der_cmp(const unsigned char *a, int la, const unsigned char *b, int lb)
{
	int r = memcmp(a, b, (size_t)(la < lb ? la : lb));

	return r != 0 ? r : la - lb;
}

/* RFC 5652 5.4: the signature is over the DER encoding of the signed
 * attributes, and a SET OF is DER only when sorted.  OpenSSL verifies
 * over the order received (CMS_Attributes_Verify keeps it, for writers
 * that do not sort); here the attributes are put into DER order so that
 * CMS_SignerInfo_verify checks the DER re-encoding.  *sorted: whether
 * they were in DER order already.  <0 on memory errors or when they cannot
 * be re-encoded (too many, or duplicates OpenSSL will not re-add). */
static int
attrs_der_order(int *sorted, CMS_SignerInfo *si)
{
	X509_ATTRIBUTE *a[MAX_SIGNED_ATTRS], *t;
	unsigned char *der[MAX_SIGNED_ATTRS], *dt;
	int len[MAX_SIGNED_ATTRS], n, i, k, lt, rc = SERTEL_EINVAL;

	*sorted = 1;
	n = CMS_signed_get_attr_count(si);
	if (n <= 1)
		return 0;
	if (n > MAX_SIGNED_ATTRS)
		return sertel_err(SERTEL_EINVAL,
		                  "signature: more than %d signed attributes",
		                  MAX_SIGNED_ATTRS);
	memset(a, 0, sizeof(a));
	memset(der, 0, sizeof(der));
	for (i = 0; i < n; i++) {
		a[i] = CMS_signed_get_attr(si, i);
		if ((len[i] = i2d_X509_ATTRIBUTE(a[i], &der[i])) <= 0) {
			a[i] = NULL;
			goto fail;
		}
		if (i > 0 && der_cmp(der[i - 1], len[i - 1], der[i], len[i]) > 0)
			*sorted = 0;
	}
	if (*sorted) {
		rc = 0;
		goto fail; /* nothing to re-order; frees the encodings */
	}
	/* Insertion sort (at most MAX_SIGNED_ATTRS), then re-add in order. */
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && der_cmp(der[k - 1], len[k - 1], der[k], len[k]) > 0;
		     k--) {
			t = a[k], a[k] = a[k - 1], a[k - 1] = t;
			dt = der[k], der[k] = der[k - 1], der[k - 1] = dt;
			lt = len[k], len[k] = len[k - 1], len[k - 1] = lt;
		}
	for (i = 0; i < n; i++)
		if ((a[i] = X509_ATTRIBUTE_dup(a[i])) == NULL) {
			while (i-- > 0)
				X509_ATTRIBUTE_free(a[i]);
			rc = SERTEL_ENOMEM;
			goto fail;
		}
	while (CMS_signed_get_attr_count(si) > 0)
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, 0));
	rc = 0;
	for (i = 0; i < n; i++)
		if (CMS_signed_add1_attr(si, a[i]) != 1)
			rc = sertel_err(SERTEL_EINVAL,
			                "signature: signed attributes cannot be put into "
			                "DER order (duplicates?)");
	for (i = 0; i < n; i++)
		X509_ATTRIBUTE_free(a[i]);
	for (i = 0; i < n; i++)
		OPENSSL_free(der[i]);
	ERR_clear_error();
	return rc;
fail:
	for (i = 0; i < n; i++)
		OPENSSL_free(der[i]);
	ERR_clear_error();
	return rc < 0 ? sertel_err(rc, "signature: signed attributes cannot be encoded")
	              : 0;
}

/* RFC 5652 5.3, RFC 5754 3: the signature must verify with exactly the
 * declared algorithms.  A signatureAlgorithm naming a hash (sha3-256-
 * WithRSAEncryption) must name the digestAlgorithm's, and a key type that
 * is the signer's.  OpenSSL verifies with the digestAlgorithm alone, so a
 * SHA3 declaration over a SHA-256 DigestInfo would pass there.  Returns 1
 * when consistent; else 0 with *why. */
static int
algs_consistent(char **why, struct verify_ctx *c, int dnid, const X509_ALGOR *salg,
                X509 *signer)
{
	const ASN1_OBJECT *sobj;
	EVP_PKEY *pk = X509_get0_pubkey(signer);
	int snid, sdig = NID_undef, spk = NID_undef, kid;

	X509_ALGOR_get0(&sobj, NULL, NULL, salg);
	snid = OBJ_obj2nid(sobj);
	kid = pk != NULL ? EVP_PKEY_get_base_id(pk) : NID_undef;
	if (!OBJ_find_sigid_algs(snid, &sdig, &spk))
		return 1; /* a key-type OID (rsaEncryption, id-ecPublicKey) */
	if (sdig != NID_undef && sdig != dnid) {
		*why = vstrdupf(
		    c->en ? "RFC 5652 5.3: signatureAlgorithm %s does not use the "
		            "digestAlgorithm %s"
		          : "RFC 5652 5.3: signatureAlgorithm %s tidak memakai "
		            "digestAlgorithm %s",
		    OBJ_nid2ln(snid), digest_name(dnid));
		return 0;
	}
	if (spk != NID_undef && kid != NID_undef && spk != kid &&
	    !(spk == NID_rsassaPss && kid == EVP_PKEY_RSA)) {
		*why =
		    vstrdupf(c->en ? "RFC 5652 5.3: signatureAlgorithm %s is not for the "
		                     "signer's key"
		                   : "RFC 5652 5.3: signatureAlgorithm %s bukan untuk "
		                     "kunci penanda tangan",
		             OBJ_nid2ln(snid));
		return 0;
	}
	return 1;
}

/* One SignerInfo: message-digest over the content and the signature
 * over the signed attributes (or over the content when there are none). */
static void
si_check(int *digest_ok, int *signature_ok, struct verify_sig *sig, struct verify_ctx *c,
         CMS_ContentInfo *cms, CMS_SignerInfo *si, X509 *signer, const unsigned char *dg,
         unsigned int dlen, const unsigned char *data, const struct verify_range *ranges,
         size_t nranges)
{
	ASN1_OCTET_STRING *mdattr;
	ASN1_OBJECT *ctype;
	size_t i;

	CMS_SignerInfo_set1_signer_cert(si, signer);
	if (CMS_signed_get_attr_count(si) <= 0) {
		/* No signed attributes: the signature is over the content
		 * itself; let OpenSSL recompute it over the ranges. */
		BIO *b = BIO_new(BIO_s_mem());

		for (i = 0; b != NULL && i < nranges; i++)
			if (BIO_write(b, data + ranges[i].off, (int)ranges[i].len) !=
			    (int)ranges[i].len)
				break;
		*signature_ok = b != NULL && CMS_get0_SignerInfos(cms) != NULL &&
		                sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) == 1 &&
		                CMS_verify(cms, c->pool, NULL, b, NULL,
		                           CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1;
		*digest_ok = *signature_ok;
		BIO_free(b);
		ERR_clear_error();
		return;
	}
	{
		int sorted = 1;

		if (attrs_der_order(&sorted, si) < 0) {
			vappend(&sig->message, sertel_errmsg());
			sertel_err_clear();
			*digest_ok = *signature_ok = 0;
			return;
		}
		if (!sorted)
			vappend(
			    &sig->message,
			    vtr(c,
			        "RFC 5652 5.4: atribut bertanda tangan tidak dalam "
			        "urutan DER; diperiksa atas penyandian DER",
			        "RFC 5652 5.4: signed attributes are not in DER order; "
			        "checked over the DER encoding"));
	}
	/* RFC 5652 5.3, 11.1: content-type and message-digest are required,
	 * content-type equal to the eContentType. */
	ctype = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_contentType), -3,
	                                    V_ASN1_OBJECT);
	mdattr = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
	                                     V_ASN1_OCTET_STRING);
	if (ctype == NULL || OBJ_cmp(ctype, CMS_get0_eContentType(cms)) != 0)
		vappend(&sig->message, vtr(c, "atribut content-type tidak ada atau salah",
		                           "content-type attribute missing or wrong"));
	*digest_ok = ctype != NULL && mdattr != NULL &&
	             OBJ_cmp(ctype, CMS_get0_eContentType(cms)) == 0 &&
	             (unsigned)mdattr->length == dlen &&
	             memcmp(mdattr->data, dg, dlen) == 0;
	*signature_ok = CMS_SignerInfo_verify(si) == 1;
	ERR_clear_error();
}

int
verify_cms_check(struct verify_cms *out, CMS_ContentInfo **cms_out,
                 struct verify_sig *sig, struct verify_ctx *c, const unsigned char *der,
                 size_t len, const unsigned char *data, const struct verify_range *ranges,
                 size_t nranges)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) * sis;
	CMS_SignerInfo *si, *sj;
	STACK_OF(X509) *certs = NULL;
	X509_ALGOR *dalg = NULL, *salg = NULL;
	const ASN1_OBJECT *dobj;
	const EVP_MD *md;
	const unsigned char *p = der;
	ASN1_OCTET_STRING *sigval;
	const ASN1_STRING *tokder;
	unsigned char dg[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	int i, rc, nid, dok, sok;

	memset(out, 0, sizeof(*out));
	*cms_out = NULL;
	/* The Contents placeholder is zero-padded after the DER. */
	if (len > VERIFY_MAX_CMS ||
	    (cms = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "signature: not a DER CMS ContentInfo");
		goto out;
	}
	for (; p < der + len; p++)
		if (*p != 0) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "signature: bytes other than zero padding after the CMS");
			goto out;
		}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		rc = sertel_err(SERTEL_EINVAL,
		                "signature: RFC 5652 5.1: not a SignedData");
		goto out;
	}
	cms_take_material(c, cms);
	sis = CMS_get0_SignerInfos(cms);
	if (sis == NULL || sk_CMS_SignerInfo_num(sis) < 1 ||
	    sk_CMS_SignerInfo_num(sis) > 8) {
		vappend(&sig->message, vtr(c, "CMS tanpa SignerInfo yang dapat diperiksa",
		                           "the CMS has no SignerInfo to check"));
		rc = 0;
		goto done;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	if (!CMS_is_detached(cms)) {
		sig->unsupported = 1;
		vappend(&sig->message,
		        vtr(c,
		            "tidak didukung: CMS enveloping (berisi konten), bukan "
		            "tanda tangan terpisah",
		            "unsupported: an enveloping CMS (it carries content), not a "
		            "detached signature"));
		rc = 0;
		goto done;
	}
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dalg, &salg);
	X509_ALGOR_get0(&dobj, NULL, NULL, dalg);
	nid = OBJ_obj2nid(dobj);
	free(sig->digest_alg);
	sig->digest_alg = vstrdupf("%s", digest_name(nid));
	free(sig->sig_alg);
	sig->sig_alg = vstrdupf("%s", OBJ_nid2ln(OBJ_obj2nid(salg->algorithm)));
	certs = CMS_get1_certs(cms);
	out->signer = find_signer(si, certs, c->pool);
	if (out->signer == NULL) {
		vappend(&sig->message,
		        vtr(c, "sertifikat penanda tangan tidak ditemukan",
		            "the signer's certificate is not in the signature"));
		rc = 0;
		goto done;
	}
	/* find_signer may have returned one of certs: keep a reference in
	 * the pool, which outlives this call.  The pool entry is the very
	 * certificate found (X509_cmp), not the first with the same issuer
	 * and serial: another signature's certificate may share them
	 * (issue 18), and this signature's own CMS decides. */
	{
		STACK_OF(X509) *one = sk_X509_new_null();
		X509 *found = out->signer;

		if (one != NULL && sk_X509_push(one, found))
			verify_ctx_add_certs(c, one);
		sk_X509_free(one);
		out->signer = NULL;
		for (i = 0; i < sk_X509_num(c->pool); i++)
			if (X509_cmp(sk_X509_value(c->pool, i), found) == 0)
				out->signer = sk_X509_value(c->pool, i);
		if (out->signer == NULL) {
			rc = sertel_err(SERTEL_ETOOBIG,
			                "signature: too many certificates in the file");
			goto out;
		}
	}
	/* OpenSSL resolves sha256WithRSAEncryption to SHA-256 as well: a
	 * digestAlgorithm must name a digest itself (RFC 5652 5.3). */
	if ((md = EVP_get_digestbynid(nid)) != NULL && EVP_MD_get_type(md) != nid) {
		vappend(
		    &sig->message,
		    vtr(c, "RFC 5652 5.3: digestAlgorithm bukan algoritma hash",
		        "RFC 5652 5.3: the digestAlgorithm is not a digest algorithm"));
		rc = 0;
		goto done;
	}
	if (md == NULL || (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) != 0) {
		sig->unsupported = 1;
		vappend(&sig->message,
		        vtr(c, "tidak didukung: algoritma hash tidak dikenal atau XOF",
		            "unsupported: an unknown or extendable-output (SHAKE) "
		            "digest algorithm"));
		rc = 0;
		goto done;
	}
	{
		const ASN1_OBJECT *sobj;
		char oid[80] = "";

		X509_ALGOR_get0(&sobj, NULL, NULL, salg);
		OBJ_obj2txt(oid, sizeof(oid), sobj, 1);
		/* BSI TR-03111 5.2.1: ecdsa-plain-signatures (r || s). */
		if (strncmp(oid, "0.4.0.127.0.7.1.1.4.1.", 22) == 0 ||
		    OBJ_obj2nid(sobj) == NID_undef) {
			char *m =
			    vstrdupf(c->en ? "unsupported: signature algorithm %s%s"
			                   : "tidak didukung: algoritma tanda tangan "
			                     "%s%s",
			             oid,
			             strncmp(oid, "0.4.0.127.0.7.1.1.4.1.", 22) == 0
			                 ? " (PLAIN-ECDSA, BSI TR-03111)"
			                 : "");

			sig->unsupported = 1;
			vappend(&sig->message, m);
			free(m);
			rc = 0;
			goto done;
		}
	}
	if ((rc = digest_ranges(dg, &dlen, md, data, ranges, nranges)) < 0)
		goto out;
	si_check(&dok, &sok, sig, c, cms, si, out->signer, dg, dlen, data, ranges,
	         nranges);
	sig->digest_ok = dok;
	sig->signature_ok = sok;
	{
		char *why = NULL;

		if (!algs_consistent(&why, c, nid, salg, out->signer)) {
			sig->signature_ok = 0;
			vappend(&sig->message, why);
		}
		free(why);
	}
	/* Some writers (PoDoFo 0.9) emit the same SignerInfo twice.  More
	 * than one is accepted only when every one is by the same
	 * certificate with the same digest algorithm, and every one holds. */
	for (i = 1; i < sk_CMS_SignerInfo_num(sis); i++) {
		X509_ALGOR *dj = NULL;
		const ASN1_OBJECT *oj;

		sj = sk_CMS_SignerInfo_value(sis, i);
		CMS_SignerInfo_get0_algs(sj, NULL, NULL, &dj, NULL);
		X509_ALGOR_get0(&oj, NULL, NULL, dj);
		if (CMS_SignerInfo_cert_cmp(sj, out->signer) != 0 ||
		    OBJ_obj2nid(oj) != nid) {
			vappend(&sig->message,
			        vtr(c, "CMS berisi lebih dari satu penanda tangan",
			            "the CMS has more than one signer"));
			sig->signature_ok = 0;
			continue;
		}
		si_check(&dok, &sok, sig, c, cms, sj, out->signer, dg, dlen, data, ranges,
		         nranges);
		sig->digest_ok = sig->digest_ok && dok;
		sig->signature_ok = sig->signature_ok && sok;
	}
	if (!sig->digest_ok)
		vappend(&sig->message,
		        vtr(c, "hash dokumen tidak cocok: isi telah diubah",
		            "digest does not match: the content was changed"));
	if (!sig->signature_ok)
		vappend(&sig->message, vtr(c, "nilai tanda tangan tidak sah",
		                           "the signature value does not verify"));
	sig->ess_ok = ess_check(&sig->ess_present, si, out->signer);
	out->ess_present = sig->ess_present;
	if (!sig->ess_ok)
		vappend(&sig->message,
		        vtr(c,
		            "signing-certificate-v2 tidak menunjuk sertifikat "
		            "penanda tangan",
		            "signing-certificate-v2 does not name the signer's "
		            "certificate"));
	/* Claimed signing time (CAdES; PAdES puts it in /M instead). */
	i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (i >= 0) {
		X509_ATTRIBUTE *at = CMS_signed_get_attr(si, i);
		ASN1_TYPE *t = at != NULL ? X509_ATTRIBUTE_get0_type(at, 0) : NULL;

		if (t != NULL &&
		    (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
			verify_time_to_epoch(&out->claimed, t->value.utctime);
	}
	revinfo_archival(c, si);
	/* The signature timestamp is over the signature value (RFC 3161
	 * appendix A, EN 319 122-1 5.3). */
	tokder = attr_seq(si, NID_id_smime_aa_timeStampToken, 0);
	if (tokder != NULL && (sigval = CMS_SignerInfo_get0_signature(si)) != NULL) {
		struct verify_range r = {0, (size_t)sigval->length};
		char *why = NULL;

		out->ts_present = 1;
		rc = verify_tst(&out->ts_time, &out->ts_tsa, &why, NULL, c, tokder->data,
		                (size_t)tokder->length, sigval->data, &r, 1);
		out->ts_ok = rc == 1;
		if (rc < 0) {
			free(why);
			why = vstrdupf("%s: %s", vtr(c, "cap waktu", "timestamp"),
			               sertel_errmsg());
		}
		if (!out->ts_ok)
			vappend(&sig->message, why);
		free(why);
	}
done:
	rc = 0;
	*cms_out = cms;
	cms = NULL;
out:
	ERR_clear_error();
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	return rc;
}

void
verify_cms_free(struct verify_cms *v)
{
	if (v == NULL)
		return;
	free(v->ts_tsa);
	memset(v, 0, sizeof(*v));
}
