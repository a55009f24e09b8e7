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

int
keyfile_check(int fd, const char *path, const struct keyfile_opts *o, char *err,
	      size_t errlen)
{
	char who[300], grp[128], own[128], run[128];
	struct stat st;
	int gr, gw, orr, ow;

	if (fstat(fd, &st) != 0)
		return keyfile_fail(DKIMSA_EIO, err, errlen, "key %s: %s", path,
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return keyfile_fail(DKIMSA_EKEY, err, errlen,
				    "key %s is not a regular file", path);
	if (!o->require_safe)
		return 0;
	if (o->uid != KEYFILE_ANY_OWNER && st.st_uid != o->uid &&
	    st.st_uid != 0)
		return keyfile_fail(
		    DKIMSA_EKEY, err, errlen,
		    "key %s is owned by %s, not by %s that dkimsa "
		    "runs as: chown %s it " KEYFILE_FIX,
		    path, keyfile_user(st.st_uid, own, sizeof(own)),
		    keyfile_user(o->uid, run, sizeof(run)), run);
	gr = !!(st.st_mode & S_IRGRP), gw = !!(st.st_mode & S_IWGRP);
	orr = !!(st.st_mode & S_IROTH), ow = !!(st.st_mode & S_IWOTH);
	if (!(gr || gw || orr || ow))
		return 0;
	keyfile_group(st.st_gid, grp, sizeof(grp));
	if ((gr || gw) && (orr || ow))
		snprintf(who, sizeof(who), "%s by group %s and %s by others",
			 keyfile_access(gr, gw), grp, keyfile_access(orr, ow));
	else if (gr || gw)
		snprintf(who, sizeof(who), "%s by group %s",
			 keyfile_access(gr, gw), grp);
	else
		snprintf(who, sizeof(who), "%s by others",
			 keyfile_access(orr, ow));
	return keyfile_fail(
	    DKIMSA_EKEY, err, errlen,
	    "key %s is %s (mode %04o): chmod 0600 it " KEYFILE_FIX, path, who,
	    (unsigned)(st.st_mode & 07777));
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

/* Tries base64 DER wrapped in the PEM lines of label. */
static int
keyfile_wrap(const char *b64, const char *label, dkimsa_key **out)
{
	size_t n = strlen(b64), i, len;
	char *pem = malloc(n + n / 64 + 128), reason[64];
	int rc;

	if (pem == NULL)
		return DKIMSA_ENOMEM;
	len = (size_t)sprintf(pem, "-----BEGIN %s-----\n", label);
	for (i = 0; i < n; i += 64)
		len += (size_t)sprintf(pem + len, "%.64s\n", b64 + i);
	len += (size_t)sprintf(pem + len, "-----END %s-----\n", label);
	rc = dkimsa_key_parse(pem, len, out, reason, sizeof(reason));
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
	if (keyfile_wrap(spec, "PRIVATE KEY", out) == 0 ||
	    keyfile_wrap(spec, "RSA PRIVATE KEY", out) == 0)
		return 0;
	kt_err(err, errlen,
	       "inline key data (not a path: paths start with \"/\") is "
	       "neither PEM, base64 DER nor a base64 Ed25519 seed");
	return DKIMSA_EKEY;
}
