/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns_test.c - the DNS layer (libdkimsa/dns.c, dns_fake.c).
 *
 * Without arguments: checks that need no server (fake backend decoding,
 * name limits, the query budget, start-up errors of the libunbound
 * backend).  With "--live DIR" (run by tests/dns/live.sh after
 * tests/dns/harness.sh built DIR): real libunbound lookups against the
 * harness zones; see dns_live.c.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dkimsa.h"
#include "dns.h"
#include "t.h"

int dns_live_main(const char *dir, const char *mode);

static const char fake_table[] =
    "# comment line\n"
    "\n"
    "multi.example TXT \"v=spf1 \" \"ip4:192.0.2.1\" \" -all\"\n"
    "multi.example TXT \"second\"\n"
    "raw.example TXT v=DKIM1; p=abc\n"
    "Host.Example. A 192.0.2.7\n"
    "host.example AAAA 2001:db8::7\n"
    "mx.example MX 10 Mail.Example.\n"
    "mx.example MX 20 backup.example\n"
    "7.2.0.192.in-addr.arpa PTR Host.Example.\n"
    "slow.example TIMEOUT\n"
    "broken.example SERVFAIL\n"
    "forged.example BOGUS\n"
    "forged.example TXT \"never seen\"\n"
    "safe.example SECURE\n"
    "safe.example TXT \"signed text\"\n";

struct fake_row {
	const char *label;
	const char *name;
	int type;
	enum dns_status st;
	const char *first; /* text of rr[0] (TXT, MX, PTR) */
	size_t count;
	int secure;
};

static const struct fake_row fake_rows[] = {
    {"txt-strings-concatenated", "multi.example", DNS_T_TXT, DNS_OK,
     "v=spf1 ip4:192.0.2.1 -all", 2, 0},
    {"txt-unquoted-value-taken-as-is", "raw.example", DNS_T_TXT, DNS_OK,
     "v=DKIM1; p=abc", 1, 0},
    {"mx-name-lowercased-without-dot", "mx.example", DNS_T_MX, DNS_OK,
     "mail.example", 2, 0},
    {"ptr-name-decoded", "7.2.0.192.in-addr.arpa", DNS_T_PTR, DNS_OK,
     "host.example", 1, 0},
    {"lookup-case-insensitive-final-dot", "HOST.example.", DNS_T_A, DNS_OK,
     NULL, 1, 0},
    {"unlisted-name-nxdomain", "nope.example", DNS_T_A, DNS_NXDOMAIN, NULL, 0,
     0},
    {"listed-name-other-type-nodata", "host.example", DNS_T_TXT, DNS_NODATA,
     NULL, 0, 0},
    {"timeout-flag", "slow.example", DNS_T_TXT, DNS_TIMEOUT, NULL, 0, 0},
    {"servfail-flag", "broken.example", DNS_T_A, DNS_SERVFAIL, NULL, 0, 0},
    {"bogus-flag-hides-data", "forged.example", DNS_T_TXT, DNS_BOGUS, NULL, 0,
     0},
    {"secure-flag", "safe.example", DNS_T_TXT, DNS_OK, "signed text", 1, 1},
    {"secure-flag-nodata", "safe.example", DNS_T_A, DNS_NODATA, NULL, 0, 1},
    {"spf-type-99-separate-from-txt", "multi.example", DNS_T_SPF, DNS_NODATA,
     NULL, 0, 0},
};

static void
test_fake_rows(dns_ctx *ctx)
{
	size_t i;

	for (i = 0; i < sizeof(fake_rows) / sizeof(fake_rows[0]); i++) {
		const struct fake_row *r = &fake_rows[i];
		struct dns_answer *a = dns_lookup(ctx, NULL, r->name, r->type);
		int ok = a->status == r->st && a->count == r->count &&
			 a->secure == r->secure;

		if (ok && r->first != NULL)
			ok = strcmp((char *)a->rr[0].data, r->first) == 0;
		t_ok(ok, r->label, "status %s count %zu secure %d first \"%s\"",
		     dns_status_name(a->status), a->count, a->secure,
		     a->count ? (char *)a->rr[0].data : "");
		dns_answer_free(a);
	}
}

static void
test_fake_binary(dns_ctx *ctx)
{
	struct dns_answer *a = dns_lookup(ctx, NULL, "host.example", DNS_T_A);
	struct dns_answer *b =
	    dns_lookup(ctx, NULL, "host.example", DNS_T_AAAA);
	struct dns_answer *m = dns_lookup(ctx, NULL, "mx.example", DNS_T_MX);
	unsigned char v4[4], v6[16];

	inet_pton(AF_INET, "192.0.2.7", v4);
	inet_pton(AF_INET6, "2001:db8::7", v6);
	t_ok(a->count == 1 && a->rr[0].len == 4 &&
		 memcmp(a->rr[0].data, v4, 4) == 0,
	     "a-record-four-bytes", "len %zu", a->count ? a->rr[0].len : 0);
	t_ok(b->count == 1 && b->rr[0].len == 16 &&
		 memcmp(b->rr[0].data, v6, 16) == 0,
	     "aaaa-record-sixteen-bytes", "len %zu",
	     b->count ? b->rr[0].len : 0);
	t_ok(m->count == 2 && m->rr[0].pref == 10 && m->rr[1].pref == 20,
	     "mx-preferences", "count %zu", m->count);
	dns_answer_free(a);
	dns_answer_free(b);
	dns_answer_free(m);
}

