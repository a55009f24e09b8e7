/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_lines.h - reads a text table (file: and refile:) into memory: one
 * entry per line "KEY [VALUE]", "#" starts a comment, blank lines are
 * skipped, white space around key and value is dropped.  Bad lines are
 * reported as "PATH, line N: reason" and fail the whole load.
 *
 * Memory: a kt_lines owns its entries (kt_lines_free).
 */
#ifndef DKIMSA_KT_LINES_H
#define DKIMSA_KT_LINES_H

#include <stddef.h>

#include "keytable.h"

struct kt_line {
	char *key;     /* folded unless KT_CASE */
	char *value;   /* "" when the line has only a key */
	unsigned line; /* line number in the file */
};

struct kt_lines {
	struct kt_line *v;
	size_t n;
};

/* 0, or KT_ERROR with the reason in err. */
int kt_lines_load(const kt_table *t, const char *path, struct kt_lines *out,
		  char *err, size_t errlen);
/* Calls fn for every entry in file order (see kt_pair_fn). */
int kt_lines_walk(const struct kt_lines *l, const char *path, kt_pair_fn fn,
		  void *arg);
void kt_lines_free(struct kt_lines *l);

#endif
