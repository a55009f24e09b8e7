/* SPDX-License-Identifier: BSD-2-Clause */
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

#include "keycache.h"
#include "keyset.h"
#include "keytable.h"
#include "signing.h"

#define SIGNING_PROBE_MAX 1100

struct signing {
	kt_table *kt, *st;
	keycache *cache;
	struct keyfile_opts ko;	 /* for KeyTable keys: conf is NULL */
	const char *holder;	 /* the file that holds inline key text */
	char holder_where[1200]; /* "dkimsa.conf, line N" for csl:, or "" */
	signing_log_fn log;
	void *log_arg;
	int multiple, subdomains;
	size_t nkeys; /* KeyTable entries checked at open */
	char ktspec[1024], stspec[1024];
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
	int names_only; /* signing_listed: count matches, load no key */
	size_t hits;
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
	char name[256], why[512], *v = NULL;
	int rc;

	snprintf(name, sizeof(name), "%.*s", (int)n, value);
	if (n == 0)
		return kt_err(c->err, c->errlen,
			      "%s: SigningTable entry \"%s\" "
			      "names no key",
			      where, key);
	if (strcmp(name, "%") == 0)
		return 0;
	rc = kt_get(c->s->kt, name, &v, why, sizeof(why));
	free(v);
	if (rc == KT_FOUND)
		return 0;
	if (rc == KT_ERROR)
		return kt_err(c->err, c->errlen, "%s: KeyTable %s: %s", where,
			      c->s->ktspec, why);
	return kt_err(c->err, c->errlen,
		      "%s: SigningTable names key \"%.*s\", "
		      "which is not in KeyTable %s",
		      where, (int)n, value, c->s->ktspec);
}

/*
 * 1 when t is small enough to check whole at every start: csl:, or a
 * file:/refile: table of fewer than SIGNING_SMALL_LINES lines.
 */
