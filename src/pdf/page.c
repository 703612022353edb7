/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page tree (ISO 32000-1 7.7.3): walked once, depth-first, refusing
 * loops (a node reached twice), depth beyond PDF_MAX_DEPTH and more than
 * PDF_MAX_PAGES pages.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

struct pwalk {
	struct pdf_doc *doc;
	uint8_t *seen; /* by object number */
	struct page_ref *v;
	size_t n, cap;
};

static int
walk_node(struct pwalk *w, const struct pdf_obj *ref, int depth)
{
	const struct pdf_obj *node, *kids, *type;
	uint32_t num;
	size_t i;
	int rc;

	if (ref == NULL || ref->kind != PDF_REF)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: page tree node is not a reference");
	num = ref->u.ref.num;
	if (depth > PDF_MAX_DEPTH)
		return sertel_err(SERTEL_EINVAL, "pdf: page tree deeper than %d",
		                  PDF_MAX_DEPTH);
	if (num >= w->doc->nxref)
		return sertel_err(SERTEL_EINVAL, "pdf: page tree node %u missing", num);
	if (w->seen[num])
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: page tree reaches object %u twice "
		                  "(a loop)",
		                  num);
	w->seen[num] = 1;
	if ((node = pdf_resolve(w->doc, ref)) == NULL)
		return SERTEL_EINVAL;
	if (node->kind != PDF_DICT)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: page tree node %u is not a dictionary", num);
	type = pdf_getr(w->doc, node, "Type");
	kids = pdf_getr(w->doc, node, "Kids");
	if (pdf_name_is(type, "Page") || (type == NULL && kids == NULL)) {
		if (w->n >= PDF_MAX_PAGES)
			return sertel_err(SERTEL_EINVAL, "pdf: more than %d pages",
			                  PDF_MAX_PAGES);
		if (w->n == w->cap) {
			size_t ncap = w->cap ? w->cap * 2 : 64;
			struct page_ref *p = realloc(w->v, ncap * sizeof(*p));
			if (p == NULL)
				return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
			w->v = p;
			w->cap = ncap;
		}
		w->v[w->n].num = num;
		w->v[w->n].dict = node;
		w->n++;
		return 0;
	}
	if ((type != NULL && !pdf_name_is(type, "Pages")) || kids == NULL ||
	    kids->kind != PDF_ARRAY)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: page tree node %u has no /Kids array", num);
	for (i = 0; i < pdf_len(kids); i++)
		if ((rc = walk_node(w, pdf_at(kids, i), depth + 1)) < 0)
			return rc;
	return 0;
}

static int
pages_load(struct pdf_doc *doc)
{
	struct pwalk w = {0};
	const struct pdf_obj *cat;
	int rc;

	if (doc->npages >= 0)
		return 0;
	w.doc = doc;
	if ((cat = pdf_catalog(doc)) == NULL) {
		rc = SERTEL_EINVAL;
		goto out;
	}
	if ((w.seen = calloc(doc->nxref ? doc->nxref : 1, 1)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		goto out;
	}
	if ((rc = walk_node(&w, pdf_get(cat, "Pages"), 0)) < 0)
		goto out;
	doc->pages = w.v;
	doc->npages = (int)w.n;
	w.v = NULL;
	rc = 0;
out:
	free(w.v);
	free(w.seen);
	return rc;
}

int
pdf_page_count(struct pdf_doc *doc)
{
	int rc;

	if ((rc = pages_load(doc)) < 0)
		return rc;
	return doc->npages;
}

const struct pdf_obj *
pdf_page(struct pdf_doc *doc, int index, uint32_t *objnum)
{
	if (pages_load(doc) < 0)
		return NULL;
	if (index < 0 || index >= doc->npages) {
		sertel_err(SERTEL_ENOTFOUND, "pdf: no page %d (the document has %d)",
		           index + 1, doc->npages);
		return NULL;
	}
	if (objnum != NULL)
		*objnum = doc->pages[index].num;
	return doc->pages[index].dict;
}

const struct pdf_obj *
pdf_page_attr(struct pdf_doc *doc, int index, const char *key)
{
	const struct pdf_obj *node, *v;
	int hops;

	if ((node = pdf_page(doc, index, NULL)) == NULL)
		return NULL;
	for (hops = 0; node != NULL && hops <= PDF_MAX_DEPTH; hops++) {
		if ((v = pdf_get(node, key)) != NULL)
			return pdf_resolve(doc, v);
		/* 7.7.3.4: only these are inherited */
		if (strcmp(key, "Resources") != 0 && strcmp(key, "MediaBox") != 0 &&
		    strcmp(key, "CropBox") != 0 && strcmp(key, "Rotate") != 0)
			return NULL;
		node = pdf_getr(doc, node, "Parent");
		if (node != NULL && node->kind != PDF_DICT)
			return NULL;
	}
	return NULL;
}

int
pdf_page_contents(struct buf *out, struct pdf_doc *doc, int index)
{
	const struct pdf_obj *page, *c, *s;
	size_t i, n;
	int rc;

	if ((page = pdf_page(doc, index, NULL)) == NULL)
		return SERTEL_EINVAL;
	c = pdf_getr(doc, page, "Contents");
	if (c == NULL || c->kind == PDF_NULL)
		return 0;
	if (c->kind == PDF_STREAM)
		return pdf_stream_decode(out, doc, c);
	if (c->kind != PDF_ARRAY)
		return sertel_err(SERTEL_EINVAL,
		                  "pdf: page %d: /Contents is neither a "
		                  "stream nor an array",
		                  index + 1);
	n = pdf_len(c);
	for (i = 0; i < n; i++) {
		if ((s = pdf_resolve(doc, pdf_at(c, i))) == NULL)
			return SERTEL_EINVAL;
		if (s->kind != PDF_STREAM)
			return sertel_err(
			    SERTEL_EINVAL,
			    "pdf: page %d: /Contents element %zu is not a stream",
			    index + 1, i);
		/* 7.8.2: the streams are one; a separator keeps tokens apart */
		if (i > 0 && (rc = buf_putc(out, '\n')) < 0)
			return rc;
		if ((rc = pdf_stream_decode(out, doc, s)) < 0)
			return rc;
	}
	return 0;
}
