/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rfc5322.c - the one RFC 5322 address parser of libdkimsa: the lexical
 * tokens of section 3.2 (CFWS, atom, quoted-string, domain-literal,
 * specials) and the address grammar of section 3.4 (address-list,
 * mailbox, name-addr, angle-addr, group, addr-spec), with the obsolete
 * forms of section 4.4 (obs-local-part, obs-domain, obs-phrase,
 * obs-route, empty list elements).  RFC 6532: bytes 0x80-0xff are taken
 * as atext and qtext (UTF-8).  Control characters and NUL are refused
 * everywhere except inside comments, so no parsed address holds one.
 *
 * Functions are named after the ABNF rules they read.  Each takes the
 * token stream (struct rfc5322_in) and leaves it after what it read.
 *
 * Memory: dkimsa_rfc5322_address_list() returns an array the caller frees
 * with dkimsa_mailbox_list_free(); dkimsa_rfc5322_mailbox() a string the
 * caller frees.  Tokens point into the caller's text.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"

/* atext (3.2.3), with RFC 6532's UTF-8 bytes */
static int
rfc5322_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80 ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int
rfc5322_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/*
 * At a CR or LF: the length of the line end of a fold (FWS, 3.2.2: CRLF,
 * or a bare LF, followed by WSP), or of a line end (or a lone CR) that
 * ends the text; 0 when it is neither (a bare CR inside the text, or a
 * line end that starts another line).
 */
static size_t
rfc5322_fold(const char *s, size_t len, size_t pos)
{
	size_t eol = s[pos] == '\r' ? 2 : 1;

	if (eol == 2 && pos + 1 == len)
		return 1; /* the CR of the field's own line end */
	if (eol == 2 && s[pos + 1] != '\n')
		return 0;
	if (pos + eol == len || rfc5322_wsp((unsigned char)s[pos + eol]))
		return eol;
	return 0;
}

/* 1 for WSP, a fold's line end (advancing *pos past its last byte),
 * 0 for anything else, -1 for a CR or LF that is not a fold. */
static int
rfc5322_fws(const char *s, size_t len, size_t *pos)
{
	size_t n;

	if (rfc5322_wsp((unsigned char)s[*pos]))
		return 1;
	if (s[*pos] != '\r' && s[*pos] != '\n')
		return 0;
	if ((n = rfc5322_fold(s, len, *pos)) == 0)
		return -1;
	*pos += n - 1;
	return 1;
}

/* VCHAR / UTF-8, the printable characters of qtext, ctext, dtext */
static int
rfc5322_printable(int c)
{
	return (c > 0x20 && c < 0x7f) || c >= 0x80;
}

size_t
dkimsa_rfc5322_cfws(const char *s, size_t len, size_t pos)
{
	size_t depth = 0;

	for (; pos < len; pos++) {
		unsigned char c = (unsigned char)s[pos];
		int fws = rfc5322_fws(s, len, &pos);

		if (fws < 0)
			return (size_t)-1;
		if (fws > 0)
			continue;
		if (depth > 0) {
			if (c == '\0')
				return (size_t)-1;
			if (c == '\\') {
				if (++pos == len || s[pos] == '\0' ||
				    s[pos] == '\r' || s[pos] == '\n')
					return (size_t)-1;
			} else if (c == '(') {
				depth++;
			} else if (c == ')') {
				depth--;
			}
		} else if (c == '(') {
			depth = 1;
		} else {
			break;
		}
	}
	return depth == 0 ? pos : (size_t)-1;
}

/* quoted-string (3.2.4) from s[pos] == '"'; end after it, or -1 */
static size_t
rfc5322_quoted_string(const char *s, size_t len, size_t pos)
{
	for (pos++; pos < len; pos++) {
		unsigned char c = (unsigned char)s[pos];
		int fws = rfc5322_fws(s, len, &pos);

		if (fws < 0)
			return (size_t)-1;
		if (c == '"')
			return pos + 1;
		if (c == '\\') {
			if (++pos == len)
				return (size_t)-1;
			c = (unsigned char)s[pos];
			if (!rfc5322_printable(c) && !rfc5322_wsp(c))
				return (size_t)-1;
		} else if (fws == 0 && !rfc5322_printable(c)) {
			return (size_t)-1;
		}
	}
	return (size_t)-1;
}

