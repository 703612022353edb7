/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding budgets of the PDF parser (issue 19): one budget across every
 * document of a job, nested filters counted at each step, many small
 * streams adding up, a pool shared by concurrent jobs (and its parent)
 * refusing at once when it cannot reserve, and the bytes going back when
 * a job is done.  Without a budget the document limits are unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "pdf/pdf.h"

#define KIB 1024
#define MIB (1024 * 1024)

/* z = deflate(in), owned. */
static unsigned char *
zip(size_t *zl, const unsigned char *in, size_t len)
{
	uLongf n = compressBound((uLong)len);
	unsigned char *z = malloc(n);

	assert_non_null(z);
	assert_int_equal(compress2(z, &n, in, (uLong)len, 9), Z_OK);
	*zl = n;
	return z;
}

/* A classic-xref PDF: object 1 the catalog, objects 2..nstreams+1 streams
 * of `size` zero bytes each, deflated `times` times ([/FlateDecode ...]). */
static void
build(struct buf *out, size_t nstreams, size_t size, int times)
{
	size_t offs[64], i, xref, zl = size;
	unsigned char *data = calloc(1, size), *z;
	int t;

	assert_non_null(data);
	assert_true(nstreams + 1 < 64);
	for (t = 0; t < times; t++) {
		z = zip(&zl, data, zl);
		free(data);
		data = z;
	}
	buf_init(out, 64 * MIB);
	assert_int_equal(buf_appendf(out, "%%PDF-1.7\n"), 0);
	offs[0] = out->len;
	assert_int_equal(buf_appendf(out, "1 0 obj\n<< /Type /Catalog >>\nendobj\n"), 0);
	for (i = 0; i < nstreams; i++) {
		offs[i + 1] = out->len;
		assert_int_equal(
		    buf_appendf(out, "%zu 0 obj\n<< /Length %zu /Filter [", i + 2, zl),
		    0);
		for (t = 0; t < times; t++)
			assert_int_equal(buf_appendf(out, " /FlateDecode"), 0);
		assert_int_equal(buf_appendf(out, " ] >>\nstream\n"), 0);
		assert_int_equal(buf_append(out, data, zl), 0);
		assert_int_equal(buf_appendf(out, "\nendstream\nendobj\n"), 0);
	}
	xref = out->len;
	assert_int_equal(
	    buf_appendf(out, "xref\n0 %zu\n0000000000 65535 f \n", nstreams + 2), 0);
	for (i = 0; i <= nstreams; i++)
		assert_int_equal(buf_appendf(out, "%010zu 00000 n \n", offs[i]), 0);
	assert_int_equal(
	    buf_appendf(out,
	                "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n"
	                "%%%%EOF\n",
	                nstreams + 2, xref),
	    0);
	free(data);
}

/* Decodes object num of doc: the return code. */
static int
decode(struct pdf_doc *doc, uint32_t num)
{
	struct buf b;
	int rc;

	buf_init(&b, 0);
	rc = pdf_stream_decode(&b, doc, pdf_load(doc, num));
	buf_free(&b);
	return rc;
}

static void
test_nested_filters_total(void **state)
{
	struct buf f;
	struct pdf_doc *doc = NULL;
	struct pdf_budget b;

	(void)state;
	build(&f, 1, 8 * MIB, 2); /* 8 MiB under Flate twice */
	/* Without a budget: the document limits, as before. */
	assert_int_equal(pdf_open(&doc, f.data, f.len), 0);
	assert_int_equal(decode(doc, 2), 0);
	pdf_close(doc);
	/* A 1 MiB budget: refused, having inflated at most 1 MiB. */
	pdf_budget_init(&b, MIB, NULL);
	assert_int_equal(pdf_open_budget(&doc, f.data, f.len, &b), 0);
	assert_int_equal(decode(doc, 2), SERTEL_ETOOBIG);
	assert_non_null(strstr(sertel_errmsg(), "decompressed size exceeds 1048576"));
	assert_int_equal(b.exceeded, PDF_BUDGET_TOTAL);
	assert_true(b.used <= MIB);
	/* Once spent, spent for every document of the job. */
	pdf_close(doc);
	assert_int_equal(pdf_open_budget(&doc, f.data, f.len, &b), 0);
	assert_int_equal(decode(doc, 2), SERTEL_ETOOBIG);
	pdf_close(doc);
	pdf_budget_release(&b);
	buf_free(&f);
	sertel_err_clear();
}

