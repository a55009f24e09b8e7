/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * asuser.c - load the configuration as UserID in a child; see asuser.h.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "asuser.h"

struct asuser_sink {
	const char *user;
	rt_err_fn err;
	void *arg;
};

/* Every message of the child says whose view it is. */
static void
asuser_err(void *arg, const char *msg)
{
	const struct asuser_sink *s = arg;
	char line[1400];

	snprintf(line, sizeof(line), "as UserID %s: %s", s->user, msg);
	s->err(s->arg, line);
}

static int
asuser_child(const char *path, const struct asuser_sink *s, uid_t uid,
	     gid_t gid)
{
	struct rt *rt = NULL;
	char msg[300];
	int n;

	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		snprintf(msg, sizeof(msg), "cannot become it: %s",
			 strerror(errno));
		asuser_err((void *)s, msg);
		return 1;
	}
	n = rt_load(path, uid, RT_CHECK_TABLES, &rt, asuser_err, (void *)s);
	rt_put(rt);
	return n;
}

int
asuser_check(const char *path, const char *user, uid_t uid, gid_t gid,
	     rt_err_fn err, void *arg)
{
	struct asuser_sink s = {user, err, arg};
	char msg[300];
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		snprintf(msg, sizeof(msg),
			 "cannot check as UserID %s: fork: %s", user,
			 strerror(errno));
		err(arg, msg);
		return 1;
	}
	if (pid == 0) {
		int n = asuser_child(path, &s, uid, gid);

		fflush(stderr);
		_exit(n > 100 ? 100 : n);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	snprintf(msg, sizeof(msg), "the check as UserID %s died (signal %d)",
		 user, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	err(arg, msg);
	return 1;
}
