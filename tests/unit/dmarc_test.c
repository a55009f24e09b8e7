/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dmarc_test.c - the DMARC check (libdkimsa/dmarc.c, dmarc_walk.c) over
 * the fake DNS table: one row per rule of RFC 9989 (policy discovery and
 * the tree walk of 4.10, the Organizational Domain of 4.10.2, alignment,
 * p/sp/np, t=y, invalid records, From handling), with the number of DNS
 * queries where the walk's limits are the point.  tests/dmarc/scenarios.sh
 * runs the same rules end to end through libunbound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "dkimsa_test.h"
#include "t.h"

static const char zone[] =
    "_dmarc.ex.test TXT v=DMARC1; p=reject; sp=quarantine; np=none\n"
    "ex.test A 192.0.2.1\n"
    "mail.ex.test A 192.0.2.1\n"
    "_dmarc.strict.test TXT v=DMARC1; p=reject; adkim=s; aspf=s\n"
    "_dmarc.t.test TXT v=DMARC1; p=reject; t=y\n"
    "_dmarc.psd.test TXT v=DMARC1; p=reject; psd=y\n"
    "org.psd.test A 192.0.2.1\n"
    "_dmarc.dept.corp.test TXT v=DMARC1; p=none; psd=n\n"
    "_dmarc.corp.test TXT v=DMARC1; p=quarantine\n"
    "_dmarc.two.test TXT v=DMARC1; p=reject\n"
    "_dmarc.two.test TXT v=DMARC1; p=none\n"
    "_dmarc.mixed.test TXT v=spf1 -all\n"
    "_dmarc.mixed.test TXT v=DMARC1; p=quarantine\n"
    "_dmarc.bad.test TXT v=DMARC1; p=drop\n"
    "_dmarc.badrua.test TXT v=DMARC1; p=drop; rua=mailto:r@badrua.test\n"
    "_dmarc.slow.test TIMEOUT\n"
    "_dmarc.fail.test SERVFAIL\n"
    "_dmarc.bogus.test BOGUS\n"
    "_dmarc.sec.test TXT v=DMARC1; p=reject\n"
    "_dmarc.sec.test SECURE\n"
    "_dmarc.l5.l6.l7.long.test TXT v=DMARC1; p=quarantine\n"
    "_dmarc.l2.l3.l4.l5.l6.l7.long.test TXT v=DMARC1; p=none; psd=n\n"
    "_dmarc.npx.test TXT v=DMARC1; p=none; np=reject\n"
    "gone.npx.test SERVFAIL\n";

struct row {
	const char *label;
	const char *from; /* From value; NULL: no From field */
	int from_count;
	const char *spf_domain; /* passed SPF; NULL: SPF failed */
	const char *dkim;	/* passing d= list "a,b", "x:fail"; NULL */
	int want_result;
	int want_policy, want_dis;
	const char *want_org; /* NULL: not checked */
	int want_queries;     /* -1: not checked */
};

#define P_ DKIMSA_DMARC_P_UNSET
#define PN DKIMSA_DMARC_P_NONE
#define PQ DKIMSA_DMARC_P_QUARANTINE
#define PR DKIMSA_DMARC_P_REJECT
#define PASS DKIMSA_RES_PASS
#define FAIL DKIMSA_RES_FAIL
#define NONE DKIMSA_RES_NONE
#define TEMP DKIMSA_RES_TEMPERROR
#define PERM DKIMSA_RES_PERMERROR

