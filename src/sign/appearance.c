/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a PAdES signature looks like: the widget's appearance stream
 * (signer's name, time, optional image and QR code), image XObjects
 * (PNG with alpha as /SMask, JPEG as DCTDecode), the footer every signed
 * page carries (Palembang 12(4)) and the marker search that places a
 * signature where a given text appears (BSrE's tag_koordinat).
 *
 * Text is drawn in Helvetica with WinAnsiEncoding: a standard font every
 * reader has, so nothing is embedded; characters outside WinAnsi become
 * '?'.
 */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

#include "sign/pades_int.h"

#define IMG_MAX_PIXELS    (4096 * 4096)
#define MARKER_MAX_GLYPHS (4 * 1024 * 1024)
#define FOOTER_MAX_LINES  6

/* Adobe's Helvetica AFM widths for WinAnsi codes 32..126. */
static const short helv_w[95] = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};

static double
helv_width(unsigned char c)
{
	if (c >= 32 && c <= 126)
		return helv_w[c - 32];
	return 556;
}

/* Next code point of a UTF-8 string; malformed bytes come back as '?'. */
static unsigned long
utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	unsigned long cp;
	int n, i;

	if (s[0] < 0x80) {
		*sp += 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		n = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		n = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		n = 3;
	} else {
		*sp += 1;
		return '?';
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*sp += i;
			return '?';
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*sp += n + 1;
	return cp;
}

/* WinAnsi agrees with Latin-1 on 0x20-0x7e and 0xa0-0xff. */
static unsigned char
winansi(unsigned long cp)
{
	if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff))
		return (unsigned char)cp;
	return '?';
}

double
pades_text_width(const char *s)
{
	double w = 0;

	while (*s != '\0')
		w += helv_width(winansi(utf8_next(&s)));
	return w / 1000.0;
}

/* A literal string in WinAnsi, escaped, of s[0..e). */
static int
winansi_literal_n(struct buf *out, const char *s, const char *e)
{
	int rc = buf_putc(out, '(');

	while (rc == 0 && s < e && *s != '\0') {
		unsigned char c = winansi(utf8_next(&s));

		if (c == '(' || c == ')' || c == '\\')
			rc = buf_appendf(out, "\\%c", c);
		else if (c >= 0x80)
			rc = buf_appendf(out, "\\%03o", c);
		else
			rc = buf_putc(out, c);
	}
	return rc == 0 ? buf_putc(out, ')') : rc;
}

static int
winansi_literal(struct buf *out, const char *s)
{
	return winansi_literal_n(out, s, s + strlen(s));
}

int
pades_text_string(struct buf *out, const char *s)
{
	const char *p;
	int rc = 0, ascii = 1;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			ascii = 0;
	if (ascii) {
		rc = buf_putc(out, '(');
		for (p = s; rc == 0 && *p != '\0'; p++) {
			if (*p == '(' || *p == ')' || *p == '\\')
				rc = buf_putc(out, '\\');
			if (rc == 0)
				rc = buf_putc(out, (unsigned char)*p);
		}
		return rc == 0 ? buf_putc(out, ')') : rc;
	}
	/* PDF 32000-1 7.9.2.2: UTF-16BE with the byte order mark. */
	rc = pades_puts(out, "<FEFF");
	p = s;
	while (rc == 0 && *p != '\0') {
		unsigned long cp = utf8_next(&p);

		if (cp >= 0x10000) {
			cp -= 0x10000;
			rc = buf_appendf(out, "%04lX%04lX", 0xd800 + (cp >> 10),
			                 0xdc00 + (cp & 0x3ff));
		} else {
			rc = buf_appendf(out, "%04lX", cp);
		}
	}
	return rc == 0 ? buf_putc(out, '>') : rc;
}

/* ---- streams ------------------------------------------------------------ */

