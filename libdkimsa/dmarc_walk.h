/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc_walk.h - the DNS Tree Walk of RFC 9989 section 4.10 and the
 * Organizational Domain it gives (4.10.2), over the library's DNS layer
 * (dmarc_walk.c).  A struct dmarc_walk owns the records it found
 * (dmarc_walk_free).
 */
#ifndef DKIMSA_DMARC_WALK_H
#define DKIMSA_DMARC_WALK_H

#include <stddef.h>

#include "dmarc_rec.h"
#include "dns.h"

#define DMARC_WALK_MAX 8   /* queries per walk (4.10) */
#define DMARC_NAME_MAX 254 /* a domain name in text, with its NUL */

enum dmarc_walk_status {
	DMARC_WALK_OK = 0, /* done: records (maybe none) in found[] */
	DMARC_WALK_TEMP,   /* a query failed or timed out: temperror */
	DMARC_WALK_BOGUS,  /* an answer failed DNSSEC validation */
};

struct dmarc_found {
	char domain[DMARC_NAME_MAX]; /* where the record is (no _dmarc.) */
	char *txt;		     /* the record as published */
	struct dmarc_rec rec;
	int secure; /* the answer was DNSSEC-validated */
};

struct dmarc_walk {
	char start[DMARC_NAME_MAX]; /* the domain the walk started at */
	struct dmarc_found found[DMARC_WALK_MAX]; /* longest name first */
	size_t nfound;
	int status;    /* enum dmarc_walk_status */
	int queries;   /* queries made */
	int done;      /* the walk stopped (psd=, root, or an error) */
	size_t next;   /* offset in start of the next target */
	char why[300]; /* the failed query, for a reason text */
};

/*
 * Starts a walk at domain (lower-case, no final dot) and runs it until
 * the first target has been queried (first_only) or to its end.  Returns
 * 0, or DKIMSA_ENOMEM.
 */
int dmarc_walk_run(struct dmarc_walk *w, dns_ctx *ctx,
		   struct dns_budget *budget, const char *domain,
		   int first_only);
/* Runs a walk that dmarc_walk_run(..., 1) started to its end. */
int dmarc_walk_finish(struct dmarc_walk *w, dns_ctx *ctx,
		      struct dns_budget *budget);
/*
 * The Organizational Domain (4.10.2) of a finished walk, in w->start or
 * one of w->found[].domain (the pointer stays valid while w lives).
 */
const char *dmarc_walk_org(const struct dmarc_walk *w);
/* The record found at name, or NULL. */
const struct dmarc_found *dmarc_walk_at(const struct dmarc_walk *w,
					const char *name);
void dmarc_walk_free(struct dmarc_walk *w);
/* Number of labels of a domain name. */
size_t dmarc_walk_labels(const char *name);
/* 1 when sub equals dom or is below it (case-insensitive). */
int dmarc_walk_under(const char *sub, const char *dom);

#endif
