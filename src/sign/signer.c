/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a signer: a private key, its certificate and the issuing CA
 * certificate(s), either from files or from a key the server sealed under
 * its owner's passphrase (sealed_keys, written by the RA's issuance).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "instance/instance.h"
#include "sign/sign.h"
#include "sign/sign_int.h"

#define SIGNER_MAX_FILE (1024 * 1024)

static int load_key(EVP_PKEY **out, const char *path, const char *pass);
static int load_cert(X509 **out, const unsigned char *data, size_t len, const char *what);
static int load_chain(STACK_OF(X509) * *out, const char *path);
static int key_matches(const struct sign_signer *s, const char *what);

void
sign_signer_free(struct sign_signer *s)
{
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	s->key = NULL;
	s->cert = NULL;
	s->chain = NULL;
}

/* Key from PEM (PKCS#8, encrypted or not, or traditional) or DER. */
static int
load_key(EVP_PKEY **out, const char *path, const char *pass)
{
	unsigned char *data = NULL;
	size_t len = 0;
	BIO *b = NULL;
	EVP_PKEY *k = NULL;
	int rc, encrypted = 0;

	*out = NULL;
	if ((rc = file_read(&data, &len, path, SIGNER_MAX_FILE)) < 0)
		return rc;
	if ((b = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	/* A NULL pass must never prompt on the terminal: give "" instead. */
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)(pass ? pass : ""));
	if (k == NULL) {
		ERR_clear_error();
		(void)BIO_reset(b);
		k = d2i_PrivateKey_bio(b, NULL);
	}
	if (k == NULL) {
		X509_SIG *p8 = NULL;
		PKCS8_PRIV_KEY_INFO *inf = NULL;

		ERR_clear_error();
		(void)BIO_reset(b);
		if ((p8 = d2i_PKCS8_bio(b, NULL)) != NULL)
			encrypted = 1;
		if (pass != NULL && p8 != NULL) {
			inf = PKCS8_decrypt(p8, pass, (int)strlen(pass));
			if (inf != NULL)
				k = EVP_PKCS82PKEY(inf);
			PKCS8_PRIV_KEY_INFO_free(inf);
		}
		X509_SIG_free(p8);
	}
	if (k == NULL) {
		ERR_clear_error();
		/* Encrypted and no or the wrong passphrase, or not a key. */
		if (encrypted || strstr((const char *)data, "ENCRYPTED") != NULL)
			rc = sertel_err(
			    SERTEL_EAUTH,
			    "key %s: cannot decrypt (wrong or missing passphrase)", path);
		else
			rc = sertel_err(SERTEL_EINVAL,
			                "key %s: not a PEM or DER private key", path);
		goto out;
	}
	*out = k;
	rc = 0;
out:
	BIO_free(b);
	if (data != NULL) {
		secure_wipe(data, len);
		free(data);
	}
	return rc;
}

static int
load_cert(X509 **out, const unsigned char *data, size_t len, const char *what)
{
	BIO *b = NULL;
	const unsigned char *p = data;

	*out = NULL;
	if ((b = BIO_new_mem_buf(data, (int)len)) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	*out = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (*out == NULL) {
		ERR_clear_error();
		*out = d2i_X509(NULL, &p, (long)len);
		if (*out != NULL && p != data + len) {
			X509_free(*out);
			*out = NULL;
			return sertel_err(SERTEL_EINVAL, "certificate %s: trailing bytes",
			                  what);
		}
	}
	if (*out == NULL)
		return sertel_err_ossl(
		    SERTEL_EINVAL, "certificate %s: not a PEM or DER certificate", what);
	return 0;
}

int
sign_load_certs(STACK_OF(X509) * *out, const unsigned char *data, size_t len,
                const char *what)
{
	STACK_OF(X509) *sk = NULL;
	BIO *b = NULL;
	X509 *x = NULL;
	int rc;

	*out = NULL;
	if ((sk = sk_X509_new_null()) == NULL ||
	    (b = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
	}
	ERR_clear_error();
	if (sk_X509_num(sk) == 0) {
		/* One DER certificate. */
		if ((rc = load_cert(&x, data, len, what)) < 0)
			goto out;
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
	}
	*out = sk;
	sk = NULL;
	rc = 0;
out:
	BIO_free(b);
	sk_X509_pop_free(sk, X509_free);
	return rc;
}

static int
load_chain(STACK_OF(X509) * *out, const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = file_read(&data, &len, path, SIGNER_MAX_FILE)) < 0)
		return rc;
	rc = sign_load_certs(out, data, len, path);
	free(data);
	return rc;
}

