/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the CMS signing primitives (cades.c, tsp.c, signer.c),
 * S/MIME (smime.c) and document protection (protect.c) on certificates
 * made here with OpenSSL; OpenSSL's CMS_verify / CMS_decrypt judge the
 * results.  The command-line interop tests are in test_cms.sh.
 */
#include "testutil.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "sign/sign.h"

struct pki {
	EVP_PKEY *ca_key, *ec_key, *rsa_key, *p384_key, *other_key;
	X509 *ca, *ec, *rsa, *p384, *other, *signonly;
	char dir[64];
};

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

/* A certificate for key, signed by issuer (self-signed when NULL). */
static X509 *
make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, const char *ku,
          const char *email)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	char san[128];
	static long serial = 1;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1,
	                           -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 30);
	X509_set_pubkey(x, key);
	if (issuer == NULL) {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
		add_ext(x, x, NID_subject_key_identifier, "hash");
	} else {
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, issuer, NID_key_usage, ku);
		add_ext(x, issuer, NID_ext_key_usage, "emailProtection");
		add_ext(x, issuer, NID_authority_key_identifier, "keyid");
		if (email != NULL) {
			snprintf(san, sizeof(san), "email:%s", email);
			add_ext(x, issuer, NID_subject_alt_name, san);
		}
	}
	assert_true(X509_sign(x, ikey ? ikey : key, EVP_sha256()) > 0);
	X509_NAME_free(n);
	return x;
}

static void
write_pem(const char *path, EVP_PKEY *key, X509 *cert, const char *pass)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	if (key != NULL)
		assert_int_equal(
		    PEM_write_PKCS8PrivateKey(f, key, pass ? EVP_aes_256_cbc() : NULL,
		                              (char *)pass, pass ? (int)strlen(pass) : 0,
		                              NULL, NULL),
		    1);
	if (cert != NULL)
		assert_int_equal(PEM_write_X509(f, cert), 1);
	fclose(f);
}

static int
setup(void **state)
{
	struct pki *p = calloc(1, sizeof(*p));
	char path[128];

	assert_non_null(p);
	assert_int_equal(key_generate(&p->ca_key, "ec-p256"), 0);
	assert_int_equal(key_generate(&p->ec_key, "ec-p256"), 0);
	assert_int_equal(key_generate(&p->rsa_key, "rsa-2048"), 0);
	assert_int_equal(key_generate(&p->p384_key, "ec-p384"), 0);
	assert_int_equal(key_generate(&p->other_key, "ec-p256"), 0);
	p->ca = make_cert("Test Root", p->ca_key, NULL, NULL, NULL, NULL);
	p->ec = make_cert("Budi", p->ec_key, p->ca, p->ca_key,
	                  "critical,digitalSignature,nonRepudiation,keyAgreement",
	                  "budi@palembang.go.id");
	p->rsa =
	    make_cert("Ani", p->rsa_key, p->ca, p->ca_key,
	              "critical,digitalSignature,keyEncipherment", "ani@palembang.go.id");
	p->p384 = make_cert("Kepala", p->p384_key, p->ca, p->ca_key,
	                    "critical,digitalSignature", "kepala@palembang.go.id");
	p->other =
	    make_cert("Other", p->other_key, p->ca, p->ca_key,
	              "critical,digitalSignature,keyAgreement", "other@palembang.go.id");
	p->signonly = make_cert("Sign only", p->other_key, p->ca, p->ca_key,
	                        "critical,digitalSignature", "other@palembang.go.id");
	snprintf(p->dir, sizeof(p->dir), "/tmp/sertel-cmsunit-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(path, sizeof(path), "%s/ec.key", p->dir);
	write_pem(path, p->ec_key, NULL, NULL);
	snprintf(path, sizeof(path), "%s/ec-enc.key", p->dir);
	write_pem(path, p->ec_key, NULL, "rahasia-2026");
	snprintf(path, sizeof(path), "%s/ec.pem", p->dir);
	write_pem(path, NULL, p->ec, NULL);
	snprintf(path, sizeof(path), "%s/chain.pem", p->dir);
	write_pem(path, NULL, p->ca, NULL);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pki *p = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p->dir);
	if (system(cmd) != 0)
		return -1;
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->ec_key);
	EVP_PKEY_free(p->rsa_key);
	EVP_PKEY_free(p->p384_key);
	EVP_PKEY_free(p->other_key);
	X509_free(p->ca);
	X509_free(p->ec);
	X509_free(p->rsa);
	X509_free(p->p384);
	X509_free(p->other);
	X509_free(p->signonly);
	free(p);
	return 0;
}

