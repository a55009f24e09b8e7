/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_test.c - the MetricsSocket pieces without a daemon: the socket
 * grammar (milter/metrics_sock.c) row by row, the counters and their
 * exposition (milter/metrics.c, metrics_text.c): nothing is counted until
 * counting is on, each counting function moves exactly its sample,
 * histogram bounds are inclusive, and concurrent adds lose nothing.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "metrics.h"
#include "metrics_sock.h"
#include "metrics_text.h"
#include "t.h"

static const struct {
	const char *label, *spec;
	int ok, family, port;
	const char *why; /* a part of the reason of a refusal */
} sock_rows[] = {
    {"loopback IPv4", "inet:9465@127.0.0.1", 1, AF_INET, 9465, NULL},
    {"every IPv4 interface", "inet:80@0.0.0.0", 1, AF_INET, 80, NULL},
    {"port 65535", "inet:65535@127.0.0.1", 1, AF_INET, 65535, NULL},
    {"loopback IPv6", "inet6:9465@::1", 1, AF_INET6, 9465, NULL},
    {"IPv6 in brackets", "inet6:9465@[::1]", 1, AF_INET6, 9465, NULL},
    {"no address", "inet:9465", 0, 0, 0, "then @ADDR"},
    {"empty address", "inet:9465@", 0, 0, 0, "numeric IPv4"},
    {"port 0", "inet:0@127.0.0.1", 0, 0, 0, "port from 1 to 65535"},
    {"port 65536", "inet:65536@127.0.0.1", 0, 0, 0, "port from 1"},
    {"six-digit port", "inet:100000@127.0.0.1", 0, 0, 0, "port from 1"},
    {"no port", "inet:@127.0.0.1", 0, 0, 0, "port from 1"},
    {"a host name", "inet:9465@localhost", 0, 0, 0, "no host names"},
    {"IPv6 as inet", "inet:9465@::1", 0, 0, 0, "numeric IPv4"},
    {"IPv4 as inet6", "inet6:9465@127.0.0.1", 0, 0, 0, "numeric IPv6"},
    {"a unix socket", "unix:/run/dkimsa.sock", 0, 0, 0, "inet:PORT@ADDR"},
    {"a bare port", "9465", 0, 0, 0, "inet:PORT@ADDR"},
    {"trailing text", "inet:9465@127.0.0.1 x", 0, 0, 0, "numeric IPv4"},
    {"upper-case scheme", "INET:9465@127.0.0.1", 0, 0, 0, "inet:PORT"},
    {"an over-long address",
     "inet6:1@[0000:0000:0000:0000:0000:0000:0000:0000:0]", 0, 0, 0,
     "numeric IPv6"},
};

static void
test_sock(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char why[300];
	size_t i;
	int rc, port;

	for (i = 0; i < sizeof(sock_rows) / sizeof(sock_rows[0]); i++) {
		why[0] = '\0';
		rc = metrics_sock_parse(sock_rows[i].spec, &ss, &len, why,
					sizeof(why));
		if (!sock_rows[i].ok) {
			t_ok(rc == -1 && strstr(why, sock_rows[i].why) != NULL,
			     sock_rows[i].label, "rc %d, why \"%s\"", rc, why);
			continue;
		}
		port = ss.ss_family == AF_INET
			   ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
			   : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		t_ok(rc == 0 && ss.ss_family == sock_rows[i].family &&
			 port == sock_rows[i].port,
		     sock_rows[i].label, "rc %d (%s), family %d, port %d", rc,
		     why, ss.ss_family, port);
	}
}

/* The value of one sample on the page, or -1 when it is not there. */
static double
sample(const char *page, const char *name)
{
	size_t n = strlen(name);
	const char *p = page;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == page || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return -1;
}

static char *
page(void)
{
	size_t len;
	char *s = metrics_text_render(&len);

	if (s == NULL || strlen(s) != len) {
		printf("FAIL: the page renders\n");
		exit(1);
	}
	return s;
}

#define ADDERS 4
#define ADDS 20000

static void *
adder(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ADDS; i++)
		metrics_verify_result(METRICS_M_SPF, DKIMSA_RES_PASS);
	return NULL;
}

