/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_keyrec.c - the DKIM key record parser (RFC 6376 section 3.6.1,
 * RFC 8463, keyrec.c) on a hostile TXT record, then the public key
 * loader (crypto.c) on whatever p= decoded to, as the verifier does.
 */
#include "crypto.h"
#include "dkimsa.h"
#include "fuzz.h"
#include "keyrec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyrec k;
	crypto_pubkey *pk = NULL;
	char reason[200];
	int rc;

	reason[0] = '\0';
	keyrec_init(&k);
	rc = keyrec_parse((const char *)data, size, &k, reason, sizeof(reason));
	if (rc == 0 && !k.revoked &&
	    crypto_pubkey_parse(k.keytype, (const unsigned char *)k.pub.data,
				k.pub.len, &pk, reason, sizeof(reason)) == 0) {
		FUZZ_CHECK(pk != NULL);
		(void)crypto_pubkey_bits(pk);
		crypto_pubkey_free(pk);
	}
	FUZZ_CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
	keyrec_free(&k);
	return 0;
}
