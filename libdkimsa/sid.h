/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sid.h - Sender ID (RFC 4406): record selection for a scope and the
 * mfrom / pra checks over check_host().
 *
 * Memory: results are filled into caller-owned spf_eval_res structures
 * (spf_eval_res_free); inputs are borrowed.
 */
#ifndef DKIMSA_SID_H
#define DKIMSA_SID_H

#include <stddef.h>

#include "dns.h"
#include "spf_eval.h"

/*
 * RFC 4406 section 4.4: the one "spf2.0" record whose scopes include
 * `scope` (SPF_SCOPE_MFROM or SPF_SCOPE_PRA); with none, the one "v=spf1"
 * record.  Returns SPF_EV_FOUND with *rec and *vlen (version tag length) set,
 * DKIMSA_RES_NONE when there is no record, DKIMSA_RES_PERMERROR when
 * there are several.
 */
int sid_select(const struct dns_answer *a, int scope, const struct dns_rr **rec,
	       size_t *vlen);

/*
 * Runs the Sender ID check of `mailbox` ("local@domain") in `scope`.  The
 * request supplies ip, helo, receiver, now; sender, domain and scope are
 * set from the mailbox.  A mailbox whose domain is not a usable name
 * gives permerror for pra and none for mfrom.  0 or DKIMSA_ENOMEM.
 */
int sid_check(dns_ctx *ctx, const struct spf_eval_req *base, int scope,
	      const char *mailbox, struct spf_eval_res *res);

#endif
