/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msess.c - a milter session driven the way Postfix's milter8.c drives
 * one (protocol version 6); see msess.h.  Packets go through a 4 KiB
 * write buffer flushed only when a reply is awaited, when it is full and
 * at the end of the envelope (where smtpd hands the milter to cleanup),
 * as Postfix's double-buffered VSTREAM does; per_packet writes each at
 * once instead.  Folded header values go out
 * with "\n" + WSP between lines and the body with CRLF line ends, as
 * Postfix sends them.  Memory: the session owns its mproto; results are
 * plain values in the caller's struct.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "msess.h"

#define MSESS_VERSION 6

enum { MSESS_GO, MSESS_STOP, MSESS_SKIP, MSESS_BROKEN };

static double
msess_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Prints a value with control characters made visible. */
static void
msess_print(const char *qid, const char *what, const unsigned char *d,
	    size_t len)
{
	char out[2048];
	size_t i, n = 0;

	for (i = 0; i < len && d[i] && n + 5 < sizeof(out); i++) {
		if (d[i] == '\n' || d[i] == '\r' || d[i] == '\t') {
			out[n++] = '\\';
			out[n++] = d[i] == '\n'	  ? 'n'
				   : d[i] == '\r' ? 'r'
						  : 't';
		} else if (d[i] < 0x20 || d[i] == 0x7f) {
			n += (size_t)snprintf(out + n, sizeof(out) - n,
					      "\\x%02x", d[i]);
		} else {
			out[n++] = (char)d[i];
		}
	}
	out[n] = '\0';
	printf("%s: %s %s\n", qid, what, out);
}

/* Whether the len bytes at d hold the string word. */
static int
msess_has(const unsigned char *d, size_t len, const char *word)
{
	size_t i, wl = strlen(word);

	for (i = 0; i + wl <= len; i++)
		if (memcmp(d + i, word, wl) == 0)
			return 1;
	return 0;
}

/* A header modification: [index] name NUL value NUL. */
static void
msess_hdrmod(struct msess *s, int cmd, const unsigned char *d, size_t len,
	     const char *qid, struct msess_result *r)
{
	static const char *const names[] = {"addheader", "insheader",
					    "chgheader"};
	size_t off = cmd == MPROTO_R_ADDHEADER ? 0 : 4, nl;
	const char *name = (const char *)d + off;
	char what[300];

	if (len <= off || memchr(d + off, '\0', len - off) == NULL)
		return;
	nl = strlen(name);
	if (cmd != MPROTO_R_CHGHEADER &&
	    strcasecmp(name, "DKIM-Signature") == 0)
		r->dkim_sigs++;
	if (cmd != MPROTO_R_CHGHEADER &&
	    strcasecmp(name, "Authentication-Results") == 0) {
		r->ar_hdrs++;
		if (msess_has(d + off + nl + 1, len - off - nl - 1,
			      "dkim=pass"))
			r->ar_pass++;
	}
	if (!s->o->verbose)
		return;
	if (off)
		snprintf(what, sizeof(what),
			 "%s %lu %s:", names[cmd == MPROTO_R_INSHEADER ? 1 : 2],
			 (unsigned long)mproto_get32(d), name);
	else
		snprintf(what, sizeof(what), "%s %s:", names[0], name);
	off += nl + 1;
	msess_print(qid, what, d + off, len - off);
}

static enum mlstats_reply
msess_final(int cmd, const unsigned char *d, size_t len)
{
	switch (cmd) {
	case MPROTO_R_ACCEPT:
		return MLSTATS_ACCEPT;
	case MPROTO_R_CONTINUE:
		return MLSTATS_CONTINUE;
	case MPROTO_R_REJECT:
		return MLSTATS_REJECT;
	case MPROTO_R_DISCARD:
		return MLSTATS_DISCARD;
	case MPROTO_R_TEMPFAIL:
	case MPROTO_R_SHUTDOWN:
	case MPROTO_R_CONN_FAIL:
		return MLSTATS_TEMPFAIL;
	case MPROTO_R_REPLYCODE:
		return len > 0 && d[0] == '5' ? MLSTATS_REJECT
					      : MLSTATS_TEMPFAIL;
	default:
		return MLSTATS_ERROR;
	}
}

