/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc.c - the DMARC check of RFC 9989 section 5.3 for one message:
 * the Author Domain from the From field (5.3.1, the library's RFC 5322
 * parser), policy discovery by the DNS Tree Walk (4.10.1, dmarc_walk.c),
 * identifier alignment of SPF and of every passing DKIM signature
 * (4.4, 4.10.2), the verdict (5.3.5), and the policy that applies: p for
 * the Author Domain's own record, else sp, or np when the Author Domain
 * does not exist (NXDOMAIN, 3.2.13); an invalid p/sp/np as 4.10.1 says;
 * t=y lowers the disposition one step (4.7).
 *
 * Several From mailboxes (or fields) are never a pass: each distinct
 * Author Domain is checked, the strictest failure wins, and when none
 * fails the result is permerror.  An unparseable From, or one without a
 * domain, is permerror.  A From domain in U-labels (RFC 6532 UTF-8) is
 * looked up and aligned as its A-labels (RFC 8616 section 6); one that
 * is not a valid IDNA2008 name is permerror.  A DNS failure is temperror; a DNSSEC-bogus
 * answer is permerror with dnssec_bogus set.
 *
 * Memory: the result is one allocation (struct dmarc_res) that owns its
 * strings and the policy record; dkimsa_dmarc_result_free releases it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc_walk.h"
#include "idna.h"
#include "lib.h"
#include "sig.h"

#define DMARC_MAX_AUTHORS 4  /* distinct Author Domains checked */
#define DMARC_MAX_QUERIES 60 /* per message, all walks together */
#define DMARC_MAX_ORGS 12    /* identifier walks kept per message */

struct dmarc_res {
	dkimsa_dmarc_result pub;
	struct dmarc_rec rec; /* copy of the policy record's URIs */
	char from[DMARC_NAME_MAX];
	char policy_domain[DMARC_NAME_MAX];
	char org[DMARC_NAME_MAX];
	char dkim_domain[DMARC_NAME_MAX];
	char *record;
	char reason[400];
};

/* Walks made for one message: the Author Domain's and identifiers'. */
struct dmarc_ctx {
	dns_ctx *dns;
	struct dns_budget budget;
	struct dmarc_walk author;
	struct dmarc_walk *ids[DMARC_MAX_ORGS];
	size_t nids;
};

static const char dmarc_empty[] = "";

static void
dmarc_reason(struct dmarc_res *r, const char *fmt, const char *arg)
{
	snprintf(r->reason, sizeof(r->reason), fmt, arg);
}

static struct dmarc_res *
dmarc_res_new(void)
{
	struct dmarc_res *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->pub.result = DKIMSA_RES_NONE;
	r->pub.policy = r->pub.disposition = DKIMSA_DMARC_P_UNSET;
	r->pub.p = r->pub.sp = r->pub.np = DKIMSA_DMARC_P_UNSET;
	r->pub.psd = -1;
	r->rec.psd = -1;
	r->rec.rua[0] = r->rec.ruf[0] = NULL;
	r->pub.from_domain = r->from;
	r->pub.policy_domain = r->policy_domain;
	r->pub.org_domain = r->org;
	r->pub.dkim_domain = r->dkim_domain;
	r->pub.record = dmarc_empty;
	r->pub.fo = r->rec.fo;
	r->pub.rua = (const char *const *)r->rec.rua;
	r->pub.ruf = (const char *const *)r->rec.ruf;
	r->pub.reason = r->reason;
	return r;
}

void
dkimsa_dmarc_result_free(dkimsa_dmarc_result *pub)
{
	struct dmarc_res *r = (struct dmarc_res *)pub;

	if (r == NULL)
		return;
	dmarc_rec_free(&r->rec);
	free(r->record);
	free(r);
}

/*
 * Lower-case copy without a final dot; 0 when not a name we can query
 * (sig_domain_ok: labels of 1..63, at most 253 bytes).  With idn, a name
 * in U-labels is first turned into its A-labels (RFC 8616 section 6;
 * idna.c); 0 when it is not a valid IDNA2008 name.
 */
