/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_rec_test.c - spf_rec.c: version tags (v=spf1, spf2.0/scopes) and
 * record syntax (RFC 7208 4.5, 4.6.1, 5, 6; RFC 4406 3.1).  Valid records
 * are checked through a dump of their terms; invalid ones must fail.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"
#include "spf_rec.h"
#include "t.h"

static const struct {
	const char *name, *txt;
	int kind, scopes;
} version_rows[] = {
    {"spf1-plain", "v=spf1 -all", 1, 3},
    {"spf1-alone", "v=spf1", 1, 3},
    {"spf1-case-insensitive", "V=SpF1 ~all", 1, 3},
    {"spf10-is-not-spf1", "v=spf10", 0, 0},
    {"spf1-needs-space", "v=spf1mx", 0, 0},
    {"sid-mfrom", "spf2.0/mfrom -all", 2, SPF_SCOPE_MFROM},
    {"sid-pra", "spf2.0/pra ip4:1.2.3.4", 2, SPF_SCOPE_PRA},
    {"sid-both-scopes", "spf2.0/mfrom,pra -all", 2, 3},
    {"sid-case-insensitive", "SPF2.0/PRA", 2, SPF_SCOPE_PRA},
    {"sid-unknown-scope-ignored", "spf2.0/pra,future -all", 2, SPF_SCOPE_PRA},
    {"sid-empty-scope-rejected", "spf2.0/ -all", 0, 0},
    {"sid-trailing-comma-rejected", "spf2.0/pra, -all", 0, 0},
    {"not-a-record", "google-site-verification=abc", 0, 0},
};

static const char *
qname(int q)
{
	switch (q) {
	case DKIMSA_RES_PASS:
		return "+";
	case DKIMSA_RES_FAIL:
		return "-";
	case DKIMSA_RES_SOFTFAIL:
		return "~";
	default:
		return "?";
	}
}

static void
dump(const struct spf_rec *r, buf *b)
{
	static const char *names[] = {"",    "all", "include", "a",	"mx",
				      "ptr", "ip4", "ip6",     "exists"};
	size_t i;

	for (i = 0; i < r->nterms; i++) {
		const struct spf_term *t = &r->terms[i];

		buf_printf(b, "%s%s%s%s", i ? " " : "", qname(t->qual),
			   names[t->mech], t->domain ? ":" : "");
		if (t->domain)
			buf_adds(b, t->domain);
		if (t->mech == SPF_M_A || t->mech == SPF_M_MX ||
		    t->mech == SPF_M_IP4 || t->mech == SPF_M_IP6)
			buf_printf(b, "/%d//%d", t->cidr4, t->cidr6);
	}
	if (r->redirect)
		buf_printf(b, " redirect=%s", r->redirect);
	if (r->exp)
		buf_printf(b, " exp=%s", r->exp);
}

