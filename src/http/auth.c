/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Authentication and roles of the HTTP API: bearer tokens (only their
 * SHA-256 is stored; expiry, revocation and last use: issue 19), who a
 * token stands for in the RA, the one permission table every role check
 * goes through, and the throttle on failed authentications (bearer and
 * the e-sign API's HTTP Basic alike) with its rate-limited audit trail.
 *
 * libmicrohttpd appears here for two reads only: the peer's address
 * (http_peer_addr) and a header's length (a NUL inside a credential).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "audit/audit.h"
#include "http/http_int.h"

/* ---- the peer ------------------------------------------------------------ */
void
http_peer_addr(char out[64], struct http_req *r)
{
	const union MHD_ConnectionInfo *ci = NULL;
	const struct sockaddr *sa;

	str_copy(out, 64, "unknown");
	if (r->conn != NULL)
		ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET,
		          &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          64);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, 64);
}

int
http_auth_header(const char **out, struct http_req *r, struct http_resp *resp)
{
	const char *v = NULL;
	size_t n = 0;

	*out = NULL;
	if (r->conn == NULL ||
	    MHD_lookup_connection_value_n(r->conn, MHD_HEADER_KIND, "Authorization",
	                                  strlen("Authorization"), &v, &n) != MHD_YES ||
	    v == NULL)
		return 0;
	/* A credential is used as a C string: "right\0anything" must not
	 * pass as "right" (issue 19). */
	if (memchr(v, '\0', n) != NULL) {
		http_error(resp, 400, "bad_request",
		           "header Authorization berisi karakter NUL (the Authorization "
		           "header contains a NUL byte)");
		return SERTEL_EINVAL;
	}
	*out = v;
	return 0;
}

/* ---- throttle on failed authentications ------------------------------------
 * Per source address and per credential (a token's hash, a client
 * application's name): [server] auth_max_failures failures within
 * auth_window_seconds block that key for auth_block_seconds (429 with
 * Retry-After).  A fixed table (open addressing, THR_PROBE slots per key,
 * the least recently seen evicted), so no caller makes it grow.  Only
 * wrong credentials count (a missing header is not a guess). */
#define THR_SLOTS       4096 /* power of two */
#define THR_PROBE       8
#define THR_AUDIT_PER_M 100 /* failure entries per minute, all addresses */

struct thr_slot {
	char key[80]; /* "a:ADDR" or "c:CREDENTIAL"; "" free */
	int64_t window_start;
	int failures;
	int64_t blocked_until;
	int64_t last_seen;
	int64_t audit_window; /* start of the minute whose first failure is audited */
	int unaudited;        /* failures since, not in the trail yet */
};

static struct {
	int max;
	int64_t window, block;
} thr_conf = {10, 60, 60};
static pthread_once_t thr_once = PTHREAD_ONCE_INIT;
static struct config *thr_cfg;
static pthread_mutex_t thr_mu = PTHREAD_MUTEX_INITIALIZER;
static struct thr_slot thr[THR_SLOTS];
static int64_t thr_audit_minute;
static int thr_audit_count, thr_audit_dropped;

static void
thr_conf_load(void)
{
	long long max = config_get_int(thr_cfg, "server", "auth_max_failures", 10),
	          win = config_get_int(thr_cfg, "server", "auth_window_seconds", 60),
	          blk = config_get_int(thr_cfg, "server", "auth_block_seconds", 60);

	if (max < 1 || max > 1000 || win < 1 || win > 86400 || blk < 1 || blk > 86400) {
		log_msg(LOG_ERROR,
		        "[server] auth_max_failures 1..1000, auth_window_seconds and "
		        "auth_block_seconds 1..86400: using 10, 60, 60");
		return;
	}
	thr_conf.max = (int)max;
	thr_conf.window = win;
	thr_conf.block = blk;
}

static void
thr_init(struct http_req *r)
{
	if (r->ctx != NULL && r->ctx->in != NULL) {
		thr_cfg = r->ctx->in->cfg;
		pthread_once(&thr_once, thr_conf_load);
	}
}

