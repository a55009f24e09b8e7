/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns_live.c - DNS layer checks against the real libunbound and the zones
 * of tests/dns/harness.sh (run as "dns_test --live DIR MODE" by
 * tests/dns/live.sh).  MODE "auth": DIR/unbound.conf (auth-zones inside
 * libunbound); "nsd": DIR/unbound-nsd.conf (queries over loopback UDP/TCP
 * to nsd); "cache": needs nsd, stops it, and shows answers still come
 * from the shared cache.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dkimsa.h"
#include "dns.h"
#include "t.h"

int dns_live_main(const char *dir, const char *mode);

static char live_conf[600];
static const char *live_mode;

static double
live_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
live_label(char *out, size_t len, const char *what)
{
	snprintf(out, len, "%s-%s", live_mode, what);
}

static dns_ctx *
live_ctx(unsigned timeout_ms)
{
	struct dns_opts o = {"none", NULL, live_conf, timeout_ms};
	char err[512] = "", label[100];
	dns_ctx *ctx = dns_ctx_new(&o, err, sizeof(err));

	live_label(label, sizeof(label), "context-starts");
	if (ctx == NULL)
		t_ok(0, label, "%s", err);
	return ctx;
}

struct live_row {
	const char *label;
	const char *name;
	int type;
	enum dns_status st;
	int secure;
	const char *text; /* rr[0] as text for TXT/MX/PTR, prefix match */
	const char *why;  /* substring of a->why */
};

static const struct live_row live_rows[] = {
    {"secure-txt-multistring", "secure.test", DNS_T_TXT, DNS_OK, 1,
     "v=spf1 ip4:192.0.2.0/24 -all", NULL},
    {"insecure-txt", "insecure.test", DNS_T_TXT, DNS_OK, 0,
     "v=spf1 ip4:192.0.2.0/24 -all", NULL},
    {"bogus-key-no-data", "sel2048._domainkey.bogus.test", DNS_T_TXT, DNS_BOGUS,
     0, NULL, "validation failure"},
    {"bogus-zone-intact-rrset-secure", "bogus.test", DNS_T_TXT, DNS_OK, 1,
     "v=spf1", NULL},
    {"nxdomain-secure", "nope.secure.test", DNS_T_TXT, DNS_NXDOMAIN, 1, NULL,
     NULL},
    {"nxdomain-insecure", "nope.insecure.test", DNS_T_TXT, DNS_NXDOMAIN, 0,
     NULL, NULL},
    {"nxdomain-outside-test-zones", "www.example.com", DNS_T_A, DNS_NXDOMAIN, 0,
     NULL, NULL},
    {"nodata-secure", "nodata.secure.test", DNS_T_TXT, DNS_NODATA, 1, NULL,
     NULL},
    {"refused-is-servfail", "x.refused.test", DNS_T_TXT, DNS_SERVFAIL, 0, NULL,
     "REFUSED"},
    {"mx-first-pref-name", "secure.test", DNS_T_MX, DNS_OK, 1, NULL, NULL},
    {"ptr-lowercased", "1.2.0.192.in-addr.arpa", DNS_T_PTR, DNS_OK, 0,
     "mail.insecure.test", NULL},
    {"edns-4096-bit-key-txt", "sel4096._domainkey.secure.test", DNS_T_TXT,
     DNS_OK, 1, "v=DKIM1; k=rsa; p=MIICIjANBg", NULL},
    {"trailing-dot-name", "insecure.test.", DNS_T_A, DNS_OK, 0, NULL, NULL},
    {"harness-caller-zone-signed", "caller.test", DNS_T_TXT, DNS_OK, 1,
     "caller zone", NULL},
    {"harness-caller-zone-tampered", "callerbad.test", DNS_T_TXT, DNS_BOGUS, 0,
     NULL, "validation failure"},
};

static void
live_rows_check(dns_ctx *ctx)
{
	size_t i;

	for (i = 0; i < sizeof(live_rows) / sizeof(live_rows[0]); i++) {
		const struct live_row *r = &live_rows[i];
		struct dns_answer *a = dns_lookup(ctx, NULL, r->name, r->type);
		const char *t = a->count ? (const char *)a->rr[0].data : "";
		int ok = a->status == r->st && a->secure == r->secure;
		char label[100];

		if (r->text != NULL)
			ok = ok && strncmp(t, r->text, strlen(r->text)) == 0;
		if (r->why != NULL)
			ok = ok && a->why != NULL && strstr(a->why, r->why);
		if (r->st != DNS_OK)
			ok = ok && a->count == 0;
		live_label(label, sizeof(label), r->label);
		t_ok(ok, label, "%s secure=%d count=%zu \"%.40s\" why=%s",
		     dns_status_name(a->status), a->secure, a->count, t,
		     a->why ? a->why : "-");
		dns_answer_free(a);
	}
}

