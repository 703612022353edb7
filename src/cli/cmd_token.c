/*
 * sertel token create --name N --role R
 * sertel token create --name N --nik NIK
 *
 * The token is printed once; only its SHA-256 is stored.  A token bound
 * to a registered person (--nik) acts as that person in the API, with the
 * roles the person holds when the token is used.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "http/http.h"
#include "ra/ra.h"

int
cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"name", required_argument, NULL, 'n'},
	    {"role", required_argument, NULL, 'r'},
	    {"nik", required_argument, NULL, 'k'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	const char *dir = cli_default_dir(), *json = NULL, *name = NULL, *role = NULL,
	           *nik = NULL;
	const char **const to[] = {&dir, &json, &name, &role, &nik};
	struct ra_person person;
	unsigned char raw[32], idb[8];
	char *b64 = NULL, token[64], hash[65], id[17], actor[128], obj[96], reason[64];
	int rc;

	if (argc < 2 || strcmp(argv[1], "create") != 0)
		return cli_usage("token: expected 'token create --name N "
		                 "(--role R | --nik NIK)'");
	if ((rc = cli_options(argc - 1, argv + 1, opts, to, "token create",
	                      "token create: --name N "
	                      "(--role R | --nik NIK)")) != 0)
		return rc;
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
		snprintf(reason, sizeof(reason), "person nik:%s", person.nik);
	else
		snprintf(reason, sizeof(reason), "%s", role);
	if ((rc = store_begin(in->st)) < 0)
		goto fail;
	if ((rc = store_token_put_nik(in->st, id, name, role, nik, hash)) < 0 ||
	    (rc = audit_append(in->st, actor, "token.create", obj, reason)) < 0) {
		store_rollback(in->st);
		goto fail;
	}
	if ((rc = store_commit(in->st)) < 0)
		goto fail;
	instance_close(in);
	if (json)
		cli_json_print(json_pack("{s:s, s:s, s:s, s:s*, s:s}", "id", id, "name",
		                         name, "role", role, "nik", nik, "token", token));
	else
		printf("%s\n", token);
	secure_wipe(token, sizeof(token));
	return 0;
fail:
	instance_close(in);
	secure_wipe(token, sizeof(token));
	return cli_fail(rc);
}
