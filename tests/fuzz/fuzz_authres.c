/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_authres.c - Authentication-Results (RFC 8601, authres.c).
 *
 * Reading: the authserv-id reader behind forgery removal
 * (dkimsa_ar_is_ours) on a hostile field value, and the same value read
 * as an ARC-Authentication-Results (milter/arcaar.c: "i=N;" first); the
 * grammar reader (dkimsa_ar_parse, dkimsa_arc_aar_parse: authres_read.c)
 * on the same value: within its limits, keywords lower-case, no line end
 * in any string, and an authserv-id the forgery check reads the same.
 *
 * Writing: the one A-R formatter (dkimsa_ar_new, _method, _comment,
 * _prop, _add_dkim, _finish, and dkimsa_ar_format_dkim) fed hostile
 * values, as senders control HELO, MAIL FROM, From and signature tags.
 * The field must read back as ours, be 7-bit with CRLF TAB folds only,
 * stay under DKIMSA_AR_MAX, and parse back (with the small reader below)
 * into resinfos and properties that we added, in order, with the values
 * we gave: nothing a sender wrote may end a resinfo or add a property.
 * The library's reader (dkimsa_ar_parse) must parse every field we write
 * into the same results and properties as the small reader does.
 *
 * Input: the field value for the reader; after a first NUL byte, records
 * separated by NUL bytes for the writer, each an operation byte then
 * data: 0 method (method byte, result byte), 1 comment (text), 2 property
 * (property byte, value), 3 a DKIM result (result, alg, key byte, then
 * d, s, i, b and reason separated by 0x01 bytes).
 */
#include "arcaar.h"
#include "dkimsa.h"
#include "fuzz.h"

#define AR_ID "mx.example.org"
#define AR_RES_MAX 64
#define AR_PROP_MAX 16

static const char *const ar_methods[] = {"dkim",	 "spf",	  "sender-id",
					 "dkim-adsp",	 "dmarc", "auth",
					 "x-bad method", ""};
static const char *const ar_props[][2] = {
    {"smtp", "mailfrom"}, {"smtp", "helo"},   {"header", "from"},
    {"header", "d"},	  {"header", "i"},    {"policy", "x"},
    {"header", "sender"}, {"bad ptype", "x"},
};

struct ar_prop {
	char name[32];
	char *value; /* unquoted */
	char *raw;   /* as written (parsed only), or NULL */
};

struct ar_res {
	char method[32], result[16];
	struct ar_prop prop[AR_PROP_MAX];
	int nprop;
};

struct ar_model {
	struct ar_res res[AR_RES_MAX];
	int n;
};

/* ---- the reader for the parse-back ---- */

static size_t
ar_skip_cfws(const char *s, size_t i)
{
	int depth;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (s[i] != '(')
			return i;
		for (depth = 0;; i++) {
			FUZZ_CHECK(s[i] != '\0'); /* unterminated comment */
			if (s[i] == '\\')
				i++;
			else if (s[i] == '(')
				depth++;
			else if (s[i] == ')' && --depth == 0)
				break;
		}
		i++;
	}
}

/* ptype.property, method and result names: letters, digits, - _ . */
static size_t
ar_name(const char *s, size_t i, char *out, size_t outlen)
{
	size_t n = 0;

	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	       (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' ||
	       s[i] == '.') {
		FUZZ_CHECK(n + 1 < outlen);
		out[n++] = s[i++];
	}
	out[n] = '\0';
	FUZZ_CHECK(n > 0);
	return i;
}

/* End of the value at s[i]: a quoted-string (maybe followed by
 * "@domain") or a token. */
static size_t
ar_value_end(const char *s, size_t i)
{
	size_t start = i;

	if (s[i] == '"') {
		for (i++; s[i] != '"'; i++) {
			FUZZ_CHECK(s[i] != '\0');
			if (s[i] == '\\')
				i++;
		}
		i++;
	}
	if (i == start || s[i] == '@')
		while (s[i] > ' ' && s[i] < 0x7f && s[i] != ';' &&
		       s[i] != '(' && s[i] != '"' && s[i] != '\\')
			i++;
	return i;
}

