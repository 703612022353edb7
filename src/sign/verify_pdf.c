/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signatures of a PDF (ISO 32000-1 12.8, ETSI EN 319 142-1 PAdES).
 *
 * For each signature field of the final revision (and of every earlier
 * revision, so a signature removed later is still reported):
 *
 *  1. ByteRange: exactly [0 a b c] where a is the offset of the '<' of
 *     the signature dictionary's /Contents string, b the offset just after
 *     its '>', and b + c the end of a revision (just past its %%EOF and
 *     end-of-line).  Anything else leaves bytes uncovered or covers bytes
 *     of another revision; two signatures may not claim one revision.
 *  2. The CMS (verify_cms.c) over the two ranges, or for /DocTimeStamp
 *     the RFC 3161 token over them.
 *  3. The signer's path at the signing time with every certificate, CRL
 *     and OCSP response the file carries (DSS, CMS, Adobe archive).
 *  4. What changed between the signed revision (pdf_open on the prefix)
 *     and the final file, object by object, classed as allowed (later
 *     signatures, DSS/VRI, document timestamps, form filling, annotations
 *     when DocMDP P=3, metadata) or not (page content and resources,
 *     page tree, other annotations, catalog changes beyond
 *     AcroForm/DSS/Perms additions, redefined or deleted objects).
 *
 * Without a certification signature (DocMDP) the changes are judged as
 * under P=2: form filling and signing are allowed, annotations are not
 * (the "hide" shadow attacks use annotations and overlays).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf.h"
#include "sign/verify_int.h"

#define MAX_FIELDS      4096
#define MAX_FIELD_DEPTH 32

struct psig {
	uint32_t num;                /* signature dictionary object, 0 if direct */
	const struct pdf_obj *field; /* borrowed from doc */
	const struct pdf_obj *v;     /* signature dictionary */
	char *name;
	size_t contents_off;       /* offset of '<' of /Contents */
	int removed;               /* in an earlier revision, not the final one */
	size_t dict_off, dict_len; /* the signature dictionary in the file */
};

struct pdfv {
	struct pdf_doc *doc;
	const unsigned char *data;
	size_t len;
	size_t nrev;
	size_t *ends;
	struct psig *sigs;
	size_t nsigs;
	int docmdp;                  /* P of the certification signature, 0 none */
	size_t budget;               /* fields still to visit (loops, fan-out) */
	size_t unreadable;           /* signature dictionaries that cannot be read */
	size_t ur_off[2], ur_len[2]; /* /Perms /UR3 and /UR dictionaries */
	size_t usage_rights;
	size_t docmdp_rev;
};

/* What one changed object was. */
enum role {
	ROLE_OTHER,
	ROLE_CATALOG,
	ROLE_PAGE,
	ROLE_PAGES,
	ROLE_CONTENT,
	ROLE_ANNOT,
	ROLE_WIDGET,
	ROLE_FIELD,
	ROLE_SIGFIELD,
	ROLE_ACROFORM,
	ROLE_SIGDICT,
	ROLE_DSS,
	ROLE_INFO,
	ROLE_META,
	ROLE_STRUCT
};

static int collect_fields(struct pdfv *p, struct pdf_doc *doc, int final);
static int walk_field(struct pdfv *p, struct pdf_doc *doc, const struct pdf_obj *ref,
                      const char *parent, int depth, int final, int sigft);
static char *text_string(const struct pdf_obj *o);
static int pdf_date(int64_t *out, const char *s, size_t len);
static int obj_equal(const struct pdf_obj *a, const struct pdf_obj *b, int depth);
static int check_sig(struct verify_sig *sig, struct verify_cms *vc, CMS_ContentInfo **cms,
                     struct pdfv *p, struct verify_ctx *c, struct psig *ps, size_t *rev);
static int judge_changes(struct verify_sig *sig, struct verify_ctx *c, struct pdfv *p,
                         size_t rev);
static void load_dss(struct verify_ctx *c, struct pdf_doc *doc);
static void count_stray_byteranges(struct pdfv *p);

/* ---- small helpers ------------------------------------------------------ */

static const char *
name_of(struct pdf_doc *doc, const struct pdf_obj *d, const char *key)
{
	const struct pdf_obj *o = d != NULL ? pdf_getr(doc, d, key) : NULL;

	return o != NULL ? pdf_name(o) : NULL;
}

static int
name_is(struct pdf_doc *doc, const struct pdf_obj *d, const char *key, const char *want)
{
	const char *n = name_of(doc, d, key);

	return n != NULL && strcmp(n, want) == 0;
}

/* A PDF text string (UTF-16BE with BOM, or PDFDocEncoding taken as
 * Latin-1) as UTF-8; owned. */
static char *
text_string(const struct pdf_obj *o)
{
	const unsigned char *s;
	size_t n, i;
	struct buf b;
	unsigned long cp;

	if (o == NULL || (s = pdf_str(o, &n)) == NULL)
		return NULL;
	buf_init(&b, 64 * 1024);
	if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		for (i = 2; i + 1 < n; i += 2) {
			cp = (unsigned long)s[i] << 8 | s[i + 1];
			if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < n) {
				unsigned long lo =
				    (unsigned long)s[i + 2] << 8 | s[i + 3];

				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
			if (cp < 0x20)
				cp = '?';
			if (cp < 0x80) {
				buf_putc(&b, (unsigned char)cp);
			} else if (cp < 0x800) {
				buf_putc(&b, (unsigned char)(0xc0 | cp >> 6));
				buf_putc(&b, (unsigned char)(0x80 | (cp & 0x3f)));
			} else if (cp < 0x10000) {
				buf_putc(&b, (unsigned char)(0xe0 | cp >> 12));
				buf_putc(&b, (unsigned char)(0x80 | (cp >> 6 & 0x3f)));
				buf_putc(&b, (unsigned char)(0x80 | (cp & 0x3f)));
			} else {
				buf_putc(&b, (unsigned char)(0xf0 | cp >> 18));
				buf_putc(&b, (unsigned char)(0x80 | (cp >> 12 & 0x3f)));
				buf_putc(&b, (unsigned char)(0x80 | (cp >> 6 & 0x3f)));
				buf_putc(&b, (unsigned char)(0x80 | (cp & 0x3f)));
			}
		}
	} else {
		for (i = 0; i < n; i++) {
			if (s[i] < 0x20) {
				buf_putc(&b, '?');
			} else if (s[i] < 0x80) {
				buf_putc(&b, s[i]);
			} else {
				buf_putc(&b, (unsigned char)(0xc0 | s[i] >> 6));
				buf_putc(&b, (unsigned char)(0x80 | (s[i] & 0x3f)));
			}
		}
	}
	if (buf_cstr(&b) < 0) {
		buf_free(&b);
		return NULL;
	}
	return (char *)buf_detach(&b, &n);
}

/* ISO 32000-1 7.9.4: D:YYYYMMDDHHmmSSOHH'mm' (all after the year
 * optional). */
