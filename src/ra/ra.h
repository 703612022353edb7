/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sertel ra: the Registration Authority (Otoritas Pendaftaran) workflow of
 * the regulations: agencies, people and their roles, applications,
 * verification, decisions, in-person issuance, renewal, revocation,
 * sanctions and notices.  REQUIREMENTS.md sections 1, 3 and 5.
 */
#ifndef SERTEL_RA_H
#define SERTEL_RA_H

#include <stdint.h>

#include "core/core.h"
#include "pki/pki.h"
#include "store/store.h"

/* ---- identity numbers (identity.c) ------------------------------------ */
struct nik_info {
	int province;
	int birth_year; /* century inferred: the latest that is not future */
	int birth_month;
	int birth_day; /* with the +40 for women removed */
	int yy;        /* the two digits as written */
	int female;
};
struct nip_info {
	int birth_year;
	int birth_month;
	int birth_day;
	int female;
};
/* Structure checks; the message names the rule broken. */
int nik_parse(struct nik_info *out, const char *nik);
int nip_parse(struct nip_info *out, const char *nip);
/* NIK alone, or NIK and NIP together (birth date and gender must agree). */
int identity_check(const char *nik, const char *nip);

/* ---- roles ---------------------------------------------------------- */
enum ra_role {
	ROLE_PEMOHON = 1 << 0,      /* applicant / owner */
	ROLE_ATASAN = 1 << 1,       /* superior: recommendation, loss reports */
	ROLE_KEPALA_PD = 1 << 2,    /* head of agency (kepala-perangkat-daerah) */
	ROLE_OPERATOR = 1 << 3,     /* OP operator (operator-op) */
	ROLE_KEPALA_DINAS = 1 << 4, /* appoints operators */
	ROLE_AUDITOR = 1 << 5,      /* reads everything, changes nothing */
	ROLE_ADMIN = 1 << 6,
};
int ra_roles_parse(unsigned *out, const char *list);
void ra_roles_format(char *out, size_t outsz, unsigned roles);

/* Who acts: a registered person (--as NIK, an API token bound to a
 * person) or the local administrator (CLI without --as), who holds the
 * instance's master secret anyway. */
struct ra_actor {
	char nik[17]; /* "" for the local administrator */
	char name[SERTEL_MAX_NAME];
	unsigned roles; /* ROLE_ADMIN for the local administrator */
	char label[96]; /* for the audit trail: "nik:3201..." or "cli:root" */
};
int ra_actor_person(struct ra_actor *out, struct store *st, const char *nik);
void ra_actor_local(struct ra_actor *out, const char *label);

/* ---- the RA's policy (policy.c) --------------------------------------- */
/* The settings that decide a rule, with their defaults, read and checked
 * once; every front-end (CLI, API, portal, e-sign) applies these values.
 * (The approvals per type are read by ra_approval_rule itself.) */
struct ra_policy {
	size_t pass_min_len;    /* [passphrase] min_length (10): a sealed key's */
	char algo[16];          /* [keys] algo (ec-p256): keys made at the desk */
	int sanction_warnings;  /* [sanction] warnings (3): before a proposal */
	char reminder_days[64]; /* [reminder] days (30,14,7): before expiry */
	int issuer_upstream;    /* [issuer] mode = upstream (0: ca) */
};
int ra_policy_load(struct ra_policy *out, const struct config *cfg);

/* ---- agencies and people (people.c) --------------------------------- */
struct ra_agency {
	char id[17];
	char name[SERTEL_MAX_NAME];
	char domain[254];
	int64_t created_at;
};
int ra_agency_add(struct ra_agency *out, struct store *st, const struct ra_actor *who,
                  const char *name, const char *domain);
/* By id or exact name. */
int ra_agency_get(struct ra_agency *out, struct store *st, const char *id_or_name);
typedef int (*ra_agency_fn)(const struct ra_agency *a, void *arg);
int ra_agency_iter(struct store *st, ra_agency_fn cb, void *arg);
/* 1 when name is domain or a name below it (case-insensitive), else 0. */
int ra_domain_within(const char *name, const char *domain);

