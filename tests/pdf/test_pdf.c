/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of src/pdf/: hand-written PDFs for every cross-reference form
 * (table, stream with PNG predictor, object streams, hybrid, incremental
 * chains), string and name syntax, exact spans, the writer, and hostile
 * files, each of which must be refused with its own message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <zlib.h>

#include "pdf/pdf.h"

#define MAXO 64

/* ---- a tiny PDF maker ---------------------------------------------------- */
struct mk {
	struct buf b;
	size_t off[MAXO];
	int type[MAXO]; /* 0 free, 1 plain, 2 in an object stream */
	uint32_t stm[MAXO], idx[MAXO];
	int dirty[MAXO];
	size_t last_xref;
	int has_prev;
};

static void
mk_init(struct mk *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->b, 64 * 1024 * 1024);
	assert_int_equal(buf_append(&m->b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15), 0);
	m->dirty[0] = 1;
}

static void
mk_free(struct mk *m)
{
	buf_free(&m->b);
}

static void
mk_vraw(struct mk *m, const char *fmt, va_list ap)
{
	char tmp[8192];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	assert_int_equal(buf_append(&m->b, tmp, (size_t)n), 0);
}

static void
mk_raw(struct mk *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mk_vraw(m, fmt, ap);
	va_end(ap);
}

/* "num 0 obj\n" fmt... "\nendobj\n", recorded for the next section */
static void
mk_obj(struct mk *m, uint32_t num, const char *fmt, ...)
{
	va_list ap;

	m->off[num] = m->b.len;
	m->type[num] = 1;
	m->dirty[num] = 1;
	mk_raw(m, "%u 0 obj\n", num);
	va_start(ap, fmt);
	mk_vraw(m, fmt, ap);
	va_end(ap);
	mk_raw(m, "\nendobj\n");
}

static void
mk_stream(struct mk *m, uint32_t num, const char *dict, const void *data, size_t len)
{
	m->off[num] = m->b.len;
	m->type[num] = 1;
	m->dirty[num] = 1;
	mk_raw(m, "%u 0 obj\n<< %s /Length %zu >>\nstream\n", num, dict, len);
	assert_int_equal(buf_append(&m->b, data, len), 0);
	mk_raw(m, "\nendstream\nendobj\n");
}

static void
zip(unsigned char **out, size_t *outlen, const void *data, size_t len)
{
	uLongf zl = compressBound((uLong)len);
	unsigned char *z = malloc(zl);

	assert_non_null(z);
	assert_int_equal(compress2(z, &zl, data, (uLong)len, 9), Z_OK);
	*out = z;
	*outlen = zl;
}

/* An object stream num holding bodies[i] as objects first+i. */
static void
mk_objstm(struct mk *m, uint32_t num, uint32_t first, const char **bodies, int n,
          int flate)
{
	char head[1024], data[4096], dict[128];
	size_t hl = 0, dl = 0, zl;
	unsigned char *z;
	int i;

	for (i = 0; i < n; i++) {
		hl += (size_t)snprintf(head + hl, sizeof(head) - hl, "%u %zu ", first + i,
		                       dl);
		dl += (size_t)snprintf(data + dl, sizeof(data) - dl, "%s\n", bodies[i]);
		m->type[first + i] = 2;
		m->stm[first + i] = num;
		m->idx[first + i] = (uint32_t)i;
		m->dirty[first + i] = 1;
	}
	memmove(data + hl, data, dl);
	memcpy(data, head, hl);
	if (flate) {
		zip(&z, &zl, data, hl + dl);
		snprintf(dict, sizeof(dict),
		         "/Type /ObjStm /N %d /First %zu /Filter /FlateDecode", n, hl);
		mk_stream(m, num, dict, z, zl);
		free(z);
	} else {
		snprintf(dict, sizeof(dict), "/Type /ObjStm /N %d /First %zu", n, hl);
		mk_stream(m, num, dict, data, hl + dl);
	}
}

/* A classic table listing the dirty objects, then trailer and %%EOF. */
static size_t
mk_table(struct mk *m, uint32_t size, const char *extra)
{
	uint32_t i, j;
	size_t at = m->b.len;

	mk_raw(m, "xref\n");
	for (i = 0; i < size; i = j) {
		if (!m->dirty[i]) {
			j = i + 1;
			continue;
		}
		for (j = i; j < size && m->dirty[j]; j++)
			;
		mk_raw(m, "%u %u\n", i, j - i);
		for (; i < j; i++) {
			if (m->type[i] == 1)
				mk_raw(m, "%010zu 00000 n\r\n", m->off[i]);
			else
				mk_raw(m, "0000000000 %05u f\r\n", i == 0 ? 65535 : 1);
			m->dirty[i] = 0;
		}
	}
	mk_raw(m, "trailer\n<< /Size %u /Root 1 0 R", size);
	if (m->has_prev)
		mk_raw(m, " /Prev %zu", m->last_xref);
	mk_raw(m, "%s >>\nstartxref\n%zu\n%%%%EOF\n", extra ? extra : "", at);
	m->last_xref = at;
	m->has_prev = 1;
	return at;
}

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	int k;

	for (k = 0; k < n; k++)
		p[k] = (unsigned char)(v >> (8 * (n - 1 - k)));
}

/* A cross-reference stream (object num) for objects 0..size-1 with W
 * [1 4 2], Flate + PNG Up predictor when predictor is set.  tail: add
 * startxref/%%EOF (0 for the /XRefStm of a hybrid). */
