/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_signing_test.c - KeyTable / SigningTable resolution (signing.c,
 * keyset.c) and key loading with the safety check (keyfile.c): OpenDKIM
 * files copied verbatim, OpenDKIM's probe order, MultipleSignatures,
 * "%", inline key data, missing keys, bad entries, unsafe key files.
 */
#include "../keytable/kt_fixture.h"

#include <grp.h>
#include <pwd.h>

#include "dkimsa.h"
#include "keycache.h"
#include "keyfile.h"
#include "keytable.h"
#include "signing.h"
#include "t.h"

static char rsa_path[600], ed_path[600];

/* Writes text with every "DIR" replaced by the fixture directory. */
static const char *
write_dir(const char *name, const char *text)
{
	char out[8192], *o = out;
	const char *p;

	for (p = text; *p != '\0';) {
		if (strncmp(p, "DIR", 3) == 0) {
			o += sprintf(o, "%s", kt_fix_dir);
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return kt_fix_write(name, out, 0, 0600); /* may hold key text */
}

static signing *
open_tables(const char *kt, const char *st, int multiple, char *err,
	    size_t errlen)
{
	struct signing_opts o = {.keytable = kt,
				 .signingtable = st,
				 .multiple = multiple,
				 .require_safe = 1,
				 .uid = getuid()};
	signing *s = NULL;

	if (signing_open(&o, &s, err, errlen) != 0)
		return NULL;
	return s;
}

/* "keyname/domain/selector/alg[/signer]" of every match, "|" separated. */
static int
lookup(signing *s, const char *addr, char *out, size_t len, char *err)
{
	struct signing_match *m;
	size_t n, i, used = 0;
	int rc = signing_lookup(s, addr, &m, &n, err, 512);

	out[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(
		    out + used, len - used, "%s%s/%s/%s/%s%s%s", i ? "|" : "",
		    m[i].keyname, m[i].domain, m[i].selector,
		    dkimsa_alg_name(dkimsa_key_alg(m[i].key)),
		    m[i].signer ? "/" : "", m[i].signer ? m[i].signer : "");
	signing_matches_free(m, n);
	return rc;
}

/* The files of an OpenDKIM guide, verbatim except for the key paths. */
static const char guide_keytable[] =
    "sel._domainkey.example.com example.com:sel:DIR/keys/example.com/"
    "sel.private\n"
    "ed._domainkey.example.com example.com:ed:DIR/keys/example.com/"
    "ed.private\n"
    "mail._domainkey.example2.hu example2.hu:mail:DIR/keys/example2.hu/"
    "mail.private\n"
    "example.org %:pct:DIR/keys/example.com/sel.private\n";
static const char guide_signingtable[] =
    "*@example.com sel._domainkey.example.com\n"
    "*@example.com ed._domainkey.example.com\n"
    "*@example2.hu mail._domainkey.example2.hu\n"
    "*@example.org %:@%\n";

static void
test_opendkim_guide(void)
{
	char kt[700], st[700], err[512], got[1024];
	signing *s1, *sm;
	int rc;

	mkdir(kt_fix_path("keys"), 0700);
	mkdir(kt_fix_path("keys/example.com"), 0700);
	mkdir(kt_fix_path("keys/example2.hu"), 0700);
	kt_fix_copy(rsa_path, "keys/example.com/sel.private", 0600);
	kt_fix_copy(ed_path, "keys/example.com/ed.private", 0600);
	kt_fix_copy(rsa_path, "keys/example2.hu/mail.private", 0600);
	snprintf(kt, sizeof(kt), "refile:%s",
		 write_dir("KeyTable", guide_keytable));
	snprintf(st, sizeof(st), "refile:%s",
		 write_dir("SigningTable", guide_signingtable));
	s1 = open_tables(kt, st, 0, err, sizeof(err));
	t_ok(s1 != NULL, "guide-tables-open", "%s", err);
	sm = open_tables(kt, st, 1, err, sizeof(err));
	t_ok(sm != NULL, "guide-tables-open-multiple", "%s", err);
	if (s1 == NULL || sm == NULL)
		return;
	t_ok(signing_key_count(s1) == 4, "guide-keys-loaded", "%zu",
	     signing_key_count(s1));
	rc = lookup(s1, "user@example.com", got, sizeof(got), err);
	t_ok(rc == KT_FOUND && !strcmp(got, "sel._domainkey.example.com/"
					    "example.com/sel/rsa-sha256"),
	     "guide-first-match-only", "%d %s", rc, got);
	rc = lookup(sm, "User@Example.COM", got, sizeof(got), err);
	t_ok(rc == KT_FOUND &&
		 !strcmp(got, "sel._domainkey.example.com/example.com/sel/"
			      "rsa-sha256|ed._domainkey.example.com/"
			      "example.com/ed/ed25519-sha256"),
	     "guide-multiple-rsa-and-ed25519", "%d %s", rc, got);
	rc = lookup(sm, "x@example2.hu", got, sizeof(got), err);
	t_ok(rc == KT_FOUND && strstr(got, "/example2.hu/mail/"),
	     "guide-second-domain", "%d %s", rc, got);
	rc = lookup(sm, "x@sub.example.com", got, sizeof(got), err);
	t_ok(rc == KT_NOTFOUND, "guide-subdomain-not-signed", "%d %s", rc, got);
	rc = lookup(sm, "x@example.net", got, sizeof(got), err);
	t_ok(rc == KT_NOTFOUND, "guide-other-domain-not-found", "%d", rc);
	rc = lookup(sm, "x@example.org", got, sizeof(got), err);
	t_ok(rc == KT_FOUND && !strcmp(got, "example.org/example.org/pct/"
					    "rsa-sha256/@example.org"),
	     "percent-keyname-domain-and-signer", "%d %s", rc, got);
	signing_free(s1);
	signing_free(sm);
}

/* OpenDKIM's probe order for a non-pattern SigningTable. */
static const char order_keytable[] =
    "k1 example.com:s1:DIR/rsa.key\n"
    "k2 example.com:s2:DIR/rsa.key\n"
    "k3 example.com:s3:DIR/rsa.key\n"
    "k4 example.com:s4:DIR/rsa.key\n"
    "k5 example.com:s5:nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n"
    "k6 example.com:s6:DIR/ed.key\n";
static const char order_signingtable[] = "*                  k6\n"
					 "user@*             k5\n"
					 ".example.com       k4\n"
					 "user@.example.com  k3\n"
					 "a.example.com      k2\n"
					 "user@a.example.com k1:user@%\n";

static const struct order_row {
	const char *label, *addr;
	int multiple;
	const char *want; /* key names */
} order_rows[] = {
    {"order-full-address-first", "user@a.example.com", 0, "k1"},
    {"order-domain-second", "bob@a.example.com", 0, "k2"},
    {"order-user-at-parent", "user@b.example.com", 0, "k3"},
    {"order-dot-parent", "bob@b.example.com", 0, "k4"},
    {"order-user-at-star", "user@example.org", 0, "k5"},
    {"order-star-last", "bob@example.org", 0, "k6"},
    {"order-domain-exact-not-parent", "bob@example.com", 0, "k6"},
    {"order-multiple-all-in-order", "user@a.example.com", 1,
     "k1|k2|k3|k4|k5|k6"},
    {"order-multiple-some", "bob@a.example.com", 1, "k2|k4|k6"},
    {"order-multiple-parents", "user@x.b.example.com", 1, "k3|k4|k5|k6"},
    {"order-bare-domain", "a.example.com", 1, "k2|k4|k6"},
};

static void
test_order(void)
{
	char kt[700], st[700], err[512], got[2048], names[256];
	signing *s[2];
	const char *p;
	size_t i;
	int rc;

	kt_fix_copy(rsa_path, "rsa.key", 0600);
	kt_fix_copy(ed_path, "ed.key", 0600);
	snprintf(kt, sizeof(kt), "file:%s", write_dir("kt", order_keytable));
	snprintf(st, sizeof(st), "file:%s",
		 kt_fix_write("st", order_signingtable, 0, 0644));
	s[0] = open_tables(kt, st, 0, err, sizeof(err));
	s[1] = open_tables(kt, st, 1, err, sizeof(err));
	if (!t_ok(s[0] && s[1], "order-tables-open", "%s", err))
		return;
	for (i = 0; i < sizeof(order_rows) / sizeof(order_rows[0]); i++) {
		const struct order_row *r = &order_rows[i];
		char *n = names;

		rc = lookup(s[r->multiple], r->addr, got, sizeof(got), err);
		for (p = got; *p; p++) /* keep only the key names */
			if (p == got || p[-1] == '|')
				n += sprintf(n, "%s%.*s", n > names ? "|" : "",
					     (int)strcspn(p, "/"), p);
		*n = '\0';
		t_ok(rc == KT_FOUND && !strcmp(names, r->want), r->label,
		     "rc %d: %s", rc, got);
	}
	rc = lookup(s[0], "user@a.example.com", got, sizeof(got), err);
	t_ok(strstr(got, "/user@a.example.com") != NULL,
	     "signer-percent-replaced", "%s", got);
	rc = lookup(s[1], "bob@example.org", got, sizeof(got), err);
	t_ok(strcmp(got, "k6/example.com/s6/ed25519-sha256") == 0,
	     "ed25519-pem-key-file", "%s", got);
	rc = lookup(s[1], "user@example.org", got, sizeof(got), err);
	t_ok(strncmp(got, "k5/example.com/s5/ed25519-sha256", 32) == 0,
	     "inline-ed25519-seed", "%s", got);
	signing_free(s[0]);
	signing_free(s[1]);
}

static void
test_missing_key(void)
{
	char kt[700], st[700], err[512], got[512], want[900];
	const char *stpath;
	kt_table *src;
	signing *s;
	int rc;

	snprintf(kt, sizeof(kt), "file:%s", write_dir("kt", order_keytable));
	stpath = kt_fix_write("st-missing",
			      "*@example.com k1\n"
			      "*@example.net nokey\n",
			      0, 0644);
	snprintf(st, sizeof(st), "refile:%s", stpath);
	s = open_tables(kt, st, 0, err, sizeof(err));
	snprintf(want, sizeof(want),
		 "%s, line 2: SigningTable names key "
		 "\"nokey\", which is not in KeyTable %s",
		 stpath, kt);
	t_ok(s == NULL && strcmp(err, want) == 0,
	     "signingtable-missing-key-at-open", "got \"%s\"", err);
	signing_free(s);

	/* A db: SigningTable replaced after open: caught at lookup. */
	src = kt_open("csl:*=k1", 0, NULL);
	kt_db_build(src, kt_fix_path("st.db"), 0, 0644, err, sizeof(err));
	kt_close(src);
	snprintf(st, sizeof(st), "db:%s", kt_fix_path("st.db"));
	s = open_tables(kt, st, 0, err, sizeof(err));
	t_ok(s != NULL, "db-signingtable-opens", "%s", err);
	if (s == NULL)
		return;
	src = kt_open("csl:*=gone", 0, NULL);
	kt_db_build(src, kt_fix_path("st.db"), 0, 0644, err, sizeof(err));
	kt_close(src);
	rc = lookup(s, "a@example.com", got, sizeof(got), err);
	t_ok(rc == KT_ERROR && strstr(err, "names key \"gone\" for "
					   "a@example.com, which is not in "
					   "KeyTable"),
	     "signingtable-missing-key-at-lookup-is-error", "rc %d %s", rc,
	     err);
	unlink(kt_fix_path("st.db"));
	rc = lookup(s, "a@example.com", got, sizeof(got), err);
	t_ok(rc == KT_ERROR && strstr(err, "st.db"),
	     "signingtable-vanished-is-error", "rc %d %s", rc, err);
	signing_free(s);
}

static const struct bad_row {
	const char *label, *keytable, *want;
} bad_rows[] = {
    {"keytable-value-two-fields", "k example.com:sel\n",
     ", line 1: KeyTable value \"example.com:sel\" is not "
     "domain:selector:keyfile"},
    {"keytable-key-only", "# c\nk\n", ", line 2: KeyTable value \"\" is"},
    {"keytable-bad-selector", "k example.com:a..b:DIR/rsa.key\n",
     ", line 1: KeyTable selector \"a..b\" is not a DKIM selector"},
    {"keytable-bad-domain", "k exa$mple.com:s:DIR/rsa.key\n",
     ", line 1: KeyTable domain \"exa$mple.com\" is not"},
    {"keytable-missing-key-file", "k example.com:s:DIR/none.key\n",
     ", line 1: key DIR/none.key: No such file or directory"},
    {"keytable-duplicate-name",
     "k example.com:s:DIR/rsa.key\n"
     "K example.com:t:DIR/rsa.key\n",
     ", line 2: key name \"k\" is also defined at "},
    {"keytable-bad-inline-key", "k example.com:s:bm90IGEga2V5\n",
     ", line 1: inline key data (not a path"},
    {"keytable-key-is-directory", "k example.com:s:DIR/keys\n",
     ", line 1: key DIR/keys is not a regular file"},
};

static void
test_bad_keytables(void)
{
	char kt[700], err[512], want[900], *o;
	const char *path, *p;
	size_t i;
	signing *s;

	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		path = write_dir("kt-bad", bad_rows[i].keytable);
		snprintf(kt, sizeof(kt), "file:%s", path);
		o = want + sprintf(want, "%s", path);
		for (p = bad_rows[i].want; *p;)
			if (strncmp(p, "DIR", 3) == 0) {
				o += sprintf(o, "%s", kt_fix_dir);
				p += 3;
			} else {
				*o++ = *p++;
			}
		*o = '\0';
		err[0] = '\0';
		s = open_tables(kt, "csl:", 0, err, sizeof(err));
		t_ok(s == NULL && strncmp(err, want, strlen(want)) == 0,
		     bad_rows[i].label, "got \"%s\" want \"%s\"", err, want);
		signing_free(s);
	}
	err[0] = '\0';
	s = open_tables("file:/nonexistent/KeyTable", "csl:", 0, err,
			sizeof(err));
	t_ok(s == NULL && strstr(err, "/nonexistent/KeyTable: No such"),
	     "keytable-missing-file", "%s", err);
	snprintf(kt, sizeof(kt), "file:%s", write_dir("kt", order_keytable));
	s = open_tables(kt, "file:/nonexistent/SigningTable", 0, err,
			sizeof(err));
	t_ok(s == NULL && strstr(err, "/nonexistent/SigningTable: No such"),
	     "signingtable-missing-file", "%s", err);
}

static void
group_name(gid_t gid, char *buf, size_t len)
{
	struct group *g = getgrgid(gid);

	if (g != NULL)
		snprintf(buf, len, "%s", g->gr_name);
	else
		snprintf(buf, len, "gid %lu", (unsigned long)gid);
}

static void
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *p = getpwuid(uid);

	if (p != NULL)
		snprintf(buf, len, "%s", p->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)uid);
}

