/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the path validator on small PKIs made on the fly (EC
 * P-256): path building with backtracking past dead ends and invalid
 * candidates, the search bounds against hostile pools, purposes, input
 * parsing of hostile bytes, OCSP responses, and (with --cli) the exit
 * codes of verify-cert on PKITS.
 *
 *   test_validate               the unit tests
 *   test_validate --cli         the verify-cert exit codes, run through
 *                               $SERTEL_BIN when it knows verify-cert,
 *                               else through this binary:
 *   test_validate verify-cert . a stand-in for "sertel verify-cert ..."
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "core/core.h"
#include "testdata.h"
#include "pki/pki.h"
#include "pki/validate.h"

#define DAY (24 * 3600L)

/* ---- a PKI made on the fly ---------------------------------------------- */

static EVP_PKEY *
key_new(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

static X509_NAME *
name_new(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	assert_non_null(n);
	assert_true(X509_NAME_add_entry_by_txt(
	    n, "O", MBSTRING_ASC, (const unsigned char *)"Sertel Test", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	                                       (const unsigned char *)cn, -1, -1, 0));
	return n;
}

/* The SHA-1 key identifier of k (RFC 5280 4.2.1.2 method 1). */
static ASN1_OCTET_STRING *
keyid_of(EVP_PKEY *k)
{
	X509_PUBKEY *pk = NULL;
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	const unsigned char *bits;
	unsigned char md[20];
	unsigned int mdlen;
	int len;

	assert_non_null(os);
	assert_true(X509_PUBKEY_set(&pk, k));
	assert_true(X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, pk));
	assert_true(EVP_Digest(bits, (size_t)len, md, &mdlen, EVP_sha1(), NULL));
	assert_true(ASN1_OCTET_STRING_set(os, md, (int)mdlen));
	X509_PUBKEY_free(pk);
	return os;
}

/* A certificate for key named cn, issued by icn with ikey (self-signed
 * when icn is NULL), valid from now+nb to now+na seconds, with the
 * extensions "name=value" in exts (NULL-terminated). */
static X509 *
mkcert(const char *cn, EVP_PKEY *key, const char *icn, EVP_PKEY *ikey, long serial,
       long nb, long na, const char *const *exts)
{
	X509 *x = X509_new();
	X509_NAME *n;
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	AUTHORITY_KEYID *akid;
	char name[64];
	const char *eq;
	size_t i;

	assert_non_null(x);
	assert_true(X509_set_version(x, 2));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), serial));
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), nb));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), na));
	n = name_new(cn);
	assert_true(X509_set_subject_name(x, n));
	X509_NAME_free(n);
	n = name_new(icn ? icn : cn);
	assert_true(X509_set_issuer_name(x, n));
	X509_NAME_free(n);
	assert_true(X509_set_pubkey(x, key));
	X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
	e = X509V3_EXT_conf(NULL, &ctx, "subjectKeyIdentifier", "hash");
	assert_non_null(e);
	assert_true(X509_add_ext(x, e, -1));
	X509_EXTENSION_free(e);
	akid = AUTHORITY_KEYID_new();
	assert_non_null(akid);
	akid->keyid = keyid_of(icn ? ikey : key);
	assert_true(X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0,
	                              X509V3_ADD_DEFAULT));
	AUTHORITY_KEYID_free(akid);
	for (i = 0; exts != NULL && exts[i] != NULL; i++) {
		eq = strchr(exts[i], '=');
		assert_non_null(eq);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - exts[i]), exts[i]);
		e = X509V3_EXT_conf(NULL, &ctx, name, eq + 1);
		assert_non_null(e);
		assert_true(X509_add_ext(x, e, -1));
		X509_EXTENSION_free(e);
	}
	assert_true(X509_sign(x, icn ? ikey : key, EVP_sha256()) > 0);
	return x;
}

static const char *const CA_EXTS[] = {"basicConstraints=critical,CA:TRUE",
                                      "keyUsage=critical,keyCertSign,cRLSign", NULL};
static const char *const EE_EXTS[] = {"basicConstraints=critical,CA:FALSE",
                                      "keyUsage=critical,digitalSignature,nonRepudiation",
                                      NULL};

/* root -> inter -> ee, all valid now. */
struct pki {
	EVP_PKEY *kroot, *kinter, *kee;
	X509 *root, *inter, *ee;
};

static void
pki_make(struct pki *p)
{
	p->kroot = key_new();
	p->kinter = key_new();
	p->kee = key_new();
	p->root = mkcert("Root", p->kroot, NULL, NULL, 1, -DAY, 3650 * DAY, CA_EXTS);
	p->inter =
	    mkcert("Inter", p->kinter, "Root", p->kroot, 2, -DAY, 3650 * DAY, CA_EXTS);
	p->ee = mkcert("Leaf", p->kee, "Inter", p->kinter, 3, -DAY, 365 * DAY, EE_EXTS);
}

