/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Single sign-on with OpenID Connect: the authorization code flow with
 * PKCE (RFC 7636, S256), state and nonce, discovery (OpenID Connect
 * Discovery 1.0 section 4), the token request with client_secret_basic
 * (RFC 6749 2.3.1) through src/net, the ID token verified with OpenSSL
 * (pki/jws.c) and checked by OpenID Connect Core 3.1.3.7.  See oidc.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "net/net.h"
#include "pki/jws.h"
#include "portal/oidc.h"
#include "portal/portal.h"
#include "ra/ra.h"
#include "web/web.h"

#define OIDC_SKEW          60  /* seconds of clock difference we accept */
#define OIDC_IAT_MAX       600 /* an ID token older than this is not fresh */
#define OIDC_FETCH_MAX     (256 * 1024)
#define OIDC_DISCOVERY_TTL 300 /* seconds a discovery document is reused */

/* ---- configuration ------------------------------------------------------ */
static int
conf_copy(char *out, size_t outsz, const char *v, const char *key)
{
	if (strlen(v) >= outsz)
		return sertel_err(SERTEL_EINVAL, "[oidc] %s: longer than %zu characters",
		                  key, outsz - 1);
	str_copy(out, outsz, v);
	return 0;
}

/* https, or http to the loopback (a provider on this machine). */
static int
url_allowed(const char *u)
{
	return strncmp(u, "https://", 8) == 0 ||
	       strncmp(u, "http://127.0.0.1:", 17) == 0 ||
	       strncmp(u, "http://127.0.0.1/", 17) == 0 ||
	       strncmp(u, "http://localhost:", 17) == 0 ||
	       strncmp(u, "http://[::1]:", 13) == 0;
}

