/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PAdES baseline signatures (ETSI EN 319 142-1) on sertel's own PDF
 * parser and incremental writer.
 *
 * One signature is one incremental update: a signature field merged with
 * its widget (appended to AcroForm /Fields, /SigFlags 3), the signature
 * dictionary (SubFilter ETSI.CAdES.detached, claimed time in /M), the
 * widget's appearance, the footer on every page that does not carry it
 * yet, and for a certification the DocMDP transform and catalog /Perms.
 * /Contents is a hex placeholder; after the writer has laid the update
 * out, /ByteRange is patched in place (fixed width, padded with spaces),
 * the digest is computed over original || tail without the placeholder
 * (streaming, no copy of the original), and the CMS goes into the
 * placeholder.  The original bytes are never touched, so every earlier
 * signature stays valid.
 *
 * B-T: the CMS carries a signature timestamp (sign_cades_digest).
 * B-LT: a second update adds the DSS (ETSI EN 319 142-1 5.4.2): the
 *       certificates, OCSP responses and CRLs of the signer's chain,
 *       fetched from the URLs in the certificates, and a /VRI entry.
 * B-LTA: a third update adds a document timestamp (/DocTimeStamp,
 *       ETSI.RFC3161) over everything before it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "pki/pki.h"
#include "sign/pades_int.h"
#include "sign/revinfo.h"

#define PADES_MAX_TAIL   (256u * 1024 * 1024)
#define PADES_MAX_CMS    (1024 * 1024)
#define PADES_MAX_FIELDS 100000
#define PADES_FETCH_MAX  (4 * 1024 * 1024)
#define PADES_FETCH_SECS 20L
#define BYTERANGE_WIDTH  48 /* characters between '[' and ']' */
#define DEFAULT_W        200.0
#define DEFAULT_H        70.0

/* One signature or document timestamp revision. */
struct sigrev {
	int doc_ts;                       /* 1: /DocTimeStamp (B-LTA) */
	const struct sign_signer *signer; /* approval signatures */
	const struct pades_opts *opts;
	size_t reserve; /* bytes reserved for the DER */
	/* results */
	size_t needed; /* on SERTEL_ETOOBIG: the DER's size */
	char field[64];
	char vri[41];       /* SHA-1 of /Contents, upper-case hex */
	unsigned char *cms; /* a copy of the DER (owned), for B-LT */
	size_t cms_len;
};

static int
bad(const char *what)
{
	return sertel_err(SERTEL_EINVAL, "pades: %s", what);
}

/* The elements of an array (or of the array a reference points to),
 * each followed by a space.  Nothing for NULL. */
static int
put_elems(struct buf *out, struct pdf_doc *doc, const struct pdf_obj *o, const char *what)
{
	const struct pdf_obj *a;
	size_t i;
	int rc;

	if (o == NULL)
		return 0;
	if ((a = pdf_resolve(doc, o)) == NULL)
		return sertel_err(SERTEL_EINVAL, "pades: %s cannot be read", what);
	if (pdf_kind(a) == PDF_NULL)
		return 0;
	if (pdf_kind(a) != PDF_ARRAY)
		return sertel_err(SERTEL_EINVAL, "pades: %s is not an array", what);
	for (i = 0; i < pdf_len(a); i++)
		if ((rc = pdf_serialize(out, pdf_at(a, i))) < 0 ||
		    (rc = buf_putc(out, ' ')) < 0)
			return rc;
	return 0;
}

/* The visible box of page i (CropBox, else MediaBox), normalised. */
static int
page_box(double box[4], struct pdf_doc *doc, int i)
{
	const struct pdf_obj *b = pdf_page_attr(doc, i, "CropBox");
	double t;
	size_t k;

	if (b == NULL || pdf_kind(b) != PDF_ARRAY || pdf_len(b) != 4)
		b = pdf_page_attr(doc, i, "MediaBox");
	if (b == NULL || pdf_kind(b) != PDF_ARRAY || pdf_len(b) != 4) {
		/* PDF 32000-1 7.7.3.3: MediaBox is required; assume A4. */
		box[0] = box[1] = 0;
		box[2] = 595;
		box[3] = 842;
		return 0;
	}
	for (k = 0; k < 4; k++) {
		const struct pdf_obj *e = pdf_resolve(doc, pdf_at(b, k));

		if (e == NULL || pdf_num(e, &box[k]) < 0)
			return sertel_err(SERTEL_EINVAL, "pades: page %d: bad MediaBox",
			                  i + 1);
	}
	if (box[0] > box[2]) {
		t = box[0];
		box[0] = box[2];
		box[2] = t;
	}
	if (box[1] > box[3]) {
		t = box[1];
		box[1] = box[3];
		box[3] = t;
	}
	return 0;
}

/* 1 when page i's font resources already hold sertel's footer font. */
static int
page_has_footer(struct pdf_doc *doc, int i)
{
	const struct pdf_obj *res = pdf_page_attr(doc, i, "Resources"), *fonts;

	if (res == NULL || pdf_kind(res) != PDF_DICT)
		return 0;
	fonts = pdf_getr(doc, res, "Font");
	return fonts != NULL && pdf_kind(fonts) == PDF_DICT &&
	       pdf_get(fonts, PADES_FOOTER_FONT) != NULL;
}

/* Writes a new version of page i: the footer streams around its content
 * (qnum before, ftr after) with the footer font in its resources, and/or
 * the widget annot appended to /Annots. */
