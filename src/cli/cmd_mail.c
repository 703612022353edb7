/*
 * sertel mail list [--state S] | flush | retry ID
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
	                 strcmp(argv[1], "retry")))
		return cli_usage("mail: expected list, flush or retry");
	sub = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 's': state = optarg; break;
		default:
			return cli_badopt(argv,
			                  "mail list [--state S] | flush | retry ID");
		}
	}
	if (strcmp(sub, "retry") == 0 ? optind + 1 != argc : optind != argc)
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
