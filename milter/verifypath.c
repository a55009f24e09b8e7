/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verifypath.c - see verifypath.h.  DNS work runs in jobs (job.c) while
 * the callback thread sends progress to the MTA.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arcpath.h"
#include "arctrust.h"
#include "dmarcpath.h"
#include "metrics.h"
#include "metrics_msg.h"
#include "mlog.h"
#include "policy.h"
#include "reply.h"
#include "rt.h"
#include "verifypath.h"

/* The SPF / Sender ID request of a message: client, HELO, MAIL FROM. */
static void
verifypath_req(dkimsa_spf_req *req, const struct conn *c, const struct msg *m)
{
	memset(req, 0, sizeof(*req));
	req->client_ip = c->addr;
	req->helo = c->helo;
	req->mail_from = m->mail_from;
	req->receiver = m->authserv_id;
}

static void
verifypath_spf_job(void *arg)
{
	struct msg *m = arg;
	struct conn *c = m->vr.conn;
	struct rt *rt = c->rt;
	dkimsa_spf_req req;

	verifypath_req(&req, c, m);
	if (rt->cfg.spf) {
		dkimsa_spf_check(rt->lib, &req, DKIMSA_SPF_MAILFROM,
				 &m->vr.spf_mailfrom);
		if (c->helo != NULL)
			dkimsa_spf_check(rt->lib, &req, DKIMSA_SPF_HELO,
					 &m->vr.spf_helo);
	}
	if (rt->cfg.sender_id)
		dkimsa_sid_check(rt->lib, &req, DKIMSA_SID_MFROM,
				 &m->vr.sid_mfrom);
}

/* Frees a result the cache-only pass left incomplete. */
static void
verifypath_drop(dkimsa_spf_result **r)
{
	dkimsa_spf_result_free(*r);
	*r = NULL;
}

void
verifypath_mailfrom(struct conn *c, struct msg *m)
{
	if (c->addr == NULL || (!c->rt->cfg.spf && !c->rt->cfg.sender_id))
		return;
	m->vr.conn = c;
	/* every answer cached: done here, no hand-off to a worker */
	dkimsa_dns_cache_only(1);
	verifypath_spf_job(m);
	if (!dkimsa_dns_cache_only(0))
		return;
	verifypath_drop(&m->vr.spf_mailfrom);
	verifypath_drop(&m->vr.spf_helo);
	verifypath_drop(&m->vr.sid_mfrom);
	job_start(&m->vr.spf_job, verifypath_spf_job, m);
	m->vr.spf_running = 1;
}

int
verifypath_eoh(struct conn *c, struct msg *m)
{
	const struct msg_hdr *from = msg_header(m, "From");
	const char *why = NULL;
	size_t i, nfrom = 0;

	if (!m->vr.spf_running) /* else set, and read by the SPF job */
		m->vr.conn = c;
	for (i = 0; i < m->nhdrs; i++)
		nfrom += strcasecmp(m->hdrs[i].name, "From") == 0;
	if (nfrom > 1)
		why = "more than one From field";
	else if (from != NULL)
		policy_author(from->field + strlen(from->name) + 1,
			      m->vr.author, sizeof(m->vr.author), &why);
	if (why != NULL && c->rt->cfg.adsp) {
		/* no author domain to ask: reported as such, never guessed */
		m->vr.adsp = DKIMSA_RES_PERMERROR;
		snprintf(m->vr.adsp_reason, sizeof(m->vr.adsp_reason), "%s%s",
			 nfrom > 1 ? "" : "From: ", why);
	}
	if (dkimsa_verify_new(c->rt->lib, &m->verify) != 0 ||
	    msg_body(m) == NULL ||
	    dkimsa_verify_set_body(m->verify, m->body) != 0)
		return -1;
	for (i = 0; i < m->nhdrs; i++)
		if (dkimsa_verify_header(m->verify, m->hdrs[i].field,
					 m->hdrs[i].len) != 0)
			return -1;
	if (dkimsa_verify_eoh(m->verify) != 0)
		return -1;
	return arcpath_eoh(c, m, 0);
}

int
verifypath_body(struct msg *m, const unsigned char *data, size_t len)
{
	/* once for the verifier and the ARC object (msg_body) */
	return m->body != NULL && dkimsa_body_update(m->body, data, len) == 0
		   ? 0
		   : -1;
}