/* domain-literal (3.4.1) from s[pos] == '['; end after it, or -1 */
static size_t
rfc5322_domain_literal(const char *s, size_t len, size_t pos)
{
	for (pos++; pos < len; pos++) {
		unsigned char c = (unsigned char)s[pos];

		int fws = rfc5322_fws(s, len, &pos);

		if (fws < 0)
			return (size_t)-1;
		if (c == ']')
			return pos + 1;
		if (c == '[' || c == '\\' ||
		    (fws == 0 && !rfc5322_printable(c)))
			return (size_t)-1;
	}
	return (size_t)-1;
}

int
dkimsa_rfc5322_next_token(const char *s, size_t len, size_t *pos,
			  dkimsa_rfc5322_token *tok)
{
	size_t start = *pos, p = dkimsa_rfc5322_cfws(s, len, *pos), end;
	unsigned char c;

	memset(tok, 0, sizeof(*tok));
	tok->type = DKIMSA_TOK_ERROR;
	if (p == (size_t)-1)
		return tok->type;
	tok->cfws_before = p > start;
	tok->text = s + p;
	if (p == len) {
		*pos = p;
		return tok->type = DKIMSA_TOK_END;
	}
	c = (unsigned char)s[p];
	if (c == '"') {
		end = rfc5322_quoted_string(s, len, p);
		tok->type = DKIMSA_TOK_QUOTED;
	} else if (c == '[') {
		end = rfc5322_domain_literal(s, len, p);
		tok->type = DKIMSA_TOK_LITERAL;
	} else if (rfc5322_atext(c)) {
		for (end = p; end < len && rfc5322_atext((unsigned char)s[end]);
		     end++)
			;
		tok->type = DKIMSA_TOK_ATOM;
	} else if (strchr("<>:;@,.", c) != NULL) {
		end = p + 1;
		tok->type = DKIMSA_TOK_SPECIAL;
	} else { /* ) ] \ controls NUL: never a token */
		end = (size_t)-1;
	}
	if (end == (size_t)-1) {
		tok->type = DKIMSA_TOK_ERROR;
		return tok->type;
	}
	tok->len = end - p;
	*pos = end;
	return tok->type;
}

/* ---- the address grammar (3.4) ---- */

struct rfc5322_in {
	const char *s;
	size_t len, pos;
	dkimsa_rfc5322_token tok; /* the next token, not yet taken */
};

static void
rfc5322_next(struct rfc5322_in *in)
{
	dkimsa_rfc5322_next_token(in->s, in->len, &in->pos, &in->tok);
}

static int
rfc5322_is(const struct rfc5322_in *in, char special)
{
	return in->tok.type == DKIMSA_TOK_SPECIAL && in->tok.text[0] == special;
}

static int
rfc5322_is_word(const struct rfc5322_in *in)
{
	return in->tok.type == DKIMSA_TOK_ATOM ||
	       in->tok.type == DKIMSA_TOK_QUOTED;
}

/*
 * The content of a quoted-string: quoted-pairs undone, folds removed,
 * TAB written as a space (so no address we return holds a control).
 */
static void
rfc5322_unquote(buf *out, const char *q, size_t len)
{
	size_t i;

	for (i = 1; i + 1 < len; i++) {
		if (q[i] == '\r' || q[i] == '\n')
			continue;
		if (q[i] == '\\')
			i++;
		buf_addc(out, q[i] == '\t' ? ' ' : q[i]);
	}
}

