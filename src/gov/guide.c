/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Published guidance (Cirebon 3(1)h-i, 19): the OP's SOP, the owner's
 * rights and duties, and the complaint procedure are documents the Kepala
 * Dinas publishes.  Each publication is a new version with the SHA-256 of
 * its text; a version is never edited in place, so what an applicant was
 * shown on a day can always be shown again.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "gov/gov.h"
#include "mail/mail.h"

static const char *const kinds[] = {"sop", "hak-kewajiban", "pengaduan"};

int
gov_guide_kind_valid(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

void
gov_guide_free(struct gov_guide *g)
{
	if (g != NULL) {
		free(g->body);
		g->body = NULL;
	}
}

static int
kind_check(const char *kind)
{
	if (gov_guide_kind_valid(kind))
		return 0;
	return sertel_err(SERTEL_EINVAL,
	                  "guidance '%s': expected sop, hak-kewajiban or pengaduan",
	                  kind ? kind : "");
}

struct publish {
	struct gov_guide *g;
	const struct ra_actor *who;
	const char *reason;
};

static int
publish_fn(struct store *st, void *arg)
{
	struct publish *w = arg;
	struct gov_guide *g = w->g;
	char have[24], obj[48], detail[700];
	long long v = 0;
	int rc;

	/* The next version, read in the transaction; two publishing at once
	 * collide on the primary key and the second is refused. */
	if ((rc = db_get_text(store_db(st), have, sizeof(have),
	                      "SELECT COALESCE(MAX(version), 0) FROM gov_publications "
	                      "WHERE kind = ?",
	                      g->kind)) < 0)
		return rc;
	if (parse_ll(&v, have, 0, 1000000) < 0)
		return sertel_err(SERTEL_ESTORE, "guidance %s: version", g->kind);
	g->version = (int)v + 1;
	if ((rc = (int)db_run(
	         store_db(st),
	         "INSERT INTO gov_publications (kind, version, title, body, "
	         "sha256, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, "
	         "?)",
	         "sissssi", g->kind, (int64_t)g->version, g->title, g->body, g->sha256,
	         g->published_by, g->published_at)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "guide:%s:%d", g->kind, g->version);
	snprintf(detail, sizeof(detail), "sha256 %s%s%.500s", g->sha256,
	         w->reason && *w->reason ? ": " : "", w->reason ? w->reason : "");
	return audit_append(st, w->who->label, "gov.guide.publish", obj, detail);
}

int
gov_guide_publish(struct gov_guide *out, struct store *st, const struct ra_actor *who,
                  const char *kind, const char *title, const char *body,
                  const char *reason)
{
	struct publish w = {out, who, reason};
	int rc;

	memset(out, 0, sizeof(*out));
	if (reason != NULL && *reason == '\0')
		w.reason = reason = NULL;
	/* Cirebon 3(1)h-i, 19: the Dinas's documents, set by its head. */
	if (!(who->roles & (ROLE_KEPALA_DINAS | ROLE_ADMIN)))
		return sertel_err(
		    SERTEL_EPERM,
		    "%s: the Kepala Dinas publishes the SOP and the owner's "
		    "guidance (Cirebon 3(1)h-i, 19)",
		    who->label);
	if ((rc = kind_check(kind)) < 0)
		return rc;
	if (title == NULL || *title == '\0')
		return sertel_err(SERTEL_EINVAL, "title: required");
	if (body == NULL || *body == '\0')
		return sertel_err(SERTEL_EINVAL, "text: required");
	if (strlen(body) > GOV_GUIDE_BODY_MAX)
		return sertel_err(SERTEL_ETOOBIG, "text: at most %d bytes",
		                  GOV_GUIDE_BODY_MAX);
	if ((rc = name_check_text("title", title, GOV_GUIDE_TITLE_MAX)) < 0 ||
	    (rc = mail_text_check(body, 1, "text")) < 0 ||
	    (reason != NULL && (rc = name_check_text("reason", reason, 500)) < 0))
		return rc;
	str_copy(out->kind, sizeof(out->kind), kind);
	str_copy(out->title, sizeof(out->title), title);
	str_copy(out->published_by, sizeof(out->published_by), who->label);
	sha256_hex(out->sha256, body, strlen(body));
	out->published_at = time_now();
	if ((out->body = strdup(body)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = store_atomic(st, publish_fn, &w)) < 0)
		gov_guide_free(out);
	return rc;
}

#define GUIDE_COLS "kind, version, title, sha256, published_by, published_at"

static void
guide_row(struct gov_guide *g, struct db_stmt *s)
{
	memset(g, 0, sizeof(*g));
	str_copy(g->kind, sizeof(g->kind), db_col_text(s, 0));
	g->version = (int)db_col_int(s, 1);
	str_copy(g->title, sizeof(g->title), db_col_text(s, 2));
	str_copy(g->sha256, sizeof(g->sha256), db_col_text(s, 3));
	str_copy(g->published_by, sizeof(g->published_by), db_col_text(s, 4));
	g->published_at = db_col_int(s, 5);
}

int
gov_guide_get(struct gov_guide *out, struct store *st, const char *kind, int version)
{
	struct db_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kind_check(kind)) < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     version > 0
	                         ? "SELECT " GUIDE_COLS ", body FROM gov_publications "
	                           "WHERE kind = ? AND version = ?"
	                         : "SELECT " GUIDE_COLS ", body FROM gov_publications "
	                           "WHERE kind = ? ORDER BY version DESC LIMIT 1")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, kind)) == 0 && version > 0)
		rc = db_bind_int(s, 2, version);
	if (rc == 0 && (rc = db_step(s)) == 1) {
		guide_row(out, s);
		if ((out->body = strdup(db_col_text(s, 6))) == NULL)
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sertel_err(SERTEL_ENOTFOUND, "guidance %s%s: not published", kind,
		                  version > 0 ? " (that version)" : "");
	return 0;
}

