/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keycache_test.c - the bounded cache of parsed KeyTable keys
 * (keytable/keycache.c): a key is parsed once, the least recently used
 * key goes first when the bound is reached, a key file replaced or
 * chmod'ed on disk is read again, a failure is cached until the file
 * changes and reported at most once a minute, and threads may share it.
 */
#include "../keytable/kt_fixture.h"

#include <pthread.h>

#include "dkimsa.h"
#include "keycache.h"
#include "keytable.h"
#include "t.h"

static char rsa_path[600], ed_path[600];
static struct keyfile_opts ko;

/* Gets name -> spec; the key's algorithm name, or "error: reason". */
static int
get(keycache *kc, const char *name, const char *spec, char *out, size_t len,
    int *report)
{
	char err[512] = "";
	dkimsa_key *key = NULL;
	int rep = 0, rc;

	rc = keycache_get(kc, name, spec, &ko, NULL, NULL, &key, &rep, err,
			  sizeof(err));
	if (rc == 0)
		snprintf(out, len, "%s", dkimsa_alg_name(dkimsa_key_alg(key)));
	else
		snprintf(out, len, "error: %s", err);
	if (report != NULL)
		*report = rep;
	dkimsa_key_free(key);
	return rc;
}

static struct keycache_stats
stats(keycache *kc)
{
	struct keycache_stats st;

	keycache_stats(kc, &st);
	return st;
}

/* One key file per name kN (a copy of the RSA key). */
static const char *
key_for(int i)
{
	char name[32];

	snprintf(name, sizeof(name), "k%d.private", i);
	return kt_fix_copy(rsa_path, name, 0600);
}

static void
test_hit(void)
{
	keycache *kc = keycache_new(4);
	char got[600], path[600];

	snprintf(path, sizeof(path), "%s", key_for(1));
	get(kc, "k1", path, got, sizeof(got), NULL);
	get(kc, "k1", path, got, sizeof(got), NULL);
	t_ok(stats(kc).loads == 1 && stats(kc).hits == 1 &&
		 !strcmp(got, "rsa-sha256"),
	     "second-get-is-a-hit", "loads %zu hits %zu %s", stats(kc).loads,
	     stats(kc).hits, got);
	keycache_free(kc);
}

/* Each row: the names got in order, in a cache of 2; loads after. */
static const struct lru_row {
	const char *label, *names;
	size_t loads, entries, evicted;
} lru_rows[] = {
    {"bound-respected", "123", 3, 2, 1},
    {"least-recently-used-goes-first", "1231", 4, 2, 2},
    {"recent-use-keeps-a-key", "12131", 3, 2, 1},
    {"evicted-key-read-again", "12313", 4, 2, 2},
};

static void
test_lru(void)
{
	char got[600], name[8], paths[4][600];
	size_t i;
	const char *p;
	int k;

	for (k = 1; k <= 3; k++)
		snprintf(paths[k], sizeof(paths[k]), "%s", key_for(k));
	for (i = 0; i < sizeof(lru_rows) / sizeof(lru_rows[0]); i++) {
		const struct lru_row *r = &lru_rows[i];
		keycache *kc = keycache_new(2);
		struct keycache_stats st;
		int bad = 0;

		for (p = r->names; *p != '\0'; p++) {
			snprintf(name, sizeof(name), "k%c", *p);
			bad |= get(kc, name, paths[*p - '0'], got, sizeof(got),
				   NULL) != 0;
		}
		st = stats(kc);
		t_ok(!bad && st.loads == r->loads && st.entries == r->entries &&
			 st.evicted == r->evicted,
		     r->label, "loads %zu entries %zu evicted %zu (%s)",
		     st.loads, st.entries, st.evicted, got);
		keycache_free(kc);
	}
}

