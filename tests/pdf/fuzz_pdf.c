/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for src/pdf/: opens the input, loads every object,
 * decodes streams, walks the pages and scans their content, serializes
 * what it loaded, and when the document opens, appends a revision with
 * the writer and checks that the result re-opens with the new objects.
 *
 * Built and run briefly by tests/pdf/fuzz.sh (ctest pdf_fuzz); see
 * docs/PDF.md for a longer run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf.h"

#define FUZZ_MAX_OBJECTS 4096
#define FUZZ_MAX_DECODE  (4 * 1024 * 1024)

static void
scan_pages(struct pdf_doc *doc)
{
	int n = pdf_page_count(doc), i;

	for (i = 0; i < n && i < 64; i++) {
		struct buf b;
		struct pdf_cs *cs = NULL;
		const char *op;
		const struct pdf_obj *const *args;
		size_t na, k;
		uint32_t num;
		struct buf s;

		(void)pdf_page(doc, i, &num);
		(void)pdf_page_attr(doc, i, "MediaBox");
		(void)pdf_page_attr(doc, i, "Resources");
		buf_init(&b, FUZZ_MAX_DECODE);
		buf_init(&s, 1 << 20);
		if (pdf_page_contents(&b, doc, i) == 0 &&
		    pdf_cs_open(&cs, b.data, b.len) == 0) {
			while (pdf_cs_next(cs, &op, &args, &na) > 0)
				for (k = 0; k < na; k++) {
					buf_reset(&s);
					(void)pdf_serialize(&s, args[k]);
				}
			pdf_cs_free(cs);
		}
		buf_free(&s);
		buf_free(&b);
	}
}

static void
load_all(struct pdf_doc *doc)
{
	uint32_t num, size = pdf_size(doc);
	struct buf b;
	size_t i, n, off, len;
	uint32_t *nums;

	buf_init(&b, FUZZ_MAX_DECODE);
	for (num = 0; num < size && num < FUZZ_MAX_OBJECTS; num++) {
		const struct pdf_obj *o = pdf_load(doc, num);
		if (o == NULL)
			continue;
		buf_reset(&b);
		if (pdf_kind(o) == PDF_STREAM) {
			(void)pdf_stream_decode(&b, doc, o);
			buf_reset(&b);
			(void)pdf_serialize_dict(&b, o, NULL, "/X 1");
		} else {
			(void)pdf_serialize(&b, o);
		}
		(void)pdf_span(o, &off, &len);
		for (i = 0; i < pdf_len(o); i++) {
			(void)pdf_getr(doc, o,
			               pdf_key_at(o, i) ? pdf_key_at(o, i) : "Type");
			(void)pdf_resolve(doc, pdf_at(o, i));
		}
	}
	for (i = 0; i < pdf_revision_count(doc); i++)
		if (pdf_revision_objects(&nums, &n, doc, i) == 0)
			free(nums);
	buf_free(&b);
}

/* The writer's promise: what it appends re-opens, shows the new object
 * and keeps the original bytes. */
static void
round_trip(struct pdf_doc *doc, const uint8_t *data, size_t size)
{
	struct pdf_update *u = NULL;
	struct pdf_doc *again = NULL;
	struct buf tail, whole, cat;
	const struct pdf_obj *root, *o;
	const char *skip[] = {"SertelFuzz", NULL};
	uint32_t n1, n2, rootnum = 0;
	char extra[64];

	buf_init(&tail, 1 << 24);
	buf_init(&whole, size + (1 << 24));
	buf_init(&cat, 1 << 20);
	if (pdf_update_begin(&u, doc) < 0)
		goto out;
	n1 = pdf_update_alloc(u);
	n2 = pdf_update_alloc(u);
	if (n1 == 0 || n2 == 0 ||
	    pdf_update_putf(u, n1, "<< /Fuzz (a\\)b) /N %u >>", n2) < 0 ||
	    pdf_update_put_stream(u, n2, "/Type /Fuzz", "data", 4, 1) < 0)
		goto out;
	root = pdf_catalog(doc);
	if (root != NULL &&
	    pdf_ref(pdf_get(pdf_trailer(doc), "Root"), &rootnum, NULL) == 0) {
		snprintf(extra, sizeof(extra), "/SertelFuzz %u 0 R", n1);
		if (pdf_serialize_dict(&cat, root, skip, extra) < 0 ||
		    pdf_update_put(u, rootnum, cat.data, cat.len) < 0)
			rootnum = 0;
	}
	if (pdf_update_finish(&tail, u) < 0)
		goto out;
	if (buf_append(&whole, data, size) < 0 ||
	    buf_append(&whole, tail.data, tail.len) < 0)
		goto out;
	if (pdf_open(&again, whole.data, whole.len) < 0) {
		fprintf(stderr, "writer output does not re-open: %s\n", sertel_errmsg());
		abort();
	}
	o = pdf_load(again, n1);
	if (o == NULL || pdf_kind(o) != PDF_DICT ||
	    pdf_revision_count(again) != pdf_revision_count(doc) + 1 ||
	    pdf_revision_end(again, pdf_revision_count(doc)) != whole.len ||
	    pdf_xref_is_stream(again) != pdf_xref_is_stream(doc)) {
		fprintf(stderr, "writer output is wrong: %s\n", sertel_errmsg());
		abort();
	}
	o = pdf_load(again, n2);
	if (o == NULL || pdf_kind(o) != PDF_STREAM) {
		fprintf(stderr, "writer stream missing: %s\n", sertel_errmsg());
		abort();
	}
	if (memcmp(whole.data, data, size) != 0)
		abort();
out:
	pdf_close(again);
	pdf_update_free(u);
	buf_free(&tail);
	buf_free(&whole);
	buf_free(&cat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdf_doc *doc = NULL;
	unsigned char *copy;
	size_t i;

	/* an exact-size copy, so reads past the end are caught */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (pdf_open(&doc, copy, size) == 0) {
		(void)pdf_catalog(doc);
		load_all(doc);
		scan_pages(doc);
		{ /* text extraction: fonts, CMaps, forms (issue 11) */
			int pg;
			double r[4];
			(void)pdf_text_find(doc, "${ttd}", &pg, r);
		}
		round_trip(doc, copy, size);
		/* each older revision opens on its own */
		for (i = 0; i + 1 < pdf_revision_count(doc) && i < 4; i++) {
			struct pdf_doc *old = NULL;
			if (pdf_open(&old, copy, pdf_revision_end(doc, i)) == 0)
				pdf_close(old);
		}
		pdf_close(doc);
	}
	/* the content scanner on raw input too */
	{
		struct pdf_cs *cs = NULL;
		const char *op;
		const struct pdf_obj *const *args;
		size_t na;
		int k = 0;
		if (pdf_cs_open(&cs, copy, size) == 0) {
			while (k++ < 100000 && pdf_cs_next(cs, &op, &args, &na) > 0)
				;
			pdf_cs_free(cs);
		}
	}
	free(copy);
	return 0;
}
