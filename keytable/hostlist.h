/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostlist.h - InternalHosts, ExternalIgnoreList and PeerList matching
 * (OpenDKIM's semantics, made explicit).
 *
 * Entries, one per table key (any table type, e.g. a file of lines or
 * "csl:127.0.0.1,::1"):
 *   192.0.2.1, 2001:db8::1       one address
 *   192.0.2.0/24, 2001:db8::/32  a CIDR block (host bits are masked off)
 *   mail.example.com             exactly that host name
 *   .example.com                 any name below example.com
 *   *.example.com                a wildcard pattern ("*": any run)
 *   !ENTRY                       negation
 * Matching: among the entries that match the client address, the most
 * specific (longest prefix) decides; the same among entries that match
 * the host name (exact name, then the longest .domain suffix or pattern);
 * on a tie the negated entry wins.  The client matches when no deciding
 * entry is negated and at least one is positive: a negated match always
 * excludes.  IPv4-mapped IPv6 addresses are matched as IPv4.
 *
 * Threading: immutable after loading; share freely.
 * Memory: a hostlist owns its entries (hostlist_free).
 */
#ifndef DKIMSA_HOSTLIST_H
#define DKIMSA_HOSTLIST_H

#include <stddef.h>

typedef struct hostlist hostlist;

/* An empty list. NULL when out of memory. */
hostlist *hostlist_new(void);
/*
 * Adds one entry; where names it in errors ("PATH, line N").  0, or -1
 * with "WHERE: reason" in err.
 */
int hostlist_add(hostlist *h, const char *entry, const char *where, char *err,
		 size_t errlen);
/*
 * Reads every entry of the table spec ("type:name" or a path).  0, or -1
 * with "PATH, line N: reason" (or why the table cannot be read) in err.
 */
int hostlist_open(const char *spec, hostlist **out, char *err, size_t errlen);
/*
 * 1 when the client matches, else 0.  ip is the address as text (IPv4,
 * IPv6, optionally in brackets), hostname the verified client name or
 * NULL (a name in brackets, as MTAs pass for unknown names, is ignored).
 */
int hostlist_match(const hostlist *h, const char *ip, const char *hostname);
size_t hostlist_count(const hostlist *h);
void hostlist_free(hostlist *h);

#endif
