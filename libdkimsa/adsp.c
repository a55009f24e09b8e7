/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * adsp.c - Author Domain Signing Practices, RFC 5617 (historic, kept in its
 * own module).  Section 4.3's procedure: an Author Domain Signature (2.7)
 * gives pass; otherwise check the author domain exists (NXDOMAIN ->
 * nxdomain), then fetch the TXT record at _adsp._domainkey.DOMAIN and map
 * its dkim= practice (4.2.1) to a result (5.4's registry words).  Both
 * queries are started at once through the library's DNS layer.
 *
 * Memory: a dkimsa_adsp owns its domain copy, its pending queries and the
 * reason text returned by dkimsa_adsp_finish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adsp.h"
#include "lib.h"

struct dkimsa_adsp {
	char *domain;
	dns_query *qdom; /* the author domain, A */
	dns_query *qrec; /* _adsp._domainkey.DOMAIN, TXT */
	char reason[600];
};

enum adsp_practice
adsp_parse(const char *txt)
{
	const char *v;
	size_t n;

	if (strncmp(txt, "dkim", 4) != 0)
		return ADSP_NOT_ADSP;
	v = txt + 4 + strspn(txt + 4, " \t");
	if (*v != '=')
		return ADSP_NOT_ADSP;
	v += 1 + strspn(v + 1, " \t");
	n = strcspn(v, "; \t\r\n");
	if (n == 3 && strncmp(v, "all", 3) == 0)
		return ADSP_ALL;
	if (n == 11 && strncmp(v, "discardable", 11) == 0)
		return ADSP_DISCARDABLE;
	return ADSP_UNKNOWN;
}

int
dkimsa_adsp_start(dkimsa_lib *lib, const char *author_domain, dkimsa_adsp **out)
{
	dkimsa_adsp *a = calloc(1, sizeof(*a));
	char name[600], err[400];
	dns_ctx *ctx;

	*out = a;
	if (a == NULL || (a->domain = strdup(author_domain)) == NULL) {
		free(a);
		*out = NULL;
		return DKIMSA_ENOMEM;
	}
	if ((ctx = lib_dns(lib, err, sizeof(err))) == NULL) {
		snprintf(a->reason, sizeof(a->reason), "DNS: %s", err);
		return DKIMSA_OK;
	}
	snprintf(name, sizeof(name), "_adsp._domainkey.%s", author_domain);
	a->qdom = dns_query_start(ctx, NULL, author_domain, DNS_T_A);
	a->qrec = dns_query_start(ctx, NULL, name, DNS_T_TXT);
	if (a->qdom == NULL || a->qrec == NULL) {
		dkimsa_adsp_free(a);
		*out = NULL;
		return DKIMSA_ENOMEM;
	}
	return DKIMSA_OK;
}

void
dkimsa_adsp_free(dkimsa_adsp *a)
{
	if (a == NULL)
		return;
	dns_query_cancel(a->qdom);
	dns_query_cancel(a->qrec);
	free(a->domain);
	free(a);
}

/* A DNS failure as a result: -1 when st is not a failure. */
static int
adsp_dns_error(dkimsa_adsp *a, const char *what, const struct dns_answer *d)
{
	int res;

	switch (d->status) {
	case DNS_SERVFAIL:
	case DNS_TIMEOUT:
	case DNS_LIMIT:
	case DNS_NOMEM:
		res = DKIMSA_RES_TEMPERROR;
		break;
	case DNS_BOGUS:
	case DNS_BADNAME:
		res = DKIMSA_RES_PERMERROR;
		break;
	default:
		return -1;
	}
	snprintf(a->reason, sizeof(a->reason), "%s: %s%s%s", what,
		 dns_status_name(d->status), d->why ? ": " : "",
		 d->why ? d->why : "");
	return res;
}

/* Section 4.3 after the signature check: existence, then the record. */
static int
adsp_decide(dkimsa_adsp *a, const struct dns_answer *dom,
	    const struct dns_answer *rec)
{
	int res, found = 0;
	enum adsp_practice p = ADSP_NOT_ADSP;
	size_t i;

	if (dom->status == DNS_NXDOMAIN) {
		snprintf(a->reason, sizeof(a->reason),
			 "author domain %s does not exist", a->domain);
		return DKIMSA_RES_NXDOMAIN;
	}
	if ((res = adsp_dns_error(a, "author domain lookup", dom)) >= 0 ||
	    (res = adsp_dns_error(a, "ADSP record lookup", rec)) >= 0)
		return res;
	for (i = 0; rec->status == DNS_OK && i < rec->count; i++) {
		enum adsp_practice one = adsp_parse((char *)rec->rr[i].data);

		if (one != ADSP_NOT_ADSP) {
			p = one;
			found++;
		}
	}
	if (found == 0) {
		snprintf(a->reason, sizeof(a->reason), "no ADSP record");
		return DKIMSA_RES_NONE;
	}
	if (found > 1) {
		snprintf(a->reason, sizeof(a->reason),
			 "%d ADSP records published", found);
		return DKIMSA_RES_PERMERROR;
	}
	snprintf(a->reason, sizeof(a->reason),
		 "no valid author domain signature; practice %s",
		 p == ADSP_ALL		 ? "all"
		 : p == ADSP_DISCARDABLE ? "discardable"
					 : "unknown");
	return p == ADSP_ALL	       ? DKIMSA_RES_FAIL
	       : p == ADSP_DISCARDABLE ? DKIMSA_RES_DISCARD
				       : DKIMSA_RES_UNKNOWN;
}

/* 1 when one of sigs is a passing signature of domain. */
static int
adsp_author_signed(const char *domain, const dkimsa_adsp_sig *sigs,
		   size_t nsigs)
{
	size_t i;

	for (i = 0; i < nsigs; i++)
		if (sigs[i].result == DKIMSA_RES_PASS && sigs[i].domain &&
		    strcasecmp(sigs[i].domain, domain) == 0)
			return 1;
	return 0;
}

int
dkimsa_adsp_finish(dkimsa_adsp *a, const dkimsa_adsp_sig *sigs, size_t nsigs,
		   const char **reason)
{
	struct dns_answer *dom, *rec;
	int res;

	if (reason != NULL)
		*reason = a->reason;
	if (adsp_author_signed(a->domain, sigs, nsigs)) {
		snprintf(a->reason, sizeof(a->reason),
			 "author domain signature verified");
		return DKIMSA_RES_PASS;
	}
	if (a->qdom == NULL) /* DNS did not start; reason already set */
		return DKIMSA_RES_TEMPERROR;
	dom = dns_query_wait(a->qdom);
	rec = dns_query_wait(a->qrec);
	a->qdom = a->qrec = NULL;
	res = adsp_decide(a, dom, rec);
	dns_answer_free(dom);
	dns_answer_free(rec);
	return res;
}

int
dkimsa_adsp_check(dkimsa_lib *lib, const char *author_domain,
		  const dkimsa_verify *v, char *reason, size_t reasonlen)
{
	int n = v ? dkimsa_verify_count(v) : 0, i, res;
	dkimsa_adsp_sig *sigs = calloc((size_t)n + 1, sizeof(*sigs));
	dkimsa_adsp *a = NULL;
	const char *why = "out of memory";

	for (i = 0; sigs != NULL && i < n; i++) {
		const dkimsa_sigresult *r = dkimsa_verify_result(v, i);

		sigs[i].domain = r->domain;
		sigs[i].result = r->result;
	}
	if (sigs != NULL &&
	    adsp_author_signed(author_domain, sigs, (size_t)n)) {
		/* decided without DNS: no query sent only to be dropped */
		res = DKIMSA_RES_PASS;
		why = "author domain signature verified";
	} else if ((res = sigs ? dkimsa_adsp_start(lib, author_domain, &a)
			       : DKIMSA_ENOMEM) != DKIMSA_OK) {
		res = DKIMSA_RES_TEMPERROR;
	} else {
		res = dkimsa_adsp_finish(a, sigs, (size_t)n, &why);
	}
	if (reason != NULL && reasonlen > 0)
		snprintf(reason, reasonlen, "%s", why);
	dkimsa_adsp_free(a);
	free(sigs);
	return res;
}