struct ra_person {
	char nik[17];
	char nip[19];
	char name[SERTEL_MAX_NAME];
	char email[254];
	char position[SERTEL_MAX_NAME];
	char agency_id[17];
	char superior_nik[17];
	unsigned roles;
	int kepala_daerah; /* Wali Kota / Bupati or deputy (Denpasar 11(4)) */
	char appointed_by[17];
	int64_t created_at;
};
/* Validates NIK/NIP, e-mail against the agency's domain, the superior;
 * operator-op and kepala-dinas are given by appointment only. */
int ra_person_add(struct store *st, const struct ra_actor *who,
                  const struct ra_person *p);
int ra_person_get(struct ra_person *out, struct store *st, const char *nik);
/* The actor a registered person is (what ra_actor_person gives), from a
 * person already read: no second look-up. */
void ra_actor_of(struct ra_actor *out, const struct ra_person *p);
typedef int (*ra_person_fn)(const struct ra_person *p, void *arg);
int ra_person_iter(struct store *st, const char *agency_id, ra_person_fn cb, void *arg);
/* Cirebon 20(1): only a kepala-dinas appoints OP operators (role
 * operator-op) and auditors (role auditor, also at registration: issue
 * 19); the admin appoints a kepala-dinas. */
int ra_person_appoint(struct store *st, const struct ra_actor *who, const char *nik,
                      unsigned role);
/* An operator may decide only while holding a valid certificate of their
 * own (Cirebon 20(1)); SERTEL_EPERM with the reason otherwise. */
int ra_operator_check(struct store *st, const char *nik, int64_t now);
/* Takes a role back (Cirebon 20(1): who appoints also dismisses): a
 * kepala-dinas dismisses OP operators, heads of agency and auditors, the
 * admin a kepala-dinas.  A reason is required; audited (person.dismiss).
 * A dismissed operator's next decision is refused (roles are read at each
 * request).  SERTEL_ESTATE when the person does not hold the role. */
int ra_person_dismiss(struct store *st, const struct ra_actor *who, const char *nik,
                      unsigned role, const char *reason);

/* ---- a second e-mail address, verified by a mailed code (email.c) ---- */
/* Issue 19: a certificate names the person's registered address, or
 * another address at the agency's domain the person proved they read. */
#define RA_EMAIL_CODE_DIGITS 8
#define RA_EMAIL_CODE_TTL    (15 * 60) /* seconds a code is valid */
#define RA_EMAIL_CODE_TRIES  5         /* wrong codes before it is spent */
/* A fresh random code of RA_EMAIL_CODE_DIGITS decimal digits (mailed
 * codes: e-mail verification, the desk). */
int ra_code_new(char out[RA_EMAIL_CODE_DIGITS + 1]);
/* What the store keeps of a mailed code: the SHA-256 hex of "a|b|code",
 * where a and b bind it to its one use (a NIK and an address; "desk" and a
 * desk session), so a code mailed for one row confirms no other.  code is
 * at most 32 characters. */
void ra_code_hash(char out[65], const char *a, const char *b, const char *code);
/* Mails a fresh code to email (at the agency's domain of nik; nik NULL:
 * the actor) through the mail queue; the person or the Dinas asks.
 * Replaces an earlier code.  Audited; the code is never stored. */
int ra_email_verify_request(int64_t *expires_at, struct store *st,
                            const struct ra_actor *who, const char *nik,
                            const char *email);
/* The person (only) confirms with the code: single use, expires, at most
 * RA_EMAIL_CODE_TRIES wrong codes (each counted and audited even though
 * the call fails). */
int ra_email_verify_confirm(struct store *st, const struct ra_actor *who, const char *nik,
                            const char *email, const char *code);
/* 1 when email was confirmed for nik, 0 when not, <0 on error. */
int ra_email_verified(struct store *st, const char *nik, const char *email);

/* ---- applications (application.c) ----------------------------------- */
enum ra_state {
	APP_DRAFT,
	APP_SUBMITTED,
	APP_RETURNED, /* not yet acceptable: the applicant completes it */
	APP_REJECTED,
	APP_APPROVED,
	APP_ISSUED,
};
const char *ra_state_name(enum ra_state s);
int ra_state_parse(enum ra_state *out, const char *name);

