/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * b64.h - base64 (RFC 4648 section 4) for DKIM b=, bh= and p= values.
 * Decoding skips white space (FWS inside tag values) and rejects anything
 * else outside the alphabet, and bad padding.
 */
#ifndef DKIMSA_B64_H
#define DKIMSA_B64_H

#include <stddef.h>

#include "buf.h"

/* Appends the encoding of data to out. */
int b64_encode(buf *out, const void *data, size_t len);
/* Appends the decoded bytes to out; DKIMSA_ESYNTAX on bad input. */
int b64_decode(buf *out, const char *text, size_t len);

#endif
