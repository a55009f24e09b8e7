/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyset.h - a KeyTable read into memory: key name -> domain, selector
 * and the key, each value "domain:selector:keyfile" checked and each key
 * loaded (with the keyfile.h safety check) once.
 *
 * Memory: a keyset owns its entries and their key references.
 */
#ifndef DKIMSA_KEYSET_H
#define DKIMSA_KEYSET_H

#include <stddef.h>

#include "dkimsa.h"
#include "keyfile.h"

struct keyset_entry {
	char *name;   /* key name (folded to lower case) */
	char *domain; /* "%" = the sender's domain */
	char *selector;
	char *keyfile;	 /* a path, or the key data itself */
	char *where;	 /* "PATH, line N" of the entry */
	dkimsa_key *key; /* NULL when loaded with load_keys == 0 */
};

typedef struct keyset {
	struct keyset_entry *v; /* sorted by name */
	size_t n;
	char *spec; /* "type:name" of the KeyTable */
} keyset;

/*
 * Reads the KeyTable spec; with load_keys, loads every key using o.
 * 0, or a DKIMSA_E* code with "PATH, line N: reason" in err.
 */
int keyset_load(const char *spec, const struct keyfile_opts *o, int load_keys,
		keyset **out, char *err, size_t errlen);
/* The entry named name (case-insensitive), or NULL. */
const struct keyset_entry *keyset_find(const keyset *k, const char *name);
/*
 * Splits a KeyTable value into malloc()ed parts; 0, DKIMSA_ESYNTAX with
 * the reason in err, or DKIMSA_ENOMEM.
 */
int keyset_parse(const char *value, char **domain, char **selector,
		 char **keyfile, char *err, size_t errlen);
void keyset_free(keyset *k);

#endif
