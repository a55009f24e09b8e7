/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rt.c - build, install and release the run-time state; see rt.h.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "keyfile.h"
#include "metrics.h"
#include "metrics_sock.h"
#include "mlog.h"
#include "rt.h"

static pthread_mutex_t rt_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt *rt_installed;

struct rt_errs {
	rt_err_fn fn;
	void *arg;
	int n;
	const char *path;
	const struct cfg *cfg; /* for cfg_where: the line of each key */
};

__attribute__((format(printf, 2, 3))) static void
rt_error(struct rt_errs *e, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->fn(e->arg, msg);
	e->n++;
}

static void
rt_cfg_error(void *arg, const char *msg)
{
	rt_error(arg, "%s", msg);
}

static void
rt_free(struct rt *rt)
{
	hostlist_free(rt->internal);
	hostlist_free(rt->ignore);
	hostlist_free(rt->peers);
	hostlist_free(rt->dmarc_ignore);
	if (rt->mta)
		kt_close(rt->mta);
	if (rt->macros)
		kt_close(rt->macros);
	if (rt->domains)
		kt_close(rt->domains);
	signing_free(rt->signing);
	arccfg_free(rt->arc);
	dkimsa_key_free(rt->key);
	histfile_free(rt->dmarchist);
	dkimsa_lib_free(rt->lib);
	free(rt->authserv_id);
	free(rt->path);
	cfg_free(&rt->cfg);
	free(rt);
}

static hostlist *
rt_hosts(struct rt_errs *e, const char *key, const char *spec)
{
	hostlist *h = NULL;
	char err[512], at[600];
	const char *hint;

	if (spec == NULL)
		return NULL;
	if (hostlist_open(spec, &h, err, sizeof(err)) != 0) {
		hint = cfg_hint(key, spec);
		rt_error(e, "%s: %s %s: %s%s%s",
			 cfg_where(e->cfg, key, at, sizeof(at)), key, spec, err,
			 hint ? "; " : "", hint ? hint : "");
	}
	return h;
}

static kt_table *
rt_table(struct rt_errs *e, const char *key, const char *spec)
{
	kt_table *t;
	char *err = NULL, at[600];
	const char *hint;

	if (spec == NULL)
		return NULL;
	t = kt_open(spec, 0, &err);
	hint = cfg_hint(key, spec);
	if (t == NULL || kt_failed(t))
		rt_error(e, "%s: %s %s: %s%s%s",
			 cfg_where(e->cfg, key, at, sizeof(at)), key, spec,
			 err ? err : "out of memory", hint ? "; " : "",
			 hint ? hint : "");
	free(err);
	return t;
}

/* DNS and verification options go to the library handle. */
static void
rt_lib(struct rt *rt, struct rt_errs *e, int start_dns)
{
	const struct {
		const char *name, *value;
	} opts[] = {
	    {"TrustAnchorFile", rt->cfg.trust_anchor_file},
	    {"Nameservers", rt->cfg.nameservers},
	    {"UnboundConfigFile", rt->cfg.unbound_config_file},
	    {"DNSTimeout", rt->cfg.dns_timeout},
	    {"MinimumKeyBits", rt->cfg.minimum_key_bits},
	    {"MaximumSignaturesToVerify", rt->cfg.maximum_signatures},
	};
	char err[512], at[600];
	size_t i;

	if ((rt->lib = dkimsa_lib_new()) == NULL) {
		rt_error(e, "out of memory");
		return;
	}
	if (metrics_enabled()) /* DNS counts for MetricsSocket */
		dkimsa_lib_set_stats(rt->lib, metrics_dns, NULL);
	/* LogWhy: the library's own reasons (DNS failures, bogus answers) */
	if (rt->cfg.log_why)
		dkimsa_lib_set_log(rt->lib, mlog_lib, NULL);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].value != NULL &&
		    dkimsa_lib_set_option(rt->lib, opts[i].name, opts[i].value,
					  err, sizeof(err)) != 0)
			rt_error(
			    e, "%s: %s",
			    cfg_where(e->cfg, opts[i].name, at, sizeof(at)),
			    err);
	if (rt->can_verify && start_dns &&
	    dkimsa_lib_start_dns(rt->lib, err, sizeof(err)) != 0)
		rt_error(e, "%s: DNS: %s", e->path, err);
}

