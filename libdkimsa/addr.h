/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.h - IPv4/IPv6 addresses for SPF (RFC 7208 sections 5.6, 7.3):
 * parsing, CIDR matching, text forms and reverse-lookup names.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is parsed as the IPv4
 * address, as RFC 7208 section 5 requires.  No allocation: callers pass
 * the buffers.
 */
#ifndef DKIMSA_ADDR_H
#define DKIMSA_ADDR_H

#include <stddef.h>

struct addr {
	int family;	     /* 4 or 6 */
	unsigned char b[16]; /* network order; IPv4 uses b[0..3] */
};

/* Strict dotted quad (no leading zeros, four parts).  0 or -1. */
int addr_parse4(const char *s, size_t len, unsigned char out[4]);
/* IPv6 text (RFC 4291 section 2.2, embedded IPv4 allowed).  0 or -1. */
int addr_parse6(const char *s, size_t len, unsigned char out[16]);
/* Either family; IPv4-mapped IPv6 becomes IPv4.  0 or -1. */
int addr_parse(const char *s, struct addr *out);
/* From DNS data: 4 bytes (A) or 16 bytes (AAAA).  0 or -1. */
int addr_from_bytes(const unsigned char *data, size_t len, struct addr *out);
/* 1 when a and net share the first `prefix` bits (same family only). */
int addr_match(const struct addr *a, const struct addr *net, int prefix);
/* "192.0.2.1" or RFC 5952 "2001:db8::1" (the %{c} form). */
void addr_format(const struct addr *a, char *out, size_t len);
/* "192.0.2.1" or nibbles "2.0.0.1.0.d.b.8..." (the %{i} form). */
void addr_dotted(const struct addr *a, char *out, size_t len);
/* "1.2.0.192.in-addr.arpa" or "...ip6.arpa" for a PTR query. */
void addr_reverse_name(const struct addr *a, char *out, size_t len);

/* Longest text any of the functions above writes, with the NUL. */
#define ADDR_TEXT_MAX 80

#endif
