/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_dmarcrua.c - the mailto: rua URI parser (dmarcrua.c) on hostile
 * URIs, as a DMARC record or a _report._dmarc record can publish them:
 * an accepted URI gives an address with one '@' and a lower-case host of
 * LDH labels that the address ends with, both NUL-terminated in their
 * buffers.
 */
#include <ctype.h>
#include <strings.h>

#include "dmarcrua.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *uri = malloc(size + 1), addr[512], host[256];
	const char *at;
	size_t i, hl, al;

	if (uri == NULL)
		return 0;
	memcpy(uri, data, size);
	uri[size] = '\0';
	if (dmarcrua_mailto(uri, addr, sizeof(addr), host, sizeof(host)) == 0) {
		FUZZ_CHECK(memchr(addr, '\0', sizeof(addr)) != NULL);
		FUZZ_CHECK(memchr(host, '\0', sizeof(host)) != NULL);
		at = strchr(addr, '@');
		FUZZ_CHECK(at != NULL && at > addr &&
			   strchr(at + 1, '@') == NULL);
		hl = strlen(host);
		al = strlen(addr);
		FUZZ_CHECK(hl > 0 && hl <= 253 && al > hl);
		FUZZ_CHECK(strcasecmp(addr + al - hl, host) == 0);
		for (i = 0; i < hl; i++)
			FUZZ_CHECK(isalnum((unsigned char)host[i]) ||
				   host[i] == '-' || host[i] == '_' ||
				   host[i] == '.');
		for (i = 0; i < al; i++)
			FUZZ_CHECK(addr[i] > ' ' && addr[i] < 0x7f);
	}
	free(uri);
	return 0;
}