static void
test_names(dns_ctx *ctx)
{
	char l63[64], l64[65], n253[260], n254[260];
	struct {
		const char *label, *name;
		enum dns_status st;
	} rows[] = {
	    {"empty-name-badname", "", DNS_BADNAME},
	    {"root-only-badname", ".", DNS_BADNAME},
	    {"empty-label-badname", "a..example", DNS_BADNAME},
	    {"leading-dot-badname", ".example", DNS_BADNAME},
	    {"two-final-dots-badname", "example..", DNS_BADNAME},
	    {"label-64-bytes-badname", l64, DNS_BADNAME},
	    {"name-254-bytes-badname", n254, DNS_BADNAME},
	    {"label-63-bytes-queried", l63, DNS_NXDOMAIN},
	    {"name-253-bytes-queried", n253, DNS_NXDOMAIN},
	    {"odd-bytes-queried", "a b%c.example", DNS_NXDOMAIN},
	};
	size_t i;

	memset(l63, 'a', 63);
	l63[63] = '\0';
	memset(l64, 'b', 64);
	l64[64] = '\0';
	/* 4 labels of 63 + 3 dots = 255 -> trim to 253 and 254 */
	snprintf(n253, sizeof(n253), "%s.%s.%s.%.61s", l63, l63, l63, l63);
	snprintf(n254, sizeof(n254), "%s.%s.%s.%.62s", l63, l63, l63, l63);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned long before = dns_ctx_sent(ctx);
		struct dns_answer *a =
		    dns_lookup(ctx, NULL, rows[i].name, DNS_T_A);
		int sent = dns_ctx_sent(ctx) != before;

		t_ok(a->status == rows[i].st &&
			 sent == (rows[i].st != DNS_BADNAME),
		     rows[i].label, "status %s, sent %d (len %zu)",
		     dns_status_name(a->status), sent, strlen(rows[i].name));
		dns_answer_free(a);
	}
}

static void
test_budget(dns_ctx *ctx)
{
	struct dns_budget b = {2, 0};
	struct dns_answer *a[3];
	unsigned long before = dns_ctx_sent(ctx);
	dns_query *q;
	int i;

	for (i = 0; i < 3; i++)
		a[i] = dns_lookup(ctx, &b, "host.example", DNS_T_A);
	t_ok(a[0]->status == DNS_OK && a[1]->status == DNS_OK,
	     "budget-allows-max-queries", "%s %s",
	     dns_status_name(a[0]->status), dns_status_name(a[1]->status));
	t_ok(a[2]->status == DNS_LIMIT && b.used == 2 &&
		 dns_ctx_sent(ctx) - before == 2,
	     "budget-spent-gives-limit-unsent", "%s used %d sent %lu",
	     dns_status_name(a[2]->status), b.used, dns_ctx_sent(ctx) - before);
	for (i = 0; i < 3; i++)
		dns_answer_free(a[i]);
	b.used = 0;
	q = dns_query_start(ctx, &b, "a..b", DNS_T_A);
	dns_query_cancel(q);
	t_ok(b.used == 0, "badname-not-charged", "used %d", b.used);
	q = dns_query_start(ctx, &b, "host.example", DNS_T_A);
	dns_query_cancel(q);
	t_ok(b.used == 1, "cancelled-query-charged", "used %d", b.used);
}

