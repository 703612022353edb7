/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: the head of agency (kepala perangkat daerah) and the
 * superior (atasan).
 *
 *   GET  /pegawai                     my agency's staff and their
 *                                     certificates (heads); the loss reports
 *                                     whose statement letter names me
 *   GET  /pegawai/cabut/SERIAL        a revocation request for the head's
 *                                     causes (Palembang 11(1))
 *   POST /pegawai/cabut/SERIAL        without yakin=1 a confirmation page;
 *                                     with it ra_revoke, the head as actor
 *   GET  /pegawai/laporan/ID/pernyataan, .../laporan-polisi
 *                                     the report's letters, for the superior
 *                                     it names (ra_loss_letter_get)
 *   POST /pegawai/laporan/ID/akui     ra_loss_acknowledge (Cirebon 15(3))
 *
 * NIKs are shown masked (3274********0002): a head reads their staff's
 * names, positions and certificates to act on them, not their population
 * numbers, which only those who read every record (ra_sees_all) see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/web_portal_owner.h"

/* The head's causes (ra_revoke's BY_HEAD), in the order the form shows. */
static const char *const head_causes[] = {"mutasi", "meninggal", "mengundurkan-diri",
                                          "pensiun", "lainnya"};
#define NHEAD_CAUSES (sizeof(head_causes) / sizeof(head_causes[0]))

/* 3274********0002: who it is, without the number itself. */
static void
nik_mask(char out[17], const char *nik)
{
	size_t n = strlen(nik), i;

	str_copy(out, 17, nik);
	for (i = 4; n == 16 && i < 12; i++)
		out[i] = '*';
	if (n != 16)
		str_copy(out, 17, "****************");
}

/* ---- the staff ------------------------------------------------------------------ */
struct staff {
	struct page *pg;
	json_t *arr;
	char nik[256][17];
	int n;
};

static int
staff_row(const struct ra_person *p, void *arg)
{
	struct staff *s = arg;
	char masked[17];

	if (s->n == 256)
		return 1;
	str_copy(s->nik[s->n++], 17, p->nik);
	nik_mask(masked, p->nik);
	json_array_append_new(s->arr,
	                      json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", p->name,
	                                "nik", masked, "nip", p->nip, "position",
	                                p->position, "certs", json_array()));
	return 0;
}

struct staff_certs {
	struct page *pg;
	json_t *arr;
	int64_t now;
	int head;
};

static int
staff_cert(const struct cert_rec *c, void *arg)
{
	struct staff_certs *l = arg;
	const char *status = cert_status_name(cert_rec_status(c, l->now));
	json_t *usage = wp_usage_json(l->pg, c->usages, NULL);
	char to[WP_TIME_MAX];

	wp_time(to, l->pg, c->not_after, 0);
	json_array_append_new(
	    l->arr,
	    json_pack("{s:s, s:s, s:O, s:s, s:s, s:s, s:b}", "serial", c->serial, "type",
	              wp_msg(l->pg, "type.", c->type), "usages",
	              json_object_get(usage, "label"), "status",
	              wp_msg(l->pg, "cert.status.", status), "status_code", status, "to",
	              to, "may_revoke", l->head && strcmp(status, "valid") == 0));
	json_decref(usage);
	return 0;
}

/* ---- loss reports naming me ---------------------------------------------------- */
struct loss_rows {
	struct page *pg;
	json_t *arr;
	int waiting;
};

static int
loss_row(const struct ra_loss *r, void *arg)
{
	struct loss_rows *l = arg;
	char when[WP_TIME_MAX], acked[WP_TIME_MAX] = "";

	wp_time(when, l->pg, r->created_at, 1);
	if (r->acknowledged_at != 0) {
		wp_time(acked, l->pg, r->acknowledged_at, 0);
	} else {
		l->waiting++;
	}
	json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
	                                        "id", r->id, "serial", r->serial, "owner",
	                                        r->owner_name, "note", r->note, "when",
	                                        when, "acked_at", acked, "acked",
	                                        r->acknowledged_at != 0));
	return 0;
}

