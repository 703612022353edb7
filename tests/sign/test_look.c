/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Issue 11 unit tests: the zone and the one local-time formatter
 * (src/core), the footer template and the box template (src/sign).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sign/pades_int.h"

static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
                                    "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};

static void
test_zone(void **state)
{
	struct time_zone tz;
	char out[64];

	(void)state;
	assert_int_equal(time_zone_parse(&tz, "Asia/Makassar"), 0);
	assert_string_equal(tz.name, "WITA");
	assert_int_equal(tz.offset, 8 * 3600);
	assert_int_equal(time_zone_parse(&tz, "Asia/Jayapura"), 0);
	assert_string_equal(tz.name, "WIT");
	assert_int_equal(time_zone_parse(&tz, "WIB"), 0);
	assert_int_equal(tz.offset, 7 * 3600);
	assert_int_equal(time_zone_parse(&tz, NULL), 0);
	assert_string_equal(tz.name, "WIB");
	assert_int_equal(time_zone_parse(&tz, "Asia/Tokyo"), SERTEL_EINVAL);
	assert_int_equal(time_zone_parse(&tz, "UTC"), SERTEL_EINVAL);
	/* 2026-12-07T16:30:00Z is the next day in WIT. */
	assert_int_equal(time_zone_parse(&tz, "Asia/Jayapura"), 0);
	time_local_fmt(out, sizeof(out), 1796661000, &tz, mon, 1, '.');
	assert_string_equal(out, "8 Des 2026 01.30 WIT");
	time_local_fmt(out, sizeof(out), 1796661000, &tz, mon, 0, '.');
	assert_string_equal(out, "8 Des 2026");
	time_local_fmt(out, 8, 1796661000, &tz, mon, 1, '.');
	assert_string_equal(out, ""); /* too small: nothing half-written */
	time_local_fmt(out, sizeof(out), 0, &tz, mon, 1, '.');
	assert_string_equal(out, "");
}

static void
test_footer(void **state)
{
	char out[2048], small[40];

	(void)state;
	assert_int_equal(sign_footer_expand(out, sizeof(out), SIGN_FOOTER_DEFAULT, "BSrE",
	                                    "https://x.go.id/v/ab"),
	                 0);
	assert_non_null(strstr(out, "diterbitkan oleh BSrE."));
	assert_non_null(strstr(out, "UU No. 19 Tahun 2016 dan UU No. 1 Tahun 2024"));
	assert_non_null(strstr(out, "Verifikasi keasliannya di https://x.go.id/v/ab"));
	assert_null(strstr(out, "{"));
	/* Placed link: not appended a second time; no link: no sentence. */
	assert_int_equal(
	    sign_footer_expand(out, sizeof(out), "Cek {tautan} ({issuer})", "PSrE", "L"),
	    0);
	assert_string_equal(out, "Cek L (PSrE)");
	assert_int_equal(sign_footer_expand(out, sizeof(out), "{penerbit}", NULL, NULL),
	                 0);
	assert_string_equal(out, "penyelenggara sertifikasi elektronik");
	/* The service's older "%s" template, already filled with the link. */
	assert_int_equal(sign_footer_expand(out, sizeof(out), "Lihat https://x/v/ab", "P",
	                                    "https://x/v/ab"),
	                 0);
	assert_string_equal(out, "Lihat https://x/v/ab");
	assert_int_equal(
	    sign_footer_expand(small, sizeof(small), SIGN_FOOTER_DEFAULT, "P", NULL),
	    SERTEL_ETOOBIG);
}

static void
test_box(void **state)
{
	struct sign_look t;
	struct pades_look lk;
	struct buf b;
	const char *d;

	(void)state;
	assert_int_equal(sign_look_load(&t, NULL, NULL), 0);
	assert_int_equal(t.layout, SIGN_LAYOUT_QR_TEXT);
	assert_true(t.qr);
	assert_string_equal(t.tz.name, "WIB");
	memset(&lk, 0, sizeof(lk));
	lk.w = 260;
	lk.h = 90;
	lk.signer = "Siti Aminah";
	lk.nip = "198603032011012004";
	lk.title = "Kepala Bidang";
	lk.agency = "Dinas Kominfo";
	lk.when = 1796623500; /* 2026-12-07T06:05:00Z */
	lk.qr_url = "https://x.go.id/v/ab";
	lk.tpl = &t;
	buf_init(&b, 1 << 20);
	assert_int_equal(pades_appearance(&b, &lk), 0);
	assert_int_equal(buf_cstr(&b), 0);
	d = (const char *)b.data;
	assert_non_null(strstr(d, "(NIP. 198603032011012004) Tj"));
	assert_non_null(strstr(d, "(Kepala Bidang) Tj"));
	assert_non_null(strstr(d, "(Dinas Kominfo) Tj"));
	assert_non_null(strstr(d, "(Waktu: 7 Desember 2026 13.05 WIB) Tj"));
	assert_null(strstr(d, "UTC"));
	assert_non_null(strstr(d, " re\n")); /* the QR code */
	/* The template's order, and a field without a value left out. */
	assert_true(strstr(d, "(Siti Aminah)") < strstr(d, "(NIP."));
	t.fields[0] = SIGN_FIELD_AGENCY;
	t.fields[1] = SIGN_FIELD_NAME;
	t.nfields = 2;
	t.qr = 0;
	lk.agency = "";
	buf_reset(&b);
	assert_int_equal(pades_appearance(&b, &lk), 0);
	assert_int_equal(buf_cstr(&b), 0);
	d = (const char *)b.data;
	assert_non_null(strstr(d, "(Siti Aminah) Tj"));
	assert_null(strstr(d, "NIP."));
	assert_null(strstr(d, " re\n"));
	buf_free(&b);
	sign_look_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zone),
	    cmocka_unit_test(test_footer),
	    cmocka_unit_test(test_box),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
