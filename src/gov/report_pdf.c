/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The annual evaluation report as a PDF in Bahasa Indonesia (Cirebon 23,
 * Denpasar 24): a cover addressed to the recipients the regulations name,
 * a summary, two charts (issuance per agency, coverage over the months
 * against the road map's target) and a table per dimension of the
 * figures, every page numbered, dates in the instance's zone.  It prints
 * the rows gov_report_build() made and computes nothing of its own.
 *
 * Laid out twice: a first pass counts the pages (nothing drawn), the
 * second draws them with "Halaman i dari n".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "esign/esign.h"
#include "gov/gov.h"
#include "report/report.h"

#define MARGIN_X 56.0
#define TOP      64.0
/* The bottom 90 pt stay free: the signature brings the footer Palembang
 * 12(4) requires on every page (src/sign, 12 pt above the edge, several
 * lines), which must not cover the report's own page footer. */
#define BOTTOM       (PDFDOC_A4_HEIGHT - 100.0)
#define CONTENT_W    (PDFDOC_A4_WIDTH - 2 * MARGIN_X)
#define C_INK        0x1a1a1a
#define C_NAVY       0x1f3a5f
#define C_MUTED      0x666666
#define C_RULE       0xbbbbbb
#define C_HEAD       0xe8eef5
#define C_BAR        0x2e6da4
#define C_LINE       0x1f3a5f
#define C_TARGET     0xc0392b
#define C_DRAFT      0xc0392b
#define TOP_AGENCIES 10

struct lay {
	struct pdfdoc *d;
	const struct gov_report *r;
	const struct gov_report_doc *doc;
	int flags; /* PDFDOC_MEASURE on the counting pass */
	double y;
	int page, pages;
	/* The header row of the table being laid out, repeated at the top
	 * of a page the table continues on; NULL outside a table. */
	const char *const *head;
	int nhead;
};

static struct pdfdoc_font
font(enum pdfdoc_face face, double size, enum pdfdoc_align align, uint32_t rgb)
{
	struct pdfdoc_font f = {face, size, align, rgb};

	return f;
}

static int
drawing(const struct lay *l)
{
	return !(l->flags & PDFDOC_MEASURE);
}

/* The foot of the page: the document, the page number and the zone. */
static int
lay_footer(struct lay *l)
{
	struct pdfdoc_font f = font(PDFDOC_SANS, 7.5, PDFDOC_LEFT, C_MUTED);
	struct pdfdoc_font fr = font(PDFDOC_SANS, 7.5, PDFDOC_RIGHT, C_MUTED);
	char left[256], right[96];

	if (!drawing(l))
		return 0;
	snprintf(left, sizeof(left), "Laporan Evaluasi Tahunan %d%s%s%s", l->r->year,
	         l->doc->org ? " \xe2\x80\x94 " : "", l->doc->org ? l->doc->org : "",
	         l->doc->draft ? " \xe2\x80\x94 DRAF" : "");
	snprintf(right, sizeof(right), "Halaman %d dari %d \xc2\xb7 waktu %s", l->page,
	         l->pages, l->r->tz.name);
	pdfdoc_line(l->d, MARGIN_X, BOTTOM + 8, MARGIN_X + CONTENT_W, BOTTOM + 8, 0.4,
	            C_RULE);
	if (pdfdoc_text(NULL, l->d, &f, MARGIN_X, BOTTOM + 11, CONTENT_W * 0.6, left,
	                l->flags) < 0 ||
	    pdfdoc_text(NULL, l->d, &fr, MARGIN_X + CONTENT_W * 0.5, BOTTOM + 11,
	                CONTENT_W * 0.5, right, l->flags) < 0)
		return SERTEL_EIO;
	return 0;
}

/* The head of every page: the draft's mark. */
static int
lay_header(struct lay *l)
{
	struct pdfdoc_font f = font(PDFDOC_SANS_BOLD, 16, PDFDOC_RIGHT, C_DRAFT);

	l->y = TOP;
	if (!l->doc->draft)
		return 0;
	return pdfdoc_text(NULL, l->d, &f, MARGIN_X, 28, CONTENT_W,
	                   "DRAF \xe2\x80\x94 belum ditandatangani", l->flags);
}

static int
lay_break(struct lay *l)
{
	int rc;

	if ((rc = lay_footer(l)) < 0)
		return rc;
	if (drawing(l) && (rc = pdfdoc_page_next(l->d)) < 0)
		return rc;
	l->page++;
	return lay_header(l);
}

static int
lay_need(struct lay *l, double h)
{
	return l->y + h > BOTTOM ? lay_break(l) : 0;
}

static int
lay_text(struct lay *l, const struct pdfdoc_font *f, double x, double w, const char *t,
         double after)
{
	double h;
	int rc;

	if ((rc = pdfdoc_text(&h, l->d, f, x, 0, w, t, PDFDOC_MEASURE)) < 0 ||
	    (rc = lay_need(l, h)) < 0 ||
	    (rc = pdfdoc_text(NULL, l->d, f, x, l->y, w, t, l->flags)) < 0)
		return rc;
	l->y += h + after;
	return 0;
}

static int
lay_heading(struct lay *l, const char *t)
{
	struct pdfdoc_font f = font(PDFDOC_SANS_BOLD, 12, PDFDOC_LEFT, C_NAVY);

	/* A new table (or a chart) begins: no header row to repeat. */
	l->head = NULL;
	/* A heading never ends a page alone. */
	if (l->y + 60 > BOTTOM && l->y > TOP) {
		int rc = lay_break(l);

		if (rc < 0)
			return rc;
	}
	l->y += 6;
	return lay_text(l, &f, MARGIN_X, CONTENT_W, t, 4);
}

/* ---- tables ------------------------------------------------------------- */

/* One table row: cells[0] at the left, the others right-aligned in
 * columns of equal width. */
static int
lay_row(struct lay *l, const char *const *cells, int ncells, int head)
{
	struct pdfdoc_font lf =
	    font(head ? PDFDOC_SANS_BOLD : PDFDOC_SANS, 8.5, PDFDOC_LEFT, C_INK);
	struct pdfdoc_font rf =
	    font(head ? PDFDOC_SANS_BOLD : PDFDOC_SANS, 8.5, PDFDOC_RIGHT, C_INK);
	double colw = ncells > 1 ? (ncells > 2 ? 84.0 : 110.0) : 0;
	double keyw = CONTENT_W - colw * (ncells - 1) - 8, h, hk;
	int i, rc;

	if ((rc = pdfdoc_text(&hk, l->d, &lf, 0, 0, keyw, cells[0], PDFDOC_MEASURE)) < 0)
		return rc;
	h = hk + 5;
	if (!head && l->head != NULL && l->y + h > BOTTOM) {
		if ((rc = lay_break(l)) < 0 ||
		    (rc = lay_row(l, l->head, l->nhead, 1)) < 0)
			return rc;
	} else if ((rc = lay_need(l, h)) < 0) {
		return rc;
	}
	if (drawing(l) && head)
		pdfdoc_rect(l->d, MARGIN_X, l->y, CONTENT_W, h, C_HEAD);
	if ((rc = pdfdoc_text(NULL, l->d, &lf, MARGIN_X + 4, l->y + 2.5, keyw, cells[0],
	                      l->flags)) < 0)
		return rc;
	for (i = 1; i < ncells; i++)
		if ((rc = pdfdoc_text(NULL, l->d, &rf,
		                      MARGIN_X + keyw + 4 + colw * (i - 1), l->y + 2.5,
		                      colw - 4, cells[i], l->flags)) < 0)
			return rc;
	if (drawing(l))
		pdfdoc_line(l->d, MARGIN_X, l->y + h, MARGIN_X + CONTENT_W, l->y + h, 0.3,
		            C_RULE);
	l->y += h;
	return 0;
}

const char *
gov_report_key_label(const char *key)
{
	static const struct {
		const char *key, *label;
	} labels[] = {
	    {"issued", "Diterbitkan"},
	    {"renewed", "Diperpanjang"},
	    {"revoked", "Dicabut"},
	    {"submitted", "Diajukan"},
	    {"approved", "Disetujui"},
	    {"rejected", "Ditolak"},
	    {"renewal_issued", "Perpanjangan diterbitkan"},
	    {"count", "Jumlah permohonan"},
	    {"median", "Median"},
	    {"p90", "Persentil ke-90"},
	    {"headcount", "Jumlah ASN"},
	    {"holders", "Pemegang sertifikat"},
	    {"share_bp", "Cakupan (basis poin)"},
	    {"asn_share_bp_target", "Target cakupan ASN (basis poin)"},
	    {"asn_share_bp_reached", "Capaian cakupan ASN (basis poin)"},
	    {"systems_target", "Target sistem elektronik"},
	    {"systems_reached", "Sistem dengan sertifikat berlaku"},
	    {"services_target", "Target layanan bertanda tangan elektronik"},
	    {"reported", "Dilaporkan"},
	    {"notice_hours_count", "Sudah diberitahukan"},
	    {"notice_hours_median", "Median waktu pemberitahuan (jam)"},
	    {"notice_hours_p90", "Persentil ke-90 pemberitahuan (jam)"},
	    {"close_hours_count", "Sudah ditutup"},
	    {"close_hours_median", "Median waktu penutupan (jam)"},
	    {"close_hours_p90", "Persentil ke-90 penutupan (jam)"},
	    {"notified_late", "Terlambat diberitahukan"},
	    {"notify_within_seconds", "Batas pemberitahuan (detik)"},
	    {"received", "Diterima"},
	    {"resolve_hours_count", "Sudah diselesaikan"},
	    {"resolve_hours_median", "Median waktu penyelesaian (jam)"},
	    {"resolve_hours_p90", "Persentil ke-90 penyelesaian (jam)"},
	    {"result", "Hasil verifikasi"},
	    {"entries", "Jumlah entri"},
	    {"first_bad_seq", "Entri pertama yang rusak"},
	    {"needs_undecided", "Kebutuhan belum diputuskan"},
	    {"incidents_open", "Insiden belum ditutup"},
	    {"complaints_open", "Pengaduan belum selesai"},
	    {"plan_review_late", "Reviu rencana terlambat (1 = ya)"},
	    {"systems_probe_failed", "Sistem dengan pemeriksaan gagal"},
	    {"systems_cert_expiring_30d", "Sertifikat sistem berakhir dalam 30 hari"},
	};
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].label;
	return key;
}

