/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One signing call of the e-sign API: who signs (an owner by NIK or
 * e-mail, or an organisation seal), whether they may (status, lock,
 * TOTP, the certificate itself), one unsealing of the key for the whole
 * call (Argon2id at libsodium's INTERACTIVE level or above: 2 passes over
 * 64 MiB, about 0.1-0.2 s of one core, so a bulk call pays it once, not
 * per file), a PAdES signature per file, and the registry entries of
 * every signed file in one transaction.  The key is freed (OpenSSL
 * cleanses it) before the call returns.
 *
 * Argon2id runs hold 64 MiB each: [esign] parallel_unseal bounds how many
 * run at once, so a burst of calls queues instead of exhausting memory.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "esign/esign_int.h"
#include "instance/instance.h"

struct esign_ctx {
	struct instance *in;
	const struct esign_conf *ec;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int unsealing;
	/* Decoding shared by the verifications running at once (issue 19):
	 * all of them ([verify] decode_pool), and within that the public
	 * route's (public_decode_pool). */
	struct pdf_pool pool_all;
	struct pdf_pool pool_public;
};

int
esign_ctx_new(struct esign_ctx **out, struct instance *in, const struct esign_conf *ec)
{
	struct esign_ctx *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	c->in = in;
	c->ec = ec;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	pdf_pool_init(&c->pool_all, ec->verify.decode_pool, NULL);
	pdf_pool_init(&c->pool_public, ec->verify.public_decode_pool, &c->pool_all);
	*out = c;
	return 0;
}

void
esign_ctx_free(struct esign_ctx *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);
}

const struct esign_conf *
esign_ctx_conf(const struct esign_ctx *c)
{
	return c->ec;
}

/* The verifier's options for one verification on this server: the
 * instance's anchors and CRLs through st, [verify] fetching for the route
 * (the public one never fetches unless public_fetch says so), and a
 * decoding budget from the route's pool (*b, released by the caller with
 * pdf_budget_release). */
static void
verify_opts_for(struct verify_opts *vo, struct pdf_budget *b, struct esign_ctx *c,
                struct store *st, size_t len, int public_route)
{
	const struct verify_conf *vc = &c->ec->verify;

	memset(vo, 0, sizeof(*vo));
	vo->store = st; /* this thread's connection, not a new one */
	vo->lang = "id";
	vo->offline = c->ec->verify_offline;
	vo->fetch = public_route ? vc->public_fetch : vc->fetch;
	vo->allow = &vc->hosts;
	vo->max_fetches = vc->max_fetches;
	vo->fetch_ms = vc->fetch_ms;
	vo->allow_sha1 = vc->allow_sha1;
	if (public_route) {
		pdf_budget_init(b, verify_conf_public_limit(vc, len), &c->pool_public);
		b->parse_max = vc->public_parse_max;
	} else {
		pdf_budget_init(b, vc->decode_max, &c->pool_all);
	}
	vo->budget = b;
}

static void
unseal_enter(struct esign_ctx *c)
{
	pthread_mutex_lock(&c->mu);
	while (c->unsealing >= c->ec->parallel_unseal)
		pthread_cond_wait(&c->cv, &c->mu);
	c->unsealing++;
	pthread_mutex_unlock(&c->mu);
}

static void
unseal_leave(struct esign_ctx *c)
{
	pthread_mutex_lock(&c->mu);
	c->unsealing--;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void
esign_docs_free(struct esign_doc_out *d, size_t n)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < n; i++)
		free(d[i].data);
	free(d);
}

