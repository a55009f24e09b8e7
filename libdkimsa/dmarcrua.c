/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarcrua.c - the mailto: rua URI and RFC 9990 section 4's check of an
 * external report destination (see dmarcrua.h), the query going through
 * the library's DNS layer (cache, DNSSEC status, timeouts).
 *
 * Memory: the override rua text is malloc'd for the caller.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarcrua.h"
#include "lib.h"
#include "sig.h"
#include "tagl.h"

static const char *const dmarcrua_names[] = {"internal", "authorized", "denied",
					     "temperror"};

const char *
dmarcrua_verdict_name(int v)
{
	return v >= 0 && v <= DMARCRUA_TEMPERROR ? dmarcrua_names[v] : "denied";
}

int
dmarcrua_mailto(const char *uri, char *addr, size_t alen, char *host,
		size_t hlen)
{
	const char *at, *end;
	size_t n, i;

	if (strncasecmp(uri, "mailto:", 7) != 0)
		return -1;
	uri += 7;
	/* the size limit of RFC 9989 ("!" size) ends the address */
	end = uri + strcspn(uri, "!?");
	n = (size_t)(end - uri);
	for (i = 0; i < n; i++)
		if (uri[i] <= ' ' || uri[i] >= 0x7f || uri[i] == '<' ||
		    uri[i] == '>' || uri[i] == '"' || uri[i] == ',' ||
		    uri[i] == '%')
			return -1;
	at = memchr(uri, '@', n);
	if (at == NULL || at == uri || n + 1 > alen ||
	    memchr(at + 1, '@', (size_t)(end - at - 1)) != NULL ||
	    !sig_domain_ok(at + 1, (size_t)(end - at - 1)) ||
	    (size_t)(end - at) > hlen)
		return -1;
	memcpy(addr, uri, n);
	addr[n] = '\0';
	for (i = 0; at + 1 + i < end; i++)
		host[i] = (char)tolower((unsigned char)at[1 + i]);
	host[i] = '\0';
	return 0;
}

/* host equals org or lies under it. */
static int
dmarcrua_inside(const char *host, const char *org)
{
	size_t h = strlen(host), o = strlen(org);

	if (o == 0)
		return 0;
	if (h == o)
		return strcasecmp(host, org) == 0;
	return h > o && host[h - o - 1] == '.' &&
	       strcasecmp(host + h - o, org) == 0;
}

/*
 * One TXT string: a tag-list whose first tag is v=DMARC1 (step 6).
 * Sets *rua to its rua= value (malloc'd) if any.
 */
static int
dmarcrua_record(const char *txt, size_t len, char **rua)
{
	struct tagl tl;
	const struct tagl_tag *t;
	char reason[200];

	if (tagl_parse(txt, len, &tl, reason, sizeof(reason)) != 0 ||
	    tl.n == 0 || tl.tag[0].nlen != 1 || tl.tag[0].name[0] != 'v' ||
	    tl.tag[0].vlen != 6 || memcmp(tl.tag[0].val, "DMARC1", 6) != 0)
		return 0;
	t = tagl_find(&tl, "rua");
	if (t != NULL && *rua == NULL)
		*rua = strndup(t->val, t->vlen);
	return 1;
}

int
dmarcrua_check(dkimsa_lib *lib, const char *policy_domain,
	       const char *org_domain, const char *host, char **override,
	       char *why, size_t wlen)
{
	char name[600], err[300];
	struct dns_answer *a;
	dns_ctx *ctx;
	size_t i;
	int found = 0, n;

	*override = NULL;
	if (org_domain == NULL || org_domain[0] == '\0')
		org_domain = policy_domain;
	if (dmarcrua_inside(host, org_domain)) {
		snprintf(why, wlen, "%s is inside %s", host, org_domain);
		return DMARCRUA_INTERNAL;
	}
	n = snprintf(name, sizeof(name), "%s._report._dmarc.%s", policy_domain,
		     host);
	if (n < 0 || (size_t)n >= sizeof(name) || n > 253) { /* step 4 */
		snprintf(why, wlen, "%s._report._dmarc.%s is too long for DNS",
			 policy_domain, host);
		return DMARCRUA_DENIED;
	}
	if ((ctx = lib_dns(lib, err, sizeof(err))) == NULL) {
		snprintf(why, wlen, "DNS: %s", err);
		return DMARCRUA_TEMPERROR;
	}
	a = dns_lookup(ctx, NULL, name, DNS_T_TXT);
	if (a->status == DNS_TIMEOUT || a->status == DNS_SERVFAIL ||
	    a->status == DNS_NOMEM || a->status == DNS_LIMIT) {
		snprintf(why, wlen, "%s: %s", name, dns_status_name(a->status));
		dns_answer_free(a);
		return DMARCRUA_TEMPERROR;
	}
	for (i = 0; a->status == DNS_OK && i < a->count; i++)
		found |= dmarcrua_record((const char *)a->rr[i].data,
					 a->rr[i].len, override);
	if (!found) {
		snprintf(why, wlen, "%s: %s", name,
			 a->status == DNS_OK ? "no v=DMARC1 record"
					     : dns_status_name(a->status));
		dns_answer_free(a);
		free(*override);
		*override = NULL;
		return DMARCRUA_DENIED;
	}
	dns_answer_free(a);
	snprintf(why, wlen, "%s says v=DMARC1", name);
	return DMARCRUA_AUTHORIZED;
}
