/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pool_test.c - the worker pool of the milter's DNS jobs (milter/pool.c)
 * and the jobs on it (milter/job.c): every task runs once, first in first
 * out, never more at once than there are workers; a task submitted while
 * every worker is busy waits in line without blocking its submitter;
 * destroying the pool runs what is queued and joins the workers; a job
 * runs under the DNS deadline of the thread that started it, whichever
 * worker takes it.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <unistd.h>

#include "dkimsa.h"
#include "job.h"
#include "pool.h"
#include "t.h"

#define NTASKS 2000

/* A gate the tasks wait at until the test opens it. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int gate_open, running, max_running, order[NTASKS], norder;

struct task {
	struct pool_task pt;
	int id, runs, gated;
};

static void
task_fn(struct pool_task *pt)
{
	struct task *t =
	    (struct task *)((char *)pt - offsetof(struct task, pt));

	pthread_mutex_lock(&mu);
	if (++running > max_running)
		max_running = running;
	pthread_cond_broadcast(&cv);
	while (t->gated && !gate_open)
		pthread_cond_wait(&cv, &mu);
	t->runs++;
	order[norder++] = t->id;
	running--;
	pthread_mutex_unlock(&mu);
}

static void
reset(int open)
{
	pthread_mutex_lock(&mu);
	gate_open = open;
	running = max_running = norder = 0;
	pthread_mutex_unlock(&mu);
}

static void
open_gate(void)
{
	pthread_mutex_lock(&mu);
	gate_open = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

/* Waits until n tasks are at the gate. */
static void
wait_running(int n)
{
	pthread_mutex_lock(&mu);
	while (running < n)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

static int
count_runs(const struct task *t, int n, int want)
{
	int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += t[i].runs != want;
	return bad;
}

static struct task tasks[NTASKS];

static void
init_tasks(int n, int ngated)
{
	int i;

	for (i = 0; i < n; i++) {
		tasks[i].pt.fn = task_fn;
		tasks[i].id = i;
		tasks[i].runs = 0;
		tasks[i].gated = i < ngated;
	}
}

static void
test_every_task_once(void)
{
	struct pool *p = pool_create(4);
	int i;

	reset(1);
	init_tasks(NTASKS, 0);
	for (i = 0; i < NTASKS; i++)
		pool_submit(p, &tasks[i].pt);
	pool_destroy(p);
	t_ok(count_runs(tasks, NTASKS, 1) == 0,
	     "every task submitted runs once",
	     "%d of %d tasks did not run exactly once",
	     count_runs(tasks, NTASKS, 1), NTASKS);
	t_ok(max_running <= 4,
	     "no more tasks run at once than there are workers",
	     "%d at once with 4 workers", max_running);
}

static void
test_busy_waits_in_line(void)
{
	struct pool *p = pool_create(2);
	int i, w[3], ran;

	reset(0);
	init_tasks(12, 2);
	w[0] = pool_submit(p, &tasks[0].pt);
	w[1] = pool_submit(p, &tasks[1].pt);
	wait_running(2);	 /* both workers held at the gate */
	for (i = 2; i < 12; i++) /* returns: submitting never blocks */
		w[2] = pool_submit(p, &tasks[i].pt);
	pthread_mutex_lock(&mu);
	ran = norder;
	pthread_mutex_unlock(&mu);
	t_ok(w[0] == 0 && w[1] == 0,
	     "a task submitted with an idle worker is not counted as waiting",
	     "pool_submit returned %d and %d", w[0], w[1]);
	t_ok(w[2] == 10,
	     "with every worker busy, submitting returns at once and counts "
	     "the tasks in line",
	     "the 10th task in line was told %d", w[2]);
	t_ok(ran == 0, "a task waits in line while every worker is busy",
	     "%d tasks finished with both workers held", ran);
	open_gate();
	pool_destroy(p);
	t_ok(count_runs(tasks, 12, 1) == 0,
	     "the tasks in line run once a worker is free",
	     "%d of 12 tasks did not run exactly once",
	     count_runs(tasks, 12, 1));
	t_ok(max_running == 2, "two workers run two tasks at once, no more",
	     "%d at once", max_running);
}

static void
test_fifo(void)
{
	struct pool *p = pool_create(1);
	int i, bad = 0;

	reset(0);
	init_tasks(50, 1);
	pool_submit(p, &tasks[0].pt);
	wait_running(1);
	for (i = 1; i < 50; i++)
		pool_submit(p, &tasks[i].pt);
	open_gate();
	pool_destroy(p);
	for (i = 0; i < 50; i++)
		bad += order[i] != i;
	t_ok(norder == 50 && bad == 0,
	     "tasks run in the order they were submitted",
	     "%d tasks ran, %d out of order", norder, bad);
}

static void *
destroy_thread(void *arg)
{
	pool_destroy(arg);
	return NULL;
}

static void
test_destroy_runs_queue(void)
{
	struct pool *p = pool_create(3);
	pthread_t th;
	int i;

	reset(0);
	init_tasks(30, 3);
	for (i = 0; i < 30; i++)
		pool_submit(p, &tasks[i].pt);
	wait_running(3);
	/* destroy while the workers are held and 27 tasks are queued */
	pthread_create(&th, NULL, destroy_thread, p);
	usleep(50000); /* either order of the two must run them all */
	open_gate();
	pthread_join(th, NULL);
	/* read without the lock: pool_destroy joined every worker */
	t_ok(count_runs(tasks, 30, 1) == 0 && norder == 30,
	     "destroying the pool runs the tasks still queued, then joins "
	     "every worker",
	     "%d of 30 tasks did not run exactly once",
	     count_runs(tasks, 30, 1));
}

static void
test_sizes(void)
{
	cpu_set_t set;
	struct pool *p;
	int ncpu = 1, want;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		ncpu = CPU_COUNT(&set);
	want = ncpu * POOL_PER_CPU;
	if (want > POOL_AUTO_MAX)
		want = POOL_AUTO_MAX;
	t_ok(pool_auto_size() == want,
	     "the automatic size is POOL_PER_CPU workers per CPU, at most "
	     "POOL_AUTO_MAX",
	     "%d for %d CPUs", pool_auto_size(), ncpu);
	errno = 0;
	p = pool_create(0);
	t_ok(p == NULL && errno == EINVAL, "a pool of no worker is refused",
	     "pool_create(0) = %p, errno %d", (void *)p, errno);
	p = pool_create(5);
	t_ok(p != NULL && pool_threads(p) == 5,
	     "a pool starts the workers asked for", "%d workers",
	     p ? pool_threads(p) : -1);
	pool_destroy(p);
}

/* ---- jobs ---- */

static void
job_fn(void *arg)
{
	*(long long *)arg = dkimsa_dns_deadline_get();
}

static void
test_job_deadline(void)
{
	static const long long deadlines[] = {123456, 0, 789, 0};
	long long seen[4];
	struct job j;
	size_t i;
	int bad = 0;

	dkimsa_dns_deadline_set(555);
	job_start(&j, job_fn, &seen[0]);
	job_wait(&j, NULL);
	t_ok(seen[0] == 555,
	     "before the pool starts, a job runs at once under its starter's "
	     "deadline",
	     "deadline %lld", seen[0]);
	t_ok(job_init(1) == 0, "the job pool starts", "job_init failed");
	/* one worker takes every job: the deadline travels with the job */
	for (i = 0; i < 4; i++) {
		dkimsa_dns_deadline_set(deadlines[i]);
		job_start(&j, job_fn, &seen[i]);
		job_wait(&j, NULL);
		bad += seen[i] != deadlines[i];
	}
	dkimsa_dns_deadline_set(0);
	job_shutdown();
	t_ok(bad == 0,
	     "a job runs under the DNS deadline of the thread that started "
	     "it, never a deadline an earlier job left in the worker",
	     "deadlines seen %lld %lld %lld %lld", seen[0], seen[1], seen[2],
	     seen[3]);
}

int
main(void)
{
	test_every_task_once();
	test_busy_waits_in_line();
	test_fifo();
	test_destroy_runs_queue();
	test_sizes();
	test_job_deadline();
	return t_exit();
}
