/* SPDX-License-Identifier: Apache-2.0 */
/*
 * S/MIME 4.0 (RFC 8551) on RFC 5322 messages:
 *   sign     multipart/signed (RFC 1847) with an application/pkcs7-signature
 *            part: a detached SignedData over the canonical (CRLF) inner
 *            entity.  The Content-* fields describe the inner entity; every
 *            other header field (From, To, Subject, Date, ...) stays on the
 *            outer message.
 *   verify   signature, signer's certificate path (src/pki/validate.h, for
 *            e-mail protection) to the given trust anchors, and the From
 *            address against the certificate's e-mail addresses (RFC 8550
 *            3).
 *   encrypt  application/pkcs7-mime; smime-type=authEnveloped-data (GCM)
 *            or enveloped-data (CBC), through protect.c.
 *   decrypt  back to the inner entity under the outer header fields.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "pki/validate.h"
#include "sign/sign.h"
#include "sign/sign_int.h"

#define SMIME_LINE 76

/* A message split in canonical form: header block and body. */
struct mime_msg {
	struct buf canon; /* whole message with CRLF line ends */
	size_t hdr_len;   /* header fields, each ending in CRLF */
	size_t body_off;  /* after the empty line */
};

static int mime_parse(struct mime_msg *out, const unsigned char *msg, size_t len);
static void mime_free(struct mime_msg *m);
static int header_get(char *out, size_t outsz, const unsigned char *hdr, size_t hlen,
                      const char *name);
static int split_headers(struct buf *inner, struct buf *outer, const unsigned char *hdr,
                         size_t hlen, int drop_cte);
static int param_get(char *out, size_t outsz, const char *value, const char *param);
static int b64_lines(struct buf *out, const unsigned char *p, size_t n);

/* ---- MIME helpers --------------------------------------------------------- */

/* Copies msg with every line ending (LF or CRLF) made CRLF (RFC 8551
 * 3.1.1), then finds the empty line that ends the header fields. */
static int
mime_parse(struct mime_msg *out, const unsigned char *msg, size_t len)
{
	const unsigned char *d;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > SMIME_MAX)
		return sertel_err(SERTEL_ETOOBIG, "message: over %d bytes", SMIME_MAX);
	buf_init(&out->canon, 2 * len + 4);
	for (i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			rc = buf_append(&out->canon, "\r\n", 2);
		else
			rc = buf_putc(&out->canon, msg[i]);
		if (rc < 0)
			goto fail;
	}
	if ((rc = buf_cstr(&out->canon)) < 0)
		goto fail;
	d = out->canon.data;
	if (out->canon.len >= 2 && d[0] == '\r' && d[1] == '\n') {
		/* No header fields at all. */
		out->hdr_len = 0;
		out->body_off = 2;
		return 0;
	}
	for (i = 0; i + 3 < out->canon.len; i++)
		if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' &&
		    d[i + 3] == '\n') {
			out->hdr_len = i + 2;
			out->body_off = i + 4;
			return 0;
		}
	rc = sertel_err(SERTEL_EINVAL,
	                "message: RFC 5322 2.1: no empty line between header and body");
fail:
	mime_free(out);
	return rc;
}

static void
mime_free(struct mime_msg *m)
{
	buf_free(&m->canon);
}

/* Length of the header field starting at p (with its folded lines and
 * final CRLF). */
static size_t
field_len(const unsigned char *p, size_t left)
{
	size_t i;

	for (i = 0; i + 1 < left; i++)
		if (p[i] == '\r' && p[i + 1] == '\n' &&
		    (i + 2 >= left || (p[i + 2] != ' ' && p[i + 2] != '\t')))
			return i + 2;
	return left;
}

static int
field_is(const unsigned char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n > k && strncasecmp((const char *)p, name, k) == 0 && p[k] == ':';
}

