#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""dkimpy_side.py: the dkimpy half of dkimpy-interop.sh, one process for
every message (python3-dkim, run by /usr/bin/python3).

  dkimpy_side.py verify KEYDIR LIST
      LIST lines: CHECK<TAB>CANON<TAB>ALG<TAB>INPUT<TAB>SIGNED
      SIGNED is what dkimsa-sign wrote for INPUT.  Prints "PASS: CHECK"
      when SIGNED is INPUT with exactly one DKIM-Signature header added at
      the top, its a= and c= are ALG and CANON, and dkimpy verifies it;
      otherwise "FAIL: CHECK: reason".
  dkimpy_side.py sign KEYDIR LIST OKLIST
      LIST lines: CHECK<TAB>CANON<TAB>ALG<TAB>INPUT<TAB>OUTPUT
      Signs INPUT with dkimpy (selector rsa2048 or ed25519, d=example.com)
      and writes the signed message to OUTPUT, keeping INPUT's line ends;
      copies the LIST line to OKLIST.  When dkimpy cannot sign, prints
      "FAIL: CHECK: dkimpy could not sign: reason" instead.

KEYDIR holds rsa2048.pkcs1.pem (PKCS#1 PEM, what dkimpy reads),
ed25519.seed (base64 32-byte seed, dkimpy's ed25519 key format) and the
key records rsa2048.txt and ed25519.txt.
"""

import logging
import os
import sys

import dkim

DOMAIN = b"example.com"
SELECTOR = {b"rsa-sha256": b"rsa2048", b"ed25519-sha256": b"ed25519"}


class ListLog(logging.Handler):
    """Keeps dkimpy's error messages for the FAIL detail."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def read(path):
    with open(path, "rb") as f:
        return f.read()


def load_records(keydir):
    recs = {}
    for sel in SELECTOR.values():
        txt = read(os.path.join(keydir, sel.decode() + ".txt")).strip()
        recs[sel + b"._domainkey." + DOMAIN] = txt
    return recs


def split_first_field(msg):
    """(first header field with its continuation lines, the rest)."""
    pos = msg.find(b"\n")
    pos = len(msg) if pos < 0 else pos + 1
    while pos < len(msg) and msg[pos:pos + 1] in (b" ", b"\t"):
        nxt = msg.find(b"\n", pos)
        pos = len(msg) if nxt < 0 else nxt + 1
    return msg[:pos], msg[pos:]


def first_difference(a, b):
    n = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]),
             min(len(a), len(b)))
    return "output differs from input at byte %d after the signature " \
           "(input %r, output %r; lengths %d/%d)" % (
               n, a[max(0, n - 10):n + 10], b[max(0, n - 10):n + 10],
               len(a), len(b))


def check_signed(canon, alg, inp, signed, recs, log):
    """None when SIGNED verifies as expected, else the reason."""
    first, rest = split_first_field(signed)
    if not first.lower().startswith(b"dkim-signature:"):
        return "first header is not DKIM-Signature: %r" % first[:60]
    if rest != inp:
        return first_difference(inp, rest)

    def dnsfunc(name, timeout=5):
        return recs.get(name.rstrip(b".").lower())

    d = dkim.DKIM(signed, logger=log, minkey=1024)
    nsig = sum(1 for h, _ in d.headers if h.lower() == b"dkim-signature")
    if nsig != 1:
        return "%d DKIM-Signature headers, expected 1" % nsig
    try:
        ok = d.verify(dnsfunc=dnsfunc)
    except Exception as e:  # dkimpy raises for hash mismatch, bad tags
        return "dkimpy: %s: %s" % (type(e).__name__, e)
    if not ok:
        return "dkimpy: signature does not verify"
    sf = d.signature_fields
    c = sf.get(b"c", b"simple/simple")
    if b"/" not in c:
        c += b"/simple"
    if sf.get(b"a") != alg or c != canon:
        return "signature has a=%s c=%s, asked for %s %s" % (
            sf.get(b"a", b"").decode(), c.decode(), alg.decode(),
            canon.decode())
    return None


def cmd_verify(keydir, listfile):
    recs = load_records(keydir)
    handler = ListLog()
    log = logging.getLogger("dkimpy-interop")
    log.addHandler(handler)
    log.setLevel(logging.ERROR)
    log.propagate = False
    for line in read(listfile).decode("utf-8").splitlines():
        check, canon, alg, inp, signed = line.split("\t")
        handler.lines = []
        try:
            why = check_signed(canon.encode(), alg.encode(), read(inp),
                               read(signed), recs, log)
        except Exception as e:
            why = "checker error: %s: %s" % (type(e).__name__, e)
        if why is None:
            print("PASS: %s" % check)
        else:
            extra = "; ".join(handler.lines)
            print("FAIL: %s: %s%s" % (check, why,
                                      " (" + extra + ")" if extra else ""))
    return 0


def cmd_sign(keydir, listfile, oklist):
    keys = {
        b"rsa-sha256": read(os.path.join(keydir, "rsa2048.pkcs1.pem")),
        b"ed25519-sha256": read(os.path.join(keydir, "ed25519.seed")).strip(),
    }
    with open(oklist, "w", encoding="utf-8") as ok:
        for line in read(listfile).decode("utf-8").splitlines():
            check, canon, alg, inp, out = line.split("\t")
            msg = read(inp)
            linesep = b"\r\n" if b"\r\n" in msg else b"\n"
            h, b = canon.encode().split(b"/")
            try:
                sig = dkim.sign(msg, SELECTOR[alg.encode()], DOMAIN,
                                keys[alg.encode()], canonicalize=(h, b),
                                signature_algorithm=alg.encode(),
                                linesep=linesep)
            except Exception as e:
                print("FAIL: %s: dkimpy could not sign: %s: %s"
                      % (check, type(e).__name__, e))
                continue
            with open(out, "wb") as f:
                f.write(sig + msg)
            ok.write(line + "\n")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "verify":
        return cmd_verify(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == "sign":
        return cmd_sign(argv[2], argv[3], argv[4])
    sys.stderr.write("usage: dkimpy_side.py verify KEYDIR LIST | "
                     "sign KEYDIR LIST OKLIST\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
