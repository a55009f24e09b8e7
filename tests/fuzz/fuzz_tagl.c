/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_tagl.c - the DKIM tag-list parser (RFC 6376 section 3.2, tagl.c)
 * on hostile text: every tag found must lie inside the input, and FWS
 * skipping must stay inside it too.
 */
#include "dkimsa.h"
#include "fuzz.h"
#include "tagl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct tagl *tl = malloc(sizeof(*tl));
	char reason[200], name[32];
	size_t i, pos;

	if (tl == NULL)
		return 0;
	if (tagl_parse(s, size, tl, reason, sizeof(reason)) == 0) {
		FUZZ_CHECK(tl->n <= TAGL_MAX);
		for (i = 0; i < tl->n; i++) {
			const struct tagl_tag *t = &tl->tag[i];

			FUZZ_CHECK(t->name >= s &&
				   t->name + t->nlen <= s + size);
			FUZZ_CHECK(t->val >= s && t->val + t->vlen <= s + size);
			if (t->nlen < sizeof(name)) {
				memcpy(name, t->name, t->nlen);
				name[t->nlen] = '\0';
				FUZZ_CHECK(tagl_find(tl, name) != NULL);
			}
		}
	} else {
		FUZZ_CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
	}
	for (pos = 0; pos < size && pos < 16; pos++)
		FUZZ_CHECK(tagl_skip_fws(s, size, pos) <= size);
	free(tl);
	return 0;
}
