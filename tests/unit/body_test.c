/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * body_test.c - one message's body hashes shared (dkimsa_body, body.c):
 * a message DKIM-signed and ARC-sealed, or verified and sealed, through
 * one shared dkimsa_body gives the same DKIM-Signature, verdicts and ARC
 * set, byte for byte, as each object hashing the body on its own, while
 * computing each distinct (canonicalisation, l=, digest) once (counted
 * in the object).  Then the order rules: what is shared is fed once,
 * new hashes cannot start after the body began, no body after a hash was
 * taken, and the objects and the body may be freed in any order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "dkimsa.h"
#include "t.h"

#define NOW 1700000000LL
#define MAXF 8

static const char *const hdrs[] = {"From: Alice <alice@example.org>",
				   "To: list@lists.example", "Subject: hello",
				   "Date: Thu, 26 Nov 2026 10:00:00 +0000",
				   "Message-ID: <body-test@example.org>"};
#define NHDRS (sizeof(hdrs) / sizeof(hdrs[0]))

/* Trailing blanks and empty lines: simple and relaxed differ. */
#define BODY "Hello,\r\nthis  is the body. \t\r\n\r\n-- \r\nAlice\r\n\r\n\r\n"

static dkimsa_key *rsa_key, *ed_key;
static char *rsa_rec, *ed_rec;

static int
key_fn(void *arg, const char *domain, const char *selector, char **txt,
       int *secure)
{
	(void)arg;
	(void)domain;
	*secure = 0;
	*txt = strdup(strcmp(selector, "ed") == 0 ? ed_rec : rsa_rec);
	return *txt ? DKIMSA_LOOKUP_OK : DKIMSA_LOOKUP_TEMPFAIL;
}

enum mode { SIGN_SEAL, VERIFY_SEAL };

struct row {
	const char *name;
	enum mode mode;
	const char *keys; /* signers (SIGN_SEAL) or signatures: "r", "e" */
	int bcanon;	  /* enum dkimsa_canon */
	long long l;	  /* l= of every signature; -1 none */
	int seal;
	const char *body; /* as signed */
	const char *got;  /* as received (VERIFY_SEAL), NULL: body */
	size_t chunk;	  /* body chunk size, 0: all at once */
	int hashes;	  /* distinct body hashes when shared */
};

static const struct row rows[] = {
    {"signer-relaxed-and-seal-share-one-body-hash", SIGN_SEAL, "r",
     DKIMSA_CANON_RELAXED, -1, 1, BODY, NULL, 0, 1},
    {"ed25519-signer-shares-the-seals-sha256-body-hash", SIGN_SEAL, "e",
     DKIMSA_CANON_RELAXED, -1, 1, BODY, NULL, 0, 1},
    {"simple-signer-and-relaxed-seal-keep-two-body-hashes", SIGN_SEAL, "r",
     DKIMSA_CANON_SIMPLE, -1, 1, BODY, NULL, 0, 2},
    {"signer-with-l-keeps-its-own-body-hash-beside-the-seals", SIGN_SEAL, "r",
     DKIMSA_CANON_RELAXED, 10, 1, BODY, NULL, 0, 2},
    {"two-signers-and-the-seal-share-one-body-hash", SIGN_SEAL, "re",
     DKIMSA_CANON_RELAXED, -1, 1, BODY, NULL, 0, 1},
    {"empty-body-signed-and-sealed-alike", SIGN_SEAL, "r", DKIMSA_CANON_RELAXED,
     -1, 1, "", NULL, 0, 1},
    {"body-in-one-byte-chunks-signed-and-sealed-alike", SIGN_SEAL, "re",
     DKIMSA_CANON_SIMPLE, -1, 1, BODY, NULL, 1, 2},
    {"signer-alone-without-a-seal-alike", SIGN_SEAL, "r", DKIMSA_CANON_SIMPLE,
     5, 0, BODY, NULL, 7, 1},
    {"verified-relaxed-signature-and-seal-share-one-body-hash", VERIFY_SEAL,
     "r", DKIMSA_CANON_RELAXED, -1, 1, BODY, NULL, 0, 1},
    {"verified-simple-signature-and-seal-keep-two-body-hashes", VERIFY_SEAL,
     "e", DKIMSA_CANON_SIMPLE, -1, 1, BODY, NULL, 3, 2},
    {"verified-signature-with-l-and-seal-keep-two-body-hashes", VERIFY_SEAL,
     "r", DKIMSA_CANON_RELAXED, 12, 1, BODY, BODY "appended\r\n", 0, 2},
    {"two-verified-signatures-and-the-seal-share-one-body-hash", VERIFY_SEAL,
     "re", DKIMSA_CANON_RELAXED, -1, 1, BODY, NULL, 0, 1},
    {"verified-changed-body-fails-alike", VERIFY_SEAL, "re",
     DKIMSA_CANON_RELAXED, -1, 1, BODY, "changed\r\n", 0, 1},
};

