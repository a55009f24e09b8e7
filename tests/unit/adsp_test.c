/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * adsp_test.c - RFC 5617 ADSP (libdkimsa/adsp.c).
 *
 * Without arguments: record classification, and the procedure over the
 * fake DNS table.  With "--live DIR" (tests/dns/adsp.sh, after
 * tests/dns/harness.sh built DIR): each of the eight results from the
 * zone fixtures (tests/dns/zones/adsp.zone and the test zones) served to
 * the real libunbound.
 */
#include <stdio.h>
#include <string.h>

#include "adsp.h"
#include "dkimsa.h"
#include "dkimsa_test.h"
#include "t.h"

static void
test_parse(void)
{
	static const struct {
		const char *label, *txt;
		enum adsp_practice want;
	} rows[] = {
	    {"parse-all", "dkim=all", ADSP_ALL},
	    {"parse-discardable", "dkim=discardable", ADSP_DISCARDABLE},
	    {"parse-unknown", "dkim=unknown", ADSP_UNKNOWN},
	    {"parse-reserved-value-is-unknown", "dkim=later", ADSP_UNKNOWN},
	    {"parse-blanks-around-equals", "dkim \t= all", ADSP_ALL},
	    {"parse-more-tags-after", "dkim=discardable; x=1",
	     ADSP_DISCARDABLE},
	    {"parse-value-prefix-not-enough", "dkim=allx", ADSP_UNKNOWN},
	    {"parse-must-start-with-dkim", " dkim=all", ADSP_NOT_ADSP},
	    {"parse-other-record-ignored", "v=spf1 -all", ADSP_NOT_ADSP},
	    {"parse-dkim-without-equals", "dkim all", ADSP_NOT_ADSP},
	    {"parse-uppercase-tag-not-adsp", "DKIM=all", ADSP_NOT_ADSP},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum adsp_practice got = adsp_parse(rows[i].txt);

		t_ok(got == rows[i].want, rows[i].label, "got %d want %d",
		     (int)got, (int)rows[i].want);
	}
}

struct proc_row {
	const char *label;
	const char *domain;
	const char *sig_domain; /* NULL: unsigned */
	int sig_result;
	int want;
};

static void
run_rows(dkimsa_lib *lib, const struct proc_row *rows, size_t n,
	 const char *prefix)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dkimsa_adsp_sig sig = {rows[i].sig_domain, rows[i].sig_result};
		dkimsa_adsp *a = NULL;
		const char *why = "";
		char label[120];
		int res = -1;

		if (dkimsa_adsp_start(lib, rows[i].domain, &a) == DKIMSA_OK)
			res = dkimsa_adsp_finish(
			    a, &sig, rows[i].sig_domain ? 1 : 0, &why);
		snprintf(label, sizeof(label), "%s%s", prefix, rows[i].label);
		t_ok(res == rows[i].want, label, "got %s (%s), want %s",
		     dkimsa_res_name(res), why, dkimsa_res_name(rows[i].want));
		dkimsa_adsp_free(a);
	}
}

static const char fake_table[] =
    "a.example A 192.0.2.1\n"
    "_adsp._domainkey.a.example TXT dkim=all\n"
    "b.example A 192.0.2.1\n"
    "_adsp._domainkey.b.example TXT dkim=discardable\n"
    "c.example A 192.0.2.1\n"
    "_adsp._domainkey.c.example TXT dkim=unknown\n"
    "d.example A 192.0.2.1\n"
    "e.example A 192.0.2.1\n"
    "_adsp._domainkey.e.example SERVFAIL\n"
    "f.example A 192.0.2.1\n"
    "_adsp._domainkey.f.example TXT dkim=all\n"
    "_adsp._domainkey.f.example TXT dkim=unknown\n"
    "g.example TIMEOUT\n";

static const struct proc_row fake_rows[] = {
    {"fake-fail", "a.example", NULL, 0, DKIMSA_RES_FAIL},
    {"fake-pass", "a.example", "A.EXAMPLE", DKIMSA_RES_PASS, DKIMSA_RES_PASS},
    {"fake-discard", "b.example", NULL, 0, DKIMSA_RES_DISCARD},
    {"fake-unknown", "c.example", NULL, 0, DKIMSA_RES_UNKNOWN},
    {"fake-none", "d.example", NULL, 0, DKIMSA_RES_NONE},
    {"fake-nxdomain", "z.example", NULL, 0, DKIMSA_RES_NXDOMAIN},
    {"fake-temperror", "e.example", NULL, 0, DKIMSA_RES_TEMPERROR},
    {"fake-permerror", "f.example", NULL, 0, DKIMSA_RES_PERMERROR},
    {"fake-timeout-temperror", "g.example", NULL, 0, DKIMSA_RES_TEMPERROR},
    {"fake-third-party-pass-is-not-author", "a.example", "other.example",
     DKIMSA_RES_PASS, DKIMSA_RES_FAIL},
    {"fake-bad-author-domain-permerror", "a..example", NULL, 0,
     DKIMSA_RES_PERMERROR},
};

