/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics_sock.h - MetricsSocket: "inet:PORT@ADDR" (an IPv4 address) or
 * "inet6:PORT@ADDR" (an IPv6 address, with or without brackets), as
 * libmilter writes its sockets; the address is numeric, 0.0.0.0 or ::
 * for every interface.  The socket is opened before privileges are
 * dropped (a port under 1024 works) and handed to metrics_http.c.
 */
#ifndef DKIMSA_MILTER_METRICS_SOCK_H
#define DKIMSA_MILTER_METRICS_SOCK_H

#include <stddef.h>
#include <sys/socket.h>

/* 0, or -1 with the reason in why. */
int metrics_sock_parse(const char *spec, struct sockaddr_storage *ss,
		       socklen_t *len, char *why, size_t whylen);
/* A listening socket for spec, or -1 with the reason in why. */
int metrics_sock_listen(const char *spec, char *why, size_t whylen);

#endif