/* A file worth signing: a PDF by its first bytes, within the limits. */
static int
doc_check(struct esign_error *err, const struct esign_conf *ec,
          const struct esign_doc_in *d, size_t idx)
{
	if (d->len == 0) {
		esign_err_set(err, ESIGN_BAD_DOCUMENT, 400,
		              "Dokumen ke-%zu kosong (0 byte)", idx + 1);
		return sertel_err(SERTEL_EINVAL, "document %zu: empty", idx + 1);
	}
	if (d->len > ec->max_file_bytes) {
		esign_err_set(err, ESIGN_BAD_DOCUMENT, 413,
		              "Dokumen ke-%zu melebihi batas ukuran %zu byte", idx + 1,
		              ec->max_file_bytes);
		return sertel_err(SERTEL_ETOOBIG, "document %zu: over %zu bytes", idx + 1,
		                  ec->max_file_bytes);
	}
	/* ISO 32000-1 7.5.2: the header is the first line.  Refuse rather
	 * than search for it further in (polyglot files). */
	if (d->len < 8 || memcmp(d->data, "%PDF-", 5) != 0) {
		esign_err_set(err, ESIGN_BAD_DOCUMENT, 400,
		              "Dokumen ke-%zu bukan file PDF", idx + 1);
		return sertel_err(SERTEL_EINVAL, "document %zu: not a PDF", idx + 1);
	}
	return 0;
}

/* The certificate itself must allow signing now, whatever the record says. */
static int
cert_usable(struct esign_error *err, X509 *x, const char *who)
{
	uint32_t ku = X509_get_key_usage(x);

	if (X509_cmp_current_time(X509_get0_notAfter(x)) <= 0) {
		esign_err_set(err, ESIGN_CERT_STATUS, 400,
		              "Sertifikat %s telah kedaluwarsa", who);
		return sertel_err(SERTEL_EPERM, "%s: certificate expired", who);
	}
	if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
		esign_err_set(err, ESIGN_CERT_STATUS, 400, "Sertifikat %s belum berlaku",
		              who);
		return sertel_err(SERTEL_EPERM, "%s: certificate not yet valid", who);
	}
	if (!(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		esign_err_set(err, ESIGN_CERT_STATUS, 400,
		              "Sertifikat %s tidak untuk tanda tangan (key usage)", who);
		return sertel_err(SERTEL_EPERM, "%s: certificate does not allow signing",
		                  who);
	}
	return 0;
}

/* Refusal by status, BSrE's codes where BSrE has one. */
static int
status_refuse(struct esign_error *err, const struct esign_owner *o)
{
	const char *nik = o->person.nik;

	switch (o->status) {
	case ESIGN_ST_ISSUE:
	case ESIGN_ST_RENEW: return 0;
	case ESIGN_ST_SUSPEND:
		if (o->locked) {
			esign_err_set(err, ESIGN_LOCKED, 403,
			              "Akun dikunci setelah terlalu banyak passphrase "
			              "salah; hubungi "
			              "Otoritas Pendaftaran untuk membukanya");
			return sertel_err(SERTEL_EPERM, "NIK %s: locked", nik);
		}
		esign_err_set(err, ESIGN_CERT_STATUS, 400,
		              "Sertifikat ditangguhkan (SUSPEND)");
		return sertel_err(SERTEL_EPERM, "NIK %s: certificate suspended", nik);
	case ESIGN_ST_EXPIRED:
		esign_err_set(err, ESIGN_CERT_STATUS, 400,
		              "Sertifikat telah kedaluwarsa (EXPIRED)");
		return sertel_err(SERTEL_EPERM, "NIK %s: certificate expired", nik);
	case ESIGN_ST_REVOKE:
		esign_err_set(err, ESIGN_CERT_STATUS, 400,
		              "Sertifikat telah dicabut (REVOKE)");
		return sertel_err(SERTEL_EPERM, "NIK %s: certificate revoked", nik);
	default:
		esign_err_set(err, ESIGN_NO_CERTIFICATE, 400,
		              "User belum memiliki sertifikat untuk tanda tangan (%s)",
		              esign_status_name(o->status));
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: no certificate (%s)", nik,
		                  esign_status_name(o->status));
	}
}

static X509 *
x509_from_der(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	ERR_clear_error();
	return x;
}