static uint32_t
thr_hash(const char *k)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*k)
		h = (h ^ (unsigned char)*k++) * 16777619u;
	return h;
}

/* The slot for key (made when absent and make is set), or NULL.  Under
 * thr_mu. */
static struct thr_slot *
thr_slot(const char *key, int64_t now, int make)
{
	uint32_t h = thr_hash(key);
	struct thr_slot *free_s = NULL, *oldest = NULL, *s;
	int i;

	for (i = 0; i < THR_PROBE; i++) {
		s = &thr[(h + (uint32_t)i) & (THR_SLOTS - 1)];
		if (s->key[0] != '\0' && strcmp(s->key, key) == 0)
			return s;
		/* Stale: nothing counted in its window and not blocked. */
		if (free_s == NULL &&
		    (s->key[0] == '\0' ||
		     (s->blocked_until <= now && s->last_seen + thr_conf.window <= now &&
		      s->unaudited == 0)))
			free_s = s;
		/* Evicting a block would lift it: the least recently seen
		 * unblocked key goes first, else the block that ends first. */
		if (oldest == NULL ||
		    (oldest->blocked_until > now && s->blocked_until <= now) ||
		    ((oldest->blocked_until > now) == (s->blocked_until > now) &&
		     (s->blocked_until > now ? s->blocked_until < oldest->blocked_until
		                             : s->last_seen < oldest->last_seen)))
			oldest = s;
	}
	if (!make)
		return NULL;
	s = free_s != NULL ? free_s : oldest;
	memset(s, 0, sizeof(*s));
	str_copy(s->key, sizeof(s->key), key);
	s->window_start = now;
	return s;
}

/* Seconds key stays blocked (0: not blocked). */
static int64_t
thr_blocked(const char *key, int64_t now)
{
	struct thr_slot *s;
	int64_t left = 0;

	pthread_mutex_lock(&thr_mu);
	if ((s = thr_slot(key, now, 0)) != NULL && s->blocked_until > now)
		left = s->blocked_until - now;
	pthread_mutex_unlock(&thr_mu);
	return left;
}

/* What one failure means for the trail. */
struct thr_note {
	int audit;   /* write an entry */
	int blocked; /* this failure blocked the key */
	int earlier; /* failures of the key not in the trail before this one */
	int dropped; /* entries left out by the global cap before this one */
};

/* Counts a failure against key; under thr_mu. */
static void
thr_count(struct thr_note *n, const char *key, int64_t now, int audited_key)
{
	struct thr_slot *s = thr_slot(key, now, 1);

	s->last_seen = now;
	if (s->window_start + thr_conf.window <= now) {
		s->window_start = now;
		s->failures = 0;
	}
	if (++s->failures >= thr_conf.max && s->blocked_until <= now) {
		s->blocked_until = now + thr_conf.block;
		n->blocked = 1;
	}
	if (!audited_key)
		return;
	/* The trail: the first failure of each minute, then the block, each
	 * carrying the count of failures not listed since. */
	if (s->audit_window + 60 <= now || n->blocked) {
		n->audit = 1;
		n->earlier = s->unaudited;
		s->unaudited = 0;
		if (s->audit_window + 60 <= now)
			s->audit_window = now;
	} else {
		s->unaudited++;
	}
	if (!n->audit)
		return;
	/* Many addresses at once must not flood the trail either. */
	if (thr_audit_minute + 60 <= now) {
		thr_audit_minute = now;
		thr_audit_count = 0;
	}
	if (thr_audit_count >= THR_AUDIT_PER_M) {
		n->audit = 0;
		s->unaudited += n->earlier + 1;
		thr_audit_dropped++;
		return;
	}
	thr_audit_count++;
	n->dropped = thr_audit_dropped;
	thr_audit_dropped = 0;
}

struct fail_audit {
	const char *actor, *action, *object;
	char reason[320];
};

static int
fail_audit_fn(struct store *st, void *arg)
{
	struct fail_audit *w = arg;

	return audit_append(st, w->actor, w->action, w->object, w->reason);
}

