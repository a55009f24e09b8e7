/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histfile.c - DMARCHistoryFile (see histfile.h): one write() of one
 * complete line on an O_APPEND descriptor; failures are logged, never
 * returned to the mail path as an error that would hold a message.
 *
 * Memory: a histfile owns its descriptor and its path copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmarchist.h"
#include "histfile.h"
#include "mlog.h"

struct histfile {
	int fd;
	char *path;
	atomic_ulong failures; /* consecutive failed writes */
	atomic_int torn;       /* last write was short: start with '\n' */
};

histfile *
histfile_open(const char *path, int create, char *err, size_t errlen)
{
	histfile *h;
	char dir[4096];
	const char *slash;
	int fd;

	err[0] = '\0';
	if (!create) {
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0) {
			close(fd);
			return NULL;
		}
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return NULL;
		}
		slash = strrchr(path, '/');
		snprintf(dir, sizeof(dir), "%.*s",
			 slash == NULL ? 1
				       : (int)(slash - path + (slash == path)),
			 slash == NULL ? "." : path);
		if (access(dir, W_OK | X_OK) != 0)
			snprintf(err, errlen, "%s: cannot create in %s: %s",
				 path, dir, strerror(errno));
		return NULL;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
		  0640);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL || (h->path = strdup(path)) == NULL) {
		free(h);
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	h->fd = fd;
	return h;
}

static void
histfile_failed(histfile *h, const char *why)
{
	unsigned long n = atomic_fetch_add(&h->failures, 1);

	if (n == 0 || n % 1000 == 0)
		mlog(LOG_ERR,
		     "DMARCHistoryFile %s: %s; history line%s lost (%lu so "
		     "far), mail goes on",
		     h->path, why, n == 0 ? "" : "s", n + 1);
}

int
histfile_write(histfile *h, const char *line, size_t len)
{
	char *joined = NULL;
	const char *out = line;
	int prefixed = 0;
	unsigned long lost;
	ssize_t n;

	if (h == NULL)
		return -1;
	if (atomic_exchange(&h->torn, 0)) {
		/* end the fragment a short write left behind */
		joined = malloc(len + 1);
		if (joined == NULL) {
			atomic_store(&h->torn, 1);
			histfile_failed(h, "out of memory");
			return -1;
		}
		joined[0] = '\n';
		memcpy(joined + 1, line, len);
		out = joined;
		len++;
		prefixed = 1;
	}
	n = write(h->fd, out, len);
	free(joined);
	if (n < 0 || (size_t)n != len) {
		if (n > 0 || prefixed)
			atomic_store(&h->torn, 1);
		histfile_failed(h, n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	lost = atomic_exchange(&h->failures, 0);
	if (lost > 0)
		mlog(LOG_NOTICE,
		     "DMARCHistoryFile %s: writing again after %lu lost "
		     "line%s",
		     h->path, lost, lost == 1 ? "" : "s");
	return 0;
}

int
histfile_append(histfile *h, const struct dmarchist_rec *r)
{
	char *line;
	size_t len;
	int rc;

	if (h == NULL)
		return -1;
	if (dmarchist_format(r, &line, &len) != 0) {
		histfile_failed(h, "out of memory");
		return -1;
	}
	rc = histfile_write(h, line, len);
	free(line);
	return rc;
}

void
histfile_free(histfile *h)
{
	if (h == NULL)
		return;
	close(h->fd);
	free(h->path);
	free(h);
}
