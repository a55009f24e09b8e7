/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_check_test.c - check_host() through spf_check_ctx() on the fake DNS
 * backend: identities (MAIL FROM, null sender, HELO), each result, exp=,
 * ptr and %{p}, DNS failures, and the lookup bomb (include and redirect
 * chains, an MX with 20 hosts, a void-lookup chain) which must stop at
 * the RFC 7208 limits with permerror after a bounded number of queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "spf.h"
#include "spf_eval.h"
#include "t.h"

static const char zone[] =
    "example.com TXT v=spf1 ip4:192.0.2.0/24 include:inc.example.com "
    "-all exp=why.example.com\n"
    "inc.example.com TXT v=spf1 ip6:2001:db8::/32 ~all\n"
    "why.example.com TXT \"%{i} is not one of \" \"%{d}'s servers\"\n"
    "soft.example.com TXT v=spf1 ~all\n"
    "neutral.example.com TXT v=spf1 ?all\n"
    "plain.example.com TXT v=spf1 a mx -all\n"
    "plain.example.com A 198.51.100.1\n"
    "plain.example.com MX 10 mx.plain.example.com\n"
    "mx.plain.example.com A 198.51.100.2\n"
    "helo.example.org TXT v=spf1 a -all\n"
    "helo.example.org A 203.0.113.5\n"
    "nospf.example.com TXT some other text\n"
    "broken.example.com TXT v=spf1 ip4:1.2.3.4/40 -all\n"
    "two.example.com TXT v=spf1 -all\n"
    "two.example.com TXT v=spf1 +all\n"
    "servfail.example.com SERVFAIL\n"
    "timeout.example.com TIMEOUT\n"
    "bogus.example.com BOGUS\n"
    "incfail.example.com TXT v=spf1 include:timeout.example.com -all\n"
    "ptr.example.com TXT v=spf1 ptr -all exp=ptrexp.example.com\n"
    "ptrexp.example.com TXT connect from %{p}\n"
    "5.113.0.203.in-addr.arpa PTR helo.example.org\n"
    "5.113.0.203.in-addr.arpa PTR mail.ptr.example.com\n"
    "mail.ptr.example.com A 203.0.113.5\n"
    "6.113.0.203.in-addr.arpa PTR fake.ptr.example.com\n"
    "fake.ptr.example.com A 203.0.113.99\n"
    /* lookup bomb: include chain, redirect chain, loop */
    "inc0.bomb.example TXT v=spf1 include:inc1.bomb.example -all\n"
    "inc1.bomb.example TXT v=spf1 include:inc2.bomb.example -all\n"
    "inc2.bomb.example TXT v=spf1 include:inc3.bomb.example -all\n"
    "inc3.bomb.example TXT v=spf1 include:inc4.bomb.example -all\n"
    "inc4.bomb.example TXT v=spf1 include:inc5.bomb.example -all\n"
    "inc5.bomb.example TXT v=spf1 include:inc6.bomb.example -all\n"
    "inc6.bomb.example TXT v=spf1 include:inc7.bomb.example -all\n"
    "inc7.bomb.example TXT v=spf1 include:inc8.bomb.example -all\n"
    "inc8.bomb.example TXT v=spf1 include:inc9.bomb.example -all\n"
    "inc9.bomb.example TXT v=spf1 include:inc10.bomb.example -all\n"
    "inc10.bomb.example TXT v=spf1 include:inc11.bomb.example -all\n"
    "inc11.bomb.example TXT v=spf1 include:inc12.bomb.example -all\n"
    "inc12.bomb.example TXT v=spf1 +all\n"
    "red0.bomb.example TXT v=spf1 redirect=red1.bomb.example\n"
    "red1.bomb.example TXT v=spf1 redirect=red2.bomb.example\n"
    "red2.bomb.example TXT v=spf1 redirect=red3.bomb.example\n"
    "red3.bomb.example TXT v=spf1 redirect=red4.bomb.example\n"
    "red4.bomb.example TXT v=spf1 redirect=red5.bomb.example\n"
    "red5.bomb.example TXT v=spf1 redirect=red6.bomb.example\n"
    "red6.bomb.example TXT v=spf1 redirect=red7.bomb.example\n"
    "red7.bomb.example TXT v=spf1 redirect=red8.bomb.example\n"
    "red8.bomb.example TXT v=spf1 redirect=red9.bomb.example\n"
    "red9.bomb.example TXT v=spf1 redirect=red10.bomb.example\n"
    "red10.bomb.example TXT v=spf1 redirect=red11.bomb.example\n"
    "red11.bomb.example TXT v=spf1 +all\n"
    "loop.bomb.example TXT v=spf1 include:loop.bomb.example -all\n"
    "void.bomb.example TXT v=spf1 a:n1.bomb.example a:n2.bomb.example "
    "exists:n3.bomb.example a:n4.bomb.example a:n5.bomb.example +all\n"
    "void2.bomb.example TXT v=spf1 a:n1.bomb.example mx:n2.bomb.example "
    "+all\n"
    "mx.bomb.example TXT v=spf1 mx +all\n"
    "mx10.bomb.example TXT v=spf1 mx mx mx mx mx mx mx mx mx mx -all\n"
    "terms.bomb.example TXT v=spf1 a a a a a a a a a a a +all\n"
    "terms.bomb.example A 192.0.2.77\n"
    "inc12.bomb.example A 192.0.2.77\n";

