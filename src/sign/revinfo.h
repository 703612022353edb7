/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to src/sign: fetching revocation information for a certificate
 * from the URLs it carries (RFC 5280 4.2.2.1 AIA id-ad-ocsp, 4.2.1.13 CRL
 * distribution points).  The PAdES signer (B-LT) and the verifier share it.
 */
#ifndef SERTEL_SIGN_REVINFO_H
#define SERTEL_SIGN_REVINFO_H

#include <openssl/x509.h>

#include "core/core.h"
#include "net/net.h"

/* Each function sends its requests as *how says (policy, allow-list,
 * budget, max, timeout; url and body are set here): the verifier passes
 * NET_UNTRUSTED, the PAdES signer NET_TRUSTED_CONFIG for its own chain. */

/* POSTs an OCSP request for cert (issued by issuer) to each of cert's OCSP
 * URLs in turn; the first reply with status 200 goes to *out (DER, not yet
 * judged).  SERTEL_ENOTFOUND when cert names no http(s) OCSP URL. */
int revinfo_fetch_ocsp(struct buf *out, X509 *cert, X509 *issuer,
                       const struct net_req *how);

/* GETs the CRL from each http(s) URI of cert's CRL distribution points in
 * turn; the first 200 reply goes to *out (DER or PEM, not yet judged).
 * SERTEL_ENOTFOUND when there is no such URI. */
int revinfo_fetch_crl(struct buf *out, X509 *cert, const struct net_req *how);

/* GETs the first http(s) caIssuers URL's reply into *out.  SERTEL_ENOTFOUND
 * when there is none. */
int revinfo_fetch_issuer(struct buf *out, X509 *cert, const struct net_req *how);

#endif