/* The unfolded value of the first field called name, trimmed. */
static int
header_get(char *out, size_t outsz, const unsigned char *hdr, size_t hlen,
           const char *name)
{
	size_t off = 0, n, i, j = 0, k = strlen(name);

	out[0] = '\0';
	while (off < hlen) {
		n = field_len(hdr + off, hlen - off);
		if (field_is(hdr + off, n, name)) {
			for (i = off + k + 1; i < off + n; i++) {
				if (hdr[i] == '\r' || hdr[i] == '\n')
					continue;
				if (j + 1 >= outsz)
					return sertel_err(SERTEL_ETOOBIG,
					                  "header %s: too long", name);
				out[j++] = (char)(hdr[i] == '\t' ? ' ' : hdr[i]);
			}
			out[j] = '\0';
			while (j > 0 && out[j - 1] == ' ')
				out[--j] = '\0';
			for (i = 0; out[i] == ' '; i++)
				;
			memmove(out, out + i, j - i + 1);
			return 0;
		}
		off += n;
	}
	return SERTEL_ENOTFOUND;
}

/* Content-* fields (and MIME-Version, dropped) belong to the inner entity
 * (RFC 8551 3.1); all other fields to the outer message.  drop_cte leaves
 * Content-Transfer-Encoding out (the caller writes its own). */
static int
split_headers(struct buf *inner, struct buf *outer, const unsigned char *hdr, size_t hlen,
              int drop_cte)
{
	size_t off = 0, n;
	int rc = 0;

	while (off < hlen && rc == 0) {
		n = field_len(hdr + off, hlen - off);
		if (field_is(hdr + off, n, "MIME-Version"))
			; /* written again on the outer message */
		else if (n > 8 &&
		         strncasecmp((const char *)hdr + off, "Content-", 8) == 0) {
			if (!(drop_cte &&
			      field_is(hdr + off, n, "Content-Transfer-Encoding")) &&
			    inner != NULL)
				rc = buf_append(inner, hdr + off, n);
		} else if (outer != NULL)
			rc = buf_append(outer, hdr + off, n);
		off += n;
	}
	return rc;
}

/* A parameter of a structured field value (RFC 2045 5.1), unquoted. */
static int
param_get(char *out, size_t outsz, const char *value, const char *param)
{
	const char *p = value;
	size_t k = strlen(param), j = 0;

	out[0] = '\0';
	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, param, k) != 0 || p[k] != '=')
			continue;
		p += k + 1;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (j + 1 >= outsz)
					return SERTEL_ETOOBIG;
				out[j++] = *p;
			}
		} else {
			for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {
				if (j + 1 >= outsz)
					return SERTEL_ETOOBIG;
				out[j++] = *p;
			}
		}
		out[j] = '\0';
		return j > 0 ? 0 : SERTEL_ENOTFOUND;
	}
	return SERTEL_ENOTFOUND;
}

/* "type/subtype" of a Content-Type value equals want (case-insensitive). */
static int
ctype_is(const char *value, const char *want)
{
	size_t k = strlen(want);

	return strncasecmp(value, want, k) == 0 &&
	       (value[k] == '\0' || value[k] == ';' || value[k] == ' ');
}

/* Base64 in lines of 76 characters, CRLF after each (RFC 2045 6.8). */
static int
b64_lines(struct buf *out, const unsigned char *p, size_t n)
{
	char *s = NULL;
	size_t i, len;
	int rc;

	if ((rc = b64_encode(&s, p, n, 0)) < 0)
		return rc;
	len = strlen(s);
	for (i = 0; i < len && rc == 0; i += SMIME_LINE) {
		rc = buf_append(out, s + i, len - i < SMIME_LINE ? len - i : SMIME_LINE);
		if (rc == 0)
			rc = buf_append(out, "\r\n", 2);
	}
	free(s);
	return rc;
}

static int
has_8bit(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] & 0x80 || p[i] == 0)
			return 1;
	return 0;
}