/* The value at s[i]: *out unquoted, *raw as written; returns its end. */
static size_t
ar_value(const char *s, size_t i, char **out, char **raw)
{
	size_t end = ar_value_end(s, i), n = 0;
	char *v = malloc(end - i + 1);

	FUZZ_CHECK(v != NULL);
	*raw = fuzz_strdup((const uint8_t *)s + i, end - i);
	FUZZ_CHECK(*raw != NULL);
	for (; i < end; i++) {
		if (s[i] == '"')
			continue;
		if (s[i] == '\\')
			i++;
		v[n++] = s[i];
	}
	v[n] = '\0';
	*out = v;
	return end;
}

static void
ar_model_free(struct ar_model *m)
{
	int i, j;

	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->res[i].nprop; j++) {
			free(m->res[i].prop[j].value);
			free(m->res[i].prop[j].raw);
		}
}

/* Parses our field value (folds removed) into m. */
static void
ar_parse(const char *s, struct ar_model *m)
{
	char id[64];
	struct ar_res *r;
	size_t i;

	i = ar_skip_cfws(s, 0);
	i = ar_name(s, i, id, sizeof(id));
	FUZZ_CHECK(strcmp(id, AR_ID) == 0);
	i = ar_skip_cfws(s, i);
	if (strncmp(s + i, "; none", 6) == 0)
		i = ar_skip_cfws(s, i + 6);
	while (s[i] == ';') {
		FUZZ_CHECK(m->n < AR_RES_MAX);
		r = &m->res[m->n++];
		memset(r, 0, sizeof(*r));
		i = ar_name(s, ar_skip_cfws(s, i + 1), r->method,
			    sizeof(r->method));
		FUZZ_CHECK(s[i] == '=');
		i = ar_skip_cfws(
		    s, ar_name(s, i + 1, r->result, sizeof(r->result)));
		while (s[i] != '\0' && s[i] != ';') {
			FUZZ_CHECK(r->nprop < AR_PROP_MAX);
			i = ar_name(s, i, r->prop[r->nprop].name,
				    sizeof(r->prop[0].name));
			FUZZ_CHECK(s[i] == '=');
			i = ar_value(s, i + 1, &r->prop[r->nprop].value,
				     &r->prop[r->nprop].raw);
			r->nprop++;
			i = ar_skip_cfws(s, i);
		}
	}
	FUZZ_CHECK(s[i] == '\0');
}

/* A property shown as one we added (quoted or as it was given). */
static int
ar_same(const struct ar_prop *w, const struct ar_prop *g)
{
	return strcmp(w->name, g->name) == 0 &&
	       (strcmp(w->value, g->value) == 0 ||
		strcmp(w->value, g->raw) == 0);
}

/* What was shown is what we added: got's resinfos and properties are
 * subsequences of want's (left-out values and resinfos are allowed). */
static void
ar_compare(const struct ar_model *want, const struct ar_model *got)
{
	int i, j, wi = 0, wj;

	for (i = 0; i < got->n; i++, wi++) {
		const struct ar_res *g = &got->res[i];

		while (wi < want->n &&
		       (strcmp(want->res[wi].method, g->method) != 0 ||
			strcmp(want->res[wi].result, g->result) != 0))
			wi++;
		FUZZ_CHECK(wi < want->n);
		for (j = 0, wj = 0; j < g->nprop; j++, wj++) {
			const struct ar_res *w = &want->res[wi];

			while (wj < w->nprop &&
			       !ar_same(&w->prop[wj], &g->prop[j]))
				wj++;
			if (wj >= w->nprop)
				fprintf(stderr, "unexpected %s=%s in %s\n",
					g->prop[j].name, g->prop[j].value,
					g->method);
			FUZZ_CHECK(wj < w->nprop);
		}
	}
}

