/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What one signed-on-demand OCSP answer costs in OpenSSL 3.0, step by
 * step, on one core: the object path sertel's src/pki/ocsp.c takes today
 * against a template path that writes the DER itself (as src/pki/crl.c
 * does for CRLs) and calls OpenSSL only to sign.
 *
 *   cc -O2 -o /tmp/ocsp-steps bench/ocsp/ocsp-steps.c -lcrypto
 *   /tmp/ocsp-steps REQ.der [ITERATIONS]
 *
 * REQ.der: a request with one CertID and a nonce (`openssl ocsp -issuer
 * ... -cert ... -reqout REQ.der`).  The signer is a throwaway ECDSA P-256
 * key with a self-signed certificate; every answer is "good", carries the
 * signer's certificate and echoes the nonce, like sertel's.  The template
 * path's answers are checked: they parse, verify (OCSP_basic_verify with
 * the signer trusted) and echo the nonce (OCSP_check_nonce).
 *
 * Steps timed (microseconds per answer, the mean over ITERATIONS, 20000
 * by default):
 *   parse        d2i_OCSP_REQUEST + i2d re-encode (DER check) + free:
 *                what request_parse does, twice per nonce'd request
 *                today (ocsp_request_cache_key, then ocsp_respond)
 *   build+sign   response_build: OCSP_BASICRESP, times, add1_status,
 *                copy_nonce, EVP_MD_CTX_copy_ex, OCSP_basic_sign_ctx
 *                (with its X509_check_private_key and responderID SHA-1),
 *                OCSP_response_create, i2d_OCSP_RESPONSE, frees
 *   sign only    EVP_MD_CTX_copy_ex + EVP_DigestSign over as many bytes
 *   template     hand DER walk of the request (CertID, nonce), the answer
 *                written from precomputed parts + EVP_DigestSign
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
die(const char *m)
{
	fprintf(stderr, "ocsp-steps: %s\n", m);
	exit(1);
}

/* ---- minimal DER ---------------------------------------------------- */

struct out {
	unsigned char *p;
	size_t n, cap;
};

static void
put(struct out *o, const void *v, size_t n)
{
	if (o->n + n > o->cap)
		die("buffer");
	memcpy(o->p + o->n, v, n);
	o->n += n;
}

static size_t
len_size(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
}

static void
put_hdr(struct out *o, unsigned char tag, size_t n)
{
	unsigned char h[5];
	size_t k = 0;

	h[k++] = tag;
	if (n < 0x80) {
		h[k++] = (unsigned char)n;
	} else if (n < 0x100) {
		h[k++] = 0x81;
		h[k++] = (unsigned char)n;
	} else if (n < 0x10000) {
		h[k++] = 0x82;
		h[k++] = (unsigned char)(n >> 8);
		h[k++] = (unsigned char)n;
	} else {
		h[k++] = 0x83;
		h[k++] = (unsigned char)(n >> 16);
		h[k++] = (unsigned char)(n >> 8);
		h[k++] = (unsigned char)n;
	}
	put(o, h, k);
}

/* TLV at p (avail bytes): tag, content offset and length; -1 if bad. */
static int
tlv(const unsigned char *p, size_t avail, unsigned char *tag, size_t *hdr, size_t *len)
{
	size_t l, k, i;

	if (avail < 2)
		return -1;
	*tag = p[0];
	if (p[1] < 0x80) {
		l = p[1];
		*hdr = 2;
	} else {
		k = p[1] & 0x7f;
		if (k == 0 || k > 3 || avail < 2 + k)
			return -1;
		for (l = 0, i = 0; i < k; i++)
			l = l << 8 | p[2 + i];
		*hdr = 2 + k;
	}
	if (*hdr + l > avail)
		return -1;
	*len = l;
	return 0;
}

