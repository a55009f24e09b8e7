/*
 * job.h - run a function in a thread of its own, so DNS work can start
 * early (SPF at MAIL FROM) and the callback thread can keep the MTA from
 * timing out (smfi_progress) while it waits.  A job runs under the DNS
 * deadline of the thread that started it (dkimsa_dns_deadline_set), so
 * one message's DNS time is shared by all its jobs.
 */
#ifndef DKIMSA_MILTER_JOB_H
#define DKIMSA_MILTER_JOB_H

#include <libmilter/mfapi.h>
#include <pthread.h>

struct job {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started, done;
	long long dns_deadline; /* the starting thread's */
	void (*fn)(void *arg);
	void *arg;
};

/* Starts fn(arg); when no thread can be made, runs it here. */
void job_start(struct job *j, void (*fn)(void *), void *arg);
/* Waits for the job (ctx may be NULL), sending progress every 5 s. */
void job_wait(struct job *j, SMFICTX *ctx);

#endif
