/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verifier on hostile input: PDFs whose signature dictionaries lie
 * (ByteRange out of range, of the wrong shape, Contents that is not CMS),
 * form fields that loop, detached signatures that are not CMS, and the
 * report rendering.  The real signatures (podofosign, pdfsig, sertel) and
 * the attack files are in test_verify.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sign/sign.h"

/* A classic-xref PDF of objects 1..n (object 1 the catalog). */
static void
build_pdf(struct buf *out, const char *const *objs, size_t n)
{
	size_t offs[32], i, xref;

	assert_true(n < 32);
	buf_init(out, 1 << 20);
	assert_int_equal(buf_appendf(out, "%%PDF-1.7\n"), 0);
	for (i = 0; i < n; i++) {
		offs[i] = out->len;
		assert_int_equal(
		    buf_appendf(out, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]), 0);
	}
	xref = out->len;
	assert_int_equal(buf_appendf(out, "xref\n0 %zu\n0000000000 65535 f \n", n + 1),
	                 0);
	for (i = 0; i < n; i++)
		assert_int_equal(buf_appendf(out, "%010zu 00000 n \n", offs[i]), 0);
	assert_int_equal(
	    buf_appendf(out,
	                "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	                n + 1, xref),
	    0);
}

static const struct verify_opts offline = {.offline = 1, .lang = "en"};

static void
test_not_a_pdf(void **state)
{
	struct verify_report *r = NULL;
	static const unsigned char junk[] = "hello, not a PDF at all";

	(void)state;
	assert_true(verify_pdf(&r, junk, sizeof(junk) - 1, &offline) < 0);
	assert_null(r);
}

static void
test_unsigned_pdf(void **state)
{
	static const char *const objs[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
	};
	struct verify_report *r = NULL;
	struct buf b;
	char *s = NULL;

	(void)state;
	build_pdf(&b, objs, 3);
	assert_int_equal(verify_pdf(&r, b.data, b.len, &offline), 0);
	assert_non_null(r);
	assert_int_equal(r->nsigs, 0);
	assert_int_equal(r->verdict, VERIFY_INDETERMINATE);
	assert_int_equal(verify_report_exit(r), 1);
	assert_int_equal(verify_report_json(&s, r), 0);
	assert_non_null(strstr(s, "\"verdict\":\"indeterminate\""));
	assert_non_null(strstr(s, "\"signatures\":[]"));
	free(s);
	assert_int_equal(verify_report_text(&s, r, "id"), 0);
	assert_non_null(strstr(s, "Dokumen: BELUM DAPAT DIPASTIKAN"));
	assert_non_null(strstr(s, "not signed")); /* the message: opts->lang */
	free(s);
	verify_report_free(r);
	buf_free(&b);
}

/* One signature field whose dictionary has the given ByteRange and
 * Contents: never valid, never a crash.  parses: 1 the parser accepts the
 * dictionary, 0 it refuses it (no signature found), -1 either. */
static void
one_bad_sig(const char *byterange, const char *contents, int want_br_ok, int parses)
{
	char sigdict[512];
	const char *objs[] = {
	    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> "
	    ">>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Annots [4 0 R] >>",
	    "<< /FT /Sig /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /T (S1) /P 3 0 R "
	    "/V 5 0 R >>",
	    sigdict,
	};
	struct verify_report *r = NULL;
	struct buf b;
	char *s = NULL;

	snprintf(
	    sigdict, sizeof(sigdict),
	    "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange %s /Contents %s >>",
	    byterange, contents);
	build_pdf(&b, objs, 5);
	assert_int_equal(verify_pdf(&r, b.data, b.len, &offline), 0);
	assert_int_not_equal(r->verdict, VERIFY_VALID);
	if (parses == 0 || (parses < 0 && r->nsigs == 0)) {
		/* The parser refuses the signature dictionary: no signature
		 * is found, and the document is not valid either. */
		assert_int_equal(r->nsigs, 0);
		verify_report_free(r);
		buf_free(&b);
		return;
	}
	assert_int_equal(r->nsigs, 1);
	assert_int_not_equal(r->sigs[0].verdict, VERIFY_VALID);
	assert_int_not_equal(r->verdict, VERIFY_VALID);
	assert_int_equal(r->sigs[0].byterange_ok, want_br_ok);
	assert_int_equal(r->sigs[0].signature_ok, 0);
	assert_string_equal(r->sigs[0].field, "S1");
	assert_int_equal(verify_report_json(&s, r), 0);
	free(s);
	assert_int_equal(verify_report_text(&s, r, "en"), 0);
	free(s);
	verify_report_free(r);
	buf_free(&b);
}

