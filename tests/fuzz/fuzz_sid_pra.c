/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_sid_pra.c - the Purported Responsible Address (RFC 4407 section 2,
 * sid_pra.c) of a hostile header block: a PRA found is one mailbox with
 * an "@" and no line break, and names the field it came from.
 */
#include "dkimsa.h"
#include "fuzz.h"
#include "sid_pra.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *mailbox = NULL, *field = NULL, err[200];
	int rc;

	rc = sid_pra_find((const char *)data, size, &mailbox, &field, err,
			  sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(mailbox != NULL && field != NULL);
		FUZZ_CHECK(strchr(mailbox, '@') != NULL);
		FUZZ_CHECK(strpbrk(mailbox, "\r\n") == NULL);
		FUZZ_CHECK(field[0] != '\0');
	} else {
		FUZZ_CHECK(rc == DKIMSA_ESYNTAX || rc == DKIMSA_ENOMEM);
	}
	free(mailbox);
	free(field);
	return 0;
}
