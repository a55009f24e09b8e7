/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_spf_macro.c - SPF macro strings (RFC 7208 section 7, spf_macro.c)
 * on hostile text: the syntax check, expansion in both modes (domain-spec
 * and explanation) with a fixed environment, and the domain-spec form
 * used for queries.  A string the check accepts must expand, and a
 * domain for a query has at most 253 characters and no final dot.
 *
 * Input: one byte of flags (bit 0: explanation mode, bit 1: IPv6 client),
 * then the macro string.
 */
#include "addr.h"
#include "buf.h"
#include "dkimsa.h"
#include "fuzz.h"
#include "spf_macro.h"

static const char *
macro_ptr(void *arg)
{
	return arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spf_macro_env env;
	struct addr ip;
	const char *s;
	char *dom = NULL;
	size_t len;
	int mode, ends, ok, rc;
	buf out;

	if (size < 1)
		return 0;
	mode = (data[0] & 1) ? SPF_MACRO_EXP : SPF_MACRO_DOMAIN;
	s = (const char *)data + 1;
	len = size - 1;
	memset(&env, 0, sizeof(env));
	addr_parse((data[0] & 2) ? "2001:db8::cb01" : "192.0.2.3", &ip);
	env.sender = "strong-bad@email.example.com";
	env.local = "strong-bad";
	env.sender_domain = "email.example.com";
	env.domain = "email.example.com";
	env.helo = "mx.example.org";
	env.receiver = (data[0] & 4) ? NULL : "rcpt.example.net";
	env.ip = &ip;
	env.now = 1400000000;
	env.ptr_name = (data[0] & 8) ? NULL : macro_ptr;
	env.ptr_arg = "mail.example.org";

	ok = spf_macro_check(s, len, mode, &ends) == 0;
	buf_init(&out);
	rc = spf_macro_expand(s, len, mode, &env, &out);
	if (ok)
		FUZZ_CHECK(rc != DKIMSA_ESYNTAX);
	buf_free(&out);

	if (spf_macro_check_domain(s, len) == 0 &&
	    spf_macro_domain(s, len, &env, &dom) == 0) {
		FUZZ_CHECK(dom != NULL);
		/* a last label longer than 253 cannot be truncated */
		FUZZ_CHECK(strlen(dom) <= 253 || strchr(dom, '.') == NULL);
		FUZZ_CHECK(dom[0] == '\0' || dom[strlen(dom) - 1] != '.');
		free(dom);
	}
	return 0;
}
