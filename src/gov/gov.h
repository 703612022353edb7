/*
 * sertel gov: the Dinas's governance duties beyond issuing certificates
 * (issue 13, REQUIREMENTS.md section 6): needs and planning, the decree,
 * coverage of ASN and electronic systems, security incidents, complaints
 * and technical assistance, published guidance, and the annual evaluation
 * report.  Rules only: the CLI, the REST API and the portal call these
 * functions; every change is audited and role-checked here.
 *
 * The tables are in migration 24 (src/store/migrate.c) and the columns
 * documented there; each area below owns its file in src/gov/.
 */
#ifndef SERTEL_GOV_H
#define SERTEL_GOV_H

#include <stdint.h>

#include "ra/ra.h"

/* ---- coverage (coverage.c): Denpasar 8(3), Samarinda 8(3) ------------- */
/* An agency's ASN and how many of them hold a valid certificate.  The ASN
 * are the agency's imported staff list (gov_staff) or, where no list is
 * imported, the headcount entered (gov_headcounts) with the agency's
 * registered persons as the ones who may hold one.  A holder has an
 * individu or jabatan certificate valid at the moment asked: begun, not
 * expired, not revoked by then (so a past month is computed, not kept). */
struct gov_coverage {
	char agency_id[17]; /* "" for the region */
	int64_t headcount;
	int64_t holders;
};
/* One agency (agency_id) or the region (agency_id NULL: every agency's
 * figures summed). */
int gov_coverage_at(struct gov_coverage *out, struct store *st, const char *agency_id,
                    int64_t at);
/* Every agency at once, in the agencies' name order (one query). */
typedef int (*gov_coverage_fn)(const struct gov_coverage *c, void *arg);
int gov_coverage_iter(struct store *st, int64_t at, gov_coverage_fn cb, void *arg);

/* ---- the background work of every area (tick.c) ------------------------ */
/* Called by the server's notices thread after each delivery of the mail
 * queue (every [smtp] poll_seconds): each area does what is due (its own
 * interval) and returns.  Errors are logged there, never fatal. */
struct config;
int gov_tick(struct store *st, const struct config *cfg, int64_t now);

/* ---- incidents (incident.c): Cirebon 24, Denpasar 25 ------------------ */
/* A security incident: a key or certificate lost, damaged or
 * inaccessible, a problem of authentication, data authenticity or non-
 * repudiation.  Anyone with an account reports one (an auditor only
 * reads); a loss report through the RA opens one itself (gov_report_loss).
 * "At once": on reporting, a notice to each recipient of [governance]
 * incident_notify goes through the mail queue; gov_tick records when each
 * was delivered, and the incident becomes notified when the last one was.
 * One not notified within [governance] incident_notify_within seconds
 * (default 3600) is flagged, and the Kepala Dinas is mailed once.
 *
 * States: reported -> notified (gov_tick, when the notices are delivered)
 * -> handled -> closed; reported -> handled too, since the Dinas must act
 * while the mail is down (the notification is still recorded after).
 * OP operators, the Kepala Dinas and the local administrator handle and
 * close, with a note.  The reporter reads their own, a head of agency
 * those of their agency's people, the auditor and the Dinas all. */
#define GOV_INCIDENT_TITLE_MAX      200  /* bytes of UTF-8, one line */
#define GOV_INCIDENT_DESC_MAX       4000 /* bytes of UTF-8 */
#define GOV_INCIDENT_NOTE_MAX       1000
#define GOV_INCIDENT_CERTS_MAX      16
#define GOV_INCIDENT_RECIPIENTS_MAX 8
#define GOV_INCIDENT_LABEL_MAX      100
#define GOV_INCIDENT_WITHIN_DEFAULT 3600

struct gov_incident_recipient {
	char label[GOV_INCIDENT_LABEL_MAX + 1];
	char address[255];
};
/* [governance] incident_notify: "Label <address>" items separated by
 * commas, at most GOV_INCIDENT_RECIPIENTS_MAX; *n may be 0 (none
 * configured).  SERTEL_EINVAL naming the key and the item when bad. */
int
gov_incident_recipients(struct gov_incident_recipient out[GOV_INCIDENT_RECIPIENTS_MAX],
                        int *n, const struct config *cfg);
/* [governance] incident_notify_within in seconds: 1 .. 30 days, default
 * GOV_INCIDENT_WITHIN_DEFAULT (an unreadable value: the default). */
int64_t gov_incident_within(const struct config *cfg);

