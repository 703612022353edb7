/*
 * Functions shared between files of src/pki/ only.
 */
#ifndef SERTEL_PKI_INT_H
#define SERTEL_PKI_INT_H

#include "pki/pki.h"

/* Adds basicConstraints, keyUsage and extendedKeyUsage for an end-entity
 * certificate of that profile (profile.c). */
int profile_add_usage_exts(X509 *x, unsigned usages, EVP_PKEY *subject_key);
/* Adds one extension from an OpenSSL config string (e.g. "critical,CA:TRUE"). */
int x509_add_ext_conf(X509 *x, X509 *issuer, int nid, const char *value);

#endif
