/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_eval.h - check_host() (RFC 7208 sections 4-6) on a given dns_ctx,
 * shared by SPF and Sender ID (RFC 4406 section 4, with a scope).
 *
 * Limits (RFC 7208 section 4.6.4): 10 DNS-querying terms (include a mx
 * ptr exists redirect), 2 void lookups, 10 MX names (more is permerror),
 * 10 PTR names (the rest ignored); every query also counts against a
 * dns_budget (SPF_EVAL_MAX_QUERIES) and the whole check against a time
 * limit, so a check is bounded in queries and in time.
 *
 * Memory: spf_eval() fills a caller-owned spf_eval_res whose strings are
 * released by spf_eval_res_free(); the request's strings are borrowed.
 */
#ifndef DKIMSA_SPF_EVAL_H
#define DKIMSA_SPF_EVAL_H

#include "addr.h"
#include "buf.h"
#include "dns.h"
#include "spf_macro.h"
#include "spf_rec.h"

#define SPF_EVAL_MAX_TERMS 10
#define SPF_EVAL_MAX_VOIDS 2
#define SPF_EVAL_MAX_MX 10
#define SPF_EVAL_MAX_PTR 10
#define SPF_EVAL_MAX_QUERIES 150
#define SPF_EVAL_TIME_MS 20000

struct spf_eval_req {
	struct addr ip;	      /* the client; IPv4-mapped already IPv4 */
	const char *sender;   /* "local@domain" (postmaster@HELO when null) */
	const char *domain;   /* the domain to check */
	const char *helo;     /* %{h}; NULL = "" */
	const char *receiver; /* %{r}; NULL = "unknown" */
	const char
	    *default_exp; /* explanation for fail without exp=, or NULL */
	long long now;	  /* %{t}; 0 = time(NULL) */
	int scope;	  /* 0: SPF (v=spf1); SPF_SCOPE_*: Sender ID */
	int max_queries;  /* 0 = SPF_EVAL_MAX_QUERIES */
	unsigned time_ms; /* 0 = SPF_EVAL_TIME_MS */
};

struct spf_eval_res {
	int result;   /* enum dkimsa_res */
	char *exp;    /* fail only: explanation, or NULL */
	char *reason; /* what decided the result, never NULL after spf_eval */
	char *mech;   /* the deciding mechanism ("-all") or NULL */
	int queries;  /* DNS queries started */
	int terms;    /* DNS-querying terms evaluated */
	int voids;    /* void lookups */
};

/*
 * Runs check_host(ip, domain, sender).  Returns 0 (the outcome is in res,
 * temperror and permerror included) or DKIMSA_ENOMEM.
 */
int spf_eval(dns_ctx *ctx, const struct spf_eval_req *req,
	     struct spf_eval_res *res);
void spf_eval_res_free(struct spf_eval_res *res);

/*
 * 1 when name can be sent as a query: 1-63 byte labels, at most 253
 * characters (a final dot allowed).
 */
int spf_eval_name_ok(const char *name);

/* ---- shared with spf_mech.c (internal) ---- */

/* Outcomes of one term besides a result code. */
#define SPF_EV_NOMATCH (-1)
#define SPF_EV_MATCH (-2)
#define SPF_EV_FOUND (-3) /* record selection: exactly one record */

struct spf_ev {
	dns_ctx *ctx;
	const struct spf_eval_req *req;
	struct dns_budget budget;
	long long deadline_ms;
	int terms, voids;
	int nomem;
	buf why; /* reason for the outcome so far */
	/* validated PTR names for ptr and %{p}, fetched once */
	int ptr_state;	  /* 0 not yet, 1 done */
	int ptr_status;	  /* enum dns_status of the PTR lookup */
	char **ptr_names; /* validated names */
	size_t ptr_count;
	const char *p_domain; /* current domain for %{p} */
};

/* Time check before a query; 0 or DKIMSA_RES_TEMPERROR. */
int spf_ev_time_ok(struct spf_ev *ev);
/* Counts a void lookup: SPF_EV_NOMATCH or DKIMSA_RES_PERMERROR. */
int spf_ev_void(struct spf_ev *ev);
/* Maps a failed answer: DKIMSA_RES_TEMPERROR or DKIMSA_RES_PERMERROR. */
int spf_ev_dns_error(struct spf_ev *ev, const char *name,
		     const struct dns_answer *a);
/* Evaluates a mechanism that needs DNS or none (not include). */
int spf_mech_eval(struct spf_ev *ev, const struct spf_term *t,
		  const char *target);
/* %{p} callback: arg is the spf_ev. */
const char *spf_mech_ptr_name(void *arg);
/* Releases the PTR cache. */
void spf_mech_free(struct spf_ev *ev);

#endif