int
sign_load_cert_file(X509 **out, const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = file_read(&data, &len, path, SIGNER_MAX_FILE)) < 0)
		return rc;
	rc = load_cert(out, data, len, path);
	free(data);
	return rc;
}

int
sign_load_key_file(EVP_PKEY **out, const char *path, const char *pass)
{
	return load_key(out, path, pass);
}

static int
key_matches(const struct sign_signer *s, const char *what)
{
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		return sertel_err(
		    SERTEL_EINVAL,
		    "%s: the private key does not belong to the certificate", what);
	}
	return 0;
}

int
sign_signer_load_files(struct sign_signer *out, const char *key_path, const char *pass,
                       const char *cert_path, const char *chain_path)
{
	struct sign_signer s = {NULL, NULL, NULL};
	int rc;

	memset(out, 0, sizeof(*out));
	if (key_path == NULL || cert_path == NULL)
		return sertel_err(SERTEL_EINVAL,
		                  "signer: a key and a certificate are needed");
	if ((rc = load_key(&s.key, key_path, pass)) < 0 ||
	    (rc = sign_load_cert_file(&s.cert, cert_path)) < 0)
		goto out;
	if (chain_path != NULL) {
		if ((rc = load_chain(&s.chain, chain_path)) < 0)
			goto out;
	} else if ((s.chain = sk_X509_new_null()) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = key_matches(&s, key_path)) < 0)
		goto out;
	*out = s;
	memset(&s, 0, sizeof(s));
	rc = 0;
out:
	sign_signer_free(&s);
	return rc;
}

/* The issuing CA certificates of issuer_id up to, not including, the root. */
int
sign_chain_from_store(STACK_OF(X509) * *out, struct store *st, const char *issuer_id)
{
	STACK_OF(X509) *sk = NULL;
	struct issuer_rec ir;
	char id[ISSUER_ID_LEN + 1];
	X509 *x = NULL;
	int rc, depth;

	*out = NULL;
	memset(&ir, 0, sizeof(ir));
	if ((sk = sk_X509_new_null()) == NULL)
		return sertel_err(SERTEL_ENOMEM, "out of memory");
	if ((rc = str_copy(id, sizeof(id), issuer_id)) < 0)
		goto out;
	for (depth = 0; depth < 8 && id[0] != '\0'; depth++) {
		if ((rc = store_issuer_get(st, id, &ir)) < 0)
			goto out;
		if (ir.parent_id[0] == '\0' || strcmp(ir.role, "root") == 0)
			break; /* the root is the relying party's trust anchor */
		if ((rc = load_cert(&x, ir.cert_der, ir.cert_len, ir.id)) < 0)
			goto out;
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			rc = sertel_err(SERTEL_ENOMEM, "out of memory");
			goto out;
		}
		x = NULL;
		(void)str_copy(id, sizeof(id), ir.parent_id);
		issuer_rec_free(&ir);
		memset(&ir, 0, sizeof(ir));
	}
	*out = sk;
	sk = NULL;
	rc = 0;
out:
	issuer_rec_free(&ir);
	sk_X509_pop_free(sk, X509_free);
	return rc;
}

