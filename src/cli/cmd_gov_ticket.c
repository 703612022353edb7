/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel gov ticket | guide: complaints, the issuer's help and published
 * guidance (issue 13; src/gov/ticket.c, guide.c).
 *
 *   gov ticket new --category C --subject S --text T [--about NIK] [--attach F]...
 *   gov ticket list [--state S] [--search WORDS] [--mine | --others]
 *   gov ticket show ID
 *   gov ticket reply ID --text T [--attach F]...
 *   gov ticket state ID --state S [--reason R]
 *   gov ticket attachment ID --index N --out FILE
 *   gov ticket help [ID] --text T        (a request for the issuer's help)
 *   gov ticket answer HELP-ID --text T   (the issuer's answer, recorded)
 *   gov ticket help-list
 *   gov guide publish KIND --title T --file F [--reason R]
 *   gov guide show KIND [--version N]
 *   gov guide list KIND
 *
 * Every subcommand takes --dir, --json and --as NIK (the acting person;
 * without it the local administrator).  The rules are src/gov's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gov/gov.h"

struct args {
	const char *dir, *as, *category, *subject, *text, *about, *state, *search,
	    *reason, *out, *title, *file, *index, *version;
	int json, mine;
	const char *attach[GOV_TICKET_FILES];
	int nattach;
};

static const struct option opts[] = {
    {"dir", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, 'j'},
    {"as", required_argument, NULL, 'a'},
    {"category", required_argument, NULL, 'c'},
    {"subject", required_argument, NULL, 's'},
    {"text", required_argument, NULL, 't'},
    {"about", required_argument, NULL, 'b'},
    {"state", required_argument, NULL, 'S'},
    {"search", required_argument, NULL, 'q'},
    {"reason", required_argument, NULL, 'r'},
    {"out", required_argument, NULL, 'o'},
    {"title", required_argument, NULL, 'T'},
    {"file", required_argument, NULL, 'f'},
    {"index", required_argument, NULL, 'i'},
    {"version", required_argument, NULL, 'v'},
    {"attach", required_argument, NULL, 'F'},
    {"mine", no_argument, NULL, 'm'},
    {"others", no_argument, NULL, 'M'},
    {NULL, 0, NULL, 0},
};

static const char usage_ticket[] =
    "gov ticket new|list|show|reply|state|attachment|help|answer|help-list "
    "(see docs/GOVERNANCE.md)";
static const char usage_guide[] =
    "gov guide publish|show|list KIND (see docs/GOVERNANCE.md)";

static int
args_parse(struct args *a, int argc, char **argv, const char *usage)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->dir = cli_default_dir();
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dir = optarg; break;
		case 'j': a->json = 1; break;
		case 'a': a->as = optarg; break;
		case 'c': a->category = optarg; break;
		case 's': a->subject = optarg; break;
		case 't': a->text = optarg; break;
		case 'b': a->about = optarg; break;
		case 'S': a->state = optarg; break;
		case 'q': a->search = optarg; break;
		case 'r': a->reason = optarg; break;
		case 'o': a->out = optarg; break;
		case 'T': a->title = optarg; break;
		case 'f': a->file = optarg; break;
		case 'i': a->index = optarg; break;
		case 'v': a->version = optarg; break;
		case 'm': a->mine = 1; break;
		case 'M': a->mine = -1; break;
		case 'F':
			if (a->nattach >= GOV_TICKET_FILES)
				return cli_usage("gov ticket: at most %d --attach",
				                 GOV_TICKET_FILES);
			a->attach[a->nattach++] = optarg;
			break;
		default: return cli_badopt(argv, usage);
		}
	}
	if (optind < argc)
		return cli_usage("gov: unexpected argument '%s' (%s)", argv[optind],
		                 usage);
	return 0;
}

struct files {
	struct ra_file f[GOV_TICKET_FILES];
	unsigned char *data[GOV_TICKET_FILES];
};

static void
files_free(struct files *fs)
{
	int i;

	for (i = 0; i < GOV_TICKET_FILES; i++)
		free(fs->data[i]);
}

/* Read and bounded before anything is stored: a bad file refuses the
 * whole command. */
static int
files_load(struct files *fs, const struct args *a)
{
	const char *base;
	int i, rc;

	memset(fs, 0, sizeof(*fs));
	for (i = 0; i < a->nattach; i++) {
		if ((rc = file_read(&fs->data[i], &fs->f[i].len, a->attach[i],
		                    GOV_TICKET_FILE_MAX)) < 0)
			return rc;
		base = strrchr(a->attach[i], '/');
		fs->f[i].kind = "lampiran";
		fs->f[i].data = fs->data[i];
		fs->f[i].filename = base ? base + 1 : a->attach[i];
	}
	return 0;
}