#define RA_ID_LEN 16
struct ra_application {
	char id[RA_ID_LEN + 1];
	char kind[16]; /* new, renewal, reapply */
	char type[16];
	char usages[128];
	char applicant_nik[17];
	enum ra_state state;
	char cn[SERTEL_MAX_NAME];
	char email[254];
	char title[SERTEL_MAX_NAME];
	char dns[1024]; /* comma-separated */
	char ip[512];
	char system_name[SERTEL_MAX_NAME];
	char system_details[1024];
	int self_issued_letters;
	char renews_serial[SERIAL_HEX_MAX + 1];
	char cert_serial[SERIAL_HEX_MAX + 1];
	int approvals_needed;
	int approvals;
	char reasons[1024];
	int64_t created_at;
	int64_t updated_at;
};

/* One attachment: kind, bytes and the name it was uploaded under. */
struct ra_file {
	const char *kind;
	const unsigned char *data;
	size_t len;
	const char *filename;
};

struct ra_apply_req {
	const char *applicant_nik; /* NULL: the actor */
	const char *type;
	const char *usages;
	/* Names come from the person record (issue 19): cn and title must be
	 * NULL (refused otherwise); email NULL is the registered address,
	 * anything else must be verified (ra_email_verify_*) and at the
	 * agency's domain; DNS names under the agency's domain. */
	const char *cn;
	const char *email;
	const char *title;
	const char *dns[16];
	int ndns;
	const char *ip[16];
	int nip;
	const char *system_name; /* sistem */
	const char *system_details;
	int self_issued_letters; /* Denpasar 11(4): the Wali Kota's own letters */
	/* Attachments stored with the application, in the same transaction. */
	const struct ra_file *files;
	int nfiles;
};
/* Attachments each type requires (Cirebon 10(2), 10(3); Bekasi 11(4)). */
#define RA_ATTACH_MAX (10 * 1024 * 1024)
int ra_attach_kind_valid(const char *kind);
/* The attachment kinds a type needs before it can be submitted (borrowed;
 * Cirebon 10(2)-(3)). */
const char *const *ra_required_attachments(const char *type, int *n);
/* The usage sets the registration form offers for a type (borrowed;
 * Palembang Lampiran I.B), each "a,b" as profile_usages_parse reads it. */
const char *const *ra_usage_choices(const char *type, int *n);
/* Who reads every application and person record: auditors, OP operators,
 * the Kepala Dinas, the administrator. */
int ra_sees_all(const struct ra_actor *who);
/* 1 when who may read application a: its applicant, or ra_sees_all(). */
int ra_may_read(const struct ra_actor *who, const struct ra_application *a);
/* What is attached (never the bytes), in kind order; i is borrowed for the
 * call, a non-zero cb return stops. */
struct ra_attachment_info {
	const char *kind;
	const char *filename;
	const char *mime;
	const char *sha256;
	const char *uploaded_by;
	int64_t size;
	int64_t created_at;
};
typedef int (*ra_attachment_fn)(const struct ra_attachment_info *i, void *arg);
int ra_attachment_iter(struct store *st, const char *app_id, ra_attachment_fn cb,
                       void *arg);

/* N-of-M: how many distinct operators approve an application of a type
 * ([approval] TYPE in sertel.conf, default 1, at least 1). */
int ra_approvals_needed(const struct config *cfg, const char *type);
/* The rule in force for a type: the Kepala Dinas's rule in the store
 * (ra_approval_rule_set) or, without one, ra_approvals_needed(cfg).  An
 * application keeps the number it was created with.  *from_store says
 * which (may be NULL). */
int ra_approval_rule(int *out, int *from_store, struct store *st,
                     const struct config *cfg, const char *type);
/* Sets the N of N-of-M for a type (1..16; kepala-dinas or admin), with a
 * reason, audited (approval.set); applies to applications created after. */
int ra_approval_rule_set(struct store *st, const struct ra_actor *who, const char *type,
                         int n, const char *reason);
int ra_apply(struct ra_application *out, struct store *st, const struct ra_actor *who,
             const struct ra_apply_req *rq, int approvals_needed);
/* Content-checked (PDF, JPEG or PNG by their bytes), size-limited,
 * encrypted in the store with its SHA-256. */
int ra_attach(struct store *st, const struct ra_actor *who, const char *app_id,
              const struct ra_file *files, int nfiles);