/* The signer for an owner: key unsealed once, certificate, issuing CA. */
static int
signer_owner(struct sign_signer *s, struct esign_owner *o, struct esign_error *err,
             struct esign_ctx *c, struct store *st, const struct esign_sign_req *rq)
{
	struct cert_rec rec;
	int rc;

	rc = esign_owner_get(o, st, rq->nik, rq->email, time_now());
	if (rc == SERTEL_ENOTFOUND) {
		esign_err_set(err, ESIGN_NOT_REGISTERED, 400, "User belum terdaftar");
		return rc;
	}
	if (rc < 0)
		return rc;
	if ((rc = status_refuse(err, o)) < 0)
		return rc;
	if (!o->has_sealed_key) {
		esign_err_set(
		    err, ESIGN_NO_CERTIFICATE, 400,
		    "Kunci privat sertifikat ini tidak disimpan di server (dibuat di "
		    "perangkat pemilik)");
		return sertel_err(SERTEL_ENOTFOUND, "NIK %s: key not held by the server",
		                  o->person.nik);
	}
	if ((rq->passphrase == NULL || rq->passlen == 0) && rq->totp != NULL &&
	    *rq->totp != '\0') {
		/* Issue 12: BSrE's code instead of the passphrase, opening the
		 * copy wrapped at enrolment (otp.c); no Argon2id run. */
		rc = esign_owner_code_unseal(&s->key, &rec, err, st, c->ec, o, rq->totp);
	} else {
		if ((rc = esign_totp_check(err, st, c->ec, o, rq->totp)) < 0)
			return rc;
		unseal_enter(c);
		rc = esign_owner_unseal(&s->key, &rec, err, st, c->ec, o, rq->passphrase,
		                        rq->passlen);
		unseal_leave(c);
	}
	if (rc < 0)
		return rc;
	s->cert = x509_from_der(rec.der, rec.der_len);
	if (s->cert == NULL) {
		rc = sertel_err(SERTEL_ECRYPTO, "cert %s: stored DER does not parse",
		                rec.serial);
		goto out;
	}
	if ((rc = cert_usable(err, s->cert, o->person.nik)) < 0)
		goto out;
	if (X509_check_private_key(s->cert, s->key) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "cert %s: sealed key does not match",
		                     rec.serial);
		goto out;
	}
	rc = sign_chain_from_store(&s->chain, st, rec.issuer_id);
out:
	cert_rec_free(&rec);
	return rc;
}

/* The signer for an organisation seal. */
static int
signer_seal(struct sign_signer *s, struct esign_error *err, struct esign_ctx *c,
            struct store *st, const struct esign_sign_req *rq)
{
	unsigned char *der = NULL;
	size_t dlen = 0;
	char serial[SERIAL_HEX_MAX + 1], issuer_id[ISSUER_ID_LEN + 1];
	int64_t rat;
	int revoked = 0, reason, rc;