static void
pki_free(struct pki *p)
{
	X509_free(p->root);
	X509_free(p->inter);
	X509_free(p->ee);
	EVP_PKEY_free(p->kroot);
	EVP_PKEY_free(p->kinter);
	EVP_PKEY_free(p->kee);
}

/* Validates target against anchor and pool (in that order). */
static int
check(struct validate_result *r, X509 *target, X509 *anchor, X509 **pool, size_t npool,
      const struct validate_params *tmpl)
{
	struct validate_input *in = NULL;
	struct validate_params p;
	size_t i;
	int rc;

	assert_int_equal(validate_input_new(&in), 0);
	assert_int_equal(validate_input_add_anchor_x509(in, anchor), 0);
	for (i = 0; i < npool; i++)
		assert_int_equal(validate_input_add_untrusted_x509(in, pool[i]), 0);
	if (tmpl != NULL)
		p = *tmpl;
	else
		validate_params_init(&p);
	p.input = in;
	rc = validate_cert_x509(r, target, &p);
	validate_input_free(in);
	return rc;
}

/* ---- path building -------------------------------------------------------- */

static void
test_simple_path(void **state)
{
	struct pki k;
	struct validate_result r;
	X509 *pool[1];

	(void)state;
	pki_make(&k);
	pool[0] = k.inter;
	assert_int_equal(check(&r, k.ee, k.root, pool, 1, NULL), 0);
	assert_true(r.valid);
	assert_int_equal(r.path_len, 3);
	assert_int_equal(sk_X509_num(r.chain), 3);
	assert_true(r.path[2].anchor);
	assert_non_null(strstr(r.path[1].subject, "CN=Inter"));
	validate_result_free(&r);

	/* Without the intermediate: no path, and the reason says so. */
	assert_int_equal(check(&r, k.ee, k.root, NULL, 0, NULL), SERTEL_EINVALID);
	assert_false(r.valid);
	assert_int_equal(r.error, VALIDATE_ERR_PATH);
	assert_non_null(strstr(r.reason, "cert CN=Leaf: RFC 5280 6.1"));
	assert_int_equal(r.failing_index, 0);
	validate_result_free(&r);
	pki_free(&k);
}

/* A cross-certificate for the intermediate's key from a root nobody
 * trusts comes first in the pool: the search must back out of that dead
 * end and take the intermediate issued by the trusted root. */
static void
test_backtrack_cross_cert(void **state)
{
	struct pki k;
	struct validate_result r;
	EVP_PKEY *kother;
	X509 *other, *cross, *pool[3];

	(void)state;
	pki_make(&k);
	kother = key_new();
	other = mkcert("Other Root", kother, NULL, NULL, 10, -DAY, 3650 * DAY, CA_EXTS);
	cross = mkcert("Inter", k.kinter, "Other Root", kother, 11, -DAY, 3650 * DAY,
	               CA_EXTS);
	pool[0] = cross;
	pool[1] = other;
	pool[2] = k.inter;
	assert_int_equal(check(&r, k.ee, k.root, pool, 3, NULL), 0);
	assert_true(r.valid);
	assert_int_equal(r.path_len, 3);
	assert_non_null(strstr(r.path[2].subject, "CN=Root"));
	assert_string_equal(r.path[1].serial, "02");
	validate_result_free(&r);

	/* Only the dead end: invalid, and the reason is about it. */
	assert_int_equal(check(&r, k.ee, k.root, pool, 2, NULL), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_PATH);
	assert_non_null(strstr(r.reason, "Other Root"));
	validate_result_free(&r);

	X509_free(other);
	X509_free(cross);
	EVP_PKEY_free(kother);
	pki_free(&k);
}

/* A candidate with the right name and key whose path fails a rule
 * (no keyCertSign) comes first: the search must try the next one. */
static void
test_backtrack_invalid_candidate(void **state)
{
	static const char *const bad_exts[] = {"basicConstraints=critical,CA:TRUE",
	                                       "keyUsage=critical,digitalSignature",
	                                       NULL};
	struct pki k;
	struct validate_result r;
	X509 *bad, *expired, *pool[3];

	(void)state;
	pki_make(&k);
	bad = mkcert("Inter", k.kinter, "Root", k.kroot, 20, -DAY, 3650 * DAY, bad_exts);
	expired =
	    mkcert("Inter", k.kinter, "Root", k.kroot, 21, -10 * DAY, -2 * DAY, CA_EXTS);
	pool[0] = bad;
	pool[1] = expired;
	pool[2] = k.inter;
	assert_int_equal(check(&r, k.ee, k.root, pool, 3, NULL), 0);
	assert_true(r.valid);
	assert_string_equal(r.path[1].serial, "02");
	validate_result_free(&r);

	/* Without the good one, the failure of the closest attempt. */
	assert_int_equal(check(&r, k.ee, k.root, pool, 2, NULL), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_PATH);
	assert_true(strstr(r.reason, "keyCertSign") != NULL ||
	            strstr(r.reason, "expired") != NULL);
	assert_int_equal(r.failing_index, 1);
	assert_int_equal(r.path_len, 3);
	validate_result_free(&r);

	X509_free(bad);
	X509_free(expired);
	pki_free(&k);
}

