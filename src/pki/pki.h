/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel pki: keys, certificate profiles, the built-in issuer (CA) and
 * CRLs.  The validation-authority engines (OCSP, TSA) are in va.h and the
 * path validator in validate.h.
 *
 * OpenSSL types appear only in this header and src/pki/: the rest of
 * sertel talks in DER/PEM bytes and store records.
 */
#ifndef SERTEL_PKI_H
#define SERTEL_PKI_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/core.h"
#include "store/store.h"

/* ---- keys (key.c) ------------------------------------------------------ */
/* "ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096". */
int key_generate(EVP_PKEY **out, const char *algo);
int key_algo_valid(const char *algo);
/* Encrypted PKCS#8 PEM (PBES2, AES-256-CBC) under a key derived from the
 * master secret.  *out owned by caller (free with free()). */
int key_seal(char **out, EVP_PKEY *key, const unsigned char master[SECRET_LEN]);
int key_unseal(EVP_PKEY **out, const char *pem, const unsigned char master[SECRET_LEN]);
/* Checks a subject public key against sertel's rules: RSA 2048..8192 bits,
 * a multiple of 8, public exponent odd and 65537..2^256-1, no factor below
 * 752 (CA/B Forum BR 6.1.6); EC on P-256, P-384 or P-521 with a valid
 * point (not infinity, on the curve).  what names the object in messages. */
int key_check_public(EVP_PKEY *key, const char *what);
/* Parses and checks a PKCS#10 request as issuance does (exactly one PEM
 * block or DER without trailing bytes, key policy, self-signature) and
 * keeps nothing: for code that hands the request on (the upstream
 * issuer connector). */
int csr_check(const unsigned char *data, size_t len);
/* The digest sertel signs with for a key (SHA-384 for P-384 and up). */
const EVP_MD *key_digest(EVP_PKEY *key);

/* ---- keys sealed under an owner's passphrase (seal.c) ------------------ */
#define SEAL_SALT  16 /* crypto_pwhash_SALTBYTES */
#define SEAL_NONCE 12
struct seal_params {
	unsigned long long opslimit; /* Argon2id passes */
	size_t memlimit;             /* bytes */
};
struct sealed_key {
	struct seal_params params;
	unsigned char salt[SEAL_SALT];
	unsigned char nonce[SEAL_NONCE];
	unsigned char *sealed; /* AES-256-GCM(PKCS#8 DER) || tag */
	size_t sealed_len;
};
/* libsodium's INTERACTIVE Argon2id level (the floor sertel accepts). */
int seal_params_default(struct seal_params *out);
/* *out owns out->sealed (sealed_key_free). */
int seal_key(struct sealed_key *out, EVP_PKEY *key, const char *pass, size_t passlen,
             const struct seal_params *p);
/* SERTEL_EAUTH for a wrong passphrase.  *out owned by caller. */
int unseal_key(EVP_PKEY **out, const struct sealed_key *s, const char *pass,
               size_t passlen);
void sealed_key_free(struct sealed_key *s);
/* A key made for its owner (the in-person issuance): generated with algo,
 * sealed under the owner's passphrase into *sealed, and a PKCS#10 request
 * of it as PEM in *csr_pem (owned by caller), so issuance takes the one
 * CSR path whatever the key's origin.  The private key never leaves this
 * call unsealed. */
int key_generate_sealed(struct sealed_key *sealed, char **csr_pem, const char *algo,
                        const char *pass, size_t passlen, const struct seal_params *p);
/* Strength rules: length, at least two character classes, none of the
 * owner's identifiers inside. */
int passphrase_check(const char *pass, size_t len, size_t min_len,
                     const char *const *forbidden, int nforbidden);

/* ---- profiles (profile.c) ---------------------------------------------- */
enum cert_type { TYPE_INDIVIDU, TYPE_JABATAN, TYPE_SISTEM, TYPE_COUNT };
enum cert_usage {
	USAGE_SIGNING = 1 << 0,
	USAGE_EMAIL = 1 << 1,
	USAGE_DOCUMENT = 1 << 2,
	USAGE_SSL_SERVER = 1 << 3,
	USAGE_SSL_CLIENT = 1 << 4,
};
int profile_type_parse(enum cert_type *out, const char *name);
const char *profile_type_name(enum cert_type t);
/* "signing,email" -> bit mask.  Refuses unknown names and duplicates. */
int profile_usages_parse(unsigned *out, const char *list);
/* Canonical comma-separated list, into out[128]. */
void profile_usages_format(char *out, size_t outsz, unsigned usages);
/* Checks a type/usage combination against the rules (e.g. ssl-server
 * only for sistem). */