static int
page_rewrite(struct pdf_update *u, struct pdf_doc *doc, int i, uint32_t qnum,
             uint32_t ftr, uint32_t font, uint32_t annot)
{
	static const char *const skip_all[] = {"Contents", "Resources", "Annots", NULL};
	static const char *const skip_annots[] = {"Annots", NULL};
	static const char *const skip_font[] = {"Font", NULL};
	const struct pdf_obj *pg, *res, *fonts, *c, *cr;
	struct buf extra, fb, body;
	uint32_t pnum = 0;
	int rc;

	buf_init(&extra, PDF_MAX_STREAM);
	buf_init(&fb, PDF_MAX_STREAM);
	buf_init(&body, PDF_MAX_STREAM);
	if ((pg = pdf_page(doc, i, &pnum)) == NULL) {
		rc = SERTEL_EINVAL;
		goto out;
	}
	if (ftr != 0) {
		/* "q" before the original content so that whatever state it
		 * leaves behind, the footer starts from the default one. */
		if ((rc = buf_appendf(&extra, " /Contents [%u 0 R ", qnum)) < 0)
			goto out;
		if ((c = pdf_get(pg, "Contents")) != NULL) {
			if ((cr = pdf_resolve(doc, c)) == NULL) {
				rc = sertel_err(SERTEL_EINVAL,
				                "pades: page %d: bad /Contents", i + 1);
				goto out;
			}
			if (pdf_kind(cr) == PDF_STREAM) {
				if ((rc = pdf_serialize(&extra, c)) < 0 ||
				    (rc = buf_putc(&extra, ' ')) < 0)
					goto out;
			} else if ((rc = put_elems(&extra, doc, c, "page /Contents")) <
			           0) {
				goto out;
			}
		}
		if ((rc = buf_appendf(&extra, "%u 0 R] /Resources ", ftr)) < 0)
			goto out;
		res = pdf_page_attr(doc, i, "Resources");
		if (res != NULL && pdf_kind(res) != PDF_DICT)
			res = NULL;
		fonts = res ? pdf_getr(doc, res, "Font") : NULL;
		if (fonts != NULL && pdf_kind(fonts) != PDF_DICT)
			fonts = NULL;
		if ((rc = pades_puts(&fb, " /Font ")) < 0)
			goto out;
		if (fonts != NULL) {
			char e[64];

			snprintf(e, sizeof(e), " /%s %u 0 R ", PADES_FOOTER_FONT, font);
			rc = pdf_serialize_dict(&fb, fonts, NULL, e);
		} else {
			rc =
			    buf_appendf(&fb, "<< /%s %u 0 R >>", PADES_FOOTER_FONT, font);
		}
		if (rc < 0 || (rc = buf_putc(&fb, ' ')) < 0 || (rc = buf_cstr(&fb)) < 0)
			goto out;
		if (res != NULL)
			rc = pdf_serialize_dict(&extra, res, skip_font, (char *)fb.data);
		else
			rc = buf_appendf(&extra, "<<%s>>", (char *)fb.data);
		if (rc < 0 || (rc = buf_putc(&extra, ' ')) < 0)
			goto out;
	}
	if (annot != 0) {
		if ((rc = pades_puts(&extra, " /Annots [")) < 0 ||
		    (rc = put_elems(&extra, doc, pdf_get(pg, "Annots"), "page /Annots")) <
		        0 ||
		    (rc = buf_appendf(&extra, "%u 0 R] ", annot)) < 0)
			goto out;
	}
	if ((rc = buf_cstr(&extra)) < 0 ||
	    (rc = pdf_serialize_dict(&body, pg, ftr != 0 ? skip_all : skip_annots,
	                             (char *)extra.data)) < 0 ||
	    (rc = pdf_update_put(u, pnum, body.data, body.len)) < 0)
		goto out;
out:
	buf_free(&extra);
	buf_free(&fb);
	buf_free(&body);
	return rc;
}

/* The object number the trailer's /Root points to. */
static int
root_num(uint32_t *out, struct pdf_doc *doc)
{
	const struct pdf_obj *t = pdf_trailer(doc), *r;
	uint16_t gen;

	if (t == NULL || (r = pdf_get(t, "Root")) == NULL || pdf_ref(r, out, &gen) < 0)
		return bad("trailer /Root is not a reference");
	return 0;
}

static void
pdf_date(char out[32], int64_t t)
{
	char iso[32];

	time_fmt(iso, t);
	/* "2026-11-22T07:00:00Z" -> "D:20261122070000+00'00'" */
	snprintf(out, 32, "D:%.4s%.2s%.2s%.2s%.2s%.2s+00'00'", iso, iso + 5, iso + 8,
	         iso + 11, iso + 14, iso + 17);
}

/* The text of the first entry nid of name n, UTF-8, into out ("" none). */
static void
name_entry(char *out, size_t outsz, X509_NAME *n, int nid)
{
	int i = X509_NAME_get_index_by_NID(n, nid, -1), len;
	unsigned char *u = NULL;

	out[0] = '\0';
	if (i >= 0 &&
	    (len = ASN1_STRING_to_UTF8(
	         &u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)))) >= 0) {
		snprintf(out, outsz, "%.*s", len, (char *)u);
		OPENSSL_free(u);
	}
}

/* The signer's name for the appearance: subject CN, else the DN. */
static void
signer_name(char *out, size_t outsz, X509 *cert)
{
	X509_NAME *n = X509_get_subject_name(cert);

	name_entry(out, outsz, n, NID_commonName);
	if (out[0] == '\0')
		X509_NAME_oneline(n, out, (int)outsz);
}

/* Issue 11: what the box and footer say of the signer, all from the
 * certificate (what a verifier can check): NIP in the subject's
 * serialNumber, jabatan in title, the agency in OU (else O) and the
 * issuing PSrE in the issuer's O. */
struct cert_look {
	char nip[64], title[256], agency[256], issuer[256];
};

static void
cert_look_get(struct cert_look *out, X509 *cert)
{
	X509_NAME *sub = X509_get_subject_name(cert);

	name_entry(out->nip, sizeof(out->nip), sub, NID_serialNumber);
	name_entry(out->title, sizeof(out->title), sub, NID_title);
	name_entry(out->agency, sizeof(out->agency), sub, NID_organizationalUnitName);
	if (out->agency[0] == '\0')
		name_entry(out->agency, sizeof(out->agency), sub, NID_organizationName);
	name_entry(out->issuer, sizeof(out->issuer), X509_get_issuer_name(cert),
	           NID_organizationName);
}

/* Existing fields: is name taken?  Also counts signature fields with a
 * value and tells whether a DocMDP certification is in place. */
struct form_info {
	const struct pdf_obj *acroform; /* resolved, may be NULL */
	uint32_t acroform_num;          /* 0 when inline or absent */
	const struct pdf_obj *fields;   /* /Fields entry as stored */
	size_t nsigned;
	long long certified_p; /* 0: not certified */
};

static int
form_scan(struct form_info *fi, struct pdf_doc *doc, const struct pdf_obj *cat)
{
	const struct pdf_obj *af, *f, *perms, *mdp, *ref;
	uint16_t gen;
	size_t i;

	memset(fi, 0, sizeof(*fi));
	af = pdf_get(cat, "AcroForm");
	if (af != NULL) {
		if (pdf_kind(af) == PDF_REF && pdf_ref(af, &fi->acroform_num, &gen) < 0)
			return bad("catalog /AcroForm");
		if ((fi->acroform = pdf_resolve(doc, af)) == NULL)
			return bad("catalog /AcroForm cannot be read");
		if (pdf_kind(fi->acroform) != PDF_DICT) {
			fi->acroform = NULL;
			fi->acroform_num = 0;
		}
	}
	if (fi->acroform != NULL) {
		fi->fields = pdf_get(fi->acroform, "Fields");
		f = fi->fields ? pdf_resolve(doc, fi->fields) : NULL;
		if (f != NULL && pdf_kind(f) == PDF_ARRAY) {
			if (pdf_len(f) > PADES_MAX_FIELDS)
				return bad("too many form fields");
			for (i = 0; i < pdf_len(f); i++) {
				const struct pdf_obj *fd = pdf_resolve(doc, pdf_at(f, i)),
				                     *ft;
				const char *n;

				if (fd == NULL || pdf_kind(fd) != PDF_DICT)
					continue;
				ft = pdf_getr(doc, fd, "FT");
				n = ft ? pdf_name(ft) : NULL;
				if (n != NULL && strcmp(n, "Sig") == 0 &&
				    pdf_get(fd, "V") != NULL)
					fi->nsigned++;
			}
		}
	}
	perms = pdf_getr(doc, cat, "Perms");
	mdp =
	    perms && pdf_kind(perms) == PDF_DICT ? pdf_getr(doc, perms, "DocMDP") : NULL;
	if (mdp != NULL && pdf_kind(mdp) == PDF_DICT) {
		const struct pdf_obj *refs = pdf_getr(doc, mdp, "Reference");

		fi->certified_p = 2; /* PDF 32000-1 12.8.2.2.2: default P is 2 */
		for (i = 0; refs && pdf_kind(refs) == PDF_ARRAY && i < pdf_len(refs);
		     i++) {
			const struct pdf_obj *tp, *p;

			ref = pdf_resolve(doc, pdf_at(refs, i));
			if (ref == NULL || pdf_kind(ref) != PDF_DICT)
				continue;
			tp = pdf_getr(doc, ref, "TransformParams");
			p = tp && pdf_kind(tp) == PDF_DICT ? pdf_getr(doc, tp, "P")
			                                   : NULL;
			if (p != NULL)
				pdf_int(p, &fi->certified_p);
		}
	}
	return 0;
}