/* The inner MIME entity of msg: its Content-* fields (text/plain UTF-8
 * when it has none) and body.  A body with 8-bit bytes is re-encoded in
 * base64 (RFC 8551 3.1.2: signed data is 7-bit). */
static int
inner_entity(struct buf *out, struct buf *outer, const struct mime_msg *m)
{
	const unsigned char *hdr = m->canon.data, *body = m->canon.data + m->body_off;
	size_t blen = m->canon.len - m->body_off;
	char ct[1024];
	int recode, rc;

	recode = has_8bit(body, blen);
	if ((rc = split_headers(out, outer, hdr, m->hdr_len, recode)) < 0)
		return rc;
	if (header_get(ct, sizeof(ct), hdr, m->hdr_len, "Content-Type") != 0) {
		if ((rc = buf_appendf(out,
		                      "Content-Type: text/plain; charset=utf-8\r\n")) < 0)
			return rc;
	} else if (strncasecmp(ct, "multipart/", 10) == 0 && recode) {
		return sertel_err(SERTEL_EINVAL,
		                  "message: 8-bit data in a multipart body: encode its "
		                  "parts first (RFC 8551 3.1.2)");
	}
	if (recode) {
		if ((rc = buf_appendf(out, "Content-Transfer-Encoding: base64\r\n\r\n")) <
		    0)
			return rc;
		return b64_lines(out, body, blen);
	}
	if ((rc = buf_append(out, "\r\n", 2)) < 0)
		return rc;
	return buf_append(out, body, blen);
}

static const char *
micalg_name(const EVP_MD *md)
{
	/* RFC 8551 3.5.3.2 */
	switch (EVP_MD_get_type(md)) {
	case NID_sha384: return "sha-384";
	case NID_sha512: return "sha-512";
	default: return "sha-256";
	}
}

/* ---- sign --------------------------------------------------------------- */

int
smime_sign(struct buf *out, const struct sign_signer *signer, const unsigned char *msg,
           size_t len)
{
	struct mime_msg m;
	struct buf inner, res;
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL;
	const EVP_MD *md;
	unsigned char rnd[12], *der = NULL;
	char bnd[64], hex[25];
	int dlen, rc;

	buf_init(&inner, 2 * SMIME_MAX + 4096);
	buf_init(&res, 3 * SMIME_MAX + 65536);
	if ((rc = mime_parse(&m, msg, len)) < 0)
		return rc;
	if (signer == NULL || signer->key == NULL || signer->cert == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "smime: no signer");
		goto out;
	}
	md = key_digest(signer->key);
	if ((rc = inner_entity(&inner, &res, &m)) < 0)
		goto out;
	/* SignedData over the canonical inner entity, with the chain and the
	 * signing-certificate-v2 attribute; S/MIME capabilities stay (RFC 8551
	 * 2.5.2). */
	if ((in = BIO_new_mem_buf(inner.data, (int)inner.len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((cms = CMS_sign(NULL, NULL, NULL, NULL,
	                    CMS_PARTIAL | CMS_DETACHED | CMS_BINARY)) == NULL ||
	    CMS_add1_signer(cms, signer->cert, signer->key, md, CMS_BINARY | CMS_CADES) ==
	        NULL) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "smime: cannot set up the signer");
		goto out;
	}
	if ((rc = sign_cms_add_chain(cms, signer)) < 0)
		goto out;
	if (!CMS_final(cms, in, NULL, CMS_BINARY | CMS_DETACHED) ||
	    (dlen = i2d_CMS_ContentInfo(cms, &der)) <= 0) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "smime: signing failed");
		goto out;
	}
	if ((rc = rand_bytes(rnd, sizeof(rnd))) < 0)
		goto out;
	hex_encode(hex, rnd, sizeof(rnd));
	snprintf(bnd, sizeof(bnd), "----=_sertel_%s", hex);
	if ((rc = buf_appendf(&res,
	                      "MIME-Version: 1.0\r\n"
	                      "Content-Type: multipart/signed; "
	                      "protocol=\"application/pkcs7-signature\"; micalg=%s;\r\n"
	                      " boundary=\"%s\"\r\n\r\n"
	                      "This is a cryptographically signed message in MIME format."
	                      "\r\n\r\n--%s\r\n",
	                      micalg_name(md), bnd, bnd)) < 0 ||
	    (rc = buf_append(&res, inner.data, inner.len)) < 0 ||
	    (rc = buf_appendf(
	         &res,
	         "\r\n--%s\r\n"
	         "Content-Type: application/pkcs7-signature; name=\"smime.p7s\""
	         "\r\nContent-Transfer-Encoding: base64\r\n"
	         "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
	         "Content-Description: S/MIME Cryptographic Signature\r\n\r\n",
	         bnd)) < 0 ||
	    (rc = b64_lines(&res, der, (size_t)dlen)) < 0 ||
	    (rc = buf_appendf(&res, "\r\n--%s--\r\n", bnd)) < 0)
		goto out;
	rc = sign_buf_put(out, res.data, res.len);