/* The CertID and the nonce Extension (both whole TLVs) of a request with
 * one Request and no signature: OCSPRequest { tbsRequest { [0]? [1]?
 * requestList { Request { CertID, [0]? } }, [2] { Extensions } } }. */
static int
req_walk(const unsigned char *d, size_t n, const unsigned char **cid, size_t *cidlen,
         const unsigned char **nonce, size_t *noncelen)
{
	static const unsigned char nonce_oid[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05,
	                                          0x05, 0x07, 0x30, 0x01, 0x02};
	unsigned char t;
	size_t h, l, h2, l2, pos, end;

	*nonce = NULL;
	*cid = NULL;
	*cidlen = 0;
	if (tlv(d, n, &t, &h, &l) < 0 || t != 0x30 || h + l != n)
		return -1;
	d += h; /* tbsRequest */
	if (tlv(d, l, &t, &h, &l) < 0 || t != 0x30)
		return -1;
	pos = h;
	end = h + l;
	while (pos < end) {
		if (tlv(d + pos, end - pos, &t, &h2, &l2) < 0)
			return -1;
		if (t == 0x30) { /* requestList: exactly one Request */
			const unsigned char *r = d + pos + h2;
			size_t rh, rl, ch, cl;
			if (tlv(r, l2, &t, &rh, &rl) < 0 || t != 0x30 || rh + rl != l2 ||
			    tlv(r + rh, rl, &t, &ch, &cl) < 0 || t != 0x30)
				return -1;
			*cid = r + rh;
			*cidlen = ch + cl;
		} else if (t == 0xa2) { /* requestExtensions */
			const unsigned char *e = d + pos + h2;
			size_t eh, el, p2;
			if (tlv(e, l2, &t, &eh, &el) < 0 || t != 0x30)
				return -1;
			for (p2 = eh; p2 < eh + el;) {
				size_t xh, xl;
				if (tlv(e + p2, eh + el - p2, &t, &xh, &xl) < 0)
					return -1;
				if (xl > sizeof(nonce_oid) &&
				    memcmp(e + p2 + xh, nonce_oid, sizeof(nonce_oid)) ==
				        0) {
					*nonce = e + p2;
					*noncelen = xh + xl;
				}
				p2 += xh + xl;
			}
		}
		pos += h2 + l2;
	}
	return *cid != NULL ? 0 : -1;
}

/* GeneralizedTime "YYYYMMDDHHMMSSZ" (15 characters). */
static void
gentime(char out[16], time_t t)
{
	struct tm tm;
	unsigned v[6];
	int i, k = 0;

	gmtime_r(&t, &tm);
	v[0] = (unsigned)(tm.tm_year + 1900) % 10000;
	v[1] = (unsigned)tm.tm_mon + 1;
	v[2] = (unsigned)tm.tm_mday;
	v[3] = (unsigned)tm.tm_hour;
	v[4] = (unsigned)tm.tm_min;
	v[5] = (unsigned)tm.tm_sec;
	out[k++] = (char)('0' + v[0] / 1000);
	out[k++] = (char)('0' + v[0] / 100 % 10);
	for (i = 0; i < 6; i++) {
		out[k++] = (char)('0' + v[i] / 10 % 10);
		out[k++] = (char)('0' + v[i] % 10);
	}
	out[k++] = 'Z';
	out[k] = '\0';
}

/* Precomputed per signer: responderID byKey, signatureAlgorithm, certs. */
struct tmpl {
	unsigned char rid[2 + 2 + 20];
	unsigned char alg[12];
	unsigned char *certs;
	size_t certs_len;
	EVP_MD_CTX *sign;
};

