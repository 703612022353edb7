/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: the owner's own certificate (pemilik) and signing key.
 *
 *   GET  /pemilik/SERIAL               the certificate: status, validity,
 *                                      usages, files and the actions
 *   POST /pemilik/SERIAL/perpanjang    renewal / re-application (Cirebon 14;
 *                                      Palembang 10(2-3)): a new draft
 *   GET  /pemilik/SERIAL/cabut         revocation for the owner's causes
 *   POST /pemilik/SERIAL/cabut         without yakin=1 a confirmation page;
 *                                      with it ra_revoke
 *   GET  /pemilik/SERIAL/hilang        loss report: the warning first, then
 *                                      (?lanjut=1) the form
 *   POST /pemilik/SERIAL/hilang        ra_report_loss (Cirebon 15(2)-(3))
 *   GET  /pemilik/keamanan             passphrase and TOTP
 *   POST /pemilik/passphrase           esign_passphrase_change
 *   POST /pemilik/totp                 esign_totp_enrol: the QR code and the
 *                                      secret, shown once
 *   POST /pemilik/totp/hapus           esign_totp_disable
 *
 * Only the certificate's owner opens these pages (403 for anyone else,
 * before anything about the certificate is shown); the rules themselves are
 * src/ra's and src/esign's.  Passphrases are never echoed into a page,
 * never logged, and wiped from the form once used.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/esign.h"
#include "gov/gov.h"
#include "http/web_portal_owner.h"
#include "report/report.h"

/* The owner's causes (ra_revoke's BY_OWNER), in the order the form shows. */
static const char *const owner_causes[] = {"permintaan-pemilik", "penyalahgunaan",
                                           "data-salah", "kunci-bocor"};
#define NOWNER_CAUSES (sizeof(owner_causes) / sizeof(owner_causes[0]))

/* ---- [esign] settings, read once as the e-sign API does ------------------- */
static struct {
	pthread_once_t once;
	struct instance *in;
	struct esign_conf ec;
	int rc;
} E = {PTHREAD_ONCE_INIT, NULL, {0}, 0};

static void
esign_conf_init(void)
{
	if ((E.rc = esign_conf_load(&E.ec, E.in->cfg, E.in->pc.base_url)) < 0)
		log_msg(LOG_ERROR, "portal: [esign]: %s", sertel_errmsg());
}

static const struct esign_conf *
owner_esign_conf(struct page *pg)
{
	E.in = pg->r->ctx->in;
	pthread_once(&E.once, esign_conf_init);
	return E.rc < 0 ? NULL : &E.ec;
}

/* Wipes every value of the posted form and the raw body (passphrases). */
void
wp_form_wipe(struct page *pg)
{
	unsigned char *body;
	int i;

	for (i = 0; i < pg->form.n; i++)
		if (pg->form.value[i] != NULL)
			secure_wipe(pg->form.value[i], strlen(pg->form.value[i]));
	/* The server's own buffer of this request (heap, freed after us). */
	memcpy(&body, &pg->r->body, sizeof(body));
	if (pg->r->body_len > 0)
		secure_wipe(body, pg->r->body_len);
}

static int
form_begin(struct page *pg)
{
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0) {
		wp_form_wipe(pg);
		wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
		return rc;
	}
	return 0;
}

static void
flash(struct page *pg, const char *kind, const char *text)
{
	json_object_set_new(pg->ctx, "flash",
	                    json_pack("{s:s, s:s}", "kind", kind, "text", text));
}

/* ?ok=NAME as the message prefix+NAME, when it is one of ours. */
static void
flash_ok(struct page *pg, const char *prefix)
{
	const char *ok = http_query(pg->r, "ok");

	if (ok != NULL && strlen(ok) < 32 &&
	    strspn(ok, "abcdefghijklmnopqrstuvwxyz-") == strlen(ok))
		flash(pg, "ok", wp_msg(pg, prefix, ok));
}