static int
pdf_date(int64_t *out, const char *s, size_t len)
{
	int v[6] = {0, 1, 1, 0, 0, 0};
	static const int w[6] = {4, 2, 2, 2, 2, 2};
	size_t i = 0, k, j;
	struct tm tm;
	long off = 0;

	if (len >= 2 && s[0] == 'D' && s[1] == ':')
		i = 2;
	for (k = 0; k < 6 && i + w[k] <= len; k++) {
		int x = 0;

		for (j = 0; j < (size_t)w[k]; j++) {
			if (s[i + j] < '0' || s[i + j] > '9')
				goto tz;
			x = x * 10 + (s[i + j] - '0');
		}
		v[k] = x;
		i += w[k];
	}
tz:
	if (k == 0)
		return SERTEL_EINVAL;
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		int hh = 0, mm = 0;

		if (i + 3 <= len)
			hh = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
		if (i + 7 <= len && s[i + 3] == '\'')
			mm = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
		if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
			return SERTEL_EINVAL;
		off = sign * (hh * 3600L + mm * 60L);
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*out = (int64_t)timegm(&tm) - off;
	return 0;
}

/* Structural equality, references compared as references. */
static int
obj_equal(const struct pdf_obj *a, const struct pdf_obj *b, int depth)
{
	enum pdf_kind k;
	size_t i, n, la, lb;
	const unsigned char *sa, *sb;

	if (a == NULL || b == NULL)
		return a == b;
	if (depth > PDF_MAX_DEPTH)
		return 0;
	/* Numbers are judged by value: 612.0 and 612 are one number, and
	 * writers respell them when they rewrite an object. */
	if ((pdf_kind(a) == PDF_INT || pdf_kind(a) == PDF_REAL) &&
	    (pdf_kind(b) == PDF_INT || pdf_kind(b) == PDF_REAL)) {
		double x = 0, y = 0;

		pdf_num(a, &x);
		pdf_num(b, &y);
		return x == y;
	}
	if ((k = pdf_kind(a)) != pdf_kind(b))
		return 0;
	switch (k) {
	case PDF_NULL: return 1;
	case PDF_BOOL: {
		int x = 0, y = 0;

		pdf_bool(a, &x);
		pdf_bool(b, &y);
		return x == y;
	}
	case PDF_INT:
	case PDF_REAL: {
		double x = 0, y = 0;

		pdf_num(a, &x);
		pdf_num(b, &y);
		return x == y;
	}
	case PDF_NAME: return strcmp(pdf_name(a), pdf_name(b)) == 0;
	case PDF_STRING:
		sa = pdf_str(a, &la);
		sb = pdf_str(b, &lb);
		return la == lb && (la == 0 || memcmp(sa, sb, la) == 0);
	case PDF_REF: {
		uint32_t x = 0, y = 0;
		uint16_t gx = 0, gy = 0;

		pdf_ref(a, &x, &gx);
		pdf_ref(b, &y, &gy);
		return x == y && gx == gy;
	}
	case PDF_ARRAY:
		if ((n = pdf_len(a)) != pdf_len(b))
			return 0;
		for (i = 0; i < n; i++)
			if (!obj_equal(pdf_at(a, i), pdf_at(b, i), depth + 1))
				return 0;
		return 1;
	case PDF_STREAM:
		if (pdf_stream_raw(a, &sa, &la) < 0 || pdf_stream_raw(b, &sb, &lb) < 0 ||
		    la != lb || (la > 0 && memcmp(sa, sb, la) != 0))
			return 0;
		/* then the dictionaries */
		__attribute__((fallthrough));
	case PDF_DICT:
		if ((n = pdf_len(a)) != pdf_len(b))
			return 0;
		for (i = 0; i < n; i++)
			if (!obj_equal(pdf_val_at(a, i), pdf_get(b, pdf_key_at(a, i)),
			               depth + 1))
				return 0;
		return 1;
	}
	return 0;
}

static uint32_t
ref_num(const struct pdf_obj *o)
{
	uint32_t n = 0;
	uint16_t g;

	if (o == NULL || pdf_kind(o) != PDF_REF || pdf_ref(o, &n, &g) < 0)
		return 0;
	return n;
}

/* ---- signature fields --------------------------------------------------- */

static int
add_sig(struct pdfv *p, struct pdf_doc *doc, const struct pdf_obj *field,
        const struct pdf_obj *vref, const char *name, int final)
{
	const struct pdf_obj *v = pdf_resolve(doc, vref), *contents;
	struct psig *ps;
	size_t off = 0, len, i;

	if (v == NULL || pdf_kind(v) != PDF_DICT)
		return 0;
	contents = pdf_get(v, "Contents");
	if (contents == NULL || pdf_kind(contents) != PDF_STRING ||
	    pdf_span(contents, &off, &len) < 0)
		off = (size_t)-1; /* reported as a bad ByteRange below */
	for (i = 0; i < p->nsigs; i++)
		if ((off != (size_t)-1 && p->sigs[i].contents_off == off) ||
		    (ref_num(vref) != 0 && p->sigs[i].num == ref_num(vref)))
			return 0; /* the same signature, seen in another revision */
	if (p->nsigs >= VERIFY_MAX_SIGS)
		return sertel_err(SERTEL_ETOOBIG, "pdf: more than %d signatures",
		                  VERIFY_MAX_SIGS);
	ps = realloc(p->sigs, (p->nsigs + 1) * sizeof(*ps));
	if (ps == NULL)
		return sertel_err(SERTEL_ENOMEM, "pdf: out of memory");
	p->sigs = ps;
	ps = &p->sigs[p->nsigs++];
	memset(ps, 0, sizeof(*ps));
	ps->num = ref_num(vref);
	ps->field = final ? field : NULL;
	ps->v = final ? v : NULL;
	ps->name = vstrdupf("%s", name);
	ps->contents_off = off;
	ps->removed = !final;
	if (pdf_span(v, &ps->dict_off, &ps->dict_len) < 0) {
		ps->dict_off = ps->dict_len = 0;
		sertel_err_clear();
	}
	return 0;
}

static int
walk_field(struct pdfv *p, struct pdf_doc *doc, const struct pdf_obj *ref,
           const char *parent, int depth, int final, int sigft)
{
	const struct pdf_obj *f = pdf_resolve(doc, ref), *kids, *v;
	char *t = NULL, *name = NULL;
	const char *ft;
	size_t i;
	int rc = 0;

	if (depth > MAX_FIELD_DEPTH || p->budget == 0 || f == NULL ||
	    pdf_kind(f) != PDF_DICT)
		return 0;
	p->budget--;
	/* /FT is inheritable (ISO 32000-1 12.7.3.1). */
	if ((ft = name_of(doc, f, "FT")) != NULL)
		sigft = strcmp(ft, "Sig") == 0;
	t = text_string(pdf_getr(doc, f, "T"));
	if (t != NULL)
		name = parent != NULL && *parent ? vstrdupf("%s.%s", parent, t)
		                                 : vstrdupf("%s", t);
	else
		name = vstrdupf("%s", parent != NULL ? parent : "");
	if ((kids = pdf_getr(doc, f, "Kids")) != NULL && pdf_kind(kids) == PDF_ARRAY) {
		for (i = 0; rc == 0 && i < pdf_len(kids) && i < MAX_FIELDS; i++)
			rc = walk_field(p, doc, pdf_at(kids, i), name, depth + 1, final,
			                sigft);
	}
	/* A signature field's value is its signature dictionary. */
	if (rc == 0 && (v = pdf_get(f, "V")) != NULL) {
		const struct pdf_obj *vd = pdf_resolve(doc, v);

		sertel_err_clear();
		if (vd != NULL && pdf_kind(vd) == PDF_DICT &&
		    pdf_get(vd, "ByteRange") != NULL && pdf_get(vd, "Contents") != NULL)
			rc = add_sig(p, doc, f, v, name != NULL ? name : "", final);
		else if (sigft && final && (vd == NULL || pdf_kind(vd) != PDF_NULL))
			p->unreadable++; /* signed, but its dictionary is damaged */
	}
	free(t);
	free(name);
	return rc;
}

