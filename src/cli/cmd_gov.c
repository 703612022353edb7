/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel gov: the Dinas's governance duties (issue 13, src/gov).  Each
 * area is one cmd_gov_AREA.c reached through the table below as
 * `sertel gov AREA SUBCOMMAND [options]` (argv[0] = AREA).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} areas[] = {
    /* Each governance area: one line, in the order of REQUIREMENTS.md 6. */
    {"needs", cmd_gov_needs, "an agency's needs per year (Cirebon 4, Denpasar 5)"},
    {"plan", cmd_gov_plan, "master plan, road map, reviews (Cirebon 9)"},
    {"decree", cmd_gov_decree, "the decree and the agencies in scope (Palembang 7(2))"},
    {"ticket", cmd_gov_ticket,
     "complaints and requests for the issuer's help (Cirebon 20(3), 22)"},
    {"guide", cmd_gov_guide,
     "the SOP, the owner's rights and duties, the complaint procedure"},
    {"staff", cmd_gov_staff, "ASN per agency: import the staff CSV, headcount, missing"},
    {"coverage", cmd_gov_coverage, "coverage of ASN, certificates per type, expiring"},
    {"system", cmd_gov_system, "register of electronic systems and the TLS probe"},
    {"incident", cmd_gov_incident, "security incidents, notified at once (Cirebon 24)"},
    {NULL, NULL, NULL},
};

static void
gov_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: sertel gov AREA SUBCOMMAND [options]\n\n");
	for (i = 0; areas[i].name != NULL; i++)
		fprintf(f, "  %-12s %s\n", areas[i].name, areas[i].help);
}

int
cmd_gov(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		gov_usage(stderr);
		return EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		gov_usage(stdout);
		return 0;
	}
	for (i = 0; areas[i].name != NULL; i++)
		if (strcmp(argv[1], areas[i].name) == 0)
			return areas[i].fn(argc - 1, argv + 1);
	return cli_usage("gov: unknown area '%s' (see 'sertel gov --help')", argv[1]);
}
