/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msig.h - the daemon's signals, all taken by one thread with
 * sigwaitinfo(); libmilter never sees one (see msig.c).
 */
#ifndef DKIMSA_MILTER_MSIG_H
#define DKIMSA_MILTER_MSIG_H

#include <stddef.h>

/* The signal msig_wake() sends to the signal thread. */
#define MSIG_WAKE SIGUSR1

/* Blocks every asynchronous signal in the calling thread; call it before
 * any thread exists, so that every thread inherits the mask. */
void msig_block(void);
/* Makes the calling thread the signal thread; -1 with err when the
 * program's sigwait() is not the one the dynamic linker binds. */
int msig_start(char *err, size_t errlen);
/* The signal thread: waits for SIGHUP, SIGTERM, SIGINT or MSIG_WAKE and
 * returns its number. */
int msig_wait(void);
/* Any thread: wakes msig_wait() with MSIG_WAKE. */
void msig_wake(void);

#endif
