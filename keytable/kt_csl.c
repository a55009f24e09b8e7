/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_csl.c - "csl:a,b,k=v": an inline comma-separated list, as OpenDKIM's
 * csl data sets.  Each element is a member ("a", value "") or a key=value
 * pair split at the first "=".  White space around elements is dropped.
 * An empty element or an empty key is a bad element and fails the open
 * ("csl:a,,b, element 2: empty element").  A key may repeat.
 *
 * Memory: the table owns a copy of every element; immutable after open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keytable.h"
#include "kt_lines.h"

typedef struct kt_csl {
	kt_table t;
	struct kt_lines items; /* .line is the element number */
} kt_csl;

static int
kt_csl_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
	      char *err, size_t errlen)
{
	kt_csl *c = (kt_csl *)t;
	int found = KT_NOTFOUND;
	size_t i;

	(void)err;
	(void)errlen;
	for (i = 0; i < c->items.n; i++) {
		if (strcmp(c->items.v[i].key, key) != 0)
			continue;
		found = KT_FOUND;
		if (fn(arg, c->items.v[i].value) != 0)
			break;
	}
	return found;
}

static int
kt_csl_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_csl *c = (kt_csl *)t;
	char where[1200];
	size_t i;
	int rc;

	(void)err;
	(void)errlen;
	for (i = 0; i < c->items.n; i++) {
		snprintf(where, sizeof(where), "csl:%s, element %u", t->name,
			 c->items.v[i].line);
		rc = fn(arg, c->items.v[i].key, c->items.v[i].value, where);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static void
kt_csl_close(kt_table *t)
{
	kt_lines_free(&((kt_csl *)t)->items);
	kt_free(t);
}

/* Trims white space from both ends of s in place. */
static char *
kt_csl_trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Adds element number n (text el, modified in place). */
static int
kt_csl_add(kt_csl *c, char *el, unsigned n, char *err, size_t errlen)
{
	char *key, *value = "", *eq, fold[1024];
	struct kt_line *v;

	key = kt_csl_trim(el);
	if ((eq = strchr(key, '=')) != NULL) {
		*eq = '\0';
		value = kt_csl_trim(eq + 1);
		key = kt_csl_trim(key);
	}
	if (*key == '\0')
		return kt_err(err, errlen, "csl:%s, element %u: %s", c->t.name,
			      n,
			      eq ? "empty key before \"=\"" : "empty element");
	if (kt_fold(&c->t, key, fold, sizeof(fold)) == NULL)
		return kt_err(err, errlen, "csl:%s, element %u: too long",
			      c->t.name, n);
	v = realloc(c->items.v, (c->items.n + 1) * sizeof(*v));
	if (v == NULL)
		return kt_err(err, errlen, "out of memory");
	c->items.v = v;
	v[c->items.n].key = strdup(fold);
	v[c->items.n].value = strdup(value);
	v[c->items.n].line = n;
	c->items.n++;
	if (v[c->items.n - 1].key == NULL || v[c->items.n - 1].value == NULL)
		return kt_err(err, errlen, "out of memory");
	return 0;
}

kt_table *
kt_csl_open(const char *name, int flags, char *err, size_t errlen)
{
	kt_csl *c = (kt_csl *)kt_alloc(sizeof(*c), "csl", name, flags);
	char *copy, *el, *next;
	unsigned n = 0;
	int rc = 0;

	if (c == NULL)
		return NULL;
	c->t.lookup = kt_csl_lookup;
	c->t.walk = kt_csl_walk;
	c->t.close = kt_csl_close;
	if ((copy = strdup(name)) == NULL) {
		kt_csl_close(&c->t);
		return NULL;
	}
	for (el = *copy ? copy : NULL; rc == 0 && el != NULL; el = next) {
		if ((next = strchr(el, ',')) != NULL)
			*next++ = '\0';
		rc = kt_csl_add(c, el, ++n, err, errlen);
	}
	free(copy);
	if (rc != 0) {
		kt_csl_close(&c->t);
		return NULL;
	}
	return &c->t;
}