int ra_get(struct ra_application *out, struct store *st, const char *app_id);
typedef int (*ra_app_fn)(const struct ra_application *a, void *arg);
int ra_iter(struct store *st, int state, const char *applicant_nik, ra_app_fn cb,
            void *arg);
/* What ra_query() selects; zero / NULL fields select everything. */
struct ra_filter {
	int state;              /* an enum ra_state, or -1 for any */
	const char *type;       /* individu, jabatan, sistem */
	const char *agency_id;  /* the applicant's agency */
	int64_t updated_before; /* last changed before this time (0: any) */
	int limit;              /* 0: 100; at most 1000 */
	int offset;
};
/* Applications matching f, oldest change first (a queue: who waited
 * longest comes first), with *total the number matching (for paging). */
int ra_query(struct store *st, const struct ra_filter *f, int64_t *total, ra_app_fn cb,
             void *arg);
/* The same selection as ra_query, each row with its applicant's registered
 * name and agency name ("" when unknown), read in one query: what the
 * operator's queue shows.  The row and its strings are borrowed for the
 * call; a non-zero cb return stops. */
struct ra_queue_row {
	const struct ra_application *app;
	const char *name;
	const char *agency;
};
typedef int (*ra_queue_fn)(const struct ra_queue_row *r, void *arg);
int ra_queue(struct store *st, const struct ra_filter *f, int64_t *total, ra_queue_fn cb,
             void *arg);

/* Transitions; each refuses illegal ones with SERTEL_ESTATE and writes
 * the audit entry (actor, time, reason) in the same transaction. */
int ra_submit(struct store *st, const struct ra_actor *who, const char *app_id);

/* ---- a registration request from an e-sign client (register.c, issue 12) -- */
struct ra_register_req {
	const char *nik;
	const char *nip; /* may be NULL */
	const char *name;
	const char *email;           /* official: decides the agency by its domain */
	const char *position;        /* may be NULL */
	const struct ra_file *files; /* the attachments individu requires */
	int nfiles;
	const char *via; /* the client, for the trail: "client:NAME" */
};
/* The person (pemohon), an individu signing application with its files,
 * submitted: waiting for the OP, nothing issued; one transaction. */
int ra_register_request(struct ra_application *out, struct store *st,
                        const struct ra_register_req *rq, int approvals_needed);
int ra_return(struct store *st, const struct ra_actor *who, const char *app_id,
              const char *reasons);
int ra_reject(struct store *st, const struct ra_actor *who, const char *app_id,
              const char *reasons);
/* N-of-M: approved once approvals_needed distinct operators approved.
 * An application naming IP addresses needs each one confirmed by the
 * approving operator: reviewed is the comma-separated list of what the
 * application shows as needs_review ("ip:10.1.2.3,..."); NULL when none. */
int ra_approve(struct store *st, const struct ra_actor *who, const char *app_id,
               const char *note, const char *reviewed, int *approved);
/* The approvals an application holds so far, oldest first: the operator's
 * NIK and registered name, and when (for "who has approved": N of M). */
typedef int (*ra_approval_fn)(const char *operator_nik, const char *name, int64_t at,
                              void *arg);
int ra_approval_iter(struct store *st, const char *app_id, ra_approval_fn cb, void *arg);
/* What the operator must look at before approving: "ip:ADDR" for every IP
 * address of the application, comma-separated ("" when nothing). */
int ra_needs_review(char *out, size_t outsz, const struct ra_application *a);
/* The CN the certificate of a will carry (ssl-server: its first DNS name
 * or IP address, CA/B BR 7.1.4.3; otherwise the registered name). */
void ra_subject_cn(char *out, size_t outsz, const struct ra_application *a);

/* ---- the operator's certificate search (search.c) ---------------------- */
/* What ra_cert_query() selects; NULL / 0 fields select everything. */
struct ra_cert_filter {
	const char *nik;
	const char *name;      /* part of the owner's registered name, any case */
	const char *serial;    /* any form serial_normalise() reads */
	const char *agency_id; /* the owner's agency */
	const char *status;    /* valid, revoked, expired */
	int expiring_days;     /* valid and ending within this many days */
	int limit;             /* 0: 50; at most 1000 */
	int offset;
};
/* One result, borrowed for the callback: the certificate with its owner's
 * name and agency (one query with joins, no lookup per row). */
