/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres_test.c - RFC 8601: recognising Authentication-Results fields
 * that claim our authserv-id, and formatting the dkim resinfo.
 */
#include <stdlib.h>

#include "dkimsa.h"
#include "t.h"

static const struct {
	const char *label, *value;
	int ours;
} ours_rows[] = {
    {"an A-R with our authserv-id is ours", " mx.example.jp; dkim=pass", 1},
    {"authserv-id comparison ignores case", " MX.Example.JP; spf=pass", 1},
    {"a comment before the authserv-id is skipped",
     " (forged) mx.example.jp; dkim=pass", 1},
    {"an authserv-id with a version is ours", " mx.example.jp 1; none", 1},
    {"a quoted authserv-id is ours", " \"mx.example.jp\"; none", 1},
    {"a folded A-R is ours", "\r\n\tmx.example.jp;\r\n\tdkim=pass", 1},
    {"another authserv-id is not ours", " mx.other.example; dkim=pass", 0},
    {"a longer name is not ours", " mx.example.jp.evil; dkim=pass", 0},
    {"a suffix of ours is not ours", " example.jp; dkim=pass", 0},
    {"an empty A-R is not ours", "  ", 0},
    {"an unterminated comment is not ours", " (mx.example.jp; x", 0},
    {"an empty quoted authserv-id is not ours (no crash)", " \"\"; none", 0},
    {"an empty quoted authserv-id after a comment is not ours",
     " (c) \"\" ; dkim=pass", 0},
    {"an unterminated quoted authserv-id is not ours", " \"mx.example.jp", 0},
    {"a quoted authserv-id with a quoted-pair is compared unquoted",
     " \"mx.exam\\ple.jp\"; none", 1},
};

/* One resinfo through the formatter: a dkim=fail result whose reason and
 * i= are the row's, or an spf result whose MAIL FROM is. */
static const struct {
	const char *label, *reason, *auid, *want;
} dkim_rows[] = {
    {"a CR in a reason becomes a space", "bad d=exa\r\n\tmple", "",
     "dkim=fail (bad d=exa   mple) header.d=example.com"},
    {"a bare CR in a reason never reaches the field", "x\ry", "",
     "dkim=fail (x y) header.d=example.com"},
    {"parentheses and backslash in a reason are escaped", "a) ; dkim=pass (\\",
     "", "dkim=fail (a\\) ; dkim=pass \\(\\\\) header.d=example.com"},
    {"controls and 8-bit bytes in a reason become ?", "a\001b\377", "",
     "dkim=fail (a?b?) header.d=example.com"},
    {"an i= with ; is written as a quoted-string", "r", "a;b@example.com",
     "dkim=fail (r) header.d=example.com header.i=\"a;b@example.com\""},
    {"an i= with a quoted local-part stays an address", "r",
     "\"a b\"@example.com",
     "dkim=fail (r) header.d=example.com header.i=\"a b\"@example.com"},
    {"an i= with / in the local-part stays an address", "r", "a/b@example.com",
     "dkim=fail (r) header.d=example.com header.i=a/b@example.com"},
    {"an i= with a CR is left out with a comment", "r", "a\r@example.com",
     "dkim=fail (r) header.d=example.com (header.i not shown: control "
     "characters)"},
    {"an i= with a TAB is left out with a comment", "r", "\t@example.com",
     "dkim=fail (r) header.d=example.com (header.i not shown: control "
     "characters)"},
    {"an i= with 8-bit bytes is left out with a comment", "r",
     "\303\266@example.com",
     "dkim=fail (r) header.d=example.com (header.i not shown: 8-bit "
     "characters)"},
};

