/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel: command-line entry point.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
    {"init", cmd_init, "create an instance (config, database, CA hierarchy)"},
    {"cert", cmd_cert, "issue | list | show | revoke certificates"},
    {"crl", cmd_crl, "publish and export a full CRL (DER)"},
    {"ca", cmd_ca, "export the CA certificates"},
    {"audit", cmd_audit, "verify | list the audit trail"},
    {"token", cmd_token, "create API tokens"},
    {"serve", cmd_serve, "run the HTTP server"},
    {"verify-cert", cmd_verify_cert, "validate a certificate path (RFC 5280)"},
    {"agency", cmd_agency, "register | list agencies (perangkat daerah)"},
    {"person", cmd_person, "register | list | show people, appoint operators"},
    {"ra", cmd_ra,
     "applications: apply | attach | submit | list | show | approve | "
     "return | reject | issue | receipt | renew | revoke | report-loss | warn | "
     "remind"},
    {"mail", cmd_mail, "e-mail notices: list | flush | retry"},
    {"portal", cmd_portal, "the portal's pages and who may open them: routes"},
    {"client", cmd_client, "e-sign API client applications: add | list | remove"},
    {"esign", cmd_esign,
     "signing service: status | unlock | passphrase | totp enrol|disable | seal add"},
    {"smime", cmd_smime, "S/MIME e-mail: sign | verify | encrypt | decrypt"},
    {"protect", cmd_protect, "document protection: encrypt | decrypt (CMS)"},
    {"sign", cmd_sign, "sign pdf (PAdES B-B..B-LTA) | sign cms (detached CAdES)"},
    {"verify", cmd_verify, "verify signed PDFs (or --sig SIG.p7s for any file)"},
    {"report", cmd_report, "annual evaluation report: annual --year Y (PDF, JSON, CSV)"},
    {"gov", cmd_gov,
     "governance: needs, plans, coverage, incidents, complaints, reports"},
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "sertel - Sertifikat Elektronik untuk pemerintah daerah\n\n"
	           "usage: sertel COMMAND [options]   (every command takes --dir DIR "
	           "and --json)\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].help);
}

int
main(int argc, char **argv)
{
	size_t i;

	/* Commands print their own one-line usage error; getopt must not add
	 * a second line. */
	opterr = 0;
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sertel 0.1.0 (%s)\n", OpenSSL_version(OPENSSL_VERSION));
		return 0;
	}
	if (strcmp(argv[1], "render-page") == 0) /* hidden: the server's previews */
		return cmd_render(argc - 1, argv + 1);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "sertel: unknown command '%s' (see 'sertel --help')\n", argv[1]);
	return EXIT_ERROR;
}
