/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_msg.c - see metrics_msg.h.  The final action of a message is
 * its reply (reject, tempfail, discard, accept), except quarantine,
 * which replies "continue": reply_action says so (metrics_quarantine).
 */
#include <stddef.h>

#include "arcpath.h"
#include "cfg.h"
#include "metrics.h"
#include "metrics_msg.h"

long long
metrics_msg_begin(void)
{
	metrics_quarantined(); /* forget any flag an earlier message left */
	return metrics_now();
}

static int
metrics_msg_action(sfsistat rc)
{
	int quarantined = metrics_quarantined();

	switch (rc) {
	case SMFIS_REJECT:
		return CFG_REJECT;
	case SMFIS_TEMPFAIL:
		return CFG_TEMPFAIL;
	case SMFIS_DISCARD:
		return CFG_DISCARD;
	default:
		return quarantined ? CFG_QUARANTINE : CFG_ACCEPT;
	}
}

void
metrics_msg_end(const struct msg *m, sfsistat rc, long long t0)
{
	int mode = m->mode == MODE_SIGN	    ? METRICS_MODE_SIGN
		   : m->mode == MODE_VERIFY ? METRICS_MODE_VERIFY
					    : METRICS_MODE_NONE;

	metrics_message(mode, metrics_msg_action(rc), t0);
}

void
metrics_msg_signed(const struct msg *m)
{
	size_t i;

	for (i = 0; i < m->nsigners; i++)
		metrics_signature(dkimsa_sign_alg(m->signers[i]));
}

void
metrics_msg_verified(const struct msg *m)
{
	const dkimsa_spf_result *sid =
	    m->vr.sid_pra != NULL ? m->vr.sid_pra : m->vr.sid_mfrom;
	int i, count;

	if (!metrics_enabled() || m->verify == NULL)
		return;
	count = dkimsa_verify_count(m->verify);
	for (i = 0; i < count; i++)
		metrics_verify_result(
		    METRICS_M_DKIM, dkimsa_verify_result(m->verify, i)->result);
	if (count == 0)
		metrics_verify_result(METRICS_M_DKIM, DKIMSA_RES_NONE);
	if (m->vr.spf_mailfrom != NULL)
		metrics_verify_result(METRICS_M_SPF,
				      m->vr.spf_mailfrom->result);
	if (m->vr.spf_helo != NULL)
		metrics_verify_result(METRICS_M_SPF_HELO,
				      m->vr.spf_helo->result);
	if (sid != NULL)
		metrics_verify_result(METRICS_M_SENDER_ID, sid->result);
	if (m->vr.adsp >= 0)
		metrics_verify_result(METRICS_M_ADSP, m->vr.adsp);
	if (m->vr.dmarc != NULL)
		metrics_verify_result(METRICS_M_DMARC, m->vr.dmarc->result);
	if (arcpath_has_result(m))
		metrics_verify_result(METRICS_M_ARC,
				      dkimsa_arc_get_result(m->arc)->result);
}