static size_t
template_answer(unsigned char *buf, size_t cap, const struct tmpl *tp,
                const unsigned char *req, size_t reqlen)
{
	static const unsigned char basic_oid[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05,
	                                          0x05, 0x07, 0x30, 0x01, 0x01};
	const unsigned char *cid = NULL, *nonce = NULL;
	size_t cidlen = 0, noncelen = 0, single_len, tbs_len, resp_len, ext_len,
	       basic_len, siglen;
	unsigned char tbs_buf[1024], sig[80], single[512];
	struct out tbs = {tbs_buf, 0, sizeof(tbs_buf)}, s = {single, 0, sizeof(single)},
	           o = {buf, 0, cap};
	char tu[16], nu[16];
	time_t t = time(NULL);
	EVP_MD_CTX *md;

	if (req_walk(req, reqlen, &cid, &cidlen, &nonce, &noncelen) < 0)
		die("request walk");
	gentime(tu, t);
	gentime(nu, t + 86400);
	/* SingleResponse { CertID, good [0] NULL, thisUpdate, [0] nextUpdate } */
	single_len = cidlen + 2 + 17 + 2 + 17;
	put_hdr(&s, 0x30, single_len);
	put(&s, cid, cidlen);
	put(&s, "\x80\x00", 2);
	put_hdr(&s, 0x18, 15);
	put(&s, tu, 15);
	put_hdr(&s, 0xa0, 17);
	put_hdr(&s, 0x18, 15);
	put(&s, nu, 15);
	/* tbsResponseData */
	ext_len = nonce ? noncelen + 1 + len_size(noncelen) : 0;
	resp_len = s.n;
	tbs_len = sizeof(tp->rid) + 17 + 1 + len_size(resp_len) + resp_len;
	if (nonce)
		tbs_len += 1 + len_size(ext_len) + ext_len;
	put_hdr(&tbs, 0x30, tbs_len);
	put(&tbs, tp->rid, sizeof(tp->rid));
	put_hdr(&tbs, 0x18, 15);
	put(&tbs, tu, 15);
	put_hdr(&tbs, 0x30, resp_len);
	put(&tbs, s.p, s.n);
	if (nonce) {
		put_hdr(&tbs, 0xa1, ext_len);
		put_hdr(&tbs, 0x30, noncelen);
		put(&tbs, nonce, noncelen);
	}
	/* signature */
	md = EVP_MD_CTX_new();
	siglen = sizeof(sig) - 1;
	if (md == NULL || EVP_MD_CTX_copy_ex(md, tp->sign) != 1 ||
	    EVP_DigestSign(md, sig + 1, &siglen, tbs.p, tbs.n) != 1)
		die("sign");
	EVP_MD_CTX_free(md);
	sig[0] = 0;
	siglen++;
	/* OCSPResponse { 0, [0] { basic OID, OCTET STRING { BasicOCSPResponse } } } */
	basic_len =
	    tbs.n + sizeof(tp->alg) + 1 + len_size(siglen) + siglen + tp->certs_len;
	{
		size_t bo = 1 + len_size(basic_len) + basic_len; /* SEQUENCE */
		size_t os = 1 + len_size(bo) + bo;               /* OCTET STRING */
		size_t rb = sizeof(basic_oid) + os;              /* SEQUENCE content */
		size_t rbs = 1 + len_size(rb) + rb;              /* SEQUENCE */
		put_hdr(&o, 0x30, 3 + 1 + len_size(rbs) + rbs);
		put(&o, "\x0a\x01\x00", 3);
		put_hdr(&o, 0xa0, rbs);
		put_hdr(&o, 0x30, rb);
		put(&o, basic_oid, sizeof(basic_oid));
		put_hdr(&o, 0x04, bo);
		put_hdr(&o, 0x30, basic_len);
		put(&o, tbs.p, tbs.n);
		put(&o, tp->alg, sizeof(tp->alg));
		put_hdr(&o, 0x03, siglen);
		put(&o, sig, siglen);
		put(&o, tp->certs, tp->certs_len);
	}
	return o.n;
}

