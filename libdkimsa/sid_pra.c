/*
 * sid_pra.c - Purported Responsible Address (RFC 4407 section 2) and a
 * single-mailbox parser (RFC 5322 sections 3.2-3.4: mailbox, name-addr,
 * angle-addr, addr-spec, dot-atom, quoted-string, domain-literal, CFWS).
 *
 * Memory: the unfolded field list is local to sid_pra_find(); returned
 * strings are the caller's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dkimsa.h"
#include "sid_pra.h"

#define PRA_MAX_FIELDS 2000

struct pra_field {
	const char *name;
	size_t nlen;
	const char *val; /* raw, folded value */
	size_t vlen;
};

static int
pra_wsp(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* atext (RFC 5322 3.2.3) */
static int
pra_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Removes comments (nested, with quoted-pairs); -1 when unbalanced. */
static int
pra_uncomment(const char *s, size_t len, buf *out)
{
	size_t i;
	int depth = 0, quoted = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && (quoted || depth > 0) && i + 1 < len) {
			if (depth == 0) {
				buf_addc(out, c);
				buf_addc(out, s[i + 1]);
			}
			i++;
		} else if (depth > 0) {
			depth += c == '(' ? 1 : (c == ')' ? -1 : 0);
			if (depth == 0)
				buf_addc(out, ' ');
		} else if (c == '"') {
			quoted = !quoted;
			buf_addc(out, c);
		} else if (c == '(' && !quoted) {
			depth = 1;
		} else if (c == ')' && !quoted) {
			return -1;
		} else {
			buf_addc(out, c);
		}
	}
	return depth == 0 && !quoted ? 0 : -1;
}

static void
pra_trim(const char **s, size_t *len)
{
	while (*len > 0 && pra_wsp((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && pra_wsp((*s)[*len - 1]))
		(*len)--;
}

/* quoted-string filling s[0..len) exactly. */
static int
pra_quoted_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return 0;
	for (i = 1; i < len - 1; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return 0;
	}
	return i == len - 1;
}

static int
pra_dot_atom_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !pra_atext(s[i]))
			return 0;
	return 1;
}

static int
pra_addr_spec(const char *s, size_t len, buf *out)
{
	const char *at = NULL, *loc, *dom;
	size_t i, llen, dlen;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && quoted)
			i++;
		else if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == '@' && !quoted)
			at = s + i;
	}
	if (at == NULL)
		return -1;
	loc = s;
	llen = (size_t)(at - s);
	dom = at + 1;
	dlen = len - llen - 1;
	pra_trim(&loc, &llen);
	pra_trim(&dom, &dlen);
	if (!(pra_dot_atom_ok(loc, llen) || pra_quoted_ok(loc, llen)))
		return -1;
	if (dlen >= 2 && dom[0] == '[') {
		if (dom[dlen - 1] != ']' ||
		    memchr(dom + 1, '[', dlen - 2) != NULL ||
		    memchr(dom + 1, ']', dlen - 2) != NULL ||
		    memchr(dom + 1, '\\', dlen - 2) != NULL)
			return -1;
	} else if (!pra_dot_atom_ok(dom, dlen)) {
		return -1;
	}
	buf_add(out, loc, llen);
	buf_addc(out, '@');
	buf_add(out, dom, dlen);
	return 0;
}

/* display-name = phrase: words (atoms, quoted strings) and obs dots. */
static int
pra_phrase_ok(const char *s, size_t len)
{
	size_t i;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		if (quoted && s[i] == '\\')
			i++;
		else if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && !pra_atext(s[i]) && !pra_wsp(s[i]) &&
			 s[i] != '.')
			return 0;
	}
	return !quoted;
}

/* One mailbox in s[0..len) (comments already removed). */
static int
pra_one_mailbox(const char *s, size_t len, buf *out)
{
	const char *lt = NULL, *gt = NULL;
	size_t i;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		if (quoted && s[i] == '\\') {
			i++;
		} else if (s[i] == '"') {
			quoted = !quoted;
		} else if (!quoted && s[i] == '<') {
			if (lt != NULL)
				return -1;
			lt = s + i;
		} else if (!quoted && s[i] == '>') {
			if (lt == NULL || gt != NULL)
				return -1;
			gt = s + i;
		}
	}
	if (lt == NULL && gt == NULL)
		return pra_addr_spec(s, len, out);
	if (lt == NULL || gt == NULL || !pra_phrase_ok(s, (size_t)(lt - s)))
		return -1;
	for (i = (size_t)(gt - s) + 1; i < len; i++)
		if (!pra_wsp(s[i]))
			return -1;
	return pra_addr_spec(lt + 1, (size_t)(gt - lt - 1), out);
}

