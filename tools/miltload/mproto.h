/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mproto.h - the MTA side of the milter wire protocol (version 6, as
 * spoken by Sendmail 8.14+ and Postfix 2.6+): packets are a 32-bit
 * big-endian length (command byte included), one command byte and data.
 * A struct mproto owns its socket and its two buffers.
 */
#ifndef MPROTO_H
#define MPROTO_H

#include <stddef.h>
#include <stdint.h>

/* Commands, MTA to milter. */
#define MPROTO_C_ABORT 'A'
#define MPROTO_C_BODY 'B'
#define MPROTO_C_CONNECT 'C'
#define MPROTO_C_MACRO 'D'
#define MPROTO_C_BODYEOB 'E'
#define MPROTO_C_HELO 'H'
#define MPROTO_C_HEADER 'L'
#define MPROTO_C_MAIL 'M'
#define MPROTO_C_EOH 'N'
#define MPROTO_C_OPTNEG 'O'
#define MPROTO_C_QUIT 'Q'
#define MPROTO_C_RCPT 'R'
#define MPROTO_C_DATA 'T'

/* Replies, milter to MTA. */
#define MPROTO_R_ADDRCPT '+'
#define MPROTO_R_DELRCPT '-'
#define MPROTO_R_ADDRCPT_PAR '2'
#define MPROTO_R_SHUTDOWN '4'
#define MPROTO_R_ACCEPT 'a'
#define MPROTO_R_REPLBODY 'b'
#define MPROTO_R_CONTINUE 'c'
#define MPROTO_R_DISCARD 'd'
#define MPROTO_R_CHGFROM 'e'
#define MPROTO_R_CONN_FAIL 'f'
#define MPROTO_R_ADDHEADER 'h'
#define MPROTO_R_INSHEADER 'i'
#define MPROTO_R_SETSYMLIST 'l'
#define MPROTO_R_CHGHEADER 'm'
#define MPROTO_R_PROGRESS 'p'
#define MPROTO_R_QUARANTINE 'q'
#define MPROTO_R_REJECT 'r'
#define MPROTO_R_SKIP 's'
#define MPROTO_R_TEMPFAIL 't'
#define MPROTO_R_REPLYCODE 'y'
#define MPROTO_R_OPTNEG 'O'

/* Protocol flags (SMFIP_*): steps the milter does not want, or does not
 * answer. */
#define MPROTO_P_NOCONNECT 0x1UL
#define MPROTO_P_NOHELO 0x2UL
#define MPROTO_P_NOMAIL 0x4UL
#define MPROTO_P_NORCPT 0x8UL
#define MPROTO_P_NOBODY 0x10UL
#define MPROTO_P_NOHDRS 0x20UL
#define MPROTO_P_NOEOH 0x40UL
#define MPROTO_P_NR_HDR 0x80UL
#define MPROTO_P_NOUNKNOWN 0x100UL
#define MPROTO_P_NODATA 0x200UL
#define MPROTO_P_SKIP 0x400UL
#define MPROTO_P_RCPT_REJ 0x800UL
#define MPROTO_P_NR_CONN 0x1000UL
#define MPROTO_P_NR_HELO 0x2000UL
#define MPROTO_P_NR_MAIL 0x4000UL
#define MPROTO_P_NR_RCPT 0x8000UL
#define MPROTO_P_NR_DATA 0x10000UL
#define MPROTO_P_NR_UNKN 0x20000UL
#define MPROTO_P_NR_EOH 0x40000UL
#define MPROTO_P_NR_BODY 0x80000UL
#define MPROTO_P_HDR_LEADSPC 0x100000UL
#define MPROTO_P_ALL 0x1fffffUL

/* Action flags (SMFIF_*): modifications the MTA allows. */
#define MPROTO_A_ALL 0x1ffUL

#define MPROTO_MAX_BODY 65535 /* bytes of body per SMFIC_BODY */
#define MPROTO_MAX_PACKET (1024 * 1024)
#define MPROTO_WBUF 4096 /* Postfix's VSTREAM_BUFSIZE */

struct mproto {
	int fd;
	unsigned char *out; /* packet being built; length filled at send */
	size_t olen, ocap;
	unsigned char *in; /* bytes read, not yet consumed */
	size_t ipos, ilen, icap;
	int failed; /* out of memory while building */
	/* buffered: packets wait in wb and go out MPROTO_WBUF bytes at a
	 * time, or when a reply is read or mproto_flush is called, as
	 * Postfix's double-buffered VSTREAM sends them; else each packet is
	 * written at once */
	int buffered;
	/* in buffered mode a read first waits in poll() for POLLIN, at most
	 * timeout_ms (-1: no limit), as Postfix's timed_read() does */
	int timeout_ms;
	unsigned char wb[MPROTO_WBUF];
	size_t wlen;
};

/* Connects to "inet:PORT@HOST", "inet:PORT", "inet6:PORT@HOST",
 * "unix:PATH" or "local:PATH", with TCP_NODELAY on inet sockets and
 * timeout_s on reads and writes.  Returns 0, or -1 with errmsg set. */
int mproto_connect(struct mproto *p, const char *spec, int timeout_s,
		   char *errmsg, size_t errlen);
void mproto_close(struct mproto *p);

/* Packet building: begin, then put pieces, then send (one write, or
 * into the write buffer when buffered). */
void mproto_begin(struct mproto *p, int cmd);
void mproto_put(struct mproto *p, const void *data, size_t len);
void mproto_putstr(struct mproto *p, const char *s); /* with its NUL */
void mproto_put16(struct mproto *p, uint16_t v);
void mproto_put32(struct mproto *p, uint32_t v);
int mproto_send(struct mproto *p);
/* Writes what the write buffer holds.  Returns 0, or -1 on an error. */
int mproto_flush(struct mproto *p);

/* Reads one packet (after flushing the write buffer): *cmd, and *data
 * and *len valid until the next call.
 * Returns 0, or -1 on EOF, timeout, I/O error or an oversized packet. */
int mproto_recv(struct mproto *p, int *cmd, const unsigned char **data,
		size_t *len);

uint32_t mproto_get32(const unsigned char *b);

#endif
