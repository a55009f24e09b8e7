/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_rec.h - SPF record text (RFC 7208 sections 4.5, 4.6, 5, 6, 12) and
 * the Sender ID version tag (RFC 4406 section 3): version check, terms
 * (qualifier, mechanism, domain-spec, dual CIDR), the redirect and exp
 * modifiers.  The whole record is checked before evaluation, so any
 * syntax error anywhere is a permerror (section 4.6).
 *
 * Memory: spf_rec_parse returns a record owned by the caller
 * (spf_rec_free); its strings are copies.
 */
#ifndef DKIMSA_SPF_REC_H
#define DKIMSA_SPF_REC_H

#include <stddef.h>

#include "addr.h"

enum spf_mech {
	SPF_M_ALL = 1,
	SPF_M_INCLUDE,
	SPF_M_A,
	SPF_M_MX,
	SPF_M_PTR,
	SPF_M_IP4,
	SPF_M_IP6,
	SPF_M_EXISTS,
};

struct spf_term {
	int mech;	 /* enum spf_mech */
	int qual;	 /* enum dkimsa_res given on a match */
	char *domain;	 /* domain-spec (unexpanded), NULL = current domain */
	int cidr4;	 /* a, mx, ip4: prefix length (32 by default) */
	int cidr6;	 /* a, mx, ip6: prefix length (128 by default) */
	struct addr net; /* ip4, ip6 */
	char *text;	 /* the term as written, for reasons */
};

struct spf_rec {
	struct spf_term *terms;
	size_t nterms;
	char *redirect; /* domain-spec or NULL */
	char *exp;	/* domain-spec or NULL */
};

/* Sender ID scopes (bit mask). */
#define SPF_SCOPE_MFROM 1
#define SPF_SCOPE_PRA 2

/*
 * Recognises the version tag at the start of a TXT record:
 * "v=spf1" (returns 1) or "spf2.0/scope,..." (returns 2 and sets *scopes
 * to the SPF_SCOPE_* bits named; unknown scopes are ignored), each
 * case-insensitive and followed by a space or the end.  0 otherwise.
 * *vlen gets the tag length.
 */
int spf_rec_version(const char *txt, size_t len, size_t *vlen, int *scopes);
/*
 * Parses the terms after a version tag of length vlen.  Returns 0,
 * DKIMSA_ESYNTAX with the reason in err (the record is a permerror), or
 * DKIMSA_ENOMEM.
 */
int spf_rec_parse(const char *txt, size_t len, size_t vlen,
		  struct spf_rec **out, char *err, size_t errlen);
void spf_rec_free(struct spf_rec *r);
/* Terms that cause DNS queries (include a mx ptr exists). */
int spf_rec_is_dns_mech(int mech);

#endif
