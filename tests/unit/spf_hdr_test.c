/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_hdr_test.c - spf_hdr.c: Received-SPF (RFC 7208 section 9.1) and the
 * Authentication-Results resinfo (RFC 8601 section 2.7.2) for each
 * result and identity, golden strings.
 */
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "spf.h"
#include "t.h"

static const char zone[] = "example.com TXT v=spf1 ip4:192.0.2.0/24 -all\n"
			   "soft.example.com TXT v=spf1 ~all\n"
			   "neutral.example.com TXT v=spf1 ?all\n"
			   "bad.example.com TXT v=spf1 ip4:1.2.3.4/99 -all\n"
			   "tmp.example.com SERVFAIL\n"
			   "foo.example.com TXT v=spf1 a -all\n"
			   "foo.example.com A 192.0.2.1\n";

static const struct {
	const char *name, *ip, *from, *helo;
	int identity;
	const char *received, *authres;
} rows[] = {
    {"pass-mailfrom", "192.0.2.1", "myname@example.com", "foo.example.com",
     DKIMSA_SPF_MAILFROM,
     "Received-SPF: pass (mybox.example.org: domain of myname@example.com "
     "designates"
     "\r\n\t192.0.2.1 as permitted sender) receiver=mybox.example.org;"
     "\r\n\tclient-ip=192.0.2.1; envelope-from=\"myname@example.com\";"
     "\r\n\thelo=foo.example.com; identity=mailfrom; "
     "mechanism=\"ip4:192.0.2.0/24\";",
     "spf=pass smtp.mailfrom=myname@example.com"},
    {"fail-mailfrom-ipv6", "2001:db8::1", "myname@example.com", NULL,
     DKIMSA_SPF_MAILFROM,
     "Received-SPF: fail (mybox.example.org: domain of myname@example.com does "
     "not"
     "\r\n\tdesignate 2001:db8::1 as permitted sender) "
     "receiver=mybox.example.org;"
     "\r\n\tclient-ip=\"2001:db8::1\"; envelope-from=\"myname@example.com\";"
     "\r\n\tidentity=mailfrom; mechanism=-all;",
     "spf=fail smtp.mailfrom=myname@example.com"},
    {"softfail", "192.0.2.1", "u@soft.example.com", NULL, DKIMSA_SPF_MAILFROM,
     "Received-SPF: softfail (mybox.example.org: domain of transitioning"
     "\r\n\tu@soft.example.com does not designate 192.0.2.1 as permitted "
     "sender)"
     "\r\n\treceiver=mybox.example.org; client-ip=192.0.2.1;"
     "\r\n\tenvelope-from=\"u@soft.example.com\"; identity=mailfrom; "
     "mechanism=~all;",
     "spf=softfail smtp.mailfrom=u@soft.example.com"},
    {"neutral", "192.0.2.1", "u@neutral.example.com", NULL, DKIMSA_SPF_MAILFROM,
     NULL, "spf=neutral smtp.mailfrom=u@neutral.example.com"},
    {"none-null-sender-uses-helo", "192.0.2.1", "", "nospf.example.net",
     DKIMSA_SPF_MAILFROM,
     "Received-SPF: none (mybox.example.org: domain of "
     "postmaster@nospf.example.net"
     "\r\n\tdoes not designate permitted sender hosts) "
     "receiver=mybox.example.org;"
     "\r\n\tclient-ip=192.0.2.1; envelope-from=\"\"; helo=nospf.example.net;"
     "\r\n\tidentity=mailfrom;",
     "spf=none smtp.mailfrom=postmaster@nospf.example.net"},
    {"helo-identity", "192.0.2.1", "x@example.com", "foo.example.com",
     DKIMSA_SPF_HELO,
     "Received-SPF: pass (mybox.example.org: domain of foo.example.com "
     "designates"
     "\r\n\t192.0.2.1 as permitted sender) receiver=mybox.example.org;"
     "\r\n\tclient-ip=192.0.2.1; helo=foo.example.com; identity=helo; "
     "mechanism=a;",
     "spf=pass smtp.helo=foo.example.com"},
    {"permerror-has-problem", "192.0.2.1", "u@bad.example.com", NULL,
     DKIMSA_SPF_MAILFROM, NULL,
     "spf=permerror smtp.mailfrom=u@bad.example.com"},
    {"temperror", "192.0.2.1", "u@tmp.example.com", NULL, DKIMSA_SPF_MAILFROM,
     NULL, "spf=temperror smtp.mailfrom=u@tmp.example.com"},
    {"quoted-local-part-authres", "192.0.2.1", "John Doe@example.com", NULL,
     DKIMSA_SPF_MAILFROM, NULL,
     "spf=pass smtp.mailfrom=\"John Doe@example.com\""},
};

