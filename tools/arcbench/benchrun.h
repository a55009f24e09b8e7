/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * benchrun.h - what the ARC benchmarks (dkimsa-arc-bench,
 * dkimsa-seal-bench) share: a key lookup that answers every selector and
 * domain with one record, the process's CPU clock, and a timing loop.
 */
#ifndef DKIMSA_TOOLS_BENCHRUN_H
#define DKIMSA_TOOLS_BENCHRUN_H

/*
 * A dkimsa_key_fn: *txt a copy of arg (the key record, a string), as a
 * DNSSEC-secure answer; DKIMSA_LOOKUP_TEMPFAIL when out of memory.
 */
int benchrun_key_fn(void *arg, const char *domain, const char *selector,
		    char **txt, int *secure);
/* Seconds of CPU time the process has used. */
double benchrun_cpu(void);
/*
 * Calls once(arg) until about seconds of CPU time have gone by; the CPU
 * microseconds per call, or -1 as soon as a call returns non-zero.
 */
double benchrun_per_call(int (*once)(void *), void *arg, double seconds);

#endif
