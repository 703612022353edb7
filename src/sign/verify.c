/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verifier's context and the signer checks shared by PDF and detached
 * signatures: trust anchors (--trust, or the instance's root with --dir),
 * the pool of certificates, CRLs and OCSP responses found in the
 * signatures and the PDF's DSS, live revocation material over HTTP
 * (authorityInfoAccess OCSP, then cRLDistributionPoints) only when
 * opts->fetch allows it, to allow-listed hosts, as NET_UNTRUSTED requests
 * within one budget per verification (issue 19: the URLs are whoever made
 * the certificate's choice), path validation with src/pki/validate.h at the signing
 * time, and who signed (NIK/NIP).
 *
 * The signing time used for the path is the signature timestamp's time
 * when it is valid, else the claimed time (CAdES signing-time or the PDF's
 * /M), else the verification time.  A claimed time proves nothing, so a
 * signer certificate that is revoked by the verification time and has no
 * valid timestamp is never "valid" (ETSI EN 319 102-1 5.6.2.1: no proof of
 * existence before the revocation).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "instance/instance.h"
#include "pki/pki.h"
#include "ra/ra.h"
#include "sign/revinfo.h"
#include "sign/verify_int.h"

static int ctx_add_cert(struct verify_ctx *c, X509 *x);
static int fetch_ocsp(struct verify_ctx *c, X509 *x, X509 *issuer);
static int fetch_crl(struct verify_ctx *c, X509 *x);
static int fetch_issuer(struct verify_ctx *c, X509 *x);
static void signer_identity(struct verify_sig *sig, struct verify_ctx *c, X509 *x);
static void vworse(enum verify_verdict *v, enum verify_verdict w);

const char *
vtr(const struct verify_ctx *c, const char *id, const char *en)
{
	return c != NULL && c->en ? en : id;
}

char *
vstrdupf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void
vappend(char **dst, const char *msg)
{
	char *s;

	if (msg == NULL || *msg == '\0')
		return;
	if (*dst == NULL) {
		*dst = vstrdupf("%s", msg);
		return;
	}
	if (strstr(*dst, msg) != NULL)
		return; /* said already */
	if ((s = vstrdupf("%s; %s", *dst, msg)) == NULL)
		return;
	free(*dst);
	*dst = s;
}

char *
vname(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *s = NULL;
	long l;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (l = BIO_get_mem_data(b, &p)) >= 0)
		s = vstrdupf("%.*s", (int)l, p != NULL ? p : "");
	BIO_free(b);
	return s;
}

/* ---- context --------------------------------------------------------- */

/* The newest CRL the instance published for one of its issuers: local
 * revocation material, usable offline. */
static void
instance_crl(struct verify_ctx *c, const char *issuer_id)
{
	unsigned char *der = NULL;
	size_t len = 0;
	int64_t next = 0;

	if (store_crl_latest(c->st, issuer_id, &der, &len, &next) == 0)
		verify_ctx_add_der(c, VERIFY_DER_CRL, der, len);
	free(der);
	sertel_err_clear();
}

int
verify_ctx_init(struct verify_ctx *c, const struct verify_opts *opts)
{
	struct issuer_rec rec;
	int i, rc;

	memset(c, 0, sizeof(*c));
	memset(&rec, 0, sizeof(rec));
	c->opts = opts;
	c->en = opts->lang != NULL && strcmp(opts->lang, "en") == 0;
	c->now = opts->at != 0 ? opts->at : time_now();
	/* URLs in certificates come from whoever made the file. */
	net_budget_init(&c->net,
	                opts->max_fetches > 0 ? opts->max_fetches : VERIFY_MAX_FETCHES,
	                opts->fetch_ms > 0 ? opts->fetch_ms : VERIFY_FETCH_MS);
	c->how.policy = NET_UNTRUSTED;
	c->how.allow = opts->allow;
	c->how.budget = &c->net;
	c->how.max = VERIFY_MAX_FETCH;
	c->how.timeout = VERIFY_FETCH_SECS;
	if ((rc = validate_input_new(&c->in)) < 0)
		goto out;
	if ((c->pool = sk_X509_new_null()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "verify: out of memory");
		goto out;
	}
	for (i = 0; opts->trust != NULL && i < sk_X509_num(opts->trust); i++) {
		if ((rc = validate_input_add_anchor_x509(
		         c->in, sk_X509_value(opts->trust, i))) < 0)
			goto out;
		c->nanchors++;
	}
	if (opts->store != NULL) {
		c->st = opts->store;
	} else if (opts->dir != NULL) {
		if ((rc = instance_open(&c->inst, opts->dir)) < 0)
			goto out;
		c->st = c->inst->st;
	}
	if (c->st != NULL) {
		/* The instance's own root (unless --trust names others) and
		 * its issuing CA. */
		if (store_issuer_by_role(c->st, "root", &rec) == 0) {
			if (c->nanchors == 0) {
				X509 *root =
				    pki_x509_from_der(rec.cert_der, rec.cert_len);

				rc = root != NULL
				         ? validate_input_add_anchor_x509(c->in, root)
				         : sertel_err(SERTEL_ESTORE,
				                      "verify: the instance root in the "
				                      "store is not a certificate");
				X509_free(root);
				if (rc < 0)
					goto out;
				c->nanchors++;
			}
			instance_crl(c, rec.id);
		}
		issuer_rec_free(&rec);
		memset(&rec, 0, sizeof(rec));
		if (store_issuer_by_role(c->st, "issuing", &rec) == 0) {
			verify_ctx_add_der(c, VERIFY_DER_CERT, rec.cert_der,
			                   rec.cert_len);
			instance_crl(c, rec.id);
		}
	}
	rc = 0;
	sertel_err_clear();
out:
	issuer_rec_free(&rec);
	if (rc < 0)
		verify_ctx_free(c); /* keeps the recorded message */
	return rc;
}

void
verify_ctx_free(struct verify_ctx *c)
{
	if (c == NULL)
		return;
	validate_input_free(c->in);
	sk_X509_pop_free(c->pool, X509_free);
	if (c->inst != NULL)
		instance_close(c->inst);
	memset(c, 0, sizeof(*c));
}

static int
ctx_add_cert(struct verify_ctx *c, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(c->pool); i++)
		if (X509_cmp(sk_X509_value(c->pool, i), x) == 0)
			return 0;
	if (sk_X509_num(c->pool) >= VALIDATE_MAX_CERTS)
		return 0;
	if (!X509_up_ref(x))
		return sertel_err(SERTEL_ECRYPTO, "verify: X509_up_ref");
	if (!sk_X509_push(c->pool, x)) {
		X509_free(x);
		return sertel_err(SERTEL_ENOMEM, "verify: out of memory");
	}
	/* Over the validator's limit: the certificate is not used. */
	if (validate_input_add_untrusted_x509(c->in, x) < 0)
		sertel_err_clear();
	return 0;
}

