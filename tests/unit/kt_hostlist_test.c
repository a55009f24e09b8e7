/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_hostlist_test.c - InternalHosts / ExternalIgnoreList matching: CIDR
 * edges for IPv4 and IPv6, host names and .domain suffixes, negation,
 * names in U-labels (kept as A-labels), an OpenDKIM TrustedHosts file
 * copied verbatim, and bad entries.
 */
#include "../keytable/kt_fixture.h"
#include "hostlist.h"
#include "keytable.h"
#include "t.h"

static const char list_text[] =
    "# addresses and blocks\n"
    "192.0.2.0/24\n"
    "!192.0.2.128/25\n"
    "192.0.2.200\n"
    "10.0.0.0/8\n"
    "!10.1.2.3\n"
    "198.51.100.7/32\n"
    "2001:db8::/32\n"
    "!2001:db8:bad::/48\n"
    "2001:db8:bad::1\n"
    "::1\n"
    "0.0.0.0/0\n" /* every IPv4 address, but less specific */
    "!203.0.113.0/24\n"
    "# names\n"
    "mail.example.com\n"
    ".example.net\n"
    "!bad.example.net\n"
    "*.wild.example\n"
    "!.blocked.example.com\n"
    "# names in U-labels\n"
    "B\xc3\xbc"
    "cher.example\n"
    ".m\xc3\xbc"
    "nchen.example\n";

static const struct row {
	const char *label, *ip, *host;
	int want;
} rows[] = {
    {"v4-inside-cidr", "192.0.2.1", NULL, 1},
    {"v4-cidr-first-address", "192.0.2.0", NULL, 1},
    {"v4-cidr-last-before-negated", "192.0.2.127", NULL, 1},
    {"v4-negated-subblock-first", "192.0.2.128", NULL, 0},
    {"v4-negated-subblock-last", "192.0.2.255", NULL, 0},
    {"v4-host-inside-negated-block-longer-prefix-wins", "192.0.2.200", NULL, 1},
    {"v4-slash8", "10.255.255.255", NULL, 1},
    {"v4-negated-single", "10.1.2.3", NULL, 0},
    {"v4-neighbour-of-negated", "10.1.2.4", NULL, 1},
    {"v4-slash32", "198.51.100.7", NULL, 1},
    {"v4-slash0-matches-all", "8.8.8.8", NULL, 1},
    {"v4-negated-beats-slash0", "203.0.113.9", NULL, 0},
    {"v6-inside-cidr", "2001:db8:1::25", NULL, 1},
    {"v6-cidr-edge-last", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", NULL, 1},
    {"v6-outside-cidr", "2001:db9::1", NULL, 0},
    {"v6-negated-48", "2001:db8:bad::2", NULL, 0},
    {"v6-single-inside-negated", "2001:db8:bad::1", NULL, 1},
    {"v6-loopback", "::1", NULL, 1},
    {"v6-loopback-bracketed", "[::1]", NULL, 1},
    {"v6-mapped-v4-as-v4", "::ffff:10.9.9.9", NULL, 1},
    {"v6-mapped-negated", "::ffff:203.0.113.1", NULL, 0},
    {"v6-not-matched-by-v4-slash0", "2002::1", NULL, 0},
    {"name-exact", "2002::1", "mail.example.com", 1},
    {"name-exact-case-and-dot", "2002::1", "MAIL.Example.COM.", 1},
    {"name-exact-not-subdomain", "2002::1", "x.mail.example.com", 0},
    {"name-exact-not-parent", "2002::1", "example.com", 0},
    {"suffix-matches-subdomain", "2002::1", "a.b.example.net", 1},
    {"suffix-not-the-domain-itself", "2002::1", "example.net", 0},
    {"suffix-negated-name", "2002::1", "bad.example.net", 0},
    {"suffix-negated-not-below", "2002::1", "x.bad.example.net", 1},
    {"glob-name", "2002::1", "mx1.wild.example", 1},
    {"glob-needs-label", "2002::1", "wild.example", 0},
    {"negated-suffix", "2002::1", "x.blocked.example.com", 0},
    {"negated-name-excludes-listed-ip", "192.0.2.1", "bad.example.net", 0},
    {"bracketed-name-ignored", "2002::1", "[2002::1]", 0},
    {"unparsable-ip-no-match", "not-an-ip", NULL, 0},
    {"null-ip-name-matches", NULL, "mail.example.com", 1},
    {"u-label-entry-matches-its-a-labels", "2002::1", "xn--bcher-kva.example",
     1},
    {"u-label-entry-upper-case-folded", "2002::1", "XN--BCHER-KVA.example", 1},
    {"u-label-suffix-matches-a-label-subdomain", "2002::1",
     "mx.xn--mnchen-3ya.example", 1},
    {"u-label-suffix-not-the-domain-itself", "2002::1",
     "xn--mnchen-3ya.example", 0},
    {"u-label-entry-not-another-name", "2002::1", "bucher.example", 0},
};

static void
test_rows(void)
{
	char spec[600], err[512];
	hostlist *h = NULL;
	size_t i;
	int got;

	snprintf(spec, sizeof(spec), "file:%s",
		 kt_fix_write("hosts", list_text, 0, 0644));
	t_ok(hostlist_open(spec, &h, err, sizeof(err)) == 0, "hostlist-loads",
	     "%s", err);
	if (h == NULL)
		return;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = hostlist_match(h, rows[i].ip, rows[i].host);
		t_ok(got == rows[i].want, rows[i].label, "ip %s host %s: %d",
		     rows[i].ip ? rows[i].ip : "(null)",
		     rows[i].host ? rows[i].host : "(null)", got);
	}
	hostlist_free(h);
}

