/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-testkey - check that the DNS key record of a signing key is
 * published, well-formed and matches the private key (see
 * dkimsa-testkey(8)).  One key (-d -s [-k]) or every KeyTable entry of a
 * configuration (-x) or KeyTable (-K).  The record is fetched through
 * libdkimsa's DNS layer (keydns_fetch: libunbound, DNSSEC-validating),
 * parsed by keyrec_parse (RFC 6376 section 3.6.1, RFC 8463) and compared
 * with crypto_pubkey_matches.
 *
 * Exit status: the worst result over all keys (larger is worse):
 *   0 every key OK, 1 DNS temporary failure, 2 record missing,
 *   3 record malformed or revoked, 4 key mismatch, 5 DNSSEC bogus,
 *   6 private key or KeyTable unusable, 64 bad usage.
 */
#define _DEFAULT_SOURCE
#include <getopt.h>
#include <stddef.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crypto.h"
#include "dkimsa.h"
#include "keyrec.h"
#include "keyset.h"
#include "lib.h"
#include "signing.h"

enum tk_exit {
	TK_OK = 0,
	TK_TEMPFAIL = 1,
	TK_MISSING = 2,
	TK_MALFORMED = 3,
	TK_MISMATCH = 4,
	TK_BOGUS = 5,
	TK_LOCAL = 6,
	TK_USAGE = 64,
};

struct tk {
	dkimsa_lib *lib;
	int verbose;
	int validating; /* a trust anchor is in use */
	struct keyfile_opts ko;
	int worst;
};

static void
usage(void)
{
	fprintf(stderr,
		"usage: dkimsa-testkey -d DOMAIN -s SELECTOR [-k KEYFILE] "
		"[options]\n"
		"       dkimsa-testkey -x CONFIG [options]\n"
		"       dkimsa-testkey -K KEYTABLE [options]\n"
		"options: [-v] [-u USER] [--trust-anchor FILE|none]\n"
		"         [--nameserver ADDR[@PORT]] [--unbound-conf FILE]\n");
	exit(TK_USAGE);
}

static void
tk_worst(struct tk *t, int code)
{
	if (code > t->worst)
		t->worst = code;
}

static const char *
tk_dnssec(const struct tk *t, int secure)
{
	if (secure)
		return "DNSSEC: signed and validated";
	if (!t->validating)
		return "DNSSEC: not checked (no trust anchor)";
	return "DNSSEC: zone not signed";
}

/* Checks the record text against the private key (key may be NULL). */
static int
tk_compare(const char *name, const char *txt, const dkimsa_key *key, char *why,
	   size_t len)
{
	struct keyrec kr;
	crypto_pubkey *pk = NULL;
	int want, rc = TK_OK;

	keyrec_init(&kr);
	if (keyrec_parse(txt, strlen(txt), &kr, why, len) != 0) {
		rc = TK_MALFORMED;
	} else if (kr.revoked) {
		snprintf(why, len, "key revoked (empty p=)");
		rc = TK_MALFORMED;
	} else if (crypto_pubkey_parse(kr.keytype, (unsigned char *)kr.pub.data,
				       kr.pub.len, &pk, why, len) != 0) {
		rc = TK_MALFORMED;
	} else if (key != NULL) {
		want = crypto_alg_keytype(dkimsa_key_alg(key));
		if (want != kr.keytype) {
			snprintf(why, len,
				 "the record holds an %s key, the "
				 "private key is %s",
				 kr.keytype == CRYPTO_KEY_RSA ? "rsa"
							      : "ed25519",
				 want == CRYPTO_KEY_RSA ? "rsa" : "ed25519");
			rc = TK_MISMATCH;
		} else if (crypto_pubkey_matches(pk, key) != 1) {
			snprintf(why, len,
				 "the public key in DNS does not "
				 "belong to the private key");
			rc = TK_MISMATCH;
		}
	}
	if (rc == TK_OK && kr.testing)
		fprintf(stdout,
			"%s: note: t=y, verifiers treat the key as "
			"in testing\n",
			name);
	if (rc == TK_OK && !kr.email_ok)
		fprintf(stdout, "%s: note: s= does not allow email\n", name);
	if (rc == TK_OK && !(kr.hashes & KEYREC_HASH_SHA256)) {
		snprintf(why, len, "h= does not allow sha256");
		rc = TK_MALFORMED;
	}
	crypto_pubkey_free(pk);
	keyrec_free(&kr);
	return rc;
}

