/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel portal: single sign-on with OpenID Connect (OpenID Connect Core
 * 1.0, the authorization code flow) against the local government's
 * identity provider.  Configured in [oidc]; the provider is trusted
 * configuration (its URLs are fetched with NET_TRUSTED_CONFIG, and every
 * fetch is logged).  What the provider says only counts for a person the
 * OP registered: the claim named by [oidc] claim (nik or a verified email)
 * must match one.
 *
 * A login in flight is one row of portal_oidc: the SHA-256 of its state
 * (the browser holds the value), the SHA-256 of the browser's pre-login
 * cookie (a callback from another browser does not count), the nonce and
 * the PKCE verifier (RFC 7636, S256), an expiry of [oidc] state_minutes;
 * it is spent by the callback that uses it, once.
 */
#ifndef SERTEL_PORTAL_OIDC_H
#define SERTEL_PORTAL_OIDC_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "store/store.h"

#define OIDC_URL_MAX 1024

struct oidc_conf {
	int enabled;         /* [oidc] issuer is set */
	char issuer[512];    /* [oidc] issuer (https; http only on loopback) */
	char client_id[256]; /* [oidc] client_id */
	char secret[512];    /* read from [oidc] client_secret_file */
	char claim[8];       /* [oidc] claim: "nik" (default) or "email" */
	char scopes[256];    /* [oidc] scopes, "openid" always among them */
	char redirect_uri[OIDC_URL_MAX]; /* the portal's base URL + /masuk/sso/kembali */
	char ca_file[1024];              /* [oidc] ca_file: trust only this CA (https) */
	int64_t state_seconds;           /* [oidc] state_minutes, default 10 */
};

/* Reads [oidc] (not configured: enabled 0, return 0).  dir: the instance
 * directory (client_secret_file and ca_file are relative to it); portal:
 * the portal's base URL with its prefix. */
int oidc_conf_load(struct oidc_conf *out, const struct config *cfg, const char *dir,
                   const char *portal);
/* Wipes the client secret. */
void oidc_conf_clear(struct oidc_conf *c);

/*
 * Starts a login: fetches the provider's discovery document, stores the
 * state, nonce and PKCE verifier bound to browser (the pre-login cookie's
 * value) and returns in *url (owned by the caller) the authorization
 * request to redirect the browser to.
 */
int oidc_begin(char **url, struct store *st, const struct oidc_conf *c,
               const char *browser, const char *peer);

/*
 * Ends a login at the callback: spends the state (once; from the same
 * browser; before its expiry), exchanges code for tokens at the token
 * endpoint (client_secret_basic, with the PKCE verifier), verifies the ID
 * token (oidc_id_token_check) and maps its claim to a registered person:
 * nik is filled.  claimed (for the audit trail of a refusal) says who the
 * provider said it was, when it got that far.  SERTEL_EAUTH with the
 * reason for every refusal; SERTEL_EIO when the provider cannot be asked.
 */
int oidc_finish(char nik[17], char claimed[160], struct store *st,
                const struct oidc_conf *c, const char *state, const char *code,
                const char *browser, const char *peer);

/*
 * The store part of a login in flight (oidc_begin and oidc_finish call
 * these; the tests call them on both engines).  oidc_state_new keeps the
 * SHA-256 of state and of browser with nonce and verifier until expires;
 * SERTEL_EPERM when OIDC_MAX_IN_FLIGHT logins already wait (anyone may
 * start one).  oidc_state_spend spends it once, only for the same browser
 * and before its expiry, and gives back nonce and verifier; SERTEL_EAUTH
 * otherwise (even under a race, one caller wins).
 */
#define OIDC_MAX_IN_FLIGHT 10000
int oidc_state_new(struct store *st, const char *state, const char *browser,
                   const char *nonce, const char *verifier, int64_t expires,
                   const char *peer);
int oidc_state_spend(char nonce[65], char verifier[64], struct store *st,
                     const char *state, const char *browser);

/*
 * The checks of an ID token (OpenID Connect Core 3.1.3.7): the signature
 * with a key of jwks (RS256 or ES256 only, pki/jws.h), iss equal to
 * issuer, aud naming client_id (and azp equal to it when present), exp
 * after now, iat not in the future nor older than 10 minutes (60 s of
 * clock skew either way), nonce equal to the one sent, a sub.  *claims
 * owned by the caller.  SERTEL_EAUTH with the reason.
 */
int oidc_id_token_check(json_t **claims, const char *token, const json_t *jwks,
                        const char *issuer, const char *client_id, const char *nonce,
                        int64_t now);

/*
 * The registered person the verified claims stand for ([oidc] claim):
 * "nik" (16 digits, a person the OP registered) or "email" (only with
 * email_verified true; the address a person is registered with, any
 * case).  nik is filled; claimed says what the provider claimed
 * ("nik:..." or "email:...", for the audit trail of a refusal).
 * SERTEL_EAUTH with the reason when nobody registered matches.
 */
int oidc_claims_person(char nik[17], char claimed[160], struct store *st,
                       const struct oidc_conf *c, const json_t *claims);

#endif
