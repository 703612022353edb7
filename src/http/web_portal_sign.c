/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal's signing page (issue 11), as BSrE's own apps offer it:
 *
 *   GET  /tandatangan                      my flows, and the upload form
 *   POST /tandatangan                      upload 1..3 PDFs, name the signers
 *                                          in order (none: myself) -> a flow
 *   GET  /tandatangan/{id}                 the files' pages (previews), the
 *                                          signature box to place, whose turn
 *   GET  /tandatangan/{id}/halaman/{i}/{p}.png   one page's preview
 *   GET  /tandatangan/{id}/unduh           the files as they are now (one PDF,
 *                                          or a zip of several)
 *   POST /tandatangan/{id}/tandatangani    passphrase (+ TOTP), the box's page
 *                                          and position (or a text marker) per
 *                                          file: esign_sign, then the flow
 *   POST /tandatangan/{id}/tolak           the signer whose turn it is refuses
 *
 * Who may see what, whose turn it is, and what a signature or a refusal
 * changes are src/esign/flow.c's; the signature itself is esign_sign's,
 * the call the e-sign API makes (lock, TOTP, registry, /v/{id}).  The box
 * is placed by dragging it on the preview (web/portal-sign.js fills the
 * page and position fields) or, without JavaScript, by typing them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "esign/flow.h"
#include "http/web_portal.h"
#include "http/web_portal_owner.h"
#include "render/render.h"

/* The registry's client for these signatures (a name no API client can
 * have, as the desk's "portal:loket"). */
static const struct esign_client sign_client = {.name = "portal:tandatangan",
                                                .perms = ESIGN_PERM_SIGN};

#define SIGN_TTL      (7 * 24 * 3600) /* a flow kept a week after its last change */
#define SIGN_UPLOADS  3               /* file fields of the upload form */
#define SIGN_PREVIEWS 10              /* pages shown per file */
#define SIGN_BOX_W    180.0           /* the signature box, PDF points */
#define SIGN_BOX_H    72.0
#define SIGN_TAG_MAX  32

static void
sign_env(struct esign_flow_env *env, char *link, size_t linksz, struct page *pg,
         struct esign_ctx *c)
{
	snprintf(link, linksz, "%s" PORTAL_PREFIX "/tandatangan/",
	         c != NULL ? esign_ctx_conf(c)->base_url : "");
	env->link_base = link;
	env->ttl = SIGN_TTL;
	env->max_file_bytes =
	    c != NULL ? esign_ctx_conf(c)->max_file_bytes : RA_ATTACH_MAX;
	if (env->max_file_bytes > RA_ATTACH_MAX)
		env->max_file_bytes = RA_ATTACH_MAX;
	(void)pg;
}

static const char *
flow_state_key(const struct esign_flow *f)
{
	return f->state == FLOW_DONE       ? "sign.state.done"
	       : f->state == FLOW_DECLINED ? "sign.state.declined"
	                                   : "sign.state.active";
}

static void
flash(struct page *pg, const char *kind, const char *text)
{
	json_object_set_new(pg->ctx, "flash",
	                    json_pack("{s:s, s:s}", "kind", kind, "text", text));
}

/* Expired flows go with their files and previews: at every list and
 * upload (an indexed DELETE of what expires_at has passed); reads refuse
 * an expired flow even before it is deleted (flow_read). */
static void
sign_expire(struct page *pg)
{
	int n = 0;

	if (esign_flow_expire(pg->r->st, time_now(), &n) < 0) {
		log_msg(LOG_WARN, "portal: flow expiry: %s", sertel_errmsg());
		sertel_err_clear();
	} else if (n > 0) {
		log_msg(LOG_INFO, "portal: %d expired signing flow(s) deleted", n);
	}
}

/* ---- the next signers, chosen by name ------------------------------------ */
/* A person picked on the page travels as an opaque reference, never as a
 * NIK: the NIK sealed (XSalsa20-Poly1305) under a key of this session,
 * derived from the instance secret and the session's CSRF token.  Another
 * session, a forged or edited reference fails to open and is refused; the
 * HTML and the URLs of the page carry no one else's NIK. */
#define REF_RAW (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 16)
#define REF_HEX (2 * REF_RAW)
#define REF_SEP '.'

static int
ref_key(unsigned char key[crypto_secretbox_KEYBYTES], struct page *pg)
{
	unsigned char k[32];
	int rc;

	if ((rc = secret_derive(k, sizeof(k), pg->r->ctx->in->master,
	                        "portal sign signer ref")) < 0)
		return rc;
	crypto_generichash(key, crypto_secretbox_KEYBYTES,
	                   (const unsigned char *)pg->sess.csrf, strlen(pg->sess.csrf), k,
	                   sizeof(k));
	sodium_memzero(k, sizeof(k));
	return 0;
}

static int
ref_make(char out[REF_HEX + 1], struct page *pg, const char *nik)
{
	unsigned char key[crypto_secretbox_KEYBYTES], raw[REF_RAW];
	int rc;

	if (strlen(nik) != 16 || (rc = ref_key(key, pg)) < 0)
		return SERTEL_EINVAL;
	randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES,
	                      (const unsigned char *)nik, 16, raw, key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(out, REF_HEX + 1, raw, sizeof(raw));
	return 0;
}

/* The NIK of a reference this session made: SERTEL_EINVAL otherwise. */
static int
ref_open(char nik[17], struct page *pg, const char *ref, size_t len)
{
	unsigned char key[crypto_secretbox_KEYBYTES], raw[REF_RAW];
	size_t n = 0;
	int rc;

	if (len != REF_HEX ||
	    sodium_hex2bin(raw, sizeof(raw), ref, len, NULL, &n, NULL) != 0 ||
	    n != sizeof(raw) || (rc = ref_key(key, pg)) < 0)
		return sertel_err(SERTEL_EINVAL, "signer: not a reference of this page");
	rc = crypto_secretbox_open_easy((unsigned char *)nik,
	                                raw + crypto_secretbox_NONCEBYTES,
	                                16 + crypto_secretbox_MACBYTES, raw, key);
	sodium_memzero(key, sizeof(key));
	nik[16] = '\0';
	if (rc != 0 || strspn(nik, "0123456789") != 16)
		return sertel_err(SERTEL_EINVAL, "signer: not a reference of this page");
	return 0;
}