/* The kinds and severities, in order (borrowed). */
const char *const *gov_incident_kinds(int *n);
const char *const *gov_incident_severities(int *n);

struct gov_incident_notice {
	int idx;
	char label[GOV_INCIDENT_LABEL_MAX + 1];
	char address[255];
	char mail_id[33];
	int64_t queued_at;
	int64_t delivered_at; /* 0 until delivered */
};

struct gov_incident {
	char id[17];
	char kind[32];
	char severity[16];
	char state[16]; /* reported, notified, handled, closed */
	char title[GOV_INCIDENT_TITLE_MAX + 1];
	char description[GOV_INCIDENT_DESC_MAX + 1];
	char reporter[96];     /* the actor's label */
	char reporter_nik[17]; /* "" for the local administrator */
	char revocation_request_id[17];
	int64_t reported_at, notified_at, handled_at, closed_at, updated_at;
	int64_t flag_mailed_at; /* the Kepala Dinas was mailed (0: not) */
	/* Computed when read: */
	int recipients; /* notices queued at reporting */
	int delivered;  /* of which delivered */
	int64_t delay;  /* notified_at - reported_at; -1 until notified */
	int flagged;    /* no recipients, or not notified within the time */
	/* gov_incident_get only (empty in a list): */
	int ncerts;
	char certs[GOV_INCIDENT_CERTS_MAX][SERIAL_HEX_MAX + 1];
	int nnotices;
	struct gov_incident_notice notices[GOV_INCIDENT_RECIPIENTS_MAX];
};

struct gov_incident_new {
	const char *kind;
	const char *severity;
	const char *title;
	const char *description;
	const char *const *serials; /* certificates affected (may be none) */
	int nserials;
};
/* Reports an incident and queues its notices, in one transaction; *out
 * is the incident as stored (NULL allowed).  The reporter may name only
 * their own certificates unless they are Dinas staff. */
int gov_incident_report(struct gov_incident *out, struct store *st,
                        const struct config *cfg, const struct ra_actor *who,
                        const struct gov_incident_new *in);
/* One incident, with its certificates and notices, if who may read it
 * (SERTEL_EPERM otherwise, SERTEL_ENOTFOUND when there is none). */
int gov_incident_get(struct gov_incident *out, struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id);

struct gov_incident_filter {
	const char *state;    /* NULL: any */
	const char *severity; /* NULL: any */
	int limit;            /* 1..200 */
	int offset;
};
typedef int (*gov_incident_fn)(const struct gov_incident *inc, void *arg);
/* The incidents who may read, newest first, a page at a time; *total
 * counts all that match.  A non-zero cb return stops. */
int gov_incident_list(struct store *st, const struct config *cfg,
                      const struct ra_actor *who, const struct gov_incident_filter *f,
                      int64_t *total, gov_incident_fn cb, void *arg);

struct gov_incident_event {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *action; /* reported, notified, flagged, handle, close, note */
	const char *note;
};
typedef int (*gov_incident_event_fn)(const struct gov_incident_event *ev, void *arg);
/* The timeline, oldest first, if who may read the incident. */
int gov_incident_events(struct store *st, const struct config *cfg,
                        const struct ra_actor *who, const char *id,
                        gov_incident_event_fn cb, void *arg);

/* action: "handle", "close" (both: the Dinas, with a note) or "note" (the
 * Dinas or the reporter, while not closed).  A refused transition is
 * SERTEL_ESTATE naming the rule.  *out (may be NULL) as it is after. */
int gov_incident_act(struct gov_incident *out, struct store *st, const struct config *cfg,
                     const struct ra_actor *who, const char *id, const char *action,
                     const char *note);

/* Every caller of ra_report_loss goes through this: the loss report, then
 * its incident (kunci-hilang, the certificate, the revocation request
 * linked).  When the incident cannot be opened the loss report stands
 * (it is revoked) and gov_tick's catch-up opens it; incident_id is then
 * "".  incident_id may be NULL. */
int gov_report_loss(struct store *st, const struct config *cfg,
                    const struct ra_actor *who, struct issuer *is, const char *serial,
                    const char *acknowledged_by, const struct ra_file *statement,
                    const struct ra_file *police, const char *note, char incident_id[17]);

/* gov_tick's part: opens the incidents of loss reports that have none,
 * records the notices delivered, marks incidents notified, flags the late
 * ones (mail to the Kepala Dinas, once). */
int gov_incident_tick(struct store *st, const struct config *cfg, int64_t now);

#endif
