/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface between the server core (server.c) and the route
 * handlers (api_*.c).  Handlers see a parsed request and fill a response;
 * they never touch libmicrohttpd.
 */
#ifndef SERTEL_HTTP_INT_H
#define SERTEL_HTTP_INT_H

#include <jansson.h>

#include "http/http.h"
#include "pki/pki.h"
#include "ra/ra.h"

struct http_ctx {
	struct instance *in;
	struct ca *issuing; /* loaded once, shared read-only by all threads */
	struct ca *root;    /* for the root CRL only */
	struct ca *ocsp_signer;
	struct ca *tsa_signer;
	struct ocsp_responder *ocsp;
	struct tsa *tsa;
	int64_t ocsp_validity;
	size_t max_body;
	size_t max_upload; /* routes carrying attachments, authenticated callers */
	/* Where RA issuance and revocation go: the CA above or the upstream. */
	struct issuer *issuer;
	/* PEM of the issuing and root CA, sent with every issued certificate. */
	char *chain_pem[2];
	/* Group commit for every worker's writes (NULL when disabled). */
	struct store_batch *batch;
	struct store *batch_store;
	/* The RA's policy (src/ra/policy.c), read once at start. */
	struct ra_policy policy;
	/* The e-sign service (api_esign_setup, before the listeners): NULL
	 * when its configuration is wrong (logged; its routes answer 500). */
	struct esign_conf *esign_conf;
	struct esign_ctx *esign;
	int esign_rc; /* why it is NULL */
};

/* This worker thread's store connection (opened on first use). */
int http_thread_store(struct store **out, struct http_ctx *ctx);
/* Monotonic milliseconds (CLOCK_MONOTONIC), the clock of deadlines. */
int64_t http_clock_ms(void);

/* Worker pools of the route classes (pool.c): a fixed number of threads
 * and a bounded queue of jobs waiting for them. */
#define HTTP_POOL_MAX_WORKERS 32
#define HTTP_POOL_MAX_QUEUE   1024
struct http_job {
	/* Runs on a pool thread; cancelled: the pool is stopping, answer
	 * without doing the work. */
	void (*run)(struct http_job *job, int cancelled);
	struct http_job *next; /* the pool's */
};
struct http_pool;
/* Starts workers threads (1..HTTP_POOL_MAX_WORKERS) taking jobs from a
 * queue of at most queue waiting jobs; *out owned by the caller. */
int http_pool_new(struct http_pool **out, const char *name, int workers, int queue);
/* Queues job (borrowed until its run returns); SERTEL_ETOOBIG when the
 * queue is full or the pool stopping: the caller answers 503. */
int http_pool_submit(struct http_pool *p, struct http_job *job);
/* Stops the pool: queued jobs run cancelled, running ones finish, the
 * threads are joined; later submissions are refused.  Accepts NULL. */
void http_pool_stop(struct http_pool *p);
/* Stops the pool if it runs, then frees it.  Accepts NULL. */
void http_pool_free(struct http_pool *p);

/* OCSP responder and TSA from the instance (api_va.c). */
int http_va_setup(struct http_ctx *ctx);
void http_va_teardown(struct http_ctx *ctx);

/* Publishes a fresh CRL for issuer id when less than half of the current
 * one's lifetime is left (force: always).  SERTEL_ENOTFOUND for an id we
 * do not sign CRLs for. */
int http_crl_refresh(struct http_ctx *ctx, struct store *st, const char *id, int force);

