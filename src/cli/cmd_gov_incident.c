/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel gov incident report | list | show | handle | close | note |
 *   recipients | tick
 *
 * Security incidents (Cirebon 24, Denpasar 25; src/gov/incident.c).  Every
 * subcommand acts as a registered person (--as NIK) or, without --as, as
 * the local administrator; the rules are gov_incident_*'s.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gov/gov.h"

#define USAGE                                                                            \
	"gov incident report --kind K --severity S --title T --description D "           \
	"[--certs S1,S2] | list [--state S] [--severity S] [--limit N] [--offset N] | "  \
	"show ID | handle ID --reason R | close ID --reason R | note ID --reason R | "   \
	"recipients | tick"

static int
list_one(const struct gov_incident *inc, void *arg)
{
	char at[32];

	if (arg != NULL)
		return json_array_append_new(arg, http_gov_incident_json(inc, 0)) == 0
		           ? 0
		           : SERTEL_ENOMEM;
	time_fmt(at, inc->reported_at);
	printf("%s  %-9s %-7s %-26s %s%s  %s\n", inc->id, inc->state, inc->severity,
	       inc->kind, at, inc->flagged ? "  TERLAMBAT/LATE" : "", inc->title);
	return 0;
}

static int
event_print(const struct gov_incident_event *ev, void *arg)
{
	char at[32];

	(void)arg;
	time_fmt(at, ev->at);
	printf("  %s  %-9s %s  %s\n", at, ev->action, ev->actor, ev->note);
	return 0;
}

static int
show(struct instance *in, const struct ra_actor *who, const char *id, int json)
{
	struct gov_incident *inc = malloc(sizeof(*inc));
	json_t *j = NULL;
	char at[32], dl[32];
	int rc, i;

	if (inc == NULL)
		return cli_fail(SERTEL_ENOMEM);
	if (json) {
		rc = http_gov_incident_full(&j, in->st, in->cfg, who, id);
		if (rc == 0)
			cli_json_print(j);
		goto out;
	}
	if ((rc = gov_incident_get(inc, in->st, in->cfg, who, id)) < 0)
		goto out;
	time_fmt(at, inc->reported_at);
	printf("Insiden / incident %s: %s\n  jenis/kind %s, tingkat/severity %s, "
	       "status %s\n  dilaporkan/reported %s oleh/by %s\n",
	       inc->id, inc->title, inc->kind, inc->severity, inc->state, at,
	       inc->reporter);
	if (inc->notified_at) {
		time_fmt(at, inc->notified_at);
		printf("  diberitahukan/notified %s (jeda/delay %lld s)\n", at,
		       (long long)inc->delay);
	}
	if (inc->recipients == 0)
		printf("  TIDAK ADA PENERIMA / no recipients: [governance] "
		       "incident_notify\n");
	else if (inc->flagged)
		printf("  TERLAMBAT / LATE: not notified within %lld s\n",
		       (long long)gov_incident_within(in->cfg));
	for (i = 0; i < inc->ncerts; i++)
		printf("  sertifikat/certificate %s\n", inc->certs[i]);
	for (i = 0; i < inc->nnotices; i++) {
		time_fmt(dl, inc->notices[i].delivered_at);
		printf("  pemberitahuan/notice %s <%s>: %s\n", inc->notices[i].label,
		       inc->notices[i].address,
		       inc->notices[i].delivered_at ? dl
		                                    : "belum terkirim / not delivered");
	}
	printf("  %s\n", inc->description);
	rc = gov_incident_events(in->st, in->cfg, who, id, event_print, NULL);
out:
	free(inc);
	return rc < 0 ? cli_fail(rc) : 0;
}

