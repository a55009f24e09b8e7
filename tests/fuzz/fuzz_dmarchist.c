/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_dmarchist.c - the DMARC history line reader (dmarchist.c) on
 * hostile lines: a line it accepts must be written back by the writer as
 * one line that reads back to the same record (the round trip
 * dkimsa-reports relies on), and values stay NUL-terminated inside their
 * fields.
 */
#include "dkimsa.h"
#include "dmarchist.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmarchist_rec *r = malloc(sizeof(*r)),
			     *back = malloc(sizeof(*r));
	char err[200], *line = NULL, *again = NULL;
	size_t len, len2, i;

	if (r == NULL || back == NULL)
		goto out;
	if (dmarchist_parse((const char *)data, size, r, err, sizeof(err)) !=
	    0) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		goto out;
	}
	FUZZ_CHECK(r->nrua <= DMARCHIST_MAXRUA &&
		   r->ndkim <= DMARCHIST_MAXDKIM);
	FUZZ_CHECK(memchr(r->header_from, '\0', DMARCHIST_NAME) != NULL);
	for (i = 0; i < r->ndkim; i++)
		FUZZ_CHECK(memchr(r->dkim[i].selector, '\0', DMARCHIST_NAME) !=
			   NULL);
	if (dmarchist_format(r, &line, &len) != 0)
		goto out;
	FUZZ_CHECK(len > 0 && line[len - 1] == '\n' &&
		   memchr(line, '\n', len - 1) == NULL);
	FUZZ_CHECK(dmarchist_parse(line, len, back, err, sizeof(err)) == 0);
	FUZZ_CHECK(dmarchist_format(back, &again, &len2) == 0);
	FUZZ_CHECK(len2 == len && memcmp(line, again, len) == 0);
out:
	free(line);
	free(again);
	free(r);
	free(back);
	return 0;
}
