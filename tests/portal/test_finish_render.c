/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The signing page's previews in a limited child (src/render/render.c,
 * `sertel render-page`): a normal page is a PNG; a page that takes
 * poppler seconds is stopped by the child's RLIMIT_CPU and, when that is
 * higher, by the parent's wall clock; an answer over its size bound is
 * cut; what is not a PDF, and a binary that cannot run, are errors with
 * their reason; after every call no child is left (waitpid: ECHILD).
 * The child is the sertel binary of this build (SERTEL_BIN).
 */
#include "testutil.h"

#include <errno.h>
#include <sys/wait.h>
#include <time.h>

#include "core/core.h"
#include "render/render.h"

/* A one-page PDF with content stream(s) given: objects 1..3 the catalog,
 * pages, page; 4 the page's content; extra objects after. */
static char *
pdf_make(size_t *len, const char *page_res, const char *content, const char *const *extra,
         size_t nextra)
{
	struct buf b;
	size_t offs[16], n = 0, i;
	size_t xref;

	buf_init(&b, 64 * 1024 * 1024);
	buf_appendf(&b, "%%PDF-1.4\n");
	offs[n++] = b.len;
	buf_appendf(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offs[n++] = b.len;
	buf_appendf(&b, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	offs[n++] = b.len;
	buf_appendf(&b,
	            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
	            "/Contents 4 0 R /Resources << %s >> >>\nendobj\n",
	            page_res);
	offs[n++] = b.len;
	buf_appendf(&b, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
	            strlen(content), content);
	for (i = 0; i < nextra; i++) {
		offs[n++] = b.len;
		buf_appendf(&b, "%zu 0 obj\n%s\nendobj\n", n, extra[i]);
	}
	xref = b.len;
	buf_appendf(&b, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (i = 0; i < n; i++)
		buf_appendf(&b, "%010zu 00000 n \n", offs[i]);
	buf_appendf(&b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	            n + 1, xref);
	assert_int_equal(buf_cstr(&b), 0);
	return (char *)buf_detach(&b, len);
}

static char *
pdf_normal(size_t *len)
{
	return pdf_make(len, "", "0 0 1 rg 100 600 300 100 re f", NULL, 0);
}

/* 100 x 100 x 2000 rectangles through two nested forms: seconds of CPU. */
static char *
pdf_slow(size_t *len)
{
	struct buf rects, xs, page;
	char *form_y, *form_x, *out;
	const char *extra[2];
	int i;

	buf_init(&rects, 1024 * 1024);
	buf_init(&xs, 64 * 1024);
	buf_init(&page, 64 * 1024);
	for (i = 0; i < 2000; i++)
		buf_appendf(&rects, "%d %d 1 1 re f\n", i % 500, (i / 500) * 3);
	for (i = 0; i < 100; i++) {
		buf_appendf(&xs, "/Y Do\n");
		buf_appendf(&page, "/X Do\n");
	}
	assert_int_equal(buf_cstr(&rects), 0);
	assert_int_equal(buf_cstr(&xs), 0);
	assert_int_equal(buf_cstr(&page), 0);
	form_x = malloc(4096);
	snprintf(form_x, 4096,
	         "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << "
	         "/XObject << /Y 6 0 R >> >> /Length %zu >>\nstream\n%s\nendstream",
	         xs.len, (char *)xs.data);
	form_y = malloc(rects.len + 512);
	snprintf(form_y, rects.len + 512,
	         "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %zu "
	         ">>\nstream\n%s\nendstream",
	         rects.len, (char *)rects.data);
	extra[0] = form_x;
	extra[1] = form_y;
	out = pdf_make(len, "/XObject << /X 5 0 R >>", (char *)page.data, extra, 2);
	free(form_x);
	free(form_y);
	buf_free(&rects);
	buf_free(&xs);
	buf_free(&page);
	return out;
}

static void
limits_of(struct render_limits *l, int cpu, int wall)
{
	const char *bin = getenv("SERTEL_BIN");

	render_limits_load(l, NULL);
	l->cpu_seconds = cpu;
	l->wall_seconds = wall;
	if (bin != NULL)
		str_copy(l->binary, sizeof(l->binary), bin);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
no_child_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void
defaults_are_safe(void **state)
{
	struct config *cfg = NULL;
	struct render_limits l;
	char path[] = "/tmp/sertel-render-conf-XXXXXX";
	int fd;

	(void)state;
	render_limits_load(&l, NULL);
	assert_int_equal(l.cpu_seconds, 5);
	assert_int_equal(l.memory_mb, 512);
	assert_int_equal(l.wall_seconds, 10);
	assert_int_equal(l.max_png, 8192 * 1024);
	assert_string_equal(l.binary, "");
	/* Out of range: the default, never "unlimited". */
	assert_true((fd = mkstemp(path)) >= 0);
	assert_true(
	    write(fd, "[render]\ncpu_seconds = 0\nmemory_mb = 1\nwall_seconds = 9999\n",
	          58) == 58);
	close(fd);
	assert_int_equal(config_load(&cfg, path), 0);
	render_limits_load(&l, cfg);
	assert_int_equal(l.cpu_seconds, 5);
	assert_int_equal(l.memory_mb, 512);
	assert_int_equal(l.wall_seconds, 10);
	config_free(cfg);
	unlink(path);
}

static void
a_normal_page_is_a_png(void **state)
{
	struct render_limits l;
	struct render_page pages[4];
	unsigned char *png = NULL;
	size_t len = 0, plen;
	char *pdf = pdf_normal(&plen);
	int n = 0;

	(void)state;
	limits_of(&l, 5, 20);
	assert_int_equal(render_doc_info(&n, pages, 4, (unsigned char *)pdf, plen, &l),
	                 0);
	assert_int_equal(n, 1);
	assert_true(pages[0].w_pt > 594 && pages[0].w_pt < 596);
	assert_int_equal(pages[0].h_px, RENDER_MAX_PIXELS);
	assert_int_equal(
	    render_page_png(&png, &len, (unsigned char *)pdf, plen, 0, 300, &l), 0);
	assert_true(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
	free(png);
	no_child_left();
	/* No such page. */
	assert_true(render_page_png(&png, &len, (unsigned char *)pdf, plen, 3, 300, &l) <
	            0);
	assert_null(png);
	no_child_left();
	free(pdf);
}

static void
a_slow_page_is_stopped_by_cpu_then_by_wall_clock(void **state)
{
	struct render_limits l;
	unsigned char *png = NULL;
	size_t len = 0, plen;
	char *pdf = pdf_slow(&plen);
	double t;
	int n = 0, secs = 0;

	(void)state;
	/* Counting pages does not draw them: quick.  The wall clock far
	 * away, so that only the child's own CPU limit can stop it. */
	limits_of(&l, 1, 60);
	assert_int_equal(render_doc_info(&n, NULL, 0, (unsigned char *)pdf, plen, &l), 0);
	assert_int_equal(n, 1);
	t = now_s();
	assert_int_equal(
	    render_page_png(&png, &len, (unsigned char *)pdf, plen, 0, 900, &l),
	    SERTEL_ETOOBIG);
	assert_null(png);
	assert_string_equal(render_reason(&secs), "render.why.time");
	assert_int_equal(secs, 1);
	assert_true(now_s() - t < 60);
	no_child_left();
	/* CPU allowed 60 s, the wall clock 1 s: the parent kills. */
	limits_of(&l, 60, 1);
	t = now_s();
	assert_int_equal(
	    render_page_png(&png, &len, (unsigned char *)pdf, plen, 0, 900, &l),
	    SERTEL_ETOOBIG);
	t = now_s() - t;
	assert_true(t >= 0.9 && t < 5);
	assert_string_equal(render_reason(&secs), "render.why.time");
	assert_int_equal(secs, 1);
	assert_non_null(strstr(sertel_errmsg(), "wall clock"));
	no_child_left();
	free(pdf);
}

static void
bounds_and_failures_have_reasons(void **state)
{
	struct render_limits l;
	unsigned char *png = NULL;
	size_t len = 0, plen;
	char *pdf = pdf_normal(&plen);
	static const char junk[] = "%PDF-1.4\nthis is not a PDF at all\n";
	int n = 0;

	(void)state;
	limits_of(&l, 5, 20);
	l.max_png = 100;
	assert_int_equal(
	    render_page_png(&png, &len, (unsigned char *)pdf, plen, 0, 900, &l),
	    SERTEL_ETOOBIG);
	assert_string_equal(render_reason(NULL), "render.why.size");
	no_child_left();
	limits_of(&l, 5, 20);
	assert_int_equal(render_doc_info(&n, NULL, 0, (const unsigned char *)junk,
	                                 sizeof(junk) - 1, &l),
	                 SERTEL_EINVAL);
	assert_string_equal(render_reason(NULL), "render.why.unreadable");
	no_child_left();
	str_copy(l.binary, sizeof(l.binary), "/nonexistent/sertel");
	assert_int_equal(
	    render_page_png(&png, &len, (unsigned char *)pdf, plen, 0, 900, &l),
	    SERTEL_EIO);
	assert_string_equal(render_reason(NULL), "render.why.spawn");
	no_child_left();
	free(pdf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_are_safe),
	    cmocka_unit_test(a_normal_page_is_a_png),
	    cmocka_unit_test(a_slow_page_is_stopped_by_cpu_then_by_wall_clock),
	    cmocka_unit_test(bounds_and_failures_have_reasons),
	};

	if (getenv("SERTEL_BIN") == NULL) {
		fprintf(stderr, "SERTEL_BIN is not set\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
