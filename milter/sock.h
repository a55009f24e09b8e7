/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock.h - the listening socket's path before libmilter takes it.
 * libmilter removes whatever is at a unix socket's path and binds anew,
 * so a second milter would silently take the socket of a running one
 * (a dkimsa, or the opendkim being replaced).  sock_check_unix refuses
 * that and removes only a socket nobody answers on.
 */
#ifndef DKIMSA_MILTER_SOCK_H
#define DKIMSA_MILTER_SOCK_H

/*
 * For "unix:PATH", "local:PATH" or "/PATH": 0 when PATH is free (absent,
 * or a stale socket, which is removed); -1 when a process answers on it,
 * when it is not a socket, or when it cannot be tried, with the reason
 * given to err.  Other socket types: 0.
 */
int sock_check_unix(const char *spec, void (*err)(void *arg, const char *msg),
		    void *arg);

#endif