static void
test_path_length(void **state)
{
	static const char *const pl0[] = {"basicConstraints=critical,CA:TRUE,pathlen:0",
	                                  "keyUsage=critical,keyCertSign,cRLSign", NULL};
	struct pki k;
	struct validate_result r;
	EVP_PKEY *ksub;
	X509 *inter0, *sub, *leaf, *pool[2];

	(void)state;
	pki_make(&k);
	ksub = key_new();
	inter0 = mkcert("Inter", k.kinter, "Root", k.kroot, 30, -DAY, 3650 * DAY, pl0);
	sub = mkcert("Sub", ksub, "Inter", k.kinter, 31, -DAY, 3650 * DAY, CA_EXTS);
	leaf = mkcert("Leaf2", k.kee, "Sub", ksub, 32, -DAY, 365 * DAY, EE_EXTS);
	pool[0] = inter0;
	pool[1] = sub;
	assert_int_equal(check(&r, leaf, k.root, pool, 2, NULL), SERTEL_EINVALID);
	assert_non_null(strstr(r.reason, "cert CN=Sub: RFC 5280 4.2.1.9: "
	                                 "pathLenConstraint exceeded"));
	assert_int_equal(r.failing_index, 1);
	validate_result_free(&r);

	X509_free(inter0);
	X509_free(sub);
	X509_free(leaf);
	EVP_PKEY_free(ksub);
	pki_free(&k);
}

/* ---- name constraints ----------------------------------------------------- */

static void
test_name_constraints(void **state)
{
	static const char *const nc_ca[] = {
	    "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign",
	    "nameConstraints=critical,permitted;IP:192.168.0.0/255.255.0.0,"
	    "permitted;DNS:example.com,permitted;email:.example.com,"
	    "excluded;DNS:bad.example.com,excluded;IP:192.168.9.0/"
	    "255.255.255.0",
	    NULL};
	static const struct {
		const char *san;
		int valid;
	} cases[] = {
	    {"subjectAltName=IP:192.168.1.1,DNS:www.example.com", 1},
	    {"subjectAltName=DNS:example.com", 1},
	    {"subjectAltName=email:a@mail.example.com", 1},
	    {"subjectAltName=IP:10.0.0.1", 0},
	    {"subjectAltName=IP:192.168.9.7", 0},
	    /* iPAddress subtrees permit only IPv4: no IPv6 address is in */
	    {"subjectAltName=IP:2001:db8::1", 0},
	    {"subjectAltName=DNS:x.bad.example.com", 0},
	    {"subjectAltName=DNS:notexample.com", 0},
	    {"subjectAltName=email:a@example.com", 0},      /* ".": subdomains */
	    {"subjectAltName=URI:https://example.com/", 1}, /* no URI one */
	};
	struct pki k;
	struct validate_result r;
	X509 *ca, *leaf, *pool[1];
	const char *exts[3];
	size_t i;

	(void)state;
	pki_make(&k);
	ca = mkcert("Inter", k.kinter, "Root", k.kroot, 70, -DAY, 3650 * DAY, nc_ca);
	pool[0] = ca;
	exts[0] = "basicConstraints=critical,CA:FALSE";
	exts[2] = NULL;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exts[1] = cases[i].san;
		leaf = mkcert("NC Leaf", k.kee, "Inter", k.kinter, (long)(71 + i), -DAY,
		              365 * DAY, exts);
		assert_int_equal(check(&r, leaf, k.root, pool, 1, NULL),
		                 cases[i].valid ? 0 : SERTEL_EINVALID);
		if (!cases[i].valid)
			assert_non_null(strstr(r.reason, "RFC 5280 6.1.3(b)(c)"));
		validate_result_free(&r);
		X509_free(leaf);
	}
	X509_free(ca);
	pki_free(&k);
}

/* ---- bounds --------------------------------------------------------------- */

/* A layered mesh with no anchor at the top: three certificates for each
 * of 14 names, each a valid issuer of all three below.  3^14 paths; the
 * step budget must stop the search quickly. */