int
verify_ctx_add_certs(struct verify_ctx *c, STACK_OF(X509) * certs)
{
	int i, rc;

	for (i = 0; i < sk_X509_num(certs); i++)
		if ((rc = ctx_add_cert(c, sk_X509_value(certs, i))) < 0)
			return rc;
	return 0;
}

int
verify_ctx_add_crl(struct verify_ctx *c, X509_CRL *crl)
{
	/* Over the limit: the material is simply not used. */
	validate_input_add_crl_x509(c->in, crl);
	sertel_err_clear();
	return 0;
}

int
verify_ctx_add_ocsp(struct verify_ctx *c, OCSP_RESPONSE *resp)
{
	validate_input_add_ocsp_response(c->in, resp);
	sertel_err_clear();
	return 0;
}

int
verify_ctx_add_der(struct verify_ctx *c, int kind, const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = NULL;
	X509_CRL *crl = NULL;
	OCSP_RESPONSE *r = NULL;
	int rc = 0;

	if (len > VERIFY_MAX_FETCH)
		return 0;
	switch (kind) {
	case VERIFY_DER_CERT:
		if ((x = pki_x509_from_der(der, len)) != NULL)
			rc = ctx_add_cert(c, x);
		break;
	case VERIFY_DER_CRL:
		if ((crl = pki_crl_from_der(der, len)) != NULL)
			rc = verify_ctx_add_crl(c, crl);
		break;
	default:
		if ((r = d2i_OCSP_RESPONSE(NULL, &p, (long)len)) != NULL)
			rc = verify_ctx_add_ocsp(c, r);
		break;
	}
	X509_free(x);
	X509_CRL_free(crl);
	OCSP_RESPONSE_free(r);
	ERR_clear_error();
	return rc;
}

/* ---- live revocation material ------------------------------------------ */

/* Whether fetching is allowed at all: not offline, an allow-list given;
 * the number of requests and their time are net_http()'s to count. */
static int
may_fetch(const struct verify_ctx *c)
{
	return !c->opts->offline && c->opts->fetch == VERIFY_FETCH_ALLOWLIST &&
	       c->opts->allow != NULL && c->net.left > 0;
}

static int
fetch_ocsp(struct verify_ctx *c, X509 *x, X509 *issuer)
{
	struct buf b;

	if (!may_fetch(c) || revinfo_fetch_ocsp(&b, x, issuer, &c->how) < 0)
		return 0;
	verify_ctx_add_der(c, VERIFY_DER_OCSP, b.data, b.len);
	buf_free(&b);
	return 1;
}

