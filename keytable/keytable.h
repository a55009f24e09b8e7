/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keytable.h - lookup tables opened by a "type:name" string (the shape of
 * Postfix's dict_open.c / dict_surrogate.c / maps.c).
 *
 *   file:PATH     "key value" lines, # comments, blank lines ignored; a
 *                 key may appear on several lines (several values)
 *   refile:PATH   the same, keys are patterns where "*" matches any run
 *                 of characters; checked in file order
 *   csl:a,b=c     inline comma-separated list: members and key=value pairs
 *   db:PATH.db    Berkeley DB hash built by "dkimsa-table -t db"; opened
 *                 read-only and reopened when the file was replaced
 *   dsn:pgsql://[USER[:PASSWORD]@][PORT+]HOST/DB/table=T?keycol=K?datacol=D
 *                 a PostgreSQL table (OpenDKIM's syntax; kt_dsn.c), when
 *                 built with libpq
 *   ldap://HOST:PORT/BASE?ATTR[,ATTR]?SCOPE?FILTER, ldaps://...
 *                 a directory, "$d" in FILTER standing for the key
 *                 (OpenDKIM's syntax; kt_ldap.c), when built with libldap
 *   PATH          a spec with no known type: "db:" when it ends in ".db",
 *                 "file:" when it contains "/", else "csl:" (as OpenDKIM)
 *
 * A lookup answers KT_FOUND, KT_NOTFOUND or KT_ERROR; the three stay
 * distinct (for the milter an error means tempfail).  A table that cannot
 * be opened becomes a surrogate whose every lookup is KT_ERROR with the
 * reason, path included.  Bad lines are reported as "PATH, line N: reason"
 * and make the open fail: a bad value is never used.
 *
 * Keys are folded to lower case (domains, addresses and key names are
 * case-insensitive) unless KT_CASE is given.
 *
 * Threading: an open table may be used by any number of threads at once
 * (backends with mutable state, db:, lock internally).  Errors are written
 * to the caller's buffer, never into the shared handle.
 *
 * Memory: kt_open() returns a table owned by the caller (kt_close()).
 * Values passed to callbacks live only during the call; kt_get() returns
 * a malloc()ed copy the caller frees.
 */
#ifndef DKIMSA_KEYTABLE_H
#define DKIMSA_KEYTABLE_H

#include <stddef.h>

/* Lookup answers. */
#define KT_FOUND 1
#define KT_NOTFOUND 0
#define KT_ERROR (-1)

/* kt_open() flags. */
#define KT_CASE 0x01 /* keys are case-sensitive (default: folded) */

/* Set by backends in kt_table.props. */
#define KT_PROP_PATTERN 0x01 /* keys are patterns (refile:) */

/* Called once per value, in table order; return non-zero to stop. */
typedef int (*kt_value_fn)(void *arg, const char *value);
/*
 * Called once per entry by kt_walk(), in table order.  `where` locates the
 * entry for error messages ("/etc/x, line 3", "csl:a,b, element 2",
 * "/etc/x.db, key \"k\"").  Return 0 to go on, non-zero to stop (the walk
 * then returns that value).
 */
typedef int (*kt_pair_fn)(void *arg, const char *key, const char *value,
			  const char *where);

typedef struct kt_table kt_table;

/* A table handle; backends fill it in (see kt_open.c for the registry). */
struct kt_table {
	char *type;  /* "file", "refile", "csl", "db", "maps" */
	char *name;  /* what followed "type:" */
	int flags;   /* KT_CASE */
	int props;   /* KT_PROP_* */
	char *error; /* surrogate: why the open failed; else NULL */
	/* Every value of `key` (already folded) in order; KT_* answer. */
	int (*lookup)(kt_table *t, const char *key, kt_value_fn fn, void *arg,
		      char *err, size_t errlen);
	/* Every entry; 0, KT_ERROR (err set) or what fn returned. */
	int (*walk)(kt_table *t, kt_pair_fn fn, void *arg, char *err,
		    size_t errlen);
	/* Picks up a replaced file now; NULL when nothing can change. */
	int (*reload)(kt_table *t, char *err, size_t errlen);
	void (*close)(kt_table *t);
};

/*
 * Opens "type:name".  Never NULL except out of memory: a table that failed
 * to open is a surrogate, and *err (when err is not NULL) gets a malloc()ed
 * copy of the reason, else NULL.
 */
kt_table *kt_open(const char *spec, int flags, char **err);
/* 1 when t is a surrogate (failed to open). */
int kt_failed(const kt_table *t);
/*
 * The first value of key: KT_FOUND with *value malloc()ed (caller frees),
 * KT_NOTFOUND, or KT_ERROR with the reason in err.  *value is NULL unless
 * KT_FOUND.
 */
int kt_get(kt_table *t, const char *key, char **value, char *err,
	   size_t errlen);
/*
 * Every value of key in table order (file: every line with that key;
 * refile: the value of every matching pattern; db: every duplicate).
 */
int kt_get_all(kt_table *t, const char *key, kt_value_fn fn, void *arg,
	       char *err, size_t errlen);
/* Every entry in table order; see kt_pair_fn. */
int kt_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen);
/* Reopens a db: file replaced by rename; 0 or KT_ERROR. */
int kt_reload(kt_table *t, char *err, size_t errlen);
void kt_close(kt_table *t);
/* "type:name" for messages (points into t). */
const char *kt_spec(const kt_table *t, char *buf, size_t len);
/*
 * spec copied into buf with the password of a "scheme://user:password@"
 * part replaced by "*", for messages and logs; returns buf.
 */
const char *kt_spec_public(const char *spec, char *buf, size_t len);

/*
 * An ordered list of tables, first table with an answer wins; an error
 * from any table before a hit is an error.  specs are separated by white
 * space.  Same ownership as kt_open.
 */
kt_table *kt_maps_open(const char *specs, int flags, char **err);

/*
 * Builds a Berkeley DB hash file at dbpath from every entry of src (keys
 * folded unless KT_CASE; a repeated key keeps its values in order) with
 * file mode `mode`, atomically: written to a temporary file in the same
 * directory, then renamed over dbpath.  0 or KT_ERROR with err.
 */
int kt_db_build(kt_table *src, const char *dbpath, int flags, int mode,
		char *err, size_t errlen);

/* ---- for backends (kt_open.c) ---- */
typedef kt_table *(*kt_open_fn)(const char *name, int flags, char *err,
				size_t errlen);
/* A zeroed table with type and name copied; NULL when out of memory. */
kt_table *kt_alloc(size_t size, const char *type, const char *name, int flags);
/* Frees type, name, error and t itself. */
void kt_free(kt_table *t);
kt_table *kt_surrogate_open(const char *type, const char *name, int flags,
			    const char *reason);
/* Copies key into buf, folded unless KT_CASE; NULL when it does not fit. */
char *kt_fold(const kt_table *t, const char *key, char *buf, size_t len);
/* snprintf into err when err is not NULL; returns KT_ERROR. */
int kt_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

kt_table *kt_file_open(const char *name, int flags, char *err, size_t errlen);
kt_table *kt_refile_open(const char *name, int flags, char *err, size_t errlen);
kt_table *kt_csl_open(const char *name, int flags, char *err, size_t errlen);
kt_table *kt_db_open(const char *name, int flags, char *err, size_t errlen);
/*
 * TableCacheTTL: tables opened from now on that query a server (dsn:)
 * keep each answer (found or not found, never an error) for this many
 * seconds (kt_cache.c); 0, the default, keeps none.
 */
void kt_set_cache_ttl(int seconds);
int kt_get_cache_ttl(void);
/* inner behind a cache of answers kept ttl seconds (inner when ttl is 0
 * or inner failed); the cache owns inner.  NULL when out of memory. */
kt_table *kt_cache_open(kt_table *inner, int ttl);

/* dsn:pgsql://... (kt_dsn.c), when built with libpq. */
kt_table *kt_dsn_open(const char *name, int flags, char *err, size_t errlen);

/* ldap://, ldaps:// (kt_ldap.c), when built with libldap. */
kt_table *kt_ldap_open(const char *name, int flags, char *err, size_t errlen);
kt_table *kt_ldaps_open(const char *name, int flags, char *err, size_t errlen);
/*
 * LDAPBindUser, LDAPBindPassword (simple bind; anonymous when bind_user
 * is NULL), LDAPUseTLS (StartTLS) and LDAPTimeout (seconds) for ldap:
 * tables opened from now on; copied.
 */
void kt_ldap_set(const char *bind_user, const char *bind_password, int starttls,
		 int timeout);

/* 1 when s matches the refile: pattern p ("*" matches any run). */
int kt_refile_match(const char *p, const char *s);

#endif