/* What one run produced: fields and verdicts, all owned. */
struct out {
	char *f[MAXF]; /* DKIM-Signatures, then AAR, AMS, AS */
	int nf, rc, nhashes;
	char verdicts[256];
};

static void
out_free(struct out *o)
{
	while (o->nf > 0)
		free(o->f[--o->nf]);
}

static dkimsa_sign *
new_signer(const struct row *r, char k)
{
	dkimsa_sign_opts o;
	dkimsa_sign *s = NULL;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.domain = "example.org";
	o.selector = k == 'e' ? "ed" : "rsa";
	o.key = k == 'e' ? ed_key : rsa_key;
	o.header_canon = DKIMSA_CANON_RELAXED;
	o.body_canon = r->bcanon;
	o.now = NOW;
	o.body_limit = r->l;
	if (dkimsa_sign_new(&o, &s) != 0)
		return NULL;
	for (i = 0; i < NHDRS; i++)
		dkimsa_sign_header(s, hdrs[i], strlen(hdrs[i]));
	return s;
}

/* The DKIM-Signatures of r's keys over hdrs and r->body, unshared. */
static int
sign_plain(const struct row *r, struct out *o)
{
	const char *k;
	dkimsa_sign *s;
	int rc = 0;

	for (k = r->keys; *k && rc == 0 && o->nf < MAXF; k++) {
		if ((s = new_signer(r, *k)) == NULL)
			return DKIMSA_ENOMEM;
		rc = dkimsa_sign_body(s, r->body, strlen(r->body));
		if (rc == 0)
			rc = dkimsa_sign_finish(s, &o->f[o->nf]);
		o->nf += rc == 0;
		dkimsa_sign_free(s);
	}
	return rc;
}

/* Gives the body to the shared object or to each object, in chunks. */
struct feed {
	dkimsa_body *body;
	dkimsa_sign *s[4];
	int ns;
	dkimsa_verify *v;
	dkimsa_arc *a;
};

static int
feed_chunk(struct feed *fd, const char *p, size_t n)
{
	int i, rc = 0;

	if (fd->body != NULL)
		return dkimsa_body_update(fd->body, p, n);
	for (i = 0; rc == 0 && i < fd->ns; i++)
		rc = dkimsa_sign_body(fd->s[i], p, n);
	if (rc == 0 && fd->v != NULL)
		rc = dkimsa_verify_body(fd->v, p, n);
	if (rc == 0 && fd->a != NULL)
		rc = dkimsa_arc_body(fd->a, p, n);
	return rc;
}

static int
feed(struct feed *fd, const char *body, size_t chunk)
{
	size_t len = strlen(body), off = 0, n;
	int rc = 0;

	if (chunk == 0)
		chunk = len;
	while (rc == 0 && off < len) {
		n = len - off < chunk ? len - off : chunk;
		rc = feed_chunk(fd, body + off, n);
		off += n;
	}
	return rc;
}

