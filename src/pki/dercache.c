/* SPDX-License-Identifier: Apache-2.0 */
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

/* What a slot can hold: OpenSSL's functions for one object type. */
struct kind {
	void *(*d2i)(const unsigned char **p, long len);
	int (*up_ref)(void *o);
	void (*free)(void *o);
	size_t max;
};

static void *
x509_d2i(const unsigned char **p, long len)
{
	return d2i_X509(NULL, p, len);
}
static int
x509_up(void *o)
{
	return X509_up_ref(o);
}
static void
x509_free(void *o)
{
	X509_free(o);
}
static void *
crl_d2i(const unsigned char **p, long len)
{
	return d2i_X509_CRL(NULL, p, len);
}
static int
crl_up(void *o)
{
	return X509_CRL_up_ref(o);
}
static void
crl_free(void *o)
{
	X509_CRL_free(o);
}

static const struct kind CERT = {x509_d2i, x509_up, x509_free, SERTEL_MAX_CERT};
static const struct kind CRL = {crl_d2i, crl_up, crl_free, LONG_MAX};

struct slot {
	unsigned char md[32];
	const struct kind *k;
	void *obj;
};

static struct slot slots[DERCACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* A new reference to the object of kind k parsed from exactly der, from
 * the table when the same bytes were parsed before. */
static void *
from_der(const struct kind *k, const unsigned char *der, size_t len)
{
	unsigned char md[32];
	const unsigned char *p = der;
	struct slot *s;
	void *o = NULL, *old = NULL;
	const struct kind *oldk = NULL;

	if (len == 0 || len > k->max)
		return NULL;
	sha256(md, der, len);
	s = &slots[((size_t)md[0] | (size_t)md[1] << 8) & (DERCACHE_SLOTS - 1)];
	pthread_mutex_lock(&lock);
	if (s->obj != NULL && s->k == k && memcmp(s->md, md, 32) == 0 &&
	    k->up_ref(s->obj))
		o = s->obj;
	pthread_mutex_unlock(&lock);
	if (o != NULL)
		return o;
	/* The whole input, nothing after the object (d2i alone allows it). */
	if ((o = k->d2i(&p, (long)len)) == NULL || p != der + len) {
		if (o != NULL)
			k->free(o);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (k->up_ref(o)) {
		old = s->obj;
		oldk = s->k;
		s->obj = o;
		s->k = k;
		memcpy(s->md, md, 32);
	}
	pthread_mutex_unlock(&lock);
	if (old != NULL)
		oldk->free(old);
	return o;
}

X509 *
pki_x509_from_der(const unsigned char *der, size_t len)
{
	return from_der(&CERT, der, len);
}

X509_CRL *
pki_crl_from_der(const unsigned char *der, size_t len)
{
	return from_der(&CRL, der, len);
}
