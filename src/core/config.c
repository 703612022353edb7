/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel.conf: an ini file read with libinih into a flat list of
 * section/key/value triples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "core/core.h"

#define CONFIG_MAX_ENTRIES 512

struct config_entry {
	char *section;
	char *key;
	char *value;
};

struct config {
	struct config_entry *e;
	size_t n;
	char dir[1024]; /* the file's directory, for paths relative to it */
};

static int
config_cb(void *user, const char *section, const char *name, const char *value)
{
	struct config *c = user;
	struct config_entry *ne;

	if (c->n >= CONFIG_MAX_ENTRIES)
		return 0;
	ne = realloc(c->e, (c->n + 1) * sizeof(*ne));
	if (ne == NULL)
		return 0;
	c->e = ne;
	ne[c->n].section = strdup(section);
	ne[c->n].key = strdup(name);
	ne[c->n].value = strdup(value);
	if (!ne[c->n].section || !ne[c->n].key || !ne[c->n].value) {
		free(ne[c->n].section);
		free(ne[c->n].key);
		free(ne[c->n].value);
		return 0;
	}
	c->n++;
	return 1;
}

int
config_load(struct config **out, const char *path)
{
	struct config *c;
	int rc;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "config: out of memory");
	rc = ini_parse(path, config_cb, c);
	if (rc < 0) {
		config_free(c);
		return sertel_err(SERTEL_EIO, "%s: cannot read configuration", path);
	}
	if (rc > 0) {
		config_free(c);
		return sertel_err(SERTEL_EINVAL, "%s:%d: configuration syntax error",
		                  path, rc);
	}
	{
		const char *slash = strrchr(path, '/');

		if (slash == NULL)
			str_copy(c->dir, sizeof(c->dir), ".");
		else
			snprintf(c->dir, sizeof(c->dir), "%.*s", (int)(slash - path),
			         path);
	}
	*out = c;
	return 0;
}

const char *
config_dir(const struct config *c)
{
	return c != NULL && c->dir[0] != '\0' ? c->dir : NULL;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->e[i].section);
		free(c->e[i].key);
		free(c->e[i].value);
	}
	free(c->e);
	free(c);
}

const char *
config_get(const struct config *c, const char *section, const char *key, const char *def)
{
	size_t i;

	if (c == NULL)
		return def;
	/* Last one wins, as in most ini readers. */
	for (i = c->n; i > 0; i--) {
		if (strcmp(c->e[i - 1].section, section) == 0 &&
		    strcmp(c->e[i - 1].key, key) == 0)
			return c->e[i - 1].value;
	}
	return def;
}

long long
config_get_int(const struct config *c, const char *section, const char *key,
               long long def)
{
	const char *v = config_get(c, section, key, NULL);
	long long n;

	if (v == NULL || parse_ll(&n, v, -(1LL << 62), 1LL << 62) < 0)
		return def;
	return n;
}

int
config_time_zone(struct time_zone *out, const struct config *c)
{
	const char *tz = c ? config_get(c, "portal", "time_zone", "WIB") : "WIB";

	if (time_zone_parse(out, tz) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "[portal] time_zone '%.32s': WIB, WITA, WIT or "
		                  "Asia/Jakarta, Asia/Pontianak, Asia/Makassar, "
		                  "Asia/Jayapura",
		                  tz);
	return 0;
}
