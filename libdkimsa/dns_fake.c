/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns_fake.c - a DNS backend answering from a table, for unit tests that
 * must not depend on a resolver.  The table format is described in dns.h.
 * Every answer is immediate (TIMEOUT too: no time passes).
 *
 * Memory: the table is parsed once into the backend's arrays, owned by the
 * context and read-only afterwards, so any number of threads may query.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns_int.h"

enum fake_flag {
	FAKE_TIMEOUT = 1,
	FAKE_SERVFAIL = 2,
	FAKE_BOGUS = 4,
	FAKE_SECURE = 8,
};

struct fake_rr {
	char *name; /* lower-case, no final dot */
	int type;   /* 0: a flag line only */
	int flags;
	unsigned char *data;
	size_t len;
	unsigned pref;
};

struct fake {
	struct fake_rr *rr;
	size_t n;
};

static const struct {
	const char *word;
	int type;
	int flag;
} fake_types[] = {
    {"A", DNS_T_A, 0},
    {"AAAA", DNS_T_AAAA, 0},
    {"MX", DNS_T_MX, 0},
    {"PTR", DNS_T_PTR, 0},
    {"TXT", DNS_T_TXT, 0},
    {"SPF", DNS_T_SPF, 0},
    {"TIMEOUT", 0, FAKE_TIMEOUT},
    {"SERVFAIL", 0, FAKE_SERVFAIL},
    {"BOGUS", 0, FAKE_BOGUS},
    {"SECURE", 0, FAKE_SECURE},
};

static void
fake_name(char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
}

/* TXT value: "quoted" "strings" concatenated, or the raw rest of line. */
static int
fake_txt(const char *v, struct fake_rr *rr)
{
	size_t o = 0;

	rr->data = malloc(strlen(v) + 1);
	if (rr->data == NULL)
		return -1;
	if (*v != '"') {
		memcpy(rr->data, v, strlen(v) + 1);
		rr->len = strlen(v);
		return 0;
	}
	while (*v == '"') {
		for (v++; *v != '"'; v++) {
			if (*v == '\\' && v[1] != '\0')
				v++;
			if (*v == '\0')
				return -1;
			rr->data[o++] = (unsigned char)*v;
		}
		v++;
		v += strspn(v, " \t");
	}
	rr->data[o] = '\0';
	rr->len = o;
	return *v == '\0' ? 0 : -1;
}

static int
fake_value(const char *v, struct fake_rr *rr)
{
	unsigned char ip[16];
	char name[256];
	unsigned pref;

	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		if (inet_pton(rr->type == DNS_T_A ? AF_INET : AF_INET6, v,
			      ip) != 1)
			return -1;
		rr->len = rr->type == DNS_T_A ? 4 : 16;
		rr->data = malloc(rr->len);
		if (rr->data == NULL)
			return -1;
		memcpy(rr->data, ip, rr->len);
		return 0;
	case DNS_T_MX:
		if (sscanf(v, "%u %255s", &pref, name) != 2 || pref > 65535)
			return -1;
		rr->pref = pref;
		v = name;
		/* fall through */
	case DNS_T_PTR:
		rr->data = (unsigned char *)strdup(v);
		if (rr->data == NULL || *v == '\0')
			return -1;
		fake_name((char *)rr->data);
		rr->len = strlen((char *)rr->data);
		return 0;
	default:
		return fake_txt(v, rr);
	}
}

