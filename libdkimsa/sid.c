/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sid.c - Sender ID (RFC 4406): choosing the record for a scope
 * (section 4.4) and running the mfrom and pra checks with check_host().
 *
 * Memory: see sid.h.
 */
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "sid.h"
#include "spf_rec.h"

static int
sid_pick(const struct dns_answer *a, int want_version, int scope,
	 const struct dns_rr **rec, size_t *vlen)
{
	size_t i, vl;
	int n = 0, scopes;

	for (i = 0; i < a->count; i++) {
		if (spf_rec_version((const char *)a->rr[i].data, a->rr[i].len,
				    &vl, &scopes) != want_version ||
		    !(scopes & scope))
			continue;
		*rec = &a->rr[i];
		*vlen = vl;
		n++;
	}
	return n;
}

int
sid_select(const struct dns_answer *a, int scope, const struct dns_rr **rec,
	   size_t *vlen)
{
	int n = sid_pick(a, 2, scope, rec, vlen);

	if (n == 0)
		n = sid_pick(a, 1, scope, rec, vlen); /* v=spf1 stands in */
	if (n == 0)
		return DKIMSA_RES_NONE;
	return n == 1 ? SPF_EV_FOUND : DKIMSA_RES_PERMERROR;
}

int
sid_check(dns_ctx *ctx, const struct spf_eval_req *base, int scope,
	  const char *mailbox, struct spf_eval_res *res)
{
	struct spf_eval_req req = *base;
	const char *at = strrchr(mailbox, '@');
	const char *domain = at ? at + 1 : mailbox;

	req.scope = scope;
	req.sender = mailbox;
	req.domain = domain;
	if (strchr(domain, '.') == NULL || !spf_eval_name_ok(domain)) {
		memset(res, 0, sizeof(*res));
		res->result = scope == SPF_SCOPE_PRA ? DKIMSA_RES_PERMERROR
						     : DKIMSA_RES_NONE;
		res->reason = strdup("the domain is not a valid name");
		return res->reason ? 0 : DKIMSA_ENOMEM;
	}
	return spf_eval(ctx, &req, res);
}