int
pades_stream_body(struct buf *out, const char *dict_entries, const void *data, size_t len,
                  int deflate)
{
	unsigned char *z = NULL;
	uLongf zlen = 0;
	int rc;

	if (deflate) {
		zlen = compressBound((uLong)len);
		if ((z = malloc(zlen)) == NULL)
			return sertel_err(SERTEL_ENOMEM, "pades: out of memory");
		if (compress2(z, &zlen, data, (uLong)len, 6) != Z_OK) {
			rc = sertel_err(SERTEL_ECRYPTO, "pades: deflate failed");
			goto out;
		}
		data = z;
		len = zlen;
	}
	if ((rc = buf_appendf(out, "<< %s /Length %zu%s >>\nstream\n",
	                      dict_entries ? dict_entries : "", len,
	                      deflate ? " /Filter /FlateDecode" : "")) < 0 ||
	    (rc = buf_append(out, data, len)) < 0 ||
	    (rc = pades_puts(out, "\nendstream")) < 0)
		goto out;
out:
	free(z);
	return rc;
}

int
pades_put_stream(struct pdf_update *u, uint32_t num, const char *dict_entries,
                 const void *data, size_t len, int deflate)
{
	struct buf b;
	int rc;

	buf_init(&b, PDF_MAX_STREAM);
	if ((rc = pades_stream_body(&b, dict_entries, data, len, deflate)) == 0)
		rc = pdf_update_put(u, num, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* ---- images ------------------------------------------------------------- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* PNG (ISO/IEC 15948): inflate the IDAT stream, undo the row filters,
 * split alpha into its own soft mask. */
static int
png_put(uint32_t *out, int *width, int *height, struct pdf_update *u,
        const unsigned char *p, size_t len)
{
	struct buf idat, dict;
	unsigned char *raw = NULL, *color = NULL, *alpha = NULL;
	const unsigned char *plte = NULL;
	size_t off = 8, plte_len = 0, rowlen, rawlen, i, ncolor;
	uint32_t w = 0, h = 0, num, smask = 0;
	int depth = 0, ctype = -1, interlace = 0, chans, bpp, rc = 0, y, src_bytes;
	z_stream zs;
	int zinit = 0;

	buf_init(&idat, 64 * 1024 * 1024);
	buf_init(&dict, 4096);
	while (off + 12 <= len) {
		uint32_t clen = be32(p + off);
		const unsigned char *type = p + off + 4, *cd = p + off + 8;

		if (clen > len - off - 12) {
			rc = sertel_err(SERTEL_EINVAL,
			                "image: PNG chunk runs past the end");
			goto out;
		}
		if (memcmp(type, "IHDR", 4) == 0 && clen >= 13) {
			w = be32(cd);
			h = be32(cd + 4);
			depth = cd[8];
			ctype = cd[9];
			interlace = cd[12];
		} else if (memcmp(type, "PLTE", 4) == 0) {
			plte = cd;
			plte_len = clen;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			if ((rc = buf_append(&idat, cd, clen)) < 0)
				goto out;
		} else if (memcmp(type, "IEND", 4) == 0) {
			break;
		}
		off += 12 + (size_t)clen;
	}
	if (w == 0 || h == 0 || (uint64_t)w * h > IMG_MAX_PIXELS) {
		rc = sertel_err(SERTEL_EINVAL,
		                "image: PNG size %ux%u out of range (max %d pixels)", w,
		                h, IMG_MAX_PIXELS);
		goto out;
	}
	if (interlace != 0) {
		rc = sertel_err(SERTEL_EINVAL, "image: interlaced PNG is not supported");
		goto out;
	}
	switch (ctype) {
	case 0: chans = 1; break;
	case 2: chans = 3; break;
	case 3: chans = 1; break;
	case 4: chans = 2; break;
	case 6: chans = 4; break;
	default:
		rc =
		    sertel_err(SERTEL_EINVAL, "image: PNG colour type %d unknown", ctype);
		goto out;
	}
	if (!(depth == 8 || depth == 16 ||
	      ((ctype == 0 || ctype == 3) && depth < 8 &&
	       (depth == 1 || depth == 2 || depth == 4))) ||
	    (ctype == 3 && depth == 16)) {
		rc = sertel_err(SERTEL_EINVAL,
		                "image: PNG bit depth %d with colour type %d", depth,
		                ctype);
		goto out;
	}
	if (ctype == 3 &&
	    (plte == NULL || plte_len == 0 || plte_len % 3 != 0 || plte_len > 768)) {
		rc = sertel_err(SERTEL_EINVAL, "image: PNG palette missing or malformed");
		goto out;
	}
	rowlen = ((size_t)w * chans * depth + 7) / 8;
	bpp = (chans * depth + 7) / 8;
	rawlen = (rowlen + 1) * h;
	if ((raw = malloc(rawlen)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "image: out of memory");
		goto out;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		rc = sertel_err(SERTEL_ENOMEM, "image: inflateInit failed");
		goto out;
	}
	zinit = 1;
	zs.next_in = idat.data;
	zs.avail_in = (uInt)idat.len;
	zs.next_out = raw;
	zs.avail_out = (uInt)rawlen;
	if (inflate(&zs, Z_FINISH) != Z_STREAM_END || zs.avail_out != 0) {
		rc = sertel_err(SERTEL_EINVAL,
		                "image: PNG image data is damaged or short");
		goto out;
	}
	/* Undo the filters in place: row y at raw + y*(rowlen+1) + 1. */
	for (y = 0; y < (int)h; y++) {
		unsigned char *row = raw + (size_t)y * (rowlen + 1), *cur = row + 1;
		unsigned char *prev = y > 0 ? cur - (rowlen + 1) : NULL;
		size_t x;

		for (x = 0; x < rowlen; x++) {
			int a = x >= (size_t)bpp ? cur[x - bpp] : 0;
			int b = prev ? prev[x] : 0;
			int c = (prev && x >= (size_t)bpp) ? prev[x - bpp] : 0;

			switch (row[0]) {
			case 0: break;
			case 1: cur[x] = (unsigned char)(cur[x] + a); break;
			case 2: cur[x] = (unsigned char)(cur[x] + b); break;
			case 3: cur[x] = (unsigned char)(cur[x] + ((a + b) >> 1)); break;
			case 4: cur[x] = (unsigned char)(cur[x] + paeth(a, b, c)); break;
			default:
				rc = sertel_err(SERTEL_EINVAL,
				                "image: PNG filter %d unknown", row[0]);
				goto out;
			}
		}
	}
	/* Colour samples (8 bits, or the packed depth for gray/palette)
	 * and alpha, separately. */
	ncolor = ctype == 4 || ctype == 6 ? (size_t)chans - 1 : (size_t)chans;
	src_bytes = depth == 16 ? 2 : 1;
	if (depth < 8) {
		size_t clen = rowlen * h;

		if ((color = malloc(clen)) == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "image: out of memory");
			goto out;
		}
		for (y = 0; y < (int)h; y++)
			memcpy(color + (size_t)y * rowlen,
			       raw + (size_t)y * (rowlen + 1) + 1, rowlen);
	} else {
		size_t npx = (size_t)w * h, k = 0, px;

		color = malloc(npx * ncolor);
		if (color == NULL ||
		    (ncolor != (size_t)chans && (alpha = malloc(npx)) == NULL)) {
			rc = sertel_err(SERTEL_ENOMEM, "image: out of memory");
			goto out;
		}
		for (y = 0; y < (int)h; y++) {
			const unsigned char *cur = raw + (size_t)y * (rowlen + 1) + 1;

			for (px = 0; px < w; px++, k++) {
				const unsigned char *s = cur + px * chans * src_bytes;

				for (i = 0; i < ncolor; i++)
					color[k * ncolor + i] = s[i * src_bytes];
				if (alpha != NULL)
					alpha[k] = s[ncolor * src_bytes];
			}
		}
	}
	if (alpha != NULL) {
		smask = pdf_update_alloc(u);
		if ((rc = buf_appendf(
		         &dict,
		         "/Type /XObject /Subtype /Image /Width %u /Height %u "
		         "/ColorSpace /DeviceGray /BitsPerComponent 8",
		         w, h)) < 0 ||
		    (rc = pades_put_stream(u, smask, (char *)dict.data, alpha,
		                           (size_t)w * h, 1)) < 0)
			goto out;
		buf_reset(&dict);
	}
	if ((rc = buf_appendf(&dict,
	                      "/Type /XObject /Subtype /Image /Width %u /Height %u ", w,
	                      h)) < 0)
		goto out;
	if (ctype == 3) {
		rc = buf_appendf(&dict, "/ColorSpace [/Indexed /DeviceRGB %zu <",
		                 plte_len / 3 - 1);
		for (i = 0; rc == 0 && i < plte_len; i++)
			rc = buf_appendf(&dict, "%02X", plte[i]);
		if (rc == 0)
			rc = pades_puts(&dict, ">]");
	} else {
		rc = buf_appendf(&dict, "/ColorSpace /%s",
		                 ncolor == 3 ? "DeviceRGB" : "DeviceGray");
	}
	if (rc < 0 ||
	    (rc = buf_appendf(&dict, " /BitsPerComponent %d", depth < 8 ? depth : 8)) < 0)
		goto out;
	if (smask != 0 && (rc = buf_appendf(&dict, " /SMask %u 0 R", smask)) < 0)
		goto out;
	if ((rc = buf_cstr(&dict)) < 0)
		goto out;
	num = pdf_update_alloc(u);
	if ((rc = pades_put_stream(u, num, (char *)dict.data, color,
	                           depth < 8 ? rowlen * h : (size_t)w * h * ncolor, 1)) <
	    0)
		goto out;
	*out = num;
	*width = (int)w;
	*height = (int)h;
out:
	if (zinit)
		inflateEnd(&zs);
	free(raw);
	free(color);
	free(alpha);
	buf_free(&idat);
	buf_free(&dict);
	return rc;
}

/* JPEG: the file itself is the DCTDecode stream; the frame header gives
 * size and components. */
static int
jpeg_put(uint32_t *out, int *width, int *height, struct pdf_update *u,
         const unsigned char *p, size_t len)
{
	size_t off = 2;
	int adobe = 0, rc;
	char dict[256];

	while (off + 4 <= len) {
		unsigned m;
		size_t seg;

		if (p[off] != 0xff) {
			off++;
			continue;
		}
		m = p[off + 1];
		if (m == 0xff) {
			off++;
			continue;
		}
		if (m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			off += 2;
			continue;
		}
		seg = (size_t)p[off + 2] << 8 | p[off + 3];
		if (seg < 2 || off + 2 + seg > len)
			break;
		if (m == 0xee && seg >= 7 && memcmp(p + off + 4, "Adobe", 5) == 0)
			adobe = 1;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc &&
		    seg >= 8) {
			const unsigned char *f = p + off + 4;
			int h = f[1] << 8 | f[2], w = f[3] << 8 | f[4], nc = f[5];
			const char *cs = nc == 1   ? "DeviceGray"
			                 : nc == 3 ? "DeviceRGB"
			                 : nc == 4 ? "DeviceCMYK"
			                           : NULL;
			uint32_t num;

			if (f[0] != 8 || cs == NULL || w <= 0 || h <= 0) {
				return sertel_err(
				    SERTEL_EINVAL,
				    "image: JPEG with %d-bit samples and %d "
				    "components is not supported",
				    f[0], nc);
			}
			/* Adobe's CMYK JPEGs are stored inverted. */
			snprintf(
			    dict, sizeof(dict),
			    "/Type /XObject /Subtype /Image /Width %d /Height %d "
			    "/ColorSpace /%s /BitsPerComponent 8 /Filter /DCTDecode%s",
			    w, h, cs,
			    nc == 4 && adobe ? " /Decode [1 0 1 0 1 0 1 0]" : "");
			num = pdf_update_alloc(u);
			if ((rc = pades_put_stream(u, num, dict, p, len, 0)) < 0)
				return rc;
			*out = num;
			*width = w;
			*height = h;
			return 0;
		}
		if (m == 0xda)
			break;
		off += 2 + seg;
	}
	return sertel_err(SERTEL_EINVAL, "image: JPEG has no frame header");
}