/* --certs S1,S2: at most GOV_INCIDENT_CERTS_MAX serials. */
static int
certs_split(char *buf, const char **out, int *n)
{
	char *p = buf, *comma;

	*n = 0;
	while (p != NULL && *p) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		if (*p) {
			if (*n == GOV_INCIDENT_CERTS_MAX)
				return cli_usage(
				    "gov incident report: --certs: at most %d",
				    GOV_INCIDENT_CERTS_MAX);
			out[(*n)++] = p;
		}
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int
report(struct instance *in, const struct ra_actor *who, struct gov_incident_new *nw,
       const char *certs, int json)
{
	const char *serials[GOV_INCIDENT_CERTS_MAX];
	struct gov_incident *inc = malloc(sizeof(*inc));
	char buf[GOV_INCIDENT_CERTS_MAX * (SERIAL_HEX_MAX + 2)];
	json_t *j = NULL;
	int rc, ex = 0;

	if (inc == NULL)
		return cli_fail(SERTEL_ENOMEM);
	if (certs != NULL) {
		if (strlen(certs) >= sizeof(buf)) {
			ex = cli_usage("gov incident report: --certs is too long");
			goto out;
		}
		str_copy(buf, sizeof(buf), certs);
		if ((ex = certs_split(buf, serials, &nw->nserials)) != 0)
			goto out;
		nw->serials = serials;
	}
	if ((rc = gov_incident_report(inc, in->st, in->cfg, who, nw)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (json) {
		if ((rc = http_gov_incident_full(&j, in->st, in->cfg, who, inc->id)) <
		    0) {
			ex = cli_fail(rc);
			goto out;
		}
		cli_json_print(j);
	} else {
		printf("Insiden dilaporkan / incident reported: %s (%d "
		       "penerima/recipients)\n",
		       inc->id, inc->recipients);
	}
out:
	free(inc);
	return ex;
}

static int
recipients(struct instance *in, int json)
{
	struct gov_incident_recipient r[GOV_INCIDENT_RECIPIENTS_MAX];
	json_t *arr;
	int n, i, rc;

	if ((rc = gov_incident_recipients(r, &n, in->cfg)) < 0)
		return cli_fail(rc);
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr,
			                      json_pack("{s:s, s:s}", "label", r[i].label,
			                                "address", r[i].address));
		cli_json_print(json_pack("{s:o, s:I}", "recipients", arr,
		                         "notify_within_seconds",
		                         (json_int_t)gov_incident_within(in->cfg)));
		return 0;
	}
	if (n == 0)
		printf("Tidak ada penerima / no recipients: set [governance] "
		       "incident_notify\n");
	for (i = 0; i < n; i++)
		printf("%s <%s>\n", r[i].label, r[i].address);
	return 0;
}

int
cmd_gov_incident(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"as", required_argument, NULL, 'a'},
	    {"kind", required_argument, NULL, 'k'},
	    {"severity", required_argument, NULL, 's'},
	    {"title", required_argument, NULL, 't'},
	    {"description", required_argument, NULL, 'D'},
	    {"certs", required_argument, NULL, 'c'},
	    {"state", required_argument, NULL, 'S'},
	    {"limit", required_argument, NULL, 'l'},
	    {"offset", required_argument, NULL, 'o'},
	    {"reason", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = cli_default_dir(), *json = NULL, *as = NULL, *kind = NULL,
	           *severity = NULL, *title = NULL, *desc = NULL, *certs = NULL,
	           *state = NULL, *limit = NULL, *offset = NULL, *reason = NULL,
	           *id = NULL, *sub;
	const char **const to[] = {&dir,  &json,  &as,    &kind,  &severity, &title,
	                           &desc, &certs, &state, &limit, &offset,   &reason};
	struct gov_incident_filter f;
	struct gov_incident_new nw;
	struct instance *in = NULL;
	struct ra_actor who;
	json_t *arr = NULL;
	int64_t total = 0;
	long long n;
	int rc, ex = 0;

	if (argc < 2)
		return cli_usage("%s", USAGE);
	sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "show") == 0 || strcmp(sub, "handle") == 0 ||
	    strcmp(sub, "close") == 0 || strcmp(sub, "note") == 0)
		cli_take_arg(&id, &argc, argv, opts);
	if ((rc = cli_options(argc, argv, opts, to, "gov incident", USAGE)) != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	f.limit = 50;
	if (strcmp(sub, "list") == 0) {
		if (limit != NULL) {
			if (parse_ll(&n, limit, 1, 200) < 0)
				return cli_usage("gov incident list: --limit 1..200");
			f.limit = (int)n;
		}
		if (offset != NULL) {
			if (parse_ll(&n, offset, 0, 1000000) < 0)
				return cli_usage(
				    "gov incident list: --offset 0..1000000");
			f.offset = (int)n;
		}
		f.state = state;
		f.severity = severity;
	} else if (strcmp(sub, "report") == 0) {
		if (kind == NULL || severity == NULL || title == NULL || desc == NULL)
			return cli_usage(
			    "gov incident report: --kind, --severity, --title and "
			    "--description are required");
	} else if (strcmp(sub, "show") == 0 || strcmp(sub, "handle") == 0 ||
	           strcmp(sub, "close") == 0 || strcmp(sub, "note") == 0) {
		if (id == NULL)
			return cli_usage("gov incident %s: the incident ID is required",
			                 sub);
		if (strcmp(sub, "show") != 0 && reason == NULL)
			return cli_usage("gov incident %s: --reason is required", sub);
	} else if (strcmp(sub, "recipients") != 0 && strcmp(sub, "tick") != 0) {
		return cli_usage("gov incident: unknown subcommand '%s' (%s)", sub,
		                 USAGE);
	}
	if ((rc = instance_open(&in, dir)) < 0)
		return cli_fail(rc);
	if ((rc = cli_actor(&who, in, as)) < 0) {
		ex = cli_fail(rc);
		goto out;
	}
	if (strcmp(sub, "recipients") == 0) {
		ex = recipients(in, json != NULL);
	} else if (strcmp(sub, "tick") == 0) {
		/* What the server's notices thread does each round, once. */
		if (!(who.roles & ROLE_ADMIN))
			ex = cli_usage(
			    "gov incident tick: the local administrator runs it");
		else if ((rc = gov_incident_tick(in->st, in->cfg, time_now())) < 0)
			ex = cli_fail(rc);
	} else if (strcmp(sub, "report") == 0) {
		memset(&nw, 0, sizeof(nw));
		nw.kind = kind;
		nw.severity = severity;
		nw.title = title;
		nw.description = desc;
		ex = report(in, &who, &nw, certs, json != NULL);
	} else if (strcmp(sub, "list") == 0) {
		if (json)
			arr = json_array();
		if ((rc = gov_incident_list(in->st, in->cfg, &who, &f, &total, list_one,
		                            arr)) < 0) {
			json_decref(arr);
			ex = cli_fail(rc);
			goto out;
		}
		if (json)
			cli_json_print(json_pack("{s:I, s:o}", "total", (json_int_t)total,
			                         "incidents", arr));
	} else if (strcmp(sub, "show") == 0) {
		ex = show(in, &who, id, json != NULL);
	} else {
		if ((rc = gov_incident_act(NULL, in->st, in->cfg, &who, id, sub,
		                           reason)) < 0) {
			ex = cli_fail(rc);
			goto out;
		}
		ex = show(in, &who, id, json != NULL);
	}
out:
	instance_close(in);
	return ex;
}
