/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnscache_test.c - the answers kept in front of libunbound
 * (libdkimsa/dnscache.c), on a clock the test sets: an answer lives for
 * its TTL and no longer, NXDOMAIN and NODATA for their negative (SOA)
 * TTL, capped; the DNSSEC status and the records come back as they went
 * in; failures and TTL 0 are never kept; the cache holds no more than its
 * bound; threads sharing it see whole answers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_int.h"
#include "dnscache.h"
#include "t.h"

static long long fake_now = 1000;

static long long
fake_clock(void)
{
	return fake_now;
}

static struct dns_answer *
answer(enum dns_status st, int secure, unsigned ttl, const char *txt)
{
	struct dns_answer *a = dns_answer_new(st, secure);

	a->ttl = ttl;
	if (txt != NULL)
		dns_answer_add(a, txt, strlen(txt), 0);
	return a;
}

/* Puts a (then frees it); returns what dnscache_put said. */
static int
put(dnscache *c, const char *name, int type, struct dns_answer *a)
{
	int rc = dnscache_put(c, name, type, a);

	dns_answer_free(a);
	return rc;
}

static void
test_ttl_expiry(void)
{
	dnscache *c = dnscache_new(1024);
	struct dns_answer *a;

	dnscache_set_clock(c, fake_clock);
	fake_now = 1000;
	put(c, "sel._domainkey.example.test", DNS_T_TXT,
	    answer(DNS_OK, 0, 300, "v=DKIM1; p=abc"));
	a = dnscache_get(c, "sel._domainkey.example.test", DNS_T_TXT);
	t_ok(a != NULL && a->status == DNS_OK && a->count == 1 &&
		 strcmp((char *)a->rr[0].data, "v=DKIM1; p=abc") == 0 &&
		 a->ttl == 300,
	     "a fresh answer comes back whole with its TTL", "got %s",
	     a ? dns_status_name(a->status) : "nothing");
	dns_answer_free(a);
	fake_now = 1299;
	a = dnscache_get(c, "sel._domainkey.example.test", DNS_T_TXT);
	t_ok(a != NULL && a->ttl == 1,
	     "one second before its TTL ends the answer is kept, ttl 1",
	     "got ttl %u", a ? a->ttl : 0);
	dns_answer_free(a);
	fake_now = 1300;
	a = dnscache_get(c, "sel._domainkey.example.test", DNS_T_TXT);
	t_ok(a == NULL, "once its TTL has passed the answer is gone",
	     "still there");
	dns_answer_free(a);
	t_ok(dnscache_count(c) == 0, "an expired entry found is dropped",
	     "%zu entries", dnscache_count(c));
	a = dnscache_get(c, "sel._domainkey.example.test", DNS_T_A);
	t_ok(a == NULL, "name and type together are the key", "A answered");
	dns_answer_free(a);
	dnscache_free(c);
}

static void
test_negative(void)
{
	dnscache *c = dnscache_new(1024);
	struct dns_answer *a;

	dnscache_set_clock(c, fake_clock);
	fake_now = 5000;
	/* the SOA minimum (600) is what libunbound hands over as the ttl */
	t_ok(put(c, "nx.example.test", DNS_T_TXT,
		 answer(DNS_NXDOMAIN, 0, 600, NULL)) == 1,
	     "NXDOMAIN is kept", "not kept");
	fake_now = 5599;
	a = dnscache_get(c, "nx.example.test", DNS_T_TXT);
	t_ok(a != NULL && a->status == DNS_NXDOMAIN && a->count == 0,
	     "NXDOMAIN is answered until the SOA minimum has passed", "got %s",
	     a ? dns_status_name(a->status) : "nothing");
	dns_answer_free(a);
	fake_now = 5600;
	a = dnscache_get(c, "nx.example.test", DNS_T_TXT);
	t_ok(a == NULL, "NXDOMAIN is gone after the SOA minimum", "kept");
	dns_answer_free(a);

	put(c, "nodata.example.test", DNS_T_TXT,
	    answer(DNS_NODATA, 1, 30, NULL));
	a = dnscache_get(c, "nodata.example.test", DNS_T_TXT);
	t_ok(a != NULL && a->status == DNS_NODATA && a->secure == 1,
	     "a secure NODATA stays NODATA and secure", "got %s secure %d",
	     a ? dns_status_name(a->status) : "nothing", a ? a->secure : -1);
	dns_answer_free(a);

	put(c, "long.example.test", DNS_T_TXT,
	    answer(DNS_NXDOMAIN, 0, 7 * 86400, NULL));
	fake_now += DNSCACHE_MAX_NEG_TTL;
	a = dnscache_get(c, "long.example.test", DNS_T_TXT);
	t_ok(a == NULL, "a negative TTL is capped at DNSCACHE_MAX_NEG_TTL",
	     "still there");
	dns_answer_free(a);
	dnscache_free(c);
}

