/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rpagg.c - reading history files for a period and grouping their lines
 * (see rpagg.h).  Each line is read by the one history reader
 * (dmarchist_parse); a row's key is the history line of its row fields,
 * written by the one writer, so two messages share a row exactly when
 * every reported field is equal.
 *
 * Memory: entries and groups are owned by the rpagg.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dmarchist.h"
#include "rpagg.h"
#include "sig.h"

void
rpagg_init(struct rpagg *a, long long begin, long long end)
{
	memset(a, 0, sizeof(*a));
	a->begin = begin;
	a->end = end;
}

int
rpagg_domain_ok(const char *s)
{
	return sig_domain_ok(s, strlen(s));
}

/* The row key: the record with everything that is not a row field
 * cleared, formatted. */
static char *
rpagg_key(const struct dmarchist_rec *r)
{
	struct dmarchist_rec *k = malloc(sizeof(*k));
	char *line = NULL;
	size_t len;

	if (k == NULL)
		return NULL;
	dmarchist_init(k);
	memcpy(k->ip, r->ip, sizeof(k->ip));
	memcpy(k->header_from, r->header_from, sizeof(k->header_from));
	memcpy(k->env_from, r->env_from, sizeof(k->env_from));
	memcpy(k->env_to, r->env_to, sizeof(k->env_to));
	memcpy(k->spf_domain, r->spf_domain, sizeof(k->spf_domain));
	k->spf_helo = r->spf_helo;
	k->spf = r->spf;
	memcpy(k->dkim, r->dkim, sizeof(k->dkim));
	k->ndkim = r->ndkim;
	k->dmarc = r->dmarc;
	k->dkim_aligned = r->dkim_aligned;
	k->spf_aligned = r->spf_aligned;
	k->disp = r->disp;
	k->reason = r->reason;
	memcpy(k->comment, r->comment, sizeof(k->comment));
	if (dmarchist_format(k, &line, &len) != 0)
		line = NULL;
	free(k);
	return line;
}

static struct rpagg_domain *
rpagg_domain(struct rpagg *a, const char *dom)
{
	struct rpagg_domain *d;
	size_t i;

	for (i = 0; i < a->ndoms; i++)
		if (strcmp(a->doms[i].domain, dom) == 0)
			return &a->doms[i];
	d = realloc(a->doms, (a->ndoms + 1) * sizeof(*d));
	if (d == NULL)
		return NULL;
	a->doms = d;
	d = &a->doms[a->ndoms];
	memset(d, 0, sizeof(*d));
	if ((d->domain = strdup(dom)) == NULL)
		return NULL;
	d->latest = -1;
	a->ndoms++;
	return d;
}

/* One parsed line in the period: its entry, and the domain's policy. */
static int
rpagg_add(struct rpagg *a, const struct dmarchist_rec *r, const char *line,
	  size_t len)
{
	char dom[DMARCHIST_NAME], *key, *ent, **grown;
	struct rpagg_domain *d;
	size_t i;

	for (i = 0; r->policy_domain[i] != '\0'; i++)
		dom[i] = (char)tolower((unsigned char)r->policy_domain[i]);
	dom[i] = '\0';
	if ((d = rpagg_domain(a, dom)) == NULL)
		return -1;
	if (r->time >= d->latest) {
		free(d->policy);
		if ((d->policy = strndup(line, len)) == NULL)
			return -1;
		d->latest = r->time;
	}
	if ((key = rpagg_key(r)) == NULL)
		return -1;
	ent = malloc(strlen(dom) + strlen(key) + 2);
	if (ent == NULL) {
		free(key);
		return -1;
	}
	sprintf(ent, "%s\n%s", dom, key);
	free(key);
	if (a->nent == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		grown = realloc(a->ent, a->cap * sizeof(*grown));
		if (grown == NULL) {
			free(ent);
			return -1;
		}
		a->ent = grown;
	}
	a->ent[a->nent++] = ent;
	return 0;
}

int
rpagg_read(struct rpagg *a, FILE *fp, const char *name, FILE *err)
{
	struct dmarchist_rec *r = malloc(sizeof(*r));
	char *line = NULL, why[200];
	size_t cap = 0, shown = 0;
	unsigned long lineno = 0;
	ssize_t n;
	int rc = 0;

	if (r == NULL)
		return -1;
	while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		a->lines++;
		if (dmarchist_parse(line, (size_t)n, r, why, sizeof(why)) !=
		    0) {
			a->bad++;
			if (shown++ < 20 && err != NULL)
				fprintf(err, "%s, line %lu: %s\n", name, lineno,
					why);
			continue;
		}
		if (r->time < a->begin || r->time >= a->end) {
			a->outside++;
			continue;
		}
		if (!rpagg_domain_ok(r->policy_domain)) {
			a->no_policy++; /* no DMARC record: nobody to report to */
			continue;
		}
		a->used++;
		rc = rpagg_add(a, r, line, (size_t)n);
	}
	free(line);
	free(r);
	return rc;
}

static int
rpagg_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static struct rpagg_domain *
rpagg_find(struct rpagg *a, const char *dom, size_t len)
{
	size_t i;

	for (i = 0; i < a->ndoms; i++)
		if (strlen(a->doms[i].domain) == len &&
		    memcmp(a->doms[i].domain, dom, len) == 0)
			return &a->doms[i];
	return NULL;
}

static int
rpagg_dom_cmp(const void *x, const void *y)
{
	return strcmp(((const struct rpagg_domain *)x)->domain,
		      ((const struct rpagg_domain *)y)->domain);
}

int
rpagg_finish(struct rpagg *a)
{
	struct rpagg_domain *d;
	struct rpagg_row *rows;
	const char *nl;
	size_t i, j;

	if (a->ndoms > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(a->doms, a->ndoms, sizeof(*a->doms), rpagg_dom_cmp);
	if (a->nent > 1)
		qsort(a->ent, a->nent, sizeof(*a->ent), rpagg_cmp);
	for (i = 0; i < a->nent; i = j) {
		for (j = i + 1;
		     j < a->nent && strcmp(a->ent[i], a->ent[j]) == 0; j++)
			;
		nl = strchr(a->ent[i], '\n');
		d = rpagg_find(a, a->ent[i], (size_t)(nl - a->ent[i]));
		if (d == NULL)
			return -1;
		rows = realloc(d->rows, (d->nrows + 1) * sizeof(*rows));
		if (rows == NULL)
			return -1;
		d->rows = rows;
		rows[d->nrows].key = strdup(nl + 1);
		rows[d->nrows].count = (unsigned long)(j - i);
		if (rows[d->nrows].key == NULL)
			return -1;
		d->nrows++;
	}
	for (i = 0; i < a->nent; i++)
		free(a->ent[i]);
	free(a->ent);
	a->ent = NULL;
	a->nent = a->cap = 0;
	return 0;
}

void
rpagg_free(struct rpagg *a)
{
	size_t i, j;

	for (i = 0; i < a->nent; i++)
		free(a->ent[i]);
	free(a->ent);
	for (i = 0; i < a->ndoms; i++) {
		for (j = 0; j < a->doms[i].nrows; j++)
			free(a->doms[i].rows[j].key);
		free(a->doms[i].rows);
		free(a->doms[i].domain);
		free(a->doms[i].policy);
	}
	free(a->doms);
	memset(a, 0, sizeof(*a));
}
