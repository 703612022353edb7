/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fonts as text extraction sees them (ISO 32000-1 9.6-9.10): how a shown
 * string splits into character codes, what each code means in Unicode
 * and how far it advances.
 *
 * Unicode comes from the font's ToUnicode CMap when it has one (9.10.2
 * step 1), else for a simple font from its encoding: a standard one
 * (WinAnsi, MacRoman, Standard; Annex D) with /Differences glyph names
 * looked up in the Adobe Glyph List (Latin, digits, punctuation) or spelt
 * uniXXXX / uXXXX[XX].  A code with no mapping has no Unicode at all:
 * it never matches text, rather than being guessed from its byte (a
 * subset font's code 0x24 may be any glyph).
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

struct cmap_space {
	uint8_t n;
	uint8_t lo[4], hi[4];
};

struct cmap_map {
	uint32_t lo, hi;
	uint8_t n;    /* bytes of the source codes */
	uint8_t ndst; /* code points in dst (bf), 1 for a CID */
	uint32_t dst[PDF_CMAP_MAX_DST];
};

struct pdf_cmap {
	struct cmap_space sp[PDF_CMAP_MAX_SPACES];
	size_t nsp;
	struct cmap_map *m;
	size_t nm, capm;
	int identity; /* Identity-H/V: two bytes, CID = code */
};

struct wrange {
	uint32_t lo, hi;
	double w;
};

struct pdf_font {
	int composite;
	struct pdf_cmap *tou; /* ToUnicode, or NULL */
	struct pdf_cmap *enc; /* composite: code -> CID */
	/* simple */
	uint32_t uni[256];
	double w[256]; /* text space units at font size 1 */
	/* composite: /W and /DW (thousandths) */
	struct wrange *wr;
	size_t nwr;
	double dw;
};

/* ---- glyph names (Adobe Glyph List, the Latin part) ---------------------- */

/* Names of U+0020..U+007E, then of U+00A0..U+00FF. */
static const char *const agl_ascii[95] = {"space",       "exclam",
                                          "quotedbl",    "numbersign",
                                          "dollar",      "percent",
                                          "ampersand",   "quotesingle",
                                          "parenleft",   "parenright",
                                          "asterisk",    "plus",
                                          "comma",       "hyphen",
                                          "period",      "slash",
                                          "zero",        "one",
                                          "two",         "three",
                                          "four",        "five",
                                          "six",         "seven",
                                          "eight",       "nine",
                                          "colon",       "semicolon",
                                          "less",        "equal",
                                          "greater",     "question",
                                          "at",          "A",
                                          "B",           "C",
                                          "D",           "E",
                                          "F",           "G",
                                          "H",           "I",
                                          "J",           "K",
                                          "L",           "M",
                                          "N",           "O",
                                          "P",           "Q",
                                          "R",           "S",
                                          "T",           "U",
                                          "V",           "W",
                                          "X",           "Y",
                                          "Z",           "bracketleft",
                                          "backslash",   "bracketright",
                                          "asciicircum", "underscore",
                                          "grave",       "a",
                                          "b",           "c",
                                          "d",           "e",
                                          "f",           "g",
                                          "h",           "i",
                                          "j",           "k",
                                          "l",           "m",
                                          "n",           "o",
                                          "p",           "q",
                                          "r",           "s",
                                          "t",           "u",
                                          "v",           "w",
                                          "x",           "y",
                                          "z",           "braceleft",
                                          "bar",         "braceright",
                                          "asciitilde"};

static const char *const agl_latin1[96] = {"nbspace",
                                           "exclamdown",
                                           "cent",
                                           "sterling",
                                           "currency",
                                           "yen",
                                           "brokenbar",
                                           "section",
                                           "dieresis",
                                           "copyright",
                                           "ordfeminine",
                                           "guillemotleft",
                                           "logicalnot",
                                           "sfthyphen",
                                           "registered",
                                           "macron",
                                           "degree",
                                           "plusminus",
                                           "twosuperior",
                                           "threesuperior",
                                           "acute",
                                           "mu",
                                           "paragraph",
                                           "periodcentered",
                                           "cedilla",
                                           "onesuperior",
                                           "ordmasculine",
                                           "guillemotright",
                                           "onequarter",
                                           "onehalf",
                                           "threequarters",
                                           "questiondown",
                                           "Agrave",
                                           "Aacute",
                                           "Acircumflex",
                                           "Atilde",
                                           "Adieresis",
                                           "Aring",
                                           "AE",
                                           "Ccedilla",
                                           "Egrave",
                                           "Eacute",
                                           "Ecircumflex",
                                           "Edieresis",
                                           "Igrave",
                                           "Iacute",
                                           "Icircumflex",
                                           "Idieresis",
                                           "Eth",
                                           "Ntilde",
                                           "Ograve",
                                           "Oacute",
                                           "Ocircumflex",
                                           "Otilde",
                                           "Odieresis",
                                           "multiply",
                                           "Oslash",
                                           "Ugrave",
                                           "Uacute",
                                           "Ucircumflex",
                                           "Udieresis",
                                           "Yacute",
                                           "Thorn",
                                           "germandbls",
                                           "agrave",
                                           "aacute",
                                           "acircumflex",
                                           "atilde",
                                           "adieresis",
                                           "aring",
                                           "ae",
                                           "ccedilla",
                                           "egrave",
                                           "eacute",
                                           "ecircumflex",
                                           "edieresis",
                                           "igrave",
                                           "iacute",
                                           "icircumflex",
                                           "idieresis",
                                           "eth",
                                           "ntilde",
                                           "ograve",
                                           "oacute",
                                           "ocircumflex",
                                           "otilde",
                                           "odieresis",
                                           "divide",
                                           "oslash",
                                           "ugrave",
                                           "uacute",
                                           "ucircumflex",
                                           "udieresis",
                                           "yacute",
                                           "thorn",
                                           "ydieresis"};

static const struct {
	const char *name;
	uint32_t cp;
} agl_more[] = {
    {"quoteleft", 0x2018},
    {"quoteright", 0x2019},
    {"quotesinglbase", 0x201A},
    {"quotedblleft", 0x201C},
    {"quotedblright", 0x201D},
    {"quotedblbase", 0x201E},
    {"dagger", 0x2020},
    {"daggerdbl", 0x2021},
    {"bullet", 0x2022},
    {"ellipsis", 0x2026},
    {"perthousand", 0x2030},
    {"guilsinglleft", 0x2039},
    {"guilsinglright", 0x203A},
    {"fraction", 0x2044},
    {"Euro", 0x20AC},
    {"trademark", 0x2122},
    {"endash", 0x2013},
    {"emdash", 0x2014},
    {"minus", 0x2212},
    {"florin", 0x0192},
    {"circumflex", 0x02C6},
    {"tilde", 0x02DC},
    {"caron", 0x02C7},
    {"breve", 0x02D8},
    {"dotaccent", 0x02D9},
    {"ring", 0x02DA},
    {"ogonek", 0x02DB},
    {"hungarumlaut", 0x02DD},
    {"dotlessi", 0x0131},
    {"Lslash", 0x0141},
    {"lslash", 0x0142},
    {"OE", 0x0152},
    {"oe", 0x0153},
    {"Scaron", 0x0160},
    {"scaron", 0x0161},
    {"Ydieresis", 0x0178},
    {"Zcaron", 0x017D},
    {"zcaron", 0x017E},
    {"fi", 0xFB01},
    {"fl", 0xFB02},
    {"ff", 0xFB00},
    {"ffi", 0xFB03},
    {"ffl", 0xFB04},
    {"nonbreakingspace", 0x00A0},
    {"periodcentered", 0x00B7},
    {"middot", 0x00B7},
    {"softhyphen", 0x00AD},
    {"mu1", 0x00B5},
};

/* n hex digits of s (upper case, as the glyph list's conventions say);
 * -1 if they are not. */
static long
hexn(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\0' || hex_digit(s[i]) < 0 || (s[i] >= 'a' && s[i] <= 'f'))
			return -1;
		v = v * 16 + hex_digit(s[i]);
	}
	return v;
}

