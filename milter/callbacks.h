/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * callbacks.h - the libmilter callback table.
 */
#ifndef DKIMSA_MILTER_CALLBACKS_H
#define DKIMSA_MILTER_CALLBACKS_H

#include <libmilter/mfapi.h>

extern struct smfiDesc callbacks_desc;
/* Messages begun (MAIL FROM) and not yet ended: SIGTERM waits for 0. */
int callbacks_inflight(void);
/* From now on new connections and messages are refused (tempfail): we
 * are stopping. */
void callbacks_drain(void);
/* Milter connections open (negotiated and not yet closed). */
int callbacks_connections(void);

#endif
