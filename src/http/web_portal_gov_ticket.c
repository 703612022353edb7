/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: complaints and the issuer's help (/pengaduan, Cirebon 20(3),
 * 22) and published guidance (/panduan for the Kepala Dinas, the public
 * /sop; Cirebon 3(1)h-i, 19).  Every rule is src/gov's: this file reads
 * forms, calls gov_ticket_* / gov_help_* / gov_guide_*, and renders.  A
 * ticket the reader may not see answers 404 like one that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/web_portal.h"

#define TICKET_PREFIX "/pengaduan/"
#define MAX_OPERATORS 64

static const char *const categories[] = {
    "autentikasi",     "keaslian-data", "penyangkalan",
    "penandatanganan", "operator",      "lainnya",
};
static const char *const guide_kinds[] = {"sop", "hak-kewajiban", "pengaduan"};

/* The OP operators a complaint may name, by name order: the form sends an
 * index, never a NIK (a NIK is not shown to whoever is not entitled). */
struct operators {
	int n;
	char nik[MAX_OPERATORS][17];
	char name[MAX_OPERATORS][SERTEL_MAX_NAME];
};

static int
operator_one(const struct ra_person *p, void *arg)
{
	struct operators *o = arg;

	if (!(p->roles & ROLE_OPERATOR) || o->n >= MAX_OPERATORS)
		return 0;
	str_copy(o->nik[o->n], sizeof(o->nik[0]), p->nik);
	str_copy(o->name[o->n], sizeof(o->name[0]), p->name);
	o->n++;
	return 0;
}

static int
ticket_row(struct page *pg, json_t *arr, const struct gov_ticket *t)
{
	char when[WP_TIME_MAX];

	wp_time(when, pg, t->created_at, 1);
	return json_array_append_new(
	    arr,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", t->id, "subject",
	              t->subject, "category", wp_msg(pg, "gov.ticket.cat.", t->category),
	              "state", wp_msg(pg, "gov.ticket.state.", t->state), "state_key",
	              t->state, "created", when));
}

struct rows {
	struct page *pg;
	json_t *arr;
};

static int
row_cb(const struct gov_ticket *t, void *arg)
{
	struct rows *r = arg;

	return ticket_row(r->pg, r->arr, t) < 0 ? SERTEL_ENOMEM : 0;
}

static json_t *
options(struct page *pg, const char *prefix, const char *const *v, size_t n,
        const char *chosen)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:b}", "value", v[i], "label",
		                                wp_msg(pg, prefix, v[i]), "selected",
		                                chosen && strcmp(chosen, v[i]) == 0));
	return arr;
}

static void
flash_ok(struct page *pg, const char *const *allowed, size_t n)
{
	const char *ok = http_query(pg->r, "ok");
	size_t i;

	for (i = 0; ok != NULL && i < n; i++)
		if (strcmp(ok, allowed[i]) == 0)
			json_object_set_new(pg->ctx, "flash",
			                    json_pack("{s:s, s:s}", "kind", "ok", "text",
			                              wp_msg(pg, "gov.ticket.ok.", ok)));
}

