/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres_read.c - reading an Authentication-Results value into its parts
 * (RFC 8601 section 2.2), for the results an ARC sealer recorded in its
 * ARC-Authentication-Results (RFC 8617 4.1.1, arc_aar.c):
 *
 *   authres-payload = [CFWS] authserv-id [ CFWS authres-version ]
 *                     ( no-result / 1*resinfo ) [CFWS]
 *   authres-version = 1*DIGIT [CFWS]
 *   no-result  = [CFWS] ";" [CFWS] "none"
 *   resinfo    = [CFWS] ";" methodspec [ CFWS reasonspec ]
 *                [ CFWS 1*propspec ]
 *   methodspec = [CFWS] method [CFWS] "=" [CFWS] result
 *   method     = Keyword [ [CFWS] "/" [CFWS] method-version ]
 *   reasonspec = "reason" [CFWS] "=" [CFWS] value
 *   propspec   = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *   pvalue     = [CFWS] ( value / [ [ local-part ] "@" ] domain-name )
 *                [CFWS]
 *   Keyword    = ldh-str (RFC 5321)
 *   value      = token / quoted-string (RFC 2045)
 *
 * The authserv-id is read by the forgery check's own reader
 * (authres_servid), CFWS by the library's RFC 5322 scanner and a
 * quoted-string by its tokenizer.  Leniencies (see dkimsa.h): a pvalue
 * is a quoted-string (optionally followed by "@" and a domain) or a run
 * of visible characters other than ( ) ; " \ (base64 in header.b=); a
 * bare "keyword=value" after the result is a property with ptype "".
 *
 * Bounded: the value is at most 2 * DKIMSA_AR_MAX bytes, at most
 * DKIMSA_AR_MAX_RESINFO results of at most DKIMSA_AR_MAX_PROPS
 * properties each; past a limit the value is not parsed (ESYNTAX), like
 * any other text that does not follow the grammar.
 *
 * Memory: one struct authres_read_out per parse holds the arrays and an
 * arena of 2 * len + 2 bytes for the strings: each string is at most as
 * long as the text it came from, plus its NUL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authres.h"
#include "buf.h"
#include "dkimsa.h"

#define AUTHRES_READ_MAX_LEN (2 * DKIMSA_AR_MAX)

struct authres_read_out {
	dkimsa_ar_parsed pub;
	dkimsa_ar_resinfo ri[DKIMSA_AR_MAX_RESINFO];
	dkimsa_ar_property prop[DKIMSA_AR_MAX_RESINFO][DKIMSA_AR_MAX_PROPS];
	char *arena;
	size_t used, size;
};

struct authres_read {
	const char *s;
	size_t len, pos;
	struct authres_read_out *o;
	const char *why; /* set at the first error */
};

static const char authres_read_empty[] = "";

static int
authres_read_fail(struct authres_read *r, const char *why)
{
	if (r->why == NULL)
		r->why = why;
	return -1;
}

/* A copy of s[0..n) in the arena, lower-cased when asked. */
static const char *
authres_read_put(struct authres_read *r, const char *s, size_t n, int lower)
{
	char *d;
	size_t i;

	if (r->o->used + n + 1 > r->o->size) {
		authres_read_fail(r, "internal: arena full");
		return NULL;
	}
	d = r->o->arena + r->o->used;
	for (i = 0; i < n; i++)
		d[i] = lower ? (char)tolower((unsigned char)s[i]) : s[i];
	d[n] = '\0';
	r->o->used += n + 1;
	return d;
}

/* [CFWS]: white space, folds, comments. */
static int
authres_read_cfws(struct authres_read *r)
{
	size_t p = dkimsa_rfc5322_cfws(r->s, r->len, r->pos);

	if (p == (size_t)-1)
		return authres_read_fail(r, "a comment does not end, or a "
					    "line end is not a fold");
	r->pos = p;
	return 0;
}

static int
authres_read_at(const struct authres_read *r, int c)
{
	return r->pos < r->len && r->s[r->pos] == c;
}

/* Keyword = ldh-str: a letter or digit, then letters, digits and "-",
 * not ending in "-"; returned lower-case. */
static const char *
authres_read_keyword(struct authres_read *r, const char *what)
{
	size_t start = r->pos, n;

	while (r->pos < r->len && (isalnum((unsigned char)r->s[r->pos]) ||
				   (r->s[r->pos] == '-' && r->pos > start)))
		r->pos++;
	n = r->pos - start;
	if (n == 0 || r->s[r->pos - 1] == '-') {
		authres_read_fail(r, what);
		return NULL;
	}
	return authres_read_put(r, r->s + start, n, 1);
}