/* ---- the certificate named by /pemilik/SERIAL[/...] -------------------------- */
/* Loads it into c and the rest of the path into *rest; only for its owner.
 * On failure the error page is set. */
static int
owner_cert(struct page *pg, struct cert_rec *c, const char **rest)
{
	const char *s = pg->sub + strlen("/pemilik/");
	char serial[SERIAL_HEX_MAX + 1];
	size_t n = strcspn(s, "/");
	int rc;

	memset(c, 0, sizeof(*c));
	*rest = s + n;
	if (n > SERIAL_HEX_MAX || !hex_lower_run(s, n)) {
		wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	memcpy(serial, s, n);
	serial[n] = '\0';
	if ((rc = store_cert_get(pg->r->st, serial, c)) < 0) {
		wp_error(pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		         wp_msg(pg, "", "error.notfound"));
		return rc;
	}
	/* The owner's page: refused, and nothing about it shown, to others. */
	if (c->nik[0] == '\0' || strcmp(c->nik, pg->who.nik) != 0) {
		cert_rec_free(c);
		memset(c, 0, sizeof(*c));
		wp_error(pg, 403, wp_msg(pg, "", "owner.notyours"));
		return SERTEL_EPERM;
	}
	return 0;
}

/* The certificate's fields every owner page shows. */
static void
cert_ctx(struct page *pg, const struct cert_rec *c)
{
	const char *status = cert_status_name(cert_rec_status(c, time_now()));
	json_t *usage = wp_usage_json(pg, c->usages, NULL);
	char from[WP_TIME_MAX], to[WP_TIME_MAX], when[WP_TIME_MAX] = "";

	wp_time(from, pg, c->not_before, 0);
	wp_time(to, pg, c->not_after, 0);
	if (c->revoked)
		wp_time(when, pg, c->revoked_at, 0);
	json_object_set_new(
	    pg->ctx, "cert",
	    json_pack("{s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "serial",
	              c->serial, "type", wp_msg(pg, "type.", c->type), "usages",
	              json_object_get(usage, "label"), "subject", c->subject, "status",
	              wp_msg(pg, "cert.status.", status), "status_code", status, "from",
	              from, "to", to, "revoked_at", when, "valid",
	              strcmp(status, "valid") == 0));
	json_decref(usage);
}

static int
cert_page(struct page *pg, struct cert_rec *c)
{
	cert_ctx(pg, c);
	flash_ok(pg, "owner.ok.");
	json_object_set_new(
	    pg->ctx, "renew_label",
	    json_string(wp_text(pg, cert_rec_status(c, time_now()) == CERT_VALID
	                                ? "owner.renew"
	                                : "owner.reapply")));
	return wp_render(pg, 200, "owner-cert", "owner.title");
}

/* ---- revocation forms, shared with the head's pages -------------------------- */
int
wp_cause_in(const char *const *causes, size_t n, const char *cause)
{
	size_t i;

	for (i = 0; cause != NULL && i < n; i++)
		if (strcmp(cause, causes[i]) == 0)
			return 1;
	return 0;
}

void
wp_cause_form(struct page *pg, const char *const *causes, size_t n, const char *error)
{
	const char *chosen = web_form_get(&pg->form, "sebab"),
	           *why = web_form_get(&pg->form, "alasan");
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:b}", "value", causes[i], "label",
		                   wp_msg(pg, "cause.", causes[i]), "about",
		                   wp_msg(pg, "cause.about.", causes[i]), "checked",
		                   chosen != NULL && strcmp(chosen, causes[i]) == 0));
	json_object_set_new(pg->ctx, "causes", arr);
	json_object_set_new(pg->ctx, "alasan", json_string(why ? why : ""));
	if (error != NULL)
		json_object_set_new(pg->ctx, "form_error", json_string(error));
}

void
wp_cause_confirm(struct page *pg, const char *cause, const char *why)
{
	json_object_set_new(pg->ctx, "confirm",
	                    json_pack("{s:s, s:s, s:s}", "cause", cause, "cause_label",
	                              wp_msg(pg, "cause.", cause), "reason", why));
}

