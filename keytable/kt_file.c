/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_file.c - "file:PATH": exact-key lookups in a text table read once at
 * open (format in kt_lines.c).  A key on several lines has several values,
 * returned in file order (OpenDKIM SigningTable files list one key name
 * per line).  Lookups use a sorted index, so the table is immutable after
 * open and safe to share between threads.
 *
 * Memory: the table owns its lines and index; kt_close frees them.
 */
#include <stdlib.h>
#include <string.h>

#include "keytable.h"
#include "kt_lines.h"

typedef struct kt_file {
	kt_table t;
	struct kt_lines lines;
	/* the lines sorted by key, then by line number (file order) */
	const struct kt_line **index;
} kt_file;

static int
kt_file_cmp(const void *a, const void *b)
{
	const struct kt_line *x = *(const struct kt_line *const *)a;
	const struct kt_line *y = *(const struct kt_line *const *)b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* First index position whose key is >= key. */
static size_t
kt_file_lower(const kt_file *f, const char *key)
{
	size_t lo = 0, hi = f->lines.n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(f->index[mid]->key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
kt_file_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
	       char *err, size_t errlen)
{
	kt_file *f = (kt_file *)t;
	size_t i = kt_file_lower(f, key);
	int found = KT_NOTFOUND;

	(void)err;
	(void)errlen;
	for (; i < f->lines.n && strcmp(f->index[i]->key, key) == 0; i++) {
		found = KT_FOUND;
		if (fn(arg, f->index[i]->value) != 0)
			break;
	}
	return found;
}

static int
kt_file_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_file *f = (kt_file *)t;

	(void)err;
	(void)errlen;
	return kt_lines_walk(&f->lines, t->name, fn, arg);
}

static void
kt_file_close(kt_table *t)
{
	kt_file *f = (kt_file *)t;

	kt_lines_free(&f->lines);
	free((void *)f->index);
	kt_free(t);
}

kt_table *
kt_file_open(const char *name, int flags, char *err, size_t errlen)
{
	kt_file *f = (kt_file *)kt_alloc(sizeof(*f), "file", name, flags);
	size_t i;

	if (f == NULL)
		return NULL;
	f->t.lookup = kt_file_lookup;
	f->t.walk = kt_file_walk;
	f->t.close = kt_file_close;
	if (kt_lines_load(&f->t, name, &f->lines, err, errlen) != 0) {
		kt_file_close(&f->t);
		return NULL;
	}
	f->index = malloc((f->lines.n + 1) * sizeof(*f->index));
	if (f->index == NULL) {
		kt_err(err, errlen, "%s: out of memory", name);
		kt_file_close(&f->t);
		return NULL;
	}
	for (i = 0; i < f->lines.n; i++)
		f->index[i] = &f->lines.v[i];
	qsort(f->index, f->lines.n, sizeof(*f->index), kt_file_cmp);
	return &f->t;
}
