/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_dsn.c - "dsn:pgsql://[USER[:PASSWORD]@][PORT+]HOST/DBNAME/table=T
 * ?keycol=K?datacol=D[,D...]": a PostgreSQL table through libpq, in
 * OpenDKIM's dsn: syntax, so that its KeyTable and SigningTable settings
 * work unchanged.  A lookup is
 *   SELECT D[, D...] FROM T WHERE K = $1
 * (the key already folded to lower case unless KT_CASE: store keys in
 * lower case), each row one value, its columns joined by ":" (a KeyTable
 * may keep domain, selector and key file in three columns).  A walk is
 * the same without the WHERE, ordered by K.  Table and column names are
 * letters, digits, "_" and "." only.
 *
 * Connections: opened when a lookup needs one (the server may be down at
 * start: lookups are then KT_ERROR, never "not found", and signing
 * resumes when it is back), kept in a small pool shared by the threads,
 * with a connect timeout and a statement timeout of KT_DSN_TIMEOUT
 * seconds.  A connection found broken (server restarted) is dropped with
 * the pooled ones and the query tried once more on a new one.  Messages name the table as
 * the spec with the password replaced by "*" (kt_spec_public).
 *
 * Built only when configure found libpq (DKIMSA_WITH_PGSQL); the
 * registry row in kt_open.c is under the same condition.
 *
 * Memory: the table owns its pool; values given to callbacks live until
 * the lookup returns.
 */
#ifdef DKIMSA_WITH_PGSQL
#define _DEFAULT_SOURCE
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keytable.h"

#define KT_DSN_POOL 8
#define KT_DSN_TIMEOUT 5
#define KT_DSN_PARAMS 8

typedef struct kt_dsn {
	kt_table t;
	pthread_mutex_t lock;
	PGconn *idle[KT_DSN_POOL];
	int nidle;
	const char *keys[KT_DSN_PARAMS + 1], *vals[KT_DSN_PARAMS + 1];
	char *host, *port, *dbname, *user, *password;
	char *sql_get, *sql_walk;
	char timeout[16], options[64];
	char pub[1024]; /* the spec without the password */
} kt_dsn;

/* 1 when s is a usable SQL name (letters, digits, "_", "."; not empty). */
static int
kt_dsn_ident(const char *s)
{
	return s != NULL && *s != '\0' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.") == strlen(s);
}

/* The value of "name=" among the ?-separated parameters, malloc()ed. */
static char *
kt_dsn_param(const char *params, const char *name)
{
	size_t n = strlen(name);
	const char *p = params;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return strndup(p + n + 1, strcspn(p + n + 1, "?"));
		p = strchr(p, '?');
		if (p != NULL)
			p++;
	}
	return NULL;
}

/* Builds the two queries from table=, keycol= and datacol=. */
static int
kt_dsn_sql(kt_dsn *d, const char *params, char *err, size_t errlen)
{
	char *table = kt_dsn_param(params, "table"),
	     *key = kt_dsn_param(params, "keycol"),
	     *data = kt_dsn_param(params, "datacol"), *cols = NULL, *c;
	size_t len;
	int rc = -1;

	if (!kt_dsn_ident(table) || !kt_dsn_ident(key) || data == NULL) {
		kt_err(err, errlen,
		       "%s: table=, keycol= and datacol= are required (names "
		       "of letters, digits, \"_\" and \".\")",
		       d->pub);
		goto done;
	}
	len = strlen(table) + strlen(key) * 2 + strlen(data) * 2 + 64;
	if ((cols = strdup(data)) == NULL ||
	    (d->sql_get = malloc(len)) == NULL ||
	    (d->sql_walk = malloc(len)) == NULL) {
		kt_err(err, errlen, "out of memory");
		goto done;
	}
	for (c = strtok(cols, ","); c != NULL; c = strtok(NULL, ","))
		if (!kt_dsn_ident(c)) {
			kt_err(err, errlen, "%s: datacol \"%s\" is not a name",
			       d->pub, c);
			goto done;
		}
	snprintf(d->sql_get, len, "SELECT %s FROM %s WHERE %s = $1", data,
		 table, key);
	snprintf(d->sql_walk, len, "SELECT %s, %s FROM %s ORDER BY %s", key,
		 data, table, key);
	rc = 0;
done:
	free(table);
	free(key);
	free(data);
	free(cols);
	return rc;
}

