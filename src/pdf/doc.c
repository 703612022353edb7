/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Documents: opening, lazy loading of indirect objects (straight from the
 * file or out of object streams), resolving references.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

#define PDF_MAX_LOAD_DEPTH 16 /* nested loads: /Length, object streams */

static const struct pdf_obj null_obj = {.kind = PDF_NULL};

static int load_obj(struct pdf_obj **out, struct pdf_doc *doc, uint32_t num);

int
pdf_open(struct pdf_doc **out, const unsigned char *data, size_t len)
{
	return pdf_open_budget(out, data, len, NULL);
}

int
pdf_open_budget(struct pdf_doc **out, const unsigned char *data, size_t len,
                struct pdf_budget *b)
{
	struct pdf_doc *doc = NULL;
	int rc;

	*out = NULL;
	if (data == NULL || len < 8 || memcmp(data, "%PDF-", 5) != 0) {
		rc = sertel_err(SERTEL_EINVAL, "pdf: no %%PDF- header at offset 0");
		goto out;
	}
	if ((doc = calloc(1, sizeof(*doc))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		goto out;
	}
	doc->data = data;
	doc->len = len;
	doc->npages = -1;
	pdf_budget_init(&doc->own, PDF_MAX_DECODE_TOTAL, NULL);
	doc->budget = b != NULL ? b : &doc->own;
	arena_init(&doc->arena,
	           b != NULL && b->parse_max != 0 && b->parse_max < PDF_MAX_ARENA
	               ? (size_t)b->parse_max
	               : PDF_MAX_ARENA);
	doc->arena.budget = b;
	if ((rc = xref_read_chain(doc)) < 0)
		goto out;
	*out = doc;
	doc = NULL;
	rc = 0;
out:
	pdf_close(doc);
	return rc;
}

void
pdf_close(struct pdf_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->nsections; i++)
		free(doc->sections[i].nums);
	free(doc->sections);
	for (i = 0; i < doc->nrevs; i++)
		free(doc->revs[i].nums);
	free(doc->revs);
	free(doc->xref);
	free(doc->pages);
	arena_free(&doc->arena);
	free(doc);
}

const unsigned char *
pdf_data(const struct pdf_doc *doc, size_t *len)
{
	if (len != NULL)
		*len = doc->len;
	return doc->data;
}

const struct pdf_obj *
pdf_trailer(struct pdf_doc *doc)
{
	return doc->trailer;
}

const struct pdf_obj *
pdf_catalog(struct pdf_doc *doc)
{
	const struct pdf_obj *root = pdf_get(doc->trailer, "Root");

	if (root == NULL || root->kind != PDF_REF) {
		sertel_err(SERTEL_EINVAL, "pdf: trailer /Root is not a reference");
		return NULL;
	}
	root = pdf_resolve(doc, root);
	if (root == NULL)
		return NULL;
	if (root->kind != PDF_DICT) {
		sertel_err(SERTEL_EINVAL, "pdf: catalog is not a dictionary");
		return NULL;
	}
	return root;
}

uint32_t
pdf_size(const struct pdf_doc *doc)
{
	return doc->size;
}

int
pdf_xref_is_stream(const struct pdf_doc *doc)
{
	return doc->newest_is_stream;
}

size_t
pdf_startxref(const struct pdf_doc *doc)
{
	return doc->startxref;
}

size_t
pdf_revision_count(const struct pdf_doc *doc)
{
	return doc->nrevs;
}

size_t
pdf_revision_end(const struct pdf_doc *doc, size_t i)
{
	if (i >= doc->nrevs)
		return 0;
	return doc->revs[i].end;
}