/* Reads replies until a final one.  eom: modifications are allowed. */
static int
msess_reply(struct msess *s, int eom, const char *qid, struct msess_result *r)
{
	const unsigned char *d;
	size_t len;
	int cmd;

	for (;;) {
		if (mproto_recv(&s->p, &cmd, &d, &len) != 0) {
			snprintf(r->why, sizeof(r->why),
				 "no reply from the milter (closed, timed out "
				 "or bad packet)");
			return MSESS_BROKEN;
		}
		if (cmd == MPROTO_R_PROGRESS)
			continue;
		if (cmd == MPROTO_R_SKIP)
			return MSESS_SKIP;
		if ((r->reply = msess_final(cmd, d, len)) != MLSTATS_ERROR) {
			r->hangup = cmd == MPROTO_R_SHUTDOWN ||
				    (cmd == MPROTO_R_REPLYCODE && len >= 3 &&
				     memcmp(d, "421", 3) == 0);
			if (s->o->verbose && cmd == MPROTO_R_REPLYCODE)
				msess_print(qid, "replycode", d, len);
			return cmd == MPROTO_R_CONTINUE ? MSESS_GO : MSESS_STOP;
		}
		if (!eom || cmd == 0 || strchr("+-2bemhiq", cmd) == NULL) {
			snprintf(r->why, sizeof(r->why),
				 "unexpected reply '%c' (0x%02x)%s",
				 cmd > 32 && cmd < 127 ? cmd : '?', cmd & 0xff,
				 eom ? "" : " before end of message");
			return MSESS_BROKEN;
		}
		r->mods++;
		if (cmd == MPROTO_R_ADDHEADER || cmd == MPROTO_R_INSHEADER ||
		    cmd == MPROTO_R_CHGHEADER)
			msess_hdrmod(s, cmd, d, len, qid, r);
		else if (s->o->verbose)
			msess_print(qid,
				    cmd == MPROTO_R_QUARANTINE ? "quarantine"
							       : "modification",
				    d, len);
	}
}

/* Sends the packet built in s->p; reads the reply unless nr_flag. */
static int
msess_step(struct msess *s, unsigned long nr_flag, int eom, const char *qid,
	   struct msess_result *r)
{
	if (mproto_send(&s->p) != 0) {
		snprintf(r->why, sizeof(r->why), "cannot write to the milter");
		return MSESS_BROKEN;
	}
	if (nr_flag && (s->pflags & nr_flag))
		return MSESS_GO;
	return msess_reply(s, eom, qid, r);
}

static int
msess_macros(struct msess *s, int stage, const char *const *nv)
{
	mproto_begin(&s->p, MPROTO_C_MACRO);
	mproto_put(&s->p, &(unsigned char){(unsigned char)stage}, 1);
	for (; nv[0] != NULL; nv += 2) {
		mproto_putstr(&s->p, nv[0]);
		mproto_putstr(&s->p, nv[1]);
	}
	return mproto_send(&s->p);
}

static int
msess_negotiate(struct msess *s, char *errmsg, size_t errlen)
{
	const unsigned char *d;
	size_t len;
	int cmd;

	mproto_begin(&s->p, MPROTO_C_OPTNEG);
	mproto_put32(&s->p, MSESS_VERSION);
	mproto_put32(&s->p, MPROTO_A_ALL);
	mproto_put32(&s->p, MPROTO_P_ALL);
	if (mproto_send(&s->p) != 0 ||
	    mproto_recv(&s->p, &cmd, &d, &len) != 0) {
		snprintf(errmsg, errlen, "no answer to the negotiation");
		return -1;
	}
	if (cmd != MPROTO_R_OPTNEG || len < 12 || mproto_get32(d) < 2) {
		snprintf(errmsg, errlen,
			 "bad negotiation reply '%c', %zu bytes", cmd, len);
		return -1;
	}
	s->aflags = mproto_get32(d + 4);
	s->pflags = mproto_get32(d + 8);
	if (s->o->verbose)
		printf("negotiated: version %lu, actions 0x%lx, protocol "
		       "0x%lx\n",
		       (unsigned long)mproto_get32(d), s->aflags, s->pflags);
	return 0;
}