static void
test_hostile_mesh(void **state)
{
	enum { LAYERS = 14, WIDTH = 3 };
	struct pki k;
	struct validate_result r;
	struct validate_params p;
	EVP_PKEY *keys[LAYERS + 1];
	X509 *pool[LAYERS * WIDTH], *leaf;
	char cn[32], icn[32];
	size_t i, j, n = 0;
	time_t t0;

	(void)state;
	pki_make(&k);
	for (i = 0; i <= LAYERS; i++)
		keys[i] = key_new();
	for (i = 0; i < LAYERS; i++) {
		snprintf(cn, sizeof(cn), "Mesh %zu", i);
		snprintf(icn, sizeof(icn), "Mesh %zu", i + 1);
		for (j = 0; j < WIDTH; j++, n++)
			pool[n] = mkcert(cn, keys[i], icn, keys[i + 1], (long)(100 + n),
			                 -DAY, 3650 * DAY, CA_EXTS);
	}
	leaf =
	    mkcert("Mesh Leaf", k.kee, "Mesh 0", keys[0], 99, -DAY, 365 * DAY, EE_EXTS);
	t0 = time(NULL);
	assert_int_equal(check(&r, leaf, k.root, pool, n, NULL), SERTEL_EINVALID);
	assert_true(time(NULL) - t0 <= 2);
	assert_int_equal(r.error, VALIDATE_ERR_LIMIT);
	assert_non_null(strstr(r.reason, "search limit"));
	validate_result_free(&r);

	/* A small explicit budget is honoured too. */
	validate_params_init(&p);
	p.max_steps = 50;
	assert_int_equal(check(&r, leaf, k.root, pool, n, &p), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_LIMIT);
	validate_result_free(&r);

	for (i = 0; i < n; i++)
		X509_free(pool[i]);
	for (i = 0; i <= LAYERS; i++)
		EVP_PKEY_free(keys[i]);
	X509_free(leaf);
	pki_free(&k);
}

/* A chain of 5 intermediates: valid with max_depth 6, not with 5. */
static void
test_max_depth(void **state)
{
	enum { N = 5 };
	struct pki k;
	struct validate_result r;
	struct validate_params p;
	EVP_PKEY *keys[N];
	X509 *pool[N], *leaf;
	char cn[32], icn[32];
	size_t i;

	(void)state;
	pki_make(&k);
	/* Deep 0 is issued by Root; Deep i by Deep i-1. */
	for (i = 0; i < N; i++) {
		keys[i] = key_new();
		snprintf(cn, sizeof(cn), "Deep %zu", i);
		snprintf(icn, sizeof(icn), "Deep %zu", i - 1);
		pool[i] = mkcert(cn, keys[i], i == 0 ? "Root" : icn,
		                 i == 0 ? k.kroot : keys[i - 1], (long)(40 + i), -DAY,
		                 3650 * DAY, CA_EXTS);
	}
	snprintf(icn, sizeof(icn), "Deep %d", N - 1);
	leaf = mkcert("Deep Leaf", k.kee, icn, keys[N - 1], 49, -DAY, 365 * DAY, EE_EXTS);
	validate_params_init(&p);
	p.max_depth = N + 1;
	assert_int_equal(check(&r, leaf, k.root, pool, N, &p), 0);
	assert_int_equal(r.path_len, N + 2);
	validate_result_free(&r);
	p.max_depth = N;
	assert_int_equal(check(&r, leaf, k.root, pool, N, &p), SERTEL_EINVALID);
	assert_non_null(strstr(r.reason, "within 5 certificates"));
	validate_result_free(&r);

	for (i = 0; i < N; i++) {
		X509_free(pool[i]);
		EVP_PKEY_free(keys[i]);
	}
	X509_free(leaf);
	pki_free(&k);
}

/* ---- purposes ------------------------------------------------------------- */

static void
test_purpose(void **state)
{
	static const char *const server[] = {"basicConstraints=critical,CA:FALSE",
	                                     "keyUsage=critical,digitalSignature",
	                                     "extendedKeyUsage=serverAuth", NULL};
	static const char *const kenc[] = {"keyUsage=critical,keyEncipherment", NULL};
	static const char *const ca_server[] = {"basicConstraints=critical,CA:TRUE",
	                                        "keyUsage=critical,keyCertSign",
	                                        "extendedKeyUsage=serverAuth", NULL};
	struct pki k;
	struct validate_result r;
	struct validate_params p;
	X509 *srv, *enc, *inter_srv, *pool[1];

	(void)state;
	pki_make(&k);
	srv = mkcert("Server", k.kee, "Inter", k.kinter, 50, -DAY, 365 * DAY, server);
	enc = mkcert("Enc", k.kee, "Inter", k.kinter, 51, -DAY, 365 * DAY, kenc);
	inter_srv =
	    mkcert("Inter", k.kinter, "Root", k.kroot, 52, -DAY, 3650 * DAY, ca_server);
	pool[0] = k.inter;
	validate_params_init(&p);

	p.purpose = VALIDATE_PURPOSE_SSL_SERVER;
	assert_int_equal(check(&r, srv, k.root, pool, 1, &p), 0);
	validate_result_free(&r);
	p.purpose = VALIDATE_PURPOSE_SSL_CLIENT;
	assert_int_equal(check(&r, srv, k.root, pool, 1, &p), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_USAGE);
	assert_non_null(strstr(r.reason, "extKeyUsage does not allow "
	                                 "ssl-client"));
	validate_result_free(&r);
	p.purpose = VALIDATE_PURPOSE_SIGNING;
	assert_int_equal(check(&r, srv, k.root, pool, 1, &p), SERTEL_EINVALID);
	validate_result_free(&r);

	/* keyEncipherment only: not for signing, fine for S/MIME. */
	p.purpose = VALIDATE_PURPOSE_SIGNING;
	assert_int_equal(check(&r, enc, k.root, pool, 1, &p), SERTEL_EINVALID);
	assert_non_null(strstr(r.reason, "keyUsage does not allow signing"));
	validate_result_free(&r);
	p.purpose = VALIDATE_PURPOSE_EMAIL;
	assert_int_equal(check(&r, enc, k.root, pool, 1, &p), 0);
	validate_result_free(&r);

	/* The ordinary leaf signs documents and mail. */
	p.purpose = VALIDATE_PURPOSE_SIGNING;
	assert_int_equal(check(&r, k.ee, k.root, pool, 1, &p), 0);
	validate_result_free(&r);

	/* An intermediate restricted to serverAuth cannot vouch for a
	 * signing certificate. */
	pool[0] = inter_srv;
	assert_int_equal(check(&r, k.ee, k.root, pool, 1, &p), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_USAGE);
	assert_int_equal(r.failing_index, 1);
	validate_result_free(&r);

	assert_int_equal(validate_purpose_parse(&p.purpose, "ssl-server"), 0);
	assert_int_equal(p.purpose, VALIDATE_PURPOSE_SSL_SERVER);
	assert_int_equal(validate_purpose_parse(&p.purpose, "tls"), SERTEL_EINVAL);

	X509_free(srv);
	X509_free(enc);
	X509_free(inter_srv);
	pki_free(&k);
}

