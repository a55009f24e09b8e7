/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arctrust.c - see arctrust.h.  The chain's result and its AAR come from
 * the library's ARC object (dkimsa_arc_get_aar), alignment from the
 * library's DMARC check (dmarcpath_recheck); this file only picks the
 * sealer's results out of the AAR and says what it found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arccfg.h"
#include "arctrust.h"
#include "dmarcpath.h"
#include "job.h"
#include "mlog.h"
#include "msg.h"
#include "rt.h"

/* The results of one AAR that could justify an override. */
struct arctrust_check {
	const struct conn *c;
	const struct msg *m;
	const char *spf;			 /* smtp.mailfrom domain */
	const char *dkim[DKIMSA_AR_MAX_RESINFO]; /* header.d of dkim=pass */
	size_t ndkim;
	dkimsa_dmarc_result *r; /* the check over them */
	int rc;
};

static const char *
arctrust_qid(const struct msg *m)
{
	return m->qid ? m->qid : "NOQUEUE";
}

/*
 * 1 with the sealer and its instance when the chain passed and the
 * oldest-pass sealer is in ARCTrustedSealers; 0; -1 on a table error.
 */
static int
arctrust_sealer(const struct conn *c, const struct msg *m, const char **sealer,
		int *instance)
{
	const struct arccfg *a = c->rt->arc;
	const dkimsa_arc_result *r;
	char why[512], *v = NULL;
	int rc;

	*sealer = NULL;
	if (a == NULL || a->trusted == NULL || m->arc == NULL ||
	    (r = dkimsa_arc_get_result(m->arc)) == NULL)
		return 0;
	if (r->result != DKIMSA_RES_PASS || r->oldest_pass_sealer == NULL ||
	    r->oldest_pass_sealer[0] == '\0')
		return 0;
	rc = kt_get(a->trusted, r->oldest_pass_sealer, &v, why, sizeof(why));
	free(v);
	if (rc == KT_ERROR) {
		mlog(LOG_ERR, "%s: ARCTrustedSealers %s: %s", arctrust_qid(m),
		     a->trusted_spec, why);
		return -1;
	}
	if (rc != KT_FOUND)
		return 0;
	*sealer = r->oldest_pass_sealer;
	*instance = r->oldest_pass > 0 ? r->oldest_pass : 1;
	return 1;
}

/* The domain of an address ("user@d", "@d") or the value itself. */
static const char *
arctrust_domain(const char *v)
{
	const char *at;

	if (v == NULL)
		return NULL;
	at = strrchr(v, '@');
	v = at ? at + 1 : v;
	return *v ? v : NULL;
}

/* 1 when the AAR has dmarc=pass for the From domain (text set). */
static int
arctrust_dmarc_pass(const dkimsa_ar_parsed *aar, const char *from, char *text,
		    size_t tlen)
{
	const char *hf;
	size_t i;

	for (i = 0; i < aar->nresinfo; i++) {
		const dkimsa_ar_resinfo *ri = &aar->resinfo[i];

		if (strcmp(ri->method, "dmarc") != 0 ||
		    strcmp(ri->result, "pass") != 0)
			continue;
		hf = dkimsa_ar_parsed_prop(ri, "header", "from");
		if (hf != NULL && strcasecmp(hf, from) == 0) {
			snprintf(text, tlen, "dmarc=pass header.from=%s", hf);
			return 1;
		}
	}
	return 0;
}

/* The passing SPF and DKIM identifiers the AAR records, into k. */
static void
arctrust_ids(const dkimsa_ar_parsed *aar, struct arctrust_check *k)
{
	const char *d;
	size_t i;

	for (i = 0; i < aar->nresinfo; i++) {
		const dkimsa_ar_resinfo *ri = &aar->resinfo[i];

		if (strcmp(ri->result, "pass") != 0)
			continue;
		if (strcmp(ri->method, "dkim") == 0) {
			d = dkimsa_ar_parsed_prop(ri, "header", "d");
			if (d == NULL)
				d = arctrust_domain(
				    dkimsa_ar_parsed_prop(ri, "header", "i"));
			if (d != NULL && *d && k->ndkim < DKIMSA_AR_MAX_RESINFO)
				k->dkim[k->ndkim++] = d;
		} else if (strcmp(ri->method, "spf") == 0 && k->spf == NULL) {
			k->spf = arctrust_domain(
			    dkimsa_ar_parsed_prop(ri, "smtp", "mailfrom"));
		}
	}
}

static void
arctrust_check_job(void *arg)
{
	struct arctrust_check *k = arg;

	k->rc = dmarcpath_recheck(k->c, k->m, k->spf, k->dkim, k->ndkim, &k->r);
}

