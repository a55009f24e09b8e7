/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.h - who gets what: whether a message's origin is trusted, whose
 * keys apply (SigningTable/KeyTable, or Domain with KeyFile), and which
 * configured action a verification outcome calls for.
 */
#ifndef DKIMSA_MILTER_POLICY_H
#define DKIMSA_MILTER_POLICY_H

#include <libmilter/mfapi.h>
#include <stddef.h>

#include "msg.h"
#include "rt.h"

/* 1 when the origin is trusted: InternalHosts, SMTP AUTH, MTA, MacroList. */
int policy_trusted(const struct conn *c, SMFICTX *ctx);
/*
 * The address in the first header named by SenderHeaders (the From: by
 * default), lower-cased, into out; 0, or -1 when there is none or that
 * field does not hold exactly one mailbox.
 */
int policy_sender(const struct rt *rt, const struct msg *m, char *out,
		  size_t len);
/*
 * The one mailbox of a header value through the library's RFC 5322
 * parser (dkimsa_rfc5322_mailbox), into out as written; 0, or -1 with
 * *why saying what is wrong (several mailboxes, none, too long).
 */
int policy_author(const char *value, char *out, size_t len, const char **why);
/*
 * Sets up one signer per key that applies to sender (m->signers); no key
 * is not an error.  Returns 0, or -1 with the reason in m->why (table or
 * key error: the message must not leave unsigned).
 */
int policy_signers(struct rt *rt, struct msg *m, const char *sender);
/* 1 when the sender's domain is one we sign for (for the warning). */
int policy_is_our_domain(struct rt *rt, const char *sender);

#endif
