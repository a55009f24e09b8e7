/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ub-serialize.c - an LD_PRELOAD shim for tests/bench/opendkim-bench.sh.
 * OpenDKIM 2.11 reads its ResolverConfiguration file with ub_ctx_config()
 * from several milter threads at once; libunbound's configuration parser
 * (flex) keeps global state, so concurrent messages crash OpenDKIM
 * ("fatal flex scanner internal error", segfaults in libunbound).  This
 * shim runs those calls one at a time behind a mutex and changes nothing
 * else, so OpenDKIM can be measured with more than one connection; the
 * parsing it does stays in its CPU figures.  Built by the benchmark with
 * `cc -shared -fPIC`; never linked into anything we ship.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

struct ub_ctx;

int ub_ctx_config(struct ub_ctx *ctx, const char *fname);

static pthread_mutex_t ubs_lock = PTHREAD_MUTEX_INITIALIZER;

int
ub_ctx_config(struct ub_ctx *ctx, const char *fname)
{
	static int (*real)(struct ub_ctx *, const char *);
	int rc;

	pthread_mutex_lock(&ubs_lock);
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "ub_ctx_config");
	rc = real != NULL ? real(ctx, fname) : -1;
	pthread_mutex_unlock(&ubs_lock);
	return rc;
}