int
gov_guide_versions(struct store *st, const char *kind, gov_guide_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct gov_guide g;
	int rc;

	if ((rc = kind_check(kind)) < 0)
		return rc;
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " GUIDE_COLS " FROM gov_publications WHERE kind = ? "
	                     "ORDER BY version DESC LIMIT 1000")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, kind)) < 0)
		goto out;
	while ((rc = db_step(s)) == 1) {
		guide_row(&g, s);
		if ((rc = cb(&g, arg)) != 0)
			break;
	}
out:
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The end of the line at p (its '\n' or the terminating NUL). */
static const char *
line_end(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl : p + strlen(p);
}

static int
blank_line(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

int
gov_guide_blocks(const char *body, gov_guide_block_fn cb, void *arg)
{
	const char *p = body, *end, *start = NULL, *stop = NULL;
	int rc;

	/* A paragraph runs until a blank line or a list item; an item is its
	 * one line ("- " and the text). */
	while (*p != '\0') {
		end = line_end(p);
		if (blank_line(p, end) || (p[0] == '-' && p[1] == ' ')) {
			if (start != NULL &&
			    (rc = cb(0, start, (size_t)(stop - start), arg)) != 0)
				return rc;
			start = NULL;
			if (p[0] == '-' && p[1] == ' ') {
				const char *t = p + 2, *e = end;

				while (e > t && (e[-1] == '\r' || e[-1] == ' '))
					e--;
				if ((rc = cb(1, t, (size_t)(e - t), arg)) != 0)
					return rc;
			}
		} else {
			if (start == NULL)
				start = p;
			stop = end;
			while (stop > start && stop[-1] == '\r')
				stop--;
		}
		p = *end ? end + 1 : end;
	}
	if (start != NULL)
		return cb(0, start, (size_t)(stop - start), arg);
	return 0;
}
