/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_ldap.c - "ldap://HOST:PORT/BASE?ATTR[,ATTR...]?SCOPE?FILTER" and
 * "ldaps://...": a directory through OpenLDAP's libldap, in OpenDKIM's
 * syntax (RFC 4516 URLs), so that its KeyTable and SigningTable settings
 * work unchanged.  A lookup searches BASE with FILTER in which "$d"
 * stands for the key (already folded to lower case unless KT_CASE),
 * escaped by RFC 4515 section 3 so that a key holding "*", "(", ")" or
 * "\" can only ever match itself; "$d" in BASE is escaped by RFC 4514
 * section 2.4, and "$D" there is the key as "dc=a,dc=b".  Each entry
 * found is one value: with one attribute, each of its values; with
 * several, the first value of each, joined by ":" (a KeyTable may keep
 * domain, selector and key file in three attributes), as OpenDKIM reads
 * them.  A walk replaces "(ATTR=$d)" by "(ATTR=*)" and takes ATTR as the
 * key; a table whose BASE names the key cannot be walked.
 *
 * LDAPBindUser and LDAPBindPassword give a simple bind (RFC 4513 section
 * 5.1.3; anonymous without them), LDAPUseTLS a StartTLS before it (for
 * ldap://), LDAPTimeout the connect and search timeout; the milter sets
 * them with kt_ldap_set() before it opens its tables.
 *
 * Connections: opened when a lookup needs one (the server may be down at
 * start: lookups are then KT_ERROR, never "not found"), kept in a small
 * pool shared by the threads.  A connection found broken (server
 * restarted) is dropped with the pooled ones and the search tried once
 * more on a new one.  Messages name the table by its URL and the bind
 * DN, never the password.
 *
 * Built only when configure found libldap (DKIMSA_WITH_LDAP); the
 * registry rows in kt_open.c are under the same condition.  kt_ldap_set
 * is always built, so the settings are read either way.
 *
 * Memory: the table owns its pool and a copy of the bind settings;
 * values given to callbacks live until the lookup returns.
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keytable.h"

static pthread_mutex_t kt_ldap_opt_lock = PTHREAD_MUTEX_INITIALIZER;
static char *kt_ldap_user, *kt_ldap_password;
static int kt_ldap_starttls, kt_ldap_timeout = 5;

void
kt_ldap_set(const char *bind_user, const char *bind_password, int starttls,
	    int timeout)
{
	pthread_mutex_lock(&kt_ldap_opt_lock);
	free(kt_ldap_user);
	if (kt_ldap_password != NULL)
		memset(kt_ldap_password, 0, strlen(kt_ldap_password));
	free(kt_ldap_password);
	kt_ldap_user = bind_user ? strdup(bind_user) : NULL;
	kt_ldap_password = bind_password ? strdup(bind_password) : NULL;
	kt_ldap_starttls = starttls;
	kt_ldap_timeout = timeout > 0 ? timeout : 5;
	pthread_mutex_unlock(&kt_ldap_opt_lock);
}

#ifdef DKIMSA_WITH_LDAP
#include <ldap.h>
#include <sys/time.h>

#define KT_LDAP_POOL 8
#define KT_LDAP_FILTER_MAX 4096
#define KT_LDAP_HOST(l) ((l)->url->lud_host ? (l)->url->lud_host : "")

typedef struct kt_ldap {
	kt_table t;
	pthread_mutex_t lock;
	LDAP *idle[KT_LDAP_POOL];
	int nidle;
	LDAPURLDesc *url;
	char *uri; /* scheme://host:port/ */
	char *user, *password;
	int starttls, timeout, nattrs;
	char *walk_attrs[2];
	char *walk_filter; /* NULL: the table cannot be walked */
	char pub[1100];	   /* the URL, for messages */
} kt_ldap;

/* RFC 4515 section 3: "*", "(", ")", "\" and NUL as "\XX". */
static int
kt_ldap_esc_filter(const char *key, char *out, size_t len)
{
	size_t n = 0;

	for (; *key != '\0'; key++) {
		if (n + 4 >= len)
			return -1;
		if (strchr("*()\\", *key) != NULL)
			n += (size_t)snprintf(out + n, len - n, "\\%02x",
					      (unsigned char)*key);
		else
			out[n++] = *key;
	}
	out[n] = '\0';
	return 0;
}

/* RFC 4514 section 2.4: special characters of a DN value as "\XX". */
static int
kt_ldap_esc_dn(const char *key, size_t klen, char *out, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < klen; i++) {
		unsigned char c = (unsigned char)key[i];

		if (n + 4 >= len)
			return -1;
		if (strchr(",+\"\\<>;=#", c) != NULL || c == '\0' ||
		    (c == ' ' && (i == 0 || i + 1 == klen)))
			n += (size_t)snprintf(out + n, len - n, "\\%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

/* "a.b" as "dc=a,dc=b" (each label escaped). */
static int
kt_ldap_dcs(const char *key, char *out, size_t len)
{
	size_t n = 0, l;

	out[0] = '\0';
	while (*key != '\0') {
		l = strcspn(key, ".");
		if (n + 5 >= len)
			return -1;
		n += (size_t)snprintf(out + n, len - n, "%sdc=", n ? "," : "");
		if (kt_ldap_esc_dn(key, l, out + n, len - n) != 0)
			return -1;
		n += strlen(out + n);
		key += l;
		if (*key == '.')
			key++;
	}
	return 0;
}

/*
 * tmpl with "$d" (and, when dn, "$D") replaced by the escaped key; "$$"
 * is "$".  0, or -1 when the result does not fit.
 */
static int
kt_ldap_expand(const char *tmpl, const char *key, int dn, char *out, size_t len)
{
	char esc[KT_LDAP_FILTER_MAX];
	size_t n = 0, e;
	int rc;

	for (; *tmpl != '\0'; tmpl++) {
		if (tmpl[0] == '$' &&
		    (tmpl[1] == 'd' || (dn && tmpl[1] == 'D'))) {
			if (tmpl[1] == 'D')
				rc = kt_ldap_dcs(key, esc, sizeof(esc));
			else if (dn)
				rc = kt_ldap_esc_dn(key, strlen(key), esc,
						    sizeof(esc));
			else
				rc = kt_ldap_esc_filter(key, esc, sizeof(esc));
			e = strlen(esc);
			if (rc != 0 || n + e >= len)
				return -1;
			memcpy(out + n, esc, e);
			n += e;
			tmpl++;
			continue;
		}
		if (tmpl[0] == '$' && tmpl[1] == '$')
			tmpl++;
		if (n + 1 >= len)
			return -1;
		out[n++] = *tmpl;
	}
	out[n] = '\0';
	return 0;
}

/* The walk's filter and key attribute from "(ATTR=$d)" in the filter. */
static void
kt_ldap_walk_prepare(kt_ldap *l)
{
	const char *f = l->url->lud_filter, *p, *a;
	size_t n;

	if (f == NULL || strchr(l->url->lud_dn ? l->url->lud_dn : "", '$') ||
	    (p = strstr(f, "=$d)")) == NULL)
		return;
	for (a = p; a > f && a[-1] != '('; a--)
		;
	if (a == p || (l->walk_attrs[0] = strndup(a, (size_t)(p - a))) == NULL)
		return;
	n = strlen(f) + 1;
	if ((l->walk_filter = malloc(n)) == NULL)
		return;
	snprintf(l->walk_filter, n, "%.*s=*%s", (int)(p - f), f, p + 3);
}

static int
kt_ldap_fail(kt_ldap *l, const char *what, int code, char *err, size_t errlen)
{
	return kt_err(err, errlen, "%s: %s: %s", l->pub, what,
		      ldap_err2string(code));
}

/* A new bound connection, or NULL with err set. */
static LDAP *
kt_ldap_connect(kt_ldap *l, char *err, size_t errlen)
{
	struct timeval tv = {l->timeout, 0};
	struct berval cred = {0, NULL};
	int v3 = LDAP_VERSION3, rc;
	LDAP *ld = NULL;

	if ((rc = ldap_initialize(&ld, l->uri)) != LDAP_SUCCESS) {
		kt_ldap_fail(l, "cannot connect", rc, err, errlen);
		return NULL;
	}
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	if (l->starttls &&
	    (rc = ldap_start_tls_s(ld, NULL, NULL)) != LDAP_SUCCESS) {
		kt_ldap_fail(l, "StartTLS (LDAPUseTLS)", rc, err, errlen);
		ldap_unbind_ext_s(ld, NULL, NULL);
		return NULL;
	}
	if (l->user != NULL) {
		cred.bv_val = l->password;
		cred.bv_len = l->password ? strlen(l->password) : 0;
	}
	rc = ldap_sasl_bind_s(ld, l->user, LDAP_SASL_SIMPLE, &cred, NULL, NULL,
			      NULL);
	if (rc != LDAP_SUCCESS) {
		kt_err(err, errlen, "%s: bind as \"%s\": %s", l->pub,
		       l->user ? l->user : "", ldap_err2string(rc));
		ldap_unbind_ext_s(ld, NULL, NULL);
		return NULL;
	}
	return ld;
}

static LDAP *
kt_ldap_get(kt_ldap *l, char *err, size_t errlen)
{
	LDAP *ld = NULL;

	pthread_mutex_lock(&l->lock);
	if (l->nidle > 0)
		ld = l->idle[--l->nidle];
	pthread_mutex_unlock(&l->lock);
	return ld != NULL ? ld : kt_ldap_connect(l, err, errlen);
}

static void
kt_ldap_put(kt_ldap *l, LDAP *ld)
{
	pthread_mutex_lock(&l->lock);
	if (l->nidle < KT_LDAP_POOL) {
		l->idle[l->nidle++] = ld;
		ld = NULL;
	}
	pthread_mutex_unlock(&l->lock);
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);
}

/* Closes the pooled connections (after one was found broken). */
static void
kt_ldap_drain(kt_ldap *l)
{
	LDAP *idle[KT_LDAP_POOL];
	int n;

	pthread_mutex_lock(&l->lock);
	n = l->nidle;
	memcpy(idle, l->idle, sizeof(idle));
	l->nidle = 0;
	pthread_mutex_unlock(&l->lock);
	while (n > 0)
		ldap_unbind_ext_s(idle[--n], NULL, NULL);
}

/* 1 for the result codes of a lost connection. */
static int
kt_ldap_broken(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_TIMEOUT || rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY;
}

/*
 * Searches base with filter for attrs; a connection found broken is
 * replaced once.  *ld and *res for the caller (ldap_msgfree, kt_ldap_put),
 * or KT_ERROR with err set.
 */
static int
kt_ldap_search(kt_ldap *l, const char *base, const char *filter, char **attrs,
	       LDAP **ld, LDAPMessage **res, char *err, size_t errlen)
{
	struct timeval tv = {l->timeout, 0};
	int try, rc;

	for (try = 0; try < 2; try++) {
		*res = NULL;
		if ((*ld = kt_ldap_get(l, err, errlen)) == NULL)
			return KT_ERROR;
		rc = ldap_search_ext_s(*ld, base, l->url->lud_scope, filter,
				       attrs, 0, NULL, NULL, &tv, LDAP_NO_LIMIT,
				       res);
		if (rc == LDAP_SUCCESS || rc == LDAP_NO_SUCH_OBJECT)
			return 0;
		ldap_msgfree(*res);
		*res = NULL;
		kt_ldap_fail(l, "search failed", rc, err, errlen);
		if (!kt_ldap_broken(rc)) {
			kt_ldap_put(l, *ld);
			return KT_ERROR;
		}
		ldap_unbind_ext_s(*ld, NULL, NULL); /* once more */
		kt_ldap_drain(l);
	}
	return KT_ERROR;
}

/* The values of attribute i of e (NULL when it has none). */
static struct berval **
kt_ldap_vals(kt_ldap *l, LDAP *ld, LDAPMessage *e, int i)
{
	return ldap_get_values_len(ld, e, l->url->lud_attrs[i]);
}

/* Entry e's first value of each attribute, joined by ":" (malloc()ed). */
static char *
kt_ldap_joined(kt_ldap *l, LDAP *ld, LDAPMessage *e)
{
	struct berval **v;
	size_t len = 1, n = 0;
	char *out = malloc(1);
	int i;

	for (i = 0; out != NULL && i < l->nattrs; i++) {
		char *o = out;

		v = kt_ldap_vals(l, ld, e, i);
		len += (v && v[0] ? v[0]->bv_len : 0) + 1;
		if ((out = realloc(out, len)) == NULL) {
			free(o);
			ldap_value_free_len(v);
			return NULL;
		}
		if (i > 0)
			out[n++] = ':';
		if (v != NULL && v[0] != NULL) {
			memcpy(out + n, v[0]->bv_val, v[0]->bv_len);
			n += v[0]->bv_len;
		}
		ldap_value_free_len(v);
	}
	if (out != NULL)
		out[n] = '\0';
	return out;
}

/* Every value of entry e to fn (see the top comment); 1 to stop. */
static int
kt_ldap_entry(kt_ldap *l, LDAP *ld, LDAPMessage *e, kt_value_fn fn, void *arg,
	      int *nomem)
{
	struct berval **v;
	char *s;
	int i, stop = 0;

	if (l->nattrs > 1) {
		if ((s = kt_ldap_joined(l, ld, e)) == NULL)
			return *nomem = 1;
		stop = fn(arg, s);
		free(s);
		return stop;
	}
	v = kt_ldap_vals(l, ld, e, 0);
	for (i = 0; v != NULL && v[i] != NULL && !stop; i++) {
		if ((s = strndup(v[i]->bv_val, v[i]->bv_len)) == NULL) {
			*nomem = 1;
			break;
		}
		stop = fn(arg, s);
		free(s);
	}
	ldap_value_free_len(v);
	return stop || *nomem;
}

static int
kt_ldap_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
	       char *err, size_t errlen)
{
	kt_ldap *l = (kt_ldap *)t;
	char base[KT_LDAP_FILTER_MAX], filter[KT_LDAP_FILTER_MAX];
	LDAPMessage *res, *e;
	int rc = KT_NOTFOUND, nomem = 0, stop = 0;
	LDAP *ld;

	if (kt_ldap_expand(l->url->lud_dn ? l->url->lud_dn : "", key, 1, base,
			   sizeof(base)) != 0 ||
	    kt_ldap_expand(l->url->lud_filter ? l->url->lud_filter
					      : "(objectClass=*)",
			   key, 0, filter, sizeof(filter)) != 0)
		return kt_err(err, errlen, "%s: key too long", l->pub);
	if (kt_ldap_search(l, base, filter, l->url->lud_attrs, &ld, &res, err,
			   errlen) != 0)
		return KT_ERROR;
	for (e = ldap_first_entry(ld, res); e != NULL && !stop;
	     e = ldap_next_entry(ld, e)) {
		rc = KT_FOUND;
		stop = kt_ldap_entry(l, ld, e, fn, arg, &nomem);
	}
	ldap_msgfree(res);
	kt_ldap_put(l, ld);
	return nomem ? kt_err(err, errlen, "out of memory") : rc;
}

struct kt_ldap_walk {
	kt_pair_fn fn;
	void *arg;
	const char *key, *where;
	int rc;
};

static int
kt_ldap_walk_value(void *arg, const char *value)
{
	struct kt_ldap_walk *w = arg;

	w->rc = w->fn(w->arg, w->key, value, w->where);
	return w->rc != 0;
}

static int
kt_ldap_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_ldap *l = (kt_ldap *)t;
	struct kt_ldap_walk w = {fn, arg, NULL, NULL, 0};
	struct berval **k;
	LDAPMessage *res, *e;
	char where[1400], key[1024];
	int nomem = 0;
	LDAP *ld;

	if (l->walk_filter == NULL)
		return kt_err(err, errlen,
			      "%s: cannot be listed (the filter has no "
			      "\"(attribute=$d)\", or the base names the key)",
			      l->pub);
	if (kt_ldap_search(l, l->url->lud_dn ? l->url->lud_dn : "",
			   l->walk_filter, NULL, &ld, &res, err, errlen) != 0)
		return KT_ERROR;
	for (e = ldap_first_entry(ld, res); e != NULL && w.rc == 0 && !nomem;
	     e = ldap_next_entry(ld, e)) {
		k = ldap_get_values_len(ld, e, l->walk_attrs[0]);
		if (k != NULL && k[0] != NULL) {
			snprintf(key, sizeof(key), "%.*s", (int)k[0]->bv_len,
				 k[0]->bv_val);
			kt_fold(t, key, key, sizeof(key));
			snprintf(where, sizeof(where), "%s, key \"%.200s\"",
				 l->pub, key);
			w.key = key;
			w.where = where;
			kt_ldap_entry(l, ld, e, kt_ldap_walk_value, &w, &nomem);
		}
		ldap_value_free_len(k);
	}
	ldap_msgfree(res);
	kt_ldap_put(l, ld);
	return nomem ? kt_err(err, errlen, "out of memory") : w.rc;
}

