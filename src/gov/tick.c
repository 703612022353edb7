/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The governance areas' background work, from the server's notices
 * thread (src/http/server.c): one call per round, after the mail queue
 * was delivered, so what depends on a delivery (an incident notified)
 * sees it at once.  Each area keeps its own interval.
 */
#include "gov/gov.h"

int
gov_tick(struct store *st, const struct config *cfg, int64_t now)
{
	/* Each area: one call, its own error logged, the others still run. */
	if (gov_plan_tick(st, cfg, now, NULL) < 0) /* plan: review due or late */
		log_msg(LOG_ERROR, "governance plan review: %s", sertel_errmsg());
	if (gov_probe_due(st, cfg, now) < 0) /* coverage: scheduled TLS probes */
		log_msg(LOG_ERROR, "governance probes: %s", sertel_errmsg());
	/* incidents: notices delivered, late ones flagged, loss reports */
	if (gov_incident_tick(st, cfg, now) < 0)
		log_msg(LOG_ERROR, "governance incidents: %s", sertel_errmsg());
	return 0;
}
