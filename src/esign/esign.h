/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel esign: the signing service behind the BSrE-compatible e-sign API
 * (issue 6).  Signing with a server-held key sealed under its owner's
 * passphrase (Palembang 12(2)a-b: sole control), the owner's status as
 * BSrE names it, wrong-passphrase counting and the lock, TOTP (RFC 6238)
 * as a second factor, client applications with HTTP Basic credentials,
 * the electronic seal of the organisation, and the registry of signed
 * documents behind the QR code (/v/{id}).
 *
 * Files (one concern each):
 *   client.c    client applications: add, list, remove, Basic auth
 *   owner.c     owner status, failures and lock, unlock, passphrase change
 *   totp.c      RFC 6238 codes, enrolment, the secret encrypted at rest
 *   service.c   signing calls: unseal once, sign every file, register
 *   registry.c  the document registry (hash and metadata; content only
 *               when [esign] keep_content = 1)
 *   seal.c      organisation seals held by the instance
 *
 * HTTP lives in src/http/api_esign.c; this subsystem never sees a request.
 */
#ifndef SERTEL_ESIGN_H
#define SERTEL_ESIGN_H

#include <stdint.h>

#include "core/core.h"
#include "ra/ra.h"
#include "sign/sign.h"
#include "store/store.h"

struct instance;

/* ---- configuration: sertel.conf [esign] -------------------------------- */
struct esign_conf {
	int max_failures;               /* wrong passphrases before the lock (5) */
	size_t pass_min_len;            /* [passphrase] min_length (ra_policy) */
	int keep_content;               /* keep signed files (encrypted) for download */
	size_t max_file_bytes;          /* one PDF (10 MiB) */
	size_t max_files;               /* files in one call (100) */
	size_t max_request_bytes;       /* one API request body (64 MiB) */
	int parallel_unseal;            /* Argon2id runs at once (2): 64 MiB each */
	int totp_window;                /* steps accepted either side of now (1) */
	int otp_sign;                   /* a code may replace the passphrase (1, BSrE) */
	int otp_seconds;                /* an e-mailed code's validity (300, BSrE) */
	int otp_resend_seconds;         /* between two codes to one subject (30) */
	int seal_totp;                  /* seal/pdf needs a mailed code (1, BSrE) */
	char base_url[SERTEL_MAX_NAME]; /* for /v/{id} links */
	char footer[512];               /* sign_footer_template(): never empty */
	/* Issue 11: PAdES level, [esign] level = B-B | B-T (default) | B-LT.
	 * B-T and above timestamp every signature, so a later revocation of
	 * the signer's certificate does not undo it (ETSI EN 319 102-1
	 * 5.6.2.1); B-B must be asked for. */
	int level;                     /* enum sign_level */
	char tsa_url[SERTEL_MAX_NAME]; /* "" : the instance TSA, base_url/tsa */
	/* Issue 11: the public pages (/v/{id}, /verifikasi). */
	int publish_nip;            /* [esign] publish_nip: NIP unmasked (0) */
	char logo[SERTEL_MAX_NAME]; /* [esign] public_logo: PNG/SVG file ("") */
	char org[SERTEL_MAX_NAME];  /* [instance] org: the Pemda's name */
	char location[SERTEL_MAX_NAME];
	int verify_after_sign;     /* record the verifier's verdict per document (1) */
	int verify_offline;        /* verifier never fetches OCSP/CRLs (0) */
	struct verify_conf verify; /* [verify]: fetching and decoding limits */
	struct sign_look look;     /* [sign] box_*: the visible signature (issue 11) */
};
int esign_conf_load(struct esign_conf *out, const struct config *cfg,
                    const char *base_url);

/* ---- BSrE's error codes and user statuses ------------------------------ */
enum esign_code {
	ESIGN_OK = 0,
	ESIGN_NOT_REGISTERED = 2011,   /* BSrE: user not registered */
	ESIGN_NO_CERTIFICATE = 2021,   /* BSrE: no (usable) certificate */
	ESIGN_WRONG_PASSPHRASE = 2031, /* BSrE: wrong passphrase */
	ESIGN_NOT_AVAILABLE = 4044,    /* BSrE: file gone (downloaded already) */
	/* sertel's own, documented in docs/api-bsre.md */
	ESIGN_LOCKED = 2051,       /* locked after too many wrong passphrases */
	ESIGN_WRONG_TOTP = 2052,   /* second factor missing or wrong */
	ESIGN_CERT_STATUS = 2053,  /* expired, revoked, suspended, no signing usage */
	ESIGN_BAD_DOCUMENT = 2061, /* not a PDF, empty, too large, unreadable */
	ESIGN_BAD_REQUEST = 2062,  /* missing or malformed field */
	ESIGN_BUSY = 2099,         /* the verifiers' shared pool is spent: again later */
};