static size_t
mk_xrefstm(struct mk *m, uint32_t num, uint32_t size, const char *extra, int predictor,
           int tail)
{
	unsigned char rows[MAXO * 8], pred[MAXO * 8], *z;
	size_t at = m->b.len, zl, n = 0, i;
	char dict[512];
	uint32_t k;

	m->off[num] = at;
	m->type[num] = 1;
	for (k = 0; k < size; k++) {
		unsigned char *r = rows + n * 7;
		if (m->type[k] == 1) {
			r[0] = 1;
			put_be(r + 1, m->off[k], 4);
			put_be(r + 5, 0, 2);
		} else if (m->type[k] == 2) {
			r[0] = 2;
			put_be(r + 1, m->stm[k], 4);
			put_be(r + 5, m->idx[k], 2);
		} else {
			r[0] = 0;
			put_be(r + 1, 0, 4);
			put_be(r + 5, k == 0 ? 65535 : 0, 2);
		}
		n++;
	}
	snprintf(dict, sizeof(dict), "/Type /XRef /Size %u /W [1 4 2] /Root 1 0 R%s%s",
	         size, extra ? extra : "",
	         predictor ? " /Filter /FlateDecode /DecodeParms << /Predictor 12 "
	                     "/Columns 7 >>"
	                   : "");
	if (predictor) {
		/* PNG "Up": each byte minus the byte above it */
		for (i = 0; i < n; i++) {
			size_t c;
			pred[i * 8] = 2;
			for (c = 0; c < 7; c++)
				pred[i * 8 + 1 + c] =
				    (unsigned char)(rows[i * 7 + c] -
				                    (i ? rows[(i - 1) * 7 + c] : 0));
		}
		zip(&z, &zl, pred, n * 8);
		mk_stream(m, num, dict, z, zl);
		free(z);
	} else {
		mk_stream(m, num, dict, rows, n * 7);
	}
	if (tail)
		mk_raw(m, "startxref\n%zu\n%%%%EOF\n", at);
	return at;
}

