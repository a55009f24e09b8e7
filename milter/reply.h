/*
 * reply.h - turn a configured action (accept, reject, tempfail, discard,
 * quarantine) into the milter status, with an SMTP reply that names the
 * failing check.
 */
#ifndef DKIMSA_MILTER_REPLY_H
#define DKIMSA_MILTER_REPLY_H

#include <libmilter/mfapi.h>

/*
 * action: enum cfg_action; dsn4: the enhanced status for tempfail
 * ("4.7.1", "4.4.3" for DNS); text: the human part.
 */
sfsistat reply_action(SMFICTX *ctx, int action, const char *dsn4,
		      const char *text);

#endif
