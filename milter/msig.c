/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msig.c - the daemon's signals, taken by one thread; see msig.h.
 *
 * msig_block() runs first in main(), before any thread exists, and blocks
 * every asynchronous signal; every thread created later (libmilter's, the
 * DNS threads, the jobs) inherits that mask.  With the signals blocked
 * everywhere, a signal sent to the process stays pending until a thread
 * takes it with sigwait(), sigwaitinfo() or sigtimedwait(), and the only
 * such thread must be ours: msig_wait() in the main thread.
 *
 * libmilter's smfi_main() starts a signal thread of its own that calls
 * sigwait() for SIGHUP, SIGTERM and SIGINT and stops the milter on any
 * of them; two threads waiting for one signal race for it.  So this file
 * defines sigwait(): libmilter is a shared library, its call is bound at
 * run time, and the executable comes first in the lookup order, so the
 * call lands here, where every caller but our signal thread is parked
 * forever without taking any signal.  msig_start() checks with dlsym()
 * that the dynamic linker binds "sigwait" to this definition and refuses
 * to start otherwise (a static libmilter, for instance, would bind its
 * own call at link time: the link then fails with a duplicate symbol).
 * Synchronous signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS)
 * and SIGABRT stay unblocked: they belong to the thread that caused them.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msig.h"

static pthread_t msig_thread;
static atomic_int msig_started;

static const int msig_sync[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				SIGTRAP, SIGSYS, SIGABRT};

void
msig_block(void)
{
	sigset_t all;
	size_t i;

	sigfillset(&all);
	for (i = 0; i < sizeof(msig_sync) / sizeof(msig_sync[0]); i++)
		sigdelset(&all, msig_sync[i]);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
}

static void
msig_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, MSIG_WAKE);
}

/* Never returns: every signal is blocked here, so pause() never ends. */
static void
msig_park(void)
{
	for (;;)
		pause();
}

/*
 * The sigwait() libmilter's signal thread calls.  Only the signal thread
 * takes signals; any other caller waits here forever and takes none.
 */
int
sigwait(const sigset_t *set, int *sig)
{
	int s;

	if (!atomic_load(&msig_started) ||
	    !pthread_equal(pthread_self(), msig_thread))
		msig_park();
	while ((s = sigwaitinfo(set, NULL)) < 0)
		if (errno != EINTR)
			return errno;
	*sig = s;
	return 0;
}

int
msig_start(char *err, size_t errlen)
{
	int (*bound)(const sigset_t *, int *);
	void *sym = dlsym(RTLD_DEFAULT, "sigwait");

	memcpy(&bound, &sym, sizeof(bound));
	if (sym == NULL || bound != sigwait) {
		snprintf(err, errlen,
			 "sigwait() is not this program's: libmilter's "
			 "signal thread could take SIGHUP or SIGTERM");
		return -1;
	}
	msig_thread = pthread_self();
	atomic_store(&msig_started, 1);
	return 0;
}

int
msig_wait(void)
{
	sigset_t set;
	int sig;

	msig_set(&set);
	while ((sig = sigwaitinfo(&set, NULL)) < 0)
		; /* EINTR only: a stop signal and SIGCONT */
	return sig;
}

void
msig_wake(void)
{
	if (atomic_load(&msig_started))
		pthread_kill(msig_thread, MSIG_WAKE);
}
