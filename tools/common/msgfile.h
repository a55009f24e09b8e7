/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msgfile.h - a whole message read from a stream and split into header
 * fields and body, for the command-line tools (LF or CRLF line ends).
 */
#ifndef DKIMSA_MSGFILE_H
#define DKIMSA_MSGFILE_H

#include <stddef.h>
#include <stdio.h>

struct msgfile_field {
	const char *text; /* start of the field in data */
	size_t len;	  /* up to, not including, its final line end */
};

struct msgfile {
	char *data;
	size_t len;
	struct msgfile_field *fields;
	size_t nfields;
	size_t body; /* offset of the body (len when there is none) */
	int crlf;    /* the first line ends with CRLF */
};

/* Reads all of fp; returns 0, or -1 with errno set. */
int msgfile_read(FILE *fp, struct msgfile *m);
void msgfile_free(struct msgfile *m);

#endif
