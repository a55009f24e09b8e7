/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * asuser.h - "dkimsa -n" as the milter will run: the whole configuration
 * (file, tables, key files) loaded again in a child process that has
 * become UserID, so a key root can read but UserID cannot is an error
 * now rather than at the next start or SIGHUP.
 */
#ifndef DKIMSA_MILTER_ASUSER_H
#define DKIMSA_MILTER_ASUSER_H

#include <sys/types.h>

#include "rt.h"

/*
 * Loads path (rt_load, no DNS) in a child running as uid:gid (groups:
 * gid only, as the daemon does); user names them in the messages given
 * to err.  Returns the child's number of errors, or 1 when it could not
 * run.  The caller must be root and have no other threads.
 */
int asuser_check(const char *path, const char *user, uid_t uid, gid_t gid,
		 rt_err_fn err, void *arg);

#endif
