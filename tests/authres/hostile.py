#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""hostile.py - hostile From, HELO, MAIL FROM, PRA and DKIM tag values go
through the library's real code (tests/authres/arfmt) into one
Authentication-Results field each; every field must parse back with a
real A-R parser (python3-authres) into exactly the results we meant: the
same methods, results and ptype.property values, nothing more.  Also: the
field is 7-bit, folds only with CRLF + white space, no line passes 998
characters and the whole field stays far below libmilter's 64 KiB.

python3-authres gives a quoted-string's content with its quoted-pairs
as written (a\\"b for "a\\"b"), so the expected values below are written
that way.  An address whose local-part is a dot-atom or a quoted-string is
written as it is ([local-part] "@" domain-name, RFC 8601 pvalue), anything
else as one quoted-string.  A PRA whose domain does not exist is a Sender
ID fail (RFC 4406 section 5).

Usage: hostile.py ARFMT   (prints PASS:/FAIL: lines)
"""
import subprocess
import sys

try:
    import authres
except ImportError:
    print("FAIL: hostile A-R values: python3-authres (scripts/install-deps.sh) is installed: import authres failed")
    sys.exit(0)

LONG = "a" * 300
HUGE = "b" * 60000

# (kind, label, value, expected results [(method, result, {prop: value})])
ROWS = [
    # From: the author address, as the milter's dkim-adsp resinfo
    ("from", "From with ; and = inside the angle-addr injects nothing",
     "<x@evil.example;dkim=pass;spf=pass>",
     [("dkim-adsp", "permerror", {})]),
    ("from", "From with an address in the quoted display-name",
     '"Joe <joe@bank.example>" <joe@evil.example>',
     [("dkim-adsp", "pass", {"header.from": "joe@evil.example"})]),
    ("from", "From with A-R text after the addr-spec",
     "x@evil.example;dkim=pass", [("dkim-adsp", "permerror", {})]),
    ("from", "From with ; in a quoted local-part is one quoted value",
     '"a;dkim=pass"@evil.example',
     [("dkim-adsp", "pass", {"header.from": '"a;dkim=pass"@evil.example'})]),
    ("from", "From with a folded quoted local-part",
     '"a\\r\\n b"@evil.example',
     [("dkim-adsp", "pass", {"header.from": '"a b"@evil.example'})]),
    ("from", "From with two mailboxes is reported, not picked",
     "a@bank.example, b@evil.example", [("dkim-adsp", "permerror", {})]),
    ("from", "From with an encoded-word display-name",
     "=?utf-8?q?Bank?= <a@evil.example>",
     [("dkim-adsp", "pass", {"header.from": "a@evil.example"})]),
    ("from", "From with a UTF-8 address is not shown",
     "j\\xc3\\xb6rg@evil.example", [("dkim-adsp", "pass", {})]),
    ("from", "From with an A-R in a comment",
     "(dkim=pass) a@evil.example (x; spf=pass)",
     [("dkim-adsp", "pass", {"header.from": "a@evil.example"})]),
    ("from", "From with escaped quotes in the local-part",
     '"\\\\"a\\\\""@evil.example',
     [("dkim-adsp", "pass", {"header.from": '"\\"a\\""@evil.example'})]),
    ("from", "From with a 300-byte local-part is not shown",
     LONG + "@evil.example", [("dkim-adsp", "pass", {})]),
    ("from", "From with an obs-route",
     "<@bank.example:a@evil.example>",
     [("dkim-adsp", "pass", {"header.from": "a@evil.example"})]),
    ("from", "From with a domain-literal",
     "a@[192.0.2.1]",
     [("dkim-adsp", "pass", {"header.from": "a@[192.0.2.1]"})]),
    ("from", "From with parentheses in a quoted local-part",
     '"a)b(c"@evil.example',
     [("dkim-adsp", "pass", {"header.from": '"a)b(c"@evil.example'})]),
    ("from", "From with a CRLF and a new field",
     "a@evil.example\\r\\nAuthentication-Results: mx.example.jp; dkim=pass",
     [("dkim-adsp", "permerror", {})]),
    ("from", "From with a quoted dot as local-part",
     '"."@evil.example',
     [("dkim-adsp", "pass", {"header.from": '"."@evil.example'})]),
    # HELO
    ("helo", "HELO with ; and a result", "evil.example;dkim=pass",
     [("spf", "none", {"smtp.helo": "evil.example;dkim=pass"})]),
    ("helo", "HELO with CRLF and a field", "evil.example\\r\\nX-Injected: 1",
     [("spf", "none", {})]),
    ("helo", "HELO with a bare LF", "evil.example\\nspf=pass",
     [("spf", "none", {})]),
    ("helo", "HELO with a bare CR", "evil.example\\rspf=pass",
     [("spf", "none", {})]),
    ("helo", "HELO as an address literal", "[192.0.2.1]",
     [("spf", "none", {"smtp.helo": "[192.0.2.1]"})]),
    ("helo", "HELO with a quote", 'a"b.example',
     [("spf", "none", {"smtp.helo": 'a\\"b.example'})]),
    ("helo", "HELO with a backslash", "a\\\\b.example",
     [("spf", "none", {"smtp.helo": "a\\\\b.example"})]),
    ("helo", "HELO of 300 bytes is not shown", LONG,
     [("spf", "none", {})]),
    ("helo", "HELO with a comment", "(dkim=pass) x.example",
     [("spf", "none", {"smtp.helo": "(dkim=pass) x.example"})]),
    ("helo", "HELO with a control character", "a\\x01b.example",
     [("spf", "none", {})]),
    ("helo", "HELO with 8-bit bytes", "h\\xc3\\xa9llo.example",
     [("spf", "none", {})]),
    # MAIL FROM
    ("mailfrom", "MAIL FROM with ; and a result", "x@evil.example;dkim=pass",
     [("spf", "none", {"smtp.mailfrom": "x@evil.example;dkim=pass"})]),
    ("mailfrom", "MAIL FROM of 60 KB is left out, the field stays small",
     HUGE + "@evil.example", [("spf", "none", {})]),
    ("mailfrom", "MAIL FROM with a quoted local-part",
     '"a b"@x.example',
     [("spf", "none", {"smtp.mailfrom": '"a b"@x.example'})]),
    ("mailfrom", "MAIL FROM with CRLF and a result",
     "a@x.example\\r\\nspf=pass", [("spf", "none", {})]),
    ("mailfrom", "MAIL FROM with = in the local-part", "a=b@x.example",
     [("spf", "none", {"smtp.mailfrom": "a=b@x.example"})]),
    ("mailfrom", "MAIL FROM with a slash", "a/b@x.example",
     [("spf", "none", {"smtp.mailfrom": "a/b@x.example"})]),
    ("mailfrom", "MAIL FROM with parentheses", "a(b)@x.example",
     [("spf", "none", {"smtp.mailfrom": "a(b)@x.example"})]),
    ("mailfrom", "MAIL FROM with a NUL-like escape stays text",
     "a\\\\x00b@x.example",
     [("spf", "none", {"smtp.mailfrom": "a\\\\x00b@x.example"})]),
    # Sender ID PRA
    ("pra", "PRA From with two mailboxes is a permerror with header.from",
     "From: a@x.example, b@x.example\\r\\n",
     [("sender-id", "permerror",
       {"header.from": "a@x.example, b@x.example"})]),
    ("pra", "PRA Sender with ; is reported with header.sender",
     "From: a@x.example\\r\\nSender: <x@evil.example;spf=pass>\\r\\n",
     [("sender-id", "permerror",
       {"header.sender": "<x@evil.example;spf=pass>"})]),
    ("pra", "PRA From folded with a field name in it",
     "From: <a@x.example>\\r\\n\\tX-Evil: 1\\r\\n",
     [("sender-id", "permerror",
       {"header.from": "<a@x.example> X-Evil: 1"})]),
    ("pra", "PRA with an address in the display-name",
     'From: "Joe <joe@bank.example>" <joe@evil.example>\\r\\n',
     [("sender-id", "fail", {"header.from": "joe@evil.example"})]),
    ("pra", "PRA without From", "Subject: x\\r\\n",
     [("sender-id", "permerror", {"header.from": ""})]),
    # DKIM-Signature tag values (quoted in the reason comment)
    ("tag", "d= folded with a bare CR in the reason",
     "v=1; a=rsa-sha256; d=exa\\r\\n\\tmple..com; s=sel",
     [("dkim", "permerror", {})]),
    ("tag", "s= with parentheses",
     "v=1; a=rsa-sha256; d=example.com; s=se)l(; b=AAAA; bh=AAAA; h=from",
     [("dkim", "permerror", {"header.d": "example.com"})]),
    ("tag", "v= with a backslash",
     "v=2\\\\)\\\\; d=example.com", [("dkim", "permerror", {})]),
    ("tag", "a= with an A-R in it",
     "v=1; d=example.com; s=sel; a=rsa-sha256(dkim=pass)",
     [("dkim", "permerror",
       {"header.d": "example.com", "header.s": "sel"})]),
    ("tag", "i= in quoted-printable decoding to ; and =",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA; "
     "i==22a=3Bdkim=3Dpass=22@example.com",
     [("dkim", "temperror",
       {"header.d": "example.com", "header.s": "sel",
        "header.i": '"a;dkim=pass"@example.com',
        "header.a": "rsa-sha256", "header.b": "AAAA"})]),
    ("tag", "i= decoding to 8-bit is not shown",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA; "
     "i==C3=B6@example.com",
     [("dkim", "temperror",
       {"header.d": "example.com", "header.s": "sel",
        "header.a": "rsa-sha256", "header.b": "AAAA"})]),
    ("tag", "h= of 5000 bytes without From",
     "v=1; a=rsa-sha256; d=example.com; s=sel; bh=AAAA; b=AAAA; h="
     + ":".join(["x-a"] * 1250),
     [("dkim", "permerror",
       {"header.d": "example.com", "header.s": "sel",
        "header.a": "rsa-sha256", "header.b": "AAAA"})]),
    # comment text
    ("comment", "a reason that closes the comment and adds a result",
     "a) ; dkim=pass (b",
     [("dkim", "fail", {"header.d": "example.com", "header.s": "sel",
                        "header.a": "rsa-sha256"})]),
    ("comment", "a reason with CRLF and a field",
     "x\\r\\nX-Injected: yes", [("dkim", "fail",
                                  {"header.d": "example.com",
                                   "header.s": "sel",
                                   "header.a": "rsa-sha256"})]),
    ("comment", "a reason ending in a backslash", "x\\\\",
     [("dkim", "fail", {"header.d": "example.com", "header.s": "sel",
                        "header.a": "rsa-sha256"})]),
    ("comment", "a reason of 1000 closing parentheses", ")" * 1000,
     [("dkim", "fail", {"header.d": "example.com", "header.s": "sel",
                        "header.a": "rsa-sha256"})]),
    ("comment", "a reason with 8-bit bytes", "\\xff\\xfe(",
     [("dkim", "fail", {"header.d": "example.com", "header.s": "sel",
                        "header.a": "rsa-sha256"})]),
]

# 150 long results: the field stays under 64 KiB and parses (the rest are
# counted in a comment).
MANY = ("many", "150 results with long reasons stay under 64 KiB",
        "r" * 5000)


def escape(s):
    return s.replace("\n", "\\n").replace("\t", "\\t")


def framing_ok(data):
    """7-bit, CR only before LF, LF only after CR and before WSP."""
    if any(b > 0x7e or (b < 0x20 and b not in (9, 10, 13)) for b in data):
        return "a control or 8-bit byte"
    for i, b in enumerate(data):
        if b == 13 and (i + 1 >= len(data) or data[i + 1] != 10):
            return "a bare CR"
        if b == 10 and (i == 0 or data[i - 1] != 13 or i + 1 >= len(data)
                        or data[i + 1] not in (9, 32)):
            return "a line end that starts a new field"
    if any(len(line) > 998 for line in data.split(b"\r\n")):
        return "a line longer than 998"
    return None


def parse(data):
    hdr = authres.AuthenticationResultsHeader.parse(
        "Authentication-Results:" + data.decode("ascii"))
    got = []
    for r in hdr.results:
        props = {}
        for p in r.properties:
            props["%s.%s" % (p.type, p.name)] = p.value
        got.append((r.method, r.result, props))
    return hdr.authserv_id, got


def run(arfmt, rows):
    inp = "".join("%s\t%s\t%s\n" % (k, label, escape(v))
                  for k, label, v, *_ in rows)
    out = subprocess.run([arfmt], input=inp.encode("latin-1"),
                         stdout=subprocess.PIPE, check=True).stdout
    fields, pos = {}, 0
    while pos < len(out):
        nl = out.index(b"\n", pos)
        label = out[pos + 4:nl].decode()
        nl2 = out.index(b"\n", nl + 1)
        n = int(out[nl + 1:nl2])
        fields[label] = out[nl2 + 1:nl2 + 1 + n]
        pos = nl2 + 1 + n + 1
    return fields


def check(label, data, want):
    if data is None:
        return "no field"
    bad = framing_ok(data)
    if bad:
        return bad
    if len(data) > 32768:
        return "field of %d bytes" % len(data)
    try:
        servid, got = parse(data)
    except Exception as e:  # the parser refused it
        return "does not parse: %s: %r" % (e, data[:300])
    if servid != "mx.example.jp":
        return "authserv-id %r" % servid
    if want is not None and got != want:
        return "got %r, want %r (%r)" % (got, want, data[:400])
    return None


def main():
    arfmt = sys.argv[1]
    fields = run(arfmt, ROWS + [MANY])
    fails = 0
    for kind, label, value, want in ROWS:
        why = check(label, fields.get(label), want)
        name = "%s: %s" % (kind, label)
        if why:
            fails += 1
            print("FAIL: %s: %s" % (name, why))
        else:
            print("PASS: %s" % name)
    data = fields.get(MANY[1])
    why = check(MANY[1], data, None)
    if why is None:
        _, got = parse(data)
        if not got or any(g[:2] != ("dkim", "fail") for g in got) or \
           b"more results not shown" not in data:
            why = "%d results, %r" % (len(got), data[-80:])
    print(("FAIL: %s: %s" % (MANY[1], why)) if why else
          ("PASS: %s" % MANY[1]))
    n = len(ROWS)
    print(("PASS" if n >= 40 else "FAIL") +
          ": the hostile table has at least 40 rows (%d)" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
