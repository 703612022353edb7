/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page text as a reader sees it (ISO 32000-1 9.4, 9.10): the content
 * stream's show operators turned into Unicode characters with their
 * positions in default user space, through the text matrix, the CTM
 * (cm, q/Q) and form XObjects (Do, with the form's /Matrix and
 * resources).  Used to find a text on a page (a signing marker).
 *
 * Characters join in content order.  Where a character does not start
 * where the one before it ended (a TJ gap, a move to another place or
 * line), a space is inserted, so a marker with no space never matches
 * across words, and one split over several show operators on one line
 * still matches.
 *
 * Bounded work on hostile files: glyphs per page, operators per page
 * (forms included), form depth and form uses per page are capped.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_int.h"

#define TEXT_MAX_GLYPHS (4 * 1024 * 1024)  /* per page */
#define TEXT_MAX_OPS    (16 * 1024 * 1024) /* operators per page, forms included */
#define TEXT_MAX_FORMS  4096               /* form uses per page */
#define TEXT_FORM_DEPTH 12                 /* forms inside forms */
#define TEXT_MAX_FONTS  512                /* distinct fonts kept, per page at most */
#define TEXT_MAX_NEEDLE 256                /* code points of what is searched */
#define TEXT_GSTACK     64                 /* q nesting */
/* a gap wider than this (in font sizes) is a space between words; poppler
 * and pdf.js use about the same */
#define TEXT_GAP 0.15

struct tglyph {
	uint32_t cp; /* ' ' for any space; 0: a code with no Unicode */
	double x0, y0, x1, y1, fs;
};

struct gstate {
	double ctm[6];
	double fs, tc, tw, th, tl, rise;
	struct pdf_font *font;
};

struct tfont {
	const struct pdf_obj *dict;
	struct pdf_font *f;
};

struct tscan {
	struct pdf_doc *doc;
	struct gstate gs;
	struct gstate stack[TEXT_GSTACK];
	int depth;
	double tm[6], tlm[6];
	struct tfont fonts[TEXT_MAX_FONTS];
	size_t nfonts;
	struct pdf_font *nofont; /* for a Tf naming no font */
	const struct pdf_obj *forms[TEXT_FORM_DEPTH];
	int nforms;
	size_t ops, formuses;
	struct tglyph *g;
	size_t ng, capg;
	int have_end;
	double endx, endy, endfs;
};

static int scan_content(struct tscan *ts, const unsigned char *p, size_t len,
                        const struct pdf_obj *res);

/* Newton's square root: sertel does not link libm for one call. */
static double
root2(double x)
{
	double r = x > 1 ? x : 1;
	int i;

	if (x <= 0)
		return 0;
	for (i = 0; i < 60; i++) {
		double n = (r + x / r) / 2;

		if (n >= r) /* converged: from above, it only falls */
			break;
		r = n;
	}
	return r;
}

static void
mat_mul(double r[6], const double a[6], const double b[6])
{
	double t[6];

	t[0] = a[0] * b[0] + a[1] * b[2];
	t[1] = a[0] * b[1] + a[1] * b[3];
	t[2] = a[2] * b[0] + a[3] * b[2];
	t[3] = a[2] * b[1] + a[3] * b[3];
	t[4] = a[4] * b[0] + a[5] * b[2] + b[4];
	t[5] = a[4] * b[1] + a[5] * b[3] + b[5];
	memcpy(r, t, sizeof(t));
}

static void
mat_set(double m[6], double a, double b, double c, double d, double e, double f)
{
	m[0] = a;
	m[1] = b;
	m[2] = c;
	m[3] = d;
	m[4] = e;
	m[5] = f;
}

static int
nums(double *out, const struct pdf_obj *const *ops, size_t n, size_t want)
{
	size_t i;

	if (n < want)
		return -1;
	for (i = 0; i < want; i++)
		if (pdf_num(ops[n - want + i], &out[i]) < 0)
			return -1;
	return 0;
}

static void
ts_free_fonts(struct tscan *ts)
{
	size_t i;

	for (i = 0; i < ts->nfonts; i++)
		pdf_font_free(ts->fonts[i].f);
	ts->nfonts = 0;
	pdf_font_free(ts->nofont);
	ts->nofont = NULL;
}