static void
test_format_rows(void)
{
	dkimsa_sigresult r;
	char *s = NULL;
	size_t i;

	for (i = 0; i < sizeof(dkim_rows) / sizeof(dkim_rows[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.result = DKIMSA_RES_FAIL;
		r.reason = dkim_rows[i].reason;
		r.domain = "example.com";
		r.selector = "";
		r.auid = dkim_rows[i].auid;
		r.b = "";
		r.key_secure = -1;
		dkimsa_ar_format_dkim(&r, &s);
		t_streq(s, dkim_rows[i].want, dkim_rows[i].label);
		free(s);
	}
}

/*
 * The key notes of a dkim resinfo say only what is known: the DNSSEC
 * state when a key record was fetched, never when the lookup failed.
 * Each row answers the key lookup of one signature through the verifier.
 */
static const struct {
	const char *label;
	int outcome; /* enum dkimsa_lookup */
	const char *txt;
	int secure;
	const char *want;
} keynote_rows[] = {
    {"a temporary key lookup failure has no key notes", DKIMSA_LOOKUP_TEMPFAIL,
     NULL, 0,
     "dkim=temperror (key lookup failed temporarily \\(DNS error or "
     "timeout\\))"},
    {"a missing key has no key notes, even when the denial is secure",
     DKIMSA_LOOKUP_NXDOMAIN, NULL, 1,
     "dkim=permerror (no key for signature \\(sel._domainkey.example.com "
     "does not exist\\))"},
    {"a DNSSEC-bogus key answer has no key notes", DKIMSA_LOOKUP_BOGUS, NULL, 0,
     "dkim=permerror (key record failed DNSSEC validation \\(bogus\\))"},
    {"a fetched key record unsigned by DNSSEC is an unprotected key",
     DKIMSA_LOOKUP_OK, "v=DKIM1; k=rsa; p=", 0,
     "dkim=permerror (unprotected key; key revoked \\(empty p=\\))"},
    {"a fetched key record signed by DNSSEC is secure", DKIMSA_LOOKUP_OK,
     "v=DKIM1; k=rsa; p=", 1,
     "dkim=permerror (secure; key revoked \\(empty "
     "p=\\))"},
};

static int keynote_row;

static int
keynote_key_fn(void *arg, const char *domain, const char *selector, char **txt,
	       int *secure)
{
	(void)arg;
	(void)domain;
	(void)selector;
	*secure = keynote_rows[keynote_row].secure;
	if (keynote_rows[keynote_row].txt != NULL)
		*txt = strdup(keynote_rows[keynote_row].txt);
	return keynote_rows[keynote_row].outcome;
}

static void
test_key_notes(void)
{
	static const char sig[] =
	    "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; "
	    "h=from; bh=AAAA; b=AAAA";
	static const char from[] = "From: a@example.com";
	const char *props = " header.d=example.com header.i=@example.com "
			    "header.s=sel header.a=rsa-sha256 header.b=AAAA";
	dkimsa_verify *v;
	char *s, want[300];
	size_t n = sizeof(keynote_rows) / sizeof(keynote_rows[0]);

	for (keynote_row = 0; (size_t)keynote_row < n; keynote_row++) {
		s = NULL;
		if (dkimsa_verify_new(NULL, &v) == 0) {
			dkimsa_verify_set_key_fn(v, keynote_key_fn, NULL);
			dkimsa_verify_header(v, sig, strlen(sig));
			dkimsa_verify_header(v, from, strlen(from));
			dkimsa_verify_body(v, "x\r\n", 3);
			dkimsa_verify_finish(v);
			dkimsa_ar_format_dkim(dkimsa_verify_result(v, 0), &s);
			dkimsa_verify_free(v);
		}
		snprintf(want, sizeof(want), "%s%s",
			 keynote_rows[keynote_row].want, props);
		t_streq(s, want, keynote_rows[keynote_row].label);
		free(s);
	}
}

/* Long values: left out, comments cut, the field bounded. */
static void
test_lengths(void)
{
	char *big = malloc(70000), *s = NULL, *a = NULL;
	dkimsa_sigresult r;
	dkimsa_ar *ar;
	int i;

	memset(big, 'x', 69999);
	big[69999] = '\0';
	memcpy(big + 69990, "@ex.com", 8);
	dkimsa_ar_new("mx.example.jp", &ar);
	dkimsa_ar_method(ar, "spf", DKIMSA_RES_NONE);
	dkimsa_ar_prop(ar, "smtp", "mailfrom", big);
	dkimsa_ar_finish(ar, &s);
	dkimsa_ar_free(ar);
	t_streq(s,
		" mx.example.jp;\r\n\tspf=none (smtp.mailfrom not shown: too "
		"long)",
		"a 70 KB MAIL FROM is left out with a comment");
	free(s);
	memset(&r, 0, sizeof(r));
	r.result = DKIMSA_RES_FAIL;
	r.reason = big;
	r.domain = "example.com";
	r.selector = r.auid = r.b = "";
	dkimsa_ar_format_dkim(&r, &s);
	t_ok(s != NULL && strlen(s) < 300 && strstr(s, "xxx...)") != NULL,
	     "a long reason is cut after 256 bytes with ...", "%zu bytes",
	     s ? strlen(s) : 0);
	free(s);
	dkimsa_ar_new("mx.example.jp", &ar);
	for (i = 0; i < 1000; i++)
		dkimsa_ar_add_dkim(ar, &r);
	dkimsa_ar_finish(ar, &a);
	dkimsa_ar_free(ar);
	t_ok(a != NULL && strlen(a) <= DKIMSA_AR_MAX &&
		 strstr(a, "more results not shown)") != NULL,
	     "1000 results stay under DKIMSA_AR_MAX, the rest counted",
	     "%zu bytes", a ? strlen(a) : 0);
	free(a);
	free(big);
}

static void
test_builder(void)
{
	dkimsa_ar *ar = NULL;
	char *s = NULL;

	t_ok(dkimsa_ar_new("mx;evil", &ar) == 0, "an odd authserv-id is quoted",
	     "refused");
	dkimsa_ar_finish(ar, &s);
	t_streq(s, " \"mx;evil\"; none", "a field without results says none");
	dkimsa_ar_free(ar);
	free(s);
	t_ok(dkimsa_ar_new("mx\r\nX: y", &ar) == DKIMSA_EINVAL,
	     "an authserv-id with a line end is refused", "accepted");
	dkimsa_ar_new("mx.example.jp", &ar);
	t_ok(dkimsa_ar_comment(ar, "x") == DKIMSA_ESTATE,
	     "a comment before any method is refused", "accepted");
	t_ok(dkimsa_ar_method(ar, "dkim;spf", DKIMSA_RES_PASS) == DKIMSA_EINVAL,
	     "a method name that is not a token is refused", "accepted");
	dkimsa_ar_free(ar);
}

int
main(void)
{
	dkimsa_sigresult r;
	char *s = NULL;
	size_t i;

	for (i = 0; i < sizeof(ours_rows) / sizeof(ours_rows[0]); i++)
		t_ok(dkimsa_ar_is_ours(ours_rows[i].value,
				       strlen(ours_rows[i].value),
				       "mx.example.jp") == ours_rows[i].ours,
		     ours_rows[i].label, "want %d", ours_rows[i].ours);
	memset(&r, 0, sizeof(r));
	r.result = DKIMSA_RES_PASS;
	r.reason = "signature verified";
	r.domain = "example.com";
	r.selector = "sel";
	r.auid = "@example.com";
	r.alg = DKIMSA_ALG_RSA_SHA256;
	r.b = "AbCdEfGhIjKl";
	r.key_bits = 2048;
	r.key_secure = 1;
	dkimsa_ar_format_dkim(&r, &s);
	t_streq(s,
		"dkim=pass (2048-bit key; secure) header.d=example.com "
		"header.i=@example.com header.s=sel header.a=rsa-sha256 "
		"header.b=AbCdEfGh",
		"a dkim pass is formatted with key size and DNSSEC state");
	free(s);
	r.result = DKIMSA_RES_FAIL;
	r.reason = "body (hash) did not verify";
	r.key_secure = 0;
	r.b = "ab/cd+ef=";
	dkimsa_ar_format_dkim(&r, &s);
	t_streq(s,
		"dkim=fail (2048-bit key; unprotected key; body \\(hash\\) "
		"did not verify) header.d=example.com header.i=@example.com "
		"header.s=sel header.a=rsa-sha256 header.b=\"ab/cd+ef\"",
		"a dkim fail carries the reason as an escaped comment");
	free(s);
	test_format_rows();
	test_key_notes();
	test_lengths();
	test_builder();
	return t_exit();
}
