/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arctrust.h - the DMARC override by a trusted ARC sealer (RFC 8617
 * section 7.2, RFC 9989 local policy; ARCTrustedSealers in
 * dkimsa.conf(5)).
 *
 * A message that fails DMARC under a quarantine or reject disposition is
 * accepted when all of these hold:
 *   - its ARC chain passes, and the sealer of the oldest-pass instance
 *     (instance 1 when every AMS verifies) is in ARCTrustedSealers;
 *   - the ARC-Authentication-Results of that instance (covered by that
 *     sealer's ARC-Seal) parses (RFC 8601 grammar, authres_read.c);
 *   - it records, for our RFC5322.From domain, either dmarc=pass with
 *     header.from equal to it, or dkim=pass whose header.d (else the
 *     domain of header.i), or spf=pass whose smtp.mailfrom domain, is
 *     aligned with it under the domain's published adkim / aspf (the
 *     library's DMARC check run again over those results, dmarcpath.h:
 *     relaxed = same Organizational Domain by the DNS Tree Walk).
 * That is: DMARC fails here only because SPF/DKIM broke in transit after
 * the trusted sealer saw them pass.  The AAR's authserv-id is not
 * required to match the sealer's d= (it is a host name, often under
 * another name: mx.google.com for d=google.com); what binds the AAR to
 * the sealer is its ARC-Seal.  Otherwise the message keeps its DMARC
 * disposition and the log says why.  A table error leaves the decision
 * alone (logged).
 */
#ifndef DKIMSA_MILTER_ARCTRUST_H
#define DKIMSA_MILTER_ARCTRUST_H

#include <libmilter/mfapi.h>

#include "dkimsa.h"

struct conn;
struct msg;
struct dmarcpath_decision;

/*
 * Between dmarcpath_decide and the verdict: overrides d
 * (dmarcpath_override, the history comment naming the sealer and the
 * AAR result that justified it) and keeps the sealer in m for the A-R.
 * Its DNS (alignment lookups) runs cache-only here, else in a job.
 */
void arctrust_dmarc(SMFICTX *ctx, const struct conn *c, struct msg *m,
		    struct dmarcpath_decision *d);
/* After our dmarc= result: "(arc override: SEALER)" when overridden. */
void arctrust_ar(const struct msg *m, dkimsa_ar *ar);

#endif
