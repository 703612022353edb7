/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP server core: libmicrohttpd with an internal thread pool, bounded
 * request bodies, one store connection per worker thread, JSON errors and
 * a graceful stop on SIGTERM.  Routes are in three classes: the validation
 * services answer on libmicrohttpd's threads, public verification and the
 * authenticated API on worker pools of their own (pool.c), so that no
 * class an anonymous caller can fill holds the threads of another.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "esign/flow.h"
#include "gov/gov.h"
#include "http/http_int.h"
#include "mail/mail.h"

#define MAX_THREADS     64
#define CONN_TIMEOUT_S  30
#define MAX_CONNECTIONS 1024
#define MAX_URL         2048
#define RETRY_AFTER_S   5

/* GnuTLS priorities unless [server] tls_priorities says otherwise: TLS 1.3
 * and 1.2 only, AEAD ciphers only (no CBC, no SHA-1 MACs), the server's
 * order (BSI TR-02102-2 and Mozilla's "intermediate" profile agree). */
#define TLS_PRIORITIES_DEFAULT                                                           \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:"           \
	"+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:%SERVER_PRECEDENCE"

/* ---- per-thread store connections ------------------------------------ */
/* libmicrohttpd's threads and the threads of both class pools. */
static pthread_mutex_t stores_mu = PTHREAD_MUTEX_INITIALIZER;
static struct store *stores[MAX_THREADS + 2 * HTTP_POOL_MAX_WORKERS + 4];
static int nstores;
static _Thread_local struct store *tl_store;

int
http_thread_store(struct store **out, struct http_ctx *ctx)
{
	int rc;

	if (tl_store != NULL) {
		*out = tl_store;
		return 0;
	}
	if ((rc = instance_store_open(ctx->in, &tl_store)) < 0)
		return rc;
	if (ctx->batch != NULL)
		store_set_batch(tl_store, ctx->batch);
	pthread_mutex_lock(&stores_mu);
	if (nstores < (int)(sizeof(stores) / sizeof(stores[0])))
		stores[nstores++] = tl_store;
	pthread_mutex_unlock(&stores_mu);
	*out = tl_store;
	return 0;
}

static void
stores_close_all(void)
{
	int i;

	pthread_mutex_lock(&stores_mu);
	for (i = 0; i < nstores; i++)
		store_close(stores[i]);
	nstores = 0;
	pthread_mutex_unlock(&stores_mu);
}

/* ---- responses --------------------------------------------------------- */
void
http_json(struct http_resp *resp, int status, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	json_decref(j);
	free(resp->body);
	resp->status = status;
	resp->ctype = "application/json";
	resp->body = (unsigned char *)s;
	resp->len = s ? strlen(s) : 0;
	if (s == NULL)
		resp->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
}

void
http_error(struct http_resp *resp, int status, const char *code, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	http_json(resp, status, json_pack("{s:s, s:s}", "error", msg, "code", code));
}

void
http_error_rc(struct http_resp *resp, int rc)
{
	const char *m = sertel_errmsg();

	switch (rc) {
	case SERTEL_EINVAL: http_error(resp, 400, "invalid_input", "%s", m); break;
	case SERTEL_ETOOBIG: http_error(resp, 413, "too_large", "%s", m); break;
	case SERTEL_ENOTFOUND: http_error(resp, 404, "not_found", "%s", m); break;
	case SERTEL_EEXISTS:
	case SERTEL_ESTATE: http_error(resp, 409, "conflict", "%s", m); break;
	case SERTEL_EAUTH: http_error(resp, 401, "unauthorized", "%s", m); break;
	case SERTEL_EPERM: http_error(resp, 403, "forbidden", "%s", m); break;
	default:
		/* Internal details go to the log, not to the client. */
		log_msg(LOG_ERROR, "request failed: %s", m);
		http_error(resp, 500, "internal", "internal error");
		break;
	}
}

const char *
http_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
http_query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int
http_fields_check(json_t *j, const char *const *allowed, size_t n, struct http_resp *resp)
{
	const char *key;
	json_t *v;
	size_t k;

	json_object_foreach(j, key, v)
	{
		for (k = 0; k < n; k++)
			if (strcmp(key, allowed[k]) == 0)
				break;
		if (k == n) {
			http_error(resp, 400, "invalid_input", "unknown field '%s'", key);
			return SERTEL_EINVAL;
		}
	}
	return 0;
}

json_t *
http_json_body(struct http_req *r, struct http_resp *resp)
{
	const char *ct = http_header(r, "Content-Type");
	json_error_t err;
	json_t *j;

	/* The media type exactly, parameters (charset) allowed after ';'. */
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ' && ct[16] != '\t')) {
		http_error(resp, 415, "unsupported_media_type",
		           "Content-Type must be application/json");
		return NULL;
	}
	j = json_loadb((const char *)r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL) {
		http_error(resp, 400, "malformed_json", "malformed JSON at line %d: %s",
		           err.line, err.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_error(resp, 400, "malformed_json", "body must be a JSON object");
		return NULL;
	}
	return j;
}

int
http_json_names(const char **out, int *n, int max, json_t *j, const char *key,
                struct http_resp *resp)
{
	json_t *arr = json_object_get(j, key), *v;
	size_t i;

	*n = 0;
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > (size_t)max) {
		http_error(resp, 400, "invalid_input",
		           "%s: expected an array of at most %d strings", key, max);
		return SERTEL_EINVAL;
	}
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v)) {
			http_error(resp, 400, "invalid_input",
			           "%s[%zu]: expected a string", key, i);
			return SERTEL_EINVAL;
		}
		out[(*n)++] = json_string_value(v);
	}
	return 0;
}

/* ---- routing ------------------------------------------------------------ */
typedef int (*handler_fn)(struct http_req *, struct http_resp *);

/* Routes marked NEEDS_CA need this instance's own CA (and its OCSP and TSA
 * signers); an RA-only instance answers them 404. */
#define NEEDS_CA 1
/* Route classes (issue 19, point 2).  VA: the validation services and
 * distribution points, short and bounded, answered inline on
 * libmicrohttpd's threads.  PUBLIC: verification for anyone, on its own
 * pool ([server] public_workers, public_queue).  API: everything behind
 * credentials, on its own pool ([server] api_workers, api_queue). */
