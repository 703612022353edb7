/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Client applications of the e-sign API (SRIKANDI, village apps, ...):
 * each holds a name and a secret for HTTP Basic authentication, as BSrE's
 * Esign Client Service expects.  The secret is 32 random bytes printed
 * once; only its SHA-256 is stored (a high-entropy secret needs no slow
 * hash, as with API tokens).  Permissions say what a client may do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/esign.h"
#include "pki/pki.h"

static const struct bit_name perm_names[] = {
    {"sign", ESIGN_PERM_SIGN},
    {"verify", ESIGN_PERM_VERIFY},
    {"seal", ESIGN_PERM_SEAL},
    {"register", ESIGN_PERM_REGISTER},
};

int
esign_perms_parse(unsigned *out, const char *list)
{
	char buf[128], *p, *save = NULL;
	size_t i;
	unsigned bits = 0;
	int found;

	*out = 0;
	if (list == NULL || *list == '\0')
		return sertel_err(
		    SERTEL_EINVAL,
		    "--perms: expected a list of sign, verify, seal, register");
	if (str_copy(buf, sizeof(buf), list) < 0)
		return sertel_err(SERTEL_EINVAL, "--perms: too long");
	for (p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		found = 0;
		for (i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++) {
			if (strcmp(p, perm_names[i].name) == 0) {
				if (bits & perm_names[i].bit)
					return sertel_err(SERTEL_EINVAL,
					                  "--perms: '%s' twice", p);
				bits |= perm_names[i].bit;
				found = 1;
			}
		}
		if (!found)
			return sertel_err(SERTEL_EINVAL,
			                  "--perms: unknown permission '%s' (sign, "
			                  "verify, seal, register)",
			                  p);
	}
	*out = bits;
	return 0;
}

void
esign_perms_format(char *out, size_t outsz, unsigned perms)
{
	bits_format(out, outsz, perms, perm_names,
	            sizeof(perm_names) / sizeof(perm_names[0]));
}

/* A fresh secret (32 random bytes, base64; *out owned by caller, wipe
 * it) and the SHA-256 that is all the store keeps. */
static int
secret_new(char **out, char hash[65])
{
	unsigned char raw[32];
	int rc;

	*out = NULL;
	if ((rc = rand_bytes(raw, sizeof(raw))) == 0 &&
	    (rc = b64_encode(out, raw, sizeof(raw), 1)) == 0)
		sha256_hex(hash, *out, strlen(*out));
	secure_wipe(raw, sizeof(raw));
	return rc;
}

/* Runs fn atomically; when it commits, the new secret b64 (owned) goes to
 * *secret, otherwise it is wiped: printed once or never. */
static int
secret_commit(char **secret, char *b64, struct store *st, store_fn fn, void *arg)
{
	int rc = store_atomic(st, fn, arg);

	if (rc == 0) {
		*secret = b64;
		return 0;
	}
	secure_wipe(b64, strlen(b64));
	free(b64);
	return rc;
}

struct client_add {
	const struct esign_client *c;
	const char *hash;
	const char *actor;
};

static int
client_add_fn(struct store *st, void *arg)
{
	struct client_add *w = arg;
	char perms[64], obj[96], reason[160];
	int64_t rc;

	esign_perms_format(perms, sizeof(perms), w->c->perms);
	if (w->c->seal_id[0] != '\0') {
		struct db_stmt *s = NULL;
		int found = 0;
		if ((rc = db_prepare(&s, store_db(st),
		                     "SELECT 1 FROM esign_seals WHERE id = ?")) < 0)
			return (int)rc;
		if ((rc = db_bind_text(s, 1, w->c->seal_id)) == 0)
			found = db_step(s) == 1;
		db_finalize(s);
		if (!found)
			return sertel_err(SERTEL_ENOTFOUND, "seal '%s': not registered",
			                  w->c->seal_id);
	}
	rc = db_run(store_db(st),
	            "INSERT INTO esign_clients (id, name, secret_hash, perms, seal_id, "
	            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
	            "sssssi", w->c->id, w->c->name, w->hash, perms,
	            w->c->seal_id[0] ? w->c->seal_id : NULL, w->c->created_at);
	if (rc == SERTEL_EEXISTS)
		return sertel_err(SERTEL_EEXISTS, "client '%s': name taken", w->c->name);
	if (rc < 0)
		return (int)rc;
	snprintf(obj, sizeof(obj), "esign-client:%s", w->c->name);
	snprintf(reason, sizeof(reason), "perms %s%s%s", perms,
	         w->c->seal_id[0] ? ", seal " : "", w->c->seal_id);
	return audit_append(st, w->actor, "esign.client.add", obj, reason);
}