int
pades_image_put(uint32_t *out, int *width, int *height, struct pdf_update *u,
                const unsigned char *img, size_t len)
{
	if (len >= 8 && memcmp(img, "\x89PNG\r\n\x1a\n", 8) == 0)
		return png_put(out, width, height, u, img, len);
	if (len >= 3 && img[0] == 0xff && img[1] == 0xd8 && img[2] == 0xff)
		return jpeg_put(out, width, height, u, img, len);
	return sertel_err(SERTEL_EINVAL, "image: not a PNG or JPEG file");
}

/* ---- the appearance ------------------------------------------------------- */

/* Dark modules as filled rectangles, one per run in a row. */
static int
qr_draw(struct buf *out, const char *url, double x0, double y0, double side)
{
	QRcode *qr = NULL;
	double m;
	int row, col, run, rc = 0, n;

	qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return sertel_err(SERTEL_EINVAL, "qr: %zu bytes do not fit a QR code",
		                  strlen(url));
	/* ISO/IEC 18004 7.3.7: four modules of quiet zone. */
	n = qr->width + 8;
	m = side / n;
	rc = pades_puts(out, "q 0 g\n");
	for (row = 0; rc == 0 && row < qr->width; row++) {
		for (col = 0; rc == 0 && col < qr->width; col = run) {
			run = col;
			while (run < qr->width && (qr->data[row * qr->width + run] & 1))
				run++;
			if (run > col) {
				rc = buf_appendf(
				    out, "%.3f %.3f %.3f %.3f re\n", x0 + (col + 4) * m,
				    y0 + side - (row + 5) * m, (run - col) * m, m);
			} else {
				run++;
			}
		}
	}
	if (rc == 0)
		rc = pades_puts(out, "f Q\n");
	QRcode_free(qr);
	return rc;
}

