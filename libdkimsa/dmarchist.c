/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarchist.c - the DMARC history line (format in dmarchist.h): one table
 * of fields, dmarchist_fields[], drives both the writer and the reader, so
 * what one writes the other reads.  Values are percent-encoded by
 * hist_put_value and decoded, strictly, by hist_get_value.
 *
 * Memory: records are flat; the writer's line is malloc'd for the caller.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"
#include "dmarchist.h"
#include "sig.h"

enum hist_type {
	HT_TIME,
	HT_STR,	   /* char array, size in the row */
	HT_IP,	   /* char array, must parse as an address */
	HT_POL,	   /* enum dmarchist_pol */
	HT_ALIGN,  /* 'r' / 's' */
	HT_YN,	   /* 'y' / 'n' */
	HT_PSD,	   /* 'y' / 'n' / 'u' */
	HT_RES,	   /* enum dkimsa_res, within the row's mask */
	HT_PF,	   /* 1 pass / 0 fail */
	HT_SCOPE,  /* 1 helo / 0 mfrom */
	HT_DISP,   /* enum dmarchist_disp */
	HT_REASON, /* enum dmarchist_reason */
	HT_RUA,	   /* repeats */
	HT_DKIM,   /* repeats */
	HT_EOL,	   /* "eol=1", last: a torn line lacks it */
};

#define RESBIT(r) (1u << (r))
#define RES_SPF                                                                \
	(RESBIT(DKIMSA_RES_NONE) | RESBIT(DKIMSA_RES_NEUTRAL) |                \
	 RESBIT(DKIMSA_RES_PASS) | RESBIT(DKIMSA_RES_FAIL) |                   \
	 RESBIT(DKIMSA_RES_SOFTFAIL) | RESBIT(DKIMSA_RES_TEMPERROR) |          \
	 RESBIT(DKIMSA_RES_PERMERROR))
#define RES_DKIM                                                               \
	(RESBIT(DKIMSA_RES_NONE) | RESBIT(DKIMSA_RES_PASS) |                   \
	 RESBIT(DKIMSA_RES_FAIL) | RESBIT(DKIMSA_RES_POLICY) |                 \
	 RESBIT(DKIMSA_RES_NEUTRAL) | RESBIT(DKIMSA_RES_TEMPERROR) |           \
	 RESBIT(DKIMSA_RES_PERMERROR))
#define RES_DMARC                                                              \
	(RESBIT(DKIMSA_RES_NONE) | RESBIT(DKIMSA_RES_PASS) |                   \
	 RESBIT(DKIMSA_RES_FAIL) | RESBIT(DKIMSA_RES_TEMPERROR) |              \
	 RESBIT(DKIMSA_RES_PERMERROR))

struct hist_field {
	const char *key;
	enum hist_type type;
	size_t off;
	size_t size;   /* HT_STR / HT_IP */
	unsigned mask; /* HT_RES */
	int required;
};

#define F(k, t, m, sz, mask, req)                                              \
	{                                                                      \
		k, t, offsetof(struct dmarchist_rec, m), sz, mask, req         \
	}
#define FS(k, m, req)                                                          \
	F(k, HT_STR, m, sizeof(((struct dmarchist_rec *)0)->m), 0, req)

static const struct hist_field dmarchist_fields[] = {
    F("time", HT_TIME, time, 0, 0, 1),
    FS("job", job, 0),
    F("ip", HT_IP, ip, sizeof(((struct dmarchist_rec *)0)->ip), 0, 1),
    FS("hfrom", header_from, 1),
    FS("mfrom", env_from, 0),
    FS("rcpt", env_to, 0),
    FS("pdom", policy_domain, 0),
    FS("odom", org_domain, 0),
    F("p", HT_POL, p, 0, 0, 0),
    F("sp", HT_POL, sp, 0, 0, 0),
    F("np", HT_POL, np, 0, 0, 0),
    F("adkim", HT_ALIGN, adkim, 0, 0, 0),
    F("aspf", HT_ALIGN, aspf, 0, 0, 0),
    F("t", HT_YN, testing, 0, 0, 0),
    F("psd", HT_PSD, psd, 0, 0, 0),
    FS("fo", fo, 0),
    F("rua", HT_RUA, rua, 0, 0, 0),
    FS("spfd", spf_domain, 0),
    F("spfs", HT_SCOPE, spf_helo, 0, 0, 0),
    F("spf", HT_RES, spf, 0, RES_SPF, 0),
    F("dkim", HT_DKIM, dkim, 0, 0, 0),
    F("dmarc", HT_RES, dmarc, 0, RES_DMARC, 1),
    F("dkima", HT_PF, dkim_aligned, 0, 0, 0),
    F("spfa", HT_PF, spf_aligned, 0, 0, 0),
    F("disp", HT_DISP, disp, 0, 0, 1),
    F("reason", HT_REASON, reason, 0, 0, 0),
    FS("comment", comment, 0),
    {"eol", HT_EOL, 0, 0, 0, 1},
};
#define NFIELDS (sizeof(dmarchist_fields) / sizeof(dmarchist_fields[0]))