/* The first name prefix<k>, k >= from, that no top-level field has: one
 * pass over the fields marking the taken k in [from, from + nfields]
 * (one of them is free), so a hostile form cannot make this quadratic. */
static int
field_name(char *out, size_t outsz, struct pdf_doc *doc, const struct form_info *fi,
           const char *prefix, size_t from)
{
	const struct pdf_obj *f = fi->fields ? pdf_resolve(doc, fi->fields) : NULL;
	size_t i, len, n = 0, plen = strlen(prefix), k;
	unsigned char *taken = NULL;

	if (f != NULL && pdf_kind(f) == PDF_ARRAY)
		n = pdf_len(f);
	if ((taken = calloc(n + 1, 1)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "pades: out of memory");
	for (i = 0; i < n; i++) {
		const struct pdf_obj *fd = pdf_resolve(doc, pdf_at(f, i)), *t;
		const unsigned char *s;
		char num[24];
		long long v;

		if (fd == NULL || pdf_kind(fd) != PDF_DICT ||
		    (t = pdf_getr(doc, fd, "T")) == NULL ||
		    (s = pdf_str(t, &len)) == NULL || len <= plen ||
		    len - plen >= sizeof(num) || memcmp(s, prefix, plen) != 0)
			continue;
		memcpy(num, s + plen, len - plen);
		num[len - plen] = '\0';
		if (parse_ll(&v, num, (long long)from, (long long)(from + n)) == 0)
			taken[v - (long long)from] = 1;
	}
	for (k = 0; k < n && taken[k]; k++)
		;
	free(taken);
	snprintf(out, outsz, "%s%zu", prefix, from + k);
	return 0;
}

/* Where the visible signature goes: page index and rect (x, y, w, h). */
static int
placement(int *page, double rect[4], struct pdf_doc *doc, const struct pades_opts *o,
          int npages)
{
	double box[4], pos[3];
	int rc;

	if (o->marker != NULL) {
		if ((rc = pades_marker_find(page, pos, doc, o->marker)) < 0)
			return rc;
		rect[2] = o->rect[2] > 0 ? o->rect[2] : DEFAULT_W;
		rect[3] = o->rect[3] > 0 ? o->rect[3] : DEFAULT_H;
		/* The box's top left corner at the marker's (its glyphs' top at
		 * about one font size above the baseline): the box covers the
		 * marker and the space below it, where a signature goes. */
		rect[0] = pos[0];
		rect[1] = pos[1] + pos[2] - rect[3];
	} else {
		*page = o->page < 0 ? npages - 1 : o->page;
		if (*page >= npages)
			return sertel_err(SERTEL_EINVAL,
			                  "pades: page %d: the document has %d page(s)",
			                  *page + 1, npages);
		if ((rc = page_box(box, doc, *page)) < 0)
			return rc;
		if (o->rect[2] > 0 && o->rect[3] > 0) {
			memcpy(rect, o->rect, sizeof(o->rect));
			/* BSrE v2: y grows downwards from the top of the page. */
			if (o->origin_top)
				rect[1] = box[3] - o->rect[1] - o->rect[3];
			return 0;
		}
		/* Default: bottom right, above the footer. */
		rect[2] = DEFAULT_W;
		rect[3] = DEFAULT_H;
		rect[0] = box[2] - 36 - rect[2];
		rect[1] = box[1] + 48;
	}
	if ((rc = page_box(box, doc, *page)) < 0)
		return rc;
	if (rect[0] + rect[2] > box[2])
		rect[0] = box[2] - rect[2];
	if (rect[0] < box[0])
		rect[0] = box[0];
	if (rect[1] + rect[3] > box[3])
		rect[1] = box[3] - rect[3];
	if (rect[1] < box[1])
		rect[1] = box[1];
	return 0;
}

/* Finds needle in hay[from..len). */
static size_t
find(const unsigned char *hay, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle);
	const unsigned char *p;

	if (from >= len)
		return (size_t)-1;
	p = memmem(hay + from, len - from, needle, n);
	return p ? (size_t)(p - hay) : (size_t)-1;
}

/* Writes one signature (or document timestamp) revision of data into
 * tail, which the caller initialised empty. */
