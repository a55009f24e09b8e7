/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_macro.c - SPF macro strings (RFC 7208 section 7).
 *
 *   macro-string = *( macro-expand / macro-literal )
 *   macro-expand = ( "%{" macro-letter transformers *delimiter "}" )
 *                  / "%%" / "%_" / "%-"
 *   transformers = *DIGIT [ "r" ]    ; a DIGIT value must be nonzero
 *   delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
 *   macro-literal = %x21-24 / %x26-7E
 *
 * Memory: results go to caller-owned buffers; nothing is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "spf_macro.h"

#define MACRO_MAX_PARTS 128

struct macro_tok {
	int kind;    /* 'L' literal char, 'E' expand, or the literal char */
	char letter; /* lower-case macro letter */
	int upper;   /* URL-escape the result */
	int digits;  /* 0 = all parts */
	int reverse;
	char delims[8]; /* NUL-terminated, default "." */
};

static int
macro_is_delim(int c)
{
	return c != '\0' && strchr(".-+,/_=", c) != NULL;
}

static int
macro_letter_ok(int c, int mode)
{
	if (strchr("slodiphv", c) != NULL)
		return 1;
	return mode == SPF_MACRO_EXP && strchr("crt", c) != NULL;
}

/* Parses "%{...}" or "%%" "%_" "%-" at s[*i] (which is '%'). */
static int
macro_parse_pct(const char *s, size_t len, size_t *i, int mode,
		struct macro_tok *t)
{
	size_t p = *i + 1;
	int c, nd = 0, v = 0, seen_digit = 0;

	memset(t, 0, sizeof(*t));
	if (p >= len)
		return -1;
	if (s[p] == '%' || s[p] == '_' || s[p] == '-') {
		t->kind = s[p] == '%' ? '%' : (s[p] == '_' ? ' ' : '-');
		*i = p + 1;
		return 0;
	}
	if (s[p] != '{' || ++p >= len)
		return -1;
	c = s[p] | 0x20;
	if (s[p] < 'A' || !macro_letter_ok(c, mode))
		return -1;
	t->kind = 'E';
	t->letter = (char)c;
	t->upper = s[p] >= 'A' && s[p] <= 'Z';
	for (p++; p < len && s[p] >= '0' && s[p] <= '9'; p++) {
		seen_digit = 1;
		if (v < 100000)
			v = v * 10 + (s[p] - '0');
	}
	if (seen_digit && v == 0)
		return -1;
	t->digits = v;
	if (p < len && (s[p] == 'r' || s[p] == 'R')) {
		t->reverse = 1;
		p++;
	}
	for (; p < len && macro_is_delim(s[p]); p++)
		if (nd < 7 && strchr(t->delims, s[p]) == NULL)
			t->delims[nd++] = s[p];
	if (p >= len || s[p] != '}')
		return -1;
	if (nd == 0)
		t->delims[0] = '.';
	*i = p + 1;
	return 0;
}

int
spf_macro_check(const char *s, size_t len, int mode, int *ends_macro)
{
	struct macro_tok t;
	size_t i = 0;
	int last_macro = 0;
	unsigned char c;

	while (i < len) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (macro_parse_pct(s, len, &i, mode, &t) != 0)
				return -1;
			last_macro = 1;
			continue;
		}
		if (!((c >= 0x21 && c <= 0x7e) ||
		      (c == ' ' && mode == SPF_MACRO_EXP)))
			return -1;
		last_macro = 0;
		i++;
	}
	if (ends_macro != NULL)
		*ends_macro = last_macro;
	return 0;
}

static int
macro_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/*
 * toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
 * Both alternatives: alphanumerics and inner dashes, not all digits.
 */
static int
macro_toplabel_ok(const char *s, size_t len)
{
	size_t i;
	int alpha = 0;

	if (len == 0 || !macro_alnum(s[0]) || !macro_alnum(s[len - 1]))
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '-')
			alpha = 1; /* second alternative: dash allowed */
		else if (!macro_alnum(s[i]))
			return 0;
		else if (s[i] > '9')
			alpha = 1;
	}
	return alpha;
}

int
spf_macro_check_domain(const char *s, size_t len)
{
	int ends_macro;
	size_t end = len, dot;

	if (len == 0 ||
	    spf_macro_check(s, len, SPF_MACRO_DOMAIN, &ends_macro) != 0)
		return -1;
	if (ends_macro)
		return 0;
	if (s[end - 1] == '.')
		end--;
	for (dot = end; dot > 0 && s[dot - 1] != '.'; dot--)
		;
	if (dot == 0) /* no "." before the toplabel */
		return -1;
	return macro_toplabel_ok(s + dot, end - dot) ? 0 : -1;
}