/* MetricsSocket: its syntax (opened at start only, by main.c). */
static void
rt_metrics(struct rt *rt, struct rt_errs *e)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char why[300], at[600];

	if (rt->cfg.metrics_socket != NULL &&
	    metrics_sock_parse(rt->cfg.metrics_socket, &ss, &len, why,
			       sizeof(why)) != 0)
		rt_error(e, "%s: MetricsSocket %s: %s",
			 cfg_where(&rt->cfg, "MetricsSocket", at, sizeof(at)),
			 rt->cfg.metrics_socket, why);
}

/* A KeyTable entry or key unusable at lookup (at most once a minute). */
static void
rt_key_log(void *arg, const char *msg)
{
	(void)arg;
	mlog(LOG_ERR, "%s", msg);
}

static void
rt_signing(struct rt *rt, struct rt_errs *e, uid_t uid, int flags)
{
	struct keyfile_opts ko = {rt->cfg.require_safe_keys, uid, e->path};
	char err[1024], at[600];

	/* a KeyTable alone holds the ARCKey of a forwarder that never signs */
	if ((rt->cfg.key_table != NULL || rt->cfg.signing_table != NULL) &&
	    !(rt->cfg.signing_table == NULL && rt->cfg.arc_key != NULL)) {
		struct signing_opts so;

		memset(&so, 0, sizeof(so));
		so.keytable = rt->cfg.key_table;
		so.signingtable = rt->cfg.signing_table;
		so.multiple = rt->cfg.multiple_signatures;
		so.require_safe = rt->cfg.require_safe_keys;
		so.uid = uid;
		so.conf = e->path; /* it may hold a csl: KeyTable */
		so.subdomains = rt->cfg.subdomains;
		so.check = flags & RT_CHECK_TABLES ? SIGNING_CHECK_ALL
						   : SIGNING_CHECK_SMALL;
		so.cache_size = (size_t)rt->cfg.key_cache_size;
		so.log = rt_key_log;
		if (so.keytable == NULL || so.signingtable == NULL)
			rt_error(
			    e, "%s: KeyTable and SigningTable go together",
			    cfg_where(&rt->cfg,
				      so.keytable ? "KeyTable" : "SigningTable",
				      at, sizeof(at)));
		else if (signing_open(&so, &rt->signing, err, sizeof(err)) != 0)
			rt_error(e, "%s", err);
	}
	if (rt->cfg.key_file != NULL) {
		const char *hint = cfg_hint("KeyFile", rt->cfg.key_file);

		if (rt->cfg.selector == NULL || rt->cfg.domain == NULL)
			rt_error(
			    e, "%s: KeyFile needs Domain and Selector",
			    cfg_where(&rt->cfg, "KeyFile", at, sizeof(at)));
		else if (keyfile_load(rt->cfg.key_file, &ko, &rt->key, err,
				      sizeof(err)) != 0)
			rt_error(e, "%s: KeyFile: %s%s%s",
				 cfg_where(&rt->cfg, "KeyFile", at, sizeof(at)),
				 err, hint ? "; " : "", hint ? hint : "");
		else if (dkimsa_key_alg(rt->key) !=
			 dkimsa_alg_from_name(rt->cfg.signature_algorithm))
			rt_error(e,
				 "%s: KeyFile %s holds an %s key but "
				 "SignatureAlgorithm is %s",
				 e->path, rt->cfg.key_file,
				 dkimsa_alg_name(dkimsa_key_alg(rt->key)),
				 rt->cfg.signature_algorithm);
	}
}

/* SignHeaders and OversignHeaders: OpenDKIM writes them with commas. */
/* DMARCHistoryFile: opened (created) by the milter, only checked by -n. */
static void
rt_dmarchist(struct rt *rt, struct rt_errs *e, int open_it)
{
	char err[600];

	if (rt->cfg.dmarc_history_file == NULL)
		return;
	rt->dmarchist = histfile_open(rt->cfg.dmarc_history_file, open_it, err,
				      sizeof(err));
	if (err[0] != '\0')
		rt_error(e, "DMARCHistoryFile %s", err);
}

static void
rt_header_list(char *list)
{
	char *p, *q;

	if (list == NULL)
		return;
	for (p = q = list; *p; p++) {
		char ch = (*p == ',' || *p == ' ' || *p == '\t') ? ':' : *p;

		if (ch == ':' && (q == list || q[-1] == ':'))
			continue;
		*q++ = ch;
	}
	if (q > list && q[-1] == ':')
		q--;
	*q = '\0';
}

