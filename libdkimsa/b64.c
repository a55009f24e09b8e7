/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * b64.c - base64 encode/decode; see b64.h.
 */
#include "b64.h"
#include "dkimsa.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
b64_encode(buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;
	char q[4];

	if (buf_reserve(out, (len + 2) / 3 * 4) != 0)
		return out->err;
	for (i = 0; i + 2 < len; i += 3) {
		q[0] = b64_alphabet[p[i] >> 2];
		q[1] = b64_alphabet[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64_alphabet[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		q[3] = b64_alphabet[p[i + 2] & 63];
		buf_add(out, q, 4);
	}
	if (i < len) {
		q[0] = b64_alphabet[p[i] >> 2];
		if (i + 1 < len) {
			q[1] =
			    b64_alphabet[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			q[2] = b64_alphabet[(p[i + 1] & 15) << 2];
		} else {
			q[1] = b64_alphabet[(p[i] & 3) << 4];
			q[2] = '=';
		}
		q[3] = '=';
		buf_add(out, q, 4);
	}
	return out->err;
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
b64_decode(buf *out, const char *text, size_t len)
{
	unsigned acc = 0;
	int bits = 0, pad = 0;
	size_t i, o;

	/* at most 3 bytes per 4 characters: reserved once, written in place */
	if (buf_reserve(out, len / 4 * 3 + 3) != 0)
		return out->err;
	o = out->len;
	for (i = 0; i < len; i++) {
		int c = (unsigned char)text[i], v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		v = b64_value(c);
		if (pad > 0 || v < 0) { /* data after padding, or not base64 */
			out->data[out->len] = '\0';
			return DKIMSA_ESYNTAX;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out->data[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out->len = o;
	out->data[o] = '\0';
	/* 6 leftover bits mean a lone character; padding must fit. */
	if (bits == 6 || pad > 2 || (pad > 0 && (bits / 2) != pad))
		return DKIMSA_ESYNTAX;
	return 0;
}
