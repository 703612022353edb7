#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One OCSP request over HTTP POST, for the sample checks:

    fetch.py URL REQ.der RESP.der

Sends headers and body in one write (http.client does that for a bytes
body): `openssl ocsp -port` (OpenSSL 3.0) fails to parse a request whose
body arrives in a later segment, as curl sends it.  Exit status 0 when
the answer is HTTP 200; the body is written to RESP.der either way."""
import http.client
import sys
import urllib.parse

url, req, out = sys.argv[1:4]
u = urllib.parse.urlsplit(url)
body = open(req, "rb").read()
c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
c.request("POST", u.path or "/", body=body,
          headers={"Content-Type": "application/ocsp-request", "Connection": "close"})
r = c.getresponse()
data = r.read()
with open(out, "wb") as f:
    f.write(data)
print(f"http={r.status} bytes={len(data)} ctype={r.getheader('Content-Type')}")
sys.exit(0 if r.status == 200 else 1)
