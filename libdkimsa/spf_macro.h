/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_macro.h - SPF macro strings (RFC 7208 section 7): syntax check and
 * expansion with every letter, the transformers (digits, "r"), the
 * delimiters, the exp-only letters c r t and URL escaping for upper-case
 * letters; domain-name truncation to 253 characters (section 7.3).
 *
 * Memory: expansion appends to a caller-owned buf or returns a string the
 * caller frees.  The environment's strings are borrowed.
 */
#ifndef DKIMSA_SPF_MACRO_H
#define DKIMSA_SPF_MACRO_H

#include <stddef.h>

#include "addr.h"
#include "buf.h"

enum spf_macro_mode {
	SPF_MACRO_DOMAIN = 0, /* domain-spec or modifier value: no c r t */
	SPF_MACRO_EXP = 1,    /* explanation text: c r t and spaces allowed */
};

struct spf_macro_env {
	const char *sender;	   /* s: "local@domain" */
	const char *local;	   /* l */
	const char *sender_domain; /* o */
	const char *domain;	   /* d: the current domain */
	const char *helo;	   /* h */
	const char *receiver;	   /* r: NULL gives "unknown" */
	const struct addr *ip;	   /* i, c, v */
	long long now;		   /* t */
	/* p: the validated name, "unknown" when none; NULL fn = "unknown". */
	const char *(*ptr_name)(void *arg);
	void *ptr_arg;
};

/*
 * Checks s[0..len) against macro-string (explain-string in EXP mode).
 * Returns 0 when valid, -1 when not; *ends_macro (may be NULL) is set to
 * 1 when the string ends with a macro-expand.
 */
int spf_macro_check(const char *s, size_t len, int mode, int *ends_macro);
/*
 * Checks a domain-spec (section 7.1): a macro-string ending with a
 * macro-expand or with "." toplabel ["."].  0 or -1.
 */
int spf_macro_check_domain(const char *s, size_t len);
/* Appends the expansion to out: 0, DKIMSA_ESYNTAX or DKIMSA_ENOMEM. */
int spf_macro_expand(const char *s, size_t len, int mode,
		     const struct spf_macro_env *env, buf *out);
/*
 * Expands a domain-spec for a query: trailing dot removed, truncated from
 * the left to at most 253 characters.  *out is the caller's.  Returns 0,
 * DKIMSA_ESYNTAX or DKIMSA_ENOMEM.
 */
int spf_macro_domain(const char *s, size_t len, const struct spf_macro_env *env,
		     char **out);

#endif