static const char *const hist_pol_words[] = {"", "none", "quarantine",
					     "reject"};
static const char *const hist_disp_words[] = {"none", "pass", "quarantine",
					      "reject"};
static const char *const hist_reason_words[] = {
    "",	     "local_policy",	 "mailing_list",
    "other", "policy_test_mode", "trusted_forwarder"};

#define NWORDS(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *
dmarchist_pol_name(int p)
{
	return p >= 0 && p < NWORDS(hist_pol_words) ? hist_pol_words[p] : "";
}

const char *
dmarchist_disp_name(int d)
{
	return d >= 0 && d < NWORDS(hist_disp_words) ? hist_disp_words[d]
						     : "none";
}

const char *
dmarchist_reason_name(int reason)
{
	return reason >= 0 && reason < NWORDS(hist_reason_words)
		   ? hist_reason_words[reason]
		   : "other";
}

void
dmarchist_init(struct dmarchist_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->adkim = 'r';
	r->aspf = 'r';
	r->testing = 'n';
	r->psd = 'u';
}

void
dmarchist_set(char *dst, size_t size, const char *src)
{
	size_t n = src == NULL ? 0 : strlen(src);

	if (size == 0)
		return;
	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- writer ---- */

static int
hist_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr(".-_@:+/!", c) != NULL;
}

/* Appends s percent-encoded. */
static void
hist_put_value(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (hist_safe(*p)) {
			buf_addc(b, (char)*p);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		}
	}
}

static void
hist_put_key(buf *b, const char *key)
{
	buf_addc(b, ' ');
	buf_adds(b, key);
	buf_addc(b, '=');
}

static void
hist_put_field(buf *b, const struct hist_field *f,
	       const struct dmarchist_rec *r)
{
	const char *base = (const char *)r + f->off;
	int v = 0;
	char ch[2] = {0, 0};
	size_t i;

	if (f->type != HT_STR && f->type != HT_IP && f->type != HT_RUA &&
	    f->type != HT_DKIM && f->type != HT_TIME && f->type != HT_EOL)
		memcpy(&v, base, sizeof(v));
	switch (f->type) {
	case HT_TIME:
		hist_put_key(b, f->key);
		buf_printf(b, "%lld", r->time);
		break;
	case HT_STR:
	case HT_IP:
		hist_put_key(b, f->key);
		hist_put_value(b, base);
		break;
	case HT_POL:
		hist_put_key(b, f->key);
		buf_adds(b, dmarchist_pol_name(v));
		break;
	case HT_ALIGN:
	case HT_YN:
	case HT_PSD:
		hist_put_key(b, f->key);
		ch[0] = (char)v;
		hist_put_value(b, ch);
		break;
	case HT_RES:
		hist_put_key(b, f->key);
		buf_adds(b, dkimsa_res_name(v));
		break;
	case HT_PF:
		hist_put_key(b, f->key);
		buf_adds(b, v ? "pass" : "fail");
		break;
	case HT_SCOPE:
		hist_put_key(b, f->key);
		buf_adds(b, v ? "helo" : "mfrom");
		break;
	case HT_DISP:
		hist_put_key(b, f->key);
		buf_adds(b, dmarchist_disp_name(v));
		break;
	case HT_REASON:
		hist_put_key(b, f->key);
		buf_adds(b, dmarchist_reason_name(v));
		break;
	case HT_RUA:
		for (i = 0; i < r->nrua && i < DMARCHIST_MAXRUA; i++) {
			hist_put_key(b, f->key);
			hist_put_value(b, r->rua[i]);
		}
		break;
	case HT_DKIM:
		for (i = 0; i < r->ndkim && i < DMARCHIST_MAXDKIM; i++) {
			hist_put_key(b, f->key);
			hist_put_value(b, r->dkim[i].domain);
			buf_addc(b, ',');
			hist_put_value(b, r->dkim[i].selector);
			buf_addc(b, ',');
			buf_adds(b, dkimsa_res_name(r->dkim[i].result));
		}
		break;
	case HT_EOL:
		hist_put_key(b, f->key);
		buf_addc(b, '1');
		break;
	}
}

