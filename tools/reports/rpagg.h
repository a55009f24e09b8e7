/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rpagg.h - dkimsa-reports' aggregation: history lines of a period
 * grouped by policy domain and, within one, by everything a report row
 * holds (source IP, results, identifiers, disposition, reasons).  RFC 9990
 * section 2.1: one report per Policy Domain; its policy_published is the
 * last configuration seen in the period.
 *
 * Memory: an rpagg owns every string in it (rpagg_free).
 */
#ifndef DKIMSA_RPAGG_H
#define DKIMSA_RPAGG_H

#include <stdio.h>

struct rpagg_row {
	char *key;	     /* a history line of the row's fields only */
	unsigned long count; /* messages */
};

struct rpagg_domain {
	char *domain;	  /* policy domain, lower case */
	long long latest; /* time of the line policy came from */
	char *policy;	  /* that line (its policy fields are used) */
	struct rpagg_row *rows;
	size_t nrows;
};

struct rpagg {
	long long begin, end; /* the period: begin <= time < end */
	struct rpagg_domain *doms;
	size_t ndoms;
	/* raw entries before rpagg_finish: "domain\nkey" */
	char **ent;
	size_t nent, cap;
	unsigned long lines, used, bad, outside, no_policy;
};

void rpagg_init(struct rpagg *a, long long begin, long long end);
/*
 * Reads one history stream (name for messages).  Bad lines are counted,
 * and each reported on err as "NAME, line N: reason", up to 20 per file.
 * Returns 0, or -1 when out of memory.
 */
int rpagg_read(struct rpagg *a, FILE *fp, const char *name, FILE *err);
/* Groups the entries into doms[] (sorted by domain, rows by key). */
int rpagg_finish(struct rpagg *a);
void rpagg_free(struct rpagg *a);
/* 1 when s is a domain name fit for a file name and a report. */
int rpagg_domain_ok(const char *s);

#endif
