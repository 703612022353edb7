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

#include <jansson.h>

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

/* ---- the annual evaluation report (report.c, report_pdf.c): Cirebon 23,
 * Denpasar 24 ------------------------------------------------------------ */
/* The figures of one calendar year in the instance's zone, computed from
 * the store once into rows of (section, dimension, key, value): the PDF,
 * the JSON and the CSV all print these rows, never a computation of
 * their own.  A value is an integer, a real (days, hours: one decimal
 * shown) or a short text (a system's state, the audit verdict). */
#define GOV_REPORT_YEAR_MIN 2000
enum gov_val { GOV_VAL_INT, GOV_VAL_REAL, GOV_VAL_TEXT };
struct gov_report_row {
	int dim; /* index into gov_report_dims() */
	int seq; /* insertion order, kept where the dimension says so */
	char key[160];
	enum gov_val kind;
	int64_t n;
	double d;
	char text[64];
};
/* One dimension: its section and name (the JSON/CSV keys) and the title
 * the PDF gives its table. */
struct gov_report_dim {
	const char *section;
	const char *name;
	const char *title; /* Bahasa Indonesia */
	int keep_order;    /* keys in insertion order, not sorted */
};
const struct gov_report_dim *gov_report_dims(size_t *n);
struct gov_report {
	int year;
	int64_t from, to;     /* [from, to): the year's local midnights */
	int64_t generated_at; /* "now" of the open items */
	struct time_zone tz;  /* the instance's zone */
	struct gov_report_row *rows;
	size_t nrows, cap;
	/* The coverage line for the chart (months up to now): basis points. */
	int months;
	int64_t month_bp[12];
	int64_t target_bp; /* -1: no road-map target for the year */
};
/* Who reads the figures: the Kepala Dinas, auditors, OP operators and
 * the local administrator (SERTEL_EPERM otherwise).  year from
 * GOV_REPORT_YEAR_MIN to the current local year (SERTEL_EINVAL).
 * notify_within: [governance] incident_notify_within seconds. */
int gov_report_build(struct gov_report **out, struct store *st,
                     const struct ra_actor *who, int year, const struct time_zone *tz,
                     int64_t notify_within);
void gov_report_free(struct gov_report *r);
/* The row of (section, dimension, key); NULL when absent. */
const struct gov_report_row *gov_report_find(const struct gov_report *r,
                                             const char *section, const char *dim,
                                             const char *key);
/* The nearest-rank percentile (p in 1..100) of v[0..n) (sorted here): the
 * smallest value with at least p% of the values at or below it, i.e. the
 * value of rank ceil(p*n/100) in ascending order (the median is p = 50:
 * for an even n, the lower of the two middle values).  0 when n is 0. */
int64_t gov_report_percentile(int64_t *v, size_t n, int p);
/* {"year", "zone", "from", "to", "generated_at", "figures": {section:
 * {dimension: {key: value}}}}.  *out owned (json_decref). */
int gov_report_json(json_t **out, const struct gov_report *r);
/* "section,dimension,key,value" rows after that header line, RFC 4180
 * (CRLF, quotes doubled).  b: buf_init()ed by the caller. */
int gov_report_csv(struct buf *b, const struct gov_report *r);
/* A value as the PDF and the CSV print it ("3", "2.5", "baik"). */
void gov_report_value_fmt(char *out, size_t outsz, const struct gov_report_row *row);

/* A key as a reader reads it ("median" -> "Median"), Bahasa Indonesia;
 * names (agencies, causes, reasons) as they are.  Borrowed. */
const char *gov_report_key_label(const char *key);
/* The document (report_pdf.c), Bahasa Indonesia. */
struct gov_report_doc {
	const char *org;         /* [instance] org: "Pemerintah Kota Cirebon" */
	const char *recipients;  /* [governance] report_recipients (NULL: default) */
	const char *signer_name; /* the Kepala Dinas, NULL on a draft */
	const char *verify_url;  /* base_url/v/{id}: QR code; NULL on a draft */
	int draft;               /* "DRAF" on every page, no QR code */
};
#define GOV_REPORT_RECIPIENTS "Wali Kota/Bupati,Gubernur,Kepala BSSN,Kepala BSrE"
int gov_report_pdf(unsigned char **out, size_t *outlen, const struct gov_report *r,
                   const struct gov_report_doc *doc);
/* Signs the report as the Kepala Dinas who (only that role; SERTEL_EPERM
 * for anyone else): the PDF names base_url/v/{id} in its QR code, is
 * signed with who's sealed key unsealed by the passphrase through
 * esign_sign (the instance's [esign] level; wrong passphrases counted and
 * the key locked as for every signature) and registered under id, with
 * a gov.report.sign audit entry in the same transaction.  err says what
 * to show on failure.  *out owned (free()). */
struct esign_ctx;
struct esign_error;
int gov_report_sign(unsigned char **out, size_t *outlen, char id[33],
                    struct esign_error *err, struct store *st, struct esign_ctx *c,
                    const struct ra_actor *who, const char *passphrase, size_t passlen,
                    const struct gov_report *r, const char *org, const char *recipients);
/* The signed annual reports, newest first (esign_docs of the report's
 * channel); a non-zero cb return stops.  Same readers as the figures. */
struct gov_report_signed {
	char id[33];
	char name[128];
	char signer_name[128];
	int64_t signed_at;
};
typedef int (*gov_report_signed_fn)(const struct gov_report_signed *s, void *arg);
int gov_report_signed_iter(struct store *st, const struct ra_actor *who,
                           gov_report_signed_fn cb, void *arg);
/* [governance] incident_notify_within (seconds, default 3600, 60 to one
 * week) and report_recipients (default GOV_REPORT_RECIPIENTS, at most
 * 1000 bytes); SERTEL_EINVAL names the key. */
struct config;
struct gov_report_conf {
	int64_t notify_within;
	char recipients[1024];
};
int gov_report_conf_load(struct gov_report_conf *out, const struct config *cfg);
/* The governance hub's figures of today (/portal/tata-kelola): coverage
 * of the region for the Dinas (Kepala Dinas, OP operators, auditors, the
 * administrator) or of the head's own agency for a head of agency
 * (agency_id set, region figures 0), open incidents and complaints, and
 * systems whose last probe failed.  SERTEL_EPERM for anyone else. */
struct gov_hub {
	int region; /* 1: the region's coverage, 0: agency_id's */
	char agency_id[17];
	struct gov_coverage coverage;
	int64_t incidents_open;
	int64_t complaints_open;
	int64_t systems_failed;
};
int gov_hub_get(struct gov_hub *out, struct store *st, const struct ra_actor *who);
/* May who read the figures / sign them (0 or SERTEL_EPERM). */
int gov_report_may_read(const struct ra_actor *who);
int gov_report_may_sign(const struct ra_actor *who);

#endif
