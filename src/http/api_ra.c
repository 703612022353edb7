/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Registration Authority over HTTP: agencies, people and their roles,
 * applications, the OP's decisions and the applicant's own issuance step.
 *
 *   GET  POST /api/v1/agencies           GET /api/v1/agencies/{id}
 *   GET  POST /api/v1/persons            GET /api/v1/persons/{nik}
 *        POST /api/v1/persons/{nik}/appoint | email-verify | email-confirm
 *   GET  POST /api/v1/agreement[?version=N]
 *   GET  POST /api/v1/applications       GET /api/v1/applications/{id}
 *        POST /api/v1/applications/{id}/attachments | submit | approve |
 *                                       return | reject | issue
 *        GET  /api/v1/applications/{id}/receipt
 *        POST /api/v1/ra/certificates/{serial}/renew | revoke | report-loss
 *        POST /api/v1/persons/{nik}/warn
 *
 * Every change calls the same src/ra function as the CLI (cmd_people.c,
 * cmd_ra.c), so the rules of the regulations live in one place; this file
 * maps JSON to those calls, decides who may read what, and maps errors to
 * statuses.  Who acts is the token's RA actor (http_auth): a person's
 * token is that person with the roles they hold now, an admin token the
 * local administrator, an auditor token a reader.
 *
 * Reading: auditors, OP operators, the kepala-dinas and the administrator
 * read everything; an applicant reads their own applications and anyone
 * their own person record; agencies are readable by every RA actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esign/esign.h"
#include "gov/gov.h"
#include "http/http_int.h"

#define API_MAX_FILES   16 /* as ra_attach: at most 16 files at once */
#define PERSONS_PREFIX  "/api/v1/persons/"
#define AGENCIES_PREFIX "/api/v1/agencies/"
#define RA_CERTS_PREFIX "/api/v1/ra/certificates/"
#define APPS_PREFIX     "/api/v1/applications/"
#define API_MAX_NAMES   16 /* struct ra_apply_req: dns[16], ip[16] */

struct uploads {
	struct ra_file files[API_MAX_FILES];
	unsigned char *data[API_MAX_FILES];
	int n;
};

static int actor_check(struct http_req *r, struct http_resp *resp);
static int change_check(struct http_req *r, struct http_resp *resp);
static int sees_all(const struct ra_actor *a);
static json_t *body_or_empty(struct http_req *r, struct http_resp *resp);
static int get_str(const char **out, json_t *j, const char *key, struct http_resp *resp);
static int get_bool(int *out, json_t *j, const char *key, struct http_resp *resp);
static int get_list(char *out, size_t outsz, json_t *j, const char *key,
                    struct http_resp *resp);
static int uploads_parse(struct uploads *u, json_t *arr, struct http_resp *resp);
static void uploads_free(struct uploads *u);
static void error_ref(struct http_resp *resp, int rc);
static void created(struct http_resp *resp, json_t *j, const char *fmt, const char *id);
static void upstream_error(struct http_resp *resp, struct http_req *r, int rc);
static int app_full_json(json_t **out, struct store *st, const char *app_id);
static void person_warn(struct http_req *r, struct http_resp *resp, const char *nik,
                        json_t *j);
static void person_email(struct http_req *r, struct http_resp *resp, const char *nik,
                         const char *action, json_t *j);

/* ---- who acts, who reads ------------------------------------------------ */
/* Authenticates and requires an RA actor: an operator application token
 * is nobody in the RA (an OP operator acts as themselves, accountable by
 * NIK).  On failure resp is filled. */
static int
actor_check(struct http_req *r, struct http_resp *resp)
{
	if (http_auth(r, resp) < 0)
		return SERTEL_EAUTH;
	if (r->ra.roles == 0) {
		http_error(resp, 403, "forbidden",
		           "%s: an application token with role %s does not act in the "
		           "RA; use a person's token (sertel token create --nik)",
		           r->actor, r->role);
		return SERTEL_EPERM;
	}
	return 0;
}

int
api_ra_actor_check(struct http_req *r, struct http_resp *resp)
{
	return actor_check(r, resp);
}

/* An application token other than admin (auditor) only reads. */
static int
change_check(struct http_req *r, struct http_resp *resp)
{
	if (r->ra.nik[0] == '\0' && !(r->ra.roles & ROLE_ADMIN)) {
		http_error(resp, 403, "forbidden", "%s: a read-only token", r->actor);
		return SERTEL_EPERM;
	}
	return 0;
}

/* Auditors read everything; the Dinas (operators, kepala-dinas, admin)
 * works on everything (the rule is ra_sees_all). */
static int
sees_all(const struct ra_actor *a)
{
	return ra_sees_all(a);
}

/* ---- JSON in -------------------------------------------------------------- */
/* Actions without required fields take an empty body as {}. */
static json_t *
body_or_empty(struct http_req *r, struct http_resp *resp)
{
	if (r->body_len == 0)
		return json_object();
	return http_json_body(r, resp);
}

/* Absent or null: *out = NULL.  *out is borrowed from j. */
static int
get_str(const char **out, json_t *j, const char *key, struct http_resp *resp)
{
	json_t *v = json_object_get(j, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		http_error(resp, 400, "invalid_input", "%s: expected a string", key);
		return SERTEL_EINVAL;
	}
	*out = json_string_value(v);
	return 0;
}

/* Absent or null: 0. */
static int
get_bool(int *out, json_t *j, const char *key, struct http_resp *resp)
{
	json_t *v = json_object_get(j, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		http_error(resp, 400, "invalid_input", "%s: expected true or false", key);
		return SERTEL_EINVAL;
	}
	*out = json_is_true(v);
	return 0;
}