int profile_check(enum cert_type t, unsigned usages);

/* Syntax checks for names going into certificates: DNS (RFC 1035, one
 * leading "*." label), e-mail (local@domain), UTF-8 text of at most max
 * characters without control characters. */
int name_check_dns(const char *dns);
/* Every DNS name by name_check_dns, every IP address IPv4 or IPv6. */
int name_check_sans(const char *const *dns, int ndns, const char *const *ip, int nip);
int name_check_email(const char *email);
int name_check_text(const char *field, const char *v, size_t max);

/* What an issuance asks for.  The CSR contributes only its public key:
 * the subject is the OP's to set. */
#define ISSUE_MAX_NAMES 16
struct issue_req {
	const unsigned char *csr; /* PEM or DER */
	size_t csr_len;
	const char *type;
	const char *usages;
	const char *cn;
	const char *email; /* optional */
	const char *ou;    /* optional: agency */
	const char *title; /* jabatan only */
	const char *dns[ISSUE_MAX_NAMES];
	int ndns;
	const char *ip[ISSUE_MAX_NAMES];
	int nip;
	const char *nik; /* optional: bind to a registered person */
	/* optional: the person's NIP (18 digits), as subject serialNumber
	 * (X.520 2.5.4.5); the RA sets it from the person record. */
	const char *subject_nip;
	const char *actor;
	const char *reason;
	/* Optional: more work in the issuance's own transaction (the RA's
	 * application state, agreement acceptance, sealed key). */
	int (*also)(struct store *st, const struct cert_rec *rec, void *arg);
	void *also_arg;
};

/* ---- the instance's PKI settings, read from sertel.conf ---------------- */
struct pki_conf {
	char org[SERTEL_MAX_NAME];
	char state[SERTEL_MAX_NAME];    /* ST of end-entity subjects, "" none */
	char locality[SERTEL_MAX_NAME]; /* L of end-entity subjects, "" none */
	char base_url[SERTEL_MAX_NAME];
	int validity_days[TYPE_COUNT];
	int tls_days; /* cap for ssl-server certificates (CA/B BR 6.3.2) */
	char policy_oid[TYPE_COUNT][64];
	int crl_next_update_hours;
};
int pki_conf_load(struct pki_conf *out, const struct config *cfg);

/* ---- the issuer (ca.c) ------------------------------------------------- */
struct ca_ext_cache;
struct ca {
	struct issuer_rec rec;
	X509 *cert;
	EVP_PKEY *key;
	X509 *parent; /* issuer of this CA's certificate; NULL for the root */
	/* The extensions every certificate of one type, usage set and key
	 * type shares, built once (thread-safe; ca.c). */
	struct ca_ext_cache *exts;
};
/* Loads the active issuer with that role, with its private key unsealed.
 * *out owned by caller (ca_free). */
int ca_load(struct ca **out, struct store *st, const char *role,
            const unsigned char master[SECRET_LEN]);
void ca_free(struct ca *ca);

/* Creates the hierarchy of a new instance in one transaction: Root CA,
 * issuing CA, delegated OCSP signer, TSA certificate. */
int ca_init_hierarchy(struct store *st, const struct pki_conf *pc, const char *algo,
                      const unsigned char master[SECRET_LEN], const char *actor);

/* Issues an end-entity certificate: checks the request, builds the
 * certificate from the profile, stores it and appends the audit entry in
 * one transaction.  *out owned by caller (cert_rec_free). */
int ca_issue(struct cert_rec *out, struct ca *ca, struct store *st,
             const struct pki_conf *pc, const struct issue_req *req);

/* RFC 5280 5.3.1 CRLReason codes, for the layers that do not see OpenSSL
 * (its CRL_REASON_* have the same values). */