static const struct {
	const char *name, *txt, *want; /* want NULL: permerror */
} parse_rows[] = {
    {"empty-record", "v=spf1", ""},
    {"qualifiers", "v=spf1 +all -all ~all ?all all",
     "+all -all ~all ?all +all"},
    {"several-spaces-and-trailing-space", "v=spf1 a  -all ", "+a/32//128 -all"},
    {"a-with-domain-and-dual-cidr", "v=spf1 a:foo.example.com/24//64",
     "+a:foo.example.com/24//64"},
    {"a-ip6-cidr-only", "v=spf1 a//0", "+a/32//0"},
    {"mx-cidr4-only", "v=spf1 mx/0 -all", "+mx/0//128 -all"},
    {"a-domain-with-colon-and-slash", "v=spf1 a:foo:bar/baz.example.com",
     "+a:foo:bar/baz.example.com/32//128"},
    {"ip4-and-ip6", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32",
     "+ip4/24//128 +ip6/32//32"},
    {"ip6-embedded-ipv4-cidr", "v=spf1 ip6:::1.1.1.1/0", "+ip6/32//0"},
    {"ptr-and-exists", "v=spf1 ptr ptr:example.com exists:%{i}.bl.example",
     "+ptr +ptr:example.com +exists:%{i}.bl.example"},
    {"include-trailing-dot", "v=spf1 include:o.spf.example.com. ~all",
     "+include:o.spf.example.com. ~all"},
    {"include-idn-toplabel", "v=spf1 a:foo.example.xn--zckzah -all",
     "+a:foo.example.xn--zckzah/32//128 -all"},
    {"domain-ends-in-macro", "v=spf1 a:%{H} -all", "+a:%{H}/32//128 -all"},
    {"modifiers", "v=spf1 -all exp=explain.%{d} redirect=_spf.example.com",
     "-all redirect=_spf.example.com exp=explain.%{d}"},
    {"unknown-modifier-ignored",
     "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
     "+ip4/32//128 -all"},
    {"obsolete-default-modifier-ignored", "v=spf1 default=+", ""},
    {"mechanism-names-case-insensitive", "v=spf1 MX -ALL", "+mx/32//128 -all"},
    {"unknown-mechanism", "v=spf1 ip4:1.2.3.4 -all moo", NULL},
    {"redirect-is-not-a-mechanism", "v=spf1 redirect:t2.example.com", NULL},
    {"modifier-name-after-slash", "v=spf1 moo.cow/far_out=man:dog/cat", NULL},
    {"modifier-name-after-colon", "v=spf1 moo.cow:far_out=man:dog/cat", NULL},
    {"modifier-name-starts-with-digit", "v=spf1 1up=foo", NULL},
    {"modifier-name-empty", "v=spf1 =all", NULL},
    {"unknown-modifier-bad-macro", "v=spf1 -all foo=%abc", NULL},
    {"redirect-twice", "v=spf1 redirect=a.example.com redirect=a.example.com",
     NULL},
    {"exp-twice", "v=spf1 exp=a.example.com exp=b.example.com", NULL},
    {"exp-empty", "v=spf1 exp= -all", NULL},
    {"redirect-empty", "v=spf1 ?all redirect=", NULL},
    {"exp-not-a-domain", "v=spf1 exp=-all", NULL},
    {"all-with-dot", "v=spf1 -all.", NULL},
    {"all-with-argument", "v=spf1 -all:foobar", NULL},
    {"all-with-cidr", "v=spf1 -all/8", NULL},
    {"include-without-domain", "v=spf1 include +all", NULL},
    {"include-empty-domain", "v=spf1 include: -all", NULL},
    {"include-with-cidr", "v=spf1 include:ip5.example.com/24 -all", NULL},
    {"exists-without-domain", "v=spf1 exists", NULL},
    {"exists-with-cidr", "v=spf1 exists:mail.example.com/24", NULL},
    {"ptr-with-cidr", "v=spf1 ptr/0 -all", NULL},
    {"ptr-empty-domain", "v=spf1 ptr:", NULL},
    {"a-empty-domain", "v=spf1 a:", NULL},
    {"a-cidr4-33", "v=spf1 a/33 -all", NULL},
    {"a-cidr6-129", "v=spf1 a//129 -all", NULL},
    {"a-cidr-single-slash-twice", "v=spf1 a/24/64 -all", NULL},
    {"a-cidr-leading-zero", "v=spf1 a/024", NULL},
    {"a-numeric-toplabel", "v=spf1 a:111.222.33.44", NULL},
    {"a-toplabel-only", "v=spf1 a:museum", NULL},
    {"a-toplabel-only-trailing-dot", "v=spf1 a:museum.", NULL},
    {"a-toplabel-leading-dash", "v=spf1 a:example.-com", NULL},
    {"a-port-in-toplabel", "v=spf1 a:example.com:8080", NULL},
    {"a-no-dot", "v=spf1 a:foo-bar -all", NULL},
    {"ip4-bare", "v=spf1 ip4", NULL},
    {"ip4-cidr-33", "v=spf1 ip4:1.2.3.4/33", NULL},
    {"ip4-cidr-leading-zero", "v=spf1 ip4:1.2.3.4/032", NULL},
    {"ip4-dual-cidr", "v=spf1 ip4:1.2.3.4//32", NULL},
    {"ip4-short", "v=spf1 ip4:1.2.3", NULL},
    {"ip4-port", "v=spf1 ip4:1.2.3.4:8080", NULL},
    {"ip6-bare", "v=spf1 -all ip6", NULL},
    {"ip6-cidr-129", "v=spf1 ip6:::1.1.1.1/129", NULL},
    {"ip6-dual-cidr", "v=spf1 ip6:::1.1.1.1//33", NULL},
    {"ip6-bad-address", "v=spf1 ip6::CAFE::BABE", NULL},
    {"control-character", "v=spf1 a:ctrl.example.com\rptr -all", NULL},
    {"newline-between-terms", "v=spf1 ip4:192.0.2.5\n include:x.example ~all",
     NULL},
    {"non-ascii-byte",
     "v=spf1 \x80"
     "a:example.net -all",
     NULL},
    {"macro-letter-exp-only-in-domain", "v=spf1 -all exp=%{r}.example.com",
     NULL},
    {"macro-bad-percent", "v=spf1 -exists:%(ir).sbl.example.com ?all", NULL},
    {"macro-percent-at-end", "v=spf1 exists:foo%.sbl.example.com", NULL},
};

int
main(void)
{
	char err[200];
	struct spf_rec *r;
	size_t i, vlen;
	int scopes, kind, rc;
	buf b;

	for (i = 0; i < sizeof(version_rows) / sizeof(version_rows[0]); i++) {
		kind = spf_rec_version(version_rows[i].txt,
				       strlen(version_rows[i].txt), &vlen,
				       &scopes);
		t_ok(kind == version_rows[i].kind &&
			 (kind == 0 || scopes == version_rows[i].scopes),
		     version_rows[i].name, "kind %d scopes %d", kind, scopes);
	}
	for (i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++) {
		const char *txt = parse_rows[i].txt;

		rc = spf_rec_parse(txt, strlen(txt), 6, &r, err, sizeof(err));
		if (parse_rows[i].want == NULL) {
			t_ok(rc == DKIMSA_ESYNTAX && r == NULL,
			     parse_rows[i].name, "accepted (rc %d)", rc);
			continue;
		}
		buf_init(&b);
		if (rc == 0)
			dump(r, &b);
		t_ok(rc == 0 &&
			 strcmp(b.data ? b.data : "", parse_rows[i].want) == 0,
		     parse_rows[i].name, "rc %d (%s), got \"%s\"", rc,
		     rc ? err : "", b.data ? b.data : "");
		buf_free(&b);
		spf_rec_free(r);
	}
	{ /* an embedded NUL is not a macro-literal */
		static const char nul[] = "v=spf1 a:foo.example.com\0";

		rc = spf_rec_parse(nul, sizeof(nul) - 1, 6, &r, err,
				   sizeof(err));
		t_ok(rc == DKIMSA_ESYNTAX, "nul-byte-in-record", "accepted");
	}
	return t_exit();
}
