#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# dnsfault.py MODE [ARG] - a faulty DNS server on 127.0.0.1 (UDP) for the
# fault tests.  Prints its port on the first line of stdout, then serves
# until killed.
#   servfail        answers every query SERVFAIL at once
#   slow PORT SECS  forwards every query to 127.0.0.1:PORT (nsd) and
#                   gives the answer back SECS seconds later
import socket
import sys
import threading
import time


def question_end(q):
    """Offset just past the question section (RFC 1035 4.1.2)."""
    i = 12
    while i < len(q) and q[i] != 0:
        i += q[i] + 1
    return i + 5


def servfail(q):
    # ID, QR=1 + opcode and RD of the query, RA=1 + RCODE 2, one question
    flags = bytes([0x80 | (q[2] & 0x79), 0x82])
    return q[:2] + flags + b"\x00\x01" + b"\x00" * 6 + q[12:question_end(q)]


def slow(srv, q, peer, port, secs):
    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    up.settimeout(5)
    try:
        up.sendto(q, ("127.0.0.1", port))
        answer = up.recv(65535)
    except OSError:
        return
    finally:
        up.close()
    time.sleep(secs)
    srv.sendto(answer, peer)


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    print(srv.getsockname()[1], flush=True)
    sys.stdout.close()
    while True:
        q, peer = srv.recvfrom(65535)
        if len(q) < 17:
            continue
        if sys.argv[1] == "servfail":
            srv.sendto(servfail(q), peer)
        else:
            threading.Thread(target=slow, daemon=True,
                             args=(srv, q, peer, int(sys.argv[2]),
                                   float(sys.argv[3]))).start()


main()