static int
collect_fields(struct pdfv *p, struct pdf_doc *doc, int final)
{
	const struct pdf_obj *cat = pdf_catalog(doc), *af, *fields;
	size_t i;
	int rc = 0;

	if (cat == NULL) {
		sertel_err_clear();
		return 0;
	}
	af = pdf_getr(doc, cat, "AcroForm");
	fields = af != NULL ? pdf_getr(doc, af, "Fields") : NULL;
	if (fields == NULL || pdf_kind(fields) != PDF_ARRAY)
		return 0;
	/* Every field reached counts, so a field tree that refers to itself
	 * ends after MAX_FIELDS visits whatever its shape. */
	p->budget = MAX_FIELDS;
	for (i = 0; rc == 0 && i < pdf_len(fields) && i < MAX_FIELDS; i++)
		rc = walk_field(p, doc, pdf_at(fields, i), NULL, 0, final, 0);
	return rc;
}

/* The usage-rights signature dictionaries of the catalog's /Perms (UR3,
 * and the older UR): their spans, so their /ByteRange is not taken for a
 * damaged signature. */
static void
find_usage_rights(struct pdfv *p)
{
	static const char *const keys[2] = {"UR3", "UR"};
	const struct pdf_obj *cat = pdf_catalog(p->doc), *perms, *u;
	size_t i;

	perms = cat != NULL ? pdf_getr(p->doc, cat, "Perms") : NULL;
	for (i = 0; perms != NULL && pdf_kind(perms) == PDF_DICT && i < 2; i++) {
		u = pdf_getr(p->doc, perms, keys[i]);
		if (u == NULL || pdf_kind(u) != PDF_DICT ||
		    pdf_span(u, &p->ur_off[i], &p->ur_len[i]) < 0)
			p->ur_off[i] = p->ur_len[i] = 0;
	}
	sertel_err_clear();
}

/* Every "/ByteRange" in the file should belong to a signature dictionary
 * that was read; one that does not is a signature the form no longer
 * reaches or whose dictionary is damaged (never silently dropped). */
static void
count_stray_byteranges(struct pdfv *p)
{
	static const char key[] = "/ByteRange";
	const unsigned char *q = p->data, *end = p->data + p->len, *hit;
	size_t off, i;
	int known;

	while (q < end &&
	       (hit = memmem(q, (size_t)(end - q), key, sizeof(key) - 1)) != NULL) {
		off = (size_t)(hit - p->data);
		known = 0;
		for (i = 0; !known && i < p->nsigs; i++)
			known = off >= p->sigs[i].dict_off &&
			        off < p->sigs[i].dict_off + p->sigs[i].dict_len;
		for (i = 0; !known && i < 2; i++)
			if (p->ur_len[i] > 0 && off >= p->ur_off[i] &&
			    off < p->ur_off[i] + p->ur_len[i]) {
				known = 1;
				p->usage_rights++;
			}
		if (!known)
			p->unreadable++;
		q = hit + sizeof(key) - 1;
	}
}

/* ---- DSS ------------------------------------------------------------- */

static void
dss_array(struct verify_ctx *c, struct pdf_doc *doc, const struct pdf_obj *dss,
          const char *key, int kind)
{
	const struct pdf_obj *arr = pdf_getr(doc, dss, key), *s;
	struct buf b;
	size_t i;

	if (arr == NULL || pdf_kind(arr) != PDF_ARRAY)
		return;
	for (i = 0; i < pdf_len(arr) && i < VALIDATE_MAX_CERTS; i++) {
		s = pdf_resolve(doc, pdf_at(arr, i));
		if (s == NULL || pdf_kind(s) != PDF_STREAM)
			continue;
		buf_init(&b, VERIFY_MAX_FETCH);
		if (pdf_stream_decode(&b, doc, s) == 0)
			verify_ctx_add_der(c, kind, b.data, b.len);
		buf_free(&b);
	}
	sertel_err_clear();
}

/* ETSI EN 319 142-1 5.4.2: /DSS with /Certs, /CRLs, /OCSPs (the /VRI
 * dictionaries point into the same streams). */
static void
load_dss(struct verify_ctx *c, struct pdf_doc *doc)
{
	const struct pdf_obj *cat = pdf_catalog(doc), *dss;

	if (cat == NULL || (dss = pdf_getr(doc, cat, "DSS")) == NULL ||
	    pdf_kind(dss) != PDF_DICT) {
		sertel_err_clear();
		return;
	}
	dss_array(c, doc, dss, "Certs", VERIFY_DER_CERT);
	dss_array(c, doc, dss, "CRLs", VERIFY_DER_CRL);
	dss_array(c, doc, dss, "OCSPs", VERIFY_DER_OCSP);
}

/* ---- one signature ----------------------------------------------------- */

static int
check_sig(struct verify_sig *sig, struct verify_cms *vc, CMS_ContentInfo **cms,
          struct pdfv *p, struct verify_ctx *c, struct psig *ps, size_t *rev)
{
	const struct pdf_obj *v = ps->v, *br, *contents, *o;
	long long x[4] = {-1, -1, -1, -1};
	struct verify_range ranges[2];
	const unsigned char *der;
	size_t derlen, off = 0, slen = 0, i, end;
	const char *sf, *type;
	int rc, ok;

