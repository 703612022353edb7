/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared pieces of the sertel command line.  Each command lives in its
 * own cmd_*.c file and is reached through the table in main.c.
 *
 * Exit codes: 0 success, 1 "not valid" (verification, tampering),
 * 2 bad input or any other error, with one line on stderr.
 */
#ifndef SERTEL_CLI_H
#define SERTEL_CLI_H

#include <jansson.h>

#include "http/http.h"
#include "instance/instance.h"

#define EXIT_INVALID 1
#define EXIT_ERROR   2

/* Prints "sertel: <last error>" and returns the exit code for rc. */
int cli_fail(int rc);
/* Prints "sertel: <msg>" and returns EXIT_ERROR. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For getopt's '?': names the unknown option or the one missing its
 * value, then the usage; returns EXIT_ERROR. */
int cli_badopt(char **argv, const char *usage);
/* getopt_long over argv (argv[0] is the command or subcommand): the value
 * of opts[i] into *to[i] (an option without value: its name, so non-NULL
 * when given); no argument may be left.  Returns 0, or the exit code after
 * the one-line error (what: the command named in it). */
struct option;
int cli_options(int argc, char **argv, const struct option *opts, const char **const *to,
                const char *what, const char *usage);
/* Takes the first positional argument after argv[0] out of argv (an
 * option's separate value is not one): *out is it, or NULL; *argc drops
 * by one when found.  For `token revoke NAME --reason R`. */
void cli_take_arg(const char **out, int *argc, char **argv, const struct option *opts);
/* --dir default: $SERTEL_DIR, else ".". */
const char *cli_default_dir(void);
/* Prints j (compact, one line) and releases it. */
void cli_json_print(json_t *j);

int cmd_init(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_crl(int argc, char **argv);
int cmd_ca(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_verify_cert(int argc, char **argv);
int cmd_agency(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_ra(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_portal(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_esign(int argc, char **argv);
/* sertel gov AREA ...: governance (cmd_gov.c dispatches to cmd_gov_*.c). */
int cmd_gov(int argc, char **argv);
int cmd_gov_needs(int argc, char **argv), cmd_gov_plan(int argc, char **argv),
    cmd_gov_decree(int argc, char **argv);
int cmd_gov_ticket(int argc, char **argv), cmd_gov_guide(int argc, char **argv);
int cmd_gov_staff(int, char **), cmd_gov_coverage(int, char **),
    cmd_gov_system(int, char **);
int cmd_gov_incident(int argc, char **argv); /* sertel gov incident */
/* sertel report annual: the annual evaluation report (cmd_report.c). */
int cmd_report(int argc, char **argv);
/* sertel verify: PDF signatures, or a detached signature with --sig. */
int cmd_verify(int argc, char **argv);
/* sertel render-page (hidden): one preview in a limited child (render.h). */
int cmd_render(int argc, char **argv);

/* Signing commands (cmd_cms.c).  cmd_sign_cms is reached as `sertel sign
 * cms ...` (argv[0] = "cms"). */
int cmd_sign_cms(int argc, char **argv);
/* sertel sign pdf|cms (cmd_sign.c). */
int cmd_sign(int argc, char **argv);
int cmd_smime(int argc, char **argv);
int cmd_protect(int argc, char **argv);
/* Who signs: --key/--pass-file/--cert/--chain files, or --nik with
 * --passphrase-file for a key sealed in the instance at dir. */
struct sign_signer;
struct cli_signer_args {
	const char *dir;
	const char *key, *pass_file, *cert, *chain;
	const char *nik, *passphrase_file;
};
int cli_signer_load(struct sign_signer *out, const struct cli_signer_args *a);
/* The getopt_long entries of those options, and their values into a:
 * cli_signer_opt returns 1 when c was one of them, else 0. */
/* clang-format off */
#define CLI_SIGNER_OPTIONS                                   \
	{"key", required_argument, NULL, 'k'},               \
	{"pass-file", required_argument, NULL, 'p'},         \
	{"cert", required_argument, NULL, 'c'},              \
	{"chain", required_argument, NULL, 'C'},             \
	{"nik", required_argument, NULL, 'n'},               \
	{"passphrase-file", required_argument, NULL, 'P'}
/* clang-format on */
int cli_signer_opt(struct cli_signer_args *a, int c, const char *arg);

/* --as NIK: that registered person; NULL: the local administrator. */
struct ra_actor;
int cli_actor(struct ra_actor *out, struct instance *in, const char *as);

#endif
