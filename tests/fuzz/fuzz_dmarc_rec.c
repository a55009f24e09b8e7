/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_dmarc_rec.c - the DMARC Policy Record (RFC 9989 sections 4.7 and
 * 4.8; dmarc_rec.c) on hostile text: the version check and the tag
 * parser.  What it promises: is_dmarc and parse agree, policies are
 * words of enum dkimsa_dmarc_policy, every kept URI passes the URI check
 * and the lists stay NULL-terminated within their bounds.
 */
#include "dkimsa.h"
#include "dmarc_rec.h"
#include "fuzz.h"

static void
check_uris(char *const *list, size_t n)
{
	size_t i;

	FUZZ_CHECK(n <= DMARC_REC_URIS_MAX);
	FUZZ_CHECK(list[n] == NULL || n == 0);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(list[i] != NULL &&
			   dmarc_rec_uri_ok(list[i], strlen(list[i])));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *txt = (const char *)data;
	struct dmarc_rec r;
	char why[120];
	int isd, rc;

	isd = dmarc_rec_is_dmarc(txt, size);
	rc = dmarc_rec_parse(txt, size, &r, why, sizeof(why));
	FUZZ_CHECK(strlen(why) < sizeof(why));
	if (rc == DKIMSA_ENOMEM)
		return 0;
	FUZZ_CHECK((rc == 0) == (isd != 0));
	if (rc != 0)
		return 0;
	FUZZ_CHECK(r.p >= DKIMSA_DMARC_P_UNSET && r.p <= DKIMSA_DMARC_P_REJECT);
	FUZZ_CHECK(r.sp >= DKIMSA_DMARC_P_UNSET &&
		   r.sp <= DKIMSA_DMARC_P_REJECT);
	FUZZ_CHECK(r.np >= DKIMSA_DMARC_P_UNSET &&
		   r.np <= DKIMSA_DMARC_P_REJECT);
	FUZZ_CHECK(r.psd >= -1 && r.psd <= 1);
	FUZZ_CHECK(strlen(r.fo) < sizeof(r.fo));
	FUZZ_CHECK(*dkimsa_dmarc_policy_name(r.p) != '\0' ||
		   r.p == DKIMSA_DMARC_P_UNSET);
	check_uris(r.rua, r.nrua);
	check_uris(r.ruf, r.nruf);
	(void)dmarc_rec_invalid_policy(&r);
	dmarc_rec_free(&r);
	return 0;
}
