/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stream filters (ISO 32000-1 7.4): FlateDecode with PNG and TIFF
 * predictors.  Output is bounded (decompression bombs stop at the limit
 * with an error, never with a truncated result).
 */
#include <stdatomic.h>
#include <string.h>

#include <zlib.h>

#include "pdf/pdf_int.h"

void
pdf_pool_init(struct pdf_pool *p, unsigned long long cap, struct pdf_pool *parent)
{
	atomic_init(&p->used, 0);
	p->cap = cap;
	p->parent = parent;
}

static void
pool_give(struct pdf_pool *p, unsigned long long n)
{
	for (; p != NULL && n > 0; p = p->parent)
		atomic_fetch_sub(&p->used, n);
}

/* Reserves up to want bytes from p and its parents: what could be had
 * everywhere (0: the pool is full). */
static unsigned long long
pool_take(struct pdf_pool *p, unsigned long long want)
{
	unsigned long long cur, got, up;

	if (p == NULL)
		return want;
	cur = atomic_load(&p->used);
	do {
		got = cur >= p->cap ? 0 : p->cap - cur;
		if (got > want)
			got = want;
		if (got == 0)
			return 0;
	} while (!atomic_compare_exchange_weak(&p->used, &cur, cur + got));
	if (p->parent != NULL && (up = pool_take(p->parent, got)) < got) {
		atomic_fetch_sub(&p->used, got - up);
		got = up;
	}
	return got;
}

int
pdf_budget_hold(struct pdf_budget *b, size_t n)
{
	unsigned long long got = pool_take(b->pool, n);

	if (got < n) {
		pool_give(b->pool, got);
		b->exceeded = PDF_BUDGET_POOL;
		return sertel_err(SERTEL_ETOOBIG,
		                  "pdf: the decoding budget shared by concurrent "
		                  "verifications is spent");
	}
	return 0;
}

void
pdf_budget_unhold(struct pdf_budget *b, size_t n)
{
	pool_give(b->pool, n);
}

void
pdf_budget_init(struct pdf_budget *b, unsigned long long max, struct pdf_pool *pool)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	b->pool = pool;
}

void
pdf_budget_release(struct pdf_budget *b)
{
	if (b == NULL)
		return;
	pool_give(b->pool, b->used);
	b->used = 0;
}

int
pdf_inflate(struct buf *out, const unsigned char *in, size_t len, size_t max, int *over)
{
	z_stream z;
	unsigned char chunk[16384];
	int zrc, rc = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return sertel_err(SERTEL_ENOMEM, "pdf: zlib init failed");
	z.next_in = (unsigned char *)in;
	do {
		/* zlib counts in uInt; feed large inputs piecewise */
		if (z.avail_in == 0 && len > 0) {
			uInt n = len > (1U << 30) ? (1U << 30) : (uInt)len;
			z.avail_in = n;
			len -= n;
		}
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
			rc = sertel_err(SERTEL_EINVAL,
			                "pdf: FlateDecode: corrupt data (%s)",
			                z.msg ? z.msg : "zlib error");
			goto out;
		}
		if (out->len + (sizeof(chunk) - z.avail_out) > max) {
			*over = 1;
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: FlateDecode: stream decodes to more than %zu bytes",
			    max);
			goto out;
		}
		if ((rc = buf_append(out, chunk, sizeof(chunk) - z.avail_out)) < 0)
			goto out;
		if (zrc == Z_BUF_ERROR && z.avail_in == 0 && len == 0) {
			rc =
			    sertel_err(SERTEL_EINVAL, "pdf: FlateDecode: truncated data");
			goto out;
		}
	} while (zrc != Z_STREAM_END);
	rc = 0;
out:
	inflateEnd(&z);
	return rc;
}

