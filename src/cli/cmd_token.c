/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel token create --name N (--role R | --nik NIK) [--expires-days N]
 * sertel token list [--json]
 * sertel token revoke NAME --reason R
 *
 * The token is printed once; only its SHA-256 is stored.  A token bound
 * to a registered person (--nik) acts as that person in the API, with the
 * roles the person holds when the token is used.  Every token expires
 * (issue 19): admin tokens after 90 days by default, others after 365;
 * revocation is effective at the next request.  Creation and revocation
 * are audited with actor, time and reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "http/http.h"
#include "ra/ra.h"

#define TOKEN_DAYS_ADMIN 90
#define TOKEN_DAYS_OTHER 365
#define TOKEN_DAYS_MAX   3650
#define DAY              86400

static const char *const usage =
    "token create --name N (--role R | --nik NIK) [--expires-days N] | list "
    "[--json] | revoke NAME --reason R";

static const char *
token_status(const struct token_rec *t, int64_t now)
{
	if (t->revoked)
		return "revoked";
	if (t->expires_at > 0 && now >= t->expires_at)
		return "expired";
	return t->expires_at > 0 ? "active"
	                         : "active (no expiry: made before expiry "
	                           "existed; replace it)";
}

/* s as a JSON string, or null when empty: one shape for every row. */
static json_t *
jstr_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

static int
token_one(const struct token_rec *t, void *arg)
{
	json_t *arr = arg;
	char created[32], expires[32] = "never", used[32] = "never";
	int64_t now = time_now();

	time_fmt(created, t->created_at);
	if (t->expires_at > 0)
		time_fmt(expires, t->expires_at);
	if (t->last_used_at > 0)
		time_fmt(used, t->last_used_at);
	if (arr != NULL) {
		json_array_append_new(
		    arr,
		    json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:s, s:o}", "id",
		              t->id, "name", t->name, "role", t->role, "nik",
		              jstr_null(t->nik), "created_at", created, "expires_at",
		              jstr_null(t->expires_at > 0 ? expires : NULL),
		              "last_used_at",
		              jstr_null(t->last_used_at > 0 ? used : NULL), "status",
		              t->revoked                                    ? "revoked"
		              : (t->expires_at > 0 && now >= t->expires_at) ? "expired"
		                                                            : "active",
		              "revoked_reason",
		              jstr_null(t->revoked ? t->revoked_reason : NULL)));
		return 0;
	}
	printf("%-24s %-8s %-16s %-20s %-20s %-20s %s\n", t->name, t->role,
	       t->nik[0] ? t->nik : "-", created, expires, used, token_status(t, now));
	return 0;
}

static int
token_list(const char *dir, const char *json)
{
	struct instance *in = NULL;
	json_t *arr = json ? json_array() : NULL;
	int rc;

	if ((rc = instance_open(&in, dir)) < 0)
		goto out;
	if (arr == NULL)
		printf("%-24s %-8s %-16s %-20s %-20s %-20s %s\n", "NAME", "ROLE",
		       "PERSON", "CREATED", "EXPIRES", "LAST USE", "STATUS");
	if ((rc = store_token_iter(in->st, token_one, arr)) < 0)
		goto out;
	if (arr != NULL) {
		cli_json_print(arr);
		arr = NULL;
	}
out:
	json_decref(arr);
	instance_close(in);
	return rc < 0 ? cli_fail(rc) : 0;
}

struct revoke_work {
	const char *name;
	const char *reason;
	const char *actor;
};

static int
revoke_fn(struct store *st, void *arg)
{
	struct revoke_work *w = arg;
	char obj[96], id[17];
	int rc;

	if ((rc = store_token_revoke(id, st, w->name, w->reason, time_now())) < 0)
		return rc;
	/* The object token.create named. */
	snprintf(obj, sizeof(obj), "token:%s", id);
	return audit_append(st, w->actor, "token.revoke", obj, w->reason);
}

static int
token_revoke(const char *dir, const char *name, const char *reason)
{
	struct instance *in = NULL;
	struct revoke_work w;
	char actor[128];
	int rc;

	if (name == NULL || reason == NULL || *reason == '\0')
		return cli_usage("token revoke: NAME and --reason are required");
	if ((rc = name_check_text("--reason", reason, 200)) < 0)
		return cli_fail(rc);
	instance_cli_actor(actor, sizeof(actor));
	w.name = name;
	w.reason = reason;
	w.actor = actor;
	if ((rc = instance_open(&in, dir)) == 0)
		rc = store_atomic(in->st, revoke_fn, &w);
	instance_close(in);
	return rc < 0 ? cli_fail(rc) : 0;
}