static void
ticket_print(struct instance *in, const struct ra_actor *who, const struct gov_ticket *t,
             int json, int full)
{
	if (json) {
		cli_json_print(http_gov_ticket_json(in->st, who, t, full));
		return;
	}
	printf("%s  %-11s %-15s %s\n", t->id, t->state, t->category, t->subject);
	if (full)
		printf("\n%s\n", t->description);
}

struct list_ctx {
	struct instance *in;
	const struct ra_actor *who;
	json_t *arr;
};

static int
list_one(const struct gov_ticket *t, void *arg)
{
	struct list_ctx *l = arg;

	if (l->arr != NULL)
		json_array_append_new(l->arr,
		                      http_gov_ticket_json(l->in->st, l->who, t, 0));
	else
		ticket_print(l->in, l->who, t, 0, 0);
	return 0;
}

static int
reply_print(const struct gov_ticket_reply_info *r, void *arg)
{
	char at[32];

	(void)arg;
	time_fmt(at, r->at);
	printf("  #%d %s %s (%s): %s\n", r->seq, at, r->kind,
	       r->author_name[0] ? r->author_name : r->actor, r->body);
	return 0;
}

static int
help_print(const struct gov_help *h, void *arg)
{
	json_t *arr = arg;

	if (arr != NULL) {
		json_array_append_new(arr, http_gov_help_json(h));
		return 0;
	}
	printf("%s  to %s  %s  %s\n", h->id, h->sent_to,
	       h->answered_at ? "answered" : "waiting",
	       h->ticket_id[0] ? h->ticket_id : "-");
	return 0;
}

static int
ticket_run(struct instance *in, const struct ra_actor *who, const char *sub,
           const char *id, const struct args *a)
{
	struct gov_ticket t;
	struct gov_help h;
	struct files fs;
	int rc = 0;

	memset(&fs, 0, sizeof(fs));
	if (strcmp(sub, "new") == 0) {
		struct gov_ticket_new nt = {a->category, a->subject, a->text,
		                            a->about,    fs.f,       a->nattach};
		if ((rc = files_load(&fs, a)) == 0 &&
		    (rc = gov_ticket_open(&t, in->st, in->cfg, who, &nt)) == 0)
			ticket_print(in, who, &t, a->json, 1);
	} else if (strcmp(sub, "list") == 0) {
		struct gov_ticket_filter f = {a->state, a->search, a->mine};
		struct list_ctx l = {in, who, a->json ? json_array() : NULL};
		if ((rc = gov_ticket_iter(in->st, who, &f, list_one, &l)) == 0 && l.arr)
			cli_json_print(l.arr);
		else
			json_decref(l.arr);
	} else if (strcmp(sub, "show") == 0) {
		if ((rc = gov_ticket_get(&t, in->st, who, id)) == 0) {
			ticket_print(in, who, &t, a->json, 1);
			if (!a->json) {
				gov_ticket_replies(in->st, &t, reply_print, NULL);
				gov_help_iter(in->st, who, t.id, help_print, NULL);
			}
		}
	} else if (strcmp(sub, "reply") == 0) {
		if ((rc = files_load(&fs, a)) == 0)
			rc = gov_ticket_reply(in->st, in->cfg, who, id, a->text, fs.f,
			                      a->nattach);
	} else if (strcmp(sub, "state") == 0) {
		rc = gov_ticket_set_state(in->st, in->cfg, who, id, a->state, a->reason);
	} else if (strcmp(sub, "attachment") == 0) {
		unsigned char *data = NULL;
		size_t len = 0;
		char mime[32], name[256];
		long long idx = 0;
		if (a->out == NULL || a->index == NULL ||
		    parse_ll(&idx, a->index, 1, GOV_TICKET_FILES_MAX) < 0)
			return sertel_err(
			    SERTEL_EINVAL,
			    "gov ticket attachment: --index N and --out FILE");
		if ((rc = gov_ticket_file_get(&data, &len, mime, name, in->st, who, id,
		                              (int)idx)) == 0)
			rc = file_write(a->out, data, len, 0600);
		free(data);
	} else if (strcmp(sub, "help") == 0) {
		if ((rc = gov_help_request(&h, in->st, in->cfg, who, id, a->text)) == 0) {
			if (a->json)
				cli_json_print(http_gov_help_json(&h));
			else
				printf("%s  sent to %s\n", h.id, h.sent_to);
		}
	} else if (strcmp(sub, "answer") == 0) {
		rc = gov_help_answer(in->st, who, id, a->text);
	} else if (strcmp(sub, "help-list") == 0) {
		json_t *arr = a->json ? json_array() : NULL;
		if ((rc = gov_help_iter(in->st, who, NULL, help_print, arr)) == 0 && arr)
			cli_json_print(arr);
		else
			json_decref(arr);
	}
	/* A change without --json output: show the ticket as it is now. */
	if (rc == 0 && (strcmp(sub, "reply") == 0 || strcmp(sub, "state") == 0) &&
	    (rc = gov_ticket_get(&t, in->st, who, id)) == 0)
		ticket_print(in, who, &t, a->json, 0);
	files_free(&fs);
	return rc;
}

