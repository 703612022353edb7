/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel agency add | list
 * sertel person add | list | show | appoint
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ra/ra.h"

int
cli_actor(struct ra_actor *out, struct instance *in, const char *as)
{
	char label[128];

	if (as == NULL) {
		instance_cli_actor(label, sizeof(label));
		ra_actor_local(out, label);
		return 0;
	}
	return ra_actor_person(out, in->st, as);
}

static int
agency_one(const struct ra_agency *a, void *arg)
{
	json_t *arr = arg;

	if (arr != NULL)
		json_array_append_new(arr, http_agency_json(a));
	else
		printf("%s  %-40s %s\n", a->id, a->name, a->domain);
	return 0;
}

int
cmd_agency(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"as", required_argument, NULL, 'a'},
	    {"name", required_argument, NULL, 'n'},
	    {"domain", required_argument, NULL, 'D'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = cli_default_dir(), *json = NULL, *as = NULL, *name = NULL,
	           *domain = NULL;
	const char **const to[] = {&dir, &json, &as, &name, &domain};
	struct instance *in = NULL;
	struct ra_actor who;
	struct ra_agency ag;
	json_t *arr = NULL;
	int rc, add;

	if (argc < 2 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "list") != 0))
		return cli_usage("agency: expected add or list");
	add = strcmp(argv[1], "add") == 0;
	if ((rc = cli_options(argc - 1, argv + 1, opts, to, "agency",
	                      "agency add --name N --domain D | agency list")) != 0)
		return rc;
	if (add && (name == NULL || domain == NULL))
		return cli_usage("agency add: --name and --domain are required");
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if (add) {
		if ((rc = cli_actor(&who, in, as)) < 0 ||
		    (rc = ra_agency_add(&ag, in->st, &who, name, domain)) < 0) {
			instance_close(in);
			return cli_fail(rc);
		}
		if (json)
			cli_json_print(http_agency_json(&ag));
		else
			printf(
			    "Perangkat daerah terdaftar / agency registered: %s (%s)\n",
			    ag.name, ag.id);
	} else {
		if (json)
			arr = json_array();
		rc = ra_agency_iter(in->st, agency_one, arr);
		if (rc < 0) {
			json_decref(arr);
			instance_close(in);
			return cli_fail(rc);
		}
		if (json)
			cli_json_print(arr);
	}
	instance_close(in);
	return 0;
}

static int
person_one(const struct ra_person *p, void *arg)
{
	json_t *arr = arg;
	char roles[160];

	if (arr != NULL) {
		json_array_append_new(arr, http_person_json(p));
		return 0;
	}
	ra_roles_format(roles, sizeof(roles), p->roles);
	printf("%s  %-30s %-35s %s\n", p->nik, p->name, p->email, roles);
	return 0;
}