	*rev = 0;
	sig->field = vstrdupf("%s", ps->name);
	type = name_of(p->doc, v, "Type");
	sf = name_of(p->doc, v, "SubFilter");
	sig->subfilter = sf != NULL ? vstrdupf("%s", sf) : NULL;
	sig->kind = (sf != NULL && strcmp(sf, "ETSI.RFC3161") == 0) ||
	                    (type != NULL && strcmp(type, "DocTimeStamp") == 0)
	                ? VERIFY_KIND_DOC_TIMESTAMP
	                : VERIFY_KIND_SIGNATURE;
	sig->reason = text_string(pdf_getr(p->doc, v, "Reason"));
	sig->location = text_string(pdf_getr(p->doc, v, "Location"));
	if ((o = pdf_getr(p->doc, v, "M")) != NULL) {
		const unsigned char *s;
		size_t n;

		if ((s = pdf_str(o, &n)) != NULL)
			pdf_date(&sig->signing_time, (const char *)s, n);
	}
	sig->changes_allowed = 1;
	/* 1. ByteRange: [0 a b c], a/b the Contents delimiters, b + c the
	 * end of a revision. */
	br = pdf_getr(p->doc, v, "ByteRange");
	contents = pdf_get(v, "Contents");
	ok = br != NULL && pdf_kind(br) == PDF_ARRAY && pdf_len(br) == 4 &&
	     contents != NULL && pdf_kind(contents) == PDF_STRING &&
	     pdf_span(contents, &off, &slen) == 0;
	for (i = 0; ok && i < 4; i++)
		ok = pdf_kind(pdf_at(br, i)) == PDF_INT &&
		     pdf_int(pdf_at(br, i), &x[i]) == 0 && x[i] >= 0 &&
		     (unsigned long long)x[i] <= p->len;
	ok = ok && x[0] == 0 && (size_t)x[1] == off && (size_t)x[2] == off + slen &&
	     p->data[off] == '<' &&
	     (unsigned long long)x[2] + (unsigned long long)x[3] <= p->len;
	end = ok ? (size_t)(x[2] + x[3]) : 0;
	if (ok) {
		ok = 0;
		for (i = 0; i < p->nrev; i++) {
			size_t e = p->ends[i];

			/* The range may stop before the %%EOF's end-of-line. */
			while (e > end && e - end <= 2 &&
			       (p->data[e - 1] == '\n' || p->data[e - 1] == '\r'))
				e--;
			if (e == end) {
				/* The signature dictionary belongs to revision i. */
				ok = i == 0 || off >= p->ends[i - 1];
				*rev = i;
				break;
			}
		}
	}
	sig->byterange_ok = ok;
	sig->revision = *rev;
	if (!ok) {
		vappend(&sig->message,
		        vtr(c,
		            "ByteRange tidak meliputi seluruh revisi kecuali /Contents "
		            "(ada bagian yang tidak ditandatangani)",
		            "the ByteRange does not cover the whole revision except "
		            "/Contents "
		            "(some bytes are not signed)"));
	}
	sig->whole_file = ok && *rev + 1 == p->nrev;
	if (contents == NULL || (der = pdf_str(contents, &derlen)) == NULL ||
	    derlen == 0) {
		vappend(&sig->message, vtr(c, "/Contents kosong", "empty /Contents"));
		return 0;
	}
	if (!ok) {
		/* Still look at the CMS with whatever ranges there are, so
		 * the report says who claims to have signed. */
		for (i = 0; i < 4; i++)
			if (x[i] < 0)
				x[i] = 0;
		if ((size_t)x[1] > p->len || (size_t)x[2] + (size_t)x[3] > p->len ||
		    (size_t)x[0] + (size_t)x[1] > p->len)
			x[0] = x[1] = x[2] = x[3] = 0;
	}
	ranges[0].off = (size_t)x[0];
	ranges[0].len = (size_t)x[1];
	ranges[1].off = (size_t)x[2];
	ranges[1].len = (size_t)x[3];
	if (sig->kind == VERIFY_KIND_DOC_TIMESTAMP) {
		char *why = NULL, *tsa = NULL;
		int64_t t = 0;
		int held = 0;

		/* The token is zero-padded in /Contents: verify_tst reads it by
		 * its own length (a BER token ends in zero octets). */
		rc =
		    verify_tst(&t, &tsa, &why, &held, c, der, derlen, p->data, ranges, 2);
		if (rc < 0) {
			vappend(&sig->message, sertel_errmsg());
			sertel_err_clear();
		}
		/* What held is reported as such: an untrusted TSA makes the
		 * timestamp indeterminate (chain), not its bytes changed. */
		sig->digest_ok = (held & VERIFY_TST_IMPRINT) != 0;
		sig->signature_ok = (held & VERIFY_TST_SIGNATURE) != 0;
		sig->timestamp_present = 1;
		sig->timestamp_ok = rc == 1;
		sig->timestamp_time = t;
		sig->tsa = tsa;
		sig->subject = tsa != NULL ? vstrdupf("%s", tsa) : NULL;
		/* The TSA's own path was checked at its time in verify_tst. */
		sig->chain_ok = sig->revocation_ok = rc == 1;
		sig->validation_time = t;
		sig->time_trusted = rc == 1;
		if (why != NULL)
			vappend(&sig->message, why);
		free(why);
		return 0;
	}
	if (sf != NULL && strcmp(sf, "adbe.pkcs7.detached") != 0 &&
	    strcmp(sf, "ETSI.CAdES.detached") != 0) {
		/* adbe.pkcs7.sha1 (a SHA-1 digest signed as content),
		 * adbe.x509.rsa_sha1 and others: not verified, so not known
		 * either way (issue 18). */
		char *m = vstrdupf(c->en ? "unsupported SubFilter %s"
		                         : "SubFilter %s tidak didukung",
		                   sf);

		sig->unsupported = 1;
		vappend(&sig->message, m);
		free(m);
		return 0;
	}
	rc = verify_cms_check(vc, cms, sig, c, der, derlen, p->data, ranges, 2);
	if (rc < 0) {
		vappend(&sig->message, sertel_errmsg());
		sertel_err_clear();
		return 0;
	}
	if (sig->signing_time == 0)
		sig->signing_time = vc->claimed;
	sig->timestamp_present = vc->ts_present;
	sig->timestamp_ok = vc->ts_ok;
	if (vc->ts_ok) {
		sig->timestamp_time = vc->ts_time;
		sig->tsa = vc->ts_tsa;
		vc->ts_tsa = NULL;
	}
	return 0;
}

/* ---- changes after a signature ------------------------------------------- */

struct judge {
	struct pdf_doc *old;
	struct pdf_doc *cur;
	uint32_t old_root;
	uint32_t old_info;
	uint32_t old_af;
	uint32_t old_dss;
	uint32_t old_meta;
	uint32_t *pages; /* old page objects */
	size_t npages;
	uint32_t *content; /* old page content streams */
	size_t ncontent;
	int perm; /* DocMDP P in force */
};

static int
in_set(const uint32_t *s, size_t n, uint32_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == v)
			return 1;
	return 0;
}

static int
push_u32(uint32_t **s, size_t *n, uint32_t v)
{
	uint32_t *t;

	if (v == 0 || in_set(*s, *n, v))
		return 0;
	if ((t = realloc(*s, (*n + 1) * sizeof(*t))) == NULL)
		return SERTEL_ENOMEM;
	*s = t;
	t[(*n)++] = v;
	return 0;
}

static void
add_change(struct verify_sig *sig, int allowed, char *what)
{
	struct verify_change *c;

	if (what == NULL)
		return;
	if (sig->nchanges >= 256) {
		/* Enough to judge; the verdict already reflects the rest. */
		if (!allowed)
			sig->changes_allowed = 0;
		free(what);
		return;
	}
	c = realloc(sig->changes, (sig->nchanges + 1) * sizeof(*c));
	if (c == NULL) {
		free(what);
		return;
	}
	sig->changes = c;
	c[sig->nchanges].allowed = allowed;
	c[sig->nchanges].what = what;
	sig->nchanges++;
	if (!allowed)
		sig->changes_allowed = 0;
}