/* The font resource name of res, decoded once per page. */
static int
ts_font(struct tscan *ts, const struct pdf_obj *res, const char *name)
{
	const struct pdf_obj *fonts, *f = NULL;
	size_t i;
	int rc;

	fonts = res != NULL && name != NULL ? pdf_getr(ts->doc, res, "Font") : NULL;
	if (fonts != NULL && pdf_kind(fonts) == PDF_DICT)
		f = pdf_getr(ts->doc, fonts, name);
	if (f == NULL || pdf_kind(f) != PDF_DICT) {
		if (ts->nofont == NULL &&
		    (rc = pdf_font_load(&ts->nofont, ts->doc, NULL)) < 0)
			return rc;
		ts->gs.font = ts->nofont;
		return 0;
	}
	for (i = 0; i < ts->nfonts; i++) {
		if (ts->fonts[i].dict == f) {
			ts->gs.font = ts->fonts[i].f;
			return 0;
		}
	}
	if (ts->nfonts == TEXT_MAX_FONTS)
		return sertel_err(SERTEL_ETOOBIG, "text: more than %d fonts on one page",
		                  TEXT_MAX_FONTS);
	if ((rc = pdf_font_load(&ts->fonts[ts->nfonts].f, ts->doc, f)) < 0)
		return rc;
	ts->fonts[ts->nfonts].dict = f;
	ts->gs.font = ts->fonts[ts->nfonts++].f;
	return 0;
}

static int
is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x3000;
}

static int
ts_push(struct tscan *ts, uint32_t cp, double x0, double y0, double x1, double y1,
        double fs)
{
	struct tglyph *g;
	int rc;

	if (is_space(cp)) {
		/* runs of spaces are one */
		if (ts->ng == 0 || ts->g[ts->ng - 1].cp == ' ')
			return 0;
		cp = ' ';
	}
	if ((rc = pdf_grow((void **)&ts->g, &ts->capg, ts->ng, sizeof(*ts->g),
	                   TEXT_MAX_GLYPHS, "text: characters on one page")) < 0)
		return rc;
	g = &ts->g[ts->ng++];
	g->cp = cp;
	g->x0 = x0;
	g->y0 = y0;
	g->x1 = x1;
	g->y1 = y1;
	g->fs = fs;
	return 0;
}

static void
ts_advance(struct tscan *ts, double tx)
{
	double t[6];

	mat_set(t, 1, 0, 0, 1, tx, 0);
	mat_mul(ts->tm, t, ts->tm);
}

/* The ligatures a font may map one code to: matched as their letters. */
static size_t
unligate(uint32_t *cp, size_t n)
{
	static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl"};
	const char *s;
	size_t k;

	if (n != 1 || cp[0] < 0xFB00 || cp[0] > 0xFB04)
		return n;
	s = lig[cp[0] - 0xFB00];
	for (k = 0; s[k] != '\0'; k++)
		cp[k] = (unsigned char)s[k];
	return k;
}

/* One string of a show operator (9.4.3, 9.4.4). */
static int
ts_show(struct tscan *ts, const struct pdf_obj *s)
{
	const struct gstate *gs = &ts->gs;
	const unsigned char *p;
	uint32_t cp[PDF_CMAP_MAX_DST];
	size_t len, i, n, ncp, k;
	double m[6], w, x0, y0, x1, y1, fs, adv;
	int rc, space;

	if ((p = pdf_str(s, &len)) == NULL)
		return 0;
	if (gs->font == NULL && (rc = ts_font(ts, NULL, NULL)) < 0)
		return rc;
	/* advancing moves the matrix, never scales it: one size per string */
	mat_mul(m, ts->tm, gs->ctm);
	fs = gs->fs * root2(m[2] * m[2] + m[3] * m[3]);
	if (fs < 0)
		fs = -fs;
	for (i = 0; i < len; i += n) {
		n = pdf_font_next(gs->font, p + i, len - i, cp, &ncp, &w, &space);
		ncp = unligate(cp, ncp);
		mat_mul(m, ts->tm, gs->ctm);
		x0 = gs->rise * m[2] + m[4];
		y0 = gs->rise * m[3] + m[5];
		adv = (w * gs->fs + gs->tc + (space ? gs->tw : 0)) * gs->th;
		x1 = x0 + adv * m[0];
		y1 = y0 + adv * m[1];
		/* not where the previous character ended: a word gap */
		if (ts->have_end) {
			double dx = x0 - ts->endx, dy = y0 - ts->endy;
			double lim = TEXT_GAP * (fs > ts->endfs ? fs : ts->endfs);

			if (dx * dx + dy * dy > lim * lim &&
			    (rc = ts_push(ts, ' ', ts->endx, ts->endy, x0, y0, fs)) < 0)
				return rc;
		}
		if (ncp == 0 && (rc = ts_push(ts, 0, x0, y0, x1, y1, fs)) < 0)
			return rc;
		for (k = 0; k < ncp; k++) {
			/* a code for several characters: each gets its share */
			double a = (double)k / (double)ncp,
			       b = (double)(k + 1) / (double)ncp;

			if ((rc = ts_push(ts, cp[k], x0 + (x1 - x0) * a,
			                  y0 + (y1 - y0) * a, x0 + (x1 - x0) * b,
			                  y0 + (y1 - y0) * b, fs)) < 0)
				return rc;
		}
		ts->have_end = 1;
		ts->endx = x1;
		ts->endy = y1;
		ts->endfs = fs;
		ts_advance(ts, adv);
	}
	return 0;
}

