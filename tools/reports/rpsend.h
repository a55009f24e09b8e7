/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rpsend.h - dkimsa-reports --send: each report mailed to the mailto: rua
 * URIs of its policy domain, RFC 9990 section 3 ("Transport" and
 * "Email"): a multipart message with the gzip file as application/gzip,
 * the Subject "Report Domain: ... Submitter: ... Report-ID: ...", given
 * to sendmail(1).  A rua outside the policy's Organizational Domain is
 * used only after the external destination check (dmarcrua.h); a rua
 * whose size limit ("!10m") the message exceeds is skipped.
 */
#ifndef DKIMSA_RPSEND_H
#define DKIMSA_RPSEND_H

#include <stdio.h>

#include "dkimsa.h"

struct rpsend_opts {
	const char *sendmail; /* path, default /usr/sbin/sendmail */
	const char *from;     /* envelope and header From */
	const char *receiver; /* Submitter */
	dkimsa_lib *lib;      /* DNS for the external check */
	FILE *log;	      /* one line per destination */
};

struct rpsend_report {
	const char *policy_domain, *org_domain;
	const char *const *rua; /* as published */
	size_t nrua;
	const char *file;     /* path of the .xml.gz */
	const char *filename; /* its base name, for the attachment */
	const char *report_id;
};

/*
 * Sends one report to every usable rua.  Returns the number of failed
 * sends or checks (temperror, sendmail failing); a denied or oversize
 * destination is logged, not counted.
 */
int rpsend_report(const struct rpsend_opts *o, const struct rpsend_report *r);
/* The byte limit of a rua URI's "!size" suffix; 0 when none. */
unsigned long long rpsend_size_limit(const char *uri);

#endif