/* ---- hostile input -------------------------------------------------------- */

static unsigned char *
der_of(X509 *x, int *len)
{
	unsigned char *der = NULL;

	*len = i2d_X509(x, &der);
	assert_true(*len > 0);
	return der;
}

static void
test_hostile_input(void **state)
{
	struct pki k;
	struct validate_input *in = NULL;
	struct validate_params p;
	struct validate_result r;
	unsigned char *der, *longer, garbage[64];
	int len;
	BIO *b;
	char *pem;
	long pemlen;

	(void)state;
	pki_make(&k);
	assert_int_equal(validate_input_new(&in), 0);
	memset(garbage, 0x41, sizeof(garbage));
	assert_int_equal(validate_input_add_untrusted(in, garbage, sizeof(garbage), "g"),
	                 SERTEL_EINVAL);
	assert_int_equal(validate_input_add_crls(in, garbage, sizeof(garbage), "g"),
	                 SERTEL_EINVAL);
	assert_int_equal(validate_input_add_ocsp(in, garbage, sizeof(garbage), "g"),
	                 SERTEL_EINVAL);
	/* Over the size limit: refused before anything is read. */
	assert_int_equal(validate_input_add_untrusted(
	                     in, garbage, (size_t)VALIDATE_MAX_INPUT + 1, "big"),
	                 SERTEL_ETOOBIG);

	/* DER with a trailing byte, and truncated DER, are refused. */
	der = der_of(k.inter, &len);
	assert_non_null(longer = malloc((size_t)len + 1));
	memcpy(longer, der, (size_t)len);
	longer[len] = 0;
	assert_int_equal(validate_input_add_untrusted(in, longer, (size_t)len + 1, "t"),
	                 SERTEL_EINVAL);
	assert_int_equal(validate_input_add_untrusted(in, der, (size_t)len - 1, "t"),
	                 SERTEL_EINVAL);
	assert_int_equal(validate_input_add_untrusted(in, der, (size_t)len, "ok"), 0);

	/* A PEM bundle: both certificates are taken. */
	assert_non_null(b = BIO_new(BIO_s_mem()));
	assert_true(PEM_write_bio_X509(b, k.root));
	assert_true(PEM_write_bio_X509(b, k.inter));
	pemlen = BIO_get_mem_data(b, &pem);
	assert_int_equal(
	    validate_input_add_anchors(in, (unsigned char *)pem, (size_t)pemlen, "pem"),
	    0);
	/* ... and a truncated one is refused. */
	assert_int_equal(validate_input_add_anchors(in, (unsigned char *)pem,
	                                            (size_t)pemlen - 40, "cut"),
	                 SERTEL_EINVAL);
	BIO_free(b);

	/* The target: garbage is an input error, not "invalid". */
	validate_params_init(&p);
	p.input = in;
	assert_int_equal(validate_cert(&r, garbage, sizeof(garbage), &p), SERTEL_EINVAL);
	assert_false(r.valid);
	assert_true(r.reason[0] != '\0');
	validate_result_free(&r);
	/* A policy that is not an OID is a parameter error. */
	p.policies[0] = "not-an-oid";
	p.npolicies = 1;
	assert_int_equal(validate_cert_x509(&r, k.ee, &p), SERTEL_EINVAL);
	validate_result_free(&r);
	p.npolicies = 0;
	/* The intermediate was added both untrusted and (in the bundle) as
	 * an anchor: the path stops at it. */
	assert_int_equal(validate_cert_x509(&r, k.ee, &p), 0);
	assert_int_equal(r.path_len, 2);
	validate_result_free(&r);
	/* A target that is itself an anchor is its own path. */
	assert_int_equal(validate_cert_x509(&r, k.root, &p), 0);
	assert_int_equal(r.path_len, 1);
	validate_result_free(&r);

	free(longer);
	OPENSSL_free(der);
	validate_input_free(in);
	pki_free(&k);
}

