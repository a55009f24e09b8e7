/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signpath.h - the sign path: body chunks into every signer, and at end of
 * message one DKIM-Signature per key inserted at the top.
 */
#ifndef DKIMSA_MILTER_SIGNPATH_H
#define DKIMSA_MILTER_SIGNPATH_H

#include <libmilter/mfapi.h>

#include "msg.h"

int signpath_body(struct msg *m, const unsigned char *data, size_t len);
sfsistat signpath_eom(SMFICTX *ctx, struct conn *c, struct msg *m);
/* The reply and status for an internal error (On-InternalError). */
sfsistat signpath_error(SMFICTX *ctx, struct conn *c, struct msg *m);
/* "DKIM-Signature: v=1;\r\n\t..." to the milter's value: " v=1;\n\t...". */
char *signpath_value(const char *field);

#endif
