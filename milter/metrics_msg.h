/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_msg.h - the milter's hooks into the counters (metrics.h): each
 * reads the message state the callbacks already have, so that the
 * callbacks, the sign path and the verify path count with one call.
 */
#ifndef DKIMSA_MILTER_METRICS_MSG_H
#define DKIMSA_MILTER_METRICS_MSG_H

#include <libmilter/mfapi.h>

#include "msg.h"

/* At the start of end-of-message: the time, for the latency histogram. */
long long metrics_msg_begin(void);
/* A message ended with rc (at end of headers, t0 0; or at its end). */
void metrics_msg_end(const struct msg *m, sfsistat rc, long long t0);
/* The message got its signatures (one per signer). */
void metrics_msg_signed(const struct msg *m);
/* The results a verified message is reported with (its A-R). */
void metrics_msg_verified(const struct msg *m);

#endif