static void
retry_after(struct http_resp *resp, int64_t secs)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
	         "Terlalu banyak autentikasi gagal; coba lagi dalam %lld detik (too "
	         "many failed authentications; retry in %lld s)",
	         (long long)secs, (long long)secs);
	http_json(resp, 429,
	          json_pack("{s:s, s:s, s:i}", "error", msg, "code", "too_many_requests",
	                    "status_code", 429));
	snprintf(resp->extra_headers, sizeof(resp->extra_headers), "Retry-After: %lld\n",
	         (long long)secs);
}

int
http_auth_throttle(struct http_req *r, struct http_resp *resp, const char *cred)
{
	char peer[64], key[80];
	int64_t now = time_now(), left;

	thr_init(r);
	http_peer_addr(peer, r);
	snprintf(key, sizeof(key), "a:%s", peer);
	left = thr_blocked(key, now);
	if (left == 0 && cred != NULL) {
		snprintf(key, sizeof(key), "c:%s", cred);
		left = thr_blocked(key, now);
	}
	if (left == 0)
		return 0;
	retry_after(resp, left);
	return sertel_err(SERTEL_EAUTH, "%s: throttled after failed authentications",
	                  peer);
}

void
http_auth_fail(struct http_req *r, const char *cred, const char *what)
{
	struct thr_note na = {0, 0, 0, 0}, nc = {0, 0, 0, 0};
	struct fail_audit w;
	char peer[64], key[80], actor[80], extra[96] = "";
	int64_t now = time_now();
	int rc;

	/* The body-limit probe (no method yet) checks credentials before the
	 * request is read; the handler checks them again and counts. */
	if (r->method == NULL)
		return;
	thr_init(r);
	http_peer_addr(peer, r);
	pthread_mutex_lock(&thr_mu);
	snprintf(key, sizeof(key), "a:%s", peer);
	thr_count(&na, key, now, 1);
	if (cred != NULL) {
		snprintf(key, sizeof(key), "c:%s", cred);
		thr_count(&nc, key, now, 0);
	}
	pthread_mutex_unlock(&thr_mu);
	if (na.blocked || nc.blocked)
		log_msg(LOG_WARN, "auth: %s blocked for %lld s after %d failures (%s)",
		        na.blocked ? peer : cred, (long long)thr_conf.block, thr_conf.max,
		        cred ? cred : "-");
	if (!na.audit && !nc.blocked)
		return;
	snprintf(actor, sizeof(actor), "peer:%s", peer);
	w.actor = actor;
	w.object = cred != NULL ? cred : "token";
	if (na.dropped > 0)
		snprintf(extra, sizeof(extra), "; %d entries of other addresses left out",
		         na.dropped);
	if (na.blocked) {
		w.action = "auth.throttle";
		snprintf(w.reason, sizeof(w.reason),
		         "address blocked for %lld s after %d failed authentications in "
		         "%lld s (%d not listed before this)%s",
		         (long long)thr_conf.block, thr_conf.max,
		         (long long)thr_conf.window, na.earlier, extra);
	} else if (nc.blocked) {
		w.action = "auth.throttle";
		snprintf(w.reason, sizeof(w.reason),
		         "credential blocked for %lld s after %d failed authentications "
		         "in %lld s",
		         (long long)thr_conf.block, thr_conf.max,
		         (long long)thr_conf.window);
	} else {
		w.action = "auth.fail";
		snprintf(w.reason, sizeof(w.reason),
		         "%.160s (%d failures not listed before "
		         "this)%s",
		         what, na.earlier, extra);
	}
	if ((rc = store_atomic(r->st, fail_audit_fn, &w)) < 0)
		log_msg(LOG_ERROR, "auth: cannot audit a failure: %s", sertel_errmsg());
}

/* ---- bearer tokens --------------------------------------------------------- */
int
http_role_valid(const char *role)
{
	return strcmp(role, "admin") == 0 || strcmp(role, "operator") == 0 ||
	       strcmp(role, "auditor") == 0;
}

/* Who the token stands for in the RA: a person's token is that person
 * with the roles they hold now; an admin token is the local
 * administrator; an auditor token reads; an operator token is nobody
 * there (OP operators act as themselves). */