static const struct perm_row {
	const char *label;
	int mode;
	const char *fmt; /* %s: path, %s: group */
} perm_rows[] = {
    {"unsafe-group-readable", 0640,
     "key %s is readable by group %s (mode 0640): chmod 0600 it or set "
     "RequireSafeKeys no"},
    {"unsafe-group-writable", 0620,
     "key %s is writable by group %s (mode 0620): chmod 0600 it or set "
     "RequireSafeKeys no"},
    {"unsafe-group-and-others", 0666,
     "key %s is readable and writable by group %s and readable and "
     "writable by others (mode 0666): chmod 0600 it or set "
     "RequireSafeKeys no"},
    {"unsafe-others-readable", 0604,
     "key %s is readable by others (mode 0604): chmod 0600 it or set "
     "RequireSafeKeys no"},
};

static void
test_unsafe_keys(void)
{
	struct keyfile_opts o = {1, 0, NULL};
	char err[512], want[900], grp[128], own[128], run[128];
	const char *path;
	dkimsa_key *key;
	struct stat st;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(perm_rows) / sizeof(perm_rows[0]); i++) {
		path = kt_fix_copy(rsa_path, "perm.private", perm_rows[i].mode);
		stat(path, &st);
		o.uid = st.st_uid;
		group_name(st.st_gid, grp, sizeof(grp));
		snprintf(want, sizeof(want), perm_rows[i].fmt, path, grp);
		rc = keyfile_load(path, &o, &key, err, sizeof(err));
		t_ok(rc == DKIMSA_EKEY && key == NULL && !strcmp(err, want),
		     perm_rows[i].label, "rc %d \"%s\"", rc, err);
		o.require_safe = 0;
		rc = keyfile_load(path, &o, &key, err, sizeof(err));
		t_ok(rc == 0 && key != NULL, "requiresafekeys-no-accepts",
		     "%s: %s", perm_rows[i].label, err);
		dkimsa_key_free(key);
		o.require_safe = 1;
	}
	/* Owner: root may hand the file to anybody; others own theirs. */
	path = kt_fix_copy(rsa_path, "owner.private", 0600);
	if (getuid() == 0 && chown(path, 4242, 4242) != 0)
		perror("chown");
	stat(path, &st);
	o.uid = st.st_uid + 1;
	user_name(st.st_uid, own, sizeof(own));
	user_name(o.uid, run, sizeof(run));
	snprintf(want, sizeof(want),
		 "key %s is owned by %s, not by %s that "
		 "dkimsa runs as: chown %s it or set RequireSafeKeys no",
		 path, own, run, run);
	rc = keyfile_load(path, &o, &key, err, sizeof(err));
	if (st.st_uid == 0)
		t_ok(rc == 0, "root-owned-key-accepted", "%s", err);
	else
		t_ok(rc == DKIMSA_EKEY && !strcmp(err, want),
		     "unsafe-other-owner", "got \"%s\" want \"%s\"", err, want);
	dkimsa_key_free(key);
	o.uid = st.st_uid;
	rc = keyfile_load(path, &o, &key, err, sizeof(err));
	t_ok(rc == 0 && key != NULL, "own-key-0600-accepted", "%s", err);
	dkimsa_key_free(key);
	path = kt_fix_copy(rsa_path, "root.private", 0600);
	if (getuid() == 0) {
		o.uid = 4242;
		rc = keyfile_load(path, &o, &key, err, sizeof(err));
		t_ok(rc == 0, "root-owned-key-accepted-for-any-user", "%s",
		     err);
		dkimsa_key_free(key);
	}
}

