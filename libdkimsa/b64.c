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

/*
 * Each byte's value in the alphabet (0-63), B64_WSP for white space
 * (skipped), B64_PAD for "=", B64_BAD otherwise: one load per character.
 */
enum { B64_BAD = -1, B64_WSP = -2, B64_PAD = -3 };
static const signed char b64_values[256] = {
    /* clang-format off */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -2, -2, -1, -1, -2, -1, -1, /* 0x00 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0x10 */
	-2, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63, /* 0x20 */
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -3, -1, -1, /* 0x30 */
	-1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, /* 0x40 */
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1, /* 0x50 */
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, /* 0x60 */
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1, /* 0x70 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0x80 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0x90 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0xa0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0xb0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0xc0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0xd0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0xe0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 0xf0 */
    /* clang-format on */
};

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
		int v = b64_values[(unsigned char)text[i]];

		if (v == B64_WSP)
			continue;
		if (v == B64_PAD) {
			pad++;
			continue;
		}
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
