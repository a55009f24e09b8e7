/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rfc5322_test.c - the one address parser (libdkimsa/rfc5322.c): one row
 * per grammar rule of RFC 5322 sections 3.2 and 3.4, the obsolete forms
 * of section 4.4, and hostile values that must never yield a mailbox
 * that only looked like one.  Each row gives the field value and what
 * dkimsa_rfc5322_mailbox() and dkimsa_rfc5322_address_list() return.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"
#include "t.h"

/* want: the single mailbox, or "!multiple" / "!syntax" */
static const struct {
	const char *label, *value, *want;
} mailbox_rows[] = {
    {"addr-spec", "joe@example.com", "joe@example.com"},
    {"addr-spec with surrounding white space", "  joe@example.com \r\n",
     "joe@example.com"},
    {"name-addr with an atom display-name", "Joe Doe <joe@example.com>",
     "joe@example.com"},
    {"name-addr without display-name", "<joe@example.com>", "joe@example.com"},
    {"quoted display-name with a comma", "\"Doe, Joe\" <joe@example.com>",
     "joe@example.com"},
    {"quoted display-name holding an address is not the address",
     "\"Joe <joe@bank.example>\" <joe@evil.example>", "joe@evil.example"},
    {"quoted display-name holding an angle-addr and @",
     "\"<joe@bank.example>\" <x@evil.example>", "x@evil.example"},
    {"comment after the address is CFWS", "joe@example.com (Joe (the) Doe)",
     "joe@example.com"},
    {"comment holding an address is not the address",
     "(joe@bank.example) <joe@evil.example>", "joe@evil.example"},
    {"comment with a quoted-pair", "joe@example.com (a \\) b)",
     "joe@example.com"},
    {"comments around the @", "joe(x)@(y)example.com", "joe@example.com"},
    {"folded value", "Joe Doe\r\n <joe@example.com>", "joe@example.com"},
    {"quoted local-part kept quoted", "\"joe doe\"@example.com",
     "\"joe doe\"@example.com"},
    {"quoted local-part that is a dot-atom is unquoted",
     "\"joe.doe\"@example.com", "joe.doe@example.com"},
    {"quoted local-part with a quoted-pair", "\"a\\\"b\"@example.com",
     "\"a\\\"b\"@example.com"},
    {"quoted local-part with @ stays one local-part",
     "\"joe@bank.example\"@evil.example", "\"joe@bank.example\"@evil.example"},
    {"empty quoted local-part", "\"\"@example.com", "\"\"@example.com"},
    {"TAB in a quoted local-part becomes a space", "\"a\tb\"@example.com",
     "\"a b\"@example.com"},
    {"quoted-pair of TAB becomes a space", "\"a\\\tb\"@example.com",
     "\"a b\"@example.com"},
    {"domain-literal", "joe@[192.0.2.1]", "joe@[192.0.2.1]"},
    {"domain case is kept", "Joe@Example.COM", "Joe@Example.COM"},
    {"atext specials in a local-part", "a!#$%&'*+-/=?^_`{|}~b@example.com",
     "a!#$%&'*+-/=?^_`{|}~b@example.com"},
    {"UTF-8 local-part (RFC 6532)", "j\xc3\xb6rg@example.com",
     "j\xc3\xb6rg@example.com"},
    {"obs-local-part with quoted and atom words", "\"joe\".doe@example.com",
     "joe.doe@example.com"},
    {"obs-local-part with CFWS around dots", "joe . doe@example.com",
     "joe.doe@example.com"},
    {"obs-local-part needing quotes", "\"joe doe\".x@example.com",
     "\"joe doe.x\"@example.com"},
    {"obs-domain with CFWS around dots", "joe@example . com",
     "joe@example.com"},
    {"obs-phrase with a dot", "Joe Q. Public <joe@example.com>",
     "joe@example.com"},
    {"obs-route is dropped", "<@relay.example,@b.example:joe@example.com>",
     "joe@example.com"},
    {"obs-mbox-list empty elements", ", joe@example.com ,,", "joe@example.com"},
    {"two mailboxes are several", "a@example.com, b@example.com", "!multiple"},
    {"two name-addrs are several", "A <a@example.com>, B <b@example.com>",
     "!multiple"},
    {"a group is not a mailbox-list", "friends: a@example.com;", "!syntax"},
    {"empty value holds no mailbox", "  ", "!syntax"},
    {"only a comment holds no mailbox", "(nobody)", "!syntax"},
    {"a name without an address", "just a name", "!syntax"},
    {"no @", "<joe>", "!syntax"},
    {"unterminated angle-addr", "<joe@example.com", "!syntax"},
    {"unbalanced >", "joe@example.com>", "!syntax"},
    {"two angle-addrs", "<a@example.com> <b@example.com>", "!syntax"},
    {"semicolons inside an angle-addr", "<x@evil.example;dkim=pass;spf=pass>",
     "!syntax"},
    {"A-R text after an addr-spec", "x@evil.example;dkim=pass", "!syntax"},
    {"an unquoted @ in a display-name", "joe@bank.example <joe@evil.example>",
     "!syntax"},
    {"an unquoted < in a display-name",
     "Joe <joe@bank.example <joe@evil.example>>", "!syntax"},
    {"double dot in a local-part", "a..b@example.com", "!syntax"},
    {"leading dot in a local-part", ".a@example.com", "!syntax"},
    {"trailing dot in a domain", "a@example.com.", "!syntax"},
    {"empty domain", "a@", "!syntax"},
    {"two @", "a@b@example.com", "!syntax"},
    {"unterminated quoted-string", "\"joe@example.com", "!syntax"},
    {"unbalanced comment", "joe@example.com (oops", "!syntax"},
    {"stray )", "joe@example.com )", "!syntax"},
    {"CR inside an addr-spec", "joe\r@example.com", "!syntax"},
    {"bare LF then text is folding, not a second field",
     "joe@example.com\nX-Evil: 1", "!syntax"},
    {"control character in a quoted-string", "\"a\001b\"@example.com",
     "!syntax"},
    {"control character in an atom", "a\033b@example.com", "!syntax"},
    {"NUL in a comment", "joe@example.com (a\0b)", "!syntax"},
    {"backslash outside quotes", "a\\b@example.com", "!syntax"},
    {"[ inside a domain-literal", "a@[1[2]", "!syntax"},
    {"unterminated domain-literal", "a@[192.0.2.1", "!syntax"},
    {"quoted-pair of CR", "\"a\\\rb\"@example.com", "!syntax"},
};

