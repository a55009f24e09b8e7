/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyfile.c - loads private keys named by a KeyTable (OpenDKIM keeps the
 * same "path or key data" rule) and refuses unsafe key files.
 *
 * The check runs on the opened descriptor (fstat), so the file checked is
 * the file read.  Root-owned keys are accepted whatever uid is given: only
 * root and the milter's user can read a 0600 key either way.  The messages
 * look like
 *   key /k/sel.private is readable by group mail (mode 0640):
 *     chmod 0600 it or set RequireSafeKeys no
 * Key text written inline (in a KeyTable, or as dkimsa.conf's KeyFile) is
 * as secret as a key file, so the file that holds it passes the same
 * check (keyfile_check_holder):
 *   inline key at /etc/dkimsa/KeyTable, line 3: /etc/dkimsa/KeyTable
 *     (mode 0644, owner root) is readable by others: chmod 0600
 *     /etc/dkimsa/KeyTable, or put the key in a file of its own (mode
 *     0600) and name that file instead, or set RequireSafeKeys no
 *
 * Memory: file contents are wiped (OPENSSL_cleanse) before being freed.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "keyfile.h"
#include "keytable.h"

#define KEYFILE_MAX (1024 * 1024)
#define KEYFILE_FIX "or set RequireSafeKeys no"

/* Formats the reason into err and returns rc. */
__attribute__((format(printf, 4, 5))) static int
keyfile_fail(int rc, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static const char *
keyfile_user(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL)
		snprintf(buf, len, "%s", res->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)uid);
	return buf;
}

static const char *
keyfile_group(gid_t gid, char *buf, size_t len)
{
	struct group gr, *res = NULL;
	char tmp[1024];

	if (getgrgid_r(gid, &gr, tmp, sizeof(tmp), &res) == 0 && res != NULL)
		snprintf(buf, len, "%s", res->gr_name);
	else
		snprintf(buf, len, "gid %lu", (unsigned long)gid);
	return buf;
}

/* "readable", "writable" or "readable and writable" for mode bits r, w. */
static const char *
keyfile_access(int r, int w)
{
	return r && w ? "readable and writable" : r ? "readable" : "writable";
}

/*
 * Who besides the owner may read or write a file of mode st_mode, as
 * "readable by group mail", "writable by others", ...; "" when nobody.
 */
static const char *
keyfile_who(const struct stat *st, char *who, size_t len)
{
	char grp[128];
	int gr, gw, orr, ow;

	gr = !!(st->st_mode & S_IRGRP), gw = !!(st->st_mode & S_IWGRP);
	orr = !!(st->st_mode & S_IROTH), ow = !!(st->st_mode & S_IWOTH);
	who[0] = '\0';
	if (gr || gw)
		keyfile_group(st->st_gid, grp, sizeof(grp));
	if ((gr || gw) && (orr || ow))
		snprintf(who, len, "%s by group %s and %s by others",
			 keyfile_access(gr, gw), grp, keyfile_access(orr, ow));
	else if (gr || gw)
		snprintf(who, len, "%s by group %s", keyfile_access(gr, gw),
			 grp);
	else if (orr || ow)
		snprintf(who, len, "%s by others", keyfile_access(orr, ow));
	return who;
}

/* 1 when a file owned by uid is owned by someone the check refuses. */
static int
keyfile_bad_owner(uid_t owner, const struct keyfile_opts *o)
{
	return o->uid != KEYFILE_ANY_OWNER && owner != o->uid && owner != 0;
}

