/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msess.h - one milter session as an MTA runs it: connect, negotiate
 * (SMFIC_OPTNEG), connect and HELO stages, then any number of messages
 * (MAIL, RCPT, DATA, headers, EOH, body, end of body), then QUIT.
 * Steps the milter declined in the negotiation are skipped and replies it
 * declined are not waited for.  The struct owns its mproto.
 */
#ifndef MSESS_H
#define MSESS_H

#include "mlmsg.h"
#include "mlstats.h"
#include "mproto.h"

struct msess_opts {
	const char *socket;	 /* inet:PORT@HOST or unix:PATH */
	const char *client_addr; /* SMTP client address (IPv4 or IPv6) */
	const char *client_name; /* its host name, e.g. [192.0.2.10] */
	const char *helo;
	const char *from, *rcpt; /* envelope addresses, without <> */
	const char *authserv;	 /* the MTA's name: macro j */
	int timeout_s;		 /* per read or write */
	int verbose;		 /* print each modification on stdout */
	int per_packet; /* write each packet at once, not as Postfix does */
};

struct msess {
	const struct msess_opts *o;
	struct mproto p;
	unsigned long pflags; /* protocol flags the milter asked for */
	unsigned long aflags; /* modifications it may make */
	int done;	      /* a verdict for the whole connection came */
	enum mlstats_reply verdict; /* ... this one */
	int in_msg;    /* message cut short: ABORT before the next */
	unsigned port; /* SMTP client port told to the milter */
};

struct msess_result {
	enum mlstats_reply reply;
	double lat_us; /* MAIL sent until the final reply */
	int mods;      /* modification replies */
	int dkim_sigs; /* of which header inserts/adds of DKIM-Signature */
	int ar_hdrs;   /* ... of Authentication-Results */
	int ar_pass;   /* ... of those, the ones saying dkim=pass */
	int cut;       /* the milter took the message (MAIL), then the
			  session broke before the final reply */
	int hangup;    /* a 421 reply or SMFIR_SHUTDOWN: Postfix's smtpd ends
		       the SMTP session, so the session ends */
	char why[256]; /* for errors: what went wrong */
};

/* Returns 0 with a session ready for messages (s->done set if the milter
 * already gave a verdict for the connection), or -1 with errmsg. */
int msess_open(struct msess *s, const struct msess_opts *o, unsigned port,
	       char *errmsg, size_t errlen);
/* Sends one message; qid is the queue id shown to the milter (macro i).
 * r->reply is MLSTATS_ERROR when the session broke; then close it. */
void msess_message(struct msess *s, const struct mlmsg *m, const char *qid,
		   struct msess_result *r);
/* Sends QUIT (unless the session broke) and closes. */
void msess_close(struct msess *s, int broken);

#endif
