/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The instance master secret.  It never leaves this process except as the
 * 0600 file `init` writes; everything encrypted at rest uses a sub-key
 * derived from it with HKDF-SHA256 and a purpose label, so a leak of one
 * sub-key says nothing about the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "core/core.h"

#define SECRET_FILE "master.key"
/* A fixed salt: the passphrase path must give the same secret on every node. */
#define SECRET_SALT "sertel master secret v1"

static int
secret_path(char *out, size_t outsz, const char *dir)
{
	if (snprintf(out, outsz, "%s/%s", dir, SECRET_FILE) >= (int)outsz)
		return sertel_err(SERTEL_EINVAL, "%s: path too long", dir);
	return 0;
}

/* SERTEL_MASTER_PASSPHRASE is stretched with scrypt, so a short phrase
 * still costs an attacker real work per guess. */
static int
secret_from_passphrase(unsigned char out[SECRET_LEN], const char *pass)
{
	if (strlen(pass) < 12)
		return sertel_err(SERTEL_EINVAL,
		                  "SERTEL_MASTER_PASSPHRASE: at least 12 characters");
	if (EVP_PBE_scrypt(pass, strlen(pass), (const unsigned char *)SECRET_SALT,
	                   sizeof(SECRET_SALT) - 1, 1 << 15, 8, 1, 64 * 1024 * 1024, out,
	                   SECRET_LEN) != 1)
		return sertel_err_ossl(SERTEL_ECRYPTO, "master secret: scrypt failed");
	return 0;
}

int
secret_create(const char *dir)
{
	unsigned char s[SECRET_LEN];
	char path[4096];
	int fd, rc;

	if (getenv("SERTEL_MASTER_PASSPHRASE") != NULL)
		return 0; /* nothing to write: the secret comes from the environment */
	if ((rc = secret_path(path, sizeof(path), dir)) < 0)
		return rc;
	if ((rc = rand_bytes(s, sizeof(s))) < 0)
		return rc;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		secure_wipe(s, sizeof(s));
		return sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	}
	if (write(fd, s, sizeof(s)) != (ssize_t)sizeof(s) || fsync(fd) < 0)
		rc = sertel_err(SERTEL_EIO, "%s: %s", path, strerror(errno));
	close(fd);
	secure_wipe(s, sizeof(s));
	return rc;
}

int
secret_load(unsigned char out[SECRET_LEN], const char *dir)
{
	const char *pass = getenv("SERTEL_MASTER_PASSPHRASE");
	char path[4096];
	struct stat st;
	ssize_t n;
	int fd, rc;

	if (pass != NULL)
		return secret_from_passphrase(out, pass);
	if ((rc = secret_path(path, sizeof(path), dir)) < 0)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sertel_err(SERTEL_EIO,
		                  "%s: %s (set SERTEL_MASTER_PASSPHRASE "
		                  "or restore the file)",
		                  path, strerror(errno));
	if (fstat(fd, &st) < 0 || (st.st_mode & 077) != 0) {
		close(fd);
		return sertel_err(SERTEL_EPERM, "%s: must be mode 0600", path);
	}
	n = read(fd, out, SECRET_LEN);
	close(fd);
	if (n != SECRET_LEN)
		return sertel_err(SERTEL_EIO, "%s: truncated master secret", path);
	return 0;
}

int
secret_derive(unsigned char *out, size_t outlen, const unsigned char master[SECRET_LEN],
              const char *label)
{
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[4];
	int ok;

	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) == NULL)
		return sertel_err_ossl(SERTEL_ECRYPTO, "HKDF unavailable");
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return sertel_err_ossl(SERTEL_ECRYPTO, "HKDF: out of memory");
	params[0] =
	    OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)master,
	                                              SECRET_LEN);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)label,
	                                              strlen(label));
	params[3] = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, outlen, params);
	EVP_KDF_CTX_free(ctx);
	if (ok != 1)
		return sertel_err_ossl(SERTEL_ECRYPTO, "HKDF: derive failed");
	return 0;
}
