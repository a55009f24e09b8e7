/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mlog.h - the milter's log: syslog (SyslogFacility, default mail, under
 * SyslogName) when Syslog is on, and standard error as well in the
 * foreground (-f), so that journald or a terminal sees every line even
 * where no syslog daemon runs.  Before mlog_open, lines go to standard
 * error.  One line per message, plus the reason of every tempfail or
 * reject and every reload.
 */
#ifndef DKIMSA_MILTER_MLOG_H
#define DKIMSA_MILTER_MLOG_H

#include <syslog.h>

struct cfg;

/* Where the log goes from now on (call once, after daemon()). */
void mlog_open(const struct cfg *c, int foreground);
/*
 * Before going to the background: warns on standard error when Syslog is
 * on but nothing listens on /dev/log, where the lines would vanish.
 */
void mlog_check_syslog(const struct cfg *c, int foreground);
void mlog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A dkimsa_log_fn for the library handle. */
void mlog_lib(void *arg, int level, const char *msg);
/* LOG_MAIL etc. for a syslog.conf(5) facility name; -1 when unknown. */
int mlog_facility(const char *name);

#endif