struct ra_cert_row {
	const char *serial;
	const char *type;
	const char *usages;
	const char *subject;
	const char *nik; /* "" when not bound to a person */
	const char *owner_name;
	const char *agency_id;
	const char *agency_name;
	int64_t not_before;
	int64_t not_after;
	int revoked;
	int64_t revoked_at;
	int reason;
	const char *status; /* valid, revoked, expired, not-yet-valid */
};
typedef int (*ra_cert_fn)(const struct ra_cert_row *c, void *arg);
/* Certificates matching f, by owner name then serial, with *total the
 * number matching; only for those who read every record (ra_sees_all).
 * SERTEL_EINVAL for an unreadable serial or status. */
int ra_cert_query(struct store *st, const struct ra_actor *who,
                  const struct ra_cert_filter *f, int64_t *total, ra_cert_fn cb,
                  void *arg);

/* People whose name, position (jabatan) or agency name holds q (any case,
 * 2..100 bytes), by name, at most limit (<= RA_PERSON_SEARCH_MAX): for the
 * signing page's choice of the next signers (issue 11).  Any registered
 * person may look (name, position and agency are what a letter shows);
 * the NIK is given to the caller to resolve, never to show. */
#define RA_PERSON_SEARCH_MAX 20
struct ra_person_hit {
	const char *nik, *name, *position, *agency_name;
};
typedef int (*ra_person_hit_fn)(const struct ra_person_hit *h, void *arg);
int ra_person_search(struct store *st, const struct ra_actor *who, const char *q,
                     int limit, ra_person_hit_fn cb, void *arg);

/* ---- where certificates come from (issuer.c, issuer_upstream.c) ------- */
/* The issuer connector (Cirebon 13(2): the OP forwards to the issuer).
 * Two backends behind one narrow interface: the built-in CA (default) and
 * an upstream sertel instance acting as PSrE, reached over HTTPS with its
 * API token, for an instance in RA-only mode:
 *
 *   [issuer]
 *   mode = upstream                 ; "ca" (default) or "upstream"
 *   url = https://psre.example:8443 ; https only
 *   token_file = upstream.token     ; an admin or operator token of the
 *                                   ; upstream, mode 0600
 *   ca_file = upstream-root.pem     ; the only roots trusted for its TLS
 *   timeout_seconds = 30
 *
 * Relative paths are taken from the instance directory.  Either way the
 * certificate is recorded in this instance's store, with its audit entry
 * and the caller's `also` work, in one local transaction; with an upstream
 * that transaction starts only after the upstream answered, so a failure
 * there leaves nothing here. */
struct issuer;
struct instance;
typedef int (*issuer_also_fn)(struct store *st, const struct cert_rec *rec, void *arg);
/* From the instance's [issuer] section.  ca: an issuing CA already loaded
 * (borrowed, e.g. the server's), or NULL to load it when mode is "ca".
 * *out owned by caller (issuer_free). */
int issuer_open(struct issuer **out, struct instance *in, struct ca *ca);
void issuer_free(struct issuer *is);
/* "ca" or "upstream". */
const char *issuer_mode(const struct issuer *is);
/* Issues rq (rq->also runs inside the local transaction that stores the
 * certificate).  *out owned by caller (cert_rec_free). */
int issuer_issue(struct cert_rec *out, struct issuer *is, struct store *st,
                 const struct issue_req *rq);
/* Revokes serial with an RFC 5280 reason; also runs inside the local
 * transaction that records it. */
int issuer_revoke(struct issuer *is, struct store *st, const char *serial, int reason,
                  const char *actor, const char *why, issuer_also_fn also,
                  void *also_arg);
/* PEM of the issuing CA and root of a stored certificate's issuer, from
 * the store (local or upstream hierarchy).  out[0], out[1] owned by
 * caller. */
int issuer_chain_pem(char *out[2], struct store *st, const char *issuer_id);

/* ---- issuance in person (issue.c) ------------------------------------- */
struct ra_agreement {
	int version;
	char sha256[65];
	int64_t created_at;
};
/* SERTEL_ENOTFOUND before the first version exists. */
int ra_agreement_current(struct ra_agreement *out, struct store *st);
/* The text of a version (0: the one in force) and its record.  Before any
 * version is stored, version 1 is the built-in text (created_at 0).
 * *out owned by caller. */
