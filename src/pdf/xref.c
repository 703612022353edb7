/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cross-reference chain (ISO 32000-1 7.5.4 - 7.5.8): classic tables,
 * cross-reference streams, hybrid files (/XRefStm) and incremental
 * updates (/Prev).  Only the sections and trailers are read here; objects
 * are loaded when asked for.  Newer sections win over older ones.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

struct raw_entry {
	uint64_t off;
	uint32_t num;
	uint32_t idx;
	uint16_t gen;
	uint8_t type;
};

struct walk {
	struct pdf_doc *doc;
	uint32_t rev; /* position in the chain, 1 = newest */
	size_t *seen; /* section offsets already read (loops) */
	size_t nseen;
	size_t entries; /* in all sections so far */
};

/* Entries in all sections together: a chain of small compressed xref
 * streams must not make the reader list billions of objects. */
#define PDF_MAX_ENTRIES (2 * (size_t)PDF_MAX_OBJECTS)

static int section_add_num(struct section *s, uint32_t num);

/* The startxref value: the last "startxref" within the tail of the file. */
static int
find_startxref(size_t *out, struct pdf_doc *doc)
{
	const char *kw = "startxref";
	size_t k = 9, lo, i;
	struct lex lx;
	struct tok t;
	int rc;

	lo = doc->len > PDF_TAIL_SEARCH ? doc->len - PDF_TAIL_SEARCH : 0;
	for (i = doc->len - k + 1; i-- > lo;) {
		if (memcmp(doc->data + i, kw, k) != 0)
			continue;
		lex_init(&lx, doc->data, doc->len, i + k, &doc->arena);
		if ((rc = lex_next(&t, &lx)) < 0)
			return rc;
		if (t.type != TOK_INT || t.i < 0)
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: startxref is not an offset");
		if ((unsigned long long)t.i >= doc->len)
			return sertel_err(
			    SERTEL_EINVAL,
			    "pdf: startxref %lld is beyond the end of the file", t.i);
		*out = (size_t)t.i;
		return 0;
	}
	return sertel_err(SERTEL_EINVAL, "pdf: no startxref in the last %d bytes",
	                  PDF_TAIL_SEARCH);
}

static int
trailer_size(uint32_t *out, const struct pdf_obj *trailer, size_t off)
{
	long long size;

	if (pdf_int(pdf_get(trailer, "Size"), &size) < 0 || size < 1 ||
	    size > PDF_MAX_OBJECTS)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: cross-reference at offset %zu: /Size missing or "
		                  "outside 1..%d",
		                  off, PDF_MAX_OBJECTS);
	*out = (uint32_t)size;
	return 0;
}

/* Stores one entry unless a newer section already set it.  hybrid: entries
 * of an /XRefStm, which may fill in what its table left free. */
static int
apply(struct walk *w, struct section *s, const struct raw_entry *r, int hybrid,
      int from_table)
{
	struct pdf_doc *doc = w->doc;
	struct xref_entry *e;
	int rc;

	if (r->num >= doc->nxref)
		return sertel_err(
		    SERTEL_EINVAL,
		    "pdf: cross-reference entry for object %u beyond the newest "
		    "/Size %u",
		    r->num, doc->size);
	if (r->type == XREF_USED && r->off >= doc->len)
		return sertel_err(
		    SERTEL_EINVAL,
		    "pdf: object %u: offset %llu beyond the end of the file", r->num,
		    (unsigned long long)r->off);
	if (r->type == XREF_COMPRESSED && (r->off >= doc->nxref || r->off == r->num))
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: object %u: object stream %llu out of range",
		                  r->num, (unsigned long long)r->off);
	if (++w->entries > PDF_MAX_ENTRIES)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: more than %zu cross-reference entries in all "
		                  "sections",
		                  PDF_MAX_ENTRIES);
	if ((rc = section_add_num(s, r->num)) < 0)
		return rc;
	e = &doc->xref[r->num];
	/* one section saying two things about an object: readers differ on
	 * which one counts */
	if (!hybrid && e->type != XREF_UNSET && e->rev == w->rev)
		return sertel_err(
		    SERTEL_EINVAL,
		    "pdf: cross-reference section at offset %zu lists object "
		    "%u twice",
		    s->off, r->num);
	if (e->type != XREF_UNSET && !(hybrid && e->soft && e->rev == w->rev))
		return 0;
	e->type = r->type;
	e->off = r->off;
	e->idx = r->idx;
	e->gen = r->gen;
	e->rev = w->rev;
	e->soft = from_table && r->type == XREF_FREE;
	return 0;
}

