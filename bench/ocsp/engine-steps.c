/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What sertel's OCSP engine (src/pki/ocsp.c) costs per answer on one
 * core, without HTTP or the store: the status lookup is a stub that
 * answers "good".  Complements ocsp-steps.c (OpenSSL alone).
 *
 *   cc -O2 -Isrc -o /tmp/engine-steps bench/ocsp/engine-steps.c \
 *      BUILD/libsertel_pki.a BUILD/libsertel_core.a -lcrypto -lsodium
 *   /tmp/engine-steps CA.pem SIGNER.pem SIGNER.key REQ.der [ITERATIONS]
 *
 * SIGNER is a delegated responder certificate issued by CA (or CA
 * itself); REQ.der one request for a certificate of CA, e.g. from
 * `openssl ocsp -issuer CA.pem -serial 0x01... -reqout REQ.der` (with a
 * nonce for the signed-on-demand case).  The first answer is checked
 * (successful, verifies with the signer trusted, nonce as in the request).
 *
 * Steps timed (microseconds per answer; the steps run interleaved in 10
 * rounds of ITERATIONS/10 each, 20000 by default, timed in this thread's
 * CPU time, and the fastest round's mean is shown, since other load on
 * the machine only ever adds; only calls that exist in
 * every version of va.h, so the same file times an older ocsp.c linked in its place):
 *   cache key    ocsp_request_cache_key: one parse + DER check
 *   respond      ocsp_respond: one parse, lookup, answer, signature
 *   key+respond  both, as the HTTP layer handled a nonce'd request
 *                before it parsed each request once
 *   sign only    EVP_MD_CTX_copy_ex + EVP_DigestSign over 200 bytes
 *   presign      ocsp_presign (SHA-1 CertID, "good")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "pki/va.h"

/* This thread's CPU time: time it spends preempted by other load on a
 * shared machine is not counted. */
static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void
die(const char *m)
{
	fprintf(stderr, "engine-steps: %s (%s)\n", m, sertel_errmsg());
	exit(1);
}

static int
lookup_good(struct ocsp_status *out, const char *issuer_id, const char *serial, void *arg)
{
	(void)issuer_id;
	(void)serial;
	(void)arg;
	*out = (struct ocsp_status){OCSP_CERT_GOOD, 0, -1};
	return 0;
}

/* One timed step: what it needs, and the call. */
struct ctx {
	struct ocsp_responder *r;
	const unsigned char *req;
	size_t len;
	const char *id;
	EVP_MD_CTX *tmpl;
};

static void
step_key(struct ctx *c)
{
	struct ocsp_cache_key key;

	(void)ocsp_request_cache_key(&key, c->r, c->req, c->len);
}

static void
step_respond(struct ctx *c)
{
	struct ocsp_result res;

	if (ocsp_respond(&res, c->r, c->req, c->len) < 0)
		die("respond");
	ocsp_result_free(&res);
}

static void
step_both(struct ctx *c)
{
	step_key(c);
	step_respond(c);
}

static void
step_sign(struct ctx *c)
{
	unsigned char sig[600];
	size_t sl = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (md == NULL || EVP_MD_CTX_copy_ex(md, c->tmpl) != 1 ||
	    EVP_DigestSign(md, sig, &sl, c->req, c->len < 200 ? c->len : 200) != 1)
		die("sign");
	EVP_MD_CTX_free(md);
}

static void
step_presign(struct ctx *c)
{
	struct ocsp_status good = {OCSP_CERT_GOOD, 0, -1};
	struct ocsp_result res;

	if (ocsp_presign(&res, c->r, c->id, "0a", NULL, &good) < 0)
		die("presign");
	ocsp_result_free(&res);
}

#define ROUNDS 10
#define NSTEPS 5
static const struct {
	void (*fn)(struct ctx *);
} steps[NSTEPS] = {{step_key}, {step_respond}, {step_both}, {step_sign}, {step_presign}};

static X509 *
load_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f != NULL)
		fclose(f);
	if (x == NULL)
		die("cannot read a certificate");
	return x;
}