/* ---- /pengaduan ------------------------------------------------------------ */
static int
page_list(struct page *pg)
{
	static const char *const oks[] = {"baru"};
	static const char *const states[] = {"open", "in-progress", "escalated",
	                                     "resolved", "closed"};
	struct gov_ticket_filter f = {NULL, NULL, 1};
	struct rows mine = {pg, json_array()}, others = {pg, json_array()};
	struct operators *ops = NULL;
	const char *state = http_query(pg->r, "status"), *q = http_query(pg->r, "q");
	json_t *oparr;
	int i, rc;

	if (state != NULL && *state == '\0')
		state = NULL;
	if (q != NULL && *q == '\0')
		q = NULL;
	if ((rc = gov_ticket_iter(pg->r->st, &pg->who, &f, row_cb, &mine)) < 0)
		goto fail;
	/* The Dinas's queue, or the superior's view of complaints about
	 * their operators: whatever else this reader may see. */
	f.mine = -1;
	f.state = state;
	f.q = q;
	if ((rc = gov_ticket_iter(pg->r->st, &pg->who, &f, row_cb, &others)) < 0)
		goto fail;
	if ((ops = calloc(1, sizeof(*ops))) == NULL ||
	    (rc = ra_person_iter(pg->r->st, NULL, operator_one, ops)) < 0)
		goto fail;
	oparr = json_array();
	for (i = 0; i < ops->n; i++)
		if (strcmp(ops->nik[i], pg->who.nik) != 0)
			json_array_append_new(oparr,
			                      json_pack("{s:i, s:s}", "value", i + 1,
			                                "name", ops->name[i]));
	free(ops);
	json_object_set_new(pg->ctx, "mine", mine.arr);
	json_object_set_new(pg->ctx, "others", others.arr);
	json_object_set_new(pg->ctx, "has_mine", json_boolean(json_array_size(mine.arr)));
	json_object_set_new(pg->ctx, "has_others",
	                    json_boolean(json_array_size(others.arr) || state || q ||
	                                 ra_sees_all(&pg->who)));
	json_object_set_new(pg->ctx, "operators", oparr);
	/* The auditor reads and files nothing (no form shown). */
	json_object_set_new(
	    pg->ctx, "can_file",
	    json_boolean(!(pg->who.roles & ROLE_AUDITOR) && pg->who.nik[0]));
	json_object_set_new(pg->ctx, "categories",
	                    options(pg, "gov.ticket.cat.", categories, 6, NULL));
	json_object_set_new(pg->ctx, "states",
	                    options(pg, "gov.ticket.state.", states, 5, state));
	json_object_set_new(pg->ctx, "q", json_string(q ? q : ""));
	flash_ok(pg, oks, 1);
	return wp_render(pg, 200, "gov-ticket", "gov.ticket.title");
fail:
	free(ops);
	json_decref(mine.arr);
	json_decref(others.arr);
	return wp_rule_error(pg, rc < 0 ? rc : SERTEL_ENOMEM, "gov.ticket.refused");
}

/* The files chosen in the form's lampiran inputs (empty ones skipped). */
static int
form_files(struct ra_file *out, int max, struct http_multipart *m)
{
	int i, n = 0;

	for (i = 0; i < m->n; i++) {
		struct http_part *p = &m->f[i];

		if (!p->is_file || p->val.len == 0 ||
		    strncmp(p->name, "lampiran", 8) != 0)
			continue;
		if (n >= max)
			return sertel_err(SERTEL_EINVAL,
			                  "attachments: at most %d at once", max);
		out[n].kind = "lampiran";
		out[n].data = p->val.data;
		out[n].len = p->val.len;
		out[n].filename = p->filename[0] ? p->filename : "lampiran";
		n++;
	}
	return n;
}

static int
page_create(struct page *pg)
{
	struct http_multipart m;
	struct ra_file files[GOV_TICKET_FILES];
	struct gov_ticket_new in;
	struct gov_ticket *t = NULL;
	struct operators *ops = NULL;
	const char *pick;
	char loc[64];
	long long idx;
	int n, rc;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	memset(&in, 0, sizeof(in));
	in.category = http_multipart_text(&m, "kategori");
	in.subject = http_multipart_text(&m, "perihal");
	in.description = http_multipart_text(&m, "uraian");
	pick = http_multipart_text(&m, "operator");
	if ((t = malloc(sizeof(*t))) == NULL || (ops = calloc(1, sizeof(*ops))) == NULL) {
		rc = SERTEL_ENOMEM;
		goto fail;
	}
	if (in.category != NULL && strcmp(in.category, "operator") == 0) {
		if ((rc = ra_person_iter(pg->r->st, NULL, operator_one, ops)) < 0)
			goto fail;
		if (pick == NULL || parse_ll(&idx, pick, 1, MAX_OPERATORS) < 0 ||
		    idx > ops->n) {
			rc = sertel_err(SERTEL_EINVAL, "%s",
			                wp_msg(pg, "", "gov.ticket.err.operator"));
			goto fail;
		}
		in.about_nik = ops->nik[idx - 1];
	}
	if ((n = form_files(files, GOV_TICKET_FILES, &m)) < 0) {
		rc = n;
		goto fail;
	}
	in.files = files;
	in.nfiles = n;
	if ((rc = gov_ticket_open(t, pg->r->st, pg->r->ctx->in->cfg, &pg->who, &in)) < 0)
		goto fail;
	snprintf(loc, sizeof(loc), TICKET_PREFIX "%s?ok=baru", t->id);
	free(t);
	free(ops);
	http_multipart_free(&m);
	return wp_redirect(pg, loc);
fail:
	free(t);
	free(ops);
	http_multipart_free(&m);
	return wp_rule_error(pg, rc, "gov.ticket.refused");
}

/* ---- /pengaduan/{id} --------------------------------------------------------- */
struct view {
	struct page *pg;
	json_t *arr;
	const struct gov_ticket *t;
	int handles;
	int waiting;
};