static int
seal(dkimsa_arc *a, struct out *o)
{
	dkimsa_arc_seal_opts so;
	int rc;

	memset(&so, 0, sizeof(so));
	so.domain = "lists.example";
	so.selector = "rsa";
	so.key = rsa_key;
	so.authserv_id = "mx.lists.example";
	so.results = "dkim=pass header.d=example.org";
	so.t = NOW;
	if (o->nf + 3 > MAXF)
		return DKIMSA_EINVAL;
	rc = dkimsa_arc_seal(a, &so, &o->f[o->nf], &o->f[o->nf + 1],
			     &o->f[o->nf + 2]);
	if (rc == 0)
		o->nf += 3;
	return rc;
}

/* The ARC object over fields (extra first, then hdrs). */
static int
arc_start(struct feed *fd, char *const *extra, int nextra)
{
	size_t i;
	int j, rc = dkimsa_arc_new(NULL, &fd->a);

	if (rc != 0)
		return rc;
	dkimsa_arc_set_key_fn(fd->a, key_fn, NULL);
	dkimsa_arc_set_time(fd->a, NOW);
	if (fd->body != NULL)
		rc = dkimsa_arc_set_body(fd->a, fd->body);
	if (rc == 0)
		rc = dkimsa_arc_set_sealing(fd->a, 1);
	for (j = 0; rc == 0 && j < nextra; j++)
		rc = dkimsa_arc_header(fd->a, extra[j], strlen(extra[j]));
	for (i = 0; rc == 0 && i < NHDRS; i++)
		rc = dkimsa_arc_header(fd->a, hdrs[i], strlen(hdrs[i]));
	return rc == 0 ? dkimsa_arc_eoh(fd->a) : rc;
}

/* Signs with every key of r and seals, sharing the body or not. */
static void
run_sign(const struct row *r, int shared, struct out *o)
{
	struct feed fd;
	const char *k;
	int i, rc = 0;

	memset(&fd, 0, sizeof(fd));
	if (shared)
		rc = dkimsa_body_new(&fd.body);
	for (k = r->keys; *k && rc == 0; k++) {
		if ((fd.s[fd.ns] = new_signer(r, *k)) == NULL)
			rc = DKIMSA_ENOMEM;
		else if (shared)
			rc = dkimsa_sign_set_body(fd.s[fd.ns], fd.body);
		fd.ns++;
	}
	if (rc == 0 && r->seal)
		rc = arc_start(&fd, NULL, 0);
	if (rc == 0)
		rc = feed(&fd, r->body, r->chunk);
	for (i = 0; rc == 0 && i < fd.ns; i++)
		if ((rc = dkimsa_sign_finish(fd.s[i], &o->f[o->nf])) == 0)
			o->nf++;
	if (rc == 0 && fd.a != NULL)
		rc = dkimsa_arc_finish(fd.a);
	if (rc == 0 && fd.a != NULL)
		rc = seal(fd.a, o);
	o->rc = rc;
	o->nhashes = fd.body != NULL ? fd.body->n : -1;
	for (i = 0; i < fd.ns; i++)
		dkimsa_sign_free(fd.s[i]);
	dkimsa_arc_free(fd.a);
	dkimsa_body_free(fd.body);
}

/* Verifies the signed message (sigs on top of hdrs) and seals it. */
static void
run_verify(const struct row *r, int shared, char *const *sigs, int nsigs,
	   struct out *o)
{
	struct feed fd;
	const char *got = r->got ? r->got : r->body;
	size_t i;
	int j, rc = 0, n;

