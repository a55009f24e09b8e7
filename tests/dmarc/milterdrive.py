#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# milterdrive.py SOCKET < rows : the MTA side of the milter protocol
# (version 6), one connection per row, for the OpenDMARC oracle
# (tests/dmarc/oracle-opendmarc.sh).  Each input line is JSON:
#   {"name", "ip", "helo", "mail_from", "headers": [[name, value], ...],
#    "body"}
# Each output line: NAME TAB ACTION TAB ADDED-HEADERS, where ACTION is
# the final reply (accept, continue, reject, tempfail, discard, or
# "replycode CODE TEXT") and ADDED-HEADERS the "Name: value" fields the
# milter added or inserted, joined by " || ".
import json, socket, struct, sys


def dec(b):
    """Bytes as text; bytes that are not UTF-8 kept (surrogateescape)."""
    return b.decode("utf-8", "surrogateescape")


def pkt(cmd, data=b""):
    return struct.pack(">I", len(data) + 1) + cmd + data


def read(s):
    def exact(n):
        buf = b""
        while len(buf) < n:
            c = s.recv(n - len(buf))
            if not c:
                raise EOFError("milter closed the connection")
            buf += c
        return buf
    (n,) = struct.unpack(">I", exact(4))
    body = exact(n)
    return body[:1], body[1:]


FINAL = {b"a": "accept", b"c": "continue", b"r": "reject",
         b"t": "tempfail", b"d": "discard"}


def run(sockpath, row):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(20)
    s.connect(sockpath)
    added = []

    def step(cmd, data=b""):
        s.sendall(pkt(cmd, data))
        while True:
            c, d = read(s)
            if c == b"h":
                name, value = d.split(b"\0")[:2]
                added.append("%s:%s" % (name.decode(), dec(value)))
            elif c == b"i":
                name, value = d[4:].split(b"\0")[:2]
                added.append("%s:%s" % (name.decode(), dec(value)))
            elif c in (b"q", b"p", b"m", b"e", b"+", b"-", b"2", b"s"):
                if c == b"q":
                    added.append("(quarantine %s)" % dec(d.rstrip(b"\0")))
                continue
            elif c == b"y":
                return "replycode " + dec(d.rstrip(b"\0"))
            else:
                return FINAL.get(c, "unknown " + c.decode("latin-1"))

    s.sendall(pkt(b"O", struct.pack(">III", 6, 0x1FF, 0)))
    read(s)
    enc = lambda t: t.encode("utf-8", "surrogateescape") + b"\0"
    r = step(b"C", enc("client.example") + b"4" + struct.pack(">H", 25) +
             enc(row["ip"]))
    if r == "continue":
        r = step(b"H", enc(row["helo"]))
    if r == "continue":
        r = step(b"M", enc("<%s>" % row["mail_from"]))
    if r == "continue":
        r = step(b"R", enc("<rcpt@example.net>"))
    for name, value in row["headers"]:
        if r != "continue":
            break
        r = step(b"L", enc(name) + enc(" " + value))
    if r == "continue":
        r = step(b"N")
    if r == "continue":
        r = step(b"B", row["body"].encode())
    if r == "continue":
        r = step(b"E")
    try:
        s.sendall(pkt(b"Q"))
    except OSError:
        pass
    s.close()
    return r, added


def main():
    # a From field may hold bytes that are not UTF-8 (hostile rows)
    sys.stdout.reconfigure(errors="surrogateescape")
    for line in sys.stdin:
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            action, added = run(sys.argv[1], row)
        except (OSError, EOFError) as e:
            action, added = "error %s" % e, []
        print("%s\t%s\t%s" % (row["name"], action,
                              " || ".join(" ".join(a.split()) for a in added)))
        sys.stdout.flush()


main()