static int
fetch_crl(struct verify_ctx *c, X509 *x)
{
	struct buf b;
	BIO *bio = NULL;
	X509_CRL *crl = NULL;

	if (!may_fetch(c) || revinfo_fetch_crl(&b, x, &c->how) < 0)
		return 0;
	if (b.len > 0 && b.data[0] == '-') {
		if ((bio = BIO_new_mem_buf(b.data, (int)b.len)) != NULL &&
		    (crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL)
			verify_ctx_add_crl(c, crl);
		X509_CRL_free(crl);
		BIO_free(bio);
	} else {
		verify_ctx_add_der(c, VERIFY_DER_CRL, b.data, b.len);
	}
	buf_free(&b);
	ERR_clear_error();
	return 1;
}

/* RFC 5280 4.2.2.1 caIssuers: a DER certificate, PEM, or a certs-only
 * CMS ("application/pkcs7-mime"). */
static int
fetch_issuer(struct verify_ctx *c, X509 *x)
{
	struct buf b;
	int got = 0;

	if (!may_fetch(c) || revinfo_fetch_issuer(&b, x, &c->how) < 0)
		return 0;
	if (b.len > 0 && b.data[0] == '-') {
		BIO *bio = BIO_new_mem_buf(b.data, (int)b.len);
		X509 *y;

		while (bio != NULL &&
		       (y = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
			ctx_add_cert(c, y);
			X509_free(y);
			got = 1;
		}
		BIO_free(bio);
	} else {
		const unsigned char *p = b.data;
		X509 *y = d2i_X509(NULL, &p, (long)b.len);

		if (y != NULL) {
			ctx_add_cert(c, y);
			X509_free(y);
			got = 1;
		} else {
			CMS_ContentInfo *cms;

			p = b.data;
			if ((cms = d2i_CMS_ContentInfo(NULL, &p, (long)b.len)) != NULL) {
				STACK_OF(X509) *certs = CMS_get1_certs(cms);

				if (certs != NULL && sk_X509_num(certs) > 0) {
					verify_ctx_add_certs(c, certs);
					got = 1;
				}
				sk_X509_pop_free(certs, X509_free);
				CMS_ContentInfo_free(cms);
			}
		}
	}
	buf_free(&b);
	ERR_clear_error();
	return got;
}

/* ---- the signer -------------------------------------------------------- */

/* Subject, issuer, serial; NIK/NIP from the subject serialNumber (16
 * digits: NIK, 18: NIP, optionally prefixed "NIK:"/"NIP:") and, with an
 * instance, from the person the certificate is bound to (sertel keeps NIK
 * and NIP in its store, not in certificates: docs/PROFILES.md). */
static void
signer_identity(struct verify_sig *sig, struct verify_ctx *c, X509 *x)
{
	X509_NAME *subj = X509_get_subject_name(x);
	char serial[SERIAL_HEX_MAX + 1];
	char buf[SERTEL_MAX_NAME];
	struct cert_rec rec;
	struct ra_person person;
	unsigned char *der = NULL;
	const char *v;
	int i, n;

	memset(&rec, 0, sizeof(rec));
	sig->subject = vname(subj);
	sig->issuer = vname(X509_get_issuer_name(x));
	if ((i = X509_NAME_get_index_by_NID(subj, NID_commonName, -1)) >= 0 &&
	    X509_NAME_get_text_by_NID(subj, NID_commonName, buf, sizeof(buf)) > 0)
		sig->common_name = vstrdupf("%s", buf);
	if (serial_to_hex(serial, X509_get0_serialNumber(x)) == 0)
		sig->serial_hex = vstrdupf("%s", serial);
	for (i = -1; (i = X509_NAME_get_index_by_NID(subj, NID_serialNumber, i)) >= 0;) {
		ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i));

		n = ASN1_STRING_length(s);
		v = (const char *)ASN1_STRING_get0_data(s);
		if (n > 4 &&
		    (strncasecmp(v, "NIK:", 4) == 0 || strncasecmp(v, "NIP:", 4) == 0)) {
			int nip = strncasecmp(v, "NIP:", 4) == 0;

			v += 4;
			n -= 4;
			if (nip && sig->nip == NULL)
				sig->nip = vstrdupf("%.*s", n, v);
			else if (!nip && sig->nik == NULL)
				sig->nik = vstrdupf("%.*s", n, v);
		} else if (n == 16 && (int)strspn(v, "0123456789") >= 16 &&
		           sig->nik == NULL) {
			sig->nik = vstrdupf("%.16s", v);
		} else if (n == 18 && (int)strspn(v, "0123456789") >= 18 &&
		           sig->nip == NULL) {
			sig->nip = vstrdupf("%.18s", v);
		}
	}
	if (c->st == NULL || sig->serial_hex == NULL)
		goto out;
	if (store_cert_get(c->st, sig->serial_hex, &rec) < 0)
		goto out;
	/* Only when the record is this very certificate. */
	n = i2d_X509(x, &der);
	if (n <= 0 || (size_t)n != rec.der_len ||
	    memcmp(der, rec.der, rec.der_len) != 0 || rec.nik[0] == '\0')
		goto out;
	if (sig->nik == NULL)
		sig->nik = vstrdupf("%s", rec.nik);
	if (sig->nip == NULL && ra_person_get(&person, c->st, rec.nik) == 0 &&
	    person.nip[0] != '\0')
		sig->nip = vstrdupf("%s", person.nip);
out:
	OPENSSL_free(der);
	cert_rec_free(&rec);
	sertel_err_clear();
	ERR_clear_error();
}

