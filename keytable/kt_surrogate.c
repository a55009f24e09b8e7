/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_surrogate.c - stands in for a table that could not be opened (the
 * shape of Postfix's dict_surrogate.c): every lookup and walk is KT_ERROR
 * with the reason the open failed, so a broken table can never look like
 * an empty one.
 *
 * Memory: the reason is copied into t->error and freed by kt_close.
 */
#include <stdlib.h>
#include <string.h>

#include "keytable.h"

static int
kt_surrogate_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
		    char *err, size_t errlen)
{
	(void)key;
	(void)fn;
	(void)arg;
	return kt_err(err, errlen, "%s", t->error);
}

static int
kt_surrogate_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err,
		  size_t errlen)
{
	(void)fn;
	(void)arg;
	return kt_err(err, errlen, "%s", t->error);
}

kt_table *
kt_surrogate_open(const char *type, const char *name, int flags,
		  const char *reason)
{
	kt_table *t = kt_alloc(sizeof(*t), type, name, flags);

	if (t == NULL)
		return NULL;
	t->error = strdup(reason[0] != '\0' ? reason : "cannot open table");
	if (t->error == NULL) {
		kt_free(t);
		return NULL;
	}
	t->lookup = kt_surrogate_lookup;
	t->walk = kt_surrogate_walk;
	t->close = kt_free;
	return t;
}
