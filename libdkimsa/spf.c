/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf.c - public SPF and Sender ID checks: identities (RFC 7208 sections
 * 2.3, 2.4, 4.3: HELO, MAIL FROM, postmaster@HELO for the null sender,
 * "postmaster" for an empty local-part, unusable domains give none) and
 * the Sender ID scopes (RFC 4406, RFC 4407 PRA).
 *
 * Memory: a result is one allocation (struct spf_result) owning its
 * strings; dkimsa_spf_result_free() releases it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "lib.h"
#include "sid.h"
#include "sid_pra.h"
#include "spf.h"
#include "spf_eval.h"

enum {
	S_SENDER,
	S_DOMAIN,
	S_HEADER,
	S_EXP,
	S_MECH,
	S_REASON,
	S_IP,
	S_HELO,
	S_FROM,
	S_RECV,
	S_COUNT
};

struct spf_result {
	dkimsa_spf_result pub; /* first: the public view */
	char *s[S_COUNT];
	char *checked; /* "local@domain" given to check_host */
};

void
dkimsa_spf_result_free(dkimsa_spf_result *r)
{
	struct spf_result *x = (struct spf_result *)r;
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < S_COUNT; i++)
		free(x->s[i]);
	free(x->checked);
	free(x);
}

static char *
spf_dup(const char *s)
{
	return strdup(s ? s : "");
}

/* RFC 7208 4.3: a domain that cannot have a record gives none. */
static int
spf_domain_usable(const char *d)
{
	return d[0] != '[' && strchr(d, '.') != NULL && spf_eval_name_ok(d);
}

/* "postmaster@d" when the address has no local-part (4.3); NULL = ENOMEM. */
static char *
spf_mailbox(const char *addr)
{
	const char *at = strrchr(addr, '@');
	size_t len = strlen(addr) + sizeof("postmaster@");
	char *b = malloc(len);

	if (b == NULL)
		return NULL;
	if (at == NULL || at == addr)
		snprintf(b, len, "postmaster@%s", at ? at + 1 : addr);
	else
		snprintf(b, len, "%s", addr);
	return b;
}

/*
 * Sets x->checked, S_SENDER, S_DOMAIN, S_HEADER.  Returns 0,
 * DKIMSA_ESYNTAX when the PRA header block is ill-formed (reason in err),
 * DKIMSA_ENOMEM.
 */
static int
spf_identity(struct spf_result *x, const dkimsa_spf_req *req, int identity,
	     char *err, size_t errlen)
{
	const char *mf = req->mail_from ? req->mail_from : "";
	const char *helo = req->helo ? req->helo : "";
	char *pra = NULL, *field = NULL;
	int rc;

	if (identity == DKIMSA_SID_PRA && req->pra == NULL) {
		rc = sid_pra_find(req->headers ? req->headers : "",
				  req->headers_len, &pra, &field, err, errlen);
		if (rc != 0) { /* the field that failed, for the report */
			x->s[S_SENDER] = pra ? pra : spf_dup("");
			x->s[S_DOMAIN] = spf_dup("");
			x->s[S_HEADER] = field ? field : spf_dup("");
			return rc;
		}
		mf = pra;
	} else if (identity == DKIMSA_SID_PRA) {
		mf = req->pra;
	}
	if (identity == DKIMSA_SPF_HELO || mf[0] == '\0')
		x->checked = helo[0] ? spf_mailbox(helo) : spf_dup("");
	else
		x->checked = spf_mailbox(mf);
	x->s[S_HEADER] = spf_dup(field);
	free(pra);
	free(field);
	if (x->checked == NULL)
		return DKIMSA_ENOMEM;
	x->s[S_SENDER] =
	    spf_dup(identity == DKIMSA_SPF_HELO ? helo : x->checked);
	x->s[S_DOMAIN] =
	    spf_dup(x->checked[0] ? strrchr(x->checked, '@') + 1 : "");
	return 0;
}

/* Runs check_host or sid_check and copies the outcome. */
static int
spf_run(struct spf_result *x, dns_ctx *ctx, const dkimsa_spf_req *req,
	int identity, const char *default_exp, const struct addr *ip)
{
	struct spf_eval_req er;
	struct spf_eval_res res;
	int rc;

	memset(&er, 0, sizeof(er));
	er.ip = *ip;
	er.sender = x->checked;
	er.domain = x->s[S_DOMAIN];
	er.helo = req->helo;
	er.receiver = req->receiver;
	er.default_exp = default_exp;
	er.now = req->now;
	if (identity == DKIMSA_SID_MFROM || identity == DKIMSA_SID_PRA)
		rc = sid_check(ctx, &er,
			       identity == DKIMSA_SID_PRA ? SPF_SCOPE_PRA
							  : SPF_SCOPE_MFROM,
			       x->checked, &res);
	else
		rc = spf_eval(ctx, &er, &res);
	if (rc != 0)
		return rc;
	x->pub.result = res.result;
	x->pub.dns_queries = res.queries;
	x->s[S_EXP] = res.exp;
	x->s[S_MECH] = res.mech;
	x->s[S_REASON] = res.reason;
	return 0;
}

