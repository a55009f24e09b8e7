/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_eval.c - check_host() (RFC 7208 sections 4 and 6; RFC 4406 section
 * 4 for Sender ID scopes): record lookup and selection, term evaluation in
 * order with the processing limits of 4.6.4, include and redirect
 * recursion, and the explanation (6.2) for fail.
 *
 * Memory: the spf_ev state lives on the stack of spf_eval(); results are
 * copied into the caller's spf_eval_res.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dkimsa.h"
#include "sid.h"
#include "spf_eval.h"

static long long
eval_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
spf_eval_name_ok(const char *name)
{
	size_t len = strlen(name), label = 0, i;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i == len || name[i] == '.') {
			if (label == 0 || label > 63)
				return 0;
			label = 0;
		} else {
			label++;
		}
	}
	return 1;
}

int
spf_ev_time_ok(struct spf_ev *ev)
{
	if (eval_now_ms() <= ev->deadline_ms)
		return 0;
	buf_printf(&ev->why, "time limit of %u ms exceeded",
		   ev->req->time_ms ? ev->req->time_ms : SPF_EVAL_TIME_MS);
	return DKIMSA_RES_TEMPERROR;
}

int
spf_ev_void(struct spf_ev *ev)
{
	if (++ev->voids <= SPF_EVAL_MAX_VOIDS)
		return SPF_EV_NOMATCH;
	buf_printf(&ev->why, "more than %d void lookups", SPF_EVAL_MAX_VOIDS);
	return DKIMSA_RES_PERMERROR;
}

int
spf_ev_dns_error(struct spf_ev *ev, const char *name,
		 const struct dns_answer *a)
{
	if (a->status == DNS_LIMIT) {
		buf_printf(&ev->why, "DNS query limit reached at %s", name);
		return DKIMSA_RES_PERMERROR;
	}
	if (a->status == DNS_BADNAME)
		return spf_ev_void(ev);
	if (a->status == DNS_NOMEM)
		ev->nomem = 1;
	buf_printf(&ev->why, "DNS lookup of %s failed: %s%s%s", name,
		   dns_status_name(a->status), a->why ? ", " : "",
		   a->why ? a->why : "");
	return DKIMSA_RES_TEMPERROR;
}

/* Picks the single "v=spf1" record of a TXT answer (4.5). */
static int
eval_select_spf1(const struct dns_answer *a, const struct dns_rr **rec,
		 size_t *vlen)
{
	size_t i, vl;
	int n = 0, scopes;

	for (i = 0; i < a->count; i++)
		if (spf_rec_version((const char *)a->rr[i].data, a->rr[i].len,
				    &vl, &scopes) == 1) {
			*rec = &a->rr[i];
			*vlen = vl;
			n++;
		}
	if (n == 0)
		return DKIMSA_RES_NONE;
	return n == 1 ? SPF_EV_FOUND : DKIMSA_RES_PERMERROR;
}

/* Looks up and parses the record of domain: SPF_EV_FOUND or a result. */
static int
eval_fetch(struct spf_ev *ev, const char *domain, struct spf_rec **rec)
{
	const struct dns_rr *rr = NULL;
	struct dns_answer *a;
	char err[160];
	size_t vlen = 0;
	int rc;

	*rec = NULL;
	if (!spf_eval_name_ok(domain)) {
		buf_printf(&ev->why, "%s is not a valid domain name", domain);
		return DKIMSA_RES_NONE;
	}
	if ((rc = spf_ev_time_ok(ev)) != 0)
		return rc;
	a = dns_lookup(ev->ctx, &ev->budget, domain, DNS_T_TXT);
	if (a == NULL) {
		ev->nomem = 1;
		return DKIMSA_RES_TEMPERROR;
	}
	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA ||
	    a->status == DNS_BADNAME) {
		rc =
		    (a->status != DNS_NODATA && ev->req->scope == SPF_SCOPE_PRA)
			? DKIMSA_RES_FAIL /* RFC 4406 section 4.4 */
			: DKIMSA_RES_NONE;
		buf_printf(&ev->why, "no record at %s (%s)", domain,
			   dns_status_name(a->status));
	} else if (a->status != DNS_OK) {
		rc = spf_ev_dns_error(ev, domain, a);
	} else {
		rc = ev->req->scope ? sid_select(a, ev->req->scope, &rr, &vlen)
				    : eval_select_spf1(a, &rr, &vlen);
		if (rc == DKIMSA_RES_NONE)
			buf_printf(&ev->why, "no SPF record at %s", domain);
		else if (rc != SPF_EV_FOUND)
			buf_printf(&ev->why, "several SPF records at %s",
				   domain);
	}
	if (rc == SPF_EV_FOUND) {
		rc = spf_rec_parse((const char *)rr->data, rr->len, vlen, rec,
				   err, sizeof(err));
		if (rc == DKIMSA_ENOMEM)
			ev->nomem = 1;
		if (rc != 0) {
			buf_printf(&ev->why, "record of %s: %s", domain, err);
			rc = DKIMSA_RES_PERMERROR;
		} else {
			rc = SPF_EV_FOUND;
		}
	}
	dns_answer_free(a);
	return rc;
}