static int
sig_revision(struct buf *tail, struct sigrev *r, const unsigned char *data, size_t len)
{
	char zeros[1024];
	static const char *const skip_cat[] = {"AcroForm", "Perms", NULL};
	static const char *const skip_af[] = {"Fields", "SigFlags", NULL};
	const struct pades_opts *o = r->opts;
	struct pdf_doc *doc = NULL;
	struct pdf_update *u = NULL;
	struct form_info fi;
	const struct pdf_obj *cat;
	struct buf b, ap, cms;
	EVP_MD_CTX *md = NULL;
	const EVP_MD *alg;
	unsigned char dig[EVP_MAX_MD_SIZE], sha1[20];
	unsigned int dlen = 0;
	char date[32], name[256], br[BYTERANGE_WIDTH + 1];
	uint32_t rootn, sig, wid, apn, font = 0, img = 0, qn = 0, ftr = 0, ftrfont = 0,
	                               afn;
	double rect[4] = {0, 0, 0, 0}, ftrbox[4] = {0, 0, 0, 0};
	int64_t when;
	struct cert_look cl;
	char footer[2048];
	uint32_t logo = 0;
	int logow = 0, logoh = 0;
	const unsigned char *image = o->image;
	size_t image_len = o->image_len;
	int npages, page = 0, visible, i, rc, imw = 0, imh = 0, k;
	size_t off, brpos, cpos, a, bb, total;

	memset(zeros, '0', sizeof(zeros));
	buf_init(&b, PDF_MAX_STREAM);
	buf_init(&ap, PDF_MAX_STREAM);
	buf_init(&cms, PADES_MAX_CMS);
	if ((rc = pdf_open(&doc, data, len)) < 0)
		goto out;
	if ((cat = pdf_catalog(doc)) == NULL) {
		rc = SERTEL_EINVAL;
		goto out;
	}
	if ((rc = root_num(&rootn, doc)) < 0 || (rc = form_scan(&fi, doc, cat)) < 0)
		goto out;
	if ((npages = pdf_page_count(doc)) < 0) {
		rc = npages;
		goto out;
	}
	if (npages == 0) {
		rc = bad("the document has no pages");
		goto out;
	}
	/* ISO 32000-2 12.8.2.2.2: a DSS and document timestamps are allowed
	 * at every DocMDP level, anything else not at P=1. */
	if (fi.certified_p == 1 && !r->doc_ts) {
		rc = bad("the document is certified with DocMDP P=1: no changes allowed");
		goto out;
	}
	if (!r->doc_ts && o->docmdp != 0) {
		if (o->docmdp < 1 || o->docmdp > 3) {
			rc = bad("DocMDP permission must be 1, 2 or 3");
			goto out;
		}
		if (fi.nsigned > 0 || fi.certified_p != 0) {
			rc = bad(
			    "only the first signer may certify (DocMDP): the document is "
			    "already signed");
			goto out;
		}
	}
	if ((rc = field_name(r->field, sizeof(r->field), doc, &fi,
	                     r->doc_ts ? "DocTimeStamp" : "Signature",
	                     r->doc_ts ? 1 : fi.nsigned + 1)) < 0)
		goto out;
	visible = !r->doc_ts && (o->visible || o->marker != NULL);
	if (visible && (rc = placement(&page, rect, doc, o, npages)) < 0)
		goto out;
	when = o->sig.signing_time != 0 ? o->sig.signing_time : time_now();
	name[0] = '\0';
	memset(&cl, 0, sizeof(cl));
	if (!r->doc_ts) {
		signer_name(name, sizeof(name), r->signer->cert);
		cert_look_get(&cl, r->signer->cert);
	}
	/* Palembang 12(4): every electronically signed document carries the
	 * footer; a document timestamp (B-LTA) signs nobody's act and is the
	 * one exception.  sign_footer_template() gives the instance's. */
	footer[0] = '\0';
	if (!r->doc_ts && (o->footer == NULL || o->footer[0] == '\0')) {
		rc = bad("Palembang 12(4): every signed document carries a footer; none "
		         "was given");
		goto out;
	}
	if (!r->doc_ts && (rc = sign_footer_expand(footer, sizeof(footer), o->footer,
	                                           cl.issuer, o->verify_url)) < 0)
		goto out;
	/* The template's image: the signer's scanned signature unless the
	 * call brought its own. */
	if (image == NULL && o->look != NULL && o->look->layout != SIGN_LAYOUT_TEXT &&
	    o->sig_image != NULL && o->sig_image_len > 0) {
		image = o->sig_image;
		image_len = o->sig_image_len;
	}
	pdf_date(date, when);

	if ((rc = pdf_update_begin(&u, doc)) < 0)
		goto out;
	sig = pdf_update_alloc(u);
	wid = pdf_update_alloc(u);
	apn = pdf_update_alloc(u);

	/* The widget's appearance: empty for an invisible signature. */
	if (visible) {
		struct pades_look lk;

		memset(&lk, 0, sizeof(lk));
		if (image != NULL) {
			if ((rc = pades_image_put(&img, &imw, &imh, u, image,
			                          image_len)) < 0)
				goto out;
		}
		if (o->look != NULL && o->look->logo != NULL && img == 0 &&
		    o->look->layout != SIGN_LAYOUT_TEXT &&
		    (rc = pades_image_put(&logo, &logow, &logoh, u, o->look->logo,
		                          o->look->logo_len)) < 0)
			goto out;
		font = pdf_update_alloc(u);
		if ((rc = pdf_update_putf(
		         u, font,
		         "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
		         "/Encoding /WinAnsiEncoding >>")) < 0)
			goto out;
		lk.w = rect[2];
		lk.h = rect[3];
		lk.signer = name;
		lk.when = when;
		lk.reason = o->reason;
		lk.location = o->location;
		lk.text = o->text;
		lk.qr_url = o->qr_url;
		lk.have_image = img != 0;
		lk.image_w = imw;
		lk.image_h = imh;
		lk.tpl = o->look;
		lk.nip = cl.nip;
		lk.title = cl.title;
		lk.agency = cl.agency;
		lk.have_logo = logo != 0;
		lk.logo_w = logow;
		lk.logo_h = logoh;
		if ((rc = pades_appearance(&b, &lk)) < 0)
			goto out;
		if ((rc = buf_appendf(
		         &ap,
		         "/Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] "
		         "/Resources << /Font << /%s %u 0 R >>",
		         rect[2], rect[3], PADES_AP_FONT, font)) < 0 ||
		    (img != 0 &&
		     (rc = buf_appendf(&ap, " /XObject << /SertelIm1 %u 0 R >>", img)) <
		         0) ||
		    (logo != 0 &&
		     (rc = buf_appendf(&ap, " /XObject << /SertelIm2 %u 0 R >>", logo)) <
		         0) ||
		    (rc = pades_puts(&ap, " >>")) < 0 || (rc = buf_cstr(&ap)) < 0)
			goto out;
		if ((rc = pades_put_stream(u, apn, (char *)ap.data, b.data, b.len, 1)) <
		    0)
			goto out;
	} else {
		if ((rc = pades_put_stream(
		         u, apn, "/Type /XObject /Subtype /Form /BBox [0 0 0 0]", "", 0,
		         0)) < 0)
			goto out;
	}

	/* The widget, which is also the field (PDF 32000-1 12.7.3.1); /P is
	 * the page it is on. */
	{
		uint32_t pnum = 0;

		if (pdf_page(doc, page, &pnum) == NULL) {
			rc = SERTEL_EINVAL;
			goto out;
		}
		buf_reset(&b);
		if ((rc = buf_appendf(
		         &b,
		         "<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /V %u 0 R "
		         "/F 132 /P %u 0 R /Rect [%.2f %.2f %.2f %.2f] "
		         "/AP << /N %u 0 R >> >>",
		         r->field, sig, pnum, rect[0], rect[1], rect[0] + rect[2],
		         rect[1] + rect[3], apn)) < 0)
			goto out;
	}
	if ((rc = pdf_update_put(u, wid, b.data, b.len)) < 0)
		goto out;

	/* The footer, on every page that lacks it, and the widget's page. */
	if (!r->doc_ts) {
		/* PDF 32000-1 12.8.2.2: no DocMDP level allows new page
		 * content after the certification. */
		for (i = 0; fi.certified_p != 0 && i < npages; i++) {
			if (!page_has_footer(doc, i)) {
				rc =
				    bad("the document was certified (DocMDP) without "
				        "the footer Palembang 12(4) requires, and adding "
				        "it now would break the certification: it cannot "
				        "be signed again");
				goto out;
			}
		}
		for (i = 0; i < npages; i++) {
			double box[4];

			if (page_has_footer(doc, i)) {
				if (i == page &&
				    (rc = page_rewrite(u, doc, i, 0, 0, 0, wid)) < 0)
					goto out;
				continue;
			}
			if (qn == 0) {
				qn = pdf_update_alloc(u);
				ftrfont = pdf_update_alloc(u);
				if ((rc = pades_put_stream(u, qn, "", "q\n", 2, 0)) < 0 ||
				    (rc = pdf_update_putf(
				         u, ftrfont,
				         "<< /Type /Font /Subtype /Type1 /BaseFont "
				         "/Helvetica "
				         "/Encoding /WinAnsiEncoding >>")) < 0)
					goto out;
			}
			if ((rc = page_box(box, doc, i)) < 0)
				goto out;
			/* Pages of one size share one footer stream. */
			if (ftr == 0 || memcmp(box, ftrbox, sizeof(box)) != 0) {
				buf_reset(&b);
				if ((rc = pades_puts(&b, "Q\n")) < 0 ||
				    (rc = pades_footer(&b, footer, box)) < 0)
					goto out;
				ftr = pdf_update_alloc(u);
				memcpy(ftrbox, box, sizeof(box));
				if ((rc = pades_put_stream(u, ftr, "", b.data, b.len,
				                           1)) < 0)
					goto out;
			}
			if ((rc = page_rewrite(u, doc, i, qn, ftr, ftrfont,
			                       i == page ? wid : 0)) < 0)
				goto out;
		}
	} else if ((rc = page_rewrite(u, doc, page, 0, 0, 0, wid)) < 0) {
		goto out;
	}

	/* The signature dictionary, with both placeholders. */
	buf_reset(&b);
	memset(br, ' ', BYTERANGE_WIDTH);
	br[BYTERANGE_WIDTH] = '\0';
	memcpy(br, "0 0 0 0", 7);
	if (r->doc_ts) {
		rc = buf_appendf(&b,
		                 "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite "
		                 "/SubFilter /ETSI.RFC3161 /ByteRange [%s] /Contents <",
		                 br);
	} else {
		rc = buf_appendf(
		    &b,
		    "<< /Type /Sig /Filter /Adobe.PPKLite "
		    "/SubFilter /ETSI.CAdES.detached /ByteRange [%s] /Contents <",
		    br);
	}
	for (off = 0; rc == 0 && off < 2 * r->reserve; off += sizeof(zeros)) {
		size_t n = 2 * r->reserve - off;

		rc = buf_append(&b, zeros, n < sizeof(zeros) ? n : sizeof(zeros));
	}
	if (rc < 0 || (rc = buf_putc(&b, '>')) < 0)
		goto out;
	if (!r->doc_ts) {
		if ((rc = buf_appendf(&b, " /M (%s) /Name ", date)) < 0 ||
		    (rc = pades_text_string(&b, name[0] ? name : "sertel")) < 0)
			goto out;
		if (o->reason != NULL && ((rc = pades_puts(&b, " /Reason ")) < 0 ||
		                          (rc = pades_text_string(&b, o->reason)) < 0))
			goto out;
		if (o->location != NULL &&
		    ((rc = pades_puts(&b, " /Location ")) < 0 ||
		     (rc = pades_text_string(&b, o->location)) < 0))
			goto out;
		if (o->contact != NULL && ((rc = pades_puts(&b, " /ContactInfo ")) < 0 ||
		                           (rc = pades_text_string(&b, o->contact)) < 0))
			goto out;
		if (o->docmdp != 0 &&
		    (rc = buf_appendf(
		         &b,
		         " /Reference [<< /Type /SigRef /TransformMethod /DocMDP "
		         "/TransformParams << /Type /TransformParams /P %d /V /1.2 >> "
		         ">>]",
		         o->docmdp)) < 0)
			goto out;
		if ((rc = pades_puts(&b, " /Prop_Build << /App << /Name /sertel >> >>")) <
		    0)
			goto out;
	}
	if ((rc = pades_puts(&b, " >>")) < 0 ||
	    (rc = pdf_update_put(u, sig, b.data, b.len)) < 0)
		goto out;

	/* AcroForm: the new field appended, SigFlags 3 (SignaturesExist,
	 * AppendOnly: PDF 32000-1 12.7.2). */
	buf_reset(&b);
	buf_reset(&ap);
	if ((rc = pades_puts(&ap, " /Fields [")) < 0 ||
	    (rc = put_elems(&ap, doc, fi.fields, "AcroForm /Fields")) < 0 ||
	    (rc = buf_appendf(&ap, "%u 0 R] /SigFlags 3 ", wid)) < 0 ||
	    (rc = buf_cstr(&ap)) < 0)
		goto out;
	if (fi.acroform != NULL)
		rc = pdf_serialize_dict(&b, fi.acroform, skip_af, (char *)ap.data);
	else
		rc = buf_appendf(&b, "<<%s>>", (char *)ap.data);
	if (rc < 0)
		goto out;
	afn = fi.acroform_num != 0 ? fi.acroform_num : pdf_update_alloc(u);
	if ((rc = pdf_update_put(u, afn, b.data, b.len)) < 0)
		goto out;
	if (fi.acroform_num == 0 || o->docmdp != 0) {
		const struct pdf_obj *perms = pdf_get(cat, "Perms");

		buf_reset(&b);
		buf_reset(&ap);
		if ((rc = buf_appendf(&ap, " /AcroForm %u 0 R", afn)) < 0)
			goto out;
		if (!r->doc_ts && o->docmdp != 0)
			rc = buf_appendf(&ap, " /Perms << /DocMDP %u 0 R >> ", sig);
		else if (perms != NULL && ((rc = pades_puts(&ap, " /Perms ")) < 0 ||
		                           (rc = pdf_serialize(&ap, perms)) < 0))
			goto out;
		if (rc < 0 || (rc = buf_cstr(&ap)) < 0 ||
		    (rc = pdf_serialize_dict(&b, cat, skip_cat, (char *)ap.data)) < 0 ||
		    (rc = pdf_update_put(u, rootn, b.data, b.len)) < 0)
			goto out;
	}

	if ((rc = pdf_update_finish(tail, u)) < 0)
		goto out;

	/* Patch /ByteRange and compute the digest. */
	off = pdf_update_offset(u, sig);
	if (off < len ||
	    (brpos = find(tail->data, tail->len, off - len, "/ByteRange [")) ==
	        (size_t)-1 ||
	    (cpos = find(tail->data, tail->len, brpos, "/Contents <")) == (size_t)-1) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pades: signature dictionary not found in the "
		                "update");
		goto out;
	}
	brpos += strlen("/ByteRange [");
	cpos += strlen("/Contents ");
	total = len + tail->len;
	a = len + cpos;
	bb = a + 2 + 2 * r->reserve;
	if (bb > total || tail->data[cpos + 1 + 2 * r->reserve] != '>') {
		rc =
		    sertel_err(SERTEL_EINVAL, "pades: /Contents placeholder was changed");
		goto out;
	}
	memset(br, ' ', BYTERANGE_WIDTH);
	k = snprintf(br, sizeof(br), "0 %zu %zu %zu", a, bb, total - bb);
	if (k < 0 || k >= BYTERANGE_WIDTH) {
		rc = bad("ByteRange does not fit");
		goto out;
	}
	br[k] = ' ';
	memcpy(tail->data + brpos, br, BYTERANGE_WIDTH);

	alg = r->doc_ts ? EVP_sha256() : key_digest(r->signer->key);
	if ((md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(md, alg, NULL) != 1 ||
	    EVP_DigestUpdate(md, data, len) != 1 ||
	    EVP_DigestUpdate(md, tail->data, a - len) != 1 ||
	    EVP_DigestUpdate(md, tail->data + (bb - len), total - bb) != 1 ||
	    EVP_DigestFinal_ex(md, dig, &dlen) != 1) {
		rc = sertel_err_ossl(SERTEL_ECRYPTO, "pades: digest");
		goto out;
	}
	if (r->doc_ts) {
		rc = sign_tsp_request(&cms, o->sig.tsa_url, alg, dig, dlen);
	} else {
		struct sign_opts so = o->sig;

		so.pades = 1;
		so.signing_time = when;
		rc = sign_cades_digest(&cms, r->signer, dig, dlen, &so);
	}
	if (rc < 0)
		goto out;
	if (cms.len > r->reserve) {
		r->needed = cms.len;
		rc = sertel_err(SERTEL_ETOOBIG,
		                "pades: signature of %zu bytes does not fit the "
		                "%zu reserved",
		                cms.len, r->reserve);
		goto out;
	}
	for (off = 0; off < cms.len; off++) {
		static const char hx[] = "0123456789abcdef";

		tail->data[cpos + 1 + 2 * off] = (unsigned char)hx[cms.data[off] >> 4];
		tail->data[cpos + 2 + 2 * off] = (unsigned char)hx[cms.data[off] & 15];
	}
	r->cms_len = cms.len;
	free(r->cms);
	if ((r->cms = malloc(cms.len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pades: out of memory");
		goto out;
	}
	memcpy(r->cms, cms.data, cms.len);
	/* ETSI EN 319 142-1 5.4.2.2: the VRI key is SHA-1 over the
	 * /Contents string (the DER and its zero padding). */
	{
		EVP_MD_CTX *s1 = EVP_MD_CTX_new();
		static const unsigned char zero[256];
		size_t left = r->reserve - cms.len;
		int ok;

		ok = s1 != NULL && EVP_DigestInit_ex(s1, EVP_sha1(), NULL) == 1 &&
		     EVP_DigestUpdate(s1, cms.data, cms.len) == 1;
		while (ok && left > 0) {
			size_t n = left < sizeof(zero) ? left : sizeof(zero);

			ok = EVP_DigestUpdate(s1, zero, n) == 1;
			left -= n;
		}
		ok = ok && EVP_DigestFinal_ex(s1, sha1, NULL) == 1;
		EVP_MD_CTX_free(s1);
		if (!ok) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO,
			                     "pades: SHA-1 of the VRI key");
			goto out;
		}
		for (k = 0; k < 20; k++)
			snprintf(r->vri + 2 * k, 3, "%02X", sha1[k]);
	}
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	pdf_update_free(u);
	pdf_close(doc);
	buf_free(&b);
	buf_free(&ap);
	buf_free(&cms);
	return rc;
}

