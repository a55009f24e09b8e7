/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyrec.h - DKIM key records in DNS (RFC 6376 section 3.6.1, RFC 8463).
 */
#ifndef DKIMSA_KEYREC_H
#define DKIMSA_KEYREC_H

#include <stddef.h>

#include "buf.h"

#define KEYREC_HASH_SHA1 1u
#define KEYREC_HASH_SHA256 2u

struct keyrec {
	int keytype;	 /* enum crypto_keytype (k=, default rsa) */
	unsigned hashes; /* h=: KEYREC_HASH_* bits; all when absent */
	int revoked;	 /* p= empty */
	int testing;	 /* t=y */
	int strict;	 /* t=s: i= domain must equal d= */
	int email_ok;	 /* s= is absent, "*" or includes "email" */
	buf pub;	 /* decoded p= */
};

void keyrec_init(struct keyrec *k);
void keyrec_free(struct keyrec *k);
/* DKIMSA_ESYNTAX with the reason for a record that cannot be used. */
int keyrec_parse(const char *txt, size_t len, struct keyrec *k, char *reason,
		 size_t rlen);

#endif