static void
signer_of(struct sign_signer *s, EVP_PKEY *key, X509 *cert)
{
	EVP_PKEY_up_ref(key);
	X509_up_ref(cert);
	s->key = key;
	s->cert = cert;
	s->chain = sk_X509_new_null();
}

static CMS_ContentInfo *
parse_cms(const struct buf *b)
{
	const unsigned char *q = b->data;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)b->len);

	assert_non_null(cms);
	assert_ptr_equal(q, b->data + b->len);
	return cms;
}

/* OpenSSL verifies the detached signature over content with p->ca trusted. */
static int
ossl_verifies(struct pki *p, const struct buf *sig, const void *content, size_t n)
{
	CMS_ContentInfo *cms = parse_cms(sig);
	X509_STORE *st = X509_STORE_new();
	BIO *in = BIO_new_mem_buf(content, (int)n);
	int ok;

	X509_STORE_add_cert(st, p->ca);
	X509_STORE_set_purpose(st, X509_PURPOSE_ANY);
	ok = CMS_verify(cms, NULL, st, in, NULL, CMS_BINARY) == 1;
	ERR_clear_error();
	BIO_free(in);
	X509_STORE_free(st);
	CMS_ContentInfo_free(cms);
	return ok;
}

static const char doc[] = "Surat Edaran Nomor 7 Tahun 2026\n";

/* ---- CAdES ---------------------------------------------------------------- */

static void
cades_b_verifies_and_has_the_baseline_attributes(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	struct sign_opts o = {SIGN_LEVEL_B, NULL, 0, 1700000000};
	struct buf out = {0};
	unsigned char d[32];
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	ASN1_TYPE *t;
	struct tm tm;

	signer_of(&s, p->ec_key, p->ec);
	sha256(d, doc, strlen(doc));
	assert_int_equal(sign_cades_digest(&out, &s, d, sizeof(d), &o), 0);
	assert_true(ossl_verifies(p, &out, doc, strlen(doc)));
	assert_false(ossl_verifies(p, &out, doc, strlen(doc) - 1));
	cms = parse_cms(&out);
	assert_int_equal(CMS_is_detached(cms), 1);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2,
	                                       -1) >= 0);
	assert_int_equal(CMS_unsigned_get_attr_count(si), -1);
	/* The claimed time is the one asked for. */
	t = X509_ATTRIBUTE_get0_type(
	    CMS_signed_get_attr(
	        si, CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1)),
	    0);
	assert_non_null(t);
	assert_int_equal(t->type, V_ASN1_UTCTIME);
	assert_int_equal(ASN1_TIME_to_tm(t->value.utctime, &tm), 1);
	assert_int_equal((int64_t)timegm(&tm), 1700000000);
	CMS_ContentInfo_free(cms);
	buf_free(&out);
	sign_signer_free(&s);
}

static void
cades_pades_has_no_signing_time(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	struct sign_opts o = {SIGN_LEVEL_B, NULL, 1, 0};
	struct buf out;
	unsigned char d[32];
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;

	buf_init(&out, 64 * 1024);
	signer_of(&s, p->rsa_key, p->rsa);
	sha256(d, doc, strlen(doc));
	assert_int_equal(sign_cades_digest(&out, &s, d, sizeof(d), &o), 0);
	assert_true(ossl_verifies(p, &out, doc, strlen(doc)));
	cms = parse_cms(&out);
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	assert_int_equal(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1), -1);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2,
	                                       -1) >= 0);
	CMS_ContentInfo_free(cms);
	buf_free(&out);
	sign_signer_free(&s);
}

