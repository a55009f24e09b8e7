/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres.h - the library's one formatter of header values a sender can
 * influence (authres.c): Authentication-Results values and comments, and
 * the same rules for Received-SPF (spf_hdr.c).
 */
#ifndef DKIMSA_AUTHRES_H
#define DKIMSA_AUTHRES_H

#include "buf.h"
#include "dkimsa.h"

/* Longest value written (bytes); a longer one is left out. */
#define AUTHRES_VALUE_MAX 256
/* Longest comment text taken (bytes); a longer one is cut with "...". */
#define AUTHRES_COMMENT_MAX 256

enum authres_form {
	AUTHRES_TOKEN = 0, /* token or quoted-string (RFC 2045 value);
			      also dot-atom / quoted-string (RFC 7208 9.1) */
	AUTHRES_PVALUE,	   /* also [local-part] "@" domain as is */
};

/* 1 when v can be written at all (no control or 8-bit byte, not too long). */
int authres_value_ok(const char *v);
/*
 * Appends v in the form given, as it is when it is plain, else as a
 * quoted-string.  Returns -1 (nothing appended) when authres_value_ok()
 * says no.
 */
int authres_value(buf *b, const char *v, int form);
/* Appends the text of a comment, without the parentheses (see authres.c). */
void authres_ctext(buf *b, const char *text);
/*
 * The resinfos of ar without an authserv-id ("dkim=pass ...; spf=..."),
 * for the one-result functions; frees ar.  Caller frees *out.
 */
int authres_resinfo(dkimsa_ar *ar, char **out);
/*
 * The authserv-id at the start of an A-R value (RFC 8601 2.2, after
 * CFWS; line ends count as white space) appended to out unquoted;
 * returns the position after it, or (size_t)-1 when there is none.
 * The forgery check and the reader (authres_read.c) share it.
 */
size_t authres_servid(const char *v, size_t len, buf *out);

#endif
