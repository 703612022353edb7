/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel portal: the rules of the web portal that are not HTML — who is
 * logged in (sessions), how they got in (a client certificate of their own,
 * or a one-time link mailed to their registered address), and the CSRF
 * token every form carries.  The pages themselves are in the web layer
 * (src/web, src/http); every RA decision they offer is a call into src/ra,
 * the same function the CLI and the API call.
 *
 * Secrets at rest: a session id and a login link token are 256-bit random
 * values given to the browser once; the store keeps only their SHA-256, so
 * a copy of the database opens no session.  Every login, failed or not,
 * every logout and every link sent is in the audit trail.
 */
#ifndef SERTEL_PORTAL_H
#define SERTEL_PORTAL_H

#include <stdint.h>

#include "core/core.h"
#include "store/store.h"

#define PORTAL_ID_HEX 64 /* session ids, link tokens, CSRF tokens */

struct portal_conf {
	int64_t idle_seconds;     /* [portal] session_idle_minutes, default 30 */
	int64_t absolute_seconds; /* [portal] session_hours, default 12 */
	int64_t link_seconds;     /* [portal] link_minutes, default 15 */
	int max_open_links;       /* unused links per person at once, default 3 */
	char base_url[512];       /* the portal's own URL (prefix included), for links */
	/* [portal] time_zone: the region's zone, WIB (UTC+7, default), WITA
	 * (UTC+8) or WIT (UTC+9), or their IANA names (time_zone_parse), in
	 * which pages and signature boxes show times. */
	struct time_zone tz;
};

/* Reads [portal] (defaults above; base_url from [portal] base_url or the
 * instance's [pki] base_url given as fallback). */
int portal_conf_load(struct portal_conf *out, const struct config *cfg,
                     const char *fallback_base_url);

/* How a session began. */
#define PORTAL_BY_CERT "mtls"
#define PORTAL_BY_LINK "link"
#define PORTAL_BY_OIDC "oidc"

struct portal_session {
	char nik[17];
	char method[8];
	char csrf[PORTAL_ID_HEX + 1];
	char cert_serial[SERIAL_HEX_MAX + 1]; /* "" unless method is mtls */
	int64_t created_at;
	int64_t last_seen;
	int64_t expires_at; /* the absolute end */
};

/*
 * Starts a session for a registered person: id (given to the browser in a
 * cookie, never stored) and out are filled.  peer is the client address
 * for the audit trail.  Audited as portal.login.
 */
int portal_session_start(char id[PORTAL_ID_HEX + 1], struct portal_session *out,
                         struct store *st, const struct portal_conf *pc, const char *nik,
                         const char *method, const char *cert_serial, const char *peer);

/*
 * The live session behind the cookie value id.  SERTEL_EAUTH (with a
 * message a user can read) when the id is malformed or unknown, the
 * session was ended, idle for longer than idle_seconds, past its
 * absolute end, the person is no longer registered, or — for a session
 * opened with a certificate — that certificate has been revoked or has
 * expired since: a revocation ends its sessions at once.
 */
int portal_session_get(struct portal_session *out, struct store *st,
                       const struct portal_conf *pc, const char *id);
/* portal_session_get, and who (when not NULL) is the session's person as
 * an actor (ra_actor_person) from the same look-up: a page checks its
 * session with two queries, not three (bench/portal). */
struct ra_actor;
int portal_session_actor(struct portal_session *out, struct ra_actor *who,
                         struct store *st, const struct portal_conf *pc, const char *id);

/* Ends the session (logout); audited as portal.logout.  Unknown or
 * already ended ids: SERTEL_EAUTH. */
int portal_session_end(struct store *st, const char *id, const char *peer);

/* 0 when token is this session's CSRF token; SERTEL_EPERM otherwise. */
int portal_csrf_check(const struct portal_session *s, const char *token);

/*
 * A login link for the person registered with e-mail address email:
 * mails BASE/masuk/tautan?t=TOKEN through the mail queue, valid
 * link_seconds, single use.  *sent is 1 when a person has that address
 * and 0 otherwise; the page must answer the same either way, so nobody
 * learns who is registered.  SERTEL_EPERM when that person already has
 * max_open_links unused links.  Audited as portal.link.
 */
int portal_link_request(int *sent, struct store *st, const struct portal_conf *pc,
                        const char *email, const char *peer);

/*
 * Uses a login link once: nik is the person it was sent to.  A used,
 * expired or unknown token: SERTEL_EAUTH.  The token is spent in the same
 * transaction that reads it, so two requests with one link never both
 * succeed.  Audited as portal.link.used.
 */
int portal_link_use(char nik[17], struct store *st, const char *token, const char *peer);

/*
 * Who a TLS client certificate (DER, as the browser presented it) stands
 * for: it must be a certificate this instance issued (the exact bytes are
 * in the store), valid now, not revoked, issued with the ssl-client usage,
 * and bound to a registered person.  serial and nik are filled.
 * SERTEL_EAUTH with the reason otherwise.
 */
int portal_cert_login(char serial[SERIAL_HEX_MAX + 1], char nik[17], struct store *st,
                      const unsigned char *der, size_t len);

/*
 * A refused login (a client certificate or a single sign-on answer) in
 * the audit trail as portal.login.refused: method (PORTAL_BY_*), who it
 * claimed to be (a serial, "nik:..." or "email:..."; may be ""), why (the
 * message shown) and the peer address.  The callers throttle first, so
 * nobody fills the trail.
 */
/* The NIK of the person registered with e-mail address email (any case)
 * into nik; "" when nobody has it. */
int portal_person_by_email(char nik[17], struct store *st, const char *email);

int portal_login_refused(struct store *st, const char *method, const char *claimed,
                         const char *why, const char *peer);

#endif