enum revoke_reason {
	REVOKE_UNSPECIFIED = 0,
	REVOKE_KEY_COMPROMISE = 1,
	REVOKE_CA_COMPROMISE = 2,
	REVOKE_AFFILIATION_CHANGED = 3,
	REVOKE_SUPERSEDED = 4,
	REVOKE_CESSATION_OF_OPERATION = 5,
	REVOKE_CERTIFICATE_HOLD = 6,
	REVOKE_REMOVE_FROM_CRL = 8,
	REVOKE_PRIVILEGE_WITHDRAWN = 9,
	REVOKE_AA_COMPROMISE = 10,
};

/* RFC 5280 5.3.1 CRLReason by name ("keyCompromise", "key-compromise",
 * "superseded", ...) or number.  Only reasons that apply to end-entity
 * certificates and are final are accepted. */
int revoke_reason_parse(int *out, const char *s);
/* The RFC 5280 name of any CRLReason code ("cessationOfOperation"),
 * "unknown" for a number that is none. */
const char *revoke_reason_name(int reason);

/* Revokes one certificate: status, audit entry and a fresh CRL in one
 * transaction. */
int ca_revoke(struct ca *ca, struct store *st, const struct pki_conf *pc,
              const char *serial, int reason, const char *actor, const char *why);

/* As ca_revoke, with one more hook (may be NULL) run inside the same
 * transaction after the status change. */
int ca_revoke_ex(struct ca *ca, struct store *st, const struct pki_conf *pc,
                 const char *serial, int reason, const char *actor, const char *why,
                 int (*also)(struct store *st, const struct cert_rec *rec, void *arg),
                 void *also_arg);

/* Hooks run inside the revocation transaction (e.g. the OCSP cache
 * refresh), so what relying parties see changes atomically. */
typedef int (*revoke_hook_fn)(struct store *st, const struct cert_rec *rec, void *arg);
void ca_set_revoke_hook(revoke_hook_fn fn, void *arg);

/* Serial numbers: 128 bits from the CSPRNG behind a 0x01 octet, so the
 * INTEGER is positive and always 129 bits long. */
int serial_generate(ASN1_INTEGER **out, char hex[SERIAL_HEX_MAX + 1]);
/* Canonical lowercase hex of an INTEGER, as stored. */
int serial_to_hex(char out[SERIAL_HEX_MAX + 1], const ASN1_INTEGER *serial);
/* A serial as people type it, in the canonical form serial_to_hex writes:
 * hex with or without "0x", colons, spaces or dashes, in any case
 * ("01:A3 ff" -> "01a3ff", leading zero octets dropped).  Input made of
 * decimal digits only is ambiguous: *out is its hex reading and *dec its
 * decimal reading ("" when the input is not all decimal digits or is too
 * large); callers match either.  dec may be NULL. */
int serial_normalise(char out[SERIAL_HEX_MAX + 1], char dec[SERIAL_HEX_MAX + 1],
                     const char *in);
/* The serial of a DER certificate, as serial_to_hex writes it; the whole
 * of der must be one certificate. */
int cert_der_serial(char out[SERIAL_HEX_MAX + 1], const unsigned char *der, size_t len);

/* ---- CRLs (crl.c) ------------------------------------------------------ */
/* Builds, signs, stores (and audits) a full CRL for ca; must run inside a
 * transaction.  *der may be NULL; otherwise owned by caller. */
int crl_publish(unsigned char **der, size_t *len, struct ca *ca, struct store *st,
                const struct pki_conf *pc, const char *actor);

/* ---- helpers shared by the CLI and HTTP layers ------------------------- */
/* DER of a certificate to PEM text; *out owned by caller. */
/* A certs-only PKCS#7 SignedData (the ".p7b" bundle browsers and Windows
 * import) holding the n DER certificates; *out owned by caller. */
int cert_bundle_p7b(unsigned char **out, size_t *outlen, const unsigned char *const *der,
                    const size_t *len, int n);
int pem_from_der(char **out, const unsigned char *der, size_t len, const char *label);
/* The issuer id of a certificate: hex of the first 8 SKI bytes. */
int issuer_id_of(char out[ISSUER_ID_LEN + 1], X509 *cert);
/* A certificate or CRL parsed from exactly these DER bytes, shared by
 * every caller that passes the same bytes (dercache.c): a new reference
 * (X509_free / X509_CRL_free it), or NULL when the bytes are not one. */
X509 *pki_x509_from_der(const unsigned char *der, size_t len);
X509_CRL *pki_crl_from_der(const unsigned char *der, size_t len);

#endif
