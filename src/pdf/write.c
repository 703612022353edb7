/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The incremental writer (ISO 32000-1 7.5.6): appends one revision with
 * the new and replaced objects, a cross-reference section in the style of
 * the newest one (table or stream), and a trailer pointing back with
 * /Prev.  The original bytes are never touched.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pdf/pdf_int.h"

#define PDF_MAX_UPDATE (1024UL * 1024 * 1024) /* bytes of one new revision */

struct upd_obj {
	uint32_t num;
	uint16_t gen;
	unsigned char *body;
	size_t len;
	size_t off; /* after finish */
};

struct pdf_update {
	struct pdf_doc *doc;
	uint32_t next;
	struct upd_obj *v;
	size_t n, cap;
	int finished;
};

int
pdf_update_begin(struct pdf_update **out, struct pdf_doc *doc)
{
	struct pdf_update *u;

	*out = NULL;
	if (pdf_get(doc->trailer, "Encrypt") != NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: encrypted documents are not supported");
	if (pdf_kind(pdf_get(doc->trailer, "Root")) != PDF_REF)
		return sertel_err(SERTEL_EINVAL, "pdf: trailer /Root is not a reference");
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	u->doc = doc;
	u->next = doc->size;
	*out = u;
	return 0;
}

void
pdf_update_free(struct pdf_update *u)
{
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->n; i++)
		free(u->v[i].body);
	free(u->v);
	free(u);
}

uint32_t
pdf_update_alloc(struct pdf_update *u)
{
	if (u->next >= PDF_MAX_OBJECTS) {
		sertel_err(SERTEL_ETOOBIG, "pdf: more than %d objects", PDF_MAX_OBJECTS);
		return 0;
	}
	return u->next++;
}

static struct upd_obj *
find(const struct pdf_update *u, uint32_t num)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->v[i].num == num)
			return &u->v[i];
	return NULL;
}

static int
put_owned(struct pdf_update *u, uint32_t num, unsigned char *body, size_t len)
{
	struct upd_obj *o;
	uint16_t gen = 0;

	if (u->finished) {
		free(body);
		return sertel_err(SERTEL_ESTATE, "pdf: update already finished");
	}
	if (num == 0 || num >= PDF_MAX_OBJECTS) {
		free(body);
		return sertel_err(SERTEL_EINVAL, "pdf: object number %u out of range",
		                  num);
	}
	/* a replaced object keeps its generation (7.5.6) */
	if (num < u->doc->nxref && u->doc->xref[num].type == XREF_USED)
		gen = u->doc->xref[num].gen;
	if ((o = find(u, num)) != NULL) {
		free(o->body);
	} else {
		if (u->n == u->cap) {
			size_t ncap = u->cap ? u->cap * 2 : 16;
			struct upd_obj *p = realloc(u->v, ncap * sizeof(*p));
			if (p == NULL) {
				free(body);
				return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
			}
			u->v = p;
			u->cap = ncap;
		}
		o = &u->v[u->n++];
	}
	o->num = num;
	o->gen = gen;
	o->body = body;
	o->len = len;
	o->off = 0;
	if (num >= u->next)
		u->next = num + 1;
	return 0;
}