enum esign_status {
	ESIGN_ST_ISSUE,
	ESIGN_ST_EXPIRED,
	ESIGN_ST_RENEW,
	ESIGN_ST_WAITING_FOR_VERIFICATION,
	ESIGN_ST_NEW,
	ESIGN_ST_NO_CERTIFICATE,
	ESIGN_ST_NOT_REGISTERED,
	ESIGN_ST_SUSPEND,
	ESIGN_ST_REVOKE,
};
const char *esign_status_name(enum esign_status s);
/* The message BSrE-style clients show (Bahasa Indonesia). */
const char *esign_status_message(enum esign_status s);

/* Why a call failed, for the HTTP layer: BSrE code, HTTP status and one
 * line of Bahasa Indonesia.  Filled by every esign_* call that fails
 * because of its input (rc < 0); rc alone says SERTEL_E*. */
struct esign_error {
	int code; /* enum esign_code */
	int http; /* 400, 401, 403, 404, 413, 503, ... */
	char msg[300];
};

/* ---- owners ----------------------------------------------------------- */
struct esign_owner {
	struct ra_person person;
	enum esign_status status;
	char serial[SERIAL_HEX_MAX + 1]; /* the certificate signing would use, or "" */
	int has_sealed_key;
	int locked;
	int failures;
	int totp_enrolled;
};
/* By NIK or, when nik is NULL, by e-mail.  Status as BSrE names it: a
 * valid certificate with signing usage is ISSUE (RENEW while a renewal is
 * pending); a locked owner is SUSPEND; otherwise the pending application
 * (WAITING_FOR_VERIFICATION when submitted or approved, NEW as a draft),
 * else the latest certificate (REVOKE, EXPIRED; certificateHold is
 * SUSPEND), else NO_CERTIFICATE.  SERTEL_ENOTFOUND (status
 * NOT_REGISTERED) for nobody registered. */
int esign_owner_get(struct esign_owner *out, struct store *st, const char *nik,
                    const char *email, int64_t now);

/* OP unlock after the lock (operator-op with a valid certificate of their
 * own, or the local administrator); resets the count; audited. */
int esign_unlock(struct store *st, const struct ra_actor *who, const char *nik,
                 const char *reason);
/* The owners locked now, longest locked first, for those who unlock them
 * (an operator-op or the administrator; SERTEL_EPERM otherwise). */
struct esign_locked {
	const char *nik;
	const char *name;
	const char *agency;
	int failures;
	int64_t locked_at;
};
typedef int (*esign_locked_fn)(const struct esign_locked *l, void *arg);
int esign_locked_iter(struct store *st, const struct ra_actor *who, esign_locked_fn cb,
                      void *arg);
/* Passphrase change: the old passphrase unseals, the new one (passing
 * passphrase_check) seals again; both wiped by the caller. */
int esign_passphrase_change(struct esign_error *err, struct store *st,
                            const struct esign_conf *ec, const char *nik,
                            const char *old_pass, size_t old_len, const char *new_pass,
                            size_t new_len);

/* ---- TOTP (RFC 6238: HMAC-SHA-1, 30 s steps, 6 digits) ------------------ */
#define TOTP_SECRET_LEN 20
/* The code for a secret at Unix time t (RFC 6238 test vectors use 8
 * digits; digits is 6 or 8). */
int totp_code(uint32_t *out, const unsigned char *secret, size_t len, int64_t t,
              int digits);
/* RFC 4648 base32 without padding, for authenticator apps; *out owned. */
int base32_encode(char **out, const unsigned char *in, size_t n);
/* Enrols (or re-enrols) an owner: the passphrase must unseal the key.
 * *secret_b32 and *uri (otpauth://) owned by caller. */
int esign_totp_enrol(struct esign_error *err, char **secret_b32, char **uri,
                     struct store *st, const struct esign_conf *ec, const char *nik,
                     const char *pass, size_t passlen);
int esign_totp_disable(struct store *st, const struct ra_actor *who, const char *nik);

