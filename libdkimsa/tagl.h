/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tagl.h - the DKIM tag-list (RFC 6376 section 3.2), shared by
 * DKIM-Signature values (sig.c) and key records (keyrec.c).
 *
 * The parsed tags point into the caller's text; nothing is copied, so the
 * text must outlive the tagl.
 */
#ifndef DKIMSA_TAGL_H
#define DKIMSA_TAGL_H

#include <stddef.h>

#define TAGL_MAX 64

struct tagl_tag {
	const char *name; /* tag-name, not NUL-terminated */
	size_t nlen;
	const char *val; /* tag-value without surrounding FWS */
	size_t vlen;
};

struct tagl {
	struct tagl_tag tag[TAGL_MAX];
	size_t n;
};

/*
 * Parses tag-list = tag-spec *( ";" tag-spec ) [ ";" ].  Duplicate tags,
 * bad tag names and characters outside VALCHAR are errors: returns
 * DKIMSA_ESYNTAX with the reason in reason[].
 */
int tagl_parse(const char *s, size_t len, struct tagl *out, char *reason,
	       size_t rlen);
/* Finds a tag by name (case-sensitive, as RFC 6376 says); NULL if absent. */
const struct tagl_tag *tagl_find(const struct tagl *tl, const char *name);
/* Skips FWS (RFC 5322: [*WSP CRLF] 1*WSP, also bare WSP runs). */
size_t tagl_skip_fws(const char *s, size_t len, size_t pos);

#endif