static const struct gov_report_row *
dim_first(const struct gov_report *r, int dim, size_t *n)
{
	size_t i, j;

	for (i = 0; i < r->nrows && r->rows[i].dim != dim; i++)
		;
	for (j = i; j < r->nrows && r->rows[j].dim == dim; j++)
		;
	*n = j - i;
	return *n ? &r->rows[i] : NULL;
}

/* A two-column table of one dimension. */
static int
lay_dim(struct lay *l, int dim, const struct gov_report_dim *dd)
{
	const char *head[2] = {"Uraian", "Nilai"}, *cells[2];
	const struct gov_report_row *rows;
	char v[96];
	size_t n, i;
	int rc;

	rows = dim_first(l->r, dim, &n);
	if ((rc = lay_heading(l, dd[dim].title)) < 0 || (rc = lay_row(l, head, 2, 1)) < 0)
		return rc;
	l->head = head;
	l->nhead = 2;
	if (n == 0) {
		cells[0] = "(tidak ada)";
		cells[1] = "0";
		return lay_row(l, cells, 2, 0);
	}
	for (i = 0; i < n; i++) {
		gov_report_value_fmt(v, sizeof(v), &rows[i]);
		cells[0] = gov_report_key_label(rows[i].key);
		cells[1] = v;
		if ((rc = lay_row(l, cells, 2, 0)) < 0)
			return rc;
	}
	return 0;
}