/* A key file replaced (rename) or rewritten is read again. */
static void
test_replaced(void)
{
	keycache *kc = keycache_new(4);
	char got[600], path[600];

	snprintf(path, sizeof(path), "%s",
		 kt_fix_copy(rsa_path, "r.key", 0600));
	get(kc, "r", path, got, sizeof(got), NULL);
	kt_fix_copy(ed_path, "r.key.new", 0600);
	rename(kt_fix_path("r.key.new"), path);
	get(kc, "r", path, got, sizeof(got), NULL);
	t_ok(!strcmp(got, "ed25519-sha256") && stats(kc).loads == 2,
	     "replaced-key-file-read-again", "%s, loads %zu", got,
	     stats(kc).loads);
	kt_fix_copy(rsa_path, "r.key", 0600); /* same inode, new content */
	get(kc, "r", path, got, sizeof(got), NULL);
	t_ok(!strcmp(got, "rsa-sha256") && stats(kc).loads == 3,
	     "rewritten-key-file-read-again", "%s, loads %zu", got,
	     stats(kc).loads);
	get(kc, "r", kt_fix_copy(ed_path, "other.key", 0600), got, sizeof(got),
	    NULL);
	t_ok(!strcmp(got, "ed25519-sha256") && stats(kc).loads == 4,
	     "entry-naming-another-file-read-again", "%s, loads %zu", got,
	     stats(kc).loads);
	keycache_free(kc);
}

/* A failure is cached until the file changes, and reported once. */
static void
test_failures(void)
{
	keycache *kc = keycache_new(4);
	char got[600], first[600], path[600];
	int rep1, rep2, rc;

	snprintf(path, sizeof(path), "%s",
		 kt_fix_write("broken.key", "-----BEGIN PRIVATE KEY-----\nxx\n",
			      0, 0600));
	rc = get(kc, "b", path, first, sizeof(first), &rep1);
	get(kc, "b", path, got, sizeof(got), &rep2);
	t_ok(rc != 0 && rep1 == 1 && rep2 == 0 && !strcmp(first, got) &&
		 strstr(got, path) != NULL && stats(kc).loads == 1,
	     "broken-key-cached-and-reported-once",
	     "rc %d report %d,%d loads %zu \"%s\" \"%s\"", rc, rep1, rep2,
	     stats(kc).loads, first, got);
	kt_fix_copy(rsa_path, "broken.key", 0600);
	rc = get(kc, "b", path, got, sizeof(got), NULL);
	t_ok(rc == 0 && !strcmp(got, "rsa-sha256"), "fixed-key-read-again",
	     "%s", got);
	chmod(path, 0640);
	rc = get(kc, "b", path, got, sizeof(got), &rep1);
	t_ok(rc == DKIMSA_EKEY && rep1 == 0 && strstr(got, "mode 0640"),
	     "chmod-read-again-report-within-a-minute-held-back",
	     "rc %d report %d %s", rc, rep1, got);
	rc = get(kc, "m", kt_fix_path("missing.key"), got, sizeof(got), &rep1);
	get(kc, "m", kt_fix_path("missing.key"), got, sizeof(got), &rep2);
	t_ok(rc == DKIMSA_EIO && rep1 == 1 && rep2 == 0 &&
		 strstr(got, "No such file"),
	     "missing-key-reported-once", "rc %d report %d,%d %s", rc, rep1,
	     rep2, got);
	t_ok(keycache_report(kc, "v") == 1 && keycache_report(kc, "v") == 0,
	     "report-once-a-minute-per-name", "-");
	keycache_free(kc);
}

struct worker {
	keycache *kc;
	char (*paths)[600];
	int bad;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	char name[8], got[600];
	int i;

	for (i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "k%d", i % 6);
		if (get(w->kc, name, w->paths[i % 6], got, sizeof(got), NULL) !=
		    0)
			w->bad++;
	}
	return NULL;
}

static void
test_threads(void)
{
	char paths[6][600];
	struct worker w[4];
	pthread_t th[4];
	keycache *kc = keycache_new(3);
	int i, bad = 0;

	for (i = 0; i < 6; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s", key_for(i));
	for (i = 0; i < 4; i++) {
		w[i].kc = kc;
		w[i].paths = paths;
		w[i].bad = 0;
		pthread_create(&th[i], NULL, worker_run, &w[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		bad += w[i].bad;
	}
	t_ok(bad == 0 && stats(kc).entries <= 3,
	     "threads-share-a-bounded-cache", "failures %d entries %zu", bad,
	     stats(kc).entries);
	keycache_free(kc);
}

int
main(void)
{
	kt_fix_init();
	snprintf(rsa_path, sizeof(rsa_path), "%s/rsa2048.pem", KEYDIR);
	snprintf(ed_path, sizeof(ed_path), "%s/ed25519.pem", KEYDIR);
	ko.require_safe = 1;
	ko.uid = getuid();
	test_hit();
	test_lru();
	test_replaced();
	test_failures();
	test_threads();
	kt_fix_cleanup();
	return t_exit();
}
