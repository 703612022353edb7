/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accessors of parsed objects.  Every pointer they return is borrowed
 * from the document (or content scanner) that made the object.
 */
#include <string.h>

#include "pdf/pdf_int.h"

enum pdf_kind
pdf_kind(const struct pdf_obj *o)
{
	return o == NULL ? PDF_NULL : o->kind;
}

int
pdf_bool(const struct pdf_obj *o, int *out)
{
	if (o == NULL || o->kind != PDF_BOOL)
		return sertel_err(SERTEL_EINVAL, "pdf: not a boolean");
	*out = o->u.b;
	return 0;
}

int
pdf_int(const struct pdf_obj *o, long long *out)
{
	if (o == NULL || o->kind != PDF_INT)
		return sertel_err(SERTEL_EINVAL, "pdf: not an integer");
	*out = o->u.i;
	return 0;
}

int
pdf_num(const struct pdf_obj *o, double *out)
{
	if (o != NULL && o->kind == PDF_INT) {
		*out = (double)o->u.i;
		return 0;
	}
	if (o != NULL && o->kind == PDF_REAL) {
		*out = o->u.r;
		return 0;
	}
	return sertel_err(SERTEL_EINVAL, "pdf: not a number");
}

const char *
pdf_name(const struct pdf_obj *o)
{
	if (o == NULL || o->kind != PDF_NAME)
		return NULL;
	return (const char *)o->u.s.p;
}

int
pdf_name_is(const struct pdf_obj *o, const char *name)
{
	const char *n = pdf_name(o);

	return n != NULL && strcmp(n, name) == 0;
}

const unsigned char *
pdf_str(const struct pdf_obj *o, size_t *len)
{
	if (o == NULL || o->kind != PDF_STRING)
		return NULL;
	if (len != NULL)
		*len = o->u.s.len;
	return o->u.s.p;
}

size_t
pdf_len(const struct pdf_obj *o)
{
	if (o == NULL)
		return 0;
	if (o->kind == PDF_ARRAY)
		return o->u.a.n;
	if (o->kind == PDF_DICT || o->kind == PDF_STREAM)
		return o->u.d.n;
	return 0;
}

const struct pdf_obj *
pdf_at(const struct pdf_obj *arr, size_t i)
{
	if (arr == NULL || arr->kind != PDF_ARRAY || i >= arr->u.a.n)
		return NULL;
	return arr->u.a.items[i];
}

const char *
pdf_key_at(const struct pdf_obj *dict, size_t i)
{
	if (dict == NULL || (dict->kind != PDF_DICT && dict->kind != PDF_STREAM) ||
	    i >= dict->u.d.n)
		return NULL;
	return dict->u.d.keys[i];
}

const struct pdf_obj *
pdf_val_at(const struct pdf_obj *dict, size_t i)
{
	if (dict == NULL || (dict->kind != PDF_DICT && dict->kind != PDF_STREAM) ||
	    i >= dict->u.d.n)
		return NULL;
	return dict->u.d.vals[i];
}

const struct pdf_obj *
pdf_get(const struct pdf_obj *dict, const char *key)
{
	size_t i;

	if (dict == NULL || (dict->kind != PDF_DICT && dict->kind != PDF_STREAM))
		return NULL;
	for (i = 0; i < dict->u.d.n; i++)
		if (strcmp(dict->u.d.keys[i], key) == 0)
			return dict->u.d.vals[i];
	return NULL;
}

int
pdf_ref(const struct pdf_obj *o, uint32_t *num, uint16_t *gen)
{
	if (o == NULL || o->kind != PDF_REF)
		return sertel_err(SERTEL_EINVAL, "pdf: not a reference");
	if (num != NULL)
		*num = o->u.ref.num;
	if (gen != NULL)
		*gen = o->u.ref.gen;
	return 0;
}

int
pdf_span(const struct pdf_obj *o, size_t *off, size_t *len)
{
	if (o == NULL || !o->has_span)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "pdf: object has no place in the file");
	*off = o->off;
	*len = o->len;
	return 0;
}

int
pdf_stream_raw(const struct pdf_obj *o, const unsigned char **out, size_t *len)
{
	if (o == NULL || o->kind != PDF_STREAM)
		return sertel_err(SERTEL_EINVAL, "pdf: not a stream");
	*out = o->u.d.data;
	*len = o->u.d.datalen;
	return 0;
}
