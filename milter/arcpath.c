/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcpath.c - see arcpath.h.  The chain itself (parse, validation,
 * sealing) is libdkimsa's ARC object; this file decides when it runs,
 * what it sees and where its fields go.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arcaar.h"
#include "arcpath.h"
#include "dmarcpath.h"
#include "job.h"
#include "mlog.h"
#include "msg.h"
#include "rt.h"
#include "signpath.h"

#define ARCPATH_AAR "ARC-Authentication-Results"

/* The chain's result (the one place that names the library call). */
static const dkimsa_arc_result *
arcpath_result(const struct msg *m)
{
	return dkimsa_arc_get_result(m->arc);
}

#define ARCPATH_MAX_SETS 50 /* RFC 8617 4.2.1: instances 1 to 50 */

/* The value of a stored header: what follows "Name:". */
static const char *
arcpath_value(const struct msg_hdr *h)
{
	return h->field + strlen(h->name) + 1;
}

/* 1 when the header is an AAR that names our authserv-id. */
static int
arcpath_claims_us(const struct msg_hdr *h, const char *authserv_id)
{
	return strcasecmp(h->name, ARCPATH_AAR) == 0 &&
	       arcaar_claims(arcpath_value(h), authserv_id);
}

/* An AAR's instance bit in msg.arc_own, or 0 when it has no instance. */
static unsigned long long
arcpath_bit(const struct msg_hdr *h)
{
	int inst = arcaar_instance(arcpath_value(h));

	return inst >= 1 && inst <= ARCPATH_MAX_SETS ? 1ULL << inst : 0;
}

static int
arcpath_is_arc(const char *name)
{
	return strcasecmp(name, ARCPATH_AAR) == 0 ||
	       strcasecmp(name, "ARC-Message-Signature") == 0 ||
	       strcasecmp(name, "ARC-Seal") == 0;
}

/*
 * 1 when an ARC-Seal of the message has instance inst and d= domain (as
 * the chain validation reads it): a set we say we sealed.
 */
static int
arcpath_sealed_by(const struct msg *m, int inst, const char *domain)
{
	char d[256];
	size_t i;
	int k;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, "ARC-Seal") == 0 &&
		    dkimsa_arc_seal_domain(m->hdrs[i].field, m->hdrs[i].len, &k,
					   d, sizeof(d)) == 0 &&
		    k == inst && strcasecmp(d, domain) == 0)
			return 1;
	return 0;
}

/*
 * An AAR naming us: 1 when it may be our own set from an earlier pass
 * (its instance's ARC-Seal has our sealing d=; the chain's validation
 * then decides), noted in m->arc_own; else 0, a forgery.
 */
static int
arcpath_maybe_own(const struct conn *c, struct msg *m, const struct msg_hdr *h,
		  int sign)
{
	const struct arccfg *a = c->rt->arc;
	unsigned long long bit = arcpath_bit(h);

	/* sign mode removes what names us before the chain is validated */
	if (sign || a == NULL || a->domain == NULL || bit == 0 ||
	    (m->arc_own & bit) != 0 ||
	    !arcpath_sealed_by(m, arcaar_instance(arcpath_value(h)), a->domain))
		return 0;
	m->arc_own |= bit;
	return 1;
}

/* Whether the message's mode seals. */
static int
arcpath_sealing(const struct conn *c, int sign)
{
	const struct arccfg *a = c->rt->arc;

	return a != NULL && a->keys != NULL &&
	       (sign ? a->seal_sign : a->seal_verify);
}