int
pdf_revision_objects(uint32_t **out, size_t *n, const struct pdf_doc *doc, size_t i)
{
	uint32_t *v;

	*out = NULL;
	*n = 0;
	if (i >= doc->nrevs)
		return sertel_err(SERTEL_ENOTFOUND, "pdf: no revision %zu", i);
	if ((v = malloc((doc->revs[i].n + 1) * sizeof(*v))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	if (doc->revs[i].n > 0)
		memcpy(v, doc->revs[i].nums, doc->revs[i].n * sizeof(*v));
	*out = v;
	*n = doc->revs[i].n;
	return 0;
}

/* ---- indirect objects --------------------------------------------------- */

/* A stream's /Length: direct, or (unless direct_length) an indirect
 * integer. */
static int
stream_length(long long *out, struct pdf_doc *doc, const struct pdf_obj *dict,
              int direct_length)
{
	const struct pdf_obj *l = pdf_get(dict, "Length");
	struct pdf_obj *ind = NULL;
	int rc;

	if (l != NULL && l->kind == PDF_REF) {
		if (direct_length)
			return sertel_err(
			    SERTEL_EINVAL,
			    "pdf: cross-reference stream /Length must be direct");
		if ((rc = load_obj(&ind, doc, l->u.ref.num)) < 0)
			return rc == SERTEL_ENOTFOUND
			           ? sertel_err(SERTEL_EINVAL,
			                        "pdf: stream /Length object %u missing",
			                        l->u.ref.num)
			           : rc;
		l = ind;
	}
	if (l == NULL || l->kind != PDF_INT)
		return sertel_err(SERTEL_EINVAL, "pdf: stream /Length is not an integer");
	*out = l->u.i;
	return 0;
}

int
parse_indirect(struct pdf_obj **out, struct pdf_doc *doc, size_t pos, uint32_t num,
               uint16_t gen, int direct_length)
{
	struct lex lx;
	struct tok t, g;
	struct pdf_obj *o = NULL, *s;
	long long length = 0;
	size_t start, k;
	int rc;

	lex_init(&lx, doc->data, doc->len, pos, &doc->arena);
	lx.spans = 1;
	if ((rc = lex_next(&t, &lx)) < 0 || (rc = lex_next(&g, &lx)) < 0)
		return rc;
	/* white space before the header is harmless (some writers point at
	 * the end-of-line before it); anything else is not this object */
	for (k = pos; k < t.start; k++)
		if (!lex_iswhite(doc->data[k]))
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: offset %zu: no object header", pos);
	if (t.type != TOK_INT || g.type != TOK_INT)
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: no object header",
		                  pos);
	if (num != UINT32_MAX && (t.i != num || g.i != gen))
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: offset %zu: object %lld %lld found where the "
		                  "cross-reference says %u %u",
		                  pos, t.i, g.i, num, gen);
	if ((rc = lex_expect_kw(&lx, "obj")) < 0)
		return rc;
	if ((rc = lex_obj(&o, &lx, 0)) < 0) {
		if (rc == SERTEL_ENOTFOUND)
			rc = sertel_err(SERTEL_EINVAL,
			                "pdf: offset %zu: object has no value", pos);
		return rc;
	}
	if ((rc = lex_next(&t, &lx)) < 0)
		return rc;
	if (tok_is_kw(&lx, &t, "stream")) {
		if (o->kind != PDF_DICT)
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: offset %zu: stream without a dictionary",
			                  pos);
		/* 7.3.8.1: "stream" is followed by CRLF or LF, not CR alone */
		start = lx.pos;
		if (start < doc->len && doc->data[start] == '\r')
			start++;
		if (start >= doc->len || doc->data[start] != '\n')
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: offset %zu: 'stream' not followed by an "
			                  "end-of-line",
			                  pos);
		start++;
		if ((rc = stream_length(&length, doc, o, direct_length)) < 0)
			return rc;
		if (length < 0 || (unsigned long long)length > doc->len - start)
			return sertel_err(
			    SERTEL_EINVAL,
			    "pdf: offset %zu: stream /Length %lld runs past the "
			    "end of the file",
			    pos, length);
		lx.pos = start + (size_t)length;
		if ((rc = lex_expect_kw(&lx, "endstream")) < 0)
			return sertel_err(SERTEL_EINVAL,
			                  "pdf: offset %zu: no 'endstream' after /Length "
			                  "%lld bytes",
			                  pos, length);
		if ((s = obj_new(&doc->arena, PDF_STREAM)) == NULL)
			return SERTEL_ENOMEM;
		s->u.d.keys = o->u.d.keys;
		s->u.d.vals = o->u.d.vals;
		s->u.d.n = o->u.d.n;
		s->u.d.data = doc->data + start;
		s->u.d.datalen = (size_t)length;
		s->has_span = 1;
		s->off = o->off;
		s->len = lx.pos - o->off;
		o = s;
		if ((rc = lex_next(&t, &lx)) < 0)
			return rc;
	}
	if (!tok_is_kw(&lx, &t, "endobj"))
		return sertel_err(SERTEL_EINVAL, "pdf: offset %zu: expected 'endobj'",
		                  doc->len > t.start ? t.start : pos);
	*out = o;
	return 0;
}

