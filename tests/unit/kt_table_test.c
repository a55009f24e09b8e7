/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_table_test.c - the table backends (file, refile, csl, db, maps,
 * surrogate): the same lookups answer identically through every backend,
 * refile order, case folding, bad lines, failed opens, db reload.
 */
#include "../keytable/kt_fixture.h"
#include "keytable.h"
#include "t.h"

static const char table_text[] =
    "# OpenDKIM-style flat file\n"
    "\n"
    "Example.COM   v1\n"
    "example.com\tv2   # a second value for the same key\n"
    "other.org     value with spaces\n"
    "member\n"
    "   indented.net   x\r\n";

static const char table_csl[] =
    "csl:example.com=v1, example.com=v2,other.org=value with spaces,"
    "member,indented.net=x";

/* Every value of key joined with "|"; "" when none. */
struct join {
	char s[512];
};

static int
join_fn(void *arg, const char *value)
{
	struct join *j = arg;

	if (j->s[0] != '\0')
		strcat(j->s, "|");
	strncat(j->s, value, sizeof(j->s) - strlen(j->s) - 2);
	return 0;
}

static int
all(kt_table *t, const char *key, struct join *j, char *err)
{
	memset(j, 0, sizeof(*j));
	return kt_get_all(t, key, join_fn, j, err, 512);
}

static const struct lookup_row {
	const char *label, *key;
	int rc;
	const char *first, *all;
} lookup_rows[] = {
    {"two-values-first-wins", "example.com", KT_FOUND, "v1", "v1|v2"},
    {"key-case-folded", "EXAMPLE.Com", KT_FOUND, "v1", "v1|v2"},
    {"value-keeps-spaces", "other.org", KT_FOUND, "value with spaces",
     "value with spaces"},
    {"member-without-value", "member", KT_FOUND, "", ""},
    {"indent-and-crlf-trimmed", "indented.net", KT_FOUND, "x", "x"},
    {"absent-key-not-found", "missing.example", KT_NOTFOUND, NULL, ""},
    {"empty-key-not-found", "", KT_NOTFOUND, NULL, ""},
    {"comment-is-not-a-key", "#", KT_NOTFOUND, NULL, ""},
};

static void
check_lookups(const char *spec, kt_table *t)
{
	char name[200], err[512], *v;
	struct join j;
	size_t i;
	int rc;

	t_ok(t != NULL && !kt_failed(t), spec, "open failed: %s",
	     t && t->error ? t->error : "NULL");
	if (t == NULL || kt_failed(t))
		return;
	for (i = 0; i < sizeof(lookup_rows) / sizeof(lookup_rows[0]); i++) {
		const struct lookup_row *r = &lookup_rows[i];

		snprintf(name, sizeof(name), "%s-%s", t->type, r->label);
		rc = kt_get(t, r->key, &v, err, sizeof(err));
		if (t_ok(rc == r->rc, name, "rc %d want %d", rc, r->rc) &&
		    r->first != NULL)
			t_streq(v, r->first, name);
		free(v);
		rc = all(t, r->key, &j, err);
		snprintf(name, sizeof(name), "%s-%s-all", t->type, r->label);
		t_ok(rc == r->rc && strcmp(j.s, r->all) == 0, name,
		     "rc %d \"%s\" want \"%s\"", rc, j.s, r->all);
	}
}

static void
test_backends(void)
{
	const char *path = kt_fix_write("table", table_text, 0, 0644);
	char spec[600], err[512];
	kt_table *src, *t;

	snprintf(spec, sizeof(spec), "file:%s", path);
	t = kt_open(spec, 0, NULL);
	check_lookups(spec, t);
	kt_close(t);

	check_lookups(table_csl, t = kt_open(table_csl, 0, NULL));
	kt_close(t);

	src = kt_open(spec, 0, NULL);
	t_ok(kt_db_build(src, kt_fix_path("table.db"), 0, 0640, err,
			 sizeof(err)) == 0,
	     "db-build-from-file", "%s", err);
	kt_close(src);
	snprintf(spec, sizeof(spec), "db:%s", kt_fix_path("table.db"));
	check_lookups(spec, t = kt_open(spec, 0, NULL));
	kt_close(t);

	snprintf(spec, sizeof(spec), "csl:nothing=here file:%s", path);
	check_lookups(spec, t = kt_maps_open(spec, 0, NULL));
	kt_close(t);
}