int
oidc_conf_load(struct oidc_conf *out, const struct config *cfg, const char *dir,
               const char *portal)
{
	const char *iss = config_get(cfg, "oidc", "issuer", NULL),
	           *id = config_get(cfg, "oidc", "client_id", NULL),
	           *sf = config_get(cfg, "oidc", "client_secret_file", NULL),
	           *claim = config_get(cfg, "oidc", "claim", "nik"),
	           *scopes = config_get(cfg, "oidc", "scopes", NULL),
	           *ca = config_get(cfg, "oidc", "ca_file", NULL);
	long long mins = config_get_int(cfg, "oidc", "state_minutes", 10);
	unsigned char *sec = NULL;
	char path[1200];
	struct stat sb;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (iss == NULL)
		return 0;
	if (!url_allowed(iss))
		return sertel_err(
		    SERTEL_EINVAL,
		    "[oidc] issuer %s: OpenID Connect Discovery 3: an https URL "
		    "(http only to 127.0.0.1 or localhost)",
		    iss);
	if (id == NULL || id[0] == '\0' || sf == NULL)
		return sertel_err(
		    SERTEL_EINVAL,
		    "[oidc] issuer is set: client_id and client_secret_file "
		    "are needed too");
	if (strcmp(claim, "nik") != 0 && strcmp(claim, "email") != 0)
		return sertel_err(SERTEL_EINVAL, "[oidc] claim = %s: nik or email",
		                  claim);
	if (mins < 1 || mins > 60)
		return sertel_err(SERTEL_EINVAL, "[oidc] state_minutes: 1..60");
	if ((rc = conf_copy(out->issuer, sizeof(out->issuer), iss, "issuer")) < 0 ||
	    (rc = conf_copy(out->client_id, sizeof(out->client_id), id, "client_id")) < 0)
		return rc;
	/* The issuer as the provider writes it has no trailing slash
	 * (Discovery 4.3 compares it exactly); configured with one, drop it. */
	n = strlen(out->issuer);
	if (n > 8 && out->issuer[n - 1] == '/')
		out->issuer[n - 1] = '\0';
	str_copy(out->claim, sizeof(out->claim), claim);
	if (scopes == NULL)
		scopes = strcmp(claim, "email") == 0 ? "openid email" : "openid";
	if (strncmp(scopes, "openid", 6) != 0 || (scopes[6] != '\0' && scopes[6] != ' '))
		rc = snprintf(out->scopes, sizeof(out->scopes), "openid %s", scopes) >=
		             (int)sizeof(out->scopes)
		         ? sertel_err(SERTEL_EINVAL, "[oidc] scopes: too long")
		         : 0;
	else
		rc = conf_copy(out->scopes, sizeof(out->scopes), scopes, "scopes");
	if (rc < 0)
		return rc;
	if (snprintf(out->redirect_uri, sizeof(out->redirect_uri), "%s/masuk/sso/kembali",
	             portal) >= (int)sizeof(out->redirect_uri))
		return sertel_err(SERTEL_EINVAL,
		                  "[portal] base_url: too long for a redirect URI");
	if (ca != NULL && snprintf(out->ca_file, sizeof(out->ca_file), "%s%s%s",
	                           ca[0] == '/' ? "" : dir, ca[0] == '/' ? "" : "/",
	                           ca) >= (int)sizeof(out->ca_file))
		return sertel_err(SERTEL_EINVAL, "[oidc] ca_file: path too long");
	if (snprintf(path, sizeof(path), "%s%s%s", sf[0] == '/' ? "" : dir,
	             sf[0] == '/' ? "" : "/", sf) >= (int)sizeof(path))
		return sertel_err(SERTEL_EINVAL,
		                  "[oidc] client_secret_file: path too long");
	if (stat(path, &sb) != 0 || (sb.st_mode & 077) != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "[oidc] client_secret_file %s: missing or readable by "
		                  "others (chmod 600)",
		                  path);
	if ((rc = file_read(&sec, &n, path, sizeof(out->secret) - 1)) < 0)
		return rc;
	while (n > 0 && (sec[n - 1] == '\n' || sec[n - 1] == '\r' || sec[n - 1] == ' '))
		n--;
	if (n == 0 || memchr(sec, '\0', n) != NULL) {
		secure_wipe(sec, n);
		free(sec);
		return sertel_err(SERTEL_EINVAL, "[oidc] client_secret_file %s: empty",
		                  path);
	}
	memcpy(out->secret, sec, n);
	out->secret[n] = '\0';
	secure_wipe(sec, n);
	free(sec);
	out->state_seconds = mins * 60;
	out->enabled = 1;
	return 0;
}

void
oidc_conf_clear(struct oidc_conf *c)
{
	secure_wipe(c->secret, sizeof(c->secret));
}

/* ---- the provider ------------------------------------------------------- */
/* GET or POST url on the provider (trusted configuration, logged); the
 * reply must be 200 JSON (an object) into *out. */
static int
provider_json(json_t **out, const struct oidc_conf *c, const char *url, const char *body,
              const char *basic)
{
	struct net_req rq;
	struct net_reply rp;
	json_error_t e;
	int rc;

	*out = NULL;
	memset(&rq, 0, sizeof(rq));
	rq.policy = NET_TRUSTED_CONFIG; /* issue 19: configured, so trusted */
	rq.url = url;
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.content_type = "application/x-www-form-urlencoded";
	rq.accept = "application/json";
	rq.basic = basic;
	rq.ca_file = c->ca_file[0] ? c->ca_file : NULL;
	rq.timeout = 10;
	rq.max = OIDC_FETCH_MAX;
	log_msg(LOG_INFO, "oidc: %s %s (configured provider)", body ? "POST" : "GET",
	        url);
	if ((rc = net_http(&rp, &rq)) < 0)
		goto out;
	if (rp.status != 200) {
		/* RFC 6749 5.2: the error code is safe to show; nothing else. */
		json_t *j = json_loadb((const char *)rp.body.data, rp.body.len, 0, &e);
		const char *err = json_string_value(json_object_get(j, "error"));

		rc = sertel_err(
		    rp.status == 400 || rp.status == 401 ? SERTEL_EAUTH : SERTEL_EIO,
		    "Penyedia SSO menolak: HTTP %ld %.64s / the provider answered "
		    "HTTP %ld %.64s",
		    rp.status, err ? err : "", rp.status, err ? err : "");
		json_decref(j);
		goto out;
	}
	*out = json_loadb((const char *)rp.body.data, rp.body.len, JSON_REJECT_DUPLICATES,
	                  &e);
	if (*out == NULL || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		rc = sertel_err(SERTEL_EIO, "oidc: %s: not a JSON object", url);
	}
out:
	buf_free(&rp.body);
	return rc;
}

