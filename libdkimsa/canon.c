/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * canon.c - RFC 6376 section 3.4 canonicalisation.
 *
 * Header (3.4.1 simple, 3.4.2 relaxed) works on one whole field.  Body
 * (3.4.3 simple, 3.4.4 relaxed) is a state machine so that input may
 * arrive in any chunks: empty lines are counted, not stored, until a
 * non-empty line shows they were not at the end, so memory is constant.
 * Runs of bytes that canonicalise to themselves are found sixteen bytes
 * at a time (GCC vector extensions: SSE2 or NEON, else plain code) and
 * written in one piece with the CRLF that ends them.
 * Bare LF is taken as a line end (the message in SMTP form has CRLF);
 * a bare CR is an ordinary character.
 */
#include <stdint.h>
#include <string.h>

#include "canon.h"
#include "dkimsa.h"

static int
canon_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static void
canon_flush(struct canon_body *cb)
{
	if (cb->olen > 0 && cb->err == 0)
		cb->err = cb->sink(cb->arg, cb->out, cb->olen);
	cb->olen = 0;
}

/* Writes canonical bytes, counting them and cutting at the l= limit. */
static void
canon_out(struct canon_body *cb, const char *p, size_t n)
{
	size_t take = n;

	cb->total += (long long)n;
	if (cb->limit >= 0) {
		long long room = cb->limit - cb->hashed;

		if (room <= 0)
			return;
		if ((long long)take > room)
			take = (size_t)room;
	}
	cb->hashed += (long long)take;
	if (take >= sizeof(cb->out)) { /* a long run: no copy */
		canon_flush(cb);
		if (cb->err == 0)
			cb->err = cb->sink(cb->arg, p, take);
		return;
	}
	while (take > 0) {
		size_t k = sizeof(cb->out) - cb->olen;

		if (k > take)
			k = take;
		memcpy(cb->out + cb->olen, p, k);
		cb->olen += k;
		p += k;
		take -= k;
		if (cb->olen == sizeof(cb->out))
			canon_flush(cb);
	}
}

/* Empty lines turned out not to be at the end: write them now. */
static void
canon_release_crlfs(struct canon_body *cb)
{
	for (; cb->crlfs > 0; cb->crlfs--)
		canon_out(cb, "\r\n", 2);
}

/* A run of ordinary bytes (no CR, LF; in relaxed mode no WSP either). */
static void
canon_text(struct canon_body *cb, const char *p, size_t n)
{
	if (cb->at_bol) {
		canon_release_crlfs(cb);
		cb->at_bol = 0;
	}
	if (cb->wsp_pending) {
		canon_out(cb, " ", 1); /* 3.4.4 b: a WSP run becomes one SP */
		cb->wsp_pending = 0;
	}
	canon_out(cb, p, n);
}

static void
canon_eol(struct canon_body *cb)
{
	cb->wsp_pending = 0; /* 3.4.4 a: no WSP at the end of a line */
	if (cb->at_bol)
		cb->crlfs++; /* 3.4.3 / 3.4.4 c: maybe a trailing empty line */
	else
		canon_out(cb, "\r\n", 2);
	cb->at_bol = 1;
}

void
canon_body_init(struct canon_body *cb, int canon, long long limit,
		canon_sink_fn sink, void *arg)
{
	memset(cb, 0, sizeof(*cb) - sizeof(cb->out));
	cb->relaxed = canon == DKIMSA_CANON_RELAXED;
	cb->at_bol = 1;
	cb->limit = limit;
	cb->sink = sink;
	cb->arg = arg;
}

/* Bytes a body run stops at: 1 line ends (both modes), 2 WSP (relaxed). */
static const unsigned char canon_stop[256] = {
    ['\r'] = 1, ['\n'] = 1, [' '] = 2, ['\t'] = 2};

typedef unsigned char canon_v16 __attribute__((vector_size(16)));

/*
 * The first part of a run, sixteen bytes at a time: blocks with no line
 * end and, in relaxed mode, no TAB and no two SPs side by side (within
 * the block or across its start).  A run never ends in an SP, so one
 * ending the last block taken is handed back to the byte loop, which
 * knows what follows it.
 */
static size_t
canon_run_blocks(const struct canon_body *cb, const char *p, size_t n)
{
	size_t i = 0;
	canon_v16 v, stop, sp;
	uint64_t s[2], w[2];

	while (n - i >= 16) {
		memcpy(&v, p + i, 16);
		stop = (canon_v16)(v == '\r') | (canon_v16)(v == '\n');
		if (cb->relaxed) {
			stop |= (canon_v16)(v == '\t');
			sp = (canon_v16)(v == ' ');
			memcpy(w, &sp, 16);
			if ((w[0] & (w[0] << 8)) != 0 ||
			    (w[1] & (w[1] << 8)) != 0 ||
			    (p[i + 7] == ' ' && p[i + 8] == ' ') ||
			    (i > 0 && p[i - 1] == ' ' && p[i] == ' '))
				break;
		}
		memcpy(s, &stop, 16);
		if ((s[0] | s[1]) != 0)
			break;
		i += 16;
	}
	if (cb->relaxed && i > 0 && p[i - 1] == ' ')
		i--;
	return i;
}

