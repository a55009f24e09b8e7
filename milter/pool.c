/*
 * pool.c - see pool.h.  One mutex guards the queue and the count of
 * workers running a task; an idle worker sleeps on one condition
 * variable, and each submission wakes one.  Tasks run outside the mutex.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;	       /* work queued, or stopping */
	struct pool_task *head, *tail; /* the queue */
	int queued;		       /* tasks in it */
	int busy;		       /* workers running a task */
	int stopping;
	int nthreads;
	pthread_t *threads;
};

int
pool_auto_size(void)
{
	cpu_set_t set;
	long n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > POOL_AUTO_MAX / POOL_PER_CPU ? POOL_AUTO_MAX
						: (int)n * POOL_PER_CPU;
}

static void *
pool_main(void *arg)
{
	struct pool *p = arg;
	struct pool_task *t;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->head == NULL && !p->stopping)
			pthread_cond_wait(&p->cv, &p->mu);
		if ((t = p->head) == NULL)
			break; /* stopping, and nothing left */
		if ((p->head = t->next) == NULL)
			p->tail = NULL;
		p->queued--;
		p->busy++;
		pthread_mutex_unlock(&p->mu);
		t->fn(t); /* t may be gone once fn returns */
		pthread_mutex_lock(&p->mu);
		p->busy--;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *
pool_create(int n)
{
	struct pool *p;

	if (n < 1) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->threads = calloc((size_t)n, sizeof(pthread_t))) == NULL) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	while (p->nthreads < n) {
		int rc = pthread_create(&p->threads[p->nthreads], NULL,
					pool_main, p);

		if (rc != 0) {
			errno = rc;
			break;
		}
		p->nthreads++;
	}
	if (p->nthreads == 0) {
		pool_destroy(p);
		return NULL;
	}
	return p;
}

int
pool_threads(const struct pool *p)
{
	return p->nthreads;
}

int
pool_submit(struct pool *p, struct pool_task *t)
{
	int waiting;

	t->next = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->tail != NULL)
		p->tail->next = t;
	else
		p->head = t;
	p->tail = t;
	p->queued++;
	/* the queued tasks beyond the workers not running one */
	waiting = p->queued - (p->nthreads - p->busy);
	if (waiting < 0)
		waiting = 0;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return waiting;
}

void
pool_destroy(struct pool *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->threads);
	free(p);
}