/* A, AAAA, MX, PTR binary decoding and the 4096-bit key's length. */
static void
live_decoding(dns_ctx *ctx)
{
	struct dns_answer *a = dns_lookup(ctx, NULL, "secure.test", DNS_T_A);
	struct dns_answer *b = dns_lookup(ctx, NULL, "secure.test", DNS_T_AAAA);
	struct dns_answer *m = dns_lookup(ctx, NULL, "secure.test", DNS_T_MX);
	struct dns_answer *p =
	    dns_lookup(ctx, NULL, "2.2.0.192.in-addr.arpa", DNS_T_PTR);
	struct dns_answer *k =
	    dns_lookup(ctx, NULL, "sel4096._domainkey.secure.test", DNS_T_TXT);
	unsigned char v4[4], v6[16];
	char label[100];
	int mx = 0;
	size_t i;

	inet_pton(AF_INET, "192.0.2.1", v4);
	inet_pton(AF_INET6, "2001:db8::1", v6);
	live_label(label, sizeof(label), "a-decoded");
	t_ok(a->count == 1 && a->rr[0].len == 4 &&
		 !memcmp(a->rr[0].data, v4, 4),
	     label, "%s count %zu", dns_status_name(a->status), a->count);
	live_label(label, sizeof(label), "aaaa-decoded");
	t_ok(b->count == 1 && b->rr[0].len == 16 &&
		 !memcmp(b->rr[0].data, v6, 16),
	     label, "%s count %zu", dns_status_name(b->status), b->count);
	for (i = 0; i < m->count; i++)
		mx += (m->rr[i].pref == 10 &&
		       !strcmp((char *)m->rr[i].data, "mail.secure.test")) +
		      (m->rr[i].pref == 20 &&
		       !strcmp((char *)m->rr[i].data, "backup.example.net"));
	live_label(label, sizeof(label), "mx-pref-and-names");
	t_ok(m->count == 2 && mx == 2, label, "count %zu matched %d", m->count,
	     mx);
	live_label(label, sizeof(label), "ptr-two-records");
	t_ok(p->count == 2, label, "%s count %zu", dns_status_name(p->status),
	     p->count);
	/* 4096-bit RSA SubjectPublicKeyInfo: 550 bytes, 736 in base64 */
	live_label(label, sizeof(label), "edns-4096-bit-key-complete");
	t_ok(k->count == 1 && k->rr[0].len == 16 + 2 + 736, label, "%s len %zu",
	     dns_status_name(k->status), k->count ? k->rr[0].len : 0);
	dns_answer_free(a);
	dns_answer_free(b);
	dns_answer_free(m);
	dns_answer_free(p);
	dns_answer_free(k);
}

/* The deadline: a silent server gives DNS_TIMEOUT right at it. */
static void
live_timeout(void)
{
	dns_ctx *ctx = live_ctx(300);
	struct dns_answer *a, *b;
	dns_query *slow, *fast;
	double t0, t1, t2;
	char label[100];

	if (ctx == NULL)
		return;
	t0 = live_ms();
	slow = dns_query_start(ctx, NULL, "x.silent.test", DNS_T_TXT);
	fast = dns_query_start(ctx, NULL, "insecure.test", DNS_T_TXT);
	b = dns_query_wait(fast);
	t1 = live_ms();
	a = dns_query_wait(slow);
	t2 = live_ms();
	live_label(label, sizeof(label), "timeout-at-deadline");
	t_ok(a->status == DNS_TIMEOUT && t2 - t0 >= 295 && t2 - t0 < 500, label,
	     "%s after %.1f ms (deadline 300)", dns_status_name(a->status),
	     t2 - t0);
	live_label(label, sizeof(label), "timeout-does-not-block-others");
	t_ok(b->status == DNS_OK && t1 - t0 < 250, label, "%s after %.1f ms",
	     dns_status_name(b->status), t1 - t0);
	dns_answer_free(a);
	dns_answer_free(b);
	/* cancelling a pending query, then freeing the context */
	dns_query_cancel(dns_query_start(ctx, NULL, "y.silent.test", DNS_T_A));
	dns_ctx_free(ctx);
	live_label(label, sizeof(label), "cancel-pending-then-free");
	t_ok(1, label, "-");
}

static void
live_budget(dns_ctx *ctx)
{
	struct dns_budget b = {1, 0};
	unsigned long before = dns_ctx_sent(ctx);
	struct dns_answer *a = dns_lookup(ctx, &b, "secure.test", DNS_T_A);
	struct dns_answer *c = dns_lookup(ctx, &b, "insecure.test", DNS_T_A);
	char label[100];

	live_label(label, sizeof(label), "budget-limit-not-sent");
	/* secure.test may come from the answer cache: 0 or 1 sent */
	t_ok(a->status == DNS_OK && c->status == DNS_LIMIT &&
		 dns_ctx_sent(ctx) - before <= 1,
	     label, "%s %s sent %lu", dns_status_name(a->status),
	     dns_status_name(c->status), dns_ctx_sent(ctx) - before);
	dns_answer_free(a);
	dns_answer_free(c);
}