static int
cp_ok(long v)
{
	return v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
}

uint32_t
pdf_glyph_unicode(const char *name)
{
	char base[64];
	const char *dot;
	size_t len, i;
	long v;

	if (name == NULL)
		return 0;
	/* "a.sc", "A.alt": the part before the first period names it */
	dot = strchr(name, '.');
	len = dot ? (size_t)(dot - name) : strlen(name);
	if (len == 0 || len >= sizeof(base))
		return 0;
	memcpy(base, name, len);
	base[len] = '\0';
	for (i = 0; i < 95; i++)
		if (strcmp(agl_ascii[i], base) == 0)
			return (uint32_t)(0x20 + i);
	for (i = 0; i < 96; i++)
		if (strcmp(agl_latin1[i], base) == 0)
			return (uint32_t)(0xA0 + i);
	for (i = 0; i < sizeof(agl_more) / sizeof(agl_more[0]); i++)
		if (strcmp(agl_more[i].name, base) == 0)
			return agl_more[i].cp;
	/* uniXXXX (the first of several is the one we keep), uXXXX..uXXXXXX */
	if (len >= 7 && strncmp(base, "uni", 3) == 0 && (len - 3) % 4 == 0 &&
	    (v = hexn(base + 3, 4)) >= 0 && cp_ok(v))
		return (uint32_t)v;
	if (len >= 5 && len <= 7 && base[0] == 'u' &&
	    (v = hexn(base + 1, len - 1)) >= 0 && cp_ok(v))
		return (uint32_t)v;
	return 0;
}

