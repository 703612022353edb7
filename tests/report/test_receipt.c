/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The issuance receipt (src/report/receipt.c) and the page helpers under it
 * (src/report/pdfdoc.c).
 *
 *   test_receipt            the unit tests (cmocka)
 *   test_receipt write DIR  writes sample receipts DIR/NAME.pdf, each with
 *                           DIR/NAME.expect: strings pdftotext must find
 *                           (lines starting with '!' must be absent), for
 *                           test_receipt.sh to judge with qpdf and poppler
 */
#include "testutil.h"

#include <errno.h>
#include <stddef.h>

#include <cairo.h>

#include "core/core.h"
#include "report/report.h"

#define T_ISSUED   1795310100 /* 2026-11-22 01:15:00Z = 08:15 WIB */
#define T_ACCEPTED 1795309200 /* 2026-11-22 01:00:00Z */
#define T_NB       1795309200
#define T_NA       1858467600 /* 2028-11-22 01:00:00Z */

#define FP  "3f9a0c1d2e4b5a6978877665544332211ffeeddccbbaa0099887766554433221"
#define AGR "b1946ac92492d2347c6235b4d2611184a1b5d6c7e8f90a1b2c3d4e5f60718293"

static const struct receipt_info sample = {
    .org = "Pemerintah Kota Cirebon",
    .title = NULL,
    .applicant_name = "Dr. Hj. Siti Aminah, S.E., M.Si.",
    .nik = "3274014506800003",
    .nip = "198006052005012003",
    .position = "Kepala Bidang Aplikasi Informatika",
    .agency = "Dinas Komunikasi, Informatika dan Statistik",
    .email = "siti.aminah@cirebonkota.go.id",
    .cert_type = "jabatan",
    .usages = "signing,email",
    .serial = "5d2c9f1e8a7b6c3d4e5f60718293a4b5",
    .subject = "CN=Siti Aminah,title=Kepala Bidang Aplikasi Informatika,"
               "OU=Dinas Komunikasi\\, Informatika dan Statistik,"
               "O=Pemerintah Kota Cirebon,L=Kota Cirebon,ST=Jawa Barat,C=ID",
    .not_before = T_NB,
    .not_after = T_NA,
    .issued_at = T_ISSUED,
    .key_origin = "CSR dari perangkat pemohon",
    .agreement_version = 3,
    .agreement_sha256 = AGR,
    .agreement_accepted_at = T_ACCEPTED,
    .operator_name = "Ahmad Fauzi",
    .operator_nik = "3209011203850007",
    .application_id = "PMH-2026-000123",
    .verify_url = "https://sertel.cirebonkota.go.id/v/5d2c9f1e8a7b6c3d4e5f60718293a4b5",
    .fingerprint_sha256 = FP,
};

/* The labels every receipt shows, in Bahasa Indonesia. */
static const char *const labels[] = {
    "BUKTI TANDA TERIMA SERTIFIKAT ELEKTRONIK",
    "Nama",
    "NIK",
    "NIP",
    "Jabatan",
    "Perangkat Daerah",
    "E-mail",
    "Jenis Sertifikat",
    "Penggunaan",
    "Nomor Seri",
    "Subjek",
    "Berlaku sejak",
    "Berlaku sampai",
    "Diterbitkan pada",
    "Asal kunci",
    "Perjanjian Pemilik Sertifikat",
    "Versi perjanjian",
    "SHA-256 perjanjian",
    "Perjanjian diterima pada",
    "Nomor permohonan",
    "Sidik jari SHA-256",
    "Pernyataan Pemilik Sertifikat",
    "Pemilik Sertifikat",
    "Petugas Otoritas Pendaftaran",
    "Pindai untuk verifikasi",
};

static unsigned char *
render(const struct receipt_info *ri, size_t *len)
{
	unsigned char *pdf = NULL;
	int rc;

	rc = receipt_pdf(&pdf, len, ri);
	if (rc != 0)
		fail_msg("receipt_pdf: %d %s", rc, sertel_errmsg());
	assert_non_null(pdf);
	return pdf;
}