/* Through signing_open, an unsafe key fails the open with its line. */
static void
test_unsafe_via_keytable(void)
{
	char kt[700], err[512], grp[128], want[900];
	struct stat st;
	const char *path, *key;
	signing *s;

	key = kt_fix_copy(rsa_path, "loose.private", 0640);
	stat(key, &st);
	group_name(st.st_gid, grp, sizeof(grp));
	path = write_dir("kt-loose", "# keys\n\nk example.com:s:DIR/"
				     "loose.private\n");
	snprintf(kt, sizeof(kt), "file:%s", path);
	snprintf(want, sizeof(want),
		 "%s, line 3: key %s is readable by group "
		 "%s (mode 0640): chmod 0600 it or set RequireSafeKeys no",
		 path, key, grp);
	s = open_tables(kt, "csl:", 0, err, sizeof(err));
	t_ok(s == NULL && !strcmp(err, want), "unsafe-key-in-keytable",
	     "got \"%s\"", err);
	signing_free(s);
}

/*
 * An empty KeyTable (comments only) opens with no keys and finds nothing;
 * it used to hand qsort() and bsearch() a NULL array (UBSan, check-asan).
 */
static void
test_empty_keytable(void)
{
	char kt[700], err[512] = "", got[256];
	signing *s;
	int rc;

	snprintf(kt, sizeof(kt), "file:%s",
		 write_dir("kt-empty", "# no keys yet\n"));
	s = open_tables(kt, "csl:", 0, err, sizeof(err));
	if (!t_ok(s != NULL && signing_key_count(s) == 0,
		  "empty-keytable-opens-with-no-keys", "%s", err))
		return;
	rc = lookup(s, "user@example.com", got, sizeof(got), err);
	t_ok(rc == KT_NOTFOUND, "empty-keytable-signs-nothing", "rc %d %s", rc,
	     err);
	signing_free(s);
}

