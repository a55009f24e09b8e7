/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns.h - the DNS layer inside libdkimsa (internal header).
 *
 * One dns_ctx per library handle, shared by all threads.  Answers are
 * kept in front of libunbound by dnscache.c (TTL, negative TTL and DNSSEC
 * status kept; bounded; sharded locks); behind it is libunbound's own
 * cache.  dns.c is the only file that includes unbound.h.  A fake backend
 * (dns_fake.c), without an answer cache, answers from a table for pure
 * unit tests; it sits behind the same functions.
 *
 * Ownership: a dns_answer belongs to whoever received it and is freed with
 * dns_answer_free().  A dns_query is consumed by dns_query_wait() or
 * dns_query_cancel(), exactly one of them.
 */
#ifndef DKIMSA_DNS_H
#define DKIMSA_DNS_H

#include <stddef.h>

#include "dkimsa.h"

enum dns_type {
	DNS_T_A = 1,
	DNS_T_PTR = 12,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_SPF = 99,
};

enum dns_status {
	DNS_OK = 0,   /* data present */
	DNS_NXDOMAIN, /* name does not exist */
	DNS_NODATA,   /* name exists, no records of the type */
	DNS_SERVFAIL, /* server failure, REFUSED, or other error rcode */
	DNS_TIMEOUT,  /* no answer within the deadline */
	DNS_BOGUS,    /* DNSSEC validation failed: never use the data */
	DNS_BADNAME,  /* the name cannot be queried (empty or long label) */
	DNS_LIMIT,    /* the caller's query budget is spent */
	DNS_NOMEM,
};

struct dns_rr {
	/*
	 * TXT and SPF: the character-strings concatenated, NUL-terminated,
	 *   len without the NUL.
	 * A: 4 bytes; AAAA: 16 bytes (network order).
	 * PTR, MX: the target name in text form without the final dot,
	 *   lower-cased, NUL-terminated.
	 */
	unsigned char *data;
	size_t len;
	unsigned pref; /* MX preference */
};

struct dns_answer {
	enum dns_status status;
	int secure; /* 1: DNSSEC-validated (data or denial) */
	unsigned ttl;
	size_t count; /* records in rr[] (0 unless DNS_OK) */
	struct dns_rr *rr;
	char *why; /* reason text for BOGUS/SERVFAIL, or NULL */
};

void dns_answer_free(struct dns_answer *a);
const char *dns_status_name(enum dns_status st);

/* Options, named as the milter's configuration keys. */
struct dns_opts {
	const char *trust_anchor_file; /* NULL: Debian root key if present;
					  "" or "none": no validation */
	const char *nameservers;       /* "addr[@port],..." or NULL */
	const char *unbound_conf;      /* NULL or a file read at start */
	unsigned timeout_ms;	       /* per query deadline; 0 = 10000 */
};

typedef struct dns_ctx dns_ctx;
typedef struct dns_query dns_query;

/*
 * A per-message budget: every query started against it counts; once
 * used == max, further queries answer DNS_LIMIT without being sent.
 */
struct dns_budget {
	int max;
	int used;
};

/* Returns NULL with the reason in err on failure. */
dns_ctx *dns_ctx_new(const struct dns_opts *opts, char *err, size_t errlen);
/*
 * A fake resolver for unit tests.  Each line of `table` is
 *   NAME TYPE VALUE
 * with TYPE one of A AAAA MX PTR TXT SPF, MX values as "PREF NAME", TXT
 * values the text (quoted strings are concatenated); a name listed with no
 * records of a type gives NODATA, an unlisted name NXDOMAIN; TYPE
 * "TIMEOUT" and "SERVFAIL" make every query for that name fail that way.
 * Answers are never secure.
 * Added: TYPE "BOGUS" makes every query for the name answer DNS_BOGUS and
 * TYPE "SECURE" marks its answers (data and NODATA) secure; both take no
 * VALUE.  Lines starting with '#' and blank lines are ignored; a TXT VALUE
 * not starting with '"' is taken as it is, up to the end of the line.
 * Every fake answer is immediate (TIMEOUT too).
 */
dns_ctx *dns_ctx_new_fake(const char *table, char *err, size_t errlen);
void dns_ctx_free(dns_ctx *ctx);

/*
 * Queries handed to the backend so far (not those answered DNS_BADNAME or
 * DNS_LIMIT without sending, nor those answered from the answer cache):
 * for tests of limits and caching.
 */
unsigned long dns_ctx_sent(dns_ctx *ctx);
/*
 * Who is told of each lookup answered by the backend or the answer cache
 * (dkimsa_lib_set_stats); fn NULL: nobody.  Set before the first query.
 */
void dns_ctx_set_stats(dns_ctx *ctx, dkimsa_stats_fn fn, void *arg);

/*
 * Starts a query; budget may be NULL.  NULL only when out of memory.
 * A bad name is answered DNS_BADNAME without charging the budget.  Names
 * may end with one dot; bytes other than letters, digits, '-' and '_'
 * are sent as they are (escaped for libunbound).
 */
dns_query *dns_query_start(dns_ctx *ctx, struct dns_budget *budget,
			   const char *name, int type);
/*
 * Waits for the answer (at most the context's timeout) and frees q.  Never
 * NULL: a NULL q or no memory gives a DNS_NOMEM answer.
 */
struct dns_answer *dns_query_wait(dns_query *q);
void dns_query_cancel(dns_query *q);
/* 1 when dns_query_wait(q) would not wait: answered at start (the
 * cache, a bad name, no memory), else 0. */
int dns_query_ready(const dns_query *q);
/* Blocking lookup: start + wait. */
struct dns_answer *dns_lookup(dns_ctx *ctx, struct dns_budget *budget,
			      const char *name, int type);

#endif
