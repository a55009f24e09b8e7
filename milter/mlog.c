/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mlog.c - logging for the milter; see mlog.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfg.h"
#include "mlog.h"

#define MLOG_DEVLOG "/dev/log"

static int mlog_syslog;
static int mlog_stderr = 1;
static char mlog_ident[64] = "dkimsa";

static const struct {
	const char *name;
	int facility;
} mlog_facilities[] = {
    {"auth", LOG_AUTH},	    {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},		{"kern", LOG_KERN},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},	{"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},	{"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},	{"lpr", LOG_LPR},
    {"mail", LOG_MAIL},	    {"news", LOG_NEWS},		{"syslog", LOG_SYSLOG},
    {"user", LOG_USER},	    {"uucp", LOG_UUCP},
};

int
mlog_facility(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(mlog_facilities) / sizeof(mlog_facilities[0]);
	     i++)
		if (strcasecmp(name, mlog_facilities[i].name) == 0)
			return mlog_facilities[i].facility;
	return -1;
}

/* 1 when a syslog daemon accepts datagrams on /dev/log. */
static int
mlog_devlog_alive(void)
{
	struct sockaddr_un sun;
	int fd, ok;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, MLOG_DEVLOG, sizeof(MLOG_DEVLOG));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0)
		return 1; /* cannot tell: say nothing */
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	if (!ok) { /* some daemons use a stream socket */
		close(fd);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
			return 1;
		ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	}
	close(fd);
	return ok;
}

void
mlog_open(const struct cfg *c, int foreground)
{
	int facility = mlog_facility(c->syslog_facility);

	mlog_syslog = c->syslog;
	mlog_stderr = foreground;
	/* under systemd the journal reads /dev/log too: one copy is enough */
	if (foreground && mlog_syslog && getenv("JOURNAL_STREAM") != NULL &&
	    mlog_devlog_alive())
		mlog_stderr = 0;
	/* openlog keeps the pointer: the ident must outlive a reload */
	snprintf(mlog_ident, sizeof(mlog_ident), "%s", c->syslog_name);
	if (mlog_syslog)
		openlog(mlog_ident, LOG_PID | LOG_NDELAY,
			facility < 0 ? LOG_MAIL : facility);
}

void
mlog_check_syslog(const struct cfg *c, int foreground)
{
	if (!c->syslog || mlog_devlog_alive())
		return;
	fprintf(stderr,
		"dkimsa: warning: Syslog is on but no syslog daemon listens "
		"on " MLOG_DEVLOG "; %s\n",
		foreground ? "the log goes to standard error only"
			   : "the log will be lost: install a syslog daemon "
			     "(e.g. rsyslog) or run dkimsa -f, which logs to "
			     "standard error (journald under systemd)");
}

void
mlog(int level, const char *fmt, ...)
{
	va_list ap;

	if (mlog_syslog) {
		va_start(ap, fmt);
		vsyslog(level, fmt, ap);
		va_end(ap);
	}
	if (mlog_stderr || !mlog_syslog) {
		char line[2048];

		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		fprintf(stderr, "%s[%ld]: %s\n", mlog_ident, (long)getpid(),
			line);
	}
}

void
mlog_lib(void *arg, int level, const char *msg)
{
	(void)arg;
	mlog(level, "%s", msg);
}