static int
dmarc_norm(char *dst, size_t dlen, const char *src, int idn)
{
	char alabels[DMARC_NAME_MAX];
	const char *why;
	size_t i, n;

	if (idn && !idna_is_ascii(src)) {
		if (idna_to_alabels(src, alabels, sizeof(alabels), &why) != 0)
			return 0;
		src = alabels;
	}
	n = strlen(src);

	if (n > 0 && src[n - 1] == '.')
		n--;
	if (n + 1 > dlen)
		return 0;
	for (i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
	return sig_domain_ok(dst, n);
}

/* ---- the Author Domains (5.3.1) ---- */

/*
 * The distinct domains of the From value(s): returns their number (0:
 * unparseable or no domain, with why set), or -1 when out of memory.
 */
static int
dmarc_authors(const dkimsa_dmarc_req *req, char dom[][DMARC_NAME_MAX],
	      size_t max, size_t *nmbox, const char **why)
{
	dkimsa_mailbox *list = NULL;
	size_t n = 0, i, j, nd = 0;
	int rc;

	*nmbox = 0;
	if (req->from_header == NULL || req->from_count == 0) {
		*why = "no From field";
		return 0;
	}
	rc = dkimsa_rfc5322_address_list(req->from_header,
					 strlen(req->from_header), &list, &n);
	if (rc == DKIMSA_ENOMEM)
		return -1;
	if (rc != 0 || n == 0) {
		*why = rc != 0 ? "the From field cannot be parsed"
			       : "the From field holds no mailbox";
		dkimsa_mailbox_list_free(list, n);
		return 0;
	}
	*nmbox = n;
	for (i = 0; i < n; i++) {
		char d[DMARC_NAME_MAX];

		if (list[i].in_group ||
		    !dmarc_norm(d, sizeof(d), list[i].domain, 1)) {
			*why = list[i].in_group ? "the From field holds a group"
			       : idna_is_ascii(list[i].domain)
				   ? "a From domain is not a DNS name"
				   : "a From domain is not a valid IDNA2008 "
				     "name";
			dkimsa_mailbox_list_free(list, n);
			return 0;
		}
		for (j = 0; j < nd; j++)
			if (strcmp(dom[j], d) == 0)
				break;
		if (j == nd) {
			if (nd == max) {
				*why = "too many From domains";
				dkimsa_mailbox_list_free(list, n);
				return 0;
			}
			memcpy(dom[nd++], d, sizeof(d));
		}
	}
	dkimsa_mailbox_list_free(list, n);
	return (int)nd;
}

/* ---- alignment (4.4, 4.10.2) ---- */

/* The Organizational Domain of an identifier, by its own walk. */
static const char *
dmarc_org_of(struct dmarc_ctx *c, const char *id, int *status)
{
	struct dmarc_walk *w;
	size_t i;

	for (i = 0; i < c->nids; i++)
		if (strcmp(c->ids[i]->start, id) == 0)
			break;
	if (i == c->nids) {
		if (c->nids == DMARC_MAX_ORGS ||
		    (w = calloc(1, sizeof(*w))) == NULL) {
			*status = DMARC_WALK_TEMP;
			return NULL;
		}
		c->ids[c->nids++] = w;
		if (dmarc_walk_run(w, c->dns, &c->budget, id, 0) != 0)
			w->status = DMARC_WALK_TEMP;
	}
	w = c->ids[i];
	*status = w->status;
	return w->status == DMARC_WALK_OK ? dmarc_walk_org(w) : NULL;
}

/*
 * The Author Domain's Organizational Domain, finishing its walk when the
 * first query found the Author Domain's own record; NULL when the walk
 * failed (status set).
 */
static const char *
dmarc_author_org(struct dmarc_ctx *c, struct dmarc_res *r, int *status)
{
	if (!c->author.done &&
	    dmarc_walk_finish(&c->author, c->dns, &c->budget) != 0)
		c->author.status = DMARC_WALK_TEMP;
	*status = c->author.status;
	if (c->author.status != DMARC_WALK_OK)
		return NULL;
	snprintf(r->org, sizeof(r->org), "%s", dmarc_walk_org(&c->author));
	return r->org;
}

/*
 * 1 aligned, 0 not, -1 a DNS failure (status set).  The Organizational
 * Domains are looked up only for relaxed alignment of two different
 * names (4.10.2's note).
 */
static int
dmarc_aligned(struct dmarc_ctx *c, struct dmarc_res *r, const char *author,
	      const char *id_raw, int strict, int *status)
{
	char id[DMARC_NAME_MAX];
	const char *org, *author_org;

	if (id_raw == NULL || !dmarc_norm(id, sizeof(id), id_raw, 0))
		return 0;
	if (strcmp(id, author) == 0)
		return 1;
	if (strict)
		return 0;
	if ((author_org = dmarc_author_org(c, r, status)) == NULL)
		return -1;
	if (!dmarc_walk_under(id, author_org))
		return 0; /* an org domain is the name or above it */
	if ((org = dmarc_org_of(c, id, status)) == NULL)
		return -1;
	return strcasecmp(org, author_org) == 0;
}

/* The SPF-Authenticated Identifier (4.4.2; RFC 7208 2.4 for <>). */
static const char *
dmarc_spf_domain(const dkimsa_dmarc_req *req)
{
	const char *at;

	if (req->spf_domain != NULL && *req->spf_domain)
		return req->spf_domain;
	if (req->mail_from != NULL && *req->mail_from) {
		at = strrchr(req->mail_from, '@');
		return at ? at + 1 : req->mail_from;
	}
	return req->helo;
}

/* ---- policy (4.10.1) ---- */

static int
dmarc_lower(int p)
{
	if (p == DKIMSA_DMARC_P_REJECT)
		return DKIMSA_DMARC_P_QUARANTINE;
	if (p == DKIMSA_DMARC_P_QUARANTINE)
		return DKIMSA_DMARC_P_NONE;
	return p;
}

/* Existence of the Author Domain (3.2.13: NXDOMAIN means it is not). */
static int
dmarc_exists(struct dmarc_ctx *c, const char *domain, struct dmarc_res *r)
{
	struct dns_answer *a = dns_lookup(c->dns, &c->budget, domain, DNS_T_A);
	int rc;

	switch (a->status) {
	case DNS_NXDOMAIN:
		rc = 0;
		break;
	case DNS_OK:
	case DNS_NODATA:
	case DNS_BADNAME:
		rc = 1;
		break;
	case DNS_BOGUS:
		r->pub.dnssec_bogus = 1;
		rc = -2;
		break;
	default:
		rc = -1;
		break;
	}
	if (rc < 0)
		snprintf(r->reason, sizeof(r->reason),
			 "existence of %.253s: %s%s%s", domain,
			 dns_status_name(a->status), a->why ? ": " : "",
			 a->why ? a->why : "");
	dns_answer_free(a);
	return rc;
}

/* Copies what the result shows of the policy record f. */
static int
dmarc_take_record(struct dmarc_res *r, const struct dmarc_found *f)
{
	size_t i;

	snprintf(r->policy_domain, sizeof(r->policy_domain), "%s", f->domain);
	if ((r->record = strdup(f->txt)) == NULL)
		return DKIMSA_ENOMEM;
	r->pub.record = r->record;
	r->pub.p = f->rec.p_bad ? DKIMSA_DMARC_P_UNSET : f->rec.p;
	r->pub.sp = f->rec.sp_bad ? DKIMSA_DMARC_P_UNSET : f->rec.sp;
	r->pub.np = f->rec.np_bad ? DKIMSA_DMARC_P_UNSET : f->rec.np;
	r->pub.adkim_strict = f->rec.adkim_strict;
	r->pub.aspf_strict = f->rec.aspf_strict;
	r->pub.testing = f->rec.testing;
	r->pub.psd = f->rec.psd;
	r->pub.secure = f->secure;
	memcpy(r->rec.fo, f->rec.fo, sizeof(r->rec.fo));
	for (i = 0; i < f->rec.nrua; i++)
		if ((r->rec.rua[r->rec.nrua++] = strdup(f->rec.rua[i])) == NULL)
			return DKIMSA_ENOMEM;
	for (i = 0; i < f->rec.nruf; i++)
		if ((r->rec.ruf[r->rec.nruf++] = strdup(f->rec.ruf[i])) == NULL)
			return DKIMSA_ENOMEM;
	r->rec.rua[r->rec.nrua] = r->rec.ruf[r->rec.nruf] = NULL;
	r->pub.nrua = r->rec.nrua;
	r->pub.nruf = r->rec.nruf;
	return 0;
}

static void
dmarc_walk_error(struct dmarc_res *r, const struct dmarc_walk *w)
{
	r->pub.result = w->status == DMARC_WALK_BOGUS ? DKIMSA_RES_PERMERROR
						      : DKIMSA_RES_TEMPERROR;
	r->pub.dnssec_bogus = w->status == DMARC_WALK_BOGUS;
	dmarc_reason(r, "DMARC record lookup failed: %s", w->why);
}

/* What dmarc_discover found. */
enum dmarc_disc {
	DMARC_D_APPLIES,     /* a record applies, r->pub.policy set */
	DMARC_D_NOT_APPLIED, /* no record, or one to ignore (r says why) */
	DMARC_D_ERROR,	     /* the walk failed: result and reason in r */
	DMARC_D_EXIST_TEMP,  /* the existence query failed (np unknown) */
	DMARC_D_EXIST_BOGUS, /* the existence answer failed DNSSEC */
	DMARC_D_NOMEM,
};

/*
 * The policy record of the Author Domain (4.10.1) and the published
 * policy that applies.
 */
static enum dmarc_disc
dmarc_discover(struct dmarc_ctx *c, const char *author, struct dmarc_res *r)
{
	struct dmarc_walk *w = &c->author;
	const struct dmarc_found *f;
	const char *org;
	size_t i;
	int inval, ex;

	if (dmarc_walk_run(w, c->dns, &c->budget, author, 1) != 0)
		return DMARC_D_NOMEM;
	if (w->status == DMARC_WALK_OK &&
	    (f = dmarc_walk_at(w, author)) == NULL &&
	    dmarc_walk_finish(w, c->dns, &c->budget) != 0)
		return DMARC_D_NOMEM;
	if (w->status != DMARC_WALK_OK) {
		dmarc_walk_error(r, w);
		return DMARC_D_ERROR;
	}
	f = dmarc_walk_at(w, author);
	if (f == NULL) {
		org = dmarc_walk_org(w);
		f = dmarc_walk_at(w, org);
		for (i = w->nfound; f == NULL && i > 0; i--)
			if (w->found[i - 1].rec.psd == 1)
				f = &w->found[i - 1]; /* the PSD's record */
	}
	if (f == NULL) {
		dmarc_reason(r, "no DMARC record for %.253s", author);
		return DMARC_D_NOT_APPLIED;
	}
	if (dmarc_take_record(r, f) != 0)
		return DMARC_D_NOMEM;
	inval = dmarc_rec_invalid_policy(&f->rec);
	if (inval == 0) {
		dmarc_reason(r,
			     "the DMARC record of %s has an invalid p, sp or "
			     "np and no valid rua: DMARC not applied",
			     f->domain);
		return DMARC_D_NOT_APPLIED;
	}
	if (inval == 1) { /* act as if "p=none" was retrieved */
		r->pub.policy = DKIMSA_DMARC_P_NONE;
		return DMARC_D_APPLIES;
	}
	if (strcmp(f->domain, author) == 0) {
		r->pub.policy = r->pub.p;
	} else {
		r->pub.policy = r->pub.sp;
		if (r->pub.np != DKIMSA_DMARC_P_UNSET) {
			ex = dmarc_exists(c, author, r);
			if (ex < 0) /* matters only if the message fails */
				return ex == -2 ? DMARC_D_EXIST_BOGUS
						: DMARC_D_EXIST_TEMP;
			r->pub.nonexistent = !ex;
			if (!ex)
				r->pub.policy = r->pub.np;
		}
	}
	if (r->pub.policy == DKIMSA_DMARC_P_UNSET)
		r->pub.policy = r->pub.p;
	if (r->pub.policy == DKIMSA_DMARC_P_UNSET)
		r->pub.policy = DKIMSA_DMARC_P_NONE; /* p absent: 4.7 */
	return DMARC_D_APPLIES;
}

/*
 * Alignment of SPF and DKIM for one Author Domain: 1 some identifier
 * aligned, 0 none, -1 a DNS failure (reason set).
 */
static int
dmarc_align(struct dmarc_ctx *c, const dkimsa_dmarc_req *req,
	    const char *author, struct dmarc_res *r)
{
	int st = DMARC_WALK_OK, a, failed = 0;
	size_t i;

	if (req->spf_result == DKIMSA_RES_PASS) {
		a = dmarc_aligned(c, r, author, dmarc_spf_domain(req),
				  r->pub.aspf_strict, &st);
		r->pub.spf_aligned = a == 1;
		failed |= a < 0;
	}
	for (i = 0; i < req->ndkim; i++) {
		if (req->dkim[i].result != DKIMSA_RES_PASS)
			continue;
		a = dmarc_aligned(c, r, author, req->dkim[i].domain,
				  r->pub.adkim_strict, &st);
		failed |= a < 0;
		if (a == 1) {
			r->pub.dkim_aligned = 1;
			dmarc_norm(r->dkim_domain, sizeof(r->dkim_domain),
				   req->dkim[i].domain, 0);
			break;
		}
	}
	if (c->author.done && c->author.status == DMARC_WALK_OK)
		snprintf(r->org, sizeof(r->org), "%s",
			 dmarc_walk_org(&c->author));
	if (r->pub.spf_aligned || r->pub.dkim_aligned)
		return 1;
	if (failed) {
		r->pub.dnssec_bogus = st == DMARC_WALK_BOGUS;
		dmarc_reason(r, "%s",
			     st == DMARC_WALK_BOGUS
				 ? "an alignment lookup failed DNSSEC"
				 : "an alignment lookup failed");
		return -1;
	}
	return 0;
}

static void
dmarc_ctx_free(struct dmarc_ctx *c)
{
	size_t i;

	dmarc_walk_free(&c->author);
	for (i = 0; i < c->nids; i++) {
		dmarc_walk_free(c->ids[i]);
		free(c->ids[i]);
	}
	c->nids = 0;
}

/* The verdict once a record applies (5.3.5, 5.3.6). */
static void
dmarc_verdict(struct dmarc_ctx *c, const dkimsa_dmarc_req *req,
	      const char *author, enum dmarc_disc d, struct dmarc_res *r)
{
	int a = dmarc_align(c, req, author, r);

	if (a == 1) {
		r->pub.result = DKIMSA_RES_PASS;
		r->pub.disposition = DKIMSA_DMARC_P_NONE;
		snprintf(r->reason, sizeof(r->reason), "%s aligned",
			 r->pub.dkim_aligned ? "DKIM" : "SPF");
		if (d != DMARC_D_APPLIES) /* np unknown: sp or p shown */
			r->pub.policy = r->pub.sp != DKIMSA_DMARC_P_UNSET
					    ? r->pub.sp
					    : r->pub.p;
	} else if (a < 0 || d != DMARC_D_APPLIES) {
		/* a DNS failure decides between pass and fail, or np */
		r->pub.dnssec_bogus |= d == DMARC_D_EXIST_BOGUS;
		r->pub.result = r->pub.dnssec_bogus ? DKIMSA_RES_PERMERROR
						    : DKIMSA_RES_TEMPERROR;
	} else {
		r->pub.result = DKIMSA_RES_FAIL;
		r->pub.disposition =
		    r->pub.testing ? dmarc_lower(r->pub.policy) : r->pub.policy;
		dmarc_reason(r, "no aligned identifier passed for %.253s",
			     author);
	}
	if (r->pub.policy == DKIMSA_DMARC_P_UNSET)
		r->pub.policy = DKIMSA_DMARC_P_NONE;
}

/* The whole check for one Author Domain into r. */
static int
dmarc_one(dns_ctx *dns, const dkimsa_dmarc_req *req, const char *author,
	  struct dmarc_res *r)
{
	struct dmarc_ctx c;
	enum dmarc_disc d;

	memset(&c, 0, sizeof(c));
	c.dns = dns;
	c.budget.max = DMARC_MAX_QUERIES;
	snprintf(r->from, sizeof(r->from), "%.253s", author);
	d = dmarc_discover(&c, author, r);
	if (d == DMARC_D_NOMEM) {
		dmarc_ctx_free(&c);
		return DKIMSA_ENOMEM;
	}
	if (d == DMARC_D_NOT_APPLIED)
		r->pub.result = DKIMSA_RES_NONE;
	else if (d != DMARC_D_ERROR) /* DMARC_D_ERROR: set by the walk */
		dmarc_verdict(&c, req, author, d, r);
	r->pub.dns_queries = c.budget.used;
	dmarc_ctx_free(&c);
	return 0;
}

/* Strictest first: fail by disposition, then errors, then the rest. */
static int
dmarc_rank(const dkimsa_dmarc_result *r)
{
	switch (r->result) {
	case DKIMSA_RES_FAIL:
		return 10 + r->disposition;
	case DKIMSA_RES_TEMPERROR:
		return 5;
	case DKIMSA_RES_PERMERROR:
		return 4;
	case DKIMSA_RES_NONE:
		return 2;
	default:
		return 1;
	}
}

int
dkimsa_dmarc_check(dkimsa_lib *lib, const dkimsa_dmarc_req *req,
		   dkimsa_dmarc_result **out)
{
	char dom[DMARC_MAX_AUTHORS][DMARC_NAME_MAX], err[300];
	struct dmarc_res *best = NULL, *r;
	const char *why = "";
	size_t nmbox, i;
	dns_ctx *dns;
	int nd;

	*out = NULL;
	if (req == NULL)
		return DKIMSA_EINVAL;
	nd = dmarc_authors(req, dom, DMARC_MAX_AUTHORS, &nmbox, &why);
	if (nd < 0)
		return DKIMSA_ENOMEM;
	if (nd == 0) {
		if ((best = dmarc_res_new()) == NULL)
			return DKIMSA_ENOMEM;
		best->pub.result = DKIMSA_RES_PERMERROR;
		dmarc_reason(best, "%s", why);
		*out = &best->pub;
		return 0;
	}
	if ((dns = lib_dns(lib, err, sizeof(err))) == NULL) {
		if ((best = dmarc_res_new()) == NULL)
			return DKIMSA_ENOMEM;
		best->pub.result = DKIMSA_RES_TEMPERROR;
		snprintf(best->from, sizeof(best->from), "%s", dom[0]);
		dmarc_reason(best, "DNS: %s", err);
		*out = &best->pub;
		return 0;
	}
	for (i = 0; i < (size_t)nd; i++) {
		if ((r = dmarc_res_new()) == NULL ||
		    dmarc_one(dns, req, dom[i], r) != 0) {
			dkimsa_dmarc_result_free(&r->pub);
			dkimsa_dmarc_result_free(&best->pub);
			return DKIMSA_ENOMEM;
		}
		if (best == NULL ||
		    dmarc_rank(&r->pub) > dmarc_rank(&best->pub)) {
			dkimsa_dmarc_result_free(best ? &best->pub : NULL);
			best = r;
		} else {
			dkimsa_dmarc_result_free(&r->pub);
		}
	}
	/* several mailboxes or From fields: never a pass (5.3.1, 11.5) */
	if ((nmbox > 1 || req->from_count > 1) &&
	    best->pub.result != DKIMSA_RES_FAIL &&
	    best->pub.result != DKIMSA_RES_TEMPERROR) {
		best->pub.result = DKIMSA_RES_PERMERROR;
		best->pub.disposition = DKIMSA_DMARC_P_UNSET;
		snprintf(best->reason, sizeof(best->reason),
			 "%s From %s and no failing author domain",
			 req->from_count > 1 ? "several" : "one",
			 req->from_count > 1 ? "fields"
					     : "field with several "
					       "mailboxes");
	}
	*out = &best->pub;
	return 0;
}