int ra_agreement_text(char **out, struct ra_agreement *ag, struct store *st, int version);
/* A new version of the subscriber agreement (admin or kepala-dinas).  The
 * built-in text is always version 1: the first new text is version 2. */
int ra_agreement_set(struct ra_agreement *out, struct store *st,
                     const struct ra_actor *who, const char *text);

struct ra_issued;
struct ra_issue_req {
	const char *app_id;
	int accept_agreement;
	/* The version the applicant was shown (0: whichever is in force);
	 * another one in force at issuance is refused. */
	int agreement_version;
	/* Either the owner's CSR ... */
	const unsigned char *csr;
	size_t csr_len;
	/* ... or a key generated here, sealed under this passphrase. */
	const char *passphrase;
	size_t passlen;
	size_t pass_min_len;
	const char *algo; /* for a generated key; NULL: ec-p256 */
	/* More work inside the issuance's transaction (NULL: none), after
	 * the acceptance and the application's new state are written; a
	 * failure rolls the issuance back (the desk session, desk.c). */
	int (*also)(struct store *st, const struct cert_rec *rec,
	            const struct ra_issued *info, void *arg);
	void *also_arg;
};
struct ra_issued {
	char app_id[RA_ID_LEN + 1];
	struct ra_agreement agreement;
	int64_t accepted_at;
	int generated; /* the key was generated and sealed here */
};
/* The NIK of the operator whose approval completed the application
 * (out[0] = 0 when none). */
int ra_last_approver(struct store *st, const char *app_id, char out[17]);
/* Only the applicant, in person (Cirebon 13(4)). */
int ra_issue(struct cert_rec *out, struct ra_issued *info, struct store *st,
             const struct ra_actor *who, struct issuer *is,
             const struct ra_issue_req *rq);

/* ---- issuance at the OP desk (desk.c) --------------------------------- */
/* Cirebon 13(3)-(4) on the operator's screen: the operator who sees the
 * applicant at the desk starts a desk session (the witness), a code goes
 * to the applicant's registered address, and the applicant proves being
 * there by typing it; ra_issue then runs with the applicant as actor. */
#define RA_DESK_CODE_DIGITS RA_EMAIL_CODE_DIGITS /* ra_code_new */
#define RA_DESK_TTL         (15 * 60)            /* seconds a desk session is open */
#define RA_DESK_TRIES       5                    /* wrong codes before it is spent */
enum ra_desk_state { DESK_OPEN, DESK_ISSUED, DESK_SPENT };
struct ra_desk {
	char id[RA_ID_LEN + 1];
	char app_id[RA_ID_LEN + 1];
	char operator_nik[17]; /* the witness */
	enum ra_desk_state state;
	int attempts;
	int expired; /* open but past expires_at */
	int64_t created_at;
	int64_t expires_at;
	int64_t used_at;
	char cert_serial[SERIAL_HEX_MAX + 1];
};
const char *ra_desk_state_name(enum ra_desk_state s);
/* An OP operator holding a valid certificate of their own (Cirebon 20(1)),
 * for an approved application that is not their own: records the session
 * (only the code's SHA-256; earlier open sessions of that application are
 * spent) and queues the code to the applicant's registered address, in
 * one transaction with its audit entry. */
int ra_desk_start(struct ra_desk *out, struct store *st, const struct ra_actor *who,
                  const char *app_id);
/* The session, for its witness only (SERTEL_EPERM otherwise). */
int ra_desk_get(struct ra_desk *out, struct store *st, const struct ra_actor *who,
                const char *desk_id);
/* The witness submits what the applicant typed: the code (constant-time
 * compare; each wrong one counted and audited although the call fails, the
 * RA_DESK_TRIES-th spends the session), then ra_issue for the applicant
 * with rq (its app_id and also are set here).  The session is consumed in
 * the issuance's transaction, which also records the witness, the
 * agreement version and hash, the key's origin and the session id.  Any
 * other failure leaves the session as it was. */
int ra_desk_confirm(struct cert_rec *out, struct ra_issued *info, struct store *st,
                    const struct ra_actor *who, struct issuer *is, const char *desk_id,
                    const char *code, const struct ra_issue_req *rq);
/* The witness of the desk session that issued app_id (out[0] = 0: none). */
int ra_desk_witness(struct store *st, const char *app_id, char out[17]);