/* ---- revocation for the owner's causes -------------------------------------- */
static int
revoke_form(struct page *pg, struct cert_rec *c, int status, const char *error)
{
	cert_ctx(pg, c);
	wp_cause_form(pg, owner_causes, NOWNER_CAUSES, error);
	json_object_set_new(pg->ctx, "reason_help",
	                    json_string(wp_text(pg, "owner.revoke.reason.help")));
	return wp_render(pg, status, "owner-revoke", "owner.revoke.title");
}

static int
revoke_post(struct page *pg, struct cert_rec *c)
{
	const char *cause, *why, *sure;
	char loc[96];
	int rc;

	if (form_begin(pg) < 0)
		return 0;
	cause = web_form_get(&pg->form, "sebab");
	why = web_form_get(&pg->form, "alasan");
	sure = web_form_get(&pg->form, "yakin");
	if (!wp_cause_in(owner_causes, NOWNER_CAUSES, cause))
		return revoke_form(pg, c, 400, wp_text(pg, "owner.revoke.nocause"));
	if (why == NULL || *why == '\0')
		return revoke_form(pg, c, 400, wp_text(pg, "owner.revoke.noreason"));
	if (sure == NULL || strcmp(sure, "1") != 0) {
		/* The confirmation step: what will happen, the cause in words. */
		cert_ctx(pg, c);
		wp_cause_confirm(pg, cause, why);
		return wp_render(pg, 200, "owner-revoke-confirm", "owner.confirm.title");
	}
	if ((rc = ra_revoke(pg->r->st, &pg->who, pg->r->ctx->issuer, c->serial, cause,
	                    why)) < 0)
		return revoke_form(pg, c, wp_rule_status(rc), sertel_errmsg());
	snprintf(loc, sizeof(loc), "/pemilik/%s?ok=dicabut", c->serial);
	return wp_redirect(pg, loc);
}

/* ---- the loss report ------------------------------------------------------------ */
/* Who may have acknowledged the statement letter: the owner's registered
 * superior, then the heads of the owner's agency (ra_report_loss's rule).
 * Offered by position in this list, so no NIK reaches the page. */
struct heads {
	char nik[16][17];
	json_t *arr;
	int n;
	const char *self;
	const char *chosen;
};

static void
heads_add(struct heads *h, const struct ra_person *p, struct page *pg)
{
	char v[16];
	int i;

	if (h->n == 16 || strcmp(p->nik, h->self) == 0)
		return;
	for (i = 0; i < h->n; i++)
		if (strcmp(h->nik[i], p->nik) == 0)
			return;
	str_copy(h->nik[h->n], sizeof(h->nik[h->n]), p->nik);
	snprintf(v, sizeof(v), "%d", h->n + 1);
	json_array_append_new(
	    h->arr,
	    json_pack("{s:s, s:s, s:s, s:b}", "value", v, "name", p->name, "position",
	              p->position[0] ? p->position
	                             : wp_msg(pg, "role.", "kepala-perangkat-daerah"),
	              "selected", h->chosen != NULL && strcmp(h->chosen, v) == 0));
	h->n++;
}

struct heads_iter {
	struct heads *h;
	struct page *pg;
};

static int
head_row(const struct ra_person *p, void *arg)
{
	struct heads_iter *it = arg;

	if (p->roles & ROLE_KEPALA_PD)
		heads_add(it->h, p, it->pg);
	return 0;
}

static int
heads_load(struct heads *h, struct page *pg)
{
	struct ra_person me, sup;
	struct heads_iter it = {h, pg};

	h->arr = json_array();
	h->self = pg->who.nik;
	if (ra_person_get(&me, pg->r->st, pg->who.nik) < 0)
		return -1;
	if (me.superior_nik[0] != '\0' &&
	    ra_person_get(&sup, pg->r->st, me.superior_nik) == 0)
		heads_add(h, &sup, pg);
	return ra_person_iter(pg->r->st, me.agency_id, head_row, &it);
}