int
arcpath_eoh(const struct conn *c, struct msg *m, int sign)
{
	size_t i;
	int has_arc = 0;

	for (i = 0; i < m->nhdrs && !has_arc; i++)
		has_arc = arcpath_is_arc(m->hdrs[i].name);
	if (!arcpath_sealing(c, sign) && (sign || !has_arc))
		return 0;
	/* oldest-pass (one more RSA verify per earlier set): ARCOldestPass,
	 * and always for the DMARC override, the one decision that needs it */
	if (dkimsa_arc_new(c->rt->lib, &m->arc) != 0 || msg_body(m) == NULL ||
	    dkimsa_arc_set_body(m->arc, m->body) != 0 ||
	    dkimsa_arc_set_sealing(m->arc, arcpath_sealing(c, sign)) != 0 ||
	    dkimsa_arc_set_oldest_pass(
		m->arc,
		c->rt->cfg.arc_oldest_pass ||
		    (c->rt->arc != NULL && c->rt->arc->trusted != NULL)) != 0)
		return -1;
	for (i = 0; i < m->nhdrs; i++) {
		if (arcpath_claims_us(&m->hdrs[i], m->authserv_id) &&
		    !arcpath_maybe_own(c, m, &m->hdrs[i], sign)) {
			m->arc_forged++;
			continue;
		}
		if (dkimsa_arc_header(m->arc, m->hdrs[i].field,
				      m->hdrs[i].len) != 0)
			return -1;
	}
	return dkimsa_arc_eoh(m->arc) == 0 ? 0 : -1;
}

void
arcpath_finish(struct msg *m)
{
	const dkimsa_arc_result *r;
	int inst;

	if (m->arc == NULL || m->arc_done)
		return;
	dkimsa_arc_finish(m->arc);
	m->arc_done = 1;
	r = arcpath_result(m);
	if (m->arc_own == 0 || (r != NULL && r->result == DKIMSA_RES_PASS))
		return;
	/* the chain failed: nothing shows those sets were ours */
	for (inst = 1; inst <= ARCPATH_MAX_SETS; inst++)
		m->arc_forged += (m->arc_own & (1ULL << inst)) != 0;
	m->arc_own = 0;
}

int
arcpath_needs_dns(const struct msg *m)
{
	return m->arc != NULL && !m->arc_done;
}

int
arcpath_keys_ready(const struct msg *m)
{
	return !arcpath_needs_dns(m) || dkimsa_arc_keys_ready(m->arc);
}

int
arcpath_has_result(const struct msg *m)
{
	return m->arc != NULL && m->arc_done;
}

void
arcpath_ar(const struct msg *m, dkimsa_ar *ar)
{
	if (!arcpath_has_result(m))
		return;
	dkimsa_ar_add_arc(ar, arcpath_result(m));
	if (m->arc_forged > 0)
		dkimsa_ar_comment(ar, "forged ARC-Authentication-Results "
				      "naming us removed");
}

int
arcpath_remove_forged(SMFICTX *ctx, const struct msg *m)
{
	unsigned long long own = m->arc_own;
	int *idx, n = 0, k = 0, rc = 0;
	size_t i;

	if (m->arc_forged == 0 && m->arc == NULL) {
		/* not looked at yet (sign mode without a seal): look now */
		for (i = 0; i < m->nhdrs && n == 0; i++)
			n = arcpath_claims_us(&m->hdrs[i], m->authserv_id);
		if (n == 0)
			return 0;
	} else if (m->arc_forged == 0) {
		return 0;
	}
	if ((idx = calloc(m->nhdrs + 1, sizeof(int))) == NULL)
		return -1;
	for (i = 0, n = 0; i < m->nhdrs; i++) {
		unsigned long long bit;

		if (strcasecmp(m->hdrs[i].name, ARCPATH_AAR) != 0)
			continue;
		k++;
		if (!arcpath_claims_us(&m->hdrs[i], m->authserv_id))
			continue;
		bit = arcpath_bit(&m->hdrs[i]);
		if ((own & bit) != 0) {
			own &= ~bit; /* the one kept; a copy goes */
			continue;
		}
		idx[n++] = k;
	}
	while (rc == 0 && n-- > 0) /* last first: earlier indexes stay */
		if (smfi_chgheader(ctx, ARCPATH_AAR, idx[n], NULL) !=
		    MI_SUCCESS)
			rc = -1;
	free(idx);
	return rc;
}

/* The resinfo of an A-R value (" id;\n\tspf=...") on one line. */
static char *
arcpath_results(const char *ar)
{
	const char *p = strchr(ar, ';');
	char *out, *q;

	p = p ? p + 1 : ar;
	if ((out = malloc(strlen(p) + 1)) == NULL)
		return NULL;
	for (q = out; *p; p++) {
		if (*p == '\r' || *p == '\n')
			continue;
		if (*p == '\t' || *p == ' ') {
			if (q > out && q[-1] != ' ')
				*q++ = ' ';
			continue;
		}
		*q++ = *p;
	}
	while (q > out && q[-1] == ' ')
		q--;
	*q = '\0';
	return out;
}

