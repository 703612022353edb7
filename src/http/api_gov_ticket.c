/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Complaints, the issuer's help and published guidance over HTTP (issue
 * 13; src/gov/ticket.c, guide.c):
 *
 *   GET  POST /api/v1/gov/tickets[?state=S&q=WORDS&mine=1|-1]
 *   GET       /api/v1/gov/tickets/{id}
 *   GET       /api/v1/gov/tickets/{id}/attachments/{n}
 *   POST      /api/v1/gov/tickets/{id}/reply | state | help
 *   GET  POST /api/v1/gov/help                 (standalone requests)
 *   POST      /api/v1/gov/help/{id}/answer
 *   GET       /api/v1/gov/guides[/{kind}[?version=N]]
 *   POST      /api/v1/gov/guides/{kind}        (publish a new version)
 *
 * Who may do what is src/gov's; this file maps JSON to those calls.  A
 * ticket the caller may not read is answered 404, as one that does not
 * exist (a complaint about an operator is not even acknowledged to them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "http/http_int.h"

#define TICKETS_PREFIX "/api/v1/gov/tickets/"
#define HELP_PREFIX    "/api/v1/gov/help/"
#define GUIDES_PREFIX  "/api/v1/gov/guides/"

/* ---- JSON out: one shape for the API and the CLI's --json ----------------- */
static void
ts(char out[32], int64_t t)
{
	if (t > 0)
		time_fmt(out, t);
	else
		out[0] = '\0';
}

/* Names only for whoever is not the Dinas or the person themselves: the
 * superior handles a complaint without needing the complainant's NIK. */
static int
shows_nik(const struct ra_actor *who, const struct gov_ticket *t)
{
	return ra_sees_all(who) || strcmp(who->nik, t->person_nik) == 0;
}

static const char *
person_name(char *out, size_t outsz, struct store *st, const char *nik)
{
	struct ra_person p;

	out[0] = '\0';
	if (nik[0] != '\0' && ra_person_get(&p, st, nik) == 0)
		str_copy(out, outsz, p.name);
	return out;
}

struct arr_ctx {
	json_t *arr;
	const struct ra_actor *who;
	const struct gov_ticket *t;
};

static int
reply_json(const struct gov_ticket_reply_info *r, void *arg)
{
	struct arr_ctx *c = arg;
	char at[32];

	ts(at, r->at);
	json_array_append_new(c->arr, json_pack("{s:i, s:s, s:s, s:s, s:b, s:s}", "seq",
	                                        r->seq, "at", at, "kind", r->kind,
	                                        "author", r->author_name, "from_person",
	                                        r->from_person, "body", r->body));
	return 0;
}

static int
file_json(const struct gov_ticket_file_info *f, void *arg)
{
	struct arr_ctx *c = arg;
	char at[32];

	ts(at, f->created_at);
	json_array_append_new(c->arr, json_pack("{s:i, s:i, s:s, s:s, s:I, s:s, s:s}",
	                                        "index", f->idx, "reply", f->reply_seq,
	                                        "filename", f->filename, "mime", f->mime,
	                                        "size", (json_int_t)f->size, "sha256",
	                                        f->sha256, "at", at));
	return 0;
}

json_t *
http_gov_help_json(const struct gov_help *h)
{
	char sent[32], answered[32];

	ts(sent, h->sent_at);
	ts(answered, h->answered_at);
	return json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s, s:s?, s:s?}", "id", h->id,
	                 "ticket", h->ticket_id[0] ? h->ticket_id : NULL, "sent_to",
	                 h->sent_to, "body", h->body, "sent_by", h->sent_by, "sent_at",
	                 sent, "answer", h->answered_at ? h->answer : NULL, "answered_at",
	                 h->answered_at ? answered : NULL);
}

static int
help_json(const struct gov_help *h, void *arg)
{
	struct arr_ctx *c = arg;

	json_array_append_new(c->arr, http_gov_help_json(h));
	return 0;
}

