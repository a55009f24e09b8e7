/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_sock.c - see metrics_sock.h.  Grammar:
 *   spec = ("inet:" port "@" ipv4) / ("inet6:" port "@" ipv6)
 *   port = 1*5DIGIT, 1 to 65535
 *   ipv6 = an inet_pton(AF_INET6) address, optionally in "[" "]"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "metrics_sock.h"

#define METRICS_SOCK_EXAMPLE "e.g. inet:9465@127.0.0.1"

/* port = 1*5DIGIT up to "@"; returns the port, or 0. */
static unsigned
metrics_sock_port(const char *p, const char **at)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; p[i] >= '0' && p[i] <= '9' && i < 5; i++)
		n = n * 10 + (unsigned)(p[i] - '0');
	*at = p + i;
	return i > 0 && n >= 1 && n <= 65535 ? (unsigned)n : 0;
}

int
metrics_sock_parse(const char *spec, struct sockaddr_storage *ss,
		   socklen_t *len, char *why, size_t whylen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char addr[INET6_ADDRSTRLEN + 2];
	const char *rest, *at;
	unsigned port;
	size_t n;
	int six;

	memset(ss, 0, sizeof(*ss));
	if (strncmp(spec, "inet:", 5) == 0) {
		six = 0;
		rest = spec + 5;
	} else if (strncmp(spec, "inet6:", 6) == 0) {
		six = 1;
		rest = spec + 6;
	} else {
		snprintf(why, whylen,
			 "expected inet:PORT@ADDR or inet6:PORT@ADDR "
			 "(" METRICS_SOCK_EXAMPLE ")");
		return -1;
	}
	if ((port = metrics_sock_port(rest, &at)) == 0 || *at != '@') {
		snprintf(why, whylen,
			 "expected a port from 1 to 65535, then @ADDR "
			 "(" METRICS_SOCK_EXAMPLE ")");
		return -1;
	}
	n = strlen(++at);
	if (six && n >= 2 && at[0] == '[' && at[n - 1] == ']') {
		at++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(addr)) {
		snprintf(why, whylen, "expected a numeric %s address after @",
			 six ? "IPv6" : "IPv4");
		return -1;
	}
	memcpy(addr, at, n);
	addr[n] = '\0';
	if (!six && inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (six && inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)port);
		*len = sizeof(*sin6);
		return 0;
	}
	snprintf(why, whylen,
		 "expected a numeric %s address after @ (%s; no host names)",
		 six ? "IPv6" : "IPv4",
		 six ? "e.g. inet6:9465@::1" : METRICS_SOCK_EXAMPLE);
	return -1;
}

int
metrics_sock_listen(const char *spec, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1;

	if (metrics_sock_parse(spec, &ss, &len, why, whylen) != 0)
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 16) != 0) {
		snprintf(why, whylen, "cannot listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