/* "a,b" or ["a", "b"] as "a,b" in out; absent: out[0] = 0. */
static int
get_list(char *out, size_t outsz, json_t *j, const char *key, struct http_resp *resp)
{
	json_t *v = json_object_get(j, key), *item;
	size_t i, len = 0, n;

	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		if (str_copy(out, outsz, json_string_value(v)) < 0)
			goto bad;
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		goto bad;
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item))
			goto bad;
		n = (size_t)snprintf(out + len, outsz - len, "%s%s", i ? "," : "",
		                     json_string_value(item));
		if (n >= outsz - len)
			goto bad;
		len += n;
	}
	return 0;
bad:
	out[0] = '\0';
	http_error(resp, 400, "invalid_input",
	           "%s: expected a string \"a,b\" or a non-empty array of strings", key);
	return SERTEL_EINVAL;
}

/* [{"kind", "filename", "data": base64}, ...] -> files whose kind and
 * filename are borrowed from arr and whose bytes u owns.  The content
 * checks are ra's (ra_apply, ra_attach). */
static int
uploads_parse(struct uploads *u, json_t *arr, struct http_resp *resp)
{
	static const char *const allowed[] = {"kind", "filename", "data"};
	const char *kind, *filename, *data;
	json_t *item, *v;
	size_t i, len;

	memset(u, 0, sizeof(*u));
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > API_MAX_FILES) {
		http_error(resp, 400, "invalid_input",
		           "attachments: expected an array of at most %d "
		           "{\"kind\", \"filename\", \"data\"} objects",
		           API_MAX_FILES);
		return SERTEL_EINVAL;
	}
	json_array_foreach(arr, i, item)
	{
		if (!json_is_object(item)) {
			http_error(resp, 400, "invalid_input",
			           "attachments[%zu]: expected an object", i);
			return SERTEL_EINVAL;
		}
		if (http_fields_check(item, allowed, 3, resp) < 0 ||
		    get_str(&kind, item, "kind", resp) < 0 ||
		    get_str(&filename, item, "filename", resp) < 0 ||
		    get_str(&data, item, "data", resp) < 0)
			return SERTEL_EINVAL;
		if (kind == NULL || filename == NULL || data == NULL) {
			http_error(
			    resp, 400, "invalid_input",
			    "attachments[%zu]: kind, filename and data are required", i);
			return SERTEL_EINVAL;
		}
		v = json_object_get(item, "data");
		if (b64_decode(&u->data[i], &len, data, json_string_length(v), 0) < 0) {
			http_error(resp, 400, "invalid_input",
			           "attachments[%zu] (%s): data is not valid base64", i,
			           kind);
			return SERTEL_EINVAL;
		}
		u->files[i].kind = kind;
		u->files[i].filename = filename;
		u->files[i].data = u->data[i];
		u->files[i].len = len;
		u->n = (int)i + 1;
	}
	return 0;
}

/* Scans of identity cards are personal data: wiped, not just freed. */
static void
uploads_free(struct uploads *u)
{
	int i;

	for (i = 0; i < API_MAX_FILES; i++) {
		if (u->data[i] != NULL) {
			secure_wipe(u->data[i], u->files[i].len);
			free(u->data[i]);
			u->data[i] = NULL;
		}
	}
	u->n = 0;
}

/* ---- JSON out --------------------------------------------------------------- */
/* Errors of a request naming other records in its body or query: a
 * missing one is bad input (400); 404 is for the resource in the URL. */
static void
error_ref(struct http_resp *resp, int rc)
{
	if (rc == SERTEL_ENOTFOUND)
		http_error(resp, 400, "invalid_input", "%s", sertel_errmsg());
	else
		http_error_rc(resp, rc);
}

/* 201 with j and the new resource's address. */
static void
created(struct http_resp *resp, json_t *j, const char *fmt, const char *id)
{
	snprintf(resp->extra_headers, sizeof(resp->extra_headers), fmt, id);
	http_json(resp, 201, j);
}

/* What is attached (never the bytes): kind, name, type, size, SHA-256. */
static int
attachment_one(const struct ra_attachment_info *i, void *arg)
{
	char at[32];

	time_fmt(at, i->created_at);
	return json_array_append_new(
	           arg, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "kind", i->kind,
	                          "filename", i->filename, "mime", i->mime, "size",
	                          (json_int_t)i->size, "sha256", i->sha256, "uploaded_by",
	                          i->uploaded_by, "uploaded_at", at)) == 0
	           ? 0
	           : SERTEL_ENOMEM;
}