json_t *
http_gov_ticket_json(struct store *st, const struct ra_actor *who,
                     const struct gov_ticket *t, int full)
{
	char created[32], updated[32], esc[32], res[32], clo[32], name[SERTEL_MAX_NAME],
	    about[SERTEL_MAX_NAME];
	struct arr_ctx c = {NULL, who, t};
	int nik = shows_nik(who, t);
	json_t *j;

	ts(created, t->created_at);
	ts(updated, t->updated_at);
	ts(esc, t->escalated_at);
	ts(res, t->resolved_at);
	ts(clo, t->closed_at);
	j = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s, s:s, s:s?, s:s?, "
	    "s:s?, s:s?, s:b}",
	    "id", t->id, "category", t->category, "state", t->state, "subject",
	    t->subject, "person", person_name(name, sizeof(name), st, t->person_nik),
	    "person_nik", nik ? t->person_nik : NULL, "about",
	    person_name(about, sizeof(about), st, t->about_nik), "about_nik",
	    nik && t->about_nik[0] ? t->about_nik : NULL, "created_at", created,
	    "updated_at", updated, "escalated_at", esc[0] ? esc : NULL, "resolved_at",
	    res[0] ? res : NULL, "closed_at", clo[0] ? clo : NULL, "reason",
	    t->reason[0] ? t->reason : NULL, "handles", gov_ticket_may_handle(who, t));
	if (j == NULL || !full)
		return j;
	json_object_set_new(j, "description", json_string(t->description));
	c.arr = json_array();
	gov_ticket_replies(st, t, reply_json, &c);
	json_object_set_new(j, "replies", c.arr);
	c.arr = json_array();
	gov_ticket_files(st, t, file_json, &c);
	json_object_set_new(j, "attachments", c.arr);
	c.arr = json_array();
	gov_help_iter(st, who, t->id, help_json, &c);
	json_object_set_new(j, "help", c.arr);
	return j;
}

json_t *
http_gov_guide_json(const struct gov_guide *g)
{
	char at[32];

	ts(at, g->published_at);
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s?}", "kind", g->kind,
	                 "version", g->version, "title", g->title, "sha256", g->sha256,
	                 "published_by", g->published_by, "published_at", at, "body",
	                 g->body);
}

