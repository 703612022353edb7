/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to src/sign: pieces the CMS producers (cades.c, smime.c) share.
 */
#ifndef SERTEL_SIGN_INT_H
#define SERTEL_SIGN_INT_H

#include <openssl/cms.h>

#include "sign/sign.h"

/* Adds the signer's chain to the SignedData's certificates, skipping the
 * signer's own certificate and repeats (a "fullchain" file is fine). */
int sign_cms_add_chain(CMS_ContentInfo *cms, const struct sign_signer *s);

#endif
