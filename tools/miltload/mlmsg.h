/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mlmsg.h - the test message dkimsa-miltload sends: a header list and a
 * body, either generated (RFC 5322 fields and text lines up to a body
 * size) or read from a file.  The struct owns every string in it.
 */
#ifndef MLMSG_H
#define MLMSG_H

#include <stddef.h>

struct mlmsg_hdr {
	char *name;
	char *value; /* after the colon, leading space kept; folded lines
			joined by "\n" + WSP, as Postfix passes them */
};

struct mlmsg {
	struct mlmsg_hdr *hdrs;
	size_t nhdrs;
	unsigned char *body; /* CRLF line ends */
	size_t body_len;
};

/* Builds a message From: user@domain with body_bytes of text.
 * Returns 0, or -1 (out of memory). */
int mlmsg_generate(struct mlmsg *m, const char *from, const char *rcpt,
		   size_t body_bytes);
/* Reads a message (LF or CRLF line ends).  Returns 0, or -1 with errmsg
 * set. */
int mlmsg_read(struct mlmsg *m, const char *path, char *errmsg, size_t errlen);
void mlmsg_free(struct mlmsg *m);

#endif
