/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_test.c - ARC (RFC 8617) validation and sealing through the public
 * API, keys from a callback: chains sealed by dkimsa over 1, 2 and 5 hops
 * with RSA and Ed25519 pass; a body changed in transit moves oldest-pass;
 * tampered seals fail at their instance; hostile header blocks (60 sets,
 * duplicate instances, i=0, a seal over a missing instance, a 1 MiB
 * ARC-Seal, garbage tags) give a result, never a crash, with bounded work
 * (counted key lookups); sealing after cv=fail and past 50 sets is
 * refused; the A-R resinfo of RFC 8617 10.2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "t.h"

#define MAXH 400

struct msg {
	char *h[MAXH];
	int n;
	const char *body;
};

struct keys {
	char *rsa, *ed; /* records */
	int lookups;
};

static int
key_fn(void *arg, const char *domain, const char *selector, char **txt,
       int *secure)
{
	struct keys *k = arg;

	(void)domain;
	(void)secure;
	k->lookups++;
	if (strcmp(selector, "rsa") == 0)
		*txt = strdup(k->rsa);
	else if (strcmp(selector, "ed") == 0)
		*txt = strdup(k->ed);
	else
		return DKIMSA_LOOKUP_NXDOMAIN;
	return DKIMSA_LOOKUP_OK;
}

static void
msg_init(struct msg *m)
{
	static const char *const base[] = {
	    "From: Alice <alice@example.org>", "To: list@lists.example",
	    "Subject: hello", "Date: Thu, 26 Nov 2026 10:00:00 +0000",
	    "Message-ID: <1@example.org>"};
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		m->h[m->n++] = strdup(base[i]);
	m->body = "Hello,\r\nthis is the body.\r\n";
}

static void
msg_free(struct msg *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		free(m->h[i]);
	m->n = 0;
}

/* Adds a field on top. */
static void
msg_push(struct msg *m, char *field)
{
	if (m->n == MAXH) {
		free(field);
		return;
	}
	memmove(m->h + 1, m->h, (size_t)m->n * sizeof(char *));
	m->h[0] = field;
	m->n++;
}

/* Validates m; *r gets a copy of the result; returns the object. */
static dkimsa_arc *
run(const struct msg *m, struct keys *k, dkimsa_arc_result *r)
{
	dkimsa_arc *a = NULL;
	int i, rc = dkimsa_arc_new(NULL, &a);

	dkimsa_arc_set_key_fn(a, key_fn, k);
	dkimsa_arc_set_time(a, 1700000000);
	rc = dkimsa_arc_set_sealing(a, 1);
	for (i = 0; rc == 0 && i < m->n; i++)
		rc = dkimsa_arc_header(a, m->h[i], strlen(m->h[i]));
	if (rc == 0)
		rc = dkimsa_arc_eoh(a);
	if (rc == 0)
		rc = dkimsa_arc_body(a, m->body, strlen(m->body));
	if (rc == 0)
		rc = dkimsa_arc_finish(a);
	if (rc != 0) {
		memset(r, 0, sizeof(*r));
		r->result = -1;
		r->reason = dkimsa_strerror(rc);
		return a;
	}
	*r = *dkimsa_arc_get_result(a);
	return a;
}

/*
 * One hop: validate, seal with key/selector, add the set on top.  cv:
 * NULL, or the status our inbound side found before the message changed.
 */
static int
hop_cv(struct msg *m, struct keys *k, dkimsa_key *key, const char *sel,
       const char *domain, const char *cv)
{
	dkimsa_arc_seal_opts o;
	dkimsa_arc_result r;
	dkimsa_arc *a = run(m, k, &r);
	char *aar, *ams, *as;
	int rc;

	memset(&o, 0, sizeof(o));
	o.domain = domain;
	o.selector = sel;
	o.key = key;
	o.authserv_id = "mx.lists.example";
	o.results = "spf=pass smtp.mailfrom=example.org";
	o.t = 1700000000;
	o.cv = cv;
	rc = dkimsa_arc_seal(a, &o, &aar, &ams, &as);
	dkimsa_arc_free(a);
	if (rc != 0)
		return rc;
	msg_push(m, aar);
	msg_push(m, ams);
	msg_push(m, as);
	return 0;
}

static int
hop(struct msg *m, struct keys *k, dkimsa_key *key, const char *sel,
    const char *domain)
{
	return hop_cv(m, k, key, sel, domain, NULL);
}

