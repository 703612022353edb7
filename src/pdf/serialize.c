/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing objects back in PDF syntax (ISO 32000-1 7.3), for copying a
 * dictionary into a new revision with some entries changed.
 */
#include <stdio.h>
#include <string.h>

#include "pdf/pdf_int.h"

static int ser(struct buf *out, const struct pdf_obj *o, int depth);

static int
ser_name(struct buf *out, const char *n)
{
	int rc;

	if ((rc = buf_putc(out, '/')) < 0)
		return rc;
	for (; *n; n++) {
		unsigned char c = (unsigned char)*n;
		/* 7.3.5: anything outside ! .. ~, delimiters and # as #xx */
		if (c < 0x21 || c > 0x7e || c == '#' || lex_isdelim(c))
			rc = buf_appendf(out, "#%02X", c);
		else
			rc = buf_putc(out, c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
ser_string(struct buf *out, const struct pdf_obj *o)
{
	size_t i;
	int rc;

	if (o->hex) {
		if ((rc = buf_putc(out, '<')) < 0)
			return rc;
		for (i = 0; i < o->u.s.len; i++)
			if ((rc = buf_appendf(out, "%02X", o->u.s.p[i])) < 0)
				return rc;
		return buf_putc(out, '>');
	}
	if ((rc = buf_putc(out, '(')) < 0)
		return rc;
	for (i = 0; i < o->u.s.len; i++) {
		unsigned char c = o->u.s.p[i];
		if (c == '(' || c == ')' || c == '\\')
			rc = buf_appendf(out, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			rc = buf_appendf(out, "\\%03o", c);
		else
			rc = buf_putc(out, c);
		if (rc < 0)
			return rc;
	}
	return buf_putc(out, ')');
}

static int
ser_real(struct buf *out, double r)
{
	char tmp[64];
	int n;

	/* no exponent in PDF: fixed notation, trailing zeros trimmed */
	if (r != r || r > 1e15 || r < -1e15)
		return sertel_err(SERTEL_EINVAL, "pdf: real number out of range");
	n = snprintf(tmp, sizeof(tmp), "%.10f", r);
	if (n <= 0 || (size_t)n >= sizeof(tmp))
		return sertel_err(SERTEL_EINVAL, "pdf: real number out of range");
	while (n > 1 && tmp[n - 1] == '0')
		n--;
	if (tmp[n - 1] == '.')
		n--;
	if (n == 2 && tmp[0] == '-' && tmp[1] == '0')
		return buf_putc(out, '0');
	return buf_append(out, tmp, (size_t)n);
}

static int
ser_dict(struct buf *out, const struct pdf_obj *d, const char *const *skip,
         const char *extra, int depth)
{
	size_t i, k, n = 0;
	int rc;

	if ((rc = buf_append(out, "<<", 2)) < 0)
		return rc;
	for (i = 0; i < d->u.d.n; i++) {
		for (k = 0; skip != NULL && skip[k] != NULL; k++)
			if (strcmp(skip[k], d->u.d.keys[i]) == 0)
				break;
		if (skip != NULL && skip[k] != NULL)
			continue;
		if (n++ > 0 && (rc = buf_putc(out, ' ')) < 0)
			return rc;
		if ((rc = ser_name(out, d->u.d.keys[i])) < 0 ||
		    (rc = buf_putc(out, ' ')) < 0 ||
		    (rc = ser(out, d->u.d.vals[i], depth + 1)) < 0)
			return rc;
	}
	if (extra != NULL && *extra != '\0') {
		if ((rc = buf_putc(out, ' ')) < 0 ||
		    (rc = buf_append(out, extra, strlen(extra))) < 0)
			return rc;
	}
	return buf_append(out, ">>", 2);
}

static int
ser(struct buf *out, const struct pdf_obj *o, int depth)
{
	size_t i;
	int rc;

	if (depth > PDF_MAX_DEPTH)
		return sertel_err(SERTEL_EINVAL, "pdf: nesting deeper than %d",
		                  PDF_MAX_DEPTH);
	if (o == NULL)
		return buf_append(out, "null", 4);
	switch (o->kind) {
	case PDF_NULL: return buf_append(out, "null", 4);
	case PDF_BOOL:
		return o->u.b ? buf_append(out, "true", 4) : buf_append(out, "false", 5);
	case PDF_INT: return buf_appendf(out, "%lld", o->u.i);
	case PDF_REAL: return ser_real(out, o->u.r);
	case PDF_STRING: return ser_string(out, o);
	case PDF_NAME: return ser_name(out, (const char *)o->u.s.p);
	case PDF_REF: return buf_appendf(out, "%u %u R", o->u.ref.num, o->u.ref.gen);
	case PDF_ARRAY:
		if ((rc = buf_putc(out, '[')) < 0)
			return rc;
		for (i = 0; i < o->u.a.n; i++)
			if ((i > 0 && (rc = buf_putc(out, ' ')) < 0) ||
			    (rc = ser(out, o->u.a.items[i], depth + 1)) < 0)
				return rc;
		return buf_putc(out, ']');
	case PDF_DICT: return ser_dict(out, o, NULL, NULL, depth);
	case PDF_STREAM:
		return sertel_err(SERTEL_EINVAL, "pdf: a stream cannot be written as a "
		                                 "direct object");
	}
	return sertel_err(SERTEL_EINVAL, "pdf: unknown object kind");
}

int
pdf_serialize(struct buf *out, const struct pdf_obj *o)
{
	return ser(out, o, 0);
}

int
pdf_serialize_dict(struct buf *out, const struct pdf_obj *dict, const char *const *skip,
                   const char *extra)
{
	if (dict == NULL || (dict->kind != PDF_DICT && dict->kind != PDF_STREAM))
		return sertel_err(SERTEL_EINVAL, "pdf: not a dictionary");
	return ser_dict(out, dict, skip, extra, 0);
}
