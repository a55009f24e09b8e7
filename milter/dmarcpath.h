/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarcpath.h - DMARC (RFC 9989) in verify mode: the check at end of
 * message over the SPF and DKIM results already gathered, the decision
 * it leads to (On-DMARCReject, On-DMARCQuarantine, On-DNSError,
 * On-Security; DMARCIgnoreList, InternalHosts and authenticated clients
 * never enforced), and the record of one evaluated message for the
 * aggregate-report history.
 *
 * Order at end of message (verifypath.c):
 *   dmarcpath_check()     runs the check (cache-only pass, else in a
 *                         job), m->vr.dmarc
 *   dmarcpath_decide()    what our policy makes of the result
 *   [an override, e.g. ARC's trusted sealers: dmarcpath_override()]
 *   the action, then dmarcpath_report() for the history line.
 */
#ifndef DKIMSA_MILTER_DMARCPATH_H
#define DKIMSA_MILTER_DMARCPATH_H

#include "msg.h"

/* What dkimsa does about a message's DMARC result. */
struct dmarcpath_decision {
	int action;		/* enum cfg_action */
	const char *dsn4;	/* enhanced status of a tempfail */
	char why[600];		/* the SMTP reply / log text for the action */
	int exempt;		/* enforcement off for this message: */
	char exempt_why[200];	/* InternalHosts, authenticated,
				 DMARCIgnoreList */
	int overridden;		/* an override changed the action: */
	char override_why[200]; /* e.g. "arc=pass from a trusted sealer" */
};

/* Runs the DMARC check of m into m->vr.dmarc (its DNS may block). */
void dmarcpath_check(const struct conn *c, struct msg *m);
/*
 * The action for m->vr.dmarc under the configuration: accept when there
 * is no result or the message is exempt.
 */
void dmarcpath_decide(const struct conn *c, const struct msg *m,
		      struct dmarcpath_decision *d);
/*
 * The same check of m's From fields over other results: those an ARC
 * sealer recorded (arctrust.h).  spf_domain, when not NULL, passed SPF;
 * dkim[0..ndkim) are the d= of passing signatures.  0 with *out set (free
 * it), or -1 when out of memory.  Its DNS may block, as the first check.
 */
int dmarcpath_recheck(const struct conn *c, const struct msg *m,
		      const char *spf_domain, const char *const *dkim,
		      size_t ndkim, dkimsa_dmarc_result **out);
/*
 * Local policy overrides the domain's: the action becomes accept and the
 * reason is kept (logged, and in the history line as RFC 9990's
 * "local_policy" override).  For ARC (RFC 8617) and the like.
 */
void dmarcpath_override(struct dmarcpath_decision *d, const char *why);

/* One evaluated message, as the history file (RFC 9990 reports) needs. */
struct dmarcpath_record {
	long long when;		      /* seconds since 1970 */
	const char *qid;	      /* the MTA's queue id, "" if none */
	const char *client_ip;	      /* "" if unknown */
	const char *helo;	      /* "" if none */
	const char *mail_from;	      /* "" for the null sender */
	const dkimsa_dmarc_req *req;  /* the check's request, as it was run */
	const dkimsa_dmarc_result *r; /* the check's result (never NULL) */
	int spf_result;		      /* enum dkimsa_res of SPF MAIL FROM */
	const char *spf_domain;	      /* "" when SPF did not run */
	const dkimsa_verify *dkim;    /* every signature (count may be 0) */
	int action;		      /* enum cfg_action taken */
	const struct dmarcpath_decision *d;
	const struct conn *conn; /* the connection (conn->rt: the run-time
				    state, e.g. its DMARCHistoryFile) */
};

/*
 * Where the history writer plugs in: fn gets one record per message
 * whose DMARC result has a policy record (result pass or fail), after
 * the action is chosen.  NULL (the default) writes nothing.  Set once at
 * start, before the milter runs.
 */
typedef void (*dmarcpath_history_fn)(void *arg,
				     const struct dmarcpath_record *rec);
void dmarcpath_set_history(dmarcpath_history_fn fn, void *arg);
/* Fills the record of m and hands it to the history writer, if any. */
void dmarcpath_report(const struct conn *c, const struct msg *m,
		      const struct dmarcpath_decision *d, int action);

#endif