/* 7-bit, CRLF only before a TAB; returns the value unfolded. */
static char *
ar_unfold(const char *v)
{
	char *u = malloc(strlen(v) + 1), *q = u;

	FUZZ_CHECK(u != NULL);
	for (; *v; v++) {
		FUZZ_CHECK((unsigned char)*v < 0x7f);
		FUZZ_CHECK(*v >= ' ' || *v == '\t' || *v == '\r' || *v == '\n');
		if (*v == '\r') {
			FUZZ_CHECK(v[1] == '\n' && v[2] == '\t');
			v++;
			continue;
		}
		FUZZ_CHECK(*v != '\n');
		*q++ = *v;
	}
	*q = '\0';
	return u;
}

/* ---- the library's reader ---- */

static void
ar_check_keyword(const char *k)
{
	FUZZ_CHECK(k != NULL && *k != '\0');
	for (; *k; k++)
		FUZZ_CHECK((*k >= 'a' && *k <= 'z') ||
			   (*k >= '0' && *k <= '9') || *k == '-');
}

static void
ar_check_string(const char *v)
{
	FUZZ_CHECK(v != NULL);
	FUZZ_CHECK(strchr(v, '\r') == NULL && strchr(v, '\n') == NULL);
}

/* What dkimsa_ar_parse gave holds to its promises. */
static void
ar_check_parsed(const dkimsa_ar_parsed *p, const char *value, size_t len,
		int aar)
{
	size_t i, j;

	FUZZ_CHECK(p->nresinfo <= DKIMSA_AR_MAX_RESINFO);
	FUZZ_CHECK(aar ? p->instance >= 1 && p->instance <= 50
		       : p->instance == 0);
	ar_check_string(p->authserv_id);
	FUZZ_CHECK(*p->authserv_id != '\0');
	if (!aar)
		FUZZ_CHECK(dkimsa_ar_is_ours(value, len, p->authserv_id) == 1);
	for (i = 0; i < p->nresinfo; i++) {
		const dkimsa_ar_resinfo *r = &p->resinfo[i];

		ar_check_keyword(r->method);
		ar_check_keyword(r->result);
		if (r->reason != NULL)
			ar_check_string(r->reason);
		FUZZ_CHECK(r->nprops <= DKIMSA_AR_MAX_PROPS);
		for (j = 0; j < r->nprops; j++) {
			if (*r->props[j].ptype)
				ar_check_keyword(r->props[j].ptype);
			ar_check_keyword(r->props[j].property);
			ar_check_string(r->props[j].value);
		}
	}
}

static void
ar_read(const char *value, size_t len)
{
	dkimsa_ar_parsed *p = NULL;
	char why[200];

	if (dkimsa_ar_parse(value, len, &p, why, sizeof(why)) == 0) {
		ar_check_parsed(p, value, len, 0);
		dkimsa_ar_parsed_free(p);
	}
	if (dkimsa_arc_aar_parse(value, len, &p, why, sizeof(why)) == 0) {
		ar_check_parsed(p, value, len, 1);
		dkimsa_ar_parsed_free(p);
	}
}

