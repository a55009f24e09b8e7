/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arccfg.h - the ARC settings of dkimsa.conf made usable, once per
 * (re)load: ARCSign, ARCSignMode (verify, sign, both), ARCKey (a KeyTable
 * key name: its domain, selector and key make the seal) and
 * ARCTrustedSealers (a table of sealing domains for the DMARC override).
 * The per-message work is arcpath.h's.  Memory: a struct arccfg belongs
 * to the run-time state (rt.h) and is freed with arccfg_free.
 */
#ifndef DKIMSA_MILTER_ARCCFG_H
#define DKIMSA_MILTER_ARCCFG_H

#include <stddef.h>
#include <sys/types.h>

#include "cfg.h"
#include "dkimsa.h"
#include "keytable.h"

struct arccfg {
	int seal_verify;	/* seal messages handled in verify mode */
	int seal_sign;		/* seal messages handled in sign mode */
	char *domain;		/* d= of AMS and AS (the ARCKey entry) */
	char *selector;		/* s= */
	dkimsa_key *key;	/* ARCKey's private key, or NULL */
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
void arccfg_free(struct arccfg *a);

#endif
