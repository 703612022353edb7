/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging to stderr.  Never pass secrets here: callers log object names and
 * outcomes only.
 */
#include <stdio.h>

#include "core/core.h"

static enum log_level level = LOG_INFO;

void
log_set_level(enum log_level lvl)
{
	level = lvl;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	char ts[32], line[1024];
	va_list ap;

	if (lvl > level)
		return;
	time_fmt(ts, time_now());
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per line so concurrent threads do not interleave. */
	fprintf(stderr, "%s sertel[%s]: %s\n", ts, names[lvl], line);
}
