/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyfile.h - private keys for KeyTable entries, loaded and parsed once
 * per (re)load, with OpenDKIM's safety check made precise: a key file
 * that group or others may read or write, or that belongs to a user other
 * than root or the one the milter runs as, is refused with a message that
 * names the path, the mode, the owner and the fix.
 *
 * Memory: a loaded key belongs to the caller (dkimsa_key_free).
 */
#ifndef DKIMSA_KEYFILE_H
#define DKIMSA_KEYFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "dkimsa.h"

struct keyfile_opts {
	int require_safe; /* RequireSafeKeys (default 1) */
	uid_t uid;	  /* the user the milter runs as; KEYFILE_ANY_OWNER
			     skips the owner check (for tools that do not
			     know that user); the mode is checked anyway */
	const char *conf; /* dkimsa.conf, or NULL: the file that holds the
			     text given to keyfile_load() (KeyFile) and
			     csl: KeyTables, checked when that text is the
			     key itself */
};

#define KEYFILE_ANY_OWNER ((uid_t)-1)

/*
 * Checks the mode and owner of the open file fd named path against o.
 * 0, or DKIMSA_EKEY with the exact complaint in err.
 */
int keyfile_check(int fd, const char *path, const struct keyfile_opts *o,
		  char *err, size_t errlen);
/*
 * Loads the key a KeyTable names: spec is a path (starting with "/",
 * "./" or "../") or the key itself: PEM text, base64 DER (PKCS#8 or
 * PKCS#1) without the PEM lines, or the base64 Ed25519 seed.  Inline key
 * data is never copied into err.  When spec is key data and o->conf is
 * set, o->conf holds it (KeyFile) and is checked first
 * (keyfile_check_holder).
 */
int keyfile_load(const char *spec, const struct keyfile_opts *o,
		 dkimsa_key **out, char *err, size_t errlen);
/*
 * Checks holder, the file that holds inline key text (a KeyTable, or
 * dkimsa.conf), like a key file: with RequireSafeKeys it must not be
 * readable or writable by group or others, and must belong to root or
 * o->uid.  where ("PATH, line N") locates the key in it.  0, or
 * DKIMSA_EKEY with a message naming where, the mode, the owner and the
 * fix.  0 without RequireSafeKeys or when holder is NULL.
 */
int keyfile_check_holder(const char *holder, const char *where,
			 const struct keyfile_opts *o, char *err,
			 size_t errlen);
/*
 * "PATH, line N" for the first line of the configuration file path that
 * sets name ("KeyFile"), or "PATH" when no line does.
 */
void keyfile_conf_where(const char *path, const char *name, char *buf,
			size_t len);
/* 1 when spec is taken as a path by keyfile_load. */
int keyfile_is_path(const char *spec);

#endif