static int
signing_small(const kt_table *t)
{
	char buf[8192];
	size_t lines = 0, n, i;
	FILE *fp;

	if (strcmp(t->type, "csl") == 0)
		return 1;
	if (strcmp(t->type, "file") != 0 && strcmp(t->type, "refile") != 0)
		return 0;
	if ((fp = fopen(t->name, "r")) == NULL)
		return 1; /* the check says why */
	while (lines < SIGNING_SMALL_LINES &&
	       (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	fclose(fp);
	return lines < SIGNING_SMALL_LINES;
}

/* The whole KeyTable: every entry well-formed, every key safe and sound. */
static int
signing_check_keys(signing *s, const struct signing_opts *o, char *err,
		   size_t errlen)
{
	struct keyfile_opts ko = {o->require_safe, o->uid, o->conf};
	keyset *k = NULL;
	int rc;

	rc = keyset_load(o->keytable, &ko, 1, &k, err, errlen);
	if (rc == 0)
		s->nkeys = k->n;
	keyset_free(k);
	return rc;
}

/* Opens one table; DKIMSA_EIO with the reason when it failed to open. */
static int
signing_table(const char *spec, kt_table **t, char *err, size_t errlen)
{
	char *why = NULL;
	int rc = 0;

	if ((*t = kt_open(spec, 0, &why)) == NULL) {
		kt_err(err, errlen, "out of memory");
		rc = DKIMSA_ENOMEM;
	} else if (kt_failed(*t)) {
		kt_err(err, errlen, "%s", why ? why : (*t)->error);
		rc = DKIMSA_EIO;
	}
	free(why);
	return rc;
}

static int
signing_tables(signing *s, const struct signing_opts *o, char *err,
	       size_t errlen)
{
	struct signing_check c = {s, err, errlen};
	int rc;

	if ((rc = signing_table(o->keytable, &s->kt, err, errlen)) != 0 ||
	    (rc = signing_table(o->signingtable, &s->st, err, errlen)) != 0)
		return rc;
	kt_spec(s->st, s->stspec, sizeof(s->stspec));
	kt_spec_public(s->stspec, s->stspec, sizeof(s->stspec));
	if (strcmp(s->kt->type, "csl") != 0) {
		s->holder = s->kt->name;
	} else if ((s->holder = o->conf) != NULL) {
		keyfile_conf_where(o->conf, "KeyTable", s->holder_where,
				   sizeof(s->holder_where));
	}
	if (o->check != SIGNING_CHECK_NAMES &&
	    (o->check == SIGNING_CHECK_ALL || signing_small(s->kt)) &&
	    (rc = signing_check_keys(s, o, err, errlen)) != 0)
		return rc;
	if ((o->check != SIGNING_CHECK_SMALL || signing_small(s->st)) &&
	    kt_walk(s->st, signing_check_fn, &c, err, errlen) != 0)
		return DKIMSA_ESYNTAX;
	return 0;
}

int
signing_open(const struct signing_opts *o, signing **out, char *err,
	     size_t errlen)
{
	signing *s;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->cache = keycache_new(o->cache_size)) == NULL) {
		free(s);
		kt_err(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	s->multiple = o->multiple;
	s->subdomains = o->subdomains;
	s->ko.require_safe = o->require_safe;
	s->ko.uid = o->uid;
	s->log = o->log;
	s->log_arg = o->log_arg;
	kt_spec_public(o->keytable, s->ktspec, sizeof(s->ktspec));
	if ((rc = signing_tables(s, o, err, errlen)) != 0) {
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

/*
 * A KeyTable entry or its key is unusable: the reason goes to the log at
 * most once a minute per key name, the message gets a short why.
 */
static int
signing_unusable(struct signing_run *r, const char *name, const char *why,
		 int report)
{
	char msg[3000];

	if (report < 0) /* not the key's failure: the same rule */
		report = keycache_report(r->s->cache, name);
	if (r->s->log != NULL && report) {
		snprintf(msg, sizeof(msg), "KeyTable %s, key \"%s\": %s",
			 r->s->ktspec, name, why);
		r->s->log(r->s->log_arg, msg);
	}
	return kt_err(
	    r->err, r->errlen, "KeyTable %s, key \"%s\" is unusable%s%s",
	    r->s->ktspec, name,
	    r->s->log ? " (the reason is logged once a minute)" : ": ",
	    r->s->log ? "" : why);
}

/* The KeyTable entry name, with its key, as a new match. */
static int
signing_key(struct signing_run *r, const char *name, struct signing_match *m)
{
	char why[1200], where[1400], *value = NULL, *keyfile = NULL;
	int rc, report = -1;

	rc = kt_get(r->s->kt, name, &value, why, sizeof(why));
	if (rc == KT_NOTFOUND)
		return kt_err(r->err, r->errlen,
			      "SigningTable %s names key \"%s\" for %s, which "
			      "is not in KeyTable %s",
			      r->s->stspec, name, r->addr, r->s->ktspec);
	if (rc == KT_ERROR)
		return kt_err(r->err, r->errlen, "KeyTable %s: %s",
			      r->s->ktspec, why);
	rc = keyset_parse(value, &m->domain, &m->selector, &keyfile, why,
			  sizeof(why));
	free(value);
	if (rc == 0) {
		snprintf(where, sizeof(where), "KeyTable %s, key \"%s\"",
			 r->s->ktspec, name);
		rc = keycache_get(
		    r->s->cache, name, keyfile, &r->s->ko, r->s->holder,
		    r->s->holder_where[0] ? r->s->holder_where : where, &m->key,
		    &report, why, sizeof(why));
	}
	if (keyfile != NULL)
		memset(keyfile, 0, strlen(keyfile)); /* may be key data */
	free(keyfile);
	if (rc == DKIMSA_ENOMEM)
		return kt_err(r->err, r->errlen, "out of memory");
	return rc != 0 ? signing_unusable(r, name, why, report) : 0;
}

/* Adds the key a SigningTable value names; KT_ERROR when it is missing. */
static int
signing_add(struct signing_run *r, const char *value)
{
	struct signing_match *m, *v;
	char name[256], *p;
	const char *colon = strchr(value, ':');
	size_t i, n = colon ? (size_t)(colon - value) : strlen(value);

	snprintf(name, sizeof(name), "%.*s", (int)n, value);
	if (strcmp(name, "%") == 0)
		snprintf(name, sizeof(name), "%s", r->domain);
	for (p = name; *p != '\0'; p++) /* the KeyTable folds its keys */
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].keyname, name) == 0)
			return 0;
	if ((v = realloc(r->v, (r->n + 1) * sizeof(*v))) == NULL)
		return kt_err(r->err, r->errlen, "out of memory");
	r->v = v;
	m = &v[r->n++];
	memset(m, 0, sizeof(*m));
	if ((m->keyname = strdup(name)) == NULL)
		return kt_err(r->err, r->errlen, "out of memory");
	if (signing_key(r, name, m) != 0)
		return KT_ERROR;
	if (strcmp(m->domain, "%") == 0) {
		free(m->domain);
		m->domain = strdup(r->domain);
	}
	if (colon != NULL && colon[1] != '\0')
		m->signer = signing_subst(colon + 1, r->domain);
	if (m->domain == NULL || (colon && colon[1] && m->signer == NULL))
		return kt_err(r->err, r->errlen, "out of memory");
	return 0;
}

static int
signing_value(void *arg, const char *value)
{
	struct signing_run *r = arg;

	if (r->names_only) {
		r->hits++;
		return 1;
	}
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
	return r->rc == KT_ERROR ||
	       (rc == KT_FOUND && (!r->s->multiple || r->names_only));
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

/* SubDomains: the search again for user@PARENT, if PARENT has a dot. */
static int signing_search(signing *s, const char *addr, int names_only,
			  struct signing_match **out, size_t *n, char *err,
			  size_t errlen);

static int
signing_search_parent(signing *s, const char *addr, int names_only,
		      struct signing_match **out, size_t *n, char *err,
		      size_t errlen)
{
	const char *at = strrchr(addr, '@'), *dom = at ? at + 1 : addr;
	const char *dot = strchr(dom, '.');
	char buf[SIGNING_PROBE_MAX];

	if (dot == NULL || strchr(dot + 1, '.') == NULL)
		return KT_NOTFOUND;
	snprintf(buf, sizeof(buf), "%.*s%s", (int)(dom - addr), addr, dot + 1);
	return signing_search(s, buf, names_only, out, n, err, errlen);
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

/* signing_lookup, or with names_only the number of matches in *n. */
static int
signing_search(signing *s, const char *addr, int names_only,
	       struct signing_match **out, size_t *n, char *err, size_t errlen)
{
	struct signing_run r = {.s = s,
				.addr = addr,
				.err = err,
				.errlen = errlen,
				.names_only = names_only};
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
	if (r.n == 0 && r.hits == 0 && s->subdomains)
		return signing_search_parent(s, addr, names_only, out, n, err,
					     errlen);
	*out = r.v;
	*n = names_only ? r.hits : r.n;
	return *n > 0 ? KT_FOUND : KT_NOTFOUND;
}

int
signing_lookup(signing *s, const char *addr, struct signing_match **out,
	       size_t *n, char *err, size_t errlen)
{
	return signing_search(s, addr, 0, out, n, err, errlen);
}

int
signing_listed(signing *s, const char *addr, char *err, size_t errlen)
{
	struct signing_match *m = NULL;
	size_t n = 0;

	return signing_search(s, addr, 1, &m, &n, err, errlen);
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
	return s->nkeys;
}

void
signing_cache_stats(signing *s, struct keycache_stats *st)
{
	keycache_stats(s->cache, st);
}

void
signing_free(signing *s)
{
	if (s == NULL)
		return;
	kt_close(s->kt);
	kt_close(s->st);
	keycache_free(s->cache);
	free(s);
}
