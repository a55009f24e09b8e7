/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_db.c - "db:PATH": a Berkeley DB 5.3 hash file (libdb, <db.h>) as
 * built by kt_db_build / "dkimsa-table -t db", like Postfix's postmap.
 * Opened read-only.  Every lookup first stat()s PATH; when the file was
 * replaced (device, inode, size or mtime changed, as after the build's
 * rename) the new file is opened before the lookup, and a new file that
 * cannot be opened is an error, never an empty answer.  Keys and values
 * are stored without a NUL; a repeated key is stored as duplicates
 * (DB_DUP) in source order.
 *
 * Threading: a DB handle opened without an environment must not be used
 * by two threads at once, so every use holds the table's mutex.  Values
 * are copied out under the lock and handed to the callback after it.
 *
 * Memory: the table owns its DB handle; values given to callbacks are
 * freed when the lookup returns.
 */
#define _DEFAULT_SOURCE
#include <db.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keytable.h"

typedef struct kt_db {
	kt_table t;
	pthread_mutex_t lock;
	DB *db;
	struct stat st; /* of the open file */
} kt_db;

struct kt_db_vals {
	char **v;
	size_t n;
};

static int
kt_db_same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Berkeley DB would print its own messages on stderr; ours say more. */
static void
kt_db_quiet(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	(void)pfx;
	(void)msg;
}

/* Opens path read-only into *out, recording its stat in *st. */
static int
kt_db_open_file(const char *path, DB **out, struct stat *st, char *err,
		size_t errlen)
{
	DB *db;
	int rc;

	*out = NULL;
	if (stat(path, st) != 0)
		return kt_err(err, errlen, "%s: %s", path, strerror(errno));
	if ((rc = db_create(&db, NULL, 0)) != 0)
		return kt_err(err, errlen, "%s: %s", path, db_strerror(rc));
	db->set_errcall(db, kt_db_quiet);
	rc = db->open(db, NULL, path, NULL, DB_UNKNOWN, DB_RDONLY, 0);
	if (rc != 0) {
		db->close(db, 0);
		return kt_err(err, errlen,
			      "%s: not a Berkeley DB file (%s); "
			      "build it with dkimsa-table -t db",
			      path, db_strerror(rc));
	}
	*out = db;
	return 0;
}

/* Under the lock: reopens when the file changed.  0 or KT_ERROR. */
static int
kt_db_check(kt_db *d, int force, char *err, size_t errlen)
{
	struct stat st;
	DB *db;

	if (!force && stat(d->t.name, &st) == 0 && kt_db_same(&st, &d->st))
		return 0;
	if (kt_db_open_file(d->t.name, &db, &st, err, errlen) != 0)
		return KT_ERROR;
	if (d->db != NULL)
		d->db->close(d->db, 0);
	d->db = db;
	d->st = st;
	return 0;
}

static int
kt_db_push(struct kt_db_vals *vals, const DBT *v)
{
	char **n = realloc(vals->v, (vals->n + 1) * sizeof(*n));

	if (n == NULL)
		return -1;
	vals->v = n;
	if ((n[vals->n] = malloc(v->size + 1)) == NULL)
		return -1;
	if (v->size > 0) /* an empty value may come with data == NULL */
		memcpy(n[vals->n], v->data, v->size);
	n[vals->n++][v->size] = '\0';
	return 0;
}

/* Under the lock: copies every value of key. */
static int
kt_db_fetch(kt_db *d, const char *key, struct kt_db_vals *vals, char *err,
	    size_t errlen)
{
	DBT k, v;
	DBC *c;
	int rc, flag = DB_SET;

	if ((rc = d->db->cursor(d->db, NULL, &c, 0)) != 0)
		return kt_err(err, errlen, "%s: %s", d->t.name,
			      db_strerror(rc));
	memset(&k, 0, sizeof(k));
	k.data = (void *)key;
	k.size = (u_int32_t)strlen(key);
	for (;;) {
		memset(&v, 0, sizeof(v));
		if ((rc = c->get(c, &k, &v, flag)) != 0)
			break;
		flag = DB_NEXT_DUP;
		if (kt_db_push(vals, &v) != 0) {
			rc = ENOMEM;
			break;
		}
	}
	c->close(c);
	if (rc != DB_NOTFOUND)
		return kt_err(err, errlen, "%s: %s", d->t.name,
			      db_strerror(rc));
	return 0;
}

