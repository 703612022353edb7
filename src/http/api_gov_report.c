/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The annual evaluation report over the REST API (Cirebon 23, Denpasar
 * 24):
 *   GET  /api/v1/gov/reports/annual?year=Y&format=json|csv   the figures
 *        (the Kepala Dinas, auditors, OP operators: gov_report_may_read)
 *   POST /api/v1/gov/reports/annual {"year": Y, "passphrase": "..."}
 *        the PDF signed with the Kepala Dinas's sealed key (a token bound
 *        to the Kepala Dinas; gov_report_may_sign), registered under the
 *        id its QR code names (X-Document-Id).
 * Who may do what is src/gov's; this file only reads the request.
 */
#include <stdlib.h>
#include <string.h>

#include "esign/esign.h"
#include "gov/gov.h"
#include "http/http_int.h"
#include "instance/instance.h"

/* A person's token (an application token is nobody here), the year and
 * the instance's [governance] settings. */
static int
report_begin(struct gov_report_conf *gc, int *year, struct http_req *r,
             struct http_resp *resp, const char *year_s)
{
	long long y = 0;
	int rc;

	if (http_auth(r, resp) < 0)
		return SERTEL_EAUTH;
	if (r->ra.roles == 0) {
		http_error(resp, 403, "forbidden",
		           "%s: the annual report is read with a person's token (sertel "
		           "token create --nik)",
		           r->actor);
		return SERTEL_EPERM;
	}
	if (year_s == NULL || parse_ll(&y, year_s, 0, 99999) < 0) {
		http_error(resp, 400, "invalid_input",
		           "year: expected a year such as 2026");
		return SERTEL_EINVAL;
	}
	*year = (int)y;
	if ((rc = gov_report_conf_load(gc, r->ctx->in->cfg)) < 0) {
		http_error_rc(resp, rc);
		return rc;
	}
	return 0;
}

static int
report_get(struct http_req *r, struct http_resp *resp)
{
	const char *format = http_query(r, "format");
	struct gov_report_conf gc;
	struct gov_report *rep = NULL;
	struct buf csv;
	json_t *j = NULL;
	int year = 0, rc;

	if (format == NULL)
		format = "json";
	if (report_begin(&gc, &year, r, resp, http_query(r, "year")) < 0)
		return 0;
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
		http_error(resp, 400, "invalid_input",
		           "format: expected json or csv (the PDF: POST, signed)");
		return 0;
	}
	if ((rc = gov_report_build(&rep, r->st, &r->ra, year, &r->ctx->in->tz,
	                           gc.notify_within)) < 0) {
		http_error_rc(resp, rc);
		return 0;
	}
	if (strcmp(format, "json") == 0) {
		if ((rc = gov_report_json(&j, rep)) < 0)
			http_error_rc(resp, rc);
		else
			http_json(resp, 200, j);
		gov_report_free(rep);
		return 0;
	}
	buf_init(&csv, 64 * 1024 * 1024);
	if ((rc = gov_report_csv(&csv, rep)) < 0) {
		http_error_rc(resp, rc);
		buf_free(&csv);
	} else {
		resp->status = 200;
		resp->ctype = "text/csv; charset=utf-8";
		snprintf(resp->extra_headers, sizeof(resp->extra_headers),
		         "Content-Disposition: attachment; "
		         "filename=\"laporan-tahunan-%d.csv\"\n",
		         year);
		resp->body = buf_detach(&csv, &resp->len);
	}
	gov_report_free(rep);
	return 0;
}

static int
report_post(struct http_req *r, struct http_resp *resp)
{
	struct gov_report_conf gc;
	struct gov_report *rep = NULL;
	struct esign_ctx *c;
	struct esign_error err;
	unsigned char *pdf = NULL;
	size_t len = 0;
	const char *pass, *k;
	char id[33], year_s[16];
	json_t *j = NULL, *v;
	int year = 0, rc;

	if (http_auth(r, resp) < 0 || (j = http_json_body(r, resp)) == NULL)
		goto out;
	json_object_foreach(j, k, v)
	{
		if (strcmp(k, "year") != 0 && strcmp(k, "passphrase") != 0) {
			http_error(resp, 400, "invalid_input", "%s: unknown field", k);
			goto out;
		}
	}
	v = json_object_get(j, "year");
	snprintf(year_s, sizeof(year_s), "%lld",
	         json_is_integer(v) ? (long long)json_integer_value(v) : -1LL);
	if (report_begin(&gc, &year, r, resp, json_is_integer(v) ? year_s : NULL) < 0)
		goto out;
	if ((rc = gov_report_may_sign(&r->ra)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	pass = json_string_value(json_object_get(j, "passphrase"));
	if (pass == NULL || *pass == '\0') {
		http_error(resp, 400, "invalid_input",
		           "passphrase: the Kepala Dinas's passphrase is required");
		goto out;
	}
	if ((c = api_esign_service(r)) == NULL) {
		http_error(resp, 503, "unavailable",
		           "e-sign: [esign] settings unreadable");
		goto out;
	}
	if ((rc = gov_report_build(&rep, r->st, &r->ra, year, &r->ctx->in->tz,
	                           gc.notify_within)) < 0) {
		http_error_rc(resp, rc);
		goto out;
	}
	rc = gov_report_sign(&pdf, &len, id, &err, r->st, c, &r->ra, pass, strlen(pass),
	                     rep, r->ctx->in->pc.org, gc.recipients);
	if (rc < 0) {
		if (err.msg[0] != '\0')
			http_error(resp, err.http ? err.http : 400, "sign_failed", "%s",
			           err.msg);
		else
			http_error_rc(resp, rc);
		goto out;
	}
	resp->status = 200;
	resp->ctype = "application/pdf";
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "X-Document-Id: %s\nContent-Disposition: attachment; "
	         "filename=\"laporan-tahunan-%d.pdf\"\n",
	         id, year);
	resp->body = pdf;
	resp->len = len;
out:
	/* The passphrase: wiped from the parsed body and from the server's
	 * own buffer of the request (heap, freed after us), as the portal's
	 * forms are (wp_form_wipe). */
	if ((v = json_object_get(j, "passphrase")) != NULL && json_is_string(v))
		secure_wipe((void *)json_string_value(v), json_string_length(v));
	if (r->body_len > 0) {
		unsigned char *raw;

		memcpy(&raw, &r->body, sizeof(raw));
		secure_wipe(raw, r->body_len);
	}
	json_decref(j);
	gov_report_free(rep);
	return 0;
}

int
api_gov_report(struct http_req *r, struct http_resp *resp)
{
	if (strcmp(r->method, "POST") == 0)
		return report_post(r, resp);
	return report_get(r, resp);
}
