/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc.c - the public ARC object (RFC 8617): header fields are kept, at end
 * of headers the ARC fields are sorted into sets by instance and parsed
 * (AMS and AS by sig.c, the AAR prefix by arc_aar.c), each AMS gets its
 * streaming body hash, and finish validates the chain (arc_chain.c).
 * Structure errors found here (section 5.2 steps 1-3) decide fail at once
 * and stop all further work on the chain.  The object owns all strings of
 * its result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arc.h"
#include "dkimhash.h"

void
arc_set_result(dkimsa_arc *a, int result, int instance, const char *fmt, ...)
{
	va_list ap;

	a->res.result = result;
	a->res.failed_instance = result == DKIMSA_RES_FAIL ? instance : 0;
	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof(a->reason), fmt, ap);
	va_end(ap);
	a->res.reason = a->reason;
}

int
dkimsa_arc_new(dkimsa_lib *lib, dkimsa_arc **out)
{
	dkimsa_arc *a = calloc(1, sizeof(*a));
	int i;

	*out = a;
	if (a == NULL)
		return DKIMSA_ENOMEM;
	a->lib = lib;
	hdrs_init(&a->hdrs);
	if (dkimsa_body_new(&a->body) != 0) {
		dkimsa_arc_free(a);
		*out = NULL;
		return DKIMSA_ENOMEM;
	}
	for (i = 0; i <= ARC_MAX_SETS; i++) {
		a->set[i].aar = a->set[i].ams = a->set[i].as = -1;
		a->set[i].bh = a->set[i].bh_relaxed = -1;
		sig_init(&a->set[i].ams_sig);
		sig_init(&a->set[i].as_sig);
	}
	a->seal_bh = -1;
	a->res.sealer = a->res.oldest_pass_sealer = a->res.remote_ip = "";
	arc_set_result(a, DKIMSA_RES_NONE, 0, "not evaluated");
	return 0;
}

void
dkimsa_arc_free(dkimsa_arc *a)
{
	int i;

	if (a == NULL)
		return;
	/* a parsed signature is kept only in a set up to the highest */
	for (i = 1; i <= a->nsets; i++) {
		sig_free(&a->set[i].ams_sig);
		sig_free(&a->set[i].as_sig);
	}
	dkimsa_body_free(a->body);
	arc_keys_free(a);
	hdrs_free(&a->hdrs);
	free(a);
}

void
dkimsa_arc_set_key_fn(dkimsa_arc *a, dkimsa_key_fn fn, void *arg)
{
	a->key_fn = fn;
	a->key_arg = arg;
}

int
dkimsa_arc_set_body(dkimsa_arc *a, dkimsa_body *b)
{
	if (a->state != 0 || a->body_shared)
		return DKIMSA_ESTATE;
	dkimsa_body_free(a->body);
	a->body = body_ref(b);
	a->body_shared = 1;
	return 0;
}

int
dkimsa_arc_set_sealing(dkimsa_arc *a, int on)
{
	if (a->state != 0)
		return DKIMSA_ESTATE;
	a->may_seal = on != 0;
	return 0;
}

int
dkimsa_arc_set_oldest_pass(dkimsa_arc *a, int on)
{
	if (a->state != 0)
		return DKIMSA_ESTATE;
	a->no_oldest = on == 0;
	return 0;
}

void
dkimsa_arc_set_time(dkimsa_arc *a, long long now)
{
	a->now = now;
}

int
dkimsa_arc_header(dkimsa_arc *a, const char *field, size_t len)
{
	if (a->state != 0)
		return DKIMSA_ESTATE;
	return hdrs_add(&a->hdrs, field, len);
}

enum arc_field { ARC_NOT = 0, ARC_AAR, ARC_AMS, ARC_AS };

static int
arc_field_kind(const struct hdr *f)
{
	if (hdr_name_is(f, "arc-authentication-results", 26))
		return ARC_AAR;
	if (hdr_name_is(f, "arc-message-signature", 21))
		return ARC_AMS;
	if (hdr_name_is(f, "arc-seal", 8))
		return ARC_AS;
	return ARC_NOT;
}

static const char *const arc_field_names[] = {
    "", "ARC-Authentication-Results", "ARC-Message-Signature", "ARC-Seal"};

/* RFC 8617 4.1.2: an AMS must not sign ARC-Seal fields. */
static int
arc_ams_signs_seal(const struct sig *s)
{
	size_t i;

	for (i = 0; i < s->nh; i++)
		if (strcasecmp(s->h[i], "arc-seal") == 0)
			return 1;
	return 0;
}