static int
refused(const struct receipt_info *ri)
{
	unsigned char *pdf = (unsigned char *)"x";
	size_t len = 1;
	int rc = receipt_pdf(&pdf, &len, ri);

	assert_null(pdf);
	assert_int_equal(len, 0);
	free(pdf);
	return rc;
}

static char *
repeat(const char *unit, size_t len)
{
	size_t n = strlen(unit), i;
	char *s = malloc(len + 1);

	assert_non_null(s);
	for (i = 0; i < len; i++)
		s[i] = unit[i % n];
	s[len] = '\0';
	return s;
}

/* A subject of about a thousand bytes: many RDNs and a 200-character run
 * with no break opportunity. */
static char *
long_subject(void)
{
	struct buf b;
	int i;

	buf_init(&b, REPORT_MAX_LONG);
	assert_int_equal(buf_appendf(&b, "CN=Siti Aminah,serialNumber="), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(buf_putc(&b, "0123456789ABCDEF"[i % 16]), 0);
	for (i = 1; b.len < 960; i++)
		assert_int_equal(buf_appendf(&b,
		                             ",OU=Bidang Infrastruktur Teknologi "
		                             "Informasi nomor %02d",
		                             i),
		                 0);
	assert_int_equal(buf_appendf(&b, ",O=Pemerintah Kota Cirebon,C=ID"), 0);
	assert_true(b.len > 980 && b.len <= REPORT_MAX_LONG);
	return (char *)buf_detach(&b, NULL);
}

/* ---- receipt_pdf ------------------------------------------------------------ */

static void
receipt_renders_a_pdf_with_metadata(void **state)
{
	unsigned char *pdf;
	size_t len;

	pdf = render(&sample, &len);
	assert_true(len > 1000 && len < REPORT_MAX_PDF);
	assert_memory_equal(pdf, "%PDF-1.", 7);
	assert_non_null(memmem(pdf, len, "%%EOF", 5));
	assert_non_null(
	    memmem(pdf, len, "/Title (BUKTI TANDA TERIMA SERTIFIKAT ELEKTRONIK)", 48));
	assert_non_null(memmem(pdf, len, "/Creator (sertel)", 17));
	/* The hand-over time, in WIB. */
	assert_non_null(memmem(pdf, len, "/CreationDate (", 15));
	assert_non_null(memmem(pdf, len, "20261122081500+07'00", 20));
	free(pdf);
}

static void
receipt_output_depends_only_on_its_input(void **state)
{
	struct receipt_info ri = sample;
	unsigned char *a, *b, *c;
	size_t alen, blen, clen;

	a = render(&sample, &alen);
	b = render(&sample, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	ri.issued_at += 60;
	c = render(&ri, &clen);
	assert_false(alen == clen && memcmp(a, c, alen) == 0);
	free(a);
	free(b);
	free(c);
}

static void
receipt_refuses_missing_required_fields(void **state)
{
	static const size_t required[] = {
	    offsetof(struct receipt_info, org),
	    offsetof(struct receipt_info, applicant_name),
	    offsetof(struct receipt_info, nik),
	    offsetof(struct receipt_info, cert_type),
	    offsetof(struct receipt_info, serial),
	    offsetof(struct receipt_info, subject),
	    offsetof(struct receipt_info, agreement_sha256),
	    offsetof(struct receipt_info, operator_name),
	    offsetof(struct receipt_info, fingerprint_sha256),
	};
	struct receipt_info ri;
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		ri = sample;
		*(const char **)((char *)&ri + required[i]) = NULL;
		assert_int_equal(refused(&ri), SERTEL_EINVAL);
		assert_non_null(strstr(sertel_errmsg(), "required"));
		*(const char **)((char *)&ri + required[i]) = "";
		assert_int_equal(refused(&ri), SERTEL_EINVAL);
	}
	ri = sample;
	ri.agreement_version = 0;
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.issued_at = 0;
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.agreement_accepted_at = 0;
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.not_before = 0;
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
}

static void
receipt_refuses_malformed_fields(void **state)
{
	struct receipt_info ri;
	unsigned char *pdf = NULL;
	char badfp[sizeof(FP)];
	size_t len;
	char *big;

	assert_int_equal(receipt_pdf(&pdf, &len, NULL), SERTEL_EINVAL);
	assert_null(pdf);
	assert_int_equal(receipt_pdf(NULL, &len, &sample), SERTEL_EINVAL);
	assert_int_equal(receipt_pdf(&pdf, NULL, &sample), SERTEL_EINVAL);

	ri = sample;
	ri.cert_type = "pribadi";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.usages = "signing,signing";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri.usages = "signing,,email";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri.usages = "sign";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.serial = "5d2c-9f1e";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri.serial = "0123456789012345678901234567890123456789a"; /* 41 digits */
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.fingerprint_sha256 = FP "0";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	memcpy(badfp, FP, sizeof(badfp));
	badfp[10] = 'g';
	ri.fingerprint_sha256 = badfp;
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.agreement_sha256 = "b1946ac9";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.not_after = ri.not_before;
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.not_after = 253402300799LL; /* 9999-12-31T23:59:59Z is 10000 in WIB */
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.applicant_name = "Siti \xc3\x28 Aminah"; /* not UTF-8 */
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri.applicant_name = "Siti\nAminah";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	/* U+0085 NEL */
	ri.applicant_name = "Siti\xc2\x85"
	                    "Aminah";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);
	ri = sample;
	ri.email = "a@b.id\x7f";
	assert_int_equal(refused(&ri), SERTEL_EINVAL);

	ri = sample;
	big = repeat("Aminah ", REPORT_MAX_FIELD + 1);
	ri.applicant_name = big;
	assert_int_equal(refused(&ri), SERTEL_ETOOBIG);
	free(big);
	ri = sample;
	big = repeat("OU=x,", REPORT_MAX_LONG + 1);
	ri.subject = big;
	assert_int_equal(refused(&ri), SERTEL_ETOOBIG);
	free(big);
	ri = sample;
	big = repeat("https://x.id/", REPORT_MAX_FIELD + 1);
	ri.verify_url = big;
	assert_int_equal(refused(&ri), SERTEL_ETOOBIG);
	free(big);
}