/* Splits "[USER[:PASSWORD]@][PORT+]HOST/DBNAME/PARAMS"; 0 or -1. */
static int
kt_dsn_parse(kt_dsn *d, const char *name, char *err, size_t errlen)
{
	const char *p = name + strlen("pgsql://"), *slash, *at, *plus, *c;

	if (strncmp(name, "pgsql://", 8) != 0)
		return kt_err(err, errlen,
			      "%s: only pgsql:// is supported (dsn:pgsql://"
			      "[user[:password]@][port+]host/dbname/table=T?"
			      "keycol=K?datacol=D)",
			      d->pub);
	if ((slash = strchr(p, '/')) == NULL || strchr(slash + 1, '/') == NULL)
		return kt_err(err, errlen, "%s: no /dbname/table=...", d->pub);
	at = memchr(p, '@', (size_t)(slash - p));
	if (at != NULL) {
		c = memchr(p, ':', (size_t)(at - p));
		d->user = strndup(p, (size_t)((c ? c : at) - p));
		if (c != NULL)
			d->password = strndup(c + 1, (size_t)(at - c - 1));
		p = at + 1;
	}
	plus = memchr(p, '+', (size_t)(slash - p));
	if (plus != NULL) {
		d->port = strndup(p, (size_t)(plus - p));
		p = plus + 1;
	}
	d->host = strndup(p, (size_t)(slash - p));
	d->dbname = strndup(slash + 1, strcspn(slash + 1, "/"));
	if (d->host == NULL || d->dbname == NULL)
		return kt_err(err, errlen, "out of memory");
	return kt_dsn_sql(d, strchr(slash + 1, '/') + 1, err, errlen);
}

static void
kt_dsn_conninfo(kt_dsn *d)
{
	const char *kv[][2] = {
	    {"host", d->host},	       {"port", d->port},
	    {"dbname", d->dbname},     {"user", d->user},
	    {"password", d->password}, {"connect_timeout", d->timeout},
	    {"options", d->options},   {"application_name", "dkimsa"},
	};
	size_t k;
	int i = 0;

	snprintf(d->timeout, sizeof(d->timeout), "%d", KT_DSN_TIMEOUT);
	snprintf(d->options, sizeof(d->options), "-c statement_timeout=%d",
		 KT_DSN_TIMEOUT * 1000);
	for (k = 0; k < sizeof(kv) / sizeof(kv[0]); k++)
		if (kv[k][1] != NULL && kv[k][1][0] != '\0') {
			d->keys[i] = kv[k][0];
			d->vals[i++] = kv[k][1];
		}
	d->keys[i] = d->vals[i] = NULL;
}

/* "message" of a libpq error without its trailing newline. */
static int
kt_dsn_fail(kt_dsn *d, const char *what, const char *msg, char *err,
	    size_t errlen)
{
	size_t n = strlen(msg);

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return kt_err(err, errlen, "%s: %s: %.*s", d->pub, what, (int)n, msg);
}

