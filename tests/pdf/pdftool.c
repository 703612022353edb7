/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pdftool: a small driver over src/pdf for the shell tests.
 *
 *   pdftool info FILE          revisions, xref style, size, pages; loads
 *                              every object and scans every page
 *   pdftool show FILE NUM      object NUM serialized (streams: dict only)
 *   pdftool decode FILE NUM    object NUM's decoded stream on stdout
 *   pdftool span FILE NUM KEY  "off len" of the value of KEY in object NUM
 *   pdftool update FILE OUT [stream]  appends a revision: a new object,
 *                              a replaced catalog (plus /SertelTest),
 *                              optionally a new stream object
 *   pdftool revision FILE I OUT    the bytes of revision I
 *
 * Errors: one line "error: ..." on stderr, exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf.h"

static int
fail(void)
{
	fprintf(stderr, "error: %s\n", sertel_errmsg());
	return 2;
}

static int
open_file(struct pdf_doc **doc, unsigned char **data, size_t *len, const char *path)
{
	if (file_read(data, len, path, (size_t)1 << 31) < 0)
		return -1;
	if (pdf_open(doc, *data, *len) < 0)
		return -1;
	return 0;
}

static int
cmd_info(struct pdf_doc *doc)
{
	size_t i, j, n;
	uint32_t *nums, num, loaded = 0;
	int np, p, ops;

	printf("xref %s\n", pdf_xref_is_stream(doc) ? "stream" : "table");
	printf("size %u\n", pdf_size(doc));
	printf("startxref %zu\n", pdf_startxref(doc));
	printf("revisions %zu\n", pdf_revision_count(doc));
	for (i = 0; i < pdf_revision_count(doc); i++) {
		if (pdf_revision_objects(&nums, &n, doc, i) < 0)
			return fail();
		printf("revision %zu end %zu objects %zu:", i, pdf_revision_end(doc, i),
		       n);
		for (j = 0; j < n && j < 20; j++)
			printf(" %u", nums[j]);
		printf("\n");
		free(nums);
	}
	for (num = 1; num < pdf_size(doc); num++) {
		const struct pdf_obj *o = pdf_load(doc, num);
		if (o == NULL) {
			if (strstr(sertel_errmsg(), "not in use") != NULL)
				continue;
			return fail();
		}
		if (pdf_kind(o) == PDF_STREAM) {
			struct buf b;
			buf_init(&b, PDF_MAX_STREAM);
			/* images with other filters are fine: only Flate is ours */
			if (pdf_stream_decode(&b, doc, o) < 0 &&
			    strstr(sertel_errmsg(), "not supported") == NULL) {
				buf_free(&b);
				return fail();
			}
			buf_free(&b);
		}
		loaded++;
	}
	printf("loaded %u\n", loaded);
	if (pdf_catalog(doc) == NULL)
		return fail();
	if ((np = pdf_page_count(doc)) < 0)
		return fail();
	printf("pages %d\n", np);
	for (p = 0; p < np; p++) {
		struct buf b;
		struct pdf_cs *cs = NULL;
		const char *op;
		const struct pdf_obj *const *args;
		size_t na;
		int rc;
		const struct pdf_obj *mb = pdf_page_attr(doc, p, "MediaBox");
		buf_init(&b, PDF_MAX_STREAM);
		if (pdf_page_contents(&b, doc, p) < 0 ||
		    pdf_cs_open(&cs, b.data, b.len) < 0) {
			buf_free(&b);
			return fail();
		}
		ops = 0;
		while ((rc = pdf_cs_next(cs, &op, &args, &na)) > 0)
			ops++;
		pdf_cs_free(cs);
		buf_free(&b);
		if (rc < 0)
			return fail();
		printf("page %d mediabox %s operators %d\n", p + 1,
		       pdf_kind(mb) == PDF_ARRAY ? "yes" : "no", ops);
	}
	return 0;
}

/* Object number arg, loaded; NULL with the error set. */
static const struct pdf_obj *
load_arg(struct pdf_doc *doc, const char *arg)
{
	long long num;

	if (parse_ll(&num, arg, 0, PDF_MAX_OBJECTS) < 0)
		return NULL;
	return pdf_load(doc, (uint32_t)num);
}

static int
cmd_show(struct pdf_doc *doc, const char *arg)
{
	const struct pdf_obj *o;
	struct buf b;
	int rc;

	if ((o = load_arg(doc, arg)) == NULL)
		return fail();
	buf_init(&b, PDF_MAX_STREAM);
	rc = pdf_kind(o) == PDF_STREAM ? pdf_serialize_dict(&b, o, NULL, NULL)
	                               : pdf_serialize(&b, o);
	if (rc < 0) {
		buf_free(&b);
		return fail();
	}
	printf("%.*s\n", (int)b.len, (const char *)b.data);
	buf_free(&b);
	return 0;
}