/* What src/pki/ocsp.c response_build does, in OpenSSL objects. */
static int
object_answer(unsigned char **der, OCSP_REQUEST *req, X509 *signer, EVP_PKEY *key,
              EVP_MD_CTX *tmpl)
{
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_RESPONSE *resp = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	time_t t = time(NULL);
	ASN1_GENERALIZEDTIME *tu = ASN1_GENERALIZEDTIME_set(NULL, t);
	ASN1_GENERALIZEDTIME *nu = ASN1_GENERALIZEDTIME_set(NULL, t + 86400);
	OCSP_CERTID *id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, 0));
	int n;

	(void)key;
	if (bs == NULL || md == NULL || tu == NULL || nu == NULL ||
	    OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, tu, nu) ==
	        NULL ||
	    OCSP_copy_nonce(bs, req) <= 0 || EVP_MD_CTX_copy_ex(md, tmpl) != 1 ||
	    OCSP_basic_sign_ctx(bs, signer, md, NULL, OCSP_RESPID_KEY) != 1 ||
	    (resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs)) == NULL)
		die("object path");
	n = i2d_OCSP_RESPONSE(resp, der);
	OCSP_RESPONSE_free(resp);
	EVP_MD_CTX_free(md);
	ASN1_GENERALIZEDTIME_free(tu);
	ASN1_GENERALIZEDTIME_free(nu);
	OCSP_BASICRESP_free(bs);
	return n;
}

static void
parse_check(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	unsigned char *re = NULL;
	OCSP_REQUEST *req = d2i_OCSP_REQUEST(NULL, &p, (long)len);

	if (req == NULL || i2d_OCSP_REQUEST(req, &re) != (int)len || memcmp(re, der, len))
		die("request parse");
	OPENSSL_free(re);
	OCSP_REQUEST_free(req);
}

