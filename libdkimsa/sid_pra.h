/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sid_pra.h - the Purported Responsible Address (RFC 4407 section 2)
 * from a message's header block; its mailbox is parsed by the library's
 * RFC 5322 parser (dkimsa_rfc5322_mailbox).
 *
 * Memory: returned strings are the caller's (free()).
 */
#ifndef DKIMSA_SID_PRA_H
#define DKIMSA_SID_PRA_H

#include <stddef.h>

/*
 * Finds the PRA in the header block hdr[0..len) ("Name: value" lines,
 * CRLF or LF, folded lines allowed; an empty line ends the block).
 * Returns 0 with *mailbox ("local@domain") and *field (the header name as
 * written, e.g. "Resent-Sender") set.  Returns DKIMSA_ESYNTAX when the
 * message is ill-formed in the sense of RFC 4407 step 7, with the reason
 * in err, *field the field that failed ("From" when there is none) and
 * *mailbox its value unfolded ("" when there is none), for the report.
 * DKIMSA_ENOMEM.  Free *mailbox and *field whatever the result.
 */
int sid_pra_find(const char *hdr, size_t len, char **mailbox, char **field,
		 char *err, size_t errlen);

#endif
