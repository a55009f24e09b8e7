/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_seal.c - adding an ARC set, RFC 8617 section 5.1: after the chain
 * was validated, i = N + 1 and cv= from that validation (none for the
 * first set).  The ARC-Authentication-Results is "i=N; authserv-id;
 * results"; the ARC-Message-Signature is a DKIM signature (relaxed/
 * relaxed, the body hash computed while the body streamed through
 * arc.c) over the h= fields; the ARC-Seal signs every set up to the new
 * one in relaxed form (5.1.1).  Tags are written in name order, with
 * single spaces or CRLF TAB folds between them and b= kept on its line,
 * so the field hashed with an empty b= is the field sent with its b=
 * value removed.  Fields are folded by sig.c, hashed by dkimhash.c and
 * signed by crypto.c; the caller frees the three fields.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arc.h"
#include "authres.h"
#include "b64.h"
#include "dkimhash.h"

/* RFC 8601 authserv-id as we write it: a plain value, no ";" or space. */
static int
arc_seal_id_ok(const char *id)
{
	return id != NULL && *id && authres_value_ok(id) &&
	       strpbrk(id, "; \t\"()") == NULL;
}

/*
 * The caller's results: 7-bit, no control character except CRLF + WSP
 * folds, no line that is only white space, at most DKIMSA_AR_MAX bytes.
 */
static int
arc_seal_results_ok(const char *r)
{
	size_t i, len = strlen(r);

	if (len > DKIMSA_AR_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)r[i];

		if (c == '\r') {
			if (r[i + 1] != '\n' ||
			    (r[i + 2] != ' ' && r[i + 2] != '\t'))
				return 0;
			i++;
		} else if ((c < 0x20 && c != '\t') || c > 0x7e) {
			return 0;
		}
	}
	return 1;
}

/* The instance of the new set: above every ARC-Seal seen. */
static int
arc_seal_instance(const dkimsa_arc *a)
{
	size_t i, seals = 0;

	for (i = 0; i < a->hdrs.n; i++)
		seals += hdr_name_is(&a->hdrs.v[i], "arc-seal", 8);
	return (a->nsets > (int)seals ? a->nsets : (int)seals) + 1;
}

/*
 * The AMS h= names: the caller's, or every instance present of the
 * library's default list.  names[] point into *store.
 */
static int
arc_seal_names(const dkimsa_arc *a, const dkimsa_arc_seal_opts *o,
	       const char ***names, size_t *count)
{
	const char *p = dkimsa_default_sign_headers;
	size_t n = 0, i, k, cap = 64;

	if (o->headers != NULL) {
		while (o->headers[n] != NULL)
			n++;
		*names = malloc((n + 1) * sizeof(char *));
		if (*names == NULL)
			return DKIMSA_ENOMEM;
		memcpy(*names, o->headers, n * sizeof(char *));
		*count = n;
		return 0;
	}
	*names = malloc(cap * sizeof(char *));
	while (*names != NULL && *p) {
		k = strcspn(p, ":");
		for (i = 0; i < a->hdrs.n; i++) {
			if (!hdr_name_is(&a->hdrs.v[i], p, k))
				continue;
			if (n == cap) {
				const char **nv =
				    realloc(*names, 2 * cap * sizeof(char *));

				if (nv == NULL)
					break;
				*names = nv;
				cap *= 2;
			}
			(*names)[n++] = strndup(p, k);
			if ((*names)[n - 1] == NULL)
				break;
		}
		p += k + (p[k] == ':');
	}
	*count = n;
	if (*names == NULL || (n > 0 && (*names)[n - 1] == NULL))
		return DKIMSA_ENOMEM;
	return 0;
}

static void
arc_seal_names_free(const dkimsa_arc_seal_opts *o, const char **names,
		    size_t count)
{
	size_t i;

	for (i = 0; o->headers == NULL && names != NULL && i < count; i++)
		free((char *)names[i]);
	free(names);
}

/* Signs digest md with the key and appends " b=VALUE;" then the rest. */
static int
arc_seal_sign(const dkimsa_arc_seal_opts *o, int alg, const unsigned char *md,
	      size_t mdlen, buf *b64)
{
	buf raw;
	int rc;

	buf_init(&raw);
	rc = crypto_sign(o->key, alg, md, mdlen, &raw);
	if (rc == 0)
		rc = b64_encode(b64, raw.data, raw.len);
	buf_free(&raw);
	return rc;
}

/*
 * b= on lines of its own, 72 characters of tag a line ("b=" and 70, then
 * 72), folded with CRLF SP: the layout of the ARC reference sealer, so
 * that the relaxed form of our AMS (its b= value with the spaces the
 * folds become) is the one the suite's expected ARC-Seal signed.  The
 * value never starts on a new line (RFC 6376 3.7: the fold would stay
 * when the value is removed).
 */
