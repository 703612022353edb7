/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: applications (the applicant applies, uploads letters, submits;
 * whoever may read an application sees it) and the operator's queue and
 * decisions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/web_portal.h"

/* ---- applications (the applicant) ------------------------------------------ */
static int app_decide(struct page *pg, struct ra_application *a);
/* Letters anyone may add besides the required ones. */
static const char *const optional_kinds[] = {"formulir", "lainnya"};

/* [{kind, label, field}] for the letters a type needs. */
static json_t *
kinds_json(struct page *pg, const char *const *k, int n)
{
	json_t *arr = json_array();
	char field[48];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "lampiran_%s", k[i]);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "kind", k[i],
		                                     "label", wp_msg(pg, "attach.", k[i]),
		                                     "field", field));
	}
	return arr;
}

/* The form for a type, with what the person record says (the names in
 * the certificate come from it, not from the form). */
static int
app_form(struct page *pg, int status, const char *type, struct http_multipart *in,
         const char *error)
{
	const char *const *k;
	const char *chosen = in ? http_multipart_text(in, "penggunaan") : NULL;
	struct ra_person p;
	struct ra_agency ag;
	json_t *usages = json_array(), *person;
	int n, i;

	k = ra_usage_choices(type, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(usages, wp_usage_json(pg, k[i], chosen));
	json_object_set_new(pg->ctx, "usages", usages);
	k = ra_required_attachments(type, &n);
	json_object_set_new(pg->ctx, "required", kinds_json(pg, k, n));
	json_object_set_new(
	    pg->ctx, "optional",
	    kinds_json(pg, optional_kinds,
	               (int)(sizeof(optional_kinds) / sizeof(optional_kinds[0]))));
	json_object_set_new(pg->ctx, "type", json_string(type));
	json_object_set_new(pg->ctx, "type_label",
	                    json_string(wp_msg(pg, "type.", type)));
	json_object_set_new(pg->ctx, "is_sistem",
	                    json_boolean(strcmp(type, "sistem") == 0));
	json_object_set_new(pg->ctx, "is_jabatan",
	                    json_boolean(strcmp(type, "jabatan") == 0));
	if (ra_person_get(&p, pg->r->st, pg->who.nik) == 0) {
		person = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", p.name, "email",
		                   p.email, "nip", p.nip, "position", p.position,
		                   "kepala_daerah", p.kepala_daerah != 0);
		if (ra_agency_get(&ag, pg->r->st, p.agency_id) == 0)
			json_object_set_new(person, "agency", json_string(ag.name));
		json_object_set_new(pg->ctx, "person", person);
	}
	if (in != NULL) {
		static const char *const keep[] = {"nama_sistem", "rincian", "dns", "ip"};
		json_t *v = json_object();

		for (i = 0; i < (int)(sizeof(keep) / sizeof(keep[0])); i++) {
			const char *t = http_multipart_text(in, keep[i]);
			json_object_set_new(v, keep[i], json_string(t ? t : ""));
		}
		json_object_set_new(pg->ctx, "v", v);
		json_object_set_new(
		    pg->ctx, "declared",
		    json_boolean(http_multipart_text(in, "pernyataan") != NULL));
	}
	if (error != NULL)
		json_object_set_new(pg->ctx, "form_error", json_string(error));
	return wp_render(pg, status, "app-new", "app.new.title");
}

static int
page_app_new(struct page *pg)
{
	const char *type = http_query(pg->r, "jenis");
	json_t *types;
	const char *const *k;
	size_t i;
	int n;

	if (wp_type_valid(type))
		return app_form(pg, 200, type, NULL, NULL);
	types = json_array();
	for (i = 0; i < WP_APP_TYPES; i++) {
		k = ra_required_attachments(wp_app_types[i], &n);
		json_array_append_new(
		    types, json_pack("{s:s, s:s, s:s, s:o}", "type", wp_app_types[i],
		                     "label", wp_msg(pg, "type.", wp_app_types[i]),
		                     "about", wp_msg(pg, "type.about.", wp_app_types[i]),
		                     "required", kinds_json(pg, k, n)));
	}
	json_object_set_new(pg->ctx, "types", types);
	return wp_render(pg, 200, "app-type", "app.new.title");
}

