/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lib_test.c - the library handle (libdkimsa/lib.c) and DKIM keys over DNS
 * (libdkimsa/keydns.c).
 *
 * Without arguments: option validation, DNS start-up errors, key lookup
 * outcomes over the fake DNS table.  With "--live DIR" (tests/dns/keys.sh,
 * after tests/dns/harness.sh built DIR): messages signed with the fixture
 * keys verified through the real libunbound against the harness zones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkimsa.h"
#include "dkimsa_test.h"
#include "lib.h"
#include "t.h"

static void
test_options(void)
{
	static const struct {
		const char *label, *name, *value;
		int rc;
		const char *why;
	} rows[] = {
	    {"unknown-option", "NoSuchOption", "1", DKIMSA_EINVAL,
	     "unknown option \"NoSuchOption\""},
	    {"option-name-case-insensitive", "minimumkeybits", "2048", 0, ""},
	    {"number-not-a-number", "MinimumKeyBits", "lots", DKIMSA_EINVAL,
	     "MinimumKeyBits: \"lots\" is not a whole number"},
	    {"number-fraction-refused", "MinimumKeyBits", "1024.5",
	     DKIMSA_EINVAL, "not a whole number"},
	    {"number-out-of-range", "MaximumSignaturesToVerify", "0",
	     DKIMSA_EINVAL, "out of range (1-1000)"},
	    {"timeout-fraction-of-second", "DNSTimeout", "0.25", 0, ""},
	    {"timeout-zero-refused", "DNSTimeout", "0", DKIMSA_EINVAL,
	     "DNSTimeout: 0 is out of range"},
	    {"timeout-negative-refused", "DNSTimeout", "-3", DKIMSA_EINVAL,
	     "out of range"},
	    /* found by fuzzing (tests/fuzz/crashes/cfg): no cast of these */
	    {"timeout-nan-refused", "DNSTimeout", "nan", DKIMSA_EINVAL,
	     "\"nan\" is not a number of seconds"},
	    {"timeout-infinity-refused", "DNSTimeout", "inf", DKIMSA_EINVAL,
	     "out of range"},
	    {"number-beyond-long-out-of-range", "MinimumKeyBits", "1e40",
	     DKIMSA_EINVAL, "out of range"},
	    {"nameservers-list", "Nameservers", "127.0.0.1@5353, ::1", 0, ""},
	    {"nameserver-bad-port", "Nameservers", "127.0.0.1@99999",
	     DKIMSA_EINVAL, "\"127.0.0.1@99999\" is not ADDR or ADDR@PORT"},
	    {"nameserver-hostname-refused", "Nameservers", "ns.example",
	     DKIMSA_EINVAL, "\"ns.example\" is not ADDR"},
	    {"nameservers-empty", "Nameservers", " , ", DKIMSA_EINVAL,
	     "no address given"},
	    {"trust-anchor-missing-file", "TrustAnchorFile", "/nonexistent/ta",
	     DKIMSA_EINVAL, "TrustAnchorFile: /nonexistent/ta: No such file"},
	    {"trust-anchor-none", "TrustAnchorFile", "none", 0, ""},
	    {"unbound-conf-missing-file", "UnboundConfigFile", "/nonexistent/c",
	     DKIMSA_EINVAL, "UnboundConfigFile: /nonexistent/c: No such file"},
	};
	dkimsa_lib *lib = dkimsa_lib_new();
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[300] = "";
		int rc = dkimsa_lib_set_option(lib, rows[i].name, rows[i].value,
					       err, sizeof(err));

		t_ok(rc == rows[i].rc && strstr(err, rows[i].why) != NULL,
		     rows[i].label, "rc %d err \"%s\"", rc, err);
	}
	t_ok(lib_min_key_bits(lib) == 2048 && lib_max_signatures(lib) == 10,
	     "option-values-applied", "bits %u sigs %d", lib_min_key_bits(lib),
	     lib_max_signatures(lib));
	t_ok(lib_min_key_bits(NULL) == 1024 && lib_max_signatures(NULL) == 10,
	     "defaults-without-handle", "-");
	dkimsa_lib_free(lib);
}

/* After the DNS started, its options are fixed; others are not. */
static void
test_started(void)
{
	dkimsa_lib *lib = dkimsa_lib_new();
	char err[300] = "";
	int rc;

	dkimsa_lib_set_option(lib, "TrustAnchorFile", "none", NULL, 0);
	/* nothing is sent: no lookup is made */
	dkimsa_lib_set_option(lib, "Nameservers", "127.0.0.1@1", NULL, 0);
	rc = dkimsa_lib_start_dns(lib, err, sizeof(err));
	t_ok(rc == DKIMSA_OK, "start-dns", "%s", err);
	rc = dkimsa_lib_set_option(lib, "DNSTimeout", "5", err, sizeof(err));
	t_ok(rc == DKIMSA_ESTATE && strstr(err, "has started"),
	     "dns-option-after-start-refused", "rc %d %s", rc, err);
	rc = dkimsa_lib_set_option(lib, "MinimumKeyBits", "2048", err,
				   sizeof(err));
	t_ok(rc == DKIMSA_OK, "other-option-after-start", "rc %d", rc);
	rc = dkimsa_lib_set_fake_dns(lib, "a A 192.0.2.1\n", err, sizeof(err));
	t_ok(rc == DKIMSA_ESTATE, "fake-dns-after-start-refused", "rc %d", rc);
	dkimsa_lib_free(lib);
}

