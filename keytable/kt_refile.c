/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_refile.c - "refile:PATH": like file:, but each key is a wildcard
 * pattern in which "*" matches any run of characters (none included) and
 * every other character matches itself, as OpenDKIM's refile.  Patterns
 * are tried in file order: kt_get gives the value of the first matching
 * line, kt_get_all the values of every matching line, in file order.
 *
 * Memory: the table owns its lines; immutable after open.
 */
#include <stdlib.h>
#include <string.h>

#include "keytable.h"
#include "kt_lines.h"

typedef struct kt_refile {
	kt_table t;
	struct kt_lines lines;
} kt_refile;

/* 1 when s matches the pattern p ("*" wildcards); no recursion. */
int
kt_refile_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static int
kt_refile_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
		 char *err, size_t errlen)
{
	kt_refile *r = (kt_refile *)t;
	int found = KT_NOTFOUND;
	size_t i;

	(void)err;
	(void)errlen;
	for (i = 0; i < r->lines.n; i++) {
		if (!kt_refile_match(r->lines.v[i].key, key))
			continue;
		found = KT_FOUND;
		if (fn(arg, r->lines.v[i].value) != 0)
			break;
	}
	return found;
}

static int
kt_refile_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return kt_lines_walk(&((kt_refile *)t)->lines, t->name, fn, arg);
}

static void
kt_refile_close(kt_table *t)
{
	kt_lines_free(&((kt_refile *)t)->lines);
	kt_free(t);
}

kt_table *
kt_refile_open(const char *name, int flags, char *err, size_t errlen)
{
	kt_refile *r = (kt_refile *)kt_alloc(sizeof(*r), "refile", name, flags);

	if (r == NULL)
		return NULL;
	r->t.props = KT_PROP_PATTERN;
	r->t.lookup = kt_refile_lookup;
	r->t.walk = kt_refile_walk;
	r->t.close = kt_refile_close;
	if (kt_lines_load(&r->t, name, &r->lines, err, errlen) != 0) {
		kt_refile_close(&r->t);
		return NULL;
	}
	return &r->t;
}