/* ---- OCSP ------------------------------------------------------------------ */

static OCSP_RESPONSE *
mkocsp(X509 *cert, X509 *issuer, EVP_PKEY *signer_key, X509 *signer, int status,
       long next)
{
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
	ASN1_TIME *thisupd = X509_gmtime_adj(NULL, -3600);
	ASN1_TIME *nextupd = X509_gmtime_adj(NULL, next);
	ASN1_TIME *rev = X509_gmtime_adj(NULL, -2 * DAY);
	OCSP_RESPONSE *resp;

	assert_non_null(bs);
	assert_non_null(id);
	assert_non_null(OCSP_basic_add1_status(
	    bs, id, status, OCSP_REVOKED_STATUS_KEYCOMPROMISE,
	    status == V_OCSP_CERTSTATUS_REVOKED ? rev : NULL, thisupd, nextupd));
	assert_true(OCSP_basic_sign(bs, signer, signer_key, EVP_sha256(), NULL, 0));
	resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	assert_non_null(resp);
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	ASN1_TIME_free(thisupd);
	ASN1_TIME_free(nextupd);
	ASN1_TIME_free(rev);
	return resp;
}

static void
test_ocsp(void **state)
{
	static const char *const resp_exts[] = {"keyUsage=critical,digitalSignature",
	                                        "extendedKeyUsage=OCSPSigning",
	                                        "noCheck=ignored", NULL};
	struct pki k;
	struct validate_ocsp_result o;
	struct validate_input *in = NULL;
	struct validate_params p;
	struct validate_result r;
	OCSP_RESPONSE *good, *revoked, *delegated, *stranger;
	EVP_PKEY *kresp;
	X509 *responder;

	(void)state;
	pki_make(&k);
	kresp = key_new();
	responder =
	    mkcert("Inter OCSP", kresp, "Inter", k.kinter, 60, -DAY, 30 * DAY, resp_exts);
	good = mkocsp(k.ee, k.inter, k.kinter, k.inter, V_OCSP_CERTSTATUS_GOOD, DAY);
	revoked =
	    mkocsp(k.ee, k.inter, k.kinter, k.inter, V_OCSP_CERTSTATUS_REVOKED, DAY);
	delegated = mkocsp(k.ee, k.inter, kresp, responder, V_OCSP_CERTSTATUS_GOOD, DAY);
	/* signed by a key the CA never authorised */
	stranger = mkocsp(k.ee, k.inter, k.kroot, k.root, V_OCSP_CERTSTATUS_GOOD, DAY);

	assert_int_equal(validate_ocsp(&o, good, k.ee, k.inter, NULL, NULL, time_now()),
	                 0);
	assert_int_equal(o.status, VALIDATE_OCSP_GOOD);
	assert_false(o.delegated);
	assert_int_equal(
	    validate_ocsp(&o, revoked, k.ee, k.inter, NULL, NULL, time_now()), 0);
	assert_int_equal(o.status, VALIDATE_OCSP_REVOKED);
	assert_int_equal(o.reason, OCSP_REVOKED_STATUS_KEYCOMPROMISE);
	/* the delegated responder's certificate travels in the response */
	assert_int_equal(
	    validate_ocsp(&o, delegated, k.ee, k.inter, NULL, NULL, time_now()), 0);
	assert_true(o.delegated);
	assert_int_equal(
	    validate_ocsp(&o, stranger, k.ee, k.inter, NULL, NULL, time_now()),
	    SERTEL_EINVALID);
	/* out of date two days later; about nothing for another cert */
	assert_int_equal(
	    validate_ocsp(&o, good, k.ee, k.inter, NULL, NULL, time_now() + 2 * DAY),
	    SERTEL_EINVALID);
	assert_non_null(strstr(sertel_errmsg(), "out of date"));
	assert_int_equal(validate_ocsp(&o, good, k.inter, k.root, NULL, NULL, time_now()),
	                 SERTEL_ENOTFOUND);

	/* Through the validator, with revocation required: the leaf's
	 * status from OCSP, the intermediate's unknown -> invalid; with
	 * only the leaf checked by a revoked response -> revoked. */
	assert_int_equal(validate_input_new(&in), 0);
	assert_int_equal(validate_input_add_anchor_x509(in, k.root), 0);
	assert_int_equal(validate_input_add_untrusted_x509(in, k.inter), 0);
	assert_int_equal(validate_input_add_ocsp_response(in, delegated), 0);
	validate_params_init(&p);
	p.input = in;
	assert_int_equal(validate_cert_x509(&r, k.ee, &p), 0);
	validate_result_free(&r);
	p.require_revocation = 1;
	assert_int_equal(validate_cert_x509(&r, k.ee, &p), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_REVINFO);
	assert_int_equal(r.failing_index, 1);
	validate_result_free(&r);
	assert_int_equal(validate_input_add_ocsp_response(in, revoked), 0);
	p.require_revocation = 0;
	assert_int_equal(validate_cert_x509(&r, k.ee, &p), SERTEL_EINVALID);
	assert_int_equal(r.error, VALIDATE_ERR_REVOKED);
	assert_int_equal(r.failing_index, 0);
	validate_result_free(&r);

	/* At a time before the revocation (the response came later), the
	 * leaf was still good; the certificates must be valid then too. */
	p.at = time_now() - 3 * DAY;
	assert_int_equal(validate_ocsp(&o, revoked, k.ee, k.inter, NULL, NULL, p.at), 0);
	assert_int_equal(o.status, VALIDATE_OCSP_REVOKED);
	assert_true(o.revoked_at > p.at);

	validate_input_free(in);
	OCSP_RESPONSE_free(good);
	OCSP_RESPONSE_free(revoked);
	OCSP_RESPONSE_free(delegated);
	OCSP_RESPONSE_free(stranger);
	X509_free(responder);
	EVP_PKEY_free(kresp);
	pki_free(&k);
}