/* 1*DIGIT, at most 9 of them (no int overflow). */
static int
authres_read_digits(struct authres_read *r, int *out, const char *what)
{
	size_t n = 0;

	*out = 0;
	while (r->pos < r->len && isdigit((unsigned char)r->s[r->pos]) &&
	       n < 9) {
		*out = *out * 10 + (r->s[r->pos++] - '0');
		n++;
	}
	if (n == 0 || (r->pos < r->len && isdigit((unsigned char)r->s[r->pos])))
		return authres_read_fail(r, what);
	return 0;
}

/* quoted-string at r->pos: its content unquoted (escapes and the line
 * ends of folds removed) into the arena, not yet terminated. */
static int
authres_read_quoted(struct authres_read *r, char **start, size_t *n)
{
	dkimsa_rfc5322_token tok;
	size_t p = r->pos, i;
	char *d;

	if (dkimsa_rfc5322_next_token(r->s, r->len, &p, &tok) !=
	    DKIMSA_TOK_QUOTED)
		return authres_read_fail(r, "a quoted-string does not end");
	d = *start = r->o->arena + r->o->used;
	*n = 0;
	for (i = 1; i + 1 < tok.len; i++) {
		if (tok.text[i] == '\r' || tok.text[i] == '\n')
			continue;
		if (tok.text[i] == '\\')
			i++;
		d[(*n)++] = tok.text[i];
	}
	r->pos = p;
	return 0;
}

/* A character of the lenient pvalue run (and of a token). */
static int
authres_read_pchar(int c)
{
	return c > 0x20 && c != 0x7f && strchr("();\"\\", c) == NULL;
}