/* ---- standard encodings (Annex D) ---------------------------------------- */

/* WinAnsi 0x80..0x9F (0: undefined); 0xA0..0xFF is Latin-1. */
static const uint16_t winansi_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static const uint16_t macroman_hi[128] = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2,
    0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC,
    0x00EE, 0x00EF, 0x00F1, 0x00F3, 0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9,
    0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,
    0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8, 0x221E, 0x00B1,
    0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248,
    0x2206, 0x00AB, 0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
    0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178,
    0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02, 0x2021, 0x00B7, 0x201A, 0x201E,
    0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC,
    0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7};

/* StandardEncoding 0xA1..0xFB (0: undefined). */
static const uint16_t standard_hi[91] = {
    0x00A1, 0x00A2, 0x00A3, 0x2044, 0x00A5, 0x0192, 0x00A7, 0x00A4, 0x0027, 0x201C,
    0x00AB, 0x2039, 0x203A, 0xFB01, 0xFB02, 0,      0x2013, 0x2020, 0x2021, 0x00B7,
    0,      0x00B6, 0x2022, 0x201A, 0x201E, 0x201D, 0x00BB, 0x2026, 0x2030, 0,
    0x00BF, 0,      0x0060, 0x00B4, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9, 0x00A8,
    0,      0x02DA, 0x00B8, 0,      0x02DD, 0x02DB, 0x02C7, 0x2014, 0,      0,
    0,      0,      0,      0,      0,      0,      0,      0,      0,      0,
    0,      0,      0,      0,      0x00C6, 0,      0x00AA, 0,      0,      0,
    0,      0x0141, 0x00D8, 0x0152, 0x00BA, 0,      0,      0,      0,      0,
    0x00E6, 0,      0,      0,      0x0131, 0,      0,      0x0142, 0x00F8, 0x0153,
    0x00DF};

uint32_t
pdf_encoding_unicode(enum pdf_encoding enc, unsigned char c)
{
	switch (enc) {
	case PDF_ENC_WINANSI:
		if (c >= 0x20 && c <= 0x7E)
			return c;
		if (c >= 0x80 && c <= 0x9F)
			return winansi_hi[c - 0x80];
		if (c >= 0xA0)
			return c == 0xAD ? 0x2D : c;
		return 0;
	case PDF_ENC_MACROMAN:
		if (c >= 0x20 && c <= 0x7E)
			return c;
		if (c >= 0x80)
			return macroman_hi[c - 0x80];
		return 0;
	case PDF_ENC_STANDARD:
		if (c == 0x27)
			return 0x2019;
		if (c == 0x60)
			return 0x2018;
		if (c >= 0x20 && c <= 0x7E)
			return c;
		if (c >= 0xA1 && c <= 0xFB)
			return standard_hi[c - 0xA1];
		return 0;
	case PDF_ENC_NONE: break;
	}
	return 0;
}

/* ---- CMaps (9.7.5, 9.10.3; Adobe TN 5014 and 5411) ------------------------ */

void
pdf_cmap_free(struct pdf_cmap *cm)
{
	if (cm == NULL)
		return;
	free(cm->m);
	free(cm);
}

static uint32_t
code_of(const unsigned char *s, size_t n)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v << 8) | s[i];
	return v;
}