/* ---- B-LT: revocation data over HTTP ------------------------------------ */

static X509 *
issuer_of(X509 *c, STACK_OF(X509) * all)
{
	int i;

	if (X509_check_issued(c, c) == X509_V_OK)
		return NULL; /* self-signed */
	for (i = 0; i < sk_X509_num(all); i++)
		if (X509_check_issued(sk_X509_value(all, i), c) == X509_V_OK)
			return sk_X509_value(all, i);
	return NULL;
}

static int
push_unique(STACK_OF(X509) * all, X509 *c)
{
	int i;

	for (i = 0; i < sk_X509_num(all); i++)
		if (X509_cmp(sk_X509_value(all, i), c) == 0)
			return 0;
	if (!X509_up_ref(c))
		return sertel_err_ossl(SERTEL_ECRYPTO, "pades: X509_up_ref");
	if (!sk_X509_push(all, c)) {
		X509_free(c);
		return sertel_err(SERTEL_ENOMEM, "pades: out of memory");
	}
	return 0;
}

/* The certificates B-LT needs validation data for: the signer, its
 * chain, and the certificates in the signature timestamp token (the
 * TSA's: the timestamp is validated too).  *out owned by the caller
 * (sk_X509_pop_free). */
static int
validation_certs(STACK_OF(X509) * *out, const struct sign_signer *s,
                 const unsigned char *der, size_t len)
{
	STACK_OF(X509) *all = sk_X509_new_null(), *tc = NULL;
	CMS_ContentInfo *ci = NULL, *tok = NULL;
	const unsigned char *p = der;
	int i, rc = 0;

	if (all == NULL)
		return sertel_err(SERTEL_ENOMEM, "pades: out of memory");
	if ((rc = push_unique(all, s->cert)) < 0)
		goto out;
	for (i = 0; s->chain && i < sk_X509_num(s->chain); i++)
		if ((rc = push_unique(all, sk_X509_value(s->chain, i))) < 0)
			goto out;
	if (der != NULL && (ci = d2i_CMS_ContentInfo(NULL, &p, (long)len)) != NULL) {
		STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(ci);
		CMS_SignerInfo *si = sis ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
		int idx = si ? CMS_unsigned_get_attr_by_NID(
		                   si, NID_id_smime_aa_timeStampToken, -1)
		             : -1;
		X509_ATTRIBUTE *a = idx >= 0 ? CMS_unsigned_get_attr(si, idx) : NULL;
		ASN1_TYPE *t = a ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;

		if (t != NULL && t->type == V_ASN1_SEQUENCE) {
			const unsigned char *q = t->value.sequence->data;

			tok = d2i_CMS_ContentInfo(NULL, &q, t->value.sequence->length);
			tc = tok ? CMS_get1_certs(tok) : NULL;
			for (i = 0; tc && i < sk_X509_num(tc); i++)
				if ((rc = push_unique(all, sk_X509_value(tc, i))) < 0)
					goto out;
		}
	}
	ERR_clear_error();
	*out = all;
	all = NULL;
out:
	sk_X509_pop_free(all, X509_free);
	sk_X509_pop_free(tc, X509_free);
	CMS_ContentInfo_free(tok);
	CMS_ContentInfo_free(ci);
	return rc;
}