struct oidc_provider {
	char authorization[OIDC_URL_MAX];
	char token[OIDC_URL_MAX];
	char jwks[OIDC_URL_MAX];
};

/* One endpoint of the discovery document. */
static int
endpoint(char out[OIDC_URL_MAX], const json_t *d, const char *name)
{
	const char *v = json_string_value(json_object_get(d, name));

	/* Header-safe too: it goes into a Location header. */
	if (v == NULL || strlen(v) >= OIDC_URL_MAX || !url_allowed(v) ||
	    strcspn(v, "\r\n\t \"<>") != strlen(v))
		return sertel_err(SERTEL_EIO,
		                  "oidc: discovery: %s missing, too long or not https "
		                  "(OpenID Connect Discovery 3)",
		                  name);
	str_copy(out, OIDC_URL_MAX, v);
	return 0;
}

/* The last discovery document, reused for OIDC_DISCOVERY_TTL: a login
 * page opened by anyone must not make a fetch from the provider each
 * time. */
static pthread_mutex_t disc_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char issuer[512];
	int64_t at;
	struct oidc_provider p;
} disc;

static int discover_fetch(struct oidc_provider *p, const struct oidc_conf *c);

static int
discover(struct oidc_provider *p, const struct oidc_conf *c)
{
	int64_t now = time_now();
	int rc;

	pthread_mutex_lock(&disc_mu);
	if (disc.at > now - OIDC_DISCOVERY_TTL && disc.at <= now &&
	    strcmp(disc.issuer, c->issuer) == 0) {
		*p = disc.p;
		pthread_mutex_unlock(&disc_mu);
		return 0;
	}
	pthread_mutex_unlock(&disc_mu);
	if ((rc = discover_fetch(p, c)) < 0)
		return rc;
	pthread_mutex_lock(&disc_mu);
	str_copy(disc.issuer, sizeof(disc.issuer), c->issuer);
	disc.p = *p;
	disc.at = now;
	pthread_mutex_unlock(&disc_mu);
	return 0;
}

static int
discover_fetch(struct oidc_provider *p, const struct oidc_conf *c)
{
	char url[700];
	json_t *d = NULL;
	const char *iss;
	int rc;

	snprintf(url, sizeof(url), "%s/.well-known/openid-configuration", c->issuer);
	if ((rc = provider_json(&d, c, url, NULL, NULL)) < 0)
		return rc;
	/* Discovery 4.3: the issuer it names is exactly the one asked. */
	iss = json_string_value(json_object_get(d, "issuer"));
	if (iss == NULL || strcmp(iss, c->issuer) != 0)
		rc = sertel_err(
		    SERTEL_EIO,
		    "oidc: discovery: OpenID Connect Discovery 4.3: issuer \"%s\" "
		    "is not the configured %s",
		    iss ? iss : "", c->issuer);
	else if ((rc = endpoint(p->authorization, d, "authorization_endpoint")) == 0 &&
	         (rc = endpoint(p->token, d, "token_endpoint")) == 0)
		rc = endpoint(p->jwks, d, "jwks_uri");
	json_decref(d);
	return rc;
}

