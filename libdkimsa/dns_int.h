/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns_int.h - private to the DNS layer: the context and query structures
 * shared by the front end (dns.c) and its two backends, libunbound (dns.c)
 * and the fake table (dns_fake.c).
 *
 * A backend fills in ctx->be and ctx->priv.  dns.c does everything common:
 * name checks, the query budget, counting, immediate answers.  A backend's
 * start() sends the query or answers it at once (q->ans); wait() returns
 * the answer once it is there (at most ctx->timeout_ms); cancel() abandons
 * it.  Both wait() and cancel() leave freeing q to dns.c.
 */
#ifndef DKIMSA_DNS_INT_H
#define DKIMSA_DNS_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "dns.h"
#include "dnscache.h"

/* Longest name in presentation form without the final dot (RFC 1035). */
#define DNS_NAME_MAX 253
/* An escaped name: every byte may become "\DDD". */
#define DNS_ESC_MAX (DNS_NAME_MAX * 4 + 2)

struct dns_backend {
	const char *name;
	/* 1: sent, wait() or cancel() follows; 0: answered, q->ans set */
	int (*start)(dns_ctx *ctx, dns_query *q);
	struct dns_answer *(*wait)(dns_query *q);
	void (*cancel)(dns_query *q);
	void (*free)(dns_ctx *ctx);
};

struct dns_ctx {
	const struct dns_backend *be;
	void *priv;
	unsigned timeout_ms;
	atomic_ulong sent;	  /* queries handed to the backend */
	dnscache *cache;	  /* answers in front of the backend, or NULL */
	dkimsa_stats_fn stats_fn; /* told of each lookup answered, or NULL */
	void *stats_arg;
};

struct dns_query {
	dns_ctx *ctx;
	int type;
	/* lower-case, no final dot, raw bytes (for the fake table) */
	char name[DNS_NAME_MAX + 1];
	/* presentation form with \DDD escapes (for libunbound) */
	char esc[DNS_ESC_MAX];
	struct dns_answer *ans; /* set once answered */
	long long sent_ns;	/* CLOCK_MONOTONIC when sent; 0: not sent */
	int cached;		/* answered by the answer cache */
	long long done_ns;	/* when libunbound answered (stats only) */
	int pending;		/* the backend still holds q */
	/* libunbound backend state, guarded by its context's lock */
	pthread_cond_t cond;
	int async_id;
	int done;
};

/* Answer helpers shared by the backends (dns.c). */
struct dns_answer *dns_answer_new(enum dns_status st, int secure);
/* Appends one record; 0, or -1 when out of memory. */
int dns_answer_add(struct dns_answer *a, const void *data, size_t len,
		   unsigned pref);
/* Sets a->why to a copy of text (ignored when out of memory). */
void dns_answer_why(struct dns_answer *a, const char *text);

/* Backend constructors. */
dns_ctx *dns_ctx_alloc(const struct dns_backend *be, unsigned timeout_ms);

#endif
