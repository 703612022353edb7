#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Attribute `perf record -g` samples of `sertel serve` to request phases.

usage: perf script -i perf.data -F comm,tid,ip,sym | perf-buckets.py

Each sample's call stack is walked from the leaf towards the root; the
first frame naming a phase below decides the sample's phase (so the most
specific phase wins: a decoder call inside csr_parse counts as CSR parsing,
an fdatasync inside COMMIT as the commit).  Samples outside the request
handler (libmicrohttpd's socket work, idle epoll) fall into "http/other".

A second table counts samples whose stack contains a frame of a given
family anywhere (cross-cutting costs such as the OpenSSL 3.0 decoder
machinery or SQLite statement preparation); those percentages overlap.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import perf_samples  # noqa: E402

# frame name -> phase; the first match walking up from the leaf wins.
PHASES = [
    # CSR: today's csr.c (own ASN.1 parse, key via EVP_PKEY_fromdata) and
    # the older X509_REQ path (PEM_read_bio_X509_REQ + X509_REQ_verify).
    ("EVP_DigestVerify", "ca_issue/csr: proof-of-possession verify (ECDSA verify)"),
    ("EVP_DigestVerifyFinal", "ca_issue/csr: proof-of-possession verify (ECDSA verify)"),
    ("X509_REQ_verify_ex", "ca_issue/csr: proof-of-possession verify (ECDSA verify)"),
    ("X509_REQ_verify", "ca_issue/csr: proof-of-possession verify (ECDSA verify)"),
    ("EVP_DigestVerifyInit_ex", "ca_issue/csr: verify setup (fetches)"),
    ("key_check_public", "ca_issue/csr: key_check_public"),
    ("csr_key_ec", "ca_issue/csr: public key from SPKI (EVP_PKEY_fromdata)"),
    ("csr_key_rsa", "ca_issue/csr: public key from SPKI (EVP_PKEY_fromdata)"),
    ("csr_unpem", "ca_issue/csr: PEM/base64"),
    ("csr_parse", "ca_issue/csr: parse (PEM, ASN.1, key decode)"),
    ("csr_free", "ca_issue/csr: free"),
    # Building the certificate.
    ("X509_PUBKEY_set", "ca_issue/build: X509_set_pubkey (SPKI re-encode+decode)"),
    ("X509_set_pubkey", "ca_issue/build: X509_set_pubkey (SPKI re-encode+decode)"),
    ("csr_copy_pubkey", "ca_issue/build: SPKI copy"),
    ("X509_sign", "ca_issue/build: X509_sign (ECDSA sign)"),
    ("profile_add_usage_exts", "ca_issue/build: extensions"),
    ("x509_add_ext_conf", "ca_issue/build: extensions"),
    ("add_policies", "ca_issue/build: extensions"),
    ("add_distribution_exts", "ca_issue/build: extensions"),
    ("add_san", "ca_issue/build: extensions"),
    ("serial_generate", "ca_issue/build: serial (RAND)"),
    ("ee_cert_build", "ca_issue/build: other (names, validity)"),
    # Storing: per request or in the group-commit writer thread.
    ("head_mac", "store: audit head MAC"),
    ("audit_hash", "store: audit hash"),
    ("audit_append", "store: audit_append SQL"),
    ("store_cert_put", "store: store_cert_put SQL"),
    ("sqlite3WalCheckpoint", "store: COMMIT -> WAL auto-checkpoint"),
    ("fdatasync", "store: COMMIT fsync"),
    ("__GI_fdatasync", "store: COMMIT fsync"),
    ("fsync", "store: COMMIT fsync"),
    ("PQexec", "store: PostgreSQL BEGIN/COMMIT/SAVEPOINT (libpq PQexec)"),
    ("db_commit", "store: COMMIT other (SQLite: WAL write)"),
    ("db_begin", "store: BEGIN"),
    ("PQexecParams", "store: PostgreSQL statements (libpq PQexecParams)"),
    ("db_exec", "store: SAVEPOINT/RELEASE per batch item (sqlite3_exec)"),
    ("batch_run", "store: group-commit writer, other"),
    ("batch_writer", "store: group-commit writer, other"),
    ("store_batch_submit", "ca_issue: hand-off to / wake-up from group commit"),
    ("store_atomic", "ca_issue: hand-off to / wake-up from group commit"),
    ("ca_issue", "ca_issue/other (i2d, subject print, copies)"),
    # HTTP.
    ("store_token_find", "http: auth token lookup (SQL)"),
    ("http_auth", "http: auth (sha256 etc.)"),
    ("http_json_body", "http: JSON parse"),
    ("issuer_fetch", "http: root issuer fetch for chain (SQL, per request)"),
    ("store_issuer_get", "http: root issuer fetch for chain (SQL, per request)"),
    ("pem_from_der", "http: PEM encode (cert + chain)"),
    ("http_cert_json", "http: response JSON build"),
    ("http_json", "http: response JSON dump"),
    ("api_certificates_post", "http: handler other"),
    ("send_resp", "http: MHD response"),
    ("dispatch", "http: dispatch other"),
]
PHASE_OF = {}
for name, label in PHASES:
    PHASE_OF.setdefault(name, label)

FAMILIES = [
    ("OpenSSL 3.0 OSSL_DECODER_* (key decoding)", ("OSSL_DECODER",)),
    ("OpenSSL 3.0 OSSL_ENCODER_* (key encoding)", ("OSSL_ENCODER",)),
    ("OpenSSL EVP_*_fetch / do_all_provided", ("_fetch", "do_all_provided")),
    ("SQLite sqlite3_prepare_v2 (statement compile)", ("sqlite3_prepare",)),
    ("SQLite sqlite3_step (execute)", ("sqlite3_step",)),
    ("fdatasync/fsync", ("fdatasync", "do_fsync")),
    ("group-commit writer thread (batch_writer)", ("batch_writer",)),
    ("libpq PQexec* (PostgreSQL round trips)", ("PQexec",)),
    ("malloc/free (leaf)", None),
    ("kernel (leaf)", None),
]


def main():
    phase = collections.Counter()
    fam = collections.Counter()
    total = 0
    for st in perf_samples(sys.stdin):
        total += 1
        label = None
        for _, sym in st:
            if sym in PHASE_OF:
                label = PHASE_OF[sym]
                break
        phase[label or "http/other (MHD socket I/O, epoll, outside handler)"] += 1
        names = [s for _, s in st]
        for fname, pats in FAMILIES:
            if pats is None:
                continue
            if any(any(p in n for p in pats) for n in names):
                fam[fname] += 1
        leaf_addr, leaf = st[0]
        if leaf in ("malloc", "_int_malloc", "_int_free", "cfree", "free",
                    "malloc_consolidate", "unlink_chunk.constprop.0",
                    "__GI___libc_malloc", "__GI___libc_free", "realloc",
                    "_int_realloc", "calloc"):
            fam["malloc/free (leaf)"] += 1
        if leaf_addr.startswith("ffffffff"):
            fam["kernel (leaf)"] += 1
    if total == 0:
        print("no samples")
        return
    print("| phase | share of server CPU samples |")
    print("| --- | ---: |")
    for label, n in sorted(phase.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {100.0 * n / total:.1f}% |")
    print()
    print("| cross-cutting (stack contains) | share |")
    print("| --- | ---: |")
    for fname, _ in FAMILIES:
        print(f"| {fname} | {100.0 * fam[fname] / total:.1f}% |")
    print(f"\n{total} samples")


if __name__ == "__main__":
    main()