static void
cades_p384_signs_with_sha384(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	struct buf out = {0};
	unsigned char d[48];
	unsigned int dl = 0;
	CMS_ContentInfo *cms;
	X509_ALGOR *dig = NULL;
	const ASN1_OBJECT *oid;

	signer_of(&s, p->p384_key, p->p384);
	/* A SHA-256 digest does not fit a P-384 key. */
	sha256(d, doc, strlen(doc));
	assert_int_equal(sign_cades_digest(&out, &s, d, 32, NULL), SERTEL_EINVAL);
	EVP_Digest(doc, strlen(doc), d, &dl, EVP_sha384(), NULL);
	assert_int_equal(sign_cades_digest(&out, &s, d, dl, NULL), 0);
	assert_true(ossl_verifies(p, &out, doc, strlen(doc)));
	cms = parse_cms(&out);
	CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0),
	                         NULL, NULL, &dig, NULL);
	X509_ALGOR_get0(&oid, NULL, NULL, dig);
	assert_int_equal(OBJ_obj2nid(oid), NID_sha384);
	CMS_ContentInfo_free(cms);
	buf_free(&out);
	sign_signer_free(&s);
}

static void
cades_bt_needs_a_tsa(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	struct sign_opts o = {SIGN_LEVEL_T, NULL, 0, 0};
	struct buf out = {0};
	unsigned char d[32] = {0};

	signer_of(&s, p->ec_key, p->ec);
	assert_int_equal(sign_cades_digest(&out, &s, d, sizeof(d), &o), SERTEL_EINVAL);
	o.tsa_url = "ftp://127.0.0.1/tsa";
	assert_int_equal(sign_cades_digest(&out, &s, d, sizeof(d), &o), SERTEL_EINVAL);
	/* Port 1: nobody listens. */
	o.tsa_url = "http://127.0.0.1:1/tsa";
	assert_int_equal(sign_cades_digest(&out, &s, d, sizeof(d), &o), SERTEL_EIO);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	sign_signer_free(&s);
}

static void
tsp_checks_the_digest_length(void **state)
{
	struct buf out = {0};
	unsigned char d[32] = {0};

	(void)state;
	assert_int_equal(
	    sign_tsp_request(&out, "http://127.0.0.1:1/tsa", EVP_sha384(), d, 32),
	    SERTEL_EINVAL);
	assert_int_equal(sign_tsp_request(&out, NULL, NULL, d, 32), SERTEL_EINVAL);
	buf_free(&out);
}

/* ---- signer files ---------------------------------------------------------- */

static void
signer_files_load_and_refuse(void **state)
{
	struct pki *p = *state;
	struct sign_signer s;
	char key[128], enc[128], cert[128], chain[128];

	snprintf(key, sizeof(key), "%s/ec.key", p->dir);
	snprintf(enc, sizeof(enc), "%s/ec-enc.key", p->dir);
	snprintf(cert, sizeof(cert), "%s/ec.pem", p->dir);
	snprintf(chain, sizeof(chain), "%s/chain.pem", p->dir);
	assert_int_equal(sign_signer_load_files(&s, key, NULL, cert, chain), 0);
	assert_int_equal(sk_X509_num(s.chain), 1);
	assert_int_equal(X509_cmp(s.cert, p->ec), 0);
	sign_signer_free(&s);
	assert_int_equal(sign_signer_load_files(&s, enc, "rahasia-2026", cert, NULL), 0);
	assert_non_null(s.chain);
	assert_int_equal(sk_X509_num(s.chain), 0);
	sign_signer_free(&s);
	assert_int_equal(sign_signer_load_files(&s, enc, "salah", cert, NULL),
	                 SERTEL_EAUTH);
	assert_null(s.key);
	assert_int_equal(sign_signer_load_files(&s, enc, NULL, cert, NULL), SERTEL_EAUTH);
	/* The chain file is not a key; the certificate file has no key. */
	assert_int_equal(sign_signer_load_files(&s, chain, NULL, cert, NULL),
	                 SERTEL_EINVAL);
	/* A key that is not the certificate's. */
	assert_int_equal(sign_signer_load_files(&s, key, NULL, chain, NULL),
	                 SERTEL_EINVAL);
	assert_int_equal(sign_signer_load_files(&s, key, NULL, NULL, NULL),
	                 SERTEL_EINVAL);
}

/* ---- S/MIME ----------------------------------------------------------------- */

static const char mail[] = "From: Budi <budi@palembang.go.id>\n"
                           "To: ani@palembang.go.id\n"
                           "Subject: Rapat\n"
                           "Date: Sun, 22 Nov 2026 09:00:00 +0700\n"
                           "\n"
                           "Rapat hari Senin.\n"
                           "--\n"
                           "Budi\n";