/* A pooled connection, or a new one; NULL with err set. */
static PGconn *
kt_dsn_get(kt_dsn *d, char *err, size_t errlen)
{
	PGconn *c = NULL;

	pthread_mutex_lock(&d->lock);
	if (d->nidle > 0)
		c = d->idle[--d->nidle];
	pthread_mutex_unlock(&d->lock);
	if (c != NULL)
		return c;
	c = PQconnectdbParams(d->keys, d->vals, 0);
	if (c == NULL) {
		kt_err(err, errlen, "out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		kt_dsn_fail(d, "cannot connect", PQerrorMessage(c), err,
			    errlen);
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Closes the pooled connections (after one was found broken). */
static void
kt_dsn_drain(kt_dsn *d)
{
	PGconn *idle[KT_DSN_POOL];
	int n;

	pthread_mutex_lock(&d->lock);
	n = d->nidle;
	memcpy(idle, d->idle, sizeof(idle));
	d->nidle = 0;
	pthread_mutex_unlock(&d->lock);
	while (n > 0)
		PQfinish(idle[--n]);
}

/* Back to the pool when still sound, else closed. */
static void
kt_dsn_put(kt_dsn *d, PGconn *c)
{
	if (PQstatus(c) == CONNECTION_OK) {
		pthread_mutex_lock(&d->lock);
		if (d->nidle < KT_DSN_POOL) {
			d->idle[d->nidle++] = c;
			c = NULL;
		}
		pthread_mutex_unlock(&d->lock);
	}
	if (c != NULL)
		PQfinish(c);
}

/*
 * Runs sql (with key as $1 unless NULL); a connection found broken is
 * replaced once.  The result, or NULL with err set.
 */
static PGresult *
kt_dsn_query(kt_dsn *d, const char *sql, const char *key, char *err,
	     size_t errlen)
{
	PGresult *res = NULL;
	PGconn *c;
	int try;

	for (try = 0; try < 2; try++) {
		if ((c = kt_dsn_get(d, err, errlen)) == NULL)
			return NULL;
		res = PQexecParams(c, sql, key ? 1 : 0, NULL, &key, NULL, NULL,
				   0);
		if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
			kt_dsn_put(d, c);
			return res;
		}
		kt_dsn_fail(d, "query failed", PQerrorMessage(c), err, errlen);
		PQclear(res);
		res = NULL;
		if (PQstatus(c) == CONNECTION_OK) { /* not the connection */
			kt_dsn_put(d, c);
			return NULL;
		}
		PQfinish(c);	 /* broken (server restarted): once more */
		kt_dsn_drain(d); /* the others went with it */
	}
	return NULL;
}

/* Row i's data columns from `first` on, joined by ":" (malloc()ed). */
static char *
kt_dsn_value(const PGresult *res, int i, int first)
{
	int j, n = PQnfields(res);
	size_t len = 1;
	char *v;

	for (j = first; j < n; j++)
		len += (size_t)PQgetlength(res, i, j) + 1;
	if ((v = malloc(len)) == NULL)
		return NULL;
	v[0] = '\0';
	for (j = first; j < n; j++) {
		if (j > first)
			strcat(v, ":");
		strcat(v, PQgetvalue(res, i, j));
	}
	return v;
}

static int
kt_dsn_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
	      char *err, size_t errlen)
{
	kt_dsn *d = (kt_dsn *)t;
	PGresult *res = kt_dsn_query(d, d->sql_get, key, err, errlen);
	int i, rows, rc, stop;
	char *v;

	if (res == NULL)
		return KT_ERROR;
	rows = PQntuples(res);
	rc = rows > 0 ? KT_FOUND : KT_NOTFOUND;
	for (i = 0, stop = 0; i < rows && !stop; i++) {
		if ((v = kt_dsn_value(res, i, 0)) == NULL) {
			rc = kt_err(err, errlen, "out of memory");
			break;
		}
		stop = fn(arg, v);
		free(v);
	}
	PQclear(res);
	return rc;
}

static int
kt_dsn_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_dsn *d = (kt_dsn *)t;
	PGresult *res = kt_dsn_query(d, d->sql_walk, NULL, err, errlen);
	char where[1400], *v;
	int i, rc = 0;

	if (res == NULL)
		return KT_ERROR;
	for (i = 0; rc == 0 && i < PQntuples(res); i++) {
		if ((v = kt_dsn_value(res, i, 1)) == NULL) {
			rc = kt_err(err, errlen, "out of memory");
			break;
		}
		snprintf(where, sizeof(where), "%s, key \"%.200s\"", d->pub,
			 PQgetvalue(res, i, 0));
		rc = fn(arg, PQgetvalue(res, i, 0), v, where);
		free(v);
	}
	PQclear(res);
	return rc;
}

static void
kt_dsn_close(kt_table *t)
{
	kt_dsn *d = (kt_dsn *)t;

	while (d->nidle > 0)
		PQfinish(d->idle[--d->nidle]);
	pthread_mutex_destroy(&d->lock);
	free(d->host);
	free(d->port);
	free(d->dbname);
	free(d->user);
	if (d->password != NULL)
		memset(d->password, 0, strlen(d->password));
	free(d->password);
	free(d->sql_get);
	free(d->sql_walk);
	kt_free(t);
}

kt_table *
kt_dsn_open(const char *name, int flags, char *err, size_t errlen)
{
	kt_dsn *d = (kt_dsn *)kt_alloc(sizeof(*d), "dsn", name, flags);
	char spec[1100];

	if (d == NULL) {
		kt_err(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&d->lock, NULL);
	snprintf(spec, sizeof(spec), "dsn:%s", name);
	kt_spec_public(spec, d->pub, sizeof(d->pub));
	d->t.lookup = kt_dsn_lookup;
	d->t.walk = kt_dsn_walk;
	d->t.close = kt_dsn_close;
	if (kt_dsn_parse(d, name, err, errlen) != 0) {
		kt_dsn_close(&d->t);
		return NULL;
	}
	kt_dsn_conninfo(d);
	return &d->t;
}
#else
typedef int kt_dsn_not_built; /* ISO C: a translation unit is not empty */
#endif