static void
ts_nextline(struct tscan *ts, double tx, double ty)
{
	double t[6];

	mat_set(t, 1, 0, 0, 1, tx, ty);
	mat_mul(ts->tlm, t, ts->tlm);
	memcpy(ts->tm, ts->tlm, sizeof(ts->tm));
}

/* Do of a form XObject (8.10): its content with its matrix and resources,
 * inside q/Q.  Images and forms seen above this one (a loop) are not
 * drawn. */
static int
ts_form(struct tscan *ts, const struct pdf_obj *res, const char *name)
{
	const struct pdf_obj *xo, *x, *mtx, *fres;
	struct buf body;
	double m[6], v;
	int saved, i, rc = 0;
	size_t k;

	xo = res != NULL && name != NULL ? pdf_getr(ts->doc, res, "XObject") : NULL;
	if (xo == NULL || pdf_kind(xo) != PDF_DICT)
		return 0;
	x = pdf_getr(ts->doc, xo, name);
	if (x == NULL || pdf_kind(x) != PDF_STREAM ||
	    !pdf_name_is(pdf_getr(ts->doc, x, "Subtype"), "Form"))
		return 0;
	for (i = 0; i < ts->nforms; i++)
		if (ts->forms[i] == x)
			return 0;
	if (ts->nforms == TEXT_FORM_DEPTH)
		return sertel_err(SERTEL_EINVAL, "text: forms nested deeper than %d",
		                  TEXT_FORM_DEPTH);
	if (++ts->formuses > TEXT_MAX_FORMS)
		return sertel_err(SERTEL_ETOOBIG,
		                  "text: more than %d form uses on one page",
		                  TEXT_MAX_FORMS);
	buf_init(&body, PDF_MAX_STREAM);
	if ((rc = pdf_stream_decode(&body, ts->doc, x)) < 0)
		goto out;
	if (ts->depth == TEXT_GSTACK)
		goto out;
	ts->stack[ts->depth++] = ts->gs;
	saved = ts->depth;
	mtx = pdf_getr(ts->doc, x, "Matrix");
	if (mtx != NULL && pdf_kind(mtx) == PDF_ARRAY && pdf_len(mtx) == 6) {
		for (k = 0; k < 6; k++)
			if (pdf_num(pdf_resolve(ts->doc, pdf_at(mtx, k)), &v) == 0)
				m[k] = v;
			else
				break;
		if (k == 6)
			mat_mul(ts->gs.ctm, m, ts->gs.ctm);
	}
	fres = pdf_getr(ts->doc, x, "Resources");
	if (fres == NULL || pdf_kind(fres) != PDF_DICT)
		fres = res; /* 7.8.3: the page's, for old files */
	ts->forms[ts->nforms++] = x;
	rc = scan_content(ts, body.data, body.len, fres);
	ts->nforms--;
	/* the form's unbalanced q's end with it */
	ts->depth = saved;
	ts->gs = ts->stack[--ts->depth];
out:
	buf_free(&body);
	return rc;
}

