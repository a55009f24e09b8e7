/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_mech.c - SPF mechanisms that test the client address (RFC 7208
 * sections 5.1-5.7): all, a, mx, ptr, ip4, ip6, exists, and the validated
 * PTR names shared by "ptr" and %{p} (section 5.5).  Address queries for
 * several MX or PTR names are started together and then collected.
 *
 * Memory: answers are freed here; the PTR name cache lives in the spf_ev
 * and is released by spf_mech_free().
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "spf_eval.h"

static int
mech_addr_type(const struct spf_ev *ev)
{
	return ev->req->ip.family == 4 ? DNS_T_A : DNS_T_AAAA;
}

/* Does any A/AAAA record in a match the client within the term's CIDR? */
static int
mech_answer_matches(const struct spf_ev *ev, const struct dns_answer *a,
		    int cidr4, int cidr6)
{
	const struct addr *ip = &ev->req->ip;
	struct addr x;
	size_t i;

	if (a->status != DNS_OK)
		return 0;
	for (i = 0; i < a->count; i++)
		if (addr_from_bytes(a->rr[i].data, a->rr[i].len, &x) == 0 &&
		    addr_match(ip, &x, ip->family == 4 ? cidr4 : cidr6))
			return 1;
	return 0;
}

/* One lookup with the time and name checks; NULL answer = out of memory. */
static struct dns_answer *
mech_lookup(struct spf_ev *ev, const char *name, int type, int *rc)
{
	struct dns_answer *a;

	*rc = spf_ev_time_ok(ev);
	if (*rc != 0)
		return NULL;
	if (!spf_eval_name_ok(name)) {
		*rc = spf_ev_void(ev); /* cannot exist: as NXDOMAIN */
		return NULL;
	}
	a = dns_lookup(ev->ctx, &ev->budget, name, type);
	if (a == NULL) {
		ev->nomem = 1;
		*rc = DKIMSA_RES_TEMPERROR;
		return NULL;
	}
	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA) {
		*rc = spf_ev_void(ev);
	} else if (a->status != DNS_OK) {
		*rc = spf_ev_dns_error(ev, name, a);
	} else {
		*rc = 0;
		return a;
	}
	dns_answer_free(a);
	return NULL;
}

/* a, exists: one address lookup. */
static int
mech_a(struct spf_ev *ev, const struct spf_term *t, const char *target)
{
	int type = t->mech == SPF_M_EXISTS ? DNS_T_A : mech_addr_type(ev);
	struct dns_answer *a;
	int rc, hit;

	a = mech_lookup(ev, target, type, &rc);
	if (a == NULL)
		return rc;
	hit = t->mech == SPF_M_EXISTS
		  ? a->count > 0
		  : mech_answer_matches(ev, a, t->cidr4, t->cidr6);
	dns_answer_free(a);
	return hit ? SPF_EV_MATCH : SPF_EV_NOMATCH;
}

/*
 * Starts an address query for each name (empty names are skipped, as the
 * null MX of RFC 7505), then collects them.  Returns SPF_EV_MATCH,
 * SPF_EV_NOMATCH, or when nothing matched DKIMSA_RES_PERMERROR (query
 * budget spent) or DKIMSA_RES_TEMPERROR (a lookup failed).
 */
static int
mech_addrs(struct spf_ev *ev, char **names, size_t n, int cidr4, int cidr6,
	   int *matched)
{
	dns_query *q[SPF_EVAL_MAX_PTR + SPF_EVAL_MAX_MX];
	struct dns_answer *a;
	size_t i;
	int hit = 0, err = 0;

	for (i = 0; i < n; i++) {
		q[i] = NULL;
		if (names[i][0] != '\0' && spf_eval_name_ok(names[i]))
			q[i] = dns_query_start(ev->ctx, &ev->budget, names[i],
					       mech_addr_type(ev));
	}
	for (i = 0; i < n; i++) {
		if (q[i] == NULL)
			continue;
		if (hit && matched == NULL) {
			dns_query_cancel(q[i]);
			continue;
		}
		a = dns_query_wait(q[i]);
		if (a == NULL) {
			ev->nomem = 1;
			err = 1;
			continue;
		}
		if (a->status == DNS_LIMIT)
			err = 2;
		else if (a->status != DNS_OK && a->status != DNS_NXDOMAIN &&
			 a->status != DNS_NODATA && err == 0)
			err = 1;
		if (mech_answer_matches(ev, a, cidr4, cidr6)) {
			hit = 1;
			if (matched != NULL)
				matched[i] = 1;
		}
		dns_answer_free(a);
	}
	if (hit)
		return SPF_EV_MATCH;
	if (err == 2) {
		buf_printf(&ev->why, "DNS query limit reached");
		return DKIMSA_RES_PERMERROR;
	}
	return err ? DKIMSA_RES_TEMPERROR : SPF_EV_NOMATCH;
}

