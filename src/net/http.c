/*
 * The HTTP client: one libcurl easy handle per request, bounded in size
 * and time, redirects never followed, only http and https.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>

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

int
net_http(struct net_reply *out, const struct net_req *req)
{
	CURL *c = NULL;
	struct curl_slist *h = NULL;
	char errbuf[CURL_ERROR_SIZE];
	struct sink sink;
	const char *ct = NULL;
	CURLcode cc;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
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
	if ((c = curl_easy_init()) == NULL)
		return sertel_err(SERTEL_ENOMEM, "http: curl_easy_init failed");
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
	sink.b = &out->body;
	sink.over = 0;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
	                 req->https_only ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT,
	                 req->timeout > 0 ? req->timeout : NET_DEFAULT_TIMEOUT);
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
		if (sink.over)
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
