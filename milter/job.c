/*
 * job.c - see job.h.
 */
#include <errno.h>
#include <time.h>

#include "dkimsa.h"
#include "job.h"

static void *
job_main(void *arg)
{
	struct job *j = arg;

	dkimsa_dns_deadline_set(j->dns_deadline);
	j->fn(j->arg);
	pthread_mutex_lock(&j->mu);
	j->done = 1;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

void
job_start(struct job *j, void (*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->done = 0;
	j->dns_deadline = dkimsa_dns_deadline_get();
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->started = pthread_create(&j->th, NULL, job_main, j) == 0;
	if (!j->started) {
		fn(arg);
		j->done = 1;
	}
}

void
job_wait(struct job *j, SMFICTX *ctx)
{
	if (j->started) {
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
		pthread_join(j->th, NULL);
		j->started = 0;
	}
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
}
