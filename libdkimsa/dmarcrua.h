/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarcrua.h - where an aggregate report may go: the mailto: rua URI
 * (RFC 9989 section 4.7, rua=) and the check of external report
 * destinations, RFC 9990 section 4 ("Verifying External Destinations"),
 * through the library's DNS layer.  Internal header, used by
 * dkimsa-reports (not installed).
 */
#ifndef DKIMSA_DMARCRUA_H
#define DKIMSA_DMARCRUA_H

#include <stddef.h>

#include "dkimsa.h"

enum dmarcrua_verdict {
	DMARCRUA_INTERNAL = 0, /* same Organizational Domain: no check */
	DMARCRUA_AUTHORIZED,   /* <pdom>._report._dmarc.<host> v=DMARC1 */
	DMARCRUA_DENIED,       /* no such record: never send */
	DMARCRUA_TEMPERROR,    /* DNS failed: try again later */
};

/*
 * Splits a rua URI "mailto:local@host[!size]" into the address and its
 * host (lower-cased).  Returns 0, or -1 for any other scheme, a missing
 * '@', a host that is not a domain name, bytes outside printable ASCII
 * or results that do not fit.
 */
int dmarcrua_mailto(const char *uri, char *addr, size_t alen, char *host,
		    size_t hlen);
/*
 * The RFC 9990 section 4 check for a report about policy_domain (whose
 * Organizational Domain is org_domain, "" or NULL: policy_domain itself)
 * to host.  A host inside the Organizational Domain needs no check.
 * Otherwise the TXT record at <policy_domain>._report._dmarc.<host> must
 * hold a record whose first tag is v=DMARC1.  When it also holds rua=,
 * *override gets it (malloc'd; caller frees) and the caller must use its
 * URIs instead, and only those whose host is host.  why gets the reason.
 */
int dmarcrua_check(dkimsa_lib *lib, const char *policy_domain,
		   const char *org_domain, const char *host, char **override,
		   char *why, size_t wlen);
const char *dmarcrua_verdict_name(int v);

#endif