static void
arc_seal_b(buf *out, const char *b64)
{
	size_t len = strlen(b64), room = 70;

	buf_adds(out, "\r\n b=");
	while (len > 0) {
		size_t n = len < room ? len : room;

		buf_add(out, b64, n);
		b64 += n;
		len -= n;
		if (len > 0)
			buf_adds(out, "\r\n ");
		room = 72;
	}
	buf_addc(out, ';');
}

/*
 * Lays out "Name: tag; tag; ..." with b= second-in-order at its place:
 * tags[0] is "a=...", then b= (value b64, "" when hashing), then the rest.
 * The last tag has no ";".
 */
static int
arc_seal_layout(buf *out, const char *name, char *const *tags, size_t n,
		const char *b64)
{
	buf tok;
	size_t i;

	buf_init(&tok);
	buf_adds(out, name);
	buf_addc(out, ':');
	for (i = 0; i < n; i++) {
		if (i == 1) {
			arc_seal_b(out, b64);
			continue;
		}
		buf_reset(&tok);
		buf_printf(&tok, "%s%s", tags[i], i + 1 < n ? ";" : "");
		sig_fold_add(out, tok.data,
			     strncmp(tags[i], "h=", 2) == 0    ? ":"
			     : strncmp(tags[i], "bh=", 3) == 0 ? NULL
							       : "");
	}
	buf_free(&tok);
	return out->err;
}

/* One tag "name=value" (caller frees); NULL when out of memory. */
static char *arc_seal_tag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *
arc_seal_tag(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void
arc_seal_tags_free(char **tags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tags[i]);
}

/* "a=" "b=" "bh=" "c=" "d=" "h=" "i=" "s=" "t=" */
static int
arc_seal_ams(dkimsa_arc *a, const dkimsa_arc_seal_opts *o, int inst, int alg,
	     long long t, buf *out)
{
	const char **names = NULL;
	const struct body_hash *own = NULL;
	char *tags[9] = {NULL};
	unsigned char md[CRYPTO_MAX_MD];
	size_t count = 0, mdlen = 0, i;
	buf bh, hl, b64, field;
	int rc;

	buf_init(&bh);
	buf_init(&hl);
	buf_init(&b64);
	buf_init(&field);
	rc = arc_seal_names(a, o, &names, &count);
	for (i = 0; rc == 0 && i < count; i++) {
		if (i > 0)
			buf_addc(&hl, ':');
		buf_adds(&hl, names[i]);
	}
	if (rc == 0 && (own = body_get(a->body, a->seal_bh)) == NULL)
		rc = DKIMSA_ECRYPTO;
	if (rc == 0)
		rc = b64_encode(&bh, own->md, own->mdlen);
	if (rc == 0 && (rc = hl.err) == 0) {
		tags[0] = arc_seal_tag("a=%s", dkimsa_alg_name(alg));
		tags[1] = arc_seal_tag("b=");
		tags[2] = arc_seal_tag("bh=%s", bh.data ? bh.data : "");
		tags[3] = arc_seal_tag("c=relaxed/relaxed");
		tags[4] = arc_seal_tag("d=%s", o->domain);
		tags[5] = arc_seal_tag("h=%s", hl.data ? hl.data : "");
		tags[6] = arc_seal_tag("i=%d", inst);
		tags[7] = arc_seal_tag("s=%s", o->selector);
		tags[8] = arc_seal_tag("t=%lld", t);
		for (i = 0; i < 9; i++)
			if (tags[i] == NULL)
				rc = DKIMSA_ENOMEM;
	}
	if (rc == 0)
		rc = arc_seal_layout(&field, "ARC-Message-Signature", tags, 9,
				     "");
	if (rc == 0)
		rc = dkimhash_headers(&a->hdrs, (char *const *)names, count,
				      DKIMSA_CANON_RELAXED, field.data,
				      field.len, alg, md, &mdlen);
	if (rc == 0)
		rc = arc_seal_sign(o, alg, md, mdlen, &b64);
	if (rc == 0)
		rc = arc_seal_layout(out, "ARC-Message-Signature", tags, 9,
				     b64.data);
	arc_seal_tags_free(tags, 9);
	arc_seal_names_free(o, names, count);
	buf_free(&bh);
	buf_free(&hl);
	buf_free(&b64);
	buf_free(&field);
	return rc;
}

