#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# mclient.py SOCKET MESSAGE [CLIENT_IP [J]] : the MTA side of the milter
# protocol (version 6, no step left out, every modification allowed) for
# one message read from the file MESSAGE (headers, blank line, body).
# At connect it sends the macro j (the MTA's host name) as J, by default
# mx.example.test; J "-" sends no j.
# Prints what the milter asked for at end of message, one line each
# (values unfolded):
#   insheader INDEX NAME: VALUE | addheader NAME: VALUE |
#   chgheader NAME INDEX: VALUE | delheader NAME INDEX
# then the final reply (accept, continue, tempfail, reject, discard...,
# or "replycode CODE TEXT" for a reply the milter wrote), which may come
# before end of message.
import socket, struct, sys

def pkt(cmd, data=b""):
    return struct.pack(">I", len(data) + 1) + cmd + data

def recv_all(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("milter closed the connection")
        b += c
    return b

def read(s):
    n = struct.unpack(">I", recv_all(s, 4))[0]
    body = recv_all(s, n)
    return body[:1], body[1:]

def unfold(value):
    """A field value on one line (RFC 5322 unfolding), for grep."""
    return value.decode().replace("\r\n", "").replace("\n", "")

FINAL = {b"a": "accept", b"c": "continue", b"t": "tempfail",
         b"r": "reject", b"d": "discard", b"y": "replycode"}

def final(r, d):
    """Prints a final reply, with its text when it is a replycode."""
    if r == b"y":
        print("replycode " + d.rstrip(b"\x00").decode(errors="replace"))
    else:
        print(FINAL[r])

def step(s, cmd, data=b""):
    """Sends one command; a final answer before end of message ends it."""
    s.sendall(pkt(cmd, data))
    while True:
        r, d = read(s)
        if r == b"p":  # progress
            continue
        if r in FINAL and r != b"c":
            final(r, d)
            sys.exit(0)
        return r, d

path, msgfile = sys.argv[1], sys.argv[2]
ip = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
j = sys.argv[4] if len(sys.argv) > 4 else "mx.example.test"
raw = open(msgfile, "rb").read().replace(b"\r\n", b"\n")
head, _, body = raw.partition(b"\n\n")
fields = []
for line in head.split(b"\n"):
    if line[:1] in (b" ", b"\t") and fields:
        fields[-1][1] += b"\r\n" + line
    else:
        name, _, value = line.partition(b":")
        fields.append([name, value])
s = socket.socket(socket.AF_UNIX)
s.connect(path)
s.sendall(pkt(b"O", struct.pack(">III", 6, 0x1FF, 0)))
read(s)
if j != "-":
    s.sendall(pkt(b"D", b"C" + b"j\x00" + j.encode() + b"\x00"))
step(s, b"C", b"client.example\x00" + b"4" + struct.pack(">H", 0) +
     ip.encode() + b"\x00")
step(s, b"H", b"client.example\x00")
s.sendall(pkt(b"D", b"M" + b"i\x00ABC123\x00"))
step(s, b"M", b"<sender@example.test>\x00")
step(s, b"R", b"<rcpt@example.org>\x00")
for name, value in fields:
    step(s, b"L", name + b"\x00" + value + b"\x00")
step(s, b"N")
if body:
    step(s, b"B", body.replace(b"\n", b"\r\n"))
s.sendall(pkt(b"E"))
while True:
    r, d = read(s)
    if r == b"p":
        continue
    if r == b"i":
        idx = struct.unpack(">I", d[:4])[0]
        name, value = d[4:].split(b"\x00")[:2]
        print("insheader %d %s:%s" % (idx, name.decode(), unfold(value)))
    elif r == b"h":
        name, value = d.split(b"\x00")[:2]
        print("addheader %s:%s" % (name.decode(), unfold(value)))
    elif r == b"m":
        idx = struct.unpack(">I", d[:4])[0]
        name, value = d[4:].split(b"\x00")[:2]
        if value:
            print("chgheader %s %d:%s" % (name.decode(), idx, unfold(value)))
        else:
            print("delheader %s %d" % (name.decode(), idx))
    elif r in FINAL:
        final(r, d)
        break
    else:
        print("reply", r.decode())
        break