/* The raw value of a macro letter. */
static void
macro_value(const struct spf_macro_env *env, char letter, char *tmp,
	    size_t tlen, const char **val)
{
	*val = "";
	switch (letter) {
	case 's':
		*val = env->sender ? env->sender : "";
		break;
	case 'l':
		*val = env->local ? env->local : "";
		break;
	case 'o':
		*val = env->sender_domain ? env->sender_domain : "";
		break;
	case 'd':
		*val = env->domain ? env->domain : "";
		break;
	case 'h':
		*val = env->helo ? env->helo : "";
		break;
	case 'r':
		*val = env->receiver ? env->receiver : "unknown";
		break;
	case 'v':
		*val = env->ip->family == 4 ? "in-addr" : "ip6";
		break;
	case 'i':
		addr_dotted(env->ip, tmp, tlen);
		*val = tmp;
		break;
	case 'c':
		addr_format(env->ip, tmp, tlen);
		*val = tmp;
		break;
	case 't':
		snprintf(tmp, tlen, "%lld", env->now);
		*val = tmp;
		break;
	case 'p':
		*val = env->ptr_name ? env->ptr_name(env->ptr_arg) : NULL;
		if (*val == NULL)
			*val = "unknown";
		break;
	}
}

/* Split on delimiters, reverse, keep the rightmost parts, join with ".". */
static void
macro_transform(const char *v, const struct macro_tok *t, buf *out)
{
	const char *start[MACRO_MAX_PARTS];
	size_t plen[MACRO_MAX_PARTS];
	int n = 0, i, first;
	const char *p = v, *q;

	for (;;) {
		for (q = p; *q && strchr(t->delims, *q) == NULL; q++)
			;
		if (n < MACRO_MAX_PARTS) {
			start[n] = p;
			plen[n++] = (size_t)(q - p);
		}
		if (*q == '\0')
			break;
		p = q + 1;
	}
	if (t->reverse)
		for (i = 0; i < n / 2; i++) {
			const char *ts = start[i];
			size_t tl = plen[i];

			start[i] = start[n - 1 - i];
			plen[i] = plen[n - 1 - i];
			start[n - 1 - i] = ts;
			plen[n - 1 - i] = tl;
		}
	first = (t->digits > 0 && t->digits < n) ? n - t->digits : 0;
	for (i = first; i < n; i++) {
		if (i > first)
			buf_addc(out, '.');
		buf_add(out, start[i], plen[i]);
	}
}

/* unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986) */
static void
macro_url_escape(const char *s, size_t len, buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (macro_alnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			buf_addc(out, c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
	}
}

static void
macro_expand_one(const struct macro_tok *t, const struct spf_macro_env *env,
		 buf *out)
{
	char tmp[ADDR_TEXT_MAX];
	const char *val;
	buf part;

	macro_value(env, t->letter, tmp, sizeof(tmp), &val);
	if (!t->upper) {
		macro_transform(val, t, out);
		return;
	}
	buf_init(&part);
	macro_transform(val, t, &part);
	if (part.err)
		out->err = part.err;
	else
		macro_url_escape(part.data ? part.data : "", part.len, out);
	buf_free(&part);
}

int
spf_macro_expand(const char *s, size_t len, int mode,
		 const struct spf_macro_env *env, buf *out)
{
	struct macro_tok t;
	size_t i = 0;

	if (spf_macro_check(s, len, mode, NULL) != 0)
		return DKIMSA_ESYNTAX;
	while (i < len) {
		if (s[i] != '%') {
			buf_addc(out, s[i++]);
			continue;
		}
		macro_parse_pct(s, len, &i, mode, &t);
		if (t.kind == 'E')
			macro_expand_one(&t, env, out);
		else if (t.kind == '-')
			buf_adds(out, "%20");
		else
			buf_addc(out, t.kind);
	}
	return out->err ? DKIMSA_ENOMEM : 0;
}

int
spf_macro_domain(const char *s, size_t len, const struct spf_macro_env *env,
		 char **out)
{
	buf b;
	size_t cut = 0;
	int rc;

	*out = NULL;
	buf_init(&b);
	rc = spf_macro_expand(s, len, SPF_MACRO_DOMAIN, env, &b);
	if (rc != 0) {
		buf_free(&b);
		return rc;
	}
	if (b.len > 0 && b.data[b.len - 1] == '.')
		b.data[--b.len] = '\0';
	while (b.len - cut > 253) {
		const char *dot = memchr(b.data + cut, '.', b.len - cut);

		if (dot == NULL)
			break;
		cut = (size_t)(dot - b.data) + 1;
	}
	if (cut > 0) {
		memmove(b.data, b.data + cut, b.len - cut + 1);
		b.len -= cut;
	}
	*out = buf_steal(&b);
	return *out ? 0 : DKIMSA_ENOMEM;
}
