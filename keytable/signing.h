/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * signing.h - which keys sign a message: the OpenDKIM SigningTable and
 * KeyTable, resolved to {domain, selector, key}.
 *
 * KeyTable: key name -> "domain:selector:keyfile" (keyfile a path or the
 * key itself, see keyfile.h; domain "%" means the sender's domain).
 * Both tables are opened by signing_open and looked up per message: the
 * KeyTable entry a SigningTable match names is read then, and its key
 * comes from a bounded cache of parsed keys (keycache.h) that reads the
 * file again when it changed.  A KeyTable entry or key that cannot be
 * used at lookup is KT_ERROR (tempfail), reported through the log
 * callback at most once a minute per key name.
 *
 * The whole check (every KeyTable entry well-formed with a safe key that
 * parses, every SigningTable value naming a KeyTable entry; a bad entry
 * fails the open with "PATH, line N: reason" or "PATH.db, key \"k\"") is
 * made by signing_open with SIGNING_CHECK_ALL (dkimsa -n), and by default
 * for each table that is small: csl:, or file:/refile: of fewer than
 * SIGNING_SMALL_LINES lines.
 *
 * SigningTable: sender -> "keyname[:signer]" (keyname "%" means the
 * sender's domain; "%" in signer is replaced by it).  A refile: table is
 * matched against "user@domain" in file order.  Any other type is probed
 * in OpenDKIM's order: user@domain, domain, user@.parent and .parent for
 * each parent domain (nearest first), user@*, *.  Without MultipleSignatures
 * the first match is used; with it every match, in that order (the same
 * key name only once).  Every key name the SigningTable uses must exist in
 * the KeyTable: checked at open when the SigningTable is checked whole,
 * and always at lookup.
 *
 * Threading: after signing_open, lookups may run in any number of threads.
 * Memory: signing_lookup returns an array the caller frees with
 * signing_matches_free; each match holds its own key reference.
 */
#ifndef DKIMSA_SIGNING_H
#define DKIMSA_SIGNING_H

#include <stddef.h>
#include <sys/types.h>

#include "dkimsa.h"
#include "keytable.h"

typedef struct signing signing;

/* signing_opts.check */
#define SIGNING_CHECK_SMALL 0 /* check small tables whole at open */
#define SIGNING_CHECK_ALL 1   /* check both tables whole at open */
#define SIGNING_CHECK_NAMES                                                    \
	2 /* only the SigningTable whole (its key names;
				 the caller checks the KeyTable) */
#define SIGNING_SMALL_LINES 1000

/* Called with one complete message (a KeyTable entry or key unusable). */
typedef void (*signing_log_fn)(void *arg, const char *msg);

struct signing_opts {
	const char *keytable;	  /* "type:name" */
	const char *signingtable; /* "type:name" */
	int multiple;		  /* MultipleSignatures */
	int require_safe;	  /* RequireSafeKeys */
	uid_t uid;		  /* the user the milter runs as */
	const char *conf;	  /* dkimsa.conf (holds a csl: KeyTable) */
	int subdomains;		  /* SubDomains: try the parent domains too */
	int check;		  /* SIGNING_CHECK_* */
	size_t cache_size;	  /* KeyCacheSize; 0: KEYCACHE_DEFAULT_SIZE */
	signing_log_fn log;	  /* or NULL */
	void *log_arg;
};

struct signing_match {
	char *keyname;	 /* KeyTable key name */
	char *domain;	 /* d= */
	char *selector;	 /* s= */
	char *signer;	 /* i= from the SigningTable, or NULL */
	dkimsa_key *key; /* a reference owned by the match */
};

/* 0, or a DKIMSA_E* code with "PATH, line N: reason" in err. */
int signing_open(const struct signing_opts *o, signing **out, char *err,
		 size_t errlen);
/*
 * Keys for the sender address addr ("user@domain"; a bare domain is taken
 * as the domain).  KT_FOUND with *n >= 1 matches in *out, KT_NOTFOUND, or
 * KT_ERROR (tempfail) with the reason in err.
 */
int signing_lookup(signing *s, const char *addr, struct signing_match **out,
		   size_t *n, char *err, size_t errlen);
void signing_matches_free(struct signing_match *m, size_t n);
/*
 * Whether addr has a SigningTable match (the same search), without
 * reading the KeyTable or any key: KT_FOUND, KT_NOTFOUND or KT_ERROR.
 */
int signing_listed(signing *s, const char *addr, char *err, size_t errlen);
/*
 * SubDomains (OpenDKIM's key): a sender whose domain has no entry is
 * looked up again as user@PARENT for each parent domain that still has a
 * dot, nearest first, by signing_lookup (when opened with subdomains)
 * and by signing_domain.  The domain that matched is the signing domain:
 * "%" means it, not the sender's own domain.
 *
 * signing_domain: domain or (subdomains) its nearest listed parent in
 * the table t (Domain's list).  KT_FOUND with the matched name in
 * matched, KT_NOTFOUND, or KT_ERROR with the reason in err.
 */
int signing_domain(kt_table *t, const char *domain, int subdomains,
		   char *matched, size_t mlen, char *err, size_t errlen);
/* Number of KeyTable entries checked at open (0 when not checked). */
size_t signing_key_count(const signing *s);
/* The key cache's counters (keycache.h). */
struct keycache_stats;
void signing_cache_stats(signing *s, struct keycache_stats *st);
void signing_free(signing *s);

#endif