static int
is_sig_field(struct pdf_doc *doc, const struct pdf_obj *d)
{
	const struct pdf_obj *f = d;
	int depth;

	/* /FT is inheritable through /Parent. */
	for (depth = 0; f != NULL && pdf_kind(f) == PDF_DICT && depth < MAX_FIELD_DEPTH;
	     depth++) {
		const char *ft = name_of(doc, f, "FT");

		if (ft != NULL)
			return strcmp(ft, "Sig") == 0;
		f = pdf_getr(doc, f, "Parent");
	}
	return 0;
}

/* The value of the field d belongs to: its own /V or, for a widget of a
 * field with kids, the inherited one (ISO 32000-1 12.7.3.1).  Borrowed;
 * NULL when the field has no value. */
static const struct pdf_obj *
field_value(struct pdf_doc *doc, const struct pdf_obj *d)
{
	const struct pdf_obj *f = d, *v;
	int depth;

	for (depth = 0; f != NULL && pdf_kind(f) == PDF_DICT && depth < MAX_FIELD_DEPTH;
	     depth++) {
		if ((v = pdf_get(f, "V")) != NULL)
			return pdf_kind(v) == PDF_REF ? pdf_resolve(doc, v) : v;
		f = pdf_getr(doc, f, "Parent");
	}
	return NULL;
}

/* A signature field whose value is a document timestamp (allowed under
 * every DocMDP level: ETSI EN 319 142-1 5.4.3). */
static int
is_doc_ts_field(struct pdf_doc *doc, const struct pdf_obj *d)
{
	const struct pdf_obj *v = d != NULL ? pdf_getr(doc, d, "V") : NULL;

	return v != NULL && pdf_kind(v) == PDF_DICT &&
	       (name_is(doc, v, "Type", "DocTimeStamp") ||
	        name_is(doc, v, "SubFilter", "ETSI.RFC3161"));
}

static enum role
role_of(struct judge *j, struct pdf_doc *doc, uint32_t num, const struct pdf_obj *o)
{
	const char *type, *sub;

	if (num == j->old_root)
		return ROLE_CATALOG;
	if (num == j->old_info)
		return ROLE_INFO;
	if (num == j->old_af)
		return ROLE_ACROFORM;
	if (num == j->old_dss)
		return ROLE_DSS;
	if (num == j->old_meta)
		return ROLE_META;
	if (in_set(j->pages, j->npages, num))
		return ROLE_PAGE;
	if (in_set(j->content, j->ncontent, num))
		return ROLE_CONTENT;
	if (o == NULL || (pdf_kind(o) != PDF_DICT && pdf_kind(o) != PDF_STREAM))
		return ROLE_OTHER;
	type = name_of(doc, o, "Type");
	sub = name_of(doc, o, "Subtype");
	if (type != NULL && (strcmp(type, "XRef") == 0 || strcmp(type, "ObjStm") == 0))
		return ROLE_STRUCT;
	if (type != NULL &&
	    (strcmp(type, "Sig") == 0 || strcmp(type, "DocTimeStamp") == 0))
		return ROLE_SIGDICT;
	if (type != NULL && (strcmp(type, "DSS") == 0 || strcmp(type, "VRI") == 0))
		return ROLE_DSS;
	if (type != NULL && strcmp(type, "Pages") == 0)
		return ROLE_PAGES;
	if (type != NULL && strcmp(type, "Page") == 0)
		return ROLE_PAGE;
	if (sub != NULL && strcmp(sub, "Widget") == 0)
		return is_sig_field(doc, o) ? ROLE_SIGFIELD : ROLE_WIDGET;
	if (pdf_get(o, "FT") != NULL ||
	    (pdf_get(o, "T") != NULL && pdf_get(o, "Parent") != NULL) ||
	    (pdf_get(o, "Kids") != NULL && pdf_get(o, "T") != NULL))
		return is_sig_field(doc, o) ? ROLE_SIGFIELD : ROLE_FIELD;
	if ((type != NULL && strcmp(type, "Annot") == 0) ||
	    (sub != NULL && pdf_get(o, "Rect") != NULL))
		return ROLE_ANNOT;
	return ROLE_OTHER;
}

/* Keys of two dictionaries whose values differ, as " /A /B". */
static int
diff_keys(struct buf *out, const struct pdf_obj *a, const struct pdf_obj *b,
          const char *const *allowed, int *other)
{
	size_t i, k;
	const char *key;
	int pass;

	*other = 0;
	for (pass = 0; pass < 2; pass++) {
		const struct pdf_obj *x = pass == 0 ? a : b, *y = pass == 0 ? b : a;

		for (i = 0; x != NULL && i < pdf_len(x); i++) {
			key = pdf_key_at(x, i);
			if (pass == 1 && y != NULL && pdf_get(y, key) != NULL)
				continue; /* seen in pass 0 */
			if (y != NULL && obj_equal(pdf_val_at(x, i), pdf_get(y, key), 0))
				continue;
			buf_appendf(out, " /%s", key);
			for (k = 0; allowed != NULL && allowed[k] != NULL; k++)
				if (strcmp(allowed[k], key) == 0)
					break;
			if (allowed == NULL || allowed[k] == NULL)
				*other = 1;
		}
	}
	return 0;
}

/* New entries of an array of references (Annots, Fields) that the old
 * one did not have; each must satisfy ok().  Removed entries count as not
 * allowed.  Returns 1 when all is allowed. */
static int
array_additions(struct judge *j, struct verify_sig *sig, struct verify_ctx *c,
                const struct pdf_obj *olda, const struct pdf_obj *newa, const char *what)
{
	size_t i, k;
	int all = 1, found;

	if (olda != NULL && pdf_kind(olda) != PDF_ARRAY)
		olda = NULL;
	if (newa == NULL || pdf_kind(newa) != PDF_ARRAY)
		return olda == NULL || pdf_len(olda) == 0;
	for (i = 0; olda != NULL && i < pdf_len(olda); i++) {
		found = 0;
		for (k = 0; !found && k < pdf_len(newa); k++)
			found = obj_equal(pdf_at(olda, i), pdf_at(newa, k), 0);
		if (!found) {
			add_change(
			    sig, 0,
			    vstrdupf("%s: %s", what,
			             vtr(c, "entri dihapus", "an entry was removed")));
			all = 0;
		}
	}
	for (k = 0; k < pdf_len(newa); k++) {
		const struct pdf_obj *e = pdf_at(newa, k), *d;
		enum role r;
		int allowed;

		found = 0;
		for (i = 0; !found && olda != NULL && i < pdf_len(olda); i++)
			found = obj_equal(pdf_at(olda, i), e, 0);
		if (found)
			continue;
		d = pdf_resolve(j->cur, e);
		r = role_of(j, j->cur, ref_num(e), d);
		if (r == ROLE_SIGFIELD)
			allowed = j->perm >= 2 || is_doc_ts_field(j->cur, d);
		else if (r == ROLE_ANNOT)
			allowed = j->perm >= 3;
		else
			allowed = 0;
		if (!allowed)
			all = 0;
		add_change(
		    sig, allowed,
		    vstrdupf("%s: %s %s %u%s%s", what, vtr(c, "ditambahkan", "added"),
		             r == ROLE_SIGFIELD
		                 ? vtr(c, "kolom tanda tangan", "signature field")
		             : r == ROLE_ANNOT ? vtr(c, "anotasi", "annotation")
		             : r == ROLE_WIDGET || r == ROLE_FIELD
		                 ? vtr(c, "kolom isian", "form field")
		                 : vtr(c, "objek", "object"),
		             ref_num(e), r == ROLE_ANNOT ? " /" : "",
		             r == ROLE_ANNOT && name_of(j->cur, d, "Subtype") != NULL
		                 ? name_of(j->cur, d, "Subtype")
		                 : ""));
	}
	return all;
}

