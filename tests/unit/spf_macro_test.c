/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_macro_test.c - spf_macro.c: the RFC 7208 section 7.4 examples,
 * every letter, transformers, delimiters, URL escaping, the exp-only
 * letters, syntax errors and domain truncation (7.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"
#include "spf_macro.h"
#include "t.h"

static const char *
fake_ptr(void *arg)
{
	return arg;
}

static const struct {
	const char *name, *in;
	int mode, v6;
	const char *want; /* NULL: syntax error */
} rows[] = {
    /* RFC 7208 section 7.4 */
    {"rfc7208-7.4-s", "%{s}", 0, 0, "strong-bad@email.example.com"},
    {"rfc7208-7.4-o", "%{o}", 0, 0, "email.example.com"},
    {"rfc7208-7.4-d", "%{d}", 0, 0, "email.example.com"},
    {"rfc7208-7.4-d4", "%{d4}", 0, 0, "email.example.com"},
    {"rfc7208-7.4-d3", "%{d3}", 0, 0, "email.example.com"},
    {"rfc7208-7.4-d2", "%{d2}", 0, 0, "example.com"},
    {"rfc7208-7.4-d1", "%{d1}", 0, 0, "com"},
    {"rfc7208-7.4-dr", "%{dr}", 0, 0, "com.example.email"},
    {"rfc7208-7.4-d2r", "%{d2r}", 0, 0, "example.email"},
    {"rfc7208-7.4-l", "%{l}", 0, 0, "strong-bad"},
    {"rfc7208-7.4-l-dash", "%{l-}", 0, 0, "strong.bad"},
    {"rfc7208-7.4-lr", "%{lr}", 0, 0, "strong-bad"},
    {"rfc7208-7.4-lr-dash", "%{lr-}", 0, 0, "bad.strong"},
    {"rfc7208-7.4-l1r-dash", "%{l1r-}", 0, 0, "strong"},
    {"rfc7208-7.4-ir-v-spf-d2", "%{ir}.%{v}._spf.%{d2}", 0, 0,
     "3.2.0.192.in-addr._spf.example.com"},
    {"rfc7208-7.4-lr-lp-spf-d2", "%{lr-}.lp._spf.%{d2}", 0, 0,
     "bad.strong.lp._spf.example.com"},
    {"rfc7208-7.4-lr-lp-ir-v", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", 0, 0,
     "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
    {"rfc7208-7.4-ir-v-l1r", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", 0, 0,
     "3.2.0.192.in-addr.strong.lp._spf.example.com"},
    {"rfc7208-7.4-d2-trusted", "%{d2}.trusted-domains.example.net", 0, 0,
     "example.com.trusted-domains.example.net"},
    {"rfc7208-7.4-ipv6-ir-v", "%{ir}.%{v}._spf.%{d2}", 0, 1,
     "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6."
     "_spf.example.com"},
    /* other letters */
    {"letter-h", "%{h}", 0, 0, "mx.example.org"},
    {"letter-p-validated-name", "%{p}", 0, 0, "mail.example.org"},
    {"letter-v-ipv4", "%{v}", 0, 0, "in-addr"},
    {"letter-i-ipv4", "%{i}", 0, 0, "192.0.2.3"},
    {"letter-c-exp", "%{c}", 1, 0, "192.0.2.3"},
    {"letter-c-exp-ipv6", "%{c}", 1, 1, "2001:db8::cb01"},
    {"letter-r-exp", "%{r}", 1, 0, "rcpt.example.net"},
    {"letter-t-exp", "%{t}", 1, 0, "1400000000"},
    {"letter-c-not-in-domain", "%{c}", 0, 0, NULL},
    {"letter-r-not-in-domain", "%{r}.example.com", 0, 0, NULL},
    {"letter-t-not-in-domain", "%{t}", 0, 0, NULL},
    {"letter-unknown", "%{a}.example.com", 0, 0, NULL},
    /* escapes, transformers, delimiters */
    {"percent-percent-underscore-dash", "a%%b%_c%-d", 0, 0, "a%b c%20d"},
    {"multiple-delimiters", "%{l2r+-}", 0, 0, "bad.strong"},
    {"all-delimiters", "%{s.-+,/_=}", 0, 0, "strong.bad@email.example.com"},
    {"digits-larger-than-parts", "%{d99}", 0, 0, "email.example.com"},
    {"zero-digits-rejected", "%{d0}", 0, 0, NULL},
    {"upper-case-r-transformer", "%{dR}", 0, 0, "com.example.email"},
    {"upper-letter-url-escapes", "%{S}", 0, 0,
     "strong-bad%40email.example.com"},
    {"upper-letter-escapes-reserved", "%{L}", 1, 2, "~jack%26jill%3Dup-a_b3.c"},
    {"percent-paren-rejected", "%(ir).sbl.example.com", 0, 0, NULL},
    {"percent-at-end-rejected", "foo%", 0, 0, NULL},
    {"unclosed-brace-rejected", "%{d", 0, 0, NULL},
    {"bad-delimiter-rejected", "%{d;}", 0, 0, NULL},
    {"space-only-in-exp", "a b", 1, 0, "a b"},
    {"space-rejected-in-domain", "a b", 0, 0, NULL},
    {"trailing-dot-kept-in-exp", "This is a test.", 1, 0, "This is a test."},
};

static void
env_for(struct spf_macro_env *env, struct addr *ip, int v6)
{
	memset(env, 0, sizeof(*env));
	addr_parse(v6 == 1 ? "2001:db8::cb01" : "192.0.2.3", ip);
	env->sender = v6 == 2 ? "~jack&jill=up-a_b3.c@e8.example.com"
			      : "strong-bad@email.example.com";
	env->local = v6 == 2 ? "~jack&jill=up-a_b3.c" : "strong-bad";
	env->sender_domain = "email.example.com";
	env->domain = "email.example.com";
	env->helo = "mx.example.org";
	env->receiver = "rcpt.example.net";
	env->ip = ip;
	env->now = 1400000000;
	env->ptr_name = fake_ptr;
	env->ptr_arg = "mail.example.org";
}

static const struct {
	const char *name, *spec;
	int ok;
} domain_rows[] = {
    {"domain-spec-plain", "example.com", 1},
    {"domain-spec-trailing-dot", "example.com.", 1},
    {"domain-spec-macro-end", "%{d}", 1},
    {"domain-spec-macro-then-toplabel", "%{i}.bl.example", 1},
    {"domain-spec-dash-toplabel", "foo.xn--zckzah", 1},
    {"domain-spec-numeric-toplabel", "abc.123", 0},
    {"domain-spec-single-label", "museum", 0},
    {"domain-spec-empty", "", 0},
};

int
main(void)
{
	struct spf_macro_env env;
	struct addr ip;
	char name[100], *d;
	size_t i;
	buf b;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		env_for(&env, &ip, rows[i].v6);
		buf_init(&b);
		rc = spf_macro_expand(rows[i].in, strlen(rows[i].in),
				      rows[i].mode, &env, &b);
		if (rows[i].want == NULL)
			t_ok(rc == DKIMSA_ESYNTAX, rows[i].name,
			     "expanded to %s", b.data);
		else
			t_ok(rc == 0 && strcmp(b.data ? b.data : "",
					       rows[i].want) == 0,
			     rows[i].name, "rc %d got \"%s\" want \"%s\"", rc,
			     b.data ? b.data : "", rows[i].want);
		buf_free(&b);
	}
	for (i = 0; i < sizeof(domain_rows) / sizeof(domain_rows[0]); i++)
		t_ok((spf_macro_check_domain(domain_rows[i].spec,
					     strlen(domain_rows[i].spec)) ==
		      0) == domain_rows[i].ok,
		     domain_rows[i].name, "want %d", domain_rows[i].ok);
	/* 7.3: trailing dot removed; left labels cut to 253 characters */
	env_for(&env, &ip, 0);
	rc = spf_macro_domain("%{d}.", 5, &env, &d);
	t_ok(rc == 0 && strcmp(d, "email.example.com") == 0,
	     "domain-trailing-dot-removed", "got %s", d ? d : "(null)");
	free(d);
	env.domain = "somewhat.long.exp.example.com";
	{
		static const char s[] = "foobar.%{d}.%{d}.%{d}.%{d}.%{d}.%{d}."
					"%{d}.%{d}.example.com";

		rc = spf_macro_domain(s, sizeof(s) - 1, &env, &d);
	}
	snprintf(name, sizeof(name), "%s", d ? d : "");
	t_ok(rc == 0 && strlen(name) <= 253 &&
		 strncmp(name, "somewhat.long.", 14) == 0,
	     "domain-truncated-to-253-at-a-label", "got %zu chars: %.40s",
	     strlen(name), name);
	free(d);
	return t_exit();
}