/* The lines in Helvetica, the size fitted to the band [tx0, tx1] x
 * [ylo, ylo + inner] (at most 9 pt), the block centred vertically. */
static int
lines_draw(struct buf *out, const char *const *lines, size_t n, double tx0, double tx1,
           double ylo, double inner)
{
	double fs = 9, maxw = 0, lead, y;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if (pades_text_width(lines[i]) > maxw)
			maxw = pades_text_width(lines[i]);
	if (maxw > 0 && tx1 > tx0 && (tx1 - tx0) / maxw < fs)
		fs = (tx1 - tx0) / maxw;
	if (inner / (n * 1.2) < fs)
		fs = inner / (n * 1.2);
	if (fs < 1)
		fs = 1;
	lead = fs * 1.2;
	y = ylo + inner / 2 + (n * lead) / 2 - fs;
	if ((rc = buf_appendf(out, "BT /%s %.3f Tf 0 g %.3f TL %.3f %.3f Td\n",
	                      PADES_AP_FONT, fs, lead, tx0, y)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = winansi_literal(out, lines[i])) < 0 ||
		    (rc = pades_puts(out, i + 1 < n ? " Tj T*\n" : " Tj\n")) < 0)
			return rc;
	}
	return pades_puts(out, "ET\n");
}

/* Image resource name at pixel size iw x ih fitted into a band of
 * height hband and at most maxw wide, its lower left corner at (x, y0):
 * the width it takes. */