static void
eval_env(struct spf_ev *ev, const char *domain, struct spf_macro_env *env,
	 const char *local, const char *sdomain)
{
	memset(env, 0, sizeof(*env));
	env->sender = ev->req->sender;
	env->local = local;
	env->sender_domain = sdomain;
	env->domain = domain;
	env->helo = ev->req->helo ? ev->req->helo : "";
	env->receiver = ev->req->receiver;
	env->ip = &ev->req->ip;
	env->now = ev->req->now ? ev->req->now : (long long)time(NULL);
	env->ptr_name = spf_mech_ptr_name;
	env->ptr_arg = ev;
	ev->p_domain = domain;
}

/* Explanation for fail (6.2); any problem gives NULL (no exp). */
static char *
eval_explain(struct spf_ev *ev, const char *spec,
	     const struct spf_macro_env *env)
{
	struct dns_answer *a = NULL;
	char *name = NULL, *out = NULL;
	const char *txt;
	size_t i;
	buf b;

	buf_init(&b);
	if (spf_macro_domain(spec, strlen(spec), env, &name) != 0 ||
	    !spf_eval_name_ok(name) || spf_ev_time_ok(ev) != 0)
		goto done;
	a = dns_lookup(ev->ctx, &ev->budget, name, DNS_T_TXT);
	if (a == NULL || a->status != DNS_OK || a->count != 1)
		goto done;
	txt = (const char *)a->rr[0].data;
	for (i = 0; i < a->rr[0].len; i++)
		if ((unsigned char)txt[i] < 0x20 ||
		    (unsigned char)txt[i] > 0x7e)
			goto done;
	if (spf_macro_expand(txt, a->rr[0].len, SPF_MACRO_EXP, env, &b) == 0)
		out = buf_steal(&b);
done:
	buf_free(&b);
	dns_answer_free(a);
	free(name);
	return out;
}

static int eval_host(struct spf_ev *ev, const char *domain, int top, char **exp,
		     char **mech);

/* Counts a DNS-querying term (4.6.4); 0 or DKIMSA_RES_PERMERROR. */
static int
eval_count_term(struct spf_ev *ev)
{
	if (++ev->terms <= SPF_EVAL_MAX_TERMS)
		return 0;
	buf_printf(&ev->why, "more than %d DNS-querying terms",
		   SPF_EVAL_MAX_TERMS);
	return DKIMSA_RES_PERMERROR;
}

/* Expands a term's target: domain-spec or the current domain. */
static int
eval_target(struct spf_ev *ev, const char *spec, const char *domain,
	    const struct spf_macro_env *env, char **out)
{
	int rc;

	if (spec == NULL) {
		*out = strdup(domain);
		rc = *out ? 0 : DKIMSA_ENOMEM;
	} else {
		rc = spf_macro_domain(spec, strlen(spec), env, out);
	}
	if (rc == DKIMSA_ENOMEM)
		ev->nomem = 1;
	if (rc != 0) {
		buf_printf(&ev->why, "cannot expand \"%s\"", spec ? spec : "");
		return DKIMSA_RES_PERMERROR;
	}
	return 0;
}

/* include (5.2): the recursive result decides match or error. */
static int
eval_include(struct spf_ev *ev, const char *target)
{
	int r = eval_host(ev, target, 0, NULL, NULL);

	switch (r) {
	case DKIMSA_RES_PASS:
		return SPF_EV_MATCH;
	case DKIMSA_RES_FAIL:
	case DKIMSA_RES_SOFTFAIL:
	case DKIMSA_RES_NEUTRAL:
		return SPF_EV_NOMATCH;
	case DKIMSA_RES_TEMPERROR:
		return DKIMSA_RES_TEMPERROR;
	default:
		buf_printf(&ev->why, "; include:%s gave %s", target,
			   dkimsa_res_name(r));
		return DKIMSA_RES_PERMERROR;
	}
}

