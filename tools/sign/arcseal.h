/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arcseal.h - dkimsa-sign --arc (arcseal.c): seal a message with the next
 * ARC set.
 */
#ifndef DKIMSA_ARCSEAL_H
#define DKIMSA_ARCSEAL_H

#include "dkimsa.h"
#include "msgfile.h"

struct arcseal_opts {
	const char *domain, *selector, *authserv_id;
	const char *results; /* NULL: from the message's A-R fields */
	const char *cv;	     /* "pass" or "fail" instead of our own
				validation's; NULL = ours */
	const char *headers; /* colon-separated h=, NULL: the default */
	dkimsa_key *key;
	long long now; /* t= and the clock; 0 = now */
};

/*
 * Validates the chain, writes the new ARC-Seal, ARC-Message-Signature and
 * ARC-Authentication-Results, then the message, to stdout.  A chain that
 * already ends in cv=fail (or has 50 sets) gets no new set: the message
 * is written unchanged and a note goes to stderr.  Returns the exit
 * status (0, 1 error, 2 bad option).
 */
int arcseal_message(dkimsa_lib *lib, const struct arcseal_opts *so,
		    const struct msgfile *m);

/* Writes a field to standard output with the input's line ends. */
void arcseal_put(const char *field, int crlf);

#endif