static int
page_staff(struct page *pg)
{
	struct staff *s = NULL;
	struct loss_rows lr = {pg, json_array(), 0};
	struct ra_person me;
	struct ra_agency ag;
	int head = (pg->who.roles & ROLE_KEPALA_PD) != 0, i, rc = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		json_decref(lr.arr);
		return wp_error(pg, 500, "internal error");
	}
	s->pg = pg;
	s->arr = json_array();
	memset(&ag, 0, sizeof(ag));
	if ((rc = ra_person_get(&me, pg->r->st, pg->who.nik)) < 0)
		goto fail;
	ra_agency_get(&ag, pg->r->st, me.agency_id);
	/* The staff: the head's own agency only (ra_revoke's rule too). */
	if (head && (rc = ra_person_iter(pg->r->st, me.agency_id, staff_row, s)) < 0)
		goto fail;
	for (i = 0; i < s->n; i++) {
		struct staff_certs sc = {
		    pg, json_object_get(json_array_get(s->arr, (size_t)i), "certs"),
		    time_now(), head};

		if ((rc = store_cert_iter_nik(pg->r->st, s->nik[i], staff_cert, &sc)) < 0)
			goto fail;
	}
	if ((rc = ra_loss_iter(pg->r->st, pg->who.nik, loss_row, &lr)) < 0)
		goto fail;
	json_object_set_new(pg->ctx, "head", json_boolean(head));
	json_object_set_new(pg->ctx, "agency", json_string(ag.name));
	json_object_set_new(pg->ctx, "staff", s->arr);
	json_object_set_new(pg->ctx, "losses", lr.arr);
	json_object_set_new(pg->ctx, "has_losses",
	                    json_boolean(json_array_size(lr.arr) > 0));
	json_object_set_new(pg->ctx, "losses_waiting", json_integer(lr.waiting));
	{
		const char *ok = http_query(pg->r, "ok");

		if (ok != NULL && (strcmp(ok, "akui") == 0 || strcmp(ok, "dicabut") == 0))
			json_object_set_new(pg->ctx, "flash",
			                    json_pack("{s:s, s:s}", "kind", "ok", "text",
			                              wp_msg(pg, "agency.ok.", ok)));
	}
	free(s);
	return wp_render(pg, 200, "agency", "agency.title");
fail:
	json_decref(s->arr);
	json_decref(lr.arr);
	free(s);
	log_msg(LOG_ERROR, "portal: staff: %s", sertel_errmsg());
	return wp_error(pg, 500, "internal error");
}

/* ---- a revocation request by the head ------------------------------------------ */
/* The certificate of /pegawai/cabut/SERIAL, when its owner is on the head's
 * staff (others: 403, nothing about it shown). */
static int
staff_cert_get(struct page *pg, struct cert_rec *c, struct ra_person *owner)
{
	const char *serial = pg->sub + strlen("/pegawai/cabut/");
	struct ra_person me;
	int rc;

	memset(c, 0, sizeof(*c));
	if (strlen(serial) > SERIAL_HEX_MAX || !hex_lower_run(serial, strlen(serial))) {
		wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	if ((rc = store_cert_get(pg->r->st, serial, c)) < 0) {
		wp_error(pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		         wp_msg(pg, "", "error.notfound"));
		return rc;
	}
	if (c->nik[0] == '\0' || ra_person_get(owner, pg->r->st, c->nik) < 0 ||
	    ra_person_get(&me, pg->r->st, pg->who.nik) < 0 ||
	    strcmp(owner->agency_id, me.agency_id) != 0) {
		cert_rec_free(c);
		memset(c, 0, sizeof(*c));
		wp_error(pg, 403, wp_text(pg, "agency.notstaff"));
		return SERTEL_EPERM;
	}
	return 0;
}

static void
staff_cert_ctx(struct page *pg, const struct cert_rec *c, const struct ra_person *owner)
{
	char to[WP_TIME_MAX];

	wp_time(to, pg, c->not_after, 0);
	json_object_set_new(pg->ctx, "cert",
	                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "serial", c->serial,
	                              "owner", owner->name, "position", owner->position,
	                              "type", wp_msg(pg, "type.", c->type), "to", to));
}

static int
head_revoke_form(struct page *pg, const struct cert_rec *c, const struct ra_person *owner,
                 int status, const char *error)
{
	staff_cert_ctx(pg, c, owner);
	wp_cause_form(pg, head_causes, NHEAD_CAUSES, error);
	json_object_set_new(pg->ctx, "reason_help",
	                    json_string(wp_text(pg, "agency.revoke.reason.help")));
	return wp_render(pg, status, "agency-revoke", "agency.revoke.title");
}

static int
page_head_revoke(struct page *pg)
{
	struct cert_rec c;
	struct ra_person owner;
	int rc;

	if (staff_cert_get(pg, &c, &owner) < 0)
		return 0;
	rc = c.revoked ? wp_error(pg, 409, wp_text(pg, "owner.revoked"))
	               : head_revoke_form(pg, &c, &owner, 200, NULL);
	cert_rec_free(&c);
	return rc;
}

