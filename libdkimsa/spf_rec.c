/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_rec.c - parse SPF records (RFC 7208 sections 4.5, 4.6.1, 5, 6) and
 * recognise the Sender ID version tag (RFC 4406 section 3.1).
 *
 *   record   = version terms *SP          terms = *( 1*SP ( directive /
 * modifier ) ) directive = [ qualifier ] mechanism    modifier = redirect /
 * explanation / unknown-modifier dual-cidr-length = [ ip4-cidr-length ] [ "/"
 * ip6-cidr-length ]
 *
 * A term is a modifier when "=" comes before any ":" or "/" (4.6.1).
 * Memory: the record owns its terms and their strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "spf_macro.h"
#include "spf_rec.h"

static int
rec_ci_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && strncasecmp(s, p, n) == 0;
}

int
spf_rec_version(const char *txt, size_t len, size_t *vlen, int *scopes)
{
	size_t i, start;

	*scopes = 0;
	if (rec_ci_prefix(txt, len, "v=spf1") && (len == 6 || txt[6] == ' ')) {
		*vlen = 6;
		*scopes = SPF_SCOPE_MFROM | SPF_SCOPE_PRA;
		return 1;
	}
	if (!rec_ci_prefix(txt, len, "spf2.0/"))
		return 0;
	/* scope = "mfrom" / "pra" / name; separated by "," */
	for (i = start = 7;; i++) {
		if (i == len || txt[i] == ',' || txt[i] == ' ') {
			if (i == start)
				return 0;
			if (i - start == 5 &&
			    strncasecmp(txt + start, "mfrom", 5) == 0)
				*scopes |= SPF_SCOPE_MFROM;
			else if (i - start == 3 &&
				 strncasecmp(txt + start, "pra", 3) == 0)
				*scopes |= SPF_SCOPE_PRA;
			if (i == len || txt[i] == ' ')
				break;
			start = i + 1;
		} else if (!((txt[i] | 0x20) >= 'a' &&
			     (txt[i] | 0x20) <= 'z') &&
			   !(txt[i] >= '0' && txt[i] <= '9') && txt[i] != '-') {
			return 0;
		}
	}
	*vlen = i;
	return 2;
}

int
spf_rec_is_dns_mech(int mech)
{
	return mech == SPF_M_INCLUDE || mech == SPF_M_A || mech == SPF_M_MX ||
	       mech == SPF_M_PTR || mech == SPF_M_EXISTS;
}

static const struct {
	const char *name;
	int mech;
} rec_mechs[] = {
    {"all", SPF_M_ALL}, {"include", SPF_M_INCLUDE}, {"a", SPF_M_A},
    {"mx", SPF_M_MX},	{"ptr", SPF_M_PTR},	    {"ip4", SPF_M_IP4},
    {"ip6", SPF_M_IP6}, {"exists", SPF_M_EXISTS},
};

/* "0" / %x31-39 *DIGIT, at most max.  -1 when not. */
static int
rec_cidr_value(const char *s, size_t len, int max)
{
	int v = 0;
	size_t i;

	if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

/* Length of a trailing "/" 1*DIGIT in s[0..len), 0 when none. */
static size_t
rec_slash_digits(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i == len || i == 0 || s[i - 1] != '/')
		return 0;
	return len - i + 1;
}

/* Strips a dual-cidr-length from the end of s; DKIMSA_ESYNTAX when invalid. */
static int
rec_dual_cidr(const char *s, size_t *len, struct spf_term *t)
{
	size_t n = rec_slash_digits(s, *len);

	if (n > 0 && *len > n && s[*len - n - 1] == '/') {
		t->cidr6 = rec_cidr_value(s + *len - n + 1, n - 1, 128);
		if (t->cidr6 < 0)
			return DKIMSA_ESYNTAX;
		*len -= n + 1;
		n = rec_slash_digits(s, *len);
	}
	if (n > 0) {
		t->cidr4 = rec_cidr_value(s + *len - n + 1, n - 1, 32);
		if (t->cidr4 < 0)
			return DKIMSA_ESYNTAX;
		*len -= n;
	}
	return 0;
}

/* ":" domain-spec into t->domain; optional when `optional`. */
static int
rec_domain_arg(const char *s, size_t len, int optional, struct spf_term *t)
{
	if (len == 0)
		return optional ? 0 : DKIMSA_ESYNTAX;
	if (s[0] != ':' || spf_macro_check_domain(s + 1, len - 1) != 0)
		return DKIMSA_ESYNTAX;
	t->domain = strndup(s + 1, len - 1);
	return t->domain ? 0 : DKIMSA_ENOMEM;
}

static int
rec_ip_arg(const char *s, size_t len, struct spf_term *t)
{
	const char *slash;
	size_t alen;
	int *cidr = t->mech == SPF_M_IP4 ? &t->cidr4 : &t->cidr6;

	if (len < 2 || s[0] != ':')
		return DKIMSA_ESYNTAX;
	s++;
	len--;
	slash = memchr(s, '/', len);
	alen = slash ? (size_t)(slash - s) : len;
	t->net.family = t->mech == SPF_M_IP4 ? 4 : 6;
	if (t->mech == SPF_M_IP4 ? addr_parse4(s, alen, t->net.b)
				 : addr_parse6(s, alen, t->net.b))
		return DKIMSA_ESYNTAX;
	if (slash == NULL)
		return 0;
	*cidr = rec_cidr_value(slash + 1, len - alen - 1,
			       t->mech == SPF_M_IP4 ? 32 : 128);
	return *cidr < 0 ? DKIMSA_ESYNTAX : 0;
}

