/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarcpath.c - see dmarcpath.h.  The library does the RFC 9989 work
 * (dkimsa_dmarc_check); this file feeds it what the milter gathered and
 * turns its verdict into an action by dkimsa.conf(5): a fail whose
 * disposition (after t=y) is reject takes On-DMARCReject, quarantine
 * takes On-DMARCQuarantine; temperror takes On-DNSError; a DNSSEC-bogus
 * answer takes On-Security.  RFC 9989 section 5.3.6 leaves the handling
 * of failing mail to the receiver: InternalHosts, authenticated clients
 * and DMARCIgnoreList matches are never enforced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cfg.h"
#include "dmarcpath.h"
#include "mlog.h"
#include "rt.h"

static dmarcpath_history_fn dmarcpath_history;
static void *dmarcpath_history_arg;

/* Every From field: the values joined by ",", and their number. */
static char *
dmarcpath_from(const struct msg *m, int *count)
{
	size_t i, total = 1, nl;
	char *out;

	*count = 0;
	for (i = 0; i < m->nhdrs; i++)
		total += m->hdrs[i].len + 1;
	if ((out = calloc(1, total)) == NULL)
		return NULL;
	for (i = 0; i < m->nhdrs; i++) {
		if (strcasecmp(m->hdrs[i].name, "From") != 0)
			continue;
		nl = strlen(m->hdrs[i].name) + 1; /* "From:" */
		if ((*count)++ > 0)
			strcat(out, ",");
		strcat(out, m->hdrs[i].field + nl);
	}
	return out;
}

/*
 * The request of m (SPF and DKIM results as they are now); *from and
 * *sigs hold its strings (free both).  0, or -1 when out of memory.
 */
static int
dmarcpath_req(const struct conn *c, const struct msg *m, dkimsa_dmarc_req *req,
	      char **from, dkimsa_dmarc_dkim **sigs)
{
	int i, n = m->verify ? dkimsa_verify_count(m->verify) : 0;
	const dkimsa_spf_result *spf = m->vr.spf_mailfrom;

	memset(req, 0, sizeof(*req));
	*sigs = NULL;
	if ((*from = dmarcpath_from(m, &req->from_count)) == NULL ||
	    (n > 0 && (*sigs = calloc((size_t)n, sizeof(**sigs))) == NULL)) {
		free(*from);
		*from = NULL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		const dkimsa_sigresult *r = dkimsa_verify_result(m->verify, i);

		(*sigs)[i].domain = r->domain;
		(*sigs)[i].selector = r->selector;
		(*sigs)[i].result = r->result;
	}
	req->from_header = req->from_count > 0 ? *from : NULL;
	req->mail_from = m->mail_from;
	req->helo = c->helo;
	req->spf_result = spf ? spf->result : DKIMSA_RES_NONE;
	req->spf_domain = spf ? spf->domain : NULL;
	req->dkim = *sigs;
	req->ndkim = (size_t)n;
	return 0;
}

void
dmarcpath_check(const struct conn *c, struct msg *m)
{
	dkimsa_dmarc_dkim *sigs;
	dkimsa_dmarc_req req;
	char *from;

	if (dmarcpath_req(c, m, &req, &from, &sigs) != 0)
		return; /* no result: no DMARC action, nothing reported */
	if (dkimsa_dmarc_check(c->rt->lib, &req, &m->vr.dmarc) != 0)
		m->vr.dmarc = NULL;
	free(sigs);
	free(from);
}

int
dmarcpath_recheck(const struct conn *c, const struct msg *m,
		  const char *spf_domain, const char *const *dkim, size_t ndkim,
		  dkimsa_dmarc_result **out)
{
	dkimsa_dmarc_dkim *sigs = NULL;
	dkimsa_dmarc_req req;
	char *from;
	size_t i;
	int rc;

	*out = NULL;
	memset(&req, 0, sizeof(req));
	if ((from = dmarcpath_from(m, &req.from_count)) == NULL ||
	    (ndkim > 0 && (sigs = calloc(ndkim, sizeof(*sigs))) == NULL)) {
		free(from);
		return -1;
	}
	for (i = 0; i < ndkim; i++) {
		sigs[i].domain = dkim[i];
		sigs[i].selector = "";
		sigs[i].result = DKIMSA_RES_PASS;
	}
	req.from_header = req.from_count > 0 ? from : NULL;
	req.spf_result = spf_domain != NULL ? DKIMSA_RES_PASS : DKIMSA_RES_NONE;
	req.spf_domain = spf_domain;
	req.dkim = sigs;
	req.ndkim = ndkim;
	rc = dkimsa_dmarc_check(c->rt->lib, &req, out) == 0 ? 0 : -1;
	free(sigs);
	free(from);
	return rc;
}

