/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * benchrun.h - what the ARC benchmarks (dkimsa-arc-bench,
 * dkimsa-seal-bench) share: a key lookup that answers every selector and
 * domain with one record, and the process's CPU clock.
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

#endif