static void
test_start_error(void)
{
	char path[] = "/tmp/lib_test.XXXXXX", err[600] = "";
	dkimsa_lib *lib = dkimsa_lib_new();
	FILE *f;
	int fd = mkstemp(path), rc;

	if (fd >= 0 && (f = fdopen(fd, "w")) != NULL) {
		fputs("example. IN DS garbage\n", f);
		fclose(f);
	}
	dkimsa_lib_set_option(lib, "TrustAnchorFile", path, NULL, 0);
	rc = dkimsa_lib_start_dns(lib, err, sizeof(err));
	t_ok(rc == DKIMSA_EDNS && strstr(err, path) != NULL,
	     "broken-trust-anchor-start-error-names-file", "rc %d %s", rc, err);
	err[0] = '\0';
	rc = dkimsa_lib_start_dns(lib, err, sizeof(err));
	t_ok(rc == DKIMSA_EDNS && strstr(err, path) != NULL,
	     "start-error-repeated-not-retried", "rc %d %s", rc, err);
	dkimsa_lib_free(lib);
	remove(path);
}

static int log_calls;

static void
count_log(void *arg, int level, const char *msg)
{
	(void)arg;
	(void)level;
	(void)msg;
	log_calls++;
}

static void
test_keydns_fake(void)
{
	static const char table[] =
	    "s1._domainkey.a.example TXT \"not a key\"\n"
	    "s1._domainkey.a.example TXT \"v=DKIM1; \" \"p=AAAA\"\n"
	    "s2._domainkey.a.example TXT \"k=rsa; p=BBBB\"\n"
	    "s3._domainkey.a.example TXT \"only junk\"\n"
	    "s4._domainkey.a.example A 192.0.2.1\n"
	    "s5._domainkey.a.example SERVFAIL\n"
	    "s6._domainkey.a.example TIMEOUT\n"
	    "s7._domainkey.a.example BOGUS\n"
	    "s8._domainkey.a.example SECURE\n"
	    "s8._domainkey.a.example TXT \"p=CCCC\"\n";
	static const struct {
		const char *label, *sel;
		int rc, secure;
		const char *txt;
	} rows[] = {
	    {"key-record-chosen-among-txt", "s1", DKIMSA_LOOKUP_OK, 0,
	     "v=DKIM1; p=AAAA"},
	    {"key-record-without-version", "s2", DKIMSA_LOOKUP_OK, 0,
	     "k=rsa; p=BBBB"},
	    {"no-key-like-record-first-returned", "s3", DKIMSA_LOOKUP_OK, 0,
	     "only junk"},
	    {"key-nodata", "s4", DKIMSA_LOOKUP_NODATA, 0, NULL},
	    {"key-nxdomain", "s0", DKIMSA_LOOKUP_NXDOMAIN, 0, NULL},
	    {"key-servfail-tempfail", "s5", DKIMSA_LOOKUP_TEMPFAIL, 0, NULL},
	    {"key-timeout-tempfail", "s6", DKIMSA_LOOKUP_TEMPFAIL, 0, NULL},
	    {"key-bogus", "s7", DKIMSA_LOOKUP_BOGUS, 0, NULL},
	    {"key-secure-flag", "s8", DKIMSA_LOOKUP_OK, 1, "p=CCCC"},
	};
	dkimsa_lib *lib = dkimsa_lib_new();
	char err[200] = "";
	size_t i;

	dkimsa_lib_set_log(lib, count_log, NULL);
	if (!t_ok(dkimsa_lib_set_fake_dns(lib, table, err, sizeof(err)) == 0,
		  "keydns-fake-table", "%s", err))
		return;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *txt = NULL;
		int secure = -1;
		int rc =
		    keydns_fetch(lib, "a.example", rows[i].sel, &txt, &secure);

		t_ok(rc == rows[i].rc && secure == rows[i].secure &&
			 (rows[i].txt ? txt && !strcmp(txt, rows[i].txt)
				      : txt == NULL),
		     rows[i].label, "rc %d secure %d txt \"%s\"", rc, secure,
		     txt ? txt : "(null)");
		free(txt);
	}
	t_ok(log_calls == 3, "keydns-logs-dns-failures", "%d log lines",
	     log_calls);
	dkimsa_lib_free(lib);
}

int lib_live_main(const char *dir);

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--live") == 0)
		return lib_live_main(argv[2]);
	test_options();
	test_started();
	test_start_error();
	test_keydns_fake();
	return t_exit();
}