/* directive = [ qualifier ] mechanism */
static int
rec_directive(const char *s, size_t len, struct spf_term *t)
{
	static const char quals[] = "+-~?";
	static const int qres[] = {DKIMSA_RES_PASS, DKIMSA_RES_FAIL,
				   DKIMSA_RES_SOFTFAIL, DKIMSA_RES_NEUTRAL};
	const char *q = len ? memchr(quals, s[0], 4) : NULL;
	size_t n, i;

	t->qual = q ? qres[q - quals] : DKIMSA_RES_PASS;
	if (q != NULL) {
		s++;
		len--;
	}
	for (n = 0; n < len && s[n] != ':' && s[n] != '/'; n++)
		;
	for (i = 0; i < sizeof(rec_mechs) / sizeof(rec_mechs[0]); i++)
		if (strlen(rec_mechs[i].name) == n &&
		    strncasecmp(s, rec_mechs[i].name, n) == 0)
			break;
	if (i == sizeof(rec_mechs) / sizeof(rec_mechs[0]))
		return DKIMSA_ESYNTAX;
	t->mech = rec_mechs[i].mech;
	t->cidr4 = 32;
	t->cidr6 = 128;
	s += n;
	len -= n;
	switch (t->mech) {
	case SPF_M_ALL:
		return len == 0 ? 0 : DKIMSA_ESYNTAX;
	case SPF_M_INCLUDE:
	case SPF_M_EXISTS:
		return rec_domain_arg(s, len, 0, t);
	case SPF_M_PTR:
		return rec_domain_arg(s, len, 1, t);
	case SPF_M_A:
	case SPF_M_MX:
		if (rec_dual_cidr(s, &len, t) != 0)
			return DKIMSA_ESYNTAX;
		return rec_domain_arg(s, len, 1, t);
	default:
		return rec_ip_arg(s, len, t);
	}
}

/* name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) */
static int
rec_modifier_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return 0;
	for (i = 1; i < len; i++) {
		int c = s[i];

		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.')
			return 0;
	}
	return 1;
}

/* 0, DKIMSA_ESYNTAX with err set, or DKIMSA_ENOMEM. */
static int
rec_modifier(struct spf_rec *r, const char *s, size_t len, size_t eq, char *err,
	     size_t errlen)
{
	const char *v = s + eq + 1;
	size_t vlen = len - eq - 1;
	char **slot = NULL;

	if (!rec_modifier_name_ok(s, eq)) {
		snprintf(err, errlen, "bad modifier name in \"%.*s\"", (int)len,
			 s);
		return DKIMSA_ESYNTAX;
	}
	if (eq == 8 && strncasecmp(s, "redirect", 8) == 0)
		slot = &r->redirect;
	else if (eq == 3 && strncasecmp(s, "exp", 3) == 0)
		slot = &r->exp;
	if (slot == NULL) {
		if (spf_macro_check(v, vlen, SPF_MACRO_EXP, NULL) == 0)
			return 0; /* unknown modifiers are ignored (6) */
		snprintf(err, errlen, "bad macro string in \"%.*s\"", (int)len,
			 s);
		return DKIMSA_ESYNTAX;
	}
	if (*slot != NULL) {
		snprintf(err, errlen, "%.*s= appears twice", (int)eq, s);
		return DKIMSA_ESYNTAX;
	}
	if (spf_macro_check_domain(v, vlen) != 0) {
		snprintf(err, errlen, "bad domain-spec in \"%.*s\"", (int)len,
			 s);
		return DKIMSA_ESYNTAX;
	}
	*slot = strndup(v, vlen);
	return *slot ? 0 : DKIMSA_ENOMEM;
}

static int
rec_term(struct spf_rec *r, const char *s, size_t len, char *err, size_t errlen)
{
	struct spf_term *t;
	size_t i;
	int rc;

	for (i = 0; i < len && s[i] != '=' && s[i] != ':' && s[i] != '/'; i++)
		;
	if (i < len && s[i] == '=')
		return rec_modifier(r, s, len, i, err, errlen);
	t = &r->terms[r->nterms];
	memset(t, 0, sizeof(*t));
	rc = rec_directive(s, len, t);
	if (rc == 0)
		t->text = strndup(s, len);
	if (rc == 0 && t->text == NULL)
		rc = DKIMSA_ENOMEM;
	r->nterms++; /* owned now, even when incomplete */
	if (rc == DKIMSA_ESYNTAX) {
		snprintf(err, errlen, "bad mechanism \"%.*s\"", (int)len, s);
	}
	return rc;
}

int
spf_rec_parse(const char *txt, size_t len, size_t vlen, struct spf_rec **out,
	      char *err, size_t errlen)
{
	struct spf_rec *r;
	size_t i, start, nterms = 1;
	int rc = 0;

	*out = NULL;
	for (i = vlen; i < len; i++) {
		unsigned char c = (unsigned char)txt[i];

		if (c != ' ' && (c < 0x21 || c > 0x7e)) {
			snprintf(err, errlen, "character 0x%02x in record", c);
			return DKIMSA_ESYNTAX;
		}
		nterms += c == ' ';
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL ||
	    (r->terms = calloc(nterms, sizeof(*r->terms))) == NULL) {
		free(r);
		return DKIMSA_ENOMEM;
	}
	for (i = vlen; i < len && rc == 0;) {
		while (i < len && txt[i] == ' ')
			i++;
		for (start = i; i < len && txt[i] != ' '; i++)
			;
		if (i > start)
			rc = rec_term(r, txt + start, i - start, err, errlen);
	}
	if (rc != 0) {
		spf_rec_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void
spf_rec_free(struct spf_rec *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nterms; i++) {
		free(r->terms[i].domain);
		free(r->terms[i].text);
	}
	free(r->terms);
	free(r->redirect);
	free(r->exp);
	free(r);
}
