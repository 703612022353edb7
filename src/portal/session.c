/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Portal sessions and CSRF tokens.  The browser holds a 256-bit random id;
 * the store keeps SHA-256(id), the person, how the session began, its CSRF
 * token and its clock (created, last seen, absolute end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "portal/portal.h"
#include "ra/ra.h"

/* last_seen is written at most this often (seconds): a page view is a
 * read, not a write, for the store. */
#define TOUCH_EVERY 60

int
portal_conf_load(struct portal_conf *out, const struct config *cfg,
                 const char *fallback_base_url)
{
	long long idle = config_get_int(cfg, "portal", "session_idle_minutes", 30),
	          hours = config_get_int(cfg, "portal", "session_hours", 12),
	          link = config_get_int(cfg, "portal", "link_minutes", 15),
	          links = config_get_int(cfg, "portal", "max_open_links", 3);
	const char *base = config_get(cfg, "portal", "base_url", fallback_base_url);

	memset(out, 0, sizeof(*out));
	if (idle < 1 || idle > 24 * 60)
		return sertel_err(SERTEL_EINVAL,
		                  "[portal] session_idle_minutes: 1..1440");
	if (hours < 1 || hours > 7 * 24)
		return sertel_err(SERTEL_EINVAL, "[portal] session_hours: 1..168");
	if (link < 1 || link > 24 * 60)
		return sertel_err(SERTEL_EINVAL, "[portal] link_minutes: 1..1440");
	if (links < 1 || links > 20)
		return sertel_err(SERTEL_EINVAL, "[portal] max_open_links: 1..20");
	if (base == NULL ||
	    (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0))
		return sertel_err(SERTEL_EINVAL,
		                  "[portal] base_url: an http:// or https:// URL");
	if (str_copy(out->base_url, sizeof(out->base_url), base) < 0)
		return sertel_err(SERTEL_EINVAL, "[portal] base_url: too long");
	/* No trailing slash: links are base + "/masuk/...". */
	while (strlen(out->base_url) > 8 &&
	       out->base_url[strlen(out->base_url) - 1] == '/')
		out->base_url[strlen(out->base_url) - 1] = '\0';
	if (config_time_zone(&out->tz, cfg) < 0)
		return SERTEL_EINVAL;
	out->idle_seconds = idle * 60;
	out->absolute_seconds = hours * 3600;
	out->link_seconds = link * 60;
	out->max_open_links = (int)links;
	return 0;
}

/* 1 when s is exactly PORTAL_ID_HEX lowercase hex digits. */
static int
id_wellformed(const char *s)
{
	return hex_id_valid(s, PORTAL_ID_HEX);
}

/* ---- start --------------------------------------------------------------- */
struct start_work {
	const char *hash;
	const char *nik;
	const char *method;
	const char *cert_serial;
	const char *peer;
	const struct portal_session *s;
};

static int
start_fn(struct store *st, void *arg)
{
	struct start_work *w = arg;
	char obj[32], why[160];
	int rc;

	if (db_run(store_db(st),
	           "INSERT INTO portal_sessions (id_hash, nik, method, csrf, cert_serial,"
	           " created_at, last_seen, expires_at, peer) "
	           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	           "sssssiiis", w->hash, w->nik, w->method, w->s->csrf,
	           w->cert_serial[0] ? w->cert_serial : NULL, w->s->created_at,
	           w->s->last_seen, w->s->expires_at, w->peer) < 0)
		return SERTEL_ESTORE;
	snprintf(obj, sizeof(obj), "person:%s", w->nik);
	snprintf(why, sizeof(why), "method=%s%s%s peer=%s", w->method,
	         w->cert_serial[0] ? " cert=" : "", w->cert_serial, w->peer);
	if ((rc = audit_append(st, obj, "portal.login", obj, why)) < 0)
		return rc;
	return 0;
}

int
portal_session_start(char id[PORTAL_ID_HEX + 1], struct portal_session *out,
                     struct store *st, const struct portal_conf *pc, const char *nik,
                     const char *method, const char *cert_serial, const char *peer)
{
	struct ra_person p;
	struct start_work w;
	char hash[65];
	int64_t now = time_now();
	int rc;

	memset(out, 0, sizeof(*out));
	id[0] = '\0';
	if (strcmp(method, PORTAL_BY_CERT) != 0 && strcmp(method, PORTAL_BY_LINK) != 0 &&
	    strcmp(method, PORTAL_BY_OIDC) != 0)
		return sertel_err(SERTEL_EINVAL, "portal: unknown login method '%s'",
		                  method);
	if ((rc = ra_person_get(&p, st, nik)) < 0)
		return rc == SERTEL_ENOTFOUND
		           ? sertel_err(SERTEL_EAUTH,
		                        "NIK ini tidak terdaftar / not registered")
		           : rc;
	if ((rc = rand_hex(id, PORTAL_ID_HEX / 2)) < 0 ||
	    (rc = rand_hex(out->csrf, PORTAL_ID_HEX / 2)) < 0)
		return rc;
	str_copy(out->nik, sizeof(out->nik), nik);
	str_copy(out->method, sizeof(out->method), method);
	str_copy(out->cert_serial, sizeof(out->cert_serial),
	         cert_serial ? cert_serial : "");
	out->created_at = out->last_seen = now;
	out->expires_at = now + pc->absolute_seconds;
	sha256_hex(hash, id, PORTAL_ID_HEX);
	w = (struct start_work){hash, nik, method, out->cert_serial, peer ? peer : "",
	                        out};
	if ((rc = store_atomic(st, start_fn, &w)) < 0) {
		secure_wipe(id, PORTAL_ID_HEX);
		id[0] = '\0';
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

/* ---- look-up ----------------------------------------------------------- */
static int
touch_fn(struct store *st, void *arg)
{
	const char *hash = arg;

	return db_run(store_db(st),
	              "UPDATE portal_sessions SET last_seen = ? WHERE id_hash = ?", "is",
	              time_now(), hash) < 0
	           ? SERTEL_ESTORE
	           : 0;
}

int
portal_session_get(struct portal_session *out, struct store *st,
                   const struct portal_conf *pc, const char *id)
{
	return portal_session_actor(out, NULL, st, pc, id);
}

int
portal_session_actor(struct portal_session *out, struct ra_actor *who, struct store *st,
                     const struct portal_conf *pc, const char *id)
{
	struct db_stmt *s = NULL;
	struct cert_rec cr;
	struct ra_person p;
	char hash[65];
	int64_t now = time_now();
	int rc, ended = 0, registered = 0;

	memset(out, 0, sizeof(*out));
	if (who != NULL)
		memset(who, 0, sizeof(*who));
	if (!id_wellformed(id))
		return sertel_err(
		    SERTEL_EAUTH,
		    "Sesi tidak dikenal; silakan masuk lagi / unknown session");
	sha256_hex(hash, id, PORTAL_ID_HEX);
	/* The person comes with the session, in the same query: a page checks
	 * its session with one round trip to the store (bench/portal). */
	memset(&p, 0, sizeof(p));
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT s.nik, s.method, s.csrf, s.cert_serial, s.created_at,"
	         " s.last_seen, s.expires_at, s.ended_at, p.nik, p.name, p.roles "
	         "FROM portal_sessions s LEFT JOIN persons p ON p.nik = s.nik "
	         "WHERE s.id_hash = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, hash)) == 0 && (rc = db_step(s)) == 1) {
		if (!db_col_null(s, 8)) {
			registered = 1;
			str_copy(p.nik, sizeof(p.nik), db_col_text(s, 8));
			str_copy(p.name, sizeof(p.name), db_col_text(s, 9));
			ra_roles_parse(&p.roles, db_col_text(s, 10));
		}
		str_copy(out->nik, sizeof(out->nik), db_col_text(s, 0));
		str_copy(out->method, sizeof(out->method), db_col_text(s, 1));
		str_copy(out->csrf, sizeof(out->csrf), db_col_text(s, 2));
		str_copy(out->cert_serial, sizeof(out->cert_serial),
		         db_col_null(s, 3) ? "" : db_col_text(s, 3));
		out->created_at = db_col_int(s, 4);
		out->last_seen = db_col_int(s, 5);
		out->expires_at = db_col_int(s, 6);
		ended = !db_col_null(s, 7);
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "Sesi tidak dikenal; silakan masuk lagi / unknown session");
	}
	db_finalize(s);
	if (rc < 0)
		goto fail;
	if (ended) {
		rc = sertel_err(SERTEL_EAUTH,
		                "Anda sudah keluar; silakan masuk lagi / logged out");
		goto fail;
	}
	if (now >= out->expires_at || now - out->last_seen > pc->idle_seconds) {
		rc = sertel_err(SERTEL_EAUTH, "Sesi berakhir; silakan masuk lagi / "
		                              "session expired");
		goto fail;
	}
	if (!registered) {
		rc = sertel_err(SERTEL_EAUTH, "NIK ini tidak lagi terdaftar / "
		                              "no longer registered");
		goto fail;
	}
	/* A session opened with a certificate lives no longer than that
	 * certificate's validity: revoking it logs its holder out. */
	if (out->cert_serial[0] != '\0') {
		memset(&cr, 0, sizeof(cr));
		rc = store_cert_get(st, out->cert_serial, &cr);
		if (rc == 0 && cert_rec_status(&cr, now) != CERT_VALID)
			rc = sertel_err(SERTEL_EAUTH,
			                "Sertifikat %s sudah %s; silakan masuk lagi / "
			                "certificate no longer valid",
			                out->cert_serial,
			                cr.revoked ? "dicabut" : "kedaluwarsa");
		else if (rc == SERTEL_ENOTFOUND)
			rc = sertel_err(SERTEL_EAUTH, "certificate %s: unknown",
			                out->cert_serial);
		cert_rec_free(&cr);
		if (rc < 0)
			goto fail;
	}
	if (now - out->last_seen >= TOUCH_EVERY) {
		if ((rc = store_atomic(st, touch_fn, hash)) < 0)
			goto fail;
		out->last_seen = now;
	}
	if (who != NULL)
		ra_actor_of(who, &p);
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return rc;
}

/* ---- end ----------------------------------------------------------------- */
struct end_work {
	const char *hash;
	const char *peer;
};

static int
end_fn(struct store *st, void *arg)
{
	struct end_work *w = arg;
	struct db_stmt *s = NULL;
	char nik[17] = "", obj[32], why[96];
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT nik FROM portal_sessions WHERE id_hash = ? AND "
	                     "ended_at IS NULL")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->hash)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(nik, sizeof(nik), db_col_text(s, 0));
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_EAUTH, "Sesi tidak dikenal / unknown session");
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (db_run(store_db(st),
	           "UPDATE portal_sessions SET ended_at = ? WHERE id_hash = ? AND "
	           "ended_at IS NULL",
	           "is", time_now(), w->hash) != 1)
		return sertel_err(SERTEL_ESTORE, "portal: session end failed");
	snprintf(obj, sizeof(obj), "person:%s", nik);
	snprintf(why, sizeof(why), "peer=%s", w->peer);
	return audit_append(st, obj, "portal.logout", obj, why);
}

int
portal_session_end(struct store *st, const char *id, const char *peer)
{
	struct end_work w;
	char hash[65];

	if (!id_wellformed(id))
		return sertel_err(SERTEL_EAUTH, "Sesi tidak dikenal / unknown session");
	sha256_hex(hash, id, PORTAL_ID_HEX);
	w = (struct end_work){hash, peer ? peer : ""};
	return store_atomic(st, end_fn, &w);
}

int
portal_csrf_check(const struct portal_session *s, const char *token)
{
	if (token == NULL || strlen(token) != PORTAL_ID_HEX || s->csrf[0] == '\0' ||
	    !ct_equal(token, s->csrf, PORTAL_ID_HEX))
		return sertel_err(
		    SERTEL_EPERM,
		    "Formulir kedaluwarsa atau bukan dari halaman ini; muat "
		    "ulang halaman / form token missing or wrong");
	return 0;
}