static void
test_dnssec_kept(void)
{
	dnscache *c = dnscache_new(1024);
	struct dns_answer *a;

	dnscache_set_clock(c, fake_clock);
	put(c, "sel._domainkey.secure.test", DNS_T_TXT,
	    answer(DNS_OK, 1, 3600, "v=DKIM1; p=xyz"));
	put(c, "sel._domainkey.insecure.test", DNS_T_TXT,
	    answer(DNS_OK, 0, 3600, "v=DKIM1; p=xyz"));
	a = dnscache_get(c, "sel._domainkey.secure.test", DNS_T_TXT);
	t_ok(a != NULL && a->secure == 1, "a secure answer comes back secure",
	     "secure %d", a ? a->secure : -1);
	dns_answer_free(a);
	a = dnscache_get(c, "sel._domainkey.insecure.test", DNS_T_TXT);
	t_ok(a != NULL && a->secure == 0,
	     "an insecure answer comes back insecure", "secure %d",
	     a ? a->secure : -1);
	dns_answer_free(a);
	dnscache_free(c);
}

static void
test_not_kept(void)
{
	static const struct {
		const char *label;
		enum dns_status st;
		unsigned ttl;
	} rows[] = {
	    {"SERVFAIL is not kept", DNS_SERVFAIL, 300},
	    {"a timeout is not kept", DNS_TIMEOUT, 300},
	    {"a bogus answer is not kept", DNS_BOGUS, 300},
	    {"data with TTL 0 is not kept", DNS_OK, 0},
	    {"NXDOMAIN without a negative TTL is not kept", DNS_NXDOMAIN, 0},
	};
	dnscache *c = dnscache_new(1024);
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dns_answer *a;

		put(c, "x.example.test", DNS_T_TXT,
		    answer(rows[i].st, 0, rows[i].ttl, NULL));
		a = dnscache_get(c, "x.example.test", DNS_T_TXT);
		t_ok(a == NULL, rows[i].label, "answered %s",
		     a ? dns_status_name(a->status) : "");
		dns_answer_free(a);
	}
	dnscache_free(c);
}

static void
test_big(dnscache *c)
{
	static char big[DNSCACHE_MAX_ANSWER_BYTES + 2];

	memset(big, 'x', DNSCACHE_MAX_ANSWER_BYTES + 1);
	t_ok(put(c, "big.example.test", DNS_T_TXT,
		 answer(DNS_OK, 0, 3600, big)) == 0,
	     "an answer over DNSCACHE_MAX_ANSWER_BYTES is not kept", "kept");
}

static void
test_bound(void)
{
	dnscache *c = dnscache_new(64);
	char name[64];
	struct dns_answer *a;
	int i;

	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "n%d.example.test", i);
		put(c, name, DNS_T_A, answer(DNS_OK, 0, 3600, "\xc0\0\2\1"));
	}
	t_ok(dnscache_count(c) <= 64, "5000 answers in a cache of 64 leave 64",
	     "%zu entries", dnscache_count(c));
	test_big(c);
	a = dnscache_get(c, "n4999.example.test", DNS_T_A);
	t_ok(a != NULL, "the newest answer is still there", "evicted");
	dns_answer_free(a);
	dnscache_free(c);
}

static dnscache *shared;

static void *
hammer(void *arg)
{
	char name[64];
	int i, bad = 0, id = *(int *)arg;

	for (i = 0; i < 20000; i++) {
		struct dns_answer *a;

		snprintf(name, sizeof(name), "h%d.example.test",
			 (i + id) % 300);
		if (i % 3 == 0)
			put(shared, name, DNS_T_TXT,
			    answer(DNS_OK, 0, 3600, name));
		a = dnscache_get(shared, name, DNS_T_TXT);
		if (a != NULL &&
		    (a->count != 1 || strcmp((char *)a->rr[0].data, name) != 0))
			bad++;
		dns_answer_free(a);
	}
	return bad ? arg : NULL;
}

static void
test_threads(void)
{
	pthread_t th[8];
	int ids[8], i, bad = 0;
	void *r;

	shared = dnscache_new(256);
	for (i = 0; i < 8; i++) {
		ids[i] = i * 37;
		pthread_create(&th[i], NULL, hammer, &ids[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], &r);
		bad += r != NULL;
	}
	t_ok(bad == 0, "8 threads sharing the cache only see whole answers",
	     "%d threads saw a wrong answer", bad);
	dnscache_free(shared);
}

int
main(void)
{
	test_ttl_expiry();
	test_negative();
	test_dnssec_kept();
	test_not_kept();
	test_bound();
	test_threads();
	return t_exit();
}
