/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lib.h - internals of the dkimsa_lib handle (lib.c) for other modules.
 *
 * The handle owns the options, the log callback and the one DNS context
 * (created once, on first use or by dkimsa_lib_start_dns, under a lock,
 * then shared by every thread).
 */
#ifndef DKIMSA_LIB_H
#define DKIMSA_LIB_H

#include <stddef.h>

#include "dkimsa.h"
#include "dns.h"

/* Defaults apply when lib is NULL. */
unsigned lib_min_key_bits(const dkimsa_lib *lib); /* 1024 */
int lib_max_signatures(const dkimsa_lib *lib);	  /* 10 */
/* The shared DNS context, created on first call; NULL with err set. */
dns_ctx *lib_dns(dkimsa_lib *lib, char *err, size_t errlen);
/* The parsed key records (pkcache.h); NULL when out of memory. */
struct pkcache *lib_pkcache(dkimsa_lib *lib);
/* Sends one line to the log callback, if any. */
void lib_log(const dkimsa_lib *lib, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * DKIM key lookup through the library's DNS (keydns.c), with the shape of
 * dkimsa_key_fn; arg is the dkimsa_lib.  Returns enum dkimsa_lookup.
 */
int keydns_fetch(void *arg, const char *domain, const char *selector,
		 char **txt, int *secure);
/*
 * The same in two steps, so key queries can run while the body arrives:
 * start returns NULL when the query cannot be made (finish then answers
 * TEMPFAIL); finish consumes the query.  An unfinished query is dropped
 * with dns_query_cancel().
 */
dns_query *keydns_start(dkimsa_lib *lib, const char *domain,
			const char *selector);
int keydns_finish(dkimsa_lib *lib, dns_query *q, char **txt, int *secure);

#endif