static int
section_add_num(struct section *s, uint32_t num)
{
	if (s->nnums == s->capnums) {
		size_t ncap = s->capnums ? s->capnums * 2 : 64;
		uint32_t *p = realloc(s->nums, ncap * sizeof(*p));
		if (p == NULL)
			return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		s->nums = p;
		s->capnums = ncap;
	}
	s->nums[s->nnums++] = num;
	return 0;
}

/* The newest trailer fixes the size of the entry table. */
static int
set_newest(struct walk *w, const struct pdf_obj *trailer, size_t off, int is_stream)
{
	struct pdf_doc *doc = w->doc;
	int rc;

	if (w->rev != 1)
		return 0;
	if ((rc = trailer_size(&doc->size, trailer, off)) < 0)
		return rc;
	doc->trailer = trailer;
	doc->newest_is_stream = is_stream;
	doc->nxref = doc->size;
	if ((doc->xref = calloc(doc->nxref, sizeof(*doc->xref))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	return 0;
}

static int
digits(uint64_t *out, const unsigned char *p, size_t n)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*out = *out * 10 + (uint64_t)(p[i] - '0');
	}
	return 0;
}

/* 7.5.4: "xref", subsections of 20-byte entries, "trailer" dictionary. */
static int
read_table(struct walk *w, struct section *s, const struct pdf_obj **trailer)
{
	struct pdf_doc *doc = w->doc;
	struct raw_entry *v = NULL, *nv;
	size_t n = 0, cap = 0, i;
	struct lex lx;
	struct tok t, c;
	struct pdf_obj *tr = NULL;
	uint32_t size = 0; /* set by trailer_size before any use */
	int rc;

	lex_init(&lx, doc->data, doc->len, s->off, &doc->arena);
	lx.spans = 1;
	if ((rc = lex_expect_kw(&lx, "xref")) < 0)
		goto out;
	for (;;) {
		if ((rc = lex_next(&t, &lx)) < 0)
			goto out;
		if (tok_is_kw(&lx, &t, "trailer"))
			break;
		if ((rc = lex_next(&c, &lx)) < 0)
			goto out;
		if (t.type != TOK_INT || c.type != TOK_INT || t.i < 0 || c.i < 0 ||
		    t.i > PDF_MAX_OBJECTS || c.i > PDF_MAX_OBJECTS - t.i) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: xref table at offset %zu: bad subsection header "
			    "at offset %zu",
			    s->off, t.start);
			goto out;
		}
		lex_skip_ws(&lx);
		if ((unsigned long long)c.i > (doc->len - lx.pos) / 18) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: xref table at offset %zu: subsection of %lld "
			    "entries is longer than the file",
			    s->off, c.i);
			goto out;
		}
		if (n + (size_t)c.i > cap) {
			size_t ncap = (n + (size_t)c.i) * 2;
			if ((nv = realloc(v, ncap * sizeof(*v))) == NULL) {
				rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
				goto out;
			}
			v = nv;
			cap = ncap;
		}
		for (i = 0; i < (size_t)c.i; i++) {
			const unsigned char *p = doc->data + lx.pos;
			uint64_t off, gen;
			/* nnnnnnnnnn ggggg n<eol>: 18 bytes then 1-2 white space */
			if (doc->len - lx.pos < 18 || digits(&off, p, 10) < 0 ||
			    p[10] != ' ' || digits(&gen, p + 11, 5) < 0 || p[16] != ' ' ||
			    (p[17] != 'n' && p[17] != 'f') ||
			    (p[17] == 'n' && gen > 65535)) {
				rc = sertel_err(
				    SERTEL_EINVAL,
				    "pdf: xref table at offset %zu: malformed entry "
				    "at offset %zu",
				    s->off, lx.pos);
				goto out;
			}
			lx.pos += 18;
			if (lx.pos < doc->len && !lex_iswhite(doc->data[lx.pos])) {
				rc = sertel_err(
				    SERTEL_EINVAL,
				    "pdf: xref table at offset %zu: malformed entry "
				    "end at offset %zu",
				    s->off, lx.pos);
				goto out;
			}
			while (lx.pos < doc->len && lex_iswhite(doc->data[lx.pos]) &&
			       (doc->data[lx.pos] == ' ' || doc->data[lx.pos] == '\r' ||
			        doc->data[lx.pos] == '\n'))
				lx.pos++;
			v[n].num = (uint32_t)(t.i + (long long)i);
			v[n].off = off;
			/* mutool writes a free head of generation 65536 */
			v[n].gen = (uint16_t)(gen > 65535 ? 65535 : gen);
			v[n].idx = 0;
			v[n].type = p[17] == 'n' ? XREF_USED : XREF_FREE;
			n++;
		}
	}
	if ((rc = lex_obj(&tr, &lx, 0)) < 0 || tr->kind != PDF_DICT) {
		rc = sertel_err(
		    SERTEL_EINVAL,
		    "pdf: xref table at offset %zu: trailer is not a dictionary", s->off);
		goto out;
	}
	if ((rc = trailer_size(&size, tr, s->off)) < 0 ||
	    (rc = set_newest(w, tr, s->off, 0)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (v[i].num >= size) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: xref table at offset %zu: object %u beyond its "
			    "/Size %u",
			    s->off, v[i].num, size);
			goto out;
		}
		/* 7.5.4: object 0 heads the free list; a used 0 is damage */
		if ((rc = apply(w, s, &v[i], 0, 1)) < 0)
			goto out;
	}
	*trailer = tr;
	rc = 0;