static void
judge_one(struct judge *j, struct verify_sig *sig, struct verify_ctx *c, uint32_t num)
{
	const struct pdf_obj *o = pdf_load(j->old, num), *n;
	struct buf keys;
	enum role r;
	int other = 0, allowed = 0;
	char *what = NULL;
	const char *label;

	sertel_err_clear();
	n = pdf_load(j->cur, num);
	sertel_err_clear();
	if (o == NULL && n == NULL)
		return;
	if (o != NULL && n != NULL && obj_equal(o, n, 0))
		return; /* rewritten unchanged */
	buf_init(&keys, 4096);
	if (o == NULL) {
		/* A new object changes nothing by itself; what refers to it
		 * is judged where it changed.  But an object number that the
		 * signed revision already knew (free, or referenced while
		 * missing) would change the meaning of old references. */
		if (num < pdf_size(j->old)) {
			add_change(sig, 0,
			           vstrdupf("%s %u: %s", vtr(c, "objek", "object"), num,
			                    vtr(c, "nomor objek lama didefinisikan ulang",
			                        "an object number of the signed revision "
			                        "was redefined")));
		}
		goto out;
	}
	if (n == NULL) {
		add_change(sig, 0,
		           vstrdupf("%s %u: %s", vtr(c, "objek", "object"), num,
		                    vtr(c, "dihapus", "deleted")));
		goto out;
	}
	r = role_of(j, j->old, num, o);
	switch (r) {
	case ROLE_CATALOG: {
		/* An LTV update (ETSI EN 319 142-1 5.4) adds /DSS and may
		 * raise /Version and /Extensions (issue 18). */
		static const char *const ok[] = {"AcroForm", "DSS",     "Extensions",
		                                 "Metadata", "Version", NULL};

		diff_keys(&keys, o, n, ok, &other);
		/* /Perms may be added, not changed. */
		if (other && pdf_get(o, "Perms") == NULL && pdf_get(n, "Perms") != NULL) {
			struct buf k2;
			static const char *const ok2[] = {
			    "AcroForm", "DSS",     "Extensions", "Metadata",
			    "Perms",    "Version", NULL};

			buf_init(&k2, 4096);
			diff_keys(&k2, o, n, ok2, &other);
			buf_free(&k2);
		}
		allowed = !other;
		/* A direct /AcroForm, or one that became another object,
		 * changes with the catalog: its /Fields additions are judged
		 * here (the same indirect object is judged as ROLE_ACROFORM). */
		if (allowed &&
		    !obj_equal(pdf_get(o, "AcroForm"), pdf_get(n, "AcroForm"), 0)) {
			const struct pdf_obj *oa = pdf_getr(j->old, o, "AcroForm");
			const struct pdf_obj *na = pdf_getr(j->cur, n, "AcroForm");

			if (na == NULL || pdf_kind(na) != PDF_DICT) {
				allowed = oa == NULL;
			} else {
				const struct pdf_obj *of = NULL,
				                     *nf = pdf_getr(j->cur, na, "Fields");

				if (oa != NULL && pdf_kind(oa) == PDF_DICT)
					of = pdf_getr(j->old, oa, "Fields");
				if (!obj_equal(of, nf, 0))
					allowed = array_additions(
					    j, sig, c, of, nf,
					    vtr(c, "daftar kolom isian", "form fields"));
			}
		}
		label = vtr(c, "katalog", "catalog");
		break;
	}
	case ROLE_PAGE: {
		static const char *const ok[] = {"Annots", NULL};

		diff_keys(&keys, o, n, ok, &other);
		allowed = !other;
		if (allowed && !obj_equal(pdf_get(o, "Annots"), pdf_get(n, "Annots"), 0))
			allowed = array_additions(
			    j, sig, c, pdf_getr(j->old, o, "Annots"),
			    pdf_getr(j->cur, n, "Annots"),
			    vtr(c, "anotasi halaman", "page annotations"));
		label = vtr(c, "halaman", "page");
		break;
	}
	case ROLE_ACROFORM: {
		static const char *const ok[] = {"Fields", "SigFlags",        "DR",
		                                 "DA",     "NeedAppearances", NULL};

		diff_keys(&keys, o, n, ok, &other);
		allowed = !other;
		if (allowed && !obj_equal(pdf_get(o, "Fields"), pdf_get(n, "Fields"), 0))
			allowed =
			    array_additions(j, sig, c, pdf_getr(j->old, o, "Fields"),
			                    pdf_getr(j->cur, n, "Fields"),
			                    vtr(c, "daftar kolom isian", "form fields"));
		label = "AcroForm";
		break;
	}
	case ROLE_SIGFIELD: {
		/* Signing an empty signature field: /V (and its widget's
		 * appearance) may be set once. */
		static const char *const ok[] = {"V", "AP", "AS", "F", NULL};

		diff_keys(&keys, o, n, ok, &other);
		allowed = !other && pdf_get(o, "V") == NULL &&
		          (j->perm >= 2 || is_doc_ts_field(j->cur, n));
		label = vtr(c, "kolom tanda tangan", "signature field");
		break;
	}
	case ROLE_FIELD:
	case ROLE_WIDGET: {
		/* Form filling (DocMDP P >= 2): value, appearance, state. */
		static const char *const ok[] = {"V", "AP", "AS", NULL};

		diff_keys(&keys, o, n, ok, &other);
		allowed = !other && j->perm >= 2;
		label = vtr(c, "kolom isian (pengisian formulir)",
		            "form field (form filling)");
		/* An appearance that changed while the value did not is not
		 * form filling: it changes what the signed page shows (the
		 * "replace" shadow attack), under every DocMDP level. */
		if ((!obj_equal(pdf_get(o, "AP"), pdf_get(n, "AP"), 0) ||
		     !obj_equal(pdf_get(o, "AS"), pdf_get(n, "AS"), 0)) &&
		    obj_equal(field_value(j->old, o), field_value(j->cur, n), 0)) {
			allowed = 0;
			label = vtr(c,
			            "kolom isian: tampilan diganti tanpa perubahan "
			            "nilai",
			            "form field: appearance replaced without a value "
			            "change");
		}
		break;
	}
	case ROLE_ANNOT:
		diff_keys(&keys, o, n, NULL, &other);
		allowed = j->perm >= 3;
		label = vtr(c, "anotasi", "annotation");
		break;
	case ROLE_DSS:
		diff_keys(&keys, o, n, NULL, &other);
		allowed = 1;
		label = "DSS/VRI";
		break;
	case ROLE_INFO:
	case ROLE_META:
		diff_keys(&keys, o, n, NULL, &other);
		allowed = 1;
		label = vtr(c, "metadata dokumen", "document metadata");
		break;
	case ROLE_STRUCT:
		allowed = 1;
		label = vtr(c, "struktur berkas", "file structure");
		break;
	case ROLE_CONTENT:
		allowed = 0;
		label = vtr(c, "isi halaman", "page content");
		break;
	case ROLE_PAGES:
		allowed = 0;
		label = vtr(c, "pohon halaman", "page tree");
		break;
	case ROLE_SIGDICT:
		allowed = 0;
		label =
		    vtr(c, "kamus tanda tangan diubah", "signature dictionary changed");
		break;
	default:
		allowed = 0;
		label = vtr(c, "objek yang dipakai dokumen yang ditandatangani",
		            "object used by the signed document");
		break;
	}
	buf_cstr(&keys);
	what = vstrdupf("%s %u (%s)%s%s", vtr(c, "objek", "object"), num, label,
	                keys.len > 0 ? ":" : "", keys.len > 0 ? (char *)keys.data : "");
	add_change(sig, allowed, what);
out:
	buf_free(&keys);
}