/* "REF.REF..." (the order of signing) to NIKs of registered people; none:
 * the uploader alone. */
static int
signers_parse(char out[FLOW_MAX_SIGNERS][17], size_t *n, const char *text,
              struct page *pg)
{
	const char *p = text != NULL ? text : "";
	struct ra_person who;
	size_t len;
	int rc;

	*n = 0;
	for (;;) {
		p += strspn(p, ". \t\r\n");
		if (*p == '\0')
			break;
		len = strcspn(p, ". \t\r\n");
		if (*n == FLOW_MAX_SIGNERS)
			return sertel_err(SERTEL_EINVAL, "at most %d signers",
			                  FLOW_MAX_SIGNERS);
		if ((rc = ref_open(out[*n], pg, p, len)) < 0)
			return rc;
		if ((rc = ra_person_get(&who, pg->r->st, out[*n])) < 0)
			return rc == SERTEL_ENOTFOUND
			           ? sertel_err(SERTEL_EINVAL,
			                        "signer %zu: no longer registered",
			                        *n + 1)
			           : rc;
		(*n)++;
		p += len;
	}
	if (*n == 0) {
		str_copy(out[0], 17, pg->who.nik);
		*n = 1;
	}
	return 0;
}

/* The person shown for a pick: name, position and agency (never the NIK). */
static json_t *
person_card(const char *name, const char *position, const char *agency)
{
	char meta[2 * SERTEL_MAX_NAME + 8];

	snprintf(meta, sizeof(meta), "%s%s%s", position,
	         position[0] && agency[0] ? " \xc2\xb7 " : "", agency);
	return json_pack("{s:s, s:s}", "name", name, "meta", meta);
}

static const char *
agency_name_of(char *out, size_t outsz, struct page *pg, const char *id)
{
	struct ra_agency a;

	out[0] = '\0';
	if (id[0] && ra_agency_get(&a, pg->r->st, id) == 0)
		str_copy(out, outsz, a.name);
	sertel_err_clear();
	return out;
}

struct pick_ctx {
	struct page *pg;
	json_t *hits;
	const char *order; /* the refs chosen so far */
	size_t chosen;
	char niks[FLOW_MAX_SIGNERS][17]; /* theirs, to mark them in the results */
};

static int
pick_hit(const struct ra_person_hit *h, void *arg)
{
	struct pick_ctx *c = arg;
	char ref[REF_HEX + 1], add[(FLOW_MAX_SIGNERS + 1) * (REF_HEX + 1) + 1];
	json_t *card;

	if (ref_make(ref, c->pg, h->nik) < 0)
		return 0;
	snprintf(add, sizeof(add), "%s%s%s", c->order, c->order[0] ? "." : "", ref);
	card = person_card(h->name, h->position, h->agency_name);
	for (size_t i = 0; i < c->chosen; i++)
		if (strcmp(c->niks[i], h->nik) == 0) {
			json_object_set_new(card, "picked", json_true());
			break;
		}
	json_object_set_new(card, "add", json_string(add));
	json_object_set_new(card, "full", json_boolean(c->chosen >= FLOW_MAX_SIGNERS));
	json_array_append_new(c->hits, card);
	return 0;
}

/* The picker's state for the page: the chosen people in order (each with
 * the order without them, for its "remove" link), the search and its
 * results (each with the order it would make).  A reference that does not
 * open is dropped with a message, never shown. */
static void
picker_ctx(struct page *pg, const char *order, const char *q)
{
	json_t *chosen = json_array(), *pick = json_object();
	struct pick_ctx c = {.pg = pg};
	char nik[17], keep[(FLOW_MAX_SIGNERS + 1) * (REF_HEX + 1) + 1],
	    without[sizeof(keep)], agency[SERTEL_MAX_NAME];
	const char *refs[FLOW_MAX_SIGNERS];
	size_t lens[FLOW_MAX_SIGNERS], n = 0, i, j, k = 0;
	const char *p = order != NULL ? order : "";
	int bad = 0;

	keep[0] = '\0';
	while (*p && n < FLOW_MAX_SIGNERS) {
		struct ra_person who;
		size_t len;

		p += strspn(p, ". ");
		if (*p == '\0')
			break;
		len = strcspn(p, ". ");
		if (ref_open(nik, pg, p, len) == 0 &&
		    ra_person_get(&who, pg->r->st, nik) == 0) {
			json_array_append_new(
			    chosen, person_card(who.name, who.position,
			                        agency_name_of(agency, sizeof(agency), pg,
			                                       who.agency_id)));
			str_copy(c.niks[n], sizeof(c.niks[n]), nik);
			refs[n] = p;
			lens[n++] = len;
			k += (size_t)snprintf(keep + k, sizeof(keep) - k, "%s%.*s",
			                      k ? "." : "", (int)len, p);
		} else {
			bad = 1;
		}
		sodium_memzero(nik, sizeof(nik));
		p += len;
	}
	sertel_err_clear();
	/* Each chosen one's "remove": the order without it. */
	for (i = 0; i < n; i++) {
		size_t w = 0;

		without[0] = '\0';
		for (j = 0; j < n; j++)
			if (j != i)
				w += (size_t)snprintf(without + w, sizeof(without) - w,
				                      "%s%.*s", w ? "." : "",
				                      (int)lens[j], refs[j]);
		json_t *card = json_array_get(chosen, i);
		json_object_set_new(card, "pos", json_integer((json_int_t)i + 1));
		json_object_set_new(card, "remove", json_string(without));
	}
	json_object_set_new(pick, "chosen", chosen);
	json_object_set_new(pick, "order", json_string(keep));
	json_object_set_new(pick, "any", json_boolean(n > 0));
	json_object_set_new(pick, "bad", json_boolean(bad));
	json_object_set_new(pick, "q", json_string(q != NULL ? q : ""));
	if (q != NULL && *q != '\0') {
		int rc;

		c.hits = json_array();
		c.order = keep;
		c.chosen = n;
		rc = ra_person_search(pg->r->st, &pg->who, q, RA_PERSON_SEARCH_MAX,
		                      pick_hit, &c);

		if (rc == SERTEL_EINVAL)
			json_object_set_new(pick, "short", json_true());
		else if (rc < 0)
			log_msg(LOG_ERROR, "portal: people search: %s", sertel_errmsg());
		sertel_err_clear();
		json_object_set_new(pick, "searched", json_true());
		json_object_set_new(pick, "none",
		                    json_boolean(json_array_size(c.hits) == 0));
		json_object_set_new(pick, "hits", c.hits);
	}
	sodium_memzero(c.niks, sizeof(c.niks));
	json_object_set_new(pg->ctx, "pick", pick);
}