/* ---- verify-cert exit codes ------------------------------------------------ */

static char self[4096];

/* Runs prog with argv, stdout into out (NUL-terminated); the exit code. */
static int
run(const char *prog, char *const argv[], char *out, size_t outsz)
{
	char sink[4096];
	int fds[2], status;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(prog, argv);
		_exit(127);
	}
	close(fds[1]);
	/* read it all (the child must not die of SIGPIPE), keep the start */
	while ((r = read(fds[0], sink, sizeof(sink))) > 0) {
		if (out != NULL && n + 1 < outsz) {
			size_t k = (size_t)r < outsz - 1 - n ? (size_t)r : outsz - 1 - n;

			memcpy(out + n, sink, k);
			n += k;
		}
	}
	if (out != NULL)
		out[n] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* $SERTEL_BIN when its dispatcher knows verify-cert, else this binary. */
static const char *
cli_program(void)
{
	const char *bin = getenv("SERTEL_BIN");
	char *argv[] = {(char *)bin, "verify-cert", "--help", NULL};

	if (bin != NULL && access(bin, X_OK) == 0 && run(bin, argv, NULL, 0) == 0)
		return bin;
	return self;
}

static void
test_cli_exit_codes(void **state)
{
	const char *prog = cli_program();
	char d[1024], trust[1200], good[1200], gcrl[1200], tcrl[1200], ee[1200],
	    rev[1200], out[16384];
	json_t *j;
	json_error_t jerr;

	(void)state;
	/* main() checked that the data is there. */
	if (test_data_dir(d, sizeof(d), "pkits") < 0)
		fail_msg("PKITS data gone");
	snprintf(trust, sizeof(trust), "%s/certs/TrustAnchorRootCertificate.crt", d);
	snprintf(good, sizeof(good), "%s/certs/GoodCACert.crt", d);
	snprintf(gcrl, sizeof(gcrl), "%s/crls/GoodCACRL.crl", d);
	snprintf(tcrl, sizeof(tcrl), "%s/crls/TrustAnchorRootCRL.crl", d);
	snprintf(ee, sizeof(ee), "%s/certs/ValidCertificatePathTest1EE.crt", d);
	snprintf(rev, sizeof(rev), "%s/certs/InvalidRevokedEETest3EE.crt", d);
	print_message("verify-cert through %s\n", prog);
	{
		char *argv[] = {(char *)prog,
		                "verify-cert",
		                "--trust",
		                trust,
		                "--untrusted",
		                good,
		                "--crl",
		                gcrl,
		                "--crl",
		                tcrl,
		                "--require-revocation",
		                "--allow-sha1", /* PKITS is signed with SHA-1 */
		                "--at",
		                "2022-01-01",
		                "--json",
		                ee,
		                NULL};

		/* PKITS 4.1.1: valid */
		assert_int_equal(run(prog, argv, out, sizeof(out)), 0);
		assert_non_null(j = json_loads(out, 0, &jerr));
		assert_true(json_is_true(json_object_get(j, "valid")));
		assert_int_equal(json_array_size(json_object_get(j, "path")), 3);
		json_decref(j);
	}
	{
		char *argv[] = {(char *)prog,
		                "verify-cert",
		                "--trust",
		                trust,
		                "--untrusted",
		                good,
		                "--crl",
		                gcrl,
		                "--crl",
		                tcrl,
		                "--require-revocation",
		                "--allow-sha1", /* PKITS is signed with SHA-1 */
		                "--at",
		                "2022-01-01",
		                rev,
		                NULL};

		/* PKITS 4.4.3: the leaf is revoked */
		assert_int_equal(run(prog, argv, out, sizeof(out)), 1);
		assert_non_null(strstr(out, "revoked"));
		assert_non_null(strstr(out, "failing certificate: [0]"));
	}
	{
		char *argv[] = {(char *)prog,  "verify-cert",         "--trust", trust,
		                "--untrusted", "/nonexistent/ca.pem", ee,        NULL};

		assert_int_equal(run(prog, argv, out, sizeof(out)), 2);
	}
	{
		char *argv[] = {(char *)prog, "verify-cert", "--trust", trust, NULL};

		assert_int_equal(run(prog, argv, out, sizeof(out)), 2);
	}
}

