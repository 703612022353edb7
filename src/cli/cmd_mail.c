/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel mail list [--state S] | show ID | flush | retry ID
 *
 * The server delivers the notice queue by itself; flush is for instances
 * run from cron, retry puts a failed notice back in the queue.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "mail/mail.h"

static int
mail_one(const struct mail_rec *m, void *arg)
{
	json_t *arr = arg;
	char at[32];

	if (arr != NULL) {
		json_array_append_new(
		    arr,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s?}", "id", m->id, "to",
		              m->to, "subject", m->subject, "kind", m->kind, "state",
		              m->state, "attempts", (int)m->attempts, "last_error",
		              m->last_error[0] ? m->last_error : NULL));
		return 0;
	}
	time_fmt(at, m->created_at);
	printf("%s  %-8s %-10s %s  %s  %s\n", m->id, m->state, m->kind, at, m->to,
	       m->subject);
	return 0;
}

/* `mail show ID`: one message as it was (or will be) sent, for the
 * administrator who holds the instance anyway (e.g. a login link when no
 * SMTP server is configured, as in the demo). */
struct mail_find {
	const char *id;
	int found;
	int json;
};

static int
mail_show_one(const struct mail_rec *m, void *arg)
{
	struct mail_find *f = arg;
	char at[32];

	if (strcmp(m->id, f->id) != 0)
		return 0;
	f->found = 1;
	time_fmt(at, m->created_at);
	if (f->json)
		cli_json_print(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		                         m->id, "to", m->to, "subject", m->subject,
		                         "kind", m->kind, "state", m->state, "created_at",
		                         at, "body", m->body));
	else
		printf("To: %s\nSubject: %s\nKind: %s\nState: %s\nQueued: %s\n\n%s\n",
		       m->to, m->subject, m->kind, m->state, at, m->body);
	return 1;
}

int
cmd_mail(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"state", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = cli_default_dir(), *state = NULL, *sub;
	struct instance *in = NULL;
	struct mail_conf mc;
	json_t *arr = NULL;
	int c, json = 0, rc, sent = 0, failed = 0;

	if (argc < 2 || (strcmp(argv[1], "list") && strcmp(argv[1], "flush") &&
	                 strcmp(argv[1], "retry") && strcmp(argv[1], "show")))
		return cli_usage("mail: expected list, show, flush or retry");
	sub = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 's': state = optarg; break;
		default:
			return cli_badopt(
			    argv, "mail list [--state S] | show ID | flush | retry ID");
		}
	}
	if (strcmp(sub, "retry") == 0 || strcmp(sub, "show") == 0 ? optind + 1 != argc
	                                                          : optind != argc)
		return cli_usage("mail %s: wrong arguments", sub);
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if (strcmp(sub, "list") == 0) {
		if (json)
			arr = json_array();
		if ((rc = mail_list(in->st, state, mail_one, arr)) < 0) {
			json_decref(arr);
			instance_close(in);
			return cli_fail(rc);
		}
		if (json)
			cli_json_print(arr);
	} else if (strcmp(sub, "show") == 0) {
		struct mail_find f = {argv[optind], 0, json};

		if ((rc = mail_list(in->st, NULL, mail_show_one, &f)) < 0) {
			instance_close(in);
			return cli_fail(rc);
		}
		if (!f.found) {
			instance_close(in);
			return cli_fail(sertel_err(
			    SERTEL_ENOTFOUND, "mail %s: no such message", argv[optind]));
		}
	} else if (strcmp(sub, "retry") == 0) {
		if ((rc = mail_retry(in->st, argv[optind])) < 0) {
			instance_close(in);
			return cli_fail(rc);
		}
		printf("queued again: %s\n", argv[optind]);
	} else {
		if ((rc = mail_conf_load(&mc, in->cfg)) < 0) {
			instance_close(in);
			return cli_fail(rc);
		}
		if (!mc.enabled) {
			instance_close(in);
			return cli_usage("mail flush: no [smtp] host in sertel.conf");
		}
		do {
			int s1 = 0, f1 = 0;
			rc = mail_flush(in->st, &mc, &s1, &f1);
			sent += s1;
			failed += f1;
			if (s1 + f1 < MAIL_FLUSH_BATCH)
				break;
		} while (rc >= 0);
		mail_conf_clear(&mc);
		if (rc < 0) {
			instance_close(in);
			return cli_fail(rc);
		}
		if (json)
			cli_json_print(
			    json_pack("{s:i, s:i}", "sent", sent, "failed", failed));
		else
			printf("terkirim / sent: %d, gagal / failed: %d\n", sent, failed);
	}
	instance_close(in);
	return 0;
}