int
main(int argc, char **argv)
{
	unsigned char req[16384];
	struct ocsp_issuer_conf c = {0};
	struct ocsp_responder *r = NULL;
	struct ocsp_result res;
	char id[ISSUER_ID_LEN + 1];
	EVP_PKEY *pkey;
	EVP_MD_CTX *tmpl;
	X509 *ca, *signer;
	FILE *f;
	struct ctx g;
	size_t len;
	long iters = 20000, i;
	int k, round;
	double t0, t, best[NSTEPS], t_key, t_resp, t_both, t_sign, t_pre;

	if (argc < 5)
		die("usage: engine-steps CA.pem SIGNER.pem SIGNER.key REQ.der "
		    "[ITERATIONS]");
	if (argc > 5) {
		char *e;
		iters = strtol(argv[5], &e, 10);
		if (*argv[5] == '\0' || *e != '\0' || iters < 1 || iters > 10000000)
			die("iterations: a whole number 1..10000000");
	}
	ca = load_cert(argv[1]);
	signer = load_cert(argv[2]);
	if ((f = fopen(argv[3], "r")) == NULL ||
	    (pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		die("cannot read the key");
	fclose(f);
	if ((f = fopen(argv[4], "rb")) == NULL)
		die("cannot read the request");
	len = fread(req, 1, sizeof(req), f);
	fclose(f);

	c.issuer = ca;
	c.signer = signer;
	c.key = pkey;
	if (ocsp_responder_new(&r, 86400, lookup_good, NULL) < 0 ||
	    ocsp_responder_add_issuer(r, &c) < 0 || issuer_id_of(id, ca) < 0)
		die("responder");

	/* Check one answer the way a client does. */
	if (ocsp_respond(&res, r, req, len) < 0 || res.status != OCSP_RESP_SUCCESSFUL)
		die("the request is not answered successfully");
	{
		const unsigned char *p = res.der, *q = req;
		OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)res.len);
		OCSP_REQUEST *oreq = d2i_OCSP_REQUEST(NULL, &q, (long)len);
		OCSP_BASICRESP *bs = resp != NULL ? OCSP_response_get1_basic(resp) : NULL;
		X509_STORE *st = X509_STORE_new();
		STACK_OF(X509) *sk = sk_X509_new_null();
		int nonce;

		sk_X509_push(sk, signer);
		X509_STORE_add_cert(st, signer);
		nonce = bs != NULL && oreq != NULL ? OCSP_check_nonce(oreq, bs) : 0;
		if (bs == NULL || OCSP_basic_verify(bs, sk, st, OCSP_TRUSTOTHER) != 1 ||
		    (nonce != 1 && nonce != 2))
			die("the answer does not verify");
		printf("answer: %zu bytes, verified, %s\n", res.len,
		       nonce == 1 ? "nonce echoed" : "no nonce");
		OCSP_BASICRESP_free(bs);
		OCSP_RESPONSE_free(resp);
		OCSP_REQUEST_free(oreq);
		X509_STORE_free(st);
		sk_X509_free(sk);
	}
	ocsp_result_free(&res);

	tmpl = EVP_MD_CTX_new();
	if (tmpl == NULL || EVP_DigestSignInit(tmpl, NULL, EVP_sha256(), NULL, pkey) != 1)
		die("sign init");
	g = (struct ctx){r, req, len, id, tmpl};
	/* Steps interleaved, ROUNDS rounds of iters / ROUNDS each; the
	 * fastest round counts (other load only ever adds time). */
	for (k = 0; k < NSTEPS; k++)
		best[k] = 1e30;
	for (round = 0; round < ROUNDS; round++) {
		for (k = 0; k < NSTEPS; k++) {
			t0 = now_us();
			for (i = 0; i < iters / ROUNDS + 1; i++)
				steps[k].fn(&g);
			t = (now_us() - t0) / (double)(iters / ROUNDS + 1);
			if (t < best[k])
				best[k] = t;
		}
	}
	t_key = best[0];
	t_resp = best[1];
	t_both = best[2];
	t_sign = best[3];
	t_pre = best[4];

	printf("%-58s %8s\n", "step (one core, mean of iterations)", "us");
	printf("%-58s %8.1f\n", "ocsp_request_cache_key (parse + DER check)", t_key);
	printf("%-58s %8.1f\n", "ocsp_respond (parse, lookup stub, answer, sign)",
	       t_resp);
	printf("%-58s %8.1f\n", "cache key + respond (two parses: the old HTTP path)",
	       t_both);
	printf("%-58s %8.1f\n", "  of which signing alone (ctx copy + EVP_DigestSign)",
	       t_sign);
	printf("%-58s %8.1f\n", "ocsp_presign (SHA-1 CertID, good)", t_pre);
	EVP_MD_CTX_free(tmpl);
	ocsp_responder_free(r);
	X509_free(ca);
	X509_free(signer);
	EVP_PKEY_free(pkey);
	return 0;
}
