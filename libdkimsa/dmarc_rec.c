/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc_rec.c - the DMARC Policy Record, RFC 9989 sections 4.7 and 4.8:
 *
 *   dmarc-record  = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]
 *   dmarc-version = "v" equals %s"DMARC1"
 *   dmarc-sep     = *WSP ";" *WSP
 *   equals        = *WSP "=" *WSP
 *   dmarc-tag     = 1*ALPHA equals 1*dmarc-value
 *   dmarc-value   = %x20-3A / %x3C-7E
 *
 * The version tag decides whether the text is a DMARC record at all.
 * Every other tag goes through its own small handler from dmarc_tags[];
 * a value outside its rule (dmarc-request, dmarc-yorn, dmarc-psd,
 * dmarc-rors, dmarc-urilist, dmarc-fo) is ignored, so the tag keeps its
 * default (4.8), and unknown tags are ignored (4.7).  The tags RFC 9989
 * removed (pct, rf, ri) are known and ignored.  Words are matched
 * case-insensitively (RFC 5234 strings), except the version.
 * struct dmarc_rec owns its URI strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "dmarc_rec.h"

static int
dmarc_rec_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int
dmarc_rec_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
dmarc_rec_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* dmarc-value = %x20-3A / %x3C-7E */
static int
dmarc_rec_is_value_char(int c)
{
	return (c >= 0x20 && c <= 0x3a) || (c >= 0x3c && c <= 0x7e);
}

static size_t
dmarc_rec_skip_wsp(const char *s, size_t len, size_t pos)
{
	while (pos < len && dmarc_rec_is_wsp((unsigned char)s[pos]))
		pos++;
	return pos;
}