/* 1 when s is a dot-atom-text (3.2.3). */
static int
rfc5322_dot_atom_text(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '.' ? s[i + 1] == '.'
				: !rfc5322_atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * local-part = dot-atom / quoted-string / obs-local-part (word *("."
 * word)).  Written back as a dot-atom when the content is one, else as
 * one quoted-string (section 3.4.1's normal form).
 */
static int
rfc5322_local_part(struct rfc5322_in *in, buf *out)
{
	buf raw;
	size_t i;
	int rc = 0;

	buf_init(&raw);
	for (;;) {
		if (!rfc5322_is_word(in)) {
			rc = DKIMSA_ESYNTAX;
			break;
		}
		if (in->tok.type == DKIMSA_TOK_QUOTED)
			rfc5322_unquote(&raw, in->tok.text, in->tok.len);
		else
			buf_add(&raw, in->tok.text, in->tok.len);
		rfc5322_next(in);
		if (!rfc5322_is(in, '.'))
			break;
		buf_addc(&raw, '.');
		rfc5322_next(in);
	}
	if (rc == 0 && raw.len > 0 &&
	    rfc5322_dot_atom_text(raw.data, raw.len)) {
		buf_add(out, raw.data, raw.len);
	} else if (rc == 0) {
		buf_addc(out, '"');
		for (i = 0; i < raw.len; i++) {
			if (raw.data[i] == '"' || raw.data[i] == '\\')
				buf_addc(out, '\\');
			buf_addc(out, raw.data[i]);
		}
		buf_addc(out, '"');
	}
	if (raw.err)
		out->err = raw.err;
	buf_free(&raw);
	return rc;
}

/* domain = dot-atom / domain-literal / obs-domain (atom *("." atom)) */
static int
rfc5322_domain(struct rfc5322_in *in, buf *out)
{
	size_t i;

	if (in->tok.type == DKIMSA_TOK_LITERAL) {
		for (i = 0; i < in->tok.len; i++)
			if (!rfc5322_wsp((unsigned char)in->tok.text[i]) &&
			    in->tok.text[i] != '\r' && in->tok.text[i] != '\n')
				buf_addc(out, in->tok.text[i]);
		rfc5322_next(in);
		return 0;
	}
	for (;;) {
		if (in->tok.type != DKIMSA_TOK_ATOM)
			return DKIMSA_ESYNTAX;
		buf_add(out, in->tok.text, in->tok.len);
		rfc5322_next(in);
		if (!rfc5322_is(in, '.'))
			return 0;
		buf_addc(out, '.');
		rfc5322_next(in);
	}
}

/* addr-spec = local-part "@" domain; appends one mailbox to the list. */
static int
rfc5322_addr_spec(struct rfc5322_in *in, dkimsa_mailbox *mb)
{
	buf local, domain, addr;
	int rc;

	buf_init(&local);
	buf_init(&domain);
	buf_init(&addr);
	rc = rfc5322_local_part(in, &local);
	if (rc == 0 && !rfc5322_is(in, '@'))
		rc = DKIMSA_ESYNTAX;
	if (rc == 0) {
		rfc5322_next(in);
		rc = rfc5322_domain(in, &domain);
	}
	if (rc == 0) {
		buf_add(&addr, local.data, local.len);
		buf_addc(&addr, '@');
		buf_add(&addr, domain.data, domain.len);
		if (local.err || domain.err || addr.err)
			rc = DKIMSA_ENOMEM;
	}
	if (rc == 0) {
		mb->local = buf_steal(&local);
		mb->domain = buf_steal(&domain);
		mb->addr = buf_steal(&addr);
		if (mb->local == NULL || mb->domain == NULL || mb->addr == NULL)
			rc = DKIMSA_ENOMEM;
	}
	buf_free(&local);
	buf_free(&domain);
	buf_free(&addr);
	return rc;
}

/* obs-route = obs-domain-list ":" ; the route is read and dropped. */
static int
rfc5322_obs_route(struct rfc5322_in *in)
{
	buf skip;
	int rc = 0;

	buf_init(&skip);
	while (rc == 0 && !rfc5322_is(in, ':')) {
		if (rfc5322_is(in, ',')) {
			rfc5322_next(in);
		} else if (rfc5322_is(in, '@')) {
			rfc5322_next(in);
			rc = rfc5322_domain(in, &skip);
		} else {
			rc = DKIMSA_ESYNTAX;
		}
	}
	buf_free(&skip);
	if (rc == 0)
		rfc5322_next(in); /* ":" */
	return rc;
}

/* angle-addr = [CFWS] "<" [obs-route] addr-spec ">" [CFWS] */
static int
rfc5322_angle_addr(struct rfc5322_in *in, dkimsa_mailbox *mb)
{
	int rc;

	rfc5322_next(in); /* "<" */
	if ((rfc5322_is(in, '@') || rfc5322_is(in, ',')) &&
	    rfc5322_obs_route(in) != 0)
		return DKIMSA_ESYNTAX;
	if ((rc = rfc5322_addr_spec(in, mb)) != 0)
		return rc;
	if (!rfc5322_is(in, '>'))
		return DKIMSA_ESYNTAX;
	rfc5322_next(in);
	return 0;
}

/* phrase = 1*word / obs-phrase (word *(word / "." / CFWS)) */
static int
rfc5322_phrase(struct rfc5322_in *in)
{
	if (!rfc5322_is_word(in))
		return DKIMSA_ESYNTAX;
	while (rfc5322_is_word(in) || rfc5322_is(in, '.'))
		rfc5322_next(in);
	return 0;
}

struct rfc5322_list {
	dkimsa_mailbox *v;
	size_t n, cap;
};

static dkimsa_mailbox *
rfc5322_list_add(struct rfc5322_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		dkimsa_mailbox *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/*
 * mailbox = name-addr / addr-spec, where name-addr = [display-name]
 * angle-addr.  A display-name and a local-part both start with a word, so
 * the token after the words decides.
 */
static int
rfc5322_mailbox(struct rfc5322_in *in, struct rfc5322_list *l, int group)
{
	struct rfc5322_in save = *in;
	dkimsa_mailbox *mb;

	if (!rfc5322_is(in, '<') && rfc5322_phrase(in) != 0)
		return DKIMSA_ESYNTAX;
	if (!rfc5322_is(in, '<'))
		*in = save; /* no angle-addr: it was a local-part */
	if ((mb = rfc5322_list_add(l)) == NULL)
		return DKIMSA_ENOMEM;
	mb->in_group = group;
	return rfc5322_is(in, '<') ? rfc5322_angle_addr(in, mb)
				   : rfc5322_addr_spec(in, mb);
}

/*
 * group = display-name ":" [group-list] ";" [CFWS]; the mailboxes of
 * group-list (a mailbox-list, CFWS or obs-group-list) are kept.
 */
static int
rfc5322_group(struct rfc5322_in *in, struct rfc5322_list *l)
{
	int rc = 0;

	rfc5322_next(in); /* ":" */
	while (rc == 0 && !rfc5322_is(in, ';')) {
		if (rfc5322_is(in, ','))
			rfc5322_next(in);
		else if (in->tok.type == DKIMSA_TOK_END)
			rc = DKIMSA_ESYNTAX;
		else if ((rc = rfc5322_mailbox(in, l, 1)) == 0 &&
			 !rfc5322_is(in, ',') && !rfc5322_is(in, ';'))
			rc = DKIMSA_ESYNTAX;
	}
	if (rc == 0)
		rfc5322_next(in); /* ";" */
	return rc;
}

/* address = mailbox / group */
static int
rfc5322_address(struct rfc5322_in *in, struct rfc5322_list *l, int groups)
{
	struct rfc5322_in save = *in;

	if (rfc5322_is_word(in) && rfc5322_phrase(in) == 0 &&
	    rfc5322_is(in, ':'))
		return groups ? rfc5322_group(in, l) : DKIMSA_ESYNTAX;
	*in = save;
	return rfc5322_mailbox(in, l, 0);
}

/* address-list / obs-addr-list: elements may be empty. */
static int
rfc5322_address_list(struct rfc5322_in *in, struct rfc5322_list *l, int groups)
{
	int rc = 0;

	rfc5322_next(in);
	while (rc == 0 && in->tok.type != DKIMSA_TOK_END) {
		if (rfc5322_is(in, ','))
			rfc5322_next(in);
		else if ((rc = rfc5322_address(in, l, groups)) == 0 &&
			 !rfc5322_is(in, ',') && in->tok.type != DKIMSA_TOK_END)
			rc = DKIMSA_ESYNTAX;
	}
	return rc;
}

void
dkimsa_mailbox_list_free(dkimsa_mailbox *list, size_t n)
{
	size_t i;

	for (i = 0; list != NULL && i < n; i++) {
		free(list[i].addr);
		free(list[i].local);
		free(list[i].domain);
	}
	free(list);
}

int
dkimsa_rfc5322_address_list(const char *value, size_t len, dkimsa_mailbox **out,
			    size_t *n)
{
	struct rfc5322_in in;
	struct rfc5322_list l;
	int rc;

	*out = NULL;
	*n = 0;
	memset(&in, 0, sizeof(in));
	memset(&l, 0, sizeof(l));
	in.s = value;
	in.len = len;
	rc = rfc5322_address_list(&in, &l, 1);
	if (rc != 0) {
		dkimsa_mailbox_list_free(l.v, l.n);
		return rc == DKIMSA_ENOMEM ? rc : DKIMSA_ESYNTAX;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

int
dkimsa_rfc5322_mailbox(const char *value, size_t len, char **out)
{
	struct rfc5322_in in;
	struct rfc5322_list l;
	int rc;

	*out = NULL;
	memset(&in, 0, sizeof(in));
	memset(&l, 0, sizeof(l));
	in.s = value;
	in.len = len;
	rc = rfc5322_address_list(&in, &l, 0); /* mailbox-list: no groups */
	if (rc == 0 && l.n == 0)
		rc = DKIMSA_ESYNTAX;
	else if (rc == 0 && l.n > 1)
		rc = DKIMSA_EMULTIPLE;
	else if (rc == 0) {
		*out = l.v[0].addr;
		l.v[0].addr = NULL;
	} else if (rc != DKIMSA_ENOMEM)
		rc = DKIMSA_ESYNTAX;
	dkimsa_mailbox_list_free(l.v, l.n);
	return rc;
}
