/* SPDX-License-Identifier: Apache-2.0 */
/*
 * application/x-www-form-urlencoded (the HTML form's own encoding, WHATWG
 * URL "application/x-www-form-urlencoded parser"), strict: what a browser
 * never sends is refused rather than guessed at.
 */
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;
	unsigned cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Decodes s[0..n) into a new string in *out. */
static int
decode(char **out, const char *s, size_t n, const char *what)
{
	char *d = malloc(n + 1);
	size_t i, j = 0;
	int hi, lo;

	*out = NULL;
	if (d == NULL)
		return sertel_err(SERTEL_ENOMEM, "form: out of memory");
	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[j++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n || (hi = hex_digit((unsigned char)s[i + 1])) < 0 ||
			    (lo = hex_digit((unsigned char)s[i + 2])) < 0) {
				free(d);
				return sertel_err(SERTEL_EINVAL,
				                  "form %s: '%%' without two hex digits",
				                  what);
			}
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	if (memchr(d, '\0', j) != NULL) {
		free(d);
		return sertel_err(SERTEL_EINVAL, "form %s: NUL byte refused", what);
	}
	if (!utf8_valid((const unsigned char *)d, j)) {
		free(d);
		return sertel_err(SERTEL_EINVAL, "form %s: not UTF-8", what);
	}
	*out = d;
	return 0;
}

int
web_form_parse(struct web_form *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *amp, *eq;
	char *name = NULL, *value = NULL;
	int rc, i;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) { /* empty sequence: skipped, as browsers do */
			p++;
			continue;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		if ((size_t)(amp - eq) > WEB_FORM_MAX_VALUE * 3 + 1) {
			rc = sertel_err(SERTEL_ETOOBIG, "form: a value exceeds %d bytes",
			                WEB_FORM_MAX_VALUE);
			goto fail;
		}
		if ((rc = decode(&name, p, (size_t)(eq - p), "field name")) < 0)
			goto fail;
		if (name[0] == '\0' || strlen(name) > 64) {
			rc = sertel_err(SERTEL_EINVAL,
			                "form: field names are 1..64 bytes");
			goto fail;
		}
		if ((rc = decode(&value, eq < amp ? eq + 1 : amp,
		                 eq < amp ? (size_t)(amp - eq - 1) : 0, name)) < 0)
			goto fail;
		if (strlen(value) > WEB_FORM_MAX_VALUE) {
			rc = sertel_err(SERTEL_ETOOBIG, "form %s: over %d bytes", name,
			                WEB_FORM_MAX_VALUE);
			goto fail;
		}
		for (i = 0; i < out->n; i++) {
			if (strcmp(out->name[i], name) == 0) {
				rc = sertel_err(SERTEL_EINVAL, "form %s: given twice",
				                name);
				goto fail;
			}
		}
		if (out->n == WEB_FORM_MAX_FIELDS) {
			rc = sertel_err(SERTEL_ETOOBIG, "form: more than %d fields",
			                WEB_FORM_MAX_FIELDS);
			goto fail;
		}
		out->name[out->n] = name;
		out->value[out->n] = value;
		out->n++;
		name = value = NULL;
		p = amp + (amp < end);
	}
	return 0;
fail:
	free(name);
	free(value);
	web_form_free(out);
	return rc;
}

void
web_form_free(struct web_form *f)
{
	int i;

	for (i = 0; i < f->n; i++) {
		free(f->name[i]);
		if (f->value[i] != NULL)
			secure_wipe(f->value[i], strlen(f->value[i]));
		free(f->value[i]);
	}
	memset(f, 0, sizeof(*f));
}

const char *
web_form_get(const struct web_form *f, const char *name)
{
	int i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->name[i], name) == 0)
			return f->value[i];
	}
	return NULL;
}

int
web_url_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int rc;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
		    *p == '~')
			rc = buf_putc(out, *p);
		else if ((rc = buf_putc(out, '%')) == 0 &&
		         (rc = buf_putc(out, (unsigned char)hex[*p >> 4])) == 0)
			rc = buf_putc(out, (unsigned char)hex[*p & 15]);
		if (rc < 0)
			return rc;
	}
	return 0;
}
