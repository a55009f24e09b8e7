#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# dkimpy_check.py MESSAGE NAME=RECORDFILE... : verifies every DKIM-Signature
# of MESSAGE with dkimpy (the interop oracle), keys from the record files.
# Prints one line per signature: "<index> <d=> <a=> pass|fail".
import sys

import dkim

records = {}
for arg in sys.argv[2:]:
    name, path = arg.split("=", 1)
    records[name.lower().rstrip(".") + "."] = open(path, "rb").read().strip()

def dnsfunc(name, timeout=5):
    return records.get(name.decode().lower().rstrip(".") + ".")

msg = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
# Postfix's delivery headers above the signatures are not signed; keep them.
d = dkim.DKIM(msg)
n = 0
for i, (name, value) in enumerate(d.headers):
    if name.lower() != b"dkim-signature":
        continue
    sig = dkim.parse_tag_value(value)
    ok = dkim.DKIM(msg).verify(idx=n, dnsfunc=dnsfunc)
    print(n, sig[b"d"].decode(), sig[b"a"].decode(), "pass" if ok else "fail")
    n += 1