static void
receipt_accepts_absent_optional_fields(void **state)
{
	struct receipt_info ri = sample;
	unsigned char *pdf;
	size_t len;

	ri.title = NULL;
	ri.nip = NULL;
	ri.position = NULL;
	ri.agency = "";
	ri.email = NULL;
	ri.usages = NULL;
	ri.key_origin = NULL;
	ri.operator_nik = NULL;
	ri.application_id = NULL;
	ri.verify_url = NULL;
	pdf = render(&ri, &len);
	assert_memory_equal(pdf, "%PDF-1.", 7);
	free(pdf);
}

/* Every field flen bytes long, the subject slen, the URL ulen; free the
 * three strings after. */
static struct receipt_info
oversized(char **field, char **subject, char **url, size_t flen, size_t slen, size_t ulen)
{
	struct receipt_info ri = sample;

	*field = repeat("Wiwik Mulyawati ", flen);
	*subject = repeat("OU=Wiwik Mulyawati,", slen);
	*url = repeat("https://sertel.cirebonkota.go.id/verifikasi/", ulen);
	ri.org = ri.title = ri.applicant_name = ri.nik = ri.nip = ri.position = *field;
	ri.agency = ri.email = ri.key_origin = ri.operator_name = *field;
	ri.operator_nik = ri.application_id = *field;
	ri.usages = "signing,email,document,ssl-server,ssl-client";
	ri.serial = "0123456789abcdef0123456789abcdef01234567";
	ri.subject = *subject;
	ri.verify_url = *url;
	ri.agreement_version = 2147483647;
	return ri;
}