/* A one-page document body: catalog 1, pages 2, page 3, contents 4. */
static void
mk_doc(struct mk *m)
{
	static const char content[] =
	    "BT /F1 12 Tf 72 700 Td (Halo \\(dunia\\)) Tj ET\n"
	    "q 1 0 0 1 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x01"
	    "EI\xff EI Q\n";

	mk_init(m);
	mk_obj(m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	mk_obj(m, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>");
	mk_obj(m, 3,
	       "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Title <48616C6F2> "
	       "/Lit (a\\(b\\)c (nested) \\101\\n\\\nx) /N#20x /A#23B >>");
	mk_stream(m, 4, "", content, sizeof(content) - 1);
}

static struct pdf_doc *
open_ok(const struct mk *m)
{
	struct pdf_doc *doc = NULL;

	if (pdf_open(&doc, m->b.data, m->b.len) < 0)
		fail_msg("pdf_open: %s", sertel_errmsg());
	return doc;
}

/* Opening must fail with SERTEL_EINVAL and a message containing want. */
static void
refused(const unsigned char *p, size_t len, const char *want)
{
	struct pdf_doc *doc = NULL;
	int rc = pdf_open(&doc, p, len);

	if (rc == 0) {
		pdf_close(doc);
		fail_msg("opened, expected refusal with '%s'", want);
	}
	assert_int_equal(rc, SERTEL_EINVAL);
	if (strstr(sertel_errmsg(), want) == NULL)
		fail_msg("message '%s' does not contain '%s'", sertel_errmsg(), want);
}

static void
expect_err(const char *want)
{
	if (strstr(sertel_errmsg(), want) == NULL)
		fail_msg("message '%s' does not contain '%s'", sertel_errmsg(), want);
}

/* ---- reading ---------------------------------------------------------------- */

static void
check_doc_objects(struct pdf_doc *doc)
{
	const struct pdf_obj *page, *v, *mb;
	const unsigned char *s;
	struct buf b;
	size_t len, off, slen;
	uint32_t num;
	const unsigned char *data;
	long long x;

	assert_non_null(pdf_catalog(doc));
	assert_int_equal(pdf_page_count(doc), 1);
	page = pdf_page(doc, 0, &num);
	assert_non_null(page);
	assert_int_equal(num, 3);
	assert_null(pdf_page(doc, 1, NULL));
	/* MediaBox inherited from the Pages node */
	mb = pdf_page_attr(doc, 0, "MediaBox");
	assert_int_equal(pdf_kind(mb), PDF_ARRAY);
	assert_int_equal(pdf_int(pdf_at(mb, 3), &x), 0);
	assert_int_equal(x, 792);
	assert_null(pdf_page_attr(doc, 0, "Count")); /* not inheritable */
	/* hex string, odd number of digits: last one padded with 0 */
	v = pdf_get(page, "Title");
	s = pdf_str(v, &slen);
	assert_non_null(s);
	assert_int_equal(slen, 5);
	assert_memory_equal(s, "Halo ", 5);
	/* literal: escaped and balanced parentheses, octal, \n, continuation */
	s = pdf_str(pdf_get(page, "Lit"), &slen);
	assert_non_null(s);
	assert_int_equal(slen, strlen("a(b)c (nested) A\nx"));
	assert_memory_equal(s, "a(b)c (nested) A\nx", slen);
	/* names with #xx */
	assert_string_equal(pdf_key_at(page, pdf_len(page) - 1), "N x");
	assert_string_equal(pdf_name(pdf_get(page, "N x")), "A#B");
	/* spans are exact bytes of the file */
	data = pdf_data(doc, &len);
	if (pdf_span(v, &off, &slen) == 0) {
		assert_true(off + slen <= len);
		assert_memory_equal(data + off, "<48616C6F2>", slen);
		assert_int_equal(slen, 11);
		assert_int_equal(pdf_span(pdf_get(page, "Lit"), &off, &slen), 0);
		assert_int_equal(data[off], '(');
		assert_int_equal(data[off + slen - 1], ')');
		assert_int_equal(pdf_span(pdf_get(page, "Parent"), &off, &slen), 0);
		assert_memory_equal(data + off, "2 0 R", 5);
		assert_int_equal(slen, 5);
	}
	/* contents and the scanner */
	buf_init(&b, 1 << 20);
	assert_int_equal(pdf_page_contents(&b, doc, 0), 0);
	{
		struct pdf_cs *cs = NULL;
		const char *op;
		const struct pdf_obj *const *args;
		size_t n;
		int rc, seen_tj = 0, seen_bi = 0, seen_q = 0;
		assert_int_equal(pdf_cs_open(&cs, b.data, b.len), 0);
		while ((rc = pdf_cs_next(cs, &op, &args, &n)) > 0) {
			if (strcmp(op, "Tj") == 0) {
				assert_int_equal(n, 1);
				s = pdf_str(args[0], &slen);
				assert_int_equal(slen, 12);
				assert_memory_equal(s, "Halo (dunia)", 12);
				seen_tj = 1;
			}
			if (strcmp(op, "BI") == 0) {
				assert_int_equal(n, 0);
				seen_bi = 1;
			}
			if (strcmp(op, "Q") == 0)
				seen_q = 1;
		}
		assert_int_equal(rc, 0);
		assert_true(seen_tj && seen_bi && seen_q);
		pdf_cs_free(cs);
	}
	buf_free(&b);
}

static void
test_classic_table(void **state)
{
	struct mk m;
	struct pdf_doc *doc;
	uint32_t *nums;
	size_t n;

	(void)state;
	mk_doc(&m);
	mk_table(&m, 5, " /ID [<0102> <0304>]");
	doc = open_ok(&m);
	assert_int_equal(pdf_xref_is_stream(doc), 0);
	assert_int_equal(pdf_size(doc), 5);
	assert_int_equal(pdf_revision_count(doc), 1);
	assert_int_equal(pdf_revision_end(doc, 0), m.b.len);
	assert_int_equal(pdf_revision_objects(&nums, &n, doc, 0), 0);
	assert_int_equal(n, 4);
	assert_int_equal(nums[0], 1);
	assert_int_equal(nums[3], 4);
	free(nums);
	check_doc_objects(doc);
	/* missing object: NULL from pdf_load, null from a dangling reference */
	assert_null(pdf_load(doc, 7));
	pdf_close(doc);
	mk_free(&m);
}

static void
test_xref_stream_predictor(void **state)
{
	struct mk m;
	struct pdf_doc *doc;

	(void)state;
	mk_doc(&m);
	mk_xrefstm(&m, 5, 6, NULL, 1, 1);
	doc = open_ok(&m);
	assert_int_equal(pdf_xref_is_stream(doc), 1);
	assert_int_equal(pdf_size(doc), 6);
	assert_int_equal(pdf_kind(pdf_trailer(doc)), PDF_STREAM);
	check_doc_objects(doc);
	assert_int_equal(pdf_kind(pdf_load(doc, 5)), PDF_STREAM);
	pdf_close(doc);
	mk_free(&m);
}

static void
test_object_streams(void **state)
{
	static const char content[] = "0 0 m 10 10 l S\n";
	const char *bodies[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 10 10] >>",
	    "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Hex <41 42> >>"};
	struct mk m;
	struct pdf_doc *doc;
	const struct pdf_obj *p;
	size_t off, len;
	const unsigned char *s;

	(void)state;
	mk_init(&m);
	mk_objstm(&m, 5, 1, bodies, 3, 1);
	mk_stream(&m, 4, "", content, sizeof(content) - 1);
	mk_xrefstm(&m, 6, 7, NULL, 0, 1);
	doc = open_ok(&m);
	assert_int_equal(pdf_page_count(doc), 1);
	p = pdf_page(doc, 0, NULL);
	s = pdf_str(pdf_get(p, "Hex"), &len);
	assert_int_equal(len, 2);
	assert_memory_equal(s, "AB", 2);
	/* objects out of an object stream have no place in the file */
	assert_int_equal(pdf_span(pdf_get(p, "Hex"), &off, &len), SERTEL_ENOTFOUND);
	/* uncompressed object streams too */
	pdf_close(doc);
	mk_free(&m);
	mk_init(&m);
	mk_objstm(&m, 5, 1, bodies, 3, 0);
	mk_stream(&m, 4, "", content, sizeof(content) - 1);
	mk_xrefstm(&m, 6, 7, NULL, 1, 1);
	doc = open_ok(&m);
	assert_int_equal(pdf_page_count(doc), 1);
	pdf_close(doc);
	mk_free(&m);
}

/* 7.5.8.4: the table lists plain objects; objects in object streams are
 * free in the table and found through /XRefStm. */
static void
test_hybrid(void **state)
{
	const char *bodies[] = {"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"};
	static const char content[] = "1 0 0 RG\n";
	struct mk m;
	struct pdf_doc *doc;
	char extra[64];
	size_t xs;
	uint32_t *nums;
	size_t n;

	(void)state;
	mk_init(&m);
	mk_obj(&m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	mk_obj(&m, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 10 10] >>");
	mk_objstm(&m, 5, 3, bodies, 1, 1);
	mk_stream(&m, 4, "", content, sizeof(content) - 1);
	xs = mk_xrefstm(&m, 6, 7, NULL, 0, 0);
	/* the table shows object 3 as free, the stream has it */
	m.type[3] = 0;
	m.dirty[6] = 0;
	snprintf(extra, sizeof(extra), " /XRefStm %zu", xs);
	mk_table(&m, 7, extra);
	doc = open_ok(&m);
	assert_int_equal(pdf_xref_is_stream(doc), 0);
	assert_int_equal(pdf_page_count(doc), 1);
	assert_int_equal(pdf_revision_count(doc), 1);
	assert_int_equal(pdf_revision_objects(&nums, &n, doc, 0), 0);
	assert_int_equal(n, 6);
	free(nums);
	pdf_close(doc);
	mk_free(&m);
}

static void
test_indirect_length(void **state)
{
	struct mk m;
	struct pdf_doc *doc;
	const unsigned char *raw;
	size_t len;

	(void)state;
	mk_init(&m);
	mk_obj(&m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	mk_obj(&m, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
	m.off[3] = m.b.len;
	m.type[3] = 1;
	m.dirty[3] = 1;
	mk_raw(&m,
	       "3 0 obj\n<< /Length 4 0 R >>\nstream\r\nendstream in data\nendstream\n"
	       "endobj\n");
	mk_obj(&m, 4, "18");
	mk_table(&m, 5, NULL);
	doc = open_ok(&m);
	assert_int_equal(pdf_stream_raw(pdf_load(doc, 3), &raw, &len), 0);
	assert_int_equal(len, 18);
	assert_memory_equal(raw, "endstream in data\n", 18);
	assert_int_equal(pdf_page_count(doc), 0);
	pdf_close(doc);
	mk_free(&m);
}

/* Two revisions by hand, the older one re-opened by its end offset. */
static void
test_incremental_chain(void **state)
{
	struct mk m;
	struct pdf_doc *doc, *old;
	uint32_t *nums;
	size_t n, end0;
	const char *name;

	(void)state;
	mk_doc(&m);
	mk_table(&m, 5, NULL);
	end0 = m.b.len;
	mk_obj(&m, 3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Changed /Yes >>");
	mk_obj(&m, 5, "(new)");
	mk_table(&m, 6, NULL);
	doc = open_ok(&m);
	assert_int_equal(pdf_revision_count(doc), 2);
	assert_int_equal(pdf_revision_end(doc, 0), end0);
	assert_int_equal(pdf_revision_end(doc, 1), m.b.len);
	assert_int_equal(pdf_revision_objects(&nums, &n, doc, 1), 0);
	assert_int_equal(n, 2);
	assert_int_equal(nums[0], 3);
	assert_int_equal(nums[1], 5);
	free(nums);
	name = pdf_name(pdf_get(pdf_page(doc, 0, NULL), "Changed"));
	assert_non_null(name);
	assert_string_equal(name, "Yes");
	assert_int_equal(pdf_open(&old, m.b.data, pdf_revision_end(doc, 0)), 0);
	assert_null(pdf_get(pdf_page(old, 0, NULL), "Changed"));
	assert_int_equal(pdf_revision_count(old), 1);
	pdf_close(old);
	pdf_close(doc);
	mk_free(&m);
}

/* ---- writer ----------------------------------------------------------------- */

static void
update_once(struct buf *file, int stream_style, uint32_t *newnum)
{
	struct pdf_doc *doc = NULL, *after = NULL;
	struct pdf_update *u = NULL;
	struct buf tail, cat;
	const char *skip[] = {"AcroForm", NULL};
	const struct pdf_obj *o;
	size_t oldlen = file->len, off, nrev, i;
	uint32_t *nums;
	size_t n;
	char extra[64];
	const unsigned char *s;
	size_t slen;

	buf_init(&tail, 1 << 24);
	buf_init(&cat, 1 << 20);
	assert_int_equal(pdf_open(&doc, file->data, file->len), 0);
	assert_int_equal(pdf_xref_is_stream(doc), stream_style);
	nrev = pdf_revision_count(doc);
	assert_int_equal(pdf_update_begin(&u, doc), 0);
	*newnum = pdf_update_alloc(u);
	assert_int_equal(*newnum, pdf_size(doc));
	assert_int_equal(
	    pdf_update_putf(u, *newnum, "<< /Sig (s%zu) /Hex <00FF> >>", nrev), 0);
	snprintf(extra, sizeof(extra), "/AcroForm << /Fields [%u 0 R] >>", *newnum);
	assert_int_equal(pdf_serialize_dict(&cat, pdf_catalog(doc), skip, extra), 0);
	assert_int_equal(pdf_update_put(u, 1, cat.data, cat.len), 0);
	assert_int_equal(pdf_update_finish(&tail, u), 0);
	off = pdf_update_offset(u, *newnum);
	assert_int_equal(pdf_update_offset(u, 9999), 0);
	assert_int_equal(buf_append(file, tail.data, tail.len), 0);
	pdf_update_free(u);
	pdf_close(doc);
	/* "num gen obj" where the writer says */
	snprintf(extra, sizeof(extra), "%u 0 obj", *newnum);
	assert_true(off > oldlen && off < file->len);
	assert_memory_equal(file->data + off, extra, strlen(extra));
	/* re-open: style kept, new object visible, one more revision */
	assert_int_equal(pdf_open(&after, file->data, file->len), 0);
	assert_int_equal(pdf_xref_is_stream(after), stream_style);
	assert_int_equal(pdf_revision_count(after), nrev + 1);
	assert_int_equal(pdf_revision_end(after, nrev - 1), oldlen);
	assert_int_equal(pdf_revision_end(after, nrev), file->len);
	o = pdf_load(after, *newnum);
	assert_non_null(o);
	s = pdf_str(pdf_get(o, "Hex"), &slen);
	assert_int_equal(slen, 2);
	assert_int_equal(s[1], 0xff);
	o = pdf_getr(after, pdf_catalog(after), "AcroForm");
	assert_int_equal(pdf_kind(o), PDF_DICT);
	assert_int_equal(pdf_page_count(after), 1);
	assert_int_equal(pdf_revision_objects(&nums, &n, after, nrev), 0);
	for (i = 0; i < n; i++)
		assert_true(nums[i] == 1 || nums[i] == *newnum ||
		            (stream_style && nums[i] == *newnum + 1));
	assert_true(n >= 2);
	free(nums);
	/* /ID: first element kept */
	o = pdf_get(pdf_trailer(after), "ID");
	assert_int_equal(pdf_len(o), 2);
	s = pdf_str(pdf_at(o, 0), &slen);
	assert_int_equal(slen, 2);
	assert_memory_equal(s, "\x01\x02", 2);
	pdf_close(after);
	buf_free(&tail);
	buf_free(&cat);
}

static void
test_writer_table(void **state)
{
	struct mk m;
	struct buf orig;
	uint32_t a, b;

	(void)state;
	mk_doc(&m);
	mk_table(&m, 5, " /ID [<0102> <0304>]");
	buf_init(&orig, 1 << 20);
	assert_int_equal(buf_append(&orig, m.b.data, m.b.len), 0);
	update_once(&m.b, 0, &a);
	update_once(&m.b, 0, &b);
	assert_int_equal(b, a + 1);
	assert_memory_equal(m.b.data, orig.data, orig.len);
	buf_free(&orig);
	mk_free(&m);
}

static void
test_writer_stream(void **state)
{
	struct mk m;
	struct pdf_doc *doc = NULL;
	struct pdf_update *u = NULL;
	struct buf tail, dec;
	uint32_t a, b, sn;
	const struct pdf_obj *o;

	(void)state;
	mk_doc(&m);
	mk_xrefstm(&m, 5, 6, " /ID [<0102> <0304>]", 1, 1);
	update_once(&m.b, 1, &a);
	update_once(&m.b, 1, &b);
	/* the first update's xref stream took a + 1 */
	assert_int_equal(b, a + 2);
	/* a Flate stream object, and no end-of-line at the end of the file */
	m.b.len--;
	buf_init(&tail, 1 << 20);
	buf_init(&dec, 1 << 20);
	assert_int_equal(pdf_open(&doc, m.b.data, m.b.len), 0);
	assert_int_equal(pdf_update_begin(&u, doc), 0);
	sn = pdf_update_alloc(u);
	assert_int_equal(
	    pdf_update_put_stream(u, sn, "/Type /EmbeddedFile", "payload", 7, 1), 0);
	assert_int_equal(pdf_update_finish(&tail, u), 0);
	assert_int_equal(tail.data[0], '\n');
	assert_int_equal(pdf_update_finish(&tail, u), SERTEL_ESTATE);
	pdf_update_free(u);
	pdf_close(doc);
	assert_int_equal(buf_append(&m.b, tail.data, tail.len), 0);
	assert_int_equal(pdf_open(&doc, m.b.data, m.b.len), 0);
	o = pdf_load(doc, sn);
	assert_int_equal(pdf_kind(o), PDF_STREAM);
	assert_int_equal(pdf_stream_decode(&dec, doc, o), 0);
	assert_int_equal(dec.len, 7);
	assert_memory_equal(dec.data, "payload", 7);
	pdf_close(doc);
	buf_free(&tail);
	buf_free(&dec);
	mk_free(&m);
}

static void
test_serialize(void **state)
{
	struct mk m;
	struct pdf_doc *doc;
	struct buf b;
	const char *skip[] = {"Title", "Contents", NULL};

	(void)state;
	mk_doc(&m);
	mk_obj(&m, 5,
	       "[1 -2 3.5 -0.25 true false null (a\\)\\\\b\\n) <00ff> /a#20b "
	       "<< /K [ ] >> 4 0 R]");
	mk_table(&m, 6, NULL);
	doc = open_ok(&m);
	buf_init(&b, 1 << 20);
	assert_int_equal(pdf_serialize(&b, pdf_load(doc, 5)), 0);
	assert_int_equal(buf_cstr(&b), 0);
	assert_string_equal((char *)b.data,
	                    "[1 -2 3.5 -0.25 true false null (a\\)\\\\b\\012) "
	                    "<00FF> /a#20b <</K []>> 4 0 R]");
	buf_reset(&b);
	assert_int_equal(pdf_serialize_dict(&b, pdf_load(doc, 3), skip, "/Extra 1"), 0);
	assert_int_equal(buf_cstr(&b), 0);
	assert_string_equal((char *)b.data, "<</Type /Page /Parent 2 0 R /Lit "
	                                    "(a\\(b\\)c \\(nested\\) A\\012x) /N#20x "
	                                    "/A#23B /Extra 1>>");
	buf_reset(&b);
	assert_int_equal(pdf_serialize(&b, pdf_load(doc, 4)), SERTEL_EINVAL);
	buf_free(&b);
	pdf_close(doc);
	mk_free(&m);
}

/* ---- hostile files ------------------------------------------------------------ */

static void
hostile_case(const char *body, const char *want, int load_all)
{
	struct mk m;
	struct pdf_doc *doc = NULL;
	clock_t t0 = clock();

	mk_init(&m);
	mk_obj(&m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	mk_obj(&m, 2, "%s", body);
	mk_table(&m, 3, NULL);
	if (!load_all) {
		refused(m.b.data, m.b.len, want);
	} else {
		assert_int_equal(pdf_open(&doc, m.b.data, m.b.len), 0);
		assert_true(pdf_page_count(doc) < 0 || pdf_load(doc, 2) == NULL);
		expect_err(want);
		pdf_close(doc);
	}
	assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
	mk_free(&m);
}

static void
test_hostile_objects(void **state)
{
	char deep[4096];
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		deep[i] = '[';
	for (; i < 2000; i++)
		deep[i] = ']';
	deep[i] = '\0';
	hostile_case(deep, "nesting deeper than 64", 1);
	hostile_case("<< /A 1 /A 2 >>", "duplicate key /A", 1);
	hostile_case("(never closed", "unterminated string", 1);
	hostile_case("<< /Kids [2 0 R] /Type /Pages /Count 1 >>", "twice", 1);
	hostile_case("<< /Length 99999999 >>\nstream\nabc\nendstream",
	             "runs past the end", 1);
	hostile_case("<< /Length -1 >>\nstream\nabc\nendstream", "runs past the end", 1);
	hostile_case("<< /Length 1 >>\nstream\nabc\nendstream", "no 'endstream'", 1);
	hostile_case("<< /Length 2 0 R >>\nstream\nabc\nendstream", "refers to itself",
	             1);
	hostile_case("99999999999999999999", "number too large", 1);
	hostile_case("<4X>", "bad character in hex string", 1);
	hostile_case("/a#4", "bad #xx escape", 1);
	hostile_case("/a#00", "NUL in name", 1);
	hostile_case("<< /Type /Pages /Kids [1 0 R] /Count 1 >>", "has no /Kids array",
	             1);
	hostile_case("<< /Type /Pages /Kids [7 0 R] /Count 1 >>",
	             "page tree node 7 missing", 1);
}

static void
test_hostile_references(void **state)
{
	struct mk m;
	struct pdf_doc *doc;

	(void)state;
	/* 3 -> 4 -> 3: bounded, damaged */
	mk_doc(&m);
	mk_obj(&m, 5, "6 0 R");
	mk_obj(&m, 6, "5 0 R");
	mk_table(&m, 7, NULL);
	doc = open_ok(&m);
	assert_null(pdf_load(doc, 5));
	expect_err("reference chain");
	/* object number in the file disagrees with the table */
	pdf_close(doc);
	mk_free(&m);
	mk_doc(&m);
	m.off[4] = m.off[3];
	mk_table(&m, 5, NULL);
	doc = open_ok(&m);
	assert_null(pdf_load(doc, 4));
	expect_err("object 3 0 found where the cross-reference says 4 0");
	pdf_close(doc);
	mk_free(&m);
	/* an offset at the end-of-line before the header is fine, one inside
	 * "endobj" is not */
	mk_doc(&m);
	m.off[3]--;
	m.off[2] -= 3;
	mk_table(&m, 5, NULL);
	doc = open_ok(&m);
	assert_non_null(pdf_load(doc, 3));
	assert_null(pdf_load(doc, 2));
	expect_err("no object header");
	pdf_close(doc);
	mk_free(&m);
}

static void
test_hostile_xref(void **state)
{
	struct mk m;
	char tmp[512];
	size_t at, i;
	int n;

	(void)state;
	refused((const unsigned char *)"hello", 5, "no %PDF- header");
	/* /Prev pointing at itself */
	mk_doc(&m);
	at = m.b.len;
	mk_raw(&m,
	       "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 5 /Prev %zu >>\n"
	       "startxref\n%zu\n%%%%EOF\n",
	       at, at);
	refused(m.b.data, m.b.len, "/Prev loop");
	mk_free(&m);
	/* startxref, table offsets, /Size */
	mk_doc(&m);
	mk_raw(&m, "startxref\n999999\n%%%%EOF\n");
	refused(m.b.data, m.b.len, "startxref 999999 is beyond");
	mk_free(&m);
	mk_doc(&m);
	m.off[2] = 123456789;
	mk_table(&m, 5, NULL);
	refused(m.b.data, m.b.len, "offset 123456789 beyond the end");
	mk_free(&m);
	mk_doc(&m);
	mk_table(&m, 5, NULL);
	/* rewrite /Size 5 into an absurd /Size of the same width is not
	 * possible: append a new section instead */
	mk_raw(&m,
	       "xref\n0 0\ntrailer\n<< /Size 999999999 /Root 1 0 R >>\nstartxref\n%zu\n"
	       "%%%%EOF\n",
	       m.b.len);
	refused(m.b.data, m.b.len, "/Size missing or outside");
	mk_free(&m);
	/* a subsection claiming more entries than the file has bytes */
	mk_doc(&m);
	at = m.b.len;
	mk_raw(&m,
	       "xref\n0 5000000\n0000000000 65535 f\r\ntrailer\n<< /Size 5 >>\n"
	       "startxref\n%zu\n%%%%EOF\n",
	       at);
	refused(m.b.data, m.b.len, "longer than the file");
	mk_free(&m);
	/* an entry beyond the section's own /Size */
	mk_doc(&m);
	mk_table(&m, 5, NULL);
	memcpy(strstr((char *)m.b.data + m.b.len - 200, "/Size 5"), "/Size 3", 7);
	refused(m.b.data, m.b.len, "beyond its /Size 3");
	mk_free(&m);
	/* one table listing an object twice */
	mk_doc(&m);
	at = m.b.len;
	mk_raw(
	    &m,
	    "xref\n0 2\n0000000000 65535 f\r\n%010zu 00000 n\r\n1 1\n%010zu 00000 n\r\n"
	    "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    m.off[1], m.off[2], at);
	refused(m.b.data, m.b.len, "lists object 1 twice");
	mk_free(&m);
	/* no %%EOF at all */
	mk_doc(&m);
	mk_table(&m, 5, NULL);
	m.b.len -= 6;
	mk_raw(&m, "%%%%EOX\n");
	refused(m.b.data, m.b.len, "no %%EOF after");
	mk_free(&m);
	/* a chain longer than PDF_MAX_REVISIONS */
	mk_doc(&m);
	mk_table(&m, 5, NULL);
	for (i = 0; i < PDF_MAX_REVISIONS; i++) {
		at = m.b.len;
		n = snprintf(tmp, sizeof(tmp),
		             "xref\n0 0\ntrailer\n<< /Size 5 /Prev %zu "
		             ">>\nstartxref\n%zu\n%%%%EOF\n",
		             m.last_xref, at);
		assert_int_equal(buf_append(&m.b, tmp, (size_t)n), 0);
		m.last_xref = at;
	}
	refused(m.b.data, m.b.len, "more than 4096 revisions");
	mk_free(&m);
}

/* Cross-reference streams with hostile /W, /Index, data, filters. */
static void
xrefstm_case(const char *dict, const void *data, size_t len, const char *want)
{
	struct mk m;
	size_t at;

	mk_doc(&m);
	at = m.b.len;
	mk_stream(&m, 5, dict, data, len);
	mk_raw(&m, "startxref\n%zu\n%%%%EOF\n", at);
	refused(m.b.data, m.b.len, want);
	mk_free(&m);
}

static void
test_hostile_xref_stream(void **state)
{
	unsigned char rows[64] = {0}, *z, *big;
	size_t zl, bl = (size_t)PDF_MAX_STREAM + 4096;

	(void)state;
	xrefstm_case("/Type /XRef /Size 6 /W [1 99 2]", rows, 7,
	             "/W field 1 is not 0..8");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4]", rows, 7, "/W is not an array of 3");
	xrefstm_case("/Type /XRef /Size 6 /W [0 0 0]", rows, 7, "empty /W");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2] /Index [0 7]", rows, 7,
	             "/Index range beyond /Size 6");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2] /Index [4000000000 1]", rows, 7,
	             "/Index range beyond");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2] /Index [0]", rows, 7,
	             "/Index is not pairs");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2]", rows, 7,
	             "6 entries need 42 bytes");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2] /Filter /LZWDecode", rows, 42,
	             "filter /LZWDecode is not supported");
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2] /Filter /FlateDecode", rows, 42,
	             "FlateDecode: corrupt data");
	xrefstm_case("/Type /XRef /Size 99999999 /W [1 4 2]", rows, 7,
	             "/Size missing or outside");
	xrefstm_case("/Type /Foo /Size 6 /W [1 4 2]", rows, 7, "neither an xref table");
	{
		/* 7.5.8.2: the entries of a cross-reference stream are direct */
		struct mk m;
		size_t at;
		mk_doc(&m);
		at = m.b.len;
		mk_raw(&m,
		       "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Length 4 0 R >>\n"
		       "stream\nabcdefg\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n",
		       at);
		refused(m.b.data, m.b.len, "/Length must be direct");
		mk_free(&m);
	}
	/* type 1 entry pointing beyond the file */
	rows[0] = 1;
	rows[1] = 0x7f;
	xrefstm_case("/Type /XRef /Size 1 /W [1 4 2]", rows, 7,
	             "beyond the end of the file");
	/* generation beyond 65535 */
	memset(rows, 0, sizeof(rows));
	rows[0] = 1;
	rows[4] = 9;
	rows[5] = rows[6] = rows[7] = 0xff;
	xrefstm_case("/Type /XRef /Size 1 /W [1 4 3]", rows, 8, "generation of object 0");
	/* PNG predictor with a bad row type */
	memset(rows, 0, sizeof(rows));
	rows[0] = 9;
	zip(&z, &zl, rows, 8);
	xrefstm_case("/Type /XRef /Size 1 /W [1 4 2] /Filter /FlateDecode /DecodeParms "
	             "<< /Predictor 12 /Columns 7 >>",
	             z, zl, "bad row type");
	free(z);
	/* a decompression bomb: more than PDF_MAX_STREAM of zeros */
	big = calloc(1, bl);
	assert_non_null(big);
	zip(&z, &zl, big, bl);
	free(big);
	xrefstm_case("/Type /XRef /Size 6 /W [1 4 2] /Filter /FlateDecode", z, zl,
	             "decodes to more than 268435456 bytes");
	free(z);
}

