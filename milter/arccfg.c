/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arccfg.c - see arccfg.h.  The ARCKey entry is read from the KeyTable
 * as signing.c reads one (keyset_parse, the keyfile.h safety checks), and
 * its key is kept as signing.c keeps KeyTable keys (a keycache of one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arccfg.h"
#include "keyfile.h"
#include "keyset.h"
#include "keytable.h"

static int
arccfg_err(char *err, size_t errlen, const char *fmt, const char *a,
	   const char *b)
{
	snprintf(err, errlen, fmt, a, b ? b : "");
	return -1;
}

/* ARCSignMode: which modes seal. */
static int
arccfg_mode(struct arccfg *a, const char *mode)
{
	static const struct {
		const char *name;
		int verify, sign;
	} modes[] = {{"verify", 1, 0}, {"sign", 0, 1}, {"both", 1, 1}};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcasecmp(mode, modes[i].name) == 0) {
			a->seal_verify = modes[i].verify;
			a->seal_sign = modes[i].sign;
			return 0;
		}
	return -1;
}

/* ARCKey: the KeyTable entry, read once per (re)load; its key checked. */
static int
arccfg_key(struct arccfg *a, const struct cfg *cfg, const char *conf, uid_t uid,
	   char *err, size_t errlen)
{
	struct keyfile_opts ko = {cfg->require_safe_keys, uid, NULL};
	char why[1024], name[256], spec[1024];
	char *value = NULL, *keyfile = NULL, *kerr = NULL;
	const char *holder;
	dkimsa_key *key = NULL;
	kt_table *kt;
	size_t i;
	int rc;

	if (cfg->arc_key == NULL || cfg->key_table == NULL)
		return arccfg_err(err, errlen,
				  "ARCSign yes needs ARCKey, the name of a "
				  "KeyTable entry, and a KeyTable%s%s",
				  "", NULL);
	for (i = 0; cfg->arc_key[i] != '\0' && i + 1 < sizeof(name); i++)
		name[i] =
		    (char)((cfg->arc_key[i] >= 'A' && cfg->arc_key[i] <= 'Z')
			       ? cfg->arc_key[i] - 'A' + 'a'
			       : cfg->arc_key[i]);
	name[i] = '\0';
	kt_spec_public(cfg->key_table, spec, sizeof(spec));
	kt = kt_open(cfg->key_table, 0, &kerr);
	if (kt == NULL || kt_failed(kt)) {
		snprintf(err, errlen, "ARCKey: KeyTable %s: %s", spec,
			 kerr ? kerr : "out of memory");
		free(kerr);
		if (kt != NULL)
			kt_close(kt);
		return -1;
	}
	free(kerr);
	rc = kt_get(kt, name, &value, why, sizeof(why));
	if (rc != KT_FOUND) {
		snprintf(err, errlen, "ARCKey %s: %s", cfg->arc_key,
			 rc == KT_NOTFOUND ? "no such KeyTable entry" : why);
		kt_close(kt);
		return -1;
	}
	rc = keyset_parse(value, &a->domain, &a->selector, &keyfile, why,
			  sizeof(why));
	free(value);
	snprintf(a->where, sizeof(a->where), "KeyTable %s, key \"%s\"", spec,
		 name);
	if (rc == 0 && strcmp(a->domain, "%") == 0) {
		snprintf(why, sizeof(why),
			 "the domain %% (the sender's) has "
			 "no meaning for a seal");
		rc = -1;
	}
	holder = strcmp(kt->type, "csl") == 0 ? conf : kt->name;
	if (rc == 0 && !keyfile_is_path(keyfile) && holder != NULL &&
	    (a->holder = strdup(holder)) == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		rc = -1;
	}
	a->ko = ko;
	a->keyspec = keyfile; /* arccfg_free wipes it */
	kt_close(kt);
	if (rc == 0 && (a->keys = keycache_new(1)) == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		rc = -1;
	}
	if (rc == 0 && (rc = arccfg_seal_key(a, &key, why, sizeof(why))) == 0)
		dkimsa_key_free(key); /* the cache keeps its own */
	if (rc != 0)
		return arccfg_err(err, errlen, "ARCKey: %s: %s", a->where, why);
	return 0;
}

int
arccfg_seal_key(const struct arccfg *a, dkimsa_key **out, char *err,
		size_t errlen)
{
	int report;

	return keycache_get(a->keys, "arckey", a->keyspec, &a->ko, a->holder,
			    a->where, out, &report, err, errlen);
}

/* ARCTrustedSealers: a table that fails to open is an error. */
static int
arccfg_trusted(struct arccfg *a, const struct cfg *cfg, char *err,
	       size_t errlen)
{
	char *kerr = NULL;

	kt_spec_public(cfg->arc_trusted_sealers, a->trusted_spec,
		       sizeof(a->trusted_spec));
	a->trusted = kt_open(cfg->arc_trusted_sealers, 0, &kerr);
	if (a->trusted == NULL || kt_failed(a->trusted)) {
		snprintf(err, errlen, "ARCTrustedSealers %s: %s",
			 a->trusted_spec, kerr ? kerr : "out of memory");
		free(kerr);
		return -1;
	}
	free(kerr);
	return 0;
}

int
arccfg_load(const struct cfg *cfg, const char *conf, uid_t uid,
	    struct arccfg **out, char *err, size_t errlen)
{
	struct arccfg *a;
	*out = NULL;
	if (!cfg->arc_sign && cfg->arc_trusted_sealers == NULL)
		return 0;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return arccfg_err(err, errlen, "out of memory%s%s", "", NULL);
	if (arccfg_mode(a, cfg->arc_sign_mode) != 0) {
		arccfg_err(err, errlen,
			   "ARCSignMode %s: expected verify, sign or both%s",
			   cfg->arc_sign_mode, NULL);
		goto fail;
	}
	if (cfg->arc_sign && arccfg_key(a, cfg, conf, uid, err, errlen) != 0)
		goto fail;
	if (cfg->arc_trusted_sealers != NULL &&
	    arccfg_trusted(a, cfg, err, errlen) != 0)
		goto fail;
	*out = a;
	return 0;
fail:
	arccfg_free(a);
	return -1;
}

void
arccfg_free(struct arccfg *a)
{
	if (a == NULL)
		return;
	free(a->domain);
	free(a->selector);
	if (a->keys != NULL)
		keycache_free(a->keys);
	if (a->keyspec != NULL) /* may be key data */
		memset(a->keyspec, 0, strlen(a->keyspec));
	free(a->keyspec);
	free(a->holder);
	if (a->trusted != NULL)
		kt_close(a->trusted);
	free(a);
}