/* Sign mode: our AAR tells the chain's state (arc=) only. */
static char *
arcpath_sign_ar(const struct msg *m)
{
	dkimsa_ar *ar;
	char *out = NULL;

	if (dkimsa_ar_new(m->authserv_id, &ar) != 0)
		return NULL;
	arcpath_ar(m, ar);
	if (dkimsa_ar_finish(ar, &out) != 0)
		out = NULL;
	dkimsa_ar_free(ar);
	return out;
}

static void
arcpath_finish_job(void *arg)
{
	arcpath_finish(arg);
}

/* Inserts the three fields at the top: AS first, then AMS, then AAR. */
static int
arcpath_insert(SMFICTX *ctx, char *const fields[3])
{
	static const char *const names[3] = {
	    ARCPATH_AAR, "ARC-Message-Signature", "ARC-Seal"};
	char *v;
	int i, rc = 0;

	for (i = 0; i < 3 && rc == 0; i++) {
		if ((v = signpath_value(fields[i])) == NULL)
			return -1;
		if (smfi_insheader(ctx, 0, (char *)names[i], v) != MI_SUCCESS)
			rc = -1;
		free(v);
	}
	return rc;
}

int
arcpath_seal(SMFICTX *ctx, const struct conn *c, struct msg *m, const char *ar)
{
	const struct arccfg *a = c->rt->arc;
	dkimsa_arc_seal_opts o;
	char *f[3] = {NULL, NULL, NULL}, *own = NULL, why[1024] = "";
	struct job j;
	int rc;

	if (!arcpath_sealing(c, m->mode == MODE_SIGN) || m->arc == NULL)
		return 1;
	if (arcpath_keys_ready(m)) {
		arcpath_finish(m); /* every key cached: no hand-off */
	} else {
		job_start(&j, arcpath_finish_job, m);
		job_wait(&j, ctx);
	}
	if (arcpath_result(m)->instances >= 50) {
		mlog(LOG_NOTICE, "%s: not sealed: the chain has 50 ARC sets",
		     m->qid ? m->qid : "NOQUEUE");
		return 1;
	}
	if (ar == NULL && (ar = own = arcpath_sign_ar(m)) == NULL) {
		snprintf(m->why, sizeof(m->why), "ARC seal: out of memory");
		return -1;
	}
	memset(&o, 0, sizeof(o));
	o.domain = a->domain;
	o.selector = a->selector;
	o.authserv_id = m->authserv_id;
	o.results = arcpath_results(ar);
	o.headers = NULL; /* the library's list: no DKIM-Signature */
	rc = o.results == NULL ? DKIMSA_ENOMEM
			       : arccfg_seal_key(a, &o.key, why, sizeof(why));
	if (rc == 0)
		rc = dkimsa_arc_seal(m->arc, &o, &f[0], &f[1], &f[2]);
	else if (rc != DKIMSA_ENOMEM) /* the key file: the log names it */
		rc = DKIMSA_EKEY;
	dkimsa_key_free(o.key);
	free((char *)o.results);
	free(own);
	if (rc == DKIMSA_ESTATE) {
		/* RFC 8617 5.1.2: nothing goes above a seal with cv=fail */
		mlog(LOG_NOTICE,
		     "%s: not sealed: the chain was sealed as "
		     "failed already",
		     m->qid ? m->qid : "NOQUEUE");
		return 1;
	}
	if (rc != 0)
		snprintf(m->why, sizeof(m->why), "ARC seal d=%s s=%s: %s",
			 a->domain, a->selector,
			 why[0] ? why : dkimsa_strerror(rc));
	else if (arcpath_insert(ctx, f) != 0) {
		snprintf(m->why, sizeof(m->why),
			 "the MTA refused the ARC fields");
		rc = -1;
	}
	free(f[0]);
	free(f[1]);
	free(f[2]);
	return rc == 0 ? 0 : -1;
}
