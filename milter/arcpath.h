/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcpath.h - ARC (RFC 8617) in the milter: the chain a message carries
 * is validated in the same pass as DKIM (the library's ARC object takes
 * the stored headers at end of headers and every body chunk) and
 * reported as arc= in our one Authentication-Results field.
 *
 * Forgeries: an ARC-Authentication-Results field present at reception
 * that claims our authserv-id is treated as a forged A-R is (it states
 * results in our name that we did not write): it is removed in every
 * mode, and the ARC object never sees it, so the chain we validate is
 * the one we pass on (a chain that held one fails).
 *
 * Memory: a message's ARC object belongs to its msg (msg.h).
 */
#ifndef DKIMSA_MILTER_ARCPATH_H
#define DKIMSA_MILTER_ARCPATH_H

#include <libmilter/mfapi.h>
#include <stddef.h>

#include "dkimsa.h"

struct conn;
struct msg;

/*
 * End of headers (verify mode): starts the message's ARC object when it
 * carries ARC fields; the stored headers go in, forged AARs left out.
 * 0 or -1.
 */
int arcpath_eoh(const struct conn *c, struct msg *m);
int arcpath_body(struct msg *m, const unsigned char *data, size_t len);
/* Validates the chain (DNS: run it in a job, as the DKIM finish). */
void arcpath_finish(struct msg *m);
/* 1 when arcpath_finish is still to run (it needs DNS). */
int arcpath_needs_dns(const struct msg *m);
/* 1 when the A-R has an arc= result to show. */
int arcpath_has_result(const struct msg *m);
/* Adds arc=... to our A-R (nothing when there is no ARC object). */
void arcpath_ar(const struct msg *m, dkimsa_ar *ar);
/*
 * Deletes every ARC-Authentication-Results field that claims the
 * message's authserv-id, last first.  0 or -1.
 */
int arcpath_remove_forged(SMFICTX *ctx, const struct msg *m);

#endif
