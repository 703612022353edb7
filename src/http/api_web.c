/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The static front-end (web/) and the public list of CAs it shows.
 *   GET /                 web/index.html
 *   GET /static/<file>    web/<file>  (flat names only: [A-Za-z0-9._-])
 *   GET /api/v1/ca        {"issuers": [{id, role, name, certificate_url, crl_url}]}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

#define WEB_FILE_MAX (4 * 1024 * 1024)

static const char *
ctype_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "application/octet-stream";
}

static int
serve_file(struct http_req *r, struct http_resp *resp, const char *name)
{
	char path[1400];
	unsigned char *data = NULL;
	size_t len = 0;
	const char *root =
	    config_get(r->ctx->in->cfg, "server", "web_root", SERTEL_WEB_DIR);

	/* Flat names only: no '/', no leading '.', so no way out of web/. */
	if (*name == '\0' || *name == '.' ||
	    strspn(name,
	           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
	        strlen(name)) {
		http_error(resp, 404, "not_found", "no such file");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (file_read(&data, &len, path, WEB_FILE_MAX) < 0) {
		http_error(resp, 404, "not_found", "no such file");
		return 0;
	}
	free(resp->body);
	resp->status = 200;
	resp->ctype = ctype_of(name);
	resp->body = data;
	resp->len = len;
	snprintf(resp->extra_headers, sizeof(resp->extra_headers),
	         "Cache-Control: no-cache\nContent-Security-Policy: default-src 'self'\n"
	         "X-Frame-Options: DENY\n");
	return 0;
}

int
api_web_index(struct http_req *r, struct http_resp *resp)
{
	if (strcmp(r->path, "/") != 0 && strcmp(r->path, "/index.html") != 0) {
		http_error(resp, 404, "not_found", "no such resource: %s", r->path);
		return 0;
	}
	return serve_file(r, resp, "index.html");
}

int
api_web_static(struct http_req *r, struct http_resp *resp)
{
	return serve_file(r, resp, r->path + strlen("/static/"));
}

int
api_ca_list(struct http_req *r, struct http_resp *resp)
{
	const struct pki_conf *pc = &r->ctx->in->pc;
	struct ca *cas[2] = {r->ctx->root, r->ctx->issuing};
	json_t *arr = json_array();
	char crt[600], crl[600];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(crt, sizeof(crt), "%s/ca/%s.crt", pc->base_url, cas[i]->rec.id);
		snprintf(crl, sizeof(crl), "%s/crl/%s.crl", pc->base_url, cas[i]->rec.id);
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", cas[i]->rec.id,
		                   "role", cas[i]->rec.role, "name", cas[i]->rec.name,
		                   "certificate_url", crt, "crl_url", crl));
	}
	http_json(resp, 200, json_pack("{s:o}", "issuers", arr));
	return 0;
}