/* ---- a login in flight -------------------------------------------------- */
struct begin_work {
	const char *state_hash, *browser_hash, *nonce, *verifier, *peer;
	int64_t expires;
};

static int
begin_fn(struct store *st, void *arg)
{
	const struct begin_work *w = arg;
	struct db_stmt *s = NULL;
	int64_t now = time_now(), open = 0;
	int rc;

	/* Old rows go as new ones come: nothing in flight lives past its
	 * expiry anyway. */
	if (db_run(store_db(st), "DELETE FROM portal_oidc WHERE expires_at < ?", "i",
	           now - 3600) < 0)
		return SERTEL_ESTORE;
	/* Anyone may start a login: what waits is bounded. */
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT COUNT(*) FROM portal_oidc WHERE used_at IS NULL AND "
	                     "expires_at > ?")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, now)) == 0 && (rc = db_step(s)) == 1) {
		open = db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (open >= OIDC_MAX_IN_FLIGHT)
		return sertel_err(
		    SERTEL_EPERM,
		    "Terlalu banyak permintaan masuk SSO yang menunggu; coba "
		    "lagi beberapa menit lagi / %lld SSO logins in flight",
		    (long long)open);
	if (db_run(store_db(st),
	           "INSERT INTO portal_oidc (state_hash, browser_hash, nonce, verifier, "
	           "created_at, expires_at, peer) VALUES (?, ?, ?, ?, ?, ?, ?)",
	           "ssssiis", w->state_hash, w->browser_hash, w->nonce, w->verifier, now,
	           w->expires, w->peer) < 0)
		return SERTEL_ESTORE;
	return 0;
}

int
oidc_state_new(struct store *st, const char *state, const char *browser,
               const char *nonce, const char *verifier, int64_t expires, const char *peer)
{
	struct begin_work w;
	char sh[65], bh[65];

	sha256_hex(sh, state, strlen(state));
	sha256_hex(bh, browser, strlen(browser));
	w = (struct begin_work){sh, bh, nonce, verifier, peer ? peer : "", expires};
	return store_atomic(st, begin_fn, &w);
}

static int
param(struct buf *b, const char *name, const char *v)
{
	int rc;

	if ((rc = buf_appendf(b, "%s%s=", b->len > 0 ? "&" : "", name)) < 0)
		return rc;
	return web_url_encode(b, v);
}