/* A TrustedHosts file exactly as OpenDKIM guides show it. */
static const char trusted_hosts[] = "127.0.0.1\n"
				    "localhost\n"
				    "192.168.0.1/24\n"
				    "*.example.pw\n"
				    "*.example2.hu\n";

static void
test_opendkim_trustedhosts(void)
{
	char spec[600], err[512];
	const char *path = kt_fix_write("TrustedHosts", trusted_hosts, 0, 0644);
	static const char *specs[] = {"%s", "file:%s", "refile:%s"};
	hostlist *h;
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(spec, sizeof(spec), specs[i], path);
		h = NULL;
		if (!t_ok(hostlist_open(spec, &h, err, sizeof(err)) == 0,
			  "trustedhosts-verbatim-loads", "%s: %s", spec, err))
			continue;
		t_ok(hostlist_match(h, "127.0.0.1", NULL), "trustedhosts-lo",
		     "%s", spec);
		t_ok(hostlist_match(h, "::1", "localhost"),
		     "trustedhosts-localhost-name", "%s", spec);
		t_ok(hostlist_match(h, "192.168.0.77", NULL),
		     "trustedhosts-cidr-with-host-bits", "%s", spec);
		t_ok(!hostlist_match(h, "192.168.1.1", NULL),
		     "trustedhosts-outside-cidr", "%s", spec);
		t_ok(hostlist_match(h, "203.0.113.5", "smtp.example.pw"),
		     "trustedhosts-wildcard-name", "%s", spec);
		t_ok(!hostlist_match(h, "203.0.113.5", "example.org"),
		     "trustedhosts-other-name", "%s", spec);
		hostlist_free(h);
	}
}

static const struct bad {
	const char *label, *spec, *want;
} bads[] = {
    {"bad-v4-octet", "csl:10.0.0.1,192.0.2.300",
     "csl:10.0.0.1,192.0.2.300, element 2: \"192.0.2.300\": not an IPv4"},
    {"bad-v4-prefix", "csl:10.0.0.0/33",
     "element 1: \"10.0.0.0/33\": prefix length must be 0 to 32"},
    {"bad-v6-prefix", "csl:2001:db8::/129", "must be 0 to 128"},
    {"bad-prefix-text", "csl:10.0.0.0/x", "prefix length"},
    {"bad-short-v4-form", "csl:192.0.2/24", "not an IPv4 or IPv6"},
    {"bad-name-chars", "csl:foo$bar", "not an address, CIDR block"},
    {"bad-empty-label", "csl:a..example", "not an address"},
    {"bad-negated-nothing", "csl:!", "not an address"},
    {"bad-u-label-not-utf8",
     "csl:b\xfc"
     "cher.example",
     "element 1: \"b"},
    {"bad-u-label-disallowed", "csl:\xe2\x98\x83.example",
     "element 1: \"\xe2\x98\x83.example\""},
    {"bad-value-after-entry", "csl:10.0.0.1=x", "unexpected \"x\""},
    {"bad-missing-file", "file:/nonexistent/hosts",
     "/nonexistent/hosts: No such file"},
};

static void
test_bad(void)
{
	char err[512], path[600];
	hostlist *h;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		err[0] = '\0';
		rc = hostlist_open(bads[i].spec, &h, err, sizeof(err));
		t_ok(rc != 0 && h == NULL && strstr(err, bads[i].want),
		     bads[i].label, "rc %d err \"%s\"", rc, err);
	}
	snprintf(
	    path, sizeof(path), "%s",
	    kt_fix_write("badhosts", "10.0.0.1\n\n10.0.0.1 extra\n", 0, 0644));
	rc = hostlist_open(path, &h, err, sizeof(err));
	t_ok(rc != 0 && strstr(err, ", line 3: unexpected \"extra\""),
	     "bad-line-number-reported", "%s", err);
	t_ok(strncmp(err, path, strlen(path)) == 0, "bad-line-path-reported",
	     "%s", err);
}

int
main(void)
{
	kt_fix_init();
	test_rows();
	test_opendkim_trustedhosts();
	test_bad();
	kt_fix_cleanup();
	return t_exit();
}