	memset(&fd, 0, sizeof(fd));
	if (shared)
		rc = dkimsa_body_new(&fd.body);
	if (rc == 0)
		rc = dkimsa_verify_new(NULL, &fd.v);
	if (rc == 0) {
		dkimsa_verify_set_key_fn(fd.v, key_fn, NULL);
		dkimsa_verify_set_time(fd.v, NOW);
		if (shared)
			rc = dkimsa_verify_set_body(fd.v, fd.body);
	}
	for (j = 0; rc == 0 && j < nsigs; j++)
		rc = dkimsa_verify_header(fd.v, sigs[j], strlen(sigs[j]));
	for (i = 0; rc == 0 && i < NHDRS; i++)
		rc = dkimsa_verify_header(fd.v, hdrs[i], strlen(hdrs[i]));
	if (rc == 0)
		rc = dkimsa_verify_eoh(fd.v);
	if (rc == 0)
		rc = arc_start(&fd, sigs, nsigs);
	if (rc == 0)
		rc = feed(&fd, got, r->chunk);
	if (rc == 0)
		rc = dkimsa_verify_finish(fd.v);
	for (j = 0, n = 0; rc == 0 && j < dkimsa_verify_count(fd.v); j++) {
		const dkimsa_sigresult *res = dkimsa_verify_result(fd.v, j);

		n += snprintf(o->verdicts + n, sizeof(o->verdicts) - (size_t)n,
			      "%s%d/%lld", j ? " " : "", res->result,
			      res->body_seen);
	}
	if (rc == 0)
		rc = dkimsa_arc_finish(fd.a);
	if (rc == 0)
		rc = seal(fd.a, o);
	o->rc = rc;
	o->nhashes = fd.body != NULL ? fd.body->n : -1;
	dkimsa_verify_free(fd.v);
	dkimsa_arc_free(fd.a);
	dkimsa_body_free(fd.body);
}

/* "2/48 2/48": every signature has the result wanted. */
static int
verdicts_all(const char *v, int result)
{
	char want[8];
	size_t n;

	snprintf(want, sizeof(want), "%d/", result);
	if (*v == '\0')
		return 0;
	while (*v) {
		if (strncmp(v, want, strlen(want)) != 0)
			return 0;
		n = strcspn(v, " ");
		v += n + (v[n] == ' ');
	}
	return 1;
}

static void
test_row(const struct row *r)
{
	struct out plain, shared, sigs;
	char name[160];
	int i, same;

	memset(&plain, 0, sizeof(plain));
	memset(&shared, 0, sizeof(shared));
	memset(&sigs, 0, sizeof(sigs));
	if (r->mode == SIGN_SEAL) {
		run_sign(r, 0, &plain);
		run_sign(r, 1, &shared);
	} else {
		sigs.rc = sign_plain(r, &sigs);
		run_verify(r, 0, sigs.f, sigs.nf, &plain);
		run_verify(r, 1, sigs.f, sigs.nf, &shared);
	}
	same = plain.rc == 0 && shared.rc == 0 && sigs.rc == 0 &&
	       plain.nf == shared.nf &&
	       plain.nf == (r->mode == SIGN_SEAL ? (int)strlen(r->keys) : 0) +
			       3 * r->seal &&
	       strcmp(plain.verdicts, shared.verdicts) == 0;
	for (i = 0; same && i < plain.nf; i++)
		same = strcmp(plain.f[i], shared.f[i]) == 0;
	if (r->mode == VERIFY_SEAL) /* and the verdicts are the real ones */
		same =
		    same && verdicts_all(plain.verdicts, r->got && r->l < 0
							     ? DKIMSA_RES_FAIL
							     : DKIMSA_RES_PASS);
	snprintf(name, sizeof(name), "%s: same fields and verdicts", r->name);
	t_ok(same, name,
	     "rc %d/%d/%d, %d/%d fields, verdicts \"%s\"/\"%s\", first "
	     "field differing: %d",
	     plain.rc, shared.rc, sigs.rc, plain.nf, shared.nf, plain.verdicts,
	     shared.verdicts, i - 1);
	snprintf(name, sizeof(name), "%s: hashes", r->name);
	t_ok(shared.nhashes == r->hashes, name,
	     "%d distinct body hashes, want %d", shared.nhashes, r->hashes);
	out_free(&plain);
	out_free(&shared);
	out_free(&sigs);
}

