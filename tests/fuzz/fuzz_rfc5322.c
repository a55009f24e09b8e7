/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_rfc5322.c - the library's one RFC 5322 address parser (sections
 * 3.2, 3.4 and 4.4, rfc5322.c) on a hostile field value, as the milter,
 * ADSP, Sender ID and dkimsa-verify read From:, Sender: and Resent-*:
 *  - the tokenizer stays inside the text and always moves forward;
 *  - every mailbox of an address-list is local "@" domain, both
 *    non-empty, with no line break, NUL or other control character, and
 *    parses back to itself (what we print is what we read);
 *  - the one-mailbox reader agrees with the list reader.
 */
#include "dkimsa.h"
#include "fuzz.h"

static void
tok_walk(const char *s, size_t len)
{
	dkimsa_rfc5322_token tok;
	size_t pos = 0, prev, c;
	int type, steps = 0;

	c = dkimsa_rfc5322_cfws(s, len, 0);
	FUZZ_CHECK(c == (size_t)-1 || c <= len);
	do {
		prev = pos;
		type = dkimsa_rfc5322_next_token(s, len, &pos, &tok);
		FUZZ_CHECK(pos <= len);
		if (type != DKIMSA_TOK_END && type != DKIMSA_TOK_ERROR) {
			FUZZ_CHECK(pos > prev);
			FUZZ_CHECK(tok.len > 0 && tok.text >= s &&
				   tok.text + tok.len <= s + len);
		}
		FUZZ_CHECK(++steps <= (int)len + 2);
	} while (type != DKIMSA_TOK_END && type != DKIMSA_TOK_ERROR);
}

static int
addr_clean(const char *a)
{
	for (; *a; a++)
		if ((unsigned char)*a < 0x20 || *a == 0x7f)
			return 0;
	return 1;
}

/* The printed form of a mailbox reads back as the same mailbox. */
static void
addr_reparse(const dkimsa_mailbox *mb)
{
	dkimsa_mailbox *again = NULL;
	size_t n = 0;
	int rc;

	rc =
	    dkimsa_rfc5322_address_list(mb->addr, strlen(mb->addr), &again, &n);
	if (rc != 0 || n != 1 || strcmp(again[0].addr, mb->addr) != 0)
		fprintf(stderr, "\"%s\" reads back as %s\n", mb->addr,
			rc != 0 ? "an error" : (n == 1 ? again[0].addr : "?"));
	FUZZ_CHECK(rc == 0 && n == 1);
	FUZZ_CHECK(strcmp(again[0].addr, mb->addr) == 0);
	dkimsa_mailbox_list_free(again, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	dkimsa_mailbox *list = NULL;
	size_t n = 0, i;
	char *one = NULL;
	int rc, rc1;

	tok_walk(s, size);
	rc = dkimsa_rfc5322_address_list(s, size, &list, &n);
	if (rc == 0) {
		FUZZ_CHECK(n == 0 || list != NULL);
		for (i = 0; i < n; i++) {
			const dkimsa_mailbox *mb = &list[i];

			FUZZ_CHECK(mb->addr && mb->local && mb->domain);
			FUZZ_CHECK(mb->local[0] != '\0' &&
				   mb->domain[0] != '\0');
			FUZZ_CHECK(strlen(mb->addr) ==
				   strlen(mb->local) + 1 + strlen(mb->domain));
			FUZZ_CHECK(strncmp(mb->addr, mb->local,
					   strlen(mb->local)) == 0);
			FUZZ_CHECK(mb->addr[strlen(mb->local)] == '@');
			FUZZ_CHECK(addr_clean(mb->addr));
			addr_reparse(mb);
		}
	} else {
		FUZZ_CHECK(rc == DKIMSA_ESYNTAX || rc == DKIMSA_ENOMEM);
	}
	rc1 = dkimsa_rfc5322_mailbox(s, size, &one);
	if (rc1 == 0) {
		FUZZ_CHECK(one != NULL);
		FUZZ_CHECK(rc == 0 && n == 1 && strcmp(one, list[0].addr) == 0);
		free(one);
	} else {
		FUZZ_CHECK(rc1 == DKIMSA_ESYNTAX || rc1 == DKIMSA_EMULTIPLE ||
			   rc1 == DKIMSA_ENOMEM);
		FUZZ_CHECK(rc1 != DKIMSA_EMULTIPLE || (rc == 0 && n > 1));
	}
	dkimsa_mailbox_list_free(list, n);
	return 0;
}
