/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * callbacks.c - thin xxfi_* functions: keep the connection and message
 * contexts (msg.c), choose the mode at end of headers (policy.c) and hand
 * the work to the sign or verify path.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "arcpath.h"
#include "callbacks.h"
#include "metrics_msg.h"
#include "mlog.h"
#include "msg.h"
#include "policy.h"
#include "reply.h"
#include "rt.h"
#include "signpath.h"
#include "verifypath.h"

static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;
static int cb_inflight; /* messages between MAIL FROM and their end */
static int cb_conns;	/* connections between negotiation and close */
static int cb_draining; /* stopping: no new connections */

/* The answer for a step whose reply the MTA may have waived (SMFIP_NR_*
 * flags negotiated on this connection). */
static sfsistat
cb_reply(const struct conn *c, unsigned long nr_flag)
{
	return (c != NULL && (c->proto & nr_flag)) ? SMFIS_NOREPLY
						   : SMFIS_CONTINUE;
}

void
callbacks_drain(void)
{
	pthread_mutex_lock(&cb_lock);
	cb_draining = 1;
	pthread_mutex_unlock(&cb_lock);
}

int
callbacks_connections(void)
{
	int n;

	pthread_mutex_lock(&cb_lock);
	n = cb_conns;
	pthread_mutex_unlock(&cb_lock);
	return n;
}

int
callbacks_inflight(void)
{
	int n;

	pthread_mutex_lock(&cb_lock);
	n = cb_inflight;
	pthread_mutex_unlock(&cb_lock);
	return n;
}

/* Ends the connection's message, if any (end, abort, close, reset). */
static void
cb_msg_end(struct conn *c)
{
	if (c->msg == NULL && c->refused == CONN_REFUSE_NONE)
		return;
	msg_free(c->msg);
	c->msg = NULL;
	c->refused = CONN_REFUSE_NONE;
	pthread_mutex_lock(&cb_lock);
	cb_inflight--;
	pthread_mutex_unlock(&cb_lock);
}

static struct conn *
cb_conn(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

/* The connection's context, made at negotiation (or at connect when the
 * MTA does not negotiate). */
static struct conn *
cb_conn_new(SMFICTX *ctx)
{
	struct conn *c = conn_new();

	if (c == NULL)
		return NULL;
	smfi_setpriv(ctx, c);
	pthread_mutex_lock(&cb_lock);
	cb_conns++;
	pthread_mutex_unlock(&cb_lock);
	return c;
}

static sfsistat
cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
	     unsigned long f3, unsigned long *pf0, unsigned long *pf1,
	     unsigned long *pf2, unsigned long *pf3)
{
	struct conn *c = cb_conn(ctx);

	(void)f2;
	(void)f3;
	if (c == NULL && (c = cb_conn_new(ctx)) == NULL)
		return SMFIS_TEMPFAIL;
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE);
	/* Fewer round trips: no RCPT, DATA or unknown commands, and no
	 * reply to HELO, MAIL, each header, end of headers or each body
	 * chunk (errors there are answered at end of message). */
	*pf1 = f1 & (SMFIP_HDR_LEADSPC | SMFIP_NORCPT | SMFIP_NODATA |
		     SMFIP_NOUNKNOWN | SMFIP_NR_HELO | SMFIP_NR_MAIL |
		     SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY);
	c->leadspc = (f1 & SMFIP_HDR_LEADSPC) != 0;
	c->proto = *pf1;
	*pf2 = *pf3 = 0;
	return SMFIS_CONTINUE;
}

static char *
cb_addr_text(const struct sockaddr *sa)
{
	char text[INET6_ADDRSTRLEN];

	if (sa == NULL)
		return NULL;
	if (sa->sa_family == AF_INET &&
	    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		      text, sizeof(text)) != NULL)
		return strdup(text);
	if (sa->sa_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		      text, sizeof(text)) != NULL) {
		/* IPv4-mapped addresses are checked as IPv4 */
		if (strncmp(text, "::ffff:", 7) == 0 && strchr(text, '.'))
			return strdup(text + 7);
		return strdup(text);
	}
	return NULL;
}

