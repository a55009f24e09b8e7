/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * idna.c - see idna.h, and dkimsa_domain_alabels (dkimsa.h) on top of it.
 * The one place that names libidn2.
 */
#include <idn2.h>
#include <string.h>

#include "dkimsa.h"
#include "idna.h"

/* Longer input is refused before libidn2 sees it (253 bytes of A-labels
 * hold at most this many bytes of UTF-8 text worth converting). */
#define IDNA_INPUT_MAX 1024

int
idna_is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s > 0x7f)
			return 0;
	return 1;
}

int
idna_to_alabels(const char *src, char *dst, size_t dlen, const char **why)
{
	char *out = NULL;
	size_t n;
	int rc;

	if (strlen(src) > IDNA_INPUT_MAX) {
		*why = "the name is too long";
		return -1;
	}
	rc = idn2_to_ascii_8z(src, &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK) {
		*why = idn2_strerror(rc);
		return -1;
	}
	n = strlen(out);
	if (n + 1 > dlen) {
		idn2_free(out);
		*why = "the name is too long";
		return -1;
	}
	memcpy(dst, out, n + 1);
	idn2_free(out);
	return 0;
}

int
dkimsa_domain_alabels(const char *name, char *out, size_t outlen,
		      const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	if (name == NULL || out == NULL || outlen == 0) {
		*why = "no name";
		return DKIMSA_EINVAL;
	}
	if (idna_is_ascii(name)) {
		if (strlen(name) >= outlen) {
			*why = "the name is too long";
			return DKIMSA_ESYNTAX;
		}
		memcpy(out, name, strlen(name) + 1);
		return 0;
	}
	return idna_to_alabels(name, out, outlen, why) == 0 ? 0
							    : DKIMSA_ESYNTAX;
}