static void
arctrust_check_reset(void *arg)
{
	struct arctrust_check *k = arg;

	dkimsa_dmarc_result_free(k->r);
	k->r = NULL;
}

/* The DMARC check over k's identifiers: cache-only here, else a job. */
static int
arctrust_recheck(SMFICTX *ctx, struct arctrust_check *k)
{
	job_run_cached(ctx, arctrust_check_job, arctrust_check_reset, k);
	return k->rc;
}

/*
 * 1 when the AAR justifies an override (text: the result that does), 0
 * when it does not (text: why not).
 */
static int
arctrust_evidence(SMFICTX *ctx, const struct conn *c, const struct msg *m,
		  const dkimsa_ar_parsed *aar, char *text, size_t tlen)
{
	const char *from = m->vr.dmarc->from_domain;
	struct arctrust_check k;
	int ok = 0;

	if (arctrust_dmarc_pass(aar, from, text, tlen))
		return 1;
	memset(&k, 0, sizeof(k));
	k.c = c;
	k.m = m;
	arctrust_ids(aar, &k);
	if (k.spf == NULL && k.ndkim == 0) {
		snprintf(text, tlen,
			 "no dmarc=pass for %s, no dkim=pass, no spf=pass "
			 "with smtp.mailfrom",
			 from);
		return 0;
	}
	if (arctrust_recheck(ctx, &k) != 0 || k.r == NULL) {
		snprintf(text, tlen, "out of memory checking alignment");
	} else if (k.r->result == DKIMSA_RES_PASS && k.r->dkim_aligned) {
		snprintf(text, tlen, "dkim=pass header.d=%s", k.r->dkim_domain);
		ok = 1;
	} else if (k.r->result == DKIMSA_RES_PASS) {
		snprintf(text, tlen, "spf=pass smtp.mailfrom domain %s", k.spf);
		ok = 1;
	} else {
		snprintf(text, tlen, "%s (dmarc=%s over its results)",
			 k.r->reason, dkimsa_res_name(k.r->result));
	}
	dkimsa_dmarc_result_free(k.r);
	return ok;
}

void
arctrust_dmarc(SMFICTX *ctx, const struct conn *c, struct msg *m,
	       struct dmarcpath_decision *d)
{
	const dkimsa_dmarc_result *r = m->vr.dmarc;
	dkimsa_ar_parsed *aar = NULL;
	const char *sealer;
	char text[300], why[400];
	int inst = 0;

	if (r == NULL || r->result != DKIMSA_RES_FAIL || d->exempt ||
	    (r->disposition != DKIMSA_DMARC_P_QUARANTINE &&
	     r->disposition != DKIMSA_DMARC_P_REJECT) ||
	    arctrust_sealer(c, m, &sealer, &inst) != 1)
		return;
	if (dkimsa_arc_get_aar(m->arc, inst, &aar, text, sizeof(text)) != 0 ||
	    aar->instance != inst) {
		mlog(LOG_NOTICE,
		     "%s: ARC sealer %s is trusted but its AAR (i=%d) "
		     "cannot be read: %s; DMARC policy of %s applies",
		     arctrust_qid(m), sealer, inst,
		     aar ? "wrong instance" : text, r->policy_domain);
		dkimsa_ar_parsed_free(aar);
		return;
	}
	if (!arctrust_evidence(ctx, c, m, aar, text, sizeof(text))) {
		mlog(LOG_NOTICE,
		     "%s: ARC sealer %s is trusted but its AAR (i=%d, %s) "
		     "shows no aligned pass for %s: %s; DMARC policy of %s "
		     "applies",
		     arctrust_qid(m), sealer, inst, aar->authserv_id,
		     r->from_domain, text, r->policy_domain);
		dkimsa_ar_parsed_free(aar);
		return;
	}
	snprintf(why, sizeof(why), "arc=pass, trusted sealer %s, AAR i=%d: %s",
		 sealer, inst, text);
	mlog(LOG_INFO, "%s: DMARC overridden: %s", arctrust_qid(m), why);
	dmarcpath_override(d, why);
	snprintf(m->arc_override, sizeof(m->arc_override), "%s", sealer);
	dkimsa_ar_parsed_free(aar);
}

void
arctrust_ar(const struct msg *m, dkimsa_ar *ar)
{
	char text[300];

	if (m->arc_override[0] == '\0')
		return;
	snprintf(text, sizeof(text), "arc override: %s", m->arc_override);
	dkimsa_ar_comment(ar, text);
}
