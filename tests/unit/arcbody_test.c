/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcbody_test.c - the ARC work done only when it is needed: our own
 * seal body hash exists only when the caller enabled sealing before the
 * body (a seal without it is refused with DKIMSA_ENOSEAL), AMSs with the
 * same canonicalisation share one body hash with each other and with the
 * seal (body.c, counted in the object), oldest-pass is determined
 * only when asked (on by default), and dkimsa_arc_keys_ready says when
 * finish would not wait for DNS.  Keys come from the library's
 * table DNS (immediate answers, as from the answer cache) or a callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc.h"
#include "dkimsa.h"
#include "dkimsa_test.h"
#include "t.h"

#define MAXH 64

struct msg {
	char *h[MAXH];
	int n;
	const char *body;
};

static void
msg_init(struct msg *m)
{
	static const char *const base[] = {
	    "From: Alice <alice@example.org>", "To: list@lists.example",
	    "Subject: hello", "Date: Thu, 26 Nov 2026 10:00:00 +0000"};
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		m->h[m->n++] = strdup(base[i]);
	m->body = "Hello,\r\nthis is  the body.\r\n\r\n";
}

static void
msg_free(struct msg *m)
{
	while (m->n > 0)
		free(m->h[--m->n]);
}

static int no_oldest; /* run() turns oldest-pass off */

/* Stages of one run, for the keys-ready rows. */
struct run {
	int rc, ready_before_eoh, ready_after_eoh, ready_after_finish;
};

static int
cb_key_fn(void *arg, const char *domain, const char *selector, char **txt,
	  int *secure)
{
	(void)domain;
	(void)selector;
	(void)secure;
	*txt = strdup(arg);
	return *txt ? DKIMSA_LOOKUP_OK : DKIMSA_LOOKUP_TEMPFAIL;
}

/* Validates m (sealing as asked, keys through lib or key_rec). */
static dkimsa_arc *
run(dkimsa_lib *lib, const char *key_rec, const struct msg *m, int seal,
    struct run *r)
{
	dkimsa_arc *a = NULL;
	int i;

	memset(r, 0, sizeof(*r));
	if ((r->rc = dkimsa_arc_new(lib, &a)) != 0)
		return NULL;
	if (key_rec != NULL)
		dkimsa_arc_set_key_fn(a, cb_key_fn, (void *)key_rec);
	dkimsa_arc_set_time(a, 1700000000);
	r->rc = dkimsa_arc_set_sealing(a, seal);
	if (r->rc == 0 && no_oldest)
		r->rc = dkimsa_arc_set_oldest_pass(a, 0);
	for (i = 0; r->rc == 0 && i < m->n; i++)
		r->rc = dkimsa_arc_header(a, m->h[i], strlen(m->h[i]));
	r->ready_before_eoh = dkimsa_arc_keys_ready(a);
	if (r->rc == 0)
		r->rc = dkimsa_arc_eoh(a);
	r->ready_after_eoh = dkimsa_arc_keys_ready(a);
	if (r->rc == 0)
		r->rc = dkimsa_arc_body(a, m->body, strlen(m->body));
	if (r->rc == 0)
		r->rc = dkimsa_arc_finish(a);
	r->ready_after_finish = dkimsa_arc_keys_ready(a);
	return a;
}

static int
seal(dkimsa_arc *a, dkimsa_key *key, int hop, char *f[3])
{
	dkimsa_arc_seal_opts o;

	memset(&o, 0, sizeof(o));
	o.domain = hop % 2 ? "fwd.example" : "lists.example";
	o.selector = "ed";
	o.key = key;
	o.authserv_id = "mx.example";
	o.results = "dkim=pass header.d=example.org";
	return dkimsa_arc_seal(a, &o, &f[0], &f[1], &f[2]);
}

/* One hop: validate with sealing on, add the set on top. */
static int
hop(dkimsa_lib *lib, struct msg *m, dkimsa_key *key, int n)
{
	struct run r;
	dkimsa_arc *a = run(lib, NULL, m, 1, &r);
	char *f[3] = {NULL, NULL, NULL};
	int i, rc = r.rc != 0 ? r.rc : seal(a, key, n, f);

	dkimsa_arc_free(a);
	for (i = 0; i < 3; i++) {
		if (rc == 0 && m->n < MAXH) {
			memmove(m->h + 1, m->h, (size_t)m->n * sizeof(char *));
			m->h[0] = f[i];
			m->n++;
		} else {
			free(f[i]);
		}
	}
	return rc;
}