static void
vworse(enum verify_verdict *v, enum verify_verdict w)
{
	if (w == VERIFY_INVALID || (w == VERIFY_INDETERMINATE && *v == VERIFY_VALID))
		*v = w;
}

/* Appends (front = 0) or inserts before the others (front = 1), once per
 * code.  When full, an appended reason is dropped and an inserted one
 * pushes out the last. */
static void
reason_put(struct verify_sig *sig, int front, const char *code)
{
	const struct verify_reason *rp = verify_reason_get(code);
	struct verify_reason r;
	size_t i;

	if (rp == NULL)
		return;
	r = *rp;

	for (i = 0; i < sig->nreasons; i++)
		if (strcmp(sig->reasons[i].code, code) == 0)
			return;
	if (!front) {
		if (sig->nreasons < VERIFY_MAX_REASONS)
			sig->reasons[sig->nreasons++] = r;
		return;
	}
	if (sig->nreasons < VERIFY_MAX_REASONS)
		sig->nreasons++;
	memmove(&sig->reasons[1], &sig->reasons[0],
	        (sig->nreasons - 1) * sizeof(sig->reasons[0]));
	sig->reasons[0] = r;
}

static void
reason_drop(struct verify_sig *sig, const char *code)
{
	size_t i;

	for (i = 0; i < sig->nreasons; i++)
		if (strcmp(sig->reasons[i].code, code) == 0) {
			memmove(&sig->reasons[i], &sig->reasons[i + 1],
			        (sig->nreasons - i - 1) * sizeof(sig->reasons[0]));
			sig->nreasons--;
			return;
		}
}

void
verify_reason_add(struct verify_sig *sig, const char *code)
{
	reason_put(sig, 0, code);
}

void
verify_reason_first(struct verify_sig *sig, const char *code)
{
	reason_put(sig, 1, code);
}

/* Validates with revocation required; when the status is not known and
 * the network may be used, fetches OCSP (else CRLs) for the certificates
 * of the closest path and tries again. */
static int
path_at(struct validate_result *r, struct verify_ctx *c, X509 *x, int64_t at,
        enum validate_purpose purpose)
{
	struct validate_params vp;
	int round, i, rc, fetched;

	validate_params_init(&vp);
	vp.input = c->in;
	vp.at = at;
	vp.purpose = purpose;
	vp.require_revocation = 1;
	vp.allow_sha1 = c->opts->allow_sha1;
	for (round = 0;; round++) {
		rc = validate_cert_x509(r, x, &vp);
		if (rc != SERTEL_EINVALID || round >= 3 || !may_fetch(c) ||
		    r->chain == NULL || sk_X509_num(r->chain) == 0)
			return rc;
		fetched = 0;
		if (r->error == VALIDATE_ERR_PATH) {
			/* A missing issuer: authorityInfoAccess caIssuers. */
			if (!fetch_issuer(
			        c, sk_X509_value(r->chain, sk_X509_num(r->chain) - 1)))
				return rc;
			validate_result_free(r);
			continue;
		}
		if (r->error != VALIDATE_ERR_REVINFO && r->error != VALIDATE_ERR_STALE)
			return rc;
		for (i = 0; i + 1 < sk_X509_num(r->chain); i++) {
			X509 *cx = sk_X509_value(r->chain, i);

			if (fetch_ocsp(c, cx, sk_X509_value(r->chain, i + 1)) ||
			    fetch_crl(c, cx))
				fetched = 1;
		}
		if (!fetched)
			return rc;
		validate_result_free(r);
	}
}

