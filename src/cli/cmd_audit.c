/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel audit verify | list [--since T]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"

struct list_ctx {
	json_t *arr;
};

static int
print_entry(const struct audit_entry *e, void *arg)
{
	struct list_ctx *lc = arg;
	char ts[32], full[48];

	time_fmt(ts, e->ts_us / 1000000);
	/* Keep microseconds: ordering inside one second matters to auditors. */
	snprintf(full, sizeof(full), "%.19s.%06lldZ", ts,
	         (long long)(e->ts_us % 1000000));
	if (lc->arr != NULL) {
		json_array_append_new(
		    lc->arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
		                       (json_int_t)e->seq, "time", full, "actor",
		                       e->actor, "action", e->action, "object", e->object,
		                       "reason", e->reason, "hash", e->hash));
		return 0;
	}
	printf("%6lld %s %-22s %-16s %s%s%s\n", (long long)e->seq, full, e->actor,
	       e->action, e->object, *e->reason ? "  -- " : "", e->reason);
	return 0;
}

int
cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"since", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	struct list_ctx lc = {NULL};
	const char *dir = cli_default_dir(), *json = NULL, *since = NULL;
	const char **const to[] = {&dir, &json, &since};
	int64_t since_s = 0, bad = 0, count = 0;
	int rc, verify;

	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "list") != 0))
		return cli_usage("audit: expected verify or list");
	verify = strcmp(argv[1], "verify") == 0;
	if ((rc = cli_options(argc - 1, argv + 1, opts, to, "audit",
	                      "audit: verify | list [--since TIME] [--json]")) != 0)
		return rc;
	if (since != NULL && (verify || (rc = time_parse(&since_s, since)) < 0))
		return verify ? cli_usage("audit verify: --since is for list")
		              : cli_fail(rc);
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if (verify) {
		rc = audit_verify(in->st, &bad, &count);
		instance_close(in);
		if (rc == SERTEL_EINVALID) {
			if (json)
				cli_json_print(json_pack("{s:b, s:I, s:s}", "intact", 0,
				                         "first_bad_seq", (json_int_t)bad,
				                         "error", sertel_errmsg()));
			else
				fprintf(stderr,
				        "sertel: JEJAK AUDIT RUSAK / audit trail "
				        "TAMPERED: %s\n",
				        sertel_errmsg());
			return EXIT_INVALID;
		}
		if (rc < 0)
			return cli_fail(rc);
		if (json)
			cli_json_print(json_pack("{s:b, s:I}", "intact", 1, "entries",
			                         (json_int_t)count));
		else
			printf("Jejak audit utuh / audit trail intact: %lld entries\n",
			       (long long)count);
		return 0;
	}
	if (json)
		lc.arr = json_array();
	rc = audit_iter(in->st, since_s * 1000000, print_entry, &lc);
	instance_close(in);
	if (rc < 0) {
		json_decref(lc.arr);
		return cli_fail(rc);
	}
	if (json)
		cli_json_print(lc.arr);
	return 0;
}
