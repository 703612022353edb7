/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel serve --dir DIR [--listen ADDR:PORT]
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"listen", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct instance *in = NULL;
	const char *dir = cli_default_dir(), *listen = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': break;
		case 'l': listen = optarg; break;
		default:
			return cli_badopt(argv,
			                  "serve: [--dir DIR] [--listen ADDR:PORT]");
		}
	}
	if (optind != argc)
		return cli_usage("serve: unexpected argument '%s'", argv[optind]);
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	rc = http_serve(in, listen);
	instance_close(in);
	return rc < 0 ? cli_fail(rc) : 0;
}