/* Lists: the mailboxes joined with " | ", in-group ones marked "g:". */
static const struct {
	const char *label, *value, *want; /* want NULL: malformed */
} list_rows[] = {
    {"address-list of two", "a@example.com, B <b@example.com>",
     "a@example.com | b@example.com"},
    {"group with members", "friends: a@example.com, <b@example.com>;",
     "g:a@example.com | g:b@example.com"},
    {"empty group", "undisclosed-recipients:;", ""},
    {"group then mailbox", "g: a@example.com; , c@example.com",
     "g:a@example.com | c@example.com"},
    {"group with a quoted name", "\"the: group\": a@example.com;",
     "g:a@example.com"},
    {"unterminated group", "friends: a@example.com", NULL},
    {"nested group", "a: b: c@example.com;;", NULL},
    {"empty list", "", ""},
    {"garbage after a list", "a@example.com, b@example.com junk", NULL},
};

static void
test_mailbox(void)
{
	size_t i;

	for (i = 0; i < sizeof(mailbox_rows) / sizeof(mailbox_rows[0]); i++) {
		const char *v = mailbox_rows[i].value;
		/* the NUL row is longer than strlen */
		size_t len = strcmp(mailbox_rows[i].label, "NUL in a comment")
				 ? strlen(v)
				 : sizeof("joe@example.com (a\0b)") - 1;
		char *out = NULL;
		const char *got;
		int rc = dkimsa_rfc5322_mailbox(v, len, &out);

		got = rc == 0		       ? out
		      : rc == DKIMSA_EMULTIPLE ? "!multiple"
		      : rc == DKIMSA_ESYNTAX   ? "!syntax"
					       : "!other";
		t_streq(got, mailbox_rows[i].want, mailbox_rows[i].label);
		free(out);
	}
}

