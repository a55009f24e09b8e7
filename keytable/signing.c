/*
 * signing.c - SigningTable lookups resolved through the KeyTable (see
 * signing.h for the rules, which are OpenDKIM's, from opendkim.conf(5)).
 *
 * Memory: a signing handle owns its keyset and its open SigningTable;
 * every match returned holds its own strings and key reference.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "keytable.h"
#include "signing.h"

#define SIGNING_PROBE_MAX 1100

struct signing {
	keyset *keys;
	kt_table *st;
	int multiple, subdomains;
	char stspec[1024];
};

/* State of one lookup. */
struct signing_run {
	signing *s;
	const char *addr, *domain;
	struct signing_match *v;
	size_t n;
	int rc; /* KT_ERROR after a failure */
	char *err;
	size_t errlen;
};

struct signing_check {
	signing *s;
	char *err;
	size_t errlen;
};

static int
signing_check_fn(void *arg, const char *key, const char *value,
		 const char *where)
{
	struct signing_check *c = arg;
	size_t n = strcspn(value, ":");
	char name[256];

	snprintf(name, sizeof(name), "%.*s", (int)n, value);
	if (n > 0 &&
	    (strcmp(name, "%") == 0 || keyset_find(c->s->keys, name) != NULL))
		return 0;
	if (n == 0)
		return kt_err(c->err, c->errlen,
			      "%s: SigningTable entry \"%s\" "
			      "names no key",
			      where, key);
	return kt_err(c->err, c->errlen,
		      "%s: SigningTable names key \"%.*s\", "
		      "which is not in KeyTable %s",
		      where, (int)n, value, c->s->keys->spec);
}

int
signing_open(const struct signing_opts *o, signing **out, char *err,
	     size_t errlen)
{
	struct keyfile_opts ko = {o->require_safe, o->uid, o->conf};
	struct signing_check c;
	signing *s;
	char *why = NULL;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		kt_err(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	s->multiple = o->multiple;
	s->subdomains = o->subdomains;
	rc = keyset_load(o->keytable, &ko, 1, &s->keys, err, errlen);
	if (rc == 0 && (s->st = kt_open(o->signingtable, 0, &why)) == NULL)
		rc = DKIMSA_ENOMEM;
	if (rc == 0) {
		kt_spec(s->st, s->stspec, sizeof(s->stspec));
		c.s = s;
		c.err = err;
		c.errlen = errlen;
		if (kt_walk(s->st, signing_check_fn, &c, err, errlen) != 0)
			rc = why != NULL ? DKIMSA_EIO : DKIMSA_ESYNTAX;
	}
	free(why);
	if (rc != 0) {
		signing_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* s with every "%" replaced by domain (malloc()ed), or NULL. */
static char *
signing_subst(const char *s, const char *domain)
{
	size_t n = 1, dl = strlen(domain);
	const char *p;
	char *out, *q;

	for (p = s; *p != '\0'; p++)
		n += *p == '%' ? dl : 1;
	if ((out = malloc(n)) == NULL)
		return NULL;
	for (p = s, q = out; *p != '\0'; p++) {
		if (*p == '%') {
			memcpy(q, domain, dl);
			q += dl;
		} else {
			*q++ = *p;
		}
	}
	*q = '\0';
	return out;
}

/* Adds the key a SigningTable value names; KT_ERROR when it is missing. */
static int
signing_add(struct signing_run *r, const char *value)
{
	const struct keyset_entry *e;
	struct signing_match *m, *v;
	char name[256], *signer = NULL;
	const char *colon = strchr(value, ':');
	size_t i, n = colon ? (size_t)(colon - value) : strlen(value);

	snprintf(name, sizeof(name), "%.*s", (int)n, value);
	e = keyset_find(r->s->keys, strcmp(name, "%") ? name : r->domain);
	if (e == NULL)
		return kt_err(r->err, r->errlen,
			      "SigningTable %s names key \"%s\" for %s, which "
			      "is not in KeyTable %s",
			      r->s->stspec,
			      strcmp(name, "%") ? name : r->domain, r->addr,
			      r->s->keys->spec);
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].keyname, e->name) == 0)
			return 0;
	if ((v = realloc(r->v, (r->n + 1) * sizeof(*v))) == NULL)
		return kt_err(r->err, r->errlen, "out of memory");
	r->v = v;
	m = &v[r->n++];
	memset(m, 0, sizeof(*m));
	if (colon != NULL && colon[1] != '\0')
		signer = strdup(colon + 1);
	m->keyname = strdup(e->name);
	m->domain = strdup(strcmp(e->domain, "%") ? e->domain : r->domain);
	m->selector = strdup(e->selector);
	m->key = dkimsa_key_ref(e->key);
	if (signer != NULL)
		m->signer = signing_subst(signer, r->domain);
	if (!m->keyname || !m->domain || !m->selector ||
	    (signer && !m->signer)) {
		free(signer);
		return kt_err(r->err, r->errlen, "out of memory");
	}
	free(signer);
	return 0;
}

