/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel pki: JSON Web Signatures in compact form (RFC 7515) verified
 * against a JSON Web Key set (RFC 7517), for OpenID Connect ID tokens.
 * Only RS256 and ES256 (RFC 7518 3.3, 3.4): "none", HMAC and every other
 * algorithm are refused, as is a header with "crit".
 */
#ifndef SERTEL_PKI_JWS_H
#define SERTEL_PKI_JWS_H

#include <jansson.h>

#include "core/core.h"

#define JWS_MAX_TOKEN (16 * 1024) /* an ID token is a few hundred bytes */

/*
 * Verifies the compact JWS token with a key of jwks ({"keys": [...]}):
 * the one whose "kid" the header names, or, without a kid, the only key
 * of the algorithm's type.  On success *claims is the payload (a JSON
 * object, owned by the caller).  SERTEL_EAUTH with the reason otherwise.
 */
int jws_verify(json_t **claims, const char *token, const json_t *jwks);

#endif
