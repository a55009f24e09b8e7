/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histrec.c - one DMARC evaluation as a history record (see histrec.h):
 * the published policy fields, the SPF and DKIM inputs, the DMARC result
 * and the disposition with its RFC 9990 override reason (t=y is
 * policy_test_mode, a local rule local_policy).
 *
 * Memory: the record is flat; nothing is kept.
 */
#include <string.h>
#include <time.h>

#include "histrec.h"

/* The domain of an address ("local@domain" or a bare domain). */
static const char *
histrec_domain(const char *addr)
{
	const char *at;

	if (addr == NULL)
		return "";
	at = strrchr(addr, '@');
	return at != NULL ? at + 1 : addr;
}

static int
histrec_disp(int policy)
{
	switch (policy) {
	case DKIMSA_DMARC_P_QUARANTINE:
		return DMARCHIST_D_QUARANTINE;
	case DKIMSA_DMARC_P_REJECT:
		return DMARCHIST_D_REJECT;
	default:
		return DMARCHIST_D_NONE;
	}
}

static void
histrec_policy(struct dmarchist_rec *r, const dkimsa_dmarc_result *res)
{
	size_t i;

	dmarchist_set(r->header_from, DMARCHIST_NAME, res->from_domain);
	dmarchist_set(r->policy_domain, DMARCHIST_NAME, res->policy_domain);
	dmarchist_set(r->org_domain, DMARCHIST_NAME, res->org_domain);
	r->p = res->p;
	r->sp = res->sp;
	r->np = res->np;
	r->adkim = res->adkim_strict ? 's' : 'r';
	r->aspf = res->aspf_strict ? 's' : 'r';
	r->testing = res->testing ? 'y' : 'n';
	r->psd = res->psd == 1 ? 'y' : res->psd == 0 ? 'n' : 'u';
	dmarchist_set(r->fo, sizeof(r->fo), res->fo);
	for (i = 0; res->rua != NULL && res->rua[i] != NULL &&
		    r->nrua < DMARCHIST_MAXRUA;
	     i++)
		dmarchist_set(r->rua[r->nrua++], DMARCHIST_NAME, res->rua[i]);
	r->dmarc = res->result;
	r->dkim_aligned = res->dkim_aligned != 0;
	r->spf_aligned = res->spf_aligned != 0;
}

void
histrec_fill(struct dmarchist_rec *r, const dkimsa_dmarc_req *req,
	     const dkimsa_dmarc_result *res, const struct histrec_action *act)
{
	int asked;
	size_t i;

	dmarchist_init(r);
	r->time = req->now > 0 ? req->now : (long long)time(NULL);
	dmarchist_set(r->job, sizeof(r->job), act->job);
	dmarchist_set(r->ip, sizeof(r->ip), act->client_ip);
	dmarchist_set(r->env_from, DMARCHIST_NAME,
		      req->mail_from != NULL && req->mail_from[0] != '\0'
			  ? histrec_domain(req->mail_from)
			  : "");
	dmarchist_set(r->env_to, DMARCHIST_NAME, histrec_domain(act->rcpt));
	histrec_policy(r, res);
	dmarchist_set(r->spf_domain, DMARCHIST_NAME, req->spf_domain);
	r->spf_helo = req->mail_from == NULL || req->mail_from[0] == '\0';
	r->spf = req->spf_result;
	for (i = 0; i < req->ndkim && r->ndkim < DMARCHIST_MAXDKIM; i++) {
		if (req->dkim[i].domain == NULL ||
		    req->dkim[i].domain[0] == '\0')
			continue;
		dmarchist_set(r->dkim[r->ndkim].domain, DMARCHIST_NAME,
			      req->dkim[i].domain);
		dmarchist_set(r->dkim[r->ndkim].selector, DMARCHIST_NAME,
			      req->dkim[i].selector);
		r->dkim[r->ndkim].result = req->dkim[i].result;
		r->ndkim++;
	}
	/* what DMARC asked for: pass, or the policy after t=y */
	asked = res->result == DKIMSA_RES_PASS ? DMARCHIST_D_PASS
					       : histrec_disp(res->disposition);
	r->disp = act->applied >= 0 ? act->applied : asked;
	if (act->local_override != NULL && r->disp != asked) {
		r->reason = DMARCHIST_R_LOCAL_POLICY;
		dmarchist_set(r->comment, DMARCHIST_NAME, act->local_override);
	} else if (res->result != DKIMSA_RES_PASS && res->testing &&
		   res->disposition != res->policy) {
		r->reason = DMARCHIST_R_POLICY_TEST_MODE;
		dmarchist_set(r->comment, DMARCHIST_NAME, "t=y");
	}
}
