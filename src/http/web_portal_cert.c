/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The portal: my certificates and their files (PEM with chain, DER, P7B).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/web_portal.h"

/* ---- my certificates -------------------------------------------------------- */
struct cert_rows {
	struct page *pg;
	json_t *arr;
	int64_t now;
};

static int
cert_row_json(const struct cert_rec *c, void *arg)
{
	struct cert_rows *l = arg;
	char from[WP_TIME_MAX], to[WP_TIME_MAX], shown[3 * SERIAL_HEX_MAX];
	const char *status = cert_status_name(cert_rec_status(c, l->now));
	json_t *usage = wp_usage_json(l->pg, c->usages, NULL);

	wp_serial_shown(shown, sizeof(shown), c->serial);
	wp_time(from, l->pg, c->not_before, 0);
	wp_time(to, l->pg, c->not_after, 0);
	json_array_append_new(
	    l->arr,
	    json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:s, s:s}", "serial",
	              c->serial, "shown", shown, "type", wp_msg(l->pg, "type.", c->type),
	              "usages", json_object_get(usage, "label"), "subject", c->subject,
	              "status", wp_msg(l->pg, "cert.status.", status), "status_code",
	              status, "from", from, "to", to));
	json_decref(usage);
	return 0;
}

static int
page_certs(struct page *pg)
{
	struct cert_rows l = {pg, json_array(), time_now()};

	if (store_cert_iter_nik(pg->r->st, pg->who.nik, cert_row_json, &l) < 0) {
		json_decref(l.arr);
		log_msg(LOG_ERROR, "portal: certificates: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	json_object_set_new(pg->ctx, "has_certs",
	                    json_boolean(json_array_size(l.arr) > 0));
	json_object_set_new(pg->ctx, "certs", l.arr);
	return wp_render(pg, 200, "certs", "certs.title");
}

/* GET /sertifikat/SERIAL.pem|.der|.p7b: the owner's certificate (PEM with
 * its chain, DER alone, or the chain as a PKCS#7 bundle), for the owner
 * and those who read every record. */
static int
page_cert_file(struct page *pg)
{
	const char *name = pg->sub + strlen("/sertifikat/"), *dot = strrchr(name, '.');
	struct issuer_rec iss, root;
	struct cert_rec c;
	struct buf b;
	char serial[SERIAL_HEX_MAX + 1], disp[128], *pem = NULL;
	unsigned char *out = NULL;
	const unsigned char *ders[3];
	size_t outlen = 0, lens[3];
	int rc, have_iss = 0, have_root = 0, nchain = 1, i;

	memset(&c, 0, sizeof(c));
	memset(&iss, 0, sizeof(iss));
	memset(&root, 0, sizeof(root));
	if (dot == NULL || (size_t)(dot - name) > SERIAL_HEX_MAX ||
	    !hex_lower_run(name, (size_t)(dot - name)) ||
	    (strcmp(dot, ".pem") && strcmp(dot, ".der") && strcmp(dot, ".p7b")))
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	memcpy(serial, name, (size_t)(dot - name));
	serial[dot - name] = '\0';
	if ((rc = store_cert_get(pg->r->st, serial, &c)) < 0)
		return wp_error(pg, rc == SERTEL_ENOTFOUND ? 404 : 500,
		                wp_msg(pg, "", "error.notfound"));
	/* The same answer for someone else's certificate as for none. */
	if (strcmp(c.nik, pg->who.nik) != 0 && !ra_sees_all(&pg->who)) {
		cert_rec_free(&c);
		return wp_error(pg, 404, wp_msg(pg, "", "error.notfound"));
	}
	if (store_issuer_get(pg->r->st, c.issuer_id, &iss) == 0) {
		have_iss = 1;
		if (iss.parent_id[0] != '\0' &&
		    store_issuer_get(pg->r->st, iss.parent_id, &root) == 0)
			have_root = 1;
	}
	ders[0] = c.der;
	lens[0] = c.der_len;
	if (have_iss) {
		ders[nchain] = iss.cert_der;
		lens[nchain++] = iss.cert_len;
	}
	if (have_root) {
		ders[nchain] = root.cert_der;
		lens[nchain++] = root.cert_len;
	}
	if (strcmp(dot, ".der") == 0) {
		out = malloc(c.der_len);
		if (out != NULL) {
			memcpy(out, c.der, c.der_len);
			outlen = c.der_len;
		}
		rc = out ? 0 : SERTEL_ENOMEM;
		pg->resp->ctype = "application/pkix-cert";
	} else if (strcmp(dot, ".p7b") == 0) {
		rc = cert_bundle_p7b(&out, &outlen, ders, lens, nchain);
		pg->resp->ctype = "application/x-pkcs7-certificates";
	} else {
		/* The certificate, then its issuing CA and root, as one file. */
		buf_init(&b, 256 * 1024);
		for (i = 0, rc = 0; i < nchain && rc == 0; i++) {
			if ((rc = pem_from_der(&pem, ders[i], lens[i], "CERTIFICATE")) ==
			    0)
				rc = buf_append(&b, pem, strlen(pem));
			free(pem);
			pem = NULL;
		}
		out = buf_detach(&b, &outlen);
		buf_free(&b);
		pg->resp->ctype = "application/x-pem-file";
	}
	if (have_iss)
		issuer_rec_free(&iss);
	if (have_root)
		issuer_rec_free(&root);
	cert_rec_free(&c);
	if (rc < 0) {
		free(out);
		pg->resp->ctype = NULL;
		log_msg(LOG_ERROR, "portal: certificate file: %s", sertel_errmsg());
		return wp_error(pg, 500, "internal error");
	}
	free(pg->resp->body);
	pg->resp->body = out;
	pg->resp->len = outlen;
	pg->resp->status = 200;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s%s\"", serial, dot);
	wp_header_add(pg, "Content-Disposition: %s\n", disp);
	buf_appendf(&pg->headers, "Cache-Control: no-store\n");
	return 0;
}

WP_ROUTES(wp_routes_cert, {"GET", "/sertifikat", 1, 0, page_certs, "nav.certs"},
          {"GET", "/sertifikat/", 1, 0, page_cert_file, NULL}, );
