/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics-cost.c - what the counting of one message costs
 * (milter/metrics.c), without the noise of a whole milter run: the calls
 * a verified message makes with MetricsSocket on (the end-of-message
 * clock and histogram, its action, six results, five DNS lookups answered
 * from the cache and one sent) timed over many messages, in 1 and 2
 * threads at once (2: the counters' cache lines shared between cores).
 * Prints nanoseconds per message; tests/bench/metrics-bench.sh sets them
 * beside the milter's CPU time per message.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cfg.h"
#include "metrics.h"

#define COST_MSGS 2000000

static void *
cost_run(void *arg)
{
	dkimsa_dns_stat hit = {16, DKIMSA_DNS_ANSWER, 1, 0};
	dkimsa_dns_stat sent = {16, DKIMSA_DNS_ANSWER, 0, 1500};
	long i, k;

	(void)arg;
	for (i = 0; i < COST_MSGS; i++) {
		long long t0 = metrics_now();

		for (k = 0; k < 5; k++)
			metrics_dns(NULL, &hit);
		metrics_dns(NULL, &sent);
		metrics_verify_result(METRICS_M_DKIM, DKIMSA_RES_PASS);
		metrics_verify_result(METRICS_M_SPF, DKIMSA_RES_PASS);
		metrics_verify_result(METRICS_M_SPF_HELO, DKIMSA_RES_PASS);
		metrics_verify_result(METRICS_M_SENDER_ID, DKIMSA_RES_PASS);
		metrics_verify_result(METRICS_M_ADSP, DKIMSA_RES_PASS);
		metrics_forged_removed(0);
		(void)metrics_quarantined();
		metrics_message(METRICS_MODE_VERIFY, CFG_ACCEPT, t0);
	}
	return NULL;
}

static double
cost_ns(int threads)
{
	pthread_t th[2];
	struct timespec a, b;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, cost_run, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) /
	       COST_MSGS;
}

int
main(void)
{
	double off, on1, on2;

	off = cost_ns(1); /* counting off: every call returns at once */
	metrics_enable();
	on1 = cost_ns(1);
	on2 = cost_ns(2);
	/* 2 threads: each counts COST_MSGS messages in that time */
	printf("COST off_ns=%.1f on_ns=%.1f on2_ns=%.1f\n", off, on1, on2);
	return 0;
}
