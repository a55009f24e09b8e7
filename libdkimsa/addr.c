/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.c - IPv4/IPv6 parsing, CIDR matching and text forms for SPF
 * (RFC 7208 sections 5.6 and 7.3; RFC 4291 section 2.2; RFC 5952).
 * No allocation.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

/* ip4-network: qnum "." qnum "." qnum "." qnum, qnum without leading 0. */
int
addr_parse4(const char *s, size_t len, unsigned char out[4])
{
	size_t i = 0;
	int part, digits;
	unsigned v;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return -1;
			i++;
		}
		v = 0;
		digits = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			if (digits == 1 && v == 0)
				return -1; /* leading zero */
			v = v * 10 + (unsigned)(s[i] - '0');
			digits++;
			i++;
		}
		if (digits == 0 || v > 255)
			return -1;
		out[part] = (unsigned char)v;
	}
	return i == len ? 0 : -1;
}

int
addr_parse6(const char *s, size_t len, unsigned char out[16])
{
	char tmp[64];

	if (len == 0 || len >= sizeof(tmp) || memchr(s, '%', len) != NULL)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(AF_INET6, tmp, out) == 1 ? 0 : -1;
}

static const unsigned char addr_mapped_prefix[12] = {0, 0, 0, 0, 0,    0,
						     0, 0, 0, 0, 0xff, 0xff};

int
addr_parse(const char *s, struct addr *out)
{
	size_t len = strlen(s);

	memset(out, 0, sizeof(*out));
	if (addr_parse4(s, len, out->b) == 0) {
		out->family = 4;
		return 0;
	}
	if (addr_parse6(s, len, out->b) != 0)
		return -1;
	out->family = 6;
	if (memcmp(out->b, addr_mapped_prefix, 12) == 0) {
		memmove(out->b, out->b + 12, 4);
		memset(out->b + 4, 0, 12);
		out->family = 4;
	}
	return 0;
}

int
addr_from_bytes(const unsigned char *data, size_t len, struct addr *out)
{
	memset(out, 0, sizeof(*out));
	if (len != 4 && len != 16)
		return -1;
	memcpy(out->b, data, len);
	out->family = len == 4 ? 4 : 6;
	return 0;
}

int
addr_match(const struct addr *a, const struct addr *net, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;
	int maxbits = a->family == 4 ? 32 : 128;
	unsigned char mask;

	if (a->family != net->family || prefix < 0 || prefix > maxbits)
		return 0;
	if (memcmp(a->b, net->b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a->b[full] & mask) == (net->b[full] & mask);
}

void
addr_format(const struct addr *a, char *out, size_t len)
{
	if (len == 0)
		return;
	out[0] = '\0';
	if (a->family == 4)
		snprintf(out, len, "%u.%u.%u.%u", a->b[0], a->b[1], a->b[2],
			 a->b[3]);
	else if (inet_ntop(AF_INET6, a->b, out, (socklen_t)len) == NULL)
		out[0] = '\0';
}

static const char addr_hex[] = "0123456789abcdef";

/* Nibbles of the address, most significant first (reverse: last first). */
static void
addr_nibbles(const struct addr *a, int reverse, char *out, size_t len)
{
	size_t o = 0;
	int i, k;

	for (i = 0; i < 32 && o + 2 < len; i++) {
		k = reverse ? 31 - i : i;
		if (i > 0)
			out[o++] = '.';
		out[o++] = addr_hex[(a->b[k / 2] >> ((k % 2) ? 0 : 4)) & 0xf];
	}
	out[o] = '\0';
}

void
addr_dotted(const struct addr *a, char *out, size_t len)
{
	if (len == 0)
		return;
	if (a->family == 4)
		addr_format(a, out, len);
	else
		addr_nibbles(a, 0, out, len);
}

void
addr_reverse_name(const struct addr *a, char *out, size_t len)
{
	char nib[ADDR_TEXT_MAX];

	if (len == 0)
		return;
	if (a->family == 4) {
		snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", a->b[3], a->b[2],
			 a->b[1], a->b[0]);
		return;
	}
	addr_nibbles(a, 1, nib, sizeof(nib));
	snprintf(out, len, "%s.ip6.arpa", nib);
}
