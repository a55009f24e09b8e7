/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_open.c - the table registry: "type:name" to a backend's open
 * function, and the generic entry points (kt_get, kt_get_all, kt_walk,
 * kt_reload, kt_close) that every caller uses.
 *
 * Memory: kt_open returns a table the caller closes with kt_close; a
 * failed open returns a surrogate (kt_surrogate.c), never NULL unless
 * memory ran out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keytable.h"

#define KT_KEY_MAX 1024

static const struct {
	const char *type;
	kt_open_fn open;
	int remote; /* lookups query a server: behind kt_cache_open */
} kt_registry[] = {
    {"file", kt_file_open, 0}, {"refile", kt_refile_open, 0},
    {"csl", kt_csl_open, 0},   {"db", kt_db_open, 0},
#ifdef DKIMSA_WITH_PGSQL
    {"dsn", kt_dsn_open, 1},
#endif
#ifdef DKIMSA_WITH_LDAP
    {"ldap", kt_ldap_open, 1}, {"ldaps", kt_ldaps_open, 1},
#endif
};

#ifdef DKIMSA_WITH_PGSQL
#define KT_KNOWN_PGSQL ", dsn"
#else
#define KT_KNOWN_PGSQL ""
#endif
#ifdef DKIMSA_WITH_LDAP
#define KT_KNOWN_LDAP ", ldap, ldaps"
#else
#define KT_KNOWN_LDAP ""
#endif
#define KT_KNOWN "file, refile, csl, db" KT_KNOWN_PGSQL KT_KNOWN_LDAP

int
kt_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return KT_ERROR;
}

kt_table *
kt_alloc(size_t size, const char *type, const char *name, int flags)
{
	kt_table *t = calloc(1, size);

	if (t == NULL)
		return NULL;
	t->type = strdup(type);
	t->name = strdup(name);
	t->flags = flags;
	if (t->type == NULL || t->name == NULL) {
		kt_free(t);
		return NULL;
	}
	return t;
}

void
kt_free(kt_table *t)
{
	if (t == NULL)
		return;
	free(t->type);
	free(t->name);
	free(t->error);
	free(t);
}

/* Splits spec into a registry row and the name; -1 for no known type. */
static int
kt_find_type(const char *spec, const char **name)
{
	size_t i, n;

	for (i = 0; i < sizeof(kt_registry) / sizeof(kt_registry[0]); i++) {
		n = strlen(kt_registry[i].type);
		if (strncmp(spec, kt_registry[i].type, n) == 0 &&
		    spec[n] == ':') {
			*name = spec + n + 1;
			return (int)i;
		}
	}
	return -1;
}

/* Type of a spec without a prefix, as OpenDKIM guesses it. */
static const char *
kt_guess_type(const char *spec)
{
	size_t n = strlen(spec);

	if (n > 3 && strcmp(spec + n - 3, ".db") == 0)
		return "db";
	if (strchr(spec, '/') != NULL)
		return "file";
	return "csl";
}

kt_table *
kt_open(const char *spec, int flags, char **err)
{
	char reason[1024] = "", buf[64];
	const char *name = spec;
	kt_table *t;
	int row;
	size_t i;

	if (err != NULL)
		*err = NULL;
	row = kt_find_type(spec, &name);
	if (row < 0) {
		const char *guess = kt_guess_type(spec);

		if (strchr(spec, ':') != NULL && strchr(spec, ':') != spec &&
		    strspn(spec, "abcdefghijklmnopqrstuvwxyz") ==
			(size_t)(strchr(spec, ':') - spec)) {
			snprintf(buf, sizeof(buf), "%.*s",
				 (int)(strchr(spec, ':') - spec), spec);
			snprintf(
			    reason, sizeof(reason),
			    "%s: unknown table type \"%s\" (known: " KT_KNOWN
			    ")",
			    spec, buf);
			t = kt_surrogate_open(buf, spec, flags, reason);
			goto failed;
		}
		for (i = 0; strcmp(kt_registry[i].type, guess) != 0; i++)
			;
		row = (int)i;
	}
	t = kt_registry[row].open(name, flags, reason, sizeof(reason));
	if (t != NULL && kt_registry[row].remote)
		t = kt_cache_open(t, kt_get_cache_ttl());
	if (t != NULL || reason[0] == '\0')
		return t;
	t = kt_surrogate_open(kt_registry[row].type, name, flags, reason);
failed:
	if (t != NULL && err != NULL)
		*err = strdup(reason);
	return t;
}

int
kt_failed(const kt_table *t)
{
	return t->error != NULL;
}

char *
kt_fold(const kt_table *t, const char *key, char *buf, size_t len)
{
	size_t i, n = strlen(key);

	if (n >= len)
		return NULL;
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)key[i];

		buf[i] = (!(t->flags & KT_CASE) && c >= 'A' && c <= 'Z')
			     ? (char)(c - 'A' + 'a')
			     : (char)c;
	}
	return buf;
}

struct kt_first {
	char *value;
	int nomem;
};

static int
kt_first_fn(void *arg, const char *value)
{
	struct kt_first *f = arg;

	f->value = strdup(value);
	f->nomem = f->value == NULL;
	return 1;
}

int
kt_get(kt_table *t, const char *key, char **value, char *err, size_t errlen)
{
	struct kt_first f = {NULL, 0};
	int rc;

	*value = NULL;
	rc = kt_get_all(t, key, kt_first_fn, &f, err, errlen);
	if (rc == KT_FOUND && f.nomem)
		return kt_err(err, errlen, "out of memory");
	if (rc == KT_FOUND)
		*value = f.value;
	else
		free(f.value);
	return rc;
}

int
kt_get_all(kt_table *t, const char *key, kt_value_fn fn, void *arg, char *err,
	   size_t errlen)
{
	char buf[KT_KEY_MAX];

	if (kt_fold(t, key, buf, sizeof(buf)) == NULL)
		return kt_err(err, errlen, "lookup key longer than %d bytes",
			      KT_KEY_MAX - 1);
	return t->lookup(t, buf, fn, arg, err, errlen);
}

int
kt_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	return t->walk(t, fn, arg, err, errlen);
}

int
kt_reload(kt_table *t, char *err, size_t errlen)
{
	if (t->reload == NULL)
		return 0;
	return t->reload(t, err, errlen);
}

void
kt_close(kt_table *t)
{
	if (t != NULL)
		t->close(t);
}

const char *
kt_spec(const kt_table *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", t->type, t->name);
	return buf;
}

const char *
kt_spec_public(const char *spec, char *buf, size_t len)
{
	const char *auth = strstr(spec, "://"), *end, *at, *colon;

	snprintf(buf, len, "%s", spec);
	if (auth == NULL)
		return buf;
	auth += 3;
	end = auth + strcspn(auth, "/");
	for (at = NULL, colon = auth; colon < end; colon++)
		if (*colon == '@')
			at = colon;
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon != NULL)
		snprintf(buf, len, "%.*s*%s", (int)(colon + 1 - spec), spec,
			 at);
	return buf;
}