/* A change of state as the reader's language says it: the timeline keeps
 * "from -> to[: reason]" (ticket.c), the page shows the states' names. */
static void
state_line(char *out, size_t outsz, struct page *pg, const char *body)
{
	char from[16] = "", to[16] = "";
	const char *arrow = strstr(body, " -> "), *colon;
	size_t n;

	if (arrow == NULL || (size_t)(arrow - body) >= sizeof(from)) {
		str_copy(out, outsz, body);
		return;
	}
	memcpy(from, body, (size_t)(arrow - body));
	from[arrow - body] = '\0';
	colon = strstr(arrow + 4, ": ");
	n = colon ? (size_t)(colon - arrow - 4) : strlen(arrow + 4);
	if (n >= sizeof(to)) {
		str_copy(out, outsz, body);
		return;
	}
	memcpy(to, arrow + 4, n);
	to[n] = '\0';
	snprintf(out, outsz, "%s \u2192 %s%s%s", wp_msg(pg, "gov.ticket.state.", from),
	         wp_msg(pg, "gov.ticket.state.", to), colon ? ": " : "",
	         colon ? colon + 2 : "");
}

static int
view_reply(const struct gov_ticket_reply_info *r, void *arg)
{
	struct view *v = arg;
	char when[WP_TIME_MAX], line[1024];
	const char *body = r->body;

	wp_time(when, v->pg, r->at, 1);
	if (strcmp(r->kind, "state") == 0) {
		state_line(line, sizeof(line), v->pg, r->body);
		body = line;
	}
	json_array_append_new(
	    v->arr, json_pack("{s:i, s:s, s:b, s:s, s:b, s:s}", "seq", r->seq, "when",
	                      when, "state", strcmp(r->kind, "state") == 0, "author",
	                      r->author_name[0] ? r->author_name : r->actor,
	                      "from_person", r->from_person, "body", body));
	return 0;
}

static int
view_file(const struct gov_ticket_file_info *f, void *arg)
{
	struct view *v = arg;
	char href[96];

	snprintf(href, sizeof(href), PORTAL_PREFIX TICKET_PREFIX "%s/lampiran/%d",
	         v->t->id, f->idx);
	json_array_append_new(v->arr, json_pack("{s:s, s:s, s:I}", "href", href, "name",
	                                        f->filename, "kb",
	                                        (json_int_t)((f->size + 1023) / 1024)));
	return 0;
}

static int
view_help(const struct gov_help *h, void *arg)
{
	struct view *v = arg;
	char sent[WP_TIME_MAX], answered[WP_TIME_MAX];

	wp_time(sent, v->pg, h->sent_at, 1);
	wp_time(answered, v->pg, h->answered_at, 1);
	if (h->answered_at == 0)
		v->waiting = 1;
	json_array_append_new(
	    v->arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:b}", "id", h->id,
	                      "to", h->sent_to, "sent", sent, "body", h->body, "answered",
	                      h->answered_at != 0, "answer", h->answer, "answered_at",
	                      answered, "can_answer", v->handles && h->answered_at == 0));
	return 0;
}

/* "/pengaduan/ID[REST]": the ticket, if this reader may see it. */
static int
path_ticket(struct page *pg, struct gov_ticket *t, const char **rest)
{
	const char *p = pg->sub + strlen(TICKET_PREFIX);
	char id[17];
	int rc;

	if (strlen(p) < 16 || strspn(p, "0123456789abcdef") < 16) {
		wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	memcpy(id, p, 16);
	id[16] = '\0';
	*rest = p + 16;
	if ((rc = gov_ticket_get(t, pg->r->st, &pg->who, id)) < 0) {
		wp_error(
		    pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		    wp_msg(pg, "",
		           rc == SERTEL_ENOTFOUND ? "error.notfound" : "error.title"));
		return rc;
	}
	return 0;
}

static int
file_send(struct page *pg, const struct gov_ticket *t, const char *which)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[32], name[256], disp[96];
	long long idx;
	int rc;

	if (parse_ll(&idx, which, 1, GOV_TICKET_FILES_MAX) < 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	/* gov_ticket_file_get decides who may read it, and audits the read. */
	if ((rc = gov_ticket_file_get(&data, &len, mime, name, pg->r->st, &pg->who, t->id,
	                              (int)idx)) < 0)
		return wp_error(pg, wp_rule_status(rc), sertel_errmsg());
	free(pg->resp->body);
	pg->resp->body = data;
	pg->resp->len = len;
	pg->resp->status = 200;
	pg->resp->ctype = strcmp(mime, "application/pdf") == 0 ? "application/pdf"
	                  : strcmp(mime, "image/png") == 0     ? "image/png"
	                                                       : "image/jpeg";
	snprintf(disp, sizeof(disp), "inline; filename=\"%s-%lld\"", t->id, idx);
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'; "
	                          "img-src 'self'; style-src 'unsafe-inline'; "
	                          "frame-ancestors 'self'\n"
	                          "X-Frame-Options: SAMEORIGIN\n"
	                          "Cache-Control: no-store\n");
	return 0;
}

