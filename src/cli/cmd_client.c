/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel client add --name N --perms sign,verify[,seal] [--seal ID]
 * sertel client list
 * sertel client remove --name N
 * sertel client rotate NAME --reason R
 * sertel client revoke NAME --reason R
 * sertel client origin NAME --v2-origin top-left|bottom-left --reason R
 *     Client applications of the e-sign API (HTTP Basic: name + secret;
 *     the secret is printed once, only its SHA-256 is kept).  A rotated
 *     secret is printed once too; the old one, like a revoked client's,
 *     fails at the next request.  Every change is audited.
 *
 * sertel esign status --nik NIK
 * sertel esign unlock --nik NIK --reason R [--as OPERATOR_NIK]
 * sertel esign passphrase --nik NIK --old-file F --new-file F
 * sertel esign totp enrol --nik NIK --passphrase-file F
 * sertel esign totp disable --nik NIK [--as NIK]
 * sertel esign seal add --id ID --key KEY.pem --cert CERT.pem
 * sertel esign seal email --id ID --email ADDR
 * sertel esign otp enrol --nik NIK --passphrase-file F
 * sertel esign otp disable --nik NIK [--as NIK]
 *     The owner side of the signing service (docs/api-bsre.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "esign/esign.h"
#include "ra/ra.h"
#include "sign/sign.h"

static int
client_one(const struct esign_client *c, void *arg)
{
	json_t *arr = arg;
	char perms[64], t[32];

	char used[32] = "never", rot[32] = "";

	esign_perms_format(perms, sizeof(perms), c->perms);
	time_fmt(t, c->created_at);
	if (c->last_used_at > 0)
		time_fmt(used, c->last_used_at);
	if (c->rotated_at > 0)
		time_fmt(rot, c->rotated_at);
	if (arr != NULL)
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s*, s:s, s:o, s:o, s:s}", "id",
		                   c->id, "name", c->name, "perms", perms, "seal",
		                   c->seal_id[0] ? c->seal_id : NULL, "created_at", t,
		                   "last_used_at",
		                   c->last_used_at > 0 ? json_string(used) : json_null(),
		                   "rotated_at",
		                   c->rotated_at > 0 ? json_string(rot) : json_null(),
		                   "v2_origin",
		                   c->v2_bottom_left ? "bottom-left" : "top-left"));
	else
		printf("%s  %-24s %-18s %-16s last use %s\n", c->id, c->name, perms,
		       c->seal_id[0] ? c->seal_id : "-", used);
	return 0;
}

