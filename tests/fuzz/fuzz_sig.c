/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_sig.c - the DKIM-Signature field parser (RFC 6376 section 3.5,
 * sig.c) on a whole hostile field "DKIM-Signature: ..." (the seeds carry
 * the name).  A parsed signature must have every required part, and the
 * b= position must lie inside the field; the domain checker runs over d=.
 */
#include "dkimsa.h"
#include "fuzz.h"
#include "sig.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *field = (const char *)data;
	struct sig s;
	char reason[200];
	int rc;

	sig_init(&s);
	rc = sig_parse(field, size, &s, reason, sizeof(reason));
	if (rc == 0) {
		FUZZ_CHECK(s.domain != NULL && s.selector != NULL);
		FUZZ_CHECK(s.auid != NULL && s.b_text != NULL);
		FUZZ_CHECK(s.nh > 0 && s.h != NULL);
		FUZZ_CHECK(s.b_start <= s.b_end && s.b_end <= size);
		FUZZ_CHECK(sig_domain_ok(s.domain, strlen(s.domain)));
	} else {
		FUZZ_CHECK(rc == DKIMSA_ESYNTAX || rc == DKIMSA_ENOMEM);
		FUZZ_CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
	}
	sig_free(&s);
	(void)sig_domain_ok(field, size);
	return 0;
}