out:
	free(v);
	return rc;
}

static uint64_t
field(const unsigned char *p, long long w)
{
	uint64_t v = 0;
	long long i;

	for (i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

/* 7.5.8: a cross-reference stream at off; hybrid: the /XRefStm of a
 * table section. */
static int
read_stream(struct walk *w, struct section *s, size_t off, int hybrid,
            const struct pdf_obj **trailer)
{
	struct pdf_doc *doc = w->doc;
	struct pdf_obj *o = NULL;
	const struct pdf_obj *wa, *index;
	long long wv[3], a, b, total = 0, rowlen;
	struct buf data;
	struct raw_entry r;
	uint32_t size = 0; /* set by trailer_size before any use */
	size_t i, row = 0;
	int rc;

	buf_init(&data, PDF_MAX_STREAM);
	if ((rc = parse_indirect(&o, doc, off, UINT32_MAX, 0, 1)) < 0)
		goto out;
	if (o->kind != PDF_STREAM || !pdf_name_is(pdf_get(o, "Type"), "XRef")) {
		rc = sertel_err(
		    SERTEL_EINVAL,
		    "pdf: offset %zu: neither an xref table nor an xref stream", off);
		goto out;
	}
	if ((rc = trailer_size(&size, o, off)) < 0)
		goto out;
	if (!hybrid && (rc = set_newest(w, o, off, 1)) < 0)
		goto out;
	wa = pdf_get(o, "W");
	if (pdf_len(wa) != 3 || pdf_kind(wa) != PDF_ARRAY) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: xref stream at offset %zu: /W is not "
		                "an array of 3",
		                off);
		goto out;
	}
	for (i = 0; i < 3; i++)
		if (pdf_int(pdf_at(wa, i), &wv[i]) < 0 || wv[i] < 0 || wv[i] > 8) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: xref stream at offset %zu: /W field %zu is not "
			    "0..8",
			    off, i);
			goto out;
		}
	rowlen = wv[0] + wv[1] + wv[2];
	if (rowlen == 0 || wv[1] == 0) {
		rc = sertel_err(SERTEL_EINVAL, "pdf: xref stream at offset %zu: empty /W",
		                off);
		goto out;
	}
	index = pdf_get(o, "Index");
	if (index != NULL && (index->kind != PDF_ARRAY || pdf_len(index) % 2 != 0)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: xref stream at offset %zu: /Index is not pairs",
		                off);
		goto out;
	}
	for (i = 0; index != NULL && i < pdf_len(index); i += 2) {
		if (pdf_int(pdf_at(index, i), &a) < 0 ||
		    pdf_int(pdf_at(index, i + 1), &b) < 0 || a < 0 || b < 0 || a > size ||
		    b > size - a) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: xref stream at offset %zu: /Index range beyond "
			    "/Size %u",
			    off, size);
			goto out;
		}
		total += b;
	}
	if (index == NULL)
		total = size;
	if ((rc = pdf_decode(&data, doc, o, PDF_MAX_STREAM)) < 0)
		goto out;
	if ((unsigned long long)total * (unsigned long long)rowlen > data.len) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: xref stream at offset %zu: %lld entries need %lld "
		                "bytes, it has %zu",
		                off, total, total * rowlen, data.len);
		goto out;
	}
	for (i = 0; i < (index ? pdf_len(index) : 2); i += 2) {
		long long k;
		if (index != NULL) {
			pdf_int(pdf_at(index, i), &a);
			pdf_int(pdf_at(index, i + 1), &b);
		} else {
			a = 0;
			b = size;
		}
		for (k = 0; k < b; k++, row++) {
			const unsigned char *p = data.data + row * (size_t)rowlen;
			uint64_t type = wv[0] ? field(p, wv[0]) : 1;
			uint64_t f2 = field(p + wv[0], wv[1]);
			uint64_t f3 = field(p + wv[0] + wv[1], wv[2]);
			memset(&r, 0, sizeof(r));
			r.num = (uint32_t)(a + k);
			if ((type == 1 && f3 > 65535) || (type == 2 && f3 > UINT32_MAX)) {
				rc = sertel_err(
				    SERTEL_EINVAL,
				    "pdf: xref stream at offset %zu: %s of object "
				    "%u too large",
				    off, type == 1 ? "generation" : "index", r.num);
				goto out;
			}
			if (type == 0) {
				r.type = XREF_FREE;
			} else if (type == 1) {
				r.type = XREF_USED;
				r.off = f2;
				r.gen = (uint16_t)f3;
			} else if (type == 2) {
				r.type = XREF_COMPRESSED;
				r.off = f2;
				r.idx = (uint32_t)f3;
			} else {
				continue; /* 7.5.8.3: other types are null references */
			}
			if ((rc = apply(w, s, &r, hybrid, 0)) < 0)
				goto out;
		}
	}
	*trailer = o;
	rc = 0;
