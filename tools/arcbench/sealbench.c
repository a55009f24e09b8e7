/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sealbench.c - dkimsa-seal-bench: what a message that is DKIM-signed
 * and ARC-sealed (sign+seal), or verified and sealed (verify+seal),
 * costs with each object hashing the body on its own and with one shared
 * dkimsa_body, single thread.
 *
 *   dkimsa-seal-bench --key FILE [--seconds S] [--kib N]...
 *
 * The message has 5 header fields and a body of N KiB of 63-byte text
 * lines (default 1 and 100).  sign+seal: one DKIM-Signature
 * (relaxed/relaxed, the key's algorithm) and one ARC set sealed with the
 * same key; verify+seal: the message signed so beforehand, its signature
 * verified (key from a callback) and one ARC set added.  Each whole run
 * (objects made, headers, body, finish, seal, freed) repeats for about S
 * seconds (default 1.5) of CPU time (CLOCK_PROCESS_CPUTIME_ID).  Before
 * timing, the fields of the two ways are compared byte for byte (the
 * clock fixed).  Prints, per mode and size:
 *   RESULT seal-bench MODE kib N us_unshared U us_shared S saved_us U-S
 *     us_body_hash H identical yes|no
 * where H is one relaxed SHA-256 body hash alone (canonicalise + digest
 * with a signer made and freed: what sharing saves at most per
 * duplicate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchrun.h"
#include "dkimsa.h"

#define NOW 1700000000LL

static const char *const sealb_hdrs[] = {
    "From: Joe SixPack <joe@football.example.com>",
    "To: Suzie Q <suzie@shopping.example.net>", "Subject: Is dinner ready?",
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>"};
#define SEALB_NHDRS (sizeof(sealb_hdrs) / sizeof(sealb_hdrs[0]))

static dkimsa_key *sealb_key;
static char *sealb_record, *sealb_sig; /* the verify+seal message's */
static char *sealb_body;

/* One run's objects; body NULL: each hashes on its own. */
struct sealb_run {
	dkimsa_body *body;
	dkimsa_sign *s;
	dkimsa_verify *v;
	dkimsa_arc *a;
	char *f[4]; /* DKIM-Signature (sign+seal), AAR, AMS, AS */
};

static int
sealb_signer(struct sealb_run *r)
{
	dkimsa_sign_opts o;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	o.domain = "football.example.com";
	o.selector = "bench";
	o.key = sealb_key;
	o.header_canon = DKIMSA_CANON_RELAXED;
	o.body_canon = DKIMSA_CANON_RELAXED;
	o.now = NOW;
	o.body_limit = -1;
	rc = dkimsa_sign_new(&o, &r->s);
	if (rc == 0 && r->body != NULL)
		rc = dkimsa_sign_set_body(r->s, r->body);
	for (i = 0; rc == 0 && i < SEALB_NHDRS; i++)
		rc = dkimsa_sign_header(r->s, sealb_hdrs[i],
					strlen(sealb_hdrs[i]));
	return rc;
}

static int
sealb_header(struct sealb_run *r, const char *field)
{
	int rc = 0;

	if (r->v != NULL)
		rc = dkimsa_verify_header(r->v, field, strlen(field));
	return rc == 0 ? dkimsa_arc_header(r->a, field, strlen(field)) : rc;
}

/* The verifier (verify+seal) and the ARC object, to end of headers. */
static int
sealb_start(struct sealb_run *r, int verify)
{
	size_t i;
	int rc = 0;

	if (verify && (rc = dkimsa_verify_new(NULL, &r->v)) == 0) {
		dkimsa_verify_set_key_fn(r->v, benchrun_key_fn, sealb_record);
		dkimsa_verify_set_time(r->v, NOW);
		if (r->body != NULL)
			rc = dkimsa_verify_set_body(r->v, r->body);
	}
	if (rc == 0 && (rc = dkimsa_arc_new(NULL, &r->a)) == 0) {
		dkimsa_arc_set_time(r->a, NOW);
		if (r->body != NULL)
			rc = dkimsa_arc_set_body(r->a, r->body);
	}
	if (rc == 0)
		rc = dkimsa_arc_set_sealing(r->a, 1);
	if (rc == 0 && verify)
		rc = sealb_header(r, sealb_sig);
	for (i = 0; rc == 0 && i < SEALB_NHDRS; i++)
		rc = sealb_header(r, sealb_hdrs[i]);
	if (rc == 0 && r->v != NULL)
		rc = dkimsa_verify_eoh(r->v);
	return rc == 0 ? dkimsa_arc_eoh(r->a) : rc;
}

static int
sealb_body_in(struct sealb_run *r)
{
	size_t len = strlen(sealb_body);
	int rc = 0;

	if (r->body != NULL)
		return dkimsa_body_update(r->body, sealb_body, len);
	if (r->s != NULL)
		rc = dkimsa_sign_body(r->s, sealb_body, len);
	if (rc == 0 && r->v != NULL)
		rc = dkimsa_verify_body(r->v, sealb_body, len);
	return rc == 0 ? dkimsa_arc_body(r->a, sealb_body, len) : rc;
}

static void
sealb_free(struct sealb_run *r)
{
	int i;

	for (i = 0; i < 4; i++)
		free(r->f[i]);
	dkimsa_sign_free(r->s);
	dkimsa_verify_free(r->v);
	dkimsa_arc_free(r->a);
	dkimsa_body_free(r->body);
}

/* One message, sign+seal or verify+seal; r keeps the fields. */
static int
sealb_once(int verify, int shared, struct sealb_run *r)
{
	dkimsa_arc_seal_opts o;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (shared)
		rc = dkimsa_body_new(&r->body);
	if (rc == 0 && !verify)
		rc = sealb_signer(r);
	if (rc == 0)
		rc = sealb_start(r, verify);
	if (rc == 0)
		rc = sealb_body_in(r);
	if (rc == 0 && r->s != NULL)
		rc = dkimsa_sign_finish(r->s, &r->f[0]);
	if (rc == 0 && r->v != NULL && (rc = dkimsa_verify_finish(r->v)) == 0 &&
	    dkimsa_verify_result(r->v, 0)->result != DKIMSA_RES_PASS)
		rc = DKIMSA_ECRYPTO;
	if (rc == 0)
		rc = dkimsa_arc_finish(r->a);
	memset(&o, 0, sizeof(o));
	o.domain = "fwd.example";
	o.selector = "bench";
	o.key = sealb_key;
	o.authserv_id = "mx.fwd.example";
	o.results = "dkim=pass header.d=football.example.com";
	o.t = NOW;
	if (rc == 0)
		rc = dkimsa_arc_seal(r->a, &o, &r->f[1], &r->f[2], &r->f[3]);
	return rc;
}

/* 1 when both ways give the same fields. */
static int
sealb_identical(int verify)
{
	struct sealb_run a, b;
	int i, same = sealb_once(verify, 0, &a) == 0 &&
		      sealb_once(verify, 1, &b) == 0;

	for (i = 0; same && i < 4; i++)
		same = (a.f[i] == NULL && b.f[i] == NULL) ||
		       (a.f[i] != NULL && b.f[i] != NULL &&
			strcmp(a.f[i], b.f[i]) == 0);
	sealb_free(&a);
	sealb_free(&b);
	return same;
}

/* What one timed call makes: verify+seal or sign+seal, shared or not. */
struct sealb_case {
	int verify, shared;
};

static int
sealb_case_once(void *arg)
{
	const struct sealb_case *k = arg;
	struct sealb_run r;
	int rc = sealb_once(k->verify, k->shared, &r);

	sealb_free(&r);
	return rc;
}

/*
 * One relaxed SHA-256 body hash alone: a signer made (its slot in a
 * dkimsa_body), the body given, both freed.
 */
static int
sealb_hash_once(void *arg)
{
	struct sealb_run r;
	int rc;

	(void)arg;
	memset(&r, 0, sizeof(r));
	rc = dkimsa_body_new(&r.body);
	if (rc == 0)
		rc = sealb_signer(&r);
	if (rc == 0)
		rc = dkimsa_body_update(r.body, sealb_body, strlen(sealb_body));
	sealb_free(&r);
	return rc;
}

/* A body of kib KiB of text lines; the signed header for verify+seal. */
static int
sealb_message(int kib)
{
	static const char line[] = "The quick brown fox jumps over the lazy "
				   "dog,  and again and again.\r\n";
	size_t want = (size_t)kib * 1024, o;
	struct sealb_run r;
	int rc;

	free(sealb_body);
	free(sealb_sig);
	if ((sealb_body = malloc(want + sizeof(line))) == NULL)
		return DKIMSA_ENOMEM;
	for (o = 0; o + sizeof(line) - 1 <= want; o += sizeof(line) - 1)
		memcpy(sealb_body + o, line, sizeof(line) - 1);
	sealb_body[o] = '\0';
	memset(&r, 0, sizeof(r));
	rc = sealb_signer(&r);
	if (rc == 0)
		rc = dkimsa_sign_body(r.s, sealb_body, strlen(sealb_body));
	if (rc == 0)
		rc = dkimsa_sign_finish(r.s, &sealb_sig);
	dkimsa_sign_free(r.s);
	return rc;
}

int
main(int argc, char **argv)
{
	static const char *const modes[2] = {"sign+seal", "verify+seal"};
	const char *keyfile = NULL;
	double seconds = 1.5, u, s, h;
	int kibs[8], nkib = 0, i, k, m;
	char err[256];

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--key") == 0)
			keyfile = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--kib") == 0 && nkib < 8)
			kibs[nkib++] = atoi(argv[i + 1]);
	}
	if (nkib == 0) {
		kibs[nkib++] = 1;
		kibs[nkib++] = 100;
	}
	for (k = 0; k < nkib; k++)
		if (kibs[k] < 1 || kibs[k] > 65536)
			keyfile = NULL;
	if (keyfile == NULL || seconds <= 0) {
		fprintf(stderr, "usage: dkimsa-seal-bench --key FILE "
				"[--seconds S] [--kib N]...\n");
		return 2;
	}
	if (dkimsa_key_load(keyfile, &sealb_key, err, sizeof(err)) != 0 ||
	    dkimsa_key_record(sealb_key, &sealb_record) != 0) {
		fprintf(stderr, "dkimsa-seal-bench: %s\n", err);
		return 1;
	}
	for (k = 0; k < nkib; k++) {
		if (sealb_message(kibs[k]) != 0)
			return 1;
		h = benchrun_per_call(sealb_hash_once, NULL, seconds);
		for (m = 0; m < 2; m++) {
			struct sealb_case alone = {m, 0}, shared = {m, 1};

			u = benchrun_per_call(sealb_case_once, &alone, seconds);
			s = benchrun_per_call(sealb_case_once, &shared,
					      seconds);
			if (u < 0 || s < 0 || h < 0) {
				fprintf(stderr,
					"dkimsa-seal-bench: %s failed\n",
					modes[m]);
				return 1;
			}
			printf("RESULT seal-bench %s kib %d us_unshared %.1f "
			       "us_shared %.1f saved_us %.1f us_body_hash %.1f "
			       "identical %s\n",
			       modes[m], kibs[k], u, s, u - s, h,
			       sealb_identical(m) ? "yes" : "no");
		}
	}
	free(sealb_body);
	free(sealb_sig);
	free(sealb_record);
	dkimsa_key_free(sealb_key);
	return 0;
}
