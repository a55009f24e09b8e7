#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""gen_messages.py OUTDIR: write the dkimpy interop corpus.

Deterministic (fixed seed): every run writes the same messages, each one
built around an awkward feature of RFC 5322 / RFC 6376 section 3.4 input:
folded and tab-folded headers, trailing whitespace, repeated headers,
empty bodies, bodies of blank lines, no final CRLF, lines over 998
characters, 8-bit UTF-8, bodies over 1 MiB, whitespace runs, LF-only line
ends, and so on.  Writes OUTDIR/NAME.eml per message and prints one
manifest line per message on stdout: "NAME<TAB>PATH".  NAME is
FEATURE-N (N counts from 1 within a feature).

Run with /usr/bin/python3 (standard library only).
"""

import os
import random
import sys

SEED = 6376
CRLF = b"\r\n"

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo "
    "lima mike november oscar papa quebec romeo sierra tango uniform victor "
    "whiskey xray yankee zulu mail header body signature canonical relaxed "
    "simple folded whitespace"
).split()
UTF8_WORDS = [
    "Grüße", "Köln", "naïve", "café", "Ærøskøbing", "Straße", "ĳssel",
    "Ελληνικά", "русский", "日本語", "中文", "한국어", "עברית", "العربية",
    "✓", "☃", "€", "😀", "𝄞",
]


def words(rng, n, pool=WORDS):
    return " ".join(rng.choice(pool) for _ in range(n))


def enc(s):
    return s.encode("utf-8")


def base_headers(rng, name, extra=()):
    """The usual header block; EXTRA lines (bytes, no CRLF) go after To."""
    n = rng.randrange(1, 10**6)
    hdrs = [
        b"Received: from mx%d.example.org (mx%d.example.org [192.0.2.%d])"
        % (n % 7, n % 7, n % 250 + 1),
        b"From: Alice Example <alice@example.com>",
        b"To: Bob Example <bob@example.net>",
    ]
    hdrs.extend(extra)
    hdrs += [
        enc("Subject: %s %s" % (name, words(rng, rng.randrange(2, 8)))),
        b"Date: Mon, 24 Nov 2025 10:%02d:%02d +0000"
        % (n % 60, n // 60 % 60),
        b"Message-ID: <%d.%s@example.com>" % (n, enc(name)),
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain; charset=us-ascii",
    ]
    return hdrs


def text_body(rng, lines, width=(1, 12)):
    return [enc(words(rng, rng.randrange(*width))) for _ in range(lines)]


def message(hdrs, body, final_crlf=True, separator=True):
    """Join header lines and body lines with CRLF."""
    out = CRLF.join(hdrs) + CRLF
    if separator:
        out += CRLF
    if body:
        out += CRLF.join(body)
        if final_crlf:
            out += CRLF
    return out


# Each feature function takes (rng, i, name) and returns message bytes.

def f_plain(rng, i, name):
    return message(base_headers(rng, name), text_body(rng, 3 + i))


def f_folded_headers(rng, i, name):
    sp = b" " * (1 + i % 4)
    extra = [
        b"Cc: carol@example.net," + CRLF + sp + b"dave@example.net," + CRLF
        + sp + b"erin@example.net",
        b"References: <a%d@example.com>" % i
        + b"".join(CRLF + sp + b"<r%d.%d@example.com>" % (i, k)
                   for k in range(1 + i)),
    ]
    hdrs = base_headers(rng, name, extra)
    hdrs = [h + CRLF + sp + enc(words(rng, 3)) + CRLF + sp + b"end"
            if h.startswith(b"Subject:") else h for h in hdrs]
    return message(hdrs, text_body(rng, 4))


def f_tab_folded_headers(rng, i, name):
    tabs = b"\t" * (1 + i % 3)
    hdrs = base_headers(rng, name, [
        b"Cc: carol@example.net," + CRLF + tabs + b"dave@example.net",
        b"X-Mixed-Fold: one" + CRLF + b"\t two" + CRLF + b" \tthree",
    ])
    hdrs = [h + CRLF + tabs + enc(words(rng, 4))
            if h.startswith((b"Subject:", b"To:")) else h for h in hdrs]
    return message(hdrs, text_body(rng, 3))


def f_trailing_ws_headers(rng, i, name):
    tails = [b" ", b"\t", b"  \t ", b"\t\t", b" " * (i + 1)]
    hdrs = [h + rng.choice(tails) for h in base_headers(rng, name)]
    hdrs.append(b"X-Folded-Trailing: a " + CRLF + b" b\t" + CRLF + b"\tc  ")
    return message(hdrs, text_body(rng, 3))


def f_trailing_ws_body(rng, i, name):
    tails = [b" ", b"\t", b"   ", b" \t \t", b"\t "]
    body = [line + rng.choice(tails) for line in text_body(rng, 5 + i)]
    return message(base_headers(rng, name), body)


def f_repeated_headers(rng, i, name):
    hdrs = base_headers(rng, name, [b"To: Carol <carol@example.net>"])
    hdrs.insert(0, b"Received: from relay%d.example.net by mx.example.com" % i)
    if i % 2:
        hdrs.insert(3, b"Received: by localhost; Mon, 24 Nov 2025 09:00:00")
        hdrs.append(b"Cc: x@example.net")
        hdrs.append(b"Cc: y@example.net")
    if i % 3 == 0:
        hdrs.append(b"X-Repeat: 1")
        hdrs.append(b"X-Repeat: 2")
        hdrs.append(b"X-Repeat: 3")
    return message(hdrs, text_body(rng, 2))


def f_empty_body(rng, i, name):
    return message(base_headers(rng, name), [])


def f_headers_only(rng, i, name):
    """No blank line after the header: the message ends with its header."""
    return message(base_headers(rng, name), [], separator=False)


def f_blank_lines_body(rng, i, name):
    n = 1 + i * 7
    if i % 2:
        return message(base_headers(rng, name), [b""] * n)
    body = [rng.choice([b"", b" ", b"\t", b"  \t  "]) for _ in range(n)]
    return message(base_headers(rng, name), body)


def f_no_final_crlf(rng, i, name):
    body = text_body(rng, 1 + i % 4)
    ends = [b"", b" ", b"\t", b"  ", CRLF + b"\t\t", CRLF + b" ", CRLF * 3 + b"x"]
    body[-1] += ends[i % len(ends)]
    return message(base_headers(rng, name), body, final_crlf=False)


def f_long_body_lines(rng, i, name):
    body = text_body(rng, 2)
    length = 999 + i * 531
    line = enc(words(rng, length // 3))[:length]
    body += [line, b"x" * (length + 17), b"short", line + b"  \t"]
    return message(base_headers(rng, name), body)


def f_long_header_line(rng, i, name):
    value = enc(words(rng, 400 + 50 * i))[: 1000 + 200 * i]
    hdrs = base_headers(rng, name, [b"X-Long: " + value])
    hdrs = [h + b" " + value if h.startswith(b"Subject:") else h
            for h in hdrs]
    return message(hdrs, text_body(rng, 2))


def f_utf8_headers(rng, i, name):
    subj = words(rng, 3 + i % 4, UTF8_WORDS)
    hdrs = base_headers(rng, name)
    hdrs = [h + b" " + enc(subj) if h.startswith(b"Subject:") else h
            for h in hdrs]
    hdrs[1] = enc("From: Jürgen Müller %s <alice@example.com>"
                  % rng.choice(UTF8_WORDS))
    hdrs.append(enc("X-Utf8-Fold: %s" % words(rng, 2, UTF8_WORDS)) + CRLF
                + enc("\t%s  " % words(rng, 2, UTF8_WORDS)))
    return message(hdrs, text_body(rng, 3))


def f_utf8_body(rng, i, name):
    hdrs = base_headers(rng, name)
    hdrs[-1] = b"Content-Type: text/plain; charset=utf-8"
    hdrs.append(b"Content-Transfer-Encoding: 8bit")
    body = [enc(words(rng, rng.randrange(1, 12), UTF8_WORDS + WORDS))
            + rng.choice([b"", b" ", b"\t"]) for _ in range(4 + i)]
    return message(hdrs, body)


def f_big_body(rng, i, name):
    target = (1 << 20) + 65536 + i * 400000
    body, size = [], 0
    while size < target:
        kind = rng.randrange(10)
        if kind == 0:
            line = b""
        elif kind == 1:
            line = enc(words(rng, 5)) + b" \t "
        elif kind == 2:
            line = enc(words(rng, 3, UTF8_WORDS))
        else:
            line = enc(words(rng, rng.randrange(4, 16)))
        body.append(line)
        size += len(line) + 2
    body += [b"", b"", b""]
    return message(base_headers(rng, name), body, final_crlf=i % 2 == 0)


def ws_run(rng):
    return b"".join(rng.choice([b" ", b"\t"]) for _ in range(rng.randrange(2, 9)))


def f_mixed_ws_runs(rng, i, name):
    def mangle(s):
        return ws_run(rng).join(s.split(b" "))
    hdrs = base_headers(rng, name)
    hdrs = [h.split(b":", 1)[0] + b":" + mangle(h.split(b":", 1)[1])
            if h.startswith((b"Subject:", b"To:", b"Content-Type:")) else h
            for h in hdrs]
    body = [ws_run(rng) + mangle(line) + ws_run(rng) * (i % 2)
            for line in text_body(rng, 4 + i, (3, 10))]
    return message(hdrs, body)


def f_trailing_blank_lines(rng, i, name):
    body = text_body(rng, 3) + [b""] * (1 + 5 * i)
    if i % 3 == 0:
        body += [b"  ", b"\t", b""]
    return message(base_headers(rng, name), body)


def f_ws_only_lines(rng, i, name):
    body = []
    for line in text_body(rng, 6 + i):
        body.append(line)
        body.append(rng.choice([b" ", b"\t", b"   ", b" \t ", b""]))
    return message(base_headers(rng, name), body)


def f_header_name_case(rng, i, name):
    def recase(h):
        field, value = h.split(b":", 1)
        field = bytes(c ^ 0x20 if chr(c).isalpha() and rng.randrange(2)
                      else c for c in field)
        return field + b":" + value
    return message([recase(h) for h in base_headers(rng, name)],
                   text_body(rng, 2))


def f_colon_spacing(rng, i, name):
    """No space after the colon, or a run of whitespace after it."""
    after = [b"", b"  ", b"\t", b" \t  "][i % 4]
    hdrs = [h.split(b": ", 1)[0] + b":" + after + h.split(b": ", 1)[1]
            for h in base_headers(rng, name)]
    return message(hdrs, text_body(rng, 2))


def f_empty_header_value(rng, i, name):
    hdrs = base_headers(rng, name, [b"Cc:", b"X-Empty:", b"X-Spaces:   "])
    if i % 2:
        hdrs = [b"Subject:" if h.startswith(b"Subject:") else h
                for h in hdrs]
    return message(hdrs, text_body(rng, 2))


def f_lf_line_ends(rng, i, name):
    """LF-only line ends, combined with other awkward content."""
    inner = [f_folded_headers, f_trailing_ws_body, f_blank_lines_body,
             f_no_final_crlf, f_empty_body, f_utf8_body, f_mixed_ws_runs,
             f_trailing_blank_lines, f_tab_folded_headers][i % 9]
    return inner(rng, i, name).replace(CRLF, b"\n")


def f_dot_lines(rng, i, name):
    body = text_body(rng, 2) + [b".", b"..", b".leading dot", b". "]
    return message(base_headers(rng, name), body)


def f_mime_multipart(rng, i, name):
    bnd = b"=_boundary_%d_%d" % (i, rng.randrange(10**6))
    hdrs = base_headers(rng, name)
    hdrs[-1] = (b"Content-Type: multipart/mixed;" + CRLF
                + b"\tboundary=\"" + bnd + b"\"")
    blob = bytes(rng.randrange(256) for _ in range(300 + 100 * i))
    import base64
    b64 = base64.encodebytes(blob).replace(b"\n", CRLF).rstrip(CRLF)
    body = [b"preamble", b"--" + bnd,
            b"Content-Type: text/plain; charset=utf-8", b""]
    body += text_body(rng, 3)
    body += [b"--" + bnd, b"Content-Type: application/octet-stream",
             b"Content-Transfer-Encoding: base64", b"", b64,
             b"--" + bnd + b"--", b"epilogue  ", b""]
    return message(hdrs, body)


def f_many_headers(rng, i, name):
    extra = [b"X-Header-%d: %s" % (k, enc(words(rng, 3)))
             for k in range(40 + 10 * i)]
    return message(base_headers(rng, name, extra), text_body(rng, 2))


def f_control_chars(rng, i, name):
    """VT, FF and other controls: not WSP for relaxed canonicalisation."""
    ctl = [b"\x0b", b"\x0c", b"\x01", b"\x1b", b"\x7f", b"\x0b \x0c"]
    body = [line + rng.choice(ctl) + line for line in text_body(rng, 3 + i)]
    hdrs = base_headers(rng, name, [b"X-Ctl: a" + ctl[i % len(ctl)] + b"b"])
    return message(hdrs, body)


def f_ws_only_continuation(rng, i, name):
    """A header continuation line holding only whitespace."""
    hdrs = base_headers(rng, name)
    cont = [b" ", b"\t", b"  \t"][i % 3]
    hdrs = [h + CRLF + cont + CRLF + b" tail"
            if h.startswith(b"Subject:") else h for h in hdrs]
    return message(hdrs, text_body(rng, 2))


FEATURES = [
    ("plain", f_plain, 8),
    ("folded-headers", f_folded_headers, 9),
    ("tab-folded-headers", f_tab_folded_headers, 9),
    ("trailing-ws-headers", f_trailing_ws_headers, 9),
    ("trailing-ws-body", f_trailing_ws_body, 9),
    ("repeated-headers", f_repeated_headers, 9),
    ("empty-body", f_empty_body, 6),
    ("headers-only", f_headers_only, 3),
    ("blank-lines-body", f_blank_lines_body, 9),
    ("no-final-crlf", f_no_final_crlf, 9),
    ("long-body-lines", f_long_body_lines, 9),
    ("long-header-line", f_long_header_line, 6),
    ("utf8-headers", f_utf8_headers, 9),
    ("utf8-body", f_utf8_body, 9),
    ("big-body", f_big_body, 3),
    ("mixed-ws-runs", f_mixed_ws_runs, 9),
    ("trailing-blank-lines", f_trailing_blank_lines, 9),
    ("ws-only-lines", f_ws_only_lines, 9),
    ("header-name-case", f_header_name_case, 9),
    ("colon-spacing", f_colon_spacing, 8),
    ("empty-header-value", f_empty_header_value, 6),
    ("lf-line-ends", f_lf_line_ends, 9),
    ("dot-lines", f_dot_lines, 6),
    ("mime-multipart", f_mime_multipart, 6),
    ("many-headers", f_many_headers, 6),
    ("control-chars", f_control_chars, 6),
    ("ws-only-continuation", f_ws_only_continuation, 6),
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_messages.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(SEED)
    for feature, fn, count in FEATURES:
        for i in range(1, count + 1):
            name = "%s-%d" % (feature, i)
            path = os.path.join(outdir, name + ".eml")
            with open(path, "wb") as f:
                f.write(fn(rng, i, name))
            print("%s\t%s" % (name, path))


if __name__ == "__main__":
    main()