static int
cmap_add(struct pdf_cmap *cm, const struct cmap_map *e)
{
	int rc;

	if ((rc = pdf_grow((void **)&cm->m, &cm->capm, cm->nm, sizeof(*cm->m),
	                   PDF_CMAP_MAX_MAPS, "cmap: mappings")) < 0)
		return rc;
	cm->m[cm->nm++] = *e;
	return 0;
}

/* UTF-16BE bytes (9.10.3: the destination of bfchar/bfrange) to code
 * points; 0 when it has none or too many. */
static size_t
utf16_cps(uint32_t *dst, const unsigned char *p, size_t len)
{
	size_t i, n = 0;

	if (len == 0 || len % 2 != 0)
		return 0;
	for (i = 0; i + 1 < len; i += 2) {
		uint32_t u = ((uint32_t)p[i] << 8) | p[i + 1];

		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			uint32_t l = ((uint32_t)p[i + 2] << 8) | p[i + 3];

			if (l >= 0xDC00 && l <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
				i += 2;
			}
		}
		if ((u >= 0xD800 && u <= 0xDFFF) || n == PDF_CMAP_MAX_DST)
			return 0;
		dst[n++] = u;
	}
	return n;
}

/* A source code: a string of 1..4 bytes. */
static int
src_code(const struct pdf_obj *o, uint32_t *code, uint8_t *n)
{
	const unsigned char *p;
	size_t len;

	if ((p = pdf_str(o, &len)) == NULL || len < 1 || len > 4)
		return -1;
	*code = code_of(p, len);
	*n = (uint8_t)len;
	return 0;
}

/* The destination of a bf mapping: a UTF-16BE string or a glyph name. */
static int
bf_dst(struct cmap_map *e, const struct pdf_obj *o)
{
	const unsigned char *p;
	size_t len;

	if ((p = pdf_str(o, &len)) != NULL) {
		e->ndst = (uint8_t)utf16_cps(e->dst, p, len);
	} else if (pdf_name(o) != NULL) {
		e->dst[0] = pdf_glyph_unicode(pdf_name(o));
		e->ndst = e->dst[0] != 0;
	} else {
		return -1;
	}
	return e->ndst > 0 ? 0 : -1;
}

static int
cmap_section(struct pdf_cmap *cm, const char *op, const struct pdf_obj *const *o,
             size_t n)
{
	struct cmap_map e;
	size_t i, k;
	int rc;

	if (strcmp(op, "endcodespacerange") == 0) {
		for (i = 0; i + 1 < n; i += 2) {
			const unsigned char *lo, *hi;
			size_t ll, hl;

			if ((lo = pdf_str(o[i], &ll)) == NULL ||
			    (hi = pdf_str(o[i + 1], &hl)) == NULL || ll != hl || ll < 1 ||
			    ll > 4 || cm->nsp >= PDF_CMAP_MAX_SPACES)
				continue;
			cm->sp[cm->nsp].n = (uint8_t)ll;
			memcpy(cm->sp[cm->nsp].lo, lo, ll);
			memcpy(cm->sp[cm->nsp].hi, hi, ll);
			cm->nsp++;
		}
	} else if (strcmp(op, "endbfchar") == 0 || strcmp(op, "endcidchar") == 0) {
		int cid = op[3] == 'c';

		for (i = 0; i + 1 < n; i += 2) {
			long long v;

			memset(&e, 0, sizeof(e));
			if (src_code(o[i], &e.lo, &e.n) < 0)
				continue;
			e.hi = e.lo;
			if (cid) {
				if (pdf_int(o[i + 1], &v) < 0 || v < 0 || v > 0xFFFF)
					continue;
				e.dst[0] = (uint32_t)v;
				e.ndst = 1;
			} else if (bf_dst(&e, o[i + 1]) < 0) {
				continue;
			}
			if ((rc = cmap_add(cm, &e)) < 0)
				return rc;
		}
	} else if (strcmp(op, "endbfrange") == 0 || strcmp(op, "endcidrange") == 0) {
		int cid = op[3] == 'c';

		for (i = 0; i + 2 < n; i += 3) {
			uint32_t hi;
			uint8_t hn;
			long long v;

			memset(&e, 0, sizeof(e));
			if (src_code(o[i], &e.lo, &e.n) < 0 ||
			    src_code(o[i + 1], &hi, &hn) < 0 || hn != e.n || hi < e.lo)
				continue;
			if (cid) {
				if (pdf_int(o[i + 2], &v) < 0 || v < 0 || v > 0xFFFF)
					continue;
				e.hi = hi;
				e.dst[0] = (uint32_t)v;
				e.ndst = 1;
				if ((rc = cmap_add(cm, &e)) < 0)
					return rc;
			} else if (pdf_kind(o[i + 2]) == PDF_ARRAY) {
				/* 9.10.3: one destination per code of the range */
				const struct pdf_obj *a = o[i + 2];

				for (k = 0; k < pdf_len(a) && e.lo + k <= hi; k++) {
					struct cmap_map one;

					memset(&one, 0, sizeof(one));
					one.lo = one.hi = e.lo + (uint32_t)k;
					one.n = e.n;
					if (bf_dst(&one, pdf_at(a, k)) < 0)
						continue;
					if ((rc = cmap_add(cm, &one)) < 0)
						return rc;
				}
			} else {
				e.hi = hi;
				if (bf_dst(&e, o[i + 2]) < 0)
					continue;
				if ((rc = cmap_add(cm, &e)) < 0)
					return rc;
			}
		}
	}
	return 0;
}

