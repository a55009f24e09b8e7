/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sig.c - DKIM-Signature (RFC 6376 section 3.5) and the two ARC fields
 * that share its grammar, ARC-Message-Signature and ARC-Seal (RFC 8617
 * sections 4.1.2, 4.1.3): the tag list is parsed by tagl.c, then each
 * known tag goes through its own small handler, the table saying which
 * kinds of field use and require it; unknown tags are ignored (RFC 6376
 * section 3.2).  sig_format() builds the field for
 * signing, folded so that no line exceeds 78 characters, b= last.
 * struct sig owns its strings (sig_free).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "b64.h"
#include "dkimsa.h"
#include "sig.h"
#include "tagl.h"

#define SIG_FOLD_WIDTH 78
#define SIG_TAB_WIDTH 8

void
sig_init(struct sig *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->b);
	buf_init(&s->bh);
	s->l = s->t = s->x = -1;
}

void
sig_free(struct sig *s)
{
	size_t i;

	free(s->domain);
	free(s->selector);
	free(s->auid);
	for (i = 0; i < s->nh; i++)
		free(s->h[i]);
	free(s->h);
	buf_free(&s->b);
	buf_free(&s->bh);
	free(s->b_text);
	sig_init(s);
}

int
sig_domain_ok(const char *s, size_t len)
{
	size_t i, label = 0;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return label > 0;
}

