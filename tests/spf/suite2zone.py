#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""suite2zone.py - turn the openspf YAML test suites into zones for
libunbound (one root "." auth-zone per scenario) and a case list.

Usage: suite2zone.py OUTDIR LABEL SUITE.yml[.gz] [LABEL SUITE ...]

For each scenario N of each suite it writes OUTDIR/LABEL-N.zone (the
scenario's zonedata as the root zone) and OUTDIR/LABEL-N.conf (an
unbound.conf serving it as an auth-zone), and appends to OUTDIR/cases.tsv
one line per test case:

    LABEL  CONF  NAME  HOST  MAILFROM  HELO  RESULTS  EXPLANATION

(tab separated; RESULTS comma separated; EXPLANATION "-" when none).
Rules (see /work/shared/recipes/dns-loopback.md and pyspf's testspf.py):
  - names become absolute, bytes other than letters, digits, "-", "_"
    are written as \\DDD;
  - TXT/SPF strings are UTF-8 encoded and split at 255 bytes, [] gives "";
  - SPF records are copied to TXT unless the name lists a TXT entry
    ("TXT: NONE" lists nothing);
  - MX/PTR/CNAME targets get a final dot ("" is the root);
  - TIMEOUT makes the name REFUSED (temperror) for every type not listed
    before it: local-zone refuse + local-data, other zonedata names below
    it stay served (transparent);
  - names that cannot be stored (empty or >63-byte label) are skipped:
    such lookups are refused before querying by the SPF code;
  - unbound's built-in local zones are switched off (nodefault).
Only /usr/bin/python3 with python3-yaml is needed.
"""
import gzip
import os
import sys

import yaml

# unbound 1.17 default local zones (unbound.conf(5), "local-zone").
DEFAULT_ZONES = [
    "localhost", "127.in-addr.arpa", "1." + "0." * 31 + "ip6.arpa",
    "home.arpa", "resolver.arpa", "service.arpa", "onion", "test",
    "invalid", "local", "10.in-addr.arpa",
] + ["%d.172.in-addr.arpa" % i for i in range(16, 32)] + [
    "168.192.in-addr.arpa", "0.in-addr.arpa",
] + ["%d.100.in-addr.arpa" % i for i in range(64, 128)] + [
    "254.169.in-addr.arpa", "2.0.192.in-addr.arpa",
    "100.51.198.in-addr.arpa", "113.0.203.in-addr.arpa",
    "255.255.255.255.in-addr.arpa", "0." * 32 + "ip6.arpa",
    "d.f.ip6.arpa", "8.e.f.ip6.arpa", "9.e.f.ip6.arpa", "a.e.f.ip6.arpa",
    "b.e.f.ip6.arpa", "8.b.d.0.1.0.0.2.ip6.arpa",
]


def esc_label(label):
    out = []
    for b in label.encode("utf-8"):
        c = chr(b)
        if c.isascii() and (c.isalnum() or c in "-_"):
            out.append(c)
        else:
            out.append("\\%03d" % b)
    return "".join(out)


def storable(name):
    labels = name.rstrip(".").split(".")
    return all(0 < len(l.encode("utf-8")) <= 63 for l in labels) and \
        len(name.rstrip(".")) <= 253


def abs_name(name):
    name = name.rstrip(".")
    if name == "":
        return "."
    return ".".join(esc_label(l) for l in name.split(".")) + "."


def txt_rdata(value):
    if isinstance(value, str):
        value = [value]
    if not value:
        return '""'
    parts = []
    for s in value:
        data = s.encode("utf-8")
        chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
        for ch in chunks:
            q = "".join(chr(b) if 0x20 <= b < 0x7f and chr(b) not in '"\\'
                        else "\\%03d" % b for b in ch)
            parts.append('"%s"' % q)
    return " ".join(parts)


def records(name, entries):
    """Yields (type, rdata) and whether a TIMEOUT follows, per pyspf."""
    rrs, timeout_types, timeout = [], set(), False
    has_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
    spf_copies = []
    for e in entries:
        if e == "TIMEOUT":
            timeout = True
            break
        for t, v in e.items():
            timeout_types.add(t)
            if v == "NONE" or v == ["NONE"]:
                continue
            if t in ("TXT", "SPF"):
                rrs.append((t, txt_rdata(v)))
                if t == "SPF" and not has_txt:
                    spf_copies.append(("TXT", txt_rdata(v)))
            elif t == "MX":
                rrs.append((t, "%d %s" % (v[0], abs_name(v[1]))))
            elif t in ("PTR", "CNAME"):
                rrs.append((t, abs_name(v)))
            elif t in ("A", "AAAA"):
                rrs.append((t, v))
            else:
                raise ValueError("%s: unknown type %s" % (name, t))
    rrs.extend(spf_copies)
    return rrs, timeout


def write_scenario(outdir, tag, scen):
    zone = os.path.join(outdir, tag + ".zone")
    conf = os.path.join(outdir, tag + ".conf")
    zd = scen.get("zonedata") or {}
    timeouts = {}
    with open(zone, "w") as z:
        z.write(". 300 IN SOA ns.root. hostmaster.root. 1 3600 600 86400 300\n")
        z.write(". 300 IN NS ns.root.\n")
        for name, entries in zd.items():
            if not storable(name):
                continue
            rrs, timeout = records(name, entries)
            if timeout:
                timeouts[name] = rrs
                continue
            for t, rd in rrs:
                z.write("%s 300 IN %s %s\n" % (abs_name(name), t, rd))
    with open(conf, "w") as c:
        c.write("server:\n")
        c.write('    module-config: "iterator"\n')
        c.write("    do-not-query-localhost: no\n")
        for dz in DEFAULT_ZONES:
            c.write('    local-zone: "%s." nodefault\n' % dz)
        for name, rrs in timeouts.items():
            c.write('    local-zone: "%s" refuse\n' % abs_name(name))
            for t, rd in rrs:
                c.write("    local-data: '%s 300 IN %s %s'\n" %
                        (abs_name(name), t, rd))
            low = name.lower().rstrip(".")
            for other in zd:
                o = other.lower().rstrip(".")
                if o.endswith("." + low) and storable(other) and \
                        other not in timeouts:
                    c.write('    local-zone: "%s" transparent\n' %
                            abs_name(other))
        c.write("auth-zone:\n")
        c.write('    name: "."\n')
        c.write('    zonefile: "%s"\n' % zone)
        c.write("    for-upstream: yes\n")
        c.write("    for-downstream: no\n")
        c.write("    fallback-enabled: no\n")
    return conf


def field(s):
    s = "" if s is None else str(s)
    if "\t" in s or "\n" in s:
        raise ValueError("tab or newline in %r" % s)
    return s


def main():
    outdir = sys.argv[1]
    args = sys.argv[2:]
    with open(os.path.join(outdir, "cases.tsv"), "w") as cases:
        for label, path in zip(args[0::2], args[1::2]):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as f:
                for n, scen in enumerate(yaml.safe_load_all(f)):
                    conf = write_scenario(outdir, "%s-%02d" % (label, n),
                                          scen)
                    for name, t in scen["tests"].items():
                        res = t["result"]
                        res = res if isinstance(res, list) else [res]
                        exp = t.get("explanation")
                        cases.write("\t".join(field(x) for x in (
                            label, conf, name, t["host"], t["mailfrom"],
                            t["helo"], ",".join(res),
                            "-" if exp is None else exp)) + "\n")


if __name__ == "__main__":
    main()