/* "argon2id$OPS$MEM" as ra/issue.c writes it. */
static int
kdf_parse(struct seal_params *out, const char *kdf)
{
	const char *p, *q;
	char num[32];
	long long v;

	if (kdf == NULL || strncmp(kdf, "argon2id$", 9) != 0)
		return sertel_err(SERTEL_EINVAL, "sealed key: unknown kdf");
	p = kdf + 9;
	if ((q = strchr(p, '$')) == NULL || (size_t)(q - p) >= sizeof(num))
		return sertel_err(SERTEL_EINVAL, "sealed key: bad kdf parameters");
	memcpy(num, p, (size_t)(q - p));
	num[q - p] = '\0';
	if (parse_ll(&v, num, 1, 1LL << 32) < 0)
		return sertel_err(SERTEL_EINVAL, "sealed key: bad kdf opslimit");
	out->opslimit = (unsigned long long)v;
	if (parse_ll(&v, q + 1, 8192, 1LL << 34) < 0)
		return sertel_err(SERTEL_EINVAL, "sealed key: bad kdf memlimit");
	out->memlimit = (size_t)v;
	return 0;
}

int
sign_sealed_find(struct sign_sealed_ref *out, struct store *st, const char *nik,
                 int64_t now)
{
	struct db_stmt *s = NULL;
	const unsigned char *b;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (nik == NULL || nik[0] == '\0')
		return sertel_err(SERTEL_EINVAL, "signer: NIK is required");
	/* The newest valid signing certificate of that person with a key the
	 * server sealed for it. */
	if ((rc = db_prepare(
	         &s, store_db(st),
	         "SELECT c.serial, k.kdf, k.salt, k.nonce, k.sealed, k.locked,"
	         " k.failures FROM certs c JOIN sealed_keys k ON k.serial = "
	         "c.serial WHERE c.nik = ? AND k.nik = ? AND c.revoked = 0 AND "
	         "c.not_before <= ? AND c.not_after > ? AND (',' || c.usages "
	         "|| ',') LIKE '%,signing,%' ORDER BY c.not_before DESC, "
	         "c.created_at DESC LIMIT 1")) < 0)
		return rc;
	if ((rc = db_bind_text(s, 1, nik)) < 0 || (rc = db_bind_text(s, 2, nik)) < 0 ||
	    (rc = db_bind_int(s, 3, now)) < 0 || (rc = db_bind_int(s, 4, now)) < 0)
		goto out;
	if ((rc = db_step(s)) < 0)
		goto out;
	if (rc == 0) {
		rc = sertel_err(SERTEL_ENOTFOUND,
		                "NIK %s: no valid signing certificate with a key kept by "
		                "this server",
		                nik);
		goto out;
	}
	if ((rc = str_copy(out->serial, sizeof(out->serial), db_col_text(s, 0))) < 0 ||
	    (rc = kdf_parse(&out->key.params, db_col_text(s, 1))) < 0)
		goto out;
	b = db_col_blob(s, 2, &n);
	if (b == NULL || n != SEAL_SALT) {
		rc = sertel_err(SERTEL_EINVAL, "sealed key %s: bad salt", out->serial);
		goto out;
	}
	memcpy(out->key.salt, b, SEAL_SALT);
	b = db_col_blob(s, 3, &n);
	if (b == NULL || n != SEAL_NONCE) {
		rc = sertel_err(SERTEL_EINVAL, "sealed key %s: bad nonce", out->serial);
		goto out;
	}
	memcpy(out->key.nonce, b, SEAL_NONCE);
	b = db_col_blob(s, 4, &n);
	if (b == NULL || n == 0 || (out->key.sealed = malloc(n)) == NULL) {
		rc = sertel_err(b == NULL || n == 0 ? SERTEL_EINVAL : SERTEL_ENOMEM,
		                "sealed key %s: cannot read", out->serial);
		goto out;
	}
	memcpy(out->key.sealed, b, n);
	out->key.sealed_len = n;
	out->locked = db_col_int(s, 5) != 0;
	out->failures = (int)db_col_int(s, 6);
	rc = 0;
out:
	db_finalize(s);
	if (rc < 0)
		sign_sealed_ref_free(out);
	return rc;
}