int
esign_client_add(struct esign_client *out, char **secret, struct store *st,
                 const char *actor, const char *name, unsigned perms, const char *seal_id)
{
	unsigned char idb[8];
	char *b64 = NULL, hash[65];
	struct client_add w;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	*secret = NULL;
	if (name == NULL || *name == '\0' || strlen(name) > 64)
		return sertel_err(SERTEL_EINVAL, "client name: 1 to 64 characters");
	/* The name is the Basic user name: no ':' (RFC 7617 2), printable. */
	for (i = 0; name[i]; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return sertel_err(
			    SERTEL_EINVAL,
			    "client name '%s': letters, digits, '-', '_', '.' only",
			    name);
	}
	if (perms == 0)
		return sertel_err(SERTEL_EINVAL, "client %s: no permission given", name);
	if ((perms & ESIGN_PERM_SEAL) && (seal_id == NULL || *seal_id == '\0'))
		return sertel_err(SERTEL_EINVAL,
		                  "client %s: permission seal needs --seal ID", name);
	if (seal_id != NULL && *seal_id != '\0' && !(perms & ESIGN_PERM_SEAL))
		return sertel_err(SERTEL_EINVAL,
		                  "client %s: --seal needs permission seal", name);
	if ((rc = rand_bytes(idb, sizeof(idb))) < 0 || (rc = secret_new(&b64, hash)) < 0)
		return rc;
	hex_encode(out->id, idb, sizeof(idb));
	str_copy(out->name, sizeof(out->name), name);
	out->perms = perms;
	if (seal_id != NULL)
		str_copy(out->seal_id, sizeof(out->seal_id), seal_id);
	out->created_at = time_now();
	w.c = out;
	w.hash = hash;
	w.actor = actor;
	return secret_commit(secret, b64, st, client_add_fn, &w);
}

struct client_rm {
	const char *name;
	const char *actor;
};

static int
client_rm_fn(struct store *st, void *arg)
{
	struct client_rm *w = arg;
	char obj[96];
	int64_t n;

	n = db_run(store_db(st),
	           "UPDATE esign_clients SET removed = 1 WHERE name = ? AND removed = 0",
	           "s", w->name);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND, "client '%s': no such client",
		                  w->name);
	snprintf(obj, sizeof(obj), "esign-client:%s", w->name);
	return audit_append(st, w->actor, "esign.client.remove", obj, "");
}

int
esign_client_remove(struct store *st, const char *actor, const char *name)
{
	struct client_rm w = {name, actor};

	return store_atomic(st, client_rm_fn, &w);
}

/* Revocation and rotation: one statement each on the active row, so the
 * old secret fails at the very next request (esign_client_auth reads the
 * row every time), and the audit entry commits with it. */
struct client_change {
	const char *name;
	const char *actor;
	const char *reason;
	const char *hash;   /* rotation: the new secret's hash */
	const char *origin; /* the v2 origin; hash and origin NULL: revoke */
};

static int
client_change_fn(struct store *st, void *arg)
{
	struct client_change *w = arg;
	char obj[96], detail[260];
	int64_t n, now = time_now();

	if (w->hash != NULL)
		n = db_run(store_db(st),
		           "UPDATE esign_clients SET secret_hash = ?, rotated_at = ? "
		           "WHERE name = ? AND removed = 0",
		           "sis", w->hash, now, w->name);
	else if (w->origin != NULL)
		n = db_run(store_db(st),
		           "UPDATE esign_clients SET v2_origin = ? WHERE name = ? AND "
		           "removed = 0",
		           "ss", w->origin, w->name);
	else
		n = db_run(store_db(st),
		           "UPDATE esign_clients SET removed = 1, revoked_at = ?, "
		           "revoked_reason = ? WHERE name = ? AND removed = 0",
		           "iss", now, w->reason, w->name);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return sertel_err(SERTEL_ENOTFOUND, "client '%s': no such active client",
		                  w->name);
	snprintf(obj, sizeof(obj), "esign-client:%s", w->name);
	if (w->origin != NULL) {
		snprintf(detail, sizeof(detail), "v2 origin %s: %s", w->origin,
		         w->reason);
		return audit_append(st, w->actor, "esign.client.origin", obj, detail);
	}
	return audit_append(
	    st, w->actor, w->hash != NULL ? "esign.client.rotate" : "esign.client.revoke",
	    obj, w->reason);
}

