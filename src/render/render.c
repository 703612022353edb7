/*
 * Page previews with poppler-glib and cairo (render.h).  A document is
 * opened from the bytes for each call: a preview is cached by its caller
 * (esign_flow_preview_put), so a page is drawn once per version.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <poppler.h>

#include "core/core.h"
#include "render/render.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
doc_open(PopplerDocument **out, const unsigned char *pdf, size_t len)
{
	GBytes *b;
	GError *e = NULL;
	int rc = 0;

	*out = NULL;
	if (pdf == NULL || len < 5 || memcmp(pdf, "%PDF-", 5) != 0)
		return sertel_err(SERTEL_EINVAL, "preview: not a PDF");
	b = g_bytes_new(pdf, len);
	*out = poppler_document_new_from_bytes(b, NULL, &e);
	g_bytes_unref(b);
	if (*out == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "preview: the PDF cannot be read: %s",
		                e != NULL ? e->message : "unknown");
		g_clear_error(&e);
	}
	return rc;
}

int
render_page_count(int *n, const unsigned char *pdf, size_t len)
{
	PopplerDocument *d;
	int rc;

	*n = 0;
	if ((rc = doc_open(&d, pdf, len)) < 0)
		return rc;
	*n = poppler_document_get_n_pages(d);
	g_object_unref(d);
	if (*n <= 0)
		return sertel_err(SERTEL_EINVAL, "preview: the PDF has no pages");
	return 0;
}

static void
size_of(struct render_page *out, PopplerPage *p, int max_px)
{
	double w, h, scale;

	poppler_page_get_size(p, &w, &h);
	out->w_pt = w;
	out->h_pt = h;
	scale = (double)max_px / (w > h ? w : h);
	out->w_px = (int)(w * scale + 0.5);
	out->h_px = (int)(h * scale + 0.5);
	if (out->w_px < 1)
		out->w_px = 1;
	if (out->h_px < 1)
		out->h_px = 1;
}

static int
page_open(PopplerDocument **d, PopplerPage **p, const unsigned char *pdf, size_t len,
          int page)
{
	int rc, n;

	*p = NULL;
	if ((rc = doc_open(d, pdf, len)) < 0)
		return rc;
	n = poppler_document_get_n_pages(*d);
	if (page < 0 || page >= n || page >= RENDER_MAX_PAGES ||
	    (*p = poppler_document_get_page(*d, page)) == NULL) {
		g_object_unref(*d);
		*d = NULL;
		return sertel_err(SERTEL_ENOTFOUND, "preview: no page %d", page + 1);
	}
	return 0;
}

int
render_page_size(struct render_page *out, const unsigned char *pdf, size_t len, int page)
{
	PopplerDocument *d;
	PopplerPage *p;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = page_open(&d, &p, pdf, len, page)) < 0)
		return rc;
	size_of(out, p, RENDER_MAX_PIXELS);
	g_object_unref(p);
	g_object_unref(d);
	return 0;
}

static cairo_status_t
png_write(void *closure, const unsigned char *data, unsigned int n)
{
	return buf_append(closure, data, n) < 0 ? CAIRO_STATUS_WRITE_ERROR
	                                        : CAIRO_STATUS_SUCCESS;
}

int
render_page_png(unsigned char **png, size_t *len, struct render_page *info,
                const unsigned char *pdf, size_t pdflen, int page, int max_px,
                int64_t budget_ms)
{
	PopplerDocument *d = NULL;
	PopplerPage *p = NULL;
	cairo_surface_t *sf = NULL;
	cairo_t *cr = NULL;
	struct buf b;
	int64_t t0 = mono_ms();
	int rc;

	*png = NULL;
	*len = 0;
	memset(info, 0, sizeof(*info));
	buf_init(&b, 8 * 1024 * 1024);
	if (max_px <= 0 || max_px > RENDER_MAX_PIXELS)
		max_px = RENDER_MAX_PIXELS;
	if ((rc = page_open(&d, &p, pdf, pdflen, page)) < 0)
		goto out;
	size_of(info, p, max_px);
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, info->w_px, info->h_px);
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
		rc = sertel_err(SERTEL_ENOMEM, "preview: no image surface");
		goto out;
	}
	cr = cairo_create(sf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, (double)info->w_px / info->w_pt, (double)info->h_px / info->h_pt);
	/* The printed look (no annotations' editing appearance). */
	poppler_page_render_for_printing(p, cr);
	cairo_destroy(cr);
	cr = NULL;
	if (mono_ms() - t0 > budget_ms) {
		rc = sertel_err(SERTEL_ETOOBIG, "preview: page %d took over %lld ms",
		                page + 1, (long long)budget_ms);
		goto out;
	}
	if (cairo_surface_write_to_png_stream(sf, png_write, &b) !=
	    CAIRO_STATUS_SUCCESS) {
		rc = sertel_err(SERTEL_ETOOBIG,
		                "preview: the image is over its size limit");
		goto out;
	}
	*png = buf_detach(&b, len);
	rc = 0;
out:
	if (cr != NULL)
		cairo_destroy(cr);
	if (sf != NULL)
		cairo_surface_destroy(sf);
	if (p != NULL)
		g_object_unref(p);
	if (d != NULL)
		g_object_unref(d);
	buf_free(&b);
	return rc;
}