static const struct row rows[] = {
    {"author-record-p-applies-one-query", "a@ex.test", 1, NULL, NULL, FAIL, PR,
     PR, NULL, 1},
    {"relaxed-subdomain-identifier-walks-for-org", "a@ex.test", 1, NULL,
     "mail.ex.test", PASS, PR, PN, "ex.test", 5},
    {"spf-exact-aligned-pass", "a@ex.test", 1, "ex.test", NULL, PASS, PR, PN,
     NULL, -1},
    {"dkim-exact-aligned-pass", "a@ex.test", 1, NULL, "ex.test", PASS, PR, PN,
     NULL, -1},
    {"dkim-failed-signature-never-aligns", "a@ex.test", 1, NULL, "ex.test:fail",
     FAIL, PR, PR, NULL, -1},
    {"relaxed-dkim-subdomain-aligned", "a@ex.test", 1, NULL, "mail.ex.test",
     PASS, PR, PN, NULL, -1},
    {"relaxed-spf-parent-aligned-for-subdomain", "a@mail.ex.test", 1, "ex.test",
     NULL, PASS, PQ, PN, "ex.test", -1},
    {"existing-subdomain-gets-sp", "a@mail.ex.test", 1, NULL, NULL, FAIL, PQ,
     PQ, "ex.test", -1},
    {"nonexistent-subdomain-gets-np", "a@nx.ex.test", 1, NULL, NULL, FAIL, PN,
     PN, "ex.test", -1},
    {"unrelated-dkim-not-aligned", "a@ex.test", 1, NULL, "other.test", FAIL, PR,
     PR, NULL, -1},
    {"strict-dkim-subdomain-not-aligned", "a@strict.test", 1, NULL,
     "m.strict.test", FAIL, PR, PR, NULL, -1},
    {"strict-spf-exact-aligned", "a@strict.test", 1, "strict.test", NULL, PASS,
     PR, PN, NULL, -1},
    {"t-y-lowers-reject-to-quarantine", "a@t.test", 1, NULL, NULL, FAIL, PR, PQ,
     NULL, -1},
    {"psd-y-org-is-one-below", "a@x.org.psd.test", 1, NULL, NULL, FAIL, PR, PR,
     "org.psd.test", -1},
    {"psd-y-siblings-not-aligned", "a@org.psd.test", 1, NULL, "other.psd.test",
     FAIL, PR, PR, "org.psd.test", -1},
    {"psd-y-same-org-aligned", "a@org.psd.test", 1, NULL, "x.org.psd.test",
     PASS, PR, PN, "org.psd.test", -1},
    {"psd-n-stops-walk-org-is-dept", "a@x.dept.corp.test", 1, NULL, NULL, FAIL,
     PN, PN, "dept.corp.test", -1},
    {"psd-n-parent-identifier-not-aligned", "a@x.dept.corp.test", 1,
     "corp.test", NULL, FAIL, PN, PN, NULL, -1},
    {"org-is-fewest-labels-record", "a@x.y.corp.test", 1, NULL, NULL, FAIL, PQ,
     PQ, "corp.test", -1},
    {"two-records-discarded-none", "a@two.test", 1, NULL, NULL, NONE, P_, P_,
     NULL, -1},
    {"non-dmarc-txt-ignored-one-record-used", "a@mixed.test", 1, NULL, NULL,
     FAIL, PQ, PQ, NULL, -1},
    {"no-record-none-walks-to-root", "a@a.b.nothing.test", 1, NULL, NULL, NONE,
     P_, P_, NULL, 4},
    {"invalid-p-no-rua-not-applied", "a@bad.test", 1, NULL, NULL, NONE, P_, P_,
     NULL, -1},
    {"invalid-p-with-rua-is-p-none", "a@badrua.test", 1, NULL, NULL, FAIL, PN,
     PN, NULL, -1},
    {"timeout-is-temperror", "a@slow.test", 1, NULL, NULL, TEMP, P_, P_, NULL,
     -1},
    {"servfail-is-temperror", "a@fail.test", 1, NULL, NULL, TEMP, P_, P_, NULL,
     -1},
    {"bogus-is-permerror", "a@bogus.test", 1, NULL, NULL, PERM, P_, P_, NULL,
     -1},
    {"walk-of-ten-labels-makes-8-queries", "a@l1.l2.l3.l4.l5.l6.l7.x.y.test", 1,
     NULL, NULL, NONE, P_, P_, NULL, 8},
    {"long-name-skips-to-7-labels", "a@l1.l2.l3.l4.l5.l6.l7.long.test", 1, NULL,
     NULL, FAIL, PQ, PQ, "l5.l6.l7.long.test", -1},
    {"existence-servfail-on-fail-is-temperror", "a@gone.npx.test", 1, NULL,
     NULL, TEMP, PN, P_, NULL, -1},
    {"existence-servfail-on-pass-still-pass", "a@gone.npx.test", 1,
     "gone.npx.test", NULL, PASS, PN, PN, NULL, -1},
    {"no-from-permerror", NULL, 0, "ex.test", NULL, PERM, P_, P_, NULL, -1},
    {"unparseable-from-permerror", "<<a@ex.test", 1, "ex.test", NULL, PERM, P_,
     P_, NULL, -1},
    {"group-from-permerror", "list: a@ex.test;", 1, "ex.test", NULL, PERM, P_,
     P_, NULL, -1},
    {"from-domain-literal-permerror", "a@[192.0.2.1]", 1, NULL, NULL, PERM, P_,
     P_, NULL, -1},
    {"two-mailboxes-one-fails-fail", "a@ex.test, b@t.test", 1, "ex.test", NULL,
     FAIL, PR, PQ, NULL, -1},
    {"two-mailboxes-both-pass-permerror", "a@ex.test, b@mail.ex.test", 1,
     "ex.test", NULL, PERM, PR, P_, NULL, -1},
    {"two-from-fields-never-pass", "a@ex.test", 2, "ex.test", NULL, PERM, PR,
     P_, NULL, -1},
    {"strictest-failure-wins", "a@t.test, b@ex.test", 1, NULL, NULL, FAIL, PR,
     PR, NULL, -1},
    {"secure-record-marked", "a@sec.test", 1, NULL, NULL, FAIL, PR, PR, NULL,
     -1},
};

