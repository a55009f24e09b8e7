/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tagl.c - DKIM tag-list parser, RFC 6376 section 3.2:
 *
 *   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  =  ALPHA *ALNUMPUNC
 *   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 *   tval      =  1*VALCHAR
 *   VALCHAR   =  %x21-3A / %x3C-7E
 *
 * The result points into the input; see tagl.h.
 */
#include <stdio.h>
#include <string.h>

#include "dkimsa.h"
#include "tagl.h"

static int
tagl_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int
tagl_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
tagl_is_alnumpunc(int c)
{
	return tagl_is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static int
tagl_is_valchar(int c)
{
	return (c >= 0x21 && c <= 0x3a) || (c >= 0x3c && c <= 0x7e);
}

size_t
tagl_skip_fws(const char *s, size_t len, size_t pos)
{
	for (;;) {
		while (pos < len && tagl_is_wsp((unsigned char)s[pos]))
			pos++;
		if (pos + 2 < len && s[pos] == '\r' && s[pos + 1] == '\n' &&
		    tagl_is_wsp((unsigned char)s[pos + 2]))
			pos += 2;
		else if (pos + 1 < len && s[pos] == '\n' &&
			 tagl_is_wsp((unsigned char)s[pos + 1]))
			pos += 1;
		else
			return pos;
	}
}

/* tag-name = ALPHA *ALNUMPUNC; returns the end, or pos when absent. */
static size_t
tagl_skip_tag_name(const char *s, size_t len, size_t pos)
{
	if (pos >= len || !tagl_is_alpha((unsigned char)s[pos]))
		return pos;
	pos++;
	while (pos < len && tagl_is_alnumpunc((unsigned char)s[pos]))
		pos++;
	return pos;
}

/*
 * tag-value: sets *vend to the end of the last tval; returns the position
 * after trailing FWS, or (size_t)-1 at a character that is not allowed.
 */
static size_t
tagl_skip_tag_value(const char *s, size_t len, size_t pos, size_t *vend)
{
	*vend = pos;
	while (pos < len && s[pos] != ';') {
		if (tagl_is_valchar((unsigned char)s[pos])) {
			pos++;
			*vend = pos;
			continue;
		}
		{
			size_t n = tagl_skip_fws(s, len, pos);

			if (n == pos)
				return (size_t)-1;
			pos = n;
		}
	}
	return pos;
}

static int
tagl_fail(char *reason, size_t rlen, const char *what, const char *s,
	  size_t nlen)
{
	if (reason != NULL && rlen > 0) {
		if (s != NULL)
			snprintf(reason, rlen, "%s \"%.*s\"", what,
				 (int)(nlen > 32 ? 32 : nlen), s);
		else
			snprintf(reason, rlen, "%s", what);
	}
	return DKIMSA_ESYNTAX;
}

static int
tagl_is_duplicate(const struct tagl *tl, const char *name, size_t nlen)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (tl->tag[i].nlen == nlen &&
		    memcmp(tl->tag[i].name, name, nlen) == 0)
			return 1;
	return 0;
}

int
tagl_parse(const char *s, size_t len, struct tagl *out, char *reason,
	   size_t rlen)
{
	size_t pos = 0, nend, vstart, vend;

	out->n = 0;
	for (;;) {
		pos = tagl_skip_fws(s, len, pos);
		if (pos == len && out->n > 0)
			return 0; /* after a final ";" */
		nend = tagl_skip_tag_name(s, len, pos);
		if (nend == pos)
			return tagl_fail(
			    reason, rlen,
			    pos == len ? "empty tag list" : "bad tag name at",
			    pos == len ? NULL : s + pos, len - pos);
		if (tagl_is_duplicate(out, s + pos, nend - pos))
			return tagl_fail(reason, rlen, "duplicate tag", s + pos,
					 nend - pos);
		if (out->n == TAGL_MAX)
			return tagl_fail(reason, rlen, "too many tags", NULL,
					 0);
		out->tag[out->n].name = s + pos;
		out->tag[out->n].nlen = nend - pos;
		pos = tagl_skip_fws(s, len, nend);
		if (pos == len || s[pos] != '=')
			return tagl_fail(
			    reason, rlen, "missing \"=\" after tag",
			    out->tag[out->n].name, out->tag[out->n].nlen);
		vstart = tagl_skip_fws(s, len, pos + 1);
		pos = tagl_skip_tag_value(s, len, vstart, &vend);
		if (pos == (size_t)-1)
			return tagl_fail(
			    reason, rlen, "invalid character in value of tag",
			    out->tag[out->n].name, out->tag[out->n].nlen);
		out->tag[out->n].val = s + vstart;
		out->tag[out->n].vlen = vend - vstart;
		out->n++;
		if (pos == len)
			return 0;
		pos++; /* ";" */
	}
}

const struct tagl_tag *
tagl_find(const struct tagl *tl, const char *name)
{
	size_t i, nlen = strlen(name);

	for (i = 0; i < tl->n; i++)
		if (tl->tag[i].nlen == nlen &&
		    memcmp(tl->tag[i].name, name, nlen) == 0)
			return &tl->tag[i];
	return NULL;
}