/* With [verify] allow_sha1, a valid path may hold SHA-1 signatures: the
 * verdict says so (issue 18), naming the certificate. */
void
verify_note_sha1(struct verify_sig *sig, struct verify_ctx *c, STACK_OF(X509) * chain)
{
	int i;

	/* The anchor's own signature proves nothing either way. */
	for (i = 0; chain != NULL && i + 1 < sk_X509_num(chain); i++) {
		char *n, *m;

		if (validate_sig_weak(sk_X509_value(chain, i)) != 1)
			continue;
		n = vname(X509_get_subject_name(sk_X509_value(chain, i)));
		m = vstrdupf(c->en ? "SHA-1 signature on the certificate %s accepted "
		                     "([verify] allow_sha1, historic documents)"
		                   : "tanda tangan SHA-1 pada sertifikat %s diterima "
		                     "([verify] allow_sha1, dokumen lama)",
		             n != NULL ? n : "?");
		vappend(&sig->message, m);
		free(m);
		free(n);
		break;
	}
}

int
verify_signer(struct verify_sig *sig, struct verify_ctx *c, X509 *signer, int64_t at,
              int time_trusted)
{
	struct validate_result r, r2;
	int64_t later, na;
	size_t i;
	int rc, revoked_later;

	memset(&r, 0, sizeof(r));
	memset(&r2, 0, sizeof(r2));
	signer_identity(sig, c, signer);
	/* A claimed time after the verification time is not believed. */
	if (!time_trusted && at > c->now)
		at = c->now;
	sig->validation_time = at;
	sig->time_trusted = time_trusted;
	if (c->nanchors == 0) {
		sig->chain_ok = 0;
		sig->chain_message =
		    vstrdupf("%s", vtr(c, "tidak ada akar tepercaya (--trust atau --dir)",
		                       "no trust anchor given (--trust or --dir)"));
		vworse(&sig->verdict, VERIFY_INDETERMINATE);
		verify_reason_add(sig, "no_trust_anchor");
		vappend(&sig->message, sig->chain_message);
		return 0;
	}
	rc = path_at(&r, c, signer, at, VALIDATE_PURPOSE_SIGNING);
	if (rc < 0 && rc != SERTEL_EINVALID) {
		rc = sertel_err(rc, "%s", sertel_errmsg());
		goto out;
	}
	if ((sig->path = calloc(r.path_len + 1, sizeof(char *))) != NULL) {
		for (i = 0; i < r.path_len; i++)
			sig->path[i] = vstrdupf("%s", r.path[i].subject);
		sig->path_len = r.path_len;
	}
	sig->chain_ok = r.valid;
	sig->revocation_ok = r.valid;
	if (!r.valid) {
		sig->chain_message = vstrdupf("%s", r.reason);
		switch (r.error) {
		case VALIDATE_ERR_REVOKED:
			sig->revoked = 1;
			sig->chain_ok = 1; /* the path was fine but for revocation */
			vworse(&sig->verdict, VERIFY_INVALID);
			verify_reason_add(sig, "revoked_before_signing");
			vappend(&sig->message, vtr(c,
			                           "sertifikat penanda tangan dicabut "
			                           "sebelum waktu penandatanganan",
			                           "the signer's certificate was revoked "
			                           "before the signing time"));
			break;
		case VALIDATE_ERR_USAGE:
			vworse(&sig->verdict, VERIFY_INVALID);
			verify_reason_add(sig, "not_for_signing");
			vappend(&sig->message,
			        vtr(c, "sertifikat tidak untuk tanda tangan",
			            "the certificate is not for signing"));
			break;
		case VALIDATE_ERR_REVINFO:
		case VALIDATE_ERR_STALE:
			sig->chain_ok = 1;
			vworse(&sig->verdict, VERIFY_INDETERMINATE);
			verify_reason_add(sig, "revocation_unknown");
			vappend(
			    &sig->message,
			    vtr(c, "status pencabutan sertifikat tidak dapat dipastikan",
			        "the revocation status of the certificate is unknown"));
			break;
		default:
			vworse(&sig->verdict, VERIFY_INDETERMINATE);
			verify_reason_add(sig, "untrusted_certificate");
			vappend(&sig->message, vtr(c, "jalur sertifikat tidak sah",
			                           "the certificate path is not valid"));
			break;
		}
		vappend(&sig->message, r.reason);
	}
	if (r.valid)
		verify_note_sha1(sig, c, r.chain);
	/* Without a trusted time, a claimed time inside the validity period
	 * proves nothing once the certificate has expired (ETSI EN 319 102-1
	 * 5.2.7: no proof of existence). */
	verify_time_to_epoch(&na, X509_get0_notAfter(signer));
	if (!time_trusted && r.valid && c->now > na) {
		sig->revocation_ok = 0;
		vworse(&sig->verdict, VERIFY_INDETERMINATE);
		verify_reason_add(sig, "expired_no_timestamp");
		vappend(&sig->message, vtr(c,
		                           "sertifikat sudah kedaluwarsa dan tidak ada "
		                           "cap waktu yang membuktikan "
		                           "tanda tangan dibuat sebelumnya",
		                           "the certificate has expired and no timestamp "
		                           "proves the signature "
		                           "was made before"));
	}
	if (time_trusted && r.valid && c->now > na)
		verify_reason_add(sig, "expired_after_timestamp");
	/* Without a trusted time, a revocation after the claimed time is no
	 * comfort: the signature may have been made after it.  With one, it
	 * does not undo the signature (ETSI EN 319 102-1 5.6.2.1: proof of
	 * existence before the revocation), and the reader is told so. */
	if (r.valid) {
		later = c->now < na ? c->now : na;
		if (later > at) {
			struct validate_params vp;

			validate_params_init(&vp);
			vp.input = c->in;
			vp.at = later;
			vp.purpose = VALIDATE_PURPOSE_SIGNING;
			vp.allow_sha1 = c->opts->allow_sha1;
			revoked_later =
			    validate_cert_x509(&r2, signer, &vp) == SERTEL_EINVALID &&
			    r2.error == VALIDATE_ERR_REVOKED;
			if (revoked_later && time_trusted) {
				sig->revoked = 1;
				vappend(&sig->message,
				        vtr(c,
				            "sertifikat dicabut sesudah cap waktu tanda "
				            "tangan; tanda tangan tetap sah",
				            "the certificate was revoked after the "
				            "signature's timestamp; the signature stays "
				            "valid"));
				verify_reason_add(sig, "revoked_after_timestamp");
			} else if (revoked_later) {
				sig->revoked = 1;
				sig->revocation_ok = 0;
				verify_reason_add(sig, "revoked_no_timestamp");
				vworse(&sig->verdict, VERIFY_INDETERMINATE);
				vappend(&sig->message,
				        vtr(c,
				            "sertifikat telah dicabut dan tidak ada cap "
				            "waktu yang "
				            "membuktikan tanda tangan dibuat sebelumnya",
				            "the certificate has been revoked and no "
				            "timestamp proves "
				            "the signature was made before"));
			}
		}
	}
	rc = 0;
out:
	sertel_err_clear();
	validate_result_free(&r);
	validate_result_free(&r2);
	return rc;
}