out:
	OPENSSL_free(der);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	buf_free(&inner);
	buf_free(&res);
	mime_free(&m);
	return rc;
}

/* ---- verify ------------------------------------------------------------- */

/* Finds "\r\n--B" followed by CRLF (or "--" when closing) at or after
 * from; the returned offset is that of the CRLF.  The first delimiter may
 * also open the body directly (no preamble). */
static int
find_delim(size_t *out, size_t *after, const unsigned char *d, size_t len, size_t from,
           const char *bnd, int closing)
{
	size_t k = strlen(bnd), i;
	const unsigned char *p;

	for (i = from; i + 4 + k <= len; i++) {
		p = d + i;
		if (p[0] != '\r' || p[1] != '\n' || p[2] != '-' || p[3] != '-' ||
		    memcmp(p + 4, bnd, k) != 0)
			continue;
		p += 4 + k;
		if (closing && (size_t)(p - d) + 2 <= len && p[0] == '-' && p[1] == '-') {
			*out = i;
			*after = (size_t)(p - d) + 2;
			return 0;
		}
		/* Transport padding (RFC 2046 5.1.1) then CRLF. */
		while ((size_t)(p - d) < len && (*p == ' ' || *p == '\t'))
			p++;
		if (!closing && (size_t)(p - d) + 2 <= len && p[0] == '\r' &&
		    p[1] == '\n') {
			*out = i;
			*after = (size_t)(p - d) + 2;
			return 0;
		}
	}
	return SERTEL_ENOTFOUND;
}

/* The address in a From field: inside <...>, else the whole value. */
static int
from_address(char *out, size_t outsz, const char *from)
{
	const char *a = strrchr(from, '<'), *b;
	size_t n;

	if (a != NULL) {
		a++;
		if ((b = strchr(a, '>')) == NULL)
			return SERTEL_EINVAL;
	} else {
		a = from;
		b = from + strlen(from);
	}
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	n = (size_t)(b - a);
	if (n == 0 || n >= outsz || memchr(a, '@', n) == NULL)
		return SERTEL_EINVAL;
	memcpy(out, a, n);
	out[n] = '\0';
	return 0;
}

static int
verify_fail(struct smime_result *out, const char *fmt, const char *arg)
{
	snprintf(out->message, sizeof(out->message), fmt, arg);
	return sertel_err(SERTEL_EINVALID, "%s", out->message);
}

/* The checks after parsing: one signer, the signature over content (NULL:
 * the content inside cms), the signer's path to trust, From. */