/* Decodes object stream num (ISO 32000-1 7.5.7) and keeps it. */
static int
objstm_get(struct objstm **out, struct pdf_doc *doc, uint32_t num)
{
	struct xref_entry *e = &doc->xref[num];
	struct pdf_obj *stm = NULL;
	struct objstm *os = NULL;
	struct buf b;
	struct lex lx;
	struct tok t1, t2;
	long long n, first;
	size_t i;
	int rc;

	buf_init(&b, PDF_MAX_STREAM);
	if (e->stm != NULL) {
		*out = e->stm;
		return 0;
	}
	if (e->stm_failed) {
		rc = sertel_err(SERTEL_EINVAL, "pdf: object stream %u is damaged", num);
		goto out;
	}
	if (e->type != XREF_USED) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: object stream %u is not a plain object", num);
		goto out;
	}
	if ((rc = load_obj(&stm, doc, num)) < 0)
		goto out;
	if (stm->kind != PDF_STREAM || !pdf_name_is(pdf_get(stm, "Type"), "ObjStm") ||
	    pdf_int(pdf_get(stm, "N"), &n) < 0 ||
	    pdf_int(pdf_get(stm, "First"), &first) < 0 || n < 0 || n > PDF_MAX_OBJSTM_N ||
	    first < 0) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: object %u is not a valid object stream", num);
		goto out;
	}
	if (doc->cache_bytes > PDF_MAX_CACHE - PDF_MAX_STREAM) {
		rc = sertel_err(SERTEL_ETOOBIG,
		                "pdf: object streams decode to more than %lu bytes",
		                (unsigned long)PDF_MAX_CACHE);
		goto out;
	}
	if ((rc = pdf_decode(&b, doc, stm, PDF_MAX_STREAM)) < 0)
		goto out;
	doc->cache_bytes += b.len;
	if ((unsigned long long)first > b.len || (unsigned long long)n * 4 > b.len) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pdf: object stream %u: /First or /N beyond "
		                "its data",
		                num);
		goto out;
	}
	rc = SERTEL_ENOMEM;
	if ((os = arena_alloc(&doc->arena, sizeof(*os))) == NULL ||
	    (os->data = arena_alloc(&doc->arena, b.len + 1)) == NULL ||
	    (os->nums = arena_alloc(&doc->arena, (size_t)n * sizeof(uint32_t) + 1)) ==
	        NULL ||
	    (os->offs = arena_alloc(&doc->arena, (size_t)n * sizeof(size_t) + 1)) == NULL)
		goto out;
	memcpy(os->data, b.data, b.len);
	os->len = b.len;
	os->n = (size_t)n;
	lex_init(&lx, os->data, (size_t)first, 0, &doc->arena);
	for (i = 0; i < os->n; i++) {
		if ((rc = lex_next(&t1, &lx)) < 0 || (rc = lex_next(&t2, &lx)) < 0)
			goto out;
		if (t1.type != TOK_INT || t2.type != TOK_INT || t1.i < 0 ||
		    t1.i >= (long long)doc->nxref || t2.i < 0 ||
		    t2.i >= (long long)(os->len - (size_t)first)) {
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "pdf: object stream %u: bad entry %zu in its header", num, i);
			goto out;
		}
		os->nums[i] = (uint32_t)t1.i;
		os->offs[i] = (size_t)first + (size_t)t2.i;
	}
	e->stm = os;
	*out = os;
	rc = 0;
out:
	if (rc < 0)
		e->stm_failed = 1;
	buf_free(&b);
	return rc;
}

