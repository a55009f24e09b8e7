/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc_walk.c - the DNS Tree Walk of RFC 9989 section 4.10: query
 * _dmarc.TARGET for TXT, keep the answer when exactly one record starts
 * with v=DMARC1 (step 2), stop at a record with psd=y or psd=n, else go
 * up: from a name of 8 or more labels straight to its last 7 labels
 * (step 4), then one label at a time (step 7).  So no walk makes more
 * than 8 queries.  The Organizational Domain is then chosen from the
 * records found as section 4.10.2 says.  Queries go through the library's
 * DNS layer (cache, DNSSEC, the caller's budget and DNS deadline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "dmarc_walk.h"

size_t
dmarc_walk_labels(const char *name)
{
	size_t n = *name ? 1 : 0;

	for (; *name; name++)
		if (*name == '.')
			n++;
	return n;
}

int
dmarc_walk_under(const char *sub, const char *dom)
{
	size_t ls = strlen(sub), ld = strlen(dom);

	if (ls == ld)
		return strcasecmp(sub, dom) == 0;
	return ls > ld && sub[ls - ld - 1] == '.' &&
	       strcasecmp(sub + ls - ld, dom) == 0;
}

/* Offset in name of its last n labels. */
static size_t
dmarc_walk_last_labels(const char *name, size_t n)
{
	size_t len = strlen(name), i = len;

	while (i > 0) {
		if (name[i - 1] == '.' && --n == 0)
			return i;
		i--;
	}
	return 0;
}

/* The next target after the one at offset off (4.10 steps 4 and 7). */
static size_t
dmarc_walk_next(const char *start, size_t off)
{
	const char *t = start + off;
	size_t x = dmarc_walk_labels(t);
	const char *dot;

	if (x <= 1)
		return (size_t)-1; /* no labels left */
	if (x >= 8)
		return off + dmarc_walk_last_labels(t, 7);
	dot = strchr(t, '.');
	return (size_t)(dot + 1 - start);
}

/* One target: the DMARC record at _dmarc.name, if there is exactly one. */
static int
dmarc_walk_query(struct dmarc_walk *w, dns_ctx *ctx, struct dns_budget *budget,
		 const char *name)
{
	char qname[DMARC_NAME_MAX + 8];
	struct dns_answer *a;
	size_t i, hit = 0, nhit = 0;
	struct dmarc_found *f;
	int rc = 0;

	snprintf(qname, sizeof(qname), "_dmarc.%s", name);
	a = dns_lookup(ctx, budget, qname, DNS_T_TXT);
	w->queries++;
	switch (a->status) {
	case DNS_OK:
		for (i = 0; i < a->count; i++)
			if (dmarc_rec_is_dmarc((const char *)a->rr[i].data,
					       a->rr[i].len)) {
				hit = i;
				nhit++;
			}
		break;
	case DNS_NXDOMAIN:
	case DNS_NODATA:
	case DNS_BADNAME:
		break;
	case DNS_BOGUS:
		w->status = DMARC_WALK_BOGUS;
		break;
	default: /* SERVFAIL, TIMEOUT, LIMIT, NOMEM */
		w->status = DMARC_WALK_TEMP;
		break;
	}
	if (w->status != DMARC_WALK_OK) {
		snprintf(w->why, sizeof(w->why), "%s: %s%s%s", qname,
			 dns_status_name(a->status), a->why ? ": " : "",
			 a->why ? a->why : "");
		w->done = 1;
	} else if (nhit == 1) {
		f = &w->found[w->nfound];
		snprintf(f->domain, sizeof(f->domain), "%s", name);
		f->secure = a->secure;
		f->txt = strdup((const char *)a->rr[hit].data);
		if (f->txt == NULL || dmarc_rec_parse(f->txt, a->rr[hit].len,
						      &f->rec, NULL, 0) != 0) {
			free(f->txt);
			f->txt = NULL;
			rc = DKIMSA_ENOMEM;
		} else {
			w->nfound++;
			if (f->rec.psd != -1)
				w->done = 1; /* steps 2 and 6: stop */
		}
	}
	/* several DMARC records at one name: all discarded (step 2) */
	dns_answer_free(a);
	return rc;
}

static int
dmarc_walk_loop(struct dmarc_walk *w, dns_ctx *ctx, struct dns_budget *budget,
		int first_only)
{
	int rc;

	while (!w->done && w->queries < DMARC_WALK_MAX) {
		rc = dmarc_walk_query(w, ctx, budget, w->start + w->next);
		if (rc != 0)
			return rc;
		if (w->done)
			break;
		w->next = dmarc_walk_next(w->start, w->next);
		if (w->next == (size_t)-1)
			w->done = 1;
		if (first_only)
			return 0;
	}
	w->done = 1;
	return 0;
}

int
dmarc_walk_run(struct dmarc_walk *w, dns_ctx *ctx, struct dns_budget *budget,
	       const char *domain, int first_only)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->start, sizeof(w->start), "%s", domain);
	return dmarc_walk_loop(w, ctx, budget, first_only);
}

int
dmarc_walk_finish(struct dmarc_walk *w, dns_ctx *ctx, struct dns_budget *budget)
{
	return dmarc_walk_loop(w, ctx, budget, 0);
}

const char *
dmarc_walk_org(const struct dmarc_walk *w)
{
	const struct dmarc_found *last;
	size_t nl;

	if (w->nfound == 0)
		return w->start; /* "the initial target domain" */
	last = &w->found[w->nfound - 1];
	/* 4.10.2 rule 1: psd=n is the Organizational Domain */
	if (last->rec.psd == 0)
		return last->domain;
	/* rule 2: psd=y, other than the start: one label below it */
	if (last->rec.psd == 1 && strcasecmp(last->domain, w->start) != 0) {
		nl = dmarc_walk_labels(last->domain) + 1;
		return w->start + dmarc_walk_last_labels(w->start, nl);
	}
	/* rule 3: the record at the name with the fewest labels */
	return last->domain;
}

const struct dmarc_found *
dmarc_walk_at(const struct dmarc_walk *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nfound; i++)
		if (strcasecmp(w->found[i].domain, name) == 0)
			return &w->found[i];
	return NULL;
}

void
dmarc_walk_free(struct dmarc_walk *w)
{
	size_t i;

	for (i = 0; i < w->nfound; i++) {
		free(w->found[i].txt);
		dmarc_rec_free(&w->found[i].rec);
	}
	w->nfound = 0;
}