/*
 * dkimsa_dns_cache_only(): a cached name is answered (ready at start,
 * DNSSEC status kept), an uncached one is a timeout at once, unsent, and
 * the miss is reported when cache-only ends; then queries go out again.
 */
static void
live_cache_only(dns_ctx *ctx, const char *cached)
{
	static const char *const fresh = "cache-only-nx.insecure.test";
	struct dns_answer *a, *b;
	unsigned long before = dns_ctx_sent(ctx);
	dns_query *q;
	int ready, missed_a, missed_b;
	char label[100];

	dkimsa_dns_cache_only(1);
	q = dns_query_start(ctx, NULL, cached, DNS_T_TXT);
	ready = dns_query_ready(q);
	a = dns_query_wait(q);
	missed_a = dkimsa_dns_cache_only(1);
	b = dns_lookup(ctx, NULL, fresh, DNS_T_TXT);
	missed_b = dkimsa_dns_cache_only(0);
	live_label(label, sizeof(label), "cache-only-cached-answered-unsent");
	t_ok(ready && a->status == DNS_OK && a->secure && !missed_a &&
		 dns_ctx_sent(ctx) == before,
	     label, "ready %d %s secure %d missed %d sent %lu", ready,
	     dns_status_name(a->status), a->secure, missed_a,
	     dns_ctx_sent(ctx) - before);
	live_label(label, sizeof(label), "cache-only-uncached-timeout-unsent");
	t_ok(b->status == DNS_TIMEOUT && missed_b &&
		 dns_ctx_sent(ctx) == before,
	     label, "%s missed %d sent %lu", dns_status_name(b->status),
	     missed_b, dns_ctx_sent(ctx) - before);
	dns_answer_free(a);
	dns_answer_free(b);
	q = dns_query_start(ctx, NULL, fresh, DNS_T_TXT);
	ready = dns_query_ready(q);
	a = dns_query_wait(q);
	live_label(label, sizeof(label), "cache-only-off-query-sent");
	t_ok(!ready && a->status == DNS_NXDOMAIN &&
		 dns_ctx_sent(ctx) == before + 1 && !dkimsa_dns_cache_only(0),
	     label, "ready %d %s sent %lu", ready, dns_status_name(a->status),
	     dns_ctx_sent(ctx) - before);
	dns_answer_free(a);
}

/*
 * The answer cache in front of libunbound (dnscache.c): a repeated
 * lookup is not sent and keeps its DNSSEC status; NXDOMAIN is kept for
 * the SOA's negative TTL (300 in dkim.zone.in), RFC 2308.
 */
static void
live_answer_cache(dns_ctx *ctx)
{
	static const char *const key = "sel2048._domainkey.secure.test";
	static const char *const nx = "answer-cache-nx.insecure.test";
	struct dns_answer *a, *b;
	unsigned long before;
	char label[100];

	a = dns_lookup(ctx, NULL, key, DNS_T_TXT);
	before = dns_ctx_sent(ctx);
	b = dns_lookup(ctx, NULL, key, DNS_T_TXT);
	live_label(label, sizeof(label), "answer-cache-repeat-not-sent");
	t_ok(a->status == DNS_OK && b->status == DNS_OK && a->secure &&
		 b->secure && b->count == a->count &&
		 dns_ctx_sent(ctx) == before,
	     label, "%s/%s secure %d/%d sent %lu", dns_status_name(a->status),
	     dns_status_name(b->status), a->secure, b->secure,
	     dns_ctx_sent(ctx) - before);
	dns_answer_free(a);
	dns_answer_free(b);
	a = dns_lookup(ctx, NULL, nx, DNS_T_TXT);
	before = dns_ctx_sent(ctx);
	b = dns_lookup(ctx, NULL, nx, DNS_T_TXT);
	live_label(label, sizeof(label), "answer-cache-nxdomain-soa-minimum");
	t_ok(a->status == DNS_NXDOMAIN && b->status == DNS_NXDOMAIN &&
		 a->ttl > 290 && a->ttl <= 300 && b->ttl <= a->ttl &&
		 dns_ctx_sent(ctx) == before,
	     label, "%s ttl %u, then %s ttl %u, sent %lu",
	     dns_status_name(a->status), a->ttl, dns_status_name(b->status),
	     b->ttl, dns_ctx_sent(ctx) - before);
	dns_answer_free(a);
	dns_answer_free(b);
	live_cache_only(ctx, key);
}

