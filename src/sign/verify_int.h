/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the verifier (verify*.c): the context one verification
 * runs in, the CMS checks shared by PDF and detached signatures, and the
 * certificate path and revocation checks.
 *
 *   verify.c        context, path validation at the signing time, live
 *                   revocation material (AIA OCSP, CRL DP) unless offline,
 *                   who signed (NIK/NIP), the detached-file entry point
 *   verify_cms.c    one CMS SignedData: digest, signature,
 *                   signing-certificate-v2, signature timestamp, embedded
 *                   certificates, CRLs and OCSP responses
 *   verify_pdf.c    signatures of a PDF: ByteRange, DSS, document
 *                   timestamps, what changed after each signature
 *   verify_report.c text (id/en) and JSON rendering
 */
#ifndef SERTEL_VERIFY_INT_H
#define SERTEL_VERIFY_INT_H

#include <openssl/cms.h>
#include <openssl/ocsp.h>

#include "pki/validate.h"
#include "sign/sign.h"

/* Limits on hostile input. */
#define VERIFY_MAX_CMS     (4 * 1024 * 1024) /* one Contents / .p7s */
#define VERIFY_MAX_SIGS    256               /* signatures per file */
#define VERIFY_MAX_FETCH   (4 * 1024 * 1024) /* one fetched CRL/OCSP */
#define VERIFY_FETCH_SECS  5L                /* per fetch, within the budget */
#define VERIFY_MAX_FETCHES 4                 /* requests per verification (default) */
#define VERIFY_FETCH_MS    5000              /* all of them together (default) */

struct instance;

struct verify_ctx {
	const struct verify_opts *opts;
	int en;                    /* 1: English messages */
	int64_t now;               /* opts->at or the current time */
	struct validate_input *in; /* anchors and all material found so far */
	STACK_OF(X509) * pool;     /* every certificate found (owned) */
	int nanchors;
	struct instance *inst; /* opened when opts->dir is set, or NULL */
	struct store *st;      /* opts->store or inst->st, or NULL */
	struct net_budget net; /* requests and time left for fetches */
	struct net_req how;    /* NET_UNTRUSTED template for revinfo */
};

/* One region of the signed bytes (a ByteRange pair). */
struct verify_range {
	size_t off;
	size_t len;
};

/* The message in the chosen language (both borrowed literals). */
const char *vtr(const struct verify_ctx *c, const char *id, const char *en);
/* *out = printf-style string (owned); NULL on allocation failure. */
char *vstrdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* RFC 2253 form of a name (owned), never NULL unless out of memory. */
char *vname(const X509_NAME *n);
/* Appends "; msg" (or msg) to *dst (owned). */
void vappend(char **dst, const char *msg);
/* Issue 18: names an accepted SHA-1 signature of chain in sig's message. */
void verify_note_sha1(struct verify_sig *sig, struct verify_ctx *c,
                      STACK_OF(X509) * chain);

int verify_ctx_init(struct verify_ctx *c, const struct verify_opts *opts);
void verify_ctx_free(struct verify_ctx *c);
/* Adds certificates to the pool (and the validator's untrusted set). */
int verify_ctx_add_certs(struct verify_ctx *c, STACK_OF(X509) * certs);
int verify_ctx_add_crl(struct verify_ctx *c, X509_CRL *crl);
int verify_ctx_add_ocsp(struct verify_ctx *c, OCSP_RESPONSE *resp);
/* DER objects (from a PDF's DSS). */
int verify_ctx_add_der(struct verify_ctx *c, int kind, const unsigned char *der,
                       size_t len);
enum { VERIFY_DER_CERT, VERIFY_DER_CRL, VERIFY_DER_OCSP };

int verify_time_to_epoch(int64_t *out, const ASN1_TIME *t);

/* The result of the CMS layer for one signature. */
struct verify_cms {
	X509 *signer;    /* borrowed from cms (or the pool) */
	int64_t claimed; /* signing-time attribute, 0 if none */
	int ts_present;  /* a signature timestamp token was there */
	int ts_ok;
	int64_t ts_time;
	char *ts_tsa; /* TSA subject (owned) */
	int ess_present;
};

/* Checks the CMS SignedData in der over the content given as ranges of
 * data (detached, digested piece by piece): exactly one SignerInfo, the
 * signer's certificate among the CMS certificates or the pool,
 * message-digest, the signature over the signed attributes,
 * signing-certificate(-v2), and the signature timestamp.  Fills the
 * digest/signature/ESS fields of sig (and its message on failure); adds
 * every certificate, CRL and OCSP response the CMS carries (also in
 * adbe-revocationInfoArchival) to the context.  Returns 0 when the CMS
 * could be examined (whatever the result), < 0 when it cannot be parsed.
 * On success *cms_out (owned) holds the parsed CMS for the caller. */
int verify_cms_check(struct verify_cms *out, CMS_ContentInfo **cms_out,
                     struct verify_sig *sig, struct verify_ctx *c,
                     const unsigned char *der, size_t len, const unsigned char *data,
                     const struct verify_range *ranges, size_t nranges);
void verify_cms_free(struct verify_cms *v);

/* An RFC 3161 token over (ranges of) data, or over a given digest input:
 * checks the token's own signature, its imprint, the TSA certificate's
 * extended key usage and its path at the token's time.  *time and *tsa
 * (owned) on success.  Returns 1 valid, 0 not valid (*why owned), < 0
 * when it cannot be parsed.  der may be followed by zero padding up to
 * len (a PDF's /Contents): the ContentInfo is read by its own length
 * first, so a BER token's end-of-contents octets are kept.  *held (may be
 * NULL) gets VERIFY_TST_SIGNATURE / VERIFY_TST_IMPRINT for what held,
 * whatever the trust in the TSA (issue 18). */
#define VERIFY_TST_SIGNATURE 1
#define VERIFY_TST_IMPRINT   2
int verify_tst(int64_t *time, char **tsa, char **why, int *held, struct verify_ctx *c,
               const unsigned char *der, size_t len, const unsigned char *data,
               const struct verify_range *ranges, size_t nranges);

/* The signer's path and revocation status at the signing time, filling
 * the subject/NIK/NIP/chain/revocation fields and the verdict parts of
 * sig.  time_trusted: the time comes from a valid timestamp. */
int verify_signer(struct verify_sig *sig, struct verify_ctx *c, X509 *signer, int64_t at,
                  int time_trusted);

/* Folds the parts of sig into its verdict and message. */
void verify_sig_conclude(struct verify_sig *sig, struct verify_ctx *c);
void verify_sig_clear(struct verify_sig *s);

#endif
