/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pool.h - a fixed set of worker threads running tasks from one queue,
 * first in, first out.  A task is a struct pool_task inside the caller's
 * own structure and is linked into the queue as it is, so pool_submit()
 * never allocates, never fails and never blocks: when every worker is
 * busy the task waits in line (back-pressure falls on whoever waits for
 * the task, not on the queue).  The queue is as long as the tasks
 * submitted and not yet taken; the caller bounds it (the milter: two
 * jobs at most per message in progress).
 *
 * A task must never wait for another task of the same pool: with every
 * worker waiting, the task waited for would never run.
 *
 * Memory: the pool owns its threads (pool_destroy joins them); a task
 * belongs to its submitter, who keeps it alive until its fn has returned
 * (fn itself says so, e.g. under a lock of the submitter's).
 */
#ifndef DKIMSA_MILTER_POOL_H
#define DKIMSA_MILTER_POOL_H

/* Workers per CPU of the automatic size (a task mostly waits for DNS),
 * and its ceiling. */
#define POOL_PER_CPU 32
#define POOL_AUTO_MAX 1024

struct pool_task {
	void (*fn)(struct pool_task *t); /* run by a worker */
	struct pool_task *next;		 /* the pool's, while queued */
};

struct pool;

/* POOL_PER_CPU workers per CPU this process may run on, at most
 * POOL_AUTO_MAX. */
int pool_auto_size(void);
/*
 * Starts n workers (n >= 1; fewer when the system refuses threads, see
 * pool_threads).  NULL when not even one worker could start.  Every
 * worker inherits the calling thread's signal mask.
 */
struct pool *pool_create(int n);
/* The number of workers running. */
int pool_threads(const struct pool *p);
/*
 * Queues t to run fn(t) in a worker.  Returns the number of queued tasks,
 * t included, beyond the workers not running a task: 0 when a worker is
 * free for t, else every worker is busy and t waits in line.
 */
int pool_submit(struct pool *p, struct pool_task *t);
/* Runs what is still queued, then ends and joins the workers, and frees. */
void pool_destroy(struct pool *p);

#endif
