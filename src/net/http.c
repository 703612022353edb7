/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP client: one libcurl easy handle per request, bounded in size
 * and time, redirects never followed, only http and https.  URLs that come
 * from documents (NET_UNTRUSTED) go only to allow-listed hosts, and the
 * address curl is about to connect to is checked in the open-socket
 * callback, after resolution, so a name that resolves (or re-resolves) to
 * a loopback or private address is refused before any packet is sent.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "net/net.h"

#define NET_DEFAULT_MAX     (1024 * 1024)
#define NET_DEFAULT_TIMEOUT 20L

static pthread_once_t net_once = PTHREAD_ONCE_INIT;
static CURLcode net_init_rc = CURLE_FAILED_INIT;

static void
net_init(void)
{
	net_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct sink {
	struct buf *b;
	int over;
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	if (size != 0 && n > SIZE_MAX / size)
		return 0;
	if (buf_append(s->b, p, size * n) < 0) {
		s->over = 1;
		return 0; /* curl aborts the transfer */
	}
	return size * n;
}

static int
add_header(struct curl_slist **h, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *n;

	if (value == NULL)
		return 0;
	if ((size_t)snprintf(line, sizeof(line), "%s: %s", name, value) >= sizeof(line))
		return sertel_err(SERTEL_EINVAL, "http: %s header too long", name);
	if ((n = curl_slist_append(*h, line)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "http: out of memory");
	*h = n;
	return 0;
}

/* ---- allow-list and special addresses ------------------------------------ */

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* The first bits of a and b agree. */
static int
prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest))) == 0;
}

/* An IPv4 address that must not be reached from a document's URL:
 * RFC 6890 special-purpose ranges (this network, RFC 1918 private, CGNAT
 * RFC 6598, loopback, link-local, IETF protocol assignments,
 * documentation, benchmarking, multicast, reserved, broadcast). */
static int
v4_special(const unsigned char *a)
{
	static const struct {
		unsigned char net[4];
		int bits;
	} r[] = {
	    {{0, 0, 0, 0}, 8},      {{10, 0, 0, 0}, 8},     {{100, 64, 0, 0}, 10},
	    {{127, 0, 0, 0}, 8},    {{169, 254, 0, 0}, 16}, {{172, 16, 0, 0}, 12},
	    {{192, 0, 0, 0}, 24},   {{192, 0, 2, 0}, 24},   {{192, 88, 99, 0}, 24},
	    {{192, 168, 0, 0}, 16}, {{198, 18, 0, 0}, 15},  {{198, 51, 100, 0}, 24},
	    {{203, 0, 113, 0}, 24}, {{224, 0, 0, 0}, 4},    {{240, 0, 0, 0}, 4},
	};
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (prefix_match(a, r[i].net, r[i].bits))
			return 1;
	return 0;
}

/* a in the 16-byte form (IPv4 as ::ffff:a.b.c.d).  IPv6 forms that carry
 * an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by that address. */
static int
addr_special(const unsigned char *a)
{
	static const unsigned char zero[16], nat64[12] = {0, 0x64, 0xff, 0x9b};
	static const struct {
		unsigned char net[16];
		int bits;
	} r[] = {
	    {{0xfc}, 7},                    /* unique local */
	    {{0xfe, 0x80}, 10},             /* link-local */
	    {{0xfe, 0xc0}, 10},             /* site-local (deprecated) */
	    {{0xff}, 8},                    /* multicast */
	    {{0x01, 0x00}, 64},             /* discard-only */
	    {{0x20, 0x01, 0x0d, 0xb8}, 32}, /* documentation */
	    {{0x20, 0x01, 0x00, 0x00}, 32}, /* Teredo: hides its IPv4 peer */
	};
	size_t i;

	if (memcmp(a, zero, 12) == 0)
		return 1; /* ::, ::1 and the deprecated IPv4-compatible ::/96 */
	if (memcmp(a, v4_mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return v4_special(a + 12);
	if (a[0] == 0x20 && a[1] == 0x02)
		return v4_special(a + 2);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (prefix_match(a, r[i].net, r[i].bits))
			return 1;
	return 0;
}

/* An address literal (IPv4 dotted quad, or IPv6 with or without []) into
 * the 16-byte form; 0 if s is not one. */
static int
addr_parse(unsigned char out[16], const char *s, size_t n)
{
	char tmp[64];
	struct in_addr a4;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, &a4) == 1) {
		memcpy(out, v4_mapped, 12);
		memcpy(out + 12, &a4, 4);
		return 1;
	}
	return inet_pton(AF_INET6, tmp, out) == 1;
}

