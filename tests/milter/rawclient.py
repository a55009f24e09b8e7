#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# rawclient.py SOCKET PIDFILE : the MTA side of the milter protocol by hand,
# to check that SIGTERM lets a message in progress finish.  Sends a message
# up to the body, then SIGTERM to the milter, then end-of-message, and
# prints what came back, one line per reply: "insheader NAME", "accept"...
import os, signal, socket, struct, sys, time

def pkt(cmd, data=b""):
    return struct.pack(">I", len(data) + 1) + cmd + data

def read(s):
    hdr = b""
    while len(hdr) < 4:
        c = s.recv(4 - len(hdr))
        if not c:
            raise EOFError("milter closed the connection")
        hdr += c
    n = struct.unpack(">I", hdr)[0]
    body = b""
    while len(body) < n:
        c = s.recv(n - len(body))
        if not c:
            raise EOFError("milter closed the connection")
        body += c
    return body[:1], body[1:]

sock, pid = sys.argv[1], int(open(sys.argv[2]).read())
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
s.sendall(pkt(b"O", struct.pack(">III", 6, 0x1FF, 0)))
read(s)
def step(cmd, data=b""):
    s.sendall(pkt(cmd, data))
    return read(s)
step(b"C", b"localhost\x00" + b"4" + struct.pack(">H", 0) + b"127.0.0.1\x00")
step(b"H", b"localhost\x00")
step(b"M", b"<alice@example.test>\x00")
step(b"R", b"<bob@example.test>\x00")
for name, value in ((b"From", b" alice@example.test"), (b"Subject", b" term")):
    step(b"L", name + b"\x00" + value + b"\x00")
step(b"N")
step(b"B", b"body line\r\n")
os.kill(pid, signal.SIGTERM)
time.sleep(0.5)
s.sendall(pkt(b"E"))
try:
    while True:
        cmd, data = read(s)
        if cmd in (b"i", b"h"):
            print("insheader", data[4:].split(b"\x00")[0].decode() if cmd == b"i" else data.split(b"\x00")[0].decode())
        elif cmd == b"a":
            print("accept"); break
        elif cmd == b"c":
            print("continue"); break
        else:
            print("reply", cmd.decode()); break
except EOFError as e:
    print("error:", e)