/* The process-wide memo of good signatures (src/pki/sigcache.c) is keyed
 * by the exact bytes and the signer's key: after a chain validated (and
 * was remembered), an impostor intermediate with the same name but another
 * key, and the leaf with one signature byte changed, are still refused;
 * the genuine chain still validates. */
static void
test_signature_memo_is_keyed_by_bytes_and_key(void **state)
{
	struct pki k;
	struct validate_result r;
	EVP_PKEY *kimp = key_new();
	X509 *imp, *bad, *pool[1];
	unsigned char *der = NULL;
	const unsigned char *p;
	int n, i;

	pki_make(&k);
	imp = mkcert("Inter", kimp, "Root", k.kroot, 9, -DAY, 3650 * DAY, CA_EXTS);
	for (i = 0; i < 2; i++) {
		pool[0] = k.inter;
		assert_int_equal(check(&r, k.ee, k.root, pool, 1, NULL), 0);
		validate_result_free(&r);
	}
	pool[0] = imp;
	assert_int_equal(check(&r, k.ee, k.root, pool, 1, NULL), SERTEL_EINVALID);
	validate_result_free(&r);

	assert_true((n = i2d_X509(k.ee, &der)) > 0);
	der[n - 1] ^= 0x01; /* the last byte of the signature value */
	p = der;
	assert_non_null(bad = d2i_X509(NULL, &p, n));
	pool[0] = k.inter;
	assert_int_equal(check(&r, bad, k.root, pool, 1, NULL), SERTEL_EINVALID);
	validate_result_free(&r);
	assert_int_equal(check(&r, k.ee, k.root, pool, 1, NULL), 0);
	validate_result_free(&r);

	OPENSSL_free(der);
	X509_free(bad);
	X509_free(imp);
	EVP_PKEY_free(kimp);
	pki_free(&k);
}

/* Parsed certificates are shared by their exact DER (src/pki/dercache.c):
 * the same bytes give the same object, other bytes another, and input with
 * anything after the certificate is refused. */
static void
test_der_cache_shares_by_exact_bytes(void **state)
{
	struct pki k;
	unsigned char *a = NULL, *b = NULL, *t;
	X509 *x1, *x2, *y;
	int na, nb;

	pki_make(&k);
	assert_true((na = i2d_X509(k.ee, &a)) > 0);
	assert_true((nb = i2d_X509(k.inter, &b)) > 0);
	assert_non_null(x1 = pki_x509_from_der(a, (size_t)na));
	assert_non_null(x2 = pki_x509_from_der(a, (size_t)na));
	assert_ptr_equal(x1, x2);
	assert_int_equal(X509_cmp(x1, k.ee), 0);
	assert_non_null(y = pki_x509_from_der(b, (size_t)nb));
	assert_ptr_not_equal(x1, y);
	assert_int_equal(X509_cmp(y, k.inter), 0);
	assert_non_null(t = malloc((size_t)na + 1));
	memcpy(t, a, (size_t)na);
	t[na] = 0;
	assert_null(pki_x509_from_der(t, (size_t)na + 1));
	assert_null(pki_crl_from_der(a, (size_t)na)); /* a certificate is no CRL */
	free(t);
	X509_free(x1);
	X509_free(x2);
	X509_free(y);
	OPENSSL_free(a);
	OPENSSL_free(b);
	pki_free(&k);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest unit[] = {
	    cmocka_unit_test(test_simple_path),
	    cmocka_unit_test(test_der_cache_shares_by_exact_bytes),
	    cmocka_unit_test(test_signature_memo_is_keyed_by_bytes_and_key),
	    cmocka_unit_test(test_backtrack_cross_cert),
	    cmocka_unit_test(test_backtrack_invalid_candidate),
	    cmocka_unit_test(test_path_length),
	    cmocka_unit_test(test_name_constraints),
	    cmocka_unit_test(test_hostile_mesh),
	    cmocka_unit_test(test_max_depth),
	    cmocka_unit_test(test_purpose),
	    cmocka_unit_test(test_hostile_input),
	    cmocka_unit_test(test_ocsp),
	};
	const struct CMUnitTest cli[] = {
	    cmocka_unit_test(test_cli_exit_codes),
	};
	ssize_t n;

	/* The stand-in for "sertel verify-cert ...". */
	if (argc > 1 && strcmp(argv[1], "verify-cert") == 0)
		return cmd_verify_cert(argc - 1, argv + 1);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = '\0';
	if (argc > 1 && strcmp(argv[1], "--cli") == 0) {
		char d[1024];
		if (test_data_dir(d, sizeof(d), "pkits") < 0)
			return TEST_SKIP;
		return cmocka_run_group_tests_name("verify_cert_cli", cli, NULL, NULL);
	}
	return cmocka_run_group_tests_name("validate", unit, NULL, NULL);
}
