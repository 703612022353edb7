/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The visible signature's template (issue 11): Palembang 12(3) leaves the
 * form of the signature to the Wali Kota, so each instance sets its box
 * ([sign] box_layout, box_fields, box_line, box_logo) and its footer
 * (Lampiran II; [sign] footer, [esign] footer).  appearance.c draws what
 * this file reads; pades.c fills in the signer's values from the
 * certificate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ra/ra.h"
#include "sign/sign.h"

#define FIELDS_DEFAULT "judul,nama,nip,jabatan,instansi,waktu,baris,qr"

static const struct {
	const char *id, *en;
	enum sign_field f;
} field_names[] = {
    {"judul", "heading", SIGN_FIELD_HEADING},
    {"nama", "name", SIGN_FIELD_NAME},
    {"nip", "nip", SIGN_FIELD_NIP},
    {"jabatan", "title", SIGN_FIELD_TITLE},
    {"instansi", "agency", SIGN_FIELD_AGENCY},
    {"waktu", "time", SIGN_FIELD_TIME},
    {"baris", "line", SIGN_FIELD_LINE},
    {"qr", "qr", SIGN_FIELD_QR},
};

int
sign_image_check(const unsigned char *img, size_t len, const char *what)
{
	return ra_image_check(img, len, what);
}

/* "judul,nama,..." into out->fields, each name once. */
static int
fields_parse(struct sign_look *out, const char *s)
{
	const char *p = s, *e;
	size_t i, n;

	out->nfields = 0;
	out->qr = 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ',' && *e != ' '; e++)
			;
		n = (size_t)(e - p);
		for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
			if ((strlen(field_names[i].id) == n &&
			     memcmp(p, field_names[i].id, n) == 0) ||
			    (strlen(field_names[i].en) == n &&
			     memcmp(p, field_names[i].en, n) == 0))
				break;
		if (i == sizeof(field_names) / sizeof(field_names[0]))
			return sertel_err(
			    SERTEL_EINVAL,
			    "[sign] box_fields: '%.*s' unknown (judul, nama, "
			    "nip, jabatan, instansi, waktu, baris, qr)",
			    (int)(n > 32 ? 32 : n), p);
		if (out->nfields == SIGN_LOOK_MAX_FIELDS)
			return sertel_err(SERTEL_EINVAL, "[sign] box_fields: too many");
		if (field_names[i].f == SIGN_FIELD_QR)
			out->qr = 1;
		out->fields[out->nfields++] = field_names[i].f;
		p = e;
	}
	return 0;
}

int
sign_look_load(struct sign_look *out, const struct config *cfg, const char *dir)
{
	const char *layout, *fields, *line, *logo;
	char path[4096];
	int rc;

	memset(out, 0, sizeof(*out));
	layout = cfg ? config_get(cfg, "sign", "box_layout", "qr-teks") : "qr-teks";
	fields =
	    cfg ? config_get(cfg, "sign", "box_fields", FIELDS_DEFAULT) : FIELDS_DEFAULT;
	line = cfg ? config_get(cfg, "sign", "box_line", "") : "";
	logo = cfg ? config_get(cfg, "sign", "box_logo", "") : "";
	if (strcmp(layout, "qr-teks") == 0 || strcmp(layout, "qr-text") == 0)
		out->layout = SIGN_LAYOUT_QR_TEXT;
	else if (strcmp(layout, "gambar-teks") == 0 || strcmp(layout, "image-text") == 0)
		out->layout = SIGN_LAYOUT_IMAGE_TEXT;
	else if (strcmp(layout, "teks") == 0 || strcmp(layout, "text") == 0)
		out->layout = SIGN_LAYOUT_TEXT;
	else
		return sertel_err(
		    SERTEL_EINVAL,
		    "[sign] box_layout '%.32s': qr-teks, gambar-teks or teks", layout);
	if ((rc = fields_parse(out, fields)) < 0)
		return rc;
	if (str_copy(out->line, sizeof(out->line), line) < 0)
		return sertel_err(SERTEL_EINVAL, "[sign] box_line: at most %zu bytes",
		                  sizeof(out->line) - 1);
	if ((rc = config_time_zone(&out->tz, cfg)) < 0)
		return rc;
	if (logo[0] != '\0') {
		if (snprintf(path, sizeof(path), "%s%s%s",
		             logo[0] == '/' || dir == NULL ? "" : dir,
		             logo[0] == '/' || dir == NULL ? "" : "/",
		             logo) >= (int)sizeof(path))
			return sertel_err(SERTEL_EINVAL,
			                  "[sign] box_logo: path too long");
		if ((rc = file_read(&out->logo, &out->logo_len, path,
		                    SIGN_LOOK_MAX_IMAGE)) < 0 ||
		    (rc = sign_image_check(out->logo, out->logo_len, "[sign] box_logo")) <
		        0) {
			sign_look_free(out);
			return rc;
		}
	}
	return 0;
}