int
net_addr_special(const char *s)
{
	unsigned char a[16];

	if (s == NULL || !addr_parse(a, s, strlen(s)))
		return sertel_err(SERTEL_EINVAL, "'%s' is not an IP address",
		                  s != NULL ? s : "");
	return addr_special(a);
}

static int
allow_entry(struct net_allow_entry *e, const char *s, size_t n)
{
	const char *slash = NULL, *colon = NULL, *end = s + n, *p;
	size_t hl;
	long v;
	char num[8];
	int v6 = s[0] == '[';

	memset(e, 0, sizeof(*e));
	p = v6 ? memchr(s, ']', n) : s;
	if (p == NULL)
		return 0;
	for (; p < end; p++) {
		if (*p == '/' && slash == NULL && colon == NULL)
			slash = p;
		else if (*p == ':' && colon == NULL)
			colon = p;
		else if (*p == ':' || *p == '/')
			return 0;
	}
	hl = (size_t)((slash ? slash : colon ? colon : end) - s);
	if (colon != NULL) {
		if (end - colon - 1 < 1 || end - colon - 1 > 5)
			return 0;
		memcpy(num, colon + 1, (size_t)(end - colon - 1));
		num[end - colon - 1] = '\0';
		if (strspn(num, "0123456789") != strlen(num) ||
		    (v = strtol(num, NULL, 10)) < 1 || v > 65535)
			return 0;
		e->port = (int)v;
	}
	if (addr_parse(e->addr, s, hl)) {
		int v4 = memcmp(e->addr, v4_mapped, 12) == 0 && !v6;

		e->prefix = 128;
		if (slash != NULL) {
			size_t pl = (size_t)((colon ? colon : end) - slash - 1);

			if (pl < 1 || pl > 3)
				return 0;
			memcpy(num, slash + 1, pl);
			num[pl] = '\0';
			if (strspn(num, "0123456789") != pl)
				return 0;
			v = strtol(num, NULL, 10);
			if (v > (v4 ? 32 : 128))
				return 0;
			e->prefix = (int)v + (v4 ? 96 : 0);
		}
		return 1;
	}
	if (slash != NULL || v6 || hl == 0 || hl >= sizeof(e->name))
		return 0;
	for (p = s; p < s + hl; p++) {
		unsigned char c = (unsigned char)*p;

		if (!(isalnum(c) || c == '-' || c == '.' || (c == '*' && p == s)))
			return 0;
		e->name[p - s] = (char)tolower(c);
	}
	/* "*" only as a whole leading label: "*.example.go.id" */
	if (e->name[0] == '*' && (hl < 3 || e->name[1] != '.'))
		return 0;
	return 1;
}

int
net_allow_parse(struct net_allow *out, const char *list)
{
	const char *p = list != NULL ? list : "";
	size_t n;

	memset(out, 0, sizeof(*out));
	for (;;) {
		p += strspn(p, " \t,");
		if (*p == '\0')
			return 0;
		n = strcspn(p, " \t,");
		if (out->n >= NET_ALLOW_MAX)
			return sertel_err(SERTEL_EINVAL,
			                  "fetch_hosts: more than %d entries",
			                  NET_ALLOW_MAX);
		if (!allow_entry(&out->e[out->n], p, n))
			return sertel_err(
			    SERTEL_EINVAL,
			    "fetch_hosts: '%.*s' is not a host name, address "
			    "or range (optionally :port)",
			    (int)(n > 200 ? 200 : n), p);
		out->n++;
		p += n;
	}
}

/* The URL's host (as curl parsed it) and port are on the list. */
static int
allow_host(const struct net_allow *a, const char *host, long port)
{
	unsigned char addr[16];
	size_t i, hl = strlen(host), nl;
	int lit = addr_parse(addr, host, hl);

	for (i = 0; a != NULL && i < a->n; i++) {
		const struct net_allow_entry *e = &a->e[i];

		if (e->port != 0 ? port != e->port : port != 80 && port != 443)
			continue;
		if (e->name[0] == '\0') {
			if (lit && prefix_match(addr, e->addr, e->prefix))
				return 1;
			continue;
		}
		if (lit)
			continue;
		if (e->name[0] == '*') {
			nl = strlen(e->name + 1); /* ".example.go.id" */
			if (hl > nl && strcasecmp(host + hl - nl, e->name + 1) == 0)
				return 1;
		} else if (strcasecmp(host, e->name) == 0) {
			return 1;
		}
	}
	return 0;
}