/* ---- the order rules ---- */

struct order_case {
	const char *name;
	int (*run)(void);
	int want; /* return code */
};

static const struct row order_row = {
    "order", SIGN_SEAL, "r", DKIMSA_CANON_RELAXED, -1, 1, BODY, NULL, 0, 1};

static int
order_signer_own_bytes(void)
{
	dkimsa_body *b = NULL;
	dkimsa_sign *s = new_signer(&order_row, 'r');
	int rc = dkimsa_body_new(&b);

	if (rc == 0)
		rc = dkimsa_sign_set_body(s, b);
	if (rc == 0)
		rc = dkimsa_sign_body(s, "x\r\n", 3);
	dkimsa_sign_free(s);
	dkimsa_body_free(b);
	return rc;
}

static int
order_verifier_own_bytes(void)
{
	dkimsa_body *b = NULL;
	dkimsa_verify *v = NULL;
	int rc = dkimsa_body_new(&b);

	if (rc == 0)
		rc = dkimsa_verify_new(NULL, &v);
	if (rc == 0)
		rc = dkimsa_verify_set_body(v, b);
	if (rc == 0)
		rc = dkimsa_verify_eoh(v);
	if (rc == 0)
		rc = dkimsa_verify_body(v, "x\r\n", 3);
	dkimsa_verify_free(v);
	dkimsa_body_free(b);
	return rc;
}

static int
order_arc_own_bytes(void)
{
	struct feed fd;
	int rc;

	memset(&fd, 0, sizeof(fd));
	rc = dkimsa_body_new(&fd.body);
	if (rc == 0)
		rc = arc_start(&fd, NULL, 0);
	if (rc == 0)
		rc = dkimsa_arc_body(fd.a, "x\r\n", 3);
	dkimsa_arc_free(fd.a);
	dkimsa_body_free(fd.body);
	return rc;
}

/* A simple-body signer after a relaxed one's body began. */
static int
order_new_hash_after_body(void)
{
	struct row simple = order_row;
	dkimsa_body *b = NULL;
	dkimsa_sign *s1 = new_signer(&order_row, 'r'), *s2;
	int rc = dkimsa_body_new(&b);

	simple.bcanon = DKIMSA_CANON_SIMPLE;
	s2 = new_signer(&simple, 'r');
	if (rc == 0)
		rc = dkimsa_sign_set_body(s1, b);
	if (rc == 0)
		rc = dkimsa_body_update(b, "x\r\n", 3);
	if (rc == 0)
		rc = dkimsa_sign_set_body(s2, b);
	dkimsa_sign_free(s1);
	dkimsa_sign_free(s2);
	dkimsa_body_free(b);
	return rc;
}

static int
order_body_after_hash_taken(void)
{
	dkimsa_body *b = NULL;
	dkimsa_sign *s = new_signer(&order_row, 'r');
	char *f = NULL;
	int rc = dkimsa_body_new(&b);

	if (rc == 0)
		rc = dkimsa_sign_set_body(s, b);
	if (rc == 0)
		rc = dkimsa_sign_finish(s, &f);
	if (rc == 0)
		rc = dkimsa_body_update(b, "x\r\n", 3);
	free(f);
	dkimsa_sign_free(s);
	dkimsa_body_free(b);
	return rc;
}

static int
order_signer_attached_twice(void)
{
	dkimsa_body *b = NULL;
	dkimsa_sign *s = new_signer(&order_row, 'r');
	int rc = dkimsa_body_new(&b);

	if (rc == 0)
		rc = dkimsa_sign_set_body(s, b);
	if (rc == 0)
		rc = dkimsa_sign_set_body(s, b);
	dkimsa_sign_free(s);
	dkimsa_body_free(b);
	return rc;
}