/* Lines of a textarea into out[] (pointers into text, which is changed). */
static int
split_lines(const char **out, int max, char *text)
{
	char *p, *save = NULL;
	int n = 0;

	for (p = strtok_r(text, "\r\n, ", &save); p != NULL;
	     p = strtok_r(NULL, "\r\n, ", &save)) {
		if (n == max)
			return -1;
		out[n++] = p;
	}
	return n;
}

/* The files chosen in a form's lampiran_KIND inputs (empty ones skipped). */
static int
form_files(struct ra_file *files, int max, struct http_multipart *m)
{
	int i, n = 0;

	for (i = 0; i < m->n; i++) {
		struct http_part *f = &m->f[i];

		if (!f->is_file || f->val.len == 0 ||
		    strncmp(f->name, "lampiran_", 9) != 0)
			continue;
		if (n == max)
			return -1;
		files[n].kind = f->name + 9;
		files[n].data = f->val.data;
		files[n].len = f->val.len;
		files[n].filename = f->filename[0] ? f->filename : f->name + 9;
		n++;
	}
	return n;
}

static int
page_app_create(struct page *pg)
{
	struct http_multipart m;
	struct ra_apply_req rq;
	struct ra_application app;
	struct ra_file files[16];
	const char *type, *usage, *aksi;
	char *dns = NULL, *ip = NULL, loc[64];
	int nf, rc, needed = 1;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	type = http_multipart_text(&m, "jenis");
	usage = http_multipart_text(&m, "penggunaan");
	aksi = http_multipart_text(&m, "aksi");
	if (!wp_type_valid(type)) {
		rc = wp_error(pg, 400, wp_msg(pg, "", "app.type.invalid"));
		goto out;
	}
	memset(&rq, 0, sizeof(rq));
	rq.type = type;
	rq.usages = usage;
	if (usage == NULL || *usage == '\0') {
		rc = app_form(pg, 400, type, &m, wp_msg(pg, "", "app.usage.missing"));
		goto out;
	}
	/* Palembang Lampiran I: the applicant declares the data true. */
	if (http_multipart_text(&m, "pernyataan") == NULL) {
		rc = app_form(pg, 400, type, &m, wp_msg(pg, "", "app.declare.missing"));
		goto out;
	}
	if (strcmp(type, "sistem") == 0) {
		rq.system_name = http_multipart_text(&m, "nama_sistem");
		rq.system_details = http_multipart_text(&m, "rincian");
		if ((dns = strdup(http_multipart_text(&m, "dns")
		                      ? http_multipart_text(&m, "dns")
		                      : "")) == NULL ||
		    (ip = strdup(http_multipart_text(&m, "ip")
		                     ? http_multipart_text(&m, "ip")
		                     : "")) == NULL) {
			rc = wp_error(pg, 500, "internal error");
			goto out;
		}
		if ((rq.ndns = split_lines(rq.dns, 16, dns)) < 0 ||
		    (rq.nip = split_lines(rq.ip, 16, ip)) < 0) {
			rc = app_form(pg, 400, type, &m,
			              wp_msg(pg, "", "app.names.toomany"));
			goto out;
		}
	}
	rq.self_issued_letters = http_multipart_text(&m, "surat_sendiri") != NULL;
	if ((nf = form_files(files, 16, &m)) < 0) {
		rc = app_form(pg, 400, type, &m, wp_msg(pg, "", "app.files.toomany"));
		goto out;
	}
	rq.files = files;
	rq.nfiles = nf;
	/* N-of-M: the Kepala Dinas's rule for the type, else the config. */
	if ((rc = ra_approval_rule(&needed, NULL, pg->r->st, pg->r->ctx->in->cfg, type)) <
	        0 ||
	    (rc = ra_apply(&app, pg->r->st, &pg->who, &rq, needed)) < 0) {
		/* The rule's own message, next to the form, nothing stored. */
		rc = app_form(pg, rc == SERTEL_EPERM ? 403 : 400, type, &m,
		              sertel_errmsg());
		goto out;
	}
	snprintf(loc, sizeof(loc), "/permohonan/%s?ok=%s", app.id,
	         aksi && strcmp(aksi, "ajukan") == 0 ? "ajukan" : "konsep");
	if (aksi != NULL && strcmp(aksi, "ajukan") == 0 &&
	    ra_submit(pg->r->st, &pg->who, app.id) < 0)
		/* Saved as a draft; the page says what is still missing. */
		snprintf(loc, sizeof(loc), "/permohonan/%s?ok=konsep-belum", app.id);
	rc = wp_redirect(pg, loc);
out:
	free(dns);
	free(ip);
	http_multipart_free(&m);
	return rc;
}

