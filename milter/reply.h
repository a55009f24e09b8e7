/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reply.h - turn a configured action (accept, reject, tempfail, discard,
 * quarantine) into the milter status, with an SMTP reply that names the
 * failing check.
 */
#ifndef DKIMSA_MILTER_REPLY_H
#define DKIMSA_MILTER_REPLY_H

#include <stddef.h>

#include <libmilter/mfapi.h>

/*
 * The reply text for `text`: "dkimsa: " and the text cut to len - 1
 * bytes, with every byte an SMTP reply may not carry (controls, 8-bit,
 * "%") replaced.
 */
void reply_text(char *out, size_t len, const char *text);

/*
 * action: enum cfg_action; dsn4: the enhanced status for tempfail
 * ("4.7.1", "4.4.3" for DNS); text: the human part.
 */
sfsistat reply_action(SMFICTX *ctx, int action, const char *dsn4,
		      const char *text);

#endif
