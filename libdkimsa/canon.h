/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * canon.h - DKIM canonicalisation (RFC 6376 section 3.4), header and body,
 * simple and relaxed.  The body canonicaliser streams: chunks of any size,
 * CRLF split across chunks, constant memory; its output goes to a sink
 * (the body hash), cut at the l= limit.
 */
#ifndef DKIMSA_CANON_H
#define DKIMSA_CANON_H

#include <stddef.h>

#include "buf.h"

/* Receives canonical body bytes; returns 0 or a negative error. */
typedef int (*canon_sink_fn)(void *arg, const void *data, size_t len);

struct canon_body {
	int relaxed;
	int at_bol;	  /* nothing but WSP seen on this line yet */
	int cr_pending;	  /* a CR was the last byte of the previous chunk */
	int wsp_pending;  /* relaxed: WSP seen, not yet written */
	long long crlfs;  /* empty lines held back (maybe at the end) */
	long long limit;  /* l=; negative: no limit */
	long long hashed; /* bytes given to the sink */
	long long total;  /* canonical bytes, limit or not */
	int err;
	canon_sink_fn sink;
	void *arg;
	size_t olen;
	char out[4096];
};

/* canon is enum dkimsa_canon; limit negative for no l=. */
void canon_body_init(struct canon_body *cb, int canon, long long limit,
		     canon_sink_fn sink, void *arg);
int canon_body_update(struct canon_body *cb, const void *data, size_t len);
/* Ends the body (adds the final CRLF where the algorithm says). */
int canon_body_final(struct canon_body *cb);

/*
 * Appends the canonical form of one header field (as kept by hdr.c, CRLF
 * inside folds, no final CRLF) to out, followed by CRLF when with_crlf.
 */
int canon_header(buf *out, int canon, const char *field, size_t len,
		 int with_crlf);

#endif