/* The log callback: counts lines and keeps the last. */
struct log_sink {
	int n;
	char last[1200];
};

static void
log_line(void *arg, const char *msg)
{
	struct log_sink *l = arg;

	l->n++;
	snprintf(l->last, sizeof(l->last), "%s", msg);
}

/*
 * Lazy tables: a db: KeyTable with an entry whose key file is missing
 * opens (the entry is not read), other keys sign, the bad entry is
 * KT_ERROR with the reason logged once for two lookups, and
 * SIGNING_CHECK_ALL (dkimsa -n) finds it by its db key.
 */
static void
test_lazy_db(void)
{
	char kt[700], st[700], err[512] = "", got[512], want[900];
	struct signing_opts o = {.multiple = 0, .require_safe = 1};
	struct keycache_stats cs;
	struct log_sink log = {0, ""};
	kt_table *src;
	signing *s = NULL;
	int rc1, rc2;

	kt_fix_copy(rsa_path, "lazy.private", 0600);
	src = kt_open(write_dir("lazy-kt",
				"kgood example.com:s:DIR/"
				"lazy.private\n"
				"kbad example.net:s:DIR/none.private\n"),
		      0, NULL);
	kt_db_build(src, kt_fix_path("lazy-kt.db"), 0, 0600, err, sizeof(err));
	kt_close(src);
	src = kt_open("csl:example.com=kgood,example.net=kbad", 0, NULL);
	kt_db_build(src, kt_fix_path("lazy-st.db"), 0, 0644, err, sizeof(err));
	kt_close(src);
	snprintf(kt, sizeof(kt), "db:%s", kt_fix_path("lazy-kt.db"));
	snprintf(st, sizeof(st), "db:%s", kt_fix_path("lazy-st.db"));
	o.keytable = kt;
	o.signingtable = st;
	o.uid = getuid();
	o.log = log_line;
	o.log_arg = &log;
	rc1 = signing_open(&o, &s, err, sizeof(err));
	if (!t_ok(rc1 == 0 && s != NULL,
		  "lazy-db-keytable-opens-with-bad-entry", "%s", err))
		return;
	rc1 = lookup(s, "a@example.com", got, sizeof(got), err);
	rc2 = lookup(s, "b@example.com", got, sizeof(got), err);
	signing_cache_stats(s, &cs);
	t_ok(rc1 == KT_FOUND && rc2 == KT_FOUND && cs.loads == 1 &&
		 cs.hits == 1 && signing_key_count(s) == 0,
	     "lazy-key-parsed-once-for-two-messages",
	     "%d %d loads %zu hits %zu", rc1, rc2, cs.loads, cs.hits);
	rc1 = signing_listed(s, "a@example.net", err, sizeof(err));
	rc2 = signing_listed(s, "a@example.org", err, sizeof(err));
	signing_cache_stats(s, &cs);
	t_ok(rc1 == KT_FOUND && rc2 == KT_NOTFOUND && cs.loads == 1 &&
		 log.n == 0,
	     "listed-reads-no-key", "%d %d loads %zu logged %d", rc1, rc2,
	     cs.loads, log.n);
	rc1 = lookup(s, "a@example.net", got, sizeof(got), err);
	rc2 = lookup(s, "b@example.net", got, sizeof(got), err);
	snprintf(want, sizeof(want),
		 "KeyTable %s, key \"kbad\": key %s: No such file or directory",
		 kt, kt_fix_path("none.private"));
	t_ok(rc1 == KT_ERROR && rc2 == KT_ERROR && log.n == 1 &&
		 !strcmp(log.last, want) && strstr(err, "\"kbad\" is unusable"),
	     "lazy-bad-key-is-error-logged-once-with-table-and-key",
	     "%d %d logged %d \"%s\" err \"%s\"", rc1, rc2, log.n, log.last,
	     err);
	signing_free(s);
	s = NULL;
	o.check = SIGNING_CHECK_ALL;
	rc1 = signing_open(&o, &s, err, sizeof(err));
	snprintf(want, sizeof(want), "%s, key \"kbad\": key %s: No such",
		 kt_fix_path("lazy-kt.db"), kt_fix_path("none.private"));
	t_ok(rc1 != 0 && s == NULL && strncmp(err, want, strlen(want)) == 0,
	     "check-all-names-the-db-key", "got \"%s\" want \"%s\"", err, want);
	signing_free(s);
}

