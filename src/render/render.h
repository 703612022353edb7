/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel render: pages of a PDF as PNG images, for the signing page's
 * previews (issue 11).  poppler-glib draws, cairo writes the PNG.  The
 * input is someone's upload, and a hostile PDF can make poppler spin or
 * allocate without end, so poppler never runs in the server: every call
 * below spawns the hidden subcommand `sertel render-page` (cmd_render.c),
 * which sets its own resource limits (CPU, address space, no files, few
 * descriptors, no core) before it reads a byte, and the server bounds
 * its wall-clock time (kill and reap) and the size of what it writes.
 */
#ifndef SERTEL_RENDER_H
#define SERTEL_RENDER_H

#include <stddef.h>
#include <stdint.h>

#define RENDER_MAX_PAGES  50  /* pages a preview shows */
#define RENDER_MAX_PIXELS 900 /* the longer side of one image */

struct config;

struct render_page {
	double w_pt, h_pt; /* the page in PDF points, as shown (crop box) */
	int w_px, h_px;    /* the image */
};

/* [render]: the child's limits (docs/PORTAL.md, signing section). */
struct render_limits {
	int cpu_seconds;   /* RLIMIT_CPU of the child (5) */
	int memory_mb;     /* RLIMIT_AS of the child (512) */
	int wall_seconds;  /* the parent kills the child after this (10) */
	size_t max_png;    /* bytes of one PNG (8 MiB) */
	char binary[1024]; /* the sertel binary ("": /proc/self/exe) */
};
/* Defaults when cfg is NULL; values out of range take the default. */
void render_limits_load(struct render_limits *out, const struct config *cfg);

/* The number of pages and the sizes of the first maxpages (at most
 * RENDER_MAX_PAGES) into pages[]: one child.  SERTEL_EINVAL for what
 * poppler cannot open, SERTEL_ETOOBIG when the child was stopped at a
 * limit (time, memory, output size), SERTEL_EIO when it could not run;
 * render_reason() says which. */
int render_doc_info(int *n, struct render_page *pages, int maxpages,
                    const unsigned char *pdf, size_t len, const struct render_limits *l);
/* Page page (0-based) as a PNG whose longer side is at most max_px
 * (<= RENDER_MAX_PIXELS); *png owned (free()).  Errors as above. */
int render_page_png(unsigned char **png, size_t *len, const unsigned char *pdf,
                    size_t pdflen, int page, int max_px, const struct render_limits *l);
/* Why the last failed call of this thread failed, for the page: a message
 * key of web/i18n (render.why.time, .size, .unreadable, .limit, .spawn,
 * .unknown); *seconds (may be NULL) the limit for render.why.time. */
const char *render_reason(int *seconds);

/* ---- the child's side (render_draw.c, called by cmd_render.c only) ---- */
int render_draw_info(int *n, struct render_page *pages, int maxpages,
                     const unsigned char *pdf, size_t len);
int render_draw_png(unsigned char **png, size_t *len, const unsigned char *pdf,
                    size_t pdflen, int page, int max_px, size_t max_png);

#endif
