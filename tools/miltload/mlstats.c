/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mlstats.c - latency arrays, percentiles and /proc CPU time; see
 * mlstats.h.  Memory: struct mlstats owns lat_us; mlstats_free frees it.
 * proc(5): in /proc/PID/stat, utime and stime are fields 14 and 15, in
 * clock ticks, counted after the ")" that ends the command name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mlstats.h"

static const char *const mlstats_names[MLSTATS_NREPLY] = {
    [MLSTATS_ACCEPT] = "accept",   [MLSTATS_CONTINUE] = "continue",
    [MLSTATS_REJECT] = "reject",   [MLSTATS_TEMPFAIL] = "tempfail",
    [MLSTATS_DISCARD] = "discard", [MLSTATS_ERROR] = "error",
};

const char *
mlstats_reply_name(enum mlstats_reply r)
{
	return (unsigned)r < MLSTATS_NREPLY ? mlstats_names[r] : "?";
}

static int
mlstats_reserve(struct mlstats *s, size_t need)
{
	size_t ncap = s->cap ? s->cap : 1024;
	double *nl;

	if (need <= s->cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if ((nl = realloc(s->lat_us, ncap * sizeof(*nl))) == NULL) {
		s->failed = 1;
		return -1;
	}
	s->lat_us = nl;
	s->cap = ncap;
	return 0;
}

void
mlstats_add(struct mlstats *s, enum mlstats_reply r, double lat_us)
{
	s->count[r]++;
	if (r != MLSTATS_ERROR && mlstats_reserve(s, s->n + 1) == 0)
		s->lat_us[s->n++] = lat_us;
}

void
mlstats_merge(struct mlstats *into, struct mlstats *from)
{
	int i;

	for (i = 0; i < MLSTATS_NREPLY; i++)
		into->count[i] += from->count[i];
	into->failed |= from->failed;
	if (from->n > 0 && mlstats_reserve(into, into->n + from->n) == 0) {
		memcpy(into->lat_us + into->n, from->lat_us,
		       from->n * sizeof(double));
		into->n += from->n;
	}
	mlstats_free(from);
}

static int
mlstats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
mlstats_percentile(struct mlstats *s, double q)
{
	size_t rank;

	if (s->n == 0)
		return 0;
	qsort(s->lat_us, s->n, sizeof(double), mlstats_cmp);
	rank = (size_t)(q / 100.0 * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return s->lat_us[rank - 1];
}

void
mlstats_free(struct mlstats *s)
{
	free(s->lat_us);
	memset(s, 0, sizeof(*s));
}

int
mlstats_proc_cpu(long pid, double *seconds)
{
	char path[64], line[1024], *p;
	unsigned long long ut, st;
	long tick = sysconf(_SC_CLK_TCK);
	FILE *fp;
	int ok;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	ok = fgets(line, sizeof(line), fp) != NULL;
	fclose(fp);
	if (!ok || (p = strrchr(line, ')')) == NULL || tick <= 0)
		return -1;
	/* after ")": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime */
	if (sscanf(p + 1,
		   " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &ut, &st) != 2)
		return -1;
	*seconds = (double)(ut + st) / (double)tick;
	return 0;
}