/* ---- the receipt (receipt.c) ------------------------------------------ */
/* The receipt (bukti tanda terima) PDF of an issued application, for the
 * applicant and those who read every application, rebuilt from the store
 * (the same bytes each time; org: the instance's organisation).  Signed
 * through the signer hook when one is set.  *out owned by caller. */
/* Its dates in zone tz (the instance's; NULL: WIB), its QR code holding
 * link (the receipt's /v/{id}; NULL: serial and fingerprint).
 * esign_receipt_pdf() calls it. */
int ra_receipt_pdf(unsigned char **out, size_t *outlen, struct store *st,
                   const struct ra_actor *who, const char *app_id, const char *org,
                   const struct time_zone *tz, const char *link);
/* Hook point for the PAdES signer: signs pdf with the certificate of the
 * OP operator operator_nik ("" when none approved); *out owned by caller.
 * fn NULL: receipts stay unsigned.  Set once at start-up. */
typedef int (*ra_receipt_signer_fn)(unsigned char **out, size_t *outlen,
                                    const unsigned char *pdf, size_t len,
                                    const char *operator_nik, void *arg);
void ra_receipt_set_signer(ra_receipt_signer_fn fn, void *arg);

/* ---- the signer's scanned signature (sigimg.c, issue 11) ---------------- */
#define RA_SIGIMG_MAX (512 * 1024)
/* A PNG or JPEG (by its magic bytes) of at most RA_SIGIMG_MAX bytes. */
int ra_image_check(const unsigned char *img, size_t len, const char *what);
/* Sets (img) or removes (img NULL) nik's scanned signature image, audited.
 * The person themselves, an OP operator or the administrator may
 * (SERTEL_EPERM else); SERTEL_ENOTFOUND: no such person. */
int ra_sigimg_set(struct store *st, const struct ra_actor *who, const char *nik,
                  const unsigned char *img, size_t len);
/* nik's image, *out owned by caller; SERTEL_ENOTFOUND when none. */
int ra_sigimg_get(unsigned char **out, size_t *len, struct store *st, const char *nik);
/* 1 when nik has an image, 0 when not, <0 on error: without reading it. */
int ra_sigimg_has(struct store *st, const char *nik);
/* Who signs the receipt of an application issued at the desk (Cirebon 13:
 * the operator who handed the certificate over): the desk session's
 * witness, still an OP operator.  0 when who may; SERTEL_EPERM for anyone
 * else; SERTEL_ESTATE when it was not issued at the desk. */
int ra_receipt_sign_check(struct store *st, const struct ra_actor *who,
                          const char *app_id);
/* The record of a signed receipt ("tanda terima ditandatangani": who, the
 * application, the certificate serial, the registry's document id).  Runs
 * inside the caller's transaction (esign_sign's on_register). */
int ra_receipt_signed_audit(struct store *st, const struct ra_actor *who,
                            const char *app_id, const char *serial, const char *doc_id);

/* An archived attachment (Cirebon 11(4)), decrypted, for the applicant,
 * operators, kepala-dinas, auditors and the admin; each read is audited.
 * *out owned by caller. */
int ra_attachment_get(unsigned char **out, size_t *len, char mime[64], struct store *st,
                      const struct ra_actor *who, const char *app_id, const char *kind);

/* A renewal (valid certificate) or re-application (revoked or expired)
 * for a certificate bound to a person: a new draft with the original
 * application's data and attachments carried over, decided like a new
 * one (Palembang 10(3)). */
int ra_renew(struct ra_application *out, struct store *st, const struct ra_actor *who,
             const char *serial, int approvals_needed);

/* ---- notices (notify.c), queued inside the caller's transaction -------- */
/* kind: submitted, returned, rejected, approved, issued; a submitted
 * application is also announced to every OP operator (kind waiting). */
int ra_notify_application(struct store *st, const char *app_id, const char *kind);
int ra_notify_revoked(struct store *st, const char *serial, const char *cause);
/* Expiry reminders for each number of days in the list ("30,14,7"), once
 * per certificate and threshold; *sent counts the notices queued. */
int ra_remind(struct store *st, const char *actor, const char *days_list, int *sent);