enum route_class { RC_VA, RC_PUBLIC, RC_API, RC_COUNT };
static const char *const class_names[RC_COUNT] = {"va", "public", "api"};
static const struct route {
	const char *method;
	const char *path;
	int prefix; /* path is a prefix */
	handler_fn fn;
	int needs_ca;
	enum route_class cls;
} routes[] = {
    {"GET", "/healthz", 0, api_healthz, 0, RC_VA},
    {"POST", "/api/v1/certificates", 0, api_certificates_post, NEEDS_CA, RC_API},
    {"POST", "/api/v1/certificates/", 1, api_certificate_action, NEEDS_CA, RC_API},
    {"GET", "/crl/", 1, api_crl_get, NEEDS_CA, RC_VA},
    {"GET", "/ca/", 1, api_ca_get, NEEDS_CA, RC_VA},
    {"GET", "/api/v1/ca", 0, api_ca_list, NEEDS_CA, RC_VA},
    {"POST", "/ocsp", 0, api_ocsp_post, NEEDS_CA, RC_VA},
    {"GET", "/ocsp/", 1, api_ocsp_get, NEEDS_CA, RC_VA},
    {"POST", "/tsa", 0, api_tsa_post, NEEDS_CA, RC_VA},
    {"GET", "/api/v1/agencies", 0, api_ra_agencies, 0, RC_API},
    {"POST", "/api/v1/agencies", 0, api_ra_agencies, 0, RC_API},
    {"GET", "/api/v1/agencies/", 1, api_ra_agency, 0, RC_API},
    {"GET", "/api/v1/agreement", 0, api_ra_agreement, 0, RC_API},
    {"POST", "/api/v1/agreement", 0, api_ra_agreement, 0, RC_API},
    {"POST", "/api/v1/ra/certificates/", 1, api_ra_certificate, 0, RC_API},
    {"GET", "/api/v1/persons", 0, api_ra_persons, 0, RC_API},
    {"POST", "/api/v1/persons", 0, api_ra_persons, 0, RC_API},
    {"GET", "/api/v1/persons/", 1, api_ra_person, 0, RC_API},
    {"POST", "/api/v1/persons/", 1, api_ra_person, 0, RC_API},
    {"GET", "/api/v1/applications", 0, api_ra_applications, 0, RC_API},
    {"POST", "/api/v1/applications", 0, api_ra_applications, 0, RC_API},
    {"GET", "/api/v1/applications/", 1, api_ra_application, 0, RC_API},
    {"POST", "/api/v1/applications/", 1, api_ra_application, 0, RC_API},
    {"GET", "/api/v1/gov/needs", 0, api_gov_needs, 0, RC_API},
    {"POST", "/api/v1/gov/needs", 0, api_gov_needs, 0, RC_API},
    {"GET", "/api/v1/gov/needs/", 1, api_gov_need, 0, RC_API},
    {"POST", "/api/v1/gov/needs/", 1, api_gov_need, 0, RC_API},
    {"GET", "/api/v1/gov/plans", 0, api_gov_plans, 0, RC_API},
    {"POST", "/api/v1/gov/plans", 0, api_gov_plans, 0, RC_API},
    {"GET", "/api/v1/gov/plans/", 1, api_gov_plan, 0, RC_API},
    {"POST", "/api/v1/gov/plans/", 1, api_gov_plan, 0, RC_API},
    {"GET", "/api/v1/gov/decrees", 0, api_gov_decrees, 0, RC_API},
    {"POST", "/api/v1/gov/decrees", 0, api_gov_decrees, 0, RC_API},
    {"GET", "/api/v1/gov/decrees/", 1, api_gov_decree, 0, RC_API},
    {"GET", "/api/v1/gov/scope", 0, api_gov_scope, 0, RC_API},
    {"POST", "/api/v1/gov/scope", 0, api_gov_scope, 0, RC_API},
    {"GET", "/api/v1/gov/scope/", 1, api_gov_scope, 0, RC_API},
    {"POST", "/api/v1/gov/scope/", 1, api_gov_scope, 0, RC_API},
    {"GET", "/api/v1/gov/coverage", 1, api_gov_cover, 0, RC_API},
    {"POST", "/api/v1/gov/staff/import", 0, api_gov_cover, 0, RC_API},
    {"POST", "/api/v1/gov/headcounts", 0, api_gov_cover, 0, RC_API},
    {"GET", "/api/v1/gov/systems", 1, api_gov_cover, 0, RC_API},
    {"POST", "/api/v1/gov/systems", 1, api_gov_cover, 0, RC_API},
    {"GET", "/api/v1/gov/reports/annual", 0, api_gov_report, 0, RC_API},
    {"POST", "/api/v1/gov/reports/annual", 0, api_gov_report, 0, RC_API},
    {"POST", "/api/sign/pdf", 0, api_esign_v1_sign, 0, RC_API},
    {"GET", "/api/sign/download/", 1, api_esign_v1_download, 0, RC_API},
    {"POST", "/api/sign/verify", 0, api_esign_v1_verify, 0, RC_API},
    {"GET", "/api/user/status/", 1, api_esign_v1_status, 0, RC_API},
    {"POST", "/api/v2/sign/pdf", 0, api_esign_v2_sign, 0, RC_API},
    {"POST", "/api/v2/seal/pdf", 0, api_esign_v2_seal, 0, RC_API},
    {"POST", "/api/v2/sign/get/totp", 0, api_esign_v2x_sign_totp, 0, RC_API},
    {"POST", "/api/v2/seal/get/activation", 0, api_esign_v2x_seal_activation, 0, RC_API},
    {"POST", "/api/v2/seal/revoke/activation", 0, api_esign_v2x_seal_revoke, 0, RC_API},
    {"POST", "/api/v2/seal/get/totp", 0, api_esign_v2x_seal_totp, 0, RC_API},
    {"POST", "/api/v2/user/registration", 0, api_esign_v2x_register, 0, RC_API},
    {"POST", "/api/v2/user/register", 0, api_esign_v2x_register, 0, RC_API},
    {"POST", "/api/v2/user/check/status", 0, api_esign_v2_status, 0, RC_API},
    {"POST", "/api/v2/verify/pdf", 0, api_esign_v2_verify, 0, RC_API},
    {"GET", "/v/", 1, api_esign_public_doc, 0, RC_PUBLIC},
    {"GET", "/verifikasi", 1, api_esign_public_page, 0, RC_PUBLIC},
    {"POST", "/api/verifikasi", 0, api_esign_public_verify, 0, RC_PUBLIC},
    {"GET", "/portal", 1, web_portal, 0, RC_API},
    {"POST", "/portal", 1, web_portal, 0, RC_API},
    {"GET", "/static/", 1, api_web_static, 0, RC_VA},
    {"GET", "/", 0, api_web_index, 0, RC_VA},
    {"GET", "/index.html", 0, api_web_index, 0, RC_VA},
    {"GET", "/api/v1/gov/tickets", 0, api_gov_tickets, 0, RC_API},
    {"POST", "/api/v1/gov/tickets", 0, api_gov_tickets, 0, RC_API},
    {"GET", "/api/v1/gov/tickets/", 1, api_gov_ticket, 0, RC_API},
    {"POST", "/api/v1/gov/tickets/", 1, api_gov_ticket, 0, RC_API},
    {"GET", "/api/v1/gov/help", 0, api_gov_help, 0, RC_API},
    {"POST", "/api/v1/gov/help", 0, api_gov_help, 0, RC_API},
    {"POST", "/api/v1/gov/help/", 1, api_gov_help_answer, 0, RC_API},
    {"GET", "/api/v1/gov/guides", 0, api_gov_guides, 0, RC_API},
    {"GET", "/api/v1/gov/guides/", 1, api_gov_guide, 0, RC_API},
    {"POST", "/api/v1/gov/guides/", 1, api_gov_guide, 0, RC_API},
    {"GET", "/api/v1/gov/incidents", 0, api_gov_incidents, 0, RC_API},
    {"POST", "/api/v1/gov/incidents", 0, api_gov_incidents, 0, RC_API},
    {"GET", "/api/v1/gov/incidents/", 1, api_gov_incident, 0, RC_API},
    {"POST", "/api/v1/gov/incidents/", 1, api_gov_incident, 0, RC_API},
};

