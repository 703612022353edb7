/* SPDX-License-Identifier: Apache-2.0 */
/*
 * multipart/form-data (RFC 7578) over a body the server core has already
 * read and bounded: libmicrohttpd's post processor splits the parts, this
 * file keeps them with their limits.  Shared by the BSrE-compatible v1 API
 * (api_esign.c) and the portal's upload forms (web_portal.c).
 */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "http/http_int.h"

static enum MHD_Result
part_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
          const char *content_type, const char *transfer_encoding, const char *data,
          uint64_t off, size_t size)
{
	struct http_multipart *m = cls;
	struct http_part *f = NULL;
	int i;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (key == NULL)
		return MHD_YES;
	/* A new part starts at offset 0; later chunks continue the last one. */
	if (off == 0) {
		for (i = 0; i < m->n; i++) {
			if (strcmp(m->f[i].name, key) == 0) {
				m->f[i].dup = 1;
				return MHD_YES;
			}
		}
		if (m->n >= HTTP_MULTIPART_MAX || strlen(key) >= sizeof(m->f[0].name)) {
			m->overflow = 1;
			return MHD_YES;
		}
		f = &m->f[m->n++];
		str_copy(f->name, sizeof(f->name), key);
		if (filename != NULL)
			str_copy(f->filename, sizeof(f->filename), filename);
		f->is_file = m->is_file(key, filename);
		buf_init(&f->val, f->is_file ? m->file_max : m->text_max);
	} else {
		for (i = m->n - 1; i >= 0; i--)
			if (strcmp(m->f[i].name, key) == 0) {
				f = &m->f[i];
				break;
			}
		if (f == NULL || f->dup)
			return MHD_YES;
	}
	if (size > 0 && !f->too_big && buf_append(&f->val, data, size) < 0)
		f->too_big = 1;
	return MHD_YES;
}

static int
fail(struct http_multipart *m, enum http_mp_error e, const char *field, int rc,
     const char *msg)
{
	m->err = e;
	str_copy(m->err_field, sizeof(m->err_field), field ? field : "");
	http_multipart_free(m);
	return sertel_err(rc, "%s", msg);
}

int
http_multipart_parse(struct http_multipart *m, struct http_req *r, size_t file_max,
                     size_t text_max, int (*is_file)(const char *, const char *))
{
	struct MHD_PostProcessor *pp;
	const char *ct = http_header(r, "Content-Type");
	char msg[256];
	int i, ok;

	memset(m, 0, sizeof(*m));
	/* +1: one byte over the limit tells "too big" from "exactly at it". */
	m->file_max = file_max + 1;
	m->text_max = text_max;
	m->is_file = is_file;
	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return fail(m, HTTP_MP_NOT_MULTIPART, NULL, SERTEL_EINVAL,
		            "Content-Type harus multipart/form-data / Content-Type must "
		            "be multipart/form-data");
	if ((pp = MHD_create_post_processor(r->conn, 64 * 1024, part_iter, m)) == NULL)
		return fail(
		    m, HTTP_MP_MALFORMED, NULL, SERTEL_EINVAL,
		    "Badan permintaan multipart tidak sah / malformed multipart body");
	ok = MHD_post_process(pp, (const char *)r->body, r->body_len) == MHD_YES;
	MHD_destroy_post_processor(pp);
	if (!ok)
		return fail(
		    m, HTTP_MP_MALFORMED, NULL, SERTEL_EINVAL,
		    "Badan permintaan multipart tidak sah / malformed multipart body");
	if (m->overflow)
		return fail(m, HTTP_MP_TOO_MANY, NULL, SERTEL_EINVAL,
		            "Terlalu banyak field / too many fields");
	for (i = 0; i < m->n; i++) {
		struct http_part *f = &m->f[i];

		if (f->dup)
			return fail(m, HTTP_MP_DUP, f->name, SERTEL_EINVAL,
			            "Field ganda dalam permintaan / a field given twice");
		if (f->too_big) {
			snprintf(
			    msg, sizeof(msg),
			    "Field '%s' melebihi batas ukuran / field '%s' is too large",
			    f->name, f->name);
			return fail(m, HTTP_MP_TOO_BIG, f->name, SERTEL_ETOOBIG, msg);
		}
		/* Text fields are used as C strings: a NUL inside would cut
		 * "right\0anything" to "right" (issue 19).  Files are binary. */
		if (!f->is_file && f->val.len > 0 &&
		    memchr(f->val.data, '\0', f->val.len) != NULL) {
			snprintf(
			    msg, sizeof(msg),
			    "Field '%s' berisi karakter NUL (field '%s' contains a NUL "
			    "byte)",
			    f->name, f->name);
			return fail(m, HTTP_MP_NUL, f->name, SERTEL_EINVAL, msg);
		}
		/* A file exactly at the limit has no room for the NUL. */
		if (buf_cstr(&f->val) < 0)
			return fail(m, HTTP_MP_TOO_BIG, f->name, SERTEL_ETOOBIG,
			            "Field melebihi batas ukuran / field too large");
	}
	return 0;
}

void
http_multipart_free(struct http_multipart *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		buf_free(&m->f[i].val);
	m->n = 0;
}

struct http_part *
http_multipart_get(struct http_multipart *m, const char *name)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->f[i].name, name) == 0)
			return &m->f[i];
	return NULL;
}

const char *
http_multipart_text(struct http_multipart *m, const char *name)
{
	struct http_part *f = http_multipart_get(m, name);

	return f ? (const char *)f->val.data : NULL;
}
