/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rpxml.h - one RFC 9990 aggregate report as XML (namespace
 * urn:ietf:params:xml:ns:dmarc-2.0, the schema of RFC 9990 appendix A,
 * kept in tests/reports/rfc9990.xsd), and its gzip file.
 *
 * Every value taken from a history line goes through rpxml_text, which
 * escapes markup and replaces what XML 1.0 cannot carry (control bytes,
 * bytes that are not UTF-8) by '?', so a hostile From domain can never
 * change the document's structure.
 */
#ifndef DKIMSA_RPXML_H
#define DKIMSA_RPXML_H

#include "buf.h"
#include "rpagg.h"

struct rpxml_meta {
	const char *org_name, *email, *extra_contact;
	const char *receiver; /* our domain: file name, Report-ID */
	const char *generator;
};

/* Appends s as XML character data. */
void rpxml_text(buf *out, const char *s);
/*
 * The report for d over [begin, end) into out; report_id as given.
 * DKIMSA_ENOMEM or 0.  A row whose key no longer parses is skipped (it
 * cannot: the key came from the writer).
 */
int rpxml_report(buf *out, const struct rpxml_meta *m,
		 const struct rpagg_domain *d, long long begin, long long end,
		 const char *report_id);
/* Writes data gzip-compressed to path (created 0644, replaced
 * atomically); 0, or -1 with the reason in err. */
int rpxml_gzip(const char *path, const char *data, size_t len, char *err,
	       size_t errlen);
/* Reads a gzip file whole (for --send); 0 or -1. */
int rpxml_slurp(const char *path, buf *out, char *err, size_t errlen);

#endif
