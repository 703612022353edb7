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

/* ---- coverage: staff, headcounts, certificates, systems (g-cover) ------- */
/* Denpasar 8(3)-(4), Samarinda 8(3).  staff.c: the staff list and the
 * headcount; coverage.c: who holds a certificate, certificate counts;
 * systems.c: the register of electronic systems and its TLS probe.
 *
 * Who: the Kepala Dinas, OP operators and the administrator do everything;
 * a head of agency (ROLE_KEPALA_PD) enters the headcount, reads coverage and
 * registers systems of their own agency only; the auditor reads all and
 * changes nothing; anyone else is refused (SERTEL_EPERM). */
#define GOV_STAFF_CSV_MAX  (20 * 1024 * 1024) /* [governance] staff_csv_max */
#define GOV_STAFF_ROWS_MAX 200000
#define GOV_STAFF_ERRORS   100 /* bad rows kept for the report (all counted) */
#define GOV_HEADCOUNT_MAX  10000000
#define GOV_EXPIRING_DAYS  30    /* [governance] expiring_days */
#define GOV_PROBE_INTERVAL 86400 /* [governance] probe_interval */
#define GOV_PROBE_TIMEOUT  10    /* [governance] probe_timeout */
#define GOV_PROBE_PER_TICK 2     /* [governance] probe_per_tick */
#define GOV_PROBE_MIN_GAP  10    /* [governance] probe_min_gap */
#define GOV_URL_MAX        512

/* 0 when who may read (edit 0) or change (edit 1) agency_id's coverage
 * data and systems; agency_id NULL: every agency's (the Dinas, and the
 * auditor for reading).  SERTEL_EPERM naming the rule otherwise. */
int gov_cover_access(struct store *st, const struct ra_actor *who, const char *agency_id,
                     int edit);
/* The agency a head of agency heads (their persons.agency_id) into out,
 * "" for anyone else. */
int gov_cover_own_agency(char out[17], struct store *st, const struct ra_actor *who);

/* The reason every change of this area needs: not empty, UTF-8 text of at
 * most 500 characters (the audit trail records it). */
int gov_reason_check(const char *reason);

/* The headcount of an agency without an imported staff list (n >= 0,
 * at most GOV_HEADCOUNT_MAX); audited (gov.cover.headcount). */
int gov_headcount_set(struct store *st, const struct ra_actor *who, const char *agency_id,
                      int64_t n, const char *reason);

/* One bad row of a staff CSV. */
struct gov_staff_error {
	long line; /* 1 = the header */
	char reason[200];
};
struct gov_staff_result {
	int64_t rows; /* data rows read */
	int64_t added, removed, changed, unchanged;
	int agencies; /* agencies whose list was replaced */
	int nerrors;  /* every bad row; the first GOV_STAFF_ERRORS kept */
	struct gov_staff_error errors[GOV_STAFF_ERRORS];
};
/* Imports a staffing-system export: a header row naming NIK, NIP, Nama,
 * Perangkat Daerah, Jabatan (any order, any case; comma or semicolon),
 * then one row per ASN (RFC 4180 quoting, UTF-8, an optional BOM).  The
 * agency is its id or exact name.  The file is the staffing system's whole
 * list of each agency in it: those agencies' lists are replaced (who is no
 * longer listed is removed); agencies not in the file keep theirs.  Any bad
 * row (out->errors, with line numbers) and nothing is imported
 * (SERTEL_EINVAL); max bytes (0: GOV_STAFF_CSV_MAX), GOV_STAFF_ROWS_MAX
 * rows.  Kepala Dinas, operators, admin.  One transaction, audited
 * (gov.cover.import) with counts, never NIKs.  out is caller's. */
int gov_staff_import(struct gov_staff_result *out, struct store *st,
                     const struct ra_actor *who, const char *csv, size_t len, size_t max,
                     const char *reason);

/* Who of an agency does not hold a valid certificate at `at` (the members
 * gov_coverage_at counts), by name; NIK is not given (the portal shows NIP
 * and name only).  Borrowed strings; a non-zero cb return stops. */
struct gov_missing {
	const char *name;
	const char *nip; /* "" when unknown */
	const char *position;
};
typedef int (*gov_missing_fn)(const struct gov_missing *m, void *arg);
int gov_missing_iter(struct store *st, const struct ra_actor *who, const char *agency_id,
                     int64_t at, int limit, gov_missing_fn cb, void *arg);

/* The region's coverage at the end of each of the last `months` months
 * (the current month: at `now`), month ends in zone tz, oldest first:
 * out[i] with at[i] the moment computed.  months at most 24. */
int gov_coverage_months(struct gov_coverage *out, int64_t *at, int months,
                        struct store *st, int64_t now, const struct time_zone *tz);

/* Certificates per type and usage set, at `now`: valid, expired, revoked.
 * Borrowed strings. */
struct gov_cert_count {
	const char *type;
	const char *usages;
	int64_t valid, expired, revoked;
};
typedef int (*gov_cert_count_fn)(const struct gov_cert_count *c, void *arg);
int gov_cert_counts(struct store *st, const struct ra_actor *who, int64_t now,
                    gov_cert_count_fn cb, void *arg);
/* Per agency (the owner's), every agency in name order: valid certificates
 * ending within `days` days of now, and expired ones (not revoked). */
struct gov_expiry {
	const char *agency_id;
	const char *agency_name;
	int64_t expiring, expired;
};
typedef int (*gov_expiry_fn)(const struct gov_expiry *e, void *arg);
int gov_cert_expiry(struct store *st, const struct ra_actor *who, int64_t now, int days,
                    gov_expiry_fn cb, void *arg);

