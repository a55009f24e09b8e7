/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcpath.h - ARC (RFC 8617) in the milter: the chain a message carries
 * is validated in the same pass as DKIM (the library's ARC object takes
 * the stored headers at end of headers; its body hashes are slots of the
 * message's dkimsa_body, shared with DKIM, msg_body), reported
 * as arc= in our one Authentication-Results field, and with ARCSign the
 * message is sealed as it leaves: one AAR (a copy of our A-R), AMS and AS
 * inserted at the top, cv= from our validation (RFC 8617 5.1).
 *
 * Forgeries: an ARC-Authentication-Results field present at reception
 * that claims our authserv-id is treated as a forged A-R is (it states
 * results in our name that we did not write): it is removed, and the ARC
 * object never sees it, so the chain we validate and seal over is the one
 * we pass on (a chain with a forged set fails: sealed with cv=fail).
 * One exception: our own set from an earlier pass (a message we sealed
 * that comes back, say from a mailing list).  An AAR naming us whose
 * instance's ARC-Seal has our sealing d= (ARCKey's domain) goes into the
 * chain; when the chain passes, that seal verified with our key and the
 * AAR stays; when it fails, the AAR is removed as a forgery (the chain
 * has failed either way).  Only the first such AAR of an instance counts.
 * In sign mode every AAR naming us is removed (it goes before the chain
 * is validated, and the seal is made over what we pass on).
 *
 * Settings: arccfg.h.  Memory: a message's ARC object belongs to its msg
 * (msg.h).
 */
#ifndef DKIMSA_MILTER_ARCPATH_H
#define DKIMSA_MILTER_ARCPATH_H

#include <libmilter/mfapi.h>
#include <stddef.h>

#include "dkimsa.h"

struct conn;
struct msg;

/*
 * End of headers: starts the message's ARC object when it carries ARC
 * fields or will be sealed in this mode (sign: sealing = seal_sign);
 * the stored headers go in, forged AARs left out.  0 or -1.
 */
int arcpath_eoh(const struct conn *c, struct msg *m, int sign);
/* Validates the chain (DNS: run it in a job, as the DKIM finish). */
void arcpath_finish(struct msg *m);
/* 1 when arcpath_finish is still to run (it needs DNS). */
int arcpath_needs_dns(const struct msg *m);
/*
 * 1 when arcpath_finish would not wait for DNS (every key of the chain
 * answered from the cache, or nothing left to do): it may run in the
 * callback thread.
 */
int arcpath_keys_ready(const struct msg *m);
/* 1 when the A-R has an arc= result to show. */
int arcpath_has_result(const struct msg *m);
/* Adds arc=... to our A-R (nothing when there is no ARC object). */
void arcpath_ar(const struct msg *m, dkimsa_ar *ar);
/*
 * Deletes every ARC-Authentication-Results field that claims the
 * message's authserv-id, last first, but our own sets' (above) once the
 * chain passed.  0 or -1.
 */
int arcpath_remove_forged(SMFICTX *ctx, const struct msg *m);
/*
 * Seals the message when this mode seals: ar is our A-R value (" id;
 * results", verify mode) copied into the AAR, or NULL (sign mode: the
 * AAR says arc=).  The three fields go on top.  0, 1 when not sealed
 * (not asked, or a chain past 50 sets), or -1 with m->why set.
 */
int arcpath_seal(SMFICTX *ctx, const struct conn *c, struct msg *m,
		 const char *ar);

#endif