void
sign_look_free(struct sign_look *lk)
{
	if (lk == NULL)
		return;
	free(lk->logo);
	lk->logo = NULL;
	lk->logo_len = 0;
}

int
sign_footer_template(char *out, size_t outsz, const struct config *cfg, int esign)
{
	const char *v = NULL, *key = "[sign] footer";

	if (esign && cfg != NULL &&
	    (v = config_get(cfg, "esign", "footer", NULL)) != NULL)
		key = "[esign] footer";
	if (v == NULL)
		v = cfg != NULL ? config_get(cfg, "sign", "footer", SIGN_FOOTER_DEFAULT)
		                : SIGN_FOOTER_DEFAULT;
	if (*v == '\0')
		return sertel_err(SERTEL_EINVAL,
		                  "%s: empty, but every signed document carries a footer "
		                  "(Palembang 12(4))",
		                  key);
	if (str_copy(out, outsz, v) < 0)
		return sertel_err(SERTEL_ETOOBIG, "%s: at most %zu bytes", key,
		                  outsz - 1);
	return 0;
}

/* Appends s[0..n) to out at *pos; SERTEL_ETOOBIG when it does not fit. */
static int
put(char *out, size_t outsz, size_t *pos, const char *s, size_t n)
{
	if (n >= outsz - *pos)
		return sertel_err(SERTEL_ETOOBIG, "footer: longer than %zu bytes",
		                  outsz - 1);
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
	return 0;
}

int
sign_footer_expand(char *out, size_t outsz, const char *tmpl, const char *issuer,
                   const char *link)
{
	/* "%s": the link in the service's older [esign] footer. */
	static const char *const tags[] = {"{penerbit}", "{issuer}", "{tautan}", "{link}",
	                                   "%s"};
	const size_t ntags = sizeof(tags) / sizeof(tags[0]);
	const char *p = tmpl;
	size_t pos = 0, i;
	int placed = 0, rc;

	if (outsz == 0)
		return sertel_err(SERTEL_ETOOBIG, "footer: no room");
	out[0] = '\0';
	if (issuer == NULL || *issuer == '\0')
		issuer = "penyelenggara sertifikasi elektronik";
	while (*p != '\0') {
		for (i = 0; i < ntags; i++)
			if (strncmp(p, tags[i], strlen(tags[i])) == 0)
				break;
		if (i == ntags) {
			if ((rc = put(out, outsz, &pos, p, 1)) < 0)
				return rc;
			p++;
			continue;
		}
		if (i >= 2)
			placed = 1;
		if (i < 2)
			rc = put(out, outsz, &pos, issuer, strlen(issuer));
		else
			rc = link ? put(out, outsz, &pos, link, strlen(link)) : 0;
		if (rc < 0)
			return rc;
		p += strlen(tags[i]);
	}
	/* A template that does not place the link gets it appended once. */
	if (!placed && link != NULL && *link != '\0' && strstr(out, link) == NULL) {
		static const char v[] = " Verifikasi keasliannya di ";

		if ((rc = put(out, outsz, &pos, v, sizeof(v) - 1)) < 0 ||
		    (rc = put(out, outsz, &pos, link, strlen(link))) < 0)
			return rc;
	}
	return 0;
}
