/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * benchrun.c - see benchrun.h.  Memory: the record stays the caller's;
 * each answer is a new copy, which the library frees.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchrun.h"
#include "dkimsa.h"

int
benchrun_key_fn(void *arg, const char *domain, const char *selector, char **txt,
		int *secure)
{
	(void)domain;
	(void)selector;
	*secure = 1;
	*txt = strdup(arg);
	return *txt ? DKIMSA_LOOKUP_OK : DKIMSA_LOOKUP_TEMPFAIL;
}

double
benchrun_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
benchrun_per_call(int (*once)(void *), void *arg, double seconds)
{
	double t0 = benchrun_cpu(), t;
	long n = 0;

	do {
		if (once(arg) != 0)
			return -1;
		n++;
	} while ((t = benchrun_cpu()) - t0 < seconds);
	return (t - t0) * 1e6 / (double)n;
}
