/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * idna_test.c - U-labels to A-labels (libdkimsa/idna.c): names that
 * convert, with UTS #46 mapping first, and the hostile ones IDNA2008 or
 * the output buffer refuse, each with a reason.
 */
#include <string.h>

#include "idna.h"
#include "t.h"

static const struct row {
	const char *label, *in, *want; /* want NULL: refused */
	size_t buf;		       /* 0: 254 */
} rows[] = {
    {"ulabel-to-alabel",
     "b\xc3\xbc"
     "cher.example",
     "xn--bcher-kva.example", 0},
    {"uppercase-folded",
     "B\xc3\x9c"
     "CHER.Example",
     "xn--bcher-kva.example", 0},
    {"nfc-of-decomposed-input",
     "bu\xcc\x88"
     "cher.example",
     "xn--bcher-kva.example", 0},
    {"eszett-kept-nontransitional",
     "stra\xc3\x9f"
     "e.example",
     "xn--strae-oqa.example", 0},
    {"trailing-dot-kept",
     "b\xc3\xbc"
     "cher.example.",
     "xn--bcher-kva.example.", 0},
    {"mixed-latin-cyrillic-is-its-own-name", "p\xd0\xb0ypal.example",
     "xn--pypal-4ve.example", 0},
    {"ascii-alabel-unchanged", "xn--bcher-kva.example", "xn--bcher-kva.example",
     0},
    {"invalid-utf8-refused", "\xff.example", NULL, 0},
    {"truncated-utf8-refused", "b\xc3.example", NULL, 0},
    {"bidi-hebrew-latin-refused",
     "\xd7\x90"
     "a.example",
     NULL, 0},
    {"disallowed-snowman-refused", "\xe2\x98\x83.example", NULL, 0},
    {"zwj-out-of-context-refused",
     "a\xe2\x80\x8d"
     "b.example",
     NULL, 0},
    {"double-hyphen-refused",
     "\xc3\xbc"
     "b--c.example",
     NULL, 0},
    {"bad-punycode-refused", "xn--zz.example", NULL, 0},
    {"too-long-for-the-buffer",
     "b\xc3\xbc"
     "cher.example",
     NULL, 10},
};

int
main(void)
{
	char out[254], big[2100];
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		why = NULL;
		rc = idna_to_alabels(rows[i].in, out,
				     rows[i].buf ? rows[i].buf : sizeof(out),
				     &why);
		if (rows[i].want == NULL)
			t_ok(rc == -1 && why != NULL && *why != '\0',
			     rows[i].label, "rc %d, out \"%s\"", rc,
			     rc == 0 ? out : "");
		else
			t_ok(rc == 0 && strcmp(out, rows[i].want) == 0,
			     rows[i].label, "rc %d (%s), got \"%s\"", rc,
			     why ? why : "-", rc == 0 ? out : "");
	}
	/* a label of 60 u-umlauts: its A-label is over 63 octets */
	for (i = 0; i < 60; i++)
		memcpy(big + 2 * i, "\xc3\xbc", 2);
	strcpy(big + 120, ".example");
	t_ok(idna_to_alabels(big, out, sizeof(out), &why) == -1,
	     "label-over-63-octets-refused", "converted: %s", out);
	/* 2000 bytes of input: refused before libidn2 */
	memset(big, 'a', 2000);
	memcpy(big, "\xc3\xbc", 2);
	big[2000] = '\0';
	t_ok(idna_to_alabels(big, out, sizeof(out), &why) == -1,
	     "huge-input-refused", "converted");
	t_ok(idna_is_ascii("example.test") && !idna_is_ascii("b\xc3\xbc"),
	     "ascii-told-from-utf8", "idna_is_ascii");
	return t_exit();
}