/* Our field, parsed by the library: the same results as got. */
static void
ar_read_back(const char *value, const struct ar_model *got)
{
	dkimsa_ar_parsed *p = NULL;
	char why[200] = "", name[80];
	size_t i, j;

	int over = got->n > DKIMSA_AR_MAX_RESINFO, k;

	for (k = 0; k < got->n; k++)
		over |= got->res[k].nprop > DKIMSA_AR_MAX_PROPS;
	if (dkimsa_ar_parse(value, strlen(value), &p, why, sizeof(why)) != 0 &&
	    !over)
		fprintf(stderr, "our field unparsed: %s: %s\n", why, value);
	/* past a limit: unparsed, as any field would be */
	FUZZ_CHECK(over ? p == NULL : p != NULL);
	if (over)
		return;
	FUZZ_CHECK(strcmp(p->authserv_id, AR_ID) == 0);
	FUZZ_CHECK(p->nresinfo == (size_t)got->n);
	for (i = 0; i < p->nresinfo; i++) {
		const dkimsa_ar_resinfo *r = &p->resinfo[i];
		const struct ar_res *g = &got->res[i];

		FUZZ_CHECK(strcmp(r->method, g->method) == 0);
		FUZZ_CHECK(strcmp(r->result, g->result) == 0);
		FUZZ_CHECK(r->reason == NULL);
		FUZZ_CHECK(r->nprops == (size_t)g->nprop);
		for (j = 0; j < r->nprops; j++) {
			snprintf(name, sizeof(name), "%s.%s", r->props[j].ptype,
				 r->props[j].property);
			FUZZ_CHECK(strcmp(name, g->prop[j].name) == 0);
			FUZZ_CHECK(
			    strcmp(r->props[j].value, g->prop[j].value) == 0);
		}
	}
	dkimsa_ar_parsed_free(p);
}

/* ---- the writer ---- */

struct ar_writer {
	dkimsa_ar *ar;
	struct ar_model want;
	int open; /* a resinfo is open in want */
};

static void
ar_want_res(struct ar_writer *w, const char *method, int result)
{
	struct ar_res *r;

	FUZZ_CHECK(w->want.n < AR_RES_MAX);
	r = &w->want.res[w->want.n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->method, sizeof(r->method), "%s", method);
	snprintf(r->result, sizeof(r->result), "%s", dkimsa_res_name(result));
	w->open = 1;
}

static void
ar_want_prop(struct ar_writer *w, const char *ptype, const char *property,
	     const char *value)
{
	struct ar_res *r;
	struct ar_prop *p;
	char *v, *c;

	if (!w->open)
		return;
	r = &w->want.res[w->want.n - 1];
	FUZZ_CHECK(r->nprop < AR_PROP_MAX);
	p = &r->prop[r->nprop++];
	snprintf(p->name, sizeof(p->name), "%s.%s", ptype, property);
	/* a TAB inside a quoted-string is written as a space */
	v = strdup(value);
	FUZZ_CHECK(v != NULL);
	for (c = v; *c; c++)
		if (*c == '\t')
			*c = ' ';
	p->value = v;
}

static void
ar_op_dkim(struct ar_writer *w, const char *d, size_t len)
{
	char *copy = fuzz_strdup((const uint8_t *)d, len), *part[5], *p;
	dkimsa_sigresult r;
	char b8[9], *one = NULL;
	int i;

	FUZZ_CHECK(copy != NULL);
	for (i = 0, p = copy + (len >= 3 ? 3 : len); i < 5; i++) {
		part[i] = p;
		if ((p = strchr(p, '\x01')) != NULL)
			*p++ = '\0';
		else
			p = copy + len;
	}
	memset(&r, 0, sizeof(r));
	r.result = len > 0 ? (unsigned char)d[0] % 11 : 0;
	r.alg = len > 1 ? (unsigned char)d[1] % 4 : 0;
	r.key_bits = len > 2 ? (unsigned char)d[2] * 16u : 0;
	r.key_secure = len > 2 ? (unsigned char)d[2] % 3 - 1 : -1;
	r.domain = part[0];
	r.selector = part[1];
	r.auid = part[2];
	r.b = part[3];
	r.reason = part[4];
	r.body_limit = -1;
	if (dkimsa_ar_add_dkim(w->ar, &r) == 0) {
		ar_want_res(w, "dkim", r.result);
		if (*r.domain)
			ar_want_prop(w, "header", "d", r.domain);
		if (*r.auid)
			ar_want_prop(w, "header", "i", r.auid);
		if (*r.selector)
			ar_want_prop(w, "header", "s", r.selector);
		if (dkimsa_alg_name(r.alg) != NULL)
			ar_want_prop(w, "header", "a", dkimsa_alg_name(r.alg));
		if (*r.b) {
			snprintf(b8, sizeof(b8), "%s", r.b);
			ar_want_prop(w, "header", "b", b8);
		}
	}
	/* the one-resinfo form gives a whole resinfo too */
	if (dkimsa_ar_format_dkim(&r, &one) == 0) {
		FUZZ_CHECK(strncmp(one, "dkim=", 5) == 0);
		FUZZ_CHECK(strchr(one, ';') == NULL ||
			   strchr(one, '(') < strchr(one, ';'));
		free(one);
	}
	free(copy);
}