/* B-LT at signing time: the chain is the signer's own (its key is ours),
 * so the URLs it carries are trusted like configuration. */
static const struct net_req pades_fetch = {
    .policy = NET_TRUSTED_CONFIG, .timeout = PADES_FETCH_SECS, .max = PADES_FETCH_MAX};

/* An OCSP response (DER) for c from its AIA OCSP URL, appended to out;
 * out stays empty when c names no responder or its issuer is unknown. */
static int
fetch_ocsp(struct buf *out, X509 *c, X509 *issuer)
{
	OCSP_RESPONSE *resp = NULL;
	const unsigned char *p;
	struct buf got;
	int rc;

	if (issuer == NULL)
		return 0;
	rc = revinfo_fetch_ocsp(&got, c, issuer, &pades_fetch);
	if (rc == SERTEL_ENOTFOUND)
		return 0;
	if (rc < 0)
		goto out;
	p = got.data;
	if ((resp = d2i_OCSP_RESPONSE(NULL, &p, (long)got.len)) == NULL ||
	    p != got.data + got.len ||
	    OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		rc = sertel_err(SERTEL_EINVAL, "pades: the OCSP responder did not give a "
		                               "successful OCSP response");
		goto out;
	}
	rc = buf_append(out, got.data, got.len);
out:
	ERR_clear_error();
	OCSP_RESPONSE_free(resp);
	buf_free(&got);
	return rc;
}