/* Parses one ARC field into its set; 0, 1 after a fail, or an error. */
static int
arc_take(dkimsa_arc *a, size_t idx, int kind)
{
	const struct hdr *f = &a->hdrs.v[idx];
	struct arc_set *set;
	struct sig tmp;
	char why[200];
	long *slot;
	int inst, rc;

	if (kind == ARC_AAR) {
		inst =
		    arc_aar_parse(f->text, f->len, NULL, 0, why, sizeof(why));
		if (inst < 0) {
			arc_set_result(a, DKIMSA_RES_FAIL, 0,
				       "ARC-Authentication-Results: %s", why);
			return 1;
		}
	} else {
		sig_init(&tmp);
		rc = sig_parse_kind(f->text, f->len,
				    kind == ARC_AMS ? SIG_AMS : SIG_AS, &tmp,
				    why, sizeof(why));
		inst = tmp.instance;
		if (rc == DKIMSA_ENOMEM) {
			sig_free(&tmp);
			return rc;
		}
		if (rc == 0 && kind == ARC_AMS && arc_ams_signs_seal(&tmp)) {
			rc = DKIMSA_ESYNTAX;
			snprintf(why, sizeof(why),
				 "h= names ARC-Seal (RFC 8617 4.1.2)");
		}
		if (rc != 0) {
			sig_free(&tmp);
			arc_set_result(a, DKIMSA_RES_FAIL, inst, "%s i=%d: %s",
				       arc_field_names[kind], inst, why);
			return 1;
		}
		set = &a->set[inst];
		if ((kind == ARC_AMS ? set->ams : set->as) < 0) {
			if (kind == ARC_AMS)
				set->ams_sig = tmp;
			else
				set->as_sig = tmp;
		} else {
			sig_free(&tmp);
		}
	}
	set = &a->set[inst];
	slot = kind == ARC_AAR	 ? &set->aar
	       : kind == ARC_AMS ? &set->ams
				 : &set->as;
	if (*slot >= 0) {
		arc_set_result(a, DKIMSA_RES_FAIL, inst,
			       "more than one %s with i=%d",
			       arc_field_names[kind], inst);
		return 1;
	}
	*slot = (long)idx;
	if (inst > a->nsets)
		a->nsets = inst;
	return 0;
}

int
dkimsa_arc_seal_domain(const char *field, size_t len, int *instance,
		       char *domain, size_t dlen)
{
	struct sig s;
	char why[200];
	int rc;

	if (field == NULL || instance == NULL || domain == NULL || dlen == 0)
		return DKIMSA_EINVAL;
	sig_init(&s);
	rc = sig_parse_kind(field, len, SIG_AS, &s, why, sizeof(why));
	if (rc == 0 && strlen(s.domain) >= dlen)
		rc = DKIMSA_ESYNTAX;
	if (rc == 0) {
		*instance = s.instance;
		memcpy(domain, s.domain, strlen(s.domain) + 1);
	}
	sig_free(&s);
	return rc;
}

/* Section 5.2 steps 1-3 on the fields; 0, 1 after a fail, or an error. */
static int
arc_collect(dkimsa_arc *a)
{
	size_t i, nfields = 0, nseals = 0;
	int inst, rc;

	for (i = 0; i < a->hdrs.n; i++) {
		int k = arc_field_kind(&a->hdrs.v[i]);

		nfields += k != ARC_NOT;
		nseals += k == ARC_AS;
	}
	if (nfields == 0)
		return 0;
	if (nseals > ARC_MAX_SETS || nfields > ARC_MAX_FIELDS) {
		arc_set_result(a, DKIMSA_RES_FAIL, 0,
			       "more than %d ARC sets (%zu ARC-Seal fields)",
			       ARC_MAX_SETS, nseals);
		return 1;
	}
	for (i = 0; i < a->hdrs.n; i++) {
		int k = arc_field_kind(&a->hdrs.v[i]);

		if (k != ARC_NOT && (rc = arc_take(a, i, k)) != 0)
			return rc;
	}
	if (a->nsets > 0 && a->set[a->nsets].as >= 0 &&
	    a->set[a->nsets].as_sig.cv == SIG_CV_FAIL) {
		arc_set_result(a, DKIMSA_RES_FAIL, a->nsets,
			       "the ARC-Seal of i=%d says cv=fail", a->nsets);
		return 1;
	}
	for (inst = 1; inst <= a->nsets; inst++) {
		const struct arc_set *s = &a->set[inst];
		int want = inst == 1 ? SIG_CV_NONE : SIG_CV_PASS;

		if (s->aar < 0 || s->ams < 0 || s->as < 0) {
			arc_set_result(a, DKIMSA_RES_FAIL, inst,
				       "ARC set i=%d has no %s", inst,
				       arc_field_names[s->aar < 0   ? ARC_AAR
						       : s->ams < 0 ? ARC_AMS
								    : ARC_AS]);
			return 1;
		}
		if (s->as_sig.cv != want) {
			arc_set_result(a, DKIMSA_RES_FAIL, inst,
				       "ARC-Seal i=%d has cv=%s, not %s", inst,
				       s->as_sig.cv == SIG_CV_FAIL   ? "fail"
				       : s->as_sig.cv == SIG_CV_PASS ? "pass"
								     : "none",
				       want == SIG_CV_NONE ? "none" : "pass");
			return 1;
		}
	}
	return 0;
}