static void
test_unsealed(dkimsa_lib *lib, dkimsa_key *key)
{
	struct msg m;
	struct run r;
	dkimsa_arc *a;
	char *f[3] = {NULL, NULL, NULL};
	int rc;

	msg_init(&m);
	a = run(lib, NULL, &m, 0, &r);
	t_ok(r.rc == 0 && a->body->n == 0,
	     "no-arc-fields-and-no-sealing-hash-no-body", "rc %d, %d hashes",
	     r.rc, a ? a->body->n : -1);
	rc = seal(a, key, 0, f);
	t_ok(rc == DKIMSA_ENOSEAL && f[0] == NULL &&
		 strstr(dkimsa_strerror(rc), "not enabled") != NULL,
	     "seal-refused-when-sealing-was-not-enabled", "rc %d (%s)", rc,
	     dkimsa_strerror(rc));
	free(f[0]);
	free(f[1]);
	free(f[2]);
	rc = dkimsa_arc_set_sealing(a, 1);
	t_ok(rc == DKIMSA_ESTATE,
	     "sealing-enabled-after-end-of-headers-is-out-of-order", "rc %d",
	     rc);
	dkimsa_arc_free(a);
	a = run(lib, NULL, &m, 1, &r);
	t_ok(r.rc == 0 && a->body->n == 1 && a->seal_bh == 0,
	     "sealing-on-hashes-the-body-once-for-the-seal",
	     "rc %d, %d hashes, seal slot %d", r.rc, a ? a->body->n : -1,
	     a ? a->seal_bh : -1);
	dkimsa_arc_free(a);
	msg_free(&m);
}

static void
test_shared(dkimsa_lib *lib, dkimsa_key *key)
{
	struct msg m;
	struct run r;
	dkimsa_arc *a;
	int i, rc = 0;

	msg_init(&m);
	for (i = 0; rc == 0 && i < 3; i++)
		rc = hop(lib, &m, key, i);
	t_ok(rc == 0, "three-hops-sealed", "rc %d (%s)", rc,
	     dkimsa_strerror(rc));
	a = run(lib, NULL, &m, 0, &r);
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_PASS && a->body->n == 1 &&
		 a->seal_bh == -1,
	     "three-relaxed-ams-share-one-body-hash-without-sealing",
	     "rc %d result %d (%s), %d hashes, seal slot %d", r.rc,
	     a ? a->res.result : -1, a ? a->res.reason : "",
	     a ? a->body->n : -1, a ? a->seal_bh : -1);
	dkimsa_arc_free(a);
	a = run(lib, NULL, &m, 1, &r);
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_PASS && a->body->n == 1 &&
		 a->seal_bh == 0 && a->set[1].bh == 0 && a->set[3].bh == 0,
	     "the-seal-shares-the-body-hash-of-relaxed-ams",
	     "rc %d result %d, %d hashes, seal slot %d", r.rc,
	     a ? a->res.result : -1, a ? a->body->n : -1, a ? a->seal_bh : -1);
	dkimsa_arc_free(a);
	/* a body changed after the seals: the one hash fails every AMS */
	m.body = "Hello,\r\nthis is the body.\r\n-- \r\nlist footer\r\n";
	a = run(lib, NULL, &m, 0, &r);
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_FAIL &&
		 a->res.failed_instance == 3,
	     "a-changed-body-fails-the-latest-ams-through-the-shared-hash",
	     "rc %d result %d instance %d (%s)", r.rc, a ? a->res.result : -1,
	     a ? a->res.failed_instance : -1, a ? a->res.reason : "");
	dkimsa_arc_free(a);
	msg_free(&m);
}

/* A-R resinfo of a's result. */
static char *
ar_text(const dkimsa_arc *a)
{
	dkimsa_ar *ar = NULL;
	char *out = NULL;

	if (dkimsa_ar_new("mx.example", &ar) == 0 &&
	    dkimsa_ar_add_arc(ar, dkimsa_arc_get_result(a)) == 0)
		dkimsa_ar_finish(ar, &out);
	dkimsa_ar_free(ar);
	return out;
}

/* Oldest-pass off: the same result, not determined, nothing hashed for
 * the earlier AMSs; on: the earlier AMSs are checked (a footer added
 * after hop 1 and sealed over with cv=pass moves it to 2). */