/* ---- the list and the upload ----------------------------------------------- */
static int
list_fn(const struct esign_flow *f, void *arg)
{
	struct page *pg = arg;
	json_t *a = json_object_get(pg->ctx, "flows");
	char when[WP_TIME_MAX];
	int turn = esign_flow_turn(f, &pg->who) == 0;

	sertel_err_clear();
	wp_time(when, pg, f->updated_at, 1);
	json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:i}", "id",
	                                   f->id, "name", f->names[0], "state",
	                                   wp_text(pg, flow_state_key(f)), "when", when,
	                                   "turn", turn, "signed", f->step, "signers",
	                                   (int)f->nsigners));
	return 0;
}

static int
list_page(struct page *pg, int status, const char *error, const char *order)
{
	json_t *up = json_array();
	int i, rc;

	sign_expire(pg);
	json_object_set_new(pg->ctx, "flows", json_array());
	if ((rc = esign_flow_iter(pg->r->st, &pg->who, 50, list_fn, pg)) < 0) {
		json_decref(up);
		log_msg(LOG_ERROR, "portal: flows: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	for (i = 1; i <= SIGN_UPLOADS; i++)
		json_array_append_new(up, json_pack("{s:i}", "n", i));
	json_object_set_new(pg->ctx, "uploads", up);
	picker_ctx(pg, order, status == 200 ? http_query(pg->r, "cari") : NULL);
	if (error != NULL)
		flash(pg, "bad", error);
	return wp_render(pg, status, "sign", "sign.title");
}

static int
page_list(struct page *pg)
{
	return list_page(pg, 200, NULL, http_query(pg->r, "urutan"));
}

/* POST /tandatangan (multipart): the files and the signers. */
static int
page_upload(struct page *pg)
{
	struct http_multipart m;
	struct esign_doc_in docs[SIGN_UPLOADS];
	struct esign_flow_env env;
	char signers[FLOW_MAX_SIGNERS][17], link[SERTEL_MAX_NAME + 64];
	const char *sp[FLOW_MAX_SIGNERS];
	char id[FLOW_ID_LEN + 1], where[64], field[16];
	struct render_limits rl;
	const char *order;
	size_t nd = 0, ns = 0, i;
	int rc;

	if (wp_read_multipart(pg, &m) < 0)
		return 0;
	render_limits_load(&rl, pg->r->ctx->in->cfg);
	order = http_multipart_text(&m, "urutan");
	sign_env(&env, link, sizeof(link), pg, api_esign_service(pg->r));
	for (i = 1; i <= SIGN_UPLOADS; i++) {
		struct http_part *f;

		snprintf(field, sizeof(field), "berkas%zu", i);
		if ((f = http_multipart_get(&m, field)) == NULL || !f->is_file ||
		    f->val.len == 0)
			continue;
		/* The content decides, not the name: a PDF starts %PDF- and
		 * poppler (in its limited child) must be able to open it. */
		if (f->val.len > env.max_file_bytes) {
			rc = list_page(pg, 413, wp_text(pg, "sign.err.toobig"), order);
			goto out;
		}
		if (f->val.len < 5 || memcmp(f->val.data, "%PDF-", 5) != 0 ||
		    render_doc_info(&(int){0}, NULL, 0, f->val.data, f->val.len, &rl) <
		        0) {
			sertel_err_clear();
			rc = list_page(pg, 400, wp_text(pg, "sign.err.notpdf"), order);
			goto out;
		}
		memset(&docs[nd], 0, sizeof(docs[nd]));
		docs[nd].data = f->val.data;
		docs[nd].len = f->val.len;
		docs[nd].name = f->filename[0] ? f->filename : "dokumen.pdf";
		nd++;
	}
	if (nd == 0) {
		rc = list_page(pg, 400, wp_text(pg, "sign.err.nofile"), order);
		goto out;
	}
	if ((rc = signers_parse(signers, &ns, order, pg)) < 0) {
		log_msg(LOG_INFO, "portal: upload: %s", sertel_errmsg());
		sertel_err_clear();
		rc = list_page(pg, 400, wp_text(pg, "sign.pick.err"), order);
		goto out;
	}
	for (i = 0; i < ns; i++)
		sp[i] = signers[i];
	if ((rc = esign_flow_create(id, pg->r->st, &pg->who, sp, ns, docs, nd, &env)) <
	    0) {
		rc = rc == SERTEL_EINVAL || rc == SERTEL_ETOOBIG
		         ? list_page(pg, wp_rule_status(rc), sertel_errmsg(), order)
		         : wp_rule_error(pg, rc, "sign.err.create");
		goto out;
	}
	snprintf(where, sizeof(where), "/tandatangan/%s", id);
	rc = wp_redirect(pg, where);
out:
	http_multipart_free(&m);
	return rc;
}

/* ---- one flow -------------------------------------------------------------- */
/* The flow named by the path /tandatangan/ID[/...]; rest: what follows. */
static int
path_flow(struct page *pg, struct esign_flow *f, const char **rest)
{
	const char *p = pg->sub + strlen("/tandatangan/");
	char id[FLOW_ID_LEN + 1];
	size_t n = strcspn(p, "/");
	int rc;

	if (n != FLOW_ID_LEN) {
		wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
		return SERTEL_ENOTFOUND;
	}
	memcpy(id, p, n);
	id[n] = '\0';
	*rest = p + n;
	if ((rc = esign_flow_get(f, pg->r->st, &pg->who, id)) < 0) {
		wp_error(pg, wp_rule_status(rc),
		         rc == SERTEL_EPERM       ? wp_msg(pg, "", "sign.err.notyours")
		         : rc == SERTEL_ENOTFOUND ? wp_msg(pg, "", "error.notfound")
		                                  : "internal error");
		return rc;
	}
	return 0;
}

/* Why the last preview failed, in the page's language (render_reason):
 * "waktu habis (5 detik)", "gambar melebihi batas ukuran", ... */
static void
preview_why(char *out, size_t outsz, struct page *pg, const char *key, int secs)
{
	if (strcmp(key, "render.why.time") == 0)
		snprintf(out, outsz, "%s (%d %s)", wp_text(pg, key), secs,
		         wp_text(pg, "render.why.seconds"));
	else
		str_copy(out, outsz, wp_text(pg, key));
}

/* "Pratinjau halaman N tidak dapat dibuat: WHY". */
static void
preview_msg(char *out, size_t outsz, struct page *pg, long pno, const char *key, int secs)
{
	char why[160];

	preview_why(why, sizeof(why), pg, key, secs);
	snprintf(out, outsz, "%s %ld %s: %s", wp_text(pg, "sign.err.preview.page"), pno,
	         wp_text(pg, "sign.err.preview.cannot"), why);
}

static int
flow_page(struct page *pg, int status, const struct esign_flow *f, const char *error)
{
	json_t *signers = json_array(), *docs = json_array();
	struct render_page rp[SIGN_PREVIEWS];
	struct render_limits rl;
	struct esign_owner o;
	char when[WP_TIME_MAX];
	int turn = esign_flow_turn(f, &pg->who) == 0;
	size_t i;
	int rc;

	sertel_err_clear();
	for (i = 0; i < f->nsigners; i++) {
		const struct esign_flow_signer *s = &f->signers[i];

		when[0] = '\0';
		if (s->at)
			wp_time(when, pg, s->at, 1);
		json_array_append_new(
		    signers,
		    json_pack(
		        "{s:i, s:s, s:s, s:s, s:b, s:s?}", "pos", (int)i + 1, "name",
		        s->name[0] ? s->name : "-", "state",
		        wp_text(pg, s->state == FLOW_SIGNED    ? "sign.step.signed"
		                    : s->state == FLOW_REFUSED ? "sign.step.declined"
		                                               : "sign.step.waiting"),
		        "when", when, "now", f->state == FLOW_ACTIVE && (int)i == f->step,
		        "doc", s->doc_id[0] ? s->doc_id : NULL));
	}
	render_limits_load(&rl, pg->r->ctx->in->cfg);
	for (i = 0; i < f->ndocs; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		json_t *pages = json_array();
		char why[300];
		int n = 0, p;

		if ((rc = esign_flow_file(&data, &len, pg->r->st, &pg->who, f->id, i)) <
		    0) {
			json_decref(pages);
			json_decref(signers);
			json_decref(docs);
			log_msg(LOG_ERROR, "portal: flow %s: %s", f->id, sertel_errmsg());
			return wp_error(pg, 500, "internal error");
		}
		why[0] = '\0';
		/* A file whose pages cannot be counted (the child stopped at a
		 * limit) is shown without previews, and the page and position
		 * are typed: the signing goes on as it would without JS. */
		if (render_doc_info(&n, rp, SIGN_PREVIEWS, data, len, &rl) < 0) {
			log_msg(LOG_WARN, "portal: flow %s: %s", f->id, sertel_errmsg());
			int secs = 0;
			const char *key = render_reason(&secs);

			preview_msg(why, sizeof(why), pg, 1, key, secs);
			n = 0;
		}
		for (p = 0; p < n && p < SIGN_PREVIEWS; p++)
			json_array_append_new(
			    pages, json_pack("{s:i, s:i, s:i, s:i, s:f, s:f}", "n", p + 1,
			                     "p", p, "w", rp[p].w_px, "h", rp[p].h_px,
			                     "wpt", rp[p].w_pt, "hpt", rp[p].h_pt));
		sertel_err_clear();
		free(data);
		json_array_append_new(
		    docs, json_pack("{s:i, s:i, s:s, s:o, s:i, s:i, s:b, s:i, s:i, s:s?}",
		                    "i", (int)i, "n", (int)i + 1, "name", f->names[i],
		                    "pages", pages, "count", n > 0 ? n : 10000, "shown",
		                    n, "more", n > SIGN_PREVIEWS, "x", 380, "y", 80,
		                    "nopreview", why[0] ? why : NULL));
	}
	json_object_set_new(
	    pg->ctx, "flow",
	    json_pack("{s:s, s:s, s:b, s:b, s:s, s:s, s:i, s:o, s:o, s:b, s:f, s:f}",
	              "id", f->id, "state", wp_text(pg, flow_state_key(f)), "done",
	              f->state == FLOW_DONE, "declined", f->state == FLOW_DECLINED,
	              "reason", f->reason, "owner", f->owner_name, "version", f->version,
	              "signers", signers, "docs", docs, "many", f->ndocs > 1, "boxw",
	              SIGN_BOX_W, "boxh", SIGN_BOX_H));
	if (turn) {
		memset(&o, 0, sizeof(o));
		if ((rc = esign_owner_get(&o, pg->r->st, pg->who.nik, NULL, time_now())) <
		        0 &&
		    rc != SERTEL_ENOTFOUND) {
			log_msg(LOG_ERROR, "portal: flow %s: %s", f->id, sertel_errmsg());
			return wp_error(pg, 500, "internal error");
		}
		sertel_err_clear();
		json_object_set_new(pg->ctx, "turn",
		                    json_pack("{s:s, s:b, s:b, s:b, s:b}", "id", f->id,
		                              "form", o.has_sealed_key && !o.locked,
		                              "nokey", !o.has_sealed_key, "locked",
		                              o.has_sealed_key && o.locked, "totp",
		                              o.totp_enrolled));
	}
	if (http_query(pg->r, "ok") != NULL && error == NULL)
		flash(
		    pg, "ok",
		    wp_text(pg, f->state == FLOW_DONE ? "sign.ok.done" : "sign.ok.next"));
	if (error != NULL)
		flash(pg, "bad", error);
	return wp_render(pg, status, "sign-flow", "sign.flow.title");
}

/* XML text: the reason is ours, but the catalogue is not checked for
 * markup. */
static void
svg_text(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		buf_appendf(b, "%s",
		            s[i] == '<'   ? "&lt;"
		            : s[i] == '>' ? "&gt;"
		            : s[i] == '&' ? "&amp;"
		                          : (char[2]){s[i], '\0'});
}

/* What the image of a page that could not be drawn says, as an SVG in
 * place of the PNG: the message is on the page where the preview would
 * be, without JavaScript, on a blank A4 page, so the box can still be
 * dragged there.  Cached like a preview, so a hostile page is drawn (and
 * stopped) once per version, not at every reload. */
static int
preview_failed_svg(unsigned char **out, size_t *len, struct page *pg, long pno,
                   const char *key, int secs)
{
	char line[160], why[160];
	const char *w = why;
	struct buf b;
	int y = 360;

	preview_why(why, sizeof(why), pg, key, secs);
	buf_init(&b, 8192);
	buf_appendf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"595\" "
	                "height=\"842\" viewBox=\"0 0 595 842\"><rect width=\"595\" "
	                "height=\"842\" fill=\"#ffffff\"/><rect x=\"20\" y=\"300\" "
	                "width=\"555\" height=\"220\" fill=\"#fdecea\" "
	                "stroke=\"#b3261e\" stroke-width=\"2\"/><text x=\"297\" "
	                "text-anchor=\"middle\" font-family=\"sans-serif\" "
	                "font-size=\"30\" fill=\"#8c1d18\">");
	snprintf(line, sizeof(line), "%s %ld", wp_text(pg, "sign.err.preview.page"), pno);
	buf_appendf(&b, "<tspan x=\"297\" y=\"%d\">", y);
	svg_text(&b, line, sizeof(line));
	snprintf(line, sizeof(line), "%s:", wp_text(pg, "sign.err.preview.cannot"));
	buf_appendf(&b, "</tspan><tspan x=\"297\" y=\"%d\">", y += 44);
	svg_text(&b, line, sizeof(line));
	buf_appendf(&b, "</tspan>");
	/* The reason in lines of at most 30 characters, cut at spaces. */
	while (*w && y < 500) {
		size_t n = strlen(w), cut = n;

		if (n > 30) {
			for (cut = 30; cut > 0 && w[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = 30;
		}
		buf_appendf(&b, "<tspan x=\"297\" y=\"%d\">", y += 44);
		svg_text(&b, w, cut);
		buf_appendf(&b, "</tspan>");
		w += cut;
		w += strspn(w, " ");
	}
	buf_appendf(&b, "</text></svg>");
	if (buf_cstr(&b) < 0) {
		buf_free(&b);
		return SERTEL_ENOMEM;
	}
	*out = buf_detach(&b, len);
	return 0;
}

/* A page that could not be drawn is cached as this mark, the reason's key
 * and seconds (render_reason), and shown in each viewer's language. */
#define FAILED_MARK "render-failed "

/* The key and seconds of a cached failure mark; 0, or -1 for a preview. */
static int
failed_mark(char *key, size_t keysz, int *secs, const unsigned char *p, size_t len)
{
	size_t ml = strlen(FAILED_MARK), n;
	char buf[64];

	if (len < ml || memcmp(p, FAILED_MARK, ml) != 0)
		return -1;
	n = len - ml < sizeof(buf) - 1 ? len - ml : sizeof(buf) - 1;
	memcpy(buf, p + ml, n);
	buf[n] = '\0';
	n = strspn(buf, "abcdefghijklmnopqrstuvwxyz.");
	*secs = (int)strtol(buf + n, NULL, 10);
	buf[n] = '\0';
	str_copy(key, keysz,
	         strncmp(buf, "render.why.", 11) == 0 ? buf : "render.why.unknown");
	return 0;
}

/* The answer: body (owned from here on), never cached by the browser. */
static int
preview_send(struct page *pg, unsigned char *body, size_t len, int status,
             const char *ctype)
{
	sertel_err_clear();
	free(pg->resp->body);
	pg->resp->body = body;
	pg->resp->len = len;
	pg->resp->status = status;
	pg->resp->ctype = ctype;
	buf_appendf(&pg->headers, "Cache-Control: private, no-store\n"
	                          "Content-Security-Policy: default-src 'none'\n");
	return 0;
}

/* The preview of /halaman/I/P.png, cached with the flow per version. */
static int
flow_preview(struct page *pg, const struct esign_flow *f, const char *rest)
{
	unsigned char *png = NULL, *data = NULL;
	size_t len = 0, dlen = 0;
	struct render_limits rl;
	char *end, key[64], mark[96];
	long idx, pno;
	int rc, secs = 0;

	/* "/halaman/I/P.png" */
	if (strncmp(rest, "/halaman/", 9) != 0)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	idx = strtol(rest + 9, &end, 10);
	if (end == rest + 9 || *end != '/' || idx < 0 || (size_t)idx >= f->ndocs)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	rest = end + 1;
	pno = strtol(rest, &end, 10);
	if (end == rest || strcmp(end, ".png") != 0 || pno < 1 || pno > SIGN_PREVIEWS)
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	rc = esign_flow_preview_get(&png, &len, pg->r->st, f->id, (size_t)idx, f->version,
	                            (int)pno - 1);
	if (rc == SERTEL_ENOTFOUND) {
		sertel_err_clear();
		render_limits_load(&rl, pg->r->ctx->in->cfg);
		if ((rc = esign_flow_file(&data, &dlen, pg->r->st, &pg->who, f->id,
		                          (size_t)idx)) < 0) {
			free(data);
			return wp_error(pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
			                wp_msg(pg, "", "sign.err.preview"));
		}
		rc = render_page_png(&png, &len, data, dlen, (int)pno - 1,
		                     RENDER_MAX_PIXELS, &rl);
		free(data);
		if (rc == SERTEL_ENOTFOUND || (rc < 0 && rc != SERTEL_ETOOBIG &&
		                               rc != SERTEL_EINVAL && rc != SERTEL_EIO))
			return wp_error(pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
			                wp_msg(pg, "", "sign.err.preview"));
		if (rc < 0) {
			log_msg(LOG_WARN, "portal: flow %s: %s", f->id, sertel_errmsg());
			str_copy(key, sizeof(key), render_reason(&secs));
			snprintf(mark, sizeof(mark), FAILED_MARK "%s %d", key, secs);
			/* A child that could not be spawned is no verdict on the
			 * file: not cached, tried again next time. */
			if (rc != SERTEL_EIO &&
			    esign_flow_preview_put(
			        pg->r->st, f->id, (size_t)idx, f->version, (int)pno - 1,
			        (unsigned char *)mark, strlen(mark)) < 0)
				sertel_err_clear();
			goto failed;
		}
		if (esign_flow_preview_put(pg->r->st, f->id, (size_t)idx, f->version,
		                           (int)pno - 1, png, len) < 0) {
			/* A preview not cached is drawn again next time: no error. */
			log_msg(LOG_WARN, "portal: preview cache: %s", sertel_errmsg());
			sertel_err_clear();
		}
	} else if (rc < 0) {
		return wp_error(pg, 500, "internal error");
	} else if (failed_mark(key, sizeof(key), &secs, png, len) == 0) {
		free(png);
		png = NULL;
		goto failed;
	}
	return preview_send(pg, png, len, 200, "image/png");
failed:
	if (preview_failed_svg(&png, &len, pg, pno, key, secs) < 0)
		return wp_error(pg, 500, "internal error");
	/* 422 with an image the browser still shows in the <img>. */
	return preview_send(pg, png, len, 422, "image/svg+xml");
}

/* ---- download -------------------------------------------------------------- */
static void
le16(struct buf *b, unsigned v)
{
	unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_append(b, c, 2);
}

static void
le32(struct buf *b, unsigned long v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8),
	                      (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
	buf_append(b, c, 4);
}

/* What a local header and its central directory entry share: flags
 * (UTF-8 names), method 0 (stored), a fixed time (1980-01-01 00:00, no
 * clock in the file), CRC-32, sizes, the name's length, no extra field. */
static void
zip_fields(struct buf *z, unsigned long crc, size_t len, size_t nl)
{
	le16(z, 0x0800);
	le16(z, 0);
	le16(z, 0);
	le16(z, 0x21);
	le32(z, crc);
	le32(z, (unsigned long)len);
	le32(z, (unsigned long)len);
	le16(z, (unsigned)nl);
	le16(z, 0);
}

/* A zip of the files (stored, APPNOTE 4.3): PDFs compress little, and a
 * reader of any age opens a stored entry. */
static int
zip_files(struct buf *z, unsigned char *const *data, const size_t *lens,
          const char (*names)[FLOW_NAME_MAX], size_t n)
{
	unsigned long crc[FLOW_MAX_DOCS], off[FLOW_MAX_DOCS];
	size_t i, cd, cdsize;

	for (i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);

		crc[i] = crc32(0L, data[i], (uInt)lens[i]);
		off[i] = (unsigned long)z->len;
		le32(z, 0x04034b50UL);
		le16(z, 20);
		zip_fields(z, crc[i], lens[i], nl);
		buf_append(z, names[i], nl);
		buf_append(z, data[i], lens[i]);
	}
	cd = z->len;
	for (i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);

		le32(z, 0x02014b50UL);
		le16(z, 20);
		le16(z, 20);
		zip_fields(z, crc[i], lens[i], nl);
		le16(z, 0);
		le16(z, 0);
		le16(z, 0);
		le32(z, 0);
		le32(z, off[i]);
		buf_append(z, names[i], nl);
	}
	cdsize = z->len - cd;
	le32(z, 0x06054b50UL);
	le16(z, 0);
	le16(z, 0);
	le16(z, (unsigned)n);
	le16(z, (unsigned)n);
	le32(z, (unsigned long)cdsize);
	le32(z, (unsigned long)cd);
	le16(z, 0);
	return buf_cstr(z) < 0 ? sertel_err(SERTEL_ENOMEM, "zip: out of memory") : 0;
}

/* The file names as downloaded: "NAME-ditandatangani.pdf" when signed. */
static void
signed_name(char *out, size_t outsz, const char *name, int signed_any)
{
	size_t n = strlen(name);

	if (n > 4 && strcmp(name + n - 4, ".pdf") == 0)
		n -= 4;
	snprintf(out, outsz, "%.*s%s.pdf", (int)(n > 100 ? 100 : n), name,
	         signed_any ? "-ditandatangani" : "");
	/* Quotes and separators never reach the header or the zip. */
	for (char *p = out; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '/' || (unsigned char)*p < 0x20)
			*p = '_';
}

static int
flow_download(struct page *pg, const struct esign_flow *f)
{
	unsigned char *data[FLOW_MAX_DOCS] = {NULL};
	size_t lens[FLOW_MAX_DOCS] = {0}, i;
	char names[FLOW_MAX_DOCS][FLOW_NAME_MAX], disp[FLOW_NAME_MAX + 64];
	struct buf z;
	int rc = 0;

	for (i = 0; i < f->ndocs; i++) {
		if ((rc = esign_flow_file(&data[i], &lens[i], pg->r->st, &pg->who, f->id,
		                          i)) < 0)
			goto out;
		signed_name(names[i], sizeof(names[i]), f->names[i], f->step > 0);
	}
	free(pg->resp->body);
	pg->resp->status = 200;
	if (f->ndocs == 1) {
		pg->resp->body = data[0];
		pg->resp->len = lens[0];
		data[0] = NULL;
		pg->resp->ctype = "application/pdf";
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", names[0]);
	} else {
		buf_init(&z, (size_t)FLOW_MAX_DOCS * (RA_ATTACH_MAX + 64 * 1024));
		if ((rc = zip_files(&z, data, lens, names, f->ndocs)) < 0) {
			buf_free(&z);
			pg->resp->body = NULL;
			goto out;
		}
		pg->resp->body = buf_detach(&z, &pg->resp->len);
		pg->resp->ctype = "application/zip";
		snprintf(disp, sizeof(disp),
		         "attachment; filename=\"tandatangan-%.8s.zip\"", f->id);
	}
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Content-Security-Policy: default-src 'none'\n"
	                          "Cache-Control: no-store\n");
out:
	for (i = 0; i < f->ndocs; i++)
		free(data[i]);
	if (rc < 0) {
		pg->resp->body = NULL;
		pg->resp->len = 0;
		return wp_error(pg, 500, "internal error");
	}
	return 0;
}