/* Asynchronous: start several, collect in another order. */
static void
live_async(dns_ctx *ctx)
{
	static const char *const names[] = {"secure.test", "insecure.test",
					    "nope.secure.test",
					    "sel2048._domainkey.secure.test"};
	static const enum dns_status want[] = {DNS_OK, DNS_OK, DNS_NXDOMAIN,
					       DNS_OK};
	dns_query *q[4];
	int i, good = 0;
	char label[100];

	for (i = 0; i < 4; i++)
		q[i] = dns_query_start(ctx, NULL, names[i], DNS_T_TXT);
	for (i = 3; i >= 0; i--) {
		struct dns_answer *a = dns_query_wait(q[i]);

		good += a->status == want[i];
		dns_answer_free(a);
	}
	live_label(label, sizeof(label), "async-collect-out-of-order");
	t_ok(good == 4, label, "%d of 4 right", good);
}

struct live_thread {
	dns_ctx *ctx;
	int bad;
};

static void *
live_worker(void *arg)
{
	struct live_thread *lt = arg;
	int i;

	for (i = 0; i < 300; i++) {
		const struct live_row *r =
		    &live_rows[(size_t)i %
			       (sizeof(live_rows) / sizeof(live_rows[0]))];
		struct dns_answer *a =
		    dns_lookup(lt->ctx, NULL, r->name, r->type);

		lt->bad += a->status != r->st || a->secure != r->secure;
		dns_answer_free(a);
	}
	return NULL;
}

static void
live_threads(dns_ctx *ctx)
{
	struct live_thread lt[8];
	pthread_t th[8];
	int i, bad = 0, started = 0;
	char label[100];

	for (i = 0; i < 8; i++) {
		lt[i].ctx = ctx;
		lt[i].bad = 0;
		started +=
		    pthread_create(&th[i], NULL, live_worker, &lt[i]) == 0;
	}
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		bad += lt[i].bad;
	}
	live_label(label, sizeof(label), "eight-threads-one-context");
	t_ok(started == 8 && bad == 0, label, "%d threads, %d wrong answers",
	     started, bad);
}

/* Stops nsd (DIR/nsd.pid), then asks again: only the cache can answer. */
static void
live_cache(const char *dir)
{
	dns_ctx *ctx = live_ctx(500), *fresh;
	struct dns_answer *a, *b, *c;
	char path[600];
	FILE *f;
	long pid = 0;
	int i;

	if (ctx == NULL)
		return;
	a = dns_lookup(ctx, NULL, "sel2048._domainkey.secure.test", DNS_T_TXT);
	snprintf(path, sizeof(path), "%s/nsd.pid", dir);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	if (pid > 1 && kill((pid_t)pid, SIGTERM) == 0)
		for (i = 0; i < 100 && kill((pid_t)pid, 0) == 0; i++)
			usleep(50000);
	t_ok(pid > 1 && kill((pid_t)pid, 0) != 0, "cache-nsd-stopped",
	     "pid %ld", pid);
	b = dns_lookup(ctx, NULL, "sel2048._domainkey.secure.test", DNS_T_TXT);
	t_ok(a->status == DNS_OK && b->status == DNS_OK && b->secure &&
		 b->count == 1 &&
		 !strcmp((char *)a->rr[0].data, (char *)b->rr[0].data),
	     "cache-answers-after-server-stopped", "%s then %s secure=%d",
	     dns_status_name(a->status), dns_status_name(b->status), b->secure);
	fresh = live_ctx(500);
	c = fresh ? dns_lookup(fresh, NULL, "sel2048._domainkey.secure.test",
			       DNS_T_TXT)
		  : NULL;
	t_ok(c != NULL && c->status != DNS_OK,
	     "cache-fresh-context-needs-server", "%s",
	     c ? dns_status_name(c->status) : "no context");
	dns_answer_free(a);
	dns_answer_free(b);
	dns_answer_free(c);
	dns_ctx_free(fresh);
	dns_ctx_free(ctx);
}

int
dns_live_main(const char *dir, const char *mode)
{
	dns_ctx *ctx;

	live_mode = mode;
	snprintf(live_conf, sizeof(live_conf), "%s/%s", dir,
		 strcmp(mode, "auth") == 0 ? "unbound.conf"
					   : "unbound-nsd.conf");
	if (strcmp(mode, "cache") == 0) {
		live_cache(dir);
		return t_exit();
	}
	if ((ctx = live_ctx(2000)) == NULL)
		return t_exit();
	live_rows_check(ctx);
	live_decoding(ctx);
	live_budget(ctx);
	live_answer_cache(ctx);
	live_async(ctx);
	live_threads(ctx);
	dns_ctx_free(ctx);
	live_timeout();
	return t_exit();
}
