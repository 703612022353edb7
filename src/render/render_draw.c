/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page previews with poppler-glib and cairo: the drawing itself, which
 * runs only in the limited child process `sertel render-page`
 * (src/cli/cmd_render.c), never in the server (render.h).  A document is
 * opened from the bytes for each call: a preview is cached by the
 * server (esign_flow_preview_put), so a page is drawn once per version.
 */
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>

#include "core/core.h"
#include "render/render.h"

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
render_draw_info(int *n, struct render_page *pages, int maxpages,
                 const unsigned char *pdf, size_t len)
{
	PopplerDocument *d;
	PopplerPage *p;
	int rc, i;

	*n = 0;
	if ((rc = doc_open(&d, pdf, len)) < 0)
		return rc;
	*n = poppler_document_get_n_pages(d);
	if (*n <= 0) {
		g_object_unref(d);
		return sertel_err(SERTEL_EINVAL, "preview: the PDF has no pages");
	}
	for (i = 0; i < *n && i < maxpages && i < RENDER_MAX_PAGES; i++) {
		memset(&pages[i], 0, sizeof(pages[i]));
		if ((p = poppler_document_get_page(d, i)) == NULL)
			break;
		size_of(&pages[i], p, RENDER_MAX_PIXELS);
		g_object_unref(p);
	}
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
render_draw_png(unsigned char **png, size_t *len, const unsigned char *pdf, size_t pdflen,
                int page, int max_px, size_t max_png)
{
	struct render_page pinfo, *info = &pinfo;
	PopplerDocument *d = NULL;
	PopplerPage *p = NULL;
	cairo_surface_t *sf = NULL;
	cairo_t *cr = NULL;
	struct buf b;
	int rc;

	*png = NULL;
	*len = 0;
	memset(info, 0, sizeof(*info));
	buf_init(&b, max_png);
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
