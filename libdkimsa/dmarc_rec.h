/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc_rec.h - the DMARC Policy Record (RFC 9989 sections 4.7, 4.8),
 * parsed by dmarc_rec.c.  A struct dmarc_rec owns its strings
 * (dmarc_rec_free).
 */
#ifndef DKIMSA_DMARC_REC_H
#define DKIMSA_DMARC_REC_H

#include <stddef.h>

#define DMARC_REC_URIS_MAX 16 /* URIs kept per rua= / ruf= */

struct dmarc_rec {
	int p, sp, np;	  /* enum dkimsa_dmarc_policy, UNSET when absent */
	int p_bad;	  /* p= present but not dmarc-request */
	int sp_bad;	  /* sp= present but not dmarc-request */
	int np_bad;	  /* np= present but not dmarc-request */
	int adkim_strict; /* adkim=s (default r) */
	int aspf_strict;  /* aspf=s (default r) */
	int testing;	  /* t=y (default n) */
	int psd;	  /* psd=y 1, psd=n 0, psd=u or absent -1 */
	char *rua[DMARC_REC_URIS_MAX + 1]; /* NULL-terminated, "!size" cut */
	size_t nrua;
	char *ruf[DMARC_REC_URIS_MAX + 1];
	size_t nruf;
	char fo[16]; /* "" when absent or not dmarc-fo */
	int ignored; /* tags ignored: unknown, removed (pct rf ri),
			 repeated or with a bad value */
};

/*
 * 1 when the TXT string starts with the version tag "v=DMARC1" (section
 * 4.7: first tag, value case-sensitive, WSP allowed around "="), so it is
 * a DMARC record at all; 0 otherwise (to be discarded).
 */
int dmarc_rec_is_dmarc(const char *txt, size_t len);
/*
 * Parses a record that dmarc_rec_is_dmarc() accepts.  Unknown tags, the
 * removed tags pct, rf and ri, a repeated tag (the first one counts) and
 * a tag-value outside its rule are ignored (section 4.8: "discarded in
 * favor of default values"); the p/sp/np errors are kept in p_bad,
 * sp_bad and np_bad for section 4.10.1.  Returns 0, DKIMSA_ESYNTAX when
 * the text is not a DMARC record, DKIMSA_ENOMEM.  why (may be NULL) gets
 * a note on what was ignored or wrong.
 */
int dmarc_rec_parse(const char *txt, size_t len, struct dmarc_rec *out,
		    char *why, size_t whylen);
void dmarc_rec_free(struct dmarc_rec *r);
/*
 * Section 4.10.1 for a record with an invalid p, sp or np: 1 when the
 * record counts as "p=none" (a valid rua URI), 0 when DMARC is not
 * applied to the message, -1 when p, sp and np are all fine.
 */
int dmarc_rec_invalid_policy(const struct dmarc_rec *r);
/* 1 when s is an RFC 3986 URI as section 4.8's dmarc-uri needs. */
int dmarc_rec_uri_ok(const char *s, size_t len);

#endif
