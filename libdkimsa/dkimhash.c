/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimhash.c - RFC 6376 section 3.7 header hash; see dkimhash.h.
 */
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "crypto.h"
#include "dkimhash.h"
#include "dkimsa.h"

int
dkimhash_sink(void *arg, const void *data, size_t len)
{
	return crypto_hash_update(arg, data, len);
}

/* Hashes the canonical text of fields[] (NULL: absent), then sigfield. */
int
dkimhash_fields(const struct hdr *const *fields, size_t count, int hcanon,
		const char *sigfield, size_t siglen, int alg, unsigned char *md,
		size_t *mdlen)
{
	crypto_hash *hash = crypto_hash_new(alg);
	buf text;
	size_t i;
	int rc;

	if (hash == NULL)
		return DKIMSA_ENOMEM;
	buf_init(&text);
	for (i = 0; i < count; i++)
		if (fields[i] != NULL) /* absent: the null string */
			canon_header(&text, hcanon, fields[i]->text,
				     fields[i]->len, 1);
	canon_header(&text, hcanon, sigfield, siglen, 0);
	rc = text.err;
	if (rc == 0)
		rc = crypto_hash_update(hash, text.data, text.len);
	if (rc == 0)
		rc = crypto_hash_final(hash, md, mdlen);
	crypto_hash_free(hash);
	buf_free(&text);
	return rc;
}

int
dkimhash_headers(const struct hdrs *h, char *const *names, size_t count,
		 int hcanon, const char *sigfield, size_t siglen, int alg,
		 unsigned char *md, size_t *mdlen)
{
	long *idx = calloc(count + 1, sizeof(long));
	size_t *nlens = calloc(count + 1, sizeof(size_t));
	unsigned char *used = calloc(h->n + 1, 1);
	const struct hdr **fields = calloc(count + 1, sizeof(*fields));
	size_t i;
	int rc = DKIMSA_ENOMEM;

	if (idx == NULL || nlens == NULL || used == NULL || fields == NULL)
		goto out;
	for (i = 0; i < count; i++)
		nlens[i] = strlen(names[i]);
	hdrs_select(h, (const char *const *)names, nlens, count, idx, used);
	for (i = 0; i < count; i++)
		fields[i] = idx[i] < 0 ? NULL : &h->v[idx[i]];
	rc = dkimhash_fields(fields, count, hcanon, sigfield, siglen, alg, md,
			     mdlen);
out:
	free(fields);
	free(idx);
	free(nlens);
	free(used);
	return rc;
}