static void
kt_ldap_close(kt_table *t)
{
	kt_ldap *l = (kt_ldap *)t;

	while (l->nidle > 0)
		ldap_unbind_ext_s(l->idle[--l->nidle], NULL, NULL);
	pthread_mutex_destroy(&l->lock);
	if (l->url != NULL)
		ldap_free_urldesc(l->url);
	free(l->uri);
	free(l->user);
	if (l->password != NULL)
		memset(l->password, 0, strlen(l->password));
	free(l->password);
	free(l->walk_attrs[0]);
	free(l->walk_filter);
	kt_free(t);
}

/* Parses the URL and copies the bind settings; 0 or -1 with err. */
static int
kt_ldap_setup(kt_ldap *l, const char *url, char *err, size_t errlen)
{
	size_t n;
	int rc;

	if ((rc = ldap_url_parse(url, &l->url)) != LDAP_URL_SUCCESS)
		return kt_err(err, errlen,
			      "%s: not an LDAP URL (error %d; "
			      "ldap://host:port/base?attr?scope?filter)",
			      l->pub, rc);
	for (l->nattrs = 0;
	     l->url->lud_attrs != NULL && l->url->lud_attrs[l->nattrs] != NULL;
	     l->nattrs++)
		;
	if (l->nattrs == 0)
		return kt_err(
		    err, errlen,
		    "%s: no attribute to read (base?attr?scope?filter)",
		    l->pub);
	if (l->url->lud_scope == LDAP_SCOPE_DEFAULT)
		l->url->lud_scope = LDAP_SCOPE_BASE;
	n = strlen(l->url->lud_scheme) + strlen(KT_LDAP_HOST(l)) + 32;
	if ((l->uri = malloc(n)) == NULL)
		return kt_err(err, errlen, "out of memory");
	if (l->url->lud_port != 0)
		snprintf(l->uri, n, "%s://%s:%d/", l->url->lud_scheme,
			 KT_LDAP_HOST(l), l->url->lud_port);
	else
		snprintf(l->uri, n, "%s://%s/", l->url->lud_scheme,
			 KT_LDAP_HOST(l));
	pthread_mutex_lock(&kt_ldap_opt_lock);
	l->user = kt_ldap_user ? strdup(kt_ldap_user) : NULL;
	l->password = kt_ldap_password ? strdup(kt_ldap_password) : NULL;
	l->starttls = kt_ldap_starttls && strcmp(l->url->lud_scheme, "ldaps");
	l->timeout = kt_ldap_timeout;
	pthread_mutex_unlock(&kt_ldap_opt_lock);
	kt_ldap_walk_prepare(l);
	return 0;
}

