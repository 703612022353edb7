/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Versioned schema migrations.  Each migration runs once, in its own
 * transaction, and records its version in schema_version in that same
 * transaction; a migration runs when its own version is not recorded
 * (not when it is above the highest recorded), so numbers need not be
 * contiguous or merged in order.  Nodes sharing a PostgreSQL database
 * serialise on an advisory lock so two starting nodes never race.  SQL is written once:
 * BLOB becomes BYTEA on PostgreSQL.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db_int.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

static const struct migration migrations[] = {
    {1, "instance, issuers, certificates, CRLs, audit, tokens, blobs",
     "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "CREATE TABLE issuers (id TEXT PRIMARY KEY, role TEXT NOT NULL,"
     " parent_id TEXT, name TEXT NOT NULL, cert_der BLOB NOT NULL,"
     " key_pem TEXT NOT NULL, created_at BIGINT NOT NULL,"
     " crl_number BIGINT NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE certs (serial TEXT PRIMARY KEY,"
     " issuer_id TEXT NOT NULL REFERENCES issuers(id), type TEXT NOT NULL,"
     " usages TEXT NOT NULL, subject TEXT NOT NULL, email TEXT, sans TEXT,"
     " nik TEXT, not_before BIGINT NOT NULL, not_after BIGINT NOT NULL,"
     " revoked INTEGER NOT NULL DEFAULT 0, revoked_at BIGINT, reason INTEGER,"
     " created_at BIGINT NOT NULL, der BLOB NOT NULL);"
     "CREATE INDEX certs_issuer_revoked ON certs(issuer_id, serial)"
     " WHERE revoked = 1;"
     "CREATE INDEX certs_not_after ON certs(not_after);"
     "CREATE INDEX certs_nik ON certs(nik) WHERE nik IS NOT NULL;"
     /* Serials are never reused, even after the certificate row goes. */
     "CREATE TABLE serials_used (serial TEXT PRIMARY KEY);"
     "CREATE TABLE crls (issuer_id TEXT NOT NULL REFERENCES issuers(id),"
     " number BIGINT NOT NULL, this_update BIGINT NOT NULL,"
     " next_update BIGINT NOT NULL, der BLOB NOT NULL,"
     " PRIMARY KEY (issuer_id, number));"
     "CREATE TABLE audit (seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL,"
     " actor TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
     " reason TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
     "CREATE INDEX audit_ts ON audit(ts);"
     "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL,"
     " hash TEXT NOT NULL, mac TEXT NOT NULL);"
     "CREATE TABLE tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
     " role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,"
     " created_at BIGINT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE blobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
     " sha256 TEXT NOT NULL, size BIGINT NOT NULL, nonce BLOB NOT NULL,"
     " data BLOB NOT NULL, created_at BIGINT NOT NULL);"},
    {2, "OCSP responses pre-signed per certificate and CertID hash",
     "CREATE TABLE ocsp_cache (issuer_id TEXT NOT NULL, serial TEXT NOT NULL,"
     " certid_md TEXT NOT NULL, this_update BIGINT NOT NULL,"
     " next_update BIGINT NOT NULL, der BLOB NOT NULL,"
     " PRIMARY KEY (issuer_id, serial, certid_md));"},
    {3, "Registration Authority: agencies, people, applications, notices",
     "CREATE TABLE agencies (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
     " domain TEXT NOT NULL, created_at BIGINT NOT NULL);"
     "CREATE TABLE persons (nik TEXT PRIMARY KEY, nip TEXT UNIQUE,"
     " name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,"
     " position TEXT NOT NULL DEFAULT '', agency_id TEXT REFERENCES agencies(id),"
     " superior_nik TEXT REFERENCES persons(nik), roles TEXT NOT NULL,"
     " kepala_daerah INTEGER NOT NULL DEFAULT 0, appointed_by TEXT,"
     " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
     "CREATE INDEX persons_agency ON persons(agency_id);"
     "ALTER TABLE tokens ADD COLUMN person_nik TEXT;"
     "CREATE TABLE applications (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
     " type TEXT NOT NULL, usages TEXT NOT NULL,"
     " applicant_nik TEXT NOT NULL REFERENCES persons(nik), state TEXT NOT NULL,"
     " cn TEXT NOT NULL, email TEXT, title TEXT, dns TEXT, ip TEXT,"
     " system_name TEXT, system_details TEXT,"
     " self_issued_letters INTEGER NOT NULL DEFAULT 0, renews_serial TEXT,"
     " cert_serial TEXT, approvals_needed INTEGER NOT NULL DEFAULT 1,"
     " reasons TEXT, created_by TEXT NOT NULL, created_at BIGINT NOT NULL,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX applications_state ON applications(state);"
     "CREATE INDEX applications_applicant ON applications(applicant_nik);"
     "CREATE TABLE attachments (application_id TEXT NOT NULL"
     " REFERENCES applications(id), kind TEXT NOT NULL, blob_id TEXT NOT NULL,"
     " sha256 TEXT NOT NULL, mime TEXT NOT NULL, size BIGINT NOT NULL,"
     " filename TEXT NOT NULL, uploaded_by TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, PRIMARY KEY (application_id, kind));"
     "CREATE TABLE approvals (application_id TEXT NOT NULL"
     " REFERENCES applications(id), operator_nik TEXT NOT NULL,"
     " at BIGINT NOT NULL, PRIMARY KEY (application_id, operator_nik));"
     "CREATE TABLE agreements (version INTEGER PRIMARY KEY, text TEXT NOT NULL,"
     " sha256 TEXT NOT NULL, created_at BIGINT NOT NULL);"
     "CREATE TABLE acceptances (application_id TEXT PRIMARY KEY"
     " REFERENCES applications(id), nik TEXT NOT NULL,"
     " agreement_version INTEGER NOT NULL, at BIGINT NOT NULL);"
     "CREATE TABLE sealed_keys (serial TEXT PRIMARY KEY, nik TEXT NOT NULL,"
     " kdf TEXT NOT NULL, salt BLOB NOT NULL, nonce BLOB NOT NULL,"
     " sealed BLOB NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
     " locked INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL);"
     "CREATE TABLE revocation_requests (id TEXT PRIMARY KEY, serial TEXT NOT NULL,"
     " cause TEXT NOT NULL, reason_code INTEGER NOT NULL,"
     " requested_by TEXT NOT NULL, state TEXT NOT NULL, note TEXT,"
     " statement_blob TEXT, police_blob TEXT, acknowledged_by TEXT,"
     " created_at BIGINT NOT NULL, decided_at BIGINT);"
     "CREATE TABLE sanctions (id TEXT PRIMARY KEY,"
     " nik TEXT NOT NULL REFERENCES persons(nik), serial TEXT,"
     " reason TEXT NOT NULL, by_nik TEXT NOT NULL, created_at BIGINT NOT NULL);"
     "CREATE TABLE mail_queue (id TEXT PRIMARY KEY, to_addr TEXT NOT NULL,"
     " subject TEXT NOT NULL, body TEXT NOT NULL, kind TEXT NOT NULL,"
     " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
     " next_attempt_at BIGINT NOT NULL, last_error TEXT,"
     " created_at BIGINT NOT NULL, sent_at BIGINT);"
     "CREATE INDEX mail_queue_due ON mail_queue(state, next_attempt_at);"
     "CREATE TABLE reminders_sent (serial TEXT NOT NULL, days INTEGER NOT NULL,"
     " at BIGINT NOT NULL, PRIMARY KEY (serial, days));"},
    {5, "CRL list read from the index alone (covering partial index)",
     /* store_revoked_iter's query (issuer_id = ? AND revoked = 1 ORDER BY
      * serial, reading serial, revoked_at, reason) then never fetches a
      * table row: a million-entry CRL read 1M random table pages before.
      * revoked is in the index too, which SQLite needs to call it
      * covering.  Issuance still writes no entry (revoked = 0). */
     "DROP INDEX certs_issuer_revoked;"
     "CREATE INDEX certs_issuer_revoked ON certs(issuer_id, serial, revoked_at,"
     " reason, revoked) WHERE revoked = 1;"},
    {6, "e-sign service: client applications, owners, seals, document registry",
     "CREATE TABLE esign_clients (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
     " secret_hash TEXT NOT NULL, perms TEXT NOT NULL, seal_id TEXT,"
     " created_at BIGINT NOT NULL, removed INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE esign_owners (nik TEXT PRIMARY KEY,"
     " failures INTEGER NOT NULL DEFAULT 0, locked INTEGER NOT NULL DEFAULT 0,"
     " locked_at BIGINT, totp_secret BLOB, totp_nonce BLOB,"
     " totp_last BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL);"
     "CREATE TABLE esign_seals (id TEXT PRIMARY KEY, cert_der BLOB NOT NULL,"
     " key_pem TEXT NOT NULL, created_at BIGINT NOT NULL);"
     "CREATE TABLE esign_docs (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL,"
     " name TEXT NOT NULL, signer_nik TEXT, signer_name TEXT NOT NULL,"
     " cert_serial TEXT NOT NULL, client TEXT NOT NULL,"
     " seal INTEGER NOT NULL DEFAULT 0, signed_at BIGINT NOT NULL,"
     " size BIGINT NOT NULL, verdict INTEGER NOT NULL, blob_id TEXT);"
     "CREATE INDEX esign_docs_sha256 ON esign_docs(sha256);"},
    /* Issue 19: tokens expire (NULL: made before this migration, no
     * expiry; `sertel token list` says so), are revoked with a reason and
     * remember their last use (written at most once a minute); client
     * secrets are rotated and revoked the same way. */
    {7, "API tokens and e-sign client secrets: expiry, last use, revocation",
     "ALTER TABLE tokens ADD COLUMN expires_at BIGINT;"
     "ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;"
     "ALTER TABLE tokens ADD COLUMN revoked_at BIGINT;"
     "ALTER TABLE tokens ADD COLUMN revoked_reason TEXT;"
     "ALTER TABLE esign_clients ADD COLUMN last_used_at BIGINT;"
     "ALTER TABLE esign_clients ADD COLUMN rotated_at BIGINT;"
     "ALTER TABLE esign_clients ADD COLUMN revoked_at BIGINT;"
     "ALTER TABLE esign_clients ADD COLUMN revoked_reason TEXT;"},
    /* Issue 19: a second e-mail address in a certificate only after the
     * person proved they read it.  Only the code's SHA-256 is kept; a
     * confirmed row has no code left (single use). */
    {8, "RA: e-mail addresses verified by a mailed code",
     "CREATE TABLE email_verifications (nik TEXT NOT NULL REFERENCES persons(nik),"
     " email TEXT NOT NULL, code_hash TEXT, expires_at BIGINT NOT NULL,"
     " attempts INTEGER NOT NULL DEFAULT 0, requested_by TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, verified_at BIGINT,"
     " PRIMARY KEY (nik, email));"},
    {9, "portal: sessions and one-time login links (hashes only)",
     /* The browser holds the 256-bit id or token; only its SHA-256 is
      * here, so a copy of the database opens no session. */
     "CREATE TABLE portal_sessions (id_hash TEXT PRIMARY KEY, nik TEXT NOT NULL,"
     " method TEXT NOT NULL, csrf TEXT NOT NULL, cert_serial TEXT,"
     " created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL,"
     " expires_at BIGINT NOT NULL, ended_at BIGINT, peer TEXT);"
     "CREATE INDEX portal_sessions_nik ON portal_sessions(nik);"
     "CREATE TABLE portal_links (token_hash TEXT PRIMARY KEY, nik TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT,"
     " peer TEXT);"
     "CREATE INDEX portal_links_nik ON portal_links(nik, used_at);"},
    {10, "RA: the operator's queue read in the order of waiting",
     /* ra_query: one state, oldest change first, a page at a time. */
     "CREATE INDEX applications_queue ON applications(state, updated_at, id);"},
    /* Issue 10: issuance at the OP desk.  The operator who witnesses the
     * applicant's presence starts a session; the applicant proves it with
     * the code mailed to them, of which only the SHA-256 is kept.  A row
     * is used once (state open -> issued, or spent after too many wrong
     * codes or a newer session for the same application). */
    {11, "RA: desk sessions for issuance in person (code hashes only)",
     "CREATE TABLE desk_sessions (id TEXT PRIMARY KEY,"
     " application_id TEXT NOT NULL REFERENCES applications(id),"
     " operator_nik TEXT NOT NULL, code_hash TEXT NOT NULL,"
     " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
     " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
     " used_at BIGINT, cert_serial TEXT);"
     "CREATE INDEX desk_sessions_app ON desk_sessions(application_id, state);"},
    {12, "portal, the operator's tools and the Kepala Dinas's approval rules",
     /* ra_approval_rule: N-of-M per type, set on the portal; the config's
      * [approval] TYPE stays the default when no row exists. */
     "CREATE TABLE approval_rules (type TEXT PRIMARY KEY, needed INTEGER NOT NULL,"
     " set_by TEXT NOT NULL, reason TEXT NOT NULL, updated_at BIGINT NOT NULL);"
     /* mail_list_to: the notices a person received, newest first. */
     "CREATE INDEX mail_queue_to ON mail_queue(to_addr, created_at);"
     /* esign_locked_iter: the locked owners, longest locked first. */
     "CREATE INDEX esign_owners_locked ON esign_owners(locked_at) WHERE locked = 1;"
     /* ra_cert_query uses the indexes that exist (certs: serial, nik,
      * not_after; persons: agency); a part of a name is a scan of persons,
      * which no B-tree index serves. */
     "CREATE INDEX sanctions_nik ON sanctions(nik, created_at);"
     "CREATE INDEX revocation_requests_state ON revocation_requests(state, created_at);"},
    /* Issue 10: an OpenID Connect login in flight (portal/oidc.c).  The
     * browser holds the state; only its SHA-256 is here, with the SHA-256
     * of the browser's pre-login cookie it is bound to; spent once. */
    {13, "portal: OpenID Connect logins in flight (state hashed, single use)",
     "CREATE TABLE portal_oidc (state_hash TEXT PRIMARY KEY,"
     " browser_hash TEXT NOT NULL, nonce TEXT NOT NULL, verifier TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT,"
     " peer TEXT);"
     "CREATE INDEX portal_oidc_expires ON portal_oidc(expires_at);"},
    {14, "RA: the superior's acknowledgement of a loss report, as its own step",
     /* Cirebon 15(3): the statement letter names the superior, who then
      * acknowledges it (ra_loss_acknowledge); reports are listed by the
      * superior named. */
     "ALTER TABLE revocation_requests ADD COLUMN acknowledged_at BIGINT;"
     "CREATE INDEX revocation_requests_ack ON revocation_requests(acknowledged_by, "
     "created_at);"},
    /* bench/portal: with 6,000 applications waiting, the queue filtered by
     * type or agency read every waiting row from the table (the filter's
     * columns were not in the index): 7-12 ms for the count alone.  With
     * type and applicant_nik in the index, ra_query's count and its page
     * are answered from the index (the agency filter looks the NIK up in
     * the persons of that agency) and only the 50 rows shown are read. */
    {15, "RA: the operator's queue filtered from the index alone",
     "DROP INDEX applications_queue;"
     "CREATE INDEX applications_queue ON applications(state, updated_at, id, type,"
     " applicant_nik);"},
    /* bench/portal again: the queue filtered by agency still walked all
     * 6,000 waiting entries of applications_queue and probed the agency's
     * NIK list for each (SQLite: 0.75 ms for the count).  With state and
     * type after applicant_nik the count seeks the agency's applicants
     * one by one (0.11 ms), and the type filter reads only its own type's
     * entries, in the queue's order (count 0.37 ms -> 0.08 ms).  The old
     * applicant index is a prefix of the new one. */
    {17, "RA: the operator's queue filtered by agency or type from its own index",
     "DROP INDEX applications_applicant;"
     "CREATE INDEX applications_applicant ON applications(applicant_nik, state, type);"
     "CREATE INDEX applications_queue_type ON applications(state, type, updated_at,"
     " id, applicant_nik);"},
    {20,
     "esign: the signature timestamp of each registered document, so /v/{id} "
     "re-checks a later revocation without the content (issue 11)",
     "ALTER TABLE esign_docs ADD COLUMN ts_time BIGINT NOT NULL DEFAULT 0;"},
    /* Issue 12: BSrE's guide measures v2 originX/originY from the page's
     * top-left corner; sertel used the lower-left one.  The default is
     * BSrE's, a client written for the old behaviour keeps it. */
    {22, "e-sign: the coordinate origin of each client's v2 signatureProperties",
     "ALTER TABLE esign_clients ADD COLUMN v2_origin TEXT NOT NULL DEFAULT "
     "'top-left';"},
    /* bench/portal, third round: the total above the queue was a COUNT(*)
     * of the waiting entries on every page, most of the page's time on
     * PostgreSQL.  The counts per state, type and applicant's agency are
     * kept by src/ra in the transaction that writes the application. */
    {23, "RA: the operator's queue counted without a walk of its index",
     "CREATE TABLE application_counts (state TEXT NOT NULL, type TEXT NOT NULL,"
     " agency_id TEXT NOT NULL, n BIGINT NOT NULL,"
     " PRIMARY KEY (state, type, agency_id));"
     "INSERT INTO application_counts (state, type, agency_id, n)"
     " SELECT a.state, a.type, COALESCE(p.agency_id, ''), COUNT(*) FROM applications a"
     " LEFT JOIN persons p ON p.nik = a.applicant_nik"
     " GROUP BY a.state, a.type, COALESCE(p.agency_id, '');"},
    /* Issue 12: BSrE's e-mailed codes (only their HMAC, single use), the
     * owner's key wrapped for signing with a code, seal addresses and
     * activations per client. */
    {19, "e-sign: e-mailed one-time codes, keys wrapped for codes, seal activations",
     "CREATE TABLE esign_codes (subject TEXT NOT NULL, purpose TEXT NOT NULL,"
     " code_mac BLOB NOT NULL, expires_at BIGINT NOT NULL, sent_at BIGINT NOT NULL,"
     " PRIMARY KEY (subject, purpose));"
     "ALTER TABLE esign_owners ADD COLUMN otp_key BLOB;"
     "ALTER TABLE esign_owners ADD COLUMN otp_serial TEXT;"
     "ALTER TABLE esign_seals ADD COLUMN email TEXT;"
     "CREATE TABLE esign_seal_activations (seal_id TEXT NOT NULL, client TEXT NOT NULL,"
     " activated_at BIGINT NOT NULL, PRIMARY KEY (seal_id, client));"},
    /* Issue 11: signing flows, several signers in order on the same files
     * (src/esign/flow.c).  The files and their page previews are blobs
     * (encrypted), deleted with the flow when it expires. */
    {18, "e-sign: signing flows, signers in order, files held until expiry",
     "CREATE TABLE esign_flows (id TEXT PRIMARY KEY, owner_nik TEXT NOT NULL,"
     " state TEXT NOT NULL, step INTEGER NOT NULL, reason TEXT,"
     " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
     " expires_at BIGINT NOT NULL, version INTEGER NOT NULL);"
     "CREATE INDEX esign_flows_owner ON esign_flows(owner_nik, updated_at);"
     "CREATE INDEX esign_flows_expires ON esign_flows(expires_at);"
     "CREATE TABLE esign_flow_signers (flow_id TEXT NOT NULL, pos INTEGER NOT NULL,"
     " nik TEXT NOT NULL, state TEXT NOT NULL, at BIGINT, doc_id TEXT,"
     " PRIMARY KEY (flow_id, pos));"
     "CREATE INDEX esign_flow_signers_nik ON esign_flow_signers(nik, flow_id);"
     "CREATE TABLE esign_flow_docs (flow_id TEXT NOT NULL, idx INTEGER NOT NULL,"
     " name TEXT NOT NULL, blob_id TEXT NOT NULL, size BIGINT NOT NULL,"
     " PRIMARY KEY (flow_id, idx));"
     "CREATE TABLE esign_flow_pages (flow_id TEXT NOT NULL, idx INTEGER NOT NULL,"
     " version INTEGER NOT NULL, page INTEGER NOT NULL, blob_id TEXT NOT NULL,"
     " PRIMARY KEY (flow_id, idx, version, page));"},
    /* Issue 11: the signer's scanned signature, drawn in the box by the
     * instance's template (image-text layout); one per person. */
    {21, "sign: a person's scanned signature image for the visible signature",
     "CREATE TABLE person_signature_images (nik TEXT PRIMARY KEY, image BLOB NOT NULL,"
     " updated_at BIGINT NOT NULL);"},
    /* Issue 13: governance (src/gov).  The tables every governance area
     * and the annual report share; each area adds its own further columns
     * and tables in its own migration.  Times are Unix seconds; shares in
     * basis points (10000 = 100%) so both engines sum them exactly. */
    {24, "governance: needs, plans, decree, staff, systems, incidents, tickets",
     /* Cirebon 4, Denpasar 5: an agency's needs for a year, its items. */
     "CREATE TABLE gov_needs (id TEXT PRIMARY KEY,"
     " agency_id TEXT NOT NULL REFERENCES agencies(id), year INTEGER NOT NULL,"
     " state TEXT NOT NULL, justification TEXT NOT NULL DEFAULT '', reason TEXT,"
     " created_by TEXT NOT NULL, created_at BIGINT NOT NULL,"
     " submitted_at BIGINT, decided_at BIGINT, updated_at BIGINT NOT NULL,"
     " UNIQUE (agency_id, year));"
     "CREATE TABLE gov_need_items (need_id TEXT NOT NULL REFERENCES gov_needs(id),"
     " idx INTEGER NOT NULL, type TEXT NOT NULL, usage TEXT NOT NULL,"
     " count INTEGER NOT NULL CHECK (count >= 0), system_name TEXT,"
     " justification TEXT NOT NULL DEFAULT '', priority INTEGER,"
     " planned_year INTEGER, planned_quarter INTEGER, budget_amount BIGINT,"
     " budget_source TEXT, PRIMARY KEY (need_id, idx));"
     /* Cirebon 9, Samarinda 10: the 5-year master plan, its road map. */
     "CREATE TABLE gov_plans (id TEXT PRIMARY KEY, title TEXT NOT NULL,"
     " start_year INTEGER NOT NULL, end_year INTEGER NOT NULL,"
     " refs TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
     "CREATE TABLE gov_plan_targets (plan_id TEXT NOT NULL REFERENCES gov_plans(id),"
     " year INTEGER NOT NULL, asn_bp INTEGER NOT NULL, systems INTEGER NOT NULL,"
     " services INTEGER NOT NULL, activities TEXT NOT NULL DEFAULT '',"
     " PRIMARY KEY (plan_id, year));"
     "CREATE TABLE gov_plan_reviews (plan_id TEXT NOT NULL REFERENCES gov_plans(id),"
     " reviewed_at BIGINT NOT NULL, outcome TEXT NOT NULL, by_actor TEXT NOT NULL,"
     " PRIMARY KEY (plan_id, reviewed_at));"
     /* Palembang 7(2): the decree naming the agencies that use certificates. */
     "CREATE TABLE gov_decrees (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
     " decree_date TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',"
     " created_by TEXT NOT NULL, created_at BIGINT NOT NULL);"
     "CREATE TABLE gov_scope (agency_id TEXT PRIMARY KEY REFERENCES agencies(id),"
     " decree_id TEXT NOT NULL REFERENCES gov_decrees(id), since BIGINT NOT NULL);"
     /* Denpasar 8(3), Samarinda 8(3): the ASN of each agency (staffing
      * export) or, where no list is imported, the headcount entered. */
     "CREATE TABLE gov_staff (nik TEXT PRIMARY KEY, nip TEXT, name TEXT NOT NULL,"
     " agency_id TEXT NOT NULL REFERENCES agencies(id),"
     " position TEXT NOT NULL DEFAULT '', imported_at BIGINT NOT NULL);"
     "CREATE INDEX gov_staff_agency ON gov_staff(agency_id, nik);"
     "CREATE TABLE gov_headcounts (agency_id TEXT PRIMARY KEY REFERENCES agencies(id),"
     " n INTEGER NOT NULL CHECK (n >= 0), updated_by TEXT NOT NULL,"
     " updated_at BIGINT NOT NULL);"
     /* Denpasar 8(4): the region's electronic systems, their probes. */
     "CREATE TABLE gov_systems (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
     " agency_id TEXT NOT NULL REFERENCES agencies(id), url TEXT NOT NULL,"
     " purpose TEXT NOT NULL DEFAULT '', cert_serial TEXT,"
     " created_by TEXT NOT NULL, created_at BIGINT NOT NULL,"
     " updated_at BIGINT NOT NULL, UNIQUE (url));"
     "CREATE TABLE gov_probes (system_id TEXT NOT NULL REFERENCES gov_systems(id),"
     " at BIGINT NOT NULL, ok INTEGER NOT NULL, serial_seen TEXT,"
     " sha256_seen TEXT, not_after_seen BIGINT, matches INTEGER NOT NULL DEFAULT 0,"
     " error TEXT, PRIMARY KEY (system_id, at));"
     /* Cirebon 24, Denpasar 25: security incidents, notified at once. */
     "CREATE TABLE gov_incidents (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
     " severity TEXT NOT NULL, state TEXT NOT NULL, title TEXT NOT NULL,"
     " description TEXT NOT NULL, reporter TEXT NOT NULL, reporter_nik TEXT,"
     " revocation_request_id TEXT, reported_at BIGINT NOT NULL,"
     " notified_at BIGINT, handled_at BIGINT, closed_at BIGINT,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX gov_incidents_reported ON gov_incidents(reported_at);"
     "CREATE TABLE gov_incident_certs (incident_id TEXT NOT NULL"
     " REFERENCES gov_incidents(id), serial TEXT NOT NULL,"
     " PRIMARY KEY (incident_id, serial));"
     "CREATE TABLE gov_incident_events (incident_id TEXT NOT NULL"
     " REFERENCES gov_incidents(id), seq INTEGER NOT NULL, at BIGINT NOT NULL,"
     " actor TEXT NOT NULL, action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
     " PRIMARY KEY (incident_id, seq));"
     /* Cirebon 20(3), 22: complaints and requests for technical help. */
     "CREATE TABLE gov_tickets (id TEXT PRIMARY KEY, category TEXT NOT NULL,"
     " state TEXT NOT NULL, subject TEXT NOT NULL, description TEXT NOT NULL,"
     " person_nik TEXT NOT NULL, about_nik TEXT, created_at BIGINT NOT NULL,"
     " escalated_at BIGINT, resolved_at BIGINT, closed_at BIGINT,"
     " updated_at BIGINT NOT NULL);"
     "CREATE INDEX gov_tickets_created ON gov_tickets(created_at);"
     "CREATE INDEX gov_tickets_person ON gov_tickets(person_nik, created_at);"
     "CREATE TABLE gov_ticket_replies (ticket_id TEXT NOT NULL"
     " REFERENCES gov_tickets(id), seq INTEGER NOT NULL, at BIGINT NOT NULL,"
     " actor TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (ticket_id, seq));"
     /* Cirebon 3(1)h-i, 19: the SOP and the owner's rights, duties and
      * complaint procedure, versioned, published by the Kepala Dinas. */
     "CREATE TABLE gov_publications (kind TEXT NOT NULL, version INTEGER NOT NULL,"
     " title TEXT NOT NULL, body TEXT NOT NULL, sha256 TEXT NOT NULL,"
     " published_by TEXT NOT NULL, published_at BIGINT NOT NULL,"
     " PRIMARY KEY (kind, version));"
     /* Turnaround (Cirebon 23): when an application was first submitted,
      * decided (approved or rejected) and issued, set by src/ra in the
      * transaction of that step; NULL for rows older than this migration. */
     "ALTER TABLE applications ADD COLUMN submitted_at BIGINT;"
     "ALTER TABLE applications ADD COLUMN decided_at BIGINT;"
     "ALTER TABLE applications ADD COLUMN issued_at BIGINT;"},
    /* Issue 13, the plan and the decree (src/gov/plan.c): the master
     * plan's documents (PDF, encrypted blobs), the decree's PDF, and the
     * review status last mailed per plan (once per change). */
    {25, "governance: plan documents, the decree's PDF, review notices",
     "CREATE TABLE gov_plan_docs (plan_id TEXT NOT NULL REFERENCES gov_plans(id),"
     " idx INTEGER NOT NULL, filename TEXT NOT NULL, blob_id TEXT NOT NULL,"
     " sha256 TEXT NOT NULL, size BIGINT NOT NULL, added_by TEXT NOT NULL,"
     " added_at BIGINT NOT NULL, PRIMARY KEY (plan_id, idx));"
     "ALTER TABLE gov_decrees ADD COLUMN blob_id TEXT;"
     "ALTER TABLE gov_decrees ADD COLUMN sha256 TEXT;"
     "CREATE TABLE gov_plan_alerts (plan_id TEXT PRIMARY KEY REFERENCES gov_plans(id),"
     " status TEXT NOT NULL, at BIGINT NOT NULL);"},
    /* Issue 13, complaints and technical assistance (src/gov/ticket.c):
     * whom a complaint about an OP operator is routed to (the operator's
     * superior when it was filed, Cirebon 20(3)), who wrote each reply and
     * whether it is a reply or a change of state, the attachments
     * (encrypted blobs), and the requests for the issuer's help with their
     * answers (Cirebon 22(2)). */
    {28, "governance: ticket routing, reply authors, attachments, help requests",
     "ALTER TABLE gov_tickets ADD COLUMN superior_nik TEXT;"
     "ALTER TABLE gov_tickets ADD COLUMN reason TEXT;"
     "CREATE INDEX gov_tickets_superior ON gov_tickets(superior_nik, created_at);"
     "ALTER TABLE gov_ticket_replies ADD COLUMN author_nik TEXT;"
     "ALTER TABLE gov_ticket_replies ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';"
     "CREATE TABLE gov_ticket_files (ticket_id TEXT NOT NULL"
     " REFERENCES gov_tickets(id), idx INTEGER NOT NULL, reply_seq INTEGER NOT NULL,"
     " filename TEXT NOT NULL, mime TEXT NOT NULL, size BIGINT NOT NULL,"
     " sha256 TEXT NOT NULL, blob_id TEXT NOT NULL, uploaded_by TEXT NOT NULL,"
     " created_at BIGINT NOT NULL, PRIMARY KEY (ticket_id, idx));"
     "CREATE TABLE gov_help_requests (id TEXT PRIMARY KEY,"
     " ticket_id TEXT REFERENCES gov_tickets(id), sent_to TEXT NOT NULL,"
     " body TEXT NOT NULL, sent_by TEXT NOT NULL, sent_at BIGINT NOT NULL,"
     " answer TEXT, answered_by TEXT, answered_at BIGINT);"
     "CREATE INDEX gov_help_requests_ticket ON gov_help_requests(ticket_id, sent_at);"},
    /* Issue 13, coverage (src/gov/systems.c): an electronic system is
     * active or retired (Denpasar 8(4): the register names the systems in
     * use); a probe records what else it saw: whether the presented chain
     * validates against this instance's CA and is for the host, the HTTP
     * status, a redirect to another host (never followed), its duration
     * and whether a person or the schedule ran it. */
    {26, "governance coverage: system states, what a TLS probe saw",
     "ALTER TABLE gov_systems ADD COLUMN state TEXT NOT NULL DEFAULT 'active';"
     "ALTER TABLE gov_systems ADD COLUMN state_reason TEXT;"
     "ALTER TABLE gov_probes ADD COLUMN chain_ok INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE gov_probes ADD COLUMN name_ok INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE gov_probes ADD COLUMN http_status INTEGER;"
     "ALTER TABLE gov_probes ADD COLUMN redirect_host TEXT;"
     "ALTER TABLE gov_probes ADD COLUMN elapsed_ms BIGINT;"
     "ALTER TABLE gov_probes ADD COLUMN via TEXT NOT NULL DEFAULT 'manual';"},
    /* Issue 13, incidents (src/gov/incident.c): each recipient's notice
     * with its mail queue row and the time it was delivered (copied from
     * mail_queue.sent_at by gov_tick), the Kepala Dinas's flag mail sent
     * once, and at most one incident per loss report so the catch-up of
     * gov_tick and gov_report_loss never open two. */
    {27, "governance incidents: notices per recipient, flag mail, one per loss report",
     "CREATE TABLE gov_incident_notices (incident_id TEXT NOT NULL"
     " REFERENCES gov_incidents(id), idx INTEGER NOT NULL, label TEXT NOT NULL,"
     " address TEXT NOT NULL, mail_id TEXT NOT NULL, queued_at BIGINT NOT NULL,"
     " delivered_at BIGINT, PRIMARY KEY (incident_id, idx));"
     "CREATE INDEX gov_incident_notices_mail ON gov_incident_notices(mail_id);"
     "ALTER TABLE gov_incidents ADD COLUMN flag_mailed_at BIGINT;"
     "CREATE UNIQUE INDEX gov_incidents_revocation ON"
     " gov_incidents(revocation_request_id);"
     "CREATE INDEX gov_incidents_state ON gov_incidents(state, reported_at);"
     "CREATE INDEX gov_incidents_reporter ON gov_incidents(reporter_nik, reported_at);"},
    /* bench/report: the annual report's coverage line asks, a dozen
     * times, whether each of 20,000 ASN holds a valid individu or
     * jabatan certificate at a moment (gov_coverage_at); with every
     * column of that question in the index it is answered from the index
     * alone instead of a table row per certificate (SQLite: 50 -> 30 ms
     * a walk of 60,000 certificates). */
    {29, "governance: certificate holders and revocation requests found by index",
     "CREATE INDEX certs_holder ON certs(nik, type, not_before, not_after, revoked,"
     " revoked_at) WHERE nik IS NOT NULL;"
     /* The report's revocations by cause find each revoked certificate's
      * requests by serial (SQLite otherwise read every done request for
      * every revoked certificate: 5.8M rows for 2,400 revocations). */
     "CREATE INDEX revocation_requests_serial ON revocation_requests(serial, state);"},
};

static char *
migration_sql(const struct db *db, const char *sql)
{
	struct buf b;
	const char *p = sql, *hit;

	buf_init(&b, 1 << 20);
	if (db->engine != DB_PG) {
		if (buf_append(&b, sql, strlen(sql)) < 0 || buf_cstr(&b) < 0)
			goto fail;
		return (char *)buf_detach(&b, NULL);
	}
	while ((hit = strstr(p, " BLOB")) != NULL) {
		if (buf_append(&b, p, (size_t)(hit - p)) < 0 ||
		    buf_append(&b, " BYTEA", 6) < 0)
			goto fail;
		p = hit + 5;
	}
	if (buf_append(&b, p, strlen(p)) < 0 || buf_cstr(&b) < 0)
		goto fail;
	return (char *)buf_detach(&b, NULL);
fail:
	buf_free(&b);
	return NULL;
}

int
db_schema_version(struct db *db, int *version)
{
	struct db_stmt *s = NULL;
	int rc;

	*version = 0;
	if ((rc = db_prepare(&s, db,
	                     "SELECT COALESCE(MAX(version), 0) "
	                     "FROM schema_version")) < 0)
		return rc;
	if ((rc = db_step(s)) == 1) {
		*version = (int)db_col_int(s, 0);
		rc = 0;
	}
	db_finalize(s);
	return rc;
}

/* *applied = 1 when that version's row exists. */
static int
migration_applied(struct db *db, int version, int *applied)
{
	struct db_stmt *s = NULL;
	int rc;

	*applied = 0;
	if ((rc = db_prepare(
	         &s, db, "SELECT COUNT(*) FROM schema_version WHERE version = ?")) < 0)
		return rc;
	if ((rc = db_bind_int(s, 1, version)) == 0 && (rc = db_step(s)) == 1) {
		*applied = db_col_int(s, 0) > 0;
		rc = 0;
	}
	db_finalize(s);
	return rc;
}

static int
migrate_one(struct db *db, const struct migration *m)
{
	struct db_stmt *s = NULL;
	char *sql = NULL;
	int rc, cur;

	if ((rc = db_begin(db)) < 0)
		return rc;
	/* Re-check inside the transaction: another node may have run it.  By
	 * number, not by the highest version: migrations written on parallel
	 * branches may land out of order and leave gaps. */
	if ((rc = migration_applied(db, m->version, &cur)) < 0)
		goto out;
	if (cur)
		goto out;
	if ((sql = migration_sql(db, m->sql)) == NULL) {
		rc = sertel_err(SERTEL_ENOMEM, "migration %d: out of memory", m->version);
		goto out;
	}
	if ((rc = db_exec(db, sql)) < 0) {
		rc = sertel_err(rc, "migration %d (%s): %s", m->version, m->name,
		                sertel_errmsg());
		goto out;
	}
	if ((rc = db_prepare(&s, db,
	                     "INSERT INTO schema_version (version, "
	                     "applied_at) VALUES (?, ?)")) < 0 ||
	    (rc = db_bind_int(s, 1, m->version)) < 0 ||
	    (rc = db_bind_int(s, 2, time_now())) < 0 || (rc = db_step(s)) < 0)
		goto out;
	rc = 0;
out:
	db_finalize(s);
	free(sql);
	if (rc < 0)
		db_rollback(db);
	else
		rc = db_commit(db);
	return rc;
}

int
db_migrate(struct db *db, int *version)
{
	size_t i;
	int rc, locked = 0;

	*version = 0;
	if (db->engine == DB_PG) {
		if ((rc = db_exec(db, "SELECT pg_advisory_lock(7365727465)")) < 0)
			return rc;
		locked = 1;
	}
	rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
	                 "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
	for (i = 0; rc == 0 && i < sizeof(migrations) / sizeof(migrations[0]); i++)
		rc = migrate_one(db, &migrations[i]);
	if (rc == 0)
		rc = db_schema_version(db, version);
	if (locked)
		db_exec(db, "SELECT pg_advisory_unlock(7365727465)");
	return rc;
}