/* The reasons the flags of sig give, and the one integrity fact.  What
 * made the signature invalid goes first, what is unknown next; a valid
 * signature leads with that and keeps what it survived (a revocation or
 * expiry after its timestamp). */
static void
conclude_reasons(struct verify_sig *sig)
{
	sig->changed = !sig->byterange_ok || !sig->changes_allowed ||
	               (!sig->unsupported && !sig->digest_ok);
	if (sig->unsupported)
		reason_put(sig, 1, "unsupported");
	if (sig->timestamp_present && !sig->timestamp_ok)
		reason_put(sig, 1, "timestamp_invalid");
	if (sig->digest_alg != NULL && (strcmp(sig->digest_alg, "MD5") == 0 ||
	                                strcmp(sig->digest_alg, "SHA-1") == 0))
		reason_put(sig, 1, "weak_digest");
	if (!sig->unsupported && sig->ess_present && !sig->ess_ok)
		reason_put(sig, 1, "signing_certificate_mismatch");
	if (!sig->unsupported && !sig->signature_ok && !sig->changed)
		reason_put(sig, 1, "signature_broken");
	if (sig->byterange_ok && !sig->changes_allowed)
		reason_put(sig, 1, "changed_after_signing");
	if (sig->changed && (!sig->byterange_ok || !sig->digest_ok))
		reason_put(sig, 1, "document_changed");
	/* "It stays valid" is no comfort next to another failure. */
	if (sig->verdict != VERIFY_VALID) {
		reason_drop(sig, "revoked_after_timestamp");
		reason_drop(sig, "expired_after_timestamp");
	}
	if (sig->verdict == VERIFY_VALID)
		reason_put(sig, 1,
		           sig->kind == VERIFY_KIND_DOC_TIMESTAMP ? "timestamp_valid"
		                                                  : "signature_valid");
	else if (sig->nreasons == 0)
		reason_put(sig, 0, "cannot_confirm");
}