/* GET /tandatangan/ID[/...]. */
static int
page_flow(struct page *pg)
{
	struct esign_flow f;
	const char *rest;

	if (path_flow(pg, &f, &rest) < 0)
		return 0;
	if (*rest == '\0')
		return flow_page(pg, 200, &f, NULL);
	if (strcmp(rest, "/unduh") == 0)
		return flow_download(pg, &f);
	return flow_preview(pg, &f, rest);
}

/* ---- signing and refusing ------------------------------------------------------ */
/* Where the box goes on file i: a marker, or page and position (PDF
 * points from the page's lower-left corner, the box's lower-left). */
static int
props_of(struct esign_props *p, char *tag, size_t tagsz, struct page *pg, size_t i)
{
	char k[24];
	const char *v;
	char *end;
	long page;
	double x, y;

	memset(p, 0, sizeof(*p));
	p->visible = 1;
	p->want_qr = 1;
	p->rect[2] = SIGN_BOX_W;
	p->rect[3] = SIGN_BOX_H;
	p->reason = "Dokumen ini ditandatangani secara elektronik";
	snprintf(k, sizeof(k), "penanda_%zu", i);
	if ((v = web_form_get(&pg->form, k)) != NULL && *v != '\0') {
		if (strlen(v) >= tagsz || strlen(v) > SIGN_TAG_MAX)
			return SERTEL_EINVAL;
		str_copy(tag, tagsz, v);
		p->tag = tag;
		p->page = -1;
		return 0;
	}
	snprintf(k, sizeof(k), "hal_%zu", i);
	v = web_form_get(&pg->form, k);
	page = v != NULL ? strtol(v, &end, 10) : 0;
	if (v == NULL || end == v || *end != '\0' || page < 1 || page > 10000)
		return SERTEL_EINVAL;
	p->page = (int)page - 1;
	snprintf(k, sizeof(k), "x_%zu", i);
	v = web_form_get(&pg->form, k);
	x = v != NULL ? strtod(v, &end) : -1;
	if (v == NULL || end == v || *end != '\0' || !(x >= 0 && x <= 14400))
		return SERTEL_EINVAL;
	snprintf(k, sizeof(k), "y_%zu", i);
	v = web_form_get(&pg->form, k);
	y = v != NULL ? strtod(v, &end) : -1;
	if (v == NULL || end == v || *end != '\0' || !(y >= 0 && y <= 14400))
		return SERTEL_EINVAL;
	p->rect[0] = x;
	p->rect[1] = y;
	return 0;
}