void
sign_sealed_ref_free(struct sign_sealed_ref *r)
{
	if (r == NULL)
		return;
	sealed_key_free(&r->key);
}

int
sign_signer_load_sealed(struct sign_signer *out, struct store *st, const char *nik,
                        const char *pass, size_t passlen)
{
	struct sign_signer s = {NULL, NULL, NULL};
	struct sign_sealed_ref ref;
	struct cert_rec rec;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&rec, 0, sizeof(rec));
	if ((rc = sign_sealed_find(&ref, st, nik, time_now())) < 0)
		return rc;
	if (ref.locked) {
		rc = sertel_err(SERTEL_EPERM,
		                "sealed key %s: locked after too many wrong passphrases",
		                ref.serial);
		goto out;
	}
	if ((rc = unseal_key(&s.key, &ref.key, pass, passlen)) < 0) {
		if (rc == SERTEL_EAUTH)
			rc = sertel_err(SERTEL_EAUTH, "sealed key %s: wrong passphrase",
			                ref.serial);
		goto out;
	}
	if ((rc = store_cert_get(st, ref.serial, &rec)) < 0 ||
	    (rc = load_cert(&s.cert, rec.der, rec.der_len, rec.serial)) < 0 ||
	    (rc = sign_chain_from_store(&s.chain, st, rec.issuer_id)) < 0 ||
	    (rc = key_matches(&s, ref.serial)) < 0)
		goto out;
	*out = s;
	memset(&s, 0, sizeof(s));
	rc = 0;
out:
	cert_rec_free(&rec);
	sign_sealed_ref_free(&ref);
	sign_signer_free(&s);
	return rc;
}

int
sign_signer_load_instance(struct sign_signer *out, const char *dir, const char *nik,
                          const char *passphrase_file)
{
	struct instance *in = NULL;
	unsigned char *pass = NULL;
	size_t plen = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sign_read_pass(&pass, &plen, passphrase_file)) < 0)
		return rc;
	if ((rc = instance_open(&in, dir)) < 0)
		goto out;
	rc = sign_signer_load_sealed(out, in->st, nik, (const char *)pass, plen);
out:
	instance_close(in);
	if (pass != NULL) {
		secure_wipe(pass, plen);
		free(pass);
	}
	return rc;
}

int
sign_read_pass(unsigned char **out, size_t *outlen, const char *path)
{
	unsigned char *p = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = file_read(&p, &n, path, 4096)) < 0)
		return rc;
	/* One line: the trailing newline is not part of the passphrase. */
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		p[--n] = '\0';
	if (n == 0) {
		free(p);
		return sertel_err(SERTEL_EINVAL, "passphrase file %s: empty", path);
	}
	*out = p;
	*outlen = n;
	return 0;
}

/* RFC 2253 form of a name into out (truncated to fit). */
void
sign_name_rfc2253(char *out, size_t outsz, const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0 &&
	    (len = BIO_read(b, out, (int)outsz - 1)) > 0)
		out[len] = '\0';
	BIO_free(b);
}

int
sign_cms_add_chain(CMS_ContentInfo *cms, const struct sign_signer *s)
{
	X509 *x;
	int i, j, dup;

	for (i = 0; s->chain != NULL && i < sk_X509_num(s->chain); i++) {
		x = sk_X509_value(s->chain, i);
		dup = X509_cmp(x, s->cert) == 0;
		for (j = 0; j < i && !dup; j++)
			dup = X509_cmp(x, sk_X509_value(s->chain, j)) == 0;
		if (!dup && !CMS_add1_cert(cms, x))
			return sertel_err_ossl(SERTEL_ECRYPTO,
			                       "signer: cannot add the chain");
	}
	return 0;
}