static void
ar_op(struct ar_writer *w, const char *d, size_t len)
{
	const char *const *pp;
	int m, res;

	if (len == 0)
		return;
	/* room in the model: a new resinfo, and in it 5 more properties */
	if (w->want.n >= AR_RES_MAX - 1 ||
	    (w->open && w->want.res[w->want.n - 1].nprop >= AR_PROP_MAX - 5))
		return;
	switch (d[0] & 3) {
	case 0:
		m = len > 1 ? (unsigned char)d[1] % 8 : 0;
		res = len > 2 ? (unsigned char)d[2] % 12 : 0;
		if (dkimsa_ar_method(w->ar, ar_methods[m], res) == 0)
			ar_want_res(w, ar_methods[m], res);
		break;
	case 1:
		(void)dkimsa_ar_comment(w->ar, d + 1);
		break;
	case 2:
		pp = ar_props[len > 1 ? (unsigned char)d[1] % 8 : 0];
		if (dkimsa_ar_prop(w->ar, pp[0], pp[1], len > 1 ? d + 2 : "") ==
		    0)
			ar_want_prop(w, pp[0], pp[1], len > 1 ? d + 2 : "");
		break;
	default:
		ar_op_dkim(w, d + 1, len - 1);
		break;
	}
}

static void
ar_write(const uint8_t *data, size_t size)
{
	struct ar_writer w;
	struct ar_model got;
	const uint8_t *rest;
	size_t restlen, n;
	char *value = NULL, *flat;

	memset(&w, 0, sizeof(w));
	if (dkimsa_ar_new(AR_ID, &w.ar) != 0)
		return;
	while (size > 0) {
		n = fuzz_split(data, size, '\0', &rest, &restlen);
		ar_op(&w, (const char *)data, n);
		data = rest;
		size = restlen;
	}
	if (dkimsa_ar_finish(w.ar, &value) == 0) {
		FUZZ_CHECK(strlen(value) <= DKIMSA_AR_MAX);
		FUZZ_CHECK(dkimsa_ar_is_ours(value, strlen(value), AR_ID) == 1);
		flat = ar_unfold(value);
		memset(&got, 0, sizeof(got));
		ar_parse(flat, &got);
		ar_compare(&w.want, &got);
		ar_read_back(value, &got);
		ar_model_free(&got);
		free(flat);
		free(value);
	}
	dkimsa_ar_free(w.ar);
	ar_model_free(&w.want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t restlen, vlen = fuzz_split(data, size, '\0', &rest, &restlen);
	char *copy;

	(void)dkimsa_ar_is_ours((const char *)data, vlen, AR_ID);
	(void)dkimsa_ar_is_ours((const char *)data, vlen, "");
	ar_read((const char *)data, vlen);
	if ((copy = fuzz_strdup(data, vlen)) != NULL) {
		(void)arcaar_claims(copy, AR_ID);
		free(copy);
	}
	if (vlen < size && (copy = fuzz_strdup(rest, restlen)) != NULL) {
		/* records are C strings: a copy with a final NUL */
		ar_write((const uint8_t *)copy, restlen);
		free(copy);
	}
	return 0;
}
