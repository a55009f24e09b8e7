/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pool.c - see pool.h.  One mutex guards the queue, the count of workers
 * running a task and the idle workers, kept as a stack: each submission
 * wakes the worker that went idle last (its own condition variable), so
 * under light load the same few threads, their stacks and malloc arenas
 * warm, do the work, and the others stay asleep.  Tasks run outside the
 * mutex.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

struct pool_worker {
	struct pool *p;
	pthread_t th;
	pthread_cond_t cv;
	int woken;		       /* popped off the idle stack */
	struct pool_worker *next_idle; /* below it on the stack */
};

struct pool {
	pthread_mutex_t mu;
	struct pool_task *head, *tail; /* the queue */
	int queued;		       /* tasks in it */
	int busy;		       /* workers running a task */
	struct pool_worker *idle;      /* the last worker to go idle */
	int stopping;
	int nthreads;
	struct pool_worker *workers;
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

/* Sleeps on the idle stack until pool_submit or pool_destroy wakes w. */
static void
pool_idle(struct pool *p, struct pool_worker *w)
{
	w->woken = 0;
	w->next_idle = p->idle;
	p->idle = w;
	while (!w->woken)
		pthread_cond_wait(&w->cv, &p->mu);
}

static void *
pool_main(void *arg)
{
	struct pool_worker *w = arg;
	struct pool *p = w->p;
	struct pool_task *t;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->head == NULL && !p->stopping)
			pool_idle(p, w);
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

/* Wakes the worker on top of the idle stack, if any (p->mu held). */
static void
pool_wake_one(struct pool *p)
{
	struct pool_worker *w = p->idle;

	if (w == NULL)
		return;
	p->idle = w->next_idle;
	w->woken = 1;
	pthread_cond_signal(&w->cv);
}

struct pool *
pool_create(int n)
{
	struct pool *p;
	int i;

	if (n < 1) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->workers = calloc((size_t)n, sizeof(*p->workers))) == NULL) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	for (i = 0; i < n; i++) {
		p->workers[i].p = p;
		pthread_cond_init(&p->workers[i].cv, NULL);
	}
	while (p->nthreads < n) {
		struct pool_worker *w = &p->workers[p->nthreads];
		int rc = pthread_create(&w->th, NULL, pool_main, w);

		if (rc != 0) {
			errno = rc;
			break;
		}
		p->nthreads++;
	}
	for (i = p->nthreads; i < n; i++) /* never started */
		pthread_cond_destroy(&p->workers[i].cv);
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
	pool_wake_one(p);
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
	while (p->idle != NULL)
		pool_wake_one(p);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++) {
		pthread_join(p->workers[i].th, NULL);
		pthread_cond_destroy(&p->workers[i].cv);
	}
	pthread_mutex_destroy(&p->mu);
	free(p->workers);
	free(p);
}