static void
test_oldest_pass(dkimsa_lib *lib, dkimsa_key *key)
{
	struct msg m;
	struct run r;
	dkimsa_arc *a;
	char *ar;
	int i, rc = 0;

	msg_init(&m);
	for (i = 0; rc == 0 && i < 3; i++)
		rc = hop(lib, &m, key, i);
	no_oldest = 1;
	a = run(lib, NULL, &m, 0, &r);
	no_oldest = 0;
	ar = a ? ar_text(a) : NULL;
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_PASS &&
		 a->res.oldest_pass == -1 &&
		 a->res.oldest_pass_sealer[0] == 0 && ar != NULL &&
		 strstr(ar, "arc=pass (sealer lists.example)") &&
		 !strstr(ar, "oldest-pass"),
	     "oldest-pass-off-passes-without-determining-it",
	     "rc %d result %d oldest %d (%s) A-R %s", r.rc,
	     a ? a->res.result : -1, a ? a->res.oldest_pass : -2,
	     a ? a->res.reason : "", ar ? ar : "(null)");
	t_ok(a != NULL && a->set[1].bh == -1 && a->set[2].bh == -1 &&
		 a->set[3].bh == 0,
	     "oldest-pass-off-hashes-the-body-for-the-latest-ams-only",
	     "slots %d %d %d", a ? a->set[1].bh : -9, a ? a->set[2].bh : -9,
	     a ? a->set[3].bh : -9);
	t_ok(a != NULL && dkimsa_arc_set_oldest_pass(a, 1) == DKIMSA_ESTATE,
	     "oldest-pass-set-after-end-of-headers-is-out-of-order",
	     "accepted");
	free(ar);
	dkimsa_arc_free(a);
	a = run(lib, NULL, &m, 0, &r);
	ar = a ? ar_text(a) : NULL;
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_PASS &&
		 a->res.oldest_pass == 0 &&
		 strcmp(a->res.oldest_pass_sealer, "lists.example") == 0 &&
		 ar != NULL && strstr(ar, "header.oldest-pass=0"),
	     "oldest-pass-on-by-default-is-reported", "rc %d oldest %d A-R %s",
	     r.rc, a ? a->res.oldest_pass : -2, ar ? ar : "(null)");
	free(ar);
	dkimsa_arc_free(a);
	msg_free(&m);
}

static void
test_keys_ready(dkimsa_lib *lib, dkimsa_key *key, const char *rec)
{
	struct msg m;
	struct run r;
	dkimsa_arc *a;
	int i, rc = 0;

	msg_init(&m);
	a = run(lib, NULL, &m, 0, &r);
	t_ok(r.rc == 0 && r.ready_after_eoh == 1,
	     "keys-ready-without-arc-fields", "rc %d ready %d", r.rc,
	     r.ready_after_eoh);
	dkimsa_arc_free(a);
	for (i = 0; rc == 0 && i < 2; i++)
		rc = hop(lib, &m, key, i);
	a = run(lib, NULL, &m, 0, &r);
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_PASS &&
		 r.ready_before_eoh == 0 && r.ready_after_eoh == 1 &&
		 r.ready_after_finish == 0,
	     "keys-ready-once-every-key-is-answered-at-end-of-headers",
	     "rc %d result %d ready before %d after eoh %d after finish %d",
	     r.rc, a ? a->res.result : -1, r.ready_before_eoh,
	     r.ready_after_eoh, r.ready_after_finish);
	dkimsa_arc_free(a);
	a = run(NULL, rec, &m, 0, &r);
	t_ok(r.rc == 0 && a->res.result == DKIMSA_RES_PASS &&
		 r.ready_after_eoh == 0,
	     "keys-not-ready-with-a-key-callback", "rc %d result %d ready %d",
	     r.rc, a ? a->res.result : -1, r.ready_after_eoh);
	dkimsa_arc_free(a);
	msg_free(&m);
}

int
main(void)
{
	char path[512], err[256], *rec = NULL, *table = NULL;
	dkimsa_lib *lib = dkimsa_lib_new();
	dkimsa_key *key = NULL;
	size_t n;

	snprintf(path, sizeof(path), "%s/ed25519.pem", KEYDIR);
	if (lib == NULL || dkimsa_key_load(path, &key, err, sizeof(err)) != 0 ||
	    dkimsa_key_record(key, &rec) != 0) {
		t_ok(0, "arcbody-test-set-up", "%s: %s", path, err);
		return t_exit();
	}
	n = 2 * strlen(rec) + 200;
	table = malloc(n);
	snprintf(table, n,
		 "ed._domainkey.fwd.example TXT %s\n"
		 "ed._domainkey.lists.example TXT %s\n",
		 rec, rec);
	if (dkimsa_lib_set_fake_dns(lib, table, err, sizeof(err)) != 0) {
		t_ok(0, "arcbody-test-set-up", "%s", err);
		return t_exit();
	}
	test_unsealed(lib, key);
	test_shared(lib, key);
	test_oldest_pass(lib, key);
	test_keys_ready(lib, key, rec);
	free(table);
	free(rec);
	dkimsa_key_free(key);
	dkimsa_lib_free(lib);
	return t_exit();
}