/*
 * Length of the run of bytes at p (p[0] ordinary) that canonicalise to
 * themselves.  In relaxed mode that includes a single SP between two
 * ordinary bytes (a WSP run of one SP stays one SP, 3.4.4 b), so a line
 * of words is one run, not one per word; a run ends at a line end, a TAB,
 * two WSP, or an SP that ends the data given (the next chunk decides).
 */
static size_t
canon_run(const struct canon_body *cb, const char *p, size_t n)
{
	size_t i = canon_run_blocks(cb, p, n);

	if (!cb->relaxed) {
		while (i < n && canon_stop[(unsigned char)p[i]] != 1)
			i++;
		return i;
	}
	for (;;) {
		while (i < n && canon_stop[(unsigned char)p[i]] == 0)
			i++;
		if (i + 1 < n && p[i] == ' ' &&
		    canon_stop[(unsigned char)p[i + 1]] == 0)
			i += 2;
		else
			return i;
	}
}

int
canon_body_update(struct canon_body *cb, const void *data, size_t len)
{
	const char *p = data;
	size_t i = 0, run;

	while (i < len && cb->err == 0) {
		char c = p[i];

		if (cb->cr_pending) {
			cb->cr_pending = 0;
			if (c == '\n') {
				canon_eol(cb);
				i++;
				continue;
			}
			canon_text(cb, "\r", 1); /* bare CR */
		}
		if (c == '\r') {
			cb->cr_pending = 1;
			i++;
		} else if (c == '\n') {
			canon_eol(cb); /* bare LF taken as CRLF */
			i++;
		} else if (cb->relaxed && canon_is_wsp((unsigned char)c)) {
			cb->wsp_pending = 1;
			i++;
		} else {
			run = canon_run(cb, p + i, len - i);
			if (len - i - run >= 2 && p[i + run] == '\r' &&
			    p[i + run + 1] == '\n') {
				/* a line and its CRLF, written at once */
				canon_text(cb, p + i, run + 2);
				cb->at_bol = 1;
				i += run + 2;
				continue;
			}
			canon_text(cb, p + i, run);
			i += run;
		}
	}
	return cb->err;
}

int
canon_body_final(struct canon_body *cb)
{
	if (cb->cr_pending) {
		cb->cr_pending = 0;
		canon_text(cb, "\r", 1);
	}
	/* WSP ending a last line that has no CRLF stays as one SP: the CRLF
	 * is added after the line was reduced, as dkimpy and OpenDKIM do. */
	if (cb->wsp_pending)
		canon_text(cb, "", 0);
	if (!cb->at_bol) /* the last line had no CRLF: add one */
		canon_out(cb, "\r\n", 2);
	/* Trailing empty lines (cb->crlfs) are dropped.  3.4.3: an empty
	 * body is one CRLF in simple; 3.4.4: it stays empty in relaxed. */
	if (cb->total == 0 && !cb->relaxed)
		canon_out(cb, "\r\n", 2);
	canon_flush(cb);
	return cb->err;
}

/* 3.4.2: lower-case name, unfold, WSP runs to one SP, trim, no WSP
 * around the colon.  The result is never longer than the field and a
 * colon, so it is written straight into out's reserved space. */
static int
canon_header_relaxed(buf *out, const char *f, size_t len)
{
	const char *colon = memchr(f, ':', len);
	size_t i, nend = colon ? (size_t)(colon - f) : len;
	int wsp = 0, started = 0;
	char *o;

	if (buf_reserve(out, len + 1) != 0)
		return out->err;
	o = out->data + out->len;
	while (nend > 0 && canon_is_wsp((unsigned char)f[nend - 1]))
		nend--;
	for (i = 0; i < nend; i++) {
		char c = f[i];

		*o++ = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	*o++ = ':';
	for (i = colon ? (size_t)(colon - f) + 1 : len; i < len; i++) {
		char c = f[i];

		if (c == '\r' || c == '\n')
			continue; /* unfold */
		if (canon_is_wsp((unsigned char)c)) {
			wsp = 1;
			continue;
		}
		if (wsp && started)
			*o++ = ' ';
		wsp = 0;
		started = 1;
		*o++ = c;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

int
canon_header(buf *out, int canon, const char *field, size_t len, int with_crlf)
{
	if (canon == DKIMSA_CANON_RELAXED)
		canon_header_relaxed(out, field, len);
	else
		buf_add(out, field, len); /* 3.4.1: unchanged */
	if (with_crlf)
		buf_add(out, "\r\n", 2);
	return out->err;
}