static sfsistat
cb_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *sa)
{
	struct conn *c = cb_conn(ctx);
	struct rt *rt;

	if (c == NULL && (c = cb_conn_new(ctx)) == NULL)
		return SMFIS_TEMPFAIL;
	cb_msg_end(c);
	conn_reset(c); /* a second connect starts over */
	pthread_mutex_lock(&cb_lock);
	if (cb_draining) {
		pthread_mutex_unlock(&cb_lock);
		smfi_setreply(ctx, "421", "4.3.2", "dkimsa: shutting down");
		return SMFIS_TEMPFAIL;
	}
	pthread_mutex_unlock(&cb_lock);
	if ((c->rt = rt = rt_current()) == NULL)
		return SMFIS_TEMPFAIL; /* stopped */
	c->addr = cb_addr_text(sa);
	c->hostname = hostname ? strdup(hostname) : NULL;
	if (rt->peers && hostlist_match(rt->peers, c->addr, c->hostname)) {
		return SMFIS_ACCEPT; /* PeerList: untouched */
	}
	c->internal =
	    rt->internal && hostlist_match(rt->internal, c->addr, c->hostname);
	c->ignored =
	    rt->ignore && hostlist_match(rt->ignore, c->addr, c->hostname);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_helo(SMFICTX *ctx, char *helo)
{
	struct conn *c = cb_conn(ctx);

	if (c == NULL)
		return SMFIS_CONTINUE;
	free(c->helo);
	c->helo = helo ? strdup(helo) : NULL;
	return cb_reply(c, SMFIP_NR_HELO);
}

static char *
cb_symval(SMFICTX *ctx, const char *name)
{
	char *v = smfi_getsymval(ctx, (char *)name);

	return v && *v ? strdup(v) : NULL;
}

/*
 * The authserv-id of a message: AuthservID when set, else the MTA's host
 * name, the macro j (Postfix's myhostname; Postfix and sendmail send it at
 * connect unless told otherwise), when it is a host name, else ours
 * (rt.c).  NULL only when no host name is known at all.
 */
static char *
cb_authserv_id(SMFICTX *ctx, const struct rt *rt)
{
	static const char host_chars[] = "abcdefghijklmnopqrstuvwxyz"
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789.-_";
	const char *j = smfi_getsymval(ctx, "j");
	size_t n = j ? strlen(j) : 0;

	if (rt->cfg.authserv_id == NULL && n > 0 && n < 254 &&
	    strspn(j, host_chars) == n)
		return strdup(j);
	return rt->authserv_id ? strdup(rt->authserv_id) : NULL;
}

/* The answer to a MAIL FROM that cannot be taken. */
static sfsistat
cb_refusal(SMFICTX *ctx, int why)
{
	if (why == CONN_REFUSE_STOPPING)
		smfi_setreply(ctx, "421", "4.3.2", "dkimsa: shutting down");
	return SMFIS_TEMPFAIL;
}

/*
 * Refuses a MAIL FROM.  With SMFIP_NR_MAIL the MTA waits for no reply
 * there (one round trip less per message), so the refusal is kept and
 * given at end of message (or at end of headers when that step has a
 * reply); until then the message counts as in progress, so that a stop
 * waits for its answer.
 */
static sfsistat
cb_refuse(SMFICTX *ctx, struct conn *c, int why)
{
	if (!(c->proto & SMFIP_NR_MAIL))
		return cb_refusal(ctx, why);
	c->refused = why;
	pthread_mutex_lock(&cb_lock);
	cb_inflight++;
	pthread_mutex_unlock(&cb_lock);
	return SMFIS_NOREPLY;
}

/* The refusal kept by cb_refuse, given now; the message ends. */
static sfsistat
cb_refused(SMFICTX *ctx, struct conn *c)
{
	sfsistat rc = cb_refusal(ctx, c->refused);

	cb_msg_end(c);
	return rc;
}

static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = cb_conn(ctx);
	const char *from = argv && argv[0] ? argv[0] : "";
	size_t n;

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	cb_msg_end(c);
	if (c->rt == NULL || (c->msg = msg_new()) == NULL)
		return cb_refuse(ctx, c, CONN_REFUSE_TEMPFAIL);
	/* one step, so that SIGTERM never sees 0 for an accepted message */
	pthread_mutex_lock(&cb_lock);
	if (cb_draining) {
		pthread_mutex_unlock(&cb_lock);
		msg_free(c->msg);
		c->msg = NULL;
		return cb_refuse(ctx, c, CONN_REFUSE_STOPPING);
	}
	cb_inflight++;
	pthread_mutex_unlock(&cb_lock);
	if (*from == '<')
		from++;
	n = strcspn(from, ">");
	c->msg->mail_from = strndup(from, n);
	c->msg->auth_authen = cb_symval(ctx, "{auth_authen}");
	if (c->msg->auth_authen == NULL)
		c->msg->auth_authen = cb_symval(ctx, "{auth_type}");
	c->msg->daemon_name = cb_symval(ctx, "{daemon_name}");
	c->msg->authserv_id = cb_authserv_id(ctx, c->rt);
	c->msg->qid = cb_symval(ctx, "i");
	if (c->rt->can_verify && !c->internal && !c->msg->auth_authen) {
		/* SPF and Sender ID mfrom: DNSTimeout from now, in all */
		dkimsa_dns_deadline_set(dkimsa_dns_deadline_new(c->rt->lib));
		verifypath_mailfrom(c, c->msg);
		dkimsa_dns_deadline_set(0);
	}
	return cb_reply(c, SMFIP_NR_MAIL);
}