int
oidc_begin(char **url, struct store *st, const struct oidc_conf *c, const char *browser,
           const char *peer)
{
	struct oidc_provider p;
	unsigned char raw[32], dig[32];
	char state[65], nonce[65], *verifier = NULL, *challenge = NULL;
	struct buf q;
	int rc;

	*url = NULL;
	buf_init(&q, 8192);
	if (!c->enabled)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "oidc: not configured ([oidc] issuer)");
	if (browser == NULL || strlen(browser) != PORTAL_ID_HEX)
		return sertel_err(SERTEL_EPERM, "oidc: no pre-login cookie");
	if ((rc = discover(&p, c)) < 0)
		goto out;
	/* RFC 7636 4.1: 32 random octets, base64url: 43 characters. */
	if ((rc = rand_hex(state, 32)) < 0 || (rc = rand_hex(nonce, 32)) < 0 ||
	    (rc = rand_bytes(raw, sizeof(raw))) < 0 ||
	    (rc = b64_encode(&verifier, raw, sizeof(raw), 1)) < 0)
		goto out;
	sha256(dig, verifier, strlen(verifier));
	if ((rc = b64_encode(&challenge, dig, sizeof(dig), 1)) < 0)
		goto out;
	if ((rc = oidc_state_new(st, state, browser, nonce, verifier,
	                         time_now() + c->state_seconds, peer)) < 0)
		goto out;
	if ((rc = param(&q, "response_type", "code")) < 0 ||
	    (rc = param(&q, "client_id", c->client_id)) < 0 ||
	    (rc = param(&q, "redirect_uri", c->redirect_uri)) < 0 ||
	    (rc = param(&q, "scope", c->scopes)) < 0 ||
	    (rc = param(&q, "state", state)) < 0 ||
	    (rc = param(&q, "nonce", nonce)) < 0 ||
	    (rc = param(&q, "code_challenge", challenge)) < 0 ||
	    (rc = param(&q, "code_challenge_method", "S256")) < 0)
		goto out;
	if ((*url = malloc(strlen(p.authorization) + q.len + 2)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(*url, strlen(p.authorization) + q.len + 2, "%s%c%.*s", p.authorization,
	         strchr(p.authorization, '?') ? '&' : '?', (int)q.len,
	         (const char *)q.data);
	rc = 0;
out:
	secure_wipe(raw, sizeof(raw));
	if (verifier != NULL)
		secure_wipe(verifier, strlen(verifier));
	free(verifier);
	free(challenge);
	buf_free(&q);
	return rc;
}

struct spend_work {
	const char *state_hash, *browser_hash;
	char nonce[65];
	char verifier[64];
};

static int
spend_fn(struct store *st, void *arg)
{
	struct spend_work *w = arg;
	struct db_stmt *s = NULL;
	int64_t now = time_now(), changed;
	int rc;

	/* Spend first, then read: of two callbacks with one state, the second
	 * changes no row. */
	changed = db_run(store_db(st),
	                 "UPDATE portal_oidc SET used_at = ? WHERE state_hash = ? AND "
	                 "browser_hash = ? AND used_at IS NULL AND expires_at > ?",
	                 "issi", now, w->state_hash, w->browser_hash, now);
	if (changed < 0)
		return SERTEL_ESTORE;
	if (changed == 0)
		return sertel_err(
		    SERTEL_EAUTH,
		    "Permintaan masuk SSO tidak berlaku: sudah dipakai, "
		    "kedaluwarsa, atau dari browser lain; mulai lagi / "
		    "SSO login state used, expired, unknown or from another "
		    "browser");
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT nonce, verifier FROM portal_oidc WHERE state_hash = ?")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, w->state_hash)) == 0 && (rc = db_step(s)) == 1) {
		str_copy(w->nonce, sizeof(w->nonce), db_col_text(s, 0));
		str_copy(w->verifier, sizeof(w->verifier), db_col_text(s, 1));
		rc = 0;
	} else if (rc == 0) {
		rc = sertel_err(SERTEL_ESTORE, "oidc: spent state vanished");
	}
	db_finalize(s);
	return rc;
}

int
oidc_state_spend(char nonce[65], char verifier[64], struct store *st, const char *state,
                 const char *browser)
{
	struct spend_work w;
	char sh[65], bh[65];
	int rc;

	nonce[0] = verifier[0] = '\0';
	if (!hex_id_valid(state, 64) || browser == NULL ||
	    strlen(browser) != PORTAL_ID_HEX)
		return sertel_err(SERTEL_EAUTH,
		                  "Jawaban penyedia SSO tidak lengkap / the "
		                  "callback lacks a valid state or cookie");
	sha256_hex(sh, state, strlen(state));
	sha256_hex(bh, browser, strlen(browser));
	memset(&w, 0, sizeof(w));
	w.state_hash = sh;
	w.browser_hash = bh;
	if ((rc = store_atomic(st, spend_fn, &w)) == 0) {
		str_copy(nonce, 65, w.nonce);
		str_copy(verifier, 64, w.verifier);
	}
	secure_wipe(w.verifier, sizeof(w.verifier));
	return rc;
}

/* "a:b" for client_secret_basic: each part form-encoded (RFC 6749 2.3.1). */
static int
basic_creds(struct buf *b, const struct oidc_conf *c)
{
	int rc;

	if ((rc = web_url_encode(b, c->client_id)) < 0 || (rc = buf_putc(b, ':')) < 0 ||
	    (rc = web_url_encode(b, c->secret)) < 0)
		return rc;
	return buf_cstr(b);
}