static int
cmd_decode(struct pdf_doc *doc, const char *arg)
{
	const struct pdf_obj *o;
	struct buf b;

	if ((o = load_arg(doc, arg)) == NULL)
		return fail();
	buf_init(&b, PDF_MAX_STREAM);
	if (pdf_stream_decode(&b, doc, o) < 0) {
		buf_free(&b);
		return fail();
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}

static int
cmd_span(struct pdf_doc *doc, const char *arg, const char *key)
{
	const struct pdf_obj *o;
	size_t off, len;

	if ((o = load_arg(doc, arg)) == NULL)
		return fail();
	if (pdf_span(pdf_get(o, key), &off, &len) < 0)
		return fail();
	printf("%zu %zu\n", off, len);
	return 0;
}

static int
cmd_update(struct pdf_doc *doc, const unsigned char *data, size_t len, const char *out,
           int with_stream)
{
	struct pdf_update *u = NULL;
	struct buf tail, whole, cat;
	const struct pdf_obj *root = pdf_get(pdf_trailer(doc), "Root");
	const char *skip[] = {"SertelTest", NULL};
	uint32_t rootnum, n1, n2 = 0;
	char extra[64];
	int rc = 2;

	buf_init(&tail, (size_t)1 << 30);
	buf_init(&whole, (size_t)1 << 31);
	buf_init(&cat, 1 << 20);
	if (pdf_ref(root, &rootnum, NULL) < 0 || pdf_catalog(doc) == NULL ||
	    pdf_update_begin(&u, doc) < 0)
		goto err;
	n1 = pdf_update_alloc(u);
	if (pdf_update_putf(u, n1, "<< /Type /SertelTest /Rev %zu /Name (x\\(y\\)) >>",
	                    pdf_revision_count(doc)) < 0)
		goto err;
	if (with_stream) {
		n2 = pdf_update_alloc(u);
		if (pdf_update_put_stream(u, n2, "/Type /SertelData", "hello stream\n",
		                          13, 1) < 0)
			goto err;
	}
	snprintf(extra, sizeof(extra), "/SertelTest %u 0 R", n1);
	if (pdf_serialize_dict(&cat, pdf_catalog(doc), skip, extra) < 0 ||
	    pdf_update_put(u, rootnum, cat.data, cat.len) < 0 ||
	    pdf_update_finish(&tail, u) < 0)
		goto err;
	if (buf_append(&whole, data, len) < 0 ||
	    buf_append(&whole, tail.data, tail.len) < 0 ||
	    file_write(out, whole.data, whole.len, 0644) < 0)
		goto err;
	printf("new %u offset %zu\n", n1, pdf_update_offset(u, n1));
	if (with_stream)
		printf("stream %u offset %zu\n", n2, pdf_update_offset(u, n2));
	printf("catalog %u offset %zu\n", rootnum, pdf_update_offset(u, rootnum));
	rc = 0;
	goto out;
err:
	rc = fail();
out:
	pdf_update_free(u);
	buf_free(&tail);
	buf_free(&whole);
	buf_free(&cat);
	return rc;
}

int
main(int argc, char **argv)
{
	struct pdf_doc *doc = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = 2;

	if (argc < 3) {
		fprintf(stderr,
		        "usage: pdftool info|show|decode|span|update|revision FILE "
		        "...\n");
		return 2;
	}
	if (open_file(&doc, &data, &len, argv[2]) < 0) {
		rc = fail();
		goto out;
	}
	if (strcmp(argv[1], "info") == 0)
		rc = cmd_info(doc);
	else if (strcmp(argv[1], "show") == 0 && argc == 4)
		rc = cmd_show(doc, argv[3]);
	else if (strcmp(argv[1], "decode") == 0 && argc == 4)
		rc = cmd_decode(doc, argv[3]);
	else if (strcmp(argv[1], "span") == 0 && argc == 5)
		rc = cmd_span(doc, argv[3], argv[4]);
	else if (strcmp(argv[1], "update") == 0 && argc >= 4)
		rc = cmd_update(doc, data, len, argv[3],
		                argc == 5 && !strcmp(argv[4], "stream"));
	else if (strcmp(argv[1], "revision") == 0 && argc == 5) {
		long long i;
		if (parse_ll(&i, argv[3], 0, PDF_MAX_REVISIONS) < 0 ||
		    (size_t)i >= pdf_revision_count(doc)) {
			fprintf(stderr, "error: no such revision\n");
			rc = 2;
		} else if (file_write(argv[4], data, pdf_revision_end(doc, (size_t)i),
		                      0644) < 0) {
			rc = fail();
		} else {
			rc = 0;
		}
	} else {
		fprintf(stderr, "error: bad command\n");
	}
out:
	pdf_close(doc);
	free(data);
	return rc;
}
