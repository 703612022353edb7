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

#endif
