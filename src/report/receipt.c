/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The issuance receipt (bukti tanda terima sertifikat elektronik): what the
 * Registration Authority operator hands over with the certificate at the
 * in-person issuance step.  Perwali Cirebon 13: the applicant accepts the
 * subscriber agreement and the OP hands over the certificate with a
 * receipt; 16-17: the owner keeps the private key and passphrase secret and
 * reports loss or compromise at once.
 *
 * One A4 page: heading, the certificate's particulars in a two-column
 * table, the owner's statement, two signature blocks and a QR code for
 * verification.  When long values would push the page over, everything is
 * set a little smaller (down to 70%) rather than cut or spilled onto a
 * second page; past that the input is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "report/report.h"

/* Page geometry, points. */
#define MARGIN_X    56.7 /* 20 mm */
#define MARGIN_TOP  42.5 /* 15 mm */
#define MARGIN_BOT  34.0 /* 12 mm */
#define CONTENT_W   (PDFDOC_A4_WIDTH - 2 * MARGIN_X)
#define LABEL_W     140.0
#define CELL_PAD_X  6.0
#define QR_MIN_SIDE 72.0 /* about 25 mm: scans from paper at arm's length */
#define QR_MIN_MOD  1.2  /* 0.42 mm modules */

/* Scale steps tried when the content is too tall: 100%, 95%, ... 70%. */
#define SCALE_STEPS 7

/* Colours. */
#define C_INK    0x111111
#define C_NAVY   0x1f3a5f
#define C_MUTED  0x5b6b7f
#define C_LABEL  0x34414f
#define C_LBG    0xf3f5f8
#define C_SECBG  0xe1e8f0
#define C_RULE   0xc8d1dc
#define C_BORDER 0x9fb0c3

/* The receipt's text, checked and formatted once. */
struct view {
	const char *org, *title, *name, *nik, *nip, *position, *agency, *email;
	const char *type, *subject, *key_origin, *op_name, *op_nik, *app_id, *url;
	const char *qrtext; /* verify_url, or serial and fingerprint */
	int has_url;
	int agr_version;
	char usages[320];
	char serial[48];
	char fp[100];  /* AB:CD:...:EF:\nAB:... */
	char agr[100]; /* the same */
	char agr_ver[24];
	char not_before[PDFDOC_DATE_LEN], not_after[PDFDOC_DATE_LEN];
	char issued[PDFDOC_DATE_LEN], accepted[PDFDOC_DATE_LEN];
	char qr[160]; /* serial and fingerprint when there is no URL */
};

/* Drawing state for one pass over the page: measuring or drawing. */
struct pass {
	struct pdfdoc *d;
	double k;  /* type and spacing scale, 0.7 .. 1 */
	int flags; /* PDFDOC_MEASURE or 0 */
	double y;  /* the cursor: top of the next element */
};

struct row {
	const char *label;
	const char *value;
	int mono;
};

static int field_opt(const char **out, const char *what, const char *v, size_t max);
static int field_req(const char **out, const char *what, const char *v, size_t max);
static int hex_check(const char *what, const char *v, size_t min, size_t max);
static void hex_upper(char *out, size_t outsz, const char *hex, int colons);
static void hash_lines(char *out, size_t outsz, const char *hex);
static int type_display(const char **out, const char *type);
static int usages_display(char *out, size_t outsz, const char *list);
static int view_make(struct view *out, const struct receipt_info *ri);
static int draw_header(struct pass *p, const struct view *v);
static int draw_section(struct pass *p, const char *title);
static int draw_row(struct pass *p, const struct row *r);
static int draw_table(struct pass *p, const struct view *v);
static int draw_statement(struct pass *p, const struct view *v);
static int draw_signatures(struct pass *p, const struct view *v);
static int draw_footer(double *out, struct pdfdoc *d, const struct view *v, int flags);
static int draw_page(double *out, struct pdfdoc *d, const struct view *v, double k,
                     int flags);
static struct pdfdoc_font font(enum pdfdoc_face face, double size,
                               enum pdfdoc_align align, uint32_t rgb);