/* One operator of a content stream (9.3, 9.4, 8.4.4). */
static int
ts_op(struct tscan *ts, const struct pdf_obj *res, const char *op,
      const struct pdf_obj *const *o, size_t n, int base)
{
	struct gstate *gs = &ts->gs;
	double v[6];
	size_t i;
	int rc;

	if (strcmp(op, "q") == 0) {
		if (ts->depth < TEXT_GSTACK)
			ts->stack[ts->depth++] = *gs;
	} else if (strcmp(op, "Q") == 0) {
		if (ts->depth > base)
			*gs = ts->stack[--ts->depth];
	} else if (strcmp(op, "cm") == 0 && nums(v, o, n, 6) == 0) {
		mat_mul(gs->ctm, v, gs->ctm);
	} else if (strcmp(op, "BT") == 0) {
		mat_set(ts->tm, 1, 0, 0, 1, 0, 0);
		mat_set(ts->tlm, 1, 0, 0, 1, 0, 0);
	} else if (strcmp(op, "Tm") == 0 && nums(v, o, n, 6) == 0) {
		memcpy(ts->tm, v, sizeof(ts->tm));
		memcpy(ts->tlm, v, sizeof(ts->tlm));
	} else if (strcmp(op, "Td") == 0 && nums(v, o, n, 2) == 0) {
		ts_nextline(ts, v[0], v[1]);
	} else if (strcmp(op, "TD") == 0 && nums(v, o, n, 2) == 0) {
		gs->tl = -v[1];
		ts_nextline(ts, v[0], v[1]);
	} else if (strcmp(op, "T*") == 0) {
		ts_nextline(ts, 0, -gs->tl);
	} else if (strcmp(op, "TL") == 0 && nums(v, o, n, 1) == 0) {
		gs->tl = v[0];
	} else if (strcmp(op, "Tc") == 0 && nums(v, o, n, 1) == 0) {
		gs->tc = v[0];
	} else if (strcmp(op, "Tw") == 0 && nums(v, o, n, 1) == 0) {
		gs->tw = v[0];
	} else if (strcmp(op, "Tz") == 0 && nums(v, o, n, 1) == 0) {
		gs->th = v[0] / 100.0;
	} else if (strcmp(op, "Ts") == 0 && nums(v, o, n, 1) == 0) {
		gs->rise = v[0];
	} else if (strcmp(op, "Tf") == 0 && n >= 2 && pdf_num(o[n - 1], &v[0]) == 0) {
		gs->fs = v[0];
		return ts_font(ts, res, pdf_name(o[n - 2]));
	} else if (strcmp(op, "Tj") == 0 && n >= 1) {
		return ts_show(ts, o[n - 1]);
	} else if (strcmp(op, "'") == 0 && n >= 1) {
		ts_nextline(ts, 0, -gs->tl);
		return ts_show(ts, o[n - 1]);
	} else if (strcmp(op, "\"") == 0 && n >= 3 && nums(v, o, n - 1, 2) == 0) {
		gs->tw = v[0];
		gs->tc = v[1];
		ts_nextline(ts, 0, -gs->tl);
		return ts_show(ts, o[n - 1]);
	} else if (strcmp(op, "TJ") == 0 && n >= 1 && pdf_kind(o[n - 1]) == PDF_ARRAY) {
		const struct pdf_obj *a = o[n - 1];

		for (i = 0; i < pdf_len(a); i++) {
			const struct pdf_obj *e = pdf_at(a, i);

			if (pdf_kind(e) == PDF_STRING) {
				if ((rc = ts_show(ts, e)) < 0)
					return rc;
			} else if (pdf_num(e, &v[0]) == 0) {
				ts_advance(ts, -v[0] / 1000.0 * gs->fs * gs->th);
			}
		}
	} else if (strcmp(op, "Do") == 0 && n >= 1) {
		return ts_form(ts, res, pdf_name(o[n - 1]));
	}
	return 0;
}

static int
scan_content(struct tscan *ts, const unsigned char *p, size_t len,
             const struct pdf_obj *res)
{
	struct pdf_cs *cs = NULL;
	const struct pdf_obj *const *ops;
	const char *op;
	size_t n;
	int base = ts->depth, rc;

	if (len == 0)
		return 0;
	if ((rc = pdf_cs_open(&cs, p, len)) < 0)
		return rc;
	while ((rc = pdf_cs_next(cs, &op, &ops, &n)) == 1) {
		if (++ts->ops > TEXT_MAX_OPS) {
			rc = sertel_err(SERTEL_ETOOBIG,
			                "text: more than %d operators on one page",
			                TEXT_MAX_OPS);
			break;
		}
		if ((rc = ts_op(ts, res, op, ops, n, base)) < 0)
			break;
	}
	pdf_cs_free(cs);
	return rc;
}

