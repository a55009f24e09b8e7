/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench.c - dkimsa-bench: single-thread signing and verifying rates of
 * libdkimsa's public API (dkimsa_sign_* and dkimsa_verify_*), for 2 KiB
 * and 100 KiB messages, rsa-sha256 and ed25519-sha256, relaxed/relaxed.
 *
 *   dkimsa-bench --rsa-key FILE --ed25519-key FILE [--seconds S]
 *
 * Prints one line per case:
 *   RESULT <alg> <size> sign <per-second> verify <per-second>
 * The verify key callback hands back dkimsa_key_record() of the signing
 * key, so no DNS is involved.  tests/bench/run-bench.sh puts these beside
 * `openssl speed`.  Each case runs for about S seconds (CLOCK_MONOTONIC).
 *
 * Memory: the messages, keys and key records are owned by main() and
 * freed before it returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dkimsa.h"

#define BENCH_NHDR 7

struct bench_msg {
	const char *hdr[BENCH_NHDR];
	char *body;
	size_t body_len;
};

struct bench_case {
	dkimsa_key *key;
	char *record;
	const struct bench_msg *msg;
	char *sig; /* one DKIM-Signature, made before verifying */
};

static const char *const bench_headers[BENCH_NHDR] = {
    "From: Joe SixPack <joe@football.example.com>\r\n",
    "To: Suzie Q <suzie@shopping.example.net>\r\n",
    "Subject: Is dinner ready?\r\n",
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n",
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n",
    "MIME-Version: 1.0\r\n",
    "Content-Type: text/plain; charset=us-ascii\r\n",
};

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A body of plain text lines (some with trailing and doubled blanks). */
static int
bench_msg_init(struct bench_msg *m, size_t size)
{
	static const char line[] = "The quick brown fox  jumps over the lazy "
				   "dog, again and again and again. \t\r\n";
	size_t i, n = sizeof(line) - 1;

	memcpy(m->hdr, bench_headers, sizeof(bench_headers));
	m->body = malloc(size + 1);
	if (m->body == NULL)
		return -1;
	for (i = 0; i + n <= size; i += n)
		memcpy(m->body + i, line, n);
	for (; i < size; i++) /* pad with a short last line */
		m->body[i] = (size - i <= 2) ? "\r\n"[2 - (size - i)] : 'x';
	m->body[size] = '\0';
	m->body_len = size;
	return 0;
}

static int
bench_sign_one(const struct bench_case *c, char **out)
{
	dkimsa_sign_opts o;
	dkimsa_sign *s = NULL;
	int i, rc;

	memset(&o, 0, sizeof(o));
	o.domain = "football.example.com";
	o.selector = "bench";
	o.key = c->key;
	o.header_canon = DKIMSA_CANON_RELAXED;
	o.body_canon = DKIMSA_CANON_RELAXED;
	o.body_limit = -1;
	rc = dkimsa_sign_new(&o, &s);
	for (i = 0; rc == 0 && i < BENCH_NHDR; i++)
		rc = dkimsa_sign_header(s, c->msg->hdr[i],
					strlen(c->msg->hdr[i]));
	if (rc == 0)
		rc = dkimsa_sign_body(s, c->msg->body, c->msg->body_len);
	if (rc == 0)
		rc = dkimsa_sign_finish(s, out);
	dkimsa_sign_free(s);
	return rc;
}

static int
bench_key_fn(void *arg, const char *domain, const char *selector, char **txt,
	     int *secure)
{
	const struct bench_case *c = arg;

	(void)domain;
	(void)selector;
	*secure = 0;
	*txt = strdup(c->record);
	return *txt != NULL ? DKIMSA_LOOKUP_OK : DKIMSA_LOOKUP_TEMPFAIL;
}

