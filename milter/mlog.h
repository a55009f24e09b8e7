/*
 * mlog.h - the milter's log: syslog (facility mail) or stderr when
 * running in the foreground.  One line per message, plus the reason of
 * every tempfail or reject and every reload.
 */
#ifndef DKIMSA_MILTER_MLOG_H
#define DKIMSA_MILTER_MLOG_H

#include <syslog.h>

void mlog_open(int to_syslog);
void mlog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A dkimsa_log_fn for the library handle. */
void mlog_lib(void *arg, int level, const char *msg);

#endif
