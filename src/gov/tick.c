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
	int rc = 0;

	/* Each area: one call, its own error logged, the others still run. */
	(void)st;
	(void)cfg;
	(void)now;
	if (gov_incident_tick(st, cfg, now) < 0)
		log_msg(LOG_ERROR, "governance incidents: %s", sertel_errmsg());
	return rc;
}
