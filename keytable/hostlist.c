/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostlist.c - client address and name lists (see hostlist.h for the
 * rules).  Entries are parsed and checked once at load: "192.0.2.300",
 * "10.0.0.0/33" or "foo bar" are errors naming the line, never entries
 * that silently match nothing.
 *
 * Memory: the list owns an array of entries and their name strings.
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "hostlist.h"
#include "keytable.h"

enum hl_kind { HL_ADDR, HL_NAME, HL_SUFFIX, HL_GLOB };

struct hl_entry {
	enum hl_kind kind;
	int neg;
	int family; /* 4 or 6 */
	int prefix;
	unsigned char addr[16];
	char *name; /* folded to lower case */
};

struct hostlist {
	struct hl_entry *v;
	size_t n;
};

/* The decision of the most specific matching entry so far. */
struct hl_best {
	int spec; /* specificity; -1 = nothing matched */
	int neg;
};

hostlist *
hostlist_new(void)
{
	return calloc(1, sizeof(hostlist));
}

/* Parses an address, brackets allowed; v4-mapped v6 becomes v4. */
static int
hl_parse_addr(const char *s, int *family, unsigned char out[16])
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0,	   0,
						 0, 0, 0, 0, 0xff, 0xff};
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, out) == 1) {
		*family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, out) != 1)
		return -1;
	*family = 6;
	if (memcmp(out, mapped, 12) == 0) {
		memmove(out, out + 12, 4);
		*family = 4;
	}
	return 0;
}

static int
hl_prefix_match(const unsigned char *a, const unsigned char *net, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));

	if (memcmp(a, net, (size_t)full) != 0)
		return 0;
	return rest == 0 || (a[full] & mask) == (net[full] & mask);
}

static void
hl_mask(unsigned char *a, int prefix, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++) {
		int keep = prefix - 8 * i;

		if (keep <= 0)
			a[i] = 0;
		else if (keep < 8)
			a[i] &= (unsigned char)(0xff << (8 - keep));
	}
}

/* An address or CIDR entry; 0 or -1 with the reason. */
static int
hl_add_addr(struct hl_entry *e, char *s, const char **why)
{
	char *slash = strchr(s, '/'), *end;
	long p;

	if (slash != NULL)
		*slash = '\0';
	if (hl_parse_addr(s, &e->family, e->addr) != 0) {
		*why = "not an IPv4 or IPv6 address";
		return -1;
	}
	e->kind = HL_ADDR;
	e->prefix = e->family == 4 ? 32 : 128;
	if (slash == NULL)
		return 0;
	p = strtol(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || p < 0 ||
	    p > e->prefix) {
		*why = e->family == 4 ? "prefix length must be 0 to 32"
				      : "prefix length must be 0 to 128";
		return -1;
	}
	e->prefix = (int)p;
	hl_mask(e->addr, e->prefix, e->family == 4 ? 4 : 16);
	return 0;
}

/*
 * A name in U-labels, in place as A-labels (the form DNS and the checks
 * compare with; RFC 8616); a leading "." stays.  0, or -1 with why.
 */
static int
hl_alabels(char *s, size_t size, const char **why)
{
	char out[300];
	int dot = s[0] == '.';

	if (dkimsa_domain_alabels(s + dot, out, sizeof(out), why) != 0)
		return -1;
	if (strlen(out) + (size_t)dot >= size) {
		*why = "the name is too long";
		return -1;
	}
	memcpy(s + dot, out, strlen(out) + 1);
	return 0;
}