static dkimsa_key *
load_key(const char *name)
{
	char path[512], err[256];
	dkimsa_key *k = NULL;

	snprintf(path, sizeof(path), "%s/%s", KEYDIR, name);
	if (dkimsa_key_load(path, &k, err, sizeof(err)) != 0)
		fprintf(stderr, "%s: %s\n", path, err);
	return k;
}

static void
test_hops(struct keys *k, dkimsa_key *rsa, dkimsa_key *ed)
{
	static const struct {
		const char *name;
		int hops, use_ed;
	} rows[] = {
	    {"arc-rsa-1-hop-passes", 1, 0},
	    {"arc-rsa-2-hops-pass", 2, 0},
	    {"arc-rsa-5-hops-pass", 5, 0},
	    {"arc-ed25519-1-hop-passes", 1, 1},
	    {"arc-ed25519-2-hops-pass", 2, 1},
	    {"arc-ed25519-5-hops-pass", 5, 1},
	};
	size_t i;
	int h;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct msg m;
		dkimsa_arc_result r;
		dkimsa_arc *a;
		int rc = 0;

		msg_init(&m);
		for (h = 0; rc == 0 && h < rows[i].hops; h++)
			rc = hop(&m, k, rows[i].use_ed ? ed : rsa,
				 rows[i].use_ed ? "ed" : "rsa",
				 h % 2 ? "fwd.example" : "lists.example");
		k->lookups = 0;
		a = run(&m, k, &r);
		t_ok(rc == 0 && r.result == DKIMSA_RES_PASS &&
			 r.instances == rows[i].hops && r.oldest_pass == 0 &&
			 strcmp(r.sealer, (rows[i].hops - 1) % 2
					      ? "fwd.example"
					      : "lists.example") == 0,
		     rows[i].name,
		     "rc %d result %d instances %d oldest %d (%s)", rc,
		     r.result, r.instances, r.oldest_pass, r.reason);
		if (rows[i].hops == 5) /* two sealers, one key each */
			t_ok(k->lookups == 2,
			     rows[i].use_ed ? "arc-ed25519-one-lookup-per-key"
					    : "arc-rsa-one-lookup-per-key",
			     "%d lookups", k->lookups);
		dkimsa_arc_free(a);
		msg_free(&m);
	}
}

/*
 * A list validated the chain on the way in (pass), then added a footer:
 * AMS(1) breaks, the list seals with the status it found: oldest-pass 2.
 */
static void
test_oldest_pass(struct keys *k, dkimsa_key *rsa)
{
	struct msg m;
	dkimsa_arc_result r;
	dkimsa_arc *a;
	int rc;

	msg_init(&m);
	rc = hop(&m, k, rsa, "rsa", "origin.example");
	m.body = "Hello,\r\nthis is the body.\r\n-- \r\nlist footer\r\n";
	if (rc == 0)
		rc = hop_cv(&m, k, rsa, "rsa", "lists.example", "pass");
	a = run(&m, k, &r);
	t_ok(rc == 0 && r.result == DKIMSA_RES_PASS && r.oldest_pass == 2 &&
		 strcmp(r.oldest_pass_sealer, "lists.example") == 0,
	     "arc-body-changed-after-hop-1-gives-oldest-pass-2",
	     "rc %d result %d oldest %d sealer %s (%s)", rc, r.result,
	     r.oldest_pass, r.oldest_pass_sealer, r.reason);
	dkimsa_arc_free(a);
	/* the footer without a new seal: the latest AMS fails */
	msg_free(&m);
	msg_init(&m);
	rc = hop(&m, k, rsa, "rsa", "origin.example");
	m.body = "changed\r\n";
	a = run(&m, k, &r);
	t_ok(rc == 0 && r.result == DKIMSA_RES_FAIL && r.failed_instance == 1,
	     "arc-body-changed-after-the-last-seal-fails",
	     "result %d at %d (%s)", r.result, r.failed_instance, r.reason);
	dkimsa_arc_free(a);
	msg_free(&m);
}

/* Replaces the first occurrence of from in field (same length or not). */
static void
edit(struct msg *m, const char *prefix, const char *from, const char *to)
{
	int i;

	for (i = 0; i < m->n; i++) {
		char *p, *n;

		if (strncmp(m->h[i], prefix, strlen(prefix)) != 0 ||
		    (p = strstr(m->h[i], from)) == NULL)
			continue;
		n = malloc(strlen(m->h[i]) + strlen(to) + 1);
		memcpy(n, m->h[i], (size_t)(p - m->h[i]));
		strcpy(n + (p - m->h[i]), to);
		strcat(n, p + strlen(from));
		free(m->h[i]);
		m->h[i] = n;
		return;
	}
}

