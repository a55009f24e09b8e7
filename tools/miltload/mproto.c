/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mproto.c - milter protocol packets over a socket, MTA side; see
 * mproto.h.  The sendmail libmilter documentation (smfi_* and the
 * SMFIC/SMFIR codes in mfdef.h) is the reference; there is no RFC.
 * Memory: the struct owns fd, out and in; mproto_close frees them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "mproto.h"

static int
mproto_unix(const char *path, char *errmsg, size_t errlen)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(errmsg, errlen, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		snprintf(errmsg, errlen, "unix:%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* "PORT@HOST" or "PORT" (then loopback). */
static int
mproto_inet(const char *spec, int family, char *errmsg, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[32];
	const char *at = strchr(spec, '@');
	const char *host = at ? at + 1 : NULL;
	size_t n = at ? (size_t)(at - spec) : strlen(spec);
	int fd = -1, rc, on = 1;

	if (n == 0 || n >= sizeof(port)) {
		snprintf(errmsg, errlen, "bad port in %s", spec);
		return -1;
	}
	memcpy(port, spec, n);
	port[n] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(errmsg, errlen, "%s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, 0)) < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		snprintf(errmsg, errlen, "%s: %s", spec, strerror(errno));
		close(fd);
		fd = -1;
	}
	if (res == NULL || (ai == NULL && fd < 0 && errmsg[0] == '\0'))
		snprintf(errmsg, errlen, "%s: no address", spec);
	freeaddrinfo(res);
	return fd;
}

int
mproto_connect(struct mproto *p, const char *spec, int timeout_s, char *errmsg,
	       size_t errlen)
{
	struct timeval tv = {timeout_s, 0};
	int fd;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	errmsg[0] = '\0';
	if (strncmp(spec, "unix:", 5) == 0)
		fd = mproto_unix(spec + 5, errmsg, errlen);
	else if (strncmp(spec, "local:", 6) == 0)
		fd = mproto_unix(spec + 6, errmsg, errlen);
	else if (strncmp(spec, "inet:", 5) == 0)
		fd = mproto_inet(spec + 5, AF_INET, errmsg, errlen);
	else if (strncmp(spec, "inet6:", 6) == 0)
		fd = mproto_inet(spec + 6, AF_INET6, errmsg, errlen);
	else if (spec[0] == '/')
		fd = mproto_unix(spec, errmsg, errlen);
	else {
		snprintf(errmsg, errlen,
			 "%s: expected inet:PORT@HOST, inet6:PORT@HOST or "
			 "unix:PATH",
			 spec);
		return -1;
	}
	if (fd < 0)
		return -1;
	if (timeout_s > 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	p->fd = fd;
	p->timeout_ms = timeout_s > 0 ? timeout_s * 1000 : -1;
	return 0;
}

void
mproto_close(struct mproto *p)
{
	if (p->fd >= 0) {
		(void)mproto_flush(p);
		close(p->fd);
	}
	free(p->out);
	free(p->in);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

static int
mproto_grow(unsigned char **b, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 4096;
	unsigned char *nb;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if ((nb = realloc(*b, ncap)) == NULL)
		return -1;
	*b = nb;
	*cap = ncap;
	return 0;
}

void
mproto_begin(struct mproto *p, int cmd)
{
	p->olen = 0;
	p->failed = 0;
	mproto_put(p, "\0\0\0\0", 4);
	mproto_put(p, &(unsigned char){(unsigned char)cmd}, 1);
}

void
mproto_put(struct mproto *p, const void *data, size_t len)
{
	if (p->failed || mproto_grow(&p->out, &p->ocap, p->olen + len) != 0) {
		p->failed = 1;
		return;
	}
	memcpy(p->out + p->olen, data, len);
	p->olen += len;
}

void
mproto_putstr(struct mproto *p, const char *s)
{
	mproto_put(p, s, strlen(s) + 1);
}

void
mproto_put16(struct mproto *p, uint16_t v)
{
	unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};

	mproto_put(p, b, 2);
}

void
mproto_put32(struct mproto *p, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};

	mproto_put(p, b, 4);
}

uint32_t
mproto_get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static int
mproto_write(int fd, const unsigned char *b, size_t len)
{
	size_t off = 0;
	ssize_t w;

	while (off < len) {
		w = send(fd, b + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int
mproto_flush(struct mproto *p)
{
	size_t n = p->wlen;

	p->wlen = 0;
	return n == 0 ? 0 : mproto_write(p->fd, p->wb, n);
}

int
mproto_send(struct mproto *p)
{
	uint32_t n = (uint32_t)(p->olen - 4);
	size_t off = 0, k;

	if (p->failed || p->olen < 5)
		return -1;
	p->out[0] = (unsigned char)(n >> 24);
	p->out[1] = (unsigned char)(n >> 16);
	p->out[2] = (unsigned char)(n >> 8);
	p->out[3] = (unsigned char)n;
	if (!p->buffered)
		return mproto_write(p->fd, p->out, p->olen);
	while (off < p->olen) { /* a full buffer goes out, as VSTREAM's */
		k = p->olen - off;
		if (k > MPROTO_WBUF - p->wlen)
			k = MPROTO_WBUF - p->wlen;
		memcpy(p->wb + p->wlen, p->out + off, k);
		p->wlen += k;
		off += k;
		if (p->wlen == MPROTO_WBUF && mproto_flush(p) != 0)
			return -1;
	}
	return 0;
}

/*
 * Waits until fd is readable, as Postfix's timed_read() does before each
 * read(): a reader waiting in poll() for POLLIN is not woken each time the
 * milter drains what it wrote (a blocked read() is).  0, or -1 on timeout.
 */
static int
mproto_read_wait(const struct mproto *p)
{
	struct pollfd pfd = {p->fd, POLLIN, 0};
	int r;

	while ((r = poll(&pfd, 1, p->timeout_ms)) < 0 && errno == EINTR)
		;
	return r > 0 ? 0 : -1;
}

/* Makes at least want bytes available at p->in + p->ipos. */
static int
mproto_fill(struct mproto *p, size_t want)
{
	ssize_t r;

	if (p->ipos > 0 && p->ilen - p->ipos < want) {
		memmove(p->in, p->in + p->ipos, p->ilen - p->ipos);
		p->ilen -= p->ipos;
		p->ipos = 0;
	}
	if (mproto_grow(&p->in, &p->icap, want) != 0)
		return -1;
	while (p->ilen - p->ipos < want) {
		if (p->buffered && mproto_read_wait(p) != 0)
			return -1;
		r = read(p->fd, p->in + p->ilen, p->icap - p->ilen);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p->ilen += (size_t)r;
	}
	return 0;
}

int
mproto_recv(struct mproto *p, int *cmd, const unsigned char **data, size_t *len)
{
	uint32_t n;

	if (mproto_flush(p) != 0 || mproto_fill(p, 4) != 0)
		return -1;
	n = mproto_get32(p->in + p->ipos);
	if (n < 1 || n > MPROTO_MAX_PACKET)
		return -1;
	if (mproto_fill(p, 4 + (size_t)n) != 0)
		return -1;
	*cmd = p->in[p->ipos + 4];
	*data = p->in + p->ipos + 5;
	*len = n - 1;
	p->ipos += 4 + (size_t)n;
	return 0;
}