static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = cb_conn(ctx);
	char *v = value;

	if (c == NULL || c->msg == NULL)
		return cb_reply(c, SMFIP_NR_HDR);
	if (!c->leadspc && (v = malloc(strlen(value) + 2)) != NULL)
		sprintf(v, " %s", value);
	if (v == NULL || msg_add_header(c->msg, name, v) != 0) {
		c->msg->failed = 1;
		snprintf(c->msg->why, sizeof(c->msg->why), "out of memory");
	}
	if (v != value)
		free(v);
	return cb_reply(c, SMFIP_NR_HDR);
}

/*
 * With SMFIP_NR_EOH the MTA waits for no reply at end of headers (one
 * round trip less per message): a failure there is kept in the message
 * (failed, why, mode) and answered at end of message the way it would
 * have been here; a message left alone just gets no more work.
 */
static int
cb_eoh_defer(struct conn *c, struct msg *m, int mode)
{
	if (!(c->proto & SMFIP_NR_EOH))
		return 0;
	m->failed = mode != MODE_NONE;
	m->mode = mode;
	return 1;
}

/* Sign when trusted and a key applies; else verify when Mode has v. */
static sfsistat
cb_eoh(SMFICTX *ctx)
{
	struct conn *c = cb_conn(ctx);
	struct msg *m = c ? c->msg : NULL;
	char sender[320];
	int have_sender;

	if (m == NULL && c != NULL && (c->proto & SMFIP_NR_EOH))
		return SMFIS_NOREPLY; /* a refusal waits for end of message */
	if (m == NULL)
		return c && c->refused ? cb_refused(ctx, c) : SMFIS_TEMPFAIL;
	if (m->failed)
		return cb_eoh_defer(c, m, MODE_SIGN)
			   ? SMFIS_NOREPLY
			   : signpath_error(ctx, c, m);
	if (m->qid == NULL)
		m->qid = cb_symval(ctx, "i");
	have_sender = policy_sender(c->rt, m, sender, sizeof(sender)) == 0;
	if (c->rt->can_sign && policy_trusted(c, ctx)) {
		if (have_sender && policy_signers(c->rt, m, sender) != 0)
			return cb_eoh_defer(c, m, MODE_SIGN)
				   ? SMFIS_NOREPLY
				   : signpath_error(ctx, c, m);
		if (m->nsigners > 0) {
			m->mode = MODE_SIGN;
			if (arcpath_eoh(c, m, 1) != 0) {
				snprintf(m->why, sizeof(m->why),
					 "cannot set up ARC sealing");
				return cb_eoh_defer(c, m, MODE_SIGN)
					   ? SMFIS_NOREPLY
					   : signpath_error(ctx, c, m);
			}
			return cb_reply(c, SMFIP_NR_EOH);
		}
		mlog(LOG_INFO, "%s: no signing key for %s; not signed",
		     m->qid ? m->qid : "NOQUEUE",
		     have_sender ? sender : "(no sender address)");
	} else if (c->rt->can_sign && have_sender && !c->ignored &&
		   policy_is_our_domain(c->rt, sender)) {
		mlog(LOG_NOTICE,
		     "%s: external host %s tried to send as %s (our domain)",
		     m->qid ? m->qid : "NOQUEUE", c->addr ? c->addr : "unknown",
		     sender);
	}
	if (!c->rt->can_verify)
		return cb_eoh_defer(c, m, MODE_NONE) ? SMFIS_NOREPLY
						     : SMFIS_ACCEPT;
	m->mode = MODE_VERIFY;
	if (verifypath_eoh(c, m) != 0) {
		snprintf(m->why, sizeof(m->why), "cannot set up verification");
		mlog(LOG_ERR, "%s: %s", m->qid ? m->qid : "NOQUEUE", m->why);
		if (cb_eoh_defer(c, m, MODE_VERIFY))
			return SMFIS_NOREPLY;
		return reply_action(ctx, c->rt->cfg.on_internal_error, "4.3.0",
				    m->why);
	}
	return cb_reply(c, SMFIP_NR_EOH);
}

