/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A process-wide memo of signature checks that succeeded: "these exact
 * bytes (certificate or CRL, signature included) verify under this public
 * key".  The answer is a pure function of the two, so remembering it is
 * sound; the key of an entry is SHA-256 over the object's SHA-256 and the
 * SHA-256 of the signer's SubjectPublicKeyInfo.  Only successes are
 * stored: a failure is recomputed (and rare).
 *
 * Why: a verifier or signing service checks the same chain and the same
 * CRLs for every document a signer signs; each ECDSA verification costs
 * ~70 us, the lookup ~1 us.  Fixed size, direct-mapped, one mutex.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pki/validate_int.h"

#define SIGCACHE_SLOTS 4096 /* power of two */

static unsigned char slots[SIGCACHE_SLOTS][32];
static unsigned char used[SIGCACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The entry key for (object digest, signer certificate's key); 0 on
 * failure (then nothing is cached). */
static int
entry_key(unsigned char out[32], char kind, const unsigned char obj[32], X509 *signer)
{
	unsigned char spki[EVP_MAX_MD_SIZE], in[1 + 32 + 32];
	unsigned int n = 0;

	if (signer == NULL || !X509_pubkey_digest(signer, EVP_sha256(), spki, &n) ||
	    n != 32)
		return 0;
	in[0] = (unsigned char)kind;
	memcpy(in + 1, obj, 32);
	memcpy(in + 33, spki, 32);
	sha256(out, in, sizeof(in));
	return 1;
}

static size_t
slot_of(const unsigned char k[32])
{
	return ((size_t)k[0] | (size_t)k[1] << 8) & (SIGCACHE_SLOTS - 1);
}

int
sigcache_known(char kind, const unsigned char obj[32], X509 *signer)
{
	unsigned char k[32];
	size_t s;
	int hit;

	if (!entry_key(k, kind, obj, signer))
		return 0;
	s = slot_of(k);
	pthread_mutex_lock(&lock);
	hit = used[s] && memcmp(slots[s], k, 32) == 0;
	pthread_mutex_unlock(&lock);
	return hit;
}

void
sigcache_remember(char kind, const unsigned char obj[32], X509 *signer)
{
	unsigned char k[32];
	size_t s;

	if (!entry_key(k, kind, obj, signer))
		return;
	s = slot_of(k);
	pthread_mutex_lock(&lock);
	memcpy(slots[s], k, 32);
	used[s] = 1;
	pthread_mutex_unlock(&lock);
}