/* The CRL (DER) from c's first http CRL distribution point, appended to
 * out; out stays empty when there is none. */
static int
fetch_crl(struct buf *out, X509 *c)
{
	X509_CRL *crl = NULL;
	const unsigned char *p;
	struct buf got;
	int rc;

	rc = revinfo_fetch_crl(&got, c, &pades_fetch);
	if (rc == SERTEL_ENOTFOUND)
		return 0;
	if (rc < 0)
		goto out;
	p = got.data;
	if ((crl = d2i_X509_CRL(NULL, &p, (long)got.len)) == NULL) {
		rc = sertel_err(SERTEL_EINVAL,
		                "pades: CRL distribution point: not a DER CRL");
		goto out;
	}
	rc = buf_append(out, got.data, got.len);
out:
	ERR_clear_error();
	X509_CRL_free(crl);
	buf_free(&got);
	return rc;
}

/* Appends the elements of DSS array key of the old DSS, if any. */
static int
old_dss(struct buf *out, struct pdf_doc *doc, const struct pdf_obj *dss, const char *key)
{
	if (dss == NULL)
		return 0;
	return put_elems(out, doc, pdf_get(dss, key), key);
}

/* The DSS revision (ETSI EN 319 142-1 5.4.2) for the signature r. */
static int
dss_revision(struct buf *tail, const struct sigrev *r, const struct sign_signer *s,
             const unsigned char *data, size_t len)
{
	static const char *const skip_cat[] = {"DSS", NULL};
	static const char *const skip_dss[] = {"Certs", "OCSPs", "CRLs", "VRI", NULL};
	struct pdf_doc *doc = NULL;
	struct pdf_update *u = NULL;
	const struct pdf_obj *cat, *dss, *vri;
	struct buf certs, ocsps, crls, body, got, extra;
	uint32_t rootn, dssn, n;
	X509 *c;
	char tu[32];
	STACK_OF(X509) *all = NULL;
	unsigned char crl_hash[32][32];
	int i, rc, ncrl = 0;

	buf_init(&certs, 1024 * 1024);
	buf_init(&ocsps, 1024 * 1024);
	buf_init(&crls, 1024 * 1024);
	buf_init(&body, 16 * 1024 * 1024);
	buf_init(&got, PADES_FETCH_MAX);
	buf_init(&extra, 16 * 1024 * 1024);
	if ((rc = pdf_open(&doc, data, len)) < 0)
		goto out;
	if ((cat = pdf_catalog(doc)) == NULL) {
		rc = SERTEL_EINVAL;
		goto out;
	}
	if ((rc = root_num(&rootn, doc)) < 0 || (rc = pdf_update_begin(&u, doc)) < 0)
		goto out;
	if ((rc = validation_certs(&all, s, r->cms, r->cms_len)) < 0)
		goto out;
	for (i = 0; i < sk_X509_num(all); i++) {
		unsigned char *der = NULL;
		int dlen;

		c = sk_X509_value(all, i);
		if ((dlen = i2d_X509(c, &der)) <= 0) {
			rc = sertel_err_ossl(SERTEL_ECRYPTO, "pades: certificate DER");
			goto out;
		}
		n = pdf_update_alloc(u);
		rc = pades_put_stream(u, n, "", der, (size_t)dlen, 1);
		OPENSSL_free(der);
		if (rc < 0 || (rc = buf_appendf(&certs, "%u 0 R ", n)) < 0)
			goto out;
		buf_reset(&got);
		if ((rc = fetch_ocsp(&got, c, issuer_of(c, all))) < 0)
			goto out;
		if (got.len > 0) {
			n = pdf_update_alloc(u);
			if ((rc = pades_put_stream(u, n, "", got.data, got.len, 1)) < 0 ||
			    (rc = buf_appendf(&ocsps, "%u 0 R ", n)) < 0)
				goto out;
		}
		buf_reset(&got);
		if ((rc = fetch_crl(&got, c)) < 0)
			goto out;
		/* Certificates of one issuer share its CRL: once is enough. */
		if (got.len > 0) {
			int k, dup = 0;

			sha256(crl_hash[ncrl], got.data, got.len);
			for (k = 0; k < ncrl; k++)
				dup |= memcmp(crl_hash[k], crl_hash[ncrl], 32) == 0;
			if (dup)
				continue;
			if (ncrl + 1 < (int)(sizeof(crl_hash) / sizeof(crl_hash[0])))
				ncrl++;
			n = pdf_update_alloc(u);
			if ((rc = pades_put_stream(u, n, "", got.data, got.len, 1)) < 0 ||
			    (rc = buf_appendf(&crls, "%u 0 R ", n)) < 0)
				goto out;
		}
	}
	if ((rc = buf_cstr(&certs)) < 0 || (rc = buf_cstr(&ocsps)) < 0 ||
	    (rc = buf_cstr(&crls)) < 0)
		goto out;
	dss = pdf_getr(doc, cat, "DSS");
	if (dss != NULL && pdf_kind(dss) != PDF_DICT)
		dss = NULL;
	pdf_date(tu, time_now());
	/* The DSS: old entries kept, ours added; one VRI per signature. */
	if ((rc = pades_puts(&extra, " /Certs [")) < 0 ||
	    (rc = old_dss(&extra, doc, dss, "Certs")) < 0 ||
	    (rc = buf_appendf(&extra, "%s] /OCSPs [", (char *)certs.data)) < 0 ||
	    (rc = old_dss(&extra, doc, dss, "OCSPs")) < 0 ||
	    (rc = buf_appendf(&extra, "%s] /CRLs [", (char *)ocsps.data)) < 0 ||
	    (rc = old_dss(&extra, doc, dss, "CRLs")) < 0 ||
	    (rc = buf_appendf(&extra, "%s] /VRI ", (char *)crls.data)) < 0)
		goto out;
	vri = dss ? pdf_getr(doc, dss, "VRI") : NULL;
	{
		struct buf one;

		buf_init(&one, 16 * 1024 * 1024);
		rc = buf_appendf(
		    &one, " /%s << /Cert [%s] /OCSP [%s] /CRL [%s] /TU (%s) >> ", r->vri,
		    (char *)certs.data, (char *)ocsps.data, (char *)crls.data, tu);
		if (rc == 0)
			rc = buf_cstr(&one);
		if (rc == 0) {
			if (vri != NULL && pdf_kind(vri) == PDF_DICT)
				rc = pdf_serialize_dict(&extra, vri, NULL,
				                        (char *)one.data);
			else
				rc = buf_appendf(&extra, "<<%s>>", (char *)one.data);
		}
		buf_free(&one);
		if (rc < 0)
			goto out;
	}
	if ((rc = buf_putc(&extra, ' ')) < 0 || (rc = buf_cstr(&extra)) < 0)
		goto out;
	dssn = pdf_update_alloc(u);
	if (dss != NULL)
		rc = pdf_serialize_dict(&body, dss, skip_dss, (char *)extra.data);
	else
		rc = buf_appendf(&body, "<< /Type /DSS%s>>", (char *)extra.data);
	if (rc < 0 || (rc = pdf_update_put(u, dssn, body.data, body.len)) < 0)
		goto out;
	buf_reset(&body);
	buf_reset(&extra);
	if ((rc = buf_appendf(&extra, " /DSS %u 0 R ", dssn)) < 0 ||
	    (rc = buf_cstr(&extra)) < 0 ||
	    (rc = pdf_serialize_dict(&body, cat, skip_cat, (char *)extra.data)) < 0 ||
	    (rc = pdf_update_put(u, rootn, body.data, body.len)) < 0 ||
	    (rc = pdf_update_finish(tail, u)) < 0)
		goto out;
out:
	sk_X509_pop_free(all, X509_free);
	pdf_update_free(u);
	pdf_close(doc);
	buf_free(&certs);
	buf_free(&ocsps);
	buf_free(&crls);
	buf_free(&body);
	buf_free(&got);
	buf_free(&extra);
	return rc;
}