struct http_req {
	/* The request's total deadline, in http_clock_ms() time: the moment
	 * its body was complete plus [server] request_deadline_seconds.  Time
	 * spent waiting for a worker of its route class counts; a request
	 * still queued at its deadline is answered 503 without running.
	 * Handlers that wait on others (the verifier's fetches) should give
	 * up by this time: what is left is deadline - http_clock_ms(). */
	int64_t deadline;
	const char *method;
	const char *path;
	const unsigned char *body;
	size_t body_len;
	void *conn; /* struct MHD_Connection *, for header lookups */
	struct http_ctx *ctx;
	struct store *st; /* this thread's connection */
	/* The portal's own listener ([portal] listen) asks the browser for a
	 * TLS client certificate without requiring one.  When one was
	 * presented: its DER (borrowed from the TLS session, alive as long
	 * as the connection) and whether it chains to [portal] client_ca
	 * and is within its validity (GnuTLS's check; the portal then
	 * checks it against the store, portal_cert_login).  NULL/0 on the
	 * main listener and without a certificate. */
	const unsigned char *peer_cert_der;
	size_t peer_cert_len;
	int peer_cert_trusted;
	unsigned peer_cert_status; /* GnuTLS's verification status bits */
	/* Set by authentication: */
	char actor[96];
	char role[32];      /* the token's role; "person" for a person's token */
	struct ra_actor ra; /* who acts in the RA (roles 0: nobody there) */
};

struct http_resp {
	int status;
	const char *ctype;
	unsigned char *body; /* owned; freed by the server */
	size_t len;
	char extra_headers[2048]; /* "Name: value\n" lines */
};

/* A header value of the request (borrowed) or NULL. */
const char *http_header(struct http_req *r, const char *name);
/* A query-string argument of the request (borrowed) or NULL. */
const char *http_query(struct http_req *r, const char *name);
/* Authenticates the bearer token; on failure fills resp with 401 (429
 * when the address or the token is throttled, 400 for a NUL). */
int http_auth(struct http_req *r, struct http_resp *resp);
/* The peer's address as text ("unknown" when none), auth.c. */
void http_peer_addr(char out[64], struct http_req *r);
/* The Authorization header (borrowed; NULL when absent); SERTEL_EINVAL
 * with a 400 in resp when it carries a NUL byte. */
int http_auth_header(const char **out, struct http_req *r, struct http_resp *resp);
/* Before checking a credential (cred: its throttle key, NULL for the
 * address alone): SERTEL_EAUTH with 429 and Retry-After in resp when the
 * peer address or the credential is blocked ([server] auth_*). */
int http_auth_throttle(struct http_req *r, struct http_resp *resp, const char *cred);
/* After a wrong credential: counts it against the address and cred and
 * writes the rate-limited audit entries (auth.fail, auth.throttle).  Not
 * counted for the body-limit probe (a request without a method). */
void http_auth_fail(struct http_req *r, const char *cred, const char *what);
/* Role check; on failure fills resp with 403. */
int http_allow(struct http_req *r, struct http_resp *resp, const char *perm);
/* Sets a JSON body (steals j). */
void http_json(struct http_resp *resp, int status, json_t *j);
/* Sets {"error": msg, "code": name} with the status for rc. */
void http_error(struct http_resp *resp, int status, const char *code, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));
/* Maps a SERTEL_E* code to an HTTP status and a JSON error. */
void http_error_rc(struct http_resp *resp, int rc);
/* Parses the request body as a JSON object; on failure fills resp (400). */
json_t *http_json_body(struct http_req *r, struct http_resp *resp);
/* Unknown fields of a JSON body are refused (400 with the field named):
 * a typo must not silently drop a value.  allowed[0..n). */
int http_fields_check(json_t *j, const char *const *allowed, size_t n,
                      struct http_resp *resp);
/* j[key]: absent/null, or an array of at most max strings, borrowed from
 * j into out[0..*n); otherwise 400 in resp and SERTEL_EINVAL. */
int http_json_names(const char **out, int *n, int max, json_t *j, const char *key,
                    struct http_resp *resp);