/* Issued, renewed and revoked side by side: by type, usage or agency. */
static int
lay_cert_table(struct lay *l, const char *title, const char *by, const char *dims3[3])
{
	const char *head[4] = {by, "Terbit", "Perpanjangan", "Dicabut"}, *cells[4];
	const struct gov_report_row *row;
	char v[3][32], seen[64][160];
	size_t nseen = 0, i, k;
	int rc, j;

	if ((rc = lay_heading(l, title)) < 0 || (rc = lay_row(l, head, 4, 1)) < 0)
		return rc;
	l->head = head;
	l->nhead = 4;
	/* The keys of the three dimensions, issued first (sorted there). */
	for (j = 0; j < 3; j++)
		for (i = 0; i < l->r->nrows; i++) {
			row = &l->r->rows[i];
			if (strcmp(gov_report_dims(&k)[row->dim].name, dims3[j]) != 0 ||
			    strcmp(gov_report_dims(&k)[row->dim].section,
			           "certificates") != 0)
				continue;
			for (k = 0; k < nseen && strcmp(seen[k], row->key) != 0; k++)
				;
			if (k == nseen && nseen < sizeof(seen) / sizeof(seen[0]))
				str_copy(seen[nseen++], sizeof(seen[0]), row->key);
		}
	for (k = 0; k < nseen; k++) {
		cells[0] = seen[k];
		for (j = 0; j < 3; j++) {
			row = gov_report_find(l->r, "certificates", dims3[j], seen[k]);
			snprintf(v[j], sizeof(v[j]), "%lld",
			         row ? (long long)row->n : 0LL);
			cells[j + 1] = v[j];
		}
		if ((rc = lay_row(l, cells, 4, 0)) < 0)
			return rc;
	}
	if (nseen == 0) {
		cells[0] = "(tidak ada)";
		cells[1] = cells[2] = cells[3] = "0";
		return lay_row(l, cells, 4, 0);
	}
	return 0;
}

