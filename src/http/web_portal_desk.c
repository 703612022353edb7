/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: issuance in person at the OP desk (Cirebon 13).  The operator
 * starts a desk session on an approved application; the applicant, in
 * front of the operator's screen, types the code mailed to them, reads and
 * accepts the subscriber agreement in force and chooses the key (generated
 * here under a passphrase only they type, or their own CSR).  The rules
 * are ra_desk_* and ra_issue's; this file turns the form into those calls.
 *
 *   POST /loket                     start (form: permohonan=ID)
 *   GET  /loket/{desk id}           the desk page, or "Sertifikat terbit"
 *   POST /loket/{desk id}           confirm (multipart: kode, setuju,
 *                                   kunci, sandi, sandi2, csr)
 *   GET  /permohonan/{id}/tanda-terima.pdf   the receipt (wp_desk_receipt,
 *                                   dispatched from web_portal_app.c)
 *   GET  /tanda-terima/{app id}     the witness's signing form
 *   POST /tanda-terima/{app id}     sign the receipt (form: sandi, totp):
 *                                   the signed PDF, as an attachment
 *
 * The receipt is signed by the operator who witnessed the issuance, with
 * the key sealed under their own passphrase, through esign_sign: the call
 * POST /api/v2/sign/pdf makes, with its failure count and lock.  The
 * signed copy is not kept by the portal: the receipt is rebuilt from the
 * store byte for byte whenever asked for, and signing it again is one more
 * audited signature; the e-sign registry keeps its hash (and its content
 * only under [esign] keep_content, as for every signed document).
 *
 * Passphrases are never put back into a page, never logged, and wiped
 * from the parsed form once used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/esign.h"
#include "http/web_portal.h"
#include "http/web_portal_owner.h"

/* The registry's client for signatures made on the portal: a name with a
 * ':' no API client can have (RFC 7617 user names), so no client
 * application ever downloads these documents. */
static const struct esign_client portal_signer = {.name = "portal:loket",
                                                  .perms = ESIGN_PERM_SIGN};

/* The desk session named by the path /loket/ID, for its witness. */
static int
path_desk(struct page *pg, struct ra_desk *d)
{
	const char *id = pg->sub + strlen("/loket/");
	int rc;

	if ((rc = ra_desk_get(d, pg->r->st, &pg->who, id)) < 0) {
		wp_error(pg, wp_rule_status(rc),
		         rc == SERTEL_EPERM       ? wp_msg(pg, "", "desk.not.yours")
		         : rc == SERTEL_ENOTFOUND ? wp_msg(pg, "", "error.notfound")
		                                  : "internal error");
		return rc;
	}
	return 0;
}

/* One field's error: {field: {text, detail}} in the page's "err". */
static void
field_error(struct page *pg, const char *field, const char *key, const char *detail)
{
	json_t *err = json_object_get(pg->ctx, "err");

	if (err == NULL) {
		err = json_object();
		json_object_set_new(pg->ctx, "err", err);
	}
	json_object_set_new(err, field,
	                    json_pack("{s:s, s:s}", "text", wp_msg(pg, "", key), "detail",
	                              detail ? detail : ""));
}