static int
page_head_revoke_post(struct page *pg)
{
	struct cert_rec c;
	struct ra_person owner;
	const char *cause, *why, *sure;
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if (staff_cert_get(pg, &c, &owner) < 0)
		return 0;
	cause = web_form_get(&pg->form, "sebab");
	why = web_form_get(&pg->form, "alasan");
	sure = web_form_get(&pg->form, "yakin");
	if (!wp_cause_in(head_causes, NHEAD_CAUSES, cause)) {
		/* An owner's or the OP's cause is not offered here; ra_revoke
		 * refuses it for a head anyway. */
		rc = head_revoke_form(pg, &c, &owner, 400,
		                      wp_text(pg, "owner.revoke.nocause"));
	} else if (why == NULL || *why == '\0') {
		rc = head_revoke_form(pg, &c, &owner, 400,
		                      wp_text(pg, "owner.revoke.noreason"));
	} else if (sure == NULL || strcmp(sure, "1") != 0) {
		staff_cert_ctx(pg, &c, &owner);
		wp_cause_confirm(pg, cause, why);
		rc = wp_render(pg, 200, "agency-revoke-confirm", "owner.confirm.title");
	} else if ((rc = ra_revoke(pg->r->st, &pg->who, pg->r->ctx->issuer, c.serial,
	                           cause, why)) < 0) {
		rc =
		    head_revoke_form(pg, &c, &owner, wp_rule_status(rc), sertel_errmsg());
	} else {
		rc = wp_redirect(pg, "/pegawai?ok=dicabut");
	}
	cert_rec_free(&c);
	return rc;
}

/* ---- the superior acknowledges a loss report ----------------------------------- */
static int
page_loss_ack(struct page *pg)
{
	const char *id = pg->sub + strlen("/pegawai/laporan/"), *end = strchr(id, '/');
	char rid[17];
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	if (end == NULL || end - id != 16 || strcmp(end, "/akui") != 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(rid, id, 16);
	rid[16] = '\0';
	if ((rc = ra_loss_acknowledge(pg->r->st, &pg->who, rid,
	                              web_form_get(&pg->form, "catatan"))) < 0)
		return wp_error(pg, wp_rule_status(rc), sertel_errmsg());
	return wp_redirect(pg, "/pegawai?ok=akui");
}

/* GET /pegawai/laporan/ID/pernyataan|laporan-polisi: a letter of the
 * report, inline, for the superior it names (ra_loss_letter_get decides
 * and audits the read). */
static int
page_loss_letter(struct page *pg)
{
	const char *id = pg->sub + strlen("/pegawai/laporan/"), *which;
	unsigned char *data = NULL;
	const char *mime = NULL;
	char rid[17], disp[96];
	size_t len = 0;
	int rc;

	if (strlen(id) < 18 || id[16] != '/')
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(rid, id, 16);
	rid[16] = '\0';
	which = id + 17;
	if ((rc = ra_loss_letter_get(&data, &len, &mime, pg->r->st, &pg->who, rid,
	                             which)) < 0)
		return wp_error(pg,
		                rc == SERTEL_EPERM                              ? 403
		                : rc == SERTEL_ENOTFOUND || rc == SERTEL_EINVAL ? 404
		                                                                : 500,
		                sertel_errmsg());
	free(pg->resp->body);
	pg->resp->body = data;
	pg->resp->len = len;
	pg->resp->status = 200;
	/* Only the types ra_report_loss let in; shown inline, never sniffed
	 * (the server sends nosniff with every answer). */
	pg->resp->ctype = mime == NULL ? "application/octet-stream"
	                  : strcmp(mime, "application/pdf") == 0 ? "application/pdf"
	                  : strcmp(mime, "image/png") == 0       ? "image/png"
	                                                         : "image/jpeg";
	snprintf(disp, sizeof(disp), "inline; filename=\"%s-%s\"", rid,
	         strcmp(which, "pernyataan") == 0 ? "pernyataan" : "laporan-polisi");
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'; "
	                          "img-src 'self'; style-src 'unsafe-inline'; "
	                          "frame-ancestors 'self'\n"
	                          "Cache-Control: no-store\n");
	return 0;
}

WP_ROUTES(wp_routes_agency,
          {"GET", "/pegawai", 1, ROLE_KEPALA_PD | ROLE_ATASAN, page_staff, "nav.staff"},
          {"GET", "/pegawai/cabut/", 1, ROLE_KEPALA_PD, page_head_revoke, NULL},
          {"POST", "/pegawai/cabut/", 1, ROLE_KEPALA_PD, page_head_revoke_post, NULL},
          {"GET", "/pegawai/laporan/", 1, ROLE_KEPALA_PD | ROLE_ATASAN, page_loss_letter,
           NULL},
          {"POST", "/pegawai/laporan/", 1, ROLE_KEPALA_PD | ROLE_ATASAN, page_loss_ack,
           NULL}, );