/* The connect and HELO stages. */
static int
msess_hello(struct msess *s, struct msess_result *r)
{
	const struct msess_opts *o = s->o;
	char underscore[300];
	const char *cm[] = {
	    "j", o->authserv, "_", underscore, "{daemon_name}", "smtpd", NULL};
	const char *hm[] = {"{tls_version}", "", NULL};
	int rc = MSESS_GO;

	snprintf(underscore, sizeof(underscore), "%s [%s]", o->client_name,
		 o->client_addr);
	if (!(s->pflags & MPROTO_P_NOCONNECT)) {
		if (msess_macros(s, MPROTO_C_CONNECT, cm) != 0)
			return MSESS_BROKEN;
		mproto_begin(&s->p, MPROTO_C_CONNECT);
		mproto_putstr(&s->p, o->client_name);
		mproto_put(&s->p, strchr(o->client_addr, ':') ? "6" : "4", 1);
		mproto_put16(&s->p, (uint16_t)s->port);
		mproto_putstr(&s->p, o->client_addr);
		rc = msess_step(s, MPROTO_P_NR_CONN, 0, "connect", r);
	}
	if (rc == MSESS_GO && !(s->pflags & MPROTO_P_NOHELO)) {
		if (msess_macros(s, MPROTO_C_HELO, hm) != 0)
			return MSESS_BROKEN;
		mproto_begin(&s->p, MPROTO_C_HELO);
		mproto_putstr(&s->p, o->helo);
		rc = msess_step(s, MPROTO_P_NR_HELO, 0, "helo", r);
	}
	return rc;
}

int
msess_open(struct msess *s, const struct msess_opts *o, unsigned port,
	   char *errmsg, size_t errlen)
{
	struct msess_result r;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	s->o = o;
	s->port = port;
	if (mproto_connect(&s->p, o->socket, o->timeout_s, errmsg, errlen) != 0)
		return -1;
	s->p.buffered = !o->per_packet;
	if (msess_negotiate(s, errmsg, errlen) != 0) {
		mproto_close(&s->p);
		return -1;
	}
	rc = msess_hello(s, &r);
	if (rc == MSESS_BROKEN || rc == MSESS_SKIP) {
		snprintf(errmsg, errlen, "connect/HELO: %s",
			 r.why[0] ? r.why : "unexpected reply");
		mproto_close(&s->p);
		return -1;
	}
	s->done = rc == MSESS_STOP;
	s->verdict = r.reply;
	return 0;
}