/* 0 when the message verifies with one passing signature. */
static int
bench_verify_one(const struct bench_case *c)
{
	const dkimsa_sigresult *r;
	dkimsa_verify *v = NULL;
	int i, rc;

	rc = dkimsa_verify_new(NULL, &v);
	if (rc != 0)
		return rc;
	dkimsa_verify_set_key_fn(v, bench_key_fn, (void *)c);
	rc = dkimsa_verify_header(v, c->sig, strlen(c->sig));
	for (i = 0; rc == 0 && i < BENCH_NHDR; i++)
		rc = dkimsa_verify_header(v, c->msg->hdr[i],
					  strlen(c->msg->hdr[i]));
	if (rc == 0)
		rc = dkimsa_verify_eoh(v);
	if (rc == 0)
		rc = dkimsa_verify_body(v, c->msg->body, c->msg->body_len);
	if (rc == 0)
		rc = dkimsa_verify_finish(v);
	if (rc == 0) {
		r = dkimsa_verify_count(v) == 1 ? dkimsa_verify_result(v, 0)
						: NULL;
		if (r == NULL || r->result != DKIMSA_RES_PASS) {
			fprintf(stderr, "dkimsa-bench: verify: %s\n",
				r ? r->reason : "no signature seen");
			rc = DKIMSA_ESTATE;
		}
	}
	dkimsa_verify_free(v);
	return rc;
}

/* Runs sign (verify == 0) or verify for about secs; operations/s. */
static double
bench_rate(const struct bench_case *c, int verify, double secs)
{
	double start = bench_now(), t = start;
	long n = 0;

	while (t - start < secs) {
		int rc;

		if (verify) {
			rc = bench_verify_one(c);
		} else {
			char *sig = NULL;

			rc = bench_sign_one(c, &sig);
			free(sig);
		}
		if (rc != 0) {
			fprintf(stderr, "dkimsa-bench: %s failed: %s\n",
				verify ? "verify" : "sign",
				dkimsa_strerror(rc));
			return -1;
		}
		n++;
		t = bench_now();
	}
	return (double)n / (t - start);
}

/* One line per key and size; 0 on success. */
static int
bench_run(dkimsa_key *key, const struct bench_msg *msg, const char *size,
	  double secs)
{
	struct bench_case c = {key, NULL, msg, NULL};
	double s, v;
	int rc;

	rc = dkimsa_key_record(key, &c.record);
	if (rc == 0)
		rc = bench_sign_one(&c, &c.sig);
	if (rc == 0)
		rc = bench_verify_one(&c); /* and warm up */
	if (rc != 0) {
		fprintf(stderr, "dkimsa-bench: %s %s: %s\n",
			dkimsa_alg_name(dkimsa_key_alg(key)), size,
			dkimsa_strerror(rc));
		free(c.record);
		free(c.sig);
		return 1;
	}
	s = bench_rate(&c, 0, secs);
	v = bench_rate(&c, 1, secs);
	free(c.record);
	free(c.sig);
	if (s < 0 || v < 0)
		return 1;
	printf("RESULT %s %s sign %.1f verify %.1f\n",
	       dkimsa_alg_name(dkimsa_key_alg(key)), size, s, v);
	fflush(stdout);
	return 0;
}

static dkimsa_key *
bench_load(const char *path)
{
	dkimsa_key *key = NULL;
	char err[512];

	if (path == NULL) {
		fprintf(stderr, "usage: dkimsa-bench --rsa-key FILE "
				"--ed25519-key FILE [--seconds S]\n");
		return NULL;
	}
	if (dkimsa_key_load(path, &key, err, sizeof(err)) != 0)
		fprintf(stderr, "dkimsa-bench: %s\n", err);
	return key;
}

int
main(int argc, char **argv)
{
	const char *rsa_path = NULL, *ed_path = NULL;
	struct bench_msg small = {{0}, NULL, 0}, large = {{0}, NULL, 0};
	dkimsa_key *keys[2] = {NULL, NULL};
	double secs = 1.5;
	int i, rc = 1;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rsa-key") == 0)
			rsa_path = argv[i + 1];
		else if (strcmp(argv[i], "--ed25519-key") == 0)
			ed_path = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			secs = atof(argv[i + 1]);
	}
	if (i != argc || secs <= 0) {
		fprintf(stderr, "dkimsa-bench: bad arguments\n");
		return 2;
	}
	keys[0] = bench_load(rsa_path);
	keys[1] = keys[0] ? bench_load(ed_path) : NULL;
	if (keys[1] != NULL && bench_msg_init(&small, 2048) == 0 &&
	    bench_msg_init(&large, 100 * 1024) == 0) {
		rc = 0;
		for (i = 0; i < 2 && rc == 0; i++)
			rc = bench_run(keys[i], &small, "2KiB", secs) ||
			     bench_run(keys[i], &large, "100KiB", secs);
	}
	free(small.body);
	free(large.body);
	dkimsa_key_free(keys[0]);
	dkimsa_key_free(keys[1]);
	return rc;
}