static void
test_case_sensitive(void)
{
	char spec[600], err[512], *v = NULL;
	kt_table *t;
	int rc;

	snprintf(spec, sizeof(spec), "file:%s",
		 kt_fix_write("case", table_text, 0, 0644));
	t = kt_open(spec, KT_CASE, NULL);
	rc = kt_get(t, "Example.COM", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND && strcmp(v, "v1") == 0, "kt-case-exact-key",
	     "rc %d", rc);
	free(v);
	rc = kt_get(t, "example.com", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND && strcmp(v, "v2") == 0,
	     "kt-case-other-case-is-other-key", "rc %d", rc);
	free(v);
	rc = kt_get(t, "EXAMPLE.COM", &v, err, sizeof(err));
	t_ok(rc == KT_NOTFOUND, "kt-case-no-folding", "rc %d", rc);
	kt_close(t);
}

static const char refile_text[] = "*@example.com      first\n"
				  "user@*             second\n"
				  "*.example.org      third\n"
				  "a*b*c              fourth\n"
				  "*                  last\n";

static const struct refile_row {
	const char *label, *key, *first, *all;
} refile_rows[] = {
    {"refile-first-pattern-wins", "user@example.com", "first",
     "first|second|last"},
    {"refile-star-matches-local-part", "bob@example.com", "first",
     "first|last"},
    {"refile-star-in-domain", "user@other.net", "second", "second|last"},
    {"refile-no-implicit-subdomain", "bob@sub.example.com", "last", "last"},
    {"refile-dot-star-subdomain", "mx.example.org", "third", "third|last"},
    {"refile-dot-star-needs-label", "example.org", "last", "last"},
    {"refile-two-stars-backtrack", "abxbyc", "fourth", "fourth|last"},
    {"refile-star-matches-empty", "abc", "fourth", "fourth|last"},
    {"refile-pattern-case-folded", "BOB@Example.COM", "first", "first|last"},
};

static void
test_refile(void)
{
	char spec[600], err[512], *v;
	struct join j;
	kt_table *t;
	size_t i;
	int rc;

	snprintf(spec, sizeof(spec), "refile:%s",
		 kt_fix_write("refile", refile_text, 0, 0644));
	t = kt_open(spec, 0, NULL);
	t_ok(!kt_failed(t) && (t->props & KT_PROP_PATTERN), "refile-opens",
	     "%s", t->error ? t->error : "no pattern prop");
	for (i = 0; i < sizeof(refile_rows) / sizeof(refile_rows[0]); i++) {
		const struct refile_row *r = &refile_rows[i];

		rc = kt_get(t, r->key, &v, err, sizeof(err));
		t_ok(rc == KT_FOUND && strcmp(v, r->first) == 0, r->label,
		     "rc %d value %s", rc, v ? v : "(null)");
		free(v);
		rc = all(t, r->key, &j, err);
		t_ok(rc == KT_FOUND && strcmp(j.s, r->all) == 0, r->label,
		     "all: \"%s\" want \"%s\"", j.s, r->all);
	}
	kt_close(t);
	snprintf(spec, sizeof(spec), "refile:%s",
		 kt_fix_write("refile2", "*@example.com x\n", 0, 0644));
	t = kt_open(spec, 0, NULL);
	rc = kt_get(t, "user@example.net", &v, err, sizeof(err));
	t_ok(rc == KT_NOTFOUND, "refile-no-match-not-found", "rc %d", rc);
	kt_close(t);
}

static const struct bad_row {
	const char *label, *text;
	size_t len;
	const char *want; /* substring of the error after the path */
} bad_rows[] = {
    {"bad-line-nul-byte", "a b\nc d\ne\0f g\n", 12, ", line 3: NUL byte"},
    {"bad-line-control-char", "a b\nc \001d\n", 0,
     ", line 2: control character"},
    {"bad-line-cr-inside", "a b\rc d\n", 0, ", line 1: control character"},
};