static int
order_arc_after_eoh(void)
{
	dkimsa_body *b = NULL;
	dkimsa_arc *a = NULL;
	int rc = dkimsa_body_new(&b);

	if (rc == 0)
		rc = dkimsa_arc_new(NULL, &a);
	if (rc == 0)
		rc = dkimsa_arc_eoh(a);
	if (rc == 0)
		rc = dkimsa_arc_set_body(a, b);
	dkimsa_arc_free(a);
	dkimsa_body_free(b);
	return rc;
}

/*
 * The body object dropped by its creator first, the signer finishing
 * after: its reference keeps the hash (ASan sees a use after free), and
 * the signature is the unshared one.
 */
static int
order_body_freed_first(void)
{
	struct out plain;
	dkimsa_body *b = NULL;
	dkimsa_sign *s = new_signer(&order_row, 'r');
	char *f = NULL;
	int rc = dkimsa_body_new(&b);

	memset(&plain, 0, sizeof(plain));
	if (rc == 0)
		rc = dkimsa_sign_set_body(s, b);
	if (rc == 0)
		rc = dkimsa_body_update(b, BODY, strlen(BODY));
	dkimsa_body_free(b);
	if (rc == 0)
		rc = dkimsa_sign_finish(s, &f);
	if (rc == 0)
		rc = sign_plain(&order_row, &plain);
	if (rc == 0 && strcmp(f, plain.f[0]) != 0)
		rc = DKIMSA_ECRYPTO;
	free(f);
	out_free(&plain);
	dkimsa_sign_free(s);
	return rc;
}

static const struct order_case order_cases[] = {
    {"a-shared-signer-refuses-body-bytes-of-its-own", order_signer_own_bytes,
     DKIMSA_ESTATE},
    {"a-shared-verifier-refuses-body-bytes-of-its-own",
     order_verifier_own_bytes, DKIMSA_ESTATE},
    {"a-shared-arc-object-refuses-body-bytes-of-its-own", order_arc_own_bytes,
     DKIMSA_ESTATE},
    {"a-new-kind-of-hash-after-the-body-began-is-refused",
     order_new_hash_after_body, DKIMSA_ESTATE},
    {"body-bytes-after-a-hash-was-taken-are-refused",
     order_body_after_hash_taken, DKIMSA_ESTATE},
    {"a-signer-attached-twice-is-refused", order_signer_attached_twice,
     DKIMSA_ESTATE},
    {"an-arc-object-attached-after-end-of-headers-is-refused",
     order_arc_after_eoh, DKIMSA_ESTATE},
    {"the-body-freed-before-the-signer-finishes-keeps-the-hash",
     order_body_freed_first, 0},
};

static int
load(const char *file, dkimsa_key **key, char **rec)
{
	char path[512], err[256];

	snprintf(path, sizeof(path), "%s/%s", KEYDIR, file);
	if (dkimsa_key_load(path, key, err, sizeof(err)) != 0 ||
	    dkimsa_key_record(*key, rec) != 0) {
		printf("FAIL: key %s loads: %s\n", file, err);
		return -1;
	}
	return 0;
}

int
main(void)
{
	size_t i;
	int rc;

	if (load("rsa2048.pem", &rsa_key, &rsa_rec) != 0 ||
	    load("ed25519.pem", &ed_key, &ed_rec) != 0)
		return 1;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		test_row(&rows[i]);
	for (i = 0; i < sizeof(order_cases) / sizeof(order_cases[0]); i++) {
		rc = order_cases[i].run();
		t_ok(rc == order_cases[i].want, order_cases[i].name,
		     "rc %d (%s), want %d", rc, dkimsa_strerror(rc),
		     order_cases[i].want);
	}
	dkimsa_key_free(rsa_key);
	dkimsa_key_free(ed_key);
	free(rsa_rec);
	free(ed_rec);
	return t_exit();
}