/* RFC 2045 token (tspecials end it). */
static int
authres_read_tchar(int c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/*
 * value (token / quoted-string), or with pvalue set the lenient pvalue:
 * quoted-string ["@" domain] or a run of pchars.  Unquoted, in the
 * arena.
 */
static const char *
authres_read_value(struct authres_read *r, int pvalue)
{
	char *start;
	size_t n = 0, from;
	int (*ok)(int) = pvalue ? authres_read_pchar : authres_read_tchar;

	if (authres_read_at(r, '"')) {
		/* what is written is never longer than the rest of the
		 * text (see Memory above); checked all the same */
		if (r->o->used + (r->len - r->pos) + 1 > r->o->size) {
			authres_read_fail(r, "internal: arena full");
			return NULL;
		}
		if (authres_read_quoted(r, &start, &n) != 0)
			return NULL;
		if (pvalue && authres_read_at(r, '@'))
			for (;
			     r->pos < r->len && ok((unsigned char)r->s[r->pos]);
			     r->pos++)
				start[n++] = r->s[r->pos];
		start[n] = '\0';
		r->o->used += n + 1;
		return start;
	}
	for (from = r->pos; r->pos < r->len && ok((unsigned char)r->s[r->pos]);
	     r->pos++)
		;
	if (r->pos == from) {
		authres_read_fail(r, "a value is missing");
		return NULL;
	}
	return authres_read_put(r, r->s + from, r->pos - from, 0);
}

/* "=" between a name and its value, CFWS around it. */
static int
authres_read_equals(struct authres_read *r, const char *what)
{
	if (authres_read_cfws(r) != 0)
		return -1;
	if (!authres_read_at(r, '='))
		return authres_read_fail(r, what);
	r->pos++;
	return authres_read_cfws(r);
}

/* methodspec = method [ "/" method-version ] "=" result */
static int
authres_read_methodspec(struct authres_read *r, dkimsa_ar_resinfo *ri)
{
	if ((ri->method = authres_read_keyword(r, "a method is missing")) ==
		NULL ||
	    authres_read_cfws(r) != 0)
		return -1;
	if (authres_read_at(r, '/')) {
		r->pos++;
		if (authres_read_cfws(r) != 0 ||
		    authres_read_digits(r, &ri->method_version,
					"a method version is not a number") !=
			0)
			return -1;
	}
	if (authres_read_equals(r, "no \"=\" after a method") != 0 ||
	    (ri->result = authres_read_keyword(r, "a result is missing")) ==
		NULL)
		return -1;
	return 0;
}

/*
 * After the result: reasonspec, propspecs (ptype "." property "="
 * pvalue) and bare "keyword=value" properties, to ";" or the end.
 */
static int
authres_read_props(struct authres_read *r, dkimsa_ar_resinfo *ri,
		   dkimsa_ar_property *props)
{
	dkimsa_ar_property *p;
	const char *k;

	ri->props = props;
	for (;;) {
		if (authres_read_cfws(r) != 0)
			return -1;
		if (r->pos == r->len || authres_read_at(r, ';'))
			return 0;
		if ((k = authres_read_keyword(r, "a property is not a "
						 "keyword")) == NULL ||
		    authres_read_cfws(r) != 0)
			return -1;
		if (strcmp(k, "reason") == 0 && ri->reason == NULL &&
		    ri->nprops == 0 && authres_read_at(r, '=')) {
			if (authres_read_equals(r, "") != 0 ||
			    (ri->reason = authres_read_value(r, 0)) == NULL)
				return -1;
			continue;
		}
		if (ri->nprops == DKIMSA_AR_MAX_PROPS)
			return authres_read_fail(r, "too many properties in "
						    "one result");
		p = &props[ri->nprops++];
		p->ptype = authres_read_empty;
		p->property = k;
		if (authres_read_at(r, '.')) {
			r->pos++;
			p->ptype = k;
			if (authres_read_cfws(r) != 0 ||
			    (p->property = authres_read_keyword(
				 r, "a property name is missing")) == NULL)
				return -1;
		}
		if (authres_read_equals(r, "no \"=\" after a property") != 0 ||
		    (p->value = authres_read_value(r, 1)) == NULL)
			return -1;
	}
}

/* authserv-id [ CFWS authres-version ] */
static int
authres_read_servid(struct authres_read *r)
{
	buf id;
	size_t end;

	buf_init(&id);
	end = authres_servid(r->s, r->len, &id);
	if (end == (size_t)-1 || id.err || id.data == NULL) {
		buf_free(&id);
		return authres_read_fail(r, "no authserv-id");
	}
	r->o->pub.authserv_id = authres_read_put(r, id.data, id.len, 0);
	buf_free(&id);
	r->pos = end;
	if (r->o->pub.authserv_id == NULL || authres_read_cfws(r) != 0)
		return -1;
	if (r->pos > end && r->pos < r->len &&
	    isdigit((unsigned char)r->s[r->pos]) &&
	    (authres_read_digits(r, &r->o->pub.version,
				 "authres-version is not a number") != 0 ||
	     authres_read_cfws(r) != 0))
		return -1;
	return 0;
}

/* ( no-result / 1*resinfo ) [CFWS], to the end of the text. */
static int
authres_read_payload(struct authres_read *r)
{
	struct authres_read_out *o = r->o;
	dkimsa_ar_resinfo *ri;
	size_t save;

	if (authres_read_servid(r) != 0)
		return -1;
	if (!authres_read_at(r, ';'))
		return authres_read_fail(r, "no \";\" after the authserv-id");
	r->pos++;
	save = r->pos;
	if (authres_read_cfws(r) == 0 && r->len - r->pos >= 4 &&
	    strncasecmp(r->s + r->pos, "none", 4) == 0) {
		r->pos += 4;
		if (authres_read_cfws(r) == 0 && r->pos == r->len)
			return 0;
	}
	r->pos = save;
	r->why = NULL;
	for (;;) {
		if (o->pub.nresinfo == DKIMSA_AR_MAX_RESINFO)
			return authres_read_fail(r, "too many results");
		ri = &o->ri[o->pub.nresinfo];
		if (authres_read_cfws(r) != 0 ||
		    authres_read_methodspec(r, ri) != 0 ||
		    authres_read_props(r, ri, o->prop[o->pub.nresinfo]) != 0)
			return -1;
		o->pub.nresinfo++;
		if (r->pos == r->len)
			return 0;
		r->pos++; /* the ";" that authres_read_props stopped at */
	}
}

int
dkimsa_ar_parse(const char *value, size_t len, dkimsa_ar_parsed **out,
		char *why, size_t wlen)
{
	struct authres_read r;
	struct authres_read_out *o;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if (value == NULL || len > AUTHRES_READ_MAX_LEN) {
		if (why != NULL && wlen > 0)
			snprintf(why, wlen, "%s",
				 value ? "too long" : "no value");
		return DKIMSA_ESYNTAX;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL ||
	    (o->arena = malloc(2 * len + 2)) == NULL) {
		free(o);
		return DKIMSA_ENOMEM;
	}
	o->size = 2 * len + 2;
	o->pub.resinfo = o->ri;
	r.s = value;
	r.len = len;
	r.o = o;
	if (authres_read_payload(&r) != 0) {
		if (why != NULL && wlen > 0)
			snprintf(why, wlen, "%s at offset %zu",
				 r.why ? r.why : "malformed", r.pos);
		dkimsa_ar_parsed_free(&o->pub);
		return DKIMSA_ESYNTAX;
	}
	*out = &o->pub;
	return 0;
}

void
dkimsa_ar_parsed_free(dkimsa_ar_parsed *p)
{
	struct authres_read_out *o = (struct authres_read_out *)p;

	if (o == NULL)
		return;
	free(o->arena);
	free(o);
}

const char *
dkimsa_ar_parsed_prop(const dkimsa_ar_resinfo *ri, const char *ptype,
		      const char *property)
{
	size_t i;

	for (i = 0; ri != NULL && i < ri->nprops; i++)
		if (strcasecmp(ri->props[i].ptype, ptype) == 0 &&
		    strcasecmp(ri->props[i].property, property) == 0)
			return ri->props[i].value;
	return NULL;
}