static int
load_compressed(struct pdf_obj **out, struct pdf_doc *doc, uint32_t num)
{
	struct xref_entry *e = &doc->xref[num];
	struct objstm *os = NULL;
	struct lex lx;
	size_t end;
	int rc;

	if ((rc = objstm_get(&os, doc, (uint32_t)e->off)) < 0)
		return rc;
	if (e->idx >= os->n || os->nums[e->idx] != num)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: object %u is not at index %u of object stream %u",
		                  num, e->idx, (unsigned)e->off);
	/* the object ends where the next one starts (or at the end) */
	end = os->len;
	if (e->idx + 1 < os->n && os->offs[e->idx + 1] > os->offs[e->idx])
		end = os->offs[e->idx + 1];
	lex_init(&lx, os->data, end, os->offs[e->idx], &doc->arena);
	if ((rc = lex_obj(out, &lx, 0)) < 0) {
		if (rc == SERTEL_ENOTFOUND)
			rc = sertel_err(SERTEL_EINVAL,
			                "pdf: object %u in object stream %u has no value",
			                num, (unsigned)e->off);
		return rc;
	}
	return 0;
}

/* The object as stored (may be a reference).  SERTEL_ENOTFOUND when it is
 * free or missing. */
static int
load_obj(struct pdf_obj **out, struct pdf_doc *doc, uint32_t num)
{
	struct xref_entry *e;
	struct pdf_obj *o = NULL;
	int rc;

	if (num >= doc->nxref || doc->xref[num].type == XREF_UNSET ||
	    doc->xref[num].type == XREF_FREE)
		return sertel_err(SERTEL_ENOTFOUND, "pdf: object %u is not in use", num);
	e = &doc->xref[num];
	switch (e->state) {
	case LOAD_DONE: *out = e->obj; return 0;
	case LOAD_BUSY:
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: object %u refers to itself while loading", num);
	case LOAD_FAILED:
		return sertel_err(SERTEL_EINVAL, "pdf: object %u is damaged", num);
	default: break;
	}
	if (doc->load_depth >= PDF_MAX_LOAD_DEPTH)
		return sertel_err(SERTEL_EINVAL, "pdf: object %u: loads nested too deep",
		                  num);
	doc->load_depth++;
	e->state = LOAD_BUSY;
	if (e->type == XREF_USED)
		rc = parse_indirect(&o, doc, (size_t)e->off, num, e->gen, 0);
	else
		rc = load_compressed(&o, doc, num);
	doc->load_depth--;
	if (rc < 0) {
		e->state = LOAD_FAILED;
		return rc == SERTEL_ENOTFOUND ? SERTEL_EINVAL : rc;
	}
	e->obj = o;
	e->state = LOAD_DONE;
	*out = o;
	return 0;
}

const struct pdf_obj *
pdf_load(struct pdf_doc *doc, uint32_t num)
{
	struct pdf_obj *o = NULL;

	if (load_obj(&o, doc, num) < 0)
		return NULL;
	return pdf_resolve(doc, o);
}

const struct pdf_obj *
pdf_resolve(struct pdf_doc *doc, const struct pdf_obj *o)
{
	struct pdf_obj *n = NULL;
	int hops, rc;

	for (hops = 0; o != NULL && o->kind == PDF_REF; hops++) {
		uint32_t num = o->u.ref.num;
		if (hops >= PDF_MAX_RESOLVE) {
			sertel_err(SERTEL_EINVAL,
			           "pdf: reference chain through object %u too "
			           "long (a loop?)",
			           num);
			return NULL;
		}
		rc = load_obj(&n, doc, num);
		if (rc == SERTEL_ENOTFOUND)
			return &null_obj; /* 7.3.10: a dangling reference is null */
		if (rc < 0)
			return NULL;
		if (doc->xref[num].gen != o->u.ref.gen)
			return &null_obj;
		o = n;
	}
	return o;
}

const struct pdf_obj *
pdf_getr(struct pdf_doc *doc, const struct pdf_obj *dict, const char *key)
{
	const struct pdf_obj *o = pdf_get(dict, key);

	if (o == NULL)
		return NULL;
	return pdf_resolve(doc, o);
}