int
dmarchist_format(const struct dmarchist_rec *r, char **out, size_t *len)
{
	buf b;
	size_t i;

	*out = NULL;
	buf_init(&b);
	buf_adds(&b, "v=1");
	for (i = 0; i < NFIELDS; i++)
		hist_put_field(&b, &dmarchist_fields[i], r);
	buf_addc(&b, '\n');
	if (b.err) {
		buf_free(&b);
		return DKIMSA_ENOMEM;
	}
	*len = b.len;
	*out = buf_steal(&b);
	return *out == NULL ? DKIMSA_ENOMEM : DKIMSA_OK;
}

/* ---- reader ---- */

/*
 * Decodes s[0..n) into dst (size bytes with the NUL).  Returns 0, or -1
 * for a bad escape, a byte the writer never leaves bare, a NUL, or a value
 * that does not fit.
 */
static int
hist_get_value(const char *s, size_t n, char *dst, size_t size)
{
	size_t i, o = 0;
	int hi, lo, c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			hi = sig_hexdig((unsigned char)s[i + 1]);
			lo = sig_hexdig((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi | lo) == 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		} else if (!hist_safe((unsigned char)c)) {
			return -1;
		}
		if (o + 1 >= size)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return 0;
}

static int
hist_word(const char *s, size_t n, const char *const *words, int nwords)
{
	int i;

	for (i = 0; i < nwords; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return i;
	return -1;
}

static int
hist_res(const char *s, size_t n, unsigned mask)
{
	int r;

	for (r = 0; r < 16; r++)
		if ((mask & RESBIT(r)) != 0 &&
		    strlen(dkimsa_res_name(r)) == n &&
		    memcmp(dkimsa_res_name(r), s, n) == 0)
			return r;
	return -1;
}

static int
hist_ip_ok(const char *ip)
{
	unsigned char a[16];

	return inet_pton(AF_INET, ip, a) == 1 ||
	       inet_pton(AF_INET6, ip, a) == 1;
}

static int
hist_get_time(const char *s, size_t n, long long *t)
{
	long long v = 0;
	size_t i;

	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*t = v;
	return 0;
}

static int
hist_get_dkim(const char *s, size_t n, struct dmarchist_rec *r)
{
	const char *c1 = memchr(s, ',', n), *c2;
	struct dmarchist_dkim *d;
	int res;

	if (r->ndkim >= DMARCHIST_MAXDKIM || c1 == NULL)
		return -1;
	c2 = memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s));
	if (c2 == NULL)
		return -1;
	d = &r->dkim[r->ndkim];
	if (hist_get_value(s, (size_t)(c1 - s), d->domain, sizeof(d->domain)) <
		0 ||
	    d->domain[0] == '\0' ||
	    hist_get_value(c1 + 1, (size_t)(c2 - c1 - 1), d->selector,
			   sizeof(d->selector)) < 0 ||
	    (res = hist_res(c2 + 1, n - (size_t)(c2 + 1 - s), RES_DKIM)) < 0)
		return -1;
	d->result = res;
	r->ndkim++;
	return 0;
}

/* One key=value into r; 0 or -1. */
static int
hist_get_field(const struct hist_field *f, const char *v, size_t n,
	       struct dmarchist_rec *r)
{
	char *base = (char *)r + f->off;
	int x = -1;

