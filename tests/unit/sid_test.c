/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sid_test.c - Sender ID (RFC 4406, RFC 4407) through spf_check_ctx() on
 * the fake DNS backend: record selection for each scope, v=spf1 standing
 * in, several records, NXDOMAIN in the pra scope, include keeping the
 * scope, the PRA taken from header blocks, and the A-R form.
 */
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "spf.h"
#include "t.h"

static const char zone[] =
    "both.example TXT spf2.0/mfrom,pra ip4:192.0.2.1 -all\n"
    "both.example TXT v=spf1 +all\n"
    "split.example TXT spf2.0/pra ip4:192.0.2.2 -all\n"
    "split.example TXT v=spf1 ip4:192.0.2.3 -all\n"
    "mfrom.example TXT spf2.0/mfrom ip4:192.0.2.4 -all\n"
    "mfrom.example TXT v=spf1 ?all\n"
    "twopra.example TXT spf2.0/pra -all\n"
    "twopra.example TXT spf2.0/pra,mfrom +all\n"
    "twospf1.example TXT v=spf1 -all\n"
    "twospf1.example TXT v=spf1 +all\n"
    "spf1.example TXT v=spf1 ip4:192.0.2.5 -all\n"
    "nodata.example A 192.0.2.9\n"
    "incl.example TXT spf2.0/pra include:split.example -all\n"
    "incl.example TXT v=spf1 +all\n"
    "softpra.example TXT spf2.0/pra ~all\n";

static const struct {
	const char *name, *ip, *mbox;
	int scope;
	const char *want;
} rows[] = {
    {"both-scopes-record-pra-pass", "192.0.2.1", "a@both.example",
     DKIMSA_SID_PRA, "pass"},
    {"both-scopes-record-mfrom-fail", "192.0.2.9", "a@both.example",
     DKIMSA_SID_MFROM, "fail"},
    {"spf2-pra-wins-over-spf1", "192.0.2.3", "a@split.example", DKIMSA_SID_PRA,
     "fail"},
    {"spf1-stands-in-for-mfrom", "192.0.2.3", "a@split.example",
     DKIMSA_SID_MFROM, "pass"},
    {"spf2-mfrom-only-record", "192.0.2.4", "a@mfrom.example", DKIMSA_SID_MFROM,
     "pass"},
    {"spf1-stands-in-for-pra", "192.0.2.4", "a@mfrom.example", DKIMSA_SID_PRA,
     "neutral"},
    {"two-pra-records-permerror", "192.0.2.1", "a@twopra.example",
     DKIMSA_SID_PRA, "permerror"},
    {"one-mfrom-record-among-pra", "192.0.2.1", "a@twopra.example",
     DKIMSA_SID_MFROM, "pass"},
    {"two-spf1-records-permerror", "192.0.2.1", "a@twospf1.example",
     DKIMSA_SID_MFROM, "permerror"},
    {"spf1-only-pra-pass", "192.0.2.5", "a@spf1.example", DKIMSA_SID_PRA,
     "pass"},
    {"pra-nxdomain-is-fail", "192.0.2.5", "a@nowhere.example", DKIMSA_SID_PRA,
     "fail"},
    {"mfrom-nxdomain-is-none", "192.0.2.5", "a@nowhere.example",
     DKIMSA_SID_MFROM, "none"},
    {"pra-nodata-is-none", "192.0.2.5", "a@nodata.example", DKIMSA_SID_PRA,
     "none"},
    {"include-keeps-pra-scope-pass", "192.0.2.2", "a@incl.example",
     DKIMSA_SID_PRA, "pass"},
    {"include-keeps-pra-scope-fail", "192.0.2.3", "a@incl.example",
     DKIMSA_SID_PRA, "fail"},
    {"pra-softfail", "192.0.2.3", "a@softpra.example", DKIMSA_SID_PRA,
     "softfail"},
};

