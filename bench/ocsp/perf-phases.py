#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Attribute `perf record --call-graph` samples of sertel to phases.

usage: perf script -i perf.data -F comm,tid,ip,sym | perf-phases.py ocsp|crl

Like bench/issue/perf-buckets.py: each sample's stack is walked from the
leaf towards the root and the first frame named below decides its phase,
so the most specific phase wins (the i2d inside ASN1_item_sign_ctx counts
as "TBS encode", the pread inside a SQLite row lookup as that lookup).
A request parse is marked "[cache-key probe]" when it happens under
ocsp_request_cache_key, which parses every request once before
ocsp_respond parses it again.  A second table lists the functions with
the largest inclusive share (stack contains), overlapping.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import perf_samples  # noqa: E402

OCSP = [
    # signing the BasicOCSPResponse (OpenSSL's OCSP_basic_sign_ctx)
    ("EVP_DigestSignFinal", "sign: ECDSA P-256 (EVP_DigestSignFinal, incl. random k)"),
    ("X509_check_private_key", "sign: X509_check_private_key (OpenSSL, every response)"),
    ("OCSP_RESPID_set_by_key_ex", "sign: responderID byKey (SHA-1 of the key, every response)"),
    ("OCSP_RESPID_set_by_key", "sign: responderID byKey (SHA-1 of the key, every response)"),
    ("ASN1_item_sign_ctx", "sign: tbsResponseData encode + hash (ASN1_item_sign_ctx)"),
    ("EVP_MD_CTX_copy_ex", "sign: signing context copy (EVP_MD_CTX_copy_ex)"),
    ("OCSP_basic_sign_ctx", "sign: other (signer certificate added)"),
    # building and encoding the response
    ("OCSP_copy_nonce", "response: nonce copy"),
    ("OCSP_basic_add1_status", "response: SingleResponse (CertID dup, times)"),
    ("status_add", "response: SingleResponse (CertID dup, times)"),
    ("OCSP_response_create", "response: BasicOCSPResponse encode (ASN1_item_pack)"),
    ("i2d_OCSP_RESPONSE", "response: OCSPResponse encode (i2d)"),
    ("OCSP_BASICRESP_free", "response: free"),
    ("OCSP_RESPONSE_free", "response: free"),
    ("response_build", "response: other (new, times)"),
    # the request
    ("d2i_OCSP_REQUEST", "request: DER decode (d2i)"),
    ("i2d_OCSP_REQUEST", "request: re-encode (DER check)"),
    ("OCSP_REQUEST_free", "request: free"),
    ("request_parse", "request: checks"),
    ("ocsp_request_cache_key", "request: cache key other"),
    # the store
    ("store_cert_status", "status lookup: SQL (certs by serial)"),
    ("store_ocsp_get", "cache lookup: SQL (ocsp_cache), copy"),
    ("store_atomic", "cache fill (miss): sign + store"),
    # HTTP
    ("sha256_hex", "http: ETag (SHA-256 of the answer)"),
    ("ocsp_send", "http: caching headers (dates)"),
    ("send_resp", "http: MHD response object, headers"),
    ("ocsp_respond", "handler other"),
    ("ocsp_answer", "handler other"),
    ("dispatch", "http: dispatch other"),
    ("on_request", "http: request callback other (body copy)"),
    # outside the handler: libmicrohttpd's own work and the kernel
    ("__libc_sendmsg", "kernel: TCP send (on loopback incl. the receiver's softirq)"),
    ("__send", "kernel: TCP send (on loopback incl. the receiver's softirq)"),
    ("__libc_send", "kernel: TCP send (on loopback incl. the receiver's softirq)"),
    ("__libc_recv", "kernel: TCP receive"),
    ("recv", "kernel: TCP receive"),
    ("accept4", "kernel: accept"),
    ("epoll_wait", "kernel: epoll_wait + scheduling (idle workers waking)"),
]

CRL = [
    ("sqlite3BtreeTableMoveto", "read: certs row lookup per entry (random page reads, pread)"),
    ("sqlite3VdbeFinishMoveto", "read: certs row lookup per entry (random page reads, pread)"),
    ("crl_add_entry", "encode: revoked entries (hex decode, times, DER)"),
    ("store_revoked_iter", "read: partial index scan, column decode (SQLite)"),
    ("crl_template", "CRL template (OpenSSL)"),
    ("crl_tbs", "TBSCertList assembly (50 MB copy)"),
    ("crl_sign", "sign: SHA-256 over the TBS + ECDSA, assembly"),
    ("store_crl_prune", "store: prune old CRLs"),
    ("store_crl_put", "store: CRL into table crls (WAL write)"),
    ("audit_append", "store: audit entry"),
    ("sqlite3WalCheckpoint", "store: COMMIT, WAL checkpoint"),
    ("store_commit", "store: COMMIT"),
    ("db_commit", "store: COMMIT"),
    ("file_write", "output: DER file write + fsync"),
    ("ca_load", "start: CA key load"),
    ("instance_open", "start: instance open"),
    ("crl_publish", "crl_publish other (buffer growth, free)"),
]

PHASES = {"ocsp": OCSP, "crl": CRL}
DEFAULT = {"ocsp": "outside the handler (libmicrohttpd, other)",
           "crl": "other (process start-up, exit, page faults)"}


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "ocsp"
    of = {}
    for name, label in PHASES[kind]:
        of.setdefault(name, label)
    phase = collections.Counter()
    incl = collections.Counter()
    total = 0
    for st in ([sym for _, sym in s] for s in perf_samples(sys.stdin)):
        total += 1
        label = None
        for sym in st:
            if sym in of:
                label = of[sym]
                break
        if label and label.startswith("request") and "ocsp_request_cache_key" in st:
            label += " [cache-key probe]"
        phase[label or DEFAULT[kind]] += 1
        for sym in set(st):
            incl[sym] += 1
    if total == 0:
        print("no samples")
        return
    print("| phase | share of CPU samples |")
    print("| --- | ---: |")
    for label, n in sorted(phase.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {100.0 * n / total:.1f}% |")
    print()
    print("| function (inclusive: stack contains it) | share |")
    print("| --- | ---: |")
    skip = {"[unknown]", "start_thread", "clone3", "_start", "__libc_start_main_impl",
            "__libc_start_call_main", "main"}
    shown = 0
    for sym, n in incl.most_common():
        if sym in skip or sym.startswith(("entry_SYSCALL", "do_syscall")):
            continue
        print(f"| {sym} | {100.0 * n / total:.1f}% |")
        shown += 1
        if shown == 30:
            break
    print(f"\n{total} samples")


if __name__ == "__main__":
    main()