int
sid_pra_mailbox(const char *value, size_t len, char **out)
{
	buf clean, res;
	size_t i, start = 0, n;
	int quoted = 0, angle = 0, rc = 0, seen = 0;
	const char *s;

	*out = NULL;
	buf_init(&clean);
	buf_init(&res);
	if (pra_uncomment(value, len, &clean) != 0 || clean.err) {
		rc = clean.err ? DKIMSA_ENOMEM : DKIMSA_ESYNTAX;
		goto done;
	}
	s = clean.data ? clean.data : "";
	n = clean.len;
	for (i = 0; i <= n && rc == 0; i++) {
		if (i < n && quoted && s[i] == '\\') {
			i++;
		} else if (i < n && s[i] == '"') {
			quoted = !quoted;
		} else if (i < n && !quoted && (s[i] == '<' || s[i] == '>')) {
			angle = s[i] == '<';
		} else if (i < n && !quoted && !angle && s[i] == ':') {
			rc = DKIMSA_ESYNTAX; /* a group is not a mailbox */
		} else if (i == n || (!quoted && !angle && s[i] == ',')) {
			const char *e = s + start;
			size_t elen = i - start;

			pra_trim(&e, &elen);
			if (elen > 0 &&
			    (seen++ || pra_one_mailbox(e, elen, &res) != 0))
				rc = DKIMSA_ESYNTAX;
			start = i + 1;
		}
	}
	if (rc == 0 && seen != 1)
		rc = DKIMSA_ESYNTAX;
	if (rc == 0 && res.err)
		rc = DKIMSA_ENOMEM;
	if (rc == 0 && (*out = buf_steal(&res)) == NULL)
		rc = DKIMSA_ENOMEM;
done:
	buf_free(&clean);
	buf_free(&res);
	return rc;
}

/* Splits the header block into fields; returns the count or -1. */
static int
pra_fields(const char *h, size_t len, struct pra_field *f, int max)
{
	size_t i = 0, eol, colon;
	int n = 0;

	while (i < len) {
		for (eol = i; eol < len && h[eol] != '\n'; eol++)
			;
		if (eol == i || (eol == i + 1 && h[i] == '\r'))
			break; /* empty line: end of headers */
		if ((h[i] == ' ' || h[i] == '\t') && n > 0) {
			f[n - 1].vlen = eol - (size_t)(f[n - 1].val - h);
		} else {
			for (colon = i; colon < eol && h[colon] != ':'; colon++)
				;
			if (colon < eol && n < max) {
				f[n].name = h + i;
				f[n].nlen = colon - i;
				while (f[n].nlen > 0 &&
				       pra_wsp(h[i + f[n].nlen - 1]))
					f[n].nlen--;
				f[n].val = h + colon + 1;
				f[n].vlen = eol - colon - 1;
				n++;
			}
		}
		i = eol + 1;
	}
	return n;
}

static int
pra_is(const struct pra_field *f, const char *name)
{
	return f->nlen == strlen(name) &&
	       strncasecmp(f->name, name, f->nlen) == 0;
}

static int
pra_nonempty(const struct pra_field *f)
{
	size_t i;

	for (i = 0; i < f->vlen; i++)
		if (!pra_wsp(f->val[i]))
			return 1;
	return 0;
}

/* Index of the first non-empty field named name in [from, to), or -1. */
static int
pra_first(const struct pra_field *f, int from, int to, const char *name)
{
	int i;

	for (i = from; i < to; i++)
		if (pra_is(&f[i], name) && pra_nonempty(&f[i]))
			return i;
	return -1;
}

/* RFC 4407 section 2 steps 1-4: the index of the chosen field or -1. */
static int
pra_choose(const struct pra_field *f, int n, char *err, size_t errlen)
{
	int rs = pra_first(f, 0, n, "Resent-Sender"), rf, i, count = 0, pick;

	rf = pra_first(f, 0, n, "Resent-From");
	if (rs >= 0) {
		int trace = 0;

		for (i = rf + 1; rf >= 0 && rf < rs && i < rs; i++)
			trace |= pra_is(&f[i], "Received") ||
				 pra_is(&f[i], "Return-Path");
		if (!trace)
			return rs; /* step 1 */
	}
	if (rf >= 0)
		return rf; /* step 2 */
	for (i = 0, pick = -1; i < n; i++)
		if (pra_is(&f[i], "Sender") && pra_nonempty(&f[i]) && ++count)
			pick = i;
	if (count > 1) {
		snprintf(err, errlen, "%d Sender fields", count);
		return -1;
	}
	if (count == 1)
		return pick; /* step 3 */
	for (i = 0, pick = -1; i < n; i++)
		if (pra_is(&f[i], "From") && pra_nonempty(&f[i]) && ++count)
			pick = i;
	if (count == 1)
		return pick; /* step 4 */
	snprintf(err, errlen, "%d From fields", count);
	return -1;
}

int
sid_pra_find(const char *hdr, size_t len, char **mailbox, char **field,
	     char *err, size_t errlen)
{
	struct pra_field *f;
	int n, pick, rc;

	*mailbox = *field = NULL;
	f = calloc(PRA_MAX_FIELDS, sizeof(*f));
	if (f == NULL)
		return DKIMSA_ENOMEM;
	n = pra_fields(hdr, len, f, PRA_MAX_FIELDS);
	pick = pra_choose(f, n, err, errlen);
	if (pick < 0) {
		free(f);
		return DKIMSA_ESYNTAX;
	}
	rc = sid_pra_mailbox(f[pick].val, f[pick].vlen, mailbox);
	if (rc == DKIMSA_ESYNTAX)
		snprintf(err, errlen, "%.*s: not exactly one mailbox",
			 (int)f[pick].nlen, f[pick].name);
	if (rc == 0 && (*field = strndup(f[pick].name, f[pick].nlen)) == NULL) {
		free(*mailbox);
		*mailbox = NULL;
		rc = DKIMSA_ENOMEM;
	}
	free(f);
	return rc;
}