static int
page_view(struct page *pg)
{
	static const char *const oks[] = {"baru", "balas", "status", "bantuan",
	                                  "jawaban"};
	struct gov_ticket *t;
	struct view v;
	const char *moves[8], *rest;
	char when[WP_TIME_MAX], about[SERTEL_MAX_NAME] = "";
	struct ra_person p;
	json_t *marr;
	int i, n, rc;

	if ((t = malloc(sizeof(*t))) == NULL)
		return wp_error(pg, 500, wp_msg(pg, "", "error.title"));
	if (path_ticket(pg, t, &rest) < 0) {
		free(t);
		return 0;
	}
	if (strncmp(rest, "/lampiran/", 10) == 0) {
		rc = file_send(pg, t, rest + 10);
		free(t);
		return rc;
	}
	if (*rest != '\0') {
		free(t);
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	}
	v.pg = pg;
	v.t = t;
	v.handles = gov_ticket_may_handle(&pg->who, t);
	v.waiting = 0;
	wp_time(when, pg, t->created_at, 1);
	if (t->about_nik[0] && ra_person_get(&p, pg->r->st, t->about_nik) == 0)
		str_copy(about, sizeof(about), p.name);
	json_object_set_new(pg->ctx, "ticket",
	                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
	                              t->id, "subject", t->subject, "category",
	                              wp_msg(pg, "gov.ticket.cat.", t->category), "state",
	                              wp_msg(pg, "gov.ticket.state.", t->state),
	                              "state_key", t->state, "created", when,
	                              "description", t->description, "about", about));
	if (ra_person_get(&p, pg->r->st, t->person_nik) == 0)
		json_object_set_new(pg->ctx, "person", json_string(p.name));
	v.arr = json_array();
	gov_ticket_replies(pg->r->st, t, view_reply, &v);
	json_object_set_new(pg->ctx, "timeline", v.arr);
	v.arr = json_array();
	gov_ticket_files(pg->r->st, t, view_file, &v);
	json_object_set_new(pg->ctx, "has_files", json_boolean(json_array_size(v.arr)));
	json_object_set_new(pg->ctx, "files", v.arr);
	v.arr = json_array();
	gov_help_iter(pg->r->st, &pg->who, t->id, view_help, &v);
	json_object_set_new(pg->ctx, "has_help", json_boolean(json_array_size(v.arr)));
	json_object_set_new(pg->ctx, "help", v.arr);
	n = gov_ticket_moves(moves, 8, &pg->who, t);
	marr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
		    marr, json_pack("{s:s, s:s}", "value", moves[i], "label",
		                    wp_msg(pg, "gov.ticket.move.", moves[i])));
	json_object_set_new(pg->ctx, "moves", marr);
	json_object_set_new(pg->ctx, "can_move", json_boolean(n > 0));
	json_object_set_new(
	    pg->ctx, "can_reply",
	    json_boolean(strcmp(t->state, "closed") != 0 &&
	                 (v.handles || strcmp(pg->who.nik, t->person_nik) == 0)));
	json_object_set_new(
	    pg->ctx, "can_help",
	    json_boolean(v.handles && (strcmp(t->state, "open") == 0 ||
	                               strcmp(t->state, "in-progress") == 0 ||
	                               strcmp(t->state, "escalated") == 0)));
	flash_ok(pg, oks, 5);
	free(t);
	return wp_render(pg, 200, "gov-ticket-view", "gov.ticket.view.title");
}

