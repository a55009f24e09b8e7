/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnsbench.c - lookups per second through the DNS layer for an answer
 * already in the cache (a DKIM key TXT), blocking calls, in 1..N threads.
 *
 *   dnsbench UNBOUND.CONF NAME [COUNT [THREADS]]
 *
 * Prints "dnsbench: THREADS thread(s), COUNT lookups of NAME/TXT in S s:
 * N lookups/s (U us each)" and exits 1 when any lookup was not DNS_OK.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dns.h"

struct bench {
	dns_ctx *ctx;
	const char *name;
	long count;
	long bad;
};

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
bench_run(void *arg)
{
	struct bench *b = arg;
	long i;

	for (i = 0; i < b->count; i++) {
		struct dns_answer *a =
		    dns_lookup(b->ctx, NULL, b->name, DNS_T_TXT);

		b->bad += a->status != DNS_OK;
		dns_answer_free(a);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct dns_opts o = {"none", NULL, NULL, 2000};
	struct bench b[64];
	pthread_t th[64];
	long count = argc > 3 ? atol(argv[3]) : 20000, bad = 0;
	int threads = argc > 4 ? atoi(argv[4]) : 1, i;
	char err[512];
	double t0, t;
	dns_ctx *ctx;

	if (argc < 3 || count < 1 || threads < 1 || threads > 64) {
		fprintf(stderr, "usage: dnsbench UNBOUND.CONF NAME [COUNT "
				"[THREADS 1-64]]\n");
		return 2;
	}
	o.unbound_conf = argv[1];
	if ((ctx = dns_ctx_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dnsbench: %s\n", err);
		return 1;
	}
	b[0] = (struct bench){ctx, argv[2], 1, 0};
	bench_run(&b[0]); /* warm the cache */
	bad = b[0].bad;
	t0 = bench_now();
	for (i = 0; i < threads; i++) {
		b[i] = (struct bench){ctx, argv[2], count / threads, 0};
		if (pthread_create(&th[i], NULL, bench_run, &b[i]) != 0)
			return 1;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		bad += b[i].bad;
	}
	t = bench_now() - t0;
	count = count / threads * threads;
	printf("dnsbench: %d thread(s), %ld lookups of %s/TXT in %.3f s: "
	       "%.0f lookups/s (%.1f us each)\n",
	       threads, count, argv[2], t, (double)count / t,
	       t / (double)count * 1e6 * threads);
	dns_ctx_free(ctx);
	return bad ? 1 : 0;
}