/* 20 MX hosts for mx.bomb.example, 10 for mx10.bomb.example */
static char *
make_table(void)
{
	size_t len = sizeof(zone) + 60 * 60;
	char *t = malloc(len);
	size_t o;
	int i;

	if (t == NULL)
		return NULL;
	o = (size_t)snprintf(t, len, "%s", zone);
	for (i = 0; i < 20; i++)
		o += (size_t)snprintf(
		    t + o, len - o, "mx.bomb.example MX %d h%d.bomb.example\n",
		    i, i);
	for (i = 0; i < 10; i++)
		o += (size_t)snprintf(
		    t + o, len - o,
		    "mx10.bomb.example MX %d h%d.bomb.example\n", i, i);
	return t;
}

static const struct {
	const char *name, *ip, *from, *helo;
	int identity;
	const char *want, *exp; /* exp: expected explanation or NULL */
	int max_queries;	/* 0 = do not check */
} rows[] = {
    {"mailfrom-pass-ip4", "192.0.2.9", "u@example.com", "x.example.org",
     DKIMSA_SPF_MAILFROM, "pass", NULL, 1},
    {"mailfrom-pass-via-include", "2001:db8::5", "u@example.com", NULL,
     DKIMSA_SPF_MAILFROM, "pass", NULL, 2},
    {"mailfrom-fail-with-exp-macros", "198.51.100.7", "u@example.com", NULL,
     DKIMSA_SPF_MAILFROM, "fail",
     "198.51.100.7 is not one of example.com's servers", 3},
    {"mailfrom-softfail", "192.0.2.1", "u@soft.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "softfail", NULL, 1},
    {"mailfrom-neutral", "192.0.2.1", "u@neutral.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "neutral", NULL, 1},
    {"mailfrom-a-pass", "198.51.100.1", "u@plain.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "pass", NULL, 2},
    {"mailfrom-mx-pass", "198.51.100.2", "u@plain.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "pass", NULL, 4},
    {"mailfrom-fail-without-exp", "198.51.100.3", "u@plain.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "fail", NULL, 4},
    {"mailfrom-none-no-record", "192.0.2.1", "u@nospf.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "none", NULL, 1},
    {"mailfrom-none-nxdomain", "192.0.2.1", "u@nowhere.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "none", NULL, 1},
    {"mailfrom-none-single-label", "192.0.2.1", "u@localhost", NULL,
     DKIMSA_SPF_MAILFROM, "none", NULL, 0},
    {"mailfrom-none-domain-literal", "192.0.2.1", "u@[192.0.2.1]", NULL,
     DKIMSA_SPF_MAILFROM, "none", NULL, 0},
    {"mailfrom-permerror-syntax", "192.0.2.1", "u@broken.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "permerror", NULL, 1},
    {"mailfrom-permerror-two-records", "192.0.2.1", "u@two.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "permerror", NULL, 1},
    {"mailfrom-temperror-servfail", "192.0.2.1", "u@servfail.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "temperror", NULL, 1},
    {"mailfrom-temperror-timeout", "192.0.2.1", "u@timeout.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "temperror", NULL, 1},
    {"mailfrom-temperror-bogus-dnssec", "192.0.2.1", "u@bogus.example.com",
     NULL, DKIMSA_SPF_MAILFROM, "temperror", NULL, 1},
    {"include-temperror-propagates", "192.0.2.1", "u@incfail.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "temperror", NULL, 2},
    {"null-sender-checks-postmaster-at-helo", "203.0.113.5", "",
     "helo.example.org", DKIMSA_SPF_MAILFROM, "pass", NULL, 2},
    {"helo-identity-pass", "203.0.113.5", "u@example.com", "helo.example.org",
     DKIMSA_SPF_HELO, "pass", NULL, 2},
    {"helo-identity-fail", "203.0.113.6", "u@example.com", "helo.example.org",
     DKIMSA_SPF_HELO, "fail", NULL, 2},
    {"helo-identity-not-fqdn-none", "203.0.113.6", "", "OEMCOMPUTER",
     DKIMSA_SPF_HELO, "none", NULL, 0},
    {"ptr-validated-name-pass", "203.0.113.5", "u@ptr.example.com", NULL,
     DKIMSA_SPF_MAILFROM, "pass", NULL, 0},
    {"ptr-unvalidated-name-fail-p-unknown", "203.0.113.6", "u@ptr.example.com",
     NULL, DKIMSA_SPF_MAILFROM, "fail", "connect from unknown", 0},
    /* lookup bomb */
    {"bomb-include-chain-permerror", "198.51.100.9", "u@inc0.bomb.example",
     NULL, DKIMSA_SPF_MAILFROM, "permerror", NULL, 11},
    {"bomb-redirect-chain-permerror", "198.51.100.9", "u@red0.bomb.example",
     NULL, DKIMSA_SPF_MAILFROM, "permerror", NULL, 11},
    {"bomb-include-loop-permerror", "198.51.100.9", "u@loop.bomb.example", NULL,
     DKIMSA_SPF_MAILFROM, "permerror", NULL, 11},
    {"bomb-mx-20-hosts-permerror", "198.51.100.9", "u@mx.bomb.example", NULL,
     DKIMSA_SPF_MAILFROM, "permerror", NULL, 2},
    {"bomb-void-chain-permerror-at-third", "198.51.100.9",
     "u@void.bomb.example", NULL, DKIMSA_SPF_MAILFROM, "permerror", NULL, 4},
    {"void-two-lookups-allowed", "198.51.100.9", "u@void2.bomb.example", NULL,
     DKIMSA_SPF_MAILFROM, "pass", NULL, 3},
    {"bomb-eleven-a-terms-permerror", "198.51.100.9", "u@terms.bomb.example",
     NULL, DKIMSA_SPF_MAILFROM, "permerror", NULL, 11},
    {"bomb-ten-mx-terms-bounded", "198.51.100.9", "u@mx10.bomb.example", NULL,
     DKIMSA_SPF_MAILFROM, "fail", NULL, 111},
};

int
main(void)
{
	char err[200], *table = make_table();
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	dns_ctx *ctx;
	size_t i;
	unsigned long before;
	int rc;

	ctx = table ? dns_ctx_new_fake(table, err, sizeof(err)) : NULL;
	if (!t_ok(ctx != NULL, "fake-dns-loads", "%s", err))
		return t_exit();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.client_ip = rows[i].ip;
		req.mail_from = rows[i].from;
		req.helo = rows[i].helo;
		before = dns_ctx_sent(ctx);
		rc = spf_check_ctx(ctx, &req, rows[i].identity, NULL, &r);
		if (!t_ok(rc == 0, rows[i].name, "rc %d", rc))
			continue;
		t_ok(strcmp(dkimsa_res_name(r->result), rows[i].want) == 0 &&
			 (rows[i].exp == NULL ||
			  (r->explanation &&
			   strcmp(r->explanation, rows[i].exp) == 0)) &&
			 (rows[i].max_queries == 0 ||
			  (r->dns_queries <= rows[i].max_queries &&
			   dns_ctx_sent(ctx) - before <=
			       (unsigned long)rows[i].max_queries)),
		     rows[i].name, "%s (%s) exp \"%s\" queries %d sent %lu",
		     dkimsa_res_name(r->result), r->reason,
		     r->explanation ? r->explanation : "", r->dns_queries,
		     dns_ctx_sent(ctx) - before);
		dkimsa_spf_result_free(r);
	}
	{ /* the per-check query budget stops a check that is within limits */
		struct spf_eval_req er;
		struct spf_eval_res res;

		memset(&er, 0, sizeof(er));
		addr_parse("198.51.100.9", &er.ip);
		er.sender = "u@mx10.bomb.example";
		er.domain = "mx10.bomb.example";
		er.max_queries = 5;
		rc = spf_eval(ctx, &er, &res);
		t_ok(rc == 0 && res.result == DKIMSA_RES_PERMERROR &&
			 res.queries <= 5,
		     "query-budget-stops-check-permerror", "%s (%s) %d",
		     dkimsa_res_name(res.result), res.reason, res.queries);
		spf_eval_res_free(&res);
	}
	memset(&req, 0, sizeof(req));
	req.client_ip = "not-an-ip";
	t_ok(spf_check_ctx(ctx, &req, DKIMSA_SPF_MAILFROM, NULL, &r) ==
		 DKIMSA_EINVAL,
	     "bad-client-ip-einval", "accepted");
	dns_ctx_free(ctx);
	free(table);
	return t_exit();
}