/* ---- multipart/form-data (multipart.c) -------------------------------------- */
#define HTTP_MULTIPART_MAX 64
enum http_mp_error {
	HTTP_MP_OK,
	HTTP_MP_NOT_MULTIPART,
	HTTP_MP_MALFORMED,
	HTTP_MP_TOO_MANY,
	HTTP_MP_DUP,
	HTTP_MP_TOO_BIG,
	HTTP_MP_NUL /* a NUL byte in a text field */
};
struct http_part {
	char name[64];
	char filename[256];
	struct buf val; /* NUL-terminated after a successful parse */
	int is_file;
	int too_big;
	int dup;
};
struct http_multipart {
	struct http_part f[HTTP_MULTIPART_MAX];
	int n;
	size_t file_max;
	size_t text_max;
	int overflow;
	int (*is_file)(const char *name, const char *filename);
	enum http_mp_error err; /* after a failure: what, and which field */
	char err_field[64];
};
/* Splits the request's body into parts: file parts (is_file says which)
 * up to file_max bytes, text parts up to text_max.  Refused, with m->err
 * and a message in both languages: not multipart, malformed, more than
 * HTTP_MULTIPART_MAX parts, a name given twice, a part over its limit, a
 * NUL in a text part.  m is the caller's (http_multipart_free()). */
int http_multipart_parse(struct http_multipart *m, struct http_req *r, size_t file_max,
                         size_t text_max, int (*is_file)(const char *, const char *));
void http_multipart_free(struct http_multipart *m);
/* The part called name (borrowed) or NULL; its text, or NULL. */
struct http_part *http_multipart_get(struct http_multipart *m, const char *name);
const char *http_multipart_text(struct http_multipart *m, const char *name);

/* Handlers. */
int api_healthz(struct http_req *r, struct http_resp *resp);
int api_certificates_post(struct http_req *r, struct http_resp *resp);
int api_certificate_action(struct http_req *r, struct http_resp *resp);
int api_crl_get(struct http_req *r, struct http_resp *resp);
int api_ca_get(struct http_req *r, struct http_resp *resp);
int api_ca_list(struct http_req *r, struct http_resp *resp);
int api_ocsp_post(struct http_req *r, struct http_resp *resp);
int api_ocsp_get(struct http_req *r, struct http_resp *resp);
int api_tsa_post(struct http_req *r, struct http_resp *resp);
int api_web_index(struct http_req *r, struct http_resp *resp);
int api_web_static(struct http_req *r, struct http_resp *resp);
/* Registration Authority (api_ra.c). */
int api_ra_agencies(struct http_req *r, struct http_resp *resp);
int api_ra_agency(struct http_req *r, struct http_resp *resp);
int api_ra_agreement(struct http_req *r, struct http_resp *resp);
int api_ra_certificate(struct http_req *r, struct http_resp *resp);
int api_ra_persons(struct http_req *r, struct http_resp *resp);
int api_ra_person(struct http_req *r, struct http_resp *resp);
int api_ra_applications(struct http_req *r, struct http_resp *resp);
int api_ra_application(struct http_req *r, struct http_resp *resp);
int api_gov_cover(struct http_req *r, struct http_resp *resp); /* api_gov_cover.c */
/* Governance: security incidents (api_gov_incident.c). */
int api_gov_incidents(struct http_req *r, struct http_resp *resp);
int api_gov_incident(struct http_req *r, struct http_resp *resp);
/* The annual evaluation report, GET and POST (api_gov_report.c). */
int api_gov_report(struct http_req *r, struct http_resp *resp);
/* A path that carries attachments (its body may reach max_upload). */
int api_ra_upload_path(const char *method, const char *path);
/* Governance: needs, the master plan, the decree (api_gov_plan.c). */
int api_gov_needs(struct http_req *r, struct http_resp *resp);
int api_gov_need(struct http_req *r, struct http_resp *resp);
int api_gov_plans(struct http_req *r, struct http_resp *resp);
int api_gov_plan(struct http_req *r, struct http_resp *resp);
int api_gov_decrees(struct http_req *r, struct http_resp *resp);
int api_gov_decree(struct http_req *r, struct http_resp *resp);
int api_gov_scope(struct http_req *r, struct http_resp *resp);
/* Authenticates and requires an RA actor (a person's token, an admin or
 * auditor token); on failure resp is filled (api_ra.c). */