static int
attachments_json(json_t **out, struct store *st, const char *app_id)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (arr == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = ra_attachment_iter(st, app_id, attachment_one, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* One application as it is now, with its attachments. */
static int
app_full_json(json_t **out, struct store *st, const char *app_id)
{
	struct ra_application a;
	json_t *j, *att = NULL;
	int rc;

	*out = NULL;
	if ((rc = ra_get(&a, st, app_id)) < 0 ||
	    (rc = attachments_json(&att, st, a.id)) < 0)
		return rc;
	if ((j = http_app_json(&a)) == NULL) {
		json_decref(att);
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	}
	json_object_set_new(j, "attachments", att);
	*out = j;
	return 0;
}

/* ---- agencies ------------------------------------------------------------------ */
static int
agency_one(const struct ra_agency *a, void *arg)
{
	return json_array_append_new(arg, http_agency_json(a)) == 0 ? 0 : SERTEL_ENOMEM;
}

/* GET: every RA actor.  POST {"name", "domain"}: as `sertel agency add`. */
int
api_ra_agencies(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"name", "domain"};
	struct ra_agency ag;
	const char *name, *domain;
	json_t *j = NULL, *arr;
	int rc;

	if (actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "POST") != 0) {
		if ((arr = json_array()) == NULL ||
		    (rc = ra_agency_iter(r->st, agency_one, arr)) < 0) {
			json_decref(arr);
			http_error_rc(resp, arr ? rc : SERTEL_ENOMEM);
			return 0;
		}
		http_json(resp, 200, arr);
		return 0;
	}
	if (change_check(r, resp) < 0 || (j = http_json_body(r, resp)) == NULL)
		return 0;
	if (http_fields_check(j, allowed, 2, resp) < 0 ||
	    get_str(&name, j, "name", resp) < 0 ||
	    get_str(&domain, j, "domain", resp) < 0)
		goto out;
	if (name == NULL || domain == NULL) {
		http_error(resp, 400, "invalid_input", "name and domain are required");
		goto out;
	}
	if ((rc = ra_agency_add(&ag, r->st, &r->ra, name, domain)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	http_json(resp, 201, http_agency_json(&ag));
out:
	json_decref(j);
	return 0;
}

/* GET /api/v1/agencies/{id}: every RA actor. */
int
api_ra_agency(struct http_req *r, struct http_resp *resp)
{
	const char *id = r->path + strlen(AGENCIES_PREFIX);
	struct ra_agency ag;
	int rc;

	if (!hex_id_valid(id, RA_ID_LEN)) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (actor_check(r, resp) < 0)
		return 0;
	if ((rc = ra_agency_get(&ag, r->st, id)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	http_json(resp, 200, http_agency_json(&ag));
	return 0;
}

/* ---- the subscriber agreement ------------------------------------------------------ */
static json_t *
agreement_json(const struct ra_agreement *ag, const char *text)
{
	char at[32];
	json_t *j = json_pack("{s:i, s:s, s:s}", "version", ag->version, "sha256",
	                      ag->sha256, "text", text);

	if (j != NULL && ag->created_at > 0) {
		time_fmt(at, ag->created_at);
		json_object_set_new(j, "created_at", json_string(at));
	} else if (j != NULL) {
		/* The built-in version 1, not stored until first used. */
		json_object_set_new(j, "created_at", json_null());
	}
	return j;
}

/* GET /api/v1/agreement[?version=N]: every RA actor reads the text they
 * accept at issuance.  POST {"text"}: a new version (admin or
 * kepala-dinas, as `sertel ra agreement --attach text=FILE`). */
int
api_ra_agreement(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"text"};
	struct ra_agreement ag;
	const char *vq, *text;
	char *stored = NULL, vbuf[16];
	long long version = 0;
	json_t *j = NULL;
	int rc;

	if (actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "POST") != 0) {
		vq = http_query(r, "version");
		if (vq != NULL && parse_ll(&version, vq, 1, 1000000) < 0) {
			http_error(resp, 400, "invalid_input",
			           "version: a number from 1");
			return 0;
		}
		if ((rc = ra_agreement_text(&stored, &ag, r->st, (int)version)) < 0) {
			http_error_rc(resp, rc);
			return 0;
		}
		http_json(resp, 200, agreement_json(&ag, stored));
		free(stored);
		return 0;
	}
	if (change_check(r, resp) < 0 || (j = http_json_body(r, resp)) == NULL)
		return 0;
	if (http_fields_check(j, allowed, 1, resp) < 0 ||
	    get_str(&text, j, "text", resp) < 0)
		goto out;
	if (text == NULL) {
		http_error(resp, 400, "invalid_input", "text is required");
		goto out;
	}
	if ((rc = ra_agreement_set(&ag, r->st, &r->ra, text)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	snprintf(vbuf, sizeof(vbuf), "%d", ag.version);
	created(resp, agreement_json(&ag, text),
	        "Location: /api/v1/agreement?version=%s\n", vbuf);
out:
	json_decref(j);
	return 0;
}

/* ---- persons -------------------------------------------------------------------- */
static int
person_one(const struct ra_person *p, void *arg)
{
	return json_array_append_new(arg, http_person_json(p)) == 0 ? 0 : SERTEL_ENOMEM;
}

/* A text field into a fixed buffer; too long is bad input. */
static int
copy_field(char *dst, size_t n, const char *v, const char *key, struct http_resp *resp)
{
	if (v == NULL)
		return 0;
	if (str_copy(dst, n, v) < 0) {
		http_error(resp, 400, "invalid_input", "%s: at most %zu characters", key,
		           n - 1);
		return SERTEL_EINVAL;
	}
	return 0;
}

/* POST /api/v1/persons: as `sertel person add`. */
static void
person_add(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {
	    "nik",    "nip",          "name",  "email",        "position",
	    "agency", "superior_nik", "roles", "kepala_daerah"};
	const char *nik, *nip, *name, *email, *position, *agency, *superior;
	char roles[256], nikbuf[17];
	struct ra_person p;
	struct ra_agency ag;
	json_t *j = NULL, *out;
	int rc;

	memset(&p, 0, sizeof(p));
	if (change_check(r, resp) < 0 || (j = http_json_body(r, resp)) == NULL)
		return;
	if (http_fields_check(j, allowed, sizeof(allowed) / sizeof(allowed[0]), resp) <
	        0 ||
	    get_str(&nik, j, "nik", resp) < 0 || get_str(&nip, j, "nip", resp) < 0 ||
	    get_str(&name, j, "name", resp) < 0 ||
	    get_str(&email, j, "email", resp) < 0 ||
	    get_str(&position, j, "position", resp) < 0 ||
	    get_str(&agency, j, "agency", resp) < 0 ||
	    get_str(&superior, j, "superior_nik", resp) < 0 ||
	    get_list(roles, sizeof(roles), j, "roles", resp) < 0 ||
	    get_bool(&p.kepala_daerah, j, "kepala_daerah", resp) < 0)
		goto out;
	if (nik == NULL || name == NULL || email == NULL || agency == NULL || !roles[0]) {
		http_error(resp, 400, "invalid_input",
		           "nik, name, email, agency and roles are required");
		goto out;
	}
	if (copy_field(p.nik, sizeof(p.nik), nik, "nik", resp) < 0 ||
	    copy_field(p.nip, sizeof(p.nip), nip, "nip", resp) < 0 ||
	    copy_field(p.name, sizeof(p.name), name, "name", resp) < 0 ||
	    copy_field(p.email, sizeof(p.email), email, "email", resp) < 0 ||
	    copy_field(p.position, sizeof(p.position), position, "position", resp) < 0 ||
	    copy_field(p.superior_nik, sizeof(p.superior_nik), superior, "superior_nik",
	               resp) < 0)
		goto out;
	if ((rc = ra_roles_parse(&p.roles, roles)) < 0 ||
	    (rc = ra_agency_get(&ag, r->st, agency)) < 0 ||
	    (rc = str_copy(p.agency_id, sizeof(p.agency_id), ag.id)) < 0 ||
	    (rc = ra_person_add(r->st, &r->ra, &p)) < 0) {
		error_ref(resp, rc);
		goto out;
	}
	/* As stored (ra_person_get clears its output first: not from p). */
	str_copy(nikbuf, sizeof(nikbuf), p.nik);
	if ((rc = ra_person_get(&p, r->st, nikbuf)) < 0 ||
	    (out = http_person_json(&p)) == NULL) {
		http_error_rc(resp, rc < 0 ? rc : SERTEL_ENOMEM);
		goto out;
	}
	created(resp, out, "Location: /api/v1/persons/%s\n", p.nik);
out:
	json_decref(j);
}

/* GET [?agency=]: readers of everything.  POST: as `sertel person add`. */
int
api_ra_persons(struct http_req *r, struct http_resp *resp)
{
	const char *agency;
	struct ra_agency ag;
	json_t *arr = NULL;
	int rc;

	if (actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "POST") == 0) {
		person_add(r, resp);
		return 0;
	}
	if (!sees_all(&r->ra)) {
		http_error(resp, 403, "forbidden",
		           "%s: may read only their own record "
		           "(GET /api/v1/persons/{nik})",
		           r->ra.label);
		return 0;
	}
	agency = http_query(r, "agency");
	if (agency != NULL && (rc = ra_agency_get(&ag, r->st, agency)) < 0) {
		error_ref(resp, rc);
		return 0;
	}
	if ((arr = json_array()) == NULL ||
	    (rc = ra_person_iter(r->st, agency ? ag.id : NULL, person_one, arr)) < 0) {
		json_decref(arr);
		http_error_rc(resp, arr ? rc : SERTEL_ENOMEM);
		return 0;
	}
	http_json(resp, 200, arr);
	return 0;
}

/* "/api/v1/persons/NIK[/ACTION]": the NIK (16 digits) and the action ("" for
 * none).  SERTEL_ENOTFOUND for anything else. */
static int
person_path(char nik[17], const char **action, const char *path)
{
	const char *p = path + strlen(PERSONS_PREFIX), *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : strlen(p);

	if (n != 16 || strspn(p, "0123456789") < 16 || (slash && slash[1] == '\0'))
		return SERTEL_ENOTFOUND;
	memcpy(nik, p, 16);
	nik[16] = '\0';
	*action = slash ? slash + 1 : "";
	return 0;
}

/* POST /api/v1/persons/NIK/signature-image {"image": base64 PNG/JPEG | null}
 * (issue 11): the scanned signature the box template shows, as `sertel
 * person signature-image`; null removes it.  ra_sigimg_set decides who may. */
static void
person_sigimg(struct http_req *r, struct http_resp *resp, const char *nik, json_t *j)
{
	static const char *const allowed[] = {"image"};
	const char *b64 = NULL;
	unsigned char *img = NULL;
	size_t len = 0;
	int rc;

	if (http_fields_check(j, allowed, 1, resp) < 0 ||
	    get_str(&b64, j, "image", resp) < 0)
		return;
	if (b64 != NULL && strlen(b64) > (RA_SIGIMG_MAX / 3 + 1) * 4) {
		http_error(resp, 413, "too_large", "image: at most %d bytes",
		           RA_SIGIMG_MAX);
		return;
	}
	if (b64 != NULL && b64_decode(&img, &len, b64, strlen(b64), 0) < 0) {
		http_error(resp, 400, "invalid_input", "image: not base64");
		return;
	}
	if ((rc = ra_sigimg_set(r->st, &r->ra, nik, img, len)) < 0)
		http_error_rc(resp, rc);
	else
		http_json(resp, 200,
		          json_pack("{s:s, s:s}", "nik", nik, "signature_image",
		                    img != NULL ? "set" : "removed"));
	free(img);
}

/* POST /api/v1/persons/{nik}/warn {"reason", "serial"?}: a written warning
 * (Palembang 16), as `sertel ra warn`; at [sanction] warnings (default 3)
 * every valid certificate of the person gets a revocation proposal. */
static void
person_warn(struct http_req *r, struct http_resp *resp, const char *nik, json_t *j)
{
	static const char *const allowed[] = {"reason", "serial"};
	const char *reason, *serial;
	int rc, warnings = 0, proposals = 0;

	if (http_fields_check(j, allowed, 2, resp) < 0 ||
	    get_str(&reason, j, "reason", resp) < 0 ||
	    get_str(&serial, j, "serial", resp) < 0)
		return;
	if ((rc = ra_warn(r->st, &r->ra, nik, serial, reason,
	                  r->ctx->policy.sanction_warnings, &warnings, &proposals)) < 0) {
		http_error_rc(resp, rc);
		return;
	}
	http_json(resp, 200,
	          json_pack("{s:s, s:i, s:i}", "nik", nik, "warnings", warnings,
	                    "revocation_proposals", proposals));
}

/* POST /api/v1/persons/{nik}/email-verify {"email"}: mails a code to an
 * address at the person's agency domain (the person or the Dinas asks;
 * 202).  POST .../email-confirm {"email", "code"}: the person confirms
 * (200).  As `sertel ra email-verify`; the rules are ra's (email.c). */
static void
person_email(struct http_req *r, struct http_resp *resp, const char *nik,
             const char *action, json_t *j)
{
	static const char *const f_verify[] = {"email"}, *const f_confirm[] = {"email",
	                                                                       "code"};
	int confirm = strcmp(action, "email-confirm") == 0;
	const char *email, *code = NULL;
	int64_t expires = 0;
	char at[32];
	int rc;

	if (http_fields_check(j, confirm ? f_confirm : f_verify, confirm ? 2 : 1, resp) <
	        0 ||
	    get_str(&email, j, "email", resp) < 0 ||
	    (confirm && get_str(&code, j, "code", resp) < 0))
		return;
	if (email == NULL || (confirm && code == NULL)) {
		http_error(resp, 400, "invalid_input",
		           confirm ? "email and code are required" : "email is required");
		return;
	}
	rc = confirm ? ra_email_verify_confirm(r->st, &r->ra, nik, email, code)
	             : ra_email_verify_request(&expires, r->st, &r->ra, nik, email);
	if (rc < 0) {
		http_error_rc(resp, rc);
		return;
	}
	if (confirm) {
		http_json(resp, 200,
		          json_pack("{s:s, s:s, s:b}", "nik", nik, "email", email,
		                    "verified", 1));
		return;
	}
	time_fmt(at, expires);
	http_json(
	    resp, 202,
	    json_pack("{s:s, s:s, s:s}", "nik", nik, "email", email, "expires_at", at));
}

/* GET /api/v1/persons/{nik}: readers of everything, and the person.
 * POST /api/v1/persons/{nik}/appoint {"role"}: as `sertel person appoint`. */
int
api_ra_person(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"role"};
	struct ra_person p;
	const char *action, *role;
	char nik[17];
	unsigned bits;
	json_t *j = NULL, *out;
	int rc, get = strcmp(r->method, "POST") != 0;

	if (person_path(nik, &action, r->path) < 0 ||
	    (strcmp(action, "") != 0 && strcmp(action, "appoint") != 0 &&
	     strcmp(action, "warn") != 0 && strcmp(action, "email-verify") != 0 &&
	     strcmp(action, "email-confirm") != 0 &&
	     strcmp(action, "signature-image") != 0)) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (get != (action[0] == '\0')) {
		http_error(resp, 405, "method_not_allowed", "%s not allowed on %s",
		           r->method, r->path);
		return 0;
	}
	if (actor_check(r, resp) < 0)
		return 0;
	if (get) {
		if (!sees_all(&r->ra) && strcmp(r->ra.nik, nik) != 0) {
			http_error(resp, 403, "forbidden",
			           "%s: may read only their own record", r->ra.label);
			return 0;
		}
		if ((rc = ra_person_get(&p, r->st, nik)) < 0) {
			http_error_rc(resp, rc);
			return 0;
		}
		http_json(resp, 200, http_person_json(&p));
		return 0;
	}
	if (change_check(r, resp) < 0 || (j = http_json_body(r, resp)) == NULL)
		return 0;
	if (strcmp(action, "warn") == 0) {
		person_warn(r, resp, nik, j);
		goto out;
	}
	if (strncmp(action, "email-", 6) == 0) {
		person_email(r, resp, nik, action, j);
		goto out;
	}
	if (strcmp(action, "signature-image") == 0) {
		person_sigimg(r, resp, nik, j);
		goto out;
	}
	if (http_fields_check(j, allowed, 1, resp) < 0 ||
	    get_str(&role, j, "role", resp) < 0)
		goto out;
	if (role == NULL) {
		http_error(resp, 400, "invalid_input",
		           "role: operator-op, kepala-dinas or auditor");
		goto out;
	}
	if ((rc = ra_roles_parse(&bits, role)) < 0 ||
	    (rc = ra_person_appoint(r->st, &r->ra, nik, bits)) < 0 ||
	    (rc = ra_person_get(&p, r->st, nik)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	if ((out = http_person_json(&p)) == NULL) {
		http_error_rc(resp, SERTEL_ENOMEM);
		goto out;
	}
	http_json(resp, 200, out);
out:
	json_decref(j);
	return 0;
}

/* ---- the RA's certificate actions ------------------------------------------------ */
static const struct ra_file *
file_kind(const struct uploads *u, const char *kind)
{
	int i;

	for (i = 0; i < u->n; i++)
		if (strcmp(u->files[i].kind, kind) == 0)
			return &u->files[i];
	return NULL;
}

/* "/api/v1/ra/certificates/SERIAL/ACTION": the serial (lowercase hex) and
 * the action.  SERTEL_ENOTFOUND for anything else. */
static int
ra_cert_path(char serial[SERIAL_HEX_MAX + 1], const char **action, const char *path)
{
	const char *p = path + strlen(RA_CERTS_PREFIX), *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : 0;

	if (slash == NULL || n > SERIAL_HEX_MAX || !hex_lower_run(p, n))
		return SERTEL_ENOTFOUND;
	memcpy(serial, p, n);
	serial[n] = '\0';
	*action = slash + 1;
	if (strcmp(*action, "renew") != 0 && strcmp(*action, "revoke") != 0 &&
	    strcmp(*action, "report-loss") != 0)
		return SERTEL_ENOTFOUND;
	return 0;
}

/* POST /api/v1/ra/certificates/{serial}/renew | revoke | report-loss: as
 * `sertel ra renew | revoke | report-loss`; ra decides who may (the owner,
 * the head of the owner's agency, the OP by cause).  Revocations go
 * through the issuer connector (the built-in CA or the upstream). */
int
api_ra_certificate(struct http_req *r, struct http_resp *resp)
{
	static const char *const f_revoke[] = {"cause", "note"}, *const f_loss[] = {
	                                                             "acknowledged_by",
	                                                             "attachments",
	                                                             "note"};
	char serial[SERIAL_HEX_MAX + 1], key[32];
	struct ra_application app;
	struct cert_rec rec;
	struct uploads up;
	const char *action, *cause, *note, *ack;
	json_t *j = NULL, *out = NULL;
	int rc, needed = 1;

	memset(&up, 0, sizeof(up));
	memset(&rec, 0, sizeof(rec));
	if (ra_cert_path(serial, &action, r->path) < 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (actor_check(r, resp) < 0 || change_check(r, resp) < 0)
		return 0;
	if ((j = strcmp(action, "renew") == 0 ? body_or_empty(r, resp)
	                                      : http_json_body(r, resp)) == NULL)
		return 0;
	if (strcmp(action, "renew") == 0) {
		if (http_fields_check(j, NULL, 0, resp) < 0)
			goto out;
		if ((rc = store_cert_get(r->st, serial, &rec)) < 0) {
			http_error_rc(resp, rc);
			goto out;
		}
		snprintf(key, sizeof(key), "%s", rec.type);
		if ((rc = ra_approval_rule(&needed, NULL, r->st, r->ctx->in->cfg, key)) <
		        0 ||
		    (rc = ra_renew(&app, r->st, &r->ra, serial, needed)) < 0 ||
		    (rc = app_full_json(&out, r->st, app.id)) < 0) {
			http_error_rc(resp, rc);
			goto out;
		}
		created(resp, out, "Location: /api/v1/applications/%s\n", app.id);
		goto out;
	}
	if (strcmp(action, "revoke") == 0) {
		if (http_fields_check(j, f_revoke, 2, resp) < 0 ||
		    get_str(&cause, j, "cause", resp) < 0 ||
		    get_str(&note, j, "note", resp) < 0)
			goto out;
		if (cause == NULL) {
			http_error(resp, 400, "invalid_input", "cause is required");
			goto out;
		}
		rc = ra_revoke(r->st, &r->ra, r->ctx->issuer, serial, cause, note);
	} else {
		if (http_fields_check(j, f_loss, 3, resp) < 0 ||
		    get_str(&ack, j, "acknowledged_by", resp) < 0 ||
		    get_str(&note, j, "note", resp) < 0 ||
		    uploads_parse(&up, json_object_get(j, "attachments"), resp) < 0)
			goto out;
		/* The loss report opens its security incident (Cirebon 24). */
		rc = gov_report_loss(r->st, r->ctx->in->cfg, &r->ra, r->ctx->issuer,
		                     serial, ack, file_kind(&up, "pernyataan"),
		                     file_kind(&up, "laporan-polisi"), note, NULL);
	}
	if (rc < 0 || (rc = store_cert_get(r->st, serial, &rec)) < 0) {
		upstream_error(resp, r, rc);
		goto out;
	}
	http_json(resp, 200, http_cert_json(&rec, 0));
out:
	cert_rec_free(&rec);
	uploads_free(&up);
	json_decref(j);
	return 0;
}

/* ---- applications ------------------------------------------------------------ */
static int
app_one(const struct ra_application *a, void *arg)
{
	return json_array_append_new(arg, http_app_json(a)) == 0 ? 0 : SERTEL_ENOMEM;
}

/* GET /api/v1/applications[?state=S][&applicant=NIK]: readers of
 * everything see all; an applicant sees their own. */
static void
app_list(struct http_req *r, struct http_resp *resp)
{
	const char *state = http_query(r, "state"),
	           *applicant = http_query(r, "applicant");
	enum ra_state sf;
	json_t *arr = NULL;
	int rc;

	if (!sees_all(&r->ra)) {
		if (!(r->ra.roles & ROLE_PEMOHON) || r->ra.nik[0] == '\0' ||
		    (applicant != NULL && strcmp(applicant, r->ra.nik) != 0)) {
			http_error(resp, 403, "forbidden",
			           "%s: an applicant reads only their own applications",
			           r->ra.label);
			return;
		}
		applicant = r->ra.nik;
	}
	if (state != NULL && (rc = ra_state_parse(&sf, state)) < 0) {
		http_error_rc(resp, rc);
		return;
	}
	if ((arr = json_array()) == NULL ||
	    (rc = ra_iter(r->st, state ? (int)sf : -1, applicant, app_one, arr)) < 0) {
		json_decref(arr);
		http_error_rc(resp, arr ? rc : SERTEL_ENOMEM);
		return;
	}
	http_json(resp, 200, arr);
}

/* POST /api/v1/applications: as `sertel ra apply`, attachments included,
 * all in one transaction. */
static void
app_create(struct http_req *r, struct http_resp *resp)
{
	static const char *const allowed[] = {"applicant_nik",
	                                      "type",
	                                      "usages",
	                                      "cn",
	                                      "email",
	                                      "title",
	                                      "dns",
	                                      "ip",
	                                      "system_name",
	                                      "system_details",
	                                      "self_issued_letters",
	                                      "attachments"};
	struct ra_apply_req rq;
	struct ra_application app;
	struct uploads up;
	char usages[128];
	json_t *j = NULL, *out = NULL;
	int rc, approvals;

	memset(&rq, 0, sizeof(rq));
	memset(&up, 0, sizeof(up));
	if (change_check(r, resp) < 0 || (j = http_json_body(r, resp)) == NULL)
		return;
	if (http_fields_check(j, allowed, sizeof(allowed) / sizeof(allowed[0]), resp) <
	        0 ||
	    get_str(&rq.applicant_nik, j, "applicant_nik", resp) < 0 ||
	    get_str(&rq.type, j, "type", resp) < 0 ||
	    get_list(usages, sizeof(usages), j, "usages", resp) < 0 ||
	    get_str(&rq.cn, j, "cn", resp) < 0 ||
	    get_str(&rq.email, j, "email", resp) < 0 ||
	    get_str(&rq.title, j, "title", resp) < 0 ||
	    http_json_names(rq.dns, &rq.ndns, API_MAX_NAMES, j, "dns", resp) < 0 ||
	    http_json_names(rq.ip, &rq.nip, API_MAX_NAMES, j, "ip", resp) < 0 ||
	    get_str(&rq.system_name, j, "system_name", resp) < 0 ||
	    get_str(&rq.system_details, j, "system_details", resp) < 0 ||
	    get_bool(&rq.self_issued_letters, j, "self_issued_letters", resp) < 0)
		goto out;
	if (rq.type == NULL || !usages[0]) {
		http_error(resp, 400, "invalid_input", "type and usages are required");
		goto out;
	}
	if (uploads_parse(&up, json_object_get(j, "attachments"), resp) < 0)
		goto out;
	rq.usages = usages;
	rq.files = up.files;
	rq.nfiles = up.n;
	/* N-of-M per type, as the CLI: the Kepala Dinas's rule, else
	 * [approval] TYPE, default 1. */
	if ((rc = ra_approval_rule(&approvals, NULL, r->st, r->ctx->in->cfg, rq.type)) <
	        0 ||
	    (rc = ra_apply(&app, r->st, &r->ra, &rq, approvals)) < 0) {
		error_ref(resp, rc);
		goto out;
	}
	if ((rc = app_full_json(&out, r->st, app.id)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	created(resp, out, "Location: /api/v1/applications/%s\n", app.id);
out:
	uploads_free(&up);
	json_decref(j);
}

int
api_ra_applications(struct http_req *r, struct http_resp *resp)
{
	if (actor_check(r, resp) < 0)
		return 0;
	if (strcmp(r->method, "POST") == 0)
		app_create(r, resp);
	else
		app_list(r, resp);
	return 0;
}

/* Errors of an operation that may have gone to the upstream issuer: a
 * transport failure there is 502 with what went wrong (unreachable, TLS
 * not trusted), not an internal error of ours. */
static void
upstream_error(struct http_resp *resp, struct http_req *r, int rc)
{
	if (rc == SERTEL_EIO && strcmp(issuer_mode(r->ctx->issuer), "upstream") == 0)
		http_error(resp, 502, "upstream", "%s", sertel_errmsg());
	else
		http_error_rc(resp, rc);
}

/* POST .../issue: the applicant, in person (ra_issue refuses anyone
 * else), accepts the agreement and brings a CSR or has a key generated
 * and sealed under their passphrase.  The passphrase is wiped from the
 * parsed request and never logged. */
static void
app_issue(struct http_req *r, struct http_resp *resp, const char *app_id, json_t *j)
{
	static const char *const allowed[] = {"accept_agreement", "csr", "generate_key",
	                                      "passphrase"};
	struct ra_issue_req rq;
	struct ra_issued info;
	struct cert_rec rec;
	const char *csr, *pass;
	char *chain[2] = {NULL, NULL};
	json_t *out, *pv;
	int rc, generate;

	memset(&rq, 0, sizeof(rq));
	memset(&rec, 0, sizeof(rec));
	if (http_fields_check(j, allowed, sizeof(allowed) / sizeof(allowed[0]), resp) <
	        0 ||
	    get_bool(&rq.accept_agreement, j, "accept_agreement", resp) < 0 ||
	    get_str(&csr, j, "csr", resp) < 0 ||
	    get_bool(&generate, j, "generate_key", resp) < 0 ||
	    get_str(&pass, j, "passphrase", resp) < 0)
		return;
	/* The CLI's usage rules for ra issue. */
	if (csr != NULL && generate) {
		http_error(resp, 400, "invalid_input", "csr or generate_key, not both");
		return;
	}
	if (csr == NULL && !generate) {
		http_error(
		    resp, 400, "invalid_input",
		    "csr (made on your own device) or generate_key with a passphrase");
		return;
	}
	if (generate != (pass != NULL)) {
		http_error(resp, 400, "invalid_input",
		           generate ? "generate_key needs a passphrase"
		                    : "passphrase: only with generate_key");
		return;
	}
	if (csr != NULL && strlen(csr) > SERTEL_MAX_CSR) {
		http_error(resp, 413, "too_large", "csr: more than %d bytes",
		           SERTEL_MAX_CSR);
		return;
	}
	pv = json_object_get(j, "passphrase");
	rq.app_id = app_id;
	rq.csr = (const unsigned char *)csr;
	rq.csr_len = csr ? strlen(csr) : 0;
	rq.passphrase = pass;
	rq.passlen = pass ? json_string_length(pv) : 0;
	rq.pass_min_len = r->ctx->policy.pass_min_len;
	rq.algo = r->ctx->policy.algo;
	rc = ra_issue(&rec, &info, r->st, &r->ra, r->ctx->issuer, &rq);
	if (pass != NULL)
		secure_wipe((char *)pass, rq.passlen);
	if (rc < 0) {
		upstream_error(resp, r, rc);
		goto out;
	}
	if ((out = http_cert_json(&rec, 1)) == NULL) {
		http_error(resp, 500, "internal", "certificate %s issued; out of memory",
		           rec.serial);
		goto out;
	}
	/* The chain of the issuer that signed it: ours, or the upstream's. */
	if (issuer_chain_pem(chain, r->st, rec.issuer_id) == 0)
		json_object_set_new(out, "chain",
		                    json_pack("[s, s]", chain[0], chain[1]));
	json_object_set_new(out, "application_id", json_string(info.app_id));
	json_object_set_new(out, "agreement_version",
	                    json_integer(info.agreement.version));
	json_object_set_new(out, "agreement_sha256", json_string(info.agreement.sha256));
	json_object_set_new(out, "key_generated", json_boolean(info.generated));
	http_json(resp, 201, out);
out:
	free(chain[0]);
	free(chain[1]);
	cert_rec_free(&rec);
}

/* "/api/v1/applications/ID[/ACTION]": ID is RA_ID_LEN lowercase hex. */
static int
app_path(char id[RA_ID_LEN + 1], const char **action, const char *path)
{
	const char *p = path + strlen(APPS_PREFIX), *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : strlen(p);

	if (n != RA_ID_LEN || !hex_lower_run(p, n) || (slash && slash[1] == '\0'))
		return SERTEL_ENOTFOUND;
	memcpy(id, p, RA_ID_LEN);
	id[RA_ID_LEN] = '\0';
	*action = slash ? slash + 1 : "";
	return 0;
}

static const char *const app_actions[] = {"attachments", "submit", "approve", "return",
                                          "reject",      "issue",  "receipt"};

int
api_ra_upload_path(const char *method, const char *path)
{
	const char *action;
	char id[RA_ID_LEN + 1];

	if (strcmp(method, "POST") != 0)
		return 0;
	if (strcmp(path, "/api/v1/applications") == 0)
		return 1;
	/* A loss report carries the statement and the police report. */
	if (strncmp(path, RA_CERTS_PREFIX, strlen(RA_CERTS_PREFIX)) == 0) {
		char serial[SERIAL_HEX_MAX + 1];
		return ra_cert_path(serial, &action, path) == 0 &&
		       strcmp(action, "report-loss") == 0;
	}
	return strncmp(path, APPS_PREFIX, strlen(APPS_PREFIX)) == 0 &&
	       app_path(id, &action, path) == 0 && strcmp(action, "attachments") == 0;
}

/* GET /api/v1/applications/{id}; POST /api/v1/applications/{id}/ACTION. */
int
api_ra_application(struct http_req *r, struct http_resp *resp)
{
	static const char *const f_attach[] = {"attachments"},
	                         *const f_approve[] = {"note", "reviewed"},
	                         *const f_reason[] = {"reason"};
	char reviewed[1024];
	struct ra_application a;
	struct uploads up;
	const char *action, *text = NULL;
	char id[RA_ID_LEN + 1];
	json_t *j = NULL, *out = NULL;
	size_t k;
	int rc = 0, get = strcmp(r->method, "POST") != 0;
	unsigned char *pdf = NULL;
	size_t pdflen = 0;

	memset(&up, 0, sizeof(up));
	if (app_path(id, &action, r->path) < 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	for (k = 0; action[0] && k < sizeof(app_actions) / sizeof(app_actions[0]); k++)
		if (strcmp(action, app_actions[k]) == 0)
			break;
	if (k == sizeof(app_actions) / sizeof(app_actions[0])) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	if (get != (action[0] == '\0' || strcmp(action, "receipt") == 0)) {
		http_error(resp, 405, "method_not_allowed", "%s not allowed on %s",
		           r->method, r->path);
		return 0;
	}
	if (actor_check(r, resp) < 0)
		return 0;
	if (get && action[0] != '\0') {
		/* GET .../receipt: the receipt PDF of an issued application
		 * (ra_receipt_pdf decides who may read it). */
		if ((rc = esign_receipt_pdf(
		         &pdf, &pdflen, NULL, r->st, &r->ra, id, r->ctx->in->pc.org,
		         &r->ctx->in->tz,
		         esign_base_url(r->ctx->in->cfg, r->ctx->in->pc.base_url),
		         ESIGN_RECEIPT_UNSIGNED)) < 0) {
			http_error_rc(resp, rc);
			return 0;
		}
		resp->status = 200;
		resp->ctype = "application/pdf";
		resp->body = pdf;
		resp->len = pdflen;
		snprintf(
		    resp->extra_headers, sizeof(resp->extra_headers),
		    "Content-Disposition: attachment; filename=\"tanda-terima-%s.pdf\"\n",
		    id);
		return 0;
	}
	if (get) {
		if ((rc = ra_get(&a, r->st, id)) < 0) {
			http_error_rc(resp, rc);
			return 0;
		}
		if (!sees_all(&r->ra) && strcmp(a.applicant_nik, r->ra.nik) != 0) {
			http_error(resp, 403, "forbidden", "%s: not the applicant of %s",
			           r->ra.label, id);
			return 0;
		}
		if ((rc = app_full_json(&out, r->st, id)) < 0)
			http_error_rc(resp, rc);
		else
			http_json(resp, 200, out);
		return 0;
	}
	if (change_check(r, resp) < 0)
		return 0;
	j = strcmp(action, "attachments") == 0 || strcmp(action, "issue") == 0
	        ? http_json_body(r, resp)
	        : body_or_empty(r, resp);
	if (j == NULL)
		return 0;
	if (strcmp(action, "issue") == 0) {
		app_issue(r, resp, id, j);
		goto out;
	}
	if (strcmp(action, "attachments") == 0) {
		if (http_fields_check(j, f_attach, 1, resp) < 0 ||
		    uploads_parse(&up, json_object_get(j, "attachments"), resp) < 0)
			goto out;
		rc = ra_attach(r->st, &r->ra, id, up.files, up.n);
	} else if (strcmp(action, "submit") == 0) {
		if (http_fields_check(j, NULL, 0, resp) < 0)
			goto out;
		rc = ra_submit(r->st, &r->ra, id);
	} else if (strcmp(action, "approve") == 0) {
		/* reviewed: the needs_review items the operator checked. */
		if (http_fields_check(j, f_approve, 2, resp) < 0 ||
		    get_str(&text, j, "note", resp) < 0 ||
		    get_list(reviewed, sizeof(reviewed), j, "reviewed", resp) < 0)
			goto out;
		rc = ra_approve(r->st, &r->ra, id, text, reviewed[0] ? reviewed : NULL,
		                NULL);
	} else {
		/* Cirebon 11(2): ra refuses a return or rejection without reasons. */
		if (http_fields_check(j, f_reason, 1, resp) < 0 ||
		    get_str(&text, j, "reason", resp) < 0)
			goto out;
		rc = action[2] == 't' ? ra_return(r->st, &r->ra, id, text)
		                      : ra_reject(r->st, &r->ra, id, text);
	}
	if (rc < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	if ((rc = app_full_json(&out, r->st, id)) < 0)
		http_error_rc(resp, rc);
	else
		http_json(resp, 200, out);
out:
	uploads_free(&up);
	json_decref(j);
	return 0;
}