static int
judge_changes(struct verify_sig *sig, struct verify_ctx *c, struct pdfv *p, size_t rev)
{
	struct judge j;
	const struct pdf_obj *tr, *cat;
	uint32_t *nums = NULL, *all = NULL, pn;
	size_t n = 0, nall = 0, i, k;
	int np, rc = 0;

	memset(&j, 0, sizeof(j));
	sig->changes_allowed = 1;
	/* Bytes after the last revision belong to no revision: a viewer
	 * that repairs the file may still read objects from them. */
	for (i = p->ends[p->nrev - 1]; i < p->len; i++)
		if (strchr(" \t\r\n\f", p->data[i]) == NULL || p->data[i] == '\0') {
			sig->whole_file = 0;
			add_change(
			    sig, 0,
			    vstrdupf(
			        c->en
			            ? "%zu bytes after the last %%%%EOF, outside every "
			              "revision"
			            : "%zu byte sesudah %%%%EOF terakhir, di luar semua "
			              "revisi",
			        p->len - p->ends[p->nrev - 1]));
			break;
		}
	if (rev + 1 >= p->nrev)
		return 0;
	if ((rc = pdf_open_budget(&j.old, p->data, p->ends[rev], c->opts->budget)) < 0) {
		add_change(
		    sig, 0,
		    vstrdupf("%s", vtr(c, "revisi yang ditandatangani tidak terbaca",
		                       "the signed revision cannot be read")));
		sertel_err_clear();
		return 0;
	}
	j.cur = p->doc;
	j.perm = p->docmdp != 0 && p->docmdp_rev <= rev ? p->docmdp : 2;
	tr = pdf_trailer(j.old);
	j.old_root = ref_num(pdf_get(tr, "Root"));
	j.old_info = ref_num(pdf_get(tr, "Info"));
	cat = pdf_catalog(j.old);
	if (cat != NULL) {
		j.old_af = ref_num(pdf_get(cat, "AcroForm"));
		j.old_dss = ref_num(pdf_get(cat, "DSS"));
		j.old_meta = ref_num(pdf_get(cat, "Metadata"));
	}
	np = pdf_page_count(j.old);
	for (i = 0; np > 0 && i < (size_t)np; i++) {
		const struct pdf_obj *pg = pdf_page(j.old, (int)i, &pn), *cs;

		if (pg == NULL)
			continue;
		push_u32(&j.pages, &j.npages, pn);
		cs = pdf_get(pg, "Contents");
		if (cs != NULL && pdf_kind(cs) == PDF_REF) {
			const struct pdf_obj *csr = pdf_resolve(j.old, cs);

			push_u32(&j.content, &j.ncontent, ref_num(cs));
			if (csr != NULL && pdf_kind(csr) == PDF_ARRAY)
				for (k = 0; k < pdf_len(csr); k++)
					push_u32(&j.content, &j.ncontent,
					         ref_num(pdf_at(csr, k)));
		} else if (cs != NULL && pdf_kind(cs) == PDF_ARRAY) {
			for (k = 0; k < pdf_len(cs); k++)
				push_u32(&j.content, &j.ncontent, ref_num(pdf_at(cs, k)));
		}
	}
	sertel_err_clear();
	for (i = rev + 1; i < p->nrev; i++) {
		if (pdf_revision_objects(&nums, &n, p->doc, i) < 0) {
			sertel_err_clear();
			continue;
		}
		for (k = 0; k < n; k++)
			if (push_u32(&all, &nall, nums[k]) < 0) {
				rc = sertel_err(SERTEL_ENOMEM, "verify: out of memory");
				goto out;
			}
		free(nums);
		nums = NULL;
	}
	for (k = 0; k < nall; k++)
		judge_one(&j, sig, c, all[k]);
	if (!sig->changes_allowed)
		vappend(&sig->message, vtr(c,
		                           "dokumen diubah sesudah ditandatangani dengan "
		                           "perubahan yang tidak diizinkan",
		                           "the document was changed after signing in "
		                           "ways that are not allowed"));
out:
	free(nums);
	free(all);
	free(j.pages);
	free(j.content);
	pdf_close(j.old);
	return rc;
}

/* DocMDP: the certification signature's /Reference transform params /P
 * (ISO 32000-1 12.8.2.2), default 2. */
static int
docmdp_of(struct pdf_doc *doc, const struct pdf_obj *v)
{
	const struct pdf_obj *refs = pdf_getr(doc, v, "Reference"), *r, *tp, *pp;
	long long pv = 2;
	size_t i;

	if (refs == NULL || pdf_kind(refs) != PDF_ARRAY)
		return 0;
	for (i = 0; i < pdf_len(refs); i++) {
		r = pdf_resolve(doc, pdf_at(refs, i));
		if (r == NULL || !name_is(doc, r, "TransformMethod", "DocMDP"))
			continue;
		tp = pdf_getr(doc, r, "TransformParams");
		if (tp != NULL && (pp = pdf_getr(doc, tp, "P")) != NULL &&
		    pdf_int(pp, &pv) == 0 && (pv < 1 || pv > 3))
			pv = 2;
		return (int)pv;
	}
	return 0;
}

/* ---- the document ------------------------------------------------------ */

static int
budget_refusal(const struct pdf_budget *b)
{
	if (b->exceeded == PDF_BUDGET_POOL)
		return sertel_err(SERTEL_ETOOBIG,
		                  "verify: the decoding budget shared by concurrent "
		                  "verifications is spent");
	if (b->exceeded == PDF_BUDGET_PARSE)
		return sertel_err(SERTEL_ETOOBIG,
		                  "verify: parsed objects exceed %llu bytes in one "
		                  "revision",
		                  b->parse_max);
	return sertel_err(SERTEL_ETOOBIG, "verify: decompressed size exceeds %llu bytes",
	                  b->max);
}