	switch (f->type) {
	case HT_TIME:
		return hist_get_time(v, n, &r->time);
	case HT_STR:
		return hist_get_value(v, n, base, f->size);
	case HT_IP:
		if (hist_get_value(v, n, base, f->size) < 0)
			return -1;
		return hist_ip_ok(base) ? 0 : -1;
	case HT_POL:
		x = hist_word(v, n, hist_pol_words, NWORDS(hist_pol_words));
		break;
	case HT_ALIGN:
		x = n == 1 && (v[0] == 'r' || v[0] == 's') ? v[0] : -1;
		break;
	case HT_YN:
		x = n == 1 && (v[0] == 'y' || v[0] == 'n') ? v[0] : -1;
		break;
	case HT_PSD:
		x = n == 1 && strchr("ynu", v[0]) != NULL ? v[0] : -1;
		break;
	case HT_RES:
		x = hist_res(v, n, f->mask);
		break;
	case HT_PF:
		x = hist_word(v, n, (const char *const[]){"fail", "pass"}, 2);
		break;
	case HT_SCOPE:
		x = hist_word(v, n, (const char *const[]){"mfrom", "helo"}, 2);
		break;
	case HT_DISP:
		x = hist_word(v, n, hist_disp_words, NWORDS(hist_disp_words));
		break;
	case HT_REASON:
		x = hist_word(v, n, hist_reason_words,
			      NWORDS(hist_reason_words));
		break;
	case HT_RUA:
		if (r->nrua >= DMARCHIST_MAXRUA ||
		    hist_get_value(v, n, r->rua[r->nrua], DMARCHIST_NAME) < 0 ||
		    r->rua[r->nrua][0] == '\0')
			return -1;
		r->nrua++;
		return 0;
	case HT_DKIM:
		return hist_get_dkim(v, n, r);
	case HT_EOL:
		return n == 1 && v[0] == '1' ? 0 : -1;
	}
	if (x < 0)
		return -1;
	memcpy(base, &x, sizeof(x));
	return 0;
}

static const struct hist_field *
hist_find(const char *key, size_t n, size_t *idx)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strlen(dmarchist_fields[i].key) == n &&
		    memcmp(dmarchist_fields[i].key, key, n) == 0) {
			*idx = i;
			return &dmarchist_fields[i];
		}
	return NULL;
}

static int
hist_key_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int
dmarchist_parse(const char *line, size_t len, struct dmarchist_rec *r,
		char *err, size_t errlen)
{
	unsigned char seen[NFIELDS];
	const char *p, *end, *tok, *eq;
	size_t n, idx, i;
	const struct hist_field *f;

	dmarchist_init(r);
	memset(seen, 0, sizeof(seen));
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > DMARCHIST_LINE_MAX || len < 3 ||
	    memcmp(line, "v=1", 3) != 0 || (len > 3 && line[3] != ' ')) {
		snprintf(err, errlen, "not a v=1 history line");
		return DKIMSA_ESYNTAX;
	}
	p = line + 3;
	end = line + len;
	while (p < end) {
		if (*p != ' ') {
			snprintf(err, errlen, "fields must be one space apart");
			return DKIMSA_ESYNTAX;
		}
		tok = ++p;
		while (p < end && *p != ' ')
			p++;
		n = (size_t)(p - tok);
		eq = memchr(tok, '=', n);
		if (eq == NULL || !hist_key_ok(tok, (size_t)(eq - tok))) {
			snprintf(err, errlen, "field %zu is not key=value",
				 (size_t)(tok - line));
			return DKIMSA_ESYNTAX;
		}
		f = hist_find(tok, (size_t)(eq - tok), &idx);
		if (f == NULL)
			continue; /* a newer writer's key */
		if (seen[idx] && f->type != HT_RUA && f->type != HT_DKIM) {
			snprintf(err, errlen, "duplicate %s=", f->key);
			return DKIMSA_ESYNTAX;
		}
		seen[idx] = 1;
		if (hist_get_field(f, eq + 1, (size_t)(p - eq - 1), r) < 0) {
			snprintf(err, errlen, "bad value for %s=", f->key);
			return DKIMSA_ESYNTAX;
		}
		if (f->type == HT_EOL && p != end) {
			snprintf(err, errlen, "eol=1 is not the last field");
			return DKIMSA_ESYNTAX;
		}
	}
	for (i = 0; i < NFIELDS; i++)
		if (dmarchist_fields[i].required && !seen[i]) {
			snprintf(err, errlen,
				 "missing %s=", dmarchist_fields[i].key);
			return DKIMSA_ESYNTAX;
		}
	return DKIMSA_OK;
}
