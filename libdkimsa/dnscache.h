/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnscache.h - answers kept in front of libunbound (internal header).
 *
 * A bounded cache of decoded DNS answers keyed by (name, type), so a warm
 * lookup costs a hash probe and a copy instead of a round trip through
 * libunbound's threads.  It keeps what the answer said: status (data,
 * NXDOMAIN, NODATA), records and DNSSEC status; an entry lives for the
 * answer's TTL (for NXDOMAIN and NODATA the negative TTL libunbound
 * derived from the SOA, RFC 2308 section 5), capped.  Failures (SERVFAIL,
 * timeouts, bogus) are never kept.  Entries are spread over shards, each
 * with its own lock and LRU list, so threads looking up different names
 * rarely meet.
 *
 * Ownership: dnscache_put copies the answer; dnscache_get returns a copy
 * the caller frees with dns_answer_free.
 */
#ifndef DKIMSA_DNSCACHE_H
#define DKIMSA_DNSCACHE_H

#include <stddef.h>

#include "dns.h"

/* Longest times an entry is kept, seconds. */
#define DNSCACHE_MAX_TTL 86400
#define DNSCACHE_MAX_NEG_TTL 10800
/* Larger answers (record bytes in all) are not kept: with the entry bound
 * this caps the memory at about max_entries x 4.3 KiB. */
#define DNSCACHE_MAX_ANSWER_BYTES 4096

typedef struct dnscache dnscache;

/* A cache of at most max_entries answers (at least one per shard). */
dnscache *dnscache_new(size_t max_entries);
void dnscache_free(dnscache *c);
/* Replaces the clock (seconds, monotonic) for tests; NULL restores it. */
void dnscache_set_clock(dnscache *c, long long (*now)(void));
/*
 * A copy of the live answer for (name, type), its ttl lowered to the
 * seconds left, or NULL.  name as dns.c keeps it: lower-case, no final dot.
 */
struct dns_answer *dnscache_get(dnscache *c, const char *name, int type);
/*
 * Keeps a copy of a when it may be kept (DNS_OK, DNS_NXDOMAIN or
 * DNS_NODATA with a ttl above 0, records of DNSCACHE_MAX_ANSWER_BYTES at
 * most): 1 kept, 0 not kept, -1 out of memory.
 */
int dnscache_put(dnscache *c, const char *name, int type,
		 const struct dns_answer *a);
/* Entries held now, expired ones not yet dropped included. */
size_t dnscache_count(dnscache *c);

#endif