static void
receipt_fits_long_values_or_refuses(void **state)
{
	struct receipt_info ri = sample;
	unsigned char *pdf;
	char *subject = long_subject(), *field, *longest, *url;
	size_t len;

	ri.subject = subject;
	pdf = render(&ri, &len);
	free(pdf);
	free(subject);

	/* Every field long (96 bytes: more than the longest Indonesian name
	 * with its degrees), the subject and URL at their limits: set smaller,
	 * still one page. */
	ri = oversized(&field, &longest, &url, 96, REPORT_MAX_LONG, REPORT_MAX_FIELD);
	pdf = render(&ri, &len);
	free(pdf);
	free(field);
	free(longest);
	free(url);

	/* Every field at its limit cannot be set legibly on one page: refused,
	 * never spilled or cut. */
	ri = oversized(&field, &longest, &url, REPORT_MAX_FIELD, REPORT_MAX_LONG,
	               REPORT_MAX_FIELD);
	assert_int_equal(refused(&ri), SERTEL_ETOOBIG);
	assert_non_null(strstr(sertel_errmsg(), "does not fit one A4 page"));
	free(field);
	free(longest);
	free(url);
}

/* ---- pdfdoc ------------------------------------------------------------------- */

static void
dates_are_wib_with_indonesian_months(void **state)
{
	char s[PDFDOC_DATE_LEN];

	assert_int_equal(pdfdoc_date_fmt(s, T_ISSUED, NULL), 0);
	assert_string_equal(s, "22 November 2026, 08:15 WIB");
	assert_int_equal(pdfdoc_date_fmt(s, 1798738200, NULL), 0); /* 2026-12-31 17:30Z */
	assert_string_equal(s, "1 Januari 2027, 00:30 WIB");
	assert_int_equal(pdfdoc_date_fmt(s, 1709139600, NULL), 0); /* 2024-02-28 17:00Z */
	assert_string_equal(s, "29 Februari 2024, 00:00 WIB");
	assert_int_equal(pdfdoc_date_fmt(s, 0, NULL), 0);
	assert_string_equal(s, "1 Januari 1970, 07:00 WIB");
	assert_int_equal(pdfdoc_date_fmt(s, 1784678400, NULL), 0); /* 2026-07-22 00:00Z */
	assert_string_equal(s, "22 Juli 2026, 07:00 WIB");
	assert_int_equal(pdfdoc_date_fmt(s, 1778025600, NULL), 0); /* 2026-05-06 00:00Z */
	assert_string_equal(s, "6 Mei 2026, 07:00 WIB");
	assert_int_equal(pdfdoc_date_fmt(s, -1, NULL), SERTEL_EINVAL);
	assert_int_equal(pdfdoc_date_fmt(s, 253402300799LL, NULL), SERTEL_EINVAL);
	/* The instance's zone: Makassar and Jayapura are one and two hours on. */
	{
		struct time_zone wita, wit;

		assert_int_equal(time_zone_parse(&wita, "Asia/Makassar"), 0);
		assert_int_equal(time_zone_parse(&wit, "WIT"), 0);
		assert_int_equal(pdfdoc_date_fmt(s, 1798738200, &wita), 0);
		assert_string_equal(s, "1 Januari 2027, 01:30 WITA");
		assert_int_equal(pdfdoc_date_fmt(s, 1798738200, &wit), 0);
		assert_string_equal(s, "1 Januari 2027, 02:30 WIT");
	}
}

