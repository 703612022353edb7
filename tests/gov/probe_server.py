#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Loopback servers for the TLS probe test (tests/gov/test_gov_cover.sh).

probe_server.py MODE PORTFILE [CERT KEY]
  redirect  TLS; every request answers 302 to https://elsewhere.example/x
  plain     no TLS: answers plain HTTP (a non-TLS listener)
Binds 127.0.0.1 on a free port, writes the port to PORTFILE, serves
until killed.
"""
import socket
import ssl
import sys
import threading

mode, portfile = sys.argv[1], sys.argv[2]
ctx = None
if mode == "redirect":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)


def serve(c):
    try:
        c.settimeout(5)
        if ctx is not None:
            c = ctx.wrap_socket(c, server_side=True)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 8192:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
        if mode == "redirect":
            c.sendall(b"HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/x\r\n"
                      b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        else:
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    except Exception:
        pass
    finally:
        try:
            c.close()
        except Exception:
            pass


while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