static void
test_hostile_byteranges(void **state)
{
	(void)state;
	one_bad_sig("[0 -5 99999999999 7]", "<3082000a>", 0, 1);
	one_bad_sig("[0 10 20]", "<3082000a>", 0, 1);
	one_bad_sig("[0 1.5 20 3]", "<3082000a>", 0, 1);
	one_bad_sig("(not an array)", "<3082000a>", 0, 1);
	one_bad_sig("[0 0 0 0]", "<>", 0, 1);
	/* At the edge of the parser's integers: refused or examined. */
	one_bad_sig("[0 9223372036854775807 9223372036854775807 9223372036854775807]",
	            "<3082000a>", 0, -1);
	one_bad_sig("[0 4294967296 4294967297 4294967298]", "<3082000a>", 0, 1);
	one_bad_sig("[0 99999999999999999999999 1 1]", "<3082000a>", 0, 0);
	one_bad_sig("[0 100 200 300]", "(a literal string)", 0, 1);
}

static void
test_looping_fields(void **state)
{
	static const char *const objs[] = {
	    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 4 0 R] >> >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
	    "<< /T (loop) /Kids [4 0 R 5 0 R] >>",
	    "<< /T (inner) /Parent 4 0 R /Kids [4 0 R] >>",
	};
	struct verify_report *r = NULL;
	struct buf b;

	(void)state;
	build_pdf(&b, objs, 5);
	assert_int_equal(verify_pdf(&r, b.data, b.len, &offline), 0);
	assert_int_equal(r->nsigs, 0);
	verify_report_free(r);
	buf_free(&b);
}

/* A signature the form does not reach, or whose dictionary is damaged,
 * is counted, never silently dropped: the document is not valid. */
static void
test_unreadable_signatures(void **state)
{
	static const char *const stray[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
	    "<< /Type /Sig /ByteRange [0 10 20 30] /Contents <3082> >>",
	};
	static const char *const damaged[] = {
	    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
	    "<< /FT /Sig /T (S1) /V 5 0 R >>",
	    "<< /Type /Sig /ByteRange [0 10 20 30] /Contents <30zz82> >>",
	};
	struct verify_report *r = NULL;
	struct buf b;

	(void)state;
	build_pdf(&b, stray, 4);
	assert_int_equal(verify_pdf(&r, b.data, b.len, &offline), 0);
	assert_int_equal(r->nsigs, 0);
	assert_int_equal(r->nunreadable, 1);
	assert_int_equal(r->verdict, VERIFY_INDETERMINATE);
	verify_report_free(r);
	buf_free(&b);
	build_pdf(&b, damaged, 5);
	assert_int_equal(verify_pdf(&r, b.data, b.len, &offline), 0);
	assert_int_equal(r->nsigs, 0);
	assert_true(r->nunreadable >= 1);
	assert_int_not_equal(r->verdict, VERIFY_VALID);
	verify_report_free(r);
	buf_free(&b);
}

static void
test_detached_garbage(void **state)
{
	struct verify_report *r = NULL;
	static const unsigned char content[] = "isi";
	static const unsigned char junk[] = {0x30, 0x82, 0xff, 0xff, 0x01};
	static const char pem[] = "-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n";

	(void)state;
	assert_true(verify_detached(&r, content, 3, junk, sizeof(junk), &offline) < 0);
	assert_null(r);
	assert_true(verify_detached(&r, content, 3, (const unsigned char *)pem,
	                            sizeof(pem) - 1, &offline) < 0);
	assert_null(r);
	assert_true(verify_detached(&r, content, 3, junk, 0, &offline) < 0);
	assert_null(r);
}

static void
test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(verify_verdict_name(VERIFY_VALID), "valid");
	assert_string_equal(verify_verdict_name(VERIFY_INVALID), "invalid");
	assert_string_equal(verify_verdict_name(VERIFY_INDETERMINATE), "indeterminate");
	assert_int_equal(verify_report_exit(NULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_not_a_pdf),
	    cmocka_unit_test(test_unsigned_pdf),
	    cmocka_unit_test(test_hostile_byteranges),
	    cmocka_unit_test(test_looping_fields),
	    cmocka_unit_test(test_unreadable_signatures),
	    cmocka_unit_test(test_detached_garbage),
	    cmocka_unit_test(test_verdict_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