/* Base64 DER (the PEM body without its lines) as an inline key. */
static void
test_inline_der(void)
{
	struct keyfile_opts o = {1, 0, NULL};
	char pem[4096], b64[4096] = "", err[512], *line;
	FILE *fp = fopen(rsa_path, "r");
	dkimsa_key *key = NULL;
	size_t n;
	int rc;

	n = fp ? fread(pem, 1, sizeof(pem) - 1, fp) : 0;
	if (fp)
		fclose(fp);
	pem[n] = '\0';
	for (line = strtok(pem, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "-----", 5) != 0)
			strcat(b64, line);
	rc = keyfile_load(b64, &o, &key, err, sizeof(err));
	t_ok(rc == 0 && key && dkimsa_key_bits(key) == 2048,
	     "inline-base64-der-rsa", "%s", err);
	dkimsa_key_free(key);
	t_ok(!keyfile_is_path("MIIEvQ") && keyfile_is_path("/k") &&
		 keyfile_is_path("./k") && keyfile_is_path("../k"),
	     "path-or-data-rule", "wrong");
}

int
main(void)
{
	kt_fix_init();
	snprintf(rsa_path, sizeof(rsa_path), "%s/rsa2048.pem", KEYDIR);
	snprintf(ed_path, sizeof(ed_path), "%s/ed25519.pem", KEYDIR);
	test_opendkim_guide();
	test_order();
	test_missing_key();
	test_bad_keytables();
	test_unsafe_keys();
	test_unsafe_via_keytable();
	test_inline_der();
	test_empty_keytable();
	test_lazy_db();
	kt_fix_cleanup();
	return t_exit();
}
