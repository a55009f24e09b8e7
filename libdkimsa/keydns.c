/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keydns.c - DKIM key records over DNS (RFC 6376 section 3.6.2.2): the TXT
 * record of "SELECTOR._domainkey.DOMAIN" through the library's shared DNS
 * context, its answer mapped to enum dkimsa_lookup.
 *
 * Several TXT records: RFC 6376 3.6.2.2 leaves the choice open; we take
 * the first that looks like a key record (starts with "v=DKIM1" or has a
 * "p=" tag), else the first one, which then fails to parse (permerror).
 *
 * Memory: *txt is allocated here and freed by the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

/* Whether a TXT looks like the start of a key record. */
static int
keydns_looks_like_key(const char *t)
{
	const char *p;

	t += strspn(t, " \t\r\n");
	if (strncmp(t, "v=DKIM1", 7) == 0)
		return 1;
	for (p = t; (p = strstr(p, "p=")) != NULL; p += 2)
		if (p == t || strchr("; \t\r\n", p[-1]) != NULL)
			return 1;
	return 0;
}

static int
keydns_status(enum dns_status st)
{
	switch (st) {
	case DNS_OK:
		return DKIMSA_LOOKUP_OK;
	case DNS_NXDOMAIN:
	case DNS_BADNAME:
		return DKIMSA_LOOKUP_NXDOMAIN;
	case DNS_NODATA:
		return DKIMSA_LOOKUP_NODATA;
	case DNS_BOGUS:
		return DKIMSA_LOOKUP_BOGUS;
	default: /* SERVFAIL, TIMEOUT, LIMIT, NOMEM */
		return DKIMSA_LOOKUP_TEMPFAIL;
	}
}

dns_query *
keydns_start(dkimsa_lib *lib, const char *domain, const char *selector)
{
	char name[600], err[512];
	dns_ctx *ctx = lib_dns(lib, err, sizeof(err));

	if (ctx == NULL) {
		lib_log(lib, 3, "DNS: %s", err);
		return NULL;
	}
	if ((size_t)snprintf(name, sizeof(name), "%s._domainkey.%s", selector,
			     domain) >= sizeof(name))
		return NULL;
	return dns_query_start(ctx, NULL, name, DNS_T_TXT);
}

int
keydns_finish(dkimsa_lib *lib, dns_query *q, char **txt, int *secure)
{
	struct dns_answer *a;
	size_t i, pick = 0;
	int rc;

	*txt = NULL;
	*secure = 0;
	if (q == NULL)
		return DKIMSA_LOOKUP_TEMPFAIL;
	a = dns_query_wait(q);
	rc = keydns_status(a->status);
	if (rc == DKIMSA_LOOKUP_OK && a->count == 0)
		rc = DKIMSA_LOOKUP_NODATA;
	if (rc == DKIMSA_LOOKUP_OK) {
		for (i = a->count; i > 0; i--)
			if (keydns_looks_like_key((char *)a->rr[i - 1].data))
				pick = i - 1;
		*txt = strdup((char *)a->rr[pick].data);
		if (*txt == NULL)
			rc = DKIMSA_LOOKUP_TEMPFAIL;
	}
	if (rc == DKIMSA_LOOKUP_TEMPFAIL || rc == DKIMSA_LOOKUP_BOGUS)
		lib_log(lib, 6, "DNS: key TXT: %s%s%s",
			dns_status_name(a->status), a->why ? ": " : "",
			a->why ? a->why : "");
	*secure = a->secure;
	dns_answer_free(a);
	return rc;
}

int
keydns_fetch(void *arg, const char *domain, const char *selector, char **txt,
	     int *secure)
{
	dkimsa_lib *lib = arg;
	char name[600];

	*txt = NULL;
	*secure = 0;
	if ((size_t)snprintf(name, sizeof(name), "%s._domainkey.%s", selector,
			     domain) >= sizeof(name))
		return DKIMSA_LOOKUP_NXDOMAIN;
	return keydns_finish(lib, keydns_start(lib, domain, selector), txt,
			     secure);
}