static void
test_hostile_object_streams(void **state)
{
	const char *bodies[] = {"<< /Type /Catalog /Pages 2 0 R >>", "(two)"};
	struct mk m;
	struct pdf_doc *doc;

	(void)state;
	/* object 2 claims index 1 of stream 5, which holds object 2 at index 1
	 * fine; object 3 claims stream 4, which is not an object stream */
	mk_init(&m);
	mk_objstm(&m, 5, 1, bodies, 2, 1);
	mk_obj(&m, 4, "<< /Type /Foo >>");
	m.type[3] = 2;
	m.stm[3] = 4;
	m.idx[3] = 0;
	m.type[6] = 2; /* object 6: index 7 of stream 5 */
	m.stm[6] = 5;
	m.idx[6] = 7;
	m.type[8] = 2; /* object 8: in a stream that is itself compressed */
	m.stm[8] = 6;
	m.type[9] = 2; /* object 9: also in the bad stream 4 */
	m.stm[9] = 4;
	m.idx[9] = 1;
	mk_xrefstm(&m, 7, 10, NULL, 0, 1);
	doc = open_ok(&m);
	assert_non_null(pdf_load(doc, 1));
	assert_non_null(pdf_load(doc, 2));
	assert_null(pdf_load(doc, 3));
	expect_err("not a valid object stream");
	/* a failed object stream is not decoded again */
	assert_null(pdf_load(doc, 9));
	expect_err("object stream 4 is damaged");
	assert_null(pdf_load(doc, 6));
	expect_err("object 6 is not at index 7 of object stream 5");
	assert_null(pdf_load(doc, 8));
	expect_err("object stream 6 is not a plain object");
	pdf_close(doc);
	mk_free(&m);
	/* an object stream whose /Length is an object inside it */
	mk_init(&m);
	m.off[5] = m.b.len;
	m.type[5] = 1;
	mk_raw(&m, "5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length 1 0 R >>\nstream\n"
	           "1 0 7\nendstream\nendobj\n");
	m.type[1] = 2;
	m.stm[1] = 5;
	mk_xrefstm(&m, 6, 7, NULL, 0, 1);
	doc = open_ok(&m);
	assert_null(pdf_load(doc, 1));
	expect_err("object 1 refers to itself while loading");
	assert_null(pdf_catalog(doc));
	pdf_close(doc);
	mk_free(&m);
}

