/*
 * mlog.c - logging for the milter; see mlog.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "mlog.h"

static int mlog_syslog;

void
mlog_open(int to_syslog)
{
	mlog_syslog = to_syslog;
	if (to_syslog)
		openlog("dkimsa", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
mlog(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (mlog_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		char line[2048];

		vsnprintf(line, sizeof(line), fmt, ap);
		fprintf(stderr, "dkimsa[%ld]: %s\n", (long)getpid(), line);
	}
	va_end(ap);
}

void
mlog_lib(void *arg, int level, const char *msg)
{
	(void)arg;
	mlog(level, "%s", msg);
}