/* Tests one key; prints one result line. */
static void
tk_one(struct tk *t, const char *domain, const char *selector,
       const dkimsa_key *key)
{
	char name[600], why[512] = "", *txt = NULL;
	int secure = 0, rc;

	snprintf(name, sizeof(name), "%s._domainkey.%s", selector, domain);
	rc = keydns_fetch(t->lib, domain, selector, &txt, &secure);
	switch (rc) {
	case DKIMSA_LOOKUP_OK:
		rc = tk_compare(name, txt, key, why, sizeof(why));
		if (rc == TK_OK)
			printf("%s: key OK (%s)\n", name,
			       secure ? "secure" : "not secure");
		else if (rc == TK_MISMATCH)
			printf("%s: key mismatch: %s\n", name, why);
		else
			printf("%s: record malformed: %s\n", name, why);
		break;
	case DKIMSA_LOOKUP_NXDOMAIN:
	case DKIMSA_LOOKUP_NODATA:
		printf("%s: record missing (%s)\n", name,
		       rc == DKIMSA_LOOKUP_NXDOMAIN ? "no such name"
						    : "no TXT record");
		rc = TK_MISSING;
		break;
	case DKIMSA_LOOKUP_BOGUS:
		printf("%s: DNSSEC validation failed (bogus answer)\n", name);
		rc = TK_BOGUS;
		break;
	default:
		printf("%s: DNS temporary failure (try again later)\n", name);
		rc = TK_TEMPFAIL;
		break;
	}
	if (t->verbose && rc != TK_TEMPFAIL && rc != TK_BOGUS)
		printf("%s: %s\n", name, tk_dnssec(t, secure));
	if (t->verbose && txt != NULL)
		printf("%s: record: %s\n", name, txt);
	free(txt);
	tk_worst(t, rc);
}

static void
tk_keytable(struct tk *t, const char *spec)
{
	char err[1024];
	keyset *k;
	size_t i;

	if (keyset_load(spec, &t->ko, 1, &k, err, sizeof(err)) != 0) {
		printf("KeyTable %s: %s\n", spec, err);
		tk_worst(t, TK_LOCAL);
		return;
	}
	for (i = 0; i < k->n; i++) {
		if (strcmp(k->v[i].domain, "%") == 0) {
			printf("%s: domain \"%%\" (the sender's): nothing to "
			       "look up\n",
			       k->v[i].where);
			continue;
		}
		tk_one(t, k->v[i].domain, k->v[i].selector, k->v[i].key);
	}
	if (k->n == 0)
		printf("KeyTable %s: no keys\n", spec);
	keyset_free(k);
}

/*
 * Every SigningTable value names a KeyTable entry (the KeyTable itself
 * is checked by tk_keytable); the message names the file and line or the
 * db key.
 */
static void
tk_signingtable(struct tk *t, const char *kt, const char *st)
{
	struct signing_opts so;
	signing *s = NULL;
	char err[1200];

	memset(&so, 0, sizeof(so));
	so.keytable = kt;
	so.signingtable = st;
	so.check = SIGNING_CHECK_NAMES;
	if (signing_open(&so, &s, err, sizeof(err)) != 0) {
		printf("SigningTable %s: %s\n", st, err);
		tk_worst(t, TK_LOCAL);
	}
	signing_free(s);
}

struct tk_conf {
	char *keytable, *signingtable, *user, *safe, *ta, *ns, *ubconf;
};

/* Picks the settings testkey needs from a dkimsa.conf ("Key value"). */
static int
tk_read_config(const char *path, struct tk_conf *c)
{
	static const struct {
		const char *key;
		size_t off;
	} rows[] = {
	    {"KeyTable", offsetof(struct tk_conf, keytable)},
	    {"SigningTable", offsetof(struct tk_conf, signingtable)},
	    {"UserID", offsetof(struct tk_conf, user)},
	    {"RequireSafeKeys", offsetof(struct tk_conf, safe)},
	    {"TrustAnchorFile", offsetof(struct tk_conf, ta)},
	    {"Nameservers", offsetof(struct tk_conf, ns)},
	    {"UnboundConfigFile", offsetof(struct tk_conf, ubconf)},
	};
	char line[4096], *k, *v, *e;
	FILE *fp = fopen(path, "r");
	size_t i;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((e = strchr(line, '#')) != NULL)
			*e = '\0';
		k = line + strspn(line, " \t");
		v = k + strcspn(k, " \t\r\n");
		if (*v != '\0')
			*v++ = '\0';
		v += strspn(v, " \t");
		e = v + strlen(v);
		while (e > v && strchr(" \t\r\n", e[-1]))
			*--e = '\0';
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			char **slot = (char **)((char *)c + rows[i].off);

			if (strcasecmp(k, rows[i].key) == 0 && *v != '\0') {
				free(*slot);
				*slot = strdup(v);
			}
		}
	}
	fclose(fp);
	return 0;
}

static int
tk_set(struct tk *t, const char *name, const char *value)
{
	char err[512];

	if (value == NULL)
		return 0;
	if (dkimsa_lib_set_option(t->lib, name, value, err, sizeof(err))) {
		fprintf(stderr, "dkimsa-testkey: %s: %s\n", name, err);
		return -1;
	}
	return 0;
}

