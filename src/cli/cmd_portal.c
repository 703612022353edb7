/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel portal routes [--json]
 *
 * Every page of the portal and who may open it, as the server enforces it
 * (the route tables of src/http/web_portal*.c): for the administrator who
 * sets up logins, for auditors, and for the role tests that try each route
 * with each role.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"
#include "ra/ra.h"

static int
route_one(const char *method, const char *path, int login, unsigned roles, void *arg)
{
	json_t *arr = arg;
	char who[256];

	if (!login)
		str_copy(who, sizeof(who), "anyone");
	else if (roles == 0)
		str_copy(who, sizeof(who), "logged-in");
	else
		ra_roles_format(who, sizeof(who), roles);
	if (arr != NULL)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s}", "method",
		                                     method, "path", path, "login", login,
		                                     "roles", who));
	else
		printf("%-5s /portal%-28s %s\n", method, path, who);
	return 0;
}

int
cmd_portal(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	json_t *arr = NULL;
	int c, json = 0, rc;

	if (argc < 2 || strcmp(argv[1], "routes") != 0)
		return cli_usage("portal: expected routes");
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		default: return cli_badopt(argv, "portal routes [--json]");
		}
	}
	if (optind != argc)
		return cli_usage("portal routes: no arguments");
	if (json)
		arr = json_array();
	if ((rc = web_portal_routes(route_one, arr)) < 0) {
		json_decref(arr);
		return cli_fail(rc);
	}
	if (json)
		cli_json_print(arr);
	return 0;
}
