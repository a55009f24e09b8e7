/*
 * sid_pra.h - the Purported Responsible Address (RFC 4407 section 2)
 * from a message's header block, and the single-mailbox parser it needs
 * (RFC 5322 section 3.4, comments and obsolete forms tolerated).
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
 * written, e.g. "Resent-Sender") set; DKIMSA_ESYNTAX when the message is
 * ill-formed in the sense of RFC 4407 step 7 (reason in err);
 * DKIMSA_ENOMEM.
 */
int sid_pra_find(const char *hdr, size_t len, char **mailbox, char **field,
		 char *err, size_t errlen);

/*
 * A header value holding exactly one mailbox: name-addr or addr-spec.
 * Returns 0 with *out = "local@domain", DKIMSA_ESYNTAX when it is not
 * exactly one well-formed mailbox, DKIMSA_ENOMEM.
 */
int sid_pra_mailbox(const char *value, size_t len, char **out);

#endif