static unsigned char *
trust_pem(struct pki *p, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	BUF_MEM *m;
	unsigned char *out;

	PEM_write_bio_X509(b, p->ca);
	BIO_get_mem_ptr(b, &m);
	out = malloc(m->length);
	assert_non_null(out);
	memcpy(out, m->data, m->length);
	*len = m->length;
	BIO_free(b);
	return out;
}

static int
verify_at(struct smime_result *r, const unsigned char *msg, size_t len,
          const unsigned char *trust, size_t tlen, int64_t at)
{
	struct smime_verify_opts o = {trust, tlen, NULL, 0, 0, at};

	return smime_verify(r, msg, len, &o);
}

static void
replace(struct buf *b, const char *from, const char *to)
{
	char *hit;

	assert_int_equal(buf_cstr(b), 0);
	hit = strstr((char *)b->data, from);
	assert_non_null(hit);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(hit, to, strlen(to));
}

static void
smime_sign_verify_and_refuse(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	struct smime_result r;
	struct buf out = {0};
	unsigned char *trust;
	size_t tlen;

	trust = trust_pem(p, &tlen);
	signer_of(&s, p->ec_key, p->ec);
	assert_int_equal(smime_sign(&out, &s, (const unsigned char *)mail, strlen(mail)),
	                 0);
	assert_int_equal(verify_at(&r, out.data, out.len, trust, tlen, 0), 0);
	assert_true(r.valid && r.signature_ok && r.chain_ok && r.from_ok);
	assert_string_equal(r.from, "budi@palembang.go.id");
	assert_true(r.signing_time > 0);
	/* Before the certificate's notBefore: the path is not valid then. */
	assert_int_equal(
	    verify_at(&r, out.data, out.len, trust, tlen, time_now() - 86400),
	    SERTEL_EINVALID);
	assert_true(r.signature_ok);
	assert_false(r.chain_ok);
	/* A changed body. */
	replace(&out, "Senin", "Rabu.");
	assert_int_equal(verify_at(&r, out.data, out.len, trust, tlen, 0),
	                 SERTEL_EINVALID);
	assert_false(r.signature_ok);
	replace(&out, "Rabu.", "Senin");
	assert_int_equal(verify_at(&r, out.data, out.len, trust, tlen, 0), 0);
	/* A From that is not the signer's: the signature holds, From does not. */
	replace(&out, "From: Budi <budi@", "From: Budi <xudi@");
	assert_int_equal(verify_at(&r, out.data, out.len, trust, tlen, 0),
	                 SERTEL_EINVALID);
	assert_true(r.signature_ok && r.chain_ok);
	assert_false(r.from_ok);
	/* A third part smuggled in before the closing delimiter. */
	{
		char bnd[64], closing[80];
		const char *b = strstr((char *)out.data, "boundary=\"");
		struct buf three = {0};
		size_t n;
		char *hit;

		assert_non_null(b);
		b += 10;
		n = strcspn(b, "\"");
		assert_true(n < sizeof(bnd));
		memcpy(bnd, b, n);
		bnd[n] = '\0';
		snprintf(closing, sizeof(closing), "\r\n--%s--", bnd);
		hit = strstr((char *)out.data, closing);
		assert_non_null(hit);
		buf_init(&three, 1 << 20);
		assert_int_equal(
		    buf_append(&three, out.data, (size_t)(hit - (char *)out.data)), 0);
		assert_int_equal(
		    buf_appendf(&three,
		                "\r\n--%s\r\nContent-Type: text/plain\r\n\r\n"
		                "extra",
		                bnd),
		    0);
		assert_int_equal(buf_append(&three, hit, strlen(hit)), 0);
		assert_int_equal(verify_at(&r, three.data, three.len, trust, tlen, 0),
		                 SERTEL_EINVAL);
		buf_free(&three);
	}
	/* Not S/MIME at all. */
	assert_true(
	    verify_at(&r, (const unsigned char *)mail, strlen(mail), trust, tlen, 0) < 0);
	assert_int_equal(
	    verify_at(&r, (const unsigned char *)"no header end", 13, trust, tlen, 0),
	    SERTEL_EINVAL);
	buf_free(&out);
	free(trust);
	sign_signer_free(&s);
}