static int
mech_mx(struct spf_ev *ev, const struct spf_term *t, const char *target)
{
	char *names[SPF_EVAL_MAX_MX];
	struct dns_answer *a;
	size_t i;
	int rc;

	a = mech_lookup(ev, target, DNS_T_MX, &rc);
	if (a == NULL)
		return rc;
	if (a->count > SPF_EVAL_MAX_MX) {
		buf_printf(&ev->why, "%s has %zu MX records (limit %d)", target,
			   a->count, SPF_EVAL_MAX_MX);
		dns_answer_free(a);
		return DKIMSA_RES_PERMERROR;
	}
	for (i = 0; i < a->count; i++)
		names[i] = (char *)a->rr[i].data;
	rc = mech_addrs(ev, names, a->count, t->cidr4, t->cidr6, NULL);
	dns_answer_free(a);
	if (rc == DKIMSA_RES_TEMPERROR)
		buf_printf(&ev->why, "address lookup for an MX of %s failed",
			   target);
	return rc;
}

/* Fetches and validates the PTR names of the client once (5.5). */
static void
mech_ptr_fetch(struct spf_ev *ev)
{
	char name[ADDR_TEXT_MAX], *cand[SPF_EVAL_MAX_PTR];
	int ok[SPF_EVAL_MAX_PTR] = {0};
	struct dns_answer *a;
	size_t i, n;

	ev->ptr_state = 1;
	ev->ptr_status = DNS_SERVFAIL;
	if (spf_ev_time_ok(ev) != 0)
		return;
	addr_reverse_name(&ev->req->ip, name, sizeof(name));
	a = dns_lookup(ev->ctx, &ev->budget, name, DNS_T_PTR);
	if (a == NULL) {
		ev->nomem = 1;
		return;
	}
	ev->ptr_status = a->status;
	n = a->count < SPF_EVAL_MAX_PTR ? a->count : SPF_EVAL_MAX_PTR;
	for (i = 0; i < n; i++)
		cand[i] = (char *)a->rr[i].data;
	mech_addrs(ev, cand, n, 32, 128, ok); /* errors: name skipped */
	ev->ptr_names = calloc(n ? n : 1, sizeof(char *));
	for (i = 0; ev->ptr_names != NULL && i < n; i++) {
		if (!ok[i])
			continue;
		ev->ptr_names[ev->ptr_count] = strdup(cand[i]);
		if (ev->ptr_names[ev->ptr_count] != NULL)
			ev->ptr_count++;
		else
			ev->nomem = 1;
	}
	if (ev->ptr_names == NULL)
		ev->nomem = 1;
	dns_answer_free(a);
}

/* name equals domain or ends with "." domain (case-insensitive). */
static int
mech_in_domain(const char *name, const char *domain)
{
	size_t nl = strlen(name), dl = strlen(domain);

	if (dl > 0 && domain[dl - 1] == '.')
		dl--;
	if (nl == dl)
		return strncasecmp(name, domain, dl) == 0;
	return nl > dl && name[nl - dl - 1] == '.' &&
	       strncasecmp(name + nl - dl, domain, dl) == 0;
}

static int
mech_ptr(struct spf_ev *ev, const char *target)
{
	size_t i;
	int rc;

	if (!ev->ptr_state)
		mech_ptr_fetch(ev);
	if (ev->ptr_status == DNS_NXDOMAIN || ev->ptr_status == DNS_NODATA) {
		rc = spf_ev_void(ev);
		if (rc != SPF_EV_NOMATCH)
			return rc;
	}
	for (i = 0; i < ev->ptr_count; i++)
		if (mech_in_domain(ev->ptr_names[i], target))
			return SPF_EV_MATCH;
	return SPF_EV_NOMATCH; /* a PTR lookup error is no match (5.5) */
}

const char *
spf_mech_ptr_name(void *arg)
{
	struct spf_ev *ev = arg;
	size_t i;

	if (!ev->ptr_state)
		mech_ptr_fetch(ev);
	for (i = 0; i < ev->ptr_count; i++) /* the domain itself */
		if (strcasecmp(ev->ptr_names[i], ev->p_domain) == 0)
			return ev->ptr_names[i];
	for (i = 0; i < ev->ptr_count; i++) /* then a subdomain */
		if (mech_in_domain(ev->ptr_names[i], ev->p_domain))
			return ev->ptr_names[i];
	return ev->ptr_count > 0 ? ev->ptr_names[0] : "unknown";
}

int
spf_mech_eval(struct spf_ev *ev, const struct spf_term *t, const char *target)
{
	const struct addr *ip = &ev->req->ip;

	switch (t->mech) {
	case SPF_M_ALL:
		return SPF_EV_MATCH;
	case SPF_M_IP4:
	case SPF_M_IP6:
		return addr_match(ip, &t->net,
				  t->mech == SPF_M_IP4 ? t->cidr4 : t->cidr6)
			   ? SPF_EV_MATCH
			   : SPF_EV_NOMATCH;
	case SPF_M_A:
	case SPF_M_EXISTS:
		return mech_a(ev, t, target);
	case SPF_M_MX:
		return mech_mx(ev, t, target);
	case SPF_M_PTR:
		return mech_ptr(ev, target);
	}
	return DKIMSA_RES_PERMERROR;
}

void
spf_mech_free(struct spf_ev *ev)
{
	size_t i;

	for (i = 0; i < ev->ptr_count; i++)
		free(ev->ptr_names[i]);
	free(ev->ptr_names);
	ev->ptr_names = NULL;
	ev->ptr_count = 0;
}
