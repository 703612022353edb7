#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Idle and half-open connections against a sertel server on loopback
(issue 19, point 1).  Only 127.0.0.x addresses are ever used.

usage:
  conn_flood.py burst PORT N CAFILE|-     N connections from 127.0.0.1 (idle,
      a partial TLS record, a full ClientHello never finished), then
      /healthz from 127.0.0.2 while they are open; then all are closed and
      /healthz from 127.0.0.1 and the server's CLOSE-WAIT sockets are
      watched for 5 s.
  conn_flood.py deadline PORT N WAIT CAFILE|-   N such connections, held
      WAIT seconds without a byte more: how many did the server close?
  conn_flood.py hold PORT N WAIT PID CAFILE|-   N such connections held WAIT
      seconds, then closed: the server's (PID) open files before and 3 s
      after, and its CLOSE-WAIT sockets.

CAFILE - : plain HTTP.  Prints key=value lines, one per measurement.
"""
import http.client
import os
import socket
import ssl
import subprocess
import sys
import time

PARTIAL = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"  # a ClientHello cut short


def client_hello():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    inb, outb = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inb, outb)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outb.read()


def open_many(port, n, tls):
    hello = client_hello() if tls else None
    socks = []
    for i in range(n):
        s = socket.socket()
        s.settimeout(5)
        s.bind(("127.0.0.1", 0))
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        try:
            if i % 3 == 1:
                s.send(PARTIAL if tls else b"GET /healthz HTTP/1.1\r\nHost: x")
            elif i % 3 == 2 and tls:
                s.send(hello)
        except OSError:
            pass
        socks.append(s)
    return socks


def server_closed(s):
    """True when the server has closed (EOF or reset) this connection."""
    s.setblocking(False)
    try:
        while True:
            d = s.recv(65536)
            if d == b"":
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def healthz(port, cafile, src, timeout=5.0):
    """(status or 0, seconds) of GET /healthz from source address src."""
    t0 = time.monotonic()
    try:
        if cafile != "-":
            ctx = ssl.create_default_context(cafile=cafile)
            c = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout,
                                            context=ctx, source_address=(src, 0))
        else:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                           source_address=(src, 0))
        c.request("GET", "/healthz")
        st = c.getresponse().status
        c.close()
    except (OSError, http.client.HTTPException):
        st = 0
    return st, time.monotonic() - t0


def close_wait(port):
    out = subprocess.run(["ss", "-tanH", "state", "close-wait",
                          "( sport = :%d )" % port],
                         capture_output=True, text=True, check=True).stdout
    return len([l for l in out.splitlines() if l.strip()])


def burst(port, n, cafile):
    socks = open_many(port, n, cafile != "-")
    print("opened=%d" % len(socks))
    time.sleep(1)
    kept = sum(1 for s in socks if not server_closed(s))
    print("kept=%d" % kept)
    st, dt = healthz(port, cafile, "127.0.0.2")
    print("during_other=%d" % st)
    print("during_other_s=%.3f" % dt)
    for s in socks:
        s.close()
    t0 = time.monotonic()
    st, cw = 0, -1
    while time.monotonic() - t0 < 5:
        if st != 200:
            st, _ = healthz(port, cafile, "127.0.0.1", timeout=2)
        cw = close_wait(port)
        if st == 200 and cw == 0:
            break
        time.sleep(0.2)
    print("after_same=%d" % st)
    print("after_s=%.3f" % (time.monotonic() - t0))
    print("close_wait=%d" % cw)


def deadline(port, n, wait, cafile):
    socks = open_many(port, n, cafile != "-")
    print("opened=%d" % len(socks))
    time.sleep(wait)
    print("closed=%d" % sum(1 for s in socks if server_closed(s)))
    for s in socks:
        s.close()


def open_files(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def hold(port, n, wait, pid, cafile):
    before = open_files(pid)
    socks = open_many(port, n, cafile != "-")
    print("opened=%d" % len(socks))
    time.sleep(wait)
    for s in socks:
        s.close()
    time.sleep(3)
    print("fds_before=%d" % before)
    print("fds_after=%d" % open_files(pid))
    print("close_wait=%d" % close_wait(port))


def main():
    cmd = sys.argv[1]
    if cmd == "burst":
        burst(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif cmd == "deadline":
        deadline(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    elif cmd == "hold":
        hold(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]),
             sys.argv[6])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