/* Which daemon a request arrived on (the cls of on_request). */
struct listener {
	struct http_ctx *ctx;
	int portal;
};

struct conn_state {
	struct http_job job; /* a pool's, while the connection is suspended */
	struct buf body;
	int too_big;
	int refused; /* arrived after the stop began */
	int done;    /* a pool worker has put the answer in resp */
	const struct route *rt;
	struct MHD_Connection *conn;
	int portal; /* arrived on the portal's own listener */
	struct http_req req;
	struct http_resp resp;
};

/* Set once in http_serve before the daemon starts, read-only after. */
static struct http_pool *pools[RC_COUNT]; /* NULL for RC_VA: inline */
static int64_t deadline_ms;

/* Requests between their first callback and the end of their response:
 * a graceful stop waits for this to reach zero.  `stopping` is set first;
 * a request increments inflight and then reads stopping (both sequentially
 * consistent), so either it sees the stop and does nothing, or the stop
 * sees it in flight and waits for its answer to go out. */
static atomic_int inflight;
static atomic_int stopping;

static enum MHD_Result
send_resp(struct MHD_Connection *c, struct http_resp *resp)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	char *line, *save = NULL, *colon;

	mr =
	    MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
	if (mr == NULL) {
		free(resp->body);
		resp->body = NULL;
		return MHD_NO;
	}
	resp->body = NULL;
	MHD_add_response_header(mr, "Content-Type",
	                        resp->ctype ? resp->ctype : "application/json");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	for (line = strtok_r(resp->extra_headers, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		MHD_add_response_header(mr, line, colon + 1 + (colon[1] == ' '));
	}
	ret = MHD_queue_response(c, (unsigned int)resp->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* 503 with Retry-After for a request its class cannot take (why: the
 * reason in Bahasa Indonesia, then in English). */
static void
resp_busy(struct http_resp *resp, enum route_class cls, const char *why_id,
          const char *why_en)
{
	http_error(resp, 503, "busy",
	           "Server sedang sibuk: %s (layanan %s); coba lagi dalam %d detik / "
	           "server busy: %s (%s routes); retry in %d s",
	           why_id, class_names[cls], RETRY_AFTER_S, why_en, class_names[cls],
	           RETRY_AFTER_S);
	snprintf(resp->extra_headers, sizeof(resp->extra_headers), "Retry-After: %d\n",
	         RETRY_AFTER_S);
}

/* Runs the route's handler on the calling thread's store connection. */
static void
route_run(const struct route *rt, struct http_req *req, struct http_resp *resp)
{
	int rc;

	if ((rc = http_thread_store(&req->st, req->ctx)) < 0) {
		http_error_rc(resp, rc);
		return;
	}
	sertel_err_clear();
	rt->fn(req, resp);
	if (resp->status == 0)
		http_error(resp, 500, "internal", "handler produced no response");
}

/* A class pool's job: the request of a suspended connection.  Whatever
 * happens it leaves an answer in cs->resp and resumes the connection;
 * libmicrohttpd then calls on_request again, which sends it. */
static void
job_run(struct http_job *job, int cancelled)
{
	struct conn_state *cs =
	    (struct conn_state *)(void *)((char *)job - offsetof(struct conn_state, job));

	if (cancelled) {
		http_error(&cs->resp, 503, "shutting_down",
		           "the server is stopping; retry");
		snprintf(cs->resp.extra_headers, sizeof(cs->resp.extra_headers),
		         "Retry-After: %d\nConnection: close\n", RETRY_AFTER_S);
	} else if (http_clock_ms() >= cs->req.deadline) {
		/* Its whole time went waiting in the queue: nobody is served
		 * by starting it now. */
		resp_busy(&cs->resp, cs->rt->cls, "batas waktu habis dalam antrean",
		          "deadline passed in the queue");
	} else {
		route_run(cs->rt, &cs->req, &cs->resp);
	}
	cs->done = 1;
	MHD_resume_connection(cs->conn);
}

/* The client certificate the browser presented on the portal's listener,
 * if any: its DER borrowed from the TLS session, and GnuTLS's verdict on
 * it against [portal] client_ca (chain, signatures, validity).  GnuTLS has
 * already checked in the handshake that the peer holds its key
 * (CertificateVerify, RFC 8446 4.4.3). */
static void
peer_cert_read(struct http_req *req, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	const gnutls_datum_t *peers;
	gnutls_session_t tls;
	unsigned int n = 0, status = 0;

	if (ci == NULL || ci->tls_session == NULL)
		return;
	tls = (gnutls_session_t)ci->tls_session;
	if (gnutls_certificate_type_get(tls) != GNUTLS_CRT_X509 ||
	    (peers = gnutls_certificate_get_peers(tls, &n)) == NULL || n == 0 ||
	    peers[0].size == 0)
		return;
	req->peer_cert_der = peers[0].data;
	req->peer_cert_len = peers[0].size;
	if (gnutls_certificate_verify_peers2(tls, &status) < 0)
		status = GNUTLS_CERT_INVALID;
	req->peer_cert_status = status;
	req->peer_cert_trusted = status == 0;
}

static enum MHD_Result
dispatch(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
         const char *method, struct conn_state *cs)
{
	struct http_resp resp;
	struct http_req *req = &cs->req;
	const struct route *rt = NULL;
	struct http_pool *pool;
	int path_known = 0;
	size_t i;

	/* Called again after a pool worker resumed the connection. */
	if (cs->done)
		return send_resp(c, &cs->resp);
	memset(&resp, 0, sizeof(resp));
	if (cs->refused) {
		http_error(&resp, 503, "shutting_down", "the server is stopping; retry");
		snprintf(resp.extra_headers, sizeof(resp.extra_headers),
		         "Retry-After: 5\nConnection: close\n");
		return send_resp(c, &resp);
	}
	if (cs->too_big) {
		http_error(&resp, 413, "too_large", "request body exceeds %zu bytes",
		           cs->body.max);
		return send_resp(c, &resp);
	}
	if (strlen(url) > MAX_URL) {
		http_error(&resp, 414, "uri_too_long", "URL too long");
		return send_resp(c, &resp);
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		int match = routes[i].prefix ? strncmp(url, routes[i].path,
		                                       strlen(routes[i].path)) == 0
		                             : strcmp(url, routes[i].path) == 0;
		if (!match)
			continue;
		path_known = 1;
		if (strcmp(method, routes[i].method) == 0 ||
		    (strcmp(method, "HEAD") == 0 &&
		     strcmp(routes[i].method, "GET") == 0)) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL) {
		if (path_known)
			http_error(&resp, 405, "method_not_allowed",
			           "%s not allowed on %s", method, url);
		else if (!api_esign_not_found(&resp, url))
			http_error(&resp, 404, "not_found", "no such resource: %s", url);
		return send_resp(c, &resp);
	}
	/* The portal's listener serves the portal (and its style sheet and
	 * health check), nothing else: the API keeps its own listener, where
	 * no client certificate is asked for. */
	if (cs->portal && strncmp(rt->path, "/portal", 7) != 0 &&
	    strcmp(rt->path, "/static/") != 0 && strcmp(rt->path, "/healthz") != 0) {
		http_error(&resp, 404, "not_found",
		           "%s: this is the portal's listener ([portal] listen)", url);
		return send_resp(c, &resp);
	}
	if (rt->needs_ca && ctx->issuing == NULL) {
		http_error(&resp, 404, "not_found",
		           "%s: an RA-only instance has no CA of its own; certificates, "
		           "CRLs, OCSP and timestamps are the upstream issuer's",
		           url);
		return send_resp(c, &resp);
	}
	memset(req, 0, sizeof(*req));
	req->deadline = http_clock_ms() + deadline_ms;
	req->method = method;
	req->path = url;
	req->body = cs->body.data ? cs->body.data : (const unsigned char *)"";
	req->body_len = cs->body.len;
	req->conn = c;
	req->ctx = ctx;
	if (cs->portal)
		peer_cert_read(req, c);
	if ((pool = pools[rt->cls]) == NULL) {
		route_run(rt, req, &resp);
		return send_resp(c, &resp);
	}
	/* Suspended before it is queued: the worker's resume must never come
	 * before the suspension it ends. */
	cs->rt = rt;
	cs->conn = c;
	cs->job.run = job_run;
	MHD_suspend_connection(c);
	if (http_pool_submit(pool, &cs->job) < 0) {
		sertel_err_clear();
		resp_busy(&cs->resp, rt->cls, "antrean penuh", "queue full");
		cs->done = 1;
		MHD_resume_connection(c);
	}
	return MHD_YES;
}

/* ---- CRL freshness ------------------------------------------------------ */
int
http_crl_refresh(struct http_ctx *ctx, struct store *st, const char *id, int force)
{
	struct ca *ca = NULL;
	unsigned char *der = NULL;
	size_t len;
	int64_t next = 0, now = time_now(),
	        period = (int64_t)ctx->in->pc.crl_next_update_hours * 3600;
	int rc;

	if (ctx->issuing != NULL && strcmp(id, ctx->issuing->rec.id) == 0)
		ca = ctx->issuing;
	else if (ctx->root != NULL && strcmp(id, ctx->root->rec.id) == 0)
		ca = ctx->root;
	else
		return SERTEL_ENOTFOUND;
	if (!force) {
		rc = store_crl_latest(st, id, &der, &len, &next);
		free(der);
		if (rc < 0 && rc != SERTEL_ENOTFOUND)
			return rc;
		if (rc == 0 && next - now > period / 2)
			return 0;
	}
	if ((rc = store_begin(st)) < 0)
		return rc;
	if ((rc = crl_publish(NULL, NULL, ca, st, &ctx->in->pc, "system:crl-refresh")) <
	    0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

/* Keeps every CRL fresh even when nobody revokes or fetches anything. */
static atomic_int refresher_stop;

static void *
crl_refresher(void *arg)
{
	struct http_ctx *ctx = arg;
	struct store *st = NULL;
	int i;

	if (instance_store_open(ctx->in, &st) < 0) {
		log_msg(LOG_ERROR, "crl refresher: %s", sertel_errmsg());
		return NULL;
	}
	while (!atomic_load(&refresher_stop)) {
		if (http_crl_refresh(ctx, st, ctx->issuing->rec.id, 0) < 0 ||
		    http_crl_refresh(ctx, st, ctx->root->rec.id, 0) < 0)
			log_msg(LOG_ERROR, "crl refresh: %s", sertel_errmsg());
		for (i = 0; i < 60 && !atomic_load(&refresher_stop); i++)
			sleep(1);
	}
	store_close(st);
	return NULL;
}

/* The body limit of a request, decided before any of it is read: routes
 * that carry attachments (base64 in JSON) take [server] max_upload_bytes,
 * but only for a caller with a valid token, so nobody unauthenticated
 * makes a worker hold more than max_request_bytes. */
/* The governance routes that carry documents (the staffing system's CSV,
 * plan and decree PDFs, ticket attachments): [server] max_upload_bytes
 * for authenticated callers, as the RA's letters. */
static int
gov_upload_path(const char *method, const char *url)
{
	static const char *const exact[] = {"/api/v1/gov/staff/import",
	                                    "/api/v1/gov/decrees", "/api/v1/gov/tickets"};
	static const char *const below[] = {"/api/v1/gov/plans/", "/api/v1/gov/tickets/"};
	size_t i;

	if (strcmp(method, "POST") != 0)
		return 0;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(url, exact[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(below) / sizeof(below[0]); i++)
		if (strncmp(url, below[i], strlen(below[i])) == 0)
			return 1;
	return 0;
}

static size_t
body_limit(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
           const char *method)
{
	struct http_resp resp;
	struct http_req req;
	size_t limit = ctx->max_body;

	if (strcmp(method, "POST") == 0 && api_esign_path(url))
		return api_esign_body_limit(ctx, c, url);
	if (ctx->max_upload <= ctx->max_body ||
	    !(api_ra_upload_path(method, url) || gov_upload_path(method, url)))
		return limit;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.conn = c;
	req.ctx = ctx;
	if (http_thread_store(&req.st, ctx) == 0 && http_auth(&req, &resp) == 0)
		limit = ctx->max_upload;
	free(resp.body);
	sertel_err_clear();
	return limit;
}

/* Notices: delivers the mail queue and queues expiry reminders.  Its own
 * connection: mail_flush refuses to run inside the batcher's transaction. */
static atomic_int notices_stop;

static void *
notices_thread(void *arg)
{
	struct http_ctx *ctx = arg;
	struct store *st = NULL;
	struct mail_conf mc;
	int64_t next_remind = 0;
	long long poll = config_get_int(ctx->in->cfg, "smtp", "poll_seconds", 5);
	int sent, failed, reminded, expired, i;

	if (instance_store_open(ctx->in, &st) < 0 ||
	    mail_conf_load(&mc, ctx->in->cfg) < 0) {
		log_msg(LOG_ERROR, "notices: %s", sertel_errmsg());
		store_close(st);
		return NULL;
	}
	while (!atomic_load(&notices_stop)) {
		if (time_now() >= next_remind) {
			if (ra_remind(st, "system:reminder", ctx->policy.reminder_days,
			              &reminded) < 0)
				log_msg(LOG_ERROR, "reminders: %s", sertel_errmsg());
			else if (reminded > 0)
				log_msg(LOG_INFO, "reminders: %d queued", reminded);
			/* Signing flows past their keeping time: files and
			 * previews deleted even when nobody lists or uploads. */
			if (esign_flow_expire(st, time_now(), &expired) < 0)
				log_msg(LOG_ERROR, "signing flows: %s", sertel_errmsg());
			else if (expired > 0)
				log_msg(LOG_INFO, "signing flows: %d expired", expired);
			next_remind = time_now() + 3600;
		}
		sent = failed = 0;
		if (mc.enabled && mail_flush(st, &mc, &sent, &failed) < 0)
			log_msg(LOG_ERROR, "mail: %s", sertel_errmsg());
		/* Governance: what is due after this delivery (issue 13). */
		if (gov_tick(st, ctx->in->cfg, time_now()) < 0)
			log_msg(LOG_ERROR, "governance: %s", sertel_errmsg());
		/* A full batch means more is waiting: go again at once. */
		if (sent + failed >= MAIL_FLUSH_BATCH)
			continue;
		for (i = 0; i < poll && !atomic_load(&notices_stop); i++)
			sleep(1);
	}
	mail_conf_clear(&mc);
	store_close(st);
	return NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size,
           void **con_cls)
{
	const struct listener *ls = cls;
	struct http_ctx *ctx = ls->ctx;
	struct conn_state *cs = *con_cls;
	const char *cl;
	long long n;

	if (cs == NULL) {
		if ((cs = calloc(1, sizeof(*cs))) == NULL)
			return MHD_NO;
		/* The daemon's timeout is [server] handshake_timeout_seconds, for
		 * the TLS handshake and the request's headers; a connection that
		 * got that far has the ordinary inactivity timeout. */
		MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
		                          (unsigned int)CONN_TIMEOUT_S);
		atomic_fetch_add(&inflight, 1);
		cs->refused = atomic_load(&stopping) != 0;
		cs->portal = ls->portal;
		buf_init(&cs->body, body_limit(ctx, c, url, method));
		/* Refuse a declared oversized body before reading any of it. */
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl != NULL && parse_ll(&n, cl, 0, 1LL << 50) == 0 &&
		    (size_t)n > cs->body.max)
			cs->too_big = 1;
		*con_cls = cs;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!cs->too_big &&
		    buf_append(&cs->body, upload_data, *upload_data_size) < 0)
			cs->too_big = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return dispatch(ctx, c, url, method, cs);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;

	if (cs == NULL)
		return;
	buf_free(&cs->body);
	free(cs->resp.body);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&inflight, 1);
}

static int
parse_listen(struct sockaddr_in *sa, const char *listen)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	long long port;
	size_t hl;

	if (colon == NULL || (hl = (size_t)(colon - listen)) >= sizeof(host))
		return sertel_err(SERTEL_EINVAL, "--listen '%s': expected ADDR:PORT",
		                  listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (parse_ll(&port, colon + 1, 1, 65535) < 0)
		return sertel_err(SERTEL_EINVAL, "--listen '%s': port 1..65535", listen);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		str_copy(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return sertel_err(SERTEL_EINVAL, "--listen '%s': bad IPv4 address",
		                  listen);
	return 0;
}

/* ---- TLS ------------------------------------------------------------------ */
/* [server] tls_cert (PEM: the server certificate, then its issuing CA) and
 * tls_key (PEM private key, mode 0600), relative to the instance
 * directory; libmicrohttpd serves them with GnuTLS.  Neither set: plain
 * HTTP.  The portal's own listener reads [portal] tls_cert and tls_key
 * (default: the [server] ones) and always speaks TLS, with the trusted
 * client CAs in trust.  The memory stays alive until the daemon stops. */
struct tls_conf {
	char *cert;
	char *key;
	size_t key_len;
	char *trust; /* PEM of the client CAs ([portal] client_ca) or NULL */
	struct MHD_OptionItem opts[5];
};

static void
tls_clear(struct tls_conf *t)
{
	if (t->key != NULL)
		secure_wipe(t->key, t->key_len);
	free(t->key);
	free(t->cert);
	free(t->trust);
	t->key = t->cert = t->trust = NULL;
}

static int
tls_path(char *out, size_t outsz, const char *dir, const char *v)
{
	int n = v[0] == '/' ? snprintf(out, outsz, "%s", v)
	                    : snprintf(out, outsz, "%s/%s", dir, v);

	return n < 0 || (size_t)n >= outsz
	           ? sertel_err(SERTEL_EINVAL, "%s: path too long", v)
	           : 0;
}

/* sect's key, falling back to [server]'s. */
static const char *
tls_conf_get(struct instance *in, const char *sect, const char *key, const char *def)
{
	const char *v = config_get(in->cfg, "server", key, def);

	return strcmp(sect, "server") == 0 ? v : config_get(in->cfg, sect, key, v);
}

/* The TLS options of the listener of section sect ("server" or "portal").
 * trust: PEM of the CAs whose client certificates are asked for (NULL:
 * none asked for); t takes it over. */
static int
tls_load(struct tls_conf *t, struct instance *in, const char *sect, char *trust)
{
	const char *cert = tls_conf_get(in, sect, "tls_cert", NULL),
	           *key = tls_conf_get(in, sect, "tls_key", NULL),
	           *prio =
	               tls_conf_get(in, sect, "tls_priorities", TLS_PRIORITIES_DEFAULT);
	char path[2048];
	struct stat sb;
	size_t len;
	int rc, n;

	t->trust = trust;
	t->opts[0].option = MHD_OPTION_END;
	if (cert == NULL && key == NULL && trust == NULL)
		return 0;
	if (cert == NULL || key == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  trust != NULL
		                      ? "[%s] listen: the portal's listener speaks TLS; "
		                        "set tls_cert and tls_key ([%s] or [server])"
		                      : "[%s] tls_cert and tls_key go together%s",
		                  sect, trust != NULL ? sect : "");
	/* GnuTLS parses it when the daemon starts; a bad one is reported
	 * there with GnuTLS's reason (mhd_log). */
	if (prio[0] == '\0' || strlen(prio) > 1024)
		return sertel_err(SERTEL_EINVAL,
		                  "[%s] tls_priorities: a GnuTLS priority string "
		                  "of 1..1024 characters",
		                  sect);
	if (!(MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES))
		return sertel_err(SERTEL_EINVAL,
		                  "[%s] tls_cert: libmicrohttpd was built without TLS",
		                  sect);
	if ((rc = tls_path(path, sizeof(path), in->dir, key)) < 0)
		return rc;
	if (stat(path, &sb) != 0)
		return sertel_err(SERTEL_EINVAL, "[%s] tls_key %s: %s", sect, path,
		                  strerror(errno));
	if (sb.st_mode & 077)
		return sertel_err(SERTEL_EINVAL,
		                  "[%s] tls_key %s: readable by others (chmod 600)", sect,
		                  path);
	if ((rc = file_read((unsigned char **)&t->key, &t->key_len, path, 64 * 1024)) < 0)
		return rc;
	if ((rc = tls_path(path, sizeof(path), in->dir, cert)) < 0 ||
	    (rc = file_read((unsigned char **)&t->cert, &len, path, 256 * 1024)) < 0) {
		tls_clear(t);
		return rc;
	}
	if (strstr(t->cert, "-----BEGIN CERTIFICATE-----") == NULL ||
	    strstr(t->key, "PRIVATE KEY-----") == NULL) {
		tls_clear(t);
		return sertel_err(SERTEL_EINVAL,
		                  "[%s] tls_cert/tls_key: expected PEM certificate and "
		                  "private key",
		                  sect);
	}
	n = 0;
	t->opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, t->key};
	t->opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, t->cert};
	t->opts[n++] =
	    (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)prio};
	/* libmicrohttpd 0.9.75 with a trust list sets GNUTLS_CERT_REQUEST on
	 * every session: the certificate is asked for, not required, so an
	 * applicant without one still reaches the link login. */
	if (trust != NULL)
		t->opts[n++] =
		    (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0, t->trust};
	t->opts[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	return 0;
}

/* The client CAs of the portal's listener: [portal] client_ca (a PEM file,
 * relative to the instance directory), by default this instance's issuing
 * CA and root: the certificates a portal login accepts are the ones issued
 * here (portal_cert_login checks the exact bytes). */
static int
portal_trust_load(char **out, struct instance *in, const struct http_ctx *ctx)
{
	const char *ca = config_get(in->cfg, "portal", "client_ca", NULL);
	char path[2048], *pem = NULL;
	size_t len, a, b;
	int rc;

	*out = NULL;
	if (ca != NULL) {
		if ((rc = tls_path(path, sizeof(path), in->dir, ca)) < 0 ||
		    (rc = file_read((unsigned char **)&pem, &len, path, 256 * 1024)) < 0)
			return rc;
		if (strstr(pem, "-----BEGIN CERTIFICATE-----") == NULL) {
			free(pem);
			return sertel_err(
			    SERTEL_EINVAL,
			    "[portal] client_ca %s: expected PEM certificates", path);
		}
		*out = pem;
		return 0;
	}
	if (ctx->chain_pem[0] == NULL || ctx->chain_pem[1] == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "[portal] client_ca: an RA-only instance has no CA of "
		                  "its own; name the upstream's issuing CA (PEM)");
	a = strlen(ctx->chain_pem[0]);
	b = strlen(ctx->chain_pem[1]);
	if ((pem = malloc(a + b + 1)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	memcpy(pem, ctx->chain_pem[0], a);
	memcpy(pem + a, ctx->chain_pem[1], b + 1);
	*out = pem;
	return 0;
}

/* libmicrohttpd's own messages.  Until the daemon runs, the last one is
 * kept for the startup error (GnuTLS's reason for a bad tls_priorities);
 * after, they go to the debug log: every peer that breaks off a handshake
 * makes one, and nobody outside should be able to fill the log. */
static char mhd_last[256];
static atomic_int mhd_running;

static void __attribute__((format(printf, 2, 0)))
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[256];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	for (n = strlen(line); n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r');)
		line[--n] = '\0';
	if (!atomic_load(&mhd_running))
		str_copy(mhd_last, sizeof(mhd_last), line);
	log_msg(atomic_load(&mhd_running) ? LOG_DEBUG : LOG_WARN, "libmicrohttpd: %s",
	        line);
}

/* [server] key as a whole number in min..max (absent: def). */
static int
conf_int(long long *out, struct instance *in, const char *key, long long def,
         long long min, long long max)
{
	const char *v = config_get(in->cfg, "server", key, NULL);

	*out = def;
	if (v != NULL && parse_ll(out, v, min, max) < 0)
		return sertel_err(SERTEL_EINVAL,
		                  "[server] %s = '%s': a number %lld..%lld", key, v, min,
		                  max);
	return 0;
}

static void
pools_free(void)
{
	int i;

	for (i = 0; i < RC_COUNT; i++) {
		http_pool_free(pools[i]);
		pools[i] = NULL;
	}
}

/* One libmicrohttpd daemon on sa (the main one, or the portal's). */
static struct MHD_Daemon *
daemon_start(struct tls_conf *tls, struct sockaddr_in *sa, struct listener *ls,
             long long threads, long long hs_timeout, long long per_ip)
{
	return MHD_start_daemon(
	    MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
	        MHD_USE_ERROR_LOG | (tls->key != NULL ? MHD_USE_TLS : 0),
	    0, NULL, NULL, on_request, ls, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_ARRAY, tls->opts, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)hs_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)per_ip,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, ls->ctx, MHD_OPTION_END);
}

int
http_serve(struct instance *in, const char *listen)
{
	struct http_ctx ctx;
	struct MHD_Daemon *d = NULL, *pd = NULL;
	struct sockaddr_in sa, psa;
	struct listener main_ls, portal_ls;
	const char *plisten;
	char *trust = NULL;
	struct tls_conf ptls;
	sigset_t set;
	long long threads, hs_timeout, per_ip, pub_w, pub_q, api_w, api_q, deadline;
	pthread_t refresher, notices;
	struct tls_conf tls;
	struct issuer_rec probe;
	int have_notices = 0, ra_only;
	long long grace, i;
	int rc, sig, have_refresher = 0;

	memset(&ctx, 0, sizeof(ctx));
	memset(&tls, 0, sizeof(tls));
	memset(&ptls, 0, sizeof(ptls));
	tls.opts[0].option = MHD_OPTION_END;
	ptls.opts[0].option = MHD_OPTION_END;
	ctx.in = in;
	main_ls = (struct listener){&ctx, 0};
	portal_ls = (struct listener){&ctx, 1};
	if (listen == NULL)
		listen = config_get(in->cfg, "server", "listen", "127.0.0.1:8080");
	if ((rc = parse_listen(&sa, listen)) < 0)
		goto out;
	/* The portal's own listener: HTTPS asking for a client certificate
	 * (operators and officials log in with theirs), in this process. */
	plisten = config_get(in->cfg, "portal", "listen", NULL);
	if (plisten != NULL && (rc = parse_listen(&psa, plisten)) < 0)
		goto out;
	threads = config_get_int(in->cfg, "server", "threads", 32);
	if (threads < 1 || threads > MAX_THREADS) {
		rc = sertel_err(SERTEL_EINVAL, "[server] threads: 1..%d", MAX_THREADS);
		goto out;
	}
	/* Issue 19: connection and worker limits; defaults for a 2-core
	 * machine (docs/api.md, Limits). */
	if ((rc = conf_int(&hs_timeout, in, "handshake_timeout_seconds", 10, 1,
	                   CONN_TIMEOUT_S)) < 0 ||
	    (rc = conf_int(&per_ip, in, "max_connections_per_ip", 64, 1,
	                   MAX_CONNECTIONS)) < 0 ||
	    (rc = conf_int(&pub_w, in, "public_workers", 2, 1, HTTP_POOL_MAX_WORKERS)) <
	        0 ||
	    (rc = conf_int(&pub_q, in, "public_queue", 16, 0, HTTP_POOL_MAX_QUEUE)) < 0 ||
	    (rc = conf_int(&api_w, in, "api_workers", 8, 1, HTTP_POOL_MAX_WORKERS)) < 0 ||
	    (rc = conf_int(&api_q, in, "api_queue", 64, 0, HTTP_POOL_MAX_QUEUE)) < 0 ||
	    (rc = conf_int(&deadline, in, "request_deadline_seconds", 30, 1, 3600)) < 0 ||
	    (rc = ra_policy_load(&ctx.policy, in->cfg)) < 0)
		goto out;
	deadline_ms = deadline * 1000;
	ctx.max_body = (size_t)config_get_int(in->cfg, "server", "max_request_bytes",
	                                      SERTEL_MAX_REQUEST);
	/* One attachment of RA_ATTACH_MAX as base64, with its JSON around it. */
	ctx.max_upload = (size_t)config_get_int(in->cfg, "server", "max_upload_bytes",
	                                        16 * 1024 * 1024);
	/* An RA-only instance ([issuer] mode = upstream, no hierarchy of its
	 * own) serves the RA only. */
	ra_only = 0;
	if (ctx.policy.issuer_upstream) {
		rc = store_issuer_by_role(in->st, "issuing", &probe);
		if (rc == SERTEL_ENOTFOUND)
			ra_only = 1;
		else if (rc < 0)
			goto out;
		else
			issuer_rec_free(&probe);
	}
	if (!ra_only && (rc = ca_load(&ctx.issuing, in->st, "issuing", in->master)) < 0)
		goto out;
	/* Group commit: small write transactions from all workers share one
	 * writer and one commit (store/batch.c). */
	if (config_get_int(in->cfg, "server", "group_commit", 1) != 0 &&
	    ((rc = instance_store_open(in, &ctx.batch_store)) < 0 ||
	     (rc = store_batch_new(&ctx.batch, ctx.batch_store)) < 0))
		goto out;
	if ((!ra_only &&
	     ((rc = ca_load(&ctx.root, in->st, "root", in->master)) < 0 ||
	      (rc = pem_from_der(&ctx.chain_pem[0], ctx.issuing->rec.cert_der,
	                         ctx.issuing->rec.cert_len, "CERTIFICATE")) < 0 ||
	      (rc = pem_from_der(&ctx.chain_pem[1], ctx.root->rec.cert_der,
	                         ctx.root->rec.cert_len, "CERTIFICATE")) < 0 ||
	      (rc = http_va_setup(&ctx)) < 0)) ||
	    (rc = issuer_open(&ctx.issuer, in, ctx.issuing)) < 0 ||
	    (rc = tls_load(&tls, in, "server", NULL)) < 0 ||
	    (plisten != NULL && ((rc = portal_trust_load(&trust, in, &ctx)) < 0 ||
	                         (rc = tls_load(&ptls, in, "portal", trust)) < 0)))
		goto out;
	/* Before any request: the handlers only read it. */
	api_esign_setup(&ctx);

	/* Workers inherit this mask, so only sigwait() below sees the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The class pools' threads inherit the mask too. */
	if ((rc = http_pool_new(&pools[RC_PUBLIC], class_names[RC_PUBLIC], (int)pub_w,
	                        (int)pub_q)) == 0)
		rc = http_pool_new(&pools[RC_API], class_names[RC_API], (int)api_w,
		                   (int)api_q);
	/* Poll, not epoll: libmicrohttpd 0.9.75 with epoll and TLS neither
	 * times out a connection still in its handshake nor notices its peer
	 * closing it (issue 19: 1,030 silent connects left the HTTPS port
	 * dead, the sockets in CLOSE-WAIT).  The timeout of the daemon is the
	 * handshake's; on_request raises it once a request has arrived. */
	atomic_store(&mhd_running, 0);
	mhd_last[0] = '\0';
	if (rc == 0 &&
	    (d = daemon_start(&tls, &sa, &main_ls, threads, hs_timeout, per_ip)) == NULL)
		rc =
		    tls.key != NULL
		        ? sertel_err(SERTEL_EIO,
		                     "cannot listen on %s with TLS (%s): is the port "
		                     "free, do [server] tls_cert and tls_key match, "
		                     "is tls_priorities a GnuTLS priority string?",
		                     listen, mhd_last[0] != '\0' ? mhd_last : "no detail")
		        : sertel_err(SERTEL_EIO, "cannot listen on %s: %s", listen,
		                     strerror(errno));
	/* A quarter of the threads: the portal's pages run on the API pool
	 * like the main listener's, these threads only read and write. */
	if (rc == 0 && plisten != NULL &&
	    (pd = daemon_start(&ptls, &psa, &portal_ls, threads / 4 + 1, hs_timeout,
	                       per_ip)) == NULL) {
		rc = sertel_err(SERTEL_EIO,
		                "[portal] listen = %s: cannot listen with TLS (%s): is "
		                "the port free, do tls_cert and tls_key match, is "
		                "client_ca PEM?",
		                plisten, mhd_last[0] != '\0' ? mhd_last : "no detail");
		MHD_stop_daemon(d);
		d = NULL;
	}
	if (rc < 0)
		goto out;
	atomic_store(&mhd_running, 1);
	log_msg(LOG_INFO, "listening on %s://%s (%lld threads, issuer %s)",
	        tls.key ? "https" : "http", listen, threads, issuer_mode(ctx.issuer));
	if (pd != NULL)
		log_msg(LOG_INFO,
		        "portal listening on https://%s (client certificates "
		        "asked for, not required)",
		        plisten);
	atomic_store(&stopping, 0);
	atomic_store(&refresher_stop, 0);
	if (ra_only)
		; /* no CRLs of our own */
	else if (pthread_create(&refresher, NULL, crl_refresher, &ctx) != 0)
		log_msg(LOG_ERROR, "crl refresher: cannot start");
	else
		have_refresher = 1;
	atomic_store(&notices_stop, 0);
	if (pthread_create(&notices, NULL, notices_thread, &ctx) != 0)
		log_msg(LOG_ERROR, "notices: cannot start");
	else
		have_notices = 1;
	for (;;) {
		if (sigwait(&set, &sig) == 0 && (sig == SIGTERM || sig == SIGINT))
			break;
	}
	log_msg(LOG_INFO, "signal %d: stopping", sig);
	/* Stop accepting, then let running requests finish and their
	 * responses go out (bounded by [server] shutdown_grace_seconds). */
	atomic_store(&stopping, 1);
	MHD_quiesce_daemon(d);
	if (pd != NULL)
		MHD_quiesce_daemon(pd);
	grace = config_get_int(in->cfg, "server", "shutdown_grace_seconds", 10) * 100;
	for (i = 0; i < grace && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	if (atomic_load(&inflight) > 0)
		log_msg(LOG_WARN, "stopping with %d requests unfinished",
		        atomic_load(&inflight));
	/* Before the daemon: every suspended connection is resumed (queued
	 * jobs answer 503), which libmicrohttpd needs to stop.  Freed only
	 * after it: a request still arriving is refused by the stopped pool. */
	for (i = 0; i < RC_COUNT; i++)
		http_pool_stop(pools[i]);
	/* Their answers (503 for the queued) go out before the daemon
	 * closes the connections: a second, short wait. */
	for (i = 0; i < 100 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	if (pd != NULL)
		MHD_stop_daemon(pd);
	atomic_store(&refresher_stop, 1);
	atomic_store(&notices_stop, 1);
	if (have_refresher)
		pthread_join(refresher, NULL);
	if (have_notices)
		pthread_join(notices, NULL);
	log_msg(LOG_INFO, "stopped");
	rc = 0;
out:
	/* The one way out, whether start-up failed part way or the server
	 * ran: each piece is freed when it was made (all start zeroed). */
	pools_free();
	stores_close_all();
	api_esign_teardown(&ctx);
	issuer_free(ctx.issuer);
	if (ptls.trust == NULL)
		free(trust);
	tls_clear(&tls);
	tls_clear(&ptls);
	free(ctx.chain_pem[0]);
	free(ctx.chain_pem[1]);
	store_batch_free(ctx.batch);
	store_close(ctx.batch_store);
	http_va_teardown(&ctx);
	ca_free(ctx.issuing);
	ca_free(ctx.root);
	return rc;
}