/* POST /tandatangan/ID/tandatangani: esign_sign on every file, then the
 * flow moves on (esign_flow_signed re-checks the turn and the version in
 * its transaction: a second submission or a stale page changes nothing). */
static int
flow_sign(struct page *pg, const struct esign_flow *f, struct esign_ctx *c)
{
	struct esign_doc_in docs[FLOW_MAX_DOCS];
	struct esign_props props[FLOW_MAX_DOCS];
	struct esign_doc_out *out = NULL;
	struct esign_sign_req rq;
	struct esign_error err;
	struct esign_flow_env env;
	unsigned char *data[FLOW_MAX_DOCS] = {NULL};
	const unsigned char *files[FLOW_MAX_DOCS];
	size_t lens[FLOW_MAX_DOCS], i;
	char tags[FLOW_MAX_DOCS][SIGN_TAG_MAX + 1], msg[700], link[SERTEL_MAX_NAME + 64],
	    where[80];
	const char *pass = web_form_get(&pg->form, "sandi"),
	           *totp = web_form_get(&pg->form, "totp"),
	           *ver = web_form_get(&pg->form, "versi");
	int rc;

	if ((rc = esign_flow_turn(f, &pg->who)) < 0) {
		wp_form_wipe(pg);
		return flow_page(pg, wp_rule_status(rc), f,
		                 wp_msg(pg, "",
		                        rc == SERTEL_EPERM ? "sign.err.notsigner"
		                                           : "sign.err.notturn"));
	}
	if (ver == NULL || strtol(ver, NULL, 10) != f->version) {
		wp_form_wipe(pg);
		return flow_page(pg, 409, f, wp_msg(pg, "", "sign.err.stale"));
	}
	if (pass == NULL || *pass == '\0') {
		wp_form_wipe(pg);
		return flow_page(pg, 400, f, wp_msg(pg, "", "sign.err.pass"));
	}
	for (i = 0; i < f->ndocs; i++)
		if (props_of(&props[i], tags[i], sizeof(tags[i]), pg, i) < 0) {
			wp_form_wipe(pg);
			return flow_page(pg, 400, f, wp_msg(pg, "", "sign.err.place"));
		}
	for (i = 0; i < f->ndocs; i++) {
		if ((rc = esign_flow_file(&data[i], &lens[i], pg->r->st, &pg->who, f->id,
		                          i)) < 0)
			goto fail;
		memset(&docs[i], 0, sizeof(docs[i]));
		docs[i].data = data[i];
		docs[i].len = lens[i];
		docs[i].name = f->names[i];
	}
	memset(&rq, 0, sizeof(rq));
	rq.client = &sign_client;
	rq.nik = pg->who.nik;
	rq.passphrase = pass;
	rq.passlen = strlen(pass);
	rq.totp = totp != NULL && *totp != '\0' ? totp : NULL;
	rq.docs = docs;
	rq.ndocs = f->ndocs;
	rq.props = props;
	rq.nprops = f->ndocs;
	rc = esign_sign(&out, &err, c, pg->r->st, &rq);
	/* Never echoed back, never kept. */
	wp_form_wipe(pg);
	if (rc < 0) {
		if (err.code == 0)
			log_msg(LOG_ERROR, "portal: flow %s: %s", f->id, sertel_errmsg());
		for (i = 0; i < f->ndocs; i++)
			free(data[i]);
		return flow_page(pg, err.http ? err.http : wp_rule_status(rc), f,
		                 wp_esign_msg(msg, sizeof(msg), &err));
	}
	for (i = 0; i < f->ndocs; i++) {
		files[i] = out[i].data;
		lens[i] = out[i].len;
	}
	sign_env(&env, link, sizeof(link), pg, c);
	/* Signed and registered: a refusal here (someone else moved the flow
	 * on meanwhile) leaves a registered signature the flow does not hold,
	 * which /v/{id} still answers for. */
	rc = esign_flow_signed(pg->r->st, &pg->who, f->id, f->version, files, lens,
	                       f->ndocs, out[0].id, &env);
	esign_docs_free(out, f->ndocs);
	if (rc < 0)
		goto fail;
	for (i = 0; i < f->ndocs; i++)
		free(data[i]);
	snprintf(where, sizeof(where), "/tandatangan/%s?ok=1", f->id);
	return wp_redirect(pg, where);
fail:
	for (i = 0; i < f->ndocs; i++)
		free(data[i]);
	if (rc == SERTEL_ESTATE || rc == SERTEL_EPERM)
		return flow_page(pg, wp_rule_status(rc), f,
		                 wp_msg(pg, "", "sign.err.notturn"));
	log_msg(LOG_ERROR, "portal: flow %s: %s", f->id, sertel_errmsg());
	return wp_error(pg, 500, "internal error");
}