static void
test_content_scanner(void **state)
{
	static const char *bad[] = {"1 2 3",   "(open Tj",     "BI /W 1 ID abc",
	                            "[1 2 Tj", "<< /A >> BDC", NULL};
	struct pdf_cs *cs = NULL;
	const char *op;
	const struct pdf_obj *const *args;
	size_t n, i;
	int rc;
	static const char good[] =
	    "/OC << /MCID 3 >> BDC [(a) -10 (b)] TJ EMC 1 0 0 1 0 0 cm";

	(void)state;
	assert_int_equal(pdf_cs_open(&cs, (const unsigned char *)good, sizeof(good) - 1),
	                 0);
	assert_int_equal(pdf_cs_next(cs, &op, &args, &n), 1);
	assert_string_equal(op, "BDC");
	assert_int_equal(n, 2);
	assert_int_equal(pdf_kind(args[1]), PDF_DICT);
	assert_int_equal(pdf_cs_next(cs, &op, &args, &n), 1);
	assert_string_equal(op, "TJ");
	assert_int_equal(pdf_len(args[0]), 3);
	assert_int_equal(pdf_cs_next(cs, &op, &args, &n), 1);
	assert_string_equal(op, "EMC");
	assert_int_equal(pdf_cs_next(cs, &op, &args, &n), 1);
	assert_string_equal(op, "cm");
	assert_int_equal(n, 6);
	assert_int_equal(pdf_cs_next(cs, &op, &args, &n), 0);
	pdf_cs_free(cs);
	for (i = 0; bad[i] != NULL; i++) {
		assert_int_equal(
		    pdf_cs_open(&cs, (const unsigned char *)bad[i], strlen(bad[i])), 0);
		while ((rc = pdf_cs_next(cs, &op, &args, &n)) > 0)
			;
		if (rc == 0)
			fail_msg("content '%s' accepted", bad[i]);
		pdf_cs_free(cs);
	}
}

