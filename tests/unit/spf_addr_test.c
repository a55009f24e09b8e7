/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_addr_test.c - addr.c: parsing (strict IPv4, IPv6, IPv4-mapped),
 * CIDR matching, %{c} / %{i} forms and reverse names (RFC 7208 5.6, 7.3).
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "t.h"

static const struct {
	const char *name, *in;
	int family;	  /* 0 = rejected */
	const char *text; /* addr_format */
} parse_rows[] = {
    {"ipv4-dotted-quad", "192.0.2.1", 4, "192.0.2.1"},
    {"ipv4-zero", "0.0.0.0", 4, "0.0.0.0"},
    {"ipv4-leading-zero-rejected", "192.0.2.01", 0, NULL},
    {"ipv4-three-parts-rejected", "1.2.3", 0, NULL},
    {"ipv4-octet-over-255-rejected", "1.2.3.256", 0, NULL},
    {"ipv4-trailing-dot-rejected", "1.2.3.4.", 0, NULL},
    {"ipv4-port-rejected", "1.2.3.4:25", 0, NULL},
    {"ipv6-compressed", "2001:DB8::1", 6, "2001:db8::1"},
    {"ipv6-embedded-ipv4", "CAFE:BABE::192.168.218.40", 6,
     "cafe:babe::c0a8:da28"},
    {"ipv6-mapped-becomes-ipv4", "::FFFF:1.2.3.4", 4, "1.2.3.4"},
    {"ipv6-two-double-colons-rejected", ":CAFE::BABE::1", 0, NULL},
    {"ipv6-zone-rejected", "fe80::1%eth0", 0, NULL},
    {"empty-rejected", "", 0, NULL},
    {"hostname-rejected", "mail.example.com", 0, NULL},
};

static const struct {
	const char *name, *ip, *net;
	int prefix, match;
} match_rows[] = {
    {"cidr4-exact", "192.0.2.1", "192.0.2.1", 32, 1},
    {"cidr4-other-host", "192.0.2.2", "192.0.2.1", 32, 0},
    {"cidr4-24", "192.0.2.200", "192.0.2.0", 24, 1},
    {"cidr4-25-outside", "192.0.2.200", "192.0.2.0", 25, 0},
    {"cidr4-0-matches-all", "1.2.3.4", "9.9.9.9", 0, 1},
    {"cidr4-odd-bits", "10.0.0.7", "10.0.0.4", 30, 1},
    {"cidr6-33", "cafe:babe:8000::", "cafe:babe:8000::", 33, 1},
    {"cidr6-33-outside", "cafe:babe:0::1", "cafe:babe:8000::", 33, 0},
    {"cidr6-0-matches-all-ipv6", "dead::1", "::", 0, 1},
    {"family-mismatch-never-matches", "1.2.3.4", "::", 0, 0},
    {"mapped-client-matches-ipv4", "::ffff:1.2.3.4", "1.2.3.0", 24, 1},
    {"prefix-too-long-no-match", "1.2.3.4", "1.2.3.4", 33, 0},
};

static const struct {
	const char *name, *ip, *dotted, *rev;
} form_rows[] = {
    {"ipv4-forms", "192.0.2.3", "192.0.2.3", "3.2.0.192.in-addr.arpa"},
    {"ipv6-forms", "2001:db8::cb01",
     "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1",
     "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
     "ip6.arpa"},
};

int
main(void)
{
	char buf[ADDR_TEXT_MAX], name[128];
	struct addr a, n;
	size_t i;

	for (i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
		int rc = addr_parse(parse_rows[i].in, &a);

		if (parse_rows[i].family == 0) {
			t_ok(rc != 0, parse_rows[i].name, "accepted");
			continue;
		}
		addr_format(&a, buf, sizeof(buf));
		t_ok(rc == 0 && a.family == parse_rows[i].family &&
			 strcmp(buf, parse_rows[i].text) == 0,
		     parse_rows[i].name, "rc=%d family=%d text=%s", rc,
		     a.family, buf);
	}
	for (i = 0; i < sizeof(match_rows) / sizeof(match_rows[0]); i++) {
		addr_parse(match_rows[i].ip, &a);
		addr_parse(match_rows[i].net, &n);
		t_ok(addr_match(&a, &n, match_rows[i].prefix) ==
			 match_rows[i].match,
		     match_rows[i].name, "want %d", match_rows[i].match);
	}
	for (i = 0; i < sizeof(form_rows) / sizeof(form_rows[0]); i++) {
		addr_parse(form_rows[i].ip, &a);
		addr_dotted(&a, buf, sizeof(buf));
		snprintf(name, sizeof(name), "%s-dotted", form_rows[i].name);
		t_streq(buf, form_rows[i].dotted, name);
		addr_reverse_name(&a, buf, sizeof(buf));
		snprintf(name, sizeof(name), "%s-reverse", form_rows[i].name);
		t_streq(buf, form_rows[i].rev, name);
	}
	return t_exit();
}