static void
test_fake_errors(void)
{
	static const struct {
		const char *label, *table, *want;
	} rows[] = {
	    {"fake-unknown-type-line", "a.example A 192.0.2.1\nb CNAME c\n",
	     "line 2: unknown type"},
	    {"fake-bad-address", "a.example A 300.1.1.1\n",
	     "line 1: bad value"},
	    {"fake-unterminated-string", "a TXT \"abc\n", "line 1: bad value"},
	    {"fake-flag-with-value", "a TIMEOUT 5\n", "line 1: bad value"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[256] = "";
		dns_ctx *c = dns_ctx_new_fake(rows[i].table, err, sizeof(err));

		t_ok(c == NULL && strstr(err, rows[i].want) != NULL,
		     rows[i].label, "err \"%s\"", err);
		dns_ctx_free(c);
	}
}

/* Start-up errors of the libunbound backend: no server involved. */
static void
test_start_errors(const char *tmp)
{
	char empty[300], junk[300], conf[300], err[512];
	struct {
		const char *label;
		struct dns_opts o;
		const char *want1, *want2;
	} rows[] = {
	    {"missing-trust-anchor-named",
	     {"/nonexistent/ta.key", NULL, NULL, 0},
	     "/nonexistent/ta.key",
	     "No such file"},
	    {"empty-trust-anchor-named",
	     {empty, NULL, NULL, 0},
	     empty,
	     "empty"},
	    {"garbage-trust-anchor-named",
	     {junk, NULL, NULL, 0},
	     junk,
	     "start"},
	    {"missing-unbound-conf-named",
	     {"none", NULL, "/nonexistent/u.conf", 0},
	     "/nonexistent/u.conf",
	     "No such file"},
	    {"broken-unbound-conf-named",
	     {"none", NULL, conf, 0},
	     conf,
	     "syntax"},
	    {"bad-nameserver-named",
	     {"none", "127.0.0.1,nonsense@x", NULL, 0},
	     "nonsense@x",
	     "Nameservers"},
	};
	FILE *f;
	size_t i;

	snprintf(empty, sizeof(empty), "%s/empty.key", tmp);
	snprintf(junk, sizeof(junk), "%s/junk.key", tmp);
	snprintf(conf, sizeof(conf), "%s/broken.conf", tmp);
	if ((f = fopen(empty, "w")) != NULL)
		fclose(f);
	if ((f = fopen(junk, "w")) != NULL) {
		fputs("this is not a trust anchor\n", f);
		fclose(f);
	}
	if ((f = fopen(conf, "w")) != NULL) {
		fputs("server:\n\tno-such-option-here: yes\n", f);
		fclose(f);
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		dns_ctx *c;

		err[0] = '\0';
		c = dns_ctx_new(&rows[i].o, err, sizeof(err));
		t_ok(c == NULL && strstr(err, rows[i].want1) != NULL &&
			 strstr(err, rows[i].want2) != NULL,
		     rows[i].label, "err \"%s\"", err);
		dns_ctx_free(c);
	}
	unlink(empty);
	unlink(junk);
	unlink(conf);
}

static void *
deadline_other_thread(void *arg)
{
	*(long long *)arg = dkimsa_dns_deadline_get();
	return NULL;
}

/* dkimsa_dns_deadline_set: per thread; once passed nothing is sent. */
static void
test_deadline(dns_ctx *ctx)
{
	struct timespec ts;
	struct dns_answer *a;
	unsigned long before;
	long long now, other = -1;
	pthread_t th;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	dkimsa_dns_deadline_set(now + 60000);
	before = dns_ctx_sent(ctx);
	a = dns_lookup(ctx, NULL, "host.example", DNS_T_A);
	t_ok(a->status == DNS_OK && dns_ctx_sent(ctx) - before == 1,
	     "deadline-ahead-query-answered", "%s", dns_status_name(a->status));
	dns_answer_free(a);
	if (pthread_create(&th, NULL, deadline_other_thread, &other) == 0)
		pthread_join(th, NULL);
	t_ok(other == 0 && dkimsa_dns_deadline_get() == now + 60000,
	     "deadline-belongs-to-its-thread", "other thread %lld", other);
	dkimsa_dns_deadline_set(now - 1);
	before = dns_ctx_sent(ctx);
	a = dns_lookup(ctx, NULL, "host.example", DNS_T_A);
	t_ok(a->status == DNS_TIMEOUT && dns_ctx_sent(ctx) == before,
	     "deadline-passed-timeout-unsent", "%s, sent %lu",
	     dns_status_name(a->status), dns_ctx_sent(ctx) - before);
	dns_answer_free(a);
	dkimsa_dns_deadline_set(0);
	a = dns_lookup(ctx, NULL, "host.example", DNS_T_A);
	t_ok(a->status == DNS_OK && dkimsa_dns_deadline_get() == 0,
	     "deadline-cleared-query-answered", "%s",
	     dns_status_name(a->status));
	dns_answer_free(a);
}

int
main(int argc, char **argv)
{
	char err[256] = "", tmp[] = "/tmp/dns_test.XXXXXX";
	dns_ctx *ctx;

	if (argc == 4 && strcmp(argv[1], "--live") == 0)
		return dns_live_main(argv[2], argv[3]);
	ctx = dns_ctx_new_fake(fake_table, err, sizeof(err));
	if (!t_ok(ctx != NULL, "fake-table-loads", "%s", err))
		return t_exit();
	test_fake_rows(ctx);
	test_fake_binary(ctx);
	test_names(ctx);
	test_budget(ctx);
	test_deadline(ctx);
	dns_ctx_free(ctx);
	test_fake_errors();
	if (mkdtemp(tmp) != NULL) {
		test_start_errors(tmp);
		rmdir(tmp);
	}
	return t_exit();
}