void
verify_sig_conclude(struct verify_sig *sig, struct verify_ctx *c)
{
	if (!sig->byterange_ok || !sig->changes_allowed ||
	    (!sig->unsupported && (!sig->digest_ok || !sig->signature_ok ||
	                           (sig->ess_present && !sig->ess_ok))))
		vworse(&sig->verdict, VERIFY_INVALID);
	/* Not verified at all: nothing known either way (issue 18). */
	if (sig->unsupported)
		vworse(&sig->verdict, VERIFY_INDETERMINATE);
	if (sig->timestamp_present && !sig->timestamp_ok)
		vworse(&sig->verdict, VERIFY_INDETERMINATE);
	if (sig->digest_alg != NULL && (strcmp(sig->digest_alg, "MD5") == 0 ||
	                                strcmp(sig->digest_alg, "SHA-1") == 0)) {
		vworse(&sig->verdict, VERIFY_INDETERMINATE);
		vappend(&sig->message,
		        vtr(c, "algoritma hash sudah tidak aman",
		            "the digest algorithm is no longer acceptable"));
	}
	if (!sig->chain_ok || !sig->revocation_ok)
		vworse(&sig->verdict, VERIFY_INDETERMINATE);
	conclude_reasons(sig);
	if (sig->verdict == VERIFY_VALID && sig->message == NULL)
		sig->message = vstrdupf(
		    "%s", sig->kind == VERIFY_KIND_DOC_TIMESTAMP
		              ? vtr(c, "cap waktu dokumen sah",
		                    "the document timestamp is valid")
		              : vtr(c, "tanda tangan sah", "the signature is valid"));
}

void
verify_sig_clear(struct verify_sig *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->field);
	free(s->subject);
	free(s->common_name);
	free(s->nik);
	free(s->nip);
	free(s->issuer);
	free(s->serial_hex);
	free(s->subfilter);
	free(s->digest_alg);
	free(s->sig_alg);
	free(s->reason);
	free(s->location);
	free(s->message);
	free(s->tsa);
	free(s->chain_message);
	for (i = 0; s->path != NULL && i < s->path_len; i++)
		free(s->path[i]);
	free(s->path);
	for (i = 0; s->changes != NULL && i < s->nchanges; i++)
		free(s->changes[i].what);
	free(s->changes);
	memset(s, 0, sizeof(*s));
}

void
verify_report_free(struct verify_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsigs; i++)
		verify_sig_clear(&r->sigs[i]);
	free(r->sigs);
	free(r->message);
	free(r);
}

/* ---- detached signatures ----------------------------------------------- */

int
verify_detached(struct verify_report **out, const unsigned char *content,
                size_t content_len, const unsigned char *sigdata, size_t sig_len,
                const struct verify_opts *opts)
{
	struct verify_ctx c;
	struct verify_report *r = NULL;
	struct verify_sig *sig;
	struct verify_cms vc;
	struct verify_range range = {0, content_len};
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	long derlen = 0;
	int64_t at;
	int rc, ctx_ok = 0;

	*out = NULL;
	memset(&vc, 0, sizeof(vc));
	if ((rc = verify_ctx_init(&c, opts)) < 0)
		return rc;
	ctx_ok = 1;
	/* PEM ("PKCS7" or "CMS") or DER. */
	if (sig_len > 10 && memcmp(sigdata, "-----BEGIN", 10) == 0) {
		BIO *b = BIO_new_mem_buf(sigdata, (int)sig_len);
		char *name = NULL, *hdr = NULL;

		if (b == NULL || PEM_read_bio(b, &name, &hdr, &der, &derlen) != 1 ||
		    (strcmp(name, "PKCS7") != 0 && strcmp(name, "CMS") != 0)) {
			BIO_free(b);
			OPENSSL_free(name);
			OPENSSL_free(hdr);
			rc = sertel_err(SERTEL_EINVAL, "signature: not PEM PKCS7/CMS");
			goto out;
		}
		BIO_free(b);
		OPENSSL_free(name);
		OPENSSL_free(hdr);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->sigs = calloc(1, sizeof(*sig))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "verify: out of memory");
		goto out;
	}
	r->nsigs = 1;
	r->verified_at = c.now;
	sha256_hex(r->sha256_hex, content, content_len);
	sig = &r->sigs[0];
	sig->kind = VERIFY_KIND_DETACHED;
	sig->byterange_ok = 1;
	sig->changes_allowed = 1;
	rc = verify_cms_check(&vc, &cms, sig, &c, der != NULL ? der : sigdata,
	                      der != NULL ? (size_t)derlen : sig_len, content, &range, 1);
	if (rc < 0)
		goto out;
	sig->signing_time = vc.claimed;
	sig->timestamp_present = vc.ts_present;
	sig->timestamp_ok = vc.ts_ok;
	if (vc.ts_ok) {
		sig->timestamp_time = vc.ts_time;
		sig->tsa = vc.ts_tsa;
		vc.ts_tsa = NULL;
	}
	if (vc.signer != NULL) {
		at = vc.ts_ok ? vc.ts_time : vc.claimed != 0 ? vc.claimed : c.now;
		if ((rc = verify_signer(sig, &c, vc.signer, at, vc.ts_ok)) < 0)
			goto out;
	} else {
		sig->signature_ok = 0;
	}
	verify_sig_conclude(sig, &c);
	r->verdict = sig->verdict;
	r->message = vstrdupf("%s", sig->message != NULL ? sig->message : "");
	*out = r;
	r = NULL;
	rc = 0;
