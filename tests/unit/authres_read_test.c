/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres_read_test.c - the Authentication-Results reader
 * (libdkimsa/authres_read.c, RFC 8601 section 2.2) and its AAR form
 * (dkimsa_arc_aar_parse, RFC 8617 4.1.1): one row per rule of the
 * grammar, per leniency and per limit.  A parsed value is shown as
 * "ID[ v=N][ i=N]" then " | method[/N]=result[ reason=R] ptype.prop=V"
 * per result (ptype "" shown as "-"); a value that does not parse as
 * "unparsed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"
#include "t.h"

static const struct {
	const char *label;
	int aar; /* read as an ARC-Authentication-Results value */
	const char *value, *want;
} rows[] = {
    {"authserv-id and one result", 0, " mx.example; spf=pass",
     "mx.example | spf=pass"},
    {"no-result: none", 0, " mx.example; none", "mx.example"},
    {"NONE in capitals", 0, " mx.example; NONE ", "mx.example"},
    {"authres-version after the authserv-id", 0,
     " mx.microsoft.com 1; dkim=none", "mx.microsoft.com v=1 | dkim=none"},
    {"quoted authserv-id", 0, " \"mx example\"; none", "mx example"},
    {"method version", 0, " mx; dkim/1=pass", "mx | dkim/1=pass"},
    {"method version with CFWS around the slash", 0, " mx; dkim (c) / 2 = pass",
     "mx | dkim/2=pass"},
    {"method and result lower-cased", 0, " mx; DKIM=Pass", "mx | dkim=pass"},
    {"several results with properties", 0,
     " mx; dkim=pass header.d=example.com header.s=sel;\r\n\tspf=fail "
     "smtp.mailfrom=user@example.org",
     "mx | dkim=pass header.d=example.com header.s=sel | spf=fail "
     "smtp.mailfrom=user@example.org"},
    {"reasonspec as a quoted-string", 0,
     " mx; dkim=fail reason=\"bad sig\" header.d=x.example",
     "mx | dkim=fail reason=bad sig header.d=x.example"},
    {"reasonspec as a token", 0, " mx; spf=none reason=nothing",
     "mx | spf=none reason=nothing"},
    {"comments between every part", 0,
     " (a) mx (b); (c) dkim (d) = (e) pass (f) header (g) . (h) d (i) = "
     "(j) example.com (k)",
     "mx | dkim=pass header.d=example.com"},
    {"nested comment with a semicolon in it", 0,
     " mx; dkim=pass (x (y; z)) header.d=a.example",
     "mx | dkim=pass header.d=a.example"},
    {"pvalue @domain", 0, " mx; dkim=pass header.i=@example.com",
     "mx | dkim=pass header.i=@example.com"},
    {"pvalue quoted local-part @domain", 0,
     " mx; spf=pass smtp.mailfrom=\"a b\"@example.com",
     "mx | spf=pass smtp.mailfrom=a b@example.com"},
    {"quoted pvalue with an escaped quote", 0,
     " mx; x=pass header.s=\"a\\\"b\"", "mx | x=pass header.s=a\"b"},
    {"quoted pvalue with a fold: its line end removed", 0,
     " mx; x=pass header.s=\"a\r\n b\"", "mx | x=pass header.s=a b"},
    {"a control character in a quoted pvalue: unparsed (never logged)", 0,
     " mx; x=pass header.s=\"a\x1b b\"", "unparsed"},
    {"an escaped control character in a quoted pvalue: unparsed", 0,
     " mx; x=pass header.s=\"a\\\x1b b\"", "unparsed"},
    {"base64 header.b with / + = (lenient pvalue)", 0,
     " mx; dkim=pass header.b=Ab/c+d=", "mx | dkim=pass header.b=Ab/c+d="},
    {"bare keyword=value kept with ptype \"\" (action=none)", 0,
     " mx; dmarc=pass action=none header.from=example.com",
     "mx | dmarc=pass -.action=none header.from=example.com"},
    {"reason after a property is a bare property", 0,
     " mx; x=pass header.d=a reason=b", "mx | x=pass header.d=a -.reason=b"},
    {"final CRLF allowed", 0, " mx; spf=pass\r\n", "mx | spf=pass"},
    {"Microsoft-style AAR", 1,
     " i=1; mx.microsoft.com 1; spf=pass smtp.mailfrom=a.example; "
     "dmarc=pass action=none header.from=a.example; dkim=pass "
     "header.d=a.example; arc=none",
     "mx.microsoft.com v=1 i=1 | spf=pass smtp.mailfrom=a.example | "
     "dmarc=pass -.action=none header.from=a.example | dkim=pass "
     "header.d=a.example | arc=none"},
    {"Google-style AAR with comments", 1,
     " i=2; mx.google.com;\r\n       dkim=pass header.i=@a.example "
     "header.s=20230601 header.b=Xy/z+1AB;\r\n       spf=pass "
     "(google.com: domain of x@a.example designates 192.0.2.1 as "
     "permitted sender) smtp.mailfrom=x@a.example;\r\n       dmarc=pass "
     "(p=REJECT sp=REJECT dis=NONE) header.from=a.example",
     "mx.google.com i=2 | dkim=pass header.i=@a.example header.s=20230601 "
     "header.b=Xy/z+1AB | spf=pass smtp.mailfrom=x@a.example | dmarc=pass "
     "header.from=a.example"},
    {"AAR with our own A-R copied (dkimsa's seal)", 1,
     " i=1; fwd1.example.test; dkim=pass (2048-bit key) "
     "header.d=sender.test header.i=@sender.test header.s=sel "
     "header.a=rsa-sha256 header.b=AbCdEfGh",
     "fwd1.example.test i=1 | dkim=pass header.d=sender.test "
     "header.i=@sender.test header.s=sel header.a=rsa-sha256 "
     "header.b=AbCdEfGh"},
    {"AAR i=50", 1, " i=50; mx; none", "mx i=50"},
    {"AAR none", 1, "i=1;mx;none", "mx i=1"},
    /* not the grammar */
    {"empty value", 0, "", "unparsed"},
    {"authserv-id alone, without results", 0, " mx.example", "unparsed"},
    {"empty results after \";\"", 0, " mx;", "unparsed"},
    {"a result without \"=\"", 0, " mx; dkim pass", "unparsed"},
    {"a method without a result", 0, " mx; dkim=", "unparsed"},
    {"a property without \"=\"", 0, " mx; dkim=pass header.d", "unparsed"},
    {"a property without a value", 0, " mx; dkim=pass header.d=", "unparsed"},
    {"a property name missing after the dot", 0, " mx; dkim=pass header.=x",
     "unparsed"},
    {"a keyword ending in \"-\"", 0, " mx; dkim-=pass", "unparsed"},
    {"a keyword starting with \"-\"", 0, " mx; -dkim=pass", "unparsed"},
    {"an unterminated comment", 0, " mx; dkim=pass (open", "unparsed"},
    {"an unterminated quoted-string", 0, " mx; dkim=fail reason=\"open",
     "unparsed"},
    {"a bare CR inside", 0, " mx; dkim=pass\rheader.d=x", "unparsed"},
    {"a line end that is not a fold", 0, " mx; dkim=pass\r\nheader.d=x",
     "unparsed"},
    {"a NUL byte", 0, " mx; dkim=pass\0 header.d=x", "unparsed"},
    {"none followed by a result", 0, " mx; none; dkim=pass", "unparsed"},
    {"a method version that is not a number", 0, " mx; dkim/x=pass",
     "unparsed"},
    {"a ten-digit method version", 0, " mx; dkim/1234567890=pass", "unparsed"},
    {"a ten-digit authres-version", 0, " mx 2888888888; none", "unparsed"},
    {"a nine-digit authres-version", 0, " mx 999999999; none",
     "mx v=999999999"},
    {"an empty quoted authserv-id", 0, " \"\"; none", "unparsed"},
    {"AAR without i=", 1, " mx; none", "unparsed"},
    {"AAR i=0", 1, " i=0; mx; none", "unparsed"},
    {"AAR i=51", 1, " i=51; mx; none", "unparsed"},
    {"AAR without authserv-id", 1, " i=1; ; none", "unparsed"},
    {"AAR with an empty payload", 1, " i=1;", "unparsed"},
};

