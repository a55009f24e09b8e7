/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcaar.h - whether an ARC-Authentication-Results field names our
 * authserv-id (RFC 8617 section 4.1.1: "i=N;" then an A-R value).  Such
 * a field at reception states results in our name: a forgery (arcpath.h).
 */
#ifndef DKIMSA_MILTER_ARCAAR_H
#define DKIMSA_MILTER_ARCAAR_H

/*
 * 1 when value (the text after "ARC-Authentication-Results:") is an
 * instance tag followed by an A-R value whose authserv-id is authserv_id
 * (case-insensitive, as dkimsa_ar_is_ours); 0 otherwise, and for NULLs.
 */
int arcaar_claims(const char *value, const char *authserv_id);
/* The instance (1 to 99) of such a value, or -1 when it has none. */
int arcaar_instance(const char *value);

#endif
