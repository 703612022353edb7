/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A letter with signing markers, written by cairo's PDF surface through
 * pango (subset fonts whose codes are not the characters' bytes): input
 * for the marker tests (tests/sign/test_marker.sh).
 *
 * usage: mkletter_cairo OUT.pdf
 */
#include <stdio.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

static const char *const lines[] = {
    "PEMERINTAH KOTA CIREBON",
    "Nomor: 800/124/Setda/2026",
    "Perihal: Penetapan Tim Transformasi Digital",
    "Dengan hormat, bersama ini kami sampaikan keputusan tentang tim.",
    "Paraf: #",
    "Kepala Dinas Komunikasi dan Informatika,",
    "[ttd_kadis]",
    "Dr. Hj. Siti Nurhaliza, S.Kom., M.T.",
    "Wali Kota Cirebon,",
    "${ttd}",
    "H. Ahmad Fauzi, S.E.",
};

int
main(int argc, char **argv)
{
	cairo_surface_t *s;
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *fd;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: mkletter_cairo OUT.pdf\n");
		return 2;
	}
	s = cairo_pdf_surface_create(argv[1], 595, 842);
	cr = cairo_create(s);
	lay = pango_cairo_create_layout(cr);
	fd = pango_font_description_from_string("DejaVu Sans 11");
	pango_layout_set_font_description(lay, fd);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		cairo_move_to(cr, 72, 72 + 24.0 * (double)i);
		pango_layout_set_text(lay, lines[i], -1);
		pango_cairo_show_layout(cr, lay);
	}
	pango_font_description_free(fd);
	g_object_unref(lay);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "mkletter_cairo: %s\n",
		        cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return 1;
	}
	cairo_surface_destroy(s);
	return 0;
}