/* MAIL, RCPT and DATA. */
static int
msess_envelope(struct msess *s, const char *qid, struct msess_result *r)
{
	const struct msess_opts *o = s->o;
	char from[600], rcpt[600];
	const char *mm[] = {"i", qid, "{mail_addr}", o->from, NULL};
	const char *rm[] = {"{rcpt_addr}", o->rcpt, NULL};
	int rc = MSESS_GO;

	snprintf(from, sizeof(from), "<%s>", o->from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", o->rcpt);
	if (!(s->pflags & MPROTO_P_NOMAIL)) {
		if (msess_macros(s, MPROTO_C_MAIL, mm) != 0)
			return MSESS_BROKEN;
		mproto_begin(&s->p, MPROTO_C_MAIL);
		mproto_putstr(&s->p, from);
		rc = msess_step(s, MPROTO_P_NR_MAIL, 0, qid, r);
	}
	if (rc == MSESS_GO && !(s->pflags & MPROTO_P_NORCPT)) {
		if (msess_macros(s, MPROTO_C_RCPT, rm) != 0)
			return MSESS_BROKEN;
		mproto_begin(&s->p, MPROTO_C_RCPT);
		mproto_putstr(&s->p, rcpt);
		rc = msess_step(s, MPROTO_P_NR_RCPT, 0, qid, r);
	}
	if (rc == MSESS_GO && !(s->pflags & MPROTO_P_NODATA)) {
		mproto_begin(&s->p, MPROTO_C_DATA);
		rc = msess_step(s, MPROTO_P_NR_DATA, 0, qid, r);
	}
	return rc;
}

/* Header fields, EOH, body chunks. */
static int
msess_content(struct msess *s, const struct mlmsg *m, const char *qid,
	      struct msess_result *r)
{
	size_t i, off, n;
	const char *v;
	int rc = MSESS_GO;

	for (i = 0;
	     rc == MSESS_GO && i < m->nhdrs && !(s->pflags & MPROTO_P_NOHDRS);
	     i++) {
		v = m->hdrs[i].value;
		if (!(s->pflags & MPROTO_P_HDR_LEADSPC))
			v += strspn(v, " \t");
		mproto_begin(&s->p, MPROTO_C_HEADER);
		mproto_putstr(&s->p, m->hdrs[i].name);
		mproto_putstr(&s->p, v);
		rc = msess_step(s, MPROTO_P_NR_HDR, 0, qid, r);
	}
	if (rc == MSESS_GO && !(s->pflags & MPROTO_P_NOEOH)) {
		mproto_begin(&s->p, MPROTO_C_EOH);
		rc = msess_step(s, MPROTO_P_NR_EOH, 0, qid, r);
	}
	for (off = 0; rc == MSESS_GO && off < m->body_len &&
		      !(s->pflags & MPROTO_P_NOBODY);
	     off += n) {
		n = m->body_len - off;
		if (n > MPROTO_MAX_BODY)
			n = MPROTO_MAX_BODY;
		mproto_begin(&s->p, MPROTO_C_BODY);
		mproto_put(&s->p, m->body + off, n);
		rc = msess_step(s, MPROTO_P_NR_BODY, 0, qid, r);
	}
	return rc == MSESS_SKIP ? MSESS_GO : rc;
}

void
msess_message(struct msess *s, const struct mlmsg *m, const char *qid,
	      struct msess_result *r)
{
	const char *em[] = {"i", qid, NULL};
	double t0;
	int rc, started;

	memset(r, 0, sizeof(*r));
	if (s->in_msg) {
		mproto_begin(&s->p, MPROTO_C_ABORT);
		if (mproto_send(&s->p) != 0) {
			r->reply = MLSTATS_ERROR;
			snprintf(r->why, sizeof(r->why), "cannot send ABORT");
			return;
		}
	}
	t0 = msess_now_us();
	s->in_msg = 1;
	rc = msess_envelope(s, qid, r);
	if (rc == MSESS_GO && mproto_flush(&s->p) != 0) { /* to cleanup */
		snprintf(r->why, sizeof(r->why), "cannot write to the milter");
		rc = MSESS_BROKEN;
	}
	started = rc == MSESS_GO;
	if (rc == MSESS_GO)
		rc = msess_content(s, m, qid, r);
	if (rc == MSESS_GO) {
		if (msess_macros(s, MPROTO_C_BODYEOB, em) != 0)
			rc = MSESS_BROKEN;
		mproto_begin(&s->p, MPROTO_C_BODYEOB);
		if (rc == MSESS_GO)
			rc = msess_step(s, 0, 1, qid, r);
		if (rc == MSESS_GO || rc == MSESS_STOP)
			s->in_msg = 0;
		if (rc == MSESS_GO)
			rc = MSESS_STOP; /* continue at EOM is the verdict */
	}
	r->lat_us = msess_now_us() - t0;
	if (rc == MSESS_STOP && s->o->verbose)
		printf("%s: reply %s %.3f ms\n", qid,
		       mlstats_reply_name(r->reply), r->lat_us / 1e3);
	if (rc != MSESS_STOP) {
		r->cut = started && rc == MSESS_BROKEN;
		r->reply = MLSTATS_ERROR;
		if (r->why[0] == '\0')
			snprintf(r->why, sizeof(r->why), "%s",
				 rc == MSESS_SKIP ? "SKIP outside the body"
						  : "session broken");
	}
}

void
msess_close(struct msess *s, int broken)
{
	if (!broken && s->p.fd >= 0) {
		mproto_begin(&s->p, MPROTO_C_QUIT);
		mproto_send(&s->p);
	}
	mproto_close(&s->p);
}