static void
test_tampered(struct keys *k, dkimsa_key *rsa)
{
	static const struct {
		const char *name, *prefix, *from, *to;
		int failed;
	} rows[] = {
	    {"arc-older-aar-edited-fails-at-the-latest-seal",
	     "ARC-Authentication-Results: i=1", "smtp.mailfrom",
	     "smtp.mailfrom=evil.example smtp.x", 3},
	    {"arc-cv-edited-fails-structure", "ARC-Seal:", "cv=pass", "cv=none",
	     3},
	    {"arc-latest-ams-header-list-edited-fails", "ARC-Message-Signature",
	     "h=from", "h=to:from", 3},
	    {"arc-subject-edited-fails-at-the-latest-ams", "Subject:", "hello",
	     "HELLO there", 3},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct msg m;
		dkimsa_arc_result r;
		dkimsa_arc *a;
		int rc;

		msg_init(&m);
		rc = hop(&m, k, rsa, "rsa", "a.example");
		if (rc == 0)
			rc = hop(&m, k, rsa, "rsa", "b.example");
		if (rc == 0)
			rc = hop(&m, k, rsa, "rsa", "c.example");
		edit(&m, rows[i].prefix, rows[i].from, rows[i].to);
		a = run(&m, k, &r);
		t_ok(rc == 0 && r.result == DKIMSA_RES_FAIL &&
			 r.failed_instance == rows[i].failed,
		     rows[i].name, "rc %d result %d at %d (%s)", rc, r.result,
		     r.failed_instance, r.reason);
		dkimsa_arc_free(a);
		msg_free(&m);
	}
}

/* A syntactically fine set i with a bad signature. */
static void
push_fake_set(struct msg *m, int i, const char *cv)
{
	char *f;

	f = malloc(200);
	snprintf(f, 200, "ARC-Authentication-Results: i=%d; x.example; none",
		 i);
	msg_push(m, f);
	f = malloc(300);
	snprintf(f, 300,
		 "ARC-Message-Signature: i=%d; a=rsa-sha256; d=x.example; "
		 "s=rsa; h=from; bh=AAAA; b=AAAA",
		 i);
	msg_push(m, f);
	f = malloc(200);
	snprintf(f, 200,
		 "ARC-Seal: i=%d; a=rsa-sha256; cv=%s; d=x.example; s=rsa; "
		 "b=AAAA",
		 i, cv);
	msg_push(m, f);
}

static void
test_hostile(struct keys *k)
{
	static const struct {
		const char *name;
		int sets;	 /* fake sets 1..sets */
		const char *add; /* one more field, or NULL */
		int max_lookups;
	} rows[] = {
	    {"arc-hostile-60-sets-fail-without-lookups", 60, NULL, 0},
	    {"arc-hostile-51-sets-fail-without-lookups", 51, NULL, 0},
	    {"arc-hostile-duplicate-instance-fails", 2,
	     "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=x.example; s=rsa; b=AAAA",
	     0},
	    {"arc-hostile-i0-fails", 1,
	     "ARC-Authentication-Results: i=0; x.example; none", 0},
	    {"arc-hostile-seal-over-missing-instance-fails", 0,
	     "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=x.example; s=rsa; b=AAAA",
	     0},
	    {"arc-hostile-garbage-tags-fail", 1,
	     "ARC-Message-Signature: i=3; ;;; =x; \x01\x02; a=", 0},
	    {"arc-hostile-instance-99-fails", 1,
	     "ARC-Seal: i=99; a=rsa-sha256; cv=pass; d=x.example; s=rsa; b=A",
	     0},
	    {"arc-hostile-50-bad-sets-verify-in-bounded-lookups", 50, NULL, 2},
	};
	size_t i;
	int s;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct msg m;
		dkimsa_arc_result r;
		dkimsa_arc *a;

		msg_init(&m);
		for (s = 1; s <= rows[i].sets; s++)
			push_fake_set(&m, s, s == 1 ? "none" : "pass");
		if (rows[i].add != NULL)
			msg_push(&m, strdup(rows[i].add));
		k->lookups = 0;
		a = run(&m, k, &r);
		t_ok(r.result == DKIMSA_RES_FAIL &&
			 k->lookups <= rows[i].max_lookups,
		     rows[i].name, "result %d, %d lookups (%s)", r.result,
		     k->lookups, r.reason);
		dkimsa_arc_free(a);
		msg_free(&m);
	}
}