static void
smime_8bit_body_is_base64_encoded(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	struct smime_result r;
	struct buf out = {0};
	static const char m8[] = "From: budi@palembang.go.id\r\nSubject: x\r\n\r\n"
	                         "Caf\xc3\xa9 di Palembang\r\n";
	unsigned char *trust;
	size_t tlen;

	trust = trust_pem(p, &tlen);
	signer_of(&s, p->ec_key, p->ec);
	assert_int_equal(smime_sign(&out, &s, (const unsigned char *)m8, strlen(m8)), 0);
	assert_int_equal(buf_cstr(&out), 0);
	assert_non_null(strstr((char *)out.data, "Content-Transfer-Encoding: base64"));
	assert_null(strstr((char *)out.data, "Caf\xc3\xa9"));
	assert_int_equal(verify_at(&r, out.data, out.len, trust, tlen, 0), 0);
	buf_free(&out);
	free(trust);
	sign_signer_free(&s);
}

/* ---- protection -------------------------------------------------------------- */

static void
protect_round_trips_and_refuses(void **state)
{
	struct pki *p = *state;
	STACK_OF(X509) *to = sk_X509_new_null();
	struct buf enc = {0}, dec = {0};
	unsigned char data[5000];
	int c;

	assert_int_equal(rand_bytes(data, sizeof(data)), 0);
	sk_X509_push(to, p->ec);
	sk_X509_push(to, p->rsa);
	for (c = PROTECT_AES256_GCM; c <= PROTECT_AES256_CBC; c++) {
		assert_int_equal(protect_encrypt(&enc, to, data, sizeof(data), c, 0), 0);
		assert_int_equal(
		    protect_decrypt(&dec, p->ec_key, NULL, enc.data, enc.len), 0);
		assert_int_equal(dec.len, sizeof(data));
		assert_memory_equal(dec.data, data, sizeof(data));
		assert_int_equal(
		    protect_decrypt(&dec, p->rsa_key, p->rsa, enc.data, enc.len), 0);
		assert_memory_equal(dec.data, data, sizeof(data));
		assert_int_equal(
		    protect_decrypt(&dec, p->other_key, NULL, enc.data, enc.len),
		    SERTEL_EAUTH);
		/* --cert of a recipient with someone else's key. */
		assert_int_equal(
		    protect_decrypt(&dec, p->other_key, p->ec, enc.data, enc.len),
		    SERTEL_EINVAL);
	}
	/* RSA-OAEP key transport. */
	assert_int_equal(protect_encrypt(&enc, to, data, sizeof(data), PROTECT_AES256_GCM,
	                                 PROTECT_RSA_OAEP),
	                 0);
	assert_int_equal(protect_decrypt(&dec, p->rsa_key, NULL, enc.data, enc.len), 0);
	assert_memory_equal(dec.data, data, sizeof(data));
	assert_int_equal(protect_decrypt(&dec, p->ec_key, NULL, enc.data, enc.len), 0);
	/* GCM: one flipped ciphertext bit is caught. */
	assert_int_equal(
	    protect_encrypt(&enc, to, data, sizeof(data), PROTECT_AES256_GCM, 0), 0);
	enc.data[enc.len - 100] ^= 1;
	assert_int_equal(protect_decrypt(&dec, p->ec_key, NULL, enc.data, enc.len),
	                 SERTEL_EINVALID);
	/* Trailing garbage after the DER. */
	enc.data[enc.len - 100] ^= 1;
	assert_int_equal(buf_putc(&enc, 0), 0);
	assert_int_equal(protect_decrypt(&dec, p->ec_key, NULL, enc.data, enc.len),
	                 SERTEL_EINVAL);
	/* keyUsage without keyAgreement. */
	sk_X509_push(to, p->signonly);
	assert_int_equal(
	    protect_encrypt(&enc, to, data, sizeof(data), PROTECT_AES256_GCM, 0),
	    SERTEL_EINVAL);
	sk_X509_free(to);
	to = sk_X509_new_null();
	assert_int_equal(
	    protect_encrypt(&enc, to, data, sizeof(data), PROTECT_AES256_GCM, 0),
	    SERTEL_EINVAL);
	sk_X509_free(to);
	buf_free(&enc);
	buf_free(&dec);
}