int
keyfile_check(int fd, const char *path, const struct keyfile_opts *o, char *err,
	      size_t errlen)
{
	char who[300], own[128], run[128];
	struct stat st;

	if (fstat(fd, &st) != 0)
		return keyfile_fail(DKIMSA_EIO, err, errlen, "key %s: %s", path,
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return keyfile_fail(DKIMSA_EKEY, err, errlen,
				    "key %s is not a regular file", path);
	if (!o->require_safe)
		return 0;
	if (keyfile_bad_owner(st.st_uid, o))
		return keyfile_fail(
		    DKIMSA_EKEY, err, errlen,
		    "key %s is owned by %s, not by %s that dkimsa "
		    "runs as: chown %s it " KEYFILE_FIX,
		    path, keyfile_user(st.st_uid, own, sizeof(own)),
		    keyfile_user(o->uid, run, sizeof(run)), run);
	if (keyfile_who(&st, who, sizeof(who))[0] == '\0')
		return 0;
	return keyfile_fail(
	    DKIMSA_EKEY, err, errlen,
	    "key %s is %s (mode %04o): chmod 0600 it " KEYFILE_FIX, path, who,
	    (unsigned)(st.st_mode & 07777));
}

int
keyfile_check_holder(const char *holder, const char *where,
		     const struct keyfile_opts *o, char *err, size_t errlen)
{
	char who[300], own[128], run[128], is[600];
	struct stat st;

	if (!o->require_safe || holder == NULL)
		return 0;
	if (stat(holder, &st) != 0)
		return keyfile_fail(DKIMSA_EIO, err, errlen,
				    "inline key at %s: %s: %s", where, holder,
				    strerror(errno));
	keyfile_user(st.st_uid, own, sizeof(own));
	if (keyfile_bad_owner(st.st_uid, o))
		snprintf(is, sizeof(is),
			 "is owned by %s, not by root or %s that dkimsa runs "
			 "as: chown %s",
			 own, keyfile_user(o->uid, run, sizeof(run)), run);
	else if (keyfile_who(&st, who, sizeof(who))[0] == '\0')
		return 0;
	else if (o->uid != KEYFILE_ANY_OWNER && o->uid != 0 &&
		 st.st_uid != o->uid) /* read again as that user (SIGHUP) */
		snprintf(is, sizeof(is), "is %s: chown %s and chmod 0600", who,
			 keyfile_user(o->uid, run, sizeof(run)));
	else
		snprintf(is, sizeof(is), "is %s: chmod 0600", who);
	return keyfile_fail(DKIMSA_EKEY, err, errlen,
			    "inline key at %s: %s (mode %04o, owner %s) %s "
			    "%s, or put the key in a file of its own (mode "
			    "0600) and name that file instead, " KEYFILE_FIX,
			    where, holder, (unsigned)(st.st_mode & 07777), own,
			    is, holder);
}

void
keyfile_conf_where(const char *path, const char *name, char *buf, size_t len)
{
	char line[4096], *p;
	size_t n = strlen(name);
	FILE *fp = fopen(path, "r");
	int lineno = 0, at_start = 1;

	snprintf(buf, len, "%s", path);
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
		int start = at_start;

		at_start = strchr(line, '\n') != NULL;
		if (!start)
			continue; /* the rest of a long line */
		lineno++;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (strncasecmp(p, name, n) == 0 &&
		    (p[n] == ' ' || p[n] == '\t')) {
			snprintf(buf, len, "%s, line %d", path, lineno);
			break;
		}
	}
	if (fp != NULL)
		fclose(fp);
}

int
keyfile_is_path(const char *spec)
{
	return spec[0] == '/' || strncmp(spec, "./", 2) == 0 ||
	       strncmp(spec, "../", 3) == 0;
}

