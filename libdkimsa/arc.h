/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc.h - the ARC object (RFC 8617) shared by its files: arc.c (the
 * public object, collecting the sets), arc_aar.c (the
 * ARC-Authentication-Results prefix), arc_keys.c (key lookups per
 * selector and domain), arc_chain.c (validation, section 5.2) and
 * arc_seal.c (sealing, section 5.1).  The body hashes, one per distinct
 * canonicalisation, l= and digest, are slots of a dkimsa_body (body.c):
 * the object's own, or the message's, shared with its DKIM signers or
 * verifier (dkimsa_arc_set_body).  The object owns everything in it and
 * holds a reference on its dkimsa_body.
 */
#ifndef DKIMSA_ARC_H
#define DKIMSA_ARC_H

#include <stddef.h>

#include "body.h"
#include "crypto.h"
#include "dkimsa.h"
#include "dns.h"
#include "hdr.h"
#include "sig.h"

#define ARC_MAX_SETS 50
/* ARC fields parsed at most: three per set; more means fail. */
#define ARC_MAX_FIELDS (3 * ARC_MAX_SETS)
/* Distinct selector/domain pairs looked up per message. */
#define ARC_MAX_KEYS (2 * ARC_MAX_SETS)

/* One ARC set: indices into the header list, -1 when absent. */
struct arc_set {
	long aar, ams, as;
	struct sig ams_sig, as_sig;
	int bh;		/* body hash slot of the AMS (its own c= and l=) */
	int bh_relaxed; /* an AMS without c=: also relaxed, the ARC drafts'
			   default; -1 otherwise */
};

struct arc_key {
	char *domain, *selector;
	dns_query *q; /* started at end of headers */
	int fetched, rc, secure;
	char *txt;
	/* the record parsed for pk_alg, once per message */
	int pk_alg, pk_cause;
	crypto_pubkey *pk;
	char pk_why[160];
};

struct dkimsa_arc {
	dkimsa_lib *lib;
	dkimsa_key_fn key_fn;
	void *key_arg;
	long long now;
	struct hdrs hdrs;
	int state;  /* 0 headers, 1 body, 2 finished */
	int nsets;  /* highest instance seen */
	int broken; /* fail decided at end of headers */
	struct arc_set set[ARC_MAX_SETS + 1]; /* by instance; [0] unused */
	struct arc_key keys[ARC_MAX_KEYS];
	int nkeys;
	dkimsa_body *body; /* body hash slots: own, or shared */
	int body_shared;   /* dkimsa_arc_set_body */
	int may_seal;	   /* dkimsa_arc_set_sealing before the body */
	int no_oldest;	   /* dkimsa_arc_set_oldest_pass(a, 0) */
	int seal_bh;	   /* our relaxed body hash slot, -1 when not sealing */
	dkimsa_arc_result res;
	char reason[256];
	char sealer[256], op_sealer[256], remote_ip[64];
};

/* The one place the chain's result changes: result, instance, reason. */
void arc_set_result(dkimsa_arc *a, int result, int instance, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

/*
 * ARC-Authentication-Results (RFC 8617 4.1.1): the field value must start
 * with "i=" instance ";" and hold an authserv-id after it.  Returns the
 * instance (1..50), or -1 with the reason.  When ip is not NULL it gets
 * the smtp.remote-ip value, if any, made of IP address characters only.
 */
int arc_aar_parse(const char *field, size_t len, char *ip, size_t iplen,
		  char *reason, size_t rlen);

/* Key lookups: remembers pairs and starts queries (lib DNS only). */
void arc_keys_want(dkimsa_arc *a, const char *domain, const char *selector);
/*
 * The record text for a pair (owned by a), or NULL with the reason; the
 * lookup is made once per pair and message.
 */
const char *arc_keys_get(dkimsa_arc *a, const char *domain,
			 const char *selector, char *reason, size_t rlen);
/*
 * The public key of a pair checked for alg (keyrec_pubkey: k=, h=, s=,
 * p=), parsed once per message and algorithm; NULL with the reason.
 * Owned by a.
 */
const crypto_pubkey *arc_keys_pubkey(dkimsa_arc *a, const char *domain,
				     const char *selector, int alg, char *why,
				     size_t wlen);
void arc_keys_free(dkimsa_arc *a);
/* 1 when every key lookup started at end of headers has its answer. */
int arc_keys_ready(const dkimsa_arc *a);

/* Section 5.2 over the parsed sets; sets a->res. */
void arc_chain_validate(dkimsa_arc *a);

#endif
