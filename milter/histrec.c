/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histrec.c - one evaluated message as a DMARC history record (see
 * histrec.h): the published policy, the SPF and DKIM results, the DMARC
 * result and alignment, and the disposition with RFC 9990's override
 * reason (section 2.1.5): t=y is policy_test_mode, an exemption or a
 * local action that is not the policy's is local_policy.
 *
 * Memory: the record is flat; histrec_write allocates it per message.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "histfile.h"
#include "histrec.h"
#include "msg.h"
#include "rt.h"

static const char *
histrec_domain(const char *addr)
{
	const char *at;

	if (addr == NULL)
		return "";
	at = strrchr(addr, '@');
	return at != NULL ? at + 1 : addr;
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

static void
histrec_dkim(struct dmarchist_rec *r, const dkimsa_verify *v)
{
	const dkimsa_sigresult *s;
	int i, n = v != NULL ? dkimsa_verify_count(v) : 0;

	for (i = 0; i < n && r->ndkim < DMARCHIST_MAXDKIM; i++) {
		s = dkimsa_verify_result(v, i);
		if (s == NULL || s->domain == NULL || s->domain[0] == '\0')
			continue;
		dmarchist_set(r->dkim[r->ndkim].domain, DMARCHIST_NAME,
			      s->domain);
		dmarchist_set(r->dkim[r->ndkim].selector, DMARCHIST_NAME,
			      s->selector);
		r->dkim[r->ndkim].result = s->result;
		r->ndkim++;
	}
}

/* The policy's own disposition: pass, or the policy after t=y. */
static int
histrec_asked(const dkimsa_dmarc_result *res)
{
	if (res->result == DKIMSA_RES_PASS)
		return DMARCHIST_D_PASS;
	if (res->disposition == DKIMSA_DMARC_P_REJECT)
		return DMARCHIST_D_REJECT;
	if (res->disposition == DKIMSA_DMARC_P_QUARANTINE)
		return DMARCHIST_D_QUARANTINE;
	return DMARCHIST_D_NONE;
}

/* What was done, and why when that is not what the policy asked. */
static void
histrec_disposition(struct dmarchist_rec *r, const struct dmarcpath_record *rec)
{
	const dkimsa_dmarc_result *res = rec->r;
	const struct dmarcpath_decision *d = rec->d;
	int asked = histrec_asked(res);
	const char *why = NULL;

	switch (rec->action) {
	case CFG_REJECT:
		r->disp = DMARCHIST_D_REJECT;
		break;
	case CFG_QUARANTINE:
		r->disp = DMARCHIST_D_QUARANTINE;
		break;
	default: /* accept; a tempfail or discard is "none" with a note */
		r->disp = asked == DMARCHIST_D_PASS ? DMARCHIST_D_PASS
						    : DMARCHIST_D_NONE;
		break;
	}
	if (r->disp == asked) {
		if (res->result != DKIMSA_RES_PASS && res->testing &&
		    res->disposition != res->policy) {
			r->reason = DMARCHIST_R_POLICY_TEST_MODE;
			dmarchist_set(r->comment, DMARCHIST_NAME, "t=y");
		}
		return;
	}
	if (d != NULL && d->exempt)
		why = d->exempt_why;
	else if (d != NULL && d->overridden)
		why = d->override_why;
	if (rec->action == CFG_TEMPFAIL || rec->action == CFG_DISCARD) {
		r->reason = DMARCHIST_R_OTHER;
		dmarchist_set(r->comment, DMARCHIST_NAME,
			      cfg_action_name(rec->action));
		return;
	}
	r->reason = DMARCHIST_R_LOCAL_POLICY;
	dmarchist_set(r->comment, DMARCHIST_NAME,
		      why != NULL && why[0] != '\0'
			  ? why
			  : (asked == DMARCHIST_D_QUARANTINE
				 ? "On-DMARCQuarantine: verdict in "
				   "Authentication-Results"
				 : "On-DMARCReject"));
}

void
histrec_fill(struct dmarchist_rec *r, const struct dmarcpath_record *rec)
{
	dmarchist_init(r);
	r->time = rec->when;
	dmarchist_set(r->job, sizeof(r->job), rec->qid);
	dmarchist_set(r->ip, sizeof(r->ip), rec->client_ip);
	dmarchist_set(r->env_from, DMARCHIST_NAME,
		      rec->mail_from != NULL && rec->mail_from[0] != '\0'
			  ? histrec_domain(rec->mail_from)
			  : "");
	histrec_policy(r, rec->r);
	dmarchist_set(r->spf_domain, DMARCHIST_NAME, rec->spf_domain);
	r->spf_helo = rec->mail_from == NULL || rec->mail_from[0] == '\0';
	r->spf = rec->spf_result;
	histrec_dkim(r, rec->dkim);
	histrec_disposition(r, rec);
}

void
histrec_write(void *arg, const struct dmarcpath_record *rec)
{
	histfile *h = rec->conn != NULL && rec->conn->rt != NULL
			  ? rec->conn->rt->dmarchist
			  : NULL;
	struct dmarchist_rec *r;

	(void)arg;
	if (h == NULL || (r = malloc(sizeof(*r))) == NULL)
		return;
	histrec_fill(r, rec);
	histfile_append(h, r);
	free(r);
}