int
cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"name", required_argument, NULL, 'n'},
	    {"role", required_argument, NULL, 'r'},
	    {"nik", required_argument, NULL, 'k'},
	    {"expires-days", required_argument, NULL, 'e'},
	    {"reason", required_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	const char *dir = cli_default_dir(), *json = NULL, *name = NULL, *role = NULL,
	           *nik = NULL, *days_s = NULL, *why = NULL, *sub;
	const char **const to[] = {&dir, &json, &name, &role, &nik, &days_s, &why};
	struct ra_person person;
	unsigned char raw[32], idb[8];
	char *b64 = NULL, token[64], hash[65], id[17], actor[128], obj[96], reason[192],
	     expires[32];
	long long days;
	int64_t exp;
	const char *arg = NULL;
	int rc;

	if (argc < 2)
		return cli_usage("token: expected %s", usage);
	sub = argv[1];
	argc--;
	argv++;
	/* `token revoke NAME` */
	if (strcmp(sub, "revoke") == 0)
		cli_take_arg(&arg, &argc, argv, opts);
	if ((rc = cli_options(argc, argv, opts, to, "token", usage)) != 0)
		return rc;
	if (arg != NULL)
		name = arg;
	if (strcmp(sub, "list") == 0)
		return token_list(dir, json);
	if (strcmp(sub, "revoke") == 0)
		return token_revoke(dir, name, why);
	if (strcmp(sub, "create") != 0)
		return cli_usage("token: unknown subcommand '%s' (%s)", sub, usage);
	if (name == NULL || (role == NULL) == (nik == NULL))
		return cli_usage("token create: --name and either --role or --nik are "
		                 "required");
	if ((rc = name_check_text("--name", name, 64)) < 0)
		return cli_fail(rc);
	/* A person's token takes the person's roles; its own role says so. */
	if (nik != NULL)
		role = "person";
	else if (!http_role_valid(role))
		return cli_usage("token create: --role '%s': expected %s", role,
		                 HTTP_ROLES);
	/* Admin tokens can do everything: they live shortest. */
	days = strcmp(role, "admin") == 0 ? TOKEN_DAYS_ADMIN : TOKEN_DAYS_OTHER;
	if (days_s != NULL && parse_ll(&days, days_s, 1, TOKEN_DAYS_MAX) < 0)
		return cli_usage("token create: --expires-days '%s': 1..%d", days_s,
		                 TOKEN_DAYS_MAX);
	exp = time_now() + (int64_t)days * DAY;
	time_fmt(expires, exp);
	if ((rc = rand_bytes(raw, sizeof(raw))) < 0 ||
	    (rc = rand_bytes(idb, sizeof(idb))) < 0 ||
	    (rc = b64_encode(&b64, raw, sizeof(raw), 1)) < 0)
		return cli_fail(rc);
	snprintf(token, sizeof(token), "stk_%s", b64);
	secure_wipe(raw, sizeof(raw));
	secure_wipe(b64, strlen(b64));
	free(b64);
	sha256_hex(hash, token, strlen(token));
	hex_encode(id, idb, sizeof(idb));
	instance_cli_actor(actor, sizeof(actor));
	snprintf(obj, sizeof(obj), "token:%s", id);
	if ((rc = instance_open(&in, dir)) < 0)
		goto fail;
	if (nik != NULL && (rc = ra_person_get(&person, in->st, nik)) < 0)
		goto fail;
	if (nik != NULL)
		snprintf(reason, sizeof(reason), "name %s, person nik:%s, expires %s",
		         name, person.nik, expires);
	else
		snprintf(reason, sizeof(reason), "name %s, %s, expires %s", name, role,
		         expires);
	if ((rc = store_begin(in->st)) < 0)
		goto fail;
	if ((rc = store_token_put_nik(in->st, id, name, role, nik, hash, exp)) < 0 ||
	    (rc = audit_append(in->st, actor, "token.create", obj, reason)) < 0) {
		store_rollback(in->st);
		goto fail;
	}
	if ((rc = store_commit(in->st)) < 0)
		goto fail;
	instance_close(in);
	if (json)
		cli_json_print(json_pack("{s:s, s:s, s:s, s:s*, s:s, s:s}", "id", id,
		                         "name", name, "role", role, "nik", nik,
		                         "expires_at", expires, "token", token));
	else
		printf("%s\n", token);
	secure_wipe(token, sizeof(token));
	return 0;
fail:
	instance_close(in);
	secure_wipe(token, sizeof(token));
	return cli_fail(rc);
}