static int
spf_finish(struct spf_result *x, const dkimsa_spf_req *req)
{
	dkimsa_spf_result *p = &x->pub;
	int i;

	x->s[S_IP] = spf_dup(req->client_ip);
	x->s[S_HELO] = spf_dup(req->helo);
	x->s[S_FROM] = spf_dup(req->mail_from);
	x->s[S_RECV] = spf_dup(req->receiver ? req->receiver : "unknown");
	for (i = 0; i < S_COUNT; i++)
		if (x->s[i] == NULL && i != S_EXP && i != S_MECH)
			return DKIMSA_ENOMEM;
	p->sender = x->s[S_SENDER];
	p->domain = x->s[S_DOMAIN];
	p->header = x->s[S_HEADER];
	p->explanation = x->s[S_EXP];
	p->mechanism = x->s[S_MECH];
	p->reason = x->s[S_REASON];
	p->client_ip = x->s[S_IP];
	p->helo = x->s[S_HELO];
	p->mail_from = x->s[S_FROM];
	p->receiver = x->s[S_RECV];
	return 0;
}

/* Decides what needs no DNS; returns 1 when the result is already set. */
static int
spf_precheck(struct spf_result *x, int identity, int idrc, const char *err)
{
	if (idrc == DKIMSA_ESYNTAX) { /* RFC 4407 step 7 */
		x->pub.result = DKIMSA_RES_PERMERROR;
		x->s[S_REASON] = spf_dup(err);
		return 1;
	}
	if (identity != DKIMSA_SID_PRA && !spf_domain_usable(x->s[S_DOMAIN])) {
		x->pub.result = DKIMSA_RES_NONE;
		x->s[S_REASON] = spf_dup(x->s[S_DOMAIN][0]
					     ? "the domain is not a usable name"
					     : "no identity to check");
		return 1;
	}
	return 0;
}

int
spf_check_ctx(dns_ctx *ctx, const dkimsa_spf_req *req, int identity,
	      const char *default_exp, dkimsa_spf_result **out)
{
	struct spf_result *x;
	struct addr ip;
	char err[200] = "";
	int rc;

	*out = NULL;
	if (req->client_ip == NULL || addr_parse(req->client_ip, &ip) != 0 ||
	    identity < DKIMSA_SPF_MAILFROM || identity > DKIMSA_SID_PRA)
		return DKIMSA_EINVAL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return DKIMSA_ENOMEM;
	x->pub.identity = identity;
	rc = spf_identity(x, req, identity, err, sizeof(err));
	if (rc == 0 || rc == DKIMSA_ESYNTAX)
		rc = spf_precheck(x, identity, rc, err)
			 ? 0
			 : spf_run(x, ctx, req, identity, default_exp, &ip);
	if (rc == 0)
		rc = spf_finish(x, req);
	if (rc != 0) {
		dkimsa_spf_result_free(&x->pub);
		return rc;
	}
	*out = &x->pub;
	return 0;
}

int
dkimsa_spf_check(dkimsa_lib *lib, const dkimsa_spf_req *req, int identity,
		 dkimsa_spf_result **out)
{
	char err[200];
	dns_ctx *ctx;

	*out = NULL;
	if (lib == NULL || req == NULL)
		return DKIMSA_EINVAL;
	if ((ctx = lib_dns(lib, err, sizeof(err))) == NULL) {
		lib_log(lib, 3, "SPF: DNS not available: %s", err);
		return DKIMSA_EDNS;
	}
	return spf_check_ctx(ctx, req, identity, NULL, out);
}

int
dkimsa_sid_check(dkimsa_lib *lib, const dkimsa_spf_req *req, int scope,
		 dkimsa_spf_result **out)
{
	*out = NULL;
	if (scope != DKIMSA_SID_MFROM && scope != DKIMSA_SID_PRA)
		return DKIMSA_EINVAL;
	return dkimsa_spf_check(lib, req, scope, out);
}

/* Appends the addresses of one answer to the NULL-terminated v. */
static int
spf_add_addrs(const struct dns_answer *a, char ***v, size_t *n)
{
	char text[ADDR_TEXT_MAX], **nv;
	struct addr x;
	size_t i;

	for (i = 0; a->status == DNS_OK && i < a->count; i++) {
		if (addr_from_bytes(a->rr[i].data, a->rr[i].len, &x) != 0)
			continue;
		addr_format(&x, text, sizeof(text));
		nv = realloc(*v, (*n + 2) * sizeof(char *));
		if (nv == NULL)
			return DKIMSA_ENOMEM;
		*v = nv;
		if ((nv[*n] = strdup(text)) == NULL)
			return DKIMSA_ENOMEM;
		nv[++*n] = NULL;
	}
	return 0;
}

int
dkimsa_spf_host_addrs(dkimsa_lib *lib, const char *host, char ***out)
{
	static const int types[2] = {DNS_T_A, DNS_T_AAAA};
	struct dns_answer *a[2];
	dns_query *q[2];
	char err[200], **v = NULL;
	size_t n = 0, i;
	int rc = 0, failed = 0;
	dns_ctx *ctx;

	*out = NULL;
	if (lib == NULL || host == NULL)
		return DKIMSA_EINVAL;
	if ((ctx = lib_dns(lib, err, sizeof(err))) == NULL)
		return DKIMSA_EDNS;
	for (i = 0; i < 2; i++)
		q[i] = dns_query_start(ctx, NULL, host, types[i]);
	for (i = 0; i < 2; i++) {
		a[i] = dns_query_wait(q[i]);
		if (rc == 0 && a[i] != NULL)
			rc = spf_add_addrs(a[i], &v, &n);
		failed |= a[i] == NULL || (a[i]->status != DNS_OK &&
					   a[i]->status != DNS_NXDOMAIN &&
					   a[i]->status != DNS_NODATA);
		dns_answer_free(a[i]);
	}
	if (rc == 0 && n == 0)
		rc = failed ? DKIMSA_EDNS : DKIMSA_ENOTFOUND;
	if (rc != 0) {
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return rc;
	}
	*out = v;
	return 0;
}
