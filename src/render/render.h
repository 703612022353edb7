/*
 * sertel render: pages of a PDF as PNG images, for the signing page's
 * previews (issue 11).  poppler-glib draws, cairo writes the PNG.  The
 * input is someone's upload: its size is bounded before it gets here
 * ([esign] max_file_bytes), and here the pages looked at, the pixels
 * drawn and the time spent are bounded too.
 */
#ifndef SERTEL_RENDER_H
#define SERTEL_RENDER_H

#include <stddef.h>
#include <stdint.h>

#define RENDER_MAX_PAGES  50  /* pages a preview shows */
#define RENDER_MAX_PIXELS 900 /* the longer side of one image */

struct render_page {
	double w_pt, h_pt; /* the page in PDF points, as shown (crop box) */
	int w_px, h_px;    /* the image */
};

/* The number of pages (at most RENDER_MAX_PAGES are offered) and the size
 * of page 0..: SERTEL_EINVAL for what poppler cannot open. */
int render_page_count(int *n, const unsigned char *pdf, size_t len);
int render_page_size(struct render_page *out, const unsigned char *pdf, size_t len,
                     int page);
/* Page page (0-based) as a PNG whose longer side is at most max_px
 * (<= RENDER_MAX_PIXELS); *png owned (free()).  SERTEL_ETOOBIG when the
 * drawing took longer than budget_ms (the image is then not returned). */
int render_page_png(unsigned char **png, size_t *len, struct render_page *info,
                    const unsigned char *pdf, size_t pdflen, int page, int max_px,
                    int64_t budget_ms);

#endif
