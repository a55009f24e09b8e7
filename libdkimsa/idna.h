/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * idna.h - domain names in U-labels (UTF-8, RFC 6532 mail) to A-labels
 * (RFC 5890), as RFC 8616 section 6 asks of DMARC before the policy
 * lookup and the alignment checks: IDNA2008 (RFC 5891) by libidn2, after
 * the UTS #46 non-transitional mapping (case folding, NFC).
 */
#ifndef DKIMSA_IDNA_H
#define DKIMSA_IDNA_H

#include <stddef.h>

/* 1 when s (NUL-terminated) holds no byte above 0x7f. */
int idna_is_ascii(const char *s);

/*
 * The A-label form of src (NUL-terminated UTF-8) into dst (dlen bytes
 * with the NUL).  0, or -1 with why (a static string) when src is not
 * UTF-8, is not a valid IDNA2008 name (disallowed code points, a label
 * breaking the Bidi or contextual rules, a hyphen rule, ...) or its
 * A-labels do not fit (a label over 63 bytes, the name over dlen - 1).
 */
int idna_to_alabels(const char *src, char *dst, size_t dlen, const char **why);

#endif
