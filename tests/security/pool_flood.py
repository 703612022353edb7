#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A bounded burst of public verifications against a sertel server on
127.0.0.1 while OCSP, /healthz and an authenticated API call are measured
(issue 19, point 2).

usage: pool_flood.py PORT TARPIT_PORT PDF OCSP_REQ TOKEN [N]

The PDF's signer certificate names caIssuers/OCSP/CRL URLs on TARPIT_PORT,
where this script listens and never answers: each verification of it
waits for the verifier's fetch timeout, which is the slow path an
anonymous caller has.  N (default 150) uploads go at once from a thread
pool; every request has a 40 s client timeout and the whole run is capped
at 60 s.  Prints key=value lines.
"""
import concurrent.futures
import http.client
import json
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
TARPIT = int(sys.argv[2])
PDF = open(sys.argv[3], "rb").read()
OCSP = open(sys.argv[4], "rb").read()
TOKEN = sys.argv[5]
N = int(sys.argv[6]) if len(sys.argv) > 6 else 150
stop = threading.Event()


def tarpit():
    """Accepts and holds every connection until the run ends."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", TARPIT))
    s.listen(256)
    s.settimeout(0.2)
    held = []
    while not stop.is_set():
        try:
            c, _ = s.accept()
            held.append(c)
        except socket.timeout:
            pass
    for c in held:
        c.close()
    s.close()


def request(method, path, body=None, headers=None, timeout=40.0):
    """(status or 0, headers dict, body bytes, seconds)."""
    t0 = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        st, hd = r.status, {k.lower(): v for k, v in r.getheaders()}
        c.close()
    except (OSError, http.client.HTTPException):
        st, hd, data = 0, {}, b""
    return st, hd, data, time.monotonic() - t0


def upload(_):
    b = "sertel-flood-boundary"
    body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; "
             "filename=\"surat.pdf\"\r\nContent-Type: application/pdf\r\n\r\n") % b
            ).encode() + PDF + ("\r\n--%s--\r\n" % b).encode()
    return request("POST", "/api/verifikasi", body,
                   {"Content-Type": "multipart/form-data; boundary=" + b})


def main():
    tp = threading.Thread(target=tarpit, daemon=True)
    tp.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    probes = {"healthz": [], "ocsp": [], "api": []}
    with concurrent.futures.ThreadPoolExecutor(max_workers=N) as ex:
        futs = [ex.submit(upload, i) for i in range(N)]
        time.sleep(1.0)  # let the burst arrive first
        while not all(f.done() for f in futs) and time.monotonic() - t0 < 60:
            st, _, _, dt = request("GET", "/healthz", timeout=10)
            probes["healthz"].append((st, dt))
            st, _, _, dt = request("POST", "/ocsp", OCSP,
                                   {"Content-Type": "application/ocsp-request"},
                                   timeout=10)
            probes["ocsp"].append((st, dt))
            st, _, _, dt = request("GET", "/api/v1/agencies",
                                   headers={"Authorization": "Bearer " + TOKEN},
                                   timeout=10)
            probes["api"].append((st, dt))
            time.sleep(0.25)
        res = [f.result() for f in futs]
    elapsed = time.monotonic() - t0
    stop.set()
    tp.join()
    n200 = sum(1 for r in res if r[0] == 200)
    busy = [r for r in res if r[0] == 503]
    retry = sum(1 for r in busy if r[1].get("retry-after", "").isdigit())
    json_busy = bid = late = 0
    for r in busy:
        try:
            j = json.loads(r[2])
        except ValueError:
            continue
        if j.get("code") == "busy":
            json_busy += 1
        if str(j.get("error", "")).startswith("Server sedang sibuk"):
            bid += 1
        if "batas waktu habis" in str(j.get("error", "")):
            late += 1
    print("uploads=%d" % len(res))
    print("up_200=%d" % n200)
    print("up_503=%d" % len(busy))
    print("up_other=%d" % (len(res) - n200 - len(busy)))
    print("up_503_retry_after=%d" % retry)
    print("up_503_json_busy=%d" % json_busy)
    print("up_503_bahasa_first=%d" % bid)
    print("up_503_deadline=%d" % late)
    print("up_max_s=%.2f" % max(r[3] for r in res))
    print("elapsed_s=%.1f" % elapsed)
    for k, v in probes.items():
        lat = sorted(dt for _, dt in v)
        print("%s_n=%d" % (k, len(v)))
        print("%s_ok=%d" % (k, sum(1 for st, _ in v if st == 200)))
        print("%s_max_s=%.3f" % (k, lat[-1] if lat else -1))
        print("%s_p50_s=%.3f" % (k, lat[len(lat) // 2] if lat else -1))


if __name__ == "__main__":
    main()
