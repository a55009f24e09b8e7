/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reply.c - see reply.h.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "metrics.h"
#include "reply.h"

void
reply_text(char *out, size_t len, const char *text)
{
	size_t i;

	snprintf(out, len, "dkimsa: %s", text);
	/*
	 * RFC 5321 4.2: textstring is HT, SP and printable US-ASCII.  A sender
	 * or a DNS record (SPF exp=) chose part of the text: no line ends, no
	 * other controls, no 8-bit bytes, and no "%" (libmilter's format).
	 */
	for (i = 0; out[i]; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c >= 0x7f || c == '%')
			out[i] = c == '\t' ? ' ' : '?';
	}
}

sfsistat
reply_action(SMFICTX *ctx, int action, const char *dsn4, const char *text)
{
	char msg[512];

	reply_text(msg, sizeof(msg), text);
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
		metrics_quarantine();
		return SMFIS_CONTINUE;
	default:
		return SMFIS_CONTINUE;
	}
}