static void
smime_encrypt_decrypt_keeps_outer_headers(void **state)
{
	struct pki *p = *state;
	STACK_OF(X509) *to = sk_X509_new_null();
	struct buf enc = {0}, dec = {0};

	sk_X509_push(to, p->rsa);
	assert_int_equal(smime_encrypt(&enc, to, (const unsigned char *)mail,
	                               strlen(mail), PROTECT_AES256_GCM, 0),
	                 0);
	assert_int_equal(buf_cstr(&enc), 0);
	assert_non_null(strstr((char *)enc.data, "Subject: Rapat\r\n"));
	assert_non_null(strstr((char *)enc.data, "smime-type=authEnveloped-data"));
	assert_null(strstr((char *)enc.data, "Rapat hari Senin"));
	assert_int_equal(smime_decrypt(&dec, p->rsa_key, p->rsa, enc.data, enc.len), 0);
	assert_int_equal(buf_cstr(&dec), 0);
	assert_non_null(strstr((char *)dec.data, "Subject: Rapat\r\n"));
	assert_non_null(strstr((char *)dec.data, "\r\n\r\nRapat hari Senin.\r\n"));
	assert_int_equal(smime_decrypt(&dec, p->ec_key, NULL, enc.data, enc.len),
	                 SERTEL_EAUTH);
	sk_X509_free(to);
	buf_free(&enc);
	buf_free(&dec);
}

/* Hostile input: every truncation and many bit flips of a signed message
 * and of an encrypted file are refused or handled, never accepted wrongly
 * or crashed on (valgrind/ASan runs catch memory errors). */
static void
truncated_and_flipped_inputs_are_refused(void **state)
{
	struct pki *p = *state;
	struct sign_signer s = {0};
	STACK_OF(X509) *to = sk_X509_new_null();
	struct smime_result r;
	struct buf sig = {0}, enc = {0}, dec = {0};
	unsigned char *trust, *copy;
	const char *closing;
	size_t tlen, i, end;

	trust = trust_pem(p, &tlen);
	signer_of(&s, p->ec_key, p->ec);
	assert_int_equal(smime_sign(&sig, &s, (const unsigned char *)mail, strlen(mail)),
	                 0);
	assert_int_equal(buf_cstr(&sig), 0);
	closing = strstr((char *)sig.data + 100, "--\r\n");
	while (closing != NULL && strstr(closing + 1, "--\r\n") != NULL)
		closing = strstr(closing + 1, "--\r\n");
	assert_non_null(closing);
	end = (size_t)(closing - (char *)sig.data);
	for (i = 0; i < end; i += 7)
		assert_int_not_equal(verify_at(&r, sig.data, i, trust, tlen, 0), 0);
	copy = malloc(sig.len);
	assert_non_null(copy);
	for (i = 0; i < sig.len; i += 13) {
		memcpy(copy, sig.data, sig.len);
		copy[i] ^= 0x20;
		(void)verify_at(&r, copy, sig.len, trust, tlen, 0);
	}
	free(copy);

	sk_X509_push(to, p->ec);
	assert_int_equal(protect_encrypt(&enc, to, (const unsigned char *)mail,
	                                 strlen(mail), PROTECT_AES256_GCM, 0),
	                 0);
	for (i = 0; i < enc.len; i += 3)
		assert_true(protect_decrypt(&dec, p->ec_key, NULL, enc.data, i) < 0);
	for (i = 0; i < enc.len; i += 5) {
		enc.data[i] ^= 0x01;
		if (protect_decrypt(&dec, p->ec_key, NULL, enc.data, enc.len) == 0)
			/* Only a flip that leaves the plaintext as it was may pass. */
			assert_memory_equal(dec.data, mail, strlen(mail));
		enc.data[i] ^= 0x01;
	}
	sk_X509_free(to);
	buf_free(&sig);
	buf_free(&enc);
	buf_free(&dec);
	free(trust);
	sign_signer_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cades_b_verifies_and_has_the_baseline_attributes),
	    cmocka_unit_test(cades_pades_has_no_signing_time),
	    cmocka_unit_test(cades_p384_signs_with_sha384),
	    cmocka_unit_test(cades_bt_needs_a_tsa),
	    cmocka_unit_test(tsp_checks_the_digest_length),
	    cmocka_unit_test(signer_files_load_and_refuse),
	    cmocka_unit_test(smime_sign_verify_and_refuse),
	    cmocka_unit_test(smime_8bit_body_is_base64_encoded),
	    cmocka_unit_test(protect_round_trips_and_refuses),
	    cmocka_unit_test(smime_encrypt_decrypt_keeps_outer_headers),
	    cmocka_unit_test(truncated_and_flipped_inputs_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