/* UTF-8 to code points, spaces as one ' ', none at the ends. */
static int
needle_cps(uint32_t *out, size_t *n, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;

	while (*p != '\0') {
		uint32_t cp;
		int more, i;

		if (p[0] < 0x80) {
			cp = p[0];
			more = 0;
		} else if ((p[0] & 0xe0) == 0xc0) {
			cp = p[0] & 0x1f;
			more = 1;
		} else if ((p[0] & 0xf0) == 0xe0) {
			cp = p[0] & 0x0f;
			more = 2;
		} else if ((p[0] & 0xf8) == 0xf0) {
			cp = p[0] & 0x07;
			more = 3;
		} else {
			return sertel_err(SERTEL_EINVAL,
			                  "text: search text is not UTF-8");
		}
		for (i = 1; i <= more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return sertel_err(SERTEL_EINVAL,
				                  "text: search text is not UTF-8");
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		p += more + 1;
		if (is_space(cp)) {
			if (k == 0 || out[k - 1] == ' ')
				continue;
			cp = ' ';
		}
		if (cp == 0 || k == TEXT_MAX_NEEDLE)
			return sertel_err(SERTEL_EINVAL,
			                  "text: search text longer than %d characters",
			                  TEXT_MAX_NEEDLE);
		out[k++] = cp;
	}
	if (k > 0 && out[k - 1] == ' ')
		k--;
	if (k == 0)
		return sertel_err(SERTEL_EINVAL, "text: empty search text");
	*n = k;
	return 0;
}

static int
page_scan(struct tscan *ts, int index)
{
	const struct pdf_obj *res;
	struct buf content;
	int rc;

	buf_init(&content, PDF_MAX_STREAM);
	/* Fonts are kept from page to page (the objects live as long as the
	 * document): a letter's pages share them.  A full cache starts over
	 * here, where no state refers to it. */
	if (ts->nfonts == TEXT_MAX_FONTS)
		ts_free_fonts(ts);
	ts->ng = 0;
	ts->depth = 0;
	ts->nforms = 0;
	ts->ops = ts->formuses = 0;
	ts->have_end = 0;
	memset(&ts->gs, 0, sizeof(ts->gs));
	mat_set(ts->gs.ctm, 1, 0, 0, 1, 0, 0);
	mat_set(ts->tm, 1, 0, 0, 1, 0, 0);
	mat_set(ts->tlm, 1, 0, 0, 1, 0, 0);
	ts->gs.fs = 12;
	ts->gs.th = 1;
	res = pdf_page_attr(ts->doc, index, "Resources");
	if (res != NULL && pdf_kind(res) != PDF_DICT)
		res = NULL;
	if ((rc = pdf_page_contents(&content, ts->doc, index)) == 0)
		rc = scan_content(ts, content.data, content.len, res);
	buf_free(&content);
	return rc;
}

int
pdf_text_find(struct pdf_doc *doc, const char *needle, int *page, double rect[4])
{
	struct tscan *ts = NULL;
	uint32_t nd[TEXT_MAX_NEEDLE];
	size_t nn = 0, i, k;
	int npages, p, rc;

	if ((rc = needle_cps(nd, &nn, needle)) < 0)
		return rc;
	if ((npages = pdf_page_count(doc)) < 0)
		return npages;
	if ((ts = calloc(1, sizeof(*ts))) == NULL)
		return sertel_err(SERTEL_ENOMEM, "text: out of memory");
	ts->doc = doc;
	for (p = 0; p < npages; p++) {
		if ((rc = page_scan(ts, p)) < 0)
			goto out;
		for (i = 0; i + nn <= ts->ng; i++) {
			for (k = 0; k < nn && ts->g[i + k].cp == nd[k]; k++)
				;
			if (k < nn)
				continue;
			/* the box of the match: baselines up one font size */
			rect[0] = rect[2] = ts->g[i].x0;
			rect[1] = rect[3] = ts->g[i].y0;
			for (k = 0; k < nn; k++) {
				const struct tglyph *g = &ts->g[i + k];
				double top0 = g->y0 + g->fs, top1 = g->y1 + g->fs;

				rect[0] = g->x0 < rect[0] ? g->x0 : rect[0];
				rect[0] = g->x1 < rect[0] ? g->x1 : rect[0];
				rect[1] = g->y0 < rect[1] ? g->y0 : rect[1];
				rect[1] = g->y1 < rect[1] ? g->y1 : rect[1];
				rect[2] = g->x0 > rect[2] ? g->x0 : rect[2];
				rect[2] = g->x1 > rect[2] ? g->x1 : rect[2];
				rect[3] = top0 > rect[3] ? top0 : rect[3];
				rect[3] = top1 > rect[3] ? top1 : rect[3];
			}
			*page = p;
			rc = 0;
			goto out;
		}
	}
	rc = sertel_err(SERTEL_ENOTFOUND, "text: \"%s\" not found on any of %d page(s)",
	                needle, npages);
out:
	if (ts != NULL) {
		ts_free_fonts(ts);
		free(ts->g);
		free(ts);
	}
	return rc;
}