static int
auth_ra_actor(struct http_req *r, const char *name, const char *nik)
{
	char label[96];
	int rc;

	snprintf(label, sizeof(label), "token:%s", name);
	if (nik != NULL) {
		if ((rc = ra_actor_person(&r->ra, r->st, nik)) == SERTEL_EAUTH)
			return sertel_err(SERTEL_EAUTH,
			                  "token %s: NIK %s is no longer registered",
			                  name, nik);
		return rc;
	}
	memset(&r->ra, 0, sizeof(r->ra));
	if (strcmp(r->role, "admin") == 0) {
		ra_actor_local(&r->ra, label);
	} else if (strcmp(r->role, "auditor") == 0) {
		r->ra.roles = ROLE_AUDITOR;
		str_copy(r->ra.name, sizeof(r->ra.name), label);
		str_copy(r->ra.label, sizeof(r->ra.label), label);
	}
	return 0;
}

int
http_auth(struct http_req *r, struct http_resp *resp)
{
	struct token_rec t;
	const char *h = NULL;
	char hash[65], cred[32];
	int64_t now = time_now();
	int rc;

	if ((rc = http_auth_throttle(r, resp, NULL)) < 0 ||
	    (rc = http_auth_header(&h, r, resp)) < 0)
		return rc;
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) < 8 ||
	    strlen(h + 7) > 128) {
		http_error(resp, 401, "unauthorized",
		           "missing or malformed 'Authorization: Bearer TOKEN'");
		return SERTEL_EAUTH;
	}
	sha256_hex(hash, h + 7, strlen(h + 7));
	/* The credential's throttle key: a prefix of its hash, never the
	 * token itself. */
	snprintf(cred, sizeof(cred), "token:%.16s", hash);
	if ((rc = http_auth_throttle(r, resp, cred)) < 0)
		return rc;
	rc = store_token_get(&t, r->st, hash);
	if (rc == 0)
		rc = store_token_usable(&t, now);
	if (rc == SERTEL_EAUTH) {
		http_auth_fail(r, cred, sertel_errmsg());
		/* Unknown tokens say nothing more; a revoked or expired one tells
		 * its holder why. */
		if (t.name[0] != '\0')
			http_error(resp, 401, "unauthorized", "%s", sertel_errmsg());
		else
			http_error(resp, 401, "unauthorized", "unknown or revoked token");
		return rc;
	}
	if (rc < 0) {
		http_error_rc(resp, rc);
		return rc;
	}
	/* At most one write a minute per token (store_last_use). */
	if (store_last_use(r->st, "tokens", t.id, t.last_used_at, now) < 0)
		log_msg(LOG_WARN, "token %s: last use not recorded: %s", t.name,
		        sertel_errmsg());
	snprintf(r->actor, sizeof(r->actor), "token:%s", t.name);
	str_copy(r->role, sizeof(r->role), t.role);
	if ((rc = auth_ra_actor(r, t.name, t.nik[0] ? t.nik : NULL)) < 0)
		http_error_rc(resp, rc);
	return rc;
}

/* Which roles may do what.  Every entry is exercised by the role tests,
 * allowed and denied. */
static const struct {
	const char *perm;
	const char *roles; /* comma-separated */
} permissions[] = {
    {"cert.issue", "admin,operator"},
    {"cert.revoke", "admin,operator"},
};

int
http_allow(struct http_req *r, struct http_resp *resp, const char *perm)
{
	size_t i, n = strlen(r->role);
	const char *p;

	for (i = 0; i < sizeof(permissions) / sizeof(permissions[0]); i++) {
		if (strcmp(permissions[i].perm, perm) != 0)
			continue;
		for (p = permissions[i].roles; (p = strstr(p, r->role)) != NULL; p += n) {
			if ((p == permissions[i].roles || p[-1] == ',') &&
			    (p[n] == ',' || p[n] == '\0'))
				return 0;
		}
	}
	http_error(resp, 403, "forbidden", "role %s may not %s", r->role, perm);
	return SERTEL_EPERM;
}