static int
page_view_post(struct page *pg)
{
	struct http_multipart m;
	struct ra_file files[GOV_TICKET_FILES];
	struct gov_ticket *t;
	struct gov_help h;
	const struct config *cfg = pg->r->ctx->in->cfg;
	const char *rest, *what;
	char loc[80];
	int n, rc, multipart = 0;

	memset(&m, 0, sizeof(m));
	if ((t = malloc(sizeof(*t))) == NULL)
		return wp_error(pg, 500, wp_msg(pg, "", "error.title"));
	if (path_ticket(pg, t, &rest) < 0) {
		free(t);
		return 0;
	}
	what = *rest == '/' ? rest + 1 : "";
	if (strcmp(what, "balas") == 0) {
		if (wp_read_multipart(pg, &m) < 0) {
			free(t);
			return 0;
		}
		multipart = 1;
		if ((n = form_files(files, GOV_TICKET_FILES, &m)) < 0)
			rc = n;
		else
			rc = gov_ticket_reply(pg->r->st, cfg, &pg->who, t->id,
			                      http_multipart_text(&m, "isi"), files, n);
	} else if (strcmp(what, "status") == 0 || strcmp(what, "bantuan") == 0 ||
	           strcmp(what, "jawaban") == 0) {
		if ((rc = wp_read_form(pg)) < 0 ||
		    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) <
		        0) {
			free(t);
			return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400,
			                sertel_errmsg());
		}
		if (strcmp(what, "status") == 0)
			rc = gov_ticket_set_state(pg->r->st, cfg, &pg->who, t->id,
			                          web_form_get(&pg->form, "status"),
			                          web_form_get(&pg->form, "alasan"));
		else if (strcmp(what, "bantuan") == 0)
			rc = gov_help_request(&h, pg->r->st, cfg, &pg->who, t->id,
			                      web_form_get(&pg->form, "isi"));
		else
			rc = gov_help_answer(pg->r->st, &pg->who,
			                     web_form_get(&pg->form, "bantuan"),
			                     web_form_get(&pg->form, "isi"));
	} else {
		free(t);
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	}
	snprintf(loc, sizeof(loc), TICKET_PREFIX "%s?ok=%s", t->id, what);
	free(t);
	if (multipart)
		http_multipart_free(&m);
	if (rc < 0)
		return wp_rule_error(pg, rc, "gov.ticket.refused");
	return wp_redirect(pg, loc);
}

/* ---- guidance: the public page and the Kepala Dinas's ------------------------ */
static int
block_cb(int item, const char *text, size_t len, void *arg)
{
	json_t *arr = arg;

	json_array_append_new(arr,
	                      json_pack("{s:b, s:s%}", "item", item, "text", text, len));
	return 0;
}

/* The body as blocks: paragraphs and list items, the template escapes
 * them (nothing in the text is markup). */
static json_t *
guide_json(struct page *pg, const struct gov_guide *g)
{
	char when[WP_TIME_MAX];
	json_t *blocks = json_array();

	wp_time(when, pg, g->published_at, 0);
	if (g->body != NULL)
		gov_guide_blocks(g->body, block_cb, blocks);
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:o}", "kind", g->kind, "version",
	                 g->version, "title", g->title, "date", when, "sha256", g->sha256,
	                 "blocks", blocks);
}

struct versions {
	struct page *pg;
	json_t *arr;
	int shown;
};

static int
version_cb(const struct gov_guide *g, void *arg)
{
	struct versions *v = arg;
	char when[WP_TIME_MAX], href[96];

	wp_time(when, v->pg, g->published_at, 0);
	snprintf(href, sizeof(href), PORTAL_PREFIX "/sop?jenis=%s&versi=%d#%s", g->kind,
	         g->version, g->kind);
	json_array_append_new(v->arr,
	                      json_pack("{s:i, s:s, s:s, s:s, s:b}", "version",
	                                g->version, "date", when, "title", g->title,
	                                "href", href, "current", g->version == v->shown));
	return 0;
}