int api_ra_actor_check(struct http_req *r, struct http_resp *resp);
/* Governance: complaints, the issuer's help, guidance (api_gov_ticket.c). */
int api_gov_tickets(struct http_req *r, struct http_resp *resp);
int api_gov_ticket(struct http_req *r, struct http_resp *resp);
int api_gov_help(struct http_req *r, struct http_resp *resp);
int api_gov_help_answer(struct http_req *r, struct http_resp *resp);
int api_gov_guides(struct http_req *r, struct http_resp *resp);
int api_gov_guide(struct http_req *r, struct http_resp *resp);
/* The portal's pages under /portal (web_portal.c). */
int web_portal(struct http_req *r, struct http_resp *resp);
/* The BSrE-compatible e-sign API and the public verification pages
 * (api_esign.c). */
int api_esign_v1_sign(struct http_req *r, struct http_resp *resp);
int api_esign_v1_download(struct http_req *r, struct http_resp *resp);
int api_esign_v1_verify(struct http_req *r, struct http_resp *resp);
int api_esign_v1_status(struct http_req *r, struct http_resp *resp);
int api_esign_v2_sign(struct http_req *r, struct http_resp *resp);
int api_esign_v2_seal(struct http_req *r, struct http_resp *resp);
int api_esign_v2_status(struct http_req *r, struct http_resp *resp);
int api_esign_v2_verify(struct http_req *r, struct http_resp *resp);
int api_esign_public_doc(struct http_req *r, struct http_resp *resp);
int api_esign_public_page(struct http_req *r, struct http_resp *resp);
int api_esign_public_verify(struct http_req *r, struct http_resp *resp);
/* The one e-sign service of the server (created on first use; NULL when
 * [esign] is unreadable), shared with the portal so that a signature
 * there is made by the same call under the same unsealing bound. */
struct esign_ctx;
struct esign_ctx *api_esign_service(struct http_req *r);
/* Starts the e-sign service into ctx (ctx->esign NULL when it cannot:
 * logged, not fatal, as before); api_esign_teardown frees it. */
void api_esign_setup(struct http_ctx *ctx);
void api_esign_teardown(struct http_ctx *ctx);
/* The e-sign paths decide their own body limit ([esign] max_request_bytes
 * for an authenticated client application). */
int api_esign_path(const char *url);
/* 1 with resp filled in BSrE's shape for an unknown e-sign API route. */
int api_esign_not_found(struct http_resp *resp, const char *url);
/* BSrE's further endpoints (api_esign_v2x.c, issue 12) and the helpers of
 * api_esign.c they share: BSrE's error shape, a client call's start
 * (service, Basic credentials, one of perms), a JSON string member. */
int api_esign_v2x_sign_totp(struct http_req *r, struct http_resp *resp);
int api_esign_v2x_seal_activation(struct http_req *r, struct http_resp *resp);
int api_esign_v2x_seal_revoke(struct http_req *r, struct http_resp *resp);
int api_esign_v2x_seal_totp(struct http_req *r, struct http_resp *resp);
int api_esign_v2x_register(struct http_req *r, struct http_resp *resp);
struct esign_error;
struct esign_client;
void api_esign_error(struct http_resp *resp, int http, int code, const char *msg);
void api_esign_error_from(struct http_resp *resp, const struct esign_error *e, int rc);
struct esign_ctx *api_esign_client_begin(struct esign_client *cl, struct http_req *r,
                                         struct http_resp *resp, unsigned perms,
                                         const char *denied);
const char *api_esign_jstr(json_t *o, const char *k);
/* The "nik" member as a string, also when a client sent a JSON number. */
const char *api_esign_jnik(json_t *o, char buf[24]);
size_t api_esign_body_limit(struct http_ctx *ctx, void *conn, const char *url);

#endif