int
main(int argc, char **argv)
{
	unsigned char reqder[4096], out[4096], *der = NULL, *cp;
	const unsigned char *p;
	size_t reqlen, n, tlen = 0;
	int i, iters = 20000, dlen;
	FILE *f;
	EVP_PKEY *key;
	X509 *cert;
	OCSP_REQUEST *req;
	EVP_MD_CTX *tmpl;
	struct tmpl tp;
	double t0, t_parse, t_obj, t_sign, t_tmpl;
	unsigned int klen = 20;
	int clen;

	if (argc > 2) {
		char *e;
		long v = strtol(argv[2], &e, 10);
		if (*argv[2] == '\0' || *e != '\0' || v < 1 || v > 10000000) {
			fprintf(stderr, "iterations: a whole number 1..10000000\n");
			return 2;
		}
		iters = (int)v;
	}

	if (argc < 2)
		die("usage: ocsp-steps REQ.der [ITERATIONS]");
	if ((f = fopen(argv[1], "rb")) == NULL)
		die("cannot open the request");
	reqlen = fread(reqder, 1, sizeof(reqder), f);
	fclose(f);
	p = reqder;
	if ((req = d2i_OCSP_REQUEST(NULL, &p, (long)reqlen)) == NULL)
		die("not an OCSP request");

	/* Signer: P-256 key, self-signed certificate. */
	key = EVP_EC_gen("P-256");
	cert = X509_new();
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 2);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
	                           (const unsigned char *)"ocsp-steps responder", -1, -1,
	                           0);
	X509_set_issuer_name(cert, X509_get_subject_name(cert));
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 365);
	X509_set_pubkey(cert, key);
	if (key == NULL || X509_sign(cert, key, EVP_sha256()) <= 0)
		die("signer");
	tmpl = EVP_MD_CTX_new();
	if (EVP_DigestSignInit(tmpl, NULL, EVP_sha256(), NULL, key) != 1)
		die("sign init");

	/* The template's constant parts. */
	memcpy(tp.rid, "\xa2\x16\x04\x14", 4);
	if (X509_pubkey_digest(cert, EVP_sha1(), tp.rid + 4, &klen) != 1 || klen != 20)
		die("key hash");
	memcpy(tp.alg, "\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 12);
	clen = i2d_X509(cert, NULL);
	tp.certs_len =
	    1 + len_size(1 + len_size(clen) + clen) + 1 + len_size(clen) + clen;
	tp.certs = malloc(tp.certs_len);
	{
		struct out o = {tp.certs, 0, tp.certs_len};
		put_hdr(&o, 0xa0, 1 + len_size(clen) + clen);
		put_hdr(&o, 0x30, clen);
		cp = tp.certs + o.n;
		i2d_X509(cert, &cp);
	}
	tp.sign = tmpl;

	/* Check a template answer the way a client would. */
	n = template_answer(out, sizeof(out), &tp, reqder, reqlen);
	{
		const unsigned char *q = out;
		OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &q, (long)n);
		OCSP_BASICRESP *bs = r ? OCSP_response_get1_basic(r) : NULL;
		X509_STORE *st = X509_STORE_new();
		STACK_OF(X509) *sk = sk_X509_new_null();
		sk_X509_push(sk, cert);
		X509_STORE_add_cert(st, cert);
		if (r == NULL || q != out + n || bs == NULL ||
		    OCSP_basic_verify(bs, sk, st, OCSP_TRUSTOTHER) != 1 ||
		    (OCSP_check_nonce(req, bs) != 1 && OCSP_check_nonce(req, bs) != 2))
			die("the template answer does not verify");
		OCSP_BASICRESP_free(bs);
		OCSP_RESPONSE_free(r);
		X509_STORE_free(st);
		sk_X509_free(sk);
	}
	dlen = object_answer(&der, req, cert, key, tmpl);
	printf("answer sizes: object path %d bytes, template %zu bytes (template answer "
	       "verified, nonce as in the request)\n",
	       dlen, n);
	OPENSSL_free(der);
	der = NULL;

	t0 = now_us();
	for (i = 0; i < iters; i++)
		parse_check(reqder, reqlen);
	t_parse = (now_us() - t0) / iters;

	t0 = now_us();
	for (i = 0; i < iters; i++) {
		object_answer(&der, req, cert, key, tmpl);
		OPENSSL_free(der);
		der = NULL;
	}
	t_obj = (now_us() - t0) / iters;

	/* tbsResponseData is about 200 bytes with a nonce. */
	t0 = now_us();
	for (i = 0; i < iters; i++) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		unsigned char sig[80];
		size_t sl = sizeof(sig);
		if (EVP_MD_CTX_copy_ex(md, tmpl) != 1 ||
		    EVP_DigestSign(md, sig, &sl, out, 200) != 1)
			die("sign");
		EVP_MD_CTX_free(md);
		tlen += sl;
	}
	t_sign = (now_us() - t0) / iters;

	t0 = now_us();
	for (i = 0; i < iters; i++)
		tlen += template_answer(out, sizeof(out), &tp, reqder, reqlen);
	t_tmpl = (now_us() - t0) / iters;

	printf("%-62s %8s\n", "step (one core, mean of iterations)", "us");
	printf("%-62s %8.1f\n", "request parse + DER re-encode check + free (OpenSSL)",
	       t_parse);
	printf("%-62s %8.1f\n", "  x2 as today for a nonce'd request", 2 * t_parse);
	printf("%-62s %8.1f\n", "answer, OpenSSL objects (response_build today)", t_obj);
	printf("%-62s %8.1f\n", "  of which signing alone (ctx copy + EVP_DigestSign)",
	       t_sign);
	printf("%-62s %8.1f\n", "answer, template + hand request walk + EVP_DigestSign",
	       t_tmpl);
	printf("%-62s %8.1f\n", "today (2 parses + objects)", 2 * t_parse + t_obj);
	printf("%-62s %8.1f\n", "saving per nonce'd answer",
	       2 * t_parse + t_obj - t_tmpl);
	fprintf(stderr, "(%zu)\n", tlen & 1);
	return 0;
}
