/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sig.h - the DKIM-Signature header field (RFC 6376 section 3.5) and the
 * ARC-Message-Signature and ARC-Seal fields built on it (RFC 8617 4.1.2,
 * 4.1.3): parse with one handler per tag, and build a folded field for
 * signing.
 */
#ifndef DKIMSA_SIG_H
#define DKIMSA_SIG_H

#include <stddef.h>

#include "buf.h"

#define SIG_MAX_H 256
#define SIG_ARC_MAX_INSTANCE 50

/* What a field is; the tag table says which tags each kind takes. */
enum sig_kind { SIG_DKIM = 1, SIG_AMS = 2, SIG_AS = 4 };
/* ARC-Seal cv= (RFC 8617 4.1.3); 0 when absent. */
enum sig_cv { SIG_CV_NONE = 1, SIG_CV_PASS, SIG_CV_FAIL };

struct sig {
	int kind;     /* enum sig_kind */
	int instance; /* ARC i= (1..50), 0 for DKIM */
	int cv;	      /* ARC-Seal cv=, enum sig_cv */
	int has_c;    /* c= was written (else simple/simple) */
	int alg;      /* enum dkimsa_alg */
	int hcanon, bcanon;
	char *domain;	/* d=, lower-cased */
	char *selector; /* s= */
	char *auid;	/* i=, or "@" d= */
	char **h;	/* h= names, as written */
	size_t nh;
	buf b, bh;	   /* decoded b= and bh= */
	char *b_text;	   /* b= without white space */
	long long l, t, x; /* -1 when absent */
	/* b= value inside the field text: [b_start, b_end) is removed when
	 * hashing the field itself (RFC 6376 section 3.7). */
	size_t b_start, b_end;
};

void sig_init(struct sig *s);
void sig_free(struct sig *s);
/*
 * Parses a whole "DKIM-Signature: ..." field (CRLF folds).  On failure
 * returns DKIMSA_ESYNTAX (or DKIMSA_ENOMEM) with the reason; fields that
 * were parsed before the error (d=, s=) stay set for the report.
 */
int sig_parse(const char *field, size_t len, struct sig *s, char *reason,
	      size_t rlen);
/*
 * The same for a field of kind (enum sig_kind).  SIG_AMS: i= is the
 * instance, no v=, h= need not name From and may hold empty names,
 * there is no AUID.  SIG_AS: i=, cv=, a=, b=, d=, s= required, t=
 * optional, h= an error.
 */
int sig_parse_kind(const char *field, size_t len, int kind, struct sig *s,
		   char *reason, size_t rlen);

/* Tags for a new signature; b= is added by sig_format_b(). */
struct sig_new {
	int alg, hcanon, bcanon;
	const char *domain, *selector, *auid;
	const char *hlist; /* colon-separated */
	const char *bh;	   /* base64 */
	long long t, x, l; /* x, l negative when absent */
};

/*
 * Appends "DKIM-Signature: v=1; a=...; ... b=" folded to at most 78
 * characters a line with CRLF TAB; the field ends with "b=" so that it is
 * exactly the text hashed with an empty b= value.
 */
int sig_format(buf *out, const struct sig_new *n);
/* Appends the b= value to a field from sig_format(), keeping the folds. */
int sig_format_b(buf *out, const char *b64);
/*
 * Adds " tok", folding with CRLF TAB before it when the line would pass
 * 78 characters.  A token longer than a line is broken after one of the
 * characters in breaks (NULL: anywhere; "": never).  For the ARC fields.
 */
void sig_fold_add(buf *out, const char *tok, const char *breaks);
/* The column at the end of out (TAB counts 8). */
size_t sig_column(const buf *out);

/* 1 when s is a syntactically valid domain name (d=, s=, i= domain). */
int sig_domain_ok(const char *s, size_t len);

/* The value of the hex digit c (0-9, A-F, a-f), or -1. */
int sig_hexdig(int c);

#endif