static int
eval_term(struct spf_ev *ev, const struct spf_term *t, const char *domain,
	  const struct spf_macro_env *env)
{
	char *target = NULL;
	int rc;

	if (spf_rec_is_dns_mech(t->mech)) {
		if ((rc = eval_count_term(ev)) != 0)
			return rc;
		if ((rc = eval_target(ev, t->domain, domain, env, &target)) !=
		    0)
			return rc;
	}
	if (t->mech == SPF_M_INCLUDE)
		rc = eval_include(ev, target);
	else
		rc = spf_mech_eval(ev, t, target);
	free(target);
	return rc;
}

/* Evaluates the terms, then redirect (6.1); returns a result code. */
static int
eval_record(struct spf_ev *ev, const struct spf_rec *rec, const char *domain,
	    const struct spf_macro_env *env, int top, char **exp, char **mech)
{
	char *target = NULL;
	size_t i;
	int rc;

	for (i = 0; i < rec->nterms; i++) {
		rc = eval_term(ev, &rec->terms[i], domain, env);
		ev->p_domain = domain; /* restore after include */
		if (rc == SPF_EV_NOMATCH)
			continue;
		if (rc != SPF_EV_MATCH)
			return rc;
		if (top) {
			buf_reset(&ev->why);
			buf_printf(&ev->why, "%s matched in the record of %s",
				   rec->terms[i].text, domain);
			*mech = strdup(rec->terms[i].text);
			if (*mech == NULL)
				ev->nomem = 1;
			if (rec->terms[i].qual == DKIMSA_RES_FAIL && rec->exp)
				*exp = eval_explain(ev, rec->exp, env);
		}
		return rec->terms[i].qual;
	}
	if (rec->redirect == NULL) {
		if (top) {
			buf_reset(&ev->why);
			buf_printf(&ev->why, "no term matched in %s", domain);
		}
		return DKIMSA_RES_NEUTRAL;
	}
	if ((rc = eval_count_term(ev)) != 0 ||
	    (rc = eval_target(ev, rec->redirect, domain, env, &target)) != 0)
		return rc;
	rc = eval_host(ev, target, top, exp, mech);
	if (rc == DKIMSA_RES_NONE) {
		buf_printf(&ev->why, "; redirect=%s has no record", target);
		rc = DKIMSA_RES_PERMERROR;
	}
	free(target);
	return rc;
}

/* check_host() for one domain; top = the chain whose exp counts. */
static int
eval_host(struct spf_ev *ev, const char *domain, int top, char **exp,
	  char **mech)
{
	struct spf_macro_env env;
	struct spf_rec *rec;
	const char *sender = ev->req->sender, *at = strrchr(sender, '@');
	char *local;
	int rc;

	rc = eval_fetch(ev, domain, &rec);
	if (rc != SPF_EV_FOUND)
		return rc;
	local = at ? strndup(sender, (size_t)(at - sender)) : strdup("");
	if (local == NULL) {
		ev->nomem = 1;
		spf_rec_free(rec);
		return DKIMSA_RES_TEMPERROR;
	}
	eval_env(ev, domain, &env, local[0] ? local : "postmaster",
		 at ? at + 1 : sender);
	rc = eval_record(ev, rec, domain, &env, top, exp, mech);
	free(local);
	spf_rec_free(rec);
	return rc;
}

int
spf_eval(dns_ctx *ctx, const struct spf_eval_req *req, struct spf_eval_res *res)
{
	struct spf_ev ev;
	char *exp = NULL, *mech = NULL;

	memset(res, 0, sizeof(*res));
	memset(&ev, 0, sizeof(ev));
	ev.ctx = ctx;
	ev.req = req;
	ev.budget.max =
	    req->max_queries ? req->max_queries : SPF_EVAL_MAX_QUERIES;
	ev.deadline_ms =
	    eval_now_ms() + (req->time_ms ? req->time_ms : SPF_EVAL_TIME_MS);
	buf_init(&ev.why);
	res->result = eval_host(&ev, req->domain, 1, &exp, &mech);
	if (res->result != DKIMSA_RES_FAIL) {
		free(exp);
		exp = NULL;
	} else if (exp == NULL && req->default_exp != NULL) {
		exp = strdup(req->default_exp);
	}
	res->exp = exp;
	res->mech = mech;
	res->queries = ev.budget.used;
	res->terms = ev.terms;
	res->voids = ev.voids;
	res->reason = buf_steal(&ev.why);
	spf_mech_free(&ev);
	if (ev.nomem || res->reason == NULL) {
		spf_eval_res_free(res);
		return DKIMSA_ENOMEM;
	}
	return 0;
}

void
spf_eval_res_free(struct spf_eval_res *res)
{
	free(res->exp);
	free(res->reason);
	free(res->mech);
	res->exp = res->reason = res->mech = NULL;
}
