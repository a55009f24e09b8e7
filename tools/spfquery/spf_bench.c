/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spf_bench.c - SPF checks per second with a warm cache (not installed).
 *
 * Policy: example.com "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net
 * -all" with the include "v=spf1 ip4:198.51.100.0/24 -all"; the client
 * 198.51.100.7 matches in the include, so every check evaluates both
 * records (2 TXT lookups).  The zone is served to libunbound as a root
 * auth-zone from a temporary directory (no network), the cache is warmed
 * by one check, then dkimsa_spf_check() runs in a loop on one thread.
 *
 * Usage: dkimsa-spf-bench [SECONDS] (default 2).  Prints
 *   RESULT spf-checks-per-second N (checks C in S s, result pass)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dkimsa.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
write_files(const char *dir, char *conf, size_t len)
{
	char zone[512];
	FILE *fp;

	snprintf(zone, sizeof(zone), "%s/root.zone", dir);
	snprintf(conf, len, "%s/unbound.conf", dir);
	if ((fp = fopen(zone, "w")) == NULL)
		return -1;
	fputs(". 3600 IN SOA ns.root. hostmaster.root. 1 3600 600 86400 300\n"
	      ". 3600 IN NS ns.root.\n"
	      "example.com. 3600 IN TXT \"v=spf1 ip4:192.0.2.0/24 "
	      "include:_spf.example.net -all\"\n"
	      "_spf.example.net. 3600 IN TXT \"v=spf1 ip4:198.51.100.0/24 "
	      "-all\"\n",
	      fp);
	fclose(fp);
	if ((fp = fopen(conf, "w")) == NULL)
		return -1;
	fprintf(fp,
		"server:\n    module-config: \"iterator\"\n"
		"auth-zone:\n    name: \".\"\n    zonefile: \"%s\"\n"
		"    for-upstream: yes\n    for-downstream: no\n"
		"    fallback-enabled: no\n",
		zone);
	fclose(fp);
	return 0;
}

static int
one_check(dkimsa_lib *lib)
{
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	int res;

	memset(&req, 0, sizeof(req));
	req.client_ip = "198.51.100.7";
	req.mail_from = "user@example.com";
	req.helo = "mail.example.com";
	if (dkimsa_spf_check(lib, &req, DKIMSA_SPF_MAILFROM, &r) != 0)
		return -1;
	res = r->result;
	dkimsa_spf_result_free(r);
	return res;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/dkimsa-spf-bench.XXXXXX", conf[512] = "", err[256];
	double secs = argc > 1 ? atof(argv[1]) : 2.0, t0, el;
	dkimsa_lib *lib = NULL;
	long n = 0;
	int rc = 1;

	if (secs <= 0 || mkdtemp(dir) == NULL ||
	    write_files(dir, conf, sizeof(conf)) != 0 ||
	    (lib = dkimsa_lib_new()) == NULL ||
	    dkimsa_lib_set_option(lib, "TrustAnchorFile", "none", err,
				  sizeof(err)) != 0 ||
	    dkimsa_lib_set_option(lib, "UnboundConfigFile", conf, err,
				  sizeof(err)) != 0 ||
	    dkimsa_lib_start_dns(lib, err, sizeof(err)) != 0) {
		fprintf(stderr, "dkimsa-spf-bench: setup failed\n");
		goto done;
	}
	if (one_check(lib) != DKIMSA_RES_PASS) { /* warms the cache */
		fprintf(stderr,
			"dkimsa-spf-bench: warm-up check did not pass\n");
		goto done;
	}
	t0 = now_s();
	do {
		if (one_check(lib) != DKIMSA_RES_PASS) {
			fprintf(stderr, "dkimsa-spf-bench: check failed\n");
			goto done;
		}
		n++;
	} while ((el = now_s() - t0) < secs);
	printf("RESULT spf-checks-per-second %.0f (checks %ld in %.2f s, "
	       "result pass, 2 TXT lookups each, warm cache)\n",
	       (double)n / el, n, el);
	rc = 0;
done:
	dkimsa_lib_free(lib);
	snprintf(err, sizeof(err), "%s/root.zone", dir);
	unlink(err);
	unlink(conf);
	rmdir(dir);
	return rc;
}
