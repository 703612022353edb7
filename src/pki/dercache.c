/*
 * Parsed certificates and CRLs, shared by their DER bytes.
 *
 * OpenSSL 3.0 decodes every certificate's public key through its decoder
 * framework: parsing the same instance root, issuing CA and CRLs for every
 * document a server verifies was a third of a verification.  Objects are
 * reference counted and read-only once parsed (OpenSSL computes its lazy
 * caches under a lock), so one parse can serve every thread.  Keyed by
 * SHA-256 of the DER; a fixed, direct-mapped table; one mutex.
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <openssl/x509.h>

#include "pki/pki.h"

#define DERCACHE_SLOTS 256 /* power of two */

struct slot {
	unsigned char md[32];
	X509 *x;
	X509_CRL *crl;
};

static struct slot slots[DERCACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct slot *
slot_of(const unsigned char md[32])
{
	return &slots[((size_t)md[0] | (size_t)md[1] << 8) & (DERCACHE_SLOTS - 1)];
}

X509 *
pki_x509_from_der(const unsigned char *der, size_t len)
{
	unsigned char md[32];
	const unsigned char *p = der;
	struct slot *s;
	X509 *x = NULL, *old = NULL;

	if (len == 0 || len > SERTEL_MAX_CERT)
		return NULL;
	sha256(md, der, len);
	s = slot_of(md);
	pthread_mutex_lock(&lock);
	if (s->x != NULL && memcmp(s->md, md, 32) == 0 && X509_up_ref(s->x))
		x = s->x;
	pthread_mutex_unlock(&lock);
	if (x != NULL)
		return x;
	/* Whole input, nothing after the certificate (as d2i alone allows). */
	if ((x = d2i_X509(NULL, &p, (long)len)) == NULL || p != der + len) {
		X509_free(x);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (X509_up_ref(x)) {
		old = s->x;
		s->x = x;
		X509_CRL_free(s->crl);
		s->crl = NULL;
		memcpy(s->md, md, 32);
	}
	pthread_mutex_unlock(&lock);
	X509_free(old);
	return x;
}

X509_CRL *
pki_crl_from_der(const unsigned char *der, size_t len)
{
	unsigned char md[32];
	const unsigned char *p = der;
	struct slot *s;
	X509_CRL *crl = NULL, *old = NULL;

	if (len == 0 || len > (size_t)LONG_MAX)
		return NULL;
	sha256(md, der, len);
	s = slot_of(md);
	pthread_mutex_lock(&lock);
	if (s->crl != NULL && memcmp(s->md, md, 32) == 0 && X509_CRL_up_ref(s->crl))
		crl = s->crl;
	pthread_mutex_unlock(&lock);
	if (crl != NULL)
		return crl;
	if ((crl = d2i_X509_CRL(NULL, &p, (long)len)) == NULL || p != der + len) {
		X509_CRL_free(crl);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (X509_CRL_up_ref(crl)) {
		old = s->crl;
		s->crl = crl;
		X509_free(s->x);
		s->x = NULL;
		memcpy(s->md, md, 32);
	}
	pthread_mutex_unlock(&lock);
	X509_CRL_free(old);
	return crl;
}