/* The key owner the milter would demand: USER of UserID USER[:GROUP]. */
static int
tk_user(struct tk *t, const char *user)
{
	char name[256];
	struct passwd *pw;

	if (user == NULL)
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(user, ":"), user);
	if ((pw = getpwnam(name)) == NULL) {
		fprintf(stderr, "dkimsa-testkey: no user \"%s\"\n", name);
		return -1;
	}
	t->ko.uid = pw->pw_uid;
	return 0;
}

struct tk_args {
	const char *domain, *sel, *keyfile, *config, *kt;
	const char *ta, *ns, *ub, *tmo, *user;
};

static void
tk_parse(int argc, char **argv, struct tk_args *a, struct tk *t)
{
	static const struct option longopts[] = {
	    {"trust-anchor", required_argument, NULL, 'T'},
	    {"nameserver", required_argument, NULL, 'N'},
	    {"unbound-conf", required_argument, NULL, 'U'},
	    {"timeout", required_argument, NULL, 'W'},
	    {NULL, 0, NULL, 0}};
	static const char letters[] = "dskxKuTNUW";
	const char **slots[] = {&a->domain, &a->sel,  &a->keyfile, &a->config,
				&a->kt,	    &a->user, &a->ta,	   &a->ns,
				&a->ub,	    &a->tmo};
	const char *p;
	int ch;

	while ((ch = getopt_long(argc, argv, "d:s:k:x:K:u:v", longopts,
				 NULL)) != -1) {
		if (ch == 'v')
			t->verbose = 1;
		else if (ch != '?' && (p = strchr(letters, ch)) != NULL)
			*slots[p - letters] = optarg;
		else
			usage();
	}
	if (optind != argc ||
	    (!!a->config + !!a->kt + !!(a->domain || a->sel)) != 1 ||
	    (!a->config && !a->kt && !(a->domain && a->sel)) ||
	    (a->keyfile && !a->domain))
		usage();
}

/* Applies the DNS options and the user; 0 or an exit code. */
static int
tk_setup(struct tk *t, const struct tk_args *a, const struct tk_conf *c)
{
	const char *ta = a->ta ? a->ta : c->ta;
	const char *ub = a->ub ? a->ub : c->ubconf;
	char err[1024];

	if (c->safe != NULL && strchr("nNfF0", c->safe[0]) != NULL)
		t->ko.require_safe = 0;
	if ((t->lib = dkimsa_lib_new()) == NULL)
		return TK_LOCAL;
	if (ta != NULL && strcmp(ta, "none") == 0 && ub == NULL)
		t->validating = 0;
	if (tk_set(t, "TrustAnchorFile", ta) ||
	    tk_set(t, "Nameservers", a->ns ? a->ns : c->ns) ||
	    tk_set(t, "UnboundConfigFile", ub) ||
	    tk_set(t, "DNSTimeout", a->tmo) ||
	    tk_user(t, a->user ? a->user : c->user))
		return TK_USAGE;
	if (dkimsa_lib_start_dns(t->lib, err, sizeof(err)) != 0) {
		fprintf(stderr, "dkimsa-testkey: DNS: %s\n", err);
		return TK_LOCAL;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct tk t = {NULL, 0, 1, {1, KEYFILE_ANY_OWNER, NULL}, TK_OK};
	struct tk_conf c = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
	struct tk_args a;
	char err[1024];
	dkimsa_key *key = NULL;

	memset(&a, 0, sizeof(a));
	tk_parse(argc, argv, &a, &t);
	if (a.config != NULL && tk_read_config(a.config, &c) != 0) {
		perror(a.config);
		return TK_LOCAL;
	}
	t.ko.conf = a.config; /* it may hold a csl: KeyTable with key text */
	if (a.config != NULL && c.keytable == NULL) {
		fprintf(stderr, "dkimsa-testkey: %s sets no KeyTable\n",
			a.config);
		t.worst = TK_LOCAL;
	} else if ((t.worst = tk_setup(&t, &a, &c)) != 0) {
		/* reported */
	} else if (a.config != NULL || a.kt != NULL) {
		tk_keytable(&t, a.config ? c.keytable : a.kt);
		if (a.config != NULL && c.signingtable != NULL)
			tk_signingtable(&t, c.keytable, c.signingtable);
	} else if (a.keyfile != NULL && keyfile_load(a.keyfile, &t.ko, &key,
						     err, sizeof(err)) != 0) {
		printf("%s._domainkey.%s: private key unusable: %s\n", a.sel,
		       a.domain, err);
		t.worst = TK_LOCAL;
	} else {
		tk_one(&t, a.domain, a.sel, key);
	}
	dkimsa_key_free(key);
	dkimsa_lib_free(t.lib);
	free(c.keytable), free(c.signingtable), free(c.user), free(c.safe);
	free(c.ta), free(c.ns), free(c.ubconf);
	return t.worst;
}