static void
run_row(dkimsa_lib *lib, const struct row *rw)
{
	dkimsa_dmarc_dkim sigs[4];
	dkimsa_dmarc_req req;
	dkimsa_dmarc_result *r = NULL;
	char buf[200], *p, *save = NULL, *colon;
	size_t n = 0;
	int ok;

	memset(&req, 0, sizeof(req));
	req.from_header = rw->from;
	req.from_count = rw->from_count;
	req.spf_result = rw->spf_domain ? DKIMSA_RES_PASS : DKIMSA_RES_FAIL;
	req.spf_domain = rw->spf_domain ? rw->spf_domain : "nowhere.test";
	snprintf(buf, sizeof(buf), "%s", rw->dkim ? rw->dkim : "");
	for (p = strtok_r(buf, ",", &save); p && n < 4;
	     p = strtok_r(NULL, ",", &save)) {
		colon = strchr(p, ':');
		sigs[n].result = colon ? DKIMSA_RES_FAIL : DKIMSA_RES_PASS;
		if (colon)
			*colon = '\0';
		sigs[n].domain = p;
		sigs[n++].selector = "s";
	}
	req.dkim = sigs;
	req.ndkim = n;
	if (dkimsa_dmarc_check(lib, &req, &r) != 0 || r == NULL) {
		t_ok(0, rw->label, "check failed");
		return;
	}
	ok = r->result == rw->want_result && r->policy == rw->want_policy &&
	     r->disposition == rw->want_dis &&
	     (rw->want_org == NULL ||
	      strcmp(r->org_domain, rw->want_org) == 0) &&
	     (rw->want_queries < 0 || r->dns_queries == rw->want_queries) &&
	     r->reason != NULL;
	t_ok(ok, rw->label, "got %s policy %d dis %d org %s queries %d (%s)",
	     dkimsa_res_name(r->result), r->policy, r->disposition,
	     r->org_domain, r->dns_queries, r->reason);
	dkimsa_dmarc_result_free(r);
}

