/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The upstream issuer: an RA-only instance forwards approved requests to
 * a sertel instance acting as PSrE (Cirebon 13(2): the OP forwards to the
 * issuer), over HTTPS with that instance's API token, and records what
 * comes back -- certificate, serial, chain -- in its own store.
 *
 *   issue:  POST {url}/api/v1/certificates           (201, docs/api.md)
 *   revoke: POST {url}/api/v1/certificates/{serial}/revoke
 *
 * TLS is verified against [issuer] ca_file only (the system roots are not
 * consulted), host name included; plain http is refused.  The network
 * call happens before any local transaction: a failure upstream (down,
 * bad token, untrusted certificate, refused request) leaves this store as
 * it was.  What comes back is checked before it is recorded: the
 * certificate must carry the public key of the CSR that was sent and be
 * signed by the issuing CA of the returned chain, itself signed by the
 * returned root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "audit/audit.h"
#include "net/net.h"
#include "ra/issuer_int.h"

#define UP_MAX_RESPONSE (1024 * 1024)
#define UP_MAX_TOKEN    256

struct upstream {
	char url[512];
	char token[UP_MAX_TOKEN + 1];
	char ca_file[1024];
	long timeout;
};

/* A path from the config, relative to the instance directory. */
static int
conf_path(char *out, size_t outsz, const char *dir, const char *v, const char *key)
{
	int n = v[0] == '/' ? snprintf(out, outsz, "%s", v)
	                    : snprintf(out, outsz, "%s/%s", dir, v);

	if (n < 0 || (size_t)n >= outsz)
		return sertel_err(SERTEL_EINVAL, "[issuer] %s: path too long", key);
	return 0;
}

/* The token file: private to its owner, one line. */
static int
token_load(char out[UP_MAX_TOKEN + 1], const char *path)
{
	unsigned char *data = NULL;
	struct stat sb;
	size_t len = 0;
	int rc;

	if (stat(path, &sb) != 0)
		return sertel_err(SERTEL_EINVAL, "[issuer] token_file %s: cannot read it",
		                  path);
	if (sb.st_mode & 077)
		return sertel_err(
		    SERTEL_EINVAL,
		    "[issuer] token_file %s: readable by others (chmod 600)", path);
	if ((rc = file_read(&data, &len, path, UP_MAX_TOKEN + 2)) < 0)
		return rc;
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = '\0';
	if (len < 8 || len > UP_MAX_TOKEN || strlen((char *)data) != len ||
	    strspn((char *)data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                         "0123456789-_.~+/=") != len)
		rc = sertel_err(SERTEL_EINVAL,
		                "[issuer] token_file %s: expected one API token line",
		                path);
	else
		memcpy(out, data, len + 1);
	secure_wipe(data, len);
	free(data);
	return rc;
}

static void
up_free_op(struct issuer *is)
{
	struct upstream *u = is->impl;

	if (u != NULL)
		secure_wipe(u, sizeof(*u));
	free(u);
}

/* ---- one HTTPS exchange --------------------------------------------------- */

/* POSTs body (JSON) to url+path; *out is the JSON answer (owned by
 * caller), *status the HTTP status.  Transport failures are SERTEL_EIO
 * with what went wrong (unreachable, TLS not trusted). */