static void
test_list(void)
{
	size_t i, j, n;

	for (i = 0; i < sizeof(list_rows) / sizeof(list_rows[0]); i++) {
		dkimsa_mailbox *mb = NULL;
		buf got;
		int rc;

		buf_init(&got);
		rc = dkimsa_rfc5322_address_list(
		    list_rows[i].value, strlen(list_rows[i].value), &mb, &n);
		for (j = 0; rc == 0 && j < n; j++)
			buf_printf(&got, "%s%s%s", j ? " | " : "",
				   mb[j].in_group ? "g:" : "", mb[j].addr);
		t_streq(rc == 0 ? (got.data ? got.data : "") : NULL,
			list_rows[i].want, list_rows[i].label);
		dkimsa_mailbox_list_free(mb, n);
		buf_free(&got);
	}
}

static void
test_parts(void)
{
	dkimsa_mailbox *mb = NULL;
	size_t n = 0;
	const char *v = "Joe <\"joe doe\"@[192.0.2.1]>";
	int rc = dkimsa_rfc5322_address_list(v, strlen(v), &mb, &n);

	t_ok(rc == 0 && n == 1 && strcmp(mb[0].local, "\"joe doe\"") == 0 &&
		 strcmp(mb[0].domain, "[192.0.2.1]") == 0,
	     "a mailbox gives its local-part and domain", "rc %d: %s / %s", rc,
	     n ? mb[0].local : "", n ? mb[0].domain : "");
	dkimsa_mailbox_list_free(mb, n);
}

/* The tokenizer on its own: types and texts of a whole value. */
static void
test_tokens(void)
{
	static const struct {
		const char *label, *value, *want;
	} rows[] = {
	    {"tokens of a name-addr with comments", "(c) Joe \"Q\" <a.b@[x]>",
	     "A:Joe Q:\"Q\" S:< A:a S:. A:b S:@ "
	     "L:[x] S:> E"},
	    {"a stray ) is an error token", "a )", "A:a X"},
	    {"a nested comment is skipped", "((a)b)c", "A:c E"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *v = rows[i].value;
		size_t pos = 0, len = strlen(v);
		dkimsa_rfc5322_token tok;
		buf got;
		int type;

		buf_init(&got);
		do {
			type = dkimsa_rfc5322_next_token(v, len, &pos, &tok);
			if (got.len)
				buf_addc(&got, ' ');
			if (type == DKIMSA_TOK_END || type == DKIMSA_TOK_ERROR)
				buf_adds(&got,
					 type == DKIMSA_TOK_END ? "E" : "X");
			else
				buf_printf(&got, "%c:%.*s", "EAQLS"[type],
					   (int)tok.len, tok.text);
		} while (type != DKIMSA_TOK_END && type != DKIMSA_TOK_ERROR);
		t_streq(got.data, rows[i].want, rows[i].label);
		buf_free(&got);
	}
	t_ok(dkimsa_rfc5322_cfws(" (a (b) c) x", 12, 0) == 11,
	     "CFWS skips nested comments", "wrong position");
	t_ok(dkimsa_rfc5322_cfws(" (a (b) c x", 11, 0) == (size_t)-1,
	     "an unterminated comment is reported", "not reported");
}

int
main(void)
{
	test_mailbox();
	test_list();
	test_parts();
	test_tokens();
	return t_exit();
}
