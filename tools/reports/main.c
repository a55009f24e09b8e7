/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimsa-reports - DMARC aggregate reports (RFC 9990) from the milter's
 * DMARCHistoryFile: reads history files for a period, writes one gzip'd
 * XML report per policy domain named receiver!domain!begin!end.xml.gz
 * (RFC 9990 section 3), and with --send mails each to its rua addresses.
 * See dkimsa-reports(8).
 */
#define _GNU_SOURCE /* strptime, timegm */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "dkimsa.h"
#include "dmarchist.h"
#include "rpagg.h"
#include "rpsend.h"
#include "rpxml.h"

struct main_opts {
	long long begin, end;
	int have_from, have_to, send;
	const char *outdir, *sendmail, *from_addr;
	struct rpxml_meta meta;
	const char *anchor, *unbound_conf, *dns_timeout;
	char ns[1024];
};

static void
main_usage(FILE *fp)
{
	fprintf(fp,
		"usage: dkimsa-reports --org-name NAME --email ADDR "
		"--receiver DOMAIN\n"
		"         (--period day | --from TIME --to TIME) "
		"[--outdir DIR]\n"
		"         [--extra-contact TEXT] [--send [--sendmail PATH] "
		"[--mail-from ADDR]]\n"
		"         [--trust-anchor FILE] [--nameserver ADDR[@PORT] ...] "
		"[--unbound-conf FILE]\n"
		"         [--dns-timeout SECONDS]\n"
		"         HISTORY-FILE...\n"
		"TIME: seconds since the epoch or YYYY-MM-DD[THH:MM:SS] "
		"(UTC)\n");
}

/* Seconds since the epoch, or a UTC date/time; -1 when neither. */
static long long
main_time(const char *s)
{
	struct tm tm;
	const char *end;
	char *e;
	long long v;

	errno = 0;
	v = strtoll(s, &e, 10);
	if (*s != '\0' && *e == '\0' && errno == 0 && v >= 0)
		return v;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end != NULL && *end == 'T')
		end = strptime(end + 1, "%H:%M:%S", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (long long)timegm(&tm);
}

/* The previous UTC day. */
static void
main_yesterday(struct main_opts *o)
{
	long long now = (long long)time(NULL);

	o->end = now - now % 86400;
	o->begin = o->end - 86400;
}

static int
main_header_safe(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL && s[0] != '\0';
}

static int
main_args(int argc, char **argv, struct main_opts *o)
{
	static const struct option longopts[] = {
	    {"org-name", required_argument, NULL, 'O'},
	    {"email", required_argument, NULL, 'E'},
	    {"extra-contact", required_argument, NULL, 'X'},
	    {"receiver", required_argument, NULL, 'R'},
	    {"period", required_argument, NULL, 'P'},
	    {"from", required_argument, NULL, 'f'},
	    {"to", required_argument, NULL, 't'},
	    {"outdir", required_argument, NULL, 'o'},
	    {"send", no_argument, NULL, 's'},
	    {"sendmail", required_argument, NULL, 'M'},
	    {"mail-from", required_argument, NULL, 'F'},
	    {"trust-anchor", required_argument, NULL, 'T'},
	    {"nameserver", required_argument, NULL, 'S'},
	    {"unbound-conf", required_argument, NULL, 'U'},
	    {"dns-timeout", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	int c;
	size_t n;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'O':
			o->meta.org_name = optarg;
			break;
		case 'E':
			o->meta.email = optarg;
			break;
		case 'X':
			o->meta.extra_contact = optarg;
			break;
		case 'R':
			o->meta.receiver = optarg;
			break;
		case 'P':
			if (strcmp(optarg, "day") != 0) {
				fprintf(stderr, "dkimsa-reports: --period: "
						"only \"day\" is known\n");
				return -1;
			}
			main_yesterday(o);
			o->have_from = o->have_to = 1;
			break;
		case 'f':
		case 't':
			if (main_time(optarg) < 0) {
				fprintf(stderr, "dkimsa-reports: bad time %s\n",
					optarg);
				return -1;
			}
			*(c == 'f' ? &o->begin : &o->end) = main_time(optarg);
			*(c == 'f' ? &o->have_from : &o->have_to) = 1;
			break;
		case 'o':
			o->outdir = optarg;
			break;
		case 's':
			o->send = 1;
			break;
		case 'M':
			o->sendmail = optarg;
			break;
		case 'F':
			o->from_addr = optarg;
			break;
		case 'T':
			o->anchor = optarg;
			break;
		case 'S':
			n = strlen(o->ns);
			snprintf(o->ns + n, sizeof(o->ns) - n, "%s%s",
				 n ? "," : "", optarg);
			break;
		case 'U':
			o->unbound_conf = optarg;
			break;
		case 'D':
			o->dns_timeout = optarg;
			break;
		case 'h':
			main_usage(stdout);
			exit(0);
		default:
			main_usage(stderr);
			return -1;
		}
	}
	if (!main_header_safe(o->meta.org_name) ||
	    !main_header_safe(o->meta.email) || o->meta.receiver == NULL ||
	    !rpagg_domain_ok(o->meta.receiver) || !o->have_from ||
	    !o->have_to || o->begin >= o->end || optind >= argc ||
	    (o->from_addr != NULL && !main_header_safe(o->from_addr))) {
		fprintf(stderr, "dkimsa-reports: --org-name, --email, a "
				"--receiver domain, a period (begin before "
				"end) and history files are needed\n");
		main_usage(stderr);
		return -1;
	}
	return optind;
}