/* A special address may be connected to only when an address entry
 * names it (or its range) itself. */
static int
allow_addr(const struct net_allow *a, const unsigned char *addr)
{
	size_t i;

	if (!addr_special(addr))
		return 1;
	for (i = 0; a != NULL && i < a->n; i++)
		if (a->e[i].name[0] == '\0' &&
		    prefix_match(addr, a->e[i].addr, a->e[i].prefix))
			return 1;
	return 0;
}

void
net_budget_init(struct net_budget *b, int requests, long total_ms)
{
	b->left = requests;
	b->deadline_us = time_now_us() + (int64_t)total_ms * 1000;
}

struct guard {
	const struct net_allow *allow;
	int refused; /* an address was refused */
	char what[INET6_ADDRSTRLEN];
};

/* CURLOPT_OPENSOCKETFUNCTION: sees every address curl connects to, after
 * DNS; refusing here means no socket and no packet. */
static curl_socket_t
on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *sa)
{
	struct guard *g = arg;
	unsigned char a[16];

	if (purpose != CURLSOCKTYPE_IPCXN)
		goto refuse;
	if (sa->family == AF_INET) {
		const struct sockaddr_in *in =
		    (const struct sockaddr_in *)(void *)&sa->addr;

		memcpy(a, v4_mapped, 12);
		memcpy(a + 12, &in->sin_addr, 4);
		inet_ntop(AF_INET, &in->sin_addr, g->what, sizeof(g->what));
	} else if (sa->family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
		    (const struct sockaddr_in6 *)(void *)&sa->addr;

		memcpy(a, &in6->sin6_addr, 16);
		inet_ntop(AF_INET6, &in6->sin6_addr, g->what, sizeof(g->what));
	} else {
		goto refuse;
	}
	if (!allow_addr(g->allow, a))
		goto refuse;
	return socket(sa->family, sa->socktype, sa->protocol);
refuse:
	g->refused = 1;
	return CURL_SOCKET_BAD;
}

