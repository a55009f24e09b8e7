/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * job.h - run a function in a worker of the milter's pool (pool.h), so
 * DNS work can start early (SPF at MAIL FROM) and the callback thread can
 * keep the MTA from timing out (smfi_progress) while it waits.  A job
 * carries the DNS deadline of the thread that started it and runs under
 * it (dkimsa_dns_deadline_set), whichever worker takes it, so one
 * message's DNS time is shared by all its jobs.  When every worker is
 * busy the job waits in line, first come first served, and so does the
 * message; that is logged once a minute.  A job never waits for another.
 */
#ifndef DKIMSA_MILTER_JOB_H
#define DKIMSA_MILTER_JOB_H

#include <libmilter/mfapi.h>
#include <pthread.h>

#include "pool.h"

struct job {
	struct pool_task task; /* the pool's link */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int queued, done;
	long long dns_deadline; /* the starting thread's */
	void (*fn)(void *arg);
	void *arg;
};

/*
 * Starts the pool: n workers, or 0 for POOL_PER_CPU per CPU.  Until then
 * (and in programs that never call it) a job runs in job_start itself.
 * Returns -1, logged, when no worker could start.
 */
int job_init(int n);
/* Runs the jobs still queued, then ends the workers (call with none
 * started after it). */
void job_shutdown(void);
/* Starts fn(arg); never blocks and never fails. */
void job_start(struct job *j, void (*fn)(void *), void *arg);
/* Waits for the job (ctx may be NULL), sending progress every 5 s. */
void job_wait(struct job *j, SMFICTX *ctx);
/*
 * Runs fn(arg) in this thread with DNS answered from the cache only; when
 * that pass needed a query, reset(arg) drops what it left and fn runs
 * again in a worker while this thread waits (job_wait).
 */
void job_run_cached(SMFICTX *ctx, void (*fn)(void *), void (*reset)(void *),
		    void *arg);

#endif
