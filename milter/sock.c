/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock.c - is a unix socket path in use; see sock.h.  A connect(2) that
 * succeeds means a listener; ECONNREFUSED on a socket file means nobody
 * listens (its owner died without removing it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"

static const char *
sock_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	return spec[0] == '/' ? spec : NULL;
}

/* 1: someone answers, 0: nobody does, -1: cannot tell (errno set). */
static int
sock_answers(const char *path)
{
	struct sockaddr_un sun;
	int fd, rc, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	e = errno;
	close(fd);
	if (rc == 0)
		return 1;
	errno = e;
	return e == ECONNREFUSED ? 0 : -1;
}

int
sock_check_unix(const char *spec, void (*err)(void *arg, const char *msg),
		void *arg)
{
	const char *path = sock_path(spec);
	char msg[1200];
	struct stat st;
	int answers;

	if (path == NULL)
		return 0;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(msg, sizeof(msg), "Socket %s: %s", spec,
			 strerror(errno));
		err(arg, msg);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(msg, sizeof(msg),
			 "Socket %s: %s exists and is not a socket; "
			 "not removing it",
			 spec, path);
		err(arg, msg);
		return -1;
	}
	answers = sock_answers(path);
	if (answers == 0) {
		/* stale: its milter is gone; libmilter would remove it too */
		if (unlink(path) != 0 && errno != ENOENT) {
			snprintf(msg, sizeof(msg),
				 "Socket %s: cannot remove the stale socket: "
				 "%s",
				 spec, strerror(errno));
			err(arg, msg);
			return -1;
		}
		return 0;
	}
	if (answers > 0)
		snprintf(msg, sizeof(msg),
			 "Socket %s: another milter is listening on it (a "
			 "running dkimsa or opendkim?); stop it first or "
			 "choose another Socket",
			 spec);
	else
		snprintf(msg, sizeof(msg),
			 "Socket %s: cannot tell whether a milter is "
			 "listening on it: %s",
			 spec, strerror(errno));
	err(arg, msg);
	return -1;
}