/* A host name, .domain suffix or pattern entry (s is folded). */
static int
hl_add_name(struct hl_entry *e, char *s, size_t size, const char **why)
{
	const char *body = s[0] == '.' ? s + 1 : s;
	size_t n;

	if (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_.*") !=
		strlen(s) &&
	    strchr(s, '*') == NULL && hl_alabels(s, size, why) != 0)
		return -1;
	n = strlen(body);

	if (n == 0 || body[0] == '.' || body[n - 1] == '.' ||
	    strstr(body, "..") != NULL ||
	    strspn(body, "abcdefghijklmnopqrstuvwxyz0123456789-_.*") != n) {
		*why = "not an address, CIDR block, host name or .domain";
		return -1;
	}
	e->kind = strchr(s, '*') ? HL_GLOB : s[0] == '.' ? HL_SUFFIX : HL_NAME;
	if ((e->name = strdup(s)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

int
hostlist_add(hostlist *h, const char *entry, const char *where, char *err,
	     size_t errlen)
{
	struct hl_entry e, *v;
	const char *why = NULL;
	char buf[300];
	size_t i;
	int rc;

	memset(&e, 0, sizeof(e));
	e.neg = entry[0] == '!';
	if (strlen(entry + e.neg) >= sizeof(buf))
		return kt_err(err, errlen, "%s: entry too long", where);
	for (i = 0; entry[e.neg + i] != '\0'; i++) {
		char c = entry[e.neg + i];

		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	buf[i] = '\0';
	if (strchr(buf, ':') || strchr(buf, '/') || buf[0] == '[' ||
	    (buf[0] != '\0' && strspn(buf, "0123456789.") == strlen(buf)))
		rc = hl_add_addr(&e, buf, &why);
	else
		rc = hl_add_name(&e, buf, sizeof(buf), &why);
	if (rc != 0)
		return kt_err(err, errlen, "%s: \"%s\": %s", where, entry, why);
	if ((v = realloc(h->v, (h->n + 1) * sizeof(*v))) == NULL) {
		free(e.name);
		return kt_err(err, errlen, "out of memory");
	}
	h->v = v;
	v[h->n++] = e;
	return 0;
}

struct hl_load {
	hostlist *h;
	char *err;
	size_t errlen;
};

static int
hl_load_fn(void *arg, const char *key, const char *value, const char *where)
{
	struct hl_load *l = arg;

	if (value[0] != '\0')
		return kt_err(l->err, l->errlen,
			      "%s: unexpected \"%s\" after host entry \"%s\"",
			      where, value, key);
	return hostlist_add(l->h, key, where, l->err, l->errlen);
}

int
hostlist_open(const char *spec, hostlist **out, char *err, size_t errlen)
{
	struct hl_load l = {NULL, err, errlen};
	char *why = NULL;
	kt_table *t;
	int rc;

	*out = NULL;
	if ((l.h = hostlist_new()) == NULL ||
	    (t = kt_open(spec, 0, &why)) == NULL) {
		hostlist_free(l.h);
		return kt_err(err, errlen, "out of memory");
	}
	rc = kt_walk(t, hl_load_fn, &l, err, errlen);
	kt_close(t);
	free(why);
	if (rc != 0) {
		hostlist_free(l.h);
		return -1;
	}
	*out = l.h;
	return 0;
}

/* Specificity of a name entry for host (folded), or -1. */
static int
hl_name_spec(const struct hl_entry *e, const char *host)
{
	size_t hn = strlen(host), en = strlen(e->name);
	int stars = 0;
	const char *p;

	switch (e->kind) {
	case HL_NAME:
		return strcmp(e->name, host) == 0 ? 100000 : -1;
	case HL_SUFFIX:
		return hn > en && strcmp(host + hn - en, e->name) == 0 ? (int)en
								       : -1;
	case HL_GLOB:
		for (p = e->name; *p != '\0'; p++)
			stars += *p == '*';
		return kt_refile_match(e->name, host) ? (int)en - stars : -1;
	default:
		return -1;
	}
}

static void
hl_consider(struct hl_best *b, int spec, int neg)
{
	if (spec < 0)
		return;
	if (spec > b->spec || (spec == b->spec && neg))
		*b = (struct hl_best){spec, neg};
}

/* Folds hostname into buf; NULL when there is no usable name. */
static const char *
hl_host(const char *hostname, char *buf, size_t len)
{
	size_t i, n;

	if (hostname == NULL || hostname[0] == '\0' || hostname[0] == '[')
		return NULL;
	n = strlen(hostname);
	if (n > 0 && hostname[n - 1] == '.')
		n--;
	if (n >= len)
		return NULL;
	for (i = 0; i < n; i++)
		buf[i] = (char)(hostname[i] >= 'A' && hostname[i] <= 'Z'
				    ? hostname[i] - 'A' + 'a'
				    : hostname[i]);
	buf[n] = '\0';
	return buf;
}

int
hostlist_match(const hostlist *h, const char *ip, const char *hostname)
{
	struct hl_best ab = {-1, 0}, nb = {-1, 0};
	unsigned char a[16];
	char hbuf[300];
	const char *host = hl_host(hostname, hbuf, sizeof(hbuf));
	int family = 0;
	size_t i;

	if (ip == NULL || hl_parse_addr(ip, &family, a) != 0)
		family = 0;
	for (i = 0; i < h->n; i++) {
		const struct hl_entry *e = &h->v[i];

		if (e->kind == HL_ADDR) {
			if (family == e->family &&
			    hl_prefix_match(a, e->addr, e->prefix))
				hl_consider(&ab, e->prefix, e->neg);
		} else if (host != NULL) {
			hl_consider(&nb, hl_name_spec(e, host), e->neg);
		}
	}
	if ((ab.spec >= 0 && ab.neg) || (nb.spec >= 0 && nb.neg))
		return 0;
	return ab.spec >= 0 || nb.spec >= 0;
}

size_t
hostlist_count(const hostlist *h)
{
	return h->n;
}

void
hostlist_free(hostlist *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++)
		free(h->v[i].name);
	free(h->v);
	free(h);
}
