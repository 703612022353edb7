/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel signing and verification engine: CAdES (detached CMS), PAdES on
 * the PDF parser in src/pdf, S/MIME (RFC 8551), document protection (CMS
 * EnvelopedData / AuthEnvelopedData) and a verifier that explains itself.
 *
 * OpenSSL's CMS code does the cryptography; this subsystem decides what
 * goes into each structure (ETSI EN 319 122-1 / 319 142-1 baseline
 * attributes) and what a verifier must check.
 *
 * Files (one concern each):
 *   signer.c    loading a signer: key + certificate + chain from files, or a
 *               server-sealed key unsealed with its owner's passphrase
 *   cades.c     CAdES-B / B-T detached signatures over a digest
 *   tsp.c       RFC 3161 client (HTTP via libcurl, or the instance's TSA)
 *   pades.c     PAdES B-B / B-T / B-LT / B-LTA (signature dictionary,
 *               ByteRange, DSS, document timestamp, DocMDP)
 *   appearance.c visible signature, QR code, image, footer, marker search
 *   smime.c     S/MIME sign / verify / encrypt / decrypt
 *   protect.c   document protection (encrypt to certificates / decrypt)
 *   verify*.c   verification of PDFs and detached CMS signatures
 */
#ifndef SERTEL_SIGN_H
#define SERTEL_SIGN_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/core.h"
#include "net/net.h"
#include "pdf/pdf.h"
#include "pki/pki.h"

/* ---- the signer -------------------------------------------------------- */

struct sign_signer {
	EVP_PKEY *key;          /* owned */
	X509 *cert;             /* owned */
	STACK_OF(X509) * chain; /* owned, may be empty: issuing CA(s), not the root */
};

/* Key (PEM or DER, PKCS#8 encrypted when pass is not NULL), certificate and
 * optional chain file (PEM, several certificates).  SERTEL_EAUTH for an
 * encrypted key with a wrong or missing pass; SERTEL_EINVAL when the key is
 * not the certificate's.  out->chain is never NULL (empty without a file). */
int sign_signer_load_files(struct sign_signer *out, const char *key_path,
                           const char *pass, const char *cert_path,
                           const char *chain_path);
void sign_signer_free(struct sign_signer *s);

/* A person's server-sealed key (sealed_keys, written at RA issuance): the
 * newest valid, unrevoked certificate bound to nik whose usages include
 * signing, unsealed with the owner's passphrase; the chain is the issuing
 * CA certificate(s) from the store (not the root).
 * SERTEL_ENOTFOUND: no such certificate; SERTEL_EPERM: the key is locked;
 * SERTEL_EAUTH: wrong passphrase.  Counts nothing: a caller that limits
 * attempts uses sign_sealed_find() and updates sealed_keys itself. */
int sign_signer_load_sealed(struct sign_signer *out, struct store *st, const char *nik,
                            const char *pass, size_t passlen);

/* The chain a signer sends for a certificate of issuer issuer_id: that CA
 * and its parents from the store, without the root.  *out owned by caller
 * (sk_X509_pop_free). */
int sign_chain_from_store(STACK_OF(X509) * *out, struct store *st, const char *issuer_id);

/* The row sign_signer_load_sealed() uses, without unsealing it. */
struct sign_sealed_ref {
	char serial[SERIAL_HEX_MAX + 1];
	struct sealed_key key; /* owned: sign_sealed_ref_free */
	int locked;
	int failures;
};
int sign_sealed_find(struct sign_sealed_ref *out, struct store *st, const char *nik,
                     int64_t now);
void sign_sealed_ref_free(struct sign_sealed_ref *r);

/* For command lines (--dir DIR --nik NIK --passphrase-file F): opens the
 * instance and calls sign_signer_load_sealed(). */
int sign_signer_load_instance(struct sign_signer *out, const char *dir, const char *nik,
                              const char *passphrase_file);

/* File helpers shared by the signing commands.  sign_read_pass: the first
 * line of a file (no trailing newline), *out owned by caller (wipe, free).
 * sign_load_certs: every certificate of PEM data, or one DER certificate. */
int sign_read_pass(unsigned char **out, size_t *outlen, const char *path);
int sign_load_key_file(EVP_PKEY **out, const char *path, const char *pass);
int sign_load_cert_file(X509 **out, const char *path);
int sign_load_certs(STACK_OF(X509) * *out, const unsigned char *data, size_t len,
                    const char *what);
/* Replaces the contents of out with p[0..n).  A struct buf that was never
 * initialised (all zero) gets a limit large enough; every function here
 * that returns bytes in a struct buf uses this, so callers may pass either
 * a buf_init()ed or a zeroed buffer and must buf_free() it. */
int sign_buf_put(struct buf *out, const unsigned char *p, size_t n);
/* RFC 2253 form of a name into out (truncated to fit; "" on failure). */
void sign_name_rfc2253(char *out, size_t outsz, const X509_NAME *n);

/* ---- CAdES -------------------------------------------------------------- */

enum sign_level { SIGN_LEVEL_B = 0, SIGN_LEVEL_T, SIGN_LEVEL_LT, SIGN_LEVEL_LTA };

struct sign_opts {
	enum sign_level level;
	const char *tsa_url;  /* required for B-T and above */
	int pades;            /* 1: PAdES rules (no signing-time attribute, the
	                       * claimed time goes in the PDF's /M) */
	int64_t signing_time; /* 0: now */
};

/* A detached CMS SignedData over content whose digest (with the digest
 * algorithm key_digest(signer->key) picks) the caller computed:
 * content-type id-data, message-digest, signing-certificate-v2, and
 * signing-time unless opts->pades.  B-T adds a signature timestamp
 * (id-aa-signatureTimeStampToken) from opts->tsa_url; LT and LTA get the
 * same CMS as B-T (their validation data lives outside it, e.g. the PDF's
 * DSS).  opts NULL: B-B now.  DER in *out. */
int sign_cades_digest(struct buf *out, const struct sign_signer *signer,
                      const unsigned char *digest, size_t dlen,
                      const struct sign_opts *opts);

/* RFC 3161: asks tsa_url for a timestamp token over digest (SHA-256 when
 * md is NULL), checks the reply matches the request (imprint, nonce,
 * status) and that the token verifies under the TSA certificate it carries
 * (which must have id-kp-timeStamping; trusting that TSA is the verifier's
 * call), and returns the TimeStampToken (a ContentInfo) in *out. */
int sign_tsp_request(struct buf *out, const char *tsa_url, const EVP_MD *md,
                     const unsigned char *digest, size_t dlen);

/* ---- document protection (protect.c) ------------------------------------ */

#define PROTECT_MAX (256 * 1024 * 1024) /* bytes of plaintext */

enum protect_cipher {
	PROTECT_AES256_GCM = 0, /* AuthEnvelopedData (RFC 5083, RFC 5084) */
	PROTECT_AES256_CBC      /* EnvelopedData */
};

/* protect_encrypt() flags. */
#define PROTECT_RSA_OAEP                                                                 \
	0x1 /* RSA recipients: RSAES-OAEP, SHA-256, MGF1-SHA-256                         \
	     * (RFC 8017, RFC 4055) instead of PKCS#1 v1.5 */

/* Encrypts data to every certificate of recips (RSA: key transport; EC:
 * ECDH with the SHA-256 X9.63 KDF).  Certificates whose keyUsage does not
 * allow it, and CA certificates, are refused.  DER ContentInfo in *out. */
int protect_encrypt(struct buf *out, STACK_OF(X509) * recips, const unsigned char *data,
                    size_t len, enum protect_cipher cipher, unsigned flags);
/* Decrypts a DER (Auth)EnvelopedData with key (cert, when given, selects
 * the recipient and must match key).  SERTEL_EAUTH: key opens no
 * RecipientInfo; SERTEL_EINVALID: the content was tampered with. */
int protect_decrypt(struct buf *out, EVP_PKEY *key, X509 *cert, const unsigned char *der,
                    size_t len);

/* ---- S/MIME 4.0, RFC 8551 (smime.c) ------------------------------------- */

#define SMIME_MAX (32 * 1024 * 1024) /* bytes of message */

/* An RFC 5322 message (LF or CRLF) becomes multipart/signed: Content-*
 * fields and body form the signed inner entity, other fields stay outside.
 * The result has CRLF line ends. */
int smime_sign(struct buf *out, const struct sign_signer *signer,
               const unsigned char *msg, size_t len);

struct smime_result {
	int valid;
	int signature_ok;       /* the signature covers the first part */
	int chain_ok;           /* path to a trust anchor, e-mail protection usage */
	int from_ok;            /* From is one of the certificate's addresses */
	int revocation_checked; /* CRLs were given (and consulted) */
	char subject[512];
	char email[256];
	char from[256];
	int64_t signing_time; /* 0 when absent */
	char message[768];
};
struct smime_verify_opts {
	const unsigned char *trust; /* anchors, PEM or DER (required) */
	size_t trust_len;
	const unsigned char *crls; /* CRLs, PEM (several) or one DER; may be NULL */
	size_t crls_len;
	int require_revocation; /* each certificate below the anchor needs a CRL verdict
	                         */
	int64_t at;             /* validation time; 0: now */
};
/* Checks a multipart/signed or opaque signed-data message.  Returns 0 when
 * valid, SERTEL_EINVALID with out->message saying why when not, other
 * codes when msg is not a signed S/MIME message. */
int smime_verify(struct smime_result *out, const unsigned char *msg, size_t len,
                 const struct smime_verify_opts *o);
/* application/pkcs7-mime to recips; outer fields kept. */
int smime_encrypt(struct buf *out, STACK_OF(X509) * recips, const unsigned char *msg,
                  size_t len, enum protect_cipher cipher, unsigned flags);
/* Back to the message: outer fields, then the decrypted entity.  Errors as
 * protect_decrypt(). */
int smime_decrypt(struct buf *out, EVP_PKEY *key, X509 *cert, const unsigned char *msg,
                  size_t len);

/* Palembang 12(4), Lampiran II: every electronically signed document
 * carries a footer.  The default names the PSrE that issued the signer's
 * certificate ({penerbit}: its issuer O) and the law as amended (UU ITE
 * 11/2008, amended by UU 19/2016 and UU 1/2024; Pasal 5 ayat 1 makes the
 * document and its print-out legal evidence).  When the document is
 * registered its /v link follows ({tautan}, or appended when the template
 * does not place it).  [sign] footer overrides it for the CLI, [esign]
 * footer for the signing service (docs/SIGNING.md). */
#define SIGN_FOOTER_DEFAULT                                                              \
	"Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "     \
	"elektronik yang diterbitkan oleh {penerbit}. Sesuai UU No. 11 Tahun 2008 "      \
	"tentang Informasi dan Transaksi Elektronik sebagaimana telah diubah dengan UU " \
	"No. 19 Tahun 2016 dan UU No. 1 Tahun 2024, informasi elektronik dan/atau "      \
	"dokumen elektronik dan/atau hasil cetaknya merupakan alat bukti hukum yang "    \
	"sah."

/* The instance's footer template for a signature (the one place that
 * decides it): [esign] footer for the signing service (esign), else
 * [sign] footer, else SIGN_FOOTER_DEFAULT; cfg NULL: the default.  An
 * empty setting is refused (Palembang 12(4)); SERTEL_ETOOBIG when it does
 * not fit outsz. */
struct config;
int sign_footer_template(char *out, size_t outsz, const struct config *cfg, int esign);
/* The footer text of tmpl: {penerbit} (or {issuer}) becomes issuer,
 * {tautan} (or {link}, or %s) link; a link the template does not place is
 * appended as "Verifikasi keasliannya di LINK".  Empty link: no such
 * sentence.  SERTEL_ETOOBIG when it does not fit outsz. */
int sign_footer_expand(char *out, size_t outsz, const char *tmpl, const char *issuer,
                       const char *link);

/* ---- the visible signature's template (look.c) ----------------------------
 * Issue 11, Palembang 12(3): the form of the signature is the Wali Kota's
 * to set, so it is per instance: [sign] box_layout, box_fields, box_line,
 * box_logo (docs/SIGNING.md). */
enum sign_layout {
	SIGN_LAYOUT_QR_TEXT = 0, /* QR code left, (logo,) text right (default) */
	SIGN_LAYOUT_IMAGE_TEXT,  /* signature image or logo left, text, QR right */
	SIGN_LAYOUT_TEXT,        /* text only */
};
enum sign_field {
	SIGN_FIELD_HEADING = 0, /* "Ditandatangani secara elektronik oleh:" */
	SIGN_FIELD_NAME,        /* subject CN */
	SIGN_FIELD_NIP,         /* subject serialNumber */
	SIGN_FIELD_TITLE,       /* subject title (jabatan) */
	SIGN_FIELD_AGENCY,      /* subject OU, else O (instansi) */
	SIGN_FIELD_TIME,        /* signing time in the instance's zone */
	SIGN_FIELD_LINE,        /* box_line */
	SIGN_FIELD_QR,          /* the QR code (its place is the layout's) */
};
#define SIGN_LOOK_MAX_FIELDS 16
#define SIGN_LOOK_MAX_IMAGE  (512 * 1024) /* box_logo; RA_SIGIMG_MAX alike */
struct sign_look {
	enum sign_layout layout;
	enum sign_field fields[SIGN_LOOK_MAX_FIELDS];
	size_t nfields;
	int qr;              /* SIGN_FIELD_QR is among the fields */
	char line[256];      /* [sign] box_line; "" none */
	unsigned char *logo; /* [sign] box_logo (PNG/JPEG), owned; NULL none */
	size_t logo_len;
	struct time_zone tz; /* [portal] time_zone (WIB) */
};
/* Reads the template from cfg (NULL: the defaults); box_logo is a path,
 * relative to dir when not absolute, at most SIGN_LOOK_MAX_IMAGE bytes
 * and a PNG or JPEG.  SERTEL_EINVAL names the key. */
int sign_look_load(struct sign_look *out, const struct config *cfg, const char *dir);
void sign_look_free(struct sign_look *lk);
/* A PNG or JPEG of at most SIGN_LOOK_MAX_IMAGE bytes (by its magic bytes). */
int sign_image_check(const unsigned char *img, size_t len, const char *what);

/* ---- PAdES (pades.c, appearance.c) ---------------------------------------- */

struct pades_opts {
	struct sign_opts sig; /* level, tsa_url, signing_time (pades is implied) */
	const char *reason;   /* may be NULL */
	const char *location; /* may be NULL */
	const char *contact;  /* may be NULL */
	int docmdp;           /* 0: approval signature; 1-3: certification with
	                       * DocMDP /P (first signer only) */
	/* Appearance: invisible unless visible is set or marker is given. */
	int visible;
	int page;           /* 0-based; -1: last page */
	double rect[4];     /* x, y, width, height in PDF points; all 0: default */
	int origin_top;     /* rect y: from the page's top edge down to the box's top */
	const char *marker; /* place the signature where this text appears
	                     * (BSrE's tag_koordinat); NULL: use page/rect */
	const unsigned char *image; /* PNG or JPEG drawn in the box; NULL: none */
	size_t image_len;
	const char *qr_url; /* QR code drawn in the box; NULL: none */
	const char *text;   /* extra text line in the box; NULL: none */
	const char *footer; /* footer template on every page: required
	                     * (Palembang 12(4)) but for a document timestamp */
	/* Issue 11 (additive): the instance's template for the box (NULL: the
	 * fixed box, time in UTC), the signer's scanned signature image (used
	 * by the layout when no image is given), and the document's /v link
	 * that the footer names ({tautan}); NULL: not registered. */
	const struct sign_look *look;
	const unsigned char *sig_image;
	size_t sig_image_len;
	const char *verify_url;
};

/* Signs the PDF data[0..len) with an incremental update (B-LT: two,
 * B-LTA: three): the signed file is data followed by *tail.  The original
 * bytes are never changed, so earlier signatures stay valid.  A marker
 * that appears nowhere gives SERTEL_ENOTFOUND; anything else refused,
 * SERTEL_EINVAL (not a PDF, certified with P=1, a second certification,
 * no TSA for B-T and above...), with a one-line message. */
int pades_sign(struct buf *tail, const unsigned char *data, size_t len,
               const struct sign_signer *signer, const struct pades_opts *opts);

/* What pades_sign_ex() made. */
struct pades_result {
	char field[64];  /* name of the new signature field */
	size_t reserved; /* bytes reserved in /Contents for the CMS */
	size_t cms_len;  /* bytes of the CMS placed there */
};
/* As pades_sign(), and says what it made.  pades_sign*() initialise *tail
 * (buf_init) themselves; the caller frees it with buf_free().  B-LT adds
 * a second update (the DSS) and B-LTA a third (a document timestamp) to
 * the same tail. */
int pades_sign_ex(struct buf *tail, struct pades_result *res, const unsigned char *data,
                  size_t len, const struct sign_signer *signer,
                  const struct pades_opts *opts);

/* ---- verification (verify*.c) ------------------------------------------- */

enum verify_verdict { VERIFY_VALID = 0, VERIFY_INVALID = 1, VERIFY_INDETERMINATE = 2 };

struct store;
struct verify_opts {
	STACK_OF(X509) * trust; /* trust anchors; NULL: the instance roots if dir */
	const char *dir;        /* instance directory or NULL */
	int64_t at;             /* validation time; 0: now */
	int offline;            /* 1: never fetch OCSP/CRLs over the network */
	const char *lang;       /* "id" (default) or "en" for messages */
	/* Added (additive): an open connection to the instance's store, used
	 * instead of opening dir (a server thread passes its own).  NULL:
	 * open dir when it is set. */
	struct store *store;
	/* Issue 19: revocation data from URLs that certificates in the file
	 * name.  VERIFY_FETCH_OFF (0, the default): never; the instance's own
	 * CRLs and what the file embeds (DSS, CMS revocation values) only.
	 * VERIFY_FETCH_ALLOWLIST: NET_UNTRUSTED requests to the hosts in
	 * allow, at most max_fetches requests and fetch_ms in all for the
	 * whole verification (0: 4 and 5000).  offline = 1 overrides. */
	int fetch;
	const struct net_allow *allow;
	int max_fetches;
	long fetch_ms;
	/* Decoding budget for every PDF this verification opens (shared by
	 * the revisions it re-reads); NULL: the parser's document limits.
	 * When it runs out, verify_pdf() fails with SERTEL_ETOOBIG. */
	struct pdf_budget *budget;
	/* Issue 18: SHA-1 signatures on certificates are refused (the path
	 * is not valid: indeterminate) unless this is set, for historic
	 * documents; the verdict then says SHA-1 was accepted.  From
	 * [verify] allow_sha1 (no). */
	int allow_sha1;
};
enum { VERIFY_FETCH_OFF = 0, VERIFY_FETCH_ALLOWLIST = 1 };

/* sertel.conf [verify] (docs/CONFIG.md): what the verifier may fetch and
 * decode, per route. */
struct verify_conf {
	int fetch;              /* e-sign client routes, after-sign check (off) */
	int public_fetch;       /* POST /api/verifikasi (off) */
	struct net_allow hosts; /* fetch_hosts ("" : none) */
	int max_fetches;        /* per verification (4) */
	long fetch_ms;          /* per verification, all fetches (5000) */
	unsigned long long public_decode_max;   /* per public request (32 MiB) */
	unsigned long long public_decode_ratio; /* x file size, at least 1 MiB (64) */
	unsigned long long public_decode_pool; /* all public requests at once (256 MiB) */
	unsigned long long public_parse_max;   /* parsed objects per revision (64 MiB) */
	unsigned long long decode_max;  /* per authenticated verification (2 GiB) */
	unsigned long long decode_pool; /* all verifications at once (1 GiB) */
	int allow_sha1; /* SHA-1 signatures on certificates (no; issue 18) */
};
/* Reads [verify]; SERTEL_EINVAL naming the key for a bad value. */
int verify_conf_load(struct verify_conf *out, const struct config *cfg);
/* The public route's decoding limit for a file of len bytes. */
unsigned long long verify_conf_public_limit(const struct verify_conf *vc, size_t len);

enum verify_sig_kind {
	VERIFY_KIND_SIGNATURE = 0, /* PDF signature (adbe/ETSI CAdES) */
	VERIFY_KIND_DOC_TIMESTAMP, /* PDF /DocTimeStamp (ETSI.RFC3161) */
	VERIFY_KIND_DETACHED       /* a .p7s over some file */
};

/* One change between the signed revision and the final file. */
struct verify_change {
	int allowed; /* 1: allowed (later signatures, DSS, form fill ...) */
	char *what;  /* e.g. "obj 12: page 1 content" (language of opts) */
};

/* Issue 11: why a signature got its verdict, as sentences a lay reader
 * understands, in both languages; the same entries on every surface
 * (sertel verify, /v/{id}, /verifikasi, the v1/v2 verify API). */
#define VERIFY_MAX_REASONS 8
struct verify_reason {
	const char *code; /* stable: "revoked_after_timestamp", ... (literal) */
	const char *id;   /* Bahasa Indonesia (literal) */
	const char *en;   /* English (literal) */
};

struct verify_sig {
	enum verify_verdict verdict;
	char *field;   /* signature field name */
	char *subject; /* signer's subject DN (RFC 2253) */
	char *common_name;
	char *nik; /* from the subject serialNumber or SAN, if any */
	char *nip;
	char *issuer;
	char *serial_hex;
	int64_t signing_time;   /* claimed (/M or signing-time); 0 if none */
	int64_t timestamp_time; /* from the signature timestamp; 0 if none */
	int byterange_ok;       /* covers the whole revision except Contents */
	int digest_ok;
	int signature_ok;
	int chain_ok;
	int revocation_ok;   /* not revoked at signing time (or now) */
	int changes_allowed; /* changes after it are all allowed ones */
	char *subfilter;
	char *digest_alg; /* e.g. "SHA-256" */
	char *sig_alg;    /* e.g. "ecdsa-with-SHA256" */
	char *reason;     /* the signature dictionary's /Reason */
	char *location;
	char *message; /* one-line explanation of the verdict */
	/* Added by the verifier (additive; JSON names in verify_report.c). */
	enum verify_sig_kind kind;
	int ess_present;         /* signing-certificate(-v2) attribute there */
	int ess_ok;              /* ... and it names the signer's certificate */
	int timestamp_present;   /* signature timestamp token there */
	int timestamp_ok;        /* ... its signature, imprint and TSA path hold */
	char *tsa;               /* TSA subject of the signature timestamp */
	int64_t validation_time; /* the time the signer's path was checked at */
	int time_trusted;        /* validation_time comes from a timestamp */
	int revoked;             /* revoked (at whatever time the data says) */
	int64_t revoked_at;      /* 0 if not revoked or unknown */
	char *chain_message;     /* why the path is not valid; NULL when it is */
	size_t path_len;
	char **path;     /* subjects: signer first, trust anchor last */
	size_t revision; /* PDF: 0-based revision the signature covers */
	int whole_file;  /* PDF: covers the whole file (nothing after) */
	int docmdp;      /* PDF: certification /P (0 approval signature) */
	size_t nchanges;
	struct verify_change *changes; /* PDF: what changed after it */
	/* Issue 18: a format or algorithm sertel does not verify (enveloping
	 * CMS, PLAIN-ECDSA, adbe.pkcs7.sha1, SHAKE digests, unknown OIDs):
	 * indeterminate with the reason in message, never "does not
	 * verify". */
	int unsupported;
	/* Issue 11: the reasons (most important first) and the one fact every
	 * integrity line is derived from: the signed bytes differ from the
	 * file, or something not allowed was changed after the signature. */
	size_t nreasons;
	struct verify_reason reasons[VERIFY_MAX_REASONS];
	int changed;
};

struct verify_report {
	enum verify_verdict verdict; /* of the document */
	char sha256_hex[65];         /* of the whole file */
	size_t nsigs;
	struct verify_sig *sigs; /* in file order */
	char *message;
	/* Added by the verifier (additive). */
	int64_t verified_at; /* opts->at or the time of verification */
	size_t nrevisions;   /* PDF: incremental revisions in the file */
	int unsigned_tail;   /* PDF: bytes after the last signed revision */
	size_t nunreadable;  /* PDF: signature dictionaries that cannot be read */
	/* PDF: usage-rights signatures (/Perms /UR3, ISO 32000-1 12.8.2.3):
	 * Reader-enabling signatures by the writing software, which say
	 * nothing about who signed the document; reported, not verified, and
	 * not counted as unreadable (issue 18). */
	size_t nusage_rights;
};

/* Verifies every signature of a PDF.  Returns 0 and a report (whatever the
 * verdict), or < 0 when the file cannot be read as a PDF. */
int verify_pdf(struct verify_report **out, const unsigned char *data, size_t len,
               const struct verify_opts *opts);
void verify_report_free(struct verify_report *r);

/* A detached CMS signature (der, PEM or DER) over the file content:
 * digest, signature, signing-certificate-v2, timestamp and path.  The
 * report has one signature of kind VERIFY_KIND_DETACHED. */
int verify_detached(struct verify_report **out, const unsigned char *content,
                    size_t content_len, const unsigned char *sig, size_t sig_len,
                    const struct verify_opts *opts);

/* Rendering (verify_report.c): human text in opts->lang, or one line of
 * JSON.  *out owned by the caller (free()). */
int verify_report_text(char **out, const struct verify_report *r, const char *lang);
int verify_report_json(char **out, const struct verify_report *r);
/* Exit status for the CLI: 0 valid, 1 otherwise. */
int verify_report_exit(const struct verify_report *r);
/* Name of a verdict: "valid", "invalid", "indeterminate". */
const char *verify_verdict_name(enum verify_verdict v);
/* What a reader is told (ETSI EN 319 102-1 5.1.3 TOTAL-PASSED /
 * TOTAL-FAILED / INDETERMINATE): "SAH", "TIDAK SAH", "BELUM DAPAT
 * DIPASTIKAN", or in English "VALID", "NOT VALID", "INDETERMINATE". */
const char *verify_verdict_label(enum verify_verdict v, int en);
/* Issue 11: the verdict of one signature as every surface shows it:
 * {"verdict","label":{"id","en"},"changed":bool,
 *  "reasons":[{"code","id","en"}]}.  New reference (owned), or NULL. */
/* Issue 11: the reason of the catalogue (verify_report.c) with this
 * code, or NULL; borrowed. */
const struct verify_reason *verify_reason_get(const char *code);
/* Adds the catalogue's reason code to sig once: after the others, or
 * (first) before them.  Beyond VERIFY_MAX_REASONS the last is dropped. */
void verify_reason_add(struct verify_sig *sig, const char *code);
void verify_reason_first(struct verify_sig *sig, const char *code);
struct json_t;
struct json_t *verify_sig_verdict_json(const struct verify_sig *s);
/* The same for the document: its verdict and label, changed when any
 * signature says so, and the reasons of the signatures that decided the
 * verdict (each once), "no_signature" when there is none. */
struct json_t *verify_report_verdict_json(const struct verify_report *r);

#endif
