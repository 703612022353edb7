/*
 * sertel net: the one HTTP client.  Time-stamp requests, OCSP and CRL
 * fetches (PAdES B-LT, the verifier) and the upstream issuer connector all
 * go through net_http(); libcurl is used only in src/net (and for SMTP in
 * src/mail).
 */
#ifndef SERTEL_NET_H
#define SERTEL_NET_H

#include "core/core.h"

struct net_req {
	const char *url;  /* http:// or https:// only */
	const void *body; /* NULL: GET; otherwise POST */
	size_t body_len;
	const char *content_type; /* of body, e.g. "application/ocsp-request" */
	const char *accept;       /* Accept header, or NULL */
	const char *bearer;       /* "Authorization: Bearer ..." token, or NULL */
	const char *ca_file;      /* trust only this CA file (https), or NULL */
	int https_only;           /* refuse http:// URLs */
	long timeout;             /* seconds for the whole exchange; 0: 20 */
	size_t max;               /* reply size limit; 0: 1 MiB */
};

struct net_reply {
	long status;            /* HTTP status; 0 when no answer came */
	char content_type[128]; /* without parameters, lower case; "" if none */
	struct buf body;        /* reply body (caller buf_free()s) */
	int tls_failed;         /* the TLS handshake or the peer's certificate failed */
};

/*
 * Performs one request.  Returns 0 when an HTTP answer came back, whatever
 * its status (the caller judges out->status), SERTEL_EINVAL for a URL that
 * is not allowed, SERTEL_ETOOBIG for a reply over req->max, SERTEL_EIO when
 * the server could not be reached or TLS failed (the message names the
 * URL and curl's reason).  out->body is initialised in every case.
 */
int net_http(struct net_reply *out, const struct net_req *req);

/* net_http() that also insists on status 200 (and, when ctype is not NULL,
 * that content type); the body moves to *out. */
int net_fetch(struct buf *out, const struct net_req *req, const char *ctype);

#endif