static void
test_bad_lines(void)
{
	char spec[600], err[512], want[700], *why = NULL, *v;
	const char *path;
	kt_table *t;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		path = kt_fix_write("bad", bad_rows[i].text, bad_rows[i].len,
				    0644);
		snprintf(spec, sizeof(spec), "file:%s", path);
		snprintf(want, sizeof(want), "%s%s", path, bad_rows[i].want);
		t = kt_open(spec, 0, &why);
		t_ok(t != NULL && kt_failed(t) && why != NULL &&
			 strstr(why, want) == why,
		     bad_rows[i].label, "error \"%s\" want \"%s\"",
		     why ? why : "(none)", want);
		rc = kt_get(t, "a", &v, err, sizeof(err));
		t_ok(rc == KT_ERROR && strstr(err, want) != NULL,
		     bad_rows[i].label, "lookup rc %d err %s", rc, err);
		free(why);
		kt_close(t);
	}
}

static const struct open_row {
	const char *label, *spec, *want;
} open_rows[] = {
    {"csl-empty-element", "csl:a,,b", "csl:a,,b, element 2: empty element"},
    {"csl-trailing-comma", "csl:a,b,", "csl:a,b,, element 3: empty"},
    {"csl-empty-key", "csl:a,=x", "element 2: empty key"},
    {"unknown-type-named", "mysql:foo", "unknown table type \"mysql\""},
    {"missing-file-names-path", "file:/nonexistent/dkimsa/KeyTable",
     "/nonexistent/dkimsa/KeyTable: No such file"},
    {"missing-refile-names-path", "refile:/nonexistent/x",
     "/nonexistent/x: No such file"},
    {"missing-db-names-path", "db:/nonexistent/x.db",
     "/nonexistent/x.db: No such file"},
    {"plain-path-is-file", "/nonexistent/plain", "/nonexistent/plain: No"},
};

static void
test_failed_opens(void)
{
	char err[512], *why, *v;
	struct join j;
	kt_table *t;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(open_rows) / sizeof(open_rows[0]); i++) {
		const struct open_row *r = &open_rows[i];

		why = NULL;
		t = kt_open(r->spec, 0, &why);
		t_ok(kt_failed(t) && why && strstr(why, r->want), r->label,
		     "got \"%s\"", why ? why : "(none)");
		rc = kt_get(t, "a", &v, err, sizeof(err));
		t_ok(rc == KT_ERROR && strstr(err, r->want) != NULL, r->label,
		     "lookup rc %d: %s", rc, err);
		rc = all(t, "a", &j, err);
		t_ok(rc == KT_ERROR, r->label, "get_all rc %d", rc);
		free(why);
		kt_close(t);
	}
	t = kt_open("/nonexistent/plain", 0, NULL);
	t_streq(t->type, "file", "plain-path-type-file");
	kt_close(t);
	t = kt_open("/nonexistent/plain.db", 0, NULL);
	t_streq(t->type, "db", "plain-dotdb-type-db");
	kt_close(t);
	t = kt_open("a.example,b.example", 0, NULL);
	t_ok(strcmp(t->type, "csl") == 0 &&
		 kt_get(t, "b.example", &v, err, sizeof(err)) == KT_FOUND,
	     "plain-list-type-csl", "type %s", t->type);
	free(v);
	kt_close(t);
	t = kt_open("csl:", 0, NULL);
	t_ok(!kt_failed(t) && kt_get(t, "", &v, err, 512) == KT_NOTFOUND,
	     "csl-empty-list", "%s", t->error ? t->error : "found");
	kt_close(t);
}