/* Hostile MAIL FROM and HELO values in Received-SPF (the A-R formatter's
 * rules): each row gives what the field must and must not contain. */
static const struct {
	const char *name, *from, *helo, *has, *hasnot;
} hostile_rows[] = {
    {"received-spf: a 60 KB MAIL FROM is left out and the comment cut", NULL,
     "h.example", "...)", "envelope-from="},
    {"received-spf: a MAIL FROM with CRLF is left out",
     "a@x.example\r\nX-Injected: 1", "h.example", "helo=h.example",
     "envelope-from="},
    {"received-spf: a HELO with ; is quoted", "a@x.example", "h.example;x=y",
     "helo=\"h.example;x=y\";", NULL},
    {"received-spf: a comment with ( ) is escaped", "a(b)@x.example",
     "h.example", "a\\(b\\)@x.example", NULL},
};

/* Line ends only as folds: CR LF TAB. */
static int
folds_ok(const char *s)
{
	for (; *s; s++)
		if ((*s == '\r' && (s[1] != '\n' || s[2] != '\t')) ||
		    (*s == '\n' && s[-1] != '\r'))
			return 0;
	return 1;
}

static void
test_hostile(dns_ctx *ctx)
{
	char *big = malloc(60001), *rs;
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	size_t i;

	memset(big, 'b', 60000);
	memcpy(big + 59980, "@x.example", 11);
	for (i = 0; i < sizeof(hostile_rows) / sizeof(hostile_rows[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.client_ip = "192.0.2.1";
		req.mail_from =
		    hostile_rows[i].from ? hostile_rows[i].from : big;
		req.helo = hostile_rows[i].helo;
		req.receiver = "mybox.example.org";
		rs = NULL;
		if (spf_check_ctx(ctx, &req, DKIMSA_SPF_MAILFROM, NULL, &r) ==
		    0)
			dkimsa_spf_received(r, &rs);
		t_ok(rs != NULL && strlen(rs) < 2000 && folds_ok(rs) &&
			 strstr(rs, hostile_rows[i].has) != NULL &&
			 (hostile_rows[i].hasnot == NULL ||
			  strstr(rs, hostile_rows[i].hasnot) == NULL),
		     hostile_rows[i].name, "got %.300s", rs ? rs : "(null)");
		free(rs);
		dkimsa_spf_result_free(r);
	}
	free(big);
}

static int
lines_ok(const char *s)
{
	const char *p = s, *nl;

	for (; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		if (nl - p > 78)
			return 0;
	return strlen(p) <= 78;
}

int
main(void)
{
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	char err[200], *rs, *ar;
	dns_ctx *ctx;
	size_t i;

	ctx = dns_ctx_new_fake(zone, err, sizeof(err));
	if (!t_ok(ctx != NULL, "fake-dns-loads", "%s", err))
		return t_exit();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.client_ip = rows[i].ip;
		req.mail_from = rows[i].from;
		req.helo = rows[i].helo;
		req.receiver = "mybox.example.org";
		if (spf_check_ctx(ctx, &req, rows[i].identity, NULL, &r) != 0) {
			t_ok(0, rows[i].name, "check failed");
			continue;
		}
		rs = ar = NULL;
		dkimsa_spf_received(r, &rs);
		dkimsa_spf_authres(r, &ar);
		t_ok(rs && lines_ok(rs) &&
			 (rows[i].received == NULL ||
			  strcmp(rs, rows[i].received) == 0) &&
			 (r->result != DKIMSA_RES_PERMERROR ||
			  strstr(rs, "problem=") != NULL),
		     rows[i].name, "got\n%s", rs ? rs : "(null)");
		t_streq(ar, rows[i].authres, rows[i].name);
		free(rs);
		free(ar);
		dkimsa_spf_result_free(r);
	}
	test_hostile(ctx);
	dns_ctx_free(ctx);
	return t_exit();
}