/* ---- BSrE's e-mailed codes (otp.c, issue 12) ---------------------------- */
struct esign_client;
/* Lets a code replace the passphrase: the passphrase unseals the key once
 * and a copy is wrapped for the service (docs/api-bsre.md).  Audited. */
int esign_otp_enrol(struct esign_error *err, struct store *st,
                    const struct esign_conf *ec, const char *nik, const char *pass,
                    size_t passlen);
/* Removes that copy (the owner, an OP operator or the administrator). */
int esign_otp_disable(struct store *st, const struct ra_actor *who, const char *nik);
/* /api/v2/sign/get/totp: mails a code to the owner's registered address
 * (nik, or email when nik is NULL); client names the caller in the trail.
 * 1 (nothing sent) for an owner not enrolled for codes who enrolled an
 * authenticator: its code goes with the passphrase, as before issue 12. */
int esign_otp_send(struct esign_error *err, struct store *st, const struct esign_conf *ec,
                   const char *client, const char *nik, const char *email);
/* The address a seal's codes go to; audited. */
int esign_seal_email_set(struct store *st, const char *actor, const char *id,
                         const char *email);
/* /api/v2/seal/get/activation: mails an activation code for this client. */
int esign_seal_activation_send(struct esign_error *err, struct store *st,
                               const struct esign_conf *ec, const struct esign_client *cl,
                               const char *seal_id);
/* /api/v2/seal/get/totp: the activation code activates the seal for this
 * client (once; later calls need none), then a signing code is mailed. */
int esign_seal_totp_send(struct esign_error *err, struct store *st,
                         const struct esign_conf *ec, const struct esign_client *cl,
                         const char *seal_id, const char *activation_code);
/* /api/v2/seal/revoke/activation: ends this client's activation and its
 * outstanding codes; audited. */
int esign_seal_activation_revoke(struct esign_error *err, struct store *st,
                                 const struct esign_client *cl, const char *seal_id);

/* ---- client applications ---------------------------------------------- */
enum esign_perm {
	ESIGN_PERM_SIGN = 1 << 0,     /* sign with an owner's NIK + passphrase */
	ESIGN_PERM_VERIFY = 1 << 1,   /* verify documents, read statuses */
	ESIGN_PERM_SEAL = 1 << 2,     /* sign with an organisation seal */
	ESIGN_PERM_REGISTER = 1 << 3, /* file registration requests (issue 12) */
};
int esign_perms_parse(unsigned *out, const char *list);
void esign_perms_format(char *out, size_t outsz, unsigned perms);

struct esign_client {
	char id[17];
	char name[65];
	unsigned perms;
	char seal_id[65]; /* the seal it may use, "" for none */
	int64_t created_at;
	int64_t last_used_at; /* 0: never (recorded at most once a minute) */
	int64_t rotated_at;   /* 0: the secret it was added with */
	int v2_bottom_left;   /* v2 originX/originY from the lower-left corner
	                       * (sertel before issue 12); 0: BSrE's top-left */
};
/* The secret is printed once; only its SHA-256 is kept.  *secret owned by
 * caller (wipe it). */
int esign_client_add(struct esign_client *out, char **secret, struct store *st,
                     const char *actor, const char *name, unsigned perms,
                     const char *seal_id);
int esign_client_remove(struct store *st, const char *actor, const char *name);
/* Revokes a client application with a reason (audited): its secret fails
 * at the next request.  SERTEL_ENOTFOUND when none is active. */
int esign_client_revoke(struct store *st, const char *actor, const char *name,
                        const char *reason);
/* A new secret for a client application (printed once; *secret owned by
 * caller, wipe it); the old one fails at the next request.  Audited. */
int esign_client_rotate(char **secret, struct store *st, const char *actor,
                        const char *name, const char *reason);
/* Where a client's v2 originX/originY are measured from: "top-left"
 * (BSrE's guide, the default) or "bottom-left" (PDF user space, sertel
 * before issue 12).  Audited with the reason. */
int esign_client_set_origin(struct store *st, const char *actor, const char *name,
                            const char *origin, const char *reason);
/* Who manages client applications: today `sertel client` is run by whoever
 * holds the instance directory (the local administrator); on the portal
 * that authority is the Kepala Dinas's, who runs the OP and its
 * services.  0 when who may, SERTEL_EPERM otherwise. */
