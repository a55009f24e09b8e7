/*
 * reply.c - see reply.h.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "reply.h"

sfsistat
reply_action(SMFICTX *ctx, int action, const char *dsn4, const char *text)
{
	char msg[512];
	size_t i;

	snprintf(msg, sizeof(msg), "dkimsa: %s", text);
	for (i = 0; msg[i]; i++) /* no CR, LF or % in an SMTP reply text */
		if (msg[i] == '\r' || msg[i] == '\n' || msg[i] == '%')
			msg[i] = ' ';
	switch (action) {
	case CFG_REJECT:
		smfi_setreply(ctx, "550", "5.7.1", msg);
		return SMFIS_REJECT;
	case CFG_TEMPFAIL:
		smfi_setreply(ctx, "451", (char *)dsn4, msg);
		return SMFIS_TEMPFAIL;
	case CFG_DISCARD:
		return SMFIS_DISCARD;
	case CFG_QUARANTINE:
		smfi_quarantine(ctx, msg);
		return SMFIS_CONTINUE;
	default:
		return SMFIS_CONTINUE;
	}
}