static const struct {
	const char *name, *hdr, *want, *authres;
} hdr_rows[] = {
    {"pra-from-header-authres", "From: A <a@spf1.example>\r\nSubject: x\r\n",
     "pass", "sender-id=pass header.from=a@spf1.example"},
    {"pra-sender-header-authres",
     "From: a@spf1.example\r\nSender: l@split.example\r\n", "fail",
     "sender-id=fail header.sender=l@split.example"},
    {"pra-resent-sender-authres",
     "Resent-Sender: r@spf1.example\r\nFrom: a@split.example\r\n", "pass",
     "sender-id=pass header.resent-sender=r@spf1.example"},
    {"pra-resent-from-after-trace-authres",
     "Resent-From: rf@split.example\r\nReceived: by x\r\n"
     "Resent-Sender: r@spf1.example\r\n",
     "fail", "sender-id=fail header.resent-from=rf@split.example"},
    {"pra-ill-formed-two-from-permerror",
     "From: a@spf1.example\r\nFrom: b@spf1.example\r\n", "permerror",
     "sender-id=permerror header.from=a@spf1.example"},
    {"pra-ill-formed-no-mailbox-permerror", "From: nobody\r\n", "permerror",
     "sender-id=permerror header.from=nobody"},
    {"pra-unparseable-from-is-reported-with-header-ptype",
     "From: a@spf1.example, b@spf1.example\r\n", "permerror",
     "sender-id=permerror header.from=\"a@spf1.example, b@spf1.example\""},
    {"pra-unparseable-sender-is-reported-with-its-field",
     "From: a@spf1.example\r\nSender: <x@evil.example;spf=pass>\r\n",
     "permerror",
     "sender-id=permerror header.sender=\"<x@evil.example;spf=pass>\""},
    {"pra-two-sender-fields-report-the-sender",
     "Sender: a@spf1.example\r\nSender: b@spf1.example\r\n", "permerror",
     "sender-id=permerror header.sender=a@spf1.example"},
    {"pra-without-from-reports-an-empty-from", "Subject: x\r\n", "permerror",
     "sender-id=permerror header.from=\"\""},
};

int
main(void)
{
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	char err[200], *ar;
	dns_ctx *ctx;
	size_t i;

	ctx = dns_ctx_new_fake(zone, err, sizeof(err));
	if (!t_ok(ctx != NULL, "fake-dns-loads", "%s", err))
		return t_exit();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.client_ip = rows[i].ip;
		req.mail_from = rows[i].mbox;
		req.pra = rows[i].mbox;
		if (spf_check_ctx(ctx, &req, rows[i].scope, NULL, &r) != 0) {
			t_ok(0, rows[i].name, "check failed");
			continue;
		}
		t_streq(dkimsa_res_name(r->result), rows[i].want, rows[i].name);
		dkimsa_spf_result_free(r);
	}
	for (i = 0; i < sizeof(hdr_rows) / sizeof(hdr_rows[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.client_ip = "192.0.2.5";
		req.mail_from = "bounce@elsewhere.example";
		req.headers = hdr_rows[i].hdr;
		req.headers_len = strlen(hdr_rows[i].hdr);
		if (spf_check_ctx(ctx, &req, DKIMSA_SID_PRA, NULL, &r) != 0) {
			t_ok(0, hdr_rows[i].name, "check failed");
			continue;
		}
		ar = NULL;
		if (hdr_rows[i].authres != NULL)
			dkimsa_spf_authres(r, &ar);
		t_ok(strcmp(dkimsa_res_name(r->result), hdr_rows[i].want) ==
			     0 &&
			 (hdr_rows[i].authres == NULL ||
			  (ar && strcmp(ar, hdr_rows[i].authres) == 0)),
		     hdr_rows[i].name, "%s (%s) \"%s\"",
		     dkimsa_res_name(r->result), r->reason, ar ? ar : "");
		free(ar);
		dkimsa_spf_result_free(r);
	}
	dns_ctx_free(ctx);
	return t_exit();
}