static kt_table *
kt_ldap_new(const char *scheme, const char *name, int flags, char *err,
	    size_t errlen)
{
	kt_ldap *l = (kt_ldap *)kt_alloc(sizeof(*l), scheme, name, flags);
	char url[1100];
	int v3 = LDAP_VERSION3;

	if (l == NULL) {
		kt_err(err, errlen, "out of memory");
		return NULL;
	}
	/* libldap reads ldap.conf and resolves the host name once, here in
	 * the opening thread rather than in the first worker that connects */
	ldap_set_option(NULL, LDAP_OPT_PROTOCOL_VERSION, &v3);
	pthread_mutex_init(&l->lock, NULL);
	snprintf(url, sizeof(url), "%s:%s", scheme, name);
	snprintf(l->pub, sizeof(l->pub), "%s", url);
	l->t.lookup = kt_ldap_lookup;
	l->t.walk = kt_ldap_walk;
	l->t.close = kt_ldap_close;
	if (kt_ldap_setup(l, url, err, errlen) != 0) {
		kt_ldap_close(&l->t);
		return NULL;
	}
	return &l->t;
}

kt_table *
kt_ldap_open(const char *name, int flags, char *err, size_t errlen)
{
	return kt_ldap_new("ldap", name, flags, err, errlen);
}

kt_table *
kt_ldaps_open(const char *name, int flags, char *err, size_t errlen)
{
	return kt_ldap_new("ldaps", name, flags, err, errlen);
}
#endif