static int
up_post(json_t **out, long *status, struct upstream *u, const char *path, json_t *body)
{
	struct net_req req;
	struct net_reply r;
	char url[1024];
	char *payload = NULL;
	json_error_t jerr;
	int rc;

	*out = NULL;
	*status = 0;
	memset(&r, 0, sizeof(r));
	if ((size_t)snprintf(url, sizeof(url), "%s%s", u->url, path) >= sizeof(url))
		return sertel_err(SERTEL_EINVAL, "upstream: URL too long");
	if ((payload = json_dumps(body, JSON_COMPACT)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	memset(&req, 0, sizeof(req));
	req.policy = NET_TRUSTED_CONFIG; /* [issuer] url, set by the administrator */
	req.url = url;
	req.body = payload;
	req.body_len = strlen(payload);
	req.content_type = "application/json";
	req.accept = "application/json";
	req.bearer = u->token;
	/* Only the configured roots: the upstream is pinned, not the web PKI. */
	req.ca_file = u->ca_file;
	req.https_only = 1;
	req.timeout = u->timeout;
	req.max = UP_MAX_RESPONSE;
	if ((rc = net_http(&r, &req)) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", sertel_errmsg());
		if (r.tls_failed)
			rc = sertel_err(
			    SERTEL_EIO,
			    "upstream %s: TLS certificate not trusted (ca_file %s): %s",
			    u->url, u->ca_file, why);
		else if (rc == SERTEL_ETOOBIG)
			rc = sertel_err(SERTEL_EIO,
			                "upstream %s: answer larger than %d bytes",
			                u->url, UP_MAX_RESPONSE);
		else
			rc = sertel_err(SERTEL_EIO, "upstream %s: unreachable: %s",
			                u->url, why);
		goto out;
	}
	*status = r.status;
	if ((*out = json_loadb((const char *)r.body.data, r.body.len, 0, &jerr)) ==
	        NULL ||
	    !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		rc = sertel_err(SERTEL_EIO,
		                "upstream %s: HTTP %ld with a body that is not "
		                "a JSON object",
		                u->url, *status);
	}
out:
	free(payload);
	buf_free(&r.body);
	return rc;
}

/* An upstream refusal as sertel's error, with the upstream's message. */
static int
up_refused(struct upstream *u, long status, json_t *ans)
{
	const char *msg = json_string_value(json_object_get(ans, "error"));
	int rc;

	if (msg == NULL)
		msg = "(no message)";
	/* A refused token is this instance's misconfiguration, not the
	 * caller's: reported as a failure of the upstream link (EIO). */
	switch (status) {
	case 401:
	case 403: rc = SERTEL_EIO; break;
	case 404: rc = SERTEL_ENOTFOUND; break;
	case 409: rc = SERTEL_ESTATE; break;
	case 413: rc = SERTEL_ETOOBIG; break;
	default: rc = status >= 400 && status < 500 ? SERTEL_EINVAL : SERTEL_EIO; break;
	}
	if (status == 401 || status == 403)
		return sertel_err(rc,
		                  "upstream %s refused the API token ([issuer] "
		                  "token_file, HTTP %ld): %s",
		                  u->url, status, msg);
	return sertel_err(rc, "upstream %s refused (HTTP %ld): %s", u->url, status, msg);
}

/* ---- checking and recording what comes back ------------------------------ */
static X509 *
pem_cert(const char *pem)
{
	BIO *b = pem ? BIO_new_mem_buf(pem, -1) : NULL;
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

/* The CSR we send, PEM or DER, as an object and as PEM text. */
static int
csr_load(X509_REQ **out, char **pem, const unsigned char *csr, size_t len)
{
	BIO *in = BIO_new_mem_buf(csr, (int)len), *mem = BIO_new(BIO_s_mem());
	const unsigned char *p = csr;
	X509_REQ *req = NULL;
	char *d;
	long n;
	int rc = 0;

	*out = NULL;
	*pem = NULL;
	if (in == NULL || mem == NULL || len > SERTEL_MAX_CSR) {
		rc = sertel_err(SERTEL_EINVAL, "CSR: unreadable");
		goto out;
	}
	/* The local rules first (one PEM block, key policy, proof of
	 * possession): the upstream checks again, but a refusal here costs
	 * no network round trip and names the rule in our words. */
	if ((rc = csr_check(csr, len)) < 0)
		goto out;
	if (len > 10 && memcmp(csr, "-----BEGIN", 10) == 0)
		req = PEM_read_bio_X509_REQ(in, NULL, NULL, NULL);
	else
		req = d2i_X509_REQ(NULL, &p, (long)len);
	if (req == NULL || X509_REQ_get0_pubkey(req) == NULL ||
	    PEM_write_bio_X509_REQ(mem, req) != 1) {
		rc = sertel_err_ossl(SERTEL_EINVAL, "CSR: not a PKCS#10 request");
		goto out;
	}
	n = BIO_get_mem_data(mem, &d);
	if ((*pem = strndup(d, (size_t)n)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	*out = req;
	req = NULL;
out:
	X509_REQ_free(req);
	BIO_free(in);
	BIO_free(mem);
	return rc;
}

static int
time_of(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return sertel_err(SERTEL_EINVAL,
		                  "upstream certificate: bad validity time");
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* The record of a returned certificate; the names come from the request
 * that produced it.  out->der owned by caller. */
static int
rec_fill(struct cert_rec *out, X509 *x, X509 *issuing, const struct issue_req *rq,
         const char *type, const char *usages)
{
	BIO *mem = BIO_new(BIO_s_mem());
	unsigned char *der = NULL;
	char *subj;
	size_t len = 0;
	long sl;
	int n, i, rc;

	memset(out, 0, sizeof(*out));
	if (mem == NULL ||
	    X509_NAME_print_ex(mem, X509_get_subject_name(x), 0,
	                       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
		BIO_free(mem);
		return sertel_err_ossl(SERTEL_ECRYPTO, "subject: cannot print");
	}
	sl = BIO_get_mem_data(mem, &subj);
	if ((size_t)sl >= sizeof(out->subject))
		sl = (long)sizeof(out->subject) - 1;
	memcpy(out->subject, subj, (size_t)sl);
	BIO_free(mem);
	if ((rc = serial_to_hex(out->serial, X509_get0_serialNumber(x))) < 0 ||
	    (rc = issuer_id_of(out->issuer_id, issuing)) < 0 ||
	    (rc = time_of(&out->not_before, X509_get0_notBefore(x))) < 0 ||
	    (rc = time_of(&out->not_after, X509_get0_notAfter(x))) < 0)
		return rc;
	str_copy(out->type, sizeof(out->type), type);
	str_copy(out->usages, sizeof(out->usages), usages);
	str_copy(out->email, sizeof(out->email), rq->email ? rq->email : "");
	str_copy(out->nik, sizeof(out->nik), rq->nik ? rq->nik : "");
	for (i = 0; i < rq->ndns + rq->nip && len < sizeof(out->sans); i++)
		len +=
		    (size_t)snprintf(out->sans + len, sizeof(out->sans) - len, "%s%s:%s",
		                     len ? "," : "", i < rq->ndns ? "DNS" : "IP",
		                     i < rq->ndns ? rq->dns[i] : rq->ip[i - rq->ndns]);
	out->reason = -1;
	out->created_at = time_now();
	if ((n = i2d_X509(x, &der)) <= 0)
		return sertel_err_ossl(SERTEL_ECRYPTO, "certificate: DER failed");
	if ((out->der = malloc((size_t)n)) == NULL) {
		OPENSSL_free(der);
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	}
	memcpy(out->der, der, (size_t)n);
	out->der_len = (size_t)n;
	OPENSSL_free(der);
	return 0;
}

/* The upstream's hierarchy as issuer rows without keys (role
 * "upstream-root" / "upstream-ca"), so stored certificates name
 * their issuer and the chain can be served again. */
static int
issuer_ensure(struct store *st, X509 *x, const char *role, const char *parent_id)
{
	struct issuer_rec r, have;
	unsigned char *der = NULL;
	int n, rc;

	memset(&r, 0, sizeof(r));
	if ((rc = issuer_id_of(r.id, x)) < 0)
		return rc;
	if ((n = i2d_X509(x, &der)) <= 0)
		return sertel_err_ossl(SERTEL_ECRYPTO, "issuer: DER failed");
	rc = store_issuer_get(st, r.id, &have);
	if (rc == 0) {
		if (have.cert_len != (size_t)n ||
		    memcmp(have.cert_der, der, (size_t)n) != 0)
			rc = sertel_err(
			    SERTEL_EINVAL,
			    "upstream issuer %s: a different certificate than the "
			    "one recorded before",
			    r.id);
		else if (strcmp(have.role, role) != 0)
			rc = sertel_err(SERTEL_EINVAL,
			                "upstream issuer %s: recorded here as %s, not %s",
			                r.id, have.role, role);
		issuer_rec_free(&have);
		OPENSSL_free(der);
		return rc;
	}
	if (rc != SERTEL_ENOTFOUND) {
		OPENSSL_free(der);
		return rc;
	}
	str_copy(r.role, sizeof(r.role), role);
	str_copy(r.parent_id, sizeof(r.parent_id), parent_id);
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, r.name,
	                          sizeof(r.name));
	r.cert_der = der;
	r.cert_len = (size_t)n;
	r.key_pem = (char *)""; /* no key here: the upstream signs */
	r.created_at = time_now();
	r.active = 1;
	rc = store_issuer_put(st, &r);
	OPENSSL_free(der);
	if (rc == 0) {
		char obj[64];
		snprintf(obj, sizeof(obj), "issuer:%s", r.id);
		rc = audit_append(st, "system:issuer-upstream", "issuer.record", obj,
		                  role);
	}
	return rc;
}

struct up_write {
	struct upstream *u;
	const struct cert_rec *rec;
	const struct issue_req *rq;
	X509 *issuing;
	X509 *root;
};

static int
up_write_fn(struct store *st, void *arg)
{
	struct up_write *w = arg;
	char obj[64], detail[1280], root_id[ISSUER_ID_LEN + 1];
	int rc;

	if ((rc = issuer_id_of(root_id, w->root)) < 0 ||
	    (rc = issuer_ensure(st, w->root, "upstream-root", "")) < 0 ||
	    (rc = issuer_ensure(st, w->issuing, "upstream-ca", root_id)) < 0 ||
	    (rc = store_cert_put(st, w->rec)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "cert:%s", w->rec->serial);
	snprintf(detail, sizeof(detail), "issued by upstream %s%s%.400s", w->u->url,
	         w->rq->reason && *w->rq->reason ? ": " : "",
	         w->rq->reason ? w->rq->reason : "");
	if ((rc = audit_append(st, w->rq->actor ? w->rq->actor : "system", "cert.issue",
	                       obj, detail)) < 0)
		return rc;
	return w->rq->also ? w->rq->also(st, w->rec, w->rq->also_arg) : 0;
}

/* Issued upstream but not recorded here (e.g. the application changed
 * meanwhile): nobody would ever know that certificate, so it is revoked
 * there at once as superseded.  Keeps the error of the local failure,
 * with what happened upstream added. */
static void
up_orphan(struct upstream *u, const char *serial, int rc)
{
	char why[600], path[128];
	json_t *body, *ans = NULL;
	long status = 0;
	int ok;

	str_copy(why, sizeof(why), sertel_errmsg());
	snprintf(path, sizeof(path), "/api/v1/certificates/%s/revoke", serial);
	body = json_pack("{s:s, s:s}", "reason", "superseded", "note",
	                 "issued for an RA that could not record it");
	ok = body != NULL && up_post(&ans, &status, u, path, body) == 0 &&
	     (status == 200 || status == 409);
	json_decref(body);
	json_decref(ans);
	log_msg(LOG_ERROR,
	        "upstream certificate %s issued but not recorded here (%s); %s", serial,
	        why,
	        ok ? "revoked upstream as superseded" : "revoke it upstream by hand");
	sertel_err(rc, "%s (certificate %s, issued upstream, %s)", why, serial,
	           ok ? "was revoked there as superseded"
	              : "could not be revoked there: revoke it by hand");
}

static json_t *
names_json(const char *const *v, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int
up_issue_op(struct cert_rec *out, struct issuer *is, struct store *st,
            const struct issue_req *rq)
{
	struct upstream *u = is->impl;
	X509_REQ *req = NULL;
	X509 *x = NULL, *issuing = NULL, *root = NULL;
	EVP_PKEY *ipub, *rpub;
	json_t *body = NULL, *ans = NULL, *chain;
	struct cert_rec rec;
	struct up_write w;
	char *csr_pem = NULL, why[300];
	const char *type, *usages;
	long status = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&rec, 0, sizeof(rec));
	if ((rc = csr_load(&req, &csr_pem, rq->csr, rq->csr_len)) < 0)
		goto out;
	snprintf(why, sizeof(why), "RA %s: %s", rq->actor ? rq->actor : "system",
	         rq->reason ? rq->reason : "application");
	body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "csr", csr_pem, "type", rq->type,
	                 "usages", rq->usages, "cn", rq->cn, "reason", why);
	if (body == NULL) {
		rc =
		    sertel_err(SERTEL_EINVAL, "upstream request: type, usages and cn are "
		                              "required");
		goto out;
	}
	if (rq->email)
		json_object_set_new(body, "email", json_string(rq->email));
	if (rq->ou)
		json_object_set_new(body, "ou", json_string(rq->ou));
	if (rq->title)
		json_object_set_new(body, "title", json_string(rq->title));
	if (rq->nik && *rq->nik)
		json_object_set_new(body, "nik", json_string(rq->nik));
	if (rq->ndns > 0)
		json_object_set_new(body, "dns", names_json(rq->dns, rq->ndns));
	if (rq->nip > 0)
		json_object_set_new(body, "ip", names_json(rq->ip, rq->nip));
	if ((rc = up_post(&ans, &status, u, "/api/v1/certificates", body)) < 0)
		goto out;
	if (status != 201) {
		rc = up_refused(u, status, ans);
		goto out;
	}
	chain = json_object_get(ans, "chain");
	type = json_string_value(json_object_get(ans, "type"));
	usages = json_string_value(json_object_get(ans, "usages"));
	if ((x = pem_cert(json_string_value(json_object_get(ans, "certificate")))) ==
	        NULL ||
	    !json_is_array(chain) || json_array_size(chain) != 2 ||
	    (issuing = pem_cert(json_string_value(json_array_get(chain, 0)))) == NULL ||
	    (root = pem_cert(json_string_value(json_array_get(chain, 1)))) == NULL) {
		rc = sertel_err(SERTEL_EIO,
		                "upstream %s: the answer lacks the certificate "
		                "or its chain [issuing, root]",
		                u->url);
		goto out;
	}
	ipub = X509_get0_pubkey(issuing);
	rpub = X509_get0_pubkey(root);
	/* What we record must be what we asked for, from that hierarchy. */
	if (EVP_PKEY_eq(X509_get0_pubkey(x), X509_REQ_get0_pubkey(req)) != 1) {
		rc = sertel_err(SERTEL_EIO,
		                "upstream %s: the certificate does not carry "
		                "the key of the CSR sent",
		                u->url);
		goto out;
	}
	if (ipub == NULL || rpub == NULL || X509_verify(x, ipub) != 1 ||
	    X509_verify(issuing, rpub) != 1 || X509_verify(root, rpub) != 1) {
		ERR_clear_error();
		rc = sertel_err(SERTEL_EIO,
		                "upstream %s: certificate, issuing CA and root "
		                "do not form a signed chain",
		                u->url);
		goto out;
	}
	if ((rc = rec_fill(&rec, x, issuing, rq, type ? type : rq->type,
	                   usages ? usages : rq->usages)) < 0)
		goto out;
	w.u = u;
	w.rec = &rec;
	w.rq = rq;
	w.issuing = issuing;
	w.root = root;
	if ((rc = store_atomic(st, up_write_fn, &w)) < 0) {
		up_orphan(u, rec.serial, rc);
		goto out;
	}
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	cert_rec_free(&rec);
	X509_free(x);
	X509_free(issuing);
	X509_free(root);
	X509_REQ_free(req);
	free(csr_pem);
	json_decref(body);
	json_decref(ans);
	return rc;
}

/* ---- revocation --------------------------------------------------------------- */
struct up_revoke {
	struct upstream *u;
	const char *serial;
	int reason;
	const char *actor;
	const char *why;
	int already; /* the upstream had it revoked before */
	issuer_also_fn also;
	void *also_arg;
};

static int
up_revoke_fn(struct store *st, void *arg)
{
	struct up_revoke *w = arg;
	struct cert_rec rec;
	char obj[64], detail[1280];
	int rc;

	memset(&rec, 0, sizeof(rec));
	if ((rc = store_cert_revoke(st, w->serial, time_now(), w->reason)) < 0)
		return rc;
	snprintf(obj, sizeof(obj), "cert:%s", w->serial);
	snprintf(detail, sizeof(detail), "%s%s%.450s (revoked by upstream %s%s)",
	         revoke_reason_name(w->reason), w->why && *w->why ? ": " : "",
	         w->why ? w->why : "", w->u->url, w->already ? ", already there" : "");
	if ((rc = audit_append(st, w->actor, "cert.revoke", obj, detail)) < 0)
		return rc;
	if (w->also == NULL)
		return 0;
	if ((rc = store_cert_get(st, w->serial, &rec)) == 0)
		rc = w->also(st, &rec, w->also_arg);
	cert_rec_free(&rec);
	return rc;
}

static int
up_revoke_op(struct issuer *is, struct store *st, const char *serial, int reason,
             const char *actor, const char *why, issuer_also_fn also, void *also_arg)
{
	struct upstream *u = is->impl;
	struct up_revoke w = {u, serial, reason, actor, why, 0, also, also_arg};
	struct issuer_rec ir;
	struct cert_rec rec;
	json_t *body = NULL, *ans = NULL;
	char path[128], note[520];
	long status = 0;
	int rc;

	if ((rc = store_cert_get(st, serial, &rec)) < 0)
		return rc;
	rc = store_issuer_get(st, rec.issuer_id, &ir);
	if (rc == 0 && strcmp(ir.role, "upstream-ca") != 0)
		rc =
		    sertel_err(SERTEL_EINVAL,
		               "certificate %s: issued by this instance's own CA, not by "
		               "the upstream",
		               serial);
	else if (rc == 0 && rec.revoked)
		rc = sertel_err(SERTEL_ESTATE, "certificate %s: already revoked", serial);
	if (rc == 0)
		issuer_rec_free(&ir);
	cert_rec_free(&rec);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "/api/v1/certificates/%s/revoke", serial);
	snprintf(note, sizeof(note), "RA %s: %.450s", actor, why ? why : "");
	if ((body = json_pack("{s:s, s:s}", "reason", revoke_reason_name(reason), "note",
	                      note)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = up_post(&ans, &status, u, path, body)) < 0)
		goto out;
	/* 409: revoked there before (e.g. a local failure after the upstream
	 * answered last time): record it here now. */
	if (status == 409)
		w.already = 1;
	else if (status != 200) {
		rc = up_refused(u, status, ans);
		goto out;
	}
	rc = store_atomic(st, up_revoke_fn, &w);
out:
	json_decref(body);
	json_decref(ans);
	return rc;
}

static const struct issuer_ops up_ops = {"upstream", up_issue_op, up_revoke_op,
                                         up_free_op};

int
issuer_upstream_open(struct issuer **out, const struct config *cfg, const char *dir)
{
	const char *url = config_get(cfg, "issuer", "url", NULL),
	           *tok = config_get(cfg, "issuer", "token_file", NULL),
	           *caf = config_get(cfg, "issuer", "ca_file", NULL);
	struct upstream *u = NULL;
	struct issuer *is = NULL;
	char tokpath[1024];
	int rc;

	*out = NULL;
	if (url == NULL || tok == NULL || caf == NULL)
		return sertel_err(
		    SERTEL_EINVAL,
		    "[issuer] mode upstream: url, token_file and ca_file are "
		    "required");
	if (strncmp(url, "https://", 8) != 0 || strlen(url) < 9)
		return sertel_err(SERTEL_EINVAL, "[issuer] url '%s': must be https://",
		                  url);
	if ((u = calloc(1, sizeof(*u))) == NULL ||
	    (is = calloc(1, sizeof(*is))) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if (str_copy(u->url, sizeof(u->url), url) < 0) {
		rc = sertel_err(SERTEL_EINVAL, "[issuer] url: too long");
		goto out;
	}
	/* "https://host/" and "https://host" name the same base. */
	if (u->url[strlen(u->url) - 1] == '/')
		u->url[strlen(u->url) - 1] = '\0';
	u->timeout = (long)config_get_int(cfg, "issuer", "timeout_seconds", 30);
	if (u->timeout < 1 || u->timeout > 600) {
		rc = sertel_err(SERTEL_EINVAL, "[issuer] timeout_seconds: 1..600");
		goto out;
	}
	if ((rc = conf_path(u->ca_file, sizeof(u->ca_file), dir, caf, "ca_file")) < 0 ||
	    (rc = conf_path(tokpath, sizeof(tokpath), dir, tok, "token_file")) < 0 ||
	    (rc = token_load(u->token, tokpath)) < 0)
		goto out;
	if (access(u->ca_file, R_OK) != 0) {
		rc = sertel_err(SERTEL_EINVAL, "[issuer] ca_file %s: cannot read it",
		                u->ca_file);
		goto out;
	}
	is->ops = &up_ops;
	is->impl = u;
	*out = is;
	is = NULL;
	u = NULL;
	rc = 0;
out:
	if (u != NULL)
		secure_wipe(u, sizeof(*u));
	free(u);
	free(is);
	return rc;
}
