/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sid_pra.c - Purported Responsible Address (RFC 4407 section 2): which
 * field holds it; its mailbox is read by the library's one RFC 5322
 * parser (rfc5322.c).
 *
 * Memory: the field list is local to sid_pra_find(); returned strings are
 * the caller's.
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

/*
 * RFC 4407 section 2 steps 1-4: the index of the chosen field, or -1 with
 * *failed the field that made the message ill-formed (-1 when none of
 * that name exists) and *name its name.
 */
static int
pra_choose(const struct pra_field *f, int n, int *failed, const char **name,
	   char *err, size_t errlen)
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
		*failed = pra_first(f, 0, n, "Sender");
		*name = "Sender";
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
	*failed = pra_first(f, 0, n, "From");
	*name = "From";
	return -1;
}

/* The value of f on one line: folds and surrounding white space gone. */
static char *
pra_unfold(const struct pra_field *f)
{
	const char *v = f->val;
	size_t len = f->vlen, i;
	buf b;

	buf_init(&b);
	while (len > 0 && pra_wsp(v[0])) {
		v++;
		len--;
	}
	while (len > 0 && pra_wsp(v[len - 1]))
		len--;
	for (i = 0; i < len; i++)
		if (v[i] != '\r' && v[i] != '\n')
			buf_addc(&b, v[i] == '\t' ? ' ' : v[i]);
	if (b.err) {
		buf_free(&b);
		return NULL;
	}
	return b.data ? buf_steal(&b) : strdup("");
}

static char *
pra_name(const struct pra_field *f)
{
	return strndup(f->name, f->nlen);
}

int
sid_pra_find(const char *hdr, size_t len, char **mailbox, char **field,
	     char *err, size_t errlen)
{
	struct pra_field *f;
	const char *name = NULL;
	int n, pick, rc, failed = -1;

	*mailbox = *field = NULL;
	f = calloc(PRA_MAX_FIELDS, sizeof(*f));
	if (f == NULL)
		return DKIMSA_ENOMEM;
	n = pra_fields(hdr, len, f, PRA_MAX_FIELDS);
	pick = pra_choose(f, n, &failed, &name, err, errlen);
	if (pick < 0) {
		*field = failed >= 0 ? pra_name(&f[failed]) : strdup(name);
		*mailbox = failed >= 0 ? pra_unfold(&f[failed]) : strdup("");
		free(f);
		if (*field == NULL || *mailbox == NULL)
			return DKIMSA_ENOMEM;
		return DKIMSA_ESYNTAX;
	}
	rc = dkimsa_rfc5322_mailbox(f[pick].val, f[pick].vlen, mailbox);
	if (rc == DKIMSA_ESYNTAX || rc == DKIMSA_EMULTIPLE) {
		snprintf(err, errlen, "%.*s: %s", (int)f[pick].nlen,
			 f[pick].name,
			 rc == DKIMSA_EMULTIPLE ? "more than one mailbox"
						: "no valid mailbox");
		rc = DKIMSA_ESYNTAX;
		*mailbox = pra_unfold(&f[pick]);
	}
	if ((rc == 0 || rc == DKIMSA_ESYNTAX) &&
	    ((*field = pra_name(&f[pick])) == NULL || *mailbox == NULL))
		rc = DKIMSA_ENOMEM;
	free(f);
	return rc;
}