static int
verify_cms(struct smime_result *out, CMS_ContentInfo *cms, BIO *content, const char *from,
           const struct smime_verify_opts *o)
{
	struct validate_input *vin = NULL;
	struct validate_params vp;
	struct validate_result vr;
	STACK_OF(X509) *signers = NULL, *certs = NULL;
	STACK_OF(CMS_SignerInfo) * sis;
	STACK_OF(OPENSSL_STRING) *emails = NULL;
	BIO *sink = NULL;
	ASN1_TYPE *stype;
	X509 *x;
	int rc, j, match = 0;

	memset(&vr, 0, sizeof(vr));
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
		return sertel_err(SERTEL_EINVAL,
		                  "smime: the signature is not a CMS SignedData");
	if ((sis = CMS_get0_SignerInfos(cms)) == NULL || sk_CMS_SignerInfo_num(sis) != 1)
		return verify_fail(out, "smime: expected exactly one signer%s", "");
	if (content == NULL && CMS_is_detached(cms))
		return sertel_err(SERTEL_EINVAL, "smime: signed-data without content");
	/* Embedded content goes through a sink: CMS_verify needs somewhere to
	 * write it. */
	if (content == NULL && (sink = BIO_new(BIO_s_null())) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if (CMS_verify(cms, NULL, NULL, content, sink,
	               CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		ERR_clear_error();
		rc = verify_fail(
		    out, "%s",
		    "tanda tangan tidak cocok dengan pesan / the signature does "
		    "not match the message (changed after signing?)");
		goto out;
	}
	out->signature_ok = 1;
	if ((signers = CMS_get0_signers(cms)) == NULL || sk_X509_num(signers) != 1) {
		rc = verify_fail(out, "smime: signer certificate not in the message%s",
		                 "");
		goto out;
	}
	x = sk_X509_value(signers, 0);
	sign_name_rfc2253(out->subject, sizeof(out->subject), X509_get_subject_name(x));
	j = CMS_signed_get_attr_by_NID(sk_CMS_SignerInfo_value(sis, 0),
	                               NID_pkcs9_signingTime, -1);
	stype = j < 0 ? NULL
	              : X509_ATTRIBUTE_get0_type(
	                    CMS_signed_get_attr(sk_CMS_SignerInfo_value(sis, 0), j), 0);
	if (stype != NULL &&
	    (stype->type == V_ASN1_UTCTIME || stype->type == V_ASN1_GENERALIZEDTIME)) {
		struct tm tm;
		if (ASN1_TIME_to_tm(stype->value.utctime, &tm) == 1)
			out->signing_time = (int64_t)timegm(&tm);
	}
	/* The certificate path, for e-mail protection. */
	certs = CMS_get1_certs(cms);
	if ((rc = validate_input_new(&vin)) < 0 ||
	    (rc = validate_input_add_anchors(vin, o->trust, o->trust_len,
	                                     "trust anchors")) < 0)
		goto out;
	if (o->crls != NULL && o->crls_len > 0 &&
	    (rc = validate_input_add_crls(vin, o->crls, o->crls_len, "CRLs")) < 0)
		goto out;
	for (j = 0; certs != NULL && j < sk_X509_num(certs); j++)
		if ((rc = validate_input_add_untrusted_x509(vin,
		                                            sk_X509_value(certs, j))) < 0)
			goto out;
	validate_params_init(&vp);
	vp.input = vin;
	vp.purpose = VALIDATE_PURPOSE_EMAIL;
	vp.require_revocation = o->require_revocation;
	if (o->at != 0)
		vp.at = o->at;
	out->revocation_checked = o->crls != NULL && o->crls_len > 0;
	rc = validate_cert_x509(&vr, x, &vp);
	if (rc == SERTEL_EINVALID || (rc == 0 && !vr.valid)) {
		rc = verify_fail(
		    out,
		    "sertifikat penanda tangan tidak sah / signer certificate "
		    "not valid: %s",
		    vr.reason);
		goto out;
	}
	if (rc < 0)
		goto out;
	out->chain_ok = 1;
	/* RFC 8550 3: the From address must be one of the certificate's. */
	if (from == NULL || from_address(out->from, sizeof(out->from), from) != 0) {
		rc = verify_fail(out, "smime: the message has no usable From address%s",
		                 "");
		goto out;
	}
	emails = X509_get1_email(x);
	for (j = 0; emails != NULL && j < sk_OPENSSL_STRING_num(emails); j++) {
		const char *e = sk_OPENSSL_STRING_value(emails, j);
		if (strcasecmp(e, out->from) == 0)
			match = 1;
		if (out->email[0] == '\0')
			(void)str_copy(out->email, sizeof(out->email), e);
	}
	if (!match) {
		rc = verify_fail(
		    out,
		    "alamat From tidak ada di sertifikat / From address %s is not "
		    "in the signer's certificate (RFC 8550 3)",
		    out->from);
		goto out;
	}
	out->from_ok = 1;
	out->valid = 1;
	snprintf(out->message, sizeof(out->message),
	         "tanda tangan sah / signature valid: %s", out->email);
	rc = 0;
out:
	X509_email_free(emails);
	validate_result_free(&vr);
	validate_input_free(vin);
	sk_X509_free(signers);
	sk_X509_pop_free(certs, X509_free);
	BIO_free(sink);
	return rc;
}

/* The base64 body of a (part of a) message with Content-Transfer-Encoding
 * base64, decoded; *out owned by caller. */
static int
body_b64(unsigned char **out, size_t *outlen, const struct mime_msg *m, const char *what)
{
	char cte[64];

	if (header_get(cte, sizeof(cte), m->canon.data, m->hdr_len,
	               "Content-Transfer-Encoding") != 0 ||
	    strcasecmp(cte, "base64") != 0)
		return sertel_err(SERTEL_EINVAL, "smime: %s must be base64", what);
	return b64_decode(out, outlen, (const char *)m->canon.data + m->body_off,
	                  m->canon.len - m->body_off, 0);
}

static int
der_to_cms(CMS_ContentInfo **out, const unsigned char *der, size_t len)
{
	const unsigned char *p = der;

	if ((*out = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL || p != der + len) {
		CMS_ContentInfo_free(*out);
		*out = NULL;
		return sertel_err_ossl(SERTEL_EINVAL, "smime: not one CMS structure");
	}
	return 0;
}

int
smime_verify(struct smime_result *out, const unsigned char *msg, size_t len,
             const struct smime_verify_opts *o)
{
	struct mime_msg m, part;
	CMS_ContentInfo *cms = NULL;
	BIO *content = NULL;
	const unsigned char *d, *p;
	unsigned char *sig = NULL;
	size_t siglen = 0, s1, a1, s2, a2, s3, a3, s1x;
	char ct[1024], bnd[128], proto[128], stype[64], from[512];
	int rc, have_part = 0, have_from;

	memset(out, 0, sizeof(*out));
	if (o == NULL || o->trust == NULL || o->trust_len == 0)
		return sertel_err(SERTEL_EINVAL, "smime: trust anchors are required");
	if ((rc = mime_parse(&m, msg, len)) < 0)
		return rc;
	d = m.canon.data;
	have_from = header_get(from, sizeof(from), d, m.hdr_len, "From") == 0;
	if (header_get(ct, sizeof(ct), d, m.hdr_len, "Content-Type") != 0) {
		rc = sertel_err(SERTEL_EINVAL, "smime: the message has no Content-Type");
		goto out;
	}
	if (ctype_is(ct, "application/pkcs7-mime") ||
	    ctype_is(ct, "application/x-pkcs7-mime")) {
		/* RFC 8551 3.5.2: opaque signed-data, content inside. */
		if (param_get(stype, sizeof(stype), ct, "smime-type") == 0 &&
		    strcasecmp(stype, "signed-data") != 0) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "smime: smime-type=%s is not signed (decrypt it first)",
			    stype);
			goto out;
		}
		if ((rc = body_b64(&sig, &siglen, &m, "the body")) < 0 ||
		    (rc = der_to_cms(&cms, sig, siglen)) < 0)
			goto out;
		rc = verify_cms(out, cms, NULL, have_from ? from : NULL, o);
		goto out;
	}
	if (!ctype_is(ct, "multipart/signed")) {
		rc = sertel_err(SERTEL_EINVAL, "smime: not a signed S/MIME message");
		goto out;
	}
	if (param_get(bnd, sizeof(bnd), ct, "boundary") != 0 ||
	    param_get(proto, sizeof(proto), ct, "protocol") != 0 ||
	    (strcasecmp(proto, "application/pkcs7-signature") != 0 &&
	     strcasecmp(proto, "application/x-pkcs7-signature") != 0)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "smime: RFC 1847 2.1: multipart/signed without "
		                "boundary or with a protocol other than "
		                "application/pkcs7-signature");
		goto out;
	}
	/* First delimiter: the body may open with it (no preamble). */
	if (m.canon.len - m.body_off >= 2 + strlen(bnd) && d[m.body_off] == '-' &&
	    d[m.body_off + 1] == '-' &&
	    memcmp(d + m.body_off + 2, bnd, strlen(bnd)) == 0) {
		/* The CRLF before it is the header's empty line. */
		rc = find_delim(&s1, &a1, d, m.canon.len, m.body_off - 2, bnd, 0);
	} else {
		rc = find_delim(&s1, &a1, d, m.canon.len, m.body_off, bnd, 0);
	}
	if (rc < 0 || (rc = find_delim(&s2, &a2, d, m.canon.len, a1, bnd, 0)) < 0 ||
	    (rc = find_delim(&s3, &a3, d, m.canon.len, a2, bnd, 1)) < 0) {
		rc =
		    sertel_err(SERTEL_EINVAL, "smime: multipart/signed needs exactly two "
		                              "parts and a closing delimiter");
		goto out;
	}
	/* A third part would hide inside the second. */
	if (find_delim(&s1x, &a3, d, m.canon.len, a2, bnd, 0) == 0 && s1x < s3) {
		rc =
		    sertel_err(SERTEL_EINVAL, "smime: RFC 1847 2.1: multipart/signed has "
		                              "more than two parts");
		goto out;
	}
	/* Part 2: the signature. */
	if ((rc = mime_parse(&part, d + a2, s3 - a2)) < 0)
		goto out;
	have_part = 1;
	p = part.canon.data;
	if (header_get(ct, sizeof(ct), p, part.hdr_len, "Content-Type") != 0 ||
	    (!ctype_is(ct, "application/pkcs7-signature") &&
	     !ctype_is(ct, "application/x-pkcs7-signature"))) {
		rc = sertel_err(SERTEL_EINVAL, "smime: second part is not "
		                               "application/pkcs7-signature");
		goto out;
	}
	if ((rc = body_b64(&sig, &siglen, &part, "the signature part")) < 0 ||
	    (rc = der_to_cms(&cms, sig, siglen)) < 0)
		goto out;
	/* Part 1 is signed exactly as it appears, CRLF canonical. */
	if ((content = BIO_new_mem_buf(d + a1, (int)(s2 - a1))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	rc = verify_cms(out, cms, content, have_from ? from : NULL, o);
out:
	BIO_free(content);
	CMS_ContentInfo_free(cms);
	free(sig);
	if (have_part)
		mime_free(&part);
	mime_free(&m);
	return rc;
}

/* ---- encrypt / decrypt ---------------------------------------------------- */

int
smime_encrypt(struct buf *out, STACK_OF(X509) * recips, const unsigned char *msg,
              size_t len, enum protect_cipher cipher, unsigned flags)
{
	struct mime_msg m;
	struct buf inner, res, der;
	char ct[1024];
	int rc;

	buf_init(&inner, 2 * SMIME_MAX + 4096);
	buf_init(&res, 3 * SMIME_MAX + 65536);
	buf_init(&der, 2 * SMIME_MAX + 65536);
	if ((rc = mime_parse(&m, msg, len)) < 0)
		return rc;
	/* Encrypted content is binary: no re-encoding needed. */
	if ((rc = split_headers(&inner, &res, m.canon.data, m.hdr_len, 0)) < 0)
		goto out;
	if (header_get(ct, sizeof(ct), m.canon.data, m.hdr_len, "Content-Type") ==
	        SERTEL_ENOTFOUND &&
	    (rc = buf_appendf(&inner, "Content-Type: text/plain; charset=utf-8\r\n")) < 0)
		goto out;
	if ((rc = buf_append(&inner, "\r\n", 2)) < 0 ||
	    (rc = buf_append(&inner, m.canon.data + m.body_off,
	                     m.canon.len - m.body_off)) < 0 ||
	    (rc = protect_encrypt(&der, recips, inner.data, inner.len, cipher, flags)) <
	        0)
		goto out;
	if ((rc =
	         buf_appendf(&res,
	                     "MIME-Version: 1.0\r\n"
	                     "Content-Type: application/pkcs7-mime; smime-type=%s;\r\n"
	                     " name=\"smime.p7m\"\r\n"
	                     "Content-Transfer-Encoding: base64\r\n"
	                     "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n"
	                     "\r\n",
	                     cipher == PROTECT_AES256_CBC ? "enveloped-data"
	                                                  : "authEnveloped-data")) < 0 ||
	    (rc = b64_lines(&res, der.data, der.len)) < 0)
		goto out;
	rc = sign_buf_put(out, res.data, res.len);
out:
	buf_free(&inner);
	buf_free(&res);
	buf_free(&der);
	mime_free(&m);
	return rc;
}

int
smime_decrypt(struct buf *out, EVP_PKEY *key, X509 *cert, const unsigned char *msg,
              size_t len)
{
	struct mime_msg m;
	struct buf res, plain;
	unsigned char *der = NULL;
	size_t dlen = 0;
	char ct[1024], cte[64];
	int rc;

	buf_init(&res, 3 * SMIME_MAX + 65536);
	buf_init(&plain, 2 * SMIME_MAX + 65536);
	if ((rc = mime_parse(&m, msg, len)) < 0)
		return rc;
	if (header_get(ct, sizeof(ct), m.canon.data, m.hdr_len, "Content-Type") != 0 ||
	    (!ctype_is(ct, "application/pkcs7-mime") &&
	     !ctype_is(ct, "application/x-pkcs7-mime"))) {
		rc = sertel_err(SERTEL_EINVAL,
		                "smime: not an application/pkcs7-mime message");
		goto out;
	}
	if (header_get(cte, sizeof(cte), m.canon.data, m.hdr_len,
	               "Content-Transfer-Encoding") != 0 ||
	    strcasecmp(cte, "base64") != 0) {
		rc = sertel_err(SERTEL_EINVAL, "smime: the body must be base64");
		goto out;
	}
	if ((rc = b64_decode(&der, &dlen, (const char *)m.canon.data + m.body_off,
	                     m.canon.len - m.body_off, 0)) < 0 ||
	    (rc = protect_decrypt(&plain, key, cert, der, dlen)) < 0)
		goto out;
	/* Outer fields, then the decrypted entity (its own Content-* fields
	 * and body). */
	if ((rc = split_headers(NULL, &res, m.canon.data, m.hdr_len, 0)) < 0 ||
	    (rc = buf_appendf(&res, "MIME-Version: 1.0\r\n")) < 0 ||
	    (rc = buf_append(&res, plain.data, plain.len)) < 0)
		goto out;
	rc = sign_buf_put(out, res.data, res.len);
out:
	free(der);
	buf_free(&res);
	buf_free(&plain);
	mime_free(&m);
	return rc;
}