static char *
sig_strndup(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/*
 * The reason for a bad tag, quoting at most 40 bytes of the value: line
 * ends of a folded value are left out and other controls become spaces,
 * so the text is one line (the A-R formatter checks it again).
 */
static int
sig_bad(char *reason, size_t rlen, const char *fmt, const char *arg,
	size_t alen)
{
	char what[64];
	size_t i, o = 0;

	for (i = 0; arg != NULL && i < alen && o < 40; i++) {
		unsigned char c = (unsigned char)arg[i];

		if (c == '\r' || c == '\n')
			continue;
		what[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	what[o] = '\0';
	snprintf(reason, rlen, fmt, what);
	return DKIMSA_ESYNTAX;
}

/* Decimal number of at most 18 digits (t=, x=, l=). */
static int
sig_number(const struct tagl_tag *t, long long *out)
{
	long long v = 0;
	size_t i;

	if (t->vlen == 0 || t->vlen > 18)
		return -1;
	for (i = 0; i < t->vlen; i++) {
		if (t->val[i] < '0' || t->val[i] > '9')
			return -1;
		v = v * 10 + (t->val[i] - '0');
	}
	*out = v;
	return 0;
}

typedef int (*sig_tag_fn)(struct sig *s, const struct tagl_tag *t, char *reason,
			  size_t rlen);

static int
sig_tag_v(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	(void)s;
	if (t->vlen != 1 || t->val[0] != '1')
		return sig_bad(reason, rlen, "unsupported version v=%s", t->val,
			       t->vlen);
	return 0;
}

static int
sig_tag_a(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	char name[32];

	snprintf(name, sizeof(name), "%.*s", (int)(t->vlen > 31 ? 31 : t->vlen),
		 t->val);
	s->alg = t->vlen < 31 ? dkimsa_alg_from_name(name) : DKIMSA_ALG_NONE;
	if (s->alg == DKIMSA_ALG_NONE)
		return sig_bad(reason, rlen, "unsupported algorithm a=%s",
			       t->val, t->vlen);
	return 0;
}

static int
sig_tag_b(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	size_t i, o = 0;

	if (t->vlen == 0 || b64_decode(&s->b, t->val, t->vlen) != 0)
		return sig_bad(reason, rlen, "b= is not valid base64%s", "", 0);
	s->b_text = malloc(t->vlen + 1);
	if (s->b_text == NULL)
		return DKIMSA_ENOMEM;
	for (i = 0; i < t->vlen; i++)
		if (!isspace((unsigned char)t->val[i]))
			s->b_text[o++] = t->val[i];
	s->b_text[o] = '\0';
	return 0;
}

static int
sig_tag_bh(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	if (t->vlen == 0 || b64_decode(&s->bh, t->val, t->vlen) != 0)
		return sig_bad(reason, rlen, "bh= is not valid base64%s", "",
			       0);
	return 0;
}

static int
sig_canon_word(const char *p, size_t n, int *out)
{
	if (n == 6 && strncasecmp(p, "simple", 6) == 0)
		*out = DKIMSA_CANON_SIMPLE;
	else if (n == 7 && strncasecmp(p, "relaxed", 7) == 0)
		*out = DKIMSA_CANON_RELAXED;
	else
		return -1;
	return 0;
}

static int
sig_tag_c(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	const char *slash = memchr(t->val, '/', t->vlen);
	size_t hl = slash ? (size_t)(slash - t->val) : t->vlen;

	s->has_c = 1;
	if (sig_canon_word(t->val, hl, &s->hcanon) != 0 ||
	    (slash &&
	     sig_canon_word(slash + 1, t->vlen - hl - 1, &s->bcanon) != 0))
		return sig_bad(reason, rlen, "unknown canonicalization c=%s",
			       t->val, t->vlen);
	return 0;
}

static int
sig_tag_d(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	size_t i;

	if (!sig_domain_ok(t->val, t->vlen))
		return sig_bad(reason, rlen, "bad domain d=%s", t->val,
			       t->vlen);
	free(s->domain);
	s->domain = sig_strndup(t->val, t->vlen);
	if (s->domain == NULL)
		return DKIMSA_ENOMEM;
	for (i = 0; s->domain[i]; i++)
		s->domain[i] = (char)tolower((unsigned char)s->domain[i]);
	return 0;
}

static int
sig_tag_s(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	if (!sig_domain_ok(t->val, t->vlen))
		return sig_bad(reason, rlen, "bad selector s=%s", t->val,
			       t->vlen);
	free(s->selector);
	s->selector = sig_strndup(t->val, t->vlen);
	return s->selector ? 0 : DKIMSA_ENOMEM;
}

/* h= : hdr-name *( [FWS] ":" [FWS] hdr-name ) */
static int
sig_tag_h(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	size_t pos = 0, start, end;
	int has_from = 0;

	while (pos <= t->vlen) {
		pos = tagl_skip_fws(t->val, t->vlen, pos);
		start = pos;
		while (pos < t->vlen && t->val[pos] != ':' &&
		       t->val[pos] > 0x20 && t->val[pos] < 0x7f)
			pos++;
		end = pos;
		pos = tagl_skip_fws(t->val, t->vlen, pos);
		if ((end == start && s->kind == SIG_DKIM) ||
		    (pos < t->vlen && t->val[pos] != ':'))
			return sig_bad(reason, rlen, "bad header list h=%s",
				       t->val, t->vlen);
		if (end == start) { /* AMS: an empty name selects nothing */
			pos++;
			continue;
		}
		if (s->nh == SIG_MAX_H)
			return sig_bad(reason, rlen, "too many names in h=%s",
				       "", 0);
		if (s->h == NULL &&
		    (s->h = calloc(SIG_MAX_H, sizeof(char *))) == NULL)
			return DKIMSA_ENOMEM;
		if ((s->h[s->nh++] =
			 sig_strndup(t->val + start, end - start)) == NULL)
			return DKIMSA_ENOMEM;
		has_from |= end - start == 4 &&
			    strncasecmp(t->val + start, "from", 4) == 0;
		pos++; /* ":" */
	}
	if (!has_from && s->kind == SIG_DKIM)
		return sig_bad(reason, rlen, "From is not signed (h=%s)",
			       t->val, t->vlen);
	return 0;
}

int
sig_hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * dkim-quoted-printable = *( FWS / hex-octet / dkim-safe-char ) (RFC 6376
 * section 2.11): FWS is dropped, "=" 2HEXDIG decoded.  The result must
 * hold no control character.  0, or -1 when the value does not decode.
 */
static int
sig_qp_decode(const char *v, size_t len, buf *out)
{
	size_t i;
	int hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)v[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			if (i + 2 >= len)
				return -1;
			hi = sig_hexdig((unsigned char)v[i + 1]);
			lo = sig_hexdig((unsigned char)v[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		} else if (c == ';') {
			return -1;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		buf_addc(out, c);
	}
	return 0;
}

/* i= : [ Local-part ] "@" domain-name, in dkim-quoted-printable. */
static int
sig_tag_i(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	const char *at;
	buf id;

	buf_init(&id);
	if (sig_qp_decode(t->val, t->vlen, &id) != 0 || id.data == NULL ||
	    (at = strrchr(id.data, '@')) == NULL ||
	    !sig_domain_ok(at + 1, strlen(at + 1))) {
		buf_free(&id);
		return sig_bad(reason, rlen, "bad identity i=%s", t->val,
			       t->vlen);
	}
	if (id.err) {
		buf_free(&id);
		return DKIMSA_ENOMEM;
	}
	free(s->auid);
	s->auid = buf_steal(&id);
	return s->auid ? 0 : DKIMSA_ENOMEM;
}

static int
sig_tag_num(long long *dst, const struct tagl_tag *t, char *reason, size_t rlen)
{
	if (sig_number(t, dst) != 0) {
		char fmt[32];

		snprintf(fmt, sizeof(fmt), "bad number %.*s=%%s", (int)t->nlen,
			 t->name);
		return sig_bad(reason, rlen, fmt, t->val, t->vlen);
	}
	return 0;
}

static int
sig_tag_l(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	return sig_tag_num(&s->l, t, reason, rlen);
}

static int
sig_tag_t(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	return sig_tag_num(&s->t, t, reason, rlen);
}

static int
sig_tag_x(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	return sig_tag_num(&s->x, t, reason, rlen);
}

/* q= : a colon list that must offer dns/txt. */
static int
sig_tag_q(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	size_t pos = 0;

	(void)s;
	while (pos < t->vlen) {
		size_t start = tagl_skip_fws(t->val, t->vlen, pos), end;

		end = start;
		while (end < t->vlen && t->val[end] != ':')
			end++;
		pos = end;
		while (end > start && isspace((unsigned char)t->val[end - 1]))
			end--;
		if (end - start == 7 &&
		    strncasecmp(t->val + start, "dns/txt", 7) == 0)
			return 0;
		pos++;
	}
	return sig_bad(reason, rlen, "unsupported query method q=%s", t->val,
		       t->vlen);
}

/* ARC i= (RFC 8617 4.2.1): instance = 1*2DIGIT, 1 to 50. */
static int
sig_tag_instance(struct sig *s, const struct tagl_tag *t, char *reason,
		 size_t rlen)
{
	long long v = 0;

	if (sig_number(t, &v) != 0 || t->vlen > 2 || v < 1 ||
	    v > SIG_ARC_MAX_INSTANCE)
		return sig_bad(reason, rlen, "bad instance i=%s", t->val,
			       t->vlen);
	s->instance = (int)v;
	return 0;
}

/* cv= (RFC 8617 4.1.3): none, fail or pass (case-sensitive, as written). */
static int
sig_tag_cv(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	static const char *const words[] = {"none", "pass", "fail"};
	static const int cvs[] = {SIG_CV_NONE, SIG_CV_PASS, SIG_CV_FAIL};
	size_t i;

	for (i = 0; i < 3; i++)
		if (t->vlen == strlen(words[i]) &&
		    memcmp(t->val, words[i], t->vlen) == 0) {
			s->cv = cvs[i];
			return 0;
		}
	return sig_bad(reason, rlen, "bad chain validation status cv=%s",
		       t->val, t->vlen);
}

static int
sig_tag_no_h(struct sig *s, const struct tagl_tag *t, char *reason, size_t rlen)
{
	(void)s;
	return sig_bad(reason, rlen, "h= is not allowed in an ARC-Seal%s",
		       t->val, 0);
}

/*
 * Handlers in the order they run: which kinds of field (enum sig_kind
 * bits) use a tag and which require it.  RFC 8617 4.1.2: the AMS is a
 * DKIM-Signature whose i= is the instance and which has no v=; 4.1.3: the
 * AS has i=, a=, b=, d=, s=, cv= and t=, and no h= (its input is fixed).
 */
#define SIG_ALL (SIG_DKIM | SIG_AMS | SIG_AS)
#define SIG_DKIMS (SIG_DKIM | SIG_AMS)
static const struct {
	const char *name;
	sig_tag_fn fn;
	unsigned required, used;
} sig_tags[] = {
    {"v", sig_tag_v, SIG_DKIM, SIG_DKIM},
    {"i", sig_tag_instance, SIG_AMS | SIG_AS, SIG_AMS | SIG_AS},
    {"cv", sig_tag_cv, SIG_AS, SIG_AS},
    {"d", sig_tag_d, SIG_ALL, SIG_ALL},
    {"s", sig_tag_s, SIG_ALL, SIG_ALL},
    {"a", sig_tag_a, SIG_ALL, SIG_ALL},
    {"b", sig_tag_b, SIG_ALL, SIG_ALL},
    {"bh", sig_tag_bh, SIG_DKIMS, SIG_DKIMS},
    {"h", sig_tag_h, SIG_DKIMS, SIG_DKIMS},
    {"h", sig_tag_no_h, 0, SIG_AS},
    {"c", sig_tag_c, 0, SIG_DKIMS},
    {"i", sig_tag_i, 0, SIG_DKIM},
    {"l", sig_tag_l, 0, SIG_DKIMS},
    {"q", sig_tag_q, 0, SIG_DKIMS},
    {"t", sig_tag_t, 0, SIG_ALL},
    {"x", sig_tag_x, 0, SIG_DKIMS},
};

/* Checks between tags (RFC 6376 section 3.5, 6.1.1). */
static int
sig_check(struct sig *s, char *reason, size_t rlen)
{
	size_t dl = strlen(s->domain), al;
	const char *idom;

	if (s->kind != SIG_DKIM)
		goto times;
	if (s->auid == NULL) {
		s->auid = malloc(dl + 2);
		if (s->auid == NULL)
			return DKIMSA_ENOMEM;
		s->auid[0] = '@';
		memcpy(s->auid + 1, s->domain, dl + 1);
	}
	idom = strrchr(s->auid, '@') + 1;
	al = strlen(idom);
	if (!(al == dl && strcasecmp(idom, s->domain) == 0) &&
	    !(al > dl && idom[al - dl - 1] == '.' &&
	      strcasecmp(idom + al - dl, s->domain) == 0))
		return sig_bad(reason, rlen,
			       "i= domain is not d= or a subdomain of it%s", "",
			       0);
times:
	if (s->t >= 0 && s->x >= 0 && s->x < s->t)
		return sig_bad(reason, rlen, "x= is before t=%s", "", 0);
	return 0;
}

int
sig_parse(const char *field, size_t len, struct sig *s, char *reason,
	  size_t rlen)
{
	return sig_parse_kind(field, len, SIG_DKIM, s, reason, rlen);
}

int
sig_parse_kind(const char *field, size_t len, int kind, struct sig *s,
	       char *reason, size_t rlen)
{
	const char *colon = memchr(field, ':', len);
	const struct tagl_tag *t, *bt;
	struct tagl *tl;
	size_t off, i;
	int rc = 0;

	if (colon == NULL)
		return sig_bad(reason, rlen, "no colon in field%s", "", 0);
	off = (size_t)(colon - field) + 1;
	tl = malloc(sizeof(*tl));
	if (tl == NULL)
		return DKIMSA_ENOMEM;
	s->kind = kind;
	rc = tagl_parse(field + off, len - off, tl, reason, rlen);
	for (i = 0; rc == 0 && i < sizeof(sig_tags) / sizeof(sig_tags[0]);
	     i++) {
		if (!(sig_tags[i].used & (unsigned)kind))
			continue;
		t = tagl_find(tl, sig_tags[i].name);
		if (t != NULL)
			rc = sig_tags[i].fn(s, t, reason, rlen);
		else if (sig_tags[i].required & (unsigned)kind)
			rc =
			    sig_bad(reason, rlen, "missing required tag %s=",
				    sig_tags[i].name, strlen(sig_tags[i].name));
	}
	if (rc == 0 && (bt = tagl_find(tl, "b")) != NULL) {
		s->b_start = (size_t)(bt->val - field);
		s->b_end = s->b_start + bt->vlen;
	}
	free(tl);
	return rc == 0 ? sig_check(s, reason, rlen) : rc;
}

/* ---- building a signature field ---- */

/* Current column: characters since the last line end (TAB counts 8). */
size_t
sig_column(const buf *out)
{
	size_t i = out->len, col = 0;

	while (i > 0 && out->data[i - 1] != '\n')
		i--;
	for (; i < out->len; i++)
		col += out->data[i] == '\t' ? SIG_TAB_WIDTH : 1;
	return col;
}

static void
sig_fold(buf *out)
{
	buf_adds(out, "\r\n\t");
}

/*
 * Adds " token", folding before it when it does not fit.  A token longer
 * than a line is broken after one of the characters in breaks (NULL: at
 * any character), the break being a fold inside the tag value.
 */
void
sig_fold_add(buf *out, const char *tok, const char *breaks)
{
	size_t len = strlen(tok), col = sig_column(out), room, cut, i;

	if (col + 1 + len <= SIG_FOLD_WIDTH) {
		buf_addc(out, ' ');
		buf_adds(out, tok);
		return;
	}
	sig_fold(out);
	if (breaks != NULL && *breaks == '\0') {
		buf_add(out, tok, len); /* may not be broken: let it be long */
		return;
	}
	while (len > 0) {
		room = SIG_FOLD_WIDTH - sig_column(out);
		if (len <= room) {
			buf_add(out, tok, len);
			return;
		}
		cut = 0;
		for (i = 0; i < room; i++)
			if (breaks == NULL || strchr(breaks, tok[i]) != NULL)
				cut = i + 1;
		if (cut == 0)
			cut = room; /* a single name longer than a line */
		buf_add(out, tok, cut);
		tok += cut;
		len -= cut;
		if (len > 0)
			sig_fold(out);
	}
}

/*
 * dkim-quoted-printable for i= (RFC 6376 section 2.11): a byte that is
 * not a dkim-safe-char (%x21-3A / %x3C / %x3E-7E) is written "=" 2HEXDIG.
 */
static void
sig_qp_encode(buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f && c != ';' && c != '=')
			buf_addc(out, c);
		else
			buf_printf(out, "=%02X", c);
	}
}

int
sig_format(buf *out, const struct sig_new *n)
{
	buf tok;

	buf_init(&tok);
	buf_adds(out, "DKIM-Signature:");
	sig_fold_add(out, "v=1;", "");
	buf_printf(&tok, "a=%s;", dkimsa_alg_name(n->alg));
	sig_fold_add(out, tok.data, "");
#define SIG_TOKEN(breaks, ...)                                                 \
	do {                                                                   \
		buf_reset(&tok);                                               \
		buf_printf(&tok, __VA_ARGS__);                                 \
		sig_fold_add(out, tok.data, breaks);                           \
	} while (0)
	SIG_TOKEN("", "c=%s/%s;", n->hcanon ? "relaxed" : "simple",
		  n->bcanon ? "relaxed" : "simple");
	SIG_TOKEN("", "d=%s;", n->domain);
	SIG_TOKEN("", "s=%s;", n->selector);
	SIG_TOKEN("", "t=%lld;", n->t);
	if (n->x >= 0)
		SIG_TOKEN("", "x=%lld;", n->x);
	if (n->auid != NULL) {
		buf_reset(&tok);
		buf_adds(&tok, "i=");
		sig_qp_encode(&tok, n->auid);
		buf_addc(&tok, ';');
		sig_fold_add(out, tok.data, "");
	}
	if (n->l >= 0)
		SIG_TOKEN("", "l=%lld;", n->l);
	SIG_TOKEN(":", "h=%s;", n->hlist);
	SIG_TOKEN(NULL, "bh=%s;", n->bh);
#undef SIG_TOKEN
	/* b= must keep some of its value on its own line: a fold right
	 * after "b=" would not be part of the value (section 3.7). */
	if (sig_column(out) + 1 + 2 + 8 > SIG_FOLD_WIDTH)
		sig_fold(out);
	else
		buf_addc(out, ' ');
	buf_adds(out, "b=");
	buf_free(&tok);
	return out->err;
}

int
sig_format_b(buf *out, const char *b64)
{
	size_t len = strlen(b64), room;

	while (len > 0) {
		room = SIG_FOLD_WIDTH - sig_column(out);
		if (room > len)
			room = len;
		buf_add(out, b64, room);
		b64 += room;
		len -= room;
		if (len > 0)
			sig_fold(out);
	}
	return out->err;
}