static int
kt_db_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg, char *err,
	     size_t errlen)
{
	kt_db *d = (kt_db *)t;
	struct kt_db_vals vals = {NULL, 0};
	size_t i;
	int rc;

	pthread_mutex_lock(&d->lock);
	rc = kt_db_check(d, 0, err, errlen);
	if (rc == 0)
		rc = kt_db_fetch(d, key, &vals, err, errlen);
	pthread_mutex_unlock(&d->lock);
	for (i = 0; rc == 0 && i < vals.n; i++)
		if (fn(arg, vals.v[i]) != 0)
			break;
	for (i = 0; i < vals.n; i++)
		free(vals.v[i]);
	free(vals.v);
	if (rc != 0)
		return KT_ERROR;
	return vals.n > 0 ? KT_FOUND : KT_NOTFOUND;
}

/* Under the lock: calls fn for every pair (hash order). */
static int
kt_db_walk_locked(kt_db *d, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	char *key = NULL, *val = NULL, where[1200];
	DBT k, v;
	DBC *c;
	int rc, stop = 0;

	if ((rc = d->db->cursor(d->db, NULL, &c, 0)) != 0)
		return kt_err(err, errlen, "%s: %s", d->t.name,
			      db_strerror(rc));
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	while (stop == 0 && (rc = c->get(c, &k, &v, DB_NEXT)) == 0) {
		key = strndup(k.data, k.size);
		val = strndup(v.data, v.size);
		if (key == NULL || val == NULL) {
			stop = kt_err(err, errlen, "out of memory");
		} else {
			snprintf(where, sizeof(where), "%s, key \"%s\"",
				 d->t.name, key);
			stop = fn(arg, key, val, where);
		}
		free(key);
		free(val);
	}
	c->close(c);
	if (stop != 0)
		return stop;
	if (rc != DB_NOTFOUND)
		return kt_err(err, errlen, "%s: %s", d->t.name,
			      db_strerror(rc));
	return 0;
}

static int
kt_db_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_db *d = (kt_db *)t;
	int rc;

	pthread_mutex_lock(&d->lock);
	rc = kt_db_check(d, 0, err, errlen);
	if (rc == 0)
		rc = kt_db_walk_locked(d, fn, arg, err, errlen);
	pthread_mutex_unlock(&d->lock);
	return rc;
}

static int
kt_db_reload(kt_table *t, char *err, size_t errlen)
{
	kt_db *d = (kt_db *)t;
	int rc;

	pthread_mutex_lock(&d->lock);
	rc = kt_db_check(d, 1, err, errlen);
	pthread_mutex_unlock(&d->lock);
	return rc;
}

static void
kt_db_close(kt_table *t)
{
	kt_db *d = (kt_db *)t;

	if (d->db != NULL)
		d->db->close(d->db, 0);
	pthread_mutex_destroy(&d->lock);
	kt_free(t);
}

kt_table *
kt_db_open(const char *name, int flags, char *err, size_t errlen)
{
	kt_db *d = (kt_db *)kt_alloc(sizeof(*d), "db", name, flags);

	if (d == NULL)
		return NULL;
	pthread_mutex_init(&d->lock, NULL);
	d->t.lookup = kt_db_lookup;
	d->t.walk = kt_db_walk;
	d->t.reload = kt_db_reload;
	d->t.close = kt_db_close;
	if (kt_db_open_file(name, &d->db, &d->st, err, errlen) != 0) {
		kt_db_close(&d->t);
		return NULL;
	}
	return &d->t;
}