/* The row form of a parsed value. */
static void
render(const dkimsa_ar_parsed *p, buf *b)
{
	size_t i, j;

	buf_adds(b, p->authserv_id);
	if (p->version)
		buf_printf(b, " v=%d", p->version);
	if (p->instance)
		buf_printf(b, " i=%d", p->instance);
	for (i = 0; i < p->nresinfo; i++) {
		const dkimsa_ar_resinfo *r = &p->resinfo[i];

		buf_printf(b, " | %s", r->method);
		if (r->method_version)
			buf_printf(b, "/%d", r->method_version);
		buf_printf(b, "=%s", r->result);
		if (r->reason)
			buf_printf(b, " reason=%s", r->reason);
		for (j = 0; j < r->nprops; j++)
			buf_printf(b, " %s.%s=%s",
				   *r->props[j].ptype ? r->props[j].ptype : "-",
				   r->props[j].property, r->props[j].value);
	}
	buf_addc(b, '\0');
}

static void
row(size_t k)
{
	dkimsa_ar_parsed *p = NULL;
	char why[200] = "";
	size_t len = strlen(rows[k].value);
	buf b;
	int rc;

	if (strstr(rows[k].label, "NUL byte") != NULL)
		len += strlen(rows[k].value + len + 1) + 1;
	rc =
	    rows[k].aar
		? dkimsa_arc_aar_parse(rows[k].value, len, &p, why, sizeof(why))
		: dkimsa_ar_parse(rows[k].value, len, &p, why, sizeof(why));
	buf_init(&b);
	if (rc == 0)
		render(p, &b);
	t_streq(rc == 0 ? b.data
			: (rc == DKIMSA_ESYNTAX ? "unparsed" : "error"),
		rows[k].want, rows[k].label);
	if (rc != 0 && strcmp(rows[k].want, "unparsed") == 0)
		t_ok(why[0] != '\0' && p == NULL, "unparsed says why",
		     "%s: no reason", rows[k].label);
	buf_free(&b);
	dkimsa_ar_parsed_free(p);
}