int esign_client_manage_check(const struct ra_actor *who);
typedef int (*esign_client_fn)(const struct esign_client *c, void *arg);
int esign_client_iter(struct store *st, esign_client_fn cb, void *arg);
/* HTTP Basic: SERTEL_EAUTH for an unknown name, a wrong secret or a
 * removed client. */
int esign_client_auth(struct esign_client *out, struct store *st, const char *name,
                      const char *secret);

/* ---- organisation seals ------------------------------------------------ */
/* Registers the key (sealed under the master secret) and certificate of a
 * seal (jabatan/organisasi); the certificate must allow signing. */
int esign_seal_add(struct store *st, const char *actor, const char *id,
                   const unsigned char *key_pem, size_t key_len,
                   const unsigned char *cert_pem, size_t cert_len,
                   const unsigned char master[SECRET_LEN]);

/* ---- signing ---------------------------------------------------------- */
/* Where and how one signature looks (BSrE's signatureProperties, or the
 * v1 form fields). */
struct esign_props {
	int visible;
	int page;        /* 0-based; -1 last */
	double rect[4];  /* x, y, w, h in PDF points (lower-left origin) */
	int top_left;    /* rect[1]: from the page's top edge to the box's top */
	const char *tag; /* tag_koordinat */
	const unsigned char *image;
	size_t image_len;
	const char *qr; /* linkQR; NULL: the document's /v/{id} link */
	int want_qr;    /* image=false: draw a QR code */
	const char *reason;
	const char *location;
	const char *text;
};

struct esign_doc_in {
	const unsigned char *data;
	size_t len;
	const char *name; /* file name, may be NULL */
	const char
	    *id; /* issue 11: the id its content already names (a receipt's); NULL: new */
};

struct esign_doc_out {
	char id[33];
	unsigned char *data; /* the whole signed PDF, owned (free()) */
	size_t len;
};

struct esign_sign_req {
	const struct esign_client *client;
	const char *nik; /* or email */
	const char *email;
	const char *passphrase;
	size_t passlen;
	const char *totp;    /* required when the owner enrolled TOTP */
	const char *seal_id; /* seal mode (client needs ESIGN_PERM_SEAL) */
	const struct esign_doc_in *docs;
	size_t ndocs;
	const struct esign_props *props; /* 1 (for all) or ndocs entries */
	size_t nprops;
	/* Run inside the registry's transaction, after the entries and their
	 * audit (first document's id, the certificate serial): a caller's own
	 * record of the signing (the portal's signed receipt) commits with it
	 * or not at all.  NULL: none. */
	int (*on_register)(struct store *st, const char *doc_id, const char *serial,
	                   void *arg);
	void *on_register_arg;
};

struct esign_ctx; /* shared by the server's threads */
/* ec and in borrowed for the context's life.  *out owned (esign_ctx_free). */
int esign_ctx_new(struct esign_ctx **out, struct instance *in,
                  const struct esign_conf *ec);
void esign_ctx_free(struct esign_ctx *c);
const struct esign_conf *esign_ctx_conf(const struct esign_ctx *c);

/* Signs every document with one unsealing of the owner's key (or the
 * seal's key), registers each under a public id, and returns the signed
 * files in out[0..ndocs) (owned; esign_docs_free).  On failure err says
 * what to tell the client and nothing is registered. */
int esign_sign(struct esign_doc_out **out, struct esign_error *err, struct esign_ctx *c,
               struct store *st, const struct esign_sign_req *rq);
void esign_docs_free(struct esign_doc_out *d, size_t n);

/* Verifies a PDF with the instance's trust anchors (verify_pdf), reading
 * them through st (the caller's connection).  *out owned by caller
 * (verify_report_free).  err filled on failure.  public_route: the
 * unauthenticated POST /api/verifikasi ([verify] public_fetch and the
 * public decoding limits apply); otherwise an authenticated client. */
int esign_verify(struct verify_report **out, struct esign_error *err, struct esign_ctx *c,
                 struct store *st, const unsigned char *data, size_t len,
                 int public_route);

/* The certificates the signature whose signer has serial_hex carries in
 * its CMS, ordered from the signer up to its CA (sigcerts.c), for the v2
 * verification answer of a file whose signer was not issued here.
 * Display only, never a trust decision.  *out owned (sk_X509_pop_free);
 * SERTEL_ENOTFOUND when no signature of data carries it. */
int esign_sig_certs(STACK_OF(X509) * *out, const unsigned char *data, size_t len,
                    const char *serial_hex);
