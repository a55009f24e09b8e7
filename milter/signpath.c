/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signpath.c - see signpath.h.  A signing failure never lets the message
 * go out unsigned: it follows On-InternalError (default tempfail).  With
 * RemoveOldSignatures (OpenDKIM's key) the DKIM-Signature fields the
 * message came with are removed before ours is added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arcpath.h"
#include "metrics.h"
#include "metrics_msg.h"
#include "mlog.h"
#include "reply.h"
#include "rt.h"
#include "signpath.h"
#include "verifypath.h"

int
signpath_body(struct msg *m, const unsigned char *data, size_t len)
{
	/* once for every signer and the seal (msg_body) */
	if (m->body == NULL || dkimsa_body_update(m->body, data, len) != 0) {
		snprintf(m->why, sizeof(m->why),
			 "hashing the body for signing failed");
		return -1;
	}
	return 0;
}

char *
signpath_value(const char *field)
{
	const char *colon = strchr(field, ':');
	char *v, *q;

	if (colon == NULL || (v = malloc(strlen(colon) + 1)) == NULL)
		return NULL;
	for (q = v, colon++; *colon; colon++)
		if (*colon != '\r')
			*q++ = *colon;
	*q = '\0';
	return v;
}

/* A failure of reason (enum metrics_sign_fail): counted, then answered. */
static sfsistat
signpath_fail(SMFICTX *ctx, struct conn *c, struct msg *m, int reason)
{
	int action = c->rt->cfg.on_internal_error;
	char text[1100];

	m->mode = MODE_SIGN; /* counted as a signing, even at end of headers */
	metrics_sign_failure(reason);

	mlog(LOG_ERR, "%s: not signed: %s; action %s",
	     m->qid ? m->qid : "NOQUEUE", m->why, cfg_action_name(action));
	snprintf(text, sizeof(text), "cannot sign the message: %s", m->why);
	if (action == CFG_ACCEPT || action == CFG_QUARANTINE)
		return reply_action(ctx, action, "4.3.0", text) ==
			       SMFIS_CONTINUE
			   ? SMFIS_ACCEPT
			   : SMFIS_TEMPFAIL;
	return reply_action(ctx, action, "4.3.0", text);
}

/*
 * Signed, but the ARC seal failed: On-InternalError (dkimsa.conf(5)),
 * logged as what it is; with accept the message goes out signed.
 */
static sfsistat
signpath_unsealed(SMFICTX *ctx, struct conn *c, struct msg *m)
{
	int action = c->rt->cfg.on_internal_error;
	char text[1100];

	mlog(LOG_ERR, "%s: signed but not sealed: %s; action %s",
	     m->qid ? m->qid : "NOQUEUE", m->why, cfg_action_name(action));
	if (action == CFG_ACCEPT || action == CFG_QUARANTINE)
		metrics_msg_signed(m);
	else
		metrics_sign_failure(METRICS_SF_SIGN);
	snprintf(text, sizeof(text), "cannot seal the message: %s", m->why);
	return reply_action(ctx, action, "4.3.0", text);
}

sfsistat
signpath_error(SMFICTX *ctx, struct conn *c, struct msg *m)
{
	/* no signer yet: the key or its table failed (policy_signers) */
	return signpath_fail(
	    ctx, c, m, m->nsigners == 0 ? METRICS_SF_KEY : METRICS_SF_SIGN);
}

/* Removes every DKIM-Signature field the message arrived with. */
static int
signpath_remove_old(SMFICTX *ctx, const struct msg *m)
{
	size_t i;
	int k = 0;

	for (i = 0; i < m->nhdrs; i++)
		if (strcasecmp(m->hdrs[i].name, "DKIM-Signature") == 0)
			k++;
	for (; k > 0; k--) /* last first: earlier indexes stay */
		if (smfi_chgheader(ctx, "DKIM-Signature", k, NULL) !=
		    MI_SUCCESS)
			return -1;
	return 0;
}

sfsistat
signpath_eom(SMFICTX *ctx, struct conn *c, struct msg *m)
{
	char **values = calloc(m->nsigners + 1, sizeof(char *));
	char *field = NULL;
	size_t i;
	int rc = 0, reason;

	if (values == NULL) {
		snprintf(m->why, sizeof(m->why), "out of memory");
		return signpath_fail(ctx, c, m, METRICS_SF_RESOURCE);
	}
	for (i = 0; i < m->nsigners && rc == 0; i++) {
		rc = dkimsa_sign_finish(m->signers[i], &field);
		if (rc == 0 && (values[i] = signpath_value(field)) == NULL)
			rc = DKIMSA_ENOMEM;
		free(field);
		field = NULL;
		if (rc != 0)
			snprintf(m->why, sizeof(m->why), "signing %s: %s",
				 m->signer_names[i], dkimsa_strerror(rc));
	}
	/* what fails from here on is the MTA's refusal */
	reason = rc == 0	       ? METRICS_SF_MTA
		 : rc == DKIMSA_ENOMEM ? METRICS_SF_RESOURCE
				       : METRICS_SF_SIGN;
	/* Nobody, inside or out, may carry a verdict in our name. */
	if (rc == 0 && verifypath_remove_forged(ctx, m) != 0) {
		snprintf(m->why, sizeof(m->why),
			 "cannot remove forged Authentication-Results");
		rc = -1;
	}
	if (rc == 0 && arcpath_remove_forged(ctx, m) != 0) {
		snprintf(m->why, sizeof(m->why),
			 "cannot remove forged ARC-Authentication-Results");
		rc = -1;
	}
	if (rc == 0 && c->rt->cfg.remove_old_signatures &&
	    signpath_remove_old(ctx, m) != 0) {
		snprintf(m->why, sizeof(m->why),
			 "cannot remove the old DKIM-Signature fields");
		rc = -1;
	}
	/* Insert the last first, so the first key's signature is on top. */
	for (i = m->nsigners; rc == 0 && i-- > 0;)
		if (smfi_insheader(ctx, 0, "DKIM-Signature", values[i]) !=
		    MI_SUCCESS) {
			snprintf(m->why, sizeof(m->why),
				 "the MTA refused the DKIM-Signature header");
			rc = -1;
		}
	for (i = 0; i < m->nsigners; i++)
		free(values[i]);
	free(values);
	/* the seal goes on top, over our DKIM-Signature */
	if (rc == 0 && arcpath_seal(ctx, c, m, NULL) < 0)
		return signpath_unsealed(ctx, c, m);
	if (rc != 0)
		return signpath_fail(ctx, c, m, reason);
	metrics_msg_signed(m);
	if (c->rt->cfg.syslog_success) {
		char names[600] = "";

		for (i = 0; i < m->nsigners; i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", m->signer_names[i]);
		mlog(LOG_INFO, "%s: mode=sign client=%s signed %s",
		     m->qid ? m->qid : "NOQUEUE", c->addr ? c->addr : "unknown",
		     names);
	}
	return SMFIS_CONTINUE;
}
