/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_idna.c - U-labels to A-labels (idna.c) on hostile names: a name it
 * accepts comes out as ASCII that fits its buffer and converts again to
 * itself; one it refuses says why.
 */
#include "fuzz.h"
#include "idna.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_strdup(data, size), out[254], again[254];
	const char *why = NULL;

	if (in == NULL)
		return 0;
	if (idna_to_alabels(in, out, sizeof(out), &why) != 0) {
		FUZZ_CHECK(why != NULL && *why != '\0');
	} else {
		FUZZ_CHECK(memchr(out, '\0', sizeof(out)) != NULL);
		FUZZ_CHECK(idna_is_ascii(out));
		FUZZ_CHECK(idna_to_alabels(out, again, sizeof(again), &why) ==
			   0);
		FUZZ_CHECK(strcmp(out, again) == 0);
	}
	free(in);
	return 0;
}