out:
	buf_free(&data);
	return rc;
}

/* Whether a newer section already read the /XRefStm at off. */
static int
xrefstm_read(const struct pdf_doc *doc, size_t off)
{
	size_t i;

	for (i = 0; i + 1 < doc->nsections; i++)
		if (doc->sections[i].xrefstm == off && off != 0)
			return 1;
	return 0;
}

static int
seen(struct walk *w, size_t off)
{
	size_t i;

	for (i = 0; i < w->nseen; i++)
		if (w->seen[i] == off)
			return sertel_err(
			    SERTEL_EINVAL,
			    "pdf: cross-reference section at offset %zu read twice "
			    "(a /Prev loop)",
			    off);
	w->seen[w->nseen++] = off;
	return 0;
}

static int
is_xref_kw(const struct pdf_doc *doc, size_t off)
{
	return doc->len - off >= 4 && memcmp(doc->data + off, "xref", 4) == 0;
}

/* Offset just past "%%EOF" at or after pos and its end-of-line. */
static int
find_eof(size_t *out, const struct pdf_doc *doc, size_t pos)
{
	const unsigned char *p;
	size_t end;

	p = memmem(doc->data + pos, doc->len - pos, "%%EOF", 5);
	if (p == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: no %%%%EOF after the cross-reference section at "
		                  "offset %zu",
		                  pos);
	end = (size_t)(p - doc->data) + 5;
	if (end < doc->len && doc->data[end] == '\r')
		end++;
	if (end < doc->len && doc->data[end] == '\n')
		end++;
	*out = end;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Groups sections into revisions, oldest first.  A section that lies
 * inside an older revision's bytes (the first-page section of a
 * linearized file) belongs to that revision. */
