/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcbench.c - dkimsa-arc-bench: what validating an ARC chain costs
 * beyond its RSA verifications (RFC 8617 5.2), single thread.
 *
 *   dkimsa-arc-bench --rsa-key FILE [--hops N] [--seconds S]
 *                    [--oldest-pass yes|no]
 *
 * Seals a message (1 KiB body, 7 header fields) N times (default 3) with
 * the RSA key through dkimsa_arc_seal, then repeats the whole validation
 * of the chain (new, headers, end of headers, body, finish, free) for
 * about S seconds and, for as long, one bare RSA verification of a
 * SHA-256 digest with the same key through OpenSSL EVP.  Keys come from a
 * callback that copies the record from memory, as a warm DNS cache
 * would, and are parsed once (the library's parsed-key cache, as in the
 * milter).  CPU time (CLOCK_PROCESS_CPUTIME_ID).  Prints:
 *   RESULT arc-chain hops N us_per_chain C us_per_rsa_verify V
 *     verifies_done K overhead_us C-K*V overhead_contract_us C-(N+1)*V
 * where K is the number of verifications the library makes (N seals, N
 * message signatures: oldest-pass checks every AMS; with --oldest-pass
 * no, as the milter without ARCTrustedSealers, the latest only: N+1)
 * and N+1 the count of the budget (N seals + the latest AMS).
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchrun.h"
#include "dkimsa.h"

#define MAXH 64

static char *arcb_record;
/* The library handle: parsed keys kept in its cache, as in the milter. */
static dkimsa_lib *arcb_lib;
static int arcb_oldest = 1;

struct arcb_msg {
	char *h[MAXH];
	int n;
	char body[1100];
};

static void
arcb_msg_init(struct arcb_msg *m)
{
	static const char *const hdr[] = {
	    "From: Joe SixPack <joe@football.example.com>",
	    "To: Suzie Q <suzie@shopping.example.net>",
	    "Subject: Is dinner ready?",
	    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
	    "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
	    "MIME-Version: 1.0",
	    "Content-Type: text/plain; charset=us-ascii"};
	size_t i, o = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++)
		m->h[m->n++] = strdup(hdr[i]);
	while (o + 64 < 1024) {
		memcpy(m->body + o,
		       "The quick brown fox jumps over the lazy dog,"
		       " and again and again.\r\n",
		       63);
		o += 63;
	}
	m->body[o] = '\0';
}

/* out: keep the object, ready to seal (our body hash computed). */
static int
arcb_validate(const struct arcb_msg *m, dkimsa_arc **out)
{
	dkimsa_arc *a = NULL;
	int i, rc = dkimsa_arc_new(arcb_lib, &a);

	if (rc == 0) {
		dkimsa_arc_set_key_fn(a, benchrun_key_fn, arcb_record);
		rc = dkimsa_arc_set_sealing(a, out != NULL);
	}
	if (rc == 0 && out == NULL)
		rc = dkimsa_arc_set_oldest_pass(a, arcb_oldest);
	for (i = 0; rc == 0 && i < m->n; i++)
		rc = dkimsa_arc_header(a, m->h[i], strlen(m->h[i]));
	if (rc == 0)
		rc = dkimsa_arc_eoh(a);
	if (rc == 0)
		rc = dkimsa_arc_body(a, m->body, strlen(m->body));
	if (rc == 0)
		rc = dkimsa_arc_finish(a);
	if (out != NULL && rc == 0)
		*out = a;
	else
		dkimsa_arc_free(a);
	return rc;
}