static int
image_draw(double *used, struct buf *out, const char *name, int iw, int ih, double x,
           double y0, double hband, double maxw)
{
	double s = hband / ih, w, h;

	if (iw * s > maxw)
		s = maxw / iw;
	w = iw * s;
	h = ih * s;
	*used = w;
	return buf_appendf(out, "q %.3f 0 0 %.3f %.3f %.3f cm /%s Do Q\n", w, h, x,
	                   y0 + (hband - h) / 2, name);
}

/* The box as the instance's template says (issue 11, Palembang 12(3)):
 * the fields in the template's order, each on its own line, the QR code
 * and an image where the layout puts them; time in the instance's zone. */
static int
appearance_tpl(struct buf *out, const struct pades_look *lk)
{
	const struct sign_look *t = lk->tpl;
	const char *lines[SIGN_LOOK_MAX_FIELDS + 1];
	char when[64], local[48];
	struct buf nip;
	double pad = 3, inner = lk->h - 2 * pad, tx0 = pad + 2, tx1 = lk->w - pad - 2;
	double ylo = pad, side, used;
	size_t n = 0, i;
	int rc, qr, img, tall;
	const char *imname = lk->have_image ? "SertelIm1" : "SertelIm2";
	int iw = lk->have_image ? lk->image_w : lk->logo_w;
	int ih = lk->have_image ? lk->image_h : lk->logo_h;

	buf_init(&nip, 512);
	time_local_fmt(local, sizeof(local), lk->when, &t->tz, time_months_id, 1, '.');
	snprintf(when, sizeof(when), "Waktu: %s", local);
	for (i = 0; i < t->nfields; i++) {
		const char *v = NULL;

		switch (t->fields[i]) {
		case SIGN_FIELD_HEADING:
			v = "Ditandatangani secara elektronik oleh:";
			break;
		case SIGN_FIELD_NAME: v = lk->signer; break;
		case SIGN_FIELD_NIP:
			if (lk->nip != NULL && *lk->nip != '\0' && nip.len == 0) {
				if ((rc = buf_appendf(&nip, "NIP. %s", lk->nip)) < 0 ||
				    (rc = buf_cstr(&nip)) < 0)
					goto out;
				v = (const char *)nip.data;
			}
			break;
		case SIGN_FIELD_TITLE: v = lk->title; break;
		case SIGN_FIELD_AGENCY: v = lk->agency; break;
		case SIGN_FIELD_TIME: v = local[0] ? when : NULL; break;
		case SIGN_FIELD_LINE: v = t->line; break;
		case SIGN_FIELD_QR: break;
		}
		if (v != NULL && *v != '\0')
			lines[n++] = v;
	}
	if (lk->text != NULL && *lk->text != '\0')
		lines[n++] = lk->text;
	if (n == 0)
		lines[n++] = lk->signer != NULL ? lk->signer : "?";
	qr = t->qr && t->layout != SIGN_LAYOUT_TEXT && lk->qr_url != NULL &&
	     *lk->qr_url != '\0' && inner > 8;
	img = t->layout != SIGN_LAYOUT_TEXT && (lk->have_image || lk->have_logo) &&
	      iw > 0 && ih > 0 && inner > 4;
	/* A square or tall box: the QR code centred at the top, text below. */
	tall = lk->w - inner - 2 * pad < lk->w / 2;
	if ((rc = buf_appendf(out,
	                      "q 1 g 0 0 %.2f %.2f re f Q\n"
	                      "q 0.10 0.23 0.45 RG 0.8 w 0.4 0.4 %.2f %.2f re S Q\n",
	                      lk->w, lk->h, lk->w - 0.8, lk->h - 0.8)) < 0)
		goto out;
	if (qr && tall) {
		side = lk->w - 2 * pad;
		if (side > inner * 0.6)
			side = inner * 0.6;
		if ((rc = qr_draw(out, lk->qr_url, (lk->w - side) / 2, lk->h - pad - side,
		                  side)) < 0)
			goto out;
		inner -= side + 2;
		qr = 0;
	} else if (qr && t->layout == SIGN_LAYOUT_QR_TEXT) {
		if ((rc = qr_draw(out, lk->qr_url, pad, pad, inner)) < 0)
			goto out;
		tx0 = pad + inner + 3;
		qr = 0;
	} else if (qr) {
		if ((rc = qr_draw(out, lk->qr_url, lk->w - pad - inner, pad, inner)) < 0)
			goto out;
		tx1 = lk->w - pad - inner - 2;
	}
	if (img && inner > 4) {
		if ((rc = image_draw(&used, out, imname, iw, ih, tx0, ylo, inner,
		                     (tx1 - tx0) * 0.35)) < 0)
			goto out;
		tx0 += used + 4;
	}
	rc = lines_draw(out, lines, n, tx0, tx1, ylo, inner);
out:
	buf_free(&nip);
	return rc;
}

