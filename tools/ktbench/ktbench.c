/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-kt-bench - cold and warm lookup times of one table, for
 * "make bench" (tests/bench/ldap-scale-bench.sh, pgsql-scale-bench.sh).
 *
 *   dkimsa-kt-bench SPEC KEY [N]
 *
 * Opens SPEC (TYPE:NAME) and times the first lookup of KEY (cold: for a
 * networked table the connection is made then), then N more (default
 * 2000) with TableCacheTTL 0 (warm: every one reaches the server), then
 * N through a table opened with TableCacheTTL 10 (cached; the same as
 * warm for file: and db:, which have no cache).  Prints
 *   RESULT open_us=... cold_us=... warm_us=... cached_us=...
 * Exit status 0, or 1 when KEY is not found or a lookup fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "keytable.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One lookup of key; 0, or -1 (printed) unless found. */
static int
lookup(kt_table *t, const char *key)
{
	char err[256], *v = NULL;
	int rc = kt_get(t, key, &v, err, sizeof(err));

	free(v);
	if (rc == KT_FOUND)
		return 0;
	fprintf(stderr, "dkimsa-kt-bench: %s: %s\n", key,
		rc == KT_NOTFOUND ? "not found" : err);
	return -1;
}

/* Mean microseconds of n lookups, or -1. */
static double
repeat(kt_table *t, const char *key, long n)
{
	double t0 = now_us();
	long i;

	for (i = 0; i < n; i++)
		if (lookup(t, key) != 0)
			return -1;
	return (now_us() - t0) / (double)n;
}

int
main(int argc, char **argv)
{
	double t0, open_us, cold_us, warm_us, cached_us;
	long n = argc > 3 ? atol(argv[3]) : 2000;
	kt_table *t;
	char *err = NULL;

	if (argc < 3 || argc > 4 || n < 1) {
		fprintf(stderr, "usage: dkimsa-kt-bench TYPE:NAME KEY [N]\n");
		return 2;
	}
	kt_set_cache_ttl(0);
	t0 = now_us();
	t = kt_open(argv[1], 0, &err);
	open_us = now_us() - t0;
	if (t == NULL || kt_failed(t)) {
		fprintf(stderr, "dkimsa-kt-bench: %s: %s\n", argv[1],
			err ? err : "out of memory");
		free(err);
		if (t)
			kt_close(t);
		return 1;
	}
	t0 = now_us();
	if (lookup(t, argv[2]) != 0) {
		kt_close(t);
		return 1;
	}
	cold_us = now_us() - t0;
	warm_us = repeat(t, argv[2], n);
	kt_close(t);
	kt_set_cache_ttl(10);
	t = kt_open(argv[1], 0, &err);
	if (t == NULL || kt_failed(t) || lookup(t, argv[2]) != 0) {
		free(err);
		if (t)
			kt_close(t);
		return 1;
	}
	cached_us = repeat(t, argv[2], n);
	kt_close(t);
	if (warm_us < 0 || cached_us < 0)
		return 1;
	printf("RESULT open_us=%.1f cold_us=%.1f warm_us=%.2f cached_us=%.2f\n",
	       open_us, cold_us, warm_us, cached_us);
	return 0;
}