int
cmd_client(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"name", required_argument, NULL, 'n'},
	    {"perms", required_argument, NULL, 'p'},
	    {"seal", required_argument, NULL, 's'},
	    {"reason", required_argument, NULL, 'r'},
	    {"v2-origin", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	const char *usage =
	    "client add --name N --perms sign,verify,seal [--seal ID] | list | "
	    "remove --name N | rotate NAME --reason R | revoke NAME --reason R | "
	    "origin NAME --v2-origin top-left|bottom-left --reason R";
	const char *dir = cli_default_dir(), *json = NULL, *name = NULL, *perms_s = NULL,
	           *seal = NULL, *reason = NULL, *origin = NULL, *sub;
	const char **const to[] = {&dir, &json, &name, &perms_s, &seal, &reason, &origin};
	struct instance *in = NULL;
	struct esign_client cl;
	char actor[128], *secret = NULL;
	unsigned perms = 0;
	const char *arg = NULL;
	int rc, ex = 0;

	if (argc < 2)
		return cli_usage("%s", usage);
	sub = argv[1];
	argc--;
	argv++;
	/* `client rotate NAME`, `client revoke NAME` (or --name N). */
	if (strcmp(sub, "rotate") == 0 || strcmp(sub, "revoke") == 0 ||
	    strcmp(sub, "origin") == 0)
		cli_take_arg(&arg, &argc, argv, opts);
	if ((ex = cli_options(argc, argv, opts, to, "client", usage)) != 0)
		return ex;
	if (arg != NULL)
		name = arg;
	if (strcmp(sub, "add") == 0) {
		if (name == NULL || perms_s == NULL)
			return cli_usage("client add: --name and --perms are required");
		if ((rc = esign_perms_parse(&perms, perms_s)) < 0)
			return cli_fail(rc);
	} else if (strcmp(sub, "remove") == 0) {
		if (name == NULL)
			return cli_usage("client remove: --name is required");
	} else if (strcmp(sub, "rotate") == 0 || strcmp(sub, "revoke") == 0) {
		if (name == NULL || reason == NULL)
			return cli_usage("client %s: NAME and --reason are required",
			                 sub);
	} else if (strcmp(sub, "origin") == 0) {
		if (name == NULL || origin == NULL || reason == NULL)
			return cli_usage(
			    "client origin: NAME, --v2-origin and --reason are required");
	} else if (strcmp(sub, "list") != 0) {
		return cli_usage("client: unknown subcommand '%s' (%s)", sub, usage);
	}
	instance_cli_actor(actor, sizeof(actor));
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if (strcmp(sub, "add") == 0) {
		if ((rc = esign_client_add(&cl, &secret, in->st, actor, name, perms,
		                           seal)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if (json) {
			char ps[64];
			esign_perms_format(ps, sizeof(ps), cl.perms);
			cli_json_print(json_pack(
			    "{s:s, s:s, s:s, s:s*, s:s}", "id", cl.id, "name", cl.name,
			    "perms", ps, "seal", cl.seal_id[0] ? cl.seal_id : NULL,
			    "secret", secret));
		} else {
			printf("%s\n", secret);
		}
	} else if (strcmp(sub, "remove") == 0) {
		if ((rc = esign_client_remove(in->st, actor, name)) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "origin") == 0) {
		if ((rc = esign_client_set_origin(in->st, actor, name, origin, reason)) <
		    0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "revoke") == 0) {
		if ((rc = esign_client_revoke(in->st, actor, name, reason)) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "rotate") == 0) {
		if ((rc = esign_client_rotate(&secret, in->st, actor, name, reason)) <
		    0) {
			ex = cli_fail(rc);
			goto out;
		}
		if (json)
			cli_json_print(
			    json_pack("{s:s, s:s}", "name", name, "secret", secret));
		else
			printf("%s\n", secret);
	} else {
		json_t *arr = json ? json_array() : NULL;
		if ((rc = esign_client_iter(in->st, client_one, arr)) < 0) {
			json_decref(arr);
			ex = cli_fail(rc);
			goto out;
		}
		if (arr != NULL)
			cli_json_print(arr);
	}
out:
	if (secret != NULL) {
		secure_wipe(secret, strlen(secret));
		free(secret);
	}
	instance_close(in);
	return ex;
}

static void
drop_pass(unsigned char *p, size_t n)
{
	if (p != NULL) {
		secure_wipe(p, n);
		free(p);
	}
}

/* An esign refusal: BSrE code and its Indonesian message, exit 2. */
static int
esign_fail(const struct esign_error *e, int rc)
{
	if (e->code != 0) {
		fprintf(stderr, "sertel: %s (%d; %s)\n", e->msg, e->code,
		        sertel_errmsg());
		return EXIT_ERROR;
	}
	return cli_fail(rc);
}

int
cmd_esign(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"nik", required_argument, NULL, 'n'},
	    {"as", required_argument, NULL, 'a'},
	    {"reason", required_argument, NULL, 'r'},
	    {"old-file", required_argument, NULL, 'o'},
	    {"new-file", required_argument, NULL, 'N'},
	    {"passphrase-file", required_argument, NULL, 'P'},
	    {"id", required_argument, NULL, 'i'},
	    {"key", required_argument, NULL, 'k'},
	    {"cert", required_argument, NULL, 'c'},
	    {"email", required_argument, NULL, 'e'},
	    {NULL, 0, NULL, 0},
	};
	const char *usage =
	    "esign status|unlock|passphrase|totp enrol|totp disable|otp enrol|otp "
	    "disable|seal add|seal email (see docs/api-bsre.md)";
	const char *dir = cli_default_dir(), *json = NULL, *nik = NULL, *as = NULL,
	           *reason = NULL, *oldf = NULL, *newf = NULL, *passf = NULL, *id = NULL,
	           *keyf = NULL, *certf = NULL, *email = NULL;
	const char **const to[] = {&dir,  &json,  &nik, &as,   &reason, &oldf,
	                           &newf, &passf, &id,  &keyf, &certf,  &email};
	char sub[32], actor[128], *b32 = NULL, *uri = NULL;
	unsigned char *p1 = NULL, *p2 = NULL, *kp = NULL, *cp = NULL;
	size_t l1 = 0, l2 = 0, kl = 0, cl = 0;
	struct instance *in = NULL;
	struct esign_conf ec;
	struct esign_error err;
	struct esign_owner o;
	struct ra_actor who;
	int rc, ex = 0;

	memset(&err, 0, sizeof(err));
	if (argc < 2)
		return cli_usage("%s", usage);
	/* Two-word subcommands: "totp enrol", "seal add". */
	if ((strcmp(argv[1], "totp") == 0 || strcmp(argv[1], "seal") == 0 ||
	     strcmp(argv[1], "otp") == 0) &&
	    argc >= 3) {
		snprintf(sub, sizeof(sub), "%s %s", argv[1], argv[2]);
		argc -= 2;
		argv += 2;
	} else {
		snprintf(sub, sizeof(sub), "%s", argv[1]);
		argc--;
		argv++;
	}
	if ((ex = cli_options(argc, argv, opts, to, "esign", usage)) != 0)
		return ex;
	if (strcmp(sub, "seal add") == 0) {
		if (id == NULL || keyf == NULL || certf == NULL)
			return cli_usage(
			    "esign seal add: --id, --key and --cert are required");
	} else if (strcmp(sub, "seal email") == 0) {
		if (id == NULL || email == NULL)
			return cli_usage(
			    "esign seal email: --id and --email are required");
	} else if (nik == NULL) {
		return cli_usage("esign %s: --nik is required", sub);
	}
	if (strcmp(sub, "unlock") == 0 && reason == NULL)
		return cli_usage("esign unlock: --reason is required");
	if (strcmp(sub, "passphrase") == 0 && (oldf == NULL || newf == NULL))
		return cli_usage(
		    "esign passphrase: --old-file and --new-file are required");
	if ((strcmp(sub, "totp enrol") == 0 || strcmp(sub, "otp enrol") == 0) &&
	    passf == NULL)
		return cli_usage("esign %s: --passphrase-file is required", sub);
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if ((rc = esign_conf_load(&ec, in->cfg, in->pc.base_url)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	instance_cli_actor(actor, sizeof(actor));
	if (strcmp(sub, "status") == 0) {
		rc = esign_owner_get(&o, in->st, nik, NULL, time_now());
		if (rc == SERTEL_ENOTFOUND) {
			o.status = ESIGN_ST_NOT_REGISTERED;
			rc = 0;
		}
		if (rc < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if (json)
			cli_json_print(json_pack(
			    "{s:s, s:s, s:s, s:b, s:i, s:b, s:b}", "nik", nik, "status",
			    esign_status_name(o.status), "serial", o.serial, "locked",
			    o.locked, "failures", o.failures, "totp", o.totp_enrolled,
			    "server_key", o.has_sealed_key));
		else
			printf("%s\n", esign_status_name(o.status));
	} else if (strcmp(sub, "unlock") == 0) {
		if ((rc = cli_actor(&who, in, as)) < 0 ||
		    (rc = esign_unlock(in->st, &who, nik, reason)) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "passphrase") == 0) {
		if ((rc = sign_read_pass(&p1, &l1, oldf)) < 0 ||
		    (rc = sign_read_pass(&p2, &l2, newf)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if ((rc = esign_passphrase_change(&err, in->st, &ec, nik, (char *)p1, l1,
		                                  (char *)p2, l2)) < 0)
			ex = esign_fail(&err, rc);
	} else if (strcmp(sub, "totp enrol") == 0) {
		if ((rc = sign_read_pass(&p1, &l1, passf)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if ((rc = esign_totp_enrol(&err, &b32, &uri, in->st, &ec, nik, (char *)p1,
		                           l1)) < 0) {
			ex = esign_fail(&err, rc);
			goto out;
		}
		if (json)
			cli_json_print(json_pack("{s:s, s:s, s:s}", "nik", nik, "secret",
			                         b32, "uri", uri));
		else
			printf("%s\n%s\n", b32, uri);
	} else if (strcmp(sub, "totp disable") == 0) {
		if ((rc = cli_actor(&who, in, as)) < 0 ||
		    (rc = esign_totp_disable(in->st, &who, nik)) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "otp enrol") == 0) {
		/* Issue 12: BSrE's e-mailed code may replace the passphrase. */
		if ((rc = sign_read_pass(&p1, &l1, passf)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		if ((rc = esign_otp_enrol(&err, in->st, &ec, nik, (char *)p1, l1)) < 0)
			ex = esign_fail(&err, rc);
	} else if (strcmp(sub, "otp disable") == 0) {
		if ((rc = cli_actor(&who, in, as)) < 0 ||
		    (rc = esign_otp_disable(in->st, &who, nik)) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "seal email") == 0) {
		if ((rc = esign_seal_email_set(in->st, actor, id, email)) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "seal add") == 0) {
		if ((rc = file_read(&kp, &kl, keyf, 64 * 1024)) < 0 ||
		    (rc = file_read(&cp, &cl, certf, SERTEL_MAX_CERT)) < 0 ||
		    (rc = esign_seal_add(in->st, actor, id, kp, kl, cp, cl, in->master)) <
		        0)
			ex = cli_fail(rc);
	} else {
		ex = cli_usage("esign: unknown subcommand '%s' (%s)", sub, usage);
	}
out:
	drop_pass(p1, l1);
	drop_pass(p2, l2);
	drop_pass(kp, kl);
	free(cp);
	if (b32 != NULL) {
		secure_wipe(b32, strlen(b32));
		free(b32);
	}
	if (uri != NULL) {
		secure_wipe(uri, strlen(uri));
		free(uri);
	}
	sign_look_free(&ec.look);
	instance_close(in);
	return ex;
}
