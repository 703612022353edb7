/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Functions shared between files of src/pki/ only.
 */
#ifndef SERTEL_PKI_INT_H
#define SERTEL_PKI_INT_H

#include "pki/pki.h"

/* Adds basicConstraints, keyUsage and extendedKeyUsage for an end-entity
 * certificate of that profile (profile.c). */
/* has_email: the certificate carries an rfc822Name (emailProtection only
 * then). */
int profile_add_usage_exts(X509 *x, unsigned usages, EVP_PKEY *subject_key,
                           int has_email);
/* Adds one extension from an OpenSSL config string (e.g. "critical,CA:TRUE"). */
int x509_add_ext_conf(X509 *x, X509 *issuer, int nid, const char *value);

/* PKCS#10 without OpenSSL 3.0's per-call decoder chains (csr.c).  The
 * request's self-signature and key policy are checked by csr_parse. */
struct csr;
int csr_parse(struct csr **out, const unsigned char *data, size_t len);
void csr_free(struct csr *c);
/* Borrowed. */
EVP_PKEY *csr_pubkey(const struct csr *c);
/* Copies the request's SubjectPublicKeyInfo into x as received. */
int csr_copy_pubkey(X509 *x, const struct csr *c);

/* A public key from its parts, imported with EVP_PKEY_fromdata (key.c):
 * RSA from modulus and exponent; EC from a named group ("prime256v1",
 * ...) and an encoded point (checked to be on the curve).  *out owned by
 * the caller; SERTEL_EINVAL with the OpenSSL reason, prefixed by what. */
int key_public_rsa(EVP_PKEY **out, const BIGNUM *n, const BIGNUM *e, const char *what);
int key_public_ec(EVP_PKEY **out, const char *group, const unsigned char *point,
                  size_t len, const char *what);

#endif