/* cb_eoh, counting the messages that end there (metrics_msg.h). */
static sfsistat
cb_eoh_counted(SMFICTX *ctx)
{
	struct conn *c = cb_conn(ctx);
	sfsistat rc = cb_eoh(ctx);

	/* NOREPLY (SMFIP_NR_EOH): the answer, if any, is at end of message */
	if (rc != SMFIS_CONTINUE && rc != SMFIS_NOREPLY && c != NULL &&
	    c->msg != NULL)
		metrics_msg_end(c->msg, rc, 0);
	return rc;
}

static sfsistat
cb_body(SMFICTX *ctx, unsigned char *data, size_t len)
{
	struct conn *c = cb_conn(ctx);
	struct msg *m = c ? c->msg : NULL;

	(void)ctx;
	if (m == NULL || m->failed)
		return cb_reply(c, SMFIP_NR_BODY);
	if (m->mode == MODE_SIGN && signpath_body(m, data, len) != 0)
		m->failed = 1; /* answered at end of message */
	if (m->mode == MODE_VERIFY && verifypath_body(m, data, len) != 0) {
		snprintf(m->why, sizeof(m->why), "verification failed");
		m->failed = 1;
	}
	return cb_reply(c, SMFIP_NR_BODY);
}

static sfsistat
cb_eom(SMFICTX *ctx)
{
	struct conn *c = cb_conn(ctx);
	struct msg *m = c ? c->msg : NULL;
	sfsistat rc = SMFIS_CONTINUE;
	long long t0 = metrics_msg_begin(); /* for the latency (metrics.h) */

	if (m == NULL)
		return c && c->refused ? cb_refused(ctx, c) : SMFIS_CONTINUE;
	free(m->qid);
	m->qid = cb_symval(ctx, "i");
	if (m->failed && m->mode == MODE_SIGN)
		rc = signpath_error(ctx, c, m);
	else if (m->failed && m->mode == MODE_VERIFY)
		rc = reply_action(ctx, c->rt->cfg.on_internal_error, "4.3.0",
				  m->why);
	else if (m->mode == MODE_SIGN)
		rc = signpath_eom(ctx, c, m);
	else if (m->mode == MODE_VERIFY) {
		/* the reply waits DNSTimeout at most for all the DNS left */
		dkimsa_dns_deadline_set(dkimsa_dns_deadline_new(c->rt->lib));
		rc = verifypath_eom(ctx, c, m);
		dkimsa_dns_deadline_set(0);
	} else {
		rc = SMFIS_ACCEPT; /* left alone at end of headers */
	}
	metrics_msg_end(m, rc, t0);
	cb_msg_end(c);
	return rc;
}

static sfsistat
cb_abort(SMFICTX *ctx)
{
	struct conn *c = cb_conn(ctx);

	if (c != NULL)
		cb_msg_end(c);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_close(SMFICTX *ctx)
{
	struct conn *c = cb_conn(ctx);

	if (c == NULL)
		return SMFIS_CONTINUE;
	cb_msg_end(c);
	conn_free(c);
	smfi_setpriv(ctx, NULL);
	pthread_mutex_lock(&cb_lock);
	cb_conns--;
	pthread_mutex_unlock(&cb_lock);
	return SMFIS_CONTINUE;
}

struct smfiDesc callbacks_desc = {
    .xxfi_name = "dkimsa",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
    .xxfi_connect = cb_connect,
    .xxfi_helo = cb_helo,
    .xxfi_envfrom = cb_envfrom,
    .xxfi_header = cb_header,
    .xxfi_eoh = cb_eoh_counted,
    .xxfi_body = cb_body,
    .xxfi_eom = cb_eom,
    .xxfi_abort = cb_abort,
    .xxfi_close = cb_close,
    .xxfi_negotiate = cb_negotiate,
};
