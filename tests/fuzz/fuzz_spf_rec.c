/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_spf_rec.c - SPF and Sender ID records (RFC 7208 sections 4.5, 4.6,
 * 5, 6, 12; RFC 4406 section 3; spf_rec.c) on hostile text: the version
 * tag and the term parser; then the record is published for
 * fuzz.example on the fake DNS backend and check_host() runs over it for
 * MAIL FROM, HELO and both Sender ID scopes (spf_eval.c, spf_mech.c,
 * sid.c), next to a small fixed zone the record may include or redirect
 * to.  Every check must end with a result and a reason.
 */
#include "dkimsa.h"
#include "dns.h"
#include "fuzz.h"
#include "spf.h"
#include "spf_rec.h"

static const char spf_zone[] =
    "inc.example TXT v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all\n"
    "a.example A 192.0.2.1\n"
    "a.example AAAA 2001:db8::1\n"
    "a.example MX 10 a.example\n"
    "exp.example TXT %{i} is not one of %{d}'s hosts (%{s} %{h} %{p})\n"
    "1.2.0.192.in-addr.arpa PTR a.example\n"
    "fail.example SERVFAIL\n"
    "slow.example TIMEOUT\n"
    "spf2.example TXT spf2.0/pra,mfrom -all\n"
    "fuzz.example A 192.0.2.1\n";

static void
spf_eval_record(const char *rec, size_t len)
{
	static const int ids[] = {DKIMSA_SPF_MAILFROM, DKIMSA_SPF_HELO,
				  DKIMSA_SID_MFROM, DKIMSA_SID_PRA};
	static const char hdrs[] = "From: <user@fuzz.example>\r\n";
	dkimsa_spf_req req;
	dkimsa_spf_result *res;
	dns_ctx *ctx;
	char *table, err[200];
	size_t n, i;

	n = sizeof(spf_zone) + len + 32;
	if ((table = malloc(n)) == NULL)
		return;
	snprintf(table, n, "%sfuzz.example TXT %.*s\n", spf_zone, (int)len,
		 rec);
	ctx = dns_ctx_new_fake(table, err, sizeof(err));
	free(table);
	if (ctx == NULL)
		return;
	memset(&req, 0, sizeof(req));
	req.client_ip = (len & 1) ? "2001:db8::1" : "192.0.2.1";
	req.helo = "fuzz.example";
	req.mail_from = "user@fuzz.example";
	req.headers = hdrs;
	req.headers_len = sizeof(hdrs) - 1;
	req.receiver = "mx.example.org";
	req.now = 1400000000;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		res = NULL;
		if (spf_check_ctx(ctx, &req, ids[i], NULL, &res) == 0) {
			char *text = NULL;

			FUZZ_CHECK(res != NULL && res->reason != NULL);
			if (dkimsa_spf_received(res, &text) == 0)
				free(text);
			if (dkimsa_spf_authres(res, &text) == 0)
				free(text);
			dkimsa_spf_result_free(res);
		}
	}
	dns_ctx_free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *txt = (const char *)data;
	struct spf_rec *r = NULL;
	size_t vlen = 0;
	int scopes = 0, kind;
	char err[200];

	kind = spf_rec_version(txt, size, &vlen, &scopes);
	if (kind != 0) {
		FUZZ_CHECK(vlen <= size);
		if (spf_rec_parse(txt, size, vlen, &r, err, sizeof(err)) == 0) {
			FUZZ_CHECK(r != NULL);
			spf_rec_free(r);
		}
	}
	/* one line of the fake zone: no line ends or NULs in the record */
	if (size > 0 && size < 2000 && memchr(data, '\n', size) == NULL &&
	    memchr(data, '\r', size) == NULL &&
	    memchr(data, '\0', size) == NULL)
		spf_eval_record(txt, size);
	return 0;
}
