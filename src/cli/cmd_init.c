/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel init --dir DIR [--db URL] [--org NAME] [--base-url URL] [--algo A]
 *             [--state ST] [--locality L] [--ra-only]
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

int
cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'b'},
	    {"org", required_argument, NULL, 'o'},
	    {"base-url", required_argument, NULL, 'u'},
	    {"algo", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"ra-only", no_argument, NULL, 'r'},
	    {"state", required_argument, NULL, 's'},
	    {"locality", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct instance_params p = {0};
	char actor[128];
	int c, json = 0, rc;

	p.dir = NULL;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': p.dir = optarg; break;
		case 'b': p.db = optarg; break;
		case 'o': p.org = optarg; break;
		case 'u': p.base_url = optarg; break;
		case 'a': p.algo = optarg; break;
		case 'j': json = 1; break;
		case 'r': p.ra_only = 1; break;
		case 's': p.state = optarg; break;
		case 'l': p.locality = optarg; break;
		default:
			return cli_badopt(
			    argv, "init: see 'sertel init --dir DIR [--db URL] "
			          "[--org NAME] [--base-url URL] [--algo A] [--state ST] "
			          "[--locality L] [--ra-only]'");
		}
	}
	if (optind != argc)
		return cli_usage("init: unexpected argument '%s'", argv[optind]);
	if (p.dir == NULL)
		return cli_usage("init: --dir DIR is required");
	instance_cli_actor(actor, sizeof(actor));
	p.actor = actor;
	if ((rc = instance_create(&p)) < 0)
		return cli_fail(rc);
	if (json)
		cli_json_print(
		    json_pack("{s:s, s:s}", "status", "created", "dir", p.dir));
	else
		printf("Instans sertel dibuat / instance created: %s\n", p.dir);
	return 0;
}