static int
build_revisions(struct pdf_doc *doc)
{
	struct revision *r;
	size_t i, j, k, pos, end = 0;
	uint32_t *p;
	int rc;

	if ((doc->revs = calloc(doc->nsections, sizeof(*doc->revs))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	for (i = doc->nsections; i-- > 0;) {
		struct section *s = &doc->sections[i];
		pos = s->xrefstm > s->off ? s->xrefstm : s->off;
		if (doc->nrevs > 0 && pos < doc->revs[doc->nrevs - 1].end) {
			r = &doc->revs[doc->nrevs - 1];
		} else {
			if ((rc = find_eof(&end, doc, pos)) < 0)
				return rc;
			r = &doc->revs[doc->nrevs++];
			r->end = end;
		}
		if (s->nnums == 0)
			continue;
		if ((p = realloc(r->nums, (r->n + s->nnums) * sizeof(*p))) == NULL)
			return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		r->nums = p;
		memcpy(r->nums + r->n, s->nums, s->nnums * sizeof(*p));
		r->n += s->nnums;
	}
	for (i = 0; i < doc->nrevs; i++) {
		r = &doc->revs[i];
		if (r->n == 0)
			continue;
		qsort(r->nums, r->n, sizeof(*r->nums), cmp_u32);
		/* unique, without object 0 (the head of the free list) */
		for (j = 0, k = 0; j < r->n; j++)
			if (r->nums[j] != 0 && (k == 0 || r->nums[k - 1] != r->nums[j]))
				r->nums[k++] = r->nums[j];
		r->n = k;
	}
	return 0;
}

/* The byte offset the trailer at off gives under key: inside the file. */
static int
trailer_offset(size_t *out, const struct pdf_doc *doc, const struct pdf_obj *o,
               size_t off, const char *key)
{
	long long v;

	*out = 0;
	if (pdf_int(o, &v) < 0 || v < 0 || (unsigned long long)v >= doc->len)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: trailer at offset %zu: /%s out of range", off,
		                  key);
	*out = (size_t)v;
	return 0;
}

int
xref_read_chain(struct pdf_doc *doc)
{
	struct walk w = {0};
	const struct pdf_obj *trailer = NULL, *tmp = NULL, *prev, *xs;
	struct section *s;
	size_t off = 0, at;
	int rc, has_prev;

	w.doc = doc;
	if ((rc = find_startxref(&off, doc)) < 0)
		goto out;
	doc->startxref = off;
	if ((w.seen = calloc(2 * PDF_MAX_REVISIONS, sizeof(*w.seen))) == NULL ||
	    (doc->sections = calloc(PDF_MAX_REVISIONS, sizeof(*doc->sections))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		goto out;
	}
	for (has_prev = 1; has_prev;) {
		if (doc->nsections >= PDF_MAX_REVISIONS) {
			rc = sertel_err(SERTEL_EINVAL, "pdf: more than %d revisions",
			                PDF_MAX_REVISIONS);
			goto out;
		}
		/* Common writers point startxref (or /Prev) at the end-of-line
		 * just before "xref" (issue 18): white space there is skipped,
		 * nothing else is repaired. */
		while (off < doc->len && strchr(" \t\r\n\f", doc->data[off]) != NULL &&
		       doc->data[off] != '\0')
			off++;
		if ((rc = seen(&w, off)) < 0)
			goto out;
		w.rev++;
		s = &doc->sections[doc->nsections++];
		s->off = off;
		if (is_xref_kw(doc, off)) {
			if ((rc = read_table(&w, s, &trailer)) < 0)
				goto out;
			xs = pdf_get(trailer, "XRefStm");
			if (xs != NULL &&
			    (rc = trailer_offset(&at, doc, xs, off, "XRefStm")) < 0)
				goto out;
			/* Word-style hybrid files repeat the newer trailer's
			 * /XRefStm in the older one: the same stream again is
			 * not a loop (issue 18), and it was read already. */
			if (xs != NULL && !xrefstm_read(doc, at)) {
				/* 7.5.8.4: hybrid file, the stream completes the table */
				if ((rc = seen(&w, at)) < 0 ||
				    (rc = read_stream(&w, s, at, 1, &tmp)) < 0)
					goto out;
				s->xrefstm = at;
			}
		} else {
			s->is_stream = 1;
			if ((rc = read_stream(&w, s, off, 0, &trailer)) < 0)
				goto out;
		}
		prev = pdf_get(trailer, "Prev");
		has_prev = prev != NULL;
		if (has_prev) {
			if ((rc = trailer_offset(&at, doc, prev, off, "Prev")) < 0)
				goto out;
			off = at;
		}
	}
	if ((rc = build_revisions(doc)) < 0)
		goto out;
	rc = 0;
out:
	free(w.seen);
	return rc;
}
