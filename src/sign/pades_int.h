/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface between pades.c (signature revisions, ByteRange,
 * DSS, document timestamps) and appearance.c (what a signature looks
 * like: the widget's appearance stream, QR code, images, the footer and
 * the marker search).  Not part of sign.h: nothing outside src/sign uses
 * these.
 */
#ifndef SERTEL_PADES_INT_H
#define SERTEL_PADES_INT_H

#include <string.h>

#include "pdf/pdf.h"
#include "sign/sign.h"

/* Resource names sertel adds to pages and forms; a page whose font
 * resources already hold PADES_FOOTER_FONT carries sertel's footer. */
#define PADES_FOOTER_FONT "SertelFtr"
#define PADES_AP_FONT     "SertelF1"

/* Appends the C string s (without its NUL). */
static inline int
pades_puts(struct buf *out, const char *s)
{
	return buf_append(out, s, strlen(s));
}

/* Appends a stream object body ("<< dict /Length n >>\nstream\n...
 * \nendstream") for data to out; deflate compresses it with zlib and
 * adds /Filter /FlateDecode. */
int pades_stream_body(struct buf *out, const char *dict_entries, const void *data,
                      size_t len, int deflate);
/* pades_stream_body() put as object num of u. */
int pades_put_stream(struct pdf_update *u, uint32_t num, const char *dict_entries,
                     const void *data, size_t len, int deflate);

/* A PDF text string for s (UTF-8): a literal "(...)" when s is printable
 * ASCII, otherwise UTF-16BE with a byte order mark, in hex. */
int pades_text_string(struct buf *out, const char *s);

/* Helvetica (WinAnsiEncoding) width of s, UTF-8, at size 1. */
double pades_text_width(const char *s);

/* The image (PNG, 8-bit or less, any colour type, alpha as /SMask; or
 * JPEG as DCTDecode) put as a new image XObject of u: its object number
 * and size in pixels. */
int pades_image_put(uint32_t *out, int *width, int *height, struct pdf_update *u,
                    const unsigned char *img, size_t len);

/* What the visible signature shows. */
struct pades_look {
	double w, h;          /* box size in points */
	const char *signer;   /* the signer's name (UTF-8) */
	int64_t when;         /* claimed signing time */
	const char *reason;   /* may be NULL */
	const char *location; /* may be NULL */
	const char *text;     /* may be NULL */
	const char *qr_url;   /* may be NULL */
	int have_image;       /* draw /SertelIm1 (image_w x image_h pixels) */
	int image_w, image_h;
	/* Issue 11: the instance's template (NULL: the fixed box above, time
	 * in UTC), the signer's values from the certificate (NULL: the line
	 * is left out) and the instance's logo as /SertelIm2. */
	const struct sign_look *tpl;
	const char *nip, *title, *agency;
	int have_logo;
	int logo_w, logo_h;
};

/* The content stream of the widget's appearance (a form XObject with
 * BBox [0 0 w h]) using the font resource PADES_AP_FONT (Helvetica) and
 * the image resource /SertelIm1. */
int pades_appearance(struct buf *out, const struct pades_look *look);

/* The footer's content stream for a page whose visible box is box
 * (llx, lly, urx, ury): text in Helvetica (font resource
 * PADES_FOOTER_FONT) wrapped to the page width near its bottom edge,
 * wrapped in q/Q. */
int pades_footer(struct buf *out, const char *text, const double box[4]);

/* Finds the first place (pages in order) where marker appears in the
 * page text: page index, and its box in default user space (x, y of the
 * first glyph's origin and the font size).  SERTEL_ENOTFOUND when it
 * appears nowhere. */
int pades_marker_find(int *page, double pos[3], struct pdf_doc *doc, const char *marker);

#endif
