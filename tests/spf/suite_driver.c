/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suite_driver.c - runs the openspf test suites (converted by
 * suite2zone.py) against check_host() through libunbound: one dns_ctx per
 * scenario, loaded with the scenario's unbound.conf (the zonedata as a
 * root auth-zone, so nothing leaves the process).
 *
 * Usage: suite_driver CASES.tsv
 * Prints "PASS: LABEL/NAME" or "FAIL: LABEL/NAME: got ..., want ..." per
 * case and "# LABEL: N cases, N passed, N failed" per suite.  A case
 * passes when the result is one of the listed results and, when an
 * explanation is given ("DEFAULT" = no exp= text), it matches.  An
 * explanation that matches only when ASCII case is ignored is accepted
 * with a "# note:" line: the suite was generated with pyspf, which writes
 * the IPv6 %{i} nibbles in upper case where RFC 7208 section 7.4 shows
 * lower case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "dns.h"
#include "spf.h"

#define MAX_FIELDS 8
#define MAX_SUITES 8

struct tally {
	char label[32];
	int pass, fail;
};

static struct tally tallies[MAX_SUITES];
static int ntallies;

static struct tally *
tally_for(const char *label)
{
	int i;

	for (i = 0; i < ntallies; i++)
		if (strcmp(tallies[i].label, label) == 0)
			return &tallies[i];
	if (ntallies == MAX_SUITES)
		return &tallies[MAX_SUITES - 1];
	snprintf(tallies[ntallies].label, sizeof(tallies[0].label), "%s",
		 label);
	return &tallies[ntallies++];
}

static int
split(char *line, char **f)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	f[n++] = line;
	while (n < MAX_FIELDS && (line = strchr(line, '\t')) != NULL) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

/* Is res one of the comma-separated words in list? */
static int
in_list(const char *res, const char *list)
{
	size_t n = strlen(res);
	const char *p = list;

	while (*p) {
		if (strncmp(p, res, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	return 0;
}

static void
run_case(dns_ctx *ctx, char **f)
{
	struct tally *t = tally_for(f[0]);
	const char *want_exp = strcmp(f[7], "-") == 0 ? NULL : f[7];
	dkimsa_spf_req req;
	dkimsa_spf_result *r;
	const char *got, *exp;
	int rc, ok;

	memset(&req, 0, sizeof(req));
	req.client_ip = f[3];
	req.mail_from = f[4];
	req.helo = f[5];
	rc = spf_check_ctx(ctx, &req, DKIMSA_SPF_MAILFROM, "DEFAULT", &r);
	if (rc != 0) {
		printf("FAIL: %s/%s: check failed: %s\n", f[0], f[2],
		       dkimsa_strerror(rc));
		t->fail++;
		return;
	}
	got = dkimsa_res_name(r->result);
	exp = r->explanation ? r->explanation : "";
	ok = in_list(got, f[6]);
	if (ok && want_exp != NULL && strcmp(exp, want_exp) != 0) {
		ok = strcasecmp(exp, want_exp) == 0;
		if (ok)
			printf("# note: %s/%s: explanation differs in case "
			       "only: \"%s\"\n",
			       f[0], f[2], exp);
	}
	if (ok) {
		printf("PASS: %s/%s\n", f[0], f[2]);
		t->pass++;
	} else {
		printf("FAIL: %s/%s: got %s exp \"%s\" (%s), want %s exp "
		       "\"%s\"\n",
		       f[0], f[2], got, exp, r->reason, f[6],
		       want_exp ? want_exp : "");
		t->fail++;
	}
	dkimsa_spf_result_free(r);
}

int
main(int argc, char **argv)
{
	char line[4096], conf[1024] = "", err[300], *f[MAX_FIELDS];
	struct dns_opts opts;
	dns_ctx *ctx = NULL;
	FILE *fp;
	int i, bad = 0;

	if (argc != 2 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: suite_driver CASES.tsv\n");
		return 2;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (split(line, f) != MAX_FIELDS)
			continue;
		if (strcmp(conf, f[1]) != 0) {
			dns_ctx_free(ctx);
			memset(&opts, 0, sizeof(opts));
			opts.trust_anchor_file = "none";
			opts.unbound_conf = f[1];
			opts.timeout_ms = 5000;
			snprintf(conf, sizeof(conf), "%s", f[1]);
			ctx = dns_ctx_new(&opts, err, sizeof(err));
			if (ctx == NULL)
				fprintf(stderr, "%s: %s\n", conf, err);
		}
		if (ctx == NULL) {
			printf("FAIL: %s/%s: no resolver for %s\n", f[0], f[2],
			       conf);
			tally_for(f[0])->fail++;
			continue;
		}
		run_case(ctx, f);
	}
	dns_ctx_free(ctx);
	fclose(fp);
	for (i = 0; i < ntallies; i++) {
		printf("# %s: %d cases, %d passed, %d failed\n",
		       tallies[i].label, tallies[i].pass + tallies[i].fail,
		       tallies[i].pass, tallies[i].fail);
		bad |= tallies[i].fail > 0;
	}
	return bad;
}