static const struct proc_row live_rows[] = {
    {"none", "none.adsp.test", NULL, 0, DKIMSA_RES_NONE},
    {"pass", "all.adsp.test", "all.adsp.test", DKIMSA_RES_PASS,
     DKIMSA_RES_PASS},
    {"unknown", "unknown.adsp.test", NULL, 0, DKIMSA_RES_UNKNOWN},
    {"fail", "all.adsp.test", NULL, 0, DKIMSA_RES_FAIL},
    {"discard", "discard.adsp.test", NULL, 0, DKIMSA_RES_DISCARD},
    {"nxdomain", "nx.adsp.test", NULL, 0, DKIMSA_RES_NXDOMAIN},
    {"temperror", "x.refused.test", NULL, 0, DKIMSA_RES_TEMPERROR},
    {"permerror", "two.adsp.test", NULL, 0, DKIMSA_RES_PERMERROR},
    {"fail-author-signature-failed", "all.adsp.test", "all.adsp.test",
     DKIMSA_RES_FAIL, DKIMSA_RES_FAIL},
    {"unknown-reserved-value", "future.adsp.test", NULL, 0, DKIMSA_RES_UNKNOWN},
    {"none-non-adsp-record-ignored", "junk.adsp.test", NULL, 0,
     DKIMSA_RES_NONE},
    {"fail-domain-only-empty-non-terminal", "nodomain.adsp.test", NULL, 0,
     DKIMSA_RES_FAIL},
    {"temperror-timeout", "x.silent.test", NULL, 0, DKIMSA_RES_TEMPERROR},
    {"permerror-bogus-record", "bogus.test", NULL, 0, DKIMSA_RES_PERMERROR},
    {"fail-secure-zone", "secure.test", NULL, 0, DKIMSA_RES_FAIL},
};

static int
live(const char *dir)
{
	dkimsa_lib *lib = dkimsa_lib_new();
	char conf[600], err[512] = "", why[300];
	int rc;

	snprintf(conf, sizeof(conf), "%s/unbound.conf", dir);
	rc = dkimsa_lib_set_option(lib, "UnboundConfigFile", conf, err,
				   sizeof(err));
	if (rc == 0)
		rc = dkimsa_lib_set_option(lib, "TrustAnchorFile", "none", err,
					   sizeof(err));
	if (rc == 0)
		rc = dkimsa_lib_set_option(lib, "DNSTimeout", "0.3", err,
					   sizeof(err));
	if (rc == 0)
		rc = dkimsa_lib_start_dns(lib, err, sizeof(err));
	if (t_ok(rc == 0, "live-adsp-dns-starts", "%s", err)) {
		run_rows(lib, live_rows,
			 sizeof(live_rows) / sizeof(live_rows[0]),
			 "live-adsp-");
		rc = dkimsa_adsp_check(lib, "discard.adsp.test", NULL, why,
				       sizeof(why));
		t_ok(rc == DKIMSA_RES_DISCARD && strstr(why, "discardable"),
		     "live-adsp-check-unsigned-message", "%s (%s)",
		     dkimsa_res_name(rc), why);
	}
	dkimsa_lib_free(lib);
	return t_exit();
}

int
main(int argc, char **argv)
{
	dkimsa_lib *lib;
	char err[256] = "", why[300];
	int rc;

	if (argc == 3 && strcmp(argv[1], "--live") == 0)
		return live(argv[2]);
	test_parse();
	lib = dkimsa_lib_new();
	rc = dkimsa_lib_set_fake_dns(lib, fake_table, err, sizeof(err));
	if (t_ok(rc == 0, "fake-dns-installed", "%s", err))
		run_rows(lib, fake_rows,
			 sizeof(fake_rows) / sizeof(fake_rows[0]), "");
	dkimsa_lib_free(lib);
	/* no handle: DNS cannot start, the reason says so */
	rc = dkimsa_adsp_check(NULL, "a.example", NULL, why, sizeof(why));
	t_ok(rc == DKIMSA_RES_TEMPERROR && strstr(why, "DNS"),
	     "no-dns-temperror-with-reason", "%s (%s)", dkimsa_res_name(rc),
	     why);
	return t_exit();
}