static const struct {
	const char *name;
	const char *display;
} usage_names[] = {
    {"signing", "Tanda tangan elektronik"},
    {"email", "Pengamanan e-mail"},
    {"document", "Enkripsi dokumen"},
    {"ssl-server", "Autentikasi server SSL/TLS"},
    {"ssl-client", "Autentikasi klien SSL/TLS"},
};

static const struct {
	const char *name;
	const char *display;
} type_names[] = {
    {"individu", "Individu"},
    {"jabatan", "Jabatan"},
    {"sistem", "Sistem Elektronik"},
};

/* ---- input ---------------------------------------------------------------- */

static int
field_opt(const char **out, const char *what, const char *v, size_t max)
{
	int rc;

	*out = "-";
	if (v == NULL || v[0] == '\0')
		return 0;
	if ((rc = pdfdoc_text_check(what, v, max)) < 0)
		return rc;
	*out = v;
	return 0;
}

static int
field_req(const char **out, const char *what, const char *v, size_t max)
{
	if (v == NULL || v[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "receipt: %s is required", what);
	return field_opt(out, what, v, max);
}

static int
hex_check(const char *what, const char *v, size_t min, size_t max)
{
	size_t n = strlen(v), i;

	if (n < min || n > max)
		return sertel_err(SERTEL_EINVAL,
		                  "receipt: %s: %zu hex digits, expected %zu..%zu", what,
		                  n, min, max);
	for (i = 0; i < n; i++) {
		char c = v[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			return sertel_err(SERTEL_EINVAL,
			                  "receipt: %s: not hex at digit %zu", what,
			                  i + 1);
	}
	return 0;
}

/* "ab12cd" -> "AB12CD", or "AB:12:CD" the way openssl and browsers print
 * fingerprints.  hex has been checked; output that would not fit is cut. */
static void
hex_upper(char *out, size_t outsz, const char *hex, int colons)
{
	size_t i, j = 0, n = strlen(hex);

	for (i = 0; i < n && j + 3 < outsz; i++) {
		if (colons && i > 0 && i % 2 == 0)
			out[j++] = ':';
		out[j++] =
		    (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 'a' + 'A' : hex[i]);
	}
	out[j] = '\0';
}

/* A SHA-256 value as two lines of sixteen "AB:" pairs: a break chosen by
 * us, not one inside a pair.  Joined without the newline, the lines are
 * exactly what openssl x509 -fingerprint -sha256 prints. */
static void
hash_lines(char *out, size_t outsz, const char *hex)
{
	char *nl;

	hex_upper(out, outsz, hex, 1);
	/* "AB:" times 16 ends at 48; the newline goes after that colon. */
	if (strlen(out) > 48 && strlen(out) + 2 <= outsz) {
		nl = out + 48;
		memmove(nl + 1, nl, strlen(nl) + 1);
		*nl = '\n';
	}
}

static int
type_display(const char **out, const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (strcmp(type, type_names[i].name) == 0) {
			*out = type_names[i].display;
			return 0;
		}
	}
	return sertel_err(
	    SERTEL_EINVAL,
	    "receipt: cert_type '%.32s': expected individu, jabatan or sistem", type);
}

/* "signing,email" -> "Tanda tangan elektronik (signing), Pengamanan e-mail
 * (email)".  Unknown or repeated names are refused, as profile.c does. */
static int
usages_display(char *out, size_t outsz, const char *list)
{
	const size_t nnames = sizeof(usage_names) / sizeof(usage_names[0]);
	unsigned seen = 0;
	const char *p = list, *end;
	size_t len, i, used = 0;
	int n;

	out[0] = '\0';
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < nnames; i++) {
			if (strlen(usage_names[i].name) == len &&
			    strncmp(p, usage_names[i].name, len) == 0)
				break;
		}
		if (i == nnames)
			return sertel_err(
			    SERTEL_EINVAL,
			    "receipt: usage '%.*s': expected signing, email, "
			    "document, ssl-server or ssl-client",
			    (int)(len > 32 ? 32 : len), p);
		if (seen & (1u << i))
			return sertel_err(SERTEL_EINVAL, "receipt: usage '%s' repeated",
			                  usage_names[i].name);
		seen |= 1u << i;
		n = snprintf(out + used, outsz - used, "%s%s (%s)", used > 0 ? ", " : "",
		             usage_names[i].display, usage_names[i].name);
		if (n < 0 || (size_t)n >= outsz - used)
			return sertel_err(SERTEL_ETOOBIG, "receipt: usages too long");
		used += (size_t)n;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

static int
view_make(struct view *out, const struct receipt_info *ri)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = field_req(&out->org, "org", ri->org, REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->title, "title", ri->title, REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_req(&out->name, "applicant_name", ri->applicant_name,
	                    REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_req(&out->nik, "nik", ri->nik, REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->nip, "nip", ri->nip, REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->position, "position", ri->position, REPORT_MAX_FIELD)) <
	        0 ||
	    (rc = field_opt(&out->agency, "agency", ri->agency, REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->email, "email", ri->email, REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_req(&out->type, "cert_type", ri->cert_type, REPORT_MAX_FIELD)) <
	        0 ||
	    (rc = field_req(&out->subject, "subject", ri->subject, REPORT_MAX_LONG)) <
	        0 ||
	    (rc = field_opt(&out->key_origin, "key_origin", ri->key_origin,
	                    REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_req(&out->op_name, "operator_name", ri->operator_name,
	                    REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->op_nik, "operator_nik", ri->operator_nik,
	                    REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->app_id, "application_id", ri->application_id,
	                    REPORT_MAX_FIELD)) < 0 ||
	    (rc = field_opt(&out->url, "verify_url", ri->verify_url, REPORT_MAX_FIELD)) <
	        0)
		return rc;
	if (ri->title == NULL || ri->title[0] == '\0')
		out->title = RECEIPT_TITLE;

	if ((rc = type_display(&out->type, ri->cert_type)) < 0)
		return rc;
	if (ri->usages == NULL || ri->usages[0] == '\0')
		(void)snprintf(out->usages, sizeof(out->usages), "-");
	else if ((rc = usages_display(out->usages, sizeof(out->usages), ri->usages)) < 0)
		return rc;

	/* RFC 5280 4.1.2.2: serial numbers are at most 20 octets. */
	if (ri->serial == NULL || ri->serial[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "receipt: serial is required");
	if ((rc = hex_check("serial", ri->serial, 1, 40)) < 0)
		return rc;
	/* One run of digits, as openssl x509 -serial prints it. */
	hex_upper(out->serial, sizeof(out->serial), ri->serial, 0);
	if (ri->fingerprint_sha256 == NULL || ri->fingerprint_sha256[0] == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "receipt: fingerprint_sha256 is required");
	if ((rc = hex_check("fingerprint_sha256", ri->fingerprint_sha256, 64, 64)) < 0)
		return rc;
	hash_lines(out->fp, sizeof(out->fp), ri->fingerprint_sha256);

	if (ri->agreement_version < 1)
		return sertel_err(SERTEL_EINVAL,
		                  "receipt: agreement_version is required");
	out->agr_version = ri->agreement_version;
	(void)snprintf(out->agr_ver, sizeof(out->agr_ver), "Versi %d",
	               ri->agreement_version);
	if (ri->agreement_sha256 == NULL || ri->agreement_sha256[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "receipt: agreement_sha256 is required");
	if ((rc = hex_check("agreement_sha256", ri->agreement_sha256, 64, 64)) < 0)
		return rc;
	hash_lines(out->agr, sizeof(out->agr), ri->agreement_sha256);

	if (ri->not_before <= 0 || ri->not_after <= 0 || ri->issued_at <= 0 ||
	    ri->agreement_accepted_at <= 0)
		return sertel_err(SERTEL_EINVAL,
		                  "receipt: not_before, not_after, issued_at "
		                  "and agreement_accepted_at are required");
	if (ri->not_before >= ri->not_after)
		return sertel_err(SERTEL_EINVAL,
		                  "receipt: not_before is not before not_after");
	if ((rc = pdfdoc_date_fmt(out->not_before, ri->not_before, ri->tz)) < 0 ||
	    (rc = pdfdoc_date_fmt(out->not_after, ri->not_after, ri->tz)) < 0 ||
	    (rc = pdfdoc_date_fmt(out->issued, ri->issued_at, ri->tz)) < 0 ||
	    (rc = pdfdoc_date_fmt(out->accepted, ri->agreement_accepted_at, ri->tz)) < 0)
		return rc;

	(void)snprintf(out->qr, sizeof(out->qr), "serial=%s;sha256=%s", out->serial,
	               ri->fingerprint_sha256);
	out->has_url = ri->verify_url != NULL && ri->verify_url[0] != '\0';
	out->qrtext = out->has_url ? ri->verify_url : out->qr;
	return 0;
}

/* ---- drawing ---------------------------------------------------------------- */

static struct pdfdoc_font
font(enum pdfdoc_face face, double size, enum pdfdoc_align align, uint32_t rgb)
{
	struct pdfdoc_font f = {face, size, align, rgb};

	return f;
}

/* Organisation and Registration Authority at the left, the QR code at the
 * right, a double rule, then the title. */
static int
draw_header(struct pass *p, const struct view *v)
{
	struct pdfdoc_font f;
	double side, module, quiet, h1, h2, hc, textw, hleft, hright, qx, title_h;
	int rc;

	/* Modules of at least QR_MIN_MOD, the code at least QR_MIN_SIDE. */
	if ((rc = pdfdoc_qr(&side, p->d, 0, 0, 1.0, v->qrtext, PDFDOC_MEASURE)) < 0)
		return rc;
	module = QR_MIN_SIDE / side > QR_MIN_MOD ? QR_MIN_SIDE / side : QR_MIN_MOD;
	side *= module;
	/* The dark modules line up with the content's top and right edges;
	 * the quiet zone lies in the margin. */
	quiet = 4 * module;
	qx = MARGIN_X + CONTENT_W - side + quiet;
	textw = CONTENT_W - (side - 2 * quiet) - 16;

	f = font(PDFDOC_SANS_BOLD, 13 * p->k, PDFDOC_LEFT, C_NAVY);
	if ((rc = pdfdoc_text(&h1, p->d, &f, MARGIN_X, p->y, textw, v->org, p->flags)) <
	    0)
		return rc;
	f = font(PDFDOC_SANS, 8.5 * p->k, PDFDOC_LEFT, C_MUTED);
	if ((rc = pdfdoc_text(&h2, p->d, &f, MARGIN_X, p->y + h1 + 2, textw,
	                      "Otoritas Pendaftaran Sertifikat Elektronik", p->flags)) <
	    0)
		return rc;
	hleft = h1 + 2 + h2;

	if ((rc = pdfdoc_qr(NULL, p->d, qx, p->y - quiet, module, v->qrtext, p->flags)) <
	    0)
		return rc;
	f = font(PDFDOC_SANS, 6.5, PDFDOC_CENTER, C_MUTED);
	if ((rc = pdfdoc_text(&hc, p->d, &f, qx, p->y + side - 2 * quiet + 2, side,
	                      "Pindai untuk verifikasi", p->flags)) < 0)
		return rc;
	hright = side - 2 * quiet + 2 + hc;

	p->y += (hleft > hright ? hleft : hright) + 6 * p->k;
	if (!(p->flags & PDFDOC_MEASURE)) {
		pdfdoc_line(p->d, MARGIN_X, p->y, MARGIN_X + CONTENT_W, p->y, 1.6,
		            C_NAVY);
		pdfdoc_line(p->d, MARGIN_X, p->y + 2.8, MARGIN_X + CONTENT_W, p->y + 2.8,
		            0.5, C_NAVY);
	}
	p->y += 14 * p->k;

	f = font(PDFDOC_SANS_BOLD, 14 * p->k, PDFDOC_CENTER, C_INK);
	if ((rc = pdfdoc_text(&title_h, p->d, &f, MARGIN_X, p->y, CONTENT_W, v->title,
	                      p->flags)) < 0)
		return rc;
	p->y += title_h + 10 * p->k;
	return 0;
}

static int
draw_section(struct pass *p, const char *title)
{
	struct pdfdoc_font f = font(PDFDOC_SANS_BOLD, 8.5 * p->k, PDFDOC_LEFT, C_NAVY);
	double pad = 3.5 * p->k, h;
	int rc;

	if ((rc = pdfdoc_text(&h, p->d, &f, MARGIN_X + CELL_PAD_X, p->y + pad,
	                      CONTENT_W - 2 * CELL_PAD_X, title, PDFDOC_MEASURE)) < 0)
		return rc;
	if (!(p->flags & PDFDOC_MEASURE)) {
		pdfdoc_rect(p->d, MARGIN_X, p->y, CONTENT_W, h + 2 * pad, C_SECBG);
		if ((rc = pdfdoc_text(NULL, p->d, &f, MARGIN_X + CELL_PAD_X, p->y + pad,
		                      CONTENT_W - 2 * CELL_PAD_X, title, p->flags)) < 0)
			return rc;
		pdfdoc_line(p->d, MARGIN_X, p->y + h + 2 * pad, MARGIN_X + CONTENT_W,
		            p->y + h + 2 * pad, 0.5, C_BORDER);
	}
	p->y += h + 2 * pad;
	return 0;
}

/* A label cell and a value cell; the taller sets the row's height. */
static int
draw_row(struct pass *p, const struct row *r)
{
	struct pdfdoc_font lf = font(PDFDOC_SANS, 8.5 * p->k, PDFDOC_LEFT, C_LABEL);
	struct pdfdoc_font vf = font(r->mono ? PDFDOC_MONO : PDFDOC_SANS,
	                             (r->mono ? 8.3 : 9) * p->k, PDFDOC_LEFT, C_INK);
	double pad = 3.2 * p->k, hl, hv, h, vx = MARGIN_X + LABEL_W;
	double lw = LABEL_W - 2 * CELL_PAD_X, vw = CONTENT_W - LABEL_W - 2 * CELL_PAD_X;
	int rc;

	if ((rc = pdfdoc_text(&hl, p->d, &lf, 0, 0, lw, r->label, PDFDOC_MEASURE)) < 0 ||
	    (rc = pdfdoc_text(&hv, p->d, &vf, 0, 0, vw, r->value, PDFDOC_MEASURE)) < 0)
		return rc;
	h = (hl > hv ? hl : hv) + 2 * pad;
	if (!(p->flags & PDFDOC_MEASURE)) {
		pdfdoc_rect(p->d, MARGIN_X, p->y, LABEL_W, h, C_LBG);
		/* Baselines of the first lines agree: the label is set a
		 * little smaller than the value. */
		if ((rc = pdfdoc_text(NULL, p->d, &lf, MARGIN_X + CELL_PAD_X,
		                      p->y + pad + (r->mono ? 0.2 : 0.5) * p->k, lw,
		                      r->label, p->flags)) < 0 ||
		    (rc = pdfdoc_text(NULL, p->d, &vf, vx + CELL_PAD_X, p->y + pad, vw,
		                      r->value, p->flags)) < 0)
			return rc;
		pdfdoc_line(p->d, MARGIN_X, p->y + h, MARGIN_X + CONTENT_W, p->y + h, 0.4,
		            C_RULE);
	}
	p->y += h;
	return 0;
}

static int
draw_table(struct pass *p, const struct view *v)
{
	const struct row owner[] = {
	    {"Nama", v->name, 0},
	    {"NIK", v->nik, 0},
	    {"NIP", v->nip, 0},
	    {"Jabatan", v->position, 0},
	    {"Perangkat Daerah", v->agency, 0},
	    {"E-mail", v->email, 0},
	};
	const struct row cert[] = {
	    {"Jenis Sertifikat", v->type, 0},    {"Penggunaan", v->usages, 0},
	    {"Nomor Seri", v->serial, 1},        {"Subjek", v->subject, 0},
	    {"Berlaku sejak", v->not_before, 0}, {"Berlaku sampai", v->not_after, 0},
	    {"Diterbitkan pada", v->issued, 0},  {"Asal kunci", v->key_origin, 0},
	    {"Sidik jari SHA-256", v->fp, 1},
	};
	const struct row agr[] = {
	    {"Nomor permohonan", v->app_id, 0},
	    {"Versi perjanjian", v->agr_ver, 0},
	    {"SHA-256 perjanjian", v->agr, 1},
	    {"Perjanjian diterima pada", v->accepted, 0},
	};
	double top = p->y;
	size_t i;
	int rc;

	if ((rc = draw_section(p, "A. Pemilik Sertifikat")) < 0)
		return rc;
	for (i = 0; i < sizeof(owner) / sizeof(owner[0]); i++)
		if ((rc = draw_row(p, &owner[i])) < 0)
			return rc;
	if ((rc = draw_section(p, "B. Sertifikat Elektronik")) < 0)
		return rc;
	for (i = 0; i < sizeof(cert) / sizeof(cert[0]); i++)
		if ((rc = draw_row(p, &cert[i])) < 0)
			return rc;
	if ((rc = draw_section(p, "C. Permohonan dan Perjanjian Pemilik Sertifikat")) < 0)
		return rc;
	for (i = 0; i < sizeof(agr) / sizeof(agr[0]); i++)
		if ((rc = draw_row(p, &agr[i])) < 0)
			return rc;
	if (!(p->flags & PDFDOC_MEASURE)) {
		/* The frame, drawn last so the cell shading does not cover it. */
		pdfdoc_line(p->d, MARGIN_X, top, MARGIN_X + CONTENT_W, top, 0.7,
		            C_BORDER);
		pdfdoc_line(p->d, MARGIN_X, p->y, MARGIN_X + CONTENT_W, p->y, 0.7,
		            C_BORDER);
		pdfdoc_line(p->d, MARGIN_X, top, MARGIN_X, p->y, 0.7, C_BORDER);
		pdfdoc_line(p->d, MARGIN_X + CONTENT_W, top, MARGIN_X + CONTENT_W, p->y,
		            0.7, C_BORDER);
	}
	return 0;
}

/* Perwali Cirebon 13 (agreement, in-person hand-over) and 16-17 (the
 * owner's duties: secrecy of the key and passphrase, reporting at once). */
static int
draw_statement(struct pass *p, const struct view *v)
{
	const char *items[4];
	char item2[256];
	struct pdfdoc_font hf = font(PDFDOC_SANS_BOLD, 9 * p->k, PDFDOC_LEFT, C_NAVY);
	struct pdfdoc_font bf = font(PDFDOC_SANS, 8.5 * p->k, PDFDOC_JUSTIFY, C_INK);
	struct pdfdoc_font nf = font(PDFDOC_SANS, 8.5 * p->k, PDFDOC_LEFT, C_INK);
	double h, indent = 14 * p->k;
	char num[8];
	size_t i;
	int rc;

	(void)snprintf(item2, sizeof(item2),
	               "telah membaca, memahami, dan menyetujui Perjanjian Pemilik "
	               "Sertifikat versi %d sebagaimana tercantum di atas;",
	               v->agr_version);
	items[0] =
	    "telah menerima Sertifikat Elektronik tersebut di atas secara langsung "
	    "dari Petugas Otoritas Pendaftaran;";
	items[1] = item2;
	items[2] = "bertanggung jawab penuh menjaga kerahasiaan kunci privat beserta "
	           "<i>passphrase</i>-nya, serta tidak menyerahkan, memperlihatkan, atau "
	           "meminjamkannya kepada pihak lain mana pun, termasuk petugas;";
	items[3] =
	    "wajib segera melaporkan kepada Otoritas Pendaftaran apabila kunci privat "
	    "atau <i>passphrase</i> hilang, diketahui pihak lain, atau diduga telah "
	    "disalahgunakan, agar sertifikat segera dicabut.";

	p->y += 12 * p->k;
	if ((rc = pdfdoc_text(&h, p->d, &hf, MARGIN_X, p->y, CONTENT_W,
	                      "Pernyataan Pemilik Sertifikat", p->flags)) < 0)
		return rc;
	p->y += h + 3 * p->k;
	if ((rc = pdfdoc_text(&h, p->d, &bf, MARGIN_X, p->y, CONTENT_W,
	                      "Dengan menandatangani bukti tanda terima ini, Pemilik "
	                      "Sertifikat menyatakan bahwa ia:",
	                      p->flags)) < 0)
		return rc;
	p->y += h + 2 * p->k;
	for (i = 0; i < 4; i++) {
		(void)snprintf(num, sizeof(num), "%zu.", i + 1);
		if ((rc = pdfdoc_text(NULL, p->d, &nf, MARGIN_X, p->y, indent, num,
		                      p->flags)) < 0 ||
		    /* items[] are literals with markup, no input in them but
		     * a number. */
		    (rc = pdfdoc_markup(&h, p->d, &bf, MARGIN_X + indent, p->y,
		                        CONTENT_W - indent, items[i], p->flags)) < 0)
			return rc;
		p->y += h + 1.5 * p->k;
	}
	return 0;
}

static int
draw_signatures(struct pass *p, const struct view *v)
{
	const double gap = 40, colw = (CONTENT_W - gap) / 2;
	const char *role[2] = {"Pemilik Sertifikat", "Petugas Otoritas Pendaftaran"};
	const char *verb[2] = {"Yang menerima,", "Yang menyerahkan,"};
	const char *name[2] = {v->name, v->op_name};
	const char *nik[2] = {v->nik, v->op_nik};
	struct pdfdoc_font tf = font(PDFDOC_SANS, 8.5 * p->k, PDFDOC_LEFT, C_INK);
	struct pdfdoc_font rf = font(PDFDOC_SANS_BOLD, 8.5 * p->k, PDFDOC_LEFT, C_INK);
	struct pdfdoc_font nf = font(PDFDOC_SANS_BOLD, 9 * p->k, PDFDOC_LEFT, C_INK);
	char line[PDFDOC_DATE_LEN + 64], niks[REPORT_MAX_FIELD + 8];
	double h, y, x, bottom = 0;
	int i, rc;

	p->y += 10 * p->k;
	(void)snprintf(line, sizeof(line),
	               "Diserahkan dan diterima secara langsung pada %s.", v->issued);
	if ((rc = pdfdoc_text(&h, p->d, &tf, MARGIN_X, p->y, CONTENT_W, line, p->flags)) <
	    0)
		return rc;
	p->y += h + 8 * p->k;

	for (i = 0; i < 2; i++) {
		x = MARGIN_X + i * (colw + gap);
		y = p->y;
		if ((rc = pdfdoc_text(&h, p->d, &tf, x, y, colw, verb[i], p->flags)) < 0)
			return rc;
		y += h;
		if ((rc = pdfdoc_text(&h, p->d, &rf, x, y, colw, role[i], p->flags)) < 0)
			return rc;
		/* Room for a wet signature (and a stamp on the operator's side). */
		y += h + 44 * p->k;
		if (!(p->flags & PDFDOC_MEASURE))
			pdfdoc_line(p->d, x, y, x + colw, y, 0.6, C_INK);
		y += 3 * p->k;
		if ((rc = pdfdoc_text(&h, p->d, &nf, x, y, colw, name[i], p->flags)) < 0)
			return rc;
		y += h;
		(void)snprintf(niks, sizeof(niks), "NIK %s", nik[i]);
		if ((rc = pdfdoc_text(&h, p->d, &tf, x, y, colw, niks, p->flags)) < 0)
			return rc;
		y += h;
		if (y > bottom)
			bottom = y;
	}
	p->y = bottom;
	return 0;
}

/* A rule and one small line at the foot of the page; *out is its top. */
static int
draw_footer(double *out, struct pdfdoc *d, const struct view *v, int flags)
{
	struct pdfdoc_font f = font(PDFDOC_SANS, 7, PDFDOC_LEFT, C_MUTED);
	struct buf m;
	double h, y;
	int rc;

	*out = 0;
	buf_init(&m, 8 * REPORT_MAX_LONG);
	if ((rc = buf_appendf(&m, "Dokumen ini dibuat oleh sertel untuk ")) < 0 ||
	    (rc = pdfdoc_escape(&m, v->org)) < 0 ||
	    (rc = buf_appendf(&m, ". Simpan bersama salinan Perjanjian Pemilik "
	                          "Sertifikat. ")) < 0)
		goto out;
	if (v->has_url) {
		if ((rc = buf_appendf(&m, "Verifikasi: ")) < 0 ||
		    (rc = pdfdoc_escape(&m, v->url)) < 0)
			goto out;
	} else if ((rc = buf_appendf(&m, "Kode QR memuat nomor seri dan sidik jari "
	                                 "SHA-256 sertifikat.")) < 0)
		goto out;
	if ((rc = buf_cstr(&m)) < 0)
		goto out;

	if ((rc = pdfdoc_markup(&h, d, &f, MARGIN_X, 0, CONTENT_W, (const char *)m.data,
	                        PDFDOC_MEASURE)) < 0)
		goto out;
	y = PDFDOC_A4_HEIGHT - MARGIN_BOT - h;
	if (!(flags & PDFDOC_MEASURE)) {
		pdfdoc_line(d, MARGIN_X, y - 4, MARGIN_X + CONTENT_W, y - 4, 0.4, C_RULE);
		if ((rc = pdfdoc_markup(NULL, d, &f, MARGIN_X, y, CONTENT_W,
		                        (const char *)m.data, flags)) < 0)
			goto out;
	}
	*out = y - 4;
	rc = 0;
out:
	buf_free(&m);
	return rc;
}

/* One pass over the page at scale k.  *out is how far the body overruns
 * the space above the footer (<= 0 when it fits). */
static int
draw_page(double *out, struct pdfdoc *d, const struct view *v, double k, int flags)
{
	struct pass p = {d, k, flags, MARGIN_TOP};
	double foot;
	int rc;

	*out = 0;
	if ((rc = draw_footer(&foot, d, v, flags)) < 0 || (rc = draw_header(&p, v)) < 0 ||
	    (rc = draw_table(&p, v)) < 0 || (rc = draw_statement(&p, v)) < 0 ||
	    (rc = draw_signatures(&p, v)) < 0)
		return rc;
	*out = p.y + 8 - foot;
	return 0;
}

int
receipt_pdf(unsigned char **out, size_t *outlen, const struct receipt_info *ri)
{
	struct pdfdoc *d = NULL;
	struct pdfdoc_meta meta;
	struct view v;
	char subject[128];
	double over = 0, k = 1;
	int rc, step;

	if (out == NULL || outlen == NULL)
		return sertel_err(SERTEL_EINVAL, "receipt: no output");
	*out = NULL;
	*outlen = 0;
	if (ri == NULL)
		return sertel_err(SERTEL_EINVAL, "receipt: no receipt information");
	if ((rc = view_make(&v, ri)) < 0)
		return rc;

	(void)snprintf(subject, sizeof(subject), "Sertifikat elektronik nomor seri %s",
	               v.serial);
	meta.title = v.title;
	meta.author = v.org;
	meta.subject = subject;
	meta.created = ri->issued_at;
	meta.tz = ri->tz;
	if ((rc = pdfdoc_new(&d, &meta, REPORT_MAX_PDF)) < 0)
		goto out;

	for (step = 0; step < SCALE_STEPS; step++) {
		k = 1.0 - 0.05 * step;
		if ((rc = draw_page(&over, d, &v, k, PDFDOC_MEASURE)) < 0)
			goto out;
		if (over <= 0)
			break;
	}
	if (over > 0) {
		rc = sertel_err(
		    SERTEL_ETOOBIG,
		    "receipt %s: content does not fit one A4 page (%.0f pt over "
		    "at %.0f%%)",
		    v.serial, over, k * 100);
		goto out;
	}
	if ((rc = draw_page(&over, d, &v, k, 0)) < 0 ||
	    (rc = pdfdoc_finish(out, outlen, d)) < 0)
		goto out;
	rc = 0;
out:
	pdfdoc_free(d);
	return rc;
}