/*
 * Body hashes of every AMS (oldest-pass needs them all; without it the
 * latest only) and, when the caller may seal, our own (relaxed, SHA-256
 * for both algorithms); AMSs with the same c=, l= and digest share one
 * (body.c), as do the message's DKIM hashes when its dkimsa_body is
 * shared.  The keys of the AMSs and seals are asked for here.
 */
static int
arc_body_setup(dkimsa_arc *a)
{
	int inst;

	for (inst = 1; !a->broken && inst <= a->nsets; inst++) {
		struct arc_set *s = &a->set[inst];

		arc_keys_want(a, s->as_sig.domain, s->as_sig.selector);
		if (a->no_oldest && inst < a->nsets)
			continue;
		s->bh = body_want(a->body, s->ams_sig.bcanon, s->ams_sig.l,
				  s->ams_sig.alg);
		if (s->bh < 0)
			return s->bh;
		if (!s->ams_sig.has_c &&
		    (s->bh_relaxed = body_want(a->body, DKIMSA_CANON_RELAXED,
					       s->ams_sig.l, s->ams_sig.alg)) <
			0)
			return s->bh_relaxed;
		arc_keys_want(a, s->ams_sig.domain, s->ams_sig.selector);
	}
	if (a->may_seal &&
	    (a->seal_bh = body_want(a->body, DKIMSA_CANON_RELAXED, -1,
				    DKIMSA_ALG_RSA_SHA256)) < 0)
		return a->seal_bh;
	return 0;
}

int
dkimsa_arc_eoh(dkimsa_arc *a)
{
	int rc;

	if (a->state != 0)
		return DKIMSA_ESTATE;
	a->state = 1;
	if (a->now <= 0)
		a->now = (long long)time(NULL);
	rc = arc_collect(a);
	if (rc < 0)
		return rc;
	a->broken = rc == 1;
	return arc_body_setup(a);
}

int
dkimsa_arc_body(dkimsa_arc *a, const void *data, size_t len)
{
	int rc;

	if (a->body_shared) /* the caller gives it to dkimsa_body_update */
		return DKIMSA_ESTATE;
	if (a->state == 0 && (rc = dkimsa_arc_eoh(a)) != 0)
		return rc;
	if (a->state != 1)
		return DKIMSA_ESTATE;
	return dkimsa_body_update(a->body, data, len);
}

int
dkimsa_arc_finish(dkimsa_arc *a)
{
	int rc;

	if (a->state == 0 && (rc = dkimsa_arc_eoh(a)) != 0)
		return rc;
	if (a->state != 1)
		return DKIMSA_ESTATE;
	a->state = 2;
	if (a->seal_bh >= 0 && body_get(a->body, a->seal_bh) == NULL)
		return DKIMSA_ECRYPTO;
	a->res.instances = a->nsets;
	if (a->nsets > 0 && a->set[a->nsets].as >= 0 &&
	    a->set[a->nsets].as_sig.domain != NULL) {
		snprintf(a->sealer, sizeof(a->sealer), "%s",
			 a->set[a->nsets].as_sig.domain);
		a->res.sealer = a->sealer;
	}
	if (a->nsets > 0 && a->set[a->nsets].aar >= 0) {
		const struct hdr *f = &a->hdrs.v[a->set[a->nsets].aar];
		char why[64];

		if (arc_aar_parse(f->text, f->len, a->remote_ip,
				  sizeof(a->remote_ip), why, sizeof(why)) > 0)
			a->res.remote_ip = a->remote_ip;
	}
	if (a->broken)
		return 0;
	if (a->nsets == 0) {
		arc_set_result(a, DKIMSA_RES_NONE, 0, "no ARC sets");
		return 0;
	}
	arc_chain_validate(a);
	return 0;
}

int
dkimsa_arc_keys_ready(const dkimsa_arc *a)
{
	return a->state == 1 && arc_keys_ready(a);
}

const dkimsa_arc_result *
dkimsa_arc_get_result(const dkimsa_arc *a)
{
	return a->state == 2 ? &a->res : NULL;
}