int
cmd_gov_ticket(int argc, char **argv)
{
	static const char *const subs[] = {"new",   "list",   "show",
	                                   "reply", "state",  "attachment",
	                                   "help",  "answer", "help-list"};
	static const int needs_id[] = {0, 0, 1, 1, 1, 1, 0, 1, 0};
	struct instance *in = NULL;
	struct ra_actor who;
	struct args a;
	const char *sub, *id = NULL;
	size_t i;
	int rc;

	if (argc < 2)
		return cli_usage("%s", usage_ticket);
	sub = argv[1];
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]) && strcmp(sub, subs[i]) != 0; i++)
		;
	if (i == sizeof(subs) / sizeof(subs[0]))
		return cli_usage("gov ticket: unknown subcommand '%s' (%s)", sub,
		                 usage_ticket);
	argc--;
	argv++;
	cli_take_arg(&id, &argc, argv, opts);
	if ((rc = args_parse(&a, argc, argv, usage_ticket)) != 0)
		return rc;
	if (needs_id[i] && id == NULL)
		return cli_usage("gov ticket %s: the ticket (or request) ID is required",
		                 sub);
	if ((rc = instance_open(&in, a.dir)) < 0 ||
	    (rc = cli_actor(&who, in, a.as)) < 0) {
		rc = cli_fail(rc);
		goto out;
	}
	rc = ticket_run(in, &who, sub, id, &a);
	rc = rc < 0 ? cli_fail(rc) : 0;
out:
	instance_close(in);
	return rc;
}

static int
version_print(const struct gov_guide *g, void *arg)
{
	char at[32];

	if (arg != NULL) {
		json_array_append_new(arg, http_gov_guide_json(g));
		return 0;
	}
	time_fmt(at, g->published_at);
	printf("%s v%d  %s  sha256:%s  %s\n", g->kind, g->version, at, g->sha256,
	       g->title);
	return 0;
}

int
cmd_gov_guide(int argc, char **argv)
{
	struct instance *in = NULL;
	struct ra_actor who;
	struct gov_guide g;
	struct args a;
	const char *sub, *kind = NULL;
	unsigned char *text = NULL;
	size_t len = 0;
	long long version = 0;
	int rc;

	memset(&g, 0, sizeof(g));
	if (argc < 2)
		return cli_usage("%s", usage_guide);
	sub = argv[1];
	if (strcmp(sub, "publish") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "list") != 0)
		return cli_usage("gov guide: unknown subcommand '%s' (%s)", sub,
		                 usage_guide);
	argc--;
	argv++;
	cli_take_arg(&kind, &argc, argv, opts);
	if ((rc = args_parse(&a, argc, argv, usage_guide)) != 0)
		return rc;
	if (kind == NULL)
		return cli_usage("gov guide %s: KIND (sop, hak-kewajiban or pengaduan)",
		                 sub);
	if (a.version != NULL && parse_ll(&version, a.version, 1, 1000000) < 0)
		return cli_usage("gov guide: --version is a number from 1");
	if (strcmp(sub, "publish") == 0 && (a.file == NULL || a.title == NULL))
		return cli_usage(
		    "gov guide publish: --title T and --file F are required");
	if ((rc = instance_open(&in, a.dir)) < 0 || (rc = cli_actor(&who, in, a.as)) < 0)
		goto fail;
	if (strcmp(sub, "publish") == 0) {
		if ((rc = file_read(&text, &len, a.file, GOV_GUIDE_BODY_MAX)) < 0)
			goto fail;
		/* file_read terminates what it read: a NUL inside is refused. */
		if (strlen((char *)text) != len) {
			rc = sertel_err(SERTEL_EINVAL, "%s: a NUL byte in the text",
			                a.file);
			goto fail;
		}
		rc = gov_guide_publish(&g, in->st, &who, kind, a.title, (char *)text,
		                       a.reason);
	} else if (strcmp(sub, "show") == 0) {
		rc = gov_guide_get(&g, in->st, kind, (int)version);
	} else {
		json_t *arr = a.json ? json_array() : NULL;
		if ((rc = gov_guide_versions(in->st, kind, version_print, arr)) == 0 &&
		    arr)
			cli_json_print(arr);
		else
			json_decref(arr);
		if (rc < 0)
			goto fail;
		goto out;
	}
	if (rc < 0)
		goto fail;
	if (a.json)
		cli_json_print(http_gov_guide_json(&g));
	else if (strcmp(sub, "show") == 0)
		printf("%s v%d: %s\n\n%s\n", g.kind, g.version, g.title, g.body);
	else
		version_print(&g, NULL);
	goto out;
fail:
	rc = cli_fail(rc);
out:
	gov_guide_free(&g);
	free(text);
	instance_close(in);
	return rc;
}