static void
test_huge_seal(struct keys *k)
{
	size_t n = 1024 * 1024, i;
	char *f = malloc(n + 64);
	struct msg m;
	dkimsa_arc_result r;
	dkimsa_arc *a;

	msg_init(&m);
	strcpy(f,
	       "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x.example; s=rsa; b=");
	for (i = strlen(f); i < n; i++)
		f[i] = (char)('A' + i % 26);
	f[n] = '\0';
	push_fake_set(&m, 1, "none");
	free(m.h[0]);
	m.h[0] = f; /* the seal of the set, 1 MiB */
	k->lookups = 0;
	a = run(&m, k, &r);
	t_ok(r.result == DKIMSA_RES_FAIL && k->lookups <= 2,
	     "arc-hostile-1mib-seal-fails", "result %d, %d lookups (%s)",
	     r.result, k->lookups, r.reason);
	dkimsa_arc_free(a);
	msg_free(&m);
}

static void
test_seal_refusals(struct keys *k, dkimsa_key *rsa)
{
	struct msg m;
	int s, rc;

	msg_init(&m);
	rc = hop(&m, k, rsa, "rsa", "a.example");
	edit(&m, "Subject:", "hello", "changed");
	if (rc == 0)
		rc = hop(&m, k, rsa, "rsa", "b.example"); /* seals cv=fail */
	t_ok(rc == 0 && strstr(m.h[0], "cv=fail") != NULL,
	     "arc-seal-a-failed-chain-with-cv-fail", "rc %d, %s", rc, m.h[0]);
	rc = hop(&m, k, rsa, "rsa", "c.example");
	t_ok(rc == DKIMSA_ESTATE, "arc-seal-refused-after-cv-fail", "rc %d",
	     rc);
	msg_free(&m);
	msg_init(&m);
	for (s = 1; s <= 50; s++)
		push_fake_set(&m, s, s == 1 ? "none" : "pass");
	rc = hop(&m, k, rsa, "rsa", "c.example");
	t_ok(rc == DKIMSA_ESTATE, "arc-seal-refused-at-50-sets", "rc %d", rc);
	msg_free(&m);
	msg_init(&m);
	{
		dkimsa_arc_seal_opts o;
		dkimsa_arc_result r;
		dkimsa_arc *a = run(&m, k, &r);
		char *x, *y, *z;

		memset(&o, 0, sizeof(o));
		o.domain = "a.example";
		o.selector = "rsa";
		o.key = rsa;
		o.authserv_id = "mx.example";
		o.results = "spf=pass\r\nX-Injected: yes";
		t_ok(dkimsa_arc_seal(a, &o, &x, &y, &z) == DKIMSA_EINVAL,
		     "arc-seal-refuses-results-that-end-the-field", "accepted");
		o.results = NULL;
		o.authserv_id = "mx.example; dkim=pass";
		t_ok(dkimsa_arc_seal(a, &o, &x, &y, &z) == DKIMSA_EINVAL,
		     "arc-seal-refuses-an-authserv-id-with-a-semicolon",
		     "accepted");
		dkimsa_arc_free(a);
	}
	msg_free(&m);
}