static void
test_many_small_streams(void **state)
{
	struct buf f;
	struct pdf_doc *doc = NULL;
	struct pdf_budget b;
	uint32_t i;

	(void)state;
	build(&f, 10, 200 * KIB, 1);
	pdf_budget_init(&b, MIB, NULL);
	assert_int_equal(pdf_open_budget(&doc, f.data, f.len, &b), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(decode(doc, i + 2), 0);
	assert_int_equal(b.used, 5 * 200 * KIB);
	assert_int_equal(decode(doc, 7), SERTEL_ETOOBIG);
	assert_int_equal(b.exceeded, PDF_BUDGET_TOTAL);
	assert_true(b.used <= MIB);
	pdf_close(doc);
	buf_free(&f);
	sertel_err_clear();
}

static void
test_shared_pool(void **state)
{
	struct buf f;
	struct pdf_doc *d1 = NULL, *d2 = NULL;
	struct pdf_budget b1, b2;
	struct pdf_pool all, pub;
	unsigned long long parsed;

	(void)state;
	build(&f, 2, 300 * KIB, 1);
	pdf_pool_init(&all, 64 * MIB, NULL);
	pdf_pool_init(&pub, 512 * KIB, &all);
	pdf_budget_init(&b1, 32 * MIB, &pub);
	pdf_budget_init(&b2, 32 * MIB, &pub);
	assert_int_equal(pdf_open_budget(&d1, f.data, f.len, &b1), 0);
	assert_int_equal(pdf_open_budget(&d2, f.data, f.len, &b2), 0);
	/* The open documents' parsed objects are held from the pool. */
	parsed = atomic_load(&pub.used);
	assert_true(parsed > 0 && parsed < 200 * KIB);
	assert_int_equal(atomic_load(&all.used), parsed);
	assert_int_equal(decode(d1, 2), 0);
	assert_int_equal(atomic_load(&pub.used), parsed + 300 * KIB);
	assert_int_equal(atomic_load(&all.used), parsed + 300 * KIB);
	/* The second job cannot reserve 300 KiB more: refused now, not
	 * queued. */
	assert_int_equal(decode(d2, 2), SERTEL_ETOOBIG);
	assert_int_equal(b2.exceeded, PDF_BUDGET_POOL);
	assert_non_null(strstr(sertel_errmsg(), "concurrent"));
	pdf_budget_release(&b2);
	pdf_close(d2);
	d2 = NULL;
	/* The first job done: everything goes back to both pools. */
	pdf_close(d1);
	d1 = NULL;
	pdf_budget_release(&b1);
	assert_int_equal(atomic_load(&pub.used), 0);
	assert_int_equal(atomic_load(&all.used), 0);
	pdf_budget_init(&b2, 32 * MIB, &pub);
	assert_int_equal(pdf_open_budget(&d2, f.data, f.len, &b2), 0);
	assert_int_equal(decode(d2, 2), 0);
	pdf_close(d2);
	pdf_budget_release(&b2);
	assert_int_equal(atomic_load(&pub.used), 0);
	/* The parent's cap binds too. */
	pdf_pool_init(&all, 200 * KIB, NULL);
	pdf_pool_init(&pub, 64 * MIB, &all);
	pdf_budget_init(&b1, 32 * MIB, &pub);
	assert_int_equal(pdf_open_budget(&d1, f.data, f.len, &b1), 0);
	assert_int_equal(decode(d1, 2), SERTEL_ETOOBIG);
	assert_int_equal(b1.exceeded, PDF_BUDGET_POOL);
	pdf_close(d1);
	pdf_budget_release(&b1);
	assert_int_equal(atomic_load(&pub.used), 0);
	assert_int_equal(atomic_load(&all.used), 0);
	buf_free(&f);
	sertel_err_clear();
}

/* A small file can parse into far more memory than it has bytes: the
 * document's parsed objects are bounded by parse_max. */
static void
test_parse_max(void **state)
{
	struct buf f;
	struct pdf_doc *doc = NULL;
	struct pdf_budget b;
	struct pdf_pool pool;
	size_t i, off1, off2, xref;

	(void)state;
	buf_init(&f, 64 * MIB);
	assert_int_equal(buf_appendf(&f, "%%PDF-1.7\n"), 0);
	off1 = f.len;
	assert_int_equal(buf_appendf(&f, "1 0 obj\n<< /Type /Catalog >>\nendobj\n"), 0);
	off2 = f.len;
	assert_int_equal(buf_appendf(&f, "2 0 obj\n["), 0);
	for (i = 0; i < 1000000; i++)
		assert_int_equal(buf_append(&f, "0 ", 2), 0);
	assert_int_equal(buf_appendf(&f, "]\nendobj\n"), 0);
	xref = f.len;
	assert_int_equal(
	    buf_appendf(&f,
	                "xref\n0 3\n0000000000 65535 f \n%010zu 00000 n \n"
	                "%010zu 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\n"
	                "startxref\n%zu\n%%%%EOF\n",
	                off1, off2, xref),
	    0);
	/* 2 MB of text, far more parsed: refused at 4 MiB. */
	pdf_pool_init(&pool, 256 * MIB, NULL);
	pdf_budget_init(&b, 32 * MIB, &pool);
	b.parse_max = 4 * MIB;
	assert_int_equal(pdf_open_budget(&doc, f.data, f.len, &b), 0);
	assert_null(pdf_load(doc, 2));
	assert_non_null(strstr(sertel_errmsg(), "bytes of parsed objects"));
	assert_int_equal(b.exceeded, PDF_BUDGET_PARSE);
	assert_true(atomic_load(&pool.used) <= 4 * MIB);
	pdf_close(doc);
	assert_int_equal(atomic_load(&pool.used), 0);
	/* Without parse_max the document's own limit: it loads. */
	pdf_budget_init(&b, 32 * MIB, &pool);
	assert_int_equal(pdf_open_budget(&doc, f.data, f.len, &b), 0);
	assert_non_null(pdf_load(doc, 2));
	assert_int_equal(pdf_len(pdf_load(doc, 2)), 1000000);
	pdf_close(doc);
	buf_free(&f);
	sertel_err_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nested_filters_total),
	    cmocka_unit_test(test_many_small_streams),
	    cmocka_unit_test(test_shared_pool),
	    cmocka_unit_test(test_parse_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