static void
markup_is_escaped_and_checked(void **state)
{
	struct pdfdoc_meta meta = {"t", NULL, NULL, 0, NULL};
	struct pdfdoc_font f = {PDFDOC_SANS, 9, PDFDOC_LEFT, 0};
	struct pdfdoc *d = NULL;
	struct buf b;
	double h;

	buf_init(&b, 64);
	assert_int_equal(pdfdoc_escape(&b, "A&B <c> 'd' \"e\" Śrī"), 0);
	assert_int_equal(buf_cstr(&b), 0);
	assert_string_equal((char *)b.data,
	                    "A&amp;B &lt;c&gt; &apos;d&apos; &quot;e&quot; Śrī");
	buf_free(&b);
	buf_init(&b, 8);
	assert_int_equal(pdfdoc_escape(&b, "&&"), SERTEL_ETOOBIG);
	buf_free(&b);

	assert_int_equal(pdfdoc_new(&d, &meta, REPORT_MAX_PDF), 0);
	assert_int_equal(pdfdoc_markup(&h, d, &f, 0, 0, 100, "<b>open", PDFDOC_MEASURE),
	                 SERTEL_EINVAL);
	assert_int_equal(pdfdoc_markup(&h, d, &f, 0, 0, 100, "a & b", PDFDOC_MEASURE),
	                 SERTEL_EINVAL);
	/* Plain text with markup characters lays out as itself. */
	assert_int_equal(pdfdoc_text(&h, d, &f, 0, 0, 100, "a & <b>", PDFDOC_MEASURE), 0);
	assert_true(h > 9 && h < 14);
	/* Long words wrap at characters: 64 digits in 100 points are many
	 * lines. */
	assert_int_equal(pdfdoc_text(&h, d, &f, 0, 0, 100, FP, PDFDOC_MEASURE), 0);
	assert_true(h > 4 * 9);
	pdfdoc_free(d);

	assert_int_equal(pdfdoc_text_check("x", "Ni Luh Putu Ayu Śrī", 64), 0);
	assert_int_equal(pdfdoc_text_check("x", "abc", 2), SERTEL_ETOOBIG);
	assert_int_equal(pdfdoc_text_check("x", "\xe2\x82", 64), SERTEL_EINVAL);
	assert_int_equal(pdfdoc_text_check("x", "a\tb", 64), SERTEL_EINVAL);
}

static void
documents_stay_within_their_limit(void **state)
{
	struct pdfdoc_meta meta = {"t", NULL, NULL, 0, NULL};
	struct pdfdoc_font f = {PDFDOC_SANS, 9, PDFDOC_LEFT, 0};
	struct pdfdoc *d = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;

	assert_int_equal(pdfdoc_new(&d, &meta, 2000), 0);
	assert_int_equal(
	    pdfdoc_text(NULL, d, &f, 50, 50, 400, "Pemerintah Kota Cirebon", 0), 0);
	assert_int_equal(pdfdoc_finish(&pdf, &len, d), SERTEL_ETOOBIG);
	assert_null(pdf);
	pdfdoc_free(d);

	d = NULL;
	assert_int_equal(pdfdoc_new(&d, &meta, REPORT_MAX_PDF), 0);
	assert_int_equal(pdfdoc_finish(&pdf, &len, d), 0);
	assert_non_null(pdf);
	free(pdf);
	assert_int_equal(pdfdoc_finish(&pdf, &len, d), SERTEL_ESTATE);
	pdfdoc_free(d);

	/* A document dropped unfinished writes nothing and leaks nothing. */
	d = NULL;
	assert_int_equal(pdfdoc_new(&d, &meta, REPORT_MAX_PDF), 0);
	assert_int_equal(pdfdoc_text(NULL, d, &f, 50, 50, 400, "x", 0), 0);
	pdfdoc_free(d);
}