static void
test_counts(void)
{
	dkimsa_dns_stat st = {16, DKIMSA_DNS_ANSWER, 0, 1000};
	pthread_t th[ADDERS];
	char *s;
	int i;

	metrics_message(METRICS_MODE_SIGN, CFG_ACCEPT, 0);
	metrics_dns(NULL, &st);
	s = page();
	t_ok(sample(s,
		    "dkimsa_messages_total{mode=\"sign\",action=\"accept\"}") ==
		     0 &&
		 sample(s, "dkimsa_dns_duration_seconds_count") == 0,
	     "nothing is counted before metrics_enable", "%s", s);
	free(s);

	metrics_enable();
	metrics_message(METRICS_MODE_SIGN, CFG_ACCEPT, 0);
	metrics_message(METRICS_MODE_VERIFY, CFG_QUARANTINE, 0);
	metrics_message(METRICS_MODE_NONE, CFG_ACCEPT, 0);
	metrics_message(METRICS_NMODES, CFG_ACCEPT, 0); /* out of range */
	metrics_message(METRICS_MODE_SIGN, 5, 0);	/* out of range */
	metrics_signature(DKIMSA_ALG_ED25519_SHA256);
	metrics_signature(DKIMSA_ALG_NONE);
	metrics_sign_failure(METRICS_SF_MTA);
	metrics_sign_failure(METRICS_NSF);
	metrics_verify_result(METRICS_M_ADSP, DKIMSA_RES_DISCARD);
	metrics_verify_result(METRICS_M_DMARC, DKIMSA_RES_FAIL);
	metrics_verify_result(METRICS_M_DKIM, METRICS_NRES);
	metrics_forged_removed(2);
	metrics_worker_job();
	metrics_worker_job();
	metrics_worker_job();
	metrics_forged_removed(-1);
	metrics_reload(1);
	metrics_reload(0);
	metrics_reload(0);
	st.usec = 1000; /* on the 0.001 bound: in its bucket */
	metrics_dns(NULL, &st);
	st.usec = 1001;
	st.type = 1;
	st.outcome = DKIMSA_DNS_BOGUS;
	metrics_dns(NULL, &st);
	st.usec = 99000000; /* past every bound: +Inf only */
	st.type = 255;
	st.outcome = DKIMSA_DNS_TIMEOUT;
	metrics_dns(NULL, &st);
	st.cached = 1;
	st.type = 16;
	metrics_dns(NULL, &st);
	s = page();
	{
		static const struct {
			const char *sample;
			double want;
		} rows[] = {
		    {"dkimsa_messages_total{mode=\"sign\",action=\"accept\"}",
		     1},
		    {"dkimsa_messages_total{mode=\"verify\",action="
		     "\"quarantine\"}",
		     1},
		    {"dkimsa_messages_total{mode=\"none\",action=\"accept\"}",
		     1},
		    {"dkimsa_messages_total{mode=\"sign\",action=\"reject\"}",
		     0},
		    {"dkimsa_signatures_total{algorithm=\"ed25519-sha256\"}",
		     1},
		    {"dkimsa_signatures_total{algorithm=\"rsa-sha256\"}", 0},
		    {"dkimsa_sign_failures_total{reason=\"mta\"}", 1},
		    {"dkimsa_sign_failures_total{reason=\"key\"}", 0},
		    {"dkimsa_verify_results_total{method=\"dkim-adsp\",result="
		     "\"discard\"}",
		     1},
		    {"dkimsa_verify_results_total{method=\"dmarc\",result="
		     "\"fail\"}",
		     1},
		    {"dkimsa_verify_results_total{method=\"dmarc\",result="
		     "\"pass\"}",
		     0},
		    {"dkimsa_verify_results_total{method=\"arc\",result="
		     "\"pass\"}",
		     0},
		    {"dkimsa_verify_results_total{method=\"dkim\",result="
		     "\"softfail\"}",
		     -1},
		    {"dkimsa_verify_results_total{method=\"spf\",result="
		     "\"softfail\"}",
		     0},
		    {"dkimsa_forged_authres_removed_total", 2},
		    {"dkimsa_reloads_total{outcome=\"success\"}", 1},
		    {"dkimsa_reloads_total{outcome=\"failure\"}", 2},
		    {"dkimsa_dns_queries_total{type=\"TXT\",outcome="
		     "\"answer\"}",
		     1},
		    {"dkimsa_dns_queries_total{type=\"A\",outcome=\"bogus\"}",
		     1},
		    {"dkimsa_dns_queries_total{type=\"other\",outcome="
		     "\"timeout\"}",
		     1},
		    {"dkimsa_dns_cache_hits_total{type=\"TXT\"}", 1},
		    {"dkimsa_worker_jobs_total", 3},
		    {"dkimsa_dns_duration_seconds_bucket{le=\"0.0005\"}", 0},
		    {"dkimsa_dns_duration_seconds_bucket{le=\"0.001\"}", 1},
		    {"dkimsa_dns_duration_seconds_bucket{le=\"0.0025\"}", 2},
		    {"dkimsa_dns_duration_seconds_bucket{le=\"10\"}", 2},
		    {"dkimsa_dns_duration_seconds_bucket{le=\"+Inf\"}", 3},
		    {"dkimsa_dns_duration_seconds_count", 3},
		    {"dkimsa_dns_duration_seconds_sum", 99.002001},
		    {"dkimsa_eom_duration_seconds_count{mode=\"sign\"}", 0},
		    {"dkimsa_connections_open", 0},
		};
		size_t k;
		char label[300];

		for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
			snprintf(label, sizeof(label), "%s is %g",
				 rows[k].sample, rows[k].want);
			t_ok(sample(s, rows[k].sample) == rows[k].want, label,
			     "got %g", sample(s, rows[k].sample));
		}
	}
	t_ok(strstr(s, "# TYPE dkimsa_eom_duration_seconds histogram\n") &&
		 strstr(s, "# TYPE dkimsa_connections_open gauge\n"),
	     "every metric has its TYPE line", "%s", s);
	free(s);

	for (i = 0; i < ADDERS; i++)
		pthread_create(&th[i], NULL, adder, NULL);
	for (i = 0; i < ADDERS; i++)
		pthread_join(th[i], NULL);
	s = page();
	t_ok(sample(s, "dkimsa_verify_results_total{method=\"spf\",result="
		       "\"pass\"}") == ADDERS * ADDS,
	     "4 threads adding at once lose no count", "got %g",
	     sample(s, "dkimsa_verify_results_total{method=\"spf\",result="
		       "\"pass\"}"));
	free(s);
}

static int
three(void)
{
	return 3;
}

static void
test_gauges(void)
{
	char *s;

	metrics_gauges(three, three);
	s = page();
	t_ok(sample(s, "dkimsa_connections_open") == 3 &&
		 sample(s, "dkimsa_messages_in_progress") == 3,
	     "the gauges read the milter's functions at each scrape", "%s", s);
	free(s);
	metrics_quarantine();
	t_ok(metrics_quarantined() == 1 && metrics_quarantined() == 0,
	     "the quarantine flag is read once", "%s", "");
}

int
main(void)
{
	test_sock();
	test_counts();
	test_gauges();
	return t_exit();
}
