/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msg.h - per-connection and per-message state of the milter.  A conn is
 * created at connect and freed at close (or reset by a second connect);
 * a msg lives from MAIL FROM to end-of-message or abort.  Each owns what
 * it points to, except rt, on which each holds a reference.
 */
#ifndef DKIMSA_MILTER_MSG_H
#define DKIMSA_MILTER_MSG_H

#include <stddef.h>

#include "dkimsa.h"
#include "job.h"

struct rt;

enum msg_mode { MODE_NONE = 0, MODE_SIGN, MODE_VERIFY };

struct msg_hdr {
	char *name;  /* owns the block holding field too (msg_add_header) */
	char *field; /* "Name:value" as received (value with leading space) */
	size_t len;
};

/* Verify-mode results gathered for the Authentication-Results field. */
struct msg_verify {
	struct conn *conn;  /* the connection, for the jobs */
	struct job spf_job; /* SPF and Sender ID mfrom, from MAIL FROM */
	int spf_running;
	dkimsa_spf_result *spf_mailfrom, *spf_helo, *sid_mfrom, *sid_pra;
	int adsp; /* enum dkimsa_res, or -1 when not checked */
	char adsp_reason[200];
	char author[320];	    /* From: address, "" when none */
	dkimsa_dmarc_result *dmarc; /* NULL when not checked */
};

struct msg {
	char *qid;
	char *mail_from;   /* envelope sender without <> ("" for null) */
	char *auth_authen; /* NULL when not authenticated */
	char *daemon_name;
	/* our authserv-id for this message (A-R, forgeries, SPF receiver):
	 * AuthservID, else the MTA's host name (macro j), else ours */
	char *authserv_id;
	struct msg_hdr *hdrs;
	size_t nhdrs, cap;
	enum msg_mode mode;
	dkimsa_sign **signers;
	size_t nsigners;
	char **signer_names; /* "d=... s=..." per signer, for the log */
	dkimsa_verify *verify;
	struct msg_verify vr;
	/* the body hashes of the signers or verifier and the ARC object,
	 * each distinct one computed once (msg_body) */
	dkimsa_body *body;

	dkimsa_arc *arc; /* the ARC chain (arcpath.h), or NULL */
	int arc_done;	 /* its chain validated */
	int arc_forged;	 /* AARs naming us left out of it */
	/* instances (bits 1 to 50) whose AAR names us and whose ARC-Seal has
	 * our sealing d=: kept in the chain, and on the message when the
	 * chain passes (our own set from an earlier pass) */
	unsigned long long arc_own;
	char arc_override[256]; /* the trusted sealer that overrode DMARC */

	int failed; /* an internal error happened: apply the action */
	char why[1024];
};

struct conn {
	/* negotiated with the MTA once per connection (kept by conn_reset) */
	unsigned long proto; /* SMFIP_* flags agreed */
	int leadspc;	     /* header values come with their leading space */
	struct rt *rt;
	char *addr;	/* client IP text */
	char *hostname; /* client name as the MTA gives it */
	char *helo;
	int internal; /* InternalHosts */
	int ignored;  /* ExternalIgnoreList */
	struct msg *msg;
	/* a MAIL FROM refused under SMFIP_NR_MAIL, answered at the end of
	 * the message (callbacks.c): enum conn_refuse */
	int refused;
};

enum conn_refuse {
	CONN_REFUSE_NONE,
	CONN_REFUSE_TEMPFAIL, /* out of memory, or no configuration */
	CONN_REFUSE_STOPPING  /* 421: the milter is shutting down */
};

struct conn *conn_new(void);
/* Frees the message and connection details; keeps the struct. */
void conn_reset(struct conn *c);
void conn_free(struct conn *c);

struct msg *msg_new(void);
void msg_free(struct msg *m);
/* Keeps one header field; returns 0 or -1 when out of memory. */
int msg_add_header(struct msg *m, const char *name, const char *value);
/* The first field of that name, or NULL. */
const struct msg_hdr *msg_header(const struct msg *m, const char *name);
/*
 * The message's shared body hashes, made at the first call; NULL when out
 * of memory.  Every object that hashes the body attaches to it at end of
 * headers, and the body goes to it once (dkimsa_body_update).
 */
dkimsa_body *msg_body(struct msg *m);

#endif
