/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text extraction for markers (src/pdf/font.c, src/pdf/text.c): the CMap
 * parser (codespace ranges of 1-4 bytes, bfchar, both forms of bfrange,
 * cidrange), the standard encodings and glyph names, and pdf_text_find()
 * over small hand-made files: a Type0 Identity-H font with /W, a simple
 * font with /Differences, ToUnicode preferred, an unmapped code, a form
 * XObject, a form loop, hostile CMaps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pdf/pdf_int.h"

static struct pdf_cmap *
cmap(const char *s)
{
	struct pdf_cmap *cm = NULL;

	assert_int_equal(pdf_cmap_parse(&cm, (const unsigned char *)s, strlen(s)), 0);
	assert_non_null(cm);
	return cm;
}

static void
test_cmap_codespace(void **state)
{
	struct pdf_cmap *cm;
	uint32_t code;

	(void)state;
	/* Shift-JIS-like: one byte 00-80, two bytes 81-9F 40-FC, and a
	 * four-byte range. */
	cm = cmap("3 begincodespacerange <00> <80> <8140> <9FFC> <A0000000> <A0FFFFFF> "
	          "endcodespacerange");
	assert_int_equal(pdf_cmap_code(cm, (const unsigned char *)"\x41\x82", 2, &code),
	                 1);
	assert_int_equal(code, 0x41);
	assert_int_equal(pdf_cmap_code(cm, (const unsigned char *)"\x82\x41", 2, &code),
	                 2);
	assert_int_equal(code, 0x8241);
	assert_int_equal(
	    pdf_cmap_code(cm, (const unsigned char *)"\xa0\x01\x02\x03", 4, &code), 4);
	assert_int_equal(code, 0xa0010203);
	/* in no range: one byte that means nothing */
	assert_int_equal(pdf_cmap_code(cm, (const unsigned char *)"\x90\x20", 2, &code),
	                 1);
	assert_int_equal(code, 0xFFFFFFFFu);
	pdf_cmap_free(cm);
}

static void
test_cmap_bf(void **state)
{
	struct pdf_cmap *cm;
	uint32_t d[PDF_CMAP_MAX_DST];

	(void)state;
	cm = cmap(
	    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	    "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
	    "3 beginbfchar <0003> <0024> <0004> <D83DDE00> <0005> <00660069>\n"
	    "endbfchar\n"
	    "2 beginbfrange <0010> <001F> <0041> <0020> <0022> [<0078> <0079> <007A>]\n"
	    "endbfrange endcmap CMapName currentdict /CMap defineresource pop end end\n");
	assert_int_equal(pdf_cmap_map(cm, 0x0003, 2, d), 1);
	assert_int_equal(d[0], '$');
	/* a surrogate pair is one code point */
	assert_int_equal(pdf_cmap_map(cm, 0x0004, 2, d), 1);
	assert_int_equal(d[0], 0x1F600);
	/* several code points for one code */
	assert_int_equal(pdf_cmap_map(cm, 0x0005, 2, d), 2);
	assert_int_equal(d[0], 'f');
	assert_int_equal(d[1], 'i');
	/* bfrange with a string counts up; with an array, one each */
	assert_int_equal(pdf_cmap_map(cm, 0x0012, 2, d), 1);
	assert_int_equal(d[0], 'C');
	assert_int_equal(pdf_cmap_map(cm, 0x0022, 2, d), 1);
	assert_int_equal(d[0], 'z');
	/* unmapped, and the right code of the wrong length */
	assert_int_equal(pdf_cmap_map(cm, 0x0030, 2, d), 0);
	assert_int_equal(pdf_cmap_map(cm, 0x03, 1, d), 0);
	pdf_cmap_free(cm);
}

static void
test_cmap_cid_and_hostile(void **state)
{
	struct pdf_cmap *cm = NULL;
	uint32_t d[PDF_CMAP_MAX_DST];
	const char *bad = "1 beginbfchar <0001 endbfchar";

	(void)state;
	cm = cmap(
	    "1 begincodespacerange <00> <FF> endcodespacerange "
	    "1 begincidrange <20> <7E> 100 endcidrange 1 begincidchar <0A> 7 endcidchar");
	assert_int_equal(pdf_cmap_map(cm, 0x21, 1, d), 1);
	assert_int_equal(d[0], 101);
	assert_int_equal(pdf_cmap_map(cm, 0x0A, 1, d), 1);
	assert_int_equal(d[0], 7);
	pdf_cmap_free(cm);
	/* reversed ranges, five-byte codes, a lone surrogate, wrong types:
	 * skipped, not guessed */
	cm = cmap("2 beginbfrange <0020> <0010> <0041> <0000000001> <0000000002> <0041> "
	          "endbfrange 3 beginbfchar <01> <D800> <02> 5 <03> [1] endbfchar");
	assert_int_equal(pdf_cmap_map(cm, 0x0015, 2, d), 0);
	assert_int_equal(pdf_cmap_map(cm, 0x01, 1, d), 0);
	assert_int_equal(pdf_cmap_map(cm, 0x02, 1, d), 0);
	pdf_cmap_free(cm);
	/* a syntax error is an error */
	cm = NULL;
	assert_true(pdf_cmap_parse(&cm, (const unsigned char *)bad, strlen(bad)) < 0);
	assert_null(cm);
}

