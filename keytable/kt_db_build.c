/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_db_build.c - writes a Berkeley DB hash file from any table, the way
 * Postfix's postmap does: into a temporary file next to the target (so
 * rename is atomic), synced, then renamed over it.  A reader holding the
 * old file keeps a consistent view; kt_db.c notices the new inode.
 *
 * Memory: nothing outlives the call; the temporary file is removed on
 * every failure path.
 */
#define _DEFAULT_SOURCE
#include <db.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keytable.h"

struct kt_build {
	DB *db;
	int flags;
	const char *tmp;
	char *err;
	size_t errlen;
};

static int
kt_build_put(void *arg, const char *key, const char *value, const char *where)
{
	struct kt_build *b = arg;
	char fold[1024];
	kt_table dummy;
	DBT k, v;
	int rc;

	memset(&dummy, 0, sizeof(dummy));
	dummy.flags = b->flags;
	if (kt_fold(&dummy, key, fold, sizeof(fold)) == NULL)
		return kt_err(b->err, b->errlen, "%s: key too long", where);
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = fold;
	k.size = (u_int32_t)strlen(fold);
	v.data = (void *)value;
	v.size = (u_int32_t)strlen(value);
	if ((rc = b->db->put(b->db, NULL, &k, &v, 0)) != 0)
		return kt_err(b->err, b->errlen, "%s: %s", b->tmp,
			      db_strerror(rc));
	return 0;
}

/* Creates the database in the (empty) temporary file and fills it. */
static int
kt_build_fill(kt_table *src, struct kt_build *b)
{
	int rc;

	if ((rc = db_create(&b->db, NULL, 0)) != 0)
		return kt_err(b->err, b->errlen, "%s: %s", b->tmp,
			      db_strerror(rc));
	if ((rc = b->db->set_flags(b->db, DB_DUP)) != 0 ||
	    (rc = b->db->open(b->db, NULL, b->tmp, NULL, DB_HASH,
			      DB_CREATE | DB_TRUNCATE, 0600)) != 0) {
		b->db->close(b->db, 0);
		b->db = NULL;
		return kt_err(b->err, b->errlen, "%s: %s", b->tmp,
			      db_strerror(rc));
	}
	rc = kt_walk(src, kt_build_put, b, b->err, b->errlen);
	if (rc != 0)
		rc = KT_ERROR;
	if (rc == 0 && (rc = b->db->sync(b->db, 0)) != 0)
		rc = kt_err(b->err, b->errlen, "%s: %s", b->tmp,
			    db_strerror(rc));
	if (b->db->close(b->db, 0) != 0 && rc == 0)
		rc = kt_err(b->err, b->errlen, "%s: close failed", b->tmp);
	b->db = NULL;
	return rc;
}

int
kt_db_build(kt_table *src, const char *dbpath, int flags, int mode, char *err,
	    size_t errlen)
{
	struct kt_build b = {NULL, flags, NULL, err, errlen};
	char *tmp;
	int fd, rc;

	if ((tmp = malloc(strlen(dbpath) + 16)) == NULL)
		return kt_err(err, errlen, "out of memory");
	sprintf(tmp, "%s.tmpXXXXXX", dbpath);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = kt_err(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	b.tmp = tmp;
	if (fchmod(fd, (mode_t)(mode ? mode : 0644)) != 0) {
		rc = kt_err(err, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	close(fd);
	rc = kt_build_fill(src, &b);
	if (rc == 0 && rename(tmp, dbpath) != 0)
		rc = kt_err(err, errlen, "rename %s to %s: %s", tmp, dbpath,
			    strerror(errno));
out:
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