static int
signing_value(void *arg, const char *value)
{
	struct signing_run *r = arg;

	if (signing_add(r, value) != 0) {
		r->rc = KT_ERROR;
		return 1;
	}
	return !r->s->multiple;
}

/* One probe; 1 when the search should stop (first hit, or an error). */
static int
signing_probe(struct signing_run *r, const char *key)
{
	int rc = kt_get_all(r->s->st, key, signing_value, r, r->err, r->errlen);

	if (rc == KT_ERROR)
		r->rc = KT_ERROR;
	return r->rc == KT_ERROR || (rc == KT_FOUND && !r->s->multiple);
}

/* Probes "user@rest"; 1 when the search should stop. */
static int
signing_probe_at(struct signing_run *r, const char *user, const char *rest)
{
	char key[SIGNING_PROBE_MAX];
	int n = snprintf(key, sizeof(key), "%s@%s", user, rest);

	if (n < 0 || (size_t)n >= sizeof(key))
		return 0;
	return signing_probe(r, key);
}

/* OpenDKIM's probe order for non-pattern tables. */
static void
signing_probes(struct signing_run *r, const char *user)
{
	const char *p;

	if (user != NULL && signing_probe_at(r, user, r->domain))
		return;
	if (signing_probe(r, r->domain))
		return;
	for (p = strchr(r->domain, '.'); user != NULL && p != NULL;
	     p = strchr(p + 1, '.'))
		if (signing_probe_at(r, user, p))
			return;
	for (p = strchr(r->domain, '.'); p != NULL; p = strchr(p + 1, '.'))
		if (signing_probe(r, p))
			return;
	if (user != NULL && signing_probe_at(r, user, "*"))
		return;
	signing_probe(r, "*");
}

/* SubDomains: the lookup again for user@PARENT, if PARENT has a dot. */
static int
signing_lookup_parent(signing *s, const char *addr, struct signing_match **out,
		      size_t *n, char *err, size_t errlen)
{
	const char *at = strrchr(addr, '@'), *dom = at ? at + 1 : addr;
	const char *dot = strchr(dom, '.');
	char buf[SIGNING_PROBE_MAX];

	if (dot == NULL || strchr(dot + 1, '.') == NULL)
		return KT_NOTFOUND;
	snprintf(buf, sizeof(buf), "%.*s%s", (int)(dom - addr), addr, dot + 1);
	return signing_lookup(s, buf, out, n, err, errlen);
}

int
signing_domain(kt_table *t, const char *domain, int subdomains, char *matched,
	       size_t mlen, char *err, size_t errlen)
{
	const char *d = domain, *dot;
	char *val = NULL;
	int rc;

	for (;;) {
		rc = kt_get(t, d, &val, err, errlen);
		free(val);
		val = NULL;
		if (rc != KT_NOTFOUND) {
			if (rc == KT_FOUND)
				snprintf(matched, mlen, "%s", d);
			return rc;
		}
		dot = strchr(d, '.');
		if (!subdomains || dot == NULL || strchr(dot + 1, '.') == NULL)
			return KT_NOTFOUND;
		d = dot + 1;
	}
}

int
signing_lookup(signing *s, const char *addr, struct signing_match **out,
	       size_t *n, char *err, size_t errlen)
{
	struct signing_run r = {s, addr, NULL, NULL, 0, 0, err, errlen};
	char buf[SIGNING_PROBE_MAX], *at, *user = NULL;
	size_t i;

	*out = NULL;
	*n = 0;
	if (strlen(addr) >= 512)
		return kt_err(err, errlen, "sender address too long");
	for (i = 0; addr[i] != '\0'; i++)
		buf[i] = (char)((addr[i] >= 'A' && addr[i] <= 'Z')
				    ? addr[i] - 'A' + 'a'
				    : addr[i]);
	buf[i] = '\0';
	r.domain = buf;
	if ((at = strrchr(buf, '@')) != NULL) {
		*at = '\0';
		user = buf;
		r.domain = at + 1;
	}
	if (s->st->props & KT_PROP_PATTERN) {
		if (at != NULL)
			*at = '@';
		r.addr = buf;
		signing_probe(&r, buf);
		if (at != NULL)
			*at = '\0';
	} else {
		signing_probes(&r, user);
	}
	if (r.rc == KT_ERROR) {
		signing_matches_free(r.v, r.n);
		return KT_ERROR;
	}
	if (r.n == 0 && s->subdomains)
		return signing_lookup_parent(s, addr, out, n, err, errlen);
	*out = r.v;
	*n = r.n;
	return r.n > 0 ? KT_FOUND : KT_NOTFOUND;
}

void
signing_matches_free(struct signing_match *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].keyname);
		free(m[i].domain);
		free(m[i].selector);
		free(m[i].signer);
		if (m[i].key != NULL)
			dkimsa_key_free(m[i].key);
	}
	free(m);
}

size_t
signing_key_count(const signing *s)
{
	return s->keys->n;
}

void
signing_free(signing *s)
{
	if (s == NULL)
		return;
	keyset_free(s->keys);
	kt_close(s->st);
	free(s);
}