int
oidc_id_token_check(json_t **claims, const char *token, const json_t *jwks,
                    const char *issuer, const char *client_id, const char *nonce,
                    int64_t now)
{
	json_t *c = NULL, *aud, *v;
	const char *s;
	int64_t exp, iat;
	size_t i;
	int rc, found = 0;

	*claims = NULL;
	if ((rc = jws_verify(&c, token, jwks)) < 0)
		return rc;
	/* OpenID Connect Core 3.1.3.7, in its order. */
	s = json_string_value(json_object_get(c, "iss"));
	if (s == NULL || strcmp(s, issuer) != 0) {
		rc = sertel_err(SERTEL_EAUTH,
		                "ID token: Core 3.1.3.7(2): iss \"%.100s\" is not %s",
		                s ? s : "", issuer);
		goto out;
	}
	aud = json_object_get(c, "aud");
	if (json_is_string(aud))
		found = strcmp(json_string_value(aud), client_id) == 0;
	else if (json_is_array(aud))
		json_array_foreach(aud, i, v) found |=
		    json_is_string(v) && strcmp(json_string_value(v), client_id) == 0;
	if (!found) {
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "ID token: Core 3.1.3.7(3): aud does not name this client");
		goto out;
	}
	s = json_string_value(json_object_get(c, "azp"));
	if ((s != NULL && strcmp(s, client_id) != 0) ||
	    (s == NULL && json_is_array(aud) && json_array_size(aud) > 1)) {
		rc = sertel_err(SERTEL_EAUTH,
		                "ID token: Core 3.1.3.7(4,5): azp is not this client");
		goto out;
	}
	if (!json_is_integer(json_object_get(c, "exp")) ||
	    !json_is_integer(json_object_get(c, "iat"))) {
		rc = sertel_err(SERTEL_EAUTH,
		                "ID token: Core 2: exp and iat are required numbers");
		goto out;
	}
	exp = json_integer_value(json_object_get(c, "exp"));
	iat = json_integer_value(json_object_get(c, "iat"));
	if (exp <= now - OIDC_SKEW) {
		rc = sertel_err(SERTEL_EAUTH, "ID token: Core 3.1.3.7(9): expired");
		goto out;
	}
	if (iat > now + OIDC_SKEW || iat < now - OIDC_IAT_MAX - OIDC_SKEW) {
		rc = sertel_err(
		    SERTEL_EAUTH,
		    "ID token: Core 3.1.3.7(10): issued at a time too far from "
		    "now");
		goto out;
	}
	s = json_string_value(json_object_get(c, "nonce"));
	if (s == NULL || nonce == NULL || strlen(s) != strlen(nonce) ||
	    !ct_equal(s, nonce, strlen(nonce))) {
		rc = sertel_err(SERTEL_EAUTH,
		                "ID token: Core 3.1.3.7(11): nonce is not the one sent");
		goto out;
	}
	s = json_string_value(json_object_get(c, "sub"));
	if (s == NULL || s[0] == '\0') {
		rc = sertel_err(SERTEL_EAUTH, "ID token: Core 2: sub is required");
		goto out;
	}
	*claims = c;
	c = NULL;
	rc = 0;
out:
	json_decref(c);
	return rc;
}

