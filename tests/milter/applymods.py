#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
# applymods.py MESSAGE MODS: the message as the MTA would pass it on
# after the milter's changes, on standard output with CRLF line ends.
# MODS is what mclient.py printed: "insheader INDEX NAME:VALUE",
# "addheader NAME:VALUE", "chgheader NAME INDEX:VALUE" and
# "delheader NAME INDEX" lines, applied in order (INDEX of chg/del: the
# Nth field of that name, from 1; of insheader: the position from the
# top, 0 first); other lines are ignored.
import sys

raw = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
head, _, body = raw.partition(b"\n\n")
fields = []  # [name, value] with value as after the colon, folds kept
for line in head.split(b"\n"):
    if line[:1] in (b" ", b"\t") and fields:
        fields[-1][1] += b"\r\n" + line
    else:
        name, _, value = line.partition(b":")
        fields.append([name, value])


def nth(name, n):
    """Position in fields of the n-th field named name, or None."""
    k = 0
    for i, (fname, _) in enumerate(fields):
        if fname.lower() == name.lower():
            k += 1
            if k == n:
                return i
    return None


for line in open(sys.argv[2], "rb").read().split(b"\n"):
    word, _, rest = line.partition(b" ")
    if word == b"insheader":
        idx, _, nv = rest.partition(b" ")
        name, _, value = nv.partition(b":")
        fields.insert(int(idx), [name, value])
    elif word == b"addheader":
        name, _, value = rest.partition(b":")
        fields.append([name, value])
    elif word in (b"chgheader", b"delheader"):
        name, _, iv = rest.partition(b" ")
        idx, _, value = iv.partition(b":")
        pos = nth(name, int(idx))
        if pos is None:
            continue
        if word == b"delheader":
            del fields[pos]
        else:
            fields[pos][1] = value
out = b"".join(n + b":" + v + b"\r\n" for n, v in fields)
sys.stdout.buffer.write(out + b"\r\n" + body.replace(b"\n", b"\r\n"))