/* InternalHosts, authenticated clients, DMARCIgnoreList. */
static int
dmarcpath_exempt(const struct conn *c, const struct msg *m, char *why,
		 size_t len)
{
	const hostlist *ign = c->rt->dmarc_ignore;
	const char *dom = m->vr.dmarc->from_domain;

	if (c->internal)
		snprintf(why, len, "client %s is in InternalHosts",
			 c->addr ? c->addr : "unknown");
	else if (m->auth_authen)
		snprintf(why, len, "client authenticated");
	else if (ign && c->addr && hostlist_match(ign, c->addr, NULL))
		snprintf(why, len, "client %s is in DMARCIgnoreList", c->addr);
	else if (ign && *dom && hostlist_match(ign, NULL, dom))
		snprintf(why, len, "From domain %s is in DMARCIgnoreList", dom);
	else
		return 0;
	return 1;
}

void
dmarcpath_decide(const struct conn *c, const struct msg *m,
		 struct dmarcpath_decision *d)
{
	const struct cfg *cfg = &c->rt->cfg;
	const dkimsa_dmarc_result *r = m->vr.dmarc;

	memset(d, 0, sizeof(*d));
	d->action = CFG_ACCEPT;
	d->dsn4 = "4.7.1";
	if (r == NULL)
		return;
	if (r->result == DKIMSA_RES_FAIL &&
	    r->disposition == DKIMSA_DMARC_P_REJECT) {
		d->action = cfg->on_dmarc_reject;
		snprintf(d->why, sizeof(d->why),
			 "rejected by the DMARC policy of %s: %s",
			 r->policy_domain, r->reason);
	} else if (r->result == DKIMSA_RES_FAIL &&
		   r->disposition == DKIMSA_DMARC_P_QUARANTINE) {
		d->action = cfg->on_dmarc_quarantine;
		snprintf(d->why, sizeof(d->why),
			 "quarantined by the DMARC policy of %s: %s",
			 r->policy_domain, r->reason);
	} else if (r->result == DKIMSA_RES_TEMPERROR) {
		d->action = cfg->on_dns_error;
		d->dsn4 = "4.4.3";
		snprintf(d->why, sizeof(d->why), "DMARC temperror for %s: %s",
			 *r->from_domain ? r->from_domain : "the From domain",
			 r->reason);
	} else if (r->result == DKIMSA_RES_PERMERROR && r->dnssec_bogus) {
		d->action = cfg->on_security;
		snprintf(d->why, sizeof(d->why), "DMARC permerror for %s: %s",
			 r->from_domain, r->reason);
	}
	if (d->action != CFG_ACCEPT &&
	    dmarcpath_exempt(c, m, d->exempt_why, sizeof(d->exempt_why))) {
		d->exempt = 1;
		mlog(LOG_INFO, "%s: DMARC not enforced (%s): %s",
		     m->qid ? m->qid : "NOQUEUE", d->exempt_why, d->why);
		d->action = CFG_ACCEPT;
	}
}

void
dmarcpath_override(struct dmarcpath_decision *d, const char *why)
{
	d->overridden = 1;
	d->action = CFG_ACCEPT;
	snprintf(d->override_why, sizeof(d->override_why), "%s", why);
}

void
dmarcpath_set_history(dmarcpath_history_fn fn, void *arg)
{
	dmarcpath_history = fn;
	dmarcpath_history_arg = arg;
}

void
dmarcpath_report(const struct conn *c, const struct msg *m,
		 const struct dmarcpath_decision *d, int action)
{
	const dkimsa_spf_result *spf = m->vr.spf_mailfrom;
	struct dmarcpath_record rec;
	dkimsa_dmarc_dkim *sigs;
	dkimsa_dmarc_req req;
	char *from;

	if (dmarcpath_history == NULL || m->vr.dmarc == NULL ||
	    (m->vr.dmarc->result != DKIMSA_RES_PASS &&
	     m->vr.dmarc->result != DKIMSA_RES_FAIL) ||
	    dmarcpath_req(c, m, &req, &from, &sigs) != 0)
		return;
	memset(&rec, 0, sizeof(rec));
	rec.when = (long long)time(NULL);
	rec.qid = m->qid ? m->qid : "";
	rec.client_ip = c->addr ? c->addr : "";
	rec.helo = c->helo ? c->helo : "";
	rec.mail_from = m->mail_from ? m->mail_from : "";
	rec.req = &req;
	rec.r = m->vr.dmarc;
	rec.spf_result = spf ? spf->result : DKIMSA_RES_NONE;
	rec.spf_domain = spf ? spf->domain : "";
	rec.dkim = m->verify;
	rec.action = action;
	rec.d = d;
	rec.conn = c;
	dmarcpath_history(dmarcpath_history_arg, &rec);
	free(sigs);
	free(from);
}