static int
paeth(int a, int b, int c)
{
	int p = a + b - c, pa = p > a ? p - a : a - p, pb = p > b ? p - b : b - p,
	    pc = p > c ? p - c : c - p;

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* 7.4.4.4: undoes a PNG (>= 10) or TIFF (2) predictor in place into out. */
static int
unpredict(struct buf *b, struct pdf_doc *doc, const struct pdf_obj *parms)
{
	long long pred = 1, colors = 1, bpc = 8, columns = 1;
	const struct pdf_obj *v;
	size_t bpp, rowlen, rows, r, i, o = 0;
	unsigned char *prev = NULL, *cur;

	if (parms == NULL || parms->kind == PDF_NULL)
		return 0;
	if (parms->kind != PDF_DICT)
		return sertel_err(SERTEL_EINVAL, "pdf: /DecodeParms is not a dictionary");
	if ((v = pdf_getr(doc, parms, "Predictor")) != NULL && pdf_int(v, &pred) < 0)
		return sertel_err(SERTEL_EINVAL, "pdf: /Predictor is not an integer");
	if (pred == 1)
		return 0;
	if ((v = pdf_getr(doc, parms, "Colors")) != NULL && pdf_int(v, &colors) < 0)
		return sertel_err(SERTEL_EINVAL, "pdf: /Colors is not an integer");
	if ((v = pdf_getr(doc, parms, "BitsPerComponent")) != NULL &&
	    pdf_int(v, &bpc) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: /BitsPerComponent is not an integer");
	if ((v = pdf_getr(doc, parms, "Columns")) != NULL && pdf_int(v, &columns) < 0)
		return sertel_err(SERTEL_EINVAL, "pdf: /Columns is not an integer");
	if (colors < 1 || colors > 32 || columns < 1 || columns > (1 << 24) ||
	    (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16))
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: predictor parameters out of range");
	bpp = (size_t)((colors * bpc + 7) / 8);
	rowlen = (size_t)((colors * bpc * columns + 7) / 8);
	if (pred == 2) {
		if (bpc != 8)
			return sertel_err(
			    SERTEL_EINVAL,
			    "pdf: TIFF predictor with %lld bits not supported", bpc);
		for (r = 0; r + rowlen <= b->len; r += rowlen)
			for (i = bpp; i < rowlen; i++)
				b->data[r + i] = (unsigned char)(b->data[r + i] +
				                                 b->data[r + i - bpp]);
		return 0;
	}
	if (pred < 10 || pred > 15)
		return sertel_err(SERTEL_EINVAL, "pdf: unknown /Predictor %lld", pred);
	/* each row: one filter-type byte, then rowlen bytes */
	rows = b->len / (rowlen + 1);
	if (b->len % (rowlen + 1) != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: PNG predictor: %zu bytes is not a "
		                  "whole number of rows of %zu",
		                  b->len, rowlen + 1);
	for (r = 0; r < rows; r++) {
		unsigned char type = b->data[r * (rowlen + 1)];
		cur = b->data + r * (rowlen + 1) + 1;
		for (i = 0; i < rowlen; i++) {
			int left = i >= bpp ? b->data[o + i - bpp] : 0;
			int up = prev ? prev[i] : 0;
			int ul = prev && i >= bpp ? prev[i - bpp] : 0;
			int x = cur[i];
			switch (type) {
			case 0: break;
			case 1: x += left; break;
			case 2: x += up; break;
			case 3: x += (left + up) / 2; break;
			case 4: x += paeth(left, up, ul); break;
			default:
				return sertel_err(SERTEL_EINVAL,
				                  "pdf: PNG predictor: bad row type "
				                  "%u",
				                  type);
			}
			/* rows are compacted in place: output row r lives at r*rowlen,
			 * always before its input */
			b->data[o + i] = (unsigned char)x;
		}
		prev = b->data + o;
		o += rowlen;
	}
	b->len = o;
	return 0;
}

static int
apply_filter(struct buf *data, struct pdf_doc *doc, const struct pdf_obj *name,
             const struct pdf_obj *parms, size_t max)
{
	struct buf out;
	const char *n = pdf_name(name);
	struct pdf_budget *b = NULL;
	unsigned long long left = 0, take = 0;
	size_t lim = max;
	int rc, over = 0;

	if (n == NULL)
		return sertel_err(SERTEL_EINVAL, "pdf: /Filter is not a name");
	if (strcmp(n, "FlateDecode") != 0 && strcmp(n, "Fl") != 0)
		return sertel_err(SERTEL_EINVAL, "pdf: filter /%s is not supported", n);
	/* The whole job's decoding is bounded too (a hostile file can point
	 * many objects at the same bomb, nest filters, or spread the bytes over
	 * many small streams): each inflate may produce only what the budget
	 * has left and its pool can reserve now. */
	if (doc != NULL) {
		b = doc->budget;
		left = b->used >= b->max ? 0 : b->max - b->used;
		if (left == 0) {
			b->exceeded = PDF_BUDGET_TOTAL;
			return sertel_err(SERTEL_ETOOBIG,
			                  "pdf: decompressed size exceeds %llu bytes "
			                  "in total",
			                  b->max);
		}
		if ((take = pool_take(b->pool, left < max ? left : max)) == 0) {
			b->exceeded = PDF_BUDGET_POOL;
			return sertel_err(SERTEL_ETOOBIG,
			                  "pdf: the decoding budget shared by concurrent "
			                  "verifications is spent");
		}
		lim = (size_t)take;
	}
	buf_init(&out, lim);
	rc = pdf_inflate(&out, data->data, data->len, lim, &over);
	if (b != NULL) {
		b->used += out.len;
		pool_give(b->pool, take - out.len);
		if (rc < 0 && over && lim < max) {
			/* Stopped by the budget, not by the stream's own limit. */
			b->exceeded = lim < left ? PDF_BUDGET_POOL : PDF_BUDGET_TOTAL;
			rc = b->exceeded == PDF_BUDGET_TOTAL
			         ? sertel_err(SERTEL_ETOOBIG,
			                      "pdf: decompressed size exceeds %llu bytes "
			                      "in total",
			                      b->max)
			         : sertel_err(SERTEL_ETOOBIG,
			                      "pdf: the decoding budget shared by "
			                      "concurrent verifications is spent");
		}
	}
	if (rc < 0 || (rc = unpredict(&out, doc, parms)) < 0) {
		buf_free(&out);
		return rc;
	}
	buf_free(data);
	*data = out;
	return 0;
}

int
pdf_decode(struct buf *out, struct pdf_doc *doc, const struct pdf_obj *stm, size_t max)
{
	const struct pdf_obj *f, *p;
	struct buf work;
	size_t i, n;
	int rc;

	if (stm == NULL || stm->kind != PDF_STREAM)
		return sertel_err(SERTEL_EINVAL, "pdf: not a stream");
	if (max > PDF_MAX_STREAM)
		max = PDF_MAX_STREAM;
	buf_init(&work, max);
	if (stm->u.d.datalen > max) {
		rc = sertel_err(SERTEL_EINVAL, "pdf: stream longer than %zu bytes", max);
		goto out;
	}
	if ((rc = buf_append(&work, stm->u.d.data, stm->u.d.datalen)) < 0)
		goto out;
	if (pdf_get(stm, "F") != NULL) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: streams in external files are refused");
		goto out;
	}
	f = pdf_getr(doc, stm, "Filter");
	p = pdf_getr(doc, stm, "DecodeParms");
	if (f == NULL || f->kind == PDF_NULL) {
		/* no filter: the stored bytes */
	} else if (f->kind == PDF_NAME) {
		if (p != NULL && p->kind == PDF_ARRAY)
			p = pdf_resolve(doc, pdf_at(p, 0));
		if ((rc = apply_filter(&work, doc, f, p, max)) < 0)
			goto out;
	} else if (f->kind == PDF_ARRAY) {
		n = pdf_len(f);
		if (n > 8) {
			rc = sertel_err(SERTEL_EINVAL,
			                "pdf: more than 8 filters on a stream");
			goto out;
		}
		for (i = 0; i < n; i++) {
			const struct pdf_obj *pi = NULL;
			if (p != NULL && p->kind == PDF_ARRAY)
				pi = pdf_resolve(doc, pdf_at(p, i));
			else if (n == 1)
				pi = p;
			if ((rc = apply_filter(&work, doc, pdf_resolve(doc, pdf_at(f, i)),
			                       pi, max)) < 0)
				goto out;
		}
	} else {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: /Filter is neither a name nor an array");
		goto out;
	}
	if (out->max == 0)
		out->max = PDF_MAX_STREAM;
	rc = buf_append(out, work.data, work.len);
out:
	buf_free(&work);
	return rc;
}

int
pdf_stream_decode(struct buf *out, struct pdf_doc *doc, const struct pdf_obj *o)
{
	size_t max =
	    out->max == 0 || out->max > PDF_MAX_STREAM ? PDF_MAX_STREAM : out->max;

	return pdf_decode(out, doc, o, max);
}