/* test_pdf corpus DIR: the hand-written files as a fuzzing seed corpus. */
static void
save(const char *dir, const char *name, const struct buf *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (file_write(path, b->data, b->len, 0644) < 0) {
		fprintf(stderr, "%s\n", sertel_errmsg());
		exit(2);
	}
}

static int
write_corpus(const char *dir)
{
	const char *bodies[] = {"<< /Type /Catalog /Pages 2 0 R >>",
	                        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	                        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"};
	struct mk m;
	uint32_t a;
	char extra[64];
	size_t xs;

	mk_doc(&m);
	mk_table(&m, 5, " /ID [<0102> <0304>]");
	save(dir, "classic.pdf", &m.b);
	update_once(&m.b, 0, &a);
	update_once(&m.b, 0, &a);
	save(dir, "classic-updated.pdf", &m.b);
	mk_free(&m);
	mk_doc(&m);
	mk_xrefstm(&m, 5, 6, " /ID [<0102> <0304>]", 1, 1);
	save(dir, "xrefstm.pdf", &m.b);
	update_once(&m.b, 1, &a);
	save(dir, "xrefstm-updated.pdf", &m.b);
	mk_free(&m);
	mk_init(&m);
	mk_objstm(&m, 5, 1, bodies, 3, 1);
	mk_stream(&m, 4, "", "0 0 m 1 1 l S", 13);
	mk_xrefstm(&m, 6, 7, NULL, 0, 1);
	save(dir, "objstm.pdf", &m.b);
	mk_free(&m);
	mk_init(&m);
	mk_obj(&m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	mk_obj(&m, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	mk_objstm(&m, 5, 3, bodies + 2, 1, 1);
	mk_stream(&m, 4, "", "(x) Tj", 6);
	xs = mk_xrefstm(&m, 6, 7, NULL, 0, 0);
	m.type[3] = 0;
	m.dirty[6] = 0;
	snprintf(extra, sizeof(extra), " /XRefStm %zu", xs);
	mk_table(&m, 7, extra);
	save(dir, "hybrid.pdf", &m.b);
	mk_free(&m);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "corpus") == 0)
		return write_corpus(argv[2]);
	{
		const struct CMUnitTest tests[] = {
		    cmocka_unit_test(test_classic_table),
		    cmocka_unit_test(test_xref_stream_predictor),
		    cmocka_unit_test(test_object_streams),
		    cmocka_unit_test(test_hybrid),
		    cmocka_unit_test(test_indirect_length),
		    cmocka_unit_test(test_incremental_chain),
		    cmocka_unit_test(test_writer_table),
		    cmocka_unit_test(test_writer_stream),
		    cmocka_unit_test(test_serialize),
		    cmocka_unit_test(test_hostile_objects),
		    cmocka_unit_test(test_hostile_references),
		    cmocka_unit_test(test_hostile_xref),
		    cmocka_unit_test(test_hostile_xref_stream),
		    cmocka_unit_test(test_hostile_object_streams),
		    cmocka_unit_test(test_content_scanner),
		};
		return cmocka_run_group_tests(tests, NULL, NULL);
	}
}
