/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histrec.h - the DMARC history line of one message (dmarchist.h) from
 * what the milter's verify path has: the DMARC request and result of
 * libdkimsa, the client address, queue id and first recipient, and what
 * the milter did with the message.
 */
#ifndef DKIMSA_MILTER_HISTREC_H
#define DKIMSA_MILTER_HISTREC_H

#include "dkimsa.h"
#include "dmarchist.h"

/* What the milter did, as RFC 9990 reports it. */
struct histrec_action {
	const char *client_ip; /* text address, NULL/"" unknown */
	const char *job;       /* queue id, or NULL */
	const char *rcpt;      /* first RCPT TO address (or domain), or NULL */
	/*
	 * The disposition applied: DMARCHIST_D_* (none, quarantine,
	 * reject), or -1 for "what DMARC asked for" (pass, or the policy
	 * after t=y).
	 */
	int applied;
	/* Set when a local rule (exemption table, InternalHosts, an
	 * On-DMARC* action of accept) kept the message from the policy:
	 * reported as local_policy with this comment. */
	const char *local_override;
};

/* Fills r (initialised here) for one message. */
void histrec_fill(struct dmarchist_rec *r, const dkimsa_dmarc_req *req,
		  const dkimsa_dmarc_result *res,
		  const struct histrec_action *act);

#endif