static void
test_authres(void)
{
	dkimsa_arc_result r;
	dkimsa_ar *ar = NULL;
	char *out = NULL;

	memset(&r, 0, sizeof(r));
	r.result = DKIMSA_RES_PASS;
	r.instances = 2;
	r.oldest_pass = 2;
	r.sealer = "fwd.example";
	r.oldest_pass_sealer = "fwd.example";
	r.reason = "2 ARC sets verified";
	r.remote_ip = "192.0.2.7";
	dkimsa_ar_new("mx.example", &ar);
	dkimsa_ar_add_arc(ar, &r);
	dkimsa_ar_finish(ar, &out);
	t_ok(out != NULL &&
		 strstr(out, "arc=pass (sealer fwd.example) "
			     "header.oldest-pass=2 smtp.remote-ip=192.0.2.7") !=
		     NULL,
	     "arc-authres-pass-names-oldest-pass-and-remote-ip", "%s",
	     out ? out : "(null)");
	free(out);
	dkimsa_ar_free(ar);
	r.result = DKIMSA_RES_FAIL;
	r.failed_instance = 1;
	r.reason = "ARC-Seal i=1: signature did not verify\r\nX: y";
	r.remote_ip = "";
	dkimsa_ar_new("mx.example", &ar);
	dkimsa_ar_add_arc(ar, &r);
	dkimsa_ar_finish(ar, &out);
	t_ok(out != NULL && strstr(out, "arc=fail (i=1: ARC-Seal i=1") &&
		 !strstr(out, "oldest-pass") && !strstr(out, "\r\nX: y"),
	     "arc-authres-fail-has-the-instance-and-no-oldest-pass", "%s",
	     out ? out : "(null)");
	free(out);
	dkimsa_ar_free(ar);
}

/* dkimsa_arc_seal_domain: i= and d= as the chain validation reads them. */
static void
test_seal_domain(void)
{
	static const struct {
		const char *label, *field;
		int rc, inst;
		const char *d;
	} rows[] = {
	    {"arc-seal-domain-reads-instance-and-lower-cased-d",
	     "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=Fwd.Example; s=s1; "
	     "t=1; b=AAAA",
	     0, 2, "fwd.example"},
	    {"arc-seal-domain-reads-a-folded-field",
	     "ARC-Seal: i=1; a=ed25519-sha256; cv=none;\r\n\td=arc.test; "
	     "s=ed;\r\n\tb=AAAA",
	     0, 1, "arc.test"},
	    {"arc-seal-domain-refuses-a-seal-without-d",
	     "ARC-Seal: i=1; a=rsa-sha256; cv=none; s=s1; b=AAAA",
	     DKIMSA_ESYNTAX, 0, ""},
	    {"arc-seal-domain-refuses-a-duplicate-d",
	     "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=a.test; d=b.test; "
	     "s=s1; b=AAAA",
	     DKIMSA_ESYNTAX, 0, ""},
	    {"arc-seal-domain-refuses-h-in-a-seal",
	     "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=a.test; s=s1; h=from; "
	     "b=AAAA",
	     DKIMSA_ESYNTAX, 0, ""},
	    {"arc-seal-domain-does-not-read-d-inside-another-value",
	     "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=a.test; s=s1; "
	     "x=d=mx.test; b=AAAA",
	     0, 1, "a.test"},
	};
	size_t i;
	char d[64];
	int inst, rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		inst = 0;
		strcpy(d, "");
		rc = dkimsa_arc_seal_domain(
		    rows[i].field, strlen(rows[i].field), &inst, d, sizeof(d));
		t_ok(rc == rows[i].rc &&
			 (rc != 0 ||
			  (inst == rows[i].inst && strcmp(d, rows[i].d) == 0)),
		     rows[i].label, "rc %d, i=%d, d=%s", rc, inst, d);
	}
	rc = dkimsa_arc_seal_domain(rows[0].field, strlen(rows[0].field), &inst,
				    d, 5);
	t_ok(rc == DKIMSA_ESYNTAX,
	     "arc-seal-domain-refuses-a-d-too-long-for-the-buffer", "rc %d",
	     rc);
	rc = dkimsa_arc_seal_domain(NULL, 0, &inst, d, sizeof(d));
	t_ok(rc == DKIMSA_EINVAL, "arc-seal-domain-refuses-null", "rc %d", rc);
}

int
main(void)
{
	struct keys k;
	dkimsa_key *rsa = load_key("rsa2048.pem"),
		   *ed = load_key("ed25519.pem");

	memset(&k, 0, sizeof(k));
	if (rsa == NULL || ed == NULL || dkimsa_key_record(rsa, &k.rsa) != 0 ||
	    dkimsa_key_record(ed, &k.ed) != 0) {
		t_ok(0, "arc-test-keys-load", "cannot load the test keys");
		return t_exit();
	}
	test_hops(&k, rsa, ed);
	test_oldest_pass(&k, rsa);
	test_seal_domain();
	test_tampered(&k, rsa);
	test_hostile(&k);
	test_huge_seal(&k);
	test_seal_refusals(&k, rsa);
	test_authres();
	free(k.rsa);
	free(k.ed);
	dkimsa_key_free(rsa);
	dkimsa_key_free(ed);
	return t_exit();
}
