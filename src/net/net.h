/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel net: the one HTTP client.  Time-stamp requests, OCSP and CRL
 * fetches (PAdES B-LT, the verifier) and the upstream issuer connector all
 * go through net_http(); libcurl is used only in src/net (and for SMTP in
 * src/mail).
 */
#ifndef SERTEL_NET_H
#define SERTEL_NET_H

#include "core/core.h"

/*
 * Who chose the URL (issue 19).  Every caller states it: the zero value is
 * the strict one, so a forgotten field never opens the network.
 */
enum net_policy {
	/* Taken from a document or a request (AIA, CRL DP, OCSP URLs of a
	 * certificate someone uploaded): only to hosts on req->allow, never to
	 * a loopback, link-local, private, CGNAT, multicast or otherwise
	 * special address unless that address is listed itself (checked on the
	 * address actually connected to, so DNS rebinding does not help), no
	 * proxy from the environment, within req->budget. */
	NET_UNTRUSTED = 0,
	/* Configured by the administrator (the TSA URL, the upstream issuer,
	 * PAdES B-LT for our own chain): any http(s) host. */
	NET_TRUSTED_CONFIG = 1,
};

/* One allow-list entry: a DNS name ("ocsp.example.go.id", "*.example.go.id"),
 * an address ("203.0.113.7", "[2001:db8::1]") or a range ("10.1.0.0/16",
 * "[fd00::]/8"), optionally ":port".  Without a port only 80 and 443. */
#define NET_ALLOW_MAX 32
struct net_allow_entry {
	char name[256];         /* lower case; "" for an address entry */
	unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d */
	int prefix;             /* bits of addr that count (0..128) */
	int port;               /* 0: 80 and 443 */
};
struct net_allow {
	size_t n;
	struct net_allow_entry e[NET_ALLOW_MAX];
};

/* Parses a list of entries separated by spaces or commas into *out
 * (replacing it).  SERTEL_EINVAL naming the entry that is not one. */
int net_allow_parse(struct net_allow *out, const char *list);

/* 1 when the address literal (IPv4 dotted quad, IPv6 with or without [])
 * is one a document's URL may not reach unless listed: loopback, RFC 1918,
 * CGNAT, link-local, multicast, unspecified, ULA, documentation, reserved,
 * and IPv4-mapped/compatible/NAT64/6to4 forms of those; 0 when it is an
 * ordinary address; SERTEL_EINVAL when s is not an address literal. */
int net_addr_special(const char *s);

/* What one job (one verification) may still spend on the network. */
struct net_budget {
	int left;            /* HTTP requests */
	int64_t deadline_us; /* time_now_us() past which nothing starts */
};
/* requests at most, total_ms in all, counted from now. */
void net_budget_init(struct net_budget *b, int requests, long total_ms);

struct net_req {
	enum net_policy policy;        /* see above; 0 is NET_UNTRUSTED */
	const struct net_allow *allow; /* NET_UNTRUSTED: NULL refuses every URL */
	struct net_budget *budget;     /* NULL: no budget beyond timeout */
	const char *url;               /* http:// or https:// only */
	const void *body;              /* NULL: GET; otherwise POST */
	size_t body_len;
	const char *content_type; /* of body, e.g. "application/ocsp-request" */
	const char *accept;       /* Accept header, or NULL */
	const char *bearer;       /* "Authorization: Bearer ..." token, or NULL */
	/* "Authorization: Basic" credentials, "user:password" as the scheme
	 * wants them (already form-encoded where RFC 6749 2.3.1 says so), or
	 * NULL; never logged. */
	const char *basic;
	const char *ca_file; /* trust only this CA file (https), or NULL */
	int https_only;      /* refuse http:// URLs */
	long timeout;        /* seconds for the whole exchange; 0: 20 */
	size_t max;          /* reply size limit; 0: 1 MiB */
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
 * is not allowed, SERTEL_EPERM for a host or address the policy refuses or
 * a spent budget (nothing was sent), SERTEL_ETOOBIG for a reply over req->max, SERTEL_EIO
 * when the server could not be reached or TLS failed (the message names the URL and
 * curl's reason).  out->body is initialised in every case.
 */
int net_http(struct net_reply *out, const struct net_req *req);

/* net_http() that also insists on status 200 (and, when ctype is not NULL,
 * that content type); the body moves to *out. */
int net_fetch(struct buf *out, const struct net_req *req, const char *ctype);

#endif