/* ---- revocation, loss reports, sanctions (revoke.c) -------------------- */
/* Checks a document outside an application (any kind label). */
int ra_file_check(const struct ra_file *f);
/* The content type of a checked document by its bytes: "application/pdf",
 * "image/jpeg", "image/png", or NULL for anything else. */
const char *ra_file_mime(const unsigned char *data, size_t len);
/* RFC 5280 reason of a cause, or <0 for an unknown cause. */
int ra_cause_reason(const char *cause);
/* Revokes a certificate bound to a registered person for a cause, if who
 * may invoke that cause: the owner (permintaan-pemilik, penyalahgunaan,
 * data-salah, kunci-bocor), the head of the owner's agency (mutasi,
 * meninggal, mengundurkan-diri, pensiun, lainnya) or an OP operator with
 * a valid certificate (evaluasi-op, sanksi).  Final; closes proposals. */
int ra_revoke(struct store *st, const struct ra_actor *who, struct issuer *is,
              const char *serial, const char *cause, const char *note);
/* The owner's report of a lost, damaged or compromised key (Cirebon 15(2)-
 * (3)): statement letter acknowledged by the superior and the police
 * report, both kept encrypted; revoked at once as keyCompromise. */
int ra_report_loss(struct store *st, const struct ra_actor *who, struct issuer *is,
                   const char *serial, const char *acknowledged_by,
                   const struct ra_file *statement, const struct ra_file *police,
                   const char *note);
/* A loss report as the superior named in its statement letter sees it. */
struct ra_loss {
	char id[17];
	char serial[SERIAL_HEX_MAX + 1];
	char owner_nik[17];
	char owner_name[SERTEL_MAX_NAME];
	char note[600];
	int64_t created_at;
	int64_t acknowledged_at; /* 0: not yet acknowledged */
};
typedef int (*ra_loss_fn)(const struct ra_loss *l, void *arg);
/* The loss reports whose statement letter names the superior ack_nik,
 * newest first (at most 200); a non-zero cb return stops. */
int ra_loss_iter(struct store *st, const char *ack_nik, ra_loss_fn cb, void *arg);
/* Cirebon 15(3): the superior named in the statement letter acknowledges
 * it, once, as its own act (recorded with the time, audited as
 * revocation.acknowledge).  Only that superior: SERTEL_EPERM for anyone
 * else, SERTEL_ESTATE when already acknowledged. */
int ra_loss_acknowledge(struct store *st, const struct ra_actor *who,
                        const char *report_id, const char *note);
/* A letter of a loss report (which: "pernyataan", the statement letter, or
 * "laporan-polisi", the police report), decrypted, with its content type
 * (borrowed), for the superior the report names, the owner, and those who
 * read every archive (operators, the Kepala Dinas, auditors, the
 * administrator); each read is audited.  *out owned by caller. */
int ra_loss_letter_get(unsigned char **out, size_t *len, const char **mime,
                       struct store *st, const struct ra_actor *who,
                       const char *report_id, const char *which);
/* A written warning (Palembang 16); at `threshold` warnings every valid
 * certificate of the person gets a revocation proposal (cause sanksi). */
int ra_warn(struct store *st, const struct ra_actor *who, const char *nik,
            const char *serial, const char *reason, int threshold, int *warnings,
            int *proposals);
/* The causes an OP operator may invoke (evaluasi-op, sanksi), borrowed. */
const char *const *ra_operator_causes(int *n);
/* Written warnings (nik NULL: everyone's), newest first, for those who
 * read every record; borrowed for the callback. */
struct ra_warning {
	const char *nik;
	const char *name;
	const char *serial; /* "" when given to the person */
	const char *reason;
	const char *by_nik;
	int64_t created_at;
};
typedef int (*ra_warning_fn)(const struct ra_warning *w, void *arg);
int ra_warning_iter(struct store *st, const struct ra_actor *who, const char *nik,
                    ra_warning_fn cb, void *arg);
/* Open revocation proposals (state requested), oldest first. */
struct ra_proposal {
	const char *serial;
	const char *nik;
	const char *name;
	const char *cause;
	const char *note;
	int64_t created_at;
};
typedef int (*ra_proposal_fn)(const struct ra_proposal *p, void *arg);
int ra_proposal_iter(struct store *st, const struct ra_actor *who, ra_proposal_fn cb,
                     void *arg);

#endif
