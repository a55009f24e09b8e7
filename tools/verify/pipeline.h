/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pipeline.h - dkimsa-verify's receiver mode (pipeline.c): SPF, DKIM and
 * DMARC on one message as a receiving MTA would run them.
 */
#ifndef DKIMSA_VERIFY_PIPELINE_H
#define DKIMSA_VERIFY_PIPELINE_H

#include "dkimsa.h"
#include "msgfile.h"

struct pipeline_opts {
	const char *client_ip; /* the SMTP client (required) */
	const char *helo;      /* HELO/EHLO name, NULL = none */
	const char *mail_from; /* MAIL FROM without <>, NULL/"" = null */
	long long now;	       /* 0 = the current time */
};

/*
 * Prints the spf=, dkim= (one per signature) and dmarc= resinfos, one a
 * line, in Authentication-Results syntax (RFC 8601), for the message m
 * whose DKIM signatures v evaluated.  Returns 0, or 1 after a message on
 * stderr.
 */
int pipeline_print(dkimsa_lib *lib, const struct pipeline_opts *o,
		   const dkimsa_verify *v, const struct msgfile *m);

#endif