/* A text [p, p+n) without the WSP at both ends. */
static void
dmarc_rec_trim(const char **p, size_t *n)
{
	while (*n > 0 && dmarc_rec_is_wsp((unsigned char)(*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && dmarc_rec_is_wsp((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

static int
dmarc_rec_word(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(p, word, n) == 0;
}

/* dmarc-version = "v" equals %s"DMARC1"; returns the end or 0. */
static size_t
dmarc_rec_skip_version(const char *s, size_t len)
{
	size_t pos = 0;

	if (len == 0 || (s[0] != 'v' && s[0] != 'V'))
		return 0;
	pos = dmarc_rec_skip_wsp(s, len, 1);
	if (pos >= len || s[pos] != '=')
		return 0;
	pos = dmarc_rec_skip_wsp(s, len, pos + 1);
	if (len - pos < 6 || memcmp(s + pos, "DMARC1", 6) != 0)
		return 0;
	pos += 6;
	/* then the end, or a dmarc-sep */
	pos = dmarc_rec_skip_wsp(s, len, pos);
	if (pos < len && s[pos] != ';')
		return 0;
	return pos;
}

int
dmarc_rec_is_dmarc(const char *txt, size_t len)
{
	return txt != NULL && dmarc_rec_skip_version(txt, len) > 0;
}

const char *
dkimsa_dmarc_policy_name(int p)
{
	switch (p) {
	case DKIMSA_DMARC_P_NONE:
		return "none";
	case DKIMSA_DMARC_P_QUARANTINE:
		return "quarantine";
	case DKIMSA_DMARC_P_REJECT:
		return "reject";
	default:
		return "";
	}
}

/* dmarc-request = "none" / "quarantine" / "reject" */
static int
dmarc_rec_request(const char *v, size_t n)
{
	if (dmarc_rec_word(v, n, "none"))
		return DKIMSA_DMARC_P_NONE;
	if (dmarc_rec_word(v, n, "quarantine"))
		return DKIMSA_DMARC_P_QUARANTINE;
	if (dmarc_rec_word(v, n, "reject"))
		return DKIMSA_DMARC_P_REJECT;
	return DKIMSA_DMARC_P_UNSET;
}

static int
dmarc_rec_is_uri_char(int c)
{
	return dmarc_rec_is_alpha(c) || dmarc_rec_is_digit(c) ||
	       (c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL);
}

static int
dmarc_rec_is_hex(int c)
{
	return dmarc_rec_is_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * URI (RFC 3986 section 3): scheme ":" and a non-empty rest made of URI
 * characters, "%" followed by two hex digits.  Section 4.8 wants "," and
 * "!" encoded.
 */
int
dmarc_rec_uri_ok(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || !dmarc_rec_is_alpha((unsigned char)s[0]))
		return 0;
	while (i < len && (dmarc_rec_is_alpha((unsigned char)s[i]) ||
			   dmarc_rec_is_digit((unsigned char)s[i]) ||
			   s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i >= len || s[i] != ':' || i + 1 == len)
		return 0;
	for (i++; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ',' || c == '!' || !dmarc_rec_is_uri_char(c))
			return 0;
		if (c == '%') {
			if (i + 2 >= len ||
			    !dmarc_rec_is_hex((unsigned char)s[i + 1]) ||
			    !dmarc_rec_is_hex((unsigned char)s[i + 2]))
				return 0;
			i += 2;
		}
	}
	return 1;
}

/* obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] */
static int
dmarc_rec_obs_size_ok(const char *s, size_t len)
{
	size_t i = 1;

	if (len < 2 || s[0] != '!')
		return 0;
	while (i < len && dmarc_rec_is_digit((unsigned char)s[i]))
		i++;
	if (i == 1)
		return 0;
	if (i < len && strchr("kmgtKMGT", s[i]) != NULL)
		i++;
	return i == len;
}

/*
 * dmarc-urilist = (dmarc-uri / obs-dmarc-uri)
 *                 *(*WSP "," *WSP (dmarc-uri / obs-dmarc-uri))
 * Keeps the valid URIs (without the obsolete size); returns the number of
 * elements that were not valid, or -1 when out of memory.
 */
static int
dmarc_rec_urilist(const char *v, size_t n, char **list, size_t *count)
{
	size_t pos = 0;
	int bad = 0;

	while (pos <= n) {
		const char *e = memchr(v + pos, ',', n - pos);
		size_t end = e ? (size_t)(e - v) : n, ulen;
		const char *u = v + pos, *bang;

		ulen = end - pos;
		dmarc_rec_trim(&u, &ulen);
		bang = memchr(u, '!', ulen);
		if (bang != NULL) {
			if (!dmarc_rec_obs_size_ok(bang,
						   ulen - (size_t)(bang - u)))
				ulen = 0; /* invalid */
			else
				ulen = (size_t)(bang - u);
		}
		if (ulen == 0 || !dmarc_rec_uri_ok(u, ulen)) {
			bad++;
		} else if (*count < DMARC_REC_URIS_MAX) {
			if ((list[*count] = strndup(u, ulen)) == NULL)
				return -1;
			(*count)++;
			list[*count] = NULL;
		}
		pos = end + 1;
	}
	return bad;
}

/*
 * dmarc-fo: "0" or "1" (not both) and "d", "s", each at most once,
 * joined by ":".
 */
static int
dmarc_rec_fo_ok(const char *v, size_t n)
{
	int seen01 = 0, seen_d = 0, seen_s = 0;
	size_t i;

	if (n == 0 || n >= 16)
		return 0;
	for (i = 0; i < n; i += 2) {
		char c = v[i];

		if (i + 1 < n && v[i + 1] != ':')
			return 0;
		if (i + 1 == n - 1)
			return 0; /* trailing ":" */
		if (c == '0' || c == '1') {
			if (seen01++)
				return 0;
		} else if (c == 'd' || c == 'D') {
			if (seen_d++)
				return 0;
		} else if (c == 's' || c == 'S') {
			if (seen_s++)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

/* ---- one handler per tag: 0 taken, 1 value outside its rule ---- */
typedef int (*dmarc_tag_fn)(struct dmarc_rec *r, const char *v, size_t n);

static int
dmarc_tag_p(struct dmarc_rec *r, const char *v, size_t n)
{
	r->p = dmarc_rec_request(v, n);
	r->p_bad = r->p == DKIMSA_DMARC_P_UNSET;
	return r->p_bad;
}

static int
dmarc_tag_sp(struct dmarc_rec *r, const char *v, size_t n)
{
	r->sp = dmarc_rec_request(v, n);
	r->sp_bad = r->sp == DKIMSA_DMARC_P_UNSET;
	return r->sp_bad;
}

static int
dmarc_tag_np(struct dmarc_rec *r, const char *v, size_t n)
{
	r->np = dmarc_rec_request(v, n);
	r->np_bad = r->np == DKIMSA_DMARC_P_UNSET;
	return r->np_bad;
}

/* dmarc-rors = "r" / "s" */
static int
dmarc_rec_rors(const char *v, size_t n, int *strict)
{
	if (dmarc_rec_word(v, n, "r"))
		*strict = 0;
	else if (dmarc_rec_word(v, n, "s"))
		*strict = 1;
	else
		return 1;
	return 0;
}

static int
dmarc_tag_adkim(struct dmarc_rec *r, const char *v, size_t n)
{
	return dmarc_rec_rors(v, n, &r->adkim_strict);
}

static int
dmarc_tag_aspf(struct dmarc_rec *r, const char *v, size_t n)
{
	return dmarc_rec_rors(v, n, &r->aspf_strict);
}

/* dmarc-yorn = "y" / "n" */
static int
dmarc_tag_t(struct dmarc_rec *r, const char *v, size_t n)
{
	if (dmarc_rec_word(v, n, "y"))
		r->testing = 1;
	else if (dmarc_rec_word(v, n, "n"))
		r->testing = 0;
	else
		return 1;
	return 0;
}

/* dmarc-psd = "y" / "n" / "u" */
static int
dmarc_tag_psd(struct dmarc_rec *r, const char *v, size_t n)
{
	if (dmarc_rec_word(v, n, "y"))
		r->psd = 1;
	else if (dmarc_rec_word(v, n, "n"))
		r->psd = 0;
	else if (dmarc_rec_word(v, n, "u"))
		r->psd = -1;
	else
		return 1;
	return 0;
}

static int
dmarc_tag_rua(struct dmarc_rec *r, const char *v, size_t n)
{
	int bad = dmarc_rec_urilist(v, n, r->rua, &r->nrua);

	return bad < 0 ? -1 : bad > 0;
}

static int
dmarc_tag_ruf(struct dmarc_rec *r, const char *v, size_t n)
{
	int bad = dmarc_rec_urilist(v, n, r->ruf, &r->nruf);

	return bad < 0 ? -1 : bad > 0;
}

static int
dmarc_tag_fo(struct dmarc_rec *r, const char *v, size_t n)
{
	if (!dmarc_rec_fo_ok(v, n))
		return 1;
	memcpy(r->fo, v, n);
	r->fo[n] = '\0';
	return 0;
}

/* RFC 9989 removed these (appendix C.5.2): known, and ignored. */
static int
dmarc_tag_removed(struct dmarc_rec *r, const char *v, size_t n)
{
	(void)r;
	(void)v;
	(void)n;
	return 1;
}

static const struct {
	const char *name;
	dmarc_tag_fn fn;
} dmarc_tags[] = {
    {"adkim", dmarc_tag_adkim}, {"aspf", dmarc_tag_aspf},
    {"fo", dmarc_tag_fo},	{"np", dmarc_tag_np},
    {"p", dmarc_tag_p},		{"psd", dmarc_tag_psd},
    {"rua", dmarc_tag_rua},	{"ruf", dmarc_tag_ruf},
    {"sp", dmarc_tag_sp},	{"t", dmarc_tag_t},
    {"pct", dmarc_tag_removed}, {"rf", dmarc_tag_removed},
    {"ri", dmarc_tag_removed},
};
#define DMARC_NTAGS (sizeof(dmarc_tags) / sizeof(dmarc_tags[0]))

static void
dmarc_rec_note(char *why, size_t whylen, const char *what, const char *name,
	       size_t nlen)
{
	size_t used;

	if (why == NULL || whylen == 0)
		return;
	used = strlen(why);
	if (used + 1 >= whylen)
		return;
	snprintf(why + used, whylen - used, "%s%s %.*s", used ? "; " : "", what,
		 (int)(nlen > 20 ? 20 : nlen), name);
}

/*
 * One dmarc-tag in [s, s+len) without the separators: 1*ALPHA equals
 * 1*dmarc-value, then its handler.  seen[] marks tags already taken.
 */
static int
dmarc_rec_tag(struct dmarc_rec *r, const char *s, size_t len, int *seen,
	      char *why, size_t whylen)
{
	size_t nend = 0, pos, i, vlen;
	const char *v;
	int rc;

	while (nend < len && dmarc_rec_is_alpha((unsigned char)s[nend]))
		nend++;
	pos = dmarc_rec_skip_wsp(s, len, nend);
	if (nend == 0 || pos >= len || s[pos] != '=') {
		r->ignored++;
		dmarc_rec_note(why, whylen, "not a tag:", s, len);
		return 0;
	}
	v = s + pos + 1;
	vlen = len - pos - 1;
	dmarc_rec_trim(&v, &vlen);
	for (i = 0; i < vlen; i++)
		if (!dmarc_rec_is_value_char((unsigned char)v[i]))
			break;
	for (pos = 0; pos < DMARC_NTAGS; pos++)
		if (dmarc_rec_word(s, nend, dmarc_tags[pos].name))
			break;
	if (pos == DMARC_NTAGS) {
		r->ignored++;
		dmarc_rec_note(why, whylen, "unknown tag", s, nend);
		return 0;
	}
	if (seen[pos]) {
		r->ignored++;
		dmarc_rec_note(why, whylen, "repeated tag", s, nend);
		return 0;
	}
	seen[pos] = 1;
	if (vlen == 0 || i < vlen) {
		rc = 1;
		/* p/sp/np present but empty or with a bad byte: invalid */
		if (dmarc_tags[pos].fn == dmarc_tag_p)
			r->p_bad = 1;
		else if (dmarc_tags[pos].fn == dmarc_tag_sp)
			r->sp_bad = 1;
		else if (dmarc_tags[pos].fn == dmarc_tag_np)
			r->np_bad = 1;
	} else {
		rc = dmarc_tags[pos].fn(r, v, vlen);
	}
	if (rc < 0)
		return DKIMSA_ENOMEM;
	if (rc > 0) {
		r->ignored++;
		dmarc_rec_note(why, whylen,
			       dmarc_tags[pos].fn == dmarc_tag_removed
				   ? "removed tag"
				   : "bad value of",
			       s, nend);
	}
	return 0;
}

static void
dmarc_rec_init(struct dmarc_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->p = r->sp = r->np = DKIMSA_DMARC_P_UNSET;
	r->psd = -1;
}

int
dmarc_rec_parse(const char *txt, size_t len, struct dmarc_rec *out, char *why,
		size_t whylen)
{
	int seen[DMARC_NTAGS] = {0};
	size_t pos;

	dmarc_rec_init(out);
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (txt == NULL || (pos = dmarc_rec_skip_version(txt, len)) == 0) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen, "not a v=DMARC1 record");
		return DKIMSA_ESYNTAX;
	}
	while (pos < len) {
		/* dmarc-sep: s[pos] is ";" */
		const char *semi;
		const char *t = txt + pos + 1;
		size_t tlen;

		semi = memchr(t, ';', len - pos - 1);
		tlen = semi ? (size_t)(semi - t) : len - pos - 1;
		pos = semi ? (size_t)(semi - txt) : len;
		dmarc_rec_trim(&t, &tlen);
		if (tlen == 0)
			continue; /* a final ";" (or an empty element) */
		if (dmarc_rec_tag(out, t, tlen, seen, why, whylen) != 0) {
			dmarc_rec_free(out);
			return DKIMSA_ENOMEM;
		}
	}
	return 0;
}

void
dmarc_rec_free(struct dmarc_rec *r)
{
	size_t i;

	for (i = 0; i < r->nrua; i++)
		free(r->rua[i]);
	for (i = 0; i < r->nruf; i++)
		free(r->ruf[i]);
	dmarc_rec_init(r);
}

int
dmarc_rec_invalid_policy(const struct dmarc_rec *r)
{
	if (!r->p_bad && !r->sp_bad && !r->np_bad)
		return -1;
	return r->nrua > 0 ? 1 : 0;
}
