/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_maps.c - an ordered list of tables used as one (Postfix's maps.c):
 * a lookup asks each table in turn and the first that finds the key
 * answers (with all of its values).  An error from a table asked before
 * any hit is the answer: later tables are not consulted, because what
 * the failed table would have said is unknown.  kt_walk walks every
 * table in order.
 *
 * Memory: the maps table owns its member tables.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keytable.h"

typedef struct kt_maps {
	kt_table t;
	kt_table **v;
	size_t n;
} kt_maps;

static int
kt_maps_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
	       char *err, size_t errlen)
{
	kt_maps *m = (kt_maps *)t;
	size_t i;
	int rc;

	for (i = 0; i < m->n; i++) {
		rc = kt_get_all(m->v[i], key, fn, arg, err, errlen);
		if (rc != KT_NOTFOUND)
			return rc;
	}
	return KT_NOTFOUND;
}

static int
kt_maps_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_maps *m = (kt_maps *)t;
	size_t i;
	int rc;

	for (i = 0; i < m->n; i++)
		if ((rc = kt_walk(m->v[i], fn, arg, err, errlen)) != 0)
			return rc;
	return 0;
}

static int
kt_maps_reload(kt_table *t, char *err, size_t errlen)
{
	kt_maps *m = (kt_maps *)t;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (kt_reload(m->v[i], err, errlen) != 0)
			return KT_ERROR;
	return 0;
}

static void
kt_maps_close(kt_table *t)
{
	kt_maps *m = (kt_maps *)t;
	size_t i;

	for (i = 0; i < m->n; i++)
		kt_close(m->v[i]);
	free(m->v);
	kt_free(t);
}

/* Opens one member; on failure *err keeps the first reason. */
static int
kt_maps_add(kt_maps *m, const char *spec, char **err)
{
	kt_table **v = realloc(m->v, (m->n + 1) * sizeof(*v));
	char *why = NULL;

	if (v == NULL)
		return -1;
	m->v = v;
	if ((v[m->n] = kt_open(spec, m->t.flags, &why)) == NULL)
		return -1;
	m->t.props |= v[m->n]->props;
	m->n++;
	if (why != NULL && err != NULL && *err == NULL)
		*err = why;
	else
		free(why);
	return 0;
}

kt_table *
kt_maps_open(const char *specs, int flags, char **err)
{
	kt_maps *m = (kt_maps *)kt_alloc(sizeof(*m), "maps", specs, flags);
	char *copy, *tok, *save = NULL;
	int rc = 0;

	if (err != NULL)
		*err = NULL;
	if (m == NULL || (copy = strdup(specs)) == NULL) {
		if (m != NULL)
			kt_free(&m->t);
		return NULL;
	}
	m->t.lookup = kt_maps_lookup;
	m->t.walk = kt_maps_walk;
	m->t.reload = kt_maps_reload;
	m->t.close = kt_maps_close;
	for (tok = strtok_r(copy, " \t\n", &save); rc == 0 && tok != NULL;
	     tok = strtok_r(NULL, " \t\n", &save))
		rc = kt_maps_add(m, tok, err);
	free(copy);
	if (rc != 0) {
		kt_maps_close(&m->t);
		if (err != NULL) {
			free(*err);
			*err = NULL;
		}
		return NULL;
	}
	return &m->t;
}