struct att_list {
	struct page *pg;
	json_t *arr;
	const char *app_id;
};

static int
att_row(const struct ra_attachment_info *i, void *arg)
{
	struct att_list *l = arg;
	char href[128], size[32];

	snprintf(href, sizeof(href), PORTAL_PREFIX "/permohonan/%s/lampiran/%s",
	         l->app_id, i->kind);
	if (i->size >= 1024 * 1024)
		snprintf(size, sizeof(size), "%.1f MB", (double)i->size / (1024 * 1024));
	else
		snprintf(size, sizeof(size), "%lld KB",
		         (long long)((i->size + 1023) / 1024));
	json_array_append_new(
	    l->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "kind", i->kind,
	                      "label", wp_msg(l->pg, "attach.", i->kind), "filename",
	                      i->filename, "size", size, "sha256", i->sha256, "href",
	                      href, "is_pdf", strcmp(i->mime, "application/pdf") == 0,
	                      "is_image", strncmp(i->mime, "image/", 6) == 0));
	return 0;
}

/* The application named by the path /permohonan/ID[/...]: id into out. */
static int
path_app(struct page *pg, struct ra_application *a, const char **rest)
{
	const char *id = pg->sub + strlen("/permohonan/");
	char buf[RA_ID_LEN + 1];
	size_t n = strcspn(id, "/");
	int rc;

	*rest = id + n;
	if (n != RA_ID_LEN || !hex_lower_run(id, n)) {
		wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	memcpy(buf, id, n);
	buf[n] = '\0';
	if ((rc = ra_get(a, pg->r->st, buf)) < 0) {
		wp_error(
		    pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		    wp_msg(pg, "",
		           rc == SERTEL_ENOTFOUND ? "error.notfound" : "error.title"));
		return rc;
	}
	/* Who may read it, before anything about it is shown. */
	if (!ra_may_read(&pg->who, a)) {
		wp_error(pg, 403, wp_msg(pg, "", "error.role"));
		return SERTEL_EPERM;
	}
	return 0;
}

/* One approval for the page: the operator's name (not their NIK) and when. */
struct approvers {
	struct page *pg;
	json_t *arr;
};

static int
approver_row(const char *nik, const char *name, int64_t at, void *arg)
{
	struct approvers *l = arg;
	char when[WP_TIME_MAX];

	wp_time(when, l->pg, at, 1);
	json_array_append_new(
	    l->arr, json_pack("{s:s, s:s}", "name", name[0] ? name : nik, "at", when));
	return 0;
}

static int
app_page(struct page *pg, struct ra_application *a, int status, const char *error)
{
	struct att_list l = {pg, json_array(), a->id};
	const char *const *k;
	const char *ok = http_query(pg->r, "ok");
	json_t *missing = json_array(), *kinds,
	       *usage = wp_usage_json(pg, a->usages, NULL);
	char cn[sizeof(a->cn) + 256];
	size_t i;
	int n, j, have,
	    editable = (a->state == APP_DRAFT || a->state == APP_RETURNED) &&
	               strcmp(a->applicant_nik, pg->who.nik) == 0;

	if (ra_attachment_iter(pg->r->st, a->id, att_row, &l) < 0) {
		json_decref(l.arr);
		json_decref(missing);
		json_decref(usage);
		return wp_error(pg, 500, "internal error");
	}
	k = ra_required_attachments(a->type, &n);
	for (j = 0; j < n; j++) {
		have = 0;
		for (i = 0; i < json_array_size(l.arr); i++)
			if (strcmp(json_string_value(
			               json_object_get(json_array_get(l.arr, i), "kind")),
			           k[j]) == 0)
				have = 1;
		if (!have)
			json_array_append_new(missing,
			                      json_string(wp_msg(pg, "attach.", k[j])));
	}
	kinds = kinds_json(pg, k, n);
	for (i = 0; i < sizeof(optional_kinds) / sizeof(optional_kinds[0]); i++)
		json_array_append_new(
		    kinds, json_pack("{s:s, s:s}", "kind", optional_kinds[i], "label",
		                     wp_msg(pg, "attach.", optional_kinds[i])));
	/* What the certificate will say, as the issuance will write it. */
	ra_subject_cn(cn, sizeof(cn), a);
	json_object_set_new(pg->ctx, "app",
	                    json_pack("{s:s, s:s, s:O, s:s, s:s, s:s, s:i, s:i, s:s}",
	                              "id", a->id, "type", wp_msg(pg, "type.", a->type),
	                              "usages", json_object_get(usage, "label"), "state",
	                              wp_msg(pg, "state.", ra_state_name(a->state)),
	                              "state_code", ra_state_name(a->state), "reasons",
	                              a->reasons, "approvals", a->approvals, "needed",
	                              a->approvals_needed, "cn", cn));
	json_decref(usage);
	/* What the certificate will say besides the name: the operator checks
	 * these against the letters. */
	{
		json_t *app = json_object_get(pg->ctx, "app");

		json_object_set_new(app, "email", json_string(a->email));
		/* Always set: a missing key would be looked up in the page's
		 * context (its title). */
		json_object_set_new(app, "position", json_string(a->title));
		if (a->system_name[0] != '\0')
			json_object_set_new(app, "system",
			                    json_pack("{s:s, s:s, s:s, s:s}", "name",
			                              a->system_name, "details",
			                              a->system_details, "dns", a->dns,
			                              "ip", a->ip));
	}
	{
		struct approvers who = {pg, json_array()};

		if (ra_approval_iter(pg->r->st, a->id, approver_row, &who) == 0 &&
		    json_array_size(who.arr) > 0)
			json_object_set_new(json_object_get(pg->ctx, "app"), "approvers",
			                    who.arr);
		else
			json_decref(who.arr);
	}
	json_object_set_new(pg->ctx, "attachments", l.arr);
	json_object_set_new(pg->ctx, "has_attachments",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "missing", missing);
	json_object_set_new(pg->ctx, "has_missing",
	                    json_boolean(json_array_size(missing) > 0));
	json_object_set_new(pg->ctx, "kinds", kinds);
	json_object_set_new(pg->ctx, "editable", json_boolean(editable));
	/* The decision is offered to operators on submitted applications; the
	 * rules (their own certificate, not their own application, N of M)
	 * are ra_approve's. */
	if (a->state == APP_SUBMITTED && (pg->who.roles & ROLE_OPERATOR)) {
		char review[1024], *item, *save = NULL;
		json_t *items = json_array();
		int ni = 0;

		if (ra_needs_review(review, sizeof(review), a) == 0)
			for (item = strtok_r(review, ",", &save); item != NULL && ni < 32;
			     item = strtok_r(NULL, ",", &save), ni++)
				json_array_append_new(
				    items,
				    json_pack("{s:s, s:s}", "value", item, "field", ""));
		for (i = 0; i < json_array_size(items); i++) {
			char field[32];
			snprintf(field, sizeof(field), "tinjau_%d", (int)i);
			json_object_set_new(json_array_get(items, i), "field",
			                    json_string(field));
		}
		json_object_set_new(pg->ctx, "decide",
		                    json_pack("{s:o}", "review", items));
	}
	/* Issuance at the desk (web_portal_desk.c): an operator starts it on
	 * an approved application not their own; the receipt once issued. */
	json_object_set_new(pg->ctx, "desk_start",
	                    json_boolean(a->state == APP_APPROVED &&
	                                 (pg->who.roles & ROLE_OPERATOR) &&
	                                 strcmp(a->applicant_nik, pg->who.nik) != 0));
	json_object_set_new(pg->ctx, "issued", json_boolean(a->state == APP_ISSUED));
	if (a->state == APP_ISSUED && wp_desk_receipt_offer(pg, a->id) < 0) {
		log_msg(LOG_ERROR, "portal: application %s: %s", a->id, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(
	    pg->ctx, "returned",
	    json_boolean(a->state == APP_RETURNED || a->state == APP_REJECTED));
	if (ok != NULL && strspn(ok, "abcdefghijklmnopqrstuvwxyz-") == strlen(ok) &&
	    strlen(ok) < 32)
		json_object_set_new(pg->ctx, "flash",
		                    json_pack("{s:s, s:s}", "kind", "ok", "text",
		                              wp_msg(pg, "app.ok.", ok)));
	if (error != NULL)
		json_object_set_new(
		    pg->ctx, "flash",
		    json_pack("{s:s, s:s}", "kind", "bad", "text", error));
	return wp_render(pg, status, "app", "app.title");
}

static int
page_app(struct page *pg)
{
	struct ra_application a;
	const char *rest;
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[64], kind[32], disp[160];
	int rc;

	if (path_app(pg, &a, &rest) < 0)
		return 0;
	if (*rest == '\0')
		return app_page(pg, &a, 200, NULL);
	if (strcmp(rest, "/tanda-terima.pdf") == 0)
		return wp_desk_receipt(pg, &a);
	if (strncmp(rest, "/lampiran/", 10) != 0 || strlen(rest + 10) >= sizeof(kind) ||
	    !ra_attach_kind_valid(rest + 10))
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	str_copy(kind, sizeof(kind), rest + 10);
	/* ra_attachment_get decides who may read it, and audits the read. */
	if ((rc = ra_attachment_get(&data, &len, mime, pg->r->st, &pg->who, a.id, kind)) <
	    0)
		return wp_error(pg,
		                rc == SERTEL_EPERM       ? 403
		                : rc == SERTEL_ENOTFOUND ? 404
		                                         : 500,
		                sertel_errmsg());
	free(pg->resp->body);
	pg->resp->body = data;
	pg->resp->len = len;
	pg->resp->status = 200;
	/* Only the types ra_attach let in; shown inline, never sniffed. */
	pg->resp->ctype = strcmp(mime, "application/pdf") == 0 ? "application/pdf"
	                  : strcmp(mime, "image/png") == 0     ? "image/png"
	                                                       : "image/jpeg";
	snprintf(disp, sizeof(disp), "inline; filename=\"%s-%s\"", a.id, kind);
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'; "
	                          "img-src 'self'; style-src 'unsafe-inline'; "
	                          "frame-ancestors 'self'\n"
	                          "X-Frame-Options: SAMEORIGIN\n"
	                          "Cache-Control: no-store\n");
	return 0;
}

static int
page_app_post(struct page *pg)
{
	struct ra_application a;
	struct http_multipart m;
	struct ra_file files[16];
	const char *rest;
	char loc[80];
	int rc, nf;

	if (path_app(pg, &a, &rest) < 0)
		return 0;
	if (strcmp(rest, "/lampiran") == 0) {
		if (wp_read_multipart(pg, &m) < 0)
			return 0;
		if ((nf = form_files(files, 16, &m)) <= 0) {
			http_multipart_free(&m);
			return app_page(pg, &a, 400, wp_msg(pg, "", "app.files.none"));
		}
		rc = ra_attach(pg->r->st, &pg->who, a.id, files, nf);
		http_multipart_free(&m);
		if (rc < 0)
			return app_page(pg, &a, rc == SERTEL_EPERM ? 403 : 400,
			                sertel_errmsg());
		snprintf(loc, sizeof(loc), "/permohonan/%s?ok=lampiran", a.id);
		return wp_redirect(pg, loc);
	}
	if (strcmp(rest, "/putuskan") == 0)
		return app_decide(pg, &a);
	if (strcmp(rest, "/ajukan") == 0) {
		if ((rc = wp_read_form(pg)) < 0 ||
		    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) <
		        0)
			return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400,
			                sertel_errmsg());
		if ((rc = ra_submit(pg->r->st, &pg->who, a.id)) < 0)
			return app_page(pg, &a, rc == SERTEL_EPERM ? 403 : 409,
			                sertel_errmsg());
		snprintf(loc, sizeof(loc), "/permohonan/%s?ok=ajukan", a.id);
		return wp_redirect(pg, loc);
	}
	return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
}