/* The header block as one text, for the Sender ID PRA. */
static char *
verifypath_header_block(const struct msg *m, size_t *len)
{
	size_t i, n = 0;
	char *b, *p;

	for (i = 0; i < m->nhdrs; i++)
		n += m->hdrs[i].len + 2;
	if ((b = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0, p = b; i < m->nhdrs; i++) {
		memcpy(p, m->hdrs[i].field, m->hdrs[i].len);
		p += m->hdrs[i].len;
		*p++ = '\r';
		*p++ = '\n';
	}
	*p = '\0';
	*len = n;
	return b;
}

/* The end-of-message checks after DKIM: Sender ID PRA, ADSP. */
static void
verifypath_policy_job(void *arg)
{
	struct msg *m = arg;
	struct conn *c = m->vr.conn;
	struct rt *rt = c->rt;
	dkimsa_spf_req req;
	const char *dom;

	if (rt->cfg.sender_id && c->addr != NULL) {
		verifypath_req(&req, c, m);
		req.headers = verifypath_header_block(m, &req.headers_len);
		if (req.headers != NULL)
			dkimsa_sid_check(rt->lib, &req, DKIMSA_SID_PRA,
					 &m->vr.sid_pra);
		free((char *)req.headers);
	}
	if (rt->cfg.adsp && (dom = strrchr(m->vr.author, '@')) != NULL)
		m->vr.adsp = dkimsa_adsp_check(rt->lib, dom + 1, m->verify,
					       m->vr.adsp_reason,
					       sizeof(m->vr.adsp_reason));
}

static void
verifypath_eom_job(void *arg)
{
	struct msg *m = arg;

	dkimsa_verify_finish(m->verify);
	arcpath_finish(m);
	verifypath_policy_job(m);
}

/*
 * The end-of-message work, in this thread when every DNS answer it needs
 * is cached (a key query answered at end of headers, then a cache-only
 * pass over the rest), else in a worker while this thread keeps the MTA
 * patient.  A cache-only pass that missed leaves nothing behind.
 */
static void
verifypath_eom_work(SMFICTX *ctx, struct msg *m)
{
	struct job eom;
	int adsp = m->vr.adsp;

	if (!dkimsa_verify_keys_ready(m->verify) || !arcpath_keys_ready(m)) {
		job_start(&eom, verifypath_eom_job, m);
		job_wait(&eom, ctx);
		return;
	}
	dkimsa_verify_finish(m->verify);
	arcpath_finish(m);
	dkimsa_dns_cache_only(1);
	verifypath_policy_job(m);
	if (!dkimsa_dns_cache_only(0))
		return;
	verifypath_drop(&m->vr.sid_pra);
	m->vr.adsp = adsp; /* the reason is rewritten with the result */
	job_start(&eom, verifypath_policy_job, m);
	job_wait(&eom, ctx);
}

int
verifypath_remove_forged(SMFICTX *ctx, const struct msg *m)
{
	int *idx = calloc(m->nhdrs + 1, sizeof(int)), n = 0, k = 0, rc = 0;
	size_t i;

	if (idx == NULL)
		return -1;
	for (i = 0; i < m->nhdrs; i++) {
		const struct msg_hdr *h = &m->hdrs[i];
		const char *v = h->field + strlen(h->name) + 1;

		if (strcasecmp(h->name, "Authentication-Results") != 0)
			continue;
		k++;
		if (dkimsa_ar_is_ours(v, strlen(v), m->authserv_id))
			idx[n++] = k;
	}
	metrics_forged_removed(n);
	while (rc == 0 && n-- > 0) /* last first: earlier indexes stay */
		if (smfi_chgheader(ctx, "Authentication-Results", idx[n],
				   NULL) != MI_SUCCESS)
			rc = -1;
	free(idx);
	return rc;
}

/*
 * The A-R value, " authserv-id;\n\tspf=...;\n\tdkim=..." (caller frees),
 * built by the library's one A-R formatter; libmilter wants LF line ends.
 */
static char *
verifypath_ar(const struct msg *m)
{
	const dkimsa_spf_result *spf[] = {m->vr.spf_mailfrom, m->vr.spf_helo,
					  m->vr.sid_pra, m->vr.sid_mfrom};
	int i, count = dkimsa_verify_count(m->verify);
	char *out = NULL, *p, *q;
	dkimsa_ar *ar;

	if (dkimsa_ar_new(m->authserv_id, &ar) != 0)
		return NULL;
	for (i = 0; i < (int)(sizeof(spf) / sizeof(spf[0])); i++)
		if (spf[i] != NULL)
			dkimsa_ar_add_spf(ar, spf[i]);
	for (i = 0; i < count; i++)
		dkimsa_ar_add_dkim(ar, dkimsa_verify_result(m->verify, i));
	if (count == 0) {
		dkimsa_ar_method(ar, "dkim", DKIMSA_RES_NONE);
		dkimsa_ar_comment(ar, "no signatures");
	}
	arcpath_ar(m, ar);
	if (m->vr.adsp >= 0) {
		dkimsa_ar_method(ar, "dkim-adsp", m->vr.adsp);
		if (m->vr.author[0] == '\0')
			dkimsa_ar_comment(ar, m->vr.adsp_reason);
		else
			dkimsa_ar_prop(ar, "header", "from", m->vr.author);
	}
	if (m->vr.dmarc != NULL) {
		dkimsa_ar_add_dmarc(ar, m->vr.dmarc);
		arctrust_ar(m, ar);
	}
	if (dkimsa_ar_finish(ar, &out) == 0) {
		for (p = q = out; *p; p++)
			if (*p != '\r')
				*q++ = *p;
		*q = '\0';
	}
	dkimsa_ar_free(ar);
	return out;
}

/* Anything to report?  With nothing, the A-R is added only when
 * AlwaysAddARHeader says so. */
static int
verifypath_has_results(const struct conn *c, const struct msg *m)
{
	return c->rt->cfg.always_add_ar || dkimsa_verify_count(m->verify) > 0 ||
	       m->vr.spf_mailfrom || m->vr.spf_helo || m->vr.sid_mfrom ||
	       m->vr.sid_pra || m->vr.adsp >= 0 || m->vr.dmarc ||
	       arcpath_has_result(m);
}

struct verdict {
	int action; /* enum cfg_action */
	const char *dsn4;
	char why[700];
};

/* Keeps the most severe action: reject, discard, tempfail, quarantine. */
static void
verifypath_consider(struct verdict *v, int action, const char *dsn4,
		    const char *why)
{
	static const int rank[] = {
	    [CFG_ACCEPT] = 0,  [CFG_QUARANTINE] = 1, [CFG_TEMPFAIL] = 2,
	    [CFG_DISCARD] = 3, [CFG_REJECT] = 4,
	};

	if (rank[action] <= rank[v->action])
		return;
	v->action = action;
	v->dsn4 = dsn4;
	snprintf(v->why, sizeof(v->why), "%s", why);
}

/*
 * The On- key for each cause of a failed signature (dkimsa.conf(5),
 * ACTIONS), with the enhanced status code of a tempfail.
 */
static const struct {
	int cause; /* enum dkimsa_cause */
	size_t action;
	const char *dsn4;
} verifypath_causes[] = {
    {DKIMSA_CAUSE_DNS_TEMP, offsetof(struct cfg, on_dns_error), "4.4.3"},
    {DKIMSA_CAUSE_DNSSEC_BOGUS, offsetof(struct cfg, on_security), "4.7.1"},
    {DKIMSA_CAUSE_KEY_NXDOMAIN, offsetof(struct cfg, on_key_not_found),
     "4.7.1"},
    {DKIMSA_CAUSE_KEY_NODATA, offsetof(struct cfg, on_key_not_found), "4.7.1"},
    {DKIMSA_CAUSE_BODY_HASH, offsetof(struct cfg, on_bad_signature), "4.7.1"},
    {DKIMSA_CAUSE_HEADER_SIG, offsetof(struct cfg, on_bad_signature), "4.7.1"},
    {DKIMSA_CAUSE_POLICY, offsetof(struct cfg, on_bad_signature), "4.7.1"},
    {DKIMSA_CAUSE_CRYPTO, offsetof(struct cfg, on_internal_error), "4.3.0"},
    /* SIG_SYNTAX, SIG_EXPIRED, KEY_SYNTAX, KEY_REVOKED, KEY_MISMATCH */
    {-1, offsetof(struct cfg, on_signature_error), "4.7.1"},
};

/*
 * DKIM's part.  No signature: On-NoSignature.  One signature that passes:
 * nothing.  Else every signature evaluated adds the action of its cause
 * (On-NoSignature's when its key is in testing mode, t=y),
 * and the most severe one wins (verifypath_consider); among equals the
 * first signature names the reason.
 */
static void
verifypath_dkim_action(const struct cfg *cfg, const struct msg *m,
		       struct verdict *v)
{
	int i, count = dkimsa_verify_count(m->verify);
	const dkimsa_sigresult *r;
	char why[700];
	size_t k;

	if (count == 0) {
		verifypath_consider(v, cfg->on_no_signature, "4.7.1",
				    "message has no DKIM signature");
		return;
	}
	for (i = 0; i < count; i++)
		if (dkimsa_verify_result(m->verify, i)->result ==
		    DKIMSA_RES_PASS)
			return;
	for (i = 0; i < count; i++) {
		r = dkimsa_verify_result(m->verify, i);
		if (r->testing) {
			/* RFC 6376 3.6.1: t=y, treated as unsigned mail */
			snprintf(why, sizeof(why),
				 "DKIM %s for d=%s (key in testing mode, as "
				 "unsigned): %s",
				 dkimsa_res_name(r->result), r->domain,
				 r->reason);
			verifypath_consider(v, cfg->on_no_signature, "4.7.1",
					    why);
			continue;
		}
		for (k = 0; verifypath_causes[k].cause != -1 &&
			    verifypath_causes[k].cause != r->cause;
		     k++)
			;
		snprintf(why, sizeof(why), "DKIM %s for d=%s: %s",
			 dkimsa_res_name(r->result), r->domain, r->reason);
		verifypath_consider(v,
				    *(const int *)((const char *)cfg +
						   verifypath_causes[k].action),
				    verifypath_causes[k].dsn4, why);
	}
}

static void
verifypath_verdict(const struct conn *c, const struct msg *m,
		   const struct dmarcpath_decision *dd, struct verdict *v)
{
	const struct cfg *cfg = &c->rt->cfg;
	const dkimsa_spf_result *s;
	char why[700];

	v->action = CFG_ACCEPT;
	v->dsn4 = "4.7.1";
	snprintf(v->why, sizeof(v->why), "policy");
	if ((s = m->vr.spf_mailfrom) != NULL && s->result == DKIMSA_RES_FAIL) {
		snprintf(why, sizeof(why), "SPF fail for %s from %s%s%s",
			 s->sender, s->client_ip, s->explanation ? ": " : "",
			 s->explanation ? s->explanation : "");
		verifypath_consider(v, cfg->on_spf_fail, "4.7.1", why);
	}
	s = m->vr.sid_pra && m->vr.sid_pra->result == DKIMSA_RES_FAIL
		? m->vr.sid_pra
		: m->vr.sid_mfrom;
	if (s != NULL && s->result == DKIMSA_RES_FAIL) {
		snprintf(why, sizeof(why), "Sender ID fail for %s from %s",
			 s->sender, s->client_ip);
		verifypath_consider(v, cfg->on_sender_id_fail, "4.7.1", why);
	}
	if (m->vr.adsp == DKIMSA_RES_DISCARD) {
		snprintf(why, sizeof(why),
			 "ADSP: %s discards mail without its signature",
			 m->vr.author);
		verifypath_consider(v, cfg->on_adsp_discard, "4.7.1", why);
	}
	verifypath_dkim_action(cfg, m, v);
	verifypath_consider(v, dd->action, dd->dsn4, dd->why);
}

/*
 * The A-R value on one line, without its authserv-id: the folds go, and
 * the ";" between results becomes a space; a ";" inside a comment or a
 * quoted-string stays, as the formatter wrote it.
 */
static void
verifypath_log_results(const char *ar, char *line, size_t len)
{
	size_t i, o = 0;
	int depth = 0, quoted = 0;

	for (i = strcspn(ar, ";"); ar[i] && o + 2 < len; i++) {
		if (ar[i] == '\n' || ar[i] == '\t')
			continue;
		if (ar[i] == '\\' && ar[i + 1] != '\0') {
			line[o++] = ar[i++];
		} else if (quoted) {
			quoted = ar[i] != '"';
		} else if (ar[i] == '"' && depth == 0) {
			quoted = 1;
		} else if (ar[i] == '(' || (ar[i] == ')' && depth > 0)) {
			depth += ar[i] == '(' ? 1 : -1;
		} else if (ar[i] == ';' && depth == 0) {
			line[o++] = ' ';
			continue;
		}
		line[o++] = ar[i];
	}
	line[o] = '\0';
}

static void
verifypath_log(const struct conn *c, const struct msg *m,
	       const struct verdict *v, const char *ar)
{
	char line[1600];

	verifypath_log_results(ar, line, sizeof(line));
	if (v->action == CFG_ACCEPT && !c->rt->cfg.syslog_success)
		return;
	mlog(v->action == CFG_ACCEPT ? LOG_INFO : LOG_NOTICE,
	     "%s: mode=verify client=%s%s action=%s%s%s",
	     m->qid ? m->qid : "NOQUEUE", c->addr ? c->addr : "unknown", line,
	     cfg_action_name(v->action), v->action ? " reason=" : "",
	     v->action ? v->why : "");
}

static void
verifypath_dmarc_job(void *arg)
{
	struct msg *m = arg;

	dmarcpath_check(m->vr.conn, m);
}

/*
 * DMARC, once SPF and DKIM are done: in this thread when every answer it
 * needs is cached (a cache-only pass), else in a worker while this
 * thread keeps the MTA patient.
 */
static void
verifypath_dmarc_reset(void *arg)
{
	struct msg *m = arg;

	dkimsa_dmarc_result_free(m->vr.dmarc);
	m->vr.dmarc = NULL;
}

static void
verifypath_dmarc(SMFICTX *ctx, struct msg *m)
{
	job_run_cached(ctx, verifypath_dmarc_job, verifypath_dmarc_reset, m);
}

sfsistat
verifypath_eom(SMFICTX *ctx, struct conn *c, struct msg *m)
{
	struct dmarcpath_decision dd;
	struct verdict v;
	char *ar, *rspf = NULL;

	verifypath_eom_work(ctx, m);
	if (m->vr.spf_running) {
		job_wait(&m->vr.spf_job, ctx);
		m->vr.spf_running = 0;
	}
	/* as SPF, not for our own clients: they are never enforced */
	if (c->rt->cfg.dmarc && !c->internal && !m->auth_authen)
		verifypath_dmarc(ctx, m);
	dmarcpath_decide(c, m, &dd);
	/* a trusted ARC sealer's aligned pass overrides a DMARC failure */
	arctrust_dmarc(ctx, c, m, &dd);
	verifypath_verdict(c, m, &dd, &v);
	metrics_msg_verified(m);
	dmarcpath_report(c, m, &dd, v.action);
	ar = verifypath_ar(m);
	verifypath_log(c, m, &v, ar ? ar : "");
	if (v.action == CFG_REJECT || v.action == CFG_TEMPFAIL ||
	    v.action == CFG_DISCARD) {
		free(ar);
		return reply_action(ctx, v.action, v.dsn4, v.why);
	}
	if (verifypath_remove_forged(ctx, m) != 0 ||
	    arcpath_remove_forged(ctx, m) != 0 || ar == NULL ||
	    (verifypath_has_results(c, m) &&
	     smfi_insheader(ctx, 0, "Authentication-Results", ar) !=
		 MI_SUCCESS)) {
		free(ar);
		snprintf(m->why, sizeof(m->why),
			 "cannot update Authentication-Results");
		mlog(LOG_ERR, "%s: %s", m->qid ? m->qid : "NOQUEUE", m->why);
		return reply_action(ctx, c->rt->cfg.on_internal_error, "4.3.0",
				    m->why);
	}
	if (arcpath_seal(ctx, c, m, ar) < 0) {
		free(ar);
		mlog(LOG_ERR, "%s: not sealed: %s; action %s",
		     m->qid ? m->qid : "NOQUEUE", m->why,
		     cfg_action_name(c->rt->cfg.on_internal_error));
		return reply_action(ctx, c->rt->cfg.on_internal_error, "4.3.0",
				    m->why);
	}
	free(ar);
	if (c->rt->cfg.received_spf_header && m->vr.spf_mailfrom != NULL &&
	    dkimsa_spf_received(m->vr.spf_mailfrom, &rspf) == 0) {
		char *val = strchr(rspf, ':'), *p, *q;

		for (p = q = val ? val + 1 : rspf; *p; p++)
			if (*p != '\r')
				*q++ = *p;
		*q = '\0';
		smfi_insheader(ctx, 0, "Received-SPF", val ? val + 1 : rspf);
		free(rspf);
	}
	return reply_action(ctx, v.action, v.dsn4, v.why);
}
