/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel report: the PDF documents sertel hands to people, starting with
 * the receipt (bukti tanda terima) the Registration Authority gives with a
 * certificate at the in-person issuance step (Perwali Cirebon 13, 16-17).
 *
 * pdfdoc.c is the one file that knows cairo, pango and libqrencode; the
 * writers (receipt.c, ...) draw through the pdfdoc_* calls below, so a move
 * to another PDF library touches pdfdoc.c only.
 */
#ifndef SERTEL_REPORT_H
#define SERTEL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ---- limits ------------------------------------------------------------ */
#define REPORT_MAX_PDF   (4 * 1024 * 1024) /* one finished document */
#define REPORT_MAX_FIELD 256               /* a name, NIK, e-mail, ... (bytes) */
#define REPORT_MAX_LONG  1024              /* a subject DN (bytes) */

/* ---- the issuance receipt (receipt.c) ----------------------------------
 * Strings are UTF-8 without control characters, at most REPORT_MAX_FIELD
 * bytes (subject: REPORT_MAX_LONG).  Times are seconds since
 * the epoch and are printed in WIB (UTC+7).  Optional fields may be NULL or
 * "" and print as "-".
 */
struct receipt_info {
	const char *org;   /* required: "Pemerintah Kota Cirebon" */
	const char *title; /* default "BUKTI TANDA TERIMA SERTIFIKAT ELEKTRONIK" */
	const struct time_zone *tz; /* the instance's zone for its dates; NULL: WIB */

	const char *applicant_name; /* required */
	const char *nik;            /* required */
	const char *nip;
	const char *position; /* jabatan */
	const char *agency;   /* perangkat daerah */
	const char *email;

	const char *cert_type;  /* required: individu | jabatan | sistem */
	const char *usages;     /* "signing,email" (profile.c names) */
	const char *serial;     /* required: hex, at most 20 octets */
	const char *subject;    /* required: RFC 2253 */
	int64_t not_before;     /* required, < not_after */
	int64_t not_after;      /* required */
	int64_t issued_at;      /* required: the hand-over */
	const char *key_origin; /* "CSR dari perangkat pemohon", ... */

	int agreement_version;         /* required, >= 1 */
	const char *agreement_sha256;  /* required: 64 hex digits */
	int64_t agreement_accepted_at; /* required */

	const char *operator_name; /* required: the OP operator handing over */
	const char *operator_nik;
	const char *application_id;
	const char *verify_url;         /* QR content; NULL: serial and fingerprint */
	const char *fingerprint_sha256; /* required: of the certificate DER, 64 hex */
};

#define RECEIPT_TITLE "BUKTI TANDA TERIMA SERTIFIKAT ELEKTRONIK"

/*
 * Renders the receipt as a one-page A4 PDF.  *out is owned by the caller
 * (free()).  SERTEL_EINVAL for a missing or malformed field, SERTEL_ETOOBIG
 * for a field over its limit or content that cannot fit one page even at
 * the smallest type size; *out is NULL then.  Output depends only on ri.
 */
int receipt_pdf(unsigned char **out, size_t *outlen, const struct receipt_info *ri);

/* ---- PDF pages for the report writers (pdfdoc.c) ------------------------
 * Units are PDF points (1/72 inch) from the top-left corner of an A4
 * portrait page.  Drawing errors are sticky in the document and reported
 * by pdfdoc_finish().
 */
#define PDFDOC_A4_WIDTH  595.2756
#define PDFDOC_A4_HEIGHT 841.8898

struct pdfdoc;

struct pdfdoc_meta {
	const char *title;          /* required */
	const char *author;         /* may be NULL */
	const char *subject;        /* may be NULL */
	int64_t created;            /* CreationDate; 0 for none (output then is stable) */
	const struct time_zone *tz; /* the zone dates are written in; NULL: WIB */
};

enum pdfdoc_face { PDFDOC_SANS, PDFDOC_SANS_BOLD, PDFDOC_MONO };
enum pdfdoc_align { PDFDOC_LEFT, PDFDOC_CENTER, PDFDOC_RIGHT, PDFDOC_JUSTIFY };

struct pdfdoc_font {
	enum pdfdoc_face face; /* DejaVu Sans, DejaVu Sans Bold, DejaVu Sans Mono */
	double size;           /* points */
	enum pdfdoc_align align;
	uint32_t rgb; /* 0xRRGGBB */
};

/* Lay out and measure only; draw nothing. */
#define PDFDOC_MEASURE 0x1

/* A new document of one A4 page; the PDF may grow to max bytes. */
int pdfdoc_new(struct pdfdoc **out, const struct pdfdoc_meta *meta, size_t max);
void pdfdoc_free(struct pdfdoc *d);
/* Ends the document.  *out is owned by the caller (free()); d must still
 * be freed. */
int pdfdoc_finish(unsigned char **out, size_t *outlen, struct pdfdoc *d);

/*
 * Lays pango markup out in a box w points wide whose top-left corner is
 * (x, y): wrapped at word boundaries, and inside words longer than the box
 * (hashes, DNs) at character boundaries, never hyphenated, so the text
 * stays whole for copying and for pdftotext.  *out (may be NULL) is the
 * height used.  Values put into markup must go through pdfdoc_escape().
 */
int pdfdoc_markup(double *out, struct pdfdoc *d, const struct pdfdoc_font *f, double x,
                  double y, double w, const char *markup, int flags);
/* As pdfdoc_markup for plain text (escaped here). */
int pdfdoc_text(double *out, struct pdfdoc *d, const struct pdfdoc_font *f, double x,
                double y, double w, const char *text, int flags);
/* Appends text to b escaped for pango markup (& < > ' "). */
int pdfdoc_escape(struct buf *b, const char *text);

void pdfdoc_rect(struct pdfdoc *d, double x, double y, double w, double h, uint32_t rgb);
void pdfdoc_line(struct pdfdoc *d, double x0, double y0, double x1, double y1,
                 double width, uint32_t rgb);
/* Ends the page and starts a new A4 page (the annual report: several
 * pages). */
int pdfdoc_page_next(struct pdfdoc *d);
/* A dashed line: dashes of on points, gaps of off points (a chart's
 * target line). */
void pdfdoc_line_dashed(struct pdfdoc *d, double x0, double y0, double x1, double y1,
                        double width, uint32_t rgb, double on, double off);
/* A QR code (ISO/IEC 18004, level M, byte mode) of text, modules module
 * points wide, with its four-module quiet zone, top-left corner at (x, y).
 * *out (may be NULL) is the side of the square.  SERTEL_ETOOBIG when text
 * is too long for any QR version. */
int pdfdoc_qr(double *out, struct pdfdoc *d, double x, double y, double module,
              const char *text, int flags);

/* The same QR code as an SVG image (one path, module = 1 user unit, quiet
 * zone included) for a web page to show as a data: URI: drawn here so the
 * portal needs no script and no third party to show an otpauth:// URI.
 * *out owned by caller. */
int pdfdoc_qr_svg(char **out, const char *text);

/* ---- text helpers -------------------------------------------------------- */
/* "22 November 2026, 08:15 WIB": t in zone tz (NULL: WIB), Indonesian month names. */
#define PDFDOC_DATE_LEN 48
int pdfdoc_date_fmt(char out[PDFDOC_DATE_LEN], int64_t t, const struct time_zone *tz);
/* Checks a field for a document: valid UTF-8, no control characters, at
 * most max bytes (SERTEL_ETOOBIG beyond).  what names it in the message. */
int pdfdoc_text_check(const char *what, const char *s, size_t max);

#endif