static int
reason_check(const char *reason)
{
	if (reason == NULL || *reason == '\0')
		return sertel_err(SERTEL_EINVAL, "--reason is required");
	return name_check_text("--reason", reason, 200);
}

int
esign_client_revoke(struct store *st, const char *actor, const char *name,
                    const char *reason)
{
	struct client_change w = {name, actor, reason, NULL, NULL};
	int rc;

	if ((rc = reason_check(reason)) < 0)
		return rc;
	return store_atomic(st, client_change_fn, &w);
}

int
esign_client_rotate(char **secret, struct store *st, const char *actor, const char *name,
                    const char *reason)
{
	struct client_change w = {name, actor, reason, NULL, NULL};
	char hash[65], *b64 = NULL;
	int rc;

	*secret = NULL;
	if ((rc = reason_check(reason)) < 0 || (rc = secret_new(&b64, hash)) < 0)
		return rc;
	w.hash = hash;
	return secret_commit(secret, b64, st, client_change_fn, &w);
}

static void
client_from_row(struct esign_client *c, struct db_stmt *s)
{
	const char *seal, *origin;

	memset(c, 0, sizeof(*c));
	str_copy(c->id, sizeof(c->id), db_col_text(s, 0));
	str_copy(c->name, sizeof(c->name), db_col_text(s, 1));
	esign_perms_parse(&c->perms, db_col_text(s, 2));
	seal = db_col_text(s, 3);
	if (seal != NULL)
		str_copy(c->seal_id, sizeof(c->seal_id), seal);
	c->created_at = db_col_int(s, 4);
	c->last_used_at = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
	c->rotated_at = db_col_null(s, 6) ? 0 : db_col_int(s, 6);
	origin = db_col_text(s, 7);
	c->v2_bottom_left = origin != NULL && strcmp(origin, "bottom-left") == 0;
}

#define CLIENT_COLS                                                                      \
	"id, name, perms, seal_id, created_at, last_used_at, rotated_at, v2_origin"

int
esign_client_iter(struct store *st, esign_client_fn cb, void *arg)
{
	struct db_stmt *s = NULL;
	struct esign_client c;
	int rc;

	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " CLIENT_COLS " FROM esign_clients "
	                     "WHERE removed = 0 ORDER BY name")) < 0)
		return rc;
	while ((rc = db_step(s)) == 1) {
		client_from_row(&c, s);
		if ((rc = cb(&c, arg)) != 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int
esign_client_auth(struct esign_client *out, struct store *st, const char *name,
                  const char *secret)
{
	struct db_stmt *s = NULL;
	char hash[65];
	const char *stored;
	int rc, ok = 0;

	memset(out, 0, sizeof(*out));
	if (name == NULL || secret == NULL || strlen(secret) > 256)
		return sertel_err(SERTEL_EAUTH, "missing credentials");
	sha256_hex(hash, secret, strlen(secret));
	if ((rc = db_prepare(&s, store_db(st),
	                     "SELECT " CLIENT_COLS ", secret_hash "
	                     "FROM esign_clients WHERE name = ? AND removed = 0")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, name)) == 0 && (rc = db_step(s)) == 1) {
		stored = db_col_text(s, 8);
		ok = stored != NULL && strlen(stored) == 64 && ct_equal(stored, hash, 64);
		if (ok)
			client_from_row(out, s);
		rc = 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return sertel_err(SERTEL_EAUTH, "unknown client or wrong secret");
	}
	return 0;
}

int
esign_client_set_origin(struct store *st, const char *actor, const char *name,
                        const char *origin, const char *reason)
{
	struct client_change w = {name, actor, reason, NULL, origin};
	int rc;

	if (origin == NULL ||
	    (strcmp(origin, "top-left") != 0 && strcmp(origin, "bottom-left") != 0))
		return sertel_err(SERTEL_EINVAL,
		                  "--v2-origin: top-left (BSrE's guide) or bottom-left");
	if ((rc = reason_check(reason)) < 0)
		return rc;
	return store_atomic(st, client_change_fn, &w);
}

int
esign_client_manage_check(const struct ra_actor *who)
{
	if (who->roles & (ROLE_ADMIN | ROLE_KEPALA_DINAS))
		return 0;
	return sertel_err(SERTEL_EPERM,
	                  "%s: client applications are managed by the kepala-dinas or "
	                  "the administrator",
	                  who->label);
}