int
cmd_person(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"as", required_argument, NULL, 'a'},
	    {"nik", required_argument, NULL, 'k'},
	    {"nip", required_argument, NULL, 'p'},
	    {"name", required_argument, NULL, 'n'},
	    {"email", required_argument, NULL, 'e'},
	    {"position", required_argument, NULL, 'P'},
	    {"agency", required_argument, NULL, 'g'},
	    {"superior", required_argument, NULL, 's'},
	    {"roles", required_argument, NULL, 'r'},
	    {"role", required_argument, NULL, 'R'},
	    {"kepala-daerah", no_argument, NULL, 'K'},
	    {"image", required_argument, NULL, 'I'},
	    {"remove", no_argument, NULL, 'X'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = cli_default_dir(), *as = NULL, *sub, *roles = NULL,
	           *role = NULL, *agency = NULL, *image = NULL;
	unsigned char *img = NULL;
	size_t imglen = 0;
	int remove = 0;
	struct instance *in = NULL;
	struct ra_actor who;
	struct ra_person p;
	struct ra_agency ag;
	json_t *arr = NULL;
	unsigned bits;
	int c, json = 0, rc = 0;

	if (argc < 2)
		return cli_usage(
		    "person: expected add, list, show, appoint or signature-image");
	sub = argv[1];
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") &&
	    strcmp(sub, "appoint") && strcmp(sub, "signature-image"))
		return cli_usage("person: unknown subcommand '%s' (add, list, show, "
		                 "appoint, signature-image)",
		                 sub);
	argc--;
	argv++;
	memset(&p, 0, sizeof(p));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'a': as = optarg; break;
		case 'k': rc = str_copy(p.nik, sizeof(p.nik), optarg); break;
		case 'p': rc = str_copy(p.nip, sizeof(p.nip), optarg); break;
		case 'n': rc = str_copy(p.name, sizeof(p.name), optarg); break;
		case 'e': rc = str_copy(p.email, sizeof(p.email), optarg); break;
		case 'P': rc = str_copy(p.position, sizeof(p.position), optarg); break;
		case 'g': agency = optarg; break;
		case 's':
			rc = str_copy(p.superior_nik, sizeof(p.superior_nik), optarg);
			break;
		case 'r': roles = optarg; break;
		case 'R': role = optarg; break;
		case 'K': p.kepala_daerah = 1; break;
		case 'I': image = optarg; break;
		case 'X': remove = 1; break;
		default:
			return cli_badopt(
			    argv, "person add --nik N --name N --email E --agency A "
			          "--roles R [--nip N] [--position P] [--superior NIK] "
			          "[--kepala-daerah] | list [--agency A] | show NIK | "
			          "appoint NIK --role operator-op|kepala-dinas|auditor | "
			          "signature-image NIK --image FILE|--remove");
		}
		if (rc < 0)
			return cli_usage("person: the value of %s is too long",
			                 argv[optind - 1]);
	}
	/* Issue 11: the scanned signature the box template may show. */
	if (strcmp(sub, "signature-image") == 0) {
		if (optind + 1 != argc || (image == NULL) == (remove == 0))
			return cli_usage(
			    "person signature-image: NIK and --image FILE or --remove");
		if (image != NULL &&
		    (rc = file_read(&img, &imglen, image, RA_SIGIMG_MAX)) < 0)
			return cli_fail(rc);
	}
	if ((rc = instance_open(&in, dir)) < 0) {
		free(img);
		return cli_fail(rc);
	}
	if (strcmp(sub, "signature-image") == 0) {
		if ((rc = cli_actor(&who, in, as)) < 0 ||
		    (rc = ra_sigimg_set(in->st, &who, argv[optind], img, imglen)) < 0)
			rc = cli_fail(rc);
		else if (json)
			cli_json_print(json_pack("{s:s, s:s}", "nik", argv[optind],
			                         "signature_image",
			                         img ? "set" : "removed"));
		else
			printf("Gambar tanda tangan / signature image %s: %s\n",
			       img ? "disimpan / set" : "dihapus / removed",
			       argv[optind]);
		free(img);
	} else if (strcmp(sub, "add") == 0) {
		if (optind != argc)
			rc = cli_usage("person add: unexpected argument '%s'",
			               argv[optind]);
		else if (!p.nik[0] || !p.name[0] || !p.email[0] || !agency || !roles)
			rc = cli_usage(
			    "person add: --nik, --name, --email, --agency and --roles "
			    "are required");
		else if ((rc = ra_roles_parse(&p.roles, roles)) < 0 ||
		         (rc = ra_agency_get(&ag, in->st, agency)) < 0 ||
		         (rc = str_copy(p.agency_id, sizeof(p.agency_id), ag.id)) < 0 ||
		         (rc = cli_actor(&who, in, as)) < 0 ||
		         (rc = ra_person_add(in->st, &who, &p)) < 0)
			rc = cli_fail(rc);
		else if (json)
			cli_json_print(json_pack("{s:s, s:s}", "nik", p.nik, "status",
			                         "registered"));
		else
			printf("Orang terdaftar / person registered: %s (%s)\n", p.name,
			       p.nik);
	} else if (strcmp(sub, "list") == 0) {
		if (json)
			arr = json_array();
		if (agency != NULL && (rc = ra_agency_get(&ag, in->st, agency)) < 0)
			rc = cli_fail(rc);
		else if ((rc = ra_person_iter(in->st, agency ? ag.id : NULL, person_one,
		                              arr)) < 0)
			rc = cli_fail(rc);
		else if (json) {
			cli_json_print(arr);
			arr = NULL;
		}
		json_decref(arr);
	} else if (strcmp(sub, "show") == 0) {
		if (optind + 1 != argc)
			rc = cli_usage("person show: exactly one NIK");
		else if ((rc = ra_person_get(&p, in->st, argv[optind])) < 0)
			rc = cli_fail(rc);
		else if (json)
			cli_json_print(http_person_json(&p));
		else
			person_one(&p, NULL);
	} else {
		if (optind + 1 != argc)
			rc = cli_usage("person appoint: exactly one NIK");
		else if (role == NULL)
			rc = cli_usage(
			    "person appoint: --role operator-op|kepala-dinas|auditor");
		else if ((rc = ra_roles_parse(&bits, role)) < 0 ||
		         (rc = cli_actor(&who, in, as)) < 0 ||
		         (rc = ra_person_appoint(in->st, &who, argv[optind], bits)) < 0)
			rc = cli_fail(rc);
		else if (json)
			cli_json_print(json_pack("{s:s, s:s}", "nik", argv[optind],
			                         "appointed", role));
		else
			printf("Diangkat / appointed: %s as %s\n", argv[optind], role);
	}
	instance_close(in);
	return rc;
}