/* "Sertifikat terbit": serial, validity and where the files are. */
static int
desk_done(struct page *pg, int status, const struct ra_desk *d,
          const struct ra_application *a)
{
	struct cert_rec c;
	char from[WP_TIME_MAX], to[WP_TIME_MAX], shown[3 * SERIAL_HEX_MAX];
	json_t *usage;

	memset(&c, 0, sizeof(c));
	if (store_cert_get(pg->r->st, d->cert_serial, &c) < 0) {
		log_msg(LOG_ERROR, "portal: desk %s: %s", d->id, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	/* To the minute: enough on a receipt page. */
	wp_time(from, pg, c.not_before, 1);
	wp_time(to, pg, c.not_after, 1);
	wp_serial_shown(shown, sizeof(shown), c.serial);
	usage = wp_usage_json(pg, c.usages, NULL);
	json_object_set_new(pg->ctx, "cert",
	                    json_pack("{s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:s}",
	                              "serial", c.serial, "shown", shown, "subject",
	                              c.subject, "type", wp_msg(pg, "type.", c.type),
	                              "usages", json_object_get(usage, "label"), "from",
	                              from, "to", to, "app_id", a->id));
	json_decref(usage);
	cert_rec_free(&c);
	if (wp_desk_receipt_offer(pg, a->id) < 0) {
		log_msg(LOG_ERROR, "portal: desk %s: %s", d->id, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	return wp_render(pg, status, "desk-done", "desk.done.title");
}

/* The desk page: who and what is issued, the agreement in force in full,
 * the code, the acceptance, the key.  Nothing the applicant typed as a
 * secret comes back; the key choice and the ticked box may. */
static int
desk_form(struct page *pg, const struct ra_desk *d, int status, const char *key_choice)
{
	struct ra_application a;
	struct ra_person p;
	struct ra_agency ag;
	struct ra_agreement agr;
	char *text = NULL, until[WP_TIME_MAX], forbid[1024], cn[SERTEL_MAX_NAME + 256];
	const char *ok = http_query(pg->r, "ok");
	json_t *usage;
	int rc;

	if ((rc = ra_get(&a, pg->r->st, d->app_id)) < 0 ||
	    (rc = ra_person_get(&p, pg->r->st, a.applicant_nik)) < 0) {
		log_msg(LOG_ERROR, "portal: desk %s: %s", d->id, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	if (d->state == DESK_ISSUED)
		return desk_done(pg, status, d, &a);
	memset(&ag, 0, sizeof(ag));
	ra_agency_get(&ag, pg->r->st, p.agency_id);
	if ((rc = ra_agreement_text(&text, &agr, pg->r->st, 0)) < 0) {
		log_msg(LOG_ERROR, "portal: desk agreement: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	wp_time(until, pg, d->expires_at, 1);
	usage = wp_usage_json(pg, a.usages, NULL);
	ra_subject_cn(cn, sizeof(cn), &a);
	json_object_set_new(pg->ctx, "app",
	                    json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:b}",
	                              "id", a.id, "type", wp_msg(pg, "type.", a.type),
	                              "type_code", a.type, "usages",
	                              json_object_get(usage, "label"), "cn", cn,
	                              "system_name", a.system_name, "dns", a.dns, "ip",
	                              a.ip, "is_sistem", strcmp(a.type, "sistem") == 0));
	json_decref(usage);
	json_object_set_new(pg->ctx, "applicant",
	                    json_pack("{s:s, s:s, s:s, s:s}", "name", p.name, "agency",
	                              ag.name, "position", p.position, "email", p.email));
	json_object_set_new(pg->ctx, "agreement",
	                    json_pack("{s:i, s:s, s:s}", "version", agr.version, "sha256",
	                              agr.sha256, "text", text));
	free(text);
	json_object_set_new(pg->ctx, "desk",
	                    json_pack("{s:s, s:s, s:i, s:b, s:b}", "id", d->id, "until",
	                              until, "left", RA_DESK_TRIES - d->attempts, "open",
	                              d->state == DESK_OPEN && !d->expired, "approved",
	                              a.state == APP_APPROVED));
	/* The live check (passphrase.js) mirrors passphrase_check: these are
	 * what the passphrase must not contain; the server checks again. */
	snprintf(forbid, sizeof(forbid), "%s\n%s\n%s\n%s", p.nik, p.nip, p.email, p.name);
	json_object_set_new(pg->ctx, "pass",
	                    json_pack("{s:I, s:s}", "min",
	                              (json_int_t)pg->r->ctx->policy.pass_min_len,
	                              "forbid", forbid));
	json_object_set_new(pg->ctx, "use_csr",
	                    json_boolean(key_choice && strcmp(key_choice, "csr") == 0));
	if (d->state != DESK_OPEN || d->expired)
		json_object_set_new(
		    pg->ctx, "flash",
		    json_pack(
		        "{s:s, s:s}", "kind", "bad", "text",
		        wp_msg(pg, "", d->expired ? "desk.expired" : "desk.spent")));
	else if (ok != NULL && strcmp(ok, "kode") == 0)
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              wp_msg(pg, "", "desk.ok.kode")));
	return wp_render(pg, status, "desk", "desk.title");
}

/* POST /loket: the operator starts a desk session for an application. */
static int
page_desk_start(struct page *pg)
{
	struct ra_desk d;
	const char *id;
	char loc[64];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	id = web_form_get(&pg->form, "permohonan");
	if (!hex_id_valid(id, RA_ID_LEN))
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	/* ra_desk_start's rules: an operator with a certificate, not their
	 * own application, approved. */
	if ((rc = ra_desk_start(&d, pg->r->st, &pg->who, id)) < 0)
		return wp_error(pg, wp_rule_status(rc), sertel_errmsg());
	snprintf(loc, sizeof(loc), "/loket/%s?ok=kode", d.id);
	return wp_redirect(pg, loc);
}

/* GET /loket/ID. */
static int
page_desk(struct page *pg)
{
	struct ra_desk d;

	if (path_desk(pg, &d) < 0)
		return 0;
	return desk_form(pg, &d, 200, NULL);
}

/* Wipes a text part of the form (a passphrase) in place. */
static void
part_wipe(struct http_multipart *m, const char *name)
{
	struct http_part *p = http_multipart_get(m, name);

	if (p != NULL && p->val.data != NULL)
		secure_wipe(p->val.data, p->val.len);
}

/* POST /loket/ID: the applicant's answer, submitted by the witness. */
static int
page_desk_confirm(struct page *pg)
{
	struct http_multipart m;
	struct ra_desk d;
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	struct http_part *csr;
	const char *code, *agree, *key, *pass, *pass2;
	long long version = 0;
	char loc[64];
	int rc, status = 0;

	memset(&rec, 0, sizeof(rec));
	if (path_desk(pg, &d) < 0)
		return 0;
	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	code = http_multipart_text(&m, "kode");
	agree = http_multipart_text(&m, "setuju");
	key = http_multipart_text(&m, "kunci");
	pass = http_multipart_text(&m, "sandi");
	pass2 = http_multipart_text(&m, "sandi2");
	csr = http_multipart_get(&m, "csr");
	if (key == NULL || (strcmp(key, "buat") != 0 && strcmp(key, "csr") != 0))
		key = "buat";
	memset(&rq, 0, sizeof(rq));
	rq.accept_agreement = agree != NULL && parse_ll(&version, agree, 1, 1000000) == 0;
	rq.agreement_version = (int)version;
	rq.pass_min_len = pg->r->ctx->policy.pass_min_len;
	rq.algo = pg->r->ctx->policy.algo;
	/* What the form itself can tell before any code is tried: the two
	 * passphrases differ, or a CSR was chosen and no file given. */
	if (strcmp(key, "buat") == 0) {
		if (pass == NULL || *pass == '\0') {
			field_error(pg, "sandi", "desk.err.pass.empty", NULL);
			status = 400;
		} else if (pass2 == NULL || strcmp(pass, pass2) != 0) {
			field_error(pg, "sandi2", "desk.err.pass.differ", NULL);
			status = 400;
		}
		rq.passphrase = pass;
		rq.passlen = pass ? strlen(pass) : 0;
	} else {
		if (csr == NULL || !csr->is_file || csr->val.len == 0) {
			field_error(pg, "csr", "desk.err.csr.none", NULL);
			status = 400;
		} else if (csr->val.len > SERTEL_MAX_CSR) {
			field_error(pg, "csr", "desk.err.csr.bad", "CSR: too large");
			status = 413;
		}
		rq.csr = csr ? csr->val.data : NULL;
		rq.csr_len = csr ? csr->val.len : 0;
	}
	if (status != 0)
		goto refused;
	rc = ra_desk_confirm(&rec, &info, pg->r->st, &pg->who, pg->r->ctx->issuer, d.id,
	                     code, &rq);
	if (rc == 0) {
		cert_rec_free(&rec);
		snprintf(loc, sizeof(loc), "/loket/%s", d.id);
		rc = wp_redirect(pg, loc);
		goto out;
	}
	/* Next to the field the refusal is about, in the rule's words. */
	status = wp_rule_status(rc);
	if (rc == SERTEL_EAUTH ||
	    ((rc == SERTEL_EINVAL && (code == NULL || *code == '\0'))))
		field_error(pg, "kode", "desk.err.code", sertel_errmsg());
	else if (rc == SERTEL_EPERM)
		field_error(pg, "kode", "desk.err.session", sertel_errmsg());
	else if (!rq.accept_agreement || rc == SERTEL_ESTATE)
		field_error(pg, "setuju", "desk.err.agree", sertel_errmsg());
	else if (rq.passphrase != NULL && rc == SERTEL_EINVAL)
		field_error(pg, "sandi", "desk.err.pass", sertel_errmsg());
	else if (rq.csr != NULL && (rc == SERTEL_EINVAL || rc == SERTEL_ECRYPTO)) {
		field_error(pg, "csr", "desk.err.csr.bad", sertel_errmsg());
		status = 400;
	} else {
		log_msg(LOG_ERROR, "portal: desk %s: %s", d.id, sertel_errmsg());
		field_error(pg, "kode", "desk.err.other", sertel_errmsg());
	}
refused:
	/* The attempt counter may have moved. */
	part_wipe(&m, "sandi");
	part_wipe(&m, "sandi2");
	if (ra_desk_get(&d, pg->r->st, &pg->who, d.id) < 0) {
		rc = wp_error(pg, 500, "internal error");
		goto out;
	}
	if (rq.accept_agreement)
		json_object_set_new(pg->ctx, "agreed", json_true());
	rc = desk_form(pg, &d, status, key);
out:
	part_wipe(&m, "sandi");
	part_wipe(&m, "sandi2");
	http_multipart_free(&m);
	return rc;
}

/* A receipt PDF as the answer (pdf owned by the page from here on). */
static int
receipt_answer(struct page *pg, unsigned char *pdf, size_t len, const char *disp)
{
	free(pg->resp->body);
	pg->resp->body = pdf;
	pg->resp->len = len;
	pg->resp->status = 200;
	pg->resp->ctype = "application/pdf";
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'; "
	                          "frame-ancestors 'self'\n"
	                          "X-Frame-Options: SAMEORIGIN\n"
	                          "Cache-Control: no-store\n");
	return 0;
}

int
wp_desk_receipt(struct page *pg, const struct ra_application *a)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char disp[96];
	int rc;

	/* ra_receipt_pdf decides who may read it (the applicant, operators,
	 * the Kepala Dinas, auditors) and that it is issued. */
	if ((rc = esign_receipt_pdf(
	         &pdf, &len, NULL, pg->r->st, &pg->who, a->id, pg->r->ctx->in->pc.org,
	         &pg->r->ctx->in->tz,
	         esign_base_url(pg->r->ctx->in->cfg, pg->r->ctx->in->pc.base_url),
	         ESIGN_RECEIPT_UNSIGNED)) < 0)
		return wp_error(pg, wp_rule_status(rc),
		                rc == SERTEL_ESTATE ? wp_msg(pg, "", "desk.receipt.none")
		                                    : sertel_errmsg());
	/* Inline: it opens in the browser's viewer, for printing. */
	snprintf(disp, sizeof(disp), "inline; filename=\"tanda-terima-%s.pdf\"", a->id);
	return receipt_answer(pg, pdf, len, disp);
}

/* ---- the receipt signed by the witness ------------------------------------ */
int
wp_desk_receipt_offer(struct page *pg, const char *app_id)
{
	struct esign_owner o;
	int rc;

	/* Nothing at all for anyone but the witness. */
	if (ra_receipt_sign_check(pg->r->st, &pg->who, app_id) < 0) {
		sertel_err_clear();
		return 0;
	}
	memset(&o, 0, sizeof(o));
	if ((rc = esign_owner_get(&o, pg->r->st, pg->who.nik, NULL, time_now())) < 0 &&
	    rc != SERTEL_ENOTFOUND)
		return rc;
	/* The key itself must be held here, sealed under the witness's
	 * passphrase; a locked one waits for an unlock (esign_unlock). */
	json_object_set_new(
	    pg->ctx, "receipt_sign",
	    json_pack("{s:s, s:b, s:b, s:b, s:b}", "app_id", app_id, "form",
	              o.has_sealed_key && !o.locked, "nokey", !o.has_sealed_key, "locked",
	              o.has_sealed_key && o.locked, "totp", o.totp_enrolled));
	return 0;
}

/* The application named by the path /tanda-terima/ID, for its witness. */
static int
path_receipt(struct page *pg, struct ra_application *a)
{
	const char *id = pg->sub + strlen("/tanda-terima/");
	int rc;

	if (!hex_id_valid(id, RA_ID_LEN) ||
	    (rc = ra_get(a, pg->r->st, id)) == SERTEL_ENOTFOUND) {
		wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	if (rc < 0 || (rc = ra_receipt_sign_check(pg->r->st, &pg->who, a->id)) < 0) {
		wp_error(pg, wp_rule_status(rc),
		         rc == SERTEL_EPERM    ? wp_msg(pg, "", "receipt.sign.not.yours")
		         : rc == SERTEL_ESTATE ? wp_msg(pg, "", "receipt.sign.no.desk")
		                               : "internal error");
		return rc;
	}
	return 0;
}

/* The signing page: the form again (after a refusal, with its message). */
static int
receipt_page(struct page *pg, int status, const struct ra_application *a,
             const char *error)
{
	char shown[3 * SERIAL_HEX_MAX];

	if (wp_desk_receipt_offer(pg, a->id) < 0) {
		log_msg(LOG_ERROR, "portal: receipt %s: %s", a->id, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	wp_serial_shown(shown, sizeof(shown), a->cert_serial);
	json_object_set_new(pg->ctx, "receipt",
	                    json_pack("{s:s, s:s, s:s}", "app_id", a->id, "serial",
	                              a->cert_serial, "shown", shown));
	if (error != NULL)
		json_object_set_new(
		    pg->ctx, "flash",
		    json_pack("{s:s, s:s}", "kind", "bad", "text", error));
	return wp_render(pg, status, "receipt-sign", "receipt.page.title");
}

/* GET /tanda-terima/ID. */
static int
page_receipt(struct page *pg)
{
	struct ra_application a;

	if (path_receipt(pg, &a) < 0)
		return 0;
	return receipt_page(pg, 200, &a, NULL);
}

struct receipt_signed {
	const struct ra_actor *who;
	const char *app_id;
};

/* In the registry's transaction: the signing and its record together. */
static int
receipt_signed_fn(struct store *st, const char *doc_id, const char *serial, void *arg)
{
	const struct receipt_signed *w = arg;

	return ra_receipt_signed_audit(st, w->who, w->app_id, serial, doc_id);
}

/* POST /tanda-terima/ID: the witness's passphrase (and TOTP code). */
static int
page_receipt_sign(struct page *pg)
{
	struct ra_application a;
	struct esign_ctx *c;
	struct esign_error err;
	struct esign_sign_req rq;
	struct esign_props props;
	struct esign_doc_in doc;
	struct esign_doc_out *out = NULL;
	struct receipt_signed w;
	unsigned char *pdf = NULL;
	size_t len = 0;
	const char *pass, *totp;
	char name[64], disp[128], msg[700], rid[33];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0) {
		wp_form_wipe(pg);
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	}
	if (path_receipt(pg, &a) < 0) {
		wp_form_wipe(pg);
		return 0;
	}
	pass = web_form_get(&pg->form, "sandi");
	totp = web_form_get(&pg->form, "totp");
	if (pass == NULL || *pass == '\0') {
		wp_form_wipe(pg);
		return receipt_page(pg, 400, &a,
		                    wp_msg(pg, "", "receipt.sign.pass.empty"));
	}
	if ((c = api_esign_service(pg->r)) == NULL) {
		wp_form_wipe(pg);
		return wp_error(pg, 503, "e-sign: [esign] settings unreadable");
	}
	/* The receipt as GET .../tanda-terima.pdf hands it over: the signed
	 * file starts with exactly these bytes (an incremental update). */
	if ((rc = esign_receipt_pdf(&pdf, &len, rid, pg->r->st, &pg->who, a.id,
	                            pg->r->ctx->in->pc.org, &pg->r->ctx->in->tz,
	                            esign_ctx_conf(c)->base_url, ESIGN_RECEIPT_TO_SIGN)) <
	    0) {
		wp_form_wipe(pg);
		return wp_error(pg, wp_rule_status(rc), sertel_errmsg());
	}
	snprintf(name, sizeof(name), "tanda-terima-%s.pdf", a.id);
	doc.data = pdf;
	doc.len = len;
	doc.name = name;
	doc.id = rid; /* the id its QR code names */
	memset(&props, 0, sizeof(props));
	props.page = -1;
	props.reason = "Tanda terima Sertifikat Elektronik, ditandatangani petugas OP";
	w.who = &pg->who;
	w.app_id = a.id;
	memset(&rq, 0, sizeof(rq));
	rq.client = &portal_signer;
	rq.nik = pg->who.nik;
	rq.passphrase = pass;
	rq.passlen = strlen(pass);
	rq.totp = totp != NULL && *totp != '\0' ? totp : NULL;
	rq.docs = &doc;
	rq.ndocs = 1;
	rq.props = &props;
	rq.nprops = 1;
	rq.on_register = receipt_signed_fn;
	rq.on_register_arg = &w;
	rc = esign_sign(&out, &err, c, pg->r->st, &rq);
	/* Never echoed back, never kept. */
	wp_form_wipe(pg);
	free(pdf);
	if (rc < 0) {
		if (err.code == 0)
			log_msg(LOG_ERROR, "portal: receipt %s: %s", a.id,
			        sertel_errmsg());
		return receipt_page(pg, err.http ? err.http : wp_rule_status(rc), &a,
		                    wp_esign_msg(msg, sizeof(msg), &err));
	}
	snprintf(disp, sizeof(disp),
	         "attachment; filename=\"tanda-terima-%s-ditandatangani.pdf\"", a.id);
	rc = receipt_answer(pg, out[0].data, out[0].len, disp);
	out[0].data = NULL;
	esign_docs_free(out, 1);
	return rc;
}

WP_ROUTES(wp_routes_desk, {"POST", "/loket", 1, ROLE_OPERATOR, page_desk_start, NULL},
          {"GET", "/loket/", 1, ROLE_OPERATOR, page_desk, NULL},
          {"POST", "/loket/", 1, ROLE_OPERATOR, page_desk_confirm, NULL},
          {"GET", "/tanda-terima/", 1, ROLE_OPERATOR, page_receipt, NULL},
          {"POST", "/tanda-terima/", 1, ROLE_OPERATOR, page_receipt_sign, NULL}, );