/* Reads at most KEYFILE_MAX bytes of fd into a malloc()ed buffer. */
static char *
keyfile_read(int fd, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *b = malloc(cap), *nb;
	ssize_t r;

	while (b != NULL && (r = read(fd, b + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap && cap < KEYFILE_MAX) {
			nb = malloc(cap * 2);
			if (nb != NULL)
				memcpy(nb, b, n);
			OPENSSL_cleanse(b, n);
			free(b);
			b = nb;
			cap *= 2;
		} else if (n == cap) {
			break;
		}
	}
	*len = n;
	return b;
}

static int
keyfile_load_path(const char *path, const struct keyfile_opts *o,
		  dkimsa_key **out, char *err, size_t errlen)
{
	char reason[256] = "", *data;
	size_t len;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return keyfile_fail(DKIMSA_EIO, err, errlen, "key %s: %s", path,
				    strerror(errno));
	if ((rc = keyfile_check(fd, path, o, err, errlen)) != 0) {
		close(fd);
		return rc;
	}
	data = keyfile_read(fd, &len);
	close(fd);
	if (data == NULL)
		return keyfile_fail(DKIMSA_ENOMEM, err, errlen,
				    "key %s: out of memory", path);
	rc = dkimsa_key_parse(data, len, out, reason, sizeof(reason));
	OPENSSL_cleanse(data, len);
	free(data);
	if (rc != 0)
		kt_err(err, errlen, "key %s: %s", path, reason);
	return rc;
}

/*
 * Tries base64 DER wrapped in the PEM lines of label; the parser's reason
 * goes to reason.
 */
static int
keyfile_wrap(const char *b64, const char *label, dkimsa_key **out, char *reason,
	     size_t rlen)
{
	size_t n = strlen(b64), i, len;
	char *pem = malloc(n + n / 64 + 128);
	int rc;

	if (pem == NULL)
		return DKIMSA_ENOMEM;
	len = (size_t)sprintf(pem, "-----BEGIN %s-----\n", label);
	for (i = 0; i < n; i += 64)
		len += (size_t)sprintf(pem + len, "%.64s\n", b64 + i);
	len += (size_t)sprintf(pem + len, "-----END %s-----\n", label);
	rc = dkimsa_key_parse(pem, len, out, reason, rlen);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

int
keyfile_load(const char *spec, const struct keyfile_opts *o, dkimsa_key **out,
	     char *err, size_t errlen)
{
	char reason[256] = "";
	int rc;

	*out = NULL;
	if (keyfile_is_path(spec))
		return keyfile_load_path(spec, o, out, err, errlen);
	if (o->conf != NULL) { /* the text of dkimsa.conf's KeyFile */
		char where[1200];

		keyfile_conf_where(o->conf, "KeyFile", where, sizeof(where));
		if ((rc = keyfile_check_holder(o->conf, where, o, err,
					       errlen)) != 0)
			return rc;
	}
	rc = dkimsa_key_parse(spec, strlen(spec), out, reason, sizeof(reason));
	if (rc == 0 || strstr(spec, "-----") != NULL ||
	    strspn(spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789+/=") != strlen(spec) ||
	    strlen(spec) <= 44) {
		if (rc != 0)
			kt_err(err, errlen,
			       "inline key data (not a path: paths start with "
			       "\"/\"): %s",
			       reason);
		return rc;
	}
	/* PKCS#8, then PKCS#1; a DER key that parses but is refused (a short
	 * RSA key) says why */
	rc = keyfile_wrap(spec, "PRIVATE KEY", out, reason, sizeof(reason));
	if (rc == DKIMSA_EKEY && strstr(reason, "could not be parsed") != NULL)
		rc = keyfile_wrap(spec, "RSA PRIVATE KEY", out, reason,
				  sizeof(reason));
	if (rc == 0)
		return 0;
	if (rc == DKIMSA_ENOMEM)
		return keyfile_fail(rc, err, errlen, "out of memory");
	if (strstr(reason, "could not be parsed") == NULL)
		return keyfile_fail(DKIMSA_EKEY, err, errlen,
				    "inline key data (not a path: paths start "
				    "with \"/\"): %s",
				    reason);
	kt_err(err, errlen,
	       "inline key data (not a path: paths start with \"/\") is "
	       "neither PEM, base64 DER nor a base64 Ed25519 seed");
	return DKIMSA_EKEY;
}