/* ---- JSON in ------------------------------------------------------------- */
/* Who acts is an RA actor, as on the RA's routes (api_ra_actor_check). */
/* The body as an object whose keys are all in allowed; strings only. */
static json_t *
body_object(struct http_req *r, struct http_resp *resp, const char *const *allowed,
            size_t n)
{
	const char *key;
	json_t *j, *v;
	size_t k;

	if ((j = r->body_len ? http_json_body(r, resp) : json_object()) == NULL)
		return NULL;
	json_object_foreach(j, key, v)
	{
		for (k = 0; k < n && strcmp(key, allowed[k]) != 0; k++)
			;
		if (k == n || (strcmp(key, "attachments") != 0 && !json_is_string(v) &&
		               !json_is_null(v))) {
			http_error(
			    resp, 400, "invalid_input",
			    k == n ? "unknown field '%s'" : "%s: expected a string", key);
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

static const char *
str_of(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

struct uploads {
	struct ra_file f[GOV_TICKET_FILES];
	unsigned char *data[GOV_TICKET_FILES];
	int n;
};

static void
uploads_free(struct uploads *u)
{
	int i;

	for (i = 0; i < GOV_TICKET_FILES; i++)
		free(u->data[i]);
}

/* attachments: [{"filename", "data" (base64)}], at most GOV_TICKET_FILES. */
static int
uploads_parse(struct uploads *u, json_t *arr, struct http_resp *resp)
{
	json_t *item;
	const char *name, *data;
	size_t i, len;

	memset(u, 0, sizeof(*u));
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > GOV_TICKET_FILES) {
		http_error(resp, 400, "invalid_input",
		           "attachments: an array of at most %d {\"filename\", \"data\"}",
		           GOV_TICKET_FILES);
		return SERTEL_EINVAL;
	}
	json_array_foreach(arr, i, item)
	{
		name = str_of(item, "filename");
		data = str_of(item, "data");
		if (name == NULL || data == NULL || json_object_size(item) != 2 ||
		    b64_decode(&u->data[i], &len, data, strlen(data), 0) < 0) {
			http_error(resp, 400, "invalid_input",
			           "attachments[%zu]: filename and base64 data required",
			           i);
			return SERTEL_EINVAL;
		}
		u->f[i].kind = "lampiran";
		u->f[i].filename = name;
		u->f[i].data = u->data[i];
		u->f[i].len = len;
		u->n = (int)i + 1;
	}
	return 0;
}

/* ---- tickets --------------------------------------------------------------- */
struct list_ctx {
	json_t *arr;
	struct http_req *r;
};

static int
list_one(const struct gov_ticket *t, void *arg)
{
	struct list_ctx *l = arg;

	json_array_append_new(l->arr, http_gov_ticket_json(l->r->st, &l->r->ra, t, 0));
	return 0;
}

static void
ticket_create(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"category", "subject", "description",
	                                      "about_nik", "attachments"};
	struct gov_ticket_new in;
	struct gov_ticket t;
	struct uploads u;
	json_t *j;
	int rc;

	memset(&u, 0, sizeof(u));
	if ((j = body_object(r, resp, allowed, 5)) == NULL)
		return;
	if (uploads_parse(&u, json_object_get(j, "attachments"), resp) < 0)
		goto out;
	in.category = str_of(j, "category");
	in.subject = str_of(j, "subject");
	in.description = str_of(j, "description");
	in.about_nik = str_of(j, "about_nik");
	in.files = u.f;
	in.nfiles = u.n;
	if ((rc = gov_ticket_open(&t, r->st, r->ctx->in->cfg, &r->ra, &in)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 201, http_gov_ticket_json(r->st, &r->ra, &t, 1));
out:
	uploads_free(&u);
	json_decref(j);
}

int
api_gov_tickets(struct http_req *r, struct http_resp *resp)
{
	struct gov_ticket_filter f;
	struct list_ctx l = {NULL, r};
	const char *mine;
	int rc;

	if (api_ra_actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "POST") == 0) {
		ticket_create(r, resp);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.state = http_query(r, "state");
	f.q = http_query(r, "q");
	mine = http_query(r, "mine");
	f.mine = mine == NULL              ? 0
	         : strcmp(mine, "1") == 0  ? 1
	         : strcmp(mine, "-1") == 0 ? -1
	                                   : 2;
	if (f.mine == 2) {
		http_error(resp, 400, "invalid_input", "mine: expected 1 or -1");
		return 0;
	}
	if ((l.arr = json_array()) == NULL ||
	    (rc = gov_ticket_iter(r->st, &r->ra, &f, list_one, &l)) < 0) {
		json_decref(l.arr);
		http_error_rc(resp, l.arr ? rc : SERTEL_ENOMEM);
		return 0;
	}
	http_json(resp, 200, l.arr);
	return 0;
}

/* "/api/v1/gov/tickets/ID[/ACTION]". */
static int
ticket_path(char id[17], const char **action, const char *path, const char *prefix)
{
	const char *p = path + strlen(prefix), *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : strlen(p);

	if (n != 16 || strspn(p, "0123456789abcdef") < 16)
		return SERTEL_ENOTFOUND;
	memcpy(id, p, 16);
	id[16] = '\0';
	*action = slash ? slash + 1 : "";
	return 0;
}

static void
ticket_attachment(struct http_req *r, struct http_resp *resp, const char *id,
                  const char *which)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[32], name[256];
	long long idx;
	int rc;

	if (parse_ll(&idx, which, 1, GOV_TICKET_FILES_MAX) < 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return;
	}
	if ((rc = gov_ticket_file_get(&data, &len, mime, name, r->st, &r->ra, id,
	                              (int)idx)) < 0) {
		http_error_rc(resp, rc);
		return;
	}
	resp->status = 200;
	/* Only the three types the check let in. */
	resp->ctype = strcmp(mime, "application/pdf") == 0 ? "application/pdf"
	              : strcmp(mime, "image/png") == 0     ? "image/png"
	                                                   : "image/jpeg";
	resp->body = data;
	resp->len = len;
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Content-Disposition: attachment; filename=\"%s-%lld\"\n"
	         "X-Content-Type-Options: nosniff\n",
	         id, idx);
}

static void
ticket_action(struct http_req *r, struct http_resp *resp, const char *id,
              const char *action)
{
	static const char *const reply_keys[] = {"body", "attachments"};
	static const char *const state_keys[] = {"state", "reason"};
	static const char *const help_keys[] = {"body"};
	const struct config *cfg = r->ctx->in->cfg;
	struct gov_ticket t;
	struct gov_help h;
	struct uploads u;
	json_t *j = NULL;
	int rc;

	memset(&u, 0, sizeof(u));
	if (strcmp(action, "reply") == 0) {
		if ((j = body_object(r, resp, reply_keys, 2)) == NULL ||
		    uploads_parse(&u, json_object_get(j, "attachments"), resp) < 0)
			goto out;
		rc =
		    gov_ticket_reply(r->st, cfg, &r->ra, id, str_of(j, "body"), u.f, u.n);
	} else if (strcmp(action, "state") == 0) {
		if ((j = body_object(r, resp, state_keys, 2)) == NULL)
			goto out;
		rc = gov_ticket_set_state(r->st, cfg, &r->ra, id, str_of(j, "state"),
		                          str_of(j, "reason"));
	} else if (strcmp(action, "help") == 0) {
		if ((j = body_object(r, resp, help_keys, 1)) == NULL)
			goto out;
		if ((rc = gov_help_request(&h, r->st, cfg, &r->ra, id,
		                           str_of(j, "body"))) == 0) {
			http_json(resp, 201, http_gov_help_json(&h));
			goto out;
		}
	} else {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		goto out;
	}
	if (rc < 0 || (rc = gov_ticket_get(&t, r->st, &r->ra, id)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 200, http_gov_ticket_json(r->st, &r->ra, &t, 1));
out:
	uploads_free(&u);
	json_decref(j);
}

int
api_gov_ticket(struct http_req *r, struct http_resp *resp)
{
	struct gov_ticket t;
	const char *action;
	char id[17];
	int rc, get = strcmp(r->method, "GET") == 0;

	if (ticket_path(id, &action, r->path, TICKETS_PREFIX) < 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (api_ra_actor_check(r, resp) < 0)
		return 0;
	if (get && strncmp(action, "attachments/", 12) == 0) {
		ticket_attachment(r, resp, id, action + 12);
		return 0;
	}
	if (get != (action[0] == '\0')) {
		http_error(resp, 405, "method_not_allowed", "%s not allowed on %s",
		           r->method, r->path);
		return 0;
	}
	if (!get) {
		ticket_action(r, resp, id, action);
		return 0;
	}
	if ((rc = gov_ticket_get(&t, r->st, &r->ra, id)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	http_json(resp, 200, http_gov_ticket_json(r->st, &r->ra, &t, 1));
	return 0;
}

/* ---- the issuer's help ------------------------------------------------------ */
static int
help_one(const struct gov_help *h, void *arg)
{
	json_array_append_new(arg, http_gov_help_json(h));
	return 0;
}

int
api_gov_help(struct http_req *r, struct http_resp *resp)
{
	static const char *const keys[] = {"body"};
	struct gov_help h;
	json_t *j, *arr;
	int rc;

	if (api_ra_actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "GET") == 0) {
		if ((arr = json_array()) == NULL ||
		    (rc = gov_help_iter(r->st, &r->ra, NULL, help_one, arr)) < 0) {
			json_decref(arr);
			http_error_rc(resp, arr ? rc : SERTEL_ENOMEM);
			return 0;
		}
		http_json(resp, 200, arr);
		return 0;
	}
	if ((j = body_object(r, resp, keys, 1)) == NULL)
		return 0;
	if ((rc = gov_help_request(&h, r->st, r->ctx->in->cfg, &r->ra, NULL,
	                           str_of(j, "body"))) < 0)
		http_error_rc(resp, rc);
	else
		http_json(resp, 201, http_gov_help_json(&h));
	json_decref(j);
	return 0;
}

int
api_gov_help_answer(struct http_req *r, struct http_resp *resp)
{
	static const char *const keys[] = {"answer"};
	const char *action;
	char id[17];
	json_t *j;
	int rc;

	if (ticket_path(id, &action, r->path, HELP_PREFIX) < 0 ||
	    strcmp(action, "answer") != 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (api_ra_actor_check(r, resp) < 0 ||
	    (j = body_object(r, resp, keys, 1)) == NULL)
		return 0;
	if ((rc = gov_help_answer(r->st, &r->ra, id, str_of(j, "answer"))) < 0)
		http_error_rc(resp, rc);
	else
		http_json(resp, 200, json_pack("{s:s, s:b}", "id", id, "answered", 1));
	json_decref(j);
	return 0;
}

/* ---- guidance ----------------------------------------------------------------- */
static const char *const guide_kinds[] = {"sop", "hak-kewajiban", "pengaduan"};

int
api_gov_guides(struct http_req *r, struct http_resp *resp)
{
	struct gov_guide g;
	json_t *arr;
	size_t i;
	int rc;

	if (api_ra_actor_check(r, resp) < 0)
		return 0;
	if ((arr = json_array()) == NULL)
		return 0;
	for (i = 0; i < sizeof(guide_kinds) / sizeof(guide_kinds[0]); i++) {
		if ((rc = gov_guide_get(&g, r->st, guide_kinds[i], 0)) ==
		    SERTEL_ENOTFOUND)
			continue;
		if (rc < 0) {
			json_decref(arr);
			http_error_rc(resp, rc);
			return 0;
		}
		json_array_append_new(arr, http_gov_guide_json(&g));
		gov_guide_free(&g);
	}
	http_json(resp, 200, arr);
	return 0;
}

int
api_gov_guide(struct http_req *r, struct http_resp *resp)
{
	static const char *const keys[] = {"title", "body", "reason"};
	const char *kind = r->path + strlen(GUIDES_PREFIX), *v = http_query(r, "version");
	struct gov_guide g;
	long long version = 0;
	json_t *j;
	int rc;

	if (!gov_guide_kind_valid(kind)) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (api_ra_actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "GET") == 0) {
		if (v != NULL && parse_ll(&version, v, 1, 1000000) < 0) {
			http_error(resp, 400, "invalid_input",
			           "version: a number from 1");
			return 0;
		}
		if ((rc = gov_guide_get(&g, r->st, kind, (int)version)) < 0) {
			http_error_rc(resp, rc);
			return 0;
		}
		http_json(resp, 200, http_gov_guide_json(&g));
		gov_guide_free(&g);
		return 0;
	}
	if ((j = body_object(r, resp, keys, 3)) == NULL)
		return 0;
	if ((rc = gov_guide_publish(&g, r->st, &r->ra, kind, str_of(j, "title"),
	                            str_of(j, "body"), str_of(j, "reason"))) < 0)
		http_error_rc(resp, rc);
	else
		http_json(resp, 201, http_gov_guide_json(&g));
	gov_guide_free(&g);
	json_decref(j);
	return 0;
}
