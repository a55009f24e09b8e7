/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rt.h - the milter's run-time state built from one configuration: the
 * settings, the library handle (DNS cache), the host lists and the signing
 * keys.  It is built whole at start and on SIGHUP (rt_load), then
 * installed atomically (rt_install); each connection holds a reference
 * (rt_current / rt_put), so a reload never changes a connection's view
 * and a failed reload leaves the old state in place.
 */
#ifndef DKIMSA_MILTER_RT_H
#define DKIMSA_MILTER_RT_H

#include <sys/types.h>

#include "arccfg.h"
#include "cfg.h"
#include "dkimsa.h"
#include "histfile.h"
#include "hostlist.h"
#include "keytable.h"
#include "signing.h"

struct rt {
	int refs;
	char *path; /* the configuration file */
	struct cfg cfg;
	dkimsa_lib *lib;
	int can_sign, can_verify;
	int hcanon, bcanon;
	char *authserv_id; /* AuthservID, or the host name (HOSTNAME, unset) */
	hostlist *internal, *ignore, *peers;
	hostlist *dmarc_ignore; /* DMARCIgnoreList */
	kt_table *mta, *macros, *domains;
	signing *signing; /* KeyTable + SigningTable, or NULL */
	dkimsa_key *key;  /* KeyFile (with Domain and Selector), or NULL */
	/* DMARCHistoryFile (histfile.h), or NULL */
	histfile *dmarchist;

	struct arccfg *arc; /* ARC settings (arccfg.h), or NULL */
};

/* Error sink for rt_load: one complete message per call. */
typedef void (*rt_err_fn)(void *arg, const char *msg);

/* rt_load flags. */
#define RT_START_DNS 0x01    /* start the resolver */
#define RT_CHECK_TABLES 0x02 /* KeyTable and SigningTable checked whole */

/*
 * Builds a state from the file; uid is the user the milter will run as
 * (for RequireSafeKeys).  Returns the number of errors, all reported; *out
 * is set only when there were none.  Without RT_START_DNS everything is
 * checked but the resolver is not started (no threads: the process may
 * still fork).  Without RT_CHECK_TABLES only small KeyTables and
 * SigningTables are checked whole (signing.h); the milter looks the
 * others up per message, and dkimsa -n checks them whole.
 */
int rt_load(const char *path, uid_t uid, int flags, struct rt **out,
	    rt_err_fn err, void *arg);
/* The installed state with a reference taken. */
struct rt *rt_current(void);
/* Installs rt (taking over the caller's reference). */
void rt_install(struct rt *rt);
void rt_put(struct rt *rt);

#endif