int
net_http(struct net_reply *out, const struct net_req *req)
{
	CURL *c = NULL;
	struct curl_slist *h = NULL;
	char errbuf[CURL_ERROR_SIZE];
	struct sink sink;
	const char *ct = NULL;
	CURLU *u = NULL;
	char *host = NULL, *port = NULL;
	struct guard guard;
	int64_t timeout_ms =
	    (req->timeout > 0 ? req->timeout : NET_DEFAULT_TIMEOUT) * 1000;
	CURLcode cc;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&guard, 0, sizeof(guard));
	buf_init(&out->body, req->max != 0 ? req->max : NET_DEFAULT_MAX);
	errbuf[0] = '\0';
	if (strncmp(req->url, "https://", 8) != 0 &&
	    (req->https_only || strncmp(req->url, "http://", 7) != 0))
		return sertel_err(SERTEL_EINVAL, "%s: only %s URLs are allowed", req->url,
		                  req->https_only ? "https://" : "http:// and https://");
	pthread_once(&net_once, net_init);
	if (net_init_rc != CURLE_OK)
		return sertel_err(SERTEL_EIO, "http: curl_global_init: %s",
		                  curl_easy_strerror(net_init_rc));
	if (req->budget != NULL) {
		int64_t left_us = req->budget->deadline_us - time_now_us();

		if (req->budget->left <= 0 || left_us < 1000)
			return sertel_err(SERTEL_EPERM,
			                  "%s: not fetched: the network budget of this "
			                  "verification is spent",
			                  req->url);
		req->budget->left--;
		if (timeout_ms > left_us / 1000)
			timeout_ms = left_us / 1000;
	}
	if (req->policy != NET_TRUSTED_CONFIG) {
		/* The host as curl itself parses the URL (so "a@b", "0x7f000001"
		 * or "127.1" mean to us what they mean to curl), and that parse
		 * is what curl then uses. */
		if ((u = curl_url()) == NULL)
			return sertel_err(SERTEL_ENOMEM, "http: out of memory");
		if (curl_url_set(u, CURLUPART_URL, req->url, 0) != CURLUE_OK ||
		    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
		    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
		        CURLUE_OK) {
			rc = sertel_err(SERTEL_EINVAL, "%s: not a URL", req->url);
			goto out;
		}
		if (!allow_host(req->allow, host, strtol(port, NULL, 10))) {
			rc = sertel_err(SERTEL_EPERM,
			                "%s: not fetched: host %s port %s is not in "
			                "[verify] fetch_hosts",
			                req->url, host, port);
			goto out;
		}
		guard.allow = req->allow;
	}
	if ((c = curl_easy_init()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "http: curl_easy_init failed");
		goto out;
	}
	if ((rc = add_header(&h, "Accept", req->accept)) < 0)
		goto out;
	if (req->body != NULL &&
	    (rc = add_header(&h, "Content-Type", req->content_type)) < 0)
		goto out;
	if (req->bearer != NULL) {
		char auth[512];

		if ((size_t)snprintf(auth, sizeof(auth), "Bearer %s", req->bearer) >=
		    sizeof(auth)) {
			rc = sertel_err(SERTEL_EINVAL, "http: token too long");
			goto out;
		}
		rc = add_header(&h, "Authorization", auth);
		secure_wipe(auth, sizeof(auth));
		if (rc < 0)
			goto out;
	}
	if (req->basic != NULL) {
		char auth[1024], *b64 = NULL;

		if ((rc = b64_encode(&b64, (const unsigned char *)req->basic,
		                     strlen(req->basic), 0)) < 0)
			goto out;
		if ((size_t)snprintf(auth, sizeof(auth), "Basic %s", b64) >= sizeof(auth))
			rc = sertel_err(SERTEL_EINVAL, "http: credentials too long");
		else
			rc = add_header(&h, "Authorization", auth);
		secure_wipe(auth, sizeof(auth));
		secure_wipe(b64, strlen(b64));
		free(b64);
		if (rc < 0)
			goto out;
	}
	sink.b = &out->body;
	sink.over = 0;
	if (u != NULL) {
		curl_easy_setopt(c, CURLOPT_CURLU, u);
		curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
		curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
		curl_easy_setopt(c, CURLOPT_PROXY, ""); /* not the environment's */
	} else {
		curl_easy_setopt(c, CURLOPT_URL, req->url);
	}
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
	                 req->https_only ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	                 timeout_ms < 10000 ? (long)timeout_ms : 10000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (h != NULL)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (req->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)req->body_len);
	}
	if (req->ca_file != NULL) {
		curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
		curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		if (guard.refused)
			rc = sertel_err(SERTEL_EPERM,
			                "%s: not fetched: address %s is loopback, "
			                "link-local, private or special and not in "
			                "[verify] fetch_hosts",
			                req->url, guard.what[0] ? guard.what : "?");
		else if (sink.over)
			rc = sertel_err(SERTEL_ETOOBIG, "%s: reply larger than %zu bytes",
			                req->url, out->body.max);
		else
			rc = sertel_err(SERTEL_EIO, "%s: %s", req->url,
			                errbuf[0] ? errbuf : curl_easy_strerror(cc));
		out->tls_failed = cc == CURLE_PEER_FAILED_VERIFICATION ||
		                  cc == CURLE_SSL_CACERT_BADFILE ||
		                  cc == CURLE_SSL_CONNECT_ERROR ||
		                  cc == CURLE_SSL_CERTPROBLEM;
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != NULL) {
		for (i = 0;
		     ct[i] != '\0' && ct[i] != ';' && !isspace((unsigned char)ct[i]) &&
		     i + 1 < sizeof(out->content_type);
		     i++)
			out->content_type[i] = (char)tolower((unsigned char)ct[i]);
		out->content_type[i] = '\0';
	}
out:
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	curl_url_cleanup(u);
	curl_free(host);
	curl_free(port);
	return rc;
}

int
net_fetch(struct buf *out, const struct net_req *req, const char *ctype)
{
	struct net_reply r;
	int rc;

	if ((rc = net_http(&r, req)) < 0)
		goto out;
	if (r.status != 200) {
		rc = sertel_err(SERTEL_EIO, "%s: HTTP %ld", req->url, r.status);
		goto out;
	}
	if (ctype != NULL && strcmp(r.content_type, ctype) != 0) {
		rc = sertel_err(SERTEL_EIO, "%s: content type '%s', expected %s",
		                req->url, r.content_type, ctype);
		goto out;
	}
	*out = r.body;
	memset(&r.body, 0, sizeof(r.body));
out:
	buf_free(&r.body);
	return rc;
}