/* ---- charts ------------------------------------------------------------ */

static int
bar_cmp(const void *a, const void *b)
{
	const struct gov_report_row *x = *(const struct gov_report_row *const *)a,
	                            *y = *(const struct gov_report_row *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Bars of issuance per agency: the TOP_AGENCIES largest, the rest summed
 * as "Lainnya". */
static int
lay_bars(struct lay *l, int dim)
{
	struct pdfdoc_font lf = font(PDFDOC_SANS, 7.5, PDFDOC_LEFT, C_INK);
	struct pdfdoc_font vf = font(PDFDOC_SANS, 7.5, PDFDOC_LEFT, C_INK);
	const struct gov_report_row *rows, *top[TOP_AGENCIES + 1];
	struct gov_report_row other;
	const double labw = 170, barh = 11, gap = 4;
	double maxw = CONTENT_W - labw - 40, x0 = MARGIN_X + labw, w;
	int64_t max = 0;
	size_t n, i, nt;
	char v[32];
	int rc;

	rows = dim_first(l->r, dim, &n);
	if ((rc = lay_heading(l, "Grafik: sertifikat diterbitkan per perangkat daerah")) <
	    0)
		return rc;
	if (n == 0)
		return lay_text(l, &lf, MARGIN_X, CONTENT_W,
		                "Tidak ada sertifikat yang diterbitkan pada tahun ini.",
		                6);
	{
		const struct gov_report_row **all = malloc(n * sizeof(*all));

		if (all == NULL)
			return sertel_err(SERTEL_ENOMEM, "report: out of memory");
		for (i = 0; i < n; i++)
			all[i] = &rows[i];
		qsort(all, n, sizeof(*all), bar_cmp);
		nt = n > TOP_AGENCIES ? TOP_AGENCIES : n;
		for (i = 0; i < nt; i++)
			top[i] = all[i];
		memset(&other, 0, sizeof(other));
		str_copy(other.key, sizeof(other.key), "Lainnya");
		for (i = nt; i < n; i++)
			other.n += all[i]->n;
		free(all);
		if (n > nt)
			top[nt++] = &other;
	}
	for (i = 0; i < nt; i++)
		if (top[i]->n > max)
			max = top[i]->n;
	if ((rc = lay_need(l, nt * (barh + gap) + 8)) < 0)
		return rc;
	for (i = 0; i < nt; i++) {
		double y = l->y + i * (barh + gap);

		w = max > 0 ? maxw * (double)top[i]->n / (double)max : 0;
		snprintf(v, sizeof(v), "%lld", (long long)top[i]->n);
		if ((rc = pdfdoc_text(NULL, l->d, &lf, MARGIN_X, y, labw - 6, top[i]->key,
		                      l->flags)) < 0 ||
		    (rc = pdfdoc_text(NULL, l->d, &vf, x0 + w + 3, y, 40, v, l->flags)) <
		        0)
			return rc;
		if (drawing(l))
			pdfdoc_rect(l->d, x0, y + 1, w > 0.5 ? w : 0.5, barh - 2, C_BAR);
	}
	l->y += nt * (barh + gap) + 8;
	return 0;
}

/* Coverage of the region at each month's end, the road map's target as a
 * dashed line. */
static int
lay_line(struct lay *l)
{
	struct pdfdoc_font f = font(PDFDOC_SANS, 7, PDFDOC_CENTER, C_MUTED);
	struct pdfdoc_font fl = font(PDFDOC_SANS, 7, PDFDOC_RIGHT, C_MUTED);
	struct pdfdoc_font ft = font(PDFDOC_SANS, 7.5, PDFDOC_LEFT, C_TARGET);
	const double h = 150, x0 = MARGIN_X + 40, w = CONTENT_W - 50;
	double y0, step = w / 11.0, px = 0, py = 0;
	char lab[32];
	int m, rc;

	if ((rc = lay_heading(l, "Grafik: cakupan ASN daerah per akhir bulan")) < 0 ||
	    (rc = lay_need(l, h + 30)) < 0)
		return rc;
	y0 = l->y + h; /* the 0% line */
	if (drawing(l)) {
		for (m = 0; m <= 4; m++) {
			double y = y0 - h * m / 4.0;

			pdfdoc_line(l->d, x0, y, x0 + w, y, 0.3, C_RULE);
		}
		pdfdoc_line(l->d, x0, y0, x0, y0 - h, 0.6, C_INK);
	}
	for (m = 0; m <= 4; m++) {
		snprintf(lab, sizeof(lab), "%d%%", m * 25);
		if ((rc = pdfdoc_text(NULL, l->d, &fl, MARGIN_X, y0 - h * m / 4.0 - 4, 36,
		                      lab, l->flags)) < 0)
			return rc;
	}
	for (m = 0; m < 12; m++) {
		snprintf(lab, sizeof(lab), "%.3s", time_months_id[m]);
		if ((rc = pdfdoc_text(NULL, l->d, &f, x0 + step * m - 15, y0 + 3, 30, lab,
		                      l->flags)) < 0)
			return rc;
	}
	for (m = 0; m < l->r->months && drawing(l); m++) {
		double x = x0 + step * m,
		       y = y0 - h * (double)l->r->month_bp[m] / 10000.0;

		if (m > 0)
			pdfdoc_line(l->d, px, py, x, y, 1.6, C_LINE);
		pdfdoc_rect(l->d, x - 2, y - 2, 4, 4, C_LINE);
		px = x;
		py = y;
	}
	if (l->r->target_bp >= 0) {
		double y = y0 - h * (double)l->r->target_bp / 10000.0;

		if (drawing(l))
			pdfdoc_line_dashed(l->d, x0, y, x0 + w, y, 1.0, C_TARGET, 5, 3);
		snprintf(lab, sizeof(lab), "target %lld bp", (long long)l->r->target_bp);
		if ((rc = pdfdoc_text(NULL, l->d, &ft, x0 + w - 80, y - 11, 80, lab,
		                      l->flags)) < 0)
			return rc;
	}
	l->y = y0 + 18;
	return 0;
}

/* ---- the pages ------------------------------------------------------------ */

static int
lay_cover(struct lay *l)
{
	struct pdfdoc_font org = font(PDFDOC_SANS_BOLD, 14, PDFDOC_CENTER, C_NAVY);
	struct pdfdoc_font title = font(PDFDOC_SANS_BOLD, 20, PDFDOC_CENTER, C_INK);
	struct pdfdoc_font year = font(PDFDOC_SANS_BOLD, 16, PDFDOC_CENTER, C_NAVY);
	struct pdfdoc_font body = font(PDFDOC_SANS, 10, PDFDOC_LEFT, C_INK);
	struct pdfdoc_font bold = font(PDFDOC_SANS_BOLD, 10, PDFDOC_LEFT, C_INK);
	struct pdfdoc_font small = font(PDFDOC_SANS, 8, PDFDOC_LEFT, C_MUTED);
	char line[512], date[PDFDOC_DATE_LEN], rec[256];
	const char *p, *comma;
	size_t len;
	double qr = 0;
	int i = 1, rc;

	l->y = 120;
	if ((rc =
	         lay_text(l, &org, MARGIN_X, CONTENT_W,
	                  l->doc->org && *l->doc->org ? l->doc->org : "Pemerintah Daerah",
	                  30)) < 0 ||
	    (rc = lay_text(
	         l, &title, MARGIN_X, CONTENT_W,
	         "Laporan Evaluasi Tahunan Penyelenggaraan Sertifikat Elektronik", 16)) <
	        0)
		return rc;
	snprintf(line, sizeof(line), "Tahun %d", l->r->year);
	if ((rc = lay_text(l, &year, MARGIN_X, CONTENT_W, line, 50)) < 0 ||
	    (rc = lay_text(l, &bold, MARGIN_X, CONTENT_W, "Kepada Yth.:", 4)) < 0)
		return rc;
	for (p = l->doc->recipients && *l->doc->recipients ? l->doc->recipients
	                                                   : GOV_REPORT_RECIPIENTS;
	     p != NULL && *p != '\0'; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		if (len == 0 || len >= sizeof(rec))
			continue;
		memcpy(rec, p, len);
		rec[len] = '\0';
		snprintf(line, sizeof(line), "%d. %s", i++, rec);
		if ((rc = lay_text(l, &body, MARGIN_X + 14, CONTENT_W - 14, line, 2)) < 0)
			return rc;
	}
	l->y += 24;
	snprintf(line, sizeof(line),
	         "Laporan ini disusun berdasarkan Perwali Cirebon Pasal 23 dan Perwali "
	         "Denpasar Pasal 24 dari data yang tercatat pada sertel untuk periode 1 "
	         "Januari sampai 31 Desember %d (waktu %s).",
	         l->r->year, l->r->tz.name);
	if ((rc = lay_text(l, &body, MARGIN_X, CONTENT_W, line, 8)) < 0)
		return rc;
	if (pdfdoc_date_fmt(date, l->r->generated_at, &l->r->tz) < 0)
		str_copy(date, sizeof(date), "-");
	snprintf(line, sizeof(line), "Disusun pada %s.", date);
	if ((rc = lay_text(l, &body, MARGIN_X, CONTENT_W, line, 16)) < 0)
		return rc;
	if (l->doc->draft)
		return lay_text(l, &bold, MARGIN_X, CONTENT_W,
		                "DRAF: dokumen ini belum ditandatangani Kepala Dinas dan "
		                "bukan laporan resmi.",
		                8);
	snprintf(line, sizeof(line),
	         "Ditandatangani secara elektronik oleh Kepala Dinas%s%s.",
	         l->doc->signer_name ? ", " : "",
	         l->doc->signer_name ? l->doc->signer_name : "");
	if ((rc = lay_text(l, &bold, MARGIN_X, CONTENT_W, line, 6)) < 0)
		return rc;
	if (l->doc->verify_url != NULL) {
		if ((rc = pdfdoc_qr(&qr, l->d, MARGIN_X, 0, 2.0, l->doc->verify_url,
		                    PDFDOC_MEASURE)) < 0 ||
		    (rc = lay_need(l, qr)) < 0 ||
		    (rc = pdfdoc_qr(NULL, l->d, MARGIN_X, l->y, 2.0, l->doc->verify_url,
		                    l->flags)) < 0)
			return rc;
		snprintf(line, sizeof(line), "Verifikasi: %s", l->doc->verify_url);
		if ((rc = pdfdoc_text(NULL, l->d, &small, MARGIN_X + qr + 8,
		                      l->y + qr / 2 - 5, CONTENT_W - qr - 8, line,
		                      l->flags)) < 0)
			return rc;
		l->y += qr;
	}
	return 0;
}

static int64_t
fig(const struct gov_report *r, const char *sec, const char *dim, const char *key)
{
	const struct gov_report_row *row = gov_report_find(r, sec, dim, key);

	return row != NULL && row->kind == GOV_VAL_INT ? row->n : 0;
}

static int
lay_summary(struct lay *l)
{
	struct pdfdoc_font body = font(PDFDOC_SANS, 10, PDFDOC_JUSTIFY, C_INK);
	const struct gov_report_row *audit =
	    gov_report_find(l->r, "audit", "chain", "result");
	char t[1200];
	int64_t open = fig(l->r, "open", "items", "needs_undecided") +
	               fig(l->r, "open", "items", "incidents_open") +
	               fig(l->r, "open", "items", "complaints_open") +
	               fig(l->r, "open", "items", "plan_review_late") +
	               fig(l->r, "open", "items", "systems_probe_failed") +
	               fig(l->r, "open", "items", "systems_cert_expiring_30d");
	int rc;

	if ((rc = lay_heading(l, "Ringkasan")) < 0)
		return rc;
	snprintf(t, sizeof(t),
	         "Selama tahun %d diterbitkan %lld sertifikat elektronik (%lld di "
	         "antaranya perpanjangan) dan %lld sertifikat dicabut. Cakupan ASN "
	         "daerah pada akhir periode %lld dari %lld ASN (%lld basis poin)%s. "
	         "Tercatat %lld insiden keamanan dan %lld pengaduan. Rantai jejak audit: "
	         "%s. Hal yang masih terbuka: %lld.",
	         l->r->year, (long long)fig(l->r, "certificates", "total", "issued"),
	         (long long)fig(l->r, "certificates", "total", "renewed"),
	         (long long)fig(l->r, "certificates", "total", "revoked"),
	         (long long)fig(l->r, "coverage", "region", "holders"),
	         (long long)fig(l->r, "coverage", "region", "headcount"),
	         (long long)fig(l->r, "coverage", "region", "share_bp"),
	         l->r->target_bp >= 0 ? " terhadap target peta jalan" : "",
	         (long long)fig(l->r, "incidents", "total", "reported"),
	         (long long)fig(l->r, "complaints", "total", "received"),
	         audit ? audit->text : "-", (long long)open);
	return lay_text(l, &body, MARGIN_X, CONTENT_W, t, 8);
}

static int
lay_all(struct lay *l)
{
	static const char *by[3] = {"issued_by_type", "renewed_by_type",
	                            "revoked_by_type"};
	static const char *bu[3] = {"issued_by_usage", "renewed_by_usage",
	                            "revoked_by_usage"};
	static const char *ba[3] = {"issued_by_agency", "renewed_by_agency",
	                            "revoked_by_agency"};
	const struct gov_report_dim *dd;
	size_t n, i;
	int rc, agency_dim = -1;

	dd = gov_report_dims(&n);
	l->page = 1;
	if ((rc = lay_header(l)) < 0 || (rc = lay_cover(l)) < 0 ||
	    (rc = lay_break(l)) < 0 || (rc = lay_summary(l)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(dd[i].name, "issued_by_agency") == 0)
			agency_dim = (int)i;
	if ((rc = lay_bars(l, agency_dim)) < 0 || (rc = lay_line(l)) < 0 ||
	    (rc = lay_dim(l, 0, dd)) < 0 ||
	    (rc = lay_cert_table(l, "Sertifikat per jenis", "Jenis", by)) < 0 ||
	    (rc = lay_cert_table(l, "Sertifikat per penggunaan", "Penggunaan", bu)) < 0 ||
	    (rc = lay_cert_table(l, "Sertifikat per perangkat daerah", "Perangkat daerah",
	                         ba)) < 0)
		return rc;
	/* Every other dimension, in order. */
	for (i = 1; i < n; i++) {
		if (strcmp(dd[i].section, "certificates") == 0)
			continue;
		if ((rc = lay_dim(l, (int)i, dd)) < 0)
			return rc;
	}
	return lay_footer(l);
}

int
gov_report_pdf(unsigned char **out, size_t *outlen, const struct gov_report *r,
               const struct gov_report_doc *doc)
{
	struct pdfdoc *d = NULL;
	struct pdfdoc_meta meta;
	struct lay l;
	char title[128], subject[256];
	int rc;

	*out = NULL;
	*outlen = 0;
	if (doc->org != NULL && (rc = pdfdoc_text_check("org", doc->org, 256)) < 0)
		return rc;
	if (doc->recipients != NULL &&
	    (rc = pdfdoc_text_check("report_recipients", doc->recipients, 1024)) < 0)
		return rc;
	snprintf(title, sizeof(title), "Laporan Evaluasi Tahunan %d%s", r->year,
	         doc->draft ? " (DRAF)" : "");
	snprintf(subject, sizeof(subject),
	         "Penyelenggaraan Sertifikat Elektronik tahun %d", r->year);
	meta.title = title;
	meta.author = doc->org;
	meta.subject = subject;
	meta.created = r->generated_at;
	meta.tz = &r->tz;
	if ((rc = pdfdoc_new(&d, &meta, REPORT_MAX_PDF)) < 0)
		return rc;
	memset(&l, 0, sizeof(l));
	l.d = d;
	l.r = r;
	l.doc = doc;
	l.flags = PDFDOC_MEASURE;
	if ((rc = lay_all(&l)) < 0)
		goto out;
	l.pages = l.page;
	l.flags = 0;
	if ((rc = lay_all(&l)) < 0 || (rc = pdfdoc_finish(out, outlen, d)) < 0)
		goto out;
	rc = 0;
out:
	pdfdoc_free(d);
	return rc;
}

/* ---- signing ---------------------------------------------------------- */

static const struct esign_client report_client = {.name = "gov:laporan",
                                                  .perms = ESIGN_PERM_SIGN};

struct sign_hook {
	const struct ra_actor *who;
	int year;
};

static int
sign_audit(struct store *st, const char *doc_id, const char *serial, void *arg)
{
	struct sign_hook *h = arg;
	char obj[64], detail[160];

	snprintf(obj, sizeof(obj), "gov-report:%d", h->year);
	snprintf(detail, sizeof(detail), "annual report %d signed (document %s, cert %s)",
	         h->year, doc_id, serial);
	return audit_append(st, h->who->label, "gov.report.sign", obj, detail);
}

int
gov_report_sign(unsigned char **out, size_t *outlen, char id[33], struct esign_error *err,
                struct store *st, struct esign_ctx *c, const struct ra_actor *who,
                const char *passphrase, size_t passlen, const struct gov_report *r,
                const char *org, const char *recipients)
{
	struct gov_report_doc doc;
	struct esign_doc_in in;
	struct esign_props props;
	struct esign_sign_req rq;
	struct esign_doc_out *signed_doc = NULL;
	struct sign_hook hook = {who, r->year};
	unsigned char *pdf = NULL;
	size_t len = 0;
	char link[SERTEL_MAX_NAME + 64], name[64];
	int rc;

	*out = NULL;
	*outlen = 0;
	memset(err, 0, sizeof(*err));
	if ((rc = gov_report_may_sign(who)) < 0)
		return rc;
	if (passphrase == NULL || passlen == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "a passphrase is needed to sign the report");
	/* The QR code names the id the registry will hold (as receipts do). */
	if ((rc = esign_doc_new(id, link, sizeof(link), esign_ctx_conf(c)->base_url)) < 0)
		return rc;
	memset(&doc, 0, sizeof(doc));
	doc.org = org;
	doc.recipients = recipients;
	doc.signer_name = who->name;
	doc.verify_url = link;
	if ((rc = gov_report_pdf(&pdf, &len, r, &doc)) < 0)
		return rc;
	snprintf(name, sizeof(name), "laporan-tahunan-%d.pdf", r->year);
	memset(&in, 0, sizeof(in));
	in.data = pdf;
	in.len = len;
	in.name = name;
	in.id = id;
	memset(&props, 0, sizeof(props));
	props.reason = "Laporan Evaluasi Tahunan Penyelenggaraan Sertifikat Elektronik";
	memset(&rq, 0, sizeof(rq));
	rq.client = &report_client;
	rq.nik = who->nik;
	rq.passphrase = passphrase;
	rq.passlen = passlen;
	rq.docs = &in;
	rq.ndocs = 1;
	rq.props = &props;
	rq.nprops = 1;
	rq.on_register = sign_audit;
	rq.on_register_arg = &hook;
	rc = esign_sign(&signed_doc, err, c, st, &rq);
	free(pdf);
	if (rc < 0)
		return rc;
	*out = signed_doc[0].data;
	*outlen = signed_doc[0].len;
	signed_doc[0].data = NULL;
	esign_docs_free(signed_doc, 1);
	return 0;
}

int
gov_report_signed_iter(struct store *st, const struct ra_actor *who,
                       gov_report_signed_fn cb, void *arg)
{
	struct gov_report_signed g;
	struct db_stmt *s = NULL;
	int rc;

	if ((rc = gov_report_may_read(who)) < 0)
		return rc;
	/* esign_sign registers each signed file twice (its own id and the
	 * one its QR code names, same hash): one row per signing, newest
	 * first; either id resolves /v/{id}. */
	rc =
	    db_prepare(&s, store_db(st),
	               "SELECT MIN(id), MAX(name), MAX(signer_name), MAX(signed_at) FROM "
	               "esign_docs WHERE client = 'gov:laporan' GROUP BY sha256 "
	               "ORDER BY 4 DESC, 1 LIMIT 200");
	while (rc == 0 && (rc = db_step(s)) == 1) {
		memset(&g, 0, sizeof(g));
		str_copy(g.id, sizeof(g.id), db_col_text(s, 0));
		str_copy(g.name, sizeof(g.name), db_col_text(s, 1));
		str_copy(g.signer_name, sizeof(g.signer_name), db_col_text(s, 2));
		g.signed_at = db_col_int(s, 3);
		rc = cb(&g, arg);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