/* ---- the whole signature ------------------------------------------------ */

/* A first guess at the DER size: the certificates, a signature, the
 * attributes, and room for a timestamp token with its own chain. */
static size_t
reserve_for(const struct sign_signer *s, int timestamp)
{
	size_t n = 3072;
	int i;

	n += (size_t)i2d_X509(s->cert, NULL);
	for (i = 0; s->chain && i < sk_X509_num(s->chain); i++)
		n += (size_t)i2d_X509(sk_X509_value(s->chain, i), NULL);
	if (timestamp)
		n += 12 * 1024;
	return n;
}

/* sig_revision() with the reservation grown once when the DER turned out
 * larger than guessed (a timestamp token with a long chain). */
static int
revision(struct buf *out, struct sigrev *r, const unsigned char *data, size_t len)
{
	int rc, attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		buf_reset(out);
		rc = sig_revision(out, r, data, len);
		if (rc != SERTEL_ETOOBIG || r->needed == 0)
			return rc;
		r->reserve = r->needed + 4096;
		r->needed = 0;
	}
	return rc;
}

int
pades_sign_ex(struct buf *tail, struct pades_result *res, const unsigned char *data,
              size_t len, const struct sign_signer *signer, const struct pades_opts *opts)
{
	struct sigrev r;
	struct buf part;
	unsigned char *whole = NULL;
	size_t wlen;
	int rc;

	buf_init(tail, PADES_MAX_TAIL);
	buf_init(&part, PADES_MAX_TAIL);
	if (res != NULL)
		memset(res, 0, sizeof(*res));
	if (signer == NULL || signer->key == NULL || signer->cert == NULL || opts == NULL)
		return bad("no signer");
	if (opts->sig.level > SIGN_LEVEL_B &&
	    (opts->sig.tsa_url == NULL || opts->sig.tsa_url[0] == '\0'))
		return bad("B-T and above need a TSA URL");
	if (opts->image != NULL && opts->image_len == 0)
		return bad("empty image");
	memset(&r, 0, sizeof(r));
	r.signer = signer;
	r.opts = opts;
	r.reserve = reserve_for(signer, opts->sig.level > SIGN_LEVEL_B);
	if ((rc = revision(tail, &r, data, len)) < 0)
		goto out;
	if (res != NULL) {
		snprintf(res->field, sizeof(res->field), "%s", r.field);
		res->reserved = r.reserve;
		res->cms_len = r.cms_len;
	}
	if (opts->sig.level < SIGN_LEVEL_LT)
		goto out;
	/* The later revisions need the signed file in one piece. */
	wlen = len + tail->len;
	if ((whole = malloc(wlen)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "pades: out of memory");
		goto out;
	}
	memcpy(whole, data, len);
	memcpy(whole + len, tail->data, tail->len);
	if ((rc = dss_revision(&part, &r, signer, whole, wlen)) < 0 ||
	    (rc = buf_append(tail, part.data, part.len)) < 0)
		goto out;
	if (opts->sig.level < SIGN_LEVEL_LTA)
		goto out;
	{
		unsigned char *w2 = realloc(whole, len + tail->len);
		struct sigrev ts;

		if (w2 == NULL) {
			rc = sertel_err(SERTEL_ENOMEM, "pades: out of memory");
			goto out;
		}
		whole = w2;
		memcpy(whole + wlen, part.data, part.len);
		wlen += part.len;
		memset(&ts, 0, sizeof(ts));
		ts.doc_ts = 1;
		ts.opts = opts;
		ts.reserve = 16 * 1024;
		buf_reset(&part);
		rc = revision(&part, &ts, whole, wlen);
		free(ts.cms);
		if (rc < 0 || (rc = buf_append(tail, part.data, part.len)) < 0)
			goto out;
	}
out:
	if (rc < 0)
		buf_reset(tail);
	free(r.cms);
	free(whole);
	buf_free(&part);
	return rc;
}

int
pades_sign(struct buf *tail, const unsigned char *data, size_t len,
           const struct sign_signer *signer, const struct pades_opts *opts)
{
	return pades_sign_ex(tail, NULL, data, len, signer, opts);
}