static dkimsa_lib *
main_lib(const struct main_opts *o)
{
	dkimsa_lib *lib;
	char err[300];

	if ((lib = dkimsa_lib_new()) == NULL)
		return NULL;
	if ((o->anchor && dkimsa_lib_set_option(lib, "TrustAnchorFile",
						o->anchor, err, sizeof(err))) ||
	    (o->ns[0] && dkimsa_lib_set_option(lib, "Nameservers", o->ns, err,
					       sizeof(err))) ||
	    (o->unbound_conf &&
	     dkimsa_lib_set_option(lib, "UnboundConfigFile", o->unbound_conf,
				   err, sizeof(err))) ||
	    (o->dns_timeout &&
	     dkimsa_lib_set_option(lib, "DNSTimeout", o->dns_timeout, err,
				   sizeof(err)))) {
		fprintf(stderr, "dkimsa-reports: %s\n", err);
		dkimsa_lib_free(lib);
		return NULL;
	}
	return lib;
}

/* Writes (and sends) the report of one domain; the number of failures. */
static int
main_domain(const struct main_opts *o, dkimsa_lib *lib,
	    const struct rpagg_domain *d)
{
	struct dmarchist_rec *pol = malloc(sizeof(*pol));
	char name[700], path[4200], rid[700], err[400], why[200];
	const char *rua[DMARCHIST_MAXRUA];
	struct rpsend_opts so;
	struct rpsend_report sr;
	size_t i;
	int failed = 0;
	buf x;

	if (pol == NULL || dmarchist_parse(d->policy, strlen(d->policy), pol,
					   why, sizeof(why)) != 0) {
		free(pol);
		return 1;
	}
	if (pol->nrua == 0) { /* nobody asked for reports */
		printf("%s: no rua, no report (%zu rows)\n", d->domain,
		       d->nrows);
		free(pol);
		return 0;
	}
	snprintf(name, sizeof(name), "%s!%s!%lld!%lld.xml.gz", o->meta.receiver,
		 d->domain, o->begin, o->end - 1);
	snprintf(path, sizeof(path), "%s/%s", o->outdir, name);
	snprintf(rid, sizeof(rid), "%lld.%lld.%s@%s", o->begin, o->end - 1,
		 d->domain, o->meta.receiver);
	buf_init(&x);
	if (rpxml_report(&x, &o->meta, d, o->begin, o->end, rid) != 0 ||
	    rpxml_gzip(path, x.data, x.len, err, sizeof(err)) != 0) {
		fprintf(stderr, "dkimsa-reports: %s: %s\n", d->domain,
			x.err ? "out of memory" : err);
		buf_free(&x);
		free(pol);
		return 1;
	}
	buf_free(&x);
	printf("%s: %s (%zu rows)\n", d->domain, path, d->nrows);
	if (o->send) {
		for (i = 0; i < pol->nrua; i++)
			rua[i] = pol->rua[i];
		so = (struct rpsend_opts){o->sendmail, o->from_addr,
					  o->meta.receiver, lib, stdout};
		sr = (struct rpsend_report){
		    d->domain, pol->org_domain, rua, pol->nrua, path, name,
		    rid};
		failed = rpsend_report(&so, &sr);
	}
	free(pol);
	return failed;
}

int
main(int argc, char **argv)
{
	static char generator[100];
	struct main_opts o;
	struct rpagg a;
	dkimsa_lib *lib = NULL;
	FILE *fp;
	int first, i, failed = 0;
	size_t d;

	memset(&o, 0, sizeof(o));
	o.outdir = ".";
	o.sendmail = "/usr/sbin/sendmail";
	snprintf(generator, sizeof(generator), "dkimsa-reports %s",
		 dkimsa_version());
	o.meta.generator = generator;
	if ((first = main_args(argc, argv, &o)) < 0)
		return 2;
	if (o.from_addr == NULL)
		o.from_addr = o.meta.email;
	rpagg_init(&a, o.begin, o.end);
	for (i = first; i < argc; i++) {
		if ((fp = fopen(argv[i], "r")) == NULL) {
			fprintf(stderr, "dkimsa-reports: %s: %s\n", argv[i],
				strerror(errno));
			failed++;
			continue;
		}
		if (rpagg_read(&a, fp, argv[i], stderr) != 0) {
			fprintf(stderr, "dkimsa-reports: out of memory\n");
			fclose(fp);
			rpagg_free(&a);
			return 1;
		}
		fclose(fp);
	}
	if (rpagg_finish(&a) != 0) {
		fprintf(stderr, "dkimsa-reports: out of memory\n");
		rpagg_free(&a);
		return 1;
	}
	printf("dkimsa-reports: %lu lines, %lu in the period, %lu bad, %lu "
	       "without a policy domain, %zu policy domains\n",
	       a.lines, a.used, a.bad, a.no_policy, a.ndoms);
	if (o.send && (lib = main_lib(&o)) == NULL) {
		rpagg_free(&a);
		return 1;
	}
	for (d = 0; d < a.ndoms; d++)
		failed += main_domain(&o, lib, &a.doms[d]);
	dkimsa_lib_free(lib);
	rpagg_free(&a);
	return failed ? 1 : 0;
}