static void
rt_canon(struct rt *rt)
{
	const char *c = rt->cfg.canonicalization, *slash = strchr(c, '/');

	rt->hcanon = strncasecmp(c, "relaxed", 7) == 0 ? DKIMSA_CANON_RELAXED
						       : DKIMSA_CANON_SIMPLE;
	rt->bcanon = slash && strcasecmp(slash + 1, "relaxed") == 0
			 ? DKIMSA_CANON_RELAXED
			 : DKIMSA_CANON_SIMPLE;
}

int
rt_load(const char *path, uid_t uid, int flags, struct rt **out, rt_err_fn fn,
	void *arg)
{
	struct rt_errs e = {fn, arg, 0, path, NULL};
	struct rt *rt = calloc(1, sizeof(*rt));
	char host[256], err[1400];

	*out = NULL;
	if (rt == NULL || (rt->path = strdup(path)) == NULL) {
		free(rt);
		fn(arg, "out of memory");
		return 1;
	}
	rt->refs = 1;
	e.cfg = &rt->cfg;
	cfg_defaults(&rt->cfg);
	cfg_load(&rt->cfg, path, rt_cfg_error, &e);
	rt->can_sign = strchr(rt->cfg.mode, 's') != NULL;
	rt->can_verify = strchr(rt->cfg.mode, 'v') != NULL;
	rt_canon(rt);
	rt_header_list(rt->cfg.sign_headers);
	rt_header_list(rt->cfg.oversign_headers);
	/* AuthservID, else the host name (the fallback when the MTA sends no
	 * j, see callbacks.c); "HOSTNAME" asks for it, as in OpenDKIM */
	if (rt->cfg.authserv_id != NULL &&
	    strcmp(rt->cfg.authserv_id, "HOSTNAME") != 0)
		rt->authserv_id = strdup(rt->cfg.authserv_id);
	else if (gethostname(host, sizeof(host)) == 0)
		rt->authserv_id = strndup(host, sizeof(host));
	kt_set_cache_ttl(rt->cfg.table_cache_ttl); /* for the tables below */
	kt_ldap_set(rt->cfg.ldap_bind_user, rt->cfg.ldap_bind_password,
		    rt->cfg.ldap_use_tls, rt->cfg.ldap_timeout);
	rt->internal = rt_hosts(&e, "InternalHosts", rt->cfg.internal_hosts);
	rt->ignore =
	    rt_hosts(&e, "ExternalIgnoreList", rt->cfg.external_ignore_list);
	rt->peers = rt_hosts(&e, "PeerList", rt->cfg.peer_list);
	rt->dmarc_ignore =
	    rt_hosts(&e, "DMARCIgnoreList", rt->cfg.dmarc_ignore_list);
	rt->mta = rt_table(&e, "MTA", rt->cfg.mta);
	rt->macros = rt_table(&e, "MacroList", rt->cfg.macro_list);
	rt->domains = rt_table(&e, "Domain", rt->cfg.domain);
	rt_signing(rt, &e, uid, flags);
	if (arccfg_load(&rt->cfg, path, uid, &rt->arc, err, sizeof(err)) != 0)
		rt_error(&e, "%s: %s", path, err);
	rt_lib(rt, &e, flags & RT_START_DNS);
	rt_dmarchist(rt, &e, !(flags & RT_CHECK_TABLES));
	rt_metrics(rt, &e);
	if (e.n > 0) {
		rt_free(rt);
		return e.n;
	}
	*out = rt;
	return 0;
}

struct rt *
rt_current(void)
{
	struct rt *rt;

	pthread_mutex_lock(&rt_lock);
	rt = rt_installed;
	if (rt != NULL)
		rt->refs++;
	pthread_mutex_unlock(&rt_lock);
	return rt;
}

void
rt_install(struct rt *rt)
{
	struct rt *old;

	pthread_mutex_lock(&rt_lock);
	old = rt_installed;
	rt_installed = rt;
	pthread_mutex_unlock(&rt_lock);
	rt_put(old);
}

void
rt_put(struct rt *rt)
{
	int last;

	if (rt == NULL)
		return;
	pthread_mutex_lock(&rt_lock);
	last = --rt->refs == 0;
	pthread_mutex_unlock(&rt_lock);
	if (last)
		rt_free(rt);
}