/* The register of electronic systems (Denpasar 8(4)). */
enum gov_system_state { GOV_SYSTEM_ACTIVE, GOV_SYSTEM_RETIRED };
const char *gov_system_state_name(enum gov_system_state s);
int gov_system_state_parse(enum gov_system_state *out, const char *name);
struct gov_system {
	char id[17];
	char name[SERTEL_MAX_NAME];
	char agency_id[17];
	char agency_name[SERTEL_MAX_NAME];
	char url[GOV_URL_MAX];
	char purpose[1024];
	char cert_serial[SERIAL_HEX_MAX + 1]; /* "" when none */
	int64_t cert_not_after;               /* 0 when none */
	int cert_revoked;
	char cert_agency_id[17]; /* the certificate owner's agency */
	enum gov_system_state state;
	char created_by[96];
	int64_t created_at, updated_at;
};
/* A registered address: https://HOST[:PORT][/path], HOST a DNS name or an
 * IP literal (IPv6 in brackets) by validate_hostname_check. */
struct gov_url {
	char host[256];
	int port;
	char path[GOV_URL_MAX];
};
int gov_url_parse(struct gov_url *out, const char *url);
/* What a register change gives; NULL fields of an update keep the value. */
struct gov_system_req {
	const char *name;
	const char *agency_id; /* id or exact name */
	const char *url;
	const char *purpose;
	const char *cert_serial; /* must exist and be of type sistem; "" none */
};
/* Adds (id NULL) or changes (id given) a system; audited (gov.system.add,
 * gov.system.update).  *warn (may be NULL) gets "" or a warning: the
 * certificate belongs to another agency's person, or is not valid now. */
int gov_system_save(struct gov_system *out, char *warn, size_t warnsz, struct store *st,
                    const struct ra_actor *who, const char *id,
                    const struct gov_system_req *rq, const char *reason);
/* active <-> retired, with a reason; audited (gov.system.retire /
 * gov.system.activate).  SERTEL_ESTATE for the same state. */
int gov_system_set_state(struct store *st, const struct ra_actor *who, const char *id,
                         enum gov_system_state to, const char *reason);
int gov_system_get(struct gov_system *out, struct store *st, const struct ra_actor *who,
                   const char *id);
/* By agency name then system name; agency_id NULL: all who may read. */
typedef int (*gov_system_fn)(const struct gov_system *s, void *arg);
int gov_system_iter(struct store *st, const struct ra_actor *who, const char *agency_id,
                    gov_system_fn cb, void *arg);

/* One TLS probe of a system's address (a gov_probes row). */
struct gov_probe {
	char system_id[17];
	int64_t at;
	int ok; /* handshake done, leaf read, HTTP answer came */
	char serial[SERIAL_HEX_MAX + 1];
	char sha256[65];
	int64_t not_after;
	int matches;  /* the leaf is the registered certificate */
	int chain_ok; /* validates against this instance's CA (ssl-server) */
	int name_ok;  /* the leaf is for HOST (RFC 9525) */
	int http_status;
	char redirect_host[256]; /* a Location on another host, not followed */
	int64_t elapsed_ms;
	char via[16]; /* manual or schedule */
	char error[256];
};
struct config;
struct gov_probe_opts {
	int timeout;       /* seconds for the whole probe */
	int allow_private; /* [governance] probe_private: loopback, RFC 1918 */
	int min_gap;       /* seconds between two manual probes of one system */
};
void gov_probe_opts_load(struct gov_probe_opts *out, const struct config *cfg);
/* Probes system id now and records it (audited gov.system.probe): connect to
 * HOST:PORT (every address within the time bound; special addresses only
 * with allow_private), TLS with SNI = HOST, the leaf and chain read, one
 * GET of the path (only its head read), never a redirect followed.  A failed probe is
 * recorded too (ok 0, error) and returns 0; <0 only when nothing was recorded. */
int gov_system_probe(struct gov_probe *out, struct store *st, const struct ra_actor *who,
                     const char *id, const struct gov_probe_opts *o);
/* The probes of a system, newest first (limit 0: 50). */
typedef int (*gov_probe_fn)(const struct gov_probe *p, void *arg);
int gov_probe_iter(struct store *st, const struct ra_actor *who, const char *id,
                   int limit, gov_probe_fn cb, void *arg);
/* From gov_tick: probes at most per_tick active systems whose last probe is
 * older than interval (the oldest first, so they spread over the day). */
int gov_probe_due(struct store *st, const struct config *cfg, int64_t now);

/* JSON of the above (cover_json.c), one shape for the CLI's --json, the
 * REST API and the portal's templates; owned by the caller (json_decref).
 * Shares are in basis points (share_bp, 10000 = 100%). */
struct json_t;
struct json_t *gov_system_json(const struct gov_system *s);
struct json_t *gov_probe_json(const struct gov_probe *p);
struct json_t *gov_staff_result_json(const struct gov_staff_result *r);
/* The coverage report at now: {at, expiring_days, region, agencies[],
 * months[], certs[], expiry[]}; agencies[] each {id, name, headcount,
 * holders, share_bp, in_scope}.  For a head of agency only their agency
 * (agencies[], expiry[]) and the region's totals and months; certs[] for
 * the Dinas and the auditor.  agency_id not NULL: that agency only. */
int gov_cover_report(struct json_t **out, struct store *st, const struct ra_actor *who,
                     int64_t now, const struct time_zone *tz, int expiring_days,
                     const char *agency_id);

#endif