int
oidc_claims_person(char nik[17], char claimed[160], struct store *st,
                   const struct oidc_conf *c, const json_t *claims)
{
	struct ra_person p;
	const char *v = json_string_value(json_object_get(claims, c->claim));
	const json_t *ev;
	int rc;

	if (v == NULL || v[0] == '\0')
		return sertel_err(
		    SERTEL_EAUTH,
		    "Penyedia SSO tidak mengirim klaim %s / the ID token has no "
		    "%s claim",
		    c->claim, c->claim);
	snprintf(claimed, 160, "%s:%.140s", c->claim, v);
	if (strcmp(c->claim, "email") == 0) {
		/* Core 5.1: an address the provider has not verified proves
		 * nothing about who holds it. */
		ev = json_object_get(claims, "email_verified");
		if (!json_is_true(ev))
			return sertel_err(
			    SERTEL_EAUTH,
			    "Alamat surel %s belum diverifikasi penyedia SSO / "
			    "email_verified is not true",
			    v);
		if ((rc = portal_person_by_email(nik, st, v)) < 0)
			return rc;
		if (nik[0] == '\0')
			return sertel_err(
			    SERTEL_EAUTH,
			    "Alamat surel %s tidak terdaftar di Otoritas Pendaftaran "
			    "/ not registered",
			    v);
		return 0;
	}
	if (strlen(v) != 16 || strspn(v, "0123456789") != 16)
		return sertel_err(SERTEL_EAUTH,
		                  "Klaim NIK dari penyedia SSO tidak sah / the nik "
		                  "claim is not 16 digits");
	if ((rc = ra_person_get(&p, st, v)) < 0)
		return rc == SERTEL_ENOTFOUND
		           ? sertel_err(
		                 SERTEL_EAUTH,
		                 "NIK dari penyedia SSO tidak terdaftar di Otoritas "
		                 "Pendaftaran / the NIK is not registered here")
		           : rc;
	str_copy(nik, 17, p.nik);
	return 0;
}

int
oidc_finish(char nik[17], char claimed[160], struct store *st, const struct oidc_conf *c,
            const char *state, const char *code, const char *browser, const char *peer)
{
	struct oidc_provider p;
	char nonce[65], verifier[64];
	struct buf body, creds;
	json_t *tok = NULL, *jwks = NULL, *claims = NULL;
	int rc;

	(void)peer;
	nik[0] = claimed[0] = nonce[0] = verifier[0] = '\0';
	buf_init(&body, 16384);
	buf_init(&creds, 2048);
	if (!c->enabled)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "oidc: not configured ([oidc] issuer)");
	if (code == NULL || code[0] == '\0' || strlen(code) > 2048)
		return sertel_err(SERTEL_EAUTH,
		                  "Jawaban penyedia SSO tidak lengkap / the "
		                  "callback lacks a valid code");
	if ((rc = oidc_state_spend(nonce, verifier, st, state, browser)) < 0 ||
	    (rc = discover(&p, c)) < 0)
		goto out;
	if ((rc = param(&body, "grant_type", "authorization_code")) < 0 ||
	    (rc = param(&body, "code", code)) < 0 ||
	    (rc = param(&body, "redirect_uri", c->redirect_uri)) < 0 ||
	    (rc = param(&body, "code_verifier", verifier)) < 0 ||
	    (rc = buf_cstr(&body)) < 0 || (rc = basic_creds(&creds, c)) < 0)
		goto out;
	if ((rc = provider_json(&tok, c, p.token, (const char *)body.data,
	                        (const char *)creds.data)) < 0 ||
	    (rc = provider_json(&jwks, c, p.jwks, NULL, NULL)) < 0)
		goto out;
	if ((rc = oidc_id_token_check(
	         &claims, json_string_value(json_object_get(tok, "id_token")), jwks,
	         c->issuer, c->client_id, nonce, time_now())) < 0 ||
	    (rc = oidc_claims_person(nik, claimed, st, c, claims)) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		nik[0] = '\0';
	secure_wipe(verifier, sizeof(verifier));
	if (creds.data != NULL)
		secure_wipe(creds.data, creds.len);
	buf_free(&creds);
	if (body.data != NULL)
		secure_wipe(body.data, body.len);
	buf_free(&body);
	json_decref(tok);
	json_decref(jwks);
	json_decref(claims);
	return rc;
}
