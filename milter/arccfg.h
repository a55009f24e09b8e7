/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arccfg.h - the ARC settings of dkimsa.conf made usable, once per
 * (re)load: ARCSign, ARCSignMode (verify, sign, both), ARCKey (a KeyTable
 * key name: its domain, selector and key make the seal) and
 * ARCTrustedSealers (a table of sealing domains for the DMARC override).
 * ARCKey's key is checked at (re)load and read again for a seal when its
 * file changed (arccfg_seal_key).
 * The per-message work is arcpath.h's.  Memory: a struct arccfg belongs
 * to the run-time state (rt.h) and is freed with arccfg_free.
 */
#ifndef DKIMSA_MILTER_ARCCFG_H
#define DKIMSA_MILTER_ARCCFG_H

#include <stddef.h>
#include <sys/types.h>

#include "cfg.h"
#include "dkimsa.h"
#include "keycache.h"
#include "keyfile.h"
#include "keytable.h"

struct arccfg {
	int seal_verify;	/* seal messages handled in verify mode */
	int seal_sign;		/* seal messages handled in sign mode */
	char *domain;		/* d= of AMS and AS (the ARCKey entry) */
	char *selector;		/* s= */
	keycache *keys;		/* ARCKey's key (one entry), or NULL */
	char *keyspec;		/* its key file, or the key text itself */
	char *holder;		/* the file holding key text, or NULL */
	char where[1400];	/* "KeyTable SPEC, key \"NAME\"" */
	struct keyfile_opts ko; /* RequireSafeKeys, the milter's uid */
	kt_table *trusted;	/* ARCTrustedSealers, or NULL */
	char trusted_spec[600]; /* for messages, without passwords */
};

/*
 * Reads the ARC settings of cfg (conf: the configuration file, which may
 * hold a csl: KeyTable; uid: the user the milter runs as, for
 * RequireSafeKeys).  0, or -1 with "KEY: reason" in err.  *out stays NULL
 * when nothing ARC needs at run time is set.
 */
int arccfg_load(const struct cfg *cfg, const char *conf, uid_t uid,
		struct arccfg **out, char *err, size_t errlen);
/*
 * ARCKey's key for one seal (a new reference), read again when its file
 * changed since the last seal, as KeyTable keys are (keycache.h), so a
 * key replaced on disk seals at once and one that became unusable fails
 * the seal.  0, or a DKIMSA_E* code with "key PATH: reason" in err.
 */
int arccfg_seal_key(const struct arccfg *a, dkimsa_key **out, char *err,
		    size_t errlen);
void arccfg_free(struct arccfg *a);

#endif