int
verify_pdf(struct verify_report **out, const unsigned char *data, size_t len,
           const struct verify_opts *opts)
{
	struct verify_ctx c;
	struct pdfv p;
	struct verify_report *r = NULL;
	struct verify_cms *vcs = NULL;
	CMS_ContentInfo **cmss = NULL;
	struct pdf_doc *rd = NULL;
	size_t i, k, *revs = NULL, last_signed = 0;
	int rc, ctx_ok = 0, nvalid = 0, ninvalid = 0;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	if ((rc = pdf_open_budget(&p.doc, data, len, opts->budget)) < 0)
		return opts->budget != NULL && opts->budget->exceeded != PDF_BUDGET_OK
		           ? budget_refusal(opts->budget)
		           : rc;
	p.data = data;
	p.len = len;
	p.nrev = pdf_revision_count(p.doc);
	if (p.nrev == 0 || (p.ends = calloc(p.nrev, sizeof(size_t))) == NULL) {
		rc = sertel_err(SERTEL_EINVAL, "pdf: no revision");
		goto out;
	}
	for (i = 0; i < p.nrev; i++)
		p.ends[i] = pdf_revision_end(p.doc, i);
	if ((rc = verify_ctx_init(&c, opts)) < 0)
		goto out;
	ctx_ok = 1;
	if ((rc = collect_fields(&p, p.doc, 1)) < 0)
		goto out;
	/* Signatures an earlier revision had and the final one dropped. */
	for (i = 0; i + 1 < p.nrev; i++) {
		if (pdf_open_budget(&rd, data, p.ends[i], opts->budget) < 0) {
			sertel_err_clear();
			continue;
		}
		rc = collect_fields(&p, rd, 0);
		pdf_close(rd);
		rd = NULL;
		if (rc < 0)
			goto out;
	}
	sertel_err_clear();
	find_usage_rights(&p);
	count_stray_byteranges(&p);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (p.nsigs > 0 && ((r->sigs = calloc(p.nsigs, sizeof(*r->sigs))) == NULL ||
	                     (vcs = calloc(p.nsigs, sizeof(*vcs))) == NULL ||
	                     (cmss = calloc(p.nsigs, sizeof(*cmss))) == NULL ||
	                     (revs = calloc(p.nsigs, sizeof(*revs))) == NULL))) {
		rc = sertel_err(SERTEL_ENOMEM, "verify: out of memory");
		goto out;
	}
	r->nsigs = p.nsigs;
	r->nrevisions = p.nrev;
	r->verified_at = c.now;
	sha256_hex(r->sha256_hex, data, len);
	load_dss(&c, p.doc);
	/* Pass 1: ByteRange, CMS, timestamps; DocMDP. */
	for (i = 0; i < p.nsigs; i++) {
		struct verify_sig *sig = &r->sigs[i];

		if (p.sigs[i].removed) {
			sig->field = vstrdupf("%s", p.sigs[i].name);
			sig->changes_allowed = 0;
			add_change(
			    sig, 0,
			    vstrdupf("%s", vtr(&c,
			                       "tanda tangan ini dihapus dari formulir "
			                       "pada revisi sesudahnya",
			                       "this signature was removed from the form "
			                       "by a later revision")));
			vappend(&sig->message, sig->changes[0].what);
			continue;
		}
		if ((rc = check_sig(sig, &vcs[i], &cmss[i], &p, &c, &p.sigs[i],
		                    &revs[i])) < 0)
			goto out;
		if (sig->byterange_ok) {
			int mdp = docmdp_of(p.doc, p.sigs[i].v);

			for (k = 0; k < i; k++)
				if (r->sigs[k].byterange_ok && revs[k] == revs[i]) {
					sig->byterange_ok = 0;
					vappend(&sig->message,
					        vtr(&c,
					            "dua tanda tangan mengklaim revisi "
					            "yang sama",
					            "two signatures claim the same "
					            "revision"));
				}
			if (mdp != 0 && (p.docmdp == 0 || revs[i] < p.docmdp_rev)) {
				p.docmdp = mdp;
				p.docmdp_rev = revs[i];
			}
			sig->docmdp = mdp;
			if (revs[i] + 1 > last_signed)
				last_signed = revs[i] + 1;
		}
	}
	/* Pass 2: paths (all material of the file known now) and changes. */
	for (i = 0; i < p.nsigs; i++) {
		struct verify_sig *sig = &r->sigs[i];
		int64_t at;

		if (p.sigs[i].removed) {
			verify_sig_conclude(sig, &c);
			ninvalid++;
			continue;
		}
		if (sig->kind == VERIFY_KIND_SIGNATURE && vcs[i].signer != NULL) {
			at = sig->timestamp_ok        ? sig->timestamp_time
			     : sig->signing_time != 0 ? sig->signing_time
			                              : c.now;
			if ((rc = verify_signer(sig, &c, vcs[i].signer, at,
			                        sig->timestamp_ok)) < 0)
				goto out;
		}
		if (sig->byterange_ok && (rc = judge_changes(sig, &c, &p, revs[i])) < 0)
			goto out;
		verify_sig_conclude(sig, &c);
		if (sig->verdict == VERIFY_VALID)
			nvalid++;
		else if (sig->verdict == VERIFY_INVALID)
			ninvalid++;
	}
	r->unsigned_tail = last_signed < p.nrev;
	r->nunreadable = p.unreadable;
	r->nusage_rights = p.usage_rights;
	if (p.nsigs == 0 && p.unreadable == 0) {
		r->verdict = VERIFY_INDETERMINATE;
		r->message = vstrdupf("%s", vtr(&c, "dokumen tidak ditandatangani",
		                                "the document is not signed"));
	} else if (ninvalid > 0) {
		r->verdict = VERIFY_INVALID;
		r->message = vstrdupf(c.en ? "%d of %zu signatures not valid"
		                           : "%d dari %zu tanda tangan tidak sah",
		                      ninvalid, p.nsigs);
	} else if (p.unreadable > 0) {
		r->verdict = VERIFY_INDETERMINATE;
		r->message = vstrdupf(
		    c.en ? "%zu signature dictionaries in the file cannot be read"
		         : "%zu kamus tanda tangan dalam berkas tidak terbaca",
		    p.unreadable);
	} else if ((size_t)nvalid == p.nsigs) {
		r->verdict = VERIFY_VALID;
		r->message = vstrdupf(c.en ? "all %zu signatures are valid"
		                           : "semua %zu tanda tangan sah",
		                      p.nsigs);
	} else {
		r->verdict = VERIFY_INDETERMINATE;
		r->message =
		    vstrdupf(c.en ? "%zu of %zu signatures cannot be confirmed"
		                  : "%zu dari %zu tanda tangan tidak dapat dipastikan",
		             p.nsigs - (size_t)nvalid, p.nsigs);
	}
	/* A budget that ran out anywhere (also where a damaged object is only
	 * noted) refuses the whole verification: a verdict made from part of
	 * the file would be a guess. */
	if (opts->budget != NULL && opts->budget->exceeded != PDF_BUDGET_OK) {
		rc = budget_refusal(opts->budget);
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	for (i = 0; i < p.nsigs; i++) {
		if (vcs != NULL)
			verify_cms_free(&vcs[i]);
		if (cmss != NULL)
			CMS_ContentInfo_free(cmss[i]);
		free(p.sigs[i].name);
	}
	free(vcs);
	free(cmss);
	free(revs);
	free(p.sigs);
	free(p.ends);
	verify_report_free(r);
	if (ctx_ok)
		verify_ctx_free(&c);
	pdf_close(rd);
	pdf_close(p.doc);
	return rc;
}
