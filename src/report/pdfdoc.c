/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PDF pages for sertel's documents: a cairo PDF surface writing into a
 * bounded buffer, text laid out by pango in the DejaVu fonts (embedded as
 * subsets with ToUnicode maps, so the text can be copied and searched),
 * and QR codes from libqrencode drawn as filled rectangles.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "core/core.h"
#include "report/report.h"

struct pdfdoc {
	struct buf pdf;
	int wrc; /* the first write failure, a SERTEL_E* code */
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fonts;
	PangoContext *pango;
};

/* Times up to the end of 9999 (RFC 5280 GeneralizedTime) and not before the epoch. */
#define DATE_MAX (253402300799LL - 9 * 3600)

static cairo_status_t pdfdoc_write(void *closure, const unsigned char *data,
                                   unsigned int length);
static int pdfdoc_cairo_err(struct pdfdoc *d, cairo_status_t st);
static void pdfdoc_rgb(struct pdfdoc *d, uint32_t rgb);
static int local_tm(struct tm *out, int64_t t, const struct time_zone *tz);

static cairo_status_t
pdfdoc_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct pdfdoc *d = closure;
	int rc;

	if (d->wrc != 0)
		return CAIRO_STATUS_WRITE_ERROR;
	if ((rc = buf_append(&d->pdf, data, length)) < 0) {
		d->wrc = rc;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static int
pdfdoc_cairo_err(struct pdfdoc *d, cairo_status_t st)
{
	if (st == CAIRO_STATUS_WRITE_ERROR && d->wrc != 0)
		return d->wrc; /* the message is buf's: over the limit */
	if (st == CAIRO_STATUS_NO_MEMORY)
		return sertel_err(SERTEL_ENOMEM, "pdf: cairo: out of memory");
	return sertel_err(SERTEL_EIO, "pdf: cairo: %s", cairo_status_to_string(st));
}

/* The zone every document date is written in: the instance's, WIB
 * without one. */
static const struct time_zone WIB = {"WIB", 7 * 3600};

static int
local_tm(struct tm *out, int64_t t, const struct time_zone *tz)
{
	time_t tt;

	if (t < 0 || t > DATE_MAX)
		return sertel_err(SERTEL_EINVAL, "date %lld: outside 1970..9999",
		                  (long long)t);
	tt = (time_t)(t + (tz ? tz : &WIB)->offset);
	if (gmtime_r(&tt, out) == NULL)
		return sertel_err(SERTEL_EINVAL, "date %lld: not representable",
		                  (long long)t);
	return 0;
}

int
pdfdoc_date_fmt(char out[PDFDOC_DATE_LEN], int64_t t, const struct time_zone *tz)
{
	struct tm tm;
	int rc;

	out[0] = '\0';
	if ((rc = local_tm(&tm, t, tz)) < 0)
		return rc;
	snprintf(out, PDFDOC_DATE_LEN, "%d %s %04d, %02d:%02d %s", tm.tm_mday,
	         time_months_id[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	         (tz ? tz : &WIB)->name);
	return 0;
}

int
pdfdoc_text_check(const char *what, const char *s, size_t max)
{
	size_t n = strlen(s), i;
	const char *end;

	if (n > max)
		return sertel_err(SERTEL_ETOOBIG, "%s: %zu bytes, at most %zu", what, n,
		                  max);
	if (!g_utf8_validate(s, (gssize)n, &end))
		return sertel_err(SERTEL_EINVAL, "%s: not UTF-8 at byte %zu", what,
		                  (size_t)(end - s));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return sertel_err(SERTEL_EINVAL,
			                  "%s: control character 0x%02x at byte %zu",
			                  what, c, i);
	}
	/* C1 controls (U+0080..U+009F) are two bytes: 0xc2 0x80..0x9f. */
	for (i = 0; i + 1 < n; i++) {
		if ((unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			return sertel_err(SERTEL_EINVAL,
			                  "%s: control character U+%04X at byte %zu",
			                  what, (unsigned char)s[i + 1], i);
	}
	return 0;
}

int
pdfdoc_escape(struct buf *b, const char *text)
{
	const char *p, *rep;
	int rc;

	for (p = text; *p != '\0'; p++) {
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\'': rep = "&apos;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = NULL; break;
		}
		rc = rep != NULL ? buf_append(b, rep, strlen(rep))
		                 : buf_putc(b, (unsigned char)*p);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
pdfdoc_new(struct pdfdoc **out, const struct pdfdoc_meta *meta, size_t max)
{
	struct pdfdoc *d = NULL;
	cairo_font_options_t *fo = NULL;
	cairo_status_t st;
	struct tm tm;
	char date[64];
	int rc;

	*out = NULL;
	if (meta == NULL || meta->title == NULL)
		return sertel_err(SERTEL_EINVAL, "pdf: a document needs a title");
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	buf_init(&d->pdf, max);
	d->surface = cairo_pdf_surface_create_for_stream(pdfdoc_write, d, PDFDOC_A4_WIDTH,
	                                                 PDFDOC_A4_HEIGHT);
	if ((st = cairo_surface_status(d->surface)) != CAIRO_STATUS_SUCCESS) {
		rc = pdfdoc_cairo_err(d, st);
		goto out;
	}
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, meta->title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "sertel");
	if (meta->author != NULL)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_AUTHOR,
		                               meta->author);
	if (meta->subject != NULL)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_SUBJECT,
		                               meta->subject);
	if (meta->created != 0) {
		const struct time_zone *z = meta->tz ? meta->tz : &WIB;

		if ((rc = local_tm(&tm, meta->created, z)) < 0)
			goto out;
		snprintf(date, sizeof(date), "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		         tm.tm_min, tm.tm_sec, z->offset / 3600);
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE,
		                               date);
	}

	d->cr = cairo_create(d->surface);
	if ((st = cairo_status(d->cr)) != CAIRO_STATUS_SUCCESS) {
		rc = pdfdoc_cairo_err(d, st);
		goto out;
	}
	/* A font map of the document's own rather than pango's per-thread
	 * default: nothing outlives the document, and a server thread keeps
	 * no font cache between receipts. */
	if ((d->fonts = pango_cairo_font_map_new()) == NULL ||
	    (d->pango = pango_font_map_create_context(d->fonts)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pdf: pango: no context");
		goto out;
	}
	pango_cairo_update_context(d->cr, d->pango);
	/* Unhinted outlines and metrics: the page is vector output, and the
	 * layout must not depend on a screen's grid. */
	if ((fo = cairo_font_options_create()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
		goto out;
	}
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(d->pango, fo);
	/* Font sizes are in points and so are the surface's units. */
	pango_cairo_context_set_resolution(d->pango, 72.0);
	pango_context_set_language(d->pango, pango_language_from_string("id"));

	*out = d;
	d = NULL;
	rc = 0;
out:
	if (fo != NULL)
		cairo_font_options_destroy(fo);
	pdfdoc_free(d);
	return rc;
}

void
pdfdoc_free(struct pdfdoc *d)
{
	if (d == NULL)
		return;
	if (d->pango != NULL)
		g_object_unref(d->pango);
	if (d->fonts != NULL)
		g_object_unref(d->fonts);
	if (d->cr != NULL)
		cairo_destroy(d->cr);
	if (d->surface != NULL) {
		/* Finishing writes into the buffer: the document is being
		 * dropped, so refuse the bytes. */
		if (d->wrc == 0)
			d->wrc = SERTEL_ESTATE;
		cairo_surface_destroy(d->surface);
	}
	buf_free(&d->pdf);
	free(d);
}

int
pdfdoc_finish(unsigned char **out, size_t *outlen, struct pdfdoc *d)
{
	cairo_status_t st;

	*out = NULL;
	*outlen = 0;
	if (d->surface == NULL)
		return sertel_err(SERTEL_ESTATE, "pdf: document already finished");
	if ((st = cairo_status(d->cr)) != CAIRO_STATUS_SUCCESS)
		return pdfdoc_cairo_err(d, st);
	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(d->surface);
	st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->surface = NULL;
	if (st != CAIRO_STATUS_SUCCESS)
		return pdfdoc_cairo_err(d, st);
	if (d->wrc != 0)
		return d->wrc;
	*out = buf_detach(&d->pdf, outlen);
	return 0;
}

static void
pdfdoc_rgb(struct pdfdoc *d, uint32_t rgb)
{
	cairo_set_source_rgb(d->cr, ((rgb >> 16) & 0xff) / 255.0,
	                     ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

int
pdfdoc_markup(double *out, struct pdfdoc *d, const struct pdfdoc_font *f, double x,
              double y, double w, const char *markup, int flags)
{
	PangoLayout *layout = NULL;
	PangoFontDescription *fd = NULL;
	PangoAttrList *attrs = NULL;
	GError *gerr = NULL;
	char *text = NULL;
	int pw, ph, rc;

	if (out != NULL)
		*out = 0;
	if (d->cr == NULL)
		return sertel_err(SERTEL_ESTATE, "pdf: document already finished");
	if (w <= 0 || f->size <= 0)
		return sertel_err(SERTEL_EINVAL, "pdf: empty text box");
	if (!pango_parse_markup(markup, -1, 0, &attrs, &text, NULL, &gerr)) {
		rc = sertel_err(SERTEL_EINVAL, "pdf: markup: %s",
		                gerr != NULL ? gerr->message : "unparsable");
		goto out;
	}
	/* Hyphens inserted at breaks would change hashes and DNs. */
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));

	fd = pango_font_description_new();
	pango_font_description_set_family(fd, f->face == PDFDOC_MONO ? "DejaVu Sans Mono"
	                                                             : "DejaVu Sans");
	pango_font_description_set_weight(
	    fd, f->face == PDFDOC_SANS_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_size(fd, (gint)(f->size * PANGO_SCALE + 0.5));

	layout = pango_layout_new(d->pango);
	pango_layout_set_font_description(layout, fd);
	pango_layout_set_width(layout, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(layout, f->align == PDFDOC_CENTER  ? PANGO_ALIGN_CENTER
	                                   : f->align == PDFDOC_RIGHT ? PANGO_ALIGN_RIGHT
	                                                              : PANGO_ALIGN_LEFT);
	pango_layout_set_justify(layout, f->align == PDFDOC_JUSTIFY);
	pango_layout_set_text(layout, text, -1);
	pango_layout_set_attributes(layout, attrs);
	pango_layout_get_size(layout, &pw, &ph);

	if (!(flags & PDFDOC_MEASURE)) {
		pdfdoc_rgb(d, f->rgb);
		cairo_move_to(d->cr, x, y);
		pango_cairo_show_layout(d->cr, layout);
	}
	if (out != NULL)
		*out = (double)ph / PANGO_SCALE;
	rc = 0;
out:
	if (layout != NULL)
		g_object_unref(layout);
	if (fd != NULL)
		pango_font_description_free(fd);
	if (attrs != NULL)
		pango_attr_list_unref(attrs);
	if (gerr != NULL)
		g_error_free(gerr);
	g_free(text);
	return rc;
}

int
pdfdoc_text(double *out, struct pdfdoc *d, const struct pdfdoc_font *f, double x,
            double y, double w, const char *text, int flags)
{
	struct buf m;
	int rc;

	buf_init(&m, 6 * strlen(text) + 1);
	if ((rc = pdfdoc_escape(&m, text)) < 0 || (rc = buf_cstr(&m)) < 0)
		goto out;
	rc = pdfdoc_markup(out, d, f, x, y, w, (const char *)m.data, flags);
out:
	buf_free(&m);
	return rc;
}

void
pdfdoc_rect(struct pdfdoc *d, double x, double y, double w, double h, uint32_t rgb)
{
	if (d->cr == NULL)
		return;
	pdfdoc_rgb(d, rgb);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
}

void
pdfdoc_line(struct pdfdoc *d, double x0, double y0, double x1, double y1, double width,
            uint32_t rgb)
{
	if (d->cr == NULL)
		return;
	pdfdoc_rgb(d, rgb);
	cairo_set_line_width(d->cr, width);
	cairo_set_line_cap(d->cr, CAIRO_LINE_CAP_BUTT);
	cairo_move_to(d->cr, x0, y0);
	cairo_line_to(d->cr, x1, y1);
	cairo_stroke(d->cr);
}

int
pdfdoc_page_next(struct pdfdoc *d)
{
	cairo_status_t st;

	if (d->cr == NULL)
		return sertel_err(SERTEL_ESTATE, "pdf: document already finished");
	cairo_show_page(d->cr);
	if ((st = cairo_status(d->cr)) != CAIRO_STATUS_SUCCESS)
		return pdfdoc_cairo_err(d, st);
	return 0;
}

void
pdfdoc_line_dashed(struct pdfdoc *d, double x0, double y0, double x1, double y1,
                   double width, uint32_t rgb, double on, double off)
{
	const double dash[2] = {on, off};

	if (d->cr == NULL)
		return;
	cairo_save(d->cr);
	cairo_set_dash(d->cr, dash, 2, 0);
	pdfdoc_line(d, x0, y0, x1, y1, width, rgb);
	cairo_restore(d->cr);
}

/* Byte mode, case kept: URLs and hex must come back exactly. */
static int
qr_encode(QRcode **out, const char *text)
{
	errno = 0;
	*out = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (*out != NULL)
		return 0;
	if (errno == ENOMEM)
		return sertel_err(SERTEL_ENOMEM, "qr: out of memory");
	return sertel_err(SERTEL_ETOOBIG, "qr: %zu bytes do not fit a QR code",
	                  strlen(text));
}

/* Calls fn for each run of dark modules in a row (col, row, length, in
 * modules, quiet zone not counted), so no seams show between neighbours
 * when a viewer antialiases; stops at the first non-zero return. */
static int
qr_runs(const QRcode *qr, int (*fn)(int col, int row, int len, void *arg), void *arg)
{
	int row, col, run, rc = 0;

	for (row = 0; rc == 0 && row < qr->width; row++)
		for (col = 0; rc == 0 && col < qr->width; col = run) {
			if (!(qr->data[row * qr->width + col] & 1)) {
				run = col + 1;
				continue;
			}
			for (run = col;
			     run < qr->width && (qr->data[row * qr->width + run] & 1);
			     run++)
				;
			rc = fn(col, row, run - col, arg);
		}
	return rc;
}

static int
svg_run(int col, int row, int len, void *arg)
{
	/* ISO/IEC 18004 7.3.7: four modules of quiet zone. */
	return buf_appendf(arg, "M%d %dh%dv1h-%dz", col + 4, row + 4, len, len);
}

int
pdfdoc_qr_svg(char **out, const char *text)
{
	QRcode *qr = NULL;
	struct buf b;
	int side, rc;

	*out = NULL;
	if (text == NULL || text[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "qr: empty text");
	if ((rc = qr_encode(&qr, text)) < 0)
		return rc;
	/* crispEdges keeps the modules sharp at any scale. */
	side = qr->width + 8;
	buf_init(&b, 1 << 20);
	rc =
	    buf_appendf(&b,
	                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	                "shape-rendering=\"crispEdges\"><rect width=\"%d\" "
	                "height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	                side, side, side, side);
	if (rc == 0)
		rc = qr_runs(qr, svg_run, &b);
	if (rc == 0)
		rc = buf_appendf(&b, "\"/></svg>");
	if (rc == 0)
		rc = buf_cstr(&b);
	QRcode_free(qr);
	if (rc < 0) {
		buf_free(&b);
		return rc;
	}
	*out = (char *)buf_detach(&b, NULL);
	return 0;
}

struct pdf_run {
	struct pdfdoc *d;
	double x, y, module;
};

static int
pdf_run(int col, int row, int len, void *arg)
{
	struct pdf_run *r = arg;

	cairo_rectangle(r->d->cr, r->x + (col + 4) * r->module,
	                r->y + (row + 4) * r->module, len * r->module, r->module);
	return 0;
}

int
pdfdoc_qr(double *out, struct pdfdoc *d, double x, double y, double module,
          const char *text, int flags)
{
	struct pdf_run pr = {d, x, y, module};
	QRcode *qr = NULL;
	int side, rc;

	if (out != NULL)
		*out = 0;
	if (d->cr == NULL)
		return sertel_err(SERTEL_ESTATE, "pdf: document already finished");
	if (text[0] == '\0' || module <= 0)
		return sertel_err(SERTEL_EINVAL, "qr: empty text or module");
	if ((rc = qr_encode(&qr, text)) < 0)
		return rc;
	/* ISO/IEC 18004 7.3.7: a quiet zone of four modules on every side. */
	side = qr->width + 8;
	if (out != NULL)
		*out = side * module;
	if (flags & PDFDOC_MEASURE)
		goto out;
	pdfdoc_rect(d, x, y, side * module, side * module, 0xffffff);
	pdfdoc_rgb(d, 0x000000);
	/* One path for all dark modules, filled once. */
	qr_runs(qr, pdf_run, &pr);
	cairo_fill(d->cr);
out:
	QRcode_free(qr);
	return 0;
}