static void
qr_codes_refuse_what_does_not_fit(void **state)
{
	struct pdfdoc_meta meta = {"t", NULL, NULL, 0, NULL};
	struct pdfdoc *d = NULL;
	char *huge = repeat("x", 4000); /* version 40-M holds 2331 bytes */
	double side;

	assert_int_equal(pdfdoc_new(&d, &meta, REPORT_MAX_PDF), 0);
	/* Version 1 is 21 modules, plus 4 each side. */
	assert_int_equal(pdfdoc_qr(&side, d, 0, 0, 1.0, "ID", PDFDOC_MEASURE), 0);
	assert_true(side == 29.0);
	assert_int_equal(pdfdoc_qr(&side, d, 0, 0, 1.0, huge, PDFDOC_MEASURE),
	                 SERTEL_ETOOBIG);
	assert_int_equal(pdfdoc_qr(&side, d, 0, 0, 1.0, "", PDFDOC_MEASURE),
	                 SERTEL_EINVAL);
	pdfdoc_free(d);
	free(huge);
}

/* ---- samples for test_receipt.sh ---------------------------------------------- */

static int
write_sample(const char *dir, const char *name, const struct receipt_info *ri,
             int with_labels, const char *const *expect, size_t nexpect)
{
	unsigned char *pdf = NULL;
	char path[4096];
	struct buf e;
	size_t len, i;
	int rc;

	buf_init(&e, 1 << 20);
	if ((rc = receipt_pdf(&pdf, &len, ri)) < 0) {
		fprintf(stderr, "%s: %s\n", name, sertel_errmsg());
		goto out;
	}
	(void)snprintf(path, sizeof(path), "%s/%s.pdf", dir, name);
	if ((rc = file_write(path, pdf, len, 0644)) < 0)
		goto out;
	for (i = 0; with_labels && i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((rc = buf_appendf(&e, "%s\n", labels[i])) < 0)
			goto out;
	for (i = 0; i < nexpect; i++)
		if ((rc = buf_appendf(&e, "%s\n", expect[i])) < 0)
			goto out;
	(void)snprintf(path, sizeof(path), "%s/%s.expect", dir, name);
	rc = file_write(path, e.data, e.len, 0644);
out:
	free(pdf);
	buf_free(&e);
	return rc;
}

/* DIR/NAME.qr: what the QR code must say. */
static int
write_qr(const char *dir, const char *name, const char *content)
{
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s/%s.qr", dir, name);
	return file_write(path, content, strlen(content), 0644);
}

static int
write_samples(const char *dir)
{
	static const char *const full[] = {
	    "Pemerintah Kota Cirebon",
	    "Dr. Hj. Siti Aminah, S.E., M.Si.",
	    "3274014506800003",
	    "198006052005012003",
	    "Kepala Bidang Aplikasi Informatika",
	    "Dinas Komunikasi, Informatika dan Statistik",
	    "siti.aminah@cirebonkota.go.id",
	    "Jabatan",
	    "Tanda tangan elektronik (signing), Pengamanan e-mail (email)",
	    "5D2C9F1E8A7B6C3D4E5F60718293A4B5",
	    "CN=Siti Aminah,title=Kepala Bidang Aplikasi Informatika,"
	    "OU=Dinas Komunikasi\\, Informatika dan Statistik,"
	    "O=Pemerintah Kota Cirebon,L=Kota Cirebon,ST=Jawa Barat,C=ID",
	    "22 November 2026, 08:15 WIB",
	    "22 November 2026, 08:00 WIB",
	    "22 November 2028, 08:00 WIB",
	    "CSR dari perangkat pemohon",
	    "Versi 3",
	    "Perjanjian Pemilik Sertifikat versi 3",
	    "B1:94:6A:C9:24:92:D2:34:7C:62:35:B4:D2:61:11:84:"
	    "A1:B5:D6:C7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93",
	    "Ahmad Fauzi",
	    "NIK 3209011203850007",
	    "NIK 3274014506800003",
	    "PMH-2026-000123",
	    "3F:9A:0C:1D:2E:4B:5A:69:78:87:76:65:54:43:32:21:"
	    "1F:FE:ED:DC:CB:BA:A0:09:98:87:76:65:54:43:32:21",
	    "https://sertel.cirebonkota.go.id/v/5d2c9f1e8a7b6c3d4e5f60718293a4b5",
	    "Diserahkan dan diterima secara langsung pada 22 November 2026, 08:15 WIB.",
	    "menjaga kerahasiaan kunci privat",
	    "passphrase",
	    "segera melaporkan",
	};
	static const char *const special[] = {
	    "Ni Luh Putu Ayu Śrī O'Neil & <Dewi> \"Sārī\"",
	    "Pemerintah Kota Cirebon & <Uji>",
	    "Bagian Umum & Protokol <Sekretariat Daerah>",
	    "!&amp;",
	    "!&lt;",
	    "!&quot;",
	    "!&apos;",
	};
	static const char *const nulls[] = {
	    "NIP -",
	    "Jabatan -",
	    "Perangkat Daerah -",
	    "E-mail -",
	    "Penggunaan -",
	    "Asal kunci -",
	    "Nomor permohonan -",
	    "NIK -",
	    "Kode QR memuat nomor seri dan sidik jari SHA-256 sertifikat.",
	    "!Verifikasi:",
	};
	static const char *const large[] = {"Nomor Seri", "Sidik jari SHA-256",
	                                    "0123456789ABCDEF0123456789ABCDEF01234567"};
	struct receipt_info ri;
	const char *lexpect[1];
	char *subject = long_subject(), *field = NULL, *longest = NULL, *url = NULL;
	int rc;

	if ((rc = write_sample(dir, "full", &sample, 1, full,
	                       sizeof(full) / sizeof(full[0]))) < 0 ||
	    (rc = write_qr(dir, "full", sample.verify_url)) < 0)
		goto out;

	ri = sample;
	ri.applicant_name = special[0];
	ri.org = special[1];
	ri.agency = special[2];
	if ((rc = write_sample(dir, "special", &ri, 1, special,
	                       sizeof(special) / sizeof(special[0]))) < 0)
		goto out;

	ri = sample;
	ri.nip = ri.position = ri.email = ri.usages = NULL;
	ri.key_origin = ri.operator_nik = ri.application_id = ri.verify_url = NULL;
	ri.agency = "";
	if ((rc = write_sample(dir, "nulls", &ri, 1, nulls,
	                       sizeof(nulls) / sizeof(nulls[0]))) < 0 ||
	    (rc = write_qr(dir, "nulls",
	                   "serial=5D2C9F1E8A7B6C3D4E5F60718293A4B5;sha256=" FP)) < 0)
		goto out;

	ri = sample;
	ri.subject = subject;
	lexpect[0] = subject;
	if ((rc = write_sample(dir, "long", &ri, 1, lexpect, 1)) < 0)
		goto out;

	ri = oversized(&field, &longest, &url, 96, REPORT_MAX_LONG, REPORT_MAX_FIELD);
	if ((rc = write_sample(dir, "large", &ri, 0, large,
	                       sizeof(large) / sizeof(large[0]))) < 0)
		goto out;
	rc = write_qr(dir, "large", url);
out:
	free(subject);
	free(field);
	free(longest);
	free(url);
	return rc;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(receipt_renders_a_pdf_with_metadata),
	    cmocka_unit_test(receipt_output_depends_only_on_its_input),
	    cmocka_unit_test(receipt_refuses_missing_required_fields),
	    cmocka_unit_test(receipt_refuses_malformed_fields),
	    cmocka_unit_test(receipt_accepts_absent_optional_fields),
	    cmocka_unit_test(receipt_fits_long_values_or_refuses),
	    cmocka_unit_test(dates_are_wib_with_indonesian_months),
	    cmocka_unit_test(markup_is_escaped_and_checked),
	    cmocka_unit_test(documents_stay_within_their_limit),
	    cmocka_unit_test(qr_codes_refuse_what_does_not_fit),
	};
	int rc;

	if (argc == 3 && strcmp(argv[1], "write") == 0) {
		rc = write_samples(argv[2]);
		if (rc < 0)
			fprintf(stderr, "test_receipt: %s\n", sertel_errmsg());
		return rc < 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