static int
flow_decline(struct page *pg, const struct esign_flow *f, struct esign_ctx *c)
{
	struct esign_flow_env env;
	char link[SERTEL_MAX_NAME + 64], where[80];
	const char *why = web_form_get(&pg->form, "alasan");
	int rc;

	sign_env(&env, link, sizeof(link), pg, c);
	if ((rc = esign_flow_turn(f, &pg->who)) < 0)
		return flow_page(pg, wp_rule_status(rc), f,
		                 wp_msg(pg, "",
		                        rc == SERTEL_EPERM ? "sign.err.notsigner"
		                                           : "sign.err.notturn"));
	if (why == NULL || *why == '\0')
		return flow_page(pg, 400, f, wp_msg(pg, "", "sign.err.reason"));
	if ((rc = esign_flow_decline(pg->r->st, &pg->who, f->id, why, &env)) < 0) {
		if (rc == SERTEL_EINVAL || rc == SERTEL_ETOOBIG)
			return flow_page(pg, 400, f, wp_msg(pg, "", "sign.err.reason"));
		if (rc == SERTEL_ESTATE || rc == SERTEL_EPERM)
			return flow_page(pg, wp_rule_status(rc), f,
			                 wp_msg(pg, "", "sign.err.notturn"));
		log_msg(LOG_ERROR, "portal: flow %s: %s", f->id, sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	snprintf(where, sizeof(where), "/tandatangan/%s", f->id);
	return wp_redirect(pg, where);
}

/* POST /tandatangan/ID/tandatangani or /tolak. */
static int
page_flow_post(struct page *pg)
{
	struct esign_flow f;
	struct esign_ctx *c;
	const char *rest;
	int rc;

	if ((rc = wp_read_form(pg)) < 0 ||
	    (rc = portal_csrf_check(&pg->sess, web_form_get(&pg->form, "csrf"))) < 0) {
		wp_form_wipe(pg);
		return wp_error(pg, rc == SERTEL_EPERM ? 403 : 400, sertel_errmsg());
	}
	if (path_flow(pg, &f, &rest) < 0) {
		wp_form_wipe(pg);
		return 0;
	}
	if ((c = api_esign_service(pg->r)) == NULL) {
		wp_form_wipe(pg);
		return wp_error(pg, 503, "e-sign: [esign] settings unreadable");
	}
	if (strcmp(rest, "/tandatangani") == 0)
		return flow_sign(pg, &f, c);
	if (strcmp(rest, "/tolak") == 0)
		return flow_decline(pg, &f, c);
	wp_form_wipe(pg);
	return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
}

WP_ROUTES(wp_routes_sign, {"GET", "/tandatangan", 1, 0, page_list, "nav.sign"},
          {"POST", "/tandatangan", 1, 0, page_upload, NULL},
          {"GET", "/tandatangan/", 1, 0, page_flow, NULL},
          {"POST", "/tandatangan/", 1, 0, page_flow_post, NULL}, );
