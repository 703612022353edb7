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
 *
 * The passphrase is never put back into a page, never logged, and wiped
 * from the parsed form once used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/web_portal.h"

/* HTTP status for a refused rule. */
static int
status_of(int rc)
{
	switch (rc) {
	case SERTEL_EPERM: return 403;
	case SERTEL_ENOTFOUND: return 404;
	case SERTEL_ESTATE: return 409;
	case SERTEL_ETOOBIG: return 413;
	case SERTEL_EINVAL:
	case SERTEL_EAUTH: return 400;
	default: return 500;
	}
}

/* The desk session named by the path /loket/ID, for its witness. */
static int
path_desk(struct page *pg, struct ra_desk *d)
{
	const char *id = pg->sub + strlen("/loket/");
	int rc;

	if ((rc = ra_desk_get(d, pg->r->st, &pg->who, id)) < 0) {
		wp_error(pg, status_of(rc),
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
	char *text = NULL, until[WP_TIME_MAX], forbid[1024];
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
	json_object_set_new(pg->ctx, "app",
	                    json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:b}",
	                              "id", a.id, "type", wp_msg(pg, "type.", a.type),
	                              "type_code", a.type, "usages",
	                              json_object_get(usage, "label"), "cn", a.cn,
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
	json_object_set_new(
	    pg->ctx, "pass",
	    json_pack("{s:I, s:s}", "min",
	              (json_int_t)config_get_int(pg->r->ctx->in->cfg, "passphrase",
	                                         "min_length", 10),
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
	if (id == NULL || strlen(id) != RA_ID_LEN ||
	    strspn(id, "0123456789abcdef") != RA_ID_LEN)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	/* ra_desk_start's rules: an operator with a certificate, not their
	 * own application, approved. */
	if ((rc = ra_desk_start(&d, pg->r->st, &pg->who, id)) < 0)
		return wp_error(pg, status_of(rc), sertel_errmsg());
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
	rq.pass_min_len =
	    (size_t)config_get_int(pg->r->ctx->in->cfg, "passphrase", "min_length", 10);
	rq.algo = config_get(pg->r->ctx->in->cfg, "keys", "algo", "ec-p256");
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
	status = status_of(rc);
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

int
wp_desk_receipt(struct page *pg, const struct ra_application *a)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char disp[96];
	int rc;

	/* ra_receipt_pdf decides who may read it (the applicant, operators,
	 * the Kepala Dinas, auditors) and that it is issued. */
	if ((rc = ra_receipt_pdf(&pdf, &len, pg->r->st, &pg->who, a->id,
	                         pg->r->ctx->in->pc.org)) < 0)
		return wp_error(pg, status_of(rc),
		                rc == SERTEL_ESTATE ? wp_msg(pg, "", "desk.receipt.none")
		                                    : sertel_errmsg());
	free(pg->resp->body);
	pg->resp->body = pdf;
	pg->resp->len = len;
	pg->resp->status = 200;
	pg->resp->ctype = "application/pdf";
	/* Inline: it opens in the browser's viewer, for printing. */
	snprintf(disp, sizeof(disp), "inline; filename=\"tanda-terima-%s.pdf\"", a->id);
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'; "
	                          "frame-ancestors 'self'\n"
	                          "X-Frame-Options: SAMEORIGIN\n"
	                          "Cache-Control: no-store\n");
	return 0;
}

WP_ROUTES(wp_routes_desk, {"POST", "/loket", 1, ROLE_OPERATOR, page_desk_start, NULL},
          {"GET", "/loket/", 1, ROLE_OPERATOR, page_desk, NULL},
          {"POST", "/loket/", 1, ROLE_OPERATOR, page_desk_confirm, NULL}, );
