/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_cache_test.c - the result cache kept in front of networked tables
 * (keytable/kt_cache.c), here in front of a db: table that is rebuilt
 * under it: answers found and not found are kept for the TTL and asked
 * again after it, every value of a key is kept, errors are not kept,
 * walks go to the table, and TTL 0 means no cache.
 */
#include "../keytable/kt_fixture.h"

#include "keytable.h"
#include "t.h"

/* Rebuilds cache.db from a csl: list. */
static void
build(const char *csl)
{
	char err[256];
	kt_table *src = kt_open(csl, 0, NULL);

	kt_db_build(src, kt_fix_path("cache.db"), 0, 0644, err, sizeof(err));
	kt_close(src);
}

/* Appends value to the "|"-separated list in arg. */
static int
append(void *arg, const char *value)
{
	char *out = arg;

	if (out[0] != '\0')
		strcat(out, "|");
	strcat(out, value);
	return 0;
}

/* Every value of key into out; the KT_* answer. */
static int
get(kt_table *t, const char *key, char *out)
{
	char err[256];

	out[0] = '\0';
	return kt_get_all(t, key, append, out, err, sizeof(err));
}

static int
count_fn(void *arg, const char *key, const char *value, const char *where)
{
	(void)key;
	(void)value;
	(void)where;
	++*(int *)arg;
	return 0;
}

int
main(void)
{
	char spec[600], got[512];
	kt_table *t, *inner;
	int rc, n = 0;

	kt_fix_init();
	build("csl:a=1,a=2,b=x");
	snprintf(spec, sizeof(spec), "db:%s", kt_fix_path("cache.db"));
	inner = kt_open(spec, 0, NULL);
	t = kt_cache_open(inner, 1);
	rc = get(t, "a", got);
	t_ok(rc == KT_FOUND && !strcmp(got, "1|2"), "every-value-answered",
	     "%d %s", rc, got);
	rc = get(t, "c", got);
	t_ok(rc == KT_NOTFOUND, "not-found-answered", "%d", rc);
	build("csl:a=3,c=y");
	rc = get(t, "a", got);
	t_ok(rc == KT_FOUND && !strcmp(got, "1|2"), "found-kept-for-the-ttl",
	     "%d %s", rc, got);
	rc = get(t, "c", got);
	t_ok(rc == KT_NOTFOUND, "not-found-kept-for-the-ttl", "%d %s", rc, got);
	t_ok(kt_walk(t, count_fn, &n, NULL, 0) == 0 && n == 2,
	     "walk-goes-to-the-table", "%d entries", n);
	unlink(kt_fix_path("cache.db"));
	rc = get(t, "d", got);
	t_ok(rc == KT_ERROR, "error-answered", "%d", rc);
	build("csl:d=z");
	rc = get(t, "d", got);
	t_ok(rc == KT_FOUND && !strcmp(got, "z"), "error-not-kept", "%d %s", rc,
	     got);
	build("csl:a=3,c=y");
	sleep(2);
	rc = get(t, "a", got);
	t_ok(rc == KT_FOUND && !strcmp(got, "3"), "asked-again-after-the-ttl",
	     "%d %s", rc, got);
	rc = get(t, "c", got);
	t_ok(rc == KT_FOUND && !strcmp(got, "y"),
	     "not-found-asked-again-after-the-ttl", "%d %s", rc, got);
	kt_close(t);
	inner = kt_open(spec, 0, NULL);
	t_ok(kt_cache_open(inner, 0) == inner, "ttl-0-is-no-cache", "-");
	kt_close(inner);
	kt_fix_cleanup();
	return t_exit();
}
