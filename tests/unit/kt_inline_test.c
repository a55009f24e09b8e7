/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_inline_test.c - RequireSafeKeys for key text written inline: the
 * file that holds it (a file:, refile: or db: KeyTable, or dkimsa.conf for
 * a csl: KeyTable and for KeyFile) must be as private as a key file, and
 * the refusal names the file, the line, the mode, the owner and the fix
 * without quoting the key (keyfile.c keyfile_check_holder, keyset.c).
 */
#include "../keytable/kt_fixture.h"

#include <grp.h>
#include <pwd.h>

#include "dkimsa.h"
#include "keyfile.h"
#include "keyset.h"
#include "keytable.h"
#include "signing.h"
#include "t.h"

/* An Ed25519 seed, the shortest inline key. */
#define SEED "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="

static void
owner_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *p = getpwuid(uid);

	if (p != NULL)
		snprintf(buf, len, "%s", p->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)uid);
}

/* The refusal for holder at where with who ("readable by others"). */
static void
want_msg(char *buf, size_t len, const char *where, const char *holder,
	 const char *mode_who)
{
	struct stat st;
	char own[128];

	stat(holder, &st);
	owner_name(st.st_uid, own, sizeof(own));
	snprintf(buf, len,
		 "inline key at %s: %s (mode %04o, owner %s) is %s: chmod "
		 "0600 %s, or put the key in a file of its own (mode 0600) and "
		 "name that file instead, or set RequireSafeKeys no",
		 where, holder, (unsigned)(st.st_mode & 07777), own, mode_who,
		 holder);
}

static const struct table_row {
	const char *label, *type;
	int mode, safe; /* KeyTable mode, RequireSafeKeys */
	int ok;		/* 1: the KeyTable loads */
} table_rows[] = {
    {"inline-key-in-world-readable-file-keytable-refused", "file", 0604, 1, 0},
    {"inline-key-in-world-readable-refile-keytable-refused", "refile", 0604, 1,
     0},
    {"inline-key-in-private-file-keytable-loads", "file", 0600, 1, 1},
    {"inline-key-in-readable-keytable-loads-without-requiresafekeys", "file",
     0644, 0, 1},
    {"path-keys-leave-a-readable-keytable-alone", "path", 0644, 1, 1},
};

/* file: and refile: KeyTables: the KeyTable holds the key text. */
static void
test_table_holder(void)
{
	struct keyfile_opts o = {1, KEYFILE_ANY_OWNER, NULL};
	char spec[700], err[1024], want[2048], where[700];
	const char *path;
	keyset *k;
	size_t i;
	int rc;

	kt_fix_copy(KEYDIR "/ed25519.pem", "ed.private", 0600);
	for (i = 0; i < sizeof(table_rows) / sizeof(table_rows[0]); i++) {
		const struct table_row *r = &table_rows[i];

		if (strcmp(r->type, "path") == 0) {
			char text[700];

			snprintf(text, sizeof(text),
				 "# keys\nk example.com:s:%s\n",
				 kt_fix_path("ed.private"));
			path = kt_fix_write("KeyTable", text, 0, r->mode);
		} else {
			path = kt_fix_write(
			    "KeyTable", "# keys\n\nk example.com:s:" SEED "\n",
			    0, r->mode);
		}
		snprintf(spec, sizeof(spec), "%s:%s",
			 strcmp(r->type, "path") ? r->type : "file", path);
		o.require_safe = r->safe;
		err[0] = '\0';
		rc = keyset_load(spec, &o, 1, &k, err, sizeof(err));
		if (r->ok) {
			t_ok(rc == 0 && k != NULL, r->label, "rc %d: %s", rc,
			     err);
		} else {
			snprintf(where, sizeof(where), "%s, line 3", path);
			want_msg(want, sizeof(want), where, path,
				 "readable by others");
			t_ok(rc == DKIMSA_EKEY && k == NULL &&
				 strcmp(err, want) == 0 &&
				 strstr(err, SEED) == NULL,
			     r->label, "rc %d: got \"%s\", want \"%s\"", rc,
			     err, want);
		}
		keyset_free(k);
	}
}

/* A db: KeyTable keeps the text table's mode; the .db file is checked. */
static void
test_db_holder(void)
{
	struct keyfile_opts o = {1, KEYFILE_ANY_OWNER, NULL};
	char spec[700], err[1024], want[2048], where[800];
	const char *db = kt_fix_path("kt.db");
	kt_table *src;
	keyset *k;
	int rc;

	src = kt_open("csl:k=example.com:s:" SEED, 0, NULL);
	rc = kt_db_build(src, db, 0, 0640, err, sizeof(err));
	kt_close(src);
	if (!t_ok(rc == 0, "db-keytable-built", "%s", err))
		return;
	snprintf(spec, sizeof(spec), "db:%s", db);
	rc = keyset_load(spec, &o, 1, &k, err, sizeof(err));
	{
		struct stat st;
		char grp[128];
		struct group *g;

		stat(db, &st);
		g = getgrgid(st.st_gid);
		snprintf(grp, sizeof(grp), "readable by group %s",
			 g ? g->gr_name : "?");
		snprintf(where, sizeof(where), "%s, key \"k\"", db);
		want_msg(want, sizeof(want), where, db, grp);
	}
	t_ok(rc == DKIMSA_EKEY && strcmp(err, want) == 0,
	     "inline-key-in-group-readable-db-keytable-refused",
	     "rc %d: got \"%s\", want \"%s\"", rc, err, want);
	keyset_free(k);
	chmod(db, 0600);
	rc = keyset_load(spec, &o, 1, &k, err, sizeof(err));
	t_ok(rc == 0, "inline-key-in-private-db-keytable-loads", "%s", err);
	keyset_free(k);
}

