/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * job.c - see job.h.  The pool is created once at start-up, after the
 * signal thread (its workers inherit the blocked signals), and joined
 * at a clean exit, after SIGTERM has drained the messages in progress.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "dkimsa.h"
#include "job.h"
#include "metrics.h"
#include "mlog.h"

static struct pool *job_pool;

int
job_init(int n)
{
	int want = n > 0 ? n : pool_auto_size();

	if ((job_pool = pool_create(want)) == NULL) {
		mlog(LOG_ERR, "cannot start %d worker threads: %s", want,
		     strerror(errno));
		return -1;
	}
	if (pool_threads(job_pool) < want)
		mlog(LOG_WARNING, "only %d of %d worker threads started: %s",
		     pool_threads(job_pool), want, strerror(errno));
	mlog(LOG_INFO, "%d worker threads for DNS work (WorkerThreads %d)",
	     pool_threads(job_pool), n);
	return 0;
}

void
job_shutdown(void)
{
	pool_destroy(job_pool);
	job_pool = NULL;
}

/* Every worker busy: said once a minute at most. */
static void
job_busy(int waiting)
{
	static atomic_llong next; /* CLOCK_MONOTONIC s; 0: never said */
	struct timespec now;
	long long due;

	clock_gettime(CLOCK_MONOTONIC, &now);
	due = atomic_load(&next);
	if ((due != 0 && now.tv_sec < due) ||
	    !atomic_compare_exchange_strong(&next, &due, now.tv_sec + 60))
		return;
	mlog(LOG_WARNING,
	     "all %d worker threads busy: %d job(s) waiting for one "
	     "(WorkerThreads; said once a minute)",
	     pool_threads(job_pool), waiting);
}

static void
job_run(struct pool_task *t)
{
	struct job *j = (struct job *)((char *)t - offsetof(struct job, task));

	dkimsa_dns_deadline_set(j->dns_deadline);
	j->fn(j->arg);
	dkimsa_dns_deadline_set(0); /* nothing for the worker's next job */
	pthread_mutex_lock(&j->mu);
	j->done = 1; /* from here j belongs to job_wait */
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

void
job_start(struct job *j, void (*fn)(void *), void *arg)
{
	int waiting;

	j->fn = fn;
	j->arg = arg;
	j->done = 0;
	j->dns_deadline = dkimsa_dns_deadline_get();
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->queued = job_pool != NULL;
	if (!j->queued) {
		fn(arg);
		j->done = 1;
		return;
	}
	j->task.fn = job_run;
	metrics_worker_job();
	if ((waiting = pool_submit(job_pool, &j->task)) > 0)
		job_busy(waiting);
}

void
job_wait(struct job *j, SMFICTX *ctx)
{
	if (j->queued) {
		pthread_mutex_lock(&j->mu);
		while (!j->done) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 5;
			if (pthread_cond_timedwait(&j->cv, &j->mu, &ts) ==
				ETIMEDOUT &&
			    ctx != NULL)
				smfi_progress(ctx);
		}
		pthread_mutex_unlock(&j->mu);
		j->queued = 0;
	}
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
}

void
job_run_cached(SMFICTX *ctx, void (*fn)(void *), void (*reset)(void *),
	       void *arg)
{
	struct job j;

	dkimsa_dns_cache_only(1);
	fn(arg);
	if (!dkimsa_dns_cache_only(0))
		return;
	reset(arg);
	job_start(&j, fn, arg);
	job_wait(&j, ctx);
}