/* "a=" "b=" "cv=" "d=" "i=" "s=" "t=" over the sets 1..inst (5.1.1). */
static int
arc_seal_as(dkimsa_arc *a, const dkimsa_arc_seal_opts *o, int inst, int alg,
	    long long t, const char *cv, const struct hdrs *ext, buf *out)
{
	const struct hdr *fields[3 * ARC_MAX_SETS + 2];
	char *tags[7] = {NULL};
	unsigned char md[CRYPTO_MAX_MD];
	size_t n = 0, mdlen = 0;
	buf b64, field;
	int j, rc = 0;

	buf_init(&b64);
	buf_init(&field);
	for (j = 1; j < inst && j <= a->nsets; j++) {
		const struct arc_set *s = &a->set[j];

		if (s->aar < 0 || s->ams < 0 || s->as < 0)
			continue; /* a broken chain: what there is */
		fields[n++] = &a->hdrs.v[s->aar];
		fields[n++] = &a->hdrs.v[s->ams];
		fields[n++] = &a->hdrs.v[s->as];
	}
	fields[n++] = &ext->v[0];
	fields[n++] = &ext->v[1];
	tags[0] = arc_seal_tag("a=%s", dkimsa_alg_name(alg));
	tags[1] = arc_seal_tag("b=");
	tags[2] = arc_seal_tag("cv=%s", cv);
	tags[3] = arc_seal_tag("d=%s", o->domain);
	tags[4] = arc_seal_tag("i=%d", inst);
	tags[5] = arc_seal_tag("s=%s", o->selector);
	tags[6] = arc_seal_tag("t=%lld", t);
	for (j = 0; j < 7; j++)
		if (tags[j] == NULL)
			rc = DKIMSA_ENOMEM;
	if (rc == 0)
		rc = arc_seal_layout(&field, "ARC-Seal", tags, 7, "");
	if (rc == 0)
		rc = dkimhash_fields(fields, n, DKIMSA_CANON_RELAXED,
				     field.data, field.len, alg, md, &mdlen);
	if (rc == 0)
		rc = arc_seal_sign(o, alg, md, mdlen, &b64);
	if (rc == 0)
		rc = arc_seal_layout(out, "ARC-Seal", tags, 7, b64.data);
	arc_seal_tags_free(tags, 7);
	buf_free(&b64);
	buf_free(&field);
	return rc;
}

static int
arc_seal_check(const dkimsa_arc *a, const dkimsa_arc_seal_opts *o)
{
	if (a->state != 2)
		return DKIMSA_ESTATE;
	if (a->seal_bh < 0)
		return DKIMSA_ENOSEAL; /* no dkimsa_arc_set_sealing */
	if (o == NULL || o->key == NULL || o->domain == NULL ||
	    o->selector == NULL ||
	    !sig_domain_ok(o->domain, strlen(o->domain)) ||
	    !sig_domain_ok(o->selector, strlen(o->selector)) ||
	    !arc_seal_id_ok(o->authserv_id) ||
	    (o->results != NULL && !arc_seal_results_ok(o->results)) ||
	    (o->cv != NULL && strcmp(o->cv, "pass") != 0 &&
	     strcmp(o->cv, "fail") != 0))
		return DKIMSA_EINVAL;
	if (a->nsets > 0 && a->set[a->nsets].as >= 0 &&
	    a->set[a->nsets].as_sig.cv == SIG_CV_FAIL)
		return DKIMSA_ESTATE; /* nothing after a failed seal */
	if (arc_seal_instance(a) > ARC_MAX_SETS)
		return DKIMSA_ESTATE;
	return 0;
}

int
dkimsa_arc_seal(dkimsa_arc *a, const dkimsa_arc_seal_opts *o, char **aar,
		char **ams, char **as)
{
	int inst, alg, rc;
	const char *cv;
	long long t;
	struct hdrs ext;
	buf f_aar, f_ams, f_as;

	*aar = *ams = *as = NULL;
	if ((rc = arc_seal_check(a, o)) != 0)
		return rc;
	inst = arc_seal_instance(a);
	alg = dkimsa_key_alg(o->key);
	t = o->t > 0 ? o->t : a->now;
	cv = a->res.result == DKIMSA_RES_PASS		     ? "pass"
	     : a->res.result == DKIMSA_RES_NONE && inst == 1 ? "none"
							     : "fail";
	if (o->cv != NULL && inst > 1)
		cv = o->cv;
	hdrs_init(&ext);
	buf_init(&f_aar);
	buf_init(&f_ams);
	buf_init(&f_as);
	buf_printf(&f_aar, "ARC-Authentication-Results: i=%d; %s;", inst,
		   o->authserv_id);
	sig_fold_add(&f_aar, o->results && *o->results ? o->results : "none",
		     "");
	rc = f_aar.err;
	if (rc == 0)
		rc = arc_seal_ams(a, o, inst, alg, t, &f_ams);
	if (rc == 0)
		rc = hdrs_add(&ext, f_aar.data, f_aar.len);
	if (rc == 0)
		rc = hdrs_add(&ext, f_ams.data, f_ams.len);
	if (rc == 0)
		rc = arc_seal_as(a, o, inst, alg, t, cv, &ext, &f_as);
	if (rc == 0) {
		*aar = buf_steal(&f_aar);
		*ams = buf_steal(&f_ams);
		*as = buf_steal(&f_as);
	}
	hdrs_free(&ext);
	buf_free(&f_aar);
	buf_free(&f_ams);
	buf_free(&f_as);
	return rc;
}