int
wp_guide_sop(struct page *pg)
{
	const char *kind = http_query(pg->r, "jenis"), *ver = http_query(pg->r, "versi");
	struct gov_guide g;
	struct versions v;
	long long want = 0;
	json_t *docs = json_array();
	size_t i;
	int rc, any = 0;

	if (ver != NULL && (kind == NULL || !gov_guide_kind_valid(kind) ||
	                    parse_ll(&want, ver, 1, 1000000) < 0)) {
		json_decref(docs);
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	}
	for (i = 0; i < sizeof(guide_kinds) / sizeof(guide_kinds[0]); i++) {
		int version = kind && strcmp(kind, guide_kinds[i]) == 0 ? (int)want : 0;
		json_t *d;

		rc = gov_guide_get(&g, pg->r->st, guide_kinds[i], version);
		if (rc == SERTEL_ENOTFOUND && version > 0) {
			json_decref(docs);
			return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		}
		if (rc < 0 && rc != SERTEL_ENOTFOUND) {
			json_decref(docs);
			return wp_rule_error(pg, rc, "error.title");
		}
		if (rc == SERTEL_ENOTFOUND) {
			/* Not published yet: the built-in text of that part. */
			json_array_append_new(docs, json_pack("{s:s, s:b, s:b, s:b, s:b}",
			                                      "kind", guide_kinds[i],
			                                      "published", 0, "is_sop",
			                                      i == 0, "is_rights", i == 1,
			                                      "is_complaint", i == 2));
			continue;
		}
		any = 1;
		d = guide_json(pg, &g);
		v.pg = pg;
		v.arr = json_array();
		v.shown = g.version;
		gov_guide_versions(pg->r->st, guide_kinds[i], version_cb, &v);
		json_object_set_new(d, "versions", v.arr);
		json_object_set_new(d, "older", json_boolean(json_array_size(v.arr) > 1));
		json_object_set_new(d, "published", json_true());
		json_object_set_new(d, "old_version", json_boolean(version > 0));
		json_array_append_new(docs, d);
		gov_guide_free(&g);
	}
	if (!any) {
		/* Nothing published: the static SOP page as before. */
		json_decref(docs);
		return wp_render(pg, 200, "sop", "sop.title");
	}
	json_object_set_new(pg->ctx, "docs", docs);
	return wp_render(pg, 200, "gov-guide", "sop.title");
}

static int
page_guide_admin(struct page *pg)
{
	static const char *const oks[] = {"terbit"};
	struct gov_guide g;
	struct versions v;
	json_t *docs = json_array();
	size_t i;

	for (i = 0; i < sizeof(guide_kinds) / sizeof(guide_kinds[0]); i++) {
		json_t *d;

		v.pg = pg;
		v.arr = json_array();
		v.shown = 0;
		gov_guide_versions(pg->r->st, guide_kinds[i], version_cb, &v);
		d = json_pack("{s:s, s:s, s:o, s:b}", "kind", guide_kinds[i], "label",
		              wp_msg(pg, "gov.guide.kind.", guide_kinds[i]), "versions",
		              v.arr, "has_versions", json_array_size(v.arr) > 0);
		/* The form starts from the latest version (a new version is a
		 * whole text); "" rather than absent, so the page's own title is
		 * not taken from the outer context. */
		if (gov_guide_get(&g, pg->r->st, guide_kinds[i], 0) == 0) {
			json_object_set_new(d, "title", json_string(g.title));
			json_object_set_new(d, "body", json_string(g.body));
			gov_guide_free(&g);
		} else {
			json_object_set_new(d, "title", json_string(""));
			json_object_set_new(d, "body", json_string(""));
		}
		json_array_append_new(docs, d);
	}
	json_object_set_new(pg->ctx, "docs", docs);
	json_object_set_new(
	    pg->ctx, "can_publish",
	    json_boolean((pg->who.roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN)) != 0));
	flash_ok(pg, oks, 1);
	return wp_render(pg, 200, "gov-guide-admin", "gov.guide.title");
}

static int
page_guide_publish(struct page *pg)
{
	struct gov_guide g;
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0)
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	rc = gov_guide_publish(&g, pg->r->st, &pg->who, web_form_get(&pg->form, "jenis"),
	                       web_form_get(&pg->form, "judul"),
	                       web_form_get(&pg->form, "isi"),
	                       web_form_get(&pg->form, "alasan"));
	gov_guide_free(&g);
	if (rc < 0)
		return wp_rule_error(pg, rc, "gov.guide.refused");
	return wp_redirect(pg, "/panduan?ok=terbit");
}

/* One entry "Pengaduan" for everyone logged in: the page shows each
 * reader what is theirs to see (gov_ticket_iter). */
WP_ROUTES(wp_routes_gov_ticket, {"GET", "/pengaduan", 1, 0, page_list, "nav.gov.ticket"},
          {"POST", "/pengaduan", 1, 0, page_create, NULL},
          {"GET", TICKET_PREFIX, 1, 0, page_view, NULL},
          {"POST", TICKET_PREFIX, 1, 0, page_view_post, NULL},
          {"GET", "/panduan", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN | ROLE_AUDITOR,
           page_guide_admin, NULL},
          {"POST", "/panduan", 1, ROLE_KEPALA_DINAS | ROLE_ADMIN, page_guide_publish,
           NULL}, );