static int
arcb_seal(struct arcb_msg *m, dkimsa_key *key, int hop)
{
	dkimsa_arc_seal_opts o;
	dkimsa_arc *a = NULL;
	char *f[3];
	int rc = arcb_validate(m, &a), i;

	if (rc != 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.domain = hop % 2 ? "fwd.example" : "lists.example";
	o.selector = "rsa";
	o.key = key;
	o.authserv_id = "mx.example";
	o.results = "spf=pass smtp.mailfrom=football.example.com";
	rc = dkimsa_arc_seal(a, &o, &f[0], &f[1], &f[2]);
	dkimsa_arc_free(a);
	for (i = 0; rc == 0 && i < 3 && m->n < MAXH; i++) {
		memmove(m->h + 1, m->h, (size_t)m->n * sizeof(char *));
		m->h[0] = f[i];
		m->n++;
	}
	return rc;
}

/* Microseconds of CPU per bare RSA verification of a SHA-256 digest. */
static double
arcb_rsa_verify_us(const char *path, double seconds)
{
	unsigned char md[32], sig[1024];
	size_t siglen = sizeof(sig);
	FILE *fp = fopen(path, "r");
	EVP_PKEY *pk = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;
	EVP_PKEY_CTX *ctx;
	double t0, t;
	long n = 0;

	if (fp != NULL)
		fclose(fp);
	memset(md, 7, sizeof(md));
	if (pk == NULL || (ctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL ||
	    EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_sign(ctx, sig, &siglen, md, sizeof(md)) <= 0 ||
	    EVP_PKEY_verify_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0)
		return -1;
	t0 = benchrun_cpu();
	do {
		if (EVP_PKEY_verify(ctx, sig, siglen, md, sizeof(md)) != 1)
			return -1;
		n++;
	} while ((t = benchrun_cpu()) - t0 < seconds);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return (t - t0) * 1e6 / (double)n;
}

int
main(int argc, char **argv)
{
	const char *keyfile = NULL;
	double seconds = 1.5, t0, t, chain_us, verify_us;
	int hops = 3, i, rc;
	long n = 0;
	char err[256];
	dkimsa_key *key = NULL;
	struct arcb_msg m;
	dkimsa_arc *a;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rsa-key") == 0)
			keyfile = argv[i + 1];
		else if (strcmp(argv[i], "--hops") == 0)
			hops = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--oldest-pass") == 0)
			arcb_oldest = strcmp(argv[i + 1], "no") != 0;
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
	}
	if (keyfile == NULL || hops < 1 || hops > 50 || seconds <= 0) {
		fprintf(stderr, "usage: dkimsa-arc-bench --rsa-key FILE "
				"[--hops N] [--seconds S] "
				"[--oldest-pass yes|no]\n");
		return 2;
	}
	if (dkimsa_key_load(keyfile, &key, err, sizeof(err)) != 0 ||
	    dkimsa_key_record(key, &arcb_record) != 0) {
		fprintf(stderr, "dkimsa-arc-bench: %s\n", err);
		return 1;
	}
	if ((arcb_lib = dkimsa_lib_new()) == NULL) {
		fprintf(stderr, "dkimsa-arc-bench: out of memory\n");
		return 1;
	}
	arcb_msg_init(&m);
	for (i = 0, rc = 0; rc == 0 && i < hops; i++)
		rc = arcb_seal(&m, key, i);
	a = NULL;
	if (rc == 0)
		rc = arcb_validate(&m, &a);
	if (rc != 0 || dkimsa_arc_get_result(a)->result != DKIMSA_RES_PASS) {
		fprintf(stderr, "dkimsa-arc-bench: the chain does not pass\n");
		return 1;
	}
	dkimsa_arc_free(a);
	t0 = benchrun_cpu();
	do {
		if (arcb_validate(&m, NULL) != 0)
			return 1;
		n++;
	} while ((t = benchrun_cpu()) - t0 < seconds);
	chain_us = (t - t0) * 1e6 / (double)n;
	verify_us = arcb_rsa_verify_us(keyfile, seconds);
	if (verify_us < 0) {
		fprintf(stderr, "dkimsa-arc-bench: openssl verify failed\n");
		return 1;
	}
	printf("RESULT arc-chain hops %d us_per_chain %.1f us_per_rsa_verify "
	       "%.1f verifies_done %d overhead_us %.1f overhead_contract_us "
	       "%.1f\n",
	       hops, chain_us, verify_us, arcb_oldest ? 2 * hops : hops + 1,
	       chain_us - (arcb_oldest ? 2 * hops : hops + 1) * verify_us,
	       chain_us - (hops + 1) * verify_us);
	for (i = 0; i < m.n; i++)
		free(m.h[i]);
	free(arcb_record);
	dkimsa_key_free(key);
	dkimsa_lib_free(arcb_lib);
	return 0;
}