/* One table line "NAME TYPE [VALUE]"; 0, 1 (blank/comment) or -1. */
static int
fake_line(char *line, struct fake_rr *rr, const char **why)
{
	char *name, *type, *val;
	size_t i;

	line[strcspn(line, "\r\n")] = '\0';
	name = line + strspn(line, " \t");
	if (*name == '\0' || *name == '#')
		return 1;
	type = name + strcspn(name, " \t");
	if (*type != '\0')
		*type++ = '\0';
	type += strspn(type, " \t");
	val = type + strcspn(type, " \t");
	if (*val != '\0')
		*val++ = '\0';
	val += strspn(val, " \t");
	*why = "unknown type";
	for (i = 0; i < sizeof(fake_types) / sizeof(fake_types[0]); i++)
		if (strcasecmp(type, fake_types[i].word) == 0)
			break;
	if (i == sizeof(fake_types) / sizeof(fake_types[0]))
		return -1;
	rr->type = fake_types[i].type;
	rr->flags = fake_types[i].flag;
	if ((rr->name = strdup(name)) == NULL)
		return -1;
	fake_name(rr->name);
	*why = "bad value";
	if (rr->type == 0)
		return *val == '\0' ? 0 : -1;
	return fake_value(val, rr);
}

static void
fake_free(dns_ctx *ctx)
{
	struct fake *f = ctx->priv;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->rr[i].name);
		free(f->rr[i].data);
	}
	free(f->rr);
	free(f);
}

static int
fake_start(dns_ctx *ctx, dns_query *q)
{
	const struct fake *f = ctx->priv;
	int flags = 0, known = 0;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->rr[i].name, q->name) == 0) {
			known = 1;
			flags |= f->rr[i].flags;
		}
	q->ans = dns_answer_new(!known			? DNS_NXDOMAIN
				: flags & FAKE_TIMEOUT	? DNS_TIMEOUT
				: flags & FAKE_SERVFAIL ? DNS_SERVFAIL
				: flags & FAKE_BOGUS	? DNS_BOGUS
							: DNS_NODATA,
				known && (flags & FAKE_SECURE) != 0);
	if (q->ans->status != DNS_NODATA)
		return 0;
	q->ans->ttl = 300;
	for (i = 0; i < f->n; i++)
		if (f->rr[i].type == q->type &&
		    strcmp(f->rr[i].name, q->name) == 0) {
			if (dns_answer_add(q->ans, f->rr[i].data, f->rr[i].len,
					   f->rr[i].pref) != 0) {
				dns_answer_free(q->ans);
				q->ans = dns_answer_new(DNS_NOMEM, 0);
				return 0;
			}
			q->ans->status = DNS_OK;
		}
	return 0;
}

/* Never called: every fake answer is immediate. */
static struct dns_answer *
fake_wait(dns_query *q)
{
	return q->ans;
}

static void
fake_cancel(dns_query *q)
{
	dns_answer_free(q->ans);
}

static const struct dns_backend fake_backend = {
    "fake", fake_start, fake_wait, fake_cancel, fake_free,
};

dns_ctx *
dns_ctx_new_fake(const char *table, char *err, size_t errlen)
{
	dns_ctx *ctx = dns_ctx_alloc(&fake_backend, 0);
	struct fake *f = calloc(1, sizeof(*f));
	char *copy = strdup(table ? table : ""), *line, *save = NULL;
	int lineno = 0, rc = 0;

	if (ctx == NULL || f == NULL || copy == NULL) {
		snprintf(err, errlen, "out of memory");
		free(ctx);
		free(f);
		free(copy);
		return NULL;
	}
	ctx->priv = f;
	for (line = copy; rc == 0 && line != NULL; line = save) {
		const char *why = "out of memory";
		struct fake_rr *rr;

		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		rr = realloc(f->rr, (f->n + 1) * sizeof(*rr));
		if (rr == NULL) {
			rc = -1;
			snprintf(err, errlen, "out of memory");
			break;
		}
		f->rr = rr;
		memset(&rr[f->n], 0, sizeof(*rr));
		rc = fake_line(line, &rr[f->n], &why);
		if (rc < 0)
			snprintf(err, errlen, "fake DNS table, line %d: %s",
				 lineno, why);
		/* count it even on error, so fake_free releases it */
		if (rc <= 0)
			f->n++;
		if (rc > 0)
			rc = 0;
	}
	free(copy);
	if (rc == 0)
		return ctx;
	dns_ctx_free(ctx);
	return NULL;
}
