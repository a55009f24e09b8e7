/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_dmarc_rec.c - the DMARC Policy Record (RFC 9989 sections 4.7 and
 * 4.8; dmarc_rec.c) on hostile text: the version check and the tag
 * parser.  What it promises: is_dmarc and parse agree, policies are
 * words of enum dkimsa_dmarc_policy, every kept URI passes the URI check
 * and the lists stay NULL-terminated within their bounds.  Then the text
 * is published at _dmarc.fuzz.example on the fake DNS and the whole check
 * (dmarc.c, dmarc_walk.c) runs for a subdomain of it: it must end with a
 * result, a reason and an A-R resinfo.
 */
#include "dkimsa.h"
#include "dkimsa_test.h"
#include "dmarc_rec.h"
#include "fuzz.h"

static void
dmarc_check_record(const char *rec, size_t len)
{
	static const dkimsa_dmarc_dkim sigs[] = {
	    {"sub.fuzz.example", "s", DKIMSA_RES_PASS},
	    {"other.example", "s", DKIMSA_RES_PASS},
	};
	dkimsa_dmarc_result *r = NULL;
	dkimsa_dmarc_req req;
	dkimsa_lib *lib;
	char *table, err[200], *ar = NULL;
	size_t n = len + 200;

	if ((table = malloc(n)) == NULL || (lib = dkimsa_lib_new()) == NULL) {
		free(table);
		return;
	}
	snprintf(table, n,
		 "_dmarc.fuzz.example TXT %.*s\n"
		 "_dmarc.example TXT v=DMARC1; p=none; psd=y\n"
		 "fuzz.example A 192.0.2.1\n",
		 (int)len, rec);
	if (dkimsa_lib_set_fake_dns(lib, table, err, sizeof(err)) == 0) {
		memset(&req, 0, sizeof(req));
		req.from_header =
		    (len & 1) ? "a@x.fuzz.example" : "a@fuzz.example";
		req.from_count = 1;
		req.spf_result = (len & 2) ? DKIMSA_RES_PASS : DKIMSA_RES_FAIL;
		req.spf_domain = "bounce.fuzz.example";
		req.dkim = sigs;
		req.ndkim = (len & 4) ? 2 : 0;
		if (dkimsa_dmarc_check(lib, &req, &r) == 0) {
			FUZZ_CHECK(r != NULL && r->reason != NULL);
			if (dkimsa_ar_format_dmarc(r, &ar) == 0)
				free(ar);
			dkimsa_dmarc_result_free(r);
		}
	}
	free(table);
	dkimsa_lib_free(lib);
}

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
	/* one line of the fake zone: no line ends or NULs in the record */
	if (size < 2000 && memchr(data, '\n', size) == NULL &&
	    memchr(data, '\r', size) == NULL &&
	    memchr(data, '\0', size) == NULL)
		dmarc_check_record(txt, size);
	return 0;
}