out:
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	verify_cms_free(&vc);
	verify_report_free(r);
	if (ctx_ok)
		verify_ctx_free(&c);
	ERR_clear_error();
	return rc;
}

/* ---- [verify] configuration -------------------------------------------- */

static int
conf_fetch_mode(int *out, const struct config *cfg, const char *key)
{
	const char *v = config_get(cfg, "verify", key, "off");

	if (strcmp(v, "off") == 0)
		*out = VERIFY_FETCH_OFF;
	else if (strcmp(v, "allowlist") == 0)
		*out = VERIFY_FETCH_ALLOWLIST;
	else
		return sertel_err(SERTEL_EINVAL,
		                  "[verify] %s: '%s' is not off or allowlist", key, v);
	return 0;
}

static int
conf_bytes(unsigned long long *out, const struct config *cfg, const char *key,
           long long def)
{
	long long v = config_get_int(cfg, "verify", key, def);

	if (v <= 0)
		return sertel_err(SERTEL_EINVAL, "[verify] %s: must be a positive number",
		                  key);
	*out = (unsigned long long)v;
	return 0;
}

int
verify_conf_load(struct verify_conf *out, const struct config *cfg)
{
	unsigned long long n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = conf_fetch_mode(&out->fetch, cfg, "fetch")) < 0 ||
	    (rc = conf_fetch_mode(&out->public_fetch, cfg, "public_fetch")) < 0 ||
	    (rc = net_allow_parse(&out->hosts,
	                          config_get(cfg, "verify", "fetch_hosts", ""))) < 0)
		return rc;
	if ((rc = conf_bytes(&n, cfg, "max_fetches", VERIFY_MAX_FETCHES)) < 0)
		return rc;
	if (n > 16)
		return sertel_err(SERTEL_EINVAL, "[verify] max_fetches: at most 16");
	out->max_fetches = (int)n;
	if ((rc = conf_bytes(&n, cfg, "fetch_ms", VERIFY_FETCH_MS)) < 0)
		return rc;
	if (n > 60000)
		return sertel_err(SERTEL_EINVAL, "[verify] fetch_ms: at most 60000");
	out->fetch_ms = (long)n;
	if ((rc = conf_bytes(&out->public_decode_max, cfg, "public_decode_max",
	                     32LL * 1024 * 1024)) < 0 ||
	    (rc = conf_bytes(&out->public_decode_ratio, cfg, "public_decode_ratio", 64)) <
	        0 ||
	    (rc = conf_bytes(&out->public_decode_pool, cfg, "public_decode_pool",
	                     256LL * 1024 * 1024)) < 0 ||
	    (rc = conf_bytes(&out->public_parse_max, cfg, "public_parse_max",
	                     64LL * 1024 * 1024)) < 0 ||
	    (rc = conf_bytes(&out->decode_max, cfg, "decode_max",
	                     2LL * 1024 * 1024 * 1024)) < 0 ||
	    (rc = conf_bytes(&out->decode_pool, cfg, "decode_pool",
	                     1024LL * 1024 * 1024)) < 0)
		return rc;
	{
		const char *v = config_get(cfg, "verify", "allow_sha1", "no");

		if (strcmp(v, "yes") == 0)
			out->allow_sha1 = 1;
		else if (strcmp(v, "no") != 0)
			return sertel_err(SERTEL_EINVAL,
			                  "[verify] allow_sha1: '%s' is not yes or no",
			                  v);
	}
	return 0;
}

unsigned long long
verify_conf_public_limit(const struct verify_conf *vc, size_t len)
{
	/* A small file still gets 1 MiB: its xref and object streams. */
	unsigned long long floor = 1024 * 1024, v = floor;

	if (len > 0 && (unsigned long long)len <= ~0ULL / vc->public_decode_ratio)
		v = (unsigned long long)len * vc->public_decode_ratio;
	if (v < floor)
		v = floor;
	return v < vc->public_decode_max ? v : vc->public_decode_max;
}