int
pdf_update_put(struct pdf_update *u, uint32_t num, const void *body, size_t len)
{
	unsigned char *p;

	if (len > PDF_MAX_UPDATE)
		return sertel_err(SERTEL_ETOOBIG, "pdf: object body too large");
	if ((p = malloc(len + 1)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	if (len > 0)
		memcpy(p, body, len);
	return put_owned(u, num, p, len);
}

int
pdf_update_putf(struct pdf_update *u, uint32_t num, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sertel_err(SERTEL_EINVAL, "pdf: bad format");
	if ((p = malloc((size_t)n + 1)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return put_owned(u, num, (unsigned char *)p, (size_t)n);
}

int
pdf_update_put_stream(struct pdf_update *u, uint32_t num, const char *dict_entries,
                      const void *data, size_t len, int compress)
{
	struct buf b;
	unsigned char *z = NULL;
	uLongf zlen = 0;
	const void *payload = data;
	size_t plen = len;
	int rc;

	buf_init(&b, PDF_MAX_UPDATE);
	if (len > PDF_MAX_STREAM) {
		rc = sertel_err(SERTEL_ETOOBIG, "pdf: stream too large");
		goto out;
	}
	if (compress) {
		zlen = compressBound((uLong)len);
		if ((z = malloc(zlen)) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
			goto out;
		}
		if (compress2(z, &zlen, data, (uLong)len, Z_DEFAULT_COMPRESSION) !=
		    Z_OK) {
			rc = sertel_err(SERTEL_ENOMEM, "pdf: zlib compress failed");
			goto out;
		}
		payload = z;
		plen = zlen;
	}
	if ((rc = buf_appendf(&b, "<<%s%s /Length %zu%s>>\nstream\n",
	                      dict_entries && *dict_entries ? " " : "",
	                      dict_entries ? dict_entries : "", plen,
	                      compress ? " /Filter /FlateDecode" : "")) < 0 ||
	    (rc = buf_append(&b, payload, plen)) < 0 ||
	    (rc = buf_append(&b, "\nendstream", 10)) < 0)
		goto out;
	{
		size_t blen;
		unsigned char *body = buf_detach(&b, &blen);
		rc = put_owned(u, num, body, blen);
	}
out:
	free(z);
	buf_free(&b);
	return rc;
}

struct xrow {
	uint32_t num;
	uint16_t gen;
	size_t off;
};

/* One xref stream row: type 1, offset in w bytes, generation in 2. */
static int
put_row(struct buf *rows, uint64_t off, uint16_t gen, int w)
{
	unsigned char r[11];
	int k;

	r[0] = 1;
	for (k = 0; k < w; k++)
		r[1 + k] = (unsigned char)(off >> (8 * (w - 1 - k)));
	r[1 + w] = (unsigned char)(gen >> 8);
	r[2 + w] = (unsigned char)gen;
	return buf_append(rows, r, (size_t)(3 + w));
}

static int
cmp_obj(const void *a, const void *b)
{
	const struct upd_obj *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* /ID: the first element stays (7.5.5, 14.4), the second is new.  It is
 * derived from what this revision writes, so the output is reproducible. */
static int
write_id(struct buf *tail, const struct pdf_doc *doc, const unsigned char *seed,
         size_t seedlen)
{
	const struct pdf_obj *id = pdf_get(doc->trailer, "ID");
	const unsigned char *first = NULL;
	unsigned char h[32];
	char hex[65];
	size_t flen = 0, i;
	int rc;

	sha256(h, seed, seedlen);
	hex_encode(hex, h, 16);
	if (id != NULL && id->kind == PDF_ARRAY && pdf_len(id) == 2)
		first = pdf_str(pdf_at(id, 0), &flen);
	if ((rc = buf_append(tail, " /ID [<", 7)) < 0)
		return rc;
	if (first != NULL) {
		for (i = 0; i < flen; i++)
			if ((rc = buf_appendf(tail, "%02X", first[i])) < 0)
				return rc;
	} else if ((rc = buf_append(tail, hex, 32)) < 0) {
		return rc;
	}
	return buf_appendf(tail, "> <%s>]", hex);
}

/* Trailer entries shared by both styles: /Size /Root /Info /ID /Prev. */
static int
trailer_entries(struct buf *tail, const struct pdf_update *u, uint32_t size,
                size_t seedfrom)
{
	const struct pdf_doc *doc = u->doc;
	struct buf seed;
	const char *keys[] = {"Root", "Info"};
	size_t k;
	int rc;

	if ((rc = buf_appendf(tail, " /Size %u", size)) < 0)
		return rc;
	for (k = 0; k < 2; k++) {
		const struct pdf_obj *v = pdf_get(doc->trailer, keys[k]);
		if (v == NULL)
			continue;
		if (v->kind != PDF_REF)
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: trailer /%s is not a reference", keys[k]);
		if ((rc = buf_appendf(tail, " /%s %u %u R", keys[k], v->u.ref.num,
		                      v->u.ref.gen)) < 0)
			return rc;
	}
	buf_init(&seed, PDF_MAX_UPDATE);
	rc = buf_appendf(&seed, "%zu %zu ", doc->len, doc->startxref);
	if (rc == 0)
		rc = buf_append(&seed, tail->data + seedfrom, tail->len - seedfrom);
	if (rc == 0)
		rc = write_id(tail, doc, seed.data, seed.len);
	buf_free(&seed);
	if (rc < 0)
		return rc;
	return buf_appendf(tail, " /Prev %zu", doc->startxref);
}

int
pdf_update_finish(struct buf *tail, struct pdf_update *u)
{
	const struct pdf_doc *doc = u->doc;
	size_t base = doc->len, start = tail->len, i, j, nx, xref_off;
	uint32_t size = doc->size, xnum = 0;
	struct xrow *xr = NULL;
	struct buf rows;
	int rc, w;

	buf_init(&rows, PDF_MAX_UPDATE);
	if (u->finished) {
		rc = sertel_err(SERTEL_ESTATE, "pdf: update already finished");
		goto out;
	}
	if (tail->max == 0)
		tail->max = PDF_MAX_UPDATE;
	/* the new revision starts on a line of its own */
	if (doc->len > 0 && doc->data[doc->len - 1] != '\n' &&
	    doc->data[doc->len - 1] != '\r' && (rc = buf_putc(tail, '\n')) < 0)
		goto out;
	if (doc->newest_is_stream) {
		if ((xnum = pdf_update_alloc(u)) == 0) {
			rc = SERTEL_ETOOBIG;
			goto out;
		}
	}
	qsort(u->v, u->n, sizeof(*u->v), cmp_obj);
	for (i = 0; i < u->n; i++) {
		struct upd_obj *o = &u->v[i];
		o->off = base + (tail->len - start);
		if ((rc = buf_appendf(tail, "%u %u obj\n", o->num, o->gen)) < 0 ||
		    (rc = buf_append(tail, o->body, o->len)) < 0 ||
		    (rc = buf_append(tail, "\nendobj\n", 8)) < 0)
			goto out;
		if (o->num + 1 > size)
			size = o->num + 1;
	}
	xref_off = base + (tail->len - start);
	/* offsets beyond 4 GiB need 8 bytes */
	w = xref_off > 0xffffffffUL ? 8 : 4;
	/* the section's entries: the objects and, for a stream, the stream
	 * itself (7.5.8: it lists itself; its number is the highest) */
	nx = u->n + (xnum != 0);
	if ((xr = calloc(nx + 1, sizeof(*xr))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		goto out;
	}
	for (i = 0; i < u->n; i++) {
		xr[i].num = u->v[i].num;
		xr[i].gen = u->v[i].gen;
		xr[i].off = u->v[i].off;
	}
	if (xnum != 0) {
		xr[u->n].num = xnum;
		xr[u->n].off = xref_off;
		if (xnum + 1 > size)
			size = xnum + 1;
	}
	if (xnum == 0)
		rc = buf_append(tail, "xref\n", 5);
	else
		rc = buf_appendf(tail, "%u 0 obj\n<< /Type /XRef /Index [", xnum);
	if (rc < 0)
		goto out;
	for (i = 0; i < nx; i = j) {
		for (j = i + 1; j < nx && xr[j].num == xr[j - 1].num + 1; j++)
			;
		if ((rc = buf_appendf(tail, xnum ? "%u %zu " : "%u %zu\n", xr[i].num,
		                      j - i)) < 0)
			goto out;
		for (; i < j; i++) {
			if (xnum == 0)
				rc = buf_appendf(tail, "%010zu %05u n\r\n", xr[i].off,
				                 xr[i].gen);
			else
				rc = put_row(&rows, xr[i].off, xr[i].gen, w);
			if (rc < 0)
				goto out;
		}
	}
	if (xnum == 0) {
		if ((rc = buf_append(tail, "trailer\n<<", 10)) < 0 ||
		    (rc = trailer_entries(tail, u, size, start)) < 0 ||
		    (rc = buf_append(tail, " >>\n", 4)) < 0)
			goto out;
	} else if ((rc = buf_appendf(tail, "] /W [1 %d 2]", w)) < 0 ||
	           (rc = trailer_entries(tail, u, size, start)) < 0 ||
	           (rc = buf_appendf(tail, " /Length %zu >>\nstream\n", rows.len)) < 0 ||
	           (rc = buf_append(tail, rows.data, rows.len)) < 0 ||
	           (rc = buf_append(tail, "\nendstream\nendobj\n", 18)) < 0) {
		goto out;
	}
	if ((rc = buf_appendf(tail, "startxref\n%zu\n%%%%EOF\n", xref_off)) < 0)
		goto out;
	u->finished = 1;
	rc = 0;
out:
	free(xr);
	buf_free(&rows);
	return rc;
}

size_t
pdf_update_offset(const struct pdf_update *u, uint32_t num)
{
	const struct upd_obj *o;

	if (!u->finished || (o = find(u, num)) == NULL)
		return 0;
	return o->off;
}