/* ---- the operator's queue --------------------------------------------------- */
#define QUEUE_PAGE 50

struct queue_rows {
	struct page *pg;
	json_t *arr;
	int64_t now;
};

/* One row of the queue; the applicant's name and agency come with it from
 * ra_queue (one query for the page, not two look-ups per row). */
static int
queue_row(const struct ra_queue_row *r, void *arg)
{
	struct queue_rows *q = arg;
	const struct ra_application *a = r->app;
	char when[WP_TIME_MAX], age[32];
	int64_t days = (q->now - a->updated_at) / 86400;

	wp_time(when, q->pg, a->updated_at, 0);
	snprintf(age, sizeof(age), "%lld", (long long)days);
	json_array_append_new(
	    q->arr,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "id", a->id,
	              "type", wp_msg(q->pg, "type.", a->type), "name", r->name, "agency",
	              r->agency, "since", when, "days", age, "approvals", a->approvals,
	              "needed", a->approvals_needed, "old", days >= 7));
	return 0;
}

static int
page_queue(struct page *pg)
{
	const char *type = http_query(pg->r, "jenis"),
	           *agency = http_query(pg->r, "instansi"),
	           *age = http_query(pg->r, "umur"), *page = http_query(pg->r, "hal"),
	           *state = http_query(pg->r, "status");
	struct queue_rows q = {pg, json_array(), time_now()};
	json_t *agencies = json_array();
	struct ra_filter f;
	long long days = 0, pn = 1;
	int64_t total = 0;
	json_t *types = json_array(), *states = json_array();
	enum ra_state want = APP_SUBMITTED, k;
	char next[512];
	size_t i;
	int rc;

	memset(&f, 0, sizeof(f));
	/* The queue is what waits (submitted); those who read every record
	 * (operators, the Kepala Dinas, auditors) may list any other state. */
	if (state != NULL && *state != '\0' && ra_state_parse(&want, state) < 0)
		want = APP_SUBMITTED;
	f.state = want;
	f.limit = QUEUE_PAGE;
	f.type = wp_type_valid(type) ? type : NULL;
	f.agency_id = agency && *agency ? agency : NULL;
	if (age != NULL && *age != '\0' && parse_ll(&days, age, 0, 3650) == 0 && days > 0)
		f.updated_before = q.now - days * 86400;
	if (page != NULL && parse_ll(&pn, page, 1, 100000) < 0)
		pn = 1;
	f.offset = (int)((pn - 1) * QUEUE_PAGE);
	if ((rc = ra_queue(pg->r->st, &f, &total, queue_row, &q)) < 0 ||
	    (rc = wp_agency_options(pg, agencies, agency)) < 0) {
		json_decref(q.arr);
		json_decref(agencies);
		json_decref(types);
		json_decref(states);
		log_msg(LOG_ERROR, "portal: queue: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	for (i = 0; i < WP_APP_TYPES; i++)
		json_array_append_new(
		    types, json_pack("{s:s, s:s, s:b}", "type", wp_app_types[i], "label",
		                     wp_msg(pg, "type.", wp_app_types[i]), "selected",
		                     f.type && strcmp(f.type, wp_app_types[i]) == 0));
	json_object_set_new(pg->ctx, "rows", q.arr);
	json_object_set_new(pg->ctx, "has_rows",
	                    json_boolean(json_array_size(q.arr) > 0));
	json_object_set_new(pg->ctx, "total", json_integer((json_int_t)total));
	json_object_set_new(pg->ctx, "agencies", agencies);
	json_object_set_new(pg->ctx, "types", types);
	for (k = APP_DRAFT; k <= APP_ISSUED; k++)
		json_array_append_new(
		    states, json_pack("{s:s, s:s, s:b}", "state", ra_state_name(k),
		                      "label", wp_msg(pg, "state.", ra_state_name(k)),
		                      "selected", k == want));
	json_object_set_new(pg->ctx, "states", states);
	json_object_set_new(pg->ctx, "waiting", json_boolean(want == APP_SUBMITTED));
	json_object_set_new(pg->ctx, "state_label",
	                    json_string(wp_msg(pg, "state.", ra_state_name(want))));
	json_object_set_new(pg->ctx, "umur", json_string(age ? age : ""));
	if ((int64_t)pn * QUEUE_PAGE < total) {
		snprintf(next, sizeof(next),
		         "hal=%lld&status=%s&jenis=%s&instansi=%s&umur=%lld", pn + 1,
		         ra_state_name(want), f.type ? f.type : "",
		         f.agency_id ? f.agency_id : "", days);
		json_object_set_new(pg->ctx, "next", json_string(next));
	}
	return wp_render(pg, 200, "queue", "queue.title");
}

/* POST /permohonan/{id}/putuskan: approve, return or reject, with the
 * reasons the regulation requires for the last two (ra_* check them). */
static int
app_decide(struct page *pg, struct ra_application *a)
{
	const char *what, *why;
	char reviewed[1024] = "", key[16], loc[80];
	int rc, approved = 0, i;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	what = web_form_get(&pg->form, "keputusan");
	why = web_form_get(&pg->form, "alasan");
	if (what == NULL)
		return app_page(pg, a, 400, wp_msg(pg, "", "decide.missing"));
	if (strcmp(what, "setujui") == 0) {
		/* The items the operator ticked as looked at (tinjau_0..). */
		for (i = 0; i < 32; i++) {
			const char *v;

			snprintf(key, sizeof(key), "tinjau_%d", i);
			if ((v = web_form_get(&pg->form, key)) == NULL)
				continue;
			if (strlen(reviewed) + strlen(v) + 2 >= sizeof(reviewed))
				break;
			if (reviewed[0] != '\0')
				strncat(reviewed, ",",
				        sizeof(reviewed) - strlen(reviewed) - 1);
			strncat(reviewed, v, sizeof(reviewed) - strlen(reviewed) - 1);
		}
		rc = ra_approve(pg->r->st, &pg->who, a->id, why && *why ? why : NULL,
		                reviewed[0] ? reviewed : NULL, &approved);
	} else if (strcmp(what, "kembalikan") == 0) {
		rc = ra_return(pg->r->st, &pg->who, a->id, why ? why : "");
	} else if (strcmp(what, "tolak") == 0) {
		rc = ra_reject(pg->r->st, &pg->who, a->id, why ? why : "");
	} else {
		return app_page(pg, a, 400, wp_msg(pg, "", "decide.missing"));
	}
	if (rc < 0) {
		/* The rule's own words (reasons required, not an operator, no
		 * certificate of their own, decided already, ...). */
		ra_get(a, pg->r->st, a->id);
		return app_page(pg, a, wp_rule_status(rc), sertel_errmsg());
	}
	snprintf(loc, sizeof(loc), "/permohonan/%s?ok=%s", a->id,
	         strcmp(what, "setujui") == 0 ? (approved ? "disetujui" : "setuju-satu")
	         : strcmp(what, "tolak") == 0 ? "ditolak"
	                                      : "dikembalikan");
	return wp_redirect(pg, loc);
}

WP_ROUTES(wp_routes_app, {"GET", "/permohonan/baru", 1, 0, page_app_new, NULL},
          {"POST", "/permohonan/baru", 1, 0, page_app_create, NULL},
          {"GET", "/permohonan/", 1, 0, page_app, NULL},
          {"POST", "/permohonan/", 1, 0, page_app_post, NULL}, );

WP_ROUTES(wp_routes_queue,
          {"GET", "/antrian", 1,
           ROLE_OPERATOR | ROLE_KEPALA_DINAS | ROLE_AUDITOR | ROLE_ADMIN, page_queue,
           "nav.queue"}, );