/* db: a file replaced by rename is picked up by the next lookup. */
static void
test_db_reload(void)
{
	char spec[600], err[512], *v = NULL, *why = NULL;
	const char *db = kt_fix_path("reload.db");
	kt_table *src, *t;
	int rc;

	src = kt_open("csl:k=old", 0, NULL);
	kt_db_build(src, db, 0, 0644, err, sizeof(err));
	kt_close(src);
	snprintf(spec, sizeof(spec), "db:%s", db);
	t = kt_open(spec, 0, NULL);
	rc = kt_get(t, "k", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND && strcmp(v, "old") == 0, "db-before-replace",
	     "rc %d", rc);
	free(v);
	src = kt_open("csl:k=new,k2=added", 0, NULL);
	rc = kt_db_build(src, db, 0, 0644, err, sizeof(err));
	kt_close(src);
	rc = kt_get(t, "k", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND && strcmp(v, "new") == 0,
	     "db-replaced-by-rename-seen", "rc %d %s", rc, v ? v : err);
	free(v);
	rc = kt_get(t, "k2", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND, "db-new-key-seen", "rc %d", rc);
	free(v);
	t_ok(kt_reload(t, err, sizeof(err)) == 0, "db-explicit-reload", "%s",
	     err);
	kt_fix_write("garbage", "this is not a database\n", 0, 0644);
	rename(kt_fix_path("garbage"), db);
	rc = kt_get(t, "k", &v, err, sizeof(err));
	t_ok(rc == KT_ERROR && strstr(err, "not a Berkeley DB file"),
	     "db-replaced-by-garbage-is-error", "rc %d %s", rc, err);
	kt_close(t);
	t = kt_open(spec, 0, &why);
	t_ok(kt_failed(t) && why && strstr(why, db),
	     "db-open-garbage-names-path", "%s", why ? why : "(none)");
	free(why);
	kt_close(t);
}

static void
test_maps(void)
{
	char spec[900], err[512], *v = NULL;
	kt_table *t;
	int rc;

	snprintf(spec, sizeof(spec), "csl:a=one file:%s",
		 kt_fix_write("maps2", "a two\nb three\n", 0, 0644));
	t = kt_maps_open(spec, 0, NULL);
	rc = kt_get(t, "a", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND && !strcmp(v, "one"), "maps-first-table-wins",
	     "rc %d", rc);
	free(v);
	rc = kt_get(t, "b", &v, err, sizeof(err));
	t_ok(rc == KT_FOUND && !strcmp(v, "three"), "maps-falls-through",
	     "rc %d", rc);
	free(v);
	t_ok(kt_get(t, "c", &v, err, sizeof(err)) == KT_NOTFOUND,
	     "maps-not-found", "found");
	kt_close(t);
	snprintf(spec, sizeof(spec), "file:/nonexistent/first file:%s",
		 kt_fix_path("maps2"));
	t = kt_maps_open(spec, 0, NULL);
	rc = kt_get(t, "b", &v, err, sizeof(err));
	t_ok(rc == KT_ERROR && strstr(err, "/nonexistent/first"),
	     "maps-error-before-hit-is-error", "rc %d %s", rc, err);
	kt_close(t);
}

struct walk_log {
	char s[1024];
};

static int
walk_fn(void *arg, const char *key, const char *value, const char *where)
{
	struct walk_log *w = arg;
	size_t n = strlen(w->s);

	snprintf(w->s + n, sizeof(w->s) - n, "[%s=%s@%s]", key, value,
		 strrchr(where, ',') ? strrchr(where, ',') + 2 : where);
	return 0;
}

static void
test_walk(void)
{
	char spec[600], err[512];
	struct walk_log w = {""};
	kt_table *t;

	snprintf(spec, sizeof(spec), "file:%s",
		 kt_fix_write("walk", "# c\nA 1\n\nb 2\n", 0, 0644));
	t = kt_open(spec, 0, NULL);
	kt_walk(t, walk_fn, &w, err, sizeof(err));
	t_streq(w.s, "[a=1@line 2][b=2@line 4]", "walk-file-order-and-lines");
	kt_close(t);
	memset(&w, 0, sizeof(w));
	t = kt_open("csl:x, y=z", 0, NULL);
	kt_walk(t, walk_fn, &w, err, sizeof(err));
	t_streq(w.s, "[x=@element 1][y=z@element 2]",
		"walk-csl-order-and-elements");
	kt_close(t);
}

int
main(void)
{
	kt_fix_init();
	test_backends();
	test_case_sensitive();
	test_refile();
	test_bad_lines();
	test_failed_opens();
	test_db_reload();
	test_maps();
	test_walk();
	kt_fix_cleanup();
	return t_exit();
}