static void
test_fields(dkimsa_lib *lib)
{
	dkimsa_dmarc_req req;
	dkimsa_dmarc_result *r = NULL;

	memset(&req, 0, sizeof(req));
	req.from_header = "a@badrua.test";
	req.from_count = 1;
	if (dkimsa_dmarc_check(lib, &req, &r) != 0)
		return;
	t_ok(r->nrua == 1 && strcmp(r->rua[0], "mailto:r@badrua.test") == 0 &&
		 r->rua[1] == NULL &&
		 strcmp(r->policy_domain, "badrua.test") == 0,
	     "result-carries-rua-and-policy-domain", "nrua %zu domain %s",
	     r->nrua, r->policy_domain);
	dkimsa_dmarc_result_free(r);
	req.from_header = "a@sec.test";
	if (dkimsa_dmarc_check(lib, &req, &r) != 0)
		return;
	t_ok(r->secure == 1, "secure-record-sets-secure", "secure %d",
	     r->secure);
	dkimsa_dmarc_result_free(r);
	req.from_header = "a@bogus.test";
	if (dkimsa_dmarc_check(lib, &req, &r) != 0)
		return;
	t_ok(r->dnssec_bogus == 1, "bogus-record-sets-dnssec-bogus", "%d",
	     r->dnssec_bogus);
	dkimsa_dmarc_result_free(r);
	req.from_header = "a@nx.ex.test";
	if (dkimsa_dmarc_check(lib, &req, &r) != 0)
		return;
	t_ok(r->nonexistent == 1 &&
		 strcmp(r->record, "v=DMARC1; p=reject; "
				   "sp=quarantine; np=none") == 0,
	     "nonexistent-author-flag-and-record-text", "%d %s", r->nonexistent,
	     r->record);
	dkimsa_dmarc_result_free(r);
}

static void
test_authres(dkimsa_lib *lib)
{
	dkimsa_dmarc_req req;
	dkimsa_dmarc_result *r = NULL;
	dkimsa_ar *ar;
	char *out = NULL;

	memset(&req, 0, sizeof(req));
	req.from_header = "a@t.test";
	req.from_count = 1;
	if (dkimsa_dmarc_check(lib, &req, &r) != 0 ||
	    dkimsa_ar_new("mx.test", &ar) != 0)
		return;
	dkimsa_ar_add_dmarc(ar, r);
	dkimsa_ar_finish(ar, &out);
	dkimsa_ar_free(ar);
	t_streq(out,
		" mx.test;\r\n\tdmarc=fail (p=reject dis=quarantine t=y) "
		"header.from=t.test policy.dmarc=quarantine",
		"authres-fail-t-y-names-policy-and-disposition");
	free(out);
	dkimsa_dmarc_result_free(r);
	req.from_header = "a@two.test";
	if (dkimsa_dmarc_check(lib, &req, &r) != 0 ||
	    dkimsa_ar_new("mx.test", &ar) != 0)
		return;
	dkimsa_ar_add_dmarc(ar, r);
	dkimsa_ar_finish(ar, &out);
	dkimsa_ar_free(ar);
	t_streq(out,
		" mx.test;\r\n\tdmarc=none (no DMARC record for two.test) "
		"header.from=two.test",
		"authres-none-has-no-policy-property");
	free(out);
	dkimsa_dmarc_result_free(r);
}

int
main(void)
{
	dkimsa_lib *lib = dkimsa_lib_new();
	char err[200];
	size_t i;

	if (lib == NULL ||
	    dkimsa_lib_set_fake_dns(lib, zone, err, sizeof(err)) != 0) {
		printf("FAIL: fake-dns: %s\n", err);
		return 1;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(lib, &rows[i]);
	test_fields(lib);
	test_authres(lib);
	t_ok(strcmp(dkimsa_dmarc_policy_name(DKIMSA_DMARC_P_QUARANTINE),
		    "quarantine") == 0 &&
		 *dkimsa_dmarc_policy_name(DKIMSA_DMARC_P_UNSET) == '\0',
	     "policy-names", "%s", "wrong name");
	dkimsa_lib_free(lib);
	return t_exit();
}
