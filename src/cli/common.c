/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int
cli_fail(int rc)
{
	const char *m = sertel_errmsg();

	fprintf(stderr, "sertel: %s\n", *m ? m : sertel_errname(rc));
	return rc == SERTEL_EINVALID ? EXIT_INVALID : EXIT_ERROR;
}

int
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("sertel: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

int
cli_badopt(char **argv, const char *usage)
{
	const char *opt = argv[optind - 1];

	/* getopt leaves optopt at the option's value when its argument is
	 * missing, and at 0 for an option it does not know. */
	if (optopt != 0)
		return cli_usage("option '%s' needs a value (%s)", opt, usage);
	return cli_usage("unknown option '%s' (%s)", opt, usage);
}

int
cli_options(int argc, char **argv, const struct option *opts, const char **const *to,
            const char *what, const char *usage)
{
	int c, i;

	while ((c = getopt_long(argc, argv, "", opts, &i)) != -1) {
		if (c == '?' || c == ':')
			return cli_badopt(argv, usage);
		*to[i] = opts[i].has_arg == no_argument ? opts[i].name : optarg;
	}
	if (optind != argc)
		return cli_usage("%s: unexpected argument '%s'", what, argv[optind]);
	return 0;
}

void
cli_take_arg(const char **out, int *argc, char **argv, const struct option *opts)
{
	int i, j, k;

	*out = NULL;
	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strncmp(argv[i], "--", 2) != 0) {
			*out = argv[i];
			for (j = i; j + 1 < *argc; j++)
				argv[j] = argv[j + 1];
			(*argc)--;
			return;
		}
		if (strchr(argv[i], '=') != NULL)
			continue;
		/* "--name VALUE": VALUE belongs to the option. */
		for (k = 0; opts[k].name != NULL; k++)
			if (strcmp(argv[i] + 2, opts[k].name) == 0 &&
			    opts[k].has_arg == required_argument) {
				i++;
				break;
			}
	}
}

const char *
cli_default_dir(void)
{
	const char *d = getenv("SERTEL_DIR");

	return d && *d ? d : ".";
}

void
cli_json_print(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(j);
}