static void
test_encodings(void **state)
{
	(void)state;
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_WINANSI, 0x24), '$');
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_WINANSI, 0x80), 0x20AC);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_WINANSI, 0xE9), 0xE9);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_WINANSI, 0x81), 0);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_MACROMAN, 0x8E), 0xE9);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_MACROMAN, 0xD5), 0x2019);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_STANDARD, 0x27), 0x2019);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_STANDARD, 0xE1), 0xC6);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_STANDARD, 0xC0), 0);
	assert_int_equal(pdf_encoding_unicode(PDF_ENC_NONE, 'A'), 0);
	assert_int_equal(pdf_glyph_unicode("A"), 'A');
	assert_int_equal(pdf_glyph_unicode("dollar"), '$');
	assert_int_equal(pdf_glyph_unicode("bracketleft"), '[');
	assert_int_equal(pdf_glyph_unicode("underscore"), '_');
	assert_int_equal(pdf_glyph_unicode("eacute"), 0xE9);
	assert_int_equal(pdf_glyph_unicode("quoteright"), 0x2019);
	assert_int_equal(pdf_glyph_unicode("a.sc"), 'a');
	assert_int_equal(pdf_glyph_unicode("uni0041"), 'A');
	assert_int_equal(pdf_glyph_unicode("uni00410042"), 'A');
	assert_int_equal(pdf_glyph_unicode("u1F600"), 0x1F600);
	assert_int_equal(pdf_glyph_unicode("uniD800"), 0);
	assert_int_equal(pdf_glyph_unicode("uni004g"), 0);
	assert_int_equal(pdf_glyph_unicode("glyph123"), 0);
	assert_int_equal(pdf_glyph_unicode(""), 0);
}

/* ---- pdf_text_find over hand-made files ----------------------------------- */

/* A one-page file: objects 1 catalog, 2 pages, 3 page (fonts F1..F3 =
 * objects 5..7, XObject /X = 8), 4 content, then extra objects from 5. */