/* csl: KeyTable and KeyFile: dkimsa.conf holds the key text. */
static void
test_conf_holder(void)
{
	struct keyfile_opts o = {1, KEYFILE_ANY_OWNER, NULL};
	struct signing_opts so = {.keytable = "csl:k=example.com:s:" SEED,
				  .signingtable = "csl:*=k",
				  .require_safe = 1,
				  .uid = KEYFILE_ANY_OWNER};
	char err[1024], want[2048], where[700];
	const char *conf;
	dkimsa_key *key = NULL;
	signing *s = NULL;
	int rc;

	conf = kt_fix_write("dkimsa.conf",
			    "# signing\nMode s\n"
			    "KeyTable csl:k=example.com:s:" SEED "\n"
			    "SigningTable csl:*=k\n",
			    0, 0644);
	so.conf = conf;
	rc = signing_open(&so, &s, err, sizeof(err));
	snprintf(where, sizeof(where), "%s, line 3", conf);
	{ /* the group name is whatever the file got */
		struct stat st;
		struct group *g;
		char who[300];

		stat(conf, &st);
		g = getgrgid(st.st_gid);
		snprintf(who, sizeof(who),
			 "readable by group %s and readable by others",
			 g ? g->gr_name : "?");
		want_msg(want, sizeof(want), where, conf, who);
	}
	t_ok(rc == DKIMSA_EKEY && s == NULL && strcmp(err, want) == 0,
	     "inline-csl-keytable-in-readable-dkimsa-conf-refused",
	     "rc %d: got \"%s\", want \"%s\"", rc, err, want);
	signing_free(s);
	s = NULL;
	chmod(conf, 0600);
	rc = signing_open(&so, &s, err, sizeof(err));
	t_ok(rc == 0 && s != NULL, "inline-csl-keytable-in-private-conf-loads",
	     "%s", err);
	signing_free(s);

	conf = kt_fix_write(
	    "keyfile.conf",
	    "Domain example.com\nKeyFile " SEED "\nSelector s\n", 0, 0604);
	o.conf = conf;
	rc = keyfile_load(SEED, &o, &key, err, sizeof(err));
	snprintf(where, sizeof(where), "%s, line 2", conf);
	want_msg(want, sizeof(want), where, conf, "readable by others");
	t_ok(rc == DKIMSA_EKEY && key == NULL && strcmp(err, want) == 0,
	     "inline-keyfile-in-world-readable-dkimsa-conf-refused",
	     "rc %d: got \"%s\", want \"%s\"", rc, err, want);
	dkimsa_key_free(key);
	key = NULL;
	chmod(conf, 0600);
	rc = keyfile_load(SEED, &o, &key, err, sizeof(err));
	t_ok(rc == 0 && key != NULL, "inline-keyfile-in-private-conf-loads",
	     "%s", err);
	dkimsa_key_free(key);
}

/* Owner: as for key files, root or the milter's user. */
static void
test_holder_owner(void)
{
	struct keyfile_opts o = {1, 4243, NULL};
	char spec[700], err[1024], want[2048];
	const char *path;
	keyset *k;
	int rc;

	if (getuid() != 0) {
		printf("SKIP: inline-key-holder-owned-by-another-user-refused: "
		       "needs root for chown\n");
		return;
	}
	path = kt_fix_write("kt-owner", "k example.com:s:" SEED "\n", 0, 0600);
	if (chown(path, 4242, 4242) != 0)
		perror("chown");
	snprintf(spec, sizeof(spec), "file:%s", path);
	rc = keyset_load(spec, &o, 1, &k, err, sizeof(err));
	snprintf(want, sizeof(want),
		 "inline key at %s, line 1: %s (mode 0600, owner uid 4242) is "
		 "owned by uid 4242, not by root or uid 4243 that dkimsa runs "
		 "as: chown uid 4243 %s, or put the key in a file of its own "
		 "(mode 0600) and name that file instead, or set "
		 "RequireSafeKeys no",
		 path, path, path);
	t_ok(rc == DKIMSA_EKEY && strcmp(err, want) == 0,
	     "inline-key-holder-owned-by-another-user-refused",
	     "got \"%s\", want \"%s\"", err, want);
	keyset_free(k);
	o.uid = 4242;
	rc = keyset_load(spec, &o, 1, &k, err, sizeof(err));
	t_ok(rc == 0, "inline-key-holder-owned-by-the-milter-user-loads", "%s",
	     err);
	keyset_free(k);
}

int
main(void)
{
	kt_fix_init();
	test_table_holder();
	test_db_holder();
	test_conf_holder();
	test_holder_owner();
	kt_fix_cleanup();
	return t_exit();
}