static int
loss_form(struct page *pg, struct cert_rec *c, int status, struct http_multipart *m,
          const char *error)
{
	struct heads h;
	const char *note = m ? http_multipart_text(m, "catatan") : NULL;

	memset(&h, 0, sizeof(h));
	h.chosen = m ? http_multipart_text(m, "atasan") : NULL;
	if (heads_load(&h, pg) < 0) {
		json_decref(h.arr);
		log_msg(LOG_ERROR, "portal: loss report: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	cert_ctx(pg, c);
	json_object_set_new(pg->ctx, "heads", h.arr);
	json_object_set_new(pg->ctx, "has_heads", json_boolean(h.n > 0));
	json_object_set_new(pg->ctx, "catatan", json_string(note ? note : ""));
	if (error != NULL)
		json_object_set_new(pg->ctx, "form_error", json_string(error));
	return wp_render(pg, status, "owner-loss", "owner.loss.title");
}

static int
loss_page(struct page *pg, struct cert_rec *c)
{
	const char *go = http_query(pg->r, "lanjut");

	if (go != NULL && strcmp(go, "1") == 0)
		return loss_form(pg, c, 200, NULL, NULL);
	/* The warning first: this cannot be undone. */
	cert_ctx(pg, c);
	return wp_render(pg, 200, "owner-loss-confirm", "owner.loss.title");
}

static const struct ra_file *
part_file(struct ra_file *f, struct http_multipart *m, const char *field,
          const char *kind)
{
	struct http_part *p = http_multipart_get(m, field);

	if (p == NULL || !p->is_file || p->val.len == 0)
		return NULL;
	f->kind = kind;
	f->data = p->val.data;
	f->len = p->val.len;
	f->filename = p->filename[0] ? p->filename : kind;
	return f;
}

static int
loss_post(struct page *pg, struct cert_rec *c)
{
	struct http_multipart m;
	struct ra_file st, po;
	const struct ra_file *statement, *police;
	struct heads h;
	const char *pick, *typed, *ack = NULL;
	char loc[96];
	long long idx;
	int rc;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	memset(&h, 0, sizeof(h));
	pick = http_multipart_text(&m, "atasan");
	typed = http_multipart_text(&m, "atasan_nik");
	if (typed != NULL && *typed != '\0') {
		ack = typed;
	} else if (pick != NULL && *pick != '\0') {
		if (heads_load(&h, pg) < 0) {
			rc = wp_error(pg, 500, "internal error");
			goto out;
		}
		if (parse_ll(&idx, pick, 1, 16) == 0 && idx <= h.n)
			ack = h.nik[idx - 1];
	}
	if (ack == NULL) {
		rc = loss_form(pg, c, 400, &m, wp_text(pg, "owner.loss.noack"));
		goto out;
	}
	statement = part_file(&st, &m, "pernyataan", "pernyataan");
	police = part_file(&po, &m, "laporan_polisi", "laporan-polisi");
	if (statement == NULL || police == NULL) {
		rc = loss_form(pg, c, 400, &m, wp_text(pg, "owner.loss.nofiles"));
		goto out;
	}
	/* The loss report opens its security incident (Cirebon 24). */
	if ((rc = gov_report_loss(pg->r->st, pg->r->ctx->in->cfg, &pg->who,
	                          pg->r->ctx->issuer, c->serial, ack, statement, police,
	                          http_multipart_text(&m, "catatan"), NULL)) < 0) {
		/* The rule's own words; nothing stored. */
		rc = loss_form(pg, c, rc == SERTEL_ENOTFOUND ? 400 : wp_rule_status(rc),
		               &m, sertel_errmsg());
		goto out;
	}
	snprintf(loc, sizeof(loc), "/pemilik/%s?ok=hilang", c->serial);
	rc = wp_redirect(pg, loc);
out:
	json_decref(h.arr);
	http_multipart_free(&m);
	return rc;
}

/* ---- renewal ----------------------------------------------------------------- */
static int
renew_post(struct page *pg, struct cert_rec *c)
{
	struct ra_application app;
	char loc[96];
	int rc;

	if (form_begin(pg) < 0)
		return 0;
	if ((rc = ra_renew(&app, pg->r->st, &pg->who, c->serial,
	                   ra_approvals_needed(pg->r->ctx->in->cfg, c->type))) < 0) {
		cert_ctx(pg, c);
		flash(pg, "bad", sertel_errmsg());
		return wp_render(pg, rc == SERTEL_EPERM ? 403 : 400, "owner-cert",
		                 "owner.title");
	}
	/* The owner completes and submits it like a new application. */
	snprintf(loc, sizeof(loc), "/permohonan/%s?ok=perpanjang", app.id);
	return wp_redirect(pg, loc);
}

static int
page_owner(struct page *pg)
{
	struct cert_rec c;
	const char *rest;
	int rc;

	if (owner_cert(pg, &c, &rest) < 0)
		return 0;
	if (*rest == '\0')
		rc = cert_page(pg, &c);
	else if (strcmp(rest, "/cabut") == 0)
		rc = c.revoked ? wp_error(pg, 409, wp_text(pg, "owner.revoked"))
		               : revoke_form(pg, &c, 200, NULL);
	else if (strcmp(rest, "/hilang") == 0)
		rc = c.revoked ? wp_error(pg, 409, wp_text(pg, "owner.revoked"))
		               : loss_page(pg, &c);
	else
		rc = wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	cert_rec_free(&c);
	return rc;
}

static int
page_owner_post(struct page *pg)
{
	struct cert_rec c;
	const char *rest;
	int rc;

	if (owner_cert(pg, &c, &rest) < 0)
		return 0;
	if (strcmp(rest, "/perpanjang") == 0)
		rc = renew_post(pg, &c);
	else if (strcmp(rest, "/cabut") == 0)
		rc = revoke_post(pg, &c);
	else if (strcmp(rest, "/hilang") == 0)
		rc = loss_post(pg, &c);
	else
		rc = wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	cert_rec_free(&c);
	return rc;
}

/* ---- passphrase and TOTP -------------------------------------------------------- */
static int
security_page(struct page *pg, int status, const char *which, const char *error)
{
	struct esign_owner o;
	int rc, have_img;

	memset(&o, 0, sizeof(o));
	if ((rc = esign_owner_get(&o, pg->r->st, pg->who.nik, NULL, time_now())) < 0 &&
	    rc != SERTEL_ENOTFOUND) {
		log_msg(LOG_ERROR, "portal: owner: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	/* Whether an image is stored, without reading its bytes. */
	if ((have_img = ra_sigimg_has(pg->r->st, pg->who.nik)) < 0) {
		log_msg(LOG_ERROR, "portal: owner: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "owner",
	                    json_pack("{s:b, s:b, s:b, s:i, s:b}", "sealed",
	                              o.has_sealed_key, "totp", o.totp_enrolled, "locked",
	                              o.locked, "failures", o.failures, "sigimg",
	                              have_img));
	/* The rule the e-sign service applies ([passphrase] min_length). */
	json_object_set_new(
	    pg->ctx, "pass",
	    json_pack("{s:I}", "min", (json_int_t)pg->r->ctx->policy.pass_min_len));
	flash_ok(pg, "owner.ok.");
	if (error != NULL)
		json_object_set_new(pg->ctx, which, json_string(error));
	return wp_render(pg, status, "owner-security", "owner.security.title");
}

static int
page_security(struct page *pg)
{
	return security_page(pg, 200, NULL, NULL);
}

/* An esign call's failure as the page shows it: its Bahasa Indonesia line,
 * with the rule broken when the input was refused (a weak passphrase:
 * which rule); a wrong passphrase is said as such and no more. */
const char *
wp_esign_msg(char *out, size_t outsz, const struct esign_error *e)
{
	if (e->code == ESIGN_BAD_REQUEST)
		snprintf(out, outsz, "%s (%s)", e->msg, sertel_errmsg());
	else if (e->code != 0)
		str_copy(out, outsz, e->msg);
	else
		str_copy(out, outsz, sertel_errmsg());
	return out;
}

static int
page_passphrase(struct page *pg)
{
	const struct esign_conf *ec = owner_esign_conf(pg);
	const char *old, *nw, *again;
	struct esign_error err;
	char msg[700];
	int rc, status;

	if (form_begin(pg) < 0)
		return 0;
	old = web_form_get(&pg->form, "lama");
	nw = web_form_get(&pg->form, "baru");
	again = web_form_get(&pg->form, "ulang");
	if (ec == NULL) {
		wp_form_wipe(pg);
		return wp_error(pg, 503, "e-sign: [esign] settings unreadable");
	}
	if (old == NULL || *old == '\0' || nw == NULL || *nw == '\0') {
		wp_form_wipe(pg);
		return security_page(pg, 400, "pass_error",
		                     wp_text(pg, "owner.pass.missing"));
	}
	if (again == NULL || strlen(again) != strlen(nw) ||
	    !ct_equal(again, nw, strlen(nw))) {
		wp_form_wipe(pg);
		return security_page(pg, 400, "pass_error",
		                     wp_text(pg, "owner.pass.differ"));
	}
	memset(&err, 0, sizeof(err));
	rc = esign_passphrase_change(&err, pg->r->st, ec, pg->who.nik, old, strlen(old),
	                             nw, strlen(nw));
	/* Never echoed back, never kept. */
	wp_form_wipe(pg);
	if (rc < 0) {
		status = err.http ? err.http : (rc == SERTEL_EPERM ? 403 : 400);
		return security_page(pg, status, "pass_error",
		                     wp_esign_msg(msg, sizeof(msg), &err));
	}
	return wp_redirect(pg, "/pemilik/keamanan?ok=passphrase");
}

static int
page_totp_enrol(struct page *pg)
{
	const struct esign_conf *ec = owner_esign_conf(pg);
	const char *pass;
	struct esign_error err;
	char *b32 = NULL, *uri = NULL, *svg = NULL, *b64 = NULL, *data = NULL, msg[700];
	size_t n;
	int rc;

	if (form_begin(pg) < 0)
		return 0;
	pass = web_form_get(&pg->form, "passphrase");
	if (ec == NULL) {
		wp_form_wipe(pg);
		return wp_error(pg, 503, "e-sign: [esign] settings unreadable");
	}
	if (pass == NULL || *pass == '\0') {
		wp_form_wipe(pg);
		return security_page(pg, 400, "totp_error",
		                     wp_text(pg, "owner.pass.missing"));
	}
	memset(&err, 0, sizeof(err));
	rc = esign_totp_enrol(&err, &b32, &uri, pg->r->st, ec, pg->who.nik, pass,
	                      strlen(pass));
	wp_form_wipe(pg);
	if (rc < 0)
		return security_page(pg, err.http ? err.http : 400, "totp_error",
		                     wp_esign_msg(msg, sizeof(msg), &err));
	/* The QR code drawn here, as an image the CSP allows (img-src data:). */
	if ((rc = pdfdoc_qr_svg(&svg, uri)) == 0 &&
	    (rc = b64_encode(&b64, (const unsigned char *)svg, strlen(svg), 0)) == 0) {
		n = strlen(b64) + 32;
		if ((data = malloc(n)) != NULL)
			snprintf(data, n, "data:image/svg+xml;base64,%s", b64);
	}
	if (data == NULL) {
		rc = wp_error(pg, 500, "internal error");
		goto out;
	}
	/* Shown once, in this answer only (never cached: page_headers). */
	json_object_set_new(
	    pg->ctx, "totp",
	    json_pack("{s:s, s:s, s:s}", "secret", b32, "uri", uri, "qr", data));
	rc = wp_render(pg, 200, "owner-totp", "owner.totp.title");
out:
	if (b32 != NULL)
		secure_wipe(b32, strlen(b32));
	if (uri != NULL)
		secure_wipe(uri, strlen(uri));
	if (svg != NULL)
		secure_wipe(svg, strlen(svg));
	if (b64 != NULL)
		secure_wipe(b64, strlen(b64));
	if (data != NULL)
		secure_wipe(data, strlen(data));
	free(b32);
	free(uri);
	free(svg);
	free(b64);
	free(data);
	return rc;
}

static int
page_totp_disable(struct page *pg)
{
	struct esign_owner o;
	int rc;

	if (form_begin(pg) < 0)
		return 0;
	if (web_form_get(&pg->form, "yakin") == NULL)
		return security_page(pg, 400, "totp_error",
		                     wp_text(pg, "owner.totp.sure"));
	/* Nothing to turn off: say so, and write nothing (not even an audit
	 * entry) for a form no page offered. */
	memset(&o, 0, sizeof(o));
	if ((rc = esign_owner_get(&o, pg->r->st, pg->who.nik, NULL, time_now())) < 0 &&
	    rc != SERTEL_ENOTFOUND)
		return wp_error(pg, 500, "internal error");
	if (!o.totp_enrolled)
		return security_page(pg, 409, "totp_error",
		                     wp_text(pg, "owner.totp.none"));
	if ((rc = esign_totp_disable(pg->r->st, &pg->who, pg->who.nik)) < 0)
		return security_page(pg, rc == SERTEL_EPERM ? 403 : 400, "totp_error",
		                     sertel_errmsg());
	return wp_redirect(pg, "/pemilik/keamanan?ok=totp-hapus");
}

/* POST /pemilik/gambar-ttd: the owner's scanned signature for the box
 * (Palembang 12(3), issue 11): a PNG or JPEG, or "hapus" to remove it;
 * ra_sigimg_set checks the image and decides who may. */
static int
page_sigimg(struct page *pg)
{
	struct http_multipart m;
	struct http_part *f;
	int rc, removed;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	if ((removed = http_multipart_text(&m, "hapus") != NULL)) {
		rc = ra_sigimg_set(pg->r->st, &pg->who, pg->who.nik, NULL, 0);
	} else if ((f = http_multipart_get(&m, "gambar")) == NULL || !f->is_file ||
	           f->val.len == 0) {
		http_multipart_free(&m);
		return security_page(pg, 400, "sigimg_error",
		                     wp_text(pg, "owner.sigimg.none"));
	} else {
		rc = ra_sigimg_set(pg->r->st, &pg->who, pg->who.nik, f->val.data,
		                   f->val.len);
	}
	http_multipart_free(&m);
	if (rc < 0)
		return security_page(pg, rc == SERTEL_EPERM ? 403 : 400, "sigimg_error",
		                     rc == SERTEL_EINVAL || rc == SERTEL_ETOOBIG
		                         ? wp_text(pg, "owner.sigimg.bad")
		                         : sertel_errmsg());
	return wp_redirect(pg, removed ? "/pemilik/keamanan?ok=gambar-ttd-hapus"
	                               : "/pemilik/keamanan?ok=gambar-ttd");
}

WP_ROUTES(wp_routes_owner,
          {"GET", "/pemilik/keamanan", 1, 0, page_security, "nav.security"},
          {"POST", "/pemilik/passphrase", 1, 0, page_passphrase, NULL},
          {"POST", "/pemilik/totp", 1, 0, page_totp_enrol, NULL},
          {"POST", "/pemilik/totp/hapus", 1, 0, page_totp_disable, NULL},
          {"POST", "/pemilik/gambar-ttd", 1, 0, page_sigimg, NULL},
          {"GET", "/pemilik/", 1, 0, page_owner, NULL},
          {"POST", "/pemilik/", 1, 0, page_owner_post, NULL}, );