/* What BSrE's certificateDetails shows of one certificate. */
#define ESIGN_CERT_KU_MAX 6
struct esign_cert_summary {
	char cn[256];
	char issuer[512];    /* RFC 2253 */
	char sigalg[80];     /* the signature algorithm's OID */
	char serial_dec[96]; /* decimal, as BSrE shows it */
	int64_t not_before, not_after;
	const char *key_usages[ESIGN_CERT_KU_MAX]; /* digitalSignature, ... */
	int nku;
};
/* The signer's certificate and its issuing CAs (BSrE lists the whole
 * chain, the CA included): from the store when issued here (serial_hex
 * either case), else from the signature's own CMS in data (may be NULL).
 * *out owned (free); *n 0 when nothing is known of it. */
int esign_cert_chain(struct esign_cert_summary **out, size_t *n, struct store *st,
                     const char *serial_hex, const unsigned char *data, size_t len);

/* ---- the document registry --------------------------------------------- */
struct esign_doc {
	char id[33];
	char sha256[65];
	char name[SERTEL_MAX_NAME];
	char signer_nik[17];
	char signer_name[SERTEL_MAX_NAME];
	char serial[SERIAL_HEX_MAX + 1];
	char client[65];
	int seal;
	int64_t signed_at;
	int64_t size;
	int verdict; /* enum verify_verdict at signing time */
	int has_content;
	int64_t ts_time; /* signature timestamp, 0: none or not checked */
};
int esign_doc_get(struct esign_doc *out, struct store *st, const char *id);
/* The signed file, when kept, once (BSrE: a document downloads once): the
 * content is removed from the store as it is returned, and the download
 * audited; SERTEL_ENOTFOUND when not kept or already downloaded.  Only
 * the client that signed it may download it (SERTEL_EPERM). *out owned. */
int esign_doc_content(unsigned char **out, size_t *len, struct store *st,
                      const struct esign_client *client, const char *id);
/* Issue 11: the kept content of a registered document for the public
 * page (/v/{id}?format=pdf), whoever asks: only when [esign]
 * keep_content kept it (SERTEL_ENOTFOUND otherwise).  *out owned. */
int esign_doc_public_content(unsigned char **out, size_t *len, struct store *st,
                             const char *id);
/* The registered documents with this SHA-256 (the first, if several). */
int esign_doc_by_hash(struct esign_doc *out, struct store *st, const char *sha256_hex);
/* Issue 11: every signed document resolves.  A fresh document id (32 hex
 * digits) and its link base_url/v/id, which the QR code and the footer
 * carry; the service, the CLI and the receipts all take theirs here. */
int esign_doc_new(char id[33], char *link, size_t linksz, const char *base_url);
/* Registers one document signed outside the service (sertel sign pdf
 * --dir, receipts) under the id esign_doc_new() gave, in the same
 * transaction and audit entry as esign_sign() writes; channel names who
 * registered it ("cli", "receipt"); signer_nik may be NULL. */
int esign_doc_register(struct store *st, const char *channel, const char *id,
                       const char *sha256, const char *name, const char *signer_nik,
                       const char *signer_name, const char *serial, size_t len);
/* The receipt of application app_id (ra_receipt_pdf's rules of who may
 * read it) with its QR code naming base_url/v/{id}.  The id is derived
 * from the application, so the receipt stays the same bytes each time and
 * every copy's QR code names one entry, registered by the first copy that
 * is: UNSIGNED registers it (once), SIGNED (the receipt signer hook signed
 * it) registers it and the signed file under a fresh id of its own,
 * TO_SIGN registers nothing (the caller's esign_sign() does, with
 * esign_doc_in.id = id, so a refused signing leaves the store as it was).
 * *out owned by caller; id may be NULL. */
enum esign_receipt_mode {
	ESIGN_RECEIPT_UNSIGNED = 0,
	ESIGN_RECEIPT_SIGNED,
	ESIGN_RECEIPT_TO_SIGN
};
int esign_receipt_pdf(unsigned char **out, size_t *outlen, char id[33], struct store *st,
                      const struct ra_actor *who, const char *app_id, const char *org,
                      const struct time_zone *tz, const char *base_url,
                      enum esign_receipt_mode mode);
/* [esign] base_url, else fallback (the instance's): where /v links point. */
const char *esign_base_url(const struct config *cfg, const char *fallback);

#endif
