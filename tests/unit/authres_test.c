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
	return t_exit();
}