	if (!(rq->client->perms & ESIGN_PERM_SEAL) || rq->seal_id == NULL ||
	    strcmp(rq->client->seal_id, rq->seal_id) != 0) {
		esign_err_set(
		    err, ESIGN_BAD_REQUEST, 403,
		    "Aplikasi klien ini tidak berwenang memakai segel elektronik '%s'",
		    rq->seal_id ? rq->seal_id : "");
		return sertel_err(SERTEL_EPERM, "client %s: seal not allowed",
		                  rq->client->name);
	}
	/* Issue 12: BSrE's seal TOTP (otp.c). */
	if ((rc = esign_seal_code_check(err, st, c->ec, rq->client, rq->seal_id,
	                                rq->totp)) < 0)
		return rc;
	if ((rc = esign_seal_load(&s->key, &der, &dlen, st, rq->seal_id, c->in->master)) <
	    0) {
		esign_err_set(err, ESIGN_NO_CERTIFICATE, 400,
		              "Segel elektronik tidak terdaftar");
		return rc;
	}
	s->cert = x509_from_der(der, dlen);
	free(der);
	if (s->cert == NULL)
		return sertel_err(SERTEL_ECRYPTO, "seal %s: certificate", rq->seal_id);
	if ((rc = cert_usable(err, s->cert, rq->seal_id)) < 0)
		return rc;
	/* Issued here?  Then the store knows whether it was revoked, and its
	 * issuing CAs. */
	if ((rc = serial_to_hex(serial, X509_get_serialNumber(s->cert))) == 0)
		rc = store_cert_status(st, serial, issuer_id, &revoked, &rat, &reason);
	if (rc == 0 && revoked) {
		esign_err_set(err, ESIGN_CERT_STATUS, 400,
		              "Sertifikat segel telah dicabut (REVOKE)");
		return sertel_err(SERTEL_EPERM, "seal %s: certificate revoked",
		                  rq->seal_id);
	}
	if (rc == 0)
		(void)sign_chain_from_store(&s->chain, st, issuer_id);
	if (s->chain == NULL && (s->chain = sk_X509_new_null()) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	sertel_err_clear();
	return 0;
}

static void
fill_opts(struct pades_opts *po, const struct esign_conf *ec, const struct esign_props *p,
          const char *link)
{
	memset(po, 0, sizeof(*po));
	po->sig.level = (enum sign_level)ec->level;
	po->sig.tsa_url = ec->level > SIGN_LEVEL_B ? ec->tsa_url : NULL;
	po->sig.pades = 1;
	po->reason = p->reason && *p->reason
	                 ? p->reason
	                 : "Dokumen ini ditandatangani secara elektronik";
	po->location = p->location && *p->location ? p->location
	               : ec->location[0]           ? ec->location
	                                           : NULL;
	po->visible = p->visible;
	po->page = p->page;
	memcpy(po->rect, p->rect, sizeof(po->rect));
	po->origin_top = p->top_left;
	po->marker = p->tag && *p->tag ? p->tag : NULL;
	if (p->visible) {
		po->image = p->image;
		po->image_len = p->image_len;
		po->qr_url = p->want_qr ? (p->qr && *p->qr ? p->qr : link) : NULL;
		po->text = p->text && *p->text ? p->text : NULL;
	}
	po->look = &ec->look;
	/* The instance's footer (sign_footer_template, in esign_conf_load);
	 * pades_sign places the document's own link in it. */
	po->verify_url = link;
	po->footer = ec->footer;
}

int
esign_sign(struct esign_doc_out **out, struct esign_error *err, struct esign_ctx *c,
           struct store *st, const struct esign_sign_req *rq)
{
	const struct esign_conf *ec = c->ec;
	struct sign_signer s;
	struct esign_owner o;
	struct esign_doc_out *docs = NULL;
	struct esign_reg *reg = NULL;
	unsigned char *sigimg = NULL;
	size_t sigimglen = 0;
	char(*sha)[65] = NULL, signer_name[SERTEL_MAX_NAME] = "",
	serial[SERIAL_HEX_MAX + 1] = "";
	size_t i, nreg = rq->ndocs;
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	if (rq->ndocs == 0) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 400,
		              "Tidak ada dokumen (file) yang dikirim");
		return sertel_err(SERTEL_EINVAL, "no documents");
	}
	if (rq->ndocs > ec->max_files) {
		esign_err_set(err, ESIGN_BAD_REQUEST, 413,
		              "Paling banyak %zu dokumen per panggilan", ec->max_files);
		return sertel_err(SERTEL_ETOOBIG, "%zu documents: over %zu", rq->ndocs,
		                  ec->max_files);
	}
	if (rq->nprops != 1 && rq->nprops != rq->ndocs) {
		esign_err_set(
		    err, ESIGN_BAD_REQUEST, 400,
		    "signatureProperties: satu untuk semua dokumen atau satu per dokumen "
		    "(%zu dokumen, %zu properti)",
		    rq->ndocs, rq->nprops);
		return sertel_err(SERTEL_EINVAL, "signatureProperties count");
	}
	for (i = 0; i < rq->ndocs; i++)
		if ((rc = doc_check(err, ec, &rq->docs[i], i)) < 0)
			return rc;
	if (rq->seal_id != NULL) {
		if ((rc = signer_seal(&s, err, c, st, rq)) < 0)
			goto out;
		X509_NAME_get_text_by_NID(X509_get_subject_name(s.cert), NID_commonName,
		                          signer_name, sizeof(signer_name));
	} else {
		if (!(rq->client->perms & ESIGN_PERM_SIGN)) {
			esign_err_set(
			    err, ESIGN_BAD_REQUEST, 403,
			    "Aplikasi klien ini tidak berwenang menandatangani");
			rc = sertel_err(SERTEL_EPERM, "client %s: no sign permission",
			                rq->client->name);
			goto out;
		}
		if ((rc = signer_owner(&s, &o, err, c, st, rq)) < 0)
			goto out;
		str_copy(signer_name, sizeof(signer_name), o.person.name);
		str_copy(serial, sizeof(serial), o.serial);
	}
	if (serial[0] == '\0') {
		ASN1_INTEGER *sn = X509_get_serialNumber(s.cert);
		BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);
		char *hex = bn ? BN_bn2hex(bn) : NULL;
		if (hex != NULL)
			str_copy(serial, sizeof(serial), hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
	if ((docs = calloc(rq->ndocs, sizeof(*docs))) == NULL ||
	    (reg = calloc(2 * rq->ndocs, sizeof(*reg))) == NULL ||
	    (sha = calloc(rq->ndocs, sizeof(*sha))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	/* Issue 11: the owner's scanned signature, for the template. */
	if (rq->seal_id == NULL &&
	    ra_sigimg_get(&sigimg, &sigimglen, st, o.person.nik) < 0) {
		sigimg = NULL;
		sigimglen = 0;
		sertel_err_clear();
	}
	for (i = 0; i < rq->ndocs; i++) {
		const struct esign_props *p = &rq->props[rq->nprops == 1 ? 0 : i];
		char link[SERTEL_MAX_NAME + 64];
		struct pades_opts po;
		struct buf tail;
		struct verify_report *vr = NULL;
		struct verify_opts vo;

		if (rq->docs[i].id != NULL && !hex_id_valid(rq->docs[i].id, 32)) {
			rc = sertel_err(SERTEL_EINVAL, "document %zu: bad id", i + 1);
			goto out;
		}
		if ((rc = esign_doc_new(docs[i].id, link, sizeof(link), ec->base_url)) <
		    0)
			goto out;
		fill_opts(&po, ec, p, link);
		po.sig_image = sigimg;
		po.sig_image_len = sigimglen;
		buf_init(&tail, ec->max_file_bytes + 16 * 1024 * 1024);
		rc = pades_sign(&tail, rq->docs[i].data, rq->docs[i].len, &s, &po);
		if (rc < 0) {
			buf_free(&tail);
			if (rc == SERTEL_EINVAL || rc == SERTEL_ENOTFOUND) {
				esign_err_set(
				    err, ESIGN_BAD_DOCUMENT, 400,
				    "Dokumen ke-%zu tidak dapat ditandatangani: %s",
				    i + 1, sertel_errmsg());
				rc = SERTEL_EINVAL;
			}
			goto out;
		}
		docs[i].len = rq->docs[i].len + tail.len;
		if ((docs[i].data = malloc(docs[i].len)) == NULL) {
			buf_free(&tail);
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		memcpy(docs[i].data, rq->docs[i].data, rq->docs[i].len);
		memcpy(docs[i].data + rq->docs[i].len, tail.data, tail.len);
		buf_free(&tail);
		sha256_hex(sha[i], docs[i].data, docs[i].len);
		reg[i].verdict = -1;
		if (ec->verify_after_sign) {
			struct pdf_budget vb;

			verify_opts_for(&vo, &vb, c, st, docs[i].len, 0);
			if (verify_pdf(&vr, docs[i].data, docs[i].len, &vo) == 0 &&
			    vr != NULL) {
				reg[i].verdict = (int)vr->verdict;
				/* The new signature is the last one. */
				if (vr->nsigs > 0 && vr->sigs[vr->nsigs - 1].timestamp_ok)
					reg[i].ts_time =
					    vr->sigs[vr->nsigs - 1].timestamp_time;
			}
			pdf_budget_release(&vb);
			verify_report_free(vr);
			vr = NULL;
			sertel_err_clear();
		}
		reg[i].id = docs[i].id;
		reg[i].sha256 = sha[i];
		reg[i].name = rq->docs[i].name;
		reg[i].signer_nik = rq->seal_id ? NULL : o.person.nik;
		reg[i].signer_name = signer_name;
		reg[i].serial = serial;
		reg[i].len = docs[i].len;
		reg[i].content = ec->keep_content ? docs[i].data : NULL;
		/* Issue 11: the id the content names (a receipt's QR code)
		 * resolves too, registered by the first copy signed. */
		if (rq->docs[i].id != NULL) {
			reg[nreg] = reg[i];
			reg[nreg].id = rq->docs[i].id;
			reg[nreg].content = NULL;
			reg[nreg++].if_absent = 1;
		}
	}
	if ((rc = esign_register(st, rq->client->name, rq->seal_id != NULL, reg, nreg,
	                         rq->on_register, rq->on_register_arg)) < 0)
		goto out;
	*out = docs;
	docs = NULL;
	rc = 0;
out:
	sign_signer_free(&s);
	esign_docs_free(docs, rq->ndocs);
	free(reg);
	free(sha);
	free(sigimg);
	return rc;
}

int
esign_verify(struct verify_report **out, struct esign_error *err, struct esign_ctx *c,
             struct store *st, const unsigned char *data, size_t len, int public_route)
{
	struct esign_doc_in d = {data, len, NULL, NULL};
	int rc;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if ((rc = doc_check(err, c->ec, &d, 0)) < 0)
		return rc;
	{
		struct verify_opts vo;
		struct pdf_budget vb;

		verify_opts_for(&vo, &vb, c, st, len, public_route);
		rc = verify_pdf(out, data, len, &vo);
		pdf_budget_release(&vb);
		if (rc < 0 && vb.exceeded == PDF_BUDGET_POOL) {
			/* Busy, not a bad file: the client may try again. */
			esign_err_set(err, ESIGN_BUSY, 503,
			              "Server sedang memverifikasi banyak dokumen; coba "
			              "lagi nanti / too many verifications at once: %s",
			              sertel_errmsg());
			return rc;
		}
		if (rc < 0 && vb.exceeded == PDF_BUDGET_PARSE) {
			esign_err_set(err, ESIGN_BAD_DOCUMENT, 422,
			              "Dokumen terlalu rumit untuk diverifikasi (objek "
			              "melebihi %llu byte) / parsed objects exceed %llu "
			              "bytes",
			              vb.parse_max, vb.parse_max);
			return rc;
		}
		if (rc < 0 && vb.exceeded == PDF_BUDGET_TOTAL) {
			esign_err_set(err, ESIGN_BAD_DOCUMENT, 422,
			              "Dokumen terlalu besar setelah didekompresi (batas "
			              "%llu byte) / decompressed size exceeds %llu bytes",
			              vb.max, vb.max);
			return rc;
		}
		if (rc < 0) {
			esign_err_set(err, ESIGN_BAD_DOCUMENT, 400,
			              "Dokumen tidak dapat dibaca sebagai PDF: %s",
			              sertel_errmsg());
			return rc;
		}
	}
	return 0;
}
