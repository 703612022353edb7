/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Message catalogues: web/i18n/id.txt and en.txt, "key = text" a line.
 * Both files must hold the same keys; the keys are sorted once and found
 * by binary search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

#define I18N_MAX_FILE (1024 * 1024)
#define I18N_MAX_KEY  96

struct msg {
	char *key;
	char *text;
};

struct catalogue {
	struct msg *m;
	size_t n;
};

struct web_i18n {
	unsigned char *raw[WEB_NLANGS];
	struct catalogue lang[WEB_NLANGS];
};

static const char *const lang_codes[WEB_NLANGS] = {"id", "en"};

const char *
web_lang_code(int lang)
{
	return lang >= 0 && lang < WEB_NLANGS ? lang_codes[lang] : lang_codes[0];
}

int
web_lang_parse(const char *code)
{
	int i;

	if (code == NULL)
		return -1;
	for (i = 0; i < WEB_NLANGS; i++) {
		if (strncasecmp(code, lang_codes[i], 2) == 0 &&
		    (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
			return i;
	}
	return -1;
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct msg *)a)->key, ((const struct msg *)b)->key);
}

static int
valid_key(const char *k)
{
	size_t n = strlen(k);

	return n > 0 && n <= I18N_MAX_KEY &&
	       strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Parses data in place: each message points into it. */
static int
catalogue_parse(struct catalogue *c, char *data, const char *path)
{
	char *line, *next, *eq, *k, *v, *e;
	size_t cap = 0, i;
	int lineno = 0;

	for (line = data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL)
			return sertel_err(SERTEL_EINVAL, "%s:%d: expected 'key = text'",
			                  path, lineno);
		*eq = '\0';
		k = line;
		for (e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		for (e = v + strlen(v);
		     e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
			;
		*e = '\0';
		if (!valid_key(k))
			return sertel_err(
			    SERTEL_EINVAL,
			    "%s:%d: key '%s': [a-z0-9._-], 1..%d characters", path,
			    lineno, k, I18N_MAX_KEY);
		if (c->n == cap) {
			struct msg *m;

			cap = cap ? cap * 2 : 256;
			if ((m = realloc(c->m, cap * sizeof(*m))) == NULL)
				return sertel_err(SERTEL_ENOMEM, "%s: out of memory",
				                  path);
			c->m = m;
		}
		c->m[c->n].key = k;
		c->m[c->n].text = v;
		c->n++;
	}
	if (c->n > 0)
		qsort(c->m, c->n, sizeof(*c->m), msg_cmp);
	for (i = 1; i < c->n; i++) {
		if (strcmp(c->m[i - 1].key, c->m[i].key) == 0)
			return sertel_err(SERTEL_EINVAL, "%s: key '%s' given twice", path,
			                  c->m[i].key);
	}
	return 0;
}

static const struct msg *
catalogue_find(const struct catalogue *c, const char *key)
{
	struct msg probe = {(char *)key, NULL};

	if (c->n == 0)
		return NULL;
	return bsearch(&probe, c->m, c->n, sizeof(*c->m), msg_cmp);
}

int
web_i18n_load(struct web_i18n **out, const char *dir)
{
	struct web_i18n *c = NULL;
	char path[1200];
	size_t len, i;
	int rc, l;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "i18n: out of memory");
	for (l = 0; l < WEB_NLANGS; l++) {
		snprintf(path, sizeof(path), "%s/%s.txt", dir, lang_codes[l]);
		if ((rc = file_read(&c->raw[l], &len, path, I18N_MAX_FILE)) < 0 ||
		    (rc = catalogue_parse(&c->lang[l], (char *)c->raw[l], path)) < 0)
			goto fail;
	}
	/* The same keys in every language. */
	for (l = 1; l < WEB_NLANGS; l++) {
		for (i = 0; i < c->lang[0].n; i++) {
			if (catalogue_find(&c->lang[l], c->lang[0].m[i].key) == NULL) {
				rc = sertel_err(SERTEL_EINVAL,
				                "%s/%s.txt: no message '%s'", dir,
				                lang_codes[l], c->lang[0].m[i].key);
				goto fail;
			}
		}
		for (i = 0; i < c->lang[l].n; i++) {
			if (catalogue_find(&c->lang[0], c->lang[l].m[i].key) == NULL) {
				rc = sertel_err(SERTEL_EINVAL,
				                "%s/%s.txt: no message '%s'", dir,
				                lang_codes[0], c->lang[l].m[i].key);
				goto fail;
			}
		}
	}
	*out = c;
	return 0;
fail:
	web_i18n_free(c);
	return rc;
}

void
web_i18n_free(struct web_i18n *c)
{
	int l;

	if (c == NULL)
		return;
	for (l = 0; l < WEB_NLANGS; l++) {
		free(c->lang[l].m);
		free(c->raw[l]);
	}
	free(c);
}

const char *
web_i18n_get(const struct web_i18n *c, int lang, const char *key)
{
	const struct msg *m;

	if (c == NULL || lang < 0 || lang >= WEB_NLANGS)
		return NULL;
	m = catalogue_find(&c->lang[lang], key);
	return m ? m->text : NULL;
}