int
pades_appearance(struct buf *out, const struct pades_look *lk)
{
	const char *lines[8];
	char tbuf[32], when[48];
	struct buf l4, l5;
	double pad = 3, inner, tx0, tx1, qrx = 0, ylo, side;
	size_t n = 0;
	int rc;

	if (lk->tpl != NULL && lk->w > 0 && lk->h > 0)
		return appearance_tpl(out, lk);
	buf_init(&l4, 4096);
	buf_init(&l5, 4096);
	if (lk->w <= 0 || lk->h <= 0)
		return sertel_err(SERTEL_EINVAL, "appearance: empty box");
	time_fmt(tbuf, lk->when);
	/* "2026-11-22T07:00:00Z" -> "2026-11-22 07:00:00 UTC" */
	snprintf(when, sizeof(when), "Tanggal: %.10s %.8s UTC", tbuf, tbuf + 11);
	lines[n++] = "Ditandatangani secara elektronik oleh:";
	lines[n++] = lk->signer != NULL ? lk->signer : "?";
	lines[n++] = when;
	if (lk->reason != NULL && *lk->reason != '\0') {
		if ((rc = buf_appendf(&l4, "Alasan: %s", lk->reason)) < 0 ||
		    (rc = buf_cstr(&l4)) < 0)
			goto out;
		lines[n++] = (char *)l4.data;
	}
	if (lk->location != NULL && *lk->location != '\0') {
		if ((rc = buf_appendf(&l5, "Lokasi: %s", lk->location)) < 0 ||
		    (rc = buf_cstr(&l5)) < 0)
			goto out;
		lines[n++] = (char *)l5.data;
	}
	if (lk->text != NULL && *lk->text != '\0')
		lines[n++] = lk->text;

	inner = lk->h - 2 * pad;
	tx0 = pad + 2;
	tx1 = lk->w - pad - 2;
	/* White background (it also hides a marker) and a thin frame. */
	if ((rc = buf_appendf(out,
	                      "q 1 g 0 0 %.2f %.2f re f Q\n"
	                      "q 0.10 0.23 0.45 RG 0.8 w 0.4 0.4 %.2f %.2f re S Q\n",
	                      lk->w, lk->h, lk->w - 0.8, lk->h - 0.8)) < 0)
		goto out;
	ylo = pad;
	if (lk->qr_url != NULL && *lk->qr_url != '\0' && inner > 8) {
		if (lk->w - inner - 2 * pad >= lk->w / 2) {
			/* A wide box: the QR code at the right, text beside it. */
			qrx = lk->w - pad - inner;
			if ((rc = qr_draw(out, lk->qr_url, qrx, pad, inner)) < 0)
				goto out;
			tx1 = qrx - 2;
		} else {
			/* A square or tall box (as BSrE users draw them): the QR
			 * code centred at the top, the text below it, never on
			 * top of each other. */
			side = lk->w - 2 * pad;
			if (side > inner * 0.6)
				side = inner * 0.6;
			if ((rc = qr_draw(out, lk->qr_url, (lk->w - side) / 2,
			                  lk->h - pad - side, side)) < 0)
				goto out;
			inner -= side + 2;
		}
	}
	if (lk->have_image && lk->image_w > 0 && lk->image_h > 0 && inner > 4) {
		double s =
		    inner / (lk->image_w > lk->image_h ? lk->image_w : lk->image_h);
		double iw = lk->image_w * s, ih = lk->image_h * s;

		if ((rc = buf_appendf(out,
		                      "q %.3f 0 0 %.3f %.3f %.3f cm /SertelIm1 Do Q\n",
		                      iw, ih, pad, ylo + (inner - ih) / 2)) < 0)
			goto out;
		tx0 = pad + iw + 4;
	}
	rc = lines_draw(out, lines, n, tx0, tx1, ylo, inner);
out:
	buf_free(&l4);
	buf_free(&l5);
	return rc;
}

