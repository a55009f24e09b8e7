/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyset.c - reads a KeyTable (any table type) into a sorted array and
 * loads its keys: the "loaded and parsed once per (re)load, never per
 * message" half of signing.  Values follow OpenDKIM's KeyTable:
 * "domain:selector:keyfile", split at the first two colons (a path may
 * contain more).  The domain is a DNS name or "%"; the selector is one or
 * more dot-separated labels of letters, digits, "-" and "_" (RFC 6376
 * section 3.1).  Key text written inline makes the file that holds it (the
 * table's file, or dkimsa.conf for a csl: KeyTable) a key file for
 * RequireSafeKeys (keyfile_check_holder).
 *
 * Memory: see keyset.h.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keyset.h"
#include "keytable.h"

#define KEYSET_SEEN_BUCKETS 4096

/* A key file already loaded during this walk. */
struct keyset_seen {
	struct keyset_seen *next;
	char *keyfile;
	dkimsa_key *key;
};

struct keyset_ctx {
	keyset *k;
	struct keyset_seen **seen; /* KEYSET_SEEN_BUCKETS chains, or NULL */
	struct keyfile_opts ko;	   /* the caller's, without conf */
	int load_keys;
	char *err;
	size_t errlen;
	int rc;			 /* DKIMSA_E* of the first failure */
	const char *holder;	 /* the file that holds inline key text */
	char holder_where[1200]; /* "dkimsa.conf, line N" for csl:, or "" */
};

static int
keyset_label_chars(const char *s, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || s[0] == '.' || s[n - 1] == '.' || strstr(s, "..") != NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return 0;
	return 1;
}

int
keyset_parse(const char *value, char **domain, char **selector, char **keyfile,
	     char *err, size_t errlen)
{
	const char *c1 = strchr(value, ':'),
		   *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	*domain = *selector = *keyfile = NULL;
	if (c2 == NULL || c2[1] == '\0') {
		kt_err(err, errlen,
		       "KeyTable value \"%.80s\" is not "
		       "domain:selector:keyfile",
		       value);
		return DKIMSA_ESYNTAX;
	}
	*domain = strndup(value, (size_t)(c1 - value));
	*selector = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
	*keyfile = strdup(c2 + 1);
	if (*domain == NULL || *selector == NULL || *keyfile == NULL) {
		kt_err(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	if (strcmp(*domain, "%") != 0 && !keyset_label_chars(*domain, "-_.")) {
		kt_err(err, errlen,
		       "KeyTable domain \"%.80s\" is not a "
		       "domain name",
		       *domain);
		return DKIMSA_ESYNTAX;
	}
	if (!keyset_label_chars(*selector, "-_.")) {
		kt_err(err, errlen,
		       "KeyTable selector \"%.80s\" is not a "
		       "DKIM selector",
		       *selector);
		return DKIMSA_ESYNTAX;
	}
	return 0;
}

static void
keyset_entry_free(struct keyset_entry *e)
{
	free(e->name);
	free(e->domain);
	free(e->selector);
	if (e->keyfile != NULL)
		memset(e->keyfile, 0, strlen(e->keyfile)); /* may be key data */
	free(e->keyfile);
	free(e->where);
	if (e->key != NULL)
		dkimsa_key_free(e->key);
}

static struct keyset_seen **
keyset_seen_slot(struct keyset_ctx *c, const char *keyfile)
{
	unsigned h = 5381;
	const char *p;

	for (p = keyfile; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	return &c->seen[h % KEYSET_SEEN_BUCKETS];
}

/* Loads keyfile, or shares the key of an entry that named it before. */
static int
keyset_key(struct keyset_ctx *c, const char *keyfile, dkimsa_key **key,
	   char *why, size_t len)
{
	struct keyset_seen **slot = NULL, *n;
	int rc;

	if (c->seen != NULL && keyfile_is_path(keyfile)) {
		slot = keyset_seen_slot(c, keyfile);
		for (n = *slot; n != NULL; n = n->next)
			if (strcmp(n->keyfile, keyfile) == 0) {
				*key = dkimsa_key_ref(n->key);
				return 0;
			}
	}
	rc = keyfile_load(keyfile, &c->ko, key, why, len);
	if (rc == 0 && slot != NULL && (n = calloc(1, sizeof(*n))) != NULL) {
		if ((n->keyfile = strdup(keyfile)) == NULL) {
			free(n);
			return 0;
		}
		n->key = dkimsa_key_ref(*key);
		n->next = *slot;
		*slot = n;
	}
	return rc;
}

static void
keyset_seen_free(struct keyset_ctx *c)
{
	struct keyset_seen *n, *next;
	size_t i;

	for (i = 0; c->seen != NULL && i < KEYSET_SEEN_BUCKETS; i++)
		for (n = c->seen[i]; n != NULL; n = next) {
			next = n->next;
			free(n->keyfile);
			dkimsa_key_free(n->key);
			free(n);
		}
	free(c->seen);
}

/* Fills e from one KeyTable entry; 0 or a DKIMSA_E* code. */
static int
keyset_entry_fill(struct keyset_ctx *c, struct keyset_entry *e, const char *key,
		  const char *value, const char *where)
{
	char why[900];
	int rc;

	e->name = strdup(key);
	e->where = strdup(where);
	if (e->name == NULL || e->where == NULL)
		return DKIMSA_ENOMEM;
	rc = keyset_parse(value, &e->domain, &e->selector, &e->keyfile, why,
			  sizeof(why));
	if (rc == 0 && c->load_keys && !keyfile_is_path(e->keyfile)) {
		rc = keyfile_check_holder(
		    c->holder, c->holder_where[0] ? c->holder_where : where,
		    &c->ko, c->err, c->errlen);
		if (rc != 0)
			return rc; /* the message names where already */
	}
	if (rc == 0 && c->load_keys)
		rc = keyset_key(c, e->keyfile, &e->key, why, sizeof(why));
	if (rc != 0)
		kt_err(c->err, c->errlen, "%s: %s", where, why);
	return rc;
}

static int
keyset_add(void *arg, const char *key, const char *value, const char *where)
{
	struct keyset_ctx *c = arg;
	struct keyset_entry *v;
	int rc;

	v = realloc(c->k->v, (c->k->n + 1) * sizeof(*v));
	if (v == NULL) {
		c->rc = DKIMSA_ENOMEM;
		return kt_err(c->err, c->errlen, "out of memory");
	}
	c->k->v = v;
	memset(&v[c->k->n], 0, sizeof(*v));
	rc = keyset_entry_fill(c, &v[c->k->n], key, value, where);
	c->k->n++;
	if (rc == DKIMSA_ENOMEM)
		kt_err(c->err, c->errlen, "out of memory");
	if (rc != 0) {
		c->rc = rc;
		return KT_ERROR;
	}
	return 0;
}

static int
keyset_cmp(const void *a, const void *b)
{
	return strcasecmp(((const struct keyset_entry *)a)->name,
			  ((const struct keyset_entry *)b)->name);
}

/* Sorts and rejects duplicate names. */
static int
keyset_index(keyset *k, char *err, size_t errlen)
{
	size_t i;

	if (k->n == 0) /* an empty KeyTable: k->v is NULL */
		return 0;
	qsort(k->v, k->n, sizeof(*k->v), keyset_cmp);
	for (i = 1; i < k->n; i++)
		if (strcasecmp(k->v[i - 1].name, k->v[i].name) == 0) {
			kt_err(err, errlen,
			       "%s: key name \"%s\" is also "
			       "defined at %s",
			       k->v[i].where, k->v[i].name, k->v[i - 1].where);
			return DKIMSA_ESYNTAX;
		}
	return 0;
}

/*
 * The file whose text holds the table's values: the file of a file:,
 * refile: or db: table, dkimsa.conf (o->conf) for a csl: table.
 */
static void
keyset_holder(struct keyset_ctx *c, const kt_table *t,
	      const struct keyfile_opts *o)
{
	if (strcmp(t->type, "csl") != 0) {
		c->holder = t->name;
	} else if ((c->holder = o->conf) != NULL) {
		keyfile_conf_where(o->conf, "KeyTable", c->holder_where,
				   sizeof(c->holder_where));
	}
}

int
keyset_load(const char *spec, const struct keyfile_opts *o, int load_keys,
	    keyset **out, char *err, size_t errlen)
{
	struct keyset_ctx c;
	kt_table *t;
	char *why = NULL;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.ko = *o;
	c.ko.conf = NULL; /* KeyTable entries are not dkimsa.conf's KeyFile */
	c.load_keys = load_keys;
	if (load_keys) /* without it every file is read once per entry */
		c.seen = calloc(KEYSET_SEEN_BUCKETS, sizeof(*c.seen));
	c.err = err;
	c.errlen = errlen;
	if ((c.k = calloc(1, sizeof(*c.k))) == NULL ||
	    (c.k->spec = strdup(spec)) == NULL ||
	    (t = kt_open(spec, 0, &why)) == NULL) {
		keyset_free(c.k);
		keyset_seen_free(&c);
		kt_err(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	keyset_holder(&c, t, o);
	rc = kt_walk(t, keyset_add, &c, err, errlen);
	kt_close(t);
	keyset_seen_free(&c);
	free(why);
	if (rc != 0)
		rc = c.rc != 0 ? c.rc : DKIMSA_EIO;
	if (rc == 0)
		rc = keyset_index(c.k, err, errlen);
	if (rc != 0) {
		keyset_free(c.k);
		return rc;
	}
	*out = c.k;
	return 0;
}

const struct keyset_entry *
keyset_find(const keyset *k, const char *name)
{
	struct keyset_entry probe;

	if (k->n == 0)
		return NULL;
	memset(&probe, 0, sizeof(probe));
	probe.name = (char *)name;
	return bsearch(&probe, k->v, k->n, sizeof(*k->v), keyset_cmp);
}

void
keyset_free(keyset *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++)
		keyset_entry_free(&k->v[i]);
	free(k->v);
	free(k->spec);
	free(k);
}
