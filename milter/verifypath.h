/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verifypath.h - the verify path: SPF (and Sender ID mfrom) started at
 * MAIL FROM, DKIM while the message streams in, then at end of message
 * Sender ID PRA and ADSP, one Authentication-Results field at the top
 * (forgeries of ours removed) and the configured action.
 */
#ifndef DKIMSA_MILTER_VERIFYPATH_H
#define DKIMSA_MILTER_VERIFYPATH_H

#include <libmilter/mfapi.h>

#include "msg.h"

/* Starts SPF and Sender ID mfrom in the background. */
void verifypath_mailfrom(struct conn *c, struct msg *m);
/* Sets up DKIM verification over the stored headers; 0 or -1. */
int verifypath_eoh(struct conn *c, struct msg *m);
int verifypath_body(struct msg *m, const unsigned char *data, size_t len);
sfsistat verifypath_eom(SMFICTX *ctx, struct conn *c, struct msg *m);
/*
 * Deletes every Authentication-Results field that claims the message's
 * authserv-id (m->authserv_id), from the last to the first so the
 * indexes stay right.
 */
int verifypath_remove_forged(SMFICTX *ctx, const struct msg *m);

#endif
