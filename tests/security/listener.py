#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A TCP listener on loopback that records every connection (issue 19).

usage: listener.py LOG PORTFILE [SECONDS]

Listens on 127.0.0.1 and, when the machine has it, [::1], on one free port
(written to PORTFILE).  Each connection appends one line to LOG: the
address family and the request line ("POST /ocsp HTTP/1.1"), or "-" when
nothing came within 2 s.  Paths starting with /slow are answered after 3 s
(for the time budget); every answer is 404 with an empty body.  Stops by
itself after SECONDS (default 600), so a test that dies leaves nothing
behind.  Never binds anything but loopback.
"""
import socket
import sys
import threading
import time

log_path, port_file = sys.argv[1], sys.argv[2]
lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
lock = threading.Lock()


def record(line):
    with lock:
        with open(log_path, "a") as f:
            f.write(line + "\n")


def serve(conn, fam):
    conn.settimeout(2.0)
    data = b""
    try:
        while b"\r\n" not in data and len(data) < 8192:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    first = data.split(b"\r\n", 1)[0].decode("latin-1").strip() or "-"
    record("%s %s" % (fam, first))
    try:
        parts = first.split()
        if len(parts) > 1 and parts[1].startswith("/slow"):
            time.sleep(3.0)
        conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    except OSError:
        pass
    conn.close()


def accept_loop(sock, fam):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(conn, fam), daemon=True).start()


s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s4.bind(("127.0.0.1", 0))
port = s4.getsockname()[1]
s4.listen(64)
socks = [(s4, "v4")]
try:
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s6.bind(("::1", port))
    s6.listen(64)
    socks.append((s6, "v6"))
except OSError:
    pass
for s, fam in socks:
    threading.Thread(target=accept_loop, args=(s, fam), daemon=True).start()
with open(port_file + ".tmp", "w") as f:
    f.write("%d %s\n" % (port, " ".join(fam for _, fam in socks)))
import os
os.rename(port_file + ".tmp", port_file)
time.sleep(lifetime)