/* n results, or one result with n properties. */
static char *
many(int n, int props)
{
	buf b;
	int i;

	buf_init(&b);
	buf_adds(&b, " mx");
	if (props)
		buf_adds(&b, "; dkim=pass");
	for (i = 0; i < n; i++)
		buf_adds(&b, props ? " header.d=a.example" : "; spf=pass");
	buf_addc(&b, '\0');
	return buf_steal(&b);
}

static void
limits(void)
{
	dkimsa_ar_parsed *p = NULL;
	char *v, why[200];
	size_t n;

	v = many(DKIMSA_AR_MAX_RESINFO, 0);
	t_ok(dkimsa_ar_parse(v, strlen(v), &p, why, sizeof(why)) == 0 &&
		 p->nresinfo == DKIMSA_AR_MAX_RESINFO,
	     "the most results allowed parse", "%s", why);
	dkimsa_ar_parsed_free(p);
	free(v);
	v = many(DKIMSA_AR_MAX_RESINFO + 1, 0);
	t_ok(dkimsa_ar_parse(v, strlen(v), &p, why, sizeof(why)) ==
		     DKIMSA_ESYNTAX &&
		 strstr(why, "too many results") != NULL,
	     "one result more is unparsed", "%s", why);
	free(v);
	v = many(DKIMSA_AR_MAX_PROPS, 1);
	t_ok(dkimsa_ar_parse(v, strlen(v), &p, why, sizeof(why)) == 0 &&
		 p->resinfo[0].nprops == DKIMSA_AR_MAX_PROPS,
	     "the most properties allowed parse", "%s", why);
	dkimsa_ar_parsed_free(p);
	free(v);
	v = many(DKIMSA_AR_MAX_PROPS + 1, 1);
	t_ok(dkimsa_ar_parse(v, strlen(v), &p, why, sizeof(why)) ==
		 DKIMSA_ESYNTAX,
	     "one property more is unparsed", "%s", why);
	free(v);
	n = 2 * DKIMSA_AR_MAX + 1;
	v = malloc(n + 1);
	memset(v, 'a', n);
	memcpy(v, " mx; x=pass header.d=", 21);
	v[n] = '\0';
	t_ok(dkimsa_ar_parse(v, n, &p, why, sizeof(why)) == DKIMSA_ESYNTAX &&
		 dkimsa_ar_parse(v, n - 1, &p, why, sizeof(why)) == 0,
	     "a value over 2 * DKIMSA_AR_MAX bytes is unparsed", "%s", why);
	dkimsa_ar_parsed_free(p);
	free(v);
}

static void
props(void)
{
	static const char v[] =
	    " mx; dkim=pass header.d=a.example Header.S=sel smtp.mailfrom=x";
	dkimsa_ar_parsed *p = NULL;

	if (!t_ok(dkimsa_ar_parse(v, strlen(v), &p, NULL, 0) == 0,
		  "a property lookup value parses", "no"))
		return;
	t_streq(dkimsa_ar_parsed_prop(&p->resinfo[0], "header", "s"), "sel",
		"a property is found case-insensitively");
	t_streq(dkimsa_ar_parsed_prop(&p->resinfo[0], "header", "i"), NULL,
		"a property not there is NULL");
	dkimsa_ar_parsed_free(p);
}

int
main(void)
{
	size_t k;

	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
		row(k);
	limits();
	props();
	return t_exit();
}