/* ---- the footer ----------------------------------------------------------- */

/* Helvetica width of s[0..e), at size 1. */
static double
span_width(const char *s, const char *e)
{
	double w = 0;

	while (s < e && *s != '\0')
		w += helv_width(winansi(utf8_next(&s)));
	return w / 1000.0;
}

int
pades_footer(struct buf *out, const char *text, const double box[4])
{
	const double fs = 7, lead = 8.4;
	double width = box[2] - box[0] - 72, lw = 0;
	const char *la[FOOTER_MAX_LINES], *lb[FOOTER_MAX_LINES], *p = text;
	const char *ls = NULL, *le = NULL; /* the line being filled */
	size_t nl = 0, i;
	int rc;

	if (width < 72)
		width = box[2] - box[0] - 8;
	/* Greedy word wrap in Helvetica 7 pt, linear in the text. */
	for (;;) {
		const char *w0, *w1;
		double add;

		while (*p == ' ')
			p++;
		w0 = p;
		while (*p != '\0' && *p != ' ')
			p++;
		w1 = p;
		if (w1 == w0)
			break;
		if (ls == NULL) {
			ls = w0;
			le = w1;
			lw = span_width(w0, w1);
			continue;
		}
		add = span_width(le, w1); /* the spaces and the word */
		if ((lw + add) * fs <= width) {
			le = w1;
			lw += add;
			continue;
		}
		if (nl == FOOTER_MAX_LINES)
			break;
		la[nl] = ls;
		lb[nl++] = le;
		ls = w0;
		le = w1;
		lw = span_width(w0, w1);
	}
	if (ls != NULL && nl < FOOTER_MAX_LINES) {
		la[nl] = ls;
		lb[nl++] = le;
	}
	if (nl == 0)
		return 0;
	if ((rc = buf_appendf(out, "q BT /%s %.1f Tf 0.25 g %.1f TL %.2f %.2f Td\n",
	                      PADES_FOOTER_FONT, fs, lead, box[0] + 36,
	                      box[1] + 12 + (nl - 1) * lead)) < 0)
		return rc;
	for (i = 0; i < nl; i++) {
		if ((rc = winansi_literal_n(out, la[i], lb[i])) < 0 ||
		    (rc = pades_puts(out, i + 1 < nl ? " Tj T*\n" : " Tj\n")) < 0)
			return rc;
	}
	return pades_puts(out, "ET Q\n");
}

/* ---- marker search -------------------------------------------------------- */

/* The marker is text a reader sees: the PDF subsystem finds it. */
int
pades_marker_find(int *page, double pos[3], struct pdf_doc *doc, const char *marker)
{
	double rect[4];
	int rc, npages;

	if (marker[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "marker: empty");
	rc = pdf_text_find(doc, marker, page, rect);
	if (rc == SERTEL_ENOTFOUND && (npages = pdf_page_count(doc)) >= 0)
		return sertel_err(SERTEL_ENOTFOUND,
		                  "marker: text \"%s\" not found on any of %d page(s)",
		                  marker, npages);
	if (rc < 0)
		return rc;
	pos[0] = rect[0];
	pos[1] = rect[1];
	pos[2] = rect[3] - rect[1];
	return 0;
}