static void
make_pdf(struct buf *out, const char *content, const char *const *objs, size_t nobj)
{
	size_t off[16], i, xref, n = 4 + nobj;

	assert_true(n < 16);
	buf_init(out, 1 << 20);
	assert_int_equal(buf_appendf(out, "%%PDF-1.7\n"), 0);
	off[1] = out->len;
	assert_int_equal(
	    buf_appendf(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"), 0);
	off[2] = out->len;
	assert_int_equal(
	    buf_appendf(out,
	                "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"),
	    0);
	off[3] = out->len;
	assert_int_equal(
	    buf_appendf(
	        out, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] "
	             "/Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R /F4 12 0 R >> "
	             "/XObject << /X 8 0 R >> >> /Contents 4 0 R >>\nendobj\n"),
	    0);
	off[4] = out->len;
	assert_int_equal(
	    buf_appendf(out,
	                "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
	                strlen(content) + 1, content),
	    0);
	for (i = 0; i < nobj; i++) {
		off[5 + i] = out->len;
		assert_int_equal(
		    buf_appendf(out, "%zu 0 obj\n%s\nendobj\n", 5 + i, objs[i]), 0);
	}
	xref = out->len;
	assert_int_equal(buf_appendf(out, "xref\n0 %zu\n0000000000 65535 f \n", n + 1),
	                 0);
	for (i = 1; i <= n; i++)
		assert_int_equal(buf_appendf(out, "%010zu 00000 n \n", off[i]), 0);
	assert_int_equal(
	    buf_appendf(out,
	                "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	                n + 1, xref),
	    0);
}

static char tou_cid[512];
static char form_obj[1024];

static const char *objs[8];
static char fan_y[1024], fan_z[1024];

static void
setup_objs(const char *form_body)
{
	static const char tou[] =
	    "1 begincodespacerange <0000> <FFFF> endcodespacerange "
	    "2 beginbfrange <0003> <0006> <0023> <0010> <0011> [<005B> <005D>] "
	    "endbfrange";

	snprintf(tou_cid, sizeof(tou_cid), "<< /Length %zu >>\nstream\n%s\nendstream",
	         strlen(tou), tou);
	snprintf(form_obj, sizeof(form_obj),
	         "<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [2 0 0 2 "
	         "10 20] "
	         "/Length %zu >>\nstream\n%s\nendstream",
	         strlen(form_body), form_body);
	/* F1: Type0 Identity-H, W: CID 3..6 width 500, DW 1000 */
	objs[0] =
	    "<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+X /Encoding /Identity-H "
	    "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 1000 "
	    "/W [3 [500 500] 5 6 500] >>] /ToUnicode 9 0 R >>";
	/* F2: subset simple font, Differences, no base encoding */
	objs[1] = "<< /Type /Font /Subtype /TrueType /BaseFont /BBBBBB+Y /FirstChar 36 "
	          "/LastChar 40 "
	          "/Widths [600 600 600 600 600] /Encoding << /Differences [36 /A "
	          "/dollar /uni0042] >> >>";
	/* F3: WinAnsi Helvetica with a ToUnicode that says 0x41 is "Z" */
	objs[2] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
	          "/WinAnsiEncoding "
	          "/ToUnicode 9 0 R >>";
	objs[3] = form_obj;
	objs[4] = tou_cid;
	objs[5] = "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 0 "
	          ">>\nstream\n\nendstream";
	objs[6] = objs[5];
	/* F4: a subset font, no encoding, no ToUnicode: its codes mean nothing */
	objs[7] = "<< /Type /Font /Subtype /TrueType /BaseFont /CCCCCC+Z /FirstChar 32 "
	          "/LastChar 64 "
	          "/Widths [] >>";
}

static int
find(const char *content, const char *needle, double rect[4])
{
	struct buf pdf;
	struct pdf_doc *doc = NULL;
	int page = -1, rc;

	make_pdf(&pdf, content, objs, 8);
	assert_int_equal(pdf_open(&doc, pdf.data, pdf.len), 0);
	rc = pdf_text_find(doc, needle, &page, rect);
	if (rc == 0)
		assert_int_equal(page, 0);
	pdf_close(doc);
	buf_free(&pdf);
	return rc;
}

static void
near(double got, double want)
{
	if (got < want - 0.01 || got > want + 0.01)
		fail_msg("got %.3f, expected %.3f", got, want);
}

static void
test_find_fonts(void **state)
{
	double r[4];

	(void)state;
	setup_objs("BT /F1 10 Tf 0 0 Td <00030010> Tj ET");
	/* Identity-H: <0003> is "#" by ToUnicode, at 100; <0004> "$" after
	 * 500/1000 * 10 = 5 */
	assert_int_equal(find("BT /F1 10 Tf 100 200 Td <000300040005> Tj ET", "$%", r),
	                 0);
	near(r[0], 105);
	near(r[1], 200);
	near(r[2], 115);
	near(r[3], 210);
	/* split over Tj and TJ with a small kern: still one word */
	assert_int_equal(
	    find("BT /F1 10 Tf 100 200 Td <0003> Tj [<0004> -10 <0005>] TJ ET", "#$%", r),
	    0);
	/* a wide TJ gap is a space */
	assert_int_equal(
	    find("BT /F1 10 Tf 100 200 Td [<0003> -600 <0004>] TJ ET", "#$", r),
	    SERTEL_ENOTFOUND);
	assert_int_equal(
	    find("BT /F1 10 Tf 100 200 Td [<0003> -600 <0004>] TJ ET", "# $", r), 0);
	/* a code without ToUnicode entry (CID 0x0020) matches nothing */
	assert_int_equal(find("BT /F1 10 Tf 100 200 Td <00030020> Tj ET", "# ", r), 0);
	assert_int_equal(find("BT /F1 10 Tf 100 200 Td <00200003> Tj ET", " #", r), 0);
	/* subset simple font: code 0x24 is "A", 0x25 "$", 0x26 "B" */
	assert_int_equal(find("BT /F2 10 Tf 50 60 Td (\\$%&) Tj ET", "A$B", r), 0);
	near(r[0], 50);
	assert_int_equal(find("BT /F2 10 Tf 50 60 Td (\\$) Tj ET", "$", r),
	                 SERTEL_ENOTFOUND);
	/* 0x27 has no name and no base encoding: nothing */
	assert_int_equal(find("BT /F2 10 Tf 50 60 Td (') Tj ET", "'", r),
	                 SERTEL_ENOTFOUND);
	/* ToUnicode first (a one-byte code is not in the two-byte map, so the
	 * encoding says "A") */
	assert_int_equal(find("BT /F3 10 Tf 0 0 Td (A\\351) Tj ET", "A\xc3\xa9", r), 0);
	assert_int_equal(find("", "x", r), SERTEL_ENOTFOUND);
	assert_int_equal(find("BT ET", "", r), SERTEL_EINVAL);
	assert_int_equal(find("BT ET", "\xff", r), SERTEL_EINVAL);
}

static void
test_find_form(void **state)
{
	double r[4];

	(void)state;
	/* the form's Matrix (2x, +10 +20) after the page's cm (+100 +0):
	 * origin at 100 + 10 + 2 * 5 = 120, y 20 + 2 * 7 = 34, size 20 */
	setup_objs("BT /F1 10 Tf 5 7 Td <0010> Tj (ignored) Tj ET");
	assert_int_equal(find("q 1 0 0 1 100 0 cm /X Do Q", "[", r), 0);
	near(r[0], 120);
	near(r[1], 34);
	near(r[3], 54);
	/* used twice, found in each place; the second is after the first */
	setup_objs("BT /F1 10 Tf 0 0 Td <0010> Tj ET");
	assert_int_equal(find("/X Do q 1 0 0 1 0 300 cm /X Do Q", "[ [", r), 0);
	near(r[1], 20);
	near(r[3], 340);
	/* a form that draws itself: drawn once, no endless loop */
	setup_objs("BT /F1 10 Tf 0 0 Td <0011> Tj ET /X Do");
	assert_int_equal(find("/X Do", "]", r), 0);
	assert_int_equal(find("/X Do", "] ]", r), SERTEL_ENOTFOUND);
	/* Q inside a form cannot pop the page's state */
	setup_objs("Q Q Q 1 0 0 1 500 500 cm");
	assert_int_equal(
	    find("q 1 0 0 1 100 0 cm /X Do BT /F1 10 Tf 0 0 Td <0003> Tj ET Q", "#", r),
	    0);
	near(r[0], 100);
}

/* "/N Do" n times, as a form whose /N is object next. */
static void
fan_form(char *out, size_t outsz, const char *name, int next, int n)
{
	char body[700];
	size_t len = 0;
	int i;

	for (i = 0; i < n && len + 8 < sizeof(body); i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len, "/%s Do ", name);
	snprintf(out, outsz,
	         "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << "
	         "/XObject << /%s "
	         "%d 0 R >> >> /Length %zu >>\nstream\n%s\nendstream",
	         name, next, len, body);
}

static void
test_find_bounds(void **state)
{
	double r[4];

	(void)state;
	setup_objs("");
	/* a subset font with no encoding and no ToUnicode: "$" (0x24) is
	 * whatever its glyph is, so it is nothing */
	assert_int_equal(find("BT /F4 10 Tf 0 0 Td ($) Tj ET", "$", r), SERTEL_ENOTFOUND);
	/* Type3: widths in glyph space through /FontMatrix (50 * 0.01 = 0.5) */
	objs[7] = "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] "
	          "/FontMatrix [0.01 0 0 0.01 0 0] /CharProcs << >> /Resources << >> "
	          "/FirstChar 65 /LastChar 66 /Widths [50 50] "
	          "/Encoding << /Type /Encoding /Differences [65 /dollar /uni0041] >> >>";
	assert_int_equal(find("BT /F4 10 Tf 0 0 Td (AB) Tj ET", "$A", r), 0);
	assert_int_equal(find("BT /F4 10 Tf 0 0 Td (AB) Tj ET", "A", r), 0);
	near(r[0], 5);
	near(r[2], 10);
	/* forms that use forms 80 x 80 x 80 times: refused early, not half a
	 * million scans */
	setup_objs("");
	fan_form(form_obj, sizeof(form_obj), "Y", 10, 80);
	fan_form(fan_y, sizeof(fan_y), "Z", 11, 80);
	fan_form(fan_z, sizeof(fan_z), "W", 11, 80);
	objs[5] = fan_y;
	objs[6] = fan_z;
	assert_int_equal(find("/X Do", "x", r), SERTEL_ETOOBIG);
	assert_non_null(strstr(sertel_errmsg(), "form uses"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cmap_codespace),       cmocka_unit_test(test_cmap_bf),
	    cmocka_unit_test(test_cmap_cid_and_hostile), cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_find_fonts),           cmocka_unit_test(test_find_form),
	    cmocka_unit_test(test_find_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