static int
map_cmp(const void *a, const void *b)
{
	const struct cmap_map *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

int
pdf_cmap_parse(struct pdf_cmap **out, const unsigned char *data, size_t len)
{
	struct pdf_cmap *cm = NULL;
	struct pdf_cs *cs = NULL;
	const struct pdf_obj *const *ops;
	const char *op;
	size_t n;
	int rc;

	*out = NULL;
	if ((cm = calloc(1, sizeof(*cm))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "cmap: out of memory");
	/* The CMap language is PostScript, but the sections that matter are
	 * operands followed by a keyword, as in a content stream. */
	if ((rc = pdf_cs_open(&cs, data, len)) < 0)
		goto out;
	while ((rc = pdf_cs_next(cs, &op, &ops, &n)) == 1)
		if ((rc = cmap_section(cm, op, ops, n)) < 0)
			goto out;
	if (rc < 0)
		goto out;
	if (cm->nm > 0)
		qsort(cm->m, cm->nm, sizeof(*cm->m), map_cmp);
	*out = cm;
	cm = NULL;
	rc = 0;
out:
	pdf_cs_free(cs);
	pdf_cmap_free(cm);
	return rc;
}

size_t
pdf_cmap_code(const struct pdf_cmap *cm, const unsigned char *s, size_t len,
              uint32_t *code)
{
	size_t n, i, k;

	if (cm->identity || cm->nsp == 0) {
		/* Identity-H and a CMap that names no code space: two bytes */
		n = len >= 2 ? 2 : len;
		*code = code_of(s, n);
		return n;
	}
	/* 9.7.6.2: the shortest code space range the leading bytes fall in */
	for (n = 1; n <= 4 && n <= len; n++) {
		for (i = 0; i < cm->nsp; i++) {
			if (cm->sp[i].n != n)
				continue;
			for (k = 0; k < n; k++)
				if (s[k] < cm->sp[i].lo[k] || s[k] > cm->sp[i].hi[k])
					break;
			if (k == n) {
				*code = code_of(s, n);
				return n;
			}
		}
	}
	/* no range: one byte, with no meaning */
	*code = 0xFFFFFFFFu;
	return 1;
}

size_t
pdf_cmap_map(const struct pdf_cmap *cm, uint32_t code, size_t n, uint32_t *dst)
{
	size_t lo = 0, hi = cm->nm, i;
	struct cmap_map key;
	const struct cmap_map *e;

	if (cm->nm == 0)
		return 0;
	memset(&key, 0, sizeof(key));
	key.n = (uint8_t)n;
	key.lo = code;
	/* the last mapping starting at or before code */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map_cmp(&cm->m[mid], &key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	e = &cm->m[lo - 1];
	if (e->n != n || code < e->lo || code > e->hi)
		return 0;
	for (i = 0; i < e->ndst; i++)
		dst[i] = e->dst[i];
	/* bfrange with a string: the last code point counts up (9.10.3) */
	dst[e->ndst - 1] += code - e->lo;
	return e->ndst;
}

/* ---- growing arrays -------------------------------------------------------- */

int
pdf_grow(void **p, size_t *cap, size_t n, size_t size, size_t max, const char *what)
{
	size_t nc;
	void *np;

	if (n < *cap)
		return 0;
	if (n >= max)
		return sertel_err(SERTEL_ETOOBIG, "%s: more than %zu (a hostile file?)",
		                  what, max);
	nc = *cap ? *cap * 2 : 64;
	if (nc > max)
		nc = max;
	if ((np = realloc(*p, nc * size)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "%s: out of memory", what);
	*p = np;
	*cap = nc;
	return 0;
}

/* ---- font dictionaries ---------------------------------------------------- */

void
pdf_font_free(struct pdf_font *f)
{
	if (f == NULL)
		return;
	pdf_cmap_free(f->tou);
	pdf_cmap_free(f->enc);
	free(f->wr);
	free(f);
}

static int
stream_cmap(struct pdf_cmap **out, struct pdf_doc *doc, const struct pdf_obj *s)
{
	struct buf b;
	int rc;

	*out = NULL;
	buf_init(&b, PDF_CMAP_MAX_BYTES);
	if ((rc = pdf_stream_decode(&b, doc, s)) == 0)
		rc = pdf_cmap_parse(out, b.data ? b.data : (const unsigned char *)"",
		                    b.len);
	buf_free(&b);
	return rc;
}

/* Adobe's Helvetica AFM widths for codes 32..126: the fallback of a
 * simple font without /Widths (the standard 14 fonts, 9.6.2.2). */
static const short helv_w[95] = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};

double
pdf_helvetica_width(unsigned char c)
{
	return c >= 32 && c <= 126 ? helv_w[c - 32] : 556;
}

static enum pdf_encoding
enc_named(const char *n)
{
	if (n == NULL)
		return PDF_ENC_NONE;
	if (strcmp(n, "WinAnsiEncoding") == 0)
		return PDF_ENC_WINANSI;
	if (strcmp(n, "MacRomanEncoding") == 0)
		return PDF_ENC_MACROMAN;
	if (strcmp(n, "StandardEncoding") == 0)
		return PDF_ENC_STANDARD;
	return PDF_ENC_NONE;
}

static void
simple_load(struct pdf_font *f, struct pdf_doc *doc, const struct pdf_obj *font)
{
	const struct pdf_obj *enc, *diff, *widths, *fd, *o, *st, *base, *fm;
	const char *bn, *sub;
	enum pdf_encoding be = PDF_ENC_NONE;
	double scale = 0.001, missing = -1, v;
	long long first = 0, flags = 0;
	int symbolic, subset, courier, i;
	size_t k;

	sub = pdf_name(pdf_getr(doc, font, "Subtype"));
	base = pdf_getr(doc, font, "BaseFont");
	bn = base ? pdf_name(base) : NULL;
	/* "ABCDEF+Name": a subset, whose built-in encoding is its own */
	subset = bn != NULL && strlen(bn) > 7 && bn[6] == '+';
	courier = bn != NULL && strstr(bn, "Courier") != NULL;
	fd = pdf_getr(doc, font, "FontDescriptor");
	if (fd != NULL && pdf_kind(fd) == PDF_DICT) {
		if ((o = pdf_getr(doc, fd, "Flags")) != NULL)
			(void)pdf_int(o, &flags);
		if ((o = pdf_getr(doc, fd, "MissingWidth")) != NULL &&
		    pdf_num(o, &v) == 0)
			missing = v;
	}
	symbolic = (flags & 4) != 0 && (flags & 32) == 0;
	if (sub != NULL && strcmp(sub, "Type3") == 0) {
		fm = pdf_getr(doc, font, "FontMatrix");
		if (fm != NULL && pdf_kind(fm) == PDF_ARRAY && pdf_len(fm) == 6 &&
		    pdf_num(pdf_resolve(doc, pdf_at(fm, 0)), &v) == 0 && v > 0 && v < 1)
			scale = v;
		symbolic = 1;
	}
	enc = pdf_getr(doc, font, "Encoding");
	/* 9.6.6: without a base encoding, a non-symbolic font's is
	 * Standard; a symbolic or subset font's is built in: unknown here. */
	if (enc != NULL && pdf_kind(enc) == PDF_NAME)
		be = enc_named(pdf_name(enc));
	else if (enc != NULL && pdf_kind(enc) == PDF_DICT)
		be = enc_named(pdf_name(pdf_getr(doc, enc, "BaseEncoding")));
	if (be == PDF_ENC_NONE && !symbolic && !subset)
		be = sub != NULL && strcmp(sub, "TrueType") == 0 ? PDF_ENC_WINANSI
		                                                 : PDF_ENC_STANDARD;
	for (i = 0; i < 256; i++)
		f->uni[i] = pdf_encoding_unicode(be, (unsigned char)i);
	diff = enc != NULL && pdf_kind(enc) == PDF_DICT
	           ? pdf_getr(doc, enc, "Differences")
	           : NULL;
	if (diff != NULL && pdf_kind(diff) == PDF_ARRAY) {
		long long code = -1;

		for (k = 0; k < pdf_len(diff); k++) {
			const struct pdf_obj *d = pdf_resolve(doc, pdf_at(diff, k));
			long long c;

			if (d != NULL && pdf_int(d, &c) == 0) {
				code = c;
			} else if (d != NULL && pdf_name(d) != NULL && code >= 0 &&
			           code < 256) {
				f->uni[code] = pdf_glyph_unicode(pdf_name(d));
				code++;
			}
		}
	}
	widths = pdf_getr(doc, font, "Widths");
	st = pdf_getr(doc, font, "FirstChar");
	if (st == NULL || pdf_int(st, &first) < 0 || first < 0 || first > 255)
		first = 0;
	for (i = 0; i < 256; i++) {
		if (courier)
			f->w[i] = 600;
		else if (missing >= 0 && widths != NULL)
			f->w[i] = missing;
		else
			f->w[i] = pdf_helvetica_width((unsigned char)i);
	}
	if (widths != NULL && pdf_kind(widths) == PDF_ARRAY)
		for (k = 0; k < pdf_len(widths) && first + (long long)k < 256; k++)
			if ((o = pdf_resolve(doc, pdf_at(widths, k))) != NULL &&
			    pdf_num(o, &v) == 0)
				f->w[first + (long long)k] = v;
	for (i = 0; i < 256; i++)
		f->w[i] *= scale;
}

static int
wr_add(struct pdf_font *f, size_t *cap, uint32_t lo, uint32_t hi, double w)
{
	int rc;

	if ((rc = pdf_grow((void **)&f->wr, cap, f->nwr, sizeof(*f->wr),
	                   PDF_CMAP_MAX_MAPS, "font: /W entries")) < 0)
		return rc;
	f->wr[f->nwr].lo = lo;
	f->wr[f->nwr].hi = hi;
	f->wr[f->nwr].w = w;
	f->nwr++;
	return 0;
}

static int
wr_cmp(const void *a, const void *b)
{
	const struct wrange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* 9.7.4.3: /W is "c [w1 w2 ...]" and "cfirst clast w" in any mix. */
static int
widths_load(struct pdf_font *f, struct pdf_doc *doc, const struct pdf_obj *w)
{
	size_t i = 0, k, cap = 0;
	long long c, c2;
	double v;
	int rc;

	while (i + 1 < pdf_len(w)) {
		const struct pdf_obj *a = pdf_resolve(doc, pdf_at(w, i));
		const struct pdf_obj *b = pdf_resolve(doc, pdf_at(w, i + 1));

		if (a == NULL || b == NULL || pdf_int(a, &c) < 0 || c < 0 || c > 0xFFFF)
			return 0;
		if (pdf_kind(b) == PDF_ARRAY) {
			for (k = 0; k < pdf_len(b) && c + (long long)k <= 0xFFFF; k++) {
				const struct pdf_obj *e = pdf_resolve(doc, pdf_at(b, k));

				if (e != NULL && pdf_num(e, &v) == 0 &&
				    (rc = wr_add(f, &cap, (uint32_t)(c + (long long)k),
				                 (uint32_t)(c + (long long)k), v)) < 0)
					return rc;
			}
			i += 2;
		} else {
			const struct pdf_obj *d = i + 2 < pdf_len(w)
			                              ? pdf_resolve(doc, pdf_at(w, i + 2))
			                              : NULL;

			if (pdf_int(b, &c2) < 0 || c2 < c || c2 > 0xFFFF || d == NULL ||
			    pdf_num(d, &v) < 0)
				return 0;
			if ((rc = wr_add(f, &cap, (uint32_t)c, (uint32_t)c2, v)) < 0)
				return rc;
			i += 3;
		}
	}
	if (f->nwr > 0)
		qsort(f->wr, f->nwr, sizeof(*f->wr), wr_cmp);
	return 0;
}

static int
composite_load(struct pdf_font *f, struct pdf_doc *doc, const struct pdf_obj *font)
{
	const struct pdf_obj *enc, *desc, *cid, *w, *dw;
	double v;
	int rc;

	f->composite = 1;
	f->dw = 1000;
	enc = pdf_getr(doc, font, "Encoding");
	if (enc != NULL && pdf_kind(enc) == PDF_STREAM) {
		if ((rc = stream_cmap(&f->enc, doc, enc)) < 0)
			f->enc = NULL;
	}
	if (f->enc == NULL) {
		/* Identity-H/V; another predefined CMap: two-byte codes whose
		 * Unicode only a ToUnicode CMap can tell */
		if ((f->enc = calloc(1, sizeof(*f->enc))) == NULL)
			return sertel_err(SERTEL_ENOMEM, "font: out of memory");
		f->enc->identity = 1;
	}
	desc = pdf_getr(doc, font, "DescendantFonts");
	if (desc == NULL || pdf_kind(desc) != PDF_ARRAY || pdf_len(desc) < 1)
		return 0;
	cid = pdf_resolve(doc, pdf_at(desc, 0));
	if (cid == NULL || pdf_kind(cid) != PDF_DICT)
		return 0;
	if ((dw = pdf_getr(doc, cid, "DW")) != NULL && pdf_num(dw, &v) == 0)
		f->dw = v;
	w = pdf_getr(doc, cid, "W");
	if (w != NULL && pdf_kind(w) == PDF_ARRAY)
		return widths_load(f, doc, w);
	return 0;
}

int
pdf_font_load(struct pdf_font **out, struct pdf_doc *doc, const struct pdf_obj *font)
{
	struct pdf_font *f;
	const struct pdf_obj *tu;
	int rc;

	*out = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "font: out of memory");
	if (font != NULL && pdf_kind(font) == PDF_DICT) {
		if (pdf_name_is(pdf_getr(doc, font, "Subtype"), "Type0")) {
			if ((rc = composite_load(f, doc, font)) < 0) {
				pdf_font_free(f);
				return rc;
			}
		} else {
			simple_load(f, doc, font);
		}
		/* 9.10.2: ToUnicode first; a damaged one is as none */
		tu = pdf_getr(doc, font, "ToUnicode");
		if (tu != NULL && pdf_kind(tu) == PDF_STREAM &&
		    stream_cmap(&f->tou, doc, tu) < 0)
			f->tou = NULL;
	} else {
		/* no such font: Helvetica metrics, Standard encoding */
		simple_load(f, doc, NULL);
	}
	*out = f;
	return 0;
}

static double
cid_width(const struct pdf_font *f, uint32_t cid)
{
	size_t lo = 0, hi = f->nwr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->wr[mid].lo <= cid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && cid <= f->wr[lo - 1].hi)
		return f->wr[lo - 1].w;
	return f->dw;
}

size_t
pdf_font_next(const struct pdf_font *f, const unsigned char *s, size_t len, uint32_t *cp,
              size_t *ncp, double *w, int *space)
{
	uint32_t code, cid;
	size_t n;

	*ncp = 0;
	if (!f->composite) {
		n = 1;
		code = s[0];
		*w = f->w[code];
		if (f->tou != NULL)
			*ncp = pdf_cmap_map(f->tou, code, 1, cp);
		if (*ncp == 0 && f->uni[code] != 0) {
			cp[0] = f->uni[code];
			*ncp = 1;
		}
		*space = code == 32;
		return n;
	}
	n = pdf_cmap_code(f->enc, s, len, &code);
	cid = code;
	if (!f->enc->identity && pdf_cmap_map(f->enc, code, n, cp) == 1)
		cid = cp[0];
	*w = cid_width(f, cid) / 1000.0;
	if (f->tou != NULL && code != 0xFFFFFFFFu)
		*ncp = pdf_cmap_map(f->tou, code, n, cp);
	/* 9.3.3: word spacing applies to the single-byte code 32 only */
	*space = n == 1 && code == 32;
	return n;
}
